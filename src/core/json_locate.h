/* json_locate: finds where a value sits in JSON source text.
 *
 * jansson parses into values without positions, but `sayso check` must say
 * file:line:col for problems it finds after parsing (an unknown type, a missing
 * picture). This module walks the same text a second time and returns the
 * position of the value (or its key) at a path such as "questions/2/type",
 * where numbers index arrays and other segments name object keys.
 *
 * Contract: pure function over a caller-owned buffer; nothing allocated;
 * any thread. On text that is not valid JSON it may fail, never overrun. */
#ifndef SAYSO_CORE_JSON_LOCATE_H
#define SAYSO_CORE_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { JSON_LOCATE_VALUE, JSON_LOCATE_KEY } JsonLocateTarget;

/* Sets *line and *column (1-based, column in characters) and returns true
 * when the path exists; otherwise returns false and leaves the deepest
 * position found so far (at least 1:1). */
bool json_locate(const char *text, size_t length, const char *path, JsonLocateTarget target,
                 int *line, int *column);

#endif
