/* csv: one quoting rule for every export. Every field is quoted, so commas,
 * newlines and quotes in a comment never shift a column; and a field that a
 * spreadsheet would run as a formula is written as text. */
#include "core/csv.h"

void csv_write_field(FILE *out, const char *value, bool last)
{
    const char *p = value ? value : "";
    fputc('"', out);
    /* Excel, LibreOffice and Sheets evaluate a cell that starts with one of
     * these even inside quotes (=HYPERLINK(...), +cmd|..., @SUM(...)). A
     * leading apostrophe is the usual guard (OWASP "CSV injection"): the
     * sheet shows the text as typed. Every free-text field can start so:
     * an event name, a site. */
    if (*p == '=' || *p == '+' || *p == '-' || *p == '@' || *p == '\t' || *p == '\r')
        fputc('\'', out);
    for (; *p; p++) {
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
