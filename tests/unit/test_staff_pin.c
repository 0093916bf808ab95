/* Tests the staff PIN: only 4 to 8 digits are PINs; the stored form is an
 * Argon2id string that verifies the right PIN and no other, is salted (two
 * hashes of one PIN differ) and never contains the PIN; a malformed or
 * foreign hash never matches. Then the lockout: four wrong PINs are free,
 * the fifth locks for 30 s, each later one doubles up to an hour, a right
 * PIN clears it, and a saved guard survives a restart without shortening
 * the lock while bad saved text gives a fresh guard. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/staff_pin.h"

static void test_pin_shape(void **state)
{
    (void)state;
    assert_true(staff_pin_valid("1234"));
    assert_true(staff_pin_valid("00000000"));
    assert_false(staff_pin_valid("123"));
    assert_false(staff_pin_valid("123456789"));
    assert_false(staff_pin_valid("12a4"));
    assert_false(staff_pin_valid(" 1234"));
    assert_false(staff_pin_valid(""));
    assert_false(staff_pin_valid(NULL));
}

static void test_hash_and_verify(void **state)
{
    (void)state;
    char a[STAFF_PIN_HASH_MAX], b[STAFF_PIN_HASH_MAX];
    assert_true(staff_pin_hash("2468", a));
    assert_true(staff_pin_hash("2468", b));
    assert_true(staff_pin_hash_valid(a));
    assert_non_null(strstr(a, "$argon2id$"));
    assert_null(strstr(a, "2468"));
    assert_string_not_equal(a, b); /* salted */
    assert_true(staff_pin_verify(a, "2468"));
    assert_true(staff_pin_verify(b, "2468"));
    assert_false(staff_pin_verify(a, "2469"));
    assert_false(staff_pin_verify(a, "24680"));
    assert_false(staff_pin_verify(a, ""));
    assert_false(staff_pin_hash("12", a));
}

static void test_bad_hashes_never_match(void **state)
{
    (void)state;
    assert_false(staff_pin_verify("", "1234"));
    assert_false(staff_pin_verify(NULL, "1234"));
    assert_false(staff_pin_verify("1234", "1234"));
    assert_false(staff_pin_verify("$argon2id$", "1234"));
    assert_false(staff_pin_verify("$argon2i$v=19$m=8192,t=3,p=1$c2FsdHNhbHQ$aGFzaA", "1234"));
    assert_false(staff_pin_verify("$argon2id$v=19$m=8192,t=3,p=1$!!!$???", "1234"));
    char long_hash[300];
    memset(long_hash, 'a', sizeof long_hash - 1);
    long_hash[sizeof long_hash - 1] = '\0';
    memcpy(long_hash, "$argon2id$", 10);
    assert_false(staff_pin_hash_valid(long_hash));
    assert_false(staff_pin_verify(long_hash, "1234"));
}

static void test_lockout_grows(void **state)
{
    (void)state;
    PinGuard g = {0, 0};
    uint64_t now = 1000;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pin_guard_tries_left(&g), 5 - i);
        pin_guard_failed(&g, now);
        assert_false(pin_guard_locked(&g, now, NULL));
    }
    pin_guard_failed(&g, now);
    int left = 0;
    assert_true(pin_guard_locked(&g, now, &left));
    assert_int_equal(left, 30);
    assert_true(pin_guard_locked(&g, now + 29500, &left));
    assert_int_equal(left, 1);
    assert_false(pin_guard_locked(&g, now + 30000, &left));
    assert_int_equal(pin_guard_tries_left(&g), 0);
    now += 30000;
    pin_guard_failed(&g, now);
    pin_guard_locked(&g, now, &left);
    assert_int_equal(left, 60);
    now += 60000;
    pin_guard_failed(&g, now);
    pin_guard_locked(&g, now, &left);
    assert_int_equal(left, 120);
    for (int i = 0; i < 20; i++)
        pin_guard_failed(&g, now);
    pin_guard_locked(&g, now, &left);
    assert_int_equal(left, PIN_GUARD_MAX_LOCK_SECONDS);
    pin_guard_succeeded(&g);
    assert_false(pin_guard_locked(&g, now, NULL));
    assert_int_equal(pin_guard_tries_left(&g), 5);
}

static void test_guard_survives_restart(void **state)
{
    (void)state;
    PinGuard g = {0, 0};
    for (int i = 0; i < 5; i++)
        pin_guard_failed(&g, 5000);
    char text[PIN_GUARD_TEXT_SIZE];
    pin_guard_save(&g, 15000, text); /* 20 s left */
    assert_string_equal(text, "5 20");
    PinGuard back;
    assert_true(pin_guard_restore(&back, text, 100)); /* a new process's clock */
    int left = 0;
    assert_true(pin_guard_locked(&back, 100, &left));
    assert_int_equal(left, 20);
    assert_int_equal(back.failures, 5);
    const char *bad[] = {
        "", "x", "5", "-1 3", "5 99999", "5 20 x", "2000 0", "4294967301 0", "5 4294967316"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(pin_guard_restore(&back, bad[i], 100));
        assert_int_equal(back.failures, 0);
        assert_false(pin_guard_locked(&back, 100, NULL));
    }
    assert_false(pin_guard_restore(&back, NULL, 100));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_shape),
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_bad_hashes_never_match),
        cmocka_unit_test(test_lockout_grows),
        cmocka_unit_test(test_guard_survives_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
