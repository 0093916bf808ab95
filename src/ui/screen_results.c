/* screen_results: what people said, on the device. The staff view shows one
 * question at a time as a bar chart with counts, or the comments people
 * typed (staff only), for today, this event or everything. "Show the room"
 * fills the screen with the charts alone, large, for the end of an event
 * session: never the comments, and never anything about one person. */
#include <stdio.h>
#include <string.h>

#include "ui/access.h"
#include "ui/layout.h"
#include "ui/staff.h"
#include "ui/widgets.h"

enum {
    ACTION_PERIOD = 1,
    ACTION_OTHER,
    ACTION_PREVIOUS,
    ACTION_NEXT,
    ACTION_SHOW_ROOM,
    ACTION_BACK,
};

enum { COMMENTS_SHOWN = 6 };

static const Question *question_at(const App *app, int index)
{
    const Staff *s = app->staff;
    const Questionnaire *q = s->tally.q;
    return q && index >= 0 && (size_t)index < q->question_count ? &q->questions[index] : NULL;
}

static bool has_chart(const Question *q)
{
    return q && (q->type == QUESTION_SINGLE || q->type == QUESTION_MULTIPLE);
}

static bool shown_in_results(const Question *q, bool room)
{
    return q && q->type != QUESTION_INFO && (!room || has_chart(q));
}

/* The next question worth a page, stepping by step (+1/-1) from `from`. */
static int step_question(const App *app, int from, int step, bool room)
{
    const Questionnaire *q = app->staff->tally.q;
    int n = q ? (int)q->question_count : 0;
    for (int k = 1; k <= n; k++) {
        int i = ((from + step * k) % n + n) % n;
        if (shown_in_results(question_at(app, i), room))
            return i;
    }
    return -1;
}

static void make_current_valid(App *app, bool room)
{
    Staff *s = app->staff;
    if (!shown_in_results(question_at(app, s->results_question), room))
        s->results_question = step_question(app, s->results_question, 1, room);
}

static const char *english(const Text *t)
{
    return text_get(t, "en", t->count ? t->entries[0].language : "en");
}

/* Horizontal bars, one per option: words, then the bar, then the count. */
static void draw_bars(App *app, SDL_Rect area, const Question *q, const QuestionTally *t, bool room)
{
    int n = (int)q->option_count;
    if (n == 0)
        return;
    int gap = app_px(app, room ? 14 : 10);
    int row_h = SDL_min(app_px(app, room ? 120 : 80), (area.h - (n - 1) * gap) / n);
    long most = 1;
    for (int i = 0; i < n; i++)
        most = SDL_max(most, t->counts[i]);
    int pic = room ? row_h : 0;
    int label_w = area.w * (room ? 36 : 34) / 100, count_w = app_px(app, room ? 230 : 200);
    int text_px = app_text_px(app, room ? TEXT_QUESTION : TEXT_BODY - 4);
    for (int i = 0; i < n; i++) {
        const Option *o = &q->options[i];
        SDL_Rect row = {area.x, area.y + i * (row_h + gap), area.w, row_h};
        if (pic && o->picture)
            draw_picture(app, o->picture, (SDL_Rect){row.x, row.y, pic, pic});
        SDL_Rect label = {row.x + (pic ? pic + gap : 0), row.y, label_w - (pic ? pic + gap : 0),
                          row_h};
        draw_text(app, english(&o->text), text_px, app_px(app, 18), false, ALIGN_START, label);
        SDL_Rect track = {row.x + label_w + gap, row.y + row_h / 6,
                          row.w - label_w - count_w - 2 * gap, row_h * 2 / 3};
        draw_fill(app, track, app->theme.surface);
        SDL_Rect bar = track;
        bar.w = (int)((double)track.w * (double)t->counts[i] / (double)most + 0.5);
        if (bar.w > 0)
            draw_fill(app, bar, app->theme.accent);
        char count[64];
        int percent =
            t->answered ? (int)(100.0 * (double)t->counts[i] / (double)t->answered + 0.5) : 0;
        snprintf(count, sizeof count, "%ld (%d%%)", t->counts[i], percent);
        SDL_Rect number = {track.x + track.w + gap, row.y, count_w, row_h};
        draw_text(app, count, text_px, app_px(app, 18), true, ALIGN_START, number);
    }
}

static void draw_comments(App *app, SDL_Rect area, const QuestionTally *t)
{
    SDL_Rect line = {area.x, area.y, area.w, app_px(app, 50)};
    draw_text(app, "Comments people typed (for staff only; newest first):",
              app_text_px(app, TEXT_BODY - 4), app_px(app, 18), true, ALIGN_START, line);
    int shown = 0;
    for (size_t k = t->comment_count; k > 0 && shown < COMMENTS_SHOWN; k--, shown++) {
        line.y += line.h + app_px(app, 6);
        line.h = app_px(app, 60);
        if (line.y + line.h > area.y + area.h)
            break;
        draw_frame(app, line, app_px(app, 2), app->theme.surface);
        SDL_Rect inner = {line.x + app_px(app, 12), line.y, line.w - app_px(app, 24), line.h};
        draw_text(app, t->comments[k - 1], app_text_px(app, TEXT_BODY - 8), app_px(app, 16), false,
                  ALIGN_START, inner);
    }
    if (t->comment_count == 0) {
        line.y += line.h;
        draw_text(app, "No comments yet.", app_text_px(app, TEXT_BODY - 4), app_px(app, 18), false,
                  ALIGN_START, line);
    }
}

