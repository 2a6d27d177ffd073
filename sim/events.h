/* sim/events.h: core/v1 Events about objects, deduplicated like the kubelet's
 * recorder (same object, reason and message: count and lastTimestamp go up)
 * and capped so a bulk load cannot grow them without bound. */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H

struct sim_obj;

/* Records an event about obj; type is "Normal" or "Warning". Needs sim_lock. */
void events_emit(struct sim_obj *obj, const char *type, const char *reason, const char *component,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void events_set_cap(long cap);

#endif
