/* core/checks.c: running the checks: selection, the shared facts, each
 * check's deadline and end, and the result of the whole run (see
 * core/checks.h). The checks themselves are in core/checks_<area>.c. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/checks.h"
#include "core/checks_impl.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

#define CHECK_DEFAULT_TIMEOUT_MS 30000

/* ---- names ---- */

const char *check_status_name(enum check_status s)
{
    static const char *const names[] = {"pending", "running", "ok", "warn", "fail", "skipped"};
    return (unsigned)s < ARRAY_LEN(names) ? names[s] : "?";
}

static const struct {
    const char *name, *title;
} areas[] = {
    [AREA_CLUSTER] = {"cluster", "Cluster"},
    [AREA_WORKLOADS] = {"workloads", "Workloads"},
    [AREA_SECRETS] = {"secrets", "Secrets"},
    [AREA_POSTGRES] = {"postgres", "PostgreSQL"},
    [AREA_REDIS] = {"redis", "Redis"},
    [AREA_DAEMON] = {"daemon", "Plugin daemon"},
    [AREA_INGRESS] = {"ingress", "Ingress"},
    [AREA_IRSA] = {"irsa", "IRSA (IAM roles for ServiceAccounts)"},
    [AREA_MIGRATION] = {"migration", "Migration"},
    [AREA_REMOTE] = {"remote", "Remote (bastion)"},
};

const char *check_area_name(enum check_area a)
{
    return (unsigned)a < ARRAY_LEN(areas) && areas[a].name ? areas[a].name : "?";
}

const char *check_area_title(enum check_area a)
{
    return (unsigned)a < ARRAY_LEN(areas) && areas[a].title ? areas[a].title : "?";
}

/* ---- the built-in table: one array per area file ---- */

extern const struct check_def checks_cluster[], checks_workloads[], checks_secrets[],
    checks_postgres[], checks_redis[], checks_daemon[], checks_ingress[], checks_irsa[],
    checks_migration[], checks_remote[];
extern const size_t checks_cluster_n, checks_workloads_n, checks_secrets_n, checks_postgres_n,
    checks_redis_n, checks_daemon_n, checks_ingress_n, checks_irsa_n, checks_migration_n,
    checks_remote_n;

static const struct {
    const struct check_def *defs;
    const size_t *n;
} tables[] = {
    {checks_cluster, &checks_cluster_n},     {checks_workloads, &checks_workloads_n},
    {checks_secrets, &checks_secrets_n},     {checks_postgres, &checks_postgres_n},
    {checks_redis, &checks_redis_n},         {checks_daemon, &checks_daemon_n},
    {checks_ingress, &checks_ingress_n},     {checks_irsa, &checks_irsa_n},
    {checks_migration, &checks_migration_n}, {checks_remote, &checks_remote_n},
};

size_t check_def_count(void)
{
    size_t n = 0;
    for (size_t t = 0; t < ARRAY_LEN(tables); t++)
        n += *tables[t].n;
    return n;
}

const struct check_def *check_def_at(size_t i)
{
    for (size_t t = 0; t < ARRAY_LEN(tables); t++) {
        if (i < *tables[t].n)
            return &tables[t].defs[i];
        i -= *tables[t].n;
    }
    return NULL;
}

const struct check_def *check_def_find(const char *id)
{
    for (size_t i = 0; i < check_def_count(); i++)
        if (strcasecmp(check_def_at(i)->id, id) == 0)
            return check_def_at(i);
    return NULL;
}

/* ---- state ---- */

/* A fact's items at one moment; checks that started with it hold it. */
struct fact_snap {
    int refs;
    cJSON *items;
};

enum fact_state { FACT_IDLE, FACT_FETCHING, FACT_READY, FACT_FAILED };

struct fact {
    struct check_run *run;
    enum check_fact which;
    enum fact_state state;
    struct fact_snap *snap; /* READY */
    struct error err;       /* FAILED */
    struct kube_list *list;
    struct kube_req *req;
    cJSON *building;
};

