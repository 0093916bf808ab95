/* screen_staff: the PIN pad and the staff screens: the menu, mode (with
 * event and session names typed on the on-screen keyboard), which
 * questionnaires are on, sending and saving to USB, and device settings.
 * Staff screens are for staff only and are in English for now; each goes
 * back to Welcome after staff.timeout_seconds without a touch. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "ui/access.h"
#include "ui/keyboard.h"
#include "ui/layout.h"
#include "ui/staff.h"
#include "ui/sync_link.h"
#include "ui/widgets.h"

enum {
    ACTION_DIGIT = 1,
    ACTION_PIN_DELETE,
    ACTION_PIN_OK,
    ACTION_CANCEL,
    ACTION_MENU, /* arg: a StaffItem */
    ACTION_KIND,
    ACTION_COLLECTION,
    ACTION_FIELD,
    ACTION_SAVE,
    ACTION_KEY,
    ACTION_DONE,
    ACTION_TOGGLE,
    ACTION_SEND_NOW,
    ACTION_EXPORT,
    ACTION_RESCAN,
    ACTION_SETTING,
};

typedef enum {
    ITEM_MODE,
    ITEM_QUESTIONNAIRES,
    ITEM_RESULTS,
    ITEM_SYNC,
    ITEM_DEVICE,
    ITEM_LEAVE,
    ITEM_QUIT,
    ITEM_CLEAR_STORE_ALERT,
} StaffItem;

typedef enum {
    SET_SITE,
    SET_LANGUAGE,
    SET_TEXT_SIZE,
    SET_COLOURS,
    SET_READ_ALOUD,
    SET_IDLE,
    SET_PIN,
} Setting;

static SDL_Rect area_below_strip(App *app)
{
    int m = app_px(app, 32), top = access_strip_height(app);
    return (SDL_Rect){m, top, app->width - 2 * m, app->height - top - m};
}

static void picture(const App *app, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", app->picture_dir, name);
}

static SDL_Rect draw_title(App *app, SDL_Rect *area, const char *title)
{
    SDL_Rect r = {area->x, area->y, area->w, app_px(app, 80)};
    draw_text(app, title, app_text_px(app, TEXT_TITLE), app_text_px(app, TEXT_BODY), true,
              ALIGN_START, r);
    area->y += r.h;
    area->h -= r.h;
    return r;
}

/* A line of staff text; shrinks to fit rather than overlap. */
static void draw_line(App *app, SDL_Rect *area, const char *text, int height)
{
    SDL_Rect r = {area->x, area->y, area->w, app_px(app, height)};
    draw_text(app, text, app_text_px(app, TEXT_BODY), app_px(app, 20), false, ALIGN_START, r);
    area->y += r.h;
    area->h -= r.h;
}

static void draw_notice(App *app, SDL_Rect *area)
{
    const Staff *s = app->staff;
    if (!s->notice[0])
        return;
    SDL_Rect r = {area->x, area->y, area->w, app_px(app, 110)};
    if (s->notice_is_error)
        draw_frame(app, r, app_px(app, 4), app->theme.accent);
    SDL_Rect inner = {r.x + app_px(app, 12), r.y + app_px(app, 6), r.w - app_px(app, 24),
                      r.h - app_px(app, 12)};
    draw_text(app, s->notice, app_text_px(app, TEXT_BODY), app_px(app, 18), s->notice_is_error,
              ALIGN_START, inner);
    area->y += r.h + app_px(app, 8);
    area->h -= r.h + app_px(app, 8);
}

/* The bottom row: Back (or Cancel) at the start, an optional main button at
 * the end. Returns the area above it. */
static SDL_Rect draw_bottom(App *app, SDL_Rect area, const char *back, const char *main,
                            int main_action)
{
    int h = app_px(app, 100), w = SDL_min(app_px(app, 380), area.w / 2 - app_px(app, 8));
    SDL_Rect start = {area.x, area.y + area.h - h, w, h};
    char arrow[1200];
    picture(app, "arrow-back.svg", arrow, sizeof arrow);
    if (back)
        draw_button(app, start, back, arrow, BUTTON_SECONDARY, LAYOUT_ROW, false, true,
                    ACTION_CANCEL, 0);
    if (main) {
        SDL_Rect end = {area.x + area.w - w, start.y, w, h};
        draw_button(app, end, main, NULL, BUTTON_PRIMARY, LAYOUT_ROW, false, true, main_action, 0);
    }
    area.h -= h + app_px(app, 16);
    return area;
}

