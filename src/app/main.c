/* main: the command line. `sayso` runs the kiosk; `sayso check FILE...`
 * validates questionnaires and device configs; `sayso export` writes every
 * stored response. Paths default to the folder the program was built or
 * installed in, so `build/sayso` works from anywhere. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/device_config.h"
#include "core/file.h"
#include "core/questionnaire.h"
#include "store/store.h"
#include "ui/app.h"

static void usage(FILE *out)
{
    fputs("usage:\n"
          "  sayso [--config DIR] [--data DIR] [--assets DIR] [--windowed] [--size WxH]\n"
          "        [--replay FILE [--shots DIR]]\n"
          "  sayso check FILE...             validate questionnaires and device.json\n"
          "  sayso export --format csv|json [--data DIR]\n"
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

/* The folder holding fonts/: the binary's folder or up to two above it. */
static void find_install_root(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    snprintf(out, size, ".");
    if (n <= 0)
        return;
    exe[n] = '\0';
    char dir[PATH_MAX];
    file_dirname(exe, dir, sizeof dir);
    for (int up = 0; up < 3; up++) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/fonts/AtkinsonHyperlegible-Regular.ttf", dir);
        if (file_exists(probe)) {
            snprintf(out, size, "%s", dir);
            return;
        }
        char parent[PATH_MAX];
        file_dirname(dir, parent, sizeof parent);
        snprintf(dir, sizeof dir, "%s", parent);
    }
}

static bool is_device_config(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "device.json") == 0;
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
        if (is_device_config(argv[i])) {
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
    char why[512];
    Store *store = store_open(data, why, sizeof why);
    if (!store) {
        fprintf(stderr, "sayso export: %s\n", why);
        return 1;
    }
    bool ok = store_export(store, strcmp(format, "csv") == 0 ? EXPORT_CSV : EXPORT_JSON, stdout);
    store_close(store);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    char root[PATH_MAX];
    find_install_root(root, sizeof root);
    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return command_check(argc - 2, argv + 2, root);
    if (argc > 1 && strcmp(argv[1], "export") == 0)
        return command_export(argc - 2, argv + 2);

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
                   sscanf(value, "%dx%d", &options.width, &options.height) == 2 &&
                   options.width >= 320 && options.height >= 240 && options.width <= 8192 &&
                   options.height <= 8192) {
            i++;
        } else {
            fprintf(stderr, "sayso: unknown or incomplete option \"%s\"\n", arg);
            usage(stderr);
            return 2;
        }
    }
    return app_run(&options);
}
