/* tests/unit/test_journal.c: the install journal and its lock: records survive
 * a reopen, a torn last record is dropped without losing the others, a broken
 * record in the middle stops with its line number, a held lock names its
 * holder, a stale one is taken over, and registered secrets never reach the
 * file. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/util.h"

static char *tmpdir_new(void)
{
    char tmpl[] = "/tmp/dify-journal-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    return path_join(tmpl, "state");
}

static char *slurp(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    assert_int_equal(file_read_all(p, 1 << 20, &data, &len, &err), 0);
    free(p);
    return data;
}

static void append_text(const char *dir, const char *text)
{
    char *p = path_join(dir, "journal.jsonl");
    int fd = open(p, O_WRONLY | O_APPEND | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    free(p);
}

static void test_records_survive_reopen(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct error err = {0};
    struct journal *j;
    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    assert_int_equal(journal_count(j), 0);
    const char *kv1[] = {"inputs", "abc123", "skipme", NULL, NULL};
    assert_int_equal(journal_append(j, "started", "db.create", kv1, &err), 0);
    const char *kv2[] = {"inputs", "abc123", "db_endpoint", "db.example:5432", NULL};
    assert_int_equal(journal_append(j, "finished", "db.create", kv2, &err), 0);
    assert_int_equal(journal_append(j, "run", NULL, NULL, &err), 0);
    journal_close(j);

    struct stat st;
    char *jp = path_join(dir, "journal.jsonl");
    assert_int_equal(stat(jp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(jp);

    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    assert_int_equal(journal_count(j), 3);
    const struct journal_record *r = journal_last(j, "db.create");
    assert_non_null(r);
    assert_string_equal(r->event, "finished");
    assert_string_equal(journal_field(r, "db_endpoint"), "db.example:5432");
    assert_null(journal_field(r, "skipme"));
    assert_null(journal_field(journal_record_at(j, 0), "skipme"));
    assert_string_equal(journal_record_at(j, 2)->step, "");
    assert_null(journal_last(j, "never"));
    assert_true(journal_record_at(j, 0)->time > 1700000000);
    journal_close(j);
    free(dir);
}

static void test_torn_last_record_dropped(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct error err = {0};
    struct journal *j;
    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    assert_int_equal(journal_append(j, "finished", "namespace", NULL, &err), 0);
    journal_close(j);
    append_text(dir, "{\"time\":\"2026-12-07T04:00:00Z\",\"event\":\"fini");

    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    assert_int_equal(journal_torn(j), 1);
    assert_int_equal(journal_count(j), 1);
    assert_int_equal(journal_append(j, "finished", "secrets", NULL, &err), 0);
    journal_close(j);

    /* The torn bytes are gone, so the file reads cleanly from now on. */
    char *text = slurp(dir, "journal.jsonl");
    assert_null(strstr(text, "fini\""));
    assert_null(strstr(text, "\"fini{"));
    free(text);
    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    assert_int_equal(journal_torn(j), 0);
    assert_int_equal(journal_count(j), 2);
    assert_string_equal(journal_last(j, "secrets")->event, "finished");
    journal_close(j);
    free(dir);
}

static void test_broken_middle_record_stops(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct error err = {0};
    struct journal *j;
    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    journal_close(j);
    append_text(dir, "{\"time\":\"2026-12-07T04:00:00Z\",\"event\":\"run\"}\n"
                     "garbage\n"
                     "{\"time\":\"2026-12-07T04:00:01Z\",\"event\":\"run\"}\n");
    assert_int_equal(journal_open(dir, "install", &j, &err), -1);
    assert_non_null(strstr(err.msg, "journal.jsonl:2: not a journal record"));
    /* Nothing was rewritten and the lock was released. */
    char *text = slurp(dir, "journal.jsonl");
    assert_non_null(strstr(text, "garbage"));
    free(text);
    char *lock = slurp(dir, "lock");
    assert_string_equal(lock, "");
    free(lock);
    free(dir);
}

static void test_lock_held_and_stale(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct error err = {0};
    struct journal *a, *b;
    assert_int_equal(journal_open(dir, "install", &a, &err), 0);
    assert_int_equal(journal_open(dir, "upgrade", &b, &err), -1);
    char pid[32];
    snprintf(pid, sizeof(pid), "pid %ld, install", (long)getpid());
    assert_non_null(strstr(err.msg, pid));
    journal_close(a);

    /* A lock file naming a process that is gone, with no flock held. */
    char *lp = path_join(dir, "lock");
    assert_int_equal(file_write_atomic(lp, "2147483000 install\n", 19, 0600, &err), 0);
    free(lp);
    assert_int_equal(journal_open(dir, "upgrade", &b, &err), 0);
    char *lock = slurp(dir, "lock");
    assert_non_null(strstr(lock, "upgrade"));
    free(lock);
    journal_close(b);
    free(dir);
}

static void test_secrets_never_written(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    struct error err = {0};
    struct journal *j;
    log_add_secret("s3cr3t-db-password");
    assert_int_equal(journal_open(dir, "install", &j, &err), 0);
    const char *kv[] = {"message", "psql: password s3cr3t-db-password rejected", NULL};
    assert_int_equal(journal_append(j, "failed", "db.create", kv, &err), 0);
    assert_null(strstr(journal_field(journal_last(j, "db.create"), "message"), "s3cr3t"));
    const char *bad[] = {"event", "x", NULL};
    assert_int_equal(journal_append(j, "failed", "db.create", bad, &err), -1);
    journal_close(j);
    char *text = slurp(dir, "journal.jsonl");
    assert_null(strstr(text, "s3cr3t"));
    assert_non_null(strstr(text, "***"));
    free(text);
    log_clear_secrets();
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_survive_reopen),
        cmocka_unit_test(test_torn_last_record_dropped),
        cmocka_unit_test(test_broken_middle_record_stops),
        cmocka_unit_test(test_lock_held_and_stale),
        cmocka_unit_test(test_secrets_never_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