/* ---- PIN ---- */

static void pin_draw(App *app)
{
    Staff *s = app->staff;
    SDL_Rect area = area_below_strip(app);
    bool first_start = staff_needs_pin(app) && !s->changing_pin;
    const char *title = s->stage == PIN_ENTER ? "Staff PIN"
                        : s->stage == PIN_CHOOSE
                            ? (s->changing_pin ? "Choose a new staff PIN" : "Choose a staff PIN")
                            : "Type the new PIN again";
    SDL_Rect left = area, pad = area;
    if (app->portrait) {
        left.h = area.h * 2 / 5;
        pad.y = left.y + left.h;
        pad.h = area.h - left.h;
    } else {
        left.w = area.w / 2 - app_px(app, 24);
        pad.x = area.x + area.w / 2 + app_px(app, 24);
        pad.w = area.w / 2 - app_px(app, 24);
    }
    SDL_Rect text = left;
    draw_title(app, &text, title);
    if (s->stage != PIN_ENTER)
        draw_line(app, &text,
                  first_start ? "This kiosk has no staff PIN yet. Choose 4 to 8 numbers. "
                                "Keep it to staff."
                              : "4 to 8 numbers. Keep it to staff.",
                  130);
    /* One dot per digit typed: the digits themselves are never shown. */
    char dots[64] = "";
    size_t n = strlen(s->typed);
    for (size_t i = 0; i < n && 4 * i + 5 <= sizeof dots; i++)
        memcpy(dots + 4 * i, "\xe2\x97\x8f ", 5); /* ● and a space, then the NUL */
    SDL_Rect field = {text.x, text.y + app_px(app, 8), SDL_min(text.w, app_px(app, 520)),
                      app_px(app, 100)};
    draw_frame(app, field, app_px(app, 4), app->theme.accent);
    SDL_Rect inner = {field.x + app_px(app, 20), field.y, field.w - app_px(app, 40), field.h};
    draw_text(app, n ? dots : "Type the PIN", app_text_px(app, TEXT_BODY), app_px(app, 20), n > 0,
              ALIGN_START, inner);
    text.y = field.y + field.h + app_px(app, 16);
    text.h = left.y + left.h - text.y;
    if (s->message[0])
        draw_line(app, &text, s->message, 110);
    if (!first_start) {
        SDL_Rect bottom = {left.x, left.y, left.w, left.h};
        draw_bottom(app, bottom, "Cancel", NULL, 0);
    }
    int gap = app_px(app, 14);
    static const char *const labels[12] = {"1", "2", "3", "4",      "5", "6",
                                           "7", "8", "9", "Delete", "0", "OK"};
    for (int i = 0; i < 12; i++) {
        SDL_Rect cell = layout_cell(pad, 12, 3, gap, i);
        int action = i == 9 ? ACTION_PIN_DELETE : i == 11 ? ACTION_PIN_OK : ACTION_DIGIT;
        int digit = i == 10 ? 0 : i + 1;
        Element *el =
            draw_button(app, cell, labels[i], NULL, i == 11 ? BUTTON_PRIMARY : BUTTON_SECONDARY,
                        LAYOUT_ROW, false, true, action, digit);
        el->kind = i == 11 ? KIND_PRIMARY : KIND_CONTROL;
    }
}

static void pin_activate(App *app, const Element *e)
{
    switch (e->action) {
    case ACTION_DIGIT: staff_pin_press(app, e->arg); break;
    case ACTION_PIN_DELETE: staff_pin_press(app, -1); break;
    case ACTION_PIN_OK: staff_pin_press(app, -2); break;
    case ACTION_CANCEL:
        explicit_bzero(app->staff->typed, sizeof app->staff->typed);
        if (app->staff->changing_pin) {
            app->staff->changing_pin = false;
            app_go(app, &SCREEN_STAFF_DEVICE);
        } else {
            staff_leave(app);
        }
        break;
    default: break;
    }
}

static void pin_text_input(App *app, const char *utf8)
{
    for (const char *c = utf8; *c; c++)
        if (*c >= '0' && *c <= '9')
            staff_pin_press(app, *c - '0');
}

