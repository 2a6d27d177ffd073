/* core/steps_tf.c: the AWS EKS infrastructure steps. "terraform" runs
 * `terraform init`, `plan -json -out=tfplan` (its summary, N to add,
 * change and destroy, asked about before anything changes), `apply -json
 * tfplan` streamed into one detail row per resource with its state and
 * elapsed time, then `output -json`, whose string outputs become the
 * step's outputs (journaled; sensitive ones never) and fill the rendered
 * @@name@@ placeholders (core/render_fill reads them). "kubeconfig" writes
 * a kubeconfig for the new cluster with exec authentication, the entries
 * `aws eks update-kubeconfig` writes, into the state directory; later
 * steps reach the cluster through it (the runner reads its "path").
 *
 * Terraform's working copy lives in STATE_DIR/terraform: the stack's *.tf
 * files and the rendered variable files are copied there each run, so its
 * state (terraform.tfstate) and providers (.terraform) stay with the
 * install and a rerun continues where the last one stopped. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/paths.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/render_fill.h"
#include "core/runner.h"
#include "core/steps_native.h"
#include "core/tfjson.h"
#include "core/util.h"

enum tf_phase { TFP_INIT, TFP_PLAN, TFP_ASK, TFP_APPLY, TFP_OUTPUT };

struct tf_step {
    char *src_dir;    /* the configuration: assets/terraform, or a test's fixture */
    char **var_files; /* copied into the working copy, passed as -var-file */
    size_t nvar;
    /* per attempt */
    struct step_run *sr;
    struct proc *proc;
    enum tf_phase phase;
    char *work;
    struct tf_track tr;
    bool json; /* the running command speaks -json */
};

static const char *tf_bin(void)
{
    const char *t = getenv("TERRAFORM");
    return str_empty(t) ? "terraform" : t;
}

static const char *const tf_env[] = {"TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
                                     NULL};

static void tf_clear(struct tf_step *s)
{
    if (s->proc)
        proc_cancel(s->proc);
    s->proc = NULL;
    tf_track_done(&s->tr);
    free(s->work);
    s->work = NULL;
    s->sr = NULL;
}

static void tf_end(struct tf_step *s, const struct error *err)
{
    struct step_run *sr = s->sr;
    s->proc = NULL; /* freed by proc after its done callback */
    tf_clear(s);
    step_run_done(sr, err);
}

/* ---- the working copy ---- */

static int copy_file(const char *from, const char *to, mode_t mode, struct error *err)
{
    char *data = NULL;
    size_t len = 0;
    if (file_read_all(from, 16 << 20, &data, &len, err) < 0)
        return -1;
    int rc = file_write_atomic(to, data, len, mode, err);
    if (strstr(from, "secrets"))
        memset(data, 0, len);
    free(data);
    return rc;
}

static int prepare_work(struct tf_step *s, const struct plan_ctx *ctx, struct error *err)
{
    s->work = path_join(ctx->state_dir, "terraform");
    if (dir_make_all(s->work, 0700, err) < 0)
        return -1;
    DIR *d = opendir(s->src_dir);
    if (!d)
        return error_set(err, ERR_NOTFOUND, 0, "cannot read the Terraform configuration %s",
                         s->src_dir);
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!str_ends_with(e->d_name, ".tf") && !str_ends_with(e->d_name, ".tf.json") &&
            strcmp(e->d_name, ".terraform.lock.hcl") != 0)
            continue;
        char *from = path_join(s->src_dir, e->d_name);
        char *to = path_join(s->work, e->d_name);
        rc = copy_file(from, to, 0644, err);
        free(from);
        free(to);
    }
    closedir(d);
    for (size_t i = 0; rc == 0 && i < s->nvar; i++) {
        const char *base = strrchr(s->var_files[i], '/');
        char *to = path_join(s->work, base ? base + 1 : s->var_files[i]);
        rc = copy_file(s->var_files[i], to, 0600, err);
        free(to);
    }
    return rc;
}

