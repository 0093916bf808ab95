/* Tests the questionnaire loader (questionnaire_parse / questionnaire_load)
 * on in-memory JSON. The loader is what stands between an author's file and
 * what a person is asked, and `sayso check` prints its diagnostics as
 * file:line:col, so the tests check both halves: a valid file becomes the
 * right model (counts, types, texts per language, pictures resolved against
 * assets/pictures, conditions as question indexes and option ids), and each
 * kind of mistake in docs/questionnaire-format.md is reported at the place
 * an author has to look, with line and column asserted exactly. Positions are
 * checked against literal numbers for a few cases and otherwise against the
 * start of a named piece of the source, counted in UTF-8 characters
 * independently of json_locate. Tests run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/questionnaire.h"

#define PICTURES "assets/pictures"

/* ---- helpers ---------------------------------------------------------- */

static Questionnaire *parse(const char *source, Diagnostics *diag)
{
    diag_init(diag);
    /* an exact-size copy so that reading past the end is an ASan error */
    size_t length = strlen(source);
    char *copy = malloc(length + 1);
    assert_non_null(copy);
    memcpy(copy, source, length);
    Questionnaire *q = questionnaire_parse(copy, length, NULL, PICTURES, diag);
    free(copy);
    return q;
}

/* Line and column (in characters) where the `occurrence`-th (1-based) copy
 * of `needle` starts in `source`. */
