/* json_locate: a small position-tracking JSON walker. It only needs to skip
 * values and match keys, so it does not build anything or unescape more than
 * it must to compare a key. */
#include "core/json_locate.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *text;
    size_t length;
    size_t pos;
    int line;
    int column;
    int depth;
} Cursor;

enum { MAX_DEPTH = 512 };

static bool at_end(const Cursor *c)
{
    return c->pos >= c->length;
}

static void advance(Cursor *c)
{
    unsigned char ch = (unsigned char)c->text[c->pos++];
    if (ch == '\n') {
        c->line++;
        c->column = 1;
    } else if ((ch & 0xC0) != 0x80) { /* count characters, not UTF-8 continuation bytes */
        c->column++;
    }
}

static void skip_space(Cursor *c)
{
    while (!at_end(c) && strchr(" \t\r\n", c->text[c->pos]))
        advance(c);
}

/* Skips a string; if key_out is given, copies its raw bytes (escapes kept). */
static bool skip_string(Cursor *c, char *key_out, size_t key_size)
{
    if (at_end(c) || c->text[c->pos] != '"')
        return false;
    advance(c);
    size_t n = 0;
    while (!at_end(c) && c->text[c->pos] != '"') {
        if (c->text[c->pos] == '\\') {
            if (key_out && n + 1 < key_size)
                key_out[n++] = '\\';
            advance(c);
            if (at_end(c))
                return false;
        }
        if (key_out && n + 1 < key_size)
            key_out[n++] = c->text[c->pos];
        advance(c);
    }
    if (key_out)
        key_out[n] = '\0';
    if (at_end(c))
        return false;
    advance(c);
    return true;
}

static bool skip_value(Cursor *c);

static bool skip_container(Cursor *c, char open, char close)
{
    if (++c->depth > MAX_DEPTH)
        return false;
    advance(c); /* the opening bracket */
    skip_space(c);
    if (!at_end(c) && c->text[c->pos] == close) {
        advance(c);
        c->depth--;
        return true;
    }
    for (;;) {
        skip_space(c);
        if (open == '{') {
            if (!skip_string(c, NULL, 0))
                return false;
            skip_space(c);
            if (at_end(c) || c->text[c->pos] != ':')
                return false;
            advance(c);
            skip_space(c);
        }
        if (!skip_value(c))
            return false;
        skip_space(c);
        if (at_end(c))
            return false;
        if (c->text[c->pos] == ',') {
            advance(c);
            continue;
        }
        if (c->text[c->pos] == close) {
            advance(c);
            c->depth--;
            return true;
        }
        return false;
    }
}

static bool skip_value(Cursor *c)
{
    skip_space(c);
    if (at_end(c))
        return false;
    char ch = c->text[c->pos];
    if (ch == '{')
        return skip_container(c, '{', '}');
    if (ch == '[')
        return skip_container(c, '[', ']');
    if (ch == '"')
        return skip_string(c, NULL, 0);
    /* number, true, false, null: run of literal characters */
    size_t start = c->pos;
    while (!at_end(c) && strchr("+-.0123456789eEtruefalsn", c->text[c->pos]))
        advance(c);
    return c->pos > start;
}

/* Moves the cursor to the value (or key) named by one path segment inside the
 * container the cursor is on. */
static bool enter_segment(Cursor *c, const char *segment, size_t segment_length, bool want_key)
{
    skip_space(c);
    if (at_end(c))
        return false;
    char ch = c->text[c->pos];
    if (ch == '[') {
        char *end = NULL;
        char digits[24];
        if (segment_length == 0 || segment_length >= sizeof digits)
            return false;
        memcpy(digits, segment, segment_length);
        digits[segment_length] = '\0';
        long index = strtol(digits, &end, 10);
        if (*end != '\0' || index < 0)
            return false;
        advance(c);
        for (long i = 0;; i++) {
            skip_space(c);
            if (at_end(c) || c->text[c->pos] == ']')
                return false;
            if (i == index)
                return true;
            if (!skip_value(c))
                return false;
            skip_space(c);
            if (at_end(c) || c->text[c->pos] != ',')
                return false;
            advance(c);
        }
    }
    if (ch != '{')
        return false;
    advance(c);
    for (;;) {
        skip_space(c);
        if (at_end(c) || c->text[c->pos] != '"')
            return false;
        Cursor key_start = *c;
        char key[256];
        if (!skip_string(c, key, sizeof key))
            return false;
        bool match = strlen(key) == segment_length && memcmp(key, segment, segment_length) == 0;
        skip_space(c);
        if (at_end(c) || c->text[c->pos] != ':')
            return false;
        advance(c);
        skip_space(c);
        if (match) {
            if (want_key)
                *c = key_start;
            return true;
        }
        if (!skip_value(c))
            return false;
        skip_space(c);
        if (at_end(c) || c->text[c->pos] != ',')
            return false;
        advance(c);
    }
}

bool json_locate(const char *text, size_t length, const char *path, JsonLocateTarget target,
                 int *line, int *column)
{
    Cursor c = {text, length, 0, 1, 1, 0};
    skip_space(&c);
    *line = c.line;
    *column = c.column;
    const char *segment = path;
    while (segment && *segment) {
        const char *slash = strchr(segment, '/');
        size_t n = slash ? (size_t)(slash - segment) : strlen(segment);
        bool last = !slash || slash[1] == '\0';
        if (!enter_segment(&c, segment, n, last && target == JSON_LOCATE_KEY))
            return false;
        *line = c.line;
        *column = c.column;
        segment = slash ? slash + 1 : NULL;
    }
    return true;
}
