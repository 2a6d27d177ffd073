/* bench/kube_watch.c: what watching a namespace's pods costs the client, on
 * the store's own path (kube_watch feeding kube_store_apply, as `get -w`,
 * `status --watch` and the dashboard do). Prints "key value" lines:
 *   synced_s, synced_cpu_us_per_pod   the first complete list (paged or
 *                                     streaming, whatever the watch chose)
 *   rss_synced_mb, store_bytes        memory once the list is in
 *   cpu_pct                           the process's CPU over --seconds
 *   events, events_per_s              watch events applied in that time
 *   latency_ms_p50/p99/max            for events whose object carries the
 *                                     annotation dify-sim/changed-at (the
 *                                     simulator's bulk changes stamp their
 *                                     CLOCK_MONOTONIC milliseconds there):
 *                                     from the change on the server to the
 *                                     store holding it
 *   rss_end_mb, rss_peak_mb
 *
 *   bench/kube_watch --kubeconfig FILE [--namespace NS] [--seconds S] [--stream]
 *
 * --stream lists with one streaming list (sendInitialEvents) where the
 * server offers it, as kube_watch_opts.stream_list.
 *
 * Not part of the test suite (docs/bench.md). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/kubeconfig.h"
#include "core/loop.h"
#include "core/util.h"

struct bench {
    struct loop *loop;
    struct kube_store *store;
    struct kube_watch *watch;
    long long t0, synced_ms, stop_at;
    double cpu0, synced_cpu;
    long seconds;
    size_t events;
    long long *lat; /* milliseconds */
    size_t nlat, caplat;
    bool in_list;
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, key, n) && line[n] == ':')
            v = atol(line + n + 1);
    if (f)
        fclose(f);
    return v;
}

static void list_item(const cJSON *obj, void *arg)
{
    struct bench *b = arg;
    struct error e;
    error_clear(&e);
    kube_store_apply(b->store, NULL, obj, &e);
}

static void relist_begin(void *arg)
{
    struct bench *b = arg;
    kube_store_relist_begin(b->store);
}

static void done(struct loop *l, long long id, void *arg)
{
    (void)id;
    (void)arg;
    loop_stop(l);
}

static void relist_end(const char *rv, void *arg)
{
    (void)rv;
    struct bench *b = arg;
    kube_store_relist_end(b->store);
    if (b->synced_ms)
        return; /* a relist after an expired watch */
    b->synced_ms = now_ms() - b->t0;
    b->synced_cpu = cpu_now() - b->cpu0;
    size_t n = kube_store_count(b->store);
    printf("pods %zu\n", n);
    printf("streamed %s\n", kube_watch_streaming(b->watch) ? "yes" : "no");
    printf("synced_s %.3f\n", (double)b->synced_ms / 1000.0);
    printf("synced_cpu_us_per_pod %.2f\n", n ? b->synced_cpu * 1e6 / (double)n : 0.0);
    printf("rss_synced_mb %.1f\n", (double)status_kb("VmRSS") / 1024.0);
    printf("store_bytes %zu\n", kube_store_memory(b->store));
    fflush(stdout);
    b->cpu0 = cpu_now();
    b->t0 = now_ms();
    loop_add_timer(b->loop, b->seconds * 1000, done, b);
}

static void event(const char *type, const cJSON *obj, void *arg)
{
    struct bench *b = arg;
    struct error e;
    error_clear(&e);
    kube_store_apply(b->store, type, obj, &e);
    if (!b->synced_ms)
        return;
    b->events++;
    const cJSON *ann = kj_get(obj, "metadata.annotations");
    const cJSON *at = ann ? cJSON_GetObjectItemCaseSensitive(ann, "dify-sim/changed-at") : NULL;
    if (!cJSON_IsString(at))
        return;
    if (b->nlat == b->caplat) {
        b->caplat = b->caplat ? b->caplat * 2 : 1024;
        b->lat = xrealloc(b->lat, b->caplat * sizeof(*b->lat));
    }
    b->lat[b->nlat++] = now_ms() - atoll(at->valuestring);
}

static void watch_error(const struct error *err, void *arg)
{
    (void)arg;
    fprintf(stderr, "kube_watch: watch: %s\n", err->msg);
}

static int ll_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static long long pct(const long long *v, size_t n, double p)
{
    if (!n)
        return -1;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    const char *kc = NULL, *ns = NULL;
    struct bench b = {.seconds = 10};
    bool stream = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--kubeconfig") && i + 1 < argc)
            kc = argv[++i];
        else if (!strcmp(argv[i], "--namespace") && i + 1 < argc)
            ns = argv[++i];
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            b.seconds = atol(argv[++i]);
        else if (!strcmp(argv[i], "--stream"))
            stream = true;
        else {
            fprintf(stderr,
                    "usage: %s --kubeconfig FILE [--namespace NS] [--seconds S] [--stream]\n",
                    argv[0]);
            return 2;
        }
    }
    struct kube_config *cfg;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load_env(kc, NULL, NULL, &cfg, &err) < 0) {
        fprintf(stderr, "kube_watch: %s\n", err.msg);
        return 1;
    }
    const struct kube_resource *res = kube_resource_find("pods");
    b.loop = loop_new();
    struct kube_client *c = kube_client_new(b.loop, cfg);
    b.store = kube_store_new(res->id);
    struct kube_watch_opts o = {.res = res, .ns = ns, .stream_list = stream};
    struct kube_watch_handlers h = {.relist_begin = relist_begin,
                                    .list_item = list_item,
                                    .relist_end = relist_end,
                                    .event = event,
                                    .error = watch_error};
    b.t0 = now_ms();
    b.cpu0 = cpu_now();
    b.watch = kube_watch_start(c, &o, &h, &b);
    loop_run(b.loop);
    double cpu = cpu_now() - b.cpu0;
    double secs = (double)(now_ms() - b.t0) / 1000.0;
    printf("cpu_pct %.2f\n", secs > 0 ? cpu * 100.0 / secs : 0.0);
    printf("events %zu\n", b.events);
    printf("events_per_s %.1f\n", secs > 0 ? (double)b.events / secs : 0.0);
    qsort(b.lat, b.nlat, sizeof(*b.lat), ll_cmp);
    printf("latency_samples %zu\n", b.nlat);
    printf("latency_ms_p50 %lld\n", pct(b.lat, b.nlat, 0.50));
    printf("latency_ms_p99 %lld\n", pct(b.lat, b.nlat, 0.99));
    printf("latency_ms_max %lld\n", b.nlat ? b.lat[b.nlat - 1] : -1);
    printf("rss_end_mb %.1f\n", (double)status_kb("VmRSS") / 1024.0);
    printf("rss_peak_mb %.1f\n", (double)status_kb("VmHWM") / 1024.0);
    kube_watch_cancel(b.watch);
    free(b.lat);
    kube_store_free(b.store);
    kube_client_free(c);
    loop_free(b.loop);
    return 0;
}
