/* speech: espeak-ng on a speech thread, an SDL audio callback draining a
 * ring buffer, and a generation counter that lets the UI thread cut either
 * of them short without waiting.
 *
 * One mutex guards all shared state; nobody holds it for long (the audio
 * callback copies at most one device buffer, synthesis runs unlocked). The
 * speech thread never holds it while calling SDL_PauseAudioDevice, because
 * SDL calls the audio callback with its own device lock held and the
 * callback then takes ours: holding ours while asking for SDL's would
 * deadlock. */
#include "ui/speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/mem.h"

enum {
    DEVICE_SAMPLES = 512, /* ~23 ms at 22050 Hz: how late a stop can be heard */
    RING_SECONDS = 2,     /* synthesis runs far ahead of playback; this bounds memory */
    PAUSE_MS = 400,       /* between two texts of one say() */
};

/* The only process-wide state here, because espeak-ng's own state is
 * process-wide. The flag turns a second Speech, which would corrupt the
 * first, into a logged failure. espeak_rate remembers that espeak-ng was
 * started (its sample rate, or -1 when it could not start): it is started
 * once and never terminated, because in espeak-ng 1.51 a second
 * espeak_Terminate in one process hangs (its internal threads deadlock), so
 * destroy and create again must reuse it. Only the thread holding the flag
 * touches espeak_rate. */
static atomic_flag speech_in_use = ATOMIC_FLAG_INIT;
static int espeak_rate;

/* A voice as espeak_ListVoices described it, copied because espeak-ng frees
 * its list at terminate. Read-only after create, so any thread may search. */
typedef struct {
    char *name;
    char *identifier;
    char *languages; /* espeak's list: priority byte, tag, NUL, ...; ends with a 0 byte */
} Voice;

/* One say(), handed from the caller to the speech thread. */
typedef struct {
    uint64_t generation;
    const char *voice; /* an identifier in the voice table */
    char **texts;      /* non-empty copies, wiped when freed */
    size_t count;
} Job;

/* espeak's user_data for one espeak_Synth call. */
typedef struct {
    struct Speech *s;
    uint64_t generation;
    bool cut; /* a newer say(), stop or destroy made this synthesis moot */
} Synthesis;

struct Speech {
    /* Set in create, read-only afterwards. */
    SpeechNotify notify;
    void *ctx;
    int sample_rate;
    Voice *voices;
    size_t voice_count;
    /* 0 while closed. After create, only the speech thread opens and
     * closes it (never holding the lock: see the top of this file). */
    SDL_AudioDeviceID device;
    pthread_t thread;
    size_t pause_samples;
    /* What create managed to start, for the one cleanup path. */
    bool audio_started, lock_made, wake_made;

    SDL_AudioSpec want; /* the device every open asks for */

    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t wake;  /* the speech thread's only wait */
    bool quit;
    uint64_t generation;
    Job *job;              /* waiting for the speech thread, or NULL */
    bool speaking;         /* see speech_speaking */
    bool synthesised;      /* the current generation will queue no more samples */
    bool wants_space;      /* the speech thread waits for the ring to drain */
    unsigned ends_pending; /* say()s that ended and have not been notified */
    int volume;
    int16_t *ring;
    size_t ring_size, ring_head, ring_length;
    SpeechStats stats;
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static void job_free(Job *job)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->count; i++) {
        explicit_bzero(job->texts[i], strlen(job->texts[i]));
        free(job->texts[i]);
    }
    free(job->texts);
    free(job);
}

/* espeak's language list has no length; walk it to copy it whole. */
static char *languages_copy(const char *languages)
{
    if (!languages)
        return mem_alloc(1);
    const char *p = languages;
    while (*p)
        p += strlen(p + 1) + 2;
    size_t size = (size_t)(p - languages) + 1;
    char *copy = mem_alloc(size);
    memcpy(copy, languages, size);
    return copy;
}

