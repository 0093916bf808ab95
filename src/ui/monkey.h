/* monkey: a seeded storm of random input for the replay driver's
 * `monkey SEED COUNT [PIN]` (docs/testing.md).
 *
 * It makes taps (mostly on the centres of the controls on screen, so
 * questionnaires get answered to the end, and some anywhere), drags,
 * two- and three-finger touches, mouse clicks, keys (the kiosk's escape
 * attempts among them), text in several scripts, window size changes, close
 * and quit requests, long presses and waits on the virtual clock, and pushes
 * them through the SDL event queue exactly as real input arrives. The same
 * seed and count give the same input; the only state is in the Monkey. With
 * a PIN it types that PIN on the staff PIN screen now and then, so the staff
 * screens get their share.
 *
 * Contract: monkey_create returns a Monkey the caller owns (monkey_destroy).
 * monkey_step is called once per turn of the event loop, after a draw, and
 * says what the driver must do next: let the loop handle what was pushed,
 * advance the clock, or run an idle check (advance MONKEY_IDLE_MS, then the
 * screen must be Welcome). UI thread only. */
#ifndef SAYSO_UI_MONKEY_H
#define SAYSO_UI_MONKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/app.h"

typedef struct Monkey Monkey;

typedef enum {
    MONKEY_PUSHED,     /* events are queued: let the loop handle them */
    MONKEY_WAIT,       /* advance the virtual clock by *wait_ms */
    MONKEY_IDLE_CHECK, /* advance MONKEY_IDLE_MS; the screen must then be Welcome */
    MONKEY_DONE,
} MonkeyStep;

enum {
    /* Idle checks come every this many actions, and once at the end. */
    MONKEY_CHECK_EVERY = 2000,
    /* Longer than any timeout staff can set: idle (at most 3600 s) and its
     * warning (600 s), staff screens (1800 s), Show the room (30 min). */
    MONKEY_IDLE_MS = 2 * 3600 * 1000,
};

/* pin: the staff PIN to type now and then on the PIN screen, or NULL. */
Monkey *monkey_create(uint64_t seed, long count, const char *pin, const App *app);
void monkey_destroy(Monkey *m);
MonkeyStep monkey_step(Monkey *m, App *app, long *wait_ms);
/* One line: the seed, the actions of each kind, the SDL events pushed, the
 * responses completed and the idle checks. */
void monkey_summary(const Monkey *m, const App *app, char *out, size_t size);

#endif
