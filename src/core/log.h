/* log: one-line diagnostics on stderr, tagged with the module that wrote them.
 *
 * Contract: any thread may call these; each call writes one whole line with a
 * single fputs so lines from different threads do not interleave. Nothing is
 * owned or allocated. Messages must never contain answers or anything that
 * could identify a person. */
#ifndef SAYSO_CORE_LOG_H
#define SAYSO_CORE_LOG_H

#if defined(__GNUC__)
#define SAYSO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SAYSO_PRINTF(a, b)
#endif

void log_info(const char *module, const char *fmt, ...) SAYSO_PRINTF(2, 3);
void log_warn(const char *module, const char *fmt, ...) SAYSO_PRINTF(2, 3);
void log_error(const char *module, const char *fmt, ...) SAYSO_PRINTF(2, 3);

#endif
