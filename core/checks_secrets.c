/* core/checks_secrets.c: area 3, secrets: none in a ConfigMap (seed 002:
 * SECRET_KEY, passwords and keys belong in Secrets); the values that must
 * be equal in several components are (compared by SHA-256, never shown);
 * the cluster's secrets are the answers' secrets. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/hash.h"
#include "core/kube_json.h"
#include "core/profile.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"

/* ---- DT-301 no secret in a ConfigMap ---- */

/* An environment name that holds a secret: SECRET_KEY, *PASSWORD*, *TOKEN*,
 * *API_KEY*, *ACCESS_KEY*, *SECRET*, SERVER_KEY and the inner API keys.
 * Names that only point at a secret (..._SECRET_NAME, ..._KEY_ID is not
 * one: an access key id is half a credential) are not. */
static bool secret_name(const char *name)
{
    char up[128];
    size_t i;
    for (i = 0; name[i] && i < sizeof(up) - 1; i++)
        up[i] = (char)toupper((unsigned char)name[i]);
    up[i] = '\0';
    static const char *const exact[] = {"SECRET_KEY", "SERVER_KEY", "API_KEY", "DIFY_INNER_API_KEY",
                                        "PLUGIN_DAEMON_KEY"};
    for (size_t k = 0; k < ARRAY_LEN(exact); k++)
        if (!strcmp(up, exact[k]))
            return true;
    static const char *const parts[] = {"PASSWORD",    "PASSWD",        "TOKEN",
                                        "API_KEY",     "ACCESS_KEY",    "SECRET",
                                        "PRIVATE_KEY", "INNER_API_KEY", "CREDENTIAL"};
    if (str_ends_with(up, "_NAME") || str_ends_with(up, "_REF") || str_ends_with(up, "_FILE") ||
        str_ends_with(up, "_ENABLED") || str_ends_with(up, "_TYPE"))
        return false;
    for (size_t k = 0; k < ARRAY_LEN(parts); k++)
        if (strstr(up, parts[k]))
            return true;
    return false;
}

/* A URL or DSN with a password in it: "scheme://user:pass@host". */
static bool url_with_password(const char *v)
{
    const char *s = strstr(v, "://");
    if (!s)
        return false;
    const char *at = strchr(s + 3, '@');
    const char *slash = strchr(s + 3, '/');
    if (!at || (slash && slash < at))
        return false;
    const char *colon = memchr(s + 3, ':', (size_t)(at - s - 3));
    return colon && colon + 1 < at && !(colon[1] == '*' && colon[2] == '*');
}

static void in_configmaps_start(struct check *c)
{
    int bad = 0, objs = 0;
    char first_cm[256] = "";
    const cJSON *cm;
    cJSON_ArrayForEach(cm, check_fact(c, FACT_CONFIGMAPS))
    {
        const char *name = kj_str(cm, "metadata.name");
        struct strbuf keys;
        strbuf_init(&keys);
        const cJSON *kv;
        cJSON_ArrayForEach(kv, kj_get(cm, "data"))
        {
            if (!cJSON_IsString(kv) || !kv->valuestring[0])
                continue;
            if (secret_name(kv->string) || url_with_password(kv->valuestring)) {
                strbuf_addf(&keys, "%s%s", keys.len ? ", " : "", kv->string);
                bad++;
            }
        }
        if (keys.len) {
            check_evidence(c, "ConfigMap %s: %s", name, keys.buf);
            if (!objs++)
                snprintf(first_cm, sizeof(first_cm), "%s", name);
        }
        strbuf_done(&keys);
    }
    check_more(c, DOC "dt-301");
    if (!bad) {
        check_ok(c, "no ConfigMap holds a secret");
        return;
    }
    check_explain(c, "ConfigMaps are readable by anyone who may read the namespace's "
                     "configuration, are printed by `kubectl describe`, and end up in support "
                     "bundles and GitOps repositories in clear text. SECRET_KEY, passwords, keys "
                     "and URLs with credentials belong in a Secret, referenced with "
                     "secretKeyRef or envFrom.secretRef (seed 002).");
    check_try(c, "%s get configmap %s -o yaml   # move these keys into a Secret", check_kubectl(c),
              first_cm);
    check_fail(c, "%d secret values in %d ConfigMaps", bad, objs);
}

/* ---- DT-302 values that must match across components ---- */

struct side {
    enum dify_comp comp;
    const char *var;
    const char *def; /* the value when unset (the component's default), or NULL */
};

