/* core/steps_helm.c: the Helm steps. "helm-repo" adds and updates the
 * chart's repository, or, when helm.chart names a chart on disk (an
 * air-gapped install from a directory or a `helm pull`ed .tgz), "helm-chart"
 * reads it with `helm show chart` and checks it is the pinned version;
 * "helm-release" runs `helm upgrade --install` with the
 * rendered values (placeholders filled from Terraform's outputs) and the
 * pinned chart version; "lb-controller" installs the AWS Load Balancer
 * Controller on EKS with its IRSA role before anything needs an ALB.
 *
 * Helm prints nothing while it waits (--wait), so the step watches the
 * release's Deployments and StatefulSets itself (label
 * app.kubernetes.io/instance=RELEASE, as the charts set it) and shows each
 * one's rollout as kubectl words it. Before it starts, `helm status -o json`
 * tells whether a previous operation left the release in pending-install,
 * pending-upgrade or pending-rollback: Helm refuses every later operation
 * then ("another operation (install/upgrade/rollback) is in progress"), and
 * the step says which command clears it instead of failing on that text. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/render_fill.h"
#include "core/rollout.h"
#include "core/rules.h"
#include "core/runner.h"
#include "core/steps_native.h"
#include "core/util.h"

/* The AWS Load Balancer Controller's chart, pinned. The AWS EKS User Guide
 * ("Install AWS Load Balancer Controller with Helm") installs controller
 * v2.14.1; the eks-charts chart's version follows the controller's (chart
 * 1.4.6 ships v2.4.5, helm/aws-load-balancer-controller/Chart.yaml). */
#define LBC_REPO_NAME "eks"
#define LBC_REPO_URL "https://aws.github.io/eks-charts"
#define LBC_CHART "eks/aws-load-balancer-controller"
#define LBC_CHART_VERSION "1.14.1"
#define LBC_SA "aws-load-balancer-controller"

const char *steps_helm_bin(void)
{
    const char *h = getenv("HELM");
    return str_empty(h) ? "helm" : h;
}

/* Fills the @@name@@ placeholders of text from the "terraform" step's
 * outputs with render_fill's rule for values (core/render_fill.c): the
 * same check `render --from-terraform` applies. */
int steps_fill_outputs(struct step_run *sr, const char *text, char **out, struct error *err)
{
    struct render_fill f = {0};
    for (const char *p = strstr(text, "@@"); p; p = strstr(p, "@@")) {
        const char *end = strstr(p + 2, "@@");
        if (!end)
            break;
        size_t n = (size_t)(end - p - 2);
        bool name = n > 0 && n < 64;
        for (size_t i = 0; name && i < n; i++)
            name = (p[2 + i] >= 'a' && p[2 + i] <= 'z') || p[2 + i] == '_' ||
                   (p[2 + i] >= '0' && p[2 + i] <= '9');
        if (!name) {
            p += 2;
            continue;
        }
        char *key = xstrndup(p + 2, n);
        const char *v = step_run_input(sr, "terraform", key);
        bool seen = false;
        for (size_t i = 0; i < f.n; i++)
            seen = seen || strcmp(f.names[i], key) == 0;
        if (v && !seen) {
            f.names = xrealloc(f.names, (f.n + 1) * sizeof(char *));
            f.values = xrealloc(f.values, (f.n + 1) * sizeof(char *));
            f.names[f.n] = key;
            f.values[f.n++] = xstrdup(v);
        } else {
            free(key);
        }
        p = end + 2;
    }
    struct rendered_file rf = {.name = "values", .data = xstrdup(text), .len = strlen(text)};
    struct rendered r = {.v = &rf, .n = 1};
    int rc = render_fill_apply(&f, &r, err);
    render_fill_done(&f);
    if (rc < 0) {
        str_free_secret(rf.data);
        return -1;
    }
    *out = rf.data;
    return 0;
}

/* ---- a step made of helm commands ---- */

struct argv {
    char **v;
    size_t n;
};

static void argv_add(struct argv *a, const char *s)
{
    a->v = xrealloc(a->v, (a->n + 2) * sizeof(char *));
    a->v[a->n++] = xstrdup(s);
    a->v[a->n] = NULL;
}

static void argv_free(struct argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof(*a));
}

enum helm_kind { HK_REPO, HK_CHART, HK_RELEASE, HK_LBC, HK_ROLLBACK };

