/* Tests questionnaire_set_parse, the check a set of questionnaires fetched
 * from central must pass before the kiosk saves and shows it. A set is used
 * whole or not at all, so one bad questionnaire in it must sink the whole
 * set (the last good one stays on screen) and the diagnostic must name which
 * questionnaire of the list is at fault. The tests build a set from the two
 * questionnaires shipped in config/questionnaires (so the set format stays
 * in step with the files people actually edit) and check order, count and
 * etag, then an empty set, text that is not JSON, a set without its list, a
 * list holding a broken questionnaire or a non-object, the same id twice,
 * and the 32-questionnaire limit on both sides. Pictures are looked up in
 * assets/pictures, so the tests run from the repository root. Sets are
 * parsed from exact-size copies without a NUL so ASan sees over-reads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/questionnaire_set.h"

static const char PICTURES[] = "assets/pictures";

static char *read_shipped(const char *name)
{
    char path[256], why[256] = "";
    snprintf(path, sizeof path, "config/questionnaires/%s", name);
    size_t length = 0;
    char *text = file_read(path, QUESTIONNAIRE_MAX_BYTES, &length, why, sizeof why);
    if (!text)
        fail_msg("cannot read %s (tests run from the repository root): %s", path, why);
    return text;
}

/* {"site":"Ward","questionnaires":[items...]}, heap. */
static char *make_set(const char *const *items, size_t count)
{
    size_t size = 64;
    for (size_t i = 0; i < count; i++)
        size += strlen(items[i]) + 2;
    char *out = malloc(size);
    assert_non_null(out);
    size_t n = (size_t)snprintf(out, size, "{\"site\":\"Ward\",\"questionnaires\":[");
    for (size_t i = 0; i < count; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "," : "", items[i]);
    snprintf(out + n, size - n, "]}");
    return out;
}

static QuestionnaireSet *parse(const char *body, const char *etag, Diagnostics *diag)
{
    diag_init(diag);
    size_t length = strlen(body);
    char *copy = malloc(length ? length : 1);
    assert_non_null(copy);
    memcpy(copy, body, length);
    QuestionnaireSet *set = questionnaire_set_parse(copy, length, etag, PICTURES, diag);
    free(copy);
    return set;
}

/* A small valid questionnaire under the given id, heap. */
static char *small_questionnaire(const char *id)
{
    char *out = malloc(512);
    assert_non_null(out);
    snprintf(out, 512,
             "{\"format\": 1, \"id\": \"%s\", \"version\": 1, \"languages\": [\"en\"],"
             " \"title\": \"Short\", \"questions\": [{\"id\": \"ok\", \"type\": \"single\","
             " \"text\": \"OK?\", \"picture\": \"question.svg\", \"options\": ["
             "{\"id\": \"yes\", \"text\": \"Yes\", \"picture\": \"yes.svg\"},"
             "{\"id\": \"no\", \"text\": \"No\", \"picture\": \"no.svg\"}]}]}",
             id);
    return out;
}

/* Expects refusal with at least one diagnostic starting with `prefix`. */
static void assert_refused(const char *body, const char *prefix)
{
    Diagnostics diag;
    QuestionnaireSet *set = parse(body, "\"e\"", &diag);
    if (set) {
        questionnaire_set_destroy(set);
        fail_msg("the set was accepted");
    }
    assert_true(diag.count > 0);
    bool found = false;
    for (size_t i = 0; i < diag.count; i++)
        found = found || strncmp(diag.items[i].message, prefix, strlen(prefix)) == 0;
    if (!found) {
        dump(&diag);
        fail_msg("no diagnostic starts with \"%s\"", prefix);
    }
    diag_deinit(&diag);
}

static void test_shipped_pair(void **state)
{
    (void)state;
    char *items[2] = {read_shipped("event-feedback.json"), read_shipped("service-feedback.json")};
    char *body = make_set((const char *const *)items, 2);
    Diagnostics diag;
    QuestionnaireSet *set = parse(body, "\"set-7\"", &diag);
    if (!set)
        dump(&diag);
    assert_non_null(set);
    assert_int_equal(diag.count, 0);
    assert_int_equal(set->count, 2);
    assert_string_equal(set->items[0]->id, "event-feedback");
    assert_string_equal(set->items[1]->id, "service-feedback");
    assert_string_equal(set->etag, "\"set-7\"");
    /* the questionnaires came through whole, pictures resolved */
    assert_true(set->items[0]->question_count > 1);
    assert_true(set->items[1]->question_count > 1);
    assert_non_null(set->items[0]->questions[0].picture);
    assert_non_null(strstr(set->items[0]->questions[0].picture, "assets/pictures/"));
    questionnaire_set_destroy(set);
    diag_deinit(&diag);

    /* the order of the list is the order on screen */
    char *swapped[2] = {items[1], items[0]};
    free(body);
    body = make_set((const char *const *)swapped, 2);
    set = parse(body, NULL, &diag);
    assert_non_null(set);
    assert_string_equal(set->items[0]->id, "service-feedback");
    assert_string_equal(set->items[1]->id, "event-feedback");
    /* no ETag header from central: an empty etag, never NULL */
    assert_non_null(set->etag);
    assert_string_equal(set->etag, "");
    questionnaire_set_destroy(set);
    diag_deinit(&diag);
    free(body);
    free(items[0]);
    free(items[1]);
}

