/* http: request handling for sayso-central. Every reply, errors included,
 * is JSON with an "error" text a person can act on, and nothing a client
 * sends can crash the server: bodies are capped, parsed by jansson, and
 * checked field by field in repo before anything is stored. */
#include "central/http.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "central/request.h"
#include "core/log.h"
#include "core/mem.h"

struct Server {
    struct MHD_Daemon *daemon;
    Repo *repo;
    size_t max_body;
    unsigned request_timeout;
    unsigned port;
};

typedef struct {
    RequestBody upload;
    size_t seen;    /* body bytes received, kept or not */
    time_t started; /* CLOCK_MONOTONIC seconds when the headers were in */
    bool answered;
} RequestState;

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *type,
                                  char *body, size_t length, const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(length, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (etag)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"sayso\"");
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result result = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return result;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, char *json)
{
    return send_reply(c, status, "application/json", json, strlen(json), NULL);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *message)
{
    json_t *o = json_pack("{s:s}", "error", message);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return send_json(c, status, text ? text : mem_strdup("{}"));
}

/* The principal for "Authorization: Bearer <token>". */
static AuthResult authenticate(Server *s, struct MHD_Connection *c, Principal *who)
{
    const char *token =
        request_bearer_token(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"));
    return token ? repo_authenticate(s->repo, token, who) : AUTH_REJECTED;
}

static enum MHD_Result route_health(Server *s, struct MHD_Connection *c, const Principal *who,
                                    const RequestState *rs)
{
    (void)who;
    (void)rs;
    bool ok = repo_healthy(s->repo);
    json_t *o = json_pack("{s:s,s:s,s:i}", "status", ok ? "ok" : "storage unavailable", "storage",
                          repo_kind(s->repo), "protocol", 1);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return send_json(c, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, text);
}

static enum MHD_Result route_responses(Server *s, struct MHD_Connection *c, const Principal *who,
                                       const RequestState *rs)
{
    if (who->role != ROLE_DEVICE)
        return send_error(c, MHD_HTTP_FORBIDDEN, "only device tokens may upload responses");
    /* The kiosk always says JSON; anything else (a form, text) is not a
     * batch, whatever its bytes happen to parse as. */
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    size_t n = strlen("application/json");
    if (!type || strncasecmp(type, "application/json", n) != 0 ||
        (type[n] && type[n] != ';' && type[n] != ' '))
        return send_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "Content-Type must be application/json");
    IngestResult result;
    repo_ingest(s->repo, who, rs->upload.body ? rs->upload.body : "", rs->upload.length, &result);
    log_info("central", "POST /v1/responses from %s: %d", who->name, result.status);
    return send_json(c, (unsigned)result.status, result.reply);
}

static enum MHD_Result route_questionnaires(Server *s, struct MHD_Connection *c,
                                            const Principal *who, const RequestState *rs)
{
    (void)rs;
    if (who->role != ROLE_DEVICE)
        return send_error(c, MHD_HTTP_FORBIDDEN, "only device tokens have a questionnaire set");
    char *body = NULL, *etag = NULL;
    if (!repo_questionnaires(s->repo, who->site, &body, &etag))
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage is unavailable");
    const char *match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    enum MHD_Result result;
    if (request_etag_matches(match, etag)) {
        free(body);
        result = send_reply(c, MHD_HTTP_NOT_MODIFIED, NULL, mem_strdup(""), 0, etag);
    } else
        result = send_reply(c, MHD_HTTP_OK, "application/json", body, strlen(body), etag);
    free(etag);
    return result;
}

typedef struct {
    unsigned seen; /* bit i: EXPORT_PARAMS[i] was given */
    char why[160];
} ParamCheck;

static const char *const EXPORT_PARAMS[] = {"format", "site", "from", "to"};

/* Export takes each known parameter at most once. A misspelt one ("sit=")
 * would otherwise widen an export to every site, and a repeated one or a
 * NUL (%00, which ends the C string) would make what is exported differ
 * from what was asked. */
static enum MHD_Result check_export_param(void *ctx, enum MHD_ValueKind kind, const char *key,
                                          size_t key_size, const char *value, size_t value_size)
{
    ParamCheck *check = ctx;
    (void)kind;
    size_t i = 0;
    while (i < sizeof EXPORT_PARAMS / sizeof EXPORT_PARAMS[0] &&
           (strlen(key) != key_size || strcmp(key, EXPORT_PARAMS[i]) != 0))
        i++;
    if (i == sizeof EXPORT_PARAMS / sizeof EXPORT_PARAMS[0])
        snprintf(check->why, sizeof check->why,
                 "unknown parameter (export takes format, site, from and to)");
    else if (check->seen & 1u << i)
        snprintf(check->why, sizeof check->why, "the parameter \"%s\" is given twice", key);
    else if (value && strlen(value) != value_size)
        snprintf(check->why, sizeof check->why, "the parameter \"%s\" holds a NUL", key);
    else {
        check->seen |= 1u << i;
        return MHD_YES;
    }
    return MHD_NO;
}

