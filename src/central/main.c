/* main: the sayso-central command line. With no command it serves the HTTP
 * API until SIGINT/SIGTERM; the other commands manage devices, publish
 * questionnaires, export and list what staff should review, working
 * directly on the same database (so they also work while the server runs:
 * SQLite's WAL and PostgreSQL both allow it). */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central/http.h"
#include "central/repo.h"
#include "central/token.h"
#include "core/diag.h"
#include "core/file.h"
#include "core/log.h"
#include "core/questionnaire.h"

enum {
    DEFAULT_PORT = 8470,
    DEFAULT_MAX_BODY = 8 << 20,
    DEFAULT_IDLE_TIMEOUT = 10,
    DEFAULT_REQUEST_TIMEOUT = 60,
    DEFAULT_MAX_CONNECTIONS = 512,
    TLS_FILE_MAX = 64 * 1024,
    MAX_ARGS = 16
};

typedef struct {
    const char *data;
    const char *db;
    const char *listen;
    const char *port_file;
    const char *tls_cert;
    const char *tls_key;
    const char *site;
    const char *format;
    const char *from;
    const char *to;
    unsigned port;
    size_t max_body;
    unsigned idle_timeout;
    unsigned request_timeout;
    unsigned max_connections;
    const char *words[MAX_ARGS]; /* the command and its operands */
    int word_count;
} Args;

static void usage(FILE *out)
{
    fputs("usage: sayso-central [--data DIR | --db postgresql://...] [COMMAND]\n"
          "\n"
          "  (no command)                         serve the HTTP API (docs/protocol.md)\n"
          "      [--listen ADDR] [--port N] [--port-file FILE] [--max-body BYTES]\n"
          "      [--idle-timeout S] [--request-timeout S] [--max-connections N]\n"
          "      [--tls-cert FILE --tls-key FILE]\n"
          "  device add NAME --site SITE          register a device; prints its token once\n"
          "  device list\n"
          "  device revoke NAME\n"
          "  admin add NAME                       a token for exports\n"
          "  questionnaire publish FILE --site SITE\n"
          "  questionnaire withdraw ID --site SITE\n"
          "  export --format csv|json [--site S] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
          "  conflicts                            responses that re-used an id\n"
          "  flagged [--site SITE]                responses a kiosk flagged for staff\n"
          "\n"
          "  --data DIR   SQLite storage folder (default: ./var/central)\n"
          "  --db URL     PostgreSQL instead of SQLite\n"
          "  --listen     address to listen on (default 127.0.0.1)\n"
          "  --port       TCP port (default 8470; 0 picks a free one)\n"
          "  --idle-timeout     close a connection silent this long (default 10 s)\n"
          "  --request-timeout  a request body must arrive within (default 60 s)\n"
          "  --max-connections  open connections at most (default 512)\n",
          out);
}

static bool parse_number(const char *text, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (!*text || *end || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_args(int argc, char **argv, Args *a)
{
    *a = (Args){.port = DEFAULT_PORT,
                .max_body = DEFAULT_MAX_BODY,
                .idle_timeout = DEFAULT_IDLE_TIMEOUT,
                .request_timeout = DEFAULT_REQUEST_TIMEOUT,
                .max_connections = DEFAULT_MAX_CONNECTIONS};
    static const char *const VALUED[] = {"--data",           "--db",
                                         "--listen",         "--port-file",
                                         "--tls-cert",       "--tls-key",
                                         "--site",           "--format",
                                         "--from",           "--to",
                                         "--port",           "--max-body",
                                         "--idle-timeout",   "--request-timeout",
                                         "--max-connections"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (a->word_count == MAX_ARGS) {
                fprintf(stderr, "sayso-central: too many arguments\n");
                return false;
            }
            a->words[a->word_count++] = arg;
            continue;
        }
        size_t k = 0;
        while (k < sizeof VALUED / sizeof VALUED[0] && strcmp(arg, VALUED[k]) != 0)
            k++;
        if (k == sizeof VALUED / sizeof VALUED[0]) {
            fprintf(stderr, "sayso-central: unknown option %s\n", arg);
            return false;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "sayso-central: %s needs a value\n", arg);
            return false;
        }
        const char *v = argv[++i];
        const char **slots[] = {&a->data,    &a->db,   &a->listen, &a->port_file, &a->tls_cert,
                                &a->tls_key, &a->site, &a->format, &a->from,      &a->to};
        unsigned long n;
        if (k < sizeof slots / sizeof slots[0]) {
            *slots[k] = v;
            continue;
        }
        /* The numeric options, in VALUED's order after the text ones. */
        static const unsigned long LIMITS[][2] = {
            {0, 65535}, {1024, 1UL << 30}, {1, 3600}, {1, 3600}, {1, 100000}};
        const unsigned long *limit = LIMITS[k - sizeof slots / sizeof slots[0]];
        if (!parse_number(v, limit[1], &n) || n < limit[0]) {
            fprintf(stderr, "sayso-central: %s \"%s\" is not %lu..%lu\n", arg, v, limit[0],
                    limit[1]);
            return false;
        }
        if (strcmp(arg, "--port") == 0)
            a->port = (unsigned)n;
        else if (strcmp(arg, "--max-body") == 0)
            a->max_body = n;
        else if (strcmp(arg, "--idle-timeout") == 0)
            a->idle_timeout = (unsigned)n;
        else if (strcmp(arg, "--request-timeout") == 0)
            a->request_timeout = (unsigned)n;
        else
            a->max_connections = (unsigned)n;
    }
    if (a->data && a->db) {
        fprintf(stderr, "sayso-central: give --data or --db, not both\n");
        return false;
    }
    return true;
}

