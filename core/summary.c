/* core/summary.c: the Review page's summary (see summary.h). Every URL and
 * file name comes from the renderer itself (render_util's URL builders, a
 * rendering in memory), so the summary says what will be written, not what
 * a second description of it believes. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_util.h"
#include "core/rules.h"
#include "core/summary.h"
#include "core/util.h"

static void add(struct summary *sm, enum summary_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(struct summary *sm, enum summary_role role, const char *fmt, ...)
{
    sm->v = xrealloc(sm->v, (sm->n + 1) * sizeof(*sm->v));
    va_list ap;
    va_start(ap, fmt);
    sm->v[sm->n].text = xvasprintf(fmt, ap);
    va_end(ap);
    sm->v[sm->n].role = role;
    sm->n++;
}

void summary_done(struct summary *sm)
{
    for (size_t i = 0; i < sm->n; i++)
        free(sm->v[i].text);
    free(sm->v);
    sm->v = NULL;
    sm->n = 0;
}

static const char *or_dash(const char *s)
{
    return str_empty(s) ? "-" : s;
}

static void install(const struct profile *p, struct summary *sm)
{
    bool eks = p->target == TARGET_EKS;
    add(sm, SUM_TEXT, "%s edition, %s size, on %s", edition_names[p->edition], size_names[p->size],
        eks ? "a new EKS cluster made by Terraform" : "an existing cluster");
    if (p->method == METHOD_HELM)
        add(sm, SUM_TEXT, "Helm chart %s %s from %s, release %s in namespace %s", p->helm.chart,
            p->helm.version,
            chart_ref_is_local(p->helm.chart) ? "disk (no repository)" : p->helm.repo_url,
            p->release, p->namespace);
    else
        add(sm, SUM_TEXT, "Built-in manifests, name prefix %s, namespace %s", p->release,
            p->namespace);
    add(sm, SUM_TEXT, "Dify %s", p->image_tag);
    if (eks)
        add(sm, SUM_TEXT, "Cluster %s in %s: Kubernetes %s, %d x %s (%d to %d)",
            p->aws.cluster_name, p->aws.region, p->aws.k8s_version, p->aws.node_count,
            p->aws.node_type, p->aws.node_min, p->aws.node_max);
    else
        add(sm, SUM_TEXT, "Cluster: kubeconfig %s, context %s",
            str_empty(p->cluster.kubeconfig) ? "$KUBECONFIG or ~/.kube/config"
                                             : p->cluster.kubeconfig,
            str_empty(p->cluster.context) ? "(its current one)" : p->cluster.context);
}

static void urls(const struct profile *p, struct summary *sm)
{
    char *web = ru_web_url(p), *api = ru_api_url(p);
    add(sm, SUM_HEADING, "Addresses (as rendered)");
    add(sm, SUM_TEXT, "Console  %s", web);
    if (strcmp(web, api) != 0)
        add(sm, SUM_TEXT, "API      %s", api);
    else
        add(sm, SUM_TEXT, "API      %s (the same host: /api, /console/api, /v1, /files)", api);
    if (p->edition == EDITION_ENTERPRISE) {
        char *ee = ru_enterprise_host(p);
        add(sm, SUM_TEXT, "Enterprise dashboard  %s://%s", ru_tls(p) ? "https" : "http", ee);
        free(ee);
    }
    const char *cls =
        str_empty(p->cluster.ingress_class) ? "the default" : p->cluster.ingress_class;
    if (!ru_tls(p))
        add(sm, SUM_WARN, "No TLS: plain http through %s ingress class", cls);
    else if (str_eq(p->cluster.ingress_class, "alb"))
        add(sm, SUM_TEXT, "TLS at the ALB with ACM certificate %s", p->domains.acm_certificate_arn);
    else
        add(sm, SUM_TEXT, "TLS with the Secret %s through %s ingress class", p->domains.tls_secret,
            cls);
    free(web);
    free(api);
}

static const char *auth_text(const struct profile *p, enum store_auth a, const char *pw)
{
    if (p->target == TARGET_EKS)
        return str_empty(pw) ? "password generated" : "password given";
    if (a == AUTH_NONE)
        return "no password";
    return str_empty(pw) ? "password NEEDED" : "password given";
}

static void stores(const struct profile *p, const struct secrets *s, struct summary *sm)
{
    bool eks = p->target == TARGET_EKS;
    add(sm, SUM_HEADING, "Data stores");
    if (eks)
        add(sm, SUM_TEXT,
            "PostgreSQL: Aurora Serverless v2 %s (Terraform), %g-%g ACU x %d; databases %s and "
            "%s, user %s, %s",
            p->db.engine_version, p->db.acu_min, p->db.acu_max, p->db.instances, p->db.name,
            p->db.plugin_db, p->db.user, auth_text(p, p->db.auth, s ? s->db_password : NULL));
    else
        add(sm, SUM_TEXT, "PostgreSQL: %s:%d (sslmode %s); databases %s and %s, user %s, %s",
            or_dash(p->db.host), p->db.port, p->db.sslmode, p->db.name, p->db.plugin_db, p->db.user,
            auth_text(p, p->db.auth, s ? s->db_password : NULL));
    if (eks)
        add(sm, SUM_TEXT, "Redis: ElastiCache %s %s (Terraform), TLS, AUTH token %s",
            p->redis.engine_version, p->redis.node_type,
            s && !str_empty(s->redis_password) ? "given" : "generated");
    else
        add(sm, SUM_TEXT, "Redis: %s:%d, %s, %s", or_dash(p->redis.host), p->redis.port,
            p->redis.tls ? "TLS" : "no TLS",
            auth_text(p, p->redis.auth, s ? s->redis_password : NULL));
    const char *kind = vector_names[p->vector.kind];
    if (p->vector.kind == VECTOR_PGVECTOR && str_empty(p->vector.host))
        add(sm, SUM_TEXT, "Vectors: pgvector in the PostgreSQL above");
    else if (eks && p->vector.kind == VECTOR_OPENSEARCH)
        add(sm, SUM_TEXT, "Vectors: OpenSearch %s, %d x %s (Terraform)", p->vector.engine_version,
            p->vector.instance_count, p->vector.instance_type);
    else if (p->vector.kind == VECTOR_OPENSEARCH)
        add(sm, SUM_TEXT, "Vectors: OpenSearch at %s:%d", or_dash(p->vector.host), p->vector.port);
    else {
        char *url = ru_vector_url(p);
        add(sm, SUM_TEXT, "Vectors: %s at %s", kind, url);
        free(url);
    }
}

static void storage(const struct profile *p, struct summary *sm)
{
    if (p->storage.kind == STORAGE_S3) {
        const char *bucket = ru_bucket(p);
        add(sm, SUM_TEXT, "Files: S3 bucket %s%s%s, %s", bucket,
            str_empty(p->storage.endpoint) ? " in " : " at ",
            str_empty(p->storage.endpoint) ? p->storage.region : p->storage.endpoint,
            p->storage.auth == S3_AUTH_IRSA ? "through the pods' IAM role (IRSA)"
                                            : "with access keys");
    } else {
        add(sm, SUM_TEXT, "Files: a volume from %s%s",
            str_empty(p->cluster.rwx_storage_class) ? "the ReadWriteOnce class "
                                                    : "the ReadWriteMany class ",
            !str_empty(p->cluster.rwx_storage_class) ? p->cluster.rwx_storage_class
            : str_empty(p->cluster.storage_class)    ? "(the cluster's default)"
                                                     : p->cluster.storage_class);
    }
}

static void workloads(const struct profile *p, struct summary *sm)
{
    add(sm, SUM_HEADING, "Workloads");
    struct strbuf sb;
    strbuf_init(&sb);
    for (int c = 0; c < COMP__COUNT; c++)
        strbuf_addf(&sb, "%s%s %d", c ? ", " : "", ru_component_label[c], p->comp[c].replicas);
    add(sm, SUM_TEXT, "Replicas: %s", sb.buf);
    strbuf_done(&sb);
    add(sm, SUM_TEXT, "api requests %s CPU / %s memory, limits %s / %s",
        p->comp[COMP_API].res.cpu_request, p->comp[COMP_API].res.mem_request,
        p->comp[COMP_API].res.cpu_limit, p->comp[COMP_API].res.mem_limit);
    static const char *const migration[] = {"a Job runs flask db upgrade before the api starts",
                                            "the api migrates as it starts",
                                            "none: you run the migration"};
    add(sm, SUM_TEXT, "Migration: %s", migration[p->migration.mode]);
    add(sm, SUM_TEXT, "Rollout: maxSurge %s, maxUnavailable %s, readiness after %d s",
        p->rollout.max_surge, p->rollout.max_unavailable, p->rollout.readiness_delay);
    if (p->n_extra_files == 0) {
        add(sm, SUM_TEXT, "Extra files: none");
        return;
    }
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        add(sm, SUM_TEXT, "Extra file %s -> %s in %s%s%s (ConfigMap %s, key %s)",
            or_dash(x->source), or_dash(x->mount_path), x->api ? "api" : "",
            x->api && x->worker ? " and " : "", x->worker ? "worker" : "", or_dash(x->configmap),
            or_dash(x->key));
    }
}

/* Which secrets are given, generated on writing, or still needed; never
 * their values. */
