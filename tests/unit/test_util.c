/* tests/unit/test_util.c: the foundation: atomic writes, strbuf, the log's
 * secret masking, the event loop's timers and fds, and profile presets. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/profile.h"
#include "core/util.h"

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/dify-unit-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return xstrdup(d);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_atomic_write_mode_and_content(void **state)
{
    char *dir = make_tmpdir();
    char *path = path_join(dir, "secret.yaml");
    struct error err;
    error_clear(&err);
    assert_int_equal(file_write_atomic(path, "a: 1\n", 5, 0600, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *data;
    size_t len;
    assert_int_equal(file_read_all(path, 1024, &data, &len, &err), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "a: 1\n", 5);
    free(data);
    /* Only the file itself: no temporary left behind. */
    assert_int_equal(count_entries(dir), 1);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void test_atomic_write_failure_leaves_nothing(void **state)
{
    struct error err;
    error_clear(&err);
    assert_int_equal(file_write_atomic("/nonexistent-dir/x.yaml", "x", 1, 0644, &err), -1);
    assert_int_equal(err.code, ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.yaml"));
}

static void test_read_directory_is_refused(void **state)
{
    struct error err;
    char *data;
    size_t len;
    error_clear(&err);
    assert_int_equal(file_read_all("/tmp", 1024, &data, &len, &err), -1);
    assert_non_null(strstr(err.msg, "is a directory"));
}

static void test_strbuf(void **state)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 1000; i++)
        strbuf_addf(&sb, "%d,", i);
    assert_true(str_starts_with(sb.buf, "0,1,2,"));
    assert_true(str_ends_with(sb.buf, "998,999,"));
    size_t len;
    char *s = strbuf_detach(&sb, &len);
    assert_int_equal(len, strlen(s));
    free(s);
}

static void test_log_masks_secrets(void **state)
{
    log_add_secret("hunter2-password");
    log_info("connecting with hunter2-password to db");
    const char *last = log_ring_line(log_ring_count() - 1);
    assert_null(strstr(last, "hunter2"));
    assert_non_null(strstr(last, "with *** to db"));
    log_clear_secrets();
}

static int fired;
static void on_timer(struct loop *l, long long id, void *arg)
{
    fired = (int)(intptr_t)arg;
    loop_stop(l);
}

static void on_readable(struct loop *l, int fd, int events, void *arg)
{
    char c;
    assert_int_equal(read(fd, &c, 1), 1);
    *(char *)arg = c;
    loop_del_fd(l, fd);
}

static void test_loop_timer_and_fd(void **state)
{
    struct loop *l = loop_new();
    int p[2];
    assert_int_equal(pipe(p), 0);
    char got = 0;
    loop_add_fd(l, p[0], LOOP_READ, on_readable, &got);
    assert_int_equal(write(p[1], "x", 1), 1);
    long long cancelled = loop_add_timer(l, 5, on_timer, (void *)(intptr_t)1);
    loop_add_timer(l, 20, on_timer, (void *)(intptr_t)2);
    loop_cancel_timer(l, cancelled);
    loop_run(l);
    assert_int_equal(got, 'x');
    assert_int_equal(fired, 2);
    close(p[0]);
    close(p[1]);
    loop_free(l);
}

struct reaped {
    int calls, status;
};

static void on_child(struct loop *l, pid_t pid, int status, void *arg)
{
    struct reaped *r = arg;
    r->calls++;
    r->status = status;
    loop_stop(l);
}

/* Children are reaped through SIGCHLD on the loop: one that exited before
 * it was watched, one that exits later, each reported once with its status;
 * an unwatched one is left alone. */
static void test_loop_reaps_children(void **state)
{
    struct loop *l = loop_new();
    pid_t early = fork();
    if (early == 0)
        _exit(3);
    /* wait until it is a zombie, so the watch must find it without a signal */
    siginfo_t si;
    assert_int_equal(waitid(P_PID, (id_t)early, &si, WEXITED | WNOWAIT), 0);
    struct reaped a = {0}, b = {0};
    loop_watch_child(l, early, on_child, &a);
    loop_run(l);
    assert_int_equal(a.calls, 1);
    assert_true(WIFEXITED(a.status) && WEXITSTATUS(a.status) == 3);

    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t late = fork();
    if (late == 0) {
        char c;
        close(p[1]);
        (void)!read(p[0], &c, 1); /* exits once the parent is watching */
        _exit(5);
    }
    close(p[0]);
    loop_watch_child(l, late, on_child, &b);
    close(p[1]);
    loop_run(l);
    assert_int_equal(b.calls, 1);
    assert_true(WIFEXITED(b.status) && WEXITSTATUS(b.status) == 5);
    assert_int_equal(a.calls, 1);

    pid_t other = fork();
    if (other == 0)
        _exit(0);
    loop_watch_child(l, other, on_child, &a);
    loop_unwatch_child(l, other);
    int st;
    assert_int_equal(waitpid(other, &st, 0), other); /* still ours to reap */
    assert_int_equal(a.calls, 1);
    loop_free(l);
}

