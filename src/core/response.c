/* response: turns a finished session into the anonymous record that is
 * stored and synced. */
#include "core/response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/log.h"
#include "core/mem.h"

bool uuid_generate(char out[UUID_TEXT_SIZE])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n <= 0) {
            log_error("response", "no random bytes for a response id");
            return false;
        }
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, UUID_TEXT_SIZE,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return true;
}

bool uuid_valid(const char *text)
{
    if (strlen(text) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !strchr("0123456789abcdef", text[i]))
            return false;
    }
    return true;
}

void time_format_rounded(time_t now, int resolution_minutes, char out[TIME_TEXT_SIZE])
{
    if (resolution_minutes < 1)
        resolution_minutes = 60;
    time_t step = (time_t)resolution_minutes * 60;
    time_t rounded = now - (now % step + step) % step;
    struct tm tm;
    gmtime_r(&rounded, &tm);
    (void)strftime(out, TIME_TEXT_SIZE, "%Y-%m-%dT%H:%MZ", &tm); /* always fits */
}

void response_flags_text(unsigned flags, char out[RESPONSE_FLAGS_TEXT_SIZE])
{
    static const struct {
        ResponseFlag bit;
        const char *name;
    } names[] = {{RESPONSE_FLAG_RISK_WORDS, "risk-words"},
                 {RESPONSE_FLAG_TOO_SOON, "too-soon"},
                 {RESPONSE_FLAG_REPEAT, "repeat"}};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flags & names[i].bit) {
            size_t n = strlen(out);
            snprintf(out + n, RESPONSE_FLAGS_TEXT_SIZE - n, "%s%s", n ? "," : "", names[i].name);
        }
}

Response *response_build(const Session *session, const ResponseContext *ctx)
{
    Response *r = mem_alloc(sizeof *r);
    if (!uuid_generate(r->id)) {
        free(r);
        return NULL;
    }
    const Questionnaire *q = session_questionnaire(session);
    r->questionnaire_id = mem_strdup(q->id);
    r->questionnaire_version = q->version;
    snprintf(r->language, sizeof r->language, "%s", session_language(session));
    r->site = mem_strdup(ctx->site);
    r->device = mem_strdup(ctx->device);
    snprintf(r->mode, sizeof r->mode, "%s", ctx->mode);
    snprintf(r->venue, sizeof r->venue, "%s", ctx->venue ? ctx->venue : "kiosk");
    bool event = strcmp(r->venue, "event") == 0 && ctx->event_name && *ctx->event_name;
    if (event) {
        r->event_name = mem_strdup(ctx->event_name);
        r->event_session = mem_strdup(ctx->event_session ? ctx->event_session : "");
    }
    response_flags_text(ctx->flags, r->flags);
    time_format_rounded(ctx->now, ctx->time_resolution_minutes, r->submitted_at);

    json_t *answers = session_answers_json(session);
    json_t *body = json_pack("{s:s, s:{s:s, s:I}, s:s, s:s, s:s, s:s, s:s, s:O}", "id", r->id,
                             "questionnaire", "id", q->id, "version", (json_int_t)q->version,
                             "language", r->language, "site", r->site, "device", r->device, "mode",
                             r->mode, "submitted_at", r->submitted_at, "answers", answers);
    json_object_set_new(body, "venue", json_string(r->venue));
    if (event)
        json_object_set_new(
            body, "event",
            json_pack("{s:s, s:s}", "name", r->event_name, "session", r->event_session));
    if (r->flags[0]) {
        json_t *list = json_array();
        char copy[RESPONSE_FLAGS_TEXT_SIZE], *save = NULL;
        snprintf(copy, sizeof copy, "%s", r->flags);
        for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
            json_array_append_new(list, json_string(f));
        json_object_set_new(body, "flags", list);
    }
    r->answers = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    r->body = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(answers);
    json_decref(body);
    if (!r->answers || !r->body) {
        log_error("response", "could not encode response %s", r->id);
        response_destroy(r);
        return NULL;
    }
    return r;
}

void response_destroy(Response *r)
{
    if (!r)
        return;
    free(r->questionnaire_id);
    free(r->site);
    free(r->device);
    free(r->event_name);
    free(r->event_session);
    free(r->answers);
    free(r->body);
    free(r);
}
