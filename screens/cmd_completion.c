/* screens/cmd_completion.c: `dify-tui completion bash|zsh`, Tab completion
 * the way kubectl and helm provide it (docs/package.md).
 *
 * The scripts are thin: on each Tab they run
 *   dify-tui completion --complete CWORD WORD0 WORD1 ...
 * and this file answers from the program's own tables, so a command added to
 * the table in screens/main.c completes with no edit here:
 *   - command names from the command table;
 *   - a command's options from its usage text (every -x / --long token),
 *     and whether one takes a value from the word after it there (FILE, DIR,
 *     NAME ..., or a list of choices a|b|c);
 *   - the global options (--kubeconfig, --context, --namespace, -n);
 *   - the kinds `get` takes, from the kind registry (core/kube_kinds);
 *   - contexts and namespaces from the kubeconfig files (--kubeconfig, else
 *     $KUBECONFIG, else ~/.kube/config), read, never contacting a cluster;
 *   - answers files for --answers, secrets files for --secrets, files and
 *     directories for FILE and DIR.
 * The answer is a first line saying what to complete (":words", ":files",
 * ":dirs", ":answers", ":secrets", ":none") and then the words, one a line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_kinds.h"
#include "core/util.h"
#include "core/yamldoc.h"
#include "screens/cmds.h"
#include "screens/command.h"

/* The options every command takes besides its own (screens/cmd_args.c). */
static const char *const global_value_opts[] = {"--kubeconfig", "--context", "--namespace", "-n"};

/* One option of a command, as its usage text shows it. */
struct copt {
    char name[48];
    char meta[64]; /* the value's placeholder ("FILE", "wide|json|name"); "" for a flag */
};

struct coptions {
    struct copt v[64];
    size_t n;
};

static bool is_opt_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* The word after an option in a usage text, when it is the option's value:
 * an upper-case placeholder (FILE, KIND/NAME) or choices (wide|json|name). */
static void opt_meta(const char *p, char *meta, size_t sz)
{
    meta[0] = '\0';
    if (*p != ' ' && *p != '=')
        return;
    p++;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != ']' && p[n] != ',' && p[n] != '\n' && p[n] != ')')
        n++;
    if (n == 0 || n >= sz)
        return;
    bool upper = p[0] >= 'A' && p[0] <= 'Z';
    bool choices = memchr(p, '|', n) && p[0] >= 'a' && p[0] <= 'z';
    if (upper || choices) {
        memcpy(meta, p, n);
        meta[n] = '\0';
    }
}

