#!/usr/bin/env bash
# Tests the scripts that start processes: each must end with status 0 when its job worked, show
# what it promises, and leave nothing it started running, also when SIGTERM stops it halfway.
# Each script under test runs in a session of its own and is judged by the processes left in that
# session: a session id survives the death of a parent, and unlike a match on command lines it
# neither counts another user's server nor misses nginx workers ("nginx: worker process").
# Starts by bringing the release build up to date; takes about 25 s after that (the status
# page test drives headless Chromium for about 10 s).
#   scripts/test-scripts.sh
# Environment: DEMO and CORPUS_CHECK, other copies of scripts/demo.sh and scripts/corpus-check.sh
# to test instead. Ends with "scripts: N passed, M failed"; exits 1 if any check failed.
set -euo pipefail
set +m  # start_script relies on background jobs leading no process group of their own
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/cleanup.sh
source scripts/lib/cleanup.sh

demo=${DEMO:-scripts/demo.sh}
corpus_check=${CORPUS_CHECK:-scripts/corpus-check.sh}
work=$(mktemp -d /tmp/wordcrawl-test-scripts.XXXXXX)
cleanup_add rm -rf "$work"

# Whatever a script under test leaves behind is ended here, so that a failing test run does not
# leave it running either.
sessions=()
end_sessions() {
  local sid
  for sid in "${sessions[@]}"; do
    pkill -KILL -s "$sid" 2> /dev/null || true
  done
}
cleanup_add end_sessions

passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
abort() {
  fail "$*"
  echo "scripts: $passed passed, $failed failed"
  exit 1
}
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

start_script() {  # start_script NAME COMMAND...: sets SID, output in $work/NAME.log
  local name=$1
  shift
  # Created before the job starts: the job opens it itself, possibly after the first look at it.
  : > "$work/$name.log"
  # Started from a shell without job control the job leads no process group, so setsid makes
  # the session in place and its pid is the session id; checked, as all else rests on it.
  setsid "$@" > "$work/$name.log" 2>&1 < /dev/null &
  SID=$!
  sessions+=("$SID")
  poll_until 5 leads_session "$SID" || abort "$name did not get a session of its own"
}

leads_session() { [ "$(ps -o sid= -p "$1" | tr -d ' ')" = "$1" ]; }

finish_script() {  # finish_script NAME SECONDS: waits for the script; sets STATUS (124: too slow)
  STATUS=0
  if poll_until "$2" cleanup_gone "$SID"; then
    wait "$SID" || STATUS=$?
    return 0
  fi
  echo "  $1: still running after $2 s; stopping it"
  kill -TERM "$SID" 2> /dev/null || true
  poll_until 10 cleanup_gone "$SID" || pkill -KILL -s "$SID" || true
  wait "$SID" || true
  STATUS=124
}

# Zombies do not count: they have ended, and once orphaned only init can remove them, which
# some containers' init never does.
session_processes() { ps -o stat=,pid=,args= -s "$1" | awk '$1 !~ /^Z/ {$1 = ""; print}' || true; }
session_empty() { [ -z "$(session_processes "$1")" ]; }

check_no_survivor() {  # check_no_survivor NAME
  # The bounded wait lets init reap a child killed together with its parent.
  if poll_until 2 session_empty "$SID"; then
    pass "$1: nothing it started is still running"
  else
    fail "$1: left running:"
    session_processes "$SID" | sed 's/^ */    /'
    pkill -KILL -s "$SID" || true
  fi
}

show_log() {  # show_log NAME: the end of a failed script's output
  echo "  last lines of $1's output:"
  tail -n 15 "$work/$1.log" | sed 's/^/    /'
}

between() {  # between FILE FROM TO: the lines after the first FROM line, up to a TO line
  awk -v from="$2" -v to="$3" \
    'index($0, to) == 1 && on {exit} on {print} index($0, from) == 1 {on = 1}' "$1"
}

# The demo rebuilds what changed. Built first, so that the time limits below need not allow for
# a build and the demo's own build finds nothing to do.
if cmake --preset release > "$work/build.log" 2>&1 \
  && cleanup_fg cmake --build --preset release -j "$(nproc)" --target server client count_words \
    >> "$work/build.log" 2>&1; then
  pass "release build of server, client and count_words"
else
  show_log build
  abort "release build of server, client and count_words"
fi

# 1. The demo, end to end: with 50 URLs as a user would try it, and with 1000, whose answers
# overflow a pipe's 64 KiB buffer, so that anything writing them into a reader that quits early
# (`| head`) is sure to die of SIGPIPE instead of only now and then.
check_demo() {  # check_demo N
  local n=$1 name=demo-$1 failed_before=$failed answers server_part
  start_script "$name" bash "$demo" "$n"
  finish_script "$name" 90
  check "demo $n: exit status 0 (was $STATUS)" [ "$STATUS" -eq 0 ]
  # Answer lines are "PATH: ..."; the client's stderr summary shares the section in the log.
  answers=$(between "$work/$name.log" "== client" "== server" \
    | awk '/^[^ ]+: / {k++} END {print k + 0}')
  check "demo $n: shows the first 15 answers (showed $answers)" [ "$answers" -eq 15 ]
  server_part=$(between "$work/$name.log" "== server" "answers kept in")
  check "demo $n: shows the server part with a 'processed $n' line" \
    grep -q "^processed $n (" <<< "$server_part"
  [ "$failed" -eq "$failed_before" ] || show_log "$name"
  check_no_survivor "demo $n"
}
check_demo 50
check_demo 1000

# 2. The corpus check, small.
start_script corpus bash "$corpus_check" build/release 100
finish_script corpus 60
check "corpus-check: exit status 0 (was $STATUS)" [ "$STATUS" -eq 0 ]
[ "$STATUS" -eq 0 ] || show_log corpus
check_no_survivor corpus-check

# 3. The demo stopped by SIGTERM, to the script alone, once its server listens. Enough URLs that
# the client is still at work then.
demo_listening() {
  local dir
  dir=$(sed -n 's|^serving .* URLs in \(.*\)/urls\.txt$|\1|p' "$work/term.log")
  [ -n "$dir" ] && grep -q '^listening on ' "$dir/server.out" 2> /dev/null
}
demo_listening_or_gone() { demo_listening || cleanup_gone "$SID"; }
start_script term bash "$demo" 2000
poll_until 90 demo_listening_or_gone || true
if demo_listening && ! cleanup_gone "$SID"; then
  pass "demo (SIGTERM): its server listened and the demo was still running"
  kill -TERM "$SID"
  finish_script term 20
  check "demo (SIGTERM): ended within 20 s, by the signal (status $STATUS)" [ "$STATUS" -eq 143 ]
else
  fail "demo (SIGTERM): its server never listened while the demo ran"
  finish_script term 20
  show_log term
fi
check_no_survivor "demo (SIGTERM)"

# 4. The status page in headless Chromium (skipped inside the script when chromium is absent).
start_script status-page bash scripts/status-page-test.sh build/release
finish_script status-page 60
check "status-page-test: exit status 0 (was $STATUS)" [ "$STATUS" -eq 0 ]
if grep -q '^status-page-test: skipped' "$work/status-page.log"; then
  grep '^status-page-test: skipped' "$work/status-page.log"
fi
[ "$STATUS" -eq 0 ] || show_log status-page
check_no_survivor status-page-test

# 5. The kernel's ceiling experiments still fit its sources (the full run takes four builds).
check "kernel-ceiling --check: its patches apply to this tree" \
  bash bench/kernel-ceiling.sh --check

echo "scripts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
