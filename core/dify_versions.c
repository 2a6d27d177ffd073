/* core/dify_versions.c: the table of Dify image sets (see dify_versions.h).
 *
 * Community rows: `image.{api,web,pluginDaemon,sandbox}.tag` of
 * BorisPolonsky/dify-helm charts/dify/values.yaml at the release tag named in
 * the row (the chart's appVersion equals the api tag in every row). The
 * 1.13.3 row is the compose file of langgenius/dify, which pins that release
 * although no chart shipped it.
 * Enterprise rows: the default values.yaml the Dify EE chart publishes for
 * its version (https://langgenius.github.io/dify-helm, chart dify/dify); the
 * copies read are kept by sorphwer/dify-helm-watchdog (the service behind
 * helm-watchdog.dify.ai) under src/test/wizard-testcases/. EE builds its api
 * and web from commits, so their tags are commit ids. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/util.h"

#define BORIS(tag) "BorisPolonsky/dify-helm tag " tag ", charts/dify/values.yaml image.*.tag"
#define EE(ver, file)                                                                              \
    "Dify EE chart " ver " values.yaml (langgenius.github.io/dify-helm), as kept in "              \
    "sorphwer/dify-helm-watchdog src/test/wizard-testcases/" file

/* Newest first within each line. */
const struct dify_release dify_releases[] = {
    {DIFY_LINE_COMMUNITY,
     "1.16.1",
     "0.6.3-local",
     "0.2.15",
     "0.38.0-rc2 0.38.0-rc1",
     BORIS("dify-0.38.0-rc2"),
     {0}},
    {DIFY_LINE_COMMUNITY, "1.14.2", "0.6.1-local", "0.2.15", "0.37.0", BORIS("dify-0.37.0"), {0}},
    {DIFY_LINE_COMMUNITY,
     "1.13.3",
     "0.5.3-local",
     "0.2.14",
     "",
     "langgenius/dify docker/docker-compose-template.yaml at 0055b983 (services api, "
     "plugin_daemon, sandbox)",
     {0}},
    {DIFY_LINE_COMMUNITY, "1.12.1", "0.5.3-local", "0.2.12", "0.36.0", BORIS("dify-0.36.0"), {0}},
    {DIFY_LINE_COMMUNITY,
     "1.10.1-fix.1",
     "0.4.1-local",
     "0.2.12",
     "0.35.0 0.34.0",
     BORIS("dify-0.35.0"),
     {0}},
    {DIFY_LINE_COMMUNITY,
     "1.10.0",
     "0.4.1-local",
     "0.2.12",
     "0.33.0 0.32.0",
     BORIS("dify-0.33.0"),
     {0}},
    {DIFY_LINE_COMMUNITY, "1.9.1", "0.3.0-local", "0.2.12", "0.31.0", BORIS("dify-0.31.0"), {0}},
    {DIFY_LINE_COMMUNITY,
     "1.8.1",
     "0.2.0-local",
     "0.2.12",
     "0.30.0 0.29.0",
     BORIS("dify-0.30.0"),
     {0}},
    {DIFY_LINE_COMMUNITY,
     "1.7.1",
     "0.2.0-local",
     "0.2.12",
     "0.28.1 0.28.0",
     BORIS("dify-0.28.1"),
     {0}},
    {DIFY_LINE_COMMUNITY, "1.6.0", "0.1.3-local", "0.2.12", "0.27.0", BORIS("dify-0.27.0"), {0}},
    {DIFY_LINE_COMMUNITY,
     "1.5.0",
     "0.1.2-local",
     "0.2.12",
     "0.26.1 0.26.0",
     BORIS("dify-0.26.1"),
     {0}},
    {DIFY_LINE_COMMUNITY,
     "1.2.0",
     "0.0.7-local",
     "0.2.11",
     "0.25.0 0.24.0",
     BORIS("dify-0.25.0"),
     {0}},
    {DIFY_LINE_COMMUNITY, "1.0.0", "0.0.3-local", "0.2.10", "0.23.1", BORIS("dify-0.23.1"), {0}},

    {DIFY_LINE_ENTERPRISE,
     "c0c64c75d6c7ef5c273a49aec38adbc7cb952cb4",
     "0.5.0-serverless",
     "0.2.12",
     "3.7.4",
     EE("3.7.4", "templates/374.yaml"),
     {"0.14.3", "0.14.3", "0.14.3", "0.14.3", "0.14.3", "0.14.3", "0.14.3"}},
    {DIFY_LINE_ENTERPRISE,
     "70571b53ad9d2d9d1ba0108731a2a94ea74df558",
     "0.5.0-serverless",
     "0.2.12",
     "3.7.3",
     EE("3.7.3", "values-373-official.yaml"),
     {"0.14.2", "0.14.2", "0.14.1", "0.14.2", "0.14.2", "0.14.2", "0.14.2"}},
    {DIFY_LINE_ENTERPRISE,
     "c47b7e7d7e7210549025defc27eb479b32947753",
     "20a40526f24609daaacb1e82d4db17778f326a58-serverless",
     "b5ab7bd6075971083a00435e4c9cf9865ccc02a9",
     "3.6.2",
     EE("3.6.2", "templates/362.yaml"),
     {"0.13.2", "0.13.2", "0.13.1", "0.13.2", "0.13.2", "0.13.2", "0.13.2"}},
    {DIFY_LINE_ENTERPRISE,
     "338e0f74b9ef5a408f71f8d7f11ac2f8b3f0e544",
     "0.2.0-serverless",
     "0.2.12",
     "3.5.5",
     EE("3.5.5", "355-default.yaml"),
     {"0.12.5", "0.12.5", "0.12.3", "0.12.5", "0.12.5", "0.12.5", "0.12.5"}},
};
const size_t dify_nreleases = ARRAY_LEN(dify_releases);

