/* access: the person's choices, the access strip and panel, focus, scanning
 * and read-aloud. Everything here works from the element list the screen
 * just drew, so a control a finger can reach is one a keyboard, a switch and
 * the speaker can reach too, in the same order. */
#include "ui/access.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "ui/layout.h"
#include "ui/speech.h"
#include "ui/widgets.h"

enum {
    ACTION_READ = 9100,
    ACTION_PANEL,
    ACTION_PANEL_CLOSE,
    ACTION_SIZE,
    ACTION_COLOURS,
    ACTION_ALWAYS_READ,
    ACTION_QUIETER,
    ACTION_LOUDER,
    ACTION_NOTHING,
};

enum { VOLUME_STEP = 20, SCAN_QUIET_CYCLES = 3 };

/* Step 4 makes 32 px answer text 58 px: a capital H of about 40 px, 6.8 mm
 * on a 10-inch 1280x800 screen (5.9 px/mm). docs/accessibility.md. */
static const double TEXT_FACTORS[TEXT_STEP_MAX + 1] = {1.0, 1.0, 1.25, 1.5, 1.8};

double access_text_factor(int step)
{
    if (step < TEXT_STEP_MIN || step > TEXT_STEP_MAX)
        step = TEXT_STEP_MIN;
    return TEXT_FACTORS[step];
}

static void apply_choices(App *app)
{
    app->theme = app->choices.high_contrast ? theme_high_contrast() : app->config.theme;
    app->text_factor = access_text_factor(app->choices.text_step);
    if (app->speech)
        speech_set_volume(app->speech, app->choices.volume);
    app->dirty = true;
}

static void speech_finished(void *ctx)
{
    /* Called on the speech thread: only an event crosses to the UI. */
    Uint32 type = (Uint32)(uintptr_t)ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    SDL_PushEvent(&e);
}

void access_init(App *app)
{
    app->choices = app->config.access;
    app->focus = -1;
    app->speech_event = SDL_RegisterEvents(1);
    if (app->speech_event != (Uint32)-1)
        /* NOLINTNEXTLINE(performance-no-int-to-ptr): the event type rides as user data */
        app->speech = speech_create(speech_finished, (void *)(uintptr_t)app->speech_event);
    if (!app->speech)
        log_info("access", "read aloud is not available on this device");
    apply_choices(app);
}

void access_deinit(App *app)
{
    speech_destroy(app->speech);
    app->speech = NULL;
}

void access_reset_person(App *app)
{
    if (app->speech)
        speech_stop(app->speech);
    app->choices = app->config.access;
    app->panel_open = false;
    app->focus = -1;
    app->read_page[0] = '\0';
    apply_choices(app);
}

/* ---- read aloud ---- */

static const char *voice_for(const App *app)
{
    const StringLanguage *l = strings_language(app->strings, app_language(app));
    return l && l->voice && app->speech && speech_has_voice(app->speech, l->voice) ? l->voice
                                                                                   : NULL;
}

static void say(App *app, const char *const *texts, size_t count)
{
    const char *voice = voice_for(app);
    if (!voice || count == 0)
        return;
    if (speech_say(app->speech, voice, texts, count))
        log_info("access", "read aloud: %zu texts in voice %s", count, voice);
    app->dirty = true; /* Read aloud becomes Stop */
}

enum { READ_MAX = 48 };

bool access_read_screen(App *app)
{
    if (!voice_for(app))
        return false;
    const Elements *e = &app->elements;
    /* Pass 0 takes the texts, pass 1 the answers, pass 2 the way on. */
    static const ElementKind BUTTONS[] = {KIND_CONTROL, KIND_ANSWER, KIND_PRIMARY};
    char *texts[READ_MAX];
    size_t n = 0;
    int answer = 0;
    for (size_t pass = 0; pass < 3; pass++) {
        for (int i = 0; i < e->count && n < READ_MAX; i++) {
            const Element *el = &e->items[i];
            bool take = pass == 0 ? el->role == ROLE_TEXT
                                  : el->role == ROLE_BUTTON && el->kind == BUTTONS[pass];
            if (!take || !el->label[0])
                continue;
            size_t size = strlen(el->label) + 128;
            texts[n] = SDL_malloc(size);
            if (!texts[n])
                break;
            if (pass == 1)
                snprintf(texts[n], size, app_string(app, STR_SPOKEN_ANSWER), ++answer, el->label);
            else
                snprintf(texts[n], size, "%s", el->label);
            n++;
        }
    }
    say(app, (const char *const *)texts, n);
    for (size_t i = 0; i < n; i++) {
        explicit_bzero(texts[i], strlen(texts[i])); /* may be a person's typed words */
        SDL_free(texts[i]);
    }
    return true;
}

