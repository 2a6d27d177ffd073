/* core/render_values.h: Helm values for the helm method: values.yaml (no
 * secrets) and values-secrets.yaml (0600, only the keys the chart insists on
 * reading inline), passed as `-f values.yaml -f values-secrets.yaml`. */
#ifndef CORE_RENDER_VALUES_H
#define CORE_RENDER_VALUES_H

#include "core/profile.h"

struct error;
struct rendered;

int render_values(const struct profile *p, const struct secrets *s, struct rendered *out,
                  struct error *err);

#endif
