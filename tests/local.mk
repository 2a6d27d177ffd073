# tests/: unit tests (cmocka, linking core/ only), shell tests driving the
# real binaries, tmux, kubectl and terraform. Everything speaks TAP.
EXTRA_DIST += tests/lib.sh tests/timeout.sh tests/tmuxlib.sh tests/helmlib.sh
TESTS += tests/layering.sh
EXTRA_DIST += tests/layering.sh
TESTS += tests/linkdeps.sh
EXTRA_DIST += tests/linkdeps.sh

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_util

check_PROGRAMS += tests/unit/test_yamldoc
tests_unit_test_yamldoc_SOURCES = tests/unit/test_yamldoc.c
tests_unit_test_yamldoc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_yamldoc_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_yamldoc

check_PROGRAMS += tests/unit/test_textsafe
tests_unit_test_textsafe_SOURCES = tests/unit/test_textsafe.c
tests_unit_test_textsafe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_textsafe_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_textsafe

# Files given to the program: special files, paths, output directories,
# answers that keep comments (issue 7, "Nothing given is ever lost").
check_PROGRAMS += tests/unit/test_files
tests_unit_test_files_SOURCES = tests/unit/test_files.c
tests_unit_test_files_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_files_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_files
TESTS += tests/files_cmd.sh
EXTRA_DIST += tests/files_cmd.sh

TESTS += tests/install.sh
EXTRA_DIST += tests/install.sh

TESTS += tests/format.sh
EXTRA_DIST += tests/format.sh build-aux/tap-driver.sh

TESTS += tests/log.sh
EXTRA_DIST += tests/log.sh

TESTS += tests/demo.sh
EXTRA_DIST += tests/demo.sh

# --- answers tests
check_PROGRAMS += tests/unit/test_validate
tests_unit_test_validate_SOURCES = tests/unit/test_validate.c
tests_unit_test_validate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_validate_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_validate

check_PROGRAMS += tests/unit/test_answers
tests_unit_test_answers_SOURCES = tests/unit/test_answers.c
tests_unit_test_answers_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_answers_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_answers

TESTS += tests/validate_cmd.sh tests/validate_render.sh
EXTRA_DIST += tests/validate_cmd.sh tests/validate_render.sh tests/data/bad-answers

# --- render tests
# The render fixture cases, shared by the unit test and the golden test.
check_PROGRAMS += tests/unit/test_render tests/render_cases
tests_unit_test_render_SOURCES = tests/unit/test_render.c tests/render_fixture.c \
	tests/render_fixture.h
tests_unit_test_render_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_render_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_render

tests_render_cases_SOURCES = tests/render_cases.c tests/render_fixture.c tests/render_fixture.h
tests_render_cases_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
tests_render_cases_LDADD = $(CORE_LIBS)

# What render means its Helm values to say, for the real helm to read back
# (tests/render_helm.sh).
check_PROGRAMS += tests/helm_values
tests_helm_values_SOURCES = tests/helm_values.c tests/render_fixture.c tests/render_fixture.h
tests_helm_values_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
tests_helm_values_LDADD = $(CORE_LIBS)

check_PROGRAMS += tests/unit/test_dify_versions
tests_unit_test_dify_versions_SOURCES = tests/unit/test_dify_versions.c
tests_unit_test_dify_versions_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dify_versions_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_dify_versions

check_PROGRAMS += tests/unit/test_chart_keys
tests_unit_test_chart_keys_SOURCES = tests/unit/test_chart_keys.c tests/render_fixture.c \
	tests/render_fixture.h
tests_unit_test_chart_keys_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_chart_keys_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_chart_keys

check_PROGRAMS += tests/unit/test_render_cluster
tests_unit_test_render_cluster_SOURCES = tests/unit/test_render_cluster.c tests/render_fixture.c \
	tests/render_fixture.h
tests_unit_test_render_cluster_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_render_cluster_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_render_cluster

TESTS += tests/render_golden.sh
EXTRA_DIST += tests/render_golden.sh \
	tests/data/render tests/data/golden

# The render command and its test through the real binary.
TESTS += tests/render_cmd.sh
EXTRA_DIST += tests/render_cmd.sh

