/* Tests for the on-screen keyboard layouts: every key is well-formed UTF-8
 * in rows the screen has room for; capitals layers are their letters'
 * capitals key for key (Turkish i/İ and ı/I included); an unknown language
 * gets English. The coverage tests read the shipped texts (assets/strings
 * and every config/questionnaires file) and check that each character, and
 * each word, of a language can be typed on that language's keyboard, so a
 * translation that brings a new letter fails here rather than leaving a
 * person unable to write it. Tests run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyboard_layout.h"

static const char *const LANGUAGES[] = {"en", "ar", "bn", "pl", "so", "tr", "ur"};
enum { LANGUAGE_COUNT = sizeof LANGUAGES / sizeof LANGUAGES[0] };

static bool latin_script(const char *language)
{
    return strcmp(language, "en") == 0 || strcmp(language, "pl") == 0 ||
           strcmp(language, "so") == 0 || strcmp(language, "tr") == 0;
}

/* Length of the well-formed UTF-8 character at text (its code point in *cp),
 * or 0 at the end or for a malformed one: overlong forms, surrogates and
 * code points past U+10FFFF are malformed too. */
static size_t utf8_next(const char *text, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len;
    uint32_t min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return s[0] ? 1 : 0;
    } else if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

static bool utf8_valid(const char *s)
{
    uint32_t cp;
    for (size_t n; *s; s += n)
        if (!(n = utf8_next(s, &cp)))
            return false;
    return true;
}

/* The UTF-8 for cp in out (at least 5 bytes). */
static const char *utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | cp >> 6);
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | cp >> 12);
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | cp >> 18);
        *o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *o = '\0';
    return out;
}

/* The capital of a letter the Latin layouts can have (ASCII, Latin-1,
 * Latin Extended-A); anything else, such as punctuation, is its own
 * capital. Written out rather than towupper so the test does not depend on
 * the machine's locales, and because Turkish pairs i with İ and ı with I. */
static uint32_t capital_of(uint32_t cp, bool turkish)
{
    if (turkish && cp == 'i')
        return 0x130;
    if (cp == 0x131)
        return 'I';
    if (cp >= 'a' && cp <= 'z')
        return cp - 0x20;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 0x20;
    if (cp == 0xFF)
        return 0x178;
    /* Latin Extended-A goes capital, small; from U+0139 to U+0148 and from
     * U+0179 to U+017E the pairs start on an odd code point */
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp % 2 == 0 ? cp - 1 : cp;
    if (cp >= 0x100 && cp <= 0x177 && cp != 0x138 && cp != 0x149)
        return cp % 2 == 1 ? cp - 1 : cp;
    return cp;
}

/* Whether a person needs a key for cp. Not for ASCII other than letters
 * (digits, punctuation, the space, the '%' of placeholders), nor for the
 * no-break space, « », or general punctuation (U+2000..U+206F: dashes, curly
 * quotes, joiners). ASCII letters in a non-Latin text are placeholder
 * letters ("%d"). */
static bool needs_key(uint32_t cp, bool latin)
{
    if (cp < 0x80)
        return latin && ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    if (cp == 0xA0 || cp == 0xAB || cp == 0xBB)
        return false;
    return cp < 0x2000 || cp > 0x206F;
}

/* Whether some key on `layer` (-1: any layer) types exactly `text`. */
static bool key_exists(const KeyboardLayout *k, int layer, const char *text)
{
    for (int l = 0; l < keyboard_layer_count(k); l++) {
        if (layer >= 0 && l != layer)
            continue;
        for (int r = 0; r < keyboard_row_count(k, l); r++)
            for (int i = 0; i < keyboard_key_count(k, l, r); i++)
                if (strcmp(keyboard_key(k, l, r, i), text) == 0)
                    return true;
    }
    return false;
}

/* Whether cp is on some key, alone or as part of a key's sequence (Bengali
 * ় is typed only inside ড় ঢ় য়; the word test checks the sequences fit). */