static void results_enter(App *app)
{
    Staff *s = app->staff;
    if (s->period == PERIOD_EVENT && app->venue.kind != VENUE_EVENT)
        s->period = PERIOD_ALL;
    /* Back from Show the room the counts are still current: nobody can
     * answer while staff are in. The menu clears tally_ready. */
    if (!s->tally_ready)
        staff_results_refresh(app);
    make_current_valid(app, false);
}

static void results_draw(App *app)
{
    Staff *s = app->staff;
    int m = app_px(app, 32), top = access_strip_height(app);
    SDL_Rect area = {m, top, app->width - 2 * m, app->height - top - m};
    const Questionnaire *qn = s->tally.q;
    char title[400];
    snprintf(title, sizeof title, "Results: %s", qn ? english(&qn->title) : "no questionnaire");
    SDL_Rect head = {area.x, area.y, area.w, app_px(app, 70)};
    draw_text(app, title, app_text_px(app, TEXT_TITLE - 8), app_px(app, 22), true, ALIGN_START,
              head);
    int gap = app_px(app, 12);
    /* Two rows of two in portrait, where four across leave no room for
     * the tick beside "This event". */
    int columns = app->portrait ? 2 : 4;
    SDL_Rect row = {area.x, head.y + head.h, area.w,
                    app_px(app, 84) * (4 / columns) + gap * (4 / columns - 1)};
    const char *periods[3] = {"Today", "This event", "Everything"};
    for (int i = 0; i < 4; i++) {
        SDL_Rect cell = layout_cell(row, 4, columns, gap, i);
        Element *el =
            i < 3
                ? draw_button(app, cell, periods[i], NULL, BUTTON_ANSWER, LAYOUT_ROW,
                              (int)s->period == i,
                              i != PERIOD_EVENT || app->venue.kind == VENUE_EVENT, ACTION_PERIOD, i)
                : draw_button(app, cell, "Other questionnaire", NULL, BUTTON_SECONDARY, LAYOUT_ROW,
                              false, app->questionnaire_count > 1, ACTION_OTHER, 0);
        el->kind = KIND_CONTROL;
    }
    SDL_Rect summary = {area.x, row.y + row.h + gap, area.w, app_px(app, 50)};
    char line[300];
    snprintf(line, sizeof line, "%ld response%s%s. %lld flagged for review (all questionnaires).",
             s->tally.responses, s->tally.responses == 1 ? "" : "s",
             s->period == PERIOD_TODAY   ? " today"
             : s->period == PERIOD_EVENT ? " at this event and session"
                                         : "",
             (long long)s->flagged);
    draw_text(app, line, app_text_px(app, TEXT_BODY - 4), app_px(app, 18), false, ALIGN_START,
              summary);
    int bottom_h = app_px(app, 96);
    SDL_Rect bottom = {area.x, area.y + area.h - bottom_h, area.w, bottom_h};
    const Question *q = question_at(app, s->results_question);
    const char *labels[4] = {"Back", "Previous question", "Next question", "Show the room"};
    int actions[4] = {ACTION_BACK, ACTION_PREVIOUS, ACTION_NEXT, ACTION_SHOW_ROOM};
    for (int i = 0; i < 4; i++)
        draw_button(app, layout_cell(bottom, 4, 4, gap, i), labels[i], NULL,
                    i == 3 ? BUTTON_PRIMARY : BUTTON_SECONDARY, LAYOUT_ROW, false,
                    i == 0 ||
                        (q && (i < 3 || step_question(app, s->results_question - 1, 1, true) >= 0)),
                    actions[i], 0);
    SDL_Rect body = {area.x, summary.y + summary.h + gap, area.w,
                     bottom.y - gap - (summary.y + summary.h + gap)};
    if (!s->tally_ready || !q) {
        draw_text(app, "No results to show.", app_text_px(app, TEXT_BODY), app_px(app, 18), false,
                  ALIGN_START, body);
        return;
    }
    const QuestionTally *t = &s->tally.questions[s->results_question];
    SDL_Rect qtext = {body.x, body.y, body.w, app_px(app, 70)};
    char heading[700];
    snprintf(heading, sizeof heading, "%s (%ld answered)", english(&q->text), t->answered);
    draw_text(app, heading, app_text_px(app, TEXT_BODY), app_px(app, 20), true, ALIGN_START, qtext);
    SDL_Rect chart = {body.x, qtext.y + qtext.h + gap, body.w, body.h - qtext.h - gap};
    if (has_chart(q))
        draw_bars(app, chart, q, t, false);
    else
        draw_comments(app, chart, t);
}

