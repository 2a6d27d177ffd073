#!/bin/bash
# bench/sim_scale.sh: the speed and memory targets of issue 11 at N pods
# (docs/bench.md). Starts dify-sim with N bare pods in namespace "load"
# (assets/scenarios/bulk.yaml's shape, with CHANGES annotation changes a
# second), waits until they run, then measures in the same run:
#   - the simulator: RSS per pod against the pod's JSON size, idle CPU over
#     IDLE seconds, an unpaged GET and a paged one (limit=500) of the pods;
#   - the references: curl's unpaged GET, kubectl get pods -n load -o name;
#   - the client: dify-tui get pods -n load -o name --stats (wall, CPU per
#     pod, store), its peak RSS; bench/kube_watch: the watched store's
#     first sync (paged, then streaming), RSS, CPU and the latency of the
#     simulator's changes over WATCH seconds; dify-tui status once (time
#     and peak RSS) and status --watch (RSS and CPU while it watches).
# Prints one "key value" line a measure (the README table's rows).
# Not part of the test suite.
#   bench/sim_scale.sh [N] [BUILD_DIR]     (N default 10000; CHANGES=0 IDLE=10
#                                           WATCH=20; KUBECTL=0 leaves kubectl out)
set -eu
n=${1:-10000}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$src}
changes=${CHANGES:-0}
idle=${IDLE:-10}
. "$src/bench/simup.sh"
bulk_setup dify-sim-scale "$n" "$changes"
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

t0=$(now)
sim_up --history 20000
echo "sim_up_s $(secs "$t0" "$(now)")"
sim_creds
get() { curl -sk -H "Authorization: Bearer $token" "$server$1"; }
i=0
until get "/api/v1/namespaces/load/pods?fieldSelector=status.phase%3DPending&limit=1" |
    grep -q '"items":\[\]'; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "pods still Pending after 600 s" >&2; exit 1; }
    sleep 1
done
echo "sim_running_s $(secs "$t0" "$(now)")"
# steady means Ready: at 100,000 pods the last ones turn Ready seconds after
# none is Pending, and the simulated kubelet's work then is not idle CPU
i=0
until [ "$(get "/api/v1/namespaces/load/pods" | grep -o '"type":"Ready","status":"True"' |
    wc -l)" -ge "$n" ]; do
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "pods still not Ready after 300 tries" >&2; exit 1; }
    sleep 1
done
echo "sim_ready_s $(secs "$t0" "$(now)")"
sleep 2

# The simulator at rest: CPU over $idle seconds, memory against the JSON.
c0=$(cpu_ticks)
sleep "$idle"
c1=$(cpu_ticks)
hz=$(getconf CLK_TCK)
echo "sim_idle_cpu_pct $(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.1f", (b - a) * 100 / hz / s}')"

# References: curl's one unpaged GET (best of 3) in the encoding the client
# asks for (protobuf for pods, JSON with DIFY_TUI_KUBE_JSON=1: the same
# bytes for a fair ratio), kubectl (pages of 500).
accept="application/vnd.kubernetes.protobuf, application/json"
if [ -n "${DIFY_TUI_KUBE_JSON:-}" ] && [ "$DIFY_TUI_KUBE_JSON" != 0 ]; then
    accept=application/json
fi
best=
for k in 1 2 3; do
    t=$(now)
    curl -sk -H "Authorization: Bearer $token" -H "Accept: $accept" \
        "$server/api/v1/namespaces/load/pods" >"$tmp/ref"
    d=$(secs "$t" "$(now)")
    best=$(awk -v a="${best:-1e9}" -v b="$d" 'BEGIN {print (b < a) ? b : a}')
done
echo "curl_accept ${accept%%,*}"
echo "curl_bytes $(wc -c <"$tmp/ref")"
get "/api/v1/namespaces/load/pods" >"$tmp/raw"
bytes=$(wc -c <"$tmp/raw")
echo "curl_unpaged_s $best"
curl_s=$best
echo "list_json_bytes $bytes"
echo "json_bytes_per_pod $((bytes / n))"
rss=$(rss_kb)
echo "sim_rss_mb $((rss / 1024))"
echo "sim_rss_per_pod_bytes $((rss * 1024 / n))"
awk -v r="$rss" -v b="$bytes" 'BEGIN {printf "sim_rss_per_json_ratio %.1f\n", r * 1024 / b}'
# The reading above is taken just after the simulator served the four lists
# (130-260 MB each), whose buffers it hands back to the system at most once
# a second (sim/store.c store_trim): the steady figure is the one after that.
sleep 2
rss=$(rss_kb)
echo "sim_rss_settled_mb $((rss / 1024))"
echo "sim_rss_settled_per_pod_bytes $((rss * 1024 / n))"
awk -v r="$rss" -v b="$bytes" 'BEGIN {printf "sim_rss_settled_per_json_ratio %.1f\n", r * 1024 / b}'

# The same list in pages of 500 over one connection, as a client pages.
python3 - "$server" "$token" >"$tmp/paged" <<'PY'
import http.client, re, ssl, sys, time, urllib.parse
server, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlsplit(server)
ctx = ssl._create_unverified_context()
best = None
for _ in range(3):
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
    t = time.monotonic(); cont = ""; pages = 0; size = 0
    while True:
        q = "/api/v1/namespaces/load/pods?limit=500" + ("&continue=" + cont if cont else "")
        c.request("GET", q, headers={"Authorization": "Bearer " + token})
        body = c.getresponse().read(); pages += 1; size += len(body)
        m = re.search(rb'"continue":"([^"]*)"', body[:400])
        if not m:
            break
        cont = m.group(1).decode()
    d = time.monotonic() - t
    best = d if best is None or d < best else best
    c.close()
