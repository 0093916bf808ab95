/* commit: times the kiosk's durable commit, the step between a person's
 * last tap and "Thank you". It answers a real questionnaire through a
 * Session the way the kiosk does (an option for each choice question, a
 * comment of varied length for about half of the text questions), builds
 * each Response with response_build and times store_commit alone, one
 * response after another, into a data folder of the caller's choice. Prints
 * one summary line:
 *   commit count N p50_ms X p99_ms Y max_ms Z mean_ms M body_bytes B
 * where B is the mean length of the stored JSON body. Usage:
 *   commit --data DIR [--count N] [--questionnaire FILE] [--pictures DIR]
 * Exit 0 when every commit succeeded, 1 otherwise, 2 for bad arguments. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diag.h"
#include "core/questionnaire.h"
#include "core/response.h"
#include "core/session.h"
#include "store/store.h"

/* Comments of the lengths people type on a kiosk: mostly a few words,
 * sometimes a paragraph, in more than one script. */
static const char *const COMMENTS[] = {
    "Kind staff",
    "The nurse listened to me and explained my medication clearly.",
    "Waiting room was too noisy and the wait was long.",
    "Everyone was friendly. The food could be better, and there should be more to do in the "
    "evenings on the ward. I liked the art group on Tuesdays a lot.",
    "Ok",
    "كان الموظفون لطفاء جدا",
    "Czekałem za długo na wizytę, ale lekarz był bardzo pomocny.",
    "More information about my care plan, please. I did not always know what was happening "
    "next or who to ask, and the leaflets were hard to read. Easy read versions would help "
    "me and my family a lot.",
};
enum { COMMENT_COUNT = sizeof COMMENTS / sizeof COMMENTS[0] };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at quantile q of sorted[0..n), nearest rank. */
static double quantile(const double *sorted, size_t n, double q)
{
    size_t rank = (size_t)(q * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

/* One person's pass, varied by `i`; NULL when the session cannot finish. */
static Response *answer_one(const Questionnaire *q, size_t i)
{
    Session *s = session_create(q, questionnaire_default_language(q));
    unsigned seed = (unsigned)i * 2654435761u;
    for (int step = 0; step < 200; step++) {
        const Question *question = session_current_question(s);
        seed = seed * 1103515245u + 12345u;
        unsigned pick = seed >> 16;
        if ((question->type == QUESTION_SINGLE || question->type == QUESTION_MULTIPLE) &&
            question->option_count > 0)
            session_choose(s, (int)(pick % question->option_count));
        else if (question->type == QUESTION_TEXT && pick % 2 == 0)
            session_set_text(s, COMMENTS[pick / 2 % COMMENT_COUNT]);
        if (session_on_last(s))
            break;
        if (!session_next(s) && !session_skip(s))
            break;
    }
    ResponseContext ctx = {.site = "Bench ward",
                           .device = "bench-1",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = time(NULL)};
    Response *r = response_build(s, &ctx);
    session_destroy(s);
    return r;
}

int main(int argc, char **argv)
{
    const char *data = NULL, *path = "config/questionnaires/service-feedback.json";
    const char *pictures = "assets/pictures";
    long count = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--data") == 0)
            data = argv[i + 1];
        else if (strcmp(argv[i], "--count") == 0)
            count = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--questionnaire") == 0)
            path = argv[i + 1];
        else if (strcmp(argv[i], "--pictures") == 0)
            pictures = argv[i + 1];
        else
            data = NULL, i = argc;
    }
    if (!data || count < 1 || count > 10000000 || argc % 2 == 0) {
        fprintf(stderr,
                "usage: commit --data DIR [--count N] [--questionnaire FILE] [--pictures DIR]\n");
        return 2;
    }
    int status = 1;
    char why[512];
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_load(path, pictures, &diag);
    Store *store = NULL;
    double *times = calloc((size_t)count, sizeof *times);
    double body_total = 0;
    if (!q || diag.count) {
        fprintf(stderr, "commit: cannot load %s: %s\n", path,
                diag.count ? diag.items[0].message : "?");
        goto done;
    }
    store = store_open(data, why, sizeof why);
    if (!store || !times) {
        fprintf(stderr, "commit: %s\n", store ? "out of memory" : why);
        goto done;
    }
    for (long i = 0; i < count; i++) {
        Response *r = answer_one(q, (size_t)i);
        if (!r) {
            fprintf(stderr, "commit: cannot build response %ld\n", i);
            goto done;
        }
        body_total += (double)strlen(r->body);
        double start = now_ms();
        bool ok = store_commit(store, r);
        times[i] = now_ms() - start;
        response_destroy(r);
        if (!ok) {
            fprintf(stderr, "commit: store_commit failed at %ld\n", i);
            goto done;
        }
    }
    double sum = 0;
    for (long i = 0; i < count; i++)
        sum += times[i];
    qsort(times, (size_t)count, sizeof *times, compare_double);
    printf("commit count %ld p50_ms %.3f p99_ms %.3f max_ms %.3f mean_ms %.3f body_bytes %.0f\n",
           count, quantile(times, (size_t)count, 0.50), quantile(times, (size_t)count, 0.99),
           times[count - 1], sum / (double)count, body_total / (double)count);
    status = 0;
done:
    store_close(store);
    questionnaire_destroy(q);
    diag_deinit(&diag);
    free(times);
    return status;
}