static void results_activate(App *app, const Element *e)
{
    Staff *s = app->staff;
    switch (e->action) {
    case ACTION_PERIOD:
        s->period = (ResultsPeriod)e->arg;
        staff_results_refresh(app);
        break;
    case ACTION_OTHER:
        s->results_questionnaire =
            (s->results_questionnaire + 1) % SDL_max(app->questionnaire_count, 1);
        s->results_question = 0;
        staff_results_refresh(app);
        make_current_valid(app, false);
        break;
    case ACTION_PREVIOUS:
        s->results_question = step_question(app, s->results_question, -1, false);
        break;
    case ACTION_NEXT:
        s->results_question = step_question(app, s->results_question, 1, false);
        break;
    case ACTION_SHOW_ROOM: app_go(app, &SCREEN_SHOW_ROOM); break;
    case ACTION_BACK: app_go(app, &SCREEN_STAFF); break;
    default: break;
    }
}

const Screen SCREEN_RESULTS = {.name = "results",
                               .enter = results_enter,
                               .draw = results_draw,
                               .activate = results_activate,
                               .timeout_seconds = staff_timeout};

/* ---- show the room ---- */

static void room_enter(App *app)
{
    make_current_valid(app, true);
}

static void room_draw(App *app)
{
    Staff *s = app->staff;
    int m = app_px(app, 40);
    SDL_Rect area = {m, m, app->width - 2 * m, app->height - 2 * m};
    const Question *q = question_at(app, s->results_question);
    int gap = app_px(app, 16), bottom_h = app_px(app, 90);
    SDL_Rect bottom = {area.x, area.y + area.h - bottom_h, area.w, bottom_h};
    const char *labels[3] = {"Previous", "Next", "Close"};
    int actions[3] = {ACTION_PREVIOUS, ACTION_NEXT, ACTION_BACK};
    /* In portrait the buttons take the whole row and the count sits above
     * them; side by side, half each would break "Previous" in two. */
    SDL_Rect controls = {bottom.x + bottom.w / 2, bottom.y, bottom.w / 2, bottom.h};
    SDL_Rect said_box = {bottom.x, bottom.y, bottom.w / 2 - gap, bottom.h};
    if (app->portrait) {
        controls = bottom;
        said_box.y = bottom.y - bottom_h - gap;
        said_box.w = bottom.w;
    }
    for (int i = 0; i < 3; i++)
        draw_button(app, layout_cell(controls, 3, 3, gap, i), labels[i], NULL, BUTTON_SECONDARY,
                    LAYOUT_ROW, false, i == 2 || q, actions[i], 0);
    if (!q || !s->tally_ready) {
        draw_text(app, "No answers to show yet.", app_text_px(app, TEXT_TITLE), app_px(app, 24),
                  true, ALIGN_CENTER, area);
        return;
    }
    const QuestionTally *t = &s->tally.questions[s->results_question];
    char said[160];
    snprintf(said, sizeof said, "%ld %s answered", t->answered,
             t->answered == 1 ? "person" : "people");
    draw_text(app, said, app_text_px(app, TEXT_BODY), app_px(app, 20), true, ALIGN_START, said_box);
    SDL_Rect head = {area.x, area.y, area.w, app_px(app, 130)};
    if (q->picture) {
        int side = head.h;
        draw_picture(app, q->picture, (SDL_Rect){head.x, head.y, side, side});
        head.x += side + gap;
        head.w -= side + gap;
    }
    draw_text(app, english(&q->text), app_text_px(app, TEXT_TITLE), app_px(app, 26), true,
              ALIGN_START, head);
    SDL_Rect chart = {area.x, area.y + app_px(app, 130) + gap * 2, area.w,
                      SDL_min(bottom.y, said_box.y) - gap * 2 -
                          (area.y + app_px(app, 130) + gap * 2)};
    draw_bars(app, chart, q, t, true);
}

static void room_activate(App *app, const Element *e)
{
    Staff *s = app->staff;
    if (e->action == ACTION_PREVIOUS)
        s->results_question = step_question(app, s->results_question, -1, true);
    else if (e->action == ACTION_NEXT)
        s->results_question = step_question(app, s->results_question, 1, true);
    else if (e->action == ACTION_BACK)
        app_go(app, &SCREEN_RESULTS);
}

/* A session's discussion can take a while: half an hour before Welcome. */
static int room_timeout(const App *app)
{
    (void)app;
    return 30 * 60;
}

const Screen SCREEN_SHOW_ROOM = {.name = "show-room",
                                 .enter = room_enter,
                                 .draw = room_draw,
                                 .activate = room_activate,
                                 .timeout_seconds = room_timeout,
                                 .full_screen = true};
