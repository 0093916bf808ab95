/* Tests the CSV writer shared by both exports: quoting and doubled quotes,
 * NULL as an empty field, CRLF row ends, and the guard against spreadsheet
 * formulas: a field starting with = + - @ tab or CR gets a leading
 * apostrophe, and nothing else changes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/csv.h"

/* The row that csv_write_row makes of `values`, as a heap string. */
static char *row_text(const char *const *values, int count)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    csv_write_row(out, values, count);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void test_quoting(void **state)
{
    (void)state;
    const char *values[] = {"plain", "a \"quoted\" word", "comma, and\nline", NULL, ""};
    char *text = row_text(values, 5);
    assert_string_equal(text,
                        "\"plain\",\"a \"\"quoted\"\" word\",\"comma, and\nline\",\"\",\"\"\r\n");
    free(text);
}

static void test_formulas_are_text(void **state)
{
    (void)state;
    const char *values[] = {"=HYPERLINK(\"http://x\",\"y\")",
                            "+cmd|' /C calc'!A0",
                            "-2+3",
                            "@SUM(1+1)",
                            "\tlead",
                            "\rlead"};
    const char *expected[] = {"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n",
                              "\"'+cmd|' /C calc'!A0\"\r\n",
                              "\"'-2+3\"\r\n",
                              "\"'@SUM(1+1)\"\r\n",
                              "\"'\tlead\"\r\n",
                              "\"'\rlead\"\r\n"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char *text = row_text(&values[i], 1);
        assert_string_equal(text, expected[i]);
        free(text);
    }
}

static void test_only_the_first_character_counts(void **state)
{
    (void)state;
    const char *values[] = {"a=b", " =1", "{\"fft\":\"=1\"}", "'already", "2026-11-23T14:00Z"};
    char *text = row_text(values, 5);
    assert_string_equal(text, "\"a=b\",\" =1\",\"{\"\"fft\"\":\"\"=1\"\"}\",\"'already\","
                              "\"2026-11-23T14:00Z\"\r\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_formulas_are_text),
        cmocka_unit_test(test_only_the_first_character_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
