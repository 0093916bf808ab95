/*
 * faultproxy: a fault-injecting HTTP/1.1 proxy for the shell tests. It sits
 * between the kiosk's sync client (libcurl) and the central server
 * (libmicrohttpd), both on 127.0.0.1, and breaks the first N requests in one
 * chosen way (connection reset before or during the upload, reset after the
 * server has committed, 500, 503 with Retry-After, a slow or hung reply, a
 * captive-portal HTML page or redirect) so the tests can prove that sync
 * survives a hostile network without duplicating or losing data; later
 * requests go through untouched. Usage:
 *   faultproxy --listen-port P --port-file FILE --upstream-port U --mode MODE
 *              [--faults N] [--delay-ms MS] [--retry-after S] [--log FILE]
 *              [--lifetime SECONDS]
 * with MODE one of pass, reset, reset-mid, drop-after-commit, status500,
 * status503, slow, html200, hang, redirect. --listen-port 0 picks a free
 * port; the bound port is written to FILE (atomically, once the proxy is
 * listening), so a test waits for FILE instead of sleeping. Every request is
 * numbered from 1 across all connections; --log appends
 * "<number> <METHOD> <PATH> <mode-or-pass>" per request so a test can assert
 * exactly which requests were hit. The proxy exits 0 by itself after
 * --lifetime seconds (default 120) so a failing test can never leave it
 * behind, or earlier on SIGTERM/SIGINT; bad arguments exit 2.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX ((size_t)64 * 1024)
#define BODY_MAX ((size_t)64 * 1024 * 1024)
#define REPLY_MAX ((size_t)64 * 1024 * 1024)
#define READ_CHUNK ((size_t)64 * 1024)
/* Long enough for a loaded CI machine, short enough that no thread can
 * outlive a test by much if a peer silently vanishes. */
#define IO_TIMEOUT_MS 30000
#define CONNECT_TIMEOUT_MS 10000
/* After replying we wait briefly for the client's FIN: closing with unread
 * request bytes queued would turn our reply into a reset. */
#define LINGER_MS 2000
#define LINGER_BYTES ((size_t)1024 * 1024)
#define SHUTDOWN_GRACE_MS 3000
#define DEFAULT_LIFETIME_S 120L
#define DEFAULT_DELAY_MS 5000L
#define DEFAULT_RETRY_AFTER_S 1L

enum mode {
	MODE_PASS,
	MODE_RESET,
	MODE_RESET_MID,
	MODE_DROP_AFTER_COMMIT,
	MODE_STATUS500,
	MODE_STATUS503,
	MODE_SLOW,
	MODE_HTML200,
	MODE_HANG,
	MODE_REDIRECT,
	MODE_COUNT
};

static const char *const mode_names[MODE_COUNT] = {
	[MODE_PASS] = "pass",
	[MODE_RESET] = "reset",
	[MODE_RESET_MID] = "reset-mid",
	[MODE_DROP_AFTER_COMMIT] = "drop-after-commit",
	[MODE_STATUS500] = "status500",
	[MODE_STATUS503] = "status503",
	[MODE_SLOW] = "slow",
	[MODE_HTML200] = "html200",
	[MODE_HANG] = "hang",
	[MODE_REDIRECT] = "redirect",
};

static const char portal_page[] =
	"<html><body><h1>Welcome to Hospital WiFi</h1>"
	"<form method=\"post\" action=\"/login\">"
	"<p>Please sign in to access the Internet.</p>"
	"<input name=\"user\" placeholder=\"Room number\">"
	"<input name=\"pass\" type=\"password\">"
	"<button type=\"submit\">Connect</button>"
	"</form></body></html>\n";

static const char redirect_page[] =
	"<html><body><h1>302 Found</h1>"
	"<p>Redirecting to <a href=\"http://portal.invalid/login\">"
	"the WiFi login page</a>.</p></body></html>\n";

struct options {
	long listen_port; /* -1 until given */
	const char *port_file;
	long upstream_port; /* -1 until given */
	enum mode mode;
	bool mode_given;
	long faults; /* -1: every request is faulty */
	long delay_ms;
	long retry_after_s;
	const char *log_path;
	long lifetime_s;
};

