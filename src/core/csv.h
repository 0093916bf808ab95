/* csv: RFC 4180 fields, shared by the kiosk's and central's exports so both
 * write byte-identical CSV for the same response.
 *
 * Contract: writes to a caller-owned FILE (a file, stdout, or an
 * open_memstream buffer); any thread, one FILE per thread. */
#ifndef SAYSO_CORE_CSV_H
#define SAYSO_CORE_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* Quotes the field, doubles quotes inside, and ends it with "," or, when
 * `last`, with CRLF. NULL is written as an empty field. A value starting
 * with = + - @ tab or CR gets a leading apostrophe, so a spreadsheet shows
 * it as text instead of running it as a formula. */
void csv_write_field(FILE *out, const char *value, bool last);
/* A whole header or data row. */
void csv_write_row(FILE *out, const char *const *values, int count);

#endif
