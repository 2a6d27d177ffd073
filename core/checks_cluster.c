/* core/checks_cluster.c: area 1, the cluster under the installation: the
 * API server answers and accepts the credentials, the verbs dify-tui needs
 * are allowed (SelfSubjectAccessReview, what `kubectl auth can-i` asks),
 * the namespace exists, the nodes can run the images (Graviton arm64 vs
 * amd64-only tags), storage and ingress classes, and TLS verification. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/profile.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"

static const char *server_of(const struct check *c)
{
    const struct check_env *e = check_env(c);
    const struct kube_config *k = e->kube ? kube_client_config(e->kube) : NULL;
    return k && k->server ? k->server : "?";
}

static const char *context_of(const struct check *c)
{
    const struct check_env *e = check_env(c);
    const struct kube_config *k = e->kube ? kube_client_config(e->kube) : NULL;
    return k && k->context ? k->context : "?";
}

/* A check that needs the client and has none ends here. */
static bool no_client(struct check *c)
{
    const struct check_env *e = check_env(c);
    if (e->kube)
        return false;
    check_evidence(c, "%s", e->kube_error ? e->kube_error : "no kubeconfig");
    check_try(c, "kubectl config get-contexts");
    check_more(c, DOC "dt-101");
    check_fail(c, "no cluster to ask: the kubeconfig could not be used");
    return true;
}

/* ---- DT-101 the API server answers ---- */

static void reachable_done(long status, const char *body, size_t len, const struct error *err,
                           void *arg)
{
    struct check *c = arg;
    check_evidence(c, "server %s (context %s)", server_of(c), context_of(c));
    if (err && status == 0 && err->code == ERR_AUTH) {
        /* the credential plugin failed: nothing was sent, so nothing is
         * known of the server (it said "Nothing answered at the address") */
        check_evidence(c, "%s", err->msg);
        check_more(c, DOC "dt-102");
        check_skip(c, "not asked: there is no credential to send (DT-102)");
        return;
    }
    if (err && status == 0) {
        check_evidence(c, "%s", err->msg);
        check_explain(c, "Nothing answered at the API server's address. The cluster may be "
                         "stopped, the endpoint private to its network (a VPN or a bastion is "
                         "needed), or this address not among the endpoint's allowed CIDRs.");
        check_try(c, "kubectl --context %s cluster-info", context_of(c));
        check_more(c, DOC "dt-101");
        check_fail(c, "the API server does not answer");
        return;
    }
    if (err && status != 401 && status != 403) {
        check_evidence(c, "%s", err->msg);
        check_try(c, "kubectl --context %s get --raw /version", context_of(c));
        check_more(c, DOC "dt-101");
        check_fail(c, "the API server answers %ld to GET /version", status);
        return;
    }
    cJSON *j = err ? NULL : cJSON_ParseWithLength(body, len);
    const char *v = kj_str(j, "gitVersion");
    if (v)
        check_ok(c, "Kubernetes %s answers", v);
    else
        check_ok(c, "the API server answers (status %ld)", status);
    cJSON_Delete(j);
}

static void reachable_start(struct check *c)
{
    if (no_client(c))
        return;
    check_waiting(c, "GET %s/version", server_of(c));
    struct kube_req_opts o = {.path = "/version"};
    check_kube(c, &o, reachable_done, c);
}

/* ---- DT-102 the credentials are accepted ---- */

static void creds_remedy(struct check *c)
{
    const struct check_env *e = check_env(c);
    const struct kube_config *k = kube_client_config(e->kube);
    const struct profile *p = e->profile;
    if (k->exec) {
        check_evidence(c, "the credential comes from the exec plugin \"%s\"", k->exec->command);
        if (p && p->target == TARGET_EKS && !str_empty(p->aws.cluster_name))
            check_try(c, "aws eks update-kubeconfig --name %s --region %s", p->aws.cluster_name,
                      p->aws.region);
        else
            check_try(c, "kubectl --context %s get --raw /api", k->context);
    } else if (k->token_file) {
        check_evidence(c, "the token is read from %s", k->token_file);
        check_try(c, "kubectl config view --minify --context %s", k->context);
    } else {
        check_try(c, "kubectl config view --minify --context %s", k->context);
    }
}

