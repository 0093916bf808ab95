/*
 * loadgen: a bounded load test client for sayso-central. It plays N kiosks
 * syncing at once, one thread and one keep-alive libcurl handle each, for T
 * seconds: each sends batches of new responses (unique ids, the real upload
 * format of docs/protocol.md) and, for a set share of its batches, sends the
 * same batch again as if the acknowledgement had been lost. A reply counts
 * only if it is 200 and names exactly the batch's ids in order with no
 * conflicts, as the kiosk's rule demands; anything else is retried until it
 * does, or until a grace period after T runs out. Usage:
 *   loadgen --url URL --tokens FILE --seconds T --sent FILE --acked FILE
 *           [--batch B] [--resend-percent P]
 * FILE of tokens: one device token a line, one device each. Every id sent
 * goes to --sent and every acknowledged id to --acked, one a line, so the
 * caller can compare them with central's database. The last line on stdout
 * is "devices N seconds S batches B responses R resent E retried F
 * unacknowledged U per-second X"; exit 0 when every batch was acknowledged,
 * 1 otherwise, 2 for bad arguments.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <curl/curl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { ID_SIZE = 37, MAX_DEVICES = 2000, MAX_BATCH = 500, GRACE_SECONDS = 30 };

typedef struct {
    const char *url;
    double seconds;
    int batch;
    int resend_percent;
    unsigned run; /* the same in every id of this run, so runs never collide */
    double start;
} Plan;

typedef struct {
    const Plan *plan;
    int index;
    char token[256];
    char *ids; /* ID_SIZE each, every id this device sent, in order */
    size_t count, capacity;
    size_t acked; /* ids[0 .. acked) were acknowledged */
    long batches, resent, retried;
    unsigned seed;
} Device;

typedef struct {
    char *data;
    size_t length;
} Buffer;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (!q) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(1);
    }
    return q;
}

static void append(Buffer *b, const char *text)
{
    size_t n = strlen(text);
    b->data = xrealloc(b->data, b->length + n + 1);
    memcpy(b->data + b->length, text, n + 1);
    b->length += n;
}

static size_t on_body(char *data, size_t size, size_t count, void *ctx)
{
    Buffer *b = ctx;
    size_t n = size * count;
    if (b->length + n > 1 << 20)
        return 0; /* no reply of central's is this big */
    b->data = xrealloc(b->data, b->length + n + 1);
    memcpy(b->data + b->length, data, n);
    b->length += n;
    b->data[b->length] = '\0';
    return n;
}

/* Sends ids[first .. first+n) as one batch; true when central acknowledged
 * exactly those ids. */
static bool send_batch(CURL *curl, Device *d, size_t first, size_t n)
{
    Buffer body = {0}, expected = {0}, reply = {0};
    char item[640], auth[300];
    append(&body, "{\"responses\":[");
    append(&expected, "{\"accepted\":[");
    for (size_t i = 0; i < n; i++) {
        const char *id = d->ids + (first + i) * ID_SIZE;
        snprintf(item, sizeof item,
                 "%s{\"id\":\"%s\",\"questionnaire\":{\"id\":\"service-feedback\",\"version\":1},"
                 "\"language\":\"en\",\"site\":\"Load\",\"device\":\"d%d\",\"mode\":\"self\","
                 "\"submitted_at\":\"2026-11-23T14:00Z\",\"answers\":{\"fft\":\"good\","
                 "\"good\":\"Load test response %zu from device %d\"}}",
                 i ? "," : "", id, d->index, first + i, d->index);
        append(&body, item);
        snprintf(item, sizeof item, "%s\"%s\"", i ? "," : "", id);
        append(&expected, item);
    }
    append(&body, "]}");
    append(&expected, "],\"conflicts\":[]}");
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", d->token);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.length);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    long status = 0;
    bool ok = curl_easy_perform(curl) == CURLE_OK &&
              curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
              status == 200 && reply.data && strcmp(reply.data, expected.data) == 0;
    curl_slist_free_all(headers);
    free(body.data);
    free(expected.data);
    free(reply.data);
    return ok;
}

/* Retries one batch until it is acknowledged or the grace period is over. */
static bool deliver(CURL *curl, Device *d, size_t first, size_t n)
{
    double give_up = d->plan->start + d->plan->seconds + GRACE_SECONDS;
    while (!send_batch(curl, d, first, n)) {
        d->retried++;
        if (now_seconds() > give_up)
            return false;
        nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    }
    return true;
}

