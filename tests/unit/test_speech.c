/* Tests read-aloud with the real espeak-ng and SDL's "dummy" audio driver,
 * which has no sound card but runs the audio callback in real time (one
 * buffer per buffer's duration; the languages test checks that the wall
 * time matches the audio played). For each of en-gb, ar, bn, pl, tr and ur
 * a short real sentence must play for at least 0.3 s with a peak over 1000;
 * stop during a long text must end speaking within 500 ms and the device
 * must get nothing more; a second say() must replace the first (only the
 * second's samples are played); the volume clamps to 0..100 and is applied
 * at playback; unknown voices are refused without stopping what is being
 * said; NULL and empty texts are skipped; destroy while speaking returns
 * quickly; a second Speech is refused. The timing test prints the cost of
 * speech_say on the calling thread, the delay to the first sample, and the
 * CPU used while idle for 5 s, and fails if idle is not idle (the audio
 * device must then be closed, not merely paused). If espeak-ng
 * or SDL audio cannot start, every test fails: none is skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ui/speech.h"

/* About 75 words: espeak-ng's default 175 words a minute makes it over 20 s
 * of audio, so any stop test that hears 2 s has heard less than the whole. */
static const char LONG_TEXT[] =
    "Thank you for taking the time to tell us about your visit today. We read every answer, "
    "and what you say helps the staff on this ward to change the things that matter most to "
    "the people who come here. There are no right or wrong answers, and nobody will know "
    "which answers are yours. You can skip any question that you would rather not answer, "
    "and you can stop at any time by pressing the button at the bottom of the screen.";

typedef struct {
    Speech *speech;
    atomic_uint notified;
} Fixture;

static void count_notify(void *ctx)
{
    atomic_fetch_add(&((Fixture *)ctx)->notified, 1);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(double ms)
{
    struct timespec t = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms * 1e6) % 1000000000L};
    nanosleep(&t, NULL);
}

static SpeechStats stats_of(Speech *s)
{
    SpeechStats st;
    speech_stats(s, &st);
    return st;
}

static bool say_one(Speech *s, const char *voice, const char *text)
{
    const char *texts[] = {text};
    return speech_say(s, voice, texts, 1);
}

/* Waits (polling, at most `limit` seconds) until nothing is being spoken;
 * returns how long it took. */
static double wait_silent(Speech *s, double limit)
{
    double start = now_s();
    while (speech_speaking(s)) {
        if (now_s() - start > limit)
            fail_msg("still speaking after %.1f s", limit);
        sleep_ms(10);
    }
    return now_s() - start;
}

/* Waits until at least `samples` of the current say() have been played. */
static void wait_played(Speech *s, uint64_t samples, double limit)
{
    double start = now_s();
    while (stats_of(s).samples_played < samples) {
        if (now_s() - start > limit)
            fail_msg("fewer than %llu samples played after %.1f s", (unsigned long long)samples,
                     limit);
        sleep_ms(1);
    }
}

/* notify runs on the speech thread just after speaking ends. */
static void wait_notified(Fixture *f, unsigned count)
{
    double start = now_s();
    while (atomic_load(&f->notified) < count) {
        if (now_s() - start > 2)
            fail_msg("notified %u times, expected %u", atomic_load(&f->notified), count);
        sleep_ms(1);
    }
    sleep_ms(20);
    assert_int_equal(atomic_load(&f->notified), count);
}

/* utime + stime of this process, in seconds. */
static double cpu_seconds(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    assert_non_null(f);
    char line[2048];
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    /* The command name may contain spaces; fields are counted after ')'. */
    const char *p = strrchr(line, ')');
    assert_non_null(p);
    unsigned long utime = 0, stime = 0;
    assert_int_equal(
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime), 2);
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->speech = speech_create(count_notify, f);
    *state = f;
    /* No skip: a kiosk that cannot speak here is a failure of this test. */
    if (!f->speech)
        print_error("speech_create failed: espeak-ng or SDL audio cannot start\n");
    return f->speech ? 0 : -1;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    speech_destroy(f->speech);
    free(f);
    return 0;
}