static void creds_done(long status, const char *body, size_t len, const struct error *err,
                       void *arg)
{
    struct check *c = arg;
    const struct kube_config *k = kube_client_config(check_env(c)->kube);
    check_evidence(c, "user \"%s\" of context \"%s\"", k->user ? k->user : "?", k->context);
    if (!err) {
        check_ok(c, "the API server accepts the credentials of user \"%s\"",
                 k->user ? k->user : "?");
        return;
    }
    check_evidence(c, "%s", err->msg);
    check_more(c, DOC "dt-102");
    if (status == 0 && err->code == ERR_AUTH && k->exec) {
        /* no request was made: the plugin's own words (above) say why */
        check_explain(c, "The exec credential plugin failed before any request was made, so "
                         "the API server was never asked; its own words are above (an expired "
                         "SSO session wants `aws sso login`, a missing tool its install).");
        char cmd[1024];
        size_t n = (size_t)snprintf(cmd, sizeof(cmd), "%s", k->exec->command);
        for (size_t i = 0; i < k->exec->nargs && n < sizeof(cmd); i++)
            n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " %s", k->exec->args[i]);
        check_try(c, "%s", cmd);
        check_fail(c, "the credential plugin \"%s\" failed", k->exec->command);
    } else if (status == 401 || err->code == ERR_AUTH) {
        check_explain(c, "The API server refused the credential (401): an expired or revoked "
                         "token, a client certificate it does not trust, or an exec plugin "
                         "that returned a credential for another cluster or account.");
        creds_remedy(c);
        check_fail(c, "the API server refuses the credentials");
    } else if (status == 0) {
        check_try(c, "kubectl --context %s cluster-info", k->context);
        check_fail(c, "no answer to GET /api");
    } else {
        creds_remedy(c);
        check_warn(c, "GET /api answered %ld", status);
    }
}

static void creds_start(struct check *c)
{
    if (no_client(c))
        return;
    check_waiting(c, "GET %s/api", server_of(c));
    struct kube_req_opts o = {.path = "/api"};
    check_kube(c, &o, creds_done, c);
}

/* ---- DT-103 the verbs dify-tui needs ---- */

struct verb_need {
    const char *verb, *group, *resource, *sub;
    bool write; /* needed to install, upgrade, restart; diagnose only reads */
};

static const struct verb_need verb_needs[] = {
    {"list", "", "pods", NULL, false},
    {"watch", "", "pods", NULL, false},
    {"get", "", "pods", "log", false},
    {"list", "apps", "deployments", NULL, false},
    {"list", "apps", "statefulsets", NULL, false},
    {"list", "batch", "jobs", NULL, false},
    {"list", "", "services", NULL, false},
    {"get", "", "services", "proxy", false},
    {"list", "networking.k8s.io", "ingresses", NULL, false},
    {"list", "", "configmaps", NULL, false},
    {"list", "", "secrets", NULL, false},
    {"list", "", "serviceaccounts", NULL, false},
    {"list", "", "persistentvolumeclaims", NULL, false},
    {"list", "", "events", NULL, false},
    {"patch", "apps", "deployments", NULL, true},
    {"create", "batch", "jobs", NULL, true},
    {"delete", "batch", "jobs", NULL, true},
    {"patch", "", "secrets", NULL, true},
    {"patch", "", "configmaps", NULL, true},
};
#define NVERBS ARRAY_LEN(verb_needs)

struct verbs_state;

struct verb_arg {
    struct verbs_state *s;
    size_t i;
};

struct verbs_state {
    struct check *c;
    int answered;
    int allowed[NVERBS]; /* 1 yes, 0 no, -1 unknown */
    struct verb_arg args[NVERBS];
    char err[256];
    long err_status;
};

static void verb_text(const struct verb_need *v, char *buf, size_t n)
{
    snprintf(buf, n, "%s %s%s%s%s%s", v->verb, v->resource, v->sub ? "/" : "", v->sub ? v->sub : "",
             v->group[0] ? "." : "", v->group);
}

