/* monkey: random input from a seed. A splitmix64 generator in the Monkey
 * keeps runs reproducible; what is on screen (the element list) steers the
 * taps, so a run goes where a person would, and the same seed on the same
 * build goes the same way. Actions come in small bursts, one per turn of the
 * event loop, so the app draws between them and the next burst aims at what
 * is really there. */
#include "ui/monkey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "ui/staff.h"

typedef enum {
    ACT_TAP_CONTROL, /* on a control, mostly its centre */
    ACT_TAP_ANYWHERE,
    ACT_DRAG,
    ACT_FINGERS, /* two or three fingers, down and up interleaved */
    ACT_MOUSE,
    ACT_KEY,
    ACT_TEXT,
    ACT_PIN,  /* the PIN it was given, on the PIN screen */
    ACT_HOLD, /* a finger stays down for seconds (the staff gesture) */
    ACT_WAIT,
    ACT_LONG_WAIT, /* past the idle timeout */
    ACT_RESIZE,
    ACT_CLOSE, /* the window manager's close, or SDL's quit */
    ACT_COUNT
} Action;

static const char *const ACTION_NAMES[ACT_COUNT] = {
    "control-taps", "taps",  "drags", "multi-touch", "clicks",  "keys",  "texts",
    "pins",         "holds", "waits", "long-waits",  "resizes", "closes"};

/* Weights out of 1000. PIN entry is not drawn at random: on the PIN
 * screen, with a PIN given, one turn in three starts with it. */
static const int WEIGHTS[ACT_COUNT] = {490, 90, 60, 50, 50, 140, 50, 0, 3, 40, 2, 2, 23};

/* Sizes kiosks really have: the usual tablets and screens, both ways up. */
static const struct {
    int w, h;
} SIZES[] = {{800, 480}, {1024, 600}, {1280, 800}, {480, 800}, {600, 1024}, {800, 1280}};

struct Monkey {
    uint64_t state;
    uint64_t seed;
    long count, done;
    long next_check;
    char pin[16];
    int base_w, base_h;
    bool resized;
    bool holding; /* a finger is down: the clock runs hold_ms, then it lifts */
    long hold_ms;
    int hold_x, hold_y;
    long actions[ACT_COUNT];
    long sdl_events;
    long idle_checks;
    int64_t responses_before;
    bool final_check_done;
    int pending; /* an Action that waits for the next turn, or -1 */
};

static uint64_t next_u64(Monkey *m)
{
    uint64_t z = (m->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* 0 <= result < n (n > 0); the modulo bias is irrelevant here. */
static int below(Monkey *m, int n)
{
    return (int)(next_u64(m) % (uint64_t)n);
}

static int between(Monkey *m, int lo, int hi)
{
    return lo + below(m, hi - lo + 1);
}

Monkey *monkey_create(uint64_t seed, long count, const char *pin, const App *app)
{
    Monkey *m = mem_alloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->state = seed;
    m->count = count;
    m->next_check = MONKEY_CHECK_EVERY;
    m->pending = -1;
    snprintf(m->pin, sizeof m->pin, "%s", pin ? pin : "");
    m->base_w = app->width;
    m->base_h = app->height;
    m->responses_before = app->store ? store_count(app->store) : 0;
    return m;
}

void monkey_destroy(Monkey *m)
{
    free(m);
}

static void push(Monkey *m, SDL_Event *e)
{
    if (SDL_PushEvent(e) == 1)
        m->sdl_events++;
}

static void push_finger(Monkey *m, const App *app, Uint32 type, SDL_FingerID id, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = id;
    e.tfinger.x = (float)x / (float)app->width;
    e.tfinger.y = (float)y / (float)app->height;
    e.tfinger.pressure = type == SDL_FINGERUP ? 0.0f : 1.0f;
    e.tfinger.windowID = SDL_GetWindowID(app->window);
    push(m, &e);
}

static void push_mouse(Monkey *m, const App *app, Uint32 type, Uint32 which, Uint8 button, int x,
                       int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.windowID = SDL_GetWindowID(app->window);
    e.button.which = which;
    e.button.button = button;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    push(m, &e);
}

static void push_text(Monkey *m, const char *utf8)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    snprintf(e.text.text, sizeof e.text.text, "%s", utf8);
    push(m, &e);
}

/* Down, the text a keyboard sends with it (if any), up. */
static void push_key(Monkey *m, SDL_Keycode key, Uint16 mod, const char *text)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = key;
    e.key.keysym.mod = mod;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    push(m, &e);
    if (text)
        push_text(m, text);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    push(m, &e);
}

