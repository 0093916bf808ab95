/* Tests the session: one person's way through a parsed questionnaire. The
 * session decides what is asked and what is saved, so mistakes here put
 * wrong or stray answers into the database. The tests walk a questionnaire
 * with an info page, a required question, conditions on a single and on a
 * multiple question, an exclusive answer and a short free-text question, and
 * check Next, Back and Skip, that "required" blocks Next and Skip, that
 * show_if hides and shows questions as answers change, that an answer to a
 * question hidden by a changed earlier answer is left out of
 * session_answers_json, multiple-choice toggling with exclusive options, the
 * cut of free text to max_length on a UTF-8 character boundary, that text
 * which is not valid UTF-8 is refused and the earlier text kept, that text of
 * 2000 multibyte characters is kept whole and saved, that
 * whitespace-only text is not an answer, the progress numbers (info pages not
 * counted) and session_on_last. Tests run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "core/session.h"

/* Questions, by index:
 *   0 intro    info
 *   1 visit    single, required: yes, no, not-sure
 *   2 why-not  single, show_if visit any_of [no, not-sure]: time, cost
 *   3 extras   multiple: tea, coffee, none (exclusive)
 *   4 milk     single, show_if extras equals tea: yes, no
 *   5 comment  text, max_length 5
 *   6 bye      info */
static const char SOURCE[] =
    "{\"format\": 1, \"id\": \"flow\", \"version\": 2, \"languages\": [\"en\", \"pl\"],\n"
    " \"title\": {\"en\": \"Flow\", \"pl\": \"Przep\xc5\x82yw\"},\n"
    " \"questions\": [\n"
    "  {\"id\": \"intro\", \"type\": \"info\", \"text\": {\"en\": \"Hi\", \"pl\": "
    "\"Cze\xc5\x9b\xc4\x87\"},"
    " \"picture\": \"hello.svg\"},\n"
    "  {\"id\": \"visit\", \"type\": \"single\", \"required\": true,"
    " \"text\": {\"en\": \"Visit?\", \"pl\": \"Wizyta?\"}, \"picture\": \"hospital.svg\",\n"
    "   \"options\": [{\"id\": \"yes\", \"text\": {\"en\": \"Yes\", \"pl\": \"Tak\"}, \"picture\": "
    "\"yes.svg\"},\n"
    "               {\"id\": \"no\", \"text\": {\"en\": \"No\", \"pl\": \"Nie\"}, \"picture\": "
    "\"no.svg\"},\n"
    "               {\"id\": \"not-sure\", \"text\": {\"en\": \"Not sure\", \"pl\": \"Nie wiem\"},"
    " \"picture\": \"not-sure.svg\"}]},\n"
    "  {\"id\": \"why-not\", \"type\": \"single\","
    " \"show_if\": {\"question\": \"visit\", \"any_of\": [\"no\", \"not-sure\"]},\n"
    "   \"text\": {\"en\": \"Why not?\", \"pl\": \"Dlaczego?\"}, \"picture\": \"question.svg\",\n"
    "   \"options\": [{\"id\": \"time\", \"text\": {\"en\": \"Time\", \"pl\": \"Czas\"}, "
    "\"picture\": \"clock.svg\"},\n"
    "               {\"id\": \"cost\", \"text\": {\"en\": \"Cost\", \"pl\": \"Koszt\"}, "
    "\"picture\": \"money.svg\"}]},\n"
    "  {\"id\": \"extras\", \"type\": \"multiple\", \"text\": {\"en\": \"Drinks?\", \"pl\": "
    "\"Napoje?\"},"
    " \"picture\": \"heart.svg\",\n"
    "   \"options\": [{\"id\": \"tea\", \"text\": {\"en\": \"Tea\", \"pl\": \"Herbata\"}, "
    "\"picture\": \"cake.svg\"},\n"
    "               {\"id\": \"coffee\", \"text\": {\"en\": \"Coffee\", \"pl\": \"Kawa\"}, "
    "\"picture\": \"cake.svg\"},\n"
    "               {\"id\": \"none\", \"text\": {\"en\": \"None\", \"pl\": \"Nic\"}, \"picture\": "
    "\"no.svg\","
    " \"exclusive\": true}]},\n"
    "  {\"id\": \"milk\", \"type\": \"single\", \"show_if\": {\"question\": \"extras\", "
    "\"equals\": \"tea\"},\n"
    "   \"text\": {\"en\": \"Milk?\", \"pl\": \"Mleko?\"}, \"picture\": \"question.svg\",\n"
    "   \"options\": [{\"id\": \"yes\", \"text\": {\"en\": \"Yes\", \"pl\": \"Tak\"}, \"picture\": "
    "\"yes.svg\"},\n"
    "               {\"id\": \"no\", \"text\": {\"en\": \"No\", \"pl\": \"Nie\"}, \"picture\": "
    "\"no.svg\"}]},\n"
    "  {\"id\": \"comment\", \"type\": \"text\", \"max_length\": 5,"
    " \"text\": {\"en\": \"Say\", \"pl\": \"Powiedz\"}, \"picture\": \"pencil.svg\"},\n"
    "  {\"id\": \"bye\", \"type\": \"info\", \"text\": {\"en\": \"Bye\", \"pl\": \"Pa\"},"
    " \"picture\": \"thank-you.svg\"}\n"
    " ]}\n";