static void verbs_finish(struct verbs_state *s)
{
    struct check *c = s->c;
    if (s->err_status == 404) {
        check_evidence(c, "%s", s->err);
        check_skip(c, "the API server does not serve SelfSubjectAccessReview");
        return;
    }
    int missing_read = 0, missing_write = 0, unknown = 0;
    struct strbuf rd, wr;
    strbuf_init(&rd);
    strbuf_init(&wr);
    for (size_t i = 0; i < NVERBS; i++) {
        char t[96];
        verb_text(&verb_needs[i], t, sizeof(t));
        if (s->allowed[i] < 0) {
            unknown++;
            continue;
        }
        if (s->allowed[i])
            continue;
        struct strbuf *b = verb_needs[i].write ? &wr : &rd;
        strbuf_addf(b, "%s%s", b->len ? ", " : "", t);
        *(verb_needs[i].write ? &missing_write : &missing_read) += 1;
    }
    if (rd.len)
        check_evidence(c, "denied (reading): %s", rd.buf);
    if (wr.len)
        check_evidence(c, "denied (changing): %s", wr.buf);
    if (unknown)
        check_evidence(c, "%d questions got no answer: %s", unknown, s->err);
    check_try(c, "kubectl auth can-i --list -n %s", check_env(c)->ns);
    check_more(c, DOC "dt-103");
    if (missing_read) {
        check_explain(c, "Without these, the dashboard and the diagnostics cannot see parts of "
                         "the installation; other checks skip what they cannot read.");
        check_fail(c, "%d verbs dify-tui needs to read the installation are denied", missing_read);
    } else if (missing_write) {
        check_explain(c, "Reading works; installing, upgrading, restarting and running the "
                         "migration Job will be refused.");
        check_warn(c, "read-only: %d verbs needed to change the installation are denied",
                   missing_write);
    } else if (unknown) {
        check_warn(c, "%d of %zu verbs could not be asked about", unknown, NVERBS);
    } else {
        check_ok(c, "all %zu verbs dify-tui uses in %s are allowed", NVERBS, check_env(c)->ns);
    }
    strbuf_done(&rd);
    strbuf_done(&wr);
}

static void verb_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct verb_arg *va = arg;
    struct verbs_state *s = va->s;
    size_t i = va->i;
    s->allowed[i] = -1;
    if (err) {
        snprintf(s->err, sizeof(s->err), "%.250s", err->msg);
        s->err_status = status;
    } else {
        cJSON *j = cJSON_ParseWithLength(body, len);
        const cJSON *a = kj_get(j, "status.allowed");
        if (cJSON_IsBool(a))
            s->allowed[i] = cJSON_IsTrue(a) ? 1 : 0;
        cJSON_Delete(j);
    }
    if (++s->answered == (int)NVERBS)
        verbs_finish(s);
}

static void verbs_start(struct check *c)
{
    if (no_client(c))
        return;
    struct verbs_state *s = xcalloc(1, sizeof(*s));
    s->c = c;
    check_set_state(c, s);
    check_waiting(c, "SelfSubjectAccessReview answers");
    for (size_t i = 0; i < NVERBS; i++) {
        const struct verb_need *v = &verb_needs[i];
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "apiVersion", "authorization.k8s.io/v1");
        cJSON_AddStringToObject(doc, "kind", "SelfSubjectAccessReview");
        cJSON *ra =
            cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "spec"), "resourceAttributes");
        cJSON_AddStringToObject(ra, "namespace", check_env(c)->ns);
        cJSON_AddStringToObject(ra, "verb", v->verb);
        cJSON_AddStringToObject(ra, "group", v->group);
        cJSON_AddStringToObject(ra, "resource", v->resource);
        if (v->sub)
            cJSON_AddStringToObject(ra, "subresource", v->sub);
        char *body = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
        struct verb_arg *va = &s->args[i];
        va->s = s;
        va->i = i;
        struct kube_req_opts o = {.method = "POST",
                                  .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                                  .content_type = "application/json",
                                  .body = body,
                                  .body_len = strlen(body)};
        check_kube(c, &o, verb_done, va);
        free(body);
    }
}

