# bench/: benchmark scripts and their helpers (not part of the test suite;
# docs/bench.md). The helpers are built with `make check` so that the scripts
# find them next to the test programs they also use.
check_PROGRAMS += bench/kube_parse
bench_kube_parse_SOURCES = bench/kube_parse.c
bench_kube_parse_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
bench_kube_parse_LDADD = $(CORE_LIBS)
check_PROGRAMS += bench/kube_watch
bench_kube_watch_SOURCES = bench/kube_watch.c
bench_kube_watch_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
bench_kube_watch_LDADD = $(CORE_LIBS)
check_PROGRAMS += bench/status_inc
bench_status_inc_SOURCES = bench/status_inc.c
bench_status_inc_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
bench_status_inc_LDADD = $(CORE_LIBS)
check_PROGRAMS += bench/kube_logs
bench_kube_logs_SOURCES = bench/kube_logs.c
bench_kube_logs_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
bench_kube_logs_LDADD = $(CORE_LIBS)
# the scripts (bench/ is listed by name in Makefile.am for the rest)
EXTRA_DIST += bench/dash_log_follow.sh bench/watch_latency.py bench/list_modes.sh bench/noisylib.sh bench/simup.sh bench/proto_alt.sh