enum { INTRO, VISIT, WHY_NOT, EXTRAS, MILK, COMMENT, BYE };
enum { YES, NO, NOT_SURE };
enum { TEA, COFFEE, NONE };

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
    f->s = session_create(f->q, "en");
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

static void assert_progress(const Session *s, int number, int total)
{
    int n = -1, t = -1;
    session_progress(s, &n, &t);
    if (n != number || t != total)
        fail_msg("progress %d of %d, expected %d of %d (on question %d)", n, t, number, total,
                 session_current(s));
}

/* The saved answers as compact, key-sorted JSON text. */
static void assert_answers(const Session *s, const char *expected)
{
    json_t *answers = session_answers_json(s);
    assert_non_null(answers);
    char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(text);
    if (strcmp(text, expected) != 0)
        fail_msg("answers %s, expected %s", text, expected);
    assert_int_equal(session_answer_count(s), json_object_size(answers));
    free(text);
    json_decref(answers);
}

/* Goes from the start to `extras` answering visit=yes. */
static void walk_to_extras(Session *s)
{
    assert_true(session_next(s));
    session_choose(s, YES);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), EXTRAS);
}

static void test_start_on_info_page(void **state)
{
    Fixture *f = *state;
    Session *s = f->s;
    assert_ptr_equal(session_questionnaire(s), f->q);
    assert_int_equal(session_current(s), INTRO);
    assert_ptr_equal(session_current_question(s), &f->q->questions[INTRO]);
    assert_false(session_can_go_back(s));
    assert_false(session_back(s));
    assert_false(session_can_skip(s)); /* info pages only offer Next */
    assert_false(session_skip(s));
    assert_int_equal(session_current(s), INTRO);
    assert_true(session_can_go_next(s));
    assert_false(session_on_last(s));
    /* shown: visit, extras, comment (why-not and milk hidden); before: none */
    assert_progress(s, 0, 3);
    assert_true(session_is_shown(s, VISIT));
    assert_false(session_is_shown(s, WHY_NOT));
    assert_false(session_is_shown(s, MILK));
    assert_false(session_is_shown(s, -1));
    assert_false(session_is_shown(s, 7));
    assert_answers(s, "{}");
}

static void test_required_blocks_next_and_skip(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    assert_true(session_next(s));
    assert_int_equal(session_current(s), VISIT);
    assert_true(session_can_go_back(s));
    assert_false(session_current_answered(s));
    assert_false(session_can_go_next(s));
    assert_false(session_next(s));
    assert_false(session_can_skip(s));
    assert_false(session_skip(s));
    assert_int_equal(session_current(s), VISIT);
    assert_progress(s, 1, 3);
    session_choose(s, YES);
    assert_true(session_current_answered(s));
    assert_true(session_can_go_next(s));
    /* a single answer replaces the previous one */
    session_choose(s, NOT_SURE);
    assert_false(session_option_selected(s, VISIT, YES));
    assert_true(session_option_selected(s, VISIT, NOT_SURE));
    /* out-of-range taps change nothing */
    session_choose(s, 3);
    session_choose(s, -1);
    assert_true(session_option_selected(s, VISIT, NOT_SURE));
    assert_false(session_option_selected(s, VISIT, 3));
    assert_answers(s, "{\"visit\":\"not-sure\"}");
}

