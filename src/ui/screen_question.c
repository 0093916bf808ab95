/* screen_question: one question per screen. The question and its picture at
 * the top, the answers as picture buttons (or a text box and on-screen
 * keyboard), and the bar with Back, progress, Skip and Next. All state is in
 * the Session; this file only lays it out and forwards taps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "ui/keyboard.h"
#include "ui/layout.h"
#include "ui/widgets.h"

enum {
    ACTION_OPTION = 1,
    ACTION_BACK,
    ACTION_SKIP,
    ACTION_NEXT,
    ACTION_HELP,
    ACTION_HELP_CLOSE,
    ACTION_KEY,
    ACTION_MORE,
    ACTION_KEYBOARD_OPEN,
    ACTION_KEYBOARD_CLOSE,
};

static const char *question_text(const App *app, const Text *t)
{
    const Questionnaire *q = session_questionnaire(app->session);
    return text_get(t, session_language(app->session), questionnaire_default_language(q));
}

/* The question is larger than the answers at the designed size; at bigger
 * sizes it is as big as the answers (and bold), so they keep their room. */
static int question_px(const App *app)
{
    if (app->text_factor == 1.0)
        return app_text_px(app, TEXT_QUESTION);
    return SDL_max(app_px(app, TEXT_QUESTION), app_text_px(app, TEXT_BODY));
}

/* "More help" is as wide as its longest word needs in this language, but
 * never more than a third of the header; 0 when the question has no help.
 * Shared by the header's layout and its height, so both agree. */
static int help_width(App *app, int area_w)
{
    if (!session_current_question(app->session)->help.count)
        return 0;
    int narrowest = SDL_max(app_px(app, 230), button_min_width(app, app_string(app, STR_MORE_HELP),
                                                               true, app_px(app, 112)));
    return SDL_min(narrowest, area_w / 3);
}

/* Tall enough for the question at the person's text size, up to half of
 * the content area plus a little (beyond that the words shrink rather than
 * the answers vanish). */
static int header_height(App *app, const Frame *f, bool typing)
{
    int designed = app_px(app, typing ? 96 : (app->portrait ? 230 : 190));
    if (app->text_factor == 1.0)
        return designed;
    const Question *question = session_current_question(app->session);
    TextStyle ts = {question_px(app), true,         {0, 0, 0, 255},
                    ALIGN_START,      app_rtl(app), app_language(app)};
    int side = app_px(app, 140), help_w = help_width(app, f->content.w);
    int w = 0, h = 0;
    text_measure(app->text, question_text(app, &question->text), &ts,
                 f->content.w - side - help_w - app_px(app, 40), &w, &h);
    if (!typing)
        h += app_text_px(app, 44); /* the "Choose one answer." line */
    return SDL_min(SDL_max(designed, h), f->content.h * 3 / 5);
}

/* The question, its picture and the More help button; returns its height. */
static int draw_header(App *app, SDL_Rect area, int height)
{
    const Question *question = session_current_question(app->session);
    int gap = app_px(app, 20);
    int side = SDL_min(height, app_px(app, app->text_factor > 1.0 ? 140 : 190));
    SDL_Rect pic = {area.x, area.y, side, side};
    draw_picture(app, question->picture, pic);
    int help_w = help_width(app, area.w), help_h = 0;
    if (help_w) {
        int unused;
        button_size_for(app, app_string(app, STR_MORE_HELP), true, help_w, &unused, &help_h);
        help_h = SDL_min(height, SDL_max(help_h, app_px(app, 112)));
    }
    SDL_Rect words = {pic.x + side + gap, area.y, area.w - side - 2 * gap - help_w, height};
    if (question->type == QUESTION_SINGLE || question->type == QUESTION_MULTIPLE) {
        int hint_h = app_text_px(app, 44);
        SDL_Rect hint = {words.x, words.y + words.h - hint_h, words.w, hint_h};
        words.h -= hint.h;
        StringId id = question->type == QUESTION_SINGLE ? STR_CHOOSE_ONE : STR_CHOOSE_ANY;
        draw_text(app, app_string(app, id), app_text_px(app, TEXT_MIN),
                  app_text_px(app, TEXT_MIN) * 4 / 5, false, ALIGN_START, hint);
    }
    draw_text(app, question_text(app, &question->text), question_px(app),
              app_text_px(app, TEXT_BODY), true, ALIGN_START, words);
    if (help_w) {
        char picture[1200];
        snprintf(picture, sizeof picture, "%s/help.svg", app->picture_dir);
        SDL_Rect help = {area.x + area.w - help_w, area.y, help_w, help_h};
        draw_button(app, help, app_string(app, STR_MORE_HELP), picture, BUTTON_SECONDARY,
                    LAYOUT_ROW, false, true, ACTION_HELP, 0);
    }
    return height;
}

