# Helpers for the bench scripts (bench/run.sh, bench/registry.sh), sourced by
# them: the options and prerequisite checks they share, logging, float
# arithmetic through awk, timing a command (best wall time and highest peak
# RSS of N runs), and splicing a section into bench/README.md. Nothing here
# judges a figure: benchmarks measure and report, they never pass or fail on
# speed. The sourcing script sets REPO (the repository root) first.

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	printf 'bench: error: %s\n' "$*" >&2
	exit 1
}
# skip REASON: a prerequisite is missing; exit status 77 says so.
skip() {
	printf 'bench: skipped: %s\n' "$*" >&2
	exit 77
}

# bench_args "$@": the options of every bench script. Sets WRITE (--write,
# default $BENCH_WRITE or 0) and RUNS (--runs N, default 3); --help prints the
# script's header comment (from line 2 down to `set -eu`).
# shellcheck disable=SC2034 # WRITE is read by the sourcing script
bench_args() {
	WRITE=${BENCH_WRITE:-0}
	RUNS=3
	while [ $# -gt 0 ]; do
		case $1 in
		--write) WRITE=1 ;;
		--runs)
			[ $# -ge 2 ] || die "--runs needs a number"
			RUNS=$2
			shift
			;;
		-h | --help)
			sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
			exit 0
			;;
		*) die "unknown argument: $1 (try --help)" ;;
		esac
		shift
	done
	case $RUNS in '' | *[!0-9]* | 0) die "--runs wants a positive integer" ;; esac
}

# need_tools HINT TOOL...: skips unless every TOOL is installed; HINT says how
# to install them.
need_tools() {
	nt_hint=$1
	shift
	for nt_t in "$@"; do
		command -v "$nt_t" >/dev/null 2>&1 || skip "$nt_t is not installed ($nt_hint)"
	done
}

# need_lading: sets LADING (default build/lading) to an absolute path, and
# skips when no binary is there.
need_lading() {
	LADING=${LADING:-$REPO/build/lading}
	case $LADING in /*) ;; *) LADING=$PWD/$LADING ;; esac
	[ -x "$LADING" ] || skip "no lading binary at $LADING (run make, or set LADING)"
}

# fcalc EXPR: evaluate an arithmetic expression with awk (sh has integers only).
# The parentheses keep awk from reading ">" as an output redirection.
fcalc() { awk "BEGIN { printf \"%.2f\", ($1) }"; }

# ratio A B: A/B with two decimals, or "n/a" when either side is missing.
ratio() {
	case "$1:$2" in
	*n/a* | :* | *: | *:0 | *:0.00) echo n/a ;;
	*) fcalc "$1 / $2" ;;
	esac
}

# shq ARG: ARG quoted for sh.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# plan KEY LABEL CMD...: queues a measurement for run_plans, which runs the
# queued commands interleaved: each of $RUNS rounds runs every command once,
# so a noisy moment on a shared machine falls on all of them, not on one.
plan() {
	P_N=$((${P_N:-0} + 1))
	printf '%s|%s\n' "$1" "$2" >>"$TMP/plans"
	shift 2
	{
		printf 'exec'
		for p_a in "$@"; do printf ' %s' "$(shq "$p_a")"; done
		printf '\n'
	} >"$TMP/plan.$P_N"
}

# run_plans: runs what plan queued, each command under GNU time, and appends
# "KEY|LABEL|best wall s|peak RSS MiB" to $RESULTS in the order queued. The
# best wall time is the least disturbed by the rest of the machine; the RSS
# kept is the highest seen, since a memory bound must hold on every run. GNU
# time's %M is the largest RSS of the command and every descendant it waited
# for, so a pipeline or xargs wrapper reports its biggest process. A failing
# command is recorded as n/a with its last lines of standard error shown, is
# not run again, and the rest go on.
run_plans() {
	[ -s "$TMP/plans" ] || return 0
	r_i=0
	while [ "$r_i" -lt "$RUNS" ]; do
		r_i=$((r_i + 1)) r_k=0
		while IFS='|' read -r r_key r_label; do
			r_k=$((r_k + 1))
			[ -e "$TMP/plan.$r_k.failed" ] && continue
			if ! /usr/bin/time -f '%e %M' -o "$TMP/time" sh "$TMP/plan.$r_k" </dev/null >/dev/null 2>"$TMP/err"; then
				say "$r_label failed (run $r_i):"
				tail -n 5 "$TMP/err" >&2
				: >"$TMP/plan.$r_k.failed"
				continue
			fi
			read -r r_wall r_kib <"$TMP/time"
			r_best=$(cat "$TMP/plan.$r_k.best" 2>/dev/null || true)
			if [ -z "$r_best" ] || [ "$(fcalc "$r_wall < $r_best")" = 1.00 ]; then
				echo "$r_wall" >"$TMP/plan.$r_k.best"
			fi
			r_rss=$(cat "$TMP/plan.$r_k.rss" 2>/dev/null || echo -1)
			[ "$r_kib" -gt "$r_rss" ] && echo "$r_kib" >"$TMP/plan.$r_k.rss"
		done <"$TMP/plans"
	done
	r_k=0
	while IFS='|' read -r r_key r_label; do
		r_k=$((r_k + 1))
		if [ -e "$TMP/plan.$r_k.failed" ]; then
			echo "$r_key|$r_label|n/a|n/a" >>"$RESULTS"
			continue
		fi
		r_best=$(cat "$TMP/plan.$r_k.best")
		r_mib=$(fcalc "$(cat "$TMP/plan.$r_k.rss") / 1024")
		say "$(printf '%-44s %7s s %9s MiB' "$r_label" "$r_best" "$r_mib")"
		echo "$r_key|$r_label|$r_best|$r_mib" >>"$RESULTS"
	done <"$TMP/plans"
	rm -f "$TMP/plans" "$TMP"/plan.*
	P_N=0
}

# measure KEY LABEL CMD...: one measurement on its own, its $RUNS runs in a
# row (for long commands; what plan queued before runs too).
measure() {
	plan "$@"
	run_plans
}

# wall KEY / rss KEY: a figure recorded by measure or run_plans, or n/a.
wall() { awk -F'|' -v k="$1" '$1 == k { v = $3 } END { print (v == "" ? "n/a" : v) }' "$RESULTS"; }
rss() { awk -F'|' -v k="$1" '$1 == k { v = $4 } END { print (v == "" ? "n/a" : v) }' "$RESULTS"; }

# splice_readme README SECTION [NAME]: replaces the lines between the
# <!-- bench:NAME:begin --> and <!-- bench:NAME:end --> markers of README
# (NAME: results unless given) with the contents of the file SECTION.
splice_readme() {
	sr_name=${3:-results}
	if ! grep -q "^<!-- bench:$sr_name:begin -->\$" "$1" || ! grep -q "^<!-- bench:$sr_name:end -->\$" "$1"; then
		die "$1 has no <!-- bench:$sr_name:begin/end --> markers"
	fi
	awk -v sect="$2" -v b="<!-- bench:$sr_name:begin -->" -v e="<!-- bench:$sr_name:end -->" '
		$0 == b { print; while ((getline l < sect) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip { print }
	' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