/* ---- running terraform ---- */

static void tf_run(struct tf_step *s, const char *const *args, bool json);

static const char *row_status(const struct tf_resource *r, char *buf, size_t n)
{
    static const struct {
        const char *action, *doing, *did;
    } words[] = {{"create", "creating", "created"},
                 {"update", "updating", "updated"},
                 {"delete", "destroying", "destroyed"},
                 {"replace", "replacing", "replaced"},
                 {"read", "reading", "read"}};
    const char *doing = "working", *did = "done";
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        if (str_eq(r->action, words[i].action))
            doing = words[i].doing, did = words[i].did;
    switch (r->state) {
    case TF_RES_PLANNED:
        snprintf(buf, n, "to %s", r->action ? r->action : "change");
        break;
    case TF_RES_WORKING:
        if (r->elapsed_s > 0)
            snprintf(buf, n, "%s (%lds)", doing, r->elapsed_s);
        else
            snprintf(buf, n, "%s", doing);
        break;
    case TF_RES_DONE:
        snprintf(buf, n, "%s after %lds%s%s%s", did, r->elapsed_s, r->id_value ? " [id=" : "",
                 r->id_value ? r->id_value : "", r->id_value ? "]" : "");
        break;
    case TF_RES_FAILED:
        snprintf(buf, n, "failed%s%s", r->last_output ? ": " : "",
                 r->last_output ? r->last_output : "");
        break;
    }
    return buf;
}

static void on_line(enum proc_stream st, const char *line, size_t len, void *arg)
{
    struct tf_step *s = arg;
    /* `terraform output -json` carries sensitive values: read, never shown */
    if (s->phase == TFP_OUTPUT && st == PROC_STDOUT)
        return;
    if (!s->json || st == PROC_STDERR) {
        step_run_line(s->sr, st == PROC_STDERR ? RUNNER_ERR : RUNNER_OUT, line, len);
        return;
    }
    struct tf_msg m;
    tfjson_parse(line, len, &m);
    long i = tf_track_feed(&s->tr, &m, now_ms());
    const char *text = m.message ? m.message : "";
    step_run_line(s->sr, RUNNER_OUT, text, strlen(text));
    if (i >= 0) {
        const struct tf_resource *r = &s->tr.res[i];
        static const enum runner_row_state map[] = {
            [TF_RES_PLANNED] = ROW_WAITING,
            [TF_RES_WORKING] = ROW_WORKING,
            [TF_RES_DONE] = ROW_DONE,
            [TF_RES_FAILED] = ROW_FAILED,
        };
        char buf[512];
        step_run_row(s->sr, r->addr, r->addr, map[r->state], row_status(r, buf, sizeof(buf)), 0, 0);
    }
    if (s->phase == TFP_APPLY &&
        (m.type == TF_APPLY_COMPLETE || m.type == TF_APPLY_ERRORED || m.type == TF_APPLY_START)) {
        size_t total = (size_t)(s->tr.plan_add + s->tr.plan_change + s->tr.plan_remove);
        if (total < s->tr.nres)
            total = s->tr.nres;
        step_run_status(s->sr, "applying: %zu of %zu resources done%s", s->tr.done, total,
                        s->tr.failed ? " (some failed)" : "");
    }
    tf_msg_done(&m);
}

static void on_answer(struct step_run *sr, bool yes, void *arg);

