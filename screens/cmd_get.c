/* screens/cmd_get.c: `dify-tui get` and `dify-tui rollout-status`, two small
 * commands over core's Kubernetes client (no curses). They print what kubectl
 * prints for the same question, so tests can hold the client's view of a
 * cluster against kubectl's: `get` prints the kind registry's columns with
 * core's kubectl printer (core/kube_print.c), `-o name` matches `kubectl get
 * -o name` byte for byte, rollout-status prints kubectl's message lines and
 * exits as kubectl does (0 done, 1 failed or timed out). Each command runs
 * one loop until its request or watch is over. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/rollout.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmd_get_watch.h"
#include "screens/cmds.h"

/* Cells come from the server: each passes the sanitiser (core/textsafe.h)
 * and is cut at GET_CELL_COLS columns (a name is at most 253). */
#define GET_CELL_COLS 512

/* kubectl's -o name: kind in lower case, with its group. */
static void print_name(const struct kube_resource *r, const char *name)
{
    char *safe = textsafe(name, 0, GET_CELL_COLS);
    for (const char *k = r->kind; *k; k++)
        putchar(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
    if (*r->group)
        printf(".%s", r->group);
    printf("/%s\n", safe);
    free(safe);
}

/* "error: MESSAGE" on stderr, the message (which quotes the server) made
 * safe for the terminal. */
static void print_error(const char *prefix, const char *msg)
{
    char *safe = textsafe(msg, 0, 0);
    fprintf(stderr, "%s%s\n", prefix, safe);
    free(safe);
}

void get_print_kube_error(const struct error *err)
{
    if (err->code == ERR_HTTP && err->detail == 401) {
        /* kubectl: "You must be logged in to the server (Unauthorized)";
         * it was "GET /api/...: 401 Unauthorized: Unauthorized" */
        print_error("error: You must be logged in to the server (Unauthorized): the API "
                    "server did not accept the credentials: ",
                    err->msg);
        return;
    }
    print_error("error: ", err->msg);
}

static bool take_global(int argc, char **argv, int *i, struct global_opts *g)
{
    return cmd_take_global(argc, argv, i, g);
}

struct get_run {
    struct loop *loop;
    struct kube_store *store;
    cJSON *items; /* -o json */
    struct error err;
};

static void get_item(const cJSON *item, void *arg)
{
    struct get_run *g = arg;
    struct error e;
    error_clear(&e);
    if (kube_store_apply(g->store, NULL, item, &e) < 0)
        print_error("warning: ", e.msg);
    if (g->items)
        cJSON_AddItemToArray(g->items, cJSON_Duplicate(item, true));
}

static void get_list_done(const char *rv, const struct error *err, void *arg)
{
    struct get_run *g = arg;
    if (err)
        g->err = *err;
    loop_stop(g->loop);
}

/* A GET's reply body as JSON; NULL with out set to the request's error
 * (req_err) or to the body not being JSON. */
static cJSON *reply_json(const char *body, size_t len, const struct error *req_err,
                         struct error *out)
{
    if (req_err) {
        *out = *req_err;
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j)
        error_set(out, ERR_PARSE, 0, "the reply is not JSON");
    return j;
}

static void get_one_done(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct get_run *g = arg;
    loop_stop(g->loop);
    cJSON *j = reply_json(body, len, err, &g->err);
    if (!j)
        return;
    get_item(j, g);
    cJSON_Delete(j);
}

/* The log's echo for a command without a UI: "warn: LINE" on stderr. */
static void echo_stderr(const char *level, const char *line)
{
    fprintf(stderr, "%s: %s\n", level, line);
}

static int load_client(const struct global_opts *g, struct loop *l, struct kube_client **out)
{
    /* No UI here: the client's warnings (insecure-skip-tls-verify, a
     * deprecated exec apiVersion, watch retries) go to stderr. */
    log_set_echo(echo_stderr);
    log_set_level(LOG_WARN);
    struct kube_config *cfg;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load_env(g->kubeconfig, g->context, g->ns, &cfg, &err) < 0) {
        print_error("error: ", err.msg);
        return -1;
    }
    *out = kube_client_new(l, cfg);
    return 0;
}

