/* core/plan.c: the plan's steps, their declared work, dependencies, the
 * inputs hash and the dry run; and the table of parts that build an
 * install plan from a profile. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/plan.h"
#include "core/proc.h"
#include "core/history.h"
#include "core/steps_native.h"
#include "core/util.h"

enum item_kind { ITEM_CMD, ITEM_OBJECT, ITEM_NOTE, ITEM_INPUT };

struct plan_item {
    enum item_kind kind;
    char *a; /* the command line, the object's name, the note, the input's key */
    char *b; /* the object's YAML, the input's value */
};

struct plan_step {
    char *id;
    char *title;
    enum plan_stage stage;
    const struct step_ops *ops;
    void *data;
    struct strlist after;
    int attempts;
    long long first_wait_ms;
    bool skippable, always, loses_data;
    long long timeout_ms;
    char *skip_reason;
    char *question;
    struct plan_item *items;
    size_t nitems;
    char hash[HASH_HEX_LEN + 1];
    bool hashed;
};

struct plan {
    char *what;
    struct plan_step **v;
    size_t n;
};

static const char *const stage_names[] = {"preflight",   "infrastructure", "base",  "migration",
                                          "application", "rollout",        "checks"};

struct plan *plan_new(const char *what)
{
    struct plan *p = xcalloc(1, sizeof(*p));
    p->what = xstrdup(what);
    return p;
}

static void step_free(struct plan_step *s)
{
    if (s->ops && s->ops->free_data && s->data)
        s->ops->free_data(s->data);
    for (size_t i = 0; i < s->nitems; i++) {
        free(s->items[i].a);
        if (s->items[i].kind == ITEM_INPUT)
            str_free_secret(s->items[i].b);
        else
            free(s->items[i].b);
    }
    free(s->items);
    strlist_clear(&s->after);
    free(s->id);
    free(s->title);
    free(s->skip_reason);
    free(s->question);
    free(s);
}

void plan_free(struct plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        step_free(p->v[i]);
    free(p->v);
    free(p->what);
    free(p);
}

const char *plan_what(const struct plan *p)
{
    return p->what;
}

struct plan_step *plan_add(struct plan *p, enum plan_stage stage, const char *id, const char *title,
                           const struct step_ops *ops, void *data)
{
    if (plan_find(p, id)) {
        log_error("plan: two steps with the id \"%s\"", id);
        abort(); /* a programming error: ids are fixed in the code */
    }
    struct plan_step *s = xcalloc(1, sizeof(*s));
    s->id = xstrdup(id);
    s->title = xstrdup(title);
    s->stage = stage;
    s->ops = ops;
    s->data = data;
    s->attempts = 1;
    p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
    p->v[p->n++] = s;
    return s;
}

void plan_step_after(struct plan_step *s, const char *id)
{
    strlist_add(&s->after, id);
}

void plan_step_retry(struct plan_step *s, int attempts, long long first_wait_ms)
{
    s->attempts = attempts < 1 ? 1 : attempts;
    s->first_wait_ms = first_wait_ms;
}

void plan_step_skippable(struct plan_step *s)
{
    s->skippable = true;
}

void plan_step_timeout(struct plan_step *s, long long ms)
{
    s->timeout_ms = ms;
}

void plan_step_skip(struct plan_step *s, const char *reason)
{
    str_replace(&s->skip_reason, reason);
}

void plan_step_confirm(struct plan_step *s, const char *question, bool loses_data)
{
    str_replace(&s->question, question);
    s->loses_data = loses_data;
}

void plan_step_always(struct plan_step *s)
{
    s->always = true;
}

static void add_item(struct plan_step *s, enum item_kind k, char *a, char *b)
{
    s->items = xrealloc(s->items, (s->nitems + 1) * sizeof(*s->items));
    s->items[s->nitems++] = (struct plan_item){k, a, b};
    s->hashed = false;
}

void plan_step_cmd(struct plan_step *s, const char *const *argv)
{
    add_item(s, ITEM_CMD, proc_argv_string(argv), NULL);
}

void plan_step_object(struct plan_step *s, const char *what, const char *yaml)
{
    add_item(s, ITEM_OBJECT, xstrdup(what), xstrdup(yaml));
}

void plan_step_note(struct plan_step *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = xvasprintf(fmt, ap);
    va_end(ap);
    add_item(s, ITEM_NOTE, t, NULL);
}

void plan_step_input(struct plan_step *s, const char *key, const char *value)
{
    add_item(s, ITEM_INPUT, xstrdup(key), xstrdup(value ? value : ""));
}

size_t plan_count(const struct plan *p)
{
    return p->n;
}

struct plan_step *plan_step_at(const struct plan *p, size_t i)
{
    return i < p->n ? p->v[i] : NULL;
}

struct plan_step *plan_find(const struct plan *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i]->id, id) == 0)
            return p->v[i];
    return NULL;
}

const char *plan_step_id(const struct plan_step *s)
{
    return s->id;
}

