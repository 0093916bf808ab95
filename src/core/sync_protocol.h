/* sync_protocol: the rules of the kiosk-to-central protocol that need no
 * network: how a batch body is made, what counts as an acknowledgement, how
 * an HTTP status is handled, and how long to wait before trying again.
 * Kept pure so every rule is unit-tested; src/sync does the I/O.
 * See docs/protocol.md.
 *
 * Contract: no state; any thread. Returned strings are heap, caller frees. */
#ifndef SAYSO_CORE_SYNC_PROTOCOL_H
#define SAYSO_CORE_SYNC_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum {
    SYNC_PROTOCOL_VERSION = 1,
    SYNC_BATCH_MAX = 500,           /* central refuses bigger batches */
    SYNC_RETRY_AFTER_MAX = 6 * 3600 /* a Retry-After longer than this is capped */
};

/* What the client does with a reply to an upload. */
typedef enum {
    SYNC_ACK,   /* 200 or 409 with a valid acknowledgement body: mark what it names */
    SYNC_RETRY, /* network error, timeout, 408, 429, 5xx, a 2xx that is not an ack,
                   a redirect (a captive portal): keep everything, try later */
    SYNC_SPLIT, /* 413: send fewer at a time */
    SYNC_AUTH,  /* 401/403: the device token is wrong or revoked; stop until it changes */
    SYNC_HOLD   /* any other 4xx: this batch is refused; keep it, report, go on */
} SyncAction;

/* status 0 means the request never got an HTTP reply. */
SyncAction sync_action_for_status(long status);
const char *sync_action_name(SyncAction a);

/* {"responses":[body,body,...]}: bodies are stored JSON texts, sent byte for
 * byte so a re-send is identical. */
char *sync_batch_body(const char *const *bodies, size_t count);

/* Checks that a reply is the acknowledgement we expect: content type
 * application/json, an object with an "accepted" array of strings and an
 * optional "conflicts" array. For each of the batch's ids, sets accepted[i]
 * or conflict[i]. Returns false with a reason when the reply is not an
 * acknowledgement at all (an HTML login page, truncated JSON, ids we never
 * sent): then nothing may be marked. */
bool sync_parse_ack(const char *content_type, const char *body, size_t length,
                    const char *const *ids, size_t count, bool *accepted, bool *conflict, char *why,
                    size_t why_size);

/* Retry-After: delta-seconds or an HTTP-date. Returns false if unparsable;
 * the result is clamped to 0..SYNC_RETRY_AFTER_MAX. */
bool sync_parse_retry_after(const char *value, time_t now, long *seconds);

/* Capped exponential backoff with jitter: attempt 1 waits about base, each
 * further attempt doubles, never beyond cap. The wait is drawn uniformly
 * from [half, full] of that step (random is any 32-bit value), so a ward of
 * kiosks coming back together does not retry in lockstep. Milliseconds. */
long sync_backoff_ms(int attempt, long base_ms, long cap_ms, uint32_t random);

#endif
