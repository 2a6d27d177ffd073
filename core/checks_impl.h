/* core/checks_impl.h: what a check's code uses (core/checks_*.c): the
 * cluster objects the run fetched, its own state, requests that stop with
 * it, and the calls that end it. Not for screens: they use core/checks.h.
 *
 * Facts are the namespace's objects (and the cluster's nodes, storage and
 * ingress classes), listed once per run and shared by the checks that
 * declare them in `needs`. A check starts once its facts are there; one
 * that could not be listed skips the check with the API server's message.
 * They are kept as the API's JSON for the run's life: a diagnosis reads
 * fields no projection keeps (environments, volumes, annotations, a
 * Secret's data), and a snapshot a check holds stays valid until it ends
 * even when a re-run fetches a newer one. */
#ifndef CORE_CHECKS_IMPL_H
#define CORE_CHECKS_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/checks.h"
#include "core/kube_client.h"

struct cJSON;

enum check_fact {
    FACT_NODES,
    FACT_STORAGECLASSES,
    FACT_INGRESSCLASSES,
    FACT_PODS,
    FACT_DEPLOYMENTS,
    FACT_STATEFULSETS,
    FACT_DAEMONSETS,
    FACT_JOBS,
    FACT_SERVICES,
    FACT_INGRESSES,
    FACT_CONFIGMAPS,
    FACT_SECRETS,
    FACT_SERVICEACCOUNTS,
    FACT_PVCS,
    FACT__COUNT
};
#define NEED(f) (1u << (f))
/* Everything that describes the application's workloads and their
 * configuration. */
#define NEED_APP                                                                                   \
    (NEED(FACT_PODS) | NEED(FACT_DEPLOYMENTS) | NEED(FACT_STATEFULSETS) | NEED(FACT_DAEMONSETS) |  \
     NEED(FACT_JOBS) | NEED(FACT_CONFIGMAPS) | NEED(FACT_SECRETS) | NEED(FACT_SERVICES))

/* "pods", "storage classes", ... for messages. */
const char *check_fact_name(enum check_fact f);

const struct check_env *check_env(const struct check *c);
const struct check_def *check_def_of(const struct check *c);
/* The items of a fact the check declared (a JSON array, maybe empty). */
const struct cJSON *check_fact(const struct check *c, enum check_fact f);
/* Whether the fact was read: a wanted fact the API refused reads as empty
 * above, which is not "there are none". */
bool check_fact_read(const struct check *c, enum check_fact f);

/* The check's own state: whatever start allocates; stop frees it. */
void *check_state(const struct check *c);
void check_set_state(struct check *c, void *state);

/* Building the result, any time before the end. Evidence lines pass the
 * log's redaction of registered secrets; callers never put a secret value
 * in one (secrets are compared by hash). */
void check_evidence(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_explain(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_try(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_more(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What the check is waiting for now ("the plugin daemon's /health/check"):
 * the evidence of a check that reaches its deadline. */
void check_waiting(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The end, with the summary. After it, nothing the check does counts; its
 * stop runs on the next loop turn (so ending from inside a library's
 * callback is safe). */
void check_ok(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_warn(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_fail(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_skip(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool check_ended(const struct check *c);

/* Offers a host key the check did not trust (struct check_hostkey): the
 * screen shows it and may accept it (check_run_accept_host_key). */
void check_offer_host_key(struct check *c, const char *type, const char *fingerprint,
                          const char *host, int port, const char *known_hosts);

/* A Kubernetes request that belongs to the check: cancelled when it ends.
 * NULL when the run has no client (done is not called then). */
struct kube_req *check_kube(struct check *c, const struct kube_req_opts *o, kube_done_cb done,
                            void *arg);

/* The namespace-qualified kubectl prefix for remedies: "kubectl -n dify". */
const char *check_kubectl(const struct check *c);

#endif
