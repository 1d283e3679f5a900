# shellcheck shell=bash
# Sourced by every script that starts a process or makes a temporary directory, directly or
# through the other libs. A script has only one EXIT trap and each `trap ... EXIT` replaces the
# last, so the libs and the scripts register their actions here instead, and one trap runs them
# all: on a normal exit, on an error under `set -e`, and on SIGINT, SIGTERM or SIGHUP (after
# which the script ends by that signal, as its caller expects).
#   cleanup_add COMMAND [ARG...]  runs COMMAND at exit; the latest registered runs first
#   cleanup_fg COMMAND [ARG...]   runs COMMAND and returns its status; a signal to the script
#                                 interrupts the wait at once and the exit actions stop COMMAND
#   cleanup_stop PID SECONDS [TARGET...]
#                                 SIGTERM to the TARGETs (default: the children of PID if it
#                                 has any, else PID), then waits at most SECONDS for PID, a child
#                                 of the script, and every process under it to end; SIGKILL to
#                                 those left; returns PID's exit status
#   poll_until SECONDS COMMAND... runs COMMAND every 0.1 s until it succeeds, at most SECONDS;
#                                 fails if it never did

# The libs source this file too; a second copy would reset the actions already registered.
if [ -z "${CLEANUP_LOADED:-}" ]; then
  CLEANUP_LOADED=1
  CLEANUP_ACTIONS=()
  CLEANUP_FG_PID=

  cleanup_add() {
    local action
    printf -v action '%q ' "$@"
    CLEANUP_ACTIONS+=("$action")
  }

  poll_until() {
    local seconds=$1 tries deadline
    shift
    # The count bounds the loop when COMMAND is quick, the clock when COMMAND itself is slow.
    deadline=$((SECONDS + seconds + 1))
    for ((tries = seconds * 10; tries > 0 && SECONDS < deadline; tries--)); do
      "$@" && return 0
      sleep 0.1  # polling another process's state: a shell has no event to await
    done
    return 1
  }

  cleanup_gone() { ! kill -0 "$1" 2> /dev/null; }

  cleanup_tree() {  # PID: PID and all its descendants
    local child
    echo "$1"
    for child in $(pgrep -P "$1"); do
      cleanup_tree "$child"
    done
  }

  cleanup_none_alive() {  # PID...: a zombie has ended too, though maybe no one reaps it
    ! ps -o stat= -p "$(IFS=,; echo "$*")" | awk '$1 !~ /^Z/ {alive = 1} END {exit !alive}'
  }

  # A wrapper such as /usr/bin/time reports its child's status only if the child ends first, and
  # passes no signal on: the signal goes to the children of PID if it has any.
  cleanup_term() { pkill -TERM -P "$1" 2> /dev/null || kill -TERM "$1" 2> /dev/null || true; }

  cleanup_stop() {
    local pid=$1 seconds=$2 status=0 tree more
    shift 2
    # Every process under PID is waited for: one whose parent ends first would be left running.
    mapfile -t tree <<< "$(cleanup_tree "$pid")"
    if [ "$#" -gt 0 ]; then
      kill -TERM "$@" 2> /dev/null || true
    else
      cleanup_term "$pid"
    fi
    if ! poll_until "$seconds" cleanup_none_alive "${tree[@]}"; then
      echo "cleanup: process $pid or one under it still running after $seconds s; killing them" >&2
      mapfile -t more <<< "$(cleanup_tree "$pid")"
      # All stopped first so that none can start a replacement for one killed (nginx's master
      # would).
      kill -STOP "${tree[@]}" "${more[@]}" 2> /dev/null
      kill -KILL "${tree[@]}" "${more[@]}" 2> /dev/null
    fi
    wait "$pid" 2> /dev/null || status=$?
    return "$status"
  }

  cleanup_fg() {
    # Started in the background because bash runs a trap only once its foreground command has
    # ended: a TERM sent to the script alone would otherwise wait for a whole build or client
    # run.
    # Background commands read /dev/null unless told otherwise.
    "$@" <&0 &
    CLEANUP_FG_PID=$!
    local status=0
    wait "$CLEANUP_FG_PID" || status=$?
    CLEANUP_FG_PID=
    return "$status"
  }

  cleanup_run() {
    local status=$? i
    # A second Ctrl-C must not cut the cleanup short.
    trap '' INT TERM HUP
    set +e
    if [ -n "$CLEANUP_FG_PID" ]; then
      cleanup_stop "$CLEANUP_FG_PID" 5
      CLEANUP_FG_PID=
    fi
    for ((i = ${#CLEANUP_ACTIONS[@]} - 1; i >= 0; i--)); do
      eval "${CLEANUP_ACTIONS[i]}"
    done
    CLEANUP_ACTIONS=()
    return "$status"
  }

  cleanup_on_signal() {
    cleanup_run
    trap - "$1" EXIT
    kill -s "$1" "$BASHPID"
  }

  trap cleanup_run EXIT
  trap 'cleanup_on_signal INT' INT
  trap 'cleanup_on_signal TERM' TERM
  trap 'cleanup_on_signal HUP' HUP
fi