# Placeholders filled from Terraform outputs (a saved file and the real terraform).
TESTS += tests/render_fill.sh
EXTRA_DIST += tests/render_fill.sh

# The rendered values against the real charts (helm lint/template; SKIP
# without helm or DIFY_CHART_DIR / DIFY_EE_CHART_DIR).
TESTS += tests/render_helm.sh
EXTRA_DIST += tests/render_helm.sh

# The rendered manifests applied to the local cluster simulator.
TESTS += tests/render_sim.sh
EXTRA_DIST += tests/render_sim.sh

# Dify's images modelled in dify-sim against a real PostgreSQL and Redis.
TESTS += tests/dify_sim.sh
EXTRA_DIST += tests/dify_sim.sh

# No function of ours in a binary's dynamic symbol table.
TESTS += tests/symbols.sh
EXTRA_DIST += tests/symbols.sh

# --- wizard tests
# The widgets and the wizard screens: unit tests, goldens and tmux.

check_PROGRAMS += tests/unit/test_tui
tests_unit_test_tui_SOURCES = tests/unit/test_tui.c
tests_unit_test_tui_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_LDADD = $(TUI_LIBS) $(NCURSES_LIBS) $(CMOCKA_LIBS)
TESTS += tests/unit/test_tui

# Screens on a fixed-size virtual terminal against golden text files.
check_PROGRAMS += tests/unit/test_screens
tests_unit_test_screens_SOURCES = tests/unit/test_screens.c tests/unit/golden.h
tests_unit_test_screens_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_screens_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_screens

# The progress pane over the real runner with steps the test drives.
check_PROGRAMS += tests/unit/test_progress
tests_unit_test_progress_SOURCES = tests/unit/test_progress.c
tests_unit_test_progress_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_progress_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_progress
# The pane in the real binary, in tmux, against dify-sim.
TESTS += tests/progress_tmux.sh
EXTRA_DIST += tests/progress_tmux.sh
# The demo in tmux at 120x40 and 200x50, and too small.
TESTS += tests/demo_tmux.sh
EXTRA_DIST += tests/demo_tmux.sh
# No secret value on any screen, wizard to diagnostics.
TESTS += tests/secrets_screens.sh
EXTRA_DIST += tests/secrets_screens.sh

# The wizard keeps what it is given (answers, secrets, examples, drafts).
check_PROGRAMS += tests/unit/test_wizard_files
tests_unit_test_wizard_files_SOURCES = tests/unit/test_wizard_files.c
tests_unit_test_wizard_files_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_wizard_files_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_wizard_files
EXTRA_DIST += tests/data/screens

# End to end: the real binary in a private tmux server.
TESTS += tests/wizard_tmux.sh
EXTRA_DIST += tests/wizard_tmux.sh
# Odd terminals (vt100, dumb, too small) and signals, at 80x24.
TESTS += tests/wizard_term.sh
EXTRA_DIST += tests/wizard_term.sh

# --- kube tests
# The Kubernetes client: kubeconfig, curl multi on the loop, exec plugins,
# lists/watches, the object store, rollout status; and `get`/`rollout-status`.

check_PROGRAMS += tests/unit/test_kube_client
tests_unit_test_kube_client_SOURCES = tests/unit/test_kube_client.c \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_kube_client_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_kube_client_LDADD = $(UNIT_LIBS) -lpthread
TESTS += tests/unit/test_kube_client
EXTRA_DIST += tests/data/kube

check_PROGRAMS += tests/unit/test_kubeconfig
tests_unit_test_kubeconfig_SOURCES = tests/unit/test_kubeconfig.c
tests_unit_test_kubeconfig_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kubeconfig_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_kubeconfig

check_PROGRAMS += tests/unit/test_rollout
tests_unit_test_rollout_SOURCES = tests/unit/test_rollout.c
tests_unit_test_rollout_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rollout_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_rollout

