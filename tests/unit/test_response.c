/* Tests the response record: what is stored and sent for one completed
 * questionnaire. Anonymity rests on three things tested here: the id is a
 * random version 4 UUID (format, version and variant bits, 1000 ids all
 * different), uuid_valid accepts exactly that shape, and the submission time
 * is rounded down to the configured resolution (60 minutes, a whole day, 15
 * minutes, and times before 1970) so it cannot single a person out. Then
 * response_build must put the questionnaire id and version, language, site,
 * device, mode, rounded time and the session's answers into both the
 * Response fields and its JSON body, which is checked by parsing it back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "core/response.h"

static int compare_ids(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_uuid_format(void **state)
{
    (void)state;
    for (int i = 0; i < 200; i++) {
        char id[UUID_TEXT_SIZE];
        memset(id, 'Z', sizeof id);
        assert_true(uuid_generate(id));
        assert_int_equal(strlen(id), 36);
        for (int k = 0; k < 36; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23)
                assert_int_equal(id[k], '-');
            else
                assert_non_null(strchr("0123456789abcdef", id[k]));
        }
        assert_int_equal(id[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", id[19])); /* RFC 4122 variant */
        assert_true(uuid_valid(id));
    }
}

static void test_uuid_unique(void **state)
{
    (void)state;
    enum { N = 1000 };
    char(*ids)[UUID_TEXT_SIZE] = calloc(N, UUID_TEXT_SIZE);
    assert_non_null(ids);
    for (int i = 0; i < N; i++)
        assert_true(uuid_generate(ids[i]));
    qsort(ids, N, UUID_TEXT_SIZE, compare_ids);
    for (int i = 1; i < N; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            fail_msg("uuid %s generated twice", ids[i]);
    /* and the random part varies in every position that is not fixed */
    for (int k = 0; k < 36; k++) {
        if (k == 8 || k == 13 || k == 14 || k == 18 || k == 23)
            continue;
        bool varies = false;
        for (int i = 1; i < N && !varies; i++)
            varies = ids[i][k] != ids[0][k];
        if (!varies)
            fail_msg("character %d is the same in all %d ids", k, N);
    }
    free(ids);
}

static void test_uuid_valid(void **state)
{
    (void)state;
    assert_true(uuid_valid("123e4567-e89b-42d3-a456-426614174000"));
    assert_true(uuid_valid("00000000-0000-4000-8000-000000000000"));
    assert_false(uuid_valid(""));
    assert_false(uuid_valid("123E4567-E89B-42D3-A456-426614174000"));  /* upper case */
    assert_false(uuid_valid("123e4567-e89b-42d3-a456-42661417400"));   /* 35 */
    assert_false(uuid_valid("123e4567-e89b-42d3-a456-4266141740000")); /* 37 */
    assert_false(uuid_valid("123e4567e-89b-42d3-a456-426614174000"));  /* dash moved */
    assert_false(uuid_valid("123e4567-e89b-42d3-a456_426614174000"));
    assert_false(uuid_valid("123e4567-e89b-42d3-a456-42661417400g"));
    assert_false(uuid_valid("123e4567-e89b-42d3-a456-4266141740 0"));
    assert_false(uuid_valid("{23e4567-e89b-42d3-a456-426614174000"));
    assert_false(uuid_valid("------------------------------------"));
}

static void assert_time(time_t now, int minutes, const char *expected)
{
    char out[TIME_TEXT_SIZE];
    memset(out, 'Z', sizeof out);
    time_format_rounded(now, minutes, out);
    if (strcmp(out, expected) != 0)
        fail_msg("time_format_rounded(%lld, %d) = %s, expected %s", (long long)now, minutes, out,
                 expected);
}

static void test_time_rounding(void **state)
{
    (void)state;
    /* 1700000000 is 2023-11-14 22:13:20 UTC */
    assert_time(1700000000, 60, "2023-11-14T22:00Z");
    assert_time(1700000000, 1440, "2023-11-14T00:00Z");
    assert_time(1700000000, 15, "2023-11-14T22:00Z");
    assert_time(1700000000 + 17 * 60, 15, "2023-11-14T22:30Z"); /* 22:30:20 */
    assert_time(1700000000 + 32 * 60, 15, "2023-11-14T22:45Z"); /* 22:45:20 */
    assert_time(1700000000, 30, "2023-11-14T22:00Z");
    assert_time(1700000000, 120, "2023-11-14T22:00Z");
    assert_time(1700000000, 180, "2023-11-14T21:00Z");
    assert_time(1700000000, 1, "2023-11-14T22:13Z");
    /* exactly on a boundary, and one second before it */
    assert_time(1699999200, 60, "2023-11-14T22:00Z");
    assert_time(1699999199, 60, "2023-11-14T21:00Z");
    assert_time(1699920000, 1440, "2023-11-14T00:00Z");
    assert_time(1699919999, 1440, "2023-11-13T00:00Z");
    /* a bad resolution falls back to the hour */
    assert_time(1700000000, 0, "2023-11-14T22:00Z");
    assert_time(1700000000, -5, "2023-11-14T22:00Z");
    /* before 1970, rounding is still down */
    assert_time(-1, 60, "1969-12-31T23:00Z");
    assert_time(-1, 1440, "1969-12-31T00:00Z");
    assert_time(0, 1440, "1970-01-01T00:00Z");
    /* a leap day */
    assert_time(1709251199, 1440, "2024-02-29T00:00Z");
}

/* ---- response_build --------------------------------------------------- */

static const char SOURCE[] =
    "{\"format\": 1, \"id\": \"ward-survey\", \"version\": 7, \"languages\": [\"en\", \"ur\"],"
    " \"title\": {\"en\": \"Ward\", \"ur\": \"\xd9\x88\xd8\xa7\xd8\xb1\xda\x88\"},\n"
    " \"questions\": [\n"
    "  {\"id\": \"fft\", \"type\": \"single\", \"required\": true,"
    " \"text\": {\"en\": \"How?\", \"ur\": \"\xda\xa9\xdb\x8c\xd8\xb3\xdb\x92\xd8\x9f\"},"
    " \"picture\": \"star.svg\",\n"
    "   \"options\": [{\"id\": \"good\", \"text\": {\"en\": \"Good\", \"ur\": "
    "\"\xd8\xa7\xda\x86\xda\xbe\xd8\xa7\"},"
    " \"picture\": \"face-good.svg\"},\n"
    "               {\"id\": \"poor\", \"text\": {\"en\": \"Poor\", \"ur\": "
    "\"\xd8\xae\xd8\xb1\xd8\xa7\xd8\xa8\"},"
    " \"picture\": \"face-poor.svg\"}]},\n"
    "  {\"id\": \"who\", \"type\": \"multiple\", \"text\": {\"en\": \"Who?\", \"ur\": "
    "\"\xda\xa9\xd9\x88\xd9\x86\xd8\x9f\"},"
    " \"picture\": \"people.svg\",\n"
    "   \"options\": [{\"id\": \"me\", \"text\": {\"en\": \"Me\", \"ur\": "
    "\"\xd9\x85\xdb\x8c\xda\xba\"},"
    " \"picture\": \"person.svg\"},\n"
    "               {\"id\": \"carer\", \"text\": {\"en\": \"Carer\", \"ur\": "
    "\"\xd9\x86\xda\xaf\xd8\xb1\xd8\xa7\xd9\x86\"},"
    " \"picture\": \"carer.svg\"}]},\n"
    "  {\"id\": \"skipped\", \"type\": \"text\", \"text\": {\"en\": \"Skip me\", \"ur\": "
    "\"\xd8\xa8\"},"
    " \"picture\": \"pencil.svg\"},\n"
    "  {\"id\": \"comment\", \"type\": \"text\", \"text\": {\"en\": \"More?\", \"ur\": "
    "\"\xd9\x85\xd8\xb2\xdb\x8c\xd8\xaf\"},"
    " \"picture\": \"pencil.svg\"}\n"
    " ]}\n";

typedef struct {
    Questionnaire *q;
    Session *s;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->q = fixture_questionnaire(SOURCE);
    if (!f->q) {
        free(f);
        return -1;
    }
    /* fft = poor, who = [me, carer], skipped skipped, comment with awkward text */
    f->s = session_create(f->q, "ur");
    session_choose(f->s, 1);
    assert_true(session_next(f->s));
    session_choose(f->s, 0);
    session_choose(f->s, 1);
    assert_true(session_next(f->s));
    session_set_text(f->s, "not shown");
    assert_true(session_skip(f->s));
    session_set_text(f->s, "Said \"no\", then\nleft \xe2\x80\x94 \\ ok");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    session_destroy(f->s);
    questionnaire_destroy(f->q);
    free(f);
    return 0;
}

static const char *member_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        fail_msg("body has no string \"%s\"", key);
    return json_string_value(v);
}

