/* sim/proto.c: a table-driven protobuf reader for a subset of the
 * Kubernetes types (see proto.h). Field numbers come from k8s.io/api's
 * generated.proto files. */
#include "config.h"

#include "sim/proto.h"
#include "sim/proto_schema.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"
#include "sim/store.h"

static const struct pfield f_meta[] = {{1, "name", P_STR, NULL},
                                       {2, "generateName", P_STR, NULL},
                                       {3, "namespace", P_STR, NULL},
                                       {11, "labels", P_MAP_SS, NULL},
                                       {12, "annotations", P_MAP_SS, NULL},
                                       {14, "finalizers", P_REP_STR, NULL},
                                       END};
static const struct pmsg m_meta = {f_meta};
static const struct pfield f_labelsel[] = {{1, "matchLabels", P_MAP_SS, NULL}, END};
static const struct pmsg m_labelsel = {f_labelsel};
static const struct pfield f_envvar[] = {{1, "name", P_STR, NULL}, {2, "value", P_STR, NULL}, END};
static const struct pmsg m_envvar = {f_envvar};
static const struct pfield f_cport[] = {
    {1, "name", P_STR, NULL}, {3, "containerPort", P_INT, NULL}, {4, "protocol", P_STR, NULL}, END};
static const struct pmsg m_cport = {f_cport};
static const struct pfield f_container[] = {{1, "name", P_STR, NULL},
                                            {2, "image", P_STR, NULL},
                                            {3, "command", P_REP_STR, NULL},
                                            {4, "args", P_REP_STR, NULL},
                                            {5, "workingDir", P_STR, NULL},
                                            {6, "ports", P_REP_MSG, &m_cport},
                                            {7, "env", P_REP_MSG, &m_envvar},
                                            {14, "imagePullPolicy", P_STR, NULL},
                                            END};
static const struct pmsg m_container = {f_container};
static const struct pfield f_podspec[] = {{2, "containers", P_REP_MSG, &m_container},
                                          {3, "restartPolicy", P_STR, NULL},
                                          {6, "dnsPolicy", P_STR, NULL},
                                          {8, "serviceAccountName", P_STR, NULL},
                                          {10, "nodeName", P_STR, NULL},
                                          {20, "initContainers", P_REP_MSG, &m_container},
                                          END};
static const struct pmsg m_podspec = {f_podspec};
static const struct pfield f_template[] = {
    {1, "metadata", P_MSG, &m_meta}, {2, "spec", P_MSG, &m_podspec}, END};
static const struct pmsg m_template = {f_template};
static const struct pfield f_deployspec[] = {{1, "replicas", P_INT, NULL},
                                             {2, "selector", P_MSG, &m_labelsel},
                                             {3, "template", P_MSG, &m_template},
                                             END};
static const struct pmsg m_deployspec = {f_deployspec};
static const struct pfield f_jobspec[] = {{1, "parallelism", P_INT, NULL},
                                          {2, "completions", P_INT, NULL},
                                          {6, "template", P_MSG, &m_template},
                                          {7, "backoffLimit", P_INT, NULL},
                                          END};
static const struct pmsg m_jobspec = {f_jobspec};
static const struct pfield f_sport[] = {
    {1, "name", P_STR, NULL},     {2, "protocol", P_STR, NULL},
    {3, "port", P_INT, NULL},     {4, "targetPort", P_INTORSTR, NULL},
    {5, "nodePort", P_INT, NULL}, END};
static const struct pmsg m_sport = {f_sport};
static const struct pfield f_svcspec[] = {{1, "ports", P_REP_MSG, &m_sport},
                                          {2, "selector", P_MAP_SS, NULL},
                                          {3, "clusterIP", P_STR, NULL},
                                          {4, "type", P_STR, NULL},
                                          END};
static const struct pmsg m_svcspec = {f_svcspec};

static const struct pfield f_ns[] = {{1, "metadata", P_MSG, &m_meta}, END};
static const struct pfield f_cm[] = {{1, "metadata", P_MSG, &m_meta},
                                     {2, "data", P_MAP_SS, NULL},
                                     {3, "binaryData", P_MAP_SB, NULL},
                                     {4, "immutable", P_BOOL, NULL},
                                     END};
static const struct pfield f_secret[] = {
    {1, "metadata", P_MSG, &m_meta},   {2, "data", P_MAP_SB, NULL},    {3, "type", P_STR, NULL},
    {4, "stringData", P_MAP_SS, NULL}, {5, "immutable", P_BOOL, NULL}, END};
