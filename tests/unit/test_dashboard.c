/* tests/unit/test_dashboard.c: the dashboard screen on a fixed-size virtual
 * terminal over a model fed by hand (tests/unit/status_fixture.c) at a
 * fixed clock, compared with golden text (tests/data/screens/dashboard_*;
 * UPDATE_GOLDEN=1 rewrites them): the overview with its health strip, the
 * pods, rollouts, jobs and events views, the filter, the unreachable
 * banner, read-only, and hostile names shown safely. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/golden.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_probe.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/loop.h"
#include "core/status.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/dashboard.h"
#include "screens/dashboard_impl.h"
#include "screens/dashboard_list.h"
#include "screens/frame_log.h"
#include "tests/unit/status_fixture.h"
#include "tui/draw.h"
#include "tui/keys.h"

static struct app app;
static struct status *model;
static struct loop *loop;
static struct kube_client *client;

static long long fixed_now(void)
{
    return FIXTURE_NOW;
}

/* The health a real round would have recorded, fixed. */
static void fixed_health(struct status *m)
{
    struct dify_probe_result r = {.kind = DIFY_PROBE_API_HEALTH,
                                  .ok = true,
                                  .status = 200,
                                  .http_status = 200,
                                  .latency_ms = 12};
    snprintf(r.version, sizeof(r.version), "1.13.3");
    snprintf(r.msg, sizeof(r.msg), "200 ok, version 1.13.3");
    status_record_probe(m, &r);
    r = (struct dify_probe_result){.kind = DIFY_PROBE_DAEMON_HEALTH, .http_status = 503};
    snprintf(r.msg, sizeof(r.msg),
             "503: no endpoints available for service \"dify-plugin-daemon\"");
    status_record_probe(m, &r);
    r = (struct dify_probe_result){
        .kind = DIFY_PROBE_DAEMON_KEY, .key = DIFY_KEY_UNREACHABLE, .http_status = 503};
    snprintf(r.msg, sizeof(r.msg), "the api cannot reach the plugin daemon");
    status_record_probe(m, &r);
    r = (struct dify_probe_result){.kind = DIFY_PROBE_DAEMON_STORAGE,
                                   .ok = true,
                                   .storage = DIFY_STORAGE_VOLUME,
                                   .http_status = 200};
    snprintf(r.msg, sizeof(r.msg), "plugins are kept on PVC \"dify-plugins\" at /app/storage");
    status_record_probe(m, &r);
    status_flush(m);
}

static void start(const char *fixture, int cols, int rows, bool read_only)
{
    struct error err;
    error_clear(&err);
    assert_int_equal(app_init_headless(&app, cols, rows, &err), 0);
    loop = loop_new();
    client = status_fixture_dead_client(loop);
    model = status_fixture_client(fixture, loop, client);
    fixed_health(model);
    struct dashboard_opts o = {.model = model, .now = fixed_now, .read_only = read_only};
    struct screen *s = dashboard_screen_new(&o, &err);
    assert_non_null(s);
    app_push_now(&app, s);
}

static void stop(void)
{
    app_done(&app);
    status_free(model);
    kube_client_free(client);
    loop_free(loop);
}

static void type(const char *s)
{
    for (; *s; s++)
        app_key(&app, *s == '\n' ? TUI_KEY_ENTER : (unsigned char)*s);
}

static char *screen_text(void)
{
    app_render(&app);
    return tui_dump(stdscr);
}

static void golden(const char *name)
{
    golden_compare(name, screen_text());
}

static bool shows(const char *needle)
{
    char *s = screen_text();
    bool found = strstr(s, needle) != NULL;
    if (!found) {
        print_message("# not on screen: %s\n", needle);
        for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
            print_message("# |%s\n", line);
    }
    free(s);
    return found;
}

static void test_overview(void **state)
{
    start("model-mixed.json", 80, 24, false);
    golden("dashboard_overview_80x24");
    stop();
    start("model-mixed.json", 120, 32, false);
    golden("dashboard_overview_120x32");
    /* the selected row's reason under the table */
    type("jjj");
    assert_true(shows("exceeded its progress deadline"));
    stop();
}

