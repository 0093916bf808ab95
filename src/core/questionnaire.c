/* questionnaire: builds the immutable questionnaire model from JSON and checks
 * everything an author can get wrong, reporting each problem with its place
 * in the file so `sayso check` can list them all in one run. */
#include "core/questionnaire.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/json_check.h"
#include "core/log.h"
#include "core/mem.h"

enum { PATH_MAX_LEN = 4096, OPTIONS_MIN = 2, OPTIONS_MAX = 12, TEXT_MAX_LIMIT = 2000 };

typedef struct {
    JsonCheck check;
    const char *base_dir;
    const char *picture_dir;
} Loader;

static const char *const TOP_KEYS[] = {"format", "id",      "version",   "languages",
                                       "title",  "picture", "questions", NULL};
static const char *const QUESTION_KEYS[] = {
    "id", "type", "text", "help", "picture", "required", "show_if", "options", "max_length", NULL};
static const char *const OPTION_KEYS[] = {"id", "text", "picture", "exclusive", NULL};
static const char *const CONDITION_KEYS[] = {"question", "any_of", "equals", NULL};

const char *question_type_name(QuestionType type)
{
    switch (type) {
    case QUESTION_SINGLE: return "single";
    case QUESTION_MULTIPLE: return "multiple";
    case QUESTION_TEXT: return "text";
    case QUESTION_INFO: return "info";
    }
    return "?";
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Resolves a picture name to a readable file path: next to the questionnaire
 * first, so authors can ship their own, then the shipped set. */
static bool load_picture(Loader *l, json_t *obj, const char *path, bool required, char **out)
{
    const char *name = NULL;
    if (!json_check_string(&l->check, obj, path, "picture", required, &name) || !name)
        return !required;
    char p[JSON_PATH_MAX];
    json_path(p, path, "picture");
    if (!has_suffix(name, ".svg") && !has_suffix(name, ".png")) {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "picture \"%s\" must be a .svg or .png file", name);
        return false;
    }
    if (strstr(name, "..") || name[0] == '/') {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "picture \"%s\" must be a file name inside the config or assets folder",
                          name);
        return false;
    }
    char candidate[PATH_MAX_LEN];
    const char *dirs[] = {l->base_dir, l->picture_dir};
    for (size_t i = 0; i < 2; i++) {
        if (!dirs[i])
            continue;
        snprintf(candidate, sizeof candidate, "%s/%s", dirs[i], name);
        if (file_exists(candidate)) {
            *out = mem_strdup(candidate);
            return true;
        }
    }
    json_check_report(&l->check, p, JSON_LOCATE_VALUE, "picture file \"%s\" not found", name);
    return false;
}

static void load_options(Loader *l, json_t *qobj, const char *qpath, Question *question)
{
    json_t *options = json_object_get(qobj, "options");
    char path[JSON_PATH_MAX];
    json_path(path, qpath, "options");
    bool wants = question->type == QUESTION_SINGLE || question->type == QUESTION_MULTIPLE;
    if (!wants) {
        if (options)
            json_check_report(&l->check, path, JSON_LOCATE_KEY,
                              "a \"%s\" question has no \"options\"",
                              question_type_name(question->type));
        return;
    }
    if (!options) {
        json_check_report(&l->check, qpath, JSON_LOCATE_VALUE,
                          "a \"%s\" question needs \"options\"",
                          question_type_name(question->type));
        return;
    }
    if (!json_is_array(options) || json_array_size(options) < OPTIONS_MIN ||
        json_array_size(options) > OPTIONS_MAX) {
        json_check_report(&l->check, path, JSON_LOCATE_VALUE,
                          "\"options\" must be an array of %d to %d answers", OPTIONS_MIN,
                          OPTIONS_MAX);
        return;
    }
    question->options = mem_array(json_array_size(options), sizeof *question->options);
    size_t index;
    json_t *o;
    json_array_foreach(options, index, o)
    {
        char opath[JSON_PATH_MAX];
        json_path_index(opath, path, index);
        if (!json_check_object(&l->check, o, opath))
            continue;
        Option *option = &question->options[question->option_count++];
        json_check_keys(&l->check, o, opath, OPTION_KEYS);
        json_check_id(&l->check, o, opath, "id", &option->id);
        json_check_text(&l->check, o, opath, "text", true, &option->text);
        load_picture(l, o, opath, true, &option->picture);
        json_check_bool(&l->check, o, opath, "exclusive", &option->exclusive);
        if (option->exclusive && question->type != QUESTION_MULTIPLE) {
            char p[JSON_PATH_MAX];
            json_check_report(&l->check, json_path(p, opath, "exclusive"), JSON_LOCATE_KEY,
                              "\"exclusive\" only applies to \"multiple\" questions");
        }
        for (size_t k = 0; option->id && k + 1 < question->option_count; k++)
            if (question->options[k].id && strcmp(question->options[k].id, option->id) == 0) {
                char p[JSON_PATH_MAX];
                json_check_report(&l->check, json_path(p, opath, "id"), JSON_LOCATE_VALUE,
                                  "answer id \"%s\" is used twice in this question", option->id);
            }
    }
}

