/* tests/unit/test_files.c: what the program is given is never lost and never
 * hangs it: files that are not regular files (a FIFO blocks a plain open
 * forever), empty path arguments, and the other "files" classes of issue 7. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/render.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/dify-unit-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return xstrdup(d);
}

static void rm_rf(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* A FIFO with no writer: a blocking open would never return. The alarm turns
 * such a hang into a failed test instead of a stuck suite. */
static void test_fifo_is_refused_without_blocking(void **state)
{
    char *dir = make_tmpdir();
    char *fifo = path_join(dir, "answers.yaml");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(20);
    struct error err;
    error_clear(&err);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(file_read_all(fifo, 1024, &data, &len, &err), -1);
    assert_int_equal(err.code, ERR_INVALID);
    assert_non_null(strstr(err.msg, "named pipe (FIFO)"));
    assert_non_null(strstr(err.msg, fifo));

    /* The loaders go through the same helper. */
    struct profile p;
    struct problems probs;
    problems_init(&probs);
    error_clear(&err);
    assert_int_equal(answers_load(fifo, &p, &probs, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file"));
    profile_done(&p);
    problems_done(&probs);

    char *sfifo = path_join(dir, "answers.secrets.yaml");
    assert_int_equal(mkfifo(sfifo, 0600), 0);
    struct secrets s;
    secrets_init(&s);
    problems_init(&probs);
    error_clear(&err);
    assert_int_equal(secrets_load(sfifo, &s, &probs, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file"));
    secrets_done(&s);
    problems_done(&probs);
    alarm(0);
    free(sfifo);
    free(fifo);
    rm_rf(dir);
    free(dir);
}

static void test_devices_and_sockets_are_refused(void **state)
{
    struct error err;
    char *data = NULL;
    size_t len = 0;
    error_clear(&err);
    assert_int_equal(file_read_all("/dev/zero", 1024, &data, &len, &err), -1);
    assert_non_null(strstr(err.msg, "character device"));

    char *dir = make_tmpdir();
    char *sock = path_join(dir, "s");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    error_clear(&err);
    assert_int_equal(file_read_all(sock, 1024, &data, &len, &err), -1);
    assert_non_null(strstr(err.msg, "socket"));
    close(fd);
    free(sock);
    rm_rf(dir);
    free(dir);
}

static void test_empty_paths_are_refused(void **state)
{
    struct error err;
    error_clear(&err);
    /* dir_make_all("") used to read past the end of its copy of the path. */
    assert_int_equal(dir_make_all("", 0755, &err), -1);
    assert_int_equal(err.code, ERR_INVALID);
    char *data = NULL;
    size_t len = 0;
    error_clear(&err);
    assert_int_equal(file_read_all("", 1024, &data, &len, &err), -1);
    assert_int_equal(err.code, ERR_INVALID);
}

/* A record that names a file outside DIR (here ../victim, with the right
 * digest) must never make a rendering remove it. */
static void test_tampered_record_is_refused(void **state)
{
    char *base = make_tmpdir();
    char *victim = path_join(base, "victim");
    struct error err;
    error_clear(&err);
    assert_int_equal(file_write_atomic(victim, "precious\n", 9, 0644, &err), 0);
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex("precious\n", 9, hex);
    char *out = path_join(base, "out");
    assert_int_equal(mkdir(out, 0755), 0);
    char *rec = path_join(out, RENDER_MANIFEST);
    char *text = xasprintf("%s 0644 ../victim\n", hex);
    assert_int_equal(file_write_atomic(rec, text, strlen(text), 0600, &err), 0);

    struct rendered r = {0};
    r.v = xcalloc(1, sizeof(*r.v));
    r.n = 1;
    r.v[0].name = xstrdup("values.yaml");
    r.v[0].data = xstrdup("a: 1\n");
    r.v[0].len = 5;
    r.v[0].mode = 0644;
    error_clear(&err);
    assert_int_equal(rendered_write(&r, out, &err), -1);
    assert_int_equal(err.code, ERR_INVALID);
    assert_non_null(strstr(err.msg, "not a line of a dify-tui rendering record"));
    struct stat st;
    assert_int_equal(stat(victim, &st), 0);
    char *vals = path_join(out, "values.yaml");
    assert_int_not_equal(stat(vals, &st), 0);

    free(vals);
    rendered_done(&r);
    free(text);
    free(rec);
    free(out);
    free(victim);
    rm_rf(base);
    free(base);
}

static const char hand_written[] =
    "# My Dify install: the staging cluster\n"
    "# (ask Ana before changing the database)\n"
    "version: 1\n"
    "target: existing   # not EKS: we have our own cluster\n"
    "method: manifests\n"
    "\n"
    "domains:\n"
    "  # the public name\n"
    "  web_host: staging.example.org\n"
    "database:\n"
    "  host: pg.internal  # managed by the DBA team\n"
    "  colour: blue\n"
    "redis:\n"
    "  host: redis.internal\n"
    "vector: {kind: weaviate, host: w.internal, port: 8080}  # ours\n"
    "storage:\n"
    "  kind: local\n"
    "team:\n"
    "  name: platform\n"
    "  pager: \"+1 555\"\n"
    "db_password: hunter2\n"
    "# notes at the end\n";

/* Saving over a hand-written file keeps its comments where their keys still
 * are, keeps unknown keys as comments (and says which), leaves out a secret
 * (and says so), and what it writes loads back as the profile. */
static void test_save_keeps_comments_and_unknown_keys(void **state)
{
    char *dir = make_tmpdir();
    char *path = path_join(dir, "answers.yaml");
    struct error err;
    error_clear(&err);
    assert_int_equal(file_write_atomic(path, hand_written, strlen(hand_written), 0644, &err), 0);
    struct profile p;
    struct problems probs;
    problems_init(&probs);
    answers_load(path, &p, &probs, &err); /* unknown keys and the secret are problems */
    problems_done(&probs);
    str_replace(&p.domains.web_host, "dify.example.org");

    struct answers_kept kept = {0};
    error_clear(&err);
    assert_int_equal(answers_save_kept(path, &p, &kept, &err), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(file_read_all(path, 1 << 20, &text, &len, &err), 0);
    assert_true(str_starts_with(text, "# My Dify install: the staging cluster\n"
                                      "# (ask Ana before changing the database)\nversion: 1\n"));
    assert_null(strstr(text, "dify-tui answers file")); /* their header, not ours */
    assert_non_null(strstr(text, "target: existing # not EKS: we have our own cluster\n"));
    assert_non_null(strstr(text, "  # the public name\n  web_host: dify.example.org\n"));
    assert_non_null(strstr(text, "host: pg.internal # managed by the DBA team\n"));
    assert_non_null(strstr(text, "vector: # ours\n"));
    assert_null(strstr(strstr(text, "# ours") + 1, "# ours")); /* once, not on each key */
    assert_non_null(strstr(text, "# database.colour:\n#   colour: blue\n"));
    assert_non_null(
        strstr(text, "# team:\n#   team:\n#     name: platform\n#     pager: \"+1 555\"\n"));
    assert_null(strstr(text, "hunter2"));
    assert_non_null(strstr(text, "# notes at the end\n"));
    assert_int_equal(kept.nkept, 2);
    assert_string_equal(kept.kept[0], "database.colour");
    assert_string_equal(kept.kept[1], "team");
    assert_int_equal(kept.ndropped, 1);
    assert_string_equal(kept.dropped[0], "db_password");
    answers_kept_done(&kept);

    /* It loads clean and means what the profile meant. */
    struct profile q;
    problems_init(&probs);
    error_clear(&err);
    int rc = answers_load(path, &q, &probs, &err);
    for (size_t i = 0; i < probs.n; i++)
        if (!probs.v[i].warning)
            print_message("# %s\n", problem_format(&probs.v[i]));
    assert_int_equal(rc, 0);
    char *a = answers_dump(&p, &err), *b = answers_dump(&q, &err);
    assert_string_equal(a, b);

    /* Saving again changes nothing: the merge is stable. */
    assert_int_equal(answers_save(path, &q, &err), 0);
    char *again = NULL;
    assert_int_equal(file_read_all(path, 1 << 20, &again, &len, &err), 0);
    assert_string_equal(text, again);

    free(again);
    free(a);
    free(b);
    problems_done(&probs);
    profile_done(&q);
    profile_done(&p);
    free(text);
    free(path);
    rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_devices_and_sockets_are_refused),
        cmocka_unit_test(test_empty_paths_are_refused),
        cmocka_unit_test(test_tampered_record_is_refused),
        cmocka_unit_test(test_save_keeps_comments_and_unknown_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
