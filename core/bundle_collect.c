/* core/bundle_collect.c: what the support bundle gathers (see
 * bundle_collect.h). Everything runs on the loop: the lists of all kinds at
 * once, then the pods' logs a few at a time, Helm's commands one after
 * another, the local files at the start. Each operation in flight is an op
 * on a list, so cancel can stop all of them; the collection is done when no
 * op is left. */
#include "config.h"

#include "core/bundle_collect.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/bundle.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_kinds.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/proc.h"
#include "core/util.h"

#define LOG_CONCURRENCY 4
#define STATE_FILE_MAX (16u << 20)
#define PROGRAM_LOG_TAIL (4u << 20)

enum op_type { OP_LIST, OP_REQ, OP_PROC };

struct logjob {
    char *pod, *container;
    bool previous;
};

struct op {
    struct bundle_collect *c;
    enum op_type type;
    union {
        struct kube_list *list;
        struct kube_req *req;
        struct proc *proc;
    } h;
    /* OP_LIST */
    struct kube_resource *own_res; /* a discovered resource (freed with the op) */
    const struct kube_resource *res;
    char *file;
    char *api_version, *kind;
    cJSON *items;
    /* OP_REQ: what the reply is */
    int what; /* REQ_DISCOVERY_ROOT, REQ_DISCOVERY_GV, REQ_LOG */
    char *gv; /* REQ_DISCOVERY_GV */
    struct logjob job;
    /* OP_PROC */
    char *release;
    int helm_step; /* HELM_LIST, HELM_VALUES, HELM_HISTORY */
    struct op *prev, *next;
};

enum { REQ_DISCOVERY_ROOT, REQ_DISCOVERY_GV, REQ_LOG };
enum { HELM_LIST, HELM_VALUES, HELM_HISTORY };

struct bundle_collect {
    struct loop *loop;
    struct bundle *b;
    struct kube_client *kube;
    char *kube_error, *ns, *kubeconfig, *context, *state_dir, *log_path, *helm;
    long tail_lines, limit_bytes;
    long long helm_timeout_ms;
    struct op *ops;
    size_t nops;
    struct logjob *jobs;
    size_t njobs, nextjob, capjobs, logs_running;
    bool pods_listed;
    bundle_collect_done_cb done;
    void *arg;
    long long finish_timer;
    bool finished;
};

static void op_start_logs(struct bundle_collect *c);

/* ---- ops ---- */

static struct op *op_new(struct bundle_collect *c, enum op_type t)
{
    struct op *o = xcalloc(1, sizeof(*o));
    o->c = c;
    o->type = t;
    o->next = c->ops;
    if (c->ops)
        c->ops->prev = o;
    c->ops = o;
    c->nops++;
    return o;
}

static void op_free(struct op *o)
{
    struct bundle_collect *c = o->c;
    if (o->prev)
        o->prev->next = o->next;
    else
        c->ops = o->next;
    if (o->next)
        o->next->prev = o->prev;
    c->nops--;
    if (o->own_res) {
        free((char *)o->own_res->group);
        free((char *)o->own_res->version);
        free((char *)o->own_res->plural);
        free((char *)o->own_res->kind);
        free(o->own_res);
    }
    free(o->file);
    free(o->api_version);
    free(o->kind);
    cJSON_Delete(o->items);
    free(o->gv);
    free(o->job.pod);
    free(o->job.container);
    free(o->release);
    free(o);
}

static void finish_cb(struct loop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    struct bundle_collect *c = arg;
    c->finish_timer = 0;
    c->finished = true;
    c->done(c->arg);
}

/* Called after an op ended: when nothing is left, done comes on the next
 * loop turn (never from inside a client callback). */
static void maybe_done(struct bundle_collect *c)
{
    if (c->nops == 0 && c->nextjob >= c->njobs && !c->finished && !c->finish_timer)
        c->finish_timer = loop_add_timer(c->loop, 0, finish_cb, c);
}

/* ---- objects ---- */

/* List items carry neither apiVersion nor kind: put them first, as kubectl
 * get -o yaml shows them. */
static cJSON *with_type(const cJSON *item, const char *api_version, const char *kind)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "apiVersion", api_version);
    cJSON_AddStringToObject(o, "kind", kind);
    for (const cJSON *ch = item->child; ch; ch = ch->next) {
        if (!ch->string || !strcmp(ch->string, "apiVersion") || !strcmp(ch->string, "kind"))
            continue;
        cJSON_AddItemToObject(o, ch->string, cJSON_Duplicate(ch, true));
    }
    return o;
}

