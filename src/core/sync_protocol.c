/* sync_protocol: decisions of the sync client, separated from libcurl so
 * they can be tested exhaustively. The acknowledgement check is strict on
 * purpose: a proxy or captive portal that answers 200 must never make the
 * kiosk believe a response was delivered. */
#include "core/sync_protocol.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

SyncAction sync_action_for_status(long status)
{
    if (status == 200 || status == 409)
        return SYNC_ACK;
    if (status == 0 || status == 408 || status == 429 || status >= 500)
        return SYNC_RETRY;
    if (status >= 200 && status < 400)
        return SYNC_RETRY; /* 204, redirects: not our server's answer */
    if (status == 413)
        return SYNC_SPLIT;
    if (status == 401 || status == 403)
        return SYNC_AUTH;
    return SYNC_HOLD;
}

const char *sync_action_name(SyncAction a)
{
    switch (a) {
    case SYNC_ACK: return "acknowledged";
    case SYNC_RETRY: return "retry later";
    case SYNC_SPLIT: return "batch too large";
    case SYNC_AUTH: return "device not authorised";
    case SYNC_HOLD: return "refused";
    }
    return "?";
}

char *sync_batch_body(const char *const *bodies, size_t count)
{
    static const char head[] = "{\"responses\":[";
    size_t size = sizeof head + 3;
    for (size_t i = 0; i < count; i++)
        size += strlen(bodies[i]) + 1;
    char *out = mem_alloc(size);
    char *p = out;
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    for (size_t i = 0; i < count; i++) {
        if (i)
            *p++ = ',';
        size_t n = strlen(bodies[i]);
        memcpy(p, bodies[i], n);
        p += n;
    }
    memcpy(p, "]}", 3);
    return out;
}

static bool is_json_type(const char *content_type)
{
    if (!content_type)
        return false;
    while (*content_type == ' ')
        content_type++;
    static const char want[] = "application/json";
    if (strncasecmp(content_type, want, sizeof want - 1) != 0)
        return false;
    char next = content_type[sizeof want - 1];
    return next == '\0' || next == ';' || next == ' ';
}

/* Marks each id of the reply's array in `flags`; an id the batch never had
 * means the reply is not about this batch. */
static bool mark_ids(json_t *array, const char *name, const char *const *ids, size_t count,
                     bool *flags, char *why, size_t why_size)
{
    if (!json_is_array(array)) {
        snprintf(why, why_size, "reply's \"%s\" is not a list", name);
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *id = json_string_value(item);
        if (!id) {
            snprintf(why, why_size, "reply's \"%s\" holds a non-string", name);
            return false;
        }
        size_t k = 0;
        while (k < count && strcmp(ids[k], id) != 0)
            k++;
        if (k == count) {
            snprintf(why, why_size, "reply names an id that was not sent");
            return false;
        }
        flags[k] = true;
    }
    return true;
}

bool sync_parse_ack(const char *content_type, const char *body, size_t length,
                    const char *const *ids, size_t count, bool *accepted, bool *conflict, char *why,
                    size_t why_size)
{
    memset(accepted, 0, count * sizeof *accepted);
    memset(conflict, 0, count * sizeof *conflict);
    if (!is_json_type(content_type)) {
        snprintf(why, why_size, "reply is %s, not JSON (a login page or proxy?)",
                 content_type ? content_type : "without a content type");
        return false;
    }
    json_error_t err;
    json_t *root = json_loadb(body ? body : "", length, JSON_REJECT_DUPLICATES, &err);
    bool ok = false;
    if (!json_is_object(root)) {
        snprintf(why, why_size, "reply is not a JSON object");
        goto done;
    }
    json_t *conflicts = json_object_get(root, "conflicts");
    if (!mark_ids(json_object_get(root, "accepted"), "accepted", ids, count, accepted, why,
                  why_size) ||
        (conflicts && !mark_ids(conflicts, "conflicts", ids, count, conflict, why, why_size)))
        goto done;
    for (size_t i = 0; i < count; i++)
        if (accepted[i] && conflict[i]) {
            snprintf(why, why_size, "reply names an id both accepted and in conflict");
            goto done;
        }
    ok = true;
done:
    if (!ok) {
        memset(accepted, 0, count * sizeof *accepted);
        memset(conflict, 0, count * sizeof *conflict);
    }
    json_decref(root);
    return ok;
}

bool sync_parse_retry_after(const char *value, time_t now, long *seconds)
{
    if (!value)
        return false;
    while (*value == ' ')
        value++;
    long result;
    if (isdigit((unsigned char)*value)) {
        char *end;
        unsigned long long n = strtoull(value, &end, 10);
        while (*end == ' ')
            end++;
        if (*end)
            return false;
        result = n > SYNC_RETRY_AFTER_MAX ? SYNC_RETRY_AFTER_MAX : (long)n;
    } else {
        struct tm tm = {0};
        const char *end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        if (!end || *end)
            return false;
        time_t when = timegm(&tm);
        double delta = difftime(when, now);
        result = delta <= 0 ? 0 : delta > SYNC_RETRY_AFTER_MAX ? SYNC_RETRY_AFTER_MAX : (long)delta;
    }
    *seconds = result;
    return true;
}

long sync_backoff_ms(int attempt, long base_ms, long cap_ms, uint32_t random)
{
    if (attempt < 1)
        attempt = 1;
    if (base_ms < 1)
        base_ms = 1;
    if (cap_ms < base_ms)
        cap_ms = base_ms;
    long step = base_ms;
    for (int i = 1; i < attempt && step < cap_ms; i++)
        step = step > cap_ms / 2 ? cap_ms : step * 2;
    if (step > cap_ms)
        step = cap_ms;
    long half = step / 2;
    /* 64-bit span: a step of 2^32 ms or more must not wrap to zero. */
    return half + (long)((uint64_t)random % ((uint64_t)(step - half) + 1));
}