/* The process's CPU time (user and system), for --stats. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char get_usage[] =
    "usage: dify-tui get KIND [NAME] [-l SELECTOR] [--field-selector S] [-A] "
    "[-o wide|json|name] [-w] [--stats]\n"
    "  Lists objects like kubectl get. KIND: pods, deployments, statefulsets, daemonsets,\n"
    "  replicasets, jobs, services, ingresses, configmaps, secrets, serviceaccounts,\n"
    "  persistentvolumeclaims, nodes, namespaces, events (and their short names).\n"
    "  -w (--watch) prints the table, then a row per change, until interrupted\n"
    "  (Ctrl-C or kill ends it with exit 1, as kubectl get -w).\n"
    "  --stats prints the list time, its CPU time and the store's memory to stderr.\n";

struct get_args {
    struct global_opts g;
    const char *kind, *name, *lsel, *fsel, *out;
    bool all, stats, watch;
    char kind_buf[128]; /* KIND of KIND/NAME */
};

/* One flag of `get` (with its value); false when argv[*i] is not one. */
static bool get_flag(int argc, char **argv, int *i, struct get_args *a)
{
    const char *f = argv[*i];
    bool has_next = *i + 1 < argc;
    if ((!strcmp(f, "-l") || !strcmp(f, "--selector")) && has_next)
        a->lsel = argv[++*i];
    else if (!strncmp(f, "--selector=", 11))
        a->lsel = f + 11;
    else if (!strcmp(f, "--field-selector") && has_next)
        a->fsel = argv[++*i];
    else if (!strncmp(f, "--field-selector=", 17))
        a->fsel = f + 17;
    else if (!strcmp(f, "-A") || !strcmp(f, "--all-namespaces"))
        a->all = true;
    else if (!strcmp(f, "-o") && has_next)
        a->out = argv[++*i];
    else if (!strncmp(f, "-o", 2) && f[2])
        a->out = f[2] == '=' ? f + 3 : f + 2;
    else if (!strncmp(f, "--output=", 9))
        a->out = f + 9;
    else if (!strcmp(f, "--stats"))
        a->stats = true;
    else if (!strcmp(f, "-w") || !strcmp(f, "--watch") || !strcmp(f, "--watch=true"))
        a->watch = true;
    else if (!strcmp(f, "--watch=false"))
        a->watch = false;
    else
        return false;
    return true;
}

/* Parses get's arguments; returns -1 after printing what is wrong. */
static int get_parse(int argc, char **argv, struct get_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (take_global(argc, argv, &i, &a->g) || get_flag(argc, argv, &i, a))
            continue;
        if (arg[0] == '-') {
            fprintf(stderr, "error: unknown flag %s\n%s", arg, get_usage);
            return -1;
        }
        if (a->kind && a->name) {
            fprintf(stderr, "error: too many arguments\n%s", get_usage);
            return -1;
        }
        *(a->kind ? &a->name : &a->kind) = arg;
    }
    if (!cmd_globals_ok("get", &a->g))
        return -1;
    if (!a->kind) {
        fputs(get_usage, stderr);
        return -1;
    }
    const char *slash = strchr(a->kind, '/');
    if (slash && !a->name) {
        /* kubectl also takes KIND/NAME */
        snprintf(a->kind_buf, sizeof(a->kind_buf), "%.*s", (int)(slash - a->kind), a->kind);
        a->name = slash + 1;
        a->kind = a->kind_buf;
    }
    if (a->out && strcmp(a->out, "wide") && strcmp(a->out, "json") && strcmp(a->out, "name")) {
        fprintf(stderr, "error: unknown output format \"%s\" (wide, json, name)\n", a->out);
        return -1;
    }
    if (a->watch && a->out && strcmp(a->out, "wide")) {
        fprintf(stderr, "error: -w prints tables only (no -o %s)\n", a->out);
        return -1;
    }
    if (a->watch && a->stats) {
        fputs("error: --stats measures one list; it does not go with -w\n", stderr);
        return -1;
    }
    return 0;
}

/* -o json: the object, or a List of them as kubectl prints it. */
static void print_json(struct get_run *g, bool one)
{
    cJSON *doc;
    if (one) {
        doc = cJSON_DetachItemFromArray(g->items, 0);
    } else {
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "apiVersion", "v1");
        cJSON_AddItemToObject(doc, "items", g->items);
        g->items = NULL;
        cJSON_AddStringToObject(doc, "kind", "List");
        cJSON *md = cJSON_AddObjectToObject(doc, "metadata");
        cJSON_AddStringToObject(md, "resourceVersion", "");
    }
    char *s = cJSON_Print(doc);
    /* cJSON escapes controls; invalid UTF-8 and bidi overrides remain */
    char *safe = textsafe(s, TEXTSAFE_KEEP_NL, 0);
    printf("%s\n", safe);
    free(safe);
    free(s);
    cJSON_Delete(doc);
}

