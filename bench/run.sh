#!/usr/bin/env bash
# The end-to-end benchmark, one command: builds the release preset, serves ~4,000 real pages of
# Debian's documentation from nginx on loopback, and measures in one run
#   (a) server -w 10 -k 7 + client 10 over N of those URLs: wall time, URLs/s, peak RSS and CPU
#       seconds of server and client; robots.txt obeyed (the default), and again with
#       --robots ignore, so that the cost of the one robots.txt fetch per origin shows
#   (b) curl --parallel --parallel-max 10 fetching the same URLs (same Accept-Encoding),
#       discarding them: the fetch-only floor
#   (c) the word kernel alone against `wc -w` on the same bytes (bench/kernel_bench)
#   plus throughput for -w 1, 2, 4, 10 and the client's peak RSS for 10,000 and 1,000,000 URLs.
# Each timing is the median of RUNS runs. Usage: bench/run.sh [N] [RUNS]   (default 2000 5)
# It also draws PNG plots with gnuplot, each next to the .dat file it is drawn from, into
# PLOT_DIR (default build/bench-plots): throughput against -w, the wall times of (a) and (b),
# and the per-URL fetch and kernel times of the first run (a), scraped from the server's
# /metrics (--status-port) once the client is done and before the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
runs=${2:-5}
# Sourced first so that the exit trap also covers the installation and the build.
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
# shellcheck source=bench/plots/plots.sh
source bench/plots/plots.sh
plots_init bench/run.sh
bash scripts/install-deps.sh > /dev/null
cmake --preset release > /dev/null
cleanup_fg cmake --build --preset release -j "$(nproc)" --target server client kernel_bench \
  > /dev/null
bin=build/release
corpus_start
work=$CORPUS_DIR
corpus_urls "$count" > "$work/urls.txt"
ulimit -n "$(ulimit -Hn)"

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }
# peak RSS in MB and CPU seconds from a `/usr/bin/time -v` report
rss_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }
cpu_s() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u+s}' "$1"; }

start_server() {  # start_server WORKERS [SERVER OPTION...]
  local workers=$1
  shift
  server_start "$work" /usr/bin/time -v -o "$work/server.time" "$bin/server/server" -w "$workers" \
    -k 7 --port 0 --allow-private 127.0.0.1/32 --rate-interval 3600 "$@"
}

# The server's /metrics go to this file in the next run_once (its server options must include
# --status-port 0); empty: no scrape.
METRICS_OUT=
scrape_metrics() {
  local status_url=
  status_line() {
    status_url=$(sed -n 's|^status on \(http://.*/\)$|\1|p' "$work/server.err")
    [ -n "$status_url" ] || cleanup_gone "$SERVER_PID"
  }
  poll_until 10 status_line || true
  [ -n "$status_url" ] || { echo "no 'status on' line from the server" >&2; return 1; }
  cleanup_fg curl -sf --max-time 10 -o "$METRICS_OUT" "${status_url}metrics"
}

# one end-to-end run; prints "seconds server_rss server_cpu client_rss client_cpu"
run_once() {  # run_once WORKERS URL_FILE [SERVER OPTION...]
  local workers=$1 urls=$2
  shift 2
  start_server "$workers" "$@"
  local t0 t1
  t0=$(now)
  cleanup_fg /usr/bin/time -v -o "$work/client.time" "$bin/client/client" 10 "$urls" \
    --port "$SERVER_PORT" > "$work/answers.txt" 2> "$work/client.err" || true
  t1=$(now)
  [ -z "$METRICS_OUT" ] || scrape_metrics
  server_stop || true
  local answered
  answered=$(wc -l < "$work/answers.txt")
  [ "$answered" -eq "$(wc -l < "$urls")" ] || {
    echo "only $answered answers; client stderr ends:" >&2
    tail -5 "$work/client.err" >&2
    return 1
  }
  echo "$(python3 -c "print(f'{$t1 - $t0:.3f}')") $(rss_mb "$work/server.time") \
$(cpu_s "$work/server.time") $(rss_mb "$work/client.time") $(cpu_s "$work/client.time")"
}

column() { cut -d' ' -f"$1" "$work/a.txt" | median; }

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)"
echo "corpus: $count URLs of $(corpus_urls 100000 | wc -l) pages, median of $runs runs"

: > "$work/a.txt"
# The first run also serves /metrics: its fetch and kernel histograms are the latency plot.
METRICS_OUT=$work/metrics.txt
run_once 10 "$work/urls.txt" --status-port 0 >> "$work/a.txt"
METRICS_OUT=
for _ in $(seq 2 "$runs"); do run_once 10 "$work/urls.txt" >> "$work/a.txt"; done
a_time=$(column 1)
a_columns="$(column 2) $(column 3) $(column 4) $(column 5)"
: > "$work/a.txt"
for _ in $(seq 1 "$runs"); do
  run_once 10 "$work/urls.txt" --robots ignore >> "$work/a.txt"
done
ignore_time=$(column 1)

sed 's/.*/url = "&"\noutput = "\/dev\/null"/' "$work/urls.txt" > "$work/curl.conf"
: > "$work/b.txt"
for _ in $(seq 1 "$runs"); do
  t0=$(now)
  cleanup_fg curl -s --parallel --parallel-max 10 --compressed -K "$work/curl.conf" 2> /dev/null
  t1=$(now)
  python3 -c "print(f'{$t1 - $t0:.3f}')" >> "$work/b.txt"
done
b_time=$(median < "$work/b.txt")

