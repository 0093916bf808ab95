/* export_folder: the files of an export, written so that a finished export
 * is complete and checkable and a failed one leaves nothing half-written. */
#include "store/export_folder.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store.h"

static const char *const FILE_NAMES[] = {"responses.csv", "responses.json", "SHA256SUMS"};
enum { FILE_COUNT = 3 };

/* Device names come from config; only safe characters reach a file name. */
static void safe_name(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; in && *in && n + 1 < size && n < 40; in++)
        out[n++] = (char)((strchr("-_.", *in) || (*in >= '0' && *in <= '9') ||
                           (*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z'))
                              ? *in
                              : '-');
    out[n] = '\0';
    if (n == 0)
        snprintf(out, size, "kiosk");
}

static bool sha256_file(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536], digest[crypto_hash_sha256_BYTES];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    bool ok = !ferror(f);
    (void)fclose(f); /* read only: ferror said it all */
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return ok;
}

/* fclose after the data reached the medium. */
static bool close_synced(FILE *f)
{
    bool ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    return fclose(f) == 0 && ok;
}

static void say(ExportResult *out, const char *what, const char *path)
{
    snprintf(out->why, sizeof out->why, "%s %s: %s", what, path, strerror(errno));
}

bool export_to_folder(const char *data_dir, const char *target, const char *device, time_t now,
                      ExportResult *out)
{
    memset(out, 0, sizeof *out);
    out->count = -1;
    char tmp[FILE_COUNT][EXPORT_PATH_MAX + 32], final[FILE_COUNT][EXPORT_PATH_MAX + 32];
    FILE *files[2] = {NULL, NULL};
    Store *store = NULL;
    bool made_folder = false;
    struct stat st;
    if (stat(target, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(out->why, sizeof out->why, "The folder %s is not there. Is the USB stick in?",
                 target);
        goto fail;
    }
    char name[48], stamp[32];
    safe_name(device, name, sizeof name);
    struct tm tm;
    localtime_r(&now, &tm);
    (void)strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm); /* always fits */
    snprintf(out->folder, sizeof out->folder, "%s/sayso-%s-%s", target, name, stamp);
    if (mkdir(out->folder, 0755) != 0) {
        say(out, "Cannot make a folder in", target);
        goto fail;
    }
    made_folder = true;
    for (int i = 0; i < FILE_COUNT; i++) {
        snprintf(tmp[i], sizeof tmp[i], "%s/.%s.part", out->folder, FILE_NAMES[i]);
        snprintf(final[i], sizeof final[i], "%s/%s", out->folder, FILE_NAMES[i]);
    }
    char why[512];
    store = store_open(data_dir, why, sizeof why);
    if (!store) {
        snprintf(out->why, sizeof out->why, "Cannot read the answers on this kiosk: %s", why);
        goto fail;
    }
    for (int i = 0; i < 2; i++)
        if (!(files[i] = fopen(tmp[i], "w"))) {
            say(out, "Cannot write to", out->folder);
            goto fail;
        }
    if (!store_export_both(store, files[0], files[1], &out->count)) {
        snprintf(out->why, sizeof out->why, "Writing to %s failed (is the stick full?)",
                 out->folder);
        goto fail;
    }
    for (int i = 0; i < 2; i++) {
        FILE *f = files[i];
        files[i] = NULL;
        if (!close_synced(f)) {
            say(out, "Writing failed in", out->folder);
            goto fail;
        }
    }
    char hex[2][65];
    FILE *sums = NULL;
    if (!sha256_file(tmp[0], hex[0]) || !sha256_file(tmp[1], hex[1]) ||
        !(sums = fopen(tmp[2], "w"))) {
        say(out, "Cannot write the checksums in", out->folder);
        goto fail;
    }
    fprintf(sums, "%s  %s\n%s  %s\n", hex[0], FILE_NAMES[0], hex[1], FILE_NAMES[1]);
    if (!close_synced(sums)) {
        say(out, "Cannot write the checksums in", out->folder);
        goto fail;
    }
    for (int i = 0; i < FILE_COUNT; i++)
        if (rename(tmp[i], final[i]) != 0) {
            say(out, "Cannot finish the files in", out->folder);
            goto fail;
        }
    int dir = open(out->folder, O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        fsync(dir);
        close(dir);
    }
    store_close(store);
    out->ok = true;
    log_info("export", "%lld responses saved to %s", (long long)out->count, out->folder);
    return true;
fail:
    for (int i = 0; i < 2; i++)
        if (files[i])
            (void)fclose(files[i]); /* failing already: the folder goes */
    store_close(store);
    if (made_folder) {
        for (int i = 0; i < FILE_COUNT; i++) {
            unlink(tmp[i]);
            unlink(final[i]);
        }
        rmdir(out->folder);
    }
    out->ok = false;
    log_error("export", "%s", out->why);
    return false;
}
