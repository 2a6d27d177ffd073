/* tests/unit/test_secret_mask.c: which values of a namespace's Secrets the
 * dashboard masks (core/secret_mask.h). The class: a value a pod may log
 * that the process was never told (no answers file): a password, a key, a
 * token, the password inside a URL, base64 in data or plain in stringData,
 * a PEM key line by line; and what must not be masked because it would
 * mask ordinary words: short values ("dify"), values of keys that are not
 * secret (DB_USERNAME, DB_HOST, a port), Secrets that are not
 * configuration (Helm releases, registry credentials). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/secret_mask.h"
#include "core/textsafe.h"
#include "core/util.h"

static cJSON *parse(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    return j;
}

static void shows(const char *line, const char *want)
{
    char *s = textsafe(line, 0, 0);
    if (strcmp(s, want) != 0)
        fail_msg("\"%s\" shown as \"%s\", not \"%s\"", line, s, want);
    free(s);
}

/* base64 of "S3cretDbPassw0rd", "dify", "postgres", "db.example.com",
 * "redis://:R3disPassXYZ@redis:6379/1", "5432" */
static const char list_json[] =
    "{\"kind\":\"SecretList\",\"items\":["
    "{\"metadata\":{\"name\":\"dify-secrets\"},\"type\":\"Opaque\",\"data\":{"
    "\"DB_PASSWORD\":\"UzNjcmV0RGJQYXNzdzByZA==\","
    "\"DB_USERNAME\":\"cG9zdGdyZXM=\","
    "\"DB_HOST\":\"ZGIuZXhhbXBsZS5jb20=\","
    "\"DB_PORT\":\"NTQzMg==\","
    "\"REDIS_PASSWORD_SHORT\":\"ZGlmeQ==\","
    "\"CELERY_BROKER_URL\":\"cmVkaXM6Ly86UjNkaXNQYXNzWFlaQHJlZGlzOjYzNzkvMQ==\"},"
    "\"stringData\":{\"SECRET_KEY\":\"sk-9f73s3ljTXVcMT3Blb3ljTqtsKiGHXVc\","
    "\"PLUGIN_DAEMON_KEY\":\"lYkiYYT6owG+71oLerGzA7GXCgOT++6ovaezWAjpCjf+Sjc3ZtU+qUEi\\n\","
    "\"S3_ENDPOINT\":\"https://s3.example.com\","
    "\"OTHER_URL\":\"postgresql://dify:p%40ss%2Fw0rd-long@db:5432/dify\","
    "\"tls.key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END "
    "PRIVATE KEY-----\\n\"}},"
    "{\"metadata\":{\"name\":\"sh.helm.release.v1.dify.v1\"},\"type\":\"helm.sh/release.v1\","
    "\"stringData\":{\"release\":\"H4sIAAAAAAAC-helm-release-password-lookalike\"}},"
    "{\"metadata\":{\"name\":\"regcred\"},\"type\":\"kubernetes.io/dockerconfigjson\","
    "\"stringData\":{\"token\":\"registry-token-1234567\"}}"
    "]}";

