/* tests/unit/test_steps_helm.c: the Helm steps. With a stand-in `helm` on
 * PATH that records its argv and answers as told: the repository added and
 * updated, `helm upgrade --install` with the pinned version and the values
 * files (placeholders filled, the secret one 0600), a release stuck in
 * pending-upgrade recognised and explained with the rollback that clears
 * it (and no upgrade tried), Helm's "another operation is in progress"
 * explained, the AWS Load Balancer Controller installed with its IRSA role
 * from Terraform's outputs. With the real helm (scripts/dev.sh installs
 * it) against dify-sim: a chart installed, its Deployment watched while
 * Helm waits. */
#include "config.h"

#include "core/journal.h"
#include "core/profile.h"
#include "core/steps_native.h"
#include "tests/unit/stephar.h"
#include "tests/unit/tap.h"

static char *tmp; /* our directory: the stand-in, its log, values */
static char *log_path;
static char *real_helm; /* a real helm 3, or NULL */

static const char *fake_helm_script =
    "#!/bin/sh\n"
    "printf '%s\\n' \"$*\" >>\"$FAKE_HELM_LOG\"\n"
    "case \"$1\" in\n"
    "version) echo v3.14.0+gabcdef; exit 0 ;;\n"
    "show) printf 'apiVersion: v2\\nname: dify\\nversion: \"%s\"\\n' "
    "\"${FAKE_HELM_CHART_VERSION:-0.37.0}\"; "
    /* the rest of a real Chart.yaml, none of which is the step's to print */
    "printf 'appVersion: 1.9.1\\ndescription: A Helm chart for Dify\\nkeywords:\\n- dify\\n"
    "maintainers:\\n- name: someone\\n  email: someone@example.org\\n'; "
    "echo 'walk.go:75: found symbolic link in path' >&2; "
    "exit 0 ;;\n"
    "repo) echo \"\\\"$3\\\" has been added to your repositories\"; exit 0 ;;\n"
    "status)\n"
    "  if [ -n \"$FAKE_HELM_STATUS\" ]; then cat \"$FAKE_HELM_STATUS\"; exit 0; fi\n"
    "  echo 'Error: release: not found' >&2; exit 1 ;;\n"
    "upgrade)\n"
    "  if [ \"$FAKE_HELM_UPGRADE\" = busy ]; then\n"
    "    echo 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in "
    "progress' >&2; exit 1; fi\n"
    "  echo \"Release \\\"$3\\\" has been upgraded. Happy Helming!\"; exit 0 ;;\n"
    "esac\n"
    "exit 0\n";

static char *read_log(void)
{
    char *t = NULL;
    size_t n = 0;
    struct error e;
    if (file_read_all(log_path, 1 << 20, &t, &n, &e) < 0)
        return xstrdup("");
    return t;
}

static void reset_fake(void)
{
    unlink(log_path);
    unsetenv("FAKE_HELM_STATUS");
    unsetenv("FAKE_HELM_UPGRADE");
    unsetenv("FAKE_HELM_CHART_VERSION");
    char *h = path_join(tmp, "helm");
    setenv("HELM", h, 1);
    free(h);
}

/* values files with nothing to fill, as render writes them */
static void plain_values(void)
{
    sh_write(tmp, "values.yaml", "a: 1\n", 0644);
    sh_write(tmp, "values-secrets.yaml", "b: 2\n", 0600);
}

/* ---- a stand-in "terraform" step with outputs ---- */

static void tfo_start(struct step_run *sr, void *data)
{
    (void)data;
    step_run_output(sr, "cluster_name", "dify-test");
    step_run_output(sr, "region", "us-east-1");
    step_run_output(sr, "vpc_id", "vpc-0abc1234");
    step_run_output(sr, "lb_controller_role_arn", "arn:aws:iam::123456789012:role/dify-lbc");
    step_run_output(sr, "db_endpoint", "db.example.internal");
    step_run_done(sr, NULL);
}

static void tfo_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static const struct step_ops tfo_ops = {"fake-terraform", tfo_start, tfo_cancel, NULL, NULL};

static struct profile prof;

