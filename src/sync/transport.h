/* transport: HTTPS requests to central through libcurl, with the rules that
 * never bend built in: certificates always verified (an extra CA bundle and
 * a public-key pin are optional), no redirects followed, plain http only to
 * loopback, a whole-request timeout, a cap on reply size, and the device
 * token sent only in the Authorization header and never logged.
 *
 * Contract: transport_create returns a heap Transport (transport_destroy
 * frees) that keeps its connection alive between requests. One thread uses
 * a Transport; `cancel` (may be NULL) is polled during transfers so the
 * owner can stop a slow request from another thread. */
#ifndef SAYSO_SYNC_TRANSPORT_H
#define SAYSO_SYNC_TRANSPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/sync_config.h"

enum { TRANSPORT_REPLY_MAX = 16 << 20 };

typedef struct {
    long status; /* 0: no HTTP reply at all (see error) */
    char *body;  /* NUL-terminated, heap */
    size_t length;
    char content_type[128];
    char etag[160];
    char retry_after[64];
    char error[256]; /* curl's reason when status is 0 */
} HttpReply;

typedef struct Transport Transport;

/* Process-wide libcurl setup; call once from main before any thread. */
bool transport_global_init(void);
void transport_global_cleanup(void);

Transport *transport_create(const SyncConfig *config, const atomic_bool *cancel, char *why,
                            size_t why_size);
void transport_destroy(Transport *t);
/* The token is copied; the previous one is wiped. */
void transport_set_token(Transport *t, const char *token);

/* Both return false only when the request could not be made at all;
 * an HTTP error status still returns true with reply->status set. */
bool transport_post_json(Transport *t, const char *path, const char *body, HttpReply *reply);
bool transport_get(Transport *t, const char *path, const char *if_none_match, HttpReply *reply);
void http_reply_free(HttpReply *reply);

#endif
