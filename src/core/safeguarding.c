/* safeguarding: finds staff-configured risk words in typed answers. Entries
 * and text are normalised to arrays of code points with the same rules
 * (case, spaces, dashes, apostrophes, invisible marks), then each entry is
 * looked for with a plain scan: a kiosk answer is at most a few thousand
 * characters and a list a few dozen entries, so nothing cleverer is needed.
 * The rules are in safeguarding.h. */
#include "core/safeguarding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"

typedef struct {
    uint32_t *chars; /* normalised */
    size_t length;
    bool word_start; /* must begin a word in the text */
} RiskEntry;

struct RiskWords {
    RiskEntry *entries;
    size_t count;
};

/* Chosen for a mental-health service: thoughts of suicide or self-harm,
 * abuse and violence, and not feeling safe. Entries are word starts, so
 * "suicid" covers suicide and suicidal, "overdos" overdose and overdosed.
 * A false alarm costs a calm screen and a look from staff; a miss costs
 * more, so the phrases are generous. */
static const char *const DEFAULT_ENGLISH[] = {
    "suicid",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "take my own life",
    "want to die",
    "wanna die",
    "better off dead",
    "no reason to live",
    "don't want to live",
    "self harm",
    "harm myself",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "overdos",
    "abus",
    "hurt me",
    "hits me",
    "rape",
    "assault",
    "violen",
    "touching me",
    "not safe",
    "don't feel safe",
    "unsafe",
    "threaten",
};

/* Marks people may or may not type that do not change the word. */
static bool is_ignored(uint32_t c)
{
    return c == 0x00AD                     /* soft hyphen */
           || (c >= 0x200B && c <= 0x200D) /* zero-width space, non-joiner, joiner */
           || c == 0x2060 || c == 0xFEFF   /* word joiner, BOM */
           || c == 0x0640                  /* Arabic tatweel */
           || (c >= 0x064B && c <= 0x065F) || c == 0x0670; /* Arabic vowel marks */
}

