/* core/render_check.c: problems found with the renderer's tables (see
 * render_check.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chart_keys.h"
#include "core/dify_versions.h"
#include "core/error.h"
#include "core/render_check.h"
#include "core/upstream_files.h"
#include "core/util.h"
#include "core/validate.h"

/* The image set: image_tag names the api/web release; the plugin daemon and
 * sandbox are rendered from the same row, so a tag no row knows, a tag of
 * the other edition's line, or a chart pinned to another release is a mixed
 * set that only fails at run time. */
static void check_release(const struct profile *p, struct problems *out)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    enum dify_line line = ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY;
    const struct dify_release *r = dify_release_find(p->image_tag);
    const struct dify_release *chart =
        p->method == METHOD_HELM ? dify_release_for_chart(line, p->helm.version) : NULL;
    const struct dify_release *def = dify_release_default(line);
    const struct dify_release *used = chart ? chart : def;

    if (str_empty(p->image_tag))
        return; /* validate says it is empty */
    if (r && r->line != line) {
        problems_add(out, true, "image_tag",
                     "%s is a %s release, but the edition is %s; the plugin daemon and sandbox "
                     "are rendered from %s (%s)",
                     p->image_tag, ee ? "community" : "enterprise", ee ? "enterprise" : "community",
                     used->api, used->source);
        return;
    }
    if (!r) {
        problems_add(out, true, "image_tag",
                     "%s is not a Dify release this program knows; the plugin daemon (%s) and "
                     "sandbox (%s) are rendered from release %s (%s), check that they work with it",
                     p->image_tag, used->plugin_daemon, used->sandbox, used->api, used->source);
        return;
    }
    if (chart && chart != r) {
        char *want = dify_release_chart(r);
        if (want)
            problems_add(out, true, "image_tag",
                         "chart %s ships Dify %s (plugin daemon %s, sandbox %s), but image_tag is "
                         "%s; use helm.version %s for %s, or image_tag %s",
                         p->helm.version, chart->api, chart->plugin_daemon, chart->sandbox,
                         p->image_tag, want, p->image_tag, chart->api);
        else
            problems_add(out, true, "image_tag",
                         "chart %s ships Dify %s (plugin daemon %s, sandbox %s), but image_tag is "
                         "%s, which no chart version ships; its templates may not fit it",
                         p->helm.version, chart->api, chart->plugin_daemon, chart->sandbox,
                         p->image_tag);
        free(want);
    }
}

/* The migration Job is "<release>-db-migrate-<10 hex>", and Kubernetes puts
 * a Job's name into its pods' job-name label, at most 63 characters. */
static void check_job_name(const struct profile *p, struct problems *out)
{
    size_t max = 63 - strlen("-db-migrate-") - 10;
    if (p->migration.mode == MIGRATION_JOB && p->release && strlen(p->release) > max)
        problems_add(out, false, "release",
                     "\"%s\" is %zu characters; with migration.mode job the Job is named "
                     "<release>-db-migrate-<10 hex>, which must fit a 63-character label, so "
                     "the release may have at most %zu",
                     p->release, strlen(p->release), max);
}

/* Volumes (render_util.h, ru_api_volume): ReadWriteMany only from a class
 * that offers it; one writer per ReadWriteOnce volume. */
static void check_volumes(const struct profile *p, struct problems *out)
{
    char msg[256];
    bool rwx = !str_empty(p->cluster.rwx_storage_class);
    if (rwx && !valid_dns_subdomain(p->cluster.rwx_storage_class, msg, sizeof(msg)))
        problems_add(out, false, "cluster.rwx_storage_class", "%s", msg);
    if (p->storage.kind != STORAGE_LOCAL || rwx)
        return;
    problems_add(out, true, "cluster.rwx_storage_class",
                 "storage.kind local: every api and worker pod (%d) mounts one ReadWriteOnce "
                 "volume, which works only while they run on one node; name a StorageClass "
                 "that offers ReadWriteMany (EFS, NFS) here, or use storage.kind s3",
                 p->comp[COMP_API].replicas + p->comp[COMP_WORKER].replicas);
    if (p->comp[COMP_PLUGIN_DAEMON].replicas > 1)
        problems_add(out, false, "components.plugin_daemon.replicas",
                     "%d plugin daemons cannot share a ReadWriteOnce volume (storage.kind local); "
                     "use 1, set cluster.rwx_storage_class, or use storage.kind s3",
                     p->comp[COMP_PLUGIN_DAEMON].replicas);
}

/* The chart version must be one whose keys render knows (chart_keys.h), and
 * what the profile asks for must be something that chart can do. */
