/* screens/cmd_status.c: `dify-tui status [--json] [--watch]`, the
 * dashboard's model (core/status.h) for scripts and tests. One-shot: waits
 * until every kind was listed and the first round of health probes
 * answered (or --timeout passed, or the server failed to answer: at once,
 * as kubectl), prints, exits 0 when Dify is healthy and 1 otherwise.
 * --watch: prints the same, then a line for every change (a coalesced
 * batch of watch events is one look), until interrupted. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/status.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmds.h"

static const char status_usage[] =
    "usage: dify-tui status [--json] [--watch] [--journal DIR] [--timeout SECONDS]\n"
    "  Reports every Dify component of the namespace (desired, ready, up-to-date,\n"
    "  available, restarts, age, image tag, rollout state by kubectl's rules), the\n"
    "  health probes (api /health, plugin daemon /health/check, the api's key at the\n"
    "  daemon, the daemon's plugin storage), the migration Job, pods, jobs and events.\n"
    "  --json      one JSON document (with --watch: one per change, a line each)\n"
    "  --watch     keep watching: a line for each change, until interrupted\n"
    "              (Ctrl-C or kill ends it with exit 1, as kubectl get -w)\n"
    "  --journal DIR  the install's state directory: the components and versions the\n"
    "              last install deployed (missing ones are reported)\n"
    "  --timeout S one-shot: give up waiting for the cluster after S seconds (20);\n"
    "              a server that does not answer or a credential plugin that fails\n"
    "              ends it at once (--watch retries with backoff)\n"
    "  Exit status: 0 healthy, 1 not healthy or the cluster could not be read.\n";

struct st_args {
    struct global_opts g;
    bool json, watch;
    const char *journal;
    double timeout;
};

static int st_parse(int argc, char **argv, struct st_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (cmd_take_global(argc, argv, &i, &a->g))
            continue;
        if (!strcmp(f, "--json") || !strcmp(f, "-o=json") || !strcmp(f, "-ojson"))
            a->json = true;
        else if (!strcmp(f, "-o") && i + 1 < argc && !strcmp(argv[i + 1], "json")) {
            a->json = true;
            i++;
        } else if (!strcmp(f, "--watch") || !strcmp(f, "-w"))
            a->watch = true;
        else if (!strcmp(f, "--journal") && i + 1 < argc)
            a->journal = argv[++i];
        else if (!strncmp(f, "--journal=", 10))
            a->journal = f + 10;
        else if ((!strcmp(f, "--timeout") && i + 1 < argc) || !strncmp(f, "--timeout=", 10)) {
            const char *v = f[9] == '=' ? f + 10 : argv[++i];
            char *end;
            a->timeout = strtod(v, &end);
            if (*end || a->timeout <= 0) {
                fprintf(stderr, "dify-tui status: --timeout: \"%s\" is not a number of seconds\n",
                        v);
                return -1;
            }
        } else if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            fputs(status_usage, stdout);
            exit(EXIT_OK);
        } else {
            fprintf(stderr, "dify-tui status: unknown argument %s\n%s", f, status_usage);
            return -1;
        }
    }
    if (!cmd_globals_ok("status", &a->g))
        return -1;
    if (a->journal && !cmd_path_ok("status", "--journal", a->journal))
        return -1;
    return 0;
}

static void echo_stderr(const char *level, const char *line)
{
    fprintf(stderr, "%s: %s\n", level, line);
}

struct st_run {
    struct loop *loop;
    struct status *m;
    struct st_args *a;
    bool done;
    bool unreachable;         /* one-shot: ended at the server's first failure */
    bool said;                /* --watch: the outage was said (before the first look) */
    bool interrupted;         /* stopped by one of cmd_watch_stop_signals */
    struct status_diff *last; /* --watch: what was printed */
};

static bool plain_byte(unsigned char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
}

/* JSON pieces: safe (the document's strings are the cluster's), written.
 * Runs of printable ASCII are what textsafe gives back unchanged; only
 * the rest goes through it (a 60 MB document took seconds otherwise). The
 * other runs end at an ASCII byte, which no UTF-8 sequence spans. */
