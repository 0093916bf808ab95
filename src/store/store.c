/* store: SQLite persistence for responses. Every statement used on the hot
 * path is prepared once at open; commits are single transactions so a power
 * cut leaves either the whole response or none of it. */
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/mem.h"

struct Store {
    sqlite3 *db;
    sqlite3_stmt *insert;
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
};

enum { MIGRATION_COUNT = sizeof MIGRATIONS / sizeof MIGRATIONS[0] };
_Static_assert((int)MIGRATION_COUNT == (int)STORE_SCHEMA_VERSION, "one migration per schema version");

static bool exec(Store *s, const char *sql, char *why, size_t why_size)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
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

Store *store_open(const char *data_dir, char *why, size_t why_size)
{
    Store *s = mem_alloc(sizeof *s);
    char path[4096];
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(why, why_size, "cannot create data folder %s: %s", data_dir, strerror(errno));
        goto fail;
    }
    snprintf(path, sizeof path, "%s/sayso.db", data_dir);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(why, why_size, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    /* WAL + FULL: each commit syncs the log, so a committed response
     * survives power loss (NORMAL could roll it back). */
    if (!exec(s, "PRAGMA journal_mode=WAL", why, why_size) ||
        !exec(s, "PRAGMA synchronous=FULL", why, why_size) ||
        !exec(s, "PRAGMA foreign_keys=ON", why, why_size) || !migrate(s, why, why_size))
        goto fail;
    if (sqlite3_prepare_v3(s->db,
                           "INSERT INTO responses (id, questionnaire_id, questionnaire_version, "
                           "language, site, device, collection_mode, submitted_at, answers, body) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->insert, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "cannot prepare insert: %s", sqlite3_errmsg(s->db));
        goto fail;
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(Store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->insert);
    sqlite3_close(s->db);
    free(s);
}

bool store_commit(Store *s, const Response *r)
{
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
    /* A single INSERT in autocommit mode is its own transaction. */
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("store", "could not save response %s: %s (code %d)", r->id,
                  sqlite3_errmsg(s->db), sqlite3_extended_errcode(s->db));
        return false;
    }
    fprintf(stderr, "response committed id=%s\n", r->id);
    fflush(stderr);
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

/* RFC 4180: quote every field, double the quotes inside. */
static void csv_field(FILE *out, const char *value, bool last)
{
    fputc('"', out);
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
    fputs(last ? "\r\n" : ",", out);
}

static const char *const EXPORT_COLUMNS[] = {
    "id",     "questionnaire_id", "questionnaire_version", "language", "site",
    "device", "collection_mode",  "submitted_at",          "answers"};
enum { EXPORT_COLUMN_COUNT = sizeof EXPORT_COLUMNS / sizeof EXPORT_COLUMNS[0] };

bool store_export(Store *s, ExportFormat format, FILE *out)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, questionnaire_id, questionnaire_version, language, site, "
                           "device, collection_mode, submitted_at, answers, body FROM responses "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "export failed: %s", sqlite3_errmsg(s->db));
        return false;
    }
    if (format == EXPORT_CSV)
        for (int i = 0; i < EXPORT_COLUMN_COUNT; i++)
            csv_field(out, EXPORT_COLUMNS[i], i == EXPORT_COLUMN_COUNT - 1);
    else
        fputs("[", out);
    int rc;
    bool first = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (format == EXPORT_CSV) {
            for (int i = 0; i < EXPORT_COLUMN_COUNT; i++)
                csv_field(out, (const char *)sqlite3_column_text(st, i),
                          i == EXPORT_COLUMN_COUNT - 1);
        } else {
            fprintf(out, "%s\n%s", first ? "" : ",", (const char *)sqlite3_column_text(st, 9));
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