static void test_build_fields_and_body(void **state)
{
    Fixture *f = *state;
    ResponseContext ctx = {.site = "Ward 3 \"North\"",
                           .device = "kiosk-7",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = 1700000000};
    Response *r = response_build(f->s, &ctx);
    assert_non_null(r);
    assert_true(uuid_valid(r->id));
    assert_int_equal(r->id[14], '4');
    assert_string_equal(r->questionnaire_id, "ward-survey");
    assert_int_equal(r->questionnaire_version, 7);
    assert_string_equal(r->language, "ur");
    assert_string_equal(r->site, "Ward 3 \"North\"");
    assert_string_equal(r->device, "kiosk-7");
    assert_string_equal(r->mode, "self");
    assert_string_equal(r->submitted_at, "2023-11-14T22:00Z");
    /* the answers: compact, sorted keys, skipped question absent */
    assert_string_equal(r->answers,
                        "{\"comment\":\"Said \\\"no\\\", then\\nleft \xe2\x80\x94 \\\\ ok\","
                        "\"fft\":\"poor\",\"who\":[\"me\",\"carer\"]}");

    json_error_t error;
    json_t *body = json_loads(r->body, 0, &error);
    if (!body)
        fail_msg("body is not JSON: %s: %s", error.text, r->body);
    assert_int_equal(json_object_size(body), 9);
    assert_string_equal(member_string(body, "venue"), "kiosk");
    assert_null(json_object_get(body, "event"));
    assert_null(json_object_get(body, "flags"));
    assert_string_equal(r->flags, "");
    assert_string_equal(member_string(body, "id"), r->id);
    json_t *questionnaire = json_object_get(body, "questionnaire");
    assert_true(json_is_object(questionnaire));
    assert_int_equal(json_object_size(questionnaire), 2);
    assert_string_equal(member_string(questionnaire, "id"), "ward-survey");
    assert_true(json_is_integer(json_object_get(questionnaire, "version")));
    assert_int_equal(json_integer_value(json_object_get(questionnaire, "version")), 7);
    assert_string_equal(member_string(body, "language"), "ur");
    assert_string_equal(member_string(body, "site"), "Ward 3 \"North\"");
    assert_string_equal(member_string(body, "device"), "kiosk-7");
    assert_string_equal(member_string(body, "mode"), "self");
    assert_string_equal(member_string(body, "submitted_at"), "2023-11-14T22:00Z");
    json_t *answers = json_object_get(body, "answers");
    json_t *expected = json_loads(r->answers, 0, &error);
    assert_non_null(expected);
    assert_true(json_equal(answers, expected));
    assert_string_equal(member_string(answers, "comment"),
                        "Said \"no\", then\nleft \xe2\x80\x94 \\ ok");
    assert_null(json_object_get(answers, "skipped"));
    json_t *who = json_object_get(answers, "who");
    assert_int_equal(json_array_size(who), 2);
    assert_string_equal(json_string_value(json_array_get(who, 1)), "carer");
    /* the body text is compact */
    assert_null(strchr(r->body, '\n'));
    json_decref(expected);
    json_decref(body);
    response_destroy(r);
}

