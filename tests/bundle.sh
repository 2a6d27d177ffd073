#!/bin/sh
# tests/bundle.sh: `dify-tui bundle` on a broken install in the simulator
# (the demo: the plugin daemon's Secret has a stale database password, so it
# crash-loops against the real PostgreSQL), with a Helm release installed by
# the real helm, an answers file whose secrets file holds a value that is
# nowhere else, and a state directory with a journal, a log and a binary
# file. The bundle is unpacked with tar and scanned: no secret value
# anywhere (plain or base64), equal secrets carry equal tokens and unequal
# ones differ, every token in the bundle is a row of the redaction report
# (same file, same line), the binary file is left out and listed, and with
# --no-redact (which asks first and marks the name) it is there byte for
# byte. The preview lists the files and writes nothing when declined. A custom
# resource (a CustomResourceDefinition and an instance in the namespace, with
# a secret-looking field) is in the bundle as YAML, that field redacted.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl || ! need_tool tar || ! need_tool base64; then
    skip "support bundle" "kubectl, curl, tar or base64 is not installed"
    done_testing
    exit 0
fi
if ! need_stores; then
    skip "support bundle" "$STORES_WHY"
    done_testing
    exit 0
fi
tmpdir_new
T=$TEST_TMP
export DIFY_TUI_STATE="$T/state-home"
DT="$top_builddir/dify-tui"

if ! sim_start --speed 20 --scenario demo --log "$T/sim.log"; then
    fail "dify-sim starts the demo"
    done_testing
    exit 1
fi
NS=dify
daemon_restarted() {
    n=$(kubectl get pods -n $NS -l component=plugin-daemon \
        -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}' 2>/dev/null)
    [ "${n:-0}" -ge 1 ]
}
check "the plugin daemon crash-loops (restarted at least once)" wait_for 150 daemon_restarted

# Values that must not leave the machine, and where they are.
URL_ONLY=urlOnlyPassw0rd77
CM_ONLY=cmOnlyPassw0rd55
PROFILE_ONLY=profileOnlySecretKey2026xyz
STATE_ONLY=journalOnlyPassw0rd31
HELM_ONLY=helmOnlyPassw0rd42
kubectl apply -n $NS -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: dify-extra}
data:
  DATABASE_URL: postgresql://dify:demoDbPassw0rd2026abcd@dify-postgresql:5432/dify
  S3_URL: https://backup:$URL_ONLY@s3.example.com/bucket
  SMTP_PASSWORD: $CM_ONLY
EOF
# A custom resource in the namespace: found through discovery, redacted as the rest.
CR_ONLY=crdOnlyAccessKey2026zz
CR_FILE=objects/backups.dify.example.com.yaml
kubectl apply -f - >/dev/null <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: backups.dify.example.com}
spec:
  group: dify.example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
EOF
kubectl wait --for condition=established --timeout=20s crd/backups.dify.example.com >/dev/null
kubectl apply -n $NS -f - >/dev/null <<EOF
apiVersion: dify.example.com/v1alpha1
kind: Backup
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  s3: {bucket: dify-backups, secretAccessKey: $CR_ONLY}
EOF
check "a custom resource is applied in the namespace" \
    sh -c "kubectl get backups -n $NS -o name | grep -q nightly"
HELM_OK=
if need_tool helm; then
    mkdir -p "$T/chart/templates"
    printf 'apiVersion: v2\nname: mini\nversion: 0.1.0\n' >"$T/chart/Chart.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mini\ndata:\n  a: b\n' \
        >"$T/chart/templates/cm.yaml"
    if helm install mini "$T/chart" -n $NS --kubeconfig "$KUBECONFIG" \
        --set auth.password=$HELM_ONLY >"$T/helm.out" 2>&1; then
        HELM_OK=1
    else
        sed 's/^/# /' "$T/helm.out"
    fi
fi