/* Owned by main and shared read-only with the connection threads, except
 * the fields marked as guarded by lock. */
struct proxy {
	struct options opt;
	/* Written once at shutdown and never read, so it stays readable and
	 * every poll() in every thread wakes up and gives up. */
	int stop_rd;
	int stop_wr;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	FILE *log; /* guarded by lock */
	unsigned long last_request; /* guarded by lock */
	unsigned long active; /* guarded by lock */
};

struct client {
	struct proxy *px;
	int fd;
};

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Offsets, not pointers, because the buffer moves when the body arrives. */
struct request {
	struct buf raw; /* head block, then body */
	size_t head_len;
	size_t body_len;
	size_t method_off, method_len;
	size_t path_off, path_len;
	bool expect_continue;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return true;
	if (extra > SIZE_MAX / 2 - b->len)
		return false;
	size_t need = b->len + extra;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return false;
	b->data = p;
	b->cap = cap;
	return true;
}

static bool buf_append(struct buf *b, const void *p, size_t n)
{
	if (!buf_reserve(b, n))
		return false;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return true;
}

__attribute__((format(printf, 2, 3)))
static bool buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n + 1))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

/* Returns 1 when fd is ready, 0 on timeout, -1 when the proxy is shutting
 * down or poll failed; timeout_ms < 0 waits without limit (the stop pipe
 * still bounds it by the lifetime). */
static int wait_io(const struct proxy *px, int fd, short events, int timeout_ms)
{
	int64_t until = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;
	for (;;) {
		int left = -1;
		if (timeout_ms >= 0) {
			int64_t rest = until - now_ms();
			if (rest <= 0)
				return 0;
			left = rest > INT_MAX ? INT_MAX : (int)rest;
		}
		struct pollfd p[2] = {
			{ .fd = fd, .events = events },
			{ .fd = px->stop_rd, .events = POLLIN },
		};
		int r = poll(p, 2, left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		if (p[1].revents)
			return -1;
		if (p[0].revents)
			return 1;
	}
}

/* Returns bytes read, 0 at EOF, -1 on error or timeout (errno set). */
static ssize_t recv_some(const struct proxy *px, int fd, void *dst, size_t cap)
{
	for (;;) {
		ssize_t n = recv(fd, dst, cap, 0);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		int w = wait_io(px, fd, POLLIN, IO_TIMEOUT_MS);
		if (w != 1) {
			errno = w == 0 ? ETIMEDOUT : ECANCELED;
			return -1;
		}
	}
}

static bool send_all(const struct proxy *px, int fd, const void *src, size_t len)
{
	const char *p = src;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return false;
		if (wait_io(px, fd, POLLOUT, IO_TIMEOUT_MS) != 1)
			return false;
	}
	return true;
}

/* Returns false if the proxy started shutting down during the wait. */
static bool sleep_unless_stopping(const struct proxy *px, long ms)
{
	int64_t until = now_ms() + ms;
	for (;;) {
		int64_t rest = until - now_ms();
		if (rest <= 0)
			return true;
		struct pollfd p = { .fd = px->stop_rd, .events = POLLIN };
		int r = poll(&p, 1, rest > INT_MAX ? INT_MAX : (int)rest);
		if (r > 0)
			return false;
		if (r < 0 && errno != EINTR)
			return false;
	}
}

static void close_with_reset(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}

static void close_gracefully(const struct proxy *px, int fd)
{
	if (shutdown(fd, SHUT_WR) == 0) {
		char sink[4096];
		size_t drained = 0;
		int64_t until = now_ms() + LINGER_MS;
		while (drained < LINGER_BYTES) {
			int64_t rest = until - now_ms();
			if (rest <= 0 || wait_io(px, fd, POLLIN, (int)rest) != 1)
				break;
			ssize_t n = recv(fd, sink, sizeof sink, 0);
			if (n > 0) {
				drained += (size_t)n;
				continue;
			}
			if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
				continue;
			break;
		}
	}
	close(fd);
}