static const struct pfield f_pod[] = {
    {1, "metadata", P_MSG, &m_meta}, {2, "spec", P_MSG, &m_podspec}, END};
static const struct pfield f_deploy[] = {
    {1, "metadata", P_MSG, &m_meta}, {2, "spec", P_MSG, &m_deployspec}, END};
static const struct pfield f_job[] = {
    {1, "metadata", P_MSG, &m_meta}, {2, "spec", P_MSG, &m_jobspec}, END};
static const struct pfield f_svc[] = {
    {1, "metadata", P_MSG, &m_meta}, {2, "spec", P_MSG, &m_svcspec}, END};

static const struct {
    const char *kind;
    struct pmsg msg;
} g_kinds[] = {
    {"Namespace", {f_ns}},  {"ServiceAccount", {f_ns}}, {"ConfigMap", {f_cm}},
    {"Secret", {f_secret}}, {"Pod", {f_pod}},           {"Deployment", {f_deploy}},
    {"Job", {f_job}},       {"Service", {f_svc}},
};

struct rd {
    const unsigned char *p, *end;
};

static bool varint(struct rd *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Reads one field header and its payload: for wire type 2, data and n. */
static bool next_field(struct rd *r, int *num, int *wire, uint64_t *v, const unsigned char **data,
                       size_t *n)
{
    uint64_t key;
    if (!varint(r, &key))
        return false;
    *num = (int)(key >> 3);
    *wire = (int)(key & 7);
    switch (*wire) {
    case 0:
        return varint(r, v);
    case 1:
        if (r->end - r->p < 8)
            return false;
        r->p += 8;
        return true;
    case 5:
        if (r->end - r->p < 4)
            return false;
        r->p += 4;
        return true;
    case 2:
        if (!varint(r, v) || *v > (uint64_t)(r->end - r->p))
            return false;
        *data = r->p;
        *n = (size_t)*v;
        r->p += *n;
        return true;
    default:
        return false;
    }
}

static char *b64(const unsigned char *d, size_t n)
{
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, d, (int)n);
    return out;
}

static cJSON *decode_msg(const struct pmsg *m, const unsigned char *buf, size_t len, int depth);

/* A map entry: key = 1 (string), value = 2 (string or bytes). */
static void map_entry(cJSON *map, const unsigned char *d, size_t n, bool bytes)
{
    struct rd r = {d, d + n};
    char *key = NULL;
    cJSON *val = NULL;
    int num, wire;
    uint64_t v;
    const unsigned char *data;
    size_t len;
    while (r.p < r.end && next_field(&r, &num, &wire, &v, &data, &len)) {
        if (wire != 2)
            continue;
        if (num == 1) {
            free(key);
            key = xstrndup((const char *)data, len);
        } else if (num == 2) {
            cJSON_Delete(val);
            if (bytes) {
                char *s = b64(data, len);
                val = cJSON_CreateString(s);
                free(s);
            } else {
                char *s = xstrndup((const char *)data, len);
                val = cJSON_CreateString(s);
                free(s);
            }
        }
    }
    if (key)
        js_set(map, key, val ? val : cJSON_CreateString(""));
    else
        cJSON_Delete(val);
    free(key);
}

