/* db: dispatch to the backend chosen by the --db / --data argument. */
#include "central/db.h"

#include <string.h>

Db *db_open(const char *where, char *why, size_t why_size)
{
    if (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0)
        return db_open_postgresql(where, why, why_size);
    return db_open_sqlite(where, why, why_size);
}

void db_close(Db *db)
{
    if (db)
        db->backend->close(db);
}

const char *db_kind(const Db *db)
{
    return db->backend->kind;
}

bool db_script(Db *db, const char *sql, char *why, size_t why_size)
{
    return db->backend->script(db, sql, why, why_size);
}

bool db_query(Db *db, const char *sql, int nparams, const char *const *params, DbRowFn fn,
              void *ctx, char *why, size_t why_size)
{
    return db->backend->query(db, sql, nparams, params, fn, ctx, why, why_size);
}