struct helm_step {
    enum helm_kind kind;
    char *release, *ns, *chart, *version, *repo_name, *repo_url;
    char *values[2]; /* rendered values files (RELEASE only) */
    long long timeout_ms;
    /* per attempt */
    struct step_run *sr;
    struct proc *proc;
    int phase;
    struct argv cmd;
    char *kubeconfig, *context;
    char *filled[2];
    struct kube_client *kc;
    struct kube_list *list;
    long long watch_timer;
    int watch_kind; /* 0 deployments, 1 statefulsets */
    bool in_upgrade;
    bool final_read;   /* helm is done: one last read of the rows, then the step ends */
    char revision[24]; /* "REVISION: N" that helm upgrade / rollback printed */
    char *to_revision; /* HK_ROLLBACK: the revision to go back to, NULL: the previous */
};

static void helm_clear(struct helm_step *s)
{
    if (s->proc)
        proc_cancel(s->proc);
    s->proc = NULL;
    if (s->list)
        kube_list_cancel(s->list);
    s->list = NULL;
    if (s->watch_timer && s->sr)
        loop_cancel_timer(step_run_loop(s->sr), s->watch_timer);
    s->watch_timer = 0;
    argv_free(&s->cmd);
    free(s->kubeconfig);
    free(s->context);
    s->kubeconfig = s->context = NULL;
    for (int i = 0; i < 2; i++) {
        free(s->filled[i]);
        s->filled[i] = NULL;
    }
    s->kc = NULL;
    s->sr = NULL;
    s->in_upgrade = false;
    s->final_read = false;
    s->revision[0] = '\0';
}

static void helm_end(struct helm_step *s, const struct error *err)
{
    struct step_run *sr = s->sr;
    helm_clear(s);
    step_run_done(sr, err);
}

static void add_cluster_flags(struct helm_step *s, struct argv *a)
{
    if (s->kubeconfig) {
        argv_add(a, "--kubeconfig");
        argv_add(a, s->kubeconfig);
    }
    if (s->context) {
        argv_add(a, "--kube-context");
        argv_add(a, s->context);
    }
}

/* The end of a command that changes the release (upgrade --install,
 * rollback): helm waits for it, for the step's timeout, then the cluster's
 * flags. */
static void add_wait_flags(struct helm_step *s, struct argv *a)
{
    argv_add(a, "--wait");
    char *t = xasprintf("%llds", s->timeout_ms / 1000);
    argv_add(a, "--timeout");
    argv_add(a, t);
    free(t);
    add_cluster_flags(s, a);
}

static void on_line(enum proc_stream st, const char *line, size_t len, void *arg)
{
    struct helm_step *s = arg;
    /* `helm status -o json` is read whole at the end, not shown; its
     * "release: not found" is a first install, said so at the end */
    int status_phase = s->kind == HK_LBC ? 3 : s->kind == HK_RELEASE ? 1 : -1;
    if (s->phase == status_phase &&
        (st == PROC_STDOUT || (len >= 17 && memmem(line, len, "release: not found", 18))))
        return;
    /* `helm show chart` prints the whole Chart.yaml (description, keywords,
     * maintainers, dependencies): read at the end, and only what a person
     * needs is said (chart_checked); its warnings on stderr still show */
    if (s->kind == HK_CHART && s->phase == 1 && st == PROC_STDOUT)
        return;
    if (st == PROC_STDOUT && len > 10 && strncmp(line, "REVISION: ", 10) == 0)
        snprintf(s->revision, sizeof(s->revision), "%.*s", (int)(len - 10), line + 10);
    step_run_line(s->sr, st == PROC_STDERR ? RUNNER_ERR : RUNNER_OUT, line, len);
}

static void next_phase(struct helm_step *s);
static void finish_success(struct helm_step *s);

static void on_done(const struct proc_result *r, const struct error *err, void *arg);

static void run_cmd(struct helm_step *s)
{
    struct proc_opts o = {0};
    o.argv = (const char *const *)s->cmd.v;
    o.on_line = on_line;
    o.done = on_done;
    o.arg = s;
    if (s->in_upgrade && s->timeout_ms > 0)
        o.timeout_ms = s->timeout_ms + 60000; /* helm's own --timeout comes first */
    s->proc = proc_start(step_run_loop(s->sr), &o);
}

/* ---- watching the release's objects while helm waits ---- */

static void watch_tick(struct loop *l, long long id, void *arg);

