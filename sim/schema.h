/* sim/schema.h: the API's field types for the kinds dify-sim serves (the
 * table in sim/schema_data.c is generated from the Kubernetes OpenAPI
 * definitions by scripts/gen-sim-schema.js), and the decoding rules a real
 * API server applies with them: a field of the wrong JSON type is a 400
 * ("cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
 * of type int32"), an unknown field is a 400 under fieldValidation=Strict
 * (what `kubectl --validate=strict`, kubectl's default, asks) and is
 * dropped otherwise. */
#ifndef SIM_SCHEMA_H
#define SIM_SCHEMA_H

#include <cjson/cJSON.h>
#include <stdbool.h>

enum sf_type {
    SF_STR,
    SF_BYTES, /* base64 in a string */
    SF_INT32,
    SF_INT64,
    SF_NUM,
    SF_BOOL,
    SF_TIME,     /* RFC 3339 string */
    SF_INTORSTR, /* intstr.IntOrString */
    SF_QTY,      /* resource.Quantity: a string or a number */
    SF_LIST_STR,
    SF_LIST_INT,
    SF_MAP_STR,
    SF_MAP_QTY,
    SF_MAP_LIST_STR,
    SF_OBJ,      /* ref names the type */
    SF_LIST_OBJ, /* ref names the element type */
    SF_ANY,
};

struct sfield {
    const char *name;
    unsigned char type; /* enum sf_type */
    short ref;          /* index in schema_types, or -1 */
};

struct stype {
    const char *name; /* "DeploymentSpec" */
    const struct sfield *fields;
    unsigned short n;
};

struct schema_root {
    const char *kind;
    int type;
};

extern const struct stype schema_types[];
extern const unsigned schema_ntypes;
extern const struct schema_root schema_roots[];
extern const unsigned schema_nroots;

/* What is wrong with an object, for the caller's message. */
struct schema_problem {
    bool unknown;     /* an unknown field (else a wrong type) */
    char path[512];   /* "spec.template.spec.containers[0].imagex" */
    char gopath[512]; /* Go's form for type errors: "Container.spec.template.spec.containers.image"
                       */
    char got[32];     /* the JSON type found: "string", "number" */
    char want[64];    /* the Go type: "int32", "[]v1.Container" */
};

/* Checks obj against kind's schema (a kind without one passes). With
 * strict, an unknown field is a problem; without, unknown fields are
 * removed from obj. Returns 0, or -1 with *p filled. */
int schema_check(const char *kind, cJSON *obj, bool strict, struct schema_problem *p);

#endif
