/* replay_script: a hand-written line parser; the language is tiny and every
 * error must name its line, which a general parser would not make simpler. */
#include "core/replay_script.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

typedef struct {
    const char *name;
    ReplayOp op;
    enum {
        ARG_MS,
        ARG_XY,
        ARG_QUOTED,
        ARG_WORD,
        ARG_NONE,
        ARG_NUMBER_QUOTED,
        ARG_MONKEY,
        ARG_COUNT_QUOTED
    } arg;
} Verb;

static const Verb VERBS[] = {
    {"wait", REPLAY_WAIT, ARG_MS},
    {"pause", REPLAY_PAUSE, ARG_MS},
    {"tap", REPLAY_TAP, ARG_XY},
    {"press", REPLAY_PRESS, ARG_XY},
    {"release", REPLAY_RELEASE, ARG_XY},
    {"tap-text", REPLAY_TAP_TEXT, ARG_QUOTED},
    {"key", REPLAY_KEY, ARG_WORD},
    {"type", REPLAY_TYPE, ARG_QUOTED},
    {"expect-text", REPLAY_EXPECT_TEXT, ARG_QUOTED},
    {"expect-no-text", REPLAY_EXPECT_NO_TEXT, ARG_QUOTED},
    {"expect-screen", REPLAY_EXPECT_SCREEN, ARG_WORD},
    {"expect-selected", REPLAY_EXPECT_SELECTED, ARG_QUOTED},
    {"expect-unselected", REPLAY_EXPECT_UNSELECTED, ARG_QUOTED},
    {"shot", REPLAY_SHOT, ARG_WORD},
    {"close-window", REPLAY_CLOSE_WINDOW, ARG_NONE},
    {"quit-event", REPLAY_QUIT_EVENT, ARG_NONE},
    {"expect-synced", REPLAY_EXPECT_SYNCED, ARG_MS},
    {"expect-focus", REPLAY_EXPECT_FOCUS, ARG_QUOTED},
    {"expect-cap-height", REPLAY_EXPECT_CAP_HEIGHT, ARG_NUMBER_QUOTED},
    {"expect-spoken", REPLAY_EXPECT_SPOKEN, ARG_MS},
    {"monkey", REPLAY_MONKEY, ARG_MONKEY},
    {"bench-frames", REPLAY_BENCH_FRAMES, ARG_COUNT_QUOTED},
    {"bench-tap", REPLAY_BENCH_TAP, ARG_QUOTED},
    {"bench-rss", REPLAY_BENCH_RSS, ARG_QUOTED},
    {"expect-targets", REPLAY_EXPECT_TARGETS, ARG_MS},
};

