#!/usr/bin/env bash
# End to end over real pages: serves N pages of Debian's documentation on loopback, runs
# `server -w 10 -k 7` and `client 10` over them, then checks that every URL got exactly one
# answer, that none failed, and that each answer's top-7 is what count_words computes from the
# same file on disk. Usage: scripts/corpus-check.sh BUILD_DIR [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: corpus-check.sh BUILD_DIR [N]}
count=${2:-2000}
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
corpus_start
work=$CORPUS_DIR
corpus_urls "$count" > "$work/urls.txt"

server_start "$work" "$build/server/server" -w 10 -k 7 --port 0 --allow-private 127.0.0.1/32

start=$(date +%s.%N)
cleanup_fg "$build/client/client" 10 "$work/urls.txt" --port "$SERVER_PORT" --json \
  > "$work/answers.jsonl"
end=$(date +%s.%N)
server_stop || { echo "server exited with status $?"; exit 1; }

sed "s|^$CORPUS_URL/|$CORPUS_ROOT/|" "$work/urls.txt" > "$work/files.txt"
xargs -a "$work/files.txt" -d '\n' "$build/tools/count_words" -k 7 --content-type text/html \
  > "$work/expected.tsv"

python3 - "$work" "$CORPUS_URL" "$CORPUS_ROOT" "$count" <<'PY'
import collections, json, sys
work, base, root, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
urls = open(f"{work}/urls.txt").read().split()
answers = [json.loads(line) for line in open(f"{work}/answers.jsonl")]
seen = collections.Counter(a["url"] for a in answers)
expected = {}
for line in open(f"{work}/expected.tsv", encoding="utf-8"):
    path, words = line.rstrip("\n").split("\t", 1)
    expected[base + path[len(root):]] = json.loads(words)
problems = []
problems += [f"{u}: answered {seen[u]} times" for u in urls if seen[u] != 1]
problems += [f"{u}: answered but never sent" for u in seen if u not in set(urls)]
for a in answers:
    if "error" in a:
        problems.append(f"{a['url']}: error {a['error']}")
    elif list(a["words"].items()) != list(expected[a["url"]].items()):
        problems.append(f"{a['url']}: top-7 {a['words']} != {expected[a['url']]}")
for p in problems[:20]:
    print(p)
print(f"corpus: {len(urls)} URLs sent, {len(answers)} answers, "
      f"{len(answers) - len(problems)} correct, {len(problems)} problems")
sys.exit(1 if problems or len(urls) != count else 0)
PY
tail -1 "$work/server.out"
python3 -c 'import sys; print(f"corpus: wall time {float(sys.argv[2]) - float(sys.argv[1]):.2f} s for {sys.argv[3]} URLs")' "$start" "$end" "$count"
