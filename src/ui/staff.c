/* staff: the hidden gesture, the PIN and its lock, and what the staff
 * screens save: the venue, turned-off questionnaires, device settings and
 * exports. Everything saved goes into the store's small state table, so it
 * survives a restart and travels with the data, never with the config. */
#include "ui/staff.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"
#include "ui/access.h"

#define VENUE_STATE_KEY "venue"
#define HIDDEN_STATE_KEY "hidden_questionnaires"
#define SETTINGS_STATE_KEY "device_settings"

static void save_guard(App *app)
{
    char text[PIN_GUARD_TEXT_SIZE];
    pin_guard_save(&app->staff->guard, app_now(app), text);
    if (app->store)
        store_state_set(app->store, STAFF_GUARD_STATE_KEY, text);
}

/* Settings staff changed on the device, over device.json's. */
static void apply_settings(App *app, const char *text)
{
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        return;
    }
    DeviceConfig *c = &app->config;
    const char *site = json_string_value(json_object_get(o, "site"));
    if (site && venue_name_valid(site)) {
        free(c->site);
        c->site = mem_strdup(site);
    }
    const char *language = json_string_value(json_object_get(o, "default_language"));
    if (language && language_code_valid(language))
        snprintf(c->default_language, sizeof c->default_language, "%s", language);
    json_int_t step = json_integer_value(json_object_get(o, "text_size"));
    if (step >= TEXT_STEP_MIN && step <= TEXT_STEP_MAX)
        c->access.text_step = (int)step;
    json_t *contrast = json_object_get(o, "high_contrast");
    if (json_is_boolean(contrast))
        c->access.high_contrast = json_is_true(contrast);
    json_t *aloud = json_object_get(o, "always_read_aloud");
    if (json_is_boolean(aloud))
        c->access.always_read_aloud = json_is_true(aloud);
    json_int_t idle = json_integer_value(json_object_get(o, "idle_seconds"));
    if (idle >= 15 && idle <= 3600)
        c->idle_seconds = (int)idle;
    json_decref(o);
}

bool staff_save_settings(App *app)
{
    const DeviceConfig *c = &app->config;
    json_t *o = json_pack("{s:s, s:s, s:i, s:b, s:b, s:i}", "site", c->site, "default_language",
                          c->default_language, "text_size", c->access.text_step, "high_contrast",
                          c->access.high_contrast, "always_read_aloud", c->access.always_read_aloud,
                          "idle_seconds", c->idle_seconds);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    bool ok = text && app->store && store_state_set(app->store, SETTINGS_STATE_KEY, text);
    free(text);
    json_decref(o);
    return ok;
}

void staff_init(App *app)
{
    Staff *s = mem_alloc(sizeof *s);
    app->staff = s;
    venue_default(&app->venue);
    s->export_event = SDL_RegisterEvents(1);
    if (app->config.staff.pin_hash) {
        snprintf(s->pin_hash, sizeof s->pin_hash, "%s", app->config.staff.pin_hash);
        s->pin_from_config = true;
    }
    staff_load_saved(app);
}

void staff_load_saved(App *app)
{
    Staff *s = app->staff;
    if (!app->store)
        return;
    if (!s->pin_from_config) {
        char *saved = store_state_get(app->store, STAFF_PIN_STATE_KEY);
        if (saved && staff_pin_hash_valid(saved))
            snprintf(s->pin_hash, sizeof s->pin_hash, "%s", saved);
        free(saved);
    }
    char *guard = store_state_get(app->store, STAFF_GUARD_STATE_KEY);
    if (guard && !pin_guard_restore(&s->guard, guard, app_now(app)))
        log_error("staff", "the saved PIN lock was not readable; starting afresh");
    free(guard);
    char *venue = store_state_get(app->store, VENUE_STATE_KEY);
    if (venue && !venue_from_json(&app->venue, venue))
        log_error("staff", "the saved mode was not readable; using ward kiosk");
    free(venue);
    char *hidden = store_state_get(app->store, HIDDEN_STATE_KEY);
    if (hidden)
        snprintf(s->hidden, sizeof s->hidden, "%s", hidden);
    free(hidden);
    char *settings = store_state_get(app->store, SETTINGS_STATE_KEY);
    apply_settings(app, settings);
    free(settings);
    snprintf(app->language, sizeof app->language, "%s", app->config.default_language);
    log_info("staff", "mode %s%s%s", venue_kind_name(app->venue.kind),
             app->venue.kind == VENUE_EVENT ? ", event " : "",
             app->venue.kind == VENUE_EVENT ? app->venue.event_name : "");
}

