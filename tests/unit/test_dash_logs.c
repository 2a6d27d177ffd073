/* tests/unit/test_dash_logs.c: the log view's stream (screens/
 * dashboard_logs.c, dash_logs_feed): the lines shown are the log's lines
 * whatever size the chunks of the stream come in. The class: a log's bytes
 * come as the network delivers them (one byte, a few KiB, a whole tail at
 * once), and a line may be longer than anything kept (a 1 MB JSON line, a
 * base64 blob): it is kept cut, and no line before or after it is lost or
 * replaced by blank ones. Also what `kubectl logs` shows that a terminal
 * does not: tabs as spaces, a "\r\n" ending, blank lines kept, and bytes
 * that are not text made safe. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"

static struct dash_logs ring;

static const char *line_at(size_t i)
{
    return ring.lines[(ring.first + i) % DASH_LOG_LINES];
}

static void reset(void)
{
    for (size_t i = 0; i < ring.n; i++)
        free(ring.lines[(ring.first + i) % DASH_LOG_LINES]);
    strbuf_done(&ring.part);
    memset(&ring, 0, sizeof(ring));
}

/* The stream fed in chunks of `chunk` bytes (0: all at once), then ended. */
static void feed(const char *data, size_t len, size_t chunk)
{
    reset();
    if (!chunk)
        chunk = len;
    for (size_t off = 0; off < len; off += chunk)
        dash_logs_feed(&ring, data + off, len - off < chunk ? len - off : chunk);
    dash_logs_end(&ring);
}

/* A log with a line of 1 MiB between ordinary ones, a line of exactly the
 * bound, one a byte over it, blank lines, CRLF, a tab, an unfinished last
 * line, escapes and bytes that are not UTF-8. */
static char *hostile_log(size_t *len)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "first line\n\nafter a blank line\r\n");
    strbuf_adds(&sb, "BIG:");
    for (size_t i = 0; i < 1024 * 1024; i++)
        strbuf_addc(&sb, (char)('a' + i % 26));
    strbuf_adds(&sb, "\nafter the big line\n");
    for (size_t i = 0; i < DASH_LOG_LINE_MAX; i++)
        strbuf_addc(&sb, 'e');
    strbuf_adds(&sb, "\n");
    for (size_t i = 0; i < DASH_LOG_LINE_MAX + 1; i++)
        strbuf_addc(&sb, 'o');
    strbuf_adds(&sb, "\n\tat com.example.Main(Main.java:10)\n");
    static const char bin[] = "\x1b]0;title\x07 bin \xff\xfe\x00 x\n";
    strbuf_add(&sb, bin, sizeof(bin) - 1);
    strbuf_adds(&sb, "no newline at the end");
    return strbuf_detach(&sb, len);
}

static void check_hostile_lines(size_t chunk)
{
    size_t len;
    char *log = hostile_log(&len);
    feed(log, len, chunk);
    free(log);
    assert_int_equal(ring.n, 10);
    assert_string_equal(line_at(0), "first line");
    assert_string_equal(line_at(1), "");
    assert_string_equal(line_at(2), "after a blank line");
    /* the big line: its beginning, cut, said */
    assert_true(strncmp(line_at(3), "BIG:abcdef", 10) == 0);
    assert_int_equal(strlen(line_at(3)), DASH_LOG_LINE_MAX + strlen(" [line cut]"));
    assert_non_null(strstr(line_at(3), " [line cut]"));
    assert_string_equal(line_at(4), "after the big line");
    /* exactly the bound: whole; a byte over: cut */
    assert_int_equal(strlen(line_at(5)), DASH_LOG_LINE_MAX);
    assert_null(strstr(line_at(5), "[line cut]"));
    assert_non_null(strstr(line_at(6), "o [line cut]"));
    assert_string_equal(line_at(7), "        at com.example.Main(Main.java:10)");
    assert_string_equal(line_at(8), "^[]0;title^G bin \xef\xbf\xbd\xef\xbf\xbd^@ x");
    assert_string_equal(line_at(9), "no newline at the end");
}

static void test_lines_whatever_the_chunks(void **state)
{
    static const size_t chunks[] = {0, 1, 2, 7, 100, 4095, 4096, 4097, 16384, 65536};
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
        check_hostile_lines(chunks[i]);
    reset();
}

/* A secret across the cut of a long line is masked whole, not half shown;
 * so is one split between two chunks of the stream. */
static void test_secret_across_the_cut(void **state)
{
    log_add_secret("Sup3rSecretDbPassword");
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < DASH_LOG_LINE_MAX - 10; i++)
        strbuf_addc(&sb, '.');
    strbuf_adds(&sb, "Sup3rSecretDbPassword and more\nshort Sup3rSecretDbPassword line\n");
    for (size_t chunk = 1; chunk < 64; chunk += 5) {
        feed(sb.buf, sb.len, chunk);
        assert_int_equal(ring.n, 2);
        for (size_t i = 0; i < ring.n; i++) {
            assert_null(strstr(line_at(i), "Sup3r"));
            assert_null(strstr(line_at(i), "Password"));
        }
        assert_non_null(strstr(line_at(0), "***"));
        assert_string_equal(line_at(1), "short *** line");
    }
    strbuf_done(&sb);
    log_clear_secrets();
    reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_whatever_the_chunks),
        cmocka_unit_test(test_secret_across_the_cut),
    };
    return cmocka_run_group_tests_name("dash_logs", tests, NULL, NULL);
}
