/* Plain words in every shipped questionnaire: each English sentence of a
 * title, question, help text or answer has at most 15 words (easy read:
 * ../shared/notes/standards.md). The check reads config/questionnaires/
 * through the real loader, so a new questionnaire is covered the moment
 * it is shipped. Tests run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/questionnaire.h"

enum { MAX_WORDS = 15 };

/* Words in the longest sentence; a sentence ends at . ? ! or a line end. */
static int longest_sentence(const char *text, char *worst, size_t worst_size)
{
    int longest = 0, words = 0;
    bool in_word = false;
    const char *start = text;
    for (const char *p = text;; p++) {
        bool end = *p == '\0' || *p == '.' || *p == '?' || *p == '!' || *p == '\n';
        bool space = *p == ' ' || *p == '\t';
        if (!end && !space && !in_word) {
            words++;
            in_word = true;
        } else if (end || space)
            in_word = false;
        if (end) {
            if (words > longest) {
                longest = words;
                snprintf(worst, worst_size, "%.*s", (int)(p - start), start);
            }
            words = 0;
            if (!*p)
                break;
            start = p + 1;
        }
    }
    return longest;
}

static int check_text(const char *file, const char *where, const Text *t)
{
    const char *en = text_get(t, "en", "en");
    if (!en || !*en)
        return 0;
    char worst[512];
    int n = longest_sentence(en, worst, sizeof worst);
    if (n > MAX_WORDS) {
        print_message("%s: %s: a sentence of %d words: \"%s\"\n", file, where, n, worst);
        return 1;
    }
    return 0;
}

static void test_counting(void **state)
{
    (void)state;
    char worst[128];
    assert_int_equal(longest_sentence("One two. Three four five?", worst, sizeof worst), 3);
    assert_string_equal(worst, " Three four five");
    assert_int_equal(longest_sentence("", worst, sizeof worst), 0);
    assert_int_equal(longest_sentence("a b c d e f g h i j k l m n o p", worst, sizeof worst), 16);
}

static void test_shipped_questionnaires(void **state)
{
    (void)state;
    DIR *d = opendir("config/questionnaires");
    assert_non_null(d);
    struct dirent *e;
    int problems = 0, files = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "config/questionnaires/%s", e->d_name);
        Diagnostics diag;
        diag_init(&diag);
        Questionnaire *q = questionnaire_load(path, "assets/pictures", &diag);
        assert_non_null(q);
        assert_int_equal(diag.count, 0);
        files++;
        problems += check_text(path, "title", &q->title);
        for (size_t i = 0; i < q->question_count; i++) {
            const Question *qu = &q->questions[i];
            problems += check_text(path, qu->id, &qu->text);
            problems += check_text(path, qu->id, &qu->help);
            for (size_t k = 0; k < qu->option_count; k++)
                problems += check_text(path, qu->options[k].id, &qu->options[k].text);
        }
        questionnaire_destroy(q);
        diag_deinit(&diag);
    }
    closedir(d);
    assert_true(files >= 4);
    assert_int_equal(problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counting),
        cmocka_unit_test(test_shipped_questionnaires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
