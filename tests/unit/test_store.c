/* Tests the SQLite store of completed responses. The store is the only copy
 * of what people said, so the tests check that a committed response is
 * counted and survives closing and reopening, that the same id can never be
 * stored twice (UNIQUE) and a row that breaks the schema's CHECKs is refused,
 * that the schema version is STORE_SCHEMA_VERSION and a database from a newer
 * program is refused untouched, and that both exports give back exactly what
 * was stored, in commit order: the CSV is parsed back with an RFC 4180 reader
 * (a comment holding a quote, a comma and a newline must round-trip, and a
 * site name holding them raw must be quoted) and the JSON export is parsed
 * with jansson. Every test works in its own mkdtemp folder under /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

static const char SOURCE[] =
    "{\"format\": 1, \"id\": \"ward-survey\", \"version\": 4, \"languages\": [\"en\"],"
    " \"title\": \"Ward\",\n"
    " \"questions\": [\n"
    "  {\"id\": \"fft\", \"type\": \"single\", \"text\": \"How?\", \"picture\": \"star.svg\",\n"
    "   \"options\": [{\"id\": \"good\", \"text\": \"Good\", \"picture\": \"face-good.svg\"},\n"
    "               {\"id\": \"poor\", \"text\": \"Poor\", \"picture\": \"face-poor.svg\"}]},\n"
    "  {\"id\": \"comment\", \"type\": \"text\", \"text\": \"More?\", \"picture\": "
    "\"pencil.svg\"}\n"
    " ]}\n";

#define COMMENT "He said \"no\", then\nleft"
#define SITE "Ward \"A\", north\nwing"

typedef struct {
    char dir[64];   /* the mkdtemp folder */
    char data[128]; /* dir/data, created by store_open */
    Questionnaire *q;
    Store *store;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sayso-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->data, sizeof f->data, "%s/data", f->dir);
    f->q = fixture_questionnaire(SOURCE);
    assert_non_null(f->q);
    char why[256] = "";
    f->store = store_open(f->data, why, sizeof why);
    if (!f->store)
        fail_msg("store_open: %s", why);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_close(f->store);
    questionnaire_destroy(f->q);
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* A response answering fft with option `fft` and, if given, a comment. */
static Response *make_response(const Fixture *f, int fft, const char *comment, const char *site,
                               time_t now)
{
    Session *s = session_create(f->q, "en");
    session_choose(s, fft);
    assert_true(session_next(s));
    if (comment)
        session_set_text(s, comment);
    ResponseContext ctx = {.site = site,
                           .device = "kiosk-2",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = now};
    Response *r = response_build(s, &ctx);
    session_destroy(s);
    assert_non_null(r);
    return r;
}

/* Runs an export into a temporary file and returns its whole content. */
static char *export_text(Store *store, ExportFormat format)
{
    FILE *out = tmpfile();
    assert_non_null(out);
    assert_true(store_export(store, format, out));
    long size = ftell(out);
    assert_true(size >= 0);
    rewind(out);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, out), (size_t)size);
    text[size] = '\0';
    fclose(out);
    return text;
}

/* ---- a small RFC 4180 reader ----------------------------------------- */

enum { MAX_FIELDS = 16, MAX_ROWS = 8 };

typedef struct {
    char *fields[MAX_ROWS][MAX_FIELDS];
    int field_count[MAX_ROWS];
    int rows;
} Csv;

/* Every field must be quoted (as store_export writes them); rows end in
 * CRLF. Fails the test on anything else. */