static void test_languages(void **state)
{
    static const struct {
        const char *voice, *text;
    } cases[] = {
        {"en-gb", "How was your visit today?"}, {"ar", "كيف كانت تجربتك؟"},
        {"bn", "আপনার অভিজ্ঞতা কেমন ছিল?"},      {"pl", "Jak oceniasz naszą usługę?"},
        {"tr", "Hizmetimizi nasıl buldunuz?"},  {"ur", "آپ کا تجربہ کیسا رہا؟"},
    };
    Fixture *f = *state;
    Speech *s = f->speech;
    int rate = stats_of(s).sample_rate;
    assert_true(rate >= 8000);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SpeechStats before = stats_of(s);
        assert_true(speech_has_voice(s, cases[i].voice));
        double start = now_s();
        assert_true(say_one(s, cases[i].voice, cases[i].text));
        double call = now_s() - start;
        assert_true(speech_speaking(s));
        wait_silent(s, 15);
        double wall = now_s() - start;
        SpeechStats after = stats_of(s);
        double audio = (double)after.samples_played / rate;
        print_message("    %-5s %.2f s of audio played in %.2f s (say() took %.3f ms), peak %d\n",
                      cases[i].voice, audio, wall, call * 1000, after.peak);
        assert_true(after.samples_played >= (uint64_t)(rate * 3 / 10));
        assert_true(after.peak > 1000);
        assert_int_equal(after.peak_out, after.peak); /* volume 100 */
        assert_int_equal(after.finished, before.finished + 1);
        assert_int_equal(after.stopped, before.stopped);
        /* The dummy driver must pace the callback like a sound card: the
         * audio took about as long as it lasts, not a burst. */
        assert_true(wall >= audio * 0.85);
        assert_true(wall <= audio + 1.0);
        wait_notified(f, (unsigned)i + 1);
    }
}

static void test_stop_during_long_text(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    int rate = stats_of(s).sample_rate;
    assert_true(say_one(s, "en-gb", LONG_TEXT));
    wait_played(s, (uint64_t)rate / 2, 5);
    double start = now_s();
    speech_stop(s);
    double stop_call = now_s() - start;
    double ended = wait_silent(s, 0.5);
    SpeechStats at_stop = stats_of(s);
    sleep_ms(200);
    SpeechStats later = stats_of(s);
    print_message("    stop returned in %.3f ms, not speaking after %.3f ms, %.2f s played\n",
                  stop_call * 1000, ended * 1000, (double)at_stop.samples_played / rate);
    assert_true(ended < 0.5);
    assert_true(at_stop.samples_played < (uint64_t)rate * 2);
    /* Nothing more reached the device after the stop. */
    assert_int_equal(later.samples_played, at_stop.samples_played);
    assert_int_equal(later.stopped, 1);
    assert_int_equal(later.finished, 0);
    wait_notified(f, 1);
}

static void test_second_say_replaces_first(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    int rate = stats_of(s).sample_rate;
    const char *short_text = "Thank you.";
    assert_true(say_one(s, "en-gb", short_text));
    wait_silent(s, 15);
    uint64_t alone = stats_of(s).samples_played;
    assert_true(alone > (uint64_t)rate / 5);

    assert_true(say_one(s, "en-gb", LONG_TEXT));
    wait_played(s, (uint64_t)rate / 4, 5);
    assert_true(say_one(s, "en-gb", short_text));
    assert_true(speech_speaking(s));
    wait_silent(s, 15);
    SpeechStats st = stats_of(s);
    print_message("    \"%s\" alone: %llu samples; after replacing: %llu\n", short_text,
                  (unsigned long long)alone, (unsigned long long)st.samples_played);
    /* espeak-ng's output differs by a few samples between runs; the rest
     * of the long text would be over 20 s. */
    assert_true(st.samples_played >= alone - alone / 50);
    assert_true(st.samples_played <= alone + alone / 50);
    assert_int_equal(st.finished, 2);
    assert_int_equal(st.stopped, 1);
    wait_notified(f, 3);
}

static void test_volume(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    assert_int_equal(speech_volume(s), 100);
    speech_set_volume(s, 150);
    assert_int_equal(speech_volume(s), 100);
    speech_set_volume(s, -5);
    assert_int_equal(speech_volume(s), 0);
    speech_set_volume(s, 42);
    assert_int_equal(speech_volume(s), 42);

    speech_set_volume(s, 0);
    assert_true(say_one(s, "pl", "Dziękujemy."));
    wait_silent(s, 15);
    SpeechStats st = stats_of(s);
    assert_true(st.samples_played > 0);
    assert_true(st.peak > 1000);
    assert_int_equal(st.peak_out, 0);

    speech_set_volume(s, 50);
    assert_true(say_one(s, "pl", "Dziękujemy."));
    wait_silent(s, 15);
    st = stats_of(s);
    assert_true(st.peak > 1000);
    assert_int_equal(st.peak_out, st.peak / 2);
}

