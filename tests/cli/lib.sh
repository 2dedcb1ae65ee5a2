# Shared helpers for the CLI tests in tests/cli/. Sourced, not run:
#   . "$(dirname "$0")/lib.sh"
# tests/run-cli.sh runs each test with $LADING set to the built binary and the
# repository root as the working directory. Exit status: 0 pass, 77 skip (the
# reason is printed), anything else fails. POSIX sh: run-cli.sh uses sh.

case $0 in
*/lib.sh | lib.sh)
	echo "tests/cli/lib.sh: helper library sourced by the other tests, not a test itself"
	exit 77
	;;
esac

T_NAME=$(basename "$0" .sh)
T_FAILS=0

t_say() { printf '%s: %s\n' "$T_NAME" "$*"; }
t_skip() {
	printf '%s: SKIP: %s\n' "$T_NAME" "$*"
	exit 77
}
# Records a failure and carries on, so one run shows every mismatch.
t_fail() {
	printf '%s: FAIL: %s\n' "$T_NAME" "$*"
	T_FAILS=$((T_FAILS + 1))
}
t_fatal() {
	printf '%s: FATAL: %s\n' "$T_NAME" "$*"
	exit 1
}
# Last line of every test: exit status from the recorded failures.
t_done() {
	if [ "$T_FAILS" -ne 0 ]; then
		t_say "$T_FAILS check(s) failed"
		exit 1
	fi
	t_say "all checks passed"
	exit 0
}

t_need_tool() {
	for t_tool in "$@"; do
		command -v "$t_tool" >/dev/null 2>&1 || t_skip "$t_tool is not installed (run scripts/setup.sh)"
	done
}

t_need_lading() {
	[ -n "${LADING:-}" ] || t_fatal "LADING is not set (run through tests/run-cli.sh BINARY)"
	[ -x "$LADING" ] || t_fatal "LADING=$LADING is not an executable file"
}

# Sets $T_CORPUS to the corpus directory: $LADING_CORPUS, else ../shared/corpus
# beside the repository. Skips the test visibly when it is absent. (Not meant
# for $(...): a skip there would only leave the subshell.)
t_corpus() {
	T_CORPUS=${LADING_CORPUS:-$(pwd)/../shared/corpus}
	[ -d "$T_CORPUS" ] || t_skip "test corpus not found at $T_CORPUS (set LADING_CORPUS)"
	T_CORPUS=$(cd "$T_CORPUS" && pwd)
}

# A temporary directory removed when the test exits ($T_TMP).
t_tmpdir() {
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lading-cli-$T_NAME.XXXXXX")
	trap 'rm -rf "$T_TMP"' EXIT
	trap 'exit 130' INT TERM HUP
}

# t_feed_server ROOT LOG LIFETIME: starts tests/cli/feed_server.py on the
# files below ROOT, one JSON line per request in LOG (emptied first). It stops
# by itself after LIFETIME seconds and is killed when the test exits. Sets
# $SERVER (its pid) and $T_FEEDS (http://127.0.0.1:PORT). After t_tmpdir.
t_feed_server() {
	: >"$2"
	python3 "$(dirname "$0")/feed_server.py" "$1" "$2" "$T_TMP/port" "$3" &
	SERVER=$!
	trap 'kill $SERVER 2>/dev/null; rm -rf "$T_TMP"' EXIT
	t_i=0
	while [ ! -s "$T_TMP/port" ]; do
		t_i=$((t_i + 1))
		[ $t_i -le 100 ] || t_fatal "the feed server did not start"
		sleep 0.1
	done
	T_FEEDS=http://127.0.0.1:$(cat "$T_TMP/port")
}

