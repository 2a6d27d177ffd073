/* screens/diagnose_setup.c: arguments, files and client for diagnose (see
 * diagnose_setup.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/problems.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/diagnose_setup.h"

bool diagnose_hostport(const char *s, char **host, int *port)
{
    const char *colon;
    size_t hl;
    const char *h = s;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return false;
        h = s + 1;
        hl = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return false;
        hl = (size_t)(colon - s);
    }
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (hl == 0 || *end || end == colon + 1 || p < 1 || p > 65535)
        return false;
    *host = xstrndup(h, hl);
    *port = (int)p;
    return true;
}

static int bad(const char *usage, const char *what, const char *arg)
{
    fprintf(stderr, "dify-tui diagnose: %s%s\n%s", what, arg ? arg : "", usage);
    return EXIT_BADINPUT;
}

static void add_only(struct diagnose_setup *s, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        s->only = xrealloc(s->only, (s->nonly + 1) * sizeof(char *));
        s->only[s->nonly++] = xstrdup(t);
    }
    free(copy);
}

static int load_answers(struct diagnose_setup *s)
{
    struct problems probs;
    struct error err;
    problems_init(&probs);
    error_clear(&err);
    int rc = answers_load(s->answers, &s->profile, &probs, &err);
    if (rc == 0) {
        bool in_state = false;
        char *sp = secrets_path_default(s->answers, &in_state);
        rc = secrets_load(sp, &s->secrets, &probs, &err);
        free(sp);
    }
    for (size_t i = 0; rc < 0 && i < probs.n; i++) {
        char *line = problem_format(&probs.v[i]);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    if (rc < 0)
        fprintf(stderr, "dify-tui diagnose: %s\n", err.msg);
    problems_done(&probs);
    s->have_profile = rc == 0;
    return rc;
}

static int parse_args(struct diagnose_setup *s, int argc, char **argv, const char *usage,
                      bool *json, bool *print, bool *verbose, const char **fp)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (!strcmp(a, "--json"))
            *json = true;
        else if (!strcmp(a, "--print"))
            *print = true;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            *verbose = true;
        else if ((v = cmd_opt_value(argc, argv, &i, "--answers", &missing))) {
            if (!cmd_path_ok("diagnose", "--answers", v))
                return EXIT_BADINPUT;
            str_replace(&s->answers, v);
        } else if ((v = cmd_opt_value(argc, argv, &i, "--only", &missing))) {
            add_only(s, v);
            while (i + 1 < argc && argv[i + 1][0] != '-')
                add_only(s, argv[++i]);
        } else if ((v = cmd_opt_value(argc, argv, &i, "--db", &missing))) {
            if (!diagnose_hostport(v, &s->db_host, &s->env.db_reach_port))
                return bad(usage, "--db: not HOST:PORT: ", v);
        } else if ((v = cmd_opt_value(argc, argv, &i, "--redis", &missing))) {
            if (!diagnose_hostport(v, &s->redis_host, &s->env.redis_reach_port))
                return bad(usage, "--redis: not HOST:PORT: ", v);
        } else if ((v = cmd_opt_value(argc, argv, &i, "--timeout", &missing))) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 1 || t > 3600)
                return bad(usage, "--timeout: not a number of seconds (1-3600): ", v);
            s->env.timeout_ms = t * 1000;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--known-hosts", &missing))) {
            if (!cmd_path_ok("diagnose", "--known-hosts", v))
                return EXIT_BADINPUT;
            s->env.known_hosts = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--accept-host-key", &missing))) {
            if (!str_starts_with(v, "SHA256:"))
                return bad(usage, "--accept-host-key: not a SHA256:... fingerprint: ", v);
            *fp = v;
        } else if ((v = cmd_opt_value(argc, argv, &i, "--release", &missing))) {
            str_replace(&s->release, v);
        } else if (missing) {
            return bad(usage, "a value is needed after ", a);
        } else {
            return bad(usage, "unknown argument ", a);
        }
    }
    return EXIT_OK;
}

int diagnose_setup_parse(struct diagnose_setup *s, int argc, char **argv,
                         const struct global_opts *g, const char *usage, bool *json, bool *print,
                         bool *verbose)
{
    memset(s, 0, sizeof(*s));
    secrets_init(&s->secrets);
    const char *fp = NULL;
    int rc = parse_args(s, argc, argv, usage, json, print, verbose, &fp);
    if (rc != EXIT_OK || (s->answers && load_answers(s) < 0)) {
        diagnose_setup_done(s);
        return EXIT_BADINPUT;
    }
    if (*json && *print) {
        diagnose_setup_done(s);
        return bad(usage, "--json and --print: choose one", NULL);
    }
    const struct profile *p = s->have_profile ? &s->profile : NULL;
    s->ns = xstrdup(g->ns ? g->ns : (p && !str_empty(p->namespace) ? p->namespace : ""));
    s->ns_given = s->ns[0] != '\0';
    s->kubeconfig = g->kubeconfig;
    s->context = g->context;
    if (!s->release)
        s->release = xstrdup(p && !str_empty(p->release) ? p->release : "dify");
    s->env.ns = s->ns;
    s->env.release = s->release;
    s->env.profile = p;
    s->env.secrets = s->have_profile ? &s->secrets : NULL;
    s->env.answers_path = s->answers;
    s->env.db_reach_host = s->db_host;
    s->env.redis_reach_host = s->redis_host;
    s->env.accept_fingerprint = fp;
    return EXIT_OK;
}

void diagnose_setup_connect(struct diagnose_setup *s, struct loop *l)
{
    const struct profile *p = s->have_profile ? &s->profile : NULL;
    if (!l) {
        l = s->own_loop = loop_new();
    }
    s->env.loop = l;
    struct kube_config *cfg = NULL;
    struct error err;
    error_clear(&err);
    const char *kc = s->kubeconfig;
    if (!kc && p && !str_empty(p->cluster.kubeconfig))
        kc = p->cluster.kubeconfig;
    const char *ctx = s->context;
    if (!ctx && p && !str_empty(p->cluster.context))
        ctx = p->cluster.context;
    if (kubeconfig_load_env(kc, ctx, s->ns_given ? s->ns : NULL, &cfg, &err) < 0) {
        s->kube_error = xstrdup(err.msg);
    } else {
        if (!s->ns_given && !s->ns[0])
            str_replace(&s->ns, cfg->ns);
        s->kube_desc = xasprintf("%s, context %s", cfg->context_file, cfg->context);
        s->env.kube = kube_client_new(l, cfg);
        struct kube_client_limits lim = {.connect_timeout_ms = 10000, .timeout_ms = 20000};
        kube_client_set_limits(s->env.kube, &lim);
    }
    if (!s->ns[0])
        str_replace(&s->ns, "default");
    s->env.kube_error = s->kube_error;
    s->env.kubeconfig_desc = s->kube_desc;
    s->env.ns = s->ns;
}

void diagnose_setup_done(struct diagnose_setup *s)
{
    kube_client_free(s->env.kube);
    s->env.kube = NULL;
    if (s->own_loop)
        loop_free(s->own_loop);
    s->own_loop = NULL;
    s->env.loop = NULL;
    if (s->have_profile)
        profile_done(&s->profile);
    s->have_profile = false;
    secrets_done(&s->secrets);
    for (size_t i = 0; i < s->nonly; i++)
        free(s->only[i]);
    free(s->only);
    s->only = NULL;
    s->nonly = 0;
    free(s->answers);
    free(s->kube_error);
    free(s->kube_desc);
    free(s->ns);
    free(s->release);
    free(s->db_host);
    free(s->redis_host);
    s->answers = s->kube_error = s->kube_desc = s->ns = s->release = NULL;
    s->db_host = s->redis_host = NULL;
}
