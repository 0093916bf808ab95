/* json_check: type and range checks with positioned reports, written once so
 * the questionnaire and device-config loaders report problems the same way. */
#include "core/json_check.h"

#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void json_check_report(JsonCheck *c, const char *path, JsonLocateTarget target, const char *fmt,
                       ...)
{
    int line = 1, column = 1;
    json_locate(c->source, c->source_length, path, target, &line, &column);
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag_add(c->diag, line, column, "%s", message);
}

const char *json_path(char out[JSON_PATH_MAX], const char *base, const char *key)
{
    /* A key's own "/" and "~" are written "~1" and "~0", as json_locate reads
     * them, so a key such as "a/b" is not taken for two segments. */
    size_t n = (size_t)snprintf(out, JSON_PATH_MAX, "%s%s", base, *base ? "/" : "");
    for (const char *k = key; *k && n + 1 < JSON_PATH_MAX; k++) {
        const char *piece = *k == '/' ? "~1" : *k == '~' ? "~0" : NULL;
        if (!piece) {
            out[n++] = *k;
        } else if (n + 2 < JSON_PATH_MAX) {
            memcpy(out + n, piece, 2);
            n += 2;
        } else {
            break;
        }
    }
    if (n >= JSON_PATH_MAX)
        n = JSON_PATH_MAX - 1; /* a cut path only blurs a position */
    out[n] = '\0';
    return out;
}

const char *json_path_index(char out[JSON_PATH_MAX], const char *base, size_t index)
{
    if (snprintf(out, JSON_PATH_MAX, "%s%s%zu", base, *base ? "/" : "", index) >= JSON_PATH_MAX)
        out[JSON_PATH_MAX - 1] = '\0';
    return out;
}

enum { NEAR_CHARS = 20 };

/* 1-based line and column (in characters) of a byte offset, counted the way
 * jansson counts them: a column per byte that does not continue a UTF-8
 * sequence. */
static void position_of(const char *text, size_t offset, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

static bool word_byte(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '+' || ch == '.';
}

/* Start of the last token that begins before `end`, splitting the text as
 * jansson's lexer does: strings, runs of number and word characters, and
 * single characters. jansson reads a whole token before it can fail on it,
 * so its error position is the token's end; people look for its start. */
static size_t token_start(const char *text, size_t end)
{
    size_t pos = 0, start = 0;
    while (pos < end) {
        char ch = text[pos];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            pos++;
            continue;
        }
        start = pos++;
        if (ch == '"') {
            /* a control character ends a (broken) string as it does in jansson */
            while (pos < end && text[pos] != '"' && (unsigned char)text[pos] >= 0x20)
                pos += text[pos] == '\\' ? 2 : 1;
            pos++;
        } else if (word_byte(ch)) {
            while (pos < end && word_byte(text[pos]))
                pos++;
        } else {
            while (pos < end && ((unsigned char)text[pos] & 0xC0) == 0x80)
                pos++;
        }
    }
    return start;
}

/* Length of the UTF-8 character at s (at most `left` bytes), or 0 when it is
 * a control character or not well-formed: those are not quoted in messages. */
static size_t quotable_char(const unsigned char *s, size_t left)
{
    if (left == 0)
        return 0;
    size_t n = 0;
    if (s[0] >= 0x20 && s[0] < 0x7F)
        n = 1;
    else if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Writes " near 'TOKEN'" for the text from start to end into out, at most
 * NEAR_CHARS characters and then "...", or nothing when it has nothing
 * printable. jansson only quotes tokens up to 20 bytes, so long strings and
 * words used to be reported with no hint at all. */
static void near_text(const char *text, size_t start, size_t end, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)text + start;
    size_t bytes = 0, chars = 0, n = 0, length = end - start;
    while (chars < NEAR_CHARS && (n = quotable_char(s + bytes, length - bytes)) > 0) {
        bytes += n;
        chars++;
    }
    while (bytes > 0 && s[bytes - 1] == ' ')
        bytes--;
    if (bytes == 0)
        out[0] = '\0';
    else
        snprintf(out, size, " near '%.*s%s'", (int)bytes, (const char *)s,
                 bytes < length && n > 0 ? "..." : "");
}

json_t *json_check_parse(JsonCheck *c)
{
    json_error_t error;
    json_t *root = json_loadb(c->source, c->source_length, JSON_REJECT_DUPLICATES, &error);
    if (root)
        return root;
    size_t end = error.position > 0 ? (size_t)error.position : 0;
    if (end > c->source_length)
        end = c->source_length;
    int line, column;
    char message[JSON_ERROR_TEXT_LENGTH + 8 * NEAR_CHARS];
    if (strstr(error.text, "near end of file") || strstr(error.text, "unable to decode byte")) {
        /* the problem is the end itself, or the byte at the error position */
        position_of(c->source, end, &line, &column);
        snprintf(message, sizeof message, "%s", error.text);
    } else {
        size_t start = token_start(c->source, end);
        position_of(c->source, start, &line, &column);
        const char *jansson_near = strstr(error.text, " near '");
        int kept = jansson_near ? (int)(jansson_near - error.text) : (int)strlen(error.text);
        char near[8 * NEAR_CHARS];
        near_text(c->source, start, end, near, sizeof near);
        snprintf(message, sizeof message, "%.*s%s", kept, error.text, near);
    }
    diag_add(c->diag, line, column, "JSON syntax error: %s", message);
    return NULL;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

bool json_check_object(JsonCheck *c, json_t *value, const char *path)
{
    if (json_is_object(value))
        return true;
    json_check_report(c, path, JSON_LOCATE_VALUE, "expected an object, found %s",
                      json_type_name(value));
    return false;
}

void json_check_keys(JsonCheck *c, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(allowed[i], key) == 0;
        if (!known) {
            char p[JSON_PATH_MAX];
            json_check_report(c, json_path(p, path, key), JSON_LOCATE_KEY, "unknown key \"%s\"",
                              key);
        }
    }
}

