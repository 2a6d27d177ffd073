/* tests/unit/test_kubeconfig.c: kubeconfig merging and resolution, every
 * error naming file, context and field; and exec plugins that misbehave. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_exec.h"
#include "core/kubeconfig.h"
#include "core/loop.h"
#include "core/util.h"

#define KC DIFY_SRCDIR "/tests/data/kube/kubeconfig/"
#define DATA DIFY_SRCDIR "/tests/data/kube/"

static struct kube_config *load_ok(const char *kubeconfig, const char *env, const char *ctx,
                                   const char *ns)
{
    struct kube_config_opts o = {kubeconfig, ctx, ns, env, "/nonexistent-home"};
    struct kube_config *c = NULL;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load(&o, &c, &err) < 0)
        fail_msg("load failed: %s", err.msg);
    return c;
}

static void load_fails(const char *kubeconfig, const char *env, const char *ctx, const char *expect)
{
    struct kube_config_opts o = {kubeconfig, ctx, NULL, env, "/nonexistent-home"};
    struct kube_config *c = NULL;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load(&o, &c, &err) == 0) {
        kube_config_free(c);
        fail_msg("load succeeded, expected \"%s\"", expect);
    }
    if (!strstr(err.msg, expect))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, expect);
}

/* A temporary kubeconfig with the given text. */
static char *write_tmp(const char *text)
{
    char *p = xstrdup("/tmp/dify-tui-kc-XXXXXX");
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return p;
}

/* Loads text from a temporary kubeconfig, expecting a failure whose
 * message holds the file's path followed by after_path. */
static void kubeconfig_text_fails(const char *text, const char *after_path)
{
    char *p = write_tmp(text);
    char *want = xasprintf("%s%s", p, after_path);
    load_fails(p, NULL, NULL, want);
    free(want);
    unlink(p);
    free(p);
}

static void test_merge_precedence(void **state)
{
    /* a first: a's current-context, a's "shared" cluster and "alice" win;
     * "only-b" and "bob" come from b. */
    struct kube_config *c = load_ok(NULL, KC "a.yaml:" KC "missing.yaml:" KC "b.yaml", NULL, NULL);
    assert_string_equal(c->context, "prod");
    assert_string_equal(c->server, "https://a.example.com:6443");
    assert_string_equal(c->token, "token-from-a");
    assert_string_equal(c->ns, "dify");
    assert_string_equal(c->context_file, KC "a.yaml");
    /* The relative CA path resolves against a.yaml's directory. */
    assert_non_null(c->ca_pem);
    assert_true(strstr(c->ca_pem, "BEGIN CERTIFICATE") != NULL);
    kube_config_free(c);

    /* b first: b's current-context (dev), whose cluster only b has. */
    c = load_ok(NULL, KC "b.yaml:" KC "a.yaml", NULL, NULL);
    assert_string_equal(c->context, "dev");
    assert_string_equal(c->server, "https://only-b.example.com");
    assert_true(c->insecure);
    assert_string_equal(c->tls_server_name, "kubernetes.default");
    /* tokenFile, relative to b.yaml, trailing newline dropped */
    assert_string_equal(c->token, "bob-secret-token");
    assert_string_equal(c->ns, "default");
    kube_config_free(c);

    /* b first, prod: b's prod context wins over a's. */
    c = load_ok(NULL, KC "b.yaml:" KC "a.yaml", "prod", "other");
    assert_string_equal(c->server, "https://only-b.example.com");
    assert_string_equal(c->user, "bob");
    assert_string_equal(c->ns, "other");
    kube_config_free(c);
}

static void test_missing_context(void **state)
{
    load_fails(KC "a.yaml", NULL, "x", "kubeconfig: no context \"x\" (have: prod, dev)");
}

static void test_missing_files(void **state)
{
    load_fails(KC "nope.yaml", NULL, NULL,
               "--kubeconfig " KC "nope.yaml: No such file or directory");
    load_fails(NULL, "/nope/1:/nope/2", NULL,
               "KUBECONFIG=/nope/1:/nope/2: none of these files exists");
    load_fails(NULL, NULL, NULL, "/nonexistent-home/.kube/config: No such file or directory");
}

static void test_ca_missing(void **state)
{
    kubeconfig_text_fails("clusters:\n- name: c\n  cluster:\n    server: https://x\n"
                          "    certificate-authority: /nope/ca.crt\n"
                          "contexts:\n- name: k\n  context: {cluster: c}\ncurrent-context: k\n",
                          ": context \"k\": cluster \"c\": certificate-authority \"/nope/ca.crt\": "
                          "No such file or directory");
}

