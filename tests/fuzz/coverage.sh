#!/bin/sh
# Measures how far each fuzz harness gets from its seeds: runs every
# build-fuzz/fuzz_<name> (or the names given with -n) for a fixed time on
# the seeds under each SEEDROOT/<name>/, starting from an empty output
# corpus, with the options `make fuzz-smoke` uses, and prints one TSV line
# per harness:
#
#   name  seeds  max_seed_bytes  cov  ft  runs
#
# where cov and ft are the last "cov:" and "ft:" figures libFuzzer printed
# (covered edges and features) and runs the number of inputs executed.
#
#   sh tests/fuzz/coverage.sh [-t SECONDS] [-j JOBS] [-n "NAME..."] SEEDROOT...
#
# e.g. sh tests/fuzz/coverage.sh -t 60 -j 2 tests/fuzz/seeds build-fuzz/seeds
# The logs stay in $COVERAGE_LOGS/<name>.log (default build-fuzz/coverage).
set -eu
logs=${COVERAGE_LOGS:-build-fuzz/coverage}
export COVERAGE_LOGS="$logs"
one() { # NAME SECONDS SEEDROOT...
	n=$1 s=$2
	shift 2
	dirs=""
	for r in "$@"; do [ -d "$r/$n" ] && dirs="$dirs $r/$n"; done
	count=0 max=0
	if [ -n "$dirs" ]; then
		# shellcheck disable=SC2046,SC2086
		set -- $(find $dirs -type f -printf '%s\n' | awk '{n++; if ($1 > m) m = $1} END {print n + 0, m + 0}')
		count=$1 max=$2
	fi
	out=$(mktemp -d)
	# shellcheck disable=SC2086
	build-fuzz/fuzz_"$n" -max_total_time="$s" -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
		"$out" $dirs >"$logs/$n.log" 2>&1 || echo "coverage: $n exited non-zero (see $logs/$n.log)" >&2
	rm -rf "$out"
	cov=$(grep -o 'cov: [0-9]*' "$logs/$n.log" | tail -1 | sed 's/cov: //')
	ft=$(grep -o 'ft: [0-9]*' "$logs/$n.log" | tail -1 | sed 's/ft: //')
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$n.log" | tail -1)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$count" "$max" "${cov:-?}" "${ft:-?}" "${runs:-?}"
}

if [ "${1:-}" = --one ]; then
	shift
	one "$@"
	exit 0
fi

secs=60 jobs=1 names=""
while getopts t:j:n: o; do
	case $o in
	t) secs=$OPTARG ;;
	j) jobs=$OPTARG ;;
	n) names=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-j JOBS] [-n NAMES] SEEDROOT..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$names" ] || names=$(for f in build-fuzz/fuzz_*; do [ -x "$f" ] && basename "$f" | sed 's/^fuzz_//'; done)
mkdir -p "$logs"


for n in $names; do echo "$n"; done |
	xargs -P "$jobs" -I{} sh "$0" --one {} "$secs" "$@" | LC_ALL=C sort
