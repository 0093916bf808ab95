/* Tests the risk-word matcher that decides whether a typed answer brings up
 * the support screen and flags the response for staff. A miss leaves a
 * person at risk unnoticed and a false alarm worries someone for nothing,
 * so both directions are checked: case folding for ASCII, Polish (Ś Ę Ł Ć)
 * and Turkish (İ and dotless ı as i); "self harm", "self-harm", "self  harm",
 * dash variants and "selfharm" matching each other; apostrophe variants and
 * left-out apostrophes; matching only at a word start for Latin entries
 * ("kill" not in "skill", "suicid" in "suicidal", punctuation and emoji
 * before a word); Arabic, Urdu and Bengali entries found inside words, with
 * tatweel and vowel marks ignored; entries of several languages at once;
 * text and entries that are not valid UTF-8; refused and duplicate entries;
 * an empty list; the built-in English list on risky and ordinary sentences;
 * and answers JSON over the shipped service-feedback questionnaire, where
 * only text questions are read, never option ids or unknown keys. Tests run
 * from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "core/safeguarding.h"

/* A list of the given entries in one language; NULL ends them. */
static RiskWords *list_of(const char *language, const char *const *entries)
{
    RiskWords *w = risk_words_create();
    assert_non_null(w);
    for (size_t i = 0; entries[i]; i++)
        if (!risk_words_add(w, language, entries[i]))
            fail_msg("entry \"%s\" refused", entries[i]);
    return w;
}

static void expect(const RiskWords *w, const char *text, bool match)
{
    if (risk_words_match(w, text) != match)
        fail_msg("\"%s\" should %smatch", text, match ? "" : "not ");
}

static void test_case_insensitive_ascii(void **state)
{
    (void)state;
    RiskWords *w = list_of("en", (const char *const[]){"Kill Myself", NULL});
    expect(w, "kill myself", true);
    expect(w, "I want to KILL MYSELF", true);
    expect(w, "i want to kIlL mYsElF.", true);
    expect(w, "I killed myself laughing", false);
    expect(w, "kill yourself", false);
    expect(w, "", false);
    risk_words_destroy(w);
}

static void test_hyphen_and_space_variants(void **state)
{
    (void)state;
    RiskWords *w = list_of("en", (const char *const[]){"self-harm", NULL});
    expect(w, "self harm", true);
    expect(w, "self-harm", true);
    expect(w, "self  harm", true);
    expect(w, "self\t\n harm", true);
    expect(w, "self - harm", true);
    expect(w, "SELF\u2010HARM", true);       /* hyphen */
    expect(w, "self \u2013 harm", true);     /* en dash */
    expect(w, "self\u00a0harm", true);       /* no-break space */
    expect(w, "self\u00adharm", true);       /* soft hyphen, invisible */
    expect(w, "thoughts of selfharm", true); /* a space in the entry may be left out */
    expect(w, "self, harm", false);
    expect(w, "selfish harm", false);
    expect(w, "self", false);
    /* every spelling of it is the same entry */
    assert_true(risk_words_add(w, "en", "self  harm"));
    assert_true(risk_words_add(w, "en", " SELF HARM "));
    assert_int_equal(risk_words_count(w), 1);
    risk_words_destroy(w);

    /* and the other way round: an entry written with spaces */
    w = list_of("en", (const char *const[]){"end  it   all", NULL});
    expect(w, "I want to end-it-all", true);
    expect(w, "endital", false);
    risk_words_destroy(w);
}

