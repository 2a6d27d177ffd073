/* core/status.c: the model's life (see status.h): its stores and the
 * watches that feed them, reachability and refusals, the coalescing timer,
 * subscribers, expectations from the journal, and the getters. What the
 * rows say is computed in status_derive.c; the probes are scheduled in
 * status_health.c; text and JSON are in status_out.c. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_watch.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/status_impl.h"
#include "core/util.h"

const enum kube_kind status_kinds[STATUS_NKINDS] = {
    KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET, KUBE_REPLICASET, KUBE_POD,
    KUBE_JOB,        KUBE_EVENT,       KUBE_SERVICE,   KUBE_PVC,
};

/* What a change of a kind makes stale. */
static unsigned what_of(enum kube_kind k)
{
    switch (k) {
    case KUBE_POD:
        return STATUS_PODS | STATUS_COMPONENTS | STATUS_JOBS | STATUS_OTHERS;
    case KUBE_REPLICASET:
        return STATUS_PODS | STATUS_COMPONENTS | STATUS_OTHERS;
    case KUBE_JOB:
        return STATUS_JOBS | STATUS_OTHERS | STATUS_PODS;
    case KUBE_EVENT:
        return STATUS_EVENTS;
    case KUBE_SERVICE:
    case KUBE_PVC:
        return STATUS_OTHERS;
    default:
        return STATUS_COMPONENTS | STATUS_OTHERS | STATUS_PODS;
    }
}

static long long default_now(void)
{
    return (long long)time(NULL);
}

long long status_now(const struct status *m)
{
    return m->o.now ? m->o.now() : default_now();
}

static void flush_fired(struct loop *l, long long id, void *arg)
{
    struct status *m = arg;
    m->flush_timer = 0;
    status_flush(m);
}

/* Marks what is stale; with rows, the rows are derived whole. */
static void mark(struct status *m, unsigned what)
{
    m->pending |= what;
    m->notify |= what;
    if (m->loop && !m->flush_timer && !m->in_flush)
        m->flush_timer = loop_add_timer(m->loop, 0, flush_fired, m);
}

void status_mark(struct status *m, unsigned what)
{
    if (what & (STATUS_COMPONENTS | STATUS_OTHERS | STATUS_PODS))
        m->rows_full = true;
    mark(m, what);
}

/* Whether the derived rows point into the stores (any row at all, other
 * than the ones the journal expects and the cluster lacks). */
static bool rows_hold_objects(const struct status *m)
{
    if (m->nothers || m->npods || m->njobs || m->nevents)
        return true;
    for (size_t i = 0; i < m->ncomps; i++)
        if (m->comps[i].kind != KUBE_KIND_COUNT)
            return true;
    return false;
}

void status_ensure(const struct status *cm)
{
    struct status *m = (struct status *)cm;
    /* While the first lists come in, the rows stay empty rather than
     * partial (and are not derived once a page). Rows that point into the
     * stores are never left stale: a getter derives them. */
    if (m->nlisting && !rows_hold_objects(m))
        return;
    if (m->pending && !m->in_derive) {
        m->in_derive = true;
        status_derive(m, m->pending);
        m->pending = 0;
        m->version++;
        m->in_derive = false;
    }
}

void status_flush(struct status *m)
{
    /* A list under way: one derivation and one notification when it is
     * complete (w_end marks), none a page. */
    if (m->nlisting)
        return;
    status_ensure(m);
    unsigned what = m->notify;
    m->notify = 0;
    if (!what)
        return;
    m->in_flush = true;
    for (size_t i = 0; i < m->nsubs; i++)
        if (m->subs[i].cb)
            m->subs[i].cb(m, what, m->subs[i].arg);
    m->in_flush = false;
    /* a subscriber may have unsubscribed: compact */
    size_t k = 0;
    for (size_t i = 0; i < m->nsubs; i++)
        if (m->subs[i].cb)
            m->subs[k++] = m->subs[i];
    m->nsubs = k;
    if (m->notify && m->loop && !m->flush_timer)
        m->flush_timer = loop_add_timer(m->loop, 0, flush_fired, m);
}

