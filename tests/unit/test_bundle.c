/* tests/unit/test_bundle.c: the bundle's files and its tar.gz (core/bundle.h),
 * read back with libarchive's reader: Secrets and logs redacted with the
 * same token for the same value, a binary file left out and listed (and
 * byte for byte without redaction), the report and manifest present, the
 * UNREDACTED name, and an interrupted or failed write that leaves nothing
 * behind. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bundle.h"
#include "core/error.h"
#include "core/redact.h"
#include "core/util.h"

static const unsigned char BIN[] = {0x7f, 'E', 'L', 'F', 0, 1, 2, 0xff, 0xfe, 's', 'e', 'c', 0};

struct entry {
    char *name;
    char *data;
    size_t len;
};

struct unpacked {
    struct entry v[64];
    size_t n;
};

static void unpack(const char *path, struct unpacked *u)
{
    memset(u, 0, sizeof(*u));
    struct archive *a = archive_read_new();
    archive_read_support_filter_gzip(a);
    archive_read_support_format_tar(a);
    assert_int_equal(archive_read_open_filename(a, path, 16384), ARCHIVE_OK);
    struct archive_entry *e;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        assert_true(u->n < 64);
        struct entry *x = &u->v[u->n++];
        x->name = xstrdup(archive_entry_pathname(e));
        size_t size = (size_t)archive_entry_size(e);
        x->data = xmalloc(size + 1);
        la_ssize_t got = archive_read_data(a, x->data, size);
        assert_int_equal((size_t)got, size);
        x->data[size] = '\0';
        x->len = size;
    }
    archive_read_free(a);
}

static void unpacked_done(struct unpacked *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].name);
        free(u->v[i].data);
    }
}

static const struct entry *find(const struct unpacked *u, const char *suffix)
{
    for (size_t i = 0; i < u->n; i++)
        if (str_ends_with(u->v[i].name, suffix))
            return &u->v[i];
    return NULL;
}

static bool anywhere(const struct unpacked *u, const char *needle)
{
    for (size_t i = 0; i < u->n; i++)
        if (memmem(u->v[i].data, u->v[i].len, needle, strlen(needle)))
            return true;
    return false;
}

static struct bundle *sample(bool redact)
{
    struct bundle_opts o = {.redact = redact, .ns = "dify", .created = 1796800000, .tool = "t"};
    struct bundle *b = bundle_new(&o);
    cJSON *list = cJSON_Parse(
        "[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\",\"namespace\":"
        "\"dify\",\"managedFields\":[{\"manager\":\"kubectl\"}]},\"data\":{\"REDIS_PASSWORD\":"
        "\"c2FtZVJlZGlzUGFzc3dvcmQx\"}},"
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"b\",\"namespace\":"
        "\"dify\"},\"data\":{\"REDIS_PASSWORD\":\"c2FtZVJlZGlzUGFzc3dvcmQx\","
        "\"OTHER\":\"YW5vdGhlclZhbHVlMTIzNDU2\"}}]");
    assert_non_null(list);
    bundle_add_objects(b, "objects/secrets.yaml", list);
    const char *log = "boot\nredis auth with sameRedisPassword1 ok\nprofile-secret-zz9 seen\n";
    bundle_add_text(b, "logs/p/c.log", log, strlen(log));
    bundle_add_text(b, "installer/tfplan", (const char *)BIN, sizeof(BIN));
    bundle_add_secret(b, "profile-secret-zz9");
    bundle_note(b, "helm list", "not found on PATH");
    struct error err = {0};
    assert_int_equal(bundle_finish(b, &err), 0);
    return b;
}

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/dify-bundle-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_redacted_bundle(void **state)
{
    (void)state;
    struct bundle *b = sample(true);
    char *dir = tmpdir();
    char *out = path_join(dir, "b.tar.gz");
    struct error err = {0};
    assert_int_equal(bundle_write(b, out, NULL, &err), 0);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct unpacked u;
    unpack(out, &u);
    assert_false(anywhere(&u, "sameRedisPassword1"));
    assert_false(anywhere(&u, "c2FtZVJlZGlzUGFzc3dvcmQx"));
    assert_false(anywhere(&u, "anotherValue123456"));
    assert_false(anywhere(&u, "profile-secret-zz9"));
    assert_false(anywhere(&u, "managedFields"));
    /* Equal values, equal tokens: in both Secrets and in the log. */
    char tok[REDACT_TOKEN_LEN + 1];
    redact_token(bundle_redactor(b), "sameRedisPassword1", 18, tok);
    const struct entry *sec = find(&u, "/objects/secrets.yaml");
    const struct entry *lg = find(&u, "/logs/p/c.log");
    assert_non_null(sec);
    assert_non_null(lg);
    const char *first = strstr(sec->data, tok);
    assert_non_null(first);
    assert_non_null(strstr(first + 1, tok));
    assert_non_null(strstr(lg->data, tok));
    /* The binary file: left out, and listed with its digest. */
    assert_null(find(&u, "/installer/tfplan"));
    const struct entry *rep = find(&u, "/redaction-report.md");
    const struct entry *man = find(&u, "/manifest.json");
    assert_non_null(rep);
    assert_non_null(man);
    assert_non_null(strstr(rep->data, "installer/tfplan"));
    cJSON *m = cJSON_Parse(man->data);
    cJSON *lo = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "left_out"), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(lo, "path")), "installer/tfplan");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "redacted")));
    cJSON_Delete(m);
    assert_non_null(find(&u, "/not-collected.txt"));
    assert_non_null(find(&u, "/redaction-report.json"));
    /* Every entry is under the top directory. */
    for (size_t i = 0; i < u.n; i++)
        assert_true(str_starts_with(u.v[i].name, "dify-bundle-"));
    /* The report has a row per hidden value and never a value. */
    assert_null(strstr(rep->data, "sameRedis"));
    assert_true(bundle_hidden(b) >= 5);
    unpacked_done(&u);
    unlink(out);
    rmdir(dir);
    free(out);
    free(dir);
    bundle_free(b);
}

