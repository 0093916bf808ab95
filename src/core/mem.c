/* mem: allocation wrappers that apply the out-of-memory policy in mem.h. */
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mem_fail(size_t size)
{
    fprintf(stderr, "sayso error [mem] out of memory allocating %zu bytes\n", size);
    exit(70);
}

void *mem_array(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        count = size = 1;
    void *p = calloc(count, size);
    if (!p)
        mem_fail(count * size);
    return p;
}

void *mem_alloc(size_t size)
{
    return mem_array(1, size);
}

void *mem_resize(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        mem_fail(SIZE_MAX);
    size_t bytes = count * size;
    if (bytes == 0)
        bytes = 1;
    void *p = realloc(ptr, bytes);
    if (!p)
        mem_fail(bytes);
    return p;
}

char *mem_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *copy = mem_alloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *mem_strdup(const char *s)
{
    return s ? mem_strndup(s, strlen(s)) : NULL;
}