static void test_word_start(void **state)
{
    (void)state;
    RiskWords *w = list_of("en", (const char *const[]){"kill", "suicid", NULL});
    expect(w, "kill", true);
    expect(w, "they want to kill", true);
    expect(w, "killing", true);
    expect(w, "skill", false);
    expect(w, "my skills got better", false);
    expect(w, "overkill", false);
    expect(w, "over-kill", true);   /* the hyphen is a space */
    expect(w, "3kill", false);      /* a digit is part of the word */
    expect(w, "\u00e9kill", false); /* so is a Latin letter */
    expect(w, "\u0436kill", false); /* and a Cyrillic one */
    expect(w, "(kill)", true);
    expect(w, "\u201ckill\u201d", true); /* curly quotes */
    expect(w, "\u00bfkill?", true);
    expect(w, "\U0001F622kill", true);   /* crying face */
    expect(w, "\u2764\ufe0fkill", true); /* heart with a variation selector */
    expect(w, "caf\u00e9 kill", true);
    expect(w, "line\nkill", true);
    expect(w, "I feel suicidal.", true);
    expect(w, "SUICIDE", true);
    expect(w, "nonsuicidal", false);
    risk_words_destroy(w);
}

static void test_apostrophes(void **state)
{
    (void)state;
    RiskWords *w = list_of("en", (const char *const[]){"don't want to live", "cant cope", NULL});
    expect(w, "I don't want to live", true);
    expect(w, "I don\u2019t want to live", true); /* right single quotation mark */
    expect(w, "I don`t want to live", true);
    expect(w, "I DONT WANT TO LIVE", true); /* left out in the text */
    expect(w, "I do not want to live", false);
    expect(w, "I can't cope any more", true); /* left out in the entry */
    expect(w, "I can\u2019t cope", true);
    expect(w, "I can cope", false);
    risk_words_destroy(w);

    /* an apostrophe before a word is not part of it (French l'abus) */
    w = list_of("fr", (const char *const[]){"abus", NULL});
    expect(w, "l'abus", true);
    expect(w, "l\u2019abus", true);
    expect(w, "labus", false);
    risk_words_destroy(w);
}

static void test_polish(void **state)
{
    (void)state;
    RiskWords *w =
        list_of("pl", (const char *const[]){"Śmierć", "zabiję się", "łatwiej byłoby umrzeć", NULL});
    expect(w, "ciągle myślę: śmierć", true);
    expect(w, "ŚMIERĆ", true);
    expect(w, "Smierc", false); /* letters without their marks are other letters */
    expect(w, "Chyba ZABIJĘ SIĘ dzisiaj", true);
    expect(w, "Zabiję-się", true);
    expect(w, "ŁATWIEJ BYŁOBY UMRZEĆ", true);
    expect(w, "Łatwiej było dojechać", false);
    expect(w, "Dziękuję za pomoc", false);
    risk_words_destroy(w);
}

static void test_turkish(void **state)
{
    (void)state;
    RiskWords *w = list_of("tr", (const char *const[]){"İntihar", "kendimi öldürmek", NULL});
    expect(w, "intihar", true);
    expect(w, "INTIHAR", true);
    expect(w, "ıntıhar", true); /* dotless ı */
    expect(w, "İNTİHAR etmek istiyorum", true);
    expect(w, "intiharı düşünüyorum", true);
    expect(w, "KENDİMİ ÖLDÜRMEK istiyorum", true);
    expect(w, "kendimi çok iyi hissediyorum", false);
    risk_words_destroy(w);

    /* the same folding from an English entry */
    w = list_of("en", (const char *const[]){"kill myself", NULL});
    expect(w, "KİLL MYSELF", true);
    expect(w, "kıll myself", true);
    risk_words_destroy(w);
}

static void test_other_scripts_match_inside_words(void **state)
{
    (void)state;
    RiskWords *w = risk_words_create();
    assert_true(risk_words_add(w, "ar", "انتحار"));  /* suicide */
    assert_true(risk_words_add(w, "ur", "خودکشی"));  /* suicide */
    assert_true(risk_words_add(w, "bn", "আত্মহত্যা")); /* suicide */
    assert_int_equal(risk_words_count(w), 3);
    /* Arabic joins "ال" (the) to the word */
    expect(w, "أفكر في الانتحار كل يوم", true);
    expect(w, "أفكر في الانتحـــار", true); /* tatweel stretching the word */
    expect(w, "أفكر في الانْتِحَار", true);    /* written with vowel marks */
    expect(w, "انتخاب", false);             /* election: close but not it */
    expect(w, "میں خودکشی کے بارے میں سوچتا ہوں", true);
    expect(w, "আমি আত্মহত্যার কথা ভাবি", true);
    expect(w, "আমি ভালো আছি", false);
    risk_words_destroy(w);
}

