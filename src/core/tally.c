/* tally: turns stored answer objects into per-option counts and comment
 * lists. It reads whatever a stored row holds and keeps what still fits the
 * questionnaire on the device, because responses outlive questionnaire
 * versions and a results screen must not fail on an old row. */
#include "core/tally.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void tally_init(Tally *t, const Questionnaire *q)
{
    memset(t, 0, sizeof *t);
    t->q = q;
    if (!q || q->question_count == 0)
        return;
    t->question_count = q->question_count;
    t->questions = mem_array(q->question_count, sizeof *t->questions);
    for (size_t i = 0; i < q->question_count; i++) {
        const Question *question = &q->questions[i];
        QuestionTally *qt = &t->questions[i];
        bool has_options = question->type == QUESTION_SINGLE || question->type == QUESTION_MULTIPLE;
        if (has_options && question->option_count > 0) {
            qt->option_count = question->option_count;
            qt->counts = mem_array(question->option_count, sizeof *qt->counts);
        }
    }
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = '\0';
    free(s);
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\n\v\f\r", *s))
            return false;
    return true;
}

/* Index of the option named by value, or -1 for anything else. */
static int option_of(const Question *question, const json_t *value)
{
    return json_is_string(value) ? question_find_option(question, json_string_value(value)) : -1;
}

/* Counts each known option in value (a string or an array of strings) once;
 * true when there was at least one. */
static bool count_options(QuestionTally *qt, const Question *question, const json_t *value)
{
    if (!json_is_array(value)) {
        int option = option_of(question, value);
        if (option < 0)
            return false;
        qt->counts[option]++;
        return true;
    }
    bool any = false;
    size_t size = json_array_size(value);
    for (size_t k = 0; k < size; k++) {
        int option = option_of(question, json_array_get(value, k));
        if (option < 0)
            continue;
        /* a doubled id in a hand-edited or damaged row counts once */
        bool seen = false;
        for (size_t e = 0; e < k && !seen; e++)
            seen = option_of(question, json_array_get(value, e)) == option;
        if (!seen) {
            qt->counts[option]++;
            any = true;
        }
    }
    return any;
}

static bool add_comment(QuestionTally *qt, const json_t *value)
{
    if (!json_is_string(value) || is_blank(json_string_value(value)))
        return false;
    if (qt->comment_count == TALLY_MAX_COMMENTS) {
        wipe_free(qt->comments[0]);
        memmove(qt->comments, qt->comments + 1, (qt->comment_count - 1) * sizeof *qt->comments);
        qt->comment_count--;
    } else {
        /* grows one at a time: a results screen reads a few hundred rows once */
        qt->comments = mem_resize(qt->comments, qt->comment_count + 1, sizeof *qt->comments);
    }
    qt->comments[qt->comment_count++] = mem_strdup(json_string_value(value));
    return true;
}

bool tally_add(Tally *t, const char *answers_json)
{
    if (!t || !answers_json)
        return false;
    json_t *answers = json_loads(answers_json, 0, NULL);
    if (!json_is_object(answers)) {
        json_decref(answers);
        return false;
    }
    t->responses++;
    for (size_t i = 0; i < t->question_count; i++) {
        const Question *question = &t->q->questions[i];
        QuestionTally *qt = &t->questions[i];
        const json_t *value = json_object_get(answers, question->id);
        if (!value)
            continue;
        bool answered = false;
        if (question->type == QUESTION_TEXT)
            answered = add_comment(qt, value);
        else if (qt->counts)
            answered = count_options(qt, question, value);
        if (answered)
            qt->answered++;
    }
    json_decref(answers);
    return true;
}

void tally_deinit(Tally *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->question_count; i++) {
        QuestionTally *qt = &t->questions[i];
        free(qt->counts);
        for (size_t k = 0; k < qt->comment_count; k++)
            wipe_free(qt->comments[k]);
        free(qt->comments);
    }
    free(t->questions);
    memset(t, 0, sizeof *t);
}