static void csv_parse(const char *text, Csv *csv)
{
    memset(csv, 0, sizeof *csv);
    const char *p = text;
    while (*p) {
        assert_true(csv->rows < MAX_ROWS);
        int row = csv->rows++;
        for (;;) {
            assert_true(csv->field_count[row] < MAX_FIELDS);
            if (*p != '"')
                fail_msg("unquoted field at byte %td", p - text);
            p++;
            char *field = malloc(strlen(p) + 1);
            assert_non_null(field);
            size_t n = 0;
            for (;;) {
                if (*p == '\0')
                    fail_msg("unterminated quoted field");
                if (*p == '"' && p[1] == '"') {
                    field[n++] = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    field[n++] = *p++;
                }
            }
            field[n] = '\0';
            csv->fields[row][csv->field_count[row]++] = field;
            if (*p == ',') {
                p++;
                continue;
            }
            if (p[0] == '\r' && p[1] == '\n') {
                p += 2;
                break;
            }
            fail_msg("field not followed by a comma or CRLF at byte %td", p - text);
        }
    }
}

static void csv_free(Csv *csv)
{
    for (int r = 0; r < csv->rows; r++)
        for (int i = 0; i < csv->field_count[r]; i++)
            free(csv->fields[r][i]);
}

/* ---- tests ------------------------------------------------------------- */

