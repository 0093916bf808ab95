/* picture_cache: questionnaire and UI pictures as textures, at the size drawn.
 *
 * SVGs are rasterised by SDL2_image at exactly the requested size (sharp at
 * any screen size); PNGs are loaded once and scaled by the renderer. A file
 * that cannot be loaded is logged once and drawn as nothing: the words beside
 * a picture always carry the meaning.
 *
 * Contract: borrows the renderer; picture_cache_destroy frees every texture.
 * UI thread only. */
#ifndef SAYSO_UI_PICTURE_CACHE_H
#define SAYSO_UI_PICTURE_CACHE_H

#include <SDL.h>
#include <stdbool.h>

typedef struct PictureCache PictureCache;

PictureCache *picture_cache_create(SDL_Renderer *renderer);
void picture_cache_destroy(PictureCache *pc);
/* Draws the picture at `path` fitted into box, keeping its aspect ratio. */
/* flip: mirrored left-right (arrows on right-to-left screens). */
void picture_draw(PictureCache *pc, const char *path, SDL_Rect box, bool flip);

#endif
