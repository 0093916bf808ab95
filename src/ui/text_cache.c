/* text_cache: SDL2_ttf rendering behind a small LRU of textures. Wrapping is
 * SDL2_ttf's own for now; the easy-read issue replaces it with libunibreak
 * line breaking and fribidi runs behind this same interface. */
#include "ui/text_cache.h"

#include <SDL_ttf.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum { FONT_SLOTS = 24, ENTRY_SLOTS = 384 };

typedef struct {
    int px;
    bool bold;
    TTF_Font *font;
} FontSlot;

typedef struct {
    char *text;
    int px;
    bool bold;
    SDL_Color colour;
    TextAlign align;
    int wrap;
    SDL_Texture *texture;
    int w, h;
    unsigned long long last_used;
} Entry;

struct TextCache {
    SDL_Renderer *renderer;
    char regular_path[1024];
    char bold_path[1024];
    FontSlot fonts[FONT_SLOTS];
    int font_count;
    Entry entries[ENTRY_SLOTS];
    unsigned long long clock;
};

TextCache *text_cache_create(SDL_Renderer *renderer, const char *font_dir)
{
    TextCache *tc = mem_alloc(sizeof *tc);
    tc->renderer = renderer;
    snprintf(tc->regular_path, sizeof tc->regular_path, "%s/AtkinsonHyperlegible-Regular.ttf",
             font_dir);
    snprintf(tc->bold_path, sizeof tc->bold_path, "%s/AtkinsonHyperlegible-Bold.ttf", font_dir);
    TTF_Font *probe = TTF_OpenFont(tc->regular_path, 16);
    if (!probe) {
        log_error("text", "cannot open font %s: %s", tc->regular_path, TTF_GetError());
        free(tc);
        return NULL;
    }
    TTF_CloseFont(probe);
    return tc;
}

static void entry_free(Entry *e)
{
    /* Keys include what a person typed; zero them so the next person's
     * session cannot find the words in freed memory. */
    if (e->text) {
        explicit_bzero(e->text, strlen(e->text));
        free(e->text);
    }
    if (e->texture)
        SDL_DestroyTexture(e->texture);
    memset(e, 0, sizeof *e);
}

void text_cache_clear(TextCache *tc)
{
    if (!tc)
        return;
    for (int i = 0; i < ENTRY_SLOTS; i++)
        entry_free(&tc->entries[i]);
}

void text_cache_destroy(TextCache *tc)
{
    if (!tc)
        return;
    text_cache_clear(tc);
    for (int i = 0; i < tc->font_count; i++)
        TTF_CloseFont(tc->fonts[i].font);
    free(tc);
}

static TTF_Font *font_get(TextCache *tc, int px, bool bold)
{
    for (int i = 0; i < tc->font_count; i++)
        if (tc->fonts[i].px == px && tc->fonts[i].bold == bold)
            return tc->fonts[i].font;
    TTF_Font *font = TTF_OpenFont(bold ? tc->bold_path : tc->regular_path, px);
    if (!font) {
        log_error("text", "cannot open font at %d px: %s", px, TTF_GetError());
        return NULL;
    }
    if (tc->font_count == FONT_SLOTS) {
        /* Sizes come from a small set per screen size; recycling the oldest
         * slot keeps memory bounded if the window is resized many times. */
        TTF_CloseFont(tc->fonts[0].font);
        memmove(tc->fonts, tc->fonts + 1, sizeof tc->fonts[0] * (FONT_SLOTS - 1));
        tc->font_count--;
        text_cache_clear(tc);
    }
    tc->fonts[tc->font_count++] = (FontSlot){px, bold, font};
    return font;
}

static bool colour_equal(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static Entry *entry_get(TextCache *tc, const char *text, const TextStyle *style, int wrap)
{
    Entry *oldest = &tc->entries[0];
    tc->clock++;
    for (int i = 0; i < ENTRY_SLOTS; i++) {
        Entry *e = &tc->entries[i];
        if (e->texture && e->px == style->px && e->bold == style->bold && e->wrap == wrap &&
            e->align == style->align && colour_equal(e->colour, style->colour) &&
            strcmp(e->text, text) == 0) {
            e->last_used = tc->clock;
            return e;
        }
        if (e->last_used < oldest->last_used)
            oldest = e;
    }
    TTF_Font *font = font_get(tc, style->px, style->bold);
    if (!font || !*text)
        return NULL;
    TTF_SetFontWrappedAlign(font, style->align == ALIGN_CENTER ? TTF_WRAPPED_ALIGN_CENTER
                                                               : TTF_WRAPPED_ALIGN_LEFT);
    SDL_Surface *surface =
        TTF_RenderUTF8_Blended_Wrapped(font, text, style->colour, (Uint32)(wrap > 0 ? wrap : 0));
    if (!surface) {
        log_error("text", "cannot render text: %s", TTF_GetError());
        return NULL;
    }
    SDL_Texture *texture = SDL_CreateTextureFromSurface(tc->renderer, surface);
    int w = surface->w, h = surface->h;
    SDL_FreeSurface(surface);
    if (!texture) {
        log_error("text", "cannot make texture: %s", SDL_GetError());
        return NULL;
    }
    entry_free(oldest);
    *oldest = (Entry){mem_strdup(text), style->px, style->bold, style->colour, style->align, wrap,
                      texture,          w,         h,           tc->clock};
    return oldest;
}

bool text_measure(TextCache *tc, const char *text, const TextStyle *style, int wrap_width, int *w,
                  int *h)
{
    Entry *e = entry_get(tc, text, style, wrap_width);
    *w = e ? e->w : 0;
    *h = e ? e->h : 0;
    return e != NULL;
}

/* Width of the widest word at this style: SDL_ttf breaks a word that is
 * wider than the line inside the word ("Nex t"), which must never happen. */
static int widest_word(TextCache *tc, const char *text, const TextStyle *style)
{
    TTF_Font *font = font_get(tc, style->px, style->bold);
    int widest = 0;
    const char *p = text;
    char word[256];
    while (font && *p) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \n");
        if (n == 0)
            break;
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        int w = 0, h = 0;
        if (TTF_SizeUTF8(font, word, &w, &h) == 0 && w > widest)
            widest = w;
        p += n;
    }
    explicit_bzero(word, sizeof word); /* may hold a typed word */
    return widest;
}

int text_fit(TextCache *tc, const char *text, const TextStyle *style, int min_px, int box_w,
             int box_h)
{
    TextStyle s = *style;
    for (; s.px > min_px; s.px = s.px * 9 / 10) {
        int w, h;
        if (text_measure(tc, text, &s, box_w, &w, &h) && w <= box_w && h <= box_h &&
            widest_word(tc, text, &s) <= box_w)
            return s.px;
    }
    return min_px;
}

SDL_Rect text_draw(TextCache *tc, const char *text, const TextStyle *style, SDL_Rect box)
{
    Entry *e = entry_get(tc, text, style, box.w);
    if (!e)
        return (SDL_Rect){box.x, box.y, 0, 0};
    SDL_Rect dst = {box.x, box.y + (box.h - e->h) / 2, e->w, e->h};
    if (style->align == ALIGN_CENTER)
        dst.x = box.x + (box.w - e->w) / 2;
    if (dst.y < box.y)
        dst.y = box.y;
    SDL_RenderCopy(tc->renderer, e->texture, NULL, &dst);
    return dst;
}
