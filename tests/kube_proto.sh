#!/bin/bash
# tests/kube_proto.sh: the protobuf encoding end to end against dify-sim
# (docs/kube.md, Protobuf). The server answers protobuf only to an Accept
# that puts it first, as a real API server does (kubectl's Table requests
# and */* get JSON); its bytes decode with protoc where it is installed;
# and `dify-tui get pods`, `status --json` and `get pods -w` print the same
# with protobuf (the default for pods) as with JSON forced by
# DIFY_TUI_KUBE_JSON=1, `get --stats` saying which encoding the pages came
# in. kubectl's typed requests (describe) take the server's protobuf.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool kubectl || ! need_tool curl; then
    skip "protobuf end to end" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --scenario demo --speed 20; then
    fail "dify-sim starts with the demo scenario"
    done_testing
    exit 1
fi
if wait_for 100 sh -c "kubectl get pods -n dify -o name | grep -q api"; then
    ok "dify-sim demo scenario is up"
else
    fail "dify-sim demo scenario is up"
fi
PB=application/vnd.kubernetes.protobuf

# ---- what the server answers to which Accept ----
ctype() { # ctype ACCEPT PATH: the reply's Content-Type
    curl -sk -o "$TEST_TMP/body" -D - -H "Authorization: Bearer $SIM_ADMIN" -H "Accept: $1" \
        "$SIM_SERVER$2" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Tt]ype: //p'
}
check "protobuf first: a protobuf pod list" test "$(ctype "$PB, application/json" /api/v1/namespaces/dify/pods)" = "$PB"
check "... in the k8s envelope" test "$(head -c 3 "$TEST_TMP/body")" = "k8s"
cp "$TEST_TMP/body" "$TEST_TMP/list.pb"
POD=$(kubectl get pods -n dify -o name | sed -n 1p | cut -d/ -f2)
check "protobuf first: a protobuf pod" test "$(ctype "$PB" "/api/v1/namespaces/dify/pods/$POD")" = "$PB"
check "JSON first: JSON" test "$(ctype "application/json, $PB" /api/v1/namespaces/dify/pods)" = "application/json"
check "*/*: JSON" test "$(ctype '*/*' /api/v1/namespaces/dify/pods)" = "application/json"
check "kubectl's Table: JSON" test "$(ctype "application/json;as=Table;v=v1;g=meta.k8s.io,$PB" /api/v1/namespaces/dify/pods)" = "application/json"
check "a kind without a writer: JSON" test "$(ctype "$PB, application/json" /apis/apps/v1/namespaces/dify/deployments)" = "application/json"
check "a watch: protobuf frames" test "$(ctype "$PB" '/api/v1/namespaces/dify/pods?watch=1&timeoutSeconds=1')" = "$PB;stream=watch"

if need_tool protoc; then
    # the envelope, then the list inside it, as protobuf's own decoder reads them
    if tail -c +5 "$TEST_TMP/list.pb" | protoc --decode_raw >"$TEST_TMP/raw.txt" 2>&1 &&
        grep -q '2: "PodList"' "$TEST_TMP/raw.txt" && grep -q "\"$POD\"" "$TEST_TMP/raw.txt"; then
        ok "protoc --decode_raw reads the list: its envelope (kind PodList) and the pods"
    else
        fail "protoc --decode_raw reads the list: its envelope (kind PodList) and the pods"
        sed 's/^/# /' "$TEST_TMP/raw.txt" | head -20
    fi
else
    skip "protoc --decode_raw reads the list" "protoc is not installed (Debian: protobuf-compiler)"
fi

# kubectl describe asks for protobuf (its typed client) and decodes it
P=$(kubectl describe pod -n dify "$POD" -v=8 2>&1)
if printf '%s\n' "$P" | grep -q "Content-Type: $PB" && printf '%s\n' "$P" | grep -q "^Name: *$POD"; then
    ok "kubectl describe pod takes the protobuf pod"
else
    fail "kubectl describe pod takes the protobuf pod"
    printf '%s\n' "$P" | grep -v round_trippers | head -20 | sed 's/^/# /'
fi

