/* screens/cmd_bundle.c: `dify-tui bundle --out FILE.tar.gz`: collects the
 * support bundle (core/bundle_collect.h), redacts it (core/redact.h), shows
 * what it will hold and writes it (core/bundle.h).
 *
 * The preview lists every file with its size and how many values were
 * hidden in it, what was left out and what could not be collected, then
 * asks; --yes skips the question for scripts. --no-redact asks first,
 * before anything is collected (--yes answers that too), and the file name
 * says UNREDACTED. Ctrl-C while collecting or writing leaves nothing under
 * the name asked for. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/bundle.h"
#include "core/bundle_collect.h"
#include "core/checks.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/paths.h"
#include "core/problems.h"
#include "core/profile.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmd_install.h" /* install_state_dir_for: X.yaml -> X.state */
#include "screens/cmds.h"
#include "screens/diagnose_setup.h" /* diagnose_hostport */

#define CMD "dify-tui bundle"

struct bundle_args {
    const char *out, *answers, *state_dir;
    char *db_host, *redis_host; /* the diagnostics' way to the data stores */
    int db_port, redis_port;
    bool yes, no_redact, no_diagnose;
    long tail_lines, limit_bytes;
    struct global_opts g;
};

static volatile sig_atomic_t g_stop;

static void on_signal_flag(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void echo_stderr(const char *level, const char *line)
{
    fprintf(stderr, "%s: %s\n", level, line);
}

/* "dify-tui bundle: MESSAGE" on stderr; the message may quote a server or
 * a file, so it passes the sanitiser. */
__attribute__((format(printf, 1, 2))) static void say_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *safe = textsafe(msg, 0, 0);
    fprintf(stderr, CMD ": %s\n", safe);
    free(safe);
    free(msg);
}

static bool parse_long(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !end || *end || end == s || v <= 0)
        return false;
    *out = v;
    return true;
}

static int parse_args(int argc, char **argv, const struct global_opts *g, struct bundle_args *a)
{
    memset(a, 0, sizeof(*a));
    a->g = *g;
    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        const char *arg = argv[i];
        if (!strcmp(arg, "--yes") || !strcmp(arg, "-y")) {
            a->yes = true;
        } else if (!strcmp(arg, "--no-redact")) {
            a->no_redact = true;
        } else if (!strcmp(arg, "--no-diagnose")) {
            a->no_diagnose = true;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--out", &missing))) {
            a->out = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--db", &missing)) ||
                   (!missing && (v = cmd_opt_value(argc, argv, &i, "--redis", &missing)))) {
            bool db = !strncmp(arg, "--db", 4);
            free(db ? a->db_host : a->redis_host);
            if (!diagnose_hostport(v, db ? &a->db_host : &a->redis_host,
                                   db ? &a->db_port : &a->redis_port)) {
                say_err("%s: '%s' is not HOST:PORT", db ? "--db" : "--redis", v);
                return EXIT_BADINPUT;
            }
        } else if ((v = cmd_opt_value(argc, argv, &i, "--answers", &missing))) {
            a->answers = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--state-dir", &missing))) {
            a->state_dir = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--kubeconfig", &missing))) {
            a->g.kubeconfig = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--context", &missing))) {
            a->g.context = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--namespace", &missing)) ||
                   (!missing && (v = cmd_opt_value(argc, argv, &i, "-n", &missing)))) {
            a->g.ns = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--tail-lines", &missing))) {
            if (!parse_long(v, &a->tail_lines)) {
                say_err("--tail-lines: '%s' is not a positive number", v);
                return EXIT_BADINPUT;
            }
        } else if ((v = cmd_opt_value(argc, argv, &i, "--limit-bytes", &missing))) {
            if (!parse_long(v, &a->limit_bytes)) {
                say_err("--limit-bytes: '%s' is not a positive number", v);
                return EXIT_BADINPUT;
            }
        } else {
            if (!missing) {
                say_err("unknown option %s", arg);
                fputs(cmd_bundle.usage, stderr);
                return EXIT_BADINPUT;
            }
        }
        if (missing) {
            say_err("%s needs a value", arg);
            return EXIT_BADINPUT;
        }
    }
    if (!a->out) {
        say_err("%s", "give --out FILE.tar.gz");
        fputs(cmd_bundle.usage, stderr);
        return EXIT_BADINPUT;
    }
    if (!cmd_path_ok("bundle", "--out", a->out) ||
        (a->answers && !cmd_path_ok("bundle", "--answers", a->answers)) ||
        (a->state_dir && !cmd_path_ok("bundle", "--state-dir", a->state_dir)) ||
        !cmd_globals_ok("bundle", &a->g))
        return EXIT_BADINPUT;
    struct stat st;
    if (stat(a->out, &st) == 0 && !S_ISREG(st.st_mode)) {
        say_err("--out %s: exists and is not a regular file", a->out);
        return EXIT_BADINPUT;
    }
    return EXIT_OK;
}

