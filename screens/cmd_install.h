/* screens/cmd_install.h: what `install`, `uninstall` and `demo` share:
 * loading an answers file with its secrets, rendering into the install's
 * state directory, building the plan, and running it with the progress
 * printed as lines (or, on a terminal, behind the progress screen). */
#ifndef SCREENS_CMD_INSTALL_H
#define SCREENS_CMD_INSTALL_H

#include <stdbool.h>

#include "core/plan.h"
#include "core/runner.h"
#include "screens/command.h"

struct error;
struct journal;
struct loop;
struct profile;
struct secrets;

enum install_kind { RUN_INSTALL, RUN_UNINSTALL, RUN_UPGRADE };

struct install_opts {
    enum install_kind kind;
    const char *cmd;       /* "install", for messages */
    const char *answers;   /* --answers */
    const char *secrets;   /* --secrets, else beside the answers */
    const char *state_dir; /* --state-dir, else ANSWERS-STEM.state beside the answers */
    bool dry_run, yes, delete_data, no_tui, redo;
    bool no_rollback, rollback; /* upgrade's --no-rollback, --rollback */
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

/* The command line of install, uninstall or upgrade (o->kind says which
 * flags apply); -1 after printing what is wrong and the usage. */
int install_parse(int argc, char **argv, struct install_opts *o, const struct command *cmd);
/* Answers and secrets loaded and validated, problems printed; missing
 * secrets generated (and saved unless o->dry_run). An exit status. */
int install_load_inputs(const struct install_opts *o, struct profile *p, struct secrets *s);
/* Runs plan (taken) with the progress printed as lines, on c->loop, with
 * the journal j (open, locked); Ctrl-C stops it cleanly. Returns how it
 * ended, *msg the runner's message (caller frees; may be NULL). */
enum runner_state install_run_lines(const struct install_opts *o, struct plan_ctx *c,
                                    struct journal *j, struct plan *plan, const char *log_path,
                                    char **msg);

/* A --dry-run's plan on stdout (made safe), then "(dry run: nothing was
 * changed)"; and the removal of its temporary directory. */
void install_print_dry_plan(const struct plan *plan);
void install_rm_tree(const char *dir);

/* The state directory for an answers file: "DIR/STEM.state" (caller frees). */
char *install_state_dir_for(const char *answers);

#endif
