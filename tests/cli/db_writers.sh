#!/bin/sh
# The writers of the vulnerability database (lading db import, lading db
# update) against each other, against kill -9, and against a wrong feed type,
# on the corpus's real feeds. Checks that
#   - imports started while another import of the same database runs wait
#     for it, and every feed's rows are there afterwards (before the lock was
#     shared, the later rename dropped the earlier import's feed);
#   - an import waits for an update holding the lock (and says for which
#     pid), then runs;
#   - --lock-wait 0 fails at once and --lock-wait N after N seconds, exit 3,
#     naming the directory and the holder's pid, the database untouched;
#   - imports killed with kill -9 leave DB.import-<pid> copies that the next
#     import removes (with an update's leftover directory), while the file of
#     a live pid stays, and the database is intact;
#   - a feed read with the wrong type (OSV Go as alpine-secdb, by import and
#     by update) is an error naming the input and the type, and the rows the
#     input brought before stay (before, they were replaced by none, exit 0);
#   - (strace) the new copy is written, then synced, then renamed onto the
#     database, then the directory is synced.
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool python3 sqlite3
t_corpus
t_tmpdir

V=$T_CORPUS/vulndata
OSV=$V/osv-go
for f in "$OSV" "$V/alpine-secdb/v3.8/main.yaml" "$V/alpine-secdb/v3.9/main.yaml" \
	"$V/alpine-secdb/v3.10/main.yaml" "$V/debian/DSA-list"; do
	[ -e "$f" ] || t_skip "corpus file $f is missing"
done
SMALL="$V/alpine-secdb/v3.8/main.yaml $V/alpine-secdb/v3.9/main.yaml $V/alpine-secdb/v3.10/main.yaml $V/debian/DSA-list"

DBDIR=$T_TMP/db
DB=$DBDIR/vuln.db
mkdir -p "$DBDIR"

# "TYPE ADVISORIES SOURCE" per source of a database, sorted.
sources() { "$LADING" db status --db "$1" 2>&1 | awk 'NR > 3 && NF == 4 { print $2, $4, $1 }' | sort; }
# work_files: what is beside the database apart from itself.
work_files() { ls -A "$DBDIR" | grep -vx 'vuln.db'; }
# wait_for FILE PID: busy-waits until FILE exists (true) or PID ends (false).
wait_for() {
	while [ ! -e "$1" ]; do
		kill -0 "$2" 2>/dev/null || return 1
	done
}
# import_bg OUT ARGS...: lading db import --db $DB ARGS in the background,
# stdout and stderr to OUT, its exit status to OUT.rc once it ends; $! is it.
import_bg() {
	b_out=$1
	shift
	(
		"$LADING" db import --db "$DB" "$@" >"$b_out" 2>&1
		echo $? >"$b_out.rc"
	) &
}

# ---- the oracle: every feed imported one after the other --------------------------
REF=$T_TMP/ref.db
for f in "$OSV" $SMALL; do
	t_run_lading "$T_TMP/ref.out" db import -q --db "$REF" "$f" || t_fatal "reference import of $f failed"
done
sources "$REF" >"$T_TMP/ref.sources"
[ "$(wc -l <"$T_TMP/ref.sources")" -eq 5 ] || t_fatal "reference: expected 5 sources: $(cat "$T_TMP/ref.sources")"

# ---- 1. concurrent imports: all of them wait their turn, no feed is lost ---------------
# The large OSV import starts first; once its copy beside the database exists
# (it is working), four small imports start at once. They finish long before
# it: without a shared lock each renamed its copy first and the OSV import's
# rename, made from the empty database it copied, dropped them.
overlap=0
for attempt in 1 2 3; do
	rm -f "$DB" "$T_TMP"/c-*
	"$LADING" db import -q --db "$DB" "$OSV" >"$T_TMP/c-osv" 2>&1 &
	BIG=$!
	if ! wait_for "$DB.import-$BIG" $BIG; then
		wait $BIG
		continue # done before it was seen working: try again
	fi
	i=0
	for f in $SMALL; do
		i=$((i + 1))
		import_bg "$T_TMP/c-$i" "$f"
	done
	kill -0 $BIG 2>/dev/null && overlap=1
	wait $BIG
	echo $? >"$T_TMP/c-osv.rc"
	wait
	[ "$overlap" -eq 1 ] && break
done
[ "$overlap" -eq 1 ] || t_fatal "could not run the small imports while the OSV import ran (3 attempts)"
for rc in "$T_TMP"/c-*.rc; do
	[ "$(cat "$rc")" -eq 0 ] || t_fail "concurrent import ${rc%.rc} exited $(cat "$rc"): $(cat "${rc%.rc}")"
