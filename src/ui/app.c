/* app: start-up, the event loop, idle handling and the step from a finished
 * session to a durable response. The loop blocks in SDL_WaitEventTimeout
 * until input or the next deadline, so an idle kiosk uses no CPU, and it
 * redraws only when a handler marked the frame dirty. */
#include "ui/app.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <dirent.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/log.h"
#include "core/response.h"
#include "core/safeguarding.h"
#include "ui/access.h"
#include "ui/replay.h"
#include "ui/staff.h"
#include "ui/sync_link.h"
#include "ui/widgets.h"

enum { ACTION_STILL_HERE = 9001 };

Uint64 app_now(const App *app)
{
    return app->virtual_clock ? app->virtual_now : SDL_GetTicks64();
}

int app_px(const App *app, int units)
{
    return (int)(units * app->scale + 0.5);
}

int app_text_px(const App *app, int units)
{
    return (int)(units * app->scale * app->text_factor + 0.5);
}

const char *app_language(const App *app)
{
    return app->session ? session_language(app->session) : app->language;
}

bool app_rtl(const App *app)
{
    return language_is_rtl(app_language(app));
}

SDL_Rect app_mirror(const App *app, SDL_Rect r)
{
    if (app_rtl(app))
        r.x = app->width - r.x - r.w;
    return r;
}

const char *app_string(const App *app, StringId id)
{
    return strings_get(app->strings, app_language(app), id);
}

static void app_resize(App *app, int width, int height)
{
    app->width = width;
    app->height = height;
    app->portrait = height > width;
    double base_w = app->portrait ? 800.0 : 1280.0, base_h = app->portrait ? 1280.0 : 800.0;
    app->scale = SDL_min(width / base_w, height / base_h);
    app->dirty = true;
}

void app_go(App *app, const Screen *screen)
{
    app->screen = screen;
    app->screen_since = app_now(app);
    app->last_activity = app->screen_since;
    app->help_open = false;
    app->keyboard_open = false;
    app->panel_open = false;
    app->answer_page = 0;
    app->idle_warning = false;
    app->pressed = -1;
    /* Until the new screen is drawn, a queued tap must not hit the old one. */
    elements_clear(&app->elements);
    app->dirty = true;
    if (screen->enter)
        screen->enter(app);
}

void app_drop_answers(App *app)
{
    session_destroy(app->session);
    app->session = NULL;
    app->finish_flags_known = false;
    text_cache_clear(app->text); /* cached textures are keyed by typed text */
    app->key_layer = 0;
    sync_link_apply_pending(app);
}

void app_reset(App *app)
{
    app_drop_answers(app);
    /* The person's screens were just dropped from the caches; give the
     * freed pages back, so memory does not creep up over a day of people. */
    malloc_trim(0);
    access_reset_person(app);
    snprintf(app->language, sizeof app->language, "%s", app->config.default_language);
    app_go(app, &SCREEN_WELCOME);
}

bool app_takes_text(const App *app)
{
    return app->screen->takes_text && app->screen->takes_text(app) && !app->choices.switch_scanning;
}

bool app_language_offered(const App *app, const char *code)
{
    for (int i = 0; i < app->questionnaire_count; i++)
        if (app_questionnaire_active(app, i) &&
            questionnaire_has_language(app->questionnaires[i], code))
            return true;
    return false;
}

/* Storage failed: say so, stop taking answers, and try again by itself.
 * `show` is false for the retry timer, which must not pull staff off their
 * screens. */
static void store_trouble(App *app, const char *why, bool show)
{
    if (!app->store_trouble || strcmp(app->store_problem, why) != 0)
        log_error("app", "cannot take answers: %s", why);
    app->store_trouble = true;
    if (why != app->store_problem)
        snprintf(app->store_problem, sizeof app->store_problem, "%s", why);
    app->store_retry_at = app_now(app) + APP_STORE_RETRY_MS;
    if (show && app->screen != &SCREEN_CANNOT_SAVE)
        app_go(app, &SCREEN_CANNOT_SAVE);
}

