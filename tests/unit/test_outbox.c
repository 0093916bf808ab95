/* Tests the sync outbox of the SQLite store: the part of store/store that
 * decides which responses still have to reach central. A response left out
 * of the outbox by mistake is never delivered, and one that stays in it
 * after central acknowledged it is sent forever, so the tests commit five
 * real responses and check that batches come in commit order and respect
 * their size, that marking sent and marking held take responses out (and
 * that held ones come back on release, counted), that ids the store never
 * had change nothing, that the outbox counts agree at each step and survive
 * reopening, that the sync worker's own connection (store_open_sync) reads
 * and marks what the kiosk's commits but cannot save a response, the small
 * sync_state and questionnaire_set tables, and the schema migration: a
 * version 1 database (built here with the sqlite3 API as the first shipped
 * schema) must open as version 2 with its old row waiting to be sent, and a
 * database from a newer program must be refused untouched. Every test works
 * in its own mkdtemp folder under /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"

static const char SOURCE[] =
    "{\"format\": 1, \"id\": \"outbox-test\", \"version\": 2, \"languages\": [\"en\"],"
    " \"title\": \"Outbox\",\n"
    " \"questions\": [\n"
    "  {\"id\": \"happy\", \"type\": \"single\", \"text\": \"Happy?\", \"picture\": "
    "\"question.svg\",\n"
    "   \"options\": [{\"id\": \"yes\", \"text\": \"Yes\", \"picture\": \"yes.svg\"},\n"
    "               {\"id\": \"no\", \"text\": \"No\", \"picture\": \"no.svg\"}]}\n"
    " ]}\n";

enum { N = 5 };

typedef struct {
    char dir[64];   /* the mkdtemp folder */
    char data[128]; /* dir/data, made by store_open */
    Questionnaire *q;
    Store *store;
    Response *r[N]; /* committed in this order */
    const char *ids[N];
} Fixture;

