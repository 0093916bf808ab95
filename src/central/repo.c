/* repo: central's data rules, written once over the db interface. Ingest is
 * one transaction per batch and the reply is built only after COMMIT, so an
 * acknowledgement always means durable; a retry after a lost reply finds
 * each id already there with the same content hash and is acknowledged
 * again, which is what makes at-least-once delivery exactly-once in effect. */
#include "central/repo.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "central/db.h"
#include "core/csv.h"
#include "core/json_check.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/response.h"
#include "core/sync_protocol.h"
#include "core/text.h"
#include "core/utf8.h"
#include "core/venue.h"

struct Repo {
    Db *db;
    pthread_mutex_t lock;
};

enum { SCHEMA_VERSION = 2 };

/* Version 1, what every database starts as. The two scripts differ only
 * where the dialects do: the auto-numbered key. */
#define SCHEMA_TABLES(SEQ)                                                                         \
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"                 \
    "CREATE TABLE IF NOT EXISTS devices ("                                                         \
    "  name TEXT PRIMARY KEY, site TEXT NOT NULL,"                                                 \
    "  role TEXT NOT NULL CHECK (role IN ('device','admin')),"                                     \
    "  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);"               \
    "CREATE TABLE IF NOT EXISTS responses (" SEQ ","                                               \
    "  id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"                                       \
    "  site TEXT NOT NULL, device TEXT NOT NULL,"                                                  \
    "  questionnaire_id TEXT NOT NULL, questionnaire_version BIGINT NOT NULL,"                     \
    "  language TEXT NOT NULL, collection_mode TEXT NOT NULL,"                                     \
    "  submitted_at TEXT NOT NULL, received_at TEXT NOT NULL,"                                     \
    "  answers TEXT NOT NULL, body TEXT NOT NULL);"                                                \
    "CREATE INDEX IF NOT EXISTS responses_site_time ON responses (site, submitted_at);"            \
    "CREATE TABLE IF NOT EXISTS conflicts (" SEQ ","                                               \
    "  id TEXT NOT NULL, content_hash TEXT NOT NULL, device TEXT NOT NULL,"                        \
    "  received_at TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (id, content_hash));"                 \
    "CREATE TABLE IF NOT EXISTS questionnaires ("                                                  \
    "  site TEXT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL, position BIGINT NOT NULL,"   \
    "  body TEXT NOT NULL, published_at TEXT NOT NULL, PRIMARY KEY (site, id));"

static const char SQLITE_SCHEMA[] = SCHEMA_TABLES("seq INTEGER PRIMARY KEY AUTOINCREMENT");
static const char PG_SCHEMA[] = SCHEMA_TABLES("seq BIGSERIAL PRIMARY KEY");

/* The steps from the version before, by target version, one statement each
 * and the same on both dialects. A fresh database goes through them too, so
 * it ends with exactly the columns, in the same order, as an upgraded one.
 * Only ever append: a released step must never change. */
static const char *const TO_VERSION_2[] = {
    "ALTER TABLE responses ADD COLUMN venue TEXT NOT NULL DEFAULT 'kiosk'",
    "ALTER TABLE responses ADD COLUMN event_name TEXT",
    "ALTER TABLE responses ADD COLUMN event_session TEXT",
    "ALTER TABLE responses ADD COLUMN flags TEXT NOT NULL DEFAULT ''", NULL};
static const char *const *const MIGRATIONS[SCHEMA_VERSION + 1] = {[2] = TO_VERSION_2};

static bool is_pg(const Repo *r)
{
    return strcmp(db_kind(r->db), "postgresql") == 0;
}

static bool keep_first(void *ctx, int columns, const char *const *values)
{
    char **out = ctx;
    if (columns > 0 && !*out)
        *out = mem_strdup(values[0] ? values[0] : "");
    return false;
}

static void now_text(char out[TIME_TEXT_SIZE])
{
    time_format_rounded(time(NULL), 1, out);
}

