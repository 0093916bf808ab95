/* json_locate: finds where a value sits in JSON source text.
 *
 * jansson parses into values without positions, but `sayso check` must say
 * file:line:col for problems it finds after parsing (an unknown type, a missing
 * picture). This module walks the same text a second time and returns the
 * position of the value (or its key) at a path such as "questions/2/type".
 *
 * Path syntax: segments are separated by "/". On an array a segment of
 * digits only is an index; on an object a segment is a key, compared with
 * the key's JSON escapes decoded, where "~1" stands for "/" and "~0" for "~"
 * (as in JSON Pointer, RFC 6901): the key "a/b~c" is written "a~1b~0c". A
 * "~" followed by anything else names no key.
 *
 * Contract: pure function over a caller-owned buffer; nothing allocated;
 * any thread. On text that is not valid JSON it may fail, never overrun. */
#ifndef SAYSO_CORE_JSON_LOCATE_H
#define SAYSO_CORE_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { JSON_LOCATE_VALUE, JSON_LOCATE_KEY } JsonLocateTarget;

/* Sets *line and *column (1-based, column in characters) and returns true
 * when the path exists and its value starts within length (a member cut off
 * after its colon is not found); otherwise returns false and leaves the
 * deepest position found so far (at least 1:1). Only the first length bytes
 * are read; a NUL byte among them is not JSON and is not skipped. */
bool json_locate(const char *text, size_t length, const char *path, JsonLocateTarget target,
                 int *line, int *column);

#endif
