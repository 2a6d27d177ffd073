/* core/checks_irsa.c: area 8, IAM roles for ServiceAccounts (EKS).
 *
 * DT-801: every Dify workload's ServiceAccount exists, every role annotation
 * (`eks.amazonaws.com/role-arn`) is a role ARN (not a placeholder left by a
 * rendering without the Terraform outputs), and with `storage.auth: irsa`
 * the ServiceAccounts of the components that reach S3 carry one.
 * DT-802: EKS's pod identity webhook gives a pod its role (AWS_ROLE_ARN and
 * the web identity token) when the pod is created: a pod created before
 * its ServiceAccount got the annotation runs without it until it is
 * recreated. The annotation's time is its manager's entry in managedFields.
 * DT-803: no ServiceAccount is claimed by two owners, Terraform (its field
 * manager) and a Helm release (Helm's ownership labels): `helm uninstall`
 * then deletes what Terraform made, and a reinstall stops on "invalid
 * ownership metadata" (langgenius/dify-ee-terraform-aws: "Terraform first,
 * then Helm"). Lists drop managedFields, so these two read the namespace's
 * ServiceAccounts whole. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/profile.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define ROLE_ANN "eks.amazonaws.com/role-arn"

static const cJSON *sa_find(const cJSON *items, const char *name)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, items)
    {
        if (str_eq(kj_str(o, "metadata.name"), name))
            return o;
    }
    return NULL;
}

static const char *role_of(const cJSON *sa)
{
    return json_member_str(kj_get(sa, "metadata.annotations"), ROLE_ANN);
}

/* arn:aws:iam::123456789012:role/NAME (also aws-cn, aws-us-gov). */
static bool role_arn_ok(const char *v)
{
    if (strncmp(v, "arn:aws", 7) != 0)
        return false;
    const char *p = strstr(v, ":iam::");
    if (!p)
        return false;
    p += 6;
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)p[i]))
            return false;
    return strncmp(p + 12, ":role/", 6) == 0 && p[18] != '\0';
}

/* ---- DT-801 ---- */

struct sa_use {
    struct check *c;
    int missing, checked, bad, unannotated;
    bool irsa;
};

static bool uses_s3(enum dify_comp k)
{
    return k == DIFY_COMP_API || k == DIFY_COMP_WORKER || k == DIFY_COMP_BEAT ||
           k == DIFY_COMP_PLUGIN_DAEMON;
}

static void sa_of_workload(const struct workload_ref *w, void *arg)
{
    struct sa_use *u = arg;
    struct check *c = u->c;
    enum dify_comp k = dify_comp_of_json(w->obj, NULL);
    if (k == DIFY_COMP_NONE || k == DIFY_COMP_MIGRATION)
        return;
    const char *name = kj_str(w->tpl, "spec.serviceAccountName");
    if (str_empty(name))
        name = "default";
    const cJSON *sa = sa_find(check_fact(c, FACT_SERVICEACCOUNTS), name);
    /* "default" is made in every namespace by the controller manager (a
     * simulator may not list it): only a named one can be missing. */
    if (!sa && str_eq(name, "default"))
        return;
    if (!sa) {
        check_evidence(c,
                       "%s/%s uses ServiceAccount %s, which does not exist (no pod can be "
                       "created: \"serviceaccount \\\"%s\\\" not found\")",
                       w->kind, w->name, name, name);
        u->missing++;
        return;
    }
    u->checked++;
    if (u->irsa && uses_s3(k) && !role_of(sa)) {
        check_evidence(c, "%s/%s (the %s) runs as ServiceAccount %s, which has no %s", w->kind,
                       w->name, dify_comp_desc(k)->title, name, ROLE_ANN);
        u->unannotated++;
    }
}