print("sim_paged_s %.3f" % best)
print("sim_paged_pages %d" % pages)
PY
cat "$tmp/paged"
paged=$(awk '/sim_paged_s/ {print $2}' "$tmp/paged")
awk -v p="$paged" -v u="$best" 'BEGIN {printf "sim_paged_over_unpaged %.2f\n", p / u}'

if [ "${KUBECTL:-1}" = 1 ]; then
    t=$(now)
    /usr/bin/time -f "%M" -o "$tmp/ktime" kubectl get pods -n load -o name >"$tmp/kubectl.out"
    echo "kubectl_name_s $(secs "$t" "$(now)")"
    echo "kubectl_peak_rss_mb $(($(tail -1 "$tmp/ktime") / 1024))"
fi

# The client: same list, its own CPU and store, then its peak RSS.
best=
for k in 1 2 3; do
    t=$(now)
    "$build/dify-tui" --kubeconfig "$KUBECONFIG" get pods -n load -o name --stats \
        >"$tmp/client.out" 2>"$tmp/client.err"
    d=$(secs "$t" "$(now)")
    if [ -z "$best" ] || awk -v a="$best" -v b="$d" 'BEGIN {exit !(b < a)}'; then
        best=$d
        cp "$tmp/client.err" "$tmp/client.best"
    fi
done
echo "client_list_s $best"
awk -v s="$best" -v c="$curl_s" 'BEGIN {printf "client_list_over_curl %.2f\n", s / c}'
sed -n 's/.*CPU \([0-9.]*\) ms, \([0-9.]*\) us per object.*store \([0-9]*\).*/client_cpu_ms \1\nclient_cpu_us_per_pod \2\nclient_store_bytes \3/p' \
    "$tmp/client.best"
sed 's/^/# client: /' "$tmp/client.best"
if [ -f "$tmp/kubectl.out" ]; then
    cmp -s "$tmp/client.out" "$tmp/kubectl.out" && echo "client_same_names_as_kubectl yes" ||
        echo "client_same_names_as_kubectl NO"
fi
/usr/bin/time -f "%M" -o "$tmp/time" "$build/dify-tui" --kubeconfig "$KUBECONFIG" \
    get pods -n load -o name >/dev/null
echo "client_peak_rss_mb $(($(cat "$tmp/time") / 1024))"

# The first complete overview: dify-tui status (one shot: every kind it
# watches listed, the model derived, the report printed), best of 3.
curl_best=$curl_s
best=
for k in 1 2 3; do
    t=$(now)
    "$build/dify-tui" --kubeconfig "$KUBECONFIG" --namespace load status >/dev/null 2>&1 || true
    d=$(secs "$t" "$(now)")
    best=$(awk -v a="${best:-1e9}" -v b="$d" 'BEGIN {print (b < a) ? b : a}')
done
echo "status_s $best"
awk -v s="$best" -v c="$curl_best" 'BEGIN {printf "status_over_curl %.2f\n", s / c}'
/usr/bin/time -f "%M" -o "$tmp/time" "$build/dify-tui" --kubeconfig "$KUBECONFIG" --namespace load \
    status >/dev/null 2>&1 || true
echo "status_peak_rss_mb $(($(tail -1 "$tmp/time") / 1024))"

# status --watch: the model kept up to date. Its RSS once the first look is
# printed (the output stopped growing) and its peak; its CPU over $idle
# seconds with the CHANGES a second (probes every 5 s included).
"$build/dify-tui" --kubeconfig "$KUBECONFIG" --namespace load status --watch \
    >"$tmp/watch.out" 2>/dev/null &
wpid=$!
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; }; kill "$wpid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
i=0
until [ -s "$tmp/watch.out" ] && s1=$(wc -c <"$tmp/watch.out") && sleep 0.5 &&
    [ "$s1" = "$(wc -c <"$tmp/watch.out")" ]; do
    i=$((i + 1))
    [ $i -gt 240 ] && break
    sleep 0.5
done
wrss() { awk -v k="$1" '$1 == k ":" {print int($2 / 1024)}' "/proc/$wpid/status"; }
echo "status_watch_rss_mb $(wrss VmRSS)"
w0=$(awk '{print $14 + $15}' "/proc/$wpid/stat")
sleep "$idle"
w1=$(awk '{print $14 + $15}' "/proc/$wpid/stat")
echo "status_watch_cpu_pct $(awk -v a="$w0" -v b="$w1" -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.1f", (b - a) * 100 / hz / s}')"
echo "status_watch_rss_end_mb $(wrss VmRSS)"
echo "status_watch_rss_peak_mb $(wrss VmHWM)"
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null || true

# Watching (the store's path of get -w, status --watch and the dashboard):
# a paged list then WATCH seconds of the CHANGES a second; then the same
# with a streaming list (sendInitialEvents), until synced only.
if [ -x "$build/bench/kube_watch" ]; then
    "$build/bench/kube_watch" --kubeconfig "$KUBECONFIG" --namespace load \
        --seconds "${WATCH:-20}" | sed 's/^/watch_paged_/'
    # (its latencies are of changes queued while it listed: left out)
    "$build/bench/kube_watch" --kubeconfig "$KUBECONFIG" --namespace load --seconds 1 \
        --stream | grep -E '^(pods|streamed|synced|rss_synced|store)' | sed 's/^/watch_stream_/'
else
    echo "# bench/kube_watch not built (make check builds it)"
fi
echo "sim_rss_end_mb $(($(rss_kb) / 1024))"