static void load_condition(Loader *l, json_t *qobj, const char *qpath, Questionnaire *q,
                           size_t self)
{
    Question *question = &q->questions[self];
    question->show_if.question = -1;
    json_t *cond = json_object_get(qobj, "show_if");
    if (!cond)
        return;
    char path[JSON_PATH_MAX], p[JSON_PATH_MAX];
    json_path(path, qpath, "show_if");
    if (!json_check_object(&l->check, cond, path))
        return;
    json_check_keys(&l->check, cond, path, CONDITION_KEYS);
    const char *target = NULL;
    if (!json_check_string(&l->check, cond, path, "question", true, &target) || !target)
        return;
    int index = -1;
    for (size_t i = 0; i < q->question_count; i++)
        if (q->questions[i].id && strcmp(q->questions[i].id, target) == 0)
            index = index < 0 ? (int)i : index;
    json_path(p, path, "question");
    if (index < 0) {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "condition names question \"%s\", which does not exist", target);
        return;
    }
    if ((size_t)index >= self) {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "condition names question \"%s\", which does not come before this one",
                          target);
        return;
    }
    const Question *earlier = &q->questions[index];
    if (earlier->type != QUESTION_SINGLE && earlier->type != QUESTION_MULTIPLE) {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "condition names question \"%s\", which has no answers to match", target);
        return;
    }
    json_t *any_of = json_object_get(cond, "any_of");
    json_t *equals = json_object_get(cond, "equals");
    if ((any_of != NULL) == (equals != NULL)) {
        json_check_report(&l->check, path, JSON_LOCATE_VALUE,
                          "condition needs exactly one of \"any_of\" or \"equals\"");
        return;
    }
    json_t *list = any_of ? json_incref(any_of) : json_pack("[O]", equals);
    const char *list_key = any_of ? "any_of" : "equals";
    json_path(p, path, list_key);
    if (!json_is_array(list) || json_array_size(list) == 0) {
        json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                          "\"any_of\" must be a non-empty array of answer ids");
        json_decref(list);
        return;
    }
    question->show_if.option_ids = mem_array(json_array_size(list), sizeof(char *));
    size_t i;
    json_t *v;
    bool ok = true;
    json_array_foreach(list, i, v)
    {
        char ip[JSON_PATH_MAX];
        if (any_of)
            json_path_index(ip, p, i);
        else
            snprintf(ip, sizeof ip, "%s", p);
        if (!json_is_string(v) || question_find_option(earlier, json_string_value(v)) < 0) {
            json_check_report(&l->check, ip, JSON_LOCATE_VALUE,
                              "question \"%s\" has no answer %s%s%s", target,
                              json_is_string(v) ? "\"" : "",
                              json_is_string(v) ? json_string_value(v) : "of this type",
                              json_is_string(v) ? "\"" : "");
            ok = false;
            continue;
        }
        question->show_if.option_ids[question->show_if.option_id_count++] =
            mem_strdup(json_string_value(v));
    }
    json_decref(list);
    if (ok)
        question->show_if.question = index;
}

static bool parse_type(const char *name, QuestionType *out)
{
    static const QuestionType types[] = {QUESTION_SINGLE, QUESTION_MULTIPLE, QUESTION_TEXT,
                                         QUESTION_INFO};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(name, question_type_name(types[i])) == 0) {
            *out = types[i];
            return true;
        }
    return false;
}

