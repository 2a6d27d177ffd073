/* screens/dashboard_list.h: what the dashboard's list views share
 * (dashboard_views.c): the table they draw, the rows kept current, and the
 * helpers the pods list (dashboard_pods.c) and the overview with its health
 * strip (dashboard_overview.c) use. */
#ifndef SCREENS_DASHBOARD_LIST_H
#define SCREENS_DASHBOARD_LIST_H

#include "screens/dashboard_impl.h"

#define NCOLS 10
#define CELL 320

/* A table of the visible rows: widths laid out over them and the heading. */
struct dash_table {
    int ncols;
    const char *head[NCOLS];
    int maxw[NCOLS]; /* a column's cap; 0: none */
    int drop[NCOLS]; /* when the screen is narrow, the highest goes first; 0: kept */
    char (*cells)[NCOLS][CELL];
    char (*alt0)[CELL]; /* column 0's text when column 1 is dropped ("" or NULL: the same) */
    attr_t *attrs;
    int nrows;
};

/* Points t's cells, attrs (and alt0 when asked) at memory for n rows kept
 * between frames, every cell empty. */
void dash_table_rows(struct dash *d, struct dash_table *t, int n, bool alt0);
void dash_table_free(struct dash *d);
/* Lays out widths over the visible rows and the heading, drops columns
 * (highest drop rank first) until the rest fits, and draws at row y;
 * selected (relative to the first row) is highlighted. Each cell is made
 * safe (core/textsafe) once. */
void dash_table_draw(struct dash *d, WINDOW *w, const struct dash_table *t, int y, int cols,
                     int selected);

/* The rows of list view v, current (rebuilt or moved after the model
 * changed); the selection found again by its key. */
struct dash_list *dash_list_current(struct dash *d, enum dash_view v);
void dash_list_push(struct dash_list *l, const void *p);
/* Keeps the selection on screen: the list's top row for h visible rows. */
int dash_scroll_top(struct dash_list *l, int h);

/* needle in hay, ignoring case ("" and NULL needles match everything). */
bool dash_has_ci(const char *hay, const char *needle);
/* An age as kubectl prints it into out (CELL bytes); "-" for no time. */
void dash_age(long long now, long long t, char *out);
attr_t dash_rollout_attr(const struct dash *d, enum status_rollout r);
static inline const char *dash_comp_title(enum dify_comp c)
{
    return dify_comp_desc(c)->title;
}

/* dashboard_pods.c: the pods list. Its rows are the store's pod objects
 * filtered and in the view's order (d->pod_sort). */
void dash_pods_build(struct dash *d, struct dash_list *l);
/* Moves only the pods that changed since the rows were made; false when
 * it cannot (the caller builds them again). */
bool dash_pods_update(struct dash *d, struct dash_list *l);
/* Pod o's row as the pods view shows it: its cells and colour (dimmed by
 * the caller when the API is unreachable); false when the model has no row
 * for it (the cells are empty). Formatted when it comes on screen, then
 * kept while the pod, its model row and the second stay the same. */
bool dash_pod_row(struct dash *d, const struct kube_obj *o, char cells[NCOLS][CELL], attr_t *a);
void dash_pods_cache_free(struct dash *d);

#endif
