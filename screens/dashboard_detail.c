/* screens/dashboard_detail.c: describe and YAML of one object, read with a
 * GET when the view opens (the store keeps only what the lists need).
 * Describe is kubectl-describe-like: name, namespace, labels, annotations,
 * owner, creation, the kind's kubectl columns as "Key: value", the spec and
 * status as YAML, and the object's events from the model (newest first).
 * Every string of the object is made safe (core/textsafe) before it is laid
 * out, so hostile names and invalid UTF-8 never reach the terminal or the
 * YAML emitter; a Secret's values are never shown (their sizes are). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/secret_mask.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "core/yamlout.h"
#include "screens/dashboard_impl.h"
#include "screens/screen.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"

static void push(char ***lines, size_t *n, const char *s)
{
    *lines = xrealloc(*lines, (*n + 1) * sizeof(char *));
    (*lines)[(*n)++] = xstrdup(s);
}

static void pushf(char ***lines, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pushf(char ***lines, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    push(lines, n, s);
    free(s);
}

/* Every key and string of the tree made safe, in place. */
static void make_safe(cJSON *j)
{
    for (cJSON *c = j ? j->child : NULL; c; c = c->next) {
        if (c->string) {
            char *k = textsafe(c->string, 0, 0);
            if (strcmp(k, c->string) != 0) {
                cJSON_free(c->string);
                c->string = cJSON_malloc(strlen(k) + 1);
                strcpy(c->string, k);
            }
            free(k);
        }
        if (cJSON_IsString(c)) {
            char *v = textsafe(c->valuestring, TEXTSAFE_KEEP_NL, 0);
            if (strcmp(v, c->valuestring) != 0)
                cJSON_SetValuestring(c, v);
            free(v);
        }
        make_safe(c);
    }
}

/* A Secret's values become their sizes; managedFields are noise. */
static void trim(cJSON *obj)
{
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(obj, "metadata"),
                                            "managedFields");
    if (!str_eq(kj_str(obj, "kind"), "Secret"))
        return;
    const char *fields[] = {"data", "stringData"};
    for (size_t f = 0; f < 2; f++) {
        cJSON *data = cJSON_GetObjectItemCaseSensitive(obj, fields[f]);
        for (cJSON *c = data ? data->child : NULL; c; c = c->next) {
            size_t len = cJSON_IsString(c) ? strlen(c->valuestring) : 0;
            if (f == 0)
                len = len / 4 * 3; /* base64: about */
            char *v = xasprintf("<%zu bytes, not shown>", len);
            cJSON_SetValuestring(c, v);
            free(v);
        }
    }
}

static void yaml_lines(cJSON *tree, const char *indent, char ***lines, size_t *n)
{
    char *text = NULL;
    size_t len;
    struct error err;
    error_clear(&err);
    cJSON *docs[1] = {tree};
    if (yamlout_emit(docs, 1, &text, &len, &err) < 0) {
        pushf(lines, n, "%s(cannot show: %s)", indent, err.msg);
        return;
    }
    for (char *p = text, *e; *p; p = e + 1) {
        e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p);
        if (!(e - p == 3 && !strncmp(p, "---", 3)))
            pushf(lines, n, "%s%.*s", indent, (int)(e - p), p);
        if (!*e)
            break;
    }
    free(text);
}

static void map_lines(const char *title, const cJSON *map, char ***lines, size_t *n)
{
    int i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, map)
    {
        pushf(lines, n, "%-16s%s=%s", i++ ? "" : title, c->string,
              cJSON_IsString(c) ? c->valuestring : "?");
    }
    if (!i)
        pushf(lines, n, "%-16s<none>", title);
}

