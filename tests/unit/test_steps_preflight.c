/* tests/unit/test_steps_preflight.c: the preflight steps. Tools by
 * stand-ins that print a version (terraform too old, helm right, aws
 * there); the AWS checks by a stand-in aws CLI that records its argv and
 * answers the identity, the zones and the offerings (the node type missing
 * in one of the stack's zones, the next Graviton generation offered); the
 * cluster's checks against a canned API server (version, access reviews
 * with one verb denied, storage classes without a default, the ingress
 * class missing); and against a real PostgreSQL, a re-install whose
 * database no longer accepts the password (seed 003's kept volume). */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "core/profile.h"
#include "core/steps_native.h"
#include "tests/unit/kube_testserver.h"
#include "tests/unit/stephar.h"
#include "tests/unit/svc.h"
#include "tests/unit/tap.h"

static char *tmp;
static struct svc pg;
static struct profile prof;
static struct secrets secs;

static const char *need_pg(void)
{
    return pg.skip;
}

static char *put(const char *name, const char *text, mode_t mode)
{
    char *p = path_join(tmp, name);
    struct error e;
    file_write_atomic(p, text, strlen(text), mode, &e);
    return p;
}

/* A canned API server playing the exchanges in c (consumed), and a
 * kubeconfig (file NAME-kubeconfig) pointing at it. */
struct fake_cluster {
    struct testserver *ts;
    char *casef, *kubeconfig;
};

static void fake_cluster_start(struct fake_cluster *fc, const char *name, struct strbuf *c)
{
    char *cname = xasprintf("%s-case", name), *kname = xasprintf("%s-kubeconfig", name);
    fc->casef = put(cname, c->buf, 0644);
    strbuf_done(c);
    fc->ts = testserver_start(fc->casef);
    CHECK(fc->ts != NULL);
    char *kc_text = xasprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n  "
                              "  server: http://127.0.0.1:%d\nusers:\n- name: u\n  user:\n    "
                              "token: tok\ncontexts:\n- name: c\n  context:\n    cluster: t\n   "
                              " user: u\ncurrent-context: c\n",
                              testserver_port(fc->ts));
    fc->kubeconfig = put(kname, kc_text, 0600);
    free(kc_text);
    free(cname);
    free(kname);
}

/* Stops the server; every request it got must have been one it expected. */
static void fake_cluster_stop(struct fake_cluster *fc)
{
    char *errs = testserver_errors(fc->ts);
    testserver_stop(fc->ts);
    CHECK_STR(errs, "");
    free(errs);
}

static void fake_cluster_done(struct fake_cluster *fc)
{
    free(fc->casef);
    free(fc->kubeconfig);
}

static char *slurp(const char *name)
{
    char *p = path_join(tmp, name), *t = NULL;
    size_t n = 0;
    struct error e;
    if (file_read_all(p, 1 << 20, &t, &n, &e) < 0)
        t = xstrdup("");
    free(p);
    return t;
}

static void p_init(struct sh *h, enum target t)
{
    sh_init(h);
    profile_init(&prof, EDITION_COMMUNITY, t, SIZE_TEST);
    secrets_init(&secs);
    h->ctx.profile = &prof;
    h->ctx.secrets = &secs;
}

static void p_done(struct sh *h)
{
    sh_done(h);
    profile_done(&prof);
    secrets_done(&secs);
}

static enum runner_state run_preflight(struct sh *h)
{
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK(steps_preflight_add(p, &h->ctx, &err) == 0);
    return sh_run(h, p, true);
}