done
sources "$DB" >"$T_TMP/c.sources"
t_compare "$T_TMP/ref.sources" "$T_TMP/c.sources" "five concurrent imports" "one import after the other"
[ -z "$(work_files)" ] || t_fail "left beside the database after concurrent imports: $(work_files)"

# ---- 2. an import waits for an update ------------------------------------------------
# The update's first source stalls (one byte a second) until the speed limit
# drops it, 2 s, holding the lock; then it imports its second source. An
# import started meanwhile must wait for it and then run.
ROOT=$T_TMP/root
mkdir -p "$ROOT/alpine/v3.9" "$ROOT/osv"
cp "$V/alpine-secdb/v3.9/main.yaml" "$ROOT/alpine/v3.9/main.yaml"
cp "$OSV/GO-2020-0001.json" "$ROOT/osv/"
LOG=$T_TMP/requests.log
t_feed_server "$ROOT" "$LOG" 120
B=$T_FEEDS
cat >"$T_TMP/sources" <<EOF
slow     alpine-secdb  $B/e/stall/alpine/v3.9/main.yaml
alpine   alpine-secdb  $B/feeds/alpine/v3.9/main.yaml
EOF
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
rm -f "$DB"
(
	LADING_HTTP_LOW_SPEED_TIME=2 LADING_HTTP_RETRIES=0 "$LADING" db update --db "$DB" \
		--sources-file "$T_TMP/sources" >"$T_TMP/u" 2>&1
	echo $? >"$T_TMP/u.rc"
	date +%s.%N >"$T_TMP/u.end"
) &
UPD=$!
i=0
while ! ls -d "$DBDIR"/.lading-update-* >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -le 500 ] || t_fatal "the update did not start"
	sleep 0.01
done
"$LADING" db import -q --db "$DB" "$OSV" >"$T_TMP/i" 2>&1 || t_fail "import during an update failed: $(cat "$T_TMP/i")"
date +%s.%N >"$T_TMP/i.end"
wait $UPD
[ "$(cat "$T_TMP/u.rc")" -eq 3 ] || t_fail "update with a stalled source: exit $(cat "$T_TMP/u.rc"), expected 3: $(cat "$T_TMP/u")"
grep -q '^alpine: updated: ' "$T_TMP/u" || t_fail "the update's second source was not imported: $(cat "$T_TMP/u")"
awk -v a="$(cat "$T_TMP/i.end")" -v b="$(cat "$T_TMP/u.end")" 'BEGIN { exit !(a >= b) }' ||
	t_fail "the import ended before the update that held the lock"
sources "$DB" >"$T_TMP/u.sources"
grep -q "^osv 4291 $OSV\$" "$T_TMP/u.sources" || t_fail "import after an update: no osv-go rows: $(cat "$T_TMP/u.sources")"
grep -q "^alpine-secdb [1-9][0-9]* $B/feeds/alpine/v3.9/main.yaml\$" "$T_TMP/u.sources" ||
	t_fail "import after an update: the update's rows are gone: $(cat "$T_TMP/u.sources")"
# once more, without -q: the waiting import says for which pid
(
	LADING_HTTP_LOW_SPEED_TIME=2 LADING_HTTP_RETRIES=0 "$LADING" db update --db "$DB" \
		--sources-file "$T_TMP/sources" --only slow >/dev/null 2>&1
) &
UPD=$!
while ! ls -d "$DBDIR"/.lading-update-* >/dev/null 2>&1; do sleep 0.01; done
UPD_PID=$(ls -d "$DBDIR"/.lading-update-* | sed 's/.*\.lading-update-\([0-9]*\)-.*/\1/')
"$LADING" db import --db "$DB" "$V/debian/DSA-list" >"$T_TMP/i2" 2>&1 || t_fail "second import during an update failed"
wait $UPD
grep -q "waiting for another writer (pid $UPD_PID), which holds the lock on this database directory" "$T_TMP/i2" ||
	t_fail "the waiting import does not name the update's pid $UPD_PID: $(cat "$T_TMP/i2")"
