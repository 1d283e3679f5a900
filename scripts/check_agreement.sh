#!/usr/bin/env bash
# Agreement check of the C++ word kernel against the independent Python reference: counts the
# top words of N pages (default 10) from each language of the Debian handbook and from the
# Python manual with both tools, and compares them line by line.
#   scripts/check_agreement.sh [N_PER_LANG]
#   OPTIONS="--stopwords auto --stem" scripts/check_agreement.sh [N_PER_LANG]
#   scripts/check_agreement.sh --all-options [N_PER_LANG]
# OPTIONS are count_words word options (--stopwords, --stem, --content main, --stats); the stop
# lists and stem language count_words reports per page are passed to the reference, and words,
# counts, total_words and distinct_words are compared. --all-options runs no options, each
# option alone and all together, one agreement line per mode.
# Environment: COUNT_WORDS (default: the newest build/*/tools/count_words), K (words per page,
# default 20), PYTHON (default /usr/bin/python3, which has python3-html5lib and python3-icu).
# Prints "agreement: X/Y pages identical" and every difference; exits 1 if there is any.
set -euo pipefail

all_options=
if [ "${1:-}" = --all-options ]; then
  all_options=1
  shift
fi
per_lang=${1:-10}
k=${K:-20}
python=${PYTHON:-/usr/bin/python3}
root=$(cd "$(dirname "$0")/.." && pwd)
handbook=/usr/share/doc/debian-handbook/html
pydocs=/usr/share/doc/python3.11/html

count_words=${COUNT_WORDS:-}
if [ -z "$count_words" ]; then
  count_words=$(find "$root"/build -path '*/tools/count_words' -type f -printf '%T@ %p\n' \
    2>/dev/null | sort -rn | sed -n '1s/^[^ ]* //p' || true)
fi
if [ -z "$count_words" ] || [ ! -x "$count_words" ]; then
  echo "check_agreement: count_words not found; build the count_words target or set COUNT_WORDS" >&2
  exit 2
fi
for tree in "$handbook" "$pydocs"; do
  [ -d "$tree" ] || { echo "check_agreement: $tree is missing (scripts/install-deps.sh)" >&2; exit 2; }
done

# shellcheck source=scripts/lib/cleanup.sh
source "$root/scripts/lib/cleanup.sh"
work=$(mktemp -d /tmp/wordcrawl-agreement.XXXXXX)
cleanup_add rm -rf "$work"

# N pages per group, spread evenly over each group's sorted list so that long and short,
# early and late chapters all take part. Paths are resolved: the handbook links some files.
"$python" - "$per_lang" "$handbook" "$pydocs" > "$work/pages" <<'PY'
import os, sys
per_lang, handbook, pydocs = int(sys.argv[1]), sys.argv[2], sys.argv[3]
groups = [os.path.join(handbook, lang) for lang in sorted(os.listdir(handbook))]
groups = [g for g in groups if os.path.isdir(g)] + [pydocs]
for group in groups:
    pages = sorted(os.path.join(d, f) for d, _, files in os.walk(group)
                   for f in files if f.endswith(".html"))
    if not pages:
        continue
    step = max(len(pages) / per_lang, 1)
    picked = sorted({pages[int(i * step)] for i in range(min(per_lang, len(pages)))})
    for page in picked:
        print(os.path.realpath(page))
PY

mapfile -t pages < "$work/pages"

# One mode: count_words with the options, the reference per page with what it reported.
check_mode() {
  local -a options
  read -r -a options <<< "$1"
  if [ "${#options[@]}" -eq 0 ]; then
    "$count_words" -k "$k" --content-type text/html "${pages[@]}" > "$work/cpp"
    "$python" "$root/scripts/reference_words.py" -k "$k" "${pages[@]}" > "$work/ref"
    compare_plain
    return
  fi
  "$count_words" -k "$k" --content-type text/html --stats "${options[@]}" "${pages[@]}" \
    > "$work/cpp"
  # Compared per page in Python: paths and JSON hold tabs and quotes awkward for shell tools.
  "$python" - "$work/cpp" "$python" "$root/scripts/reference_words.py" "$k" "$1" <<'PY'
import collections, json, subprocess, sys
cpp_path, python, reference, k, options = sys.argv[1:6]
options = options.split()
content = "main" if "--content" in options and options[options.index("--content") + 1] == "main" else "all"
listed = None
if "--stopwords" in options:
    value = options[options.index("--stopwords") + 1]
    listed = None if value == "auto" else value
with open(cpp_path, encoding="utf-8") as f:
    cpp = [line.split("\t") for line in f.read().splitlines()]
groups = collections.defaultdict(list)
for path, _, stats in cpp:
    stats = json.loads(stats)
    stops = listed if listed is not None else (stats["stopwords"] or "none")
    groups[(stops, stats["stemmed_as"])].append(path)
ref = {}
for (stops, stem), paths in groups.items():
    out = subprocess.run([python, reference, "-k", k, "--stats", "--stopwords", stops,
                          "--stem", stem, "--content", content, *paths],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        path, words, stats = line.split("\t")
        ref[path] = (words, json.loads(stats))
same = 0
for path, c_words, c_stats in cpp:
    c_stats = json.loads(c_stats)
    r_words, r_stats = ref.get(path, ("", {}))
    c_totals = {key: c_stats[key] for key in ("total_words", "distinct_words")}
    if c_words == r_words and c_totals == r_stats:
        same += 1
        continue
    print(f"DIFF {path}\n  count_words: {c_words} {c_totals}\n  reference:   {r_words} {r_stats}")
print(f"agreement: {same}/{len(cpp)} pages identical")
sys.exit(0 if same == len(cpp) == len(ref) else 1)
PY
}

compare_plain() {
  # Compared per page in Python: paths and JSON hold tabs and quotes awkward for shell tools.
"$python" - "$work/cpp" "$work/ref" <<'PY'
import sys
with open(sys.argv[1], encoding="utf-8") as f:
    cpp = f.read().splitlines()
with open(sys.argv[2], encoding="utf-8") as f:
    ref = f.read().splitlines()
same = 0
for c, r in zip(cpp, ref):
    if c == r:
        same += 1
        continue
    path, _, c_words = c.partition("\t")
    _, _, r_words = r.partition("\t")
    print(f"DIFF {path}\n  count_words: {c_words}\n  reference:   {r_words}")
total = max(len(cpp), len(ref))
print(f"agreement: {same}/{total} pages identical")
sys.exit(0 if same == total and len(cpp) == len(ref) else 1)
PY
}

if [ -n "$all_options" ]; then
  status=0
  for mode in "" "--stopwords auto" "--stopwords en,ru" "--stem" "--content main" \
      "--stopwords auto --stem --content main"; do
    echo "mode: ${mode:-no options}"
    check_mode "$mode" || status=1
  done
  exit "$status"
fi
check_mode "${OPTIONS:-}"
