/* worker: the outbox loop. Each pass uploads batches until the outbox is
 * empty or something fails, then checks for questionnaires. A failure
 * never loses anything: the rows stay unsent (retry) or are held with the
 * reason (refused), and the next pass starts from the database again, so a
 * crash or power cut at any point only means a later re-send, which central
 * acknowledges without storing twice. */
#include "sync/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/sync_protocol.h"
#include "sync/transport.h"

enum { TOKEN_MAX = 256 };

typedef enum { PASS_DONE, PASS_RETRY, PASS_AUTH, PASS_BROKEN } PassOutcome;

/* What one pass needs, owned by the thread that runs it. */
typedef struct {
    const SyncConfig *config;
    const char *picture_dir;
    Store *store;
    Transport *transport;
    int batch_size;
    long retry_after; /* seconds asked by the server, or -1 */
    char error[SYNC_ERROR_SIZE];
    QuestionnaireSet *new_set;
    FILE *log; /* sync_run_once's progress, or NULL */
} Pass;

struct SyncWorker {
    SyncConfig config;
    char *data_dir;
    char *picture_dir;
    SyncNotify notify;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool kicked;
    atomic_bool stop;
};

static void now_text(char out[TIME_TEXT_SIZE])
{
    time_format_rounded(time(NULL), 1, out);
}

static SyncConfig config_copy(const SyncConfig *c)
{
    SyncConfig copy = *c;
    copy.server = mem_strdup(c->server);
    copy.token_file = mem_strdup(c->token_file);
    copy.ca_bundle = mem_strdup(c->ca_bundle);
    copy.pinned_public_key = mem_strdup(c->pinned_public_key);
    return copy;
}

bool sync_token_read(const char *path, char *out, size_t out_size, char *why, size_t why_size)
{
    bool ok = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0) {
        snprintf(why, why_size, "cannot open the token file %s: %s", path, strerror(errno));
        return false;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "the token file %s is not a regular file", path);
        goto done;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 077)) {
        snprintf(why, why_size,
                 "the token file %s must belong to this user and be readable by no one else "
                 "(chmod 600)",
                 path);
        goto done;
    }
    ssize_t n = read(fd, out, out_size - 1);
    if (n <= 0) {
        snprintf(why, why_size, "the token file %s is empty", path);
        goto done;
    }
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
        out[--n] = '\0';
    ok = n > 0;
    for (ssize_t i = 0; ok && i < n; i++)
        if (out[i] <= ' ' || out[i] > '~')
            ok = false;
    if (!ok) {
        explicit_bzero(out, out_size);
        snprintf(why, why_size, "the token file %s does not hold a token", path);
    }
done:
    close(fd);
    return ok;
}

/* Records the pass's error (for `sayso status`) and logs it once. */
static void pass_error(Pass *p, const char *fmt, ...) SAYSO_PRINTF(2, 3);
static void pass_error(Pass *p, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(p->error, sizeof p->error, fmt, args);
    va_end(args);
    log_warn("sync", "%s", p->error);
}

/* A short reason: the status and central's {"error": ...} text if any. */
static void reply_reason(const HttpReply *r, char *out, size_t size)
{
    json_t *root = strncmp(r->content_type, "application/json", 16) == 0
                       ? json_loadb(r->body ? r->body : "", r->length, 0, NULL)
                       : NULL;
    const char *error = json_string_value(json_object_get(root, "error"));
    if (error)
        snprintf(out, size, "HTTP %ld: %.180s", r->status, error);
    else
        snprintf(out, size, "HTTP %ld", r->status);
    json_decref(root);
}

