/* misuse: the too-soon and repeat checks described in misuse.h. Everything
 * is integer arithmetic on the caller's clock, so replay tests can move time
 * freely and the result never depends on the wall clock. */
#include "core/misuse.h"

#include <string.h>

enum { MS_PER_SECOND = 1000 };

static uint64_t fnv1a(uint64_t hash, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        hash ^= *p;
        hash *= UINT64_C(0x100000001b3);
    }
    return hash;
}

/* The id and answers with a 0 byte between them, which neither contains,
 * so ("a", "bc") and ("ab", "c") cannot hash as the same input. */
static uint64_t digest(const char *questionnaire_id, const char *answers)
{
    uint64_t hash = fnv1a(UINT64_C(0xcbf29ce484222325), questionnaire_id);
    hash *= UINT64_C(0x100000001b3); /* the 0 byte: xor with 0, then multiply */
    return fnv1a(hash, answers);
}

/* Whether elapsed ms is under a rule of `seconds`; a rule of 0 or less is off. */
static bool within(uint64_t elapsed, int seconds)
{
    return seconds > 0 && elapsed < (uint64_t)seconds * MS_PER_SECOND;
}

unsigned misuse_check(MisuseMemory *m, const MisuseRules *r, uint64_t now_ms,
                      const char *questionnaire_id, const char *answers_compact)
{
    if (!m || !r)
        return 0;
    uint64_t hash =
        digest(questionnaire_id ? questionnaire_id : "", answers_compact ? answers_compact : "");
    unsigned flags = 0;
    if (m->have_last && now_ms >= m->last_ms) {
        uint64_t elapsed = now_ms - m->last_ms;
        if (within(elapsed, r->min_seconds_between))
            flags |= MISUSE_TOO_SOON;
        if (hash == m->digest && within(elapsed, r->repeat_window_seconds))
            flags |= MISUSE_REPEAT;
    }
    m->have_last = true;
    m->last_ms = now_ms;
    m->digest = hash;
    return flags;
}

void misuse_forget(MisuseMemory *m)
{
    if (m)
        memset(m, 0, sizeof *m);
}