static void h_init(struct sh *h, enum target t)
{
    sh_init(h);
    profile_init(&prof, EDITION_COMMUNITY, t, SIZE_TEST);
    prof.method = METHOD_HELM;
    str_replace(&prof.release, "dify");
    str_replace(&prof.namespace, "dify");
    str_replace(&prof.helm.repo_url, "https://charts.example.org/dify");
    str_replace(&prof.helm.chart, "dify/dify");
    str_replace(&prof.helm.version, "0.37.0");
    h->ctx.profile = &prof;
    h->ctx.rendered_dir = tmp;
    h->ctx.kubeconfig = "/tmp/kc-for-helm";
}

static void h_done(struct sh *h)
{
    sh_done(h);
    profile_done(&prof);
}

/* The Helm steps of an install, planned for h's profile, run to their end. */
static enum runner_state run_helm_steps(struct sh *h)
{
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK_MSG(steps_helm_add(p, &h->ctx, &err) == 0, "%s", err.msg);
    return sh_run(h, p, true);
}

static void test_install_with_values(void)
{
    reset_fake();
    sh_write(tmp, "values.yaml", "api:\n  url: https://@@db_endpoint@@\n", 0644);
    sh_write(tmp, "values-secrets.yaml", "secretKey: s3cret-value-77\n", 0600);
    struct sh h;
    h_init(&h, TARGET_EKS);
    struct plan *p = plan_new("install");
    plan_add(p, STAGE_INFRA, "terraform", "fake terraform", &tfo_ops, NULL);
    struct error err = {0};
    CHECK(steps_helm_add(p, &h.ctx, &err) == 0);
    enum runner_state st = sh_run(&h, p, true);
    const struct runner_step_info *si = sh_step(&h, "helm-release");
    CHECK_MSG(st == RUNNER_DONE, "%s\n%s", si->message ? si->message : "", h.lines.buf);
    char *log = read_log();
    CHECK_CONTAINS(log, "repo add --force-update dify https://charts.example.org/dify\n");
    CHECK_CONTAINS(log, "repo update dify\n");
    CHECK_CONTAINS(log, "status dify --namespace dify -o json --kubeconfig /tmp/kc-for-helm\n");
    char *helmdir = path_join(h.dir, "helm");
    char *want = xasprintf("upgrade --install dify dify/dify --version 0.37.0 --namespace dify -f "
                           "%s/values.yaml -f %s/values-secrets.yaml --wait --timeout 900s "
                           "--kubeconfig /tmp/kc-for-helm\n",
                           helmdir, helmdir);
    CHECK_CONTAINS(log, want);
    free(want);
    /* the AWS Load Balancer Controller with its IRSA role, before the app */
    CHECK_CONTAINS(log, "repo add --force-update eks https://aws.github.io/eks-charts\n");
    CHECK_CONTAINS(log, "upgrade --install aws-load-balancer-controller "
                        "eks/aws-load-balancer-controller --version 1.14.1 --namespace "
                        "kube-system --set clusterName=dify-test --set serviceAccount.create=true "
                        "--set serviceAccount.name=aws-load-balancer-controller --set-string "
                        "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::"
                        "123456789012:role/dify-lbc --set region=us-east-1 --set "
                        "vpcId=vpc-0abc1234 --wait");
    CHECK(strstr(log, "aws-load-balancer-controller eks/") < strstr(log, "--install dify dify/"));
    free(log);
    /* the values: placeholders filled, the secret file 0600 */
    char *vpath = path_join(helmdir, "values.yaml");
    char *spath = path_join(helmdir, "values-secrets.yaml");
    char *v = NULL;
    size_t n = 0;
    CHECK(file_read_all(vpath, 1 << 20, &v, &n, &err) == 0);
    CHECK_STR(v, "api:\n  url: https://db.example.internal\n");
    free(v);
    struct stat sb;
    CHECK(stat(spath, &sb) == 0);
    CHECK_INT(sb.st_mode & 0777, 0600);
    free(vpath);
    free(spath);
    free(helmdir);
    CHECK_CONTAINS(si->message, "chart dify/dify 0.37.0 deployed in dify");
    h_done(&h);
}