static void test_voices(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    assert_false(speech_has_voice(s, "xx-nonexistent"));
    assert_false(speech_has_voice(s, NULL));
    assert_false(speech_has_voice(s, ""));
    /* In espeak-ng-data, but needs mbrola: espeak_ListVoices leaves it out. */
    assert_false(speech_has_voice(s, "mb/mb-en1"));
    assert_true(speech_has_voice(s, "EN-GB"));
    assert_true(speech_has_voice(s, "gmw/en"));
    assert_true(speech_has_voice(s, "English (Great Britain)"));
    assert_true(speech_has_voice(s, "en-us"));

    assert_false(say_one(s, "xx-nonexistent", "Hello."));
    assert_false(speech_speaking(s));
    /* A refused say() leaves what is being spoken alone. */
    assert_true(say_one(s, "en-gb", LONG_TEXT));
    assert_false(say_one(s, "xx-nonexistent", "Hello."));
    assert_false(say_one(s, NULL, "Hello."));
    assert_true(speech_speaking(s));
    speech_stop(s);
    assert_false(speech_speaking(s));
    assert_int_equal(stats_of(s).stopped, 1);
}

static void test_null_and_empty_texts(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    int rate = stats_of(s).sample_rate;
    assert_true(speech_say(s, "en-gb", NULL, 3));
    assert_false(speech_speaking(s));
    const char *empty[] = {NULL, ""};
    assert_true(speech_say(s, "en-gb", empty, 2));
    assert_false(speech_speaking(s));
    assert_int_equal(stats_of(s).finished, 0);

    const char *some[] = {NULL, "", "Yes.", NULL, "No."};
    assert_true(speech_say(s, "en-gb", some, 5));
    wait_silent(s, 15);
    SpeechStats two = stats_of(s);
    assert_true(say_one(s, "en-gb", "Yes."));
    wait_silent(s, 15);
    uint64_t yes = stats_of(s).samples_played;
    assert_true(say_one(s, "en-gb", "No."));
    wait_silent(s, 15);
    uint64_t no = stats_of(s).samples_played;
    /* Both texts were spoken, with the pause between them. */
    print_message("    yes %llu + no %llu samples; both with the pause %llu\n",
                  (unsigned long long)yes, (unsigned long long)no,
                  (unsigned long long)two.samples_played);
    assert_true(two.samples_played > yes + no + (uint64_t)rate / 5);
    assert_int_equal(two.finished, 1);

    /* Everything is safe on NULL (a kiosk without speech). */
    assert_false(speech_say(NULL, "en-gb", some, 5));
    assert_false(speech_speaking(NULL));
    assert_false(speech_has_voice(NULL, "en-gb"));
    assert_int_equal(speech_volume(NULL), 0);
    speech_set_volume(NULL, 50);
    speech_stop(NULL);
    SpeechStats none;
    memset(&none, 0xff, sizeof none);
    speech_stats(NULL, &none);
    assert_int_equal(none.samples_played, 0);
    assert_int_equal(none.sample_rate, 0);
    speech_stats(s, NULL);
    speech_destroy(NULL);
}

static void test_destroy_while_speaking(void **state)
{
    (void)state;
    Fixture f = {0};
    /* Destroyed during playback... */
    f.speech = speech_create(count_notify, &f);
    assert_non_null(f.speech);
    int rate = stats_of(f.speech).sample_rate;
    assert_true(say_one(f.speech, "en-gb", LONG_TEXT));
    wait_played(f.speech, (uint64_t)rate / 4, 5);
    double start = now_s();
    speech_destroy(f.speech);
    double playing = now_s() - start;
    /* ...and while synthesis has only just started. */
    f.speech = speech_create(count_notify, &f);
    assert_non_null(f.speech);
    const char *texts[] = {LONG_TEXT, LONG_TEXT, LONG_TEXT};
    assert_true(speech_say(f.speech, "ar", texts, 3));
    start = now_s();
    speech_destroy(f.speech);
    double synthesising = now_s() - start;
    print_message("    destroy took %.1f ms while playing, %.1f ms while synthesising\n",
                  playing * 1000, synthesising * 1000);
    assert_true(playing < 0.5);
    assert_true(synthesising < 0.5);
}

/* Runs first, in a child, so that espeak-ng (started once per process) is
 * started there with no data: create must fail and return, not exit. */
