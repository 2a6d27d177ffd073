/* core/rollout.h: rollout status computed exactly as kubectl computes it
 * (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go) for
 * Deployments, StatefulSets and DaemonSets, with the same message texts; and
 * our own rules for Jobs, which kubectl has no rollout status for. */
#ifndef CORE_ROLLOUT_H
#define CORE_ROLLOUT_H

#include <stddef.h>

#include "core/kube_store.h"

enum rollout_state {
    ROLLOUT_WAITING, /* not done yet: msg says what it waits for */
    ROLLOUT_DONE,    /* msg is kubectl's success line */
    ROLLOUT_FAILED,  /* msg is the error (kubectl prints "error: " before it) */
};

/* Fills msg (without a trailing newline) and returns the state. */
enum rollout_state rollout_status(enum kube_kind kind, const struct kube_obj *o, char *msg,
                                  size_t len);

#endif
