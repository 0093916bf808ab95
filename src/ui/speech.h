/* speech: reads texts aloud with espeak-ng through an SDL audio device, so a
 * person who cannot read the screen can still answer.
 *
 * Three threads meet here. The caller (the UI thread) only copies texts and
 * flips state under a short mutex, so it never waits for synthesis. One
 * speech thread owns espeak-ng, which is not thread-safe, and synthesises
 * into a ring buffer; SDL's audio thread drains the ring from its callback
 * and applies the volume there, so a volume change reaches audio that is
 * already queued. Every say() or stop() bumps a generation: synthesis still
 * running for an older generation is aborted from espeak's callback and its
 * samples are never queued. The audio device is open only while there is
 * something to play: the speech thread opens it for the first samples of a
 * say() and closes it when the last has been played or the say() was cut,
 * then sleeps on a condition variable. A paused SDL 2 device is not
 * enough: its thread still wakes once a buffer, about 43 times a second,
 * to write silence, which was most of an idle kiosk's CPU (issue 7).
 *
 * Contract: speech_create and speech_destroy are called from one owning
 * thread (the UI thread); every other function may be called from any thread
 * and returns after at most a short mutex hold. espeak-ng is process-wide,
 * so only one Speech may exist at a time: a second speech_create fails
 * (logged). The first speech_create starts espeak-ng and nothing stops it
 * before the process exits (espeak-ng 1.51 hangs in a second
 * espeak_Terminate), so destroy and create again is fine. The Speech owns
 * its copies of texts and frees them, wiped, when they have been spoken or
 * dropped. The notify callback runs on the speech thread, never while a
 * lock of this module is held, so it may call any speech_* function except
 * speech_destroy; it can still be running until speech_destroy returns,
 * never after. Texts are never logged. */
#ifndef SAYSO_UI_SPEECH_H
#define SAYSO_UI_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Speech Speech;

/* Called on the speech thread once for every say() that ends: its last
 * sample was played, or speech_stop or a newer say() cut it short (not when
 * speech_destroy does). It is a hint to redraw (the kiosk turns it into an
 * SDL event); ask speech_speaking for the current state. */
typedef void (*SpeechNotify)(void *ctx);

typedef struct {
    /* For the latest say() only (reset by each say): samples the audio
     * callback took from the ring, the pause between texts included, and the
     * largest absolute sample value among them before volume scaling
     * (peak) and after it (peak_out, what the device got). */
    uint64_t samples_played;
    int sample_rate; /* of the device and of espeak-ng, in Hz */
    int peak;
    int peak_out;
    /* Since create: say()s whose last sample was played; say()s cut short
     * by speech_stop or by a newer say(). */
    unsigned finished;
    unsigned stopped;
    /* Since create, to check that idle costs nothing: how often the speech
     * thread woke up, and how often SDL called the audio callback (never
     * while the device is paused). */
    unsigned wakeups;
    uint64_t device_callbacks;
    /* The audio device is open now; how many times it has been opened. */
    bool device_open;
    unsigned device_opens;
} SpeechStats;

/* Starts espeak-ng (its own default data folder; ESPEAK_DATA_PATH is
 * honoured) unless an earlier create did, checks that the default SDL
 * audio output opens (and closes it again until there is something to
 * say), and starts the speech thread. notify may be NULL. Returns NULL, logged
 * once, when espeak-ng or SDL audio cannot start: the kiosk then runs
 * without speech. */
Speech *speech_create(SpeechNotify notify, void *ctx);
/* Stops, joins the speech thread, closes the audio device and SDL audio;
 * espeak-ng stays loaded, idle, for the next create. Takes 50-70 ms: SDL
 * lets the device drain two buffers before closing it. NULL is fine. */
void speech_destroy(Speech *s);

/* Whether `voice` can be spoken: an espeak-ng voice name ("English (Great
 * Britain)"), file identifier ("gmw/en"), its last part ("en") or a language
 * it lists ("en-gb", "ar", "bn", "pl", "tr", "ur"), case-insensitive, like
 * `espeak-ng -v`. MBROLA voices and "+variant" suffixes are not offered.
 * Answers from a table made at create, so it never touches espeak-ng. */
bool speech_has_voice(Speech *s, const char *voice);

/* Stops whatever is being spoken and speaks `texts` in order in `voice`,
 * with a short pause between them. NULL or empty texts are skipped; with
 * none left this is speech_stop. The texts are copied (they may be a
 * person's words: the copies are wiped before they are freed) and read as
 * plain UTF-8, never SSML. Returns at once, never waiting for synthesis.
 * False, logged, if the voice does not exist: what was being spoken then
 * goes on. False, not logged (create already was), if s is NULL. */
bool speech_say(Speech *s, const char *voice, const char *const *texts, size_t count);
/* Returns at once; the device gets no more of this speech after its current
 * buffer (about 23 ms), so audio stops within ~50 ms. */
void speech_stop(Speech *s);
/* True from say() until the audio callback has taken the last sample (the
 * device may still be playing its last buffer) or until stop. */
bool speech_speaking(Speech *s);
/* Linear gain, 0..100 (clamped), applied as samples go to the device, so
 * it also reaches audio already queued. Starts at 100. */
void speech_set_volume(Speech *s, int percent);
int speech_volume(Speech *s);
/* Counters for tests; all zero when s is NULL. */
void speech_stats(Speech *s, SpeechStats *out);

#endif
