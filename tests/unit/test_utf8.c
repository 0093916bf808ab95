/* Tests the one UTF-8 decoder: ASCII, 2-, 3- and 4-byte characters give
 * their code points; overlong forms, surrogates, code points past U+10FFFF,
 * stray continuation bytes and sequences cut by the end of the text are
 * refused. Then the plain-text rule for names: characters (not bytes) are
 * counted, and control characters of every kind are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/utf8.h"

static void test_decode(void **state)
{
    (void)state;
    uint32_t c = 0;
    assert_int_equal(utf8_decode("A", &c), 1);
    assert_int_equal(c, 'A');
    assert_int_equal(utf8_decode("\xc5\x9a", &c), 2); /* Ś */
    assert_int_equal(c, 0x15A);
    assert_int_equal(utf8_decode("\xe0\xa6\xad", &c), 3); /* Bengali bha */
    assert_int_equal(c, 0x9AD);
    assert_int_equal(utf8_decode("\xf0\x9f\x98\xa2", &c), 4); /* crying face */
    assert_int_equal(c, 0x1F622);
    assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", NULL), 4); /* U+10FFFF */
    const char *bad[] = {"\x80",         "\xc0\xaf",         "\xc1\xbf",         "\xe0\x80\xaf",
                         "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                         "\xc3",         "\xe2\x82",         "\xc3\x41"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(utf8_decode(bad[i], &c), 0);
}

static void test_plain_text(void **state)
{
    (void)state;
    assert_true(utf8_plain_text("Open day", 1, 80));
    assert_true(utf8_plain_text("", 0, 80));
    assert_false(utf8_plain_text("", 1, 80));
    assert_false(utf8_plain_text(NULL, 0, 80));
    /* four Arabic letters are eight bytes, and four characters */
    assert_true(utf8_plain_text("\xd9\x85\xd9\x86\xd8\xaa\xd9\x89", 4, 4));
    assert_false(utf8_plain_text("abc", 4, 80));
    assert_false(utf8_plain_text("abcde", 1, 4));
    const char *bad[] = {"a\nb",          "a\tb",          "a\x7f", "a\xc2\x85",
                         "a\xe2\x80\xa8", "a\xe2\x80\xa9", "a\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8_plain_text(bad[i], 0, 80));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_plain_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
