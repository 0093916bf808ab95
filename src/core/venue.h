/* venue: how this device is being used now, which staff set on the staff
 * menu: a ward or community kiosk where people answer on their own, an
 * involvement event (the facilitator names the event and the session, and
 * every response is tagged with them), or a survey staff collect with a
 * person or from a paper form. It decides the venue and collection-mode
 * tags of each response (docs/staff.md).
 *
 * Contract: a Venue is a plain value. venue_to_json returns heap text the
 * caller frees. Pure; any thread. */
#ifndef SAYSO_CORE_VENUE_H
#define SAYSO_CORE_VENUE_H

#include <stdbool.h>

typedef enum { VENUE_KIOSK, VENUE_EVENT, VENUE_SURVEY } VenueKind;
typedef enum { COLLECT_SELF, COLLECT_ASSISTED, COLLECT_PAPER } CollectionMode;

/* 80 characters of up to 4 bytes each, and the NUL. */
enum { VENUE_NAME_CHARS = 80, VENUE_NAME_SIZE = 4 * 80 + 1 };

typedef struct {
    VenueKind kind;
    CollectionMode survey_collection; /* used in survey mode only */
    char event_name[VENUE_NAME_SIZE];
    char event_session[VENUE_NAME_SIZE];
} Venue;

/* A ward kiosk with no event: what a new device is. */
void venue_default(Venue *v);
/* "kiosk", "event", "survey". */
const char *venue_kind_name(VenueKind kind);
/* The kind named "kiosk", "event" or "survey"; false for any other text. */
bool venue_kind_parse(const char *name, VenueKind *out);
/* "self", "assisted", "paper". */
const char *collection_mode_name(CollectionMode mode);
/* The collection mode responses get now: always self, except in survey mode. */
CollectionMode venue_collection(const Venue *v);
/* An event or session name: 1 to 80 characters of valid UTF-8 with no
 * control characters. */
bool venue_name_valid(const char *name);
/* An event needs a valid name; its session may be empty. */
bool venue_valid(const Venue *v);
/* Saved form, {"kind":"event","event":"...","session":"...","collection":"paper"}. */
char *venue_to_json(const Venue *v);
/* Leaves *v as venue_default and returns false when text is not a saved
 * venue (it came from an older or damaged store). */
bool venue_from_json(Venue *v, const char *text);

#endif