static void list_item(const cJSON *item, void *arg)
{
    struct op *o = arg;
    cJSON_AddItemToArray(o->items, with_type(item, o->api_version, o->kind));
}

static const char *str_at(const cJSON *j, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_GetStringValue(x);
}

static void job_add(struct bundle_collect *c, const char *pod, const char *container, bool previous)
{
    if (c->njobs == c->capjobs) {
        c->capjobs = c->capjobs ? c->capjobs * 2 : 32;
        c->jobs = xrealloc(c->jobs, c->capjobs * sizeof(*c->jobs));
    }
    c->jobs[c->njobs++] = (struct logjob){xstrdup(pod), xstrdup(container), previous};
}

/* A container restarted (or its last instance ended): it has a previous log. */
static bool restarted(const cJSON *statuses, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, statuses)
    {
        if (!str_eq(str_at(s, "name", NULL), name))
            continue;
        const cJSON *rc = cJSON_GetObjectItemCaseSensitive(s, "restartCount");
        if (cJSON_IsNumber(rc) && rc->valuedouble > 0)
            return true;
        const cJSON *ls = cJSON_GetObjectItemCaseSensitive(s, "lastState");
        return cJSON_GetObjectItemCaseSensitive(ls, "terminated") != NULL;
    }
    return false;
}

static void plan_pod_logs(struct bundle_collect *c, const cJSON *pods)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, pods)
    {
        const char *pod = str_at(p, "metadata", "name");
        const cJSON *spec = cJSON_GetObjectItemCaseSensitive(p, "spec");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(p, "status");
        if (!pod)
            continue;
        static const char *const lists[][2] = {{"initContainers", "initContainerStatuses"},
                                               {"containers", "containerStatuses"}};
        for (size_t k = 0; k < ARRAY_LEN(lists); k++) {
            const cJSON *ctrs = cJSON_GetObjectItemCaseSensitive(spec, lists[k][0]);
            const cJSON *sts = cJSON_GetObjectItemCaseSensitive(st, lists[k][1]);
            const cJSON *ct;
            cJSON_ArrayForEach(ct, ctrs)
            {
                const char *name = str_at(ct, "name", NULL);
                if (!name)
                    continue;
                job_add(c, pod, name, false);
                if (restarted(sts, name))
                    job_add(c, pod, name, true);
            }
        }
    }
}

static int ev_time_cmp(const void *a, const void *b);

static const char *event_time(const cJSON *e)
{
    const char *t = str_at(e, "lastTimestamp", NULL);
    if (!t)
        t = str_at(e, "eventTime", NULL);
    if (!t)
        t = str_at(e, "firstTimestamp", NULL);
    if (!t)
        t = str_at(e, "metadata", "creationTimestamp");
    return t ? t : "";
}

static int ev_time_cmp(const void *a, const void *b)
{
    return strcmp(event_time(*(const cJSON *const *)a), event_time(*(const cJSON *const *)b));
}

/* events.txt: what `kubectl get events --sort-by=.lastTimestamp` shows,
 * with whole timestamps instead of ages (a bundle is read later). */
static void add_events_table(struct bundle *b, const cJSON *events)
{
    size_t n = (size_t)cJSON_GetArraySize(events);
    const cJSON **v = xcalloc(n ? n : 1, sizeof(*v));
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events) v[i++] = e;
    qsort(v, n, sizeof(*v), ev_time_cmp);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%-20s  %-7s  %-24s  %-40s  %5s  %s\n", "LAST SEEN (UTC)", "TYPE", "REASON",
                "OBJECT", "COUNT", "MESSAGE");
    for (i = 0; i < n; i++) {
        e = v[i];
        const char *kind = str_at(e, "involvedObject", "kind");
        const char *name = str_at(e, "involvedObject", "name");
        char *obj = xasprintf("%s/%s", kind ? kind : "?", name ? name : "?");
        const cJSON *cnt = cJSON_GetObjectItemCaseSensitive(e, "count");
        const char *msg = str_at(e, "message", NULL);
        strbuf_addf(&sb, "%-20s  %-7s  %-24s  %-40s  %5d  ", event_time(e),
                    str_at(e, "type", NULL) ? str_at(e, "type", NULL) : "",
                    str_at(e, "reason", NULL) ? str_at(e, "reason", NULL) : "", obj,
                    cJSON_IsNumber(cnt) ? (int)cnt->valuedouble : 1);
        for (const char *m = msg ? msg : ""; *m; m++)
            strbuf_addc(&sb, *m == '\n' ? ' ' : *m);
        strbuf_addc(&sb, '\n');
        free(obj);
    }
    bundle_add_text(b, "events.txt", sb.buf, sb.len);
    strbuf_done(&sb);
    free(v);
}

