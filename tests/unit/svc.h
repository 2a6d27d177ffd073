/* tests/unit/svc.h: real services for the C tests, started by tests/svc.sh
 * in a temporary directory (see there for what each one provides). */
#ifndef TESTS_UNIT_SVC_H
#define TESTS_UNIT_SVC_H

struct svc {
    char dir[256];
    const char *kind; /* "pg", "sshd" */
    char *skip;       /* why it is not there (a missing tool), or NULL */
    char *error;      /* installed but did not start: the tests fail with it */
    char **kv;        /* "KEY=VALUE" */
    int n;
    int started;
};

/* Starts kind ("pg" or "sshd"). On a missing tool, s->skip says why; on a
 * failure to start, s->error says so with the tool's last words. */
void svc_start(struct svc *s, const char *kind);
void svc_stop(struct svc *s);
/* A value it printed ("PG_PORT"), or NULL. */
const char *svc_get(const struct svc *s, const char *key);
int svc_get_int(const struct svc *s, const char *key);

/* A TCP port on 127.0.0.1 where nothing listens right now. */
int svc_free_port(void);

#endif
