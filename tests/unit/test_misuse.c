/* Tests the misuse checks that flag, never drop, a response finished too
 * soon after the previous one or repeating its answers quickly. A wrong flag
 * makes staff doubt a real person's answers, so the tests pin down each
 * rule and its edges: the first response is never flagged; "too soon" is
 * strictly less than min_seconds_between, exactly at the limit is fine;
 * a repeat needs the same questionnaire and byte-identical answers within
 * repeat_window_seconds of the response just before (so two people giving
 * the same one answer three minutes apart are not flagged, and A, B, A is
 * not a repeat); empty answers repeat like any others; both flags at once;
 * rules of 0 or less are off; a clock that goes backwards flags nothing and
 * later responses are measured from the new time; huge times and rules do
 * not overflow; NULL arguments; misuse_forget; and that the flag bits are
 * the response record's, so they can be stored as they are. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "core/misuse.h"
#include "core/response.h"

static const char FFT_GOOD[] = "{\"fft\":\"very-good\"}";
static const char FFT_POOR[] = "{\"fft\":\"poor\"}";

enum { SECOND = 1000, MINUTE = 60 * SECOND };

static void test_first_response_not_flagged(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 0, "service-feedback", FFT_GOOD), 0);
    assert_true(m.have_last);
    assert_int_equal(m.last_ms, 0);
}

static void test_too_soon(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 0};
    uint64_t t = 1000;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    t += 5 * SECOND - 1;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_POOR), MISUSE_TOO_SOON);
    /* measured from the response just before, which was itself too soon */
    t += 5 * SECOND;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    t += 5 * SECOND + 1;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    /* whatever the questionnaire */
    t += 1 * SECOND;
    assert_int_equal(misuse_check(&m, &r, t, "about-you", "{}"), MISUSE_TOO_SOON);
    /* at the same millisecond */
    assert_int_equal(misuse_check(&m, &r, t, "about-you", "{\"age\":\"18-25\"}"), MISUSE_TOO_SOON);
}

static void test_repeat_in_window(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 0, .repeat_window_seconds = 120};
    uint64_t t = 50 * SECOND;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    t += 2 * MINUTE - 1;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), MISUSE_REPEAT);
    /* exactly at the window's end is outside it */
    t += 2 * MINUTE;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    /* a run: each inside the window of the one before */
    for (int i = 0; i < 5; i++) {
        t += 90 * SECOND;
        assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), MISUSE_REPEAT);
    }
}

static void test_same_answer_outside_window(void **state)
{
    (void)state;
    /* two people, one answer each, three minutes apart: normal use */
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 10 * MINUTE, "service-feedback", FFT_GOOD), 0);
    assert_int_equal(misuse_check(&m, &r, 13 * MINUTE, "service-feedback", FFT_GOOD), 0);
    assert_int_equal(misuse_check(&m, &r, 16 * MINUTE, "service-feedback", FFT_GOOD), 0);
}

static void test_not_a_repeat(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 0, .repeat_window_seconds = 120};
    uint64_t t = 0;
    assert_int_equal(misuse_check(&m, &r, t, "service-feedback", FFT_GOOD), 0);
    /* different answers */
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "service-feedback", FFT_POOR), 0);
    /* A, B, A: only the response just before is compared */
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "service-feedback", FFT_GOOD), 0);
    /* the same answers to another questionnaire */
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "event-feedback", FFT_GOOD), 0);
    /* bytes differ: callers must pass the canonical compact text */
    assert_int_equal(
        misuse_check(&m, &r, t += SECOND, "event-feedback", "{\"fft\": \"very-good\"}"), 0);
    /* the id and answers cannot run into each other */
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "ab", "c"), 0);
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "a", "bc"), 0);
    assert_int_equal(misuse_check(&m, &r, t += SECOND, "a", "bc"), MISUSE_REPEAT);
}

static void test_empty_answers_repeat(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 0, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 0, "about-you", "{}"), 0);
    assert_int_equal(misuse_check(&m, &r, 30 * SECOND, "about-you", "{}"), MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 60 * SECOND, "about-you", "{}"), MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 5 * MINUTE, "about-you", "{}"), 0);
}

