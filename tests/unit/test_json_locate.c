/* Tests json_locate, the second pass over JSON text that turns a path such as
 * "questions/2/type" into a line:column. Every position `sayso check` prints
 * comes from here, so the tests pin exact positions of values and keys at
 * nested paths (objects, arrays, the root), check that columns count UTF-8
 * characters rather than bytes and that escaped quotes and backslashes inside
 * strings do not end them early, that keys are matched with their escapes
 * decoded and with "~1" and "~0" in a path standing for "/" and "~", that
 * missing paths fail while leaving the deepest position found, that a NUL
 * byte is neither whitespace nor part of a literal, that a member cut off
 * before its value is not found, and that truncated, malformed, deeply nested or
 * random input never reads past the given length: every buffer handed to
 * json_locate in the robustness tests is a heap copy of exactly `length`
 * bytes with no terminator, so ASan reports any overrun. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json_locate.h"

/* An exact-size heap copy with no NUL after it. */
static char *exact_copy(const char *text, size_t length)
{
    char *copy = malloc(length ? length : 1);
    assert_non_null(copy);
    memcpy(copy, text, length);
    return copy;
}

typedef struct {
    bool found;
    int line;
    int column;
} Where;

static Where locate(const char *text, const char *path, JsonLocateTarget target)
{
    size_t length = strlen(text);
    char *copy = exact_copy(text, length);
    Where w = {false, -7, -7};
    w.found = json_locate(copy, length, path, target, &w.line, &w.column);
    free(copy);
    return w;
}

static void assert_at(const char *text, const char *path, JsonLocateTarget target, int line,
                      int column)
{
    Where w = locate(text, path, target);
    if (!w.found || w.line != line || w.column != column)
        fail_msg("path \"%s\": expected found at %d:%d, got %s at %d:%d", path, line, column,
                 w.found ? "found" : "not found", w.line, w.column);
}

static void assert_missing(const char *text, const char *path, int line, int column)
{
    Where w = locate(text, path, JSON_LOCATE_VALUE);
    if (w.found || w.line != line || w.column != column)
        fail_msg("path \"%s\": expected missing with deepest %d:%d, got %s at %d:%d", path, line,
                 column, w.found ? "found" : "not found", w.line, w.column);
}

static const char NESTED[] = "{\n"
                             "  \"a\": 1,\n"
                             "  \"b\": {\"c\": [10, 20, {\"d\": \"x\"}]},\n"
                             "  \"e\": [\n"
                             "    true,\n"
                             "    null\n"
                             "  ]\n"
                             "}\n";

static void test_object_values_and_keys(void **state)
{
    (void)state;
    assert_at(NESTED, "a", JSON_LOCATE_VALUE, 2, 8);
    assert_at(NESTED, "a", JSON_LOCATE_KEY, 2, 3);
    assert_at(NESTED, "b", JSON_LOCATE_VALUE, 3, 8);
    assert_at(NESTED, "b", JSON_LOCATE_KEY, 3, 3);
    assert_at(NESTED, "b/c", JSON_LOCATE_VALUE, 3, 14);
    assert_at(NESTED, "b/c", JSON_LOCATE_KEY, 3, 9);
    assert_at(NESTED, "b/c/2/d", JSON_LOCATE_VALUE, 3, 29);
    assert_at(NESTED, "b/c/2/d", JSON_LOCATE_KEY, 3, 24);
    /* the key target only applies to the last segment */
    assert_at(NESTED, "e", JSON_LOCATE_KEY, 4, 3);
    assert_at(NESTED, "e", JSON_LOCATE_VALUE, 4, 8);
}

static void test_array_indexes(void **state)
{
    (void)state;
    assert_at(NESTED, "b/c/0", JSON_LOCATE_VALUE, 3, 15);
    assert_at(NESTED, "b/c/1", JSON_LOCATE_VALUE, 3, 19);
    assert_at(NESTED, "b/c/2", JSON_LOCATE_VALUE, 3, 23);
    assert_at(NESTED, "e/0", JSON_LOCATE_VALUE, 5, 5);
    assert_at(NESTED, "e/1", JSON_LOCATE_VALUE, 6, 5);
    /* an array at the root, with nested arrays and objects to skip */
    const char *root_array = "[{\"x\": [1, {\"y\": 2}]}, [3, [4, 5]], \"six\"]";
    assert_at(root_array, "1/1/1", JSON_LOCATE_VALUE, 1, 32);
    assert_at(root_array, "2", JSON_LOCATE_VALUE, 1, 37);
    assert_at(root_array, "0/x/1/y", JSON_LOCATE_VALUE, 1, 18);
}

