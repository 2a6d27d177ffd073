#!/bin/sh
# bench/kube_list.sh: how long the client takes to list N pods and what the
# store keeps of them. Not part of `make check`.
#
#   bench/kube_list.sh [N] [BUILDDIR]          (default 10000 pods)
#   bench/kube_list.sh --kubeconfig FILE       (against a real server or dify-sim)
#
# Without --kubeconfig it generates N pods (pages of 500, the client's page
# size) as a canned-reply case, serves it with tests/unit/test_kube_fakeserver
# (`make check` builds it) and runs `dify-tui get pods -A -o name --stats`,
# which prints the list time and the store's bytes per pod to stderr.
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--kubeconfig" ]; then
    builddir=${3:-$srcdir}
    exec "$builddir/dify-tui" --kubeconfig "$2" get pods -A -o name --stats >/dev/null
fi
n=${1:-10000}
builddir=${2:-$srcdir}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dify-tui-bench.XXXXXX")
export NO_PROXY=127.0.0.1,localhost
pid=
# The temporary directory goes whatever happens (pid is empty until the
# server runs; under set -u an unset one stopped this trap half way).
trap 'rm -rf "$tmp"; [ -z "$pid" ] || kill "$pid" 2>/dev/null || true' EXIT
trap 'exit 1' INT TERM
python3 - "$n" >"$tmp/case" <<'PY'
import json, sys, uuid
n = int(sys.argv[1]); page = 500
comps = ["api", "worker", "web", "sandbox", "plugin-daemon", "ssrf-proxy", "redis", "postgresql"]
def pod(i):
    c = comps[i % len(comps)]
    ns = "team-%d" % (i % 10)
    return {"metadata": {"name": "dify-%s-%07d" % (c, i), "namespace": ns,
        "uid": str(uuid.UUID(int=i)), "resourceVersion": str(1000 + i),
        "creationTimestamp": "2026-11-20T10:00:00Z",
        "labels": {"app.kubernetes.io/component": c, "app.kubernetes.io/instance": "dify",
                   "app.kubernetes.io/name": "dify", "pod-template-hash": "7d9f8c6b5"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "name": "dify-%s-7d9f8c6b5" % c, "uid": str(uuid.UUID(int=i + 10**9)),
            "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"nodeName": "ip-10-0-%d-%d.us-west-2.compute.internal" % (i % 4, i % 50),
                 "containers": [{"name": c, "image": "langgenius/dify-api:1.9.1",
                     "ports": [{"containerPort": 5001, "protocol": "TCP"}],
                     "env": [{"name": "MODE", "value": c}]}]},
        "status": {"phase": "Running", "podIP": "10.0.%d.%d" % (i // 250 % 250, i % 250),
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": c, "ready": True, "restartCount": i % 3,
                "image": "langgenius/dify-api:1.9.1", "started": True,
                "state": {"running": {"startedAt": "2026-11-20T10:01:00Z"}}}]}}
pages = [list(range(s, min(s + page, n))) for s in range(0, n, page)] or [[]]
for k, idx in enumerate(pages):
    q = "limit=500" + ("&continue=page%d" % k if k else "")
    meta = {"resourceVersion": str(1000 + n)}
    if k + 1 < len(pages):
        meta["continue"] = "page%d" % (k + 1)
    body = json.dumps({"kind": "PodList", "apiVersion": "v1", "metadata": meta,
                       "items": [pod(i) for i in idx]}, separators=(",", ":"))
    print("=== request\nGET /api/v1/pods?%s\n=== reply\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n%s" % (q, body))
PY
"$builddir/tests/unit/test_kube_fakeserver" "$tmp/case" "$tmp/port" "$tmp/report" &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.05
    i=$((i + 1))
done
if [ ! -s "$tmp/port" ]; then
    echo "bench/kube_list.sh: the canned-reply server did not start (case of $(($(wc -c <"$tmp/case") / 1048576)) MiB); see its message above" >&2
    exit 1
fi
cat >"$tmp/kubeconfig" <<EOK
current-context: bench
clusters: [{name: bench, cluster: {server: "http://127.0.0.1:$(cat "$tmp/port")"}}]
contexts: [{name: bench, context: {cluster: bench}}]
EOK
echo "pods: $n, reply JSON: $(($(wc -c <"$tmp/case") / 1024)) KiB"
/usr/bin/time -f "wall %e s, max RSS %M KiB (whole process)" \
    "$builddir/dify-tui" --kubeconfig "$tmp/kubeconfig" get pods -A -o name --stats >"$tmp/out"
echo "printed: $(wc -l <"$tmp/out") names"