static void send_reply(const struct proxy *px, int fd, const char *status,
		       const char *extra_headers, const char *content_type, const char *body)
{
	struct buf b = { 0 };
	if (buf_printf(&b,
		       "HTTP/1.1 %s\r\n"
		       "Content-Type: %s\r\n"
		       "Content-Length: %zu\r\n"
		       "%s"
		       "Connection: close\r\n"
		       "\r\n"
		       "%s",
		       status, content_type, strlen(body), extra_headers, body))
		(void)send_all(px, fd, b.data, b.len);
	free(b.data);
	close_gracefully(px, fd);
}

static void send_text(const struct proxy *px, int fd, const char *status, const char *body)
{
	send_reply(px, fd, status, "", "text/plain; charset=utf-8", body);
}

/* Yields the CRLF-terminated lines of [*pos, end) without their CRLF. */
static bool next_line(const char **pos, const char *end, const char **line, size_t *len)
{
	if (*pos >= end)
		return false;
	const char *eol = memmem(*pos, (size_t)(end - *pos), "\r\n", 2);
	*line = *pos;
	if (!eol) {
		*len = (size_t)(end - *pos);
		*pos = end;
	} else {
		*len = (size_t)(eol - *pos);
		*pos = eol + 2;
	}
	return true;
}

static bool name_is(const char *name, size_t len, const char *want)
{
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	return len == strlen(want) && strncasecmp(name, want, len) == 0;
}

static bool field_is_any(const char *line, size_t len, const char *const *names, size_t count)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return false;
	for (size_t i = 0; i < count; i++)
		if (name_is(line, (size_t)(colon - line), names[i]))
			return true;
	return false;
}

/* Re-emits a head block (start line, fields, blank line) without the named
 * fields and with our own "Connection: close": both peers must see the
 * exchange end at EOF, because the proxy only ever handles one request per
 * connection. */
static bool rebuild_head(struct buf *out, const char *head, size_t head_len,
			 const char *const *drop, size_t drop_count)
{
	const char *end = head + head_len - 2;
	const char *pos = head;
	const char *line;
	size_t len;
	if (!next_line(&pos, end, &line, &len))
		return false;
	if (!buf_append(out, line, len) || !buf_append(out, "\r\n", 2))
		return false;
	bool dropping = false;
	while (next_line(&pos, end, &line, &len)) {
		/* A folded continuation belongs to the field above it. */
		bool folded = len > 0 && (line[0] == ' ' || line[0] == '\t');
		if (!folded)
			dropping = field_is_any(line, len, drop, drop_count);
		if (dropping)
			continue;
		if (!buf_append(out, line, len) || !buf_append(out, "\r\n", 2))
			return false;
	}
	return buf_append(out, "Connection: close\r\n\r\n", 21);
}