void status_subscribe(struct status *m, status_cb cb, void *arg)
{
    m->subs = xrealloc(m->subs, (m->nsubs + 1) * sizeof(*m->subs));
    m->subs[m->nsubs].cb = cb;
    m->subs[m->nsubs].arg = arg;
    m->nsubs++;
}

void status_unsubscribe(struct status *m, status_cb cb, void *arg)
{
    for (size_t i = 0; i < m->nsubs; i++)
        if (m->subs[i].cb == cb && m->subs[i].arg == arg)
            m->subs[i].cb = NULL; /* compacted after the current flush */
    if (!m->in_flush) {
        size_t k = 0;
        for (size_t i = 0; i < m->nsubs; i++)
            if (m->subs[i].cb)
                m->subs[k++] = m->subs[i];
        m->nsubs = k;
    }
}

/* ---- stores and watches ---- */

/* What the store told is noted for the next derivation, which takes in
 * only what changed (core/status_inc.c); too much of it derives the rows
 * whole. The owner index (status_owners.c) follows every pod and
 * ReplicaSet. A deleted object's row name is noted before the store frees
 * it (the old rows that name it are not read). */
static void store_changed(enum kube_kind kind, enum kube_change ch, const struct kube_obj *o,
                          void *arg)
{
    struct status *m = arg;
    const unsigned rows = STATUS_PODS | STATUS_COMPONENTS | STATUS_OTHERS;
    if (ch == KUBE_DELETED && (kind == KUBE_POD || kind == KUBE_DEPLOYMENT ||
                               kind == KUBE_STATEFULSET || kind == KUBE_DAEMONSET)) {
        if (m->ngone < STATUS_MAX_DIRTY)
            m->gone[m->ngone++] = o->name;
        else
            m->gone_many = true;
    }
    bool moved;
    switch (kind) {
    case KUBE_SERVICE:
    case KUBE_PVC:
        /* no row is derived from them (the probes read services when
         * they run): subscribers hear of it, nothing is derived */
        mark(m, STATUS_OTHERS);
        return;
    case KUBE_POD:
        moved = ch == KUBE_DELETED ? status_owners_del(&m->pod_owners, o)
                                   : status_owners_put(&m->pod_owners, o);
        if (status_inc_pod(m, ch, o)) {
            /* a Job's pod added, gone or moved: its newest pod */
            bool job = str_eq(o->owner_kind, "Job") && (ch != KUBE_MODIFIED || moved);
            mark(m, rows | (job || (moved && ch == KUBE_MODIFIED) ? STATUS_JOBS : 0));
            return;
        }
        break;
    case KUBE_DEPLOYMENT:
    case KUBE_STATEFULSET:
    case KUBE_DAEMONSET:
        if (status_inc_note(m, kind, ch, o)) {
            mark(m, rows);
            return;
        }
        break;
    case KUBE_REPLICASET:
        /* one that keeps its owner changes no row (the rollouts view reads
         * the ReplicaSets themselves); else its pods are placed again */
        moved = ch == KUBE_DELETED ? status_owners_del(&m->rs_owners, o)
                                   : status_owners_put(&m->rs_owners, o);
        if (!moved) {
            mark(m, STATUS_OTHERS);
            return;
        }
        if (status_inc_note(m, kind, ch, o)) {
            mark(m, rows);
            return;
        }
        break;
    case KUBE_JOB:
        if (ch == KUBE_MODIFIED && status_inc_job_same(m, o)) {
            mark(m, STATUS_JOBS);
            return;
        }
        if (status_inc_note(m, kind, ch, o)) {
            mark(m, rows | STATUS_JOBS);
            return;
        }
        break;
    default:
        break;
    }
    status_mark(m, what_of(kind));
}

static struct status_watched *watched(struct status *m, enum kube_kind k)
{
    for (size_t i = 0; i < STATUS_NKINDS; i++)
        if (m->w[i].kind == k)
            return &m->w[i];
    return NULL;
}

struct kube_store *status_store(struct status *m, enum kube_kind k)
{
    struct status_watched *w = watched(m, k);
    return w ? w->store : NULL;
}

