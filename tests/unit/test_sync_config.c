/* Tests the loader of config/sync.json (core/sync_config) and its server
 * address rule. The address rule is what keeps a device token from ever
 * crossing a network in clear, so it is tried with https and loopback
 * addresses that must pass and with the look-alikes that must not (a
 * public address over http, hosts that only start with 127.0.0.1 or
 * localhost, credentials in the URL, other schemes, no host). The loader
 * is checked on a file using every key (relative paths resolved against
 * the file's folder, absolute ones kept, one trailing slash dropped from
 * the server), on each kind of refusal with the position `sayso check`
 * prints, and on the optional file being absent. Sources are parsed from
 * exact-size copies without a NUL so ASan sees reads past the length. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sync_config.h"

/* ---- sync_url_allowed --------------------------------------------------- */

static void assert_url_allowed(const char *url)
{
    char why[200] = "";
    if (!sync_url_allowed(url, why, sizeof why))
        fail_msg("\"%s\" refused: %s", url, why);
}

static void assert_url_refused(const char *url)
{
    char why[200] = "";
    if (sync_url_allowed(url, why, sizeof why))
        fail_msg("\"%s\" allowed", url);
    /* `sayso check` prints the reason; an empty one helps nobody */
    if (strlen(why) == 0)
        fail_msg("\"%s\" refused without a reason", url);
}

static void test_url_https_anywhere(void **state)
{
    (void)state;
    assert_url_allowed("https://host");
    assert_url_allowed("https://host:8443/path");
    assert_url_allowed("https://central.example.nhs.uk/");
    assert_url_allowed("HTTPS://Central.Example.org");
    assert_url_allowed("https://192.0.2.1");
}

static void test_url_http_loopback(void **state)
{
    (void)state;
    assert_url_allowed("http://127.0.0.1:8470");
    assert_url_allowed("http://127.0.0.1:8470/v1/");
    assert_url_allowed("http://127.5.6.7");
    assert_url_allowed("http://127.255.255.255/");
    assert_url_allowed("http://localhost:1");
    assert_url_allowed("http://LOCALHOST");
    assert_url_allowed("http://[::1]:80");
    assert_url_allowed("http://[::1]/v1");
}

static void test_url_http_elsewhere_refused(void **state)
{
    (void)state;
    assert_url_refused("http://192.0.2.1");
    assert_url_refused("http://192.0.2.1:8470/v1");
    assert_url_refused("http://128.0.0.1");
    assert_url_refused("http://10.0.0.127");
    assert_url_refused("http://central.example.org");
    assert_url_refused("http://[::2]:80");
}

static void test_url_lookalikes_refused(void **state)
{
    (void)state;
    assert_url_refused("https://:443");
    assert_url_refused("https://:443/v1");
    assert_url_refused("https://[]");
    assert_url_refused("http://[::1]evil.example");
    assert_url_refused("https://[::1]evil.example/v1");
    assert_url_refused("http://127.0.0.1.evil.example");
    assert_url_refused("http://127.0.0.1.evil.example:8470/");
    assert_url_refused("http://localhost.evil.example");
    assert_url_refused("http://localhostx");
    assert_url_refused("http://evil.example/127.0.0.1");
    assert_url_refused("http://evil.example?localhost");
}

static void test_url_credentials_refused(void **state)
{
    (void)state;
    assert_url_refused("http://user:pw@127.0.0.1");
    assert_url_refused("https://user:pw@central.example.org/");
    /* here the real host is evil.example, whatever comes before the @ */
    assert_url_refused("http://127.0.0.1:80@evil.example");
}

static void test_url_bad_scheme_or_host(void **state)
{
    (void)state;
    assert_url_refused("ftp://x");
    assert_url_refused("");
    assert_url_refused("central.example.org");
    assert_url_refused("https:/host");
    assert_url_refused("https://");
    assert_url_refused("https:///path");
    assert_url_refused("http://");
}

/* ---- sync_config_parse -------------------------------------------------- */

static bool parse(SyncConfig *c, const char *source, const char *base_dir, Diagnostics *diag)
{
    sync_config_defaults(c);
    diag_init(diag);
    size_t length = strlen(source);
    char *copy = malloc(length ? length : 1);
    assert_non_null(copy);
    memcpy(copy, source, length);
    bool ok = sync_config_parse(c, copy, length, base_dir, diag);
    free(copy);
    return ok;
}

/* Parses, expects refusal with a message holding `fragment`, and checks the
 * refusal left sync off (a half-read config must never start sending). */
