/* text_cache: draws wrapped text with cached textures.
 *
 * Owns the open fonts (one per pixel size and weight) and the textures of
 * text already drawn, keyed by string, size, weight, colour and wrap width,
 * so a frame that draws the same words again costs one copy. The cache is
 * bounded; the least recently used entries go first.
 *
 * Contract: text_cache_create borrows the renderer, which must outlive it;
 * text_cache_destroy frees fonts and textures. UI thread only. */
#ifndef SAYSO_UI_TEXT_CACHE_H
#define SAYSO_UI_TEXT_CACHE_H

#include <SDL.h>
#include <stdbool.h>

typedef struct TextCache TextCache;

typedef enum { ALIGN_START, ALIGN_CENTER } TextAlign;

typedef struct {
    int px; /* font size in pixels */
    bool bold;
    SDL_Color colour;
    TextAlign align;      /* START is the right edge when rtl */
    bool rtl;             /* the paragraph's direction: the screen's language */
    const char *language; /* BCP 47 code for line breaking and fonts, or NULL */
} TextStyle;

TextCache *text_cache_create(SDL_Renderer *renderer, const char *font_dir);
void text_cache_destroy(TextCache *tc);

/* Size of `text` wrapped at wrap_width; false if it cannot be rendered. */
bool text_measure(TextCache *tc, const char *text, const TextStyle *style, int wrap_width, int *w,
                  int *h);
/* Largest size from style->px down to min_px at which the text fits the box;
 * returns that size (min_px when nothing fits). */
int text_fit(TextCache *tc, const char *text, const TextStyle *style, int min_px, int box_w,
             int box_h);
/* Width of the widest unbreakable piece of text at this style. */
int text_widest_word(TextCache *tc, const char *text, const TextStyle *style);
/* Height in pixels of a capital H of the Latin font at this size: how text
 * size is specified for people (docs/accessibility.md); 0 if unknown. */
int text_cap_height(TextCache *tc, int px, bool bold);
/* Draws inside box, vertically centred; returns the rectangle drawn. */
SDL_Rect text_draw(TextCache *tc, const char *text, const TextStyle *style, SDL_Rect box);
/* Drops every cached texture and zeroes the cached strings before freeing
 * them; called between people so no one's typed words stay in the cache.
 * The fonts stay open. NULL is ignored. */
void text_cache_clear(TextCache *tc);

#endif
