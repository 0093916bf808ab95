/* file: reads whole small files (questionnaires, configs, replay scripts) with
 * a size cap, because a wrong path pointing at a huge file must not stall
 * the kiosk or exhaust memory. */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read(const char *path, size_t max_bytes, size_t *length, char *why, size_t why_size)
{
    char *buffer = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open: %s", strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "not a regular file");
        goto fail;
    }
    if ((size_t)st.st_size > max_bytes) {
        snprintf(why, why_size, "file is larger than %zu bytes", max_bytes);
        goto fail;
    }
    buffer = malloc((size_t)st.st_size + 1);
    if (!buffer) {
        snprintf(why, why_size, "out of memory");
        goto fail;
    }
    size_t n = fread(buffer, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        snprintf(why, why_size, "read error: %s", strerror(errno));
        goto fail;
    }
    buffer[n] = '\0';
    *length = n;
    (void)fclose(f); /* opened for reading: nothing to lose */
    return buffer;
fail:
    free(buffer);
    if (f)
        (void)fclose(f);
    return NULL;
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void file_dirname(const char *path, char *out, size_t out_size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(out, out_size, ".");
    } else if (slash == path) {
        snprintf(out, out_size, "/");
    } else {
        snprintf(out, out_size, "%.*s", (int)(slash - path), path);
    }
}

void file_install_root(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    snprintf(out, size, ".");
    if (n <= 0)
        return;
    exe[n] = '\0';
    char dir[PATH_MAX];
    file_dirname(exe, dir, sizeof dir);
    for (int up = 0; up < 3; up++) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/fonts/AtkinsonHyperlegible-Regular.ttf", dir);
        if (file_exists(probe)) {
            snprintf(out, size, "%s", dir);
            return;
        }
        char parent[PATH_MAX];
        file_dirname(dir, parent, sizeof parent);
        snprintf(dir, sizeof dir, "%s", parent);
    }
}