static void on_workload(const cJSON *item, void *arg)
{
    struct helm_step *s = arg;
    enum kube_kind kind = s->watch_kind == 0 ? KUBE_DEPLOYMENT : KUBE_STATEFULSET;
    struct error e;
    struct kube_obj *o = kube_obj_parse(kind, item, &e);
    if (!o)
        return;
    char msg[512];
    enum rollout_state rs = rollout_status(kind, o, msg, sizeof(msg));
    char *key = xasprintf("%s/%s", s->watch_kind == 0 ? "deployment" : "statefulset", o->name);
    long ready = o->u.wl.ready,
         want = o->u.wl.spec_replicas >= 0 ? o->u.wl.spec_replicas : o->u.wl.replicas;
    step_run_row(s->sr, key, key,
                 rs == ROLLOUT_DONE     ? ROW_DONE
                 : rs == ROLLOUT_FAILED ? ROW_FAILED
                                        : ROW_WORKING,
                 msg, ready, want > 0 ? want : 0);
    free(key);
    kube_obj_free(o);
}

static void on_list_done(const char *rv, const struct error *err, void *arg)
{
    (void)rv;
    struct helm_step *s = arg;
    s->list = NULL;
    if (err)
        log_debug("helm watch: %s", err->msg);
    if (s->watch_kind == 0) {
        s->watch_kind = 1;
        watch_tick(NULL, 0, s);
        return;
    }
    s->watch_kind = 0;
    if (s->final_read)
        finish_success(s);
    else if (s->in_upgrade)
        s->watch_timer = loop_add_timer(step_run_loop(s->sr), 2000, watch_tick, s);
}

static void watch_tick(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct helm_step *s = arg;
    s->watch_timer = 0;
    if (!(s->in_upgrade || s->final_read) || !s->kc)
        return;
    char *sel = xasprintf("app.kubernetes.io/instance=%s", s->release);
    struct kube_list_opts o = {
        .res = kube_resource_get(s->watch_kind == 0 ? KUBE_DEPLOYMENT : KUBE_STATEFULSET),
        .ns = s->ns,
        .label_selector = sel,
    };
    s->list = kube_list_start(s->kc, &o, on_workload, on_list_done, s);
    free(sel);
}

static void watch_start(struct helm_step *s)
{
    struct error e = {0};
    s->kc = step_run_kube(s->sr, &e);
    if (!s->kc) {
        step_run_say(s->sr, "cannot watch the release's objects while Helm waits: %s", e.msg);
        return;
    }
    step_run_detail_title(s->sr, "Objects Helm waits for");
    s->watch_kind = 0;
    s->watch_timer = loop_add_timer(step_run_loop(s->sr), 500, watch_tick, s);
}

/* ---- phases ---- */

/* A release Helm left in pending-*: what it means and what clears it. */
static bool pending_release(struct helm_step *s, const char *json, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    if (!o)
        return false;
    const char *status = kj_str(o, "info.status");
    long long version = kj_int(o, "version", 0);
    bool pending = status && str_starts_with(status, "pending-");
    if (pending) {
        struct error e;
        error_set(&e, ERR_INVALID, 0,
                  "the Helm release %s in namespace %s is stuck in %s (revision %lld): an "
                  "earlier helm %s was interrupted, and Helm refuses any other operation on it "
                  "(\"another operation (install/upgrade/rollback) is in progress\")",
                  s->release, s->ns, status, version,
                  strstr(status, "install")   ? "install"
                  : strstr(status, "upgrade") ? "upgrade"
                                              : "rollback");
        if (str_eq(status, "pending-install"))
            step_run_hint(s->sr,
                          "if no helm command runs on it now, remove the unfinished install and "
                          "retry: helm uninstall %s -n %s",
                          s->release, s->ns);
        else
            step_run_hint(s->sr,
                          "if no helm command runs on it now, go back to the last good revision "
                          "and retry: helm history %s -n %s; helm rollback %s %lld -n %s (the "
                          "revision before %lld)",
                          s->release, s->ns, s->release, version > 1 ? version - 1 : 1, s->ns,
                          version);
        step_run_permanent(s->sr);
        cJSON_Delete(o);
        helm_end(s, &e);
        return true;
    }
    step_run_say(s->sr, "release %s: %s (revision %lld)", s->release, status ? status : "unknown",
                 version);
    cJSON_Delete(o);
    return false;
}