static void verbs_stop(struct check *c)
{
    free(check_state(c));
}

/* ---- DT-104 the namespace exists ---- */

static void ns_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct check *c = arg;
    const char *ns = check_env(c)->ns;
    check_more(c, DOC "dt-104");
    if (status == 404) {
        check_explain(c, "Nothing of the installation can exist without its namespace: it was "
                         "never created, or it was deleted (with everything in it).");
        check_try(c, "kubectl create namespace %s", ns);
        check_fail(c, "namespace %s does not exist", ns);
        return;
    }
    if (err) {
        check_evidence(c, "%s", err->msg);
        check_try(c, "kubectl get namespace %s", ns);
        check_warn(c, "could not read namespace %s", ns);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    const char *phase = kj_str(j, "status.phase");
    const char *del = kj_str(j, "metadata.deletionTimestamp");
    if (del || str_eq(phase, "Terminating")) {
        check_evidence(c, "deletionTimestamp %s", del ? del : "?");
        check_explain(c, "The namespace is being deleted: its objects are going and nothing new "
                         "can be created in it until it is gone.");
        check_try(c, "kubectl get namespace %s -o jsonpath='{.spec.finalizers}'", ns);
        check_fail(c, "namespace %s is being deleted", ns);
    } else {
        check_ok(c, "namespace %s exists (%s)", ns, phase ? phase : "Active");
    }
    cJSON_Delete(j);
}

static void ns_start(struct check *c)
{
    if (no_client(c))
        return;
    char *path = xasprintf("/api/v1/namespaces/%s", check_env(c)->ns);
    check_waiting(c, "GET %s", path);
    struct kube_req_opts o = {.path = path};
    check_kube(c, &o, ns_done, c);
    free(path);
}

/* ---- DT-105 the nodes can run the images ---- */

/* Images whose plain tags are amd64 only: the EE chart's enterprise
 * components ship "<tag>-arm64" for Graviton (the same source as
 * dify_ee_amd64_only: langgenius/dify-ee-terraform-aws
 * cloud/aws/scripts/4_generate_dify_helm.sh, WATCHDOG_AMD64_ONLY_PATHS). */
static const char *const amd64_only_repos[] = {
    "langgenius/dify-enterprise",          "langgenius/dify-audit",
    "langgenius/enterprise_gateway",       "langgenius/enterprise_plugin-connector",
    "langgenius/enterprise_plugin-crd",    "langgenius/dify-plugin-manager",
    "langgenius/dify-enterprise-frontend",
};

static bool image_amd64_only(const char *image)
{
    char repo[256], tag[128];
    dify_image_split(image, repo, sizeof(repo), tag, sizeof(tag));
    if (str_ends_with(tag, "-arm64"))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(amd64_only_repos); i++)
        if (str_eq(repo, amd64_only_repos[i]))
            return true;
    return false;
}

/* The architecture a template pins with a nodeSelector, or NULL. */
static const char *template_arch(const cJSON *tpl)
{
    const cJSON *sel = kj_get(tpl, "spec.nodeSelector");
    const cJSON *a = sel ? cJSON_GetObjectItemCaseSensitive(sel, "kubernetes.io/arch") : NULL;
    return cJSON_IsString(a) ? a->valuestring : NULL;
}

struct arch_scan {
    struct check *c;
    int arm, amd, other;
    int bad, risky;
};

static void arch_template(const struct workload_ref *w, void *arg)
{
    struct arch_scan *s = arg;
    const char *pinned = template_arch(w->tpl);
    const cJSON *ctrs = kj_get(w->tpl, "spec.containers");
    const cJSON *ct;
    cJSON_ArrayForEach(ct, ctrs)
    {
        const char *img = kj_str(ct, "image");
        if (!img || !image_amd64_only(img))
            continue;
        if (str_eq(pinned, "amd64") && s->amd)
            continue;
        if (!s->amd || str_eq(pinned, "arm64")) {
            check_evidence(s->c, "%s/%s runs %s: amd64 only, and no amd64 node can take it",
                           w->kind, w->name, img);
            s->bad++;
        } else if (s->arm) {
            check_evidence(s->c,
                           "%s/%s runs %s (amd64 only) without a kubernetes.io/arch "
                           "nodeSelector: it may land on an arm64 node",
                           w->kind, w->name, img);
            s->risky++;
        }
    }
}

