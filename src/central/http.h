/* http: central's HTTP API (/v1/...) on libmicrohttpd. Routes, bearer-token
 * checks, body size, time and connection limits, and the JSON error replies
 * live here; what is stored lives in repo. See docs/protocol.md and
 * docs/central-hardening.md.
 *
 * Contract: http_start returns a heap Server that serves on its own threads
 * until http_stop (which frees it). The Repo is borrowed and must outlive
 * the Server. */
#ifndef SAYSO_CENTRAL_HTTP_H
#define SAYSO_CENTRAL_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "central/repo.h"

typedef struct {
    const char *listen_address; /* numeric IPv4 or IPv6; default 127.0.0.1 */
    unsigned port;              /* 0: any free port (see http_port) */
    size_t max_body_bytes;      /* bigger request bodies get 413 */
    unsigned threads;
    const char *tls_cert_pem; /* both set: HTTPS only */
    const char *tls_key_pem;
    /* Each at least 1. */
    unsigned idle_timeout_seconds;    /* a connection silent this long is closed */
    unsigned request_timeout_seconds; /* headers to the end of the body, at most */
    unsigned max_connections;         /* more are closed as soon as accepted */
} HttpOptions;

typedef struct Server Server;

Server *http_start(const HttpOptions *options, Repo *repo, char *why, size_t why_size);
unsigned http_port(const Server *s);
void http_stop(Server *s);

#endif