/* One statement under the lock; *value gets its first column of the first
 * row (heap) or stays NULL. For INSERT/UPDATE/DELETE ... RETURNING, NULL
 * means nothing matched. */
static bool query_value(Repo *r, const char *sql, int nparams, const char *const *params,
                        char **value, char *why, size_t why_size)
{
    *value = NULL;
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db, sql, nparams, params, keep_first, value, why, why_size);
    pthread_mutex_unlock(&r->lock);
    return ok;
}

static bool begin(Repo *r, char *why, size_t why_size)
{
    return db_script(r->db, is_pg(r) ? "BEGIN" : "BEGIN IMMEDIATE", why, why_size);
}

static void rollback(Repo *r)
{
    char ignored[256];
    db_script(r->db, "ROLLBACK", ignored, sizeof ignored);
}

static bool migrate(Repo *r, char *why, size_t why_size)
{
    if (!begin(r, why, why_size))
        return false;
    char *stored = NULL, *end = NULL, target[24];
    long version = 1;
    /* SQLite's BEGIN IMMEDIATE already keeps a second central out until
     * COMMIT; on PostgreSQL two starting at once (the server and a command)
     * would otherwise both try the same ALTERs. */
    bool ok =
        (!is_pg(r) || db_script(r->db, "SELECT pg_advisory_xact_lock(8470)", why, why_size)) &&
        db_script(r->db, is_pg(r) ? PG_SCHEMA : SQLITE_SCHEMA, why, why_size) &&
        db_query(r->db, "SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL, keep_first,
                 &stored, why, why_size);
    if (ok && stored) {
        version = strtol(stored, &end, 10);
        if (!*stored || *end || version < 1) {
            snprintf(why, why_size, "database schema version \"%s\" is not a number", stored);
            ok = false;
        } else if (version > SCHEMA_VERSION) {
            snprintf(why, why_size, "database schema %s is newer than this program (%d)", stored,
                     SCHEMA_VERSION);
            ok = false;
        }
    }
    for (long v = version + 1; ok && v <= SCHEMA_VERSION; v++)
        for (const char *const *step = MIGRATIONS[v]; ok && *step; step++)
            ok = db_script(r->db, *step, why, why_size);
    snprintf(target, sizeof target, "%d", SCHEMA_VERSION);
    if (ok && (!stored || version < SCHEMA_VERSION)) {
        const char *params[] = {target};
        ok = db_query(r->db,
                      "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      1, params, NULL, NULL, why, why_size);
    }
    if (ok)
        ok = db_script(r->db, "COMMIT", why, why_size);
    if (!ok)
        rollback(r);
    else if (stored && version < SCHEMA_VERSION)
        log_info("central", "database schema brought from version %ld to %d", version,
                 SCHEMA_VERSION);
    free(stored);
    return ok;
}

Repo *repo_open(const char *where, char *why, size_t why_size)
{
    Db *db = db_open(where, why, why_size);
    if (!db)
        return NULL;
    Repo *r = mem_alloc(sizeof *r);
    r->db = db;
    pthread_mutex_init(&r->lock, NULL);
    if (!migrate(r, why, why_size)) {
        repo_close(r);
        return NULL;
    }
    return r;
}

void repo_close(Repo *r)
{
    if (!r)
        return;
    db_close(r->db);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

const char *repo_kind(const Repo *r)
{
    return db_kind(r->db);
}

bool repo_healthy(Repo *r)
{
    char why[256];
    char *one;
    bool ok = query_value(r, "SELECT 1", 0, NULL, &one, why, sizeof why);
    if (!ok)
        log_error("central", "health check: %s", why);
    free(one);
    return ok && one;
}

/* --- devices --- */

bool repo_device_add(Repo *r, const char *name, const char *site, Role role,
                     char token_out[TOKEN_TEXT_SIZE], char *why, size_t why_size)
{
    char hash[TOKEN_HASH_SIZE], when[TIME_TEXT_SIZE];
    if (!token_generate(token_out) || !token_hash(token_out, hash)) {
        snprintf(why, why_size, "cannot make a token");
        return false;
    }
    now_text(when);
    const char *params[] = {name, site, role == ROLE_ADMIN ? "admin" : "device", hash, when};
    char *inserted;
    bool ok =
        query_value(r,
                    "INSERT INTO devices (name, site, role, token_hash, created_at) "
                    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING name",
                    5, params, &inserted, why, why_size);
    if (ok && !inserted) {
        snprintf(why, why_size, "a device or admin named \"%s\" already exists", name);
        ok = false;
    }
    free(inserted);
    return ok;
}

static bool print_device(void *ctx, int columns, const char *const *v)
{
    (void)columns;
    fprintf(ctx, "%-24s %-10s %-24s added %s%s%s\n", v[0], v[2], v[1], v[3],
            v[4] ? ", revoked " : "", v[4] ? v[4] : "");
    return true;
}

bool repo_device_list(Repo *r, FILE *out)
{
    char why[256];
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db,
                       "SELECT name, site, role, created_at, revoked_at FROM devices ORDER BY name",
                       0, NULL, print_device, out, why, sizeof why);
    pthread_mutex_unlock(&r->lock);
    if (!ok)
        log_error("central", "cannot list devices: %s", why);
    return ok;
}

bool repo_device_revoke(Repo *r, const char *name, bool *found, char *why, size_t why_size)
{
    char when[TIME_TEXT_SIZE];
    now_text(when);
    const char *params[] = {name, when};
    char *hit;
    bool ok = query_value(r,
                          "UPDATE devices SET revoked_at = $2 WHERE name = $1 "
                          "AND revoked_at IS NULL RETURNING name",
                          2, params, &hit, why, why_size);
    *found = hit != NULL;
    free(hit);
    return ok;
}

static bool read_principal(void *ctx, int columns, const char *const *v)
{
    Principal *p = ctx;
    if (columns == 3) {
        snprintf(p->name, sizeof p->name, "%s", v[0]);
        snprintf(p->site, sizeof p->site, "%s", v[1]);
        p->role = strcmp(v[2], "admin") == 0 ? ROLE_ADMIN : ROLE_DEVICE;
    }
    return false;
}

AuthResult repo_authenticate(Repo *r, const char *token, Principal *out)
{
    char hash[TOKEN_HASH_SIZE], why[256];
    if (!token || !token_hash(token, hash))
        return AUTH_REJECTED;
    memset(out, 0, sizeof *out);
    const char *params[] = {hash};
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db,
                       "SELECT name, site, role FROM devices "
                       "WHERE token_hash = $1 AND revoked_at IS NULL",
                       1, params, read_principal, out, why, sizeof why);
    pthread_mutex_unlock(&r->lock);
    if (!ok) {
        log_error("central", "cannot check a token: %s", why);
        return AUTH_UNAVAILABLE;
    }
    return out->name[0] ? AUTH_OK : AUTH_REJECTED;
}

