/* db_pg: central's PostgreSQL backend through libpq. Parameters are sent
 * separately from the SQL text, never spliced in. Each distinct statement
 * is prepared once per connection (PQprepare, then PQexecPrepared), so the
 * server parses and plans the ingest INSERT once instead of per response. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "central/db.h"
#include "core/mem.h"

/* Central runs about a dozen distinct statements; when the slots are full
 * the least recently used one is deallocated. */
enum { STATEMENT_SLOTS = 24 };

typedef struct {
    char *sql; /* heap copy of the text, the cache key; NULL when free */
    int nparams;
    unsigned long last_used;
    char name[24]; /* "sayso_N", never reused within a session */
} PreparedStatement;

typedef struct {
    Db base;
    PGconn *conn;
    PreparedStatement cache[STATEMENT_SLOTS];
    unsigned long uses;
} PgDb;

static void copy_error(PgDb *p, PGresult *res, char *why, size_t why_size)
{
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
    snprintf(why, why_size, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
    size_t n = strlen(why);
    while (n && (why[n - 1] == '\n' || why[n - 1] == ' '))
        why[--n] = '\0';
}

static void forget_all(PgDb *p)
{
    for (int i = 0; i < STATEMENT_SLOTS; i++) {
        free(p->cache[i].sql);
        p->cache[i] = (PreparedStatement){0};
    }
}

/* A dropped connection is re-opened once, so a PostgreSQL restart costs the
 * clients one retry instead of needing central to be restarted too. */
static bool ensure_connected(PgDb *p)
{
    if (PQstatus(p->conn) == CONNECTION_OK)
        return true;
    /* A new session has none of the old one's prepared statements. */
    forget_all(p);
    PQreset(p->conn);
    return PQstatus(p->conn) == CONNECTION_OK;
}

/* The prepared statement for `sql`, preparing it now if this connection
 * has not; NULL with why when the server refuses it. */
static const PreparedStatement *statement_for(PgDb *p, const char *sql, int nparams, char *why,
                                              size_t why_size)
{
    PreparedStatement *slot = &p->cache[0];
    for (int i = 0; i < STATEMENT_SLOTS; i++) {
        PreparedStatement *c = &p->cache[i];
        if (c->sql && c->nparams == nparams && strcmp(c->sql, sql) == 0) {
            c->last_used = ++p->uses;
            return c;
        }
        if (!c->sql || (slot->sql && c->last_used < slot->last_used))
            slot = c;
    }
    if (slot->sql) {
        char deallocate[48];
        snprintf(deallocate, sizeof deallocate, "DEALLOCATE %s", slot->name);
        PQclear(PQexec(p->conn, deallocate));
        free(slot->sql);
        *slot = (PreparedStatement){0};
    }
    snprintf(slot->name, sizeof slot->name, "sayso_%lu", ++p->uses);
    PGresult *res = PQprepare(p->conn, slot->name, sql, nparams, NULL);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (ok) {
        slot->sql = mem_strdup(sql);
        slot->nparams = nparams;
        slot->last_used = p->uses;
    } else
        copy_error(p, res, why, why_size);
    PQclear(res);
    return ok ? slot : NULL;
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
    const PreparedStatement *prepared = statement_for(p, sql, nparams, why, why_size);
    if (!prepared)
        return false;
    PGresult *res = PQexecPrepared(p->conn, prepared->name, nparams, params, NULL, NULL, 0);
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
    forget_all(p);
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