static void test_malformed_yaml(void **state)
{
    /* both the flag and a CA: refused, as kubectl refuses them */
    kubeconfig_text_fails("clusters:\n- name: c\n  cluster:\n    server: https://x\n"
                          "    insecure-skip-tls-verify: true\n"
                          "    certificate-authority: " KC "certs/ca.crt\n"
                          "contexts:\n- name: k\n  context: {cluster: c}\ncurrent-context: k\n",
                          ":5:31: context \"k\": cluster \"c\": insecure-skip-tls-verify and a "
                          "certificate authority together are not allowed");
    kubeconfig_text_fails("clusters:\n- name: c\n  cluster: [unclosed\n",
                          ":4:1: did not find expected ',' or ']'");
}

static void test_wrong_types(void **state)
{
    kubeconfig_text_fails(
        "clusters:\n- name: c\n  cluster:\n    server: {a: 1}\n"
        "contexts:\n- name: k\n  context: {cluster: c}\ncurrent-context: k\n",
        ":4:13: context \"k\": cluster \"c\": server: expected a string, got a mapping");

    kubeconfig_text_fails("clusters: {}\n", ":1:11: clusters: expected a list, got a mapping");

    kubeconfig_text_fails("clusters:\n- name: c\n  cluster:\n    server: https://x\n"
                          "    insecure-skip-tls-verify: maybe\n"
                          "contexts:\n- name: k\n  context: {cluster: c}\ncurrent-context: k\n",
                          ":5:31: context \"k\": cluster \"c\": insecure-skip-tls-verify: expected "
                          "true or false, got \"maybe\"");

    kubeconfig_text_fails(
        "users:\n- name: u\n  user:\n    exec:\n      command: x\n"
        "      apiVersion: client.authentication.k8s.io/v1\n      args: nope\n"
        "clusters:\n- name: c\n  cluster: {server: 'https://x'}\n"
        "contexts:\n- name: k\n  context: {cluster: c, user: u}\ncurrent-context: k\n",
        ":7:13: context \"k\": user \"u\": exec: args: expected a list, got a single value");
}

static void test_exec_spec(void **state)
{
    struct kube_config *c = load_ok(KC "exec.yaml", NULL, NULL, NULL);
    assert_non_null(c->exec);
    assert_string_equal(c->exec->command, "aws-no-such-command-dify-tui");
    assert_int_equal(c->exec->nargs, 6);
    assert_string_equal(c->exec->args[3], "get-token");
    assert_int_equal(c->exec->nenv, 1);
    assert_string_equal(c->exec->env[0].name, "AWS_PROFILE");
    assert_false(c->exec->deprecated);
    assert_true(strstr(c->ca_pem, "-----END CERTIFICATE-----") != NULL);
    kube_config_free(c);
}

/* ---- exec plugins on the loop ---- */

struct exec_result {
    bool done;
    struct kube_cred *cred;
    struct error err;
};

static void exec_cb(struct kube_cred *cred, const struct error *err, void *arg)
{
    struct exec_result *r = arg;
    r->done = true;
    r->cred = cred;
    if (err)
        r->err = *err;
}

static struct exec_result run_plugin(struct kube_exec_spec *spec, long long timeout_ms)
{
    struct loop *l = loop_new();
    struct exec_result r = {0};
    error_clear(&r.err);
    kube_exec_start(l, spec, "/k/config: context \"eks\": user \"u\"", timeout_ms, exec_cb, &r);
    for (int i = 0; i < 2000 && !r.done; i++)
        loop_run_once(l, 50);
    loop_free(l);
    assert_true(r.done);
    return r;
}

static struct kube_exec_spec *spec_for(const char *mode, const char *counter)
{
    struct kube_exec_spec *s = xcalloc(1, sizeof(*s));
    s->api_version = xstrdup("client.authentication.k8s.io/v1beta1");
    s->command = xstrdup(DATA "exec-plugin.sh");
    s->args = xcalloc(1, sizeof(char *));
    s->env = xcalloc(2, sizeof(*s->env));
    s->env[0] = (struct kube_exec_env){xstrdup("EXEC_MODE"), xstrdup(mode)};
    s->env[1] = (struct kube_exec_env){xstrdup("COUNTER_FILE"), xstrdup(counter)};
    s->nenv = 2;
    return s;
}

static void spec_free(struct kube_exec_spec *s)
{
    for (size_t i = 0; i < s->nenv; i++) {
        free(s->env[i].name);
        free(s->env[i].value);
    }
    free(s->env);
    free(s->args);
    free(s->api_version);
    free(s->command);
    free(s->install_hint);
    free(s);
}

static void test_exec_ok(void **state)
{
    char counter[64];
    snprintf(counter, sizeof(counter), "/tmp/dify-tui-kc-count.%d", (int)getpid());
    unlink(counter);
    struct kube_exec_spec *s = spec_for("", counter);
    struct exec_result r = run_plugin(s, 10000);
    assert_non_null(r.cred);
    assert_string_equal(r.cred->token, "tok-1");
    assert_int_equal(r.cred->expires, 4070908800LL); /* 2099-01-01T00:00:00Z */
    kube_cred_free(r.cred);
    spec_free(s);
    unlink(counter);
}