static void test_empty_path_is_root(void **state)
{
    (void)state;
    assert_at("\n\n   {\"a\": 1}", "", JSON_LOCATE_VALUE, 3, 4);
    assert_at("[1]", "", JSON_LOCATE_VALUE, 1, 1);
    /* a trailing slash names the same value as the path without it */
    assert_at(NESTED, "b/c/", JSON_LOCATE_VALUE, 3, 14);
}

static void test_utf8_counts_characters(void **state)
{
    (void)state;
    /* é and ü are 2 bytes, € is 3 bytes, 😀 is 4 bytes: each is one column */
    const char *text = "{\"é\": \"ü€\", \"k\": 1, \"😀\": [\"€€€\", 2]}";
    assert_at(text, "k", JSON_LOCATE_VALUE, 1, 18);
    assert_at(text, "k", JSON_LOCATE_KEY, 1, 13);
    assert_at(text, "é", JSON_LOCATE_VALUE, 1, 7);
    assert_at(text, "😀", JSON_LOCATE_KEY, 1, 21);
    assert_at(text, "😀/1", JSON_LOCATE_VALUE, 1, 34);
    /* on a later line the count starts again at 1 */
    const char *lines = "{\"t\": \"ßßß\",\n \"ä\": \"ö\", \"n\": 3}";
    assert_at(lines, "n", JSON_LOCATE_VALUE, 2, 17);
    assert_at(lines, "ä", JSON_LOCATE_VALUE, 2, 7);
}

static void test_escapes_inside_strings(void **state)
{
    (void)state;
    /* \" must not end the string, and \\ before the closing quote must */
    const char *text = "{\"a\": \"he said \\\"x\\\", y\", \"b\": \"back\\\\\", \"c\": 3}";
    /*                   {"a": "he said \"x\", y", "b": "back\\", "c": 3} */
    assert_at(text, "b", JSON_LOCATE_VALUE, 1, 32);
    assert_at(text, "c", JSON_LOCATE_VALUE, 1, 47);
    assert_at(text, "c", JSON_LOCATE_KEY, 1, 42);
    /* a key with an escaped quote is skipped correctly on the way past it */
    const char *key = "{\"x\\\"y\": [\"}\", \"]\"], \"z\": {\"w\": \"{\"}}";
    /*                  {"x\"y": ["}", "]"], "z": {"w": "{"}} */
    assert_at(key, "z/w", JSON_LOCATE_VALUE, 1, 33);
    assert_at(key, "z", JSON_LOCATE_KEY, 1, 22);
}

static void test_whitespace_kinds(void **state)
{
    (void)state;
    /* a tab is one column; CRLF line ends start a new line at column 1 */
    assert_at("{\t\"a\":\t\t7}", "a", JSON_LOCATE_VALUE, 1, 9);
    assert_at("{\r\n\"a\": 1,\r\n  \"b\": 2\r\n}", "b", JSON_LOCATE_VALUE, 3, 8);
    assert_at("{\r\n\"a\": 1,\r\n  \"b\": 2\r\n}", "b", JSON_LOCATE_KEY, 3, 3);
}

static void test_duplicate_key_finds_first(void **state)
{
    (void)state;
    assert_at("{\"a\": 1, \"a\": 2}", "a", JSON_LOCATE_VALUE, 1, 7);
}

