/* replay: executes script commands one at a time between event-loop turns,
 * so every tap is followed by the app handling it and redrawing before the
 * next check runs. */
#include "ui/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/file.h"
#include "core/mem.h"
#include "core/replay_script.h"
#include "ui/monkey.h"
#include "ui/speech.h"

struct Replay {
    char *path;
    char *shots_dir;
    ReplayScript script;
    size_t next;
    Monkey *monkey; /* while a monkey command runs */
};

Replay *replay_create(const char *path, const char *shots_dir)
{
    size_t length = 0;
    char why[200];
    char *source = file_read(path, 4 << 20, &length, why, sizeof why);
    if (!source) {
        fprintf(stderr, "%s: %s\n", path, why);
        return NULL;
    }
    Replay *r = mem_alloc(sizeof *r);
    r->path = mem_strdup(path);
    r->shots_dir = mem_strdup(shots_dir ? shots_dir : ".");
    Diagnostics diag;
    diag_init(&diag);
    bool ok = replay_script_parse(source, length, &r->script, &diag);
    diag_print(&diag, path, stderr);
    diag_deinit(&diag);
    free(source);
    if (!ok) {
        replay_destroy(r);
        return NULL;
    }
    return r;
}

void replay_destroy(Replay *r)
{
    if (!r)
        return;
    replay_script_deinit(&r->script);
    monkey_destroy(r->monkey);
    free(r->path);
    free(r->shots_dir);
    free(r);
}

static void push_finger(App *app, Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 1;
    e.tfinger.x = (float)x / (float)app->width;
    e.tfinger.y = (float)y / (float)app->height;
    e.tfinger.pressure = 1.0f;
    e.tfinger.windowID = SDL_GetWindowID(app->window);
    SDL_PushEvent(&e);
}

static void push_tap(App *app, int x, int y)
{
    push_finger(app, SDL_FINGERDOWN, x, y);
    push_finger(app, SDL_FINGERUP, x, y);
}

/* An SDL key name after any of "Shift+", "Ctrl+", "Alt+": "Tab",
 * "Shift+Tab", "Ctrl+Alt+S". */
static bool push_key(const char *name)
{
    static const struct {
        const char *prefix;
        Uint16 mod;
    } mods[] = {{"Shift+", KMOD_LSHIFT}, {"Ctrl+", KMOD_LCTRL}, {"Alt+", KMOD_LALT}};
    Uint16 mod = KMOD_NONE;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
            if (strncmp(name, mods[i].prefix, strlen(mods[i].prefix)) == 0) {
                mod |= mods[i].mod;
                name += strlen(mods[i].prefix);
                again = true;
            }
    }
    SDL_Keycode key = SDL_GetKeyFromName(name);
    if (key == SDLK_UNKNOWN)
        return false;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.mod = mod;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    return true;
}

/* One SDL_TEXTINPUT per character, as an input method would send them. */
static void push_text(const char *text)
{
    const char *p = text;
    while (*p) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_TEXTINPUT;
        memcpy(e.text.text, p, n < sizeof e.text.text ? n : sizeof e.text.text - 1);
        SDL_PushEvent(&e);
        p += n;
    }
}

/* Advances the virtual clock, stopping at every deadline on the way so
 * timers fire in order and each screen they lead to is drawn. */
static void advance(App *app, long ms)
{
    Uint64 target = app->virtual_now + (Uint64)ms;
    while (app->virtual_now < target) {
        Uint64 deadline = app_next_deadline(app);
        app->virtual_now = (deadline > app->virtual_now && deadline < target) ? deadline : target;
        app_tick(app);
        if (app->dirty)
            app_draw(app);
    }
}

/* Beside each screenshot, where every piece of text was drawn, so a test
 * can measure its contrast on the pixels (tests/tools/contrast). */