/* Storage works again (a save went through, or there is room). */
static void store_fine(App *app)
{
    if (app->store_trouble)
        log_info("app", "answers can be saved again");
    app->store_trouble = false;
    app->store_retry_at = 0;
    app->store_problem[0] = '\0';
}

static bool store_reopen(App *app, bool show)
{
    if (app->store)
        return true;
    char why[512];
    app->store = store_open_kiosk(app->options->data_dir, why, sizeof why);
    if (!app->store) {
        store_trouble(app, why, show);
        return false;
    }
    sync_link_use_saved_set(app);
    sync_link_start(app);
    staff_load_saved(app);
    return true;
}

void app_retry_storage(App *app)
{
    bool show = app->screen == &SCREEN_CANNOT_SAVE;
    app->store_retry_at = 0;
    if (!store_reopen(app, show))
        return;
    if (app->session) {
        app_finish_session(app);
        return;
    }
    char why[512];
    if (!store_has_room(app->store, why, sizeof why)) {
        store_trouble(app, why, show);
        return;
    }
    store_fine(app);
    if (show) {
        app_reset(app);
        if (staff_needs_pin(app))
            app_go(app, staff_first_screen(app));
    }
}

void app_start_questionnaire(App *app, int index)
{
    if (index < 0 || index >= app->questionnaire_count)
        return;
    /* Better to say so now than after someone has answered everything. */
    char why[512];
    if (!app->store) {
        store_trouble(app, app->store_problem[0] ? app->store_problem : "no database", true);
        return;
    }
    if (!store_has_room(app->store, why, sizeof why)) {
        store_trouble(app, why, true);
        return;
    }
    session_destroy(app->session);
    app->session = session_create(app->questionnaires[index], app->language);
    log_info("app", "questionnaire %s started", app->questionnaires[index]->id);
    app_go(app, &SCREEN_QUESTION);
}

/* Why staff should look at this response. Worked out once per session, so
 * "Try again" after a failed save does not count the same person twice. */
static unsigned finish_flags(App *app)
{
    if (app->finish_flags_known)
        return app->finish_flags;
    unsigned flags = 0;
    json_t *answers = session_answers_json(app->session);
    const Questionnaire *q = session_questionnaire(app->session);
    if (risk_words_match_answers(app->risk_words, q, answers))
        flags |= RESPONSE_FLAG_RISK_WORDS;
    char *compact = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    MisuseRules rules = {app->config.min_seconds_between, app->config.repeat_window_seconds};
    if (compact)
        flags |= misuse_check(&app->misuse, &rules, app_now(app), q->id, compact);
    if (compact)
        explicit_bzero(compact, strlen(compact));
    free(compact);
    json_decref(answers);
    app->finish_flags = flags;
    app->finish_flags_known = true;
    return flags;
}

void app_finish_session(App *app)
{
    const Venue *v = &app->venue;
    unsigned flags = app->session ? finish_flags(app) : 0;
    ResponseContext ctx = {.site = app->config.site,
                           .device = app->config.device,
                           .mode = collection_mode_name(venue_collection(v)),
                           .time_resolution_minutes = app->config.time_resolution_minutes,
                           .now = time(NULL),
                           .venue = venue_kind_name(v->kind),
                           .event_name = v->kind == VENUE_EVENT ? v->event_name : NULL,
                           .event_session = v->kind == VENUE_EVENT ? v->event_session : NULL,
                           .flags = flags};
    Response *r = app->session ? response_build(app->session, &ctx) : NULL;
    bool saved = r && app->store && store_commit(app->store, r);
    if (saved && r->flags[0])
        log_info("app", "response %s flagged: %s", r->id, r->flags);
    response_destroy(r);
    if (!saved) {
        /* The answers stay in memory; "Try again", or the retry timer, saves
         * them once storage works. Nothing is shown as saved that is not. */
        store_trouble(app, app->store ? "the response could not be saved" : "no database", true);
        return;
    }
    store_fine(app);
    session_destroy(app->session);
    app->session = NULL;
    app->finish_flags_known = false;
    sync_link_kick(app);
    /* Words that suggest risk: a calm page with where to get help. The
     * answers are saved whatever happens here. */
    app_go(app, (flags & RESPONSE_FLAG_RISK_WORDS) ? &SCREEN_SUPPORT : &SCREEN_THANKS);
}

