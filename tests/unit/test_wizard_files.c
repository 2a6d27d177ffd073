/* tests/unit/test_wizard_files.c: the wizard keeps what it is given (issue 7,
 * "Nothing given is ever lost"): a second run opens the answers and secrets
 * it finds, a stored secret is replaced only after a yes, rendered/ goes
 * beside --answers FILE, and a shipped example is read but never written. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/paths.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/app.h"
#include "screens/wizard.h"
#include "screens/wizard_fields.h"
#include "tui/draw.h"
#include "tui/keys.h"

static struct app app;
static struct wizard_result result;

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/dify-wizfiles-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

static void rm_rf(char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    struct error err;
    assert_int_equal(file_write_atomic(path, text, strlen(text), mode, &err), 0);
}

static char *read_text(const char *path)
{
    struct error err;
    char *t = NULL;
    size_t n;
    assert_int_equal(file_read_all(path, 1 << 20, &t, &n, &err), 0);
    return t;
}

static struct screen *open_wizard(const char *workdir, const char *answers)
{
    struct error err;
    error_clear(&err);
    assert_int_equal(app_init_headless(&app, 100, 30, &err), 0);
    struct wizard_opts o = {.workdir = workdir, .answers = answers};
    struct screen *s = wizard_screen_new(&o, &result, &err);
    if (s)
        app_push_now(&app, s);
    else
        print_message("# %s\n", err.msg);
    return s;
}

static void stop(void)
{
    app_done(&app);
    wizard_result_done(&result);
}

static void type(const char *s)
{
    for (; *s; s++)
        app_key(&app, (unsigned char)*s);
}

static char *screen_text(void)
{
    app_render(&app);
    return tui_dump(stdscr);
}

static bool screen_has(const char *needle)
{
    char *s = screen_text();
    bool found = strstr(s, needle) != NULL;
    if (!found) {
        print_message("# not on screen: %s\n", needle);
        for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
            print_message("# |%s\n", line);
    }
    free(s);
    return found;
}

static bool screen_shows(const char *needle)
{
    char *s = screen_text();
    bool found = strstr(s, needle) != NULL;
    free(s);
    return found;
}

static void focus_label(const char *label)
{
    char *want = xasprintf("> %s", label);
    for (int i = 0; i < 60 && !screen_shows(want); i++)
        app_key(&app, TUI_KEY_UP);
    for (int i = 0; i < 80 && !screen_shows(want); i++)
        app_key(&app, TUI_KEY_DOWN);
    assert_true(screen_has(want));
    free(want);
}

static void goto_page(int page)
{
    for (int i = 0; i < 10; i++)
        app_key(&app, TUI_CTRL('p'));
    for (int i = 0; i < page; i++)
        app_key(&app, TUI_CTRL('n'));
}

static void write_files(void)
{
    goto_page(PAGE_REVIEW);
    focus_label("[ Write files ]");
    app_key(&app, TUI_KEY_ENTER);
    if (!result.written)
        assert_true(screen_has("Wrote"));
}

static const char existing_answers[] = "version: 1\n"
                                       "target: existing\n"
                                       "method: manifests\n"
                                       "domains:\n"
                                       "  web_host: mine.example.org\n"
                                       "database:\n"
                                       "  host: pg.mine.internal\n"
                                       "redis:\n"
                                       "  host: redis.mine.internal\n"
                                       "vector:\n"
                                       "  kind: weaviate\n"
                                       "  host: weaviate.mine.internal\n"
                                       "  port: 8080\n"
                                       "storage:\n"
                                       "  kind: local\n";
/* The user's own PostgreSQL and Redis: their passwords come from the user
 * (never generated for an existing cluster). */
static const char existing_secrets[] = "db_password: \"the-database-keeps-this-one\"\n"
                                       "redis_password: \"the-redis-of-the-user-1\"\n"
                                       "secret_key: \"an-older-secret-key-value-0123456789\"\n";

/* For the runs with no secrets file: the passwords of the user's own
 * database and Redis, as the environment gives them. */
static void store_passwords(bool on)
{
    if (on) {
        setenv("DIFY_DB_PASSWORD", "the-users-db-password", 1);
        setenv("DIFY_REDIS_PASSWORD", "the-users-redis-password", 1);
    } else {
        unsetenv("DIFY_DB_PASSWORD");
        unsetenv("DIFY_REDIS_PASSWORD");
    }
}

