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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_devices_and_sockets_are_refused),
        cmocka_unit_test(test_empty_paths_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