enum phase { PH_IDLE, PH_WAIT_FACTS, PH_RUNNING, PH_ENDED };

struct tracked {
    struct tracked *next;
    struct check *c;
    struct kube_req *req;
    kube_done_cb done;
    void *arg;
};

struct check {
    struct check_run *run;
    size_t index;
    const struct check_def *def;
    struct check_result res;
    enum phase phase;
    bool needs_cleanup; /* started: stop and the fact references are due */
    struct fact_snap *snaps[FACT__COUNT];
    void *state;
    char *waiting;
    long long t0;
    long long deadline_timer;
    long long cleanup_timer;
    struct tracked *reqs;
};

struct check_run {
    struct check_env env;
    struct check *checks;
    size_t n;
    struct fact facts[FACT__COUNT];
    check_run_cb cb;
    void *arg;
    char *kubectl;
    long long done_timer;
    char *accepted_fp; /* env.accept_fingerprint when the screen set it */
};

static const struct {
    const char *name;
    int kind;         /* enum kube_kind, or -1 for a path outside the registry */
    const char *path; /* cluster-scoped kinds the registry does not describe */
} fact_info[FACT__COUNT] = {
    [FACT_NODES] = {"nodes", KUBE_NODE, NULL},
    [FACT_STORAGECLASSES] = {"storage classes", -1, "/apis/storage.k8s.io/v1/storageclasses"},
    [FACT_INGRESSCLASSES] = {"ingress classes", -1, "/apis/networking.k8s.io/v1/ingressclasses"},
    [FACT_PODS] = {"pods", KUBE_POD, NULL},
    [FACT_DEPLOYMENTS] = {"deployments", KUBE_DEPLOYMENT, NULL},
    [FACT_STATEFULSETS] = {"statefulsets", KUBE_STATEFULSET, NULL},
    [FACT_DAEMONSETS] = {"daemonsets", KUBE_DAEMONSET, NULL},
    [FACT_JOBS] = {"jobs", KUBE_JOB, NULL},
    [FACT_SERVICES] = {"services", KUBE_SERVICE, NULL},
    [FACT_INGRESSES] = {"ingresses", KUBE_INGRESS, NULL},
    [FACT_CONFIGMAPS] = {"configmaps", KUBE_CONFIGMAP, NULL},
    [FACT_SECRETS] = {"secrets", KUBE_SECRET, NULL},
    [FACT_SERVICEACCOUNTS] = {"serviceaccounts", KUBE_SERVICEACCOUNT, NULL},
    [FACT_PVCS] = {"persistentvolumeclaims", KUBE_PVC, NULL},
};

const char *check_fact_name(enum check_fact f)
{
    return (unsigned)f < FACT__COUNT ? fact_info[f].name : "?";
}

/* Secret values live in the facts (a Secret's data): overwritten before
 * the tree is freed. */
static void wipe_strings(cJSON *j)
{
    for (; j; j = j->next) {
        if (cJSON_IsString(j) && j->valuestring)
            memset(j->valuestring, 0, strlen(j->valuestring));
        wipe_strings(j->child);
    }
}

static void snap_unref(struct fact_snap *s)
{
    if (!s || --s->refs > 0)
        return;
    wipe_strings(s->items);
    cJSON_Delete(s->items);
    free(s);
}

static void result_clear(struct check_result *r)
{
    free(r->summary);
    free(r->explain);
    for (size_t i = 0; i < r->nevidence; i++)
        free(r->evidence[i]);
    free(r->evidence);
    free(r->try_cmd);
    free(r->more);
    if (r->hostkey) {
        free(r->hostkey->type);
        free(r->hostkey->fingerprint);
        free(r->hostkey->host);
        free(r->hostkey->known_hosts);
        free(r->hostkey);
    }
    memset(r, 0, sizeof(*r));
}

static void notify(struct check_run *r, size_t i)
{
    if (r->cb)
        r->cb(r, i, r->arg);
}

/* ---- facts ---- */