static void list_done(const char *rv, const struct error *err, void *arg)
{
    (void)rv;
    struct op *o = arg;
    struct bundle_collect *c = o->c;
    o->h.list = NULL;
    if (err) {
        bundle_note(c->b, o->file, err->msg);
    } else if (cJSON_GetArraySize(o->items) > 0) {
        if (o->res && o->res->id == KUBE_POD)
            plan_pod_logs(c, o->items);
        if (o->res && o->res->id == KUBE_EVENT)
            add_events_table(c->b, o->items);
        bundle_add_objects(c->b, o->file, o->items);
        o->items = NULL;
    }
    bool pods = o->res && o->res->id == KUBE_POD;
    op_free(o);
    if (pods) {
        c->pods_listed = true;
        op_start_logs(c);
    }
    maybe_done(c);
}

static void start_list(struct bundle_collect *c, const struct kube_resource *res,
                       struct kube_resource *own, const char *file)
{
    struct op *o = op_new(c, OP_LIST);
    o->res = res;
    o->own_res = own;
    o->file = xstrdup(file);
    o->api_version =
        *res->group ? xasprintf("%s/%s", res->group, res->version) : xstrdup(res->version);
    o->kind = xstrdup(res->kind);
    o->items = cJSON_CreateArray();
    struct kube_list_opts lo = {.res = res, .ns = c->ns};
    o->h.list = kube_list_start(c->kube, &lo, list_item, list_done, o);
}

static void start_registry_lists(struct bundle_collect *c)
{
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        const struct kube_resource *r = kube_resource_get((enum kube_kind)k);
        if (!r || !r->namespaced)
            continue;
        char *file = xasprintf("objects/%s.yaml", r->plural);
        start_list(c, r, NULL, file);
        free(file);
    }
}

/* ---- discovery: every other namespaced resource, custom ones included ---- */

static void req_done(long status, const char *body, size_t len, const struct error *err, void *arg);

static void start_req(struct bundle_collect *c, int what, const char *path, const char *gv)
{
    struct op *o = op_new(c, OP_REQ);
    o->what = what;
    o->gv = xstrdup_or_null(gv);
    struct kube_req_opts ro = {.path = path};
    o->h.req = kube_request(c->kube, &ro, req_done, o);
}

static bool has_verb(const cJSON *res, const char *verb)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(res, "verbs"))
    {
        if (str_eq(cJSON_GetStringValue(v), verb))
            return true;
    }
    return false;
}

static void discovered_resources(struct bundle_collect *c, const char *gv, const cJSON *doc)
{
    const cJSON *r;
    const char *slash = strchr(gv, '/');
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "resources"))
    {
        const char *name = str_at(r, "name", NULL);
        const char *kind = str_at(r, "kind", NULL);
        const cJSON *nsd = cJSON_GetObjectItemCaseSensitive(r, "namespaced");
        if (!name || !kind || strchr(name, '/') || !cJSON_IsTrue(nsd) || !has_verb(r, "list"))
            continue;
        if (kube_resource_for(gv, kind))
            continue; /* the registry's: listed already */
        if (!strcmp(kind, "Event"))
            continue; /* events.k8s.io: the same events again */
        struct kube_resource *own = xcalloc(1, sizeof(*own));
        own->id = KUBE_KIND_COUNT;
        own->group = slash ? xstrndup(gv, (size_t)(slash - gv)) : xstrdup("");
        own->version = xstrdup(slash ? slash + 1 : gv);
        own->plural = xstrdup(name);
        own->kind = xstrdup(kind);
        own->namespaced = true;
        char *file = *own->group ? xasprintf("objects/%s.%s.yaml", name, own->group)
                                 : xasprintf("objects/%s.yaml", name);
        start_list(c, own, own, file);
        free(file);
    }
}

static void discovery_root(struct bundle_collect *c, const cJSON *doc)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(doc, "groups"))
    {
        const char *gv = str_at(g, "preferredVersion", "groupVersion");
        if (!gv)
            continue;
        char *path = xasprintf("/apis/%s", gv);
        start_req(c, REQ_DISCOVERY_GV, path, gv);
        free(path);
    }
}