void status_note_reachable(struct status *m)
{
    if (!m->conn.reachable) {
        m->conn.reachable = true;
        m->conn.down_since = 0;
        m->conn.down_msg[0] = '\0';
        status_mark(m, STATUS_CONN);
    }
}

static void set_reachable(struct status *m)
{
    if (m->conn.reachable)
        return;
    m->conn.reachable = true;
    m->conn.down_since = 0;
    m->conn.down_msg[0] = '\0';
    status_mark(m, STATUS_CONN);
}

/* An object the API sent that the store refused (wrong types, no name):
 * kept as a message, at most one per distinct message. */
static void note_malformed(struct status *m, const struct error *e)
{
    struct status_conn *c = &m->conn;
    size_t kept = c->nmalformed < 8 ? c->nmalformed : 8;
    for (size_t i = 0; i < kept; i++)
        if (strncmp(c->malformed[i], e->msg, 500) == 0)
            return;
    if (c->nmalformed < 8)
        snprintf(c->malformed[c->nmalformed], sizeof(c->malformed[0]), "%.500s", e->msg);
    c->nmalformed++;
    log_warn("%s", e->msg);
    status_mark(m, STATUS_CONN);
}

/* The object's notes withdrawn: it came again readable, or was deleted
 * (the notes begin as kube_obj_check writes them: KIND "NAME" in namespace
 * "NS" is malformed). */
static void withdraw_malformed(struct status_watched *w, const char *name, const char *ns)
{
    struct status_conn *c = &w->m->conn;
    char prefix[600];
    snprintf(prefix, sizeof(prefix),
             "%s \"%s\" in namespace \"%s\" is malformed:", kube_resource_get(w->kind)->singular,
             name, ns ? ns : "");
    size_t len = strlen(prefix), kept = c->nmalformed < 8 ? c->nmalformed : 8;
    for (size_t i = 0; i < kept;) {
        if (strncmp(c->malformed[i], prefix, len) != 0) {
            i++;
            continue;
        }
        memmove(c->malformed[i], c->malformed[i + 1], (kept - i - 1) * sizeof(c->malformed[0]));
        kept--;
        c->nmalformed--;
        status_mark(w->m, STATUS_CONN);
    }
}

static void apply(struct status_watched *w, const char *type, const cJSON *obj)
{
    struct error e;
    error_clear(&e);
    if (kube_store_apply(w->store, type, obj, &e) == 0) {
        /* (names looked up only while there are notes: this is the path of
         * every event) */
        const char *name = w->m->conn.nmalformed ? kj_str(obj, "metadata.name") : NULL;
        if (name)
            withdraw_malformed(w, name, kj_str(obj, "metadata.namespace"));
        return;
    }
    const char *name = kj_str(obj, "metadata.name"), *ns = kj_str(obj, "metadata.namespace");
    if (name && type && !strcmp(type, "DELETED")) {
        withdraw_malformed(w, name, ns); /* gone: nothing left to be unreadable */
    } else {
        note_malformed(w->m, &e);
        if (!name || !type)
            return;
    }
    /* A change (or deletion) that cannot be read: the copy held is no longer
     * what the server has, so it goes, as the note says ("not shown"); it
     * used to stay on screen as if current, and a deletion never came. */
    cJSON *gone = cJSON_CreateObject();
    cJSON *md = cJSON_AddObjectToObject(gone, "metadata");
    cJSON_AddStringToObject(md, "name", name);
    if (ns)
        cJSON_AddStringToObject(md, "namespace", ns);
    error_clear(&e);
    kube_store_apply(w->store, "DELETED", gone, &e);
    cJSON_Delete(gone);
}

int status_apply(struct status *m, const char *type, const cJSON *obj)
{
    const struct kube_resource *r =
        kube_resource_for(kj_str(obj, "apiVersion"), kj_str(obj, "kind"));
    struct status_watched *w = r ? watched(m, r->id) : NULL;
    if (!w)
        return -1;
    apply(w, type, obj);
    return 0;
}

/* The end of a kind's list (complete or failed): once no list is under
 * way, what waited for it is derived and told, in one flush. */
