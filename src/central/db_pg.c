/* db_pg: central's PostgreSQL backend through libpq. Parameters are sent
 * separately from the SQL text (PQexecParams), never spliced in. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central/db.h"
#include "core/mem.h"

typedef struct {
    Db base;
    PGconn *conn;
} PgDb;

static void copy_error(PgDb *p, PGresult *res, char *why, size_t why_size)
{
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
    snprintf(why, why_size, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
    size_t n = strlen(why);
    while (n && (why[n - 1] == '\n' || why[n - 1] == ' '))
        why[--n] = '\0';
}

/* A dropped connection is re-opened once, so a PostgreSQL restart costs the
 * clients one retry instead of needing central to be restarted too. */
static bool ensure_connected(PgDb *p)
{
    if (PQstatus(p->conn) == CONNECTION_OK)
        return true;
    PQreset(p->conn);
    return PQstatus(p->conn) == CONNECTION_OK;
}

static bool pg_script(Db *db, const char *sql, char *why, size_t why_size)
{
    PgDb *p = (PgDb *)db;
    if (!ensure_connected(p)) {
        copy_error(p, NULL, why, why_size);
        return false;
    }
    PGresult *res = PQexec(p->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        copy_error(p, res, why, why_size);
    PQclear(res);
    return ok;
}

static bool pg_query(Db *db, const char *sql, int nparams, const char *const *params, DbRowFn fn,
                     void *ctx, char *why, size_t why_size)
{
    PgDb *p = (PgDb *)db;
    if (!ensure_connected(p)) {
        copy_error(p, NULL, why, why_size);
        return false;
    }
    PGresult *res = PQexecParams(p->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        copy_error(p, res, why, why_size);
        PQclear(res);
        return false;
    }
    int rows = PQntuples(res), columns = PQnfields(res);
    const char **values = mem_array(columns ? (size_t)columns : 1, sizeof *values);
    for (int r = 0; fn && r < rows; r++) {
        for (int c = 0; c < columns; c++)
            values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
        if (!fn(ctx, columns, values))
            break;
    }
    free(values);
    PQclear(res);
    return true;
}

static void pg_close(Db *db)
{
    PgDb *p = (PgDb *)db;
    PQfinish(p->conn);
    free(p);
}

static const DbBackend PG_BACKEND = {"postgresql", pg_script, pg_query, pg_close};

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" is not news */
}

Db *db_open_postgresql(const char *url, char *why, size_t why_size)
{
    PgDb *p = mem_alloc(sizeof *p);
    p->base.backend = &PG_BACKEND;
    p->conn = PQconnectdb(url);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        copy_error(p, NULL, why, why_size);
        pg_close(&p->base);
        return NULL;
    }
    PQsetNoticeProcessor(p->conn, quiet_notices, NULL);
    return &p->base;
}
