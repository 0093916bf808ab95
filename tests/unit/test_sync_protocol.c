/* Tests the network-free rules of the kiosk-to-central protocol
 * (core/sync_protocol). These rules decide whether a response is marked as
 * delivered, so a mistake here loses people's answers silently: a captive
 * portal's 200 or a proxy's HTML page taken for an acknowledgement would
 * make the kiosk stop sending responses central never stored. The tests
 * pin the action taken for each HTTP status the client can meet, the exact
 * bytes of a batch body (a re-send must be identical), every way an
 * acknowledgement can be malformed (each must leave nothing marked), the
 * two forms of Retry-After with their clamping, and the bounds and spread
 * of the jittered exponential backoff. Reply bodies are handed over in
 * exact-size buffers without a terminating NUL so ASan sees any read past
 * the stated length. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/sync_protocol.h"

/* ---- sync_action_for_status ------------------------------------------- */

static void test_action_for_status(void **state)
{
    (void)state;
    static const struct {
        long status;
        SyncAction want;
    } cases[] = {
        {200, SYNC_ACK},   {409, SYNC_ACK},   {0, SYNC_RETRY},   {408, SYNC_RETRY},
        {429, SYNC_RETRY}, {500, SYNC_RETRY}, {502, SYNC_RETRY}, {503, SYNC_RETRY},
        {504, SYNC_RETRY}, {204, SYNC_RETRY}, {301, SYNC_RETRY}, {302, SYNC_RETRY},
        {400, SYNC_HOLD},  {401, SYNC_AUTH},  {403, SYNC_AUTH},  {404, SYNC_HOLD},
        {413, SYNC_SPLIT}, {422, SYNC_HOLD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SyncAction got = sync_action_for_status(cases[i].status);
        if (got != cases[i].want)
            fail_msg("status %ld: got \"%s\", expected \"%s\"", cases[i].status,
                     sync_action_name(got), sync_action_name(cases[i].want));
    }
}

static void test_action_names_distinct(void **state)
{
    (void)state;
    /* `sayso status` shows these; two actions sharing a name would hide which happened */
    const SyncAction all[] = {SYNC_ACK, SYNC_RETRY, SYNC_SPLIT, SYNC_AUTH, SYNC_HOLD};
    enum { N = sizeof all / sizeof all[0] };
    for (size_t i = 0; i < N; i++) {
        const char *name = sync_action_name(all[i]);
        assert_non_null(name);
        assert_string_not_equal(name, "?");
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(name, sync_action_name(all[k]));
    }
}

/* ---- sync_batch_body ---------------------------------------------------- */

static void check_body(const char *const *bodies, size_t count, const char *want)
{
    char *got = sync_batch_body(bodies, count);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_batch_body_empty(void **state)
{
    (void)state;
    check_body(NULL, 0, "{\"responses\":[]}");
}

static void test_batch_body_one(void **state)
{
    (void)state;
    const char *bodies[] = {"{\"id\":\"a\",\"answers\":{}}"};
    check_body(bodies, 1, "{\"responses\":[{\"id\":\"a\",\"answers\":{}}]}");
}

static void test_batch_body_three_verbatim(void **state)
{
    (void)state;
    /* Spacing and key order inside a body are kept as stored: central
     * compares a re-send byte for byte against what it already has. */
    const char *bodies[] = {"{\"id\":\"a\"}", "{ \"id\" : \"b\",\n \"n\": 1 }",
                            "{\"z\":1,\"id\":\"c\"}"};
    check_body(bodies, 3,
               "{\"responses\":[{\"id\":\"a\"},{ \"id\" : \"b\",\n \"n\": 1 },"
               "{\"z\":1,\"id\":\"c\"}]}");
}

static void test_batch_body_unicode(void **state)
{
    (void)state;
    /* raw UTF-8 (Polish, an emoji) and an escape must both pass untouched */
    const char *bodies[] = {"{\"c\":\"Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x98\x80\"}",
                            "{\"c\":\"caf\\u00e9\"}"};
    check_body(bodies, 2,
               "{\"responses\":[{\"c\":\"Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 \xf0\x9f\x98\x80\"},"
               "{\"c\":\"caf\\u00e9\"}]}");
}

/* ---- sync_parse_ack ----------------------------------------------------- */

static const char *const IDS[] = {
    "0b1e7a5c-3f2d-4c1a-9e8b-7d6c5b4a3f21",
    "1c2f8b6d-4e3a-4d2b-8f9c-8e7d6c5b4a32",
    "2d3a9c7e-5f4b-4e3c-a0ad-9f8e7d6c5b43",
};
enum { N_IDS = 3 };

#define ID0 "\"0b1e7a5c-3f2d-4c1a-9e8b-7d6c5b4a3f21\""
#define ID1 "\"1c2f8b6d-4e3a-4d2b-8f9c-8e7d6c5b4a32\""
#define ID2 "\"2d3a9c7e-5f4b-4e3c-a0ad-9f8e7d6c5b43\""

typedef struct {
    bool ok;
    bool accepted[N_IDS];
    bool conflict[N_IDS];
    char why[200];
} Ack;

/* Every flag starts true so a parser that forgets to clear them is caught. */
static Ack parse_ack_n(const char *content_type, const char *body, size_t length)
{
    Ack a;
    memset(a.accepted, 1, sizeof a.accepted);
    memset(a.conflict, 1, sizeof a.conflict);
    a.why[0] = '\0';
    char *copy = malloc(length ? length : 1);
    assert_non_null(copy);
    memcpy(copy, body, length);
    a.ok = sync_parse_ack(content_type, copy, length, IDS, N_IDS, a.accepted, a.conflict, a.why,
                          sizeof a.why);
    free(copy);
    return a;
}

static Ack parse_ack(const char *content_type, const char *body)
{
    return parse_ack_n(content_type, body, strlen(body));
}

static void assert_flags(const bool *got, bool a, bool b, bool c)
{
    assert_int_equal(got[0], a);
    assert_int_equal(got[1], b);
    assert_int_equal(got[2], c);
}

/* A refusal must say why and must leave every response unmarked. */
static void assert_refused(const Ack *a)
{
    assert_false(a->ok);
    assert_true(strlen(a->why) > 0);
    assert_flags(a->accepted, false, false, false);
    assert_flags(a->conflict, false, false, false);
}

static void test_ack_all_accepted(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json", "{\"accepted\":[" ID0 "," ID1 "," ID2 "]}");
    assert_true(a.ok);
    assert_flags(a.accepted, true, true, true);
    assert_flags(a.conflict, false, false, false);
}

static void test_ack_partial_and_conflicts(void **state)
{
    (void)state;
    /* ID1 named by neither list: not delivered, so it must stay unmarked */
    Ack a = parse_ack("application/json", "{\"accepted\": [" ID0 "],\n \"conflicts\": [" ID2 "]}");
    assert_true(a.ok);
    assert_flags(a.accepted, true, false, false);
    assert_flags(a.conflict, false, false, true);
}

static void test_ack_content_type_with_charset(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json; charset=utf-8", "{\"accepted\":[" ID1 "]}");
    assert_true(a.ok);
    assert_flags(a.accepted, false, true, false);
    a = parse_ack("Application/JSON;charset=UTF-8", "{\"accepted\":[" ID1 "]}");
    assert_true(a.ok);
    assert_flags(a.accepted, false, true, false);
}

static void test_ack_html_login_page(void **state)
{
    (void)state;
    /* a portal that even echoes our ids in its page must not count */
    Ack a =
        parse_ack("text/html; charset=utf-8", "<!DOCTYPE html><html><body><form action=\"/login\">"
                                              "{\"accepted\":[" ID0 "]}</form></body></html>");
    assert_refused(&a);
    a = parse_ack(NULL, "{\"accepted\":[" ID0 "]}");
    assert_refused(&a);
}

static void test_ack_json_lookalike_type(void **state)
{
    (void)state;
    Ack a = parse_ack("application/jsonp", "{\"accepted\":[" ID0 "]}");
    assert_refused(&a);
    a = parse_ack("application/json-seq", "{\"accepted\":[" ID0 "]}");
    assert_refused(&a);
}

static void test_ack_not_an_object(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json", "[" ID0 "]");
    assert_refused(&a);
    a = parse_ack("application/json", "\"ok\"");
    assert_refused(&a);
    a = parse_ack("application/json", "");
    assert_refused(&a);
}

static void test_ack_accepted_missing(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json", "{\"conflicts\":[" ID0 "]}");
    assert_refused(&a);
    a = parse_ack("application/json", "{\"status\":\"ok\"}");
    assert_refused(&a);
    a = parse_ack("application/json", "{\"accepted\":" ID0 "}");
    assert_refused(&a);
}

static void test_ack_unknown_id(void **state)
{
    (void)state;
    /* the reply is about some other batch: even the ids we did send stay unmarked */
    Ack a = parse_ack("application/json",
                      "{\"accepted\":[" ID0 ",\"ffffffff-ffff-4fff-bfff-ffffffffffff\"]}");
    assert_refused(&a);
    a = parse_ack("application/json",
                  "{\"accepted\":[" ID0
                  "],\"conflicts\":[\"ffffffff-ffff-4fff-bfff-ffffffffffff\"]}");
    assert_refused(&a);
}

static void test_ack_non_string_ids(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json", "{\"accepted\":[" ID0 ",5]}");
    assert_refused(&a);
    a = parse_ack("application/json", "{\"accepted\":[" ID0 ",null]}");
    assert_refused(&a);
    a = parse_ack("application/json", "{\"accepted\":[[" ID0 "]]}");
    assert_refused(&a);
    a = parse_ack("application/json", "{\"accepted\":[" ID0 "],\"conflicts\":[{\"id\":" ID1 "}]}");
    assert_refused(&a);
}

static void test_ack_truncated(void **state)
{
    (void)state;
    static const char whole[] = "{\"accepted\":[" ID0 "," ID1 "]}";
    /* every cut of a good reply, as a dropped connection would leave it */
    for (size_t n = 0; n < sizeof whole - 1; n++) {
        Ack a = parse_ack_n("application/json", whole, n);
        if (a.ok)
            fail_msg("a reply cut to %zu bytes was taken as an acknowledgement", n);
        assert_refused(&a);
    }
    Ack a = parse_ack_n("application/json", whole, sizeof whole - 1);
    assert_true(a.ok);
    assert_flags(a.accepted, true, true, false);
}

static void test_ack_reads_only_length(void **state)
{
    (void)state;
    /* bytes after `length` belong to nothing and must not be read */
    static const char text[] = "{\"accepted\":[" ID2 "]}trailing garbage";
    Ack a = parse_ack_n("application/json", text, strlen("{\"accepted\":[" ID2 "]}"));
    assert_true(a.ok);
    assert_flags(a.accepted, false, false, true);
}

static void test_ack_both_accepted_and_conflict(void **state)
{
    (void)state;
    Ack a =
        parse_ack("application/json", "{\"accepted\":[" ID0 "," ID1 "],\"conflicts\":[" ID1 "]}");
    assert_refused(&a);
}

static void test_ack_empty_accepted(void **state)
{
    (void)state;
    Ack a = parse_ack("application/json", "{\"accepted\":[]}");
    assert_true(a.ok);
    assert_flags(a.accepted, false, false, false);
    assert_flags(a.conflict, false, false, false);
    a = parse_ack("application/json", "{\"accepted\":[],\"conflicts\":[]}");
    assert_true(a.ok);
    assert_flags(a.accepted, false, false, false);
    assert_flags(a.conflict, false, false, false);
}

static void test_ack_duplicate_key_refused(void **state)
{
    (void)state;
    /* with two "accepted" keys a reader could pick either list */
    Ack a = parse_ack("application/json", "{\"accepted\":[" ID0 "],\"accepted\":[" ID1 "]}");
    assert_refused(&a);
}

/* ---- sync_parse_retry_after --------------------------------------------- */

/* 2023-11-14T22:13:20Z, a Tuesday */
static const time_t NOW = 1700000000;

static void assert_retry(const char *value, long want)
{
    long got = -12345;
    if (!sync_parse_retry_after(value, NOW, &got))
        fail_msg("Retry-After \"%s\" refused, expected %ld", value, want);
    if (got != want)
        fail_msg("Retry-After \"%s\" gave %ld, expected %ld", value, got, want);
}

static void assert_retry_refused(const char *value)
{
    long got = -12345;
    if (sync_parse_retry_after(value, NOW, &got))
        fail_msg("Retry-After \"%s\" accepted as %ld", value ? value : "(null)", got);
}

static void test_retry_after_seconds(void **state)
{
    (void)state;
    assert_retry("0", 0);
    assert_retry("120", 120);
    assert_retry(" 5 ", 5);
    assert_retry("21600", SYNC_RETRY_AFTER_MAX);
    assert_retry("21601", SYNC_RETRY_AFTER_MAX);
    assert_retry("99999999999999999999999999", SYNC_RETRY_AFTER_MAX);
}

static void test_retry_after_refused(void **state)
{
    (void)state;
    assert_retry_refused("abc");
    assert_retry_refused("");
    assert_retry_refused("   ");
    assert_retry_refused("-3");
    assert_retry_refused("5s");
    assert_retry_refused("1.5");
    assert_retry_refused(NULL);
}

static void test_retry_after_http_date(void **state)
{
    (void)state;
    assert_retry("Tue, 14 Nov 2023 22:14:50 GMT", 90);
    /* already past: retry at once */
    assert_retry("Tue, 14 Nov 2023 22:00:00 GMT", 0);
    assert_retry("Sun, 06 Nov 1994 08:49:37 GMT", 0);
    /* far future: capped like delta-seconds */
    assert_retry("Wed, 15 Nov 2023 22:13:20 GMT", SYNC_RETRY_AFTER_MAX);
}

static void test_retry_after_bad_date(void **state)
{
    (void)state;
    assert_retry_refused("Tue, 32 Nov 2023 22:14:50 GMT");
    assert_retry_refused("Tue, 14 Nov 2023 22:14:50");
    assert_retry_refused("Tue, 14 Nov 2023 22:14 GMT");
    assert_retry_refused("Tue, 14 Nox 2023 22:14:50 GMT");
    assert_retry_refused("Tue, 14 Nov 2023 22:14:50 GMT and more");
    assert_retry_refused("2023-11-14T22:14:50Z");
}

/* ---- sync_backoff_ms ---------------------------------------------------- */

static long expected_step(int attempt, long base, long cap)
{
    long step = base;
    for (int i = 1; i < attempt; i++) {
        step *= 2;
        if (step >= cap)
            return cap;
    }
    return step < cap ? step : cap;
}

static void assert_within_step(int attempt, long base, long cap, uint32_t random, long step)
{
    long got = sync_backoff_ms(attempt, base, cap, random);
    if (got < step / 2 || got > step || got > cap)
        fail_msg("attempt %d random %u: %ld ms is outside [%ld, %ld]", attempt, random, got,
                 step / 2, step);
}

static void test_backoff_bounds(void **state)
{
    (void)state;
    const uint32_t randoms[] = {0, 1, 999, 1000, 1001, 123456789, UINT32_MAX / 2, UINT32_MAX};
    for (int attempt = 1; attempt <= 20; attempt++) {
        long step = expected_step(attempt, 2000, 600000);
        for (size_t r = 0; r < sizeof randoms / sizeof randoms[0]; r++)
            assert_within_step(attempt, 2000, 600000, randoms[r], step);
    }
    /* the doubling really happens: attempt 3 never waits less than 4 s */
    assert_true(sync_backoff_ms(3, 2000, 600000, 0) >= 4000);
    assert_true(sync_backoff_ms(20, 2000, 600000, 0) >= 300000);
}

static void test_backoff_spread(void **state)
{
    (void)state;
    /* Kiosks that lost the network together must not retry in step: the
     * whole [half, full] range has to be reachable, not just one value. */
    long low = LONG_MAX, high = 0;
    for (uint32_t r = 0; r < 5000; r++) {
        long v = sync_backoff_ms(1, 2000, 600000, r);
        low = v < low ? v : low;
        high = v > high ? v : high;
    }
    assert_int_equal(low, 1000);
    assert_int_equal(high, 2000);
    low = LONG_MAX;
    high = 0;
    for (uint32_t r = 0; r < 400000; r++) {
        long v = sync_backoff_ms(15, 2000, 600000, r * 7919u);
        low = v < low ? v : low;
        high = v > high ? v : high;
    }
    assert_true(low < 305000);
    assert_true(high > 595000);
}

static void test_backoff_never_above_cap(void **state)
{
    (void)state;
    const uint32_t randoms[] = {0, 77, UINT32_MAX};
    for (size_t r = 0; r < sizeof randoms / sizeof randoms[0]; r++) {
        for (int attempt = 1; attempt <= 64; attempt++)
            assert_true(sync_backoff_ms(attempt, 2000, 600000, randoms[r]) <= 600000);
        assert_true(sync_backoff_ms(INT_MAX, 2000, 600000, randoms[r]) <= 600000);
        assert_true(sync_backoff_ms(INT_MAX, 2000, 600000, randoms[r]) >= 300000);
        /* a cap that is not a power-of-two multiple of base */
        for (int attempt = 1; attempt <= 20; attempt++)
            assert_within_step(attempt, 3, 1001, randoms[r], expected_step(attempt, 3, 1001));
        /* A step of 2^32 ms or more once made the jitter span wrap to 0. */
        long huge = 8589934590L;
        long wait = sync_backoff_ms(1, huge, huge, randoms[r]);
        assert_true(wait >= huge / 2 && wait <= huge);
    }
}

static void test_backoff_attempt_below_one(void **state)
{
    (void)state;
    const uint32_t randoms[] = {0, 12345, UINT32_MAX};
    for (size_t r = 0; r < sizeof randoms / sizeof randoms[0]; r++) {
        long first = sync_backoff_ms(1, 2000, 600000, randoms[r]);
        assert_int_equal(sync_backoff_ms(0, 2000, 600000, randoms[r]), first);
        assert_int_equal(sync_backoff_ms(-1, 2000, 600000, randoms[r]), first);
        assert_int_equal(sync_backoff_ms(INT_MIN, 2000, 600000, randoms[r]), first);
        assert_within_step(0, 2000, 600000, randoms[r], 2000);
    }
}

static void test_backoff_cap_below_base(void **state)
{
    (void)state;
    /* A cap below base is taken as base: the wait must neither grow with
     * attempts nor drop below half of base. */
    const uint32_t randoms[] = {0, 4242, UINT32_MAX};
    for (size_t r = 0; r < sizeof randoms / sizeof randoms[0]; r++)
        for (int attempt = 1; attempt <= 20; attempt++) {
            long v = sync_backoff_ms(attempt, 5000, 1000, randoms[r]);
            assert_true(v >= 2500);
            assert_true(v <= 5000);
            assert_int_equal(v, sync_backoff_ms(1, 5000, 1000, randoms[r]));
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_action_for_status),
        cmocka_unit_test(test_action_names_distinct),
        cmocka_unit_test(test_batch_body_empty),
        cmocka_unit_test(test_batch_body_one),
        cmocka_unit_test(test_batch_body_three_verbatim),
        cmocka_unit_test(test_batch_body_unicode),
        cmocka_unit_test(test_ack_all_accepted),
        cmocka_unit_test(test_ack_partial_and_conflicts),
        cmocka_unit_test(test_ack_content_type_with_charset),
        cmocka_unit_test(test_ack_html_login_page),
        cmocka_unit_test(test_ack_json_lookalike_type),
        cmocka_unit_test(test_ack_not_an_object),
        cmocka_unit_test(test_ack_accepted_missing),
        cmocka_unit_test(test_ack_unknown_id),
        cmocka_unit_test(test_ack_non_string_ids),
        cmocka_unit_test(test_ack_truncated),
        cmocka_unit_test(test_ack_reads_only_length),
        cmocka_unit_test(test_ack_both_accepted_and_conflict),
        cmocka_unit_test(test_ack_empty_accepted),
        cmocka_unit_test(test_ack_duplicate_key_refused),
        cmocka_unit_test(test_retry_after_seconds),
        cmocka_unit_test(test_retry_after_refused),
        cmocka_unit_test(test_retry_after_http_date),
        cmocka_unit_test(test_retry_after_bad_date),
        cmocka_unit_test(test_backoff_bounds),
        cmocka_unit_test(test_backoff_spread),
        cmocka_unit_test(test_backoff_never_above_cap),
        cmocka_unit_test(test_backoff_attempt_below_one),
        cmocka_unit_test(test_backoff_cap_below_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