static void fact_reset(struct fact *f)
{
    kube_list_cancel(f->list);
    f->list = NULL;
    kube_req_cancel(f->req);
    f->req = NULL;
    if (f->building) {
        wipe_strings(f->building);
        cJSON_Delete(f->building);
        f->building = NULL;
    }
    snap_unref(f->snap);
    f->snap = NULL;
    error_clear(&f->err);
    f->state = FACT_IDLE;
}

static void try_begin(struct check *c);

static void facts_changed(struct check_run *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->checks[i].phase == PH_WAIT_FACTS)
            try_begin(&r->checks[i]);
}

static void fact_finish(struct check_run *r, struct fact *f, const struct error *err)
{
    if (err) {
        f->state = FACT_FAILED;
        f->err = *err;
        if (f->building) {
            wipe_strings(f->building);
            cJSON_Delete(f->building);
        }
    } else {
        f->state = FACT_READY;
        f->snap = xcalloc(1, sizeof(*f->snap));
        f->snap->refs = 1;
        f->snap->items = f->building;
    }
    f->building = NULL;
    facts_changed(r);
}

static void fact_item(const cJSON *item, void *arg)
{
    struct fact *f = arg;
    cJSON_AddItemToArray(f->building, cJSON_Duplicate(item, true));
}

static void fact_list_done(const char *rv, const struct error *err, void *arg)
{
    struct fact *f = arg;
    f->list = NULL;
    fact_finish(f->run, f, err);
}