static json_t *member(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v && required)
        json_check_report(c, path, JSON_LOCATE_VALUE, "missing required key \"%s\"", key);
    return v;
}

bool json_check_string(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                       const char **out)
{
    json_t *v = member(c, obj, path, key, required);
    if (!v)
        return !required;
    if (!json_is_string(v)) {
        char p[JSON_PATH_MAX];
        json_check_report(c, json_path(p, path, key), JSON_LOCATE_VALUE,
                          "\"%s\" must be a string, found %s", key, json_type_name(v));
        return false;
    }
    *out = json_string_value(v);
    return true;
}

bool json_check_int(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                    long min, long max, long *out)
{
    json_t *v = member(c, obj, path, key, required);
    if (!v)
        return !required;
    char p[JSON_PATH_MAX];
    json_path(p, path, key);
    if (!json_is_integer(v)) {
        json_check_report(c, p, JSON_LOCATE_VALUE, "\"%s\" must be a whole number, found %s", key,
                          json_type_name(v));
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        json_check_report(c, p, JSON_LOCATE_VALUE, "\"%s\" must be between %ld and %ld", key, min,
                          max);
        return false;
    }
    *out = (long)n;
    return true;
}

bool json_check_bool(JsonCheck *c, json_t *obj, const char *path, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    if (!json_is_boolean(v)) {
        char p[JSON_PATH_MAX];
        json_check_report(c, json_path(p, path, key), JSON_LOCATE_VALUE,
                          "\"%s\" must be true or false, found %s", key, json_type_name(v));
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-_", id[i]))
            return false;
    return true;
}

bool json_check_id(JsonCheck *c, json_t *obj, const char *path, const char *key, char **out)
{
    const char *s = NULL;
    if (!json_check_string(c, obj, path, key, true, &s) || !s)
        return false;
    if (!id_valid(s)) {
        char p[JSON_PATH_MAX];
        json_check_report(c, json_path(p, path, key), JSON_LOCATE_VALUE,
                          "\"%s\" must be 1 to 64 characters of a-z, 0-9, - and _", key);
        return false;
    }
    *out = mem_strdup(s);
    return true;
}

static bool declared(const JsonCheck *c, const char *language)
{
    for (size_t i = 0; i < c->language_count; i++)
        if (strcmp(c->languages[i], language) == 0)
            return true;
    return false;
}

bool json_check_text(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                     Text *out)
{
    json_t *v = member(c, obj, path, key, required);
    if (!v)
        return !required;
    char p[JSON_PATH_MAX];
    json_path(p, path, key);
    const char *fallback = c->language_count ? c->languages[0] : "en";
    if (json_is_string(v)) {
        if (json_string_length(v) == 0) {
            json_check_report(c, p, JSON_LOCATE_VALUE, "\"%s\" must not be empty", key);
            return false;
        }
        text_add(out, fallback, json_string_value(v));
        for (size_t i = 1; i < c->language_count; i++)
            json_check_report(c, p, JSON_LOCATE_VALUE, "\"%s\" has no text in \"%s\"", key,
                              c->languages[i]);
        return c->language_count <= 1;
    }
    if (!json_is_object(v)) {
        json_check_report(c, p, JSON_LOCATE_VALUE,
                          "\"%s\" must be a string or an object of language: text, found %s", key,
                          json_type_name(v));
        return false;
    }
    bool ok = true;
    const char *language;
    json_t *entry;
    json_object_foreach(v, language, entry)
    {
        char q[JSON_PATH_MAX];
        json_path(q, p, language);
        if (!language_code_valid(language) || (c->language_count && !declared(c, language))) {
            json_check_report(c, q, JSON_LOCATE_KEY,
                              "language \"%s\" is not one of this file's \"languages\"", language);
            ok = false;
        } else if (!json_is_string(entry) || json_string_length(entry) == 0) {
            json_check_report(c, q, JSON_LOCATE_VALUE, "text in \"%s\" must be a non-empty string",
                              language);
            ok = false;
        } else {
            text_add(out, language, json_string_value(entry));
        }
    }
    for (size_t i = 0; i < c->language_count; i++)
        if (!json_object_get(v, c->languages[i])) {
            json_check_report(c, p, JSON_LOCATE_VALUE, "\"%s\" has no text in \"%s\"", key,
                              c->languages[i]);
            ok = false;
        }
    return ok;
}

json_t *json_check_document(JsonCheck *c, const char *const *top_keys, long format_version)
{
    json_t *root = json_check_parse(c);
    if (!root)
        return NULL;
    if (!json_check_object(c, root, "")) {
        json_decref(root);
        return NULL;
    }
    json_check_keys(c, root, "", top_keys);
    long format = format_version;
    if (json_check_int(c, root, "", "format", true, 1, 1000, &format) && format != format_version)
        json_check_report(c, "format", JSON_LOCATE_VALUE,
                          "format %ld is not supported by this version (expected %ld)", format,
                          format_version);
    return root;
}
