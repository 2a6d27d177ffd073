/* core/rollout.c: kubectl's rollout status rules, message for message. Go's
 * %q of a Kubernetes name is the name in double quotes (names never contain
 * characters %q would escape). */
#include "config.h"

#include <stdio.h>

#include "core/rollout.h"
#include "core/util.h"

static enum rollout_state deployment(const struct kube_obj *o, char *msg, size_t len)
{
    const struct kube_workload *w = &o->u.wl;
    if (w->generation <= w->observed_generation) {
        if (str_eq(w->progressing_reason, "ProgressDeadlineExceeded")) {
            snprintf(msg, len, "deployment \"%s\" exceeded its progress deadline", o->name);
            return ROLLOUT_FAILED;
        }
        if (w->spec_replicas >= 0 && w->updated < w->spec_replicas) {
            snprintf(msg, len,
                     "Waiting for deployment \"%s\" rollout to finish: %d out of %d new replicas "
                     "have been updated...",
                     o->name, w->updated, w->spec_replicas);
            return ROLLOUT_WAITING;
        }
        if (w->replicas > w->updated) {
            snprintf(msg, len,
                     "Waiting for deployment \"%s\" rollout to finish: %d old replicas are "
                     "pending termination...",
                     o->name, w->replicas - w->updated);
            return ROLLOUT_WAITING;
        }
        if (w->available < w->updated) {
            snprintf(msg, len,
                     "Waiting for deployment \"%s\" rollout to finish: %d of %d updated replicas "
                     "are available...",
                     o->name, w->available, w->updated);
            return ROLLOUT_WAITING;
        }
        snprintf(msg, len, "deployment \"%s\" successfully rolled out", o->name);
        return ROLLOUT_DONE;
    }
    snprintf(msg, len, "Waiting for deployment spec update to be observed...");
    return ROLLOUT_WAITING;
}

static enum rollout_state statefulset(const struct kube_obj *o, char *msg, size_t len)
{
    const struct kube_workload *w = &o->u.wl;
    if (!str_eq(w->strategy, "RollingUpdate")) {
        snprintf(msg, len, "rollout status is only available for RollingUpdate strategy type");
        return ROLLOUT_FAILED;
    }
    if (w->observed_generation == 0 || w->generation > w->observed_generation) {
        snprintf(msg, len, "Waiting for statefulset spec update to be observed...");
        return ROLLOUT_WAITING;
    }
    if (w->spec_replicas >= 0 && w->ready < w->spec_replicas) {
        snprintf(msg, len, "Waiting for %d pods to be ready...", w->spec_replicas - w->ready);
        return ROLLOUT_WAITING;
    }
    if (w->has_rolling_update) {
        if (w->spec_replicas >= 0 && w->partition >= 0 &&
            w->updated < w->spec_replicas - w->partition) {
            snprintf(msg, len,
                     "Waiting for partitioned roll out to finish: %d out of %d new pods have been "
                     "updated...",
                     w->updated, w->spec_replicas - w->partition);
            return ROLLOUT_WAITING;
        }
        snprintf(msg, len, "partitioned roll out complete: %d new pods have been updated...",
                 w->updated);
        return ROLLOUT_DONE;
    }
    if (!str_eq(w->update_revision, w->current_revision)) {
        snprintf(msg, len,
                 "waiting for statefulset rolling update to complete %d pods at revision %s...",
                 w->updated, w->update_revision ? w->update_revision : "");
        return ROLLOUT_WAITING;
    }
    snprintf(msg, len, "statefulset rolling update complete %d pods at revision %s...", w->current,
             w->current_revision ? w->current_revision : "");
    return ROLLOUT_DONE;
}

static enum rollout_state daemonset(const struct kube_obj *o, char *msg, size_t len)
{
    const struct kube_workload *w = &o->u.wl;
    if (!str_eq(w->strategy, "RollingUpdate")) {
        /* kubectl names the StatefulSet constant here; its text is the same. */
        snprintf(msg, len, "rollout status is only available for RollingUpdate strategy type");
        return ROLLOUT_FAILED;
    }
    if (w->generation <= w->observed_generation) {
        if (w->updated_scheduled < w->desired_scheduled) {
            snprintf(msg, len,
                     "Waiting for daemon set \"%s\" rollout to finish: %d out of %d new pods have "
                     "been updated...",
                     o->name, w->updated_scheduled, w->desired_scheduled);
            return ROLLOUT_WAITING;
        }
        if (w->number_available < w->desired_scheduled) {
            snprintf(msg, len,
                     "Waiting for daemon set \"%s\" rollout to finish: %d of %d updated pods are "
                     "available...",
                     o->name, w->number_available, w->desired_scheduled);
            return ROLLOUT_WAITING;
        }
        snprintf(msg, len, "daemon set \"%s\" successfully rolled out", o->name);
        return ROLLOUT_DONE;
    }
    snprintf(msg, len, "Waiting for daemon set spec update to be observed...");
    return ROLLOUT_WAITING;
}

/* Jobs (our rules, see docs/kube.md): the Complete and Failed conditions
 * decide; before the controller sets one, failed pods are weighed against
 * backoffLimit. */
static enum rollout_state job(const struct kube_obj *o, char *msg, size_t len)
{
    const struct kube_job *j = &o->u.job;
    int want = j->completions >= 0 ? j->completions : 1;
    if (j->failed_cond) {
        snprintf(msg, len, "job \"%s\" failed: %s%s%s", o->name,
                 j->failed_reason ? j->failed_reason : "Failed", j->failed_message ? ": " : "",
                 j->failed_message ? j->failed_message : "");
        return ROLLOUT_FAILED;
    }
    if (j->complete) {
        snprintf(msg, len, "job \"%s\" successfully completed: %d of %d completions", o->name,
                 j->succeeded, want);
        return ROLLOUT_DONE;
    }
    if (j->failed > j->backoff_limit) {
        snprintf(msg, len, "job \"%s\" failed: %d failed pods exceed backoffLimit %d", o->name,
                 j->failed, j->backoff_limit);
        return ROLLOUT_FAILED;
    }
    snprintf(msg, len,
             "Waiting for job \"%s\" to complete: %d of %d completions, %d active, %d failed "
             "(backoffLimit %d)...",
             o->name, j->succeeded, want, j->active, j->failed, j->backoff_limit);
    return ROLLOUT_WAITING;
}

enum rollout_state rollout_status(enum kube_kind kind, const struct kube_obj *o, char *msg,
                                  size_t len)
{
    switch (kind) {
    case KUBE_DEPLOYMENT:
        return deployment(o, msg, len);
    case KUBE_STATEFULSET:
        return statefulset(o, msg, len);
    case KUBE_DAEMONSET:
        return daemonset(o, msg, len);
    case KUBE_JOB:
        return job(o, msg, len);
    default:
        snprintf(msg, len, "no rollout status for this kind");
        return ROLLOUT_FAILED;
    }
}
