/* sim/proto_write.h: the simulator's protobuf writer: its JSON objects in
 * the Kubernetes protobuf encoding (application/vnd.kubernetes.protobuf)
 * for the kinds with a table (pods), as a real API server serves them to a
 * client whose Accept puts protobuf first: a GET's object and a list in the
 * "k8s\0" + runtime.Unknown envelope, a watch as frames of a 4-byte
 * big-endian length and a WatchEvent (apimachinery's RawSerializer), the
 * event's object enveloped. Field numbers: sim/proto_pod.c. */
#ifndef SIM_PROTO_WRITE_H
#define SIM_PROTO_WRITE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

#define PROTO_MEDIA "application/vnd.kubernetes.protobuf"
#define PROTO_WATCH_MEDIA PROTO_MEDIA ";stream=watch"

/* The first media range of an Accept header is protobuf. */
bool proto_accept_first(const char *accept);
/* The simulator writes kind (a registry kind: "Pod") as protobuf. */
bool proto_writes(const char *kind);

/* The object j of kind (its message, no envelope) appended to out. Members
 * with no field in the tables, and values their field's type cannot hold
 * (written under the field's number with a wire type it does not have, so a
 * reader says the field is malformed), are counted in *lost (may be NULL) and
 * named in a debug log line: none of the simulator's pods has one
 * (tests/unit/test_kube_pb). kind and apiVersion at the top are the
 * envelope's. -1 for a kind without a table. */
int proto_object_raw(const char *kind, const cJSON *j, struct strbuf *out, unsigned *lost);
/* "k8s\0" + Unknown {typeMeta {apiVersion, kind}, raw} appended to out. */
void proto_envelope(struct strbuf *out, const char *api_version, const char *kind, const char *raw,
                    size_t n);
/* A list: ListMeta {resourceVersion, continue, remainingItemCount (< 0:
 * none)} and the items (items: their raw messages, each n bytes, one after
 * the other as proto_list_item appended them), enveloped as KIND + "List". */
void proto_list_item(struct strbuf *items, const char *raw, size_t n);
void proto_list(struct strbuf *out, const char *api_version, const char *kind, const char *rv,
                const char *cont, long long remaining, const struct strbuf *items);
/* One watch frame: type and the object (a Status for ERROR). */
void proto_watch_event(struct strbuf *out, const char *kind, const char *type, const cJSON *obj);

#endif
