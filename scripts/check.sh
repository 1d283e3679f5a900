#!/usr/bin/env bash
# Every test and gate CI applies, in order. Run from anywhere:
#   scripts/check.sh                 all steps
#   scripts/check.sh format tidy     only those steps
# Steps:
#   deps      install the Debian packages (scripts/install-deps.sh)
#   format    clang-format: no difference allowed
#   coverage  Debug build (-Werror) with gcov, every test, line coverage of server/ client/
#             shared/ must reach 90%
#   tidy      clang-tidy over every first-party translation unit: no finding allowed
#   asan      AddressSanitizer + UBSan + LeakSanitizer build, every test
#   tsan      ThreadSanitizer build, every test
#   fuzz      libFuzzer targets, each for FUZZ_SECONDS (default 60) seconds
#   corpus    2000 real pages on loopback through server and client, every URL answered once
#             with the kernel's top-7; the kernel against the independent reference
#   load      1,000 connections and 100,000 URLs through one server: none lost, memory flat
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)
all_steps=(deps format coverage tidy asan tsan fuzz corpus load)
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=("${all_steps[@]}")

banner() { printf '\n==== %s ====\n' "$*"; }

step_deps() { bash scripts/install-deps.sh; }

step_format() {
  git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run --Werror
  echo "clang-format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files clean"
}

build_and_test() {
  local preset=$1
  cmake --preset "$preset" > /dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
}

step_coverage() {
  find build/coverage -name '*.gcda' -delete 2>/dev/null || true
  build_and_test coverage
  gcovr --root "$root" --object-directory build/coverage \
    --filter "$root/server/" --filter "$root/client/" --filter "$root/shared/" \
    --exclude "$root/build/" --print-summary --fail-under-line 90 build/coverage \
    | tail -3
}

step_tidy() {
  [ -f build/coverage/compile_commands.json ] || cmake --preset coverage > /dev/null
  cmake --build build/coverage --target wordcrawl_entities  # generated headers the sources include
  run-clang-tidy-14 -p build/coverage -quiet -j "$jobs" \
    "^$root/(server|client|shared|tests|tools)/.*\.cpp$" > build/clang-tidy.log 2>&1 \
    || { grep -E 'warning:|error:' build/clang-tidy.log | sort -u; echo "clang-tidy: findings above"; return 1; }
  echo "clang-tidy: no finding"
}

step_asan() { build_and_test asan; }
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

step_corpus() {
  [ -x build/coverage/server/server ] || build_and_test coverage
  bash scripts/corpus-check.sh build/coverage 2000
  COUNT_WORDS=build/coverage/tools/count_words bash scripts/check_agreement.sh 4
}

step_load() {
  [ -x build/coverage/server/server ] || build_and_test coverage
  bash bench/load-test.sh build/coverage 1000 100000
}

passed=0
for step in "${steps[@]}"; do
  banner "$step"
  "step_$step"
  passed=$((passed + 1))
done
echo
echo "check: ${passed} passed, 0 failed (steps: ${steps[*]})"
