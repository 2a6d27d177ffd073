/* sim/table.c: Table columns and cells per kind (see table.h). */
#include "config.h"

#include "sim/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "sim/store.h"

struct column {
    const char *name, *type, *format;
    int priority;
};

static const struct column pod_cols[] = {
    {"Name", "string", "name", 0}, {"Ready", "string", "", 0}, {"Status", "string", "", 0},
    {"Restarts", "string", "", 0}, {"Age", "string", "", 0},   {"IP", "string", "", 1},
    {"Node", "string", "", 1},     {NULL, NULL, NULL, 0}};
static const struct column deploy_cols[] = {
    {"Name", "string", "name", 0},   {"Ready", "string", "", 0}, {"Up-to-date", "integer", "", 0},
    {"Available", "integer", "", 0}, {"Age", "string", "", 0},   {"Containers", "string", "", 1},
    {"Images", "string", "", 1},     {NULL, NULL, NULL, 0}};
static const struct column rs_cols[] = {
    {"Name", "string", "name", 0}, {"Desired", "integer", "", 0}, {"Current", "integer", "", 0},
    {"Ready", "integer", "", 0},   {"Age", "string", "", 0},      {NULL, NULL, NULL, 0}};
static const struct column sts_cols[] = {{"Name", "string", "name", 0},
                                         {"Ready", "string", "", 0},
                                         {"Age", "string", "", 0},
                                         {NULL, NULL, NULL, 0}};
static const struct column job_cols[] = {
    {"Name", "string", "name", 0}, {"Status", "string", "", 0}, {"Completions", "string", "", 0},
    {"Duration", "string", "", 0}, {"Age", "string", "", 0},    {NULL, NULL, NULL, 0}};
static const struct column svc_cols[] = {{"Name", "string", "name", 0},
                                         {"Type", "string", "", 0},
                                         {"Cluster-IP", "string", "", 0},
                                         {"External-IP", "string", "", 0},
                                         {"Port(s)", "string", "", 0},
                                         {"Age", "string", "", 0},
                                         {NULL, NULL, NULL, 0}};
static const struct column node_cols[] = {
    {"Name", "string", "name", 0}, {"Status", "string", "", 0},  {"Roles", "string", "", 0},
    {"Age", "string", "", 0},      {"Version", "string", "", 0}, {NULL, NULL, NULL, 0}};
static const struct column ns_cols[] = {{"Name", "string", "name", 0},
                                        {"Status", "string", "", 0},
                                        {"Age", "string", "", 0},
                                        {NULL, NULL, NULL, 0}};
static const struct column ev_cols[] = {{"Last Seen", "string", "", 0}, {"Type", "string", "", 0},
                                        {"Reason", "string", "", 0},    {"Object", "string", "", 0},
                                        {"Message", "string", "", 0},   {NULL, NULL, NULL, 0}};
static const struct column default_cols[] = {
    {"Name", "string", "name", 0}, {"Age", "string", "", 0}, {NULL, NULL, NULL, 0}};

static const struct column *columns_for(const struct rtype *rt)
{
    const char *p = rt->plural;
    if (strcmp(p, "pods") == 0)
        return pod_cols;
    if (strcmp(p, "deployments") == 0)
        return deploy_cols;
    if (strcmp(p, "replicasets") == 0)
        return rs_cols;
    if (strcmp(p, "statefulsets") == 0)
        return sts_cols;
    if (strcmp(p, "jobs") == 0)
        return job_cols;
    if (strcmp(p, "services") == 0)
        return svc_cols;
    if (strcmp(p, "nodes") == 0)
        return node_cols;
    if (strcmp(p, "namespaces") == 0)
        return ns_cols;
    if (strcmp(p, "events") == 0)
        return ev_cols;
    return default_cols;
}

static time_t parse_ts(const char *ts)
{
    struct tm tm = {0};
    if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return 0;
    return timegm(&tm);
}

static void human_duration(long s, char out[32])
{
    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(out, 32, "%lds", s);
    else if (s < 600)
        snprintf(out, 32, "%ldm%lds", s / 60, s % 60);
    else if (s < 3 * 3600)
        snprintf(out, 32, "%ldm", s / 60);
    else if (s < 8 * 3600)
        snprintf(out, 32, "%ldh%ldm", s / 3600, (s % 3600) / 60);
    else if (s < 48 * 3600)
        snprintf(out, 32, "%ldh", s / 3600);
    else
        snprintf(out, 32, "%ldd", s / 86400);
}

void human_age(const char *timestamp, char out[32])
{
    time_t t = parse_ts(timestamp);
    if (!t) {
        snprintf(out, 32, "<unknown>");
        return;
    }
    human_duration((long)(time(NULL) - t), out);
}

