/* store: SQLite persistence for responses. Every statement used on the hot
 * path is prepared once at open; commits are single transactions so a power
 * cut leaves either the whole response or none of it. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/mem.h"

struct Store {
    sqlite3 *db;
    sqlite3_stmt *insert;
    /* The sync worker's statements, prepared on first use and kept: a
     * backlog drain runs them once per batch. */
    sqlite3_stmt *outbox, *mark_sent, *mark_held;
    bool bookkeeping_only; /* store_open_sync: never commits responses */
    char *data_dir;
    int failed_code; /* SQLite's primary code of the last failed exec, or 0 */
};

/* Each entry moves the schema from version i to i+1. Never edit one that has
 * shipped: add a new entry. */
static const char *const MIGRATIONS[] = {
    "CREATE TABLE responses ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  id TEXT NOT NULL UNIQUE,"
    "  questionnaire_id TEXT NOT NULL,"
    "  questionnaire_version INTEGER NOT NULL,"
    "  language TEXT NOT NULL,"
    "  site TEXT NOT NULL,"
    "  device TEXT NOT NULL,"
    "  collection_mode TEXT NOT NULL CHECK (collection_mode IN ('self','assisted','paper')),"
    "  submitted_at TEXT NOT NULL,"
    "  answers TEXT NOT NULL CHECK (json_valid(answers)),"
    "  body TEXT NOT NULL CHECK (json_valid(body))"
    ");",
    /* v2: the sync outbox. A response is unsent until central acknowledges
     * it (sent_at); one central refused is held with the reason, never
     * deleted. sync_state keeps what `sayso status` shows; questionnaire_set
     * the last good set fetched from central. */
    "ALTER TABLE responses ADD COLUMN sent_at TEXT;"
    "ALTER TABLE responses ADD COLUMN held_reason TEXT;"
    "CREATE INDEX responses_outbox ON responses(seq) WHERE sent_at IS NULL AND held_reason IS NULL;"
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE questionnaire_set ("
    "  only INTEGER PRIMARY KEY CHECK (only = 1),"
    "  etag TEXT NOT NULL,"
    "  body TEXT NOT NULL CHECK (json_valid(body)),"
    "  fetched_at TEXT NOT NULL"
    ");",
    /* v3: where the response was collected (a ward kiosk, a named event and
     * session, a staff survey) and why staff should look at it. Earlier
     * rows were all from a kiosk, with no flags. */
    "ALTER TABLE responses ADD COLUMN venue TEXT NOT NULL DEFAULT 'kiosk';"
    "ALTER TABLE responses ADD COLUMN event_name TEXT;"
    "ALTER TABLE responses ADD COLUMN event_session TEXT;"
    "ALTER TABLE responses ADD COLUMN flags TEXT NOT NULL DEFAULT '';",
};

enum { MIGRATION_COUNT = sizeof MIGRATIONS / sizeof MIGRATIONS[0] };
_Static_assert((int)MIGRATION_COUNT == (int)STORE_SCHEMA_VERSION,
               "one migration per schema version");

static bool exec(Store *s, const char *sql, char *why, size_t why_size)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
    s->failed_code = sqlite3_errcode(s->db) & 0xff;
    snprintf(why, why_size, "%s", err ? err : sqlite3_errmsg(s->db));
    sqlite3_free(err);
    return false;
}

int store_schema_version(Store *s)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

static bool migrate(Store *s, char *why, size_t why_size)
{
    int version = store_schema_version(s);
    if (version < 0) {
        snprintf(why, why_size, "cannot read schema version: %s", sqlite3_errmsg(s->db));
        return false;
    }
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(why, why_size,
                 "database schema %d is newer than this program (%d); refusing to touch it",
                 version, STORE_SCHEMA_VERSION);
        return false;
    }
    for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (!exec(s, "BEGIN IMMEDIATE", why, why_size))
            return false;
        if (!exec(s, MIGRATIONS[v], why, why_size) || !exec(s, sql, why, why_size)) {
            char ignored[64];
            exec(s, "ROLLBACK", ignored, sizeof ignored);
            return false;
        }
        if (!exec(s, "COMMIT", why, why_size))
            return false;
        log_info("store", "migrated schema to version %d", v + 1);
    }
    return true;
}

/* Opens (creating if needed) and migrates; on failure *code is SQLite's
 * primary result code, or 0 when SQLite was not the one that failed. */