static void trim(const char **v, const char **end)
{
	while (*v < *end && (**v == ' ' || **v == '\t'))
		(*v)++;
	while (*end > *v && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Returns 0 if the request can be handled, else the status to refuse it
 * with. */
static int parse_head(struct request *rq)
{
	const char *head = rq->raw.data;
	const char *end = head + rq->head_len - 2;
	const char *pos = head;
	const char *line;
	size_t len;

	if (!next_line(&pos, end, &line, &len))
		return 400;
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1 || sp1 == line)
		return 400;
	const char *target = sp1 + 1;
	const char *sp2 = memchr(target, ' ', (size_t)(line + len - target));
	if (!sp2 || sp2 == target || line + len - (sp2 + 1) < 8 || memcmp(sp2 + 1, "HTTP/", 5) != 0)
		return 400;
	rq->method_off = 0;
	rq->method_len = (size_t)(sp1 - line);
	rq->path_off = (size_t)(target - head);
	rq->path_len = (size_t)(sp2 - target);

	bool have_length = false;
	while (next_line(&pos, end, &line, &len)) {
		if (len > 0 && (line[0] == ' ' || line[0] == '\t'))
			continue;
		const char *colon = memchr(line, ':', len);
		if (!colon || colon == line)
			return 400;
		size_t name_len = (size_t)(colon - line);
		const char *v = colon + 1;
		const char *v_end = line + len;
		trim(&v, &v_end);
		if (name_is(line, name_len, "Transfer-Encoding")) {
			return 411;
		} else if (name_is(line, name_len, "Content-Length")) {
			if (v == v_end)
				return 400;
			size_t n = 0;
			for (const char *c = v; c < v_end; c++) {
				if (*c < '0' || *c > '9')
					return 400;
				n = n * 10 + (size_t)(*c - '0');
				if (n > BODY_MAX)
					return 413;
			}
			if (have_length && n != rq->body_len)
				return 400;
			have_length = true;
			rq->body_len = n;
		} else if (name_is(line, name_len, "Expect")) {
			if ((size_t)(v_end - v) == 12 && strncasecmp(v, "100-continue", 12) == 0)
				rq->expect_continue = true;
		}
	}
	return 0;
}

enum head_result { HEAD_OK, HEAD_GONE, HEAD_TOO_BIG };

static enum head_result read_head(const struct proxy *px, int fd, struct request *rq)
{
	struct buf *b = &rq->raw;
	if (!buf_reserve(b, HEAD_MAX))
		return HEAD_GONE;
	while (b->len < HEAD_MAX) {
		ssize_t n = recv_some(px, fd, b->data + b->len, HEAD_MAX - b->len);
		if (n <= 0)
			return HEAD_GONE;
		size_t from = b->len > 3 ? b->len - 3 : 0;
		b->len += (size_t)n;
		const char *hit = memmem(b->data + from, b->len - from, "\r\n\r\n", 4);
		if (hit) {
			rq->head_len = (size_t)(hit - b->data) + 4;
			return HEAD_OK;
		}
	}
	return HEAD_TOO_BIG;
}

/* Reads until `want` body bytes are buffered; some may have arrived with the
 * head already. Bytes past the body (a pipelined request) are ignored. */
static bool read_body(const struct proxy *px, int fd, struct request *rq, size_t want)
{
	struct buf *b = &rq->raw;
	size_t need = rq->head_len + want;
	if (b->len >= need)
		return true;
	if (!buf_reserve(b, need - b->len))
		return false;
	while (b->len < need) {
		ssize_t n = recv_some(px, fd, b->data + b->len, need - b->len);
		if (n <= 0)
			return false;
		b->len += (size_t)n;
	}
	return true;
}

static int connect_upstream(const struct proxy *px)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)px->opt.upstream_port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	/* Even loopback connect() can stall when the server's backlog is full,
	 * so it is done non-blocking and bounded like every other wait. */
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	if (wait_io(px, fd, POLLOUT, CONNECT_TIMEOUT_MS) != 1)
		goto fail;
	int err = 0;
	socklen_t err_len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0 || err != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

enum reply_result { REPLY_OK, REPLY_FAILED, REPLY_TOO_BIG };

static enum reply_result read_to_eof(const struct proxy *px, int fd, struct buf *b)
{
	for (;;) {
		if (b->len > REPLY_MAX)
			return REPLY_TOO_BIG;
		if (!buf_reserve(b, READ_CHUNK))
			return REPLY_FAILED;
		ssize_t n = recv_some(px, fd, b->data + b->len, b->cap - b->len);
		if (n > 0) {
			b->len += (size_t)n;
			continue;
		}
		/* A server that resets right after writing its reply still
		 * delivered it; the caller checks it at least has a head. */
		if (n == 0 || errno == ECONNRESET)
			return REPLY_OK;
		return REPLY_FAILED;
	}
}

/* Forwards the request on a fresh upstream connection; with drop_reply the
 * server still gets to finish (and commit) but the client only sees a
 * reset, the case that makes a client retry something that already
 * happened. */