static void fail_with(struct tf_step *s, const struct proc_result *r, const struct error *perr,
                      const char *what)
{
    struct error e;
    char *diag = tf_track_error(&s->tr);
    if (diag)
        error_set(&e, ERR_PROCESS, r ? r->exit_code : 1, "terraform %s failed: %s", what, diag);
    else if (perr)
        error_set(&e, perr->code, perr->detail, "terraform %s failed: %s", what, perr->msg);
    else
        error_set(&e, ERR_PROCESS, 1, "terraform %s failed", what);
    free(diag);
    if (perr && perr->detail == 127) {
        step_run_hint(s->sr, "install Terraform 1.5 or later (or set TERRAFORM to its path)");
        step_run_permanent(s->sr);
    } else if (s->phase == TFP_APPLY) {
        step_run_hint(s->sr,
                      "fix the cause and retry: Terraform continues from its state in %s "
                      "(resources that were created are kept)",
                      s->work);
    } else if (s->phase == TFP_INIT) {
        step_run_hint(s->sr, "terraform init needs the providers: check the network, or a "
                             "provider mirror in the Terraform CLI configuration");
    }
    tf_end(s, &e);
}

static void run_output(struct tf_step *s)
{
    s->phase = TFP_OUTPUT;
    step_run_status(s->sr, "reading the outputs");
    char *chdir = xasprintf("-chdir=%s", s->work);
    const char *args[] = {tf_bin(), chdir, "output", "-no-color", "-json", NULL};
    tf_run(s, args, false);
    free(chdir);
}

static void run_apply(struct tf_step *s)
{
    s->phase = TFP_APPLY;
    step_run_status(s->sr, "applying");
    char *chdir = xasprintf("-chdir=%s", s->work);
    const char *args[] = {tf_bin(), chdir, "apply", "-json", "-input=false", "tfplan", NULL};
    tf_run(s, args, true);
    free(chdir);
}

static void on_answer(struct step_run *sr, bool yes, void *arg)
{
    (void)sr;
    struct tf_step *s = arg;
    if (!yes) {
        struct error e;
        error_set(&e, ERR_CANCELLED, 0, "the Terraform plan was not applied (answered no)");
        step_run_permanent(s->sr);
        tf_end(s, &e);
        return;
    }
    run_apply(s);
}

static void after_plan(struct tf_step *s)
{
    if (s->tr.ui_major_problem) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0, "%s", s->tr.ui_major_problem);
        step_run_permanent(s->sr);
        tf_end(s, &e);
        return;
    }
    int add = s->tr.plan_add, change = s->tr.plan_change, destroy = s->tr.plan_remove;
    step_run_say(s->sr, "Terraform plan: %d to add, %d to change, %d to destroy", add, change,
                 destroy);
    if (add + change + destroy == 0) {
        step_run_say(s->sr, "the infrastructure matches the configuration: nothing to apply");
        run_output(s);
        return;
    }
    s->phase = TFP_ASK;
    char *q = xasprintf("Terraform will add %d, change %d and destroy %d resources. Apply this "
                        "plan?",
                        add, change, destroy);
    step_run_status(s->sr, "waiting for a confirmation");
    step_run_ask(s->sr, q, destroy > 0, on_answer, s);
    free(q);
}

static void read_outputs(struct tf_step *s, const struct proc_result *r)
{
    struct render_fill f = {0};
    struct error e = {0};
    if (render_fill_parse(&f, "terraform output -json", r->out, r->out_len, &e) < 0) {
        tf_end(s, &e);
        return;
    }
    for (size_t i = 0; i < f.n; i++)
        step_run_output(s->sr, f.names[i], f.values[i]);
    if (s->tr.have_apply_summary)
        step_run_summary(s->sr, "applied: %d added, %d changed, %d destroyed; %zu outputs",
                         s->tr.apply_add, s->tr.apply_change, s->tr.apply_remove, f.n);
    else
        step_run_summary(s->sr, "up to date; %zu outputs", f.n);
    render_fill_done(&f);
    tf_end(s, NULL);
}