/* An enabled button on screen, or -1. */
static int pick_control(Monkey *m, const App *app)
{
    int n = 0;
    for (int i = 0; i < app->elements.count; i++)
        n += app->elements.items[i].role == ROLE_BUTTON && app->elements.items[i].enabled;
    if (n == 0)
        return -1;
    int k = below(m, n);
    for (int i = 0; i < app->elements.count; i++) {
        const Element *el = &app->elements.items[i];
        if (el->role == ROLE_BUTTON && el->enabled && k-- == 0)
            return i;
    }
    return -1;
}

/* Never an export to a folder of the machine the test runs on: staff's
 * export lists USB sticks mounted under /media and /run/media. */
static bool forbidden(const Element *el)
{
    return strncmp(el->label, "Save to /media", 14) == 0 ||
           strncmp(el->label, "Save to /run/media", 18) == 0;
}

/* A point on a control (the centre, or anywhere on it), or anywhere. */
static void pick_point(Monkey *m, const App *app, bool on_control, int *x, int *y)
{
    int i = on_control ? pick_control(m, app) : -1;
    if (i >= 0 && !forbidden(&app->elements.items[i])) {
        SDL_Rect r = app->elements.items[i].rect;
        bool centre = below(m, 3) != 0;
        *x = centre ? r.x + r.w / 2 : r.x + below(m, SDL_max(r.w, 1));
        *y = centre ? r.y + r.h / 2 : r.y + below(m, SDL_max(r.h, 1));
    } else {
        *x = below(m, app->width);
        *y = below(m, app->height);
    }
    *x = SDL_clamp(*x, 0, app->width - 1);
    *y = SDL_clamp(*y, 0, app->height - 1);
}

static void tap(Monkey *m, const App *app, bool on_control)
{
    int x, y;
    pick_point(m, app, on_control, &x, &y);
    push_finger(m, app, SDL_FINGERDOWN, 1, x, y);
    push_finger(m, app, SDL_FINGERUP, 1, x, y);
}

static void drag(Monkey *m, const App *app)
{
    int x0, y0, x1, y1;
    pick_point(m, app, below(m, 2) == 0, &x0, &y0);
    pick_point(m, app, below(m, 2) == 0, &x1, &y1);
    push_finger(m, app, SDL_FINGERDOWN, 1, x0, y0);
    int steps = between(m, 1, 4);
    for (int i = 1; i <= steps; i++)
        push_finger(m, app, SDL_FINGERMOTION, 1, x0 + (x1 - x0) * i / steps,
                    y0 + (y1 - y0) * i / steps);
    push_finger(m, app, SDL_FINGERUP, 1, x1, y1);
}

/* Each finger goes down once and up once, in a random interleaving:
 * 1 down, 2 down, 1 up, 3 down, 3 up, 2 up, and the like. */