static void pin_key(App *app, SDL_Keycode key)
{
    if (key == SDLK_BACKSPACE)
        staff_pin_press(app, -1);
    else if (key == SDLK_KP_ENTER || key == SDLK_RETURN)
        staff_pin_press(app, -2);
}

static bool pin_takes_text(const App *app)
{
    (void)app;
    return true;
}

const Screen SCREEN_PIN = {.name = "staff-pin",
                           .draw = pin_draw,
                           .activate = pin_activate,
                           .text_input = pin_text_input,
                           .key = pin_key,
                           .takes_text = pin_takes_text,
                           .timeout_seconds = staff_timeout};

/* ---- the menu ---- */

static void mode_summary(const App *app, char *out, size_t size)
{
    const Venue *v = &app->venue;
    if (v->kind == VENUE_EVENT)
        snprintf(out, size, "Mode: Event, %s%s%s", v->event_name, v->event_session[0] ? ", " : "",
                 v->event_session);
    else if (v->kind == VENUE_SURVEY)
        snprintf(out, size, "Mode: Staff survey, %s",
                 v->survey_collection == COLLECT_PAPER      ? "from paper forms"
                 : v->survey_collection == COLLECT_ASSISTED ? "with staff help"
                                                            : "the person answers");
    else
        snprintf(out, size, "Mode: Ward or community kiosk");
}

static void menu_enter(App *app)
{
    Staff *s = app->staff;
    s->flagged = app->store ? store_flagged_count(app->store) : 0;
    char *alert = app->store ? store_state_get(app->store, STORE_ALERT_STATE_KEY) : NULL;
    snprintf(s->store_alert, sizeof s->store_alert, "%s", alert ? alert : "");
    free(alert);
}

/* Storage problems come first: staff must act on them. The alert about a
 * database kept aside stays until staff clear it. */
static void draw_storage(App *app, SDL_Rect *area)
{
    const Staff *s = app->staff;
    char text[1400];
    bool alert = s->store_alert[0] != '\0';
    if (app->store_trouble)
        snprintf(text, sizeof text,
                 "Answers cannot be saved now: %s. The screen tells people so and tries again "
                 "every %d seconds.",
                 app->store_problem, APP_STORE_RETRY_MS / 1000);
    else if (alert)
        snprintf(text, sizeof text, "%s", s->store_alert);
    else
        return;
    int h = app_px(app, 150), button_w = alert && !app->store_trouble ? app_px(app, 260) : 0;
    SDL_Rect r = {area->x, area->y, area->w, h};
    draw_frame(app, r, app_px(app, 4), app->theme.accent);
    int pad = app_px(app, 12);
    SDL_Rect inner = {r.x + pad, r.y + pad / 2, r.w - 2 * pad - button_w, r.h - pad};
    draw_text(app, text, app_text_px(app, TEXT_BODY), app_px(app, 18), true, ALIGN_START, inner);
    if (button_w) {
        SDL_Rect b = {r.x + r.w - button_w - pad, r.y + pad, button_w, r.h - 2 * pad};
        Element *el = draw_button(app, b, "Clear this alert", NULL, BUTTON_SECONDARY, LAYOUT_ROW,
                                  false, true, ACTION_MENU, ITEM_CLEAR_STORE_ALERT);
        el->kind = KIND_CONTROL;
    }
    area->y += h + app_px(app, 8);
    area->h -= h + app_px(app, 8);
}

static void menu_draw(App *app)
{
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, "Staff menu");
    char line[600];
    snprintf(line, sizeof line, "Site: %s. Device: %s.", app->config.site, app->config.device);
    draw_line(app, &area, line, 56);
    if (app->staff->flagged > 0) {
        snprintf(line, sizeof line,
                 "%lld response%s flagged for a staff review. See Results, and your "
                 "safeguarding policy.",
                 (long long)app->staff->flagged, app->staff->flagged == 1 ? " is" : "s are");
        draw_line(app, &area, line, 60);
    }
    draw_storage(app, &area);
    draw_notice(app, &area);
    char mode[1024], active[120], pictures[7][1200];
    mode_summary(app, mode, sizeof mode);
    snprintf(active, sizeof active, "Questionnaires: %d of %d on", app_active_count(app, NULL),
             app->questionnaire_count);
    const char *labels[7] = {mode,
                             active,
                             "Results",
                             "Sending and saving to USB",
                             "Device settings",
                             "Leave staff mode",
                             "Quit to the desktop"};
    const char *files[7] = {"event.svg",       "clipboard.svg", "chart-up.svg", "globe.svg",
                            "information.svg", "lock.svg",      "no.svg"};
    int count = app->config.staff.allow_quit ? 7 : 6;
    int columns = app->portrait ? 1 : 2, gap = app_px(app, 16);
    area.y += gap;
    area.h -= gap;
    for (int i = 0; i < count; i++) {
        picture(app, files[i], pictures[i], sizeof pictures[i]);
        SDL_Rect cell = layout_cell(area, count, columns, gap, i);
        cell.h = SDL_min(cell.h, app_px(app, 150));
        Element *el = draw_button(app, cell, labels[i], pictures[i],
                                  i == ITEM_LEAVE ? BUTTON_PRIMARY : BUTTON_SECONDARY, LAYOUT_ROW,
                                  false, true, ACTION_MENU, i);
        el->kind = KIND_CONTROL;
    }
}