void staff_deinit(App *app)
{
    Staff *s = app->staff;
    if (!s)
        return;
    if (s->export_thread)
        SDL_WaitThread(s->export_thread, NULL);
    /* A result nobody handled still owns its work item. */
    SDL_Event e;
    while (s->export_event &&
           SDL_PeepEvents(&e, 1, SDL_GETEVENT, s->export_event, s->export_event) == 1)
        free(e.user.data1);
    tally_deinit(&s->tally);
    explicit_bzero(s, sizeof *s);
    free(s);
    app->staff = NULL;
}

bool staff_needs_pin(const App *app)
{
    return !app->staff->pin_hash[0];
}

const Screen *staff_first_screen(App *app)
{
    if (!staff_needs_pin(app))
        return &SCREEN_WELCOME;
    log_info("staff", "no staff PIN yet: staff choose one before the kiosk is used");
    app->staff->stage = PIN_CHOOSE;
    return &SCREEN_PIN;
}

/* ---- the way in ---- */

/* Welcome, or the storage message when nobody's answers are waiting, so
 * staff can see why answers cannot be saved. */
static bool gesture_allowed(const App *app)
{
    bool open_screen = app->screen == &SCREEN_WELCOME ||
                       (app->screen == &SCREEN_CANNOT_SAVE && !app->session);
    return open_screen && !app->idle_warning;
}

static bool in_corner(const App *app, int x, int y)
{
    int side = app_px(app, 110);
    return x < side && y < side;
}

void staff_pointer(App *app, bool down, int x, int y)
{
    Staff *s = app->staff;
    s->holding = down && gesture_allowed(app) && in_corner(app, x, y);
    if (s->holding)
        s->hold_since = app_now(app);
}

Uint64 staff_next_deadline(const App *app)
{
    return app->staff->holding ? app->staff->hold_since + STAFF_HOLD_MS : 0;
}

void staff_tick(App *app)
{
    Staff *s = app->staff;
    if (s->holding && app_now(app) >= s->hold_since + STAFF_HOLD_MS) {
        s->holding = false;
        app->pressed = -1; /* the lift must not also start a questionnaire */
        if (gesture_allowed(app))
            staff_open_pin(app, staff_needs_pin(app) ? PIN_CHOOSE : PIN_ENTER);
    }
}

bool staff_key(App *app, const SDL_KeyboardEvent *key)
{
    if (key->keysym.sym != SDLK_s || !(key->keysym.mod & KMOD_CTRL) ||
        !(key->keysym.mod & KMOD_ALT) || !gesture_allowed(app))
        return false;
    staff_open_pin(app, staff_needs_pin(app) ? PIN_CHOOSE : PIN_ENTER);
    return true;
}

void staff_open_pin(App *app, PinStage stage)
{
    Staff *s = app->staff;
    explicit_bzero(s->typed, sizeof s->typed);
    explicit_bzero(s->first, sizeof s->first);
    s->message[0] = '\0';
    s->stage = stage;
    /* Staff screens are in English for now (docs/staff.md). */
    snprintf(app->language, sizeof app->language, "en");
    access_reset_person(app);
    app_go(app, &SCREEN_PIN);
}

static void pin_entered(App *app)
{
    Staff *s = app->staff;
    int left = 0;
    if (pin_guard_locked(&s->guard, app_now(app), &left)) {
        snprintf(s->message, sizeof s->message, "Staff entry is locked. Try again in %d seconds.",
                 left);
        return;
    }
    if (staff_pin_verify(s->pin_hash, s->typed)) {
        pin_guard_succeeded(&s->guard);
        save_guard(app);
        log_info("staff", "staff mode entered");
        app_go(app, &SCREEN_STAFF);
        return;
    }
    pin_guard_failed(&s->guard, app_now(app));
    save_guard(app);
    log_info("staff", "wrong staff PIN (%d in a row)", s->guard.failures);
    if (pin_guard_locked(&s->guard, app_now(app), &left))
        snprintf(s->message, sizeof s->message,
                 "That PIN is not right. Staff entry is locked for %d seconds.", left);
    else
        snprintf(s->message, sizeof s->message, "That PIN is not right. %d tries left.",
                 pin_guard_tries_left(&s->guard));
}

static void pin_chosen(App *app)
{
    Staff *s = app->staff;
    if (s->stage == PIN_CHOOSE) {
        memcpy(s->first, s->typed, sizeof s->first);
        s->stage = PIN_CONFIRM;
        s->message[0] = '\0';
        return;
    }
    char hash[STAFF_PIN_HASH_MAX];
    if (strcmp(s->first, s->typed) != 0) {
        s->stage = PIN_CHOOSE;
        snprintf(s->message, sizeof s->message, "The two PINs were different. Please start again.");
    } else if (!staff_pin_hash(s->typed, hash) || !app->store ||
               !store_state_set(app->store, STAFF_PIN_STATE_KEY, hash)) {
        s->stage = PIN_CHOOSE;
        snprintf(s->message, sizeof s->message, "The PIN could not be saved. Please try again.");
    } else {
        snprintf(s->pin_hash, sizeof s->pin_hash, "%s", hash);
        s->changing_pin = false;
        pin_guard_succeeded(&s->guard);
        save_guard(app);
        log_info("staff", "a new staff PIN was set on this device");
        staff_notice(app, false, "The new PIN is saved.");
        app_go(app, &SCREEN_STAFF);
    }
    explicit_bzero(hash, sizeof hash);
    explicit_bzero(s->first, sizeof s->first);
}