/* ---- drawing ---- */

static void draw_idle_warning(App *app)
{
    elements_clear(&app->elements);
    SDL_Rect all = {0, 0, app->width, app->height};
    int w = SDL_min(app->width - app_px(app, 80), app_px(app, 900));
    int h = app_px(app, 560);
    SDL_Rect panel = {(app->width - w) / 2, (app->height - h) / 2, w, h};
    /* Dim only around the panel, which is opaque: blending every pixel of
     * the window was most of this frame's time (docs/performance-kiosk.md). */
    SDL_Rect p = app_mirror(app, panel); /* where draw_fill puts it */
    SDL_Rect around[4] = {{0, 0, app->width, p.y},
                          {0, p.y + p.h, app->width, app->height - p.y - p.h},
                          {0, p.y, p.x, p.h},
                          {p.x + p.w, p.y, app->width - p.x - p.w, p.h}};
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(app->renderer, 0, 0, 0, 170);
    SDL_RenderFillRects(app->renderer, around, 4);
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_NONE);
    Element *anywhere =
        elements_add(&app->elements, ROLE_BUTTON, app_string(app, STR_STILL_HERE), all);
    anywhere->action = ACTION_STILL_HERE;
    anywhere->kind = KIND_BACKDROP;

    draw_fill(app, panel, app->theme.background);
    draw_frame(app, panel, app_px(app, 6), app->theme.accent);
    int pad = app_px(app, 32);
    SDL_Rect line = {panel.x + pad, panel.y + pad, panel.w - 2 * pad, app_px(app, 80)};
    draw_text(app, app_string(app, STR_STILL_THERE), app_text_px(app, TEXT_TITLE),
              app_text_px(app, TEXT_BODY), true, ALIGN_CENTER, line);
    line.y += line.h;
    draw_text(app, app_string(app, STR_STILL_THERE_HELP), app_text_px(app, TEXT_BODY),
              app_text_px(app, TEXT_MIN), false, ALIGN_CENTER, line);
    SDL_Rect button = {panel.x + pad, line.y + line.h + pad, panel.w - 2 * pad, app_px(app, 130)};
    char picture[1200];
    snprintf(picture, sizeof picture, "%s/thumbs-up.svg", app->picture_dir);
    draw_button(app, button, app_string(app, STR_STILL_HERE), picture, BUTTON_PRIMARY, LAYOUT_ROW,
                false, true, ACTION_STILL_HERE, 0);
    Uint64 elapsed = app_now(app) - app->idle_warning_since;
    Uint64 total = (Uint64)app->config.idle_warning_seconds * 1000;
    int left = (int)((total - SDL_min(elapsed, total) + 999) / 1000);
    char countdown[160];
    snprintf(countdown, sizeof countdown, app_string(app, STR_RESTART_IN), left);
    SDL_Rect bottom = {panel.x + pad, button.y + button.h + pad / 2, panel.w - 2 * pad,
                       app_px(app, 90)};
    draw_text(app, countdown, app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN), false,
              ALIGN_CENTER, bottom);
}

static void render_frame(App *app)
{
    const Theme *t = &app->theme;
    SDL_SetRenderDrawColor(app->renderer, t->background.r, t->background.g, t->background.b, 255);
    SDL_RenderClear(app->renderer);
    elements_clear(&app->elements);
    app->screen->draw(app);
    if (!app->screen->full_screen)
        access_draw(app);
    if (app->idle_warning)
        draw_idle_warning(app);
    access_draw_focus(app);
}