static void read_focus(App *app)
{
    if (app->choices.always_read_aloud && app->focus >= 0 && app->focus < app->elements.count) {
        const char *label = app->elements.items[app->focus].label;
        say(app, &label, 1);
    }
}

/* A page is the screen, the question on it, and any panel or help open
 * over it: reading restarts, and focus goes back to the start, only when
 * the page changes, not on every redraw. */
static void page_key(const App *app, char *out, size_t size)
{
    snprintf(out, size, "%s/%d/%d/%d/%s", app->screen->name,
             app->session ? session_current(app->session) : -1, app->help_open, app->panel_open,
             app_language(app));
}

void access_after_draw(App *app)
{
    if (!app->choices.always_read_aloud || app->idle_warning)
        return;
    char page[sizeof app->read_page];
    page_key(app, page, sizeof page);
    if (strcmp(page, app->read_page) == 0)
        return;
    snprintf(app->read_page, sizeof app->read_page, "%s", page);
    access_read_screen(app);
}

/* ---- the strip and the panel ---- */

static void picture(const App *app, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", app->picture_dir, name);
}

/* The strip's two buttons, sized for their words at the person's text
 * size: Read aloud (when this language has a voice) and Text and colours. */
typedef struct {
    SDL_Rect read, display;
    bool has_read;
} Strip;

/* The strip and the panel are controls, not reading text: their words stop
 * growing at Big, so every choice (including the way back to a smaller
 * size) stays on one screen, and the room goes to the question and the
 * answers. Returns the factor to restore. */
static double cap_text_factor(App *app)
{
    double factor = app->text_factor;
    app->text_factor = SDL_min(factor, access_text_factor(TEXT_STEP_MIN + 1));
    return factor;
}

static Strip strip_layout_at_size(App *app);

static Strip strip_layout(App *app)
{
    double factor = cap_text_factor(app);
    Strip st = strip_layout_at_size(app);
    app->text_factor = factor;
    return st;
}

static Strip strip_layout_at_size(App *app)
{
    Strip st = {{0}, {0}, false};
    int m = app_px(app, 24), gap = app_px(app, 16), max_w = (app->width - 2 * m - gap) / 2;
    int dw, dh, rw = 0, rh = 0;
    button_size_for(app, app_string(app, STR_DISPLAY), true, max_w, &dw, &dh);
    st.has_read = voice_for(app) != NULL;
    if (st.has_read) {
        bool speaking = speech_speaking(app->speech);
        button_size_for(app, app_string(app, speaking ? STR_STOP_READING : STR_READ_ALOUD), true,
                        max_w, &rw, &rh);
        /* The same width whether it says Read aloud or Stop, so it does not
         * jump under the finger. */
        int other_w, other_h;
        button_size_for(app, app_string(app, speaking ? STR_READ_ALOUD : STR_STOP_READING), true,
                        max_w, &other_w, &other_h);
        rw = SDL_max(rw, other_w);
        rh = SDL_max(rh, other_h);
    }
    int h = SDL_max(app_px(app, 76), SDL_max(dh, rh));
    dw = SDL_max(dw, app_px(app, 250));
    st.display = (SDL_Rect){app->width - m - dw, m / 2, dw, h};
    if (st.has_read)
        st.read = (SDL_Rect){st.display.x - gap - SDL_max(rw, app_px(app, 220)), m / 2,
                             SDL_max(rw, app_px(app, 220)), h};
    return st;
}

int access_strip_height(App *app)
{
    Strip st = strip_layout(app);
    return st.display.y + st.display.h + app_px(app, 8);
}