cJSON *table_new(const struct rtype *rt)
{
    cJSON *t = cJSON_CreateObject();
    js_set_str(t, "kind", "Table");
    js_set_str(t, "apiVersion", "meta.k8s.io/v1");
    js_obj(t, "metadata");
    cJSON *defs = cJSON_AddArrayToObject(t, "columnDefinitions");
    for (const struct column *c = columns_for(rt); c->name; c++) {
        cJSON *d = cJSON_CreateObject();
        js_set_str(d, "name", c->name);
        js_set_str(d, "type", c->type);
        js_set_str(d, "format", c->format);
        js_set_str(d, "description", "");
        js_set_num(d, "priority", c->priority);
        cJSON_AddItemToArray(defs, d);
    }
    cJSON_AddArrayToObject(t, "rows");
    return t;
}

/* The STATUS column of kubectl get pods: the most telling container state. */
static const char *pod_status(const cJSON *pod)
{
    if (js_str(pod, "metadata.deletionTimestamp"))
        return "Terminating";
    const char *reason = js_str(pod, "status.reason");
    const cJSON *cs;
    cJSON_ArrayForEach(cs, js_path(pod, "status.initContainerStatuses"))
    {
        const char *w = js_str(cs, "state.waiting.reason");
        if (w && strcmp(w, "PodInitializing") != 0)
            return w;
    }
    const char *status = reason ? reason : js_str(pod, "status.phase");
    cJSON_ArrayForEach(cs, js_path(pod, "status.containerStatuses"))
    {
        const char *w = js_str(cs, "state.waiting.reason");
        const char *t = js_str(cs, "state.terminated.reason");
        if (w)
            status = w;
        else if (t)
            status = t;
    }
    return status ? status : "Unknown";
}

static void add_cell_str(cJSON *cells, const char *s)
{
    cJSON_AddItemToArray(cells, cJSON_CreateString(s ? s : "<none>"));
}

static void add_cell_int(cJSON *cells, double v)
{
    cJSON_AddItemToArray(cells, cJSON_CreateNumber(v));
}

static void cond_status(const cJSON *obj, const char *type, const char **status)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, js_path(obj, "status.conditions"))
    {
        if (str_eq(js_str(c, "type"), type))
            *status = js_str(c, "status");
    }
}