static void pass_through(const struct proxy *px, int cfd, const struct request *rq, bool drop_reply)
{
	/* Expect is handled by us (the body is already buffered); forwarding it
	 * would make the server answer 100 Continue into the reply we parse. */
	static const char *const request_drop[] = { "Connection", "Expect" };
	static const char *const reply_drop[] = { "Connection" };
	struct buf out = { 0 };
	struct buf reply = { 0 };

	int ufd = connect_upstream(px);
	if (ufd < 0) {
		if (drop_reply)
			close_with_reset(cfd);
		else
			send_text(px, cfd, "502 Bad Gateway", "faultproxy: upstream unreachable\n");
		goto done;
	}
	bool ok = rebuild_head(&out, rq->raw.data, rq->head_len, request_drop, 2) &&
		  send_all(px, ufd, out.data, out.len) &&
		  send_all(px, ufd, rq->raw.data + rq->head_len, rq->body_len);
	enum reply_result rr = ok ? read_to_eof(px, ufd, &reply) : REPLY_FAILED;
	close(ufd);

	if (drop_reply) {
		close_with_reset(cfd);
		goto done;
	}
	const char *hit = rr == REPLY_OK ? memmem(reply.data, reply.len, "\r\n\r\n", 4) : NULL;
	if (!hit) {
		send_text(px, cfd, "502 Bad Gateway",
			  rr == REPLY_TOO_BIG ? "faultproxy: upstream reply too large\n"
					      : "faultproxy: no valid reply from upstream\n");
		goto done;
	}
	size_t head_len = (size_t)(hit - reply.data) + 4;
	out.len = 0;
	if (rebuild_head(&out, reply.data, head_len, reply_drop, 1) &&
	    send_all(px, cfd, out.data, out.len))
		(void)send_all(px, cfd, reply.data + head_len, reply.len - head_len);
	close_gracefully(px, cfd);
done:
	free(out.data);
	free(reply.data);
}

static void hang_until_client_leaves(const struct proxy *px, int fd)
{
	char sink[4096];
	for (;;) {
		if (wait_io(px, fd, POLLIN, -1) != 1)
			break;
		ssize_t n = recv(fd, sink, sizeof sink, 0);
		if (n > 0)
			continue;
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		break;
	}
	close(fd);
}

/* Numbering and logging share one critical section so the log lines come
 * out in request-number order. */
static enum mode admit_request(struct proxy *px, const struct request *rq)
{
	pthread_mutex_lock(&px->lock);
	unsigned long number = ++px->last_request;
	bool faulty = px->opt.mode != MODE_PASS &&
		      (px->opt.faults < 0 || number <= (unsigned long)px->opt.faults);
	enum mode fault = faulty ? px->opt.mode : MODE_PASS;
	if (px->log) {
		fprintf(px->log, "%lu %.*s %.*s %s\n", number,
			(int)rq->method_len, rq->raw.data + rq->method_off,
			(int)rq->path_len, rq->raw.data + rq->path_off, mode_names[fault]);
		fflush(px->log);
	}
	pthread_mutex_unlock(&px->lock);
	return fault;
}

/* Owns fd: every path below closes it exactly once. */
static void handle_connection(struct proxy *px, int fd)
{
	struct request rq = { 0 };

	switch (read_head(px, fd, &rq)) {
	case HEAD_GONE:
		/* Includes bare connects, e.g. a test probing the port. */
		close(fd);
		goto done;
	case HEAD_TOO_BIG:
		send_text(px, fd, "400 Bad Request", "faultproxy: request header block too large\n");
		goto done;
	case HEAD_OK:
		break;
	}
	switch (parse_head(&rq)) {
	case 0:
		break;
	case 411:
		send_text(px, fd, "411 Length Required", "faultproxy: chunked request bodies are not supported\n");
		goto done;
	case 413:
		send_text(px, fd, "413 Content Too Large", "faultproxy: request body too large\n");
		goto done;
	default:
		send_text(px, fd, "400 Bad Request", "faultproxy: malformed request\n");
		goto done;
	}

	enum mode fault = admit_request(px, &rq);

	/* Without this libcurl stalls a second before large uploads. */
	if (rq.expect_continue && rq.body_len > 0 && rq.raw.len == rq.head_len) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
		if (!send_all(px, fd, cont, sizeof cont - 1)) {
			close(fd);
			goto done;
		}
	}
	size_t want = fault == MODE_RESET_MID ? rq.body_len / 2 : rq.body_len;
	if (!read_body(px, fd, &rq, want)) {
		close(fd);
		goto done;
	}

	char extra[64];
	switch (fault) {
	case MODE_RESET:
	case MODE_RESET_MID:
		close_with_reset(fd);
		break;
	case MODE_DROP_AFTER_COMMIT:
		pass_through(px, fd, &rq, true);
		break;
	case MODE_STATUS500:
		send_text(px, fd, "500 Internal Server Error",
			  "faultproxy: injected 500 Internal Server Error\n");
		break;
	case MODE_STATUS503:
		snprintf(extra, sizeof extra, "Retry-After: %ld\r\n", px->opt.retry_after_s);
		send_reply(px, fd, "503 Service Unavailable", extra, "text/plain; charset=utf-8",
			   "faultproxy: injected 503 Service Unavailable\n");
		break;
	case MODE_SLOW:
		if (sleep_unless_stopping(px, px->opt.delay_ms))
			pass_through(px, fd, &rq, false);
		else
			close(fd);
		break;
	case MODE_HTML200:
		send_reply(px, fd, "200 OK", "", "text/html; charset=utf-8", portal_page);
		break;
	case MODE_HANG:
		hang_until_client_leaves(px, fd);
		break;
	case MODE_REDIRECT:
		send_reply(px, fd, "302 Found", "Location: http://portal.invalid/login\r\n",
			   "text/html; charset=utf-8", redirect_page);
		break;
	case MODE_PASS:
	case MODE_COUNT:
	default:
		pass_through(px, fd, &rq, false);
		break;
	}
