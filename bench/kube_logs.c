/* bench/kube_logs.c: what following a chatty container costs the client
 * over time: kube_logs with follow, the stream split into lines
 * (kube_lines_feed) and kept in a bounded ring of the last --keep lines, as
 * a log view keeps them. Every --every seconds it prints
 *   t_s LINES_TOTAL lines_per_s RSS_MB CPU_PCT
 * and at the end rss_first_mb, rss_last_mb, rss_growth_mb (last minus the
 * first sample: flat memory is about 0), lines, lines_per_s, cpu_pct.
 *
 *   bench/kube_logs --kubeconfig FILE --namespace NS --pod NAME
 *                   [--seconds S] [--every S] [--keep N]
 *
 * dify-sim's scenario rule logRate makes a container write that many lines
 * a second (bench/log_follow.sh). Not part of the test suite. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_watch.h"
#include "core/kubeconfig.h"
#include "core/loop.h"
#include "core/util.h"

struct bench {
    struct loop *loop;
    struct kube_lines lines;
    char **ring; /* the last keep lines */
    size_t keep, head, held;
    unsigned long total, at_sample;
    long long t0, last_ms;
    double cpu0, cpu_last;
    long every;
    double rss_first, rss_last;
    int samples;
    bool ended;
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return (double)kb / 1024.0;
}

static int one_line(const char *line, size_t len, void *arg)
{
    struct bench *b = arg;
    if (b->held == b->keep) {
        free(b->ring[b->head]);
        b->held--;
    }
    b->ring[b->head] = xstrndup(line, len);
    b->head = (b->head + 1) % b->keep;
    b->held++;
    b->total++;
    return 0;
}

static int chunk(const char *data, size_t n, void *arg)
{
    struct bench *b = arg;
    return kube_lines_feed(&b->lines, data, n, one_line, b);
}

static void sample(struct loop *l, long long id, void *arg)
{
    (void)id;
    struct bench *b = arg;
    long long now = now_ms();
    double cpu = cpu_now(), secs = (double)(now - b->last_ms) / 1000.0;
    double rss = rss_mb();
    printf("%.0f %lu %.0f %.1f %.2f\n", (double)(now - b->t0) / 1000.0, b->total,
           secs > 0 ? (double)(b->total - b->at_sample) / secs : 0.0, rss,
           secs > 0 ? (cpu - b->cpu_last) * 100.0 / secs : 0.0);
    fflush(stdout);
    if (b->samples++ == 0)
        b->rss_first = rss;
    b->rss_last = rss;
    b->at_sample = b->total;
    b->last_ms = now;
    b->cpu_last = cpu;
    loop_add_timer(l, b->every * 1000, sample, b);
}

static void stop(struct loop *l, long long id, void *arg)
{
    (void)id;
    (void)arg;
    loop_stop(l);
}

static void done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    (void)body;
    (void)len;
    struct bench *b = arg;
    if (err)
        fprintf(stderr, "kube_logs: the follow ended: %s (status %ld)\n", err->msg, status);
    b->ended = true;
    loop_stop(b->loop);
}

int main(int argc, char **argv)
{
    const char *kc = NULL, *ns = NULL, *pod = NULL;
    long seconds = 60;
    struct bench b = {.keep = 10000, .every = 10};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--kubeconfig") && i + 1 < argc)
            kc = argv[++i];
        else if (!strcmp(argv[i], "--namespace") && i + 1 < argc)
            ns = argv[++i];
        else if (!strcmp(argv[i], "--pod") && i + 1 < argc)
            pod = argv[++i];
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atol(argv[++i]);
        else if (!strcmp(argv[i], "--every") && i + 1 < argc)
            b.every = atol(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            b.keep = (size_t)atol(argv[++i]);
        else
            pod = NULL, i = argc;
    }
    if (!pod || b.keep == 0 || b.every <= 0) {
        fprintf(stderr,
                "usage: %s --kubeconfig FILE --namespace NS --pod NAME [--seconds S] [--every S] "
                "[--keep N]\n",
                argv[0]);
        return 2;
    }
    struct kube_config *cfg;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load_env(kc, NULL, ns, &cfg, &err) < 0) {
        fprintf(stderr, "kube_logs: %s\n", err.msg);
        return 1;
    }
    b.loop = loop_new();
    struct kube_client *c = kube_client_new(b.loop, cfg);
    b.ring = xcalloc(b.keep, sizeof(*b.ring));
    kube_lines_init(&b.lines, 1u << 20);
    struct kube_log_opts o = {.tail_lines = 0, .follow = true};
    printf("# t_s lines lines_per_s rss_mb cpu_pct\n");
    b.t0 = b.last_ms = now_ms();
    b.cpu0 = b.cpu_last = cpu_now();
    struct kube_req *r =
        kube_logs(c, ns ? ns : kube_client_config(c)->ns, pod, &o, chunk, &b, done, &b);
    loop_add_timer(b.loop, b.every * 1000, sample, &b);
    loop_add_timer(b.loop, seconds * 1000, stop, &b);
    loop_run(b.loop);
    double secs = (double)(now_ms() - b.t0) / 1000.0;
    printf("lines %lu\n", b.total);
    printf("lines_per_s %.0f\n", secs > 0 ? (double)b.total / secs : 0.0);
    printf("cpu_pct %.2f\n", secs > 0 ? (cpu_now() - b.cpu0) * 100.0 / secs : 0.0);
    printf("rss_first_mb %.1f\n", b.rss_first);
    printf("rss_last_mb %.1f\n", b.rss_last);
    printf("rss_growth_mb %.1f\n", b.rss_last - b.rss_first);
    if (!b.ended && r)
        kube_req_cancel(r);
    for (size_t i = 0; i < b.keep; i++)
        free(b.ring[i]);
    free(b.ring);
    kube_lines_done(&b.lines);
    kube_client_free(c);
    loop_free(b.loop);
    return b.ended ? 1 : 0;
}
