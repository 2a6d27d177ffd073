/* man/gen_man.c: writes what the manual pages take from the profile's
 * tables (core/profile.c), so they cannot fall behind them:
 *   gen_man answers VERSION DATE PKGDATADIR   the whole dify-tui-answers(5)
 *   gen_man env                               the DIFY_* variables, as .TP
 *                                             entries for dify-tui(1)
 * Every key of profile_fields[] and every secret of secret_fields[] is
 * listed with its type, its defaults (community edition, test size, on each
 * target) and its help line. Run at build time (man/local.mk). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/paths.h"
#include "core/profile.h"
#include "core/util.h"

/* Text in a roff line: a backslash is \e, a leading dot or quote is
 * protected, and with code set '-' is a minus sign (\-) as in option names
 * and paths a reader copies. */
static void roff(const char *s, int code)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", stdout);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", stdout);
        else if (*s == '-' && code)
            fputs("\\-", stdout);
        else
            putchar(*s);
    }
}

static void bold(const char *s)
{
    fputs("\\fB", stdout);
    roff(s, 1);
    fputs("\\fR", stdout);
}

/* The type of a field as a person writes it. */
static void field_type(const struct field_desc *f)
{
    switch (f->type) {
    case FT_STRING:
        fputs(f->optional ? "text, may be empty" : "text", stdout);
        break;
    case FT_INT:
        if (f->max > 0)
            printf("integer, %d to %d", f->min, f->max);
        else
            printf("integer, %d or more", f->min);
        break;
    case FT_DOUBLE:
        fputs("number", stdout);
        break;
    case FT_BOOL:
        fputs("true or false", stdout);
        break;
    case FT_ENUM:
        fputs("one of ", stdout);
        for (size_t i = 0; f->enum_names[i]; i++) {
            if (i)
                fputs(", ", stdout);
            bold(f->enum_names[i]);
        }
        break;
    case FT_STRLIST:
        fputs("list of text", stdout);
        break;
    }
}

static void show_value(const char *v)
{
    if (!*v) {
        fputs("empty", stdout);
        return;
    }
    bold(v);
}

/* One key: its path and type, its defaults, its help line. */
static void field_entry(const struct field_desc *f, const struct profile *eks,
                        const struct profile *existing)
{
    printf(".TP\n");
    bold(f->path);
    fputs(" (", stdout);
    field_type(f);
    fputs(")\n", stdout);
    roff(f->help ? f->help : f->label, 0);
    fputs(".\n", stdout);
    char *a = profile_field_format(eks, f), *b = profile_field_format(existing, f);
    fputs("Default: ", stdout);
    show_value(a);
    /* target chooses the other defaults; its own is eks */
    if (strcmp(a, b) && strcmp(f->path, "target")) {
        fputs(" on target eks, ", stdout);
        show_value(b);
        fputs(" on target existing", stdout);
    }
    fputs(".\n", stdout);
    free(a);
    free(b);
}

/* When a missing secret is generated, from the same functions render uses. */
static void secret_when(const struct secret_desc *d, const struct profile *eks,
                        const struct profile *existing, const struct profile *ee)
{
    bool g_eks = secret_generated(eks, d), g_ex = secret_generated(existing, d);
    bool community = secret_applies(eks, d), g_ee = secret_generated(ee, d);
    if (g_eks && g_ex)
        printf("Generated when missing (%d random bytes) and kept.", d->gen_bytes);
    else if (g_eks)
        printf("Generated when missing on target eks only, where the stack creates the service; "
               "on an existing cluster you give it.");
    else if (!community && g_ee)
        printf("Enterprise edition only; generated when missing (%d random bytes) and kept.",
               d->gen_bytes);
    else
        printf("Never generated: give it where the profile uses it.");
    putchar('\n');
}

static void env_entries(void)
{
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        printf(".TP\n");
        bold(d->env);
        printf("\n");
        roff(d->label, 0);
        printf(": overrides ");
        bold(d->key);
        printf(" of the secrets file (dify\\-tui\\-answers(5)).\n");
    }
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The examples the assets hold (found the way the program finds them). */
static void list_examples(void)
{
    char *dir = paths_asset("examples");
    DIR *d = opendir(dir);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < ARRAY_LEN(names)) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
            names[n++] = xstrdup(e->d_name);
    }
    if (d)
        closedir(d);
    free(dir);
    qsort(names, n, sizeof(names[0]), name_cmp);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", stdout);
        bold(names[i]);
        free(names[i]);
    }
}