static int fill_values(struct helm_step *s, struct error *err)
{
    const char *state = step_run_ctx(s->sr)->state_dir;
    char *dir = path_join(state, "helm");
    if (dir_make_all(dir, 0700, err) < 0) {
        free(dir);
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        if (!s->values[i])
            continue;
        char *text = NULL;
        size_t len = 0;
        if (file_read_all(s->values[i], 16 << 20, &text, &len, err) < 0) {
            free(dir);
            return -1;
        }
        char *out = NULL;
        if (steps_fill_outputs(s->sr, text, &out, err) < 0) {
            str_free_secret(text);
            free(dir);
            return error_prefix(err, "%s: ", s->values[i]);
        }
        const char *base = strrchr(s->values[i], '/');
        s->filled[i] = path_join(dir, base ? base + 1 : s->values[i]);
        int rc = file_write_atomic(s->filled[i], out, strlen(out), i == 1 ? 0600 : 0644, err);
        str_free_secret(text);
        str_free_secret(out);
        if (rc < 0) {
            free(dir);
            return -1;
        }
    }
    free(dir);
    return 0;
}

static void build_upgrade(struct helm_step *s)
{
    struct argv *a = &s->cmd;
    argv_free(a);
    argv_add(a, steps_helm_bin());
    argv_add(a, "upgrade");
    argv_add(a, "--install");
    argv_add(a, s->release);
    argv_add(a, s->chart);
    argv_add(a, "--version");
    argv_add(a, s->version);
    argv_add(a, "--namespace");
    argv_add(a, s->ns);
    if (s->kind == HK_RELEASE) {
        for (int i = 0; i < 2; i++)
            if (s->filled[i]) {
                argv_add(a, "-f");
                argv_add(a, s->filled[i]);
            }
    } else {
        const char *(*in)(struct step_run *, const char *, const char *) = step_run_input;
        const char *cluster = in(s->sr, "terraform", "cluster_name");
        const char *role = in(s->sr, "terraform", "lb_controller_role_arn");
        const char *region = in(s->sr, "terraform", "region");
        const char *vpc = in(s->sr, "terraform", "vpc_id");
        char *kv;
        kv = xasprintf("clusterName=%s", cluster ? cluster : "");
        argv_add(a, "--set");
        argv_add(a, kv);
        free(kv);
        argv_add(a, "--set");
        argv_add(a, "serviceAccount.create=true");
        argv_add(a, "--set");
        argv_add(a, "serviceAccount.name=" LBC_SA);
        kv = xasprintf("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=%s",
                       role ? role : "");
        argv_add(a, "--set-string");
        argv_add(a, kv);
        free(kv);
        if (region) {
            kv = xasprintf("region=%s", region);
            argv_add(a, "--set");
            argv_add(a, kv);
            free(kv);
        }
        if (vpc) {
            kv = xasprintf("vpcId=%s", vpc);
            argv_add(a, "--set");
            argv_add(a, kv);
            free(kv);
        }
    }
    add_wait_flags(s, a);
}

/* Helm's --wait ended well: the rows last read every 2 s may lag behind
 * it (a Deployment shown still rolling out in a step that is done), so
 * they are read once more, then the step ends. */
static void final_read(struct helm_step *s)
{
    s->in_upgrade = false;
    if (!s->kc) {
        finish_success(s);
        return;
    }
    s->final_read = true;
    if (s->watch_timer)
        loop_cancel_timer(step_run_loop(s->sr), s->watch_timer);
    s->watch_timer = 0;
    if (!s->list) { /* else the list in flight goes on to the end */
        s->watch_kind = 0;
        watch_tick(NULL, 0, s);
    }
}

static void finish_success(struct helm_step *s)
{
    s->final_read = false;
    if (s->kind == HK_ROLLBACK) {
        step_run_summary(s->sr, "release %s rolled back to revision %s", s->release,
                         s->to_revision ? s->to_revision : "before the last");
        helm_end(s, NULL);
        return;
    }
    step_run_output(s->sr, "release", s->release);
    step_run_output(s->sr, "chart_version", s->version);
    if (s->revision[0])
        step_run_output(s->sr, "helm_revision", s->revision);
    step_run_summary(s->sr, "release %s: chart %s %s deployed in %s", s->release, s->chart,
                     s->version, s->ns);
    helm_end(s, NULL);
}