static void test_multiple_languages(void **state)
{
    (void)state;
    RiskWords *w = risk_words_create();
    assert_true(risk_words_add(w, "en", "want to die"));
    assert_true(risk_words_add(w, "pl", "samobójstwo"));
    assert_true(risk_words_add(w, "ar", "انتحار"));
    assert_true(risk_words_add(w, "pt-br", "suicídio"));
    assert_int_equal(risk_words_count(w), 4);
    /* any language's entries are tried, whatever the screen's language */
    expect(w, "Nie wiem. I want to die.", true);
    expect(w, "myślę o SAMOBÓJSTWO", true);
    expect(w, "Suicídio", true);
    expect(w, "الانتحار", true);
    expect(w, "Wszystko było dobrze, thank you", false);
    risk_words_destroy(w);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    RiskWords *w = list_of("en", (const char *const[]){"kill myself", NULL});
    expect(w, "kill myself \xff", false);
    expect(w, "\xff kill myself", false);
    expect(w, "kill myself \xc0\xaf", false);         /* overlong '/' */
    expect(w, "kill myself \xed\xa0\x80", false);     /* surrogate */
    expect(w, "kill myself \xf4\x90\x80\x80", false); /* past U+10FFFF */
    expect(w, "kill myself \xe2\x80", false);         /* cut short at the end */
    expect(w, "kill myself \xe2\x80 x", false);
    expect(w, "\x80", false);
    /* bad entries are refused and leave the list as it was */
    assert_false(risk_words_add(w, "en", "kill\xff"));
    assert_false(risk_words_add(w, "en", "\xc3"));
    assert_int_equal(risk_words_count(w), 1);
    expect(w, "kill myself", true);
    risk_words_destroy(w);
}

static void test_add_refuses(void **state)
{
    (void)state;
    RiskWords *w = risk_words_create();
    assert_false(risk_words_add(w, "en", ""));
    assert_false(risk_words_add(w, "en", "   "));
    assert_false(risk_words_add(w, "en", " - "));
    assert_false(risk_words_add(w, "en", "\u200b"));
    /* all optional: would match every text */
    assert_false(risk_words_add(w, "en", "'"));
    assert_false(risk_words_add(w, "en", "' \u2019 '"));
    assert_false(risk_words_add(w, "EN", "abuse"));
    assert_false(risk_words_add(w, "", "abuse"));
    assert_false(risk_words_add(w, NULL, "abuse"));
    assert_false(risk_words_add(w, "en", NULL));
    assert_false(risk_words_add(NULL, "en", "abuse"));
    assert_int_equal(risk_words_count(w), 0);
    /* the same entry again, in any case or language, is kept once */
    assert_true(risk_words_add(w, "en", "abuse"));
    assert_true(risk_words_add(w, "en", "ABUSE"));
    assert_true(risk_words_add(w, "fr", "Abuse"));
    assert_int_equal(risk_words_count(w), 1);
    risk_words_destroy(w);
    risk_words_destroy(NULL);
}

static void test_empty_list(void **state)
{
    (void)state;
    RiskWords *w = risk_words_create();
    assert_int_equal(risk_words_count(w), 0);
    expect(w, "kill myself", false);
    expect(w, "", false);
    assert_false(risk_words_match(w, NULL));
    assert_false(risk_words_match(NULL, "kill myself"));
    assert_int_equal(risk_words_count(NULL), 0);
    json_t *answers = json_pack("{s:s}", "good", "kill myself");
    assert_false(risk_words_match_answers(w, NULL, answers));
    json_decref(answers);
    risk_words_destroy(w);
}

