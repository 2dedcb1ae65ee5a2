#!/bin/sh
# Installs every Debian package that building and testing lading needs, on Debian 12.
# Idempotent: re-running it only installs what is missing.
set -eu

# Build dependencies (libraries we link and the compilers/tools we build with).
BUILD="build-essential pkg-config clang libclang-rt-14-dev
  libarchive-dev zlib1g-dev libisal-dev libzstd-dev libsqlite3-dev libssl-dev
  libjansson-dev libyaml-dev libcurl4-openssl-dev libcmocka-dev"
# Test-time reference tools: real package managers, image tools and validators
# (docker-registry and apache2-utils' htpasswd: tests/cli/registry.sh).
TEST="dpkg-dev rpm debootstrap umoci skopeo jq ca-certificates python3 python3-apt python3-yaml
  python3-packaging python3-pip python3-pip-whl python3-setuptools-whl python3-wheel-whl ruby golang-go golang-golang-x-mod-dev maven default-jdk-headless
  file time isal xz-utils zstd zip unzip
  docker-registry apache2-utils openssl curl coreutils"
# Node.js and npm run the CycloneDX/SARIF validators. Machines that already ship a
# Node.js build with its own npm must not get Debian's npm (the two conflict).
command -v npm >/dev/null 2>&1 || TEST="$TEST nodejs npm"

missing=""
for p in $BUILD $TEST; do
  dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
    || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
echo "setup: all Debian packages present" >&2
