/* text_cache: paragraphs laid out by text_layout (line breaks, bidi runs,
 * a font per script) behind a small LRU of textures, and the open fonts:
 * one per family and weight, opened on first use and set to each size as
 * it is asked for. */
#include "ui/text_cache.h"

#include <SDL_ttf.h>
#include <fcntl.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "ui/text_layout.h"

/* Textures are bounded by count and by bytes: a long typed answer makes a
 * new, large texture on every key, and 384 of those once took 0.5 GB. The
 * byte budget is TEXTURE_SCREENS windows' worth of pixels (4 MB at
 * 1280x800): kept larger, the textures of screens already left made most
 * of the kiosk's memory (issue 7), and a screen seen again re-renders from
 * the kept measurements and SDL_ttf's glyph caches. */
enum { ENTRY_SLOTS = 384, MEASURE_SLOTS = 512 };
#define TEXTURE_SCREENS 1.0

/* Regular and bold file of each family, in fonts/ (see fonts/README.md). */
static const char *const FONT_FILES[FONT_FAMILY_COUNT][2] = {
    [FONT_LATIN] = {"AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf"},
    [FONT_LATIN_WIDE] = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"},
    [FONT_ARABIC] = {"NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"},
    [FONT_URDU] = {"NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf"},
    [FONT_BENGALI] = {"NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"},
};

typedef struct {
    int px; /* the size the font is set to now */
    TTF_Font *font;
} FontSlot;

typedef struct {
    char *text;
    int px;
    bool bold;
    SDL_Color colour;
    TextAlign align;
    bool rtl;
    char language[16];
    int wrap;
    SDL_Texture *texture;
    int w, h;
    unsigned long long last_used;
} Entry;

/* A measurement: layouts measure the same words at the same sizes on
 * every frame (text_fit tries several), and shaping is most of a frame. */
typedef struct {
    char *text;
    int px;
    bool bold;
    TextAlign align;
    bool rtl;
    char language[16];
    int wrap; /* MEASURE_WIDEST_WORD for text_widest_word */
    bool ok;
    int w, h;
    unsigned long long last_used;
} Measure;

enum { MEASURE_WIDEST_WORD = -1 };

struct TextCache {
    SDL_Renderer *renderer;
    /* The software renderer's textures are plain surfaces: text is drawn
     * straight into them, with no second copy of its pixels on the way. */
    bool software;
    char font_dir[1024];
    bool missing[FONT_FAMILY_COUNT][2]; /* logged once, then not retried */
    /* Each file is mapped once: opened from a file, FreeType seeks and reads
     * it again for every glyph, and each new size reads the tables again.
     * Mapped rather than read, only the pages of glyphs in use are resident
     * (a whole Urdu or Noto file is half a megabyte), and they are clean
     * pages the kernel can drop. */
    void *files[FONT_FAMILY_COUNT][2];
    size_t file_sizes[FONT_FAMILY_COUNT][2];
    FontSlot fonts[FONT_FAMILY_COUNT][2];
    Entry entries[ENTRY_SLOTS];
    Measure measures[MEASURE_SLOTS];
    unsigned long long clock;
};

