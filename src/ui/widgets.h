/* widgets: the few drawing primitives every screen is made of.
 *
 * Each draws with the device theme and registers what it drew in
 * app->elements, so tests, focus and read-aloud see the same controls.
 * Sizes are in pixels (use app_px for layout units). UI thread only. */
#ifndef SAYSO_UI_WIDGETS_H
#define SAYSO_UI_WIDGETS_H

#include "ui/app.h"

typedef enum {
    BUTTON_PRIMARY,   /* accent fill: Next, Finish, Start */
    BUTTON_SECONDARY, /* surface fill: Back, Skip, Close */
    BUTTON_ANSWER,    /* a choice (an answer, a language): keeps room for the tick */
    BUTTON_KEY,       /* an on-screen key: thin padding, its label shrinks to fit the key */
} ButtonStyle;

typedef enum { LAYOUT_ROW, LAYOUT_TILE } ButtonLayout; /* picture beside / above words */

/* The narrowest LAYOUT_ROW button of this height whose longest word still
 * fits at the smallest button text, in the screen's language. */
int button_min_width(App *app, const char *label, bool picture, int height);

/* The height a LAYOUT_ROW answer button of this width needs to show its
 * words whole at the person's text size, or -1 when a word cannot fit. */
int button_height_for(App *app, const char *label, bool picture, int width);
/* The size of a LAYOUT_ROW button showing its words on one line at the
 * person's text size, or wrapped when that would be wider than max_w. */
void button_size_for(App *app, const char *label, bool picture, int max_w, int *w, int *h);
/* The smallest a button's words shrink to, in pixels, at this text size. */
int button_text_floor(const App *app);

/* Body text sizes in layout units; body text is never below 32 px at 1280x800. */
enum { TEXT_TITLE = 52, TEXT_QUESTION = 44, TEXT_BODY = 34, TEXT_MIN = 32, TARGET_MIN = 96 };

SDL_Color colour_sdl(Colour c);
void draw_fill(App *app, SDL_Rect r, Colour c);
void draw_frame(App *app, SDL_Rect r, int thickness, Colour c);
/* Wrapped text fitted into box (shrinking from px down to min_px at most),
 * registered as visible text; returns the rectangle drawn. */
SDL_Rect draw_text(App *app, const char *text, int px, int min_px, bool bold, TextAlign align,
                   SDL_Rect box);
void draw_picture(App *app, const char *path, SDL_Rect box);
Element *draw_button(App *app, SDL_Rect r, const char *label, const char *picture,
                     ButtonStyle style, ButtonLayout layout, bool selected, bool enabled,
                     int action, int arg);

#endif