static void test_build_resolution_and_mode(void **state)
{
    Fixture *f = *state;
    ResponseContext ctx = {.site = "Site",
                           .device = "dev",
                           .mode = "assisted",
                           .time_resolution_minutes = 1440,
                           .now = 1700000000};
    Response *r = response_build(f->s, &ctx);
    assert_non_null(r);
    assert_string_equal(r->submitted_at, "2023-11-14T00:00Z");
    assert_string_equal(r->mode, "assisted");
    assert_non_null(strstr(r->body, "\"submitted_at\":\"2023-11-14T00:00Z\""));
    assert_non_null(strstr(r->body, "\"mode\":\"assisted\""));
    response_destroy(r);
    ctx.time_resolution_minutes = 15;
    ctx.now = 1700000000 + 17 * 60;
    r = response_build(f->s, &ctx);
    assert_non_null(r);
    assert_string_equal(r->submitted_at, "2023-11-14T22:30Z");
    response_destroy(r);
}

/* An event response carries the event and session the facilitator named;
 * flags are listed in a fixed order; "event" never appears for other venues. */
static void test_build_event_and_flags(void **state)
{
    Fixture *f = *state;
    ResponseContext ctx = {.site = "Site",
                           .device = "dev",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = 1700000000,
                           .venue = "event",
                           .event_name = "Carers' forum",
                           .event_session = "Morning \"talk\"",
                           .flags = RESPONSE_FLAG_REPEAT | RESPONSE_FLAG_RISK_WORDS};
    Response *r = response_build(f->s, &ctx);
    assert_non_null(r);
    assert_string_equal(r->venue, "event");
    assert_string_equal(r->event_name, "Carers' forum");
    assert_string_equal(r->flags, "risk-words,repeat");
    json_t *body = json_loads(r->body, 0, NULL);
    assert_non_null(body);
    assert_string_equal(member_string(body, "venue"), "event");
    json_t *event = json_object_get(body, "event");
    assert_string_equal(member_string(event, "name"), "Carers' forum");
    assert_string_equal(member_string(event, "session"), "Morning \"talk\"");
    json_t *flags = json_object_get(body, "flags");
    assert_int_equal(json_array_size(flags), 2);
    assert_string_equal(json_string_value(json_array_get(flags, 0)), "risk-words");
    assert_string_equal(json_string_value(json_array_get(flags, 1)), "repeat");
    json_decref(body);
    response_destroy(r);

    ResponseContext survey = {.site = "Site",
                              .device = "dev",
                              .mode = "paper",
                              .time_resolution_minutes = 60,
                              .now = 1700000000,
                              .venue = "survey",
                              .event_name = "Ignored",
                              .event_session = "x",
                              .flags = RESPONSE_FLAG_TOO_SOON};
    r = response_build(f->s, &survey);
    assert_non_null(r);
    assert_null(r->event_name);
    assert_null(strstr(r->body, "\"event\""));
    assert_non_null(strstr(r->body, "\"flags\":[\"too-soon\"]"));
    assert_non_null(strstr(r->body, "\"venue\":\"survey\""));
    response_destroy(r);
    char text[RESPONSE_FLAGS_TEXT_SIZE];
    response_flags_text(7, text);
    assert_string_equal(text, "risk-words,too-soon,repeat");
    response_flags_text(0, text);
    assert_string_equal(text, "");
}

