/* staff_pin: the staff PIN, kept only as an Argon2id hash, and the lockout
 * that slows guessing.
 *
 * A PIN is 4 to 8 digits. It is never stored or logged in clear: the config
 * or the device keeps the string crypto_pwhash_str makes (the Argon2id
 * parameters and salt are inside it). A short PIN is easy to search offline
 * whatever the hash, so the real protection on the device is PinGuard: five
 * wrong PINs lock entry for 30 s, and every wrong PIN after that doubles the
 * wait, up to an hour. The guard counts in the kiosk's monotonic
 * milliseconds so replays can move time; it is saved as text so a restart
 * does not clear a lock. See docs/staff.md.
 *
 * Contract: pure functions over caller-owned values; staff_pin_hash and
 * staff_pin_verify take about 50 ms and 8 MiB and may be called from any
 * thread. */
#ifndef SAYSO_CORE_STAFF_PIN_H
#define SAYSO_CORE_STAFF_PIN_H

#include <stdbool.h>
#include <stdint.h>

enum {
    STAFF_PIN_MIN_DIGITS = 4,
    STAFF_PIN_MAX_DIGITS = 8,
    STAFF_PIN_HASH_MAX = 128, /* crypto_pwhash_STRBYTES, with its NUL */
    PIN_GUARD_FREE_TRIES = 5,
    PIN_GUARD_FIRST_LOCK_SECONDS = 30,
    PIN_GUARD_MAX_LOCK_SECONDS = 3600,
    PIN_GUARD_TEXT_SIZE = 32,
};

/* Where the kiosk's store keeps the PIN set on the device and the guard. */
#define STAFF_PIN_STATE_KEY "staff_pin_hash"
#define STAFF_GUARD_STATE_KEY "staff_pin_guard"

/* 4 to 8 ASCII digits. */
bool staff_pin_valid(const char *pin);
/* Fills out with a new Argon2id hash string; false (logged) if pin is not
 * valid or libsodium fails. */
bool staff_pin_hash(const char *pin, char out[STAFF_PIN_HASH_MAX]);
/* True for a string that looks like an Argon2id hash from staff_pin_hash. */
bool staff_pin_hash_valid(const char *hash);
/* True only when pin matches hash; a malformed hash never matches. */
bool staff_pin_verify(const char *hash, const char *pin);

typedef struct {
    int failures;             /* wrong PINs since the last right one */
    uint64_t locked_until_ms; /* 0: not locked */
} PinGuard;

/* True while entry is locked; *seconds_left (may be NULL) is rounded up. */
bool pin_guard_locked(const PinGuard *g, uint64_t now_ms, int *seconds_left);
/* Counts a wrong PIN; from the fifth on, locks entry. */
void pin_guard_failed(PinGuard *g, uint64_t now_ms);
void pin_guard_succeeded(PinGuard *g);
/* Wrong PINs left before the next lock (0 once locking has started). */
int pin_guard_tries_left(const PinGuard *g);
/* "FAILURES SECONDS_LEFT": what survives a restart. */
void pin_guard_save(const PinGuard *g, uint64_t now_ms, char out[PIN_GUARD_TEXT_SIZE]);
/* Restores a saved guard relative to now_ms; bad text leaves a fresh guard
 * (returns false). A restart never shortens a lock. */
bool pin_guard_restore(PinGuard *g, const char *text, uint64_t now_ms);

#endif