done:
	free(rq.raw.data);
}

static void *serve_client(void *arg)
{
	struct client *c = arg;
	struct proxy *px = c->px;
	int fd = c->fd;
	free(c);

	handle_connection(px, fd);

	pthread_mutex_lock(&px->lock);
	if (--px->active == 0)
		pthread_cond_signal(&px->idle);
	pthread_mutex_unlock(&px->lock);
	return NULL;
}

static void spawn_handler(struct proxy *px, int fd)
{
	struct client *c = malloc(sizeof *c);
	if (!c) {
		close(fd);
		return;
	}
	c->px = px;
	c->fd = fd;

	pthread_mutex_lock(&px->lock);
	px->active++;
	pthread_mutex_unlock(&px->lock);

	pthread_attr_t attr;
	pthread_t tid;
	int err = pthread_attr_init(&attr);
	if (err == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		err = pthread_create(&tid, &attr, serve_client, c);
		pthread_attr_destroy(&attr);
	}
	if (err != 0) {
		fprintf(stderr, "faultproxy: pthread_create: %s\n", strerror(err));
		close(fd);
		free(c);
		pthread_mutex_lock(&px->lock);
		if (--px->active == 0)
			pthread_cond_signal(&px->idle);
		pthread_mutex_unlock(&px->lock);
	}
}

static void usage(FILE *out)
{
	fputs("usage: faultproxy --listen-port P --port-file FILE --upstream-port U --mode MODE\n"
	      "                  [--faults N] [--delay-ms MS] [--retry-after S] [--log FILE]\n"
	      "                  [--lifetime SECONDS]\n"
	      "  --listen-port P    port on 127.0.0.1 to listen on, 0 = any free port\n"
	      "  --port-file FILE   the bound port is written here once listening\n"
	      "                     (required with --listen-port 0)\n"
	      "  --upstream-port U  the server is at 127.0.0.1:U\n"
	      "  --mode MODE        pass, reset, reset-mid, drop-after-commit, status500,\n"
	      "                     status503, slow, html200, hang, redirect\n"
	      "  --faults N         only the first N requests get the fault (default: all)\n"
	      "  --delay-ms MS      delay for mode slow (default 5000)\n"
	      "  --retry-after S    Retry-After for mode status503 (default 1)\n"
	      "  --log FILE         append \"<number> <METHOD> <PATH> <fault|pass>\" per request\n"
	      "  --lifetime SECONDS exit by itself after this long (default 120)\n",
	      out);
}

