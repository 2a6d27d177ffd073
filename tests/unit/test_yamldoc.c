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

/* A one-document file refuses a second document, even an empty one, at its
 * "---"; the stream reader takes them all. */
static void test_second_document_refused(void **state)
{
    parse_fails("version: 1\n---\nrelease: x\n", "t.yaml:2:1: a second YAML document starts here");
    parse_fails("version: 1\n---\n", "t.yaml:2:1: a second YAML document");
    /* An explicit first document and an end marker are one document. */
    struct ynode *r = parse_ok("---\nversion: 1\n...\n");
    assert_string_equal(ynode_get_str(r, "version"), "1");
    yamldoc_free(r);
}

/* Tags change how a value reads; a settings file refuses them. */
static void test_tags_refused(void **state)
{
    parse_fails("version: 1\nrelease: !!str 1\n",
                "t.yaml:2:10: YAML tags (!!str) are not accepted here");
    parse_fails("a: !foo dify\n", "t.yaml:1:4: YAML tags (!foo) are not accepted");
    parse_fails("a: !!map {b: 1}\n", "t.yaml:1:4: YAML tags (!!map)");
    parse_fails("a:\n  - !<tag:x> y\n", "t.yaml:2:5: YAML tags (tag:x)");
    /* The stream reader reads "!!str 1" as the text "1", never the number. */
    const char *text = "a: !!str 1\n";
    struct ynode **docs;
    size_t n;
    struct error err;
    long l;
    assert_int_equal(yamldoc_parse_all("m.yaml", text, strlen(text), &docs, &n, &err), 0);
    assert_false(ynode_as_long(ynode_get(docs[0], "a"), &l));
    yamldoc_free(docs[0]);
    free(docs);
}

/* libyaml reports encoding errors at 1:1; they are placed where they are. */
static void test_encoding_errors_placed(void **state)
{
    parse_fails("version: 1\nrelease: dify\nnamespace: \"d\xffx\"\n",
                "t.yaml:3:14: not valid UTF-8");
    /* A sequence cut short points at the byte that started it. */
    parse_fails("a: 1\nb: d\xc3\n", "t.yaml:2:5: not valid UTF-8");
    /* Columns count characters: the two-byte \xc3\xa9 is one column. */
    parse_fails("x: \"\xc3\xa9\xff\"\n", "t.yaml:1:6: not valid UTF-8");
    /* The byte itself is never shown (it may belong to a secret). */
    parse_fails("x: \xfe\n", "save the file as UTF-8");
}

/* The YAML 1.2 core schema's typing of plain scalars, the one the answers,
 * kubeconfig and scenario readers and the simulator's bodies share. */
static void test_scalar_typing(void **state)
{
    static const struct {
        const char *s;
        enum yscalar want;
    } cases[] = {
        {"", YSCALAR_NULL},       {"~", YSCALAR_NULL},     {"Null", YSCALAR_NULL},
        {"true", YSCALAR_BOOL},   {"FALSE", YSCALAR_BOOL}, {"yes", YSCALAR_STR},
        {"on", YSCALAR_STR},      {"0", YSCALAR_INT},      {"-12", YSCALAR_INT},
        {"+7", YSCALAR_INT},      {"0o17", YSCALAR_INT},   {"0x1F", YSCALAR_INT},
        {"0x", YSCALAR_STR},      {"1.5", YSCALAR_FLOAT},  {".5", YSCALAR_FLOAT},
        {"1e3", YSCALAR_FLOAT},   {"-1.", YSCALAR_FLOAT},  {".inf", YSCALAR_FLOAT},
        {"-.Inf", YSCALAR_FLOAT}, {".nan", YSCALAR_FLOAT}, {"1.2.3", YSCALAR_STR},
        {"1e", YSCALAR_STR},      {"12:30", YSCALAR_STR},  {"1_000", YSCALAR_STR},
        {"v1", YSCALAR_STR},      {".", YSCALAR_STR},      {"-", YSCALAR_STR},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (yscalar_resolve(cases[i].s) != cases[i].want)
            fail_msg("\"%s\": got %d, want %d", cases[i].s, yscalar_resolve(cases[i].s),
                     cases[i].want);
    long l;
    double d;
    assert_true(yscalar_long("0x1F", &l) && l == 31);
    assert_true(yscalar_long("0o17", &l) && l == 15);
    assert_true(yscalar_long("010", &l) && l == 10); /* decimal in 1.2, not octal */
    assert_false(yscalar_long("99999999999999999999", &l));
    assert_true(yscalar_double(".5", &d) && d == 0.5);
    assert_false(yscalar_double(".inf", &d)); /* no finite value */
    assert_false(yscalar_double("abc", &d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_and_types),
        cmocka_unit_test(test_empty_is_empty_map),
        cmocka_unit_test(test_errors_have_positions),
        cmocka_unit_test(test_deep_nesting_refused),
        cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_second_document_refused),
        cmocka_unit_test(test_tags_refused),
        cmocka_unit_test(test_encoding_errors_placed),
        cmocka_unit_test(test_scalar_typing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
