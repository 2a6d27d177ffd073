#!/bin/sh
# scripts/demo.sh: the program's main job on a machine with no cluster. Starts
# the interactive wizard with its files kept in ./demo/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p demo
exec ./dify-tui wizard --workdir demo
