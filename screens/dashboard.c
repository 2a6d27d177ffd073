/* screens/dashboard.c: the dashboard screen (dashboard.h): its life (the
 * model is made and its watches started on enter, cancelled on leave), the
 * frame (title, banner, the view, the prompt or flash line, key hints), the
 * keys as k9s users know them, the `:` command line (views by alias, :ns,
 * :ctx, :q) and switching namespace and context by remaking the model.
 * The model tells the screen it changed through a status subscription; the
 * screen only marks the app dirty, so a burst is one frame. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/rules.h"
#include "core/kube_client.h"
#include "core/kube_http.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/status.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/dashboard_impl.h"
#include "screens/dialog_screen.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"

long long dash_now(const struct dash *d)
{
    return d->o.now ? d->o.now() : (long long)time(NULL);
}

void dash_dirty(struct dash *d)
{
    if (d->app)
        d->app->dirty = true;
}

void dash_flash(struct dash *d, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->flash, sizeof(d->flash), fmt, ap);
    va_end(ap);
    d->flash_error = error;
    if (error)
        log_warn("dashboard: %s", d->flash);
    dash_dirty(d);
}

int dash_put(WINDOW *win, int y, int x, int w, const char *s, attr_t attr)
{
    if (w <= 0)
        return 0;
    char *safe = textsafe(s ? s : "", 0, (size_t)w);
    int n = tui_put(win, y, x, w, safe, attr);
    free(safe);
    return n;
}

/* ---- the model ---- */

static void on_model(struct status *m, unsigned what, void *arg)
{
    struct dash *d = arg;
    d->model_changes++;
    /* the lists see the model's version move: the pods view takes in only
     * what changed (dashboard_pods.c), the others rebuild */
    dash_views_sync(d);
    dash_dirty(d);
}

static void model_start(struct dash *d)
{
    if (d->o.model) {
        d->m = d->o.model;
        d->own_model = false;
    } else {
        struct status_opts so = {.ns = d->ns, .now = d->o.now};
        d->m = status_new(d->loop, d->c, &so);
        d->own_model = true;
        if (d->o.journal_dir) {
            struct error err;
            error_clear(&err);
            char ns[256];
            if (status_expect_journal_file(d->m, d->o.journal_dir, ns, sizeof(ns), &err) < 0)
                dash_flash(d, true, "journal: %s", err.msg);
        }
    }
    status_subscribe(d->m, on_model, d);
    if (d->own_model)
        status_start(d->m);
    dash_mask_load(d); /* the namespace's Secrets, masked (dashboard_mask.c) */
    dash_views_stale(d);
}

static void model_stop(struct dash *d)
{
    if (!d->m)
        return;
    dash_actions_cancel(d);
    dash_views_cancel(d);
    dash_mask_cancel(d);
    dash_logs_close(d);
    dash_detail_close(d);
    status_unsubscribe(d->m, on_model, d);
    if (d->own_model)
        status_free(d->m);
    d->m = NULL;
}

/* Makes a client for a context (NULL: the current one). */
static int client_make(struct dash *d, const char *context, const char *ns, struct error *err)
{
    struct kube_config *cfg;
    if (kubeconfig_load_env(d->o.kubeconfig, context, ns, &cfg, err) < 0)
        return -1;
    if (d->own_client)
        kube_client_free(d->c);
    snprintf(d->context, sizeof(d->context), "%s", cfg->context ? cfg->context : "");
    snprintf(d->ns, sizeof(d->ns), "%s", cfg->ns ? cfg->ns : "default");
    d->c = kube_client_new(d->loop, cfg);
    d->own_client = true;
    return 0;
}

static void switch_namespace(struct dash *d, const char *ns)
{
    model_stop(d);
    snprintf(d->ns, sizeof(d->ns), "%s", ns);
    for (int v = 0; v < DV_COUNT; v++) {
        d->lists[v].sel[0] = '\0';
        d->lists[v].chosen = false;
        d->lists[v].idx = d->lists[v].top = 0;
    }
    d->o.model = NULL; /* a borrowed model is of its own namespace */
    model_start(d);
    dash_go(d, DV_OVERVIEW);
    d->nback = 0;
    dash_flash(d, false, "namespace %s", ns);
}