static void menu_activate(App *app, const Element *e)
{
    if (e->action != ACTION_MENU)
        return;
    app->staff->notice[0] = '\0';
    switch ((StaffItem)e->arg) {
    case ITEM_MODE:
        app->staff->draft = app->venue;
        app_go(app, &SCREEN_STAFF_MODE);
        break;
    case ITEM_QUESTIONNAIRES: app_go(app, &SCREEN_STAFF_QUESTIONNAIRES); break;
    case ITEM_RESULTS:
        app->staff->tally_ready = false;
        app_go(app, &SCREEN_RESULTS);
        break;
    case ITEM_SYNC: app_go(app, &SCREEN_STAFF_SYNC); break;
    case ITEM_DEVICE: app_go(app, &SCREEN_STAFF_DEVICE); break;
    case ITEM_LEAVE: staff_leave(app); break;
    case ITEM_QUIT:
        if (app->config.staff.allow_quit) {
            log_info("staff", "staff quit the kiosk");
            app->quit = true;
        }
        break;
    case ITEM_CLEAR_STORE_ALERT:
        if (app->store && store_state_set(app->store, STORE_ALERT_STATE_KEY, "")) {
            log_info("staff", "staff cleared the storage alert");
            app->staff->store_alert[0] = '\0';
        }
        break;
    }
}

const Screen SCREEN_STAFF = {.name = "staff",
                             .enter = menu_enter,
                             .draw = menu_draw,
                             .activate = menu_activate,
                             .timeout_seconds = staff_timeout};

/* ---- mode ---- */

static void mode_draw(App *app)
{
    Staff *s = app->staff;
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, "Mode");
    area = draw_bottom(app, area, "Cancel", "Save", ACTION_SAVE);
    draw_notice(app, &area);
    int gap = app_px(app, 16);
    const char *kinds[3] = {"Ward or community kiosk", "Event", "Staff survey"};
    const char *files[3] = {"hospital.svg", "event.svg", "clipboard.svg"};
    SDL_Rect row = {area.x, area.y, area.w, app_px(app, 120)};
    for (int i = 0; i < 3; i++) {
        char path[1200];
        picture(app, files[i], path, sizeof path);
        draw_button(app, layout_cell(row, 3, 3, gap, i), kinds[i], path, BUTTON_ANSWER, LAYOUT_ROW,
                    (int)s->draft.kind == i, true, ACTION_KIND, i);
    }
    SDL_Rect rest = {area.x, row.y + row.h + gap * 2, area.w, area.h - row.h - gap * 2};
    char label[VENUE_NAME_SIZE + 64];
    if (s->draft.kind == VENUE_KIOSK) {
        draw_line(app, &rest, "People answer on their own. Responses are marked \"self\".", 60);
    } else if (s->draft.kind == VENUE_EVENT) {
        draw_line(app, &rest, "Every response is tagged with the event and session.", 60);
        SDL_Rect field = {rest.x, rest.y, rest.w, app_px(app, 100)};
        snprintf(label, sizeof label, "Event name: %s",
                 s->draft.event_name[0] ? s->draft.event_name : "(touch to type)");
        draw_button(app, field, label, NULL, BUTTON_SECONDARY, LAYOUT_ROW, false, true,
                    ACTION_FIELD, FIELD_EVENT_NAME);
        field.y += field.h + gap;
        snprintf(label, sizeof label, "Session: %s",
                 s->draft.event_session[0] ? s->draft.event_session : "(touch to type)");
        draw_button(app, field, label, NULL, BUTTON_SECONDARY, LAYOUT_ROW, false, true,
                    ACTION_FIELD, FIELD_EVENT_SESSION);
    } else {
        draw_line(app, &rest, "How are the answers given?", 60);
        const char *modes[3] = {"The person answers", "With staff help", "From a paper form"};
        SDL_Rect choices = {rest.x, rest.y, rest.w, app_px(app, 110)};
        for (int i = 0; i < 3; i++)
            draw_button(app, layout_cell(choices, 3, 3, gap, i), modes[i], NULL, BUTTON_ANSWER,
                        LAYOUT_ROW, (int)s->draft.survey_collection == i, true, ACTION_COLLECTION,
                        i);
    }
}