/* The second run in a workdir: the answers and secrets there are opened
 * (and it says so), and writing keeps both: no password is regenerated. */
static void test_rerun_opens_what_is_there(void **state)
{
    char *dir = tmp_dir();
    char *answers = path_join(dir, "answers.yaml");
    char *secrets = path_join(dir, "answers.secrets.yaml");
    write_text(answers, existing_answers, 0644);
    write_text(secrets, existing_secrets, 0600);
    assert_non_null(open_wizard(dir, NULL));
    assert_true(screen_has("Opened"));
    assert_true(screen_has("and its secrets"));
    goto_page(PAGE_DOMAINS);
    assert_true(screen_has("mine.example.org"));
    write_files();
    assert_true(result.written);
    char *a = read_text(answers), *s = read_text(secrets);
    assert_non_null(strstr(a, "mine.example.org"));
    assert_non_null(strstr(a, "pg.mine.internal"));
    assert_non_null(strstr(s, "the-database-keeps-this-one"));
    assert_non_null(strstr(s, "an-older-secret-key-value-0123456789"));
    free(a);
    free(s);
    stop();
    free(answers);
    free(secrets);
    rm_rf(dir);
}

/* A secrets file alone (its answers removed) is still opened. */
static void test_secrets_alone_are_kept(void **state)
{
    char *dir = tmp_dir();
    char *secrets = path_join(dir, "answers.secrets.yaml");
    write_text(secrets, existing_secrets, 0600);
    assert_non_null(open_wizard(dir, NULL));
    assert_true(screen_has("Opened the secrets"));
    write_files();
    assert_true(result.written);
    char *s = read_text(secrets);
    assert_non_null(strstr(s, "the-database-keeps-this-one"));
    free(s);
    stop();
    free(secrets);
    rm_rf(dir);
}

/* Typing over a stored secret, or g on one, asks first; No keeps it. */
static void test_secret_replaced_only_after_yes(void **state)
{
    char *dir = tmp_dir();
    char *secrets = path_join(dir, "answers.secrets.yaml");
    write_text(secrets, existing_secrets, 0600);
    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_SECRETS);
    focus_label("Database password");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_CTRL('u'));
    type("typed-over-by-mistake");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("Replace the stored Database password?"));
    assert_true(screen_has("keeps the password it was created"));
    app_key(&app, 'n');
    assert_true(screen_has("Kept the stored Database password."));
    for (int i = 0; i < 20; i++)
        app_key(&app, TUI_KEY_UP);
    focus_label("SECRET_KEY");
    app_key(&app, 'g');
    assert_true(screen_has("Replace the stored SECRET_KEY?"));
    app_key(&app, 'y');
    assert_true(screen_has("Replaced SECRET_KEY."));
    write_files();
    char *s = read_text(secrets);
    assert_non_null(strstr(s, "the-database-keeps-this-one"));
    assert_null(strstr(s, "typed-over-by-mistake"));
    assert_null(strstr(s, "an-older-secret-key-value-0123456789"));
    free(s);
    stop();
    free(secrets);
    rm_rf(dir);
}

/* --answers FILE: rendered/ goes beside FILE, not into the current
 * directory; --workdir still wins when given. */
static void test_rendered_beside_answers(void **state)
{
    store_passwords(true);
    char *dir = tmp_dir();
    char *sub = path_join(dir, "site");
    assert_int_equal(mkdir(sub, 0755), 0);
    char *answers = path_join(sub, "prod.yaml");
    write_text(answers, existing_answers, 0644);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *elsewhere = path_join(dir, "cwd");
    assert_int_equal(mkdir(elsewhere, 0755), 0);
    assert_int_equal(chdir(elsewhere), 0);
    assert_non_null(open_wizard(NULL, answers));
    write_files();
    assert_true(result.written);
    struct stat st;
    char *beside = path_join(sub, "rendered/manifests/00-namespace.yaml");
    assert_int_equal(stat(beside, &st), 0);
    assert_int_not_equal(stat("rendered", &st), 0);
    char *sec = path_join(sub, "prod.secrets.yaml");
    assert_int_equal(stat(sec, &st), 0);
    stop();
    assert_int_equal(chdir(cwd), 0);
    free(sec);
    free(beside);
    free(elsewhere);
    free(answers);
    free(sub);
    rm_rf(dir);
    store_passwords(false);
}