static bool parse_long(const char *option, const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "faultproxy: %s needs an integer in %ld..%ld, got '%s'\n",
			option, lo, hi, text);
		return false;
	}
	*out = v;
	return true;
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_LISTEN = 1000, OPT_PORT_FILE, OPT_UPSTREAM, OPT_MODE, OPT_FAULTS,
	       OPT_DELAY, OPT_RETRY, OPT_LOG, OPT_LIFETIME, OPT_HELP };
	static const struct option longopts[] = {
		{ "listen-port", required_argument, NULL, OPT_LISTEN },
		{ "port-file", required_argument, NULL, OPT_PORT_FILE },
		{ "upstream-port", required_argument, NULL, OPT_UPSTREAM },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "faults", required_argument, NULL, OPT_FAULTS },
		{ "delay-ms", required_argument, NULL, OPT_DELAY },
		{ "retry-after", required_argument, NULL, OPT_RETRY },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "lifetime", required_argument, NULL, OPT_LIFETIME },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};

	*o = (struct options){
		.listen_port = -1,
		.upstream_port = -1,
		.mode = MODE_PASS,
		.faults = -1,
		.delay_ms = DEFAULT_DELAY_MS,
		.retry_after_s = DEFAULT_RETRY_AFTER_S,
		.lifetime_s = DEFAULT_LIFETIME_S,
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case OPT_LISTEN:
			ok = parse_long("--listen-port", optarg, 0, 65535, &o->listen_port);
			break;
		case OPT_PORT_FILE:
			if (optarg[0] == '\0') {
				fputs("faultproxy: --port-file needs a file name\n", stderr);
				ok = false;
			}
			o->port_file = optarg;
			break;
		case OPT_UPSTREAM:
			ok = parse_long("--upstream-port", optarg, 1, 65535, &o->upstream_port);
			break;
		case OPT_MODE:
			o->mode_given = false;
			for (int m = 0; m < MODE_COUNT; m++) {
				if (strcmp(optarg, mode_names[m]) == 0) {
					o->mode = (enum mode)m;
					o->mode_given = true;
				}
			}
			if (!o->mode_given) {
				fprintf(stderr, "faultproxy: unknown --mode '%s'; one of:", optarg);
				for (int m = 0; m < MODE_COUNT; m++)
					fprintf(stderr, " %s", mode_names[m]);
				fputc('\n', stderr);
				ok = false;
			}
			break;
		case OPT_FAULTS:
			ok = parse_long("--faults", optarg, 0, LONG_MAX, &o->faults);
			break;
		case OPT_DELAY:
			ok = parse_long("--delay-ms", optarg, 0, INT_MAX, &o->delay_ms);
			break;
		case OPT_RETRY:
			ok = parse_long("--retry-after", optarg, 0, INT_MAX, &o->retry_after_s);
			break;
		case OPT_LOG:
			if (optarg[0] == '\0') {
				fputs("faultproxy: --log needs a file name\n", stderr);
				ok = false;
			}
			o->log_path = optarg;
			break;
		case OPT_LIFETIME:
			ok = parse_long("--lifetime", optarg, 1, INT_MAX / 1000, &o->lifetime_s);
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			ok = false; /* getopt_long already said why */
			break;
		}
		if (!ok) {
			fputs("faultproxy: try --help\n", stderr);
			return 2;
		}
	}
	const char *missing = NULL;
	if (optind < argc) {
		fprintf(stderr, "faultproxy: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (o->listen_port < 0)
		missing = "--listen-port";
	else if (o->upstream_port < 0)
		missing = "--upstream-port";
	else if (!o->mode_given)
		missing = "--mode";
	else if (o->listen_port == 0 && !o->port_file)
		missing = "--port-file (with --listen-port 0 nobody could find the proxy)";
	if (missing) {
		fprintf(stderr, "faultproxy: missing %s; try --help\n", missing);
		return 2;
	}
	return -1;
}

/* Readers poll for the file, so it must never be seen half-written. */
static bool write_port_file(const char *path, unsigned port)
{
	size_t tmp_size = strlen(path) + 32;
	char *tmp = malloc(tmp_size);
	if (!tmp)
		return false;
	snprintf(tmp, tmp_size, "%s.tmp.%ld", path, (long)getpid());
	char line[16];
	int len = snprintf(line, sizeof line, "%u\n", port);
	bool ok = false;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ok = true;
		for (int done = 0; ok && done < len;) {
			ssize_t n = write(fd, line + done, (size_t)(len - done));
			if (n > 0)
				done += (int)n;
			else if (n < 0 && errno == EINTR)
				continue;
			else
				ok = false;
		}
		if (close(fd) != 0)
			ok = false;
		if (ok && rename(tmp, path) != 0)
			ok = false;
		if (!ok)
			unlink(tmp);
	}
	if (!ok)
		fprintf(stderr, "faultproxy: cannot write port file %s: %s\n", path, strerror(errno));
	free(tmp);
	return ok;
}