static void test_show_if_hides_and_shows(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    assert_true(session_next(s));
    session_choose(s, YES);
    assert_false(session_is_shown(s, WHY_NOT));
    assert_progress(s, 1, 3);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), EXTRAS); /* why-not passed over */
    assert_progress(s, 2, 3);

    assert_true(session_back(s));
    assert_int_equal(session_current(s), VISIT);
    session_choose(s, NO);
    assert_true(session_is_shown(s, WHY_NOT));
    assert_progress(s, 1, 4);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), WHY_NOT);
    assert_progress(s, 2, 4);

    /* a condition on a multiple question: milk only after tea */
    assert_true(session_skip(s));
    assert_int_equal(session_current(s), EXTRAS);
    session_choose(s, COFFEE);
    assert_false(session_is_shown(s, MILK));
    session_choose(s, TEA);
    assert_true(session_is_shown(s, MILK));
    assert_progress(s, 3, 5);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), MILK);
    assert_true(session_back(s));
    session_choose(s, TEA); /* tea off again */
    assert_false(session_is_shown(s, MILK));
    assert_true(session_next(s));
    assert_int_equal(session_current(s), COMMENT);
    /* Back goes over hidden questions too */
    assert_true(session_back(s));
    assert_int_equal(session_current(s), EXTRAS);
}

static void test_changed_answer_drops_hidden_answer(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    assert_true(session_next(s));
    session_choose(s, NO);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), WHY_NOT);
    session_choose(s, 1); /* cost */
    assert_true(session_next(s));
    assert_int_equal(session_current(s), EXTRAS);
    session_choose(s, TEA);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), MILK);
    session_choose(s, YES);
    assert_answers(s,
                   "{\"extras\":[\"tea\"],\"milk\":\"yes\",\"visit\":\"no\",\"why-not\":\"cost\"}");

    /* back to visit, change the answer: why-not is no longer asked */
    assert_true(session_back(s));
    assert_true(session_back(s));
    assert_true(session_back(s));
    assert_int_equal(session_current(s), VISIT);
    session_choose(s, YES);
    assert_false(session_is_shown(s, WHY_NOT));
    assert_answers(s, "{\"extras\":[\"tea\"],\"milk\":\"yes\",\"visit\":\"yes\"}");

    /* and changing extras drops milk in the same way */
    assert_true(session_next(s));
    assert_int_equal(session_current(s), EXTRAS);
    session_choose(s, NONE);
    assert_answers(s, "{\"extras\":[\"none\"],\"visit\":\"yes\"}");
    assert_true(session_next(s));
    assert_int_equal(session_current(s), COMMENT);
}

static void test_multiple_choice_toggles_and_exclusive(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    walk_to_extras(s);
    assert_true(session_can_skip(s));
    session_choose(s, TEA);
    session_choose(s, COFFEE);
    assert_true(session_option_selected(s, EXTRAS, TEA));
    assert_true(session_option_selected(s, EXTRAS, COFFEE));
    assert_answers(s, "{\"extras\":[\"tea\",\"coffee\"],\"visit\":\"yes\"}");
    session_choose(s, TEA); /* toggles off */
    assert_false(session_option_selected(s, EXTRAS, TEA));
    assert_true(session_current_answered(s));
    assert_answers(s, "{\"extras\":[\"coffee\"],\"visit\":\"yes\"}");
    /* the exclusive answer clears the others */
    session_choose(s, NONE);
    assert_true(session_option_selected(s, EXTRAS, NONE));
    assert_false(session_option_selected(s, EXTRAS, COFFEE));
    assert_answers(s, "{\"extras\":[\"none\"],\"visit\":\"yes\"}");
    /* and another answer clears the exclusive one */
    session_choose(s, COFFEE);
    assert_false(session_option_selected(s, EXTRAS, NONE));
    assert_true(session_option_selected(s, EXTRAS, COFFEE));
    /* all off: not answered, so not saved */
    session_choose(s, COFFEE);
    assert_false(session_current_answered(s));
    assert_answers(s, "{\"visit\":\"yes\"}");
    /* exclusive toggles off too */
    session_choose(s, NONE);
    session_choose(s, NONE);
    assert_false(session_option_selected(s, EXTRAS, NONE));
    assert_false(session_current_answered(s));
    /* the answer is kept when going back and forward again */
    session_choose(s, TEA);
    assert_true(session_back(s));
    assert_true(session_next(s));
    assert_int_equal(session_current(s), EXTRAS);
    assert_true(session_option_selected(s, EXTRAS, TEA));
}