static bool on_a_key(const KeyboardLayout *k, uint32_t cp)
{
    for (int l = 0; l < keyboard_layer_count(k); l++)
        for (int r = 0; r < keyboard_row_count(k, l); r++)
            for (int i = 0; i < keyboard_key_count(k, l, r); i++) {
                const char *key = keyboard_key(k, l, r, i);
                uint32_t c;
                for (size_t n; (n = utf8_next(key, &c)); key += n)
                    if (c == cp)
                        return true;
            }
    return false;
}

typedef struct {
    char **items;
    size_t count;
} TextList;

static void texts_add(TextList *t, const char *text)
{
    t->items = realloc(t->items, (t->count + 1) * sizeof *t->items);
    assert_non_null(t->items);
    t->items[t->count] = strdup(text);
    assert_non_null(t->items[t->count]);
    t->count++;
}

static void texts_free(TextList *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i]);
    free(t->items);
}

static json_t *load_json(const char *path)
{
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    if (!root)
        fail_msg("%s:%d:%d: %s", path, error.line, error.column, error.text);
    return root;
}

/* Every string under an object key equal to the language code, at any
 * depth: titles, questions, help, answers, and whatever a new format adds. */
static void collect_language(const json_t *v, const char *language, TextList *out)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach((json_t *)v, key, child)
        {
            if (strcmp(key, language) == 0 && json_is_string(child))
                texts_add(out, json_string_value(child));
            collect_language(child, language, out);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child)
        {
            collect_language(child, language, out);
        }
    }
}

/* Everything the kiosk ships in the language: its name and kiosk strings,
 * and its wording in every questionnaire. */
static TextList shipped_texts(const char *language)
{
    TextList texts = {NULL, 0};
    char path[512];
    snprintf(path, sizeof path, "assets/strings/%s.json", language);
    json_t *root = load_json(path);
    const json_t *strings = json_object_get(root, "strings");
    assert_true(json_is_object(strings));
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)strings, key, value)
    {
        assert_true(json_is_string(value));
        texts_add(&texts, json_string_value(value));
    }
    if (json_is_string(json_object_get(root, "name")))
        texts_add(&texts, json_string_value(json_object_get(root, "name")));
    json_decref(root);

    DIR *d = opendir("config/questionnaires");
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "config/questionnaires/%s", e->d_name);
        root = load_json(path);
        collect_language(root, language, &texts);
        json_decref(root);
        files++;
    }
    closedir(d);
    assert_true(files >= 4);
    /* a wrong path or key would find nothing and pass vacuously */
    if (texts.count < 20)
        fail_msg("only %zu %s texts found", texts.count, language);
    return texts;
}

/* Problems for one failure message: whole entries only, so a long list is
 * cut between entries, never inside a character. */
typedef struct {
    char text[800]; /* cmocka cuts a failure message at 1024 bytes */
    size_t length;
    int count;
    bool cut;
} Report;