static bool voices_load(Speech *s)
{
    const espeak_VOICE **list = espeak_ListVoices(NULL);
    size_t n = 0;
    while (list && list[n])
        n++;
    s->voices = mem_array(n, sizeof *s->voices);
    for (size_t i = 0; i < n; i++) {
        /* Listing all voices leaves out MBROLA voices, which need the
         * separate mbrola program, and variants: both stay unoffered. */
        const espeak_VOICE *v = list[i];
        if (!v->identifier)
            continue;
        Voice *copy = &s->voices[s->voice_count++];
        copy->name = mem_strdup(v->name ? v->name : "");
        copy->identifier = mem_strdup(v->identifier);
        copy->languages = languages_copy(v->languages);
    }
    return s->voice_count > 0;
}

static const char *last_part(const char *identifier)
{
    const char *slash = strrchr(identifier, '/');
    return slash ? slash + 1 : identifier;
}

/* espeak_SetVoiceByName in 1.51 knows names and identifiers but not
 * language tags ("en-gb" is EE_NOT_FOUND), while `espeak-ng -v` also
 * accepts languages by falling back to espeak_SetVoiceByProperties. This
 * does the same lookup on our copy of the list, so that answering needs no
 * espeak-ng call on the caller's thread and the speech thread can select
 * the result by identifier, which always works. */
static const Voice *voice_find(const Speech *s, const char *want)
{
    if (!want || !*want)
        return NULL;
    const Voice *by_identifier = NULL, *by_last_part = NULL, *by_language = NULL;
    int language_priority = 256;
    for (size_t i = 0; i < s->voice_count; i++) {
        const Voice *v = &s->voices[i];
        if (strcasecmp(want, v->name) == 0)
            return v;
        if (!by_identifier && strcasecmp(want, v->identifier) == 0)
            by_identifier = v;
        if (!by_last_part && strcasecmp(want, last_part(v->identifier)) == 0)
            by_last_part = v;
        for (const char *p = v->languages; *p; p += strlen(p + 1) + 2) {
            int priority = (unsigned char)*p;
            if (priority < language_priority && strcasecmp(want, p + 1) == 0) {
                by_language = v;
                language_priority = priority;
            }
        }
    }
    if (by_identifier)
        return by_identifier;
    return by_last_part ? by_last_part : by_language;
}

/* Ends the current say(), if any, and empties the ring. Call locked; the
 * caller frees the returned pending job after unlocking. */
static Job *cut_locked(Speech *s)
{
    Job *old = s->job;
    s->job = NULL;
    s->generation++;
    s->ring_head = 0;
    s->ring_length = 0;
    if (s->speaking) {
        s->speaking = false;
        s->stats.stopped++;
        s->ends_pending++;
    }
    pthread_cond_signal(&s->wake);
    return old;
}

/* Runs on SDL's audio thread. Volume is applied here rather than at
 * synthesis so that a change is heard at once, queued audio included. */
static void audio_callback(void *userdata, Uint8 *stream, int len)
{
    Speech *s = userdata;
    int16_t *out = (int16_t *)(void *)stream;
    size_t want = len > 0 ? (size_t)len / sizeof *out : 0;
    size_t done = 0;
    pthread_mutex_lock(&s->lock);
    s->stats.device_callbacks++;
    int volume = s->volume;
    while (done < want && s->ring_length > 0) {
        size_t n = min_size(min_size(want - done, s->ring_length), s->ring_size - s->ring_head);
        const int16_t *in = s->ring + s->ring_head;
        for (size_t i = 0; i < n; i++) {
            int sample = in[i];
            int scaled = sample * volume / 100;
            if (abs(sample) > s->stats.peak)
                s->stats.peak = abs(sample);
            if (abs(scaled) > s->stats.peak_out)
                s->stats.peak_out = abs(scaled);
            out[done + i] = (int16_t)scaled;
        }
        s->ring_head = (s->ring_head + n) % s->ring_size;
        s->ring_length -= n;
        done += n;
    }
    s->stats.samples_played += done;
    /* Wake the speech thread only when it has something to do: finish the
     * say() or refill half the ring, not on every buffer. */
    if (done > 0 && (s->ring_length == 0 || (s->wants_space && s->ring_length <= s->ring_size / 2)))
        pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    memset(out + done, 0, (want - done) * sizeof *out);
}