# Runs lading; stdout goes to file $1, stderr to $1.err. Fails (returns 1,
# after recording the failure and printing stderr) on a non-zero exit.
t_run_lading() {
	t_out=$1
	shift
	t_rc=0
	"$LADING" "$@" >"$t_out" 2>"$t_out.err" || t_rc=$?
	[ "$t_rc" -eq 0 ] && return 0
	t_fail "lading $* exited with $t_rc; stderr:"
	sed 's/^/    /' "$t_out.err" | head -20
	return 1
}

# Compares two sorted TSV files; on a difference records a failure named $3 and
# prints a unified diff (- expected, + lading) with counts. Returns 1 then.
# $4, if given, names the expected file in the message (default: its name).
t_compare() {
	t_exp=$1 t_got=$2 t_what=$3 t_expname=${4:-$(basename "$1")}
	if cmp -s "$t_exp" "$t_got"; then
		return 0
	fi
	t_fail "$t_what: lading's output differs from $t_expname ($(wc -l <"$t_exp") expected rows, $(wc -l <"$t_got") from lading; - expected, + lading):"
	diff -u "$t_exp" "$t_got" | tail -n +3 | grep '^[-+]' | head -60 | sed 's/^/    /'
	t_n=$(diff "$t_exp" "$t_got" | grep -c '^[<>]' || true)
	[ "$t_n" -le 60 ] || printf '    ... %s differing rows in all\n' "$t_n"
	return 1
}

# t_alpine_setback VERSION ROOT TSV_OUT: ROOT (created) holds the corpus's
# Alpine VERSION minirootfs with every package whose origin has secfixes in
# the corpus secdb of that release set back to the lowest fixed version
# (tests/cli/alpine_expected.py --downgrade: real version strings, our
# rewrite); TSV_OUT lists the packages as set back. The released images are
# fully patched: this gives the scan tests something to find. After
# t_corpus and t_tmpdir; fails (non-zero) if a step does.
t_alpine_setback() {
	t_tgz=$T_CORPUS/images/alpine/alpine-minirootfs-$1-x86_64.tar.gz
	t_sec=$T_CORPUS/vulndata/alpine-secdb/v${1%.*}
	mkdir -p "$2" && tar -C "$2" -xzf "$t_tgz" &&
		python3 "$(dirname "$0")/alpine_expected.py" --downgrade "$2/lib/apk/db/installed" \
			"${t_tgz%.tar.gz}.apk-full.tsv" "$T_TMP/installed" "$3" "$t_sec/main.yaml" "$t_sec/community.yaml" &&
		cp "$T_TMP/installed" "$2/lib/apk/db/installed"
}

# t_debian_setback FIXDIR RELEASE TRACKER DIR: DIR/oci is a copy of the
# fixture's OCI layout (FIXDIR/oci, tag RELEASE) plus one layer whose dpkg
# status sets every package the tracker feed TRACKER has a fix for back to
# the version the release first shipped (tests/cli/debian_expected.py
# setback); DIR/setback.tsv lists the packages as that layer has them. Needs
# umoci and python3-apt; fails (non-zero) if a step does.
t_debian_setback() {
	t_py=$(dirname "$0")/debian_expected.py
	cp -r "$1/oci" "$4/oci" && chmod -R u+w "$4/oci" &&
		/usr/bin/python3 "$t_py" status "$1/oci" "$4/status" && mkdir -p "$4/layer/var/lib/dpkg" &&
		/usr/bin/python3 "$t_py" setback "$3" "$2" "$4/status" "$4/layer/var/lib/dpkg/status" "$1/expected.tsv" \
			"$4/setback.tsv" &&
		tar -C "$4/layer" -cf "$4/layer.tar" var &&
		umoci raw add-layer --image "$4/oci:$2" --history.created_by "set versions back (test)" "$4/layer.tar"
}

# Checks that a file is valid JSON; records a failure otherwise.
t_valid_json() {
	if jq -e . "$1" >/dev/null 2>&1; then
		return 0
	fi
	t_fail "$2: output is not valid JSON (first bytes: $(head -c 200 "$1" | tr '\n' ' '))"
	return 1
}
