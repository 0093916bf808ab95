/* safeguarding: risk words in what a person types.
 *
 * Staff configure words and phrases per language ("suicide", "kill
 * myself"...). When a typed answer contains one, the kiosk shows a calm
 * support screen after the answers are saved and the response is flagged
 * (RESPONSE_FLAG_RISK_WORDS) for staff to review. A match never blocks or
 * changes what is saved; this module only answers "does it match".
 *
 * Matching rules. Entry and text are both normalised, then an entry matches
 * when it occurs in the text:
 *   - Case is folded for ASCII and for Latin letters U+00C0..U+024F that have
 *     a simple upper/lower pair (Latin-1, Latin Extended-A, and the regular
 *     pairs of Latin Extended-B such as Romanian Ș/ș). Turkish İ (U+0130) and
 *     dotless ı (U+0131) both count as 'i', so "İNTİHAR", "intihar" and
 *     "ıntıhar" match each other. Other scripts (Arabic, Bengali, Urdu...)
 *     have no case and are compared as written. Accents are kept: ś and s
 *     are different letters, so an entry must be written with its accents.
 *   - Runs of white space (including no-break and other Unicode spaces) and
 *     hyphens or dashes (- U+2010..U+2015 U+2212) become one space; a space
 *     in an entry also matches no space at all, so the entry "self harm"
 *     matches "self harm", "self-harm", "self  harm" and "selfharm".
 *   - Apostrophe variants (' ` ´ U+2018 U+2019 U+02BC) are one apostrophe,
 *     and an apostrophe on either side may be left out on the other, so
 *     "don't", "don’t" and "dont" match each other.
 *   - Invisible characters are ignored: soft hyphen, zero-width space,
 *     joiner and non-joiner, word joiner, BOM, Arabic tatweel (ـ) and Arabic
 *     vowel marks (harakat U+064B..U+065F, U+0670), which people may or may
 *     not type.
 *   - An entry that starts with an ASCII or Latin letter or digit matches
 *     only at the start of a word: the character before it must not be a
 *     letter or digit of any script (punctuation, symbols, emoji and spaces
 *     are not). So "kill" does not match "skill" but does match "killing":
 *     an entry is a word start, not a whole word, and "suicid" matches
 *     "suicidal". Entries in other scripts match anywhere, because Arabic
 *     joins prefixes such as "ال" to the word and some scripts do not put
 *     spaces between words.
 *   - Matching ignores language: every entry of every language is tried,
 *     since a person may write English on a Polish screen. The language of
 *     an entry is checked when it is added, for config errors, not kept.
 *   - Text or entries that are not valid UTF-8 never match (and never
 *     crash); an entry that normalises to nothing is refused.
 *
 * Contract: risk_words_create returns a heap list the caller frees with
 * risk_words_destroy; the list owns copies of its entries. Build it on one
 * thread before use; once built it is only read, so any thread may call
 * risk_words_match and risk_words_match_answers at the same time. Nothing
 * typed by a person is kept or logged: the normalised copy of the text is
 * wiped before it is freed. */
#ifndef SAYSO_CORE_SAFEGUARDING_H
#define SAYSO_CORE_SAFEGUARDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/questionnaire.h"

typedef struct RiskWords RiskWords;

RiskWords *risk_words_create(void);
void risk_words_destroy(RiskWords *w); /* NULL is fine */

/* Adds one word or phrase for a language code ("en", "pt-br"). Returns false
 * and keeps nothing for a bad language code, an entry that is not valid
 * UTF-8, or one with nothing left after normalising ("", " - "). An entry
 * that normalises the same as one already in the list (in any language)
 * returns true but is not added twice. */
bool risk_words_add(RiskWords *w, const char *language, const char *entry);
/* Distinct entries in the list. */
size_t risk_words_count(const RiskWords *w);
/* Adds the built-in English list (about 30 entries on suicide, self-harm,
 * overdose, abuse, violence and not feeling safe), for a kiosk whose config
 * gives none. */
void risk_words_add_defaults(RiskWords *w);

/* True when text contains an entry of any language, by the rules above.
 * False for NULL, an empty list or text that is not valid UTF-8. */
bool risk_words_match(const RiskWords *w, const char *text);
/* True when the answer to any text question in answers (the JSON object
 * session_answers_json makes: {"question-id": "option" | [..] | "text"})
 * matches. Only string answers to questions of type text in q are read, so
 * option ids such as "abuse-support" never match; keys that are not
 * questions of q are skipped. False when q is NULL or answers is not an
 * object. */
bool risk_words_match_answers(const RiskWords *w, const Questionnaire *q, const json_t *answers);

#endif