static Store *open_database(const char *data_dir, int *code, char *why, size_t why_size)
{
    Store *s = mem_alloc(sizeof *s);
    s->data_dir = mem_strdup(data_dir);
    *code = 0;
    char path[4096];
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(why, why_size, "cannot create data folder %s: %s", data_dir, strerror(errno));
        goto fail;
    }
    if (access(data_dir, W_OK) != 0) {
        snprintf(why, why_size, "the data folder %s is read-only (%s)", data_dir, strerror(errno));
        goto fail;
    }
    snprintf(path, sizeof path, "%s/sayso.db", data_dir);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        *code = s->db ? sqlite3_errcode(s->db) & 0xff : SQLITE_NOMEM;
        snprintf(why, why_size, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    /* WAL + FULL: each commit syncs the log, so a committed response
     * survives power loss (NORMAL could roll it back). */
    if (!exec(s, "PRAGMA journal_mode=WAL", why, why_size) ||
        !exec(s, "PRAGMA synchronous=FULL", why, why_size) ||
        !exec(s, "PRAGMA foreign_keys=ON", why, why_size) ||
        /* 512 KiB of page cache, not SQLite's 2 MB: the kiosk writes one
         * response at a time, and a cache that fills as the database grows
         * showed as memory growth over 10 000 responses (issue 7). */
        !exec(s, "PRAGMA cache_size=-512", why, why_size) || !migrate(s, why, why_size)) {
        *code = s->failed_code;
        goto fail;
    }
    if (sqlite3_prepare_v3(s->db,
                           "INSERT INTO responses (id, questionnaire_id, questionnaire_version, "
                           "language, site, device, collection_mode, submitted_at, answers, body, "
                           "venue, event_name, event_session, flags) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->insert, NULL) != SQLITE_OK) {
        *code = sqlite3_errcode(s->db) & 0xff;
        snprintf(why, why_size, "cannot prepare insert: %s", sqlite3_errmsg(s->db));
        goto fail;
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

Store *store_open(const char *data_dir, char *why, size_t why_size)
{
    int code;
    return open_database(data_dir, &code, why, why_size);
}

Store *store_open_sync(const char *data_dir, char *why, size_t why_size)
{
    int code;
    Store *s = open_database(data_dir, &code, why, why_size);
    /* NORMAL in WAL mode: a commit is not synced, but the log still is
     * before every checkpoint, so a power cut can only undo the last few
     * commits of this connection, whole and in order, never corrupt. The
     * kiosk's own FULL commits sync the log, these frames included. */
    if (s && !exec(s, "PRAGMA synchronous=NORMAL", why, why_size)) {
        store_close(s);
        return NULL;
    }
    if (s)
        s->bookkeeping_only = true;
    return s;
}

/* Free bytes for an unprivileged writer in dir; false if it cannot tell. */
static bool free_bytes(const char *dir, unsigned long long *out)
{
    struct statvfs fs;
    if (statvfs(dir, &fs) != 0)
        return false;
    *out = (unsigned long long)fs.f_bavail * fs.f_frsize;
    return true;
}

/* The time now in UTC, in strftime's format, or the epoch seconds if that
 * does not fit. */
static void utc_now(const char *format, char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || strftime(out, size, format, &tm) == 0)
        snprintf(out, size, "%lld", (long long)now);
}

/* Whether a failed open means the file itself cannot be used as a database
 * (as opposed to a full disk, a read-only folder or a lock). */
static bool database_unusable(const char *path, int code)
{
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return true;
    struct stat st;
    if (lstat(path, &st) != 0)
        return false;
    if (!S_ISREG(st.st_mode))
        return true;
    return (code == SQLITE_CANTOPEN || code == SQLITE_PERM || code == SQLITE_READONLY) &&
           access(path, R_OK | W_OK) != 0;
}

static void sync_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Renames sayso.db and its -wal and -shm to one new name so that a later
 * recovery (sqlite3 NAME .recover) still sees the log beside its file. */
static bool move_aside(const char *data_dir, char *kept_as, size_t kept_size)
{
    char stamp[32], from[4200], to[4200];
    utc_now("%Y%m%dT%H%MZ", stamp, sizeof stamp);
    for (int n = 1; n < 100; n++) {
        if (n == 1)
            snprintf(kept_as, kept_size, "sayso.db.unreadable-%s", stamp);
        else
            snprintf(kept_as, kept_size, "sayso.db.unreadable-%s-%d", stamp, n);
        snprintf(to, sizeof to, "%s/%s", data_dir, kept_as);
        struct stat st;
        if (lstat(to, &st) != 0)
            break;
    }
    static const char *const parts[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(from, sizeof from, "%s/sayso.db%s", data_dir, parts[i]);
        snprintf(to, sizeof to, "%s/%s%s", data_dir, kept_as, parts[i]);
        if (rename(from, to) != 0 && (i == 0 || errno != ENOENT)) {
            log_error("store", "cannot move %s aside to %s: %s", from, to, strerror(errno));
            return false;
        }
    }
    sync_folder(data_dir);
    return true;
}

Store *store_open_kiosk(const char *data_dir, char *why, size_t why_size)
{
    int code;
    Store *s = open_database(data_dir, &code, why, why_size);
    if (s)
        return s;
    char path[4096];
    snprintf(path, sizeof path, "%s/sayso.db", data_dir);
    if (!database_unusable(path, code)) {
        /* SQLite says "disk I/O error" when it cannot grow its log on a
         * full disk; staff need the plainer reason. */
        unsigned long long left;
        if (free_bytes(data_dir, &left) && left < STORE_MIN_FREE_BYTES)
            snprintf(why, why_size, "the data folder %s is full (%llu bytes free; %s)", data_dir,
                     left, sqlite3_errstr(code));
        return NULL;
    }
    char problem[512], kept_as[128];
    snprintf(problem, sizeof problem, "%s", why);
    log_error("store", "the database cannot be read (%s); keeping it aside and starting a new one",
              problem);
    if (!move_aside(data_dir, kept_as, sizeof kept_as))
        return NULL;
    s = open_database(data_dir, &code, why, why_size);
    if (!s)
        return NULL;
    char alert[1024], when[32];
    utc_now("%Y-%m-%d %H:%M UTC", when, sizeof when);
    snprintf(alert, sizeof alert,
             "On %s the database could not be read (%s). It was kept, untouched, as %s in the "
             "data folder, and a new one was started. Answers it held that were not yet sent are "
             "in that file: tell IT (docs/storage.md says how to recover them).",
             when, problem, kept_as);
    if (!store_state_set(s, STORE_ALERT_STATE_KEY, alert))
        log_error("store", "cannot save the storage alert for staff");
    log_error("store", "kept the unreadable database as %s/%s; a new one is in use", data_dir,
              kept_as);
    return s;
}

bool store_has_room(Store *s, char *why, size_t why_size)
{
    unsigned long long left;
    if (!free_bytes(s->data_dir, &left) || left >= STORE_MIN_FREE_BYTES)
        return true; /* plenty, or cannot tell: the commit itself decides */
    snprintf(why, why_size, "the data folder %s has %llu bytes free (need %d)", s->data_dir, left,
             STORE_MIN_FREE_BYTES);
    return false;
}

void store_close(Store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->insert);
    sqlite3_finalize(s->outbox);
    sqlite3_finalize(s->mark_sent);
    sqlite3_finalize(s->mark_held);
    sqlite3_close(s->db);
    free(s->data_dir);
    free(s);
}

bool store_commit(Store *s, const Response *r)
{
    if (s->bookkeeping_only) {
        log_error("store", "response %s not saved: this connection is the sync worker's", r->id);
        return false;
    }
    sqlite3_stmt *st = s->insert;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->questionnaire_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->questionnaire_version);
    sqlite3_bind_text(st, 4, r->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->site, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->mode, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->submitted_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->answers, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->body, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r->venue[0] ? r->venue : "kiosk", -1, SQLITE_STATIC);
    if (r->event_name)
        sqlite3_bind_text(st, 12, r->event_name, -1, SQLITE_STATIC);
    if (r->event_session)
        sqlite3_bind_text(st, 13, r->event_session, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, r->flags, -1, SQLITE_STATIC);
    /* A single INSERT in autocommit mode is its own transaction. */
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("store", "could not save response %s: %s (code %d)", r->id, sqlite3_errmsg(s->db),
                  sqlite3_extended_errcode(s->db));
        return false;
    }
    fprintf(stderr, "response committed id=%s\n", r->id);
    (void)fflush(stderr); /* unbuffered anyway; the line is for tests */
    return true;
}