static void fingers(Monkey *m, const App *app)
{
    int n = between(m, 2, 3), downs = 0, ups = 0;
    int x[3], y[3];
    bool down[3] = {false, false, false};
    for (int i = 0; i < n; i++)
        pick_point(m, app, below(m, 2) == 0, &x[i], &y[i]);
    while (ups < n) {
        bool any_down = downs > ups;
        if (downs < n && (!any_down || below(m, 2) == 0)) {
            push_finger(m, app, SDL_FINGERDOWN, 10 + downs, x[downs], y[downs]);
            down[downs++] = true;
            continue;
        }
        int k = below(m, downs - ups);
        for (int i = 0; i < downs; i++)
            if (down[i] && k-- == 0) {
                if (below(m, 3) == 0)
                    push_finger(m, app, SDL_FINGERMOTION, 10 + i, x[i] + 5, y[i] + 5);
                push_finger(m, app, SDL_FINGERUP, 10 + i, x[i], y[i]);
                down[i] = false;
                ups++;
                break;
            }
    }
}

/* Mostly left clicks; some right and middle ones, and some marked as made
 * from a touch, as SDL reports every touch once more. */
static void click(Monkey *m, const App *app)
{
    static const Uint8 BUTTONS[] = {SDL_BUTTON_LEFT, SDL_BUTTON_LEFT, SDL_BUTTON_LEFT,
                                    SDL_BUTTON_RIGHT, SDL_BUTTON_MIDDLE};
    Uint8 button = BUTTONS[below(m, (int)sizeof BUTTONS)];
    Uint32 which = below(m, 5) == 0 ? SDL_TOUCH_MOUSEID : 0;
    int x, y, x1, y1;
    pick_point(m, app, below(m, 3) != 0, &x, &y);
    x1 = x, y1 = y;
    if (below(m, 5) == 0)
        pick_point(m, app, false, &x1, &y1);
    push_mouse(m, app, SDL_MOUSEBUTTONDOWN, which, button, x, y);
    push_mouse(m, app, SDL_MOUSEBUTTONUP, which, button, x1, y1);
}