# an update whose download yields nothing (an OSV file read as Alpine secdb)
# fails that source, and its rows stay; the file changes in between, so that
# it is downloaded again
update_go() { "$LADING" db update --db "$DB" --source "go1=$1:$B/feeds/osv/GO-2020-0001.json" --only go1 >"$2" 2>&1; }
update_go osv "$T_TMP/g1" || t_fail "update of one OSV file: $(cat "$T_TMP/g1")"
echo >>"$ROOT/osv/GO-2020-0001.json"
sources "$DB" >"$T_TMP/g-before.sources"
grep -q "^osv 1 $B/feeds/osv/GO-2020-0001.json\$" "$T_TMP/g-before.sources" || t_fail "go1: $(cat "$T_TMP/g-before.sources")"
update_go alpine-secdb "$T_TMP/g2"
[ $? -eq 3 ] || t_fail "update of a feed read with the wrong type: expected exit 3: $(cat "$T_TMP/g2")"
grep -q "^go1: failed: import: $B/feeds/osv/GO-2020-0001.json: no advisories recognised in it as alpine-secdb (1 records skipped); the database is unchanged: it keeps the 1 advisories" "$T_TMP/g2" ||
	t_fail "update with the wrong type: $(cat "$T_TMP/g2")"
sources "$DB" >"$T_TMP/g-after.sources"
cmp -s "$T_TMP/g-before.sources" "$T_TMP/g-after.sources" || t_fail "update with the wrong type changed the sources"
kill $SERVER 2>/dev/null

# ---- 3. bounded waits: --lock-wait 0 and --lock-wait 1 --------------------------------
# The lock is held by one process (python3: flock(1) would hand it to its
# child too), which says when it has it and is killed afterwards.
cp "$DB" "$T_TMP/before.db"
python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$DBDIR" "$T_TMP/locked" &
LOCKER=$!
wait_for "$T_TMP/locked" $LOCKER || t_fatal "the lock holder did not start"
t0=$(date +%s.%N)
"$LADING" db import --db "$DB" --lock-wait 0 "$V/alpine-secdb/v3.8/main.yaml" >"$T_TMP/w0" 2>&1
rc=$?
t1=$(date +%s.%N)
"$LADING" db import --db "$DB" --lock-wait 1 "$V/alpine-secdb/v3.8/main.yaml" >"$T_TMP/w1" 2>&1
rc1=$?
t2=$(date +%s.%N)
"$LADING" db update --db "$DB" --sources-file "$T_TMP/sources" --lock-wait 0 >"$T_TMP/w2" 2>&1
rc2=$?
kill $LOCKER
wait $LOCKER 2>/dev/null
[ $rc -eq 3 ] || t_fail "--lock-wait 0 under a held lock: exit $rc, expected 3"
[ $rc1 -eq 3 ] || t_fail "--lock-wait 1 under a held lock: exit $rc1, expected 3"
[ $rc2 -eq 3 ] || t_fail "update --lock-wait 0 under a held lock: exit $rc2, expected 3"
msg="^lading: $DBDIR: another writer holds the lock on this database directory (pid $LOCKER)"
grep -q "$msg\$" "$T_TMP/w0" || t_fail "--lock-wait 0: message: $(cat "$T_TMP/w0")"
grep -q "$msg; still held after 1 s\$" "$T_TMP/w1" || t_fail "--lock-wait 1: message: $(cat "$T_TMP/w1")"
grep -q "$msg\$" "$T_TMP/w2" || t_fail "update --lock-wait 0: message: $(cat "$T_TMP/w2")"
grep -q 'give --lock-wait SECONDS' "$T_TMP/w0" || t_fail "--lock-wait 0: no hint: $(cat "$T_TMP/w0")"
# bounds loose enough for a loaded machine, tight enough to tell 0 from 1 from 600
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { exit !(b - a < 0.9 && c - b >= 1 && c - b < 4) }' ||
	t_fail "waits: --lock-wait 0 took $t0..$t1, --lock-wait 1 took $t1..$t2"
cmp -s "$DB" "$T_TMP/before.db" || t_fail "a writer that did not get the lock changed the database"
"$LADING" db import --db "$DB" --lock-wait -1 "$V/alpine-secdb/v3.8/main.yaml" >/dev/null 2>&1
[ $? -eq 2 ] || t_fail "--lock-wait -1: expected a usage error"

# ---- 4. imports killed with kill -9: their copies are removed by the next writer ------
rm -f "$DB"
t_run_lading "$T_TMP/k.out" db import -q --db "$DB" "$V/debian/DSA-list" || t_fatal "first import failed"
cp "$DB" "$T_TMP/k-before.db"
killed=0
for i in 1 2 3 4; do
	"$LADING" db import -q --db "$DB" "$OSV" >/dev/null 2>&1 &
	K=$!
	if wait_for "$DB.import-$K" $K; then
		kill -9 $K
	fi
	wait $K 2>/dev/null # (the shell would say "Killed")
	[ $? -eq 137 ] && [ -e "$DB.import-$K" ] && killed=$((killed + 1))
