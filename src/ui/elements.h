/* elements: the list of what is on screen now, with labels and rectangles.
 *
 * Each frame the screen being drawn registers every visible text, picture and
 * control here. Taps are hit-tested against it, the replay driver finds
 * controls by label in it, and keyboard focus and read-aloud use the same
 * list, so what a test or a screen reader sees is what is drawn.
 *
 * Contract: caller-owned struct (elements_init/deinit); labels are copied,
 * cut at ELEMENT_LABEL_MAX - 1 bytes on a UTF-8 character boundary.
 * UI thread only. */
#ifndef SAYSO_UI_ELEMENTS_H
#define SAYSO_UI_ELEMENTS_H

#include <SDL.h>
#include <stdbool.h>

typedef enum { ROLE_TEXT, ROLE_PICTURE, ROLE_BUTTON } ElementRole;

/* What a button is for, so read-aloud can number the answers and keyboard
 * focus can pass over the whole-screen "touch anywhere" areas. */
typedef enum {
    KIND_CONTROL,  /* Back, Next, keys, ... */
    KIND_ANSWER,   /* a choice the person makes */
    KIND_PRIMARY,  /* the screen's main way on */
    KIND_BACKDROP, /* the whole screen as one target; not focusable */
} ElementKind;

enum { ELEMENT_LABEL_MAX = 512 };

typedef struct {
    char label[ELEMENT_LABEL_MAX];
    SDL_Rect rect;
    ElementRole role;
    ElementKind kind;
    SDL_Rect text_rect; /* where its words were drawn (text and buttons); 0 if none */
    int text_px;        /* the font size they were drawn at */
    int action;         /* screen-defined; buttons only */
    int arg;
    bool enabled;
    bool selected;
} Element;

typedef struct {
    Element *items;
    int count;
    int capacity;
} Elements;

void elements_init(Elements *e);
void elements_deinit(Elements *e);
/* Empties the list and zeroes the labels it held (they may be typed text). */
void elements_clear(Elements *e);
Element *elements_add(Elements *e, ElementRole role, const char *label, SDL_Rect rect);
/* Topmost enabled button containing the point, or -1. */
int elements_hit(const Elements *e, int x, int y);
/* First button whose label equals `label` exactly, or -1. */
int elements_find_button(const Elements *e, const char *label);
/* The next (step 1) or previous (step -1) focusable button after `from`
 * (-1: from the start), wrapping around; -1 when there is none. */
int elements_next_focus(const Elements *e, int from, int step);
bool elements_focusable(const Elements *e, int index);
/* True when any element's label contains `text`. */
bool elements_show_text(const Elements *e, const char *text);

#endif
