/* repo: everything central keeps, over either database backend: devices and
 * their token hashes, responses (each stored once, keyed by its UUID),
 * conflicting re-uses of an id kept aside, and the questionnaires published
 * to each site. See docs/protocol.md and docs/central.md.
 *
 * Contract: repo_open returns a heap Repo (repo_close frees) or NULL with a
 * reason. Every function is thread-safe (one mutex around the connection),
 * so libmicrohttpd's threads call it directly. Heap results are the
 * caller's to free. */
#ifndef SAYSO_CENTRAL_REPO_H
#define SAYSO_CENTRAL_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "central/token.h"

typedef struct Repo Repo;

typedef enum { ROLE_DEVICE, ROLE_ADMIN } Role;

typedef struct {
    char name[128];
    char site[256];
    Role role;
} Principal;

Repo *repo_open(const char *where, char *why, size_t why_size);
void repo_close(Repo *r);
const char *repo_kind(const Repo *r);
bool repo_healthy(Repo *r);

/* Prints the new token into token_out. False with a reason (name taken...). */
bool repo_device_add(Repo *r, const char *name, const char *site, Role role,
                     char token_out[TOKEN_TEXT_SIZE], char *why, size_t why_size);
bool repo_device_list(Repo *r, FILE *out);
/* *found is false when no such active device exists. */
bool repo_device_revoke(Repo *r, const char *name, bool *found, char *why, size_t why_size);
/* AUTH_REJECTED for an unknown, revoked or malformed token; AUTH_UNAVAILABLE
 * (logged) when the database could not be asked: a device must not be told
 * its token is bad because storage failed. */
typedef enum { AUTH_OK, AUTH_REJECTED, AUTH_UNAVAILABLE } AuthResult;
AuthResult repo_authenticate(Repo *r, const char *token, Principal *out);

typedef struct {
    int status;  /* 200, 409, 400, 503 */
    char *reply; /* JSON body (heap) */
} IngestResult;

/* Stores a batch {"responses":[...]} from a device, all or nothing. */
void repo_ingest(Repo *r, const Principal *device, const char *body, size_t length,
                 IngestResult *out);

/* Stores (or replaces) a questionnaire already checked by the caller. */
bool repo_publish(Repo *r, const char *site, const char *id, long version, const char *text,
                  char *why, size_t why_size);
bool repo_withdraw(Repo *r, const char *site, const char *id, bool *found, char *why,
                   size_t why_size);
/* The site's set as {"site":...,"questionnaires":[...]} and its ETag
 * (quoted, as sent in the header). */
bool repo_questionnaires(Repo *r, const char *site, char **body, char **etag);

typedef enum { CENTRAL_EXPORT_CSV, CENTRAL_EXPORT_JSON } CentralExportFormat;

typedef struct {
    const char *site; /* NULL or "" for every site */
    const char *from; /* "YYYY-MM-DD" inclusive, or NULL */
    const char *to;   /* "YYYY-MM-DD" inclusive, or NULL */
} ExportQuery;

/* Checks the dates; false with a reason when one is not a real date. */
bool export_query_valid(const ExportQuery *q, char *why, size_t why_size);
bool repo_export(Repo *r, const ExportQuery *q, CentralExportFormat format, FILE *out, char *why,
                 size_t why_size);
bool repo_conflicts(Repo *r, FILE *out);
/* Responses a kiosk flagged for staff (risk words, too soon, repeats), one
 * line each, oldest first; site NULL or "" for every site. */
bool repo_flagged(Repo *r, const char *site, FILE *out);

#endif
