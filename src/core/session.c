/* session: answers live in one slot per question. A question's visibility is
 * recomputed from the answers each time, so going Back and changing an
 * answer can never leave a hidden question's answer in the saved response. */
#include "core/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"

typedef struct {
    bool answered;
    bool *selected; /* one per option */
    char *text;     /* free text, or NULL */
} Slot;

struct Session {
    const Questionnaire *q;
    char language[LANGUAGE_CODE_MAX];
    int current;
    Slot *slots;
};

/* Recursive with session_is_shown, but a condition names only an earlier
 * question (questionnaire.c checks), so the chain ends within the count. */
/* NOLINTNEXTLINE(misc-no-recursion) */
static bool condition_holds(const Session *s, const Condition *c)
{
    if (c->question < 0)
        return true;
    if (!session_is_shown(s, c->question))
        return false;
    const Slot *slot = &s->slots[c->question];
    if (!slot->answered)
        return false;
    const Question *target = &s->q->questions[c->question];
    for (size_t i = 0; i < c->option_id_count; i++) {
        int option = question_find_option(target, c->option_ids[i]);
        if (option >= 0 && slot->selected[option])
            return true;
    }
    return false;
}

/* NOLINTNEXTLINE(misc-no-recursion): see condition_holds */
bool session_is_shown(const Session *s, int index)
{
    if (index < 0 || (size_t)index >= s->q->question_count)
        return false;
    return condition_holds(s, &s->q->questions[index].show_if);
}

static int first_shown_from(const Session *s, int start, int step)
{
    for (int i = start; i >= 0 && (size_t)i < s->q->question_count; i += step)
        if (session_is_shown(s, i))
            return i;
    return -1;
}

Session *session_create(const Questionnaire *q, const char *language)
{
    Session *s = mem_alloc(sizeof *s);
    s->q = q;
    s->slots = mem_array(q->question_count, sizeof *s->slots);
    for (size_t i = 0; i < q->question_count; i++)
        s->slots[i].selected = mem_array(q->questions[i].option_count + 1, sizeof(bool));
    session_set_language(s, language);
    s->current = first_shown_from(s, 0, 1);
    if (s->current < 0)
        s->current = 0;
    return s;
}

static void slot_clear(Slot *slot, size_t option_count)
{
    slot->answered = false;
    memset(slot->selected, 0, option_count * sizeof(bool));
    if (slot->text) {
        /* wipe: the next person must not be able to find this in memory */
        volatile char *p = slot->text;
        while (*p)
            *p++ = '\0';
        free(slot->text);
        slot->text = NULL;
    }
}

void session_destroy(Session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->q->question_count; i++) {
        slot_clear(&s->slots[i], s->q->questions[i].option_count);
        free(s->slots[i].selected);
    }
    free(s->slots);
    free(s);
}

const Questionnaire *session_questionnaire(const Session *s)
{
    return s->q;
}

const char *session_language(const Session *s)
{
    return s->language;
}

void session_set_language(Session *s, const char *language)
{
    const char *use = language && questionnaire_has_language(s->q, language)
                          ? language
                          : questionnaire_default_language(s->q);
    snprintf(s->language, sizeof s->language, "%s", use);
}

int session_current(const Session *s)
{
    return s->current;
}

const Question *session_current_question(const Session *s)
{
    return &s->q->questions[s->current];
}

void session_progress(const Session *s, int *number, int *total)
{
    *number = 0;
    *total = 0;
    for (size_t i = 0; i < s->q->question_count; i++) {
        if (s->q->questions[i].type == QUESTION_INFO || !session_is_shown(s, (int)i))
            continue;
        (*total)++;
        if ((int)i <= s->current)
            *number = *total;
    }
}

bool session_option_selected(const Session *s, int question, int option)
{
    if (question < 0 || (size_t)question >= s->q->question_count || option < 0 ||
        (size_t)option >= s->q->questions[question].option_count)
        return false;
    return s->slots[question].selected[option];
}

const char *session_text_answer(const Session *s, int question)
{
    if (question < 0 || (size_t)question >= s->q->question_count)
        return "";
    return s->slots[question].text ? s->slots[question].text : "";
}

