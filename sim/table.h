/* sim/table.h: meta.k8s.io/v1 Table output, the server-side printing
 * kubectl get asks for: the columns and cells of core's kind registry and
 * kubectl printer (core/kube_kinds.h), every column included as a real
 * server sends them; Name and Age for a kind the registry does not know. */
#ifndef SIM_TABLE_H
#define SIM_TABLE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct rtype;

cJSON *table_new(const struct rtype *rt);
/* Adds a row; full_object puts the whole object in the row instead of its metadata. */
void table_add_row(cJSON *table, const struct rtype *rt, const cJSON *obj, bool full_object);

#endif
