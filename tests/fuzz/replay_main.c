/* replay_main: runs a fuzz target's LLVMFuzzerTestOneInput once on every
 * file in the folders given, without libFuzzer, so `make test` replays the
 * seed corpora and the regressions under the normal and the sanitizer
 * builds. Prints how many inputs ran; a crash ends the run, as it should. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { INPUT_MAX = 1 << 20 };

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file in dir, in name order; -1 when dir is unreadable. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t count = 0, capacity = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            names = realloc(names, capacity * sizeof *names);
            if (!names)
                abort();
        }
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, compare_names);
    int ran = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t length = 0;
            char why[256];
            char *data = file_read(path, INPUT_MAX, &length, why, sizeof why);
            if (!data) {
                fprintf(stderr, "%s\n", why);
                ran = -1;
                break;
            }
            fprintf(stderr, "replay %s\n", path);
            LLVMFuzzerTestOneInput((const uint8_t *)data, length);
            free(data);
            ran++;
        }
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return ran;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int ran = replay_dir(argv[i]);
        if (ran < 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 1;
        }
        total += ran;
    }
    printf("%d inputs\n", total);
    return 0;
}