static void test_skip_clears_answer(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    walk_to_extras(s);
    session_choose(s, COFFEE);
    assert_true(session_skip(s));
    assert_int_equal(session_current(s), COMMENT);
    assert_false(session_option_selected(s, EXTRAS, COFFEE));
    assert_answers(s, "{\"visit\":\"yes\"}");
}

static void test_text_cut_on_utf8_boundary(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    walk_to_extras(s);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), COMMENT);
    /* max_length is 5 characters: é, ö, 😀 and € count as one each */
    assert_true(session_set_text(s, "h\xc3\xa9llo w\xc3\xb6rld"));
    assert_string_equal(session_text_answer(s, COMMENT), "h\xc3\xa9llo");
    session_set_text(s, "ab\xf0\x9f\x98\x80\xe2\x82\xac"
                        "cdef");
    assert_string_equal(session_text_answer(s, COMMENT), "ab\xf0\x9f\x98\x80\xe2\x82\xac"
                                                         "c");
    session_set_text(s, "abcd\xf0\x9f\x98\x80xyz");
    assert_string_equal(session_text_answer(s, COMMENT), "abcd\xf0\x9f\x98\x80");
    assert_answers(s, "{\"comment\":\"abcd\xf0\x9f\x98\x80\",\"visit\":\"yes\"}");
    /* shorter text is kept whole and replaces the old one */
    session_set_text(s, "ok");
    assert_string_equal(session_text_answer(s, COMMENT), "ok");
    assert_answers(s, "{\"comment\":\"ok\",\"visit\":\"yes\"}");
    session_set_text(s, "");
    assert_false(session_current_answered(s));
    assert_answers(s, "{\"visit\":\"yes\"}");
    /* text on a choice question, choices on a text question: ignored */
    session_choose(s, 0);
    assert_false(session_current_answered(s));
    assert_true(session_back(s));
    assert_false(session_set_text(s, "hello"));
    assert_string_equal(session_text_answer(s, EXTRAS), "");
    assert_string_equal(session_text_answer(s, 99), "");
}

/* Text that is not valid UTF-8 cannot be saved (json_string refuses it), so
 * it must be refused when it is typed, keeping the earlier text, rather than
 * counted as an answer and then silently dropped from the response. */
static void test_text_rejects_invalid_utf8(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    walk_to_extras(s);
    assert_true(session_next(s));
    assert_true(session_set_text(s, "ok \xe2\x82\xac"));
    static const char *const bad[] = {
        "\xc3",             /* cut after the lead byte */
        "a\xe2\x82",        /* cut inside a 3-byte character */
        "\x80",             /* a lone continuation byte */
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong, 3 bytes */
        "\xed\xa0\x80",     /* a UTF-16 surrogate */
        "\xf4\x90\x80\x80", /* past U+10FFFF */
        "\xff",
        "abcdefgh\xfe", /* the bad byte lies past max_length: refused all the same */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (session_set_text(s, bad[i]))
            fail_msg("invalid UTF-8 case %zu was accepted", i);
        assert_string_equal(session_text_answer(s, COMMENT), "ok \xe2\x82\xac");
        assert_true(session_current_answered(s));
    }
    assert_answers(s, "{\"comment\":\"ok \xe2\x82\xac\",\"visit\":\"yes\"}");
    /* the largest and smallest multibyte characters are fine */
    assert_true(session_set_text(s, "\xf4\x8f\xbf\xbf\xc2\x80"));
    assert_answers(s, "{\"comment\":\"\xf4\x8f\xbf\xbf\xc2\x80\",\"visit\":\"yes\"}");
}

