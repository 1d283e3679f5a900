#!/usr/bin/env bash
# The cluster benchmark, one command, loopback only. Starts its own redis-server (never the
# system one) and measures
#   (1) scaling: bench/slow_upstream.py serving HOSTS hosts (127.0.0.1 .. 127.0.0.HOSTS), each
#       answer DELAY_MS late; for 1 .. NODES nodes (`server -w 10 --redis`, one Redis, a fresh
#       --cluster-name per run) one client with --servers listing every node sends the same
#       COUNT URLs. Prints URLs/s per node count and the ratio to one node (target: 3 nodes >=
#       2.7x one), the ideal (10 workers / DELAY_MS per node), the CPU share of client,
#       upstream, Redis and each node during the run (to tell which one is the limit), the
#       most fetches the upstream saw at once on one host (the cluster-wide --per-host, 4),
#       and as references curl --parallel-max 10*N over the same URLs, and curl with twice the
#       most in flight (the upstream's throughput ceiling).
#   (2) cost of the cluster path: CORPUS_COUNT pages of the offline nginx corpus
#       (scripts/lib/corpus.sh), one node `-w 10 -k 7` without --redis against one node with
#       --redis: median client wall time of RUNS runs each and their ratio (target <= 1.3),
#       the server's peak RSS (VmHWM, most of the runs; target < 40 MB a node) and the Redis
#       commands per URL (INFO commandstats: commands run inside Lua scripts count too; INFO
#       and CONFIG left out). Also one node with --redis --per-host 0: the corpus is one host,
#       so this shows what the cluster-wide host leases cost.
# It also draws (1) as a PNG plot with gnuplot, cluster-scaling.png next to the .dat it is drawn
# from, into PLOT_DIR (default build/bench-plots).
# Every process it starts is stopped when it exits, however it exits.
# Usage: bench/cluster-bench.sh        (environment knobs, with defaults:)
#   BUILD=build/release   build dir holding server/server and client/client (cmake --preset
#                         release && cmake --build --preset release --target server client)
#   COUNT=3000  NODES=3  HOSTS=100  DELAY_MS=50  THREADS=12  WINDOW=64  SCALE_RUNS=3
#                                    (scaling; the median of SCALE_RUNS rounds per node count)
#   CORPUS_COUNT=2000  RUNS=3                                             (cost)
#   PLOT_DIR=build/bench-plots                                            (plots)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
count=${COUNT:-3000}
max_nodes=${NODES:-3}
hosts=${HOSTS:-100}
delay_ms=${DELAY_MS:-50}
threads=${THREADS:-12}
window=${WINDOW:-64}
corpus_count=${CORPUS_COUNT:-2000}
runs=${RUNS:-3}
scale_runs=${SCALE_RUNS:-3}
workers=10
server=$build/server/server
client=$build/client/client
for binary in "$server" "$client"; do
  [ -x "$binary" ] || { echo "cluster-bench: $binary missing (build it, or set BUILD)" >&2; exit 2; }
done
command -v redis-server > /dev/null || { echo "cluster-bench: redis-server not installed" >&2; exit 2; }
# shellcheck source=bench/plots/plots.sh
source bench/plots/plots.sh
plots_init cluster-bench

# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
work=$(mktemp -d /tmp/wordcrawl-cluster.XXXXXX)
cleanup_add rm -rf "$work"
ulimit -n "$(ulimit -Hn)"
tick=$(getconf CLK_TCK)

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
# share T0 T1 WALL: CPU ticks T0 -> T1 over WALL seconds, in % of one core
share() { calc "f'{($2 - $1) / $tick / $3 * 100:.0f}%'"; }
hwm_mb() { awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2> /dev/null || echo 0; }

# --- Redis ------------------------------------------------------------------------------------
REDIS_PID=
redis_stop() {
  [ -n "$REDIS_PID" ] || return 0
  cleanup_stop "$REDIS_PID" 5 || true
  REDIS_PID=
}
redis_port=$(corpus_free_port)
mkdir -p "$work/redis"
cleanup_add redis_stop
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save "" \
  --appendonly no --daemonize no > "$work/redis/log" 2>&1 &
REDIS_PID=$!
redis_up() { redis-cli -p "$redis_port" ping 2> /dev/null | grep -q PONG || cleanup_gone "$REDIS_PID"; }
if ! poll_until 10 redis_up || cleanup_gone "$REDIS_PID"; then
  echo "cluster-bench: redis-server did not start" >&2
  cat "$work/redis/log" >&2
  exit 1
