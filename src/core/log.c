/* log: formats a tagged line and writes it to stderr in one call, so that the
 * sync thread and the UI thread can both log without tearing lines. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static void log_line(const char *level, const char *module, const char *fmt, va_list ap)
{
    char line[1024];
    int head = snprintf(line, sizeof line, "sayso %s [%s] ", level, module);
    if (head < 0 || (size_t)head >= sizeof line)
        head = 0;
    vsnprintf(line + head, sizeof line - (size_t)head, fmt, ap);
    fputs(line, stderr);
    fputc('\n', stderr);
}

void log_info(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("info", module, fmt, ap);
    va_end(ap);
}

void log_warn(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("warn", module, fmt, ap);
    va_end(ap);
}

void log_error(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("error", module, fmt, ap);
    va_end(ap);
}
