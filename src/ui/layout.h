/* layout: the frame shared by the question screens: a content area and a
 * bottom bar with Back on the start side, progress in the middle, and Skip
 * and Next on the end side. In portrait the progress gets its own row above
 * the buttons, which would otherwise squeeze it. Below the access strip;
 * Back, Skip and Next widen for their words at bigger text sizes. UI thread
 * only. */
#ifndef SAYSO_UI_LAYOUT_H
#define SAYSO_UI_LAYOUT_H

#include "ui/app.h"

typedef struct {
    SDL_Rect content;
    SDL_Rect back, progress, skip, next;
} Frame;

Frame layout_frame(App *app);
/* Splits `area` into `count` cells of `columns` columns with `gap` pixels. */
SDL_Rect layout_cell(SDL_Rect area, int count, int columns, int gap, int index);

#endif