static void test_tools_and_aws(void)
{
    char *tf =
        put("terraform",
            "#!/bin/sh\n[ \"$1\" = version ] && echo '{\"terraform_version\":\"1.4.6\"}'\n", 0755);
    char *helm = put("helm", "#!/bin/sh\necho v3.14.4+g81c902a\n", 0755);
    char *aws =
        put("aws",
            "#!/bin/sh\n"
            "printf '%s\\n' \"$*\" >>\"$FAKE_AWS_LOG\"\n"
            "case \"$1 $2\" in\n"
            "'--version '*) echo 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64' ;;\n"
            "'sts get-caller-identity') echo '{\"UserId\":\"AIDA\",\"Account\":\"123456789012\","
            "\"Arn\":\"arn:aws:iam::123456789012:user/dev\"}' ;;\n"
            "'ec2 describe-availability-zones') echo '{\"AvailabilityZones\":[{\"ZoneName\":"
            "\"us-east-1b\",\"State\":\"available\"},{\"ZoneName\":\"us-east-1a\",\"State\":"
            "\"available\"},{\"ZoneName\":\"us-east-1c\",\"State\":\"available\"}]}' ;;\n"
            "'ec2 describe-instance-type-offerings') echo '{\"InstanceTypeOfferings\":["
            "{\"InstanceType\":\"m7g.xlarge\",\"Location\":\"us-east-1a\"},"
            "{\"InstanceType\":\"m7g.xlarge\",\"Location\":\"us-east-1c\"},"
            "{\"InstanceType\":\"m8g.xlarge\",\"Location\":\"us-east-1a\"},"
            "{\"InstanceType\":\"m8g.xlarge\",\"Location\":\"us-east-1b\"}]}' ;;\n"
            "*) echo \"unexpected: $*\" >&2; exit 2 ;;\n"
            "esac\n",
            0755);
    char *log = path_join(tmp, "aws.log");
    unlink(log);
    setenv("FAKE_AWS_LOG", log, 1);
    setenv("TERRAFORM", tf, 1);
    setenv("HELM", helm, 1);
    setenv("AWS", aws, 1);
    struct sh h;
    p_init(&h, TARGET_EKS);
    str_replace(&prof.aws.region, "us-east-1");
    str_replace(&prof.aws.node_type, "m7g.xlarge");
    CHECK_INT(run_preflight(&h), RUNNER_FAILED);
    unsetenv("TERRAFORM");
    unsetenv("HELM");
    unsetenv("AWS");

    const struct runner_row *r = sh_row(&h, "preflight-tools", "terraform >= 1.5");
    CHECK(r && r->state == ROW_FAILED);
    CHECK_CONTAINS(r->status, "terraform is version 1.4");
    r = sh_row(&h, "preflight-tools", "helm >= 3.12");
    CHECK(r && r->state == ROW_DONE);
    r = sh_row(&h, "preflight-tools", "aws CLI");
    CHECK(r && r->state == ROW_DONE);
    CHECK_CONTAINS(sh_step(&h, "preflight-tools")->hint, "install Terraform 1.5 or later");

    r = sh_row(&h, "preflight-aws", "AWS identity");
    CHECK(r && r->state == ROW_DONE);
    CHECK_CONTAINS(r->status, "arn:aws:iam::123456789012:user/dev");
    r = sh_row(&h, "preflight-aws", "instance type");
    CHECK(r && r->state == ROW_FAILED);
    /* the stack's zones are the first two by name: a and b */
    CHECK_CONTAINS(r->status, "m7g.xlarge is not offered in every zone the stack uses "
                              "(us-east-1a, us-east-1b)");
    const struct runner_step_info *si = sh_step(&h, "preflight-aws");
    CHECK_CONTAINS(si->hint, "set aws.node_type: m8g.xlarge");
    char *argv = slurp("aws.log");
    CHECK_CONTAINS(argv, "sts get-caller-identity --output json\n");
    CHECK_CONTAINS(argv, "ec2 describe-availability-zones --region us-east-1 --filters "
                         "Name=state,Values=available --output json\n");
    CHECK_CONTAINS(argv, "ec2 describe-instance-type-offerings --region us-east-1 "
                         "--location-type availability-zone --filters "
                         "Name=instance-type,Values=m7g.xlarge,m8g.xlarge,m6g.xlarge --output "
                         "json\n");
    free(argv);
    free(tf);
    free(helm);
    free(aws);
    free(log);
    p_done(&h);
}

static void add_exchange(struct strbuf *sb, const char *req, const char *body, const char *reply)
{
    strbuf_addf(sb, "=== request\n%s\n", req);
    if (body)
        strbuf_addf(sb, "=== body\n%s\n", body);
    strbuf_addf(sb, "=== reply\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n%s\n", reply);
}

