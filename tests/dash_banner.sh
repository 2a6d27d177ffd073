#!/bin/bash
# tests/dash_banner.sh: the dashboard's unreachable banner says the error
# and the host briefly, for an API server given by an IPv4 address and as
# an IPv6 literal (https://[::1]:PORT), each on a closed port. For IPv6 curl names
# the host without its brackets ("Failed to connect to ::1 port N after M
# ms: ..."), so the whole message was kept and cut at the screen's edge
# before the reason; and for both, the kubeconfig entry the client adds
# to a transport error ("(FILE: context ...: server \"https://...\")") was
# taken for the reason: its last ": " ended curl's message.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the unreachable banner" tmux python3 curl

# kubeconfig FILE HOST PORT: a context "down" for https://HOST:PORT
kubeconfig() {
    cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: down
  cluster: {server: "https://$2:$3", insecure-skip-tls-verify: true}
users:
- name: down
  user: {token: tok}
contexts:
- name: down
  context: {cluster: down, user: down, namespace: dify}
current-context: down
YAML
}
# free_port FAMILY ADDRESS: a port nothing listens on (bound, then let go)
free_port() {
    python3 -c 'import socket, sys; s = socket.socket(getattr(socket, sys.argv[1])); s.bind((sys.argv[2], 0)); print(s.getsockname()[1])' "$@"
}

tmux_server dash-banner
# banner HOST PORT: the dashboard against https://HOST:PORT (nothing there)
# at 80 columns: the banner's second line is the reason and the host
banner() {
    kubeconfig "$TEST_TMP/kc" "$1" "$2"
    export KUBECONFIG="$TEST_TMP/kc"
    curl -sk "https://$1:$2/version" -o /dev/null -w '%{errormsg}\n' >"$TEST_TMP/curl" 2>&1
    diag "curl: $(cat "$TEST_TMP/curl")"
    DASH_CONTEXT=down dash_open dify 80 24
    check "$1: the banner says the API server is unreachable" wait_for "API server unreachable since"
    local h=${1//[/\\[}
    h=${h//]/\\]}
    check "... the reason, then the host, whole at 80 columns" \
        wait_re "^ reconnecting: (Couldn't connect to server|Connection refused) \\($h:$2\\) *\$"
    check "... not curl's whole message, nor the kubeconfig entry" \
        sh -c "! { $(declare -f screen); T='$T'; PANE=$PANE; screen; } | grep -q -e 'Failed to connect' -e 'server \"https'"
    keys ':' 'q' Enter
    check ":q leaves with exit 0" wait_for "EXIT=0"
}

banner 127.0.0.1 "$(free_port AF_INET 127.0.0.1)"
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    banner '[::1]' "$(free_port AF_INET6 ::1)"
else
    skip "the unreachable banner for an IPv6 API host" "no IPv6 loopback (::1) here"
fi
done_testing
