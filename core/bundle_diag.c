/* core/bundle_diag.c: the diagnostics report in the bundle as Markdown, made
 * from the JSON the checks give (core/checks.h check_run_json), so the two
 * files say the same: problems first (fail, then warn), each with its
 * evidence and gitlab:check's "Try:" and "More:", then the checks that
 * passed or were skipped, one line each. */
#include "config.h"

#include "core/bundle.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "core/util.h"

static const char *jstr(const cJSON *o, const char *k)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
    return s ? s : "";
}

/* One line of Markdown text: newlines become spaces. */
static void add_line(struct strbuf *sb, const char *s)
{
    for (; *s; s++)
        strbuf_addc(sb, *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void add_check(struct strbuf *sb, const cJSON *c, bool detail)
{
    strbuf_addf(sb, "- **%s** %s: %s", jstr(c, "id"), jstr(c, "status"), jstr(c, "title"));
    if (*jstr(c, "summary")) {
        strbuf_adds(sb, " — ");
        add_line(sb, jstr(c, "summary"));
    }
    strbuf_addc(sb, '\n');
    if (!detail)
        return;
    if (*jstr(c, "explain")) {
        strbuf_adds(sb, "  ");
        add_line(sb, jstr(c, "explain"));
        strbuf_addc(sb, '\n');
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c, "evidence"))
    {
        if (!cJSON_IsString(e))
            continue;
        strbuf_adds(sb, "  - ");
        add_line(sb, e->valuestring);
        strbuf_addc(sb, '\n');
    }
    if (*jstr(c, "try")) {
        strbuf_adds(sb, "  - Try: `");
        add_line(sb, jstr(c, "try"));
        strbuf_adds(sb, "`\n");
    }
    if (*jstr(c, "more")) {
        strbuf_adds(sb, "  - More: ");
        add_line(sb, jstr(c, "more"));
        strbuf_addc(sb, '\n');
    }
}

char *bundle_diag_markdown(const cJSON *report, size_t *len)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "# Diagnostics\n\n");
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(report, "checks");
    static const char *const order[] = {"fail", "warn", "ok", "skipped"};
    static const char *const heading[] = {"Failures", "Warnings", "Passed", "Skipped"};
    for (size_t k = 0; k < ARRAY_LEN(order); k++) {
        size_t n = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, checks) n += !strcmp(jstr(c, "status"), order[k]);
        if (!n)
            continue;
        strbuf_addf(&sb, "## %s (%zu)\n\n", heading[k], n);
        cJSON_ArrayForEach(c, checks)
        {
            if (!strcmp(jstr(c, "status"), order[k]))
                add_check(&sb, c, k < 2);
        }
        strbuf_addc(&sb, '\n');
    }
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(report, "exit");
    if (cJSON_IsNumber(ex))
        strbuf_addf(&sb, "`dify-tui diagnose` would exit %d.\n", (int)ex->valuedouble);
    return strbuf_detach(&sb, len);
}