/* The laid-out rows so far, written out (kube_table's flush). */
static void write_rows(struct strbuf *out, void *arg)
{
    fputs(out->buf, stdout);
    out->len = 0;
    out->buf[0] = '\0';
}

/* The table kubectl prints: the registry's columns, in the server's order. */
static void print_table(const struct kube_store *st, const struct kube_resource *r, bool with_ns,
                        bool wide)
{
    struct kube_table t = {.flush = write_rows};
    long long now = (long long)time(NULL);
    kube_table_heading(&t, r, with_ns, wide);
    for (size_t i = 0; i < kube_store_count(st); i++)
        kube_table_row(&t, r, kube_store_at(st, i), with_ns, wide, now);
    for (size_t i = 0; i < t.nrows * t.ncols; i++) {
        char *safe = textsafe(t.cells[i], 0, GET_CELL_COLS);
        free(t.cells[i]);
        t.cells[i] = safe;
    }
    struct strbuf sb;
    strbuf_init(&sb);
    kube_table_render(&t, &sb);
    write_rows(&sb, NULL);
    strbuf_done(&sb);
}

static int get_print(struct get_run *g, const struct get_args *a, const struct kube_resource *r,
                     const char *ns)
{
    if (error_is_set(&g->err)) {
        get_print_kube_error(&g->err);
        return EXIT_FAIL;
    }
    if (g->items)
        print_json(g, a->name != NULL);
    else if (a->out && !strcmp(a->out, "name"))
        for (size_t i = 0; i < kube_store_count(g->store); i++)
            print_name(r, kube_store_at(g->store, i)->name);
    else if (kube_store_count(g->store) == 0 && ns)
        fprintf(stderr, "No resources found in %s namespace.\n", ns);
    else if (kube_store_count(g->store) == 0)
        fprintf(stderr, "No resources found\n");
    else
        print_table(g->store, r, a->all && r->namespaced, a->out && !strcmp(a->out, "wide"));
    return EXIT_OK;
}

static int cmd_get_run(int argc, char **argv, const struct global_opts *g0)
{
    struct get_args a = {.g = *g0};
    if (get_parse(argc, argv, &a) < 0)
        return EXIT_BADINPUT;
    const struct kube_resource *res = kube_resource_find(a.kind);
    if (!res) {
        fprintf(stderr, "error: the server doesn't have a resource type \"%s\"\n", a.kind);
        return EXIT_BADINPUT;
    }
    struct loop *l = loop_new();
    struct kube_client *c;
    if (load_client(&a.g, l, &c) < 0) {
        loop_free(l);
        return EXIT_FAIL;
    }
    const char *ns = res->namespaced && !a.all ? kube_client_config(c)->ns : NULL;
    if (a.watch) {
        int rc = cmd_get_watch(c, res, ns, a.name, a.lsel, a.fsel, a.all && res->namespaced,
                               a.out && !strcmp(a.out, "wide"));
        kube_client_free(c);
        loop_free(l);
        return rc;
    }
    struct get_run g = {.loop = l, .store = kube_store_new(res->id)};
    error_clear(&g.err);
    if (a.out && !strcmp(a.out, "json"))
        g.items = cJSON_CreateArray();
    long long t0 = now_ms();
    double cpu0 = cpu_seconds();
    if (a.name) {
        kube_get(c, res, ns ? ns : kube_client_config(c)->ns, a.name, get_one_done, &g);
    } else {
        /* -o json prints the items whole: JSON then */
        struct kube_list_opts lo = {res, ns, a.lsel, a.fsel, 500, !g.items};
        kube_list_start(c, &lo, get_item, get_list_done, &g);
    }
    loop_run(l);
    long long t1 = now_ms();
    double cpu = cpu_seconds() - cpu0;
    int rc = get_print(&g, &a, res, ns);
    if (a.stats) {
        size_t n = kube_store_count(g.store), mem = kube_store_memory(g.store);
        fprintf(stderr,
                "stats: %zu %s listed in %lld ms (CPU %.1f ms, %.2f us per object); store %zu "
                "bytes (%zu bytes per object); pages: %u protobuf, %u JSON\n",
                n, res->plural, t1 - t0, cpu * 1e3, n ? cpu * 1e6 / (double)n : 0.0, mem,
                n ? mem / n : 0, kube_client_pages(c, true), kube_client_pages(c, false));
    }
    cJSON_Delete(g.items);
    kube_store_free(g.store);
    kube_client_free(c);
    loop_free(l);
    return rc;
}

const struct command cmd_get = {"get", "list Kubernetes objects like kubectl get", get_usage,
                                cmd_get_run};

/* ---- rollout-status ---- */