/* A shipped example is opened as a template: the copy, its secrets and
 * rendered/ go to the working directory; the assets are not written. */
static void test_example_never_written(void **state)
{
    store_passwords(true);
    char *dir = tmp_dir();
    char *example = paths_asset("examples/existing-manifests.yaml");
    char *before = read_text(example);
    char *ex_secrets = secrets_path_for(example);
    struct stat st;
    bool had_secrets = stat(ex_secrets, &st) == 0;
    assert_non_null(open_wizard(dir, example));
    assert_true(screen_has("Opened the example"));
    write_files();
    assert_true(result.written);
    char *copy = path_join(dir, "answers.yaml");
    char *copy_secrets = path_join(dir, "answers.secrets.yaml");
    assert_int_equal(stat(copy, &st), 0);
    assert_int_equal(stat(copy_secrets, &st), 0);
    char *after = read_text(example);
    assert_string_equal(before, after);
    assert_int_equal(stat(ex_secrets, &st) == 0, had_secrets);
    stop();

    /* Opening the example again over that copy would replace it: refused. */
    struct error err;
    error_clear(&err);
    assert_int_equal(app_init_headless(&app, 100, 30, &err), 0);
    struct wizard_opts o = {.workdir = dir, .answers = example};
    assert_null(wizard_screen_new(&o, &result, &err));
    assert_non_null(strstr(err.msg, "exists already"));
    stop();
    free(after);
    free(before);
    free(copy);
    free(copy_secrets);
    free(ex_secrets);
    free(example);
    rm_rf(dir);
    store_passwords(false);
}

/* Writing over a hand-written answers file keeps its comments and its
 * unknown keys (as comments), and the status line says which keys. */
static void test_write_keeps_comments_and_says_so(void **state)
{
    store_passwords(true);
    char *dir = tmp_dir();
    char *answers = path_join(dir, "answers.yaml");
    char *text = xasprintf("# staging, by hand\n%.*s  # DBA owned\ncolour: blue\n",
                           (int)strlen(existing_answers) - 1, existing_answers);
    write_text(answers, text, 0644);
    free(text);
    assert_non_null(open_wizard(dir, NULL));
    write_files();
    assert_true(result.written);
    assert_true(screen_has("kept as comments (dify-tui does not read"));
    assert_true(screen_has("them): colour."));
    char *a = read_text(answers);
    assert_true(str_starts_with(a, "# staging, by hand\n"));
    assert_non_null(strstr(a, "  kind: local # DBA owned\n"));
    assert_non_null(strstr(a, "# colour:\n#   colour: blue\n"));
    free(a);
    stop();
    free(answers);
    rm_rf(dir);
    store_passwords(false);
}

/* Leaving part-way offers a draft: answers only, no secrets; --answers (or
 * the same workdir) reopens it at the page where it stopped. No to the
 * draft leaves nothing behind. */
static void test_draft_on_leaving(void **state)
{
    char *dir = tmp_dir();
    char *answers = path_join(dir, "answers.yaml");
    char *secrets = path_join(dir, "answers.secrets.yaml");
    struct stat st;

    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_METHOD);
    focus_label("Release");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_CTRL('u'));
    type("keepme");
    app_key(&app, TUI_KEY_ENTER);
    goto_page(PAGE_SECRETS);
    focus_label("Database password");
    app_key(&app, 'g'); /* a generated secret is not part of a draft */
    app_key(&app, TUI_CTRL('p'));
    app_key(&app, TUI_CTRL('p'));
    app_key(&app, TUI_CTRL('p')); /* page 4 */
    app_key(&app, TUI_KEY_ESC);
    assert_true(screen_has("Leave without writing any file?"));
    app_key(&app, 'y');
    assert_true(screen_has("Keep a draft of the answers in"));
    app_key(&app, 'n');
    assert_int_equal(app.exit_status, 1);
    assert_int_not_equal(stat(answers, &st), 0);
    assert_null(result.draft);
    stop();

    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_METHOD);
    focus_label("Release");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_CTRL('u'));
    type("keepme");
    app_key(&app, TUI_KEY_ENTER);
    goto_page(PAGE_SECRETS);
    focus_label("Database password");
    app_key(&app, 'g');
    goto_page(PAGE_CLUSTER);
    app_key(&app, TUI_KEY_ESC);
    app_key(&app, 'y');
    app_key(&app, 'y');
    assert_int_equal(app.exit_status, 1);
    assert_non_null(result.draft);
    assert_string_equal(result.draft, answers);
    char *a = read_text(answers);
    assert_true(str_starts_with(a, ANSWERS_DRAFT_MARK " stopped at page 4 ("));
    assert_non_null(strstr(a, "release: keepme"));
    free(a);
    assert_int_not_equal(stat(secrets, &st), 0); /* no secrets with a draft */
    stop();

    /* Reopened where it stopped, with what was typed. */
    assert_non_null(open_wizard(NULL, answers));
    assert_true(screen_has("Reopened the draft"));
    assert_true(screen_has("4/9"));
    goto_page(PAGE_METHOD);
    assert_true(screen_has("keepme"));
    write_files();
    assert_true(result.written);
    a = read_text(answers);
    assert_null(strstr(a, ANSWERS_DRAFT_MARK)); /* written for real: no longer a draft */
    free(a);
    stop();
    free(answers);
    free(secrets);
    rm_rf(dir);
}

