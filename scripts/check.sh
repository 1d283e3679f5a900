#!/usr/bin/env bash
# Every test and gate CI applies, in order. Run from anywhere:
#   scripts/check.sh                 all steps
#   scripts/check.sh format tidy     only those steps
# Steps:
#   deps      install the Debian packages (scripts/install-deps.sh)
#   format    clang-format: no difference allowed
#   asan      Debug build (-Werror) with AddressSanitizer + UBSan + LeakSanitizer and gcov:
#             every test, and line coverage of server/ client/ shared/ must reach 90%
#   tidy      clang-tidy over every first-party translation unit: no finding allowed
#   tsan      ThreadSanitizer build, every test
#   fuzz      libFuzzer targets, each for FUZZ_SECONDS (default 60) seconds
#   corpus    2000 real pages on loopback through server and client, every URL answered once
#             with the kernel's top-7; the kernel against the independent reference
#   load      1,000 connections and 100,000 URLs through one server: none lost, memory flat
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)
all_steps=(deps format asan tidy tsan fuzz corpus load)
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=("${all_steps[@]}")

banner() { printf '\n==== %s ====\n' "$*"; }

step_deps() { bash scripts/install-deps.sh; }

step_format() {
  git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run --Werror
  echo "clang-format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files clean"
}

build_and_test() {  # build_and_test PRESET [cmake -D options...]
  local preset=$1
  shift
  cmake --preset "$preset" "$@" > /dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
}

# One build serves the memory sanitizers and coverage: CI time goes to running, not compiling.
step_asan() {
  find build/asan -name '*.gcda' -delete 2>/dev/null || true
  build_and_test asan -DWORDCRAWL_ENABLE_COVERAGE=ON
  gcovr --root "$root" --object-directory build/asan \
    --filter "$root/server/" --filter "$root/client/" --filter "$root/shared/" \
    --exclude "$root/build/" --print-summary --fail-under-line 90 build/asan \
    | tail -3
}

step_tidy() {
  [ -f build/asan/compile_commands.json ] || cmake --preset asan > /dev/null
  cmake --build build/asan --target wordcrawl_entities  # generated headers the sources include
  run-clang-tidy-14 -p build/asan -quiet -j "$jobs" \
    "^$root/(server|client|shared|tests|tools)/.*\\.cpp$" > build/clang-tidy.log 2>&1 \
    || { grep -E 'warning:|error:' build/clang-tidy.log | sort -u; echo "clang-tidy: findings above"; return 1; }
  echo "clang-tidy: no finding ($(grep -c '^clang-tidy' build/clang-tidy.log) files)"
}

step_tsan() { build_and_test tsan; }

step_fuzz() {
  cmake --preset fuzz > /dev/null
  cmake --build --preset fuzz -j "$jobs"
  local fuzzer name corpus
  for fuzzer in build/fuzz/fuzz/*_fuzzer; do
    name=$(basename "$fuzzer" _fuzzer)
    corpus="fuzz/corpus/$name"
    [ -d "$corpus" ] || corpus="fuzz/corpus/${name%%_*}"
    mkdir -p "build/fuzz/corpus-out/$name"
    echo "fuzzing $name for ${FUZZ_SECONDS:-60} s (seeds: $corpus)"
    "$fuzzer" -max_total_time="${FUZZ_SECONDS:-60}" -print_final_stats=1 \
      "build/fuzz/corpus-out/$name" "$corpus" 2>&1 | tail -4
  done
}

# The corpus and load checks use release binaries, as users run them.
build_release() {
  cmake --preset release > /dev/null
  cmake --build --preset release -j "$jobs" --target server client count_words
}

step_corpus() {
  build_release
  bash scripts/corpus-check.sh build/release 2000
  COUNT_WORDS=build/release/tools/count_words bash scripts/check_agreement.sh 4
}

step_load() {
  build_release
  bash bench/load-test.sh build/release 1000 100000
}

passed=0
for step in "${steps[@]}"; do
  banner "$step"
  "step_$step"
  passed=$((passed + 1))
done
echo
echo "steps run: ${steps[*]}"
echo "check: ${passed} passed, 0 failed"
