/* screens/diagnostics.c: the diagnostics screen (see diagnostics.h).
 *
 *   row 0            title: namespace, counts, what is still running
 *   rows 1..L        the checks, under their areas' headings
 *   row L+1          the selected check's id, title and status
 *   rows L+2..R-3    its summary, explanation, evidence, Try and More
 *   row R-2          a note (what was copied, what is re-running)
 *   row R-1          the keys
 *
 * Everything a check reports came from a cluster, a server or a file, so
 * every string passes core/textsafe before it is drawn. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/loop.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/diagnose_setup.h"
#include "screens/diagnostics.h"
#include "screens/screen.h"
#include "tui/clipboard.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/term.h"
#include "tui/theme.h"

#define SPIN_MS 250

struct diag {
    struct app *app;
    struct check_env *env;
    struct check_run *run;
    size_t sel;     /* the selected check */
    int list_top;   /* first list row shown */
    int detail_top; /* first detail paragraph shown */
    long long spin_timer;
    unsigned spin;
    char note[512];
    bool confirm_key; /* asking whether to accept the selected check's host key */
    int exit_code;
    int *exit_out; /* also written here, for whoever outlives the screen */
};

/* ---- the list: headings and checks ---- */

struct row {
    bool heading;
    int area;
    size_t check;
};

static size_t rows_build(const struct diag *d, struct row *out, size_t cap)
{
    size_t n = 0;
    int area = -1;
    for (size_t i = 0; i < check_run_count(d->run); i++) {
        const struct check_def *def = check_run_def(d->run, i);
        if ((int)def->area != area) {
            area = (int)def->area;
            if (n < cap)
                out[n] = (struct row){true, area, 0};
            n++;
        }
        if (n < cap)
            out[n] = (struct row){false, area, i};
        n++;
    }
    return n;
}

static const char *status_token(enum check_status s, unsigned spin)
{
    static const char *const spinner[] = {"[ |  ]", "[ /  ]", "[ -  ]", "[ \\  ]"};
    switch (s) {
    case CHECK_OK:
        return "[ ok ]";
    case CHECK_WARN:
        return "[WARN]";
    case CHECK_FAIL:
        return "[FAIL]";
    case CHECK_SKIPPED:
        return "[skip]";
    case CHECK_RUNNING:
        return spinner[spin % 4];
    default:
        return "[    ]";
    }
}

static int status_role(enum check_status s)
{
    switch (s) {
    case CHECK_OK:
        return TUI_OK;
    case CHECK_WARN:
        return TUI_WARN;
    case CHECK_FAIL:
        return TUI_ERROR;
    default:
        return TUI_DIM;
    }
}

/* ---- layout ---- */

static int list_height(int rows)
{
    int h = (rows - 4) / 2;
    return h < 5 ? 5 : h;
}

static void keep_selection_visible(struct diag *d, int rows)
{
    struct row r[512];
    size_t n = rows_build(d, r, ARRAY_LEN(r));
    int h = list_height(rows);
    int at = 0;
    for (size_t i = 0; i < n && i < ARRAY_LEN(r); i++)
        if (!r[i].heading && r[i].check == d->sel)
            at = (int)i;
    /* Show the area's heading with its first check. */
    if (at > 0 && r[at - 1].heading)
        at--;
    if (at < d->list_top)
        d->list_top = at;
    int sel_row = at + (r[at].heading ? 1 : 0);
    if (sel_row >= d->list_top + h)
        d->list_top = sel_row - h + 1;
}

/* ---- drawing ---- */

static void draw_title(struct diag *d, WINDOW *w, int cols)
{
    char t[512];
    int running =
        (int)(check_run_tally(d->run, CHECK_RUNNING) + check_run_tally(d->run, CHECK_PENDING));
    snprintf(t, sizeof(t), " Diagnostics  namespace %s  %zu ok  %zu warn  %zu fail  %zu skipped%s",
             d->env->ns ? d->env->ns : "?", check_run_tally(d->run, CHECK_OK),
             check_run_tally(d->run, CHECK_WARN), check_run_tally(d->run, CHECK_FAIL),
             check_run_tally(d->run, CHECK_SKIPPED), running ? "  (running)" : "");
    char *safe = textsafe(t, 0, 0);
    tui_fill(w, 0, 0, cols, tui_attr(TUI_TITLE));
    tui_put(w, 0, 0, cols, safe, tui_attr(TUI_TITLE));
    free(safe);
}