static void key(Monkey *m)
{
    static const struct {
        SDL_Keycode key;
        Uint16 mod;
        const char *text;
    } KEYS[] = {
        {SDLK_TAB, KMOD_NONE, NULL},
        {SDLK_TAB, KMOD_LSHIFT, NULL},
        {SDLK_RETURN, KMOD_NONE, NULL},
        {SDLK_KP_ENTER, KMOD_NONE, NULL},
        {SDLK_SPACE, KMOD_NONE, " "},
        {SDLK_ESCAPE, KMOD_NONE, NULL},
        {SDLK_BACKSPACE, KMOD_NONE, NULL},
        {SDLK_LEFT, KMOD_NONE, NULL},
        {SDLK_RIGHT, KMOD_NONE, NULL},
        {SDLK_UP, KMOD_NONE, NULL},
        {SDLK_DOWN, KMOD_NONE, NULL},
        {SDLK_F4, KMOD_LALT, NULL},
        {SDLK_q, KMOD_LCTRL, NULL},
        {SDLK_s, KMOD_LCTRL | KMOD_LALT, NULL},
        {SDLK_TAB, KMOD_LALT, NULL},
        {SDLK_DELETE, KMOD_NONE, NULL},
        {SDLK_w, KMOD_LCTRL, NULL},
        {SDLK_F11, KMOD_NONE, NULL},
        {SDLK_LGUI, KMOD_LGUI, NULL},
        {SDLK_BACKSPACE, KMOD_LCTRL | KMOD_LALT, NULL},
        {SDLK_F2, KMOD_LCTRL | KMOD_LALT, NULL},
    };
    int r = below(m, 3);
    if (r == 0) {
        int i = below(m, (int)(sizeof KEYS / sizeof KEYS[0]));
        push_key(m, KEYS[i].key, KEYS[i].mod, KEYS[i].text);
        return;
    }
    char typed[2] = {0, 0};
    SDL_Keycode k;
    Uint16 mod = below(m, 6) == 0 ? KMOD_LSHIFT : KMOD_NONE;
    if (r == 1) {
        k = SDLK_0 + below(m, 10);
        typed[0] = (char)k;
    } else {
        k = SDLK_a + below(m, 26);
        typed[0] = (char)(mod ? k - 'a' + 'A' : k);
    }
    push_key(m, k, mod, typed);
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* What an input method may send at once: one to six characters of Latin,
 * Arabic with its vowel marks, Bengali, CJK, emoji with joiners and skin
 * tones, combining marks on their own, direction marks, and the odd
 * control character. */
static void text(Monkey *m)
{
    static const struct {
        uint32_t from, to;
    } RANGES[] = {{0x20, 0x7E},       {0xC0, 0xFF},     {0x621, 0x64A},   {0x64B, 0x652},
                  {0x985, 0x9B9},     {0x300, 0x36F},   {0x4E00, 0x9FFF}, {0x1F600, 0x1F64F},
                  {0x1F3FB, 0x1F3FF}, {0x200B, 0x200F}, {0x9, 0xA},       {0xFE0F, 0xFE0F},
                  {0x1F468, 0x1F469}, {0x2066, 0x2069}};
    char buffer[sizeof((SDL_TextInputEvent *)0)->text];
    size_t n = 0;
    int chars = between(m, 1, 6);
    for (int i = 0; i < chars && n + 4 < sizeof buffer; i++) {
        int r = below(m, (int)(sizeof RANGES / sizeof RANGES[0]));
        uint32_t c = RANGES[r].from + (uint32_t)below(m, (int)(RANGES[r].to - RANGES[r].from + 1));
        n += put_utf8(buffer + n, c);
    }
    buffer[n] = '\0';
    push_text(m, buffer);
}

/* Backspaces, the digits as typed (each a key with its text), then a tap
 * on OK (Return presses the control with the focus, as everywhere). */
static void pin(Monkey *m, const App *app)
{
    for (int i = 0; i < 8; i++)
        push_key(m, SDLK_BACKSPACE, KMOD_NONE, NULL); /* what was typed before */
    for (const char *c = m->pin; *c; c++) {
        char digit[2] = {*c, 0};
        push_key(m, SDLK_0 + (*c - '0'), KMOD_NONE, digit);
    }
    int ok = elements_find_button(&app->elements, "OK");
    if (ok >= 0) {
        SDL_Rect r = app->elements.items[ok].rect;
        push_finger(m, app, SDL_FINGERDOWN, 1, r.x + r.w / 2, r.y + r.h / 2);
        push_finger(m, app, SDL_FINGERUP, 1, r.x + r.w / 2, r.y + r.h / 2);
    }
}

static void resize(Monkey *m, const App *app)
{
    int i = below(m, (int)(sizeof SIZES / sizeof SIZES[0]));
    SDL_SetWindowSize(app->window, SIZES[i].w, SIZES[i].h);
    m->resized = SIZES[i].w != m->base_w || SIZES[i].h != m->base_h;
}

/* The window manager's close (Alt+F4 on a desktop), or SDL's quit. */
static void close_request(Monkey *m, const App *app)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    if (below(m, 2) == 0) {
        e.type = SDL_WINDOWEVENT;
        e.window.event = SDL_WINDOWEVENT_CLOSE;
        e.window.windowID = SDL_GetWindowID(app->window);
    } else {
        e.type = SDL_QUIT;
    }
    push(m, &e);
}

static Action pick_action(Monkey *m)
{
    int r = below(m, 1000);
    for (int a = 0; a < ACT_COUNT; a++) {
        if (r < WEIGHTS[a])
            return (Action)a;
        r -= WEIGHTS[a];
    }
    return ACT_TAP_CONTROL;
}