/* The designed look: up to six short answers as tiles, picture above the
 * words, when they fit at the person's text size. */
static bool draw_tiles(App *app, SDL_Rect area)
{
    const Question *question = session_current_question(app->session);
    int n = (int)question->option_count;
    int gap = app_px(app, 16);
    size_t longest = 0;
    for (int i = 0; i < n; i++)
        longest = SDL_max(longest, strlen(question_text(app, &question->options[i].text)));
    if (app->portrait || n > 6 || longest > 24 || app->text_factor > 1.0)
        return false;
    area.h = SDL_min(area.h, app_px(app, 300));
    int current = session_current(app->session);
    for (int i = 0; i < n; i++) {
        const Option *o = &question->options[i];
        draw_button(app, layout_cell(area, n, n, gap, i), question_text(app, &o->text), o->picture,
                    BUTTON_ANSWER, LAYOUT_TILE, session_option_selected(app->session, current, i),
                    true, ACTION_OPTION, i);
    }
    return true;
}

/* Rows of answers, as many columns as keep every answer's words whole at
 * the person's text size. When they still do not all fit, they show a page
 * at a time with a "More answers" button, so nothing is ever clipped or
 * shrunk below the size the person chose. */
static void draw_options(App *app, SDL_Rect area)
{
    if (draw_tiles(app, area))
        return;
    const Question *question = session_current_question(app->session);
    int n = (int)question->option_count;
    int gap = app_px(app, 16);
    int columns = 1, row_h = app_px(app, TARGET_MIN), per_page = 0;
    if (app->text_factor == 1.0) {
        /* The designed size: every answer on one page, words shrinking a
         * little where they must (never below button_text_floor). */
        int rows_fit = SDL_max(1, (area.h + gap) / (row_h + gap));
        columns = (n + rows_fit - 1) / rows_fit;
        if (!app->portrait && n >= 4 && columns < 2)
            columns = 2;
        columns = SDL_min(columns, 3);
        per_page = rows_fit * columns;
        row_h = SDL_min(app_px(app, 170), (area.h - (rows_fit - 1) * gap) / rows_fit);
    }
    for (int c = 1; app->text_factor > 1.0 && c <= SDL_min(app->portrait ? 2 : 3, n); c++) {
        int cell_w = (area.w - (c - 1) * gap) / c, need = app_px(app, TARGET_MIN);
        bool whole = true;
        for (int i = 0; i < n && whole; i++) {
            const Option *o = &question->options[i];
            int h =
                button_height_for(app, question_text(app, &o->text), o->picture != NULL, cell_w);
            whole = h > 0;
            need = SDL_max(need, h);
        }
        if (!whole && c > 1)
            break;
        /* A row taller than the whole area would squeeze its words: such a
         * column count only serves when nothing else does. */
        int fit = need <= area.h ? (area.h + gap) / (need + gap) * c : (per_page ? 0 : c);
        /* More columns only when they show more answers. */
        if (SDL_min(fit, n) > SDL_min(per_page, n)) {
            columns = c;
            row_h = need;
            per_page = fit;
        }
    }
    int pages = 1;
    if (per_page < n) {
        per_page = SDL_max(1, per_page - 1); /* one cell for "More answers" */
        pages = SDL_max(1, (n + per_page - 1) / per_page);
    }
    int page = app->answer_page % pages;
    int first = page * per_page, shown = SDL_min(per_page, n - first);
    int cells = shown + (pages > 1);
    int rows = (cells + columns - 1) / columns;
    int cell_h = app->text_factor == 1.0 ? SDL_min(row_h, app_px(app, 170)) : row_h;
    area.h = SDL_min(area.h, rows * cell_h + (rows - 1) * gap);
    int current = session_current(app->session);
    for (int k = 0; k < shown; k++) {
        int i = first + k;
        const Option *o = &question->options[i];
        draw_button(app, layout_cell(area, cells, columns, gap, k), question_text(app, &o->text),
                    o->picture, BUTTON_ANSWER, LAYOUT_ROW,
                    session_option_selected(app->session, current, i), true, ACTION_OPTION, i);
    }
    if (pages > 1) {
        char picture[1200];
        snprintf(picture, sizeof picture, "%s/arrow-more.svg", app->picture_dir);
        Element *more = draw_button(app, layout_cell(area, cells, columns, gap, shown),
                                    app_string(app, STR_MORE_ANSWERS), picture, BUTTON_SECONDARY,
                                    LAYOUT_ROW, false, true, ACTION_MORE, 0);
        more->kind = KIND_CONTROL;
    }
}

