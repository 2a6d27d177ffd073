/* sim/scenario.h: scenario files (YAML) that script the cluster: objects to
 * create at start, how matching pods behave (delays, crash loops, image pull
 * errors, failing jobs, log lines), API faults, dropped watches and bulk
 * load. The format is documented in docs/sim.md. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct error;

/* How one pod behaves; every duration is in simulated seconds. */
struct pod_behavior {
    double schedule_delay;  /* Pending (unscheduled) -> scheduled */
    double pull_delay;      /* ContainerCreating: pulling the image */
    double ready_delay;     /* Running -> Ready */
    bool never_ready;       /* readiness never passes */
    const char *pull_error; /* non-NULL: ErrImagePull/ImagePullBackOff with this message */
    double crash_after;     /* > 0: the container exits this long after each start */
    int exit_code;          /* its exit code (crash, or a run-to-completion pod) */
    double run_for;         /* run-to-completion pods (Jobs): how long they run */
    cJSON *logs;            /* array of strings: log lines after each start (borrowed) */
    double log_rate;        /* > 0: the first container writes this many lines a (real)
                               second while it runs (a chatty container for benchmarks) */
};

/* Loads a scenario file (or "demo": the built-in assets/scenarios/demo.yaml). */
int scenario_load(const char *path, struct error *err);
/* Creates the scenario's objects; call once the store and nodes exist, with sim_lock held. */
int scenario_create_objects(struct error *err);
/* Fills b for a pod (defaults, then the first matching rule). */
void scenario_pod_behavior(const cJSON *pod, struct pod_behavior *b);
/* An injected fault for this request: returns the status to answer (0 = none)
 * and sets *latency_ms to the delay to add. */
int scenario_fault(const char *method, const char *path, long *latency_ms);

struct scenario_watch_drop {
    double after_seconds; /* close watch streams after this long (0 = never) */
    long after_events;    /* close them after this many events (0 = never) */
};
struct scenario_watch_drop scenario_watch_drop(void);
/* Bulk load: called by the controller tick with sim_lock held. */
void scenario_tick(long long now);
/* Default delays from the command line (simulated seconds). */
void scenario_set_defaults(const struct pod_behavior *b);

#endif
