/* sim/dify_env.c: container environment and mounted files (see dify_env.h).
 * The order and the messages follow the kubelet (kuberuntime's
 * makeEnvironmentVariables: envFrom first, then env, later names win;
 * "$(VAR)" expands names defined before it, "$$" is a literal "$"). */
#include "config.h"

#include "sim/dify_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/util.h"
#include "sim/store.h"

void dify_env_init(struct dify_env *e)
{
    memset(e, 0, sizeof(*e));
}

void dify_env_done(struct dify_env *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->names[i]);
        str_free_secret(e->values[i]);
    }
    free(e->names);
    free(e->values);
    free(e->problem);
    memset(e, 0, sizeof(*e));
}

static void env_set(struct dify_env *e, const char *name, const char *value, size_t vlen)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->names[i], name) == 0) {
            str_free_secret(e->values[i]);
            e->values[i] = xstrndup(value, vlen);
            return;
        }
    e->names = xrealloc(e->names, (e->n + 1) * sizeof(char *));
    e->values = xrealloc(e->values, (e->n + 1) * sizeof(char *));
    e->names[e->n] = xstrdup(name);
    e->values[e->n++] = xstrndup(value, vlen);
}

const char *dify_env_get(const struct dify_env *e, const char *name)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->names[i], name) == 0)
            return e->values[i];
    return NULL;
}

const char *dify_env_or(const struct dify_env *e, const char *name, const char *dflt)
{
    const char *v = dify_env_get(e, name);
    return v ? v : dflt;
}

/* Keeps the first problem (the kubelet reports the first); takes msg. */
static void problem(struct dify_env *e, char *msg)
{
    if (e->problem)
        free(msg);
    else
        e->problem = msg;
}

static char *not_found(bool secret, const char *name)
{
    return xasprintf("%s \"%s\" not found", secret ? "secret" : "configmap", name ? name : "");
}

/* Standard base64 (a Secret's data), whitespace ignored; -1 on bad input. */
static int base64_decode(const char *in, char **out, size_t *len)
{
    size_t n = strlen(in), m = 0;
    char *clean = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        if (in[i] != '\n' && in[i] != '\r' && in[i] != ' ' && in[i] != '\t')
            clean[m++] = in[i];
    clean[m] = '\0';
    if (m % 4) {
        free(clean);
        return -1;
    }
    *out = xmalloc(m / 4 * 3 + 1);
    int got = EVP_DecodeBlock((unsigned char *)*out, (const unsigned char *)clean, (int)m);
    if (got < 0) {
        free(clean);
        free(*out);
        return -1;
    }
    /* EVP_DecodeBlock counts the padding as zero bytes */
    size_t pad = m >= 2 && clean[m - 1] == '=' ? (clean[m - 2] == '=' ? 2 : 1) : 0;
    *len = (size_t)got - pad;
    (*out)[*len] = '\0';
    free(clean);
    return 0;
}

/* One key of a ConfigMap or Secret as the container sees it (decoded), or
 * NULL. Secrets hold base64 in data; stringData is what the API server
 * would have merged into data. */
static char *source_key(const struct sim_obj *o, bool secret, const char *key, size_t *len)
{
    const cJSON *sd = kj_get_mut(obj_json(o), "stringData");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sd, key);
    if (cJSON_IsString(v)) {
        *len = strlen(v->valuestring);
        return xstrdup(v->valuestring);
    }
    v = cJSON_GetObjectItemCaseSensitive(kj_get_mut(obj_json(o), "data"), key);
    if (!cJSON_IsString(v))
        return NULL;
    if (!secret) {
        *len = strlen(v->valuestring);
        return xstrdup(v->valuestring);
    }
    char *out = NULL;
    if (base64_decode(v->valuestring, &out, len) < 0)
        return NULL;
    return out;
}

static struct sim_obj *source_get(const char *ns, bool secret, const char *name)
{
    struct rtype *rt = store_rtype("", secret ? "secrets" : "configmaps");
    return name ? store_get(rt, ns, name) : NULL;
}

/* Every key of a ConfigMap or Secret, for envFrom. */
static void add_all(struct dify_env *e, const struct sim_obj *o, bool secret, const char *prefix)
{
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *m = kj_get_mut(obj_json(o), pass == 0 ? "data" : "stringData"), *kv;
        cJSON_ArrayForEach(kv, m)
        {
            size_t len = 0;
            char *v = source_key(o, secret, kv->string, &len);
            if (!v)
                continue;
            char *name = xasprintf("%s%s", prefix ? prefix : "", kv->string);
            env_set(e, name, v, len);
            free(name);
            str_free_secret(v);
        }
    }
}

/* "$(VAR)" references to names already defined; "$$(VAR)" stays literal. */
static char *expand(const struct dify_env *e, const char *v)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = v; *p; p++) {
        if (p[0] == '$' && p[1] == '$') {
            strbuf_addc(&sb, '$');
            p++;
            continue;
        }
        if (p[0] == '$' && p[1] == '(') {
            const char *end = strchr(p + 2, ')');
            if (end) {
                char *name = xstrndup(p + 2, (size_t)(end - p - 2));
                const char *val = dify_env_get(e, name);
                if (val)
                    strbuf_adds(&sb, val);
                else
                    strbuf_add(&sb, p, (size_t)(end - p + 1));
                free(name);
                p = end;
                continue;
            }
        }
        strbuf_addc(&sb, *p);
    }
    return strbuf_detach(&sb, NULL);
}