void table_add_row(cJSON *table, const struct rtype *rt, const cJSON *obj, bool full_object)
{
    cJSON *row = cJSON_CreateObject();
    cJSON *cells = cJSON_AddArrayToObject(row, "cells");
    char age[32], buf[256];
    human_age(js_str(obj, "metadata.creationTimestamp"), age);
    const char *name = js_str(obj, "metadata.name");
    const char *p = rt->plural;
    if (strcmp(p, "pods") == 0) {
        int ready = 0, total = 0, restarts = 0;
        const cJSON *cs;
        cJSON_ArrayForEach(cs, js_path(obj, "spec.containers")) total++;
        cJSON_ArrayForEach(cs, js_path(obj, "status.containerStatuses"))
        {
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "ready")))
                ready++;
            restarts += (int)js_num(cs, "restartCount", 0);
        }
        add_cell_str(cells, name);
        snprintf(buf, sizeof(buf), "%d/%d", ready, total);
        add_cell_str(cells, buf);
        add_cell_str(cells, pod_status(obj));
        snprintf(buf, sizeof(buf), "%d", restarts);
        add_cell_str(cells, buf);
        add_cell_str(cells, age);
        add_cell_str(cells, js_str(obj, "status.podIP"));
        add_cell_str(cells, js_str(obj, "spec.nodeName"));
    } else if (strcmp(p, "deployments") == 0) {
        add_cell_str(cells, name);
        snprintf(buf, sizeof(buf), "%.0f/%.0f", js_num(obj, "status.readyReplicas", 0),
                 js_num(obj, "spec.replicas", 1));
        add_cell_str(cells, buf);
        add_cell_int(cells, js_num(obj, "status.updatedReplicas", 0));
        add_cell_int(cells, js_num(obj, "status.availableReplicas", 0));
        add_cell_str(cells, age);
        struct strbuf names, images;
        strbuf_init(&names);
        strbuf_init(&images);
        const cJSON *c;
        cJSON_ArrayForEach(c, js_path(obj, "spec.template.spec.containers"))
        {
            strbuf_addf(&names, "%s%s", names.len ? "," : "", js_str(c, "name"));
            strbuf_addf(&images, "%s%s", images.len ? "," : "", js_str(c, "image"));
        }
        add_cell_str(cells, names.buf);
        add_cell_str(cells, images.buf);
        strbuf_done(&names);
        strbuf_done(&images);
    } else if (strcmp(p, "replicasets") == 0) {
        add_cell_str(cells, name);
        add_cell_int(cells, js_num(obj, "spec.replicas", 1));
        add_cell_int(cells, js_num(obj, "status.replicas", 0));
        add_cell_int(cells, js_num(obj, "status.readyReplicas", 0));
        add_cell_str(cells, age);
    } else if (strcmp(p, "statefulsets") == 0) {
        add_cell_str(cells, name);
        snprintf(buf, sizeof(buf), "%.0f/%.0f", js_num(obj, "status.readyReplicas", 0),
                 js_num(obj, "spec.replicas", 1));
        add_cell_str(cells, buf);
        add_cell_str(cells, age);
    } else if (strcmp(p, "jobs") == 0) {
        const char *complete = NULL, *failed = NULL;
        cond_status(obj, "Complete", &complete);
        cond_status(obj, "Failed", &failed);
        add_cell_str(cells, name);
        add_cell_str(cells, str_eq(complete, "True") ? "Complete"
                            : str_eq(failed, "True") ? "Failed"
                                                     : "Running");
        snprintf(buf, sizeof(buf), "%.0f/%.0f", js_num(obj, "status.succeeded", 0),
                 js_num(obj, "spec.completions", 1));
        add_cell_str(cells, buf);
        time_t st = parse_ts(js_str(obj, "status.startTime"));
        time_t ct = parse_ts(js_str(obj, "status.completionTime"));
        char dur[32] = "";
        if (st)
            human_duration((long)((ct ? ct : time(NULL)) - st), dur);
        add_cell_str(cells, dur);
        add_cell_str(cells, age);
    } else if (strcmp(p, "services") == 0) {
        add_cell_str(cells, name);
        add_cell_str(cells, js_str(obj, "spec.type") ? js_str(obj, "spec.type") : "ClusterIP");
        add_cell_str(cells, js_str(obj, "spec.clusterIP"));
        add_cell_str(cells, "<none>");
        struct strbuf ports;
        strbuf_init(&ports);
        const cJSON *sp;
        cJSON_ArrayForEach(sp, js_path(obj, "spec.ports"))
        {
            strbuf_addf(&ports, "%s%.0f/%s", ports.len ? "," : "", js_num(sp, "port", 0),
                        js_str(sp, "protocol") ? js_str(sp, "protocol") : "TCP");
        }
        add_cell_str(cells, ports.len ? ports.buf : "<none>");
        strbuf_done(&ports);
        add_cell_str(cells, age);
    } else if (strcmp(p, "nodes") == 0) {
        const char *ready = NULL;
        cond_status(obj, "Ready", &ready);
        add_cell_str(cells, name);
        add_cell_str(cells, str_eq(ready, "True") ? "Ready" : "NotReady");
        add_cell_str(cells,
                     cJSON_GetObjectItemCaseSensitive(js_path(obj, "metadata.labels"),
                                                      "node-role.kubernetes.io/control-plane")
                         ? "control-plane"
                         : "<none>");
        add_cell_str(cells, age);
        add_cell_str(cells, js_str(obj, "status.nodeInfo.kubeletVersion"));
    } else if (strcmp(p, "namespaces") == 0) {
        add_cell_str(cells, name);
        add_cell_str(cells, js_str(obj, "status.phase") ? js_str(obj, "status.phase") : "Active");
        add_cell_str(cells, age);
    } else if (strcmp(p, "events") == 0) {
        char seen[32];
        human_age(js_str(obj, "lastTimestamp"), seen);
        add_cell_str(cells, seen);
        add_cell_str(cells, js_str(obj, "type"));
        add_cell_str(cells, js_str(obj, "reason"));
        snprintf(buf, sizeof(buf), "%s/%s", js_str(obj, "involvedObject.kind"),
                 js_str(obj, "involvedObject.name"));
        {
            char *lower = xstrdup(buf);
            for (char *c = lower; *c && *c != '/'; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
            add_cell_str(cells, lower);
            free(lower);
        }
        add_cell_str(cells, js_str(obj, "message"));
    } else {
        add_cell_str(cells, name);
        add_cell_str(cells, age);
    }
    if (full_object) {
        js_set(row, "object", cJSON_Duplicate(obj, 1));
    } else {
        cJSON *pm = cJSON_CreateObject();
        js_set_str(pm, "kind", "PartialObjectMetadata");
        js_set_str(pm, "apiVersion", "meta.k8s.io/v1");
        cJSON *meta = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), 1);
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
        js_set(pm, "metadata", meta);
        js_set(row, "object", pm);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(table, "rows"), row);
}