static void arch_start(struct check *c)
{
    struct arch_scan s = {.c = c};
    const cJSON *n;
    cJSON_ArrayForEach(n, check_fact(c, FACT_NODES))
    {
        const char *a = kj_str(n, "status.nodeInfo.architecture");
        if (!a) {
            const cJSON *l = kj_get(n, "metadata.labels");
            const cJSON *x = l ? cJSON_GetObjectItemCaseSensitive(l, "kubernetes.io/arch") : NULL;
            a = cJSON_IsString(x) ? x->valuestring : NULL;
        }
        if (str_eq(a, "arm64"))
            s.arm++;
        else if (str_eq(a, "amd64"))
            s.amd++;
        else
            s.other++;
    }
    if (s.arm + s.amd + s.other == 0) {
        check_skip(c, "no nodes are visible");
        return;
    }
    check_evidence(c, "nodes: %d arm64, %d amd64%s", s.arm, s.amd, s.other ? ", others" : "");
    workloads_each(c, arch_template, &s);
    /* A container that started on the wrong architecture says so. */
    const cJSON *p;
    int exec_fmt = 0;
    cJSON_ArrayForEach(p, check_fact(c, FACT_PODS))
    {
        const cJSON *st;
        cJSON_ArrayForEach(st, kj_get(p, "status.containerStatuses"))
        {
            const char *m = kj_str(st, "lastState.terminated.message");
            if (m && strstr(m, "exec format error")) {
                check_evidence(c, "pod %s: container %s: exec format error",
                               kj_str(p, "metadata.name"), kj_str(st, "name"));
                exec_fmt++;
            }
        }
    }
    check_more(c, DOC "dt-105");
    if (s.bad || exec_fmt) {
        check_explain(c, "An image built only for amd64 cannot start on arm64 (Graviton) "
                         "nodes: the container exits at once with \"exec format error\". The "
                         "Dify Enterprise chart's enterprise components publish \"<tag>-arm64\" "
                         "images for arm64.");
        check_try(c, "dify-tui render --answers ANSWERS --out DIR   # renders the -arm64 tags "
                     "for Graviton node types");
        check_fail(c, "%d images cannot run on these nodes", s.bad + exec_fmt);
    } else if (s.risky) {
        check_try(c, "%s get pods -o wide", check_kubectl(c));
        check_warn(c, "%d amd64-only images may be scheduled on arm64 nodes", s.risky);
    } else {
        check_ok(c, "every image has a node of its architecture (%d arm64, %d amd64)", s.arm,
                 s.amd);
    }
}

/* ---- DT-106 storage classes ---- */

/* CSI drivers and provisioners that offer ReadWriteMany volumes. EBS
 * (ebs.csi.aws.com) and most block storage do not: a ReadWriteMany claim
 * on them stays Pending. */
static const char *const rwx_provisioners[] = {
    "efs.csi.aws.com",
    "nfs.csi.k8s.io",
    "cephfs.csi.ceph.com",
    "file.csi.azure.com",
    "filestore.csi.storage.gke.io",
    "kubernetes.io/azure-file",
    "cluster.local/nfs-subdir-external-provisioner",
    "driver.longhorn.io",
};

static bool provisioner_rwx(const char *p)
{
    for (size_t i = 0; i < ARRAY_LEN(rwx_provisioners); i++)
        if (str_eq(p, rwx_provisioners[i]))
            return true;
    return p && (strstr(p, "nfs") || strstr(p, "cephfs"));
}

static const cJSON *find_class(const cJSON *classes, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, classes)
    {
        if (str_eq(kj_str(sc, "metadata.name"), name))
            return sc;
    }
    return NULL;
}

static bool is_default_class(const cJSON *sc, const char *annotation)
{
    const cJSON *a = kj_get(sc, "metadata.annotations");
    const cJSON *v = a ? cJSON_GetObjectItemCaseSensitive(a, annotation) : NULL;
    return cJSON_IsString(v) && strcmp(v->valuestring, "true") == 0;
}

