/* Tests the replay script parser that drives every UI flow test
 * (docs/testing.md). A parser that silently dropped or misread a line would
 * make a UI test pass without checking anything, so the tests check that
 * every command parses into the right op and arguments with its line number
 * (around blank lines, comments, indentation and CRLF), that each kind of bad
 * line is reported at its line while the good lines around it still parse,
 * that columns count characters from the start of the line, that quoted text
 * takes \" and \\ and nothing else, and that NUL bytes,
 * numbers too big for a long, and very long lines are refused or handled
 * without overruns (the sources are exact-size heap copies, for ASan), and
 * that the benchmark commands take exactly their arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "core/replay_script.h"

/* Parses `length` bytes from an exact-size heap copy. */
static bool parse_n(const char *source, size_t length, ReplayScript *script, Diagnostics *diag)
{
    diag_init(diag);
    char *copy = malloc(length ? length : 1);
    assert_non_null(copy);
    memcpy(copy, source, length);
    bool ok = replay_script_parse(copy, length, script, diag);
    free(copy);
    return ok;
}

static bool parse(const char *source, ReplayScript *script, Diagnostics *diag)
{
    return parse_n(source, strlen(source), script, diag);
}

static void assert_command(const ReplayScript *script, size_t index, ReplayOp op, int line,
                           const char *text)
{
    if (index >= script->count)
        fail_msg("only %zu commands, wanted index %zu", script->count, index);
    const ReplayCommand *c = &script->commands[index];
    if (c->op != op || c->line != line)
        fail_msg("command %zu: op %d line %d, expected op %d line %d", index, (int)c->op, c->line,
                 (int)op, line);
    if (text) {
        assert_non_null(c->text);
        assert_string_equal(c->text, text);
    } else {
        assert_null(c->text);
    }
}

static void test_every_command(void **state)
{
    (void)state;
    const char *source = "# a comment\n"
                         "wait 1500\n"
                         "\n"
                         "pause 60000\n"
                         "tap 640 400\n"
                         "tap-text \"Next\"\n"
                         "key Escape\n"
                         "type \"h\xc3\xa9llo world\"\n"
                         "   # an indented comment\n"
                         "expect-text \"Question 1 of 3\"\n"
                         "expect-no-text \"Skip\"\n"
                         "expect-screen welcome\n"
                         "expect-selected \"Very good\"\n"
                         "expect-unselected \"Poor\"\n"
                         "shot choose-portrait\n"
                         "close-window\n"
                         "expect-targets 90\n"
                         "wait 0";
    ReplayScript script;
    Diagnostics diag;
    bool ok = parse(source, &script, &diag);
    if (!ok) {
        dump(&diag);
        fail();
    }
    assert_int_equal(diag.count, 0);
    assert_int_equal(script.count, 15);
    assert_command(&script, 0, REPLAY_WAIT, 2, NULL);
    assert_int_equal(script.commands[0].ms, 1500);
    assert_command(&script, 1, REPLAY_PAUSE, 4, NULL);
    assert_int_equal(script.commands[1].ms, 60000);
    assert_command(&script, 2, REPLAY_TAP, 5, NULL);
    assert_int_equal(script.commands[2].x, 640);
    assert_int_equal(script.commands[2].y, 400);
    assert_command(&script, 3, REPLAY_TAP_TEXT, 6, "Next");
    assert_command(&script, 4, REPLAY_KEY, 7, "Escape");
    assert_command(&script, 5, REPLAY_TYPE, 8, "h\xc3\xa9llo world");
    assert_command(&script, 6, REPLAY_EXPECT_TEXT, 10, "Question 1 of 3");
    assert_command(&script, 7, REPLAY_EXPECT_NO_TEXT, 11, "Skip");
    assert_command(&script, 8, REPLAY_EXPECT_SCREEN, 12, "welcome");
    assert_command(&script, 9, REPLAY_EXPECT_SELECTED, 13, "Very good");
    assert_command(&script, 10, REPLAY_EXPECT_UNSELECTED, 14, "Poor");
    assert_command(&script, 11, REPLAY_SHOT, 15, "choose-portrait");
    assert_command(&script, 12, REPLAY_CLOSE_WINDOW, 16, NULL);
    assert_command(&script, 13, REPLAY_EXPECT_TARGETS, 17, NULL);
    assert_int_equal(script.commands[13].ms, 90);
    assert_command(&script, 14, REPLAY_WAIT, 18, NULL); /* no newline at the end */
    assert_int_equal(script.commands[14].ms, 0);
    replay_script_deinit(&script);
    assert_null(script.commands);
    assert_int_equal(script.count, 0);
    diag_deinit(&diag);
}

