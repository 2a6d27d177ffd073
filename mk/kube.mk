# mk/kube.mk: build and test lists of the kube work area (see Makefile.am).
# The Kubernetes client: kubeconfig, curl multi on the loop, exec plugins,
# lists/watches, the object store, rollout status; and `get`/`rollout-status`.
core_libcore_a_SOURCES += \
	core/kubeconfig.c core/kubeconfig.h \
	core/kube_json.c core/kube_json.h \
	core/kube_exec.c core/kube_exec.h \
	core/kube_http.c core/kube_http.h \
	core/kube_client.c core/kube_client.h \
	core/kube_watch.c core/kube_watch.h \
	core/kube_store.c core/kube_store.h \
	core/rollout.c core/rollout.h

check_PROGRAMS += tests/unit/test_kube_client
tests_unit_test_kube_client_SOURCES = tests/unit/test_kube_client.c \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_kube_client_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_kube_client_LDADD = $(UNIT_LIBS) -lpthread
TESTS += tests/unit/test_kube_client
EXTRA_DIST += tests/data/kube

dify_tui_SOURCES += screens/cmd_get.c

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
	core/kube_client.c core/kube_watch.c core/kube_store.c \
	core/yamldoc.c core/util.c core/error.c core/log.c core/loop.c
tests_unit_test_kube_bad_CFLAGS = $(UNIT_CFLAGS) $(CURL_CFLAGS) $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_bad_LDFLAGS = $(KUBE_ASAN_FLAGS)
tests_unit_test_kube_bad_LDADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(CMOCKA_LIBS) -lm
TESTS += tests/unit/test_kube_bad

# The canned-reply server as a program (for tests/kube_cli.sh and the bench);
# named test_* so that the tree's .gitignore keeps the binary out of git.
check_PROGRAMS += tests/unit/test_kube_fakeserver
tests_unit_test_kube_fakeserver_SOURCES = tests/unit/kube_fakeserver.c \
	tests/unit/kube_testserver.c tests/unit/kube_testserver.h
tests_unit_test_kube_fakeserver_LDADD = $(CORE_LIBS) -lpthread
TESTS += tests/kube_cli.sh
EXTRA_DIST += tests/kube_cli.sh
EXTRA_DIST += bench/kube_list.sh
EXTRA_DIST += docs/kube.md

# libFuzzer harness (clang only, not part of make check):
#   make fuzz-kube && tests/unit/test_kube_fuzz -max_total_time=60 tests/data/kube/bad
# (the binary is named test_* so that .gitignore keeps it out of git)
KUBE_FUZZ_SRC = tests/fuzz/fuzz_kube.c core/kubeconfig.c core/kube_json.c \
	core/kube_exec.c core/kube_http.c core/kube_client.c core/kube_watch.c \
	core/kube_store.c core/yamldoc.c core/util.c core/error.c core/log.c core/loop.c
EXTRA_DIST += tests/fuzz/fuzz_kube.c
CLEANFILES += tests/unit/test_kube_fuzz
fuzz-kube:
	$(MKDIR_P) tests/unit
	clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -I$(top_srcdir) -I$(top_builddir) \
		$(CURL_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) \
		$(addprefix $(top_srcdir)/,$(KUBE_FUZZ_SRC)) \
		-o tests/unit/test_kube_fuzz $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) -lm
.PHONY: fuzz-kube

TESTS += tests/kube_tls.sh
EXTRA_DIST += tests/kube_tls.sh

TESTS += tests/kube_vs_kubectl.sh
EXTRA_DIST += tests/kube_vs_kubectl.sh

check_PROGRAMS += tests/unit/test_kube_store
tests_unit_test_kube_store_SOURCES = tests/unit/test_kube_store.c
tests_unit_test_kube_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kube_store_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_kube_store
