/* Tests for the kiosk's own words: English is built in and complete; a
 * language file adds a language with its name and direction; a string a
 * translation lacks falls back to English; a file with a wrong placeholder,
 * an unknown key or a bad direction is refused whole, with positions, so a
 * broken translation can never crash a printf or half-translate a screen. */
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

#include "core/strings.h"

static char *write_temp(const char *dir, const char *name, const char *text)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_english_built_in_and_complete(void **state)
{
    (void)state;
    StringTable *t = strings_create();
    assert_int_equal(strings_count(t), 1);
    for (int id = 0; id < STR_COUNT; id++) {
        assert_true(strlen(strings_get(t, "en", (StringId)id)) > 0);
        assert_true(strlen(string_key((StringId)id)) > 0);
    }
    assert_string_equal(strings_get(t, "xx", STR_BACK), "Back");
    assert_string_equal(string_key(STR_QUESTION_N_OF_M), "question_n_of_m");
    strings_destroy(t);
}

static void test_language_file_adds_and_falls_back(void **state)
{
    (void)state;
    char dir[] = "/tmp/sayso-strings-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path =
        write_temp(dir, "ar.json",
                   "{\"format\": 1, \"language\": \"ar\", \"name\": \"العربية\",\n"
                   " \"direction\": \"rtl\", \"review\": \"machine-drafted\",\n"
                   " \"strings\": {\"back\": \"رجوع\", \"question_n_of_m\": \"السؤال %d من %d\"}}");
    StringTable *t = strings_create();
    assert_int_equal(strings_load_dir(t, dir), 1);
    const StringLanguage *ar = strings_language(t, "ar");
    assert_non_null(ar);
    assert_true(ar->rtl);
    assert_string_equal(ar->name, "العربية");
    assert_string_equal(strings_get(t, "ar", STR_BACK), "رجوع");
    assert_string_equal(strings_get(t, "ar", STR_QUESTION_N_OF_M), "السؤال %d من %d");
    /* missing in Arabic: English, never an empty button */
    assert_string_equal(strings_get(t, "ar", STR_NEXT), "Next");
    strings_destroy(t);
    unlink(path);
    free(path);
    rmdir(dir);
}

static void test_bad_file_refused_with_positions(void **state)
{
    (void)state;
    char dir[] = "/tmp/sayso-strings-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = write_temp(dir, "xx.json",
                            "{\"format\": 1, \"language\": \"pl\", \"name\": \"Polski\",\n"
                            " \"direction\": \"sideways\", \"review\": \"x\",\n"
                            " \"strings\": {\"restart_in\": \"za %s sekund\",\n"
                            "             \"question_n_of_m\": \"%d\", \"hello\": \"cześć\"}}");
    StringTable *t = strings_create();
    Diagnostics diag;
    diag_init(&diag);
    assert_false(strings_load_file(t, path, &diag));
    assert_diag_at(&diag, "direction is", 2, 15);
    assert_diag_at(&diag, "\"restart_in\" must keep the placeholders \"%d\"", 3, 28);
    assert_diag_at(&diag, "\"question_n_of_m\" must keep", 4, 33);
    assert_diag_at(&diag, "unknown string \"hello\"", 4, 39);
    /* refused whole: Polish is not offered at all */
    assert_null(strings_language(t, "pl"));
    assert_int_equal(strings_count(t), 1);
    diag_deinit(&diag);
    strings_destroy(t);
    unlink(path);
    free(path);
    rmdir(dir);
}

static void test_missing_folder_keeps_english(void **state)
{
    (void)state;
    StringTable *t = strings_create();
    assert_int_equal(strings_load_dir(t, "/nonexistent/sayso/strings"), 0);
    assert_string_equal(strings_get(t, "en", STR_SKIP), "Skip");
    strings_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_built_in_and_complete),
        cmocka_unit_test(test_language_file_adds_and_falls_back),
        cmocka_unit_test(test_bad_file_refused_with_positions),
        cmocka_unit_test(test_missing_folder_keeps_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