static bool is(const Args *a, int index, const char *word)
{
    return a->word_count > index && strcmp(a->words[index], word) == 0;
}

static bool need_site(const Args *a, const char *command)
{
    if (a->site && *a->site)
        return true;
    fprintf(stderr, "sayso-central: %s needs --site SITE\n", command);
    return false;
}

static bool name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static int command_add(Repo *repo, const Args *a, Role role)
{
    const char *name = a->words[2];
    if (!name_valid(name)) {
        fprintf(stderr, "sayso-central: a name is 1..100 of letters, digits, '-', '_', '.'\n");
        return 2;
    }
    if (role == ROLE_DEVICE && !need_site(a, "device add"))
        return 2;
    char token[TOKEN_TEXT_SIZE], why[256];
    if (!repo_device_add(repo, name, role == ROLE_ADMIN ? "*" : a->site, role, token, why,
                         sizeof why)) {
        fprintf(stderr, "sayso-central: %s\n", why);
        return 1;
    }
    /* The only time the token exists in clear: it goes to stdout alone so a
     * script can write it straight into the device's token file. */
    printf("%s\n", token);
    fprintf(stderr,
            "sayso-central: %s \"%s\" added; keep the token above secret, it is not "
            "stored and cannot be shown again\n",
            role == ROLE_ADMIN ? "admin" : "device", name);
    return 0;
}

static int command_publish(Repo *repo, const Args *a, const char *root)
{
    if (!need_site(a, "questionnaire publish"))
        return 2;
    const char *path = a->words[2];
    char why[512], pictures[PATH_MAX + 32];
    size_t length = 0;
    char *text = file_read(path, QUESTIONNAIRE_MAX_BYTES, &length, why, sizeof why);
    if (!text) {
        fprintf(stderr, "%s: %s\n", path, why);
        return 1;
    }
    /* Devices only have the shipped pictures, so a published questionnaire
     * may use only those: the folder next to the file is not searched. */
    snprintf(pictures, sizeof pictures, "%s/assets/pictures", root);
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_parse(text, length, pictures, pictures, &diag);
    int status = 1;
    if (!q || diag.count) {
        diag_print(&diag, path, stderr);
        fprintf(stderr, "sayso-central: %s not published\n", path);
    } else if (!repo_publish(repo, a->site, q->id, q->version, text, why, sizeof why)) {
        fprintf(stderr, "sayso-central: cannot publish: %s\n", why);
    } else {
        fprintf(stderr, "sayso-central: published %s version %ld to %s\n", q->id, q->version,
                a->site);
        status = 0;
    }
    questionnaire_destroy(q);
    diag_deinit(&diag);
    free(text);
    return status;
}

static int command_export(Repo *repo, const Args *a)
{
    CentralExportFormat f;
    if (a->format && strcmp(a->format, "csv") == 0)
        f = CENTRAL_EXPORT_CSV;
    else if (a->format && strcmp(a->format, "json") == 0)
        f = CENTRAL_EXPORT_JSON;
    else {
        fprintf(stderr, "sayso-central: export needs --format csv or --format json\n");
        return 2;
    }
    ExportQuery q = {a->site, a->from, a->to};
    char why[256];
    if (!repo_export(repo, &q, f, stdout, why, sizeof why)) {
        fprintf(stderr, "sayso-central: export failed: %s\n", why);
        return 1;
    }
    return 0;
}

static bool write_port_file(const char *path, unsigned port)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    fprintf(f, "%u\n", port);
    return fclose(f) == 0 && rename(tmp, path) == 0;
}