static void roles_start(struct check *c)
{
    const struct profile *p = check_env(c)->profile;
    struct sa_use u = {.c = c,
                       .irsa = p && p->target == TARGET_EKS && p->storage.auth == S3_AUTH_IRSA};
    check_more(c, DOC "dt-801");
    const cJSON *sa;
    int annotated = 0;
    cJSON_ArrayForEach(sa, check_fact(c, FACT_SERVICEACCOUNTS))
    {
        const char *r = role_of(sa);
        if (!r)
            continue;
        annotated++;
        if (!role_arn_ok(r)) {
            check_evidence(c, "ServiceAccount %s: %s is \"%s\", not an IAM role ARN%s",
                           kj_str(sa, "metadata.name"), ROLE_ANN, r,
                           strstr(r, "@@") ? " (a placeholder: rendered without the Terraform "
                                             "outputs)"
                                           : "");
            u.bad++;
        } else {
            check_evidence(c, "ServiceAccount %s: %s", kj_str(sa, "metadata.name"), r);
        }
    }
    workloads_each(c, sa_of_workload, &u);
    if (!annotated && !u.irsa && !u.missing) {
        check_skip(c, "IRSA is not used here (no ServiceAccount carries %s)", ROLE_ANN);
        return;
    }
    if (u.missing) {
        check_try(c, "%s get serviceaccounts", check_kubectl(c));
        check_fail(c, "%d workload%s use a ServiceAccount that does not exist", u.missing,
                   u.missing == 1 ? "" : "s");
        return;
    }
    if (u.bad) {
        check_explain(c, "The pod identity webhook passes the annotation to AWS as it is: a "
                         "value that is not a role ARN gives the pods no role, and every S3 or "
                         "ECR call fails with AccessDenied or \"Unable to locate credentials\".");
        check_try(c, "terraform output -json service_account_role_arns   # then dify-tui render "
                     "--from-terraform");
        check_fail(c, "%d role annotation%s not a role ARN", u.bad, u.bad == 1 ? " is" : "s are");
        return;
    }
    if (u.unannotated) {
        check_explain(c, "The answers say S3 is reached through IRSA (storage.auth: irsa), but a "
                         "component that reads and writes files runs without a role: boto3 "
                         "falls back to the node's role and S3 answers AccessDenied.");
        check_try(c, "%s annotate serviceaccount NAME %s=arn:aws:iam::ACCOUNT:role/ROLE",
                  check_kubectl(c), ROLE_ANN);
        check_fail(c, "%d component%s that use S3 run without an IAM role", u.unannotated,
                   u.unannotated == 1 ? "" : "s");
        return;
    }
    check_ok(c, "%d ServiceAccount%s carry a role; every workload's ServiceAccount exists",
             annotated, annotated == 1 ? "" : "s");
}

/* ---- the ServiceAccounts whole (with managedFields), for DT-802/803 ---- */

struct sa_req {
    struct check *c;
    void (*judge)(struct check *c, const cJSON *items);
};

static void sa_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct sa_req *r = arg;
    struct check *c = r->c;
    if (err || status != 200) {
        check_evidence(c, "%s", err ? err->msg : "the API server refused the list");
        check_skip(c, "could not read the ServiceAccounts");
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j) {
        check_skip(c, "the ServiceAccounts' list is not JSON");
        return;
    }
    r->judge(c, kj_get(j, "items"));
    cJSON_Delete(j);
}

static void sa_stop(struct check *c)
{
    free(check_state(c));
}

static void sa_fetch(struct check *c, void (*judge)(struct check *c, const cJSON *items))
{
    struct sa_req *r = xcalloc(1, sizeof(*r));
    r->c = c;
    r->judge = judge;
    check_set_state(c, r);
    char *path = xasprintf("/api/v1/namespaces/%s/serviceaccounts", check_env(c)->ns);
    struct kube_req_opts o = {.path = path};
    check_waiting(c, "the ServiceAccounts");
    if (!check_kube(c, &o, sa_done, r))
        check_skip(c, "no cluster");
    free(path);
}

/* When the role annotation was last set: the newest managedFields entry
 * whose fields hold it (-1 when none says). */
static long long annotation_time(const cJSON *sa)
{
    long long best = -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, kj_get(sa, "metadata.managedFields"))
    {
        const cJSON *f = kj_get(e, "fieldsV1");
        f = f ? cJSON_GetObjectItemCaseSensitive(f, "f:metadata") : NULL;
        f = f ? cJSON_GetObjectItemCaseSensitive(f, "f:annotations") : NULL;
        f = f ? cJSON_GetObjectItemCaseSensitive(f, "f:" ROLE_ANN) : NULL;
        if (!f)
            continue;
        long long t = kube_time_parse(kj_str(e, "time"));
        if (t > best)
            best = t;
    }
    return best;
}

static const char *pod_env(const cJSON *pod, const char *name)
{
    const cJSON *ct, *ev;
    cJSON_ArrayForEach(ct, kj_get(pod, "spec.containers"))
    {
        cJSON_ArrayForEach(ev, kj_get(ct, "env"))
        {
            if (str_eq(kj_str(ev, "name"), name))
                return kj_str(ev, "value");
        }
    }
    return NULL;
}

/* ---- DT-802 ---- */

