#!/usr/bin/env bash
# The main job, offline: installs what is needed, builds, serves real pages of Debian's
# documentation (26 languages) on loopback, runs `server -w 10 -k 7` and `client 10` over them
# and shows the answers. Usage: scripts/demo.sh [N_URLS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
bash scripts/install-deps.sh
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" --target server client
source scripts/lib/corpus.sh
source scripts/lib/server.sh
corpus_start
corpus_urls "$count" > "$CORPUS_DIR/urls.txt"
echo "serving Debian's documentation at $CORPUS_URL; $count URLs in $CORPUS_DIR/urls.txt"

# Loopback is a private address: the server refuses it unless told otherwise.
server_start "$CORPUS_DIR" build/release/server/server -w 10 -k 7 --port 0 \
  --allow-private 127.0.0.1/32

echo "== client 10 (first 15 answers; all $count in $CORPUS_DIR/answers.txt)"
status=0
build/release/client/client 10 "$CORPUS_DIR/urls.txt" --port "$SERVER_PORT" \
  > "$CORPUS_DIR/answers.txt" || status=$?
sed "s|$CORPUS_URL/||" "$CORPUS_DIR/answers.txt" | head -15
echo "== server (last progress line)"
server_stop || true
grep '^processed' "$CORPUS_DIR/server.out" | tail -1
echo "client exit status: $status"
cp "$CORPUS_DIR/answers.txt" "${TMPDIR:-/tmp}/wordcrawl-demo-answers.txt"
echo "answers kept in ${TMPDIR:-/tmp}/wordcrawl-demo-answers.txt"
exit "$status"
