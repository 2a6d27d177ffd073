/* sim/proto_write.c: the protobuf writer (see proto_write.h). */
#include "config.h"

#include "sim/proto_write.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/kube_json.h"
#include "core/log.h"
#include "sim/proto_schema.h"

static void put_varint(struct strbuf *o, uint64_t v)
{
    char b[10];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (char)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (char)v;
    strbuf_add(o, b, n);
}

static void put_key(struct strbuf *o, int num, int wire)
{
    put_varint(o, (uint64_t)num << 3 | (uint64_t)wire);
}

static void put_bytes(struct strbuf *o, int num, const char *d, size_t n)
{
    put_key(o, num, 2);
    put_varint(o, n);
    if (n)
        strbuf_add(o, d, n);
}

static void put_str(struct strbuf *o, int num, const char *s)
{
    put_bytes(o, num, s, strlen(s));
}

static void put_int(struct strbuf *o, int num, long long v)
{
    put_key(o, num, 0);
    put_varint(o, (uint64_t)v); /* negative: ten bytes, as Go writes int32 and int64 */
}

/* A submessage: its bytes made in sub, then key, length and bytes. */
static void put_sub(struct strbuf *o, int num, struct strbuf *sub)
{
    put_bytes(o, num, sub->buf ? sub->buf : "", sub->len);
    strbuf_reset(sub);
}

static int encode_msg(const struct pmsg *m, const cJSON *j, struct strbuf *o, unsigned *lost,
                      const char *path);

/* Is name a field of m, or of a message m holds inline? */
static bool has_name(const struct pmsg *m, const char *name)
{
    for (const struct pfield *f = m->fields; f->num; f++) {
        if (f->type == P_INLINE ? has_name(f->msg, name) : f->name && !strcmp(f->name, name))
            return true;
    }
    return false;
}

static void note_lost(unsigned *lost, const char *path, const char *name)
{
    if (lost)
        (*lost)++;
    log_debug("protobuf: no field for %s.%s: left out", path, name);
}

static void encode_qty(struct strbuf *o, int num, const cJSON *v, struct strbuf *tmp)
{
    char buf[64];
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    if (!s && cJSON_IsNumber(v)) {
        snprintf(buf, sizeof(buf), "%.17g", v->valuedouble);
        s = buf;
    }
    if (!s)
        return;
    put_str(tmp, 1, s); /* Quantity {string 1} */
    put_sub(o, num, tmp);
}