static void test_missing_paths(void **state)
{
    (void)state;
    /* a missing top-level key: the deepest position is the root */
    assert_missing(NESTED, "nope", 1, 1);
    /* missing inside "b": the deepest position found is b's value */
    assert_missing(NESTED, "b/zz", 3, 8);
    /* index past the end of the array at b/c */
    assert_missing(NESTED, "b/c/3", 3, 14);
    /* an object key on an array, an index on an object, a path into a scalar */
    assert_missing(NESTED, "b/c/d", 3, 14);
    assert_missing(NESTED, "b/0", 3, 8);
    assert_missing(NESTED, "a/x", 2, 8);
    /* negative and non-numeric indexes */
    assert_missing(NESTED, "e/-1", 4, 8);
    assert_missing(NESTED, "e/1x", 4, 8);
    assert_missing(NESTED, "e/99999999999999999999999", 4, 8);
    /* key names are matched exactly, not as prefixes */
    assert_missing(NESTED, "aa", 1, 1);
    assert_missing("{\"abc\": 1}", "ab", 1, 1);
    /* empty containers */
    assert_missing("{}", "a", 1, 1);
    assert_missing("[]", "0", 1, 1);
    assert_missing("{\"a\": []}", "a/0", 1, 7);
}

static void test_empty_and_blank_input(void **state)
{
    (void)state;
    int line = -1, column = -1;
    char *none = exact_copy("", 0);
    assert_false(json_locate(none, 0, "a", JSON_LOCATE_VALUE, &line, &column));
    assert_int_equal(line, 1);
    assert_int_equal(column, 1);
    free(none);
    Where w = locate("   \n  ", "a", JSON_LOCATE_KEY);
    assert_false(w.found);
    assert_int_equal(w.line, 2);
    assert_int_equal(w.column, 3);
}

/* Cuts a valid document at every length. While the cut comes at or before
 * the start of the value the path names, the path cannot be found (a member
 * whose value is cut off is not there); once the value has started, the path
 * is found, at the same place as in the whole document. */
static void check_truncations(const char *text, const char *path, JsonLocateTarget target,
                              size_t value_offset)
{
    size_t full = strlen(text);
    int want_line = 0, want_column = 0;
    assert_true(json_locate(text, full, path, target, &want_line, &want_column));
    for (size_t length = 0; length <= full; length++) {
        char *copy = exact_copy(text, length);
        int line = 0, column = 0;
        bool found = json_locate(copy, length, path, target, &line, &column);
        free(copy);
        assert_true(line >= 1 && column >= 1);
        if (length <= value_offset && found)
            fail_msg("path %s found in a text cut at %zu, before its value starts at %zu", path,
                     length, value_offset);
        if (length > value_offset && (!found || line != want_line || column != want_column))
            fail_msg("path %s %s at %d:%d in a text cut at %zu, but at %d:%d in the whole", path,
                     found ? "found" : "not found", line, column, length, want_line, want_column);
    }
}

static size_t offset_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    return (size_t)(at - text);
}

static void test_truncated_input_never_overruns(void **state)
{
    (void)state;
    check_truncations(NESTED, "b/c/2/d", JSON_LOCATE_VALUE, offset_of(NESTED, "\"x\""));
    check_truncations(NESTED, "b/c/1", JSON_LOCATE_VALUE, offset_of(NESTED, "20"));
    check_truncations(NESTED, "e", JSON_LOCATE_KEY, offset_of(NESTED, "[\n    true"));
    const char *text = "{\"s\": \"a\\\"b\\\\\", \"é\": [\"€\", {\"q\": \"\\\\\\\"\"}], \"t\": 1}";
    check_truncations(text, "t", JSON_LOCATE_VALUE, offset_of(text, "1}"));
    check_truncations(text, "é/1/q", JSON_LOCATE_KEY, offset_of(text, "\"q\"") + 5);
    /* a key and colon with nothing after them: not found (this used to be
     * reported as found at the end of the text) */
    Where w = locate("{\"a\": 1, \"b\":  ", "b", JSON_LOCATE_VALUE);
    assert_false(w.found);
    w = locate("{\"a\": [1, ", "a/1", JSON_LOCATE_VALUE);
    assert_false(w.found);
}

/* NUL bytes inside the given length are not JSON whitespace or part of a
 * literal: strchr(set, ch) finds the terminating NUL of `set`, which made a
 * NUL look like both, so text padded or broken by NULs was walked as JSON. */