static void test_spacing_and_crlf(void **state)
{
    (void)state;
    const char *source = "  \twait   25  \r\n"
                         "\r\n"
                         "tap\t1 2\r\n"
                         "key   Return\t\r\n"
                         "type \"  spaced  \"  \r\n"
                         "   \t \n";
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse(source, &script, &diag));
    assert_int_equal(script.count, 4);
    assert_command(&script, 0, REPLAY_WAIT, 1, NULL);
    assert_int_equal(script.commands[0].ms, 25);
    assert_command(&script, 1, REPLAY_TAP, 3, NULL);
    assert_int_equal(script.commands[1].x, 1);
    assert_int_equal(script.commands[1].y, 2);
    assert_command(&script, 2, REPLAY_KEY, 4, "Return");
    assert_command(&script, 3, REPLAY_TYPE, 5, "  spaced  ");
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_empty_script(void **state)
{
    (void)state;
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse_n("", 0, &script, &diag));
    assert_int_equal(script.count, 0);
    replay_script_deinit(&script);
    assert_true(parse("\n\n# only comments\n\n", &script, &diag));
    assert_int_equal(script.count, 0);
    assert_int_equal(diag.count, 0);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static const Diagnostic *diag_on_line(const Diagnostics *d, int line)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line == line)
            return &d->items[i];
    return NULL;
}

static void assert_bad_line(const Diagnostics *d, int line, const char *fragment)
{
    const Diagnostic *item = diag_on_line(d, line);
    if (!item || !strstr(item->message, fragment)) {
        dump(d);
        fail_msg("no diagnostic on line %d containing \"%s\"", line, fragment);
    }
}