/* Every option token in a usage text: "-x" or "--long", at a word's start. */
static void options_of(const char *usage, struct coptions *o)
{
    o->n = 0;
    for (const char *p = usage; *p; p++) {
        if (*p != '-' || (p > usage && (is_opt_char(p[-1]) || p[-1] == '`')))
            continue;
        size_t n = p[1] == '-' ? 2 : 1;
        if (!((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
            continue;
        while (is_opt_char(p[n]))
            n++;
        if (p[n - 1] == '-' || n >= sizeof(o->v[0].name))
            continue;
        char meta[64];
        opt_meta(p + n, meta, sizeof(meta));
        size_t k = 0;
        while (k < o->n && (strlen(o->v[k].name) != n || strncmp(o->v[k].name, p, n)))
            k++;
        if (k == o->n) {
            if (o->n == sizeof(o->v) / sizeof(o->v[0]))
                break;
            memcpy(o->v[k].name, p, n);
            o->v[k].name[n] = '\0';
            o->v[k].meta[0] = '\0';
            o->n++;
        }
        /* a value in any place the text shows the option means it takes one */
        if (!o->v[k].meta[0] && meta[0])
            snprintf(o->v[k].meta, sizeof(o->v[k].meta), "%s", meta);
        p += n - 1;
    }
}

static const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < commands_n; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

static bool is_global_value_opt(const char *w)
{
    for (size_t i = 0; i < ARRAY_LEN(global_value_opts); i++)
        if (!strcmp(w, global_value_opts[i]))
            return true;
    return false;
}

/* ---- the kubeconfig: contexts and their namespaces ---- */

struct names {
    char **v;
    size_t n;
};

static void names_add(struct names *l, const char *s)
{
    if (str_empty(s))
        return;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n++] = xstrdup(s);
}

static void names_done(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Reads one kubeconfig file's contexts; a file that does not read is
 * skipped (completion never prints errors into a command line). */
static void kubeconfig_names(const char *path, struct names *contexts, struct names *namespaces)
{
    char *text = NULL;
    size_t len = 0;
    struct error err = {0};
    struct ynode *root = NULL;
    if (file_read_all(path, 4 << 20, &text, &len, &err) < 0 ||
        yamldoc_parse(path, text, len, &root, &err) < 0) {
        free(text);
        return;
    }
    const struct ynode *list = ynode_get(root, "contexts");
    for (size_t i = 0; list && list->kind == YNODE_SEQ && i < list->n; i++) {
        const struct ynode *c = list->items[i];
        names_add(contexts, ynode_get_str(c, "name"));
        names_add(namespaces, ynode_get_str(ynode_get(c, "context"), "namespace"));
    }
    yamldoc_free(root);
    free(text);
}

/* The kubeconfig files kubectl would read: --kubeconfig, else every file of
 * $KUBECONFIG, else ~/.kube/config. */
static void kube_names(const char *kubeconfig, struct names *contexts, struct names *namespaces)
{
    const char *env = getenv("KUBECONFIG");
    if (!str_empty(kubeconfig)) {
        kubeconfig_names(kubeconfig, contexts, namespaces);
    } else if (!str_empty(env)) {
        char *list = xstrdup(env), *save = NULL;
        for (char *f = strtok_r(list, ":", &save); f; f = strtok_r(NULL, ":", &save))
            kubeconfig_names(f, contexts, namespaces);
        free(list);
    } else {
        const char *home = getenv("HOME");
        char *p = xasprintf("%s/.kube/config", str_empty(home) ? "" : home);
        kubeconfig_names(p, contexts, namespaces);
        free(p);
    }
    names_add(namespaces, "default");
}

/* ---- the answer ---- */

static void words_begin(void)
{
    puts(":words");
}

/* What an option's value completes to. */
static void complete_value(const char *opt, const char *meta, const char *kubeconfig)
{
    if (!strcmp(opt, "--context") || !strcmp(opt, "--namespace") || !strcmp(opt, "-n")) {
        struct names ctx = {0}, ns = {0};
        kube_names(kubeconfig, &ctx, &ns);
        const struct names *l = !strcmp(opt, "--context") ? &ctx : &ns;
        words_begin();
        for (size_t i = 0; i < l->n; i++)
            puts(l->v[i]);
        names_done(&ctx);
        names_done(&ns);
    } else if (!strcmp(opt, "--answers")) {
        puts(":answers");
    } else if (!strcmp(opt, "--secrets")) {
        puts(":secrets");
    } else if (!strcmp(opt, "--kubeconfig") || str_ends_with(meta, "FILE")) {
        puts(":files");
    } else if (str_ends_with(meta, "DIR")) {
        puts(":dirs");
    } else if (strchr(meta, '|')) {
        words_begin();
        char *m = xstrdup(meta), *save = NULL;
        for (char *w = strtok_r(m, "|", &save); w; w = strtok_r(NULL, "|", &save))
            puts(w);
        free(m);
    } else {
        puts(":none"); /* a name, a number, a selector: nothing to offer */
    }
}

/* The kinds `get` takes: the registry's plural names. */
static void complete_kinds(void)
{
    words_begin();
    for (int k = 0; k < KUBE_KIND_COUNT; k++)
        puts(kube_resource_get((enum kube_kind)k)->plural);
}

static int complete(int cword, int nwords, char **words)
{
    const char *cur = cword < nwords ? words[cword] : "";
    const char *kubeconfig = NULL;
    const struct command *cmd = NULL;
    struct coptions opts = {0};
    int positional = 0;
    /* What the words before the current one say: the command, the
     * kubeconfig named, how many arguments the command has. */
    for (int i = 1; i < cword && i < nwords; i++) {
        const char *w = words[i];
        bool value_next = false;
        if (w[0] == '-') {
            char name[48];
            snprintf(name, sizeof(name), "%.*s", (int)strcspn(w, "="), w);
            bool has_eq = strchr(w, '=') != NULL;
            if (is_global_value_opt(name))
                value_next = !has_eq;
            for (size_t k = 0; cmd && k < opts.n; k++)
                if (!strcmp(opts.v[k].name, name) && opts.v[k].meta[0])
                    value_next = !has_eq;
            if (!strcmp(name, "--kubeconfig"))
                kubeconfig = has_eq ? strchr(w, '=') + 1 : (i + 1 < cword ? words[i + 1] : NULL);
            if (value_next)
                i++;
            continue;
        }
        if (!cmd) {
            cmd = command_find(w);
            if (!cmd)
                return puts(":none") < 0; /* an unknown command: nothing to say */
            options_of(cmd->usage, &opts);
        } else {
            positional++;
        }
    }
    /* The word before is an option wanting a value. */
    const char *prev = cword >= 2 && cword - 1 < nwords ? words[cword - 1] : "";
    if (prev[0] == '-' && !strchr(prev, '=')) {
        if (is_global_value_opt(prev)) {
            complete_value(prev, "", kubeconfig);
            return 0;
        }
        for (size_t k = 0; cmd && k < opts.n; k++)
            if (!strcmp(opts.v[k].name, prev) && opts.v[k].meta[0]) {
                complete_value(prev, opts.v[k].meta, kubeconfig);
                return 0;
            }
    }
    if (cur[0] == '-') {
        words_begin();
        for (size_t k = 0; k < ARRAY_LEN(global_value_opts); k++)
            puts(global_value_opts[k]);
        if (!cmd) {
            puts("--help");
            puts("--version");
        }
        for (size_t k = 0; cmd && k < opts.n; k++)
            if (!is_global_value_opt(opts.v[k].name))
                puts(opts.v[k].name);
        if (cmd)
            puts("--help");
        return 0;
    }
    if (!cmd) {
        words_begin();
        for (size_t i = 0; i < commands_n; i++)
            puts(commands[i]->name);
        return 0;
    }
    if (!strcmp(cmd->name, "get")) {
        if (positional == 0)
            complete_kinds();
        else
            puts(":none"); /* object names: the cluster is not asked on a Tab */
        return 0;
    }
    puts(":files");
    return 0;
}

/* ---- the scripts ---- */

static const char bash_script[] =
    "# bash completion for dify-tui: source it, or save it as\n"
    "# /usr/share/bash-completion/completions/dify-tui. Written by\n"
    "# `dify-tui completion bash`; the words come from the program itself.\n"
    "_dify_tui() {\n"
    "    local cur words cword out kind\n"
    "    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then\n"
    "        _get_comp_words_by_ref -n =: cur words cword\n"
    "    else\n"
    "        words=(\"${COMP_WORDS[@]}\") cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]}\n"
    "    fi\n"
    "    out=$(\"${words[0]}\" completion --complete \"$cword\" \"${words[@]}\" 2>/dev/null) "
    "|| return 0\n"
    "    kind=${out%%$'\\n'*}\n"
    "    [ \"$kind\" = \"$out\" ] && out= || out=${out#*$'\\n'}\n"
    "    local IFS=$'\\n'\n"
    "    case $kind in\n"
    "    :words) COMPREPLY=($(compgen -W \"$out\" -- \"$cur\")) ;;\n"
    "    :files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
    "    :dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
    "    :answers | :secrets)\n"
    "        compopt -o filenames 2>/dev/null\n"
    "        local f\n"
    "        COMPREPLY=()\n"
    "        for f in $(compgen -f -- \"$cur\"); do\n"
    "            if [ -d \"$f\" ]; then COMPREPLY+=(\"$f\"); continue; fi\n"
    "            case $kind:$f in\n"
    "            :answers:*.secrets.yaml | :answers:*.secrets.yml) ;;\n"
    "            :answers:*.yaml | :answers:*.yml) COMPREPLY+=(\"$f\") ;;\n"
    "            :secrets:*.secrets.yaml | :secrets:*.secrets.yml) COMPREPLY+=(\"$f\") ;;\n"
    "            esac\n"
    "        done\n"
    "        ;;\n"
    "    *) COMPREPLY=() ;;\n"
    "    esac\n"
    "    if declare -F __ltrim_colon_completions >/dev/null 2>&1; then\n"
    "        __ltrim_colon_completions \"$cur\"\n"
    "    fi\n"
    "    return 0\n"
    "}\n"
    "complete -F _dify_tui dify-tui\n";

static const char zsh_script[] =
    "#compdef dify-tui\n"
    "# zsh completion for dify-tui: save it as _dify-tui in a directory of\n"
    "# $fpath (/usr/share/zsh/vendor-completions), or source it after compinit.\n"
    "# Written by `dify-tui completion zsh`; the words come from the program.\n"
    "_dify_tui() {\n"
    "    local -a out\n"
    "    out=(\"${(@f)$(${words[1]} completion --complete $((CURRENT - 1)) \"${words[@]}\" "
    "2>/dev/null)}\")\n"
    "    case ${out[1]} in\n"
    "    :words) compadd -- \"${(@)out[2,-1]}\" ;;\n"
    "    :files) _files ;;\n"
    "    :dirs) _files -/ ;;\n"
    "    :answers) _files -g '(#i)*.y(a|)ml~*.secrets.y(a|)ml' ;;\n"
    "    :secrets) _files -g '*.secrets.y(a|)ml' ;;\n"
    "    esac\n"
    "}\n"
    "if [ \"$funcstack[1]\" = \"_dify-tui\" ]; then\n"
    "    _dify_tui \"$@\"\n"
    "else\n"
    "    compdef _dify_tui dify-tui\n"
    "fi\n";

static int cmd_completion_run(int argc, char **argv, const struct global_opts *g)
{
    if (argc == 2 && !strcmp(argv[1], "bash")) {
        fputs(bash_script, stdout);
        return EXIT_OK;
    }
    if (argc == 2 && !strcmp(argv[1], "zsh")) {
        fputs(zsh_script, stdout);
        return EXIT_OK;
    }
    if (argc >= 4 && !strcmp(argv[1], "--complete")) {
        char *end;
        long cword = strtol(argv[2], &end, 10);
        if (*end || cword < 0 || cword > 10000)
            return EXIT_BADINPUT;
        complete((int)cword, argc - 3, argv + 3);
        return EXIT_OK;
    }
    fputs(cmd_completion.usage, stderr);
    return EXIT_BADINPUT;
}

const struct command cmd_completion = {
    "completion", "print the bash or zsh completion script",
    "usage: dify-tui completion bash|zsh\n"
    "  Prints the shell's completion script: commands, options, the kinds of get,\n"
    "  contexts and namespaces from the kubeconfig, answers files.\n"
    "    bash: source <(dify-tui completion bash)   (or save it in\n"
    "          /usr/share/bash-completion/completions/dify-tui)\n"
    "    zsh:  source <(dify-tui completion zsh)    after compinit (or save it as\n"
    "          _dify-tui in a directory of $fpath)\n"
    "  The package installs both. Exit status: 0 printed, 2 another shell.\n",
    cmd_completion_run};
