/* fuzz_replay_script: the test driver's script parser on arbitrary text.
 * Every line is either a command or a reported problem; nothing crashes,
 * overruns or leaks, and a refused script always says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/mem.h"
#include "core/replay_script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = mem_alloc(size ? size : 1);
    memcpy(text, data, size);
    Diagnostics diag;
    diag_init(&diag);
    ReplayScript script = {0};
    bool ok = replay_script_parse(text, size, &script, &diag);
    if (!ok && diag.count == 0)
        abort(); /* a refused script always says why */
    replay_script_deinit(&script);
    diag_deinit(&diag);
    free(text);
    return 0;
}