static void next_phase(struct helm_step *s)
{
    s->phase++;
    struct argv *a = &s->cmd;
    argv_free(a);
    if (s->kind == HK_ROLLBACK) {
        if (s->phase == 1) {
            argv_add(a, steps_helm_bin());
            argv_add(a, "rollback");
            argv_add(a, s->release);
            if (s->to_revision)
                argv_add(a, s->to_revision);
            argv_add(a, "--namespace");
            argv_add(a, s->ns);
            add_wait_flags(s, a);
            step_run_status(s->sr, "helm rollback %s %s", s->release,
                            s->to_revision ? s->to_revision : "(the previous revision)");
            s->in_upgrade = true;
            watch_start(s);
            run_cmd(s);
            return;
        }
        final_read(s);
        return;
    }
    if (s->kind == HK_CHART) {
        if (s->phase == 1) {
            step_run_status(s->sr, "helm show chart %s", s->chart);
            argv_add(a, steps_helm_bin());
            argv_add(a, "show");
            argv_add(a, "chart");
            argv_add(a, s->chart);
            run_cmd(s);
            return;
        }
        return; /* chart_checked ends the step */
    }
    if (s->kind == HK_REPO || (s->kind == HK_LBC && s->phase <= 2)) {
        const char *name = s->kind == HK_LBC ? LBC_REPO_NAME : s->repo_name;
        const char *url = s->kind == HK_LBC ? LBC_REPO_URL : s->repo_url;
        if (s->phase == 1) {
            step_run_status(s->sr, "helm repo add %s", name);
            argv_add(a, steps_helm_bin());
            argv_add(a, "repo");
            argv_add(a, "add");
            argv_add(a, "--force-update");
            argv_add(a, name);
            argv_add(a, url);
            run_cmd(s);
            return;
        }
        if (s->phase == 2) {
            step_run_status(s->sr, "helm repo update %s", name);
            argv_add(a, steps_helm_bin());
            argv_add(a, "repo");
            argv_add(a, "update");
            argv_add(a, name);
            run_cmd(s);
            return;
        }
        step_run_summary(s->sr, "repository %s (%s) is current", name, url);
        helm_end(s, NULL);
        return;
    }
    int status_phase = s->kind == HK_LBC ? 3 : 1;
    if (s->phase == status_phase) {
        step_run_status(s->sr, "helm status %s", s->release);
        argv_add(a, steps_helm_bin());
        argv_add(a, "status");
        argv_add(a, s->release);
        argv_add(a, "--namespace");
        argv_add(a, s->ns);
        argv_add(a, "-o");
        argv_add(a, "json");
        add_cluster_flags(s, a);
        run_cmd(s);
        return;
    }
    if (s->phase == status_phase + 1) {
        struct error e = {0};
        if (s->kind == HK_RELEASE && fill_values(s, &e) < 0) {
            step_run_permanent(s->sr);
            helm_end(s, &e);
            return;
        }
        build_upgrade(s);
        step_run_status(s->sr,
                        "helm upgrade --install %s %s --version %s (waiting for its objects)",
                        s->release, s->chart, s->version);
        s->in_upgrade = true;
        watch_start(s);
        run_cmd(s);
        return;
    }
    final_read(s);
}

/* The value of a top-level "key: value" line of Chart.yaml as `helm show
 * chart` prints it (quotes taken off), or NULL. */
static char *chart_field(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, key, kl) != 0 || l[kl] != ':')
            continue;
        const char *v = l + kl + 1, *end = strchr(v, '\n');
        if (!end)
            end = v + strlen(v);
        while (v < end && (*v == ' ' || *v == '"' || *v == '\''))
            v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '"' || end[-1] == '\'' || end[-1] == '\r'))
            end--;
        return xstrndup(v, (size_t)(end - v));
    }
    return NULL;
}

/* helm.chart on disk: it is a chart, and the version the answers pin
 * (helm ignores --version for a local chart, so nothing else would
 * notice a chart of another version copied there). */
