#!/bin/sh
# Every fuzz harness (tests/fuzz/fuzz_<name>.c) must have seeds, in
# tests/fuzz/seeds/<name>/ (checked in) or build-fuzz/seeds/<name>/ (made by
# tests/fuzz/seed.sh), and none may be over libFuzzer's -max_len: libFuzzer
# would cut it, and a cut database or archive is an unreadable file that
# fuzzes nothing but the first error path. Prints, per harness, how many
# seeds it has and the largest one; exits 1 if any harness has none or has
# one over the limit. Run by seed.sh, so by `make fuzz-smoke`.
#
#   sh tests/fuzz/check-seeds.sh    (FUZZ_MAX_LEN: the limit, default 1048576)
set -eu
MAX=${FUZZ_MAX_LEN:-1048576}
bad=0
printf '%-24s %6s %10s\n' harness seeds max_bytes
for src in tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	n=${n#fuzz_}
	dirs=""
	for r in tests/fuzz/seeds build-fuzz/seeds; do [ -d "$r/$n" ] && dirs="$dirs $r/$n"; done
	count=0 max=0
	if [ -n "$dirs" ]; then
		# shellcheck disable=SC2046,SC2086
		set -- $(find $dirs -type f -printf '%s\n' | awk '{n++; if ($1 > m) m = $1} END {print n + 0, m + 0}')
		count=$1 max=$2
	fi
	note=""
	if [ "$count" -eq 0 ]; then
		note="  FAIL: no seeds (add them to tests/fuzz/seed.sh or tests/fuzz/seeds/$n/)"
		bad=1
	elif [ "$max" -gt "$MAX" ]; then
		# shellcheck disable=SC2046,SC2086
		big=$(find $dirs -type f -size +"$MAX"c | head -3 | tr '\n' ' ')
		note="  FAIL: over -max_len=$MAX: $big"
		bad=1
	fi
	printf '%-24s %6d %10d%s\n' "$n" "$count" "$max" "$note"
done
if [ "$bad" -ne 0 ]; then
	echo "fuzz seeds: FAILED: every harness needs real seeds, each at most $MAX bytes" >&2
	exit 1
fi
echo "fuzz seeds: every harness has seeds, none over $MAX bytes"