/* Handles an acknowledgement; false when it is not one (retry later). */
static bool apply_ack(Pass *p, const StoreBatch *b, const HttpReply *r)
{
    bool *accepted = mem_array(b->count, sizeof *accepted);
    bool *conflict = mem_array(b->count, sizeof *conflict);
    const char **ids = mem_array(b->count, sizeof *ids);
    char why[200];
    bool ok = sync_parse_ack(r->content_type, r->body, r->length, (const char *const *)b->ids,
                             b->count, accepted, conflict, why, sizeof why);
    size_t n_sent = 0, n_conflict = 0;
    if (!ok) {
        pass_error(p, "unexpected reply from the server: %s", why);
        goto done;
    }
    for (size_t i = 0; i < b->count; i++)
        if (accepted[i])
            ids[n_sent++] = b->ids[i];
    char when[TIME_TEXT_SIZE];
    now_text(when);
    if (n_sent && !store_mark_sent(p->store, ids, n_sent, when)) {
        pass_error(p, "%s", "cannot record sent responses in the local database");
        ok = false;
        goto done;
    }
    for (size_t i = 0; i < b->count; i++)
        if (conflict[i])
            ids[n_conflict++] = b->ids[i];
    if (n_conflict) {
        store_mark_held(p->store, ids, n_conflict,
                        "conflict: the server already has different content under this id; "
                        "it kept this copy aside for staff");
        log_warn("sync", "%zu response(s) conflicted with the server's copy; held", n_conflict);
    }
    if (n_sent + n_conflict == 0) {
        pass_error(p, "%s", "the server acknowledged none of the batch");
        ok = false;
    }
done:
    free(accepted);
    free(conflict);
    free(ids);
    return ok;
}

static uint32_t random_u32(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
        r = (uint32_t)time(NULL) * 2654435761u;
    return r;
}

static PassOutcome upload(Pass *p)
{
    for (;;) {
        StoreBatch b;
        if (!store_outbox_batch(p->store, (size_t)p->batch_size, &b)) {
            pass_error(p, "%s", "cannot read the outbox from the local database");
            return PASS_BROKEN;
        }
        if (b.count == 0) {
            store_batch_free(&b);
            return PASS_DONE;
        }
        char *body = sync_batch_body((const char *const *)b.bodies, b.count);
        HttpReply r;
        transport_post_json(p->transport, "/v1/responses", body, &r);
        free(body);
        SyncAction action = sync_action_for_status(r.status);
        PassOutcome outcome = PASS_DONE;
        bool go_on = true;
        char reason[200];
        switch (action) {
        case SYNC_ACK:
            if (!apply_ack(p, &b, &r)) {
                outcome = PASS_RETRY;
                go_on = false;
            } else if (p->log)
                fprintf(p->log, "sync: sent %zu\n", b.count);
            break;
        case SYNC_RETRY:
            if (r.status == 0)
                pass_error(p, "cannot reach the server: %s", r.error);
            else {
                reply_reason(&r, reason, sizeof reason);
                pass_error(p, "the server is not taking responses now (%s)", reason);
            }
            if (!sync_parse_retry_after(r.retry_after, time(NULL), &p->retry_after))
                p->retry_after = -1;
            outcome = PASS_RETRY;
            go_on = false;
            break;
        case SYNC_SPLIT:
            if (b.count > 1) {
                p->batch_size = (int)(b.count / 2);
                log_info("sync", "the server found a batch too large; sending %d at a time",
                         p->batch_size);
            } else {
                store_mark_held(p->store, (const char *const *)b.ids, 1,
                                "the server says this response is too large");
                pass_error(p, "%s", "a response too large for the server was held");
            }
            break;
        case SYNC_AUTH:
            reply_reason(&r, reason, sizeof reason);
            pass_error(p, "the server refused this device (%s); ask for a new device token",
                       reason);
            outcome = PASS_AUTH;
            go_on = false;
            break;
        case SYNC_HOLD:
            reply_reason(&r, reason, sizeof reason);
            char held[240];
            snprintf(held, sizeof held, "refused by the server (%s)", reason);
            store_mark_held(p->store, (const char *const *)b.ids, b.count, held);
            pass_error(p, "%s; those responses are kept and held", held);
            break;
        }
        http_reply_free(&r);
        store_batch_free(&b);
        if (!go_on)
            return outcome;
    }
}

