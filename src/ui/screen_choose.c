/* screen_choose: picks a questionnaire when more than one is active. Shown
 * only then; with one active, Welcome goes straight to its first question. */
#include "ui/layout.h"
#include "ui/widgets.h"

enum { ACTION_CHOOSE = 1, ACTION_BACK };

static void choose_draw(App *app)
{
    Frame f = layout_frame(app);
    SDL_Rect title = {f.content.x, f.content.y, f.content.w, app_px(app, 100)};
    draw_text(app, app_string(app, STR_CHOOSE_TITLE), app_text_px(app, TEXT_QUESTION),
              app_text_px(app, TEXT_BODY), true, ALIGN_START, title);
    int gap = app_px(app, 16);
    SDL_Rect list = {f.content.x, title.y + title.h + gap, f.content.w,
                     f.content.h - title.h - gap};
    int active[APP_MAX_QUESTIONNAIRES], n = 0;
    for (int i = 0; i < app->questionnaire_count; i++)
        if (app_questionnaire_active(app, i))
            active[n++] = i;
    int columns = (!app->portrait && n > 3) ? 2 : 1;
    int rows = (n + columns - 1) / columns;
    int row_h = SDL_min(app_px(app, 150), (list.h - (rows - 1) * gap) / SDL_max(rows, 1));
    list.h = rows * row_h + (rows - 1) * gap;
    for (int k = 0; k < n; k++) {
        int i = active[k];
        const Questionnaire *q = app->questionnaires[i];
        SDL_Rect cell = layout_cell(list, n, columns, gap, k);
        const char *title_text =
            text_get(&q->title, app->language, questionnaire_default_language(q));
        draw_button(app, cell, title_text, q->picture, BUTTON_ANSWER, LAYOUT_ROW, false, true,
                    ACTION_CHOOSE, i);
    }
    draw_button(app, f.back, app_string(app, STR_BACK), NULL, BUTTON_SECONDARY, LAYOUT_ROW, false,
                true, ACTION_BACK, 0);
}

static void choose_activate(App *app, const Element *element)
{
    if (element->action == ACTION_CHOOSE)
        app_start_questionnaire(app, element->arg);
    else if (element->action == ACTION_BACK)
        app_reset(app);
}

const Screen SCREEN_CHOOSE = {
    .name = "choose", .draw = choose_draw, .activate = choose_activate, .idle_resets = true};