fi
redis_url=redis://127.0.0.1:$redis_port
redis_calls() {  # every command Redis has run so far but INFO and CONFIG (inside scripts too)
  redis-cli -p "$redis_port" INFO commandstats \
    | awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" && $1 !~ /^cmdstat_config/ {n += $3} END {print n + 0}'
}

# --- cluster nodes: server_start once per node, each in its own directory ----------------------
NODE_PIDS=()
NODE_PORTS=()
nodes_stop() {
  local pid
  [ "${#NODE_PIDS[@]}" -gt 0 ] || return 0
  for pid in "${NODE_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${NODE_PIDS[@]}"; do cleanup_stop "$pid" 10 || true; done
  NODE_PIDS=()
  NODE_PORTS=()
}
cleanup_add nodes_stop
nodes_start() {  # nodes_start N ARGS...: N nodes, each with the same ARGS
  local n=$1 i
  shift
  for ((i = 1; i <= n; i++)); do
    mkdir -p "$work/node$i"
    server_start "$work/node$i" "$server" --port 0 --rate-interval 3600 "$@"
    NODE_PIDS+=("$SERVER_PID")
    NODE_PORTS+=("$SERVER_PORT")
    SERVER_PID=  # now stopped by nodes_stop
  done
}

# --- slow upstream -------------------------------------------------------------------------------
UPSTREAM_PID=
UPSTREAM_PORT=
upstream_stop() {
  [ -n "$UPSTREAM_PID" ] || return 0
  cleanup_stop "$UPSTREAM_PID" 5 || true
  UPSTREAM_PID=
}
cleanup_add upstream_stop
upstream_listening_or_gone() {
  UPSTREAM_PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$work/upstream.out")
  [ -n "$UPSTREAM_PORT" ] || cleanup_gone "$UPSTREAM_PID"
}
upstream_start() {
  : > "$work/upstream.out"
  python3 bench/slow_upstream.py --hosts "$hosts" --port 0 --delay-ms "$delay_ms" \
    > "$work/upstream.out" 2> "$work/upstream.err" &
  UPSTREAM_PID=$!
  UPSTREAM_PORT=
  poll_until 20 upstream_listening_or_gone || true
  [ -n "$UPSTREAM_PORT" ] && return 0
  echo "cluster-bench: slow upstream did not start" >&2
  cat "$work/upstream.err" >&2
  return 1
}

# run_client OUT ARGS...: the client over ARGS, wall time and CPU to OUT.time/OUT.cpu; checks
# that every URL was answered without error
run_client() {
  local out=$1 t0 t1 status=0
  shift
  t0=$(now)
  cleanup_fg /usr/bin/time -f '%U %S' -o "$out.cpu" "$client" "$@" --no-progress \
    > "$out.answers" 2> "$out.err" || status=$?
  t1=$(now)
  calc "f'{$t1 - $t0:.3f}'" > "$out.time"
  if [ "$status" -ne 0 ]; then
    echo "cluster-bench: client exited with status $status:" >&2
    grep -v '^Command exited' "$out.err" | tail -5 >&2
    return 1
  fi
}

# --- (1) scaling ---------------------------------------------------------------------------------
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scaling: $count URLs over $hosts hosts answering after $delay_ms ms; nodes -w $workers;" \
  "client $threads threads, --window $window"
