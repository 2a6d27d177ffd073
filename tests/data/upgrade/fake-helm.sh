#!/bin/bash
# A stand-in helm for tests/upgrade_sim.sh: records its argv; "upgrade"
# applies the application rendered for the values' api tag (FAKE_HELM_APPS/TAG,
# the manifests method's objects) with kubectl and prints "REVISION: N", or
# fails as Helm's --wait does after applying when the tag is FAKE_HELM_FAIL;
# "rollback RELEASE N" applies revision N's objects again.
printf '%s\n' "$*" >>"$FAKE_HELM_LOG"
revs="$FAKE_HELM_APPS/revisions"
ns=
values=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
    --namespace | -n) ns=${args[$((i + 1))]} ;;
    -f) [ -z "$values" ] && values=${args[$((i + 1))]} ;;
    esac
done
apply() { kubectl apply --server-side --field-manager helm -n "$ns" -f "$FAKE_HELM_APPS/$1" >/dev/null; }
case "$1" in
version) echo v3.14.0+gfake ;;
repo) echo "\"$3\" has been added to your repositories" ;;
status)
    [ -s "$revs" ] || { echo 'Error: release: not found' >&2; exit 1; }
    echo "{\"name\":\"$2\",\"info\":{\"status\":\"deployed\"},\"version\":$(wc -l <"$revs")}" ;;
upgrade)
    tag=$(grep -A1 'repository: langgenius/dify-api' "$values" | sed -n 's/^ *tag: *//p' | tr -d "\"'" | head -1)
    [ -d "$FAKE_HELM_APPS/$tag" ] || { echo "Error: no application rendered for $tag" >&2; exit 1; }
    apply "$tag" || exit 1
    echo "$(($(wc -l <"$revs" 2>/dev/null || echo 0) + 1)) $tag" >>"$revs"
    if [ "$tag" = "${FAKE_HELM_FAIL:-}" ]; then
        echo 'Error: UPGRADE FAILED: context deadline exceeded (timed out waiting for the condition)' >&2
        exit 1
    fi
    echo "Release \"$3\" has been upgraded. Happy Helming!"
    echo "REVISION: $(wc -l <"$revs")" ;;
rollback)
    tag=$(awk -v r="$3" '$1 == r {print $2}' "$revs")
    [ -n "$tag" ] || { echo "Error: release has no $3 version" >&2; exit 1; }
    apply "$tag" || exit 1
    echo "$(($(wc -l <"$revs") + 1)) $tag" >>"$revs"
    echo "Rollback was a success! Happy Helming!" ;;
esac
exit 0
