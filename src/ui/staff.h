/* staff: the way in for staff and what the staff screens share.
 *
 * Staff get in with a long press (3 s) in the top-left corner of Welcome, or
 * Ctrl+Alt+S on a keyboard, then the PIN. The PIN is an Argon2id hash from
 * device.json (staff.pin_hash) or, when the config has none, one staff chose
 * on this device at first start, kept in the store. Five wrong PINs lock
 * entry with a growing wait that a restart does not clear. Staff screens go
 * back to Welcome after config staff.timeout_seconds without a touch.
 * This module also keeps the venue (mode), which questionnaires are turned
 * off, the device settings staff changed, and the export thread.
 * See docs/staff.md.
 *
 * Contract: the Staff struct is owned by the App (staff_init/staff_deinit)
 * and used on the UI thread only; the export runs on its own thread with
 * its own Store and reports through an SDL user event. */
#ifndef SAYSO_UI_STAFF_H
#define SAYSO_UI_STAFF_H

#include "core/staff_pin.h"
#include "core/tally.h"
#include "store/export_folder.h"
#include "ui/app.h"

typedef enum { PIN_ENTER, PIN_CHOOSE, PIN_CONFIRM } PinStage;
typedef enum { PERIOD_TODAY, PERIOD_EVENT, PERIOD_ALL } ResultsPeriod;
typedef enum { FIELD_EVENT_NAME, FIELD_EVENT_SESSION, FIELD_SITE } StaffField;

enum { STAFF_NOTICE_MAX = 1500, STAFF_FOLDERS_MAX = 12, STAFF_HOLD_MS = 3000 };

struct Staff {
    /* The PIN */
    char pin_hash[STAFF_PIN_HASH_MAX]; /* "" until one is set */
    bool pin_from_config;
    PinGuard guard;
    PinStage stage;
    bool changing_pin; /* CHOOSE/CONFIRM came from the Device screen */
    char typed[STAFF_PIN_MAX_DIGITS + 1];
    char first[STAFF_PIN_MAX_DIGITS + 1];
    char message[200];
    /* The hidden gesture */
    bool holding;
    Uint64 hold_since;
    /* Mode being edited */
    Venue draft;
    StaffField field;
    char field_text[VENUE_NAME_SIZE];
    /* Results */
    ResultsPeriod period;
    int results_questionnaire;
    int results_question;
    Tally tally;
    bool tally_ready;
    int64_t flagged;
    char store_alert[1024]; /* the database was moved aside at start ("" if not) */
    /* Messages on the staff screens */
    char notice[STAFF_NOTICE_MAX];
    bool notice_is_error;
    /* Sending: the outbox counts when the screen opened */
    StoreOutboxCounts counts;
    /* Export */
    char folders[STAFF_FOLDERS_MAX][EXPORT_PATH_MAX];
    int folder_count;
    SDL_Thread *export_thread;
    Uint32 export_event;
    /* Questionnaires turned off on this device, as ",id,id," */
    char hidden[2048];
};

extern const Screen SCREEN_PIN, SCREEN_STAFF, SCREEN_STAFF_MODE, SCREEN_STAFF_NAME,
    SCREEN_STAFF_QUESTIONNAIRES, SCREEN_STAFF_SYNC, SCREEN_STAFF_DEVICE, SCREEN_RESULTS,
    SCREEN_SHOW_ROOM;

/* After the store is open (it may be NULL): the saved PIN, lock, venue,
 * turned-off questionnaires and settings. */
void staff_init(App *app);
/* The saved part of staff_init again, for a store that opened late. */
void staff_load_saved(App *app);
void staff_deinit(App *app);
/* No PIN anywhere yet: staff must choose one before the kiosk is used. */
bool staff_needs_pin(const App *app);
/* The screen the kiosk starts on when it can take answers. */
const Screen *staff_first_screen(App *app);

/* The hidden gesture: fed every press and release; true when consumed. */
void staff_pointer(App *app, bool down, int x, int y);
bool staff_key(App *app, const SDL_KeyboardEvent *key);
Uint64 staff_next_deadline(const App *app);
void staff_tick(App *app);
bool staff_event(App *app, const SDL_Event *event);

void staff_open_pin(App *app, PinStage stage);
/* A digit, delete (-1) or OK (-2) on the PIN pad. */
void staff_pin_press(App *app, int key);
/* Back to Welcome for the next person. */
void staff_leave(App *app);
int staff_timeout(const App *app);

bool staff_save_venue(App *app, const Venue *v);
bool staff_set_active(App *app, int index, bool active);
/* Saves the settings staff can change on the device over device.json. */
bool staff_save_settings(App *app);
void staff_notice(App *app, bool error, const char *fmt, ...);

/* Results for the period and questionnaire chosen, computed once. */
void staff_results_refresh(App *app);
/* Folders an export can go to: USB sticks under /media and the config's. */
void staff_find_folders(App *app);
void staff_export_start(App *app, int folder);
bool staff_export_running(const App *app);

#endif
