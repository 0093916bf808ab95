/* app: the kiosk application: window, screens, timers and the main loop.
 *
 * Owns everything the UI thread uses: the SDL window and renderer, caches,
 * the loaded config and questionnaires, the store, the current person's
 * session and the on-screen element list. Screens (screen_*.c) are tables of
 * functions over this struct; changing screen is app_go(). The main loop
 * sleeps in SDL_WaitEventTimeout until the next event or deadline and draws
 * only when something changed (app->dirty).
 *
 * Contract: app_run is called once from main on the main thread and returns
 * the process exit status. Everything here is UI-thread only. */
#ifndef SAYSO_UI_APP_H
#define SAYSO_UI_APP_H

#include <SDL.h>
#include <stdbool.h>

#include "core/device_config.h"
#include "core/misuse.h"
#include "core/questionnaire.h"
#include "core/questionnaire_set.h"
#include "core/sync_config.h"
#include "core/session.h"
#include "core/strings.h"
#include "core/venue.h"
#include "store/store.h"
#include "sync/worker.h"
#include "ui/elements.h"
#include "ui/picture_cache.h"
#include "ui/text_cache.h"

typedef struct Speech Speech;
typedef struct Staff Staff;
typedef struct RiskWords RiskWords;

typedef struct {
    const char *config_dir;
    const char *data_dir;
    const char *assets_dir;
    const char *replay_path; /* NULL unless --replay */
    const char *shots_dir;
    bool windowed;
    int width, height;
} AppOptions;

typedef struct App App;
typedef struct Replay Replay;

typedef struct {
    const char *name;
    void (*enter)(App *app);
    void (*draw)(App *app); /* draws and registers elements */
    void (*activate)(App *app, const Element *element);
    void (*text_input)(App *app, const char *utf8); /* may be NULL */
    void (*key)(App *app, SDL_Keycode key);         /* may be NULL */
    /* Quiet time resets this screen (idle warning, then Welcome). */
    bool idle_resets;
    /* Seconds after which the screen goes back to Welcome by itself; 0: never. */
    int (*timeout_seconds)(const App *app);
    /* True while the screen takes typed text (Space then types, not presses). */
    bool (*takes_text)(const App *app); /* may be NULL */
    /* Drawn without the access strip ("show the room"). */
    bool full_screen;
} Screen;

enum { APP_MAX_QUESTIONNAIRES = 32 };

struct App {
    const AppOptions *options;
    SDL_Window *window;
    SDL_Renderer *renderer;
    int width, height;
    double scale; /* layout units to pixels */
    bool portrait;
    TextCache *text;
    PictureCache *pictures;
    char picture_dir[1024];
    char tick_picture[1100]; /* drawn on selected answers */

    DeviceConfig config;
    Questionnaire *questionnaires[APP_MAX_QUESTIONNAIRES];
    int questionnaire_count;
    Store *store;
    /* Non-NULL when the menu comes from central: it owns the questionnaires
     * above, which are then not freed one by one. */
    QuestionnaireSet *active_set;
    QuestionnaireSet *pending_set; /* waits for Welcome before replacing the menu */
    SyncConfig sync_config;
    SyncWorker *sync;
    Uint32 sync_event;      /* SDL user event type of sync reports, or 0 */
    SyncReport sync_status; /* the latest report (its new_set is always NULL) */
    bool sync_received;     /* a report has arrived since start */
    Session *session;
    StringTable *strings; /* the kiosk's own words, every language */
    char language[LANGUAGE_CODE_MAX];

    /* The person's choices and the access state (ui/access.c). */
    AccessDefaults choices;
    Theme theme;        /* the colours on screen now */
    double text_factor; /* from choices.text_step */
    bool panel_open;    /* "Text and colours" */
    int focus;          /* element with keyboard or switch focus, or -1 */
    char focus_page[96];
    char read_page[96];
    Uint64 scan_due; /* next switch-scanning step, or 0 */
    int scan_quiet_steps;
    bool scan_resting;
    Speech *speech; /* NULL: no read aloud on this device */
    Uint32 speech_event;
    int answer_page; /* which page of answers shows when they do not all fit */

