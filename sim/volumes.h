/* sim/volumes.h: storage classes and claims, as a cluster's provisioner
 * and the persistent volume controller treat them. dify-sim starts with one
 * default StorageClass, "standard" (WaitForFirstConsumer, as kind's and
 * EKS's defaults bind), which a claim without storageClassName gets. A
 * claim whose class exists binds (Immediate: at once; WaitForFirstConsumer:
 * once a pod using it is scheduled); one without a class, or naming a class
 * that does not exist, stays Pending with the real events. Pods whose
 * claims cannot bind are not scheduled. No PersistentVolume objects are
 * served: a bound claim names its volume (pvc-UID) all the same. */
#ifndef SIM_VOLUMES_H
#define SIM_VOLUMES_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Creates the default StorageClass (sim_lock held). */
void volumes_init(void);
/* The name of the default StorageClass, or NULL (for the PVC defaults). */
const char *volumes_default_class(void);
/* Binds the claims that can be bound (sim_lock held). */
void volumes_tick(long long now);
/* NULL when the pod's claims let it be scheduled, else the scheduler's
 * reason (caller frees). */
char *volumes_unschedulable(const cJSON *pod);

#endif
