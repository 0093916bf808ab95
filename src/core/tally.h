/* tally: counts of the answers to one questionnaire, for the bar charts and
 * comment lists on the staff results screen.
 *
 * For each question, in questionnaire order: how many responses answered it
 * and, for single and multiple questions, how many chose each option (a
 * multiple answer counts every option chosen, once each, so the counts of a
 * multiple question can add up to more than `answered`). Text answers are
 * kept as comments, newest last; past TALLY_MAX_COMMENTS the oldest are let
 * go, though `answered` still counts them. Info pages have no answers.
 *
 * Stored answers may come from an older version of the questionnaire, so a
 * question id or option id the questionnaire does not have is skipped, and
 * so is a value of the wrong shape (a number, or an array for a text
 * question); a string or an array of strings is read for both single and
 * multiple. A response with nothing known in it still counts in
 * `responses`. Blank text (only white space) is not an answer.
 *
 * Contract: tally_init borrows the Questionnaire, which must outlive the
 * tally; the tally owns its arrays and comment copies, and tally_deinit
 * wipes the comments (people's own words) and frees everything. Read the
 * fields directly; do not change them. One tally belongs to one thread. */
#ifndef SAYSO_CORE_TALLY_H
#define SAYSO_CORE_TALLY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/questionnaire.h"

enum { TALLY_MAX_COMMENTS = 500 };

typedef struct {
    size_t option_count; /* the question's; 0 for text and info */
    long *counts;        /* per option, in questionnaire order; NULL without options */
    long answered;       /* responses that gave this question a known answer */
    char **comments;     /* text questions: the newest TALLY_MAX_COMMENTS, newest last */
    size_t comment_count;
} QuestionTally;

typedef struct {
    const Questionnaire *q;
    long responses;           /* answer objects added */
    size_t question_count;    /* q->question_count, or 0 for a NULL q */
    QuestionTally *questions; /* one per question, same index as q->questions */
} Tally;

/* An empty tally for q (NULL gives one with no questions). */
void tally_init(Tally *t, const Questionnaire *q);
/* Adds one response's answers as stored: the JSON object text
 * {"question-id": "option" | ["a","b"] | "text"}. Returns false, adding
 * nothing, only when the text is NULL or not a JSON object. */
bool tally_add(Tally *t, const char *answers_json);
/* Wipes and frees everything; the tally is left empty with no questions. */
void tally_deinit(Tally *t);

#endif
