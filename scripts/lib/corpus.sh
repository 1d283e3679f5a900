# shellcheck shell=bash
# Sourced by the demo, the corpus check and the benchmark: serves the HTML of Debian's
# documentation packages (debian-handbook in 26 languages, the Python 3.11 manual) from nginx on
# loopback, and lists their URLs.
#   corpus_start          starts nginx; sets CORPUS_URL (http://127.0.0.1:PORT) and CORPUS_DIR
#   corpus_urls N         prints N page URLs, languages interleaved so any prefix mixes them
#   corpus_stop           stops nginx (SIGTERM, SIGKILL after 5 s) and removes CORPUS_DIR; also
#                         run when the script exits, however it exits

# shellcheck source=scripts/lib/cleanup.sh
source "$(dirname "${BASH_SOURCE[0]}")/cleanup.sh"

CORPUS_ROOT=/usr/share/doc
CORPUS_TREES=(debian-handbook/html python3.11/html)
CORPUS_DIR=
CORPUS_NGINX_PID=
CORPUS_CLEANUP_ADDED=

corpus_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

corpus_start() {
  local tree
  for tree in "${CORPUS_TREES[@]}"; do
    [ -d "$CORPUS_ROOT/$tree" ] || { echo "corpus: $CORPUS_ROOT/$tree is missing (scripts/install-deps.sh installs it)" >&2; return 1; }
  done
  if [ -z "$CORPUS_CLEANUP_ADDED" ]; then
    cleanup_add corpus_stop
    CORPUS_CLEANUP_ADDED=1
  fi
  CORPUS_DIR=$(mktemp -d /tmp/wordcrawl-corpus.XXXXXX)
  local port
  port=$(corpus_free_port)
  mkdir -p "$CORPUS_DIR/logs"
  cat > "$CORPUS_DIR/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $CORPUS_DIR/nginx.pid;
error_log $CORPUS_DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  gzip on;
  gzip_types text/plain text/css application/javascript;
  client_body_temp_path $CORPUS_DIR/body;
  proxy_temp_path $CORPUS_DIR/proxy;
  fastcgi_temp_path $CORPUS_DIR/fastcgi;
  uwsgi_temp_path $CORPUS_DIR/uwsgi;
  scgi_temp_path $CORPUS_DIR/scgi;
  server {
    listen 127.0.0.1:$port;
    root $CORPUS_ROOT;
  }
}
CONF
  nginx -c "$CORPUS_DIR/nginx.conf" -p "$CORPUS_DIR" &
  CORPUS_NGINX_PID=$!
  CORPUS_URL="http://127.0.0.1:$port"
  poll_until 10 corpus_answering_or_gone && ! cleanup_gone "$CORPUS_NGINX_PID" && return 0
  if cleanup_gone "$CORPUS_NGINX_PID"; then
    cat "$CORPUS_DIR/logs/error.log" >&2
  else
    echo "corpus: nginx did not answer on $CORPUS_URL" >&2
  fi
  corpus_stop
  return 1
}

corpus_answering_or_gone() {
  # Any HTTP answer means nginx is up; the time limit covers one that accepts but never answers.
  curl -s --max-time 2 -o /dev/null "$CORPUS_URL/" 2> /dev/null || cleanup_gone "$CORPUS_NGINX_PID"
}

corpus_urls() {
  python3 - "$1" "$CORPUS_URL" "$CORPUS_ROOT" "${CORPUS_TREES[@]}" <<'PY'
import itertools, os, sys
count, base, root, trees = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
groups = []
for tree in trees:
    top = os.path.join(root, tree)
    by_group = {}
    for directory, _, files in os.walk(top):
        for name in files:
            if name.endswith(".html"):
                path = os.path.relpath(os.path.join(directory, name), root)
                group = os.path.relpath(directory, top).split(os.sep)[0]
                by_group.setdefault((tree, group), []).append(path)
    groups += [sorted(paths) for _, paths in sorted(by_group.items())]
urls = (p for p in itertools.chain.from_iterable(itertools.zip_longest(*groups)) if p)
for path in itertools.islice(urls, count):
    print(f"{base}/{path}")
PY
}

corpus_stop() {
  if [ -n "${CORPUS_NGINX_PID:-}" ]; then
    # To the master alone: workers it did not stop itself it would replace.
    cleanup_stop "$CORPUS_NGINX_PID" 5 "$CORPUS_NGINX_PID" || true
    CORPUS_NGINX_PID=
  fi
  if [ -n "${CORPUS_DIR:-}" ]; then
    rm -rf "$CORPUS_DIR"
  fi
  CORPUS_DIR=
}
