/* tests/tf_probe.c: the installer's side of the rules contract with
 * assets/terraform. Reads probes (tests/data/terraform/probes.txt), puts each
 * value into an EKS profile the way an answers file or the wizard does
 * (profile_field_parse, or the secrets), asks profile_validate() whether the
 * answer is accepted, and renders the Terraform variables as render does.
 * For each probe it writes OUTDIR/probe_<line>.tf: a module block passing
 * the rendered value, on line 3, to a module holding the variable's block
 * alone (./var_<variable>), and prints
 * "#@ <line> <variable> accepts|refuses". tests/terraform_rules.sh plans
 * OUTDIR once: Terraform must report a validation error on line 3 of exactly
 * the files of the refused probes, and nothing else.
 *
 * Probe lines: VARIABLE <tab> ANSWER-PATH <tab> VALUE [<tab> CONTEXT], where
 * VALUE may use \xNN and \\ escapes, and CONTEXT is "path=value;..." set
 * first (to keep other rules, such as min <= count, out of the way). Lines
 * starting with '#' and blank lines are skipped. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/render_tf.h"
#include "core/util.h"
#include "core/validate.h"

/* Valid secrets: a probe of one secret keeps the other. */
#define PROBE_DB_PASSWORD "probe-db-password-0123"
#define PROBE_REDIS_TOKEN "probe-redis-token-0123456789"

static char *unescape(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == '\\') {
            strbuf_addc(&sb, '\\');
            s++;
        } else if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
                   isxdigit((unsigned char)s[3])) {
            char hex[3] = {s[2], s[3], 0};
            strbuf_addc(&sb, (char)strtol(hex, NULL, 16));
            s += 3;
        } else {
            strbuf_addc(&sb, *s);
        }
    }
    return strbuf_detach(&sb, NULL);
}

/* Sets one answer; false (with why) when it does not even parse. */
static bool set_answer(struct profile *p, struct secrets *sec, const char *path, const char *v,
                       char *msg, size_t msgsz)
{
    if (str_starts_with(path, "secrets.")) {
        for (size_t i = 0; i < secret_nfields; i++)
            if (!strcmp(secret_fields[i].key, path + 8)) {
                str_replace(secrets_field_ptr(sec, &secret_fields[i]), v);
                return true;
            }
        snprintf(msg, msgsz, "no secret %s", path);
        return false;
    }
    const struct field_desc *f = profile_field_find(path);
    if (!f) {
        snprintf(msg, msgsz, "no answer %s", path);
        return false;
    }
    return profile_field_parse(p, f, v, msg, msgsz) == 0;
}

/* The errors profile_validate finds on path, joined. */
static char *errors_on(const struct profile *p, const struct secrets *s, const char *path)
{
    struct problems ps;
    problems_init(&ps);
    profile_validate(p, s, &ps);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < ps.n; i++)
        if (!ps.v[i].warning && (!path || str_eq(ps.v[i].path, path)))
            strbuf_addf(&sb, "%s%s: %s", sb.len ? "; " : "", ps.v[i].path ? ps.v[i].path : "",
                        ps.v[i].message);
    problems_done(&ps);
    return strbuf_detach(&sb, NULL);
}

/* A value as an HCL expression: JSON's syntax, but "${" and "%{" would start
 * templates inside a quoted string. */
static void hcl_value(struct strbuf *sb, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        strbuf_addc(sb, '"');
        for (const unsigned char *c = (const unsigned char *)v->valuestring; *c; c++) {
            if (*c == '"' || *c == '\\')
                strbuf_addf(sb, "\\%c", *c);
            else if ((*c == '$' || *c == '%') && c[1] == '{')
                strbuf_addf(sb, "%c%c", *c, *c);
            else if (*c < 0x20 || *c == 0x7f)
                strbuf_addf(sb, "\\u%04x", *c);
            else
                strbuf_addc(sb, (char)*c);
        }
        strbuf_addc(sb, '"');
    } else if (cJSON_IsArray(v)) {
        strbuf_addc(sb, '[');
        const cJSON *e;
        bool first = true;
        cJSON_ArrayForEach(e, v)
        {
            if (!first)
                strbuf_adds(sb, ", ");
            hcl_value(sb, e);
            first = false;
        }
        strbuf_addc(sb, ']');
    } else if (cJSON_IsObject(v)) {
        strbuf_addc(sb, '{');
        const cJSON *e;
        bool first = true;
        cJSON_ArrayForEach(e, v)
        {
            cJSON key = {.type = cJSON_String, .valuestring = e->string};
            strbuf_adds(sb, first ? " " : ", ");
            hcl_value(sb, &key);
            strbuf_adds(sb, " = ");
            hcl_value(sb, e);
            first = false;
        }
        strbuf_adds(sb, " }");
    } else if (cJSON_IsBool(v)) {
        strbuf_adds(sb, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        strbuf_addf(sb, "%.17g", v->valuedouble);
    } else {
        strbuf_adds(sb, "null");
    }
}

/* Every variable render writes for p and s (both files) as one object;
 * NULL with why when render cannot. */
