/* file: small, careful file helpers used by the loaders.
 *
 * Contract: file_read returns a malloc'd, NUL-terminated buffer the caller
 * frees, or NULL with errno-style reason in `why` (never aborts on a missing,
 * huge or unreadable file). Any thread. */
#ifndef SAYSO_CORE_FILE_H
#define SAYSO_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>

char *file_read(const char *path, size_t max_bytes, size_t *length, char *why, size_t why_size);
bool file_exists(const char *path);
/* Directory part of path ("." when there is none), into out. */
void file_dirname(const char *path, char *out, size_t out_size);
/* The folder the program was installed in: the one holding fonts/, found
 * from the running binary's path (its folder or up to two above it), or "."
 * when there is none. Shared by sayso and sayso-central. */
void file_install_root(char *out, size_t size);

#endif
