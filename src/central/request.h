/* request: what central does with a request once libmicrohttpd has framed
 * it and before repo sees it: which route a URL names, the token in an
 * "Authorization: Bearer" header, the export format, the early refusal of a
 * declared Content-Length far over the limit, and the upload body as it
 * arrives in pieces. Kept apart from libmicrohttpd so the fuzz target
 * (tests/fuzz/fuzz_central_request.c) runs the very code http.c runs.
 *
 * Contract: pure functions; a RequestBody is caller-owned, zeroed to start
 * and freed with request_body_free. Any thread, one body per request. */
#ifndef SAYSO_CENTRAL_REQUEST_H
#define SAYSO_CENTRAL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "central/repo.h"

typedef enum { ROUTE_HEALTH, ROUTE_RESPONSES, ROUTE_QUESTIONNAIRES, ROUTE_EXPORT } RouteId;

typedef struct {
    RouteId id;
    const char *path;
    const char *method;
    bool needs_token; /* the handler gets no principal without one */
} Route;

/* The route whose path is url exactly, or NULL (404). The caller checks
 * the method against route->method (405). */
const Route *request_route(const char *url);

/* The token in an Authorization header value ("Bearer <token>", the word in
 * any case, spaces before the token skipped), pointing into the value; NULL
 * when there is no header or it is not a bearer header. */
const char *request_bearer_token(const char *authorization);

/* ?format= of an export: absent or "csv", or "json". False for anything else. */
bool request_export_format(const char *format, CentralExportFormat *out);

/* True when an If-None-Match value names this ETag (a quoted hash). */
bool request_etag_matches(const char *if_none_match, const char *etag);

/* True when a declared Content-Length is so far over max_body (four times)
 * that the request is answered 413 at once rather than read and dropped. */
bool request_length_refused(const char *content_length, size_t max_body);

typedef struct {
    char *body; /* NUL-terminated; NULL until the first byte */
    size_t length;
    size_t capacity;
    bool too_big; /* past max_body: what came is dropped, the answer is 413 */
} RequestBody;

/* Appends one piece of the upload, or drops everything once the total
 * passes max_body. */
void request_body_append(RequestBody *b, const char *data, size_t n, size_t max_body);
void request_body_free(RequestBody *b);

#endif
