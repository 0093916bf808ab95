/* text_layout: turns one paragraph of UTF-8 into lines of shaped runs and
 * draws them, right in every script: line breaks from libunibreak (UAX #14),
 * bidirectional levels from fribidi (UAX #9), and each run shaped by
 * SDL_ttf/HarfBuzz with its own font, script and direction. A run's font
 * is chosen per character so no glyph is ever drawn as a missing box.
 *
 * Contract: pure functions over a FontSource the caller owns; the surface
 * a LayoutTarget gives stays the caller's. UI thread only (TTF fonts carry
 * per-call state: direction and script). */
#ifndef SAYSO_UI_TEXT_LAYOUT_H
#define SAYSO_UI_TEXT_LAYOUT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>

#include "core/text.h"

typedef enum {
    FONT_LATIN,      /* Atkinson Hyperlegible: Latin, digits, punctuation */
    FONT_LATIN_WIDE, /* Noto Sans: Latin letters Atkinson lacks (e.g. U+0130) */
    FONT_ARABIC,     /* Noto Sans Arabic */
    FONT_URDU,       /* Noto Nastaliq Urdu: Arabic script when the language is Urdu */
    FONT_BENGALI,    /* Noto Sans Bengali */
    FONT_FAMILY_COUNT
} FontFamily;

typedef struct {
    /* NULL when the family's file is missing or the size cannot be opened. */
    TTF_Font *(*font)(void *ctx, FontFamily family, int px, bool bold);
    void *ctx;
} FontSource;

typedef enum { LAYOUT_ALIGN_START, LAYOUT_ALIGN_CENTER } LayoutAlign;

typedef struct {
    int px;
    bool bold;
    SDL_Color colour;
    LayoutAlign align;    /* START is the left edge, or the right in RTL */
    bool rtl;             /* paragraph direction (the screen's language) */
    const char *language; /* for line breaking and the Urdu font; may be NULL */
} LayoutStyle;

/* Size of the wrapped paragraph (wrap_width <= 0: no wrapping). */
bool text_layout_measure(const FontSource *fonts, const char *utf8, const LayoutStyle *style,
                         int wrap_width, int *w, int *h);
/* Where a paragraph is drawn. begin is called once the paragraph's size
 * is known and returns an ARGB8888 surface of exactly w x h to draw into
 * (every pixel is overwritten), or NULL to give up. The caller can so
 * hand over a texture's own pixels and no copy of the paragraph is made. */
typedef struct {
    SDL_Surface *(*begin)(void *ctx, int w, int h);
    void *ctx;
} LayoutTarget;
/* Lays the paragraph out and draws it into target.begin's surface. False
 * (logged) when it has no size or begin gave no surface. */
bool text_layout_render(const FontSource *fonts, const char *utf8, const LayoutStyle *style,
                        int wrap_width, LayoutTarget target);
/* Width of the widest unbreakable piece: text must not be squeezed below it. */
int text_layout_widest_word(const FontSource *fonts, const char *utf8, const LayoutStyle *style);

#endif