# The install's files: answers, secrets (0600), state directory.
cp "$top_srcdir/assets/examples/existing-cluster.yaml" "$T/inst.yaml"
printf 'secret_key: %s\n' "$PROFILE_ONLY" >"$T/inst.secrets.yaml"
chmod 600 "$T/inst.secrets.yaml"
mkdir -p "$T/inst.state"
printf '{"time":1796800000,"event":"started","step":"","fields":{"what":"install"}}\n' \
    >"$T/inst.state/journal.jsonl"
printf 'step db: connecting\nDB_PASSWORD=%s\nkey %s in use\n' "$STATE_ONLY" "$PROFILE_ONLY" \
    >"$T/inst.state/steps.log"
printf '\177ELF\000\001\002\377binary plan\000' >"$T/inst.state/tfplan"

# Every Secret value in the namespace (decoded), and the values above.
kubectl get secrets -n $NS -o go-template='{{range .items}}{{range $k, $v := .data}}{{$v}}{{"\n"}}{{end}}{{end}}' \
    >"$T/secret-b64"
: >"$T/values"
while read -r b; do
    v=$(printf '%s' "$b" | base64 -d 2>/dev/null | tr -d '\000')
    # helm's release Secret is gzip inside base64: its base64 is what counts
    if [ "${#v}" -ge 6 ] && printf '%s' "$v" | grep -q '^[[:print:]]*$'; then
        printf '%s\n' "$v" >>"$T/values"
    fi
    printf '%s\n' "$b" >>"$T/values"
done <"$T/secret-b64"
for v in $URL_ONLY $CM_ONLY $PROFILE_ONLY $STATE_ONLY $CR_ONLY; do printf '%s\n' "$v" >>"$T/values"; done
[ -n "$HELM_OK" ] && printf '%s\n' "$HELM_ONLY" >>"$T/values"
diag "$(wc -l <"$T/values") values to look for"

# --- bad input: exit 2, nothing written
"$DT" bundle --out "$T/z.tar.gz" --db nope >/dev/null 2>"$T/z.err"
check "--db that is not HOST:PORT is bad input (exit 2)" test $? -eq 2
"$DT" bundle --yes >/dev/null 2>>"$T/z.err"
check "no --out is bad input (exit 2)" test $? -eq 2
check "bad input writes nothing" sh -c "! ls '$T'/z.tar.gz* >/dev/null 2>&1"

# --- the preview, declined: lists the files, writes nothing
printf 'n\n' | "$DT" bundle --answers "$T/inst.yaml" --out "$T/p.tar.gz" >"$T/p.out" 2>"$T/p.err"
rc=$?
check "declining the preview exits 1" test "$rc" -eq 1
check "the preview lists the files" sh -c "grep -q 'objects/secrets.yaml' '$T/p.out' && grep -q 'plugin-daemon.previous.log' '$T/p.out'"
check "the preview names the binary file left out" grep -q 'installer/tfplan' "$T/p.out"
check "the preview lists the custom resource's file" grep -q "$CR_FILE" "$T/p.out"
check "declined: nothing written" sh -c "! ls '$T'/p.tar.gz* >/dev/null 2>&1"

# --- the redacted bundle
if ! "$DT" bundle --answers "$T/inst.yaml" --out "$T/b.tar.gz" --yes >"$T/b.out" 2>"$T/b.err"; then
    sed 's/^/# /' "$T/b.err"
    fail "bundle --yes writes the bundle"
    done_testing
    exit 1
fi
ok "bundle --yes writes the bundle"
mkdir "$T/x"
check "tar unpacks it" tar xzf "$T/b.tar.gz" -C "$T/x"
B=$(ls -d "$T"/x/dify-bundle-* 2>/dev/null | head -1)
check "everything is under one dify-bundle-* directory" test "$(ls "$T/x" | wc -l)" -eq 1
for f in objects/secrets.yaml objects/configmaps.yaml objects/pods.yaml events.txt \
    installer/journal.jsonl installer/steps.log manifest.json redaction-report.md; do
    check "it holds $f" test -s "$B/$f"
