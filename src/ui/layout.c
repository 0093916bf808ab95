/* layout: one place for the bar geometry so every question screen puts Back,
 * Skip and Next in the same spot; people learn it once. */
#include "ui/layout.h"

#include "ui/access.h"
#include "ui/widgets.h"

/* Wide enough for the longest of the bar's words at this text size. */
static int bar_button_width(App *app, int bar_h)
{
    static const StringId labels[] = {STR_BACK, STR_SKIP, STR_NEXT, STR_FINISH};
    int w = app_px(app, 220);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        w = SDL_max(w, button_min_width(app, app_string(app, labels[i]), true, bar_h));
    return SDL_min(w, (app->width - 2 * app_px(app, 24)) / 4);
}

Frame layout_frame(App *app)
{
    Frame f;
    int m = app_px(app, 24), gap = app_px(app, 16);
    /* Taller when the words need it: a bigger text size, or a script with
     * tall lines such as Arabic or Urdu. */
    int bar_h = app_px(app, 104);
    static const StringId labels[] = {STR_BACK, STR_SKIP, STR_NEXT, STR_FINISH};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0] && app->text_factor > 1.0; i++) {
        int w, h;
        button_size_for(app, app_string(app, labels[i]), true, app->width / 3, &w, &h);
        bar_h = SDL_max(bar_h, h);
    }
    int bar_y = app->height - m - bar_h;
    int top = access_strip_height(app) + m / 2;
    if (app->portrait) {
        int button_w = (app->width - 2 * m - 2 * gap) / 3;
        int progress_h = app_px(app, 90);
        f.back = (SDL_Rect){m, bar_y, button_w, bar_h};
        f.skip = (SDL_Rect){m + button_w + gap, bar_y, button_w, bar_h};
        f.next = (SDL_Rect){app->width - m - button_w, bar_y, button_w, bar_h};
        f.progress = (SDL_Rect){m, bar_y - gap - progress_h, app->width - 2 * m, progress_h};
        f.content = (SDL_Rect){m, top, app->width - 2 * m, f.progress.y - top - gap};
        return f;
    }
    int button_w = bar_button_width(app, bar_h);
    f.content = (SDL_Rect){m, top, app->width - 2 * m, bar_y - top - gap};
    f.back = (SDL_Rect){m, bar_y, button_w, bar_h};
    f.next = (SDL_Rect){app->width - m - button_w, bar_y, button_w, bar_h};
    f.skip = (SDL_Rect){f.next.x - gap - button_w, bar_y, button_w, bar_h};
    int px = f.back.x + f.back.w + gap;
    f.progress = (SDL_Rect){px, bar_y, f.skip.x - gap - px, bar_h};
    return f;
}

SDL_Rect layout_cell(SDL_Rect area, int count, int columns, int gap, int index)
{
    if (columns < 1)
        columns = 1;
    int rows = (count + columns - 1) / columns;
    if (rows < 1)
        rows = 1;
    int w = (area.w - (columns - 1) * gap) / columns;
    int h = (area.h - (rows - 1) * gap) / rows;
    int row = index / columns, col = index % columns;
    return (SDL_Rect){area.x + col * (w + gap), area.y + row * (h + gap), w, h};
}
