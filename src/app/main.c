/* main: the command line. `sayso` runs the kiosk; `sayso check FILE...`
 * validates questionnaires and device configs; `sayso export` writes every
 * stored response. Paths default to the folder the program was built or
 * installed in, so `build/sayso` works from anywhere. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/device_config.h"
#include "core/staff_pin.h"
#include "core/file.h"
#include "core/questionnaire.h"
#include "core/strings.h"
#include "core/sync_config.h"
#include "store/store.h"
#include "sync/transport.h"
#include "sync/worker.h"
#include "ui/app.h"

static void usage(FILE *out)
{
    fputs("usage:\n"
          "  sayso [--config DIR] [--data DIR] [--assets DIR] [--windowed] [--size WxH]\n"
          "        [--replay FILE [--shots DIR]]\n"
          "  sayso check FILE...             validate questionnaires, device.json, sync.json\n"
          "                                  and assets/strings/*.json\n"
          "  sayso export --format csv|json [--data DIR]\n"
          "  sayso sync [--config DIR] [--data DIR] [--retry-held]\n"
          "                                  send every waiting response now\n"
          "  sayso status [--data DIR]       backlog, last sync, last error\n"
          "  sayso hash-pin                  read a staff PIN (4 to 8 digits) on stdin and\n"
          "                                  print the hash for device.json staff.pin_hash\n"
          "  sayso forget-pin [--data DIR]   forget the PIN set on this device; the kiosk\n"
          "                                  then asks staff to choose one at start\n"
          "\n"
          "  --config DIR   device.json and questionnaires/ (default: <install>/config)\n"
          "  --data DIR     where responses are stored (default: ./var)\n"
          "  --assets DIR   folder holding fonts/ and assets/ (default: <install>)\n"
          "  --windowed     developer mode: a window that Escape or closing quits\n"
          "  --size WxH     window size (default 1280x800)\n"
          "  --replay FILE  play a test script, then exit (see docs/testing.md)\n"
          "  --shots DIR    where the script's screenshots go\n",
          out);
}

static bool has_basename(const char *path, const char *name)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, name) == 0;
}

static int command_check(int argc, char **argv, const char *root)
{
    if (argc < 1) {
        fputs("sayso check: name at least one file\n", stderr);
        return 2;
    }
    char pictures[PATH_MAX + 32];
    snprintf(pictures, sizeof pictures, "%s/assets/pictures", root);
    int status = 0;
    for (int i = 0; i < argc; i++) {
        Diagnostics diag;
        diag_init(&diag);
        if (strstr(argv[i], "strings/") && strlen(argv[i]) > 5 &&
            strcmp(argv[i] + strlen(argv[i]) - 5, ".json") == 0) {
            strings_load_file(NULL, argv[i], &diag);
        } else if (has_basename(argv[i], "sync.json")) {
            SyncConfig sync;
            sync_config_defaults(&sync);
            if (!file_exists(argv[i]))
                diag_add(&diag, 0, 0, "cannot open: no such file");
            else
                sync_config_load(&sync, argv[i], &diag);
            sync_config_deinit(&sync);
        } else if (has_basename(argv[i], "device.json")) {
            DeviceConfig config;
            device_config_defaults(&config);
            bool found = false;
            device_config_load(&config, argv[i], &found, &diag);
            if (!found && diag.count == 0)
                diag_add(&diag, 0, 0, "cannot open: no such file");
            device_config_deinit(&config);
        } else {
            questionnaire_destroy(questionnaire_load(argv[i], pictures, &diag));
        }
        if (diag.count)
            status = 1;
        diag_print(&diag, argv[i], stdout);
        diag_deinit(&diag);
    }
    return status;
}

/* The database for a command, or NULL after saying why as that command. */
static Store *open_store(const char *data, const char *command)
{
    char why[512];
    Store *store = store_open(data, why, sizeof why);
    if (!store)
        fprintf(stderr, "sayso %s: %s\n", command, why);
    return store;
}