# The bad-input corpus runs through the parsers built with ASan and UBSan:
# its own copies of the sources, compiled with these flags, not libcore.a.
KUBE_ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check_PROGRAMS += tests/unit/test_kube_bad
tests_unit_test_kube_bad_SOURCES = tests/unit/test_kube_bad.c \
	core/kubeconfig.c core/kube_json.c core/kube_exec.c core/kube_http.c \
	core/kube_client.c core/kube_watch.c core/kube_store.c core/kube_kinds.c \
	core/kube_intern.c core/kube_project.c core/kube_obj.c core/kube_print.c core/yamldoc.c core/util.c \
	core/error.c core/log.c core/loop.c core/textsafe.c core/kube_check.c \
	core/kube_jparse.c core/kube_keys.c core/kube_pb.c
tests_unit_test_kube_bad_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS) $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_bad_LDFLAGS = $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_bad_LDADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(CMOCKA_LIBS) -lm
TESTS += tests/unit/test_kube_bad

# The protobuf decoder against the JSON path, with dify-sim's writer making
# the bytes; with ASan and UBSan (own copies of the sources, as above).
check_PROGRAMS += tests/unit/test_kube_pb
tests_unit_test_kube_pb_SOURCES = tests/unit/test_kube_pb.c \
	core/kubeconfig.c core/kube_json.c core/kube_exec.c core/kube_http.c \
	core/kube_client.c core/kube_watch.c core/kube_store.c core/kube_kinds.c \
	core/kube_intern.c core/kube_project.c core/kube_obj.c core/kube_print.c core/yamldoc.c core/util.c \
	core/error.c core/log.c core/loop.c core/textsafe.c core/kube_check.c \
	core/kube_jparse.c core/kube_keys.c core/kube_pb.c \
	sim/proto_write.c sim/proto_pod.c
tests_unit_test_kube_pb_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS) $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_pb_LDFLAGS = $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_pb_LDADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(CMOCKA_LIBS) -lm
TESTS += tests/unit/test_kube_pb

# The canned-reply server as a program (for tests/kube_cli.sh and the bench);
# named test_* so that the tree's .gitignore keeps the binary out of git.
check_PROGRAMS += tests/unit/test_kube_fakeserver
tests_unit_test_kube_fakeserver_SOURCES = tests/unit/kube_fakeserver.c \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_kube_fakeserver_LDADD = $(CORE_LIBS) -lpthread
TESTS += tests/kube_cli.sh
EXTRA_DIST += tests/kube_cli.sh

# libFuzzer harness (clang only, not part of make check):
#   make fuzz-kube && tests/unit/test_kube_fuzz -max_total_time=60 tests/data/kube/bad
# (the binary is named test_* so that .gitignore keeps it out of git)
KUBE_FUZZ_SRC = tests/fuzz/fuzz_kube.c core/kubeconfig.c core/kube_json.c \
	core/kube_exec.c core/kube_http.c core/kube_client.c core/kube_watch.c \
	core/kube_store.c core/kube_kinds.c core/kube_intern.c core/kube_project.c core/kube_obj.c core/kube_print.c \
	core/yamldoc.c core/util.c core/error.c core/log.c core/loop.c core/textsafe.c core/kube_check.c \
	core/kube_jparse.c core/kube_keys.c core/kube_pb.c
EXTRA_DIST += tests/fuzz/fuzz_kube.c
CLEANFILES += tests/unit/test_kube_fuzz
fuzz-kube:
	$(MKDIR_P) tests/unit
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -I$(top_srcdir) -I$(top_builddir) \
		$(CURL_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) \
		$(addprefix $(top_srcdir)/,$(KUBE_FUZZ_SRC)) \
		-o tests/unit/test_kube_fuzz $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) -lm
.PHONY: fuzz-kube

TESTS += tests/kube_tls.sh
EXTRA_DIST += tests/kube_tls.sh

TESTS += tests/kube_vs_kubectl.sh tests/kube_proto.sh
EXTRA_DIST += tests/kube_vs_kubectl.sh tests/kube_proto.sh

check_PROGRAMS += tests/unit/test_kube_print
tests_unit_test_kube_print_SOURCES = tests/unit/test_kube_print.c
tests_unit_test_kube_print_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kube_print_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_kube_print