static void mode_activate(App *app, const Element *e)
{
    Staff *s = app->staff;
    switch (e->action) {
    case ACTION_KIND: s->draft.kind = (VenueKind)e->arg; break;
    case ACTION_COLLECTION: s->draft.survey_collection = (CollectionMode)e->arg; break;
    case ACTION_FIELD:
        s->field = (StaffField)e->arg;
        snprintf(s->field_text, sizeof s->field_text, "%s",
                 s->field == FIELD_EVENT_NAME ? s->draft.event_name : s->draft.event_session);
        app->key_layer = 0;
        app_go(app, &SCREEN_STAFF_NAME);
        break;
    case ACTION_SAVE:
        if (s->draft.kind == VENUE_EVENT && !venue_name_valid(s->draft.event_name)) {
            staff_notice(app, true, "An event needs a name. Touch \"Event name\" to type it.");
        } else if (!staff_save_venue(app, &s->draft)) {
            staff_notice(app, true, "The mode could not be saved. Please try again.");
        } else {
            char summary[1024];
            mode_summary(app, summary, sizeof summary);
            staff_notice(app, false, "Saved. %s.", summary);
            app_go(app, &SCREEN_STAFF);
        }
        break;
    case ACTION_CANCEL: app_go(app, &SCREEN_STAFF); break;
    default: break;
    }
}

const Screen SCREEN_STAFF_MODE = {.name = "staff-mode",
                                  .draw = mode_draw,
                                  .activate = mode_activate,
                                  .timeout_seconds = staff_timeout};

/* ---- typing a name ---- */

static const char *field_title(StaffField f)
{
    return f == FIELD_EVENT_NAME      ? "Event name"
           : f == FIELD_EVENT_SESSION ? "Session"
                                      : "Site name";
}

static void name_draw(App *app)
{
    Staff *s = app->staff;
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, field_title(s->field));
    area = draw_bottom(app, area, "Cancel", "Done", ACTION_DONE);
    draw_notice(app, &area);
    SDL_Rect field = {area.x, area.y, area.w, app_px(app, 90)};
    draw_frame(app, field, app_px(app, 4), app->theme.accent);
    char shown[VENUE_NAME_SIZE + 4];
    snprintf(shown, sizeof shown, "%s|", s->field_text);
    SDL_Rect inner = {field.x + app_px(app, 16), field.y, field.w - app_px(app, 32), field.h};
    draw_text(app, shown, app_text_px(app, TEXT_BODY), app_px(app, 18), false, ALIGN_START, inner);
    SDL_Rect keys = {area.x, field.y + field.h + app_px(app, 16), area.w,
                     area.h - field.h - app_px(app, 16)};
    keyboard_draw(app, keys, ACTION_KEY);
}

static void name_type(App *app, const char *text)
{
    Staff *s = app->staff;
    char next[VENUE_NAME_SIZE];
    int n = snprintf(next, sizeof next, "%s%s", s->field_text, text);
    if (n > 0 && (size_t)n < sizeof next && venue_name_valid(next))
        memcpy(s->field_text, next, (size_t)n + 1);
}

