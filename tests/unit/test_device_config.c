/* Tests the device config (config/device.json) loader. A kiosk with no
 * device.json must start on sensible defaults, a correct file must set every
 * field, and a wrong file must be refused field by field with positions,
 * because a kiosk that silently ignored a mistake would collect answers
 * under the wrong site or with an idle warning too short for WCAG 2.2.1.
 * Covered: the defaults; a full valid config; the 20-second minimum idle
 * warning; colours; time resolutions that do not divide a day; unknown keys
 * at every level; strings, language, questionnaire ids and logo checks;
 * colour_parse itself; the WCAG contrast ratio and the default theme's
 * contrast; and device_config_load on missing and present files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/device_config.h"

/* Parses over fresh defaults, from an exact-size copy (ASan checks reads). */
static bool parse(DeviceConfig *c, const char *source, const char *base_dir, Diagnostics *diag)
{
    device_config_defaults(c);
    diag_init(diag);
    size_t length = strlen(source);
    char *copy = malloc(length + 1);
    assert_non_null(copy);
    memcpy(copy, source, length);
    bool ok = device_config_parse(c, copy, length, base_dir, diag);
    free(copy);
    return ok;
}

static void assert_colour(Colour c, uint8_t r, uint8_t g, uint8_t b)
{
    if (c.r != r || c.g != g || c.b != b)
        fail_msg("colour %02x%02x%02x, expected %02x%02x%02x", c.r, c.g, c.b, r, g, b);
}

static void assert_defaults(const DeviceConfig *c)
{
    assert_string_equal(c->site, "Sayso demo site");
    assert_string_equal(c->device, "kiosk-1");
    assert_string_equal(c->default_language, "en");
    assert_int_equal(c->questionnaire_count, 0);
    assert_int_equal(c->idle_seconds, 90);
    assert_int_equal(c->idle_warning_seconds, 30);
    assert_int_equal(c->thank_you_seconds, 8);
    assert_int_equal(c->time_resolution_minutes, 60);
    assert_true(c->kiosk);
    assert_colour(c->theme.background, 0xFF, 0xFF, 0xFF);
    assert_colour(c->theme.text, 0x21, 0x2B, 0x32);
    assert_colour(c->theme.surface, 0xE8, 0xED, 0xEE);
    assert_colour(c->theme.accent, 0x00, 0x30, 0x87);
    assert_colour(c->theme.accent_text, 0xFF, 0xFF, 0xFF);
    assert_null(c->logo);
    assert_int_equal(c->welcome.count, 0);
}

static void test_defaults(void **state)
{
    (void)state;
    DeviceConfig c;
    memset(&c, 0x5A, sizeof c);
    device_config_defaults(&c);
    assert_defaults(&c);
    device_config_deinit(&c);
    assert_null(c.site);
    assert_int_equal(c.questionnaire_count, 0);
}