# The parser with ASan and UBSan (its own copy, as test_kube_bad): an
# overread of the text or the arena fails the test.
check_PROGRAMS += tests/unit/test_kube_jparse
tests_unit_test_kube_jparse_SOURCES = tests/unit/test_kube_jparse.c core/kube_jparse.c core/kube_keys.c \
	tests/unit/kube_check_diff.h
tests_unit_test_kube_jparse_CFLAGS = $(UNIT_CFLAGS) $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_jparse_LDFLAGS = $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_jparse_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_kube_jparse

check_PROGRAMS += tests/unit/test_kube_store
tests_unit_test_kube_store_SOURCES = tests/unit/test_kube_store.c
tests_unit_test_kube_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kube_store_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_kube_store

# The store's layout (objects at their kind's size) with ASan and UBSan, its
# own copy of the sources as test_kube_bad: each object in a slab is then
# followed by a poisoned red zone, so a read past its kind's part fails.
check_PROGRAMS += tests/unit/test_kube_store_layout
tests_unit_test_kube_store_layout_SOURCES = tests/unit/test_kube_store_layout.c \
	core/kubeconfig.c core/kube_json.c core/kube_exec.c core/kube_http.c \
	core/kube_client.c core/kube_watch.c core/kube_store.c core/kube_kinds.c \
	core/kube_intern.c core/kube_project.c core/kube_obj.c core/kube_print.c core/yamldoc.c core/util.c \
	core/error.c core/log.c core/loop.c core/textsafe.c core/kube_check.c \
	core/kube_jparse.c core/kube_keys.c core/kube_pb.c
tests_unit_test_kube_store_layout_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS) $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_store_layout_LDFLAGS = $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_store_layout_LDADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(CMOCKA_LIBS) -lm
TESTS += tests/unit/test_kube_store_layout

# --- sim tests
# Shell tests: the real kubectl and curl against a dify-sim each test starts.
TESTS += tests/sim.sh tests/sim_scenarios.sh tests/sim_fidelity.sh tests/sim_crd.sh tests/sim_owners.sh
EXTRA_DIST += tests/sim.sh tests/sim_scenarios.sh tests/sim_fidelity.sh tests/sim_crd.sh tests/sim_owners.sh \
	tests/simlib.sh \
	tests/data/scenarios


# --- terraform tests
# The contract with assets/terraform: variable and output names.

check_PROGRAMS += tests/unit/test_tfstack
tests_unit_test_tfstack_SOURCES = tests/unit/test_tfstack.c
tests_unit_test_tfstack_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tfstack_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_tfstack

# The cost figures: core/costs.c's arithmetic, and the README's and
# docs/terraform.md's tables equal to what it computes.
check_PROGRAMS += tests/unit/test_costs tests/costs_table
tests_unit_test_costs_SOURCES = tests/unit/test_costs.c
tests_unit_test_costs_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_costs_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_costs
tests_costs_table_SOURCES = tests/costs_table.c
tests_costs_table_CFLAGS = $(AM_CFLAGS)
tests_costs_table_LDADD = $(CORE_LIBS)
TESTS += tests/costs_docs.sh
EXTRA_DIST += tests/costs_docs.sh

# The rules contract: every validated variable of the stack accepts exactly
# what the installer's rule for the same answer accepts (tests/tf_probe turns
# the probes into a `terraform test` file; terraform_rules.sh runs it).
check_PROGRAMS += tests/tf_probe
tests_tf_probe_SOURCES = tests/tf_probe.c
tests_tf_probe_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
tests_tf_probe_LDADD = $(CORE_LIBS)
TESTS += tests/terraform_rules.sh
EXTRA_DIST += tests/terraform_rules.sh

# Shell tests: formatting, validation against a local provider mirror, and the
# tfvars contract checked by the real terraform without any provider.
TESTS += tests/terraform_fmt.sh tests/terraform_validate.sh tests/terraform_contract.sh
EXTRA_DIST += tests/terraform_fmt.sh tests/terraform_validate.sh tests/terraform_contract.sh \
	tests/terraform_lib.sh tests/data/terraform

