/* tests/unit/test_screens.c: the wizard on a fixed-size virtual terminal.
 * Keys go in through app_key, the screen comes out as text and is compared
 * with tests/data/screens/NAME.txt (UPDATE_GOLDEN=1 rewrites them). There is
 * no clock on these screens, so the goldens never change with time. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/golden.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/costs.h"
#include "core/error.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/validate.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/wizard.h"
#include "screens/wizard_fields.h"
#include "tui/draw.h"
#include "tui/keys.h"

static struct app app;
static struct wizard_result result;

static void start(int cols, int rows, const char *workdir)
{
    struct error err;
    error_clear(&err);
    assert_int_equal(app_init_headless(&app, cols, rows, &err), 0);
    struct wizard_opts o = {.workdir = workdir, .answers = NULL};
    struct screen *s = wizard_screen_new(&o, &result, &err);
    assert_non_null(s);
    app_push_now(&app, s);
}

static void stop(void)
{
    app_done(&app);
    wizard_result_done(&result);
}

static void keys(const int *k)
{
    for (; *k; k++)
        app_key(&app, *k);
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

static void golden(const char *name)
{
    golden_compare(name, screen_text());
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

/* True when needle is on the screen; quiet, for the "must not show" checks. */
static bool screen_shows(const char *needle)
{
    char *s = screen_text();
    bool found = strstr(s, needle) != NULL;
    free(s);
    return found;
}

static void goto_page(int page)
{
    for (int i = 0; i < 10; i++)
        app_key(&app, TUI_CTRL('p'));
    for (int i = 0; i < page; i++)
        app_key(&app, TUI_CTRL('n'));
}

/* Whether the Review page holds needle anywhere: from where it is, a
 * screenful at a time down (PgDn scrolls a long page before it turns one),
 * then up, while the page is still Review and the view still moves. */
static bool form_scan(const char *needle, int key)
{
    char *last = NULL;
    bool found = false;
    for (int i = 0; i < 60 && !found; i++) {
        char *now = screen_text();
        found = strstr(now, needle) != NULL;
        bool stop = !strstr(now, "[Review]") || (last && strcmp(last, now) == 0);
        free(last);
        last = now;
        if (stop)
            break;
        app_key(&app, key);
    }
    free(last);
    return found;
}

static bool form_has(const char *needle)
{

    app_key(&app, TUI_KEY_HOME);

    bool found = form_scan(needle, TUI_KEY_PGDN);
    goto_page(PAGE_REVIEW);
    app_key(&app, TUI_KEY_END);
    found = found || form_scan(needle, TUI_KEY_PGUP);
    goto_page(PAGE_REVIEW);
    return found;
}

/* Moves focus down until the focused row shows label (bounded). */
static void focus_label(const char *label)
{
    char *want = xasprintf("> %s", label);
    if (!screen_shows(want))
        for (int i = 0; i < 120; i++)
            app_key(&app, TUI_KEY_UP);
    for (int i = 0; i < 80; i++) {
        char *s = screen_text();
        bool at = strstr(s, want) != NULL;
        free(s);
        if (at)
            break;
        app_key(&app, TUI_KEY_DOWN);
    }
    assert_true(screen_has(want));
    free(want);
}

/* Ctrl-P/Ctrl-N change pages whatever the page's length (PgUp/PgDn first
 * scroll through a long page). */

static void test_pages_golden(void **state)
{
    start(80, 24, "demo");
    golden("wizard_1_edition_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_2_method_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_3_size_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_4_aws_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_5_domains_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_6_data_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_7_secrets_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_8_rollout_80x24");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_9_review_80x24");
    app_key(&app, '?');
    golden("wizard_help_80x24");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_KEY_ESC);
    golden("wizard_leave_80x24");
    app_key(&app, 'n'); /* "No" goes back to the wizard */
    assert_true(screen_has("[Review]"));
    stop();
}

