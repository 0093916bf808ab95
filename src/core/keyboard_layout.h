/* keyboard_layout: the on-screen keyboard's keys in each kiosk language, so
 * a person can type a free-text answer in their own script rather than only
 * in English letters. Pure data: the UI draws the rows and adds Space,
 * Delete and the layer switch itself, since those are the same in every
 * language apart from their words (strings.h).
 *
 * Contract: layouts are static const data, never freed, safe from any
 * thread. keyboard_layout_for never returns NULL; every other function takes
 * a layout it returned. Rows list keys left to right as drawn, for
 * right-to-left scripts too: Arabic and Urdu keyboards are not mirrored on
 * real hardware or phones, so the UI must not mirror them either. A key
 * types its whole text at once; most keys are one character, a few are a
 * short sequence (Arabic lam-alef, Bengali letters with nukta), and some
 * are combining marks (vowel signs, harakat) that need a dotted circle or
 * similar base when drawn alone. Out-of-range layers, rows and keys give 0
 * or NULL, so a drawing loop can simply run to the counts. */
#ifndef SAYSO_CORE_KEYBOARD_LAYOUT_H
#define SAYSO_CORE_KEYBOARD_LAYOUT_H

#include <stdbool.h>

enum { KEYBOARD_MAX_LAYERS = 2, KEYBOARD_MAX_ROWS = 4, KEYBOARD_MAX_KEYS = 12 };

typedef struct KeyboardLayout KeyboardLayout;

/* The layout for a BCP 47 code by its primary subtag ("en-GB" is "en");
 * English for NULL or a language without a layout. */
const KeyboardLayout *keyboard_layout_for(const char *language);
/* The primary code the layout is for: "en", "ar"... */
const char *keyboard_layout_language(const KeyboardLayout *k);

/* 1 or 2. Layer 0 is shown first. */
int keyboard_layer_count(const KeyboardLayout *k);
/* True for Latin scripts: layer 1 is layer 0 in capitals, key for key (with
 * caseless keys such as punctuation unchanged), so the UI labels the switch
 * "Capitals" and goes back to layer 0 after one key (docs/decisions.md).
 * False: the layers are separate sets of keys and a switch stays until the
 * person switches back. */
bool keyboard_layer_is_capitals(const KeyboardLayout *k);
/* For a layout without capitals: the text on the key that switches TO this
 * layer, in the layout's own script (a sample of the layer's characters,
 * which people recognise without reading a word). NULL for capitals layouts
 * and out of range. */
const char *keyboard_layer_label(const KeyboardLayout *k, int layer);

/* 1..KEYBOARD_MAX_ROWS for a layer that exists, else 0. */
int keyboard_row_count(const KeyboardLayout *k, int layer);
/* 1..KEYBOARD_MAX_KEYS for a row that exists, else 0. */
int keyboard_key_count(const KeyboardLayout *k, int layer, int row);
/* The UTF-8 text the key types, never empty; NULL out of range. */
const char *keyboard_key(const KeyboardLayout *k, int layer, int row, int index);

#endif