# --- runner tests
check_PROGRAMS += tests/unit/test_journal
tests_unit_test_journal_SOURCES = tests/unit/test_journal.c
tests_unit_test_journal_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_journal_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_journal

# --- the runner (issue 10): subprocesses, plan, runner, install, demo
check_PROGRAMS += tests/unit/test_proc
tests_unit_test_proc_SOURCES = tests/unit/test_proc.c
tests_unit_test_proc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_proc_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_proc

check_PROGRAMS += tests/unit/test_runner
tests_unit_test_runner_SOURCES = tests/unit/test_runner.c
tests_unit_test_runner_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_runner_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_runner
TESTS += tests/install_sim.sh
EXTRA_DIST += tests/install_sim.sh
# The Helm method with the real helm, from a local chart (the stand-in below)
TESTS += tests/install_helm_sim.sh
EXTRA_DIST += tests/install_helm_sim.sh tests/data/difychart

check_PROGRAMS += tests/unit/test_manifests
tests_unit_test_manifests_SOURCES = tests/unit/test_manifests.c
tests_unit_test_manifests_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_manifests_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_manifests

# --- native steps: PostgreSQL, SSH tunnel (real servers from tests/svc.sh)
EXTRA_DIST += tests/svc.sh
SVC_SOURCES = tests/unit/svc.c tests/unit/svc.h tests/unit/tap.h
check_PROGRAMS += tests/unit/test_pgconn
tests_unit_test_pgconn_SOURCES = tests/unit/test_pgconn.c $(SVC_SOURCES)
tests_unit_test_pgconn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pgconn_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_pgconn

check_PROGRAMS += tests/unit/test_sshtunnel
tests_unit_test_sshtunnel_SOURCES = tests/unit/test_sshtunnel.c $(SVC_SOURCES)
tests_unit_test_sshtunnel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sshtunnel_LDADD = $(CORE_LIBS) -lpthread
TESTS += tests/unit/test_sshtunnel

# The native steps with the real runner: databases (PostgreSQL, sshd),
# Terraform (offline fixtures), Helm (a stand-in, and the real helm against
# dify-sim).
STEPS_SOURCES = $(SVC_SOURCES) tests/unit/stephar.h
check_PROGRAMS += tests/unit/test_steps_db tests/unit/test_steps_tf tests/unit/test_steps_helm
tests_unit_test_steps_db_SOURCES = tests/unit/test_steps_db.c $(STEPS_SOURCES)
tests_unit_test_steps_db_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_steps_db_LDADD = $(CORE_LIBS) -lpthread
tests_unit_test_steps_tf_SOURCES = tests/unit/test_steps_tf.c $(STEPS_SOURCES)
tests_unit_test_steps_tf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_steps_tf_LDADD = $(CORE_LIBS)
tests_unit_test_steps_helm_SOURCES = tests/unit/test_steps_helm.c $(STEPS_SOURCES)
tests_unit_test_steps_helm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_steps_helm_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_steps_db tests/unit/test_steps_tf tests/unit/test_steps_helm
# the Kubernetes apply step against dify-sim (one owner per object)
check_PROGRAMS += tests/unit/test_steps_kube
tests_unit_test_steps_kube_SOURCES = tests/unit/test_steps_kube.c tests/unit/stephar.h tests/unit/tap.h
tests_unit_test_steps_kube_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_steps_kube_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_steps_kube
check_PROGRAMS += tests/unit/test_steps_preflight tests/unit/test_history tests/unit/test_upgrade
tests_unit_test_steps_preflight_SOURCES = tests/unit/test_steps_preflight.c $(STEPS_SOURCES) \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_steps_preflight_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_steps_preflight_LDADD = $(CORE_LIBS) -lpthread
tests_unit_test_history_SOURCES = tests/unit/test_history.c tests/unit/stephar.h tests/unit/tap.h
tests_unit_test_history_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_history_LDADD = $(CORE_LIBS)
tests_unit_test_upgrade_SOURCES = tests/unit/test_upgrade.c tests/unit/tap.h
tests_unit_test_upgrade_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_upgrade_LDADD = $(CORE_LIBS)
TESTS += tests/unit/test_steps_preflight tests/unit/test_history tests/unit/test_upgrade
TESTS += tests/history_cmd.sh
EXTRA_DIST += tests/history_cmd.sh
TESTS += tests/upgrade_sim.sh
EXTRA_DIST += tests/upgrade_sim.sh tests/data/upgrade
TESTS += tests/upgrade_helm_sim.sh
EXTRA_DIST += tests/upgrade_helm_sim.sh
TESTS += tests/upgrade_tmux.sh
EXTRA_DIST += tests/upgrade_tmux.sh
EXTRA_DIST += tests/data/tfsteps tests/data/minichart tests/data/minichart-scenario.yaml