/* The typed words in the box, with a caret while the keyboard shows, or
 * the invitation to type. Sized from the text itself: a fixed buffer would
 * cut long multibyte text inside a character. */
static void draw_typed(App *app, SDL_Rect field)
{
    const char *typed = session_text_answer(app->session, session_current(app->session));
    int gap = app_px(app, 12);
    draw_fill(app, field, app->theme.background);
    draw_frame(app, field, app_px(app, 4), app->theme.accent);
    SDL_Rect inner = {field.x + gap, field.y + gap / 2, field.w - 2 * gap, field.h - gap};
    if (*typed) {
        size_t n = strlen(typed);
        char *shown = mem_alloc(n + 2);
        /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): the next copy ends it */
        memcpy(shown, typed, n);
        memcpy(shown + n, "|", 2);
        draw_text(app, shown, app_text_px(app, TEXT_BODY), app_px(app, 20), false, ALIGN_START,
                  inner);
        explicit_bzero(shown, n + 2); /* a person's words must not linger in freed memory */
        free(shown);
    } else {
        draw_text(app, app_string(app, STR_TYPE_HERE), app_text_px(app, TEXT_BODY), app_px(app, 20),
                  false, ALIGN_START, inner);
    }
}

/* The box for typed words: one line at the person's text size, measured in
 * the screen's script (Arabic and Bengali lines are taller than Latin). */
static int field_height(App *app)
{
    TextStyle ts = {app_text_px(app, TEXT_BODY),
                    false,
                    {0, 0, 0, 255},
                    ALIGN_START,
                    app_rtl(app),
                    app_language(app)};
    int w = 0, h = 0;
    text_measure(app->text, app_string(app, STR_TYPE_HERE), &ts, app->width, &w, &h);
    return SDL_max(app_px(app, 96), h + app_px(app, 12));
}

/* Whether the keyboard fits in area under the box with keys a person can
 * hit; when not, it opens in a panel of its own. */
static bool keyboard_fits(App *app, SDL_Rect area)
{
    int gap = app_px(app, 12);
    return keyboard_key_height(app, area.h - field_height(app) - gap) >= app_px(app, KEY_SHORTEST);
}

static void draw_text_entry(App *app, SDL_Rect area)
{
    int gap = app_px(app, 12);
    SDL_Rect field = {area.x, area.y, area.w, field_height(app)};
    draw_typed(app, field);
    SDL_Rect keys = {area.x, field.y + field.h + gap, area.w, area.h - field.h - gap};
    keyboard_draw(app, keys, ACTION_KEY);
}

/* No room for the keyboard under the question (big text, a small screen):
 * the answer shows whole at the person's size, in a box that opens the
 * keyboard when tapped. */
static void draw_answer_box(App *app, SDL_Rect area)
{
    const char *typed = session_text_answer(app->session, session_current(app->session));
    char picture[1200];
    snprintf(picture, sizeof picture, "%s/keyboard.svg", app->picture_dir);
    area.h = SDL_min(area.h, SDL_max(app_px(app, TARGET_MIN) * 2, field_height(app)));
    Element *box = draw_button(app, area, *typed ? typed : app_string(app, STR_TYPE_HERE), picture,
                               BUTTON_SECONDARY, LAYOUT_ROW, false, true, ACTION_KEYBOARD_OPEN, 0);
    /* The frame of a text box, so it reads as the place to type. */
    draw_frame(app, area, app_px(app, 4), app->theme.accent);
    box->kind = KIND_ANSWER;
}

/* The keyboard's own panel over the answers and the bar: the box with the
 * typed words and Close on one row, then the keys. The question stays above
 * when the keys still get their room. */
