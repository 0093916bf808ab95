/* strings: the English table built in, other languages loaded from JSON.
 * Easy read: short sentences, everyday words. The keys in the files are the
 * StringId names in lower case, so a translator sees "restart_in", not a
 * number. */
#include "core/strings.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/json_check.h"
#include "core/log.h"
#include "core/mem.h"

static const char *const ENGLISH[STR_COUNT] = {
    [STR_WELCOME_TITLE] = "Tell us what you think",
    [STR_WELCOME_PRIVATE] = "We do not ask your name. Your answers are private.",
    [STR_TOUCH_TO_START] = "Touch the screen to start",
    [STR_CHOOSE_TITLE] = "What do you want to tell us about?",
    [STR_BACK] = "Back",
    [STR_NEXT] = "Next",
    [STR_SKIP] = "Skip",
    [STR_FINISH] = "Finish",
    [STR_MORE_HELP] = "More help",
    [STR_CLOSE] = "Close",
    [STR_QUESTION_N_OF_M] = "Question %d of %d",
    [STR_THANK_YOU] = "Thank you.",
    [STR_ANSWERS_SAVED] = "Your answers are saved.",
    [STR_TOUCH_TO_FINISH] = "Touch to finish",
    [STR_STILL_THERE] = "Are you still there?",
    [STR_STILL_THERE_HELP] = "Touch the button to carry on.",
    [STR_STILL_HERE] = "Yes, I am still here",
    [STR_RESTART_IN] = "The screen will start again in %d seconds.",
    [STR_NOT_READY] = "This screen is not ready. Please tell a member of staff.",
    [STR_CANNOT_SAVE] =
        "Sorry, this screen cannot save answers right now. Please tell a member of staff.",
    [STR_TRY_AGAIN] = "Try again",
    [STR_TYPE_HERE] = "Type your answer here",
    [STR_KEY_SPACE] = "Space",
    [STR_KEY_DELETE] = "Delete",
    [STR_KEY_CAPITALS] = "Capitals",
    [STR_CHOOSE_ONE] = "Choose one answer.",
    [STR_CHOOSE_ANY] = "Choose all the answers that fit.",
    [STR_READ_ALOUD] = "Read aloud",
    [STR_STOP_READING] = "Stop",
    [STR_DISPLAY] = "Text and colours",
    [STR_DISPLAY_TITLE] = "Text, colours and sound",
    [STR_TEXT_SIZE] = "Text size",
    [STR_SIZE_1] = "Normal",
    [STR_SIZE_2] = "Big",
    [STR_SIZE_3] = "Bigger",
    [STR_SIZE_4] = "Biggest",
    [STR_COLOURS] = "Colours",
    [STR_COLOURS_STANDARD] = "Standard",
    [STR_COLOURS_HIGH] = "Black background",
    [STR_SOUND] = "Sound",
    [STR_ALWAYS_READ] = "Read every screen aloud",
    [STR_QUIETER] = "Quieter",
    [STR_LOUDER] = "Louder",
    [STR_VOLUME_N_OF_M] = "Volume %d of %d",
    [STR_SPOKEN_ANSWER] = "Answer %d: %s",
    [STR_MORE_ANSWERS] = "More answers",
    [STR_SUPPORT_TITLE] = "If you need help now, please talk to a member of staff.",
    [STR_SUPPORT_SAVED] = "Thank you. Your answers are saved.",
    [STR_SUPPORT_CALL] = "You can also phone:",
    [STR_SUPPORT_FINISH] = "I have finished",
    [STR_YOU_SAID_WE_DID] = "You said, we did",
    [STR_GET_INVOLVED] = "Get involved",
};

