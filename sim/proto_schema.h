/* sim/proto_schema.h: the field tables of the simulator's protobuf reader
 * (sim/proto.c) and writer (sim/proto_write.c): each message is a list of
 * {number, JSON name, type, message}, numbers from k8s.io/api core/v1 and
 * k8s.io/apimachinery meta/v1 generated.proto (docs/kube.md, Protobuf). */
#ifndef SIM_PROTO_SCHEMA_H
#define SIM_PROTO_SCHEMA_H

enum ptype {
    P_STR,
    P_BYTES,
    P_INT, /* int32 or int64: a varint */
    P_BOOL,
    P_MSG,
    P_MAP_SS,
    P_MAP_SB,
    P_REP_STR,
    P_REP_MSG,
    P_INTORSTR,
    /* the writer's (the reader skips them) */
    P_TIME,    /* metav1.Time {seconds 1, nanos 2} from RFC 3339 text */
    P_QTY,     /* resource.Quantity {string 1} from its text */
    P_MAP_QTY, /* map<string, Quantity> */
    P_INLINE,  /* an embedded message whose fields are the JSON object's own
                  (LocalObjectReference in a key selector, VolumeSource in a
                  Volume, ProbeHandler in a Probe): name is NULL */
    P_JSON,    /* bytes holding a JSON value's compact text (FieldsV1) */
};

struct pmsg;
struct pfield {
    int num;
    const char *name;
    enum ptype type;
    const struct pmsg *msg; /* for P_MSG, P_REP_MSG and P_INLINE */
};
struct pmsg {
    const struct pfield *fields; /* ended by a field numbered 0 */
};

#define END                                                                                        \
    {                                                                                              \
        0, NULL, P_STR, NULL                                                                       \
    }

/* The whole Pod, as far as the simulator's pods go (sim/proto_pod.c). */
extern const struct pmsg proto_pod_msg;

#endif
