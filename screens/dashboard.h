/* screens/dashboard.h: the live dashboard, one screen with k9s's views and
 * keys over the model of core/status.h: overview (a row per Dify component,
 * the health strip), pods, rollouts, jobs, events, logs, describe and YAML;
 * actions with confirmation (rollout restart, rollback, re-run the
 * migration Job, delete a pod) unless read-only; namespace and context
 * switching. `dify-tui dashboard` opens it; the install runner and `dify-tui
 * demo` push it when they are done (docs/dashboard.md). */
#ifndef SCREENS_DASHBOARD_H
#define SCREENS_DASHBOARD_H

#include <stdbool.h>

struct error;
struct kube_client;
struct screen;
struct status;

struct dashboard_opts {
    /* Where to look; each may be NULL (kubeconfig's defaults). Used to make
     * a client when none is given, and for :ctx switches. */
    const char *kubeconfig;
    const char *context;
    const char *ns;
    /* The install's state directory: its journal names the components and
     * versions the last install deployed (missing ones are shown). NULL:
     * none. */
    const char *journal_dir;
    bool read_only; /* no actions: restart, rollback, re-run, delete are gone */
    /* Borrowed, optional: a client of the caller's (the runner's, on the
     * same loop); the dashboard makes its own otherwise. */
    struct kube_client *client;
    /* Borrowed, optional: a model to show instead of making one (screen
     * tests feed one by hand). */
    struct status *model;
    /* The clock (Unix seconds) for ages and "since"; NULL: time(). */
    long long (*now)(void);
};

/* The dashboard screen. Nothing is contacted before it is pushed (its enter
 * starts the watches on the app's loop). Fails (err) only for options that
 * cannot work: a kubeconfig that does not load when no client is given. */
struct screen *dashboard_screen_new(const struct dashboard_opts *o, struct error *err);

#endif
