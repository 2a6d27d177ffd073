#!/bin/bash
# scripts/demo.sh: the program's main job on a machine with no cluster.
#   1. starts dify-sim, the local cluster simulator, with a Dify install in
#      namespace "dify" (assets/scenarios/demo.yaml: one component crash-loops);
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

say "waiting for the scripted failure: the plugin daemon's database password is wrong"
for _ in $(seq 1 60); do
    "$BUILD/dify-tui" get pods -n dify | grep -qE 'CrashLoopBackOff|Error' && break
    sleep 0.5
done
"$BUILD/dify-tui" get pods -n dify
say "rollout status of every Deployment in dify"
for d in $("$BUILD/dify-tui" get deployments -n dify -o name); do
    "$BUILD/dify-tui" -n dify rollout-status "$d" --watch=false || true
done
if command -v kubectl >/dev/null; then
    say "the plugin daemon's last log lines (kubectl logs --previous)"
    kubectl -n dify logs deployment/dify-plugin-daemon --previous --tail=2 2>/dev/null ||
        kubectl -n dify logs deployment/dify-plugin-daemon --tail=2 || true
    echo "(28P01: the daemon's DB_PASSWORD does not match the database's: see"
    echo " docs/sources.md, 'the failures people hit'; diagnostics come in later work)"
fi
say "done: files in $DEMO, simulator log in $DEMO/dify-sim.log"