static void test_nul_bytes_are_not_json(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t length;
        const char *path;
    } cases[] = {
        {"[1\0, 7]", 7, "1"},     /* NUL glued to a literal */
        {"[\0 1, 7]", 8, "1"},    /* NUL as whitespace before a value */
        {"{\"a\":\0 1}", 9, "a"}, /* NUL between the colon and the value */
        {"{\"a\": 1,\0\"b\": 2}", 16, "b"},
        {"{\"a\": \0\0\0", 9, "a"}, /* text cut short and padded with NULs */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *copy = exact_copy(cases[i].text, cases[i].length);
        int line = 0, column = 0;
        bool found =
            json_locate(copy, cases[i].length, cases[i].path, JSON_LOCATE_VALUE, &line, &column);
        free(copy);
        if (found)
            fail_msg("case %zu: path \"%s\" found at %d:%d in text with a NUL byte", i,
                     cases[i].path, line, column);
    }
}

/* Keys are compared unescaped, and a path writes "/" in a key as "~1" and
 * "~" as "~0" (as JSON Pointer does), so any key can be named. */
static void test_keys_with_escapes_and_slashes(void **state)
{
    (void)state;
    const char *text = "{\"a\\\"b\": 1, \"c/d\": 2, \"e~f\": 3, \"\\u00e9t\\u00E9\": 4,\n"
                       " \"back\\\\slash\": 5, \"\\ud83d\\ude00\": 6, \"tab\\t\": 7, \"~1\": 8,\n"
                       " \"c\": {\"d\": 9}}";
    /* {"a\"b": 1, "c/d": 2, "e~f": 3, "\u00e9t\u00E9": 4,
     *  "back\\slash": 5, "\ud83d\ude00": 6, "tab\t": 7, "~1": 8,
     *  "c": {"d": 9}} */
    assert_at(text, "a\"b", JSON_LOCATE_VALUE, 1, 10);
    assert_at(text, "a\"b", JSON_LOCATE_KEY, 1, 2);
    assert_at(text, "c~1d", JSON_LOCATE_VALUE, 1, 20);
    assert_at(text, "e~0f", JSON_LOCATE_VALUE, 1, 30);
    assert_at(text, "\xc3\xa9t\xc3\xa9", JSON_LOCATE_VALUE, 1, 50);
    assert_at(text, "back\\slash", JSON_LOCATE_VALUE, 2, 17);
    assert_at(text, "\xf0\x9f\x98\x80", JSON_LOCATE_VALUE, 2, 36);
    assert_at(text, "tab\t", JSON_LOCATE_VALUE, 2, 48);
    assert_at(text, "~01", JSON_LOCATE_VALUE, 2, 57);
    /* a plain "/" still separates segments */
    assert_at(text, "c/d", JSON_LOCATE_VALUE, 3, 13);
    /* the escaped forms themselves are not the key's name */
    assert_missing(text, "a\\\"b", 1, 1);
    assert_missing(text, "e~f", 1, 1);
    assert_missing(text, "~1", 1, 1);
    assert_missing(text, "\\u00e9t\\u00E9", 1, 1);
    assert_missing(text, "~2", 1, 1);
    /* a lone surrogate escape names no key */
    assert_missing("{\"\\ud83d\": 1}", "\xf0\x9f\x98\x80", 1, 1);
}

static void test_truncated_escape_at_end(void **state)
{
    (void)state;
    /* a backslash as the very last byte, inside a key and inside a value */
    static const char *const cases[] = {"{\"a\\", "{\"a\": \"b\\", "[\"\\", "{\"k\": [\"x\", \"\\"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Where w = locate(cases[i], "k/2", JSON_LOCATE_VALUE);
        assert_false(w.found);
        w = locate(cases[i], "zz", JSON_LOCATE_KEY);
        assert_false(w.found);
    }
}