struct pair_rule {
    const char *what; /* "the plugin daemon key" */
    struct side a, b;
    const char *why;
};

/* A side left unset gets the component's default: the api's from dify
 * api/configs/feature/__init__.py (PLUGIN_DAEMON_KEY "plugin-api-key",
 * INNER_API_KEY_FOR_PLUGIN "inner-api-key", CODE_EXECUTION_API_KEY
 * "dify-sandbox"), the sandbox's API_KEY "dify-sandbox" (dify-sandbox
 * conf); the daemon has none (SERVER_KEY and DIFY_INNER_API_KEY are
 * required, plugin-daemon internal/types/app/config.go). */
static const struct pair_rule pair_rules[] = {
    {"the plugin daemon key",
     {DIFY_COMP_API, "PLUGIN_DAEMON_KEY", "plugin-api-key"},
     {DIFY_COMP_PLUGIN_DAEMON, "SERVER_KEY", NULL},
     "The api calls the daemon with PLUGIN_DAEMON_KEY; the daemon answers only a caller "
     "with its SERVER_KEY (401/403, \"Failed to request plugin daemon\", langgenius/dify#28241)."},
    {"the inner API key",
     {DIFY_COMP_API, "INNER_API_KEY_FOR_PLUGIN", "inner-api-key"},
     {DIFY_COMP_PLUGIN_DAEMON, "DIFY_INNER_API_KEY", NULL},
     "Plugins call back into the api through the daemon with DIFY_INNER_API_KEY; the api "
     "accepts only its INNER_API_KEY_FOR_PLUGIN: tools and models of plugins fail."},
    {"the sandbox key",
     {DIFY_COMP_API, "CODE_EXECUTION_API_KEY", "dify-sandbox"},
     {DIFY_COMP_SANDBOX, "API_KEY", "dify-sandbox"},
     "The api runs code nodes in the sandbox with CODE_EXECUTION_API_KEY; the sandbox answers "
     "401 to any other key: every code node fails."},
    {"SECRET_KEY",
     {DIFY_COMP_API, "SECRET_KEY", NULL},
     {DIFY_COMP_WORKER, "SECRET_KEY", NULL},
     "The api and the worker sign and verify the same tokens and encrypt the same stored "
     "credentials with SECRET_KEY: with two keys, what one wrote the other cannot read."},
    {"SECRET_KEY",
     {DIFY_COMP_API, "SECRET_KEY", NULL},
     {DIFY_COMP_BEAT, "SECRET_KEY", NULL},
     "The api and beat's scheduled tasks share SECRET_KEY."},
};

/* Where a component's environment was read, for the evidence. */
static void side_desc(const struct app_env *e, const char *var, char *buf, size_t n)
{
    const struct env_var *v = app_env_find(e, var);
    snprintf(buf, n, "%s", v ? v->source : "not set");
}

static void hash_of(const char *v, char out[HASH_HEX_LEN + 1])
{
    hash_sha256_hex(v, strlen(v), out);
}

struct envs {
    bool have[DIFY_COMP_COUNT];
    struct app_env env[DIFY_COMP_COUNT];
    char name[DIFY_COMP_COUNT][256];
};

static struct app_env *env_of(struct check *c, struct envs *es, enum dify_comp comp)
{
    if (!es->have[comp]) {
        struct workload_ref w;
        if (!checks_app_find(c, comp, &w))
            return NULL;
        checks_env_resolve(c, w.tpl, comp, &es->env[comp]);
        snprintf(es->name[comp], sizeof(es->name[comp]), "%s/%s", w.kind, w.name);
        es->have[comp] = true;
    }
    return &es->env[comp];
}

static void envs_done(struct envs *es)
{
    for (int i = 0; i < DIFY_COMP_COUNT; i++)
        if (es->have[i])
            app_env_done(&es->env[i]);
}

/* Compares one rule; returns 1 when the values differ, 0 when equal, -1
 * when it could not be judged (a side missing). */
