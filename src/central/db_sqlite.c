/* db_sqlite: central's embedded backend, one file central.db in the data
 * folder, WAL and synchronous=FULL like the kiosk: an acknowledgement is
 * only sent after the rows are durable. Statements are prepared once and
 * kept (a small cache keyed by their text): parsing the 16-column INSERT
 * again for every response cost about a third of central's ingest CPU. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "central/db.h"
#include "core/mem.h"

/* Central runs about a dozen distinct statements; a few more slots leave
 * room, and the least recently used is finalized when they are full. */
enum { STATEMENT_SLOTS = 24, PARAM_MAX = 32 };

typedef struct {
    char *sql; /* heap copy of the text, the cache key; NULL when free */
    sqlite3_stmt *st;
    int param_index[PARAM_MAX]; /* $1.. to SQLite's index, 0 when unused */
    int nparams;
    unsigned long last_used;
} CachedStatement;

typedef struct {
    Db base;
    sqlite3 *sqlite;
    CachedStatement cache[STATEMENT_SLOTS];
    unsigned long uses;
} SqliteDb;

static bool sqlite_script(Db *db, const char *sql, char *why, size_t why_size)
{
    SqliteDb *s = (SqliteDb *)db;
    char *err = NULL;
    if (sqlite3_exec(s->sqlite, sql, NULL, NULL, &err) == SQLITE_OK)
        return true;
    snprintf(why, why_size, "%s", err ? err : sqlite3_errmsg(s->sqlite));
    sqlite3_free(err);
    return false;
}

static void forget(CachedStatement *c)
{
    sqlite3_finalize(c->st);
    free(c->sql);
    *c = (CachedStatement){0};
}

/* The prepared statement for `sql` with `nparams` $N parameters, from the
 * cache or prepared now; NULL with why when SQLite refuses it. */
static CachedStatement *statement_for(SqliteDb *s, const char *sql, int nparams, char *why,
                                      size_t why_size)
{
    CachedStatement *slot = &s->cache[0];
    for (int i = 0; i < STATEMENT_SLOTS; i++) {
        CachedStatement *c = &s->cache[i];
        if (c->sql && c->nparams == nparams && strcmp(c->sql, sql) == 0) {
            c->last_used = ++s->uses;
            return c;
        }
        if (!c->sql || (slot->sql && c->last_used < slot->last_used))
            slot = c;
    }
    if (nparams > PARAM_MAX) {
        snprintf(why, why_size, "too many parameters (%d)", nparams);
        return NULL;
    }
    forget(slot);
    if (sqlite3_prepare_v3(s->sqlite, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL) !=
        SQLITE_OK) {
        snprintf(why, why_size, "%s", sqlite3_errmsg(s->sqlite));
        forget(slot);
        return NULL;
    }
    for (int i = 0; i < nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        slot->param_index[i] = sqlite3_bind_parameter_index(slot->st, name);
    }
    slot->sql = mem_strdup(sql);
    slot->nparams = nparams;
    slot->last_used = ++s->uses;
    return slot;
}

static bool sqlite_query(Db *db, const char *sql, int nparams, const char *const *params,
                         DbRowFn fn, void *ctx, char *why, size_t why_size)
{
    SqliteDb *s = (SqliteDb *)db;
    CachedStatement *c = statement_for(s, sql, nparams, why, why_size);
    if (!c)
        return false;
    sqlite3_stmt *st = c->st;
    bool ok = false;
    for (int i = 0; i < nparams; i++)
        if (c->param_index[i] > 0)
            sqlite3_bind_text(st, c->param_index[i], params[i], -1, SQLITE_STATIC);
    int columns = sqlite3_column_count(st);
    const char **values = mem_array(columns ? (size_t)columns : 1, sizeof *values);
    int rc;
    bool reading = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!reading || !fn)
            continue; /* step to the end so RETURNING and writes complete */
        for (int col = 0; col < columns; col++)
            values[col] = (const char *)sqlite3_column_text(st, col);
        reading = fn(ctx, columns, values);
    }
    if (rc != SQLITE_DONE)
        snprintf(why, why_size, "%s", sqlite3_errmsg(s->sqlite));
    else
        ok = true;
    free(values);
    /* Reset at once: a statement left mid-read would hold its read
     * transaction open and keep checkpoints from finishing. */
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

static void sqlite_close(Db *db)
{
    SqliteDb *s = (SqliteDb *)db;
    for (int i = 0; i < STATEMENT_SLOTS; i++)
        forget(&s->cache[i]);
    sqlite3_close(s->sqlite);
    free(s);
}

static const DbBackend SQLITE_BACKEND = {"sqlite", sqlite_script, sqlite_query, sqlite_close};

Db *db_open_sqlite(const char *dir, char *why, size_t why_size)
{
    SqliteDb *s = mem_alloc(sizeof *s);
    s->base.backend = &SQLITE_BACKEND;
    char path[4096];
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(why, why_size, "cannot create data folder %s: %s", dir, strerror(errno));
        goto fail;
    }
    snprintf(path, sizeof path, "%s/central.db", dir);
    if (sqlite3_open_v2(path, &s->sqlite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(why, why_size, "cannot open %s: %s", path,
                 s->sqlite ? sqlite3_errmsg(s->sqlite) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->sqlite, 5000);
    if (!sqlite_script(&s->base,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                       why, why_size))
        goto fail;
    return &s->base;
fail:
    sqlite_close(&s->base);
    return NULL;
}
