/* store: the kiosk's local SQLite database of completed responses.
 *
 * Owns one database connection. store_commit returns only after the response
 * is durable (one transaction, WAL, synchronous=FULL): the UI shows "Thank
 * you" only after it returns true. The schema is versioned through
 * PRAGMA user_version and migrated forward at open; see docs/storage.md.
 *
 * Contract: store_open returns a heap Store (store_close frees it) or NULL
 * with a reason in `why`. A Store is used from one thread at a time; the sync
 * worker opens its own Store on the same file. */
#ifndef SAYSO_STORE_STORE_H
#define SAYSO_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/response.h"

typedef struct Store Store;

enum { STORE_SCHEMA_VERSION = 1 };

typedef enum { EXPORT_CSV, EXPORT_JSON } ExportFormat;

Store *store_open(const char *data_dir, char *why, size_t why_size);
void store_close(Store *s);

/* Durably saves one response and logs "response committed id=<uuid>". */
bool store_commit(Store *s, const Response *r);
int64_t store_count(Store *s);
/* Writes every response, in commit order. */
bool store_export(Store *s, ExportFormat format, FILE *out);
int store_schema_version(Store *s);

#endif
