/* core/steps_preflight.c: the install's preflight: checks only, nothing
 * changes. Each check is a row of its step's detail; a failed check says
 * what to do, and the step fails once every check of it ran, so one run
 * shows every problem.
 *
 *   preflight-tools     terraform >= 1.5, helm >= 3.12, the aws CLI, where
 *                       the plan uses them
 *   preflight-aws       the AWS identity (`aws sts get-caller-identity`), and
 *                       the node type offered in the zones the stack uses (the
 *                       region's first two available zones, main.tf's
 *                       local.azs), with the next (or previous) Graviton
 *                       generation named when it is not
 *   preflight-cluster   the cluster answers (/version), the verbs the plan
 *                       uses (SelfSubjectAccessReview), the storage classes
 *                       (and one offering ReadWriteMany where the profile
 *                       needs it), the ingress class
 *   preflight-database  an existing database refusing the password the
 *                       secrets file holds: a re-install over a kept volume
 *                       keeps the password it was created with (seed 003) */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/pgconn.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/sshtunnel.h"
#include "core/steps_native.h"
#include "core/util.h"

enum pf_kind { PF_TOOLS, PF_AWS, PF_CLUSTER, PF_DATABASE };

struct pf_step {
    enum pf_kind kind;
    /* tools: which are needed */
    bool need_tf, need_helm, need_aws;
    /* per attempt */
    struct step_run *sr;
    const struct profile *prof;
    int idx; /* the check running */
    int failed;
    char *first_hint;
    struct proc *proc;
    struct kube_client *kc;
    struct kube_req *req;
    struct db_reach *reach;
    char **zones;
    size_t nzones;
    char *account;
};

static void pf_clear(struct pf_step *s)
{
    if (s->proc)
        proc_cancel(s->proc);
    s->proc = NULL;
    if (s->req)
        kube_req_cancel(s->req);
    s->req = NULL;
    db_reach_free(s->reach);
    s->reach = NULL;
    free(s->first_hint);
    s->first_hint = NULL;
    for (size_t i = 0; i < s->nzones; i++)
        free(s->zones[i]);
    free(s->zones);
    s->zones = NULL;
    s->nzones = 0;
    free(s->account);
    s->account = NULL;
    s->kc = NULL;
    s->sr = NULL;
}

static void pf_next(struct pf_step *s);

