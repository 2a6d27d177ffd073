/* tests/unit/test_steps_tf.c: the Terraform steps with the real terraform,
 * offline, on fixture configurations of built-in terraform_data resources
 * (tests/data/tfsteps): every resource seen starting and finishing in its
 * detail row; the plan's summary asked about, and "no" applying nothing;
 * a second run with nothing to change asking nothing; a failing
 * provisioner failing the step with its message; the outputs journaled
 * (sensitive ones never) and filling @@name@@ placeholders in a later
 * step; the kubeconfig written from them with aws exec authentication;
 * and tfjson's reading of Terraform's -json messages. */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/journal.h"
#include "core/kubeconfig.h"
#include "core/profile.h"
#include "core/steps_native.h"
#include "core/tfjson.h"
#include "tests/unit/stephar.h"
#include "tests/unit/tap.h"

static char *fixtures;
static const char *no_tf;

static const char *need_tf(void)
{
    return no_tf;
}

/* ---- a step that fills a template from Terraform's outputs ---- */

static const char *fill_template =
    "db: @@db_endpoint@@\nrole: \"@@lb_controller_role_arn@@\"\nplain: value\n";
static char *filled;

static void fill_start(struct step_run *sr, void *data)
{
    (void)data;
    struct error e = {0};
    free(filled);
    filled = NULL;
    if (steps_fill_outputs(sr, fill_template, &filled, &e) < 0) {
        step_run_done(sr, &e);
        return;
    }
    step_run_done(sr, NULL);
}

static void fill_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static const struct step_ops fill_ops = {"fill", fill_start, fill_cancel, NULL, NULL};

static struct profile prof;