static int command_export(int argc, char **argv)
{
    const char *format = NULL, *data = "var";
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)) {
        fputs("sayso export: --format must be csv or json\n", stderr);
        return 2;
    }
    Store *store = open_store(data, "export");
    if (!store)
        return 1;
    bool ok = store_export(store, strcmp(format, "csv") == 0 ? EXPORT_CSV : EXPORT_JSON, stdout);
    store_close(store);
    return ok ? 0 : 1;
}

/* --config and --data for the sync and status commands. */
static bool parse_dirs(int argc, char **argv, const char **config, const char **data,
                       const char *command)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            *config = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            *data = argv[++i];
        else {
            fprintf(stderr, "sayso %s: unknown or incomplete option \"%s\"\n", command, argv[i]);
            return false;
        }
    }
    return true;
}

static int command_sync(int argc, char **argv, const char *root)
{
    char default_config[PATH_MAX + 16], path[PATH_MAX + 32], pictures[PATH_MAX + 32];
    snprintf(default_config, sizeof default_config, "%s/config", root);
    const char *config_dir = default_config, *data = "var";
    bool retry_held = argc > 0 && strcmp(argv[argc - 1], "--retry-held") == 0;
    if (!parse_dirs(argc - retry_held, argv, &config_dir, &data, "sync"))
        return 2;
    if (retry_held) {
        char why[512];
        int64_t released = 0;
        Store *store = store_open(data, why, sizeof why);
        if (!store || !store_release_held(store, &released)) {
            fprintf(stderr, "sayso sync: %s\n", store ? "cannot release held responses" : why);
            store_close(store);
            return 1;
        }
        store_close(store);
        fprintf(stderr, "sayso sync: %lld held response(s) back in the outbox\n",
                (long long)released);
    }
    snprintf(path, sizeof path, "%s/sync.json", config_dir);
    snprintf(pictures, sizeof pictures, "%s/assets/pictures", root);
    SyncConfig config;
    sync_config_defaults(&config);
    Diagnostics diag;
    diag_init(&diag);
    bool loaded = sync_config_load(&config, path, &diag);
    diag_print(&diag, path, stderr);
    diag_deinit(&diag);
    int status = 1;
    if (!loaded)
        fputs("sayso sync: the sync settings are not valid\n", stderr);
    else if (!config.enabled)
        fprintf(stderr, "sayso sync: no server is set in %s; responses stay on this device\n",
                path);
    else if (!transport_global_init())
        fputs("sayso sync: libcurl failed to start\n", stderr);
    else {
        status = sync_run_once(&config, data, pictures, stderr) ? 0 : 1;
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            fprintf(stderr, "sync: peak RSS %ld kB\n", ru.ru_maxrss);
        transport_global_cleanup();
    }
    sync_config_deinit(&config);
    return status;
}

static int command_status(int argc, char **argv)
{
    const char *config_dir = NULL, *data = "var";
    if (!parse_dirs(argc, argv, &config_dir, &data, "status"))
        return 2;
    Store *store = open_store(data, "status");
    if (!store)
        return 1;
    StoreOutboxCounts counts;
    bool ok = store_outbox_counts(store, &counts);
    char *success = store_state_get(store, "last_success_at");
    char *error = store_state_get(store, "last_error");
    char *etag = NULL, *set = NULL;
    store_questionnaire_set_load(store, &etag, &set);
    if (ok) {
        printf("responses stored:     %lld\n", (long long)counts.total);
        printf("waiting to send:      %lld\n", (long long)counts.unsent);
        printf("held (not retried):   %lld\n", (long long)counts.held);
    }
    printf("last successful sync: %s\n", success && *success ? success : "never");
    printf("last error:           %s\n", error && *error ? error : "none");
    /* An empty set from central means "use the device's own". */
    json_t *parsed = set ? json_loads(set, 0, NULL) : NULL;
    size_t from_server = json_array_size(json_object_get(parsed, "questionnaires"));
    json_decref(parsed);
    if (from_server)
        printf("questionnaires:       the set from the server (%zu)\n", from_server);
    else
        printf("questionnaires:       this device's own (none from a server)\n");
    free(success);
    free(error);
    free(etag);
    free(set);
    store_close(store);
    return ok ? 0 : 1;
}

