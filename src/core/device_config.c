/* device_config: defaults first, then the file on top, with every problem
 * reported at its place in the file. */
#include "core/device_config.h"

#include "core/hex.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/json_check.h"
#include "core/mem.h"
#include "core/staff_pin.h"

enum { CONFIG_MAX_BYTES = 256 * 1024, CONFIG_PATH_MAX = 4096 };

static const char *const TOP_KEYS[] = {"format",
                                       "site",
                                       "device",
                                       "default_language",
                                       "questionnaires",
                                       "idle",
                                       "time_resolution_minutes",
                                       "kiosk",
                                       "theme",
                                       "logo",
                                       "thank_you_seconds",
                                       "welcome",
                                       "access",
                                       "staff",
                                       "safeguarding",
                                       "misuse",
                                       "messages",
                                       NULL};
static const char *const STAFF_KEYS[] = {"pin_hash", "allow_quit", "timeout_seconds",
                                         "export_folders", NULL};
static const char *const SAFEGUARDING_KEYS[] = {"words", "helplines", NULL};
static const char *const HELPLINE_KEYS[] = {"name", "number", "detail", NULL};
static const char *const MISUSE_KEYS[] = {"min_seconds_between", "repeat_window_seconds", NULL};
static const char *const MESSAGES_KEYS[] = {"you_said_we_did", "get_involved", "seconds", NULL};
static const char *const MESSAGE_KEYS[] = {"text", "picture", NULL};
static const char *const IDLE_KEYS[] = {"after_seconds", "warning_seconds", NULL};
static const char *const ACCESS_KEYS[] = {"text_size", "high_contrast",   "always_read_aloud",
                                          "volume",    "switch_scanning", "scan_interval_ms",
                                          NULL};
static const char *const THEME_KEYS[] = {"background", "text",        "surface",
                                         "accent",     "accent_text", NULL};

void device_config_defaults(DeviceConfig *c)
{
    memset(c, 0, sizeof *c);
    c->site = mem_strdup("Sayso demo site");
    c->device = mem_strdup("kiosk-1");
    snprintf(c->default_language, sizeof c->default_language, "en");
    c->idle_seconds = 90;
    c->idle_warning_seconds = 30;
    c->thank_you_seconds = 8;
    c->time_resolution_minutes = 60;
    c->kiosk = true;
    /* Near-black on white is 14.4:1 and white on NHS dark blue 11.8:1, both
     * above the 7:1 of WCAG 2.2 1.4.6 (AAA) for text of any size; NHS blue
     * (#005EB8) would give only 6.4:1. test_device_config checks the ratios. */
    c->theme = (Theme){{0xFF, 0xFF, 0xFF},
                       {0x21, 0x2B, 0x32},
                       {0xE8, 0xED, 0xEE},
                       {0x00, 0x30, 0x87},
                       {0xFF, 0xFF, 0xFF}};
    c->access = (AccessDefaults){TEXT_STEP_MIN, false, false, 80, false, 1500};
    c->staff.timeout_seconds = 120;
    /* Samaritans: free from any UK phone, day or night. */
    c->helpline_count = 1;
    text_add(&c->helplines[0].name, "en", "Samaritans");
    snprintf(c->helplines[0].number, sizeof c->helplines[0].number, "116 123");
    text_add(&c->helplines[0].detail, "en", "Free, day or night");
    c->min_seconds_between = 5;
    c->repeat_window_seconds = 120;
    c->message_seconds = 10;
}

Theme theme_high_contrast(void)
{
    /* Answer buttons stay black with a white frame, so every word on the
     * screen is white or black on black or yellow; nothing is mid-grey. */
    return (Theme){{0x00, 0x00, 0x00},
                   {0xFF, 0xFF, 0xFF},
                   {0x00, 0x00, 0x00},
                   {0xFF, 0xFF, 0x00},
                   {0x00, 0x00, 0x00}};
}

void device_config_deinit(DeviceConfig *c)
{
    free(c->site);
    free(c->device);
    for (int i = 0; i < c->questionnaire_count; i++)
        free(c->questionnaires[i]);
    free(c->logo);
    text_deinit(&c->welcome);
    free(c->staff.pin_hash);
    for (int i = 0; i < c->staff.export_folder_count; i++)
        free(c->staff.export_folders[i]);
    for (int i = 0; i < c->risk_word_count; i++)
        free(c->risk_words[i].words);
    free(c->risk_words);
    for (int i = 0; i < c->helpline_count; i++) {
        text_deinit(&c->helplines[i].name);
        text_deinit(&c->helplines[i].detail);
    }
    for (int i = 0; i < c->message_count; i++) {
        text_deinit(&c->messages[i].text);
        free(c->messages[i].picture);
    }
    memset(c, 0, sizeof *c);
}