static void test_views(void **state)
{
    start("model-mixed.json", 120, 32, false);
    type(":pods\n");
    golden("dashboard_pods_120x32");
    type("/crash");
    assert_true(shows("dify-plugin-daemon-77-ccccc"));
    char *txt = screen_text();
    assert_null(strstr(txt, "dify-api-6d4f-aaaaa"));
    free(txt);
    app_key(&app, TUI_KEY_ESC); /* the prompt: clears the filter */
    assert_true(shows("dify-api-6d4f-aaaaa"));
    type(":rollouts\n");
    golden("dashboard_rollouts_120x32");
    type(":jobs\n");
    assert_true(shows("dify-db-migrate-0123456789"));
    assert_true(shows("Failed"));
    type(":events\n");
    golden("dashboard_events_120x32");
    /* Esc goes back through the views */
    app_key(&app, TUI_KEY_ESC);
    assert_true(shows("dify-tui  jobs"));
    type(":nonsense\n");
    assert_true(shows("no view \"nonsense\""));
    stop();
}

static void test_enter_shows_pods(void **state)
{
    start("model-mixed.json", 120, 32, false);
    type("jjj\n"); /* the plugin daemon's row */
    assert_true(shows("dify-tui  pods"));
    assert_true(shows("dify-plugin-daemon-77-ccccc"));
    assert_false(shows("dify-api-6d4f-aaaaa"));
    stop();
}

static void test_unreachable(void **state)
{
    start("model-mixed.json", 100, 30, false);
    struct error e;
    error_set(&e, ERR_NETWORK, 7,
              "GET https://127.0.0.1:1/api/v1/namespaces/dify/pods: "
              "Couldn't connect to server");
    status_note_error(model, &e);
    status_flush(model);
    golden("dashboard_unreachable_100x30");
    stop();
}

/* At 80 columns the reason stayed cut inside the URL ("...GET h..."): the
 * banner says curl's error, whole, then the host, on a line of their own. */
static void test_unreachable_80(void **state)
{
    start("model-mixed.json", 80, 24, false);
    struct error e;
    error_set(&e, ERR_NETWORK, 7,
              "GET https://dify-eks-0123456789.gr7.eu-west-1.eks.amazonaws.com:443/api/v1/"
              "namespaces/dify/pods?watch=1&resourceVersion=123456&allowWatchBookmarks=true: "
              "Failed to connect to dify-eks-0123456789.gr7.eu-west-1.eks.amazonaws.com port 443 "
              "after 2 ms: Connection refused");
    status_note_error(model, &e);
    status_flush(model);
    assert_true(shows(" reconnecting: Connection refused (dify-eks-0123456789.gr7.eu-west-1."));
    assert_true(shows("the data below is from then"));
    golden("dashboard_unreachable_80x24");
    stop();
}

static void test_read_only(void **state)
{
    start("model-mixed.json", 100, 30, true);
    assert_true(shows("[read-only]"));
    char *txt = screen_text();
    assert_null(strstr(txt, "restart"));
    free(txt);
    type("r");
    assert_true(shows("read-only: this dashboard changes nothing"));
    stop();
    /* not read-only: the action asks first, and No changes nothing */
    start("model-mixed.json", 100, 30, false);
    type("r");
    assert_true(shows("Restart deployment/dify-api?"));
    type("n");
    assert_false(shows("Restart deployment/dify-api?"));
    type(":pods\n");
    app_key(&app, TUI_CTRL('d'));
    assert_true(shows("Delete pod dify-api-6d4f-aaaaa?"));
    app_key(&app, TUI_KEY_ESC);
    stop();
}

/* Rows that arrive after the first frame: until the user moves, the
 * selection stays on the top row (an action aims at what is shown first);
 * once moved, it follows its row. */
