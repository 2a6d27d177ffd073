/* screens/cmd_demo.c: `dify-tui demo`, the whole flow on a machine with no
 * cluster and nothing to install by hand beyond the packages.
 *
 * In a temporary directory of its own (removed at the end, unless --keep):
 *   1. dify-sim, the local Kubernetes API simulator, with a real PostgreSQL
 *      and Redis of its own (docs/sim.md, "The Dify model"): an empty
 *      cluster with the data stores an existing-cluster install points at;
 *   2. the answers for that cluster (existing cluster, the built-in
 *      manifests, the test size, the stores' host names and passwords),
 *      opened in the wizard on a terminal (Review writes them), used as they
 *      are without one;
 *   3. the real install plan against the simulator: the simulator's stores
 *      coming up, preflight, the plugin database, namespace, Secrets,
 *      application, migration Job, rollouts, checks; the cloud steps are
 *      listed as skipped, saying why;
 *   4. the "kept volume" story: the release is uninstalled with its data
 *      kept, installed again with a newly generated database password (what
 *      a reinstall does), and the old database refuses it: the product says
 *      so and where; with the old password back, the install resumes.
 * Everything it started stops when it ends (Ctrl-C included): dify-sim's
 * keeper stops the stores however dify-sim ends. Nothing outside the
 * temporary directory is touched: the kubeconfig, the logs, the state and
 * the stores' data all live there. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/problems.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/cmd_install.h"
#include "screens/cmds.h"
#include "screens/progress.h"
#include "screens/wizard.h"

#define DEMO_DB_HOST "postgres.demo.internal"
#define DEMO_REDIS_HOST "redis.demo.internal"
#define DEMO_STORES_MS 120000 /* initdb on a slow machine */