/* --- ingest --- */

enum { FLAG_COUNT_MAX = 8, FLAG_NAME_MAX = 32, EVENT_TEXT_MAX = 80 };

typedef struct {
    const char *id, *questionnaire_id, *language, *mode, *submitted_at;
    const char *venue;
    const char *event_name, *event_session; /* NULL when not given */
    char version[24];
    char flags[FLAG_COUNT_MAX * (FLAG_NAME_MAX + 1)]; /* comma-joined, "" for none */
    char *canonical; /* heap: sorted keys, compact: the identity of the content */
    char *answers;   /* heap */
    char hash[33];
} Incoming;

static bool submitted_at_valid(const char *s)
{
    /* "2026-11-23T14:00Z" as the kiosk writes it. */
    static const char shape[] = "dddd-dd-ddTdd:ddZ";
    if (strlen(s) != sizeof shape - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            return false;
    return true;
}

/* A flag name: a-z first, then a-z, 0-9 or '-', at most FLAG_NAME_MAX, so a
 * comma can join them in one column. */
static bool flag_valid(const char *s)
{
    size_t n = strlen(s);
    bool ok = n >= 1 && n <= FLAG_NAME_MAX && s[0] >= 'a' && s[0] <= 'z';
    for (size_t i = 1; ok && i < n; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-';
    return ok;
}

/* "venue" and "event": absent means a kiosk, as every device before them
 * was. An event's details are optional even at an event, since a kiosk
 * refused here would hold the response rather than lose a name. */
static bool venue_read(json_t *obj, Incoming *in, char *why, size_t why_size)
{
    json_t *venue = json_object_get(obj, "venue");
    json_t *event = json_object_get(obj, "event");
    json_t *session = json_object_get(event, "session");
    const char *problem = NULL;
    in->venue = venue ? json_string_value(venue) : "kiosk";
    in->event_name = in->event_session = NULL;
    VenueKind kind;
    if (!venue_kind_parse(in->venue, &kind))
        problem = "has an invalid \"venue\" (kiosk, event or survey)";
    else if (event && kind != VENUE_EVENT)
        problem = "has an \"event\", which is only for venue \"event\"";
    else if (event && !json_is_object(event))
        problem = "has an invalid \"event\" (an object with a \"name\" and maybe a \"session\")";
    else if (event && (!(in->event_name = json_string_value(json_object_get(event, "name"))) ||
                       !utf8_plain_text(in->event_name, 1, EVENT_TEXT_MAX)))
        problem = "has no valid \"event\".\"name\" (1 to 80 characters, no control characters)";
    else if (session && (!(in->event_session = json_string_value(session)) ||
                         !utf8_plain_text(in->event_session, 0, EVENT_TEXT_MAX)))
        problem = "has an invalid \"event\".\"session\" (up to 80 characters, no control "
                  "characters)";
    if (problem)
        snprintf(why, why_size, "%s", problem);
    else if (in->event_session && !*in->event_session)
        in->event_session = NULL; /* one way to say "no session" in queries */
    return !problem;
}

/* "flags": what the kiosk noticed for staff to look at. Names it does not
 * know yet are kept, so newer kiosks need no newer central. */
static bool flags_read(json_t *obj, Incoming *in, char *why, size_t why_size)
{
    json_t *flags = json_object_get(obj, "flags");
    size_t count = json_array_size(flags), used = 0;
    bool ok = !flags || (json_is_array(flags) && count >= 1 && count <= FLAG_COUNT_MAX);
    in->flags[0] = '\0';
    if (!ok)
        snprintf(why, why_size, "has invalid \"flags\" (a list of 1 to %d names)", FLAG_COUNT_MAX);
    for (size_t i = 0; ok && i < count; i++) {
        const char *flag = json_string_value(json_array_get(flags, i));
        if (!flag || !flag_valid(flag)) {
            snprintf(why, why_size,
                     "has an invalid \"flags\"[%zu] (a-z first, then a-z, 0-9 or -; at most %d)", i,
                     FLAG_NAME_MAX);
            ok = false;
        }
        for (size_t j = 0; ok && j < i; j++)
            if (strcmp(flag, json_string_value(json_array_get(flags, j))) == 0) {
                snprintf(why, why_size, "has the flag \"%s\" twice", flag);
                ok = false;
            }
        if (ok)
            used += (size_t)snprintf(in->flags + used, sizeof in->flags - used, "%s%s",
                                     i ? "," : "", flag);
    }
    return ok;
}

/* Fills `in` from one response object, or writes why it cannot be stored. */
static bool incoming_read(json_t *obj, Incoming *in, char *why, size_t why_size)
{
    json_t *q = json_object_get(obj, "questionnaire");
    json_t *version = json_object_get(q, "version");
    json_t *answers = json_object_get(obj, "answers");
    const char *missing = NULL;
    if (!json_is_object(obj))
        missing = "is not an object";
    else if (!(in->id = json_string_value(json_object_get(obj, "id"))) || !uuid_valid(in->id))
        missing = "has no valid \"id\" (a version 4 UUID)";
    else if (!json_is_object(q) ||
             !(in->questionnaire_id = json_string_value(json_object_get(q, "id"))) ||
             !id_valid(in->questionnaire_id))
        missing = "has no valid \"questionnaire\".\"id\"";
    else if (!json_is_integer(version) || json_integer_value(version) < 1)
        missing = "has no valid \"questionnaire\".\"version\"";
    else if (!(in->language = json_string_value(json_object_get(obj, "language"))) ||
             !language_code_valid(in->language))
        missing = "has no valid \"language\"";
    else if (!(in->mode = json_string_value(json_object_get(obj, "mode"))) ||
             (strcmp(in->mode, "self") != 0 && strcmp(in->mode, "assisted") != 0 &&
              strcmp(in->mode, "paper") != 0))
        missing = "has no valid \"mode\" (self, assisted or paper)";
    else if (!(in->submitted_at = json_string_value(json_object_get(obj, "submitted_at"))) ||
             !submitted_at_valid(in->submitted_at))
        missing = "has no valid \"submitted_at\" (YYYY-MM-DDTHH:MMZ)";
    else if (!json_is_object(answers))
        missing = "has no \"answers\" object";
    if (missing) {
        snprintf(why, why_size, "%s", missing);
        return false;
    }
    if (!venue_read(obj, in, why, why_size) || !flags_read(obj, in, why, why_size))
        return false;
    snprintf(in->version, sizeof in->version, "%" JSON_INTEGER_FORMAT, json_integer_value(version));
    in->canonical = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    in->answers = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    if (!in->canonical || !in->answers) {
        snprintf(why, why_size, "cannot be re-encoded");
        return false;
    }
    token_content_hash(in->canonical, strlen(in->canonical), in->hash);
    return true;
}

static char *error_reply(const char *fmt, const char *detail)
{
    char message[512];
    snprintf(message, sizeof message, fmt, detail);
    json_t *o = json_pack("{s:s}", "error", message);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

/* One response inside the open transaction: new, the same again, or a
 * conflict to keep aside. */
static bool store_one(Repo *r, const Principal *device, const Incoming *in, const char *when,
                      bool *conflict, char *why, size_t why_size)
{
    const char *params[] = {
        in->id,      in->hash,      device->site, device->name,     in->questionnaire_id,
        in->version, in->language,  in->mode,     in->submitted_at, when,
        in->answers, in->canonical, in->venue,    in->event_name,   in->event_session,
        in->flags};
    char *seq = NULL, *existing = NULL;
    bool ok = db_query(r->db,
                       "INSERT INTO responses (id, content_hash, site, device, questionnaire_id, "
                       "questionnaire_version, language, collection_mode, submitted_at, "
                       "received_at, answers, body, venue, event_name, event_session, flags) "
                       "VALUES ($1, $2, $3, $4, $5, CAST($6 AS BIGINT), $7, $8, $9, $10, $11, "
                       "$12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING seq",
                       16, params, keep_first, &seq, why, why_size);
    *conflict = false;
    if (ok && !seq) {
        const char *id_param[] = {in->id};
        ok = db_query(r->db, "SELECT content_hash FROM responses WHERE id = $1", 1, id_param,
                      keep_first, &existing, why, why_size);
        if (ok && existing && strcmp(existing, in->hash) != 0) {
            *conflict = true;
            const char *c[] = {in->id, in->hash, device->name, when, in->canonical};
            ok = db_query(r->db,
                          "INSERT INTO conflicts (id, content_hash, device, received_at, body) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id, content_hash) DO NOTHING",
                          5, c, NULL, NULL, why, why_size);
        }
    }
    free(seq);
    free(existing);
    return ok;
}

void repo_ingest(Repo *r, const Principal *device, const char *body, size_t length,
                 IngestResult *out)
{
    json_error_t err;
    json_t *root = json_loadb(body, length, JSON_REJECT_DUPLICATES, &err);
    json_t *list = json_object_get(root, "responses");
    Incoming *items = NULL;
    size_t count = 0;
    char why[512];
    out->status = 400;
    out->reply = NULL;
    if (!root) {
        char where[320];
        snprintf(where, sizeof where, "line %d column %d: %s", err.line, err.column, err.text);
        out->reply = error_reply("body is not valid JSON (%s)", where);
        goto done;
    }
    if (!json_is_array(list) || json_array_size(list) == 0) {
        out->reply = error_reply("%s", "body must be {\"responses\": [ ... ]} with at least one");
        goto done;
    }
    count = json_array_size(list);
    if (count > SYNC_BATCH_MAX) {
        char n[32];
        snprintf(n, sizeof n, "%d", SYNC_BATCH_MAX);
        out->status = 413;
        out->reply = error_reply("a batch holds at most %s responses", n);
        count = 0;
        goto done;
    }
    items = mem_array(count, sizeof *items);
    for (size_t i = 0; i < count; i++) {
        char reason[160];
        if (!incoming_read(json_array_get(list, i), &items[i], reason, sizeof reason)) {
            snprintf(why, sizeof why, "responses[%zu] %s", i, reason);
            out->reply = error_reply("%s", why);
            goto done;
        }
    }
    char when[TIME_TEXT_SIZE];
    now_text(when);
    json_t *accepted = json_array(), *conflicts = json_array();
    pthread_mutex_lock(&r->lock);
    bool ok = begin(r, why, sizeof why);
    for (size_t i = 0; ok && i < count; i++) {
        bool conflict = false;
        ok = store_one(r, device, &items[i], when, &conflict, why, sizeof why);
        json_array_append_new(conflict ? conflicts : accepted, json_string(items[i].id));
    }
    if (ok)
        ok = db_script(r->db, "COMMIT", why, sizeof why);
    if (!ok)
        rollback(r);
    pthread_mutex_unlock(&r->lock);
    if (!ok) {
        log_error("central", "could not store a batch from %s: %s", device->name, why);
        out->status = 503;
        out->reply = error_reply("%s", "storage is unavailable; try again later");
    } else {
        out->status = json_array_size(conflicts) ? 409 : 200;
        json_t *reply = json_pack("{s:O,s:O}", "accepted", accepted, "conflicts", conflicts);
        if (out->status == 409)
            json_object_set_new(reply, "error",
                                json_string("some ids were already used for different content; "
                                            "those are kept aside for staff"));
        out->reply = json_dumps(reply, JSON_COMPACT);
        json_decref(reply);
    }
    json_decref(accepted);
    json_decref(conflicts);
done:
    for (size_t i = 0; i < count && items; i++) {
        free(items[i].canonical);
        free(items[i].answers);
    }
    free(items);
    json_decref(root);
    if (!out->reply)
        out->reply = mem_strdup("{\"error\":\"out of memory\"}");
}

/* --- questionnaires --- */

bool repo_publish(Repo *r, const char *site, const char *id, long version, const char *text,
                  char *why, size_t why_size)
{
    char when[TIME_TEXT_SIZE], v[24];
    now_text(when);
    snprintf(v, sizeof v, "%ld", version);
    const char *params[] = {site, id, v, text, when};
    pthread_mutex_lock(&r->lock);
    /* A re-published questionnaire keeps its place in the menu. */
    bool ok =
        db_query(r->db,
                 "INSERT INTO questionnaires (site, id, version, position, body, published_at) "
                 "VALUES ($1, $2, CAST($3 AS BIGINT), "
                 "(SELECT COALESCE(MAX(position), 0) + 1 FROM questionnaires WHERE site = $1), "
                 "$4, $5) ON CONFLICT (site, id) DO UPDATE SET version = excluded.version, "
                 "body = excluded.body, published_at = excluded.published_at",
                 5, params, NULL, NULL, why, why_size);
    pthread_mutex_unlock(&r->lock);
    return ok;
}

bool repo_withdraw(Repo *r, const char *site, const char *id, bool *found, char *why,
                   size_t why_size)
{
    const char *params[] = {site, id};
    char *hit;
    bool ok = query_value(r, "DELETE FROM questionnaires WHERE site = $1 AND id = $2 RETURNING id",
                          2, params, &hit, why, why_size);
    *found = hit != NULL;
    free(hit);
    return ok;
}

typedef struct {
    FILE *out;
    bool first;
} SetBuilder;

static bool append_questionnaire(void *ctx, int columns, const char *const *v)
{
    SetBuilder *b = ctx;
    (void)columns;
    fprintf(b->out, "%s%s", b->first ? "" : ",", v[0]);
    b->first = false;
    return true;
}

bool repo_questionnaires(Repo *r, const char *site, char **body, char **etag)
{
    char *text = NULL, why[256];
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return false;
    json_t *name = json_string(site);
    char *site_json = json_dumps(name, JSON_ENCODE_ANY);
    json_decref(name);
    fprintf(out, "{\"site\":%s,\"questionnaires\":[", site_json ? site_json : "\"\"");
    free(site_json);
    SetBuilder b = {out, true};
    const char *params[] = {site};
    pthread_mutex_lock(&r->lock);
    bool ok =
        db_query(r->db, "SELECT body FROM questionnaires WHERE site = $1 ORDER BY position, id", 1,
                 params, append_questionnaire, &b, why, sizeof why);
    pthread_mutex_unlock(&r->lock);
    fputs("]}", out);
    if (fclose(out) != 0 && ok) { /* the last flush failed: the text is cut */
        snprintf(why, sizeof why, "out of memory");
        ok = false;
    }
    if (!ok) {
        log_error("central", "cannot read questionnaires for %s: %s", site, why);
        free(text);
        return false;
    }
    char hash[33];
    token_content_hash(text, size, hash);
    *etag = mem_alloc(36);
    snprintf(*etag, 36, "\"%s\"", hash);
    *body = text;
    return true;
}

/* --- export --- */

static bool date_valid(const char *s, time_t *out)
{
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%d", &tm);
    if (!end || *end || strlen(s) != 10)
        return false;
    struct tm check = tm;
    time_t t = timegm(&check);
    if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon)
        return false; /* 2026-02-30 */
    *out = t;
    return true;
}

bool export_query_valid(const ExportQuery *q, char *why, size_t why_size)
{
    time_t t;
    if (q->from && *q->from && !date_valid(q->from, &t)) {
        snprintf(why, why_size, "--from \"%s\" is not a date like 2026-11-23", q->from);
        return false;
    }
    if (q->to && *q->to && !date_valid(q->to, &t)) {
        snprintf(why, why_size, "--to \"%s\" is not a date like 2026-11-23", q->to);
        return false;
    }
    return true;
}

static const char *const CENTRAL_COLUMNS[] = {"id",
                                              "site",
                                              "device",
                                              "questionnaire_id",
                                              "questionnaire_version",
                                              "language",
                                              "collection_mode",
                                              "venue",
                                              "event_name",
                                              "event_session",
                                              "flags",
                                              "submitted_at",
                                              "received_at",
                                              "answers"};
enum { CENTRAL_COLUMN_COUNT = sizeof CENTRAL_COLUMNS / sizeof CENTRAL_COLUMNS[0] };
/* Where the JSON export finds what it adds to each body; the body itself
 * comes after the CSV columns. */
enum {
    COLUMN_SITE = 1,
    COLUMN_DEVICE = 2,
    COLUMN_RECEIVED_AT = 12,
    COLUMN_BODY = CENTRAL_COLUMN_COUNT
};

typedef struct {
    FILE *out;
    CentralExportFormat format;
    bool first;
} ExportWriter;

static bool export_row(void *ctx, int columns, const char *const *v)
{
    ExportWriter *w = ctx;
    if (w->format == CENTRAL_EXPORT_CSV) {
        csv_write_row(w->out, v, CENTRAL_COLUMN_COUNT);
    } else {
        json_t *body = columns > COLUMN_BODY ? json_loads(v[COLUMN_BODY], 0, NULL) : NULL;
        if (body) {
            json_object_set_new(body, "received_at", json_string(v[COLUMN_RECEIVED_AT]));
            json_object_set_new(
                body, "received_from",
                json_pack("{s:s,s:s}", "site", v[COLUMN_SITE], "device", v[COLUMN_DEVICE]));
            char *text = json_dumps(body, JSON_COMPACT);
            fprintf(w->out, "%s\n%s", w->first ? "" : ",", text ? text : "null");
            free(text);
            json_decref(body);
        }
    }
    w->first = false;
    return true;
}

bool repo_export(Repo *r, const ExportQuery *q, CentralExportFormat format, FILE *out, char *why,
                 size_t why_size)
{
    if (!export_query_valid(q, why, why_size))
        return false;
    char to_next[16] = "";
    time_t t;
    struct tm tm;
    if (q->to && *q->to && date_valid(q->to, &t)) {
        t += (time_t)24 * 3600;
        /* gmtime_r: requests are served on several threads. */
        if (!gmtime_r(&t, &tm) || !strftime(to_next, sizeof to_next, "%Y-%m-%d", &tm)) {
            snprintf(why, why_size, "--to \"%s\" is not a date like 2026-11-23", q->to);
            return false;
        }
    }
    const char *params[] = {q->site ? q->site : "", q->from ? q->from : "", to_next};
    ExportWriter w = {out, format, true};
    if (format == CENTRAL_EXPORT_CSV)
        csv_write_row(out, CENTRAL_COLUMNS, CENTRAL_COLUMN_COUNT);
    else
        fputs("[", out);
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db,
                       "SELECT id, site, device, questionnaire_id, "
                       "CAST(questionnaire_version AS TEXT), language, collection_mode, venue, "
                       "event_name, event_session, flags, submitted_at, received_at, answers, "
                       "body FROM responses "
                       "WHERE (CAST($1 AS TEXT) = '' OR site = $1) "
                       "AND (CAST($2 AS TEXT) = '' OR submitted_at >= $2) "
                       "AND (CAST($3 AS TEXT) = '' OR submitted_at < $3) ORDER BY seq",
                       3, params, export_row, &w, why, why_size);
    pthread_mutex_unlock(&r->lock);
    if (format == CENTRAL_EXPORT_JSON)
        fputs("\n]\n", out);
    return ok && fflush(out) == 0 && !ferror(out);
}

static bool print_conflict(void *ctx, int columns, const char *const *v)
{
    (void)columns;
    fprintf(ctx, "%s from %s at %s: %s\n", v[0], v[1], v[2], v[3]);
    return true;
}

bool repo_conflicts(Repo *r, FILE *out)
{
    char why[256];
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db, "SELECT id, device, received_at, body FROM conflicts ORDER BY seq", 0,
                       NULL, print_conflict, out, why, sizeof why);
    pthread_mutex_unlock(&r->lock);
    if (!ok)
        log_error("central", "cannot list conflicts: %s", why);
    return ok;
}

static bool print_flagged(void *ctx, int columns, const char *const *v)
{
    (void)columns;
    fprintf(ctx, "%s %s %s %s %s %s\n", v[0], v[1], v[2], v[3], v[4], v[5]);
    return true;
}

bool repo_flagged(Repo *r, const char *site, FILE *out)
{
    char why[256];
    const char *params[] = {site ? site : ""};
    pthread_mutex_lock(&r->lock);
    bool ok = db_query(r->db,
                       "SELECT id, site, device, submitted_at, flags, answers FROM responses "
                       "WHERE flags <> '' AND (CAST($1 AS TEXT) = '' OR site = $1) "
                       "ORDER BY submitted_at, seq",
                       1, params, print_flagged, out, why, sizeof why);
    pthread_mutex_unlock(&r->lock);
    if (!ok)
        log_error("central", "cannot list flagged responses: %s", why);
    return ok && fflush(out) == 0 && !ferror(out);
}