static void test_selection_as_rows_arrive(void **state)
{
    start("model-late.json", 100, 30, false);
    assert_true(shows("pod/debug"));
    char *api = NULL;
    size_t len = 0;
    struct error err;
    char *path = xasprintf("%s/tests/data/dashboard/model-late-api.json", DIFY_SRCDIR);
    assert_int_equal(file_read_all(path, 1 << 20, &api, &len, &err), 0);
    status_fixture_apply(model, "ADDED", api);
    status_flush(model);
    assert_true(shows("dify-api"));
    type("r");
    assert_true(shows("Restart deployment/dify-api?"));
    type("n");
    stop();

    /* moved to the pod: it stays selected when the api arrives above it */
    start("model-late.json", 100, 30, false);
    type("jk");
    status_fixture_apply(model, "ADDED", api);
    status_flush(model);
    type("r");
    assert_true(shows("select a Deployment, StatefulSet or DaemonSet"));
    stop();
    free(api);
    free(path);
}

/* The log view's ring: bounded however many lines come (k9s #1188), each
 * line made safe once on arrival (escapes, invalid UTF-8) and cut at its
 * bound. */
static struct dash_logs ring;
static void test_log_ring(void **state)
{
    char line[64];
    for (int i = 0; i < 12000; i++) {
        int n = snprintf(line, sizeof(line), "line %d \033[2J\xff\xfe\x9b end", i);
        dash_logs_add(&ring, line, (size_t)n);
    }
    char *huge = xmalloc(3 * DASH_LOG_LINE_MAX);
    memset(huge, 'x', 3 * DASH_LOG_LINE_MAX);
    dash_logs_add(&ring, huge, 3 * DASH_LOG_LINE_MAX);
    free(huge);
    assert_int_equal(ring.n, DASH_LOG_LINES);
    assert_int_equal(ring.dropped, 12001 - DASH_LOG_LINES);
    for (size_t i = 0; i < ring.n; i++) {
        const char *s = ring.lines[(ring.first + i) % DASH_LOG_LINES];
        assert_null(strchr(s, '\033'));
        assert_null(strstr(s, "\xff"));
        assert_true(strlen(s) <= 4 * DASH_LOG_LINE_MAX + 16);
    }
    const char *oldest = ring.lines[ring.first];
    assert_non_null(strstr(oldest, "line 7001 ^[[2J"));
    const char *newest = ring.lines[(ring.first + ring.n - 1) % DASH_LOG_LINES];
    assert_non_null(strstr(newest, "[line cut]"));
    for (size_t i = 0; i < ring.n; i++)
        free(ring.lines[(ring.first + i) % DASH_LOG_LINES]);
}

/* An api/daemon pair that is not known is flagged in the health strip. */
static void test_skew_flagged(void **state)
{
    start("model-mixed.json", 120, 32, false);
    assert_true(shows("a known pair"));
    char *daemon = NULL;
    size_t len = 0;
    struct error err;
    char *path = xasprintf("%s/tests/data/dashboard/daemon-skew.json", DIFY_SRCDIR);
    assert_int_equal(file_read_all(path, 1 << 20, &daemon, &len, &err), 0);
    status_fixture_apply(model, "MODIFIED", daemon);
    status_flush(model);
    assert_true(shows("VERSION SKEW: "));
    assert_true(shows("0.0.1-local"));
    stop();
    free(daemon);
    free(path);
}

/* Escape sequences, C1 controls, bidi overrides, invalid UTF-8 and huge
 * names: visible, never sent to the terminal; wrongly typed objects said. */
static void test_hostile(void **state)
{
    start("model-hostile.json", 120, 32, false);
    char *s = screen_text();
    assert_null(strchr(s, '\033'));
    assert_null(strchr(s, '\a'));
    assert_null(strstr(s, "\xe2\x80\xae")); /* U+202E */
    assert_null(strstr(s, "\xc2\x9b"));     /* U+009B */
    free(s);
    assert_true(shows("evil^[]0;owned^G\\u202ename"));
    /* the object with a huge name and a string for replicas: said, cut */
    assert_true(shows("1 object could not be read (not shown): deployment \"aaaaaaaa"));
    assert_true(shows("aaaa..."));
    type(":pods\n");
    assert_true(shows("pod-\\u009b31m-red"));
    s = screen_text();
    assert_null(strchr(s, '\033'));
    free(s);
    type(":events\n");
    assert_true(shows("Bad^[[H"));
    s = screen_text();
    assert_null(strchr(s, '\033'));
    assert_null(strstr(s, "\xff"));
    free(s);
    stop();
}