struct rs_run {
    struct loop *loop;
    enum kube_kind kind;
    const char *name;
    bool finished;
    int rc;
};

/* Prints kubectl's line for the rollout's state: a failure to stderr. */
static enum rollout_state rs_print(enum kube_kind kind, const struct kube_obj *o)
{
    char msg[512];
    enum rollout_state st = rollout_status(kind, o, msg, sizeof(msg));
    char *safe = textsafe(msg, 0, 0);
    if (st == ROLLOUT_FAILED) {
        fprintf(stderr, "error: %s\n", safe);
    } else {
        printf("%s\n", safe);
        fflush(stdout);
    }
    free(safe);
    return st;
}

/* The watch is over: the command's one loop stops. */
static void rs_finish(struct rs_run *r, int rc)
{
    r->rc = rc;
    r->finished = true;
    loop_stop(r->loop);
}

static void rs_check(struct rs_run *r, const struct kube_obj *o)
{
    enum rollout_state st = rs_print(r->kind, o);
    if (st == ROLLOUT_FAILED)
        rs_finish(r, EXIT_FAIL);
    else if (st == ROLLOUT_DONE)
        rs_finish(r, EXIT_OK);
}

static void rs_changed(enum kube_kind kind, enum kube_change ch, const struct kube_obj *o,
                       void *arg)
{
    struct rs_run *r = arg;
    if (r->finished || strcmp(o->name, r->name) != 0)
        return;
    if (ch == KUBE_DELETED) {
        fprintf(stderr, "error: object has been deleted\n");
        rs_finish(r, EXIT_FAIL);
        return;
    }
    rs_check(r, o);
}

static void rs_watch_error(const struct error *err, void *arg)
{
    struct rs_run *r = arg;
    /* Once the rollout was reported done (from the list), a refused watch
     * changes nothing: kubectl exits 0 then too. */
    if (r->finished)
        return;
    /* A missing object or a refusal will not fix itself. */
    if (err->code == ERR_HTTP && (err->detail == 404 || err->detail == 403 || err->detail == 401)) {
        get_print_kube_error(err);
        rs_finish(r, EXIT_FAIL);
    }
}

struct rs_store_ctx {
    struct kube_store *store;
    struct rs_run *r;
    const struct kube_resource *res;
    bool listed;
};

static void rs_begin(void *arg)
{
    struct rs_store_ctx *x = arg;
    kube_store_relist_begin(x->store);
}

static void rs_item(const cJSON *o, void *arg)
{
    struct rs_store_ctx *x = arg;
    kube_store_apply(x->store, NULL, o, NULL);
}

static void rs_end(const char *rv, void *arg)
{
    struct rs_store_ctx *x = arg;
    kube_store_relist_end(x->store);
    if (!x->listed && kube_store_count(x->store) == 0 && !x->r->finished) {
        /* kubectl: Error from server (NotFound): deployments.apps "x" not found */
        fprintf(stderr, "error: %s%s%s \"%s\" not found\n", x->res->plural,
                *x->res->group ? "." : "", x->res->group, x->r->name);
        rs_finish(x->r, EXIT_FAIL);
    }
    x->listed = true;
}

static void rs_event(const char *type, const cJSON *o, void *arg)
{
    struct rs_store_ctx *x = arg;
    kube_store_apply(x->store, type, o, NULL);
}

static void rs_error(const struct error *err, void *arg)
{
    struct rs_store_ctx *x = arg;
    rs_watch_error(err, x->r);
}

static void rs_timeout(struct loop *l, long long id, void *arg)
{
    struct rs_run *r = arg;
    if (r->finished)
        return;
    fprintf(stderr, "error: timed out waiting for the condition\n");
    rs_finish(r, EXIT_FAIL);
}

struct rs_get {
    struct loop *loop;
    struct error err;
    struct kube_obj *obj;
    enum kube_kind kind;
};

static void rs_get_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct rs_get *g = arg;
    loop_stop(g->loop);
    cJSON *j = reply_json(body, len, err, &g->err);
    if (!j)
        return;
    g->obj = kube_obj_parse(g->kind, j, &g->err);
    cJSON_Delete(j);
}

static const char rs_usage[] =
    "usage: dify-tui rollout-status KIND/NAME [--watch[=false]] [--timeout SECONDS]\n"
    "  Prints kubectl rollout status's lines for a deployment, statefulset or daemonset\n"
    "  (and our own for a job); exits 0 when done, 1 when failed or timed out.\n";

struct rs_args {
    struct global_opts g;
    const char *target;
    bool watch;
    double timeout;
};