static void load_question(Loader *l, json_t *qobj, const char *qpath, Questionnaire *q,
                          size_t index)
{
    Question *question = &q->questions[index];
    char p[JSON_PATH_MAX];
    question->show_if.question = -1;
    json_check_keys(&l->check, qobj, qpath, QUESTION_KEYS);
    if (json_check_id(&l->check, qobj, qpath, "id", &question->id))
        for (size_t k = 0; k < index; k++)
            if (q->questions[k].id && strcmp(q->questions[k].id, question->id) == 0)
                json_check_report(&l->check, json_path(p, qpath, "id"), JSON_LOCATE_VALUE,
                                  "question id \"%s\" is used twice", question->id);
    const char *type = NULL;
    bool type_ok = false;
    if (json_check_string(&l->check, qobj, qpath, "type", true, &type) && type) {
        type_ok = parse_type(type, &question->type);
        if (!type_ok)
            json_check_report(&l->check, json_path(p, qpath, "type"), JSON_LOCATE_VALUE,
                              "unknown question type \"%s\" (expected single, multiple, text or "
                              "info)",
                              type);
    }
    json_check_text(&l->check, qobj, qpath, "text", true, &question->text);
    json_check_text(&l->check, qobj, qpath, "help", false, &question->help);
    load_picture(l, qobj, qpath, true, &question->picture);
    json_check_bool(&l->check, qobj, qpath, "required", &question->required);
    if (type_ok && question->required &&
        (question->type == QUESTION_TEXT || question->type == QUESTION_INFO))
        json_check_report(&l->check, json_path(p, qpath, "required"), JSON_LOCATE_VALUE,
                          "a \"%s\" question cannot be required", type);
    long max_length = QUESTION_TEXT_DEFAULT_MAX;
    if (json_object_get(qobj, "max_length") && type_ok && question->type != QUESTION_TEXT)
        json_check_report(&l->check, json_path(p, qpath, "max_length"), JSON_LOCATE_KEY,
                          "\"max_length\" only applies to \"text\" questions");
    json_check_int(&l->check, qobj, qpath, "max_length", false, 1, TEXT_MAX_LIMIT, &max_length);
    question->max_length = (int)max_length;
    if (type_ok)
        load_options(l, qobj, qpath, question);
}

static void load_languages(Loader *l, json_t *root, Questionnaire *q)
{
    json_t *languages = json_object_get(root, "languages");
    if (!languages) {
        json_check_report(&l->check, "", JSON_LOCATE_VALUE, "missing required key \"languages\"");
        return;
    }
    if (!json_is_array(languages) || json_array_size(languages) == 0) {
        json_check_report(&l->check, "languages", JSON_LOCATE_VALUE,
                          "\"languages\" must be a non-empty array of language codes");
        return;
    }
    q->languages = mem_array(json_array_size(languages), sizeof(char *));
    size_t i;
    json_t *v;
    json_array_foreach(languages, i, v)
    {
        char p[JSON_PATH_MAX];
        json_path_index(p, "languages", i);
        const char *code = json_is_string(v) ? json_string_value(v) : "";
        bool duplicate = false;
        for (size_t k = 0; k < q->language_count; k++)
            duplicate = duplicate || strcmp(q->languages[k], code) == 0;
        if (!language_code_valid(code) || duplicate) {
            json_check_report(&l->check, p, JSON_LOCATE_VALUE,
                              duplicate ? "language \"%s\" is listed twice"
                                        : "\"%s\" is not a language code such as \"en\"",
                              code);
            continue;
        }
        q->languages[q->language_count++] = mem_strdup(code);
    }
    l->check.languages = (const char *const *)q->languages;
    l->check.language_count = q->language_count;
}

