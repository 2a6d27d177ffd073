/* tests/unit/test_redact.c: the support bundle's redaction (core/redact.h):
 * tokens are keyed and consistent, the name rule, Secrets (data decoded,
 * stringData, the last-applied annotation), env entries, URLs with
 * credentials, custom resources of a kind nobody registered, values learnt
 * in one place hidden in another (plain and inside base64 blobs at every
 * alignment), text with line numbers, and the report entries. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "core/util.h"

static const unsigned char key1[] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[] = "fedcba9876543210fedcba9876543210";

static char *b64(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
    return out;
}

static void test_tokens(void **state)
{
    (void)state;
    struct redact *a = redact_new_with_key(key1, 32), *b = redact_new_with_key(key2, 32);
    char t1[REDACT_TOKEN_LEN + 1], t2[REDACT_TOKEN_LEN + 1], t3[REDACT_TOKEN_LEN + 1];
    redact_token(a, "hunter2-long", 12, t1);
    redact_token(a, "hunter2-long", 12, t2);
    assert_string_equal(t1, t2);
    assert_true(redact_is_token(t1, strlen(t1)));
    assert_int_equal(strlen(t1), REDACT_TOKEN_LEN);
    redact_token(a, "hunter3-long", 12, t3);
    assert_string_not_equal(t1, t3);
    /* Another bundle's key: another token for the same value. */
    redact_token(b, "hunter2-long", 12, t3);
    assert_string_not_equal(t1, t3);
    /* Two random keys differ. */
    struct redact *c = redact_new(), *d = redact_new();
    redact_token(c, "x", 1, t1);
    redact_token(d, "x", 1, t2);
    assert_string_not_equal(t1, t2);
    redact_free(a);
    redact_free(b);
    redact_free(c);
    redact_free(d);
}

static bool sens(const char *n)
{
    return redact_name_sensitive(n, strlen(n));
}

static void test_names(void **state)
{
    (void)state;
    const char *yes[] = {"DB_PASSWORD",
                         "SECRET_KEY",
                         "api-token",
                         "PLUGIN_DAEMON_KEY",
                         "redisPassword",
                         "AWS_SECRET_ACCESS_KEY",
                         "secret",
                         "token",
                         "INNER_API_KEY_FOR_PLUGIN",
                         "passwd",
                         "credentials"};
    const char *no[] = {"key",         "secretName", "secretKeyRef",
                        "DB_USERNAME", "maxTokens",  "tokenPath",
                        "keyFile",     "secretRef",  "automountServiceAccountTokenEnabled",
                        "image",       "name",       "CELERY_BROKER_URL"};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++)
        assert_true(sens(yes[i]));
    for (size_t i = 0; i < ARRAY_LEN(no); i++) {
        if (sens(no[i]))
            fail_msg("%s counted as secret", no[i]);
    }
}

/* Learns, applies, emits as JSON and locates: what the bundle does. */
static char *run_json(struct redact *r, const char *file, cJSON *doc)
{
    redact_learn_json(r, doc);
    redact_json(r, file, doc);
    char *text = cJSON_Print(doc);
    redact_locate(r, file, text, strlen(text));
    return text;
}

static void assert_absent(const char *text, const char *value)
{
    if (strstr(text, value))
        fail_msg("'%s' is still in:\n%s", value, text);
    char *e = b64(value);
    if (strstr(text, e))
        fail_msg("base64 of '%s' is still in:\n%s", value, text);
    free(e);
}

