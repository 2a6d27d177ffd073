/* core/bundle_collect.h: gathers what a support bundle holds, on the loop.
 *
 * - every object in the namespace of every kind the kind registry knows
 *   (core/kube_kinds.h), one YAML file per kind, and of every other
 *   namespaced resource the API server's discovery lists (custom resources
 *   included), one file per resource;
 * - events, also as a table sorted by time (events.txt);
 * - each container's log, current and (when it restarted) previous, the
 *   last tail_lines lines and at most limit_bytes each;
 * - the Helm releases in the namespace: `helm get values` and `helm
 *   history` of each, through core/proc (when helm is on PATH);
 * - the installer's state directory (journal.jsonl and the other files in
 *   it) and the end of the program's log.
 * Whatever cannot be collected (a forbidden list, no helm, a container
 * without a previous log) is noted in the bundle's manifest with the reason;
 * it never stops the rest. */
#ifndef CORE_BUNDLE_COLLECT_H
#define CORE_BUNDLE_COLLECT_H

#include <stddef.h>

struct bundle;
struct bundle_collect;
struct kube_client;
struct loop;

struct bundle_collect_opts {
    struct kube_client *kube; /* NULL: nothing from the cluster (kube_error says why) */
    const char *kube_error;
    const char *ns;
    const char *kubeconfig;    /* passed to helm; may be NULL */
    const char *context;       /* passed to helm; may be NULL */
    const char *state_dir;     /* the install's state directory; may be NULL */
    const char *log_path;      /* the program's log; may be NULL */
    long tail_lines;           /* per container log; 0: 2000 */
    long limit_bytes;          /* per container log; 0: 1 MiB */
    const char *helm;          /* the helm program; NULL: "helm" on PATH */
    long long helm_timeout_ms; /* each helm command; 0: 60 s */
};

/* Called once, when everything was collected (or noted). */
typedef void (*bundle_collect_done_cb)(void *arg);

/* Starts collecting into b (borrowed until done). The options' strings are
 * copied. */
struct bundle_collect *bundle_collect_start(struct loop *l, struct bundle *b,
                                            const struct bundle_collect_opts *o,
                                            bundle_collect_done_cb done, void *arg);
/* Stops what is under way; done is not called. NULL is allowed. */
void bundle_collect_cancel(struct bundle_collect *c);
/* Requests and commands still running (progress). */
size_t bundle_collect_pending(const struct bundle_collect *c);

#endif