Questionnaire *questionnaire_parse(const char *source, size_t length, const char *base_dir,
                                   const char *picture_dir, Diagnostics *diag)
{
    size_t before = diag->count;
    Loader l = {{source, length, diag, NULL, 0}, base_dir, picture_dir};
    json_t *root = json_check_document(&l.check, TOP_KEYS, 1);
    if (!root)
        return NULL;
    Questionnaire *q = mem_alloc(sizeof *q);
    json_check_id(&l.check, root, "", "id", &q->id);
    json_check_int(&l.check, root, "", "version", true, 1, 1000000000L, &q->version);
    load_languages(&l, root, q);
    json_check_text(&l.check, root, "", "title", true, &q->title);
    load_picture(&l, root, "", false, &q->picture);
    json_t *questions = json_object_get(root, "questions");
    if (!questions) {
        json_check_report(&l.check, "", JSON_LOCATE_VALUE, "missing required key \"questions\"");
    } else if (!json_is_array(questions) || json_array_size(questions) == 0) {
        json_check_report(&l.check, "questions", JSON_LOCATE_VALUE,
                          "\"questions\" must be a non-empty array");
    } else {
        q->questions = mem_array(json_array_size(questions), sizeof *q->questions);
        size_t i;
        json_t *qobj;
        json_array_foreach(questions, i, qobj)
        {
            char qpath[JSON_PATH_MAX];
            json_path_index(qpath, "questions", i);
            q->questions[i].show_if.question = -1;
            if (json_check_object(&l.check, qobj, qpath))
                load_question(&l, qobj, qpath, q, i);
            q->question_count = i + 1;
        }
        /* Conditions are checked after all ids are known, to tell "missing"
         * from "comes later". */
        json_array_foreach(questions, i, qobj)
        {
            char qpath[JSON_PATH_MAX];
            json_path_index(qpath, "questions", i);
            if (json_is_object(qobj))
                load_condition(&l, qobj, qpath, q, i);
        }
    }
    json_decref(root);
    if (q && diag->count > before) {
        questionnaire_destroy(q);
        q = NULL;
    }
    return q;
}

Questionnaire *questionnaire_load(const char *path, const char *picture_dir, Diagnostics *diag)
{
    size_t length = 0;
    char why[200];
    char *source = file_read(path, QUESTIONNAIRE_MAX_BYTES, &length, why, sizeof why);
    if (!source) {
        diag_add(diag, 0, 0, "%s", why);
        return NULL;
    }
    char base_dir[PATH_MAX_LEN];
    file_dirname(path, base_dir, sizeof base_dir);
    Questionnaire *q = questionnaire_parse(source, length, base_dir, picture_dir, diag);
    free(source);
    return q;
}

static void option_deinit(Option *o)
{
    free(o->id);
    text_deinit(&o->text);
    free(o->picture);
}

static void question_deinit(Question *question)
{
    free(question->id);
    text_deinit(&question->text);
    text_deinit(&question->help);
    free(question->picture);
    for (size_t i = 0; i < question->show_if.option_id_count; i++)
        free(question->show_if.option_ids[i]);
    free(question->show_if.option_ids);
    for (size_t i = 0; i < question->option_count; i++)
        option_deinit(&question->options[i]);
    free(question->options);
}

void questionnaire_destroy(Questionnaire *q)
{
    if (!q)
        return;
    free(q->id);
    for (size_t i = 0; i < q->language_count; i++)
        free(q->languages[i]);
    free(q->languages);
    text_deinit(&q->title);
    free(q->picture);
    for (size_t i = 0; i < q->question_count; i++)
        question_deinit(&q->questions[i]);
    free(q->questions);
    free(q);
}

int questionnaire_find_question(const Questionnaire *q, const char *id)
{
    for (size_t i = 0; i < q->question_count; i++)
        if (q->questions[i].id && strcmp(q->questions[i].id, id) == 0)
            return (int)i;
    return -1;
}

int question_find_option(const Question *question, const char *id)
{
    for (size_t i = 0; i < question->option_count; i++)
        if (question->options[i].id && strcmp(question->options[i].id, id) == 0)
            return (int)i;
    return -1;
}

const char *questionnaire_default_language(const Questionnaire *q)
{
    return q->language_count ? q->languages[0] : "en";
}

bool questionnaire_has_language(const Questionnaire *q, const char *language)
{
    for (size_t i = 0; i < q->language_count; i++)
        if (strcmp(q->languages[i], language) == 0)
            return true;
    return false;
}