static void switch_context(struct dash *d, const char *ctx)
{
    if (!d->loop) {
        dash_flash(d, true, "no cluster connection in this view");
        return;
    }
    struct error err;
    error_clear(&err);
    model_stop(d);
    d->o.model = NULL;
    char old[256];
    snprintf(old, sizeof(old), "%s", d->context);
    if (client_make(d, ctx, NULL, &err) < 0) {
        dash_flash(d, true, "context %s: %s", ctx, err.msg);
        if (!d->c || client_make(d, old[0] ? old : NULL, d->ns, &err) < 0)
            return;
    }
    model_start(d);
    dash_go(d, DV_OVERVIEW);
    d->nback = 0;
    if (!d->flash_error)
        dash_flash(d, false, "context %s, namespace %s", d->context, d->ns);
}

/* ---- views ---- */

void dash_go(struct dash *d, enum dash_view v)
{
    if (v == d->view)
        return;
    if (d->view == DV_LOGS && v != DV_LOGS)
        dash_logs_close(d);
    if (d->view == DV_DETAIL && v != DV_DETAIL)
        dash_detail_close(d);
    /* between the logs and the describe of one object: the view is
     * replaced (what it read is closed; Esc goes back to the list) */
    bool swap = (d->view == DV_LOGS || d->view == DV_DETAIL) && (v == DV_LOGS || v == DV_DETAIL);
    if (!swap && d->nback < (int)ARRAY_LEN(d->back))
        d->back[d->nback++] = d->view;
    d->view = v;
    dash_views_sync(d);
    dash_dirty(d);
}

static void go_back(struct dash *d)
{
    if (d->nback == 0)
        return;
    enum dash_view v = d->back[--d->nback];
    if (d->view == DV_LOGS)
        dash_logs_close(d);
    if (d->view == DV_DETAIL)
        dash_detail_close(d);
    d->view = v;
}

static const struct {
    const char *alias;
    enum dash_view view;
} aliases[] = {
    {"overview", DV_OVERVIEW},
    {"dify", DV_OVERVIEW},
    {"o", DV_OVERVIEW},
    {"pods", DV_PODS},
    {"pod", DV_PODS},
    {"po", DV_PODS},
    {"rollouts", DV_ROLLOUTS},
    {"deploy", DV_ROLLOUTS},
    {"deployments", DV_ROLLOUTS},
    {"dp", DV_ROLLOUTS},
    {"sts", DV_ROLLOUTS},
    {"statefulsets", DV_ROLLOUTS},
    {"jobs", DV_JOBS},
    {"job", DV_JOBS},
    {"events", DV_EVENTS},
    {"event", DV_EVENTS},
    {"ev", DV_EVENTS},
    /* k9s's names of the kinds the rollouts view shows */
    {"deployment", DV_ROLLOUTS},
    {"statefulset", DV_ROLLOUTS},
    {"ds", DV_ROLLOUTS},
    {"daemonset", DV_ROLLOUTS},
    {"daemonsets", DV_ROLLOUTS},
};

/* ":pods", ":ns dify", ":ctx prod", ":q". Returns screen flags. */
static int run_command(struct dash *d, const char *line)
{
    while (*line == ' ')
        line++;
    char word[64] = "", arg[200] = "";
    sscanf(line, "%63s %199s", word, arg);
    if (!word[0])
        return SCREEN_HANDLED;
    if (!strcmp(word, "q") || !strcmp(word, "quit") || !strcmp(word, "q!"))
        return SCREEN_QUIT;
    if (!strcmp(word, "ns") || !strcmp(word, "namespace")) {
        char why[200];
        if (!arg[0])
            dash_flash(d, false, "namespace %s (:ns NAME switches)", d->ns);
        else if (!valid_dns_label(arg, why, sizeof(why)))
            dash_flash(d, true, ":ns: %s (the namespace stays %s)", why, d->ns);
        else
            switch_namespace(d, arg);
        return SCREEN_HANDLED;
    }
    if (!strcmp(word, "ctx") || !strcmp(word, "context")) {
        if (!arg[0])
            dash_flash(d, false, "context %s (:ctx NAME switches)", d->context);
        else
            switch_context(d, arg);
        return SCREEN_HANDLED;
    }
    for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
        if (!strcmp(word, aliases[i].alias)) {
            dash_go(d, aliases[i].view);
            if (arg[0])
                dash_view_filter(d, aliases[i].view, arg);
            return SCREEN_HANDLED;
        }
    dash_flash(d, true, "no view \"%s\": try pods, rollouts, jobs, events, overview, ns, ctx, q",
               word);
    return SCREEN_HANDLED;
}

