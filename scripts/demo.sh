#!/usr/bin/env bash
# The main job, offline: installs what is needed, builds, serves real pages of Debian's
# documentation (26 languages) on loopback, runs `server -w 10 -k 7` and `client 10` over them
# and shows the answers. Usage: scripts/demo.sh [N_URLS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
# Sourced first so that the exit trap also covers the installation and the build.
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
bash scripts/install-deps.sh
cmake --preset release > /dev/null
cleanup_fg cmake --build --preset release -j "$(nproc)" --target server client
corpus_start
corpus_urls "$count" > "$CORPUS_DIR/urls.txt"
echo "serving Debian's documentation at $CORPUS_URL; $count URLs in $CORPUS_DIR/urls.txt"

# Loopback is a private address: the server refuses it unless told otherwise.
server_start "$CORPUS_DIR" build/release/server/server -w 10 -k 7 --port 0 \
  --allow-private 127.0.0.1/32

kept=${TMPDIR:-/tmp}/wordcrawl-demo-answers.txt
echo "== client 10 (first 15 answers; all $count kept in $kept)"
status=0
cleanup_fg build/release/client/client 10 "$CORPUS_DIR/urls.txt" --port "$SERVER_PORT" \
  > "$CORPUS_DIR/answers.txt" || status=$?
# sed reads to the end: `| head -15` would leave it to die of SIGPIPE, which pipefail turns into
# the demo's exit status.
sed -n "1,15{s|$CORPUS_URL/||;p}" "$CORPUS_DIR/answers.txt"
echo "== server (last progress line)"
server_status=0
server_stop || server_status=$?
awk '/^processed/ {last = $0} END {print (last == "" ? "(no URL processed)" : last)}' \
  "$CORPUS_DIR/server.out"
echo "server exit status: $server_status"
echo "client exit status: $status"
cp "$CORPUS_DIR/answers.txt" "$kept"
echo "answers kept in $kept"
[ "$status" -ne 0 ] || status=$server_status
exit "$status"
