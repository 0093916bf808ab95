/* elements: a flat, per-frame list; screens rebuild it on every draw, so it
 * can never disagree with the pixels. */
#include "ui/elements.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void elements_init(Elements *e)
{
    memset(e, 0, sizeof *e);
}

void elements_clear(Elements *e)
{
    /* Labels include what a person typed: zero them rather than just forget
     * them, so they do not outlive the screen that showed them. */
    if (e->items)
        explicit_bzero(e->items, (size_t)e->count * sizeof *e->items);
    e->count = 0;
}

void elements_deinit(Elements *e)
{
    elements_clear(e);
    free(e->items);
    elements_init(e);
}

/* Copies label into out, cut before a character that does not fit whole. */
static void copy_label(char out[ELEMENT_LABEL_MAX], const char *label)
{
    size_t n = strlen(label);
    if (n >= ELEMENT_LABEL_MAX) {
        n = ELEMENT_LABEL_MAX - 1;
        while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
            n--; /* label[n] is the first byte left out: step back to a lead byte */
    }
    memcpy(out, label, n);
    out[n] = '\0';
}

Element *elements_add(Elements *e, ElementRole role, const char *label, SDL_Rect rect)
{
    if (e->count == e->capacity) {
        e->capacity = e->capacity ? e->capacity * 2 : 64;
        e->items = mem_resize(e->items, (size_t)e->capacity, sizeof *e->items);
    }
    Element *el = &e->items[e->count++];
    memset(el, 0, sizeof *el);
    copy_label(el->label, label ? label : "");
    el->rect = rect;
    el->role = role;
    el->enabled = true;
    return el;
}

int elements_hit(const Elements *e, int x, int y)
{
    SDL_Point p = {x, y};
    for (int i = e->count - 1; i >= 0; i--)
        if (e->items[i].role == ROLE_BUTTON && e->items[i].enabled &&
            SDL_PointInRect(&p, &e->items[i].rect))
            return i;
    return -1;
}

int elements_find_button(const Elements *e, const char *label)
{
    for (int i = e->count - 1; i >= 0; i--)
        if (e->items[i].role == ROLE_BUTTON && strcmp(e->items[i].label, label) == 0)
            return i;
    return -1;
}

bool elements_show_text(const Elements *e, const char *text)
{
    for (int i = 0; i < e->count; i++)
        if (strstr(e->items[i].label, text))
            return true;
    return false;
}

bool elements_focusable(const Elements *e, int index)
{
    if (index < 0 || index >= e->count)
        return false;
    const Element *el = &e->items[index];
    return el->role == ROLE_BUTTON && el->enabled && el->kind != KIND_BACKDROP;
}

int elements_next_focus(const Elements *e, int from, int step)
{
    if (e->count == 0)
        return -1;
    int i = from < 0 ? (step > 0 ? -1 : e->count) : from;
    for (int tries = 0; tries < e->count; tries++) {
        i = (i + step + e->count) % e->count;
        if (elements_focusable(e, i))
            return i;
    }
    return -1;
}