static void assert_refused(const char *source, const char *fragment)
{
    SyncConfig c;
    Diagnostics diag;
    bool ok = parse(&c, source, "/etc/sayso", &diag);
    if (ok) {
        dump(&diag);
        fail_msg("accepted: %s", source);
    }
    assert_false(c.enabled);
    if (!find_diag(&diag, fragment)) {
        dump(&diag);
        fail_msg("no diagnostic containing \"%s\" for: %s", fragment, source);
    }
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static const char FULL[] = "{\n"
                           "  \"format\": 1,\n"
                           "  \"server\": \"https://central.example.nhs.uk/\",\n"
                           "  \"token_file\": \"secrets/device.token\",\n"
                           "  \"ca_bundle\": \"/usr/local/share/sayso/ca.pem\",\n"
                           "  \"pinned_public_key\": "
                           "\"sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=\",\n"
                           "  \"batch_size\": 250,\n"
                           "  \"interval_seconds\": 120,\n"
                           "  \"timeout_seconds\": 45,\n"
                           "  \"backoff\": {\"base_seconds\": 3, \"cap_seconds\": 900}\n"
                           "}\n";

static void test_parse_full(void **state)
{
    (void)state;
    SyncConfig c;
    Diagnostics diag;
    bool ok = parse(&c, FULL, "/etc/sayso", &diag);
    if (!ok)
        dump(&diag);
    assert_true(ok);
    assert_int_equal(diag.count, 0);
    assert_true(c.enabled);
    assert_string_equal(c.server, "https://central.example.nhs.uk");
    assert_string_equal(c.token_file, "/etc/sayso/secrets/device.token");
    assert_string_equal(c.ca_bundle, "/usr/local/share/sayso/ca.pem");
    assert_string_equal(c.pinned_public_key,
                        "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=");
    assert_int_equal(c.batch_size, 250);
    assert_int_equal(c.interval_seconds, 120);
    assert_int_equal(c.timeout_seconds, 45);
    assert_int_equal(c.backoff_base_seconds, 3);
    assert_int_equal(c.backoff_cap_seconds, 900);
    diag_deinit(&diag);
    sync_config_deinit(&c);
    /* deinit leaves a reusable struct, not dangling pointers */
    assert_null(c.server);
    assert_null(c.token_file);
    assert_false(c.enabled);
}

static void test_parse_paths(void **state)
{
    (void)state;
    SyncConfig c;
    Diagnostics diag;
    assert_true(parse(&c,
                      "{\"format\": 1, \"server\": \"http://127.0.0.1:8470\","
                      " \"token_file\": \"/var/lib/sayso/token\", \"ca_bundle\": \"ca/extra.pem\"}",
                      "config", &diag));
    assert_string_equal(c.token_file, "/var/lib/sayso/token");
    assert_string_equal(c.ca_bundle, "config/ca/extra.pem");
    /* without a trailing slash nothing is cut */
    assert_string_equal(c.server, "http://127.0.0.1:8470");
    assert_null(c.pinned_public_key);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_trailing_slash(void **state)
{
    (void)state;
    SyncConfig c;
    Diagnostics diag;
    assert_true(parse(&c,
                      "{\"format\": 1, \"server\": \"https://central.example.org/sayso/\","
                      " \"token_file\": \"t\"}",
                      "/d", &diag));
    assert_string_equal(c.server, "https://central.example.org/sayso");
    assert_string_equal(c.token_file, "/d/t");
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_defaults_without_server(void **state)
{
    (void)state;
    /* a sync.json with no server is a standalone kiosk: valid, sync off */
    SyncConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1}", "/etc/sayso", &diag));
    assert_false(c.enabled);
    assert_null(c.server);
    assert_int_equal(c.batch_size, 100);
    assert_int_equal(c.interval_seconds, 60);
    assert_int_equal(c.timeout_seconds, 30);
    assert_int_equal(c.backoff_base_seconds, 2);
    assert_int_equal(c.backoff_cap_seconds, 600);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_unknown_key_position(void **state)
{
    (void)state;
    SyncConfig c;
    Diagnostics diag;
    assert_false(parse(&c,
                       "{\n"
                       "  \"format\": 1,\n"
                       "  \"server\": \"https://h\", \"token_file\": \"t\",\n"
                       "    \"batchsize\": 5,\n"
                       "  \"backoff\": {\"base_seconds\": 1, \"cap\": 9}\n"
                       "}\n",
                       "/d", &diag));
    assert_false(c.enabled);
    assert_diag_at(&diag, "unknown key \"batchsize\"", 4, 5);
    assert_diag_at(&diag, "unknown key \"cap\"", 5, 34);
    assert_int_equal(diag.count, 2);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_batch_size_range(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"batch_size\": 0}", "batch_size");
    assert_refused("{\"format\": 1, \"batch_size\": 501}", "batch_size");
    assert_refused("{\"format\": 1, \"batch_size\": -1}", "batch_size");
    assert_refused("{\"format\": 1, \"batch_size\": \"50\"}", "batch_size");
    /* the limits themselves are allowed: 500 is what central takes */
    SyncConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1, \"batch_size\": 500}", "/d", &diag));
    assert_int_equal(c.batch_size, 500);
    diag_deinit(&diag);
    sync_config_deinit(&c);
    assert_true(parse(&c, "{\"format\": 1, \"batch_size\": 1}", "/d", &diag));
    assert_int_equal(c.batch_size, 1);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_bad_pin(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"server\": \"https://h\", \"token_file\": \"t\","
                   " \"pinned_public_key\": \"YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=\"}",
                   "sha256//");
    assert_refused("{\"format\": 1, \"server\": \"https://h\", \"token_file\": \"t\","
                   " \"pinned_public_key\": \"sha1//abc\"}",
                   "sha256//");
}

static void test_parse_server_needs_token(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"server\": \"https://central.example.org\"}", "token_file");
}

