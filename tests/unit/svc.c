/* tests/unit/svc.c: runs tests/svc.sh and reads what it prints. */
#include "config.h"

#include "tests/unit/svc.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char *run_script(const char *verb, const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "sh '%s/tests/svc.sh' %s '%s' 2>&1", DIFY_SRCDIR, verb, dir);
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    pclose(f);
    return buf;
}

void svc_start(struct svc *s, const char *kind)
{
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof(s->dir), "%s/dify-tui-svc.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        s->skip = strdup("cannot make a temporary directory");
        return;
    }
    /* the PostgreSQL server runs as "postgres" when we are root: let it in */
    chmod(s->dir, 0711);
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/%s", s->dir, kind);
    char verb[32];
    snprintf(verb, sizeof(verb), "%s-start", kind);
    char *out = run_script(verb, sub);
    s->started = 1;
    if (!out) {
        s->skip = strdup("cannot run tests/svc.sh");
        return;
    }
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "SKIP=", 5) == 0 && !s->skip) {
            s->skip = strdup(line + 5);
        } else if (strncmp(line, "ERROR=", 6) == 0 && !s->error) {
            /* installed but it does not start: a failure, not a skip */
            s->error = strdup(line + 6);
        } else if (strchr(line, '=')) {
            s->kv = realloc(s->kv, (size_t)(s->n + 1) * sizeof(char *));
            s->kv[s->n++] = strdup(line);
        }
    }
    free(out);
    if (!s->skip && !s->error && s->n == 0)
        s->error = strdup("tests/svc.sh printed nothing");
}

void svc_stop(struct svc *s)
{
    if (s->started) {
        char sub[300], verb[32];
        snprintf(sub, sizeof(sub), "%s/%s", s->dir, s->kind);
        snprintf(verb, sizeof(verb), "%s-stop", s->kind);
        free(run_script(verb, sub));
        rmdir(s->dir);
    }
    for (int i = 0; i < s->n; i++)
        free(s->kv[i]);
    free(s->kv);
    free(s->skip);
    free(s->error);
    memset(s, 0, sizeof(*s));
}

const char *svc_get(const struct svc *s, const char *key)
{
    size_t k = strlen(key);
    for (int i = 0; i < s->n; i++)
        if (strncmp(s->kv[i], key, k) == 0 && s->kv[i][k] == '=')
            return s->kv[i] + k + 1;
    return NULL;
}

int svc_get_int(const struct svc *s, const char *key)
{
    const char *v = svc_get(s, key);
    return v ? atoi(v) : 0;
}

int svc_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}