static Response *make_response(const Fixture *f, int option, time_t now)
{
    Session *s = session_create(f->q, "en");
    assert_non_null(s);
    session_choose(s, option);
    ResponseContext ctx = {.site = "Ward 3",
                           .device = "kiosk-7",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = now};
    Response *r = response_build(s, &ctx);
    session_destroy(s);
    assert_non_null(r);
    return r;
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sayso-outbox-XXXXXX");
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

/* The five responses, committed, for tests that start from a full outbox. */
static int setup_committed(void **state)
{
    setup(state);
    Fixture *f = *state;
    for (int i = 0; i < N; i++) {
        f->r[i] = make_response(f, i % 2, 1700000000 + i * 3600);
        f->ids[i] = f->r[i]->id;
        assert_true(store_commit(f->store, f->r[i]));
    }
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_close(f->store);
    for (int i = 0; i < N; i++)
        response_destroy(f->r[i]);
    questionnaire_destroy(f->q);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static void assert_counts(Store *s, int64_t total, int64_t unsent, int64_t held)
{
    StoreOutboxCounts c;
    assert_true(store_outbox_counts(s, &c));
    if (c.total != total || c.unsent != unsent || c.held != held)
        fail_msg("counts total %lld unsent %lld held %lld, expected %lld %lld %lld",
                 (long long)c.total, (long long)c.unsent, (long long)c.held, (long long)total,
                 (long long)unsent, (long long)held);
}

/* Checks that the next batch of up to `max` is exactly responses want[0..n)
 * of the fixture, ids and stored bodies, in that order. */
static void assert_batch(const Fixture *f, size_t max, const int *want, size_t n)
{
    StoreBatch b;
    assert_true(store_outbox_batch(f->store, max, &b));
    if (b.count != n)
        fail_msg("batch of %zu, expected %zu", b.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(b.ids[i], f->r[want[i]]->id);
        /* byte for byte, so a re-send is identical */
        assert_string_equal(b.bodies[i], f->r[want[i]]->body);
    }
    store_batch_free(&b);
    assert_int_equal(b.count, 0);
    assert_null(b.ids);
}

static void test_fresh_store_is_current_and_empty(void **state)
{
    Fixture *f = *state;
    assert_int_equal(store_schema_version(f->store), STORE_SCHEMA_VERSION);
    assert_counts(f->store, 0, 0, 0);
    assert_batch(f, 10, NULL, 0);
}

static void test_batch_commit_order_and_max(void **state)
{
    Fixture *f = *state;
    assert_counts(f->store, N, N, 0);
    assert_batch(f, 10, (const int[]){0, 1, 2, 3, 4}, 5);
    assert_batch(f, 5, (const int[]){0, 1, 2, 3, 4}, 5);
    assert_batch(f, 2, (const int[]){0, 1}, 2);
    assert_batch(f, 1, (const int[]){0}, 1);
    assert_batch(f, 0, NULL, 0);
    /* reading a batch is not sending it */
    assert_counts(f->store, N, N, 0);
}

static void test_mark_sent(void **state)
{
    Fixture *f = *state;
    assert_true(store_mark_sent(f->store, f->ids, 2, "2023-11-15T10:00:00Z"));
    assert_counts(f->store, 5, 3, 0);
    assert_batch(f, 10, (const int[]){2, 3, 4}, 3);
    assert_batch(f, 2, (const int[]){2, 3}, 2);
    /* an acknowledgement seen twice (a re-sent batch) is harmless */
    assert_true(store_mark_sent(f->store, f->ids, 2, "2023-11-15T10:05:00Z"));
    assert_counts(f->store, 5, 3, 0);
    assert_true(store_mark_sent(f->store, f->ids + 2, 3, "2023-11-15T10:06:00Z"));
    assert_counts(f->store, 5, 0, 0);
    assert_batch(f, 10, NULL, 0);
    /* sent responses stay in the database for export */
    assert_int_equal(store_count(f->store), 5);
}

static void test_mark_sent_survives_reopen(void **state)
{
    Fixture *f = *state;
    assert_true(store_mark_sent(f->store, f->ids + 1, 1, "2023-11-15T10:00:00Z"));
    assert_true(store_mark_held(f->store, f->ids + 3, 1, "422: bad answers"));
    store_close(f->store);
    char why[256] = "";
    f->store = store_open(f->data, why, sizeof why);
    if (!f->store)
        fail_msg("reopen: %s", why);
    assert_counts(f->store, 5, 3, 1);
    assert_batch(f, 10, (const int[]){0, 2, 4}, 3);
}

/* The sync worker's own connection (store_open_sync) sees what the kiosk's
 * commits, its marks are seen by the kiosk's, its kept statements see a
 * response committed after they last ran, and it refuses to save a
 * response itself. */
static void test_sync_store(void **state)
{
    Fixture *f = *state;
    char why[256] = "";
    Store *worker = store_open_sync(f->data, why, sizeof why);
    if (!worker)
        fail_msg("store_open_sync: %s", why);
    StoreBatch b;
    assert_true(store_outbox_batch(worker, 2, &b));
    assert_int_equal(b.count, 2);
    assert_string_equal(b.ids[0], f->ids[0]);
    assert_true(store_mark_sent(worker, (const char *const *)b.ids, b.count, "2023-11-15T10:00Z"));
    store_batch_free(&b);
    assert_counts(f->store, N, N - 2, 0);
    assert_true(store_mark_held(worker, f->ids + 2, 1, "422: bad answers"));
    assert_counts(f->store, N, N - 3, 1);

    Response *late = make_response(f, 0, 1700100000);
    assert_true(store_commit(f->store, late));
    assert_true(store_outbox_batch(worker, 10, &b));
    assert_int_equal(b.count, 3);
    assert_string_equal(b.ids[0], f->ids[3]);
    assert_string_equal(b.ids[2], late->id);
    assert_true(store_mark_sent(worker, (const char *const *)b.ids, b.count, "2023-11-15T10:01Z"));
    store_batch_free(&b);
    assert_counts(f->store, N + 1, 0, 1);

    Response *refused = make_response(f, 1, 1700100000);
    assert_false(store_commit(worker, refused));
    assert_int_equal(store_count(f->store), N + 1);
    response_destroy(refused);
    response_destroy(late);
    store_close(worker);
}

static void test_mark_held_and_release(void **state)
{
    Fixture *f = *state;
    assert_true(store_mark_sent(f->store, f->ids, 2, "2023-11-15T10:00:00Z"));
    assert_true(store_mark_held(f->store, f->ids + 2, 1, "422: unknown questionnaire"));
    assert_counts(f->store, 5, 2, 1);
    assert_batch(f, 10, (const int[]){3, 4}, 2);
    assert_batch(f, 1, (const int[]){3}, 1);

    int64_t released = -1;
    assert_true(store_release_held(f->store, &released));
    assert_int_equal(released, 1);
    assert_counts(f->store, 5, 3, 0);
    /* back in its own place in commit order, not at the end */
    assert_batch(f, 10, (const int[]){2, 3, 4}, 3);

    released = -1;
    assert_true(store_release_held(f->store, &released));
    assert_int_equal(released, 0);
    assert_true(store_release_held(f->store, NULL));
}

static void test_hold_skips_sent(void **state)
{
    Fixture *f = *state;
    /* central already has a sent response: holding it must not count it
     * as waiting, nor let a release send it again */
    assert_true(store_mark_sent(f->store, f->ids, 1, "2023-11-15T10:00:00Z"));
    assert_true(store_mark_held(f->store, f->ids, 2, "refused"));
    assert_counts(f->store, 5, 3, 1);
    int64_t released = -1;
    assert_true(store_release_held(f->store, &released));
    assert_int_equal(released, 1);
    assert_counts(f->store, 5, 4, 0);
    assert_batch(f, 10, (const int[]){1, 2, 3, 4}, 4);
}

static void test_release_counts_only_unsent(void **state)
{
    Fixture *f = *state;
    /* held, then acknowledged after all (a late reply to an earlier send):
     * it is delivered, so a release has nothing to put back */
    assert_true(store_mark_held(f->store, f->ids, 1, "422: bad answers"));
    assert_counts(f->store, 5, 4, 1);
    assert_true(store_mark_sent(f->store, f->ids, 1, "2023-11-15T10:00:00Z"));
    assert_counts(f->store, 5, 4, 0);
    int64_t released = -1;
    assert_true(store_release_held(f->store, &released));
    assert_int_equal(released, 0);
    assert_counts(f->store, 5, 4, 0);
    assert_batch(f, 10, (const int[]){1, 2, 3, 4}, 4);
}

static void test_unknown_id_changes_nothing(void **state)
{
    Fixture *f = *state;
    const char *unknown[] = {"ffffffff-ffff-4fff-bfff-ffffffffffff", ""};
    store_mark_sent(f->store, unknown, 2, "2023-11-15T10:00:00Z");
    assert_counts(f->store, 5, 5, 0);
    store_mark_held(f->store, unknown, 2, "refused");
    assert_counts(f->store, 5, 5, 0);
    assert_batch(f, 10, (const int[]){0, 1, 2, 3, 4}, 5);
    /* nothing to do is not an error */
    assert_true(store_mark_sent(f->store, f->ids, 0, "2023-11-15T10:00:00Z"));
    assert_counts(f->store, 5, 5, 0);
}

static void test_state(void **state)
{
    Fixture *f = *state;
    assert_null(store_state_get(f->store, "last_success"));
    assert_true(store_state_set(f->store, "last_success", "2023-11-15T10:00:00Z"));
    assert_true(store_state_set(f->store, "last_error", "timeout"));
    char *v = store_state_get(f->store, "last_success");
    assert_non_null(v);
    assert_string_equal(v, "2023-11-15T10:00:00Z");
    free(v);
    assert_true(store_state_set(f->store, "last_success", "2023-11-16T09:30:00Z"));
    v = store_state_get(f->store, "last_success");
    assert_non_null(v);
    assert_string_equal(v, "2023-11-16T09:30:00Z");
    free(v);
    /* overwriting one key leaves the others */
    v = store_state_get(f->store, "last_error");
    assert_non_null(v);
    assert_string_equal(v, "timeout");
    free(v);
    assert_null(store_state_get(f->store, "last_succes"));
    /* an empty value is a value, not "unset" */
    assert_true(store_state_set(f->store, "last_error", ""));
    v = store_state_get(f->store, "last_error");
    assert_non_null(v);
    assert_string_equal(v, "");
    free(v);
}

static void test_questionnaire_set_round_trip(void **state)
{
    Fixture *f = *state;
    /* a stale pointer left in place would look like a saved set */
    static char stale[] = "stale";
    char *etag = stale, *body = stale;
    assert_true(store_questionnaire_set_load(f->store, &etag, &body));
    assert_null(etag);
    assert_null(body);

    const char *first = "{\"site\":\"Ward\",\"questionnaires\":[{\"id\":\"a\"}]}";
    assert_true(store_questionnaire_set_save(f->store, "\"v1\"", first, "2023-11-15T10:00:00Z"));
    assert_true(store_questionnaire_set_load(f->store, &etag, &body));
    assert_string_equal(etag, "\"v1\"");
    assert_string_equal(body, first);
    free(etag);
    free(body);

    const char *second = "{\"site\":\"Ward\",\"questionnaires\":[]}";
    assert_true(store_questionnaire_set_save(f->store, "\"v2\"", second, "2023-11-16T10:00:00Z"));
    assert_true(store_questionnaire_set_load(f->store, &etag, &body));
    assert_string_equal(etag, "\"v2\"");
    assert_string_equal(body, second);
    free(etag);
    free(body);

    /* a body that is not JSON is refused and the last good set kept */
    assert_false(store_questionnaire_set_save(f->store, "\"v3\"", "{broken", "2023-11-17"));
    assert_true(store_questionnaire_set_load(f->store, &etag, &body));
    assert_string_equal(etag, "\"v2\"");
    assert_string_equal(body, second);
    free(etag);
    free(body);

    /* and it is still there for the next start */
    store_close(f->store);
    char why[256] = "";
    f->store = store_open(f->data, why, sizeof why);
    assert_non_null(f->store);
    assert_true(store_questionnaire_set_load(f->store, &etag, &body));
    assert_string_equal(etag, "\"v2\"");
    free(etag);
    free(body);
}

/* ---- migration ---------------------------------------------------------- */

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

#define V1_ID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
#define V1_BODY                                                                                    \
    "{\"id\":\"" V1_ID "\",\"questionnaire\":\"outbox-test\",\"version\":2,"                       \
    "\"answers\":{\"happy\":\"yes\"}}"

static void test_migrates_v1_database(void **state)
{
    Fixture *f = *state;
    char dir[192], db_path[256];
    snprintf(dir, sizeof dir, "%s/v1", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(db_path, sizeof db_path, "%s/sayso.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    /* the schema a version 1 kiosk shipped with, and one response it saved */
    exec_ok(db, "CREATE TABLE responses ("
                "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                "  id TEXT NOT NULL UNIQUE,"
                "  questionnaire_id TEXT NOT NULL,"
                "  questionnaire_version INTEGER NOT NULL,"
                "  language TEXT NOT NULL,"
                "  site TEXT NOT NULL,"
                "  device TEXT NOT NULL,"
                "  collection_mode TEXT NOT NULL CHECK (collection_mode IN "
                "('self','assisted','paper')),"
                "  submitted_at TEXT NOT NULL,"
                "  answers TEXT NOT NULL CHECK (json_valid(answers)),"
                "  body TEXT NOT NULL CHECK (json_valid(body))"
                ");");
    exec_ok(db, "INSERT INTO responses (id, questionnaire_id, questionnaire_version, language, "
                "site, device, collection_mode, submitted_at, answers, body) VALUES ('" V1_ID
                "', 'outbox-test', 2, 'en', 'Ward 3', 'kiosk-7', 'self', '2023-11-14T22:00Z', "
                "'{\"happy\":\"yes\"}', '" V1_BODY "')");
    exec_ok(db, "PRAGMA user_version = 1");
    sqlite3_close(db);
    assert_int_equal(user_version(db_path), 1);

    char why[256] = "";
    Store *s = store_open(dir, why, sizeof why);
    if (!s)
        fail_msg("store_open of a v1 database: %s", why);
    assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
    assert_int_equal(store_count(s), 1);
    /* collected before sync existed, so it has never been sent */
    StoreOutboxCounts c;
    assert_true(store_outbox_counts(s, &c));
    assert_int_equal(c.total, 1);
    assert_int_equal(c.unsent, 1);
    assert_int_equal(c.held, 0);
    StoreBatch b;
    assert_true(store_outbox_batch(s, 10, &b));
    assert_int_equal(b.count, 1);
    assert_string_equal(b.ids[0], V1_ID);
    assert_string_equal(b.bodies[0], V1_BODY);
    store_batch_free(&b);
    /* the tables v2 added are usable */
    assert_true(store_state_set(s, "k", "v"));
    char *etag = NULL, *body = NULL;
    assert_true(store_questionnaire_set_load(s, &etag, &body));
    assert_null(etag);
    /* and new responses go in after the old one */
    f->r[0] = make_response(f, 0, 1700000000);
    assert_true(store_commit(s, f->r[0]));
    assert_true(store_outbox_batch(s, 10, &b));
    assert_int_equal(b.count, 2);
    assert_string_equal(b.ids[0], V1_ID);
    assert_string_equal(b.ids[1], f->r[0]->id);
    store_batch_free(&b);
    /* v3: the old row was a kiosk response with no flags */
    sqlite3 *check = NULL;
    assert_int_equal(sqlite3_open(db_path, &check), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(check,
                                        "SELECT venue, flags, event_name IS NULL FROM responses "
                                        "WHERE id = '" V1_ID "'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "kiosk");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "");
    assert_int_equal(sqlite3_column_int(st, 2), 1);
    sqlite3_finalize(st);
    sqlite3_close(check);
    store_close(s);
    assert_int_equal(user_version(db_path), STORE_SCHEMA_VERSION);
}

static void test_newer_database_refused(void **state)
{
    Fixture *f = *state;
    char dir[192], db_path[256];
    snprintf(dir, sizeof dir, "%s/v99", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(db_path, sizeof db_path, "%s/sayso.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    exec_ok(db, "CREATE TABLE future (x)");
    exec_ok(db, "PRAGMA user_version = 99");
    sqlite3_close(db);

    char why[256] = "";
    Store *s = store_open(dir, why, sizeof why);
    if (s) {
        store_close(s);
        fail_msg("a version 99 database was opened");
    }
    assert_true(strlen(why) > 0);
    assert_non_null(strstr(why, "99"));
    assert_int_equal(user_version(db_path), 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_store_is_current_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_commit_order_and_max, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_mark_sent, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_mark_sent_survives_reopen, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_mark_held_and_release, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_sync_store, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_hold_skips_sent, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_release_counts_only_unsent, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_id_changes_nothing, setup_committed, teardown),
        cmocka_unit_test_setup_teardown(test_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_questionnaire_set_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_v1_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_database_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
