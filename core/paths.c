/* core/paths.c: locating assets and the state directory. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/paths.h"
#include "core/util.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A directory is this program's assets when it holds the three trees the
 * program reads; an unrelated "assets" directory beside a binary is not. */
static bool is_assets(const char *dir)
{
    static const char *const need[] = {"examples", "scenarios", "terraform"};
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
        char *p = path_join(dir, need[i]);
        bool ok = is_dir(p);
        free(p);
        if (!ok)
            return false;
    }
    return true;
}

static char *assets_dir;
static const char *assets_how;

/* Tries one candidate; on success it becomes the answer. */
static bool assets_try(char *cand, const char *how)
{
    if (cand && is_assets(cand)) {
        assets_dir = paths_canonical(cand);
        if (!assets_dir)
            assets_dir = xstrdup(cand);
        assets_how = how;
        free(cand);
        return true;
    }
    free(cand);
    return false;
}

/* Where the assets are, found once: the environment, else relative to the
 * running program (an installed layout, then a build tree: the program's
 * directory or up to two above it, each also with the source tree's place
 * relative to the build tree), else the compiled-in install prefix. Never a
 * compiled-in absolute build directory: a copied clone reads its own. */
static void assets_find(void)
{
    const char *env = getenv("DIFY_TUI_ASSETS");
    if (!str_empty(env)) {
        assets_dir = xstrdup(env);
        assets_how = "from $DIFY_TUI_ASSETS";
        return;
    }
    char *exe = realpath("/proc/self/exe", NULL);
    if (exe) {
        char *slash = strrchr(exe, '/');
        *slash = '\0';
        const char *dir = *exe ? exe : "/";
        bool found = assets_try(xasprintf("%s/../share/%s/assets", dir, PACKAGE),
                                "installed: share/" PACKAGE " beside the program's bin/");
        for (int up = 0; !found && up <= 2; up++) {
            struct strbuf base;
            strbuf_init(&base);
            strbuf_adds(&base, dir);
            for (int k = 0; k < up; k++)
                strbuf_adds(&base, "/..");
            found = assets_try(xasprintf("%s/assets", base.buf),
                               "an uninstalled build: beside the program");
            if (!found && strcmp(DIFY_SRCDIR_REL, ".") != 0)
                found = assets_try(xasprintf("%s/%s/assets", base.buf, DIFY_SRCDIR_REL),
                                   "an uninstalled build: the source tree of the program's build");
            strbuf_done(&base);
        }
        free(exe);
        if (found)
            return;
    }
    char *inst = path_join(DIFY_PKGDATADIR, "assets");
    if (is_dir(inst)) {
        assets_dir = inst;
        assets_how = "the compiled-in install prefix";
        return;
    }
    assets_dir = inst;
    assets_how = "not found: set DIFY_TUI_ASSETS to the assets directory";
}

const char *paths_assets_dir(void)
{
    if (!assets_dir)
        assets_find();
    return assets_dir;
}

const char *paths_assets_how(void)
{
    if (!assets_dir)
        assets_find();
    return assets_how;
}

char *paths_asset(const char *rel)
{
    return path_join(paths_assets_dir(), rel);
}

char *paths_state_dir(void)
{
    char *dir;
    const char *env = getenv("DIFY_TUI_STATE");
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (!str_empty(env))
        dir = xstrdup(env);
    else if (!str_empty(xdg))
        dir = path_join(xdg, "dify-tui");
    else
        dir = xasprintf("%s/.local/state/dify-tui", str_empty(home) ? "/tmp" : home);
    dir_make_all(dir, 0700, NULL);
    return dir;
}

bool paths_arg_ok(const char *value, char *msg, size_t msgsz)
{
    if (!value || !*value) {
        snprintf(msg, msgsz, "an empty path");
        return false;
    }
    size_t n = strlen(value);
    if (n >= PATH_MAX) {
        snprintf(msg, msgsz, "a path of %zu bytes, longer than the %d allowed", n, PATH_MAX - 1);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
            snprintf(msg, msgsz, "the path holds a control character (byte %zu, 0x%02x)", i + 1,
                     (unsigned)(unsigned char)value[i]);
            return false;
        }
    return true;
}

/* Appends one segment to an absolute canonical path, resolving "." and "..". */
static void canon_push(struct strbuf *sb, const char *seg, size_t n)
{
    if (n == 0 || (n == 1 && seg[0] == '.'))
        return;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
        char *slash = strrchr(sb->buf, '/');
        sb->len = slash && slash != sb->buf ? (size_t)(slash - sb->buf) : 1;
        sb->buf[sb->len] = '\0';
        return;
    }
    if (sb->len > 1)
        strbuf_addc(sb, '/');
    strbuf_add(sb, seg, n);
}

char *paths_canonical(const char *path)
{
    if (str_empty(path))
        return NULL;
    char *abs;
    if (path[0] == '/') {
        abs = xstrdup(path);
    } else {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
        abs = path_join(cwd, path);
        free(cwd);
    }
    /* The longest prefix, at a segment boundary, that resolves; what is cut
     * off does not exist (yet) and is appended by text. realpath("/") never
     * fails, so the loop ends. */
    size_t cut = strlen(abs);
    char *real = NULL;
    for (;;) {
        char save = abs[cut];
        abs[cut] = '\0';
        real = realpath(cut ? abs : "/", NULL);
        abs[cut] = save;
        if (real || cut == 0)
            break;
        while (cut > 0 && abs[cut - 1] != '/')
            cut--;
        while (cut > 0 && abs[cut - 1] == '/')
            cut--;
    }
    if (!real) {
        free(abs);
        return NULL;
    }
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, real);
    free(real);
    const char *rest = abs + cut;
    while (*rest) {
        while (*rest == '/')
            rest++;
        size_t n = strcspn(rest, "/");
        canon_push(&sb, rest, n);
        rest += n;
    }
    free(abs);
    return strbuf_detach(&sb, NULL);
}

bool paths_within(const char *path, const char *dir)
{
    char *p = paths_canonical(path), *d = paths_canonical(dir);
    bool in = false;
    if (p && d) {
        size_t n = strlen(d);
        in = !strcmp(d, "/") || (!strncmp(p, d, n) && (p[n] == '\0' || p[n] == '/'));
    }
    free(p);
    free(d);
    return in;
}

bool paths_in_assets(const char *path)
{
    return paths_within(path, paths_assets_dir());
}