/* ---- keys ---- */

static int page_rows(const struct dash *d)
{
    return d->rows > 12 ? d->rows - 10 : 2;
}

static void prompt_open(struct dash *d, enum dash_prompt p, const char *initial)
{
    d->prompt = p;
    snprintf(d->input, sizeof(d->input), "%s", initial ? initial : "");
}

static int prompt_key(struct dash *d, int key)
{
    size_t n = strlen(d->input);
    if (key == TUI_KEY_ESC) {
        if (d->prompt == DP_FILTER)
            dash_view_filter(d, d->view, "");
        d->prompt = DP_NONE;
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (key == TUI_KEY_BACKSPACE) {
        while (n > 0 && ((unsigned char)d->input[n - 1] & 0xC0) == 0x80)
            n--; /* a whole UTF-8 character */
        if (n > 0)
            d->input[n - 1] = '\0';
        else
            d->input[0] = '\0';
    } else if (key == TUI_KEY_ENTER) {
        enum dash_prompt p = d->prompt;
        d->prompt = DP_NONE;
        int flags = SCREEN_HANDLED | SCREEN_DIRTY;
        if (p == DP_COMMAND)
            flags |= run_command(d, d->input);
        else if (p == DP_FILTER)
            dash_view_filter(d, d->view, d->input);
        else if (p == DP_LOG_SEARCH)
            snprintf(d->logs.search, sizeof(d->logs.search), "%s", d->input);
        else if (p == DP_DETAIL_SEARCH)
            dash_detail_search(d, d->input);
        else if (p == DP_LOG_INCLUDE)
            snprintf(d->logs.include, sizeof(d->logs.include), "%s", d->input);
        else if (p == DP_LOG_EXCLUDE)
            snprintf(d->logs.exclude, sizeof(d->logs.exclude), "%s", d->input);
        if (p == DP_LOG_SEARCH || p == DP_LOG_INCLUDE || p == DP_LOG_EXCLUDE)
            d->logs.scroll = 0;
        return flags;
    } else if (tui_key_is_text(key) && key < 0x110000) {
        char buf[8];
        int len = 0;
        unsigned c = (unsigned)key;
        if (c < 0x80)
            buf[len++] = (char)c;
        else if (c < 0x800) {
            buf[len++] = (char)(0xC0 | (c >> 6));
            buf[len++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            buf[len++] = (char)(0xE0 | (c >> 12));
            buf[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[len++] = (char)(0x80 | (c & 0x3F));
        } else {
            buf[len++] = (char)(0xF0 | (c >> 18));
            buf[len++] = (char)(0x80 | ((c >> 12) & 0x3F));
            buf[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[len++] = (char)(0x80 | (c & 0x3F));
        }
        if (n + (size_t)len < sizeof(d->input) - 1) {
            memcpy(d->input + n, buf, (size_t)len);
            d->input[n + (size_t)len] = '\0';
        }
    }
    /* the filter follows the typing, as k9s's */
    if (d->prompt == DP_FILTER)
        dash_view_filter(d, d->view, d->input);
    return SCREEN_HANDLED | SCREEN_DIRTY;
}

static const char help_text[] = ":        a view by name: pods, rollouts, jobs, events, overview;\n"
                                "         :ns NAME namespace, :ctx NAME context, :q quit\n"
                                "/        filter the list (Esc clears)\n"
                                "Enter    overview: the component's pods; lists: describe\n"
                                "d, y     describe, YAML of the selected object (/: search, n/N)\n"
                                "         (in describe, YAML and logs every key acts on the\n"
                                "         object shown)\n"
                                "l        logs of the selected pod (p: previous container,\n"
                                "         f: follow, /: search, n: next, i/x: include/exclude,\n"
                                "         w: wrap or cut long lines, o: the next container)\n"
                                "s        pods: sort by name, status, restarts, age, node\n"
                                "Tab      next view   Esc back   q quit (at the overview)\n"
                                "r        rollout restart      Ctrl-L rollback\n"
                                "m        re-run the migration Job   Ctrl-D delete the pod\n"
                                "         (each asks first; --read-only removes them)";

static int open_logs_of_selection(struct dash *d)
{
    struct dash_target t;
    dash_view_target(d, &t);
    if (!t.pod[0]) {
        dash_flash(d, true, "no pod to read logs from here");
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (d->view == DV_LOGS) {
        dash_flash(d, false, "these are pod/%s's logs (p: previous container, f: follow)", t.pod);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    dash_logs_open(d, t.pod, NULL, false);
    dash_go(d, DV_LOGS);
    return SCREEN_HANDLED | SCREEN_DIRTY;
}

static int open_detail(struct dash *d, bool yaml)
{
    struct dash_target t;
    dash_view_target(d, &t);
    if (t.kind == KUBE_KIND_COUNT || !t.name[0]) {
        dash_flash(d, true, "nothing selected");
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    dash_detail_open(d, &t, yaml);
    dash_go(d, DV_DETAIL);
    return SCREEN_HANDLED | SCREEN_DIRTY;
}

/* l, d, y: of the object of the view (a list's selected row, the pod whose
 * logs are shown, the object described), in every view. */
static int object_key(struct dash *d, int key)
{
    switch (key) {
    case 'l':
        return open_logs_of_selection(d);
    case 'd':
        return open_detail(d, false);
    case 'y':
        return open_detail(d, true);
    default:
        return SCREEN_IGNORED;
    }
}

static int list_key(struct dash *d, int key)
{
    switch (key) {
    case '/':
        prompt_open(d, DP_FILTER, d->lists[d->view].filter);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 's':
        if (d->view == DV_PODS) {
            static const char *const names[] = {"name", "status", "restarts", "age", "node"};
            d->pod_sort = (d->pod_sort + 1) % 5;
            dash_views_stale(d);
            dash_flash(d, false, "pods sorted by %s", names[d->pod_sort]);
            return SCREEN_HANDLED | SCREEN_DIRTY;
        }
        return SCREEN_IGNORED;
    case TUI_KEY_ENTER:
        if (d->view == DV_OVERVIEW) {
            struct dash_target t;
            dash_view_target(d, &t);
            if (t.kind == KUBE_KIND_COUNT)
                return SCREEN_HANDLED;
            dash_go(d, DV_PODS);
            dash_view_filter(d, DV_PODS, t.name);
            return SCREEN_HANDLED | SCREEN_DIRTY;
        }
        return open_detail(d, false);
    default:
        break;
    }
    if (dash_view_move(d, key, page_rows(d))) {
        dash_views_sync(d);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    return SCREEN_IGNORED;
}

static int dash_key(struct screen *s, struct app *a, int key)
{
    struct dash *d = s->data;
    d->app = a;
    if (d->prompt != DP_NONE)
        return prompt_key(d, key);
    if (key == ':') {
        prompt_open(d, DP_COMMAND, "");
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (key == '?') {
        /* a message (OK), not a question: Yes/No asked nothing */
        app_push(a, dialog_screen_message("Keys", help_text));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    }
    if (key == TUI_CTRL('c'))
        return SCREEN_QUIT;
    d->flash[0] = '\0';
    int r = SCREEN_IGNORED;
    if (d->view == DV_LOGS)
        r = dash_logs_key(d, key, page_rows(d));
    else if (d->view == DV_DETAIL)
        r = dash_detail_key(d, key, page_rows(d));
    if (r != SCREEN_IGNORED)
        return r;
    if (key == TUI_KEY_ESC) {
        if (d->view != DV_LOGS && d->view != DV_DETAIL && d->lists[d->view].filter[0]) {
            dash_view_filter(d, d->view, "");
            return SCREEN_HANDLED | SCREEN_DIRTY;
        }
        go_back(d);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (key == 'q' && d->view == DV_OVERVIEW && d->nback == 0)
        return SCREEN_QUIT;
    if (key == TUI_KEY_TAB || key == TUI_KEY_BTAB) {
        static const enum dash_view cycle[] = {DV_OVERVIEW, DV_PODS, DV_ROLLOUTS, DV_JOBS,
                                               DV_EVENTS};
        size_t i = 0;
        while (i < ARRAY_LEN(cycle) && cycle[i] != d->view)
            i++;
        i = key == TUI_KEY_TAB ? (i + 1) % ARRAY_LEN(cycle)
                               : (i + ARRAY_LEN(cycle) - 1) % ARRAY_LEN(cycle);
        d->nback = 0;
        /* leaving the logs or a describe stops what they read (a follow
         * went on in the background, however long) */
        if (d->view == DV_LOGS)
            dash_logs_close(d);
        if (d->view == DV_DETAIL)
            dash_detail_close(d);
        d->view = cycle[i];
        dash_views_sync(d);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    r = object_key(d, key);
    if (r != SCREEN_IGNORED)
        return r;
    if (d->view != DV_LOGS && d->view != DV_DETAIL) {
        r = list_key(d, key);
        if (r != SCREEN_IGNORED)
            return r;
    }
    r = dash_action_key(d, key);
    if (r)
        return r | SCREEN_HANDLED | SCREEN_DIRTY;
    return SCREEN_IGNORED;
}

/* ---- the frame ---- */

static const char *view_title(enum dash_view v)
{
    static const char *const t[] = {"overview", "pods", "rollouts", "jobs",
                                    "events",   "logs", "detail"};
    return t[v];
}

static void draw_title(struct dash *d, WINDOW *w)
{
    attr_t a = tui_attr(TUI_TITLE);
    tui_fill(w, 0, 0, d->cols, a);
    char left[640];
    snprintf(left, sizeof(left), " dify-tui  %s  context: %s  namespace: %s%s", view_title(d->view),
             d->context[0] ? d->context : "-", d->ns, d->o.read_only ? "  [read-only]" : "");
    char clock[16];
    time_t t = (time_t)dash_now(d);
    struct tm tm;
    strftime(clock, sizeof(clock), "%H:%M:%S ", gmtime_r(&t, &tm));
    int cw = (int)strlen(clock);
    dash_put(w, 0, 0, d->cols - cw - 1, left, a);
    tui_put(w, 0, d->cols - cw, cw, clock, a);
}

/* The connection banner: what does not work, since when. Returns rows used. */
static int draw_banner(struct dash *d, WINDOW *w, int y)
{
    const struct status_conn *c = status_conn(d->m);
    int used = 0;
    char line[1024];
    if (!c->reachable) {
        char since[32] = "", age[32] = "";
        time_t t = (time_t)c->down_since;
        struct tm tm;
        strftime(since, sizeof(since), "%H:%M:%S", gmtime_r(&t, &tm));
        kube_human_duration(dash_now(d) - c->down_since, age, sizeof(age));
        /* two lines that fit 80 columns: the error and the host, not the URL */
        char host[256], why[512];
        kube_http_err_brief(c->down_msg, host, sizeof(host), why, sizeof(why));
        snprintf(line, sizeof(line),
                 " API server unreachable since %s UTC (%s); the data below is from then", since,
                 age);
        tui_fill(w, y + used, 0, d->cols, tui_attr(TUI_ERROR));
        dash_put(w, y + used++, 0, d->cols, line, tui_attr(TUI_ERROR));
        snprintf(line, sizeof(line), " reconnecting: %s%s%s%s", why, host[0] ? " (" : "", host,
                 host[0] ? ")" : ""); /* the error first: an EKS host takes 70 columns */
        /* a reason that is not a request's (a credential plugin's failure:
         * "FILE: context: user: exec: command ... exited with status 255:
         * Token has expired") is wrapped over up to three lines, not cut:
         * its end is the reason */
        if (host[0]) {
            tui_fill(w, y + used, 0, d->cols, tui_attr(TUI_ERROR));
            dash_put(w, y + used++, 0, d->cols, line, tui_attr(TUI_ERROR));
        } else {
            char *safe = textsafe(line, 0, 0);
            int n = tui_text_lines(safe, d->cols, 1);
            n = n < 1 ? 1 : n > 3 ? 3 : n;
            for (int i = 0; i < n; i++)
                tui_fill(w, y + used + i, 0, d->cols, tui_attr(TUI_ERROR));
            used +=
                tui_put_wrapped_indent(w, y + used, 0, d->cols, 1, n, safe, tui_attr(TUI_ERROR));
            free(safe);
        }
    }
    if (c->nrefused > 1) {
        /* one line naming them all, then the first whole: nine lines of the
         * same refusal would push the table off a small terminal */
        int n = snprintf(line, sizeof(line), " %zu kinds refused in namespace \"%s\":", c->nrefused,
                         d->ns);
        for (size_t i = 0; i < c->nrefused && n > 0 && (size_t)n < sizeof(line); i++)
            n += snprintf(line + n, sizeof(line) - (size_t)n, "%s %s", i ? "," : "",
                          kube_resource_get(c->refused[i].kind)->plural);
        dash_put(w, y + used++, 0, d->cols, line, tui_attr(TUI_ERROR));
    }
    if (c->nrefused) {
        snprintf(line, sizeof(line), " %s", c->refused[0].msg);
        dash_put(w, y + used++, 0, d->cols, line, tui_attr(TUI_ERROR));
    }
    if (c->nmalformed && used < 4) {
        snprintf(line, sizeof(line), " %zu object%s could not be read (not shown): %s",
                 c->nmalformed, c->nmalformed == 1 ? "" : "s", c->malformed[0]);
        dash_put(w, y + used++, 0, d->cols, line, tui_attr(TUI_WARN));
    }
    if (!c->synced && c->reachable && used == 0) {
        dash_put(w, y + used++, 0, d->cols, " listing...", tui_attr(TUI_DIM));
    }
    return used;
}

static void draw_bottom(struct dash *d, WINDOW *w)
{
    int y = d->rows - 2;
    if (d->prompt != DP_NONE) {
        static const char *const p[] = {
            "", "/", ":", "search: ", "include: ", "exclude: ", "search: "};
        /* the typing happens at the end: an input wider than the line
         * shows its end, after a mark that says its start is hidden (it
         * showed the start, and what was typed went out of sight) */
        int room = d->cols - 2 - (int)strlen(p[d->prompt]);
        const char *in = d->input;
        while (*in && (int)textsafe_width(in) > room) {
            in++;
            while (((unsigned char)*in & 0xC0) == 0x80)
                in++;
        }
        char line[320];
        snprintf(line, sizeof(line), "%s%s%s", p[d->prompt], in != d->input ? "\xe2\x80\xa6" : "",
                 in);
        dash_put(w, y, 0, d->cols, line, tui_attr(TUI_EDIT));
    } else if (d->flash[0]) {
        dash_put(w, y, 0, d->cols, d->flash, tui_attr(d->flash_error ? TUI_ERROR : TUI_OK));
    } else if (d->view != DV_LOGS && d->view != DV_DETAIL && d->lists[d->view].filter[0]) {
        char line[200];
        snprintf(line, sizeof(line), "filter: %s (Esc clears)", d->lists[d->view].filter);
        dash_put(w, y, 0, d->cols, line, tui_attr(TUI_DIM));
    }
    static const struct tui_hint rw[] = {
        {":", "view", NULL},    {"/", "filter", NULL},  {"?", "help", NULL},
        {"Esc", "back", NULL},  {"l", "logs", NULL},    {"d", "describe", NULL},
        {"y", "yaml", NULL},    {"r", "restart", NULL}, {"^L", "rollback", NULL},
        {"m", "migrate", NULL}, {"^D", "delete", NULL},
    };
    static const struct tui_hint ro[] = {
        {":", "view", NULL}, {"/", "filter", NULL},   {"?", "help", NULL}, {"Esc", "back", NULL},
        {"l", "logs", NULL}, {"d", "describe", NULL}, {"y", "yaml", NULL}, {"Tab", "next", NULL},
    };
    static const struct tui_hint logs[] = {
        {"Esc", "back", NULL},    {"f", "follow", NULL}, {"p", "previous", NULL},
        {"/", "search", NULL},    {"n", "next", NULL},   {"i", "include", NULL},
        {"x", "exclude", NULL},   {"c", "clear", NULL},  {"w", "wrap/cut", NULL},
        {"o", "container", NULL},
    };
    static const struct tui_hint detail[] = {
        {"Esc", "back", NULL},   {"/", "search", NULL},    {"n", "next", NULL},
        {"N", "previous", NULL}, {"y", "yaml", NULL},      {"d", "describe", NULL},
        {"l", "logs", NULL},     {"g/G", "top/end", NULL},
    };
    if (d->view == DV_LOGS)
        tui_hints_draw(w, d->rows - 1, logs, ARRAY_LEN(logs));
    else if (d->view == DV_DETAIL)
        tui_hints_draw(w, d->rows - 1, detail, ARRAY_LEN(detail));
    else if (d->o.read_only)
        tui_hints_draw(w, d->rows - 1, ro, ARRAY_LEN(ro));
    else
        tui_hints_draw(w, d->rows - 1, rw, ARRAY_LEN(rw));
}

static void dash_draw(struct screen *s, WINDOW *w)
{
    struct dash *d = s->data;
    getmaxyx(w, d->rows, d->cols);
    if (!d->m)
        return;
    draw_title(d, w);
    int y = 1;
    y += draw_banner(d, w, y);
    int end = d->rows - 2;
    switch (d->view) {
    case DV_OVERVIEW:
        y += dash_health_draw(d, w, y);
        dash_overview_draw(d, w, y, end);
        break;
    case DV_LOGS:
        dash_logs_draw(d, w, y, end);
        break;
    case DV_DETAIL:
        dash_detail_draw(d, w, y, end);
        break;
    default:
        dash_view_draw(d, w, y, end);
        break;
    }
    draw_bottom(d, w);
}

/* ---- life ---- */

/* Once a second, on the second: the clock in the title and every age and
 * duration on screen move with time even when nothing in the cluster
 * changed (ncurses sends only the cells that changed). */
static void tick(struct loop *l, long long id, void *arg)
{
    struct dash *d = arg;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* 20 ms past the second: a timer a millisecond early would draw the
     * second before for a whole second */
    d->tick = loop_add_timer(l, 1020 - ts.tv_nsec / 1000000, tick, d);
    dash_dirty(d);
}

static int dash_enter(struct screen *s, struct app *a)
{
    struct dash *d = s->data;
    d->app = a;
    d->loop = a->loop;
    if (!d->c && !d->o.model) {
        struct error err;
        error_clear(&err);
        if (client_make(d, d->o.context, d->o.ns, &err) < 0) {
            dash_flash(d, true, "%s", err.msg);
            /* a model with no client shows nothing, but the screen works */
        }
    }
    model_start(d);
    if (d->loop && !d->tick)
        tick(d->loop, 0, d);
    return SCREEN_DIRTY;
}

static void dash_leave(struct screen *s, struct app *a)
{
    struct dash *d = s->data;
    model_stop(d);
    if (d->tick)
        loop_cancel_timer(d->loop, d->tick);
    d->tick = 0;
}

static int dash_resize(struct screen *s, struct app *a, int cols, int rows)
{
    struct dash *d = s->data;
    d->cols = cols;
    d->rows = rows;
    return SCREEN_DIRTY;
}

static void dash_free(struct screen *s)
{
    struct dash *d = s->data;
    model_stop(d);
    dash_actions_free(d);
    dash_views_free(d);
    if (d->own_client)
        kube_client_free(d->c);
    free((char *)d->o.kubeconfig);
    free((char *)d->o.context);
    free((char *)d->o.ns);
    free((char *)d->o.journal_dir);
    free(d);
    free(s);
}

static const struct screen_ops dash_ops = {
    .name = "dashboard",
    .enter = dash_enter,
    .leave = dash_leave,
    .on_key = dash_key,
    .resize = dash_resize,
    .draw = dash_draw,
    .free = dash_free,
};

struct screen *dashboard_screen_new(const struct dashboard_opts *o, struct error *err)
{
    struct dash *d = xcalloc(1, sizeof(*d));
    d->o = *o;
    d->o.kubeconfig = xstrdup_or_null(o->kubeconfig);
    d->o.context = xstrdup_or_null(o->context);
    d->o.ns = xstrdup_or_null(o->ns);
    d->o.journal_dir = xstrdup_or_null(o->journal_dir);
    d->c = o->client;
    if (o->model)
        snprintf(d->ns, sizeof(d->ns), "%s", status_namespace(o->model));
    else if (o->client)
        snprintf(d->ns, sizeof(d->ns), "%s", o->ns ? o->ns : kube_client_config(o->client)->ns);
    if (o->client)
        snprintf(d->context, sizeof(d->context), "%s",
                 kube_client_config(o->client)->context ? kube_client_config(o->client)->context
                                                        : "");
    for (int v = 0; v < DV_COUNT; v++)
        d->lists[v].stale = true;
    d->view = DV_OVERVIEW;
    if (!o->client && !o->model) {
        /* check the kubeconfig now, so the caller can say what is wrong
         * before a screen shows nothing */
        struct kube_config *cfg;
        if (kubeconfig_load_env(o->kubeconfig, o->context, o->ns, &cfg, err) < 0) {
            free((char *)d->o.kubeconfig);
            free((char *)d->o.context);
            free((char *)d->o.ns);
            free((char *)d->o.journal_dir);
            free(d);
            return NULL;
        }
        snprintf(d->ns, sizeof(d->ns), "%s", cfg->ns);
        snprintf(d->context, sizeof(d->context), "%s", cfg->context ? cfg->context : "");
        kube_config_free(cfg);
    }
    return screen_new(&dash_ops, d, false);
}