static void test_empty_list(void **state)
{
    (void)state;
    Diagnostics diag;
    QuestionnaireSet *set = parse("{\"site\":\"Ward\",\"questionnaires\":[]}", "\"e0\"", &diag);
    assert_non_null(set);
    assert_int_equal(set->count, 0);
    assert_string_equal(set->etag, "\"e0\"");
    assert_int_equal(diag.count, 0);
    questionnaire_set_destroy(set);
    diag_deinit(&diag);
}

static void test_not_json(void **state)
{
    (void)state;
    assert_refused("<html><body>Please log in</body></html>", "the set is not valid JSON");
    assert_refused("{\"site\":\"Ward\",\"questionnaires\":[", "the set is not valid JSON");
    assert_refused("", "the set is not valid JSON");
}

static void test_no_list(void **state)
{
    (void)state;
    assert_refused("{\"site\":\"Ward\"}", "the set has no \"questionnaires\" list");
    assert_refused("{\"site\":\"Ward\",\"questionnaires\":{}}",
                   "the set has no \"questionnaires\" list");
    assert_refused("[]", "the set has no \"questionnaires\" list");
}

static void test_one_broken_questionnaire(void **state)
{
    (void)state;
    char *good = read_shipped("event-feedback.json");
    const char *broken = "{\"format\": 1, \"id\": \"broken\", \"version\": 1, \"languages\":"
                         " [\"en\"], \"title\": \"Broken\", \"questions\": [{\"id\": \"s\","
                         " \"type\": \"slider\", \"text\": \"How much?\", \"picture\": "
                         "\"question.svg\"}]}";
    const char *items[] = {good, broken};
    char *body = make_set(items, 2);
    Diagnostics diag;
    QuestionnaireSet *set = parse(body, "\"e\"", &diag);
    assert_null(set);
    assert_true(diag.count > 0);
    bool about_type = false;
    for (size_t i = 0; i < diag.count; i++) {
        /* the good questionnaire must not be blamed */
        if (strncmp(diag.items[i].message, "questionnaires/1: ", 18) != 0) {
            dump(&diag);
            fail_msg("diagnostic not about questionnaires/1: %s", diag.items[i].message);
        }
        about_type = about_type || strstr(diag.items[i].message, "slider");
    }
    assert_true(about_type);
    diag_deinit(&diag);
    free(body);
    free(good);
}

static void test_item_not_an_object(void **state)
{
    (void)state;
    char *good = small_questionnaire("fine");
    const char *items[] = {good, "5"};
    char *body = make_set(items, 2);
    assert_refused(body, "questionnaires/1:");
    free(body);
    const char *first[] = {"\"text\"", good};
    body = make_set(first, 2);
    assert_refused(body, "questionnaires/0:");
    free(body);
    free(good);
}

static void test_same_id_twice(void **state)
{
    (void)state;
    char *a = read_shipped("service-feedback.json");
    char *b = small_questionnaire("service-feedback");
    const char *items[] = {a, b};
    char *body = make_set(items, 2);
    Diagnostics diag;
    QuestionnaireSet *set = parse(body, "\"e\"", &diag);
    assert_null(set);
    bool found = false;
    for (size_t i = 0; i < diag.count; i++)
        found = found || (strncmp(diag.items[i].message, "questionnaires/1:", 17) == 0 &&
                          strstr(diag.items[i].message, "service-feedback"));
    if (!found) {
        dump(&diag);
        fail_msg("no diagnostic names questionnaires/1 and the repeated id");
    }
    diag_deinit(&diag);
    free(body);
    free(a);
    free(b);
}

/* n small questionnaires with distinct ids. */
static char *many(size_t n)
{
    char **items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "q-%zu", i);
        items[i] = small_questionnaire(id);
    }
    char *body = make_set((const char *const *)items, n);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return body;
}

static void test_size_limit(void **state)
{
    (void)state;
    char *body = many(QUESTIONNAIRE_SET_MAX + 1);
    Diagnostics diag;
    QuestionnaireSet *set = parse(body, "\"e\"", &diag);
    assert_null(set);
    assert_int_equal(diag.count, 1);
    assert_non_null(strstr(diag.items[0].message, "at most 32"));
    free(body);
    diag_deinit(&diag);

    /* exactly the limit is still a set */
    body = many(QUESTIONNAIRE_SET_MAX);
    set = parse(body, "\"e\"", &diag);
    if (!set)
        dump(&diag);
    assert_non_null(set);
    assert_int_equal(set->count, QUESTIONNAIRE_SET_MAX);
    assert_string_equal(set->items[QUESTIONNAIRE_SET_MAX - 1]->id, "q-31");
    questionnaire_set_destroy(set);
    diag_deinit(&diag);
    free(body);
}

static void test_destroy_null(void **state)
{
    (void)state;
    /* callers free a failed parse without checking it */
    questionnaire_set_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_pair),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_no_list),
        cmocka_unit_test(test_one_broken_questionnaire),
        cmocka_unit_test(test_item_not_an_object),
        cmocka_unit_test(test_same_id_twice),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_destroy_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
