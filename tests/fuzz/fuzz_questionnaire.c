/* fuzz_questionnaire: the loaders of everything a kiosk reads as JSON
 * config, on the same bytes: a questionnaire (from a file or from central's
 * publish), a set of questionnaires as central sends it, device.json and
 * sync.json. Each must report problems and never crash, overrun or leak.
 * Paths are taken from the repository root, where the shipped config and
 * pictures are, so pictures that exist are found as on a device. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/device_config.h"
#include "core/diag.h"
#include "core/mem.h"
#include "core/questionnaire.h"
#include "core/questionnaire_set.h"
#include "core/sync_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not NUL-terminated: the parsers take a length and
     * must not read past it. */
    char *text = mem_alloc(size ? size : 1);
    memcpy(text, data, size);
    Diagnostics diag;

    diag_init(&diag);
    Questionnaire *q =
        questionnaire_parse(text, size, "config/questionnaires", "assets/pictures", &diag);
    questionnaire_destroy(q);
    diag_deinit(&diag);

    diag_init(&diag);
    QuestionnaireSet *set =
        questionnaire_set_parse(text, size, "\"etag\"", "assets/pictures", &diag);
    questionnaire_set_destroy(set);
    diag_deinit(&diag);

    DeviceConfig device;
    device_config_defaults(&device);
    diag_init(&diag);
    device_config_parse(&device, text, size, "config", &diag);
    device_config_deinit(&device);
    diag_deinit(&diag);

    SyncConfig sync;
    sync_config_defaults(&sync);
    diag_init(&diag);
    sync_config_parse(&sync, text, size, "config", &diag);
    sync_config_deinit(&sync);
    diag_deinit(&diag);

    free(text);
    return 0;
}
