/* tests/unit/test_yamldoc.c: the positioned YAML reader. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/yamldoc.h"

static struct ynode *parse_ok(const char *text)
{
    struct ynode *root;
    struct error err;
    error_clear(&err);
    assert_int_equal(yamldoc_parse("t.yaml", text, strlen(text), &root, &err), 0);
    return root;
}

static void parse_fails(const char *text, const char *expect)
{
    struct ynode *root;
    struct error err;
    error_clear(&err);
    assert_int_equal(yamldoc_parse("t.yaml", text, strlen(text), &root, &err), -1);
    if (!strstr(err.msg, expect))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, expect);
}

static void test_positions_and_types(void **state)
{
    struct ynode *r = parse_ok("version: 1\naws:\n  region: us-west-2\n  irsa: true\n"
                               "  subnets: [\"10.0.1.0/24\", 10.0.2.0/24]\nname: '42'\n");
    assert_int_equal(r->kind, YNODE_MAP);
    struct ynode *aws = ynode_get(r, "aws");
    assert_non_null(aws);
    assert_int_equal(aws->kind, YNODE_MAP);
    int i = ynode_key_index(aws, "irsa");
    assert_int_equal(aws->key_line[i], 4);
    assert_int_equal(aws->key_col[i], 3);
    bool b;
    assert_true(ynode_as_bool(aws->items[i], &b) && b);
    long v;
    assert_true(ynode_as_long(ynode_get(r, "version"), &v) && v == 1);
    /* A quoted number is a string. */
    assert_false(ynode_as_long(ynode_get(r, "name"), &v));
    struct ynode *sub = ynode_get(aws, "subnets");
    assert_int_equal(sub->kind, YNODE_SEQ);
    assert_int_equal(sub->n, 2);
    assert_string_equal(sub->items[1]->value, "10.0.2.0/24");
    assert_int_equal(sub->items[1]->line, 5);
    yamldoc_free(r);
}

static void test_empty_is_empty_map(void **state)
{
    struct ynode *r = parse_ok("# nothing\n");
    assert_int_equal(r->kind, YNODE_MAP);
    assert_int_equal(r->n, 0);
    yamldoc_free(r);
}

static void test_errors_have_positions(void **state)
{
    parse_fails("a: 1\nb: [1, 2\n", "t.yaml:");
    parse_fails("a: 1\na: 2\n", "t.yaml:2:1: duplicate key \"a\"");
    parse_fails("a: &x 1\nb: *x\n", "aliases");
    parse_fails("? [1, 2]\n: x\n", "a key must be a plain string");
}

static void test_deep_nesting_refused(void **state)
{
    char buf[1024] = "";
    for (int i = 0; i < 100; i++)
        strcat(buf, "[");
    parse_fails(buf, "");
}

static void test_multi_document(void **state)
{
    const char *text = "---\nkind: A\n---\n---\nkind: B\n";
    struct ynode **docs;
    size_t n;
    struct error err;
    assert_int_equal(yamldoc_parse_all("m.yaml", text, strlen(text), &docs, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ynode_get_str(docs[1], "kind"), "B");
    for (size_t i = 0; i < n; i++)
        yamldoc_free(docs[i]);
    free(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_and_types),   cmocka_unit_test(test_empty_is_empty_map),
        cmocka_unit_test(test_errors_have_positions), cmocka_unit_test(test_deep_nesting_refused),
        cmocka_unit_test(test_multi_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
