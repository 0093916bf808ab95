/* keyboard_layout: the key tables. Each follows a layout people already
 * know where there is one (QWERTY, Turkish Q, the standard Arabic and Urdu
 * keyboards), so a person who types on a phone finds letters where they
 * expect them; Bengali, with no layout most people share, is in alphabet
 * order. Every character of the shipped texts must be on some key
 * (tests/unit/test_keyboard_layout.c), so a new translation that needs a
 * new letter fails the tests rather than leaving someone unable to type it.
 * Combining marks are written as \u escapes: on their own they are
 * invisible or land on the quote mark in most editors. */
#include "core/keyboard_layout.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* [layer][row][key]; a NULL key ends a row early, a row whose first key is
 * NULL ends the layer, a layer whose first row is empty ends the layout. */
typedef const char *const KeyTable[KEYBOARD_MAX_LAYERS][KEYBOARD_MAX_ROWS][KEYBOARD_MAX_KEYS];

struct KeyboardLayout {
    const char *language;
    bool capitals;
    const char *labels[KEYBOARD_MAX_LAYERS]; /* NULL for capitals layouts */
    const KeyTable *keys;
};

/* English as the kiosk has always had it. Somali is written in these same
 * Latin letters with the apostrophe (su'aal), so it shares the table. */
static const KeyTable QWERTY = {
    {
        {"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "'"},
        {"z", "x", "c", "v", "b", "n", "m", ",", ".", "?"},
    },
    {
        {"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P"},
        {"A", "S", "D", "F", "G", "H", "J", "K", "L", "'"},
        {"Z", "X", "C", "V", "B", "N", "M", ",", ".", "?"},
    },
};

/* Polish typists use QWERTY with the nine letters with diacritics under
 * AltGr; a touch screen has no AltGr, so they get their own row, in
 * alphabet order. */
static const KeyTable POLISH = {
    {
        {"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "'"},
        {"z", "x", "c", "v", "b", "n", "m", ",", ".", "?"},
        {"ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż"},
    },
    {
        {"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P"},
        {"A", "S", "D", "F", "G", "H", "J", "K", "L", "'"},
        {"Z", "X", "C", "V", "B", "N", "M", ",", ".", "?"},
        {"Ą", "Ć", "Ę", "Ł", "Ń", "Ó", "Ś", "Ź", "Ż"},
    },
};

/* Turkish Q, the common Turkish keyboard: dotless ı where QWERTY has i,
 * dotted i beside ş. Capitals are written out because the pairs are i/İ
 * and ı/I, which a toupper would get wrong. â î û (hâlâ, millî) are under
 * AltGr on hardware, so they get a short fourth row. */
static const KeyTable TURKISH = {
    {
        {"q", "w", "e", "r", "t", "y", "u", "ı", "o", "p", "ğ", "ü"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "ş", "i", "'"},
        {"z", "x", "c", "v", "b", "n", "m", "ö", "ç", ",", ".", "?"},
        {"â", "î", "û"},
    },
    {
        {"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "Ğ", "Ü"},
        {"A", "S", "D", "F", "G", "H", "J", "K", "L", "Ş", "İ", "'"},
        {"Z", "X", "C", "V", "B", "N", "M", "Ö", "Ç", ",", ".", "?"},
        {"Â", "Î", "Û"},
    },
};

/* The standard Arabic keyboard (as on phones): its three rows, with ذ
 * (left of 1 on hardware) at the end of the second, and the hamza forms of
 * alef, which hardware keeps under Shift, on a fourth row with the
 * punctuation. The lam-alef key types two letters, as on hardware. Layer 1:
 * Arabic-Indic digits, the harakat (the texts use shadda and tanween) and
 * the punctuation of Arabic quoting. */
static const KeyTable ARABIC = {
    {
        {"ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج", "د"},
        {"ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط", "ذ"},
        {"ئ", "ء", "ؤ", "ر", "لا", "ى", "ة", "و", "ز", "ظ"},
        {"أ", "إ", "آ", "،", ".", "؟"},
    },
    {
        {"١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩", "٠"},
        /* fatha, fathatan, damma, dammatan, kasra, kasratan, shadda, sukun */
        {"\u064E", "\u064B", "\u064F", "\u064C", "\u0650", "\u064D", "\u0651", "\u0652"},
        {"؛", ":", "!", "«", "»"},
    },
};

/* The standard (Microsoft and phone) Urdu keyboard's three unshifted rows,
 * each lengthened with the letters it keeps under Shift, and a fourth row
 * for the rest and the punctuation. Urdu's own letters, not the Arabic
 * look-alikes: ک U+06A9, ی U+06CC, ہ U+06C1, ھ U+06BE. Layer 1: Urdu
 * digits, the vowel marks and three rarer letters. */
static const KeyTable URDU = {
    {
        {"ط", "ص", "ھ", "د", "ٹ", "پ", "ت", "ب", "ج", "ح", "خ", "چ"},
        {"م", "و", "ر", "ن", "ل", "ہ", "ا", "ک", "ی", "گ", "ں"},
        {"ق", "ف", "ے", "س", "ش", "غ", "ع", "ز", "ڑ", "آ", "ء"},
        {"ظ", "ض", "ذ", "ڈ", "ث", "ژ", "ئ", "ؤ", "،", "۔", "؟"},
    },
    {
        {"۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹", "۰"},
        /* zabar, zer, pesh, tashdid, do zabar, khari zabar, jazm */
        {"\u064E", "\u0650", "\u064F", "\u0651", "\u064B", "\u0670", "\u0652"},
        {"ۂ", "ۓ", "ۃ", "؛", ":", "!"},
    },
};

/* Bengali in alphabet (varga) order. Almost every word needs consonants,
 * vowel signs and hasanta together, so they share layer 0 and a word is
 * typed without switching; conjuncts are consonant + hasanta + consonant.
 * Layer 1 has what is needed less often: vowels in their own form (only at
 * the start of a syllable), candrabindu, visarga, the dari, digits. ড় ঢ় য়
 * are typed as letter + nukta, the form Unicode normalisation gives and the
 * shipped texts use, so typed words match stored words. */
static const KeyTable BENGALI = {
    {
        {"ক", "খ", "গ", "ঘ", "ঙ", "চ", "ছ", "জ", "ঝ", "ঞ", "ট", "ঠ"},
        {"ড", "ঢ", "ণ", "ত", "থ", "দ", "ধ", "ন", "প", "ফ", "ব", "ভ"},
        {"ম", "য", "র", "ল", "শ", "ষ", "স", "হ", "ড\u09BC", "ঢ\u09BC", "য\u09BC", "ৎ"},
        /* vowel signs aa, i, ii, u, uu, vocalic r, e, ai, o, au; hasanta;
         * anusvara */
        {"\u09BE", "\u09BF", "\u09C0", "\u09C1", "\u09C2", "\u09C3", "\u09C7", "\u09C8", "\u09CB",
         "\u09CC", "\u09CD", "\u0982"},
    },
    {
        {"অ", "আ", "ই", "ঈ", "উ", "ঊ", "ঋ", "এ", "ঐ", "ও", "ঔ"},
        /* candrabindu, visarga, then the dari and Latin punctuation */
        {"\u0981", "\u0983", "।", ",", "?", "!"},
        {"১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯", "০"},
    },
};

/* English first: it is the fallback. */
static const KeyboardLayout LAYOUTS[] = {
    {.language = "en", .capitals = true, .keys = &QWERTY},
    {.language = "ar", .labels = {"أ ب ت", "١٢٣"}, .keys = &ARABIC},
    {.language = "bn", .labels = {"কখগ", "অআই"}, .keys = &BENGALI},
    {.language = "pl", .capitals = true, .keys = &POLISH},
    {.language = "so", .capitals = true, .keys = &QWERTY},
    {.language = "tr", .capitals = true, .keys = &TURKISH},
    {.language = "ur", .labels = {"ا ب پ", "۱۲۳"}, .keys = &URDU},
};

const KeyboardLayout *keyboard_layout_for(const char *language)
{
    if (!language)
        return &LAYOUTS[0];
    size_t primary = strcspn(language, "-");
    for (size_t i = 0; i < sizeof LAYOUTS / sizeof LAYOUTS[0]; i++) {
        const char *code = LAYOUTS[i].language;
        /* BCP 47 codes are case-insensitive: "EN-gb" is still English */
        if (strlen(code) == primary && strncasecmp(code, language, primary) == 0)
            return &LAYOUTS[i];
    }
    return &LAYOUTS[0];
}

const char *keyboard_layout_language(const KeyboardLayout *k)
{
    return k->language;
}

int keyboard_row_count(const KeyboardLayout *k, int layer)
{
    if (layer < 0 || layer >= KEYBOARD_MAX_LAYERS)
        return 0;
    int rows = 0;
    while (rows < KEYBOARD_MAX_ROWS && (*k->keys)[layer][rows][0])
        rows++;
    return rows;
}

int keyboard_layer_count(const KeyboardLayout *k)
{
    int layers = 0;
    while (layers < KEYBOARD_MAX_LAYERS && keyboard_row_count(k, layers) > 0)
        layers++;
    return layers;
}

bool keyboard_layer_is_capitals(const KeyboardLayout *k)
{
    return k->capitals;
}

const char *keyboard_layer_label(const KeyboardLayout *k, int layer)
{
    if (k->capitals || layer < 0 || layer >= keyboard_layer_count(k))
        return NULL;
    return k->labels[layer];
}

int keyboard_key_count(const KeyboardLayout *k, int layer, int row)
{
    if (row < 0 || row >= keyboard_row_count(k, layer))
        return 0;
    int keys = 0;
    while (keys < KEYBOARD_MAX_KEYS && (*k->keys)[layer][row][keys])
        keys++;
    return keys;
}

const char *keyboard_key(const KeyboardLayout *k, int layer, int row, int index)
{
    if (index < 0 || index >= keyboard_key_count(k, layer, row))
        return NULL;
    return (*k->keys)[layer][row][index];
}