bool colour_parse(const char *hex, Colour *out)
{
    if (strlen(hex) != 7 || hex[0] != '#')
        return false;
    unsigned value = 0;
    for (int i = 1; i < 7; i++) {
        int digit = hex_digit(hex[i]);
        if (digit < 0)
            return false;
        value = value * 16 + (unsigned)digit;
    }
    *out = (Colour){(uint8_t)(value >> 16), (uint8_t)(value >> 8), (uint8_t)value};
    return true;
}

/* WCAG 2.x relative luminance: each sRGB channel linearised, then weighted
 * by how bright it looks. */
static double relative_luminance(Colour c)
{
    const uint8_t channels[3] = {c.r, c.g, c.b};
    const double weights[3] = {0.2126, 0.7152, 0.0722};
    double y = 0.0;
    for (int i = 0; i < 3; i++) {
        double v = channels[i] / 255.0;
        v = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
        y += weights[i] * v;
    }
    return y;
}

double colour_contrast_ratio(Colour a, Colour b)
{
    double la = relative_luminance(a), lb = relative_luminance(b);
    double lighter = la > lb ? la : lb, darker = la > lb ? lb : la;
    return (lighter + 0.05) / (darker + 0.05);
}

static void set_string(JsonCheck *chk, json_t *root, const char *key, char **field)
{
    const char *s = NULL;
    if (!json_check_string(chk, root, "", key, false, &s) || !s)
        return;
    size_t n = strlen(s);
    if (n == 0 || n > 100) {
        json_check_report(chk, key, JSON_LOCATE_VALUE, "\"%s\" must be 1 to 100 characters", key);
        return;
    }
    free(*field);
    *field = mem_strdup(s);
}

static void load_theme(JsonCheck *chk, json_t *root, Theme *theme)
{
    json_t *obj = json_object_get(root, "theme");
    if (!obj || !json_check_object(chk, obj, "theme"))
        return;
    json_check_keys(chk, obj, "theme", THEME_KEYS);
    Colour *fields[] = {&theme->background, &theme->text, &theme->surface, &theme->accent,
                        &theme->accent_text};
    for (size_t i = 0; THEME_KEYS[i]; i++) {
        const char *hex = NULL;
        if (!json_check_string(chk, obj, "theme", THEME_KEYS[i], false, &hex) || !hex)
            continue;
        if (!colour_parse(hex, fields[i])) {
            char p[JSON_PATH_MAX];
            json_check_report(chk, json_path(p, "theme", THEME_KEYS[i]), JSON_LOCATE_VALUE,
                              "colour \"%s\" must look like \"#1A2B3C\"", hex);
        }
    }
}

static void load_access(JsonCheck *chk, json_t *root, AccessDefaults *a)
{
    json_t *obj = json_object_get(root, "access");
    if (!obj || !json_check_object(chk, obj, "access"))
        return;
    json_check_keys(chk, obj, "access", ACCESS_KEYS);
    long step = a->text_step, volume = a->volume, interval = a->scan_interval_ms;
    if (json_check_int(chk, obj, "access", "text_size", false, TEXT_STEP_MIN, TEXT_STEP_MAX, &step))
        a->text_step = (int)step;
    if (json_check_int(chk, obj, "access", "volume", false, 0, 100, &volume))
        a->volume = (int)volume;
    /* Faster than 0.5 s is too quick to react to with a switch. */
    if (json_check_int(chk, obj, "access", "scan_interval_ms", false, 500, 10000, &interval))
        a->scan_interval_ms = (int)interval;
    json_check_bool(chk, obj, "access", "high_contrast", &a->high_contrast);
    json_check_bool(chk, obj, "access", "always_read_aloud", &a->always_read_aloud);
    json_check_bool(chk, obj, "access", "switch_scanning", &a->switch_scanning);
}

