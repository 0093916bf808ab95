/* sync_link: the UI side of sync. The worker's callback runs on the worker
 * thread and only pushes an SDL event (SDL_PushEvent is thread-safe); all
 * state changes happen here, on the UI thread, when the event is handled. */
#include "ui/sync_link.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "sync/transport.h"
#include "sync/worker.h"
#include "ui/app.h"

static void on_report(void *ctx, SyncReport *report)
{
    Uint32 type = (Uint32)(uintptr_t)ctx;
    SDL_Event e;
    SDL_zero(e);
    e.type = type;
    e.user.data1 = report;
    if (SDL_PushEvent(&e) != 1)
        sync_report_free(report); /* queue full: the next report carries the news */
}

void sync_link_start(App *app)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sync.json", app->options->config_dir);
    sync_config_defaults(&app->sync_config);
    Diagnostics diag;
    diag_init(&diag);
    bool ok = sync_config_load(&app->sync_config, path, &diag);
    for (size_t i = 0; i < diag.count; i++)
        log_error("config", "%s:%d:%d: %s", path, diag.items[i].line, diag.items[i].column,
                  diag.items[i].message);
    diag_deinit(&diag);
    if (!ok) {
        log_error("sync", "sync.json is not valid; responses stay on this device");
        return;
    }
    if (!app->sync_config.enabled) {
        log_info("sync", "no server set; responses stay on this device");
        return;
    }
    app->sync_event = SDL_RegisterEvents(1);
    if (app->sync_event == (Uint32)-1 || !transport_global_init()) {
        app->sync_event = 0;
        log_error("sync", "cannot start sync; responses stay on this device");
        return;
    }
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): the event type rides as user data */
    void *event = (void *)(uintptr_t)app->sync_event;
    app->sync = sync_worker_start(&app->sync_config, app->options->data_dir, app->picture_dir,
                                  on_report, event);
}

void sync_link_stop(App *app)
{
    if (app->sync) {
        sync_worker_stop(app->sync);
        app->sync = NULL;
        transport_global_cleanup();
    }
    /* Reports still queued own memory. */
    SDL_Event e;
    while (app->sync_event &&
           SDL_PeepEvents(&e, 1, SDL_GETEVENT, app->sync_event, app->sync_event) == 1)
        sync_report_free(e.user.data1);
    questionnaire_set_destroy(app->pending_set);
    app->pending_set = NULL;
    sync_config_deinit(&app->sync_config);
}

void sync_link_kick(App *app)
{
    sync_worker_kick(app->sync);
}

static void free_menu(App *app)
{
    if (app->active_set)
        questionnaire_set_destroy(app->active_set);
    else
        for (int i = 0; i < app->questionnaire_count; i++)
            questionnaire_destroy(app->questionnaires[i]);
    app->active_set = NULL;
    app->questionnaire_count = 0;
}

/* Takes the set; an empty set means central publishes nothing for this
 * site, and the device's own questionnaires stay. */
static void use_set(App *app, QuestionnaireSet *set)
{
    if (set->count == 0) {
        questionnaire_set_destroy(set);
        return;
    }
    free_menu(app);
    app->active_set = set;
    for (size_t i = 0; i < set->count && i < APP_MAX_QUESTIONNAIRES; i++)
        app->questionnaires[app->questionnaire_count++] = set->items[i];
    log_info("sync", "menu now holds the %d questionnaire(s) from the server",
             app->questionnaire_count);
}

void sync_link_use_saved_set(App *app)
{
    char *etag = NULL, *body = NULL;
    if (!app->store || !store_questionnaire_set_load(app->store, &etag, &body) || !body) {
        free(etag);
        free(body);
        return;
    }
    Diagnostics diag;
    diag_init(&diag);
    QuestionnaireSet *set =
        questionnaire_set_parse(body, strlen(body), etag, app->picture_dir, &diag);
    if (set)
        use_set(app, set);
    else
        log_error("sync", "the saved questionnaire set is not usable (%s); using this device's own",
                  diag.count ? diag.items[0].message : "?");
    diag_deinit(&diag);
    free(etag);
    free(body);
}

void sync_link_apply_pending(App *app)
{
    if (!app->pending_set || app->session)
        return;
    QuestionnaireSet *set = app->pending_set;
    app->pending_set = NULL;
    use_set(app, set);
    app->dirty = true;
}

bool sync_link_event(App *app, const SDL_Event *e)
{
    if (!app->sync_event || e->type != app->sync_event)
        return false;
    SyncReport *r = e->user.data1;
    app->sync_status = *r;
    app->sync_status.new_set = NULL; /* the set is handled below, not kept here */
    app->sync_received = true;
    if (r->new_set) {
        questionnaire_set_destroy(app->pending_set);
        app->pending_set = r->new_set;
        r->new_set = NULL;
        /* Never while someone is answering: only on Welcome. */
        if (app->screen == &SCREEN_WELCOME)
            sync_link_apply_pending(app);
        /* Not ready only for want of questionnaires (the store is open):
         * central's set makes the kiosk ready. */
        if (app->screen == &SCREEN_NOT_READY && app->store && !app->session) {
            sync_link_apply_pending(app);
            if (app->questionnaire_count > 0)
                app_go(app, &SCREEN_WELCOME);
        }
    }
    sync_report_free(r);
    return true;
}