static void test_existing_target_and_sizes(void **state)
{
    start(100, 30, "demo");
    static const int k[] = {TUI_KEY_DOWN, ' ', 0}; /* target: existing */
    keys(k);
    golden("wizard_1_existing_100x30");
    app_key(&app, TUI_CTRL('n'));
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_3_size_existing_100x30");
    app_key(&app, TUI_CTRL('n'));
    golden("wizard_4_cluster_100x30");
    /* Too small, then back: the page comes back as it was. */
    resize_term(20, 60);
    app_resized(&app);
    golden("too_small_60x20");
    app_key(&app, TUI_KEY_PGDN); /* ignored while too small */
    resize_term(24, 80);
    app_resized(&app);
    assert_true(screen_has("[Cluster]"));
    stop();
}

static void test_bad_host_fixed_and_review_jump(void **state)
{
    start(80, 24, "demo");
    goto_page(PAGE_DOMAINS);
    focus_label("Web host");
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("bad_host");
    app_key(&app, TUI_KEY_ENTER);
    golden("wizard_5_bad_host_80x24");
    /* The review lists it as an error and Enter on it comes back here. */
    goto_page(PAGE_REVIEW);
    assert_true(screen_has("error: domains.web_host"));
    assert_false(form_has("[ Write files ]"));
    focus_label("error: domains.web_host:");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("[Domains]"));
    assert_true(screen_has("> Web host"));
    keys(edit);
    type("dify.example.org");
    app_key(&app, TUI_KEY_ENTER);
    assert_false(screen_shows("error: "));
    goto_page(PAGE_REVIEW);
    assert_true(form_has("[ Write files ]"));
    stop();
}

static void test_back_keeps_typing_and_drafts(void **state)
{
    start(80, 24, "demo");
    /* Enterprise on the first page, then type on page 2. */
    app_key(&app, ' ');
    app_key(&app, TUI_KEY_PGDN);
    focus_label("Namespace");
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("dify-prod");
    app_key(&app, TUI_KEY_TAB);
    /* A port that does not parse stays as typed, with its message. */
    goto_page(PAGE_DATA);
    focus_label("Database port");
    keys(edit);
    type("54x");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("error: expected a whole number"));
    /* Back to the first page, change the edition back: typed values stay. */
    goto_page(PAGE_EDITION);
    app_key(&app, ' ');
    assert_true(screen_has("(x) community"));
    goto_page(PAGE_METHOD);
    assert_true(screen_has("Namespace         dify-prod"));
    assert_true(screen_has("Image tag         1.14.2")); /* preset-derived: follows edition */
    goto_page(PAGE_DATA);
    assert_true(screen_has("Database port       54x"));
    assert_true(screen_has("error: expected a whole number"));
    stop();
}

static void write_file(const char *path, const char *text)
{
    struct error err;
    assert_int_equal(file_write_atomic(path, text, strlen(text), 0644, &err), 0);
}

static void test_answers_file_loaded_and_fixed(void **state)
{
    char tmpl[] = "/tmp/dify-screens-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *answers = path_join(dir, "mine.yaml");
    char *broken = path_join(dir, "broken.yaml");
    write_file(broken, "version: 1\n  bad: [\n");
    write_file(answers, "version: 1\nedition: enterprise\ntarget: existing\nsize: prod\n"
                        "colour: blue\ndomains:\n  web_host: bad_host\n");
    struct error err;
    error_clear(&err);

    /* A file that does not parse is refused, with its problem. */
    assert_int_equal(app_init_headless(&app, 80, 24, &err), 0);
    struct wizard_opts o = {.workdir = dir, .answers = broken};
    assert_null(wizard_screen_new(&o, &result, &err));
    assert_true(result.nload_problems > 0);
    assert_non_null(strstr(result.load_problems[0], "broken.yaml:2:"));
    stop();

    /* One with field problems opens on what it says. */
    assert_int_equal(app_init_headless(&app, 80, 24, &err), 0);
    o.answers = answers;
    struct screen *s = wizard_screen_new(&o, &result, &err);
    assert_non_null(s);
    app_push_now(&app, s);
    assert_true(screen_has("(x) enterprise"));
    assert_true(screen_has("problems on loading"));
    goto_page(PAGE_REVIEW);
    assert_true(form_has("error: domains.web_host:"));
    assert_int_equal(result.nload_problems, 1); /* validation problems show live instead */
    assert_non_null(strstr(result.load_problems[0], "colour: unknown key"));
    focus_label("error: domains.web_host:");
    app_key(&app, TUI_KEY_ENTER);
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("dify.example.net");
    app_key(&app, TUI_KEY_ENTER);
    goto_page(PAGE_REVIEW);
    assert_false(form_has("error: domains.web_host:"));
    assert_true(form_has("enterprise edition, prod size, on an existing cluster"));
    /* The URL exactly as rendered: no TLS Secret, so http. */
    assert_true(form_has("Console  http://dify.example.net"));
    stop();
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(answers);
    free(broken);
}