static void *run_device(void *arg)
{
    Device *d = arg;
    const Plan *p = d->plan;
    CURL *curl = curl_easy_init();
    if (!curl)
        return NULL;
    curl_easy_setopt(curl, CURLOPT_URL, p->url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    uint64_t seq = 0;
    while (now_seconds() - p->start < p->seconds) {
        size_t first = d->count;
        if (d->count + (size_t)p->batch > d->capacity) {
            d->capacity = (d->capacity + (size_t)p->batch) * 2;
            d->ids = xrealloc(d->ids, d->capacity * ID_SIZE);
        }
        for (int i = 0; i < p->batch; i++, seq++)
            snprintf(d->ids + (d->count++) * ID_SIZE, ID_SIZE, "%08x-%04x-4000-8000-%012llx",
                     p->run, (unsigned)d->index, (unsigned long long)seq);
        if (!deliver(curl, d, first, (size_t)p->batch))
            break;
        d->acked = d->count;
        d->batches++;
        /* At least once: the reply was "lost", so the kiosk sends it again
         * and must get every id acknowledged again. */
        /* xorshift32: reproducible per device, no shared state */
        d->seed ^= d->seed << 13;
        d->seed ^= d->seed >> 17;
        d->seed ^= d->seed << 5;
        if ((int)(d->seed % 100) < p->resend_percent) {
            d->resent++;
            if (!deliver(curl, d, first, (size_t)p->batch))
                break;
        }
    }
    curl_easy_cleanup(curl);
    return NULL;
}

static bool write_ids(const char *path, Device *devices, int count, bool acked_only)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    for (int i = 0; i < count; i++) {
        size_t n = acked_only ? devices[i].acked : devices[i].count;
        for (size_t k = 0; k < n; k++)
            fprintf(f, "%s\n", devices[i].ids + k * ID_SIZE);
    }
    return fclose(f) == 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: loadgen --url URL --tokens FILE --seconds T --sent FILE --acked FILE "
                    "[--batch B] [--resend-percent P]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"url", required_argument, NULL, 'u'},
                                            {"tokens", required_argument, NULL, 't'},
                                            {"seconds", required_argument, NULL, 's'},
                                            {"sent", required_argument, NULL, 'o'},
                                            {"acked", required_argument, NULL, 'a'},
                                            {"batch", required_argument, NULL, 'b'},
                                            {"resend-percent", required_argument, NULL, 'r'},
                                            {NULL, 0, NULL, 0}};
    Plan plan = {.batch = 20, .resend_percent = 10};
    const char *tokens = NULL, *sent = NULL, *acked = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'u': plan.url = optarg; break;
        case 't': tokens = optarg; break;
        case 's': plan.seconds = atof(optarg); break;
        case 'o': sent = optarg; break;
        case 'a': acked = optarg; break;
        case 'b': plan.batch = atoi(optarg); break;
        case 'r': plan.resend_percent = atoi(optarg); break;
        default: return usage();
        }
    }
    if (!plan.url || !tokens || !sent || !acked || plan.seconds <= 0 || plan.seconds > 3600 ||
        plan.batch < 1 || plan.batch > MAX_BATCH || plan.resend_percent < 0 ||
        plan.resend_percent > 100)
        return usage();
    FILE *f = fopen(tokens, "r");
    if (!f) {
        fprintf(stderr, "loadgen: cannot read %s\n", tokens);
        return 2;
    }
    Device *devices = calloc(MAX_DEVICES, sizeof *devices);
    int count = 0;
    char line[256];
    while (devices && count < MAX_DEVICES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        snprintf(devices[count].token, sizeof devices[count].token, "%s", line);
        devices[count].index = count;
        devices[count].plan = &plan;
        devices[count].seed = (unsigned)count * 2654435761u | 1u; /* xorshift needs non-zero */
        count++;
    }
    fclose(f);
    if (!count)
        return usage();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    pthread_t *threads = calloc((size_t)count, sizeof *threads);
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    plan.run = (unsigned)(t.tv_sec ^ t.tv_nsec ^ ((unsigned)getpid() << 16));
    plan.start = now_seconds();
    int started = 0;
    for (; started < count; started++)
        if (pthread_create(&threads[started], NULL, run_device, &devices[started]) != 0) {
            fprintf(stderr, "loadgen: cannot start thread %d\n", started);
            break;
        }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    double elapsed = now_seconds() - plan.start;
    long batches = 0, resent = 0, retried = 0;
    size_t responses = 0, unacked = 0;
    for (int i = 0; i < count; i++) {
        batches += devices[i].batches;
        resent += devices[i].resent;
        retried += devices[i].retried;
        responses += devices[i].acked;
        unacked += devices[i].count - devices[i].acked;
    }
    bool written = write_ids(sent, devices, count, false) && write_ids(acked, devices, count, true);
    printf("devices %d seconds %.1f batches %ld responses %zu resent %ld retried %ld "
           "unacknowledged %zu per-second %.0f\n",
           started, elapsed, batches, responses, resent, retried, unacked,
           (double)responses / elapsed);
    for (int i = 0; i < count; i++)
        free(devices[i].ids);
    free(devices);
    free(threads);
    curl_global_cleanup();
    return written && started == count && unacked == 0 ? 0 : 1;
}
