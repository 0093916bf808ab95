/* response: the record saved for one completed questionnaire.
 *
 * A response is anonymous by construction: a random UUID (not derived from
 * the device, time or person), the submission time rounded down to the
 * configured resolution, and no other identifier than site and device.
 * Its JSON body is made once, at completion, and stored and sent byte for
 * byte, so a retry can never send something different under the same id.
 *
 * Contract: response_build returns a heap Response owned by the caller
 * (response_destroy). Any thread. */
#ifndef SAYSO_CORE_RESPONSE_H
#define SAYSO_CORE_RESPONSE_H

#include <stdbool.h>
#include <time.h>

#include "core/session.h"

enum { UUID_TEXT_SIZE = 37, TIME_TEXT_SIZE = 24 };

/* Why staff should look at a response; it is kept and sent all the same. */
typedef enum {
    RESPONSE_FLAG_RISK_WORDS = 1, /* a typed answer has words that suggest risk */
    RESPONSE_FLAG_TOO_SOON = 2,   /* finished sooner after the last than config allows */
    RESPONSE_FLAG_REPEAT = 4,     /* the same answers again, quickly */
} ResponseFlag;

enum { RESPONSE_FLAGS_TEXT_SIZE = 64, EVENT_NAME_MAX_CHARS = 80 };

typedef struct {
    char id[UUID_TEXT_SIZE];
    char *questionnaire_id;
    long questionnaire_version;
    char language[LANGUAGE_CODE_MAX];
    char *site;
    char *device;
    char mode[16];                        /* "self", "assisted" or "paper" */
    char venue[16];                       /* "kiosk", "event" or "survey" */
    char *event_name;                     /* venue "event" only, else NULL */
    char *event_session;                  /* venue "event" only, else NULL */
    char flags[RESPONSE_FLAGS_TEXT_SIZE]; /* "risk-words,repeat" or "" */
    char submitted_at[TIME_TEXT_SIZE];    /* "2026-11-23T14:00Z" */
    char *answers;                        /* compact JSON object */
    char *body;                           /* the whole record, compact JSON */
} Response;

typedef struct {
    const char *site;
    const char *device;
    const char *mode;            /* collection mode: self, assisted or paper */
    int time_resolution_minutes; /* 1..1440, divides 1440 */
    time_t now;
    const char *venue;         /* kiosk, event or survey; NULL: kiosk */
    const char *event_name;    /* with venue "event" */
    const char *event_session; /* with venue "event"; may be empty */
    unsigned flags;            /* ResponseFlag bits */
} ResponseContext;

/* Returns NULL only when no random bytes could be had (logged). */
Response *response_build(const Session *session, const ResponseContext *ctx);
void response_destroy(Response *r);

/* "risk-words,too-soon,repeat" for the bits set, "" for none. */
void response_flags_text(unsigned flags, char out[RESPONSE_FLAGS_TEXT_SIZE]);

/* A version 4 UUID from the system's random source. */
bool uuid_generate(char out[UUID_TEXT_SIZE]);
bool uuid_valid(const char *text);
/* Rounds `now` down to the resolution and formats it in UTC. */
void time_format_rounded(time_t now, int resolution_minutes, char out[TIME_TEXT_SIZE]);

#endif