static void test_cluster_checks(void)
{
    struct strbuf c;
    strbuf_init(&c);
    add_exchange(&c, "GET /version", NULL,
                 "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":"
                 "\"v1.31.2\"}");
    const char *verbs[][3] = {{"patch", "", "namespaces"},
                              {"patch", "", "secrets"},
                              {"patch", "", "configmaps"},
                              {"patch", "", "serviceaccounts"},
                              {"patch", "", "services"},
                              {"patch", "", "persistentvolumeclaims"},
                              {"patch", "apps", "deployments"},
                              {"patch", "apps", "statefulsets"},
                              {"patch", "networking.k8s.io", "ingresses"},
                              {"create", "batch", "jobs"},
                              {"delete", "batch", "jobs"},
                              {"list", "", "pods"},
                              {"get", "", "pods"}};
    for (size_t i = 0; i < ARRAY_LEN(verbs); i++) {
        bool denied = strcmp(verbs[i][0], "delete") == 0;
        const char *body =
            i == 0 ? "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":"
                     "\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{\"verb\":"
                     "\"patch\",\"group\":\"\",\"resource\":\"namespaces\"}}}"
                   : NULL;
        add_exchange(&c, "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body,
                     denied ? "{\"status\":{\"allowed\":false,\"reason\":\"RBAC: no rule\"}}"
                            : "{\"status\":{\"allowed\":true}}");
    }
    add_exchange(
        &c, "GET /apis/storage.k8s.io/v1/storageclasses", NULL,
        "{\"items\":[{\"metadata\":{\"name\":\"gp3\"}},{\"metadata\":{\"name\":\"efs\"}}]}");
    add_exchange(&c, "GET /apis/networking.k8s.io/v1/ingressclasses", NULL,
                 "{\"items\":[{\"metadata\":{\"name\":\"traefik\"}}]}");
    struct fake_cluster fc;
    fake_cluster_start(&fc, "cluster", &c);
    struct sh h;
    p_init(&h, TARGET_EXISTING);
    h.ctx.kubeconfig = fc.kubeconfig;
    str_replace(&prof.cluster.ingress_class, "nginx");
    str_replace(&prof.namespace, "dify");
    prof.storage.kind = STORAGE_LOCAL;
    prof.comp[COMP_API].replicas = 2;
    str_replace(&prof.cluster.rwx_storage_class, "efs");
    /* only the cluster's checks: the database check has no host */
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK(steps_preflight_add(p, &h.ctx, &err) == 0);
    plan_step_skip(plan_find(p, "preflight-database"), "not in this test");
    enum runner_state st = sh_run(&h, p, true);
    fake_cluster_stop(&fc);
    CHECK_INT(st, RUNNER_FAILED);
    const struct runner_row *r = sh_row(&h, "preflight-cluster", "cluster");
    CHECK(r && r->state == ROW_DONE);
    CHECK_CONTAINS(r->status, "v1.31.2");
    r = sh_row(&h, "preflight-cluster", "patch deployments.apps");
    CHECK(r && r->state == ROW_DONE);
    r = sh_row(&h, "preflight-cluster", "delete jobs.batch");
    CHECK(r && r->state == ROW_FAILED);
    CHECK_CONTAINS(r->status, "RBAC: no rule");
    r = sh_row(&h, "preflight-cluster", "storage class");
    CHECK(r && r->state == ROW_FAILED);
    CHECK_CONTAINS(r->status, "no default StorageClass");
    r = sh_row(&h, "preflight-cluster", "ReadWriteMany");
    CHECK(r && r->state == ROW_DONE);
    r = sh_row(&h, "preflight-cluster", "ingress class");
    CHECK(r && r->state == ROW_FAILED);
    CHECK_CONTAINS(r->status, "nginx is not an IngressClass here (there are: traefik)");
    const struct runner_step_info *si = sh_step(&h, "preflight-cluster");
    CHECK_CONTAINS(si->message, "3 preflight checks failed");
    CHECK_CONTAINS(si->hint, "allowing delete on jobs in namespace dify");
    fake_cluster_done(&fc);
    p_done(&h);
}

/* A server without the access review API and without IngressClasses (as
 * dify-sim): those checks say so and pass. */
