/* tests/unit/test_tfstack.c: the installer/Terraform contract lists are
 * well formed (terminated, no duplicates, secrets apart) and the lookups
 * answer by exact name. Their agreement with assets/terraform is checked by
 * tests/terraform_contract.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/tfstack.h"

static size_t count(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static void assert_unique(const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        for (size_t j = i + 1; list[j]; j++)
            if (strcmp(list[i], list[j]) == 0)
                fail_msg("duplicate name %s", list[i]);
}

static void test_lists_are_well_formed(void **state)
{
    assert_int_equal(count(tfstack_variables), 35);
    assert_int_equal(count(tfstack_secret_variables), 2);
    assert_int_equal(count(tfstack_outputs), 33);
    assert_unique(tfstack_variables);
    assert_unique(tfstack_secret_variables);
    assert_unique(tfstack_outputs);
    for (size_t i = 0; tfstack_secret_variables[i]; i++)
        for (size_t j = 0; tfstack_variables[j]; j++)
            assert_string_not_equal(tfstack_secret_variables[i], tfstack_variables[j]);
}

static void test_lookups(void **state)
{
    assert_true(tfstack_is_variable("cluster_name"));
    assert_true(tfstack_is_variable("tags"));
    assert_true(tfstack_is_variable("db_password"));
    assert_true(tfstack_is_secret_variable("db_password"));
    assert_false(tfstack_is_secret_variable("db_username"));
    assert_true(tfstack_is_secret_variable("redis_auth_token"));
    assert_true(tfstack_is_variable("public_access_cidrs"));
    assert_false(tfstack_is_variable("cluster"));
    assert_false(tfstack_is_variable("cluster_name "));
    assert_false(tfstack_is_variable(""));
    assert_false(tfstack_is_variable(NULL));
    assert_true(tfstack_is_output("service_account_role_arns"));
    assert_true(tfstack_is_output("plugin_daemon_db_name"));
    assert_false(tfstack_is_output("db_password"));
    assert_false(tfstack_is_output("redis_auth_token"));
    assert_true(tfstack_is_output("aws_account_id"));
    assert_true(tfstack_is_output("lb_controller_role_arn"));
    assert_false(tfstack_is_output(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_are_well_formed),
        cmocka_unit_test(test_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