/* White space and dashes, which all become one space. */
static bool is_separator(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == '-' || c == 0x00A0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || (c >= 0x2010 && c <= 0x2015) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x2212 || c == 0x3000;
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == '`' || c == 0x00B4 || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

/* Simple case folding for ASCII and Latin U+00C0..U+024F. Only letters
 * with a one-to-one upper/lower pair are folded; a few irregular Latin
 * Extended-B letters are left as written, which only means they must be
 * typed in the entry's case. */
static uint32_t fold(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if (c == 0x130 || c == 0x131) /* Turkish İ and ı: both read as i */
        return 'i';
    if (c == 0x178)
        return 0xFF; /* Ÿ */
    if (c == 0x17F)
        return 's'; /* long s */
    switch (c) {    /* the digraphs come in threes: DŽ Dž dž */
    case 0x1C4:
    case 0x1C5: return 0x1C6;
    case 0x1C7:
    case 0x1C8: return 0x1C9;
    case 0x1CA:
    case 0x1CB: return 0x1CC;
    case 0x1F1:
    case 0x1F2: return 0x1F3;
    default: break;
    }
    bool even_upper = (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
                      (c >= 0x1DE && c <= 0x1EF) || c == 0x1F4 || (c >= 0x1F8 && c <= 0x21F) ||
                      (c >= 0x222 && c <= 0x233);
    bool odd_upper =
        (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x1CD && c <= 0x1DC);
    if ((even_upper && c % 2 == 0) || (odd_upper && c % 2 == 1))
        return c + 1;
    return c;
}

static bool is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_latin_letter(uint32_t c)
{
    return c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7;
}

/* Whether c, just before a match, would make it the middle of a word. Any
 * script's letters and digits would, so beyond ASCII everything counts as
 * one except the punctuation, symbol and emoji blocks people type next to
 * words ("“kill", "¿", "😢kill"). */
static bool is_word_char(uint32_t c)
{
    static const struct {
        uint32_t first, last;
    } NOT_WORD[] = {
        {0x0080, 0x00BF},   /* Latin-1 controls, punctuation, symbols */
        {0x00D7, 0x00D7},   /* × */
        {0x00F7, 0x00F7},   /* ÷ */
        {0x060C, 0x060C},   /* Arabic comma */
        {0x061B, 0x061B},   /* Arabic semicolon */
        {0x061F, 0x061F},   /* Arabic question mark */
        {0x066A, 0x066D},   /* Arabic percent, separators, star */
        {0x06D4, 0x06D4},   /* Urdu full stop */
        {0x0964, 0x0965},   /* danda, double danda (Bengali, Hindi) */
        {0x2000, 0x2BFF},   /* general punctuation, symbols, arrows, shapes */
        {0x3000, 0x303F},   /* CJK punctuation */
        {0xFE00, 0xFE0F},   /* variation selectors after emoji */
        {0xFE10, 0xFE1F},   /* vertical forms */
        {0xFE30, 0xFE6F},   /* CJK compatibility and small forms */
        {0xFF01, 0xFF0F},   /* full-width punctuation */
        {0xFF1A, 0xFF20},   /* */
        {0xFF3B, 0xFF40},   /* */
        {0xFF5B, 0xFF65},   /* */
        {0xFFF0, 0xFFFF},   /* specials, replacement character */
        {0x1F000, 0x1FAFF}, /* emoji, pictographs */
    };
    if (c < 0x80)
        return is_ascii_alnum(c);
    for (size_t i = 0; i < sizeof NOT_WORD / sizeof NOT_WORD[0]; i++)
        if (c >= NOT_WORD[i].first && c <= NOT_WORD[i].last)
            return false;
    return true;
}

static void wipe_chars(uint32_t *chars, size_t count)
{
    volatile uint32_t *p = chars;
    for (size_t i = 0; i < count; i++)
        p[i] = 0;
}

/* The normalised code points of s in a new array (*out, *length), with no
 * space at either end. False, with nothing allocated, when s is not valid
 * UTF-8. */
static bool normalise(const char *s, uint32_t **out, size_t *length)
{
    size_t bytes = strlen(s);
    /* never more code points than bytes */
    uint32_t *chars = mem_array(bytes + 1, sizeof *chars);
    size_t n = 0;
    bool space = false;
    for (const char *p = s; *p;) {
        uint32_t c;
        size_t step = utf8_decode(p, &c);
        if (step == 0) {
            wipe_chars(chars, n);
            free(chars);
            return false;
        }
        p += step;
        if (is_ignored(c))
            continue;
        if (is_separator(c)) {
            space = n > 0;
            continue;
        }
        if (space)
            chars[n++] = ' ';
        space = false;
        chars[n++] = is_apostrophe(c) ? '\'' : fold(c);
    }
    *out = chars;
    *length = n;
    return true;
}

/* Whether entry e occurs in text t at index i. A space or apostrophe in the
 * entry may be missing from the text and an apostrophe in the text may be
 * missing from the entry. Taking a matching optional character whenever the
 * text has it is never wrong, since the text has no two spaces in a row and
 * an entry never has a space next to a space. */
static bool match_at(const uint32_t *t, size_t tn, size_t i, const RiskEntry *e)
{
    for (size_t j = 0; j < e->length;) {
        uint32_t c = e->chars[j];
        if (c == ' ' || c == '\'') {
            if (i < tn && t[i] == c)
                i++;
            j++;
        } else if (i < tn && t[i] == '\'') {
            i++;
        } else if (i < tn && t[i] == c) {
            i++;
            j++;
        } else {
            return false;
        }
    }
    return true;
}

static bool entry_found(const uint32_t *t, size_t tn, const RiskEntry *e)
{
    for (size_t i = 0; i < tn; i++) {
        if (e->word_start && i > 0 && is_word_char(t[i - 1]))
            continue;
        if (match_at(t, tn, i, e))
            return true;
    }
    return false;
}

RiskWords *risk_words_create(void)
{
    return mem_alloc(sizeof(RiskWords));
}

void risk_words_destroy(RiskWords *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free(w->entries[i].chars);
    free(w->entries);
    free(w);
}

bool risk_words_add(RiskWords *w, const char *language, const char *entry)
{
    if (!w || !language || !entry || !language_code_valid(language))
        return false;
    uint32_t *chars;
    size_t length;
    if (!normalise(entry, &chars, &length))
        return false;
    /* An entry of only spaces and apostrophes would be all optional and
     * match every text. */
    bool solid = false;
    for (size_t i = 0; i < length && !solid; i++)
        solid = chars[i] != ' ' && chars[i] != '\'';
    if (!solid) {
        free(chars);
        return false;
    }
    for (size_t i = 0; i < w->count; i++) {
        const RiskEntry *other = &w->entries[i];
        if (other->length == length && memcmp(other->chars, chars, length * sizeof *chars) == 0) {
            free(chars);
            return true;
        }
    }
    w->entries = mem_resize(w->entries, w->count + 1, sizeof *w->entries);
    RiskEntry *e = &w->entries[w->count++];
    e->chars = chars;
    e->length = length;
    e->word_start = is_ascii_alnum(chars[0]) || is_latin_letter(chars[0]);
    return true;
}

size_t risk_words_count(const RiskWords *w)
{
    return w ? w->count : 0;
}

void risk_words_add_defaults(RiskWords *w)
{
    for (size_t i = 0; i < sizeof DEFAULT_ENGLISH / sizeof DEFAULT_ENGLISH[0]; i++)
        risk_words_add(w, "en", DEFAULT_ENGLISH[i]);
}

bool risk_words_match(const RiskWords *w, const char *text)
{
    if (!w || !text || w->count == 0)
        return false;
    uint32_t *chars;
    size_t length;
    if (!normalise(text, &chars, &length))
        return false;
    bool found = false;
    for (size_t i = 0; i < w->count && !found; i++)
        found = entry_found(chars, length, &w->entries[i]);
    /* the text is a person's words: leave no copy behind */
    wipe_chars(chars, length);
    free(chars);
    return found;
}

bool risk_words_match_answers(const RiskWords *w, const Questionnaire *q, const json_t *answers)
{
    if (!w || !q || !json_is_object(answers))
        return false;
    for (size_t i = 0; i < q->question_count; i++) {
        const Question *question = &q->questions[i];
        if (question->type != QUESTION_TEXT)
            continue;
        const json_t *value = json_object_get(answers, question->id);
        if (json_is_string(value) && risk_words_match(w, json_string_value(value)))
            return true;
    }
    return false;
}
