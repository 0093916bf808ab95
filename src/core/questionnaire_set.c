/* questionnaire_set: each questionnaire of a set is re-encoded and run
 * through the same validator as `sayso check`, so a set that central
 * accepted but this (older or newer) kiosk cannot show is refused here and
 * the last good set stays in use. */
#include "core/questionnaire_set.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void questionnaire_set_destroy(QuestionnaireSet *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        questionnaire_destroy(set->items[i]);
    free(set->items);
    free(set->etag);
    free(set);
}

QuestionnaireSet *questionnaire_set_parse(const char *body, size_t length, const char *etag,
                                          const char *picture_dir, Diagnostics *diag)
{
    size_t before = diag->count;
    json_error_t err;
    json_t *root = json_loadb(body, length, JSON_REJECT_DUPLICATES, &err);
    json_t *list = json_object_get(root, "questionnaires");
    QuestionnaireSet *set = NULL;
    if (!root) {
        diag_add(diag, err.line, err.column, "the set is not valid JSON: %s", err.text);
        goto done;
    }
    if (!json_is_array(list)) {
        diag_add(diag, 0, 0, "the set has no \"questionnaires\" list");
        goto done;
    }
    if (json_array_size(list) > QUESTIONNAIRE_SET_MAX) {
        diag_add(diag, 0, 0, "the set has %zu questionnaires; at most %d are shown",
                 json_array_size(list), QUESTIONNAIRE_SET_MAX);
        goto done;
    }
    set = mem_alloc(sizeof *set);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    set->items = mem_array(json_array_size(list) + 1, sizeof *set->items);
    set->etag = mem_strdup(etag ? etag : "");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        char *text = json_dumps(item, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        Diagnostics one;
        diag_init(&one);
        Questionnaire *q =
            text ? questionnaire_parse(text, strlen(text), picture_dir, picture_dir, &one) : NULL;
        for (size_t k = 0; k < one.count; k++)
            diag_add(diag, 0, 0, "questionnaires/%zu: %s", i, one.items[k].message);
        if (!q && !one.count)
            diag_add(diag, 0, 0, "questionnaires/%zu: cannot be read", i);
        for (size_t k = 0; q && !one.count && k < set->count; k++)
            if (strcmp(set->items[k]->id, q->id) == 0)
                diag_add(diag, 0, 0, "questionnaires/%zu: id \"%s\" is in the set twice", i, q->id);
        if (q)
            set->items[set->count++] = q;
        diag_deinit(&one);
        free(text);
    }
done:
    json_decref(root);
    if (diag->count != before) {
        questionnaire_set_destroy(set);
        return NULL;
    }
    return set;
}
