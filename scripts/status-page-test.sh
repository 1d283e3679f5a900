#!/usr/bin/env bash
# The status page in a real browser: serves the offline corpus, starts a server with
# --status-port 0, loads the page in headless Chromium while the server is idle, then again
# while a client keeps it busy, and checks that both loads show the queue depth and the
# workers, and that the queue depth and the worker states changed between them (empty and idle,
# then filled and fetching). Saves a screenshot under load as build/status-page.png.
#   scripts/status-page-test.sh [BUILD_DIR]   (default build/release; needs server and client)
# Skipped, status 0, when chromium is not installed. Bounded: about 10 s, 60 s at most.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "status-page-test: skipped: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 0
fi
screenshot=$PWD/build/status-page.png
mkdir -p build

corpus_start
# The same 2000 pages ten times over: more than the test lasts, so the workers never run dry
# (the client is stopped at the end).
corpus_urls 2000 > "$CORPUS_DIR/pages.txt"
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$CORPUS_DIR/pages.txt"; done > "$CORPUS_DIR/urls.txt"
server_start "$CORPUS_DIR" "$build/server/server" -w 4 -k 5 --port 0 --status-port 0 \
  --queue 32 --allow-private 127.0.0.1/32
status_url=$(sed -n 's|^status on \(http://.*/\)$|\1|p' "$CORPUS_DIR/server.err")
[ -n "$status_url" ] || { echo "status-page-test: no 'status on' line" >&2; exit 1; }

# Each run gets a profile of its own under the corpus directory, removed with it; timeout bounds
# a browser that hangs.
run_browser() {  # run_browser NAME ARG...
  local name=$1
  shift
  timeout -k 5 30 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --user-data-dir="$CORPUS_DIR/chromium-$name" --virtual-time-budget=2500 "$@" \
    2> "$CORPUS_DIR/chromium-$name.log"
}

# What a load showed: queue depth, replies processed, each worker's state.
shown() {  # shown DOM_FILE
  local depth processed states
  depth=$(sed -n 's|.*id="queue-depth">\([0-9]*\)<.*|\1|p' "$1" | head -1)
  processed=$(sed -n 's|.*id="processed">\([0-9]*\)<.*|\1|p' "$1" | head -1)
  states=$(grep -o 'data-state="[a-z]*"' "$1" | sed 's/data-state=//; s/"//g' | tr '\n' ' ')
  echo "queue $depth, processed $processed, workers: $states"
}

failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "PASS $what"; else echo "FAIL $what"; failed=1; fi
}

run_browser idle --dump-dom "$status_url" > "$CORPUS_DIR/first.html" || true

CLIENT_PID=
stop_client() { [ -z "$CLIENT_PID" ] || cleanup_stop "$CLIENT_PID" 5 || true; CLIENT_PID=; }
cleanup_add stop_client
"$build/client/client" 4 "$CORPUS_DIR/urls.txt" --port "$SERVER_PORT" > /dev/null 2>&1 &
CLIENT_PID=$!
# Loaded: pages answered, so the client's URLs are flowing through the queue.
poll_until 10 grep -q '^processed 100 ' "$CORPUS_DIR/server.out" || true
run_browser loaded --dump-dom "$status_url" > "$CORPUS_DIR/second.html" || true
first=$(shown "$CORPUS_DIR/first.html")
second=$(shown "$CORPUS_DIR/second.html")
echo "idle load:   $first"
echo "loaded load: $second"
for load in first second; do
  check "$load load shows a queue depth" grep -q 'id="queue-depth">[0-9][0-9]*<' \
    "$CORPUS_DIR/$load.html"
  check "$load load shows 4 workers" [ "$(grep -o 'class="worker"' "$CORPUS_DIR/$load.html" | wc -l)" -eq 4 ]
done
check "idle: the queue is empty and every worker idle" \
  grep -q '^queue 0, processed [0-9]*, workers: \(idle \)\{4\}$' <<< "$first"
check "loaded: the queue depth has changed (above 0)" \
  grep -q '^queue [1-9][0-9]*,' <<< "$second"
check "loaded: the worker states have changed (one fetching or counting)" \
  grep -qE 'data-state="(fetching|counting)"' "$CORPUS_DIR/second.html"

rm -f "$screenshot"
run_browser shot --hide-scrollbars --window-size=900,370 --screenshot="$screenshot" \
  "$status_url" > /dev/null || true
check "screenshot saved as $screenshot" [ -s "$screenshot" ]

stop_client
server_status=0
server_stop || server_status=$?
check "server stopped gracefully (exit status $server_status)" [ "$server_status" -eq 0 ]
if [ "$failed" -ne 0 ]; then
  tail -n 5 "$CORPUS_DIR"/chromium-*.log >&2 || true
  echo "status-page-test: FAILED"
  exit 1
fi
echo "status-page-test: passed; screenshot in $screenshot"
