/* questionnaire: the model of one easy-read questionnaire and its loader.
 *
 * Contract: questionnaire_load returns a heap Questionnaire the caller frees
 * with questionnaire_destroy, or NULL; every problem found is added to the
 * caller's Diagnostics with its file position, and a non-empty Diagnostics
 * means "do not use" even when a model came back. A loaded questionnaire is
 * immutable, so the UI may read it while the sync thread replaces the set
 * (it swaps whole objects, never edits one). See docs/questionnaire-format.md. */
#ifndef SAYSO_CORE_QUESTIONNAIRE_H
#define SAYSO_CORE_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/text.h"

typedef enum { QUESTION_SINGLE, QUESTION_MULTIPLE, QUESTION_TEXT, QUESTION_INFO } QuestionType;

typedef struct {
    char *id;
    Text text;
    char *picture; /* resolved path, or NULL */
    bool exclusive;
} Option;

typedef struct {
    int question; /* index of an earlier question, or -1 for "always shown" */
    char **option_ids;
    size_t option_id_count;
} Condition;

typedef struct {
    char *id;
    QuestionType type;
    Text text;
    Text help; /* count 0 when there is no help */
    char *picture;
    bool required;
    Condition show_if;
    Option *options;
    size_t option_count;
    int max_length;
} Question;

typedef struct {
    char *id;
    long version;
    char **languages;
    size_t language_count;
    Text title;
    char *picture;
    Question *questions;
    size_t question_count;
} Questionnaire;

enum { QUESTIONNAIRE_MAX_BYTES = 1 << 20, QUESTION_TEXT_DEFAULT_MAX = 500 };

/* picture_dir: the shipped pictures folder (assets/pictures); pictures are
 * looked for next to the file first. */
Questionnaire *questionnaire_load(const char *path, const char *picture_dir, Diagnostics *diag);
/* The same, from text already in memory (fuzzing, central's publish). */
Questionnaire *questionnaire_parse(const char *source, size_t length, const char *base_dir,
                                   const char *picture_dir, Diagnostics *diag);
void questionnaire_destroy(Questionnaire *q);

int questionnaire_find_question(const Questionnaire *q, const char *id);
int question_find_option(const Question *question, const char *id);
const char *question_type_name(QuestionType type);
/* The default (first declared) language. */
const char *questionnaire_default_language(const Questionnaire *q);
bool questionnaire_has_language(const Questionnaire *q, const char *language);

#endif