/* The PIN comes on stdin so it never shows in the process list or history. */
static int command_hash_pin(void)
{
    char line[64] = "", hash[STAFF_PIN_HASH_MAX];
    if (!fgets(line, sizeof line, stdin))
        line[0] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    bool ok = staff_pin_valid(line) && staff_pin_hash(line, hash);
    explicit_bzero(line, sizeof line);
    if (!ok) {
        fputs("sayso hash-pin: give a PIN of 4 to 8 digits on standard input\n", stderr);
        return 2;
    }
    printf("%s\n", hash);
    return 0;
}

static int command_forget_pin(int argc, char **argv)
{
    const char *config_dir = NULL, *data = "var";
    if (!parse_dirs(argc, argv, &config_dir, &data, "forget-pin"))
        return 2;
    Store *store = open_store(data, "forget-pin");
    if (!store)
        return 1;
    bool ok = store_state_set(store, STAFF_PIN_STATE_KEY, "") &&
              store_state_set(store, STAFF_GUARD_STATE_KEY, "0 0");
    store_close(store);
    fprintf(stderr, ok ? "sayso forget-pin: done; staff choose a new PIN at the next start\n"
                       : "sayso forget-pin: could not change the store\n");
    return ok ? 0 : 1;
}

/* --size WxH, from 320x240 to 8192x8192. strtol, not sscanf's %d, which
 * wraps a number past the int range into it. */
static bool parse_size(const char *value, int *width, int *height)
{
    char *end;
    errno = 0;
    long w = strtol(value, &end, 10);
    if (end == value || *end != 'x' || errno != 0 || w < 320 || w > 8192)
        return false;
    const char *rest = end + 1;
    long h = strtol(rest, &end, 10);
    if (end == rest || errno != 0 || h < 240 || h > 8192)
        return false;
    *width = (int)w;
    *height = (int)h;
    return true;
}

int main(int argc, char **argv)
{
    char root[PATH_MAX];
    file_install_root(root, sizeof root);
    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return command_check(argc - 2, argv + 2, root);
    if (argc > 1 && strcmp(argv[1], "export") == 0)
        return command_export(argc - 2, argv + 2);
    if (argc > 1 && strcmp(argv[1], "sync") == 0)
        return command_sync(argc - 2, argv + 2, root);
    if (argc > 1 && strcmp(argv[1], "status") == 0)
        return command_status(argc - 2, argv + 2);
    if (argc > 1 && strcmp(argv[1], "hash-pin") == 0)
        return command_hash_pin();
    if (argc > 1 && strcmp(argv[1], "forget-pin") == 0)
        return command_forget_pin(argc - 2, argv + 2);

    char config[PATH_MAX + 16];
    snprintf(config, sizeof config, "%s/config", root);
    AppOptions options = {config, "var", root, NULL, ".", false, 1280, 800};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--windowed") == 0) {
            options.windowed = true;
        } else if (strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (value && strcmp(arg, "--config") == 0) {
            options.config_dir = value;
            i++;
        } else if (value && strcmp(arg, "--data") == 0) {
            options.data_dir = value;
            i++;
        } else if (value && strcmp(arg, "--assets") == 0) {
            options.assets_dir = value;
            i++;
        } else if (value && strcmp(arg, "--replay") == 0) {
            options.replay_path = value;
            i++;
        } else if (value && strcmp(arg, "--shots") == 0) {
            options.shots_dir = value;
            i++;
        } else if (value && strcmp(arg, "--size") == 0 &&
                   parse_size(value, &options.width, &options.height)) {
            i++;
        } else {
            fprintf(stderr, "sayso: unknown or incomplete option \"%s\"\n", arg);
            usage(stderr);
            return 2;
        }
    }
    return app_run(&options);
}
