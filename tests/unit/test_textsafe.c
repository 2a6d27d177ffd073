/* tests/unit/test_textsafe.c: the terminal sanitiser against what a hostile
 * server can put in a name, a message or a log line. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/textsafe.h"
#include "core/util.h"

static void check(const char *in, size_t len, unsigned flags, size_t cols, const char *want)
{
    struct strbuf sb;
    strbuf_init(&sb);
    textsafe_add(&sb, in, len, flags, cols);
    if (strcmp(sb.buf, want) != 0)
        fail_msg("sanitised to \"%s\", want \"%s\"", sb.buf, want);
    strbuf_done(&sb);
}

#define CHECK(in, flags, cols, want) check(in, sizeof(in) - 1, flags, cols, want)

static void test_plain_text_unchanged(void **state)
{
    CHECK("dify-api-7d9f8c6b5-x2x4z", 0, 0, "dify-api-7d9f8c6b5-x2x4z");
    CHECK("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80", 0, 0,
          "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80");
    CHECK("", 0, 0, "");
}

/* The escape sequences of the corpus: clear screen, window title, OSC 52
 * clipboard write, 8-bit CSI, and a bidi override. */
static void test_escapes_made_visible(void **state)
{
    CHECK("a\x1b[2J\x1b[H", 0, 0, "a^[[2J^[[H");
    CHECK("\x1b]0;pwned\x07", 0, 0, "^[]0;pwned^G");
    CHECK("\x1b]52;c;ZWNobyBoaQ==\x1b\\", 0, 0, "^[]52;c;ZWNobyBoaQ==^[\\");
    CHECK("x\xc2\x9b"
          "31m",
          0, 0, "x\\u009b31m");
    CHECK("evil\xe2\x80\xaegpj.exe", 0, 0, "evil\\u202egpj.exe");
    CHECK("cr\rlf\nnul", 0, 0, "cr^Mlf^Jnul");
    CHECK("del\x7f", 0, 0, "del^?");
    /* A NUL inside a counted string is shown, not a terminator. */
    check("a\0b", 3, 0, 0, "a^@b");
}

static void test_keep_newlines(void **state)
{
    CHECK("line 1\n\tline 2\x1b[31m\r\n", TEXTSAFE_KEEP_NL, 0, "line 1\n\tline 2^[[31m^M\n");
}

/* One U+FFFD per maximal bad subsequence (Unicode 3.9). */
static void test_invalid_utf8_replaced(void **state)
{
    CHECK("a\xff"
          "b",
          0, 0,
          "a\xef\xbf\xbd"
          "b");
    CHECK("\xc0\xaf", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong '/' */
    CHECK("\xed\xa0\x80", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* a surrogate */
    CHECK("\xe2\x82", 0, 0, "\xef\xbf\xbd");                             /* truncated */
    CHECK("\xe2\x82x", 0, 0, "\xef\xbf\xbdx");
    CHECK("\xf4\x90\x80\x80", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK("\x80\x80", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_width_cut(void **state)
{
    CHECK("abcdefghij", 0, 10, "abcdefghij");
    CHECK("abcdefghijk", 0, 10, "abcdefg...");
    /* wide characters count two columns and are never split */
    CHECK("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac", 0, 8,
          "\xe6\x97\xa5\xe6\x9c\xac...");
    /* a control shown as "^[" is two columns */
    CHECK("\x1b\x1b\x1b\x1b\x1b", 0, 7, "^[^[...");
    /* a huge name is cut without reading all of it into the result */
    size_t n = 1 << 20;
    char *big = xmalloc(n);
    memset(big, 'n', n);
    struct strbuf sb;
    strbuf_init(&sb);
    textsafe_add(&sb, big, n, 0, 253);
    assert_int_equal(sb.len, 253);
    assert_string_equal(sb.buf + 250, "...");
    strbuf_done(&sb);
    free(big);
}

static void test_helpers(void **state)
{
    char *s = textsafe("x\x1b", 0, 0);
    assert_string_equal(s, "x^[");
    free(s);
    s = textsafe(NULL, 0, 0);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(textsafe_width("ab\xe6\x97\xa5"), 4);
    assert_int_equal(textsafe_width("e\xcc\x81"), 1); /* e + combining acute */
}

/* The secrets the process knows never reach the screen: whole, cut at the
 * width, next to a NUL, in a control sequence's neighbourhood. */
static void test_secrets_masked(void **state)
{
    log_add_secret("s3cretRedisPw42");
    log_add_secret("dbPassw0rd-xyz");
    CHECK("redis://:s3cretRedisPw42@redis:6379/1", 0, 0, "redis://:***@redis:6379/1");
    CHECK("DB_PASSWORD=dbPassw0rd-xyz DB2=dbPassw0rd-xyz", 0, 0, "DB_PASSWORD=*** DB2=***");
    /* cut at the width: not the first characters of the secret either */
    CHECK("password s3cretRedisPw42 and more", 0, 16, "password *** ...");
    CHECK("a\0s3cretRedisPw42\x1b", 0, 0, "a^@***^[");
    CHECK("line\ns3cretRedisPw42\n", TEXTSAFE_KEEP_NL, 0, "line\n***\n");
    CHECK("nothing secret here", 0, 0, "nothing secret here");
    log_clear_secrets();
    CHECK("s3cretRedisPw42", 0, 0, "s3cretRedisPw42");
}

/* Secrets that contain one another (a key and its prefix, a password and
 * a URL that carries it, one in the middle of another), registered in
 * every order: each is masked whole, and no part of the longer one is left
 * showing beside the shorter one's mask. */
static void test_nested_secrets_masked_whole(void **state)
{
    static const char *const nested[] = {"dify-key-0123456789abcdef", "dify-key-0123",
                                         "0123456789abcdef", "key-0123456789"};
    static const int orders[][4] = {{0, 1, 2, 3}, {1, 0, 3, 2}, {3, 2, 1, 0}, {2, 3, 0, 1}};
    for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
        for (size_t i = 0; i < 4; i++)
            log_add_secret(nested[orders[o][i]]);
        char *s = textsafe("a=dify-key-0123456789abcdef b=dify-key-0123 c=0123456789abcdef", 0, 0);
        assert_string_equal(s, "a=*** b=*** c=***");
        free(s);
        log_clear_secrets();
    }
}

/* A result takes the size of its text, not its work buffer's 64 bytes:
 * `get` keeps 100,000 rows of them (32 MB of cells at its peak before). */
static void test_result_tight(void **state)
{
    char *s = textsafe("Running", 0, 0);
    assert_string_equal(s, "Running");
    assert_true(malloc_usable_size(s) < 32);
    free(s);
    char *cut = textsafe("a-very-long-pod-name-that-is-cut-to-fit", 0, 10);
    assert_true(malloc_usable_size(cut) < 32);
    free(cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),
        cmocka_unit_test(test_escapes_made_visible),
        cmocka_unit_test(test_keep_newlines),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test(test_width_cut),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_result_tight),
        cmocka_unit_test(test_secrets_masked),
        cmocka_unit_test(test_nested_secrets_masked_whole),
    };
    return cmocka_run_group_tests_name("textsafe", tests, NULL, NULL);
}
