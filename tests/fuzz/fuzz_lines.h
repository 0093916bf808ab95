/* fuzz_lines: how the fuzz targets that need several fields cut their input:
 * at newlines, one field per line, the rest being the last field. Header
 * only (a static function), so each target stays one file to build. */
#ifndef SAYSO_TESTS_FUZZ_LINES_H
#define SAYSO_TESTS_FUZZ_LINES_H

#include <stdint.h>
#include <string.h>

#include "core/mem.h"

/* The next line as a heap string; *rest and *left move past its newline. */
static char *take_line(const uint8_t **rest, size_t *left)
{
    const uint8_t *end = memchr(*rest, '\n', *left);
    size_t n = end ? (size_t)(end - *rest) : *left;
    char *line = mem_alloc(n + 1);
    memcpy(line, *rest, n);
    line[n] = '\0';
    *rest += end ? n + 1 : n;
    *left -= end ? n + 1 : n;
    return line;
}

#endif
