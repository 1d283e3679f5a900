#!/usr/bin/env bash
# Load test, loopback only and bounded in time: 1,000 concurrent client connections push
# 100,000 distinct URLs (1,000 small generated pages, each under 100 query strings) through one
# server. Checks that every URL is answered exactly once and without error, and that the
# server's peak RSS stays flat: the 100,000-URL run may not need more than 1.5x (+8 MB) the
# memory of a 10,000-URL run. Usage: bench/load-test.sh BUILD_DIR [CONNECTIONS] [URLS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: load-test.sh BUILD_DIR [CONNECTIONS] [URLS]}
connections=${2:-1000}
total=${3:-100000}
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
pages=$(mktemp -d /tmp/wordcrawl-pages.XXXXXX)
cleanup_add rm -rf "$pages"
chmod 755 "$pages"  # nginx workers run unprivileged
python3 - "$pages/load" <<'PY'
import os, random, sys
os.makedirs(sys.argv[1], mode=0o755)
rng = random.Random(7)
vocabulary = "thread queue worker socket answer word page count lock wait notify server client".split()
for i in range(1000):
    words = " ".join(rng.choice(vocabulary) for _ in range(300))
    with open(f"{sys.argv[1]}/p{i}.html", "w") as out:
        out.write(f"<!doctype html><title>page {i}</title><p>{words}</p>\n")
PY
CORPUS_ROOT=$pages
CORPUS_TREES=(load)
corpus_start
ulimit -n "$(ulimit -Hn)"
work=$CORPUS_DIR

run() {  # run URLS -> prints "seconds peak_rss_mb", checks every answer
  local urls=$1
  python3 -c "import sys; base = sys.argv[1]; n = int(sys.argv[2]); sys.stdout.writelines(f'{base}/load/p{i % 1000}.html?n={i}\n' for i in range(n))" \
    "$CORPUS_URL" "$urls" > "$work/urls.txt"
  server_start "$work" /usr/bin/time -v -o "$work/server.time" "$bin/server/server" -w 8 -k 3 \
    --port 0 --allow-private 127.0.0.1/32 --rate-interval 3600
  local t0 t1
  t0=$(date +%s.%N)
  cleanup_fg timeout 900 "$bin/client/client" "$connections" "$work/urls.txt" \
    --port "$SERVER_PORT" --json > "$work/answers.jsonl" 2> "$work/client.err" \
    || { tail -5 "$work/client.err" >&2; return 1; }
  t1=$(date +%s.%N)
  server_stop || true
  python3 - "$work" <<'PY' >&2
import collections, json, sys
work = sys.argv[1]
sent = open(f"{work}/urls.txt").read().split()
answers = [json.loads(line) for line in open(f"{work}/answers.jsonl")]
seen = collections.Counter(a["url"] for a in answers)
lost = [u for u in sent if seen[u] == 0]
twice = [u for u, n in seen.items() if n > 1]
errors = [a for a in answers if "error" in a]
print(f"load: {len(sent)} sent, {len(answers)} answers, {len(lost)} lost, "
      f"{len(twice)} answered twice, {len(errors)} errors")
for a in errors[:5]:
    print("  ", a)
sys.exit(1 if lost or twice or errors else 0)
PY
  awk -F': ' -v t0="$t0" -v t1="$t1" '/Maximum resident set size/ {printf "%.2f %.1f\n", t1 - t0, $2/1024}' "$work/server.time"
}

# Plain calls, not process substitutions, so that a failed check stops the script.
run $((total / 10)) > "$work/small.txt"
run "$total" > "$work/large.txt"
read -r small_time small_rss < "$work/small.txt"
read -r large_time large_rss < "$work/large.txt"
echo "load: $connections connections, $((total / 10)) URLs in ${small_time} s, server peak RSS ${small_rss} MB"
echo "load: $connections connections, $total URLs in ${large_time} s ($(python3 -c "print(f'{$total / $large_time:.0f}')") URLs/s), server peak RSS ${large_rss} MB"
python3 -c "import sys; small, large = map(float, sys.argv[1:]); ok = large <= 1.5 * small + 8; print('load: memory flat' if ok else f'load: memory grew from {small} to {large} MB'); sys.exit(0 if ok else 1)" "$small_rss" "$large_rss"