static void answers_page(const char *version, const char *date, const char *pkgdatadir)
{
    struct profile eks, existing, ee;
    profile_init(&eks, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    profile_init(&existing, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    profile_init(&ee, EDITION_ENTERPRISE, TARGET_EKS, SIZE_TEST);

    printf(".\\\" Generated by man/gen_man.c from core/profile.c's tables: do not edit.\n");
    printf(".TH DIFY\\-TUI\\-ANSWERS 5 \"%s\" \"dify\\-tui %s\" \"File Formats\"\n", date, version);
    printf(".SH NAME\n"
           "dify\\-tui\\-answers \\- the answers file and the secrets file of dify\\-tui\n"
           ".SH SYNOPSIS\n"
           "\\fIX\\fR\\fB.yaml\\fR (the answers) and \\fIX\\fR\\fB.secrets.yaml\\fR beside it "
           "(the secrets, mode 0600)\n"
           ".SH DESCRIPTION\n"
           "An answers file holds every choice of one Dify installation: edition, target, "
           "method, size, the cluster, the data stores, the domains, the rollout. "
           "\\fBdify\\-tui wizard\\fR writes it; \\fBdify\\-tui validate\\fR checks it; "
           "\\fBdify\\-tui render\\fR turns it into Terraform variables, Helm values and "
           "Kubernetes manifests. Secrets never go into it: they live in the secrets file "
           "or in \\fBDIFY_*\\fR environment variables.\n"
           ".PP\n"
           "The answers file is YAML: one document, a mapping. \\fBversion: %d\\fR is "
           "required. \\fBedition\\fR, \\fBtarget\\fR and \\fBsize\\fR choose the defaults; "
           "every other key overrides one default. The keys below are dotted paths written as "
           "nested mappings:\n"
           ".PP\n.RS\n.nf\n"
           "version: %d\ntarget: eks\naws:\n  region: us\\-west\\-2\n"
           "  public_subnets: [\"10.0.1.0/24\", \"10.0.2.0/24\"]\n"
           ".fi\n.RE\n"
           ".PP\n"
           "Text accepts any scalar except a boolean (quote \\fBtrue\\fR to mean the word); "
           "an integer or a number must be unquoted; true or false is YAML 1.2 "
           "\\fBtrue\\fR/\\fBfalse\\fR only; a list is a YAML sequence of text. "
           "Unknown keys, wrong types and values that break a rule are errors, each reported "
           "as \\fIFILE\\fR:\\fILINE\\fR:\\fICOL\\fR: \\fIkey.path\\fR: \\fImessage\\fR "
           "(with \"did you mean\" for a close name). Anchors, aliases, tags, tabs used for "
           "indentation, a second document and keys that name a secret are refused.\n",
           PROFILE_VERSION, PROFILE_VERSION);

    printf(".SH KEYS\n"
           "Defaults are those of the community edition and the test size; "
           "\\fBsize: prod\\fR and \\fBedition: enterprise\\fR change several of them.\n");
    for (size_t i = 0; i < profile_nfields; i++)
        field_entry(&profile_fields[i], &eks, &existing);

    printf(".SS extra_files\n"
           "A list of files mounted into pods from a ConfigMap, each a mapping with "
           "\\fBsource\\fR (a local text file under 1 MiB; relative to the answers file), "
           "\\fBconfigmap\\fR (the ConfigMap's name), \\fBkey\\fR (its key in the ConfigMap), "
           "\\fBmount_path\\fR (an absolute path in the container, mounted with subPath), "
           "\\fBapi\\fR and \\fBworker\\fR (true to mount it into those pods). The first four "
           "are required.\n");

    printf(".SH THE SECRETS FILE\n"
           "The secrets of \\fIX\\fR\\fB.yaml\\fR are in \\fIX\\fR\\fB.secrets.yaml\\fR "
           "(\\fBdify\\-tui validate\\fR and \\fBrender\\fR take another with "
           "\\fB\\-\\-secrets\\fR): a flat mapping of the keys below to quoted text, mode 0600. "
           "A file readable by group or others is refused, with the \\fBchmod 600\\fR that "
           "fixes it. Each \\fBDIFY_*\\fR variable that is set and not empty overrides its "
           "key. Missing secrets that can be generated are generated once and saved, so that "
           "renderings repeat byte for byte; the database password is never generated again "
           "once chosen (a kept volume keeps the old one). Values are never printed: the log "
           "masks them.\n");
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        printf(".TP\n");
        bold(d->key);
        fputs(" (", stdout);
        bold(d->env);
        fputs(")\n", stdout);
        roff(d->label, 0);
        fputs(". ", stdout);
        secret_when(d, &eks, &existing, &ee);
    }

    printf(".SH ENVIRONMENT\n");
    env_entries();

    printf(".SH FILES\n"
           ".TP\n\\fB%s/assets/examples/\\fR\n"
           "Commented examples: ",
           pkgdatadir);
    list_examples();
    printf(". Opening or rendering one never writes into that directory: the wizard writes "
           "your copy to its working directory, and render keeps the example's generated "
           "secrets in the state directory.\n"
           ".SH SEE ALSO\n"
           ".BR dify\\-tui (1),\n"
           ".BR dify\\-sim (1)\n");
    profile_done(&eks);
    profile_done(&existing);
    profile_done(&ee);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "env")) {
        env_entries();
        return 0;
    }
    if (argc == 5 && !strcmp(argv[1], "answers")) {
        answers_page(argv[2], argv[3], argv[4]);
        return ferror(stdout) ? 1 : 0;
    }
    fprintf(stderr, "usage: gen_man answers VERSION DATE PKGDATADIR | gen_man env\n");
    return 2;
}