static void listing_end(struct status_watched *w)
{
    struct status *m = w->m;
    if (!w->listing)
        return;
    w->listing = false;
    m->nlisting--;
    if (!m->nlisting && (m->pending || m->notify))
        status_mark(m, 0);
}

void status_list_begin(struct status *m, enum kube_kind k)
{
    struct status_watched *w = watched(m, k);
    if (!w)
        return;
    if (!w->listing) {
        w->listing = true;
        m->nlisting++;
    }
    kube_store_relist_begin(w->store);
}

static void w_begin(void *arg)
{
    struct status_watched *w = arg;
    status_list_begin(w->m, w->kind);
}

static void w_item(const cJSON *obj, void *arg)
{
    apply(arg, NULL, obj);
}

/* The kind's refusal taken back: its list came after all. */
static void unrefuse(struct status_watched *w)
{
    struct status *m = w->m;
    w->refused = false;
    for (size_t i = 0; i < m->conn.nrefused; i++)
        if (m->conn.refused[i].kind == w->kind) {
            memmove(&m->conn.refused[i], &m->conn.refused[i + 1],
                    (m->conn.nrefused - i - 1) * sizeof(m->conn.refused[0]));
            m->conn.nrefused--;
            break;
        }
    status_mark(m, STATUS_CONN | what_of(w->kind));
}

void status_list_end(struct status *m, enum kube_kind k)
{
    struct status_watched *w = watched(m, k);
    if (!w)
        return;
    listing_end(w);
    kube_store_relist_end(w->store);
    set_reachable(m);
    if (w->refused)
        unrefuse(w);
    if (!w->synced) {
        w->synced = true;
        /* marked before the health looks at the rows: its look derives
         * them with this kind in, and the flush after finds nothing left
         * to do (marked after, every first sync derived the rows twice,
         * the old ones held while the new were built: 9 MB more at the
         * peak of status with 100,000 bare pods, docs/bench.md) */
        status_mark(m, STATUS_CONN | what_of(w->kind));
        bool all = true;
        for (size_t i = 0; i < STATUS_NKINDS; i++)
            all = all && (m->w[i].synced || m->w[i].refused);
        if (all && !m->conn.synced) {
            m->conn.synced = true;
            status_health_synced(m);
        }
    }
}

static void w_end(const char *rv, void *arg)
{
    struct status_watched *w = arg;
    status_list_end(w->m, w->kind);
}

static void w_event(const char *type, const cJSON *obj, void *arg)
{
    struct status_watched *w = arg;
    set_reachable(w->m);
    apply(w, type, obj);
}

static void w_bookmark(const char *rv, void *arg)
{
    struct status_watched *w = arg;
    set_reachable(w->m);
}

/* A refusal is said plainly, never a spinner that waits for a list that
 * will not come. A kind the server does not serve (404) is given up; a
 * credential not accepted (401: a token file rewritten, an exec plugin
 * whose login is renewed) or a permission missing (403: a RoleBinding
 * granted later) can change while the screen is open: the watch goes on
 * asking with its backoff (0.5 s doubling to 30 s, as for a server that
 * cannot be reached), and the first list that comes takes the refusal back. */
static void refuse(struct status_watched *w, const struct error *err)
{
    struct status *m = w->m;
    const struct kube_resource *r = kube_resource_get(w->kind);
    if (err->detail == 404) {
        kube_watch_cancel(w->w);
        w->w = NULL;
    }
    listing_end(w);
    struct status_refusal *rf = NULL;
    for (size_t i = 0; w->refused && i < m->conn.nrefused; i++)
        if (m->conn.refused[i].kind == w->kind)
            rf = &m->conn.refused[i]; /* refused again: the newest words */
    if (!rf)
        rf = &m->conn.refused[m->conn.nrefused++];
    w->refused = true;
    rf->kind = w->kind;
    if (err->detail == 401) /* authentication, not RBAC: kubectl's "You must be logged in" */
        snprintf(rf->msg, sizeof(rf->msg),
                 "the API server did not accept the credentials (401) to list %s in namespace "
                 "\"%s\": %.400s",
                 r->plural, m->ns, err->msg);
    else if (err->detail == 403)
        snprintf(rf->msg, sizeof(rf->msg), "you may not list %s in namespace \"%s\": %.400s",
                 r->plural, m->ns, err->msg);
    else
        snprintf(rf->msg, sizeof(rf->msg), "the server does not serve %s: %.400s", r->plural,
                 err->msg);
    bool all = true;
    for (size_t i = 0; i < STATUS_NKINDS; i++)
        all = all && (m->w[i].synced || m->w[i].refused);
    if (all && !m->conn.synced) {
        m->conn.synced = true;
        status_health_synced(m);
    }
    status_mark(m, STATUS_CONN | what_of(w->kind));
}