static int compare_rule(struct check *c, struct envs *es, const struct pair_rule *r,
                        const char **why)
{
    struct app_env *ea = env_of(c, es, r->a.comp), *eb = env_of(c, es, r->b.comp);
    if (!ea || !eb)
        return -1;
    const char *va = app_env_get(ea, r->a.var), *vb = app_env_get(eb, r->b.var);
    if (!va)
        va = r->a.def;
    if (!vb)
        vb = r->b.def;
    const char *ta = dify_comp_desc(r->a.comp)->title, *tb = dify_comp_desc(r->b.comp)->title;
    if (!va || !vb) {
        check_evidence(c, "%s: %s %s is %s, %s %s is %s", r->what, ta, r->a.var,
                       va ? "set" : "not set", tb, r->b.var, vb ? "set" : "not set");
        *why = r->why;
        return 1;
    }
    char ha[HASH_HEX_LEN + 1], hb[HASH_HEX_LEN + 1];
    hash_of(va, ha);
    hash_of(vb, hb);
    char da[200], db[200];
    side_desc(ea, r->a.var, da, sizeof(da));
    side_desc(eb, r->b.var, db, sizeof(db));
    if (strcmp(ha, hb) == 0) {
        check_evidence(c, "%s: %s %s = %s %s (equal)", r->what, ta, r->a.var, tb, r->b.var);
        return 0;
    }
    check_evidence(c, "%s: %s %s (%s) differs from %s %s (%s)", r->what, ta, r->a.var, da, tb,
                   r->b.var, db);
    *why = r->why;
    return 1;
}

/* A store's password must be the same in every component that logs in as
 * the same user to the same server: a stale copy in one (the demo's plugin
 * daemon) fails there alone. */
static int compare_login(struct check *c, struct envs *es, const char *host_var,
                         const char *user_var, const char *pw_var, const char *what,
                         const char **why)
{
    static const enum dify_comp comps[] = {DIFY_COMP_API, DIFY_COMP_WORKER, DIFY_COMP_BEAT,
                                           DIFY_COMP_PLUGIN_DAEMON};
    int diffs = 0;
    struct app_env *base = env_of(c, es, DIFY_COMP_API);
    if (!base || !app_env_get(base, pw_var))
        return 0;
    char hb[HASH_HEX_LEN + 1];
    hash_of(app_env_get(base, pw_var), hb);
    for (size_t i = 1; i < ARRAY_LEN(comps); i++) {
        struct app_env *e = env_of(c, es, comps[i]);
        const char *pw = e ? app_env_get(e, pw_var) : NULL;
        if (!pw || !str_eq(app_env_get(e, host_var), app_env_get(base, host_var)) ||
            (user_var && !str_eq(app_env_get(e, user_var), app_env_get(base, user_var))))
            continue;
        char h[HASH_HEX_LEN + 1];
        hash_of(pw, h);
        char da[200], db[200];
        side_desc(base, pw_var, da, sizeof(da));
        side_desc(e, pw_var, db, sizeof(db));
        if (strcmp(h, hb) != 0) {
            check_evidence(c, "%s: %s %s (%s) differs from the api's (%s), same %s%s%s", what,
                           dify_comp_desc(comps[i])->title, pw_var, db, da, host_var,
                           user_var ? " and " : "", user_var ? user_var : "");
            diffs++;
        }
    }
    if (diffs)
        *why = "Components that log in to the same server as the same user must give the same "
               "password: the one with a stale copy is refused (28P01, WRONGPASS) while the "
               "others work.";
    return diffs;
}

static void match_start(struct check *c)
{
    struct envs *es = xcalloc(1, sizeof(*es));
    int diffs = 0, judged = 0;
    const char *why = NULL;
    for (size_t i = 0; i < ARRAY_LEN(pair_rules); i++) {
        int r = compare_rule(c, es, &pair_rules[i], &why);
        if (r >= 0)
            judged++;
        if (r > 0)
            diffs++;
    }
    diffs += compare_login(c, es, "DB_HOST", "DB_USERNAME", "DB_PASSWORD", "DB_PASSWORD", &why);
    diffs += compare_login(c, es, "REDIS_HOST", NULL, "REDIS_PASSWORD", "REDIS_PASSWORD", &why);
    struct app_env *api = env_of(c, es, DIFY_COMP_API);
    bool no_secret_key = api && str_empty(app_env_get(api, "SECRET_KEY"));
    /* the workloads that need it, by their names: the command runs as it is
     * (it said "deployment/API --from=secret/SECRET", names nobody has) */
    char targets[600] = "";
    if (no_secret_key) {
        static const enum dify_comp need[] = {DIFY_COMP_API, DIFY_COMP_WORKER, DIFY_COMP_BEAT};
        for (size_t i = 0; i < ARRAY_LEN(need); i++) {
            struct app_env *e = env_of(c, es, need[i]);
            if (e && str_empty(app_env_get(e, "SECRET_KEY")))
                snprintf(targets + strlen(targets), sizeof(targets) - strlen(targets), " %s",
                         es->name[need[i]]);
        }
    }
    envs_done(es);
    free(es);
    check_more(c, DOC "dt-302");
    if (no_secret_key) {
        check_explain(c, "The api has no SECRET_KEY: sessions, signed file URLs and the "
                         "encrypted provider credentials use it. The api, worker and beat "
                         "must share one (Dify's docs make it with openssl rand -base64 42).");
        check_try(c,
                  "%s create secret generic dify-secret-key "
                  "--from-literal=SECRET_KEY=\"$(openssl rand -base64 42)\" && "
                  "%s set env%s --from=secret/dify-secret-key --keys=SECRET_KEY",
                  check_kubectl(c), check_kubectl(c), targets);
        check_fail(c, "the api has no SECRET_KEY");
        return;
    }
    if (diffs) {
        check_explain(c, "%s The values are compared by their SHA-256 digests; none is shown.",
                      why);
        check_try(c, "%s get secret   # make both sides the same value, then rollout restart",
                  check_kubectl(c));
        check_fail(c, "%d value%s that must match differ%s", diffs, diffs == 1 ? "" : "s",
                   diffs == 1 ? "s" : "");
        return;
    }
    if (!judged) {
        check_skip(c, "the api and the components it talks to were not found");
        return;
    }
    check_ok(c, "the %d shared values match", judged);
}

