/* csv: one quoting rule for every export. Every field is quoted, so commas,
 * newlines and quotes in a comment never shift a column. */
#include "core/csv.h"

void csv_write_field(FILE *out, const char *value, bool last)
{
    fputc('"', out);
    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
    fputs(last ? "\r\n" : ",", out);
}

void csv_write_row(FILE *out, const char *const *values, int count)
{
    for (int i = 0; i < count; i++)
        csv_write_field(out, values[i], i == count - 1);
}