static void secrets_lines(const struct profile *p, const struct secrets *s, struct summary *sm)
{
    struct strbuf given, gen, need;
    strbuf_init(&given);
    strbuf_init(&gen);
    strbuf_init(&need);
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        if (!secret_applies(p, d))
            continue;
        const char *v = s ? *secrets_field_ptr((struct secrets *)s, d) : NULL;
        struct strbuf *b = !str_empty(v)            ? &given
                           : secret_generated(p, d) ? &gen
                           : secret_needed(p, d)    ? &need
                                                    : NULL;
        if (b)
            strbuf_addf(b, "%s%s", b->len ? ", " : "", d->key);
    }
    add(sm, SUM_HEADING, "Secrets (values never shown)");
    if (gen.len)
        add(sm, SUM_TEXT, "Generated when the files are written: %s", gen.buf);
    if (given.len)
        add(sm, SUM_TEXT, "Given: %s", given.buf);
    if (need.len)
        add(sm, SUM_WARN, "Needed, only you have them: %s", need.buf);
    strbuf_done(&given);
    strbuf_done(&gen);
    strbuf_done(&need);
}

/* A copy of s with a stand-in for every empty secret: enough to learn the
 * file names a rendering writes without generating anything. The stand-in
 * (43 'A's) is valid for every secret's shape, the enterprise password key's
 * 32 bytes of base64url included. */
