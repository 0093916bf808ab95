/* Tests json_check's positions: where a JSON syntax error is reported and
 * how a key becomes a path. `sayso check` prints these as file:line:col, and
 * a person fixing a questionnaire looks there first, so the tests pin the
 * start of the offending token for short and long tokens (jansson itself
 * only quotes tokens up to 20 bytes and points past their end), the "near"
 * text quoted in the message, columns counted in characters, the end of the
 * file and bad bytes; and that keys holding "/", "~" or escaped quotes are
 * written into paths so that json_locate finds them. Every source is an
 * exact-size heap copy with no NUL after it, so ASan reports any overrun. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json_check.h"

typedef struct {
    char *copy;
    Diagnostics diag;
    JsonCheck check;
} Checked;

static void check_start(Checked *k, const char *source)
{
    size_t length = strlen(source);
    k->copy = malloc(length ? length : 1);
    assert_non_null(k->copy);
    memcpy(k->copy, source, length);
    diag_init(&k->diag);
    k->check = (JsonCheck){k->copy, length, &k->diag, NULL, 0};
}

static void check_end(Checked *k)
{
    diag_deinit(&k->diag);
    free(k->copy);
}

/* Parses source, which must fail with one syntax error at line:column whose
 * message ends with `ending`. */
static void assert_syntax_error(const char *source, int line, int column, const char *ending)
{
    Checked k;
    check_start(&k, source);
    json_t *root = json_check_parse(&k.check);
    if (root) {
        json_decref(root);
        fail_msg("parsed: %s", source);
    }
    assert_int_equal(k.diag.count, 1);
    const Diagnostic *d = &k.diag.items[0];
    size_t n = strlen(d->message), e = strlen(ending);
    if (d->line != line || d->column != column || n < e || strcmp(d->message + n - e, ending) != 0)
        fail_msg("got %d:%d: %s\nexpected %d:%d: ...%s", d->line, d->column, d->message, line,
                 column, ending);
    assert_non_null(strstr(d->message, "JSON syntax error: "));
    check_end(&k);
}

static void test_short_tokens(void **state)
{
    (void)state;
    assert_syntax_error("{\"a\": tru}", 1, 7, "invalid token near 'tru'");
    assert_syntax_error("{\"a\": 1 \"b\": 2}", 1, 9, "'}' expected near '\"b\"'");
    assert_syntax_error("[1,]", 1, 4, "unexpected token near ']'");
    assert_syntax_error("{\"a\": 1 }x", 1, 10, "end of file expected near 'x'");
    assert_syntax_error("{\"a\":1,\n \"a\":2}", 2, 2, "duplicate object key near '\"a\"'");
}

/* Tokens over 20 bytes: jansson gives no "near" text and the column of the
 * token's end; the report must still point at the token's start. */
static void test_long_tokens(void **state)
{
    (void)state;
    assert_syntax_error("{\n  \"a\": truefalsetruefalsetruefalse\n}", 2, 8,
                        "invalid token near 'truefalsetruefalsetr...'");
    assert_syntax_error("{\"a\": 1 \"bcdefghijklmnopqrstuvwxyz\": 2}", 1, 9,
                        "'}' expected near '\"bcdefghijklmnopqrst...'");
    assert_syntax_error("{\"a\": 12345678901234567890123456789}", 1, 7,
                        "too big integer near '12345678901234567890...'");
    assert_syntax_error("{\"a\": \"abcdefghijklmnopqrstuvwxyz\\q\"}", 1, 7,
                        "invalid escape near '\"abcdefghijklmnopqrs...'");
    assert_syntax_error("{\"abcdefghijklmnopqrstuvwxyz\": 1,\n \"abcdefghijklmnopqrstuvwxyz\": 2}",
                        2, 2, "duplicate object key near '\"abcdefghijklmnopqrs...'");
    /* an unterminated string running to the end of the file */
    assert_syntax_error("{\"a\": 1,\n \"b\": \"abcdefghijklmnopqrstuvwxyz", 2, 7,
                        "premature end of input near '\"abcdefghijklmnopqrs...'");
}