/* Reads a yes/no answer from stdin; anything but y/yes (an empty line, EOF)
 * is no. */
static bool ask(const char *question)
{
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof(line), stdin)) {
        fputc('\n', stderr);
        return false;
    }
    return !strcmp(line, "y\n") || !strcmp(line, "yes\n") || !strcmp(line, "Y\n") ||
           !strcmp(line, "y") || !strcmp(line, "yes");
}

/* The install's answers and secrets, kept for the diagnostics. */
struct install {
    struct profile p;
    struct secrets s;
    bool loaded;
};

/* Loads the answers file and its secrets; -1 (printed) when they cannot be
 * read. */
static int load_install(const char *answers, struct install *in)
{
    struct problems probs;
    problems_init(&probs);
    struct error err;
    error_clear(&err);
    int rc = answers_load(answers, &in->p, &probs, &err);
    if (rc == 0) {
        bool in_state = false;
        char *sp = secrets_path_default(answers, &in_state);
        rc = secrets_load(sp, &in->s, &probs, &err);
        free(sp);
    }
    if (rc < 0) {
        for (size_t i = 0; i < probs.n; i++) {
            char *line = problem_format(&probs.v[i]);
            say_err("%s", line);
            free(line);
        }
        say_err("%s", err.msg);
    }
    problems_done(&probs);
    in->loaded = rc == 0;
    return rc;
}

static void install_done(struct install *in)
{
    secrets_done(&in->s);
    profile_done(&in->p);
}

/* The profile's secrets, hidden wherever they turn up. */
static void add_install_secrets(struct bundle *b, const struct install *in)
{
    for (size_t i = 0; in->loaded && i < secret_nfields; i++) {
        char *const *v =
            (char *const *)(const void *)((const char *)&in->s + secret_fields[i].offset);
        bundle_add_secret(b, *v);
    }
}

struct run {
    struct loop *loop;
    bool done, interrupted;
    struct bundle_collect *col;
    struct check_run *checks;
    bool checks_done;
};

static bool run_over(const struct run *r)
{
    return r->done && (!r->checks || r->checks_done);
}

static void collect_done(void *arg)
{
    struct run *r = arg;
    r->done = true;
    if (run_over(r))
        loop_stop(r->loop);
}

static void checks_changed(struct check_run *cr, size_t i, void *arg)
{
    (void)cr;
    struct run *r = arg;
    if (i != (size_t)-1)
        return;
    r->checks_done = true;
    if (run_over(r))
        loop_stop(r->loop);
}

/* The diagnostics report (the same checks as `dify-tui diagnose`), as JSON
 * and as Markdown; both are redacted with the rest. */
static void add_diagnostics(struct bundle *b, struct check_run *cr)
{
    char *json = check_run_json(cr);
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    free(json);
    if (!doc) {
        bundle_note(b, "diagnostics", "the checks' report could not be read");
        return;
    }
    size_t len = 0;
    char *md = bundle_diag_markdown(doc, &len);
    bundle_add_text(b, "diagnostics/report.md", md, len);
    free(md);
    bundle_add_doc(b, "diagnostics/report.json", doc, false);
}

static void on_sigint(struct loop *l, int signo, void *arg)
{
    (void)signo;
    struct run *r = arg;
    r->interrupted = true;
    loop_stop(l);
}

static void human_size(size_t n, char *buf, size_t len)
{
    if (n < 10 * 1024)
        snprintf(buf, len, "%zu B", n);
    else if (n < 10 * 1024 * 1024)
        snprintf(buf, len, "%zu KiB", n / 1024);
    else
        snprintf(buf, len, "%zu MiB", n / (1024 * 1024));
}