static void test_masked_and_shown(void **state)
{
    cJSON *list = parse(list_json);
    struct secret_mask_stats st = {0};
    secret_mask_add_list(list, &st);
    cJSON_Delete(list);
    /* masked: the secret keys' values, the URL passwords (as written and
     * decoded), the PEM key's line */
    shows("connecting to postgresql://postgres:S3cretDbPassw0rd@db.example.com:5432",
          "connecting to postgresql://postgres:***@db.example.com:5432");
    shows("broker redis://:R3disPassXYZ@redis:6379/1", "broker redis://:***@redis:6379/1");
    shows("SECRET_KEY=sk-9f73s3ljTXVcMT3Blb3ljTqtsKiGHXVc", "SECRET_KEY=***");
    shows("key lYkiYYT6owG+71oLerGzA7GXCgOT++6ovaezWAjpCjf+Sjc3ZtU+qUEi.",
          "key ***."); /* the trailing newline of the value dropped */
    shows("pw p%40ss%2Fw0rd-long or p@ss/w0rd-long", "pw *** or ***");
    shows("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "***");
    /* shown: not secrets, too short, not configuration */
    shows("user postgres on db.example.com:5432 via https://s3.example.com",
          "user postgres on db.example.com:5432 via https://s3.example.com");
    shows("dify dify dify: the dify api", "dify dify dify: the dify api");
    shows("-----BEGIN PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----");
    shows("H4sIAAAAAAAC-helm-release-password-lookalike registry-token-1234567",
          "H4sIAAAAAAAC-helm-release-password-lookalike registry-token-1234567");
    /* counted: one Secret read for values (the Helm release and the
     * registry credentials are not), the short one named, never its value */
    assert_int_equal(st.secrets, 1);
    assert_int_equal(st.too_short, 1);
    assert_string_equal(st.short_names, "dify-secrets/REDIS_PASSWORD_SHORT");
    assert_null(strstr(st.short_names, "dify "));
    assert_true(st.masked >= 6);
    log_clear_secrets();
}

/* Hostile Secrets: wrong types, bad base64, a NUL in a value, no name, no
 * data; nothing crashes, nothing is masked from them but what the rule
 * takes. */
static void test_hostile_secrets(void **state)
{
    cJSON *list =
        parse("{\"items\":[{\"data\":{\"PASSWORD\":\"!!!not base64\",\"TOKEN\":12,"
              "\"SECRET\":\"AAAAAAAAAAAAAA==\"}},{\"data\":[1,2]},{\"stringData\":\"x\"},7,"
              "{\"metadata\":{\"name\":7},\"stringData\":{\"API_KEY\":\"key-with-no-name-1\"}}]}");
    struct secret_mask_stats st = {0};
    secret_mask_add_list(list, &st);
    cJSON_Delete(list);
    shows("a key-with-no-name-1 b", "a *** b");
    shows("!!!not base64", "!!!not base64");
    log_clear_secrets();
    secret_mask_add_list(NULL, &st);
    secret_mask_add_secret(NULL, &st);
}

/* A password given as a plain env value, no Secret behind it: a
 * Deployment's template, its init container, a CronJob's job template;
 * the same rule (secret names, URL passwords, long enough, PEM lines);
 * valueFrom and other keys' values left alone. */
static void test_plain_env(void **state)
{
    cJSON *dep = parse(
        "{\"kind\":\"Deployment\",\"spec\":{\"template\":{\"spec\":{"
        "\"initContainers\":[{\"name\":\"init\",\"env\":["
        "{\"name\":\"API_TOKEN\",\"value\":\"tok-0123456789abcdef\"}]}],"
        "\"containers\":[{\"name\":\"api\",\"env\":["
        "{\"name\":\"DB_PASSWORD\",\"value\":\"PlainEnvPw-4711\"},"
        "{\"name\":\"DB_USERNAME\",\"value\":\"postgres-admin\"},"
        "{\"name\":\"REDIS_PASSWORD\",\"value\":\"dify\"},"
        "{\"name\":\"BROKER\",\"value\":\"redis://:UrlPw-98765@redis:6379/1\"},"
        "{\"name\":\"TLS_KEY\",\"value\":\"-----BEGIN KEY-----\\nQUJDREVGR0hJSktMTU5P\\n-----END "
        "KEY-----\"},"
        "{\"name\":\"SECRET_KEY\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\","
        "\"key\":\"k\"}}},"
        "{\"name\":\"PASSWORD_FILE\",\"value\":\"/run/secrets/db-password\"}]}]}}}}");
    struct secret_mask_stats st = {0};
    secret_mask_add_env(dep, "deployment/dify-api", &st);
    cJSON_Delete(dep);
    shows("DB_PASSWORD=PlainEnvPw-4711 token tok-0123456789abcdef", "DB_PASSWORD=*** token ***");
    shows("redis://:UrlPw-98765@redis", "redis://:***@redis");
    shows("QUJDREVGR0hJSktMTU5P", "***");
    shows("user postgres-admin, /run/secrets/db-password, dify",
          "user postgres-admin, /run/secrets/db-password, dify");
    assert_int_equal(st.too_short, 1);
    assert_string_equal(st.short_names, "deployment/dify-api/REDIS_PASSWORD");
    char note[300];
    secret_mask_short_note(&st, note, sizeof(note));
    assert_string_equal(note, "shown, not masked: deployment/dify-api/REDIS_PASSWORD (under 8 "
                              "characters: masking it would mask ordinary words)");
    log_clear_secrets();

    cJSON *cj = parse("{\"kind\":\"CronJob\",\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":"
                      "{\"spec\":{\"containers\":[{\"env\":[{\"name\":\"S3_SECRET_ACCESS_KEY\","
                      "\"value\":\"wJalrXUtnFEMI/K7MDENG\"}]}]}}}}}}");
    memset(&st, 0, sizeof(st));
    secret_mask_add_env(cj, "cronjob/backup", &st);
    cJSON_Delete(cj);
    shows("aws wJalrXUtnFEMI/K7MDENG", "aws ***");
    secret_mask_short_note(&st, note, sizeof(note));
    assert_string_equal(note, "");
    /* hostile shapes: nothing crashes */
    cJSON *bad = parse("{\"env\":[7,{\"name\":1,\"value\":\"x\"},{\"name\":\"TOKEN\"}],"
                       "\"a\":{\"env\":{\"name\":\"PASSWORD\",\"value\":\"not-a-list-value\"}}}");
    secret_mask_add_env(bad, "pod/x", &st);
    cJSON_Delete(bad);
    shows("not-a-list-value", "not-a-list-value");
    secret_mask_add_env(NULL, "pod/x", &st);
    log_clear_secrets();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masked_and_shown),
        cmocka_unit_test(test_hostile_secrets),
        cmocka_unit_test(test_plain_env),
    };
    return cmocka_run_group_tests_name("secret_mask", tests, NULL, NULL);
}