static void draw_keyboard_panel(App *app, SDL_Rect area)
{
    int gap = app_px(app, 12);
    draw_fill(app, area, app->theme.background);
    int close_w = SDL_max(app_px(app, 200), area.w / 5), row_h = field_height(app);
    SDL_Rect field = {area.x, area.y, area.w - close_w - gap, row_h};
    draw_typed(app, field);
    SDL_Rect close = {area.x + area.w - close_w, area.y, close_w, row_h};
    draw_button(app, close, app_string(app, STR_CLOSE), NULL, BUTTON_PRIMARY, LAYOUT_ROW, false,
                true, ACTION_KEYBOARD_CLOSE, 0);
    SDL_Rect keys = {area.x, field.y + row_h + gap, area.w, area.h - row_h - gap};
    keys.h = SDL_min(keys.h, keyboard_height(app, keyboard_key_height(app, keys.h)));
    keyboard_draw(app, keys, ACTION_KEY);
}

static void draw_help(App *app, SDL_Rect area)
{
    const Question *question = session_current_question(app->session);
    int pad = app_px(app, 24);
    draw_fill(app, area, app->theme.surface);
    draw_frame(app, area, app_px(app, 4), app->theme.accent);
    SDL_Rect words = {area.x + pad, area.y + pad, area.w - 2 * pad,
                      area.h - 2 * pad - app_px(app, 120)};
    draw_text(app, question_text(app, &question->help), app_text_px(app, TEXT_QUESTION),
              app_text_px(app, TEXT_MIN), false, ALIGN_START, words);
    int bw = app_px(app, 260), bh = app_px(app, 104);
    SDL_Rect close = {area.x + area.w - pad - bw, area.y + area.h - pad - bh, bw, bh};
    draw_button(app, close, app_string(app, STR_CLOSE), NULL, BUTTON_PRIMARY, LAYOUT_ROW, false,
                true, ACTION_HELP_CLOSE, 0);
}

static void draw_bar(App *app, const Frame *f)
{
    Session *s = app->session;
    char picture[1200];
    snprintf(picture, sizeof picture, "%s/arrow-back.svg", app->picture_dir);
    draw_button(app, f->back, app_string(app, STR_BACK), picture, BUTTON_SECONDARY, LAYOUT_ROW,
                false, true, ACTION_BACK, 0);
    int number, total;
    session_progress(s, &number, &total);
    if (total > 0) {
        char progress[128];
        snprintf(progress, sizeof progress, app_string(app, STR_QUESTION_N_OF_M),
                 SDL_max(number, 1), total);
        SDL_Rect words = {f->progress.x, f->progress.y, f->progress.w, f->progress.h * 3 / 5};
        draw_text(app, progress, app_text_px(app, TEXT_MIN), app_px(app, 24), false, ALIGN_CENTER,
                  words);
        int bar_h = app_px(app, 20);
        SDL_Rect bar = {f->progress.x + app_px(app, 20), words.y + words.h + app_px(app, 6),
                        f->progress.w - app_px(app, 40), bar_h};
        draw_fill(app, bar, app->theme.surface);
        draw_frame(app, bar, app_px(app, 2), app->theme.text);
        SDL_Rect done = bar;
        done.w = bar.w * number / total;
        draw_fill(app, done, app->theme.accent);
    }
    if (session_can_skip(s))
        draw_button(app, f->skip, app_string(app, STR_SKIP), NULL, BUTTON_SECONDARY, LAYOUT_ROW,
                    false, true, ACTION_SKIP, 0);
    snprintf(picture, sizeof picture, "%s/arrow-next.svg", app->picture_dir);
    bool last = session_on_last(s);
    draw_button(app, f->next, app_string(app, last ? STR_FINISH : STR_NEXT), picture,
                BUTTON_PRIMARY, LAYOUT_ROW, false, session_can_go_next(s), ACTION_NEXT, 0);
}

/* The keyboard panel spans the answers and the bar; it keeps the question
 * above it when the keys still get their room, else it takes the whole. */
static void draw_keyboard_screen(App *app, const Frame *f, int header_h)
{
    SDL_Rect all = {f->content.x, f->content.y, f->content.w, f->next.y + f->next.h - f->content.y};
    int gap = app_px(app, 12);
    SDL_Rect below = {all.x, all.y + header_h + gap, all.w, all.h - header_h - gap};
    if (keyboard_fits(app, below)) {
        draw_header(app, f->content, header_h);
        all = below;
    }
    draw_keyboard_panel(app, all);
}

