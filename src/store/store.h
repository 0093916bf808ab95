/* store: the kiosk's local SQLite database of completed responses.
 *
 * Owns one database connection. store_commit returns only after the response
 * is durable (one transaction, WAL, synchronous=FULL): the UI shows "Thank
 * you" only after it returns true. The schema is versioned through
 * PRAGMA user_version and migrated forward at open; see docs/storage.md.
 *
 * Contract: store_open returns a heap Store (store_close frees it) or NULL
 * with a reason in `why`. A Store is used from one thread at a time; the sync
 * worker opens its own Store on the same file (store_open_sync). */
#ifndef SAYSO_STORE_STORE_H
#define SAYSO_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/response.h"

typedef struct Store Store;

enum { STORE_SCHEMA_VERSION = 3 };

typedef enum { EXPORT_CSV, EXPORT_JSON } ExportFormat;

Store *store_open(const char *data_dir, char *why, size_t why_size);
void store_close(Store *s);
/* The sync worker's Store on the same database. Its commits (sent and held
 * marks, sync state, the questionnaire set) are not synced one by one
 * (synchronous=NORMAL): a power cut can undo its last few, whole and in
 * order, which only means a re-send that central acknowledges without
 * storing twice. store_commit refuses to save a response through it. */
Store *store_open_sync(const char *data_dir, char *why, size_t why_size);

/* --- The kiosk's own open, which never leaves staff without a database --- */

/* Saved in the new database when the old one was moved aside; the staff
 * menu shows it until staff clear it. */
#define STORE_ALERT_STATE_KEY "store_alert"
/* Below this much free space the kiosk stops taking new answers. */
enum { STORE_MIN_FREE_BYTES = 1024 * 1024 };

/* Like store_open, but a file that is not a database, is damaged, or cannot
 * be read is renamed with its -wal and -shm to sayso.db.unreadable-<time>
 * (never deleted), a new database is created, and STORE_ALERT_STATE_KEY is
 * set in it. A full disk or read-only folder is not "unreadable": it
 * returns NULL with the reason and leaves the files alone. UI thread, at
 * start, before the sync worker opens its own Store. */
Store *store_open_kiosk(const char *data_dir, char *why, size_t why_size);
/* Whether the data folder has STORE_MIN_FREE_BYTES free; false with why. */
bool store_has_room(Store *s, char *why, size_t why_size);

/* Durably saves one response and logs "response committed id=<uuid>". */
bool store_commit(Store *s, const Response *r);
int64_t store_count(Store *s);
/* Writes every response, in commit order. */
bool store_export(Store *s, ExportFormat format, FILE *out);
int store_schema_version(Store *s);

/* Every response and nothing else, CSV and JSON from one read transaction,
 * so the two files of an export always agree. *count gets how many. */
bool store_export_both(Store *s, FILE *csv, FILE *json, int64_t *count);

/* --- Reading back, for the staff results screen --- */

typedef struct {
    const char *questionnaire_id; /* required */
    const char *since;            /* submitted_at >= since ("2026-11-23T00:00Z"), or NULL */
    const char *event_name;       /* only this event and session, or NULL for any */
    const char *event_session;
} StoreFilter;

/* Calls fn for each matching response in commit order with its answers JSON
 * and flags ("" for none); fn returns false to stop. */
typedef bool (*StoreResponseFn)(void *ctx, const char *answers, const char *flags);
bool store_each_response(Store *s, const StoreFilter *filter, StoreResponseFn fn, void *ctx);
/* Responses with any flag (for review), over all questionnaires. */
int64_t store_flagged_count(Store *s);

/* --- The sync outbox (used by src/sync on its own Store) --- */

typedef struct {
    size_t count;
    char **ids;    /* heap */
    char **bodies; /* heap, the stored JSON texts */
} StoreBatch;

/* The oldest `max` responses neither sent nor held, in commit order. */
bool store_outbox_batch(Store *s, size_t max, StoreBatch *out);
void store_batch_free(StoreBatch *b);
/* In one transaction: sent_at = when, for each id. */
bool store_mark_sent(Store *s, const char *const *ids, size_t count, const char *when);
/* Held responses stay in the database; they are only skipped by the outbox. */
bool store_mark_held(Store *s, const char *const *ids, size_t count, const char *reason);
/* Puts every held response back in the outbox ("send now" after a fix). */
bool store_release_held(Store *s, int64_t *released);

typedef struct {
    int64_t total, unsent, held;
} StoreOutboxCounts;
bool store_outbox_counts(Store *s, StoreOutboxCounts *out);

/* Small named values about sync (last success, last error). Returns a heap
 * string or NULL when unset. */
bool store_state_set(Store *s, const char *key, const char *value);
char *store_state_get(Store *s, const char *key);

/* The last good questionnaire set fetched from central (one row). */
bool store_questionnaire_set_save(Store *s, const char *etag, const char *body, const char *when);
/* Returns false on error; *etag and *body are heap or NULL when none saved.
 * body may be NULL to read only the ETag. */
bool store_questionnaire_set_load(Store *s, char **etag, char **body);

#endif
