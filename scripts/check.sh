#!/usr/bin/env bash
# Every test and gate CI applies, in order. Run from anywhere:
#   scripts/check.sh                 all steps
#   scripts/check.sh format tidy     only those steps
# Steps:
#   deps      install the Debian packages (scripts/install-deps.sh)
#   format    clang-format: no difference allowed
#   plain     the build a user types, `cmake -S . -B DIR -DCMAKE_BUILD_TYPE=Release` and
#             `cmake --build DIR` (no preset, warnings not errors), then every test in it and the
#             chunking differential over every real page; then the kernel's tests again on its
#             portable path (WORDCRAWL_KERNEL_ISA=portable: no vector code)
#   package   the .deb from that build: installed with apt, the installed server and client run
#             over the offline corpus, then purged (scripts/package-test.sh)
#   asan      Debug build (-Werror) with AddressSanitizer + UBSan + LeakSanitizer and gcov:
#             every test, and line coverage of server/ client/ shared/ must reach 90%
#   tidy      clang-tidy over every first-party translation unit: no finding allowed
#   tsan      ThreadSanitizer build, every test
#   fuzz      libFuzzer targets, each for FUZZ_SECONDS (default 60) seconds
#   corpus    2000 real pages on loopback through server and client, every URL answered once
#             with the kernel's top-7; the kernel against the independent reference
#   scripts   the demo and the corpus check end with status 0 and leave no process behind, also
#             when stopped by SIGTERM halfway (scripts/test-scripts.sh)
#   load      1,000 connections and 100,000 URLs through one server: none lost, memory flat
# Each step's duration is printed after it, and all of them at the end: CI has 90 minutes.
set -euo pipefail
# The cluster tests must run here, never skip for want of redis-server.
export WORDCRAWL_REQUIRE_REDIS=1
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)
all_steps=(deps format plain package asan tidy tsan fuzz corpus scripts load)
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=("${all_steps[@]}")

banner() { printf '\n==== %s ====\n' "$*"; }

step_deps() { bash scripts/install-deps.sh; }

step_format() {
  git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run --Werror
  echo "clang-format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files clean"
}

# The plain commands of the README, in a folder of their own so that they share nothing with
# the presets' builds.
step_plain() {
  cmake -S . -B build/plain -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build/plain -j "$jobs"
  (cd build/plain && ctest -j "$jobs" --output-on-failure --no-tests=error --timeout 180)
  WORDCRAWL_DIFF_ALL=1 build/plain/tests/chunking_differential_tests --gtest_brief=1
  # The vector paths are chosen at run time; this proves the one every other CPU gets.
  local test
  for test in kernel_tests kernel_isa_tests gumbo_differential_tests chunking_differential_tests \
    charset_tests language_tests stop_words_tests word_stats_tests main_content_tests text_tests; do
    WORDCRAWL_KERNEL_ISA=portable "build/plain/tests/$test" --gtest_brief=1
  done
  echo "kernel tests on the portable path: passed"
}

step_package() {
  [ -f build/plain/CMakeCache.txt ] \
    || cmake -S . -B build/plain -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  bash scripts/package-test.sh build/plain
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
    --exclude "$root/build/" --gcov-ignore-parse-errors --print-summary --fail-under-line 90 \
    build/asan \
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
  # Every word option alone and all together (six modes, about 25 s at 4 pages per language).
  COUNT_WORDS=build/release/tools/count_words bash scripts/check_agreement.sh --all-options 4
  # The same on the kernel's portable path (no vector code).
  WORDCRAWL_KERNEL_ISA=portable COUNT_WORDS=build/release/tools/count_words \
    bash scripts/check_agreement.sh --all-options 4
}

step_scripts() { bash scripts/test-scripts.sh; }

step_load() {
  build_release
  bash bench/load-test.sh build/release 1000 100000
}

passed=0
durations=()
for step in "${steps[@]}"; do
  banner "$step"
  started=$SECONDS
  "step_$step"
  durations+=("$step $((SECONDS - started)) s")
  echo "---- $step took $((SECONDS - started)) s"
  passed=$((passed + 1))
done
echo
echo "steps run: ${steps[*]}"
printf 'duration: %s\n' "${durations[@]}"
echo "check: ${passed} passed, 0 failed"