TextCache *text_cache_create(SDL_Renderer *renderer, const char *font_dir)
{
    TextCache *tc = mem_alloc(sizeof *tc);
    tc->renderer = renderer;
    SDL_RendererInfo info;
    tc->software =
        SDL_GetRendererInfo(renderer, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    snprintf(tc->font_dir, sizeof tc->font_dir, "%s", font_dir);
    init_linebreak();
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", font_dir, FONT_FILES[FONT_LATIN][0]);
    TTF_Font *probe = TTF_OpenFont(path, 16);
    if (!probe) {
        log_error("text", "cannot open font %s: %s", path, TTF_GetError());
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

static void measure_free(Measure *m)
{
    if (m->text) {
        explicit_bzero(m->text, strlen(m->text));
        free(m->text);
    }
    memset(m, 0, sizeof *m);
}

void text_cache_clear(TextCache *tc)
{
    if (!tc)
        return;
    for (int i = 0; i < ENTRY_SLOTS; i++)
        entry_free(&tc->entries[i]);
    for (int i = 0; i < MEASURE_SLOTS; i++)
        measure_free(&tc->measures[i]);
}

void text_cache_destroy(TextCache *tc)
{
    if (!tc)
        return;
    text_cache_clear(tc);
    for (int f = 0; f < FONT_FAMILY_COUNT; f++)
        for (int b = 0; b < 2; b++)
            if (tc->fonts[f][b].font)
                TTF_CloseFont(tc->fonts[f][b].font);
    for (int f = 0; f < FONT_FAMILY_COUNT; f++)
        for (int b = 0; b < 2; b++)
            if (tc->files[f][b])
                munmap(tc->files[f][b], tc->file_sizes[f][b]);
    free(tc);
}

/* The whole file, mapped read-only, or NULL. */
static void *map_file(const char *path, size_t *size)
{
    void *data = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < (1 << 30)) {
        data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED)
            data = NULL;
        else
            *size = (size_t)st.st_size;
    }
    if (fd >= 0)
        close(fd);
    return data;
}

/* One open font per family and weight, set to the size asked for. A font
 * per size would be a FreeType face per size, each with its own copy of
 * HarfBuzz's tables and shape plans (issue 7: memory, and the time to
 * change the text size). The caller uses the font before asking for the
 * same family at another size. */
static TTF_Font *font_get(TextCache *tc, FontFamily family, int px, bool bold)
{
    FontSlot *slot = &tc->fonts[family][bold];
    if (slot->font) {
        if (slot->px != px) {
            if (TTF_SetFontSize(slot->font, px) != 0) {
                log_error("text", "cannot set a font to %d px: %s", px, TTF_GetError());
                return NULL;
            }
            slot->px = px;
        }
        return slot->font;
    }
    if (tc->missing[family][bold])
        return NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", tc->font_dir, FONT_FILES[family][bold]);
    if (!tc->files[family][bold])
        tc->files[family][bold] = map_file(path, &tc->file_sizes[family][bold]);
    SDL_RWops *rw = tc->files[family][bold] ? SDL_RWFromConstMem(tc->files[family][bold],
                                                                 (int)tc->file_sizes[family][bold])
                                            : NULL;
    TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
    if (!font) {
        log_error("text", "cannot open font %s at %d px: %s", path, px, TTF_GetError());
        tc->missing[family][bold] = true;
        return NULL;
    }
    /* No hinting: at the kiosk's sizes (18 px and up) it changes nothing a
     * person can see, and FreeType's bytecode interpreter was a third of
     * the time to lay out a new screen of Arabic (docs/performance-kiosk.md). */
    TTF_SetFontHinting(font, TTF_HINTING_NONE);
    *slot = (FontSlot){px, font};
    return font;
}

static TTF_Font *font_source(void *ctx, FontFamily family, int px, bool bold)
{
    return font_get(ctx, family, px, bold);
}

static LayoutStyle layout_style(const TextStyle *style)
{
    return (LayoutStyle){
        style->px,     style->bold,
        style->colour, style->align == ALIGN_CENTER ? LAYOUT_ALIGN_CENTER : LAYOUT_ALIGN_START,
        style->rtl,    style->language};
}

static bool colour_equal(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static size_t texture_budget(const TextCache *tc)
{
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(tc->renderer, &w, &h) != 0 || w <= 0 || h <= 0) {
        w = 1280;
        h = 800;
    }
    return (size_t)((double)w * h * 4 * TEXTURE_SCREENS);
}

/* Frees least recently used textures until `bytes` more fit the budget. */
static void make_room(TextCache *tc, size_t bytes)
{
    for (;;) {
        size_t used = 0;
        Entry *lru = NULL;
        for (int i = 0; i < ENTRY_SLOTS; i++) {
            Entry *e = &tc->entries[i];
            if (!e->texture)
                continue;
            used += (size_t)e->w * (size_t)e->h * 4;
            if (!lru || e->last_used < lru->last_used)
                lru = e;
        }
        if (!lru || used + bytes <= texture_budget(tc))
            return;
        entry_free(lru);
    }
}

/* The cached texture for this text and style, or NULL; *oldest gets the
 * least recently used slot, for the caller to fill. */
static Entry *entry_find(TextCache *tc, const char *text, const TextStyle *style, int wrap,
                         Entry **oldest)
{
    *oldest = &tc->entries[0];
    tc->clock++;
    for (int i = 0; i < ENTRY_SLOTS; i++) {
        Entry *e = &tc->entries[i];
        if (e->texture && e->px == style->px && e->bold == style->bold && e->wrap == wrap &&
            e->align == style->align && e->rtl == style->rtl &&
            strcmp(e->language, style->language ? style->language : "") == 0 &&
            colour_equal(e->colour, style->colour) && strcmp(e->text, text) == 0) {
            e->last_used = tc->clock;
            return e;
        }
        if (e->last_used < (*oldest)->last_used)
            *oldest = e;
    }
    return NULL;
}

/* Where a new paragraph is drawn: room is made in the budget first, so the
 * cache never holds more than its budget plus one paragraph. */
typedef struct {
    TextCache *tc;
    SDL_Texture *texture; /* software renderer: locked, drawn into directly */
    SDL_Surface *surface; /* other renderers: copied into a texture after */
} RenderTarget;

static SDL_Surface *render_target_begin(void *ctx, int w, int h)
{
    RenderTarget *t = ctx;
    make_room(t->tc, (size_t)w * (size_t)h * 4);
    if (t->tc->software) {
        t->texture = SDL_CreateTexture(t->tc->renderer, SDL_PIXELFORMAT_ARGB8888,
                                       SDL_TEXTUREACCESS_STREAMING, w, h);
        SDL_Surface *pixels = NULL;
        if (t->texture && SDL_LockTextureToSurface(t->texture, NULL, &pixels) == 0)
            return pixels;
    } else {
        t->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (t->surface)
            return t->surface;
    }
    log_error("text", "cannot make a %dx%d text texture: %s", w, h, SDL_GetError());
    return NULL;
}

/* The finished texture, or NULL (logged); frees what begin made. */
static SDL_Texture *render_target_end(RenderTarget *t, bool drawn)
{
    SDL_Texture *texture = NULL;
    if (t->texture) {
        SDL_UnlockTexture(t->texture);
        texture = t->texture;
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    } else if (t->surface && drawn) {
        texture = SDL_CreateTextureFromSurface(t->tc->renderer, t->surface);
        if (!texture)
            log_error("text", "cannot make texture: %s", SDL_GetError());
    }
    SDL_FreeSurface(t->surface);
    if (!drawn && texture) {
        SDL_DestroyTexture(texture);
        texture = NULL;
    }
    return texture;
}

static Entry *entry_get(TextCache *tc, const char *text, const TextStyle *style, int wrap)
{
    Entry *oldest;
    Entry *hit = entry_find(tc, text, style, wrap, &oldest);
    if (hit)
        return hit;
    if (!*text)
        return NULL;
    FontSource fonts = {font_source, tc};
    LayoutStyle ls = layout_style(style);
    RenderTarget target = {tc, NULL, NULL};
    bool drawn =
        text_layout_render(&fonts, text, &ls, wrap, (LayoutTarget){render_target_begin, &target});
    SDL_Texture *texture = render_target_end(&target, drawn);
    if (!texture)
        return NULL;
    int w = 0, h = 0;
    SDL_QueryTexture(texture, NULL, NULL, &w, &h);
    entry_free(oldest);
    *oldest = (Entry){.text = mem_strdup(text),
                      .px = style->px,
                      .bold = style->bold,
                      .colour = style->colour,
                      .align = style->align,
                      .rtl = style->rtl,
                      .wrap = wrap,
                      .texture = texture,
                      .w = w,
                      .h = h,
                      .last_used = tc->clock};
    snprintf(oldest->language, sizeof oldest->language, "%s",
             style->language ? style->language : "");
    return oldest;
}

/* The remembered measurement, or NULL with *slot set to the least
 * recently used one, which the caller refills. */
static Measure *measure_find(TextCache *tc, const char *text, const TextStyle *style, int wrap,
                             Measure **slot)
{
    *slot = &tc->measures[0];
    tc->clock++;
    for (int i = 0; i < MEASURE_SLOTS; i++) {
        Measure *m = &tc->measures[i];
        if (m->text && m->px == style->px && m->bold == style->bold && m->wrap == wrap &&
            m->align == style->align && m->rtl == style->rtl &&
            strcmp(m->language, style->language ? style->language : "") == 0 &&
            strcmp(m->text, text) == 0) {
            m->last_used = tc->clock;
            return m;
        }
        if (m->last_used < (*slot)->last_used)
            *slot = m;
    }
    return NULL;
}

static void measure_keep(TextCache *tc, Measure *slot, const char *text, const TextStyle *style,
                         int wrap, bool ok, int w, int h)
{
    measure_free(slot);
    *slot = (Measure){.text = mem_strdup(text),
                      .px = style->px,
                      .bold = style->bold,
                      .align = style->align,
                      .rtl = style->rtl,
                      .wrap = wrap,
                      .ok = ok,
                      .w = w,
                      .h = h,
                      .last_used = tc->clock};
    snprintf(slot->language, sizeof slot->language, "%s", style->language ? style->language : "");
}

bool text_measure(TextCache *tc, const char *text, const TextStyle *style, int wrap_width, int *w,
                  int *h)
{
    /* Measuring lays the text out without drawing it: text_fit tries
     * several sizes and only the chosen one is ever drawn. */
    Entry *oldest;
    Entry *e = entry_find(tc, text, style, wrap_width, &oldest);
    if (e) {
        *w = e->w;
        *h = e->h;
        return true;
    }
    *w = *h = 0;
    if (!*text)
        return false;
    Measure *slot;
    Measure *m = measure_find(tc, text, style, wrap_width, &slot);
    if (m) {
        *w = m->w;
        *h = m->h;
        return m->ok;
    }
    FontSource fonts = {font_source, tc};
    LayoutStyle ls = layout_style(style);
    bool ok = text_layout_measure(&fonts, text, &ls, wrap_width, w, h);
    measure_keep(tc, slot, text, style, wrap_width, ok, *w, *h);
    return ok;
}

/* Width of the widest unbreakable piece: a word must never be split
 * inside ("Nex t") because the box was narrow. */
int text_widest_word(TextCache *tc, const char *text, const TextStyle *style)
{
    Measure *slot;
    Measure *m = measure_find(tc, text, style, MEASURE_WIDEST_WORD, &slot);
    if (m)
        return m->w;
    FontSource fonts = {font_source, tc};
    LayoutStyle ls = layout_style(style);
    int w = text_layout_widest_word(&fonts, text, &ls);
    measure_keep(tc, slot, text, style, MEASURE_WIDEST_WORD, true, w, 0);
    return w;
}

int text_fit(TextCache *tc, const char *text, const TextStyle *style, int min_px, int box_w,
             int box_h)
{
    TextStyle s = *style;
    for (; s.px > min_px; s.px = s.px * 9 / 10) {
        int w, h;
        if (text_measure(tc, text, &s, box_w, &w, &h) && w <= box_w && h <= box_h &&
            text_widest_word(tc, text, &s) <= box_w)
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
    else if (style->rtl)
        dst.x = box.x + box.w - e->w;
    if (dst.y < box.y)
        dst.y = box.y;
    SDL_RenderCopy(tc->renderer, e->texture, NULL, &dst);
    return dst;
}

int text_cap_height(TextCache *tc, int px, bool bold)
{
    TTF_Font *font = font_get(tc, FONT_LATIN, px, bold);
    int minx, maxx, miny, maxy, advance;
    if (!font || TTF_GlyphMetrics32(font, 'H', &minx, &maxx, &miny, &maxy, &advance) != 0)
        return 0;
    return maxy - miny;
}