/* The frame log's text (screens/frame_log.c, read from the cells and
 * encoded by hand) is what mvwinnstr reads through the locale: ASCII, the
 * health strip's middle dots, U+FFFD and double-width characters. */
static void test_frame_text(void **state)
{
    start("model-hostile.json", 120, 32, false);
    for (int view = 0; view < 2; view++) {
        if (view)
            type(":pods\n");
        app_render(&app);
        tui_put(stdscr, 30, 0, 60, "\xe6\x97\xa5\xe6\x9c\xac x \xef\xbf\xbd \xc2\xb7 end  ",
                A_NORMAL);
        struct strbuf got, want;
        strbuf_init(&got);
        strbuf_init(&want);
        frame_text(stdscr, &got);
        char row[120 * 4 + 1];
        for (int y = 0; y < getmaxy(stdscr); y++) {
            int n = mvwinnstr(stdscr, y, 0, row, 120);
            while (n > 0 && row[n - 1] == ' ')
                n--;
            strbuf_adds(&want, "| ");
            strbuf_add(&want, row, n > 0 ? (size_t)n : 0);
            strbuf_adds(&want, "\n");
        }
        assert_non_null(strstr(got.buf, "\xe6\x97\xa5\xe6\x9c\xac x \xef\xbf\xbd \xc2\xb7 end\n"));
        assert_string_equal(got.buf, want.buf);
        strbuf_done(&got);
        strbuf_done(&want);
    }
    stop();
}

static void test_help_and_quit(void **state)
{
    start("model-mixed.json", 80, 24, false);
    type("?");
    assert_true(shows("rollout restart"));
    assert_false(shows("[ No ]")); /* the help asks nothing */
    app_key(&app, TUI_KEY_ESC);
    assert_false(shows("rollout restart"));
    assert_int_equal(app.depth, 1);
    type("q");
    assert_int_equal(app.depth, 1); /* headless: quit only stops a loop */
    stop();
}

/* Long log lines wrap (the default) or are cut at the edge; w switches,
 * and says so in the view's heading. */
static void test_log_wrap(void **state)
{
    start("model-mixed.json", 80, 24, false);
    type(":pods\n");
    type("l");
    struct dash *d = app_top(&app)->data;
    assert_true(shows("logs dify-"));
    assert_int_equal(d->view, DV_LOGS);
    char line[200];
    memset(line, 'a', sizeof(line));
    memcpy(line, "BEGIN", 5);
    memcpy(line + 150, "MIDDLE", 6);
    memcpy(line + sizeof(line) - 3, "END", 3);
    dash_logs_add(&d->logs, "short one", 9);
    dash_logs_add(&d->logs, line, sizeof(line));
    dash_logs_add(&d->logs, "last line", 9);
    assert_true(shows("· wrap"));
    /* 200 columns on 80: three rows, the last "...aEND" */
    char *s = screen_text();
    assert_non_null(strstr(s, "BEGINaaaa"));
    assert_non_null(strstr(s, "MIDDLE"));
    assert_non_null(strstr(s, "aaEND\n"));
    assert_non_null(strstr(s, "short one"));
    /* "last line" follows the wrapped one's last row */
    char *end = strstr(s, "aaEND\n");
    assert_non_null(end);
    assert_ptr_equal(strstr(end, "last line"), end + 6);
    free(s);
    type("w");
    assert_true(shows("· cut"));
    assert_true(shows("cut at the edge"));
    s = screen_text();
    assert_non_null(strstr(s, "BEGINaaaa"));
    assert_null(strstr(s, "MIDDLE"));
    assert_null(strstr(s, "END"));
    free(s);
    /* a view shorter than a wrapped line shows the line's end */
    type("w");
    char big[2000];
    memset(big, 'b', sizeof(big));
    memcpy(big + sizeof(big) - 4, "TAIL", 4);
    dash_logs_add(&d->logs, big, sizeof(big));
    s = screen_text();
    assert_non_null(strstr(s, "bbTAIL"));
    assert_null(strstr(s, "last line"));
    free(s);
    type("?");
    assert_true(shows("w: wrap or cut long lines"));
    stop();
}

