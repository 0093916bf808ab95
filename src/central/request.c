/* request: the libmicrohttpd-free half of central's request handling (see
 * request.h). http.c calls these and nothing here knows about connections,
 * so a fuzzer can feed them arbitrary bytes. */
#include "central/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

static const Route ROUTES[] = {
    {ROUTE_HEALTH, "/v1/health", "GET", false},
    {ROUTE_RESPONSES, "/v1/responses", "POST", true},
    {ROUTE_QUESTIONNAIRES, "/v1/questionnaires", "GET", true},
    {ROUTE_EXPORT, "/v1/export", "GET", true},
};

const Route *request_route(const char *url)
{
    for (size_t i = 0; url && i < sizeof ROUTES / sizeof ROUTES[0]; i++)
        if (strcmp(url, ROUTES[i].path) == 0)
            return &ROUTES[i];
    return NULL;
}

const char *request_bearer_token(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *token = authorization + 7;
    while (*token == ' ')
        token++;
    return token;
}

bool request_export_format(const char *format, CentralExportFormat *out)
{
    if (!format || strcmp(format, "csv") == 0)
        *out = CENTRAL_EXPORT_CSV;
    else if (strcmp(format, "json") == 0)
        *out = CENTRAL_EXPORT_JSON;
    else
        return false;
    return true;
}

bool request_etag_matches(const char *if_none_match, const char *etag)
{
    return if_none_match && etag && strstr(if_none_match, etag);
}

bool request_length_refused(const char *content_length, size_t max_body)
{
    return content_length && strtoull(content_length, NULL, 10) / 4 > max_body;
}

void request_body_append(RequestBody *b, const char *data, size_t n, size_t max_body)
{
    if (n == 0)
        return;
    if (b->too_big || b->length + n > max_body) {
        b->too_big = true; /* keep reading, drop it, answer 413 at the end */
        free(b->body);
        b->body = NULL;
        b->length = b->capacity = 0;
        return;
    }
    if (b->length + n + 1 > b->capacity) {
        b->capacity = (b->length + n + 1) * 2;
        if (b->capacity > max_body + 1)
            b->capacity = max_body + 1;
        b->body = mem_resize(b->body, b->capacity, 1);
    }
    memcpy(b->body + b->length, data, n);
    b->length += n;
    b->body[b->length] = '\0';
}

void request_body_free(RequestBody *b)
{
    free(b->body);
    b->body = NULL;
    b->length = b->capacity = 0;
}
