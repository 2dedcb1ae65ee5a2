#!/bin/sh
# lading db update against a loopback feed server (tests/cli/feed_server.py)
# serving real corpus feeds: an Alpine secdb YAML, an OSV zip built here from
# vulndata/osv-go, and Debian's DSA list. Checks that
#   - the first update imports exactly what `lading db import` of the same
#     files imports (the oracle: the importers, already checked row by row);
#   - the second update sends If-None-Match / If-Modified-Since (server log),
#     gets 304 for every source and leaves the database byte for byte alone;
#   - a changed feed is downloaded and re-imported, replacing its old rows;
#   - each misbehaving server (404, cut body, stalled body, redirect loop,
#     500) fails that source only, with a clear reason, exit 3, within a
#     bounded time, while the other sources still update, the failed
#     source's old rows stay, and nothing is left beside the database;
#   - a 503 followed by 200 is retried, and a redirect is followed;
#   - a second update on the same directory is refused while one runs (with
#     --lock-wait 0; by default it waits, see db_writers.sh), and what a
#     killed update left behind is removed;
#   - plain http to a non-loopback address is refused before any request.
# Nothing here leaves the machine: every URL is http://127.0.0.1:PORT.
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool python3 flock
t_corpus
t_tmpdir

V=$T_CORPUS/vulndata
for f in "$V/alpine-secdb/v3.9/main.yaml" "$V/alpine-secdb/v3.10/main.yaml" "$V/debian/DSA-list" "$V/osv-go"; do
	[ -e "$f" ] || t_skip "corpus file $f is missing"
done

# The served tree (a copy, so that a test can change a feed; the corpus is read-only).
ROOT=$T_TMP/root
mkdir -p "$ROOT/alpine/v3.9" "$ROOT/osv/Go" "$ROOT/debian/DSA"
cp "$V/alpine-secdb/v3.9/main.yaml" "$ROOT/alpine/v3.9/main.yaml"
cp "$V/debian/DSA-list" "$ROOT/debian/DSA/list"
python3 - "$V/osv-go" "$ROOT/osv/Go/all.zip" <<'EOF' || t_fatal "cannot build the OSV zip"
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        if name.endswith(".json"):
            z.write(os.path.join(src, name), name)
EOF

# The server: stops by itself after 240 s whatever happens to this script.
LOG=$T_TMP/requests.log
t_feed_server "$ROOT" "$LOG" 240
B=$T_FEEDS

# Only the loopback server is ever contacted: no proxy, short bounds.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
export LADING_HTTP_CONNECT_TIMEOUT=5 LADING_HTTP_LOW_SPEED_TIME=2 LADING_HTTP_TIMEOUT=60
export LADING_HTTP_RETRIES=2 LADING_HTTP_RETRY_DELAY=0.1

DBDIR=$T_TMP/db
DB=$DBDIR/vuln.db
SOURCES=$T_TMP/sources
cat >"$SOURCES" <<EOF
# the three test feeds
alpine   alpine-secdb  $B/feeds/alpine/v3.9/main.yaml
osv-go   osv           $B/feeds/osv/Go/all.zip
dsa      debian-dsa    $B/feeds/debian/DSA/list
EOF

# update OUT [ARGS...]: runs `lading db update --db $DB --sources-file
# $SOURCES ARGS`, stdout to OUT, stderr to OUT.err; sets $RC and $SECS.
update() {
	u_out=$1
	shift
	u_t0=$(date +%s)
	"$LADING" db update --db "$DB" --sources-file "$SOURCES" "$@" >"$u_out" 2>"$u_out.err"
	RC=$?
	SECS=$(($(date +%s) - u_t0))
}
# status OUT: the database's status (sources and namespaces).
status() { "$LADING" db status --db "$DB" >"$1" 2>&1 || t_fail "db status failed: $(cat "$1")"; }
# The namespaces section, and "TYPE ADVISORIES" per source: comparable with
# an import of the same files (which names sources by path, not URL).
counts() { sed -n '/^NAMESPACE/,$p' "$1"; awk 'NR > 3 && NF == 4 { print $2, $4 }' "$1" | sed '/^$/d' | sort; }
expect_line() { # FILE REGEX WHAT
	grep -Eq "$2" "$1" || {
		t_fail "$3: no line matching /$2/ in:"
		sed 's/^/    /' "$1" "$1.err" | head -20
	}
}
no_leftovers() { # WHAT
	left=$(ls -A "$DBDIR" | grep -vx 'vuln.db')
	[ -z "$left" ] || t_fail "$1: left beside the database: $left"
}
# requests REL: lines of the server log for one served file, as "STATUS INM IMS".
requests() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["rel"] == sys.argv[2] and not e["path"].startswith("/_ctl"):
        print(e["status"], "inm" if e["if_none_match"] else "-", "ims" if e["if_modified_since"] else "-")