done
check "it holds the crash-looping daemon's previous log" sh -c "ls '$B'/logs/dify-plugin-daemon-*/plugin-daemon.previous.log >/dev/null"
check "the previous log shows the 28P01 failure" sh -c "grep -q 28P01 '$B'/logs/dify-plugin-daemon-*/plugin-daemon.previous.log"
check "it holds the diagnostics report (JSON and Markdown)" test -s "$B/diagnostics/report.json" -a -s "$B/diagnostics/report.md"
check "redaction leaves the report's words alone (no token for 'plugin')" sh -c "grep -q 'plugin daemon' '$B/diagnostics/report.md' && ! grep -q 'dify-REDACTED' '$B/objects/deployments.yaml'"
check "the diagnostics report finds the crash-looping plugin daemon" sh -c "grep -A3 '^## Failures' '$B/diagnostics/report.md' | grep -q DT- && grep -qi 'plugin' '$B/diagnostics/report.md'"
if [ -n "$HELM_OK" ]; then
    check "it holds the Helm release's values and history" test -s "$B/helm/mini/values.yaml" -a -s "$B/helm/mini/history.yaml"
else
    skip "Helm values and history" "helm is not installed or could not install into dify-sim"
fi

leaks=0
while read -r v; do
    [ -z "$v" ] && continue
    if grep -rqF -- "$v" "$B"; then
        diag "a secret value is in $(grep -rlF -- "$v" "$B" | head -3 | tr '\n' ' ')"
        leaks=$((leaks + 1))
    fi
    e=$(printf '%s' "$v" | base64 -w0)
    if [ "${#v}" -ge 6 ] && grep -rqF -- "$e" "$B"; then
        diag "the base64 of a secret value is in $(grep -rlF -- "$e" "$B" | head -3 | tr '\n' ' ')"
        leaks=$((leaks + 1))
    fi
done <"$T/values"
check "no secret value anywhere in the bundle, plain or base64 ($leaks found)" test "$leaks" -eq 0

# Tokens by place, from the report (columns: file, line, what, rule, token).
token_of() { # WHAT
    awk -F'|' -v w="$1" 'index($4, w) { gsub(/ /, "", $(NF-1)); print $(NF-1); exit }' \
        "$B/redaction-report.md"
}
t1=$(token_of "Secret dify/dify-secrets: data.REDIS_PASSWORD")
t2=$(token_of "Secret dify/dify-plugin-daemon: data.REDIS_PASSWORD")
k1=$(token_of "Secret dify/dify-secrets: data.PLUGIN_DAEMON_KEY")
k2=$(token_of "Secret dify/dify-plugin-daemon: data.SERVER_KEY")
d1=$(token_of "Secret dify/dify-secrets: data.DB_PASSWORD")
d2=$(token_of "Secret dify/dify-plugin-daemon: data.DB_PASSWORD")
u1=$(token_of "ConfigMap dify/dify-extra: data.DATABASE_URL")
diag "tokens: redis $t1 $t2, daemon key $k1 $k2, db $d1 $d2, url $u1"
check "equal secrets, equal tokens (the Redis password in two Secrets)" test -n "$t1" -a "$t1" = "$t2"
check "equal secrets, equal tokens (the api's daemon key and the daemon's server key)" test -n "$k1" -a "$k1" = "$k2"
check "unequal secrets, unequal tokens (the daemon's stale database password)" test -n "$d1" -a -n "$d2" -a "$d1" != "$d2"
check "a URL's password has the same token as the same value in a Secret" test "$u1" = "$d1"
check "the token is in the Secret's YAML" grep -q "REDIS_PASSWORD: $t1" "$B/objects/secrets.yaml"

# Every token in the bundle is a report row with the same file and line.
(cd "$B" && grep -rnoE 'REDACTED-[0-9a-f]{12}' --exclude='redaction-report.*' . |
    sed 's|^\./||' | awk -F: '{print $1 " " $2 " " $3}' | sort) >"$T/found"
awk -F'|' 'NR > 2 && $2 ~ /[a-z]/ { f=$2; l=$3; t=$(NF-1); gsub(/ /, "", f); gsub(/ /, "", l); gsub(/ /, "", t); print f " " l " " t }' \
    "$B/redaction-report.md" | grep -v '^file ' | sort >"$T/listed"