static void load_questionnaires(JsonCheck *chk, json_t *root, DeviceConfig *c)
{
    json_t *list = json_object_get(root, "questionnaires");
    if (!list)
        return;
    if (!json_is_array(list) || json_array_size(list) > DEVICE_CONFIG_MAX_QUESTIONNAIRES) {
        json_check_report(chk, "questionnaires", JSON_LOCATE_VALUE,
                          "\"questionnaires\" must be an array of up to %d questionnaire ids",
                          DEVICE_CONFIG_MAX_QUESTIONNAIRES);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        char p[JSON_PATH_MAX];
        json_path_index(p, "questionnaires", i);
        if (!json_is_string(v) || !id_valid(json_string_value(v))) {
            json_check_report(chk, p, JSON_LOCATE_VALUE,
                              "questionnaire ids are 1 to 64 of "
                              "a-z, 0-9, - and _");
            continue;
        }
        c->questionnaires[c->questionnaire_count++] = mem_strdup(json_string_value(v));
    }
}

static void load_idle(JsonCheck *chk, json_t *root, DeviceConfig *c)
{
    json_t *idle = json_object_get(root, "idle");
    if (!idle || !json_check_object(chk, idle, "idle"))
        return;
    json_check_keys(chk, idle, "idle", IDLE_KEYS);
    long after = c->idle_seconds, warning = c->idle_warning_seconds;
    /* WCAG 2.2 2.2.1: at least 20 s to extend with one simple action. */
    if (json_check_int(chk, idle, "idle", "after_seconds", false, 15, 3600, &after))
        c->idle_seconds = (int)after;
    if (json_check_int(chk, idle, "idle", "warning_seconds", false, 20, 600, &warning))
        c->idle_warning_seconds = (int)warning;
}

static void load_staff(JsonCheck *chk, json_t *root, StaffConfig *staff)
{
    json_t *obj = json_object_get(root, "staff");
    if (!obj || !json_check_object(chk, obj, "staff"))
        return;
    json_check_keys(chk, obj, "staff", STAFF_KEYS);
    const char *hash = NULL;
    if (json_check_string(chk, obj, "staff", "pin_hash", false, &hash) && hash) {
        if (staff_pin_hash_valid(hash)) {
            free(staff->pin_hash);
            staff->pin_hash = mem_strdup(hash);
        } else {
            json_check_report(chk, "staff.pin_hash", JSON_LOCATE_VALUE,
                              "\"pin_hash\" must be an Argon2id hash made by "
                              "`sayso --hash-pin`, never the PIN itself");
        }
    }
    json_check_bool(chk, obj, "staff", "allow_quit", &staff->allow_quit);
    long timeout = staff->timeout_seconds;
    if (json_check_int(chk, obj, "staff", "timeout_seconds", false, 30, 1800, &timeout))
        staff->timeout_seconds = (int)timeout;
    json_t *folders = json_object_get(obj, "export_folders");
    if (!folders)
        return;
    if (!json_is_array(folders) || json_array_size(folders) > STAFF_EXPORT_FOLDERS_MAX) {
        json_check_report(chk, "staff.export_folders", JSON_LOCATE_VALUE,
                          "\"export_folders\" must be an array of up to %d folder paths",
                          STAFF_EXPORT_FOLDERS_MAX);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(folders, i, v)
    {
        const char *path = json_string_value(v);
        if (!path || path[0] != '/' || strlen(path) > 1000) {
            char p[JSON_PATH_MAX];
            json_check_report(chk, json_path_index(p, "staff.export_folders", i), JSON_LOCATE_VALUE,
                              "an export folder is a full path such as "
                              "\"/media/usb\"");
            continue;
        }
        staff->export_folders[staff->export_folder_count++] = mem_strdup(path);
    }
}

static void load_risk_words(JsonCheck *chk, json_t *obj, DeviceConfig *c)
{
    json_t *words = json_object_get(obj, "words");
    if (!words)
        return;
    if (!json_is_object(words)) {
        json_check_report(chk, "safeguarding.words", JSON_LOCATE_VALUE,
                          "\"words\" maps a language code to a list of words and phrases");
        return;
    }
    const char *language;
    json_t *list;
    json_object_foreach(words, language, list)
    {
        char p[JSON_PATH_MAX];
        json_path(p, "safeguarding.words", language);
        if (!language_code_valid(language) || !json_is_array(list)) {
            json_check_report(chk, p, JSON_LOCATE_KEY,
                              "\"%s\" must be a language code with a list of words", language);
            continue;
        }
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v)
        {
            const char *w = json_string_value(v);
            if (!w || !*w || strlen(w) > 200) {
                char q[JSON_PATH_MAX];
                json_check_report(chk, json_path_index(q, p, i), JSON_LOCATE_VALUE,
                                  "a risk word is 1 to 200 characters of text");
                continue;
            }
            if (c->risk_word_count >= RISK_WORDS_MAX) {
                json_check_report(chk, p, JSON_LOCATE_VALUE, "at most %d risk words in all",
                                  RISK_WORDS_MAX);
                return;
            }
            c->risk_words =
                mem_resize(c->risk_words, (size_t)c->risk_word_count + 1, sizeof *c->risk_words);
            RiskWordEntry *e = &c->risk_words[c->risk_word_count++];
            snprintf(e->language, sizeof e->language, "%s", language);
            e->words = mem_strdup(w);
        }
    }
}