static void test_unredacted_bundle(void **state)
{
    (void)state;
    struct bundle *b = sample(false);
    char *dir = tmpdir();
    char *name = bundle_out_name("b.tar.gz", false);
    assert_string_equal(name, "b.UNREDACTED.tar.gz");
    free(name);
    name = bundle_out_name("/x/bundle", false);
    assert_string_equal(name, "/x/bundle.UNREDACTED");
    free(name);
    char *out = path_join(dir, "b.UNREDACTED.tar.gz");
    struct error err = {0};
    assert_int_equal(bundle_write(b, out, NULL, &err), 0);
    struct unpacked u;
    unpack(out, &u);
    const struct entry *bin = find(&u, "/installer/tfplan");
    assert_non_null(bin);
    assert_int_equal(bin->len, sizeof(BIN));
    assert_memory_equal(bin->data, BIN, sizeof(BIN));
    assert_true(anywhere(&u, "sameRedisPassword1"));
    assert_non_null(find(&u, "/UNREDACTED.txt"));
    assert_null(find(&u, "/redaction-report.md"));
    assert_true(str_ends_with(u.v[0].name, "") && strstr(u.v[0].name, "-UNREDACTED/"));
    unpacked_done(&u);
    unlink(out);
    rmdir(dir);
    free(out);
    free(dir);
    bundle_free(b);
}

static void test_write_is_atomic(void **state)
{
    (void)state;
    struct bundle *b = sample(true);
    char *dir = tmpdir();
    char *out = path_join(dir, "b.tar.gz");
    /* Interrupted: nothing under the name, no temporary file. */
    volatile sig_atomic_t stop = 1;
    struct error err = {0};
    assert_int_equal(bundle_write(b, out, &stop, &err), -1);
    assert_int_equal(err.code, ERR_CANCELLED);
    assert_int_equal(dir_entries(dir), 0);
    /* An old bundle under the name survives a failed write. */
    struct error e2 = {0};
    assert_int_equal(file_write_atomic(out, "old", 3, 0600, &e2), 0);
    assert_int_equal(bundle_write(b, out, &stop, &err), -1);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(file_read_all(out, 100, &data, &len, &e2), 0);
    assert_int_equal(len, 3);
    free(data);
    assert_int_equal(dir_entries(dir), 1);
    /* A directory that does not exist: an error naming it. */
    char *bad = path_join(dir, "nope/b.tar.gz");
    assert_int_equal(bundle_write(b, bad, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "nope"));
    unlink(out);
    rmdir(dir);
    free(bad);
    free(out);
    free(dir);
    bundle_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redacted_bundle),
        cmocka_unit_test(test_unredacted_bundle),
        cmocka_unit_test(test_write_is_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