static void draw_list(struct diag *d, WINDOW *w, int cols, int rows)
{
    struct row r[512];
    size_t n = rows_build(d, r, ARRAY_LEN(r));
    int h = list_height(rows);
    for (int y = 0; y < h; y++) {
        size_t i = (size_t)(d->list_top + y);
        if (i >= n || i >= ARRAY_LEN(r))
            break;
        int row = 1 + y;
        if (r[i].heading) {
            tui_put(w, row, 1, cols - 1, check_area_title((enum check_area)r[i].area),
                    tui_attr(TUI_HEADING));
            continue;
        }
        const struct check_def *def = check_run_def(d->run, r[i].check);
        const struct check_result *res = check_run_result(d->run, r[i].check);
        bool selected = r[i].check == d->sel;
        attr_t base = selected ? tui_attr(TUI_FOCUS) : tui_attr(TUI_NORMAL);
        if (selected)
            tui_fill(w, row, 0, cols, base);
        int x = 2;
        x += tui_put(w, row, x, cols - x, status_token(res->status, d->spin),
                     selected ? base : tui_attr(status_role(res->status)));
        x += 1;
        x += tui_put(w, row, x, cols - x, def->id, base);
        x = x < 16 ? 16 : x + 1;
        int tw = cols - x < 40 ? cols - x : 40;
        tui_put(w, row, x, tw, def->title, base);
        x += tw + 1;
        if (x < cols - 4 && res->summary) {
            /* cut with "...", never silently mid-word */
            char *safe = textsafe(res->summary, 0, cols - x - 1 > 0 ? (size_t)(cols - x - 1) : 1);
            tui_put(w, row, x, cols - x - 1, safe,
                    selected ? base : tui_attr(status_role(res->status)));
            free(safe);
        }
    }
}

struct para {
    char *text;
    int role;
    int indent;
};

/* prefix then text, both made safe. */
static void para_add(struct para *p, size_t *n, size_t cap, int role, int indent,
                     const char *prefix, const char *text)
{
    if (*n >= cap || !text)
        return;
    char *raw = xasprintf("%s%s", prefix, text);
    p[*n].text = textsafe(raw, 0, 0);
    free(raw);
    p[*n].role = role;
    p[*n].indent = indent;
    (*n)++;
}

static size_t detail_build(const struct diag *d, struct para *p, size_t cap)
{
    const struct check_result *r = check_run_result(d->run, d->sel);
    size_t n = 0;
    if (!r)
        return 0;
    para_add(p, &n, cap, status_role(r->status), 0, "",
             r->summary ? r->summary : (r->status == CHECK_PENDING ? "not run yet" : "running..."));
    para_add(p, &n, cap, TUI_NORMAL, 0, "", r->explain);
    if (r->nevidence)
        para_add(p, &n, cap, TUI_LABEL, 0, "", "Evidence:");
    for (size_t i = 0; i < r->nevidence; i++)
        para_add(p, &n, cap, TUI_NORMAL, 4, "  - ", r->evidence[i]);
    if (r->hostkey) {
        char line[512];
        snprintf(line, sizeof(line), "%s %s offered by %s port %d", r->hostkey->type,
                 r->hostkey->fingerprint, r->hostkey->host, r->hostkey->port);
        para_add(p, &n, cap, TUI_LABEL, 0, "",
                 "Host key not trusted (a accepts it, after you compare it with the bastion's):");
        para_add(p, &n, cap, TUI_FOCUS, 4, "    ", line);
    }
    if (r->try_cmd) {
        para_add(p, &n, cap, TUI_LABEL, 0, "", "Try fixing it (c copies):");
        para_add(p, &n, cap, TUI_FOCUS, 4, "    ", r->try_cmd);
    }
    if (r->more) {
        para_add(p, &n, cap, TUI_LABEL, 0, "", "For more information see:");
        para_add(p, &n, cap, TUI_NORMAL, 4, "    ", r->more);
    }
    return n;
}

static void draw_detail(struct diag *d, WINDOW *w, int cols, int rows)
{
    int top = 1 + list_height(rows);
    const struct check_def *def = check_run_def(d->run, d->sel);
    const struct check_result *r = check_run_result(d->run, d->sel);
    if (!def)
        return;
    char head[256];
    snprintf(head, sizeof(head), "%s  %s  (%s)", def->id, def->title, check_status_name(r->status));
    tui_fill(w, top, 0, cols, tui_attr(TUI_HEADING));
    tui_put(w, top, 1, cols - 1, head, tui_attr(TUI_HEADING));
    struct para p[96];
    size_t n = detail_build(d, p, ARRAY_LEN(p));
    int y = top + 1, bottom = rows - 3;
    if (d->detail_top > (int)n - 1)
        d->detail_top = n ? (int)n - 1 : 0;
    for (size_t i = (size_t)d->detail_top; i < n && y <= bottom; i++)
        y += tui_put_wrapped_indent(w, y, 1, cols - 2, p[i].indent, bottom - y + 1, p[i].text,
                                    tui_attr(p[i].role));
    for (size_t i = 0; i < n; i++)
        free(p[i].text);
}

