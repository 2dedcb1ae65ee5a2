#!/bin/sh
# Runs each unit-test binary given on the command line (from the repo root, so
# that ../shared/corpus resolves) and prints one closing summary line.
passed=0 failed=0
for t in "$@"; do
  if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t" >&2; fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
