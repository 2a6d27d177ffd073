/* sim/initc.h: init containers in the simulated kubelet. A pod's init
 * containers run one after the other before its containers start, each
 * for a simulated second, and always succeed; status.initContainerStatuses
 * shows the finished ones terminated (Completed), the running one running
 * and the rest waiting (PodInitializing), so kubectl's STATUS column reads
 * Init:0/1 and then Running, as on a real node. */
#ifndef SIM_INITC_H
#define SIM_INITC_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* How many init containers the pod's spec has. */
int initc_count(const cJSON *pod);
/* Writes status.initContainerStatuses: the first `done` terminated with
 * exit code 0, the next one running since started_at when `running`, the
 * others waiting. */
void initc_status(cJSON *pod, int done, bool running, const char *started_at);
/* The name of init container i, or "". */
const char *initc_name(const cJSON *pod, int i);

#endif