static void diag_draw(struct screen *s, WINDOW *w)
{
    struct diag *d = s->data;
    int rows, cols;
    getmaxyx(w, rows, cols);
    draw_title(d, w, cols);
    draw_list(d, w, cols, rows);
    draw_detail(d, w, cols, rows);
    if (d->note[0]) {
        char *safe = textsafe(d->note, 0, 0);
        tui_put(w, rows - 2, 1, cols - 2, safe, tui_attr(TUI_DIM));
        free(safe);
    }
    static const struct tui_hint hints[] = {
        {"↑↓", "select", "Up/Dn"},   {"r", "re-run", NULL},         {"R", "re-run all", NULL},
        {"c", "copy command", NULL}, {"PgUp/PgDn", "scroll", NULL}, {"q", "quit", NULL},
    };
    static const struct tui_hint key_hints[] = {
        {"↑↓", "select", "Up/Dn"},   {"r", "re-run", NULL}, {"a", "accept host key", NULL},
        {"c", "copy command", NULL}, {"q", "quit", NULL},
    };
    static const struct tui_hint confirm_hints[] = {
        {"y", "accept the host key", NULL},
        {"any other key", "do not", NULL},
    };
    const struct check_result *r = check_run_result(d->run, d->sel);
    if (d->confirm_key)
        tui_hints_draw(w, rows - 1, confirm_hints, (int)ARRAY_LEN(confirm_hints));
    else if (r && r->hostkey)
        tui_hints_draw(w, rows - 1, key_hints, (int)ARRAY_LEN(key_hints));
    else
        tui_hints_draw(w, rows - 1, hints, (int)ARRAY_LEN(hints));
}

/* ---- the run and the spinner ---- */

static void spin_arm(struct diag *d);

static void on_spin(struct loop *l, long long id, void *arg)
{
    struct diag *d = arg;
    d->spin_timer = 0;
    d->spin++;
    if (d->app)
        d->app->dirty = true;
    spin_arm(d);
}

static void spin_arm(struct diag *d)
{
    if (!d->spin_timer && check_run_busy(d->run) && d->app && !d->app->headless)
        d->spin_timer = loop_add_timer(d->env->loop, SPIN_MS, on_spin, d);
}

static void run_changed(struct check_run *r, size_t i, void *arg)
{
    struct diag *d = arg;
    if (i == (size_t)-1) {
        d->exit_code = check_run_exit_code(r);
        if (d->exit_out)
            *d->exit_out = d->exit_code;
    }
    if (d->app)
        d->app->dirty = true;
}

/* ---- keys ---- */

static void move_sel(struct diag *d, int delta)
{
    size_t n = check_run_count(d->run);
    if (!n)
        return;
    long s = (long)d->sel + delta;
    if (s < 0)
        s = 0;
    if (s >= (long)n)
        s = (long)n - 1;
    if ((size_t)s != d->sel)
        d->detail_top = 0;
    d->sel = (size_t)s;
}

static void copy_command(struct diag *d)
{
    const struct check_def *def = check_run_def(d->run, d->sel);
    const struct check_result *r = check_run_result(d->run, d->sel);
    if (!r || !r->try_cmd) {
        snprintf(d->note, sizeof(d->note), "%s has no command to copy", def ? def->id : "?");
        return;
    }
    if (!d->app->headless)
        tui_clipboard_set(r->try_cmd);
    snprintf(d->note, sizeof(d->note), "copied to the clipboard: %s", r->try_cmd);
}

/* 'a': asks before trusting the host key the selected check offers. */
static void ask_accept(struct diag *d)
{
    const struct check_result *r = check_run_result(d->run, d->sel);
    if (!r || !r->hostkey) {
        snprintf(d->note, sizeof(d->note), "%s has no host key to accept",
                 check_run_def(d->run, d->sel)->id);
        return;
    }
    d->confirm_key = true;
    snprintf(d->note, sizeof(d->note),
             "Trust %s %s for %s port %d and add it to %s? Only if it is the bastion's "
             "(ssh-keygen -lf on the bastion). y accepts",
             r->hostkey->type, r->hostkey->fingerprint, r->hostkey->host, r->hostkey->port,
             r->hostkey->known_hosts);
}

/* The answer to ask_accept: y accepts the key and re-runs the check. */
static void answer_accept(struct diag *d, int key)
{
    d->confirm_key = false;
    const struct check_result *r = check_run_result(d->run, d->sel);
    if (key != 'y' && key != 'Y') {
        snprintf(d->note, sizeof(d->note), "the host key was not accepted");
        return;
    }
    if (!r || !r->hostkey)
        return;
    char fp[128];
    snprintf(fp, sizeof(fp), "%s", r->hostkey->fingerprint);
    check_run_accept_host_key(d->run, fp);
    snprintf(d->note, sizeof(d->note), "accepted %s; re-running %s", fp,
             check_run_def(d->run, d->sel)->id);
    check_run_restart(d->run, d->sel);
    spin_arm(d);
}

