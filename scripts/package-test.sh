#!/usr/bin/env bash
# The Debian package, as a user meets it: builds wordcrawl_VERSION_ARCH.deb from BUILD_DIR with
# CPack, installs it with apt, checks what it installed (the programs under their installed
# names, man pages, bash completions, the configuration file and the sandboxed systemd unit),
# runs the installed server, configured by the installed file, and client over 200 pages of the
# offline corpus, then purges the package and checks that nothing of it is left.
#   scripts/package-test.sh BUILD_DIR      (needs root or sudo; about 30 s)
# Refuses to run when a wordcrawl package is installed already: it would remove it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: package-test.sh BUILD_DIR}
# shellcheck source=scripts/lib/corpus.sh
source scripts/lib/corpus.sh
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if dpkg-query -W -f='${Status}' wordcrawl 2> /dev/null | grep -q 'install ok installed'; then
  echo "package-test: a wordcrawl package is installed already; remove it first" >&2
  exit 2
fi

failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

cmake --build "$build" --target server client wordcrawl_install_files > /dev/null
rm -f "$build"/wordcrawl_*.deb
(cd "$build" && cpack -G DEB > cpack.log) || { cat "$build/cpack.log"; exit 1; }
deb=$(realpath "$(ls "$build"/wordcrawl_*.deb)")
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libcurl4 libicu72 libhiredis0.14 libssl3 libstemmer0d libcld2-0; do
  check "depends on $library" grep -q "$library" <<< "$depends"
done
check "installs nothing named plain server or client" \
  bash -c "! dpkg-deb -c '$deb' | grep -qE '/bin/(server|client)\$'"

remove_package() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get purge -y -qq wordcrawl > /dev/null 2>&1 \
    || true
}
cleanup_add remove_package
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  "$deb" > "$build/apt-install.log" 2>&1 || { cat "$build/apt-install.log"; exit 1; }
mapfile -t installed < <(dpkg -L wordcrawl | while read -r path; do
  [ -d "$path" ] || echo "$path"
done)
echo "installed ${#installed[@]} files"

check "wordcrawl-server is on the PATH" [ "$(command -v wordcrawl-server)" = /usr/bin/wordcrawl-server ]
check "wordcrawl-client is on the PATH" [ "$(command -v wordcrawl-client)" = /usr/bin/wordcrawl-client ]
check "the server's version names it as installed" \
  grep -q '^wordcrawl-server (wordcrawl) ' <<< "$(wordcrawl-server --version)"
# Minimal images tell dpkg to leave out /usr/share/man; then the page is rightly absent.
if grep -rqs 'path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/; then
  echo "skip man pages: dpkg here excludes /usr/share/man"
else
  for page in wordcrawl-server wordcrawl-client; do
    check "man page $page(1) is installed" [ -s "/usr/share/man/man1/$page.1.gz" ]
    check "man page $page(1) describes --help" \
      bash -c "zcat /usr/share/man/man1/$page.1.gz | grep -q -- 'help'"
  done
fi

complete_words() {  # complete_words PROGRAM WORD...: what bash completion offers for the last word
  local program=$1
  shift
  bash -c 'source "/usr/share/bash-completion/completions/$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "_${1//-/_}" 2> /dev/null; echo "${COMPREPLY[*]}"' \
    _ "$program" "$program" "$@"
}
check "completion: --rob offers --robots --robots-ttl" \
  [ "$(complete_words wordcrawl-server --rob)" = "--robots --robots-ttl" ]
check "completion: --robots offers obey ignore" \
  [ "$(complete_words wordcrawl-server --robots '')" = "obey ignore" ]
check "completion: the client offers --progress" \
  grep -qw -- --progress <<< "$(complete_words wordcrawl-client --pro)"

unit=/usr/lib/systemd/system/wordcrawl-server.service
check "the unit runs the installed server with the installed configuration" \
  grep -qx 'ExecStart=/usr/bin/wordcrawl-server --config /etc/wordcrawl/server.conf' "$unit"
for setting in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes; do
  check "the unit sets $setting" grep -qx "$setting" "$unit"
done
if command -v systemd-analyze > /dev/null; then
  check "systemd-analyze verify accepts the unit" systemd-analyze verify "$unit"
  exposure=$(systemd-analyze security --offline=yes "$unit" 2> /dev/null \
    | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  echo "systemd-analyze security: exposure $exposure (0 = sandboxed, 10 = exposed)"
  check "the sandbox's exposure is at most 2.0" python3 -c "import sys; sys.exit(float('${exposure:-10}') > 2.0)"
fi
check "/etc/wordcrawl/server.conf is a conffile" \
  grep -q '/etc/wordcrawl/server.conf' <<< "$(dpkg-query -W -f='${Conffiles}' wordcrawl)"

# The installed programs over the offline corpus, the server configured by the installed file
# (the command line overrides the port and opens loopback, as a user's drop-in would).
corpus_start
work=$CORPUS_DIR
corpus_urls 200 > "$work/urls.txt"
server_start "$work" timeout 120 /usr/bin/wordcrawl-server --config /etc/wordcrawl/server.conf \
  --port 0 -w 4 -k 7 --allow-private 127.0.0.1/32
timeout 120 /usr/bin/wordcrawl-client 4 "$work/urls.txt" --port "$SERVER_PORT" --json \
  > "$work/answers.jsonl"
server_stop
check "the installed server and client answered every URL once, with words" \
  python3 - "$work/urls.txt" "$work/answers.jsonl" <<'PY'
import collections, json, sys
urls = open(sys.argv[1]).read().split()
answers = [json.loads(line) for line in open(sys.argv[2])]
seen = collections.Counter(a["url"] for a in answers)
bad = [a for a in answers if "error" in a or not a.get("words")]
print(f"  {len(urls)} URLs, {len(answers)} answers, {len(bad)} without words")
sys.exit(1 if bad or len(answers) != len(urls) or any(seen[u] != 1 for u in urls) else 0)
PY

DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get purge -y -qq wordcrawl > /dev/null 2>&1
left=()
for path in "${installed[@]}" /etc/wordcrawl; do
  [ ! -e "$path" ] || left+=("$path")
done
check "purging removed every file it installed (${#installed[@]}) and /etc/wordcrawl" \
  [ "${#left[@]}" -eq 0 ]
[ "${#left[@]}" -eq 0 ] || printf '  left: %s\n' "${left[@]}"
check "the package is gone" \
  bash -c "! dpkg-query -W -f='\${Status}' wordcrawl 2> /dev/null | grep -q 'install ok installed'"
check "wordcrawl-server is no longer on the PATH" bash -c '! command -v wordcrawl-server'

echo "package-test: $failures failed"
[ "$failures" -eq 0 ]