const char *plan_step_title(const struct plan_step *s)
{
    return s->title;
}

enum plan_stage plan_step_stage(const struct plan_step *s)
{
    return s->stage;
}

const struct step_ops *plan_step_ops(const struct plan_step *s)
{
    return s->ops;
}

void *plan_step_data(const struct plan_step *s)
{
    return s->data;
}

const char *plan_step_skip_reason(const struct plan_step *s)
{
    return s->skip_reason;
}

const char *plan_step_question(const struct plan_step *s, bool *loses_data)
{
    if (loses_data)
        *loses_data = s->loses_data;
    return s->question;
}

bool plan_step_is_always(const struct plan_step *s)
{
    return s->always;
}

bool plan_step_is_skippable(const struct plan_step *s)
{
    return s->skippable;
}

int plan_step_attempts(const struct plan_step *s, long long *first_wait_ms)
{
    if (first_wait_ms)
        *first_wait_ms = s->first_wait_ms > 0 ? s->first_wait_ms : 2000;
    return s->attempts;
}

long long plan_step_timeout_ms(const struct plan_step *s)
{
    return s->timeout_ms;
}

bool plan_step_depends_on(const struct plan_step *s, const struct plan_step *dep)
{
    if (s == dep)
        return false;
    if (dep->stage < s->stage)
        return true;
    for (size_t i = 0; i < s->after.n; i++)
        if (strcmp(s->after.v[i], dep->id) == 0)
            return true;
    return false;
}

const char *plan_step_inputs_hash(struct plan_step *s)
{
    if (s->hashed)
        return s->hash;
    struct hash h;
    hash_init(&h);
    hash_add_str(&h, s->id);
    hash_add_str(&h, s->ops && s->ops->kind ? s->ops->kind : "");
    for (size_t i = 0; i < s->nitems; i++) {
        char k = (char)('0' + s->items[i].kind);
        hash_add(&h, &k, 1);
        hash_add_str(&h, s->items[i].a);
        hash_add_str(&h, s->items[i].b ? s->items[i].b : "");
    }
    hash_hex(&h, s->hash);
    s->hashed = true;
    return s->hash;
}

/* Depth-first over explicit dependencies of one stage (stages alone cannot
 * loop): 0 unvisited, 1 on the path, 2 done. */
static int visit(const struct plan *p, size_t i, int *mark, struct error *err)
{
    if (mark[i] == 2)
        return 0;
    if (mark[i] == 1)
        return error_set(err, ERR_INTERNAL, 0,
                         "plan: the steps depend on each other in a cycle "
                         "through \"%s\"",
                         p->v[i]->id);
    mark[i] = 1;
    for (size_t d = 0; d < p->v[i]->after.n; d++) {
        for (size_t j = 0; j < p->n; j++)
            if (strcmp(p->v[j]->id, p->v[i]->after.v[d]) == 0 && visit(p, j, mark, err) < 0)
                return -1;
    }
    mark[i] = 2;
    return 0;
}

int plan_check(const struct plan *p, struct error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct plan_step *s = p->v[i];
        for (size_t d = 0; d < s->after.n; d++) {
            const struct plan_step *dep = plan_find(p, s->after.v[d]);
            if (!dep)
                return error_set(err, ERR_INTERNAL, 0,
                                 "plan: step \"%s\" runs after \"%s\", which is not in the plan",
                                 s->id, s->after.v[d]);
            if (dep->stage > s->stage)
                return error_set(err, ERR_INTERNAL, 0,
                                 "plan: step \"%s\" (%s) runs after \"%s\", a later stage (%s)",
                                 s->id, stage_names[s->stage], dep->id, stage_names[dep->stage]);
        }
    }
    int *mark = xcalloc(p->n ? p->n : 1, sizeof(int));
    int rc = 0;
    for (size_t i = 0; i < p->n && rc == 0; i++)
        rc = visit(p, i, mark, err);
    free(mark);
    return rc;
}

static size_t indent_of(const char *line, size_t len)
{
    size_t n = 0;
    while (n < len && line[n] == ' ')
        n++;
    return n;
}

/* A Secret's YAML with the values under data/stringData replaced. */
static void add_masked_yaml(struct strbuf *out, const char *yaml, const char *pad)
{
    bool secret = strstr(yaml, "\nkind: Secret") || str_starts_with(yaml, "kind: Secret");
    long mask_above = -1; /* indentation of the data: key being masked */
    const char *line = yaml;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        size_t ind = indent_of(line, len);
        strbuf_adds(out, pad);
        if (mask_above >= 0 && (long)ind <= mask_above && ind < len)
            mask_above = -1;
        const char *colon = memchr(line, ':', len);
        if (secret && mask_above >= 0 && colon) {
            strbuf_add(out, line, (size_t)(colon - line) + 1);
            strbuf_adds(out, " '***'");
        } else {
            strbuf_add(out, line, len);
        }
        strbuf_addc(out, '\n');
        if (secret && mask_above < 0 && colon && (size_t)(colon - line) + 1 == len) {
            size_t klen = (size_t)(colon - line) - ind;
            if ((klen == 4 && strncmp(line + ind, "data", 4) == 0) ||
                (klen == 10 && strncmp(line + ind, "stringData", 10) == 0))
                mask_above = (long)ind;
        }
        line = nl ? nl + 1 : line + len;
    }
}

