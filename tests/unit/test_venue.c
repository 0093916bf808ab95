/* Tests the venue: a new device is a ward kiosk collecting "self"; survey
 * mode collects what staff chose, other modes always "self"; event and
 * session names are 1 to 80 characters of clean UTF-8 (Arabic and Bengali
 * count by character, not byte; controls, bad UTF-8 and 81 characters are
 * refused); an event needs a name; and the saved form round-trips, while
 * damaged saved text leaves the default. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/venue.h"

static void test_default_and_collection(void **state)
{
    (void)state;
    Venue v;
    venue_default(&v);
    assert_int_equal(v.kind, VENUE_KIOSK);
    assert_string_equal(collection_mode_name(venue_collection(&v)), "self");
    v.kind = VENUE_EVENT;
    assert_string_equal(collection_mode_name(venue_collection(&v)), "self");
    v.kind = VENUE_SURVEY;
    v.survey_collection = COLLECT_PAPER;
    assert_string_equal(collection_mode_name(venue_collection(&v)), "paper");
    assert_string_equal(venue_kind_name(VENUE_SURVEY), "survey");
    assert_string_equal(venue_kind_name((VenueKind)9), "kiosk");
}

static void test_names(void **state)
{
    (void)state;
    assert_true(venue_name_valid("Carers' forum"));
    assert_true(venue_name_valid("\xd9\x85\xd9\x86\xd8\xaa\xd8\xaf\xd9\x89")); /* Arabic */
    assert_true(venue_name_valid("\xe0\xa6\xb8\xe0\xa6\xad\xe0\xa6\xbe"));     /* Bengali */
    assert_false(venue_name_valid(""));
    assert_false(venue_name_valid(NULL));
    assert_false(venue_name_valid("line\nbreak"));
    assert_false(venue_name_valid("tab\there"));
    assert_false(venue_name_valid("\xc3"));
    assert_false(venue_name_valid("\xc0\xaf"));       /* overlong */
    assert_false(venue_name_valid("\xed\xa0\x80"));   /* surrogate */
    assert_false(venue_name_valid("\xe2\x80\xa8 x")); /* line separator */
    char name[400];
    memset(name, 'a', 80);
    name[80] = '\0';
    assert_true(venue_name_valid(name));
    name[80] = 'a';
    name[81] = '\0';
    assert_false(venue_name_valid(name));
    /* 80 Arabic letters are 160 bytes and still fit */
    for (int i = 0; i < 80; i++)
        memcpy(name + 2 * i, "\xd9\x85", 2);
    name[160] = '\0';
    assert_true(venue_name_valid(name));
}

static void test_event_needs_name(void **state)
{
    (void)state;
    Venue v;
    venue_default(&v);
    v.kind = VENUE_EVENT;
    assert_false(venue_valid(&v));
    snprintf(v.event_name, sizeof v.event_name, "Open day");
    assert_true(venue_valid(&v)); /* the session may be empty */
    snprintf(v.event_session, sizeof v.event_session, "bad\x01");
    assert_false(venue_valid(&v));
}

static void test_round_trip(void **state)
{
    (void)state;
    Venue v, back;
    venue_default(&v);
    v.kind = VENUE_EVENT;
    snprintf(v.event_name, sizeof v.event_name, "Open \"day\"");
    snprintf(v.event_session, sizeof v.event_session, "Afternoon");
    char *text = venue_to_json(&v);
    assert_non_null(text);
    assert_true(venue_from_json(&back, text));
    assert_int_equal(back.kind, VENUE_EVENT);
    assert_string_equal(back.event_name, "Open \"day\"");
    assert_string_equal(back.event_session, "Afternoon");
    free(text);
    v.kind = VENUE_SURVEY;
    v.survey_collection = COLLECT_PAPER;
    text = venue_to_json(&v);
    assert_true(venue_from_json(&back, text));
    assert_int_equal(back.kind, VENUE_SURVEY);
    assert_int_equal(back.survey_collection, COLLECT_PAPER);
    assert_string_equal(back.event_name, ""); /* not kept outside events */
    free(text);
    const char *bad[] = {"",
                         "{",
                         "[]",
                         "{\"kind\":\"party\",\"collection\":\"self\"}",
                         "{\"kind\":\"event\",\"collection\":\"self\"}",
                         "{\"kind\":\"event\",\"collection\":\"self\",\"event\":\"\"}",
                         "{\"kind\":\"kiosk\",\"collection\":7}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        back.kind = VENUE_SURVEY;
        assert_false(venue_from_json(&back, bad[i]));
        assert_int_equal(back.kind, VENUE_KIOSK);
    }
    assert_false(venue_from_json(&back, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_and_collection),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_event_needs_name),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
