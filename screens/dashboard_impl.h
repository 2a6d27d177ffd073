/* screens/dashboard_impl.h: the dashboard's insides, shared by its files:
 * dashboard.c (the screen: life, keys, the frame, switching), dashboard_
 * views.c, dashboard_overview.c and dashboard_pods.c (the list views;
 * dashboard_list.h), dashboard_logs.c, dashboard_detail.c (describe and
 * YAML) and dashboard_actions.c. */
#ifndef SCREENS_DASHBOARD_IMPL_H
#define SCREENS_DASHBOARD_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <ncurses.h>

#include "core/kube_kinds.h"
#include "core/kube_watch.h"
#include "core/status.h"
#include "screens/dashboard.h"

struct app;
struct kube_req;
struct loop;

enum dash_view {
    DV_OVERVIEW,
    DV_PODS,
    DV_ROLLOUTS,
    DV_JOBS,
    DV_EVENTS,
    DV_LOGS,
    DV_DETAIL,
    DV_COUNT
};

/* What the list views select: an object by kind and name. */
struct dash_target {
    enum kube_kind kind; /* KUBE_KIND_COUNT: nothing */
    char name[256];
    char pod[256]; /* a pod to read logs from ("" none) */
    enum dify_comp comp;
};

struct dash_list {
    char sel[256]; /* the selected row's key (kept across changes) */
    bool chosen;   /* the user moved the selection: it follows its row; until
                    * then it stays on the top row as rows arrive */
    int idx, top;
    char filter[128];
    /* the filtered rows: opaque pointers into the model */
    const void **rows;
    size_t nrows, cap;
    bool stale;                 /* rebuild whole (the filter, the sort, the model changed) */
    unsigned long long version; /* status_version() the rows were built from */
    unsigned long long seq;     /* and status_seq(): the pods view moves what changed since */
    const struct status *model; /* the model they were built from */
    unsigned long long moved;   /* times only what changed was moved (for tests) */
};

/* A bounded ring of sanitised log lines: memory stays flat however long a
 * follow runs. */
#define DASH_LOG_LINES 5000
#define DASH_LOG_LINE_MAX 4096
/* Kept past the cut, so a secret that straddles it is masked before the
 * line is cut (core/textsafe masks, then the cut is made). */
#define DASH_LOG_SLACK 512

struct dash_logs {
    char pod[256], container[128];
    bool container_given; /* the caller named the container: no default chosen */
    char **containers;    /* the pod's containers, then its init containers */
    size_t ncontainers;
    struct kube_req *pod_req; /* reading the pod for its containers */
    bool waiting_mask;        /* for the Secrets' values to be masked first */
    bool previous, follow;
    char *lines[DASH_LOG_LINES];
    size_t first, n; /* ring: lines[(first + i) % DASH_LOG_LINES] */
    unsigned long long dropped;
    struct kube_req *req;
    struct strbuf part; /* the line being received: at most DASH_LOG_LINE_MAX + DASH_LOG_SLACK
                         * bytes are kept of it; the rest, to its newline, is counted */
    bool part_cut;      /* bytes of the line being received were left out */
    char state[512];    /* "following", "ended: ...", "error (below)" */
    char error[512];    /* the last request's error, drawn whole under the heading */
    char search[128], include[128], exclude[128];
    long scroll;          /* lines up from the bottom of the filtered view; 0: the end */
    bool stuck;           /* scrolled away from the end: follow does not move the view */
    bool cut;             /* long lines cut at the screen's edge; wrapped otherwise (w) */
    long long retry;      /* the timer following again after the stream broke (0: none) */
    long long backoff_ms; /* its next delay: 1 s doubling to 30 s, back to 1 s when bytes come */
};

/* The detail view: describe or YAML of one object, as text lines. */
struct dash_detail {
    bool yaml;
    struct dash_target t;
    char **lines;
    size_t n;
    long top;
    struct kube_req *req;
    char state[512];
    char search[128];  /* `/` in describe and YAML: matches shown, n/N move to them */
    bool waiting_mask; /* for the Secrets' values to be masked first */
};

/* The values of the namespace's Secrets, masked on screen
 * (dashboard_mask.c, core/secret_mask.h). */
struct dash_mask {
    struct kube_req *req;
    bool done;       /* read (or refused) for ns */
    bool error;      /* could not be read: note says why */
    long long at;    /* now_ms() of the read */
    unsigned masked; /* values registered */
    char ns[256];
    char note[700]; /* said once: unreadable, or values too short to mask */
};

enum dash_prompt {
    DP_NONE,
    DP_FILTER,
    DP_COMMAND,
    DP_LOG_SEARCH,
    DP_LOG_INCLUDE,
    DP_LOG_EXCLUDE,
    DP_DETAIL_SEARCH
};