done
[ "$killed" -ge 1 ] || t_fatal "no import could be killed while it was writing its copy"
cmp -s "$DB" "$T_TMP/k-before.db" || t_fail "a killed import changed the live database"
# a killed update's directory, and the copy of a live pid (this shell's)
sh -c 'exit 0' &
DEAD=$!
wait $DEAD
mkdir -p "$DBDIR/.lading-update-$DEAD-abcdef/Go"
: >"$DBDIR/.lading-update-$DEAD-abcdef/Go/all.zip"
: >"$DB.import-$$"
t_run_lading "$T_TMP/k2.out" db import -q --db "$DB" "$V/alpine-secdb/v3.10/main.yaml"
left=$(work_files)
[ "$left" = "vuln.db.import-$$" ] ||
	t_fail "after $killed killed imports and one more import, beside the database: '$left' (expected only vuln.db.import-$$, a live pid's)"
rm -f "$DB.import-$$"
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || t_fail "the database fails sqlite's integrity check"
sources "$DB" >"$T_TMP/k.sources"
grep -q "^debian-dsa 5406 " "$T_TMP/k.sources" && grep -q "^alpine-secdb 1110 " "$T_TMP/k.sources" ||
	t_fail "after the killed imports: $(cat "$T_TMP/k.sources")"

# ---- 5. a wrong --type is an error, and the rows stay ----------------------------------
# The OSV Go directory read as Alpine secdb yields nothing: before, that
# replaced its 4291 advisories by none and exited 0.
rm -f "$DB"
t_run_lading "$T_TMP/t.out" db import -q --db "$DB" "$OSV" || t_fatal "OSV import failed"
cp "$DB" "$T_TMP/t-before.db"
"$LADING" db import -q --db "$DB" --type alpine-secdb "$OSV" >"$T_TMP/t2" 2>&1
rc=$?
[ $rc -eq 3 ] || t_fail "re-import with the wrong type: exit $rc, expected 3: $(cat "$T_TMP/t2")"
grep -q "^lading: $OSV: no advisories recognised in it as alpine-secdb (4291 records skipped); the database is unchanged: it keeps the 4291 advisories this input brought before\$" "$T_TMP/t2" ||
	t_fail "wrong type: message: $(cat "$T_TMP/t2")"
grep -q "is alpine-secdb the type of $OSV?" "$T_TMP/t2" || t_fail "wrong type: no hint: $(cat "$T_TMP/t2")"
cmp -s "$DB" "$T_TMP/t-before.db" || t_fail "a re-import with the wrong type changed the database"
[ "$(sources "$DB")" = "osv 4291 $OSV" ] || t_fail "after the wrong type: $(sources "$DB")"
[ -z "$(work_files)" ] || t_fail "left beside the database after the wrong type: $(work_files)"

# ---- 6. durability: the copy is synced before the rename, the directory after ----------
# strace shows the order of the system calls; it cannot show that the disk
# honours them (a power cut is not simulated here).
if ! command -v strace >/dev/null 2>&1 || ! strace -o /dev/null true 2>/dev/null; then
	t_say "strace is missing or cannot trace here: the order of fsync and rename is not checked"
else
	REAL=$(cd "$DBDIR" && pwd -P)
	strace -f -y -o "$T_TMP/strace" -e trace=write,pwrite64,pwritev,fsync,fdatasync,rename,renameat,renameat2 \
		"$LADING" db import -q --db "$DB" "$V/alpine-secdb/v3.9/main.yaml" 2>"$T_TMP/strace.err" ||
		t_fail "import under strace failed: $(cat "$T_TMP/strace.err")"
	# the line numbers of: the last write to the copy, its fsync, the rename
	# onto the database, the directory's fsync after it
	order=$(awk -v dir="$REAL" '
		index($0, "<" dir "/vuln.db.import-") && $0 ~ /(^|[ ])p?writev?(64)?\(/ { w = NR }
		index($0, "fsync(") && index($0, "<" dir "/vuln.db.import-") { f = NR }
		$0 ~ /rename(at2?)?\(/ && index($0, dir "/vuln.db.import-") && index($0, "\"" dir "/vuln.db\"") { r = NR }
		index($0, "fsync(") && index($0, "<" dir ">") && r && !d { d = NR }
		END { print (w ? w : 0), (f ? f : 0), (r ? r : 0), (d ? d : 0) }' "$T_TMP/strace")
	set -- $order
	[ "$1" -gt 0 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] && [ "$3" -lt "$4" ] || {
		t_fail "expected write(copy) < fsync(copy) < rename(copy, db) < fsync(dir); line numbers: $order"
		grep -E 'fsync|rename' "$T_TMP/strace" | sed 's/^/    /' | head -10
	}
	grep -q "p\?write[v64]*([0-9]*<$REAL/vuln.db>" "$T_TMP/strace" && t_fail "the live database was written in place"
fi

t_done
