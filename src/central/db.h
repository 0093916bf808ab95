/* db: the one SQL interface central's repository is written against, with
 * two backends: SQLite (embedded, the default) and PostgreSQL (libpq).
 * Statements use $1, $2 ... placeholders and text parameters on both, so a
 * query is written once and behaves the same on either.
 *
 * Contract: db_open returns a heap Db (db_close frees) or NULL with a reason.
 * A Db is one connection and is NOT thread-safe: central's repository holds
 * a mutex around it. Row values passed to a DbRowFn live only during the
 * call; NULL columns come as NULL. */
#ifndef SAYSO_CENTRAL_DB_H
#define SAYSO_CENTRAL_DB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Db Db;

/* Return false to stop reading rows (the query still succeeds). */
typedef bool (*DbRowFn)(void *ctx, int columns, const char *const *values);

typedef struct {
    const char *kind; /* "sqlite" or "postgresql" */
    bool (*script)(Db *db, const char *sql, char *why, size_t why_size);
    bool (*query)(Db *db, const char *sql, int nparams, const char *const *params, DbRowFn fn,
                  void *ctx, char *why, size_t why_size);
    void (*close)(Db *db);
} DbBackend;

struct Db {
    const DbBackend *backend;
};

/* `where` is a postgresql:// (or postgres://) URL, or a folder for SQLite. */
Db *db_open(const char *where, char *why, size_t why_size);
Db *db_open_sqlite(const char *dir, char *why, size_t why_size);
Db *db_open_postgresql(const char *url, char *why, size_t why_size);
void db_close(Db *db);

const char *db_kind(const Db *db);
/* Several statements, no parameters, no rows (schema scripts). */
bool db_script(Db *db, const char *sql, char *why, size_t why_size);
bool db_query(Db *db, const char *sql, int nparams, const char *const *params, DbRowFn fn,
              void *ctx, char *why, size_t why_size);

#endif