static cJSON *rendered_all(const struct profile *p, const struct secrets *s, char *msg,
                           size_t msgsz)
{
    struct rendered r = {0};
    struct error err;
    if (render_tfvars(p, s, &r, &err) < 0) {
        snprintf(msg, msgsz, "render: %.400s", err.msg);
        return NULL;
    }
    cJSON *all = cJSON_CreateObject();
    for (size_t i = 0; i < r.n; i++) {
        cJSON *j = cJSON_Parse(r.v[i].data);
        cJSON *e;
        cJSON_ArrayForEach(e, j) cJSON_AddItemToObject(all, e->string, cJSON_Duplicate(e, true));
        cJSON_Delete(j);
    }
    rendered_done(&r);
    return all;
}

/* A value the profile cannot even hold: a number if it reads as one (a type
 * Terraform converts), else the text. */
static cJSON *raw_value(const char *v)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (*v && !*end && !errno)
        return cJSON_CreateNumber(d);
    return cJSON_CreateString(v);
}

static void probe_base(struct profile *p, struct secrets *s)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    secrets_init(s);
    s->db_password = xstrdup(PROBE_DB_PASSWORD);
    s->redis_password = xstrdup(PROBE_REDIS_TOKEN);
}

/* Applies "path=value;path=value"; false with why on a bad entry. */
static bool apply_context(struct profile *p, struct secrets *s, const char *ctx, char *msg,
                          size_t msgsz)
{
    char *copy = xstrdup(ctx), *save = NULL;
    bool ok = true;
    for (char *t = strtok_r(copy, ";", &save); t && ok; t = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(t, '=');
        if (!eq) {
            snprintf(msg, msgsz, "context \"%s\" is not path=value", t);
            ok = false;
            break;
        }
        *eq = '\0';
        ok = set_answer(p, s, t, eq + 1, msg, msgsz);
    }
    free(copy);
    return ok;
}

/* OUTDIR/probe_<line>.tf: a module holding the variable's block alone
 * (./var_<variable>; its validation refers to nothing else), given the value
 * on line 3. */
static bool write_probe(const char *dir, int lineno, const char *var, const cJSON *vars)
{
    char *path = xasprintf("%s/probe_%d.tf", dir, lineno);
    FILE *f = fopen(path, "w");
    free(path);
    if (!f)
        return false;
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "module \"probe_%d\" {\n  source = \"./var_%s\"\n  %s = ", lineno, var, var);
    hcl_value(&sb, cJSON_GetObjectItemCaseSensitive(vars, var));
    strbuf_adds(&sb, "\n}\n");
    bool ok = fputs(sb.buf, f) >= 0;
    strbuf_done(&sb);
    return fclose(f) == 0 && ok;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PROBES-FILE OUTDIR\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    /* The baseline must be clean, or every verdict would be noise. */
    struct profile p;
    struct secrets s;
    char msg[512] = "";
    probe_base(&p, &s);
    char *base_errors = errors_on(&p, &s, NULL);
    cJSON *base = rendered_all(&p, &s, msg, sizeof(msg));
    if (*base_errors || !base) {
        fprintf(stderr, "the probe baseline is not valid: %s%s\n", base_errors, msg);
        return 1;
    }
    free(base_errors);
    profile_done(&p);
    secrets_done(&s);

    char line[4096];
    int lineno = 0, bad = 0;
    while (fgets(line, sizeof(line), in)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fields[4] = {0};
        int nf = 0;
        for (char *c = line; nf < 4;) {
            fields[nf++] = c;
            char *tab = strchr(c, '\t');
            if (!tab)
                break;
            *tab = '\0';
            c = tab + 1;
        }
        if (nf < 3 || !cJSON_GetObjectItemCaseSensitive(base, fields[0])) {
            fprintf(stderr, "%s:%d: expected VARIABLE<tab>PATH<tab>VALUE of a rendered variable\n",
                    argv[1], lineno);
            bad = 1;
            continue;
        }
        char *value = unescape(fields[2]);
        probe_base(&p, &s);
        if (nf == 4 && !apply_context(&p, &s, fields[3], msg, sizeof(msg))) {
            fprintf(stderr, "%s:%d: %s\n", argv[1], lineno, msg);
            bad = 1;
        }
        bool parsed = set_answer(&p, &s, fields[1], value, msg, sizeof(msg));
        char *why = parsed ? errors_on(&p, &s, fields[1]) : xstrdup(msg);
        bool accepted = parsed && !*why;
        /* A value the profile cannot hold goes in as typed, into the
         * baseline's variables. */
        cJSON *vars = parsed ? rendered_all(&p, &s, msg, sizeof(msg)) : cJSON_Duplicate(base, true);
        if (vars && !parsed)
            cJSON_ReplaceItemInObjectCaseSensitive(vars, fields[0], raw_value(value));
        if (!vars || !write_probe(argv[2], lineno, fields[0], vars)) {
            fprintf(stderr, "%s:%d: %s\n", argv[1], lineno, vars ? strerror(errno) : msg);
            bad = 1;
        } else {
            for (char *c = why; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                    *c = '?';
            printf("#@ %d %s %s %s\n", lineno, fields[0], accepted ? "accepts" : "refuses", why);
        }
        cJSON_Delete(vars);
        free(why);
        free(value);
        profile_done(&p);
        secrets_done(&s);
    }
    fclose(in);
    cJSON_Delete(base);
    return bad;
}
