/* screens/wizard_cost.c: the Size page's monthly cost: a row of the preset
 * table per preset and a note with the price table's date, region and
 * sources and the estimate for the values as edited. Every figure comes from
 * core/costs (the same table the README's cost table is computed from). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/costs.h"
#include "core/util.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

/* "about $420" (or "over $420" when a type has no price in the table). */
static char *preset_cost(const struct profile *p)
{
    struct cost_estimate e;
    costs_estimate(p, &e);
    char total[32];
    costs_money(total, sizeof(total), costs_about(e.total), 0);
    return xasprintf("%s %s", e.complete ? "about" : "over", total);
}

void wizard_cost_row(struct wizard *w, const struct profile *test, const struct profile *prod)
{
    if (test->target != TARGET_EKS)
        return;
    char *c[2] = {preset_cost(test), preset_cost(prod)};
    tui_table_add_row(&w->presets, (const char *[]){"Monthly cost", c[0], c[1]});
    free(c[0]);
    free(c[1]);
}

/* "eks, ec2, ..." from the table's source pages, each named once by its path
 * under aws.amazon.com (a page elsewhere is named whole). */
static char *source_names(void)
{
    static const char aws[] = "https://aws.amazon.com/";
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < cost_nprices; i++) {
        const char *src = cost_prices[i].source;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = str_eq(cost_prices[k].source, src);
        if (seen)
            continue;
        size_t n = strlen(src);
        if (str_starts_with(src, aws)) {
            src += strlen(aws);
            const char *end = strstr(src, "/pricing");
            n = end ? (size_t)(end - src) : strlen(src);
        }
        strbuf_addf(&sb, "%s%.*s", sb.len ? ", " : "", (int)n, src);
    }
    return strbuf_detach(&sb, NULL);
}

void wizard_cost_note(struct wizard *w)
{
    if (w->prof.target != TARGET_EKS)
        return;
    struct cost_estimate e;
    costs_estimate(&w->prof, &e);
    char *summary = costs_summary(&e);
    /* A footnote to the table's "Monthly cost" row, one line at 80 columns. */
    char *note = xasprintf("At idle, AWS list prices for %s, %s; sources at the page's end",
                           costs_region, costs_date);
    tui_form_add_note(&w->form, note, TUI_DIM);
    free(note);
    note = xasprintf("With the values below: %s", summary);
    tui_form_add_note(&w->form, note, TUI_NORMAL);
    free(note);
    free(summary);
}

void wizard_cost_sources(struct wizard *w)
{
    if (w->prof.target != TARGET_EKS)
        return;
    char *sources = source_names();
    char *note = xasprintf("Costs are AWS on-demand list prices for %s as of %s, read from the "
                           "pricing pages of aws.amazon.com for %s; not fetched live, and prices "
                           "change. They are the floor: the stack idle, Aurora at its minimum "
                           "ACUs, no data transfer, storage growth or load balancer capacity.",
                           costs_region, costs_date, sources);
    tui_form_add_note(&w->form, "", TUI_NORMAL);
    tui_form_add_note(&w->form, note, TUI_DIM);
    free(note);
    free(sources);
}
