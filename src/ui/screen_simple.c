/* screen_simple: the screens with one message and at most one button:
 * Welcome, Thank you, "not ready" and "cannot save". */
#include <stdio.h>
#include <string.h>

#include "ui/access.h"
#include "ui/layout.h"
#include "ui/widgets.h"

enum { ACTION_START = 1, ACTION_FINISH, ACTION_RETRY, ACTION_LANGUAGE };

/* Below the access strip, which every screen has. */
static SDL_Rect content(App *app)
{
    int m = app_px(app, 40), top = access_strip_height(app);
    return (SDL_Rect){m, top, app->width - 2 * m, app->height - top - m};
}

/* A picture, a headline and a line of text, stacked and centred. The
 * picture gives way first when the area is short (a small screen with the
 * language choice below), so the words are never overlapped. */
static void draw_message(App *app, const char *picture, const char *headline, const char *body,
                         SDL_Rect area)
{
    int gap = app_px(app, 24);
    int head_h = app_px(app, 110), body_h = body ? app_px(app, 100) : 0;
    int side = SDL_min(app_px(app, app->portrait ? 260 : 200), area.h - head_h - body_h - gap);
    if (side < app_px(app, 64))
        side = 0; /* too small to read as a picture */
    int y = area.y + SDL_max(0, (area.h - side - gap - head_h - body_h) / 2);
    if (picture && side) {
        SDL_Rect pic = {area.x + (area.w - side) / 2, y, side, side};
        draw_picture(app, picture, pic);
        y += side + gap;
    }
    SDL_Rect head = {area.x, y, area.w, head_h};
    draw_text(app, headline, app_text_px(app, TEXT_TITLE), app_text_px(app, TEXT_BODY), true,
              ALIGN_CENTER, head);
    if (body) {
        SDL_Rect rest = {area.x + area.w / 10, y + head.h, area.w * 8 / 10, body_h};
        draw_text(app, body, app_text_px(app, TEXT_BODY + 4), app_text_px(app, TEXT_MIN), false,
                  ALIGN_CENTER, rest);
    }
}

static void picture_path(const App *app, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", app->picture_dir, name);
}

/* ---- Welcome ---- */

/* One message of the turn: its picture, a heading that says which kind it
 * is, and the words, in the person's language where given. */
static void draw_welcome_message(App *app, SDL_Rect card)
{
    const WelcomeMessage *m = &app->config.messages[app->message_index % app->config.message_count];
    bool said = m->kind == MESSAGE_YOU_SAID_WE_DID;
    char own[1200];
    picture_path(app, said ? "speech.svg" : "handshake.svg", own, sizeof own);
    int pad = app_px(app, 20);
    draw_fill(app, card, app->theme.surface);
    int side = SDL_min(card.h - pad, app_px(app, 180));
    SDL_Rect pic = {card.x + pad, card.y + (card.h - side) / 2, side, side};
    draw_picture(app, m->picture ? m->picture : own, pic);
    SDL_Rect words = {pic.x + side + pad, card.y + pad,
                      card.x + card.w - pad - (pic.x + side + pad), app_px(app, 60)};
    draw_text(app, app_string(app, said ? STR_YOU_SAID_WE_DID : STR_GET_INVOLVED),
              app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN), true, ALIGN_START, words);
    words.y += words.h;
    words.h = card.y + card.h - pad / 2 - words.y;
    draw_text(app, text_get(&m->text, app->language, app->config.default_language),
              app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN) * 3 / 4, false, ALIGN_START,
              words);
}