static bool write_texts(const App *app, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "# x\ty\tw\th\tlabel (screen %s)\n", app->screen->name);
    for (int i = 0; i < app->elements.count; i++) {
        const Element *el = &app->elements.items[i];
        SDL_Rect r = el->text_rect;
        if (r.w <= 0 || r.h <= 0 || !el->label[0])
            continue;
        fprintf(f, "%d\t%d\t%d\t%d\t", r.x, r.y, r.w, r.h);
        for (const char *c = el->label; *c; c++)
            fputc(*c == '\t' || *c == '\n' ? ' ' : *c, f);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

/* Real time: speech plays at its own pace. Events are handled meanwhile so
 * the screen shows Stop, then Read aloud again, as it would. */
static bool wait_spoken(App *app, long ms, char *message, size_t size)
{
    if (!app->speech) {
        snprintf(message, size, "read aloud is not available");
        return false;
    }
    Uint64 until = SDL_GetTicks64() + (Uint64)ms;
    while (speech_speaking(app->speech) && SDL_GetTicks64() < until) {
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, 20))
            app_handle_event(app, &e);
        if (app->dirty)
            app_draw(app);
    }
    SpeechStats stats;
    speech_stats(app->speech, &stats);
    double seconds = stats.sample_rate ? (double)stats.samples_played / stats.sample_rate : 0.0;
    fprintf(stderr, "spoken: %.2f s of audio, peak %d, in %s\n", seconds, stats.peak,
            app_language(app));
    if (speech_speaking(app->speech)) {
        snprintf(message, size, "still reading aloud after %ld ms", ms);
        return false;
    }
    if (stats.samples_played == 0 || stats.peak < 1000) {
        snprintf(message, size, "reading aloud played %.2f s, peak %d: no sound", seconds,
                 stats.peak);
        return false;
    }
    return true;
}

/* The capital H of the label's text, in tenths of a millimetre, on a
 * 10-inch screen with the window's pixels (1280x800: 5.9 px per mm). */
static bool check_cap_height(App *app, const ReplayCommand *c, char *message, size_t size)
{
    const Element *found = NULL;
    for (int i = 0; i < app->elements.count && !found; i++)
        if (strcmp(app->elements.items[i].label, c->text) == 0 && app->elements.items[i].text_px)
            found = &app->elements.items[i];
    if (!found) {
        snprintf(message, size, "no text \"%s\" on screen \"%s\"", c->text, app->screen->name);
        return false;
    }
    double px_per_mm =
        SDL_sqrt((double)app->width * app->width + (double)app->height * app->height) /
        (10.0 * 25.4);
    int cap = text_cap_height(app->text, found->text_px, false);
    double tenths = cap / px_per_mm * 10.0;
    fprintf(stderr, "cap height of \"%s\": %d px at %d px text, %.1f mm on a 10-inch screen\n",
            c->text, cap, found->text_px, tenths / 10.0);
    if (tenths + 1e-9 < (double)c->ms) {
        snprintf(message, size, "capital H of \"%s\" is %.1f mm, expected at least %.1f mm",
                 c->text, tenths / 10.0, (double)c->ms / 10.0);
        return false;
    }
    return true;
}

/* Every enabled button on screen, smallest side in tenths of a millimetre
 * on a 10-inch screen of the window's size, as for the capital H. */
static bool check_targets(App *app, const ReplayCommand *c, char *message, size_t size)
{
    double px_per_mm =
        SDL_sqrt((double)app->width * app->width + (double)app->height * app->height) /
        (10.0 * 25.4);
    const Element *smallest = NULL;
    int buttons = 0;
    for (int i = 0; i < app->elements.count; i++) {
        const Element *e = &app->elements.items[i];
        if (e->role != ROLE_BUTTON || !e->enabled || e->kind == KIND_BACKDROP)
            continue;
        buttons++;
        if (!smallest ||
            SDL_min(e->rect.w, e->rect.h) < SDL_min(smallest->rect.w, smallest->rect.h))
            smallest = e;
    }
    if (!smallest) {
        snprintf(message, size, "no control on screen \"%s\"", app->screen->name);
        return false;
    }
    int side = SDL_min(smallest->rect.w, smallest->rect.h);
    double tenths = side / px_per_mm * 10.0;
    fprintf(stderr, "smallest of %d controls: \"%s\", %dx%d px, %.1f mm on a 10-inch screen\n",
            buttons, smallest->label, smallest->rect.w, smallest->rect.h, tenths / 10.0);
    if (tenths + 1e-9 < (double)c->ms) {
        snprintf(message, size, "control \"%s\" is %dx%d px (%.1f mm), expected at least %.1f mm",
                 smallest->label, smallest->rect.w, smallest->rect.h, tenths / 10.0,
                 (double)c->ms / 10.0);
        return false;
    }
    return true;
}

