/* text: a piece of wording given in one or more languages.
 *
 * Contract: a Text owns its strings (text_deinit frees them). Lookup never
 * fails on a loaded, checked Text: it falls back to the fallback language and
 * then to the first entry. Pure data; any thread. */
#ifndef SAYSO_CORE_TEXT_H
#define SAYSO_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define LANGUAGE_CODE_MAX 16

typedef struct {
    char language[LANGUAGE_CODE_MAX];
    char *text;
} TextEntry;

typedef struct {
    TextEntry *entries;
    size_t count;
} Text;

void text_deinit(Text *t);
void text_add(Text *t, const char *language, const char *text);
/* The text in `language`, else in `fallback`, else the first; "" if empty. */
const char *text_get(const Text *t, const char *language, const char *fallback);
bool text_has(const Text *t, const char *language);

/* True for codes like "en", "ar", "pt-br": lower-case letters, optional -subtag. */
bool language_code_valid(const char *code);

/* Whether the language is written right to left (ar, ur, fa, he...). */
bool language_is_rtl(const char *language);

#endif
