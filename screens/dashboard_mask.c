/* screens/dashboard_mask.c: the values of the namespace's Secrets the user
 * may read, masked wherever the dashboard shows text (core/secret_mask.h
 * has the rule), so a pod that logs its database password shows "***"
 * even when no answers file told the process the password. Read when the
 * model starts (a namespace or context switch reads again) and again when
 * a log is opened more than DASH_MASK_STALE_MS after the last read (a
 * rotated password); the logs view and describe/YAML wait for the read,
 * so no line is made safe before its mask. A user who may not list Secrets is told once that their
 * values are not masked. One list (Helm's release Secrets left out by
 * their owner=helm label: large, and no value of their own). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/loop.h"
#include "core/secret_mask.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"

#define DASH_MASK_STALE_MS 30000

static void got(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash *d = arg;
    struct dash_mask *k = &d->mask;
    k->req = NULL;
    k->done = true;
    k->at = now_ms();
    struct secret_mask_stats st = {0};
    cJSON *j = err ? NULL : cJSON_ParseWithLength(body, len);
    if (err || !j) {
        char *safe = textsafe(err ? err->msg : "the reply is not JSON", 0, 300);
        snprintf(k->note, sizeof(k->note),
                 "the Secrets of namespace %s could not be read, so their values are not masked "
                 "in logs: %s",
                 k->ns, safe);
        free(safe);
        k->error = true;
    } else {
        secret_mask_add_list(j, &st);
        k->error = false;
        secret_mask_short_note(&st, k->note, sizeof(k->note));
        k->masked = st.masked;
    }
    cJSON_Delete(j);
    if (k->note[0])
        dash_flash(d, k->error, "%s", k->note);
    dash_logs_mask_ready(d);
    dash_detail_mask_ready(d);
    dash_dirty(d);
}

void dash_mask_load(struct dash *d)
{
    struct dash_mask *k = &d->mask;
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (!c || !d->loop) {
        k->done = true; /* nothing to read from: nothing to wait for */
        return;
    }
    if (k->req)
        return;
    snprintf(k->ns, sizeof(k->ns), "%s", status_namespace(d->m));
    char *path = kube_resource_path(kube_resource_get(KUBE_SECRET), k->ns, NULL);
    kube_query_add(&path, "labelSelector", "owner!=helm");
    struct kube_req_opts o = {.path = path};
    k->req = kube_request(c, &o, got, d);
    free(path);
}

bool dash_mask_ready(struct dash *d)
{
    struct dash_mask *k = &d->mask;
    if (k->req)
        return false;
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (!c || !d->loop)
        return true;
    if (!k->done || now_ms() - k->at > DASH_MASK_STALE_MS ||
        strcmp(k->ns, status_namespace(d->m)) != 0) {
        dash_mask_load(d);
        return k->req == NULL;
    }
    return true;
}

void dash_mask_cancel(struct dash *d)
{
    struct dash_mask *k = &d->mask;
    kube_req_cancel(k->req);
    k->req = NULL;
    k->done = false;
}