static bool pvc_wants_rwx(const cJSON *pvc)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, kj_get(pvc, "spec.accessModes"))
    {
        if (cJSON_IsString(m) && strcmp(m->valuestring, "ReadWriteMany") == 0)
            return true;
    }
    return false;
}

static void storage_start(struct check *c)
{
    const cJSON *classes = check_fact(c, FACT_STORAGECLASSES);
    const struct profile *p = check_env(c)->profile;
    const char *def = NULL;
    int ndef = 0, fails = 0, warns = 0;
    const cJSON *sc;
    cJSON_ArrayForEach(sc, classes)
    {
        if (is_default_class(sc, "storageclass.kubernetes.io/is-default-class")) {
            ndef++;
            def = kj_str(sc, "metadata.name");
        }
        check_evidence(c, "StorageClass %s: %s%s", kj_str(sc, "metadata.name"),
                       kj_str(sc, "provisioner") ? kj_str(sc, "provisioner") : "?",
                       is_default_class(sc, "storageclass.kubernetes.io/is-default-class")
                           ? " (default)"
                           : "");
    }
    check_more(c, DOC "dt-106");
    /* Claims of the installation: a class that does not exist, or none and
     * no default, stays Pending; so does ReadWriteMany on a block driver. */
    const cJSON *pvc;
    cJSON_ArrayForEach(pvc, check_fact(c, FACT_PVCS))
    {
        const char *name = kj_str(pvc, "metadata.name");
        const char *cls = kj_str(pvc, "spec.storageClassName");
        const char *phase = kj_str(pvc, "status.phase");
        const cJSON *k = cls ? find_class(classes, cls) : NULL;
        if (!cls && !def && !str_eq(phase, "Bound")) {
            check_evidence(c, "PVC %s names no class and there is no default: %s", name,
                           phase ? phase : "Pending");
            fails++;
        } else if (cls && *cls && !k && !str_eq(phase, "Bound")) {
            check_evidence(c, "PVC %s names StorageClass %s, which does not exist", name, cls);
            fails++;
        } else if (pvc_wants_rwx(pvc) && !str_eq(phase, "Bound")) {
            const cJSON *kk = k ? k : (def ? find_class(classes, def) : NULL);
            const char *prov = kk ? kj_str(kk, "provisioner") : NULL;
            if (!provisioner_rwx(prov)) {
                check_evidence(c,
                               "PVC %s asks for ReadWriteMany from %s (%s), which offers "
                               "only ReadWriteOnce",
                               name, kk ? kj_str(kk, "metadata.name") : "?", prov ? prov : "?");
                fails++;
            }
        }
    }
    if (p && !str_empty(p->cluster.rwx_storage_class)) {
        const cJSON *k = find_class(classes, p->cluster.rwx_storage_class);
        if (!k) {
            check_evidence(c,
                           "the answers name ReadWriteMany class %s (cluster.rwx_storage_class), "
                           "which does not exist",
                           p->cluster.rwx_storage_class);
            fails++;
        } else if (!provisioner_rwx(kj_str(k, "provisioner"))) {
            check_evidence(c, "ReadWriteMany class %s uses %s, not known to offer ReadWriteMany",
                           p->cluster.rwx_storage_class, kj_str(k, "provisioner"));
            warns++;
        }
    }
    if (p && !str_empty(p->cluster.storage_class) &&
        !find_class(classes, p->cluster.storage_class)) {
        check_evidence(c,
                       "the answers name StorageClass %s (cluster.storage_class), which does "
                       "not exist",
                       p->cluster.storage_class);
        fails++;
    }
    if (ndef > 1) {
        check_evidence(c, "%d classes are marked default: which one a claim gets is not defined",
                       ndef);
        warns++;
    }
    if (fails) {
        check_explain(c, "A claim with no StorageClass that exists (or ReadWriteMany from a "
                         "driver that offers only ReadWriteOnce, such as EBS) stays Pending, "
                         "and so do the pods that mount it.");
        check_try(c, "kubectl get storageclass; %s get pvc", check_kubectl(c));
        check_fail(c, "%d volume problems", fails);
    } else if (!def) {
        check_try(c, "kubectl patch storageclass NAME -p "
                     "'{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/"
                     "is-default-class\":\"true\"}}}'");
        check_warn(c, "no default StorageClass: a claim without a class would stay Pending");
    } else if (warns) {
        check_try(c, "kubectl get storageclass");
        check_warn(c, "default StorageClass %s; %d things to look at", def, warns);
    } else {
        check_ok(c, "default StorageClass %s", def);
    }
}