static void preview(const struct bundle *b, const char *out)
{
    size_t total = 0, nfiles = 0, nleft = 0;
    for (size_t i = 0; i < bundle_count(b); i++) {
        const struct bundle_file *f = bundle_file_at(b, i);
        if (f->left_out) {
            nleft++;
            continue;
        }
        nfiles++;
        total += f->len;
    }
    char *safe_out = textsafe(out, 0, 0);
    char sz[32];
    human_size(total, sz, sizeof(sz));
    printf("%s will hold %zu files (%s before compression), under %s/:\n", safe_out, nfiles, sz,
           bundle_top(b));
    for (size_t i = 0; i < bundle_count(b); i++) {
        const struct bundle_file *f = bundle_file_at(b, i);
        if (f->left_out)
            continue;
        char *path = textsafe(f->path, 0, 0);
        human_size(f->len, sz, sizeof(sz));
        if (bundle_redacting(b) && f->hidden)
            printf("  %10s  %s  (%zu hidden)\n", sz, path, f->hidden);
        else
            printf("  %10s  %s%s\n", sz, path, f->binary ? "  (binary)" : "");
        free(path);
    }
    if (nleft) {
        printf("left out (binary: redaction cannot read it and will not rewrite it):\n");
        for (size_t i = 0; i < bundle_count(b); i++) {
            const struct bundle_file *f = bundle_file_at(b, i);
            if (!f->left_out)
                continue;
            char *path = textsafe(f->path, 0, 0);
            human_size(f->len, sz, sizeof(sz));
            printf("  %10s  %s\n", sz, path);
            free(path);
        }
    }
    if (bundle_redacting(b))
        printf("redaction: %zu values hidden; the list is in redaction-report.md (no values)\n",
               bundle_hidden(b));
    else
        printf("NOT REDACTED: passwords, keys and tokens are in this bundle in clear\n");
    for (size_t i = 0; i < bundle_count(b); i++)
        if (!strcmp(bundle_file_at(b, i)->path, "not-collected.txt"))
            printf("some things could not be collected: see not-collected.txt\n");
    free(safe_out);
}

static int write_bundle(const struct bundle *b, const char *out)
{
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal_flag;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    struct error err;
    error_clear(&err);
    int rc = bundle_write(b, out, &g_stop, &err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc < 0) {
        say_err("%s", err.msg);
        return EXIT_FAIL;
    }
    struct stat st;
    char *safe = textsafe(out, 0, 0);
    printf("wrote %s (%lld bytes)\n", safe, stat(out, &st) == 0 ? (long long)st.st_size : 0LL);
    free(safe);
    return EXIT_OK;
}