static void fact_raw_done(long status, const char *body, size_t len, const struct error *err,
                          void *arg)
{
    struct fact *f = arg;
    struct check_run *r = f->run;
    enum check_fact w = f->which;
    f->req = NULL;
    if (err) {
        fact_finish(r, f, err);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    cJSON *items = j ? cJSON_DetachItemFromObject(j, "items") : NULL;
    cJSON_Delete(j);
    if (!cJSON_IsArray(items)) {
        cJSON_Delete(items);
        struct error e;
        error_set(&e, ERR_PARSE, 0, "GET %s: the reply is not a list", fact_info[w].path);
        fact_finish(r, f, &e);
        return;
    }
    cJSON_Delete(f->building);
    f->building = items;
    fact_finish(r, f, NULL);
}

/* Starts fetching; never reports synchronously (a run without a client
 * marks the fact failed and the caller looks again). */
static void fact_fetch(struct check_run *r, enum check_fact w)
{
    struct fact *f = &r->facts[w];
    if (f->state != FACT_IDLE)
        return;
    if (!r->env.kube) {
        f->state = FACT_FAILED;
        error_set(&f->err, ERR_INVALID, 0, "no cluster to ask: %s",
                  r->env.kube_error ? r->env.kube_error : "no kubeconfig");
        return;
    }
    f->state = FACT_FETCHING;
    f->building = cJSON_CreateArray();
    if (fact_info[w].kind >= 0) {
        const struct kube_resource *res = kube_resource_get((enum kube_kind)fact_info[w].kind);
        struct kube_list_opts o = {.res = res, .ns = res->namespaced ? r->env.ns : NULL};
        f->list = kube_list_start(r->env.kube, &o, fact_item, fact_list_done, f);
    } else {
        struct kube_req_opts o = {.path = fact_info[w].path};
        f->req = kube_request(r->env.kube, &o, fact_raw_done, f);
    }
}

/* ---- one check ---- */

static void cleanup(struct check *c)
{
    if (c->cleanup_timer) {
        loop_cancel_timer(c->run->env.loop, c->cleanup_timer);
        c->cleanup_timer = 0;
    }
    if (c->deadline_timer) {
        loop_cancel_timer(c->run->env.loop, c->deadline_timer);
        c->deadline_timer = 0;
    }
    while (c->reqs) {
        struct tracked *t = c->reqs;
        c->reqs = t->next;
        kube_req_cancel(t->req);
        free(t);
    }
    if (c->needs_cleanup && c->def->stop)
        c->def->stop(c);
    c->needs_cleanup = false;
    c->state = NULL;
    for (int f = 0; f < FACT__COUNT; f++) {
        snap_unref(c->snaps[f]);
        c->snaps[f] = NULL;
    }
    free(c->waiting);
    c->waiting = NULL;
}

static void on_cleanup(struct loop *l, long long id, void *arg)
{
    struct check *c = arg;
    c->cleanup_timer = 0;
    cleanup(c);
}

static void on_run_done(struct loop *l, long long id, void *arg)
{
    struct check_run *r = arg;
    r->done_timer = 0;
    if (!check_run_busy(r))
        notify(r, (size_t)-1);
}

static char *redacted_vf(const char *fmt, va_list ap)
{
    char *raw = xvasprintf(fmt, ap);
    char *out = log_redact(raw);
    str_free_secret(raw);
    return out;
}

static void end(struct check *c, enum check_status st, const char *fmt, va_list ap)
{
    if (c->phase == PH_ENDED || c->phase == PH_IDLE)
        return;
    struct check_run *r = c->run;
    c->phase = PH_ENDED;
    c->res.status = st;
    free(c->res.summary);
    c->res.summary = redacted_vf(fmt, ap);
    c->res.elapsed_ms = now_ms() - c->t0;
    if (c->deadline_timer) {
        loop_cancel_timer(r->env.loop, c->deadline_timer);
        c->deadline_timer = 0;
    }
    while (c->reqs) {
        struct tracked *t = c->reqs;
        c->reqs = t->next;
        kube_req_cancel(t->req);
        free(t);
    }
    if (!c->cleanup_timer)
        c->cleanup_timer = loop_add_timer(r->env.loop, 0, on_cleanup, c);
    log_info("check %s: %s: %s", c->def->id, check_status_name(st), c->res.summary);
    notify(r, c->index);
    if (!check_run_busy(r) && !r->done_timer)
        r->done_timer = loop_add_timer(r->env.loop, 0, on_run_done, r);
}

static void end_f(struct check *c, enum check_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end(c, st, fmt, ap);
    va_end(ap);
}

void check_ok(struct check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end(c, CHECK_OK, fmt, ap);
    va_end(ap);
}

void check_warn(struct check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end(c, CHECK_WARN, fmt, ap);
    va_end(ap);
}

void check_fail(struct check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end(c, CHECK_FAIL, fmt, ap);
    va_end(ap);
}

void check_skip(struct check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end(c, CHECK_SKIPPED, fmt, ap);
    va_end(ap);
}

bool check_ended(const struct check *c)
{
    return c->phase == PH_ENDED;
}

static void on_deadline(struct loop *l, long long id, void *arg)
{
    struct check *c = arg;
    c->deadline_timer = 0;
    if (c->phase == PH_ENDED)
        return;
    long long ms = c->def->timeout_ms ? c->def->timeout_ms : c->run->env.timeout_ms;
    if (c->waiting)
        check_evidence(c, "still waiting for %s", c->waiting);
    else if (c->phase == PH_WAIT_FACTS)
        check_evidence(c, "still waiting for the API server's lists");
    end_f(c, CHECK_FAIL, "no answer within %lld s", (ms + 999) / 1000);
    /* Not inside any of the check's callbacks: stop it now, so the endpoint
     * that hangs is let go at once. */
    cleanup(c);
}

/* The facts a check reads: those it needs and those it wants. */
static unsigned facts_of(const struct check_def *d)
{
    return d->needs | d->wants;
}

static void try_begin(struct check *c)
{
    struct check_run *r = c->run;
    for (int f = 0; f < FACT__COUNT; f++) {
        if (!(facts_of(c->def) & NEED(f)))
            continue;
        if (r->facts[f].state == FACT_FAILED && !(c->def->needs & NEED(f)))
            continue; /* only wanted: the check runs without it */
        if (r->facts[f].state == FACT_FAILED) {
            check_evidence(c, "%s", r->facts[f].err.msg);
            end_f(c, CHECK_SKIPPED, "could not read the %s", fact_info[f].name);
            return;
        }
        if (r->facts[f].state != FACT_READY)
            return;
    }
    for (int f = 0; f < FACT__COUNT; f++) {
        if ((facts_of(c->def) & NEED(f)) && r->facts[f].state == FACT_READY) {
            c->snaps[f] = r->facts[f].snap;
            c->snaps[f]->refs++;
        }
    }
    c->phase = PH_RUNNING;
    c->needs_cleanup = true;
    c->def->start(c);
}

static void schedule(struct check *c)
{
    struct check_run *r = c->run;
    cleanup(c);
    result_clear(&c->res);
    c->res.status = CHECK_RUNNING;
    c->phase = PH_WAIT_FACTS;
    c->t0 = now_ms();
    long long ms = c->def->timeout_ms ? c->def->timeout_ms : r->env.timeout_ms;
    c->deadline_timer = loop_add_timer(r->env.loop, ms, on_deadline, c);
    notify(r, c->index);
}

/* ---- the run ---- */

static struct check_run *run_new(const struct check_env *env, check_run_cb cb, void *arg)
{
    struct check_run *r = xcalloc(1, sizeof(*r));
    r->env = *env;
    if (r->env.timeout_ms <= 0)
        r->env.timeout_ms = CHECK_DEFAULT_TIMEOUT_MS;
    if (str_empty(r->env.ns))
        r->env.ns = "default";
    if (str_empty(r->env.release))
        r->env.release = "dify";
    r->kubectl = xasprintf("kubectl -n %s", r->env.ns);
    r->cb = cb;
    r->arg = arg;
    for (int f = 0; f < FACT__COUNT; f++) {
        r->facts[f].run = r;
        r->facts[f].which = (enum check_fact)f;
    }
    return r;
}

static void run_add(struct check_run *r, const struct check_def *d)
{
    r->checks = xrealloc(r->checks, (r->n + 1) * sizeof(*r->checks));
    struct check *c = &r->checks[r->n];
    memset(c, 0, sizeof(*c));
    c->run = r;
    c->index = r->n++;
    c->def = d;
    c->res.status = CHECK_PENDING;
}

static bool selected(const struct check_def *d, const char *const *only, size_t nonly)
{
    if (!only || nonly == 0)
        return true;
    for (size_t i = 0; i < nonly; i++)
        if (strcasecmp(only[i], d->id) == 0 || strcasecmp(only[i], check_area_name(d->area)) == 0)
            return true;
    return false;
}

struct check_run *check_run_new(const struct check_env *env, const char *const *only, size_t nonly,
                                check_run_cb cb, void *arg, struct error *err)
{
    for (size_t i = 0; i < nonly; i++) {
        bool known = check_def_find(only[i]) != NULL;
        for (int a = CHECK_AREA_FIRST; a <= CHECK_AREA_LAST && !known; a++)
            known = strcasecmp(only[i], check_area_name((enum check_area)a)) == 0;
        if (!known) {
            error_set(err, ERR_INVALID, 0,
                      "no check or area \"%s\" (ids like DT-401; areas: cluster, workloads, "
                      "secrets, postgres, redis, daemon, ingress, irsa, migration, remote)",
                      only[i]);
            return NULL;
        }
    }
    struct check_run *r = run_new(env, cb, arg);
    for (size_t i = 0; i < check_def_count(); i++)
        if (selected(check_def_at(i), only, nonly))
            run_add(r, check_def_at(i));
    return r;
}

struct check_run *check_run_new_defs(const struct check_env *env, const struct check_def *defs,
                                     size_t ndefs, check_run_cb cb, void *arg)
{
    struct check_run *r = run_new(env, cb, arg);
    for (size_t i = 0; i < ndefs; i++)
        run_add(r, &defs[i]);
    return r;
}

void check_run_free(struct check_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        cleanup(&r->checks[i]);
        result_clear(&r->checks[i].res);
    }
    for (int f = 0; f < FACT__COUNT; f++)
        fact_reset(&r->facts[f]);
    if (r->done_timer)
        loop_cancel_timer(r->env.loop, r->done_timer);
    free(r->checks);
    free(r->kubectl);
    free(r->accepted_fp);
    free(r);
}