# ---- dify-tui: protobuf and JSON print the same ----
# same_both NAME FILTER ARGS...: dify-tui ARGS with protobuf and with JSON
# forced print the same (FILTER applied to both; the demo moves, so a few
# tries), and the protobuf run's pages came as protobuf where it lists.
same_both() {
    local name=$1 filter=$2 i
    shift 2
    for i in 1 2 3 4 5 6 7 8 9 10; do
        "$BIN" "$@" 2>"$TEST_TMP/pb.err" | $filter >"$TEST_TMP/pb.out"
        DIFY_TUI_KUBE_JSON=1 "$BIN" "$@" 2>"$TEST_TMP/js.err" | $filter >"$TEST_TMP/js.out"
        if [ -s "$TEST_TMP/pb.out" ] && cmp -s "$TEST_TMP/pb.out" "$TEST_TMP/js.out"; then
            ok "$name: the same with protobuf as with JSON"
            return
        fi
        sleep 0.3
    done
    fail "$name: the same with protobuf as with JSON"
    diff "$TEST_TMP/js.out" "$TEST_TMP/pb.out" | head -20 | sed 's/^/# /'
}
cat_all() { cat; }
# status --json: what moves between two runs (the clock, probe latencies) masked
mask_status() { sed -E 's/"(time|since|downSince|lastCheck|at)": "[^"]*"/"\1": T/; s/"(latencyMs|ageSeconds|age)": [0-9]+/"\1": N/'; }
same_both "get pods -A" cat_all get pods -A
same_both "get pods -o wide" cat_all -n dify get pods -o wide
same_both "status --json" mask_status -n dify status --json

"$BIN" -n dify get pods --stats >/dev/null 2>"$TEST_TMP/stats"
check "get --stats: the pages came as protobuf" grep -q "pages: 1 protobuf, 0 JSON" "$TEST_TMP/stats"
DIFY_TUI_KUBE_JSON=1 "$BIN" -n dify get pods --stats >/dev/null 2>"$TEST_TMP/stats"
check "DIFY_TUI_KUBE_JSON=1: the pages came as JSON" grep -q "pages: 0 protobuf, 1 JSON" "$TEST_TMP/stats"
"$BIN" -n dify get deployments --stats >/dev/null 2>"$TEST_TMP/stats"
check "a kind without a decoder: JSON" grep -q "pages: 0 protobuf, 1 JSON" "$TEST_TMP/stats"
"$BIN" -n dify get pods -o json >"$TEST_TMP/pods.json" 2>&1
check "get -o json (whole objects): JSON, with fields the projection does not keep" \
    grep -q '"imagePullPolicy"' "$TEST_TMP/pods.json"

# ---- get pods -w: the same rows as the stream's events arrive ----
kubectl create namespace side >/dev/null
"$BIN" -n side get pods -w >"$TEST_TMP/w-pb.out" 2>"$TEST_TMP/w-pb.err" &
W1=$!
DIFY_TUI_KUBE_JSON=1 "$BIN" -n side get pods -w >"$TEST_TMP/w-js.out" 2>"$TEST_TMP/w-js.err" &
W2=$!
sleep 1
for i in 1 2 3; do
    kubectl run "p$i" -n side --image=busybox --restart=Never >/dev/null
done
done_in() { [ "$(grep -cE ' Completed ' "$1")" -ge 3 ]; }
wait_for 150 done_in "$TEST_TMP/w-pb.out"
wait_for 150 done_in "$TEST_TMP/w-js.out"
kubectl delete pod p2 -n side --wait=false >/dev/null
sleep 2
kill "$W1" "$W2" 2>/dev/null
wait "$W1" "$W2" 2>/dev/null
mask_age() { sed -E 's/[0-9]+(s|m|h|d)[0-9]*(s|m|h)?$/AGE/' "$1"; }
if [ -s "$TEST_TMP/w-pb.out" ] && cmp -s <(mask_age "$TEST_TMP/w-js.out") <(mask_age "$TEST_TMP/w-pb.out"); then
    ok "get pods -w: the same rows with protobuf frames as with JSON lines"
else
    fail "get pods -w: the same rows with protobuf frames as with JSON lines"
    diff <(mask_age "$TEST_TMP/w-js.out") <(mask_age "$TEST_TMP/w-pb.out") | head -20 | sed 's/^/# /'
fi
check "get pods -w with protobuf: nothing on stderr" test ! -s "$TEST_TMP/w-pb.err"
sim_stop
done_testing