void session_choose(Session *s, int option)
{
    const Question *question = session_current_question(s);
    Slot *slot = &s->slots[s->current];
    if (option < 0 || (size_t)option >= question->option_count)
        return;
    if (question->type == QUESTION_SINGLE) {
        memset(slot->selected, 0, question->option_count * sizeof(bool));
        slot->selected[option] = true;
    } else if (question->type == QUESTION_MULTIPLE) {
        bool turning_on = !slot->selected[option];
        if (turning_on)
            for (size_t i = 0; i < question->option_count; i++)
                if (question->options[option].exclusive || question->options[i].exclusive)
                    slot->selected[i] = false;
        slot->selected[option] = turning_on;
    } else {
        return;
    }
    slot->answered = false;
    for (size_t i = 0; i < question->option_count; i++)
        slot->answered = slot->answered || slot->selected[i];
}

bool session_set_text(Session *s, const char *text)
{
    const Question *question = session_current_question(s);
    if (question->type != QUESTION_TEXT || !text)
        return false;
    /* Check the whole text before cutting it, so that a bad byte past the
     * limit is refused too rather than hidden by the cut. */
    size_t limit = 0, chars = 0;
    for (const char *p = text; *p;) {
        size_t n = utf8_decode(p, NULL);
        if (n == 0) {
            log_error("session", "text for \"%s\" is not valid UTF-8; kept the old text",
                      question->id);
            return false;
        }
        if (chars < (size_t)question->max_length) {
            limit += n;
            chars++;
        }
        p += n;
    }
    char *copy = mem_strndup(text, limit);
    Slot *slot = &s->slots[s->current];
    slot_clear(slot, question->option_count);
    slot->text = copy;
    /* whitespace-only text is not an answer */
    for (const char *p = copy; *p; p++)
        if (!strchr(" \t\r\n", *p))
            slot->answered = true;
    return true;
}

bool session_can_go_back(const Session *s)
{
    return first_shown_from(s, s->current - 1, -1) >= 0;
}

bool session_current_answered(const Session *s)
{
    return s->slots[s->current].answered;
}

bool session_can_go_next(const Session *s)
{
    const Question *question = session_current_question(s);
    return session_current_answered(s) || !question->required;
}

bool session_can_skip(const Session *s)
{
    const Question *question = session_current_question(s);
    return !question->required && question->type != QUESTION_INFO;
}

bool session_on_last(const Session *s)
{
    return first_shown_from(s, s->current + 1, 1) < 0;
}

bool session_back(Session *s)
{
    int previous = first_shown_from(s, s->current - 1, -1);
    if (previous < 0)
        return false;
    s->current = previous;
    return true;
}

bool session_next(Session *s)
{
    if (!session_can_go_next(s))
        return false;
    int next = first_shown_from(s, s->current + 1, 1);
    if (next < 0)
        return false;
    s->current = next;
    return true;
}

bool session_skip(Session *s)
{
    if (!session_can_skip(s))
        return false;
    slot_clear(&s->slots[s->current], session_current_question(s)->option_count);
    int next = first_shown_from(s, s->current + 1, 1);
    if (next < 0)
        return false;
    s->current = next;
    return true;
}

json_t *session_answers_json(const Session *s)
{
    json_t *answers = json_object();
    for (size_t i = 0; i < s->q->question_count; i++) {
        const Question *question = &s->q->questions[i];
        const Slot *slot = &s->slots[i];
        if (!slot->answered || !session_is_shown(s, (int)i))
            continue;
        json_t *value = NULL;
        if (question->type == QUESTION_SINGLE) {
            for (size_t k = 0; k < question->option_count; k++)
                if (slot->selected[k])
                    value = json_string(question->options[k].id);
        } else if (question->type == QUESTION_MULTIPLE) {
            value = json_array();
            for (size_t k = 0; k < question->option_count; k++)
                if (slot->selected[k])
                    json_array_append_new(value, json_string(question->options[k].id));
        } else if (question->type == QUESTION_TEXT) {
            value = json_string(slot->text);
        }
        if (value)
            json_object_set_new(answers, question->id, value);
    }
    return answers;
}

size_t session_answer_count(const Session *s)
{
    json_t *answers = session_answers_json(s);
    size_t n = json_object_size(answers);
    json_decref(answers);
    return n;
}