static int diag_key(struct screen *s, struct app *a, int key)
{
    struct diag *d = s->data;
    int rows, cols;
    tui_term_size(&cols, &rows);
    if (d->confirm_key) {
        answer_accept(d, key);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    switch (key) {
    case TUI_KEY_UP:
    case 'k':
        move_sel(d, -1);
        break;
    case TUI_KEY_DOWN:
    case 'j':
        move_sel(d, 1);
        break;
    case TUI_KEY_HOME:
        move_sel(d, -(int)check_run_count(d->run));
        break;
    case TUI_KEY_END:
        move_sel(d, (int)check_run_count(d->run));
        break;
    case TUI_KEY_PGDN:
        d->detail_top += 3;
        break;
    case TUI_KEY_PGUP:
        d->detail_top = d->detail_top > 3 ? d->detail_top - 3 : 0;
        break;
    case 'r':
        snprintf(d->note, sizeof(d->note), "re-running %s", check_run_def(d->run, d->sel)->id);
        check_run_restart(d->run, d->sel);
        spin_arm(d);
        break;
    case 'R':
        snprintf(d->note, sizeof(d->note), "re-running every check");
        check_run_start(d->run);
        spin_arm(d);
        break;
    case 'c':
        copy_command(d);
        break;
    case 'a':
        ask_accept(d);
        break;
    case 'q':
    case TUI_KEY_ESC:
        return SCREEN_HANDLED | SCREEN_POP;
    default:
        return SCREEN_IGNORED;
    }
    keep_selection_visible(d, rows);
    return SCREEN_HANDLED | SCREEN_DIRTY;
}

/* ---- life ---- */

static int diag_enter(struct screen *s, struct app *a)
{
    struct diag *d = s->data;
    d->app = a;
    check_run_start(d->run);
    spin_arm(d);
    return SCREEN_DIRTY;
}

static void diag_leave(struct screen *s, struct app *a)
{
    struct diag *d = s->data;
    if (d->spin_timer)
        loop_cancel_timer(d->env->loop, d->spin_timer);
    d->spin_timer = 0;
    d->app = NULL;
}

static int diag_resize(struct screen *s, struct app *a, int cols, int rows)
{
    keep_selection_visible(s->data, rows);
    return SCREEN_DIRTY;
}

static void diag_free(struct screen *s)
{
    struct diag *d = s->data;
    check_run_free(d->run);
    free(d);
    free(s);
}

static const struct screen_ops diag_ops = {
    .name = "diagnostics",
    .enter = diag_enter,
    .leave = diag_leave,
    .on_key = diag_key,
    .resize = diag_resize,
    .draw = diag_draw,
    .free = diag_free,
};

struct screen *diagnostics_screen_new(struct check_env *env, const char *const *only, size_t nonly,
                                      const struct check_def *defs, size_t ndefs, struct error *err)
{
    struct diag *d = xcalloc(1, sizeof(*d));
    d->env = env;
    d->run = defs ? check_run_new_defs(env, defs, ndefs, run_changed, d)
                  : check_run_new(env, only, nonly, run_changed, d, err);
    if (!d->run) {
        free(d);
        return NULL;
    }
    return screen_new(&diag_ops, d, false);
}

int diagnostics_screen_exit(const struct screen *s)
{
    const struct diag *d = s->data;
    return d->exit_code;
}

int diagnostics_run(struct diagnose_setup *s)
{
    struct app app;
    struct error err;
    error_clear(&err);
    if (app_init(&app, &err) < 0) {
        fprintf(stderr, "dify-tui diagnose: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    diagnose_setup_connect(s, app.loop);
    struct screen *scr =
        diagnostics_screen_new(&s->env, (const char *const *)s->only, s->nonly, NULL, 0, &err);
    if (!scr) {
        app_done(&app);
        fprintf(stderr, "dify-tui diagnose: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    int last = 0;
    ((struct diag *)scr->data)->exit_out = &last;
    app_push_now(&app, scr);
    app_run(&app);
    /* The screens first (they hold the run), then the client, then the
     * loop they all live on. */
    while (app.depth > 0) {
        struct screen *top = app_top(&app);
        app.depth--;
        if (top->ops->leave)
            top->ops->leave(top, &app);
        top->ops->free(top);
    }
    kube_client_free(s->env.kube);
    s->env.kube = NULL;
    app_done(&app);
    return last;
}
