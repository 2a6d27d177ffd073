/* sim/workloads.h: StatefulSet -> pods NAME-0..N-1 (ordered, partitioned
 * rolling updates, volume claims) and Job -> pods (parallelism, completions,
 * backoff limit, Complete/Failed conditions). */
#ifndef SIM_WORKLOADS_H
#define SIM_WORKLOADS_H

struct index;
struct sim_obj;

void reconcile_sts(struct sim_obj *s);
void reconcile_job(struct sim_obj *j, struct index *podix, long long now);

#endif
