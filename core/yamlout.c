/* core/yamlout.c: the one YAML writer. Walks a cJSON tree and feeds libyaml's
 * emitter events; libyaml picks safe quoting for special characters, and
 * yamlout_needs_quotes() adds the YAML 1.1/1.2 type-resolution cases libyaml
 * does not know about ("yes", "0", "1.33", "null" must stay strings). */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/error.h"
#include "core/util.h"
#include "core/yamlout.h"

/* Nesting beyond this is a programming error in a renderer, not input. */
#define YAMLOUT_MAX_DEPTH 64

bool yamlout_needs_quotes(const char *s)
{
    static const char *const words[] = {
        "null", "~", "true", "false", "yes",   "no",   "on", "off",
        "y",    "n", ".inf", "-.inf", "+.inf", ".nan", "<<", "=",
    };
    if (!s || !*s)
        return true;
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    /* Numbers in any YAML 1.1 or 1.2 spelling (ints, floats, hex, octal,
     * sexagesimal, 1_000) and timestamps all start with a digit, sign or dot
     * and use only these characters: quote every such string. */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return false;
    for (; *p; p++)
        if (!strchr("0123456789._:+-eExXoObBabcdefABCDEFtTzZ ", *p))
            return false;
    return true;
}

struct yamlout {
    yaml_emitter_t em;
    struct strbuf sb;
    struct error *err;
};

static int yamlout_write(void *data, unsigned char *buffer, size_t size)
{
    struct strbuf *sb = data;
    strbuf_add(sb, buffer, size);
    return 1;
}

static int yamlout_fail(struct yamlout *yo)
{
    return error_set(yo->err, ERR_INVALID, 0, "writing YAML: %s",
                     yo->em.problem ? yo->em.problem : "emitter error");
}

static int yamlout_event(struct yamlout *yo, yaml_event_t *ev)
{
    if (!yaml_emitter_emit(&yo->em, ev))
        return yamlout_fail(yo);
    return 0;
}

static int yamlout_scalar(struct yamlout *yo, const char *text, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    int plain_ok = style == YAML_ANY_SCALAR_STYLE || style == YAML_PLAIN_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                                      plain_ok, 1, style))
        return error_set(yo->err, ERR_INVALID, 0, "writing YAML: bad scalar");
    return yamlout_event(yo, &ev);
}

static int yamlout_string(struct yamlout *yo, const char *s)
{
    if (strchr(s, '\n'))
        return yamlout_scalar(yo, s, YAML_LITERAL_SCALAR_STYLE);
    if (yamlout_needs_quotes(s))
        return yamlout_scalar(yo, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    return yamlout_scalar(yo, s, YAML_ANY_SCALAR_STYLE);
}

/* Integers print without a fraction; other numbers in their shortest exact form. */
static void yamlout_number(double d, char *buf, size_t bufsz)
{
    if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0) {
        snprintf(buf, bufsz, "%.0f", d);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, bufsz, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

static int yamlout_node(struct yamlout *yo, const cJSON *j, int depth)
{
    yaml_event_t ev;
    char num[64];
    if (depth > YAMLOUT_MAX_DEPTH)
        return error_set(yo->err, ERR_INTERNAL, 0, "writing YAML: nesting too deep");
    if (cJSON_IsObject(j)) {
        bool empty = j->child == NULL;
        yaml_mapping_start_event_initialize(
            &ev, NULL, NULL, 1, empty ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
        if (yamlout_event(yo, &ev))
            return -1;
        for (const cJSON *c = j->child; c; c = c->next) {
            if (yamlout_string(yo, c->string) || yamlout_node(yo, c, depth + 1))
                return -1;
        }
        yaml_mapping_end_event_initialize(&ev);
        return yamlout_event(yo, &ev);
    }
    if (cJSON_IsArray(j)) {
        bool empty = j->child == NULL;
        yaml_sequence_start_event_initialize(
            &ev, NULL, NULL, 1, empty ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
        if (yamlout_event(yo, &ev))
            return -1;
        for (const cJSON *c = j->child; c; c = c->next)
            if (yamlout_node(yo, c, depth + 1))
                return -1;
        yaml_sequence_end_event_initialize(&ev);
        return yamlout_event(yo, &ev);
    }
    if (cJSON_IsString(j))
        return yamlout_string(yo, j->valuestring);
    if (cJSON_IsBool(j))
        return yamlout_scalar(yo, cJSON_IsTrue(j) ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
    if (cJSON_IsNumber(j)) {
        yamlout_number(j->valuedouble, num, sizeof(num));
        return yamlout_scalar(yo, num, YAML_PLAIN_SCALAR_STYLE);
    }
    return yamlout_scalar(yo, "null", YAML_PLAIN_SCALAR_STYLE);
}

int yamlout_emit(cJSON *const *docs, size_t n, char **out, size_t *len, struct error *err)
{
    struct yamlout yo = {.err = err};
    yaml_event_t ev;
    int rc = -1;
    *out = NULL;
    if (len)
        *len = 0;
    strbuf_init(&yo.sb);
    if (!yaml_emitter_initialize(&yo.em)) {
        strbuf_done(&yo.sb);
        return error_set(err, ERR_INTERNAL, 0, "writing YAML: cannot start the emitter");
    }
    yaml_emitter_set_output(&yo.em, yamlout_write, &yo.sb);
    yaml_emitter_set_unicode(&yo.em, 1);
    yaml_emitter_set_indent(&yo.em, 2);
    yaml_emitter_set_width(&yo.em, -1); /* never fold long strings: stable diffs */
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    if (yamlout_event(&yo, &ev))
        goto out;
    for (size_t i = 0; i < n; i++) {
        /* libyaml writes "---" before every document after the first. */
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        if (yamlout_event(&yo, &ev) || yamlout_node(&yo, docs[i], 0))
            goto out;
        yaml_document_end_event_initialize(&ev, 1);
        if (yamlout_event(&yo, &ev))
            goto out;
    }
    yaml_stream_end_event_initialize(&ev);
    if (yamlout_event(&yo, &ev) || !yaml_emitter_flush(&yo.em)) {
        yamlout_fail(&yo);
        goto out;
    }
    rc = 0;
out:
    yaml_emitter_delete(&yo.em);
    if (rc == 0)
        *out = strbuf_detach(&yo.sb, len);
    else
        strbuf_done(&yo.sb);
    return rc;
}