/* The pods view moves only the pods that changed (dashboard_pods.c,
 * dash_pods_update): after each batch of a fixed-seed random walk of pod
 * changes, additions and deletions (restarts, the sort key, moving most),
 * under every sort and with and without a filter, the screen is the one a
 * rebuild of the whole list draws, selection included. */
static uint64_t walk = 0x2545F4914F6CDD1Dull;

static unsigned walk_rnd(unsigned n)
{
    walk ^= walk << 13;
    walk ^= walk >> 7;
    walk ^= walk << 17;
    return (unsigned)(walk % n);
}

static void walk_pod(int i, bool del)
{
    static unsigned rv = 100000;
    char buf[1024];
    if (del) {
        snprintf(buf, sizeof(buf),
                 "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                 "\"walk-%02d\",\"namespace\":\"dify\",\"resourceVersion\":\"%u\"}}",
                 i, ++rv);
        status_fixture_apply(model, "DELETED", buf);
        return;
    }
    static const char *const reasons[] = {"", "CrashLoopBackOff", "Error", "ImagePullBackOff"};
    const char *r = reasons[walk_rnd(4)];
    char state[128];
    if (*r)
        snprintf(state, sizeof(state), "\"waiting\":{\"reason\":\"%s\"}", r);
    else
        snprintf(state, sizeof(state), "\"running\":{}");
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"walk-%02d\","
             "\"namespace\":\"dify\",\"resourceVersion\":\"%u\",\"creationTimestamp\":"
             "\"2026-12-01T10:0%d:00Z\"%s},\"spec\":{\"nodeName\":\"n%u\"},\"status\":{"
             "\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":%s,"
             "\"restartCount\":%u,\"state\":{%s}}]}}",
             i, ++rv, i % 7,
             i % 3 == 0 ? ",\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":"
                          "\"dify-api-6d4f\",\"controller\":true}]"
                        : "",
             walk_rnd(3), *r ? "false" : "true", walk_rnd(6), state);
    status_fixture_apply(model, walk_rnd(2) ? "MODIFIED" : "ADDED", buf);
}

/* A dashboard on model-mixed.json at 160 columns by ROWS, on the pods view
 * with `s` typed SORT times and FILTER (when not empty) given to `/`. */
static struct dash *pods_view_open(int rows, int sort, const char *filter)
{
    start("model-mixed.json", 160, rows, false);
    struct dash *d = app_top(&app)->data;
    type(":pods\n");
    for (int k = 0; k < sort; k++)
        type("s");
    if (filter[0]) {
        type("/");
        type(filter);
        type("\n");
    }
    return d;
}

static void test_pods_view_walk(void **state)
{
    static const char *const filters[] = {"", "walk-1", "Crash", "api"};
    bool present[40] = {false};
    for (int sort = 0; sort < 5; sort++)
        for (size_t f = 0; f < ARRAY_LEN(filters); f++) {
            struct dash *d = pods_view_open(70, sort, filters[f]);
            memset(present, 0, sizeof(present));
            for (int i = 0; i < 40; i += 2) {
                walk_pod(i, false);
                present[i] = true;
            }
            for (int at = 0; at < 60; at++) {
                /* mostly pods changing in place; now and then one added or gone */
                bool structural = at < 3 || walk_rnd(8) == 0;
                for (unsigned k = 1 + walk_rnd(4); k > 0; k--) {
                    int i = (int)walk_rnd(40);
                    if (!structural)
                        for (int t = 0; t < 40 && !present[i]; t++)
                            i = (i + 1) % 40;
                    bool del = structural && present[i] && walk_rnd(4) == 0;
                    walk_pod(i, del);
                    present[i] = !del;
                }
                status_flush(model);
                struct dash_list *l = &d->lists[DV_PODS];
                char sel[256];
                snprintf(sel, sizeof(sel), "%s", l->sel);
                bool chosen = l->chosen;
                char *inc = screen_text();
                /* the selection: the top row until one was chosen, then that
                 * row wherever it moved (when it is still listed) */
                if (!chosen)
                    assert_int_equal(l->idx, 0);
                for (size_t r = 0; chosen && r < l->nrows; r++)
                    if (!strcmp(((const struct kube_obj *)l->rows[r])->name, sel))
                        assert_int_equal(l->idx, (int)r);
                dash_views_stale(d);
                char *whole = screen_text();
                if (strcmp(inc, whole) != 0)
                    fail_msg("sort %d, filter \"%s\", step %d: the pods view moved in place "
                             "differs from a rebuild:\n%s\n---\n%s",
                             sort, filters[f], at, inc, whole);
                free(inc);
                free(whole);
                if (walk_rnd(5) == 0)
                    type(walk_rnd(2) ? "j" : "k");
            }
            stop();
        }
}