static void test_secret_and_env(void **state)
{
    (void)state;
    struct redact *r = redact_new_with_key(key1, 32);
    char *pw = b64("pl41nPassw0rdValue");
    char *user = b64("postgres");
    char *doc = xasprintf(
        "[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":"
        "\"dify\",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":"
        "\"{\\\"data\\\":{\\\"DB_PASSWORD\\\":\\\"%s\\\"}}\"}},"
        "\"data\":{\"DB_PASSWORD\":\"%s\",\"DB_USERNAME\":\"%s\"},"
        "\"stringData\":{\"note\":\"a-string-data-value-42\"}},"
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\","
        "\"namespace\":\"dify\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":"
        "\"api\",\"image\":\"postgres:15\",\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":"
        "\"pl41nPassw0rdValue\"},{\"name\":\"OTHER\",\"value\":\"x pl41nPassw0rdValue y\"},"
        "{\"name\":\"S\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"DB_PASSWORD\""
        "}}}]}]}}}}]",
        pw, pw, user);
    cJSON *j = cJSON_Parse(doc);
    assert_non_null(j);
    char *out = run_json(r, "objects.json", j);
    assert_absent(out, "pl41nPassw0rdValue");
    assert_absent(out, "a-string-data-value-42");
    assert_null(strstr(out, user)); /* the Secret's own value is hidden */
    /* ... but a short value under an ordinary name is not searched for. */
    assert_non_null(strstr(out, "postgres:15"));
    /* The references stay readable. */
    assert_non_null(strstr(out, "\"key\":\t\"DB_PASSWORD\""));
    char tok[REDACT_TOKEN_LEN + 1];
    redact_token(r, "pl41nPassw0rdValue", 18, tok);
    /* The same value: the same token in the Secret and the env. */
    size_t seen = 0;
    for (const char *p = out; (p = strstr(p, tok)); p++)
        seen++;
    assert_int_equal(seen, 3); /* data, env value, inside OTHER */
    /* Every entry has a line and a place; none holds the value. */
    assert_true(redact_entry_count(r) >= 6);
    for (size_t i = 0; i < redact_entry_count(r); i++) {
        const struct redact_entry *e = redact_entry_at(r, i);
        assert_true(e->line > 0);
        assert_null(strstr(e->where, "pl41n"));
        assert_string_equal(e->file, "objects.json");
    }
    const struct redact_entry *e0 = redact_entry_at(r, 0);
    assert_string_equal(e0->rule, "secret-data");
    assert_non_null(strstr(e0->where, "Secret dify/s: data.DB_PASSWORD"));
    free(out);
    cJSON_Delete(j);
    free(doc);
    free(pw);
    free(user);
    redact_free(r);
}

static void test_urls_and_blobs(void **state)
{
    (void)state;
    struct redact *r = redact_new_with_key(key1, 32);
    const char *cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
                     "\"data\":{\"CELERY_BROKER_URL\":\"redis://:r3disPassw0rd@redis:6379/1\","
                     "\"DSN\":\"host=db user=dify password=dsnPassw0rd99 dbname=dify\"}}";
    cJSON *j = cJSON_Parse(cm);
    char *out = run_json(r, "cm.json", j);
    assert_absent(out, "r3disPassw0rd");
    assert_absent(out, "dsnPassw0rd99");
    assert_non_null(strstr(out, "redis://:" REDACT_TOKEN_PREFIX));
    assert_non_null(strstr(out, "@redis:6379/1"));
    free(out);
    cJSON_Delete(j);
    /* Learnt above, hidden in a log read later, and inside base64 blobs at
     * each alignment. */
    for (int pad = 0; pad < 3; pad++) {
        char *plain = xasprintf("%.*sconfig r3disPassw0rd end", pad, "ab");
        char *blob = b64(plain);
        char *log = xasprintf("line one\nblob %s\nplain r3disPassw0rd\n", blob);
        size_t n = 0;
        char *red = redact_text(r, "log.txt", log, strlen(log), &n);
        assert_absent(red, "r3disPassw0rd");
        assert_null(strstr(red, blob));
        free(red);
        free(log);
        free(blob);
        free(plain);
    }
    redact_free(r);
}

