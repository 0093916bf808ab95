/* json_check: shared helpers for loaders that turn a JSON file into a model
 * while reporting every problem with its file position.
 *
 * Contract: a JsonCheck borrows the source text and a Diagnostics owned by the
 * caller for the duration of one load. Paths are "a/0/b" as in json_locate.
 * Getters return false (and report) when a present value has the wrong type
 * or range, or a required one is missing; outputs are then untouched.
 * Single-threaded per JsonCheck. */
#ifndef SAYSO_CORE_JSON_CHECK_H
#define SAYSO_CORE_JSON_CHECK_H

#include <jansson.h>
#include <stdbool.h>

#include "core/diag.h"
#include "core/json_locate.h"
#include "core/text.h"

typedef struct {
    const char *source;
    size_t source_length;
    Diagnostics *diag;
    /* Languages every Text must carry; the first is the default. */
    const char *const *languages;
    size_t language_count;
} JsonCheck;

enum { JSON_PATH_MAX = 256 };

void json_check_report(JsonCheck *c, const char *path, JsonLocateTarget target, const char *fmt,
                       ...) SAYSO_PRINTF(4, 5);
/* Writes base + "/" + key into out. */
const char *json_path(char out[JSON_PATH_MAX], const char *base, const char *key);
const char *json_path_index(char out[JSON_PATH_MAX], const char *base, size_t index);

/* Parses the source with jansson; reports a syntax error at its position. */
json_t *json_check_parse(JsonCheck *c);
/* Parses a whole config document: JSON syntax, an object at the top, only
 * `top_keys`, and a required "format" equal to `format_version`. Returns
 * the root object (the caller decrefs) with any problems reported, or NULL
 * when there is no object to read further. */
json_t *json_check_document(JsonCheck *c, const char *const *top_keys, long format_version);
/* Reports each key of obj not in the NULL-terminated `allowed` list. */
void json_check_keys(JsonCheck *c, json_t *obj, const char *path, const char *const *allowed);
bool json_check_object(JsonCheck *c, json_t *value, const char *path);

bool json_check_string(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                       const char **out);
bool json_check_int(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                    long min, long max, long *out);
bool json_check_bool(JsonCheck *c, json_t *obj, const char *path, const char *key, bool *out);
/* An id: 1..64 of a-z 0-9 - _. *out is a new string. */
bool json_check_id(JsonCheck *c, json_t *obj, const char *path, const char *key, char **out);
bool id_valid(const char *id);
/* A text: {"lang": "..."} or a plain string in the default language. Checks
 * that every declared language is present and no undeclared one is. */
bool json_check_text(JsonCheck *c, json_t *obj, const char *path, const char *key, bool required,
                     Text *out);

#endif