static void position_of(const char *source, const char *needle, int occurrence, int *line,
                        int *column)
{
    const char *at = source - 1;
    for (int i = 0; i < occurrence; i++) {
        at = strstr(at + 1, needle);
        if (!at)
            fail_msg("test bug: \"%s\" occurs fewer than %d times", needle, occurrence);
    }
    *line = 1;
    *column = 1;
    for (const char *p = source; p < at; p++) {
        if (*p == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

/* There is a diagnostic containing `fragment`, at line:column. */
/* The same, with the position given as the start of a piece of the source. */
static void assert_diag_on(const Diagnostics *d, const char *source, const char *fragment,
                           const char *needle, int occurrence)
{
    int line, column;
    position_of(source, needle, occurrence, &line, &column);
    assert_diag_at(d, fragment, line, column);
}

/* Parses, expects failure with exactly `count` diagnostics. */
static void expect_errors(const char *source, size_t count, Diagnostics *diag)
{
    Questionnaire *q = parse(source, diag);
    if (q || diag->count != count) {
        dump(diag);
        fail_msg("expected no model and %zu diagnostics, got %s and %zu", count,
                 q ? "a model" : "no model", diag->count);
    }
}

/* A one-language questionnaire around the given question objects. The
 * questions start on line 8. */
#define HEAD                                                                                       \
    "{\n"                                                                                          \
    "  \"format\": 1,\n"                                                                           \
    "  \"id\": \"t\",\n"                                                                           \
    "  \"version\": 1,\n"                                                                          \
    "  \"languages\": [\"en\"],\n"                                                                 \
    "  \"title\": \"T\",\n"                                                                        \
    "  \"questions\": [\n"
#define TAIL "  ]\n}\n"
#define YES_NO                                                                                     \
    "\"options\": [{\"id\": \"yes\", \"text\": \"Yes\", \"picture\": \"yes.svg\"}, "               \
    "{\"id\": \"no\", \"text\": \"No\", \"picture\": \"no.svg\"}]"

/* ---- a valid questionnaire ------------------------------------------ */

static const char VALID[] =
    "{\n"
    "  \"format\": 1,\n"
    "  \"id\": \"clinic-visit\",\n"
    "  \"version\": 3,\n"
    "  \"languages\": [\"en\", \"cy\"],\n"
    "  \"title\": {\"en\": \"Your visit\", \"cy\": \"Eich ymweliad\"},\n"
    "  \"picture\": \"hospital.svg\",\n"
    "  \"questions\": [\n"
    "    {\n"
    "      \"id\": \"welcome\",\n"
    "      \"type\": \"info\",\n"
    "      \"text\": {\"en\": \"Welcome\", \"cy\": \"Croeso\"},\n"
    "      \"picture\": \"welcome.svg\"\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"rating\",\n"
    "      \"type\": \"single\",\n"
    "      \"required\": true,\n"
    "      \"text\": {\"en\": \"How was it?\", \"cy\": \"Sut oedd hi?\"},\n"
    "      \"help\": {\"en\": \"Tap a face.\", \"cy\": \"Tapiwch wyneb.\"},\n"
    "      \"picture\": \"star.svg\",\n"
    "      \"options\": [\n"
    "        {\"id\": \"good\", \"text\": {\"en\": \"Good\", \"cy\": \"Da\"}, \"picture\": "
    "\"face-good.svg\"},\n"
    "        {\"id\": \"poor\", \"text\": {\"en\": \"Poor\", \"cy\": \"Gwael\"}, \"picture\": "
    "\"face-poor.svg\"}\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"why\",\n"
    "      \"type\": \"text\",\n"
    "      \"max_length\": 200,\n"
    "      \"show_if\": {\"question\": \"rating\", \"equals\": \"poor\"},\n"
    "      \"text\": {\"en\": \"What went wrong?\", \"cy\": \"Beth aeth o'i le?\"},\n"
    "      \"picture\": \"lightbulb.svg\"\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"support\",\n"
    "      \"type\": \"multiple\",\n"
    "      \"show_if\": {\"question\": \"rating\", \"any_of\": [\"good\", \"poor\"]},\n"
    "      \"text\": {\"en\": \"Who helped?\", \"cy\": \"Pwy helpodd?\"},\n"
    "      \"picture\": \"support.svg\",\n"
    "      \"options\": [\n"
    "        {\"id\": \"staff\", \"text\": {\"en\": \"Staff\", \"cy\": \"Staff\"}, \"picture\": "
    "\"people.svg\"},\n"
    "        {\"id\": \"family\", \"text\": {\"en\": \"Family\", \"cy\": \"Teulu\"}, \"picture\": "
    "\"home.svg\"},\n"
    "        {\"id\": \"nobody\", \"text\": {\"en\": \"Nobody\", \"cy\": \"Neb\"}, \"picture\": "
    "\"no.svg\", \"exclusive\": true}\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"id\": \"note\",\n"
    "      \"type\": \"text\",\n"
    "      \"required\": false,\n"
    "      \"text\": {\"en\": \"Anything else? \xc3\xa9\xe2\x82\xac\", \"cy\": \"Unrhyw beth "
    "arall?\"},\n"
    "      \"picture\": \"pencil.svg\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_valid_model(void **state)
{
    (void)state;
    Diagnostics diag;
    Questionnaire *q = parse(VALID, &diag);
    if (!q || diag.count) {
        dump(&diag);
        fail_msg("valid questionnaire did not load");
    }
    assert_string_equal(q->id, "clinic-visit");
    assert_int_equal(q->version, 3);
    assert_int_equal(q->language_count, 2);
    assert_string_equal(q->languages[0], "en");
    assert_string_equal(q->languages[1], "cy");
    assert_string_equal(questionnaire_default_language(q), "en");
    assert_true(questionnaire_has_language(q, "cy"));
    assert_false(questionnaire_has_language(q, "fr"));
    assert_string_equal(text_get(&q->title, "cy", "en"), "Eich ymweliad");
    assert_string_equal(text_get(&q->title, "fr", "en"), "Your visit");
    assert_string_equal(q->picture, PICTURES "/hospital.svg");
    assert_int_equal(q->question_count, 5);

    static const QuestionType types[] = {QUESTION_INFO, QUESTION_SINGLE, QUESTION_TEXT,
                                         QUESTION_MULTIPLE, QUESTION_TEXT};
    static const char *const ids[] = {"welcome", "rating", "why", "support", "note"};
    static const size_t option_counts[] = {0, 2, 0, 3, 0};
    static const bool required[] = {false, true, false, false, false};
    for (size_t i = 0; i < 5; i++) {
        const Question *question = &q->questions[i];
        assert_string_equal(question->id, ids[i]);
        assert_int_equal(question->type, types[i]);
        assert_int_equal(question->option_count, option_counts[i]);
        assert_int_equal(question->required, required[i]);
        assert_int_equal(questionnaire_find_question(q, ids[i]), (int)i);
        assert_int_equal(question->text.count, 2);
    }
    assert_int_equal(questionnaire_find_question(q, "nope"), -1);

    const Question *rating = &q->questions[1];
    assert_string_equal(question_type_name(rating->type), "single");
    assert_string_equal(text_get(&rating->text, "en", "en"), "How was it?");
    assert_string_equal(text_get(&rating->text, "cy", "en"), "Sut oedd hi?");
    assert_string_equal(text_get(&rating->help, "cy", "en"), "Tapiwch wyneb.");
    assert_string_equal(rating->picture, PICTURES "/star.svg");
    assert_string_equal(rating->options[0].id, "good");
    assert_string_equal(rating->options[1].id, "poor");
    assert_string_equal(text_get(&rating->options[1].text, "cy", "en"), "Gwael");
    assert_string_equal(rating->options[0].picture, PICTURES "/face-good.svg");
    assert_int_equal(question_find_option(rating, "poor"), 1);
    assert_int_equal(question_find_option(rating, "bad"), -1);
    assert_int_equal(rating->show_if.question, -1);
    assert_int_equal(q->questions[0].help.count, 0);

    const Question *why = &q->questions[2];
    assert_int_equal(why->max_length, 200);
    assert_int_equal(why->show_if.question, 1);
    assert_int_equal(why->show_if.option_id_count, 1);
    assert_string_equal(why->show_if.option_ids[0], "poor");

    const Question *support = &q->questions[3];
    assert_int_equal(support->show_if.question, 1);
    assert_int_equal(support->show_if.option_id_count, 2);
    assert_string_equal(support->show_if.option_ids[0], "good");
    assert_string_equal(support->show_if.option_ids[1], "poor");
    assert_false(support->options[0].exclusive);
    assert_false(support->options[1].exclusive);
    assert_true(support->options[2].exclusive);
    assert_string_equal(support->options[2].picture, PICTURES "/no.svg");

    const Question *note = &q->questions[4];
    assert_int_equal(note->max_length, QUESTION_TEXT_DEFAULT_MAX);
    assert_string_equal(text_get(&note->text, "en", "en"), "Anything else? \xc3\xa9\xe2\x82\xac");
    assert_null(q->questions[0].options);
    questionnaire_destroy(q);
    diag_deinit(&diag);
}

static void test_plain_string_text_and_no_picture(void **state)
{
    (void)state;
    /* one language: plain strings count as it; the title picture is optional */
    const char *source = HEAD "    {\"id\": \"q\", \"type\": \"single\", \"text\": \"Pick\", "
                              "\"picture\": \"star.svg\", " YES_NO "}\n" TAIL;
    Diagnostics diag;
    Questionnaire *q = parse(source, &diag);
    if (!q) {
        dump(&diag);
        fail();
    }
    assert_null(q->picture);
    assert_int_equal(q->questions[0].text.count, 1);
    assert_string_equal(q->questions[0].text.entries[0].language, "en");
    assert_string_equal(q->questions[0].text.entries[0].text, "Pick");
    assert_string_equal(text_get(&q->questions[0].options[1].text, "en", "en"), "No");
    questionnaire_destroy(q);
    diag_deinit(&diag);
}

static void test_picture_next_to_file_first(void **state)
{
    (void)state;
    char dir[] = "/tmp/sayso-q-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char own[300], json[300];
    snprintf(own, sizeof own, "%s/star.svg", dir);
    FILE *f = fopen(own, "w");
    assert_non_null(f);
    fputs("<svg/>", f);
    fclose(f);
    /* the file's own star.svg wins over the shipped one; yes.svg is shipped */
    const char *source = HEAD "    {\"id\": \"q\", \"type\": \"single\", \"text\": \"Pick\", "
                              "\"picture\": \"star.svg\", " YES_NO "}\n" TAIL;
    snprintf(json, sizeof json, "%s/q.json", dir);
    f = fopen(json, "w");
    assert_non_null(f);
    fputs(source, f);
    fclose(f);
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_load(json, PICTURES, &diag);
    assert_non_null(q);
    assert_int_equal(diag.count, 0);
    assert_string_equal(q->questions[0].picture, own);
    assert_string_equal(q->questions[0].options[0].picture, PICTURES "/yes.svg");
    questionnaire_destroy(q);
    /* without the shipped folder, yes.svg is not found */
    q = questionnaire_load(json, NULL, &diag);
    assert_null(q);
    assert_int_equal(diag.count, 2);
    assert_non_null(find_diag(&diag, "picture file \"yes.svg\" not found"));
    assert_non_null(find_diag(&diag, "picture file \"no.svg\" not found"));
    diag_deinit(&diag);
    unlink(own);
    unlink(json);
    rmdir(dir);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    Diagnostics diag;
    diag_init(&diag);
    assert_null(questionnaire_load("/tmp/sayso-no-such-dir/none.json", PICTURES, &diag));
    assert_int_equal(diag.count, 1);
    assert_int_equal(diag.items[0].line, 0);
    assert_non_null(strstr(diag.items[0].message, "cannot open"));
    diag_deinit(&diag);
}

/* ---- syntax ----------------------------------------------------------- */

static void test_syntax_error_position(void **state)
{
    (void)state;
    /* a missing comma before "picture" on line 8: reported where "picture" starts */
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"single\", \"text\": {\"en\": \"Hello?\"} \"picture\": "
        "\"yes.svg\"}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 1, &diag);
    assert_diag_at(&diag, "JSON syntax error", 8, 61);
    assert_non_null(strstr(diag.items[0].message, "'}' expected"));
    diag_deinit(&diag);

    /* the same after multibyte characters: columns are characters */
    const char *utf8 = "{\n  \"title\": \"\xc3\xa9\xc3\xa9\xe2\x82\xac\" \"x\": 1\n}\n";
    expect_errors(utf8, 1, &diag);
    assert_diag_at(&diag, "JSON syntax error", 2, 18);
    diag_deinit(&diag);

    /* a file cut short */
    expect_errors("{\n  \"format\": 1,\n  \"id\": \"t\"", 1, &diag);
    assert_int_equal(diag.items[0].line, 3);
    assert_non_null(strstr(diag.items[0].message, "JSON syntax error"));
    diag_deinit(&diag);

    /* a duplicate key is a syntax error too */
    expect_errors("{\"format\": 1,\n \"format\": 1}", 1, &diag);
    assert_diag_at(&diag, "duplicate", 2, 2);
    diag_deinit(&diag);

    /* empty input */
    expect_errors("", 1, &diag);
    assert_int_equal(diag.items[0].line, 1);
    diag_deinit(&diag);
}

static void test_root_not_object(void **state)
{
    (void)state;
    Diagnostics diag;
    expect_errors("\n  [1, 2]", 1, &diag);
    assert_diag_at(&diag, "expected an object, found an array", 2, 3);
    diag_deinit(&diag);
}

/* ---- question types and keys --------------------------------------- */

static void test_unknown_type(void **state)
{
    (void)state;
    const char *source = HEAD "    {\n"
                              "      \"id\": \"q1\",\n"
                              "      \"type\": \"slider\",\n"
                              "      \"text\": \"How much?\",\n"
                              "      \"picture\": \"star.svg\"\n"
                              "    }\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 1, &diag);
    assert_diag_at(&diag, "unknown question type \"slider\"", 10, 15);
    diag_deinit(&diag);

    /* a type that is not a string */
    const char *number = HEAD "    {\"id\": \"q1\", \"type\": 3, \"text\": \"T\", \"picture\": "
                              "\"star.svg\"}\n" TAIL;
    expect_errors(number, 1, &diag);
    assert_diag_at(&diag, "\"type\" must be a string, found a whole number", 8, 26);
    diag_deinit(&diag);
}

static void test_unknown_keys(void **state)
{
    (void)state;
    const char *source =
        "{\n"
        "  \"format\": 1, \"id\": \"t\", \"version\": 1, \"languages\": [\"en\"],\n"
        "  \"title\": \"T\",\n"
        "  \"colour\": \"red\",\n"
        "  \"questions\": [\n"
        "    {\"id\": \"q\", \"type\": \"single\", \"text\": \"Q\", \"picture\": \"star.svg\", "
        "\"shape\": 1,\n"
        "     \"show_if\": {\"question\": \"q0\", \"equals\": \"a\", \"unless\": 1},\n"
        "     \"options\": [{\"id\": \"a\", \"text\": \"A\", \"picture\": \"yes.svg\", "
        "\"colour\": 2},\n"
        "                 {\"id\": \"b\", \"text\": \"B\", \"picture\": \"no.svg\"}]}\n"
        "  ]\n"
        "}\n";
    Diagnostics diag;
    Questionnaire *q = parse(source, &diag);
    assert_null(q);
    assert_diag_at(&diag, "unknown key \"colour\"", 4, 3);
    assert_diag_at(&diag, "unknown key \"shape\"", 6, 71);
    assert_diag_on(&diag, source, "unknown key \"unless\"", "\"unless\"", 1);
    /* the option's "colour" is the second "colour" in the file */
    const Diagnostic *first = find_diag(&diag, "unknown key \"colour\"");
    int option_colour = 0;
    for (size_t i = 0; i < diag.count; i++)
        if (&diag.items[i] != first && strstr(diag.items[i].message, "unknown key \"colour\"")) {
            int line, column;
            position_of(source, "\"colour\"", 2, &line, &column);
            assert_int_equal(diag.items[i].line, line);
            assert_int_equal(diag.items[i].column, column);
            option_colour++;
        }
    assert_int_equal(option_colour, 1);
    /* the condition names a question that does not exist, too */
    assert_non_null(find_diag(&diag, "condition names question \"q0\", which does not exist"));
    assert_int_equal(diag.count, 5);
    diag_deinit(&diag);
}

static void test_missing_required_keys(void **state)
{
    (void)state;
    Diagnostics diag;
    Questionnaire *q = parse("{\n  \"format\": 1\n}", &diag);
    assert_null(q);
    static const char *const keys[] = {"id", "version", "languages", "title", "questions"};
    for (size_t i = 0; i < 5; i++) {
        char fragment[64];
        snprintf(fragment, sizeof fragment, "missing required key \"%s\"", keys[i]);
        assert_diag_at(&diag, fragment, 1, 1);
    }
    assert_int_equal(diag.count, 5);
    diag_deinit(&diag);

    /* inside a question, reported at the question's opening brace */
    const char *source = HEAD "    {\"id\": \"q\", \"type\": \"info\"}\n" TAIL;
    expect_errors(source, 2, &diag);
    assert_diag_at(&diag, "missing required key \"text\"", 8, 5);
    assert_diag_at(&diag, "missing required key \"picture\"", 8, 5);
    diag_deinit(&diag);
}

static void test_format_version_and_ids(void **state)
{
    (void)state;
    const char *source = "{\n"
                         "  \"format\": 2,\n"
                         "  \"id\": \"Has Capitals\",\n"
                         "  \"version\": 0,\n"
                         "  \"languages\": [\"en\", \"EN\", \"en\"],\n"
                         "  \"title\": \"T\",\n"
                         "  \"questions\": []\n"
                         "}\n";
    Diagnostics diag;
    expect_errors(source, 6, &diag);
    assert_diag_at(&diag, "format 2 is not supported", 2, 13);
    assert_diag_at(&diag, "\"id\" must be 1 to 64 characters", 3, 9);
    assert_diag_at(&diag, "\"version\" must be between 1 and 1000000000", 4, 14);
    assert_diag_at(&diag, "\"EN\" is not a language code", 5, 23);
    assert_diag_at(&diag, "language \"en\" is listed twice", 5, 29);
    assert_diag_at(&diag, "\"questions\" must be a non-empty array", 7, 16);
    diag_deinit(&diag);
}

/* ---- conditions ------------------------------------------------------ */

static void test_show_if_missing_question(void **state)
{
    (void)state;
    const char *source = HEAD "    {\n"
                              "      \"id\": \"q1\", \"type\": \"single\", \"text\": \"Q1\", "
                              "\"picture\": \"star.svg\",\n"
                              "      " YES_NO "\n"
                              "    },\n"
                              "    {\n"
                              "      \"id\": \"q2\", \"type\": \"text\", \"text\": \"Q2\", "
                              "\"picture\": \"star.svg\",\n"
                              "      \"show_if\": {\"question\": \"q3\", \"equals\": \"no\"}\n"
                              "    }\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 1, &diag);
    assert_diag_at(&diag, "condition names question \"q3\", which does not exist", 14, 31);
    diag_deinit(&diag);
}

static void test_show_if_later_question_and_self(void **state)
{
    (void)state;
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"text\", \"text\": \"Q1\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q2\", \"equals\": \"yes\"}},\n"
        "    {\"id\": \"q2\", \"type\": \"single\", \"text\": \"Q2\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q2\", \"equals\": \"yes\"},\n"
        "     " YES_NO "}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 2, &diag);
    assert_diag_at(&diag, "\"q2\", which does not come before this one", 9, 30);
    const Diagnostic *self = NULL;
    for (size_t i = 0; i < diag.count; i++)
        if (diag.items[i].line == 11)
            self = &diag.items[i];
    assert_non_null(self);
    assert_int_equal(self->column, 30);
    assert_non_null(strstr(self->message, "does not come before this one"));
    diag_deinit(&diag);
}

static void test_show_if_unknown_option(void **state)
{
    (void)state;
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"single\", \"text\": \"Q1\", \"picture\": \"star.svg\",\n"
        "     " YES_NO "},\n"
        "    {\"id\": \"q2\", \"type\": \"text\", \"text\": \"Q2\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q1\", \"any_of\": [\"yes\", \"maybe\", 7]}},\n"
        "    {\"id\": \"q3\", \"type\": \"text\", \"text\": \"Q3\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q1\", \"equals\": \"perhaps\"}}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 3, &diag);
    assert_diag_at(&diag, "question \"q1\" has no answer \"maybe\"", 11, 54);
    assert_diag_at(&diag, "question \"q1\" has no answer of this type", 11, 63);
    assert_diag_at(&diag, "question \"q1\" has no answer \"perhaps\"", 13, 46);
    diag_deinit(&diag);
}

static void test_show_if_shape(void **state)
{
    (void)state;
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"single\", \"text\": \"Q1\", \"picture\": \"star.svg\",\n"
        "     " YES_NO "},\n"
        "    {\"id\": \"q2\", \"type\": \"text\", \"text\": \"Q2\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q1\", \"any_of\": [\"yes\"], \"equals\": \"no\"}},\n"
        "    {\"id\": \"q3\", \"type\": \"info\", \"text\": \"Q3\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q2\", \"equals\": \"x\"}},\n"
        "    {\"id\": \"q4\", \"type\": \"info\", \"text\": \"Q4\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": {\"question\": \"q1\", \"any_of\": []}},\n"
        "    {\"id\": \"q5\", \"type\": \"info\", \"text\": \"Q5\", \"picture\": \"star.svg\",\n"
        "     \"show_if\": \"q1\"}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 4, &diag);
    assert_diag_at(&diag, "exactly one of \"any_of\" or \"equals\"", 11, 17);
    assert_diag_at(&diag, "\"q2\", which has no answers to match", 13, 30);
    assert_diag_at(&diag, "\"any_of\" must be a non-empty array", 15, 46);
    assert_diag_at(&diag, "expected an object, found a string", 17, 17);
    diag_deinit(&diag);
}

/* ---- pictures -------------------------------------------------------- */

static void test_missing_picture(void **state)
{
    (void)state;
    const char *source = HEAD "    {\n"
                              "      \"id\": \"q1\",\n"
                              "      \"type\": \"info\",\n"
                              "      \"text\": \"Hello\",\n"
                              "      \"picture\": \"no-such-picture.svg\"\n"
                              "    }\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 1, &diag);
    assert_diag_at(&diag, "picture file \"no-such-picture.svg\" not found", 12, 18);
    diag_deinit(&diag);

    const char *bad = HEAD
        "    {\"id\": \"q1\", \"type\": \"single\", \"text\": \"Q\", \"picture\": \"star.gif\",\n"
        "     \"options\": [{\"id\": \"a\", \"text\": \"A\", \"picture\": \"../secret.svg\"},\n"
        "                 {\"id\": \"b\", \"text\": \"B\", \"picture\": \"/etc/x.png\"}]}\n" TAIL;
    expect_errors(bad, 3, &diag);
    assert_diag_at(&diag, "\"star.gif\" must be a .svg or .png file", 8, 60);
    assert_diag_at(&diag, "picture \"../secret.svg\" must be a file name inside", 9, 54);
    assert_diag_at(&diag, "picture \"/etc/x.png\" must be a file name inside", 10, 54);
    diag_deinit(&diag);
}

/* ---- duplicate ids --------------------------------------------------- */

static void test_duplicate_ids(void **state)
{
    (void)state;
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"info\", \"text\": \"A\", \"picture\": \"star.svg\"},\n"
        "    {\"id\": \"q2\", \"type\": \"single\", \"text\": \"B\", \"picture\": \"star.svg\",\n"
        "     \"options\": [{\"id\": \"a\", \"text\": \"A\", \"picture\": \"yes.svg\"},\n"
        "                 {\"id\": \"a\", \"text\": \"A2\", \"picture\": \"no.svg\"}]},\n"
        "    {\"id\": \"q1\", \"type\": \"info\", \"text\": \"C\", \"picture\": "
        "\"star.svg\"}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 2, &diag);
    assert_diag_at(&diag, "answer id \"a\" is used twice in this question", 11, 25);
    assert_diag_at(&diag, "question id \"q1\" is used twice", 12, 12);
    diag_deinit(&diag);
}

/* ---- texts and languages -------------------------------------------- */

static void test_text_missing_language(void **state)
{
    (void)state;
    const char *source = "{\n"
                         "  \"format\": 1, \"id\": \"t\", \"version\": 1,\n"
                         "  \"languages\": [\"en\", \"ar\"],\n"
                         "  \"title\": {\"en\": \"Title\"},\n"
                         "  \"questions\": [\n"
                         "    {\"id\": \"q1\", \"type\": \"info\", \"picture\": \"star.svg\",\n"
                         "     \"text\": {\"en\": \"A\", \"ar\": \"\xd8\xa3\", \"fr\": \"Un\"},\n"
                         "     \"help\": \"Plain\"},\n"
                         "    {\"id\": \"q2\", \"type\": \"info\", \"picture\": \"star.svg\",\n"
                         "     \"text\": {\"en\": \"B\", \"ar\": \"\"}}\n"
                         "  ]\n"
                         "}\n";
    Diagnostics diag;
    expect_errors(source, 4, &diag);
    assert_diag_at(&diag, "\"title\" has no text in \"ar\"", 4, 12);
    /* an undeclared language is reported at its key, after a multibyte text */
    assert_diag_at(&diag, "language \"fr\" is not one of this file's \"languages\"", 7, 37);
    /* a plain string is only the default language */
    assert_diag_at(&diag, "\"help\" has no text in \"ar\"", 8, 14);
    assert_diag_at(&diag, "text in \"ar\" must be a non-empty string", 10, 32);
    diag_deinit(&diag);
}

/* ---- required, max_length, options --------------------------------- */

static void test_required_on_text_and_info(void **state)
{
    (void)state;
    const char *source =
        HEAD "    {\"id\": \"q1\", \"type\": \"text\", \"required\": true, \"text\": \"A\", "
             "\"picture\": \"star.svg\"},\n"
             "    {\"id\": \"q2\", \"type\": \"info\", \"required\": true, \"text\": \"B\", "
             "\"picture\": \"star.svg\"},\n"
             "    {\"id\": \"q3\", \"type\": \"text\", \"required\": \"yes\", \"text\": \"C\", "
             "\"picture\": \"star.svg\"}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 3, &diag);
    assert_diag_at(&diag, "a \"text\" question cannot be required", 8, 46);
    assert_diag_at(&diag, "a \"info\" question cannot be required", 9, 46);
    assert_diag_at(&diag, "\"required\" must be true or false, found a string", 10, 46);
    diag_deinit(&diag);
}

static void test_max_length(void **state)
{
    (void)state;
    const char *source =
        HEAD "    {\"id\": \"q1\", \"type\": \"text\", \"max_length\": 0, \"text\": \"A\", "
             "\"picture\": \"star.svg\"},\n"
             "    {\"id\": \"q2\", \"type\": \"text\", \"max_length\": 2001, \"text\": \"B\", "
             "\"picture\": \"star.svg\"},\n"
             "    {\"id\": \"q3\", \"type\": \"single\", \"max_length\": 10, \"text\": \"C\", "
             "\"picture\": \"star.svg\", " YES_NO "}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 3, &diag);
    assert_diag_at(&diag, "\"max_length\" must be between 1 and 2000", 8, 48);
    const Diagnostic *second = NULL;
    for (size_t i = 0; i < diag.count; i++)
        if (diag.items[i].line == 9)
            second = &diag.items[i];
    assert_non_null(second);
    assert_int_equal(second->column, 48);
    assert_non_null(strstr(second->message, "between 1 and 2000"));
    assert_diag_at(&diag, "\"max_length\" only applies to \"text\" questions", 10, 36);
    diag_deinit(&diag);

    /* the limits themselves are accepted */
    const char *edges =
        HEAD "    {\"id\": \"q1\", \"type\": \"text\", \"max_length\": 1, \"text\": \"A\", "
             "\"picture\": \"star.svg\"},\n"
             "    {\"id\": \"q2\", \"type\": \"text\", \"max_length\": 2000, \"text\": \"B\", "
             "\"picture\": \"star.svg\"}\n" TAIL;
    Questionnaire *q = parse(edges, &diag);
    assert_non_null(q);
    assert_int_equal(q->questions[0].max_length, 1);
    assert_int_equal(q->questions[1].max_length, 2000);
    questionnaire_destroy(q);
    diag_deinit(&diag);
}

/* A single question with n generated options. */
static char *with_options(size_t n)
{
    size_t size = 4096 + n * 80;
    char *source = malloc(size);
    assert_non_null(source);
    int used = snprintf(source, size,
                        HEAD "    {\"id\": \"q\", \"type\": \"multiple\", \"text\": \"Q\", "
                             "\"picture\": \"star.svg\",\n     \"options\": [");
    for (size_t i = 0; i < n; i++)
        used += snprintf(source + used, size - (size_t)used,
                         "%s{\"id\": \"o%zu\", \"text\": \"O\", \"picture\": \"star.svg\"}",
                         i ? ", " : "", i);
    snprintf(source + used, size - (size_t)used, "]}\n" TAIL);
    return source;
}

static void test_options_count(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        bool ok;
    } cases[] = {{0, false}, {1, false}, {2, true}, {12, true}, {13, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *source = with_options(cases[i].n);
        Diagnostics diag;
        Questionnaire *q = parse(source, &diag);
        if (cases[i].ok) {
            assert_non_null(q);
            assert_int_equal(q->questions[0].option_count, cases[i].n);
            assert_string_equal(q->questions[0].options[cases[i].n - 1].id,
                                cases[i].n == 12 ? "o11" : "o1");
        } else {
            assert_null(q);
            assert_int_equal(diag.count, 1);
            assert_diag_at(&diag, "\"options\" must be an array of 2 to 12 answers", 9, 17);
        }
        questionnaire_destroy(q);
        diag_deinit(&diag);
        free(source);
    }
}

static void test_options_where_not_wanted_or_missing(void **state)
{
    (void)state;
    const char *source = HEAD
        "    {\"id\": \"q1\", \"type\": \"text\", \"text\": \"A\", \"picture\": "
        "\"star.svg\", " YES_NO "},\n"
        "    {\"id\": \"q2\", \"type\": \"single\", \"text\": \"B\", \"picture\": \"star.svg\"},\n"
        "    {\"id\": \"q3\", \"type\": \"single\", \"text\": \"C\", \"picture\": \"star.svg\",\n"
        "     \"options\": [{\"id\": \"a\", \"text\": \"A\", \"picture\": \"yes.svg\", "
        "\"exclusive\": true},\n"
        "                 {\"id\": \"b\", \"text\": \"B\", \"picture\": \"no.svg\"}]}\n" TAIL;
    Diagnostics diag;
    expect_errors(source, 3, &diag);
    assert_diag_at(&diag, "a \"text\" question has no \"options\"", 8, 70);
    assert_diag_at(&diag, "a \"single\" question needs \"options\"", 9, 5);
    assert_diag_at(&diag, "\"exclusive\" only applies to \"multiple\" questions", 11, 65);
    diag_deinit(&diag);
}

/* Every prefix of the valid file is rejected with at least one positioned
 * problem; none crashes or reads past the end (run under ASan). */
static void test_truncated_files(void **state)
{
    (void)state;
    size_t full = strlen(VALID);
    for (size_t length = 0; length + 1 < full; length++) {
        char *copy = malloc(length ? length : 1);
        assert_non_null(copy);
        memcpy(copy, VALID, length);
        Diagnostics diag;
        diag_init(&diag);
        Questionnaire *q = questionnaire_parse(copy, length, NULL, PICTURES, &diag);
        if (q || diag.count == 0)
            fail_msg("prefix of %zu bytes was accepted", length);
        assert_true(diag.items[0].line >= 1 && diag.items[0].column >= 1);
        diag_deinit(&diag);
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_model),
        cmocka_unit_test(test_plain_string_text_and_no_picture),
        cmocka_unit_test(test_picture_next_to_file_first),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_root_not_object),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_missing_required_keys),
        cmocka_unit_test(test_format_version_and_ids),
        cmocka_unit_test(test_show_if_missing_question),
        cmocka_unit_test(test_show_if_later_question_and_self),
        cmocka_unit_test(test_show_if_unknown_option),
        cmocka_unit_test(test_show_if_shape),
        cmocka_unit_test(test_missing_picture),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_text_missing_language),
        cmocka_unit_test(test_required_on_text_and_info),
        cmocka_unit_test(test_max_length),
        cmocka_unit_test(test_options_count),
        cmocka_unit_test(test_options_where_not_wanted_or_missing),
        cmocka_unit_test(test_truncated_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