static void load_helplines(JsonCheck *chk, json_t *obj, DeviceConfig *c)
{
    json_t *list = json_object_get(obj, "helplines");
    if (!list)
        return;
    if (!json_is_array(list) || json_array_size(list) > HELPLINES_MAX) {
        json_check_report(chk, "safeguarding.helplines", JSON_LOCATE_VALUE,
                          "\"helplines\" must be an array of up to %d helplines", HELPLINES_MAX);
        return;
    }
    /* The config replaces the built-in list; an empty list means none. */
    for (int i = 0; i < c->helpline_count; i++) {
        text_deinit(&c->helplines[i].name);
        text_deinit(&c->helplines[i].detail);
    }
    c->helpline_count = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        char p[JSON_PATH_MAX];
        json_path_index(p, "safeguarding.helplines", i);
        if (!json_check_object(chk, v, p))
            continue;
        json_check_keys(chk, v, p, HELPLINE_KEYS);
        Helpline h = {0};
        const char *number = NULL;
        bool ok = json_check_text(chk, v, p, "name", true, &h.name) &&
                  json_check_string(chk, v, p, "number", true, &number) && number;
        json_check_text(chk, v, p, "detail", false, &h.detail);
        if (ok && (!*number || strlen(number) >= HELPLINE_NUMBER_MAX)) {
            char q[JSON_PATH_MAX];
            json_check_report(chk, json_path(q, p, "number"), JSON_LOCATE_VALUE,
                              "a helpline number is 1 to %d characters", HELPLINE_NUMBER_MAX - 1);
            ok = false;
        }
        if (!ok) {
            text_deinit(&h.name);
            text_deinit(&h.detail);
            continue;
        }
        snprintf(h.number, sizeof h.number, "%s", number);
        c->helplines[c->helpline_count++] = h;
    }
}

static void load_safeguarding(JsonCheck *chk, json_t *root, DeviceConfig *c)
{
    json_t *obj = json_object_get(root, "safeguarding");
    if (!obj || !json_check_object(chk, obj, "safeguarding"))
        return;
    json_check_keys(chk, obj, "safeguarding", SAFEGUARDING_KEYS);
    load_risk_words(chk, obj, c);
    load_helplines(chk, obj, c);
}

static void load_misuse(JsonCheck *chk, json_t *root, DeviceConfig *c)
{
    json_t *obj = json_object_get(root, "misuse");
    if (!obj || !json_check_object(chk, obj, "misuse"))
        return;
    json_check_keys(chk, obj, "misuse", MISUSE_KEYS);
    long between = c->min_seconds_between, window = c->repeat_window_seconds;
    if (json_check_int(chk, obj, "misuse", "min_seconds_between", false, 0, 600, &between))
        c->min_seconds_between = (int)between;
    if (json_check_int(chk, obj, "misuse", "repeat_window_seconds", false, 0, 3600, &window))
        c->repeat_window_seconds = (int)window;
}

