/* sim/main.c: dify-sim, the local cluster simulator: flags, start-up (store,
 * nodes, scenario objects, TLS, the HTTPS server, the controllers), the
 * kubeconfig it prints or writes for itself, and shutdown on SIGINT/SIGTERM. */
#include "config.h"

#include <getopt.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "sim/api.h"
#include "sim/controllers.h"
#include "sim/datastores.h"
#include "sim/discovery.h"
#include "sim/events.h"
#include "sim/http.h"
#include "sim/pods.h"
#include "sim/volumes.h"
#include "sim/scenario.h"
#include "sim/store.h"
#include "sim/tls.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dify-sim [options]\n"
            "A local Kubernetes API server simulator for dify-tui's tests and demo.\n\n"
            "  --port N               listen on 127.0.0.1:N (default: a free port)\n"
            "  --cert FILE --key FILE serve this PEM certificate and key (default: self-signed)\n"
            "  --token T              the admin token (default: random)\n"
            "  --readonly-token T     a token allowed only get, list and watch (default: random)\n"
            "  --user NAME:TOKEN:VERBS another user; VERBS is * or a comma list (get,list,...)\n"
            "  --print-kubeconfig     print a kubeconfig for this server on stdout once listening\n"
            "  --kubeconfig-out FILE  write that kubeconfig to FILE (atomically, mode 0600)\n"
            "  --scenario FILE|NAME   load a scenario (NAME: demo, kept-volume, bulk from\n"
            "                         assets/scenarios)\n"
            "  --speed X              run simulated time X times faster (default 1)\n"
            "  --nodes N              number of simulated nodes (default 3)\n"
            "  --schedule-delay S --pull-delay S --ready-delay S --run-for S\n"
            "                         default pod timings in simulated seconds\n"
            "  --history N            watch history length in events (default 20000)\n"
            "  --max-events N         keep at most N Event objects (default 5000)\n"
            "  --log FILE             write the server log to FILE\n"
            "  -v, --verbose          log to stderr too\n"
            "  -h, --help             this help\n");
}

/* -v: the server log on stderr too. */
static void echo_stderr(const char *level, const char *line)
{
    fprintf(stderr, "%s: %s\n", level, line);
}

static void out_of_memory(size_t n)
{
    fprintf(stderr, "dify-sim: out of memory allocating %zu bytes\n", n);
}

static char *random_token(void)
{
    unsigned char b[24];
    RAND_bytes(b, sizeof(b));
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < sizeof(b); i++)
        strbuf_addf(&sb, "%02x", b[i]);
    return strbuf_detach(&sb, NULL);
}

static char *base64(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
    return out;
}

static char *kubeconfig(int port, const char *cert, const char *admin, const char *ro)
{
    cJSON *k = cJSON_CreateObject();
    js_set_str(k, "apiVersion", "v1");
    js_set_str(k, "kind", "Config");
    cJSON *clusters = cJSON_AddArrayToObject(k, "clusters");
    cJSON *c = cJSON_CreateObject();
    js_set_str(c, "name", "dify-sim");
    cJSON *cc = js_obj(c, "cluster");
    char server[64];
    snprintf(server, sizeof(server), "https://127.0.0.1:%d", port);
    js_set_str(cc, "server", server);
    char *ca = base64(cert);
    js_set_str(cc, "certificate-authority-data", ca);
    free(ca);
    cJSON_AddItemToArray(clusters, c);
    cJSON *users = cJSON_AddArrayToObject(k, "users");
    cJSON *contexts = cJSON_AddArrayToObject(k, "contexts");
    static const char *const names[] = {"dify-sim-admin", "dify-sim-readonly"};
    const char *tokens[] = {admin, ro};
    static const char *const ctx_names[] = {"dify-sim", "dify-sim-readonly"};
    for (int i = 0; i < 2; i++) {
        cJSON *u = cJSON_CreateObject();
        js_set_str(u, "name", names[i]);
        js_set_str(js_obj(u, "user"), "token", tokens[i]);
        cJSON_AddItemToArray(users, u);
        cJSON *x = cJSON_CreateObject();
        js_set_str(x, "name", ctx_names[i]);
        cJSON *xc = js_obj(x, "context");
        js_set_str(xc, "cluster", "dify-sim");
        js_set_str(xc, "user", names[i]);
        js_set_str(xc, "namespace", "default");
        cJSON_AddItemToArray(contexts, x);
    }
    js_set_str(k, "current-context", "dify-sim");
    js_obj(k, "preferences");
    char *s = cJSON_PrintUnformatted(k);
    cJSON_Delete(k);
    return s;
}

