/* strings: the kiosk's own words (not the questionnaires'), by language.
 *
 * Every string shown by the UI comes from here, so translation is one table
 * per language and `sayso check` can later report gaps. English is complete;
 * a missing string in another language falls back to English.
 *
 * Contract: returns static, immutable strings; any thread. */
#ifndef SAYSO_CORE_STRINGS_H
#define SAYSO_CORE_STRINGS_H

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
    STR_COUNT
} StringId;

const char *string_get(const char *language, StringId id);

#endif