: > "$work/scaling.txt"
node_rss=0
: > "$work/curl.txt"
# Node counts interleaved within each round, so that a change in the machine's load (it is
# shared) falls on all of them alike.
for ((rep = 1; rep <= scale_runs; rep++)); do
for ((n = 1; n <= max_nodes; n++)); do
  upstream_start
  python3 bench/slow_upstream.py urls --hosts "$hosts" --port "$UPSTREAM_PORT" --count "$count" \
    > "$work/slow-urls.txt"
  nodes_start "$n" -w "$workers" -k 7 --allow-private 127.0.0.0/8 --redis "$redis_url" \
    --cluster-name "bench-$$-scale-$rep-$n"
  servers=$(printf '127.0.0.1:%s,' "${NODE_PORTS[@]}")
  node_cpu0=()
  for pid in "${NODE_PIDS[@]}"; do node_cpu0+=("$(cpu_ticks "$pid")"); done
  up_cpu0=$(cpu_ticks "$UPSTREAM_PID")
  redis_cpu0=$(cpu_ticks "$REDIS_PID")
  calls0=$(redis_calls)
  run_client "$work/scale$n" "$threads" "$work/slow-urls.txt" --servers "${servers%,}" \
    --window "$window"
  calls1=$(redis_calls)
  wall=$(cat "$work/scale$n.time")
  node_shares=
  for i in "${!NODE_PIDS[@]}"; do
    pid=${NODE_PIDS[i]}
    node_shares+=" $(share "${node_cpu0[i]}" "$(cpu_ticks "$pid")" "$wall")"
    rss=$(hwm_mb "$pid")
    node_rss=$(calc "max($node_rss, $rss)")
  done
  up_share=$(share "$up_cpu0" "$(cpu_ticks "$UPSTREAM_PID")" "$wall")
  redis_share=$(share "$redis_cpu0" "$(cpu_ticks "$REDIS_PID")" "$wall")
  client_share=$(awk -v w="$wall" '{printf "%.0f%%", ($1 + $2) / w * 100}' "$work/scale$n.cpu")
  nodes_stop
  # progress lines on stdout, one per URL the node fetched; the first line is "listening on"
  processed=
  for ((i = 1; i <= n; i++)); do
    processed+=" $(($(wc -l < "$work/node$i/server.out") - 1))"
  done
  upstream_stop
  per_host=$(python3 -c 'import json, sys; s = json.loads(sys.argv[1]); print(max(s["max_in_flight_per_host"].values()), s["max_in_flight"])' \
    "$(tail -1 "$work/upstream.out")")
  rate=$(calc "f'{$count / $wall:.1f}'")
  echo "$n $rate" >> "$work/scaling.txt"
  echo "  $n node(s), round $rep: $wall s, $rate URLs/s (ideal $((n * workers * 1000 / delay_ms)));" \
    "URLs per node:$processed; CPU client $client_share, upstream $up_share, redis $redis_share, nodes$node_shares;" \
    "upstream at most ${per_host% *} in flight per host, ${per_host#* } in all;" \
    "$(calc "f'{($calls1 - $calls0) / $count:.1f}'") Redis commands per URL"
  [ "$rep" -eq 1 ] || continue
  # The upstream's own ceiling at the same concurrency: curl keeping n * workers fetches in
  # flight over the same URLs, on a fresh upstream (so the per-host figure above is the nodes').
  upstream_start
  python3 bench/slow_upstream.py urls --hosts "$hosts" --port "$UPSTREAM_PORT" --count "$count" \
    | sed 's/.*/url = "&"\noutput = "\/dev\/null"/' > "$work/curl.conf"
  t0=$(now)
  cleanup_fg curl -s --parallel --parallel-max $((n * workers)) -K "$work/curl.conf" 2> /dev/null
  t1=$(now)
  upstream_stop
  echo "$n $(calc "f'{$count / ($t1 - $t0):.1f}'")" >> "$work/curl.txt"
done
done
# The upstream's throughput, with twice the most fetches in flight the nodes had: if it is well
# over the 3-node rate, the (single-threaded, Python) upstream is not what caps the nodes.
upstream_start
python3 bench/slow_upstream.py urls --hosts "$hosts" --port "$UPSTREAM_PORT" --count "$count" \
  | sed 's/.*/url = "&"\noutput = "\/dev\/null"/' > "$work/curl.conf"
up_cpu0=$(cpu_ticks "$UPSTREAM_PID")
t0=$(now)
cleanup_fg curl -s --parallel --parallel-max $((2 * max_nodes * workers)) -K "$work/curl.conf" 2> /dev/null
t1=$(now)
up_share=$(share "$up_cpu0" "$(cpu_ticks "$UPSTREAM_PID")" "$(calc "$t1 - $t0")")
upstream_stop
echo "$((2 * max_nodes * workers)) $(calc "f'{$count / ($t1 - $t0):.1f}'") $up_share" > "$work/ceiling.txt"
python3 - "$work" "$scale_runs" "$workers" "$delay_ms" "$PLOT_DIR/cluster-scaling.dat" <<'PY'
import collections, statistics, sys
work, runs, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
delay_ms, plot_data = float(sys.argv[4]), sys.argv[5]
def rates(name):
    by_n = collections.defaultdict(list)
    for line in open(f"{work}/{name}"):
        n, rate = line.split()
        by_n[int(n)].append(float(rate))
    return {n: statistics.median(v) for n, v in sorted(by_n.items())}
def line(by_n):
    base = by_n[1]
    return ", ".join(f"{n} node{'s' if n > 1 else ''} {r:.1f}" + (" URLs/s" if n == 1 else f" ({r / base:.2f}x)")
                     for n, r in by_n.items())
print(f"cluster scaling: {line(rates('scaling.txt'))}   (median of {runs})")
curl = rates("curl.txt")
print("  upstream alone, curl with 10 per node in flight: " + ", ".join(
    f"{n * workers} in flight {r:.1f} URLs/s ({r / curl[1]:.2f}x)" for n, r in curl.items()))