int64_t store_count(Store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM responses", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The columns of the first schema keep their places; later ones follow. */
static const char *const EXPORT_COLUMNS[] = {"id",
                                             "questionnaire_id",
                                             "questionnaire_version",
                                             "language",
                                             "site",
                                             "device",
                                             "collection_mode",
                                             "submitted_at",
                                             "answers",
                                             "venue",
                                             "event_name",
                                             "event_session",
                                             "flags"};
enum { EXPORT_COLUMN_COUNT = sizeof EXPORT_COLUMNS / sizeof EXPORT_COLUMNS[0] };

bool store_export(Store *s, ExportFormat format, FILE *out)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, questionnaire_id, questionnaire_version, language, site, "
                           "device, collection_mode, submitted_at, answers, venue, event_name, "
                           "event_session, flags, body FROM responses ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "export failed: %s", sqlite3_errmsg(s->db));
        return false;
    }
    if (format == EXPORT_CSV)
        for (int i = 0; i < EXPORT_COLUMN_COUNT; i++)
            csv_write_field(out, EXPORT_COLUMNS[i], i == EXPORT_COLUMN_COUNT - 1);
    else
        fputs("[", out);
    int rc;
    bool first = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (format == EXPORT_CSV) {
            for (int i = 0; i < EXPORT_COLUMN_COUNT; i++)
                csv_write_field(out, (const char *)sqlite3_column_text(st, i),
                                i == EXPORT_COLUMN_COUNT - 1);
        } else {
            fprintf(out, "%s\n%s", first ? "" : ",",
                    (const char *)sqlite3_column_text(st, EXPORT_COLUMN_COUNT));
        }
        first = false;
    }
    if (rc != SQLITE_DONE) {
        log_error("store", "export failed: %s", sqlite3_errmsg(s->db));
        goto done;
    }
    if (format == EXPORT_JSON)
        fputs("\n]\n", out);
    ok = fflush(out) == 0 && !ferror(out);