static int bundle_run_cmd(int argc, char **argv, const struct global_opts *g)
{
    struct bundle_args a;
    int rc = parse_args(argc, argv, g, &a);
    if (rc != EXIT_OK)
        return rc;
    if (a.no_redact && !a.yes &&
        !ask("--no-redact: the bundle will hold passwords, keys and tokens in clear. Continue?")) {
        fprintf(stderr, CMD ": nothing written\n");
        return EXIT_FAIL;
    }
    struct install in;
    memset(&in, 0, sizeof(in));
    if (a.answers && load_install(a.answers, &in) < 0) {
        install_done(&in);
        return EXIT_BADINPUT;
    }
    char *out = bundle_out_name(a.out, !a.no_redact);
    log_set_echo(echo_stderr);
    log_set_level(LOG_WARN);

    /* The namespace: -n, else the answers file's, else the context's. */
    if (!a.g.ns && in.loaded && !str_empty(in.p.namespace))
        a.g.ns = in.p.namespace;
    struct loop *l = loop_new();
    struct kube_config *cfg = NULL;
    struct kube_client *kube = NULL;
    struct error kerr;
    error_clear(&kerr);
    const char *ns = a.g.ns;
    char *kube_desc = NULL;
    if (kubeconfig_load_env(a.g.kubeconfig, a.g.context, a.g.ns, &cfg, &kerr) == 0) {
        kube_desc =
            xasprintf("%s, context %s", cfg->context_file ? cfg->context_file : "kubeconfig",
                      cfg->context ? cfg->context : "(none)");
        kube = kube_client_new(l, cfg);
        ns = kube_client_config(kube)->ns;
    }
    char tool[64];
    snprintf(tool, sizeof(tool), "%s %s", PACKAGE_NAME, PACKAGE_VERSION);
    struct bundle_opts bo = {.redact = !a.no_redact,
                             .ns = ns ? ns : "default",
                             .context = kube ? kube_client_config(kube)->context : a.g.context,
                             .created = (long long)time(NULL),
                             .tool = tool};
    struct bundle *b = bundle_new(&bo);
    add_install_secrets(b, &in);
    char *state = a.state_dir ? xstrdup(a.state_dir)
                  : a.answers ? install_state_dir_for(a.answers)
                              : NULL;
    char *sdir = paths_state_dir();
    char *logp = path_join(sdir, "dify-tui.log");
    free(sdir);
    struct stat st;
    if (state && (stat(state, &st) < 0 || !S_ISDIR(st.st_mode))) {
        if (a.state_dir) {
            say_err("--state-dir %s: not a directory", state);
            rc = EXIT_BADINPUT;
            goto out;
        }
        bundle_note(b, "installer state", "no state directory beside the answers file");
        free(state);
        state = NULL;
    }

    struct run run = {.loop = l};
    loop_watch_signal(l, SIGINT, on_sigint, &run);
    loop_watch_signal(l, SIGTERM, on_sigint, &run);
    struct bundle_collect_opts co = {.kube = kube,
                                     .kube_error = kube ? NULL : kerr.msg,
                                     .ns = bo.ns,
                                     .kubeconfig = a.g.kubeconfig,
                                     .context = a.g.context,
                                     .state_dir = state,
                                     .log_path = logp,
                                     .tail_lines = a.tail_lines,
                                     .limit_bytes = a.limit_bytes};
    fprintf(stderr, "collecting from namespace %s ...\n", bo.ns);
    if (!a.no_diagnose) {
        struct check_env env = {.loop = l,
                                .kube = kube,
                                .kube_error = kube ? NULL : kerr.msg,
                                .kubeconfig_desc = kube_desc,
                                .ns = bo.ns,
                                .release =
                                    in.loaded && !str_empty(in.p.release) ? in.p.release : "dify",
                                .profile = in.loaded ? &in.p : NULL,
                                .secrets = in.loaded ? &in.s : NULL,
                                .answers_path = a.answers,
                                .db_reach_host = a.db_host,
                                .db_reach_port = a.db_port,
                                .redis_reach_host = a.redis_host,
                                .redis_reach_port = a.redis_port};
        struct error cerr;
        error_clear(&cerr);
        run.checks = check_run_new(&env, NULL, 0, checks_changed, &run, &cerr);
        if (run.checks)
            check_run_start(run.checks);
        else
            bundle_note(b, "diagnostics", cerr.msg);
    }
    run.col = bundle_collect_start(l, b, &co, collect_done, &run);
    if (!run_over(&run))
        loop_run(l);
    bundle_collect_cancel(run.col);
    if (run.checks && !run.interrupted)
        add_diagnostics(b, run.checks);
    check_run_free(run.checks);
    /* The loop's handlers would swallow a Ctrl-C at the question below:
     * from here on it ends the program, which has written nothing yet. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (run.interrupted) {
        fprintf(stderr, CMD ": interrupted: nothing written\n");
        rc = 130;
        goto out;
    }
    struct error err;
    error_clear(&err);
    if (bundle_finish(b, &err) < 0) {
        say_err("%s", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    preview(b, out);
    fflush(stdout);
    if (!a.yes && !ask("Write it?")) {
        fprintf(stderr, CMD ": nothing written\n");
        rc = EXIT_FAIL;
        goto out;
    }
    rc = write_bundle(b, out);
out:
    bundle_free(b);
    kube_client_free(kube);
    loop_free(l);
    free(state);
    free(logp);
    free(out);
    free(kube_desc);
    free(a.db_host);
    free(a.redis_host);
    install_done(&in);
    return rc;
}

const struct command cmd_bundle = {
    "bundle", "collect a support bundle (redacted) into a tar.gz",
    "usage: dify-tui bundle --out FILE.tar.gz [--answers FILE | --state-dir DIR] [--yes]\n"
    "                       [--no-redact] [--no-diagnose] [--db HOST:PORT]\n"
    "                       [--redis HOST:PORT] [--tail-lines N] [--limit-bytes N]\n"
    "  Collects what a support engineer needs into one file: the namespace's\n"
    "  objects as YAML (custom resources too), events, each container's log\n"
    "  (current and previous; the last --tail-lines lines, 2000, at most\n"
    "  --limit-bytes, 1 MiB), the Helm releases' values and history (when helm\n"
    "  is on PATH), the installer's journal and log, and the diagnostics report\n"
    "  (the checks of `dify-tui diagnose`, as JSON and Markdown).\n"
    "  Redaction is on: every Secret value, values under names with password,\n"
    "  token, key or secret, URL and DSN passwords, and the secrets of --answers\n"
    "  become tokens (the same value, the same token); redaction-report.md says\n"
    "  what was hidden where. Binary files are left out and listed.\n"
    "  --yes            write without showing the preview's question\n"
    "  --no-diagnose    leave the diagnostics report out\n"
    "  --db, --redis HOST:PORT  where the diagnostics reach PostgreSQL and Redis\n"
    "                   from here (a port-forward), as for diagnose\n"
    "  --no-redact      keep values in clear (asks first; the file is named\n"
    "                   FILE.UNREDACTED.tar.gz)\n"
    "  --answers FILE   the install's answers: its secrets are hidden too, and\n"
    "                   its state directory (FILE.state) is collected\n"
    "  --state-dir DIR  the install's state directory, when not beside --answers\n",
    bundle_run_cmd};
