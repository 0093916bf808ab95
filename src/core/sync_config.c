/* sync_config: loader for config/sync.json. It refuses plain http to
 * anything but loopback here, at load time, so a mistyped URL is reported
 * by `sayso check` before a token could ever cross a network in clear. */
#include "core/sync_config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/file.h"
#include "core/json_check.h"
#include "core/mem.h"

static const char *const KEYS[] = {
    "format",     "server",           "token_file",      "ca_bundle", "pinned_public_key",
    "batch_size", "interval_seconds", "timeout_seconds", "backoff",   NULL};
static const char *const BACKOFF_KEYS[] = {"base_seconds", "cap_seconds", NULL};

enum { SYNC_FILE_MAX_BYTES = 64 * 1024 };

void sync_config_defaults(SyncConfig *c)
{
    *c = (SyncConfig){
        .batch_size = 100,
        .interval_seconds = 60,
        .timeout_seconds = 30,
        .backoff_base_seconds = 2,
        .backoff_cap_seconds = 600,
    };
}

void sync_config_deinit(SyncConfig *c)
{
    free(c->server);
    free(c->token_file);
    free(c->ca_bundle);
    free(c->pinned_public_key);
    sync_config_defaults(c);
}

static bool host_is_loopback(const char *host, size_t length)
{
    char buf[256];
    if (length == 0 || length >= sizeof buf)
        return false;
    memcpy(buf, host, length);
    buf[length] = '\0';
    if (strcasecmp(buf, "localhost") == 0)
        return true;
    struct in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    return strcmp(buf, "[::1]") == 0;
}

bool sync_url_allowed(const char *url, char *why, size_t why_size)
{
    const char *rest;
    if (strncasecmp(url, "https://", 8) == 0)
        rest = url + 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        rest = url + 7;
    else {
        snprintf(why, why_size, "the server address must start with https://");
        return false;
    }
    size_t host_len = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', host_len);
    if (at) {
        snprintf(why, why_size, "the server address must not carry a user name or password");
        return false;
    }
    /* Split host and port, minding IPv6 brackets; anything after "]" other
     * than ":port" makes the address malformed. */
    size_t name_len = host_len;
    bool well_formed = true;
    if (host_len && rest[0] == '[') {
        const char *close = memchr(rest, ']', host_len);
        name_len = close ? (size_t)(close - rest) + 1 : host_len;
        well_formed = close && (name_len == host_len || rest[name_len] == ':');
    } else {
        const char *colon = memchr(rest, ':', host_len);
        if (colon)
            name_len = (size_t)(colon - rest);
    }
    if (name_len == 0 || (rest[0] == '[' && name_len <= 2)) {
        snprintf(why, why_size, "the server address has no host name");
        return false;
    }
    if (!well_formed) {
        snprintf(why, why_size, "the server address is not a valid URL");
        return false;
    }
    if (rest == url + 8)
        return true;
    if (host_is_loopback(rest, name_len))
        return true;
    snprintf(why, why_size,
             "plain http is allowed only to this machine (127.0.0.1, localhost); use https://");
    return false;
}

static void set_path(JsonCheck *chk, json_t *root, const char *key, const char *base_dir,
                     char **out)
{
    const char *value = NULL;
    if (!json_check_string(chk, root, "", key, false, &value) || !value)
        return;
    if (!*value) {
        json_check_report(chk, key, JSON_LOCATE_VALUE, "\"%s\" is empty", key);
        return;
    }
    free(*out);
    if (value[0] == '/' || !base_dir)
        *out = mem_strdup(value);
    else {
        size_t n = strlen(base_dir) + strlen(value) + 2;
        *out = mem_alloc(n);
        snprintf(*out, n, "%s/%s", base_dir, value);
    }
}

static void set_int(JsonCheck *chk, json_t *obj, const char *path, const char *key, long min,
                    long max, int *out)
{
    long value = *out;
    if (json_check_int(chk, obj, path, key, false, min, max, &value))
        *out = (int)value;
}

bool sync_config_parse(SyncConfig *c, const char *source, size_t length, const char *base_dir,
                       Diagnostics *diag)
{
    size_t before = diag->count;
    JsonCheck chk = {source, length, diag, NULL, 0};
    json_t *root = json_check_document(&chk, KEYS, 1);
    if (!root)
        return false;
    const char *server = NULL;
    if (json_check_string(&chk, root, "", "server", false, &server) && server) {
        char why[160];
        if (!sync_url_allowed(server, why, sizeof why))
            json_check_report(&chk, "server", JSON_LOCATE_VALUE, "%s", why);
        else {
            free(c->server);
            /* One trailing slash is common in pasted URLs; paths are added to it. */
            size_t n = strlen(server);
            c->server = mem_strndup(server, n > 8 && server[n - 1] == '/' ? n - 1 : n);
            c->enabled = true;
        }
    }
    set_path(&chk, root, "token_file", base_dir, &c->token_file);
    set_path(&chk, root, "ca_bundle", base_dir, &c->ca_bundle);
    const char *pin = NULL;
    if (json_check_string(&chk, root, "", "pinned_public_key", false, &pin) && pin) {
        if (strncmp(pin, "sha256//", 8) != 0)
            json_check_report(&chk, "pinned_public_key", JSON_LOCATE_VALUE,
                              "a pin looks like \"sha256//<base64>\" (docs/protocol.md)");
        else {
            free(c->pinned_public_key);
            c->pinned_public_key = mem_strdup(pin);
        }
    }
    set_int(&chk, root, "", "batch_size", 1, 500, &c->batch_size);
    set_int(&chk, root, "", "interval_seconds", 5, 86400, &c->interval_seconds);
    set_int(&chk, root, "", "timeout_seconds", 1, 600, &c->timeout_seconds);
    json_t *backoff = json_object_get(root, "backoff");
    if (backoff && json_check_object(&chk, backoff, "backoff")) {
        json_check_keys(&chk, backoff, "backoff", BACKOFF_KEYS);
        set_int(&chk, backoff, "backoff", "base_seconds", 1, 3600, &c->backoff_base_seconds);
        set_int(&chk, backoff, "backoff", "cap_seconds", 1, 86400, &c->backoff_cap_seconds);
        if (c->backoff_cap_seconds < c->backoff_base_seconds)
            json_check_report(&chk, "backoff/cap_seconds", JSON_LOCATE_VALUE,
                              "cap_seconds must be at least base_seconds");
    }
    if (c->enabled && !c->token_file)
        json_check_report(&chk, "server", JSON_LOCATE_KEY,
                          "a server needs a \"token_file\" holding this device's token");
    json_decref(root);
    if (diag->count != before) {
        c->enabled = false;
        return false;
    }
    return true;
}

bool sync_config_load(SyncConfig *c, const char *path, Diagnostics *diag)
{
    if (!file_exists(path))
        return true;
    char why[256];
    size_t length = 0;
    char *source = file_read(path, SYNC_FILE_MAX_BYTES, &length, why, sizeof why);
    if (!source) {
        diag_add(diag, 0, 0, "%s", why);
        return false;
    }
    char dir[4096];
    file_dirname(path, dir, sizeof dir);
    bool ok = sync_config_parse(c, source, length, dir, diag);
    free(source);
    return ok;
}