static void draw_strip(App *app)
{
    double factor = cap_text_factor(app);
    Strip st = strip_layout_at_size(app);
    char pic[1200];
    if (st.has_read) {
        bool speaking = speech_speaking(app->speech);
        picture(app, speaking ? "stop.svg" : "speaker.svg", pic, sizeof pic);
        draw_button(app, st.read, app_string(app, speaking ? STR_STOP_READING : STR_READ_ALOUD),
                    pic, BUTTON_SECONDARY, LAYOUT_ROW, speaking, true, ACTION_READ, 0);
    }
    picture(app, "colours.svg", pic, sizeof pic);
    Element *el = draw_button(app, st.display, app_string(app, STR_DISPLAY), pic, BUTTON_SECONDARY,
                              LAYOUT_ROW, app->panel_open, true, ACTION_PANEL, 0);
    el->kind = KIND_CONTROL;
    app->text_factor = factor;
}

/* A titled row of choices in the panel; returns the y below it. */
static int panel_row(App *app, SDL_Rect area, int y, StringId title, const char *note,
                     const StringId *labels, const char *const *pictures, int count, int action,
                     int selected)
{
    int gap = app_px(app, 12);
    int title_h = app_text_px(app, TEXT_BODY) * 3 / 2;
    SDL_Rect head = {area.x, y, note ? area.w / 2 : area.w, title_h};
    draw_text(app, app_string(app, title), app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN),
              true, ALIGN_START, head);
    if (note) {
        /* The volume level, at the end of the Sound heading: next to the
         * buttons that change it. */
        SDL_Rect end = {area.x + area.w / 2, y, area.w / 2, title_h};
        TextStyle ts = {app_text_px(app, TEXT_BODY),
                        false,
                        colour_sdl(app->theme.text),
                        ALIGN_START,
                        app_rtl(app),
                        app_language(app)};
        int w = 0, h = 0;
        text_measure(app->text, note, &ts, end.w, &w, &h);
        end.x += end.w - SDL_min(w, end.w);
        end.w = SDL_min(w, end.w);
        draw_text(app, note, app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN), false,
                  ALIGN_START, end);
    }
    y += title_h;
    int button_h = app_px(app, TARGET_MIN), widest = 0;
    for (int i = 0; i < count; i++)
        widest = SDL_max(widest, button_min_width(app, app_string(app, labels[i]),
                                                  pictures && pictures[i], button_h));
    int columns = count;
    while (columns > 1 && (area.w - (columns - 1) * gap) / columns < widest)
        columns--;
    int cell_w = (area.w - (columns - 1) * gap) / columns;
    for (int i = 0; i < count; i++) {
        int w, h;
        /* less the room draw_button keeps for the tick */
        button_size_for(app, app_string(app, labels[i]), pictures && pictures[i],
                        cell_w - app_px(app, 44), &w, &h);
        button_h = SDL_max(button_h, h);
    }
    int rows = (count + columns - 1) / columns;
    SDL_Rect grid = {area.x, y, area.w, rows * button_h + (rows - 1) * gap};
    for (int i = 0; i < count; i++) {
        char pic[1200];
        if (pictures && pictures[i])
            picture(app, pictures[i], pic, sizeof pic);
        Element *el =
            draw_button(app, layout_cell(grid, count, columns, gap, i), app_string(app, labels[i]),
                        pictures && pictures[i] ? pic : NULL, BUTTON_ANSWER, LAYOUT_ROW,
                        selected == i, true, action + (action == ACTION_ALWAYS_READ ? i : 0), i);
        el->kind = KIND_CONTROL;
    }
    return y + grid.h + gap * 2;
}

static void draw_panel_at_size(App *app);

static void draw_panel(App *app)
{
    double factor = cap_text_factor(app);
    draw_panel_at_size(app);
    app->text_factor = factor;
}

