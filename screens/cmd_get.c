/* screens/cmd_get.c: `dify-tui get` and `dify-tui rollout-status`, two small
 * commands over core's Kubernetes client (no curses). They print what kubectl
 * prints for the same question, so tests can hold the client's view of a
 * cluster against kubectl's: `get -o name` matches `kubectl get -o name`
 * byte for byte, rollout-status prints kubectl's message lines and exits as
 * kubectl does (0 done, 1 failed or timed out). */
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
#include "screens/cmds.h"

/* kubectl's age format (apimachinery duration.HumanDuration). */
static void human_age(long long secs, char *buf, size_t len)
{
    if (secs < -1) {
        snprintf(buf, len, "<invalid>");
        return;
    }
    if (secs < 0)
        secs = 0;
    long long m = secs / 60, h = secs / 3600, d = h / 24, y = d / 365;
    if (secs < 120)
        snprintf(buf, len, "%llds", secs);
    else if (m < 10)
        secs % 60 ? snprintf(buf, len, "%lldm%llds", m, secs % 60) : snprintf(buf, len, "%lldm", m);
    else if (m < 180)
        snprintf(buf, len, "%lldm", m);
    else if (h < 8)
        m % 60 ? snprintf(buf, len, "%lldh%lldm", h, m % 60) : snprintf(buf, len, "%lldh", h);
    else if (h < 48)
        snprintf(buf, len, "%lldh", h);
    else if (h < 192)
        h % 24 ? snprintf(buf, len, "%lldd%lldh", d, h % 24) : snprintf(buf, len, "%lldd", d);
    else if (d < 730)
        snprintf(buf, len, "%lldd", d);
    else if (y < 8)
        d % 365 ? snprintf(buf, len, "%lldy%lldd", y, d % 365) : snprintf(buf, len, "%lldy", y);
    else
        snprintf(buf, len, "%lldy", y);
}

/* A table printed like kubectl's tabwriter: columns padded by 3 spaces. */
struct table {
    char **cells;
    size_t ncols, nrows;
};

static void table_add(struct table *t, char **row)
{
    t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
    memcpy(&t->cells[t->nrows * t->ncols], row, t->ncols * sizeof(char *));
    t->nrows++;
}

/* Cells come from the server: each passes the sanitiser (core/textsafe.h)
 * and is cut at GET_CELL_COLS columns (a name is at most 253). */
#define GET_CELL_COLS 512

static void table_print(struct table *t)
{
    size_t *w = xcalloc(t->ncols, sizeof(size_t));
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        char *safe = textsafe(t->cells[i], 0, GET_CELL_COLS);
        free(t->cells[i]);
        t->cells[i] = safe;
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t l = textsafe_width(t->cells[r * t->ncols + c]);
            if (l > w[c])
                w[c] = l;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (c + 1 < t->ncols)
                printf("%s%*s", s, (int)(w[c] + 3 - textsafe_width(s)), "");
            else
                printf("%s", s);
            free(t->cells[r * t->ncols + c]);
        }
        printf("\n");
    }
    free(w);
    free(t->cells);
}

static char *nz(const char *s, const char *def)
{
    return xstrdup(!str_empty(s) ? s : def);
}

/* A kind in lower case, as kubectl writes it in "pod/x": up to the first
 * '/' (ASCII only; kinds are). */
static void lower_kind(char *s)
{
    for (; *s && *s != '/'; s++)
        *s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
}