/* Fetches the facts the scheduled checks need and starts those that have
 * them. */
static void kick(struct check_run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct check *c = &r->checks[i];
        if (c->phase != PH_WAIT_FACTS)
            continue;
        for (int f = 0; f < FACT__COUNT; f++)
            if (facts_of(c->def) & NEED(f))
                fact_fetch(r, (enum check_fact)f);
    }
    facts_changed(r);
}

void check_run_start(struct check_run *r)
{
    for (size_t i = 0; i < r->n; i++)
        cleanup(&r->checks[i]);
    for (int f = 0; f < FACT__COUNT; f++)
        fact_reset(&r->facts[f]);
    for (size_t i = 0; i < r->n; i++)
        schedule(&r->checks[i]);
    kick(r);
}

void check_run_restart(struct check_run *r, size_t i)
{
    if (i >= r->n)
        return;
    struct check *c = &r->checks[i];
    /* Its facts are fetched again unless a fetch is under way (which is
     * new enough); other checks keep the snapshots they hold. */
    for (int f = 0; f < FACT__COUNT; f++)
        if ((facts_of(c->def) & NEED(f)) && r->facts[f].state != FACT_FETCHING)
            fact_reset(&r->facts[f]);
    schedule(c);
    kick(r);
}

bool check_run_busy(const struct check_run *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->checks[i].phase == PH_WAIT_FACTS || r->checks[i].phase == PH_RUNNING)
            return true;
    return false;
}

