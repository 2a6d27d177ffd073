/* core/plan.h: an install (or an uninstall) as steps with dependencies.
 *
 * A plan is built from the profile before anything runs: each part of the
 * installer adds its steps (core/steps_*.c, preflight.c) through the table
 * in plan.c. A step has an id (stable across runs: the journal knows steps
 * by it), a title a person reads, a stage, its own dependencies, and what it
 * will do, declared up front: the commands it runs (argv), the objects it
 * applies (YAML), notes for anything else ("CREATE DATABASE dify_plugin on
 * HOST:PORT as USER if it is missing") and inputs that are hashed but never
 * shown. `--dry-run` prints exactly that and changes nothing; the hash of it
 * all is the step's inputs hash, which the journal compares to skip a step
 * that finished before with the same inputs.
 *
 * Dependencies: a step runs after every step of a lower stage and after the
 * steps named with plan_step_after; steps of one stage without a dependency
 * between them run in parallel. The work itself is done by struct step_ops,
 * asynchronously on the loop, reporting through the step_run_* calls of
 * core/runner.h. */
#ifndef CORE_PLAN_H
#define CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct error;
struct loop;
struct plan;
struct plan_step;
struct profile;
struct secrets;
struct step_run;

/* Stages of an install, in order. Steps of a stage wait for every step of
 * the stages before it. */
enum plan_stage {
    STAGE_PREFLIGHT, /* checks only: nothing changes */
    STAGE_INFRA,     /* Terraform, the kubeconfig, cluster add-ons (LB controller) */
    STAGE_BASE,      /* namespace, Secrets, ServiceAccounts, ConfigMaps, storage, databases */
    STAGE_MIGRATE,   /* the migration Job, before the new version takes traffic */
    STAGE_APP,       /* the application: manifests, or helm upgrade --install */
    STAGE_ROLLOUT,   /* every component's rollout */
    STAGE_CHECK,     /* post-deploy checks */
};

/* What every step implementation may read. Owned by the command; lives
 * for the whole run. */
struct plan_ctx {
    struct loop *loop;
    const struct profile *profile;
    const struct secrets *secrets;
    const char *answers_path; /* the answers file, for messages */
    const char *rendered_dir; /* the rendered files (install renders them first) */
    const char *state_dir;    /* the journal, the lock, terraform's working copy */
    const char *kubeconfig;   /* --kubeconfig, else the profile's, else the default */
    const char *context;      /* --context, else the profile's */
    /* dify-tui demo: no cloud account; steps that need one are skipped
     * and say why. */
    bool demo;
    /* Where this machine reaches the database, when not at the profile's
     * db.host:db.port (the demo: the simulator's real PostgreSQL on
     * 127.0.0.1; NULL/0: the profile's). */
    const char *db_reach_host;
    int db_reach_port;
    /* Deadlines, scaled down by the demo and the tests (0: the defaults). */
    long long rollout_timeout_ms;   /* each component's rollout (default 10 min) */
    long long migration_timeout_ms; /* the migration Job (default 15 min) */
};

/* How a step does its work. start begins an attempt and returns at once;
 * the attempt ends with exactly one step_run_done (which may come from
 * inside start). One attempt runs at a time, so per-attempt state can live
 * in data. */
struct step_ops {
    const char *kind; /* "command", "apply", "migration", ... for the log */
    void (*start)(struct step_run *sr, void *data);
    /* Stop now: cancel every request and subprocess; no step_run_done
     * afterwards. Required. */
    void (*cancel)(struct step_run *sr, void *data);
    /* Optional: ask the work to stop cleanly (SIGINT to terraform); it ends
     * with step_run_done as usual. Without it, abort cancels. */
    void (*interrupt)(struct step_run *sr, void *data);
    /* Frees data with the plan. May be NULL. */
    void (*free_data)(void *data);
};

struct plan *plan_new(const char *what); /* "install", "uninstall" */
void plan_free(struct plan *p);
const char *plan_what(const struct plan *p);

/* Adds a step (ids are unique: a second one with the same id is a
 * programming error and aborts). data belongs to the plan from now on. */