static void check_chart(const struct profile *p, struct problems *out)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    enum dify_line line = ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY;
    if (p->method == METHOD_HELM && !str_empty(p->helm.version) &&
        !chart_keys_find(line, p->helm.version)) {
        char *known = chart_keys_versions(line);
        problems_add(out, false, "helm.version",
                     "%s: render knows which values the %s chart reads only for %s; pick one "
                     "of those (docs/render.md, \"Chart keys\")",
                     p->helm.version, ee ? "Dify EE" : "community", known);
        free(known);
    }
    if (!ee)
        return;
    /* The EE chart's published values have no extraVolumes for api or
     * worker, and its vectorDB offers no pgvector (relyt and pgvecto-rs are
     * other engines). */
    if (p->n_extra_files > 0)
        problems_add(out, false, "extra_files",
                     "the Dify EE chart (%s) has no extraVolumes/extraVolumeMounts for api or "
                     "worker, so a file cannot be mounted; remove extra_files",
                     p->helm.version ? p->helm.version : "");
    if (p->vector.kind == VECTOR_PGVECTOR)
        problems_add(out, false, "vector.kind",
                     "pgvector: the Dify EE chart's vectorDB offers weaviate, qdrant, milvus, "
                     "opensearch and others, not pgvector");
}

/* The ACM certificate of an ALB (decisions: domains.acm_certificate_arn). */
static void check_tls(const struct profile *p, struct problems *out)
{
    const char *arn = p->domains.acm_certificate_arn;
    bool alb = str_eq(p->cluster.ingress_class, "alb");
    if (!str_empty(arn)) {
        /* arn:<partition>:acm:<region>:<12-digit account>:certificate/<id> */
        char part[32] = "", region[32] = "", account[16] = "", id[80] = "";
        int n = 0;
        bool ok =
            sscanf(arn, "arn:%31[a-z-]:acm:%31[a-z0-9-]:%15[0-9]:certificate/%79[A-Za-z0-9-]%n",
                   part, region, account, id, &n) == 4 &&
            (size_t)n == strlen(arn) && strlen(account) == 12;
        if (!ok)
            problems_add(
                out, false, "domains.acm_certificate_arn",
                "\"%s\": expected arn:aws:acm:<region>:<12-digit account>:certificate/<id>", arn);
        else if (p->target == TARGET_EKS && !str_eq(region, p->aws.region))
            problems_add(out, false, "domains.acm_certificate_arn",
                         "the certificate is in %s but the cluster in %s; an ALB can only use "
                         "an ACM certificate of its own region",
                         region, p->aws.region);
        if (!alb)
            problems_add(out, true, "domains.acm_certificate_arn",
                         "only the alb ingress class uses an ACM certificate; with %s it is "
                         "ignored (use domains.tls_secret)",
                         str_empty(p->cluster.ingress_class) ? "the default class"
                                                             : p->cluster.ingress_class);
    }
    if (alb && !str_empty(p->domains.tls_secret))
        problems_add(out, true, "domains.tls_secret",
                     "the AWS Load Balancer Controller ignores TLS Secrets; set "
                     "domains.acm_certificate_arn for HTTPS");
}

/* An extra file mounted over an upstream file must define what the api
 * imports from it (core/upstream_files.c), or api and worker fail at start. */
static void check_overrides(const struct profile *p, struct problems *out)
{
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        const struct upstream_file *u = upstream_file_find(x->mount_path);
        if (!u || str_empty(x->source))
            continue;
        char *data = NULL;
        size_t len = 0;
        struct error err;
        error_clear(&err);
        if (file_read_all(x->source, 1000 * 1000, &data, &len, &err))
            continue; /* the extra-file rules report an unreadable source */
        struct strbuf missing;
        strbuf_init(&missing);
        size_t n = 0;
        for (const char *const *name = u->names; *name; name++)
            if (!upstream_defines(data, len, *name)) {
                strbuf_addf(&missing, "%s%s", n ? ", " : "", *name);
                n++;
            }
        if (n) {
            char path[64];
            snprintf(path, sizeof(path), "extra_files[%zu].source", i);
            problems_add(out, true, path,
                         "%s replaces %s but does not define %s, which the api imports from it "
                         "(%s); api and worker would fail at start: start from the file of the "
                         "Dify version you run",
                         x->source, x->mount_path, missing.buf, u->source);
        }
        strbuf_done(&missing);
        free(data);
    }
}

void render_check(const struct profile *p, struct problems *out)
{
    check_overrides(p, out);
    check_chart(p, out);
    check_tls(p, out);
    check_volumes(p, out);
    check_release(p, out);
    check_job_name(p, out);
}