static void test_defaults(void **state)
{
    (void)state;
    RiskWords *w = risk_words_create();
    risk_words_add_defaults(w);
    size_t count = risk_words_count(w);
    assert_in_range(count, 15, 40);
    risk_words_add_defaults(w); /* twice adds nothing */
    assert_int_equal(risk_words_count(w), count);

    static const char *const RISKY[] = {
        "Sometimes I feel suicidal",
        "I think about killing myself",
        "I want to end it all",
        "I just want to die",
        "I've been self-harming again",
        "I hurt myself last week",
        "I took an overdose in March",
        "My partner is abusive",
        "I was abused as a child",
        "He hits me",
        "I don't feel safe at home",
        "I dont want to live any more",
        "Everyone would be better off dead without me",
        "The ward felt unsafe at night",
        "Someone threatened me in the waiting room",
        "There was violence on the ward",
    };
    for (size_t i = 0; i < sizeof RISKY / sizeof RISKY[0]; i++)
        expect(w, RISKY[i], true);

    static const char *const ORDINARY[] = {
        "The staff were skilled and kind",
        "My therapist really listened",
        "I would recommend it all to a friend",
        "The grapes in the cafe were nice",
        "Parking was hard to find",
        "I felt safe and welcome",
        "The group helped me with my anxiety",
        "Waiting times could be shorter",
        "",
    };
    for (size_t i = 0; i < sizeof ORDINARY / sizeof ORDINARY[0]; i++)
        expect(w, ORDINARY[i], false);
    risk_words_destroy(w);
}

static Questionnaire *load_service_feedback(void)
{
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q =
        questionnaire_load("config/questionnaires/service-feedback.json", "assets/pictures", &diag);
    dump(&diag);
    assert_non_null(q);
    assert_int_equal(diag.count, 0);
    diag_deinit(&diag);
    return q;
}

static bool match_answers_text(const RiskWords *w, const Questionnaire *q, const char *json)
{
    json_t *answers = json_loads(json, 0, NULL);
    assert_non_null(answers);
    bool found = risk_words_match_answers(w, q, answers);
    json_decref(answers);
    return found;
}

static void test_answers_of_real_questionnaire(void **state)
{
    (void)state;
    Questionnaire *q = load_service_feedback();
    RiskWords *w = risk_words_create();
    risk_words_add_defaults(w);
    assert_true(risk_words_add(w, "en", "very good")); /* spelled like an option id */

    assert_false(match_answers_text(w, q, "{}"));
    assert_false(match_answers_text(w, q, "{\"fft\":\"good\",\"good\":\"Kind staff\"}"));
    assert_true(match_answers_text(w, q, "{\"fft\":\"poor\",\"better\":\"I want to die\"}"));
    assert_true(match_answers_text(w, q, "{\"good\":\"the SELF-HARM group\"}"));
    assert_true(match_answers_text(w, q, "{\"good\":\"Very good\"}"));
    /* an option id is not typed text, even when it spells an entry */
    assert_false(match_answers_text(w, q, "{\"fft\":\"very-good\"}"));
    assert_false(match_answers_text(w, q, "{\"fft\":\"kill myself\"}"));
    /* keys that are not questions of this questionnaire are not read */
    assert_false(match_answers_text(w, q, "{\"comment\":\"kill myself\"}"));
    /* nor are text answers of the wrong shape */
    assert_false(match_answers_text(w, q, "{\"good\":[\"kill myself\"],\"better\":5}"));

    json_t *array = json_pack("[s]", "kill myself");
    assert_false(risk_words_match_answers(w, q, array));
    assert_false(risk_words_match_answers(w, q, NULL));
    json_decref(array);
    risk_words_destroy(w);
    questionnaire_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_insensitive_ascii),
        cmocka_unit_test(test_hyphen_and_space_variants),
        cmocka_unit_test(test_word_start),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_polish),
        cmocka_unit_test(test_turkish),
        cmocka_unit_test(test_other_scripts_match_inside_words),
        cmocka_unit_test(test_multiple_languages),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_add_refuses),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_answers_of_real_questionnaire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
