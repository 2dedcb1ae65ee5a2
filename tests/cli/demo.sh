#!/bin/sh
# scripts/demo.sh, the last step of `make demo` (the README's first command):
#   1. with the feed reachable (a loopback feed server, tests/cli/feed_server.py,
#      serving a Debian Security Tracker JSON derived from the corpus's real
#      DSA/DLA lists), the demo downloads it, shows the bill of materials, and
#      shows the scan: the same findings `lading scan` gives with that database,
#      plus the note on why the fixture's integrity check finds missing files;
#   2. with the feed unreachable (a closed loopback port), it says plainly that
#      the feed could not be downloaded, why, and what to do, still shows the
#      bill of materials, exits 0, and never prints a clean-looking scan.
# Scenario 2 needs no corpus; scenario 1 skips visibly without it.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool python3 jq
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

rc=0
LADING_FIXTURE_SUITES=bookworm sh "$REPO/scripts/build-fixtures.sh" >"$T_TMP/fixtures.log" 2>&1 || rc=$?
[ "$rc" = 77 ] && t_skip "fixtures cannot be built here: $(tail -1 "$T_TMP/fixtures.log")"
[ "$rc" = 0 ] || t_fatal "scripts/build-fixtures.sh failed: $(tail -5 "$T_TMP/fixtures.log")"
IMG="oci:${LADING_FIXTURES:-$REPO/.cache/fixtures}/bookworm/oci:bookworm"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# 2. unreachable: a port nothing listens on
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'debian-tracker debian-tracker http://127.0.0.1:%s/tracker.json\n' "$PORT" >"$T_TMP/closed.sources"
rc=0
LADING_DB=$T_TMP/none.db LADING_DEMO_SOURCES=$T_TMP/closed.sources sh "$REPO/scripts/demo.sh" "$LADING" \
	>"$T_TMP/closed.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || t_fail "unreachable feed: demo exited $rc, want 0"
grep -q '^The vulnerability feed could not be downloaded from this machine' "$T_TMP/closed.out" ||
	t_fail "unreachable feed: the demo does not say the feed could not be downloaded"
grep -q "Couldn't connect to server\|Connection refused\|Failed to connect" "$T_TMP/closed.out" ||
	t_fail "unreachable feed: the demo does not give the reason"
grep -q 'build/lading db import --type debian-tracker' "$T_TMP/closed.out" ||
	t_fail "unreachable feed: the demo does not say what to do"
grep -q '^110 packages' "$T_TMP/closed.out" || t_fail "unreachable feed: no bill of materials"
! grep -q -e '^Total: ' -e 'No known vulnerabilities' "$T_TMP/closed.out" ||
	t_fail "unreachable feed: the demo printed a scan result without data"
[ ! -e "$T_TMP/none.db" ] || t_fail "unreachable feed: a database was created anyway"

# 1. reachable
if [ -d "${LADING_CORPUS:-$REPO/../shared/corpus}/vulndata/debian" ]; then
	t_corpus
	mkdir -p "$T_TMP/root"
	python3 "$REPO/tests/fixtures-gen/debian_tracker_from_dsa.py" "$T_TMP/root/tracker.json" \
		"$T_CORPUS/vulndata/debian/DSA-list" "$T_CORPUS/vulndata/debian/DLA-list" || t_fatal "feed generation failed"
	t_feed_server "$T_TMP/root" "$T_TMP/requests.log" 120
	printf 'debian-tracker debian-tracker %s/feeds/tracker.json\n' "$T_FEEDS" >"$T_TMP/live.sources"
	rc=0
	LADING_DB=$T_TMP/live.db LADING_DEMO_SOURCES=$T_TMP/live.sources sh "$REPO/scripts/demo.sh" "$LADING" \
		>"$T_TMP/live.out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || t_fail "reachable feed: demo exited $rc: $(tail -5 "$T_TMP/live.out")"
	grep -q '^debian-tracker: updated: ' "$T_TMP/live.out" || t_fail "reachable feed: the feed was not imported"
	grep -q 'deletes /usr/share/man/man8 and /etc/issue.net on purpose' "$T_TMP/live.out" ||
		t_fail "reachable feed: no word on why files are missing"
	# the demo's scan is lading scan's, with the database it filled
	"$LADING" scan -q --db "$T_TMP/live.db" -f table "$IMG" >"$T_TMP/scan.table" || t_fail "lading scan failed"
	sed -n '/^== Vulnerabilities: /,$p' "$T_TMP/live.out" | sed '1,/^$/d' | sed '1,/^$/d' >"$T_TMP/demo.table"
	t_compare "$T_TMP/scan.table" "$T_TMP/demo.table" "the demo's scan" "lading scan's table" || true
	grep -q '^Total: ' "$T_TMP/demo.table" || t_fail "reachable feed: no scan summary"
	grep -q '^  missing   /usr/share/man/man8/  (1[0-9][0-9] files of .*documentation deleted after installation' \
		"$T_TMP/demo.table" || t_fail "reachable feed: the deleted man pages are not one explained row"
	t_say "reachable: $(grep '^Total: ' "$T_TMP/demo.table")"
else
	t_say "SKIP reachable-feed scenario: no corpus (set LADING_CORPUS); the unreachable one ran"
fi
t_done
