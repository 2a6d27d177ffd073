/* core/paths.c: locating assets and the state directory. */
#include "config.h"

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

const char *paths_assets_dir(void)
{
    static char *dir;
    if (dir)
        return dir;
    const char *env = getenv("DIFY_TUI_ASSETS");
    if (!str_empty(env)) {
        dir = xstrdup(env);
        return dir;
    }
    /* Uninstalled: the binary sits in the build tree, next to the sources. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    bool installed = false;
    if (n > 0) {
        self[n] = '\0';
        const char *bindir = DIFY_PKGDATADIR;
        /* Installed binaries live under the same prefix as pkgdatadir. */
        char *prefix = xstrdup(bindir);
        char *share = strstr(prefix, "/share/");
        if (share) {
            *share = '\0';
            installed = str_starts_with(self, prefix) && !str_starts_with(self, DIFY_SRCDIR);
        }
        free(prefix);
    }
    char *src = path_join(DIFY_SRCDIR, "assets");
    char *inst = path_join(DIFY_PKGDATADIR, "assets");
    if (!installed && is_dir(src)) {
        dir = src;
        free(inst);
    } else {
        dir = inst;
        free(src);
    }
    return dir;
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