static void name_activate(App *app, const Element *e)
{
    Staff *s = app->staff;
    if (e->action == ACTION_KEY) {
        const char *text = NULL;
        KeyboardPress press = keyboard_press(app, e->arg, &text);
        if (press == KEYBOARD_TYPE) {
            name_type(app, text);
            keyboard_after_typing(app);
        } else if (press == KEYBOARD_DELETE) {
            keyboard_delete_last(s->field_text);
        }
        return;
    }
    if (e->action == ACTION_DONE) {
        /* Names are kept without spaces at the ends. */
        char *t = s->field_text;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ')
            t[--n] = '\0';
        size_t lead = strspn(t, " ");
        memmove(t, t + lead, strlen(t + lead) + 1);
        bool empty_ok = s->field == FIELD_EVENT_SESSION;
        if (!(t[0] ? venue_name_valid(t) : empty_ok)) {
            staff_notice(app, true, "Please type a name of 1 to 80 characters.");
            return;
        }
        app->staff->notice[0] = '\0';
        if (s->field == FIELD_SITE) {
            free(app->config.site);
            app->config.site = mem_strdup(t);
            if (!staff_save_settings(app))
                staff_notice(app, true, "The site name could not be saved.");
            app_go(app, &SCREEN_STAFF_DEVICE);
            return;
        }
        snprintf(s->field == FIELD_EVENT_NAME ? s->draft.event_name : s->draft.event_session,
                 VENUE_NAME_SIZE, "%s", t);
        app_go(app, &SCREEN_STAFF_MODE);
        return;
    }
    if (e->action == ACTION_CANCEL) {
        app->staff->notice[0] = '\0';
        app_go(app, s->field == FIELD_SITE ? &SCREEN_STAFF_DEVICE : &SCREEN_STAFF_MODE);
    }
}

static void name_text_input(App *app, const char *utf8)
{
    name_type(app, utf8);
}

static void name_key(App *app, SDL_Keycode key)
{
    if (key == SDLK_BACKSPACE)
        keyboard_delete_last(app->staff->field_text);
}

static bool name_takes_text(const App *app)
{
    (void)app;
    return true;
}

const Screen SCREEN_STAFF_NAME = {.name = "staff-name",
                                  .draw = name_draw,
                                  .activate = name_activate,
                                  .text_input = name_text_input,
                                  .key = name_key,
                                  .takes_text = name_takes_text,
                                  .timeout_seconds = staff_timeout};

/* ---- questionnaires ---- */

static void questionnaires_draw(App *app)
{
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, "Questionnaires on this kiosk");
    area = draw_bottom(app, area, "Back", NULL, 0);
    draw_line(app, &area, "Touch one to turn it on or off. A tick means people can answer it.", 60);
    draw_notice(app, &area);
    int n = app->questionnaire_count, gap = app_px(app, 14);
    int columns = (!app->portrait && n > 4) ? 2 : 1;
    int rows = (n + columns - 1) / SDL_max(columns, 1);
    SDL_Rect list = area;
    list.h = SDL_min(area.h, rows * app_px(app, 120) + (rows - 1) * gap);
    for (int i = 0; i < n; i++) {
        const Questionnaire *q = app->questionnaires[i];
        const char *title = text_get(&q->title, "en", questionnaire_default_language(q));
        draw_button(app, layout_cell(list, n, columns, gap, i), title, q->picture, BUTTON_ANSWER,
                    LAYOUT_ROW, app_questionnaire_active(app, i), true, ACTION_TOGGLE, i);
    }
}

static void questionnaires_activate(App *app, const Element *e)
{
    if (e->action == ACTION_CANCEL) {
        app->staff->notice[0] = '\0';
        app_go(app, &SCREEN_STAFF);
    } else if (e->action == ACTION_TOGGLE) {
        bool on = app_questionnaire_active(app, e->arg);
        if (!staff_set_active(app, e->arg, !on))
            staff_notice(app, true,
                         on ? "At least one questionnaire must stay on." : "Could not save that.");
        else
            app->staff->notice[0] = '\0';
    }
}

const Screen SCREEN_STAFF_QUESTIONNAIRES = {.name = "staff-questionnaires",
                                            .draw = questionnaires_draw,
                                            .activate = questionnaires_activate,
                                            .timeout_seconds = staff_timeout};

/* ---- sending and export ---- */

/* Counted once here: nobody answers while staff are in, and with sync on
 * the worker's report after each pass brings newer counts. */
static void sync_enter(App *app)
{
    staff_find_folders(app);
    app->staff->counts = (StoreOutboxCounts){0, 0, 0};
    if (app->store)
        store_outbox_counts(app->store, &app->staff->counts);
}

