/* strings: the English table. Easy read: short sentences, everyday words. */
#include "core/strings.h"

#include <stddef.h>

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
};

const char *string_get(const char *language, StringId id)
{
    (void)language; /* other languages arrive with the easy-read issue */
    if ((int)id < 0 || id >= STR_COUNT || !ENGLISH[id])
        return "";
    return ENGLISH[id];
}
