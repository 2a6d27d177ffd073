/* core/kube_json.h: small helpers shared by the Kubernetes modules: typed
 * cJSON accessors that tolerate missing or mistyped fields, RFC 3339 times,
 * and the parsing of a metav1.Status error body into a struct error. */
#ifndef CORE_KUBE_JSON_H
#define CORE_KUBE_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct error;

/* The string at a dotted path ("metadata.name"), or NULL when absent or not a string. */
const char *kj_str(const struct cJSON *o, const char *path);
/* The number at a dotted path, or def when absent or not a number. */
double kj_num(const struct cJSON *o, const char *path, double def);
/* The integer at a dotted path, or def when absent or not a number. */
long long kj_int(const struct cJSON *o, const char *path, long long def);
/* True when the dotted path exists and is not null. */
bool kj_has(const struct cJSON *o, const char *path);
const struct cJSON *kj_get(const struct cJSON *o, const char *path);
/* kj_get for a caller that changes what it finds (the simulator edits its
 * objects in place): const in, mutable out, as strchr. */
struct cJSON *kj_get_mut(const struct cJSON *o, const char *path);

/* Parses an RFC 3339 time ("2026-11-24T05:09:00Z", fractions and offsets
 * allowed) into Unix seconds; -1 when it is not one. */
long long kube_time_parse(const char *s);
/* Formats Unix seconds as "2026-11-24T05:09:00Z" into buf (at least 21 bytes). */
void kube_time_format(long long t, char *buf, size_t len);

/* Fills err from an HTTP error reply: "METHOD PATH: CODE Reason: message",
 * taking reason and message from a Status body when there is one. */
int kube_status_error(struct error *err, const char *method, const char *path, long status,
                      const char *body, size_t len);

#endif
