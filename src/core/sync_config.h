/* sync_config: where and how this device sends its responses, read from
 * config/sync.json. The file is optional: without it the device keeps
 * everything locally (a standalone kiosk, or a laptop exported by USB).
 * It is separate from device.json because it holds connection details
 * that IT staff provision per device, beside the token file.
 * See docs/device-config.md and docs/protocol.md.
 *
 * Contract: caller-owned struct; sync_config_deinit frees its strings.
 * Pure (no curl); any thread, one struct per thread. */
#ifndef SAYSO_CORE_SYNC_CONFIG_H
#define SAYSO_CORE_SYNC_CONFIG_H

#include <stdbool.h>

#include "core/diag.h"

typedef struct {
    bool enabled;            /* false: no sync.json, or "server" absent */
    char *server;            /* base URL, e.g. https://central.example.nhs.uk */
    char *token_file;        /* resolved path of the device token (mode 0600) */
    char *ca_bundle;         /* resolved path of extra trusted CAs, or NULL */
    char *pinned_public_key; /* "sha256//base64;..." as libcurl takes it, or NULL */
    int batch_size;          /* responses per upload */
    int interval_seconds;    /* time between checks when all is well */
    int timeout_seconds;     /* a whole request, connect included */
    int backoff_base_seconds;
    int backoff_cap_seconds;
} SyncConfig;

void sync_config_defaults(SyncConfig *c);
/* A missing file leaves sync disabled and returns true; problems are added
 * to diag (with positions) and return false. Relative paths are taken from
 * the folder holding the file. */
bool sync_config_load(SyncConfig *c, const char *path, Diagnostics *diag);
bool sync_config_parse(SyncConfig *c, const char *source, size_t length, const char *base_dir,
                       Diagnostics *diag);
void sync_config_deinit(SyncConfig *c);

/* True when the URL may be used: https anywhere, http only to a loopback
 * host (127.0.0.0/8, ::1, localhost). Sets why otherwise. */
bool sync_url_allowed(const char *url, char *why, size_t why_size);

#endif
