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
