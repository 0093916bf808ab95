/* json_locate: a small position-tracking JSON walker. It only needs to skip
 * values and match keys, so it does not build anything: a key is unescaped
 * byte by byte while it is compared with the path segment. Every test of a
 * byte is bounded by the length, never by a terminating NUL, so text with a
 * NUL inside or cut short is never mistaken for more than it is. */
#include "core/json_locate.h"

#include "core/hex.h"

#include <string.h>

typedef struct {
    const char *text;
    size_t length;
    size_t pos;
    int line;
    int column;
    int depth;
} Cursor;

enum { MAX_DEPTH = 512, MAX_INDEX_DIGITS = 18 };

/* Marks of a path segment reader: its end, and a '~' not followed by 0 or 1. */
enum { SEGMENT_END = -1, SEGMENT_BAD = -2 };

static bool at_end(const Cursor *c)
{
    return c->pos >= c->length;
}

/* memchr, not strchr: strchr also finds the terminating NUL of the set. */
static bool in_set(const char *set, char ch)
{
    /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): a search, not a copy */
    return memchr(set, ch, strlen(set)) != NULL;
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
    while (!at_end(c) && in_set(" \t\r\n", c->text[c->pos]))
        advance(c);
}

/* True when a value can start at the cursor; a member whose value is cut off
 * or missing does not count as found. */
static bool value_starts(const Cursor *c)
{
    return !at_end(c) && in_set("{[\"-0123456789tfn", c->text[c->pos]);
}

static bool skip_string(Cursor *c)
{
    if (at_end(c) || c->text[c->pos] != '"')
        return false;
    advance(c);
    while (!at_end(c) && c->text[c->pos] != '"') {
        if (c->text[c->pos] == '\\') {
            advance(c);
            if (at_end(c))
                return false;
        }
        advance(c);
    }
    if (at_end(c))
        return false;
    advance(c);
    return true;
}

static bool skip_value(Cursor *c);

/* NOLINTNEXTLINE(misc-no-recursion): nesting stops at MAX_DEPTH */
static bool skip_container(Cursor *c, char close)
{
    bool object = close == '}';
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
        if (object) {
            if (!skip_string(c))
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

/* NOLINTNEXTLINE(misc-no-recursion): nesting stops at MAX_DEPTH */
static bool skip_value(Cursor *c)
{
    skip_space(c);
    if (at_end(c))
        return false;
    char ch = c->text[c->pos];
    if (ch == '{')
        return skip_container(c, '}');
    if (ch == '[')
        return skip_container(c, ']');
    if (ch == '"')
        return skip_string(c);
    /* number, true, false, null: run of literal characters */
    size_t start = c->pos;
    while (!at_end(c) && in_set("+-.0123456789eEtruefalsn", c->text[c->pos]))
        advance(c);
    return c->pos > start;
}

/* ---- matching a key with a path segment ---- */

typedef struct {
    const char *p;
    const char *end;
} Segment;

/* The next byte of the key the segment names: "~0" stands for '~' and "~1"
 * for '/', as in JSON Pointer (RFC 6901). */
static int segment_next(Segment *s)
{
    if (s->p == s->end)
        return SEGMENT_END;
    unsigned char ch = (unsigned char)*s->p++;
    if (ch != '~')
        return ch;
    if (s->p == s->end || (*s->p != '0' && *s->p != '1'))
        return SEGMENT_BAD;
    return *s->p++ == '0' ? '~' : '/';
}

/* Reads 4 hex digits of a \u escape at the cursor; false if there are not 4. */
static bool read_hex4(Cursor *c, unsigned *out)
{
    unsigned value = 0;
    for (int i = 0; i < 4; i++) {
        if (at_end(c))
            return false;
        int digit = hex_digit(c->text[c->pos]);
        if (digit < 0)
            return false;
        value = value * 16 + (unsigned)digit;
        advance(c);
    }
    *out = value;
    return true;
}

/* True when the 6 bytes at the cursor are a \uDC00..\uDFFF escape. */
static bool low_surrogate_follows(const Cursor *c)
{
    const char *t = c->text + c->pos;
    if (c->length - c->pos < 6 || t[0] != '\\' || t[1] != 'u' || (t[2] != 'd' && t[2] != 'D'))
        return false;
    return in_set("cdefCDEF", t[3]);
}

/* Decodes the escape after a backslash (the cursor is on the letter) into
 * UTF-8 bytes; returns how many, or 0 for an escape no valid key holds. */
static size_t decode_escape(Cursor *c, unsigned char out[4])
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    char letter = c->text[c->pos];
    advance(c);
    if (letter != 'u') {
        const char *at = memchr(from, letter, sizeof from - 1);
        if (!at)
            return 0;
        out[0] = (unsigned char)to[at - from];
        return 1;
    }
    unsigned cp;
    if (!read_hex4(c, &cp))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned low;
        if (!low_surrogate_follows(c))
            return 0;
        advance(c);
        advance(c);
        if (!read_hex4(c, &low))
            return 0;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return 0;
    }
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Moves the cursor past the key string it is on and sets *match when the
 * key, unescaped, equals the segment. Returns false if the string is cut. */
static bool read_key(Cursor *c, const char *segment, size_t segment_length, bool *match)
{
    Segment s = {segment, segment + segment_length};
    bool same = true;
    if (at_end(c) || c->text[c->pos] != '"')
        return false;
    advance(c);
    while (!at_end(c) && c->text[c->pos] != '"') {
        unsigned char bytes[4];
        size_t n;
        if (c->text[c->pos] == '\\') {
            advance(c);
            if (at_end(c))
                return false;
            n = decode_escape(c, bytes);
            same = same && n > 0;
        } else {
            bytes[0] = (unsigned char)c->text[c->pos];
            n = 1;
            advance(c);
        }
        for (size_t i = 0; i < n && same; i++)
            same = segment_next(&s) == bytes[i];
    }
    if (at_end(c))
        return false;
    advance(c);
    *match = same && segment_next(&s) == SEGMENT_END;
    return true;
}

/* An array index: only digits, so "+1", " 1" and "1x" name nothing. */
static bool parse_index(const char *segment, size_t length, long *index)
{
    if (length == 0 || length > MAX_INDEX_DIGITS)
        return false;
    long value = 0;
    for (size_t i = 0; i < length; i++) {
        if (segment[i] < '0' || segment[i] > '9')
            return false;
        value = value * 10 + (segment[i] - '0');
    }
    *index = value;
    return true;
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
        long index;
        if (!parse_index(segment, segment_length, &index))
            return false;
        advance(c);
        for (long i = 0;; i++) {
            skip_space(c);
            if (at_end(c) || c->text[c->pos] == ']')
                return false;
            if (i == index)
                return value_starts(c);
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
        Cursor key_start = *c;
        bool match = false;
        if (!read_key(c, segment, segment_length, &match))
            return false;
        skip_space(c);
        if (at_end(c) || c->text[c->pos] != ':')
            return false;
        advance(c);
        skip_space(c);
        if (match) {
            if (!value_starts(c))
                return false;
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