/* ---- DT-107 ingress class and controller ---- */

struct ingctl_state {
    struct check *c;
    int fails;
};

static void lbc_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct check *c = arg;
    check_more(c, DOC "dt-107");
    const struct profile *p = check_env(c)->profile;
    const char *cluster = p && !str_empty(p->aws.cluster_name) ? p->aws.cluster_name : "CLUSTER";
    if (status == 404) {
        check_evidence(c, "no Deployment kube-system/aws-load-balancer-controller");
        check_explain(c, "An Ingress of class alb is served by the AWS Load Balancer Controller; "
                         "without it no load balancer is made and the Ingress never gets an "
                         "address.");
        check_try(c,
                  "helm install aws-load-balancer-controller eks/aws-load-balancer-controller -n "
                  "kube-system --set clusterName=%s --set serviceAccount.create=false --set "
                  "serviceAccount.name=aws-load-balancer-controller",
                  cluster);
        check_fail(c, "the AWS Load Balancer Controller is not installed");
        return;
    }
    if (err) {
        check_evidence(c, "%s", err->msg);
        check_try(c, "kubectl -n kube-system get deployment aws-load-balancer-controller");
        check_warn(c, "could not look for the AWS Load Balancer Controller");
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    long long ready = kj_int(j, "status.readyReplicas", 0);
    long long want = kj_int(j, "spec.replicas", 1);
    cJSON_Delete(j);
    check_evidence(c, "aws-load-balancer-controller: %lld/%lld ready", ready, want);
    if (ready < 1) {
        check_try(c, "kubectl -n kube-system logs deployment/aws-load-balancer-controller");
        check_fail(c, "the AWS Load Balancer Controller has no ready pod");
    } else {
        check_ok(c, "class alb, and the AWS Load Balancer Controller is ready");
    }
}

