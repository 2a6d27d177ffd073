#!/bin/sh
# tests/completion.sh: `dify-tui completion bash|zsh` (docs/package.md).
# bash: the script is sourced into a real bash and its function is called as
# bash's completion calls it (COMP_WORDS, COMP_CWORD -> COMPREPLY). zsh: a
# real interactive zsh in a private tmux server, Tab pressed, the command
# line read back. Words come from the program's tables: every command of
# --help, a command's options, get's kinds from the kind registry, contexts
# and namespaces from the kubeconfig files, answers and secrets files.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new
BIN="$top_builddir/dify-tui"
W="$TEST_TMP/work"
mkdir -p "$W/deploy"
: >"$W/prod.yaml"
: >"$W/prod.secrets.yaml"
: >"$W/notes.txt"
cat >"$W/kc1" <<'EOF'
apiVersion: v1
kind: Config
current-context: kind-dev
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts:
  - name: kind-dev
    context: {cluster: c, user: u, namespace: dify}
  - name: "arn:aws:eks:us-west-2:111122223333:cluster/prod"
    context: {cluster: c, user: u, namespace: dify-prod}
EOF
cat >"$W/kc2" <<'EOF'
apiVersion: v1
kind: Config
contexts:
  - name: staging
    context: {cluster: c, user: u, namespace: stage}
EOF

check "completion bash exits 0" sh -c "'$BIN' completion bash >'$TEST_TMP/c.bash'"
check "completion zsh exits 0" sh -c "'$BIN' completion zsh >'$TEST_TMP/_dify-tui'"
"$BIN" completion fish >/dev/null 2>"$TEST_TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "usage: dify-tui completion bash|zsh" "$TEST_TMP/err"; then
    ok "another shell is a usage error (exit 2)"
else fail "completion fish exits $rc"; fi
check "completion keeps no log (it runs on every Tab)" \
    sh -c "! grep -q ': completion' '$DIFY_TUI_STATE/dify-tui.log' 2>/dev/null"

# comp WORDS...: what bash completes for the last word (words split as bash
# splits them), one per line, sorted.
comp() {
    (cd "$W" && KUBECONFIG=${KC:-} bash -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _dify_tui
        printf "%s\n" "${COMPREPLY[@]}"' bash "$TEST_TMP/c.bash" "$BIN" "$@" 2>&1 | sort)
}
# expect NAME WANT WORDS...: WANT is the completions, space-separated.
expect() {
    name=$1 want=$2
    shift 2
    got=$(comp "$@" | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$want" ]; then ok "bash: $name"; else
        fail "bash: $name: got '$got', want '$want'"
    fi
}

all=$("$BIN" --help | sed -n '/^commands:/,/^$/{/^  [a-z]/p}' | awk '{print $1}' | sort | tr '\n' ' ' | sed 's/ $//')
expect "every command of the command table" "$all" ""
expect "a command from its start" "get" ge
expect "global options before the command" "--context" --con
expect "a command's options from its usage" "--answers" validate --an
expect "render's options" "--from-terraform" render --answers a.yaml --fr
expect "the globals after the command too" "--namespace" get pods --names
expect "get's kinds from the kind registry" "deployments" get dep
kinds=$(comp get "" | tr '\n' ' ')
case "$kinds" in
*configmaps*persistentvolumeclaims*statefulsets*) ok "bash: get offers every kind" ;;
*) fail "bash: get offers every kind: $kinds" ;;
esac
expect "an option's choices" "json" get pods -o j
expect "no kinds once get has its kind" "" get pods -o json dep
expect "answers files, not secrets files or others" "deploy prod.yaml" validate --answers ""
expect "secrets files (and directories)" "deploy prod.secrets.yaml" validate --answers prod.yaml --secrets ""
expect "DIR options complete directories" "deploy" wizard --workdir ""
expect "contexts from --kubeconfig" "kind-dev" --kubeconfig "$W/kc1" --context kin
expect "namespaces from --kubeconfig" "dify dify-prod" --kubeconfig "$W/kc1" get pods -n dif
KC="$W/kc1:$W/kc2"
expect "contexts of every \$KUBECONFIG file" "staging" get --context st
expect "namespaces of every \$KUBECONFIG file" "stage" -n sta
KC=
got=$(cd "$W" && HOME="$W/nohome" "$BIN" completion --complete 2 dify-tui --context "")
if [ "$got" = ":words" ]; then ok "no kubeconfig: no contexts, no error"; else
    fail "no kubeconfig: got '$got'"; fi
expect "an unknown command offers nothing" "" frobnicate --an

# zsh, interactive, in tmux.
if ! need_tool zsh || ! need_tool tmux; then
    skip "zsh completes with Tab" "zsh or tmux is not installed (scripts/dev.sh installs them)"
    done_testing
    exit 0
fi
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server comp
PANE=z
mkdir -p "$TEST_TMP/zdot"
cat >"$TEST_TMP/zdot/.zshrc" <<EOF
PS1='%% '
fpath=($TEST_TMP \$fpath)
autoload -U compinit && compinit -u -d $TEST_TMP/zcompdump
export PATH=$top_builddir:\$PATH KUBECONFIG=$W/kc1:$W/kc2
cd $W
EOF
$T new-session -d -s z -x 150 -y 20 "env ZDOTDIR=$TEST_TMP/zdot HOME=$TEST_TMP/zdot TERM=xterm zsh -i"
last_line() { screen | grep -v '^$' | tail -n 1; }
line_is() { [ "$(last_line)" = "$1" ]; }
# zexpect NAME TYPED WANT: types TYPED, presses Tab, waits for the line WANT
# (tmux drops the space zsh adds after a completed word).
zexpect() {
    $T send-keys -t z C-u
    poll line_is "%" || diag "the line was not cleared"
    $T send-keys -t z -l "$2"
    $T send-keys -t z Tab
    if poll line_is "% $3"; then ok "zsh: $1"; else
        screen | sed 's/^/# | /'
        fail "zsh: $1: want '% $3'"
    fi
}
poll sh -c "$T capture-pane -p -t z | grep -q '^%'" || diag "zsh did not show its prompt"
# The file _dify-tui found through $fpath, as the package installs it.
zexpect "a command (the script autoloaded from \$fpath)" "dify-tui ge" "dify-tui get"
zexpect "a kind" "dify-tui get depl" "dify-tui get deployments"
zexpect "an option" "dify-tui validate --an" "dify-tui validate --answers"
zexpect "an answers file" "dify-tui validate --answers pr" "dify-tui validate --answers prod.yaml"
zexpect "a context from \$KUBECONFIG" "dify-tui --context sta" "dify-tui --context staging"
zexpect "a namespace" "dify-tui -n dify-p" "dify-tui -n dify-prod"
done_testing