static void welcome_draw(App *app)
{
    SDL_Rect area = content(app);
    /* The whole screen starts; registered first so the visible button text
     * sits on top of it in the element list. */
    Element *all = elements_add(&app->elements, ROLE_BUTTON, app_string(app, STR_TOUCH_TO_START),
                                (SDL_Rect){0, 0, app->width, app->height});
    all->action = ACTION_START;
    all->kind = KIND_BACKDROP;
    if (app->config.logo) {
        SDL_Rect logo = {area.x, area.y, app_px(app, 220), app_px(app, 90)};
        draw_picture(app, app->config.logo, logo);
    }
    char hello[1200];
    picture_path(app, "hello.svg", hello, sizeof hello);
    const char *title = app->config.welcome.count ? text_get(&app->config.welcome, app->language,
                                                             app->config.default_language)
                                                  : app_string(app, STR_WELCOME_TITLE);
    /* The language choice: every language the kiosk's words and at least
     * one questionnaire share, each named in its own script. */
    int offered[64], count = 0;
    for (size_t i = 0; i < strings_count(app->strings) && count < 64; i++)
        if (app_language_offered(app, strings_at(app->strings, i)->code))
            offered[count++] = (int)i;
    int gap = app_px(app, 16), row_h = app_px(app, 96);
    int columns = count;
    while (columns > 1 && (area.w - (columns - 1) * gap) / columns < app_px(app, 190))
        columns = (columns + 1) / 2;
    int rows = count > 1 ? (count + columns - 1) / columns : 0;
    int languages_h = rows ? rows * row_h + (rows - 1) * gap : 0;
    int bw = SDL_min(area.w, app_px(app, 640)), bh = app_px(app, 120);
    SDL_Rect button = {area.x + (area.w - bw) / 2,
                       area.y + area.h - bh - (rows ? languages_h + gap * 2 : 0), bw, bh};
    SDL_Rect upper = {area.x, area.y + app_px(app, rows ? 0 : 40), area.w,
                      button.y - area.y - app_px(app, rows ? 0 : 40) - gap};
    if (app->config.message_count > 0 && upper.h >= app_px(app, 260)) {
        /* The headline and the privacy note keep their places; the turn of
         * "you said, we did" and "get involved" takes the picture's. */
        SDL_Rect head = {upper.x, upper.y, upper.w, app_px(app, 80)};
        draw_text(app, title, app_text_px(app, TEXT_TITLE), app_text_px(app, TEXT_BODY), true,
                  ALIGN_CENTER, head);
        SDL_Rect note = {upper.x, head.y + head.h, upper.w, app_px(app, 56)};
        draw_text(app, app_string(app, STR_WELCOME_PRIVATE), app_text_px(app, TEXT_BODY),
                  app_text_px(app, TEXT_MIN) * 3 / 4, false, ALIGN_CENTER, note);
        int top = note.y + note.h + gap / 2;
        SDL_Rect card = {upper.x + upper.w / 10, top, upper.w * 8 / 10, upper.y + upper.h - top};
        draw_welcome_message(app, card);
    } else {
        draw_message(app, hello, title, app_string(app, STR_WELCOME_PRIVATE), upper);
    }
    char pointing[1200];
    picture_path(app, "pointing.svg", pointing, sizeof pointing);
    draw_button(app, button, app_string(app, STR_TOUCH_TO_START), pointing, BUTTON_PRIMARY,
                LAYOUT_ROW, false, true, ACTION_START, 0);
    if (rows) {
        SDL_Rect grid = {area.x, area.y + area.h - languages_h, area.w, languages_h};
        for (int i = 0; i < count; i++) {
            const StringLanguage *l = strings_at(app->strings, (size_t)offered[i]);
            SDL_Rect cell = layout_cell(grid, count, columns, gap, i);
            Element *el =
                draw_button(app, cell, l->name, NULL, BUTTON_ANSWER, LAYOUT_ROW,
                            strcmp(l->code, app->language) == 0, true, ACTION_LANGUAGE, offered[i]);
            el->kind = KIND_CONTROL; /* not read out as an answer */
        }
    }
}

static void welcome_activate(App *app, const Element *element)
{
    if (element->action == ACTION_LANGUAGE) {
        const StringLanguage *l = strings_at(app->strings, (size_t)element->arg);
        if (l) {
            snprintf(app->language, sizeof app->language, "%s", l->code);
            app->dirty = true;
        }
        return;
    }
    if (element->action != ACTION_START)
        return;
    int first = -1;
    if (app_active_count(app, &first) == 1)
        app_start_questionnaire(app, first);
    else
        app_go(app, &SCREEN_CHOOSE);
}

static void welcome_enter(App *app)
{
    app->message_since = app_now(app);
}

const Screen SCREEN_WELCOME = {
    .name = "welcome", .enter = welcome_enter, .draw = welcome_draw, .activate = welcome_activate};

/* ---- Thank you ---- */

static void thanks_draw(App *app)
{
    SDL_Rect area = content(app);
    Element *all = elements_add(&app->elements, ROLE_BUTTON, app_string(app, STR_TOUCH_TO_FINISH),
                                (SDL_Rect){0, 0, app->width, app->height});
    all->action = ACTION_FINISH;
    all->kind = KIND_BACKDROP;
    char picture[1200];
    picture_path(app, "thank-you.svg", picture, sizeof picture);
    SDL_Rect upper = {area.x, area.y + app_px(app, 40), area.w, area.h * 7 / 10};
    draw_message(app, picture, app_string(app, STR_THANK_YOU), app_string(app, STR_ANSWERS_SAVED),
                 upper);
    int bw = SDL_min(area.w, app_px(app, 480)), bh = app_px(app, 110);
    SDL_Rect button = {area.x + (area.w - bw) / 2, area.y + area.h - bh, bw, bh};
    draw_button(app, button, app_string(app, STR_TOUCH_TO_FINISH), NULL, BUTTON_PRIMARY, LAYOUT_ROW,
                false, true, ACTION_FINISH, 0);
}