/* ---- DT-303 the cluster's secrets are the answers' ---- */

static void drift_start(struct check *c)
{
    const struct check_env *e = check_env(c);
    if (!e->profile || !e->secrets) {
        check_skip(c, "no answers file to compare with (--answers FILE)");
        return;
    }
    struct workload_ref w;
    if (!checks_app_find(c, DIFY_COMP_API, &w)) {
        check_skip(c, "no api workload found");
        return;
    }
    struct app_env api;
    checks_env_resolve(c, w.tpl, DIFY_COMP_API, &api);
    const struct {
        const char *var, *value, *key;
    } pairs[] = {
        {"SECRET_KEY", e->secrets->secret_key, "secret_key"},
        {"DB_PASSWORD", e->secrets->db_password, "db_password"},
        {"REDIS_PASSWORD", e->secrets->redis_password, "redis_password"},
        {"PLUGIN_DAEMON_KEY", e->secrets->plugin_daemon_key, "plugin_daemon_key"},
        {"INNER_API_KEY_FOR_PLUGIN", e->secrets->inner_api_key, "inner_api_key"},
        {"CODE_EXECUTION_API_KEY", e->secrets->sandbox_key, "sandbox_key"},
    };
    int drift = 0, same = 0;
    for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
        const char *cv = app_env_get(&api, pairs[i].var);
        if (str_empty(cv) || str_empty(pairs[i].value))
            continue;
        char ha[HASH_HEX_LEN + 1], hb[HASH_HEX_LEN + 1];
        hash_of(cv, ha);
        hash_of(pairs[i].value, hb);
        if (strcmp(ha, hb) != 0) {
            check_evidence(c, "the api's %s differs from the secrets file's %s", pairs[i].var,
                           pairs[i].key);
            drift++;
        } else {
            same++;
        }
    }
    app_env_done(&api);
    check_more(c, DOC "dt-303");
    if (drift) {
        check_explain(c, "The cluster runs with other values than the secrets file beside the "
                         "answers: the next render and apply replaces them. A new SECRET_KEY "
                         "ends every session and makes stored provider credentials unreadable; "
                         "a new database password is refused by a server that kept its volume.");
        check_try(c,
                  "dify-tui validate --answers %s --secrets SECRETS   # then decide which side "
                  "is right",
                  e->answers_path ? e->answers_path : "ANSWERS");
        check_warn(c, "%d secrets in the cluster differ from the secrets file", drift);
        return;
    }
    if (!same) {
        check_skip(c, "no secret to compare");
        return;
    }
    check_ok(c, "%d secrets in the cluster are the secrets file's", same);
}

const struct check_def checks_secrets[] = {
    {"DT-301", AREA_SECRETS, "No secret is kept in a ConfigMap", NEED(FACT_CONFIGMAPS),
     in_configmaps_start, NULL, 0, 0},
    {"DT-302", AREA_SECRETS, "Values shared by components match", NEED_APP, match_start, NULL, 0,
     0},
    {"DT-303", AREA_SECRETS, "The cluster's secrets are the answers' secrets", NEED_APP,
     drift_start, NULL, 0, 0},
};
const size_t checks_secrets_n = ARRAY_LEN(checks_secrets);