static void encode_field(const struct pfield *f, const cJSON *v, struct strbuf *o, unsigned *lost,
                         const char *path)
{
    struct strbuf tmp, entry;
    strbuf_init(&tmp);
    strbuf_init(&entry);
    char *sub_path = xasprintf("%s.%s", path, f->name ? f->name : "");
    const cJSON *c;
    bool wrong = false;
    switch (f->type) {
    case P_STR:
    case P_BYTES:
        if (cJSON_IsString(v))
            put_str(o, f->num, v->valuestring);
        else
            wrong = true;
        break;
    case P_INT:
        if (cJSON_IsNumber(v))
            put_int(o, f->num, (long long)v->valuedouble);
        else
            wrong = true;
        break;
    case P_BOOL:
        if (cJSON_IsBool(v))
            put_int(o, f->num, cJSON_IsTrue(v));
        else
            wrong = true;
        break;
    case P_TIME: {
        long long t = cJSON_IsString(v) ? kube_time_parse(v->valuestring) : -1;
        if (t < 0 && !(cJSON_IsString(v) && !*v->valuestring)) {
            wrong = true;
            break;
        }
        if (t > 0)
            put_int(&tmp, 1, t); /* Time {seconds 1, nanos 2} */
        put_sub(o, f->num, &tmp);
        break;
    }
    case P_QTY:
        encode_qty(o, f->num, v, &tmp);
        break;
    case P_MSG:
        if (!cJSON_IsObject(v)) {
            wrong = true;
            break;
        }
        encode_msg(f->msg, v, &tmp, lost, sub_path);
        put_sub(o, f->num, &tmp);
        break;
    case P_REP_MSG:
        cJSON_ArrayForEach(c, v)
        {
            if (cJSON_IsObject(c)) {
                encode_msg(f->msg, c, &tmp, lost, sub_path);
                put_sub(o, f->num, &tmp);
            }
        }
        wrong = !cJSON_IsArray(v);
        break;
    case P_REP_STR:
        cJSON_ArrayForEach(c, v)
        {
            if (cJSON_IsString(c))
                put_str(o, f->num, c->valuestring);
        }
        wrong = !cJSON_IsArray(v);
        break;
    case P_MAP_SS:
    case P_MAP_SB:
    case P_MAP_QTY:
        cJSON_ArrayForEach(c, v)
        {
            if (!c->string)
                continue;
            put_str(&entry, 1, c->string);
            if (f->type == P_MAP_QTY)
                encode_qty(&entry, 2, c, &tmp);
            else if (cJSON_IsString(c))
                put_str(&entry, 2, c->valuestring);
            put_sub(o, f->num, &entry);
        }
        wrong = !cJSON_IsObject(v);
        break;
    case P_INTORSTR:
        /* IntOrString {type 1 (0 int, 1 string), intVal 2, strVal 3} */
        if (cJSON_IsString(v)) {
            put_int(&tmp, 1, 1);
            put_str(&tmp, 3, v->valuestring);
        } else if (cJSON_IsNumber(v)) {
            put_int(&tmp, 1, 0);
            put_int(&tmp, 2, (long long)v->valuedouble);
        } else {
            wrong = true;
            break;
        }
        put_sub(o, f->num, &tmp);
        break;
    case P_INLINE:
    case P_JSON:
        break; /* encode_msg */
    }
    if (wrong) {
        /* A value its field's type cannot hold (a string restartCount, stored
         * through JSON) goes out under the field's number with a wire type the
         * field does not have, so a reader says the field is malformed as it
         * would of the JSON, instead of leaving it out and showing a zero. */
        if (f->type == P_INT || f->type == P_BOOL) {
            char *text = cJSON_PrintUnformatted(v);
            put_str(o, f->num, text ? text : "");
            free(text);
        } else {
            put_int(o, f->num, 0);
        }
        if (lost)
            (*lost)++;
        log_debug("protobuf: %s has a JSON type its field has not: sent with a wrong wire type",
                  sub_path);
    }
    free(sub_path);
    strbuf_done(&tmp);
    strbuf_done(&entry);
}

static int encode_msg(const struct pmsg *m, const cJSON *j, struct strbuf *o, unsigned *lost,
                      const char *path)
{
    for (const struct pfield *f = m->fields; f->num; f++) {
        if (f->type == P_JSON) { /* the object itself as text (FieldsV1's Raw) */
            char *s = cJSON_PrintUnformatted(j);
            put_str(o, f->num, s);
            free(s);
            return 0;
        }
        if (f->type == P_INLINE) {
            struct strbuf tmp;
            strbuf_init(&tmp);
            encode_msg(f->msg, j, &tmp, NULL, path); /* its members are counted below */
            if (tmp.len)
                put_sub(o, f->num, &tmp);
            strbuf_done(&tmp);
            continue;
        }
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, f->name);
        if (v && !cJSON_IsNull(v))
            encode_field(f, v, o, lost, path);
    }
    for (const cJSON *c = j->child; lost && c; c = c->next)
        if (c->string && !cJSON_IsNull(c) && !has_name(m, c->string))
            note_lost(lost, path, c->string);
    return 0;
}

bool proto_accept_first(const char *accept)
{
    if (!accept)
        return false;
    while (*accept == ' ' || *accept == '\t')
        accept++;
    size_t n = strlen(PROTO_MEDIA);
    return !strncasecmp(accept, PROTO_MEDIA, n) &&
           (accept[n] == '\0' || accept[n] == ',' || accept[n] == ';' || accept[n] == ' ');
}

static const struct pmsg *kind_msg(const char *kind)
{
    return kind && !strcmp(kind, "Pod") ? &proto_pod_msg : NULL;
}

bool proto_writes(const char *kind)
{
    return kind_msg(kind) != NULL;
}