static void test_both_flags(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 0, "service-feedback", FFT_GOOD), 0);
    assert_int_equal(misuse_check(&m, &r, 2 * SECOND, "service-feedback", FFT_GOOD),
                     MISUSE_TOO_SOON | MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 10 * SECOND, "service-feedback", FFT_GOOD),
                     MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 12 * SECOND, "service-feedback", FFT_POOR),
                     MISUSE_TOO_SOON);
}

static void test_rules_off(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules off = {0, 0};
    MisuseRules negative = {-5, -120};
    for (int i = 0; i < 3; i++)
        assert_int_equal(misuse_check(&m, &off, 1000, "service-feedback", FFT_GOOD), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(misuse_check(&m, &negative, 1000, "service-feedback", FFT_GOOD), 0);
    /* one rule on, the other off */
    MisuseRules repeat_only = {0, 120};
    assert_int_equal(misuse_check(&m, &repeat_only, 1000, "service-feedback", FFT_GOOD),
                     MISUSE_REPEAT);
    MisuseRules soon_only = {5, 0};
    assert_int_equal(misuse_check(&m, &soon_only, 1000, "service-feedback", FFT_GOOD),
                     MISUSE_TOO_SOON);
}

static void test_clock_backwards(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 10 * MINUTE, "service-feedback", FFT_GOOD), 0);
    /* how long it has been is unknown: nothing is flagged */
    assert_int_equal(misuse_check(&m, &r, 1 * MINUTE, "service-feedback", FFT_GOOD), 0);
    assert_int_equal(m.last_ms, 1 * MINUTE);
    /* and the next is measured from the new time */
    assert_int_equal(misuse_check(&m, &r, 1 * MINUTE + SECOND, "service-feedback", FFT_GOOD),
                     MISUSE_TOO_SOON | MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 0, "service-feedback", FFT_GOOD), 0);
}

static void test_extremes(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules huge = {INT_MAX, INT_MAX};
    assert_int_equal(misuse_check(&m, &huge, 0, "q", "{}"), 0);
    assert_int_equal(misuse_check(&m, &huge, UINT64_MAX, "q", "{}"), 0);
    assert_int_equal(misuse_check(&m, &huge, UINT64_MAX, "q", "{}"),
                     MISUSE_TOO_SOON | MISUSE_REPEAT);
    misuse_forget(&m);
    assert_int_equal(misuse_check(&m, &huge, 0, "q", "{}"), 0);
    assert_int_equal(misuse_check(&m, &huge, (uint64_t)INT_MAX * SECOND - 1, "q", "{}"),
                     MISUSE_TOO_SOON | MISUSE_REPEAT);
}

static void test_null_arguments(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(NULL, &r, 0, "q", "{}"), 0);
    assert_int_equal(misuse_check(&m, NULL, 0, "q", "{}"), 0);
    assert_false(m.have_last); /* nothing remembered */
    /* NULL texts are taken as "" */
    assert_int_equal(misuse_check(&m, &r, 0, NULL, NULL), 0);
    assert_int_equal(misuse_check(&m, &r, 10 * SECOND, "", ""), MISUSE_REPEAT);
    assert_int_equal(misuse_check(&m, &r, 20 * SECOND, NULL, "{}"), 0);
    misuse_forget(NULL);
}

static void test_forget(void **state)
{
    (void)state;
    MisuseMemory m = {0};
    MisuseRules r = {.min_seconds_between = 5, .repeat_window_seconds = 120};
    assert_int_equal(misuse_check(&m, &r, 0, "service-feedback", FFT_GOOD), 0);
    misuse_forget(&m);
    assert_false(m.have_last);
    assert_int_equal(misuse_check(&m, &r, 1, "service-feedback", FFT_GOOD), 0);
}

static void test_flag_bits_are_the_response_flags(void **state)
{
    (void)state;
    assert_int_equal(MISUSE_TOO_SOON, RESPONSE_FLAG_TOO_SOON);
    assert_int_equal(MISUSE_REPEAT, RESPONSE_FLAG_REPEAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_response_not_flagged),
        cmocka_unit_test(test_too_soon),
        cmocka_unit_test(test_repeat_in_window),
        cmocka_unit_test(test_same_answer_outside_window),
        cmocka_unit_test(test_not_a_repeat),
        cmocka_unit_test(test_empty_answers_repeat),
        cmocka_unit_test(test_both_flags),
        cmocka_unit_test(test_rules_off),
        cmocka_unit_test(test_clock_backwards),
        cmocka_unit_test(test_extremes),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_flag_bits_are_the_response_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
