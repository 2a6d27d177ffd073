/* screens/progress_summary.c: what a finished run installed and where:
 * the cluster, namespace and addresses from the profile, each step's
 * outcome from the runner, the files it left (answers, state, full log) and
 * the commands to go on with. Shown after success until the dashboard takes
 * its place; a scrolling, searchable page (a log pane). Esc goes back to
 * the progress pane, q leaves. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile.h"
#include "core/proc.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/progress_impl.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/logview.h"
#include "tui/theme.h"

struct psum {
    struct runner *r;
    char *log_path;
    char *title;
    struct tui_logview lv;
};

static const char *or_dash(const char *s, const char *dflt)
{
    return str_empty(s) ? dflt : s;
}

/* A command line to paste: each word quoted where it needs to be. */
static char *cmdline(const char *const *argv)
{
    return proc_argv_string(argv);
}

static void add_where(struct psum *m, const struct plan_ctx *c)
{
    const struct profile *p = c->profile;
    progress_log_add(&m->lv, TUI_HEADING, "Where");
    if (p->target == TARGET_EKS)
        progress_log_add(&m->lv, TUI_NORMAL, "  Cluster     EKS %s in %s",
                         or_dash(p->aws.cluster_name, "?"), or_dash(p->aws.region, "?"));
    else
        progress_log_add(&m->lv, TUI_NORMAL, "  Cluster     context %s",
                         c->context ? c->context : "(the kubeconfig's current one)");
    if (c->kubeconfig)
        progress_log_add(&m->lv, TUI_NORMAL, "  Kubeconfig  %s", c->kubeconfig);
    progress_log_add(&m->lv, TUI_NORMAL, "  Namespace   %s (release %s)",
                     or_dash(p->namespace, "dify"), or_dash(p->release, "dify"));
    bool tls = !str_empty(p->domains.tls_secret) || !str_empty(p->domains.acm_certificate_arn);
    const char *scheme = tls ? "https" : "http";
    if (!str_empty(p->domains.web_host))
        progress_log_add(&m->lv, TUI_OK, "  Open        %s://%s/", scheme, p->domains.web_host);
    if (p->domains.split && !str_empty(p->domains.api_host))
        progress_log_add(&m->lv, TUI_NORMAL, "  API         %s://%s/", scheme, p->domains.api_host);
    if (p->method == METHOD_HELM)
        progress_log_add(&m->lv, TUI_NORMAL, "  Installed   Dify %s, %s edition, Helm chart %s %s",
                         or_dash(p->image_tag, "?"), edition_names[p->edition],
                         or_dash(p->helm.chart, "?"), or_dash(p->helm.version, "?"));
    else
        progress_log_add(&m->lv, TUI_NORMAL,
                         "  Installed   Dify %s, %s edition, the built-in manifests",
                         or_dash(p->image_tag, "?"), edition_names[p->edition]);
}

static void add_steps(struct psum *m)
{
    progress_log_add(&m->lv, TUI_HEADING, "What ran");
    size_t n = runner_step_count(m->r);
    for (size_t i = 0; i < n; i++) {
        const struct runner_step_info *s = runner_step(m->r, i);
        char t[32] = "";
        if (s->state == STEP_DONE && !s->resumed && s->ended_ms)
            progress_format_ms(s->ended_ms - s->started_ms, t, sizeof(t));
        switch (s->state) {
        case STEP_DONE:
            progress_log_add(&m->lv, TUI_OK, "  ok    %-22s %s%s%s%s", s->id,
                             s->resumed ? "unchanged since the last run"
                                        : or_dash(s->message, s->title),
                             *t ? " (" : "", t, *t ? ")" : "");
            break;
        case STEP_SKIPPED:
            progress_log_add(&m->lv, TUI_DIM, "  skip  %-22s %s", s->id,
                             or_dash(s->message, "skipped"));
            break;
        case STEP_FAILED:
            progress_log_add(&m->lv, TUI_ERROR, "  FAIL  %-22s %s", s->id,
                             or_dash(s->message, "failed"));
            break;
        default:
            progress_log_add(&m->lv, TUI_DIM, "  ...   %-22s %s", s->id, s->title);
            break;
        }
    }
}

/* One "Next" command line, with what it is for. */
static void add_next(struct psum *m, const char *const *argv, const char *why)
{
    char *cmd = cmdline(argv);
    progress_log_add(&m->lv, TUI_NORMAL, "  %s%s%s", cmd, why ? "   " : "", why ? why : "");
    free(cmd);
}

/* What to run next, by what ran (install, upgrade, rollback, uninstall) and
 * how it ended. */
