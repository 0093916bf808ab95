/* text: per-language wording with a predictable fallback, so that a missing
 * translation shows the default language rather than an empty button. */
#include "core/text.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void text_deinit(Text *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->entries[i].text);
    free(t->entries);
    t->entries = NULL;
    t->count = 0;
}

void text_add(Text *t, const char *language, const char *text)
{
    t->entries = mem_resize(t->entries, t->count + 1, sizeof *t->entries);
    TextEntry *e = &t->entries[t->count++];
    memset(e, 0, sizeof *e);
    strncpy(e->language, language, sizeof e->language - 1);
    e->text = mem_strdup(text);
}

static const TextEntry *text_find(const Text *t, const char *language)
{
    if (!language)
        return NULL;
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->entries[i].language, language) == 0)
            return &t->entries[i];
    return NULL;
}

bool text_has(const Text *t, const char *language)
{
    return text_find(t, language) != NULL;
}

const char *text_get(const Text *t, const char *language, const char *fallback)
{
    const TextEntry *e = text_find(t, language);
    if (!e)
        e = text_find(t, fallback);
    if (!e && t->count > 0)
        e = &t->entries[0];
    return e ? e->text : "";
}

bool language_code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n < 2 || n >= LANGUAGE_CODE_MAX)
        return false;
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (c >= 'a' && c <= 'z') {
            letters++;
        } else if (c == '-' && letters >= 2 && i + 1 < n) {
            letters = 0;
        } else {
            return false;
        }
    }
    return true;
}

bool language_is_rtl(const char *language)
{
    static const char *const RTL[] = {"ar", "ur", "fa", "he", "ps", "ckb", "yi", "dv", "sd"};
    if (!language)
        return false;
    for (size_t i = 0; i < sizeof RTL / sizeof RTL[0]; i++) {
        size_t k = strlen(RTL[i]);
        if (strncmp(language, RTL[i], k) == 0 && (language[k] == '\0' || language[k] == '-'))
            return true;
    }
    return false;
}
