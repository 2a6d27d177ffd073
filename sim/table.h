/* sim/table.h: meta.k8s.io/v1 Table output, the server-side printing
 * kubectl get asks for, with the columns a real server prints for pods,
 * deployments, replicasets, statefulsets, jobs, services, nodes, namespaces
 * and events (Name and Age for the rest). */
#ifndef SIM_TABLE_H
#define SIM_TABLE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct rtype;

cJSON *table_new(const struct rtype *rt);
/* Adds a row; full_object puts the whole object in the row instead of its metadata. */
void table_add_row(cJSON *table, const struct rtype *rt, const cJSON *obj, bool full_object);
/* "5m12s"-style age of an RFC 3339 timestamp, as kubectl prints it. */
void human_age(const char *timestamp, char out[32]);

#endif
