# core/: everything that is not drawing. Never includes curses (checked by
# tests/layering.sh). Linked by the program, the simulator and the core unit
# tests, which do not link ncurses.
noinst_LIBRARIES += core/libcore.a
core_libcore_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) \
	$(PQ_CFLAGS) $(SSH2_CFLAGS) $(HIREDIS_CFLAGS) $(CRYPTO_CFLAGS) $(ARCHIVE_CFLAGS)
core_libcore_a_SOURCES = \
	core/error.c core/error.h \
	core/util.c core/util.h \
	core/log.c core/log.h \
	core/loop.c core/loop.h \
	core/paths.c core/paths.h \
	core/hash.c core/hash.h \
	core/yamldoc.c core/yamldoc.h \
	core/profile.c core/profile.h \
	core/problems.c core/problems.h \
	core/rules.c core/rules.h \
	core/validate.c core/validate.h \
	core/preflight.c core/preflight.h \
	core/summary.c core/summary.h \
	core/answers.c core/answers.h core/answers_write.c core/answers_merge.c \
	core/secrets.c \
	core/yamlemit.c core/yamlemit.h \
	core/yamlout.c core/yamlout.h \
	core/render.c core/render.h core/render_write.c \
	core/dify_versions.c core/dify_versions.h \
	core/dify_components.c core/dify_components.h core/image_ref.h \
	core/dify_probe.c core/dify_probe.h \
	core/status.c core/status.h core/status_impl.h core/status_derive.c \
	core/status_health.c core/status_diff.c core/status_json.c core/status_out.c \
	core/status_log.c core/status_inc.c core/status_owners.c \
	core/chart_keys.c core/chart_keys.h core/chart_keys_data.c \
	core/render_check.c core/render_check.h \
	core/render_fill.c core/render_fill.h \
	core/upstream_files.c core/upstream_files.h \
	core/render_util.c core/render_util.h \
	core/render_tf.c core/render_tf.h \
	core/render_values.c core/render_values.h core/render_values_int.h \
	core/render_values_ce.c core/render_values_ee.c \
	core/render_manifests.c core/render_manifests.h \
	core/render_app.c core/render_app.h \
	core/tfstack.c core/tfstack.h \
	core/costs.c core/costs.h \
	core/journal.c core/journal.h \
	core/kubeconfig.c core/kubeconfig.h \
	core/kube_json.c core/kube_json.h core/kube_jval.h \
	core/kube_jparse.c core/kube_jparse.h core/kube_pb.c core/kube_pb.h core/kube_keys.c core/kube_keys.h \
	core/kube_kinds.c core/kube_kinds.h \
	core/kube_intern.c core/kube_intern.h \
	core/kube_project.c core/kube_project.h core/kube_obj.c \
	core/kube_print.c \
	core/textsafe.c core/textsafe.h \
	core/kube_check.c core/kube_check.h \
	core/kube_exec.c core/kube_exec.h \
	core/kube_http.c core/kube_http.h \
	core/kube_client.c core/kube_client.h \
	core/kube_watch.c core/kube_watch.h \
	core/kube_store.c core/kube_store.h \
	core/rollout.c core/rollout.h \
	core/proc.c core/proc.h \
	core/plan.c core/plan.h \
	core/runner.c core/runner.h \
	core/manifests.c core/manifests.h \
	core/steps_kube.c core/steps_kube.h \
	core/steps_wait.c \
	core/steps_rollout.c \
	core/steps_delete.c \
	core/steps_check.c \
	core/checks.c core/checks.h core/checks_impl.h \
	core/checks_util.c core/checks_util.h \
	core/checks_resolve.c core/checks_resolve.h \
	core/checks_stores.c core/checks_stores.h \
	core/checks_env.c core/checks_env.h \
	core/checks_signatures.c core/checks_signatures.h \
	core/checks_cluster.c \
	core/checks_workloads.c \
	core/checks_secrets.c \
	core/checks_daemon.c \
	core/checks_migration.c \
	core/checks_postgres.c \
	core/checks_ingress.c \
	core/checks_irsa.c \
	core/checks_remote.c \
	core/redischeck.c \
	core/pgconn.c core/pgconn.h \
	core/sshtunnel.c core/sshtunnel.h core/sshtunnel_impl.h core/sshexec.c \
	core/sshknown.c core/sshknown.h \
	core/dify_alembic.c core/dify_alembic.h \
	core/tfjson.c core/tfjson.h \
	core/steps_native.h \
	core/steps_db.c core/steps_tf.c core/steps_helm.c core/steps_preflight.c \
	core/history.c core/history.h \
	core/upgrade.c core/upgrade.h core/steps_upgrade.c \
	core/redact.c core/redact.h \
	core/secret_mask.c core/secret_mask.h \
	core/bundle.c core/bundle.h core/bundle_write.c core/bundle_diag.c \
	core/bundle_collect.c core/bundle_collect.h

CORE_LIBS = core/libcore.a $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(PQ_LIBS) $(SSH2_LIBS) \
	$(HIREDIS_LIBS) $(CRYPTO_LIBS) -lm