void status_note_error(struct status *m, const struct error *err)
{
    /* ERR_AUTH: no credential to send (an exec plugin that fails, as `aws
     * eks get-token` after the SSO session expired): said with the plugin's
     * words, never "listing..." forever; the watch runs the plugin again at
     * each retry, so logging in again recovers without a restart */
    if (err->code == ERR_NETWORK || err->code == ERR_AUTH ||
        (err->code == ERR_HTTP && err->detail >= 500)) {
        /* the watch reconnects by itself, with backoff */
        if (m->conn.reachable || !m->conn.down_since) {
            m->conn.reachable = false;
            m->conn.down_since = status_now(m);
        }
        snprintf(m->conn.down_msg, sizeof(m->conn.down_msg), "%.500s", err->msg);
        status_mark(m, STATUS_CONN);
    }
}

static void w_error(const struct error *err, void *arg)
{
    struct status_watched *w = arg;
    struct status *m = w->m;
    /* a list that failed shows what it brought until the next one */
    listing_end(w);
    if (err->code == ERR_HTTP && (err->detail == 401 || err->detail == 403 || err->detail == 404)) {
        set_reachable(m);
        refuse(w, err);
        return;
    }
    status_note_error(m, err);
}

struct status *status_new(struct loop *l, struct kube_client *c, const struct status_opts *o)
{
    struct status *m = xcalloc(1, sizeof(*m));
    m->loop = l;
    m->c = c;
    if (o)
        m->o = *o;
    m->ns = xstrdup(o && o->ns ? o->ns : "default");
    m->o.ns = m->ns;
    if (!m->o.probe_ms)
        m->o.probe_ms = 5000;
    m->conn.reachable = true;
    status_owners_init(&m->pod_owners);
    status_owners_init(&m->rs_owners);
    for (size_t i = 0; i < STATUS_NKINDS; i++) {
        m->w[i].kind = status_kinds[i];
        m->w[i].m = m;
        m->w[i].store = kube_store_new(status_kinds[i]);
        kube_store_subscribe(m->w[i].store, store_changed, m);
    }
    m->health.api.since = m->health.daemon.since = status_now(m);
    m->pending = STATUS_ALL;
    m->rows_full = true;
    return m;
}

void status_start(struct status *m)
{
    if (!m->c)
        return;
    static const struct kube_watch_handlers h = {w_begin, w_item,     w_end,
                                                 w_event, w_bookmark, w_error};
    for (size_t i = 0; i < STATUS_NKINDS; i++) {
        struct status_watched *w = &m->w[i];
        if (w->kind == KUBE_EVENT && m->o.no_events) {
            w->synced = true; /* nothing to wait for */
            continue;
        }
        /* paged lists, not streaming ones: as fast or faster and within 2 % of
         * their memory (bench/list_modes.sh, docs/bench.md) */
        struct kube_watch_opts wo = {
            .res = kube_resource_get(w->kind), .ns = m->ns, .projected = true};
        w->w = kube_watch_start(m->c, &wo, &h, w);
    }
    status_health_start(m);
}

void status_free(struct status *m)
{
    if (!m)
        return;
    status_health_stop(m);
    if (m->flush_timer)
        loop_cancel_timer(m->loop, m->flush_timer);
    for (size_t i = 0; i < STATUS_NKINDS; i++) {
        kube_watch_cancel(m->w[i].w);
        kube_store_free(m->w[i].store);
    }
    status_derive_free(m);
    free(m->subs);
    free(m->ns);
    free(m);
}

