/* Tests the tally behind the staff results screen, whose bar charts and
 * comment lists staff act on, so a miscount misleads them. Over the shipped
 * service-feedback questionnaire: the shape after init (one entry per
 * question, six option counts for the Friends and Family Test, none for the
 * text questions), single answers counted per option, text answers kept as
 * comments newest last with blank and non-string ones left out, question
 * and option ids the questionnaire does not have (rows from an older
 * version) skipped without error, and text that is not a JSON object
 * refused without counting. Over a test questionnaire with a multiple
 * question: each chosen option counted once, a doubled id once, unknown ids
 * and non-strings skipped, an empty choice not an answer, a single answer
 * given as an array. Over the shipped about-you questionnaire: an info page
 * has no counts even if a row names it. Then the cap of kept comments (the
 * oldest go, `answered` counts them all), a tally with no questionnaire,
 * and deinit twice. Tests run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "core/tally.h"

static Questionnaire *load(const char *path)
{
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_load(path, "assets/pictures", &diag);
    dump(&diag);
    assert_non_null(q);
    assert_int_equal(diag.count, 0);
    diag_deinit(&diag);
    return q;
}

/* service-feedback: fft single (very-good, good, neither, poor, very-poor,
 * dont-know), then good and better, both text */
enum { FFT, GOOD, BETTER };
enum { VERY_GOOD, GOOD_OPTION, NEITHER, POOR, VERY_POOR, DONT_KNOW };

static void assert_counts(const QuestionTally *qt, const long *expected, size_t n)
{
    assert_int_equal(qt->option_count, n);
    for (size_t i = 0; i < n; i++)
        if (qt->counts[i] != expected[i])
            fail_msg("option %zu counted %ld, expected %ld", i, qt->counts[i], expected[i]);
}