static void on_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct tf_step *s = arg;
    s->proc = NULL;
    static const char *const what[] = {[TFP_INIT] = "init",
                                       [TFP_PLAN] = "plan",
                                       [TFP_ASK] = "plan",
                                       [TFP_APPLY] = "apply",
                                       [TFP_OUTPUT] = "output"};
    if (err || (s->phase == TFP_APPLY && s->tr.failed)) {
        fail_with(s, r, err, what[s->phase]);
        return;
    }
    switch (s->phase) {
    case TFP_INIT: {
        s->phase = TFP_PLAN;
        step_run_status(s->sr, "planning");
        step_run_detail_title(s->sr, "Resources");
        char *chdir = xasprintf("-chdir=%s", s->work);
        const char **args = xcalloc(8 + s->nvar, sizeof(char *));
        char **vf = xcalloc(s->nvar + 1, sizeof(char *));
        size_t n = 0;
        args[n++] = tf_bin();
        args[n++] = chdir;
        args[n++] = "plan";
        args[n++] = "-json";
        args[n++] = "-input=false";
        args[n++] = "-out=tfplan";
        for (size_t i = 0; i < s->nvar; i++) {
            const char *base = strrchr(s->var_files[i], '/');
            vf[i] = xasprintf("-var-file=%s", base ? base + 1 : s->var_files[i]);
            args[n++] = vf[i];
        }
        args[n] = NULL;
        tf_run(s, args, true);
        for (size_t i = 0; i < s->nvar; i++)
            free(vf[i]);
        free(vf);
        free(args);
        free(chdir);
        return;
    }
    case TFP_PLAN:
        after_plan(s);
        return;
    case TFP_APPLY:
        run_output(s);
        return;
    case TFP_OUTPUT:
        read_outputs(s, r);
        return;
    default:
        return;
    }
}

static void tf_run(struct tf_step *s, const char *const *args, bool json)
{
    s->json = json;
    struct proc_opts o = {0};
    o.argv = args;
    o.env = tf_env;
    o.on_line = on_line;
    o.done = on_done;
    o.arg = s;
    s->proc = proc_start(step_run_loop(s->sr), &o);
}

static void tf_start(struct step_run *sr, void *data)
{
    struct tf_step *s = data;
    s->sr = sr;
    tf_track_init(&s->tr);
    struct error err = {0};
    if (prepare_work(s, step_run_ctx(sr), &err) < 0) {
        tf_end(s, &err);
        return;
    }
    s->phase = TFP_INIT;
    step_run_status(sr, "terraform init");
    char *chdir = xasprintf("-chdir=%s", s->work);
    const char *args[] = {tf_bin(), chdir, "init", "-input=false", "-no-color", NULL};
    tf_run(s, args, false);
    free(chdir);
}

static void tf_cancel(struct step_run *sr, void *data)
{
    (void)sr;
    tf_clear(data);
}

/* Terraform stops cleanly on SIGINT: it finishes the operations under
 * way, writes its state and exits. */
static void tf_interrupt(struct step_run *sr, void *data)
{
    struct tf_step *s = data;
    if (s->proc)
        proc_signal(s->proc, SIGINT);
    else if (s->phase == TFP_ASK) {
        struct error e;
        error_set(&e, ERR_CANCELLED, 0, "stopped before applying the plan");
        (void)sr;
        tf_end(s, &e);
    }
}

static void tf_free(void *data)
{
    struct tf_step *s = data;
    free(s->src_dir);
    for (size_t i = 0; i < s->nvar; i++)
        free(s->var_files[i]);
    free(s->var_files);
    free(s);
}

static const struct step_ops tf_ops = {"terraform", tf_start, tf_cancel, tf_interrupt, tf_free};

