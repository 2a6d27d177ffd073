/* core/checks_env.c: containers' environments and components' workloads
 * for the checks (see checks_env.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/util.h"

bool env_true(const char *v)
{
    return v && (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") ||
                 !strcasecmp(v, "on"));
}

static struct env_var *find_var(const struct app_env *e, const char *name)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->v[i].name, name) == 0)
            return &e->v[i];
    return NULL;
}

const struct env_var *app_env_find(const struct app_env *e, const char *name)
{
    return find_var(e, name);
}

const char *app_env_get(const struct app_env *e, const char *name)
{
    const struct env_var *v = find_var(e, name);
    return v ? v->value : NULL;
}

static void set_var(struct app_env *e, const char *name, char *value, const char *source,
                    bool secret)
{
    if (secret)
        log_add_secret(value);
    struct env_var *v = find_var(e, name);
    if (!v) {
        e->v = xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
        v = &e->v[e->n++];
        memset(v, 0, sizeof(*v));
        v->name = xstrdup(name);
    } else if (v->secret) {
        str_free_secret(v->value);
        v->value = NULL;
    } else {
        free(v->value);
    }
    v->value = value;
    v->secret = secret;
    snprintf(v->source, sizeof(v->source), "%s", source);
}

static void problem(struct app_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct app_env *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    e->problems = xrealloc(e->problems, (e->nproblems + 1) * sizeof(char *));
    e->problems[e->nproblems++] = xvasprintf(fmt, ap);
    va_end(ap);
}

static const cJSON *find_named(const cJSON *list, const char *name)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, list)
    {
        if (str_eq(kj_str(o, "metadata.name"), name))
            return o;
    }
    return NULL;
}

/* A key of a ConfigMap (data, then binaryData is not text) or a Secret
 * (data, base64); NULL when absent. *found tells a missing object apart. */
static char *source_key(const cJSON *obj, bool secret, const char *key)
{
    const char *v = json_member_str(kj_get(obj, "data"), key);
    if (!v)
        return NULL;
    if (!secret)
        return xstrdup(v);
    char *out;
    size_t len;
    if (kube_base64_decode(v, &out, &len) < 0)
        return NULL;
    return out;
}

/* $(VAR) against what is defined so far; $$ is a literal $; an undefined
 * reference stays as written (the kubelet's expansion.Expand). */
static char *expand(const struct app_env *e, const char *in)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = in; *p;) {
        if (p[0] == '$' && p[1] == '$') {
            strbuf_addc(&sb, '$');
            p += 2;
        } else if (p[0] == '$' && p[1] == '(') {
            const char *close = strchr(p + 2, ')');
            if (!close) {
                strbuf_adds(&sb, p);
                break;
            }
            char name[256];
            snprintf(name, sizeof(name), "%.*s", (int)(close - p - 2), p + 2);
            const char *v = app_env_get(e, name);
            if (v)
                strbuf_adds(&sb, v);
            else
                strbuf_add(&sb, p, (size_t)(close - p + 1));
            p = close + 1;
        } else {
            strbuf_addc(&sb, *p++);
        }
    }
    return strbuf_detach(&sb, NULL);
}

static void env_from(const struct check *c, const cJSON *ef, struct app_env *e)
{
    const cJSON *cms = check_fact(c, FACT_CONFIGMAPS), *secs = check_fact(c, FACT_SECRETS);
    const cJSON *src;
    cJSON_ArrayForEach(src, ef)
    {
        bool secret = kj_has(src, "secretRef");
        const char *ref = secret ? "secretRef" : "configMapRef";
        char path[64];
        snprintf(path, sizeof(path), "%s.name", ref);
        const char *name = kj_str(src, path);
        snprintf(path, sizeof(path), "%s.optional", ref);
        bool optional = cJSON_IsTrue(kj_get(src, path));
        const char *prefix = kj_str(src, "prefix");
        const cJSON *obj = name ? find_named(secret ? secs : cms, name) : NULL;
        if (!obj) {
            if (!optional)
                problem(e, "%s %s not found", secret ? "Secret" : "ConfigMap", name ? name : "?");
            continue;
        }
        const cJSON *kv;
        cJSON_ArrayForEach(kv, kj_get(obj, "data"))
        {
            char *val = source_key(obj, secret, kv->string);
            if (!val)
                continue;
            char full[256], where[192];
            snprintf(full, sizeof(full), "%s%s", prefix ? prefix : "", kv->string);
            snprintf(where, sizeof(where), "%s %s", secret ? "Secret" : "ConfigMap", name);
            set_var(e, full, val, where, secret);
        }
    }
}

