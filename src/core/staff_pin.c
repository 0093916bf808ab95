/* staff_pin: Argon2id through libsodium's crypto_pwhash_str, and the
 * arithmetic of the lockout. */
#include "core/staff_pin.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* 4 MiB and 6 passes: the same work as 8 MiB and 3 (about 50 ms on a
 * Raspberry Pi 4 class core) with half the memory, which is allocated on
 * top of everything the kiosk holds while staff wait (issue 7's peak RSS).
 * The PIN space is small anyway; the lockout is what stops guessing at the
 * screen. A hash made with other limits still verifies with its own. */
enum { PIN_OPSLIMIT = 6 };
#define PIN_MEMLIMIT ((size_t)4 * 1024 * 1024)

_Static_assert(crypto_pwhash_STRBYTES == STAFF_PIN_HASH_MAX, "hash buffer size");

static bool sodium_ready(void)
{
    if (sodium_init() < 0) {
        log_error("staff", "libsodium failed to start");
        return false;
    }
    return true;
}

bool staff_pin_valid(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < STAFF_PIN_MIN_DIGITS || n > STAFF_PIN_MAX_DIGITS)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

bool staff_pin_hash(const char *pin, char out[STAFF_PIN_HASH_MAX])
{
    if (!staff_pin_valid(pin) || !sodium_ready())
        return false;
    if (crypto_pwhash_str_alg(out, pin, strlen(pin), PIN_OPSLIMIT, PIN_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        log_error("staff", "could not hash the PIN (out of memory?)");
        return false;
    }
    return true;
}

bool staff_pin_hash_valid(const char *hash)
{
    static const char prefix[] = "$argon2id$";
    size_t n = hash ? strnlen(hash, STAFF_PIN_HASH_MAX) : 0;
    return n > sizeof prefix && n < STAFF_PIN_HASH_MAX &&
           strncmp(hash, prefix, sizeof prefix - 1) == 0;
}

bool staff_pin_verify(const char *hash, const char *pin)
{
    if (!staff_pin_hash_valid(hash) || !staff_pin_valid(pin) || !sodium_ready())
        return false;
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

bool pin_guard_locked(const PinGuard *g, uint64_t now_ms, int *seconds_left)
{
    bool locked = g->locked_until_ms > now_ms;
    if (seconds_left)
        *seconds_left = locked ? (int)((g->locked_until_ms - now_ms + 999) / 1000) : 0;
    return locked;
}

void pin_guard_failed(PinGuard *g, uint64_t now_ms)
{
    if (g->failures < 1000)
        g->failures++;
    if (g->failures < PIN_GUARD_FREE_TRIES)
        return;
    long seconds = PIN_GUARD_FIRST_LOCK_SECONDS;
    for (int i = PIN_GUARD_FREE_TRIES; i < g->failures && seconds < PIN_GUARD_MAX_LOCK_SECONDS; i++)
        seconds *= 2;
    if (seconds > PIN_GUARD_MAX_LOCK_SECONDS)
        seconds = PIN_GUARD_MAX_LOCK_SECONDS;
    g->locked_until_ms = now_ms + (uint64_t)seconds * 1000;
}

void pin_guard_succeeded(PinGuard *g)
{
    g->failures = 0;
    g->locked_until_ms = 0;
}

int pin_guard_tries_left(const PinGuard *g)
{
    int left = PIN_GUARD_FREE_TRIES - g->failures;
    return left > 0 ? left : 0;
}

void pin_guard_save(const PinGuard *g, uint64_t now_ms, char out[PIN_GUARD_TEXT_SIZE])
{
    int left = 0;
    pin_guard_locked(g, now_ms, &left);
    snprintf(out, PIN_GUARD_TEXT_SIZE, "%d %d", g->failures, left);
}

/* A whole number from 0 to max at *p. strtol, not sscanf's %d, which wraps
 * a number past the int range into it ("4294967301" read as 5). */
static bool read_count(const char **p, long max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(*p, &end, 10);
    if (end == *p || errno != 0 || v < 0 || v > max)
        return false;
    *out = (int)v;
    *p = end;
    return true;
}

bool pin_guard_restore(PinGuard *g, const char *text, uint64_t now_ms)
{
    int failures = 0, left = 0;
    *g = (PinGuard){0, 0};
    const char *p = text;
    if (!p || !read_count(&p, 1000, &failures) ||
        !read_count(&p, PIN_GUARD_MAX_LOCK_SECONDS, &left))
        return false;
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return false;
    g->failures = failures;
    g->locked_until_ms = left ? now_ms + (uint64_t)left * 1000 : 0;
    return true;
}
