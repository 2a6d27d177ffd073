/* core/dify_versions.h: the image sets Dify releases ship, in one table.
 *
 * A Dify release is a consistent set: api (also worker and beat), web,
 * plugin daemon and sandbox are built and tested together, and an api of one
 * release against a plugin daemon of another fails in ways that only show at
 * run time (unknown endpoints, changed plugin protocol). Every image tag the
 * product renders, simulates or diagnoses comes from this table; each row
 * names the upstream file it was read from (docs/render.md lists them).
 *
 * Community rows come from the BorisPolonsky/dify-helm chart's values.yaml at
 * each release tag (and langgenius/dify's docker-compose for a release no
 * chart shipped); enterprise rows from the published default values of the
 * Dify EE chart (https://langgenius.github.io/dify-helm). */
#ifndef CORE_DIFY_VERSIONS_H
#define CORE_DIFY_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

enum dify_line {
    DIFY_LINE_COMMUNITY, /* langgenius/dify-api + the community chart */
    DIFY_LINE_ENTERPRISE /* the Dify EE chart's image set */
};

/* Tags of the enterprise-only components (NULL on community rows). */
struct dify_ee_tags {
    const char *enterprise;          /* langgenius/dify-enterprise */
    const char *audit;               /* langgenius/dify-audit */
    const char *enterprise_frontend; /* langgenius/dify-enterprise-frontend */
    const char *gateway;             /* langgenius/enterprise_gateway */
    const char *plugin_connector;    /* langgenius/enterprise_plugin-connector */
    const char *plugin_controller;   /* langgenius/enterprise_plugin-crd */
    const char *plugin_manager;      /* langgenius/dify-plugin-manager */
};

struct dify_release {
    enum dify_line line;
    const char *api;           /* dify-api (api, worker, beat) and dify-web tag */
    const char *plugin_daemon; /* langgenius/dify-plugin-daemon tag */
    const char *sandbox;       /* langgenius/dify-sandbox tag */
    /* Chart versions that ship exactly this set, space separated, newest
     * first ("0.30.0 0.29.0"); "" when no chart release does. */
    const char *charts;
    const char *source; /* where the row was read, with the version */
    struct dify_ee_tags ee;
};

/* The SSRF proxy (ubuntu/squid) is not part of a Dify release: the community
 * chart ships "latest", so every rendering pins the EE chart's tag. */
#define DIFY_SQUID_IMAGE "ubuntu/squid:6.13-25.04_beta"
/* The client the database Job runs psql from (multi-arch; the major version
 * of the EKS stack's Aurora PostgreSQL 17). */
#define DIFY_PSQL_IMAGE "postgres:17-alpine"

extern const struct dify_release dify_releases[];
extern const size_t dify_nreleases;

/* The row of an api (dify-api/dify-web) tag, or NULL for an unknown one. */
const struct dify_release *dify_release_find(const char *api_version);

/* The row shipped by a chart version of the line, or NULL. */
const struct dify_release *dify_release_for_chart(enum dify_line line, const char *chart_version);

/* The release a fresh profile uses: the newest row of the line that a
 * released (non-rc) chart ships. */
const struct dify_release *dify_release_default(enum dify_line line);
/* The first chart version in a row's charts list (the newest); caller frees,
 * NULL when the row names none. */
char *dify_release_chart(const struct dify_release *r);

enum dify_pair {
    DIFY_PAIR_KNOWN,       /* a release ships this api with this plugin daemon */
    DIFY_PAIR_UNKNOWN_API, /* the api tag is in no row: nothing to compare */
    DIFY_PAIR_SKEW         /* the api is known and ships another plugin daemon */
};

/* The newest community row shipping this plugin daemon tag, or NULL. */
const struct dify_release *dify_release_of_daemon(const char *daemon_version);
/* True when rows a and b are of one line and a is b or a newer release
 * (each line is listed newest first). */
bool dify_release_at_least(const struct dify_release *a, const struct dify_release *b);

/* The first release whose api asks the plugin daemon for its trigger
 * providers, GET /plugin/<tenant>/management/triggers (langgenius/dify
 * api/core/plugin/impl/trigger.py, the trigger feature of 1.10.0); the
 * daemon serves it from the release shipped with it (dify-plugin-daemon
 * internal/server/http_server.go, management group, GET "/triggers"), and
 * a daemon of an older release answers 404 "route not found". */
#define DIFY_TRIGGERS_SINCE "1.10.0"

/* Whether an api tag and a plugin daemon tag belong together. */
enum dify_pair dify_pair_check(const char *api_version, const char *daemon_version);

/* On arm64 (Graviton) nodes the EE chart's enterprise components need their
 * "<tag>-arm64" images: their plain tags are amd64 only. True for the values
 * paths (enterprise, enterpriseAudit, gateway, plugin_connector,
 * plugin_controller, plugin_manager, web.logoConfig) the upstream generator
 * switches (langgenius/dify-ee-terraform-aws
 * cloud/aws/scripts/4_generate_dify_helm.sh, WATCHDOG_AMD64_ONLY_PATHS). */
bool dify_ee_amd64_only(const char *values_path);

#endif
