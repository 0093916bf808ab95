/* strings: the kiosk's own words (not the questionnaires'), by language.
 *
 * English is built in, so a kiosk with no strings folder still speaks. Other
 * languages come from assets/strings/<code>.json (docs/translations.md),
 * each with its name in its own script (for the language choice on
 * Welcome), its direction, and a review status. A string missing in a
 * language falls back to English; a translation whose printf placeholders
 * differ from English is refused, since it could crash a format call.
 *
 * Contract: strings_create returns a heap table (strings_destroy frees it);
 * loading happens before the UI starts; lookups return strings owned by
 * the table. A loaded table is read-only: any thread. */
#ifndef SAYSO_CORE_STRINGS_H
#define SAYSO_CORE_STRINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/text.h"

typedef enum {
    STR_WELCOME_TITLE,
    STR_WELCOME_PRIVATE,
    STR_TOUCH_TO_START,
    STR_CHOOSE_TITLE,
    STR_BACK,
    STR_NEXT,
    STR_SKIP,
    STR_FINISH,
    STR_MORE_HELP,
    STR_CLOSE,
    STR_QUESTION_N_OF_M, /* printf: %d %d */
    STR_THANK_YOU,
    STR_ANSWERS_SAVED,
    STR_TOUCH_TO_FINISH,
    STR_STILL_THERE,
    STR_STILL_THERE_HELP,
    STR_STILL_HERE,
    STR_RESTART_IN, /* printf: %d */
    STR_NOT_READY,
    STR_CANNOT_SAVE,
    STR_TRY_AGAIN,
    STR_TYPE_HERE,
    STR_KEY_SPACE,
    STR_KEY_DELETE,
    STR_KEY_CAPITALS,
    STR_CHOOSE_ONE,
    STR_CHOOSE_ANY,
    STR_READ_ALOUD,
    STR_STOP_READING,
    STR_DISPLAY,
    STR_DISPLAY_TITLE,
    STR_TEXT_SIZE,
    STR_SIZE_1,
    STR_SIZE_2,
    STR_SIZE_3,
    STR_SIZE_4,
    STR_COLOURS,
    STR_COLOURS_STANDARD,
    STR_COLOURS_HIGH,
    STR_SOUND,
    STR_ALWAYS_READ,
    STR_QUIETER,
    STR_LOUDER,
    STR_VOLUME_N_OF_M, /* printf: %d %d */
    STR_SPOKEN_ANSWER, /* printf: %d %s: the number and the words of an answer */
    STR_MORE_ANSWERS,
    STR_SUPPORT_TITLE,
    STR_SUPPORT_SAVED,
    STR_SUPPORT_CALL,
    STR_SUPPORT_FINISH,
    STR_YOU_SAID_WE_DID,
    STR_GET_INVOLVED,
    STR_COUNT
} StringId;

typedef struct {
    char code[LANGUAGE_CODE_MAX];
    char *name; /* in its own script: "العربية" */
    bool rtl;
    char *review;          /* "reviewed", "machine-drafted", ... */
    char *voice;           /* espeak-ng voice name, or NULL: no voice to read aloud */
    char *text[STR_COUNT]; /* NULL: missing, English is used */
} StringLanguage;

typedef struct StringTable StringTable;

StringTable *strings_create(void);
void strings_destroy(StringTable *t);
/* Adds (or replaces) the language in one file; problems go to diag with
 * positions; a file with problems adds nothing. */
bool strings_load_file(StringTable *t, const char *path, Diagnostics *diag);
/* Every *.json in dir; a bad file is logged and skipped. Returns how many
 * languages were added. */
int strings_load_dir(StringTable *t, const char *dir);

/* The text in `language`, else English; never NULL. */
const char *strings_get(const StringTable *t, const char *language, StringId id);
const StringLanguage *strings_language(const StringTable *t, const char *code);
size_t strings_count(const StringTable *t);
const StringLanguage *strings_at(const StringTable *t, size_t index);
/* "welcome_title" for STR_WELCOME_TITLE: the key used in the files. */
const char *string_key(StringId id);
/* The built-in English text. */
const char *string_english(StringId id);

#endif