const struct dify_release *dify_release_find(const char *api_version)
{
    if (!api_version)
        return NULL;
    for (size_t i = 0; i < dify_nreleases; i++)
        if (strcmp(dify_releases[i].api, api_version) == 0)
            return &dify_releases[i];
    return NULL;
}

/* Whether the space-separated list holds the word. */
static bool list_has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *c = list; n && *c;) {
        const char *end = strchr(c, ' ');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len == n && strncmp(c, word, n) == 0)
            return true;
        c += len;
        while (*c == ' ')
            c++;
    }
    return false;
}

const struct dify_release *dify_release_for_chart(enum dify_line line, const char *chart_version)
{
    if (!chart_version)
        return NULL;
    for (size_t i = 0; i < dify_nreleases; i++)
        if (dify_releases[i].line == line && list_has(dify_releases[i].charts, chart_version))
            return &dify_releases[i];
    return NULL;
}

char *dify_release_chart(const struct dify_release *r)
{
    if (!r || !*r->charts)
        return NULL;
    return xstrndup(r->charts, strcspn(r->charts, " "));
}

const struct dify_release *dify_release_default(enum dify_line line)
{
    for (size_t i = 0; i < dify_nreleases; i++) {
        const struct dify_release *r = &dify_releases[i];
        char *chart = dify_release_chart(r);
        bool released = chart && !strstr(chart, "-rc");
        free(chart);
        if (r->line == line && released)
            return r;
    }
    return NULL;
}

const struct dify_release *dify_release_of_daemon(const char *daemon_version)
{
    for (size_t i = 0; daemon_version && i < dify_nreleases; i++)
        if (dify_releases[i].line == DIFY_LINE_COMMUNITY &&
            strcmp(dify_releases[i].plugin_daemon, daemon_version) == 0)
            return &dify_releases[i];
    return NULL;
}

bool dify_release_at_least(const struct dify_release *a, const struct dify_release *b)
{
    return a && b && a->line == b->line && a <= b;
}

enum dify_pair dify_pair_check(const char *api_version, const char *daemon_version)
{
    bool known = false;
    for (size_t i = 0; api_version && i < dify_nreleases; i++) {
        if (strcmp(dify_releases[i].api, api_version) != 0)
            continue;
        known = true;
        if (daemon_version && strcmp(dify_releases[i].plugin_daemon, daemon_version) == 0)
            return DIFY_PAIR_KNOWN;
    }
    return known ? DIFY_PAIR_SKEW : DIFY_PAIR_UNKNOWN_API;
}

bool dify_ee_amd64_only(const char *values_path)
{
    static const char *const paths[] = {
        "web.logoConfig", "enterpriseAudit",  "enterprise",        "plugin_manager",
        "gateway",        "plugin_connector", "plugin_controller", NULL};
    for (size_t i = 0; values_path && paths[i]; i++)
        if (strcmp(paths[i], values_path) == 0)
            return true;
    return false;
}