static void test_parse_server_refused(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"server\": \"http://192.0.2.1\", \"token_file\": \"t\"}",
                   "https://");
    assert_refused("{\"format\": 1, \"server\": \"http://user:pw@127.0.0.1\", \"token_file\": "
                   "\"t\"}",
                   "password");
}

static void test_parse_cap_below_base(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"backoff\": {\"base_seconds\": 10, \"cap_seconds\": 5}}",
                   "cap_seconds");
    /* against the default cap (600) too */
    assert_refused("{\"format\": 1, \"backoff\": {\"base_seconds\": 700}}", "cap_seconds");
    SyncConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1, \"backoff\": {\"base_seconds\": 7, \"cap_seconds\": 7}}",
                      "/d", &diag));
    assert_int_equal(c.backoff_base_seconds, 7);
    assert_int_equal(c.backoff_cap_seconds, 7);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_parse_not_an_object(void **state)
{
    (void)state;
    assert_refused("[{\"format\": 1}]", "expected an object");
    /* jansson takes only an object or array at the top: a bare string is a syntax error */
    assert_refused("\"https://h\"", "JSON syntax error");
    assert_refused("{\"format\": 1, \"backoff\": [1, 2]}", "expected an object");
    assert_refused("{\"format\": 1, \"server\": ", "JSON syntax error");
}

static void test_parse_format_version(void **state)
{
    (void)state;
    assert_refused("{\"format\": 2, \"server\": \"https://h\", \"token_file\": \"t\"}",
                   "format 2 is not supported");
    assert_refused("{\"server\": \"https://h\", \"token_file\": \"t\"}", "format");
    assert_refused("{\"format\": \"1\"}", "format");
}

static void test_parse_empty_path(void **state)
{
    (void)state;
    assert_refused("{\"format\": 1, \"server\": \"https://h\", \"token_file\": \"\"}", "empty");
}

/* ---- sync_config_load --------------------------------------------------- */

static void test_load_missing_file(void **state)
{
    (void)state;
    SyncConfig c;
    sync_config_defaults(&c);
    Diagnostics diag;
    diag_init(&diag);
    assert_true(sync_config_load(&c, "/nonexistent/sayso/sync.json", &diag));
    assert_false(c.enabled);
    assert_null(c.server);
    assert_int_equal(diag.count, 0);
    diag_deinit(&diag);
    sync_config_deinit(&c);
}

static void test_load_resolves_against_file_folder(void **state)
{
    (void)state;
    char dir[] = "/tmp/sayso-sync-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/sync.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": 1, \"server\": \"https://h/\", \"token_file\": \"device.token\"}\n", f);
    fclose(f);

    SyncConfig c;
    sync_config_defaults(&c);
    Diagnostics diag;
    diag_init(&diag);
    bool ok = sync_config_load(&c, path, &diag);
    if (!ok)
        dump(&diag);
    assert_true(ok);
    assert_true(c.enabled);
    char want[160];
    snprintf(want, sizeof want, "%s/device.token", dir);
    assert_string_equal(c.token_file, want);
    assert_string_equal(c.server, "https://h");
    diag_deinit(&diag);
    sync_config_deinit(&c);

    /* a present but broken file is an error, not "sync off" */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": 1, \"server\": \"https://h\"", f);
    fclose(f);
    sync_config_defaults(&c);
    diag_init(&diag);
    assert_false(sync_config_load(&c, path, &diag));
    assert_false(c.enabled);
    assert_true(diag.count > 0);
    diag_deinit(&diag);
    sync_config_deinit(&c);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_https_anywhere),
        cmocka_unit_test(test_url_http_loopback),
        cmocka_unit_test(test_url_http_elsewhere_refused),
        cmocka_unit_test(test_url_lookalikes_refused),
        cmocka_unit_test(test_url_credentials_refused),
        cmocka_unit_test(test_url_bad_scheme_or_host),
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_parse_paths),
        cmocka_unit_test(test_parse_trailing_slash),
        cmocka_unit_test(test_parse_defaults_without_server),
        cmocka_unit_test(test_parse_unknown_key_position),
        cmocka_unit_test(test_parse_batch_size_range),
        cmocka_unit_test(test_parse_bad_pin),
        cmocka_unit_test(test_parse_server_needs_token),
        cmocka_unit_test(test_parse_server_refused),
        cmocka_unit_test(test_parse_cap_below_base),
        cmocka_unit_test(test_parse_not_an_object),
        cmocka_unit_test(test_parse_format_version),
        cmocka_unit_test(test_parse_empty_path),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_resolves_against_file_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
