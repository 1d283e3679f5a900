#!/usr/bin/env bash
# How fast could the word kernel be on this machine? Builds kernel_bench (release preset) from
# scratch copies of the working tree, four times:
#   as it is
#   no word table     words are found, folded and cut as always, then dropped
#                     (bench/ceiling/no-table.patch)
#   no segmenting     pieces of spaceless scripts (Han, kana, Thai...) are dropped instead of
#                     going to ICU's dictionary breaker (bench/ceiling/no-segmenting.patch)
#   neither           both patches
# and prints the kernel's MB/s for each (best of PASSES passes over kernel_bench's corpus, CPU
# time, one thread) next to `wc -w` on the same bytes. The patched builds give wrong answers on
# purpose: they show what the table and the segmentation cost, and the most the rest of the
# kernel (decoding, extraction, scanning and folding) can reach if both cost nothing.
#   bench/kernel-ceiling.sh [PASSES]   (default 5; four builds and runs, 1.5 minutes on 2 cores)
#   bench/kernel-ceiling.sh --check    only checks that the patches still apply to this tree
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d /tmp/wordcrawl-ceiling.XXXXXX)
trap 'rm -rf "$work"' EXIT

# copy_tree DIR: the tracked and untracked (not ignored) files of the working tree, as they are.
copy_tree() {
  mkdir -p "$1"
  git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -x -C "$1"
}

# apply DIR PATCH...: fails loudly when a patch no longer fits the kernel's sources.
apply() {
  local dir=$1 patch
  shift
  for patch in "$@"; do
    if ! git -C "$dir" apply "$repo/bench/ceiling/$patch.patch"; then
      echo "kernel-ceiling: bench/ceiling/$patch.patch no longer applies; update it" >&2
      return 1
    fi
  done
}

if [ "${1:-}" = --check ]; then
  copy_tree "$work/src"
  apply "$work/src" no-table no-segmenting
  echo "kernel-ceiling: both patches apply"
  exit 0
fi
passes=${1:-5}

bash scripts/install-deps.sh > /dev/null
names=("as it is" "no word table" "no segmenting" "neither")
patches=("" "no-table" "no-segmenting" "no-table no-segmenting")
rates=()
for i in "${!names[@]}"; do
  src=$work/$i
  copy_tree "$src"
  # shellcheck disable=SC2086 # the list of patches is split on purpose
  apply "$src" ${patches[$i]}
  (cd "$src" && cmake --preset release > /dev/null &&
    cmake --build --preset release -j "$(nproc)" --target kernel_bench > /dev/null)
  rates[i]=$(WORDCRAWL_BENCH_LOOP=$passes "$src/build/release/bench/kernel_bench" |
    awk '/MB\/s/ {print $3}')
  [ "$i" -eq 0 ] && wc_line=$("$src/build/release/bench/kernel_bench" \
    --benchmark_filter=none 2> /dev/null | grep '^wc -w (LC_ALL=C.UTF-8)')
done

wc_rate=$(awk '{print $4}' <<< "$wc_line")
echo "word kernel ceiling: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "kernel MB/s, best of $passes passes; wc -w (LC_ALL=C.UTF-8) $wc_rate MB/s on the same bytes"
for i in "${!names[@]}"; do
  awk -v name="${names[$i]}" -v rate="${rates[$i]}" -v wc="$wc_rate" \
    'BEGIN {printf "  %-16s %7.1f MB/s   %.2fx wc -w\n", name, rate, rate / wc}'
done