flight, rate, cpu = open(f"{work}/ceiling.txt").read().split()
print(f"  upstream ceiling: curl with {flight} in flight {float(rate):.1f} URLs/s, upstream CPU {cpu} of a core")
# For the plot: NODES MEDIAN_URLS_PER_S IDEAL CURL_URLS_PER_S
with open(plot_data, "w") as out:
    for n, rate in rates("scaling.txt").items():
        out.write(f"{n} {rate:.1f} {n * workers * 1000 / delay_ms:.1f} {curl.get(n, float('nan')):.1f}\n")
PY

# --- (2) cost of the cluster path ----------------------------------------------------------------
corpus_start
corpus_urls "$corpus_count" > "$work/corpus-urls.txt"
: > "$work/alone.txt"
: > "$work/redis.txt"
: > "$work/redis0.txt"
for ((r = 1; r <= runs; r++)); do
  for mode in alone redis redis0; do
    extra=()
    case $mode in
      redis) extra=(--redis "$redis_url" --cluster-name "bench-$$-cost-$r") ;;
      # no host leases: what the cluster-wide --per-host costs on a one-host corpus
      redis0) extra=(--redis "$redis_url" --cluster-name "bench-$$-cost0-$r" --per-host 0) ;;
    esac
    nodes_start 1 -w "$workers" -k 7 --allow-private 127.0.0.1/32 "${extra[@]}"
    redis-cli -p "$redis_port" CONFIG RESETSTAT > /dev/null
    run_client "$work/cost-$mode" 10 "$work/corpus-urls.txt" --port "${NODE_PORTS[0]}"
    echo "$(cat "$work/cost-$mode.time") $(hwm_mb "${NODE_PIDS[0]}")" >> "$work/$mode.txt"
    nodes_stop
    # from the first URL to the node's exit
    [ "$mode" = alone ] || redis-cli -p "$redis_port" INFO commandstats > "$work/stats-$mode-$r.txt"
  done
done
python3 - "$work" "$corpus_count" "$runs" "$node_rss" <<'PY'
import collections, glob, statistics, sys
work, n, runs, scale_rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
def commands(mode):  # per URL, by command; commands run inside Lua scripts are counted too
    total = collections.Counter()
    for name in glob.glob(f"{work}/stats-{mode}-*.txt"):
        for line in open(name):
            if line.startswith("cmdstat_") and not line.startswith(("cmdstat_info:", "cmdstat_config")):
                command, rest = line[len("cmdstat_"):].split(":", 1)
                total[command] += int(rest.split(",")[0].split("=")[1])
    return {c: v / (n * runs) for c, v in total.most_common()}
def describe(per_url):
    top = ", ".join(f"{c} {v:.1f}" for c, v in list(per_url.items())[:5])
    return f"{sum(per_url.values()):.1f} per URL ({top}, ...)"
def load(mode):
    rows = [list(map(float, line.split())) for line in open(f"{work}/{mode}.txt")]
    return statistics.median(r[0] for r in rows), max(r[1] for r in rows), [r[0] for r in rows]
alone, alone_rss, alone_all = load("alone")
redis, redis_rss, redis_all = load("redis")
redis0, redis0_rss, redis0_all = load("redis0")
with_redis, without_leases = commands("redis"), commands("redis0")
print(f"  runs: alone {' '.join(f'{t:.2f}' for t in alone_all)} s; "
      f"with --redis {' '.join(f'{t:.2f}' for t in redis_all)} s; "
      f"with --redis --per-host 0 {' '.join(f'{t:.2f}' for t in redis0_all)} s")
print(f"  Redis commands, inside scripts included: with --redis {describe(with_redis)}; "
      f"with --per-host 0 {describe(without_leases)}")
print(f"  with --redis --per-host 0 (no host leases; the corpus is one host): {redis0:.2f} s "
      f"({redis0 / alone:.2f}x), peak RSS {redis0_rss:.1f} MB")
print(f"cluster cost: corpus {n} URLs, alone {alone:.2f} s, with --redis {redis:.2f} s "
      f"({redis / alone:.2f}x); peak RSS {alone_rss:.1f} / {redis_rss:.1f} MB; "
      f"{sum(with_redis.values()):.1f} Redis calls per URL")
print(f"cluster nodes' peak RSS in the scaling runs: {scale_rss:.1f} MB at most (target < 40)")
PY
plot cluster-scaling subtitle="$count URLs over $hosts hosts answering after $delay_ms ms, client $threads threads --window $window, median of $scale_runs, $(nproc) cores"
echo "plots: $PLOT_DIR (cluster-scaling.png; .dat next to it)"