size_t check_run_count(const struct check_run *r)
{
    return r->n;
}

const struct check_def *check_run_def(const struct check_run *r, size_t i)
{
    return i < r->n ? r->checks[i].def : NULL;
}

const struct check_result *check_run_result(const struct check_run *r, size_t i)
{
    return i < r->n ? &r->checks[i].res : NULL;
}

size_t check_run_find(const struct check_run *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcasecmp(r->checks[i].def->id, id) == 0)
            return i;
    return (size_t)-1;
}

const struct check_env *check_run_env(const struct check_run *r)
{
    return &r->env;
}

size_t check_run_tally(const struct check_run *r, enum check_status s)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->checks[i].res.status == s;
    return n;
}

int check_run_exit_code(const struct check_run *r)
{
    if (check_run_tally(r, CHECK_FAIL))
        return 2;
    return check_run_tally(r, CHECK_WARN) ? 1 : 0;
}

char *check_run_json(const struct check_run *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(doc, "checks");
    for (size_t i = 0; i < r->n; i++) {
        const struct check *c = &r->checks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->def->id);
        cJSON_AddStringToObject(o, "area", check_area_name(c->def->area));
        cJSON_AddStringToObject(o, "title", c->def->title);
        cJSON_AddStringToObject(o, "status", check_status_name(c->res.status));
        cJSON_AddStringToObject(o, "summary", c->res.summary ? c->res.summary : "");
        if (c->res.explain)
            cJSON_AddStringToObject(o, "explain", c->res.explain);
        cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
        for (size_t e = 0; e < c->res.nevidence; e++)
            cJSON_AddItemToArray(ev, cJSON_CreateString(c->res.evidence[e]));
        if (c->res.try_cmd)
            cJSON_AddStringToObject(o, "try", c->res.try_cmd);
        if (c->res.more)
            cJSON_AddStringToObject(o, "more", c->res.more);
        cJSON_AddNumberToObject(o, "elapsed_ms", (double)c->res.elapsed_ms);
        cJSON_AddItemToArray(arr, o);
    }
    cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
    for (int s = CHECK_OK; s <= CHECK_SKIPPED; s++)
        cJSON_AddNumberToObject(sum, check_status_name((enum check_status)s),
                                (double)check_run_tally(r, (enum check_status)s));
    cJSON_AddNumberToObject(doc, "exit", check_run_exit_code(r));
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!out)
        xalloc_fail(0);
    return out;
}