/* Speech thread, unlocked: opens the device and starts it playing. */
static bool device_open(Speech *s)
{
    SDL_AudioSpec have;
    /* allowed_changes 0: SDL converts if the hardware wants another format,
     * so the callback always sees what espeak-ng makes. */
    SDL_AudioDeviceID device = SDL_OpenAudioDevice(NULL, 0, &s->want, &have, 0);
    if (device == 0) {
        log_error("speech", "cannot open the audio output: %s", SDL_GetError());
        return false;
    }
    pthread_mutex_lock(&s->lock);
    s->device = device;
    s->stats.device_open = true;
    s->stats.device_opens++;
    pthread_mutex_unlock(&s->lock);
    SDL_PauseAudioDevice(device, 0);
    return true;
}

/* Speech thread, unlocked: closes the device. SDL lets it finish the
 * buffer it is playing first, so nothing queued is cut. */
static void device_close(Speech *s)
{
    pthread_mutex_lock(&s->lock);
    SDL_AudioDeviceID device = s->device;
    s->device = 0;
    s->stats.device_open = false;
    pthread_mutex_unlock(&s->lock);
    if (device)
        SDL_CloseAudioDevice(device);
}

/* Speech thread: queues samples (NULL: silence) for `generation`, waiting
 * for room as playback drains the ring. False when that generation is no
 * longer current, so synthesis should stop. */
