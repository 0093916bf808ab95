/* device_config: the per-device settings in config/device.json.
 *
 * Every field has an embedded default (device_config_defaults), so a kiosk
 * with no device.json still starts. A device.json that is present but wrong
 * is reported field by field; the kiosk then shows "not ready" rather than
 * collecting answers under a wrong site name. See docs/device-config.md.
 *
 * Contract: caller-owned struct; device_config_deinit frees its strings.
 * Loading is pure (no SDL/SQLite); any thread, but one config per thread. */
#ifndef SAYSO_CORE_DEVICE_CONFIG_H
#define SAYSO_CORE_DEVICE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/text.h"

typedef struct {
    uint8_t r, g, b;
} Colour;

typedef struct {
    Colour background;  /* screen background */
    Colour text;        /* body text on background */
    Colour surface;     /* answer buttons */
    Colour accent;      /* Next, progress bar, selection ring */
    Colour accent_text; /* text on accent */
} Theme;

/* The built-in high-contrast theme a person can choose on any screen:
 * white and yellow on black (21:1 and 19.6:1). */
Theme theme_high_contrast(void);

enum { DEVICE_CONFIG_MAX_QUESTIONNAIRES = 32 };

/* Text size steps a person can choose; step 1 is the designed size. The
 * factors are in docs/accessibility.md; at step 4 a capital H of answer
 * text is over 6 mm tall on a 10-inch 1280x800 screen. */
enum { TEXT_STEP_MIN = 1, TEXT_STEP_MAX = 4 };

/* What each new person starts with; every person can change these on any
 * screen, and they go back to these for the next person. */
typedef struct {
    int text_step; /* TEXT_STEP_MIN..TEXT_STEP_MAX */
    bool high_contrast;
    bool always_read_aloud; /* speak each screen as it appears */
    int volume;             /* 0..100 */
    bool switch_scanning;   /* the focus moves by itself; one switch selects */
    int scan_interval_ms;   /* 500..10000 */
} AccessDefaults;

enum {
    STAFF_EXPORT_FOLDERS_MAX = 8,
    HELPLINES_MAX = 4,
    HELPLINE_NUMBER_MAX = 32,
    WELCOME_MESSAGES_MAX = 16,
    RISK_WORDS_MAX = 400,
};

/* Staff entry and what staff may do (docs/staff.md). */
typedef struct {
    char *pin_hash;      /* Argon2id string from `sayso --hash-pin`, or NULL */
    bool allow_quit;     /* "Quit to the desktop" on the staff menu */
    int timeout_seconds; /* quiet staff screens go back to Welcome */
    char *export_folders[STAFF_EXPORT_FOLDERS_MAX]; /* offered besides USB sticks */
    int export_folder_count;
} StaffConfig;

typedef struct {
    Text name;                        /* "Samaritans" */
    char number[HELPLINE_NUMBER_MAX]; /* "116 123" */
    Text detail;                      /* "Free, day or night"; may be empty */
} Helpline;

typedef struct {
    char language[LANGUAGE_CODE_MAX];
    char *words;
} RiskWordEntry;

typedef enum { MESSAGE_YOU_SAID_WE_DID, MESSAGE_GET_INVOLVED } WelcomeMessageKind;

/* A short message that takes its turn on Welcome. */
typedef struct {
    WelcomeMessageKind kind;
    Text text;
    char *picture; /* resolved path, or NULL for the kind's own picture */
} WelcomeMessage;

typedef struct {
    char *site;
    char *device;
    char default_language[LANGUAGE_CODE_MAX];
    char *questionnaires[DEVICE_CONFIG_MAX_QUESTIONNAIRES]; /* active ids, in menu order */
    int questionnaire_count;  /* 0: every questionnaire in the folder */
    int idle_seconds;         /* quiet time before "Are you still there?" */
    int idle_warning_seconds; /* time given to carry on; at least 20 */
    int thank_you_seconds;
    int time_resolution_minutes;
    bool kiosk;
    Theme theme;
    AccessDefaults access;
    char *logo;   /* resolved path or NULL */
    Text welcome; /* headline on Welcome; empty = built-in */
    StaffConfig staff;
    /* Safeguarding: words that suggest risk, per language (none given: the
     * built-in English list), and who to call. */
    RiskWordEntry *risk_words;
    int risk_word_count;
    Helpline helplines[HELPLINES_MAX];
    int helpline_count;
    /* Misuse: seconds; 0 turns the check off. */
    int min_seconds_between;
    int repeat_window_seconds;
    WelcomeMessage messages[WELCOME_MESSAGES_MAX];
    int message_count;
    int message_seconds; /* each message shows this long */
} DeviceConfig;

void device_config_defaults(DeviceConfig *c);
/* Loads path over the defaults. A missing file is not an error (returns true
 * with defaults, *found=false); any problem is added to diag and returns false. */
bool device_config_load(DeviceConfig *c, const char *path, bool *found, Diagnostics *diag);
bool device_config_parse(DeviceConfig *c, const char *source, size_t length, const char *base_dir,
                         Diagnostics *diag);
void device_config_deinit(DeviceConfig *c);

bool colour_parse(const char *hex, Colour *out);
/* The WCAG 2.x contrast ratio of two colours, from 1.0 (the same luminance)
 * to 21.0 (black and white); the order of a and b does not matter. */
double colour_contrast_ratio(Colour a, Colour b);

#endif
