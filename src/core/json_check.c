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
    if (snprintf(out, JSON_PATH_MAX, "%s%s%s", base, *base ? "/" : "", key) >= JSON_PATH_MAX)
        out[JSON_PATH_MAX - 1] = '\0'; /* a cut path only blurs a position */
    return out;
}

const char *json_path_index(char out[JSON_PATH_MAX], const char *base, size_t index)
{
    if (snprintf(out, JSON_PATH_MAX, "%s%s%zu", base, *base ? "/" : "", index) >= JSON_PATH_MAX)
        out[JSON_PATH_MAX - 1] = '\0';
    return out;
}

json_t *json_check_parse(JsonCheck *c)
{
    json_error_t error;
    json_t *root = json_loadb(c->source, c->source_length, JSON_REJECT_DUPLICATES, &error);
    if (!root) {
        /* jansson points just past the offending token; people look for its
         * start, so step back over the token it quotes as "near '...'". */
        int column = error.column > 0 ? error.column : 1;
        const char *near = strstr(error.text, "near '");
        if (near) {
            const char *token = near + 6;
            const char *end = strrchr(token, '\'');
            int chars = 0;
            for (const char *p = token; end && p < end; p++)
                chars += ((unsigned char)*p & 0xC0) != 0x80;
            if (chars > 0 && column - chars + 1 >= 1)
                column = column - chars + 1;
        }
        diag_add(c->diag, error.line > 0 ? error.line : 1, column, "JSON syntax error: %s",
                 error.text);
    }
    return root;
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
    json_object_foreach(obj, key, value) {
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
    char p[JSON_PATH_MAX];
    if (!json_is_string(v)) {
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
    json_object_foreach(v, language, entry) {
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