static void secrets_standin(const struct secrets *s, struct secrets *out)
{
    secrets_init(out);
    for (size_t i = 0; i < secret_nfields; i++) {
        const char *v = s ? *secrets_field_ptr((struct secrets *)s, &secret_fields[i]) : NULL;
        *secrets_field_ptr(out, &secret_fields[i]) =
            xstrdup(str_empty(v) ? "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" : v);
    }
}

static bool exists(const char *path)
{
    return path && access(path, F_OK) == 0;
}

static void files(const struct profile *p, const struct secrets *s,
                  const struct summary_paths *paths, struct summary *sm)
{
    add(sm, SUM_HEADING, "Files written");
    if (paths->answers)
        add(sm, exists(paths->answers) ? SUM_WARN : SUM_DIM, "%s%s", paths->answers,
            exists(paths->answers) ? " (replaces the file there)" : "");
    if (paths->secrets)
        add(sm, exists(paths->secrets) ? SUM_WARN : SUM_DIM, "%s, mode 0600%s", paths->secrets,
            exists(paths->secrets) ? " (rewritten: the secrets it holds are kept)" : "");
    if (!paths->out_dir)
        return;
    struct secrets standin;
    struct rendered r = {0};
    struct error err;
    error_clear(&err);
    secrets_standin(s, &standin);
    if (render_profile(p, &standin, &r, &err) < 0) {
        add(sm, SUM_DIM, "%s/ (the files are listed once the errors below are fixed)",
            paths->out_dir);
    } else {
        struct strbuf replaced;
        strbuf_init(&replaced);
        size_t nrep = 0;
        for (size_t i = 0; i < r.n; i++) {
            char *f = path_join(paths->out_dir, r.v[i].name);
            if (exists(f)) {
                strbuf_addf(&replaced, "%s%s", nrep ? ", " : "", r.v[i].name);
                nrep++;
            }
            free(f);
        }
        add(sm, SUM_DIM, "%s/: %zu files%s", paths->out_dir, r.n,
            p->target == TARGET_EKS ? " (@@name@@ placeholders: fill with render --from-terraform)"
                                    : "");
        if (nrep)
            add(sm, SUM_WARN, "Replaces %zu file%s there: %s", nrep, nrep == 1 ? "" : "s",
                replaced.buf);
        strbuf_done(&replaced);
    }
    rendered_done(&r);
    secrets_done(&standin);
}

void profile_summary(const struct profile *p, const struct secrets *s,
                     const struct summary_paths *paths, struct summary *out)
{
    out->v = NULL;
    out->n = 0;
    add(out, SUM_HEADING, "Summary");
    install(p, out);
    urls(p, out);
    stores(p, s, out);
    storage(p, out);
    workloads(p, out);
    secrets_lines(p, s, out);
    files(p, s, paths, out);
}
