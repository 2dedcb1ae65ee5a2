#!/bin/sh
# Installs the pinned npm packages the validators need (from
# package-lock.json), once: does nothing when node_modules is already there
# and complete. CI runs this before the unit tests; the tests skip the
# validators without it.
set -e
cd "$(dirname "$0")"
# A node_modules from before the SARIF multitool was added is reinstalled.
if [ -d node_modules ] && { [ "$(uname -s)" != Linux ] || [ -d node_modules/@microsoft/sarif-multitool-linux ]; }; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "tests/js/setup.sh: npm not found; the CycloneDX/SPDX/SARIF validators will be skipped" >&2
  exit 0
fi
npm ci --no-audit --no-fund
# The multitool package's postinstall only makes its .NET binary executable;
# npm versions that hold back install scripts skip it, so do it here.
bin=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -f "$bin" ]; then
  chmod u+x "$bin"
fi