unsigned long long status_version(const struct status *m)
{
    status_ensure(m);
    return m->version;
}

unsigned long status_whole_derivations(const struct status *m)
{
    status_ensure(m);
    return m->nwhole;
}

const char *status_namespace(const struct status *m)
{
    return m->ns;
}

struct kube_client *status_client(const struct status *m)
{
    return m->c;
}

/* ---- expectations ---- */

void status_expect(struct status *m, enum dify_comp c, const char *tag)
{
    if (c <= DIFY_COMP_NONE || c >= DIFY_COMP_COUNT)
        return;
    m->expected[c] = true;
    snprintf(m->expected_tag[c], sizeof(m->expected_tag[c]), "%s", tag ? tag : "");
    status_mark(m, STATUS_COMPONENTS);
}

/* The "revision" step's record (core/history.c): the Dify tag the run
 * deployed and its plugin daemon's. Every layout runs api, worker and web
 * of the Dify tag and one plugin daemon; beat, sandbox and the proxies
 * vary by layout and release, so they are not expected from it. */
static int expect_revision(struct status *m, const char *image_tag, const char *daemon_tag)
{
    if (str_empty(image_tag))
        return 0;
    static const enum dify_comp dify[] = {DIFY_COMP_API, DIFY_COMP_WORKER, DIFY_COMP_WEB};
    for (size_t i = 0; i < ARRAY_LEN(dify); i++)
        status_expect(m, dify[i], image_tag);
    if (str_empty(daemon_tag))
        return (int)ARRAY_LEN(dify);
    status_expect(m, DIFY_COMP_PLUGIN_DAEMON, daemon_tag);
    return (int)ARRAY_LEN(dify) + 1;
}

/* A top-level string whose key has dots (kj_str would read it as a path). */
static const char *key_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_revision(const char *event, const char *step)
{
    return str_eq(event, "finished") && str_eq(step, "revision");
}

int status_expect_journal(struct status *m, const struct journal *j)
{
    for (size_t i = journal_count(j); i-- > 0;) {
        const struct journal_record *r = journal_record_at(j, i);
        if (is_revision(r->event, r->step))
            return expect_revision(m, journal_field(r, "out.image_tag"),
                                   journal_field(r, "out.daemon_tag"));
        int found = 0;
        for (size_t f = 0; f < r->nfields; f++) {
            const char *k = r->fields[f].key;
            if (!str_starts_with(k, "expect."))
                continue;
            enum dify_comp c = dify_comp_from_key(k + 7);
            if (c == DIFY_COMP_NONE)
                continue;
            status_expect(m, c, r->fields[f].value);
            found++;
        }
        if (found)
            return found;
    }
    return 0;
}

int status_expect_journal_file(struct status *m, const char *dir, char *ns, size_t nn,
                               struct error *err)
{
    char *path = path_join(dir, "journal.jsonl"), *data = NULL;
    size_t len = 0;
    if (ns && nn)
        ns[0] = '\0';
    int rc = file_read_all(path, 64u << 20, &data, &len, err);
    free(path);
    if (rc < 0)
        return -1;
    int found = 0;
    /* newest first: lines from the end; a torn last line does not parse */
    for (size_t end = len; end > 0 && !found;) {
        size_t start = end;
        while (start > 0 && data[start - 1] != '\n')
            start--;
        cJSON *o = cJSON_ParseWithLength(data + start, end - start);
        bool rev = is_revision(kj_str(o, "event"), kj_str(o, "step"));
        if (rev)
            found = expect_revision(m, key_str(o, "out.image_tag"), key_str(o, "out.daemon_tag"));
        for (const cJSON *c = o && !rev ? o->child : NULL; c; c = c->next) {
            if (!cJSON_IsString(c) || !str_starts_with(c->string, "expect."))
                continue;
            enum dify_comp comp = dify_comp_from_key(c->string + 7);
            if (comp == DIFY_COMP_NONE)
                continue;
            status_expect(m, comp, c->valuestring);
            found++;
        }
        const char *rns = kj_str(o, "namespace");
        if (found && rns && ns && nn)
            snprintf(ns, nn, "%s", rns);
        cJSON_Delete(o);
        end = start > 0 ? start - 1 : 0;
    }
    free(data);
    return found;
}

