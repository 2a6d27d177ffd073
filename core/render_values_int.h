/* core/render_values_int.h: what the two charts' values writers share;
 * internal to core/render_values*.c. */
#ifndef CORE_RENDER_VALUES_INT_H
#define CORE_RENDER_VALUES_INT_H

#include <stdbool.h>

#include "core/chart_keys.h"
#include "core/profile.h"

struct cJSON;

/* The host the api answers on: api_host when split, else the web host. */
const char *rv_api_host(const struct profile *p);
/* global.*Domain, each only when the chart version reads it. */
void rv_domains(const struct profile *p, const struct chart_keys *ck, struct cJSON *g);
/* ingress.{enabled,className,annotations,tls} and, where the chart reads
 * them, ingress.hosts; extra_hosts are further TLS hosts (EE's dashboard). */
void rv_ingress(const struct profile *p, const struct chart_keys *ck, struct cJSON *v,
                const char *const *extra_hosts, int n_extra);
/* replicas (when asked) and resources of a component. */
void rv_comp_common(const struct profile *p, struct cJSON *o, enum component c, bool replicas);

/* The writers: values (no secret value) into v, the secret keys into sv. */
void rv_community(const struct profile *p, const struct secrets *s, const struct chart_keys *ck,
                  struct cJSON *v, struct cJSON *sv);
void rv_enterprise(const struct profile *p, const struct secrets *s, const struct chart_keys *ck,
                   struct cJSON *v, struct cJSON *sv);

#endif
