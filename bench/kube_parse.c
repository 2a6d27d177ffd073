/* bench/kube_parse.c: the client's CPU per object, without the network.
 * Reads list replies (JSON files, as a server sends them), then for R rounds
 * parses each and applies every item to a fresh store of the list's kind, the
 * path a list page takes in the client (kube_list_parse_page -> the store's
 * projection and checks). Prints the best round's CPU time per object for
 * the parse alone and for parse + store, so a parser change and a projection
 * change can be told apart. Under valgrind --tool=callgrind the same run
 * gives instruction counts, which a loaded machine does not disturb.
 *
 *   bench/kube_parse [--cjson] [--rounds R] FILE...
 *
 * --cjson parses with libcjson instead of the client's parser (the same
 * store path), for comparison. Not part of the test suite. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_jparse.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/kube_store.h"
#include "core/util.h"

struct run {
    struct kube_store *s;
    size_t items;
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_item(const cJSON *item, void *arg)
{
    ((struct run *)arg)->items++;
}

static void store_item(const cJSON *item, void *arg)
{
    struct run *r = arg;
    r->items++;
    kube_store_apply(r->s, NULL, item, NULL);
}

/* One page the libcjson way: the whole tree, then the items. */
static int cjson_page(const char *body, size_t len, kube_item_cb cb, void *arg)
{
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j)
        return -1;
    const cJSON *it;
    cJSON_ArrayForEach(it, kj_get(j, "items")) cb(it, arg);
    cJSON_Delete(j);
    return 0;
}

static int page(bool cjson, const char *body, size_t len, kube_item_cb cb, void *arg)
{
    if (cjson)
        return cjson_page(body, len, cb, arg);
    char *cont, *rv;
    struct error e;
    if (kube_list_parse_page(body, len, "bench", cb, arg, NULL, &cont, &rv, &e) < 0)
        return -1;
    free(cont);
    free(rv);
    return 0;
}

int main(int argc, char **argv)
{
    bool cjson = false;
    int rounds = 5, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--cjson"))
            cjson = true;
        else if (!strcmp(argv[first], "--rounds") && first + 1 < argc)
            rounds = atoi(argv[++first]);
        else
            break;
    }
    if (first >= argc || rounds < 1) {
        fprintf(stderr, "usage: %s [--cjson] [--rounds R] FILE...\n", argv[0]);
        return 2;
    }
    int nfiles = argc - first;
    char **bodies = xcalloc((size_t)nfiles, sizeof(*bodies));
    size_t *lens = xcalloc((size_t)nfiles, sizeof(*lens)), total = 0;
    const struct kube_resource *res = NULL;
    for (int i = 0; i < nfiles; i++) {
        struct error e;
        if (file_read_all(argv[first + i], (size_t)1 << 30, &bodies[i], &lens[i], &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            return 2;
        }
        total += lens[i];
        if (!res) {
            cJSON *j = cJSON_ParseWithLength(bodies[i], lens[i]);
            const char *kind = kj_str(j, "kind");
            char k[64];
            snprintf(k, sizeof(k), "%.*s", kind ? (int)strlen(kind) - 4 : 3, kind ? kind : "pod");
            res = kube_resource_find(k);
            cJSON_Delete(j);
        }
    }
    if (!res)
        res = kube_resource_get(KUBE_POD);
    double best_parse = 1e9, best_all = 1e9;
    size_t items = 0, bytes = 0;
    for (int r = 0; r < rounds; r++) {
        struct run pr = {NULL, 0};
        double t0 = cpu_now();
        for (int i = 0; i < nfiles; i++)
            if (page(cjson, bodies[i], lens[i], count_item, &pr) < 0) {
                fprintf(stderr, "%s: not a list reply\n", argv[first + i]);
                return 1;
            }
        double t1 = cpu_now();
        struct run sr = {kube_store_new(res->id), 0};
        for (int i = 0; i < nfiles; i++)
            page(cjson, bodies[i], lens[i], store_item, &sr);
        double t2 = cpu_now();
        if (t1 - t0 < best_parse)
            best_parse = t1 - t0;
        if (t2 - t1 < best_all)
            best_all = t2 - t1;
        items = sr.items;
        bytes = kube_store_memory(sr.s);
        kube_store_free(sr.s);
    }
    if (!items) {
        fprintf(stderr, "no items\n");
        return 1;
    }
    printf("parser %s: %zu %s, %zu bytes of JSON each; best of %d rounds: parse %.2f us, parse + "
           "store %.2f us per object (CPU); store %zu bytes per object\n",
           cjson ? "libcjson" : "kube_jparse", items, res->plural, total / items, rounds,
           best_parse * 1e6 / (double)items, best_all * 1e6 / (double)items, bytes / items);
    for (int i = 0; i < nfiles; i++)
        free(bodies[i]);
    free(bodies);
    free(lens);
    return 0;
}