struct plan_step *steps_add_terraform(struct plan *p, const char *src_dir,
                                      const char *const *var_files, size_t nvar)
{
    struct tf_step *s = xcalloc(1, sizeof(*s));
    s->src_dir = xstrdup(src_dir);
    s->var_files = xcalloc(nvar + 1, sizeof(char *));
    for (size_t i = 0; i < nvar; i++)
        s->var_files[i] = xstrdup(var_files[i]);
    s->nvar = nvar;
    struct plan_step *st = plan_add(p, STAGE_INFRA, "terraform",
                                    "Create the AWS infrastructure (Terraform)", &tf_ops, s);
    const char *init[] = {tf_bin(), "-chdir=STATE/terraform", "init", "-input=false", NULL};
    plan_step_cmd(st, init);
    const char **plan = xcalloc(6 + nvar, sizeof(char *));
    char **vf = xcalloc(nvar + 1, sizeof(char *));
    size_t n = 0;
    plan[n++] = tf_bin();
    plan[n++] = "-chdir=STATE/terraform";
    plan[n++] = "plan";
    plan[n++] = "-json";
    plan[n++] = "-out=tfplan";
    for (size_t i = 0; i < nvar; i++) {
        const char *base = strrchr(var_files[i], '/');
        vf[i] = xasprintf("-var-file=%s", base ? base + 1 : var_files[i]);
        plan[n++] = vf[i];
    }
    plan[n] = NULL;
    plan_step_cmd(st, plan);
    for (size_t i = 0; i < nvar; i++)
        free(vf[i]);
    free(vf);
    free(plan);
    const char *apply[] = {tf_bin(), "-chdir=STATE/terraform", "apply", "-json", "tfplan", NULL};
    plan_step_cmd(st, apply);
    const char *out[] = {tf_bin(), "-chdir=STATE/terraform", "output", "-no-color", "-json", NULL};
    plan_step_cmd(st, out);
    plan_step_note(st, "the plan's summary (N to add, change, destroy) is shown and confirmed "
                       "before anything is applied; destroying anything needs an explicit yes");
    /* the inputs: the configuration and the variables (their content, never
     * printed: the secrets file is among them) */
    DIR *d = opendir(src_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!str_ends_with(e->d_name, ".tf"))
            continue;
        char *path = path_join(src_dir, e->d_name), *data = NULL;
        size_t len = 0;
        struct error err;
        if (file_read_all(path, 16 << 20, &data, &len, &err) == 0)
            plan_step_input(st, e->d_name, data);
        free(data);
        free(path);
    }
    if (d)
        closedir(d);
    for (size_t i = 0; i < nvar; i++) {
        char *data = NULL;
        size_t len = 0;
        struct error err;
        if (file_read_all(var_files[i], 16 << 20, &data, &len, &err) == 0)
            plan_step_input(st, var_files[i], data);
        str_free_secret(data);
    }
    return st;
}

/* ---- the kubeconfig ---- */

struct kc_step {
    int unused;
};

/* A value that may stand in the kubeconfig's YAML unquoted-safe inside
 * double quotes: the characters of URLs, ARNs, names and base64. */
static bool kc_value_ok(const char *v)
{
    if (str_empty(v))
        return false;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(":/._-+=@", *p)))
            return false;
    return true;
}

char *steps_eks_kubeconfig(const char *cluster, const char *endpoint, const char *ca_data,
                           const char *region, const char *account, const char *profile)
{
    char *arn = xasprintf("arn:aws:eks:%s:%s:cluster/%s", region, account, cluster);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "apiVersion: v1\n"
                     "kind: Config\n"
                     "clusters:\n"
                     "- cluster:\n");
    strbuf_addf(&sb, "    certificate-authority-data: \"%s\"\n", ca_data);
    strbuf_addf(&sb, "    server: \"%s\"\n", endpoint);
    strbuf_addf(&sb, "  name: \"%s\"\n", arn);
    strbuf_adds(&sb, "contexts:\n- context:\n");
    strbuf_addf(&sb, "    cluster: \"%s\"\n    user: \"%s\"\n  name: \"%s\"\n", arn, arn, arn);
    strbuf_addf(&sb, "current-context: \"%s\"\n", arn);
    strbuf_adds(&sb, "preferences: {}\nusers:\n");
    strbuf_addf(&sb, "- name: \"%s\"\n", arn);
    strbuf_adds(&sb, "  user:\n"
                     "    exec:\n"
                     "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                     "      args:\n"
                     "      - --region\n");
    strbuf_addf(&sb, "      - \"%s\"\n", region);
    strbuf_adds(&sb, "      - eks\n"
                     "      - get-token\n"
                     "      - --cluster-name\n");
    strbuf_addf(&sb, "      - \"%s\"\n", cluster);
    strbuf_adds(&sb, "      - --output\n"
                     "      - json\n"
                     "      command: aws\n");
    if (!str_empty(profile) && kc_value_ok(profile))
        strbuf_addf(&sb, "      env:\n      - name: AWS_PROFILE\n        value: \"%s\"\n", profile);
    free(arn);
    return strbuf_detach(&sb, NULL);
}

