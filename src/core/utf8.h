/* utf8: reading UTF-8 one character at a time, and the "plain text" rule
 * for short names (event names, sessions, site names).
 *
 * Well-formed means RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF. jansson's json_string refuses exactly the rest, so text accepted
 * here can always be saved and sent.
 *
 * Contract: pure functions over NUL-terminated text; any thread. */
#ifndef SAYSO_CORE_UTF8_H
#define SAYSO_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the sequence at text with its code point in *cp (may be NULL),
 * or 0 when it is not well-formed; the NUL terminator ends a cut sequence. */
size_t utf8_decode(const char *text, uint32_t *cp);
/* Well-formed UTF-8 of min_chars..max_chars characters with no control
 * character (C0, DEL, C1, line and paragraph separators): one line that
 * reads the same in a listing, a log or a spreadsheet. */
bool utf8_plain_text(const char *s, size_t min_chars, size_t max_chars);

#endif