static void test_open_creates_schema(void **state)
{
    Fixture *f = *state;
    struct stat st;
    assert_int_equal(stat(f->data, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    char db[256];
    snprintf(db, sizeof db, "%s/sayso.db", f->data);
    assert_int_equal(access(db, F_OK), 0);
    assert_int_equal(store_schema_version(f->store), STORE_SCHEMA_VERSION);
    assert_int_equal(store_count(f->store), 0);
}

static void test_commit_and_count(void **state)
{
    Fixture *f = *state;
    Response *a = make_response(f, 0, NULL, "Site", 1700000000);
    Response *b = make_response(f, 1, "ok", "Site", 1700000000);
    assert_true(store_commit(f->store, a));
    assert_int_equal(store_count(f->store), 1);
    assert_true(store_commit(f->store, b));
    assert_int_equal(store_count(f->store), 2);
    response_destroy(a);
    response_destroy(b);
}

static void test_duplicate_id_refused(void **state)
{
    Fixture *f = *state;
    Response *a = make_response(f, 0, NULL, "Site", 1700000000);
    assert_true(store_commit(f->store, a));
    assert_false(store_commit(f->store, a));
    assert_int_equal(store_count(f->store), 1);
    /* a different response under the same id is refused too */
    Response *b = make_response(f, 1, "different", "Other", 1700003600);
    memcpy(b->id, a->id, sizeof b->id);
    assert_false(store_commit(f->store, b));
    assert_int_equal(store_count(f->store), 1);
    /* and the store still works afterwards */
    Response *c = make_response(f, 1, NULL, "Site", 1700000000);
    assert_true(store_commit(f->store, c));
    assert_int_equal(store_count(f->store), 2);
    response_destroy(a);
    response_destroy(b);
    response_destroy(c);
}

static void test_schema_checks_refuse_bad_rows(void **state)
{
    Fixture *f = *state;
    Response *r = make_response(f, 0, NULL, "Site", 1700000000);
    snprintf(r->mode, sizeof r->mode, "robot");
    assert_false(store_commit(f->store, r));
    snprintf(r->mode, sizeof r->mode, "self");
    char *answers = r->answers;
    char not_json[] = "{not json";
    r->answers = not_json;
    assert_false(store_commit(f->store, r));
    r->answers = answers;
    assert_int_equal(store_count(f->store), 0);
    assert_true(store_commit(f->store, r));
    assert_int_equal(store_count(f->store), 1);
    response_destroy(r);
}

static void test_export_csv(void **state)
{
    Fixture *f = *state;
    Response *a = make_response(f, 1, COMMENT, SITE, 1700000000);
    Response *b = make_response(f, 0, NULL, "Plain site", 1700003700);
    assert_true(store_commit(f->store, a));
    assert_true(store_commit(f->store, b));
    char *text = export_text(f->store, EXPORT_CSV);

    /* the header, exactly */
    const char *header = "\"id\",\"questionnaire_id\",\"questionnaire_version\",\"language\","
                         "\"site\",\"device\",\"collection_mode\",\"submitted_at\",\"answers\","
                         "\"venue\",\"event_name\",\"event_session\",\"flags\"\r\n";
    assert_memory_equal(text, header, strlen(header));
    /* raw quoting of the site: quotes doubled, comma and newline kept inside */
    assert_non_null(strstr(text, ",\"Ward \"\"A\"\", north\nwing\","));

    Csv csv;
    csv_parse(text, &csv);
    assert_int_equal(csv.rows, 3);
    for (int r = 0; r < 3; r++)
        assert_int_equal(csv.field_count[r], 13);
    const Response *want[] = {a, b};
    for (int r = 1; r < 3; r++) {
        char **row = csv.fields[r];
        const Response *w = want[r - 1];
        assert_string_equal(row[0], w->id);
        assert_string_equal(row[1], "ward-survey");
        assert_string_equal(row[2], "4");
        assert_string_equal(row[3], "en");
        assert_string_equal(row[4], w->site);
        assert_string_equal(row[5], "kiosk-2");
        assert_string_equal(row[6], "self");
        assert_string_equal(row[7], w->submitted_at);
        assert_string_equal(row[8], w->answers);
        assert_string_equal(row[9], "kiosk");
        assert_string_equal(row[10], "");
        assert_string_equal(row[12], "");
    }
    assert_string_equal(csv.fields[1][4], SITE);
    assert_string_equal(csv.fields[2][7], "2023-11-14T23:00Z");
    /* the comment round-trips through the CSV and the JSON inside it */
    json_error_t error;
    json_t *answers = json_loads(csv.fields[1][8], 0, &error);
    assert_non_null(answers);
    assert_string_equal(json_string_value(json_object_get(answers, "comment")), COMMENT);
    assert_string_equal(json_string_value(json_object_get(answers, "fft")), "poor");
    json_decref(answers);
    answers = json_loads(csv.fields[2][8], 0, &error);
    assert_non_null(answers);
    assert_int_equal(json_object_size(answers), 1);
    json_decref(answers);
    csv_free(&csv);
    free(text);
    response_destroy(a);
    response_destroy(b);
}

static void test_export_json(void **state)
{
    Fixture *f = *state;
    enum { N = 3 };
    Response *r[N];
    for (int i = 0; i < N; i++) {
        r[i] = make_response(f, i % 2, i == 1 ? COMMENT : NULL, SITE, 1700000000 + i * 3600);
        assert_true(store_commit(f->store, r[i]));
    }
    char *text = export_text(f->store, EXPORT_JSON);
    json_error_t error;
    json_t *all = json_loads(text, 0, &error);
    if (!all)
        fail_msg("JSON export does not parse: %s at %d:%d", error.text, error.line, error.column);
    assert_true(json_is_array(all));
    assert_int_equal(json_array_size(all), N);
    for (int i = 0; i < N; i++) {
        json_t *body = json_loads(r[i]->body, 0, &error);
        assert_non_null(body);
        /* in commit order, each exactly the stored body */
        assert_true(json_equal(json_array_get(all, (size_t)i), body));
        json_decref(body);
    }
    json_t *second = json_array_get(all, 1);
    assert_string_equal(json_string_value(json_object_get(second, "id")), r[1]->id);
    assert_string_equal(json_string_value(json_object_get(second, "site")), SITE);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(second, "answers"), "comment")), COMMENT);
    assert_string_equal(json_string_value(json_object_get(second, "submitted_at")),
                        "2023-11-14T23:00Z");
    /* the bodies are written byte for byte */
    for (int i = 0; i < N; i++)
        assert_non_null(strstr(text, r[i]->body));
    json_decref(all);
    free(text);
    for (int i = 0; i < N; i++)
        response_destroy(r[i]);
}

static void test_export_empty(void **state)
{
    Fixture *f = *state;
    char *text = export_text(f->store, EXPORT_JSON);
    json_error_t error;
    json_t *all = json_loads(text, 0, &error);
    assert_non_null(all);
    assert_true(json_is_array(all));
    assert_int_equal(json_array_size(all), 0);
    json_decref(all);
    free(text);
    text = export_text(f->store, EXPORT_CSV);
    Csv csv;
    csv_parse(text, &csv);
    assert_int_equal(csv.rows, 1);
    assert_int_equal(csv.field_count[0], 13);
    assert_string_equal(csv.fields[0][8], "answers");
    assert_string_equal(csv.fields[0][12], "flags");
    csv_free(&csv);
    free(text);
}