static bool ring_push(Speech *s, uint64_t generation, const int16_t *samples, size_t n)
{
    bool current;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        current = s->generation == generation && !s->quit;
        if (!current || n == 0)
            break;
        size_t space = s->ring_size - s->ring_length;
        if (space == 0) {
            s->wants_space = true;
            pthread_cond_wait(&s->wake, &s->lock);
            s->wants_space = false;
            s->stats.wakeups++;
            continue;
        }
        size_t tail = (s->ring_head + s->ring_length) % s->ring_size;
        size_t k = min_size(min_size(n, space), s->ring_size - tail);
        if (samples) {
            memcpy(s->ring + tail, samples, k * sizeof *samples);
            samples += k;
        } else {
            memset(s->ring + tail, 0, k * sizeof *s->ring);
        }
        s->ring_length += k;
        n -= k;
        if (!s->device) {
            pthread_mutex_unlock(&s->lock);
            bool opened = device_open(s);
            pthread_mutex_lock(&s->lock);
            if (!opened) {
                /* Nothing can be heard: drop this say() as if played. */
                s->ring_head = 0;
                s->ring_length = 0;
                current = false;
                break;
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
    return current;
}

/* espeak-ng calls this on the speech thread, inside espeak_Synth, with each
 * buffer it made. Returning 1 aborts the synthesis. */
static int synth_callback(short *wav, int count, espeak_EVENT *events)
{
    Synthesis *synthesis = events ? events[0].user_data : NULL;
    if (!synthesis)
        return 1;
    if (!wav)
        return 0; /* the end of the text */
    size_t n = count > 0 ? (size_t)count : 0;
    if (!ring_push(synthesis->s, synthesis->generation, wav, n)) {
        synthesis->cut = true;
        return 1;
    }
    return 0;
}

/* Speech thread: synthesises one say() into the ring. */
static void job_speak(Speech *s, const Job *job)
{
    espeak_ERROR error = espeak_SetVoiceByName(job->voice);
    if (error != EE_OK) {
        log_error("speech", "espeak-ng cannot load the voice %s (error %d)", job->voice,
                  (int)error);
        return;
    }
    Synthesis synthesis = {.s = s, .generation = job->generation};
    for (size_t i = 0; i < job->count; i++) {
        if (i > 0 && !ring_push(s, job->generation, NULL, s->pause_samples))
            return;
        /* Plain text, not espeakSSML: a person's words may contain '<'. */
        error = espeak_Synth(job->texts[i], strlen(job->texts[i]) + 1, 0, POS_CHARACTER, 0,
                             espeakCHARS_UTF8, NULL, &synthesis);
        if (synthesis.cut)
            return;
        if (error != EE_OK) {
            log_error("speech", "espeak-ng could not speak text %zu of %zu in %s (error %d)", i + 1,
                      job->count, job->voice, (int)error);
            return;
        }
    }
}

static void *speech_main(void *arg)
{
    Speech *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->quit) {
        if (s->job) {
            Job *job = s->job;
            s->job = NULL;
            pthread_mutex_unlock(&s->lock);
            job_speak(s, job);
            pthread_mutex_lock(&s->lock);
            /* Also after a failure: the say() then ends with what it queued. */
            if (s->generation == job->generation)
                s->synthesised = true;
            pthread_mutex_unlock(&s->lock);
            job_free(job);
            pthread_mutex_lock(&s->lock);
            continue;
        }
        if (s->speaking && s->synthesised && s->ring_length == 0) {
            s->speaking = false;
            s->stats.finished++;
            s->ends_pending++;
        }
        if (s->ends_pending > 0) {
            unsigned ends = s->ends_pending;
            s->ends_pending = 0;
            pthread_mutex_unlock(&s->lock);
            for (unsigned i = 0; i < ends && s->notify; i++)
                s->notify(s->ctx);
            pthread_mutex_lock(&s->lock);
            continue;
        }
        /* Nothing left to play: close the device, whose thread would
         * otherwise wake for every buffer of silence, and sleep until the
         * next say(). */
        if (s->device && s->ring_length == 0 && !s->speaking && !s->job) {
            pthread_mutex_unlock(&s->lock);
            device_close(s);
            pthread_mutex_lock(&s->lock);
            continue;
        }
        pthread_cond_wait(&s->wake, &s->lock);
        s->stats.wakeups++;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* Undoes whatever create got done, in reverse; the one cleanup path for
 * both a failed create and destroy. */
static void speech_release(Speech *s)
{
    if (s->device)
        SDL_CloseAudioDevice(s->device);
    if (s->audio_started)
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    for (size_t i = 0; i < s->voice_count; i++) {
        free(s->voices[i].name);
        free(s->voices[i].identifier);
        free(s->voices[i].languages);
    }
    free(s->voices);
    if (s->ring) {
        /* The ring held a person's words, as sound. */
        explicit_bzero(s->ring, s->ring_size * sizeof *s->ring);
        free(s->ring);
    }
    if (s->wake_made)
        pthread_cond_destroy(&s->wake);
    if (s->lock_made)
        pthread_mutex_destroy(&s->lock);
    free(s);
    atomic_flag_clear(&speech_in_use);
}

Speech *speech_create(SpeechNotify notify, void *ctx)
{
    if (atomic_flag_test_and_set(&speech_in_use)) {
        log_error("speech", "speech is already running: espeak-ng allows one user per process");
        return NULL;
    }
    Speech *s = mem_alloc(sizeof *s);
    s->notify = notify;
    s->ctx = ctx;
    s->volume = 100;

    if (espeak_rate == 0) {
        /* DONT_EXIT: without it espeak-ng calls exit(1) when its data is
         * missing; with it, it returns 0 and lists no voices. */
        espeak_rate =
            espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
        if (espeak_rate > 0)
            espeak_SetSynthCallback(synth_callback);
        else
            espeak_rate = -1;
    }
    s->sample_rate = espeak_rate;
    if (s->sample_rate <= 0) {
        log_error("speech", "espeak-ng cannot start (is espeak-ng-data installed?); "
                            "running without speech");
        goto fail;
    }
    /* The data folder can hold phoneme tables but no voices. */
    if (!voices_load(s)) {
        log_error("speech", "espeak-ng found no voices (is espeak-ng-data installed?); "
                            "running without speech");
        goto fail;
    }
    s->pause_samples = (size_t)s->sample_rate * PAUSE_MS / 1000;
    s->ring_size = (size_t)s->sample_rate * RING_SECONDS;
    s->ring = mem_array(s->ring_size, sizeof *s->ring);
    s->lock_made = pthread_mutex_init(&s->lock, NULL) == 0;
    s->wake_made = s->lock_made && pthread_cond_init(&s->wake, NULL) == 0;
    if (!s->wake_made) {
        log_error("speech", "cannot make the speech lock; running without speech");
        goto fail;
    }

    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log_error("speech", "SDL audio cannot start (%s); running without speech", SDL_GetError());
        goto fail;
    }
    s->audio_started = true;
    s->want = (SDL_AudioSpec){.freq = s->sample_rate,
                              .format = AUDIO_S16SYS,
                              .channels = 1,
                              .samples = DEVICE_SAMPLES,
                              .callback = audio_callback,
                              .userdata = s};
    /* Opened here to know that sound can play; the speech thread closes
     * it at once (closing waits for SDL's audio thread, 50-70 ms, which
     * the first frame must not). */
    SDL_AudioSpec have;
    SDL_AudioDeviceID probe = SDL_OpenAudioDevice(NULL, 0, &s->want, &have, 0);
    if (probe == 0) {
        log_error("speech", "cannot open the audio output (%s); running without speech",
                  SDL_GetError());
        goto fail;
    }
    s->device = probe;
    s->stats.device_open = true;
    SDL_PauseAudioDevice(probe, 0); /* a say() may come before the close */

    if (pthread_create(&s->thread, NULL, speech_main, s) != 0) {
        log_error("speech", "cannot start the speech thread; running without speech");
        goto fail;
    }
    const char *data = NULL;
    const char *version = espeak_Info(&data);
    log_info("speech", "espeak-ng %s (data %s), %zu voices, %d Hz, SDL audio driver %s", version,
             data ? data : "default", s->voice_count, s->sample_rate, SDL_GetCurrentAudioDriver());
    return s;

fail:
    speech_release(s);
    return NULL;
}

void speech_destroy(Speech *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->quit = true;
    Job *old = cut_locked(s);
    pthread_mutex_unlock(&s->lock);
    job_free(old);
    pthread_join(s->thread, NULL);
    speech_release(s);
}

bool speech_has_voice(Speech *s, const char *voice)
{
    return s && voice_find(s, voice) != NULL;
}

bool speech_say(Speech *s, const char *voice, const char *const *texts, size_t count)
{
    if (!s)
        return false;
    const Voice *v = voice_find(s, voice);
    if (!v) {
        log_error("speech", "no espeak-ng voice \"%.40s\"", voice ? voice : "(none)");
        return false;
    }
    size_t kept = 0;
    for (size_t i = 0; texts && i < count; i++)
        if (texts[i] && texts[i][0])
            kept++;
    if (kept == 0) {
        speech_stop(s);
        return true;
    }
    Job *job = mem_alloc(sizeof *job);
    job->voice = v->identifier;
    job->texts = mem_array(kept, sizeof *job->texts);
    for (size_t i = 0; i < count; i++)
        if (texts[i] && texts[i][0])
            job->texts[job->count++] = mem_strdup(texts[i]);

    pthread_mutex_lock(&s->lock);
    Job *old = cut_locked(s);
    job->generation = s->generation;
    s->job = job;
    s->speaking = true;
    s->synthesised = false;
    s->stats.samples_played = 0;
    s->stats.peak = 0;
    s->stats.peak_out = 0;
    pthread_mutex_unlock(&s->lock);
    job_free(old);
    return true;
}

void speech_stop(Speech *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    Job *old = cut_locked(s);
    pthread_mutex_unlock(&s->lock);
    job_free(old);
}

bool speech_speaking(Speech *s)
{
    if (!s)
        return false;
    pthread_mutex_lock(&s->lock);
    bool speaking = s->speaking;
    pthread_mutex_unlock(&s->lock);
    return speaking;
}

void speech_set_volume(Speech *s, int percent)
{
    if (!s)
        return;
    percent = percent < 0 ? 0 : percent > 100 ? 100 : percent;
    pthread_mutex_lock(&s->lock);
    s->volume = percent;
    pthread_mutex_unlock(&s->lock);
}

int speech_volume(Speech *s)
{
    if (!s)
        return 0;
    pthread_mutex_lock(&s->lock);
    int volume = s->volume;
    pthread_mutex_unlock(&s->lock);
    return volume;
}

void speech_stats(Speech *s, SpeechStats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->lock);
    out->sample_rate = s->sample_rate;
}