void dash_describe(const cJSON *obj0, const struct status *m, char ***lines, size_t *n)
{
    cJSON *obj = cJSON_Duplicate(obj0, true);
    trim(obj);
    make_safe(obj);
    const char *kind = kj_str(obj, "kind");
    const char *name = kj_str(obj, "metadata.name");
    pushf(lines, n, "Name:           %s", name ? name : "<missing>");
    pushf(lines, n, "Namespace:      %s",
          kj_str(obj, "metadata.namespace") ? kj_str(obj, "metadata.namespace") : "");
    pushf(lines, n, "Kind:           %s", kind ? kind : "<missing>");
    map_lines("Labels:", kj_get(obj, "metadata.labels"), lines, n);
    map_lines("Annotations:", kj_get(obj, "metadata.annotations"), lines, n);
    const char *created = kj_str(obj, "metadata.creationTimestamp");
    pushf(lines, n, "Created:        %s", created ? created : "<unknown>");
    const cJSON *own;
    cJSON_ArrayForEach(own, kj_get(obj, "metadata.ownerReferences"))
    {
        pushf(lines, n, "Controlled By:  %s/%s", kj_str(own, "kind") ? kj_str(own, "kind") : "?",
              kj_str(own, "name") ? kj_str(own, "name") : "?");
    }
    /* the kind's kubectl columns, from the same projection `get` uses */
    const struct kube_resource *r = kube_resource_for(kj_str(obj, "apiVersion"), kind ? kind : "");
    if (r) {
        struct error err;
        error_clear(&err);
        struct kube_obj *o = kube_obj_parse(r->id, obj0, &err);
        if (!o) {
            char *safe = textsafe(err.msg, 0, 0);
            pushf(lines, n, "Problem:        %s", safe);
            free(safe);
        }
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t c = 0; o && c < r->ncolumns; c++) {
            const struct kube_column *col = &r->columns[c];
            if (col->cell == KC_NAME)
                continue;
            strbuf_reset(&sb);
            kube_cell_text(col, o, status_now(m), &sb);
            char *safe = textsafe(sb.buf, 0, 0);
            char label[64];
            snprintf(label, sizeof(label), "%s:", col->name);
            pushf(lines, n, "%-15s %s", label, safe);
            free(safe);
        }
        strbuf_done(&sb);
        kube_obj_free(o);
    }
    const char *sections[] = {"spec", "data", "status"};
    for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(obj, sections[s]);
        if (!sec)
            continue;
        pushf(lines, n, "%c%s:", sections[s][0] - 32, sections[s] + 1);
        yaml_lines(sec, "  ", lines, n);
    }
    /* its events, from the model */
    push(lines, n, "Events:");
    int shown = 0;
    for (size_t i = 0; m && name && i < status_nevents(m); i++) {
        const struct status_event *e = status_event_at(m, i);
        if (!str_eq(e->name, name) || (kind && !str_eq(e->kind, kind)))
            continue;
        char *msg = textsafe(e->message ? e->message : "", 0, 0);
        pushf(lines, n, "  %-8s %-20s x%-4u %s", e->type ? e->type : "", e->reason ? e->reason : "",
              e->count, msg);
        free(msg);
        shown++;
    }
    if (!shown)
        push(lines, n, "  <none>");
    cJSON_Delete(obj);
}

static void free_lines(struct dash_detail *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->lines[i]);
    free(x->lines);
    x->lines = NULL;
    x->n = 0;
}

/* A password given as a plain env value (no Secret behind it) is masked by
 * the Secrets' rule (core/secret_mask.h) before the object's lines are
 * made: registered, so the logs that repeat it are masked too. One too
 * short to mask is said, by object and name. */
static void mask_env(struct dash *d, const cJSON *obj)
{
    struct dash_detail *x = &d->detail;
    struct secret_mask_stats st = {0};
    char what[300];
    snprintf(what, sizeof(what), "%s/%s", kube_resource_get(x->t.kind)->singular, x->t.name);
    secret_mask_add_env(obj, what, &st);
    char note[400];
    secret_mask_short_note(&st, note, sizeof(note));
    if (note[0])
        dash_flash(d, false, "%s", note);
}