static const char *const KEYS[STR_COUNT] = {
    [STR_WELCOME_TITLE] = "welcome_title",
    [STR_WELCOME_PRIVATE] = "welcome_private",
    [STR_TOUCH_TO_START] = "touch_to_start",
    [STR_CHOOSE_TITLE] = "choose_title",
    [STR_BACK] = "back",
    [STR_NEXT] = "next",
    [STR_SKIP] = "skip",
    [STR_FINISH] = "finish",
    [STR_MORE_HELP] = "more_help",
    [STR_CLOSE] = "close",
    [STR_QUESTION_N_OF_M] = "question_n_of_m",
    [STR_THANK_YOU] = "thank_you",
    [STR_ANSWERS_SAVED] = "answers_saved",
    [STR_TOUCH_TO_FINISH] = "touch_to_finish",
    [STR_STILL_THERE] = "still_there",
    [STR_STILL_THERE_HELP] = "still_there_help",
    [STR_STILL_HERE] = "still_here",
    [STR_RESTART_IN] = "restart_in",
    [STR_NOT_READY] = "not_ready",
    [STR_CANNOT_SAVE] = "cannot_save",
    [STR_TRY_AGAIN] = "try_again",
    [STR_TYPE_HERE] = "type_here",
    [STR_KEY_SPACE] = "key_space",
    [STR_KEY_DELETE] = "key_delete",
    [STR_KEY_CAPITALS] = "key_capitals",
    [STR_CHOOSE_ONE] = "choose_one",
    [STR_CHOOSE_ANY] = "choose_any",
    [STR_READ_ALOUD] = "read_aloud",
    [STR_STOP_READING] = "stop_reading",
    [STR_DISPLAY] = "display",
    [STR_DISPLAY_TITLE] = "display_title",
    [STR_TEXT_SIZE] = "text_size",
    [STR_SIZE_1] = "size_1",
    [STR_SIZE_2] = "size_2",
    [STR_SIZE_3] = "size_3",
    [STR_SIZE_4] = "size_4",
    [STR_COLOURS] = "colours",
    [STR_COLOURS_STANDARD] = "colours_standard",
    [STR_COLOURS_HIGH] = "colours_high",
    [STR_SOUND] = "sound",
    [STR_ALWAYS_READ] = "always_read",
    [STR_QUIETER] = "quieter",
    [STR_LOUDER] = "louder",
    [STR_VOLUME_N_OF_M] = "volume_n_of_m",
    [STR_SPOKEN_ANSWER] = "spoken_answer",
    [STR_MORE_ANSWERS] = "more_answers",
    [STR_SUPPORT_TITLE] = "support_title",
    [STR_SUPPORT_SAVED] = "support_saved",
    [STR_SUPPORT_CALL] = "support_call",
    [STR_SUPPORT_FINISH] = "support_finish",
    [STR_YOU_SAID_WE_DID] = "you_said_we_did",
    [STR_GET_INVOLVED] = "get_involved",
};

enum { STRINGS_MAX_LANGUAGES = 64, STRINGS_FILE_MAX = 256 * 1024 };

struct StringTable {
    StringLanguage languages[STRINGS_MAX_LANGUAGES];
    size_t count;
};

const char *string_key(StringId id)
{
    return (int)id >= 0 && id < STR_COUNT && KEYS[id] ? KEYS[id] : "";
}

const char *string_english(StringId id)
{
    return (int)id >= 0 && id < STR_COUNT && ENGLISH[id] ? ENGLISH[id] : "";
}

static void language_clear(StringLanguage *l)
{
    free(l->name);
    free(l->review);
    free(l->voice);
    for (int i = 0; i < STR_COUNT; i++)
        free(l->text[i]);
    memset(l, 0, sizeof *l);
}

StringTable *strings_create(void)
{
    StringTable *t = mem_alloc(sizeof *t);
    StringLanguage *en = &t->languages[t->count++];
    snprintf(en->code, sizeof en->code, "en");
    en->name = mem_strdup("English");
    en->review = mem_strdup("reviewed");
    en->voice = mem_strdup("en-gb");
    for (int i = 0; i < STR_COUNT; i++)
        en->text[i] = mem_strdup(ENGLISH[i]);
    return t;
}

void strings_destroy(StringTable *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        language_clear(&t->languages[i]);
    free(t);
}

/* The sequence of printf conversions ("%d%d"): a translation must keep it,
 * or snprintf would read arguments that are not there. */
static void placeholders(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s; *p && n + 2 < size; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        out[n++] = '%';
        out[n++] = (char)(*p ? *p : '?');
        if (!*p)
            break;
    }
    out[n] = '\0';
}

static const char *const FILE_KEYS[] = {"format", "language", "name",    "direction",
                                        "review", "voice",    "strings", NULL};

/* espeak-ng voice names: "en-gb", "ar", "bn". Kept to a safe alphabet since
 * the name reaches the speech library as is. */
static bool voice_name_valid(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
            return false;
    return true;
}