static void add_next_and_files(struct psum *m, const struct plan_ctx *c, const char *what,
                               bool done)
{
    progress_log_add(&m->lv, TUI_HEADING, "Next");
    const char *ns = or_dash(c->profile->namespace, "dify");
    const char *get[8] = {"dify-tui"};
    size_t k = 1;
    if (c->kubeconfig) {
        get[k++] = "--kubeconfig";
        get[k++] = c->kubeconfig;
    }
    get[k++] = "-n";
    get[k++] = ns;
    get[k++] = "get";
    get[k++] = "pods";
    get[k] = NULL;
    if (strcmp(what, "uninstall") != 0)
        add_next(m, get, NULL);
    if (c->answers_path) {
        const char *a = c->answers_path;
        if (strcmp(what, "install") == 0)
            add_next(m, (const char *[]){"dify-tui", "install", "--answers", a, NULL},
                     "(again: what did not change is kept)");
        else if (strcmp(what, "uninstall") == 0)
            add_next(m, (const char *[]){"dify-tui", "install", "--answers", a, NULL},
                     "(to install it again)");
        else if (strcmp(what, "upgrade") == 0 && !done)
            add_next(m, (const char *[]){"dify-tui", "upgrade", "--answers", a, "--rollback", NULL},
                     "(back to the last revision that finished)");
        else
            add_next(m, (const char *[]){"dify-tui", "upgrade", "--answers", a, NULL},
                     "(after changing the answers)");
        if (strcmp(what, "upgrade") == 0 || strcmp(what, "rollback") == 0)
            add_next(m, (const char *[]){"dify-tui", "history", "--answers", a, NULL},
                     "(the revisions and how each run ended)");
    }
    progress_log_add(&m->lv, TUI_NORMAL, "%s", "");
    progress_log_add(&m->lv, TUI_HEADING, "Files");
    if (c->answers_path)
        progress_log_add(&m->lv, TUI_NORMAL, "  Answers     %s", c->answers_path);
    if (c->state_dir)
        progress_log_add(&m->lv, TUI_NORMAL, "  State       %s (journal, lock, rendered files)",
                         c->state_dir);
    if (m->log_path)
        progress_log_add(&m->lv, TUI_NORMAL, "  Full log    %s", m->log_path);
}

static void psum_build(struct psum *m, const struct progress_opts *po)
{
    enum runner_state st = runner_state(m->r);
    const char *what = po->what ? po->what : "install";
    if (st == RUNNER_DONE)
        progress_log_add(&m->lv, TUI_OK, "The %s finished: every step is done or was skipped.",
                         what);
    else
        progress_log_add(&m->lv, TUI_WARN, "The %s did not finish.", what);
    progress_log_add(&m->lv, TUI_NORMAL, "%s", "");
    if (po->ctx && po->ctx->profile) {
        add_where(m, po->ctx);
        progress_log_add(&m->lv, TUI_NORMAL, "%s", "");
        add_next_and_files(m, po->ctx, what, st == RUNNER_DONE);
        progress_log_add(&m->lv, TUI_NORMAL, "%s", "");
    } else if (m->log_path) {
        progress_log_add(&m->lv, TUI_NORMAL, "Full log: %s", m->log_path);
        progress_log_add(&m->lv, TUI_NORMAL, "%s", "");
    }
    add_steps(m);
}

static int psum_key(struct screen *s, struct app *a, int key)
{
    struct psum *m = s->data;
    if (m->lv.prompting) {
        tui_logview_key(&m->lv, key);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    switch (key) {
    case TUI_KEY_ESC:
    case 'b':
        return SCREEN_HANDLED | SCREEN_POP;
    case 'q':
        a->exit_status = runner_state(m->r) == RUNNER_DONE ? EXIT_SUCCESS : EXIT_FAILURE;
        return SCREEN_QUIT;
    case 'l':
        if (!m->log_path)
            return SCREEN_HANDLED;
        app_push(a, progress_file_screen_new("Full log", m->log_path));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    case TUI_KEY_UP:
    case 'k':
        tui_logview_key(&m->lv, TUI_KEY_UP);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_DOWN:
    case 'j':
        tui_logview_key(&m->lv, TUI_KEY_DOWN);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (tui_logview_key(&m->lv, key))
        return SCREEN_HANDLED | SCREEN_DIRTY;
    return SCREEN_IGNORED;
}

static void psum_draw(struct screen *s, WINDOW *w)
{
    struct psum *m = s->data;
    int width = getmaxx(w), height = getmaxy(w);
    tui_fill(w, 0, 0, width, tui_attr(TUI_TITLE));
    tui_put(w, 0, 0, width, m->title, tui_attr(TUI_TITLE));
    tui_logview_draw(&m->lv, w, 2, 1, height - 4, width - 1);
    if (m->lv.total > (unsigned long long)(height - 4)) {
        char desc[160];
        tui_logview_describe(&m->lv, desc, sizeof(desc));
        tui_put(w, height - 2, 1, width - 1, desc, tui_attr(TUI_DIM));
    }
    static const struct tui_hint hints[] = {{"q", "leave", NULL},
                                            {"Esc", "back to the steps", NULL},
                                            {"l", "full log", NULL},
                                            {"\xe2\x86\x91\xe2\x86\x93", "scroll", "Up/Dn"},
                                            {"/", "search", NULL}};
    tui_hints_draw(w, height - 1, hints, ARRAY_LEN(hints));
}

static int psum_enter(struct screen *s, struct app *a)
{
    struct psum *m = s->data;
    tui_logview_key(&m->lv, TUI_KEY_HOME);
    return SCREEN_DIRTY;
}

static void psum_free(struct screen *s)
{
    struct psum *m = s->data;
    tui_logview_done(&m->lv);
    free(m->log_path);
    free(m->title);
    free(m);
    free(s);
}

static const struct screen_ops psum_ops = {.name = "summary",
                                           .enter = psum_enter,
                                           .on_key = psum_key,
                                           .draw = psum_draw,
                                           .free = psum_free};

struct screen *progress_summary_new(struct runner *r, const struct progress_opts *po)
{
    struct psum *m = xcalloc(1, sizeof(*m));
    m->r = r;
    const char *lp = runner_log_path(r);
    m->log_path = lp ? xstrdup(lp) : NULL;
    m->title = xasprintf(" dify-tui %s: %s", po->what ? po->what : "install",
                         runner_state(r) == RUNNER_DONE ? "done" : "ended");
    tui_logview_init(&m->lv, 1000, 0);
    psum_build(m, po);
    return screen_new(&psum_ops, m, false);
}