static void chart_checked(struct helm_step *s, const struct proc_result *r)
{
    char *name = chart_field(r->out ? r->out : "", "name");
    char *version = chart_field(r->out ? r->out : "", "version");
    struct error e = {0};
    if (!version) {
        error_set(&e, ERR_INVALID, 0, "helm.chart %s: helm show chart printed no version",
                  s->chart);
    } else if (!str_eq(version, s->version)) {
        error_set(&e, ERR_INVALID, 0,
                  "helm.chart %s is chart %s version %s, but helm.version pins %s (Helm "
                  "ignores --version for a chart on disk)",
                  s->chart, name ? name : "?", version, s->version);
        step_run_hint(s->sr,
                      "put the chart of version %s there (helm pull dify/dify --version %s on a "
                      "machine with network access), or set helm.version to %s if you meant "
                      "that one and render again",
                      s->version, s->version, version);
    }
    if (e.msg[0]) {
        free(name);
        free(version);
        step_run_permanent(s->sr);
        helm_end(s, &e);
        return;
    }
    /* what the step says: the chart, its version and the Dify version it
     * ships, and where it came from (a directory or a packaged .tgz) */
    char *app = chart_field(r->out ? r->out : "", "appVersion");
    struct stat st;
    bool dir = stat(s->chart, &st) == 0 && S_ISDIR(st.st_mode);
    struct strbuf about;
    strbuf_init(&about);
    strbuf_addf(&about, "chart %s", name ? name : "?");
    if (app && *app)
        strbuf_addf(&about, ", appVersion %s", app);
    strbuf_adds(&about, dir ? ", a chart directory" : ", a packaged chart");
    step_run_output(s->sr, "chart_name", name ? name : "");
    step_run_summary(s->sr, "local chart %s: version %s (%s)", s->chart, s->version, about.buf);
    strbuf_done(&about);
    free(app);
    free(name);
    free(version);
    helm_end(s, NULL);
}

static void on_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct helm_step *s = arg;
    s->proc = NULL;
    if (s->kind == HK_CHART && s->phase == 1 && !err) {
        chart_checked(s, r);
        return;
    }
    if (s->kind == HK_CHART && err && err->detail != 127) {
        struct error e = *err;
        step_run_hint(s->sr,
                      "helm.chart %s must be a chart directory (with Chart.yaml) or a packaged "
                      ".tgz from `helm pull`; a relative path is relative to the answers file",
                      s->chart);
        step_run_permanent(s->sr);
        helm_end(s, &e);
        return;
    }
    int status_phase = s->kind == HK_LBC ? 3 : s->kind == HK_RELEASE ? 1 : -1;
    if (s->phase == status_phase) {
        /* "release: not found" is a first install */
        if (!err && pending_release(s, r->out, r->out_len))
            return;
        if (err && !strstr(r->err ? r->err : "", "not found"))
            step_run_say(s->sr, "helm status failed: %s", err->msg);
        else if (err)
            step_run_say(s->sr, "release %s: not in namespace %s yet (a first install)", s->release,
                         s->ns);
        next_phase(s);
        return;
    }
    if (err) {
        struct error e = *err;
        s->in_upgrade = false;
        if (err->detail == 127) {
            step_run_hint(s->sr, "install Helm 3.12 or later (or set HELM to its path)");
            step_run_permanent(s->sr);
        } else if (r->err && strstr(r->err, "another operation (install/upgrade/rollback) is in "
                                            "progress")) {
            step_run_hint(s->sr,
                          "a Helm operation on %s did not finish; if none runs now, see helm "
                          "history %s -n %s and roll back to the last deployed revision",
                          s->release, s->release, s->ns);
        } else if (r->err && strstr(r->err, "timed out waiting")) {
            step_run_hint(s->sr,
                          "Helm's --wait ran out: the rows above show which object did not "
                          "become ready; `dify-tui get pods -n %s` shows why",
                          s->ns);
        }
        helm_end(s, &e);
        return;
    }
    next_phase(s);
}

static void helm_start(struct step_run *sr, void *data)
{
    struct helm_step *s = data;
    s->sr = sr;
    s->phase = 0;
    const struct plan_ctx *ctx = step_run_ctx(sr);
    const char *kc = step_run_input(sr, "kubeconfig", "path");
    s->kubeconfig = xstrdup_or_null(kc ? kc : ctx->kubeconfig);
    s->context = kc ? NULL : xstrdup_or_null(ctx->context);
    if (!s->kubeconfig)
        s->kubeconfig = NULL;
    next_phase(s);
}

static void helm_cancel(struct step_run *sr, void *data)
{
    (void)sr;
    helm_clear(data);
}

static void helm_free(void *data)
{
    struct helm_step *s = data;
    free(s->release);
    free(s->ns);
    free(s->chart);
    free(s->version);
    free(s->repo_name);
    free(s->repo_url);
    free(s->values[0]);
    free(s->values[1]);
    free(s->to_revision);
    free(s);
}

static const struct step_ops helm_ops = {"helm", helm_start, helm_cancel, NULL, helm_free};