static void drain_safe(struct strbuf *sb, void *arg)
{
    struct strbuf *safe = arg;
    const unsigned char *p = (const unsigned char *)sb->buf, *e = p + sb->len;
    while (p < e) {
        const unsigned char *q = p;
        while (q < e && plain_byte(*q))
            q++;
        fwrite(p, 1, (size_t)(q - p), stdout);
        for (p = q; q < e && !plain_byte(*q); q++)
            ;
        if (q > p) {
            strbuf_reset(safe);
            textsafe_add(safe, (const char *)p, (size_t)(q - p), TEXTSAFE_KEEP_NL, 0);
            fwrite(safe->buf, 1, safe->len, stdout);
        }
        p = q;
    }
    strbuf_reset(sb);
}

static void print_json(struct status *m, bool pretty)
{
    struct strbuf sb, safe;
    strbuf_init(&sb);
    strbuf_init(&safe);
    status_json_drain(m, pretty, &sb, drain_safe, &safe);
    putchar('\n');
    fflush(stdout);
    strbuf_done(&safe);
    strbuf_done(&sb);
}

static void drain_stdout(struct strbuf *sb, void *arg)
{
    fwrite(sb->buf, 1, sb->len, stdout);
    strbuf_reset(sb);
}

static void print_text(struct status *m)
{
    struct strbuf sb;
    strbuf_init(&sb);
    status_text_drain(m, &sb, drain_stdout, NULL);
    fflush(stdout);
    strbuf_done(&sb);
}

/* Whether the first look is complete: everything listed (or refused), and
 * each probe that applies answered once. */
static bool first_look_done(struct status *m)
{
    const struct status_conn *c = status_conn(m);
    if (!c->synced)
        return false;
    const struct status_health *h = status_health(m);
    bool api = status_find_comp(m, DIFY_COMP_API) != NULL;
    bool daemon = status_find_comp(m, DIFY_COMP_PLUGIN_DAEMON) != NULL;
    if (api && !h->api.checked)
        return false;
    if (daemon && (!h->daemon.checked || !h->storage.checked))
        return false;
    if (api && daemon && !h->key.checked)
        return false;
    return true;
}

struct stamp_out {
    struct st_run *r;
    char stamp[16];
};

static void print_line(const char *text, size_t len, bool gone, void *arg)
{
    struct stamp_out *o = arg;
    if (!o->r->a->json)
        printf("%s %.*s%s\n", o->stamp, (int)len, text, gone ? ": gone" : "");
}

/* The first look (print false: the whole report is printed instead), then
 * at each change what changed (core/status_diff.c). */
static void print_changes(struct st_run *r, bool print)
{
    struct stamp_out o = {r, ""};
    time_t t = (time_t)status_now(r->m);
    struct tm tm;
    strftime(o.stamp, sizeof(o.stamp), "%H:%M:%S", localtime_r(&t, &tm));
    if (!r->last)
        r->last = status_diff_new();
    bool changed = status_diff_look(r->last, r->m, print ? print_line : NULL, &o);
    if (changed && r->a->json)
        print_json(r->m, false);
    /* output that cannot be written ends the watch (main says why, exit 1) */
    if (fflush(stdout) != 0 || ferror(stdout))
        loop_stop(r->loop);
}