static void test_pending_release(void)
{
    reset_fake();
    plain_values();
    sh_write(tmp, "status.json",
             "{\"name\":\"dify\",\"info\":{\"status\":\"pending-upgrade\"},\"version\":4}\n", 0644);
    char *sp = path_join(tmp, "status.json");
    setenv("FAKE_HELM_STATUS", sp, 1);
    free(sp);
    struct sh h;
    h_init(&h, TARGET_EXISTING);
    CHECK_INT(run_helm_steps(&h), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&h, "helm-release");
    CHECK_CONTAINS(si->message, "stuck in pending-upgrade (revision 4)");
    CHECK_CONTAINS(si->message, "another operation (install/upgrade/rollback) is in progress");
    CHECK_CONTAINS(si->hint, "helm rollback dify 3 -n dify");
    char *log = read_log();
    CHECK_LACKS(log, "upgrade --install dify");
    CHECK_LACKS(log, "aws-load-balancer-controller"); /* not on an existing cluster */
    free(log);
    h_done(&h);
}

static void test_busy_release(void)
{
    reset_fake();
    plain_values();
    setenv("FAKE_HELM_UPGRADE", "busy", 1);
    struct sh h;
    h_init(&h, TARGET_EXISTING);
    CHECK_INT(run_helm_steps(&h), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&h, "helm-release");
    CHECK_CONTAINS(si->message, "another operation");
    CHECK_CONTAINS(si->hint, "helm history dify -n dify");
    h_done(&h);
}

/* helm.chart on disk: no repository; the chart's version checked; the
 * path relative to the answers file's directory. */
static void test_local_chart(void)
{
    reset_fake();
    plain_values();
    struct sh h;
    h_init(&h, TARGET_EXISTING);
    str_replace(&prof.helm.chart, "./charts/dify-0.37.0.tgz");
    char *answers = path_join(tmp, "answers.yaml");
    h.ctx.answers_path = answers;
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK(steps_helm_add(p, &h.ctx, &err) == 0);
    CHECK(plan_find(p, "helm-repo") == NULL);
    CHECK_INT(sh_run(&h, p, true), RUNNER_DONE);
    const struct runner_step_info *si;
    char *log = read_log();
    char *want = xasprintf("show chart %s/charts/dify-0.37.0.tgz\n", tmp);
    CHECK_CONTAINS(log, want);
    free(want);
    want = xasprintf("upgrade --install dify %s/charts/dify-0.37.0.tgz --version 0.37.0 ", tmp);
    CHECK_CONTAINS(log, want);
    free(want);
    CHECK_LACKS(log, "repo add");
    free(log);
    /* what a person needs of Chart.yaml, not the file; helm's warning stays */
    si = sh_step(&h, "helm-chart");
    want =
        xasprintf("local chart %s/charts/dify-0.37.0.tgz: version 0.37.0 (chart dify, appVersion "
                  "1.9.1, a packaged chart)",
                  tmp);
    CHECK_STR(si->message, want);
    free(want);
    CHECK_LACKS(h.lines.buf, "maintainers");
    CHECK_LACKS(h.lines.buf, "description");
    CHECK_LACKS(h.lines.buf, "apiVersion: v2");
    CHECK_CONTAINS(h.lines.buf, "helm-chart: walk.go:75: found symbolic link in path");
    h_done(&h);

    /* a chart of another version: stopped before any install */
    reset_fake();
    setenv("FAKE_HELM_CHART_VERSION", "0.36.0", 1);
    h_init(&h, TARGET_EXISTING);
    str_replace(&prof.helm.chart, "/srv/charts/dify");
    CHECK_INT(run_helm_steps(&h), RUNNER_FAILED);
    si = sh_step(&h, "helm-chart");
    CHECK_CONTAINS(si->message,
                   "helm.chart /srv/charts/dify is chart dify version 0.36.0, but helm.version "
                   "pins 0.37.0");
    CHECK_CONTAINS(si->hint, "helm pull dify/dify --version 0.37.0");
    log = read_log();
    CHECK_LACKS(log, "upgrade --install");
    free(log);
    free(answers);
    h_done(&h);
}

/* ---- the real helm against dify-sim ---- */

static const char *need_real_helm(void)
{
    return real_helm ? NULL
                     : "no helm 3 binary (scripts/dev.sh installs it; HELM or PATH names it)";
}

