/* replay_script: parses the test driver's script language (docs/testing.md).
 *
 * One command per line: wait MS, pause MS, tap X Y, tap-text "LABEL",
 * press X Y, release X Y, key NAME, type "TEXT", expect-text "TEXT", expect-no-text "TEXT",
 * expect-screen NAME, expect-selected "LABEL", expect-unselected "LABEL",
 * shot NAME, close-window, quit-event, expect-synced MS, expect-focus "LABEL",
 * expect-cap-height TENTHS_MM "LABEL", expect-spoken MS, monkey SEED COUNT [PIN],
 * bench-frames COUNT "LABEL", bench-tap "LABEL", bench-rss "LABEL",
 * expect-targets TENTHS_MM.
 * Blank lines and lines starting with # are
 * ignored. Quoted strings take \" and \\ escapes.
 *
 * Contract: replay_script_parse fills a caller-owned ReplayScript (free with
 * replay_script_deinit) and reports every bad line to diag; it returns false
 * if any line was bad. Pure; any thread. */
#ifndef SAYSO_CORE_REPLAY_SCRIPT_H
#define SAYSO_CORE_REPLAY_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

typedef enum {
    REPLAY_WAIT,     /* advance the kiosk's clock by ms (virtual time) */
    REPLAY_PAUSE,    /* sleep ms of real time (for kill tests) */
    REPLAY_TAP,      /* x, y */
    REPLAY_PRESS,    /* x, y: a finger goes down and stays (a long press) */
    REPLAY_RELEASE,  /* x, y: the finger lifts */
    REPLAY_TAP_TEXT, /* text */
    REPLAY_KEY,      /* text: an SDL key name */
    REPLAY_TYPE,     /* text */
    REPLAY_EXPECT_TEXT,
    REPLAY_EXPECT_NO_TEXT,
    REPLAY_EXPECT_SCREEN,
    REPLAY_EXPECT_SELECTED, /* text: a control's label */
    REPLAY_EXPECT_UNSELECTED,
    REPLAY_SHOT,          /* text: a file name without .png */
    REPLAY_CLOSE_WINDOW,  /* the window manager asks the window to close */
    REPLAY_QUIT_EVENT,    /* SDL's quit request (SDL_QUIT) */
    REPLAY_EXPECT_SYNCED, /* within ms of real time, the outbox is empty and sync reports no error
                           */
    REPLAY_EXPECT_FOCUS,  /* text: the label of the control with keyboard focus */
    /* ms: tenths of a millimetre; text: a label. The capital H of that text
     * is at least this tall on a 10-inch screen of the window's size. */
    REPLAY_EXPECT_CAP_HEIGHT,
    /* Within ms of real time, reading aloud ends having played sound. */
    REPLAY_EXPECT_SPOKEN,
    /* seed, count, and text: a staff PIN of digits or NULL. COUNT random
     * input actions from SEED, with idle checks (ui/monkey.h). */
    REPLAY_MONKEY,
    /* count, text: a label. Redraws the unchanged screen COUNT times, each
     * up to the present, and prints the frame times (docs/performance-kiosk.md). */
    REPLAY_BENCH_FRAMES,
    /* text: a control's label. Taps it like tap-text and prints the time
     * from pushing the touch to the end of the next present. */
    REPLAY_BENCH_TAP,
    /* text: a label. Prints the resident and peak memory now. */
    REPLAY_BENCH_RSS,
    /* ms: tenths of a millimetre. Every control that can be touched on
     * screen is at least this tall and wide on a 10-inch screen of the
     * window's size. */
    REPLAY_EXPECT_TARGETS,
} ReplayOp;

typedef struct {
    ReplayOp op;
    int line;
    int x, y;
    long ms;
    long seed, count; /* monkey; count also bench-frames */
    char *text;
} ReplayCommand;

typedef struct {
    ReplayCommand *commands;
    size_t count;
} ReplayScript;

enum {
    REPLAY_MAX_WAIT_MS = 24 * 3600 * 1000,
    REPLAY_MAX_PAUSE_MS = 60 * 1000,
    REPLAY_MAX_MONKEY = 10 * 1000 * 1000,
    REPLAY_MAX_BENCH_FRAMES = 100 * 1000,
};

bool replay_script_parse(const char *source, size_t length, ReplayScript *out, Diagnostics *diag);
void replay_script_deinit(ReplayScript *script);

#endif