static int open_listener(long port, unsigned *bound)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("faultproxy: socket");
		return -1;
	}
	/* Tests reuse fixed ports back to back; TIME_WAIT must not block them. */
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t sa_len = sizeof sa;
	if (bind(fd, (const struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "faultproxy: bind 127.0.0.1:%ld: %s\n", port, strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, 128) != 0 || getsockname(fd, (struct sockaddr *)&sa, &sa_len) != 0) {
		perror("faultproxy: listen");
		close(fd);
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static void accept_one(struct proxy *px, int lfd)
{
	/* cppcheck-suppress nullPointer ; accept4 takes NULL for an address it need not return */
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0) {
		spawn_handler(px, fd);
		return;
	}
	/* Out of descriptors or memory: back off instead of spinning on a
	 * listener that stays readable. */
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
		(void)poll(NULL, 0, 100);
}

int main(int argc, char **argv)
{
	struct proxy px;
	memset(&px, 0, sizeof px);
	px.stop_rd = px.stop_wr = -1;
	int status = parse_args(argc, argv, &px.opt);
	if (status >= 0)
		return status;

	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, NULL);
	/* Blocked before any thread exists so only the signalfd sees them. */
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

	status = 1;
	int lfd = -1;
	int sfd = signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		perror("faultproxy: signalfd");
		goto out;
	}
	if (px.opt.log_path) {
		px.log = fopen(px.opt.log_path, "ae");
		if (!px.log) {
			fprintf(stderr, "faultproxy: cannot open log %s: %s\n", px.opt.log_path,
				strerror(errno));
			status = 2;
			goto out;
		}
	}
	int pipe_fds[2];
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		perror("faultproxy: pipe2");
		goto out;
	}
	px.stop_rd = pipe_fds[0];
	px.stop_wr = pipe_fds[1];
	unsigned port = 0;
	lfd = open_listener(px.opt.listen_port, &port);
	if (lfd < 0)
		goto out;
	if (px.opt.port_file && !write_port_file(px.opt.port_file, port))
		goto out;

	pthread_mutex_init(&px.lock, NULL);
	pthread_condattr_t cattr;
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&px.idle, &cattr);
	pthread_condattr_destroy(&cattr);

	int64_t deadline = now_ms() + (int64_t)px.opt.lifetime_s * 1000;
	for (;;) {
		int64_t rest = deadline - now_ms();
		if (rest <= 0)
			break;
		struct pollfd p[2] = {
			{ .fd = lfd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		int r = poll(p, 2, rest > INT_MAX ? INT_MAX : (int)rest);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("faultproxy: poll");
			break;
		}
		if (p[1].revents)
			break;
		if (p[0].revents)
			accept_one(&px, lfd);
	}

	/* Refuse new clients first, then wake every thread's poll(). */
	close(lfd);
	lfd = -1;
	(void)!write(px.stop_wr, "x", 1);

	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += SHUTDOWN_GRACE_MS / 1000;
	pthread_mutex_lock(&px.lock);
	while (px.active > 0)
		if (pthread_cond_timedwait(&px.idle, &px.lock, &until) == ETIMEDOUT)
			break;
	bool idle = px.active == 0;
	if (px.log)
		fflush(px.log);
	pthread_mutex_unlock(&px.lock);
	if (!idle) {
		/* A straggler still uses px, which lives in this frame: exit()
		 * from here keeps the frame alive where returning would not. */
		exit(0);
	}
	pthread_cond_destroy(&px.idle);
	pthread_mutex_destroy(&px.lock);
	status = 0;
out:
	if (lfd >= 0)
		close(lfd);
	if (sfd >= 0)
		close(sfd);
	if (px.stop_rd >= 0)
		close(px.stop_rd);
	if (px.stop_wr >= 0)
		close(px.stop_wr);
	if (px.log)
		fclose(px.log);
	return status;
}
