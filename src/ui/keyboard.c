/* keyboard: lays out keyboard_layout's rows as buttons and maps a pressed
 * button back to its key. */
#include "ui/keyboard.h"

#include <stdio.h>
#include <string.h>

#include "core/keyboard_layout.h"
#include "ui/access.h"
#include "ui/layout.h"
#include "ui/widgets.h"

enum { KEY_SPACE = -1, KEY_DELETE = -2, KEY_LAYER = -3 };

/* A letter key's arg packs where it is. */
static int key_arg(int layer, int row, int index)
{
    return layer * 10000 + row * 100 + index;
}

static const KeyboardLayout *layout(const App *app)
{
    return keyboard_layout_for(app_language(app));
}

static int key_gap(const App *app)
{
    return app_px(app, 8);
}

/* Rows of the layer with the most, plus the row of space and delete: the
 * keyboard keeps one height whichever layer shows. */
static int most_rows(const App *app)
{
    const KeyboardLayout *k = layout(app);
    int most = 0;
    for (int layer = 0; layer < keyboard_layer_count(k); layer++)
        most = SDL_max(most, keyboard_row_count(k, layer));
    return most + 1;
}

int keyboard_height(const App *app, int key_h)
{
    int rows = most_rows(app);
    return rows * key_h + (rows - 1) * key_gap(app);
}

int keyboard_key_height(const App *app, int area_h)
{
    int rows = most_rows(app);
    return SDL_min(app_px(app, KEY_TALLEST), (area_h - (rows - 1) * key_gap(app)) / rows);
}

void keyboard_draw(App *app, SDL_Rect area, int action)
{
    const KeyboardLayout *k = layout(app);
    int layer = app->key_layer < keyboard_layer_count(k) ? app->key_layer : 0;
    int gap = key_gap(app);
    int letter_rows = keyboard_row_count(k, layer);
    int key_h = keyboard_key_height(app, area.h);
    /* Keys are controls, like the access strip: their letters stop growing
     * at Big, so the room goes to the keys themselves. */
    double factor = app->text_factor;
    app->text_factor = SDL_min(factor, access_text_factor(TEXT_STEP_MIN + 1));
    int columns = 0;
    for (int r = 0; r < letter_rows; r++)
        columns = SDL_max(columns, keyboard_key_count(k, layer, r));
    char label[64];
    for (int r = 0; r < letter_rows; r++) {
        int count = keyboard_key_count(k, layer, r);
        /* Every key the same width; a short row is centred. */
        int key_w = (area.w - (columns - 1) * gap) / SDL_max(columns, 1);
        int row_w = count * key_w + (count - 1) * gap;
        SDL_Rect row = {area.x + (area.w - row_w) / 2, area.y + r * (key_h + gap), row_w, key_h};
        for (int i = 0; i < count; i++) {
            snprintf(label, sizeof label, "%s", keyboard_key(k, layer, r, i));
            /* Letter rows keep the order of a real keyboard in every
             * script, so they are not mirrored: mirroring twice cancels
             * the mirror draw_button applies. */
            SDL_Rect cell = app_mirror(app, layout_cell(row, count, count, gap, i));
            draw_button(app, cell, label, NULL, BUTTON_KEY, LAYOUT_ROW, false, true, action,
                        key_arg(layer, r, i));
        }
    }
    /* Space and delete stay in one place whichever layer shows. */
    SDL_Rect last = {area.x, area.y + (most_rows(app) - 1) * (key_h + gap), area.w, key_h};
    int side_w = area.w / 4;
    SDL_Rect caps = {last.x, last.y, side_w, key_h};
    SDL_Rect del = {last.x + last.w - side_w, last.y, side_w, key_h};
    SDL_Rect space = {caps.x + caps.w + gap, last.y, del.x - gap - (caps.x + caps.w + gap), key_h};
    if (keyboard_layer_count(k) > 1) {
        const char *switch_label = keyboard_layer_is_capitals(k)
                                       ? app_string(app, STR_KEY_CAPITALS)
                                       : keyboard_layer_label(k, layer == 0 ? 1 : 0);
        draw_button(app, caps, switch_label, NULL, BUTTON_KEY, LAYOUT_ROW,
                    keyboard_layer_is_capitals(k) && layer == 1, true, action, KEY_LAYER);
    }
    draw_button(app, space, app_string(app, STR_KEY_SPACE), NULL, BUTTON_KEY, LAYOUT_ROW, false,
                true, action, KEY_SPACE);
    draw_button(app, del, app_string(app, STR_KEY_DELETE), NULL, BUTTON_KEY, LAYOUT_ROW, false,
                true, action, KEY_DELETE);
    app->text_factor = factor;
}

KeyboardPress keyboard_press(App *app, int arg, const char **text)
{
    *text = NULL;
    switch (arg) {
    case KEY_SPACE: *text = " "; return KEYBOARD_TYPE;
    case KEY_DELETE: return KEYBOARD_DELETE;
    case KEY_LAYER: app->key_layer = app->key_layer ? 0 : 1; return KEYBOARD_NOTHING;
    default:
        if (arg < 0)
            return KEYBOARD_NOTHING;
        *text = keyboard_key(layout(app), arg / 10000, arg / 100 % 100, arg % 100);
        return *text ? KEYBOARD_TYPE : KEYBOARD_NOTHING;
    }
}

void keyboard_after_typing(App *app)
{
    if (keyboard_layer_is_capitals(layout(app)))
        app->key_layer = 0;
}

void keyboard_delete_last(char *text)
{
    size_t n = strlen(text);
    if (n == 0)
        return;
    n--;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    text[n] = '\0';
}
