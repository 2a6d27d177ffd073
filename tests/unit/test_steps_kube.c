/* tests/unit/test_steps_kube.c: the apply step's "one owner per object"
 * rule with the real runner against dify-sim: ServiceAccounts that a Helm
 * release or eksctl made before are left to their owner and explained (a
 * role that differs from the profile's named on both sides), one nobody
 * made is applied, and the step goes on to the end; a second run keeps
 * them as they are (nothing fought over, no generation moved). */
#include "config.h"

#include "core/manifests.h"
#include "core/profile.h"
#include "core/steps_kube.h"
#include "tests/unit/stephar.h"
#include "tests/unit/tap.h"

static char *tmp;

static const char scenario[] =
    "objects:\n"
    "  - {apiVersion: v1, kind: Namespace, metadata: {name: dify}}\n"
    "  - apiVersion: v1\n"
    "    kind: ServiceAccount\n"
    "    metadata:\n"
    "      name: dify-api\n"
    "      namespace: dify\n"
    "      labels: {app.kubernetes.io/managed-by: Helm}\n"
    "      annotations:\n"
    "        meta.helm.sh/release-name: dify\n"
    "        eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/dify-api\n"
    "  - apiVersion: v1\n"
    "    kind: ServiceAccount\n"
    "    metadata:\n"
    "      name: dify-worker\n"
    "      namespace: dify\n"
    "      labels: {app.kubernetes.io/managed-by: eksctl}\n"
    "      annotations:\n"
    "        eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/eksctl-made\n";

static const char manifests[] =
    "apiVersion: v1\n"
    "kind: ServiceAccount\n"
    "metadata:\n"
    "  name: dify-api\n"
    "  namespace: dify\n"
    "  annotations:\n"
    "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/dify-api\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: ServiceAccount\n"
    "metadata:\n"
    "  name: dify-worker\n"
    "  namespace: dify\n"
    "  annotations:\n"
    "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/dify-worker\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: ServiceAccount\n"
    "metadata:\n"
    "  name: dify-plugin-daemon\n"
    "  namespace: dify\n"
    "  annotations:\n"
    "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/dify-plugin-daemon\n";

static struct plan *sa_plan(void)
{
    struct manifests m = {0};
    struct error err = {0};
    CHECK_MSG(manifests_parse("10-serviceaccounts.yaml", manifests, &m, &err) == 0, "%s", err.msg);
    struct plan *p = plan_new("install");
    steps_add_apply(p, STAGE_BASE, "serviceaccounts", "Apply the ServiceAccounts", &m, true);
    manifests_done(&m);
    return p;
}

static void test_one_owner_per_object(void)
{
    char *kc = path_join(tmp, "kubeconfig");
    char *scen = path_join(tmp, "scenario.yaml");
    sh_write(tmp, "scenario.yaml", scenario, 0644);
    pid_t sim;
    CHECK_MSG(sh_sim_start(&sim, kc, scen), "dify-sim did not start");
    struct sh h;
    sh_init(&h);
    struct profile prof;
    profile_init(&prof, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    h.ctx.profile = &prof;
    h.ctx.kubeconfig = kc;

    enum runner_state st = sh_run(&h, sa_plan(), true);
    const struct runner_step_info *si = sh_step(&h, "serviceaccounts");
    CHECK_MSG(st == RUNNER_DONE, "%s\n%s", si->message ? si->message : "", h.lines.buf);
    CHECK_CONTAINS(h.lines.buf, "ServiceAccount dify/dify-api already exists, made by the Helm "
                                "release \"dify\": dify-tui leaves it to its owner");
    CHECK_CONTAINS(h.lines.buf, "(it is what the profile needs)");
    CHECK_CONTAINS(h.lines.buf, "ServiceAccount dify/dify-worker already exists, made by eksctl");
    CHECK_CONTAINS(h.lines.buf, "Its IAM role is arn:aws:iam::111122223333:role/eksctl-made, the "
                                "profile expects arn:aws:iam::111122223333:role/dify-worker");
    const struct runner_row *row = sh_row(&h, "serviceaccounts", "ServiceAccount dify/dify-api");
    CHECK(row && strstr(row->status, "managed elsewhere: left as it is"));
    row = sh_row(&h, "serviceaccounts", "ServiceAccount dify/dify-worker");
    CHECK(row && strstr(row->status, "managed elsewhere: role differs"));
    row = sh_row(&h, "serviceaccounts", "ServiceAccount dify/dify-plugin-daemon");
    CHECK(row && strstr(row->status, "applied"));
    sh_end(&h, false);

    /* again (--redo): the one dify-tui made is applied again, the others
     * are still left alone */
    strbuf_reset(&h.lines);
    st = sh_run(&h, sa_plan(), true);
    CHECK_INT(st, RUNNER_DONE);
    row = sh_row(&h, "serviceaccounts", "ServiceAccount dify/dify-plugin-daemon");
    CHECK(row && strstr(row->status, "applied"));
    CHECK_CONTAINS(h.lines.buf, "dify/dify-api already exists, made by the Helm release");
    sh_end(&h, false);

    sh_sim_stop(sim);
    profile_done(&prof);
    sh_done(&h);
    free(kc);
    free(scen);
}

/* The line a failure quotes is the error, not what trails it. */
static void test_last_error_line(void)
{
    static const char log[] =
        "INFO Running upgrade\n"
        "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "
        "\"db\" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "
        "\"postgres\"\n"
        "\n"
        "(Background on this error at: https://sqlalche.me/e/20/e3q8)\n";
    char **lines = NULL;
    size_t n = steps_last_lines(log, sizeof(log) - 1, 20, &lines);
    const char *last = steps_last_error(lines, n);
    CHECK(last && str_starts_with(last, "sqlalchemy.exc.OperationalError:"));
    steps_free_lines(lines, n);
    /* nothing like an error: the last non-empty line */
    static const char plain[] = "starting\nlistening on :5001\n\n";
    n = steps_last_lines(plain, sizeof(plain) - 1, 20, &lines);
    last = steps_last_error(lines, n);
    CHECK(last && strcmp(last, "listening on :5001") == 0);
    steps_free_lines(lines, n);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    tmp = sh_tmpdir("dify-steps-kube");
    static const struct tap_case cases[] = {
        {"a failure quotes the error line, not SQLAlchemy's trailer", test_last_error_line, NULL},
        {"apply: ServiceAccounts made by a Helm release or eksctl are left to them and explained; "
         "the others applied",
         test_one_owner_per_object, sh_need_sim},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    if (!sh_rmdir(tmp))
        rc = 1;
    return rc;
}