/* `count` copies of the UTF-8 character `ch` in a new string. */
static char *repeat(const char *ch, size_t count)
{
    size_t n = strlen(ch);
    char *out = malloc(n * count + 1);
    assert_non_null(out);
    for (size_t i = 0; i < count; i++)
        memcpy(out + i * n, ch, n);
    out[n * count] = '\0';
    return out;
}

/* The saved answer to `id`, which must be a string. */
static const char *saved_text(json_t *answers, const char *id)
{
    json_t *value = json_object_get(answers, id);
    assert_non_null(value);
    assert_true(json_is_string(value));
    return json_string_value(value);
}

/* At the largest max_length (2000 characters) text in scripts of 2, 3 and 4
 * bytes a character fills up to 8000 bytes: it is kept whole at exactly the
 * limit, cut at a character boundary past it, and saved in the answers. */
static void test_long_multibyte_text_kept_whole(void **state)
{
    (void)state;
    static const char src[] =
        "{\"format\": 1, \"id\": \"long\", \"version\": 1, \"languages\": [\"en\"],"
        " \"title\": \"Long\", \"questions\": [\n"
        "  {\"id\": \"say\", \"type\": \"text\", \"max_length\": 2000, \"text\": \"Say\","
        " \"picture\": \"pencil.svg\"}]}\n";
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_parse(src, strlen(src), NULL, "assets/pictures", &diag);
    assert_non_null(q);
    assert_int_equal(diag.count, 0);
    assert_int_equal(q->questions[0].max_length, 2000);
    Session *s = session_create(q, "en");
    /* Arabic alef (2 bytes), Bengali ka (3 bytes), an emoji (4 bytes) */
    static const char *const chars[] = {"\xd8\xa7", "\xe0\xa6\x95", "\xf0\x9f\x98\x80"};
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++) {
        char *exact = repeat(chars[i], 2000);
        assert_true(session_set_text(s, exact));
        assert_string_equal(session_text_answer(s, 0), exact);
        json_t *answers = session_answers_json(s);
        assert_string_equal(saved_text(answers, "say"), exact);
        json_decref(answers);

        /* one more character, and a one-byte one after a full line of
         * multibyte ones: cut to the first 2000 characters, whole */
        char *over = repeat(chars[i], 2001);
        assert_true(session_set_text(s, over));
        assert_string_equal(session_text_answer(s, 0), exact);
        size_t n = strlen(exact);
        char *mixed = malloc(n + 3);
        assert_non_null(mixed);
        memcpy(mixed, "x", 1);
        memcpy(mixed + 1, exact, n + 1);
        assert_true(session_set_text(s, mixed));
        assert_int_equal(strlen(session_text_answer(s, 0)), n - strlen(chars[i]) + 1);
        assert_memory_equal(session_text_answer(s, 0), mixed, n - strlen(chars[i]) + 1);
        answers = session_answers_json(s);
        assert_string_equal(saved_text(answers, "say"), session_text_answer(s, 0));
        json_decref(answers);
        free(mixed);
        free(over);
        free(exact);
    }
    session_destroy(s);
    questionnaire_destroy(q);
    diag_deinit(&diag);
}

static void test_whitespace_text_is_not_an_answer(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    walk_to_extras(s);
    assert_true(session_next(s));
    session_set_text(s, " \t\n\r ");
    assert_false(session_current_answered(s));
    assert_answers(s, "{\"visit\":\"yes\"}");
    session_set_text(s, "  x  ");
    assert_true(session_current_answered(s));
    assert_answers(s, "{\"comment\":\"  x  \",\"visit\":\"yes\"}");
    session_set_text(s, "\t\t");
    assert_false(session_current_answered(s));
    assert_answers(s, "{\"visit\":\"yes\"}");
}

