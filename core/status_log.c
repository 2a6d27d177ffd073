/* core/status_log.c: the model's log of what changed (status.h,
 * status_changes_since): each row and pod a derivation touched, in order,
 * so that `status --watch` formats and compares only the rows that changed
 * and the dashboard moves only the pods that changed, instead of a pass
 * over 100,000 rows a change (docs/bench.md). Names are the model's own
 * copies (kube_intern): a row or pod that went is still named. A whole
 * derivation empties it: a reader that looked before reads everything. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/status_impl.h"
#include "core/util.h"

static void log_add(struct status *m, struct status_change c)
{
    if (!m->log)
        m->log = xmalloc(STATUS_LOG_MAX * sizeof(*m->log));
    if (m->nlog == STATUS_LOG_MAX) {
        /* forget the older half */
        size_t half = STATUS_LOG_MAX / 2;
        for (size_t i = 0; i < half; i++)
            kube_intern_release(&m->strs, m->log[i].name);
        m->log_floor = m->log[half - 1].seq;
        memmove(m->log, m->log + half, (m->nlog - half) * sizeof(*m->log));
        m->nlog -= half;
    }
    c.seq = ++m->seq;
    c.name = kube_intern(&m->strs, c.name ? c.name : "");
    m->log[m->nlog++] = c;
}

void status_log_row(struct status *m, const struct status_comp *r)
{
    log_add(m, (struct status_change){.comp = r->comp, .kind = r->kind, .name = r->name});
}

void status_log_pod(struct status *m, const struct kube_obj *p)
{
    log_add(m,
            (struct status_change){
                .pod = true, .comp = DIFY_COMP_NONE, .kind = KUBE_POD, .name = p->name, .obj = p});
}

void status_log_pod_as(struct status *m, const char *name, const void *obj)
{
    log_add(m,
            (struct status_change){
                .pod = true, .comp = DIFY_COMP_NONE, .kind = KUBE_POD, .name = name, .obj = obj});
}

void status_log_reset(struct status *m)
{
    for (size_t i = 0; i < m->nlog; i++)
        kube_intern_release(&m->strs, m->log[i].name);
    m->nlog = 0;
    m->log_floor = ++m->seq;
}

void status_log_free(struct status *m)
{
    free(m->log); /* the names go with the model's table */
    m->log = NULL;
    m->nlog = 0;
}

unsigned long long status_seq(const struct status *m)
{
    status_ensure(m);
    return m->seq;
}

bool status_changes_since(const struct status *m, unsigned long long since,
                          const struct status_change **v, size_t *n)
{
    status_ensure(m);
    if (since < m->log_floor || since > m->seq)
        return false;
    /* the first entry after since */
    size_t lo = 0, hi = m->nlog;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->log[mid].seq <= since)
            lo = mid + 1;
        else
            hi = mid;
    }
    *v = m->log + lo;
    *n = m->nlog - lo;
    return true;
}
