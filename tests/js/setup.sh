#!/bin/sh
# Installs the pinned npm packages the schema validators need (from
# package-lock.json), once: does nothing when node_modules is already there.
# CI runs this before the unit tests; the tests skip the validators without it.
set -e
cd "$(dirname "$0")"
if [ -d node_modules ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "tests/js/setup.sh: npm not found; the CycloneDX/SPDX validators will be skipped" >&2
  exit 0
fi
npm ci --no-audit --no-fund
