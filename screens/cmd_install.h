/* screens/cmd_install.h: what `install`, `uninstall` and `demo` share:
 * loading an answers file with its secrets, rendering into the install's
 * state directory, building the plan, and running it with the progress
 * printed as lines (or, on a terminal, behind the progress screen). */
#ifndef SCREENS_CMD_INSTALL_H
#define SCREENS_CMD_INSTALL_H

#include <stdbool.h>

#include "core/plan.h"
#include "screens/command.h"

struct error;
struct loop;
struct profile;
struct secrets;

enum install_kind { RUN_INSTALL, RUN_UNINSTALL };

struct install_opts {
    enum install_kind kind;
    const char *cmd;       /* "install", for messages */
    const char *answers;   /* --answers */
    const char *secrets;   /* --secrets, else beside the answers */
    const char *state_dir; /* --state-dir, else ANSWERS-STEM.state beside the answers */
    bool dry_run, yes, delete_data, no_tui, redo;
    const struct global_opts *g;
    /* The demo's: */
    bool demo;
    const char *db_reach_host;
    int db_reach_port;
    char *db_reach_host_buf; /* --db-address's host, owned */
    long long rollout_timeout_ms, migration_timeout_ms;
    struct loop *loop; /* NULL: a loop of its own */
    /* Called with the built plan and the run's context before it runs
     * (the demo adds its own steps). */
    void (*extend)(struct plan *p, struct plan_ctx *c, void *arg);
    void *extend_arg;
};

/* Runs it; returns the exit status (0 done, 1 failed or aborted, 2 bad input). */
int install_run(const struct install_opts *o);

/* The run's context from the options and the loaded profile and secrets
 * (kubeconfig and context: the flags, else the profile's). */
void install_ctx_fill(struct plan_ctx *c, const struct install_opts *o, const struct profile *p,
                      const struct secrets *s);
/* The install or uninstall plan for c, extended (o->extend) and checked. */
int install_build_plan(const struct install_opts *o, struct plan_ctx *c, struct plan **plan,
                       struct error *err);

/* The state directory for an answers file: "DIR/STEM.state" (caller frees). */
char *install_state_dir_for(const char *answers);

#endif