static void make_namespace(const char *name)
{
    struct error err;
    cJSON *ns = cJSON_CreateObject();
    js_set_str(ns, "apiVersion", "v1");
    js_set_str(ns, "kind", "Namespace");
    cJSON *meta = js_obj(ns, "metadata");
    js_set_str(meta, "name", name);
    js_set_str(js_obj(meta, "labels"), "kubernetes.io/metadata.name", name);
    api_create(ns, &err);
}

enum {
    OPT_PORT = 256,
    OPT_CERT,
    OPT_KEY,
    OPT_TOKEN,
    OPT_RO_TOKEN,
    OPT_USER,
    OPT_PRINT,
    OPT_OUT,
    OPT_SCENARIO,
    OPT_SPEED,
    OPT_NODES,
    OPT_SCHED,
    OPT_PULL,
    OPT_READY,
    OPT_RUNFOR,
    OPT_HISTORY,
    OPT_MAXEV,
    OPT_LOG,
};

/* What the flags ask for. */
struct sim_args {
    int port, nodes;
    long history;
    const char *cert_file, *key_file, *scenario, *out_file;
    char *admin, *ro; /* tokens */
    bool print;
    struct pod_behavior defaults;
    char **extra_users; /* NAME:TOKEN:VERBS */
    int n_extra;
};

static const struct option sim_options[] = {
    {"port", required_argument, NULL, OPT_PORT},
    {"cert", required_argument, NULL, OPT_CERT},
    {"key", required_argument, NULL, OPT_KEY},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"readonly-token", required_argument, NULL, OPT_RO_TOKEN},
    {"user", required_argument, NULL, OPT_USER},
    {"print-kubeconfig", no_argument, NULL, OPT_PRINT},
    {"kubeconfig-out", required_argument, NULL, OPT_OUT},
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"nodes", required_argument, NULL, OPT_NODES},
    {"schedule-delay", required_argument, NULL, OPT_SCHED},
    {"pull-delay", required_argument, NULL, OPT_PULL},
    {"ready-delay", required_argument, NULL, OPT_READY},
    {"run-for", required_argument, NULL, OPT_RUNFOR},
    {"history", required_argument, NULL, OPT_HISTORY},
    {"max-events", required_argument, NULL, OPT_MAXEV},
    {"log", required_argument, NULL, OPT_LOG},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One option; returns -1 to exit with *rc. */
