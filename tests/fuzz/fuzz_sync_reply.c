/* fuzz_sync_reply: how the kiosk reads central's reply to an upload, the
 * one input that comes from the network. The bytes are cut at the first
 * three newlines into: the Content-Type header, the Retry-After header
 * (also read as the HTTP status), the ids that were sent (separated by
 * spaces, at most IDS_MAX), and the body. The first 16 bytes are also
 * read as the backoff's arguments. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/sync_protocol.h"

#include "fuzz_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { IDS_MAX = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *rest = data;
    size_t left = size;
    char *content_type = take_line(&rest, &left);
    char *retry_after = take_line(&rest, &left);
    char *id_line = take_line(&rest, &left);

    const char *ids[IDS_MAX];
    size_t count = 0;
    char *save = NULL;
    for (char *id = strtok_r(id_line, " ", &save); id && count < IDS_MAX;
         id = strtok_r(NULL, " ", &save))
        ids[count++] = id;

    /* Exact size, not NUL-terminated: the parser has a length. */
    char *body = mem_alloc(left ? left : 1);
    memcpy(body, rest, left);
    bool accepted[IDS_MAX], conflict[IDS_MAX];
    char why[256] = "";
    if (sync_parse_ack(content_type[0] ? content_type : NULL, body, left, ids, count, accepted,
                       conflict, why, sizeof why)) {
        for (size_t i = 0; i < count; i++)
            if (accepted[i] && conflict[i])
                abort(); /* an id is one or the other */
    } else if (!why[0]) {
        abort(); /* a refusal always says why */
    }

    long seconds = -1;
    if (sync_parse_retry_after(retry_after, 1790000000, &seconds) &&
        (seconds < 0 || seconds > SYNC_RETRY_AFTER_MAX))
        abort();
    long status = strtol(retry_after, NULL, 10);
    if (!sync_action_name(sync_action_for_status(status)))
        abort();

    /* The backoff's arguments come from settings and a counter; the first
     * bytes stand in for them, extremes included. */
    if (size >= 16) {
        int32_t attempt, base, cap;
        uint32_t random;
        memcpy(&attempt, data, 4);
        memcpy(&base, data + 4, 4);
        memcpy(&cap, data + 8, 4);
        memcpy(&random, data + 12, 4);
        long wait = sync_backoff_ms(attempt, base, cap, random);
        if (wait < 0 || (cap >= base && base >= 1 && wait > cap))
            abort();
    }

    free(body);
    free(id_line);
    free(retry_after);
    free(content_type);
    return 0;
}
