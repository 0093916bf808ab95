/* worker: the kiosk's sync thread. It sends the outbox to central in commit
 * order, in batches, marking a response sent only when central's reply
 * names it; it fetches the site's questionnaire set and hands a validated
 * one to the UI. It never touches SDL: it reports through a callback, which
 * the kiosk turns into an SDL user event, so the UI thread never waits for
 * the network. Retry rules: docs/protocol.md.
 *
 * Contract: sync_worker_start copies what it needs from its arguments and
 * runs until sync_worker_stop (which joins and frees). The notify callback
 * runs on the worker thread and takes ownership of each SyncReport (free
 * with sync_report_free, on any thread). sync_worker_kick may be called
 * from any thread. */
#ifndef SAYSO_SYNC_WORKER_H
#define SAYSO_SYNC_WORKER_H

#include <stdbool.h>
#include <stdio.h>

#include "core/questionnaire_set.h"
#include "core/response.h"
#include "core/sync_config.h"
#include "store/store.h"

enum { SYNC_ERROR_SIZE = 600 };

typedef struct {
    StoreOutboxCounts counts;
    char last_success[TIME_TEXT_SIZE]; /* "" when never */
    char last_error[SYNC_ERROR_SIZE];  /* "" when the last attempt worked */
    QuestionnaireSet *new_set;         /* a new validated set, or NULL */
} SyncReport;

typedef void (*SyncNotify)(void *ctx, SyncReport *report);

typedef struct SyncWorker SyncWorker;

SyncWorker *sync_worker_start(const SyncConfig *config, const char *data_dir,
                              const char *picture_dir, SyncNotify notify, void *ctx);
/* Something changed (a response was committed, staff pressed "send now"):
 * try now instead of waiting for the next interval or backoff. */
void sync_worker_kick(SyncWorker *w);
void sync_worker_stop(SyncWorker *w);
void sync_report_free(SyncReport *r);

/* `sayso sync`: one pass in the calling thread, repeated while progress is
 * made, until the outbox is empty or an error stops it. Progress and the
 * outcome go to `log`. Returns true when nothing is left to send. */
bool sync_run_once(const SyncConfig *config, const char *data_dir, const char *picture_dir,
                   FILE *log);

/* Reads a token file: it must be owned by this user and not readable by
 * anyone else (mode 0600 or stricter). */
bool sync_token_read(const char *path, char *out, size_t out_size, char *why, size_t why_size);

#endif