static void test_real_helm_against_sim(void)
{
    char *kc = path_join(tmp, "sim-kubeconfig");
    char *scen = path_join(DIFY_SRCDIR, "tests/data/minichart-scenario.yaml");
    pid_t sim;
    CHECK_MSG(sh_sim_start(&sim, kc, scen), "dify-sim did not start");
    free(scen);
    setenv("HELM", real_helm, 1);
    char *chart = path_join(DIFY_SRCDIR, "tests/data/minichart");
    sh_write(tmp, "values.yaml", "replicas: 2\n", 0644);
    sh_write(tmp, "values-secrets.yaml", "image: langgenius/dify-api:1.9.1\n", 0600);
    struct sh h;
    h_init(&h, TARGET_EXISTING);
    h.ctx.kubeconfig = kc;
    char *values[2] = {path_join(tmp, "values.yaml"), path_join(tmp, "values-secrets.yaml")};
    struct plan *p = plan_new("install");
    steps_add_helm_release(p, "mini", "default", chart, "0.1.0", (const char *const *)values,
                           120000);
    enum runner_state st = sh_run(&h, p, true);
    const struct runner_step_info *si = sh_step(&h, "helm-release");
    bool ok = st == RUNNER_DONE;
    const struct runner_row *row = sh_row(&h, "helm-release", "deployment/mini-api");
    bool watched = row && row->total == 2;
    CHECK_MSG(ok, "%s / %s\n%s", si->message ? si->message : "", si->hint ? si->hint : "",
              h.lines.buf);
    CHECK_MSG(watched, "the Deployment was not watched while Helm waited\n%s", h.lines.buf);
    CHECK_CONTAINS(h.lines.buf, "STATUS: deployed");
    CHECK_STR(journal_field(journal_last(h.j, "helm-release"), "out.helm_revision"), "1");
    sh_end(&h, false);

    /* an upgrade whose pods cannot pull their image fails at Helm's
     * deadline; the rollback to revision 1 brings the release back */
    sh_write(tmp, "values.yaml", "replicas: 2\nbroken: true\n", 0644);
    p = plan_new("upgrade");
    steps_add_helm_release(p, "mini", "default", chart, "0.1.0", (const char *const *)values,
                           15000);
    st = sh_run(&h, p, true);
    si = sh_step(&h, "helm-release");
    CHECK_MSG(st == RUNNER_FAILED, "the broken upgrade did not fail\n%s", h.lines.buf);
    CHECK_CONTAINS(si->message, "helm");
    row = sh_row(&h, "helm-release", "deployment/mini-api");
    CHECK(row && row->state != ROW_DONE);
    sh_end(&h, false);
    p = plan_new("rollback");
    steps_add_helm_rollback(p, "rollback", "mini", "default", "1", 60000);
    st = sh_run(&h, p, true);
    si = sh_step(&h, "rollback");
    sh_sim_stop(sim);
    CHECK_MSG(st == RUNNER_DONE, "rollback: %s\n%s", si->message ? si->message : "", h.lines.buf);
    CHECK_CONTAINS(si->message, "rolled back to revision 1");
    CHECK_CONTAINS(h.lines.buf, "Rollback was a success");
    free(values[0]);
    free(values[1]);
    free(chart);
    free(kc);
    h_done(&h);
}

static char *find_real_helm(void)
{
    const char *cands[] = {getenv("DIFY_TEST_HELM"), "helm", "/usr/local/bin/helm", NULL};
    for (size_t i = 0; i < ARRAY_LEN(cands) - 1; i++) {
        if (!cands[i] || !*cands[i])
            continue;
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "'%s' version --short 2>/dev/null | grep -q '^v3\\.'", cands[i]);
        if (system(cmd) == 0)
            return xstrdup(cands[i]);
    }
    return NULL;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    tmp = sh_tmpdir("dify-helm");
    log_path = path_join(tmp, "helm.log");
    real_helm = find_real_helm();
    sh_write(tmp, "helm", fake_helm_script, 0755);
    setenv("FAKE_HELM_LOG", log_path, 1);
    static const struct tap_case cases[] = {
        {"helm: repo, upgrade --install with the pinned version and filled values, the load "
         "balancer controller first",
         test_install_with_values, NULL},
        {"helm: a release stuck in pending-upgrade is explained, nothing tried",
         test_pending_release, NULL},
        {"helm: \"another operation is in progress\" is explained", test_busy_release, NULL},
        {"helm: a local chart (air-gapped): no repository, its version checked, relative to the "
         "answers file",
         test_local_chart, NULL},
        {"helm: the real helm against dify-sim: installed and watched; an upgrade that fails, "
         "then rolled back",
         test_real_helm_against_sim, need_real_helm},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    if (!sh_rmdir(tmp))
        rc = 1;
    free(log_path);
    free(real_helm);
    return rc;
}