static void test_init_shape(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    Tally t;
    tally_init(&t, q);
    assert_ptr_equal(t.q, q);
    assert_int_equal(t.responses, 0);
    assert_int_equal(t.question_count, 3);
    assert_counts(&t.questions[FFT], (const long[]){0, 0, 0, 0, 0, 0}, 6);
    for (int i = GOOD; i <= BETTER; i++) {
        assert_int_equal(t.questions[i].option_count, 0);
        assert_null(t.questions[i].counts);
        assert_int_equal(t.questions[i].answered, 0);
        assert_int_equal(t.questions[i].comment_count, 0);
    }
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_single_and_text(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    Tally t;
    tally_init(&t, q);
    assert_true(tally_add(&t, "{\"fft\":\"very-good\",\"good\":\"Kind staff\"}"));
    assert_true(tally_add(&t, "{\"fft\":\"very-good\"}"));
    assert_true(tally_add(&t, "{\"better\":\"Shorter waits\",\"fft\":\"poor\"}"));
    assert_true(tally_add(
        &t,
        "{\"fft\":\"dont-know\",\"good\":\"Caf\u00e9 \u2615 \u0645\u0645\u062a\u0627\u0632\"}"));
    assert_true(tally_add(&t, "{}"));
    /* blank and wrongly shaped text is not an answer */
    assert_true(tally_add(&t, "{\"good\":\"  \\n \",\"better\":[\"a\"]}"));
    assert_true(tally_add(&t, "{\"good\":\"\",\"better\":42}"));

    assert_int_equal(t.responses, 7);
    assert_counts(&t.questions[FFT], (const long[]){2, 0, 0, 1, 0, 1}, 6);
    assert_int_equal(t.questions[FFT].answered, 4);

    const QuestionTally *good = &t.questions[GOOD];
    assert_int_equal(good->answered, 2);
    assert_int_equal(good->comment_count, 2);
    assert_string_equal(good->comments[0], "Kind staff");
    assert_string_equal(good->comments[1], "Caf\u00e9 \u2615 \u0645\u0645\u062a\u0627\u0632");

    const QuestionTally *better = &t.questions[BETTER];
    assert_int_equal(better->answered, 1);
    assert_int_equal(better->comment_count, 1);
    assert_string_equal(better->comments[0], "Shorter waits");
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_unknown_ids_skipped(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    Tally t;
    tally_init(&t, q);
    /* a question and an option from an older version */
    assert_true(tally_add(&t, "{\"old-question\":\"yes\",\"fft\":\"excellent\"}"));
    assert_true(tally_add(&t, "{\"fft\":\"good\",\"removed\":[\"a\",\"b\"],\"x\":\"text\"}"));
    /* values of the wrong kind */
    assert_true(tally_add(&t, "{\"fft\":3}"));
    assert_true(tally_add(&t, "{\"fft\":null}"));
    assert_true(tally_add(&t, "{\"fft\":{\"id\":\"good\"}}"));
    assert_int_equal(t.responses, 5);
    assert_counts(&t.questions[FFT], (const long[]){0, 1, 0, 0, 0, 0}, 6);
    assert_int_equal(t.questions[FFT].answered, 1);
    assert_int_equal(t.questions[GOOD].comment_count, 0);
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_bad_json_refused(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    Tally t;
    tally_init(&t, q);
    static const char *const BAD[] = {
        "",        "not json", "{",    "{\"fft\":\"good\"",           "[\"fft\",\"good\"]",
        "\"fft\"", "42",       "null", "{\"fft\":\"good\"} trailing",
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        if (tally_add(&t, BAD[i]))
            fail_msg("\"%s\" was accepted", BAD[i]);
    assert_false(tally_add(&t, NULL));
    assert_false(tally_add(NULL, "{}"));
    assert_int_equal(t.responses, 0);
    assert_counts(&t.questions[FFT], (const long[]){0, 0, 0, 0, 0, 0}, 6);
    /* and a good one after them still counts */
    assert_true(tally_add(&t, "{\"fft\":\"good\"}"));
    assert_int_equal(t.responses, 1);
    assert_int_equal(t.questions[FFT].counts[GOOD_OPTION], 1);
    tally_deinit(&t);
    questionnaire_destroy(q);
}

/* Questions: 0 drinks multiple (tea, coffee, none), 1 visit single (yes, no) */
static const char MULTIPLE[] =
    "{\"format\": 1, \"id\": \"drinks\", \"version\": 1, \"languages\": [\"en\"],\n"
    " \"title\": {\"en\": \"Drinks\"},\n"
    " \"questions\": [\n"
    "  {\"id\": \"drinks\", \"type\": \"multiple\", \"text\": {\"en\": \"Drinks?\"},"
    " \"picture\": \"heart.svg\",\n"
    "   \"options\": [{\"id\": \"tea\", \"text\": {\"en\": \"Tea\"}, \"picture\": \"cake.svg\"},\n"
    "               {\"id\": \"coffee\", \"text\": {\"en\": \"Coffee\"}, \"picture\": "
    "\"cake.svg\"},\n"
    "               {\"id\": \"none\", \"text\": {\"en\": \"None\"}, \"picture\": \"no.svg\","
    " \"exclusive\": true}]},\n"
    "  {\"id\": \"visit\", \"type\": \"single\", \"text\": {\"en\": \"Visit?\"},"
    " \"picture\": \"hospital.svg\",\n"
    "   \"options\": [{\"id\": \"yes\", \"text\": {\"en\": \"Yes\"}, \"picture\": \"yes.svg\"},\n"
    "               {\"id\": \"no\", \"text\": {\"en\": \"No\"}, \"picture\": \"no.svg\"}]}\n"
    " ]}\n";

enum { TEA, COFFEE, NONE };

static void test_multiple_choice(void **state)
{
    (void)state;
    Questionnaire *q = fixture_questionnaire(MULTIPLE);
    assert_non_null(q);
    Tally t;
    tally_init(&t, q);
    assert_true(tally_add(&t, "{\"drinks\":[\"tea\",\"coffee\"]}"));
    assert_true(tally_add(&t, "{\"drinks\":[\"tea\"]}"));
    assert_true(tally_add(&t, "{\"drinks\":[\"none\"]}"));
    assert_true(tally_add(&t, "{\"drinks\":[\"tea\",\"tea\"]}"));             /* once */
    assert_true(tally_add(&t, "{\"drinks\":[\"juice\",\"coffee\",7,null]}")); /* known only */
    assert_true(tally_add(&t, "{\"drinks\":\"coffee\"}"));                    /* a lone string */
    assert_true(tally_add(&t, "{\"drinks\":[]}"));                            /* not an answer */
    assert_true(tally_add(&t, "{\"drinks\":[\"juice\"]}"));                   /* nor this */
    assert_int_equal(t.responses, 8);
    assert_counts(&t.questions[0], (const long[]){3, 3, 1}, 3);
    assert_int_equal(t.questions[0].answered, 6);
    assert_int_equal(t.questions[0].comment_count, 0);

    /* a single question stored as an array by an older multiple version */
    assert_true(tally_add(&t, "{\"visit\":[\"yes\",\"no\"]}"));
    assert_true(tally_add(&t, "{\"visit\":\"no\"}"));
    assert_counts(&t.questions[1], (const long[]){1, 2}, 2);
    assert_int_equal(t.questions[1].answered, 2);
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_info_page_has_no_counts(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/about-you.json");
    int intro = questionnaire_find_question(q, "intro");
    int age = questionnaire_find_question(q, "age");
    assert_true(intro >= 0 && age >= 0);
    assert_int_equal(q->questions[intro].type, QUESTION_INFO);
    Tally t;
    tally_init(&t, q);
    assert_int_equal(t.question_count, q->question_count);
    assert_true(
        tally_add(&t, "{\"intro\":\"yes\",\"answer-questions\":\"yes\",\"age\":\"18-25\"}"));
    assert_true(tally_add(&t, "{\"intro\":[\"yes\"],\"answer-questions\":\"no\"}"));
    const QuestionTally *info = &t.questions[intro];
    assert_int_equal(info->option_count, 0);
    assert_null(info->counts);
    assert_int_equal(info->answered, 0);
    assert_int_equal(info->comment_count, 0);
    assert_int_equal(t.questions[age].answered, 1);
    assert_int_equal(t.questions[age].counts[question_find_option(&q->questions[age], "18-25")], 1);
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_comment_cap(void **state)
{
    (void)state;
    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    Tally t;
    tally_init(&t, q);
    enum { EXTRA = 7, TOTAL = TALLY_MAX_COMMENTS + EXTRA };
    for (int i = 0; i < TOTAL; i++) {
        char json[64];
        snprintf(json, sizeof json, "{\"better\":\"comment %d\"}", i);
        assert_true(tally_add(&t, json));
    }
    const QuestionTally *better = &t.questions[BETTER];
    assert_int_equal(better->answered, TOTAL);
    assert_int_equal(better->comment_count, TALLY_MAX_COMMENTS);
    char expected[32];
    snprintf(expected, sizeof expected, "comment %d", EXTRA); /* the oldest still kept */
    assert_string_equal(better->comments[0], expected);
    snprintf(expected, sizeof expected, "comment %d", TOTAL - 1); /* the newest, last */
    assert_string_equal(better->comments[TALLY_MAX_COMMENTS - 1], expected);
    for (size_t i = 1; i < better->comment_count; i++) {
        int before = atoi(better->comments[i - 1] + strlen("comment "));
        int after = atoi(better->comments[i] + strlen("comment "));
        assert_int_equal(after, before + 1);
    }
    tally_deinit(&t);
    questionnaire_destroy(q);
}

static void test_no_questionnaire_and_deinit_twice(void **state)
{
    (void)state;
    Tally t;
    tally_init(&t, NULL);
    assert_int_equal(t.question_count, 0);
    assert_true(tally_add(&t, "{\"fft\":\"good\"}"));
    assert_false(tally_add(&t, "[]"));
    assert_int_equal(t.responses, 1);
    tally_deinit(&t);
    tally_deinit(&t);
    tally_deinit(NULL);

    Questionnaire *q = load("config/questionnaires/service-feedback.json");
    tally_init(&t, q);
    assert_true(tally_add(&t, "{\"good\":\"x\"}"));
    tally_deinit(&t);
    assert_int_equal(t.question_count, 0);
    assert_null(t.questions);
    tally_deinit(&t);
    questionnaire_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_shape),
        cmocka_unit_test(test_single_and_text),
        cmocka_unit_test(test_unknown_ids_skipped),
        cmocka_unit_test(test_bad_json_refused),
        cmocka_unit_test(test_multiple_choice),
        cmocka_unit_test(test_info_page_has_no_counts),
        cmocka_unit_test(test_comment_cap),
        cmocka_unit_test(test_no_questionnaire_and_deinit_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