static const char *skip_blank(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static bool parse_long(const char **p, const char *end, long min, long max, long *out)
{
    const char *s = *p;
    long value = 0;
    bool negative = false;
    if (s < end && *s == '-') {
        negative = true;
        s++;
    }
    const char *digits = s;
    while (s < end && isdigit((unsigned char)*s) && value <= max)
        value = value * 10 + (*s++ - '0');
    if (s == digits || value > max || (s < end && !isspace((unsigned char)*s)))
        return false;
    if (negative)
        value = -value;
    if (value < min)
        return false;
    *out = value;
    *p = s;
    return true;
}

static bool parse_quoted(const char **p, const char *end, char **out)
{
    const char *s = *p;
    if (s >= end || *s != '"')
        return false;
    s++;
    char *buffer = mem_alloc((size_t)(end - s) + 1);
    size_t n = 0;
    while (s < end && *s != '"') {
        if (*s == '\\') {
            s++;
            if (s >= end || (*s != '"' && *s != '\\'))
                break;
        }
        buffer[n++] = *s++;
    }
    if (s >= end || *s != '"') {
        free(buffer);
        return false;
    }
    buffer[n] = '\0';
    *out = buffer;
    *p = s + 1;
    return true;
}

static bool parse_word(const char **p, const char *end, char **out)
{
    const char *s = *p;
    while (s < end && !isspace((unsigned char)*s))
        s++;
    if (s == *p)
        return false;
    *out = mem_strndup(*p, (size_t)(s - *p));
    *p = s;
    return true;
}

/* 1-based column of `at` on the line starting at line_start, in characters:
 * counted from the start of the line, leading blanks included, as editors
 * count it. */
static int column_of(const char *line_start, const char *at)
{
    int column = 1;
    for (const char *p = line_start; p < at; p++)
        column += ((unsigned char)*p & 0xC0) != 0x80;
    return column;
}

static bool parse_line(const char *line_start, const char *p, const char *end, int line,
                       ReplayCommand *cmd, Diagnostics *diag)
{
    const char *verb_start = p;
    while (p < end && !isspace((unsigned char)*p))
        p++;
    size_t verb_length = (size_t)(p - verb_start);
    const Verb *verb = NULL;
    for (size_t i = 0; i < sizeof VERBS / sizeof VERBS[0]; i++)
        if (strlen(VERBS[i].name) == verb_length &&
            memcmp(VERBS[i].name, verb_start, verb_length) == 0)
            verb = &VERBS[i];
    if (!verb) {
        size_t shown = verb_length > 40 ? 40 : verb_length;
        while (shown < verb_length && shown > 0 &&
               ((unsigned char)verb_start[shown] & 0xC0) == 0x80)
            shown--; /* never quote half a character */
        diag_add(diag, line, column_of(line_start, verb_start), "unknown command \"%.*s\"",
                 (int)shown, verb_start);
        return false;
    }
    memset(cmd, 0, sizeof *cmd);
    cmd->op = verb->op;
    cmd->line = line;
    p = skip_blank(p, end);
    int column = column_of(line_start, p);
    bool ok = false;
    long x = 0, y = 0;
    switch (verb->arg) {
    case ARG_MS:
        ok = parse_long(&p, end, 0,
                        verb->op != REPLAY_WAIT ? REPLAY_MAX_PAUSE_MS : REPLAY_MAX_WAIT_MS,
                        &cmd->ms);
        break;
    case ARG_XY:
        ok = parse_long(&p, end, 0, 100000, &x);
        p = skip_blank(p, end);
        ok = ok && parse_long(&p, end, 0, 100000, &y);
        cmd->x = (int)x;
        cmd->y = (int)y;
        break;
    case ARG_QUOTED: ok = parse_quoted(&p, end, &cmd->text); break;
    case ARG_WORD: ok = parse_word(&p, end, &cmd->text); break;
    case ARG_NONE: ok = true; break;
    case ARG_NUMBER_QUOTED:
        ok = parse_long(&p, end, 1, 1000, &cmd->ms);
        p = skip_blank(p, end);
        ok = ok && parse_quoted(&p, end, &cmd->text);
        break;
    case ARG_MONKEY:
        ok = parse_long(&p, end, 0, 0x7FFFFFFFL, &cmd->seed);
        p = skip_blank(p, end);
        ok = ok && parse_long(&p, end, 1, REPLAY_MAX_MONKEY, &cmd->count);
        p = skip_blank(p, end);
        if (ok && p < end) {
            /* An optional staff PIN: 4 to 8 digits. */
            const char *digits = p;
            while (p < end && *p >= '0' && *p <= '9')
                p++;
            ok = p - digits >= 4 && p - digits <= 8 && (p == end || isspace((unsigned char)*p));
            if (ok)
                cmd->text = mem_strndup(digits, (size_t)(p - digits));
        }
        break;
    case ARG_COUNT_QUOTED:
        ok = parse_long(&p, end, 1, REPLAY_MAX_BENCH_FRAMES, &cmd->count);
        p = skip_blank(p, end);
        ok = ok && parse_quoted(&p, end, &cmd->text);
        break;
    }
    p = skip_blank(p, end);
    if (!ok || p != end) {
        static const char *const WANT[] = {
            "a time in milliseconds",
            "two whole numbers X Y",
            "one \"quoted\" text",
            "one word",
            "nothing more",
            "a number from 1 to 1000 and a \"quoted\" text",
            "a seed (0 to 2147483647), a count (1 to 10000000) and maybe a PIN of 4 to 8 digits",
            "a count from 1 to 100000 and a \"quoted\" text"};
        diag_add(diag, line, column, "\"%s\" needs %s", verb->name, WANT[verb->arg]);
        free(cmd->text);
        cmd->text = NULL;
        return false;
    }
    return true;
}

bool replay_script_parse(const char *source, size_t length, ReplayScript *out, Diagnostics *diag)
{
    size_t before = diag->count;
    out->commands = NULL;
    out->count = 0;
    const char *p = source, *end = source + length;
    int line = 0;
    while (p < end) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        const char *q = skip_blank(p, line_end);
        const char *trimmed_end = line_end;
        while (trimmed_end > q && isspace((unsigned char)trimmed_end[-1]))
            trimmed_end--;
        if (q < trimmed_end && *q != '#') {
            ReplayCommand cmd;
            const char *nul = memchr(q, '\0', (size_t)(trimmed_end - q));
            if (nul) {
                diag_add(diag, line, column_of(p, nul), "line contains a NUL byte");
            } else if (parse_line(p, q, trimmed_end, line, &cmd, diag)) {
                out->commands = mem_resize(out->commands, out->count + 1, sizeof cmd);
                out->commands[out->count++] = cmd;
            }
        }
        p = eol ? eol + 1 : end;
    }
    return diag->count == before;
}

void replay_script_deinit(ReplayScript *script)
{
    for (size_t i = 0; i < script->count; i++)
        free(script->commands[i].text);
    free(script->commands);
    script->commands = NULL;
    script->count = 0;
}