void plan_describe(const struct plan *p, struct strbuf *out)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s plan: %zu steps (nothing below has been run)\n", p->what, p->n);
    for (size_t i = 0; i < p->n; i++) {
        struct plan_step *s = p->v[i];
        bool staged = strcmp(p->what, "install") == 0 || strcmp(p->what, "upgrade") == 0;
        if (staged)
            strbuf_addf(&sb, "\n%zu. %s [%s] (%s)\n", i + 1, s->title, s->id,
                        stage_names[s->stage]);
        else
            strbuf_addf(&sb, "\n%zu. %s [%s]\n", i + 1, s->title, s->id);
        struct strbuf deps;
        strbuf_init(&deps);
        for (size_t j = 0; j < p->n; j++)
            if (j != i && plan_step_depends_on(s, p->v[j]) &&
                (!staged || p->v[j]->stage >= s->stage))
                strbuf_addf(&deps, "%s%s", deps.len ? ", " : "", p->v[j]->id);
        int below = -1; /* the nearest earlier stage that has steps */
        for (size_t j = 0; j < p->n; j++)
            if ((int)p->v[j]->stage < (int)s->stage && (int)p->v[j]->stage > below)
                below = (int)p->v[j]->stage;
        if (staged && below >= 0)
            strbuf_addf(&sb, "   after: every %s step%s%s\n", stage_names[below],
                        deps.len ? ", " : "", deps.buf);
        else if (deps.len)
            strbuf_addf(&sb, "   after: %s\n", deps.buf);
        strbuf_done(&deps);
        if (s->skip_reason)
            strbuf_addf(&sb, "   skipped: %s\n", s->skip_reason);
        if (s->question)
            strbuf_addf(&sb, "   asks first: %s%s\n", s->question,
                        s->loses_data ? " (deletes data)" : "");
        if (s->attempts > 1)
            strbuf_addf(&sb, "   retried: up to %d attempts\n", s->attempts);
        for (size_t k = 0; k < s->nitems; k++) {
            const struct plan_item *it = &s->items[k];
            switch (it->kind) {
            case ITEM_CMD:
                strbuf_addf(&sb, "   $ %s\n", it->a);
                break;
            case ITEM_NOTE:
                strbuf_addf(&sb, "   - %s\n", it->a);
                break;
            case ITEM_OBJECT:
                strbuf_addf(&sb, "   object %s:\n", it->a);
                add_masked_yaml(&sb, it->b, "     | ");
                break;
            case ITEM_INPUT:
                break;
            }
        }
    }
    char *red = log_redact(sb.buf);
    strbuf_adds(out, red);
    free(red);
    strbuf_done(&sb);
}
/* ---- the install plan ---- */

/* Each part of the installer adds its steps; the order here is the order
 * of the steps within a stage. */
static const plan_part_fn install_parts[] = {
    steps_preflight_add, /* core/steps_preflight.c */
    steps_tf_add,        /* core/steps_tf.c */
    steps_db_add,        /* core/steps_db.c */
    steps_kube_add,      /* core/steps_kube.c */
    steps_helm_add,      /* core/steps_helm.c */
    steps_revision_add,  /* core/history.c */
};

/* Steps in stage order, each stage's in the order the parts added them:
 * the order a person reads them in and the runner considers them. */
void plan_sort_stages(struct plan *p)
{
    for (size_t i = 1; i < p->n; i++) {
        struct plan_step *s = p->v[i];
        size_t j = i;
        while (j > 0 && p->v[j - 1]->stage > s->stage) {
            p->v[j] = p->v[j - 1];
            j--;
        }
        p->v[j] = s;
    }
}

/* The install's parts under a name: "install", or "upgrade" (the same
 * steps; the journal's resume counts only the records since the last run
 * of the same name, so an upgrade runs every step once). */
static int build_installish(const char *what, const struct plan_ctx *ctx, struct plan **out,
                            struct error *err)
{
    struct plan *p = plan_new(what);
    for (size_t i = 0; i < ARRAY_LEN(install_parts); i++)
        if (install_parts[i](p, ctx, err) < 0)
            goto fail;
    plan_sort_stages(p);
    if (plan_check(p, err) < 0)
        goto fail;
    *out = p;
    return 0;
fail:
    plan_free(p);
    return -1;
}

int plan_build_install(const struct plan_ctx *ctx, struct plan **out, struct error *err)
{
    return build_installish("install", ctx, out, err);
}

int plan_build_upgrade(const struct plan_ctx *ctx, struct plan **out, struct error *err)
{
    return build_installish("upgrade", ctx, out, err);
}