static bool fail(Replay *r, const ReplayCommand *c, const char *what)
{
    fprintf(stderr, "%s:%d: replay check failed: %s\n", r->path, c->line, what);
    return false;
}

/* Real time, not virtual: the sync thread talks to a real server. Events
 * are handled meanwhile, as the main loop would, so reports arrive. */
static bool wait_synced(App *app, long ms, char *message, size_t size)
{
    Uint64 until = SDL_GetTicks64() + (Uint64)ms;
    StoreOutboxCounts counts = {0};
    while (SDL_GetTicks64() < until) {
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, 50))
            app_handle_event(app, &e);
        if (app->dirty)
            app_draw(app);
        if (app->store && store_outbox_counts(app->store, &counts) && counts.unsent == 0 &&
            app->sync_received && app->sync_status.counts.unsent == 0 &&
            !app->sync_status.last_error[0])
            return true;
    }
    snprintf(message, size, "not synced after %ld ms: %lld waiting, last error \"%s\"", ms,
             (long long)counts.unsent, app->sync_status.last_error);
    return false;
}

static void push_quit(void)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_QUIT;
    SDL_PushEvent(&e);
}

/* One turn of a monkey command; *done once it has run every action and its
 * last idle check. The summary line is printed at the end and on failure. */
static bool monkey_turn(Replay *r, App *app, const ReplayCommand *c, bool *done)
{
    *done = false;
    if (!r->monkey)
        r->monkey = monkey_create((uint64_t)c->seed, c->count, c->text, app);
    long ms = 0;
    bool ok = true;
    switch (monkey_step(r->monkey, app, &ms)) {
    case MONKEY_PUSHED: return true;
    case MONKEY_WAIT: advance(app, ms); return true;
    case MONKEY_IDLE_CHECK:
        advance(app, MONKEY_IDLE_MS);
        if (app->screen != &SCREEN_WELCOME || app->idle_warning) {
            char message[200];
            snprintf(message, sizeof message, "after %d s untouched the screen is \"%s\"%s",
                     MONKEY_IDLE_MS / 1000, app->screen->name,
                     app->idle_warning ? " with the idle warning" : "");
            ok = fail(r, c, message);
            break;
        }
        return true;
    case MONKEY_DONE: *done = true; break;
    }
    char summary[600];
    monkey_summary(r->monkey, app, summary, sizeof summary);
    fprintf(stderr, "%s\n", summary);
    monkey_destroy(r->monkey);
    r->monkey = NULL;
    return ok;
}

/* ---- benchmarks (bench/kiosk.sh, docs/performance-kiosk.md) ---- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The screen as a benchmark line names it: screen, window, text step and
 * language, so a slow frame can be found again. */
static void print_where(const App *app)
{
    fprintf(stderr, " screen=%s size=%dx%d text_step=%d lang=%s", app->screen->name, app->width,
            app->height, app->choices.text_step, app_language(app));
}

/* Redraws the unchanged screen `count` times exactly as the loop draws a
 * dirty frame (app_draw: everything up to and including the present). The
 * first draw of each screen, with its text still to lay out, is what
 * bench-tap measures. */