static void env_entry(const struct check *c, const cJSON *ev, struct app_env *e)
{
    const char *name = kj_str(ev, "name");
    if (!name)
        return;
    const cJSON *vf = kj_get(ev, "valueFrom");
    if (!vf) {
        const char *v = kj_str(ev, "value");
        set_var(e, name, expand(e, v ? v : ""), "env", false);
        return;
    }
    bool secret = kj_has(vf, "secretKeyRef");
    if (secret || kj_has(vf, "configMapKeyRef")) {
        const cJSON *ref = kj_get(vf, secret ? "secretKeyRef" : "configMapKeyRef");
        const char *oname = kj_str(ref, "name"), *key = kj_str(ref, "key");
        bool optional = cJSON_IsTrue(kj_get(ref, "optional"));
        const cJSON *obj =
            oname ? find_named(check_fact(c, secret ? FACT_SECRETS : FACT_CONFIGMAPS), oname)
                  : NULL;
        char *val = obj && key ? source_key(obj, secret, key) : NULL;
        if (!val) {
            if (!optional && obj)
                problem(e, "couldn't find key %s in %s %s", key ? key : "?",
                        secret ? "Secret" : "ConfigMap", oname ? oname : "?");
            else if (!optional)
                problem(e, "%s %s not found", secret ? "Secret" : "ConfigMap", oname ? oname : "?");
            return;
        }
        char where[192];
        snprintf(where, sizeof(where), "%s %s/%s", secret ? "Secret" : "ConfigMap", oname, key);
        set_var(e, name, val, where, secret);
        return;
    }
    const char *field = kj_str(vf, "fieldRef.fieldPath");
    if (str_eq(field, "metadata.namespace"))
        set_var(e, name, xstrdup(check_env(c)->ns), "fieldRef", false);
}

static const cJSON *pick_container(const cJSON *tpl, enum dify_comp want, const char **name)
{
    const cJSON *ctrs = kj_get(tpl, "spec.containers");
    const cJSON *first = cJSON_GetArrayItem(ctrs, 0), *ct;
    if (want != DIFY_COMP_NONE) {
        cJSON_ArrayForEach(ct, ctrs)
        {
            enum dify_comp got = dify_comp_of_image(kj_str(ct, "image"));
            /* The api image runs the worker, beat and migration too. */
            if (got == want ||
                (got == DIFY_COMP_API && (want == DIFY_COMP_WORKER || want == DIFY_COMP_BEAT ||
                                          want == DIFY_COMP_MIGRATION))) {
                first = ct;
                break;
            }
        }
    }
    *name = kj_str(first, "name");
    return first;
}

void checks_env_resolve(const struct check *c, const cJSON *tpl, enum dify_comp want,
                        struct app_env *out)
{
    memset(out, 0, sizeof(*out));
    const char *cname = NULL;
    const cJSON *ct = pick_container(tpl, want, &cname);
    snprintf(out->container, sizeof(out->container), "%s", cname ? cname : "?");
    if (!ct)
        return;
    env_from(c, kj_get(ct, "envFrom"), out);
    const cJSON *ev;
    cJSON_ArrayForEach(ev, kj_get(ct, "env"))
    {
        env_entry(c, ev, out);
    }
}

void app_env_done(struct app_env *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].name);
        if (e->v[i].secret)
            str_free_secret(e->v[i].value);
        else
            free(e->v[i].value);
    }
    free(e->v);
    for (size_t i = 0; i < e->nproblems; i++)
        free(e->problems[i]);
    free(e->problems);
    memset(e, 0, sizeof(*e));
}

/* ---- components ---- */

struct find {
    enum dify_comp comp;
    struct workload_ref best;
    bool found;
    long long best_time;
};

static int kind_rank(const char *kind)
{
    return str_eq(kind, "Deployment")    ? 0
           : str_eq(kind, "StatefulSet") ? 1
           : str_eq(kind, "DaemonSet")   ? 2
                                         : 3;
}

static void find_one(const struct workload_ref *w, void *arg)
{
    struct find *f = arg;
    enum dify_comp got = dify_comp_of_json(w->obj, NULL);
    if (got != f->comp)
        return;
    long long t = kube_time_parse(kj_str(w->obj, "metadata.creationTimestamp"));
    bool better;
    if (!f->found)
        better = true;
    else if (f->comp == DIFY_COMP_MIGRATION)
        better = t > f->best_time; /* the newest Job */
    else
        better = kind_rank(w->kind) < kind_rank(f->best.kind);
    if (better) {
        f->best = *w;
        f->best_time = t;
        f->found = true;
    }
}

bool checks_app_find(const struct check *c, enum dify_comp comp, struct workload_ref *out)
{
    struct find f = {.comp = comp};
    workloads_each(c, find_one, &f);
    if (f.found)
        *out = f.best;
    return f.found;
}