int proto_object_raw(const char *kind, const cJSON *j, struct strbuf *out, unsigned *lost)
{
    const struct pmsg *m = kind_msg(kind);
    if (!m || !cJSON_IsObject(j))
        return -1;
    /* kind and apiVersion are the envelope's: left out of the copy read */
    cJSON *copy = cJSON_CreateObject();
    for (const cJSON *c = j->child; c; c = c->next)
        if (c->string && strcmp(c->string, "kind") != 0 && strcmp(c->string, "apiVersion") != 0)
            cJSON_AddItemReferenceToObject(copy, c->string, (cJSON *)c);
    encode_msg(m, copy, out, lost, kind);
    cJSON_Delete(copy);
    return 0;
}

void proto_envelope(struct strbuf *out, const char *api_version, const char *kind, const char *raw,
                    size_t n)
{
    struct strbuf tm;
    strbuf_init(&tm);
    strbuf_add(out, "k8s\0", 4);
    put_str(&tm, 1, api_version); /* runtime.TypeMeta {apiVersion 1, kind 2} */
    put_str(&tm, 2, kind);
    put_sub(out, 1, &tm);
    put_bytes(out, 2, raw, n);
    put_str(out, 3, ""); /* contentEncoding, contentType: Go writes them empty */
    put_str(out, 4, "");
    strbuf_done(&tm);
}

void proto_list_item(struct strbuf *items, const char *raw, size_t n)
{
    put_bytes(items, 2, raw, n); /* XList {metadata 1, items 2} */
}

void proto_list(struct strbuf *out, const char *api_version, const char *kind, const char *rv,
                const char *cont, long long remaining, const struct strbuf *items)
{
    struct strbuf list, meta;
    strbuf_init(&list);
    strbuf_init(&meta);
    /* ListMeta {resourceVersion 2, continue 3, remainingItemCount 4} */
    put_str(&meta, 2, rv ? rv : "");
    if (cont)
        put_str(&meta, 3, cont);
    if (cont && remaining >= 0)
        put_int(&meta, 4, remaining);
    put_sub(&list, 1, &meta);
    strbuf_add(&list, items->buf ? items->buf : "", items->len);
    char *lk = xasprintf("%sList", kind);
    proto_envelope(out, api_version, lk, list.buf, list.len);
    free(lk);
    strbuf_done(&list);
    strbuf_done(&meta);
}

static const struct pfield f_details[] = {{1, "name", P_STR, NULL},
                                          {2, "group", P_STR, NULL},
                                          {3, "kind", P_STR, NULL},
                                          {6, "uid", P_STR, NULL},
                                          END};
static const struct pmsg m_details = {f_details};
static const struct pfield f_status[] = {
    {2, "status", P_STR, NULL},        {3, "message", P_STR, NULL}, {4, "reason", P_STR, NULL},
    {5, "details", P_MSG, &m_details}, {6, "code", P_INT, NULL},    END};
static const struct pmsg m_status = {f_status};

void proto_watch_event(struct strbuf *out, const char *kind, const char *type, const cJSON *obj)
{
    struct strbuf raw, env, ext, ev;
    strbuf_init(&raw);
    strbuf_init(&env);
    strbuf_init(&ext);
    strbuf_init(&ev);
    const char *ok = kj_str(obj, "kind");
    if (!strcmp(type, "ERROR") || (ok && !strcmp(ok, "Status"))) {
        /* metav1.Status: its members the same way as a kind's */
        encode_msg(&m_status, obj, &raw, NULL, "Status");
        proto_envelope(&env, "v1", "Status", raw.buf ? raw.buf : "", raw.len);
    } else {
        proto_object_raw(kind, obj, &raw, NULL);
        const char *av = kj_str(obj, "apiVersion");
        proto_envelope(&env, av ? av : "v1", kind, raw.buf ? raw.buf : "", raw.len);
    }
    put_bytes(&ext, 1, env.buf, env.len); /* RawExtension {raw 1} */
    put_str(&ev, 1, type);                /* WatchEvent {type 1, object 2} */
    put_sub(&ev, 2, &ext);
    unsigned char len[4] = {(unsigned char)(ev.len >> 24), (unsigned char)(ev.len >> 16),
                            (unsigned char)(ev.len >> 8), (unsigned char)ev.len};
    strbuf_add(out, (const char *)len, 4);
    strbuf_add(out, ev.buf, ev.len);
    strbuf_done(&raw);
    strbuf_done(&env);
    strbuf_done(&ext);
    strbuf_done(&ev);
}