static void bench_frames(App *app, const ReplayCommand *c)
{
    double *times = mem_array((size_t)c->count, sizeof *times);
    for (long i = 0; i < c->count; i++) {
        app->dirty = true;
        double start = now_ms();
        app_draw(app);
        times[i] = now_ms() - start;
    }
    qsort(times, (size_t)c->count, sizeof *times, compare_doubles);
    size_t n = (size_t)c->count;
    size_t p99 = (n * 99 + 99) / 100 - 1; /* nearest rank */
    fprintf(stderr, "bench-frames label=\"%s\"", c->text);
    print_where(app);
    fprintf(stderr, " n=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", n, times[n / 2], times[p99],
            times[n - 1]);
    free(times);
}

/* A tap on the control labelled c->text, timed from pushing its touch
 * events to the end of the present that shows what it did: the same
 * queue, handlers, timers and draw as the main loop's turn. */
static bool bench_tap(App *app, const ReplayCommand *c, char *message, size_t size)
{
    int i = elements_find_button(&app->elements, c->text);
    if (i < 0 || !app->elements.items[i].enabled) {
        snprintf(message, size, "no enabled control labelled \"%s\" on screen \"%s\"", c->text,
                 app->screen->name);
        return false;
    }
    const char *from = app->screen->name;
    SDL_Rect rect = app->elements.items[i].rect;
    double start = now_ms();
    push_tap(app, rect.x + rect.w / 2, rect.y + rect.h / 2);
    SDL_Event e;
    while (SDL_PollEvent(&e))
        app_handle_event(app, &e);
    app_tick(app);
    bool drawn = app->dirty;
    if (drawn)
        app_draw(app);
    double took = now_ms() - start;
    fprintf(stderr, "bench-tap label=\"%s\" from=%s", c->text, from);
    print_where(app);
    fprintf(stderr, " drawn=%d ms=%.3f\n", drawn, took);
    return true;
}

/* Resident and peak resident memory from /proc/self/status, in kB. */
static void bench_rss(const App *app, const ReplayCommand *c)
{
    long rss = -1, hwm = -1;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            rss = strtol(line + 6, NULL, 10);
        else if (strncmp(line, "VmHWM:", 6) == 0)
            hwm = strtol(line + 6, NULL, 10);
    }
    if (f)
        (void)fclose(f); /* read only: nothing to lose */
    fprintf(stderr, "bench-rss label=\"%s\"", c->text);
    print_where(app);
    fprintf(stderr, " rss_kb=%ld peak_kb=%ld\n", rss, hwm);
}

bool replay_finished(const Replay *r)
{
    return r->next >= r->script.count;
}