static void tf_init(struct sh *h)
{
    sh_init(h);
    profile_init(&prof, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    h->ctx.profile = &prof;
}

static void tf_done(struct sh *h)
{
    sh_done(h);
    profile_done(&prof);
}

static struct plan *plan_for(const char *fixture, bool with_vars)
{
    struct plan *p = plan_new("install");
    char *dir = path_join(fixtures, fixture);
    char *vars[2] = {path_join(fixtures, "vars.json"), path_join(fixtures, "secrets.json")};
    steps_add_terraform(p, dir, (const char *const *)vars, with_vars ? 2 : 0);
    free(dir);
    free(vars[0]);
    free(vars[1]);
    return p;
}

static void test_apply_rows_outputs_kubeconfig(void)
{
    struct sh h;
    tf_init(&h);
    struct plan *p = plan_for("ok", true);
    steps_add_kubeconfig(p);
    struct plan_step *f = plan_add(p, STAGE_INFRA, "fill", "fill", &fill_ops, NULL);
    plan_step_after(f, "terraform");
    enum runner_state st = sh_run(&h, p, true);
    const struct runner_step_info *si = sh_step(&h, "terraform");
    CHECK_MSG(st == RUNNER_DONE, "state %d: %s / %s\n%s", st, si->message, si->hint, h.lines.buf);
    CHECK_CONTAINS(si->message, "applied: 3 added, 0 changed, 0 destroyed");
    /* the plan's summary was asked about (and --yes answered) */
    CHECK_CONTAINS(h.lines.buf, "Terraform plan: 3 to add, 0 to change, 0 to destroy");
    /* every resource seen starting and finishing */
    const char *addrs[] = {"terraform_data.vpc", "terraform_data.cluster",
                           "terraform_data.database"};
    for (size_t i = 0; i < 3; i++) {
        const struct runner_row *r = sh_row(&h, "terraform", addrs[i]);
        CHECK_MSG(r != NULL, "no row for %s", addrs[i]);
        CHECK_INT(r->state, ROW_DONE);
        CHECK_CONTAINS(r->status, "created after");
        char start[128];
        snprintf(start, sizeof(start), "terraform: %s: Creating...", addrs[i]);
        CHECK_CONTAINS(h.lines.buf, start);
        snprintf(start, sizeof(start), "terraform: %s: Creation complete", addrs[i]);
        CHECK_CONTAINS(h.lines.buf, start);
    }
    CHECK_CONTAINS(h.lines.buf, "creating the cluster"); /* the provisioner's line */
    /* outputs: journaled, the sensitive one never */
    const struct journal_record *rec = journal_last(h.j, "terraform");
    CHECK(rec != NULL);
    CHECK_STR(journal_field(rec, "out.db_endpoint"),
              "dify-db.cluster-abc.us-east-1.rds.amazonaws.com");
    CHECK(journal_field(rec, "out.db_password_echo") == NULL);
    char *jtext = NULL;
    size_t jlen = 0;
    struct error e = {0};
    CHECK(file_read_all(journal_path(h.j), 1 << 20, &jtext, &jlen, &e) == 0);
    CHECK_LACKS(jtext, "tf-secret-pw-0042");
    free(jtext);
    CHECK_LACKS(h.lines.buf, "tf-secret-pw-0042");
    /* placeholders filled in a later step */
    CHECK(filled != NULL);
    CHECK_STR(filled, "db: dify-db.cluster-abc.us-east-1.rds.amazonaws.com\nrole: "
                      "\"arn:aws:iam::123456789012:role/dify-lbc\"\nplain: value\n");
    /* the kubeconfig, as aws eks update-kubeconfig writes it */
    const char *kpath = journal_field(journal_last(h.j, "kubeconfig"), "out.path");
    CHECK(kpath != NULL);
    struct stat sb;
    CHECK(stat(kpath, &sb) == 0);
    CHECK_INT(sb.st_mode & 0777, 0600);
    char *kc = NULL;
    size_t klen = 0;
    CHECK(file_read_all(kpath, 1 << 20, &kc, &klen, &e) == 0);
    CHECK_CONTAINS(kc, "arn:aws:eks:us-east-1:123456789012:cluster/dify-test");
    CHECK_CONTAINS(kc, "server: \"https://ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com\"");
    CHECK_CONTAINS(kc, "apiVersion: client.authentication.k8s.io/v1beta1");
    CHECK_CONTAINS(kc, "command: aws");
    CHECK_CONTAINS(kc, "- get-token\n      - --cluster-name\n      - \"dify-test\"");
    free(kc);
    /* and the product's own kubeconfig reader takes it */
    struct kube_config *cfg = NULL;
    CHECK_MSG(kubeconfig_load_env(kpath, NULL, NULL, &cfg, &e) == 0, "%s", e.msg);
    kube_config_free(cfg);
    sh_end(&h, false);

    /* a second run: the state says everything exists, nothing is asked */
    p = plan_for("ok", true);
    h.questions = 0;
    CHECK_INT(sh_run(&h, p, false), RUNNER_DONE);
    CHECK_INT(h.questions, 0);
    CHECK_CONTAINS(h.lines.buf, "nothing to apply");
    CHECK_CONTAINS(sh_step(&h, "terraform")->message, "up to date");
    tf_done(&h);
}

static void test_no_applies_nothing(void)
{
    struct sh h;
    tf_init(&h);
    struct plan *p = plan_for("ok", true);
    h.questions = 0;
    /* a "no" to a question that cannot be skipped stops the run */
    CHECK_INT(sh_run(&h, p, false), RUNNER_ABORTED);
    CHECK_INT(h.questions, 1);
    const struct runner_step_info *si = sh_step(&h, "terraform");
    CHECK_CONTAINS(si->message, "not applied");
    CHECK_LACKS(h.lines.buf, "Creating...");
    tf_done(&h);
}

static void test_failing_provisioner(void)
{
    struct sh h;
    tf_init(&h);
    struct plan *p = plan_for("fail", false);
    CHECK_INT(sh_run(&h, p, true), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&h, "terraform");
    CHECK_INT(si->state, STEP_FAILED);
    CHECK_CONTAINS(si->message, "terraform apply failed: Error: local-exec provisioner error");
    CHECK_CONTAINS(si->message, "exit status 3");
    CHECK_CONTAINS(si->message, "the node group cannot start");
    CHECK_CONTAINS(si->hint, "continues from its state");
    /* (a row is valid until the next runner_step_detail call) */
    const struct runner_row *r = sh_row(&h, "terraform", "terraform_data.network");
    CHECK(r && r->state == ROW_DONE);
    r = sh_row(&h, "terraform", "terraform_data.nodes");
    CHECK(r && r->state == ROW_FAILED);
    tf_done(&h);
}

static void test_missing_terraform(void)
{
    struct sh h;
    tf_init(&h);
    setenv("TERRAFORM", "/nonexistent/terraform", 1);
    struct plan *p = plan_for("ok", true);
    CHECK_INT(sh_run(&h, p, true), RUNNER_FAILED);
    unsetenv("TERRAFORM");
    const struct runner_step_info *si = sh_step(&h, "terraform");
    CHECK_CONTAINS(si->hint, "install Terraform 1.5 or later");
    tf_done(&h);
}

static void feed(struct tf_track *t, const char *line)
{
    struct tf_msg m;
    tfjson_parse(line, strlen(line), &m);
    tf_track_feed(t, &m, 1000);
    tf_msg_done(&m);
}

static void test_tfjson_messages(void)
{
    struct tf_track t;
    tf_track_init(&t);
    feed(&t, "{\"@level\":\"info\",\"@message\":\"Terraform 1.9.0\",\"terraform\":\"1.9.0\","
             "\"type\":\"version\",\"ui\":\"1.2\"}");
    CHECK_STR(t.version, "1.9.0");
    CHECK(t.ui_major_problem == NULL);
    feed(&t, "{\"type\":\"planned_change\",\"change\":{\"resource\":{\"addr\":\"aws_vpc.main\"},"
             "\"action\":\"create\"}}");
    feed(&t, "{\"type\":\"planned_change\",\"change\":{\"resource\":{\"addr\":\"data.x.y\"},"
             "\"action\":\"read\"}}");
    CHECK_INT(t.nres, 1);
    feed(&t, "{\"type\":\"change_summary\",\"changes\":{\"add\":1,\"change\":0,\"remove\":0,"
             "\"operation\":\"plan\"}}");
    CHECK(t.have_plan_summary);
    CHECK_INT(t.plan_add, 1);
    feed(&t, "{\"type\":\"apply_start\",\"hook\":{\"resource\":{\"addr\":\"aws_vpc.main\"},"
             "\"action\":\"create\"}}");
    CHECK_INT(t.res[0].state, TF_RES_WORKING);
    feed(&t, "{\"type\":\"apply_progress\",\"hook\":{\"resource\":{\"addr\":\"aws_vpc.main\"},"
             "\"action\":\"create\",\"elapsed_seconds\":30}}");
    CHECK_INT(t.res[0].elapsed_s, 30);
    feed(&t, "{\"type\":\"apply_complete\",\"hook\":{\"resource\":{\"addr\":\"aws_vpc.main\"},"
             "\"action\":\"create\",\"id_key\":\"id\",\"id_value\":\"vpc-1\",\"elapsed_seconds\":"
             "41}}");
    CHECK_INT(t.res[0].state, TF_RES_DONE);
    CHECK_STR(t.res[0].id_value, "vpc-1");
    CHECK_INT(t.done, 1);
    feed(&t, "{\"type\":\"outputs\",\"outputs\":{\"a\":{\"sensitive\":false,\"value\":\"x\"},"
             "\"s\":{\"sensitive\":true,\"value\":\"hunter2\"}}}");
    CHECK_INT(t.noutputs, 2);
    feed(&t, "{\"@level\":\"error\",\"type\":\"diagnostic\",\"diagnostic\":{\"severity\":\"error\","
             "\"summary\":\"Bad thing\",\"detail\":\"line one\\nline two\\n\",\"range\":{"
             "\"filename\":\"main.tf\",\"start\":{\"line\":12}}}}");
    char *e = tf_track_error(&t);
    CHECK_STR(e, "Error: Bad thing: line one line two (main.tf:12)");
    free(e);
    /* a line that is not JSON, a type this reader does not know */
    struct tf_msg m;
    tfjson_parse("Error: something before the JSON view", 38, &m);
    CHECK_INT(m.type, TF_TEXT);
    CHECK_STR(m.message, "Error: something before the JSON view");
    tf_msg_done(&m);
    tfjson_parse("{\"type\":\"brand_new\",\"@message\":\"hello\"}", 40, &m);
    CHECK_INT(m.type, TF_UNKNOWN);
    CHECK_STR(m.message, "hello");
    tf_msg_done(&m);
    feed(&t, "{\"type\":\"version\",\"terraform\":\"9.0\",\"ui\":\"2.0\"}");
    CHECK(t.ui_major_problem != NULL);
    tf_track_done(&t);
}

static void test_graviton_neighbours(void)
{
    char *n = steps_graviton_neighbour("m7g.xlarge", 1);
    CHECK_STR(n, "m8g.xlarge");
    free(n);
    n = steps_graviton_neighbour("c7gd.2xlarge", -1);
    CHECK_STR(n, "c6gd.2xlarge");
    free(n);
    CHECK(steps_graviton_neighbour("m7a.xlarge", 1) == NULL);
    CHECK(steps_graviton_neighbour("t3.medium", 1) == NULL);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    fixtures = path_join(DIFY_SRCDIR, "tests/data/tfsteps");
    const char *tf = getenv("TERRAFORM");
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "'%s' version >/dev/null 2>&1", tf && *tf ? tf : "terraform");
    if (system(cmd) != 0)
        no_tf = "terraform is not installed";
    static const struct tap_case cases[] = {
        {"tfjson: Terraform's -json messages", test_tfjson_messages, NULL},
        {"preflight: the neighbouring Graviton generations", test_graviton_neighbours, NULL},
        {"terraform: every resource a row, outputs journaled and filling placeholders, the "
         "kubeconfig; nothing asked the second time",
         test_apply_rows_outputs_kubeconfig, need_tf},
        {"terraform: \"no\" to the plan applies nothing", test_no_applies_nothing, need_tf},
        {"terraform: a failing provisioner fails the step with its message",
         test_failing_provisioner, need_tf},
        {"terraform: not installed says how to get it", test_missing_terraform, NULL},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    free(filled);
    free(fixtures);
    return rc;
}
