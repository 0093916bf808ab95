/* keyboard: the on-screen keyboard in the screen's language, shared by the
 * question screen (a person's typed answer) and the staff screens (event and
 * session names, settings).
 *
 * Each key is a button with the caller's action and an arg that
 * keyboard_press turns back into what the key means, from the same layout
 * the screen drew. The layer (capitals, more letters) is app->key_layer.
 * UI thread only. */
#ifndef SAYSO_UI_KEYBOARD_H
#define SAYSO_UI_KEYBOARD_H

#include "ui/app.h"

typedef enum { KEYBOARD_NOTHING, KEYBOARD_TYPE, KEYBOARD_DELETE } KeyboardPress;

/* Key heights in layout units: below KEY_SHORTEST a key is too small a
 * target (and its letters too small to read), so a screen that cannot give
 * the keyboard that much opens it in its own panel; beyond KEY_TALLEST keys
 * stop growing. */
enum { KEY_SHORTEST = 56, KEY_TALLEST = 120 };

/* The height the keyboard takes with keys key_h pixels tall, in the
 * screen's language, on its layer with the most rows. */
int keyboard_height(const App *app, int key_h);
/* The key height keyboard_draw uses in an area area_h pixels tall. */
int keyboard_key_height(const App *app, int area_h);

/* Draws the letter rows and a last row of layer switch, space and delete. */
void keyboard_draw(App *app, SDL_Rect area, int action);
/* What the key with this arg does. KEYBOARD_TYPE sets *text (static, or the
 * layout's) to the characters to add. A layer switch is applied here and
 * returns KEYBOARD_NOTHING. */
KeyboardPress keyboard_press(App *app, int arg, const char **text);
/* Call after typing: capitals are for one letter, as on a phone. */
void keyboard_after_typing(App *app);
/* Removes the last whole UTF-8 character of text in place. */
void keyboard_delete_last(char *text);

#endif