static cJSON *decode_msg(const struct pmsg *m, const unsigned char *buf, size_t len, int depth)
{
    cJSON *o = cJSON_CreateObject();
    struct rd r = {buf, buf + len};
    int num, wire;
    uint64_t v;
    const unsigned char *data = NULL;
    size_t n = 0;
    if (depth > 16)
        return o;
    while (r.p < r.end) {
        if (!next_field(&r, &num, &wire, &v, &data, &n)) {
            cJSON_Delete(o);
            return NULL;
        }
        const struct pfield *f = m->fields;
        while (f->name && f->num != num)
            f++;
        if (!f->name)
            continue;
        char *s;
        switch (f->type) {
        case P_STR:
        case P_BYTES:
            if (wire != 2)
                break;
            if (n == 0)
                break; /* proto2 sends empty strings; JSON omits them */
            s = f->type == P_STR ? xstrndup((const char *)data, n) : b64(data, n);
            js_set_str(o, f->name, s);
            free(s);
            break;
        case P_INT:
            /* zero is omitted except where the Go field is a pointer */
            if (wire == 0 &&
                (v != 0 || strcmp(f->name, "replicas") == 0 ||
                 strcmp(f->name, "backoffLimit") == 0 || strcmp(f->name, "parallelism") == 0 ||
                 strcmp(f->name, "completions") == 0))
                js_set_num(o, f->name, (double)(int64_t)v);
            break;
        case P_BOOL:
            if (wire == 0)
                js_set_bool(o, f->name, v != 0);
            break;
        case P_MSG:
        case P_REP_MSG:
        case P_INTORSTR: {
            if (wire != 2)
                break;
            if (f->type == P_INTORSTR) {
                /* IntOrString: type = 1 (0 int, 1 string), intVal = 2, strVal = 3 */
                struct rd ir = {data, data + n};
                int in, iw;
                uint64_t iv, type = 0, ival = 0;
                const unsigned char *id = NULL;
                size_t il = 0;
                char *str = NULL;
                while (ir.p < ir.end && next_field(&ir, &in, &iw, &iv, &id, &il)) {
                    if (in == 1 && iw == 0)
                        type = iv;
                    else if (in == 2 && iw == 0)
                        ival = iv;
                    else if (in == 3 && iw == 2) {
                        free(str);
                        str = xstrndup((const char *)id, il);
                    }
                }
                if (type == 1 && str)
                    js_set_str(o, f->name, str);
                else
                    js_set_num(o, f->name, (double)(int64_t)ival);
                free(str);
                break;
            }
            cJSON *sub = decode_msg(f->msg, data, n, depth + 1);
            if (!sub) {
                cJSON_Delete(o);
                return NULL;
            }
            if (f->type == P_MSG) {
                js_set(o, f->name, sub);
            } else {
                cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, f->name);
                if (!arr) {
                    arr = cJSON_CreateArray();
                    js_set(o, f->name, arr);
                }
                cJSON_AddItemToArray(arr, sub);
            }
            break;
        }
        case P_MAP_SS:
        case P_MAP_SB:
            if (wire == 2)
                map_entry(js_obj(o, f->name), data, n, f->type == P_MAP_SB);
            break;
        case P_REP_STR:
            if (wire == 2) {
                cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, f->name);
                if (!arr) {
                    arr = cJSON_CreateArray();
                    js_set(o, f->name, arr);
                }
                s = xstrndup((const char *)data, n);
                cJSON_AddItemToArray(arr, cJSON_CreateString(s));
                free(s);
            }
            break;
        default: /* the writer's types (sim/proto_write.c) */
            break;
        }
    }
    return o;
}

cJSON *proto_decode(const unsigned char *buf, size_t len, struct error *err)
{
    if (len < 4 || memcmp(buf, "k8s\0", 4) != 0) {
        error_set(err, ERR_PARSE, 415, "the protobuf body lacks the k8s envelope");
        return NULL;
    }
    struct rd r = {buf + 4, buf + len};
    int num, wire;
    uint64_t v;
    const unsigned char *data = NULL, *raw = NULL;
    size_t n = 0, raw_len = 0;
    char *api_version = NULL, *kind = NULL;
    while (r.p < r.end && next_field(&r, &num, &wire, &v, &data, &n)) {
        if (num == 1 && wire == 2) { /* TypeMeta */
            struct rd tr = {data, data + n};
            int tn, tw;
            uint64_t tv;
            const unsigned char *td;
            size_t tl;
            while (tr.p < tr.end && next_field(&tr, &tn, &tw, &tv, &td, &tl)) {
                if (tn == 1 && tw == 2) {
                    free(api_version);
                    api_version = xstrndup((const char *)td, tl);
                } else if (tn == 2 && tw == 2) {
                    free(kind);
                    kind = xstrndup((const char *)td, tl);
                }
            }
        } else if (num == 2 && wire == 2) {
            raw = data;
            raw_len = n;
        }
    }
    cJSON *out = NULL;
    for (size_t i = 0; kind && i < ARRAY_LEN(g_kinds); i++) {
        if (strcmp(g_kinds[i].kind, kind) != 0)
            continue;
        out = decode_msg(&g_kinds[i].msg, raw ? raw : (const unsigned char *)"", raw_len, 0);
        if (!out)
            error_set(err, ERR_PARSE, 400, "the protobuf %s does not decode", kind);
        break;
    }
    if (out) {
        js_set_str(out, "apiVersion", api_version ? api_version : "v1");
        js_set_str(out, "kind", kind);
    } else if (!error_is_set(err)) {
        error_set(err, ERR_PARSE, 415,
                  "dify-sim does not decode protobuf %s bodies; send application/json",
                  kind ? kind : "(unknown kind)");
    }
    free(api_version);
    free(kind);
    return out;
}