' "$LOG" "$1"
}

# ctl REL MODE: switches how the server answers for /feeds/REL.
ctl() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10).read()' \
		"$B/_ctl?path=$1&mode=$2" || t_fail "cannot switch $1 to $2"
}

# ---- the oracle: the same three files imported by hand -------------------------
REF=$T_TMP/ref.db
t_run_lading "$T_TMP/ref.out" db import --db "$REF" --type alpine-secdb "$ROOT/alpine/v3.9/main.yaml" &&
	t_run_lading "$T_TMP/ref.out" db import --db "$REF" --type osv "$ROOT/osv/Go/all.zip" &&
	t_run_lading "$T_TMP/ref.out" db import --db "$REF" --type debian-dsa "$ROOT/debian/DSA/list" ||
	t_fatal "reference import failed"
"$LADING" db status --db "$REF" >"$T_TMP/ref.status"
counts "$T_TMP/ref.status" >"$T_TMP/ref.counts"

# ---- 1. first update: everything downloaded and imported ------------------------
update "$T_TMP/u1"
[ "$RC" -eq 0 ] || t_fail "first update exited $RC: $(cat "$T_TMP/u1.err")"
for n in alpine osv-go dsa; do expect_line "$T_TMP/u1" "^$n: updated: [1-9][0-9]* advisories" "first update, $n"; done
expect_line "$T_TMP/u1" '^db update: 3 updated, 0 not modified, 0 failed$' "first update summary"
status "$T_TMP/s1"
counts "$T_TMP/s1" >"$T_TMP/s1.counts"
t_compare "$T_TMP/ref.counts" "$T_TMP/s1.counts" "first update vs db import of the same files" "db import"
grep -q "$B/feeds/osv/Go/all.zip" "$T_TMP/s1" || t_fail "the status does not name the osv-go source by its URL"
no_leftovers "first update"
for rel in alpine/v3.9/main.yaml osv/Go/all.zip debian/DSA/list; do
	[ "$(requests $rel)" = "200 - -" ] || t_fail "first update, $rel: expected one unconditional 200, log: $(requests $rel)"
done

# ---- 2. second update: conditional requests, 304, nothing rewritten ---------------
cp "$DB" "$T_TMP/db1.copy"
: >"$LOG"
update "$T_TMP/u2"
[ "$RC" -eq 0 ] || t_fail "second update exited $RC: $(cat "$T_TMP/u2.err")"
expect_line "$T_TMP/u2" '^db update: 0 updated, 3 not modified, 0 failed$' "second update summary"
for rel in alpine/v3.9/main.yaml osv/Go/all.zip debian/DSA/list; do
	[ "$(requests $rel)" = "304 inm ims" ] ||
		t_fail "second update, $rel: expected one conditional request answered 304, log: $(requests $rel)"
done
cmp -s "$DB" "$T_TMP/db1.copy" || t_fail "a 304 for every source still rewrote the database"
status "$T_TMP/s2"
cmp -s "$T_TMP/s1" "$T_TMP/s2" || t_fail "status changed after an update that found nothing new"
no_leftovers "second update"

# ---- 3. a changed feed is downloaded again and replaces its rows -------------------
# The same URL now serves the v3.10 file: its rows replace v3.9's (same source).
cp "$V/alpine-secdb/v3.10/main.yaml" "$ROOT/alpine/v3.9/main.yaml"
: >"$LOG"
update "$T_TMP/u3"
[ "$RC" -eq 0 ] || t_fail "update after a change exited $RC: $(cat "$T_TMP/u3.err")"
expect_line "$T_TMP/u3" '^alpine: updated: ' "changed feed"
expect_line "$T_TMP/u3" '^db update: 1 updated, 2 not modified, 0 failed$' "changed feed summary"
[ "$(requests alpine/v3.9/main.yaml)" = "200 inm ims" ] ||
	t_fail "changed feed: expected a conditional request answered 200, log: $(requests alpine/v3.9/main.yaml)"
