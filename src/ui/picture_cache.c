/* picture_cache: a bounded LRU of picture textures keyed by path and size. */
#include "ui/picture_cache.h"

#include <SDL_image.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum { PICTURE_SLOTS = 160 };

typedef struct {
    char *path;
    int size; /* requested box side for SVG, 0 for bitmaps */
    SDL_Texture *texture;
    bool failed;
    int w, h;
    unsigned long long last_used;
} Slot;

struct PictureCache {
    SDL_Renderer *renderer;
    Slot slots[PICTURE_SLOTS];
    unsigned long long clock;
};

PictureCache *picture_cache_create(SDL_Renderer *renderer)
{
    PictureCache *pc = mem_alloc(sizeof *pc);
    pc->renderer = renderer;
    return pc;
}

static void slot_free(Slot *s)
{
    free(s->path);
    if (s->texture)
        SDL_DestroyTexture(s->texture);
    memset(s, 0, sizeof *s);
}

void picture_cache_destroy(PictureCache *pc)
{
    if (!pc)
        return;
    for (int i = 0; i < PICTURE_SLOTS; i++)
        slot_free(&pc->slots[i]);
    free(pc);
}

static bool is_svg(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && SDL_strcasecmp(path + n - 4, ".svg") == 0;
}

static Slot *slot_get(PictureCache *pc, const char *path, int size)
{
    bool svg = is_svg(path);
    int key = svg ? size : 0;
    Slot *oldest = &pc->slots[0];
    pc->clock++;
    for (int i = 0; i < PICTURE_SLOTS; i++) {
        Slot *s = &pc->slots[i];
        if (s->path && s->size == key && strcmp(s->path, path) == 0) {
            s->last_used = pc->clock;
            return s;
        }
        if (s->last_used < oldest->last_used)
            oldest = s;
    }
    slot_free(oldest);
    oldest->path = mem_strdup(path);
    oldest->size = key;
    oldest->last_used = pc->clock;
    SDL_Surface *surface = NULL;
    if (svg) {
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        surface = rw ? IMG_LoadSizedSVG_RW(rw, size, size) : NULL;
        if (rw)
            SDL_RWclose(rw);
    } else {
        surface = IMG_Load(path);
    }
    if (surface) {
        oldest->texture = SDL_CreateTextureFromSurface(pc->renderer, surface);
        oldest->w = surface->w;
        oldest->h = surface->h;
        SDL_FreeSurface(surface);
    }
    if (!oldest->texture) {
        oldest->failed = true;
        log_warn("picture", "cannot load %s: %s", path, IMG_GetError());
    }
    return oldest;
}

void picture_draw(PictureCache *pc, const char *path, SDL_Rect box, bool flip)
{
    if (!path || box.w <= 0 || box.h <= 0)
        return;
    int side = box.w < box.h ? box.w : box.h;
    Slot *s = slot_get(pc, path, side);
    if (s->failed || s->w <= 0 || s->h <= 0)
        return;
    double scale = SDL_min((double)box.w / s->w, (double)box.h / s->h);
    int w = (int)(s->w * scale), h = (int)(s->h * scale);
    SDL_Rect dst = {box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h};
    SDL_RenderCopyEx(pc->renderer, s->texture, NULL, &dst, 0, NULL,
                     flip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
}
