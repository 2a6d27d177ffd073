/* sim/daemonsets.h: DaemonSet -> one pod per node, rolling updates one pod
 * at a time, and the DaemonSet status kubectl rollout status reads. */
#ifndef SIM_DAEMONSETS_H
#define SIM_DAEMONSETS_H

struct index;
struct sim_obj;

void reconcile_daemonset(struct sim_obj *ds, struct index *podix);

#endif
