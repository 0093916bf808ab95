/* misuse: flags responses finished too soon after the last one, and the
 * same answers sent again quickly, so staff can judge whether a kiosk is
 * being played with. Responses are only flagged, never dropped or delayed:
 * a real person's answers always count.
 *
 * Rules, both measured from the previous completed response on this kiosk
 * (whichever questionnaire it was) on the kiosk's monotonic clock in ms:
 *   - too soon: min_seconds_between > 0 and less than that many seconds
 *     have passed since the previous response;
 *   - repeat: repeat_window_seconds > 0, the previous response was to the
 *     same questionnaire with byte-identical answers (the canonical compact
 *     JSON, sorted keys: Response.answers), and less than that many seconds
 *     have passed. Empty answers "{}" count like any other. Two people who
 *     give the same one answer minutes apart, outside the window, are not
 *     flagged; a run of identical responses each inside the window of the one
 *     before is flagged from the second on.
 * Exactly at the limit is not flagged. A rule of 0 or less is off. A clock
 * that went backwards (now before the previous response) flags nothing,
 * since how long it has been is unknown; the new response is still
 * remembered, so later ones are measured from it.
 *
 * The memory keeps no answers: only a 64-bit FNV-1a hash of the
 * questionnaire id and answers, so nothing a person typed stays in memory
 * for the next person. Two different responses with the same hash would
 * wrongly count as a repeat; at 1 in 2^64 that is accepted, since a flag
 * only asks staff to look.
 *
 * Contract: pure functions over caller-owned values, no allocation. A
 * MisuseMemory set to all zeros (or cleared with misuse_forget) has no
 * previous response. One memory belongs to one thread (the UI thread on the
 * kiosk). */
#ifndef SAYSO_CORE_MISUSE_H
#define SAYSO_CORE_MISUSE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int min_seconds_between;   /* 0: off */
    int repeat_window_seconds; /* 0: off */
} MisuseRules;

typedef struct {
    bool have_last;
    uint64_t last_ms; /* when the previous response was completed */
    uint64_t digest;  /* hash of its questionnaire id and answers */
} MisuseMemory;

/* The same bits as RESPONSE_FLAG_TOO_SOON and RESPONSE_FLAG_REPEAT, so the
 * result can be put straight into ResponseContext.flags. */
typedef enum { MISUSE_TOO_SOON = 2, MISUSE_REPEAT = 4 } MisuseFlag;

/* The MisuseFlag bits for a response completed at now_ms, which is then
 * remembered as the previous one. NULL questionnaire_id or answers_compact
 * is taken as "". Returns 0 and remembers nothing when m or r is NULL. */
unsigned misuse_check(MisuseMemory *m, const MisuseRules *r, uint64_t now_ms,
                      const char *questionnaire_id, const char *answers_compact);

/* Forgets the previous response (a staff reset, a change of questionnaire
 * set), so the next one is never flagged. */
void misuse_forget(MisuseMemory *m);

#endif
