/* widgets: buttons, text and pictures drawn from the theme. Selection is shown
 * by a thick frame and a tick as well as colour, so it does not rely on
 * colour vision. */
#include "ui/widgets.h"

#include <string.h>

#include "ui/text_layout.h"

SDL_Color colour_sdl(Colour c)
{
    return (SDL_Color){c.r, c.g, c.b, 255};
}

void draw_fill(App *app, SDL_Rect r, Colour c)
{
    r = app_mirror(app, r);
    SDL_SetRenderDrawColor(app->renderer, c.r, c.g, c.b, 255);
    SDL_RenderFillRect(app->renderer, &r);
}

void draw_frame(App *app, SDL_Rect r, int thickness, Colour c)
{
    r = app_mirror(app, r);
    SDL_SetRenderDrawColor(app->renderer, c.r, c.g, c.b, 255);
    for (int i = 0; i < thickness; i++) {
        SDL_Rect edge = {r.x + i, r.y + i, r.w - 2 * i, r.h - 2 * i};
        SDL_RenderDrawRect(app->renderer, &edge);
    }
}

/* The person's size when it fits; else the largest size down to min_px;
 * and when even min_px would spill out of its box (a tall script at the
 * biggest size on a small screen), smaller still, down to the designed
 * floor: words that overlap other words help nobody. */
static int fit_px(App *app, const char *text, const TextStyle *style, int min_px, SDL_Rect box)
{
    int px = text_fit(app->text, text, style, min_px, box.w, box.h);
    int floor_px = app_px(app, TEXT_MIN) * 3 / 4;
    if (px > min_px || min_px <= floor_px)
        return px;
    TextStyle at = *style;
    at.px = px;
    int w = 0, h = 0;
    if (text_measure(app->text, text, &at, box.w, &w, &h) && h <= box.h &&
        text_widest_word(app->text, text, &at) <= box.w)
        return px;
    return text_fit(app->text, text, &at, floor_px, box.w, box.h);
}

SDL_Rect draw_text(App *app, const char *text, int px, int min_px, bool bold, TextAlign align,
                   SDL_Rect box)
{
    TextStyle style = {px,    bold,         colour_sdl(app->theme.text),
                       align, app_rtl(app), app_language(app)};
    box = app_mirror(app, box);
    if (min_px < px)
        style.px = fit_px(app, text, &style, min_px, box);
    SDL_Rect drawn = text_draw(app->text, text, &style, box);
    Element *el = elements_add(&app->elements, ROLE_TEXT, text, drawn);
    el->text_rect = drawn;
    el->text_px = style.px;
    return drawn;
}

void draw_picture(App *app, const char *path, SDL_Rect box)
{
    /* Arrows point the way the screen reads; other pictures keep their
     * meaning and are never flipped. */
    const char *base = strrchr(path, '/');
    const char *name = base ? base + 1 : path;
    bool flip =
        app_rtl(app) && (strncmp(name, "arrow-", 6) == 0 || strcmp(name, "pointing.svg") == 0);
    picture_draw(app->pictures, path, app_mirror(app, box), flip);
}

static Colour darker(Colour c)
{
    return (Colour){(uint8_t)(c.r * 4 / 5), (uint8_t)(c.g * 4 / 5), (uint8_t)(c.b * 4 / 5)};
}

/* Geometry shared by draw_button and button_min_width, so a width worked
 * out ahead is the width the button then draws at. */
static int button_pad(const App *app)
{
    return app_px(app, 12);
}

static int row_picture_side(const App *app, int inner_h)
{
    return SDL_min(inner_h, app_px(app, 88));
}

static TextStyle button_text_style(const App *app, bool bold, Colour ink)
{
    return (TextStyle){app_text_px(app, TEXT_BODY),
                       bold,
                       colour_sdl(ink),
                       ALIGN_START,
                       app_rtl(app),
                       app_language(app)};
}

int button_text_floor(const App *app)
{
    /* At the designed size words may shrink a little to stay whole; once a
     * person has asked for bigger text, they never shrink below body size. */
    return app->text_factor > 1.0 ? app_text_px(app, TEXT_MIN) : app_text_px(app, TEXT_MIN) * 4 / 5;
}

int button_min_width(App *app, const char *label, bool picture, int height)
{
    int pad = button_pad(app), inner_h = height - 2 * pad;
    TextStyle ts = button_text_style(app, false, app->theme.text);
    ts.px = button_text_floor(app); /* the smallest draw_button shrinks to */
    int words = text_widest_word(app->text, label, &ts);
    return words + 2 * pad + (picture ? row_picture_side(app, inner_h) + pad : 0);
}

