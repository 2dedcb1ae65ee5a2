#!/bin/sh
# Runs every tests/cli/*.sh with the built binary in $LADING and prints one
# closing summary line. A test that exits 77 is skipped (it says why).
LADING=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export LADING
passed=0 failed=0 skipped=0
for t in tests/cli/*.sh; do
  [ -e "$t" ] || continue
  case $t in */lib.sh) continue ;; esac
  sh "$t"; rc=$?
  case $rc in
    0) passed=$((passed + 1)); echo "ok: $t" ;;
    77) skipped=$((skipped + 1)); echo "skip: $t" ;;
    *) failed=$((failed + 1)); echo "FAILED: $t (exit $rc)" ;;
  esac
done
echo "cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