static void test_build_gives_new_id_each_time(void **state)
{
    Fixture *f = *state;
    ResponseContext ctx = {.site = "Site",
                           .device = "dev",
                           .mode = "self",
                           .time_resolution_minutes = 60,
                           .now = 1700000000};
    Response *a = response_build(f->s, &ctx);
    Response *b = response_build(f->s, &ctx);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_not_equal(a->id, b->id);
    assert_string_equal(a->answers, b->answers);
    /* bodies differ only by the id */
    assert_string_not_equal(a->body, b->body);
    char *copy = strdup(b->body);
    char *at = strstr(copy, b->id);
    assert_non_null(at);
    memcpy(at, a->id, 36);
    assert_string_equal(copy, a->body);
    free(copy);
    response_destroy(a);
    response_destroy(b);
    response_destroy(NULL);
}

static void test_build_empty_answers(void **state)
{
    Fixture *f = *state;
    Session *s = session_create(f->q, "fr"); /* unknown language: the default */
    ResponseContext ctx = {.site = "Site",
                           .device = "dev",
                           .mode = "paper",
                           .time_resolution_minutes = 60,
                           .now = 1700000000};
    Response *r = response_build(s, &ctx);
    assert_non_null(r);
    assert_string_equal(r->language, "en");
    assert_string_equal(r->answers, "{}");
    assert_non_null(strstr(r->body, "\"answers\":{}"));
    response_destroy(r);
    session_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_format),
        cmocka_unit_test(test_uuid_unique),
        cmocka_unit_test(test_uuid_valid),
        cmocka_unit_test(test_time_rounding),
        cmocka_unit_test_setup_teardown(test_build_fields_and_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_resolution_and_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_event_and_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_gives_new_id_each_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_empty_answers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
