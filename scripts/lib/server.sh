# Sourced by the scripts that run the server binary.
#   server_start DIR COMMAND...  runs COMMAND (the server, maybe behind /usr/bin/time) with its
#                                stdout in DIR/server.out and stderr in DIR/server.err, and waits
#                                for its "listening on" line; sets SERVER_PID and SERVER_PORT
#   server_stop                  SIGTERM to the server, then waits; returns its exit status

server_start() {
  local dir=$1
  shift
  "$@" > "$dir/server.out" 2> "$dir/server.err" &
  SERVER_PID=$!
  SERVER_PORT=
  local _
  for _ in $(seq 1 100); do
    SERVER_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$dir/server.out")
    [ -n "$SERVER_PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1  # waiting for another process's first line: no event to await from a shell
  done
  echo "server did not start:" >&2
  cat "$dir/server.err" >&2
  return 1
}

server_stop() {
  # Behind /usr/bin/time the server is the child of SERVER_PID.
  pkill -TERM -P "$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
  local status=0
  wait "$SERVER_PID" || status=$?
  return "$status"
}