static void test_bad_lines_reported_with_line_numbers(void **state)
{
    (void)state;
    const char *source = "wait 10\n"                 /* 1 ok */
                         "jump 3\n"                  /* 2 unknown command */
                         "wait\n"                    /* 3 no argument */
                         "wait -1\n"                 /* 4 negative */
                         "wait 86400001\n"           /* 5 over a day */
                         "pause 60001\n"             /* 6 over a minute */
                         "tap 10\n"                  /* 7 one number */
                         "tap 10 20 30\n"            /* 8 three numbers */
                         "tap 10,20\n"               /* 9 comma */
                         "tap-text Next\n"           /* 10 not quoted */
                         "type \"unterminated\n"     /* 11 no closing quote */
                         "type \"bad \\n escape\"\n" /* 12 unknown escape */
                         "close-window now\n"        /* 13 extra word */
                         "key Page Down\n"           /* 14 two words */
                         "wait 10ms\n"               /* 15 unit glued on */
                         "expect-text \"a\" \"b\"\n" /* 16 two texts */
                         "tap 100001 5\n"            /* 17 over the limit */
                         "WAIT 5\n"                  /* 18 case matters */
                         "shot\n"                    /* 19 no name */
                         "tap-text \"ok\"\n";        /* 20 ok */
    ReplayScript script;
    Diagnostics diag;
    assert_false(parse(source, &script, &diag));
    assert_int_equal(diag.count, 18);
    assert_bad_line(&diag, 2, "unknown command \"jump\"");
    assert_bad_line(&diag, 3, "\"wait\" needs a time in milliseconds");
    assert_bad_line(&diag, 4, "\"wait\" needs a time in milliseconds");
    assert_bad_line(&diag, 5, "\"wait\" needs a time in milliseconds");
    assert_bad_line(&diag, 6, "\"pause\" needs a time in milliseconds");
    assert_bad_line(&diag, 7, "\"tap\" needs two whole numbers X Y");
    assert_bad_line(&diag, 8, "\"tap\" needs two whole numbers X Y");
    assert_bad_line(&diag, 9, "\"tap\" needs two whole numbers X Y");
    assert_bad_line(&diag, 10, "\"tap-text\" needs one \"quoted\" text");
    assert_bad_line(&diag, 11, "\"type\" needs one \"quoted\" text");
    assert_bad_line(&diag, 12, "\"type\" needs one \"quoted\" text");
    assert_bad_line(&diag, 13, "\"close-window\" needs nothing more");
    assert_bad_line(&diag, 14, "\"key\" needs one word");
    assert_bad_line(&diag, 15, "\"wait\" needs a time in milliseconds");
    assert_bad_line(&diag, 16, "\"expect-text\" needs one \"quoted\" text");
    assert_bad_line(&diag, 17, "\"tap\" needs two whole numbers X Y");
    assert_bad_line(&diag, 18, "unknown command \"WAIT\"");
    assert_bad_line(&diag, 19, "\"shot\" needs one word");
    /* the good lines are kept */
    assert_int_equal(script.count, 2);
    assert_command(&script, 0, REPLAY_WAIT, 1, NULL);
    assert_command(&script, 1, REPLAY_TAP_TEXT, 20, "ok");
    /* columns: an unknown command at 1, a bad argument where it starts */
    assert_int_equal(diag_on_line(&diag, 2)->column, 1);
    assert_int_equal(diag_on_line(&diag, 4)->column, 6);
    assert_int_equal(diag_on_line(&diag, 10)->column, 10);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

/* The touch storm: a seed, a count and maybe a staff PIN; and SDL's quit. */
static void test_monkey_and_quit_event(void **state)
{
    (void)state;
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse("monkey 20261123 200000\n"
                      "monkey 0 1 2468\n"
                      "monkey 2147483647 10000000 12345678\n"
                      "quit-event\n",
                      &script, &diag));
    assert_int_equal(script.count, 4);
    assert_command(&script, 0, REPLAY_MONKEY, 1, NULL);
    assert_int_equal(script.commands[0].seed, 20261123);
    assert_int_equal(script.commands[0].count, 200000);
    assert_command(&script, 1, REPLAY_MONKEY, 2, "2468");
    assert_int_equal(script.commands[1].seed, 0);
    assert_int_equal(script.commands[1].count, 1);
    assert_command(&script, 2, REPLAY_MONKEY, 3, "12345678");
    assert_int_equal(script.commands[2].seed, 2147483647L);
    assert_int_equal(script.commands[2].count, REPLAY_MAX_MONKEY);
    assert_command(&script, 3, REPLAY_QUIT_EVENT, 4, NULL);
    replay_script_deinit(&script);
    diag_deinit(&diag);
    const char *bad = "monkey\n"               /* 1 nothing */
                      "monkey 1\n"             /* 2 no count */
                      "monkey 1 0\n"           /* 3 zero actions */
                      "monkey 1 10000001\n"    /* 4 too many */
                      "monkey -1 5\n"          /* 5 negative seed */
                      "monkey 2147483648 5\n"  /* 6 seed too big */
                      "monkey 1 5 246\n"       /* 7 PIN too short */
                      "monkey 1 5 123456789\n" /* 8 PIN too long */
                      "monkey 1 5 24a8\n"      /* 9 not digits */
                      "monkey 1 5 2468 more\n" /* 10 extra word */
                      "quit-event now\n";      /* 11 extra word */
    assert_false(parse(bad, &script, &diag));
    assert_int_equal(diag.count, 11);
    for (int line = 1; line <= 10; line++)
        assert_bad_line(&diag, line, "\"monkey\" needs a seed");
    assert_bad_line(&diag, 11, "\"quit-event\" needs nothing more");
    assert_int_equal(script.count, 0);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

/* The benchmark commands (bench/kiosk.sh): a frame count and a label, or a
 * label alone; every malformed form is reported at its line. */
static void test_bench_commands(void **state)
{
    (void)state;
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse("bench-frames 100 \"question, biggest\"\n"
                      "bench-frames 1 \"\"\n"
                      "bench-frames 100000 \"x\"\n"
                      "bench-tap \"Very good\"\n"
                      "bench-rss \"after 1000\"\n",
                      &script, &diag));
    assert_int_equal(script.count, 5);
    assert_command(&script, 0, REPLAY_BENCH_FRAMES, 1, "question, biggest");
    assert_int_equal(script.commands[0].count, 100);
    assert_command(&script, 1, REPLAY_BENCH_FRAMES, 2, "");
    assert_int_equal(script.commands[1].count, 1);
    assert_command(&script, 2, REPLAY_BENCH_FRAMES, 3, "x");
    assert_int_equal(script.commands[2].count, REPLAY_MAX_BENCH_FRAMES);
    assert_command(&script, 3, REPLAY_BENCH_TAP, 4, "Very good");
    assert_command(&script, 4, REPLAY_BENCH_RSS, 5, "after 1000");
    replay_script_deinit(&script);
    diag_deinit(&diag);
    const char *bad = "bench-frames\n"               /* 1 nothing */
                      "bench-frames 10\n"            /* 2 no label */
                      "bench-frames 0 \"x\"\n"       /* 3 zero frames */
                      "bench-frames 100001 \"x\"\n"  /* 4 too many */
                      "bench-frames \"x\" 10\n"      /* 5 wrong order */
                      "bench-frames 10 \"x\" more\n" /* 6 extra word */
                      "bench-tap\n"                  /* 7 no label */
                      "bench-tap Next\n"             /* 8 not quoted */
                      "bench-rss\n";                 /* 9 no label */
    assert_false(parse(bad, &script, &diag));
    assert_int_equal(diag.count, 9);
    for (int line = 1; line <= 6; line++)
        assert_bad_line(&diag, line, "\"bench-frames\" needs a count from 1 to 100000");
    assert_bad_line(&diag, 7, "\"bench-tap\" needs one \"quoted\" text");
    assert_bad_line(&diag, 8, "\"bench-tap\" needs one \"quoted\" text");
    assert_bad_line(&diag, 9, "\"bench-rss\" needs one \"quoted\" text");
    assert_int_equal(script.count, 0);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_limits_accepted(void **state)
{
    (void)state;
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse("wait 86400000\npause 60000\ntap 100000 0\nwait 007\n", &script, &diag));
    assert_int_equal(script.count, 4);
    assert_int_equal(script.commands[0].ms, REPLAY_MAX_WAIT_MS);
    assert_int_equal(script.commands[1].ms, REPLAY_MAX_PAUSE_MS);
    assert_int_equal(script.commands[2].x, 100000);
    assert_int_equal(script.commands[2].y, 0);
    assert_int_equal(script.commands[3].ms, 7);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_quoted_escapes(void **state)
{
    (void)state;
    const char *source = "type \"say \\\"hi\\\" \\\\ done\"\n" /* say "hi" \ done */
                         "expect-text \"\\\\\"\n"              /* \ */
                         "expect-text \"\\\"\"\n"              /* " */
                         "expect-text \"\"\n"                  /* empty */
                         "expect-text \"a\\\\\\\"b\"\n"        /* a\"b */
                         "expect-text \"trailing\\\\\" \n";    /* trailing\ */
    ReplayScript script;
    Diagnostics diag;
    bool ok = parse(source, &script, &diag);
    if (!ok) {
        dump(&diag);
        fail();
    }
    assert_int_equal(script.count, 6);
    assert_string_equal(script.commands[0].text, "say \"hi\" \\ done");
    assert_string_equal(script.commands[1].text, "\\");
    assert_string_equal(script.commands[2].text, "\"");
    assert_string_equal(script.commands[3].text, "");
    assert_string_equal(script.commands[4].text, "a\\\"b");
    assert_string_equal(script.commands[5].text, "trailing\\");
    replay_script_deinit(&script);
    diag_deinit(&diag);

    /* an escaped closing quote leaves the text unterminated; a lone
     * backslash at the end of the line has nothing to escape */
    assert_false(parse("type \"abc\\\"\ntype \"abc\\\ntype \"\\t\"\n", &script, &diag));
    assert_int_equal(diag.count, 3);
    assert_int_equal(script.count, 0);
    assert_bad_line(&diag, 1, "needs one \"quoted\" text");
    assert_bad_line(&diag, 2, "needs one \"quoted\" text");
    assert_bad_line(&diag, 3, "needs one \"quoted\" text");
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    static const char source[] = "wait 1\0\n"
                                 "type \"a\0b\"\n"
                                 "\0\n"
                                 "wait 2\n"
                                 "key Esc\0ape\n"
                                 "# comment \0 with a NUL\n"
                                 "wait 3\0";
    ReplayScript script;
    Diagnostics diag;
    assert_false(parse_n(source, sizeof source - 1, &script, &diag));
    assert_int_equal(diag.count, 5);
    assert_bad_line(&diag, 1, "NUL byte");
    assert_bad_line(&diag, 2, "NUL byte");
    assert_bad_line(&diag, 3, "NUL byte");
    assert_bad_line(&diag, 5, "NUL byte");
    assert_bad_line(&diag, 7, "NUL byte");
    assert_int_equal(script.count, 1);
    assert_command(&script, 0, REPLAY_WAIT, 4, NULL);
    assert_int_equal(script.commands[0].ms, 2);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

/* Columns count from the start of the line, as an editor shows them, not
 * from the first non-blank character: indented lines are common in scripts. */
static void test_columns_from_line_start(void **state)
{
    (void)state;
    static const char source[] = "  jump\n"                     /* 1 */
                                 "\t\twait soon\n"              /* 2 */
                                 "    tap-text Next\n"          /* 3 */
                                 "  tap  10 x\n"                /* 4 */
                                 "wait x\n"                     /* 5 unindented */
                                 "   wait 1\0\n"                /* 6 */
                                 "  \xc3\xa9t\xc3\xa9 1\n"      /* 7 a verb in two-byte letters */
                                 "  type \"\xe2\x82\xac\" x\n"; /* 8 */
    ReplayScript script;
    Diagnostics diag;
    assert_false(parse_n(source, sizeof source - 1, &script, &diag));
    assert_int_equal(diag.count, 8);
    static const struct {
        int line, column;
        const char *message;
    } want[] = {
        {1, 3, "unknown command \"jump\""},
        {2, 8, "\"wait\" needs a time in milliseconds"},
        {3, 14, "\"tap-text\" needs one \"quoted\" text"},
        {4, 8, "\"tap\" needs two whole numbers X Y"},
        {5, 6, "\"wait\" needs a time in milliseconds"},
        {6, 10, "line contains a NUL byte"},
        {7, 3, "unknown command \"\xc3\xa9t\xc3\xa9\""},
        {8, 8, "\"type\" needs one \"quoted\" text"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const Diagnostic *d = &diag.items[i];
        if (d->line != want[i].line || d->column != want[i].column ||
            strcmp(d->message, want[i].message) != 0) {
            dump(&diag);
            fail_msg("expected %d:%d: %s", want[i].line, want[i].column, want[i].message);
        }
    }
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_big_numbers(void **state)
{
    (void)state;
    /* far past LONG_MAX: refused, and without signed overflow (UBSan) */
    ReplayScript script;
    Diagnostics diag;
    assert_false(parse("wait 99999999999999999999999999999999999999\n"
                       "tap 99999999999999999999999999 1\n"
                       "tap 1 -99999999999999999999999999\n"
                       "pause 000000000000000000000000000000000000000000000000000000001x\n",
                       &script, &diag));
    assert_int_equal(diag.count, 4);
    assert_int_equal(script.count, 0);
    replay_script_deinit(&script);
    diag_deinit(&diag);
    /* leading zeros do not count against the limit */
    assert_true(parse("pause 0000000000000000000000000000000000000000000000000000000000001\n",
                      &script, &diag));
    assert_int_equal(script.commands[0].ms, 1);
    replay_script_deinit(&script);
    diag_deinit(&diag);
}

static void test_very_long_lines(void **state)
{
    (void)state;
    enum { LONG = 200000 };
    char *source = malloc(LONG + 64);
    assert_non_null(source);

    /* a long quoted text is kept whole */
    size_t n = 0;
    memcpy(source, "type \"", 6);
    n = 6;
    for (int i = 0; i < LONG; i++)
        source[n++] = (char)('a' + i % 26);
    memcpy(source + n, "\"\nwait 5\n", 9);
    n += 9;
    ReplayScript script;
    Diagnostics diag;
    assert_true(parse_n(source, n, &script, &diag));
    assert_int_equal(script.count, 2);
    assert_int_equal(strlen(script.commands[0].text), LONG);
    assert_int_equal(script.commands[0].text[LONG - 1], 'a' + (LONG - 1) % 26);
    assert_command(&script, 1, REPLAY_WAIT, 2, NULL);
    replay_script_deinit(&script);
    diag_deinit(&diag);

    /* a long unknown command: reported, its name cut in the message */
    memset(source, 'x', LONG);
    memcpy(source + LONG, "\nwait 5", 7);
    assert_false(parse_n(source, LONG + 7, &script, &diag));
    assert_int_equal(diag.count, 1);
    assert_int_equal(diag.items[0].line, 1);
    assert_true(strlen(diag.items[0].message) < 100);
    assert_non_null(strstr(diag.items[0].message, "unknown command \"xxxx"));
    assert_int_equal(script.count, 1);
    replay_script_deinit(&script);
    diag_deinit(&diag);

    /* a long word and a long unterminated text */
    memcpy(source, "shot ", 5);
    memset(source + 5, 'y', LONG);
    assert_true(parse_n(source, LONG + 5, &script, &diag));
    assert_int_equal(strlen(script.commands[0].text), LONG);
    replay_script_deinit(&script);
    diag_deinit(&diag);
    memcpy(source, "type \"", 6);
    memset(source + 6, '\\', LONG);
    assert_false(parse_n(source, LONG + 6, &script, &diag));
    assert_int_equal(diag.count, 1);
    replay_script_deinit(&script);
    diag_deinit(&diag);

    /* many lines: line numbers keep counting */
    n = 0;
    for (int i = 0; i < 5000; i++) {
        memcpy(source + n, "wait 1\n", 7);
        n += 7;
    }
    memcpy(source + n, "oops\n", 5);
    n += 5;
    assert_false(parse_n(source, n, &script, &diag));
    assert_int_equal(script.count, 5000);
    assert_int_equal(script.commands[4999].line, 5000);
    assert_bad_line(&diag, 5001, "unknown command \"oops\"");
    replay_script_deinit(&script);
    diag_deinit(&diag);
    free(source);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command),
        cmocka_unit_test(test_spacing_and_crlf),
        cmocka_unit_test(test_empty_script),
        cmocka_unit_test(test_bad_lines_reported_with_line_numbers),
        cmocka_unit_test(test_monkey_and_quit_event),
        cmocka_unit_test(test_bench_commands),
        cmocka_unit_test(test_limits_accepted),
        cmocka_unit_test(test_quoted_escapes),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_columns_from_line_start),
        cmocka_unit_test(test_big_numbers),
        cmocka_unit_test(test_very_long_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