# shellcheck disable=SC2086  # a_columns holds four numbers
python3 - "$count" "$a_time" "$b_time" $a_columns "$ignore_time" <<'PY'
import sys
n, a, b, srss, scpu, crss, ccpu, ignore = sys.argv[1:]
n, a, b, ignore = int(n), float(a), float(b), float(ignore)
print(f"(a) server -w 10 -k 7 + client 10: {a:.2f} s, {n / a:.0f} URLs/s, "
      f"server peak RSS {srss} MB, CPU {scpu} s; client peak RSS {crss} MB, CPU {ccpu} s")
print(f"    the same with --robots ignore: {ignore:.2f} s, {n / ignore:.0f} URLs/s "
      f"(obeying costs {100 * (a - ignore) / ignore:+.1f}%)")
print(f"(b) curl --parallel --parallel-max 10: {b:.2f} s, {n / b:.0f} URLs/s")
print(f"ratio (a)/(b): {a / b:.2f}  (target <= 3)")
PY

echo "scaling (URLs/s, median of $runs):"
: > "$PLOT_DIR/throughput-workers.dat"
for workers in 1 2 4 10; do
  : > "$work/w.txt"
  # Not piped: a pipeline would run the server in a subshell, whose exit does not stop it.
  for _ in $(seq 1 "$runs"); do
    run_once "$workers" "$work/urls.txt" > "$work/run.txt"
    cut -d' ' -f1 "$work/run.txt" >> "$work/w.txt"
  done
  python3 -c "import sys; print(f'  -w {sys.argv[1]:>2}: {int(sys.argv[2]) / float(sys.argv[3]):.0f} URLs/s')" \
    "$workers" "$count" "$(median < "$work/w.txt")"
  python3 -c "import sys; print(f'{sys.argv[1]} {int(sys.argv[2]) / float(sys.argv[3]):.1f}')" \
    "$workers" "$count" "$(median < "$work/w.txt")" >> "$PLOT_DIR/throughput-workers.dat"
done

# Client memory against input length: lines the server answers without fetching (unsupported
# scheme), so only the client's streaming is measured.
for lines in 10000 1000000; do
  python3 -c "import sys; sys.stdout.writelines(f'ftp://example.org/{i}\n' for i in range(int(sys.argv[1])))" \
    "$lines" > "$work/many.txt"
  start_server 1
  cleanup_fg /usr/bin/time -v -o "$work/client.time" "$bin/client/client" 10 "$work/many.txt" \
    --port "$SERVER_PORT" > /dev/null 2>&1 || true
  server_stop || true
  echo "client peak RSS for $lines URLs: $(rss_mb "$work/client.time") MB"
done

echo "(c) word kernel:"
# Its ratio to wc -w, then where the time goes: per stage and per script family.
"$bin/bench/kernel_bench" 2>&1 | sed -n '/^corpus:/,$p' | grep -vE '^\s*$'

# --- plots -------------------------------------------------------------------------------------
subtitle="$count URLs of the nginx corpus on loopback, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '"(a) server + client" %s\n"(a) --robots ignore" %s\n"(b) curl --parallel 10" %s\n' \
  "$a_time" "$ignore_time" "$b_time" > "$PLOT_DIR/wall-times.dat"
# The cumulative _bucket{le=...} lines of one histogram as per-bucket counts, each labelled with
# its range: INDEX "RANGE" COUNT CUMULATIVE_FRACTION.
histogram_dat() {  # histogram_dat METRIC OUT
  python3 - "$work/metrics.txt" "$1" > "$2" <<'PY'
import re, sys
path, name = sys.argv[1], sys.argv[2]
buckets = []
for line in open(path):
    m = re.match(name + r'_bucket\{le="([^"]+)"\} (\S+)$', line.strip())
    if m:
        buckets.append((float(m.group(1)), float(m.group(2))))
if not buckets or buckets[-1][0] != float("inf"):
    sys.exit(f"no histogram {name} in {path}")
def bound(s):
    return f"{s * 1000:g} ms" if s < 1 else f"{s:g} s"
def span(lo, hi):
    a, b = bound(lo).split(), bound(hi).split()
    return f"{a[0]}–{b[0]} {b[1]}" if a[1] == b[1] else f"{bound(lo)}–{bound(hi)}"
total, below, low = buckets[-1][1], 0.0, None
for i, (le, cumulative) in enumerate(buckets):
    label = f"≤{bound(le)}" if low is None else (f">{bound(low)}" if le == float("inf") else span(low, le))
    print(f'{i} "{label}" {cumulative - below:.0f} {cumulative / total if total else 0:.4f}')
    below, low = cumulative, le
PY
}
histogram_dat wordcrawl_fetch_duration_seconds "$PLOT_DIR/latency-fetch.dat"
histogram_dat wordcrawl_kernel_duration_seconds "$PLOT_DIR/latency-kernel.dat"
cp "$work/metrics.txt" "$PLOT_DIR/latency-metrics.txt"
plot throughput-workers subtitle="$subtitle, median of $runs runs"
plot wall-times subtitle="$subtitle, median of $runs runs"
plot latency subtitle="$subtitle, server -w 10 -k 7 + client 10, robots.txt obeyed"
echo "plots: $PLOT_DIR (throughput-workers.png, wall-times.png, latency.png; .dat next to them)"

# Optional: CLUSTER_BENCH=1 bench/run.sh also runs the cluster benchmark on the same build.
[ -z "${CLUSTER_BENCH:-}" ] || cleanup_fg env BUILD="$bin" PLOT_DIR="$PLOT_DIR" bench/cluster-bench.sh
