#!/bin/bash
# scripts/demo.sh: the program's main job on a machine with no cluster.
#   1. starts dify-sim, the local cluster simulator, with a Dify install in
#      namespace "dify" and a real PostgreSQL and Redis (assets/scenarios/
#      demo.yaml: the plugin daemon's stale password makes it crash-loop);
#   2. runs the install wizard (on a terminal) with its files in ./demo/;
#   3. applies what the wizard rendered to the simulator, when it rendered
#      manifests for an existing cluster, and shows what dify-tui's own
#      Kubernetes client reads back: pods and rollout status.
# Without a terminal (CI, a pipe) step 2 renders the answers already in the
# demo directory, or else a copy of assets/examples/existing-manifests.yaml,
# so the demo runs unattended too; it never replaces answers it finds.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
BUILD=${DIFY_BUILD_DIR:-$TOP}   # where dify-tui and sim/dify-sim were built
DEMO=${DIFY_DEMO_DIR:-$TOP/demo}
mkdir -p "$DEMO"
say() { printf '\n==> %s\n' "$*"; }

say "starting dify-sim (demo scenario) on 127.0.0.1"
rm -f "$DEMO/kubeconfig"
"$BUILD/sim/dify-sim" --scenario demo --speed 4 --kubeconfig-out "$DEMO/kubeconfig" \
    --log "$DEMO/dify-sim.log" &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    [ -s "$DEMO/kubeconfig" ] && break
    kill -0 $SIM 2>/dev/null || { echo "dify-sim exited; see $DEMO/dify-sim.log" >&2; exit 1; }
    sleep 0.1
done
export KUBECONFIG=$DEMO/kubeconfig
echo "kubeconfig: $KUBECONFIG (try: KUBECONFIG=$KUBECONFIG kubectl get pods -n dify)"

say "the cluster already runs Dify in namespace dify; its plugin daemon's Secret has a stale"
echo "    database password, which the cluster's real PostgreSQL refuses"
for _ in $(seq 1 60); do
    "$BUILD/dify-tui" get pods -n dify | grep -qE 'CrashLoopBackOff|Error' && break
    sleep 0.5
done
"$BUILD/dify-tui" get pods -n dify
if command -v kubectl >/dev/null; then
    kubectl -n dify logs deployment/dify-plugin-daemon --previous --tail=1 2>/dev/null ||
        kubectl -n dify logs deployment/dify-plugin-daemon --tail=1 || true
fi
# What the wizard renders logs in to that PostgreSQL and Redis (at
# dbnode0.example.com; assets/scenarios/demo.yaml) with their passwords.
export DIFY_DB_PASSWORD=demoDbPassw0rd2026abcd DIFY_REDIS_PASSWORD=demoRedisPassw0rd2026ab
echo "(the cluster's database: dbnode0.example.com:5432, user dify, password $DIFY_DB_PASSWORD)"

if [ -t 0 ] && [ -t 1 ]; then
    say "the install wizard (Esc leaves; the review page writes the files)"
    rc=0
    "$BUILD/dify-tui" wizard --workdir "$DEMO" || rc=$?
    [ $rc -eq 0 ] || echo "wizard left without writing files (exit $rc)"
else
    # Answers already in DEMO (the wizard's, or a person's) are theirs: they
    # are rendered as they are, never replaced by the example.
    if [ -e "$DEMO/answers.yaml" ]; then
        say "no terminal: rendering the answers already in $DEMO (kept as they are)"
    else
        say "no terminal: rendering assets/examples/existing-manifests.yaml instead of the wizard"
        cp -r -n "$TOP/assets/examples/files" "$DEMO/" 2>/dev/null || true
        cp -n "$TOP/assets/examples/existing-manifests.yaml" "$DEMO/answers.yaml"
    fi
    "$BUILD/dify-tui" render --answers "$DEMO/answers.yaml" --out "$DEMO/rendered"
fi

# Only an existing-cluster, manifests-method answer renders something this
# demo can apply to the simulator (Helm values need helm and a chart; Terraform
# needs AWS).
answer() { sed -n "s/^$1: *//p" "$DEMO/answers.yaml" 2>/dev/null | head -n 1; }
if [ "$(answer target)" = existing ] && [ "$(answer method)" = manifests ] &&
    [ -d "$DEMO/rendered/manifests" ] && command -v kubectl >/dev/null; then
    # The simulator already runs a Dify install in "dify": applying over it is
    # an upgrade, and its objects' previous manager gives way (--force-conflicts).
    say "applying demo/rendered/manifests to the simulator (kubectl apply --server-side)"
    kubectl apply --server-side --force-conflicts -f "$DEMO/rendered/manifests" | tail -n 4
    ns=$(sed -n 's/^  name: //p' "$DEMO/rendered/manifests/00-namespace.yaml" | head -n 1)
    say "waiting for the api rollout, as kubectl rollout status would (dify-tui's client)"
    "$BUILD/dify-tui" -n "$ns" rollout-status deployment/dify-api --timeout 90 || true
    say "pods in $ns, read by dify-tui's client"
    "$BUILD/dify-tui" get pods -n "$ns"
elif [ -d "$DEMO/rendered" ]; then
    say "rendered files are in demo/rendered (Helm values or Terraform: nothing to apply here)"
fi

say "pods in dify now, and the rollout status of every Deployment"
"$BUILD/dify-tui" get pods -n dify
for d in $("$BUILD/dify-tui" get deployments -n dify -o name); do
    "$BUILD/dify-tui" -n dify rollout-status "$d" --watch=false || true
done
say "done: files in $DEMO, simulator log in $DEMO/dify-sim.log"