static int take_option(int c, struct sim_args *a, int *rc)
{
    switch (c) {
    case OPT_PORT:
        a->port = atoi(optarg);
        break;
    case OPT_CERT:
        a->cert_file = optarg;
        break;
    case OPT_KEY:
        a->key_file = optarg;
        break;
    case OPT_TOKEN:
        str_replace(&a->admin, optarg);
        break;
    case OPT_RO_TOKEN:
        str_replace(&a->ro, optarg);
        break;
    case OPT_USER:
        a->extra_users = xrealloc(a->extra_users, (a->n_extra + 1) * sizeof(char *));
        a->extra_users[a->n_extra++] = optarg;
        break;
    case OPT_PRINT:
        a->print = true;
        break;
    case OPT_OUT:
        a->out_file = optarg;
        break;
    case OPT_SCENARIO:
        a->scenario = optarg;
        break;
    case OPT_SPEED:
        sim_speed = atof(optarg);
        break;
    case OPT_NODES:
        a->nodes = atoi(optarg);
        break;
    case OPT_SCHED:
        a->defaults.schedule_delay = atof(optarg);
        break;
    case OPT_PULL:
        a->defaults.pull_delay = atof(optarg);
        break;
    case OPT_READY:
        a->defaults.ready_delay = atof(optarg);
        break;
    case OPT_RUNFOR:
        a->defaults.run_for = atof(optarg);
        break;
    case OPT_HISTORY:
        a->history = atol(optarg);
        break;
    case OPT_MAXEV:
        events_set_cap(atol(optarg));
        break;
    case OPT_LOG:
        if (log_open(optarg) < 0) {
            fprintf(stderr, "dify-sim: cannot open log file %s\n", optarg);
            *rc = 2;
            return -1;
        }
        break;
    case 'v':
        log_set_echo(echo_stderr);
        break;
    case 'h':
        usage(stdout);
        *rc = 0;
        return -1;
    default:
        usage(stderr);
        *rc = 2;
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct sim_args *a, int *rc)
{
    int c;
    while ((c = getopt_long(argc, argv, "vh", sim_options, NULL)) != -1)
        if (take_option(c, a, rc) < 0)
            return -1;
    if (optind < argc || sim_speed <= 0 || a->port < 0 || a->port > 65535 || a->nodes < 1 ||
        (!a->cert_file != !a->key_file)) {
        fprintf(stderr, "dify-sim: bad arguments (--speed > 0, --port 0-65535, --nodes >= 1, "
                        "--cert and --key together)\n");
        usage(stderr);
        *rc = 2;
        return -1;
    }
    return 0;
}

/* The admin and read-only users (random tokens unless given) and --user ones. */
static int add_users(struct sim_args *a)
{
    if (!a->admin)
        a->admin = random_token();
    if (!a->ro)
        a->ro = random_token();
    http_add_user("admin", a->admin, "*");
    http_add_user("readonly", a->ro, "get,list,watch");
    for (int i = 0; i < a->n_extra; i++) {
        char *spec = xstrdup(a->extra_users[i]);
        char *tok = strchr(spec, ':'), *verbs = tok ? strchr(tok + 1, ':') : NULL;
        if (!tok || !verbs) {
            fprintf(stderr, "dify-sim: --user wants NAME:TOKEN:VERBS, got %s\n", a->extra_users[i]);
            free(spec);
            return -1;
        }
        *tok++ = '\0';
        *verbs++ = '\0';
        http_add_user(spec, tok, verbs);
        log_add_secret(tok);
        free(spec);
    }
    log_add_secret(a->admin);
    log_add_secret(a->ro);
    return 0;
}

/* The store, the built-in namespaces, the nodes and the scenario's objects. */
static int start_world(const struct sim_args *a, struct error *err)
{
    scenario_set_defaults(&a->defaults);
    if (a->scenario && scenario_load(a->scenario, err) < 0)
        return error_prefix(err, "scenario");
    /* before any thread: the keeper is forked */
    if (datastores_start(err) < 0)
        return -1;
    store_init((size_t)a->history);
    pthread_mutex_lock(&sim_lock);
    make_namespace("default");
    make_namespace("kube-system");
    make_namespace("kube-public");
    make_namespace("kube-node-lease");
    pods_create_nodes(a->nodes);
    volumes_init();
    int rc = scenario_create_objects(err);
    store_trim();
    pthread_mutex_unlock(&sim_lock);
    return rc < 0 ? error_prefix(err, "scenario") : 0;
}

/* Writes and/or prints the kubeconfig for this server. */
static int hand_out_kubeconfig(const struct sim_args *a, int port, const char *cert,
                               const char *addr)
{
    struct error err;
    error_clear(&err);
    char *kc = kubeconfig(port, cert, a->admin, a->ro);
    if (a->out_file && file_write_atomic(a->out_file, kc, strlen(kc), 0600, &err) < 0) {
        fprintf(stderr, "dify-sim: writing the kubeconfig: %s\n", err.msg);
        free(kc);
        return -1;
    }
    if (a->print) {
        fputs(kc, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    free(kc);
    if (!a->print && !a->out_file)
        fprintf(stderr,
                "dify-sim listening on https://%s (use --print-kubeconfig or "
                "--kubeconfig-out to get credentials)\n",
                addr);
    return 0;
}

int main(int argc, char **argv)
{
    xalloc_set_failure_hook(out_of_memory);
    struct sim_args a = {
        .nodes = 3,
        .history = 20000,
        .defaults = {.schedule_delay = 0.3, .pull_delay = 1.0, .ready_delay = 2.0, .run_for = 3.0},
    };
    int rc = 0;
    if (parse_args(argc, argv, &a, &rc) < 0)
        return rc;
    srandom((unsigned)time(NULL) ^ (unsigned)getpid());
    signal(SIGPIPE, SIG_IGN);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* every thread inherits this; main waits below */
    if (add_users(&a) < 0)
        return 2;
    free(a.extra_users);

    struct error err;
    error_clear(&err);
    char *cert = NULL, *key = NULL;
    size_t n;
    if (a.cert_file ? file_read_all(a.cert_file, 1 << 20, &cert, &n, &err) < 0 ||
                          file_read_all(a.key_file, 1 << 20, &key, &n, &err) < 0
                    : tls_self_signed(&cert, &key, &err) < 0) {
        fprintf(stderr, "dify-sim: %s\n", err.msg);
        return 1;
    }
    if (start_world(&a, &err) < 0) {
        fprintf(stderr, "dify-sim: %s\n", err.msg);
        return 1;
    }
    int bound = http_start(a.port, cert, key);
    if (bound < 0) {
        fprintf(stderr,
                "dify-sim: cannot listen on 127.0.0.1:%d (in use, or bad "
                "certificate/key)\n",
                a.port);
        return 1;
    }
    char addr[32];
    snprintf(addr, sizeof(addr), "127.0.0.1:%d", bound);
    discovery_set_address(addr);
    controllers_start();
    log_info("dify-sim listening on https://%s", addr);
    if (hand_out_kubeconfig(&a, bound, cert, addr) < 0) {
        http_stop();
        return 1;
    }
    int signo = 0;
    sigwait(&sigs, &signo);
    log_info("dify-sim: signal %d, stopping", signo);
    http_stop();
    datastores_stop();
    str_free_secret(a.admin);
    str_free_secret(a.ro);
    free(cert);
    str_free_secret(key);
    return 0;
}