static void question_draw(App *app)
{
    Frame f = layout_frame(app);
    const Question *question = session_current_question(app->session);
    bool typing = question->type == QUESTION_TEXT;
    int header_h = header_height(app, &f, typing);
    if (typing && app->keyboard_open && !app->help_open) {
        draw_keyboard_screen(app, &f, header_h);
        return;
    }
    draw_header(app, f.content, header_h);
    int gap = app_px(app, typing ? 12 : 20);
    SDL_Rect body = {f.content.x, f.content.y + header_h + gap, f.content.w,
                     f.content.h - header_h - gap};
    if (app->help_open) {
        draw_help(app, body);
        return;
    }
    if (question->type == QUESTION_SINGLE || question->type == QUESTION_MULTIPLE)
        draw_options(app, body);
    else if (typing && keyboard_fits(app, body))
        draw_text_entry(app, body);
    else if (typing)
        draw_answer_box(app, body);
    draw_bar(app, &f);
}

static void finish_or_next(App *app, bool skip)
{
    Session *s = app->session;
    app->answer_page = 0;
    bool moved = skip ? session_skip(s) : session_next(s);
    if (!moved && session_on_last(s) && (skip || session_can_go_next(s)))
        app_finish_session(app);
}

/* The session checks the text (valid UTF-8, at most max_length characters);
 * the buffers here are sized from the text so nothing is cut on the way, and
 * wiped because they hold a person's words. */
static void type_text(App *app, const char *utf8)
{
    const char *typed = session_text_answer(app->session, session_current(app->session));
    size_t old_n = strlen(typed), add_n = strlen(utf8), size = old_n + add_n + 1;
    char *buffer = mem_alloc(size);
    /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): the next copy ends it */
    memcpy(buffer, typed, old_n);
    memcpy(buffer + old_n, utf8, add_n + 1);
    session_set_text(app->session, buffer); /* refused input leaves the old text */
    explicit_bzero(buffer, size);
    free(buffer);
    keyboard_after_typing(app);
}

/* Removes the last whole character: the session only holds valid UTF-8, so
 * stepping back over continuation bytes lands on its first byte. */
static void delete_last(App *app)
{
    const char *typed = session_text_answer(app->session, session_current(app->session));
    size_t n = strlen(typed);
    if (n == 0)
        return;
    n--;
    while (n > 0 && ((unsigned char)typed[n] & 0xC0) == 0x80)
        n--;
    char *buffer = mem_strndup(typed, n);
    session_set_text(app->session, buffer);
    explicit_bzero(buffer, n);
    free(buffer);
}

static void question_activate(App *app, const Element *element)
{
    Session *s = app->session;
    switch (element->action) {
    case ACTION_OPTION: session_choose(s, element->arg); break;
    case ACTION_BACK:
        app->key_layer = 0;
        app->answer_page = 0;
        if (!session_back(s)) {
            /* Back from the first question: this person changed their mind
             * about the questionnaire; none of their answers is kept, but
             * it is still the same person, so their language stays. */
            app_drop_answers(app);
            app_go(app, app_active_count(app, NULL) > 1 ? &SCREEN_CHOOSE : &SCREEN_WELCOME);
        }
        break;
    case ACTION_SKIP:
        app->key_layer = 0;
        finish_or_next(app, true);
        break;
    case ACTION_NEXT:
        app->key_layer = 0;
        finish_or_next(app, false);
        break;
    case ACTION_MORE: app->answer_page++; break;
    case ACTION_HELP: app->help_open = true; break;
    case ACTION_HELP_CLOSE: app->help_open = false; break;
    case ACTION_KEYBOARD_OPEN: app->keyboard_open = true; break;
    case ACTION_KEYBOARD_CLOSE:
        app->keyboard_open = false;
        app->key_layer = 0;
        break;
    case ACTION_KEY: {
        const char *text = NULL;
        KeyboardPress press = keyboard_press(app, element->arg, &text);
        if (press == KEYBOARD_TYPE)
            type_text(app, text);
        else if (press == KEYBOARD_DELETE)
            delete_last(app);
        break;
    }
    default: break;
    }
}

static void question_text_input(App *app, const char *utf8)
{
    if (session_current_question(app->session)->type == QUESTION_TEXT && !app->help_open)
        type_text(app, utf8);
}

static void question_key(App *app, SDL_Keycode key)
{
    if (key == SDLK_BACKSPACE && session_current_question(app->session)->type == QUESTION_TEXT)
        delete_last(app);
}

static bool question_takes_text(const App *app)
{
    return session_current_question(app->session)->type == QUESTION_TEXT && !app->help_open;
}

const Screen SCREEN_QUESTION = {.name = "question",
                                .takes_text = question_takes_text,
                                .draw = question_draw,
                                .activate = question_activate,
                                .text_input = question_text_input,
                                .key = question_key,
                                .idle_resets = true};
