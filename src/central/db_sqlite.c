/* db_sqlite: central's embedded backend, one file central.db in the data
 * folder, WAL and synchronous=FULL like the kiosk: an acknowledgement is
 * only sent after the rows are durable. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "central/db.h"
#include "core/mem.h"

typedef struct {
    Db base;
    sqlite3 *sqlite;
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

static bool sqlite_query(Db *db, const char *sql, int nparams, const char *const *params,
                         DbRowFn fn, void *ctx, char *why, size_t why_size)
{
    SqliteDb *s = (SqliteDb *)db;
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(s->sqlite, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "%s", sqlite3_errmsg(s->sqlite));
        return false;
    }
    for (int i = 0; i < nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int index = sqlite3_bind_parameter_index(st, name);
        if (index > 0)
            sqlite3_bind_text(st, index, params[i], -1, SQLITE_STATIC);
    }
    int columns = sqlite3_column_count(st);
    const char **values = mem_array(columns ? (size_t)columns : 1, sizeof *values);
    int rc;
    bool reading = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!reading || !fn)
            continue; /* step to the end so RETURNING and writes complete */
        for (int c = 0; c < columns; c++)
            values[c] = (const char *)sqlite3_column_text(st, c);
        reading = fn(ctx, columns, values);
    }
    if (rc != SQLITE_DONE)
        snprintf(why, why_size, "%s", sqlite3_errmsg(s->sqlite));
    else
        ok = true;
    free(values);
    sqlite3_finalize(st);
    return ok;
}

static void sqlite_close(Db *db)
{
    SqliteDb *s = (SqliteDb *)db;
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