done:
    sqlite3_finalize(st);
    return ok;
}

bool store_export_both(Store *s, FILE *csv, FILE *json, int64_t *count)
{
    *count = -1;
    char why[256];
    /* A read transaction: a response committed meanwhile is in neither file. */
    if (!exec(s, "BEGIN", why, sizeof why)) {
        log_error("store", "export: %s", why);
        return false;
    }
    bool ok = store_export(s, EXPORT_CSV, csv) && store_export(s, EXPORT_JSON, json);
    int64_t n = ok ? store_count(s) : -1;
    exec(s, "COMMIT", why, sizeof why);
    *count = n;
    return ok && n >= 0;
}

bool store_each_response(Store *s, const StoreFilter *filter, StoreResponseFn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT answers, flags FROM responses WHERE questionnaire_id = ?1 "
                           "AND (?2 IS NULL OR submitted_at >= ?2) "
                           "AND (?3 IS NULL OR (event_name = ?3 AND "
                           "COALESCE(event_session, '') = COALESCE(?4, ''))) ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "cannot read responses: %s", sqlite3_errmsg(s->db));
        return false;
    }
    sqlite3_bind_text(st, 1, filter->questionnaire_id, -1, SQLITE_STATIC);
    if (filter->since)
        sqlite3_bind_text(st, 2, filter->since, -1, SQLITE_STATIC);
    if (filter->event_name) {
        sqlite3_bind_text(st, 3, filter->event_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, filter->event_session ? filter->event_session : "", -1,
                          SQLITE_STATIC);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!fn(ctx, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1)))
            break;
    bool ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (!ok)
        log_error("store", "cannot read responses: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

int64_t store_flagged_count(Store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM responses WHERE flags != ''", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* --- outbox --- */

static bool prepare(Store *s, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK)
        return true;
    log_error("store", "cannot prepare \"%.40s...\": %s", sql, sqlite3_errmsg(s->db));
    return false;
}

void store_batch_free(StoreBatch *b)
{
    for (size_t i = 0; i < b->count; i++) {
        free(b->ids[i]);
        free(b->bodies[i]);
    }
    free(b->ids);
    free(b->bodies);
    *b = (StoreBatch){0};
}

/* *st, prepared now if it is not yet; false (logged) when it cannot be. */
static bool prepare_kept(Store *s, const char *sql, sqlite3_stmt **st)
{
    if (*st)
        return true;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK)
        return true;
    log_error("store", "cannot prepare \"%.40s...\": %s", sql, sqlite3_errmsg(s->db));
    return false;
}

bool store_outbox_batch(Store *s, size_t max, StoreBatch *out)
{
    *out = (StoreBatch){0};
    if (!prepare_kept(
            s,
            "SELECT id, body FROM responses WHERE sent_at IS NULL AND held_reason IS NULL "
            "ORDER BY seq LIMIT ?",
            &s->outbox))
        return false;
    sqlite3_stmt *st = s->outbox;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
    out->ids = mem_array(max ? max : 1, sizeof *out->ids);
    out->bodies = mem_array(max ? max : 1, sizeof *out->bodies);
    while (out->count < max && sqlite3_step(st) == SQLITE_ROW) {
        out->ids[out->count] = mem_strdup((const char *)sqlite3_column_text(st, 0));
        out->bodies[out->count] = mem_strdup((const char *)sqlite3_column_text(st, 1));
        out->count++;
    }
    int rc = sqlite3_errcode(s->db);
    sqlite3_reset(st); /* ends the read transaction */
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
        log_error("store", "cannot read the outbox: %s", sqlite3_errstr(rc));
        store_batch_free(out);
        return false;
    }
    return true;
}

