/* support: helpers shared by the cmocka unit tests: checking that a loader
 * reported a problem at the right line:column, and reading a database's
 * schema version, temporary folders, questionnaires from source text.
 * Header-only (static inline) so each test stays one file.
 * Include after <cmocka.h>. */
#ifndef SAYSO_TESTS_SUPPORT_H
#define SAYSO_TESTS_SUPPORT_H

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/questionnaire.h"

static inline void dump(const Diagnostics *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("    diag %d:%d: %s\n", d->items[i].line, d->items[i].column,
                      d->items[i].message);
}

static inline const Diagnostic *find_diag(const Diagnostics *d, const char *fragment)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->items[i].message, fragment))
            return &d->items[i];
    return NULL;
}

/* Fails the test unless a problem mentioning `fragment` is at line:column. */
static inline void assert_diag_at(const Diagnostics *d, const char *fragment, int line, int column)
{
    const Diagnostic *item = find_diag(d, fragment);
    if (!item) {
        dump(d);
        fail_msg("no diagnostic containing \"%s\"", fragment);
    }
    if (item->line != line || item->column != column) {
        dump(d);
        fail_msg("\"%s\" reported at %d:%d, expected %d:%d", fragment, item->line, item->column,
                 line, column);
    }
}

/* PRAGMA user_version of a database file, opened read-only. */
static inline int user_version(const char *db_path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return version;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Deletes a test's temporary folder and everything in it. */
static inline void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A questionnaire from a test's source text; any problem is printed with
 * its position and the result is NULL. */
static inline Questionnaire *fixture_questionnaire(const char *source)
{
    Diagnostics diag;
    diag_init(&diag);
    Questionnaire *q = questionnaire_parse(source, strlen(source), NULL, "assets/pictures", &diag);
    for (size_t i = 0; i < diag.count; i++)
        print_error("fixture %d:%d: %s\n", diag.items[i].line, diag.items[i].column,
                    diag.items[i].message);
    if (diag.count) {
        questionnaire_destroy(q);
        q = NULL;
    }
    diag_deinit(&diag);
    return q;
}

#endif
