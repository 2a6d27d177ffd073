# bench/: benchmark scripts and their helpers (not part of the test suite;
# docs/bench.md). The helpers are built with `make check` so that the scripts
# find them next to the test programs they also use.
check_PROGRAMS += bench/kube_parse
bench_kube_parse_SOURCES = bench/kube_parse.c
bench_kube_parse_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
bench_kube_parse_LDADD = $(CORE_LIBS)
