#!/usr/bin/env bash
# Installs everything wordcrawl needs to build, test, benchmark and run its offline demo on
# Debian 12. Safe to run again; needs root or sudo.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  # libraries
  libboost-dev libcurl4-openssl-dev nlohmann-json3-dev libicu-dev libcli11-dev zlib1g-dev
  libssl-dev
  # tests, gates, fuzzing, benchmarks
  libstemmer-dev libcld2-dev libhiredis-dev redis-server
  libgtest-dev libgmock-dev libgumbo-dev libbenchmark-dev openssl libzstd-dev
  clang-14 libclang-rt-14-dev libfuzzer-14-dev clang-tidy-14 clang-format-14 gcovr
  python3 python3-html5lib python3-icu python3-stemmer python3-protego
  # the offline corpus and the loopback web server that serves it
  nginx-light curl time netcat-openbsd debian-handbook python3.11-doc
  # network namespaces for the fetch deadline tests (ip, unshare)
  iproute2 util-linux
  # the status page test drives a headless browser
  chromium
  # the benchmark's plots; the man pages; the .deb (dpkg-shlibdeps) and its install test
  gnuplot-nox help2man dpkg-dev fakeroot
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}"
