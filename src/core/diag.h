/* diag: a list of problems found in one input file, each with a position.
 *
 * Contract: the caller owns a Diagnostics (diag_init / diag_deinit); messages
 * are copied in. Used by the questionnaire and device-config loaders and
 * printed by `sayso check` as file:line:col: message. Single-threaded. */
#ifndef SAYSO_CORE_DIAG_H
#define SAYSO_CORE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "core/log.h"

typedef struct {
    int line;   /* 1-based; 0 when the problem has no place in the file */
    int column; /* 1-based, in characters */
    char *message;
} Diagnostic;

typedef struct {
    Diagnostic *items;
    size_t count;
    size_t capacity;
} Diagnostics;

void diag_init(Diagnostics *d);
void diag_deinit(Diagnostics *d);
void diag_add(Diagnostics *d, int line, int column, const char *fmt, ...) SAYSO_PRINTF(4, 5);
/* Prints every problem as "file:line:col: message\n", in file order. */
void diag_print(const Diagnostics *d, const char *file, FILE *out);

#endif