static int command_serve(Repo *repo, const Args *a)
{
    char why[256];
    char *cert = NULL, *key = NULL;
    int status = 1;
    Server *server = NULL;
    if (!!a->tls_cert != !!a->tls_key) {
        fprintf(stderr, "sayso-central: --tls-cert and --tls-key go together\n");
        return 2;
    }
    size_t length;
    if (a->tls_cert && (!(cert = file_read(a->tls_cert, TLS_FILE_MAX, &length, why, sizeof why)) ||
                        !(key = file_read(a->tls_key, TLS_FILE_MAX, &length, why, sizeof why)))) {
        fprintf(stderr, "sayso-central: TLS files: %s\n", why);
        goto done;
    }
    /* Block the stop signals before any thread starts so only sigwait
     * below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    (void)signal(SIGPIPE, SIG_IGN); /* cannot fail for SIGPIPE */
    HttpOptions options = {.listen_address = a->listen,
                           .port = a->port,
                           .max_body_bytes = a->max_body,
                           .threads = 4,
                           .tls_cert_pem = cert,
                           .tls_key_pem = key,
                           .idle_timeout_seconds = a->idle_timeout,
                           .request_timeout_seconds = a->request_timeout,
                           .max_connections = a->max_connections};
    server = http_start(&options, repo, why, sizeof why);
    if (!server) {
        fprintf(stderr, "sayso-central: %s\n", why);
        goto done;
    }
    if (a->port_file && !write_port_file(a->port_file, http_port(server))) {
        fprintf(stderr, "sayso-central: cannot write %s\n", a->port_file);
        goto done;
    }
    log_info("central", "serving %s://%s:%u/v1/ on %s storage", cert ? "https" : "http",
             a->listen ? a->listen : "127.0.0.1", http_port(server), repo_kind(repo));
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("central", "stopping (signal %d)", sig);
    status = 0;
done:
    http_stop(server);
    free(cert);
    free(key);
    return status;
}

int main(int argc, char **argv)
{
    Args a;
    if (!parse_args(argc, argv, &a)) {
        usage(stderr);
        return 2;
    }
    if (!token_init()) {
        fprintf(stderr, "sayso-central: libsodium failed to start\n");
        return 1;
    }
    char root[PATH_MAX];
    file_install_root(root, sizeof root);
    const char *where = a.db ? a.db : a.data ? a.data : "var/central";
    bool serve = a.word_count == 0;
    bool known = serve || (is(&a, 0, "device") && is(&a, 1, "add") && a.word_count == 3) ||
                 (is(&a, 0, "device") && is(&a, 1, "list") && a.word_count == 2) ||
                 (is(&a, 0, "device") && is(&a, 1, "revoke") && a.word_count == 3) ||
                 (is(&a, 0, "admin") && is(&a, 1, "add") && a.word_count == 3) ||
                 (is(&a, 0, "questionnaire") && is(&a, 1, "publish") && a.word_count == 3) ||
                 (is(&a, 0, "questionnaire") && is(&a, 1, "withdraw") && a.word_count == 3) ||
                 (is(&a, 0, "export") && a.word_count == 1) ||
                 (is(&a, 0, "conflicts") && a.word_count == 1) ||
                 (is(&a, 0, "flagged") && a.word_count == 1);
    if (!known) {
        fprintf(stderr, "sayso-central: unknown command\n");
        usage(stderr);
        return 2;
    }
    char why[512];
    Repo *repo = repo_open(where, why, sizeof why);
    if (!repo) {
        fprintf(stderr, "sayso-central: cannot open storage: %s\n", why);
        return 1;
    }
    int status = 0;
    bool found = false;
    if (serve)
        status = command_serve(repo, &a);
    else if (is(&a, 0, "device") && is(&a, 1, "add"))
        status = command_add(repo, &a, ROLE_DEVICE);
    else if (is(&a, 0, "admin"))
        status = command_add(repo, &a, ROLE_ADMIN);
    else if (is(&a, 0, "device") && is(&a, 1, "list"))
        status = repo_device_list(repo, stdout) ? 0 : 1;
    else if (is(&a, 0, "device") && is(&a, 1, "revoke")) {
        if (!repo_device_revoke(repo, a.words[2], &found, why, sizeof why)) {
            fprintf(stderr, "sayso-central: %s\n", why);
            status = 1;
        } else if (!found) {
            fprintf(stderr, "sayso-central: no active device named \"%s\"\n", a.words[2]);
            status = 1;
        } else
            fprintf(stderr, "sayso-central: \"%s\" revoked; its token no longer works\n",
                    a.words[2]);
    } else if (is(&a, 1, "publish"))
        status = command_publish(repo, &a, root);
    else if (is(&a, 1, "withdraw")) {
        if (!need_site(&a, "questionnaire withdraw"))
            status = 2;
        else if (!repo_withdraw(repo, a.site, a.words[2], &found, why, sizeof why) || !found) {
            fprintf(stderr, "sayso-central: %s\n", found ? why : "no such questionnaire there");
            status = 1;
        }
    } else if (is(&a, 0, "export"))
        status = command_export(repo, &a);
    else if (is(&a, 0, "flagged"))
        status = repo_flagged(repo, a.site, stdout) ? 0 : 1;
    else
        status = repo_conflicts(repo, stdout) ? 0 : 1;
    repo_close(repo);
    return status;
}