bool replay_step(Replay *r, App *app, int *status)
{
    *status = 0;
    if (r->next >= r->script.count)
        return false;
    const ReplayCommand *c = &r->script.commands[r->next];
    if (c->op == REPLAY_MONKEY) {
        bool done = false;
        bool ok = monkey_turn(r, app, c, &done);
        if (done)
            r->next++;
        if (!ok)
            *status = 1;
        return ok;
    }
    r->next++;
    char message[4400];
    bool ok = true;
    switch (c->op) {
    case REPLAY_WAIT: advance(app, c->ms); break;
    case REPLAY_PAUSE: {
        struct timespec ts = {c->ms / 1000, (c->ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        break;
    }
    case REPLAY_TAP: push_tap(app, c->x, c->y); break;
    case REPLAY_PRESS: push_finger(app, SDL_FINGERDOWN, c->x, c->y); break;
    case REPLAY_RELEASE: push_finger(app, SDL_FINGERUP, c->x, c->y); break;
    case REPLAY_TAP_TEXT: {
        int i = elements_find_button(&app->elements, c->text);
        if (i < 0) {
            snprintf(message, sizeof message, "no control labelled \"%s\" on screen \"%s\"",
                     c->text, app->screen->name);
            ok = fail(r, c, message);
        } else if (!app->elements.items[i].enabled) {
            snprintf(message, sizeof message, "control \"%s\" is disabled", c->text);
            ok = fail(r, c, message);
        } else {
            SDL_Rect rect = app->elements.items[i].rect;
            push_tap(app, rect.x + rect.w / 2, rect.y + rect.h / 2);
        }
        break;
    }
    case REPLAY_KEY:
        if (!push_key(c->text)) {
            snprintf(message, sizeof message, "unknown key name \"%s\"", c->text);
            ok = fail(r, c, message);
        }
        break;
    case REPLAY_TYPE: push_text(c->text); break;
    case REPLAY_EXPECT_TEXT:
    case REPLAY_EXPECT_NO_TEXT: {
        bool shown = elements_show_text(&app->elements, c->text);
        if (shown != (c->op == REPLAY_EXPECT_TEXT)) {
            snprintf(message, sizeof message, "text \"%s\" is %s screen \"%s\"", c->text,
                     shown ? "shown on" : "not shown on", app->screen->name);
            ok = fail(r, c, message);
        }
        break;
    }
    case REPLAY_EXPECT_SCREEN:
        if (strcmp(app->screen->name, c->text) != 0) {
            snprintf(message, sizeof message, "screen is \"%s\", expected \"%s\"",
                     app->screen->name, c->text);
            ok = fail(r, c, message);
        }
        break;
    case REPLAY_EXPECT_SELECTED:
    case REPLAY_EXPECT_UNSELECTED: {
        int i = elements_find_button(&app->elements, c->text);
        bool want = c->op == REPLAY_EXPECT_SELECTED;
        if (i < 0 || app->elements.items[i].selected != want) {
            snprintf(message, sizeof message, "control \"%s\" is %s", c->text,
                     i < 0 ? "not on screen" : (want ? "not selected" : "selected"));
            ok = fail(r, c, message);
        }
        break;
    }
    case REPLAY_EXPECT_SYNCED:
        if (!wait_synced(app, c->ms, message, sizeof message))
            ok = fail(r, c, message);
        break;
    case REPLAY_EXPECT_FOCUS: {
        const char *focused = elements_focusable(&app->elements, app->focus)
                                  ? app->elements.items[app->focus].label
                                  : NULL;
        if (!focused || strcmp(focused, c->text) != 0) {
            snprintf(message, sizeof message, "focus is on \"%s\", expected \"%s\"",
                     focused ? focused : "(nothing)", c->text);
            ok = fail(r, c, message);
        }
        break;
    }
    case REPLAY_EXPECT_SPOKEN:
        if (!wait_spoken(app, c->ms, message, sizeof message))
            ok = fail(r, c, message);
        break;
    case REPLAY_EXPECT_CAP_HEIGHT:
        if (!check_cap_height(app, c, message, sizeof message))
            ok = fail(r, c, message);
        break;
    case REPLAY_EXPECT_TARGETS:
        if (!check_targets(app, c, message, sizeof message))
            ok = fail(r, c, message);
        break;
    case REPLAY_CLOSE_WINDOW: {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_WINDOWEVENT;
        e.window.event = SDL_WINDOWEVENT_CLOSE;
        e.window.windowID = SDL_GetWindowID(app->window);
        SDL_PushEvent(&e);
        break;
    }
    case REPLAY_QUIT_EVENT: push_quit(); break;
    case REPLAY_MONKEY: break; /* above */
    case REPLAY_BENCH_FRAMES: bench_frames(app, c); break;
    case REPLAY_BENCH_TAP:
        if (!bench_tap(app, c, message, sizeof message))
            ok = fail(r, c, message);
        break;
    case REPLAY_BENCH_RSS: bench_rss(app, c); break;
    case REPLAY_SHOT: {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.png", r->shots_dir, c->text);
        char texts[4200];
        snprintf(texts, sizeof texts, "%s/%s.texts.tsv", r->shots_dir, c->text);
        if (strchr(c->text, '/') || !app_save_screenshot(app, path) || !write_texts(app, texts)) {
            snprintf(message, sizeof message, "cannot save screenshot %s", path);
            ok = fail(r, c, message);
        }
        break;
    }
    }
    if (!ok)
        *status = 1;
    return ok;
}