static PassOutcome fetch_questionnaires(Pass *p)
{
    char *etag = NULL;
    store_questionnaire_set_load(p->store, &etag, NULL);
    HttpReply r;
    transport_get(p->transport, "/v1/questionnaires", etag, &r);
    PassOutcome outcome = PASS_DONE;
    char reason[200];
    if (r.status == 304) {
        /* nothing new */
    } else if (r.status == 200 && strncmp(r.content_type, "application/json", 16) == 0) {
        Diagnostics diag;
        diag_init(&diag);
        QuestionnaireSet *set =
            questionnaire_set_parse(r.body, r.length, r.etag, p->picture_dir, &diag);
        if (!set) {
            pass_error(p,
                       "the questionnaires from the server are not usable (%s); "
                       "keeping the last good ones",
                       diag.count ? diag.items[0].message : "?");
            outcome = PASS_RETRY;
        } else {
            char when[TIME_TEXT_SIZE];
            now_text(when);
            if (store_questionnaire_set_save(p->store, r.etag[0] ? r.etag : "none", r.body, when)) {
                log_info("sync", "new questionnaire set from the server (%zu questionnaires)",
                         set->count);
                questionnaire_set_destroy(p->new_set);
                p->new_set = set;
            } else
                questionnaire_set_destroy(set);
        }
        diag_deinit(&diag);
    } else if (r.status == 0) {
        pass_error(p, "cannot reach the server: %s", r.error);
        outcome = PASS_RETRY;
    } else {
        reply_reason(&r, reason, sizeof reason);
        pass_error(p, "could not fetch questionnaires (%s)", reason);
        outcome = sync_action_for_status(r.status) == SYNC_AUTH ? PASS_AUTH : PASS_RETRY;
        if (!sync_parse_retry_after(r.retry_after, time(NULL), &p->retry_after))
            p->retry_after = -1;
    }
    free(etag);
    http_reply_free(&r);
    return outcome;
}

/* One pass: token, uploads, questionnaires. Records the outcome in the
 * store for `sayso status`. */
static PassOutcome run_pass(Pass *p, bool with_questionnaires)
{
    char token[TOKEN_MAX], why[300];
    p->error[0] = '\0';
    p->retry_after = -1;
    PassOutcome outcome;
    if (!sync_token_read(p->config->token_file, token, sizeof token, why, sizeof why)) {
        pass_error(p, "%s", why);
        outcome = PASS_AUTH;
    } else {
        transport_set_token(p->transport, token);
        explicit_bzero(token, sizeof token);
        outcome = upload(p);
        if (outcome == PASS_DONE && with_questionnaires)
            outcome = fetch_questionnaires(p);
    }
    char when[TIME_TEXT_SIZE];
    now_text(when);
    if (outcome == PASS_DONE && !p->error[0]) {
        store_state_set(p->store, "last_success_at", when);
        store_state_set(p->store, "last_error", "");
    } else {
        char line[SYNC_ERROR_SIZE + TIME_TEXT_SIZE + 2];
        snprintf(line, sizeof line, "%s %s", when, p->error);
        store_state_set(p->store, "last_error", line);
    }
    return outcome;
}

static SyncReport *make_report(Pass *p)
{
    SyncReport *r = mem_alloc(sizeof *r);
    store_outbox_counts(p->store, &r->counts);
    char *success = store_state_get(p->store, "last_success_at");
    snprintf(r->last_success, sizeof r->last_success, "%s", success ? success : "");
    free(success);
    snprintf(r->last_error, sizeof r->last_error, "%s", p->error);
    r->new_set = p->new_set;
    p->new_set = NULL;
    return r;
}

void sync_report_free(SyncReport *r)
{
    if (!r)
        return;
    questionnaire_set_destroy(r->new_set);
    free(r);
}

