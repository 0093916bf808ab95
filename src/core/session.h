/* session: one person's pass through one questionnaire.
 *
 * Owns the answers given so far and decides which question comes next,
 * applying show_if conditions, Back, Skip and "required". It knows nothing
 * about screens or storage: the UI asks it what to show, the store saves
 * what session_answers_json returns.
 *
 * Contract: session_create borrows the Questionnaire, which must outlive the
 * session; session_destroy wipes the answers before freeing them so that
 * nothing of one person lingers in memory for the next. UI thread only. */
#ifndef SAYSO_CORE_SESSION_H
#define SAYSO_CORE_SESSION_H

#include <jansson.h>
#include <stdbool.h>

#include "core/questionnaire.h"

typedef struct Session Session;

Session *session_create(const Questionnaire *q, const char *language);
void session_destroy(Session *s);

const Questionnaire *session_questionnaire(const Session *s);
const char *session_language(const Session *s);
void session_set_language(Session *s, const char *language);

/* Index of the question on screen. */
int session_current(const Session *s);
const Question *session_current_question(const Session *s);
bool session_is_shown(const Session *s, int index);

/* Progress among the questions (info pages are not counted): the 1-based
 * number of the current question and how many are shown in all, given the
 * answers so far. On an info page, number is the count of questions before. */
void session_progress(const Session *s, int *number, int *total);

bool session_option_selected(const Session *s, int question, int option);
const char *session_text_answer(const Session *s, int question);

/* A tap on an answer: selects it for single, toggles it for multiple
 * (an exclusive option clears the others and the other way round). */
void session_choose(Session *s, int option);
/* Replaces the free text of the current question. Text longer than
 * max_length characters (Unicode code points) is cut after the last whole
 * character that fits, so it is never cut inside a character. Returns false,
 * keeping the previous text, when text is not valid UTF-8 (it could not be
 * saved) or the current question is not a text question. */
bool session_set_text(Session *s, const char *text);

bool session_can_go_back(const Session *s);
bool session_current_answered(const Session *s);
/* Next is offered when the current question is answered or is not required. */
bool session_can_go_next(const Session *s);
bool session_can_skip(const Session *s);
/* True when the current question is the last one that will be shown. */
bool session_on_last(const Session *s);

/* Move. Each returns false when the move is not allowed; next and skip
 * return false too on the last question (then the caller finishes). */
bool session_back(Session *s);
bool session_next(Session *s);
bool session_skip(Session *s);

/* The answers to questions that are shown, as a new JSON object
 * {"question-id": "option" | ["a","b"] | "text"}; skipped ones are absent. */
json_t *session_answers_json(const Session *s);
size_t session_answer_count(const Session *s);

#endif