static void got(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash *d = arg;
    struct dash_detail *x = &d->detail;
    x->req = NULL;
    free_lines(x);
    if (err) {
        char *safe = textsafe(err->msg, 0, 0);
        snprintf(x->state, sizeof(x->state), "%s", safe);
        free(safe);
        dash_dirty(d);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (j)
        mask_env(d, j);
    if (!j) {
        snprintf(x->state, sizeof(x->state), "the reply is not JSON");
    } else if (x->yaml) {
        trim(j);
        make_safe(j);
        yaml_lines(j, "", &x->lines, &x->n);
        x->state[0] = '\0';
    } else {
        dash_describe(j, d->m, &x->lines, &x->n);
        x->state[0] = '\0';
    }
    cJSON_Delete(j);
    dash_dirty(d);
}

static void fetch(struct dash *d)
{
    struct dash_detail *x = &d->detail;
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    snprintf(x->state, sizeof(x->state), "reading...");
    x->req = kube_get(c, kube_resource_get(x->t.kind), status_namespace(d->m), x->t.name, got, d);
}

void dash_detail_open(struct dash *d, const struct dash_target *t, bool yaml)
{
    dash_detail_close(d);
    struct dash_detail *x = &d->detail;
    if (x->t.kind != t->kind || strcmp(x->t.name, t->name) != 0)
        x->search[0] = '\0'; /* kept across y and d on the same object */
    x->yaml = yaml;
    x->t = *t;
    x->top = 0;
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (!c) {
        snprintf(x->state, sizeof(x->state), "no cluster connection");
        return;
    }
    /* the lines are made safe (masked) once, on arrival: the namespace's
     * Secrets first (dashboard_mask.c), as the logs view does */
    if (!dash_mask_ready(d)) {
        x->waiting_mask = true;
        snprintf(x->state, sizeof(x->state), "reading the namespace's Secrets to mask them...");
        return;
    }
    fetch(d);
}

void dash_detail_mask_ready(struct dash *d)
{
    struct dash_detail *x = &d->detail;
    if (!x->waiting_mask)
        return;
    x->waiting_mask = false;
    fetch(d);
}

void dash_detail_close(struct dash *d)
{
    struct dash_detail *x = &d->detail;
    kube_req_cancel(x->req);
    x->req = NULL;
    x->waiting_mask = false;
    free_lines(x);
    x->state[0] = '\0';
}

static bool has_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; n && *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

/* The next line with the search's text from line `from` in direction dir
 * (+1, -1), wrapping around; -1 when none has it. */
static long find_match(const struct dash_detail *x, long from, int dir)
{
    if (!x->search[0] || x->n == 0)
        return -1;
    long n = (long)x->n;
    for (long k = 0; k < n; k++) {
        long i = ((from + dir * k) % n + n) % n;
        if (has_ci(x->lines[i], x->search))
            return i;
    }
    return -1;
}

static void go_match(struct dash *d, long from, int dir)
{
    struct dash_detail *x = &d->detail;
    long i = find_match(x, from, dir);
    if (i < 0)
        dash_flash(d, true, "\"%s\" is not in this %s", x->search,
                   x->yaml ? "YAML" : "description");
    else
        x->top = i;
}

void dash_detail_search(struct dash *d, const char *text)
{
    struct dash_detail *x = &d->detail;
    snprintf(x->search, sizeof(x->search), "%s", text);
    if (x->search[0])
        go_match(d, x->top, +1);
}

void dash_detail_draw(struct dash *d, WINDOW *w, int y0, int y1)
{
    struct dash_detail *x = &d->detail;
    char head[1400];
    snprintf(head, sizeof(head), "%s %s/%s%s%s%s%s", x->yaml ? "yaml" : "describe",
             kube_resource_get(x->t.kind)->singular, x->t.name, x->state[0] ? " · " : "", x->state,
             x->search[0] ? " · search " : "", x->search);
    dash_put(w, y0, 0, d->cols, head, tui_attr(TUI_HEADING));
    int y = y0 + 1;
    for (long i = x->top; i < (long)x->n && y < y1; i++) {
        attr_t a = x->search[0] && has_ci(x->lines[i], x->search) ? tui_attr(TUI_SELECTED)
                                                                  : tui_attr(TUI_NORMAL);
        tui_put(w, y++, 0, d->cols, x->lines[i], a); /* made safe */
    }
}

int dash_detail_key(struct dash *d, int key, int page)
{
    struct dash_detail *x = &d->detail;
    long max = (long)x->n - 1;
    switch (key) {
    case TUI_KEY_UP:
    case 'k':
        x->top--;
        break;
    case TUI_KEY_DOWN:
    case 'j':
        x->top++;
        break;
    case TUI_KEY_PGUP:
        x->top -= page;
        break;
    case TUI_KEY_PGDN:
        x->top += page;
        break;
    case TUI_KEY_HOME:
    case 'g':
        x->top = 0;
        break;
    case TUI_KEY_END:
    case 'G':
        x->top = max;
        break;
    case '/':
        d->prompt = DP_DETAIL_SEARCH;
        snprintf(d->input, sizeof(d->input), "%s", x->search);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 'n':
        go_match(d, x->top + 1, +1);
        break;
    case 'N':
        go_match(d, x->top - 1, -1);
        break;
    default:
        return SCREEN_IGNORED;
    }
    if (x->top > max)
        x->top = max;
    if (x->top < 0)
        x->top = 0;
    return SCREEN_HANDLED | SCREEN_DIRTY;
}