int button_height_for(App *app, const char *label, bool picture, int width)
{
    int pad = button_pad(app);
    int text_w = width - 2 * pad - app_px(app, 44);
    if (picture)
        text_w -= app_px(app, 88) + pad;
    TextStyle ts = button_text_style(app, false, app->theme.text);
    int w = 0, h = 0;
    if (text_w <= 0 || text_widest_word(app->text, label, &ts) > text_w ||
        !text_measure(app->text, label, &ts, text_w, &w, &h))
        return -1;
    return h + 2 * pad;
}

void button_size_for(App *app, const char *label, bool picture, int max_w, int *w, int *h)
{
    int pad = button_pad(app), extra = 2 * pad + (picture ? app_px(app, 88) + pad : 0);
    TextStyle ts = button_text_style(app, false, app->theme.text);
    int tw = 0, th = 0;
    text_measure(app->text, label, &ts, 0, &tw, &th);
    if (tw + extra > max_w)
        text_measure(app->text, label, &ts, max_w - extra, &tw, &th);
    *w = SDL_min(max_w, tw + extra);
    *h = th + 2 * pad;
}

Element *draw_button(App *app, SDL_Rect r, const char *label, const char *picture,
                     ButtonStyle style, ButtonLayout layout, bool selected, bool enabled,
                     int action, int arg)
{
    const Theme *t = &app->theme;
    Element *el = elements_add(&app->elements, ROLE_BUTTON, label, app_mirror(app, r));
    int index = app->elements.count - 1;
    el->action = action;
    el->arg = arg;
    el->enabled = enabled;
    el->selected = selected;
    el->kind = style == BUTTON_PRIMARY  ? KIND_PRIMARY
               : style == BUTTON_ANSWER ? KIND_ANSWER
                                        : KIND_CONTROL;
    bool pressed = enabled && app->pressed == index;

    Colour fill = style == BUTTON_PRIMARY ? t->accent : t->surface;
    Colour ink = style == BUTTON_PRIMARY ? t->accent_text : t->text;
    if (!enabled) {
        /* Shown as not yet usable by its plain fill and thin frame; its
         * words keep the theme's full contrast so they stay readable. */
        fill = t->surface;
        ink = t->text;
    }
    if (pressed)
        fill = darker(fill);
    draw_fill(app, r, fill);
    int border = app_px(app, 3);
    draw_frame(app, r, selected ? app_px(app, 8) : border,
               selected ? t->accent : (style == BUTTON_PRIMARY ? t->accent : t->text));

    /* A key is a control sized by its row, not by its words: its label gives
     * way to the key rather than spill out of it. */
    bool key = style == BUTTON_KEY;
    int pad = key ? app_px(app, 4) : button_pad(app);
    SDL_Rect inner = {r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
    TextStyle ts = button_text_style(app, style == BUTTON_PRIMARY, ink);
    SDL_Rect text_box = inner;
    if (picture) {
        if (layout == LAYOUT_TILE) {
            int side = SDL_min(inner.w, inner.h / 2);
            SDL_Rect pic = {inner.x + (inner.w - side) / 2, inner.y, side, side};
            draw_picture(app, picture, pic);
            text_box =
                (SDL_Rect){inner.x, inner.y + side + pad / 2, inner.w, inner.h - side - pad / 2};
            ts.align = ALIGN_CENTER;
        } else {
            int side = row_picture_side(app, inner.h);
            SDL_Rect pic = {inner.x, inner.y + (inner.h - side) / 2, side, side};
            draw_picture(app, picture, pic);
            text_box = (SDL_Rect){inner.x + side + pad, inner.y, inner.w - side - pad, inner.h};
        }
    } else {
        ts.align = ALIGN_CENTER;
    }
    int tick_side = app_px(app, 44);
    if (layout == LAYOUT_ROW && style == BUTTON_ANSWER) {
        /* Room for the tick at the end of an answer, selected or not, so
         * choosing never moves or covers its words. */
        text_box.w -= tick_side;
        if (!picture)
            text_box.x += tick_side / 2;
    }
    ts.px = fit_px(app, label, &ts, key ? app_px(app, 16) : button_text_floor(app), text_box);
    el->text_rect = text_draw(app->text, label, &ts, app_mirror(app, text_box));
    el->text_px = ts.px;
    if (selected) {
        int side = tick_side;
        SDL_Rect tick = {r.x + r.w - side - app_px(app, 6), r.y + app_px(app, 6), side, side};
        draw_picture(app, app->tick_picture, tick);
    }
    return el;
}
