/* core/checks.h: the diagnostics: every known way a Dify installation
 * breaks, as a check that finds it, says so plainly and gives the command
 * that fixes it (docs/diagnose.md lists them all).
 *
 * A check has a stable id numbered by area as popeye numbers its codes
 * ("DT-401": area 4, PostgreSQL), a title, and once run a status (ok, warn,
 * fail, or skipped with the reason), a one-line summary, the evidence it saw
 * (never a secret value: secrets are compared by hash and every line passes
 * the log's redaction), and a remedy in gitlab:check's shape: "Try: <one
 * command>" and where to read more.
 *
 * Checks run concurrently on the program's loop. The cluster objects they
 * read are listed once per run and shared ("facts"); each check has its own
 * deadline, so one endpoint that never answers ends its own check as failed
 * and holds up no other. The run tells its owner of every change (the
 * diagnostics screen redraws a row; `diagnose` prints at the end). */
#ifndef CORE_CHECKS_H
#define CORE_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

struct check;
struct check_run;
struct error;
struct kube_client;
struct loop;
struct profile;
struct secrets;

enum check_status {
    CHECK_PENDING, /* not started yet */
    CHECK_RUNNING,
    CHECK_OK,
    CHECK_WARN,
    CHECK_FAIL,
    CHECK_SKIPPED /* not checked, with the reason in the summary */
};

/* "pending", "running", "ok", "warn", "fail", "skipped". */
const char *check_status_name(enum check_status s);

/* Areas, in display order; an area's number is the first digits of its ids. */
enum check_area {
    AREA_CLUSTER = 1,
    AREA_WORKLOADS = 2,
    AREA_SECRETS = 3,
    AREA_POSTGRES = 4,
    AREA_REDIS = 5,
    AREA_DAEMON = 6,
    AREA_INGRESS = 7,
    AREA_IRSA = 8,
    AREA_MIGRATION = 9,
    AREA_REMOTE = 10,
};
#define CHECK_AREA_FIRST AREA_CLUSTER
#define CHECK_AREA_LAST AREA_REMOTE

/* "cluster", "workloads", ... (what --only takes). */
const char *check_area_name(enum check_area a);
/* "Cluster", "Workloads", "PostgreSQL", ... (headings). */
const char *check_area_title(enum check_area a);

/* What a run is about and what it may use. Strings are borrowed for the
 * run's life. */
struct check_env {
    struct loop *loop;
    struct kube_client *kube; /* NULL: no cluster (why in kube_error) */
    const char *kube_error;
    const char *kubeconfig_desc;   /* "FILE, context C", for messages */
    const char *ns;                /* the application namespace */
    const char *release;           /* the release / name prefix, "dify" */
    const struct profile *profile; /* NULL: no answers file */
    const struct secrets *secrets; /* NULL: none */
    const char *answers_path;      /* for messages */
    /* Where to reach the data stores from this machine instead of the
     * host the installation names (a port-forward, the simulator's port). */
    const char *db_reach_host;
    int db_reach_port;
    const char *redis_reach_host;
    int redis_reach_port;
    /* The remote checks: known_hosts (NULL: the profile's, else
     * ~/.ssh/known_hosts) and a bastion host key the person accepted after
     * seeing its fingerprint ("SHA256:..."): it is added to known_hosts. */
    const char *known_hosts;
    const char *accept_fingerprint;
    long long timeout_ms; /* each check's deadline; 0: 30 s */
};

/* A host key the check met and did not trust (an SSH bastion not in
 * known_hosts): what a person compares before accepting it. */
struct check_hostkey {
    char *type;        /* "ssh-ed25519" */
    char *fingerprint; /* "SHA256:..." */
    char *host;        /* the bastion */
    int port;
    char *known_hosts; /* the file the key is added to when accepted */
};

struct check_result {
    enum check_status status;
    char *summary;   /* one line */
    char *explain;   /* why it matters / what happened, a paragraph; may be NULL */
    char **evidence; /* lines */
    size_t nevidence;
    char *try_cmd; /* one command a person can paste; may be NULL */
    char *more;    /* where to read more (docs/diagnose.md#dt-401, an upstream issue) */
    long long elapsed_ms;
    struct check_hostkey *hostkey; /* NULL: no key to accept */
};

struct check_def {
    const char *id; /* "DT-401" */
    enum check_area area;
    const char *title;
    unsigned needs; /* CHECK_FACT bits (core/checks_impl.h) */
    /* Starts the check; it ends through check_ok/warn/fail/skip, at once or
     * from a later callback. */
    void (*start)(struct check *c);
    /* Cancels what start began and frees its state, when the check is
     * stopped before it ended (deadline, re-run, the run freed). */
    void (*stop)(struct check *c);
    long long timeout_ms; /* 0: the run's */
    /* Facts used when there are (CHECK_FACT bits): fetched like needs, but
     * one that cannot be read (no cluster, a refused list) is empty for the
     * check instead of skipping it. The data store checks read the pods'
     * environment this way and fall back to the answers file. */
    unsigned wants;
};

/* The built-in checks, in id order: i < check_def_count(). */
size_t check_def_count(void);
const struct check_def *check_def_at(size_t i);
/* The check with this id, or NULL. */
const struct check_def *check_def_find(const char *id);

/* A change: check i's status or result changed (i == (size_t)-1: the run
 * as a whole finished: nothing pending or running). */
typedef void (*check_run_cb)(struct check_run *r, size_t i, void *arg);

/* A run of the checks whose id or area name is in only (NULL or n 0: all).
 * Fails (ERR_INVALID, naming it) for an id or area that does not exist. */
struct check_run *check_run_new(const struct check_env *env, const char *const *only, size_t nonly,
                                check_run_cb cb, void *arg, struct error *err);
/* The same over another table (tests). */
struct check_run *check_run_new_defs(const struct check_env *env, const struct check_def *defs,
                                     size_t ndefs, check_run_cb cb, void *arg);
/* Stops everything under way (no callback after this) and frees. */
void check_run_free(struct check_run *r);

/* Starts every check; one that is already running starts again. The
 * cluster's objects are fetched again. */
void check_run_start(struct check_run *r);
/* Starts check i again (its facts fetched again). */
void check_run_restart(struct check_run *r, size_t i);
/* The person accepted the host key with this fingerprint after seeing it
 * (a check's hostkey): the run's checks trust an unknown bastion offering
 * exactly this key and append it to known_hosts. Re-run the check to use
 * it. */
void check_run_accept_host_key(struct check_run *r, const char *fingerprint);
/* True while something is pending or running. */
bool check_run_busy(const struct check_run *r);

size_t check_run_count(const struct check_run *r);
const struct check_def *check_run_def(const struct check_run *r, size_t i);
const struct check_result *check_run_result(const struct check_run *r, size_t i);
/* Index of an id, or (size_t)-1. */
size_t check_run_find(const struct check_run *r, const char *id);
const struct check_env *check_run_env(const struct check_run *r);

/* 2 when a check failed, else 1 when one warned, else 0 (skipped checks
 * count as neither). */
int check_run_exit_code(const struct check_run *r);
/* How many checks have status s. */
size_t check_run_tally(const struct check_run *r, enum check_status s);

/* The run as JSON: {"checks":[{"id","area","title","status","summary",
 * "explain","evidence":[],"try","more","elapsed_ms"}],"summary":{...},
 * "exit":N}. Caller frees. */
char *check_run_json(const struct check_run *r);

#endif