static void test_minimal_file_keeps_defaults(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1}", ".", &diag));
    assert_int_equal(diag.count, 0);
    assert_defaults(&c);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_full_valid_config(void **state)
{
    (void)state;
    const char *source =
        "{\n"
        "  \"format\": 1,\n"
        "  \"site\": \"Ward 9 \xe2\x80\x93 Outpatients\",\n"
        "  \"device\": \"entrance-2\",\n"
        "  \"default_language\": \"pt-br\",\n"
        "  \"questionnaires\": [\"service-feedback\", \"about-you\", \"event_2\"],\n"
        "  \"idle\": {\"after_seconds\": 120, \"warning_seconds\": 20},\n"
        "  \"thank_you_seconds\": 5,\n"
        "  \"time_resolution_minutes\": 30,\n"
        "  \"kiosk\": false,\n"
        "  \"theme\": {\"background\": \"#000000\", \"text\": \"#fFeE0a\", \"surface\": "
        "\"#123456\",\n"
        "            \"accent\": \"#ABCDEF\", \"accent_text\": \"#010203\"},\n"
        "  \"logo\": \"logo-placeholder.svg\",\n"
        "  \"welcome\": {\"en\": \"Tell us\", \"cy\": \"Dywedwch\"}\n"
        "}\n";
    DeviceConfig c;
    Diagnostics diag;
    bool ok = parse(&c, source, "assets/pictures", &diag);
    if (!ok || diag.count) {
        dump(&diag);
        fail();
    }
    assert_string_equal(c.site, "Ward 9 \xe2\x80\x93 Outpatients");
    assert_string_equal(c.device, "entrance-2");
    assert_string_equal(c.default_language, "pt-br");
    assert_int_equal(c.questionnaire_count, 3);
    assert_string_equal(c.questionnaires[0], "service-feedback");
    assert_string_equal(c.questionnaires[1], "about-you");
    assert_string_equal(c.questionnaires[2], "event_2");
    assert_int_equal(c.idle_seconds, 120);
    assert_int_equal(c.idle_warning_seconds, 20);
    assert_int_equal(c.thank_you_seconds, 5);
    assert_int_equal(c.time_resolution_minutes, 30);
    assert_false(c.kiosk);
    assert_colour(c.theme.background, 0x00, 0x00, 0x00);
    assert_colour(c.theme.text, 0xFF, 0xEE, 0x0A);
    assert_colour(c.theme.surface, 0x12, 0x34, 0x56);
    assert_colour(c.theme.accent, 0xAB, 0xCD, 0xEF);
    assert_colour(c.theme.accent_text, 0x01, 0x02, 0x03);
    assert_string_equal(c.logo, "assets/pictures/logo-placeholder.svg");
    assert_int_equal(c.welcome.count, 2);
    assert_string_equal(text_get(&c.welcome, "cy", "en"), "Dywedwch");
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_idle_warning_minimum(void **state)
{
    (void)state;
    const char *source = "{\n"
                         "  \"format\": 1,\n"
                         "  \"idle\": {\"after_seconds\": 60, \"warning_seconds\": 19}\n"
                         "}\n";
    DeviceConfig c;
    Diagnostics diag;
    assert_false(parse(&c, source, ".", &diag));
    assert_int_equal(diag.count, 1);
    assert_diag_at(&diag, "\"warning_seconds\" must be between 20 and 600", 3, 52);
    assert_int_equal(c.idle_warning_seconds, 30); /* unchanged */
    assert_int_equal(c.idle_seconds, 60);
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* other wrong idle values */
    const char *more =
        "{\"format\": 1,\n"
        " \"idle\": {\"after_seconds\": 14, \"warning_seconds\": 601, \"grace\": 1}}";
    assert_false(parse(&c, more, ".", &diag));
    assert_int_equal(diag.count, 3);
    assert_diag_at(&diag, "\"after_seconds\" must be between 15 and 3600", 2, 28);
    assert_diag_at(&diag, "\"warning_seconds\" must be between 20 and 600", 2, 51);
    assert_diag_at(&diag, "unknown key \"grace\"", 2, 56);
    assert_int_equal(c.idle_seconds, 90);
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* idle must be an object; a real number is not a whole number */
    assert_false(parse(&c, "{\"format\": 1, \"idle\": 30}", ".", &diag));
    assert_diag_at(&diag, "expected an object, found a whole number", 1, 23);
    device_config_deinit(&c);
    diag_deinit(&diag);
    assert_false(parse(&c, "{\"format\": 1, \"idle\": {\"warning_seconds\": 25.5}}", ".", &diag));
    assert_diag_at(&diag, "\"warning_seconds\" must be a whole number, found a number", 1, 43);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_bad_colours(void **state)
{
    (void)state;
    const char *source = "{\n"
                         "  \"format\": 1,\n"
                         "  \"theme\": {\n"
                         "    \"background\": \"blue\",\n"
                         "    \"text\": \"#12345\",\n"
                         "    \"surface\": \"#GGGGGG\",\n"
                         "    \"accent\": \"#00ff00\",\n"
                         "    \"accent_text\": 255,\n"
                         "    \"border\": \"#000000\"\n"
                         "  }\n"
                         "}\n";
    DeviceConfig c;
    Diagnostics diag;
    assert_false(parse(&c, source, ".", &diag));
    assert_int_equal(diag.count, 5);
    assert_diag_at(&diag, "colour \"blue\" must look like \"#1A2B3C\"", 4, 19);
    assert_diag_at(&diag, "colour \"#12345\"", 5, 13);
    assert_diag_at(&diag, "colour \"#GGGGGG\"", 6, 16);
    assert_diag_at(&diag, "\"accent_text\" must be a string, found a whole number", 8, 20);
    assert_diag_at(&diag, "unknown key \"border\"", 9, 5);
    /* the good one is applied, the bad ones keep their defaults */
    assert_colour(c.theme.accent, 0x00, 0xFF, 0x00);
    assert_colour(c.theme.background, 0xFF, 0xFF, 0xFF);
    assert_colour(c.theme.accent_text, 0xFF, 0xFF, 0xFF);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_colour_parse(void **state)
{
    (void)state;
    Colour c = {1, 2, 3};
    assert_true(colour_parse("#1A2b3C", &c));
    assert_colour(c, 0x1A, 0x2B, 0x3C);
    assert_true(colour_parse("#ffffff", &c));
    assert_colour(c, 0xFF, 0xFF, 0xFF);
    static const char *const bad[] = {"",         "#",       "1A2B3C",  "#1A2B3",
                                      "#1A2B3C4", "#1A2B3G", "# 1A2B3", "##1A2B3",
                                      "#1a2b3c ", "#-12345", "#0x1234", "#1A2B3\xc3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = (Colour){1, 2, 3};
        if (colour_parse(bad[i], &c))
            fail_msg("colour_parse accepted \"%s\"", bad[i]);
        assert_colour(c, 1, 2, 3);
    }
}

static void assert_ratio(Colour a, Colour b, double expected)
{
    double ratio = colour_contrast_ratio(a, b);
    if (ratio < expected - 0.005 || ratio > expected + 0.005)
        fail_msg("contrast %.4f, expected %.2f", ratio, expected);
    assert_true(colour_contrast_ratio(b, a) == ratio); /* order does not matter */
}

static void test_contrast_ratio(void **state)
{
    (void)state;
    Colour black = {0, 0, 0}, white = {0xFF, 0xFF, 0xFF};
    assert_ratio(black, white, 21.0);
    assert_ratio(white, white, 1.0);
    assert_ratio(black, black, 1.0);
    /* #767676 is the lightest grey that passes AA (4.5:1) on white;
     * #777777 just fails */
    assert_ratio((Colour){0x76, 0x76, 0x76}, white, 4.54);
    assert_true(colour_contrast_ratio((Colour){0x77, 0x77, 0x77}, white) < 4.5);
    /* a pure channel, so the weights are checked one by one */
    assert_ratio((Colour){0xFF, 0, 0}, black, 5.25);
    assert_ratio((Colour){0, 0xFF, 0}, black, 15.3);
    assert_ratio((Colour){0, 0, 0xFF}, black, 2.44);
    /* NHS blue with white text is below AAA, which is why it is not the
     * default accent */
    assert_ratio((Colour){0x00, 0x5E, 0xB8}, white, 6.38);
}

/* The built-in theme is what most kiosks show: its text and the words on
 * accent buttons must meet WCAG 2.2 1.4.6 (AAA, 7:1) at any text size. */
static void test_default_theme_contrast(void **state)
{
    (void)state;
    DeviceConfig c;
    device_config_defaults(&c);
    const Theme *t = &c.theme;
    double body = colour_contrast_ratio(t->text, t->background);
    double on_surface = colour_contrast_ratio(t->text, t->surface);
    double on_accent = colour_contrast_ratio(t->accent_text, t->accent);
    double ring = colour_contrast_ratio(t->accent, t->surface);
    if (body < 7.0 || on_surface < 7.0 || on_accent < 7.0)
        fail_msg("text %.2f:1, text on surface %.2f:1, accent text %.2f:1; each needs 7:1", body,
                 on_surface, on_accent);
    /* the selection frame is a graphic: WCAG 1.4.11 asks 3:1 */
    assert_true(ring >= 3.0);
    assert_ratio(t->text, t->background, 14.42);
    device_config_deinit(&c);
}

/* The high-contrast theme is the one a low-vision reader picks: every pair
 * of words and what they sit on must be far above 7:1. */
static void test_high_contrast_theme(void **state)
{
    (void)state;
    Theme t = theme_high_contrast();
    assert_ratio(t.text, t.background, 21.0);
    assert_ratio(t.text, t.surface, 21.0);
    assert_true(colour_contrast_ratio(t.accent_text, t.accent) >= 18.0);
    assert_true(colour_contrast_ratio(t.accent, t.background) >= 18.0);
}

static void test_access_defaults(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1}", ".", &diag));
    assert_int_equal(c.access.text_step, TEXT_STEP_MIN);
    assert_false(c.access.high_contrast);
    assert_int_equal(c.access.volume, 80);
    assert_int_equal(c.access.scan_interval_ms, 1500);
    device_config_deinit(&c);
    diag_deinit(&diag);

    assert_true(parse(&c,
                      "{\"format\": 1, \"access\": {\"text_size\": 3, \"high_contrast\": true,"
                      " \"always_read_aloud\": true, \"volume\": 40, \"switch_scanning\": true,"
                      " \"scan_interval_ms\": 2500}}",
                      ".", &diag));
    assert_int_equal(c.access.text_step, 3);
    assert_true(c.access.high_contrast && c.access.always_read_aloud && c.access.switch_scanning);
    assert_int_equal(c.access.volume, 40);
    assert_int_equal(c.access.scan_interval_ms, 2500);
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* Out of range and wrong types are each named, with where they are. */
    assert_false(parse(&c,
                       "{\"format\": 1,\n \"access\": {\"text_size\": 5, \"volume\": -1,\n"
                       " \"scan_interval_ms\": 100, \"high_contrast\": \"yes\", \"size\": 2}}",
                       ".", &diag));
    assert_int_equal(diag.count, 5);
    assert_diag_at(&diag, "text_size", 2, 26);
    assert_diag_at(&diag, "volume", 2, 39);
    assert_diag_at(&diag, "scan_interval_ms", 3, 22);
    assert_diag_at(&diag, "true or false", 3, 44);
    assert_diag_at(&diag, "unknown key \"size\"", 3, 51);
    assert_int_equal(c.access.text_step, TEXT_STEP_MIN);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_time_resolution(void **state)
{
    (void)state;
    static const struct {
        int minutes;
        bool ok;
    } cases[] = {{15, true},  {30, true},    {45, true},  {60, true},   {120, true},
                 {480, true}, {1440, true},  {50, false}, {100, false}, {1000, false},
                 {14, false}, {1441, false}, {0, false},  {-60, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char source[128];
        snprintf(source, sizeof source, "{\"format\": 1,\n  \"time_resolution_minutes\": %d}",
                 cases[i].minutes);
        DeviceConfig c;
        Diagnostics diag;
        bool ok = parse(&c, source, ".", &diag);
        if (ok != cases[i].ok)
            fail_msg("time_resolution_minutes %d: %s", cases[i].minutes,
                     ok ? "accepted" : "refused");
        if (ok) {
            assert_int_equal(c.time_resolution_minutes, cases[i].minutes);
        } else {
            assert_int_equal(diag.count, 1);
            assert_int_equal(diag.items[0].line, 2);
            assert_int_equal(diag.items[0].column, 30);
            assert_int_equal(c.time_resolution_minutes, 60);
            const char *want = cases[i].minutes >= 15 && cases[i].minutes <= 1440
                                   ? "must divide a day evenly"
                                   : "must be between 15 and 1440";
            if (!strstr(diag.items[0].message, want))
                fail_msg("%d: message \"%s\"", cases[i].minutes, diag.items[0].message);
        }
        device_config_deinit(&c);
        diag_deinit(&diag);
    }
}

static void test_unknown_and_typed_keys(void **state)
{
    (void)state;
    const char *source = "{\n"
                         "  \"format\": 1,\n"
                         "  \"volume\": 11,\n"
                         "  \"kiosk\": \"yes\",\n"
                         "  \"thank_you_seconds\": 2,\n"
                         "  \"site\": \"\",\n"
                         "  \"device\": 7,\n"
                         "  \"default_language\": \"English\"\n"
                         "}\n";
    DeviceConfig c;
    Diagnostics diag;
    assert_false(parse(&c, source, ".", &diag));
    assert_int_equal(diag.count, 6);
    assert_diag_at(&diag, "unknown key \"volume\"", 3, 3);
    assert_diag_at(&diag, "\"kiosk\" must be true or false, found a string", 4, 12);
    assert_diag_at(&diag, "\"thank_you_seconds\" must be between 3 and 60", 5, 24);
    assert_diag_at(&diag, "\"site\" must be 1 to 100 characters", 6, 11);
    assert_diag_at(&diag, "\"device\" must be a string, found a whole number", 7, 13);
    assert_diag_at(&diag, "\"English\" is not a language code", 8, 23);
    assert_string_equal(c.site, "Sayso demo site");
    assert_string_equal(c.device, "kiosk-1");
    assert_string_equal(c.default_language, "en");
    assert_true(c.kiosk);
    assert_int_equal(c.thank_you_seconds, 8);
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* a 101-character site is too long, 100 is fine */
    char longer[256];
    snprintf(longer, sizeof longer, "{\"format\": 1, \"site\": \"%0101d\"}", 0);
    assert_false(parse(&c, longer, ".", &diag));
    assert_diag_at(&diag, "\"site\" must be 1 to 100 characters", 1, 23);
    device_config_deinit(&c);
    diag_deinit(&diag);
    snprintf(longer, sizeof longer, "{\"format\": 1, \"site\": \"%0100d\"}", 0);
    assert_true(parse(&c, longer, ".", &diag));
    assert_int_equal(strlen(c.site), 100);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_format_and_syntax(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    assert_false(parse(&c, "{\n  \"format\": 2\n}", ".", &diag));
    assert_diag_at(&diag, "format 2 is not supported", 2, 13);
    device_config_deinit(&c);
    diag_deinit(&diag);

    assert_false(parse(&c, "{\n  \"site\": \"x\"\n}", ".", &diag));
    assert_diag_at(&diag, "missing required key \"format\"", 1, 1);
    device_config_deinit(&c);
    diag_deinit(&diag);

    assert_false(parse(&c, "{\n  \"format\": 1,\n  \"site\": \"x\",\n}", ".", &diag));
    assert_int_equal(diag.count, 1);
    assert_int_equal(diag.items[0].line, 4);
    assert_non_null(strstr(diag.items[0].message, "JSON syntax error"));
    assert_defaults(&c);
    device_config_deinit(&c);
    diag_deinit(&diag);

    assert_false(parse(&c, "[1]", ".", &diag));
    assert_diag_at(&diag, "expected an object, found an array", 1, 1);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_questionnaire_list(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    const char *source =
        "{\"format\": 1,\n \"questionnaires\": [\"ok-1\", \"Not OK\", 3, \"ok-2\"]}";
    assert_false(parse(&c, source, ".", &diag));
    assert_int_equal(diag.count, 2);
    assert_diag_at(&diag, "questionnaire ids are 1 to 64", 2, 29);
    assert_int_equal(diag.items[1].line, 2);
    assert_int_equal(diag.items[1].column, 39);
    assert_int_equal(c.questionnaire_count, 2);
    assert_string_equal(c.questionnaires[1], "ok-2");
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* more than DEVICE_CONFIG_MAX_QUESTIONNAIRES is refused whole */
    char big[2048];
    int n = snprintf(big, sizeof big, "{\"format\": 1, \"questionnaires\": [");
    for (int i = 0; i <= DEVICE_CONFIG_MAX_QUESTIONNAIRES; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "%s\"q%d\"", i ? ", " : "", i);
    snprintf(big + n, sizeof big - (size_t)n, "]}");
    assert_false(parse(&c, big, ".", &diag));
    assert_diag_at(&diag, "must be an array of up to 32", 1, 33);
    assert_int_equal(c.questionnaire_count, 0);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_logo(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    assert_false(
        parse(&c, "{\"format\": 1,\n \"logo\": \"missing.svg\"}", "assets/pictures", &diag));
    assert_diag_at(&diag, "logo file \"missing.svg\" not found in the config folder", 2, 10);
    assert_null(c.logo);
    device_config_deinit(&c);
    diag_deinit(&diag);
    /* a path out of the config folder is refused even if the file exists */
    assert_false(parse(&c, "{\"format\": 1,\n \"logo\": \"../pictures/logo-placeholder.svg\"}",
                       "assets/pictures", &diag));
    assert_diag_at(&diag, "not found in the config folder", 2, 10);
    assert_null(c.logo);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_welcome_text(void **state)
{
    (void)state;
    DeviceConfig c;
    Diagnostics diag;
    assert_true(parse(&c, "{\"format\": 1, \"welcome\": \"Hello there\"}", ".", &diag));
    assert_int_equal(c.welcome.count, 1);
    assert_string_equal(text_get(&c.welcome, "en", "en"), "Hello there");
    device_config_deinit(&c);
    diag_deinit(&diag);
    assert_false(
        parse(&c, "{\"format\": 1, \"welcome\": {\"EN\": \"x\", \"en\": \"\"}}", ".", &diag));
    assert_int_equal(diag.count, 2);
    assert_diag_at(&diag, "language \"EN\" is not one of", 1, 27);
    assert_diag_at(&diag, "text in \"en\" must be a non-empty string", 1, 44);
    device_config_deinit(&c);
    diag_deinit(&diag);
}

static void test_load_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/sayso-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[300], logo[300];
    snprintf(path, sizeof path, "%s/device.json", dir);
    snprintf(logo, sizeof logo, "%s/our-logo.png", dir);

    DeviceConfig c;
    Diagnostics diag;
    diag_init(&diag);
    bool found = true;
    device_config_defaults(&c);
    assert_true(device_config_load(&c, path, &found, &diag));
    assert_false(found);
    assert_int_equal(diag.count, 0);
    assert_defaults(&c);
    device_config_deinit(&c);

    FILE *f = fopen(logo, "w");
    assert_non_null(f);
    fputs("png", f);
    fclose(f);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": 1, \"site\": \"From file\", \"logo\": \"our-logo.png\"}", f);
    fclose(f);
    device_config_defaults(&c);
    assert_true(device_config_load(&c, path, &found, &diag));
    assert_true(found);
    assert_int_equal(diag.count, 0);
    assert_string_equal(c.site, "From file");
    assert_string_equal(c.logo, logo); /* resolved next to device.json */
    device_config_deinit(&c);

    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": 1,\n \"idle\": {\"warning_seconds\": 5}}", f);
    fclose(f);
    device_config_defaults(&c);
    assert_false(device_config_load(&c, path, &found, &diag));
    assert_true(found);
    assert_diag_at(&diag, "warning_seconds", 2, 30);
    device_config_deinit(&c);
    diag_deinit(&diag);

    /* a directory where the file should be is an error, not "missing" */
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    device_config_defaults(&c);
    assert_false(device_config_load(&c, path, &found, &diag));
    assert_int_equal(diag.count, 1);
    assert_int_equal(diag.items[0].line, 0);
    device_config_deinit(&c);
    diag_deinit(&diag);

    rmdir(path);
    unlink(logo);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_minimal_file_keeps_defaults),
        cmocka_unit_test(test_full_valid_config),
        cmocka_unit_test(test_idle_warning_minimum),
        cmocka_unit_test(test_bad_colours),
        cmocka_unit_test(test_colour_parse),
        cmocka_unit_test(test_contrast_ratio),
        cmocka_unit_test(test_default_theme_contrast),
        cmocka_unit_test(test_time_resolution),
        cmocka_unit_test(test_unknown_and_typed_keys),
        cmocka_unit_test(test_format_and_syntax),
        cmocka_unit_test(test_questionnaire_list),
        cmocka_unit_test(test_logo),
        cmocka_unit_test(test_welcome_text),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_high_contrast_theme),
        cmocka_unit_test(test_access_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