static void edit_field(const char *label, const char *value)
{
    focus_label(label);
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_CTRL('u'));
    type(value);
    app_key(&app, TUI_KEY_ENTER);
}

/* Presets (edition, target, size) fill only the fields the person has not
 * touched: a typed image tag survives a change of target and edition, a
 * typed replica count a change of size; untouched fields follow. */
static void test_presets_keep_typed_values(void **state)
{
    char *dir = tmp_dir();
    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_METHOD);
    edit_field("Image tag", "1.2.3-mine");
    goto_page(PAGE_EDITION);
    focus_label("Target");
    app_key(&app, ' '); /* eks -> existing */
    assert_true(screen_has("the 1 value you changed is kept"));
    goto_page(PAGE_EDITION);
    focus_label("Edition");
    app_key(&app, ' '); /* community -> enterprise */
    goto_page(PAGE_METHOD);
    assert_true(screen_has("1.2.3-mine"));
    assert_true(screen_has("langgenius.github.io")); /* untouched: the EE chart's */

    goto_page(PAGE_SIZE);
    edit_field("api replicas", "7");
    focus_label("Size");
    app_key(&app, ' '); /* test -> prod */
    assert_true(screen_has("Applied the prod preset; the 2 values you changed are kept."));
    assert_true(screen_has("(x) prod"));
    focus_label("api replicas");
    assert_true(screen_has("> api replicas                  7\n"));
    assert_true(screen_has("  worker replicas               3\n")); /* untouched: prod's */
    stop();

    char *answers = path_join(dir, "answers.yaml");
    char *text = xasprintf("%simage_tag: 1.2.3-mine\n", existing_answers);
    write_text(answers, text, 0644);
    free(text);
    /* Opened again: values that differ from the defaults count as typed. */
    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_EDITION);
    focus_label("Target");
    app_key(&app, ' '); /* existing -> eks */
    goto_page(PAGE_METHOD);
    assert_true(screen_has("1.2.3-mine"));
    stop();
    free(answers);
    rm_rf(dir);
}

/* A 100 KB paste into a field stops at the field's cap, says so, and the
 * screen still draws (the draw looks at a window's width, not the text). */
static void test_paste_is_capped(void **state)
{
    char *dir = tmp_dir();
    assert_non_null(open_wizard(dir, NULL));
    goto_page(PAGE_METHOD);
    focus_label("Release");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_CTRL('u'));
    for (int i = 0; i < 100 * 1024; i++)
        app_key(&app, 'a' + i % 26);
    assert_true(
        screen_has("Release name: at most 1024 characters; what came after was not taken."));
    app_key(&app, TUI_KEY_ENTER);
    char *s = screen_text();
    assert_non_null(strstr(s, "[Method]"));
    free(s);
    stop();
    rm_rf(dir);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    unsetenv("NO_COLOR");
    unsetenv("DIFY_DB_PASSWORD");
    unsetenv("DIFY_SECRET_KEY");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rerun_opens_what_is_there),
        cmocka_unit_test(test_secrets_alone_are_kept),
        cmocka_unit_test(test_secret_replaced_only_after_yes),
        cmocka_unit_test(test_rendered_beside_answers),
        cmocka_unit_test(test_example_never_written),
        cmocka_unit_test(test_write_keeps_comments_and_says_so),
        cmocka_unit_test(test_draft_on_leaving),
        cmocka_unit_test(test_presets_keep_typed_values),
        cmocka_unit_test(test_paste_is_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