static void test_extra_files_add_remove_write(void **state)
{
    char tmpl[] = "/tmp/dify-screens-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *src = path_join(dir, "prompts.py");
    write_file(src, "PROMPT = 'hello'\n");
    start(80, 24, dir);
    goto_page(PAGE_ROLLOUT);
    assert_true(screen_has("None. Add one"));
    focus_label("[ Add an extra file ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("> Source path"));
    assert_true(screen_has("error: empty; expected the path of a local file"));
    app_key(&app, TUI_KEY_ENTER);
    type(src);
    app_key(&app, TUI_KEY_TAB); /* accept, on to ConfigMap (default kept) */
    app_key(&app, TUI_KEY_TAB);
    app_key(&app, TUI_KEY_ENTER);
    type("prompts.py");
    app_key(&app, TUI_KEY_TAB);
    app_key(&app, TUI_KEY_ENTER);
    type("app/prompts.py"); /* relative: refused */
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("expected an absolute path in the"));
    static const int home_slash[] = {TUI_KEY_ENTER, TUI_KEY_HOME, '/', TUI_KEY_ENTER, 0};
    keys(home_slash);
    assert_false(screen_shows("error: an absolute path"));
    app_key(&app, TUI_KEY_DOWN); /* api */
    app_key(&app, TUI_KEY_DOWN); /* worker */
    app_key(&app, ' ');
    assert_true(screen_has("> Mount in worker  [ ]"));
    /* A second file, then remove it again. */
    focus_label("[ Add an extra file ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("File 2"));
    focus_label("[ Remove file 2 ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_false(screen_shows("File 2"));
    assert_true(screen_has("Removed extra file 2."));

    goto_page(PAGE_REVIEW);
    focus_label("[ Write files ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(result.written);
    stop();

    struct profile p;
    struct problems probs;
    struct error err;
    problems_init(&probs);
    char *answers = path_join(dir, "answers.yaml");
    assert_int_equal(answers_load(answers, &p, &probs, &err), 0);
    assert_int_equal(p.n_extra_files, 1);
    assert_string_equal(p.extra_files[0].key, "prompts.py");
    assert_string_equal(p.extra_files[0].mount_path, "/app/prompts.py");
    assert_string_equal(p.extra_files[0].configmap, "dify-extra-1");
    assert_true(p.extra_files[0].api);
    assert_false(p.extra_files[0].worker);
    profile_done(&p);
    problems_done(&probs);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(answers);
    free(src);
}

static void test_x86_node_type_warns(void **state)
{
    start(80, 24, "demo");
    goto_page(PAGE_CLUSTER);
    focus_label("Node type");
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("m6i.large");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("warning: \"m6i.large\" is not a Graviton (arm64) type"));
    /* A warning does not block: the review offers to write. */
    goto_page(PAGE_REVIEW);
    assert_true(form_has("[ Write files ]"));
    stop();
}

/* Types text into the field labelled label on page, and accepts it. */
static void set_field(int page, const char *label, const char *text)
{
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    goto_page(page);
    focus_label(label);
    keys(edit);
    type(text);
    app_key(&app, TUI_KEY_ENTER);
}

/* The wizard shows, as a field is left, what `validate` says of it: the
 * rules are the field descriptors', not a table of the wizard's own (which
 * refused verify-full and let "abc", "latest", an endpoint without a scheme
 * and a limit below its request through to Review or further). */
static void test_fields_use_the_validate_rules(void **state)
{
    start(100, 40, "demo");
    set_field(PAGE_DATA, "SSL mode", "verify-full");
    assert_false(screen_has("SSL mode: ")); /* no complaint on the status line */
    assert_false(screen_has("error: \"verify-full\""));
    set_field(PAGE_DATA, "SSL mode", "on");
    assert_true(screen_has("error: \"on\": expected disable, allow, prefer, require, verify-ca"));
    set_field(PAGE_DATA, "SSL mode", "require");
    set_field(PAGE_METHOD, "Chart version", "abc");
    assert_true(screen_has("error: \"abc\": expected a version MAJOR.MINOR.PATCH"));
    set_field(PAGE_METHOD, "Image tag", "latest");
    assert_true(screen_has("error: \"latest\" names no release"));
    set_field(PAGE_DATA, "S3 endpoint", "minio.example.com:9000");
    assert_true(screen_has("expected a URL starting with https:// or http://"));
    set_field(PAGE_SIZE, "api memory limit", "256Mi");
    assert_true(screen_has("error: \"256Mi\" is below the request \"512Mi\""));
    set_field(PAGE_ROLLOUT, "maxSurge", "150%");
    assert_false(screen_has("error: \"150%\""));
    /* Review lists the same problems `validate` finds, and no more. */
    goto_page(PAGE_REVIEW);
    assert_true(form_has("error: helm.version"));
    assert_true(form_has("error: image_tag"));
    assert_true(form_has("error: storage.endpoint"));
    assert_true(form_has("error: components.api.memory_limit"));
    assert_false(form_has("database.sslmode"));
    assert_false(form_has("rollout.max_surge"));
    stop();
}

/* Text typed that does not parse is a problem on Review, and there is no
 * Write while it stands (Write would have saved the old value). */
static void test_review_lists_drafts(void **state)
{
    start(80, 24, "demo");
    set_field(PAGE_CLUSTER, "Nodes", "two");
    assert_true(screen_has("error: expected a whole number"));
    goto_page(PAGE_REVIEW);
    assert_true(form_has("error: aws.node_count: \"two\" was typed but not taken"));
    assert_true(form_has("the answers still hold \"1\""));
    assert_false(form_has("[ Write files ]"));
    /* Fixed, it goes, and Write comes back. */
    set_field(PAGE_CLUSTER, "Nodes", "1");
    goto_page(PAGE_REVIEW);
    assert_false(form_has("was typed but not taken"));
    assert_true(form_has("[ Write files ]"));
    stop();
}

/* Review is the complete, true summary: the URLs as rendered (http without
 * TLS, https with it), data stores, storage, replicas, extra files, the
 * secrets generated and those only the user has, the files replaced. */
static void test_review_summary(void **state)
{
    char tmpl[] = "/tmp/dify-screens-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    start(140, 90, dir); /* the whole Review on one screen */
    app_key(&app, TUI_KEY_DOWN);
    app_key(&app, ' '); /* target: existing */
    set_field(PAGE_DATA, "Database host", "pg.corp.internal");
    set_field(PAGE_DATA, "Redis host", "redis.corp.internal");
    set_field(PAGE_DOMAINS, "Web host", "dify.corp.internal");
    goto_page(PAGE_REVIEW);
    assert_true(screen_has("Console  http://dify.corp.internal"));
    assert_false(screen_shows("https://dify.corp.internal"));
    assert_true(screen_has("No TLS: plain http through nginx ingress class"));
    assert_true(
        screen_has("PostgreSQL: pg.corp.internal:5432 (sslmode disable); databases dify and "
                   "dify_plugin, user dify, password NEEDED"));
    assert_true(screen_has("Redis: redis.corp.internal:6379, no TLS, password NEEDED"));
    assert_true(screen_has("Replicas: api 2, worker 1, beat 1, web 2"));
    assert_true(screen_has("Generated when the files are written: secret_key, plugin_daemon_key"));
    assert_true(screen_has("Needed, only you have them: db_password, redis_password"));
    /* The database's password is the user's: an error, and g does not make one up. */
    assert_true(screen_has("error: secrets.db_password: the PostgreSQL at pg.corp.internal is "
                           "yours"));
    assert_false(screen_shows("[ Write files ]"));
    goto_page(PAGE_SECRETS);
    assert_true(screen_has("(empty: needed, only you have it)"));
    focus_label("Database password");
    app_key(&app, 'g');
    assert_true(screen_has("Database password comes from your own server: paste it"));
    /* With TLS the rendered URLs are https; files already there are named. */
    set_field(PAGE_DOMAINS, "TLS secret", "dify-tls");
    char *old = path_join(dir, "rendered");
    assert_int_equal(mkdir(old, 0755), 0);
    char *vals = path_join(old, "values.yaml");
    write_file(vals, "# an earlier rendering\n");
    goto_page(PAGE_REVIEW);
    assert_true(screen_has("Console  https://dify.corp.internal"));
    assert_true(screen_has("Replaces 1 file there: values.yaml"));
    stop();
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(vals);
    free(old);
}

static void test_secrets_generate_reveal(void **state)
{
    start(80, 24, "demo");
    goto_page(PAGE_SECRETS);
    focus_label("Database password");
    app_key(&app, 'g');
    assert_false(screen_shows("Database password       (empty"));
    assert_true(screen_has("Generated Database password."));
    app_key(&app, 'g');
    assert_true(screen_has("fixed once chosen: g does not replace it"));
    app_key(&app, 'r'); /* revealed: 32 characters of generated text */
    char *s = screen_text();
    char *row = strstr(s, "> Database password       ");
    assert_non_null(row);
    row += strlen("> Database password       ");
    assert_true(strcspn(row, " \n") >= 24);
    free(s);
    focus_label("OpenAI API key");
    app_key(&app, 'g');
    assert_true(screen_has("comes from its provider"));
    stop();
}

static void test_every_field_has_a_page(void **state)
{
    for (size_t i = 0; i < profile_nfields; i++) {
        enum wiz_page home = wizard_field_home(&profile_fields[i]);
        if (home == PAGE_REVIEW)
            print_message("# %s has no page\n", profile_fields[i].path);
        assert_true(home < PAGE_REVIEW);
        assert_true(wizard_field_on_page(&profile_fields[i], home));
    }
    struct wiz_target t;
    assert_true(wizard_problem_target("aws.public_subnets[1]", &t));
    assert_int_equal(t.page, PAGE_CLUSTER);
    assert_string_equal(t.field->path, "aws.public_subnets");
    assert_true(wizard_problem_target("secrets.db_password", &t));
    assert_int_equal(t.page, PAGE_SECRETS);
    assert_true(wizard_problem_target("extra_files[2].mount_path", &t));
    assert_int_equal(t.extra, 2);
    assert_true(wizard_problem_target("components.api.replicas", &t));
    assert_int_equal(t.page, PAGE_SIZE);
    assert_false(wizard_problem_target("nothing.here", &t));
    char *shape = wizard_instance_shape("m7g.2xlarge");
    assert_string_equal(shape, "8 vCPU / 32 GiB");
    free(shape);
    shape = wizard_instance_shape("c6i.large");
    assert_string_equal(shape, "2 vCPU / 4 GiB");
    free(shape);
}

static void test_write_matches_render(void **state)
{
    char tmpl[] = "/tmp/dify-screens-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    start(80, 24, dir);
    goto_page(PAGE_REVIEW);
    focus_label("[ Write files ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(result.written);
    assert_true(screen_has("> [ Exit ]"));

    char *answers = path_join(dir, "answers.yaml");
    char *secrets = path_join(dir, "answers.secrets.yaml");
    struct stat st;
    assert_int_equal(stat(secrets, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Loading what was written and rendering again gives the same bytes. */
    struct profile p;
    struct secrets sec;
    struct problems probs;
    struct error err;
    problems_init(&probs);
    secrets_init(&sec);
    assert_int_equal(answers_load(answers, &p, &probs, &err), 0);
    assert_int_equal(secrets_load(secrets, &sec, &probs, &err), 0);
    char *again = path_join(dir, "again");
    assert_int_equal(render_to_dir(&p, &sec, again, &err), 0);
    size_t checked = 0;
    char *out = path_join(dir, "rendered");
    for (size_t i = 2; i < result.nfiles; i++) {
        const char *f = result.files[i];
        assert_true(str_starts_with(f, out));
        char *other = xasprintf("%s%s", again, f + strlen(out));
        char *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;
        assert_int_equal(file_read_all(f, 1 << 24, &a, &la, &err), 0);
        assert_int_equal(file_read_all(other, 1 << 24, &b, &lb, &err), 0);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
        free(other);
        checked++;
    }
    assert_true(checked > 0);
    app_key(&app, TUI_KEY_ENTER); /* Exit */
    assert_int_equal(app.exit_status, 0);
    stop();
    profile_done(&p);
    secrets_done(&sec);
    problems_done(&probs);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(answers);
    free(secrets);
    free(again);
    free(out);
}

/* The focused row's label, from the "> label" marker on the screen. */
static bool focused_is(const char *label)
{
    char *want = xasprintf("> %s", label);
    bool at = screen_shows(want);
    free(want);
    return at;
}

/* At 80x24 nothing is out of reach: every option of a choice, the whole of a
 * revealed secret, a problem's and a status's full text. */
static void test_80x24_nothing_lost(void **state)
{
    start(80, 24, "demo");
    /* The fifth vector store wraps onto a second line of its row. */
    goto_page(PAGE_DATA);
    focus_label("Vector store");
    assert_true(screen_has("( ) weaviate"));

    /* A long key, revealed, is shown whole (wrapped in the value column). */
    goto_page(PAGE_SECRETS);
    focus_label("OpenAI API key");
    char key[160];
    snprintf(key, sizeof(key), "sk-%s-MIDDLE-%s-THEEND", "0123456789abcdefghijklmnopqrstuv",
             "wxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    app_key(&app, TUI_KEY_ENTER);
    type(key);
    app_key(&app, TUI_KEY_ENTER);
    assert_false(screen_shows("THEEND")); /* masked */
    app_key(&app, 'r');
    assert_true(screen_has("sk-0123456789abcdefghijklmnopqrstuv-MIDDLE-"));
    assert_true(screen_has("-THEEND"));

    /* Editing: the key hints fit 80 columns whole. */
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("PgDn/PgUp accept, page"));
    app_key(&app, TUI_KEY_ESC);

    /* A long problem: its status wraps, its Review row wraps, and the help
     * line holds its whole text while it is selected. */
    goto_page(PAGE_DOMAINS);
    focus_label("Web host");
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("is 64 characters; at most 63 allowed"));
    char *s = screen_text();
    /* Once under the row and once in the status, both whole. */
    char *first = strstr(s, "at most 63 allowed");
    assert_non_null(first);
    if (!strstr(first + 1, "at most 63 allowed"))
        for (char *l = strtok(s, "\n"); l; l = strtok(NULL, "\n"))
            print_message("# |%s\n", l);
    assert_non_null(strstr(first + 1, "at most 63 allowed"));
    free(s);
    goto_page(PAGE_REVIEW);
    focus_label("error: domains.web_host:");
    golden("wizard_9_review_problem_80x24");
    s = screen_text();
    first = strstr(s, "at most 63 allowed");
    assert_non_null(first);
    assert_non_null(strstr(first + 1, "at most 63 allowed")); /* row and help line */
    free(s);
    stop();
}

/* Home/End and a screenful at a time through the Size page's forty rows;
 * PgDn at the end goes on to the next page, PgUp comes back to the end. */
static void test_long_page_keys(void **state)
{
    start(80, 24, "demo");
    goto_page(PAGE_SIZE);
    assert_true(focused_is("Size "));
    app_key(&app, TUI_KEY_END);
    assert_true(focused_is("ssrf_proxy memory limit"));
    app_key(&app, TUI_KEY_HOME);
    assert_true(focused_is("Size "));
    assert_true(screen_has("Preset")); /* the table above the first row */
    app_key(&app, TUI_KEY_PGDN);
    assert_true(screen_has("[Size]"));
    assert_false(focused_is("Size "));
    assert_false(screen_shows("Preset"));
    golden("wizard_3_size_pgdn_80x24");
    int presses = 1;
    while (!screen_shows("[AWS]") && presses < 20) {
        app_key(&app, TUI_KEY_PGDN);
        presses++;
    }
    assert_true(screen_has("[AWS]"));
    assert_true(presses >= 3 && presses < 8);
    app_key(&app, TUI_KEY_PGUP);
    assert_true(screen_has("[Size]"));
    assert_true(focused_is("ssrf_proxy memory limit"));
    for (int i = 1; i < presses && !focused_is("Size "); i++)
        app_key(&app, TUI_KEY_PGUP);
    assert_true(screen_has("[Size]"));
    assert_true(focused_is("Size "));
    app_key(&app, TUI_KEY_PGUP);
    assert_true(screen_has("[Method]"));
    /* While editing, Home/End move in the text, not between rows. */
    goto_page(PAGE_SIZE);
    focus_label("Nodes  ");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_KEY_HOME);
    type("1");
    app_key(&app, TUI_KEY_ENTER);
    assert_true(screen_has("> Nodes                         11"));
    stop();
}

/* "about $420" for an estimate, as the Size page writes it. */
static char *about(const struct cost_estimate *e)
{
    char money[32];
    costs_money(money, sizeof(money), costs_about(e->total), 0);
    return xasprintf("about %s", money);
}

/* The Size page prices each preset and the values as edited from the one
 * price table, and says where the prices come from. */
static void test_size_page_costs(void **state)
{
    start(80, 24, "demo");
    goto_page(PAGE_SIZE);
    struct cost_estimate test, prod;
    costs_estimate_preset(SIZE_TEST, &test);
    costs_estimate_preset(SIZE_PROD, &prod);
    char *t = about(&test), *p = about(&prod);
    char *row = xasprintf("Monthly cost                  %-23s%s", t, p);
    assert_true(screen_has(row));
    char *footnote = xasprintf("AWS list prices for %s, %s", costs_region, costs_date);
    assert_true(screen_has(footnote));
    char *mine = xasprintf("With the values below: %s/month", t);
    assert_true(screen_has(mine));
    /* The estimate follows what is typed: two nodes cost more than one. */
    focus_label("Nodes  ");
    static const int edit[] = {TUI_KEY_ENTER, TUI_CTRL('u'), 0};
    keys(edit);
    type("2");
    app_key(&app, TUI_KEY_ENTER);
    app_key(&app, TUI_KEY_HOME);
    assert_false(screen_shows(mine));
    assert_true(screen_has("With the values below: about $"));
    /* The sources close the page. */
    app_key(&app, TUI_KEY_END);
    assert_true(screen_has("pricing pages of aws.amazon.com"));
    assert_true(screen_has("opensearch-service"));
    free(row);
    free(footnote);
    free(mine);
    free(t);
    free(p);
    stop();

    /* An existing cluster builds nothing on AWS: no cost. */
    start(80, 24, "demo");
    static const int existing[] = {TUI_KEY_DOWN, ' ', 0};
    keys(existing);
    goto_page(PAGE_SIZE);
    assert_false(screen_shows("Monthly cost"));
    stop();
}

static int setup(void **state)
{
    setlocale(LC_ALL, "C.UTF-8");
    unsetenv("NO_COLOR");
    /* The wizard checks the kubeconfig an existing-cluster install would use:
     * a fixed one, so no screen depends on ~/.kube/config. */
    setenv("KUBECONFIG", DIFY_SRCDIR "/tests/data/screens/kubeconfig", 1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_golden),
        cmocka_unit_test(test_existing_target_and_sizes),
        cmocka_unit_test(test_bad_host_fixed_and_review_jump),
        cmocka_unit_test(test_back_keeps_typing_and_drafts),
        cmocka_unit_test(test_answers_file_loaded_and_fixed),
        cmocka_unit_test(test_extra_files_add_remove_write),
        cmocka_unit_test(test_x86_node_type_warns),
        cmocka_unit_test(test_fields_use_the_validate_rules),
        cmocka_unit_test(test_review_lists_drafts),
        cmocka_unit_test(test_review_summary),
        cmocka_unit_test(test_secrets_generate_reveal),
        cmocka_unit_test(test_every_field_has_a_page),
        cmocka_unit_test(test_write_matches_render),
        cmocka_unit_test(test_80x24_nothing_lost),
        cmocka_unit_test(test_long_page_keys),
        cmocka_unit_test(test_size_page_costs),
    };
    return cmocka_run_group_tests_name("screens", tests, setup, NULL);
}
