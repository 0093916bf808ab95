/* questionnaire_set: the questionnaires central publishes for a site, as
 * one JSON document {"site": "...", "questionnaires": [ {...}, ... ]}.
 * The sync worker validates a fetched set with this before saving it, and
 * the kiosk loads the last saved set at start; a set is used whole or not
 * at all, so a half-good update never reaches the screen.
 *
 * Contract: questionnaire_set_parse returns a heap set (questionnaire_set_
 * destroy frees it and its questionnaires) or NULL with problems in diag.
 * Immutable once made; may be handed from the sync thread to the UI. */
#ifndef SAYSO_CORE_QUESTIONNAIRE_SET_H
#define SAYSO_CORE_QUESTIONNAIRE_SET_H

#include <stddef.h>

#include "core/diag.h"
#include "core/questionnaire.h"

enum { QUESTIONNAIRE_SET_MAX = 32, QUESTIONNAIRE_SET_MAX_BYTES = 8 << 20 };

typedef struct {
    Questionnaire **items;
    size_t count;
    char *etag;
} QuestionnaireSet;

/* Problems are reported as "questionnaires/<i>: ..." lines in diag. */
QuestionnaireSet *questionnaire_set_parse(const char *body, size_t length, const char *etag,
                                          const char *picture_dir, Diagnostics *diag);
void questionnaire_set_destroy(QuestionnaireSet *set);

#endif
