/* mem: the one out-of-memory policy for the whole program.
 *
 * Small allocations (strings, model structs) go through these wrappers. On a
 * kiosk with a few MB of data, running out of memory means the device is
 * broken; continuing with half-built structures would risk saving wrong
 * answers. So the policy is: log once and exit with status 70, before any
 * partial write; SQLite's own transactions keep stored data whole. Large or
 * input-sized allocations (file contents) use plain malloc and handle NULL. */
#ifndef SAYSO_CORE_MEM_H
#define SAYSO_CORE_MEM_H

#include <stddef.h>

void *mem_alloc(size_t size);               /* zeroed */
void *mem_array(size_t count, size_t size); /* zeroed, overflow-checked */
void *mem_resize(void *ptr, size_t count, size_t size);
char *mem_strdup(const char *s); /* NULL stays NULL */
char *mem_strndup(const char *s, size_t n);

#endif