struct demo {
    char *dir;
    char *answers, *secrets, *kubeconfig, *sim_log, *scenario;
    char *db_pw, *redis_pw, *super_pw;
    struct loop *loop;
    struct proc *sim;
    bool sim_ended;
    char sim_why[600];
    double speed;
    bool keep, no_tui;
    bool left; /* the directory could not be removed entirely */
    int signals;
    struct global_opts g; /* the install's: the kubeconfig */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("\n==> ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

/* A password: 24 hex digits from the random source (no quoting needed in
 * YAML, a URL or a conninfo). */
static char *demo_password(const char *salt)
{
    char *r = secret_generate(12);
    if (!r)
        return xstrdup(salt);
    return r;
}

/* ---- dify-sim ---- */

static char *sim_binary(void)
{
    const char *env = getenv("DIFY_SIM");
    if (env && *env)
        return xstrdup(env);
    char *exe = realpath("/proc/self/exe", NULL);
    if (exe) {
        char *slash = strrchr(exe, '/');
        *slash = '\0';
        const char *cands[] = {"sim/dify-sim", "dify-sim"};
        for (size_t i = 0; i < ARRAY_LEN(cands); i++) {
            char *p = path_join(exe, cands[i]);
            if (access(p, X_OK) == 0) {
                free(exe);
                return p;
            }
            free(p);
        }
        free(exe);
    }
    return xstrdup("dify-sim"); /* on PATH (installed) */
}

static void sim_line(enum proc_stream s, const char *line, size_t len, void *arg)
{
    log_info("dify-sim: %.*s", (int)len, line);
}

static void sim_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct demo *d = arg;
    d->sim = NULL;
    d->sim_ended = true;
    if (err)
        snprintf(d->sim_why, sizeof(d->sim_why), "%.500s", err->msg);
    else
        snprintf(d->sim_why, sizeof(d->sim_why), "dify-sim exited");
    log_info("dify-sim ended: %s", d->sim_why);
}

static int write_scenario(struct demo *d, struct error *err)
{
    char *text =
        xasprintf("# dify-tui demo: an empty cluster with ingress-nginx's class, a PostgreSQL\n"
                  "# and a Redis, both\n"
                  "# real servers on 127.0.0.1 in this directory, reached by the pods as\n"
                  "# " DEMO_DB_HOST " and " DEMO_REDIS_HOST ".\n"
                  "name: dify-tui-demo\n"
                  "description: an empty cluster and its data stores, for dify-tui demo\n"
                  "dataStores:\n"
                  "  postgres:\n"
                  "    hosts: [" DEMO_DB_HOST "]\n"
                  "    superuserPassword: %s\n"
                  "    users:\n"
                  "      - {name: dify, password: %s, createdb: true}\n"
                  "    databases: [dify]\n"
                  "  redis:\n"
                  "    hosts: [" DEMO_REDIS_HOST "]\n"
                  "    password: %s\n"
                  "objects:\n"
                  "  # an existing cluster runs an ingress controller (preflight checks it)\n"
                  "  - {apiVersion: networking.k8s.io/v1, kind: IngressClass,\n"
                  "     metadata: {name: nginx}, spec: {controller: k8s.io/ingress-nginx}}\n",
                  d->super_pw, d->db_pw, d->redis_pw);
    int rc = file_write_atomic(d->scenario, text, strlen(text), 0600, err);
    str_free_secret(text);
    return rc;
}

static int sim_start(struct demo *d, struct error *err)
{
    if (write_scenario(d, err) < 0)
        return -1;
    char *bin = sim_binary();
    char speed[32];
    snprintf(speed, sizeof(speed), "%g", d->speed);
    const char *argv[] = {
        bin,           "--scenario", d->scenario, "--speed", speed, "--kubeconfig-out",
        d->kubeconfig, "--log",      d->sim_log,  NULL};
    /* its stores' data directory goes under TMPDIR: the demo's own */
    char *tmpdir = xasprintf("TMPDIR=%s", d->dir);
    const char *env[] = {tmpdir, NULL};
    struct proc_opts o = {
        .argv = argv, .env = env, .on_line = sim_line, .done = sim_done, .arg = d};
    d->sim = proc_start(d->loop, &o);
    free(bin);
    free(tmpdir);
    /* the kubeconfig appears once the server listens */
    for (int i = 0; i < 300 && !d->sim_ended; i++) {
        if (access(d->kubeconfig, R_OK) == 0)
            return 0;
        loop_run_once(d->loop, 100);
    }
    return error_set(err, ERR_PROCESS, 0, "dify-sim did not start: %s (its log: %s)",
                     d->sim_ended ? d->sim_why : "no kubeconfig after 30 s", d->sim_log);
}

static void sim_stop(struct demo *d)
{
    if (!d->sim)
        return;
    /* SIGTERM: dify-sim stops its stores' keeper and removes their data */
    proc_signal(d->sim, SIGTERM);
    /* it waits up to 15 s for its keeper to stop the stores and remove
     * their data: a little longer here, or the keeper would still be
     * removing files in the demo's directory while the demo removes it */
    for (int i = 0; i < 200 && d->sim; i++)
        loop_run_once(d->loop, 100);
    if (d->sim) {
        proc_cancel(d->sim);
        d->sim = NULL;
    }
}

/* ---- the demo's own step: the stores coming up ---- */

struct stores_step {
    struct demo *d;
    struct plan_ctx *ctx; /* the install's, filled with where PostgreSQL is */
    struct step_run *sr;
    long long timer, deadline;
    int pg_port, redis_port;
};

/* "... PostgreSQL listens on 127.0.0.1:PORT" in dify-sim's log */
static int log_port(const char *log, const char *what)
{
    const char *p = strstr(log, what);
    if (!p)
        return 0;
    p += strlen(what);
    return atoi(p);
}

static void stores_poll(struct loop *l, long long id, void *arg)
{
    struct stores_step *s = arg;
    s->timer = 0;
    char *text = NULL;
    size_t len = 0;
    struct error err;
    error_clear(&err);
    if (file_read_all(s->d->sim_log, 16u << 20, &text, &len, &err) == 0) {
        if (!s->pg_port && (s->pg_port = log_port(text, "PostgreSQL listens on 127.0.0.1:")))
            step_run_say(s->sr, "PostgreSQL listens on 127.0.0.1:%d", s->pg_port);
        if (!s->redis_port && (s->redis_port = log_port(text, "Redis listens on 127.0.0.1:")))
            step_run_say(s->sr, "Redis listens on 127.0.0.1:%d", s->redis_port);
        const char *bad = strstr(text, " error dify-sim: ");
        if (bad)
            bad += strlen(" error dify-sim: ");
        if (bad && !(s->pg_port && s->redis_port)) {
            const char *nl = strchr(bad, '\n');
            error_set(&err, ERR_PROCESS, 0, "the simulator's data stores did not start: %.*s",
                      (int)(nl ? nl - bad : (long)strlen(bad)), bad);
        }
    }
    free(text);
    if (!error_is_set(&err) && s->pg_port && s->redis_port) {
        s->ctx->db_reach_host = "127.0.0.1";
        s->ctx->db_reach_port = s->pg_port;
        step_run_summary(s->sr,
                         "PostgreSQL on 127.0.0.1:%d and Redis on 127.0.0.1:%d, "
                         "reached by the pods as " DEMO_DB_HOST " and " DEMO_REDIS_HOST,
                         s->pg_port, s->redis_port);
        struct step_run *sr = s->sr;
        s->sr = NULL;
        step_run_done(sr, NULL);
        return;
    }
    if (!error_is_set(&err) && s->d->sim_ended)
        error_set(&err, ERR_PROCESS, 0, "dify-sim ended: %s", s->d->sim_why);
    if (!error_is_set(&err) && now_ms() > s->deadline)
        error_set(&err, ERR_PROCESS, 0,
                  "the simulator's PostgreSQL and Redis were not up within "
                  "%d s (see %s)",
                  DEMO_STORES_MS / 1000, s->d->sim_log);
    if (error_is_set(&err)) {
        step_run_hint(s->sr, "the demo needs the PostgreSQL server and redis-server packages "
                             "(scripts/dev.sh setup installs them)");
        step_run_permanent(s->sr);
        struct step_run *sr = s->sr;
        s->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    step_run_status(s->sr, "waiting for %s%s%s", s->pg_port ? "" : "PostgreSQL",
                    !s->pg_port && !s->redis_port ? " and " : "", s->redis_port ? "" : "Redis");
    s->timer = loop_add_timer(l, 200, stores_poll, s);
}

static void stores_start(struct step_run *sr, void *data)
{
    struct stores_step *s = data;
    s->sr = sr;
    s->pg_port = s->redis_port = 0;
    s->deadline = now_ms() + DEMO_STORES_MS;
    stores_poll(step_run_loop(sr), 0, s);
}

static void stores_cancel(struct step_run *sr, void *data)
{
    struct stores_step *s = data;
    if (s->timer)
        loop_cancel_timer(step_run_loop(sr), s->timer);
    s->timer = 0;
    s->sr = NULL;
}

static const struct step_ops stores_ops = {"demo-stores", stores_start, stores_cancel, NULL, free};

static void demo_extend(struct plan *p, struct plan_ctx *c, void *arg)
{
    struct demo *d = arg;
    struct stores_step *s = xcalloc(1, sizeof(*s));
    s->d = d;
    s->ctx = c;
    struct plan_step *st =
        plan_add(p, STAGE_PREFLIGHT, "demo-stores", "Wait for the simulator's PostgreSQL and Redis",
                 &stores_ops, s);
    plan_step_note(st, "dify-sim runs them on 127.0.0.1 in %s", d->dir);
    plan_step_always(st);
    /* what reaches the database from here needs to know where it is */
    struct plan_step *x = plan_find(p, "preflight-database");
    if (x && plan_step_stage(x) == STAGE_PREFLIGHT)
        plan_step_after(x, "demo-stores");
}

/* ---- the answers ---- */

static int write_answers(struct demo *d, struct error *err)
{
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    p.method = METHOD_MANIFESTS;
    profile_apply_edition_target(&p);
    str_replace(&p.cluster.kubeconfig, d->kubeconfig);
    str_replace(&p.db.host, DEMO_DB_HOST);
    p.db.port = 5432;
    str_replace(&p.db.user, "dify");
    str_replace(&p.db.name, "dify");
    str_replace(&p.db.sslmode, "disable");
    str_replace(&p.redis.host, DEMO_REDIS_HOST);
    p.redis.port = 6379;
    p.redis.tls = false;
    p.vector.kind = VECTOR_PGVECTOR;
    str_replace(&p.vector.host, "");
    p.storage.kind = STORAGE_LOCAL;
    /* one api and one worker: local file storage on a ReadWriteOnce
     * volume is then shared by pods the scheduler can keep together (the
     * simulator offers no ReadWriteMany class) */
    p.comp[COMP_API].replicas = 1;
    p.comp[COMP_WORKER].replicas = 1;
    str_replace(&p.domains.web_host, "dify.demo.internal");
    int rc = answers_save(d->answers, &p, err);
    profile_done(&p);
    if (rc < 0)
        return -1;
    struct secrets s;
    secrets_init(&s);
    s.db_password = xstrdup(d->db_pw);
    s.redis_password = xstrdup(d->redis_pw);
    rc = secrets_save(d->secrets, &s, err);
    secrets_done(&s);
    return rc;
}

/* The secrets file with the database password replaced. */
static int set_db_password(struct demo *d, const char *pw, struct error *err)
{
    if (!pw) {
        error_set(err, ERR_INVALID, 0, "no database password");
        return -1;
    }
    struct secrets s;
    struct problems probs;
    secrets_init(&s);
    problems_init(&probs);
    int rc = secrets_load(d->secrets, &s, &probs, err);
    problems_done(&probs);
    if (rc == 0) {
        str_free_secret(s.db_password);
        s.db_password = xstrdup(pw);
        rc = secrets_save(d->secrets, &s, err);
    }
    secrets_done(&s);
    return rc;
}

/* ---- running ---- */

/* The options of the demo's install or uninstall (g: its kubeconfig, kept
 * by the caller for as long as the run). */
static struct install_opts demo_opts(struct demo *d, enum install_kind k, bool delete_data,
                                     const struct global_opts *g)
{
    return (struct install_opts){.kind = k,
                                 .cmd = k == RUN_INSTALL ? "install" : "uninstall",
                                 .answers = d->answers,
                                 .secrets = d->secrets,
                                 .yes = true,
                                 .delete_data = delete_data,
                                 .no_tui = true,
                                 .g = g,
                                 .demo = true,
                                 .rollout_timeout_ms = 180000,
                                 .migration_timeout_ms = 180000,
                                 .loop = d->loop,
                                 .extend = k == RUN_INSTALL ? demo_extend : NULL,
                                 .extend_arg = d};
}

static int demo_install(struct demo *d, enum install_kind k, bool delete_data)
{
    struct global_opts g = {.kubeconfig = d->kubeconfig};
    struct install_opts o = demo_opts(d, k, delete_data, &g);
    return install_run(&o);
}

static void show_pods(struct demo *d)
{
    struct global_opts g = {.kubeconfig = d->kubeconfig, .ns = "dify"};
    char *argv[] = {"get", "pods", NULL};
    cmd_get.run(2, argv, &g);
    log_set_echo(NULL); /* get echoes the log to stderr; the demo's lines are its own */
    fflush(stdout);
}

/* The kept-volume story (seed 003): a reinstall generates a new database
 * password, but the database kept the old one. */
static int kept_volume(struct demo *d)
{
    struct error err;
    int rc;
    error_clear(&err);
    say("the kept-volume story: uninstall, keeping the data");
    if (demo_install(d, RUN_UNINSTALL, false) != EXIT_OK)
        return EXIT_FAIL;
    say("install again, as a reinstall does: with a newly generated database password");
    /* the demo's stores stand for the user's own PostgreSQL, whose password
     * the install never makes up; a reinstall of a chart-managed database
     * (seed 003) generates one, and so does the demo here */
    char *fresh = secret_generate_alnum(24);
    rc = set_db_password(d, fresh, &err);
    str_free_secret(fresh);
    if (rc < 0) {
        fprintf(stderr, "dify-tui demo: %s\n", err.msg);
        return EXIT_FAIL;
    }
    rc = demo_install(d, RUN_INSTALL, false);
    if (rc == EXIT_OK) {
        fprintf(stderr, "dify-tui demo: the install with the new password should have been "
                        "refused by the old database, and was not\n");
        return EXIT_FAIL;
    }
    say("caught: the database kept the first install's password (PostgreSQL keeps a role's "
        "password in its data, so a new Secret does not change it). The fix is the old password "
        "in the secrets file (or ALTER ROLE on the server); putting it back and installing again "
        "resumes where it stopped");
    if (set_db_password(d, d->db_pw, &err) < 0) {
        fprintf(stderr, "dify-tui demo: %s\n", err.msg);
        return EXIT_FAIL;
    }
    return demo_install(d, RUN_INSTALL, false);
}

/* An entry already gone is not an error: dify-sim's keeper may still be
 * removing its stores' data directory in here when the demo ends. */
static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    struct demo *d = arg;
    d->signals++;
}

static bool wait_key(void)
{
    printf("\nPress Enter for the kept-volume story, or q and Enter to stop here: ");
    fflush(stdout);
    char buf[64];
    if (!fgets(buf, sizeof(buf), stdin))
        return false;
    return buf[0] != 'q' && buf[0] != 'Q';
}

/* Install now, on the wizard's Review page: the demo's install behind the
 * progress pane, on the demo's loop (where the simulator runs). */
static struct screen *demo_pane(const char *answers_path, void *arg, struct error *err)
{
    struct demo *d = arg;
    struct install_opts o = demo_opts(d, RUN_INSTALL, false, &d->g);
    o.answers = answers_path;
    o.no_tui = false;
    return progress_launch(&o, d->loop, NULL, NULL, err);
}

/* On a terminal: the wizard opens the demo's answers; Review writes them,
 * and Install now runs the install behind the progress pane, to the summary
 * (the dashboard once there is one). EXIT_OK once installed there, 3 when
 * the wizard wrote the files but did not install (the caller installs with
 * lines), -1 without a usable terminal, else how it failed. */
#define DEMO_WRITTEN 3
static int run_wizard(struct demo *d)
{
    struct error err;
    error_clear(&err);
    struct wizard_opts wo = {
        .answers = d->answers, .workdir = d->dir, .install = demo_pane, .install_arg = d};
    struct wizard_result result = {0};
    struct screen *s = wizard_screen_new(&wo, &result, &err);
    if (!s) {
        fprintf(stderr, "dify-tui demo: %s\n", err.msg);
        wizard_result_done(&result);
        return EXIT_FAIL;
    }
    struct app app;
    if (app_init_on(&app, d->loop, &err) < 0) {
        s->ops->free(s);
        wizard_result_done(&result);
        return -1; /* no usable terminal: run unattended */
    }
    app_push_now(&app, s);
    int status = app_run(&app);
    app_done(&app);
    /* the app's handlers are gone: Ctrl-C is the demo's again */
    loop_watch_signal(d->loop, SIGINT, on_signal, d);
    loop_watch_signal(d->loop, SIGTERM, on_signal, d);
    bool written = result.written, installing = result.installing;
    wizard_result_done(&result);
    if (!written) {
        printf("dify-tui demo: the wizard was left without writing; nothing was installed\n");
        return EXIT_FAIL;
    }
    if (!installing)
        return DEMO_WRITTEN;
    if (status != EXIT_OK)
        printf(
            "dify-tui demo: the install did not finish (its log: %s/answers.state/install.log)\n",
            d->dir);
    return status;
}

static void demo_done(struct demo *d)
{
    sim_stop(d);
    if (d->dir && !d->keep) {
        /* dify-sim's keeper may still be removing its stores' data in here
         * (a directory can vanish under nftw): a few tries, 0.2 s apart */
        int rc = -1;
        for (int i = 0; i < 10 && rc != 0; i++) {
            if (i > 0 && d->loop)
                loop_run_once(d->loop, 200);
            rc = nftw(d->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
            if (rc != 0 && access(d->dir, F_OK) != 0 && errno == ENOENT)
                rc = 0;
        }
        d->left = rc != 0;
    }
    free(d->dir);
    free(d->answers);
    free(d->secrets);
    free(d->kubeconfig);
    free(d->sim_log);
    free(d->scenario);
    str_free_secret(d->db_pw);
    str_free_secret(d->redis_pw);
    str_free_secret(d->super_pw);
    if (d->loop)
        loop_free(d->loop);
}

static int demo_run(struct demo *d)
{
    struct error err;
    error_clear(&err);
    const char *tmp = getenv("TMPDIR");
    d->dir = xasprintf("%s/dify-tui-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(d->dir)) {
        fprintf(stderr, "dify-tui demo: cannot make a temporary directory: %s\n", strerror(errno));
        free(d->dir);
        d->dir = NULL;
        return EXIT_FAIL;
    }
    /* Others may pass through it, not list it (the files that matter are
     * 0600): the stores' keeper runs PostgreSQL as the postgres user when
     * the demo runs as root, and its data directory is in here. */
    chmod(d->dir, 0711);
    d->answers = path_join(d->dir, "answers.yaml");
    d->secrets = path_join(d->dir, "answers.secrets.yaml");
    d->kubeconfig = path_join(d->dir, "kubeconfig");
    d->g.kubeconfig = d->kubeconfig;
    d->sim_log = path_join(d->dir, "dify-sim.log");
    d->scenario = path_join(d->dir, "demo-scenario.yaml");
    d->db_pw = demo_password("demoDb");
    d->redis_pw = demo_password("demoRedis");
    d->super_pw = demo_password("demoSuper");
    log_add_secret(d->db_pw);
    log_add_secret(d->redis_pw);
    log_add_secret(d->super_pw);
    char *log_path = path_join(d->dir, "demo.log");
    log_open(log_path);
    free(log_path);
    printf("dify-tui demo: everything lives in %s%s\n", d->dir,
           d->keep ? " (kept afterwards: --keep)" : " (removed at the end)");
    /* The demo's stores have secrets of their own: a DIFY_*_PASSWORD (or
     * key) exported for a real install must not override them. */
    for (size_t i = 0; i < secret_nfields; i++)
        if (secret_fields[i].env)
            unsetenv(secret_fields[i].env);
    if (write_answers(d, &err) < 0) {
        fprintf(stderr, "dify-tui demo: %s\n", err.msg);
        return EXIT_FAIL;
    }
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && !d->no_tui;
    if (!tty)
        printf("no terminal (or --no-tui): the demo's answers are used as they are:\n  %s\n",
               d->answers);
    d->loop = loop_new();
    loop_watch_signal(d->loop, SIGINT, on_signal, d);
    loop_watch_signal(d->loop, SIGTERM, on_signal, d);
    say("starting dify-sim (an empty cluster) with its PostgreSQL and Redis");
    if (sim_start(d, &err) < 0) {
        fprintf(stderr, "dify-tui demo: %s\n", err.msg);
        return EXIT_FAIL;
    }
    printf("kubeconfig: %s (try: KUBECONFIG=%s kubectl get pods -A)\n", d->kubeconfig,
           d->kubeconfig);
    int rc = DEMO_WRITTEN;
    if (tty) {
        /* the wizard, then Install now: the progress pane */
        rc = run_wizard(d);
        if (rc < 0)
            tty = false;
    }
    if (rc < 0 || rc == DEMO_WRITTEN) {
        say("the install plan, against the simulator");
        rc = demo_install(d, RUN_INSTALL, false);
    }
    if (rc != EXIT_OK || d->signals)
        return rc != EXIT_OK ? rc : EXIT_FAIL;
    say("installed: the pods, read by dify-tui's client");
    show_pods(d);
    if (tty && !wait_key())
        return EXIT_OK;
    rc = kept_volume(d);
    if (rc == EXIT_OK) {
        say("the reinstall over the kept data works with the old password: the pods");
        show_pods(d);
    }
    return rc;
}

static int cmd_demo_run(int argc, char **argv, const struct global_opts *g)
{
    struct demo d = {.speed = 5};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--keep"))
            d.keep = true;
        else if (!strcmp(argv[i], "--no-tui"))
            d.no_tui = true;
        else if (!strcmp(argv[i], "--speed") && i + 1 < argc) {
            char *end;
            d.speed = strtod(argv[++i], &end);
            if (*end || d.speed < 1 || d.speed > 100) {
                fprintf(stderr, "dify-tui demo: --speed %s: a number from 1 to 100\n%s", argv[i],
                        cmd_demo.usage);
                return EXIT_BADINPUT;
            }
        } else {
            fprintf(stderr, "dify-tui demo: unknown argument %s\n%s", argv[i], cmd_demo.usage);
            return EXIT_BADINPUT;
        }
    }
    int rc = demo_run(&d);
    char *dir = d.dir ? xstrdup(d.dir) : NULL;
    demo_done(&d);
    if (dir)
        printf("\ndify-tui demo: dify-sim and its stores stopped; %s %s\n", dir,
               d.keep   ? "kept"
               : d.left ? "could not be removed entirely: remove it by hand"
                        : "removed (dify-tui demo --keep keeps its files)");
    free(dir);
    return rc;
}

const struct command cmd_demo = {
    "demo", "install Dify onto a local simulated cluster, end to end",
    "usage: dify-tui demo [--no-tui] [--keep] [--speed X]\n"
    "  Starts dify-sim with a real PostgreSQL and Redis in a temporary directory,\n"
    "  opens the wizard on the demo's answers (on a terminal), runs the install plan\n"
    "  against it, then the kept-volume story: a reinstall whose new database\n"
    "  password meets the old database. Everything stops and the directory goes\n"
    "  when it ends.\n"
    "  --no-tui   no wizard; progress as lines (also without a terminal)\n"
    "  --keep     keep the temporary directory (state, logs, rendered files)\n"
    "  --speed X  the simulator's clock runs X times faster (default 5)\n",
    cmd_demo_run};