void staff_pin_press(App *app, int key)
{
    Staff *s = app->staff;
    size_t n = strlen(s->typed);
    if (key >= 0 && key <= 9) {
        if (n < STAFF_PIN_MAX_DIGITS) {
            s->typed[n] = (char)('0' + key);
            s->typed[n + 1] = '\0';
        }
        return;
    }
    if (key == -1) {
        if (n)
            s->typed[n - 1] = '\0';
        return;
    }
    if (!staff_pin_valid(s->typed)) {
        snprintf(s->message, sizeof s->message, "A PIN has 4 to 8 numbers.");
    } else if (s->stage == PIN_ENTER) {
        pin_entered(app);
    } else {
        pin_chosen(app);
    }
    explicit_bzero(s->typed, sizeof s->typed);
}

void staff_leave(App *app)
{
    log_info("staff", "staff mode left");
    app->staff->notice[0] = '\0';
    app_reset(app);
}

int staff_timeout(const App *app)
{
    /* A kiosk with no PIN yet waits for staff to choose one. */
    if (app->screen == &SCREEN_PIN && staff_needs_pin(app) && !app->staff->changing_pin)
        return 0;
    return app->config.staff.timeout_seconds;
}

void staff_notice(App *app, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->staff->notice, sizeof app->staff->notice, fmt, ap);
    va_end(ap);
    app->staff->notice_is_error = error;
    app->dirty = true;
}

/* ---- what staff change ---- */

bool staff_save_venue(App *app, const Venue *v)
{
    if (!venue_valid(v))
        return false;
    char *text = venue_to_json(v);
    bool ok = text && app->store && store_state_set(app->store, VENUE_STATE_KEY, text);
    free(text);
    if (ok) {
        app->venue = *v;
        log_info("staff", "mode set to %s", venue_kind_name(v->kind));
    }
    return ok;
}

static bool hidden_id(const App *app, int index)
{
    char needle[80];
    snprintf(needle, sizeof needle, ",%s,", app->questionnaires[index]->id);
    return strstr(app->staff->hidden, needle) != NULL;
}

bool app_questionnaire_active(const App *app, int index)
{
    if (index < 0 || index >= app->questionnaire_count)
        return false;
    if (!app->staff || !app->staff->hidden[0] || !hidden_id(app, index))
        return true;
    /* A new set from central may hold only questionnaires staff turned off
     * before; then all are offered rather than none. */
    for (int i = 0; i < app->questionnaire_count; i++)
        if (!hidden_id(app, i))
            return false;
    return true;
}

int app_active_count(const App *app, int *first)
{
    int n = 0;
    if (first)
        *first = -1;
    for (int i = 0; i < app->questionnaire_count; i++)
        if (app_questionnaire_active(app, i)) {
            if (first && *first < 0)
                *first = i;
            n++;
        }
    return n;
}

bool staff_set_active(App *app, int index, bool active)
{
    Staff *s = app->staff;
    if (index < 0 || index >= app->questionnaire_count)
        return false;
    if (!active && app_questionnaire_active(app, index) && app_active_count(app, NULL) <= 1)
        return false; /* at least one stays on, or nobody could answer */
    char next[sizeof s->hidden] = ",";
    for (int i = 0; i < app->questionnaire_count; i++) {
        bool on = i == index ? active : app_questionnaire_active(app, i);
        size_t n = strlen(next);
        if (!on && n + strlen(app->questionnaires[i]->id) + 2 < sizeof next)
            snprintf(next + n, sizeof next - n, "%s,", app->questionnaires[i]->id);
    }
    if (strcmp(next, ",") == 0)
        next[0] = '\0';
    if (!app->store || !store_state_set(app->store, HIDDEN_STATE_KEY, next))
        return false;
    snprintf(s->hidden, sizeof s->hidden, "%s", next);
    return true;
}

/* ---- results ---- */

typedef struct {
    Tally *tally;
} TallyCtx;

static bool add_response(void *ctx, const char *answers, const char *flags)
{
    (void)flags;
    tally_add(((TallyCtx *)ctx)->tally, answers);
    return true;
}

