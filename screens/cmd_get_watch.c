/* screens/cmd_get_watch.c: `dify-tui get KIND -w`, as kubectl's: the table
 * of the first list (one layout for the heading and the rows), then one row
 * per change as it arrives, aligned with the rows before it (kubectl's
 * tabwriter remembers its column widths across flushes, growing them as a
 * cell needs), deleted objects included, until interrupted; an empty first
 * list prints nothing and the heading comes with the first row. It watches through a store
 * (core/kube_store.h), so the first list is paged and an expired watch relists once without
 * printing the list again. Cells pass core/textsafe. */
#include "config.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/loop.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmd_get_watch.h"
#include "screens/command.h"

#define CELL_COLS 512
#define MAX_COLS 32

struct gw {
    struct loop *loop;
    struct kube_store *store;
    const struct kube_resource *res;
    const char *ns;
    bool with_ns, wide;
    bool listed;             /* the first list was done */
    bool heading;            /* the heading was printed */
    size_t widths[MAX_COLS]; /* remembered across rows, as kubectl's */
    int rc;
};

/* The laid-out rows so far, written out (kube_table's flush). */
static void write_rows(struct strbuf *out, void *arg)
{
    fputs(out->buf, stdout);
    out->len = 0;
    out->buf[0] = '\0';
}

static void print_table(struct gw *g, struct kube_table *t)
{
    t->flush = write_rows;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        char *safe = textsafe(t->cells[i], 0, CELL_COLS);
        free(t->cells[i]);
        t->cells[i] = safe;
    }
    struct strbuf sb;
    strbuf_init(&sb);
    if (t->ncols <= MAX_COLS)
        kube_table_render_widths(t, g->widths, &sb);
    else
        kube_table_render(t, &sb);
    write_rows(&sb, NULL);
    /* a watch whose rows cannot be written (a full disk, a closed pipe)
     * ends: main says why, and the exit is not 0 */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        g->rc = EXIT_FAIL;
        loop_stop(g->loop);
    }
    strbuf_done(&sb);
}

static void changed(enum kube_kind kind, enum kube_change ch, const struct kube_obj *o, void *arg)
{
    struct gw *g = arg;
    if (!g->listed)
        return; /* the first list is printed whole at its end */
    struct kube_table t = {0};
    /* after an empty first list, the heading comes with the first row */
    if (!g->heading)
        kube_table_heading(&t, g->res, g->with_ns, g->wide);
    g->heading = true;
    kube_table_row(&t, g->res, o, g->with_ns, g->wide, (long long)time(NULL));
    print_table(g, &t);
}

static void begin(void *arg)
{
    struct gw *g = arg;
    kube_store_relist_begin(g->store);
}

static void item(const cJSON *obj, void *arg)
{
    struct gw *g = arg;
    struct error e;
    error_clear(&e);
    if (kube_store_apply(g->store, NULL, obj, &e) < 0) {
        char *safe = textsafe(e.msg, 0, 0);
        fprintf(stderr, "warning: %s\n", safe);
        free(safe);
    }
}

static void end(const char *rv, void *arg)
{
    struct gw *g = arg;
    kube_store_relist_end(g->store);
    if (g->listed)
        return;
    g->listed = true;
    size_t n = kube_store_count(g->store);
    if (n == 0)
        return; /* kubectl -w says nothing until something comes */
    struct kube_table t = {0};
    long long now = (long long)time(NULL);
    kube_table_heading(&t, g->res, g->with_ns, g->wide);
    g->heading = true;
    for (size_t i = 0; i < n; i++)
        kube_table_row(&t, g->res, kube_store_at(g->store, i), g->with_ns, g->wide, now);
    print_table(g, &t);
}

static void event(const char *type, const cJSON *obj, void *arg)
{
    struct gw *g = arg;
    struct error e;
    error_clear(&e);
    if (kube_store_apply(g->store, type, obj, &e) < 0) {
        char *safe = textsafe(e.msg, 0, 0);
        fprintf(stderr, "warning: %s\n", safe);
        free(safe);
    }
}

static void werror(const struct error *err, void *arg)
{
    struct gw *g = arg;
    /* a refusal will not fix itself; nor does a server that cannot be
     * reached before anything was listed (a wrong context, a kubeconfig
     * that points at nothing): kubectl get -w exits 1 at once there too.
     * Once listed, a broken watch is retried by the watch (relist, backoff). */
    bool refused =
        err->code == ERR_HTTP && (err->detail == 401 || err->detail == 403 || err->detail == 404);
    bool unreachable = !g->listed && (err->code == ERR_NETWORK || err->code == ERR_AUTH);
    if (refused || unreachable) {
        get_print_kube_error(err);
        g->rc = EXIT_FAIL;
        loop_stop(g->loop);
    }
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    struct gw *g = arg;
    if (signo != SIGPIPE) /* the pipe's end is cmd_stdout_failed's (SIGPIPE) */
        g->rc = EXIT_FAIL;
    loop_stop(l);
}

int cmd_get_watch(struct kube_client *c, const struct kube_resource *res, const char *ns,
                  const char *name, const char *lsel, const char *fsel, bool with_ns, bool wide)
{
    struct loop *l = kube_client_loop(c);
    struct gw g = {.loop = l, .res = res, .ns = ns, .with_ns = with_ns, .wide = wide};
    g.store = kube_store_new(res->id);
    kube_store_subscribe(g.store, changed, &g);
    char *by_name =
        name ? xasprintf("metadata.name=%s%s%s", name, fsel ? "," : "", fsel ? fsel : "") : NULL;
    struct kube_watch_opts wo = {.res = res,
                                 .ns = ns,
                                 .label_selector = lsel,
                                 .field_selector = by_name ? by_name : fsel,
                                 .projected = true};
    static const struct kube_watch_handlers h = {begin, item, end, event, NULL, werror};
    struct kube_watch *w = kube_watch_start(c, &wo, &h, &g);
    for (size_t i = 0; i < CMD_WATCH_NSTOP; i++)
        loop_watch_signal(l, cmd_watch_stop_signals[i], on_signal, &g);
    loop_watch_signal(l, SIGPIPE, on_signal, &g);
    loop_run(l);
    kube_watch_cancel(w);
    kube_store_free(g.store);
    free(by_name);
    return g.rc;
}