static char *repo_name_of(const char *chart)
{
    const char *slash = strchr(chart ? chart : "", '/');
    return slash ? xstrndup(chart, (size_t)(slash - chart)) : NULL;
}

struct plan_step *steps_add_helm_release(struct plan *p, const char *release, const char *ns,
                                         const char *chart, const char *version,
                                         const char *const values[2], long long timeout_ms)
{
    const char *helm = steps_helm_bin();
    struct helm_step *h = xcalloc(1, sizeof(*h));
    h->kind = HK_RELEASE;
    h->release = xstrdup(release);
    h->ns = xstrdup(ns);
    h->chart = xstrdup(chart);
    h->version = xstrdup(version);
    h->values[0] = xstrdup(values[0]);
    h->values[1] = xstrdup(values[1]);
    h->timeout_ms = timeout_ms;
    struct plan_step *hs =
        plan_add(p, STAGE_APP, "helm-release", "Install the application with Helm", &helm_ops, h);
    const char *st[] = {helm, "status", release, "--namespace", ns, "-o", "json", NULL};
    plan_step_cmd(hs, st);
    char *t = xasprintf("%llds", h->timeout_ms / 1000);
    const char *up[] = {helm,
                        "upgrade",
                        "--install",
                        release,
                        chart,
                        "--version",
                        version,
                        "--namespace",
                        ns,
                        "-f",
                        "STATE/helm/values.yaml",
                        "-f",
                        "STATE/helm/values-secrets.yaml",
                        "--wait",
                        "--timeout",
                        t,
                        NULL};
    plan_step_cmd(hs, up);
    free(t);
    plan_step_note(hs, "the rendered values with Terraform's outputs filled in, copied to "
                       "STATE/helm/ (values-secrets.yaml 0600); while Helm waits, the release's "
                       "Deployments and StatefulSets are watched and shown");
    for (int i = 0; i < 2; i++) {
        char *data = NULL;
        size_t len = 0;
        struct error e;
        if (file_read_all(h->values[i], 16 << 20, &data, &len, &e) == 0)
            plan_step_input(hs, i ? "values-secrets.yaml" : "values.yaml", data);
        str_free_secret(data);
    }
    return hs;
}

struct plan_step *steps_add_helm_rollback(struct plan *p, const char *id, const char *release,
                                          const char *ns, const char *revision,
                                          long long timeout_ms)
{
    struct helm_step *h = xcalloc(1, sizeof(*h));
    h->kind = HK_ROLLBACK;
    h->release = xstrdup(release);
    h->ns = xstrdup(ns);
    h->chart = xstrdup("");
    h->version = xstrdup("");
    h->to_revision = xstrdup_or_null(revision);
    h->timeout_ms = timeout_ms;
    char *title =
        xasprintf("Roll the Helm release %s back to %s%s", release,
                  revision ? "revision " : "its previous revision", revision ? revision : "");
    struct plan_step *st = plan_add(p, STAGE_APP, id, title, &helm_ops, h);
    free(title);
    const char *argv[] = {steps_helm_bin(),
                          "rollback",
                          release,
                          revision ? revision : "--wait",
                          "--namespace",
                          ns,
                          revision ? "--wait" : NULL,
                          NULL};
    plan_step_cmd(st, argv);
    plan_step_always(st);
    return st;
}

static void add_release(struct plan *p, const struct plan_ctx *ctx, const char *chart,
                        const char *after)
{
    const struct profile *prof = ctx->profile;
    char *values[2] = {
        path_join(ctx->rendered_dir ? ctx->rendered_dir : ".", "values.yaml"),
        path_join(ctx->rendered_dir ? ctx->rendered_dir : ".", "values-secrets.yaml")};
    struct plan_step *hs = steps_add_helm_release(
        p, prof->release, prof->namespace, chart, prof->helm.version, (const char *const *)values,
        ctx->rollout_timeout_ms > 0 ? ctx->rollout_timeout_ms : 900000);
    plan_step_after(hs, after);
    free(values[0]);
    free(values[1]);
}

/* helm.chart on disk: an absolute path as it is, a relative one relative to
 * the answers file's directory (as extra_files sources are). */