struct plan_step *plan_add(struct plan *p, enum plan_stage stage, const char *id, const char *title,
                           const struct step_ops *ops, void *data);

/* ---- what a step needs and allows ---- */

void plan_step_after(struct plan_step *s, const char *id); /* must exist by plan_check */
/* Retriable: up to attempts in all, waiting first_wait_ms (default 2 s)
 * before the second, doubling, at most 60 s. Failures marked permanent by
 * the step (bad input, refused credentials) are not retried. */
void plan_step_retry(struct plan_step *s, int attempts, long long first_wait_ms);
void plan_step_skippable(struct plan_step *s); /* a person may skip it after a failure */
void plan_step_timeout(struct plan_step *s, long long ms); /* the runner's deadline */
/* Skipped in this plan, with the reason a person reads ("the demo has no
 * AWS account: no Terraform"). */
void plan_step_skip(struct plan_step *s, const char *reason);
/* Asked before the step starts (--yes answers it). loses_data marks a
 * question about deleting data: --yes alone does not answer it (the
 * runner's assume_yes_data does: `uninstall --delete-data`). */
void plan_step_confirm(struct plan_step *s, const char *question, bool loses_data);
/* Runs every time, never skipped as unchanged (waits and checks). */
void plan_step_always(struct plan_step *s);

/* ---- what a step does: --dry-run prints it, the inputs hash covers it ---- */

void plan_step_cmd(struct plan_step *s, const char *const *argv);
/* An object it applies, as YAML (what names it: "Secret dify/dify-secrets").
 * Secret values are masked when printed. */
void plan_step_object(struct plan_step *s, const char *what, const char *yaml);
void plan_step_note(struct plan_step *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hashed into the inputs, never printed (a password, a file's content). */
void plan_step_input(struct plan_step *s, const char *key, const char *value);

/* ---- reading a plan ---- */

size_t plan_count(const struct plan *p);
struct plan_step *plan_step_at(const struct plan *p, size_t i);
struct plan_step *plan_find(const struct plan *p, const char *id);
const char *plan_step_id(const struct plan_step *s);
const char *plan_step_title(const struct plan_step *s);
enum plan_stage plan_step_stage(const struct plan_step *s);
const struct step_ops *plan_step_ops(const struct plan_step *s);
void *plan_step_data(const struct plan_step *s);
const char *plan_step_skip_reason(const struct plan_step *s); /* NULL: runs */
const char *plan_step_question(const struct plan_step *s, bool *loses_data);
bool plan_step_is_always(const struct plan_step *s);
bool plan_step_is_skippable(const struct plan_step *s);
int plan_step_attempts(const struct plan_step *s, long long *first_wait_ms);
long long plan_step_timeout_ms(const struct plan_step *s);
/* True when s must wait for dep (stage or explicit). */
bool plan_step_depends_on(const struct plan_step *s, const struct plan_step *dep);
/* The SHA-256 of everything the step declared (hex, HASH_HEX_LEN). */
const char *plan_step_inputs_hash(struct plan_step *s);

/* Orders the steps by stage, keeping the order within a stage (after
 * steps were added out of order). */
void plan_sort_stages(struct plan *p);
/* Checks the plan: every dependency exists, no cycle. */
int plan_check(const struct plan *p, struct error *err);
/* The dry run: every step in order with its dependencies, commands, notes
 * and objects (Secret values masked, registered secrets masked). */
void plan_describe(const struct plan *p, struct strbuf *out);

/* ---- building the install plan from a profile ---- */

/* Each part adds its steps for the profile in ctx; returns -1 with err on
 * a profile it cannot serve. */
typedef int (*plan_part_fn)(struct plan *p, const struct plan_ctx *ctx, struct error *err);

/* The parts, in the order their steps are listed (plan.c's table). */
int steps_kube_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);

int plan_build_install(const struct plan_ctx *ctx, struct plan **out, struct error *err);
/* The install's steps as an "upgrade" plan (core/upgrade.h adds its own). */
int plan_build_upgrade(const struct plan_ctx *ctx, struct plan **out, struct error *err);
int plan_build_uninstall(const struct plan_ctx *ctx, struct plan **out, struct error *err);

#endif