/* ---- getters ---- */

size_t status_ncomps(const struct status *m)
{
    status_ensure(m);
    return m->ncomps;
}

const struct status_comp *status_comp_at(const struct status *m, size_t i)
{
    status_ensure(m);
    return i < m->ncomps ? &m->comps[i] : NULL;
}

size_t status_nothers(const struct status *m)
{
    status_ensure(m);
    return m->nothers;
}

const struct status_comp *status_other_at(const struct status *m, size_t i)
{
    status_ensure(m);
    return i < m->nothers ? &m->others[i] : NULL;
}

size_t status_npods(const struct status *m)
{
    status_ensure(m);
    return m->npods;
}

const struct status_pod *status_pod_at(const struct status *m, size_t i)
{
    status_ensure(m);
    return i < m->npods ? &m->pods[i] : NULL;
}

size_t status_njobs(const struct status *m)
{
    status_ensure(m);
    return m->njobs;
}

const struct status_job *status_job_at(const struct status *m, size_t i)
{
    status_ensure(m);
    return i < m->njobs ? &m->jobs[i] : NULL;
}

size_t status_nevents(const struct status *m)
{
    status_events_ensure((struct status *)m);
    return m->nevents;
}

const struct status_event *status_event_at(const struct status *m, size_t i)
{
    status_events_ensure((struct status *)m);
    return i < m->nevents ? &m->events[i] : NULL;
}

const struct status_health *status_health(const struct status *m)
{
    status_ensure(m);
    return &m->health;
}

const struct status_conn *status_conn(const struct status *m)
{
    return &m->conn;
}

const struct status_job *status_migration(const struct status *m)
{
    status_ensure(m);
    for (size_t i = 0; i < m->njobs; i++)
        if (m->jobs[i].comp == DIFY_COMP_MIGRATION)
            return &m->jobs[i];
    return NULL;
}

const struct status_comp *status_find_comp(const struct status *m, enum dify_comp c)
{
    status_ensure(m);
    for (size_t i = 0; i < m->ncomps; i++)
        if (m->comps[i].comp == c && m->comps[i].kind != KUBE_KIND_COUNT)
            return &m->comps[i];
    return NULL;
}

const char *status_rollout_word(enum status_rollout r)
{
    static const char *const words[] = {
        [SR_COMPLETE] = "complete",       [SR_PROGRESSING] = "progressing",
        [SR_PAUSED] = "paused",           [SR_DEADLINE] = "ProgressDeadlineExceeded",
        [SR_FAILED] = "failed",           [SR_MISSING] = "missing",
        [SR_SCALED_DOWN] = "scaled down",
    };
    return (size_t)r < ARRAY_LEN(words) ? words[r] : "unknown";
}

/* A probe's answer counts while there is something to probe: one that
 * failed before its component went (absent now) says nothing of today. */
static bool probe_counts(const struct status_probe *p)
{
    return p->checked && !p->absent;
}

static bool probe_failed(const struct status_probe *p)
{
    return probe_counts(p) && !p->ok;
}

bool status_healthy(const struct status *m)
{
    status_ensure(m);
    if (!m->conn.reachable || m->conn.nrefused || !m->ncomps)
        return false;
    for (size_t i = 0; i < m->ncomps; i++)
        if (m->comps[i].rollout != SR_COMPLETE)
            return false;
    const struct status_health *h = &m->health;
    if (probe_failed(&h->api) || probe_failed(&h->daemon))
        return false;
    if (probe_counts(&h->key) && h->key.key != DIFY_KEY_OK)
        return false;
    if (h->pair_checked && h->pair == DIFY_PAIR_SKEW)
        return false;
    const struct status_job *mig = status_migration(m);
    return !mig || mig->state != ROLLOUT_FAILED;
}
