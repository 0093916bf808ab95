/* export_folder: copies every response on this device to a folder (a USB
 * stick or one staff chose) as responses.csv and responses.json, with a
 * SHA256SUMS file that `sha256sum -c` checks.
 *
 * The files go into a new subfolder named after the device and the time,
 * are written under temporary names, flushed to the medium and renamed, so
 * a stick pulled out early leaves no file that looks complete. Nothing on
 * the device changes: export only reads. See docs/staff.md.
 *
 * Contract: export_to_folder opens its own Store on data_dir, so it may run
 * on any thread (the kiosk runs it on a worker thread: a slow stick must not
 * freeze the screen). Result strings are inside the caller's struct. */
#ifndef SAYSO_STORE_EXPORT_FOLDER_H
#define SAYSO_STORE_EXPORT_FOLDER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum { EXPORT_PATH_MAX = 1024, EXPORT_WHY_MAX = 1400 };

typedef struct {
    bool ok;
    int64_t count;                /* responses written */
    char folder[EXPORT_PATH_MAX]; /* the subfolder made */
    char why[EXPORT_WHY_MAX];     /* when not ok: what went wrong, for staff */
} ExportResult;

bool export_to_folder(const char *data_dir, const char *target, const char *device, time_t now,
                      ExportResult *out);

#endif