static void test_missing_data_fails(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_speech_XXXXXX";
    assert_non_null(mkdtemp(dir));
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        setenv("ESPEAK_DATA_PATH", dir, 1);
        Speech *s = speech_create(NULL, NULL);
        _exit(s == NULL ? 0 : 3);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    rmdir(dir);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_missing_audio_fails(void **state)
{
    (void)state;
    char *driver = strdup(getenv("SDL_AUDIODRIVER"));
    assert_non_null(driver);
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    Speech *s = speech_create(NULL, NULL);
    setenv("SDL_AUDIODRIVER", driver, 1);
    free(driver);
    assert_null(s);
    s = speech_create(NULL, NULL);
    assert_non_null(s);
    speech_destroy(s);
}

static void test_one_at_a_time(void **state)
{
    Fixture *f = *state;
    assert_null(speech_create(NULL, NULL));
    speech_destroy(f->speech);
    f->speech = speech_create(NULL, NULL);
    assert_non_null(f->speech);
    assert_true(say_one(f->speech, "tr", "Evet."));
    wait_silent(f->speech, 15);
    assert_true(stats_of(f->speech).peak > 1000);
}

/* Numbers asked for by the design: the caller's cost of say(), the delay
 * to the first sample from a paused device, and idle cost. */
static void test_timing_and_idle(void **state)
{
    Fixture *f = *state;
    Speech *s = f->speech;
    assert_true(say_one(s, "en-gb", "Hello."));
    wait_silent(s, 15);

    /* From a paused device and an idle thread, as after a quiet spell. */
    sleep_ms(200);
    double start = now_s();
    assert_true(say_one(s, "en-gb", LONG_TEXT));
    double call = now_s() - start;
    while (stats_of(s).samples_played == 0) {
        if (now_s() - start > 2)
            fail_msg("no sample played 2 s after say()");
        sleep_ms(0.2);
    }
    double first = now_s() - start;

    /* Replacing speech that is playing, 21 times (sorted for the median:
     * one call can lose the CPU to synthesis on a small machine). */
    double took[21];
    for (int i = 0; i < 21; i++) {
        double t = now_s();
        assert_true(say_one(s, i % 2 ? "ar" : "en-gb", LONG_TEXT));
        took[i] = now_s() - t;
        for (int j = i; j > 0 && took[j - 1] > took[j]; j--) {
            double swap = took[j];
            took[j] = took[j - 1];
            took[j - 1] = swap;
        }
        sleep_ms(5);
    }
    speech_stop(s);
    wait_silent(s, 1);

    /* Let the speech thread pause the device, then watch 5 idle seconds. */
    sleep_ms(300);
    SpeechStats idle_start = stats_of(s);
    double cpu_start = cpu_seconds();
    sleep_ms(5000);
    double idle_cpu = cpu_seconds() - cpu_start;
    SpeechStats idle_end = stats_of(s);

    print_message("    say() from idle: %.3f ms; first sample after %.1f ms\n", call * 1000,
                  first * 1000);
    print_message("    say() replacing speech: median %.3f ms, worst %.3f ms (21 calls)\n",
                  took[10] * 1000, took[20] * 1000);
    print_message("    idle 5 s: %.3f s CPU, %u speech-thread wakeups, %llu audio callbacks, "
                  "device %s (opened %u times)\n",
                  idle_cpu, idle_end.wakeups - idle_start.wakeups,
                  (unsigned long long)(idle_end.device_callbacks - idle_start.device_callbacks),
                  idle_end.device_open ? "open" : "closed", idle_end.device_opens);
    assert_true(call < 0.001);
    assert_true(took[10] < 0.001);
    assert_true(first < 0.25);
    assert_int_equal(idle_end.wakeups, idle_start.wakeups);
    assert_int_equal(idle_end.device_callbacks, idle_start.device_callbacks);
    /* Closed, not paused: a paused SDL device's thread still wakes for
     * every buffer. Each say() above opened it at most once. */
    assert_false(idle_end.device_open);
    assert_true(idle_end.device_opens >= 1 && idle_end.device_opens <= 23);
    assert_true(idle_cpu <= 0.05); /* 1% of one core, at the kernel's tick resolution */
}

int main(void)
{
    /* Headless by default; a developer may set a real driver to listen. */
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_data_fails),
        cmocka_unit_test_setup_teardown(test_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_during_long_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_say_replaces_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_volume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_voices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_and_empty_texts, setup, teardown),
        cmocka_unit_test(test_destroy_while_speaking),
        cmocka_unit_test(test_missing_audio_fails),
        cmocka_unit_test_setup_teardown(test_one_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timing_and_idle, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return failed;
}