static void report(Report *r, const char *format, ...)
{
    char entry[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(entry, sizeof entry, format, args);
    va_end(args);
    if (n > 0 && (size_t)n < sizeof entry && r->length + (size_t)n < sizeof r->text) {
        memcpy(r->text + r->length, entry, (size_t)n + 1);
        r->length += (size_t)n;
    } else {
        r->cut = true;
    }
    r->count++;
}

static void test_keys_well_formed(void **state)
{
    (void)state;
    for (size_t n = 0; n < LANGUAGE_COUNT; n++) {
        const KeyboardLayout *k = keyboard_layout_for(LANGUAGES[n]);
        assert_string_equal(keyboard_layout_language(k), LANGUAGES[n]);
        int layers = keyboard_layer_count(k);
        assert_in_range(layers, 1, KEYBOARD_MAX_LAYERS);
        assert_int_equal(keyboard_row_count(k, layers), 0);
        assert_int_equal(keyboard_row_count(k, -1), 0);
        assert_null(keyboard_key(k, layers, 0, 0));
        assert_null(keyboard_layer_label(k, layers));
        for (int l = 0; l < layers; l++) {
            if (keyboard_layer_is_capitals(k)) {
                assert_null(keyboard_layer_label(k, l));
            } else if (layers > 1) {
                const char *label = keyboard_layer_label(k, l);
                assert_non_null(label);
                assert_true(*label && utf8_valid(label));
            }
            int rows = keyboard_row_count(k, l);
            assert_in_range(rows, 1, KEYBOARD_MAX_ROWS);
            assert_int_equal(keyboard_key_count(k, l, rows), 0);
            assert_null(keyboard_key(k, l, rows, 0));
            for (int r = 0; r < rows; r++) {
                int keys = keyboard_key_count(k, l, r);
                assert_in_range(keys, 1, KEYBOARD_MAX_KEYS);
                assert_null(keyboard_key(k, l, r, keys));
                assert_null(keyboard_key(k, l, r, -1));
                for (int i = 0; i < keys; i++) {
                    const char *key = keyboard_key(k, l, r, i);
                    assert_non_null(key);
                    if (!*key || !utf8_valid(key))
                        fail_msg("%s: key %d/%d/%d is empty or not UTF-8", LANGUAGES[n], l, r, i);
                }
            }
        }
    }
}

/* A key typed twice is a copy-and-paste slip that usually hides a missing
 * letter. The one repeat allowed: a capitals layer keeps punctuation where
 * it was, since it has no capital (the capitals test checks it is caseless). */
static void test_keys_unique(void **state)
{
    (void)state;
    for (size_t n = 0; n < LANGUAGE_COUNT; n++) {
        const KeyboardLayout *k = keyboard_layout_for(LANGUAGES[n]);
        for (int l = 0; l < keyboard_layer_count(k); l++)
            for (int r = 0; r < keyboard_row_count(k, l); r++)
                for (int i = 0; i < keyboard_key_count(k, l, r); i++) {
                    const char *key = keyboard_key(k, l, r, i);
                    for (int l2 = l; l2 < keyboard_layer_count(k); l2++)
                        for (int r2 = 0; r2 < keyboard_row_count(k, l2); r2++)
                            for (int i2 = 0; i2 < keyboard_key_count(k, l2, r2); i2++) {
                                bool later = l2 > l || r2 > r || (r2 == r && i2 > i);
                                bool kept_in_capitals =
                                    keyboard_layer_is_capitals(k) && l2 != l && r2 == r && i2 == i;
                                if (later && !kept_in_capitals &&
                                    strcmp(key, keyboard_key(k, l2, r2, i2)) == 0)
                                    fail_msg("%s: \"%s\" is at %d/%d/%d and %d/%d/%d", LANGUAGES[n],
                                             key, l, r, i, l2, r2, i2);
                            }
                }
    }
}

static void test_capitals_are_capitals_of_layer_0(void **state)
{
    (void)state;
    for (size_t n = 0; n < LANGUAGE_COUNT; n++) {
        const KeyboardLayout *k = keyboard_layout_for(LANGUAGES[n]);
        assert_int_equal(keyboard_layer_is_capitals(k), latin_script(LANGUAGES[n]));
        if (!keyboard_layer_is_capitals(k))
            continue;
        bool turkish = strcmp(LANGUAGES[n], "tr") == 0;
        assert_int_equal(keyboard_layer_count(k), 2);
        assert_int_equal(keyboard_row_count(k, 1), keyboard_row_count(k, 0));
        for (int r = 0; r < keyboard_row_count(k, 0); r++) {
            assert_int_equal(keyboard_key_count(k, 1, r), keyboard_key_count(k, 0, r));
            for (int i = 0; i < keyboard_key_count(k, 0, r); i++) {
                const char *small = keyboard_key(k, 0, r, i);
                uint32_t cp;
                size_t len = utf8_next(small, &cp);
                /* one character a key, so one-shot Capitals means one letter */
                assert_true(len > 0 && small[len] == '\0');
                char expected[5];
                utf8_put(capital_of(cp, turkish), expected);
                if (strcmp(keyboard_key(k, 1, r, i), expected) != 0)
                    fail_msg("%s: the capital of \"%s\" is \"%s\", not \"%s\"", LANGUAGES[n], small,
                             expected, keyboard_key(k, 1, r, i));
            }
        }
    }
}

/* Spelled out because it is the classic mistake: Turkish capitals of i and
 * ı are İ and I, so "İstanbul" and "ILIK" come out right. */
static void test_turkish_dotted_and_dotless_i(void **state)
{
    (void)state;
    const KeyboardLayout *k = keyboard_layout_for("tr");
    int found = 0;
    for (int r = 0; r < keyboard_row_count(k, 0); r++)
        for (int i = 0; i < keyboard_key_count(k, 0, r); i++) {
            const char *small = keyboard_key(k, 0, r, i);
            if (strcmp(small, "i") == 0) {
                assert_string_equal(keyboard_key(k, 1, r, i), "İ");
                found++;
            } else if (strcmp(small, "ı") == 0) {
                assert_string_equal(keyboard_key(k, 1, r, i), "I");
                found++;
            }
        }
    assert_int_equal(found, 2);
}

/* Every character of every shipped text in the language is on a key; for
 * Latin scripts, every letter used has its small letter on layer 0 and its
 * capital on the capitals layer. */
static void test_shipped_characters_can_be_typed(void **state)
{
    (void)state;
    Report all = {.length = 0};
    for (size_t n = 0; n < LANGUAGE_COUNT; n++) {
        const char *language = LANGUAGES[n];
        const KeyboardLayout *k = keyboard_layout_for(language);
        bool latin = latin_script(language);
        TextList texts = shipped_texts(language);
        uint32_t missing[256];
        size_t missing_count = 0;
        for (size_t t = 0; t < texts.count; t++) {
            const char *p = texts.items[t];
            assert_true(utf8_valid(p));
            uint32_t cp;
            for (size_t len; (len = utf8_next(p, &cp)); p += len) {
                if (!needs_key(cp, latin))
                    continue;
                bool typeable;
                if (latin && cp < 0x80) {
                    char small[5], capital[5];
                    uint32_t lower = cp | 0x20;
                    typeable = key_exists(k, 0, utf8_put(lower, small)) &&
                               key_exists(k, 1, utf8_put(lower & ~0x20u, capital));
                } else {
                    typeable = on_a_key(k, cp);
                }
                bool listed = false;
                for (size_t m = 0; m < missing_count; m++)
                    listed = listed || missing[m] == cp;
                if (!typeable && !listed && missing_count < sizeof missing / sizeof missing[0])
                    missing[missing_count++] = cp;
            }
        }
        for (size_t m = 0; m < missing_count; m++) {
            char c[5];
            print_message("    %s: U+%04X %s cannot be typed\n", language, (unsigned)missing[m],
                          utf8_put(missing[m], c));
            report(&all, "%s%s U+%04X %s", all.count ? ", " : "", language, (unsigned)missing[m],
                   c);
        }
        texts_free(&texts);
    }
    if (all.count)
        fail_msg("%d characters of the shipped texts have no key: %s%s", all.count, all.text,
                 all.cut ? ", ..." : "");
}

/* Whether the keys can type `text` (length bytes) exactly, one key after
 * another: catches a character that is only inside a sequence key but
 * appears in another sequence (a nukta after the wrong letter). */
static bool typeable_by_keys(const KeyboardLayout *k, const char *text, size_t length)
{
    bool *reached = calloc(length + 1, sizeof *reached);
    assert_non_null(reached);
    reached[0] = true;
    for (size_t at = 0; at < length; at++) {
        if (!reached[at])
            continue;
        for (int l = 0; l < keyboard_layer_count(k); l++)
            for (int r = 0; r < keyboard_row_count(k, l); r++)
                for (int i = 0; i < keyboard_key_count(k, l, r); i++) {
                    const char *key = keyboard_key(k, l, r, i);
                    size_t n = strlen(key);
                    if (n <= length - at && memcmp(text + at, key, n) == 0)
                        reached[at + n] = true;
                }
    }
    bool typeable = reached[length];
    free(reached);
    return typeable;
}

/* Whether every character of the word is on some key: a word with one that
 * is not is the character test's to report. */
static bool all_on_keys(const KeyboardLayout *k, const char *word, size_t length)
{
    uint32_t cp;
    for (size_t at = 0, n; at < length; at += n) {
        n = utf8_next(word + at, &cp);
        if (!on_a_key(k, cp))
            return false;
    }
    return true;
}

/* Every word of the shipped texts (a run of characters that need keys) can
 * be typed key by key, as a person would, when its characters are all on
 * keys; each such word is reported once. */
static void test_shipped_words_can_be_typed(void **state)
{
    (void)state;
    Report all = {.length = 0};
    for (size_t n = 0; n < LANGUAGE_COUNT; n++) {
        const char *language = LANGUAGES[n];
        const KeyboardLayout *k = keyboard_layout_for(language);
        bool latin = latin_script(language);
        TextList texts = shipped_texts(language), reported = {NULL, 0};
        for (size_t t = 0; t < texts.count; t++) {
            assert_true(utf8_valid(texts.items[t]));
            const char *word = NULL;
            for (const char *p = texts.items[t];;) {
                uint32_t cp = 0;
                size_t len = utf8_next(p, &cp);
                bool in_word = len > 0 && needs_key(cp, latin);
                if (in_word && !word)
                    word = p;
                if (!in_word && word) {
                    char *w = strndup(word, (size_t)(p - word));
                    assert_non_null(w);
                    bool seen = false;
                    for (size_t r = 0; r < reported.count; r++)
                        seen = seen || strcmp(reported.items[r], w) == 0;
                    if (!seen && all_on_keys(k, w, strlen(w)) &&
                        !typeable_by_keys(k, w, strlen(w))) {
                        print_message("    %s: \"%s\" cannot be typed key by key\n", language, w);
                        report(&all, "%s%s \"%s\"", all.count ? ", " : "", language, w);
                        texts_add(&reported, w);
                    }
                    free(w);
                    word = NULL;
                }
                if (!len)
                    break;
                p += len;
            }
        }
        texts_free(&reported);
        texts_free(&texts);
    }
    if (all.count)
        fail_msg("%d words of the shipped texts cannot be typed key by key: %s%s", all.count,
                 all.text, all.cut ? ", ..." : "");
}

static void test_unknown_language_gets_english(void **state)
{
    (void)state;
    const KeyboardLayout *en = keyboard_layout_for("en");
    assert_string_equal(keyboard_layout_language(en), "en");
    assert_ptr_equal(keyboard_layout_for(NULL), en);
    assert_ptr_equal(keyboard_layout_for("xx"), en);
    assert_ptr_equal(keyboard_layout_for(""), en);
    assert_ptr_equal(keyboard_layout_for("e"), en);
    assert_ptr_equal(keyboard_layout_for("english"), en);
    assert_ptr_equal(keyboard_layout_for("en-GB"), en);
    /* the primary subtag decides, whatever the region or case */
    assert_string_equal(keyboard_layout_language(keyboard_layout_for("tr-TR")), "tr");
    assert_string_equal(keyboard_layout_language(keyboard_layout_for("ar-EG")), "ar");
    assert_string_equal(keyboard_layout_language(keyboard_layout_for("BN")), "bn");
    assert_ptr_equal(keyboard_layout_for("trk"), en);
    /* Somali shares English's keys but is still Somali's layout */
    assert_string_equal(keyboard_layout_language(keyboard_layout_for("so")), "so");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_well_formed),
        cmocka_unit_test(test_keys_unique),
        cmocka_unit_test(test_capitals_are_capitals_of_layer_0),
        cmocka_unit_test(test_turkish_dotted_and_dotless_i),
        cmocka_unit_test(test_shipped_characters_can_be_typed),
        cmocka_unit_test(test_shipped_words_can_be_typed),
        cmocka_unit_test(test_unknown_language_gets_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