check "the bundle has redacted values ($(wc -l <"$T/found"))" test "$(wc -l <"$T/found")" -ge 15
if cmp -s "$T/found" "$T/listed"; then
    ok "the redaction report lists each hidden occurrence (file, line, token)"
else
    diff "$T/found" "$T/listed" | head -20 | sed 's/^/# /'
    fail "the redaction report lists each hidden occurrence (file, line, token)"
fi
check "the report names the profile's secret by place" grep -q 'installer/steps.log' "$B/redaction-report.md"
check "the custom resource is in the bundle as YAML ($CR_FILE)" \
    sh -c "grep -q 'name: nightly' '$B/$CR_FILE' && grep -q 'kind: Backup' '$B/$CR_FILE' && grep -q 'bucket: dify-backups' '$B/$CR_FILE'"
check "its secret-looking field is a token, listed in the report" \
    sh -c "grep -qE 'secretAccessKey: .*REDACTED-[0-9a-f]{12}' '$B/$CR_FILE' && grep -q '$CR_FILE' '$B/redaction-report.md'"

# The binary file: left out, listed with its digest.
check "the binary file is left out under redaction" test ! -e "$B/installer/tfplan"
sum=$(sha256sum "$T/inst.state/tfplan" | cut -d' ' -f1)
check "manifest.json lists it as left out with its sha256" sh -c "grep -q '\"installer/tfplan\"' '$B/manifest.json' && grep -q '$sum' '$B/manifest.json'"
check "the redaction report lists it" grep -q 'installer/tfplan' "$B/redaction-report.md"

# --- --no-redact: asks first, marks the name, keeps bytes
printf 'n\n' | "$DT" bundle --answers "$T/inst.yaml" --no-redact --out "$T/u.tar.gz" >"$T/u0.out" 2>"$T/u0.err"
rc=$?
check "--no-redact asks first" grep -q 'in clear. Continue?' "$T/u0.err"
check "--no-redact declined: exit 1, nothing written" sh -c "[ $rc -eq 1 ] && ! ls '$T'/u*.tar.gz >/dev/null 2>&1"
printf 'y\ny\n' | "$DT" bundle --answers "$T/inst.yaml" --no-redact --out "$T/u.tar.gz" >"$T/u.out" 2>"$T/u.err"
check "--no-redact accepted writes u.UNREDACTED.tar.gz" test -s "$T/u.UNREDACTED.tar.gz" -a ! -e "$T/u.tar.gz"
mkdir "$T/y"
tar xzf "$T/u.UNREDACTED.tar.gz" -C "$T/y"
U=$(ls -d "$T"/y/dify-bundle-* 2>/dev/null | head -1)
check "its directory is marked UNREDACTED too" sh -c "case '$U' in *-UNREDACTED) true ;; *) false ;; esac"
check "it says so inside" test -s "$U/UNREDACTED.txt"
check "the binary file is there byte for byte" cmp "$T/inst.state/tfplan" "$U/installer/tfplan"
check "values are in clear (so the redacted bundle's absence of them means something)" grep -rqF "$URL_ONLY" "$U"

# --- Ctrl-C at the question: the program ends, nothing is written
mkfifo "$T/answer"
"$DT" bundle --answers "$T/inst.yaml" --out "$T/c.tar.gz" <"$T/answer" >"$T/c.out" 2>"$T/c.err" &
CPID=$!
exec 3>"$T/answer"
asked() { grep -q 'Write it?' "$T/c.err"; }
if wait_for 150 asked; then
    kill -INT $CPID
    exec 3>&- # were the signal swallowed, end of input would answer no (status 1)
    wait $CPID
    rc=$?
    check "Ctrl-C at the question ends the program (status $rc, 130 = SIGINT)" test "$rc" -eq 130
    check "Ctrl-C at the question: nothing written" sh -c "! ls '$T'/c.tar.gz* >/dev/null 2>&1"
else
    kill $CPID 2>/dev/null
    exec 3>&-
    fail "the bundle command asks before writing"
fi

sim_stop
done_testing
