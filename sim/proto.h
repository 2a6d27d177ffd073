/* sim/proto.h: decoding the Kubernetes protobuf envelope ("k8s\0" + Unknown)
 * for the few kinds kubectl's typed generators send (kubectl create
 * namespace|configmap|secret|serviceaccount|deployment|job|service, kubectl
 * run), into the JSON the rest of the server works on. Only the fields those
 * commands set are mapped; other fields are skipped. */
#ifndef SIM_PROTO_H
#define SIM_PROTO_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct error;

/* Returns the object as JSON, or NULL with a message (kind not mapped, or
 * malformed bytes). */
cJSON *proto_decode(const unsigned char *buf, size_t len, struct error *err);

#endif