static void test_profile_presets(void **state)
{
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    assert_string_equal(p.aws.node_type, "m7g.xlarge");
    assert_int_equal(p.aws.node_count, 1);
    assert_true(p.db.acu_min == 0.5 && p.db.acu_max == 4);
    assert_string_equal(p.db.plugin_db, "dify_plugin_daemon");
    profile_apply_size(&p, SIZE_PROD);
    assert_string_equal(p.aws.node_type, "m7g.2xlarge");
    assert_int_equal(p.aws.node_count, 6);
    assert_string_equal(p.redis.node_type, "cache.t4g.small");
    assert_int_equal(p.vector.instance_count, 2);
    profile_done(&p);

    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    assert_string_equal(p.db.plugin_db, "dify_plugin");
    profile_done(&p);
}

static void test_profile_field_roundtrip(void **state)
{
    struct profile p;
    char msg[256];
    profile_init(&p, EDITION_ENTERPRISE, TARGET_EKS, SIZE_TEST);
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        char *text = profile_field_format(&p, f);
        assert_int_equal(profile_field_parse(&p, f, text, msg, sizeof(msg)), 0);
        char *again = profile_field_format(&p, f);
        assert_string_equal(text, again);
        free(text);
        free(again);
    }
    const struct field_desc *f = profile_field_find("aws.node_count");
    assert_non_null(f);
    assert_int_equal(profile_field_parse(&p, f, "six", msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "whole number"));
    f = profile_field_find("edition");
    assert_int_equal(profile_field_parse(&p, f, "gold", msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "community, enterprise"));
    profile_done(&p);
}

static void test_arm64_instance_types(void **state)
{
    assert_true(instance_type_is_arm64("m7g.xlarge"));
    assert_true(instance_type_is_arm64("c6gn.large"));
    assert_true(instance_type_is_arm64("t4g.micro"));
    assert_false(instance_type_is_arm64("m7a.xlarge"));
    assert_false(instance_type_is_arm64("m5.large"));
    assert_false(instance_type_is_arm64(""));
}

/* Known SHA-256 vectors (FIPS 180-2), and the incremental form equal to the
 * one-shot one. */
static void test_error_prefix_keeps_what_fits(void **state)
{
    (void)state;
    struct error err = {0};
    error_set(&err, ERR_IO, 0, "permission denied");
    assert_int_equal(error_prefix(&err, "cannot write %s", "a.yaml"), -1);
    assert_string_equal(err.msg, "cannot write a.yaml: permission denied");
    /* a message that already fills the buffer keeps its start, and the
     * result is terminated within it */
    memset(err.msg, 'x', sizeof(err.msg) - 1);
    err.msg[sizeof(err.msg) - 1] = '\0';
    error_prefix(&err, "while %s", "reading");
    assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
    assert_memory_equal(err.msg, "while reading: xxx", 18);
    /* a prefix longer than its own 1 KiB buffer is cut, never overflows */
    char big[2000];
    memset(big, 'p', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    error_set(&err, ERR_IO, 0, "cause");
    error_prefix(&err, "%s", big);
    assert_int_equal(strlen(err.msg), 1023 + 2 + 5);
    assert_string_equal(err.msg + 1023, ": cause");
}

static void test_hash_sha256(void **state)
{
    (void)state;
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    struct hash h;
    hash_init(&h);
    hash_add(&h, "a", 1);
    hash_add(&h, "bc", 2);
    char inc[HASH_HEX_LEN + 1];
    hash_hex(&h, inc);
    assert_string_equal(inc, hex);
    /* hash_add_str separates fields: ("ab","c") and ("a","bc") differ. */
    char x[HASH_HEX_LEN + 1], y[HASH_HEX_LEN + 1];
    hash_init(&h);
    hash_add_str(&h, "ab");
    hash_add_str(&h, "c");
    hash_hex(&h, x);
    hash_init(&h);
    hash_add_str(&h, "a");
    hash_add_str(&h, "bc");
    hash_hex(&h, y);
    assert_string_not_equal(x, y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_write_mode_and_content),
        cmocka_unit_test(test_atomic_write_failure_leaves_nothing),
        cmocka_unit_test(test_read_directory_is_refused),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_log_masks_secrets),
        cmocka_unit_test(test_loop_timer_and_fd),
        cmocka_unit_test(test_loop_reaps_children),
        cmocka_unit_test(test_profile_presets),
        cmocka_unit_test(test_profile_field_roundtrip),
        cmocka_unit_test(test_arm64_instance_types),
        cmocka_unit_test(test_hash_sha256),
        cmocka_unit_test(test_error_prefix_keeps_what_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
