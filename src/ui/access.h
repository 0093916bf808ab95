/* access: what makes every screen usable by everyone, whatever the screen.
 *
 * Owns the person's own choices (text size, colours, reading aloud, volume),
 * the strip with "Read aloud" and "Text and colours" drawn on every screen,
 * the panel behind "Text and colours", keyboard focus with its ring, switch
 * scanning, and reading a screen aloud from its element list. Every choice
 * goes back to the device's defaults (device.json "access") for the next
 * person. docs/accessibility.md describes the behaviour.
 *
 * Contract: the App owns the state (its access fields); access_init after
 * the config is loaded and SDL is up, access_deinit before SDL quits.
 * UI thread only; speech runs on its own thread inside ui/speech. */
#ifndef SAYSO_UI_ACCESS_H
#define SAYSO_UI_ACCESS_H

#include "ui/app.h"

void access_init(App *app);
void access_deinit(App *app);
/* The next person starts with the device's defaults; speech stops. */
void access_reset_person(App *app);

/* Text size multiplier of the person's text step (1.0 at step 1). */
double access_text_factor(int step);

/* Height the strip takes at the top of every screen. */
int access_strip_height(App *app);
/* Draws the strip (and the panel when open) over the screen just drawn. */
void access_draw(App *app);
/* The focus ring, drawn last over everything; on a new page the focus
 * (when in use) goes back to the first control. */
void access_draw_focus(App *app);
/* Handles the strip's and panel's controls; false for any other element. */
bool access_activate(App *app, const Element *element);
/* Focus and scanning keys; true when the key was used. */
bool access_key(App *app, const SDL_KeyboardEvent *key);
/* A screen was drawn: reads it aloud when the person asked for every
 * screen, once per page. */
void access_after_draw(App *app);
/* Speech-thread reports and scanning steps. */
bool access_event(App *app, const SDL_Event *event);
void access_tick(App *app);
Uint64 access_next_deadline(const App *app);
/* Speaks the screen now: its texts, then its answers with their numbers,
 * then the way on. False when this language has no voice. */
bool access_read_screen(App *app);

#endif