static void test_custom_resource(void **state)
{
    (void)state;
    struct redact *r = redact_new_with_key(key1, 32);
    const char *cr = "{\"apiVersion\":\"backup.example.com/v1\",\"kind\":\"DifyBackup\","
                     "\"metadata\":{\"name\":\"nightly\",\"namespace\":\"dify\"},"
                     "\"spec\":{\"s3\":{\"secretAccessKey\":\"cr-S3-secret-value-1\","
                     "\"accessKeyIdRef\":\"keep-me\"},\"target\":\"postgres://u:crDbPw1234@db/x\","
                     "\"args\":[\"--api-token=crTokenValue77\"],\"replicas\":2}}";
    cJSON *j = cJSON_Parse(cr);
    char *out = run_json(r, "crs.json", j);
    assert_absent(out, "cr-S3-secret-value-1");
    assert_absent(out, "crDbPw1234");
    assert_absent(out, "crTokenValue77");
    assert_non_null(strstr(out, "keep-me"));
    assert_non_null(strstr(out, "nightly"));
    bool saw = false;
    for (size_t i = 0; i < redact_entry_count(r); i++)
        saw |= strstr(redact_entry_at(r, i)->where,
                      "DifyBackup dify/nightly: spec.s3.secretAccessKey") != NULL;
    assert_true(saw);
    free(out);
    cJSON_Delete(j);
    redact_free(r);
}

static void test_text_lines(void **state)
{
    (void)state;
    struct redact *r = redact_new_with_key(key1, 32);
    redact_add_secret(r, "profileSecretKey-123", 20);
    const char *log = "start\n"
                      "env DB_PASSWORD=envPassw0rd11 key=visible\n"
                      "\"SECRET_KEY\": \"jsonSecret-99\"\n"
                      "profile profileSecretKey-123 here\n";
    redact_learn_text(r, log, strlen(log));
    size_t n = 0;
    char *out = redact_text(r, "app.log", log, strlen(log), &n);
    assert_absent(out, "envPassw0rd11");
    assert_absent(out, "jsonSecret-99");
    assert_absent(out, "profileSecretKey-123");
    assert_non_null(strstr(out, "key=visible"));
    assert_int_equal(redact_entry_count(r), 3);
    assert_int_equal(redact_entry_at(r, 0)->line, 2);
    assert_string_equal(redact_entry_at(r, 0)->rule, "sensitive-name");
    assert_int_equal(redact_entry_at(r, 1)->line, 3);
    assert_int_equal(redact_entry_at(r, 2)->line, 4);
    assert_string_equal(redact_entry_at(r, 2)->rule, "known-secret");
    assert_int_equal(redact_file_count(r, "app.log"), 3);
    free(out);
    redact_free(r);
}

/* Prose that names a key is not a value, and a word caught by the rule is
 * not searched for elsewhere (it would turn every "plugin" into a token). */
static void test_prose_not_values(void **state)
{
    (void)state;
    struct redact *r = redact_new_with_key(key1, 32);
    const char *text = "DB_PASSWORD: plugin daemon DB_PASSWORD differs from the api's\n"
                       "SECRET_KEY: api SECRET_KEY = worker SECRET_KEY (equal)\n"
                       "token:plugin\n"
                       "the plugin daemon restarts\n";
    redact_learn_text(r, text, strlen(text));
    size_t n = 0;
    char *out = redact_text(r, "report.md", text, strlen(text), &n);
    assert_non_null(strstr(out, "DB_PASSWORD: plugin daemon DB_PASSWORD differs"));
    assert_non_null(strstr(out, "SECRET_KEY: api SECRET_KEY"));
    assert_null(strstr(out, "token:plugin")); /* a pair: hidden where it stands */
    assert_non_null(strstr(out, "the plugin daemon restarts"));
    assert_int_equal(redact_entry_count(r), 1);
    free(out);
    redact_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),           cmocka_unit_test(test_names),
        cmocka_unit_test(test_secret_and_env),   cmocka_unit_test(test_urls_and_blobs),
        cmocka_unit_test(test_custom_resource),  cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_prose_not_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
