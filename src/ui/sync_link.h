/* sync_link: joins the sync worker (src/sync, its own thread) to the UI
 * thread. The worker's reports arrive as SDL user events, so the UI never
 * waits on the network; a new questionnaire set from central is held until
 * nobody is answering (Welcome) and only then replaces the menu.
 *
 * Contract: every function runs on the UI thread. sync_link_start is
 * called once the store is open; sync_link_stop before the store closes. */
#ifndef SAYSO_UI_SYNC_LINK_H
#define SAYSO_UI_SYNC_LINK_H

#include <SDL.h>
#include <stdbool.h>

typedef struct App App;

/* Reads <config>/sync.json; starts the worker when a server is set. A bad
 * sync.json is logged and sync stays off: answers are still taken and kept. */
void sync_link_start(App *app);
void sync_link_stop(App *app);
/* A response was committed: send it soon. */
void sync_link_kick(App *app);
/* True when the event was a sync report (consumed). */
bool sync_link_event(App *app, const SDL_Event *event);
/* Uses the set saved from central, if any, instead of the device's own
 * questionnaires. Called at start, before the first screen. */
void sync_link_use_saved_set(App *app);
/* Swaps in a waiting set if nobody is answering. */
void sync_link_apply_pending(App *app);

#endif