REF2=$T_TMP/ref2.db
"$LADING" db import --db "$REF2" --type alpine-secdb "$V/alpine-secdb/v3.10/main.yaml" >/dev/null 2>&1 &&
	"$LADING" db import --db "$REF2" --type osv "$ROOT/osv/Go/all.zip" >/dev/null 2>&1 &&
	"$LADING" db import --db "$REF2" --type debian-dsa "$ROOT/debian/DSA/list" >/dev/null 2>&1 ||
	t_fatal "second reference import failed"
"$LADING" db status --db "$REF2" >"$T_TMP/ref2.status"
counts "$T_TMP/ref2.status" >"$T_TMP/ref2.counts"
status "$T_TMP/s3"
counts "$T_TMP/s3" >"$T_TMP/s3.counts"
t_compare "$T_TMP/ref2.counts" "$T_TMP/s3.counts" "after a changed feed vs db import" "db import"
grep -q '^alpine:3\.9 ' "$T_TMP/s3" && t_fail "alpine:3.9 rows survived the feed's replacement"
no_leftovers "changed feed"

# ---- 4. failures: that source only, clear reason, exit 3, bounded time --------------
# fail_case NAME SPEC REGEX MAXSECS: one extra source that must fail.
fail_case() {
	status "$T_TMP/before"
	update "$T_TMP/f-$1" --source "$2"
	[ "$RC" -eq 3 ] || t_fail "$1: exit $RC, expected 3"
	expect_line "$T_TMP/f-$1" "^x: failed: $3" "$1: reason"
	expect_line "$T_TMP/f-$1" '^db update: 0 updated, 3 not modified, 1 failed$' "$1: the other sources"
	[ "$SECS" -le "$4" ] || t_fail "$1: took ${SECS}s, bound ${4}s"
	status "$T_TMP/after"
	cmp -s "$T_TMP/before" "$T_TMP/after" || t_fail "$1: the database changed"
	no_leftovers "$1"
}
: >"$LOG"
fail_case 404 "x=osv:$B/e/404/osv/Go/all.zip" 'HTTP 404 Not Found \[' 10
[ "$(requests osv/Go/all.zip | grep -c '^404')" -eq 1 ] || t_fail "404: retried, log: $(requests osv/Go/all.zip)"
fail_case cut "x=osv:$B/e/cut/osv/Go/all.zip" 'transfer closed with [0-9]+ bytes remaining to read \(after 3 attempts\)' 15
# three attempts of 2 s below the speed limit, plus backoff
fail_case stall "x=debian-dsa:$B/e/stall/debian/DSA/list" 'Operation too slow.*\(after 3 attempts\)' 20
fail_case loop "x=osv:$B/e/loop" 'Maximum \(5\) redirects followed' 10
fail_case refused "x=osv:http://127.0.0.1:1/all.zip" "Failed to connect to 127.0.0.1 port 1.*after 3 attempts" 10

# A source that already has rows fails: its rows stay, another source updates.
status "$T_TMP/s4"
"$LADING" db status --db "$DB" | grep -F "$B/feeds/osv/Go/all.zip" >"$T_TMP/osv.before"
ctl osv/Go/all.zip 500
cp "$V/alpine-secdb/v3.9/main.yaml" "$ROOT/alpine/v3.9/main.yaml"
: >"$LOG"
update "$T_TMP/u5"
[ "$RC" -eq 3 ] || t_fail "failing known source: exit $RC, expected 3"
expect_line "$T_TMP/u5" '^osv-go: failed: HTTP 500 Internal Server Error \(after 3 attempts\)' "failing known source"
expect_line "$T_TMP/u5" '^alpine: updated: ' "failing known source: another source still updates"
expect_line "$T_TMP/u5" '^db update: 1 updated, 1 not modified, 1 failed$' "failing known source summary"
[ "$(requests osv/Go/all.zip | grep -c '^500 inm ims')" -eq 3 ] ||
	t_fail "500: expected 3 conditional attempts, log: $(requests osv/Go/all.zip)"
"$LADING" db status --db "$DB" | grep -F "$B/feeds/osv/Go/all.zip" >"$T_TMP/osv.after"
cmp -s "$T_TMP/osv.before" "$T_TMP/osv.after" || t_fail "the failed source's rows changed: $(cat "$T_TMP/osv.after")"
status "$T_TMP/s5"
counts "$T_TMP/s5" >"$T_TMP/s5.counts"
t_compare "$T_TMP/ref.counts" "$T_TMP/s5.counts" "after a failed osv-go and a v3.9 alpine again" "db import"
no_leftovers "failing known source"
ctl osv/Go/all.zip ok