void app_draw(App *app)
{
    render_frame(app);
    SDL_RenderPresent(app->renderer);
    app->dirty = false;
    access_after_draw(app);
    if (!app->first_frame_logged) {
        app->first_frame_logged = true;
        struct timespec ts, wall;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        clock_gettime(CLOCK_REALTIME, &wall);
        Uint64 now_ns = (Uint64)ts.tv_sec * 1000000000ULL + (Uint64)ts.tv_nsec;
        /* The wall clock lets a benchmark count exec and dynamic linking
         * too, from a time it took before starting the process. */
        log_info("app", "first frame %.1f ms after start (%dx%d), at %lld.%06ld s wall clock",
                 (double)(now_ns - app->started_ns) / 1e6, app->width, app->height,
                 (long long)wall.tv_sec, wall.tv_nsec / 1000);
    }
    if (app->full_screen_pending) {
        app->full_screen_pending = false;
        if (SDL_SetWindowFullscreen(app->window, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
            log_error("app", "cannot make the window full screen: %s", SDL_GetError());
    }
}

bool app_save_screenshot(App *app, const char *path)
{
    render_frame(app);
    SDL_Surface *shot =
        SDL_CreateRGBSurfaceWithFormat(0, app->width, app->height, 32, SDL_PIXELFORMAT_ARGB8888);
    bool ok = shot &&
              SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
                                   shot->pitch) == 0 &&
              IMG_SavePNG(shot, path) == 0;
    if (!ok)
        log_error("app", "screenshot %s failed: %s", path, SDL_GetError());
    SDL_FreeSurface(shot);
    SDL_RenderPresent(app->renderer);
    app->dirty = false;
    return ok;
}

/* ---- input ---- */

static void activate(App *app, int index)
{
    if (index < 0 || index >= app->elements.count)
        return;
    Element element = app->elements.items[index]; /* handlers may rebuild the list */
    if (element.action == ACTION_STILL_HERE && app->idle_warning) {
        app->idle_warning = false;
    } else if (!app->idle_warning && !access_activate(app, &element)) {
        app->screen->activate(app, &element);
    }
    app->dirty = true;
}

static void pointer_down(App *app, int x, int y)
{
    app->pressed = elements_hit(&app->elements, x, y);
    app->dirty = true;
}

static void pointer_up(App *app, int x, int y)
{
    int pressed = app->pressed;
    app->pressed = -1;
    app->dirty = true;
    /* A tap counts only when it ends on the control it started on, so a
     * finger sliding off a button cancels, as on a phone. */
    if (pressed >= 0 && elements_hit(&app->elements, x, y) == pressed)
        activate(app, pressed);
}

void app_handle_event(App *app, const SDL_Event *e)
{
    if (sync_link_event(app, e) || staff_event(app, e) || access_event(app, e))
        return;
    switch (e->type) {
    case SDL_QUIT:
        if (!app->config.kiosk || app->options->windowed)
            app->quit = true;
        else
            log_info("app", "quit request ignored in kiosk mode");
        return;
    case SDL_WINDOWEVENT:
        /* SDL_WINDOWEVENT_CLOSE is ignored: outside kiosk mode SDL follows
         * it with SDL_QUIT, which quits; in kiosk mode it does not. */
        if (e->window.event == SDL_WINDOWEVENT_FOCUS_GAINED && app->config.kiosk &&
            !app->options->windowed && !app->options->replay_path)
            log_info("app", "focus gained; keyboard %s",
                     SDL_GetWindowKeyboardGrab(app->window) ? "grabbed" : "not grabbed");
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            app_resize(app, e->window.data1, e->window.data2);
        else if (e->window.event == SDL_WINDOWEVENT_EXPOSED)
            app->dirty = true;
        return;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP: {
        int x = (int)(e->tfinger.x * (float)app->width);
        int y = (int)(e->tfinger.y * (float)app->height);
        app->last_activity = app_now(app);
        staff_pointer(app, e->type == SDL_FINGERDOWN, x, y);
        if (e->type == SDL_FINGERDOWN)
            pointer_down(app, x, y);
        else
            pointer_up(app, x, y);
        return;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* SDL also reports each touch as a mouse click; the finger events
         * above already handled it, so a second tap must not happen. */
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
            return;
        app->last_activity = app_now(app);
        staff_pointer(app, e->type == SDL_MOUSEBUTTONDOWN, e->button.x, e->button.y);
        if (e->type == SDL_MOUSEBUTTONDOWN)
            pointer_down(app, e->button.x, e->button.y);
        else
            pointer_up(app, e->button.x, e->button.y);
        return;
    case SDL_TEXTINPUT:
        app->last_activity = app_now(app);
        /* A switch that sends Space also sends its text; with scanning on,
         * the switch presses and words come from the on-screen keys. */
        if (app->choices.switch_scanning)
            return;
        if (!app->idle_warning && app->screen->text_input) {
            app->screen->text_input(app, e->text.text);
            app->dirty = true;
        }
        return;
    case SDL_KEYDOWN:
        app->last_activity = app_now(app);
        if (app->idle_warning) {
            app->idle_warning = false;
            app->dirty = true;
            return;
        }
        if (e->key.keysym.sym == SDLK_ESCAPE && app->options->windowed) {
            app->quit = true;
            return;
        }
        if (staff_key(app, &e->key)) {
            app->dirty = true;
            return;
        }
        if (access_key(app, &e->key)) {
            app->dirty = true;
            return;
        }
        SDL_Keycode key = e->key.keysym.sym;
        bool press = key == SDLK_RETURN || key == SDLK_KP_ENTER ||
                     (key == SDLK_SPACE && !app_takes_text(app));
        if (press && elements_focusable(&app->elements, app->focus)) {
            activate(app, app->focus);
            return;
        }
        if (app->screen->key) {
            app->screen->key(app, key);
            app->dirty = true;
        }
        return;
    default: return;
    }
}

/* ---- timers ---- */

/* When the screen goes back to Welcome by itself, counted from the last
 * touch so staff reading a screen are not cut off; 0: never. */
static Uint64 screen_timeout_at(const App *app)
{
    int seconds = app->screen->timeout_seconds ? app->screen->timeout_seconds(app) : 0;
    if (seconds <= 0)
        return 0;
    return SDL_max(app->screen_since, app->last_activity) + (Uint64)seconds * 1000;
}

/* The next turn of the Welcome messages ("you said, we did"). */
static Uint64 message_due(const App *app)
{
    if (app->screen != &SCREEN_WELCOME || app->config.message_count < 2 || app->idle_warning)
        return 0;
    return app->message_since + (Uint64)app->config.message_seconds * 1000;
}

Uint64 app_next_deadline(const App *app)
{
    Uint64 next = 0;
    if (app->idle_warning) {
        /* once a second for the countdown, and the reset itself */
        Uint64 elapsed = app_now(app) - app->idle_warning_since;
        next = app->idle_warning_since + (elapsed / 1000 + 1) * 1000;
    } else if (app->screen->idle_resets) {
        next = app->last_activity + (Uint64)app->config.idle_seconds * 1000;
    }
    Uint64 t = screen_timeout_at(app);
    if (t && (!next || t < next))
        next = t;
    t = message_due(app);
    if (t && (!next || t < next))
        next = t;
    t = staff_next_deadline(app);
    if (t && (!next || t < next))
        next = t;
    Uint64 scan = access_next_deadline(app);
    if (scan && (!next || scan < next))
        next = scan;
    if (app->store_retry_at && (!next || app->store_retry_at < next))
        next = app->store_retry_at;
    return next;
}

void app_tick(App *app)
{
    access_tick(app);
    staff_tick(app);
    Uint64 now = app_now(app);
    if (app->store_retry_at && now >= app->store_retry_at) {
        app_retry_storage(app);
        now = app_now(app);
    }
    Uint64 timeout = screen_timeout_at(app);
    if (timeout && now >= timeout) {
        app_reset(app);
        return;
    }
    Uint64 message = message_due(app);
    if (message && now >= message) {
        app->message_index = (app->message_index + 1) % app->config.message_count;
        app->message_since = now;
        app->dirty = true;
    }
    if (app->idle_warning) {
        if (now >= app->idle_warning_since + (Uint64)app->config.idle_warning_seconds * 1000) {
            log_info("app", "nobody answered; unfinished answers discarded");
            app_reset(app);
        } else {
            app->dirty = true; /* countdown */
        }
        return;
    }
    if (app->screen->idle_resets &&
        now >= app->last_activity + (Uint64)app->config.idle_seconds * 1000) {
        app->idle_warning = true;
        app->idle_warning_since = now;
        app->pressed = -1;
        app->dirty = true;
    }
}

/* ---- start-up ---- */

static void print_problems(const char *file, Diagnostics *diag)
{
    for (size_t i = 0; i < diag->count; i++)
        log_error("config", "%s:%d:%d: %s", file, diag->items[i].line, diag->items[i].column,
                  diag->items[i].message);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_one(App *app, const char *path, const char *expected_id)
{
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_load(path, app->picture_dir, &diag);
    if (!q || diag.count) {
        print_problems(path, &diag);
        log_error("app", "questionnaire %s is not usable; it will not be shown", path);
        questionnaire_destroy(q);
    } else if (expected_id && strcmp(q->id, expected_id) != 0) {
        log_error("app", "%s has id \"%s\", expected \"%s\"", path, q->id, expected_id);
        questionnaire_destroy(q);
    } else if (app->questionnaire_count < APP_MAX_QUESTIONNAIRES) {
        app->questionnaires[app->questionnaire_count++] = q;
    } else {
        questionnaire_destroy(q);
    }
    diag_deinit(&diag);
}

static void load_questionnaires(App *app)
{
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/questionnaires", app->options->config_dir);
    if (app->config.questionnaire_count > 0) {
        for (int i = 0; i < app->config.questionnaire_count; i++) {
            snprintf(path, sizeof path, "%s/%s.json", dir, app->config.questionnaires[i]);
            load_one(app, path, app->config.questionnaires[i]);
        }
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        log_error("app", "cannot open questionnaire folder %s", dir);
        return;
    }
    char *names[APP_MAX_QUESTIONNAIRES] = {0};
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) && n < APP_MAX_QUESTIONNAIRES) {
        size_t len = strlen(entry->d_name);
        if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0 && entry->d_name[0] != '.')
            names[n++] = strdup(entry->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        load_one(app, path, NULL);
        free(names[i]);
    }
}

typedef enum { LOAD_READY, LOAD_NOT_READY, LOAD_CANNOT_SAVE } LoadResult;

static LoadResult app_load(App *app)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/device.json", app->options->config_dir);
    Diagnostics diag;
    diag_init(&diag);
    bool found = false;
    bool config_ok = device_config_load(&app->config, path, &found, &diag);
    print_problems(path, &diag);
    diag_deinit(&diag);
    if (!found)
        log_info("app", "no %s; using the built-in defaults", path);
    snprintf(app->language, sizeof app->language, "%s", app->config.default_language);
    if (!config_ok) {
        log_error("app", "device config is not valid; the screen shows \"not ready\"");
        return LOAD_NOT_READY;
    }
    load_questionnaires(app);
    char why[512];
    app->store = store_open_kiosk(app->options->data_dir, why, sizeof why);
    if (app->store)
        sync_link_use_saved_set(app);
    if (app->questionnaire_count == 0) {
        log_error("app", "no usable questionnaire; the screen shows \"not ready\"");
        return LOAD_NOT_READY;
    }
    if (!app->store) {
        log_error("app", "cannot open the response store: %s", why);
        snprintf(app->store_problem, sizeof app->store_problem, "%s", why);
        return LOAD_CANNOT_SAVE;
    }
    return LOAD_READY;
}