static enum MHD_Result route_export(Server *s, struct MHD_Connection *c, const Principal *who,
                                    const RequestState *rs)
{
    (void)rs;
    if (who->role != ROLE_ADMIN)
        return send_error(c, MHD_HTTP_FORBIDDEN, "export needs an admin token");
    ParamCheck check = {0};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, check_export_param, &check);
    if (check.why[0])
        return send_error(c, MHD_HTTP_BAD_REQUEST, check.why);
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
    ExportQuery q = {
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "site"),
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from"),
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to"),
    };
    CentralExportFormat f;
    if (!request_export_format(format, &f))
        return send_error(c, MHD_HTTP_BAD_REQUEST, "format must be csv or json");
    char why[256];
    if (!export_query_valid(&q, why, sizeof why))
        return send_error(c, MHD_HTTP_BAD_REQUEST, why);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    bool ok = repo_export(s->repo, &q, f, out, why, sizeof why);
    if (fclose(out) != 0 && ok) { /* the last flush failed: the text is cut */
        snprintf(why, sizeof why, "out of memory");
        ok = false;
    }
    if (!ok) {
        free(text);
        log_error("central", "export failed: %s", why);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "export failed; see the server log");
    }
    return send_reply(c, MHD_HTTP_OK,
                      f == CENTRAL_EXPORT_CSV ? "text/csv; charset=utf-8" : "application/json",
                      text, size, NULL);
}

typedef enum MHD_Result (*RouteHandler)(Server *s, struct MHD_Connection *c, const Principal *who,
                                        const RequestState *rs);

/* Indexed by RouteId. */
static const RouteHandler HANDLERS[] = {
    [ROUTE_HEALTH] = route_health,
    [ROUTE_RESPONSES] = route_responses,
    [ROUTE_QUESTIONNAIRES] = route_questionnaires,
    [ROUTE_EXPORT] = route_export,
};

static enum MHD_Result dispatch(Server *s, struct MHD_Connection *c, const char *url,
                                const char *method, const RequestState *rs)
{
    const Route *route = request_route(url);
    if (!route)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint; see docs/protocol.md");
    if (strcmp(method, route->method) != 0) {
        char message[96];
        snprintf(message, sizeof message, "%s takes %s", route->path, route->method);
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, message);
    }
    RouteHandler handler = HANDLERS[route->id];
    if (!route->needs_token)
        return handler(s, c, NULL, rs);
    Principal who;
    AuthResult auth = authenticate(s, c, &who);
    /* A kiosk told 401 stops and asks staff for a new token; a storage
     * failure is the server's and passes, so it gets 503 and retries. */
    if (auth == AUTH_UNAVAILABLE)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "storage is unavailable");
    if (auth != AUTH_OK) {
        log_warn("central", "%s %s: unknown or revoked token", method, url);
        return send_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked token");
    }
    return handler(s, c, &who, rs);
}

static time_t monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **state)
{
    Server *s = cls;
    RequestState *rs = *state;
    (void)version;
    if (!rs) {
        rs = mem_alloc(sizeof *rs);
        *state = rs;
        rs->started = monotonic_seconds();
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        /* A body somewhat over the limit is read and dropped so the client
         * gets a clean 413 (the kiosk then sends smaller batches); answering
         * mid-upload makes the client see a reset instead. Only a body far
         * beyond the limit is cut off at once. */
        if (request_length_refused(length, s->max_body)) {
            rs->answered = true;
            return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body is too large");
        }
        return MHD_YES;
    }
    if (rs->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        rs->seen += n;
        /* The idle timeout never fires for a client that sends a byte a
         * second, and a chunked body has no length to refuse up front: the
         * whole body gets a deadline, and dropping stops at the same bound
         * as a declared length. libmicrohttpd cannot answer in the middle
         * of a body, so the connection is closed (MHD_NO). */
        if (monotonic_seconds() - rs->started > (time_t)s->request_timeout) {
            log_warn("central", "%s %s: body not in after %u s; connection closed", method, url,
                     s->request_timeout);
            return MHD_NO;
        }
        if (rs->seen / 4 > s->max_body) {
            log_warn("central", "%s %s: body over 4 x --max-body; connection closed", method, url);
            return MHD_NO;
        }
        request_body_append(&rs->upload, upload_data, n, s->max_body);
        return MHD_YES;
    }
    rs->answered = true;
    if (rs->upload.too_big)
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body is too large");
    return dispatch(s, c, url, method, rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    RequestState *rs = *state;
    if (rs) {
        request_body_free(&rs->upload);
        free(rs);
        *state = NULL;
    }
}

Server *http_start(const HttpOptions *o, Repo *repo, char *why, size_t why_size)
{
    Server *s = mem_alloc(sizeof *s);
    s->repo = repo;
    s->max_body = o->max_body_bytes;
    s->request_timeout = o->request_timeout_seconds;
    struct sockaddr_storage addr = {0};
    const char *listen = o->listen_address ? o->listen_address : "127.0.0.1";
    /* epoll where there is one: select() cannot watch a socket numbered over
     * 1023, which a few hundred connections reach. */
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
    if (inet_pton(AF_INET, listen, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)o->port);
    } else if (inet_pton(AF_INET6, listen, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)o->port);
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(why, why_size, "--listen \"%s\" is not a numeric IP address", listen);
        goto fail;
    }
    bool tls = o->tls_cert_pem && o->tls_key_pem;
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(why, why_size, "this libmicrohttpd has no TLS support");
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 4,
        MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout_seconds, MHD_OPTION_CONNECTION_LIMIT,
        o->max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, o->tls_key_pem, MHD_OPTION_HTTPS_MEM_CERT,
        o->tls_cert_pem, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(why, why_size, "cannot listen on %s port %u (in use, or not allowed)", listen,
                 o->port);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    return s;
fail:
    free(s);
    return NULL;
}

unsigned http_port(const Server *s)
{
    return s->port;
}

void http_stop(Server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