/* ---- for the checks ---- */

const struct check_env *check_env(const struct check *c)
{
    return &c->run->env;
}

const struct check_def *check_def_of(const struct check *c)
{
    return c->def;
}

const cJSON *check_fact(const struct check *c, enum check_fact f)
{
    static cJSON empty = {.type = cJSON_Array};
    if ((unsigned)f >= FACT__COUNT || !c->snaps[f])
        return &empty;
    return c->snaps[f]->items;
}

bool check_fact_read(const struct check *c, enum check_fact f)
{
    return (unsigned)f < FACT__COUNT && c->snaps[f];
}

void *check_state(const struct check *c)
{
    return c->state;
}

void check_set_state(struct check *c, void *state)
{
    c->state = state;
}

void check_evidence(struct check *c, const char *fmt, ...)
{
    if (c->phase == PH_ENDED)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = redacted_vf(fmt, ap);
    va_end(ap);
    struct check_result *r = &c->res;
    r->evidence = xrealloc(r->evidence, (r->nevidence + 1) * sizeof(char *));
    r->evidence[r->nevidence++] = line;
}

#define SET_TEXT(field)                                                                            \
    do {                                                                                           \
        if (c->phase == PH_ENDED)                                                                  \
            return;                                                                                \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        char *s = redacted_vf(fmt, ap);                                                            \
        va_end(ap);                                                                                \
        free(field);                                                                               \
        field = s;                                                                                 \
    } while (0)

void check_explain(struct check *c, const char *fmt, ...)
{
    SET_TEXT(c->res.explain);
}

void check_try(struct check *c, const char *fmt, ...)
{
    SET_TEXT(c->res.try_cmd);
}

void check_more(struct check *c, const char *fmt, ...)
{
    SET_TEXT(c->res.more);
}

void check_waiting(struct check *c, const char *fmt, ...)
{
    SET_TEXT(c->waiting);
}

static void tracked_done(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct tracked *t = arg;
    struct check *c = t->c;
    for (struct tracked **p = &c->reqs; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    kube_done_cb done = t->done;
    void *darg = t->arg;
    free(t);
    done(status, body, len, err, darg);
}

struct kube_req *check_kube(struct check *c, const struct kube_req_opts *o, kube_done_cb done,
                            void *arg)
{
    if (!c->run->env.kube || c->phase == PH_ENDED)
        return NULL;
    struct tracked *t = xcalloc(1, sizeof(*t));
    t->c = c;
    t->done = done;
    t->arg = arg;
    t->next = c->reqs;
    c->reqs = t;
    t->req = kube_request(c->run->env.kube, o, tracked_done, t);
    return t->req;
}

const char *check_kubectl(const struct check *c)
{
    return c->run->kubectl;
}

void check_offer_host_key(struct check *c, const char *type, const char *fingerprint,
                          const char *host, int port, const char *known_hosts)
{
    if (c->phase == PH_ENDED || str_empty(fingerprint))
        return;
    struct check_hostkey *k = c->res.hostkey;
    if (k) {
        free(k->type);
        free(k->fingerprint);
        free(k->host);
        free(k->known_hosts);
    } else {
        k = c->res.hostkey = xcalloc(1, sizeof(*k));
    }
    k->type = xstrdup(type ? type : "?");
    k->fingerprint = xstrdup(fingerprint);
    k->host = xstrdup(host ? host : "?");
    k->port = port;
    k->known_hosts = xstrdup(known_hosts ? known_hosts : "?");
}

void check_run_accept_host_key(struct check_run *r, const char *fingerprint)
{
    free(r->accepted_fp);
    r->accepted_fp = xstrdup_or_null(fingerprint);
    r->env.accept_fingerprint = r->accepted_fp;
}