# --- dashboard tests (issue 11)
# Dify components by labels and image; the health probes through the
# service proxy against canned replies.
check_PROGRAMS += tests/unit/test_dify_components
tests_unit_test_dify_components_SOURCES = tests/unit/test_dify_components.c
tests_unit_test_dify_components_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dify_components_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_dify_components

check_PROGRAMS += tests/unit/test_dify_probe
tests_unit_test_dify_probe_SOURCES = tests/unit/test_dify_probe.c \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_dify_probe_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_dify_probe_LDADD = $(UNIT_LIBS) -lpthread
TESTS += tests/unit/test_dify_probe
EXTRA_DIST += tests/data/dashboard

# --- diagnostics (issue 12)
check_PROGRAMS += tests/unit/test_checks
tests_unit_test_checks_SOURCES = tests/unit/test_checks.c
tests_unit_test_checks_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_checks_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_checks
TESTS += tests/diagnose_redis.sh
EXTRA_DIST += tests/diagnose_redis.sh tests/diaglib.sh
TESTS += tests/diagnose_postgres.sh
EXTRA_DIST += tests/diagnose_postgres.sh
TESTS += tests/diagnose_remote.sh
EXTRA_DIST += tests/diagnose_remote.sh
TESTS += tests/diagnose_sim.sh
EXTRA_DIST += tests/diagnose_sim.sh
TESTS += tests/diagnose_screen.sh
EXTRA_DIST += tests/diagnose_screen.sh
TESTS += tests/diagnose_hostkey_screen.sh
EXTRA_DIST += tests/diagnose_hostkey_screen.sh
TESTS += tests/diagnose_demo.sh
EXTRA_DIST += tests/diagnose_demo.sh
TESTS += tests/diagnose_cluster.sh
EXTRA_DIST += tests/diagnose_cluster.sh

# The model behind the dashboard and `status`, fed by hand at a fixed clock.
check_PROGRAMS += tests/unit/test_status
tests_unit_test_status_SOURCES = tests/unit/test_status.c tests/unit/status_fixture.c \
	tests/unit/status_fixture.h
tests_unit_test_status_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_status_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_status

# The model updated change by change equals the model derived whole (a
# fixed-seed random walk over every kind it watches).
check_PROGRAMS += tests/unit/test_status_prop
tests_unit_test_status_prop_SOURCES = tests/unit/test_status_prop.c tests/unit/status_fixture.c \
	tests/unit/status_fixture.h
tests_unit_test_status_prop_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_status_prop_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_status_prop

# The dashboard screen over a fixture model, against golden text.
check_PROGRAMS += tests/unit/test_dashboard
tests_unit_test_dashboard_SOURCES = tests/unit/test_dashboard.c tests/unit/status_fixture.c \
	tests/unit/status_fixture.h
tests_unit_test_dashboard_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_dashboard_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_dashboard

# The log view's stream: the same lines whatever the chunks (a 1 MB line).
check_PROGRAMS += tests/unit/test_dash_logs
tests_unit_test_dash_logs_SOURCES = tests/unit/test_dash_logs.c
tests_unit_test_dash_logs_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_dash_logs_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_dash_logs

# Which values of a namespace's Secrets the dashboard masks.
check_PROGRAMS += tests/unit/test_secret_mask
tests_unit_test_secret_mask_SOURCES = tests/unit/test_secret_mask.c
tests_unit_test_secret_mask_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_secret_mask_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_secret_mask

