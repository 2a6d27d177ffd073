/* core/render_values.c: Helm values for the two charts, and the check that
 * every key written is one the chart version reads.
 *   community: BorisPolonsky/dify-helm (render_values_ce.c)
 *   enterprise: the Dify EE chart (render_values_ee.c)
 * Neither chart can read its core secrets from an existing Secret, so those
 * go to values-secrets.yaml (0600) and nowhere else; values.yaml holds no
 * secret value. Which keys each chart version reads is in core/chart_keys.h:
 * a version without a table is refused (render_check.c says so first), and
 * a key the chart would ignore is an error here, not a silent no-op. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_util.h"
#include "core/render_values.h"
#include "core/render_values_int.h"
#include "core/util.h"

const char *rv_api_host(const struct profile *p)
{
    return p->domains.split && !str_empty(p->domains.api_host) ? p->domains.api_host
                                                               : p->domains.web_host;
}

static void put_read(const struct chart_keys *ck, cJSON *o, const char *path, const char *key,
                     const char *value)
{
    char *full = xasprintf("%s.%s", path, key);
    if (chart_keys_reads(ck, full))
        ru_str(o, key, value);
    free(full);
}

void rv_domains(const struct profile *p, const struct chart_keys *ck, cJSON *g)
{
    put_read(ck, g, "global", "consoleApiDomain", rv_api_host(p));
    put_read(ck, g, "global", "consoleWebDomain", p->domains.web_host);
    put_read(ck, g, "global", "serviceApiDomain", rv_api_host(p));
    put_read(ck, g, "global", "appApiDomain", rv_api_host(p));
    put_read(ck, g, "global", "appWebDomain", p->domains.web_host);
    put_read(ck, g, "global", "filesDomain", rv_api_host(p));
    /* Webhook triggers: only chart versions that have them (EE 3.7+). */
    put_read(ck, g, "global", "triggerDomain", rv_api_host(p));
}

void rv_ingress(const struct profile *p, const struct chart_keys *ck, cJSON *v,
                const char *const *extra_hosts, int n_extra)
{
    cJSON *ing = ru_obj(v, "ingress");
    ru_bool(ing, "enabled", true);
    ru_str(ing, "className", p->cluster.ingress_class);
    cJSON *ann = ru_obj(ing, "annotations");
    if (ru_alb(p))
        ru_alb_annotations(p, ann);
    const char *names[3] = {p->domains.web_host, NULL, NULL};
    int n = 1;
    if (p->domains.split && !str_empty(p->domains.api_host))
        names[n++] = p->domains.api_host;
    /* The EE chart routes its domains itself (no ingress.hosts). */
    if (chart_keys_reads(ck, "ingress.hosts[].host")) {
        cJSON *hosts = ru_arr(ing, "hosts");
        for (int i = 0; i < n; i++) {
            cJSON *h = cJSON_CreateObject();
            ru_str(h, "host", names[i]);
            cJSON *path = cJSON_CreateObject();
            ru_str(path, "path", "/");
            ru_str(path, "pathType", "Prefix");
            cJSON_AddItemToArray(ru_arr(h, "paths"), path);
            cJSON_AddItemToArray(hosts, h);
        }
    }
    /* ALB takes its certificate from ACM (annotations) and ignores tls. */
    cJSON *tls = ru_arr(ing, "tls");
    if (!ru_alb(p) && !str_empty(p->domains.tls_secret)) {
        cJSON *t = cJSON_CreateObject();
        ru_str(t, "secretName", p->domains.tls_secret);
        cJSON *th = ru_arr(t, "hosts");
        for (int i = 0; i < n; i++)
            ru_push_str(th, names[i]);
        for (int i = 0; i < n_extra; i++)
            ru_push_str(th, extra_hosts[i]);
        cJSON_AddItemToArray(tls, t);
    }
}

void rv_comp_common(const struct profile *p, cJSON *o, enum component c, bool replicas)
{
    if (replicas)
        ru_num(o, "replicas", p->comp[c].replicas);
    ru_resources(o, &p->comp[c].res);
}

/* Every leaf written must be read by the chart version. */
static int check_read(const struct chart_keys *ck, const char *file, const cJSON *doc,
                      struct error *err)
{
    char *bad = chart_keys_unread(ck, doc);
    if (!bad)
        return 0;
    error_set(err, ERR_INVALID, 0, "%s: chart %s does not read %s (%s)", file, ck->version, bad,
              ck->source);
    free(bad);
    return -1;
}

int render_values(const struct profile *p, const struct secrets *s, struct rendered *out,
                  struct error *err)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    const struct chart_keys *ck =
        chart_keys_find(ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY, p->helm.version);
    if (!ck) {
        char *known = chart_keys_versions(ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY);
        error_set(err, ERR_INVALID, 0,
                  "helm.version %s: no table of the keys this chart version reads; "
                  "supported: %s",
                  p->helm.version ? p->helm.version : "", known);
        free(known);
        return -1;
    }
    cJSON *v = cJSON_CreateObject(), *sv = cJSON_CreateObject();
    if (ee)
        rv_enterprise(p, s, ck, v, sv);
    else
        rv_community(p, s, ck, v, sv);
    if (check_read(ck, "values.yaml", v, err) || check_read(ck, "values-secrets.yaml", sv, err)) {
        cJSON_Delete(v);
        /* sv holds secrets: cJSON frees without wiping; no file was made. */
        cJSON_Delete(sv);
        return -1;
    }
    cJSON *sdoc = sv;
    if (ru_add_yaml(out, "values.yaml", 0644, &v, 1, err)) {
        cJSON_Delete(sdoc);
        return -1;
    }
    return ru_add_yaml(out, "values-secrets.yaml", 0600, &sdoc, 1, err);
}