static void test_cluster_without_optional_apis(void)
{
    struct strbuf c;
    strbuf_init(&c);
    add_exchange(&c, "GET /version", NULL, "{\"gitVersion\":\"v1.31.0\"}");
    strbuf_adds(&c, "=== request\nPOST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews\n"
                    "=== reply\nHTTP/1.1 404 Not Found\nContent-Type: application/json\n\n"
                    "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                    "\"code\":404}\n");
    add_exchange(&c, "GET /apis/storage.k8s.io/v1/storageclasses", NULL,
                 "{\"items\":[{\"metadata\":{\"name\":\"standard\",\"annotations\":{"
                 "\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}]}");
    strbuf_adds(&c, "=== request\nGET /apis/networking.k8s.io/v1/ingressclasses\n"
                    "=== reply\nHTTP/1.1 404 Not Found\nContent-Type: application/json\n\n"
                    "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                    "\"code\":404}\n");
    struct fake_cluster fc;
    fake_cluster_start(&fc, "cluster-min", &c);
    struct sh h;
    p_init(&h, TARGET_EXISTING);
    h.ctx.kubeconfig = fc.kubeconfig;
    str_replace(&prof.cluster.ingress_class, "nginx");
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK(steps_preflight_add(p, &h.ctx, &err) == 0);
    plan_step_skip(plan_find(p, "preflight-database"), "not in this test");
    enum runner_state st = sh_run(&h, p, true);
    fake_cluster_stop(&fc);
    CHECK_MSG(st == RUNNER_DONE, "%s", h.lines.buf);
    const struct runner_row *r = sh_row(&h, "preflight-cluster", "access review");
    CHECK(r && r->state == ROW_DONE);
    CHECK_CONTAINS(r->status, "skipped");
    r = sh_row(&h, "preflight-cluster", "storage class");
    CHECK(r && r->state == ROW_DONE);
    CHECK_STR(r->status, "standard");
    r = sh_row(&h, "preflight-cluster", "ingress class");
    CHECK(r && r->state == ROW_DONE);
    CHECK_CONTAINS(r->status, "not checked");
    fake_cluster_done(&fc);
    p_done(&h);
}

static void test_kept_database_password(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct sh h;
    p_init(&h, TARGET_EXISTING);
    str_replace(&prof.db.host, svc_get(&pg, "PG_HOST"));
    prof.db.port = svc_get_int(&pg, "PG_PORT");
    str_replace(&prof.db.user, svc_get(&pg, "PG_USER"));
    str_replace(&prof.db.name, "dify");
    str_replace(&prof.db.sslmode, "disable");
    /* a re-install: the secrets file was regenerated, the database kept */
    str_replace(&secs.db_password, "regenerated-password-31");
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK(steps_preflight_add(p, &h.ctx, &err) == 0);
    plan_step_skip(plan_find(p, "preflight-cluster"), "not in this test");
    CHECK_INT(sh_run(&h, p, true), RUNNER_FAILED);
    const struct runner_row *r = sh_row(&h, "preflight-database", "database password");
    CHECK(r && r->state == ROW_FAILED);
    CHECK_CONTAINS(r->status, "refuses the password in the secrets file");
    CHECK_CONTAINS(r->status, "28P01");
    CHECK_LACKS(r->status, "regenerated-password-31");
    CHECK_CONTAINS(sh_step(&h, "preflight-database")->hint, "kept volume");
    sh_end(&h, false);

    /* with the password the database has, the check passes */
    str_replace(&secs.db_password, svc_get(&pg, "PG_PASSWORD"));
    p = plan_new("install");
    CHECK(steps_preflight_add(p, &h.ctx, &err) == 0);
    plan_step_skip(plan_find(p, "preflight-cluster"), "not in this test");
    CHECK_INT(sh_run(&h, p, true), RUNNER_DONE);
    r = sh_row(&h, "preflight-database", "database password");
    CHECK(r && r->state == ROW_DONE);
    p_done(&h);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const char *t = getenv("TMPDIR");
    tmp = xasprintf("%s/dify-preflight-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp))
        return 1;
    svc_start(&pg, "pg");
    static const struct tap_case cases[] = {
        {"preflight: tools' versions; the AWS identity; the node type in the stack's zones with "
         "the next Graviton generation",
         test_tools_and_aws, NULL},
        {"preflight: the cluster answers, verbs, storage classes, ingress class",
         test_cluster_checks, NULL},
        {"preflight: a server without access reviews or IngressClasses",
         test_cluster_without_optional_apis, NULL},
        {"preflight: a re-install whose database no longer accepts the password",
         test_kept_database_password, need_pg},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    svc_stop(&pg);
    char *cmd = xasprintf("rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    free(tmp);
    return rc;
}