/* The same walk at a larger scale, on the rows themselves: 400 pods,
 * batches of one to sixty changes (taken out and put back in one pass
 * each), under every sort and filter; after each batch the rows moved in
 * place are exactly the rows a whole filter and sort gives, in the same
 * order, and a chosen selection is still on its pod. */
static void test_pods_incremental_equals_full(void **state)
{
    static const char *const filters[] = {"", "walk-1", "Crash"};
    static bool present[400];
    for (int sort = 0; sort < 5; sort++)
        for (size_t f = 0; f < ARRAY_LEN(filters); f++) {
            struct dash *d = pods_view_open(40, sort, filters[f]);
            memset(present, 0, sizeof(present));
            for (int i = 0; i < 400; i += 3) {
                walk_pod(i, false);
                present[i] = true;
            }
            status_flush(model);
            struct dash_list *l = dash_list_current(d, DV_PODS);
            unsigned long long moved = l->moved;
            for (int step = 0; step < 40; step++) {
                unsigned batch = walk_rnd(4) == 0 ? 1 + walk_rnd(60) : 1 + walk_rnd(3);
                for (unsigned k = 0; k < batch; k++) {
                    int i = (int)walk_rnd(400);
                    bool del = present[i] && walk_rnd(6) == 0;
                    walk_pod(i, del);
                    present[i] = !del;
                }
                status_flush(model);
                if (walk_rnd(3) == 0) {
                    dash_view_move(d, walk_rnd(2) ? 'j' : 'k', 10);
                    dash_view_move(d, TUI_KEY_PGDN, (int)walk_rnd(30));
                }
                l = dash_list_current(d, DV_PODS);
                size_t n = l->nrows;
                const void **inc = xmalloc((n + 1) * sizeof(*inc));
                memcpy(inc, l->rows, n * sizeof(*inc));
                if (l->chosen && n)
                    assert_string_equal(((const struct kube_obj *)l->rows[l->idx])->name, l->sel);
                char sel[256];
                snprintf(sel, sizeof(sel), "%s", l->sel);
                int idx = l->idx;
                dash_views_stale(d);
                l = dash_list_current(d, DV_PODS);
                assert_int_equal(l->nrows, n);
                for (size_t r = 0; r < n; r++)
                    if (inc[r] != l->rows[r])
                        fail_msg("sort %d, filter \"%s\", step %d (%u changes): row %zu is %s, "
                                 "a whole sort has %s there",
                                 sort, filters[f], step, batch, r,
                                 ((const struct kube_obj *)inc[r])->name,
                                 ((const struct kube_obj *)l->rows[r])->name);
                assert_string_equal(l->sel, sel);
                assert_int_equal(l->idx, idx);
                free(inc);
            }
            /* the moves were the incremental path's, not rebuilds */
            assert_true(l->moved > moved);
            stop();
        }
}

/* Leaving the logs or a describe by Tab (not Esc) closes them: a follow
 * went on reading in the background, however long. */
static void test_tab_leaves_logs_closed(void **state)
{
    start("model-mixed.json", 100, 30, false);
    type(":pods\n");
    type("l");
    struct dash *d = app_top(&app)->data;
    assert_int_equal(d->view, DV_LOGS);
    dash_logs_add(&d->logs, "a line", 6);
    app_key(&app, TUI_KEY_TAB);
    assert_int_not_equal(d->view, DV_LOGS);
    assert_int_equal(d->logs.n, 0);
    assert_null(d->logs.req);
    type(":pods\n");
    type("d");
    assert_int_equal(d->view, DV_DETAIL);
    d->detail.lines = xmalloc(sizeof(char *));
    d->detail.lines[0] = xstrdup("kept?");
    d->detail.n = 1;
    app_key(&app, TUI_KEY_BTAB);
    assert_int_not_equal(d->view, DV_DETAIL);
    assert_int_equal(d->detail.n, 0);
    stop();
}