static void row_ok(struct pf_step *s, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void row_ok(struct pf_step *s, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = xvasprintf(fmt, ap);
    va_end(ap);
    step_run_row(s->sr, key, key, ROW_DONE, t, 0, 0);
    free(t);
}

/* A failed check: its row, a line, and the hint kept for the end. */
static void row_fail(struct pf_step *s, const char *key, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_fail(struct pf_step *s, const char *key, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = xvasprintf(fmt, ap);
    va_end(ap);
    step_run_row(s->sr, key, key, ROW_FAILED, t, 0, 0);
    step_run_say(s->sr, "%s: %s%s%s", key, t, hint ? " — " : "", hint ? hint : "");
    if (!s->failed++)
        s->first_hint = xstrdup_or_null(hint);
    free(t);
}

static void pf_finish(struct pf_step *s)
{
    struct step_run *sr = s->sr;
    if (s->failed) {
        struct error e;
        error_set(&e, ERR_INVALID, 0, "%d preflight check%s failed (the rows above say which)",
                  s->failed, s->failed == 1 ? "" : "s");
        if (s->first_hint)
            step_run_hint(sr, "%s", s->first_hint);
        pf_clear(s);
        step_run_done(sr, &e);
        return;
    }
    step_run_summary(sr, "every check passed");
    pf_clear(s);
    step_run_done(sr, NULL);
}

/* ---- running a tool ---- */

typedef void (*pf_tool_cb)(struct pf_step *s, const struct proc_result *r, const struct error *e);

struct pf_run {
    struct pf_step *s;
    pf_tool_cb cb;
};

static void on_tool(const struct proc_result *r, const struct error *err, void *arg)
{
    struct pf_run *run = arg;
    struct pf_step *s = run->s;
    pf_tool_cb cb = run->cb;
    free(run);
    s->proc = NULL;
    cb(s, r, err);
}

static void run_tool(struct pf_step *s, const char *const *argv, pf_tool_cb cb)
{
    struct pf_run *run = xcalloc(1, sizeof(*run));
    run->s = s;
    run->cb = cb;
    struct proc_opts o = {0};
    o.argv = argv;
    o.timeout_ms = 60000;
    o.done = on_tool;
    o.arg = run;
    s->proc = proc_start(step_run_loop(s->sr), &o);
}

/* "v3.14.4+g81c9", "1.11.4", "aws-cli/2.15.0 Python/..." -> major, minor */
static bool parse_version(const char *t, int *major, int *minor)
{
    for (const char *p = t ? t : ""; *p; p++) {
        if (*p >= '0' && *p <= '9' && (p == t || !(p[-1] >= '0' && p[-1] <= '9'))) {
            if (sscanf(p, "%d.%d", major, minor) == 2)
                return true;
        }
    }
    return false;
}

/* ---- tools ---- */

static const struct {
    const char *name, *key;
    int major, minor;
    const char *install;
} tools[] = {
    {"terraform", "terraform >= 1.5", 1, 5,
     "install Terraform 1.5 or later (developer.hashicorp.com/terraform/install), or set "
     "TERRAFORM to its path"},
    {"helm", "helm >= 3.12", 3, 12,
     "install Helm 3.12 or later (helm.sh/docs/intro/install), or set HELM to its path"},
    {"aws", "aws CLI", 1, 0,
     "install the AWS CLI (docs.aws.amazon.com/cli), which the kubeconfig's exec "
     "authentication runs too"},
};

static void on_version(struct pf_step *s, const struct proc_result *r, const struct error *err)
{
    int i = s->idx;
    const char *key = tools[i].key;
    if (err && err->detail == 127) {
        row_fail(s, key, tools[i].install, "%s is not on PATH", tools[i].name);
    } else if (err) {
        row_fail(s, key, tools[i].install, "%s", err->msg);
    } else {
        const char *text = r->out_len ? r->out : r->err;
        int ma = 0, mi = 0;
        char *ver = NULL;
        if (i == 0) {
            cJSON *j = cJSON_ParseWithLength(r->out, r->out_len);
            ver = xstrdup_or_null(kj_str(j, "terraform_version"));
            cJSON_Delete(j);
        }
        if (!ver)
            ver = xstrndup(text ? text : "", strcspn(text ? text : "", "\n"));
        if (!parse_version(ver, &ma, &mi))
            row_fail(s, key, tools[i].install, "cannot tell the version from \"%s\"", ver);
        else if (ma < tools[i].major || (ma == tools[i].major && mi < tools[i].minor) ||
                 (i == 1 && ma != 3))
            row_fail(s, key, tools[i].install, "%s is version %d.%d", tools[i].name, ma, mi);
        else
            row_ok(s, key, "%s", ver);
        free(ver);
    }
    s->idx++;
    pf_next(s);
}

static void tools_next(struct pf_step *s)
{
    static const char *const tf[] = {NULL, "version", "-json", NULL};
    static const char *const hv[] = {NULL, "version", "--short", NULL};
    static const char *const av[] = {NULL, "--version", NULL};
    while (s->idx < 3) {
        bool need = s->idx == 0 ? s->need_tf : s->idx == 1 ? s->need_helm : s->need_aws;
        if (need)
            break;
        s->idx++;
    }
    if (s->idx >= 3) {
        pf_finish(s);
        return;
    }
    const char *argv[4];
    const char *const *tmpl = s->idx == 0 ? tf : s->idx == 1 ? hv : av;
    for (int i = 0; i < 4; i++)
        argv[i] = tmpl[i];
    const char *env = s->idx == 0 ? getenv("TERRAFORM") : s->idx == 1 ? getenv("HELM") : NULL;
    argv[0] = !str_empty(env) ? env : tools[s->idx].name;
    step_run_status(s->sr, "checking %s", tools[s->idx].name);
    run_tool(s, argv, on_version);
}

/* ---- AWS ---- */

/* "m7g.xlarge" with generation moved by delta ("m8g.xlarge"), or NULL when
 * it is not a Graviton type (a family letter run, a digit, then "g"). */
char *steps_graviton_neighbour(const char *type, int delta)
{
    const char *p = type;
    while (*p >= 'a' && *p <= 'z')
        p++;
    if (p == type || !(*p >= '1' && *p <= '9') || p[1] != 'g')
        return NULL;
    int gen = *p - '0' + delta;
    if (gen < 1 || gen > 9)
        return NULL;
    return xasprintf("%.*s%d%s", (int)(p - type), type, gen, p + 1);
}

static void on_offerings(struct pf_step *s, const struct proc_result *r, const struct error *err)
{
    const char *type = s->prof->aws.node_type;
    const char *key = "instance type";
    if (err) {
        row_fail(s, key, "check the region and that the identity may call ec2:Describe*",
                 "aws ec2 describe-instance-type-offerings failed: %s", err->msg);
        s->idx++;
        pf_next(s);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(r->out, r->out_len);
    const cJSON *offs = kj_get(j, "InstanceTypeOfferings");
    char *cand[3] = {xstrdup(type), steps_graviton_neighbour(type, 1),
                     steps_graviton_neighbour(type, -1)};
    bool in_all[3] = {false, false, false};
    for (int c = 0; c < 3; c++) {
        if (!cand[c])
            continue;
        size_t hit = 0;
        for (size_t z = 0; z < s->nzones; z++) {
            const cJSON *o;
            cJSON_ArrayForEach(o, offs) if (str_eq(kj_str(o, "InstanceType"), cand[c]) &&
                                            str_eq(kj_str(o, "Location"), s->zones[z])) hit++;
        }
        in_all[c] = s->nzones > 0 && hit >= s->nzones;
    }
    struct strbuf zl;
    strbuf_init(&zl);
    for (size_t z = 0; z < s->nzones; z++)
        strbuf_addf(&zl, "%s%s", z ? ", " : "", s->zones[z]);
    if (in_all[0]) {
        row_ok(s, key, "%s is offered in %s", type, zl.buf);
    } else {
        int alt = in_all[1] ? 1 : in_all[2] ? 2 : -1;
        char *hint = alt > 0 ? xasprintf("set aws.node_type: %s in the answers file (the %s "
                                         "Graviton generation, offered in %s)",
                                         cand[alt], alt == 1 ? "next" : "previous", zl.buf)
                             : xasprintf("choose a node type offered in %s (aws ec2 "
                                         "describe-instance-type-offerings --location-type "
                                         "availability-zone --region %s)",
                                         zl.buf, s->prof->aws.region);
        row_fail(s, key, hint, "%s is not offered in every zone the stack uses (%s)", type, zl.buf);
        free(hint);
    }
    strbuf_done(&zl);
    for (int c = 0; c < 3; c++)
        free(cand[c]);
    cJSON_Delete(j);
    s->idx++;
    pf_next(s);
}

static int strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void on_zones(struct pf_step *s, const struct proc_result *r, const struct error *err)
{
    if (err) {
        row_fail(s, "zones", "check aws.region and the identity's ec2:Describe* rights",
                 "aws ec2 describe-availability-zones failed: %s", err->msg);
        s->idx = 3;
        pf_next(s);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(r->out, r->out_len);
    const cJSON *o;
    /* the stack takes the first two available zones by name (main.tf local.azs) */
    char *names[64];
    size_t n = 0;
    cJSON_ArrayForEach(o, kj_get(j, "AvailabilityZones"))
    {
        const char *zn = kj_str(o, "ZoneName");
        if (zn && n < ARRAY_LEN(names) &&
            (!kj_str(o, "State") || str_eq(kj_str(o, "State"), "available")))
            names[n++] = xstrdup(zn);
    }
    cJSON_Delete(j);
    qsort(names, n, sizeof(char *), strcmp_ptr);
    size_t want = s->prof->aws.private_subnets.n ? s->prof->aws.private_subnets.n : 2;
    for (size_t i = 0; i < n; i++) {
        if (i < want) {
            s->zones = xrealloc(s->zones, (s->nzones + 1) * sizeof(char *));
            s->zones[s->nzones++] = names[i];
        } else {
            free(names[i]);
        }
    }
    if (s->nzones < want) {
        row_fail(s, "zones", "choose a region with at least two availability zones",
                 "%s has %zu available zone%s; the stack needs %zu", s->prof->aws.region, s->nzones,
                 s->nzones == 1 ? "" : "s", want);
        s->idx = 3;
    } else {
        s->idx++;
    }
    pf_next(s);
}

static void on_identity(struct pf_step *s, const struct proc_result *r, const struct error *err)
{
    if (err) {
        row_fail(s, "AWS identity",
                 "sign in first (aws configure, aws sso login, or AWS_PROFILE), then retry",
                 "aws sts get-caller-identity failed: %s", err->msg);
        s->idx = 3; /* the other AWS checks need credentials */
        pf_next(s);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(r->out, r->out_len);
    const char *acct = kj_str(j, "Account"), *arn = kj_str(j, "Arn");
    if (!acct || !arn)
        row_fail(s, "AWS identity", "check the aws CLI's configuration",
                 "aws sts get-caller-identity printed no Account/Arn");
    else {
        row_ok(s, "AWS identity", "%s (account %s)", arn, acct);
        s->account = xstrdup(acct);
        step_run_output(s->sr, "aws_account_id", acct);
    }
    cJSON_Delete(j);
    s->idx++;
    pf_next(s);
}

static const char *aws_bin(void)
{
    const char *a = getenv("AWS");
    return str_empty(a) ? "aws" : a;
}

static void aws_next(struct pf_step *s)
{
    const char *region = s->prof->aws.region;
    switch (s->idx) {
    case 0: {
        step_run_status(s->sr, "aws sts get-caller-identity");
        const char *argv[] = {aws_bin(), "sts", "get-caller-identity", "--output", "json", NULL};
        run_tool(s, argv, on_identity);
        return;
    }
    case 1: {
        step_run_status(s->sr, "the availability zones of %s", region);
        const char *argv[] = {aws_bin(), "ec2",       "describe-availability-zones", "--region",
                              region,    "--filters", "Name=state,Values=available", "--output",
                              "json",    NULL};
        run_tool(s, argv, on_zones);
        return;
    }
    case 2: {
        step_run_status(s->sr, "where %s is offered", s->prof->aws.node_type);
        char *next = steps_graviton_neighbour(s->prof->aws.node_type, 1);
        char *prev = steps_graviton_neighbour(s->prof->aws.node_type, -1);
        char *values =
            xasprintf("Name=instance-type,Values=%s%s%s%s%s", s->prof->aws.node_type,
                      next ? "," : "", next ? next : "", prev ? "," : "", prev ? prev : "");
        const char *argv[] = {aws_bin(),           "ec2",       "describe-instance-type-offerings",
                              "--region",          region,      "--location-type",
                              "availability-zone", "--filters", values,
                              "--output",          "json",      NULL};
        run_tool(s, argv, on_offerings);
        free(values);
        free(next);
        free(prev);
        return;
    }
    default:
        pf_finish(s);
    }
}

/* ---- the cluster ---- */

struct verb {
    const char *verb, *group, *resource, *sub;
};

static const struct verb verbs[] = {
    {"patch", "", "namespaces", NULL},
    {"patch", "", "secrets", NULL},
    {"patch", "", "configmaps", NULL},
    {"patch", "", "serviceaccounts", NULL},
    {"patch", "", "services", NULL},
    {"patch", "", "persistentvolumeclaims", NULL},
    {"patch", "apps", "deployments", NULL},
    {"patch", "apps", "statefulsets", NULL},
    {"patch", "networking.k8s.io", "ingresses", NULL},
    {"create", "batch", "jobs", NULL},
    {"delete", "batch", "jobs", NULL},
    {"list", "", "pods", NULL},
    {"get", "", "pods", "log"},
};

static void cluster_next(struct pf_step *s);

static void on_cluster_reply(long status, const char *body, size_t len, const struct error *err,
                             void *arg);

static void cluster_get(struct pf_step *s, const char *method, const char *path, const char *body)
{
    struct kube_req_opts o = {0};
    o.method = method;
    o.path = path;
    if (body) {
        o.body = body;
        o.body_len = strlen(body);
        o.content_type = "application/json";
    }
    s->req = kube_request(s->kc, &o, on_cluster_reply, s);
}

/* idx: 0 /version, 1..N verbs, N+1 storage classes, N+2 ingress classes */
#define V_FIRST 1
#define V_LAST ((int)ARRAY_LEN(verbs))
#define I_STORAGE (V_LAST + 1)
#define I_INGRESS (V_LAST + 2)

static bool rwx_needed(const struct profile *p)
{
    return p->storage.kind == STORAGE_LOCAL &&
           (p->comp[COMP_API].replicas > 1 || p->comp[COMP_WORKER].replicas > 1);
}

static void check_storage(struct pf_step *s, const cJSON *list)
{
    const struct profile *p = s->prof;
    const cJSON *it;
    const char *dflt = NULL;
    bool want_found = str_empty(p->cluster.storage_class), rwx_found = false;
    struct strbuf names;
    strbuf_init(&names);
    cJSON_ArrayForEach(it, kj_get(list, "items"))
    {
        const char *name = kj_str(it, "metadata.name");
        const cJSON *ann = kj_get(it, "metadata.annotations");
        const cJSON *dv = ann ? cJSON_GetObjectItemCaseSensitive(
                                    ann, "storageclass.kubernetes.io/is-default-class")
                              : NULL;
        if (cJSON_IsString(dv) && str_eq(dv->valuestring, "true"))
            dflt = name;
        if (str_eq(name, p->cluster.storage_class))
            want_found = true;
        if (str_eq(name, p->cluster.rwx_storage_class))
            rwx_found = true;
        strbuf_addf(&names, "%s%s", names.len ? ", " : "", name ? name : "?");
    }
    if (!want_found)
        row_fail(s, "storage class", "set cluster.storage_class to one of the cluster's classes",
                 "%s is not a StorageClass here (there are: %s)", p->cluster.storage_class,
                 names.len ? names.buf : "none");
    else if (str_empty(p->cluster.storage_class) && !dflt)
        row_fail(s, "storage class",
                 "set cluster.storage_class, or mark a class as the default "
                 "(storageclass.kubernetes.io/is-default-class: \"true\")",
                 "no default StorageClass, and cluster.storage_class is empty (there are: %s)",
                 names.len ? names.buf : "none");
    else
        row_ok(s, "storage class", "%s",
               str_empty(p->cluster.storage_class) ? dflt : p->cluster.storage_class);
    if (rwx_needed(p)) {
        if (str_empty(p->cluster.rwx_storage_class))
            row_fail(s, "ReadWriteMany",
                     "set cluster.rwx_storage_class to a class offering ReadWriteMany (EFS, "
                     "NFS, CephFS), or use S3 storage, or one replica each",
                     "local file storage with more than one api or worker replica needs a "
                     "volume they all mount (ReadWriteMany)");
        else if (!rwx_found)
            row_fail(s, "ReadWriteMany", "set cluster.rwx_storage_class to an existing class",
                     "%s is not a StorageClass here", p->cluster.rwx_storage_class);
        else
            row_ok(s, "ReadWriteMany", "%s", p->cluster.rwx_storage_class);
    }
    strbuf_done(&names);
}

static void check_ingress(struct pf_step *s, const cJSON *list)
{
    const char *want = s->prof->cluster.ingress_class;
    const cJSON *it;
    bool found = false;
    struct strbuf names;
    strbuf_init(&names);
    cJSON_ArrayForEach(it, kj_get(list, "items"))
    {
        const char *name = kj_str(it, "metadata.name");
        found = found || str_eq(name, want);
        strbuf_addf(&names, "%s%s", names.len ? ", " : "", name ? name : "?");
    }
    if (str_empty(want))
        row_ok(s, "ingress class", "none asked for (the cluster's default)");
    else if (!found)
        row_fail(s, "ingress class",
                 "install that ingress controller, or set cluster.ingress_class to one of the "
                 "cluster's classes",
                 "%s is not an IngressClass here (there are: %s)", want,
                 names.len ? names.buf : "none");
    else
        row_ok(s, "ingress class", "%s", want);
    strbuf_done(&names);
}

static void on_cluster_reply(long status, const char *body, size_t len, const struct error *err,
                             void *arg)
{
    struct pf_step *s = arg;
    s->req = NULL;
    int i = s->idx;
    cJSON *j = !err ? cJSON_ParseWithLength(body, len) : NULL;
    if (i == 0) {
        if (err) {
            row_fail(s, "cluster",
                     "check the kubeconfig's server and credentials (dify-tui get "
                     "nodes shows the same)",
                     "the cluster does not answer: %s", err->msg);
            cJSON_Delete(j);
            pf_finish(s);
            return;
        }
        row_ok(s, "cluster", "answers (Kubernetes %s)",
               kj_str(j, "gitVersion") ? kj_str(j, "gitVersion") : "?");
    } else if (i >= V_FIRST && i <= V_LAST) {
        const struct verb *v = &verbs[i - V_FIRST];
        char key[128];
        snprintf(key, sizeof(key), "%s %s%s%s%s%s", v->verb, v->resource, v->sub ? "/" : "",
                 v->sub ? v->sub : "", *v->group ? "." : "", v->group);
        if (err && status == 404) {
            row_ok(s, "access review", "this server offers no SelfSubjectAccessReview: skipped");
            s->idx = V_LAST; /* the rest would say the same */
        } else if (err) {
            row_fail(s, key, NULL, "cannot ask: %s", err->msg);
        } else if (cJSON_IsTrue(kj_get(j, "status.allowed"))) {
            row_ok(s, key, "allowed");
        } else {
            const char *why = kj_str(j, "status.reason");
            char *hint = xasprintf("ask the cluster's administrator for a Role (or ClusterRole) "
                                   "allowing %s on %s%s%s in namespace %s",
                                   v->verb, v->resource, v->sub ? "/" : "", v->sub ? v->sub : "",
                                   s->prof->namespace);
            row_fail(s, key, hint, "denied%s%s", why ? ": " : "", why ? why : "");
            free(hint);
        }
    } else if (i == I_STORAGE) {
        if (err && status == 404)
            row_ok(s, "storage class", "this server serves no StorageClasses: not checked");
        else if (err)
            row_fail(s, "storage class", NULL, "cannot list StorageClasses: %s", err->msg);
        else
            check_storage(s, j);
    } else if (i == I_INGRESS) {
        if (err && status == 404)
            row_ok(s, "ingress class", "this server serves no IngressClasses: not checked");
        else if (err)
            row_fail(s, "ingress class", NULL, "cannot list IngressClasses: %s", err->msg);
        else
            check_ingress(s, j);
    }
    cJSON_Delete(j);
    s->idx++;
    cluster_next(s);
}

static void cluster_next(struct pf_step *s)
{
    int i = s->idx;
    if (i == 0) {
        struct error e = {0};
        s->kc = step_run_kube(s->sr, &e);
        if (!s->kc) {
            row_fail(s, "cluster", "check --kubeconfig, --context or cluster.kubeconfig",
                     "no usable kubeconfig: %s", e.msg);
            pf_finish(s);
            return;
        }
        step_run_status(s->sr, "asking the cluster for its version");
        cluster_get(s, "GET", "/version", NULL);
    } else if (i >= V_FIRST && i <= V_LAST) {
        const struct verb *v = &verbs[i - V_FIRST];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "apiVersion", "authorization.k8s.io/v1");
        cJSON_AddStringToObject(o, "kind", "SelfSubjectAccessReview");
        cJSON *ra =
            cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "spec"), "resourceAttributes");
        if (strcmp(v->resource, "namespaces") != 0)
            cJSON_AddStringToObject(ra, "namespace", s->prof->namespace);
        cJSON_AddStringToObject(ra, "verb", v->verb);
        cJSON_AddStringToObject(ra, "group", v->group);
        cJSON_AddStringToObject(ra, "resource", v->resource);
        if (v->sub)
            cJSON_AddStringToObject(ra, "subresource", v->sub);
        char *body = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        step_run_status(s->sr, "may I %s %s?", v->verb, v->resource);
        cluster_get(s, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body);
        free(body);
    } else if (i == I_STORAGE) {
        step_run_status(s->sr, "listing the storage classes");
        cluster_get(s, "GET", "/apis/storage.k8s.io/v1/storageclasses", NULL);
    } else if (i == I_INGRESS && s->prof->target != TARGET_EKS) {
        step_run_status(s->sr, "listing the ingress classes");
        cluster_get(s, "GET", "/apis/networking.k8s.io/v1/ingressclasses", NULL);
    } else {
        pf_finish(s);
    }
}

/* ---- the database's password ---- */

static void on_db(struct db_reach *d, struct pgconn *c, const struct error *err, void *arg)
{
    (void)d;
    struct pf_step *s = arg;
    const char *key = "database password";
    if (!err) {
        row_ok(s, key, "PostgreSQL at %s accepts it", pgconn_where(c));
        pgconn_free(c);
    } else if (err->code == ERR_AUTH && strstr(err->msg, "28P01")) {
        row_fail(s, key,
                 "a database kept from an earlier install (a kept volume, seed 003) keeps the "
                 "password it was created with: put that password back as db_password in the "
                 "secrets file, or reset it on the server (ALTER ROLE <user> PASSWORD '...'), "
                 "then retry",
                 "the existing database refuses the password in the secrets file: %s", err->msg);
    } else if (err->code == ERR_AUTH) {
        row_fail(s, key, "check db.user and the server's pg_hba.conf", "%s", err->msg);
    } else {
        row_ok(s, key, "not reachable from here yet (%s): the database step waits for it",
               err->msg);
    }
    s->idx++;
    pf_finish(s);
}

static const char *tf_lookup(const char *name, void *arg)
{
    return step_run_input(arg, "terraform", name);
}

static void database_start(struct pf_step *s)
{
    struct pg_target t;
    bool tunnel;
    const char *why;
    const struct plan_ctx *ctx = step_run_ctx(s->sr);
    if (!steps_db_target(ctx, tf_lookup, s->sr, &t, &tunnel, &why)) {
        row_ok(s, "database password", "not checked: %s", why);
        pf_finish(s);
        return;
    }
    struct ssh_target st;
    if (tunnel)
        steps_db_bastion(s->prof, t.host, t.port, &st);
    t.timeout_ms = 10000;
    step_run_status(s->sr, "logging in to PostgreSQL at %s:%d", t.host, t.port);
    s->reach = db_reach_start(step_run_loop(s->sr), NULL, &t, tunnel ? &st : NULL, "postgres", 0,
                              false, on_db, s);
}

/* ---- the step ---- */

static void pf_next(struct pf_step *s)
{
    switch (s->kind) {
    case PF_TOOLS:
        tools_next(s);
        return;
    case PF_AWS:
        aws_next(s);
        return;
    case PF_CLUSTER:
        cluster_next(s);
        return;
    case PF_DATABASE:
        if (s->idx == 0)
            database_start(s);
        else
            pf_finish(s);
        return;
    }
}

static void pf_start(struct step_run *sr, void *data)
{
    struct pf_step *s = data;
    s->sr = sr;
    s->prof = step_run_ctx(sr)->profile;
    s->idx = 0;
    s->failed = 0;
    step_run_detail_title(sr, "Checks");
    pf_next(s);
}

static void pf_cancel(struct step_run *sr, void *data)
{
    (void)sr;
    pf_clear(data);
}

static const struct step_ops pf_ops = {"preflight", pf_start, pf_cancel, NULL, free};

static struct plan_step *add(struct plan *p, enum pf_kind k, const char *id, const char *title)
{
    struct pf_step *s = xcalloc(1, sizeof(*s));
    s->kind = k;
    struct plan_step *st = plan_add(p, STAGE_PREFLIGHT, id, title, &pf_ops, s);
    plan_step_always(st);
    return st;
}

int steps_preflight_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    (void)err;
    const struct profile *prof = ctx->profile;
    bool eks = prof->target == TARGET_EKS && !ctx->demo;
    struct plan_step *st = add(p, PF_TOOLS, "preflight-tools", "Check the tools and versions");
    struct pf_step *tools_s = plan_step_data(st);
    tools_s->need_tf = eks;
    tools_s->need_helm = eks || prof->method == METHOD_HELM;
    tools_s->need_aws = eks;
    plan_step_note(st, "%s%s%s", eks ? "terraform >= 1.5; " : "",
                   tools_s->need_helm ? "helm >= 3.12; " : "",
                   eks ? "the aws CLI" : "(no tool needed beyond dify-tui)");
    if (eks) {
        st = add(p, PF_AWS, "preflight-aws", "Check the AWS identity and the node type");
        plan_step_note(st,
                       "aws sts get-caller-identity; the zones of %s; where %s is offered "
                       "(with the neighbouring Graviton generations)",
                       prof->aws.region, prof->aws.node_type);
    } else {
        st = add(p, PF_CLUSTER, "preflight-cluster", "Check the cluster");
        plan_step_note(st,
                       "/version; SelfSubjectAccessReview for every verb the plan uses in "
                       "namespace %s; storage classes%s; the ingress class %s",
                       prof->namespace, rwx_needed(prof) ? " (ReadWriteMany needed)" : "",
                       str_empty(prof->cluster.ingress_class) ? "(default)"
                                                              : prof->cluster.ingress_class);
        st = add(p, PF_DATABASE, "preflight-database",
                 "Check that an existing database accepts the password");
        plan_step_note(st,
                       "log in to PostgreSQL as %s with db_password: a re-install over a "
                       "kept database that refuses it (28P01) stops here",
                       prof->db.user);
    }
    return 0;
}