static void started_judge(struct check *c, const cJSON *items)
{
    check_more(c, DOC "dt-802");
    int stale = 0, checked = 0;
    const cJSON *sa, *pod;
    char first[400] = "";
    cJSON_ArrayForEach(sa, items)
    {
        const char *role = role_of(sa), *name = kj_str(sa, "metadata.name");
        if (!role)
            continue;
        long long at = annotation_time(sa);
        cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
        {
            const char *psa = kj_str(pod, "spec.serviceAccountName");
            if (!str_eq(psa ? psa : "default", name) || kj_get(pod, "metadata.deletionTimestamp"))
                continue;
            checked++;
            const char *pname = kj_str(pod, "metadata.name");
            long long born = kube_time_parse(kj_str(pod, "metadata.creationTimestamp"));
            const char *injected = pod_env(pod, "AWS_ROLE_ARN");
            if (injected && !str_eq(injected, role)) {
                check_evidence(c, "pod %s runs with role %s; ServiceAccount %s now names %s", pname,
                               injected, name, role);
            } else if (at > 0 && born > 0 && born < at) {
                check_evidence(c,
                               "pod %s was created %lld s before ServiceAccount %s got its "
                               "role",
                               pname, at - born, name);
            } else {
                continue;
            }
            if (!stale)
                snprintf(first, sizeof(first), "pod %s started before its role", pname);
            stale++;
        }
    }
    if (!checked) {
        check_skip(c, "no pod runs as a ServiceAccount with a role");
        return;
    }
    if (stale) {
        check_explain(c, "EKS's pod identity webhook gives a pod its role only when the pod is "
                         "created. These pods started before their ServiceAccount named the "
                         "role (or under another one): they run with the node's role until "
                         "they are recreated.");
        check_try(c, "%s rollout restart deployment", check_kubectl(c));
        check_fail(c, "%d pod%s run without the role their ServiceAccount names (%s)", stale,
                   stale == 1 ? "" : "s", first);
        return;
    }
    check_ok(c, "%d pod%s started after their ServiceAccount's role", checked,
             checked == 1 ? "" : "s");
}

static void started_start(struct check *c)
{
    sa_fetch(c, started_judge);
}

/* ---- DT-803 ---- */

static void owners_judge(struct check *c, const cJSON *items)
{
    check_more(c, DOC "dt-803");
    const char *release = check_env(c)->release;
    int twice = 0, other = 0;
    const cJSON *sa, *e;
    char first[400] = "";
    cJSON_ArrayForEach(sa, items)
    {
        const char *name = kj_str(sa, "metadata.name");
        const char *managed =
            json_member_str(kj_get(sa, "metadata.labels"), "app.kubernetes.io/managed-by");
        const char *rel =
            json_member_str(kj_get(sa, "metadata.annotations"), "meta.helm.sh/release-name");
        bool helm = str_eq(managed, "Helm") && rel;
        bool terraform = false;
        cJSON_ArrayForEach(e, kj_get(sa, "metadata.managedFields"))
        {
            const char *m = kj_str(e, "manager");
            terraform = terraform || (m && strcasestr(m, "terraform"));
        }
        if (helm && terraform) {
            check_evidence(c,
                           "ServiceAccount %s: made by Terraform (field manager) and claimed "
                           "by Helm release %s",
                           name, rel);
            if (!twice)
                snprintf(first, sizeof(first),
                         "ServiceAccount %s belongs to Terraform and to "
                         "Helm release %s",
                         name, rel);
            twice++;
        } else if (helm && !str_empty(release) && !str_eq(rel, release)) {
            check_evidence(c, "ServiceAccount %s belongs to Helm release %s, not %s", name, rel,
                           release);
            other++;
        }
    }
    if (twice) {
        check_explain(c, "Two owners of one ServiceAccount undo each other: `helm uninstall` "
                         "deletes the one Terraform made (and its role annotation), and the "
                         "next install or `terraform apply` fails or recreates it without the "
                         "other's settings (langgenius/dify-ee-terraform-aws: Terraform first, "
                         "then Helm, and only one of them makes each ServiceAccount).");
        check_try(c,
                  "helm upgrade %s ... --set serviceAccount.create=false   # keep "
                  "Terraform's",
                  str_empty(release) ? "RELEASE" : release);
        check_fail(c, "%s", first);
        return;
    }
    if (other) {
        check_explain(c, "Helm refuses to install over an object another release owns "
                         "(\"invalid ownership metadata\").");
        check_try(c, "%s get serviceaccounts -o yaml", check_kubectl(c));
        check_warn(c, "%d ServiceAccount%s belong to another Helm release", other,
                   other == 1 ? "" : "s");
        return;
    }
    check_ok(c, "%d ServiceAccount%s, each with one owner", cJSON_GetArraySize(items),
             cJSON_GetArraySize(items) == 1 ? "" : "s");
}

static void owners_start(struct check *c)
{
    sa_fetch(c, owners_judge);
}

const struct check_def checks_irsa[] = {
    {"DT-801", AREA_IRSA, "ServiceAccounts exist and carry the expected IAM roles",
     NEED_APP | NEED(FACT_SERVICEACCOUNTS), roles_start, NULL, 0, 0},
    {"DT-802", AREA_IRSA, "Pods started after their ServiceAccount's role", NEED(FACT_PODS),
     started_start, sa_stop, 0, 0},
    {"DT-803", AREA_IRSA, "No ServiceAccount has two owners (Terraform and Helm)", 0, owners_start,
     sa_stop, 0, 0},
};
const size_t checks_irsa_n = ARRAY_LEN(checks_irsa);