/* The config's words in every language, or the built-in English list. */
static void load_risk_words(App *app)
{
    app->risk_words = risk_words_create();
    for (int i = 0; i < app->config.risk_word_count; i++)
        if (!risk_words_add(app->risk_words, app->config.risk_words[i].language,
                            app->config.risk_words[i].words))
            log_error("app", "safeguarding word \"%s\" is not usable",
                      app->config.risk_words[i].words);
    if (app->config.risk_word_count == 0)
        risk_words_add_defaults(app->risk_words);
    log_info("app", "safeguarding: %zu risk words", risk_words_count(app->risk_words));
}

static bool app_open_window(App *app)
{
    /* The software renderer presents through OpenGL by default, which loads
     * Mesa (+100 MB, +200 ms); blitting the framebuffer avoids it. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    /* SIGTERM from the service manager must still stop the kiosk; SDL would
     * turn it into a quit request, which kiosk mode ignores. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    /* Kiosk mode: only staff leave (docs/kiosk-device.md). Full screen, the
     * keyboard is grabbed so the window manager's shortcuts (Alt+Tab,
     * Alt+F4, Super) reach the kiosk, which ignores them, and SDL must not
     * play Alt+Tab itself by minimising the window. A close request from
     * the window manager is not turned into a quit. */
    bool kiosk = !app->options->windowed && app->config.kiosk;
    bool full_screen = kiosk && !app->options->replay_path;
    if (kiosk)
        SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    if (full_screen) {
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log_error("app", "cannot start SDL video: %s", SDL_GetError());
        return false;
    }
    if (TTF_Init() != 0) {
        log_error("app", "cannot start SDL_ttf: %s", TTF_GetError());
        return false;
    }
    IMG_Init(IMG_INIT_PNG);
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    int width = app->options->width, height = app->options->height;
    SDL_Rect bounds;
    if (full_screen && SDL_GetDisplayBounds(0, &bounds) == 0) {
        /* A borderless window over the whole display first, and the window
         * manager's full-screen state only after the first frame: SDL's X11
         * code waits up to 100 ms for a window manager to act on that
         * request, the whole wait when there is none (a kiosk's bare X
         * server), and it would come before anything is on the screen. */
        flags |= SDL_WINDOW_BORDERLESS | SDL_WINDOW_KEYBOARD_GRABBED;
        x = bounds.x;
        y = bounds.y;
        width = bounds.w;
        height = bounds.h;
        app->full_screen_pending = true;
    } else if (full_screen) {
        flags |=
            SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS | SDL_WINDOW_KEYBOARD_GRABBED;
    } else if (app->options->windowed) {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    app->window = SDL_CreateWindow("Sayso", x, y, width, height, flags);
    if (!app->window) {
        log_error("app", "cannot open a window: %s", SDL_GetError());
        return false;
    }
    if (full_screen) {
        /* SDL holds the grab while the window has the input focus. */
        SDL_SetWindowKeyboardGrab(app->window, SDL_TRUE);
        log_info("app", "kiosk mode: keyboard grab asked for; quit and close requests ignored");
    }
    app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
    if (!app->renderer) {
        log_error("app", "cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    int w, h;
    SDL_GetRendererOutputSize(app->renderer, &w, &h);
    app_resize(app, w, h);
    char fonts[2048];
    snprintf(fonts, sizeof fonts, "%s/fonts", app->options->assets_dir);
    app->text = text_cache_create(app->renderer, fonts);
    app->pictures = picture_cache_create(app->renderer);
    if (!app->options->windowed && app->config.kiosk)
        SDL_ShowCursor(SDL_DISABLE);
    return app->text != NULL;
}

static void app_destroy(App *app)
{
    session_destroy(app->session);
    sync_link_stop(app);
    access_deinit(app);
    if (app->active_set)
        questionnaire_set_destroy(app->active_set);
    else
        for (int i = 0; i < app->questionnaire_count; i++)
            questionnaire_destroy(app->questionnaires[i]);
    staff_deinit(app);
    risk_words_destroy(app->risk_words);
    store_close(app->store);
    device_config_deinit(&app->config);
    replay_destroy(app->replay);
    strings_destroy(app->strings);
    elements_deinit(&app->elements);
    text_cache_destroy(app->text);
    picture_cache_destroy(app->pictures);
    if (app->renderer)
        SDL_DestroyRenderer(app->renderer);
    if (app->window)
        SDL_DestroyWindow(app->window);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
}

static void drain_events(App *app)
{
    SDL_Event e;
    while (SDL_PollEvent(&e))
        app_handle_event(app, &e);
}

int app_run(const AppOptions *options)
{
    App app;
    memset(&app, 0, sizeof app);
    /* Text and picture textures are large and short-lived: from 64 KiB up
     * they get pages of their own, returned when freed, instead of holes in
     * the heap (glibc would raise this threshold as big blocks are freed,
     * and the heap then only grows). */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    app.started_ns = (Uint64)ts.tv_sec * 1000000000ULL + (Uint64)ts.tv_nsec;
    app.options = options;
    app.pressed = -1;
    elements_init(&app.elements);
    device_config_defaults(&app.config);
    snprintf(app.picture_dir, sizeof app.picture_dir, "%s/assets/pictures", options->assets_dir);
    snprintf(app.tick_picture, sizeof app.tick_picture, "%s/yes.svg", app.picture_dir);
    char strings_dir[1100];
    snprintf(strings_dir, sizeof strings_dir, "%s/assets/strings", options->assets_dir);
    app.strings = strings_create();
    strings_load_dir(app.strings, strings_dir);
    int status = 0;
    if (options->replay_path) {
        app.replay = replay_create(options->replay_path, options->shots_dir);
        if (!app.replay) {
            status = 2;
            goto done;
        }
        app.virtual_clock = true;
        app.virtual_now = 1000;
    }
    LoadResult load = app_load(&app);
    if (!app_open_window(&app)) {
        status = 1;
        goto done;
    }
    /* After SDL is up (it delivers the reports), and only with a store. */
    if (app.store)
        sync_link_start(&app);
    staff_init(&app);
    load_risk_words(&app);
    access_init(&app);
    if (load == LOAD_READY)
        app_go(&app, staff_first_screen(&app));
    else if (load == LOAD_CANNOT_SAVE)
        store_trouble(&app, app.store_problem, true);
    else
        app_go(&app, &SCREEN_NOT_READY);
    while (!app.quit) {
        app_tick(&app);
        if (app.dirty)
            app_draw(&app);
        if (app.replay) {
            if (!replay_step(app.replay, &app, &status))
                break;
            drain_events(&app);
            continue;
        }
        Uint64 deadline = app_next_deadline(&app), now = app_now(&app);
        int timeout = -1;
        if (deadline)
            timeout = deadline > now ? (int)SDL_min(deadline - now, 24ULL * 3600 * 1000) : 0;
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, timeout)) {
            app_handle_event(&app, &e);
            drain_events(&app);
        }
    }
    if (app.replay && status == 0 && !replay_finished(app.replay)) {
        log_error("app", "the kiosk quit before the replay ended");
        status = 1;
    }
done:
    app_destroy(&app);
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        log_info("app", "peak RSS %ld kB", usage.ru_maxrss);
    return status;
}
