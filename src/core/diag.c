/* diag: collects positioned problems so a checker can report all of them at
 * once instead of stopping at the first. */
#include "core/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/mem.h"

void diag_init(Diagnostics *d)
{
    d->items = NULL;
    d->count = d->capacity = 0;
}

void diag_deinit(Diagnostics *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i].message);
    free(d->items);
    diag_init(d);
}

void diag_add(Diagnostics *d, int line, int column, const char *fmt, ...)
{
    if (d->count == d->capacity) {
        d->capacity = d->capacity ? d->capacity * 2 : 8;
        d->items = mem_resize(d->items, d->capacity, sizeof *d->items);
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->items[d->count++] = (Diagnostic){line, column, mem_strdup(buf)};
}

static int diag_compare(const void *a, const void *b)
{
    const Diagnostic *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->column > y->column) - (x->column < y->column);
}

void diag_print(const Diagnostics *d, const char *file, FILE *out)
{
    Diagnostic *sorted = mem_array(d->count, sizeof *sorted);
    for (size_t i = 0; i < d->count; i++)
        sorted[i] = d->items[i];
    qsort(sorted, d->count, sizeof *sorted, diag_compare);
    for (size_t i = 0; i < d->count; i++)
        fprintf(out, "%s:%d:%d: %s\n", file, sorted[i].line > 0 ? sorted[i].line : 1,
                sorted[i].column > 0 ? sorted[i].column : 1, sorted[i].message);
    free(sorted);
}