static void test_exec_failures(void **state)
{
    char counter[64];
    snprintf(counter, sizeof(counter), "/tmp/dify-tui-kc-count.%d", (int)getpid());
    struct kube_exec_spec *s = spec_for("fail", counter);
    struct exec_result r = run_plugin(s, 10000);
    assert_null(r.cred);
    assert_string_equal(r.err.msg, "/k/config: context \"eks\": user \"u\": exec: command \"" DATA
                                   "exec-plugin.sh\" exited with status 1: error: no credentials "
                                   "for profile dify");
    spec_free(s);

    s = spec_for("garbage", counter);
    r = run_plugin(s, 10000);
    assert_null(r.cred);
    if (!strstr(r.err.msg, "exec: command \"" DATA "exec-plugin.sh\": output is not JSON"))
        fail_msg("%s", r.err.msg);
    spec_free(s);

    s = spec_for("slow", counter);
    r = run_plugin(s, 200);
    assert_null(r.cred);
    if (!strstr(r.err.msg, "did not finish within 200 ms"))
        fail_msg("%s", r.err.msg);
    spec_free(s);

    /* It exits, but a process it started keeps stdout open: not "did not
     * finish" but what it printed, judged once the wait is over. */
    s = spec_for("linger", counter);
    r = run_plugin(s, 300);
    assert_non_null(r.cred);
    assert_string_equal(r.cred->token, "tok-4");
    kube_cred_free(r.cred);
    spec_free(s);
    s = spec_for("linger-garbage", counter);
    r = run_plugin(s, 300);
    assert_null(r.cred);
    if (!strstr(r.err.msg, "output is not JSON (18 bytes) (it exited, but a process it started "
                           "kept its stdout open for 300 ms)"))
        fail_msg("%s", r.err.msg);
    spec_free(s);
    unlink(counter);

    struct kube_config *c = load_ok(KC "exec.yaml", NULL, NULL, NULL);
    struct loop *l = loop_new();
    struct exec_result nf = {0};
    kube_exec_start(l, c->exec, c->user_desc, 10000, exec_cb, &nf);
    for (int i = 0; i < 100 && !nf.done; i++)
        loop_run_once(l, 50);
    loop_free(l);
    assert_true(nf.done);
    char *want = xasprintf("%sexec.yaml: context \"eks\": user "
                           "\"arn:aws:eks:us-west-2:111122223333:cluster/dify\": exec: command "
                           "\"aws-no-such-command-dify-tui\" not found (install hint: install the "
                           "AWS CLI (https://aws.amazon.com/cli/))",
                           KC);
    assert_string_equal(nf.err.msg, want);
    free(want);
    kube_config_free(c);
}

static void test_exec_parse(void **state)
{
    struct kube_cred cred;
    struct error err;
    const char *v1 = "client.authentication.k8s.io/v1";
    const char *ok =
        "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
        "\"status\":{\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}}";
    assert_int_equal(kube_exec_parse(ok, strlen(ok), v1, &cred, &err), 0);
    assert_string_equal(cred.cert_pem, "CERT");
    assert_int_equal(cred.expires, 0);
    free(cred.cert_pem);
    free(cred.key_pem);
    const char *wrongver =
        "{\"kind\":\"ExecCredential\",\"apiVersion\":\"x/v9\",\"status\":{\"token\":\"t\"}}";
    assert_int_equal(kube_exec_parse(wrongver, strlen(wrongver), v1, &cred, &err), -1);
    assert_true(strstr(err.msg, "plugin returned apiVersion \"x/v9\"") != NULL);
    const char *badtime =
        "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
        "\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"tomorrow\"}}";
    assert_int_equal(kube_exec_parse(badtime, strlen(badtime), v1, &cred, &err), -1);
    assert_true(strstr(err.msg, "\"tomorrow\" is not an RFC 3339 time") != NULL);
}

static void test_base64(void **state)
{
    char *out;
    size_t n;
    assert_int_equal(kube_base64_decode("aGVs\nbG8=", &out, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(out, "hello");
    free(out);
    assert_int_equal(kube_base64_decode("a*b", &out, &n), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_precedence), cmocka_unit_test(test_missing_context),
        cmocka_unit_test(test_missing_files),    cmocka_unit_test(test_ca_missing),
        cmocka_unit_test(test_malformed_yaml),   cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_exec_spec),        cmocka_unit_test(test_exec_ok),
        cmocka_unit_test(test_exec_failures),    cmocka_unit_test(test_exec_parse),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests_name("kubeconfig", tests, NULL, NULL);
}
