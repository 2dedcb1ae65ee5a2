# Helpers for bench/run.sh, sourced by it: logging, float arithmetic through
# awk, timing a command (best wall time and highest peak RSS of N runs), and
# splicing the results section into bench/README.md. Nothing here judges a
# figure: benchmarks measure and report, they never pass or fail on speed.

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	printf 'bench: error: %s\n' "$*" >&2
	exit 1
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

# measure KEY LABEL CMD...: runs CMD $RUNS times under GNU time and appends
# "KEY|LABEL|best wall s|peak RSS MiB" to $RESULTS. The best wall time is the
# least disturbed by the rest of the machine; the RSS kept is the highest
# seen, since a memory bound must hold on every run. GNU time's %M is the
# largest RSS of the command and every descendant it waited for, so a
# pipeline or xargs wrapper reports its biggest process. A failing command is
# recorded as n/a with its last lines of standard error shown, and the run
# goes on.
measure() {
	m_key=$1 m_label=$2
	shift 2
	m_best='' m_rss=0 m_i=0
	while [ "$m_i" -lt "$RUNS" ]; do
		m_i=$((m_i + 1))
		if ! /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err"; then
			say "$m_label failed (run $m_i):"
			tail -n 5 "$TMP/err" >&2
			echo "$m_key|$m_label|n/a|n/a" >>"$RESULTS"
			return 0
		fi
		read -r m_wall m_kib <"$TMP/time"
		if [ -z "$m_best" ] || [ "$(fcalc "$m_wall < $m_best")" = 1.00 ]; then m_best=$m_wall; fi
		[ "$m_kib" -gt "$m_rss" ] && m_rss=$m_kib
	done
	m_mib=$(fcalc "$m_rss / 1024")
	say "$(printf '%-44s %7s s %9s MiB' "$m_label" "$m_best" "$m_mib")"
	echo "$m_key|$m_label|$m_best|$m_mib" >>"$RESULTS"
}

# wall KEY / rss KEY: a figure recorded by measure, or n/a.
wall() { awk -F'|' -v k="$1" '$1 == k { v = $3 } END { print (v == "" ? "n/a" : v) }' "$RESULTS"; }
rss() { awk -F'|' -v k="$1" '$1 == k { v = $4 } END { print (v == "" ? "n/a" : v) }' "$RESULTS"; }

# splice_readme README SECTION: replaces the lines between the begin and end
# markers of README with the contents of the file SECTION.
splice_readme() {
	if ! grep -q '^<!-- bench:results:begin -->$' "$1" || ! grep -q '^<!-- bench:results:end -->$' "$1"; then
		die "$1 has no <!-- bench:results:begin/end --> markers"
	fi
	awk -v sect="$2" '
		/^<!-- bench:results:begin -->$/ { print; while ((getline l < sect) > 0) print l; skip = 1; next }
		/^<!-- bench:results:end -->$/ { skip = 0 }
		!skip { print }
	' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