static void test_reopen_keeps_data(void **state)
{
    Fixture *f = *state;
    Response *a = make_response(f, 0, COMMENT, "Site", 1700000000);
    Response *b = make_response(f, 1, NULL, "Site", 1700000000);
    assert_true(store_commit(f->store, a));
    assert_true(store_commit(f->store, b));
    store_close(f->store);
    char why[256] = "";
    f->store = store_open(f->data, why, sizeof why);
    if (!f->store)
        fail_msg("reopen: %s", why);
    assert_int_equal(store_count(f->store), 2);
    assert_int_equal(store_schema_version(f->store), STORE_SCHEMA_VERSION);
    /* the id is still taken after reopening */
    assert_false(store_commit(f->store, a));
    assert_int_equal(store_count(f->store), 2);
    char *text = export_text(f->store, EXPORT_JSON);
    const char *first = strstr(text, a->id);
    const char *second = strstr(text, b->id);
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    free(text);
    /* a second connection on the same file (as the sync worker has) sees it */
    Store *other = store_open(f->data, why, sizeof why);
    assert_non_null(other);
    Response *c = make_response(f, 0, NULL, "Site", 1700000000);
    assert_true(store_commit(other, c));
    assert_int_equal(store_count(f->store), 3);
    store_close(other);
    response_destroy(a);
    response_destroy(b);
    response_destroy(c);
}

static void test_newer_schema_refused(void **state)
{
    Fixture *f = *state;
    store_close(f->store);
    f->store = NULL;
    char db_path[256];
    snprintf(db_path, sizeof db_path, "%s/sayso.db", f->data);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    char why[256] = "";
    Store *s = store_open(f->data, why, sizeof why);
    assert_null(s);
    assert_non_null(strstr(why, "newer than this program"));
    /* left as it was */
    assert_int_equal(user_version(db_path), STORE_SCHEMA_VERSION + 1);
}

static void test_migrates_empty_database(void **state)
{
    Fixture *f = *state;
    /* a database file that exists but has never been migrated */
    char dir[192], db_path[256];
    snprintf(dir, sizeof dir, "%s/fresh", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(db_path, sizeof db_path, "%s/sayso.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE unrelated (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(user_version(db_path), 0);
    char why[256] = "";
    Store *s = store_open(dir, why, sizeof why);
    if (!s)
        fail_msg("store_open: %s", why);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    assert_int_equal(store_count(s), 0);
    store_close(s);
    assert_int_equal(user_version(db_path), STORE_SCHEMA_VERSION);
}

static void test_open_failures(void **state)
{
    Fixture *f = *state;
    char why[256] = "";
    /* the data folder's parent does not exist */
    char path[256];
    snprintf(path, sizeof path, "%s/no/such/dir", f->dir);
    assert_null(store_open(path, why, sizeof why));
    assert_non_null(strstr(why, "cannot create data folder"));
    /* the data "folder" is a file */
    snprintf(path, sizeof path, "%s/a-file", f->dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fclose(file);
    why[0] = '\0';
    assert_null(store_open(path, why, sizeof why));
    assert_true(strlen(why) > 0);
    /* a file that is not a database */
    snprintf(path, sizeof path, "%s/garbage", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    char db_path[300];
    snprintf(db_path, sizeof db_path, "%s/sayso.db", path);
    file = fopen(db_path, "w");
    assert_non_null(file);
    for (int i = 0; i < 512; i++)
        fputs("this is not a database ", file);
    fclose(file);
    why[0] = '\0';
    assert_null(store_open(path, why, sizeof why));
    assert_true(strlen(why) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_and_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_id_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_checks_refuse_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_empty_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