static void log_finished(struct bundle_collect *c, const struct logjob *j, long status,
                         const char *body, size_t len, const struct error *err)
{
    char *file =
        xasprintf("logs/%s/%s%s.log", j->pod, j->container, j->previous ? ".previous" : "");
    if (err) {
        bundle_note(c->b, file, err->msg);
    } else if (status >= 200 && status < 300) {
        bundle_add_text(c->b, file, body, len);
    }
    free(file);
}

static void req_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct op *o = arg;
    struct bundle_collect *c = o->c;
    o->h.req = NULL;
    if (o->what == REQ_LOG) {
        log_finished(c, &o->job, status, body, len, err);
        c->logs_running--;
    } else if (err) {
        char *what = xasprintf("discovery %s", o->gv ? o->gv : "/apis");
        bundle_note(c->b, what, err->msg);
        free(what);
    } else {
        cJSON *doc = cJSON_ParseWithLength(body, len);
        if (o->what == REQ_DISCOVERY_ROOT)
            discovery_root(c, doc);
        else
            discovered_resources(c, o->gv, doc);
        cJSON_Delete(doc);
    }
    bool log = o->what == REQ_LOG;
    op_free(o);
    if (log)
        op_start_logs(c);
    maybe_done(c);
}

/* ---- logs ---- */

static void op_start_logs(struct bundle_collect *c)
{
    while (c->logs_running < LOG_CONCURRENCY && c->nextjob < c->njobs) {
        struct logjob *j = &c->jobs[c->nextjob++];
        struct op *o = op_new(c, OP_REQ);
        o->what = REQ_LOG;
        o->job = *j;
        *j = (struct logjob){0};
        struct kube_log_opts lo = {.container = o->job.container,
                                   .tail_lines = c->tail_lines,
                                   .limit_bytes = c->limit_bytes,
                                   .previous = o->job.previous};
        c->logs_running++;
        o->h.req = kube_logs(c->kube, c->ns, o->job.pod, &lo, NULL, NULL, req_done, o);
    }
}

/* ---- helm ---- */

static void helm_done(const struct proc_result *r, const struct error *err, void *arg);

static void start_helm(struct bundle_collect *c, int step, const char *release)
{
    const char *argv[16];
    size_t n = 0;
    argv[n++] = c->helm;
    if (step == HELM_LIST) {
        argv[n++] = "list";
    } else if (step == HELM_VALUES) {
        argv[n++] = "get";
        argv[n++] = "values";
        argv[n++] = release;
    } else {
        argv[n++] = "history";
        argv[n++] = release;
    }
    argv[n++] = "--namespace";
    argv[n++] = c->ns;
    argv[n++] = "--output";
    argv[n++] = "json";
    if (c->kubeconfig) {
        argv[n++] = "--kubeconfig";
        argv[n++] = c->kubeconfig;
    }
    if (c->context) {
        argv[n++] = "--kube-context";
        argv[n++] = c->context;
    }
    argv[n] = NULL;
    struct op *o = op_new(c, OP_PROC);
    o->helm_step = step;
    o->release = xstrdup_or_null(release);
    struct proc_opts po = {.argv = argv,
                           .timeout_ms = c->helm_timeout_ms,
                           .max_output = 16u << 20,
                           .done = helm_done,
                           .arg = o};
    o->h.proc = proc_start(c->loop, &po);
}

static void helm_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct op *o = arg;
    struct bundle_collect *c = o->c;
    o->h.proc = NULL;
    const char *what = o->helm_step == HELM_LIST     ? "helm list"
                       : o->helm_step == HELM_VALUES ? "helm get values"
                                                     : "helm history";
    char *label = o->release ? xasprintf("%s %s", what, o->release) : xstrdup(what);
    cJSON *doc = err ? NULL : cJSON_ParseWithLength(r->out, r->out_len);
    if (err) {
        bundle_note(c->b, label, err->msg);
    } else if (!doc) {
        bundle_note(c->b, label, "its output is not JSON");
    } else if (o->helm_step == HELM_LIST) {
        const cJSON *rel;
        cJSON_ArrayForEach(rel, doc)
        {
            const char *name = str_at(rel, "name", NULL);
            if (!name)
                continue;
            start_helm(c, HELM_VALUES, name);
            start_helm(c, HELM_HISTORY, name);
        }
        if (cJSON_GetArraySize(doc) == 0)
            bundle_note(c->b, "helm", "no Helm release in this namespace");
    } else {
        char *file = xasprintf("helm/%s/%s.yaml", o->release,
                               o->helm_step == HELM_VALUES ? "values" : "history");
        bundle_add_doc(c->b, file, doc, true);
        doc = NULL;
        free(file);
    }
    cJSON_Delete(doc);
    free(label);
    op_free(o);
    maybe_done(c);
}