static void test_progress_and_last(void **state)
{
    Session *s = ((Fixture *)*state)->s;
    assert_progress(s, 0, 3);
    walk_to_extras(s);
    assert_progress(s, 2, 3);
    assert_true(session_next(s));
    assert_int_equal(session_current(s), COMMENT);
    assert_progress(s, 3, 3);
    assert_false(session_on_last(s));
    assert_true(session_next(s));
    assert_int_equal(session_current(s), BYE);
    /* on the closing info page: the count of questions before it */
    assert_progress(s, 3, 3);
    assert_true(session_on_last(s));
    assert_true(session_can_go_next(s));
    assert_false(session_next(s));
    assert_false(session_skip(s));
    assert_int_equal(session_current(s), BYE);
    assert_true(session_can_go_back(s));
    assert_true(session_back(s));
    assert_int_equal(session_current(s), COMMENT);
    assert_false(session_on_last(s));
}

static void test_language(void **state)
{
    Fixture *f = *state;
    assert_string_equal(session_language(f->s), "en");
    session_set_language(f->s, "pl");
    assert_string_equal(session_language(f->s), "pl");
    session_set_language(f->s, "de");
    assert_string_equal(session_language(f->s), "en");
    session_set_language(f->s, NULL);
    assert_string_equal(session_language(f->s), "en");
    Session *other = session_create(f->q, "xx");
    assert_string_equal(session_language(other), "en");
    session_destroy(other);
    other = session_create(f->q, "pl");
    assert_string_equal(session_language(other), "pl");
    session_destroy(other);
}

/* A questionnaire whose last question is conditional: whether the first
 * question is the last one follows its answer, and a required question
 * without an answer cannot be left forward. */
static void test_conditional_last_question(void **state)
{
    (void)state;
    static const char src[] =
        "{\"format\": 1, \"id\": \"x\", \"version\": 1, \"languages\": [\"en\"], \"title\": "
        "\"X\",\n"
        " \"questions\": [\n"
        "  {\"id\": \"a\", \"type\": \"single\", \"required\": true, \"text\": \"A\","
        " \"picture\": \"star.svg\",\n"
        "   \"options\": [{\"id\": \"y\", \"text\": \"Y\", \"picture\": \"yes.svg\"},"
        " {\"id\": \"n\", \"text\": \"N\", \"picture\": \"no.svg\"}]},\n"
        "  {\"id\": \"b\", \"type\": \"text\", \"show_if\": {\"question\": \"a\", \"equals\": "
        "\"y\"},"
        " \"text\": \"B\", \"picture\": \"star.svg\"}\n"
        " ]}\n";
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_parse(src, strlen(src), NULL, "assets/pictures", &diag);
    assert_non_null(q);
    Session *s = session_create(q, "en");
    assert_int_equal(session_current(s), 0);
    assert_true(session_on_last(s)); /* b is hidden until a = y */
    assert_progress(s, 1, 1);
    assert_false(session_next(s)); /* required, not answered */
    assert_false(session_can_go_next(s));
    session_choose(s, 0);
    assert_false(session_on_last(s));
    assert_progress(s, 1, 2);
    assert_true(session_next(s));
    assert_true(session_on_last(s));
    session_set_text(s, "because");
    assert_true(session_back(s));
    session_choose(s, 1);
    assert_true(session_on_last(s));
    assert_false(session_next(s));
    assert_answers(s, "{\"a\":\"n\"}");
    session_destroy(s);
    questionnaire_destroy(q);
    diag_deinit(&diag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_start_on_info_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_blocks_next_and_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show_if_hides_and_shows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_answer_drops_hidden_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiple_choice_toggles_and_exclusive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_skip_clears_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_cut_on_utf8_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_rejects_invalid_utf8, setup, teardown),
        cmocka_unit_test(test_long_multibyte_text_kept_whole),
        cmocka_unit_test_setup_teardown(test_whitespace_text_is_not_an_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_and_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_language, setup, teardown),
        cmocka_unit_test(test_conditional_last_question),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