static void sync_draw(App *app)
{
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, "Sending and saving to USB");
    area = draw_bottom(app, area, "Back", NULL, 0);
    char line[900];
    StoreOutboxCounts c = app->sync_received ? app->sync_status.counts : app->staff->counts;
    snprintf(line, sizeof line, "Stored on this kiosk: %lld. Waiting to send: %lld. Held: %lld.",
             (long long)c.total, (long long)c.unsent, (long long)c.held);
    draw_line(app, &area, line, 56);
    if (!app->sync_config.enabled) {
        draw_line(app, &area,
                  "Sending is not set up on this kiosk (no server in sync.json). "
                  "Save to USB to take the answers away.",
                  90);
    } else {
        const SyncReport *r = &app->sync_status;
        snprintf(line, sizeof line, "Last sent: %s. %s%s",
                 r->last_success[0] ? r->last_success : "never",
                 r->last_error[0] ? "Last problem: " : "No problem reported.", r->last_error);
        draw_line(app, &area, line, 90);
    }
    draw_notice(app, &area);
    int gap = app_px(app, 14);
    SDL_Rect row = {area.x, area.y, area.w, app_px(app, 84)};
    SDL_Rect send = {row.x, row.y, (row.w - gap) / 2, row.h};
    SDL_Rect rescan = {row.x + send.w + gap, row.y, send.w, row.h};
    draw_button(app, send, "Send now", NULL, BUTTON_SECONDARY, LAYOUT_ROW, false,
                app->sync_config.enabled, ACTION_SEND_NOW, 0);
    draw_button(app, rescan, "Look for USB sticks again", NULL, BUTTON_SECONDARY, LAYOUT_ROW, false,
                true, ACTION_RESCAN, 0);
    SDL_Rect rest = {area.x, row.y + row.h + gap, area.w, area.h - row.h - gap};
    const Staff *s = app->staff;
    if (s->folder_count == 0) {
        draw_line(app, &rest, "No USB stick found. Put one in, then touch \"Look again\".", 60);
        return;
    }
    draw_line(app, &rest, "Save every response, as CSV and JSON with checksums, to:", 56);
    bool busy = staff_export_running(app);
    int n = s->folder_count, columns = (n > 1 && !app->portrait) ? 2 : 1;
    int rows = (n + columns - 1) / columns;
    int button_h = SDL_min(app_px(app, 90), (rest.h - (rows - 1) * gap) / rows);
    SDL_Rect grid = {rest.x, rest.y, rest.w, rows * button_h + (rows - 1) * gap};
    for (int i = 0; i < n; i++) {
        char label[EXPORT_PATH_MAX + 16];
        snprintf(label, sizeof label, "Save to %s", s->folders[i]);
        draw_button(app, layout_cell(grid, n, columns, gap, i), label, NULL, BUTTON_SECONDARY,
                    LAYOUT_ROW, false, !busy, ACTION_EXPORT, i);
    }
}

static void sync_activate(App *app, const Element *e)
{
    switch (e->action) {
    case ACTION_CANCEL:
        app->staff->notice[0] = '\0';
        app_go(app, &SCREEN_STAFF);
        break;
    case ACTION_SEND_NOW: {
        int64_t released = 0;
        if (app->store)
            store_release_held(app->store, &released);
        sync_link_kick(app);
        staff_notice(app, false, "Sending now%s. This screen shows the result when it arrives.",
                     released ? " (held responses are being tried again)" : "");
        break;
    }
    case ACTION_RESCAN:
        staff_find_folders(app);
        staff_notice(app, false, "Found %d place%s to save to.", app->staff->folder_count,
                     app->staff->folder_count == 1 ? "" : "s");
        break;
    case ACTION_EXPORT: staff_export_start(app, e->arg); break;
    default: break;
    }
}

const Screen SCREEN_STAFF_SYNC = {.name = "staff-sync",
                                  .enter = sync_enter,
                                  .draw = sync_draw,
                                  .activate = sync_activate,
                                  .timeout_seconds = staff_timeout};

/* ---- device settings ---- */

static const int IDLE_CHOICES[] = {60, 90, 120, 180, 300};