# The dashboard, `status` and `get -w` against dify-sim beside kubectl, and
# in tmux.
TESTS += tests/dashboard_sim.sh tests/dashboard_refused.sh tests/get_watch.sh \
	tests/dashboard_columns.sh
EXTRA_DIST += tests/dashboard_sim.sh tests/dashboard_refused.sh tests/get_watch.sh \
	tests/dashboard_columns.sh
# A one-shot status against a closed port or a failing credential plugin.
TESTS += tests/status_unreachable.sh
EXTRA_DIST += tests/status_unreachable.sh

# What a new user tries first (tests/tryout_*.sh): hostile logs, output that
# cannot be written, bad namespaces.
TESTS += tests/tryout_output.sh tests/tryout_logs.sh tests/tryout_secrets.sh \
	tests/tryout_outage.sh tests/tryout_actions.sh tests/tryout_getw.sh
EXTRA_DIST += tests/tryout_output.sh tests/tryout_logs.sh tests/tryout_secrets.sh \
	tests/tryout_outage.sh tests/tryout_actions.sh tests/tryout_getw.sh

# The second walk (tests/tryout2_*.sh): a namespace without a plugin daemon,
# actions whose precondition is known before asking.
TESTS += tests/tryout2_absent.sh tests/tryout2_actions.sh
EXTRA_DIST += tests/tryout2_absent.sh tests/tryout2_actions.sh

# The walks' shared head (tests/tryoutlib.sh); the dashboard's describe and
# logs views acting on the object shown, the previous container's log read
# into the bounded ring, the unreachable banner for IPv4 and IPv6 hosts.
EXTRA_DIST += tests/tryoutlib.sh
TESTS += tests/dash_shown.sh tests/dash_prev_log.sh tests/dash_banner.sh
EXTRA_DIST += tests/dash_shown.sh tests/dash_prev_log.sh tests/dash_banner.sh

# The support bundle's redaction (issue 12).
check_PROGRAMS += tests/unit/test_redact
tests_unit_test_redact_SOURCES = tests/unit/test_redact.c
tests_unit_test_redact_CFLAGS = $(UNIT_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_redact_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_redact

# The Debian package: built with dpkg-buildpackage, checked with lintian,
# unpacked with dpkg -x and run from there (docs/package.md).
TESTS += tests/package.sh
EXTRA_DIST += tests/package.sh

# The manual pages against --help and the sources (docs/package.md).
TESTS += tests/man.sh
EXTRA_DIST += tests/man.sh

# Shell completion: bash's function called as bash calls it, zsh in tmux.
TESTS += tests/completion.sh
EXTRA_DIST += tests/completion.sh

check_PROGRAMS += tests/unit/test_bundle
tests_unit_test_bundle_SOURCES = tests/unit/test_bundle.c
tests_unit_test_bundle_CFLAGS = $(UNIT_CFLAGS) $(ARCHIVE_CFLAGS)
tests_unit_test_bundle_LDADD = $(UNIT_LIBS) $(ARCHIVE_LIBS)
TESTS += tests/unit/test_bundle
TESTS += tests/bundle.sh
EXTRA_DIST += tests/bundle.sh

# the third tryout pass: terminals, kubeconfigs, pipes (tests/tryout3_*.sh)
TESTS += tests/tryout3_terminal.sh tests/tryout3_auth.sh tests/tryout3_pipe.sh \
	tests/tryout3_paste.sh tests/tryout3_malformed.sh tests/tryout3_kubeconfig.sh
EXTRA_DIST += tests/tryout3_terminal.sh tests/tryout3_auth.sh tests/tryout3_pipe.sh \
	tests/tryout3_paste.sh tests/tryout3_malformed.sh tests/tryout3_kubeconfig.sh

# the fourth tryout pass: signals, kubeconfigs and credentials, pod shapes (tests/tryout4_*.sh)
TESTS += tests/tryout4_signals.sh tests/tryout4_kubeconfig.sh tests/tryout4_workloads.sh
EXTRA_DIST += tests/tryout4_signals.sh tests/tryout4_kubeconfig.sh tests/tryout4_workloads.sh
