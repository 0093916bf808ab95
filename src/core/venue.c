/* venue: the names and saved form of the device's mode. */
#include "core/venue.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static const char *const KIND_NAMES[] = {"kiosk", "event", "survey"};
static const char *const COLLECTION_NAMES[] = {"self", "assisted", "paper"};

void venue_default(Venue *v)
{
    memset(v, 0, sizeof *v);
    v->kind = VENUE_KIOSK;
    v->survey_collection = COLLECT_ASSISTED;
}

const char *venue_kind_name(VenueKind kind)
{
    return (unsigned)kind < 3 ? KIND_NAMES[kind] : "kiosk";
}

const char *collection_mode_name(CollectionMode mode)
{
    return (unsigned)mode < 3 ? COLLECTION_NAMES[mode] : "self";
}

CollectionMode venue_collection(const Venue *v)
{
    return v->kind == VENUE_SURVEY ? v->survey_collection : COLLECT_SELF;
}

bool venue_name_valid(const char *name)
{
    return utf8_plain_text(name, 1, VENUE_NAME_CHARS);
}

bool venue_valid(const Venue *v)
{
    if ((unsigned)v->kind > VENUE_SURVEY || (unsigned)v->survey_collection > COLLECT_PAPER)
        return false;
    if (v->kind != VENUE_EVENT)
        return true;
    return venue_name_valid(v->event_name) &&
           (!v->event_session[0] || venue_name_valid(v->event_session));
}

char *venue_to_json(const Venue *v)
{
    json_t *o = json_pack("{s:s, s:s}", "kind", venue_kind_name(v->kind), "collection",
                          collection_mode_name(v->survey_collection));
    if (o && v->kind == VENUE_EVENT) {
        json_object_set_new(o, "event", json_string(v->event_name));
        json_object_set_new(o, "session", json_string(v->event_session));
    }
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return text;
}

static int index_of(const char *const *names, const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

bool venue_kind_parse(const char *name, VenueKind *out)
{
    int kind = index_of(KIND_NAMES, name);
    if (kind >= 0)
        *out = (VenueKind)kind;
    return kind >= 0;
}

bool venue_from_json(Venue *v, const char *text)
{
    venue_default(v);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    int kind = index_of(KIND_NAMES, json_string_value(json_object_get(o, "kind")));
    int collection =
        index_of(COLLECTION_NAMES, json_string_value(json_object_get(o, "collection")));
    const char *event = json_string_value(json_object_get(o, "event"));
    const char *session = json_string_value(json_object_get(o, "session"));
    Venue read;
    venue_default(&read);
    bool ok = kind >= 0 && collection >= 0;
    if (ok) {
        read.kind = (VenueKind)kind;
        read.survey_collection = (CollectionMode)collection;
        snprintf(read.event_name, sizeof read.event_name, "%s", event ? event : "");
        snprintf(read.event_session, sizeof read.event_session, "%s", session ? session : "");
        ok = venue_valid(&read);
    }
    json_decref(o);
    if (ok)
        *v = read;
    return ok;
}