static void deadline_after(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *worker_main(void *arg)
{
    SyncWorker *w = arg;
    char why[512];
    Pass p = {
        .config = &w->config, .picture_dir = w->picture_dir, .batch_size = w->config.batch_size};
    p.store = store_open_sync(w->data_dir, why, sizeof why);
    if (p.store)
        p.transport = transport_create(&w->config, &w->stop, why, sizeof why);
    if (!p.store || !p.transport) {
        log_error("sync", "sync is off: %s", why);
        goto done;
    }
    int attempt = 0;
    time_t next_questionnaires = 0;
    while (!atomic_load(&w->stop)) {
        bool with_questionnaires = time(NULL) >= next_questionnaires;
        PassOutcome outcome = run_pass(&p, with_questionnaires);
        if (outcome == PASS_DONE && with_questionnaires)
            next_questionnaires = time(NULL) + w->config.interval_seconds;
        w->notify(w->ctx, make_report(&p));
        long wait_ms;
        if (outcome == PASS_DONE) {
            attempt = 0;
            wait_ms = w->config.interval_seconds * 1000L;
        } else if (outcome == PASS_AUTH || outcome == PASS_BROKEN) {
            wait_ms = w->config.backoff_cap_seconds * 1000L;
        } else {
            attempt++;
            wait_ms = sync_backoff_ms(attempt, w->config.backoff_base_seconds * 1000L,
                                      w->config.backoff_cap_seconds * 1000L, random_u32());
            if (p.retry_after >= 0 && p.retry_after * 1000L > wait_ms)
                wait_ms = p.retry_after * 1000L;
            log_info("sync", "next try in %ld ms (attempt %d)", wait_ms, attempt);
        }
        struct timespec until;
        deadline_after(&until, wait_ms);
        pthread_mutex_lock(&w->lock);
        /* A kick (new response) cuts a normal wait short, but not a backoff
         * or a Retry-After: the server asked for time. */
        while (!atomic_load(&w->stop) && !(w->kicked && outcome == PASS_DONE) &&
               pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
            ;
        w->kicked = false;
        pthread_mutex_unlock(&w->lock);
    }
done:
    questionnaire_set_destroy(p.new_set);
    transport_destroy(p.transport);
    store_close(p.store);
    return NULL;
}

SyncWorker *sync_worker_start(const SyncConfig *config, const char *data_dir,
                              const char *picture_dir, SyncNotify notify, void *ctx)
{
    SyncWorker *w = mem_alloc(sizeof *w);
    w->config = config_copy(config);
    w->data_dir = mem_strdup(data_dir);
    w->picture_dir = mem_strdup(picture_dir);
    w->notify = notify;
    w->ctx = ctx;
    atomic_init(&w->stop, false);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&w->lock, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        log_error("sync", "cannot start the sync thread; responses stay on this device");
        sync_worker_stop(w);
        return NULL;
    }
    return w;
}

void sync_worker_kick(SyncWorker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->kicked = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void sync_worker_stop(SyncWorker *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    pthread_mutex_lock(&w->lock);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    if (w->thread)
        pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    sync_config_deinit(&w->config);
    free(w->data_dir);
    free(w->picture_dir);
    free(w);
}

bool sync_run_once(const SyncConfig *config, const char *data_dir, const char *picture_dir,
                   FILE *log)
{
    char why[512];
    atomic_bool never;
    atomic_init(&never, false);
    Pass p = {
        .config = config, .picture_dir = picture_dir, .batch_size = config->batch_size, .log = log};
    bool ok = false;
    p.store = store_open_sync(data_dir, why, sizeof why);
    if (p.store)
        p.transport = transport_create(config, &never, why, sizeof why);
    if (!p.store || !p.transport) {
        fprintf(log, "sync: %s\n", why);
        goto done;
    }
    PassOutcome outcome = run_pass(&p, true);
    StoreOutboxCounts counts;
    store_outbox_counts(p.store, &counts);
    fprintf(log, "sync: %s; %lld waiting, %lld held\n", outcome == PASS_DONE ? "done" : p.error,
            (long long)counts.unsent, (long long)counts.held);
    ok = outcome == PASS_DONE && counts.unsent == 0;
done:
    questionnaire_set_destroy(p.new_set);
    transport_destroy(p.transport);
    store_close(p.store);
    return ok;
}