    /* Staff entry, the staff screens' state and safeguarding (ui/staff.c). */
    Staff *staff;
    Venue venue;           /* how the device is used now; saved in the store */
    RiskWords *risk_words; /* safeguarding words, every language */
    MisuseMemory misuse;   /* the last completed response, for misuse flags */
    unsigned finish_flags; /* flags of the session being saved (kept for "Try again") */
    bool finish_flags_known;
    /* Storage trouble (a full disk, a read-only or missing database): no
     * new answers are taken and the store is tried again every
     * APP_STORE_RETRY_MS until it works. */
    bool store_trouble;
    Uint64 store_retry_at; /* 0: no retry due */
    char store_problem[512];
    int message_index; /* the Welcome message showing, of config.messages */
    Uint64 message_since;

    const Screen *screen;
    Elements elements;
    int pressed; /* element index under a finger, or -1 */
    bool dirty;
    bool quit;
    int exit_status;

    bool help_open;
    bool keyboard_open; /* the question's keyboard in its own panel (no room under the question) */
    int key_layer;      /* on-screen keyboard layer: capitals, or more letters */
    bool idle_warning;
    Uint64 idle_warning_since;
    Uint64 last_activity;
    Uint64 screen_since;

    bool virtual_clock;
    Uint64 virtual_now;
    Replay *replay;
    Uint64 started_ns;
    bool first_frame_logged;
    bool full_screen_pending; /* kiosk mode: asked of the window manager after the first frame */
};

extern const Screen SCREEN_WELCOME, SCREEN_CHOOSE, SCREEN_QUESTION, SCREEN_THANKS, SCREEN_NOT_READY,
    SCREEN_CANNOT_SAVE, SCREEN_SUPPORT;

int app_run(const AppOptions *options);

Uint64 app_now(const App *app);
void app_go(App *app, const Screen *screen);
/* Layout units (1280x800 landscape, 800x1280 portrait) to pixels. */
int app_px(const App *app, int units);
/* A text size in layout units to pixels, at the person's text size. */
int app_text_px(const App *app, int units);
const char *app_string(const App *app, StringId id);
/* The language on screen now: the session's, else the one chosen on Welcome. */
const char *app_language(const App *app);
/* Right-to-left screens are drawn mirrored: every rectangle a screen
 * computes is flipped left-right at the moment it is drawn or hit-tested,
 * so screens are written once, in left-to-right terms. */
bool app_rtl(const App *app);
SDL_Rect app_mirror(const App *app, SDL_Rect r);
/* True while typed text goes into an answer (so Space types rather than
 * presses). Never with switch scanning: the switch presses, and words come
 * from the on-screen keys. */
bool app_takes_text(const App *app);
/* Whether any active questionnaire can be answered in this language. */
bool app_language_offered(const App *app, const char *code);
/* Whether staff left questionnaire i active on this device. */
bool app_questionnaire_active(const App *app, int index);
/* How many are active, and the index of the first. */
int app_active_count(const App *app, int *first);
/* Starts a session on questionnaire i and shows its first question. */
void app_start_questionnaire(App *app, int index);
/* Saves the finished session; shows Thank you only after it is durable. */
void app_finish_session(App *app);
enum { APP_STORE_RETRY_MS = 10000 };
/* Tries the store again now (the "Try again" button and the retry timer):
 * saves the waiting answers, or goes back to Welcome once there is room. */
void app_retry_storage(App *app);
/* Forgets the current person's answers (they chose Back from the first
 * question) but not their language; the caller picks the next screen. */
void app_drop_answers(App *app);
/* Forgets the current person entirely, language too, and shows Welcome. */
void app_reset(App *app);
/* Renders the current screen now (used by draws and screenshots). */
void app_draw(App *app);
bool app_save_screenshot(App *app, const char *path);
/* Handles one SDL event as the real loop would. */
void app_handle_event(App *app, const SDL_Event *event);
/* Runs timers due at `now`. */
void app_tick(App *app);
/* The next time something is due, or 0 for none. */
Uint64 app_next_deadline(const App *app);

#endif