MonkeyStep monkey_step(Monkey *m, App *app, long *wait_ms)
{
    *wait_ms = 0;
    if (m->holding && m->hold_ms > 0) {
        *wait_ms = m->hold_ms;
        m->hold_ms = 0;
        return MONKEY_WAIT;
    }
    if (m->holding) {
        m->holding = false;
        push_finger(m, app, SDL_FINGERUP, 1, m->hold_x, m->hold_y);
        return MONKEY_PUSHED;
    }
    if (m->resized) {
        /* Back to the size the run started at, one turn before the check,
         * so the check's screens are drawn at it. */
        if (m->done >= m->next_check || m->done >= m->count) {
            SDL_SetWindowSize(app->window, m->base_w, m->base_h);
            m->resized = false;
            return MONKEY_PUSHED;
        }
    }
    if (m->done >= m->next_check || (m->done >= m->count && !m->final_check_done)) {
        m->next_check = m->done + MONKEY_CHECK_EVERY;
        m->final_check_done = m->done >= m->count;
        m->idle_checks++;
        return MONKEY_IDLE_CHECK;
    }
    if (m->done >= m->count)
        return MONKEY_DONE;
    if (m->pin[0] && app->screen == &SCREEN_PIN && m->pending < 0 && below(m, 3) == 0) {
        m->actions[ACT_PIN]++;
        m->done++;
        pin(m, app);
        return MONKEY_PUSHED;
    }
    int burst = between(m, 1, 24);
    for (int i = 0; i < burst && m->done < m->count; i++) {
        Action a = m->pending >= 0 ? (Action)m->pending : pick_action(m);
        m->pending = -1;
        if ((a == ACT_WAIT || a == ACT_LONG_WAIT || a == ACT_HOLD) && i > 0) {
            m->pending = (int)a; /* the queued events first, then the clock */
            break;
        }
        m->actions[a]++;
        m->done++;
        switch (a) {
        case ACT_TAP_CONTROL: tap(m, app, true); break;
        case ACT_TAP_ANYWHERE: tap(m, app, false); break;
        case ACT_DRAG: drag(m, app); break;
        case ACT_FINGERS: fingers(m, app); break;
        case ACT_MOUSE: click(m, app); break;
        case ACT_KEY: key(m); break;
        case ACT_TEXT: text(m); break;
        case ACT_PIN: pin(m, app); break;
        case ACT_RESIZE: resize(m, app); break;
        case ACT_CLOSE: close_request(m, app); break;
        case ACT_HOLD:
            /* Mostly in the staff corner: the gesture opens the PIN pad. */
            if (below(m, 4) != 0) {
                m->hold_x = below(m, SDL_max(app_px(app, 100), 1));
                m->hold_y = below(m, SDL_max(app_px(app, 100), 1));
            } else {
                pick_point(m, app, true, &m->hold_x, &m->hold_y);
            }
            push_finger(m, app, SDL_FINGERDOWN, 1, m->hold_x, m->hold_y);
            m->holding = true;
            m->hold_ms = between(m, 500, 4000);
            return MONKEY_PUSHED;
        case ACT_WAIT:
            *wait_ms = below(m, 4) == 0 ? between(m, 1000, 30000) : between(m, 0, 900);
            return MONKEY_WAIT;
        case ACT_LONG_WAIT:
            *wait_ms = (long)app->config.idle_seconds * 1000 + between(m, 0, 60000);
            return MONKEY_WAIT;
        case ACT_COUNT: break;
        }
    }
    return MONKEY_PUSHED;
}

void monkey_summary(const Monkey *m, const App *app, char *out, size_t size)
{
    int64_t responses = (app->store ? store_count(app->store) : 0) - m->responses_before;
    int n = snprintf(out, size, "monkey: seed %llu, %ld actions (", (unsigned long long)m->seed,
                     m->done);
    for (int a = 0; a < ACT_COUNT && n >= 0 && (size_t)n < size; a++)
        n += snprintf(out + n, size - (size_t)n, "%s%s %ld", a ? ", " : "", ACTION_NAMES[a],
                      m->actions[a]);
    if (n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n,
                 "), %ld SDL events, %lld responses completed, %ld idle checks", m->sdl_events,
                 (long long)responses, m->idle_checks);
}
