/* sim/controllers.h: the reconcile loop. One thread wakes every 50 ms, takes
 * sim_lock and runs the simulated kubelet (pods.c), the garbage collector,
 * namespace termination and the Deployment, ReplicaSet, StatefulSet and Job
 * controllers, then the scenario's bulk load. */
#ifndef SIM_CONTROLLERS_H
#define SIM_CONTROLLERS_H

/* Starts the controller thread. */
void controllers_start(void);
/* One reconcile pass (sim_lock held); exposed for the startup pass. */
void controllers_tick(long long now);

#endif