static const char *ingress_class_of(const cJSON *ing)
{
    const char *cls = kj_str(ing, "spec.ingressClassName");
    if (cls)
        return cls;
    const cJSON *a = kj_get(ing, "metadata.annotations");
    const cJSON *v = a ? cJSON_GetObjectItemCaseSensitive(a, "kubernetes.io/ingress.class") : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void ingclass_start(struct check *c)
{
    const cJSON *classes = check_fact(c, FACT_INGRESSCLASSES);
    const cJSON *ings = check_fact(c, FACT_INGRESSES);
    if (cJSON_GetArraySize(ings) == 0) {
        check_skip(c, "no Ingress in namespace %s", check_env(c)->ns);
        return;
    }
    const char *def = NULL;
    const cJSON *k;
    cJSON_ArrayForEach(k, classes)
    {
        if (is_default_class(k, "ingressclass.kubernetes.io/is-default-class"))
            def = kj_str(k, "metadata.name");
    }
    int fails = 0;
    bool alb = false;
    const cJSON *ing;
    cJSON_ArrayForEach(ing, ings)
    {
        const char *name = kj_str(ing, "metadata.name");
        const char *cls = ingress_class_of(ing);
        const cJSON *kc = cls ? find_class(classes, cls) : NULL;
        if (!cls && !def) {
            check_evidence(c, "Ingress %s names no class and no IngressClass is the default", name);
            fails++;
            continue;
        }
        if (cls && !kc) {
            check_evidence(c, "Ingress %s: IngressClass %s does not exist", name, cls);
            fails++;
            continue;
        }
        const char *ctl = kc ? kj_str(kc, "spec.controller") : NULL;
        check_evidence(c, "Ingress %s: class %s (%s)", name, cls ? cls : def, ctl ? ctl : "?");
        if (str_eq(ctl, "ingress.k8s.aws/alb") || str_eq(cls, "alb"))
            alb = true;
    }
    check_more(c, DOC "dt-107");
    if (fails) {
        check_explain(c, "An Ingress whose class no controller serves is never given an address: "
                         "the hosts lead nowhere.");
        check_try(c, "kubectl get ingressclass");
        check_fail(c, "%d Ingresses name a class no controller serves", fails);
        return;
    }
    if (!alb) {
        check_ok(c, "every Ingress has its IngressClass");
        return;
    }
    check_waiting(c, "the AWS Load Balancer Controller's Deployment");
    struct kube_req_opts o = {.path = "/apis/apps/v1/namespaces/kube-system/deployments/"
                                      "aws-load-balancer-controller"};
    check_kube(c, &o, lbc_done, c);
}

/* ---- DT-108 TLS verification ---- */

static void tls_start(struct check *c)
{
    if (no_client(c))
        return;
    const struct kube_config *k = kube_client_config(check_env(c)->kube);
    check_evidence(c, "context %s (%s)", k->context, k->context_file ? k->context_file : "?");
    if (k->insecure) {
        check_explain(c, "insecure-skip-tls-verify makes the client accept any certificate: "
                         "anyone on the network path can pose as the API server and receive "
                         "the credentials.");
        check_try(c,
                  "kubectl config set-cluster %s --insecure-skip-tls-verify=false "
                  "--certificate-authority=CA.pem --embed-certs",
                  k->cluster ? k->cluster : "CLUSTER");
        check_more(c, DOC "dt-108");
        check_warn(c, "the kubeconfig skips TLS verification (insecure-skip-tls-verify)");
        return;
    }
    if (k->server && strncasecmp(k->server, "http://", 7) == 0) {
        /* no TLS at all: nothing to verify, and the token goes in clear */
        check_evidence(c, "server %s", k->server);
        check_explain(c, "The API server is reached over plain HTTP: no certificate is checked "
                         "and the credentials cross the network unencrypted. Real clusters "
                         "serve https; an http address is a local proxy (kubectl proxy) or "
                         "a mistake.");
        check_try(c, "kubectl config set-cluster %s --server=https://HOST:PORT",
                  k->cluster ? k->cluster : "CLUSTER");
        check_more(c, DOC "dt-108");
        check_warn(c, "the API server is reached over plain HTTP, without TLS");
        return;
    }
    check_ok(c, "the API server's certificate is verified (%s)",
             k->ca_pem ? "the kubeconfig's CA" : "the system's CAs");
}

const struct check_def checks_cluster[] = {
    {"DT-101", AREA_CLUSTER, "The API server answers", 0, reachable_start, NULL, 0, 0},
    {"DT-102", AREA_CLUSTER, "The credentials are accepted", 0, creds_start, NULL, 0, 0},
    {"DT-103", AREA_CLUSTER, "The verbs dify-tui needs are allowed", 0, verbs_start, verbs_stop, 0,
     0},
    {"DT-104", AREA_CLUSTER, "The namespace exists", 0, ns_start, NULL, 0, 0},
    {"DT-105", AREA_CLUSTER, "The nodes can run the images",
     NEED(FACT_NODES) | NEED(FACT_PODS) | NEED(FACT_DEPLOYMENTS) | NEED(FACT_STATEFULSETS) |
         NEED(FACT_DAEMONSETS) | NEED(FACT_JOBS),
     arch_start, NULL, 0, 0},
    {"DT-106", AREA_CLUSTER, "Storage classes serve the volumes",
     NEED(FACT_STORAGECLASSES) | NEED(FACT_PVCS), storage_start, NULL, 0, 0},
    {"DT-107", AREA_CLUSTER, "The ingress class has a controller",
     NEED(FACT_INGRESSCLASSES) | NEED(FACT_INGRESSES), ingclass_start, NULL, 0, 0},
    {"DT-108", AREA_CLUSTER, "TLS verification of the API server is on", 0, tls_start, NULL, 0, 0},
};
const size_t checks_cluster_n = ARRAY_LEN(checks_cluster);
