# shellcheck shell=bash
# Sourced by the scripts that run the server binary. A server still running when the script
# exits, however it exits, is stopped by server_stop from the exit trap.
#   server_start DIR COMMAND...  runs COMMAND (the server, maybe behind /usr/bin/time) with its
#                                stdout in DIR/server.out and stderr in DIR/server.err, and waits
#                                for its "listening on" line; sets SERVER_PID and SERVER_PORT
#   server_stop                  SIGTERM to the server, then waits for it, SERVER_GRACE seconds
#                                at most (default 10) before SIGKILL; returns its exit status

# shellcheck source=scripts/lib/cleanup.sh
source "$(dirname "${BASH_SOURCE[0]}")/cleanup.sh"

SERVER_PID=
SERVER_PORT=
SERVER_CLEANUP_ADDED=

server_listening_or_gone() {  # DIR
  SERVER_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1/server.out")
  [ -n "$SERVER_PORT" ] || cleanup_gone "$SERVER_PID"
}

server_start() {
  local dir=$1
  shift
  # Registered at the first start rather than when sourced, so that the server stops before
  # whatever the script set up after sourcing this (exit actions run latest first).
  if [ -z "$SERVER_CLEANUP_ADDED" ]; then
    cleanup_add server_stop
    SERVER_CLEANUP_ADDED=1
  fi
  # Created before the job starts: the job opens it itself, possibly after the first look below.
  : > "$dir/server.out"
  "$@" > "$dir/server.out" 2> "$dir/server.err" &
  SERVER_PID=$!
  SERVER_PORT=
  poll_until 10 server_listening_or_gone "$dir" || true
  [ -n "$SERVER_PORT" ] && return 0
  echo "server did not start:" >&2
  cat "$dir/server.err" >&2
  server_stop || true
  return 1
}

server_stop() {
  [ -n "${SERVER_PID:-}" ] || return 0
  local status=0
  # Cleared only once the server has ended: a signal arriving during the wait runs this again
  # from the exit trap, which must still find it.
  cleanup_stop "$SERVER_PID" "${SERVER_GRACE:-10}" || status=$?
  SERVER_PID=
  return "$status"
}