/* Runs `sql` (one ? for the value, one for the id) for every id, all or
 * nothing: a half-marked batch would be re-sent, which is safe, but a
 * consistent outbox is easier to reason about. */
static bool update_ids(Store *s, const char *sql, sqlite3_stmt **kept, const char *const *ids,
                       size_t count, const char *value)
{
    char why[160];
    if (!exec(s, "BEGIN IMMEDIATE", why, sizeof why)) {
        log_error("store", "cannot begin: %s", why);
        return false;
    }
    bool ok = prepare_kept(s, sql, kept);
    sqlite3_stmt *st = *kept;
    for (size_t i = 0; ok && i < count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            log_error("store", "cannot update response %s: %s", ids[i], sqlite3_errmsg(s->db));
            ok = false;
        }
    }
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    if (!exec(s, ok ? "COMMIT" : "ROLLBACK", why, sizeof why)) {
        log_error("store", "cannot commit: %s", why);
        char ignored[64];
        exec(s, "ROLLBACK", ignored, sizeof ignored);
        return false;
    }
    return ok;
}

bool store_mark_sent(Store *s, const char *const *ids, size_t count, const char *when)
{
    return update_ids(s, "UPDATE responses SET sent_at = ? WHERE id = ?", &s->mark_sent, ids, count,
                      when);
}

bool store_mark_held(Store *s, const char *const *ids, size_t count, const char *reason)
{
    return update_ids(s, "UPDATE responses SET held_reason = ? WHERE id = ? AND sent_at IS NULL",
                      &s->mark_held, ids, count, reason);
}

bool store_release_held(Store *s, int64_t *released)
{
    char why[160];
    if (!exec(s,
              "UPDATE responses SET held_reason = NULL WHERE held_reason IS NOT NULL "
              "AND sent_at IS NULL",
              why, sizeof why)) {
        log_error("store", "cannot release held responses: %s", why);
        return false;
    }
    if (released)
        *released = sqlite3_changes64(s->db);
    return true;
}

bool store_outbox_counts(Store *s, StoreOutboxCounts *out)
{
    sqlite3_stmt *st = NULL;
    *out = (StoreOutboxCounts){-1, -1, -1};
    if (!prepare(s,
                 "SELECT count(*), "
                 "count(*) FILTER (WHERE sent_at IS NULL AND held_reason IS NULL), "
                 "count(*) FILTER (WHERE sent_at IS NULL AND held_reason IS NOT NULL) "
                 "FROM responses",
                 &st))
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        out->total = sqlite3_column_int64(st, 0);
        out->unsent = sqlite3_column_int64(st, 1);
        out->held = sqlite3_column_int64(st, 2);
    } else
        log_error("store", "cannot count the outbox: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

bool store_state_set(Store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    if (!prepare(s,
                 "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 &st))
        return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error("store", "cannot save %s: %s", key, sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

char *store_state_get(Store *s, const char *key)
{
    sqlite3_stmt *st = NULL;
    char *value = NULL;
    if (!prepare(s, "SELECT value FROM sync_state WHERE key = ?", &st))
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        value = mem_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return value;
}

bool store_questionnaire_set_save(Store *s, const char *etag, const char *body, const char *when)
{
    sqlite3_stmt *st = NULL;
    if (!prepare(s,
                 "INSERT INTO questionnaire_set (only, etag, body, fetched_at) VALUES (1, ?, ?, ?) "
                 "ON CONFLICT (only) DO UPDATE SET etag = excluded.etag, body = excluded.body, "
                 "fetched_at = excluded.fetched_at",
                 &st))
        return false;
    sqlite3_bind_text(st, 1, etag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error("store", "cannot save the questionnaire set: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

bool store_questionnaire_set_load(Store *s, char **etag, char **body)
{
    sqlite3_stmt *st = NULL;
    *etag = NULL;
    if (body)
        *body = NULL;
    /* The worker asks only for the ETag on every pass; the body can be
     * megabytes, so it is read only when wanted. */
    if (!prepare(s,
                 body ? "SELECT etag, body FROM questionnaire_set WHERE only = 1"
                      : "SELECT etag FROM questionnaire_set WHERE only = 1",
                 &st))
        return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *etag = mem_strdup((const char *)sqlite3_column_text(st, 0));
        if (body)
            *body = mem_strdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}