struct dash {
    struct dashboard_opts o; /* strings owned (copies) */
    struct app *app;
    struct loop *loop;
    struct kube_client *c;
    bool own_client;
    struct status *m;
    bool own_model;
    char ns[256], context[256];
    enum dash_view view;
    enum dash_view back[8]; /* Esc goes back through these */
    int nback;
    struct dash_list lists[DV_COUNT];
    int pod_sort; /* 0 name, 1 status, 2 restarts, 3 age, 4 node */
    enum dash_prompt prompt;
    char input[128];
    char flash[512]; /* the last action's result, or a hint */
    bool flash_error;
    struct dash_logs logs;
    struct dash_detail detail;
    struct dash_mask mask;
    int cols, rows;
    long long tick;                   /* the once-a-second redraw's timer (0: none) */
    unsigned long long model_changes; /* notifications seen */
    char joblog_pod[256];             /* the jobs view's log lines: of this pod */
    unsigned long long joblog_rv;     /* the Job's resourceVersion when fetched */
    char *joblog_text;
    struct kube_req *joblog_req;
    struct dash_action *action;    /* an action in flight */
    struct dash_action *asking;    /* an action waiting for its confirmation */
    struct dash_table_mem *tmem;   /* the list views' table memory (dashboard_views.c) */
    struct dash_pod_cache *pcache; /* the pods view's rows formatted (dashboard_pods.c) */
};

/* dashboard.c */
long long dash_now(const struct dash *d);
void dash_flash(struct dash *d, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dash_dirty(struct dash *d);
void dash_go(struct dash *d, enum dash_view v);
/* Draws s made safe (core/textsafe) at (y, x) in at most w columns. */
int dash_put(WINDOW *win, int y, int x, int w, const char *s, attr_t attr);

/* dashboard_views.c, dashboard_overview.c (the overview and the health
 * strip), dashboard_pods.c; their shared insides: dashboard_list.h */
void dash_views_stale(struct dash *d);
void dash_views_free(struct dash *d);
/* Draws the list view between rows y0 and y1 (exclusive). */
void dash_view_draw(struct dash *d, WINDOW *w, int y0, int y1);
void dash_overview_draw(struct dash *d, WINDOW *w, int y0, int y1);
int dash_health_draw(struct dash *d, WINDOW *w, int y);
/* Starts what the current view's selection needs (the jobs view's log
 * lines); after moves, view changes and model changes. */
void dash_views_sync(struct dash *d);
void dash_views_cancel(struct dash *d);
/* Moves the selection; returns true when the key was a movement. */
bool dash_view_move(struct dash *d, int key, int page);
/* The object of the current view: a list's selected row, the pod whose
 * logs are shown, the object described. */
void dash_view_target(struct dash *d, struct dash_target *t);
/* Sets the current list view's filter (also the pods view's from the
 * overview: Enter on a component shows its pods). */
void dash_view_filter(struct dash *d, enum dash_view v, const char *filter);

/* dashboard_logs.c */
void dash_logs_open(struct dash *d, const char *pod, const char *container, bool previous);
void dash_logs_close(struct dash *d);
/* The pod whose logs are shown (kind KUBE_KIND_COUNT: none). */
void dash_logs_target(struct dash *d, struct dash_target *t);
void dash_logs_draw(struct dash *d, WINDOW *w, int y0, int y1);
int dash_logs_key(struct dash *d, int key, int page);
void dash_logs_add(struct dash_logs *l, const char *line, size_t len);
/* Bytes of the log stream as they come, in chunks of any size: split at
 * '\n' (a "\r\n" ending dropped; blank lines kept, as kubectl prints them);
 * a line longer than DASH_LOG_LINE_MAX is kept cut, and the lines after it
 * are not lost. dash_logs_end takes what is left without a newline. */
void dash_logs_feed(struct dash_logs *l, const char *data, size_t n);
void dash_logs_end(struct dash_logs *l);

/* dashboard_detail.c */
void dash_detail_open(struct dash *d, const struct dash_target *t, bool yaml);
void dash_detail_close(struct dash *d);
void dash_detail_draw(struct dash *d, WINDOW *w, int y0, int y1);
int dash_detail_key(struct dash *d, int key, int page);
/* The search's text: the first line from the top that has it comes to the
 * top (said when none has). */
void dash_detail_search(struct dash *d, const char *text);
/* The describe-like text of an object (for tests): lines appended to out. */
struct cJSON;
void dash_describe(const struct cJSON *obj, const struct status *m, char ***lines, size_t *n);

/* dashboard_mask.c: lists the namespace's Secrets and masks their
 * values; dash_mask_ready starts a read when none was done for the model's
 * namespace or the last is old, and says whether the mask is ready (the
 * logs view waits; dash_logs_mask_ready is called when it is). */
void dash_mask_load(struct dash *d);
bool dash_mask_ready(struct dash *d);
void dash_mask_cancel(struct dash *d);
void dash_logs_mask_ready(struct dash *d);
void dash_detail_mask_ready(struct dash *d);

/* dashboard_actions.c */
/* The action keys: r restart, Ctrl-L rollback, m re-run migration,
 * Ctrl-D delete pod. Returns screen flags (a dialog pushed), or 0. */
int dash_action_key(struct dash *d, int key);
void dash_actions_cancel(struct dash *d);
void dash_actions_free(struct dash *d);

#endif
