/* fuzz_central_request: what sayso-central does with a request's bytes once
 * libmicrohttpd has framed it, through the same functions http.c calls
 * (central/request.h) and into a real SQLite repo: route and method, the
 * bearer token and repo_authenticate, an upload body arriving in pieces and
 * repo_ingest, the questionnaire set and its ETag, and an export's query
 * (format, export_query_valid, repo_export).
 *
 * The input is cut at its first five newlines into: method, URL (with a
 * query, split on & and = as libmicrohttpd does), Authorization,
 * If-None-Match, Content-Length; the rest is the body. The tokens are random,
 * so "Bearer device" and "Bearer admin" stand for the real ones.
 *
 * One repo lives in a fresh folder under $TMPDIR for the whole run and is
 * started again every RESET_EVERY uploads, so it stays small and the target
 * fast; it is removed at exit. This state is the harness's, not the
 * server's: a fuzz target has no main to own it. */
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "central/repo.h"
#include "central/request.h"
#include "central/token.h"
#include "core/mem.h"

#include "fuzz_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { RESET_EVERY = 200, MAX_BODY = 3000, QUERY_ARGS_MAX = 8 };

typedef struct {
    char dir[512];
    Repo *repo;
    char device_token[TOKEN_TEXT_SIZE];
    char admin_token[TOKEN_TEXT_SIZE];
    unsigned uploads;
} Harness;

static Harness harness;

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void close_repo(void)
{
    repo_close(harness.repo);
    harness.repo = NULL;
    remove_dir(harness.dir);
}

/* A new empty repo with one device, one admin and one published questionnaire. */
static void open_repo(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(harness.dir, sizeof harness.dir, "%s/sayso-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char why[256];
    if (!mkdtemp(harness.dir) || !(harness.repo = repo_open(harness.dir, why, sizeof why)) ||
        !repo_device_add(harness.repo, "kiosk-1", "Ward 1", ROLE_DEVICE, harness.device_token, why,
                         sizeof why) ||
        !repo_device_add(harness.repo, "admin-1", "*", ROLE_ADMIN, harness.admin_token, why,
                         sizeof why) ||
        !repo_publish(harness.repo, "Ward 1", "service-feedback", 1,
                      "{\"id\":\"service-feedback\",\"version\":1}", why, sizeof why)) {
        fprintf(stderr, "fuzz_central_request: cannot set up a repo in %s\n", harness.dir);
        abort(); /* the harness, not the input, is broken */
    }
    harness.uploads = 0;
}

typedef struct {
    const char *key[QUERY_ARGS_MAX];
    const char *value[QUERY_ARGS_MAX];
    size_t count;
} QueryArgs;

/* Splits url in place at '?' into the path and its arguments. */
static void split_query(char *url, QueryArgs *args)
{
    args->count = 0;
    char *query = strchr(url, '?');
    if (!query)
        return;
    *query++ = '\0';
    char *save = NULL;
    for (char *pair = strtok_r(query, "&", &save); pair && args->count < QUERY_ARGS_MAX;
         pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        if (eq)
            *eq++ = '\0';
        args->key[args->count] = pair;
        args->value[args->count++] = eq;
    }
}

/* The first value of key, as MHD_lookup_connection_value gives it. */
static const char *query_get(const QueryArgs *args, const char *key)
{
    for (size_t i = 0; i < args->count; i++)
        if (strcmp(args->key[i], key) == 0)
            return args->value[i];
    return NULL;
}

static void handle_upload(const Principal *who, const RequestBody *body)
{
    if (who->role != ROLE_DEVICE)
        return;
    IngestResult result;
    repo_ingest(harness.repo, who, body->body ? body->body : "", body->length, &result);
    if (!result.reply || (result.status != 200 && result.status != 409 && result.status != 400 &&
                          result.status != 413))
        abort(); /* every reply is JSON with a status the kiosk knows */
    free(result.reply);
    harness.uploads++;
}

static void handle_questionnaires(const Principal *who, const char *if_none_match)
{
    char *set = NULL, *etag = NULL;
    if (who->role == ROLE_DEVICE && repo_questionnaires(harness.repo, who->site, &set, &etag))
        (void)request_etag_matches(if_none_match, etag);
    free(set);
    free(etag);
}

static void handle_export(const Principal *who, const QueryArgs *args)
{
    CentralExportFormat format;
    ExportQuery q = {query_get(args, "site"), query_get(args, "from"), query_get(args, "to")};
    char why[256];
    if (who->role != ROLE_ADMIN || !request_export_format(query_get(args, "format"), &format) ||
        !export_query_valid(&q, why, sizeof why))
        return;
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    if (!out)
        return;
    repo_export(harness.repo, &q, format, out, why, sizeof why);
    fclose(out);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!harness.repo) {
        if (!token_init())
            abort();
        open_repo();
        atexit(close_repo);
    } else if (harness.uploads >= RESET_EVERY) {
        close_repo();
        open_repo();
    }
    const uint8_t *rest = data;
    size_t left = size;
    char *method = take_line(&rest, &left);
    char *url = take_line(&rest, &left);
    char *authorization = take_line(&rest, &left);
    char *if_none_match = take_line(&rest, &left);
    char *content_length = take_line(&rest, &left);

    /* The body comes in pieces of a size the input chooses, as a client's
     * writes and the network cut it. */
    RequestBody body = {0};
    bool refused = request_length_refused(content_length, MAX_BODY);
    size_t piece = 1 + size % 97;
    for (size_t at = 0; !refused && at < left; at += piece)
        request_body_append(&body, (const char *)rest + at, left - at < piece ? left - at : piece,
                            MAX_BODY);

    QueryArgs args;
    split_query(url, &args);
    const Route *route = request_route(url);
    if (!refused && !body.too_big && route && strcmp(method, route->method) == 0) {
        const char *token = request_bearer_token(authorization[0] ? authorization : NULL);
        if (token && strcmp(token, "device") == 0)
            token = harness.device_token;
        else if (token && strcmp(token, "admin") == 0)
            token = harness.admin_token;
        Principal who;
        if (route->id == ROUTE_HEALTH)
            (void)repo_healthy(harness.repo);
        else if (token && repo_authenticate(harness.repo, token, &who) == AUTH_OK) {
            if (route->id == ROUTE_RESPONSES)
                handle_upload(&who, &body);
            else if (route->id == ROUTE_QUESTIONNAIRES)
                handle_questionnaires(&who, if_none_match);
            else if (route->id == ROUTE_EXPORT)
                handle_export(&who, &args);
        }
    }

    request_body_free(&body);
    free(content_length);
    free(if_none_match);
    free(authorization);
    free(url);
    free(method);
    return 0;
}