void staff_results_refresh(App *app)
{
    Staff *s = app->staff;
    tally_deinit(&s->tally);
    s->tally_ready = false;
    if (s->results_questionnaire < 0 || s->results_questionnaire >= app->questionnaire_count)
        s->results_questionnaire = 0;
    if (!app->store || app->questionnaire_count == 0)
        return;
    const Questionnaire *q = app->questionnaires[s->results_questionnaire];
    tally_init(&s->tally, q);
    char since[TIME_TEXT_SIZE];
    StoreFilter filter = {q->id, NULL, NULL, NULL};
    if (s->period == PERIOD_TODAY) {
        /* Local midnight, in the UTC form responses are stored in. */
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        time_format_rounded(mktime(&tm), 1, since);
        filter.since = since;
    } else if (s->period == PERIOD_EVENT && app->venue.kind == VENUE_EVENT) {
        filter.event_name = app->venue.event_name;
        filter.event_session = app->venue.event_session;
    }
    TallyCtx ctx = {&s->tally};
    s->tally_ready = store_each_response(app->store, &filter, add_response, &ctx);
    s->flagged = store_flagged_count(app->store);
}

/* ---- export ---- */

/* Config folders are listed even when missing, so staff see why. */
static void add_folder(Staff *s, const char *path)
{
    if (s->folder_count >= STAFF_FOLDERS_MAX)
        return;
    for (int i = 0; i < s->folder_count; i++)
        if (strcmp(s->folders[i], path) == 0)
            return;
    snprintf(s->folders[s->folder_count++], EXPORT_PATH_MAX, "%s", path);
}

/* USB sticks: what desktop automounters make, /media/<user>/<label> and
 * /run/media/<user>/<label>, or a plain /media/<label>. */
/* NOLINTNEXTLINE(misc-no-recursion): depth levels at most */
static void scan_mounts(Staff *s, const char *root, int depth)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[EXPORT_PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        struct stat st, parent;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || stat(root, &parent) != 0)
            continue;
        if (st.st_dev != parent.st_dev)
            add_folder(s, path); /* a mount point */
        else if (depth > 0)
            scan_mounts(s, path, depth - 1);
    }
    closedir(d);
}

void staff_find_folders(App *app)
{
    Staff *s = app->staff;
    s->folder_count = 0;
    for (int i = 0; i < app->config.staff.export_folder_count; i++)
        add_folder(s, app->config.staff.export_folders[i]);
    scan_mounts(s, "/media", 1);
    scan_mounts(s, "/run/media", 1);
}

typedef struct {
    char data_dir[EXPORT_PATH_MAX];
    char target[EXPORT_PATH_MAX];
    char device[128];
    Uint32 event;
    ExportResult result;
} ExportWork;

static int export_thread(void *arg)
{
    ExportWork *w = arg;
    export_to_folder(w->data_dir, w->target, w->device, time(NULL), &w->result);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = w->event;
    e.user.data1 = w;
    if (SDL_PushEvent(&e) != 1) {
        log_error("staff", "export finished but could not report: %s", SDL_GetError());
        free(w);
    }
    return 0;
}

bool staff_export_running(const App *app)
{
    return app->staff->export_thread != NULL;
}

void staff_export_start(App *app, int folder)
{
    Staff *s = app->staff;
    if (s->export_thread || folder < 0 || folder >= s->folder_count)
        return;
    ExportWork *w = mem_alloc(sizeof *w);
    snprintf(w->data_dir, sizeof w->data_dir, "%s", app->options->data_dir);
    snprintf(w->target, sizeof w->target, "%s", s->folders[folder]);
    snprintf(w->device, sizeof w->device, "%s", app->config.device);
    w->event = s->export_event;
    s->export_thread = SDL_CreateThread(export_thread, "sayso-export", w);
    if (!s->export_thread) {
        free(w);
        staff_notice(app, true, "Export could not start: %s", SDL_GetError());
        return;
    }
    staff_notice(app, false, "Saving to %s ...", s->folders[folder]);
}

bool staff_event(App *app, const SDL_Event *e)
{
    Staff *s = app->staff;
    if (!s || e->type != s->export_event || !s->export_event)
        return false;
    ExportWork *w = e->user.data1;
    if (s->export_thread) {
        SDL_WaitThread(s->export_thread, NULL);
        s->export_thread = NULL;
    }
    if (w->result.ok)
        staff_notice(app, false,
                     "Saved %lld responses to %s (responses.csv, responses.json, "
                     "SHA256SUMS). Nothing was removed from this kiosk.",
                     (long long)w->result.count, w->result.folder);
    else
        staff_notice(app, true,
                     "Not saved. %s Nothing was lost: every response is still on "
                     "this kiosk.",
                     w->result.why);
    free(w);
    return true;
}