static void on_change(struct status *m, unsigned what, void *arg)
{
    struct st_run *r = arg;
    if (!r->done) {
        /* one-shot: a server that does not answer, or a credential plugin
         * that fails, ends it at once, as kubectl does (exit 1, the reason
         * said), rather than after --timeout; --watch retries with backoff
         * and says since when in its report */
        const struct status_conn *c = status_conn(m);
        if (!r->a->watch && !c->reachable) {
            r->done = true;
            r->unreachable = true;
            loop_stop(r->loop);
            return;
        }
        if (!c->reachable && !r->said) {
            /* --watch has no report yet to carry it: said once an outage
             * (each kind's retry fails with its own URL), again after the
             * server answered and went away again */
            r->said = true;
            char *safe = textsafe(c->down_msg, 0, 0);
            fprintf(stderr, "dify-tui status: the cluster could not be read (retrying): %s\n",
                    safe);
            free(safe);
        } else if (c->reachable) {
            r->said = false;
        }
        if (!first_look_done(m))
            return;
        r->done = true;
        if (!r->a->watch) {
            loop_stop(r->loop);
            return;
        }
        /* the first look, whole */
        if (r->a->json)
            print_json(m, false);
        else
            print_text(m);
        print_changes(r, false);
        return;
    }
    print_changes(r, true);
}

static void on_timeout(struct loop *l, long long id, void *arg)
{
    struct st_run *r = arg;
    if (r->done)
        return;
    r->done = true;
    loop_stop(l);
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    struct st_run *r = arg;
    r->interrupted = true; /* exit 1, as kubectl get -w (cmd_watch_stop_signals) */
    loop_stop(l);
}

static int cmd_status_run(int argc, char **argv, const struct global_opts *g0)
{
    struct st_args a = {.g = *g0, .timeout = 20};
    if (st_parse(argc, argv, &a) < 0)
        return EXIT_BADINPUT;
    cmd_heap_for_models();
    log_set_echo(echo_stderr);
    log_set_level(LOG_ERROR);
    struct kube_config *cfg;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load_env(a.g.kubeconfig, a.g.context, a.g.ns, &cfg, &err) < 0) {
        char *safe = textsafe(err.msg, 0, 0);
        fprintf(stderr, "error: %s\n", safe);
        free(safe);
        return EXIT_FAIL;
    }
    struct loop *l = loop_new();
    struct kube_client *c = kube_client_new(l, cfg);
    /* the text report shows no Events: not watched (with a Job or a
     * Deployment coming and going, their stream was half of what status
     * --watch read, docs/bench.md); --json carries them */
    struct status_opts so = {.ns = cfg->ns, .no_events = !a.json};
    struct status *m = status_new(l, c, &so);
    if (a.journal) {
        char ns[256];
        if (status_expect_journal_file(m, a.journal, ns, sizeof(ns), &err) < 0) {
            char *safe = textsafe(err.msg, 0, 0);
            fprintf(stderr, "dify-tui status: --journal: %s\n", safe);
            free(safe);
            status_free(m);
            kube_client_free(c);
            loop_free(l);
            return EXIT_BADINPUT;
        }
    }
    struct st_run r = {.loop = l, .m = m, .a = &a};
    status_subscribe(m, on_change, &r);
    status_start(m);
    long long timer =
        a.watch ? 0 : loop_add_timer(l, (long long)(a.timeout * 1000), on_timeout, &r);
    for (size_t i = 0; i < CMD_WATCH_NSTOP; i++)
        loop_watch_signal(l, cmd_watch_stop_signals[i], on_signal, &r);
    loop_run(l);
    loop_cancel_timer(l, timer);
    int rc = EXIT_OK;
    if (!a.watch) {
        status_flush(m);
        if (a.json)
            print_json(m, true);
        else
            print_text(m);
        if (r.unreachable) {
            char *safe = textsafe(status_conn(m)->down_msg, 0, 0);
            fprintf(stderr, "dify-tui status: the cluster could not be read: %s\n", safe);
            free(safe);
        } else if (!first_look_done(m) && !r.interrupted) {
            fprintf(stderr, "dify-tui status: the cluster did not answer everything within %g s\n",
                    a.timeout);
        }
        rc = status_healthy(m) && first_look_done(m) ? EXIT_OK : EXIT_FAIL;
    }
    if (r.interrupted)
        rc = EXIT_FAIL;
    status_diff_free(r.last);
    status_free(m);
    kube_client_free(c);
    loop_free(l);
    return rc;
}

const struct command cmd_status = {"status",
                                   "report the health of a Dify install, once or watching",
                                   status_usage, cmd_status_run};
