#!/bin/sh
# tests/data/kube/exec-plugin.sh: a stand-in for `aws eks get-token`. Counts
# its runs in $COUNTER_FILE and answers tok-N; EXEC_MODE=fail|garbage|slow|expired
# makes it misbehave; linger|linger-garbage leave a process behind that keeps
# its stdout open after it exits. It refuses to run without KUBERNETES_EXEC_INFO.
[ -n "$KUBERNETES_EXEC_INFO" ] || { echo "KUBERNETES_EXEC_INFO is not set" >&2; exit 3; }
n=$(cat "$COUNTER_FILE" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$COUNTER_FILE"
case "${EXEC_MODE:-}" in
fail) echo "error: no credentials for profile dify" >&2; exit 1 ;;
garbage) echo "this is not JSON"; exit 0 ;;
slow) sleep 5 ;;
linger | linger-garbage)
    sleep 5 &
    [ "$EXEC_MODE" = linger-garbage ] && { echo '{"kind":"ExecCred'; exit 0; }
    ;;
expired)
    printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"expirationTimestamp":"2001-01-01T00:00:00Z","token":"tok-%s"}}\n' "$n"
    exit 0
    ;;
esac
printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2099-01-01T00:00:00Z","token":"tok-%s"}}\n' "$n"