static void env_from(struct dify_env *e, const char *ns, const cJSON *container)
{
    const cJSON *ef;
    cJSON_ArrayForEach(ef, kj_get_mut(container, "envFrom"))
    {
        bool secret = kj_get_mut(ef, "secretRef") != NULL;
        const cJSON *ref = kj_get_mut(ef, secret ? "secretRef" : "configMapRef");
        const char *name = kj_str(ref, "name");
        struct sim_obj *o = source_get(ns, secret, name);
        if (!o) {
            if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ref, "optional")))
                problem(e, not_found(secret, name));
            continue;
        }
        add_all(e, o, secret, kj_str(ef, "prefix"));
    }
}

static void env_one(struct dify_env *e, const cJSON *pod, const char *ns, const cJSON *ev)
{
    const char *name = kj_str(ev, "name");
    if (!name)
        return;
    const cJSON *vf = kj_get_mut(ev, "valueFrom");
    if (!vf) {
        char *v = expand(e, kj_str(ev, "value") ? kj_str(ev, "value") : "");
        env_set(e, name, v, strlen(v));
        str_free_secret(v);
        return;
    }
    bool secret = kj_get_mut(vf, "secretKeyRef") != NULL;
    const cJSON *ref = kj_get_mut(vf, secret ? "secretKeyRef" : "configMapKeyRef");
    if (ref) {
        const char *src = kj_str(ref, "name"), *key = kj_str(ref, "key");
        bool optional = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ref, "optional"));
        struct sim_obj *o = source_get(ns, secret, src);
        size_t len = 0;
        char *v = o && key ? source_key(o, secret, key, &len) : NULL;
        if (v) {
            env_set(e, name, v, len);
            str_free_secret(v);
        } else if (!optional && !o) {
            problem(e, not_found(secret, src));
        } else if (!optional) {
            problem(e, xasprintf("couldn't find key %s in %s %s/%s", key ? key : "",
                                 secret ? "Secret" : "ConfigMap", ns, src));
        }
        return;
    }
    const char *field = kj_str(vf, "fieldRef.fieldPath");
    if (field) {
        const char *v = str_eq(field, "metadata.name")        ? kj_str(pod, "metadata.name")
                        : str_eq(field, "metadata.namespace") ? ns
                        : str_eq(field, "status.podIP")       ? kj_str(pod, "status.podIP")
                        : str_eq(field, "status.hostIP")      ? kj_str(pod, "status.hostIP")
                        : str_eq(field, "spec.nodeName")      ? kj_str(pod, "spec.nodeName")
                                                              : NULL;
        env_set(e, name, v ? v : "", v ? strlen(v) : 0);
    }
}

void dify_env_resolve(struct dify_env *e, const cJSON *pod, const cJSON *container)
{
    const char *ns = kj_str(pod, "metadata.namespace");
    if (!ns)
        ns = "default";
    env_from(e, ns, container);
    const cJSON *ev;
    cJSON_ArrayForEach(ev, kj_get_mut(container, "env")) env_one(e, pod, ns, ev);
}

/* ---- mounted files ---- */

static const cJSON *volume_named(const cJSON *pod, const char *name)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, kj_get_mut(pod, "spec.volumes"))
    {
        if (str_eq(kj_str(v, "name"), name))
            return v;
    }
    return NULL;
}

/* The mount whose path is path or the nearest directory above it. */
static const cJSON *mount_for(const cJSON *container, const char *path, const char **rest)
{
    const cJSON *m, *best = NULL;
    size_t best_len = 0;
    cJSON_ArrayForEach(m, kj_get_mut(container, "volumeMounts"))
    {
        const char *mp = kj_str(m, "mountPath");
        if (!mp)
            continue;
        size_t n = strlen(mp);
        while (n > 1 && mp[n - 1] == '/')
            n--;
        bool hit = strncmp(path, mp, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
        if (hit && n >= best_len) {
            best = m;
            best_len = n;
        }
    }
    if (best && rest) {
        *rest = path + best_len;
        while (**rest == '/')
            (*rest)++;
    }
    return best;
}

const cJSON *dify_env_volume_at(const cJSON *pod, const cJSON *container, const char *path)
{
    const cJSON *m = mount_for(container, path, NULL);
    return m ? volume_named(pod, kj_str(m, "name")) : NULL;
}

char *dify_env_file(const cJSON *pod, const cJSON *container, const char *path)
{
    const char *rest = NULL;
    const cJSON *m = mount_for(container, path, &rest);
    const cJSON *vol = m ? volume_named(pod, kj_str(m, "name")) : NULL;
    if (!vol)
        return NULL;
    bool secret = kj_get_mut(vol, "secret") != NULL;
    const cJSON *src = kj_get_mut(vol, secret ? "secret" : "configMap");
    if (!src)
        return NULL;
    const char *ns = kj_str(pod, "metadata.namespace");
    struct sim_obj *o =
        source_get(ns ? ns : "default", secret, kj_str(src, secret ? "secretName" : "name"));
    if (!o)
        return NULL;
    /* the file name inside the volume: subPath, or the path below the mount */
    const char *file = kj_str(m, "subPath");
    if (!file)
        file = rest;
    if (str_empty(file))
        return NULL;
    /* items map keys to other paths */
    const char *key = file;
    const cJSON *items = kj_get_mut(src, "items"), *it;
    if (cJSON_GetArraySize(items) > 0) {
        key = NULL;
        cJSON_ArrayForEach(it, items)
        {
            if (str_eq(kj_str(it, "path"), file))
                key = kj_str(it, "key");
        }
        if (!key)
            return NULL;
    }
    size_t len = 0;
    return source_key(o, secret, key, &len);
}