/* Parses rollout-status's arguments; returns -1 after printing what is wrong. */
static int rs_parse(int argc, char **argv, struct rs_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (take_global(argc, argv, &i, &a->g))
            continue;
        if (!strcmp(f, "--watch") || !strcmp(f, "-w") || !strcmp(f, "--watch=true"))
            a->watch = true;
        else if (!strcmp(f, "--watch=false"))
            a->watch = false;
        else if (!strcmp(f, "--timeout") && i + 1 < argc)
            a->timeout = atof(argv[++i]);
        else if (!strncmp(f, "--timeout=", 10))
            a->timeout = atof(f + 10);
        else if (f[0] == '-') {
            fprintf(stderr, "error: unknown flag %s\n%s", f, rs_usage);
            return -1;
        } else if (!a->target)
            a->target = f;
        else {
            fputs(rs_usage, stderr);
            return -1;
        }
    }
    if (!cmd_globals_ok("rollout-status", &a->g))
        return -1;
    const char *slash = a->target ? strchr(a->target, '/') : NULL;
    if (!slash || !slash[1]) {
        fputs(rs_usage, stderr);
        return -1;
    }
    return 0;
}

/* --watch=false: one GET, one line. */
static int rs_once(struct kube_client *c, const struct kube_resource *res, const char *ns,
                   const char *name)
{
    struct rs_get g = {.loop = kube_client_loop(c), .kind = res->id};
    error_clear(&g.err);
    kube_get(c, res, ns, name, rs_get_done, &g);
    loop_run(g.loop);
    int rc;
    if (error_is_set(&g.err)) {
        get_print_kube_error(&g.err);
        rc = EXIT_FAIL;
    } else {
        rc = rs_print(res->id, g.obj) == ROLLOUT_FAILED ? EXIT_FAIL : EXIT_OK;
    }
    kube_obj_free(g.obj);
    return rc;
}

/* Watches the object by name and prints a line for every change until the
 * rollout is done, fails, or the timeout passes. */
static int rs_watch(struct kube_client *c, const struct kube_resource *res, const char *ns,
                    const char *name, double timeout)
{
    struct loop *l = kube_client_loop(c);
    struct rs_run r = {.loop = l, .kind = res->id, .name = name, .rc = EXIT_FAIL};
    struct kube_store *store = kube_store_new(res->id);
    kube_store_subscribe(store, rs_changed, &r);
    struct rs_store_ctx x = {store, &r, res, false};
    char *fsel = xasprintf("metadata.name=%s", name);
    struct kube_watch_opts wo = {.res = res, .ns = ns, .field_selector = fsel};
    struct kube_watch_handlers h = {rs_begin, rs_item, rs_end, rs_event, NULL, rs_error};
    struct kube_watch *w = kube_watch_start(c, &wo, &h, &x);
    long long timer =
        timeout > 0 ? loop_add_timer(l, (long long)(timeout * 1000), rs_timeout, &r) : 0;
    loop_run(l);
    loop_cancel_timer(l, timer);
    kube_watch_cancel(w);
    kube_store_free(store);
    free(fsel);
    return r.rc;
}

static int cmd_rollout_status_run(int argc, char **argv, const struct global_opts *g0)
{
    struct rs_args a = {.g = *g0, .watch = true};
    if (rs_parse(argc, argv, &a) < 0)
        return EXIT_BADINPUT;
    const char *slash = strchr(a.target, '/');
    char kindname[128];
    snprintf(kindname, sizeof(kindname), "%.*s", (int)(slash - a.target), a.target);
    const struct kube_resource *res = kube_resource_find(kindname);
    enum kube_kind k = res ? res->id : KUBE_KIND_COUNT;
    if (k != KUBE_DEPLOYMENT && k != KUBE_STATEFULSET && k != KUBE_DAEMONSET && k != KUBE_JOB) {
        fprintf(stderr, "error: no status viewer has been implemented for %s\n", kindname);
        return EXIT_BADINPUT;
    }
    struct loop *l = loop_new();
    struct kube_client *c;
    if (load_client(&a.g, l, &c) < 0) {
        loop_free(l);
        return EXIT_FAIL;
    }
    const char *ns = kube_client_config(c)->ns;
    int rc = a.watch ? rs_watch(c, res, ns, slash + 1, a.timeout) : rs_once(c, res, ns, slash + 1);
    kube_client_free(c);
    loop_free(l);
    return rc;
}

const struct command cmd_rollout_status = {"rollout-status",
                                           "wait for a rollout like kubectl rollout status",
                                           rs_usage, cmd_rollout_status_run};