static void kc_start(struct step_run *sr, void *data)
{
    (void)data;
    static const char *const need[] = {"cluster_name", "cluster_endpoint",
                                       "cluster_certificate_authority_data", "region",
                                       "aws_account_id"};
    const char *v[ARRAY_LEN(need)];
    struct error e = {0};
    for (size_t i = 0; i < ARRAY_LEN(need); i++) {
        v[i] = step_run_input(sr, "terraform", need[i]);
        if (!kc_value_ok(v[i])) {
            error_set(&e, ERR_INVALID, 0,
                      "Terraform's output %s is %s: the kubeconfig cannot be written", need[i],
                      v[i] ? "not a plain name, URL or base64 text" : "missing");
            step_run_hint(sr, "run the \"terraform\" step again (its outputs are read when it "
                              "finishes)");
            step_run_done(sr, &e);
            return;
        }
    }
    char *text = steps_eks_kubeconfig(v[0], v[1], v[2], v[3], v[4], getenv("AWS_PROFILE"));
    char *path = path_join(step_run_ctx(sr)->state_dir, "kubeconfig");
    if (file_write_atomic(path, text, strlen(text), 0600, &e) < 0) {
        free(text);
        free(path);
        step_run_done(sr, &e);
        return;
    }
    step_run_say(sr, "wrote %s: context %s, authentication by `aws eks get-token`", path, v[0]);
    step_run_output(sr, "path", path);
    step_run_summary(sr, "%s (exec: aws eks get-token --cluster-name %s)", path, v[0]);
    free(text);
    free(path);
    step_run_done(sr, NULL);
}

static void kc_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static const struct step_ops kc_ops = {"kubeconfig", kc_start, kc_cancel, NULL, free};

struct plan_step *steps_add_kubeconfig(struct plan *p)
{
    struct plan_step *kc =
        plan_add(p, STAGE_INFRA, "kubeconfig", "Write a kubeconfig for the new cluster", &kc_ops,
                 xcalloc(1, sizeof(struct kc_step)));
    plan_step_after(kc, "terraform");
    return kc;
}

int steps_tf_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    const struct profile *prof = ctx->profile;
    if (prof->target != TARGET_EKS && !ctx->demo)
        return 0;
    char *src = paths_asset("terraform");
    char *vars[2];
    vars[0] = path_join(ctx->rendered_dir ? ctx->rendered_dir : ".", "terraform.tfvars.json");
    vars[1] = path_join(ctx->rendered_dir ? ctx->rendered_dir : ".", "secrets.tfvars.json");
    struct plan_step *tf = steps_add_terraform(p, src, (const char *const *)vars, 2);
    free(src);
    free(vars[0]);
    free(vars[1]);
    struct plan_step *kc = steps_add_kubeconfig(p);
    plan_step_note(kc,
                   "STATE/kubeconfig: the entries `aws eks update-kubeconfig --name %s "
                   "--region %s` writes, authentication by `aws eks get-token`",
                   prof->aws.cluster_name, prof->aws.region);
    if (ctx->demo) {
        plan_step_skip(tf, "the demo has no AWS account: no Terraform");
        plan_step_skip(kc, "the demo's cluster is the simulator: its kubeconfig is given");
    }
    (void)err;
    return 0;
}