/* Columns count characters, and the quoted text is cut on a character. */
static void test_multibyte_columns_and_near_text(void **state)
{
    (void)state;
    /* é is 2 bytes, € 3, 😀 4: the bad token starts at character 13 */
    assert_syntax_error("{\"é\": \"€😀é\" \"xyzxyzxyzxyzxyzxyzxyzxyz\"}", 1, 13,
                        "'}' expected near '\"xyzxyzxyzxyzxyzxyzx...'");
    assert_syntax_error("{\"a\": \"ééééééééééééééééééééééééé", 1, 7,
                        "premature end of input near '\"ééééééééééééééééééé...'");
    assert_syntax_error("{\n\"€\": 1 \"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\": 2}", 2, 8,
                        "near '\"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀...'");
}

static void test_end_of_file_and_bad_bytes(void **state)
{
    (void)state;
    assert_syntax_error("{\"a\": [1, 2", 1, 12, "']' expected near end of file");
    assert_syntax_error("{\"a\": 1,\n", 2, 1, "near end of file");
    assert_syntax_error("", 1, 1, "'[' or '{' expected near end of file");
    /* a byte that is not UTF-8 is reported where it is */
    assert_syntax_error("{\"a\": \"ab\xff\"}", 1, 10, "unable to decode byte 0xff near '\"ab'");
    assert_syntax_error("{\"a\": 1 \xff}", 1, 9, "unable to decode byte 0xff");
    /* a control character is never copied into the message */
    assert_syntax_error("{\"a\": \x01}", 1, 7, "invalid token");
    assert_syntax_error("{\"a\": \"ab\tc\"}", 1, 7, "control character 0x9 near '\"ab'");
}

static void test_path_escapes_key(void **state)
{
    (void)state;
    char p[JSON_PATH_MAX];
    assert_string_equal(json_path(p, "", "plain"), "plain");
    assert_string_equal(json_path(p, "theme", "a/b~c"), "theme/a~1b~0c");
    assert_string_equal(json_path(p, "q/0", "~/"), "q/0/~0~1");
    assert_string_equal(json_path_index(p, "q", 12), "q/12");
    /* a long key is cut, never overflowing, and never inside "~1" */
    char key[400];
    memset(key, '/', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    json_path(p, "x", key);
    size_t n = strlen(p);
    assert_true(n < JSON_PATH_MAX);
    assert_true(n % 2 == 0); /* "x/" then whole "~1" pairs */
}

/* An unknown key is reported at the key itself, whatever it contains. */
static void test_unknown_keys_with_awkward_names(void **state)
{
    (void)state;
    static const char *const allowed[] = {"ok", NULL};
    static const struct {
        const char *source;
        const char *message;
    } cases[] = {
        {"{\"ok\": 1,\n \"a/b\": 2}", "unknown key \"a/b\""},
        {"{\"ok\": 1,\n \"x\\\"y\": 2}", "unknown key \"x\"y\""},
        {"{\"ok\": 1,\n \"~0\": 2}", "unknown key \"~0\""},
        {"{\"ok\": 1,\n \"caf\\u00e9\": 2}", "unknown key \"caf\xc3\xa9\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Checked k;
        check_start(&k, cases[i].source);
        json_t *root = json_check_parse(&k.check);
        assert_non_null(root);
        json_check_keys(&k.check, root, "", allowed);
        assert_int_equal(k.diag.count, 1);
        const Diagnostic *d = &k.diag.items[0];
        if (d->line != 2 || d->column != 2 || strcmp(d->message, cases[i].message) != 0)
            fail_msg("case %zu: %d:%d: %s", i, d->line, d->column, d->message);
        json_decref(root);
        check_end(&k);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_tokens),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_multibyte_columns_and_near_text),
        cmocka_unit_test(test_end_of_file_and_bad_bytes),
        cmocka_unit_test(test_path_escapes_key),
        cmocka_unit_test(test_unknown_keys_with_awkward_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