/* ---- local files ---- */

static void add_state_dir(struct bundle_collect *c)
{
    DIR *d = opendir(c->state_dir);
    if (!d) {
        bundle_note(c->b, "installer state", strerror(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "lock"))
            continue;
        char *p = path_join(c->state_dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            char *data = NULL;
            size_t len = 0;
            struct error err = {0};
            char *file = xasprintf("installer/%s", de->d_name);
            if (file_read_all(p, STATE_FILE_MAX, &data, &len, &err) == 0)
                bundle_add_text(c->b, file, data, len);
            else
                bundle_note(c->b, file, err.msg);
            free(file);
            free(data);
        }
        free(p);
    }
    closedir(d);
}

/* The last PROGRAM_LOG_TAIL bytes of the log, from a line start. */
static void add_program_log(struct bundle_collect *c)
{
    int fd = open(c->log_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        bundle_note(c->b, "installer/dify-tui.log", fd < 0 ? strerror(errno) : "not a file");
        if (fd >= 0)
            close(fd);
        return;
    }
    off_t from = st.st_size > (off_t)PROGRAM_LOG_TAIL ? st.st_size - (off_t)PROGRAM_LOG_TAIL : 0;
    size_t want = (size_t)(st.st_size - from);
    char *buf = xmalloc(want + 1);
    size_t got = 0;
    while (got < want) {
        ssize_t n = pread(fd, buf + got, want - got, from + (off_t)got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    size_t skip = 0;
    if (from > 0) {
        char *nl = memchr(buf, '\n', got);
        skip = nl ? (size_t)(nl + 1 - buf) : 0;
    }
    bundle_add_text(c->b, "installer/dify-tui.log", buf + skip, got - skip);
    free(buf);
}

/* ---- start, cancel ---- */

struct bundle_collect *bundle_collect_start(struct loop *l, struct bundle *b,
                                            const struct bundle_collect_opts *o,
                                            bundle_collect_done_cb done, void *arg)
{
    struct bundle_collect *c = xcalloc(1, sizeof(*c));
    c->loop = l;
    c->b = b;
    c->kube = o->kube;
    c->ns = xstrdup(o->ns ? o->ns : "default");
    c->kubeconfig = xstrdup_or_null(o->kubeconfig);
    c->context = xstrdup_or_null(o->context);
    c->state_dir = xstrdup_or_null(o->state_dir);
    c->log_path = xstrdup_or_null(o->log_path);
    c->helm = xstrdup(o->helm ? o->helm : "helm");
    c->tail_lines = o->tail_lines > 0 ? o->tail_lines : 2000;
    c->limit_bytes = o->limit_bytes > 0 ? o->limit_bytes : 1L << 20;
    c->helm_timeout_ms = o->helm_timeout_ms > 0 ? o->helm_timeout_ms : 60000;
    c->done = done;
    c->arg = arg;
    if (c->state_dir)
        add_state_dir(c);
    if (c->log_path)
        add_program_log(c);
    if (c->kube) {
        start_registry_lists(c);
        start_req(c, REQ_DISCOVERY_GV, "/api/v1", "v1");
        start_req(c, REQ_DISCOVERY_ROOT, "/apis", NULL);
        start_helm(c, HELM_LIST, NULL);
    } else {
        bundle_note(b, "cluster", o->kube_error ? o->kube_error : "no cluster");
    }
    maybe_done(c);
    return c;
}

void bundle_collect_cancel(struct bundle_collect *c)
{
    if (!c)
        return;
    while (c->ops) {
        struct op *o = c->ops;
        if (o->type == OP_LIST && o->h.list)
            kube_list_cancel(o->h.list);
        else if (o->type == OP_REQ && o->h.req)
            kube_req_cancel(o->h.req);
        else if (o->type == OP_PROC && o->h.proc)
            proc_cancel(o->h.proc);
        op_free(o);
    }
    if (c->finish_timer)
        loop_cancel_timer(c->loop, c->finish_timer);
    for (size_t i = 0; i < c->njobs; i++) {
        free(c->jobs[i].pod);
        free(c->jobs[i].container);
    }
    free(c->jobs);
    free(c->ns);
    free(c->kubeconfig);
    free(c->context);
    free(c->state_dir);
    free(c->log_path);
    free(c->helm);
    free(c);
}

size_t bundle_collect_pending(const struct bundle_collect *c)
{
    return c->nops + (c->njobs - c->nextjob);
}