/* :ns takes a namespace name; anything else is said and the namespace
 * (and its model) kept, as --namespace is refused on the command line. */
static void test_ns_checked(void **state)
{
    start("model-mixed.json", 120, 30, false);
    struct dash *d = app_top(&app)->data;
    char before[256];
    snprintf(before, sizeof(before), "%s", d->ns);
    struct status *m = d->m;
    type(":ns Bad_NS\n");
    assert_true(shows(":ns: "));
    assert_true(shows("(the namespace stays "));
    assert_string_equal(d->ns, before);
    assert_ptr_equal(d->m, m);
    type(":ns dify.prod\n");
    assert_string_equal(d->ns, before);
    stop();
}

/* `/` in describe and YAML: the first line with the text comes to the
 * top, n and N go to the next and previous one (around the end), the
 * heading says the search, an absent text is said. */
static void test_detail_search(void **state)
{
    start("model-mixed.json", 100, 30, false);
    type(":pods\n");
    type("d");
    struct dash *d = app_top(&app)->data;
    assert_int_equal(d->view, DV_DETAIL);
    assert_true(shows("n next"));
    assert_false(shows("r restart"));
    d->detail.lines = xmalloc(200 * sizeof(char *));
    for (int i = 0; i < 200; i++)
        d->detail.lines[i] =
            xasprintf(i == 60 || i == 150 ? "    Image: busybox:%d" : "line %d", i);
    d->detail.n = 200;
    type("/image\n");
    assert_int_equal(d->detail.top, 60);
    assert_true(shows("search image"));
    assert_true(shows("Image: busybox:60"));
    type("n");
    assert_int_equal(d->detail.top, 150);
    type("n");
    assert_int_equal(d->detail.top, 60); /* around the end */
    type("N");
    assert_int_equal(d->detail.top, 150);
    type("/[x](y)\n");
    assert_true(shows("is not in this description"));
    assert_int_equal(d->detail.top, 150);
    stop();
}

/* `:` with the names k9s users type for the kinds each view shows. */
static void test_k9s_kind_names(void **state)
{
    static const struct {
        const char *name;
        enum dash_view v;
    } names[] = {
        {"po", DV_PODS},
        {"pod", DV_PODS},
        {"pods", DV_PODS},
        {"deploy", DV_ROLLOUTS},
        {"deployment", DV_ROLLOUTS},
        {"deployments", DV_ROLLOUTS},
        {"sts", DV_ROLLOUTS},
        {"statefulset", DV_ROLLOUTS},
        {"statefulsets", DV_ROLLOUTS},
        {"ds", DV_ROLLOUTS},
        {"daemonset", DV_ROLLOUTS},
        {"daemonsets", DV_ROLLOUTS},
        {"job", DV_JOBS},
        {"jobs", DV_JOBS},
        {"ev", DV_EVENTS},
        {"event", DV_EVENTS},
        {"events", DV_EVENTS},
    };
    start("model-mixed.json", 100, 30, false);
    struct dash *d = app_top(&app)->data;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        type(":overview\n");
        char cmd[64];
        snprintf(cmd, sizeof(cmd), ":%s\n", names[i].name);
        type(cmd);
        if (d->view != names[i].v)
            fail_msg(":%s went to view %d, not %d", names[i].name, d->view, names[i].v);
    }
    stop();
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overview),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_enter_shows_pods),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_unreachable_80),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_frame_text),
        cmocka_unit_test(test_help_and_quit),
        cmocka_unit_test(test_selection_as_rows_arrive),
        cmocka_unit_test(test_log_ring),
        cmocka_unit_test(test_skew_flagged),
        cmocka_unit_test(test_log_wrap),
        cmocka_unit_test(test_tab_leaves_logs_closed),
        cmocka_unit_test(test_ns_checked),
        cmocka_unit_test(test_detail_search),
        cmocka_unit_test(test_k9s_kind_names),
        cmocka_unit_test(test_pods_view_walk),
        cmocka_unit_test(test_pods_incremental_equals_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