static void thanks_activate(App *app, const Element *element)
{
    if (element->action == ACTION_FINISH)
        app_reset(app);
}

static int thanks_timeout(const App *app)
{
    return app->config.thank_you_seconds;
}

const Screen SCREEN_THANKS = {.name = "thanks",
                              .draw = thanks_draw,
                              .activate = thanks_activate,
                              .timeout_seconds = thanks_timeout};

/* ---- Support: after words that suggest risk. The answers are saved. ---- */

static void support_draw(App *app)
{
    SDL_Rect area = content(app);
    char picture[1200];
    picture_path(app, "support.svg", picture, sizeof picture);
    int bw = SDL_min(area.w, app_px(app, 520)), bh = app_px(app, 110);
    SDL_Rect button = {area.x + (area.w - bw) / 2, area.y + area.h - bh, bw, bh};
    int lines = app->config.helpline_count;
    int line_h = app_px(app, 64);
    int phones_h = lines ? app_px(app, 60) + lines * line_h : 0;
    SDL_Rect upper = {area.x, area.y, area.w, button.y - area.y - phones_h - app_px(app, 16)};
    draw_message(app, picture, app_string(app, STR_SUPPORT_SAVED),
                 app_string(app, STR_SUPPORT_TITLE), upper);
    SDL_Rect line = {area.x + area.w / 10, upper.y + upper.h, area.w * 8 / 10, app_px(app, 60)};
    if (lines) {
        draw_text(app, app_string(app, STR_SUPPORT_CALL), app_text_px(app, TEXT_BODY),
                  app_text_px(app, TEXT_MIN), false, ALIGN_CENTER, line);
        line.y += line.h;
        line.h = line_h;
    }
    for (int i = 0; i < lines; i++) {
        const Helpline *h = &app->config.helplines[i];
        const char *detail = text_get(&h->detail, app->language, app->config.default_language);
        char text[600];
        snprintf(text, sizeof text, "%s: %s%s%s%s",
                 text_get(&h->name, app->language, app->config.default_language), h->number,
                 *detail ? " (" : "", detail, *detail ? ")" : "");
        draw_text(app, text, app_text_px(app, TEXT_BODY), app_text_px(app, TEXT_MIN), true,
                  ALIGN_CENTER, line);
        line.y += line_h;
    }
    char done[1200];
    picture_path(app, "yes.svg", done, sizeof done);
    draw_button(app, button, app_string(app, STR_SUPPORT_FINISH), done, BUTTON_PRIMARY, LAYOUT_ROW,
                false, true, ACTION_FINISH, 0);
}

/* Long enough to copy a number down; no answers are on this page. */
static int support_timeout(const App *app)
{
    (void)app;
    return 90;
}

const Screen SCREEN_SUPPORT = {.name = "support",
                               .draw = support_draw,
                               .activate = thanks_activate,
                               .timeout_seconds = support_timeout};

/* ---- Not ready: no usable questionnaire or config. Staff must act. ---- */

static void not_ready_draw(App *app)
{
    char picture[1200];
    picture_path(app, "information.svg", picture, sizeof picture);
    SDL_Rect area = content(app);
    area.y += app_px(app, 80);
    draw_message(app, picture, app_string(app, STR_NOT_READY), NULL, area);
}

static void not_ready_activate(App *app, const Element *element)
{
    (void)app;
    (void)element;
}

const Screen SCREEN_NOT_READY = {
    .name = "not-ready", .draw = not_ready_draw, .activate = not_ready_activate};

/* ---- Cannot save: the answers stay in memory and can be saved again. ---- */

static void cannot_save_draw(App *app)
{
    char picture[1200];
    picture_path(app, "information.svg", picture, sizeof picture);
    SDL_Rect area = content(app);
    draw_message(app, picture, app_string(app, STR_CANNOT_SAVE), NULL, area);
    int bw = SDL_min(area.w, app_px(app, 400)), bh = app_px(app, 110);
    SDL_Rect button = {area.x + (area.w - bw) / 2, area.y + area.h - bh, bw, bh};
    draw_button(app, button, app_string(app, STR_TRY_AGAIN), NULL, BUTTON_PRIMARY, LAYOUT_ROW,
                false, true, ACTION_RETRY, 0);
}

static void cannot_save_activate(App *app, const Element *element)
{
    if (element->action == ACTION_RETRY)
        app_retry_storage(app);
}

const Screen SCREEN_CANNOT_SAVE = {.name = "cannot-save",
                                   .draw = cannot_save_draw,
                                   .activate = cannot_save_activate,
                                   .idle_resets = false};