static void draw_panel_at_size(App *app)
{
    /* Taps outside the panel land on this, not on the screen behind. */
    elements_clear(&app->elements);
    SDL_Rect all = {0, 0, app->width, app->height};
    Element *backdrop = elements_add(&app->elements, ROLE_BUTTON, "", all);
    backdrop->kind = KIND_BACKDROP;
    backdrop->action = ACTION_NOTHING;
    int m = app_px(app, 12), pad = app_px(app, 28);
    SDL_Rect panel = {m, m, app->width - 2 * m, app->height - 2 * m};
    draw_fill(app, panel, app->theme.background);
    draw_frame(app, panel, app_px(app, 6), app->theme.accent);
    SDL_Rect area = {panel.x + pad, panel.y + pad, panel.w - 2 * pad, panel.h - 2 * pad};
    /* Close sits beside the title, where the eye starts. */
    int bh = app_px(app, 96);
    int bw =
        SDL_max(app_px(app, 220),
                button_min_width(app, app_string(app, STR_CLOSE), false, bh) + app_px(app, 24));
    SDL_Rect close = {area.x + area.w - bw, area.y, bw, bh};
    Element *el = draw_button(app, close, app_string(app, STR_CLOSE), NULL, BUTTON_PRIMARY,
                              LAYOUT_ROW, false, true, ACTION_PANEL_CLOSE, 0);
    el->kind = KIND_PRIMARY;
    SDL_Rect title = {area.x, area.y, area.w - bw - app_px(app, 16), bh};
    draw_text(app, app_string(app, STR_DISPLAY_TITLE), app_text_px(app, TEXT_QUESTION),
              app_text_px(app, TEXT_MIN), true, ALIGN_START, title);
    int y = area.y + bh + app_px(app, 8);
    static const StringId sizes[] = {STR_SIZE_1, STR_SIZE_2, STR_SIZE_3, STR_SIZE_4};
    y = panel_row(app, area, y, STR_TEXT_SIZE, NULL, sizes, NULL, 4, ACTION_SIZE,
                  app->choices.text_step - TEXT_STEP_MIN);
    static const StringId colours[] = {STR_COLOURS_STANDARD, STR_COLOURS_HIGH};
    static const char *const colour_pictures[] = {"colours.svg", "contrast.svg"};
    y = panel_row(app, area, y, STR_COLOURS, NULL, colours, colour_pictures, 2, ACTION_COLOURS,
                  app->choices.high_contrast ? 1 : 0);
    if (voice_for(app)) {
        static const StringId sound[] = {STR_ALWAYS_READ, STR_QUIETER, STR_LOUDER};
        static const char *const sound_pictures[] = {"speaker.svg", "quieter.svg", "louder.svg"};
        char volume[160];
        snprintf(volume, sizeof volume, app_string(app, STR_VOLUME_N_OF_M),
                 app->choices.volume / VOLUME_STEP, 100 / VOLUME_STEP);
        panel_row(app, area, y, STR_SOUND, volume, sound, sound_pictures, 3, ACTION_ALWAYS_READ,
                  app->choices.always_read_aloud ? 0 : -1);
    }
}

static void draw_focus(App *app)
{
    if (app->focus < 0 || app->focus >= app->elements.count)
        return;
    /* Two rings, dark inside light, so the focus shows on any colour. */
    SDL_Rect r = app->elements.items[app->focus].rect;
    int t = app_px(app, 6);
    SDL_Rect outer = {r.x - 2 * t, r.y - 2 * t, r.w + 4 * t, r.h + 4 * t};
    SDL_Rect inner = {r.x - t, r.y - t, r.w + 2 * t, r.h + 2 * t};
    /* Element rectangles are already on-screen (mirrored) coordinates. */
    SDL_Renderer *g = app->renderer;
    SDL_SetRenderDrawColor(g, 0xFF, 0xD5, 0x00, 255);
    for (int i = 0; i < t; i++) {
        SDL_Rect edge = {outer.x + i, outer.y + i, outer.w - 2 * i, outer.h - 2 * i};
        SDL_RenderDrawRect(g, &edge);
    }
    SDL_SetRenderDrawColor(g, 0x00, 0x00, 0x00, 255);
    for (int i = 0; i < t; i++) {
        SDL_Rect edge = {inner.x + i, inner.y + i, inner.w - 2 * i, inner.h - 2 * i};
        SDL_RenderDrawRect(g, &edge);
    }
}

void access_draw(App *app)
{
    draw_strip(app);
    if (app->panel_open)
        draw_panel(app);
}

void access_draw_focus(App *app)
{
    char page[sizeof app->focus_page];
    page_key(app, page, sizeof page);
    bool new_page = strcmp(page, app->focus_page) != 0;
    snprintf(app->focus_page, sizeof app->focus_page, "%s", page);
    if (app->focus >= 0 && (new_page || !elements_focusable(&app->elements, app->focus)))
        app->focus = elements_next_focus(&app->elements, -1, 1);
    draw_focus(app);
}

