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

void elements_deinit(Elements *e)
{
    free(e->items);
    elements_init(e);
}

void elements_clear(Elements *e)
{
    e->count = 0;
}

Element *elements_add(Elements *e, ElementRole role, const char *label, SDL_Rect rect)
{
    if (e->count == e->capacity) {
        e->capacity = e->capacity ? e->capacity * 2 : 64;
        e->items = mem_resize(e->items, (size_t)e->capacity, sizeof *e->items);
    }
    Element *el = &e->items[e->count++];
    memset(el, 0, sizeof *el);
    snprintf(el->label, sizeof el->label, "%s", label ? label : "");
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