/* kubectl's column headings per kind; `wide` is the one -o wide adds. */
static const struct {
    const char *cols[7];
    const char *wide;
} get_headers[KUBE_KIND_COUNT] = {
    [KUBE_POD] = {{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}, "NODE"},
    [KUBE_DEPLOYMENT] = {{"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"}},
    [KUBE_STATEFULSET] = {{"NAME", "READY", "AGE"}},
    [KUBE_DAEMONSET] = {{"NAME", "DESIRED", "UP-TO-DATE", "AVAILABLE", "AGE"}},
    [KUBE_REPLICASET] = {{"NAME", "DESIRED", "CURRENT", "READY", "AGE"}},
    [KUBE_JOB] = {{"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"}},
    [KUBE_EVENT] = {{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}},
    [KUBE_SERVICE] = {{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"}},
    [KUBE_INGRESS] = {{"NAME", "CLASS", "HOSTS", "AGE"}},
    [KUBE_CONFIGMAP] = {{"NAME", "DATA", "AGE"}},
    [KUBE_SECRET] = {{"NAME", "TYPE", "DATA", "AGE"}},
    [KUBE_SERVICEACCOUNT] = {{"NAME", "AGE"}},
    [KUBE_PVC] = {{"NAME", "STATUS", "VOLUME", "CAPACITY", "STORAGECLASS", "AGE"}},
    [KUBE_NODE] = {{"NAME", "STATUS", "ROLES", "AGE", "VERSION"}},
    [KUBE_NAMESPACE] = {{"NAME", "STATUS", "AGE"}},
};

/* The heading row; it sets the table's width. */
static void add_header(struct table *t, enum kube_kind k, bool all_ns, bool wide)
{
    char *row[12];
    size_t n = 0;
    if (all_ns)
        row[n++] = xstrdup("NAMESPACE");
    for (size_t c = 0; c < ARRAY_LEN(get_headers[k].cols) && get_headers[k].cols[c]; c++)
        row[n++] = xstrdup(get_headers[k].cols[c]);
    if (wide && get_headers[k].wide)
        row[n++] = xstrdup(get_headers[k].wide);
    t->ncols = n;
    table_add(t, row);
}

/* One row per object, its columns in get_headers' order. */
static void add_row(struct table *t, enum kube_kind k, const struct kube_obj *o, bool all_ns,
                    bool wide, long long now)
{
    char age[32], a[64], b[64];
    if (o->created)
        human_age(now - o->created, age, sizeof(age));
    else
        snprintf(age, sizeof(age), "<unknown>");
    char *row[12];
    size_t n = 0;
#define COL(x) (row[n++] = (x))
    if (all_ns)
        COL(xstrdup(o->ns));
    switch (k) {
    case KUBE_POD:
        COL(xstrdup(o->name));
        COL(xasprintf("%u/%u", o->u.pod.ready, o->u.pod.total));
        COL(xstrdup(o->u.pod.reason ? o->u.pod.reason : ""));
        COL(xasprintf("%u", o->u.pod.restarts));
        COL(xstrdup(age));
        if (wide)
            COL(nz(o->u.pod.node, "<none>"));
        break;
    case KUBE_DEPLOYMENT:
        COL(xstrdup(o->name));
        COL(xasprintf("%d/%d", o->u.wl.ready,
                      o->u.wl.spec_replicas < 0 ? 0 : o->u.wl.spec_replicas));
        COL(xasprintf("%d", o->u.wl.updated));
        COL(xasprintf("%d", o->u.wl.available));
        COL(xstrdup(age));
        break;
    case KUBE_STATEFULSET:
        COL(xstrdup(o->name));
        COL(xasprintf("%d/%d", o->u.wl.ready,
                      o->u.wl.spec_replicas < 0 ? 0 : o->u.wl.spec_replicas));
        COL(xstrdup(age));
        break;
    case KUBE_DAEMONSET:
        COL(xstrdup(o->name));
        COL(xasprintf("%d", o->u.wl.desired_scheduled));
        COL(xasprintf("%d", o->u.wl.updated_scheduled));
        COL(xasprintf("%d", o->u.wl.number_available));
        COL(xstrdup(age));
        break;
    case KUBE_REPLICASET:
        COL(xstrdup(o->name));
        COL(xasprintf("%d", o->u.wl.spec_replicas < 0 ? 0 : o->u.wl.spec_replicas));
        COL(xasprintf("%d", o->u.wl.replicas));
        COL(xasprintf("%d", o->u.wl.ready));
        COL(xstrdup(age));
        break;
    case KUBE_JOB:
        COL(xstrdup(o->name));
        COL(xstrdup(o->u.job.failed_cond ? "Failed" : o->u.job.complete ? "Complete" : "Running"));
        COL(xasprintf("%d/%d", o->u.job.succeeded,
                      o->u.job.completions < 0 ? 1 : o->u.job.completions));
        if (o->u.job.start) {
            human_age((o->u.job.completion ? o->u.job.completion : now) - o->u.job.start, b,
                      sizeof(b));
            COL(xstrdup(b));
        } else {
            COL(xstrdup(""));
        }
        COL(xstrdup(age));
        break;
    case KUBE_SERVICE:
        COL(xstrdup(o->name));
        COL(nz(o->u.svc.type, "ClusterIP"));
        COL(nz(o->u.svc.cluster_ip, "<none>"));
        COL(nz(o->u.svc.external, "<none>"));
        COL(nz(o->u.svc.ports, "<none>"));
        COL(xstrdup(age));
        break;
    case KUBE_INGRESS:
        COL(xstrdup(o->name));
        COL(nz(o->u.ing.class_name, "<none>"));
        COL(nz(o->u.ing.hosts, "*"));
        COL(xstrdup(age));
        break;
    case KUBE_CONFIGMAP:
    case KUBE_SECRET:
        COL(xstrdup(o->name));
        if (k == KUBE_SECRET)
            COL(nz(o->u.keys.type, "Opaque"));
        COL(xasprintf("%u", o->u.keys.nkeys));
        COL(xstrdup(age));
        break;
    case KUBE_PVC:
        COL(xstrdup(o->name));
        COL(nz(o->u.pvc.phase, ""));
        COL(nz(o->u.pvc.volume, ""));
        COL(nz(o->u.pvc.capacity, ""));
        COL(nz(o->u.pvc.storage_class, "<unset>"));
        COL(xstrdup(age));
        break;
    case KUBE_NODE:
        COL(xstrdup(o->name));
        snprintf(a, sizeof(a), "%s%s", o->u.node.ready ? "Ready" : "NotReady",
                 o->u.node.unschedulable ? ",SchedulingDisabled" : "");
        COL(xstrdup(a));
        COL(nz(o->u.node.roles, "<none>"));
        COL(xstrdup(age));
        COL(nz(o->u.node.kubelet_version, ""));
        break;
    case KUBE_NAMESPACE:
        COL(xstrdup(o->name));
        COL(nz(o->u.nsobj.phase, ""));
        COL(xstrdup(age));
        break;
    case KUBE_EVENT:
        human_age(o->u.ev.last ? now - o->u.ev.last : 0, b, sizeof(b));
        COL(xstrdup(b));
        COL(nz(o->u.ev.type, ""));
        COL(nz(o->u.ev.reason, ""));
        snprintf(a, sizeof(a), "%s/%s", o->u.ev.involved_kind ? o->u.ev.involved_kind : "",
                 o->u.ev.involved_name ? o->u.ev.involved_name : "");
        lower_kind(a);
        COL(xstrdup(a));
        COL(nz(o->u.ev.message, ""));
        break;
    default: /* service accounts: name and age */
        COL(xstrdup(o->name));
        COL(xstrdup(age));
        break;
    }
#undef COL
    if (n == t->ncols)
        table_add(t, row);
}

/* kubectl's -o name: kind in lower case, with its group. */
static void print_name(const struct kube_resource *r, const char *name)
{
    char kind[64];
    snprintf(kind, sizeof(kind), "%s", r->kind);
    lower_kind(kind);
    char *safe = textsafe(name, 0, GET_CELL_COLS);
    if (*r->group)
        printf("%s.%s/%s\n", kind, r->group, safe);
    else
        printf("%s/%s\n", kind, safe);
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

/* kubectl takes its global flags anywhere: so do these commands. Returns
 * true when argv[*i] was one (and consumed its value). */
static bool take_global(int argc, char **argv, int *i, struct global_opts *g)
{
    static const struct {
        const char *flag;
        size_t off;
    } flags[] = {
        {"--kubeconfig", offsetof(struct global_opts, kubeconfig)},
        {"--context", offsetof(struct global_opts, context)},
        {"--namespace", offsetof(struct global_opts, ns)},
        {"-n", offsetof(struct global_opts, ns)},
    };
    for (size_t f = 0; f < ARRAY_LEN(flags); f++) {
        size_t n = strlen(flags[f].flag);
        const char *a = argv[*i];
        const char **dst = (const char **)(void *)((char *)g + flags[f].off);
        if (!strcmp(a, flags[f].flag) && *i + 1 < argc) {
            *dst = argv[++*i];
            return true;
        }
        if (!strncmp(a, flags[f].flag, n) && a[n] == '=') {
            *dst = a + n + 1;
            return true;
        }
    }
    return false;
}

struct get_run {
    struct loop *loop;
    struct kube_store *store;
    cJSON *items; /* -o json */
    bool done;
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
    g->done = true;
    if (err)
        g->err = *err;
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
    g->done = true;
    cJSON *j = reply_json(body, len, err, &g->err);
    if (!j)
        return;
    get_item(j, g);
    cJSON_Delete(j);
}

static int load_client(const struct global_opts *g, struct loop *l, struct kube_client **out)
{
    /* No UI here: the client's warnings (insecure-skip-tls-verify, a
     * deprecated exec apiVersion, watch retries) go to stderr. */
    log_set_stderr(1);
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

static const char get_usage[] =
    "usage: dify-tui get KIND [NAME] [-l SELECTOR] [--field-selector S] [-A] "
    "[-o wide|json|name] [--stats]\n"
    "  Lists objects like kubectl get. KIND: pods, deployments, statefulsets, daemonsets,\n"
    "  replicasets, jobs, services, ingresses, configmaps, secrets, serviceaccounts,\n"
    "  persistentvolumeclaims, nodes, namespaces, events (and their short names).\n"
    "  --stats prints the list time and the store's memory to stderr.\n";

static int cmd_get_run(int argc, char **argv, const struct global_opts *g0)
{
    struct global_opts gl = *g0, *gopts = &gl;
    const char *kind = NULL, *name = NULL, *lsel = NULL, *fsel = NULL, *out = NULL;
    bool all = false, stats = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (take_global(argc, argv, &i, gopts))
            continue;
        if ((!strcmp(a, "-l") || !strcmp(a, "--selector")) && i + 1 < argc)
            lsel = argv[++i];
        else if (!strncmp(a, "--selector=", 11))
            lsel = a + 11;
        else if (!strcmp(a, "--field-selector") && i + 1 < argc)
            fsel = argv[++i];
        else if (!strncmp(a, "--field-selector=", 17))
            fsel = a + 17;
        else if (!strcmp(a, "-A") || !strcmp(a, "--all-namespaces"))
            all = true;
        else if (!strcmp(a, "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strncmp(a, "-o", 2) && a[2])
            out = a[2] == '=' ? a + 3 : a + 2;
        else if (!strncmp(a, "--output=", 9))
            out = a + 9;
        else if (!strcmp(a, "--stats"))
            stats = true;
        else if (a[0] == '-') {
            fprintf(stderr, "error: unknown flag %s\n%s", a, get_usage);
            return EXIT_BADINPUT;
        } else if (!kind)
            kind = a;
        else if (!name)
            name = a;
        else {
            fprintf(stderr, "error: too many arguments\n%s", get_usage);
            return EXIT_BADINPUT;
        }
    }
    if (!kind) {
        fputs(get_usage, stderr);
        return EXIT_BADINPUT;
    }
    if (strchr(kind, '/') && !name) {
        /* kubectl also takes KIND/NAME */
        static char k[128];
        snprintf(k, sizeof(k), "%.*s", (int)(strchr(kind, '/') - kind), kind);
        name = strchr(kind, '/') + 1;
        kind = k;
    }
    if (out && strcmp(out, "wide") && strcmp(out, "json") && strcmp(out, "name")) {
        fprintf(stderr, "error: unknown output format \"%s\" (wide, json, name)\n", out);
        return EXIT_BADINPUT;
    }
    const struct kube_resource *res = kube_resource_find(kind);
    if (!res || kube_kind_of(res) == KUBE_KIND_COUNT) {
        fprintf(stderr, "error: the server doesn't have a resource type \"%s\"\n", kind);
        return EXIT_BADINPUT;
    }
    enum kube_kind k = kube_kind_of(res);
    struct loop *l = loop_new();
    struct kube_client *c;
    if (load_client(gopts, l, &c) < 0) {
        loop_free(l);
        return EXIT_FAIL;
    }
    const char *ns = res->namespaced && !all ? kube_client_config(c)->ns : NULL;
    struct get_run g = {.loop = l, .store = kube_store_new(k)};
    error_clear(&g.err);
    bool json = out && !strcmp(out, "json");
    if (json)
        g.items = cJSON_CreateArray();
    long long t0 = now_ms();
    if (name) {
        kube_get(c, res, ns ? ns : kube_client_config(c)->ns, name, get_one_done, &g);
    } else {
        struct kube_list_opts lo = {res, ns, lsel, fsel, 500};
        kube_list_start(c, &lo, get_item, get_list_done, &g);
    }
    while (!g.done)
        loop_run_once(l, -1);
    long long t1 = now_ms();
    int rc = EXIT_OK;
    if (error_is_set(&g.err)) {
        print_error("error: ", g.err.msg);
        rc = EXIT_FAIL;
    } else if (json) {
        cJSON *doc;
        if (name) {
            doc = cJSON_DetachItemFromArray(g.items, 0);
        } else {
            doc = cJSON_CreateObject();
            cJSON_AddStringToObject(doc, "apiVersion", "v1");
            cJSON_AddItemToObject(doc, "items", g.items);
            g.items = NULL;
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
    } else if (out && !strcmp(out, "name")) {
        for (size_t i = 0; i < kube_store_count(g.store); i++)
            print_name(res, kube_store_at(g.store, i)->name);
    } else if (kube_store_count(g.store) == 0) {
        if (ns)
            fprintf(stderr, "No resources found in %s namespace.\n", ns);
        else
            fprintf(stderr, "No resources found\n");
    } else {
        struct table t = {0};
        long long now = (long long)time(NULL);
        bool wide = out && !strcmp(out, "wide");
        add_header(&t, k, all && res->namespaced, wide);
        for (size_t i = 0; i < kube_store_count(g.store); i++)
            add_row(&t, k, kube_store_at(g.store, i), all && res->namespaced, wide, now);
        table_print(&t);
    }
    if (stats) {
        size_t n = kube_store_count(g.store), mem = kube_store_memory(g.store);
        fprintf(stderr, "stats: %zu %s listed in %lld ms; store %zu bytes (%zu bytes per object)\n",
                n, res->plural, t1 - t0, mem, n ? mem / n : 0);
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

static void rs_check(struct rs_run *r, const struct kube_obj *o)
{
    enum rollout_state st = rs_print(r->kind, o);
    if (st == ROLLOUT_FAILED) {
        r->rc = EXIT_FAIL;
        r->finished = true;
    } else if (st == ROLLOUT_DONE) {
        r->rc = EXIT_OK;
        r->finished = true;
    }
}

static void rs_changed(enum kube_kind kind, enum kube_change ch, const struct kube_obj *o,
                       void *arg)
{
    struct rs_run *r = arg;
    if (r->finished || strcmp(o->name, r->name) != 0)
        return;
    if (ch == KUBE_DELETED) {
        fprintf(stderr, "error: object has been deleted\n");
        r->rc = EXIT_FAIL;
        r->finished = true;
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
        print_error("error: ", err->msg);
        r->rc = EXIT_FAIL;
        r->finished = true;
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
        x->r->rc = EXIT_FAIL;
        x->r->finished = true;
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
    r->rc = EXIT_FAIL;
    r->finished = true;
}

struct rs_get {
    bool done;
    struct error err;
    struct kube_obj *obj;
    enum kube_kind kind;
};

static void rs_get_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct rs_get *g = arg;
    g->done = true;
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

static int cmd_rollout_status_run(int argc, char **argv, const struct global_opts *g0)
{
    struct global_opts gl = *g0, *gopts = &gl;
    const char *target = NULL;
    bool watch = true;
    double timeout = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (take_global(argc, argv, &i, gopts))
            continue;
        if (!strcmp(a, "--watch") || !strcmp(a, "-w") || !strcmp(a, "--watch=true"))
            watch = true;
        else if (!strcmp(a, "--watch=false"))
            watch = false;
        else if (!strcmp(a, "--timeout") && i + 1 < argc)
            timeout = atof(argv[++i]);
        else if (!strncmp(a, "--timeout=", 10))
            timeout = atof(a + 10);
        else if (a[0] == '-') {
            fprintf(stderr, "error: unknown flag %s\n%s", a, rs_usage);
            return EXIT_BADINPUT;
        } else if (!target)
            target = a;
        else {
            fputs(rs_usage, stderr);
            return EXIT_BADINPUT;
        }
    }
    const char *slash = target ? strchr(target, '/') : NULL;
    if (!slash || !slash[1]) {
        fputs(rs_usage, stderr);
        return EXIT_BADINPUT;
    }
    char kindname[128];
    snprintf(kindname, sizeof(kindname), "%.*s", (int)(slash - target), target);
    const struct kube_resource *res = kube_resource_find(kindname);
    enum kube_kind k = res ? kube_kind_of(res) : KUBE_KIND_COUNT;
    if (k != KUBE_DEPLOYMENT && k != KUBE_STATEFULSET && k != KUBE_DAEMONSET && k != KUBE_JOB) {
        fprintf(stderr, "error: no status viewer has been implemented for %s\n", kindname);
        return EXIT_BADINPUT;
    }
    const char *name = slash + 1;
    struct loop *l = loop_new();
    struct kube_client *c;
    if (load_client(gopts, l, &c) < 0) {
        loop_free(l);
        return EXIT_FAIL;
    }
    const char *ns = kube_client_config(c)->ns;
    int rc;
    if (!watch) {
        struct rs_get g = {.kind = k};
        error_clear(&g.err);
        kube_get(c, res, ns, name, rs_get_done, &g);
        while (!g.done)
            loop_run_once(l, -1);
        if (error_is_set(&g.err)) {
            print_error("error: ", g.err.msg);
            rc = EXIT_FAIL;
        } else {
            rc = rs_print(k, g.obj) == ROLLOUT_FAILED ? EXIT_FAIL : EXIT_OK;
        }
        kube_obj_free(g.obj);
    } else {
        struct rs_run r = {.loop = l, .kind = k, .name = name, .rc = EXIT_FAIL};
        struct kube_store *store = kube_store_new(k);
        kube_store_subscribe(store, rs_changed, &r);
        struct rs_store_ctx x = {store, &r, res, false};
        char *fsel = xasprintf("metadata.name=%s", name);
        struct kube_watch_opts wo = {.res = res, .ns = ns, .field_selector = fsel};
        struct kube_watch_handlers h = {rs_begin, rs_item, rs_end, rs_event, NULL, rs_error};
        struct kube_watch *w = kube_watch_start(c, &wo, &h, &x);
        long long timer =
            timeout > 0 ? loop_add_timer(l, (long long)(timeout * 1000), rs_timeout, &r) : 0;
        while (!r.finished)
            loop_run_once(l, -1);
        loop_cancel_timer(l, timer);
        kube_watch_cancel(w);
        kube_store_free(store);
        free(fsel);
        rc = r.rc;
    }
    kube_client_free(c);
    loop_free(l);
    return rc;
}

const struct command cmd_rollout_status = {"rollout-status",
                                           "wait for a rollout like kubectl rollout status",
                                           rs_usage, cmd_rollout_status_run};
