# sim/: the local cluster simulator (dify-sim), a real HTTPS server speaking a
# subset of the Kubernetes API for the tests and the demo. It links core/ for
# the helpers the product and the simulator share.
bin_PROGRAMS += sim/dify-sim
sim_dify_sim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CRYPTO_CFLAGS) \
	$(PQ_CFLAGS) $(HIREDIS_CFLAGS)
sim_dify_sim_LDADD = core/libcore.a $(MHD_LIBS) $(CJSON_LIBS) $(YAML_LIBS) $(CRYPTO_LIBS) \
	$(PQ_LIBS) $(HIREDIS_LIBS) -lm
sim_dify_sim_SOURCES = \
	sim/main.c \
	sim/http.c sim/http.h \
	sim/discovery.c sim/discovery.h \
	sim/store.c sim/store.h \
	sim/crd.c sim/crd.h \
	sim/select.c sim/select.h \
	sim/apply.c sim/apply.h \
	sim/api.c sim/api.h \
	sim/validate.c sim/validate.h \
	sim/defaults.c \
	sim/schema.c sim/schema.h sim/schema_data.c \
	sim/table.c sim/table.h \
	sim/watch.c sim/watch.h \
	sim/events.c sim/events.h \
	sim/pods.c sim/pods.h \
	sim/initc.c sim/initc.h \
	sim/volumes.c sim/volumes.h \
	sim/controllers.c sim/controllers.h \
	sim/workloads.c sim/workloads.h \
	sim/daemonsets.c sim/daemonsets.h \
	sim/scenario.c sim/scenario.h \
	sim/proxy.c sim/proxy.h \
	sim/datastores.c sim/datastores.h \
	sim/datastores_keeper.c sim/datastores_keeper.h \
	sim/dify_env.c sim/dify_env.h \
	sim/dify_check.c sim/dify_check.h \
	sim/dify_model.c sim/dify_model.h sim/dify_run.h \
	sim/dify_components.c \
	sim/dify_proxy.c \
	sim/proto.c sim/proto.h sim/proto_schema.h sim/proto_pod.c sim/proto_write.c sim/proto_write.h \
	sim/tls.c sim/tls.h