static bool parse_language(JsonCheck *chk, json_t *root, StringLanguage *l)
{
    const char *code = NULL, *name = NULL, *direction = NULL, *review = NULL;
    if (json_check_string(chk, root, "", "language", true, &code) && code) {
        if (language_code_valid(code))
            snprintf(l->code, sizeof l->code, "%s", code);
        else
            json_check_report(chk, "language", JSON_LOCATE_VALUE,
                              "\"%s\" is not a language code such as \"ar\"", code);
    }
    if (json_check_string(chk, root, "", "name", true, &name) && name)
        l->name = mem_strdup(name);
    if (json_check_string(chk, root, "", "direction", true, &direction) && direction) {
        if (strcmp(direction, "rtl") != 0 && strcmp(direction, "ltr") != 0)
            json_check_report(chk, "direction", JSON_LOCATE_VALUE,
                              "direction is \"ltr\" or \"rtl\"");
        l->rtl = strcmp(direction, "rtl") == 0;
    }
    if (json_check_string(chk, root, "", "review", true, &review) && review)
        l->review = mem_strdup(review);
    const char *voice = NULL;
    if (json_check_string(chk, root, "", "voice", false, &voice) && voice) {
        if (voice_name_valid(voice))
            l->voice = mem_strdup(voice);
        else
            json_check_report(chk, "voice", JSON_LOCATE_VALUE,
                              "\"voice\" is an espeak-ng voice name such as \"en-gb\"");
    }
    json_t *strings = json_object_get(root, "strings");
    if (!strings) {
        json_check_report(chk, "", JSON_LOCATE_VALUE, "\"strings\" is missing");
        return false;
    }
    if (!json_check_object(chk, strings, "strings"))
        return false;
    const char *key;
    json_t *value;
    json_object_foreach(strings, key, value)
    {
        int id = 0;
        while (id < STR_COUNT && strcmp(KEYS[id], key) != 0)
            id++;
        char path[JSON_PATH_MAX];
        json_path(path, "strings", key);
        if (id == STR_COUNT) {
            json_check_report(chk, path, JSON_LOCATE_KEY, "unknown string \"%s\"", key);
            continue;
        }
        const char *text = json_string_value(value);
        if (!text || !*text) {
            json_check_report(chk, path, JSON_LOCATE_VALUE, "\"%s\" must be a non-empty text", key);
            continue;
        }
        char want[32], got[32];
        placeholders(ENGLISH[id], want, sizeof want);
        placeholders(text, got, sizeof got);
        if (strcmp(want, got) != 0) {
            json_check_report(chk, path, JSON_LOCATE_VALUE,
                              "\"%s\" must keep the placeholders \"%s\" in that order (has \"%s\")",
                              key, want, got);
            continue;
        }
        l->text[id] = mem_strdup(text);
    }
    return true;
}

bool strings_load_file(StringTable *t, const char *path, Diagnostics *diag)
{
    char why[256];
    size_t length = 0;
    char *source = file_read(path, STRINGS_FILE_MAX, &length, why, sizeof why);
    if (!source) {
        diag_add(diag, 0, 0, "%s", why);
        return false;
    }
    size_t before = diag->count;
    JsonCheck chk = {source, length, diag, NULL, 0};
    json_t *root = json_check_document(&chk, FILE_KEYS, 1);
    StringLanguage l = {0};
    if (root)
        parse_language(&chk, root, &l);
    json_decref(root);
    free(source);
    bool ok = diag->count == before && l.code[0];
    if (ok && t) {
        StringLanguage *slot = NULL;
        for (size_t i = 0; i < t->count; i++)
            if (strcmp(t->languages[i].code, l.code) == 0)
                slot = &t->languages[i];
        if (!slot && t->count < STRINGS_MAX_LANGUAGES)
            slot = &t->languages[t->count++];
        if (slot) {
            language_clear(slot);
            *slot = l;
            return true;
        }
        diag_add(diag, 0, 0, "too many languages (at most %d)", STRINGS_MAX_LANGUAGES);
        ok = false;
    }
    language_clear(&l);
    return ok;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int strings_load_dir(StringTable *t, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        log_warn("strings", "no strings folder %s; the kiosk speaks English only", dir);
        return 0;
    }
    char *names[STRINGS_MAX_LANGUAGES] = {0};
    int n = 0, added = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) && n < STRINGS_MAX_LANGUAGES) {
        size_t len = strlen(entry->d_name);
        if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0 && entry->d_name[0] != '.')
            names[n++] = mem_strdup(entry->d_name);
    }
    closedir(d);
    /* Sorted so the language choice is in the same order on every device. */
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        Diagnostics diag;
        diag_init(&diag);
        if (strings_load_file(t, path, &diag))
            added++;
        else
            for (size_t k = 0; k < diag.count; k++)
                log_error("strings", "%s:%d:%d: %s; this language is not offered", path,
                          diag.items[k].line, diag.items[k].column, diag.items[k].message);
        diag_deinit(&diag);
        free(names[i]);
    }
    return added;
}

const StringLanguage *strings_language(const StringTable *t, const char *code)
{
    for (size_t i = 0; t && code && i < t->count; i++)
        if (strcmp(t->languages[i].code, code) == 0)
            return &t->languages[i];
    return NULL;
}

size_t strings_count(const StringTable *t)
{
    return t ? t->count : 0;
}

const StringLanguage *strings_at(const StringTable *t, size_t index)
{
    return t && index < t->count ? &t->languages[index] : NULL;
}

const char *strings_get(const StringTable *t, const char *language, StringId id)
{
    const StringLanguage *l = strings_language(t, language);
    if (l && (int)id >= 0 && id < STR_COUNT && l->text[id])
        return l->text[id];
    return string_english(id);
}
