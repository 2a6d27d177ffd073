/* core/kube_pb.h: the Kubernetes protobuf encoding
 * (application/vnd.kubernetes.protobuf) for the kinds that have a decoder
 * here (pods: 99 % of the objects on a big cluster). A reply is decoded
 * straight into the small read-only tree the projection reads (struct cJSON
 * nodes from a reused arena, members keyed as core/kube_jparse.c keys them):
 * only the fields the store keeps of the kind (core/kube_project.c,
 * kube_obj.c); every other length-delimited field (managedFields, volumes,
 * env ...) is skipped by its length without being read. The projection and
 * its type check then run on that tree unchanged, so an object decoded from
 * protobuf is the same store object as from JSON (tests/unit/test_kube_pb).
 *
 * Wire formats (docs/kube.md, Protobuf, has the field numbers and their
 * sources): a reply body is "k8s\0" + runtime.Unknown {typeMeta 1
 * {apiVersion 1, kind 2}, raw 2, contentEncoding 3, contentType 4}, raw
 * holding the object (PodList {metadata 1, items 2}, Pod, Status). A watch
 * (Content-Type ...;stream=watch) is frames of a 4-byte big-endian length
 * and a metav1.WatchEvent {type 1, object 2 {raw 1}} written without the
 * envelope (apimachinery's RawSerializer), its raw an enveloped object.
 *
 * Hostile input: every varint is at most 10 bytes, every length within its
 * buffer, nesting bounded by the schema; a wrong wire type for a field the
 * tree keeps becomes a member the type check names ("PATH: protobuf wire
 * type 2 where the API has an int32"), never a wrong value. */
#ifndef CORE_KUBE_PB_H
#define CORE_KUBE_PB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kube_client.h" /* kube_item_cb */
#include "core/util.h"

struct cJSON;
struct error;
struct kube_resource;

#define KUBE_PB_MEDIA "application/vnd.kubernetes.protobuf"
/* What a list or watch of a kind with a decoder asks for: protobuf first,
 * JSON when the server has no protobuf for it (a CRD, an aggregated API). */
#define KUBE_PB_ACCEPT KUBE_PB_MEDIA ", application/json"
/* A watch frame larger than this ends the stream as malformed. */
#define KUBE_PB_MAX_FRAME (16u << 20)

/* A decoder exists for kind r. */
bool kube_pb_kind(const struct kube_resource *r);
/* Lists and watches of r ask for protobuf: a decoder exists and
 * DIFY_TUI_KUBE_JSON is not set to a non-empty value other than 0. */
bool kube_pb_wanted(const struct kube_resource *r);
/* A Content-Type (parameters allowed) is the protobuf media type. */
bool kube_pb_media(const char *content_type);

/* A list page: item for each object (the tree valid during the call) until
 * *stop (may be NULL); *cont and *rv set (caller frees). what names the
 * request in messages. -1 with err for a body that is not an enveloped
 * list of r's kind. */
int kube_pb_list(const unsigned char *buf, size_t len, const struct kube_resource *r,
                 const char *what, kube_item_cb item, void *arg, bool *stop, char **cont, char **rv,
                 struct error *err);

/* The continue token of a list page from its first bytes (the reply as it
 * arrives): 1 when decided (*next set, or NULL for none), 0 when more bytes
 * are needed. Like kube_client's JSON scan, only an optimization. */
int kube_pb_list_cont(const unsigned char *buf, size_t len, char **next);

/* One object (a GET's reply): its tree, valid until the next decode on this
 * thread or kube_pb_release; NULL with err. */
const struct cJSON *kube_pb_object(const unsigned char *buf, size_t len,
                                   const struct kube_resource *r, struct error *err);

/* A Status (an error reply) as the JSON text kube_client reads messages
 * from ({"kind":"Status","code":..,"reason":..,"message":..}); NULL when buf
 * is not an enveloped Status. Caller frees. */
char *kube_pb_status_json(const unsigned char *buf, size_t len);

/* Splits a watch stream into frames (a frame may arrive in pieces). */
struct kube_pb_frames {
    struct strbuf buf;
    size_t max;
};
typedef int (*kube_pb_frame_cb)(const unsigned char *frame, size_t len, void *arg);
void kube_pb_frames_init(struct kube_pb_frames *f, size_t max);
void kube_pb_frames_done(struct kube_pb_frames *f);
/* frame for each complete frame; -1 when a frame's length is over max (the
 * stream is then unusable: *too_big set) or frame returns -1. */
int kube_pb_frames_feed(struct kube_pb_frames *f, const char *data, size_t n,
                        kube_pb_frame_cb frame, void *arg, bool *too_big);

/* One watch frame: the event's type (ADDED, MODIFIED, DELETED, BOOKMARK,
 * ERROR, at most 15 bytes, else the frame is malformed) into type, and its
 * object's tree (a Pod of kind r; for ERROR a Status as {code, reason,
 * message}), valid until the next decode on this thread. -1 with err. */
int kube_pb_event(const unsigned char *frame, size_t len, const struct kube_resource *r,
                  char type[16], const struct cJSON **obj, struct error *err);

/* Gives the arena back (after a list: a watch needs little). */
void kube_pb_release(void);

#endif