static void device_draw(App *app)
{
    const DeviceConfig *c = &app->config;
    SDL_Rect area = area_below_strip(app);
    draw_title(app, &area, "Device settings");
    area = draw_bottom(app, area, "Back", NULL, 0);
    draw_notice(app, &area);
    static const char *const sizes[] = {"Normal", "Big", "Bigger", "Biggest"};
    const StringLanguage *l = strings_language(app->strings, c->default_language);
    char labels[7][400];
    snprintf(labels[0], sizeof labels[0], "Site name: %s", c->site);
    snprintf(labels[1], sizeof labels[1], "Language for each new person: %s",
             l ? l->name : c->default_language);
    snprintf(labels[2], sizeof labels[2], "Text size for each new person: %s",
             sizes[SDL_clamp(c->access.text_step, 1, 4) - 1]);
    snprintf(labels[3], sizeof labels[3], "Colours: %s",
             c->access.high_contrast ? "Black background" : "Standard");
    snprintf(labels[4], sizeof labels[4], "Read every screen aloud: %s",
             c->access.always_read_aloud ? "On" : "Off");
    snprintf(labels[5], sizeof labels[5], "Quiet time before \"Are you still there?\": %d seconds",
             c->idle_seconds);
    snprintf(labels[6], sizeof labels[6], "%s",
             app->staff->pin_from_config ? "Staff PIN: set in device.json"
                                         : "Change the staff PIN");
    int gap = app_px(app, 12), columns = app->portrait ? 1 : 2;
    SDL_Rect list = area;
    list.h = SDL_min(area.h - app_px(app, 70), 4 * app_px(app, 110) + 3 * gap);
    for (int i = 0; i < 7; i++)
        draw_button(app, layout_cell(list, 7, columns, gap, i), labels[i], NULL, BUTTON_SECONDARY,
                    LAYOUT_ROW, false, i != SET_PIN || !app->staff->pin_from_config, ACTION_SETTING,
                    i);
    SDL_Rect rest = {area.x, list.y + list.h + gap, area.w, area.h - list.h - gap};
    char server[700];
    snprintf(server, sizeof server, "Server: %s (set by IT in sync.json, with the device token)",
             app->sync_config.enabled ? app->sync_config.server : "none");
    draw_line(app, &rest, server, 60);
}

static int next_language(const App *app, const char *current)
{
    size_t n = strings_count(app->strings), at = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(strings_at(app->strings, i)->code, current) == 0)
            at = i;
    for (size_t k = 1; k <= n; k++) {
        size_t i = (at + k) % n;
        if (app_language_offered(app, strings_at(app->strings, i)->code))
            return (int)i;
    }
    return (int)at;
}

static void device_activate(App *app, const Element *e)
{
    DeviceConfig *c = &app->config;
    if (e->action == ACTION_CANCEL) {
        app->staff->notice[0] = '\0';
        app_go(app, &SCREEN_STAFF);
        return;
    }
    if (e->action != ACTION_SETTING)
        return;
    switch ((Setting)e->arg) {
    case SET_SITE:
        app->staff->field = FIELD_SITE;
        snprintf(app->staff->field_text, sizeof app->staff->field_text, "%s", c->site);
        app_go(app, &SCREEN_STAFF_NAME);
        return;
    case SET_LANGUAGE: {
        const StringLanguage *l =
            strings_at(app->strings, (size_t)next_language(app, c->default_language));
        if (l)
            snprintf(c->default_language, sizeof c->default_language, "%s", l->code);
        break;
    }
    case SET_TEXT_SIZE: c->access.text_step = c->access.text_step % TEXT_STEP_MAX + 1; break;
    case SET_COLOURS: c->access.high_contrast = !c->access.high_contrast; break;
    case SET_READ_ALOUD: c->access.always_read_aloud = !c->access.always_read_aloud; break;
    case SET_IDLE: {
        int n = (int)(sizeof IDLE_CHOICES / sizeof IDLE_CHOICES[0]), next = IDLE_CHOICES[0];
        for (int i = 0; i < n; i++)
            if (IDLE_CHOICES[i] > c->idle_seconds) {
                next = IDLE_CHOICES[i];
                break;
            }
        c->idle_seconds = next;
        break;
    }
    case SET_PIN:
        app->staff->changing_pin = true;
        staff_open_pin(app, PIN_CHOOSE);
        return;
    }
    if (staff_save_settings(app))
        staff_notice(app, false, "Saved. Each new person starts with these.");
    else
        staff_notice(app, true, "That setting could not be saved.");
}

const Screen SCREEN_STAFF_DEVICE = {.name = "staff-device",
                                    .draw = device_draw,
                                    .activate = device_activate,
                                    .timeout_seconds = staff_timeout};