bool access_activate(App *app, const Element *element)
{
    switch (element->action) {
    case ACTION_READ:
        if (app->speech && speech_speaking(app->speech))
            speech_stop(app->speech);
        else
            access_read_screen(app);
        break;
    case ACTION_PANEL: app->panel_open = true; break;
    case ACTION_PANEL_CLOSE: app->panel_open = false; break;
    case ACTION_SIZE:
        app->choices.text_step = TEXT_STEP_MIN + element->arg;
        log_info("access", "text size %d", app->choices.text_step);
        break;
    case ACTION_COLOURS:
        app->choices.high_contrast = element->arg == 1;
        log_info("access", "colours %s", app->choices.high_contrast ? "high contrast" : "standard");
        break;
    case ACTION_ALWAYS_READ:
        app->choices.always_read_aloud = !app->choices.always_read_aloud;
        app->read_page[0] = '\0';
        break;
    case ACTION_ALWAYS_READ + 1:
        app->choices.volume = SDL_max(0, app->choices.volume - VOLUME_STEP);
        break;
    case ACTION_ALWAYS_READ + 2:
        app->choices.volume = SDL_min(100, app->choices.volume + VOLUME_STEP);
        break;
    case ACTION_NOTHING: break;
    default: return false;
    }
    apply_choices(app);
    return true;
}

/* ---- keyboard and switch ---- */

static void move_focus(App *app, int step)
{
    int next = elements_next_focus(&app->elements, app->focus, step);
    if (next != app->focus) {
        app->focus = next;
        app->dirty = true;
        read_focus(app);
    }
}

static void restart_scan(App *app)
{
    app->scan_quiet_steps = 0;
    app->scan_resting = false;
    app->scan_due = app->choices.switch_scanning
                        ? app_now(app) + (Uint64)app->config.access.scan_interval_ms
                        : 0;
}

bool access_key(App *app, const SDL_KeyboardEvent *key)
{
    SDL_Keycode k = key->keysym.sym;
    bool shift = (key->keysym.mod & KMOD_SHIFT) != 0;
    bool rtl = app_rtl(app);
    int step = 0;
    if (k == SDLK_TAB)
        step = shift ? -1 : 1;
    else if (k == SDLK_DOWN || k == (rtl ? SDLK_LEFT : SDLK_RIGHT))
        step = 1;
    else if (k == SDLK_UP || k == (rtl ? SDLK_RIGHT : SDLK_LEFT))
        step = -1;
    if (step) {
        move_focus(app, step);
        restart_scan(app);
        return true;
    }
    /* Space types a space while a text answer is being written; Return
     * always presses. */
    bool press =
        k == SDLK_RETURN || k == SDLK_KP_ENTER || (k == SDLK_SPACE && !app_takes_text(app));
    if (!press)
        return false;
    if (app->focus < 0) {
        /* The first press of a switch shows where the focus is. */
        move_focus(app, 1);
        restart_scan(app);
        return true;
    }
    restart_scan(app);
    return false; /* the app presses the focused control */
}

bool access_event(App *app, const SDL_Event *event)
{
    if (app->speech_event && event->type == app->speech_event) {
        app->dirty = true; /* Stop becomes Read aloud */
        SpeechStats stats;
        speech_stats(app->speech, &stats);
        if (stats.sample_rate)
            log_info("access", "read aloud ended: %.1f s of sound",
                     (double)stats.samples_played / stats.sample_rate);
        return true;
    }
    return false;
}

Uint64 access_next_deadline(const App *app)
{
    return app->choices.switch_scanning && !app->idle_warning ? app->scan_due : 0;
}

void access_tick(App *app)
{
    if (!app->choices.switch_scanning || app->idle_warning)
        return;
    Uint64 now = app_now(app);
    if (!app->scan_due) {
        if (!app->scan_resting)
            restart_scan(app);
        return;
    }
    if (now < app->scan_due)
        return;
    /* After a few silent rounds scanning rests, so an empty kiosk sleeps;
     * the next press of the switch starts it again. */
    int focusable = 0;
    for (int i = 0; i < app->elements.count; i++)
        focusable += elements_focusable(&app->elements, i);
    if (app->scan_quiet_steps >= SCAN_QUIET_CYCLES * SDL_max(focusable, 1)) {
        app->scan_due = 0;
        app->scan_resting = true;
        return;
    }
    app->scan_quiet_steps++;
    move_focus(app, 1);
    app->scan_due = now + (Uint64)app->config.access.scan_interval_ms;
}