# ---- 5. retried and redirected downloads succeed --------------------------------------
: >"$LOG"
update "$T_TMP/u6" --only 'x*' --source "x1=debian-dsa:$B/e/flaky/debian/DSA/list" \
	--source "x2=alpine-secdb:$B/e/redirect/alpine/v3.9/main.yaml"
[ "$RC" -eq 0 ] || t_fail "flaky + redirect: exit $RC: $(cat "$T_TMP/u6.err")"
expect_line "$T_TMP/u6" '^x1: updated: [1-9]' "503 then 200"
expect_line "$T_TMP/u6" '^x2: updated: [1-9]' "redirect"
[ "$(requests debian/DSA/list | tr '\n' ' ')" = "503 - - 200 - - " ] ||
	t_fail "flaky: expected 503 then 200, log: $(requests debian/DSA/list | tr '\n' ' ')"
# --source NAME=URL moves a source to another URL: its old URL's rows go.
update "$T_TMP/u7" --only x1 --source "x1=debian-dsa:$B/e/redirect/debian/DSA/list"
[ "$RC" -eq 0 ] || t_fail "moved source: exit $RC"
"$LADING" db status --db "$DB" | grep -F "/e/flaky/" && t_fail "a moved source kept its old URL's rows"
no_leftovers "retries and redirects"

# ---- 6. one update per directory; leftovers of a killed update are removed ------------
status "$T_TMP/s8"
flock "$DBDIR" sleep 3 &
LOCKER=$!
sleep 0.5
update "$T_TMP/u8" --lock-wait 0
wait $LOCKER
[ "$RC" -eq 3 ] || t_fail "update under a held lock: exit $RC, expected 3"
grep -q "another writer holds the lock on this database directory (pid $LOCKER)" "$T_TMP/u8.err" ||
	t_fail "held lock: message was: $(cat "$T_TMP/u8.err")"
sh -c 'exit 0' &
DEAD=$!
wait $DEAD
mkdir -p "$DBDIR/.lading-update-$DEAD-abcdef/Go"
: >"$DBDIR/.lading-update-$DEAD-abcdef/Go/all.zip"
: >"$DBDIR/vuln.db.import-$DEAD"
update "$T_TMP/u9"
[ "$RC" -eq 0 ] || t_fail "update after a killed one: exit $RC"
no_leftovers "leftovers of a killed update"

# ---- 7. usage errors, before any request ----------------------------------------------
# (--list: even if a check were missing, nothing would be downloaded)
: >"$LOG"
"$LADING" db update --db "$DB" --source "x=osv:http://192.0.2.1/all.zip" --list >/dev/null 2>"$T_TMP/e1"
[ $? -eq 2 ] || t_fail "plain http to a non-loopback address: expected exit 2"
grep -q 'loopback' "$T_TMP/e1" || t_fail "plain http refusal does not say why: $(cat "$T_TMP/e1")"
"$LADING" db update --db "$DB" --source "nosuch=$B/x" --list >/dev/null 2>&1
[ $? -eq 2 ] || t_fail "--source for an unknown name without a type: expected exit 2"
"$LADING" db update --db "$DB" --sources-file "$SOURCES" --only 'nomatch*' --list >/dev/null 2>&1
[ $? -eq 2 ] || t_fail "--only matching nothing: expected exit 2"
printf 'a osv %s/x\nb wrongtype %s/y\n' "$B" "$B" >"$T_TMP/bad-sources"
"$LADING" db update --db "$DB" --sources-file "$T_TMP/bad-sources" >/dev/null 2>"$T_TMP/e2"
[ $? -eq 2 ] || t_fail "bad sources file: expected exit 2"
grep -q 'bad-sources:2: b: unknown feed type' "$T_TMP/e2" || t_fail "bad sources file message: $(cat "$T_TMP/e2")"
LADING_HTTP_RETRIES=x "$LADING" db update --db "$DB" --sources-file "$SOURCES" >/dev/null 2>"$T_TMP/e3"
[ $? -eq 2 ] || t_fail "bad LADING_HTTP_RETRIES: expected exit 2"
[ ! -s "$LOG" ] || t_fail "a usage error still sent requests: $(cat "$LOG")"
"$LADING" db update --list >"$T_TMP/list" || t_fail "--list failed"
grep -Eq '^osv-go +osv +https://osv-vulnerabilities\.storage\.googleapis\.com/Go/all\.zip$' "$T_TMP/list" ||
	t_fail "--list does not show the built-in osv-go source"
[ "$(wc -l <"$T_TMP/list")" -eq 21 ] || t_fail "--list: expected the 21 built-in sources, got $(wc -l <"$T_TMP/list")"

t_done