static char *local_chart_path(const struct plan_ctx *ctx, const char *chart)
{
    if (chart[0] == '/')
        return xstrdup(chart);
    const char *ap = ctx->answers_path ? ctx->answers_path : "";
    const char *slash = strrchr(ap, '/');
    char *dir = slash ? xstrndup(ap, (size_t)(slash - ap)) : xstrdup(".");
    if (slash == ap)
        str_replace(&dir, "/");
    if (dir[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof(cwd))) {
            char *abs = str_eq(dir, ".") ? xstrdup(cwd) : path_join(cwd, dir);
            free(dir);
            dir = abs;
        }
    }
    while (strncmp(chart, "./", 2) == 0)
        chart += 2;
    char *path = path_join(dir, chart);
    free(dir);
    return path;
}

/* An air-gapped install: no repository to add; the chart is read and its
 * version checked against helm.version before anything is installed. */
static int add_local_chart(struct plan *p, const struct plan_ctx *ctx)
{
    const struct profile *prof = ctx->profile;
    struct helm_step *c = xcalloc(1, sizeof(*c));
    c->kind = HK_CHART;
    c->chart = local_chart_path(ctx, prof->helm.chart);
    c->version = xstrdup(prof->helm.version);
    struct plan_step *cs =
        plan_add(p, STAGE_BASE, "helm-chart",
                 "Check the local chart (no repository: an air-gapped install)", &helm_ops, c);
    const char *show[] = {steps_helm_bin(), "show", "chart", c->chart, NULL};
    plan_step_cmd(cs, show);
    plan_step_note(cs,
                   "the chart must be version %s (helm.version); Helm itself ignores --version "
                   "for a chart on disk",
                   c->version);
    plan_step_always(cs);
    add_release(p, ctx, c->chart, "helm-chart");
    return 0;
}

int steps_helm_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    const struct profile *prof = ctx->profile;
    const char *helm = steps_helm_bin();
    if (prof->target == TARGET_EKS || ctx->demo) {
        struct helm_step *s = xcalloc(1, sizeof(*s));
        s->kind = HK_LBC;
        s->release = xstrdup("aws-load-balancer-controller");
        s->ns = xstrdup("kube-system");
        s->chart = xstrdup(LBC_CHART);
        s->version = xstrdup(LBC_CHART_VERSION);
        s->timeout_ms = 600000;
        struct plan_step *st =
            plan_add(p, STAGE_INFRA, "lb-controller",
                     "Install the AWS Load Balancer Controller (before anything needs an ALB)",
                     &helm_ops, s);
        if (plan_find(p, "kubeconfig"))
            plan_step_after(st, "kubeconfig");
        const char *add[] = {helm,          "repo",       "add", "--force-update",
                             LBC_REPO_NAME, LBC_REPO_URL, NULL};
        plan_step_cmd(st, add);
        const char *up[] = {helm,
                            "upgrade",
                            "--install",
                            "aws-load-balancer-controller",
                            LBC_CHART,
                            "--version",
                            LBC_CHART_VERSION,
                            "--namespace",
                            "kube-system",
                            "--set",
                            "clusterName=@@cluster_name@@",
                            "--set",
                            "serviceAccount.name=" LBC_SA,
                            "--set-string",
                            "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=@@lb_"
                            "controller_role_arn@@",
                            "--wait",
                            NULL};
        plan_step_cmd(st, up);
        plan_step_retry(st, 3, 10000);
        if (ctx->demo)
            plan_step_skip(st, "the demo has no AWS account: no load balancer controller");
    }
    if (prof->method != METHOD_HELM)
        return 0;
    if (str_empty(prof->helm.version))
        return error_set(err, ERR_INVALID, 0, "helm.version must be a pinned chart version");
    if (chart_ref_is_local(prof->helm.chart))
        return add_local_chart(p, ctx);
    char *repo = repo_name_of(prof->helm.chart);
    if (!repo) {
        return error_set(err, ERR_INVALID, 0,
                         "helm.chart must be REPO/CHART or a local chart (a path or a .tgz)");
    }
    struct helm_step *r = xcalloc(1, sizeof(*r));
    r->kind = HK_REPO;
    r->repo_name = repo;
    r->repo_url = xstrdup(prof->helm.repo_url);
    struct plan_step *rs =
        plan_add(p, STAGE_BASE, "helm-repo", "Add the chart repository", &helm_ops, r);
    const char *add[] = {helm, "repo", "add", "--force-update", repo, prof->helm.repo_url, NULL};
    plan_step_cmd(rs, add);
    const char *upd[] = {helm, "repo", "update", repo, NULL};
    plan_step_cmd(rs, upd);
    plan_step_retry(rs, 3, 5000);
    plan_step_always(rs);

    add_release(p, ctx, prof->helm.chart, "helm-repo");
    return 0;
}
