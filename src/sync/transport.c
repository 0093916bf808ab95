/* transport: one libcurl easy handle per worker. Options that protect the
 * data (verification, protocols, redirects) are set once at creation and
 * never relaxed per request. */
#include "sync/transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

struct Transport {
    CURL *curl;
    char *base_url;
    char *authorization; /* "Authorization: Bearer ..." */
    const atomic_bool *cancel;
    char error[CURL_ERROR_SIZE];
};

typedef struct {
    HttpReply *reply;
    size_t capacity;
    bool overflow;
} Sink;

bool transport_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void transport_global_cleanup(void)
{
    curl_global_cleanup();
}

static size_t on_body(char *data, size_t size, size_t count, void *arg)
{
    Sink *sink = arg;
    HttpReply *r = sink->reply;
    size_t n = size * count;
    if (r->length + n > TRANSPORT_REPLY_MAX) {
        sink->overflow = true;
        return 0; /* aborts the transfer */
    }
    if (r->length + n + 1 > sink->capacity) {
        sink->capacity = (r->length + n + 1) * 2;
        r->body = mem_resize(r->body, sink->capacity, 1);
    }
    memcpy(r->body + r->length, data, n);
    r->length += n;
    r->body[r->length] = '\0';
    return n;
}

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    const atomic_bool *cancel = arg;
    return cancel && atomic_load(cancel) ? 1 : 0;
}

Transport *transport_create(const SyncConfig *config, const atomic_bool *cancel, char *why,
                            size_t why_size)
{
    if (!config->server || !sync_url_allowed(config->server, why, why_size))
        return NULL;
    Transport *t = mem_alloc(sizeof *t);
    t->curl = curl_easy_init();
    t->base_url = mem_strdup(config->server);
    t->cancel = cancel;
    if (!t->curl) {
        snprintf(why, why_size, "libcurl could not start");
        transport_destroy(t);
        return NULL;
    }
    CURL *c = t->curl;
    long timeout = config->timeout_seconds;
    bool ok =
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http") == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)cancel) == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_USERAGENT, "sayso/1") == CURLE_OK &&
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK;
    if (ok && config->ca_bundle)
        ok = curl_easy_setopt(c, CURLOPT_CAINFO, config->ca_bundle) == CURLE_OK;
    if (ok && config->pinned_public_key)
        ok = curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, config->pinned_public_key) == CURLE_OK;
    if (!ok) {
        snprintf(why, why_size, "libcurl refused an option (too old, or no TLS support)");
        transport_destroy(t);
        return NULL;
    }
    return t;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void transport_destroy(Transport *t)
{
    if (!t)
        return;
    curl_easy_cleanup(t->curl);
    free(t->base_url);
    wipe_free(t->authorization);
    free(t);
}

void transport_set_token(Transport *t, const char *token)
{
    wipe_free(t->authorization);
    size_t n = strlen(token) + 32;
    t->authorization = mem_alloc(n);
    snprintf(t->authorization, n, "Authorization: Bearer %s", token);
}

void http_reply_free(HttpReply *reply)
{
    free(reply->body);
    *reply = (HttpReply){0};
}

static void copy_header(CURL *c, const char *name, char *out, size_t size)
{
    struct curl_header *h = NULL;
    if (curl_easy_header(c, name, 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h && h->value)
        snprintf(out, size, "%s", h->value);
}

static bool perform(Transport *t, const char *path, struct curl_slist *headers, HttpReply *reply)
{
    *reply = (HttpReply){0};
    char url[2048];
    snprintf(url, sizeof url, "%s%s", t->base_url, path);
    Sink sink = {reply, 0, false};
    t->error[0] = '\0';
    struct curl_slist *all = curl_slist_append(headers, "Accept: application/json");
    if (t->authorization)
        all = curl_slist_append(all, t->authorization);
    CURL *c = t->curl;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, all);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    /* The list holds the token: wipe it before it goes back to the heap. */
    for (struct curl_slist *p = all; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(all);
    if (!reply->body)
        reply->body = mem_strdup("");
    if (rc != CURLE_OK) {
        snprintf(reply->error, sizeof reply->error, "%s",
                 sink.overflow ? "reply too large"
                 : t->error[0] ? t->error
                               : curl_easy_strerror(rc));
        reply->status = 0;
        return true;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
    char *type = NULL;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
        snprintf(reply->content_type, sizeof reply->content_type, "%s", type);
    copy_header(c, "ETag", reply->etag, sizeof reply->etag);
    copy_header(c, "Retry-After", reply->retry_after, sizeof reply->retry_after);
    return true;
}

bool transport_post_json(Transport *t, const char *path, const char *body, HttpReply *reply)
{
    curl_easy_setopt(t->curl, CURLOPT_HTTPGET, 0L);
    curl_easy_setopt(t->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    /* Without this curl waits a second for "100 Continue" on big batches. */
    headers = curl_slist_append(headers, "Expect:");
    return perform(t, path, headers, reply);
}

bool transport_get(Transport *t, const char *path, const char *if_none_match, HttpReply *reply)
{
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(t->curl, CURLOPT_HTTPGET, 1L);
    struct curl_slist *headers = NULL;
    if (if_none_match && *if_none_match) {
        char line[256];
        snprintf(line, sizeof line, "If-None-Match: %s", if_none_match);
        headers = curl_slist_append(headers, line);
    }
    return perform(t, path, headers, reply);
}
