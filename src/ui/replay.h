/* replay: the test driver behind `sayso --replay FILE [--shots DIR]`.
 *
 * Plays a parsed script into the running app through the same SDL event
 * queue real input uses, on a virtual clock so a 90-second idle timeout
 * takes no real time, and checks what is on screen through the element list.
 *
 * Contract: replay_create reads and parses the file (NULL, with every bad
 * line printed, if it cannot); the App owns the Replay and destroys it.
 * UI thread only. */
#ifndef SAYSO_UI_REPLAY_H
#define SAYSO_UI_REPLAY_H

#include <stdbool.h>

#include "ui/app.h"

Replay *replay_create(const char *path, const char *shots_dir);
void replay_destroy(Replay *r);
/* Runs the next command. Returns false when the script has ended or a check
 * failed; *status is then the exit status (0 only if every check passed). */
bool replay_step(Replay *r, App *app, int *status);
/* True once every command has run; the kiosk quitting before is a failure. */
bool replay_finished(const Replay *r);

#endif