static void load_message_list(JsonCheck *chk, json_t *obj, const char *key, WelcomeMessageKind kind,
                              const char *base_dir, DeviceConfig *c)
{
    json_t *list = json_object_get(obj, key);
    char p[JSON_PATH_MAX];
    json_path(p, "messages", key);
    if (!list)
        return;
    if (!json_is_array(list)) {
        json_check_report(chk, p, JSON_LOCATE_VALUE, "\"%s\" must be an array of messages", key);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        char q[JSON_PATH_MAX];
        json_path_index(q, p, i);
        if (c->message_count >= WELCOME_MESSAGES_MAX) {
            json_check_report(chk, q, JSON_LOCATE_VALUE, "at most %d messages in all",
                              WELCOME_MESSAGES_MAX);
            return;
        }
        if (!json_check_object(chk, v, q))
            continue;
        json_check_keys(chk, v, q, MESSAGE_KEYS);
        WelcomeMessage m = {kind, {0}, NULL};
        if (!json_check_text(chk, v, q, "text", true, &m.text))
            continue;
        const char *picture = NULL;
        if (json_check_string(chk, v, q, "picture", false, &picture) && picture) {
            char path[CONFIG_PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", base_dir, picture);
            if (strstr(picture, "..") || picture[0] == '/' || !file_exists(path)) {
                char r[JSON_PATH_MAX];
                json_check_report(chk, json_path(r, q, "picture"), JSON_LOCATE_VALUE,
                                  "picture \"%s\" not found in the config folder", picture);
                text_deinit(&m.text);
                continue;
            }
            m.picture = mem_strdup(path);
        }
        c->messages[c->message_count++] = m;
    }
}

static void load_messages(JsonCheck *chk, json_t *root, const char *base_dir, DeviceConfig *c)
{
    json_t *obj = json_object_get(root, "messages");
    if (!obj || !json_check_object(chk, obj, "messages"))
        return;
    json_check_keys(chk, obj, "messages", MESSAGES_KEYS);
    load_message_list(chk, obj, "you_said_we_did", MESSAGE_YOU_SAID_WE_DID, base_dir, c);
    load_message_list(chk, obj, "get_involved", MESSAGE_GET_INVOLVED, base_dir, c);
    long seconds = c->message_seconds;
    if (json_check_int(chk, obj, "messages", "seconds", false, 4, 120, &seconds))
        c->message_seconds = (int)seconds;
}

bool device_config_parse(DeviceConfig *c, const char *source, size_t length, const char *base_dir,
                         Diagnostics *diag)
{
    size_t before = diag->count;
    JsonCheck chk = {source, length, diag, NULL, 0};
    json_t *root = json_check_document(&chk, TOP_KEYS, 1);
    if (!root)
        return false;
    set_string(&chk, root, "site", &c->site);
    set_string(&chk, root, "device", &c->device);
    const char *language = NULL;
    if (json_check_string(&chk, root, "", "default_language", false, &language) && language) {
        if (language_code_valid(language))
            snprintf(c->default_language, sizeof c->default_language, "%s", language);
        else
            json_check_report(&chk, "default_language", JSON_LOCATE_VALUE,
                              "\"%s\" is not a language code such as \"en\"", language);
    }
    load_questionnaires(&chk, root, c);
    load_idle(&chk, root, c);
    long minutes = c->time_resolution_minutes;
    if (json_check_int(&chk, root, "", "time_resolution_minutes", false, 15, 1440, &minutes)) {
        if (1440 % minutes != 0)
            json_check_report(&chk, "time_resolution_minutes", JSON_LOCATE_VALUE,
                              "\"time_resolution_minutes\" must divide a day evenly "
                              "(15, 30, 60, 120, ... 1440)");
        else
            c->time_resolution_minutes = (int)minutes;
    }
    long thanks = c->thank_you_seconds;
    if (json_check_int(&chk, root, "", "thank_you_seconds", false, 3, 60, &thanks))
        c->thank_you_seconds = (int)thanks;
    json_check_bool(&chk, root, "", "kiosk", &c->kiosk);
    load_theme(&chk, root, &c->theme);
    load_access(&chk, root, &c->access);
    json_check_text(&chk, root, "", "welcome", false, &c->welcome);
    load_staff(&chk, root, &c->staff);
    load_safeguarding(&chk, root, c);
    load_misuse(&chk, root, c);
    load_messages(&chk, root, base_dir, c);
    const char *logo = NULL;
    if (json_check_string(&chk, root, "", "logo", false, &logo) && logo) {
        char path[CONFIG_PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", base_dir, logo);
        if (strstr(logo, "..") || logo[0] == '/' || !file_exists(path))
            json_check_report(&chk, "logo", JSON_LOCATE_VALUE,
                              "logo file \"%s\" not found in the config folder", logo);
        else
            c->logo = mem_strdup(path);
    }
    json_decref(root);
    return diag->count == before;
}

bool device_config_load(DeviceConfig *c, const char *path, bool *found, Diagnostics *diag)
{
    *found = false;
    size_t length = 0;
    char why[200];
    char *source = file_read(path, CONFIG_MAX_BYTES, &length, why, sizeof why);
    if (!source) {
        if (!file_exists(path) && errno == ENOENT)
            return true;
        diag_add(diag, 0, 0, "%s", why);
        return false;
    }
    *found = true;
    char base_dir[CONFIG_PATH_MAX];
    file_dirname(path, base_dir, sizeof base_dir);
    bool ok = device_config_parse(c, source, length, base_dir, diag);
    free(source);
    return ok;
}