static void test_malformed_input(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "{\"a\" 1, \"b\": 2}",       /* missing colon */
        "{\"a\": 1 \"b\": 2}",       /* missing comma */
        "{\"a\": 1,, \"b\": 2}",     /* double comma */
        "{\"a\": }, \"b\": 2}",      /* missing value */
        "{a: 1, \"b\": 2}",          /* bare key */
        "{\"a\": 1] \"b\": 2}",      /* wrong closer */
        "{\"a\": [1, 2}, \"b\": 2}", /* wrong closer inside */
        "{\"a\": @, \"b\": 2}",      /* not a value */
        "]]]]",
        "\"b\"",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Where w = locate(cases[i], "b", JSON_LOCATE_VALUE);
        if (w.found)
            fail_msg("found \"b\" in malformed text %s", cases[i]);
        assert_true(w.line >= 1 && w.column >= 1);
    }
    /* what comes before the path is still walked correctly */
    assert_at("{\"a\": 1, \"b\": 2, oops", "b", JSON_LOCATE_VALUE, 1, 15);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* 200 levels are walked; the value after them is found */
    enum { LEVELS = 200 };
    char text[2 * LEVELS + 16];
    size_t n = 0;
    text[n++] = '[';
    for (int i = 0; i < LEVELS; i++)
        text[n++] = '[';
    for (int i = 0; i < LEVELS; i++)
        text[n++] = ']';
    memcpy(text + n, ", 42]", 6);
    assert_at(text, "1", JSON_LOCATE_VALUE, 1, (int)(2 * LEVELS + 4));

    /* a megabyte of unclosed brackets: fails without exhausting the stack */
    size_t big = 1u << 20;
    char *deep = malloc(big);
    assert_non_null(deep);
    memset(deep, '[', big);
    deep[0] = '{';
    deep[1] = '"';
    deep[2] = 'a';
    deep[3] = '"';
    deep[4] = ':';
    int line = 0, column = 0;
    assert_false(json_locate(deep, big, "b", JSON_LOCATE_VALUE, &line, &column));
    assert_false(json_locate(deep, big, "a/0/0/0/0/0/1", JSON_LOCATE_VALUE, &line, &column));
    memset(deep, '[', big);
    assert_false(json_locate(deep, big, "1", JSON_LOCATE_VALUE, &line, &column));
    free(deep);
}

static void test_long_key_and_segment(void **state)
{
    (void)state;
    /* keys longer than any buffer inside must not overflow it */
    enum { LONG = 5000 };
    char *text = malloc(LONG + 64);
    assert_non_null(text);
    size_t n = 0;
    text[n++] = '{';
    text[n++] = '"';
    for (int i = 0; i < LONG; i++)
        text[n++] = 'k';
    memcpy(text + n, "\": 1, \"z\": 2}", 14);
    n += 13;
    int line = 0, column = 0;
    char *copy = exact_copy(text, n);
    assert_true(json_locate(copy, n, "z", JSON_LOCATE_VALUE, &line, &column));
    assert_int_equal(line, 1);
    assert_int_equal(column, LONG + 14);
    /* a long path segment naming an array index is rejected, not copied */
    char segment[100];
    memset(segment, '1', sizeof segment - 1);
    segment[sizeof segment - 1] = '\0';
    assert_false(json_locate("[1, 2]", 6, segment, JSON_LOCATE_VALUE, &line, &column));
    free(copy);
    free(text);
}

/* Random bytes drawn from JSON's alphabet, at every length: no overrun, and
 * the reported position always lies inside the text. */
static void test_random_input(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]\":,\\ \n\tabtrue0123456789.-e\xc3\xa9";
    static const char *const paths[] = {"a", "0", "a/0", "b/1/a", "", "0/0/0"};
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        size_t length = (size_t)(round % 97);
        char *text = malloc(length ? length : 1);
        assert_non_null(text);
        int lines = 1;
        for (size_t i = 0; i < length; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            lines += text[i] == '\n';
        }
        for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
            int line = 0, column = 0;
            json_locate(text, length, paths[p], p % 2 ? JSON_LOCATE_KEY : JSON_LOCATE_VALUE, &line,
                        &column);
            assert_true(line >= 1 && line <= lines);
            assert_true(column >= 1 && column <= (int)length + 1);
        }
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_values_and_keys),
        cmocka_unit_test(test_array_indexes),
        cmocka_unit_test(test_empty_path_is_root),
        cmocka_unit_test(test_utf8_counts_characters),
        cmocka_unit_test(test_escapes_inside_strings),
        cmocka_unit_test(test_whitespace_kinds),
        cmocka_unit_test(test_duplicate_key_finds_first),
        cmocka_unit_test(test_missing_paths),
        cmocka_unit_test(test_empty_and_blank_input),
        cmocka_unit_test(test_truncated_input_never_overruns),
        cmocka_unit_test(test_nul_bytes_are_not_json),
        cmocka_unit_test(test_keys_with_escapes_and_slashes),
        cmocka_unit_test(test_truncated_escape_at_end),
        cmocka_unit_test(test_malformed_input),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_long_key_and_segment),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
