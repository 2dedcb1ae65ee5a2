#!/bin/sh
# -o FILE never replaces what it must not, and FIFOs never hang a read:
#   - a character device (a /dev/null made here with mknod, as root) is
#     written in place and stays a device: the bug this guards against
#     replaced the system's /dev/null with a regular file;
#   - a FIFO given as -o is written in place (a reader gets the report);
#   - a symlink given as -o is followed: its target gets the report, the
#     link stays a link; a dangling link is refused;
#   - a symlink planted at each name the old code would have used for its
#     temporary file (FILE.tmp.<pid> for the next pids) redirects nothing;
#   - an existing file keeps its mode; a new one gets 0666 & ~umask;
#   - a directory, and a file in a missing directory, exit 4 and leave no
#     temporary file; nothing but FILE appears in its directory;
#   - a FIFO as the target, as a rootfs or docker archive, as an sbom: file,
#     as an OCI layout's index.json or as a layer blob, and as a feed for
#     db import, fails within seconds (exit 3) saying it is a FIFO.
# The image is the bookworm fixture (scripts/build-fixtures.sh) when it can
# be built, else the Alpine minirootfs of the corpus.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq timeout
t_tmpdir
REPO=$(cd "$(dirname "$0")/../.." && pwd)

FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}/bookworm
if LADING_FIXTURE_SUITES=bookworm sh "$REPO/scripts/build-fixtures.sh" >"$T_TMP/fixtures.log" 2>&1; then
	IMG="oci:$FIX/oci:bookworm"
	LAYOUT=$FIX/oci
else
	t_corpus
	IMG=$T_CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
	LAYOUT=
fi
# Reference output, to compare what each target received.
"$LADING" sbom -q -f json "$IMG" >"$T_TMP/ref.json" || t_fatal "lading sbom $IMG failed"
[ -s "$T_TMP/ref.json" ] || t_fatal "empty reference output"

W=$T_TMP/w
mkdir "$W"
lad() { timeout 60 "$LADING" sbom -q -f json "$@"; }
only_these() { # DIR NAME... : the directory holds exactly these names
	d=$1
	shift
	got=$(cd "$d" && ls -A | LC_ALL=C sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
	[ "$got" = "$want" ] || t_fail "$d holds '$got', want '$want' (a temporary file left behind?)"
}

# --- a character device: a private one first; the machine's /dev/null only
# once that passed (a binary with the old bug would replace it)
if [ "$(id -u)" -eq 0 ] && mknod "$W/null" c 1 3 2>/dev/null; then
	chmod 666 "$W/null"
	lad -o "$W/null" "$IMG" || t_fail "-o on a character device exited $?"
	if [ -c "$W/null" ] && [ "$(stat -c %t:%T "$W/null")" = "1:3" ]; then
		lad -o /dev/null "$IMG" || t_fail "-o /dev/null exited $?"
		[ -c /dev/null ] || t_fatal "/dev/null is no longer a character device"
	else
		t_fail "the character device was replaced by $(ls -l "$W/null") (so /dev/null is not tried)"
	fi
	rm -f "$W/null"
else
	t_say "SKIP device case: needs root for mknod"
fi

# --- a FIFO with a reader
mkfifo "$W/fifo"
timeout 60 cat "$W/fifo" >"$T_TMP/fifo.out" &
reader=$!
lad -o "$W/fifo" "$IMG" || t_fail "-o on a FIFO exited $?"
if [ -p "$W/fifo" ]; then
	wait $reader
else
	t_fail "the FIFO was replaced: $(ls -l "$W/fifo")"
	kill $reader 2>/dev/null
fi
cmp -s "$T_TMP/ref.json" "$T_TMP/fifo.out" || t_fail "the FIFO's reader did not get the report"
rm -f "$W/fifo"

# --- symlinks
echo '{}' >"$W/real.json"
chmod 640 "$W/real.json"
ln -s real.json "$W/link"
lad -o "$W/link" "$IMG" || t_fail "-o on a symlink exited $?"
[ -L "$W/link" ] || t_fail "the symlink was replaced"
cmp -s "$T_TMP/ref.json" "$W/real.json" || t_fail "the symlink's target did not get the report"
[ "$(stat -c %a "$W/real.json")" = 640 ] || t_fail "the target's mode changed to $(stat -c %a "$W/real.json")"
ln -s nowhere/x "$W/dangling"
rc=0
lad -o "$W/dangling" "$IMG" 2>"$T_TMP/err" || rc=$?
[ "$rc" -eq 4 ] || t_fail "-o on a dangling symlink exited $rc, want 4"
grep -q 'symbolic link to nothing' "$T_TMP/err" || t_fail "dangling symlink: message '$(cat "$T_TMP/err")'"
only_these "$W" real.json link dangling
rm -f "$W/link" "$W/dangling"

# --- planted symlinks at the old predictable names
echo victim >"$T_TMP/victim"
# one process plants them all, so that the pids they name are still ahead
if [ -r /proc/sys/kernel/ns_last_pid ] && python3 - "$T_TMP/victim" "$W/out.json.tmp." <<'EOF'
import os, sys
last = int(open("/proc/sys/kernel/ns_last_pid").read())
for pid in range(last + 1, last + 301):
    os.symlink(sys.argv[1], sys.argv[2] + str(pid))
EOF
then
	lad -o "$W/out.json" "$IMG" || t_fail "-o beside planted symlinks exited $?"
	[ "$(cat "$T_TMP/victim")" = victim ] || t_fail "a planted symlink redirected the write"
	cmp -s "$T_TMP/ref.json" "$W/out.json" || t_fail "out.json is not the report"
	find "$W" -name 'out.json.tmp.*' -type l -delete
else
	t_say "SKIP planted-symlink case: /proc/sys/kernel/ns_last_pid unreadable"
fi

# --- modes
rm -f "$W/out.json"
(umask 027 && lad -o "$W/out.json" "$IMG") || t_fail "-o new file exited $?"
[ "$(stat -c %a "$W/out.json")" = 640 ] || t_fail "a new file under umask 027 has mode $(stat -c %a "$W/out.json"), want 640"
chmod 600 "$W/out.json"
lad -o "$W/out.json" "$IMG" || t_fail "-o existing file exited $?"
[ "$(stat -c %a "$W/out.json")" = 600 ] || t_fail "the existing file's mode changed to $(stat -c %a "$W/out.json")"
only_these "$W" real.json out.json

# --- refusals
rc=0
lad -o "$W" "$IMG" 2>"$T_TMP/err" || rc=$?
[ "$rc" -eq 4 ] || t_fail "-o on a directory exited $rc, want 4"
grep -q 'is a directory' "$T_TMP/err" || t_fail "directory: message '$(cat "$T_TMP/err")'"
rc=0
lad -o "$W/missing/x.json" "$IMG" 2>"$T_TMP/err" || rc=$?
[ "$rc" -eq 4 ] || t_fail "-o in a missing directory exited $rc, want 4"
only_these "$W" real.json out.json

# --- FIFOs as inputs: each must fail fast, naming the FIFO
mkfifo "$T_TMP/in.fifo"
expect_fifo() { # WHAT lading-args...
	what=$1
	shift
	rc=0
	timeout 20 "$LADING" "$@" >/dev/null 2>"$T_TMP/err" || rc=$?
	[ "$rc" -ne 124 ] || { t_fail "$what: lading blocked on the FIFO"; return; }
	[ "$rc" -eq 3 ] || t_fail "$what: exit $rc, want 3"
	grep -q 'FIFO' "$T_TMP/err" || t_fail "$what: the message does not say FIFO: $(cat "$T_TMP/err")"
}
expect_fifo "FIFO as the target" sbom -q "$T_TMP/in.fifo"
expect_fifo "FIFO as rootfs-archive" sbom -q "rootfs-archive:$T_TMP/in.fifo"
expect_fifo "FIFO as docker-archive" sbom -q "docker-archive:$T_TMP/in.fifo"
expect_fifo "FIFO as sbom:" sbom -q "sbom:$T_TMP/in.fifo"
expect_fifo "FIFO as a feed" db import -q --db "$T_TMP/v.db" "$T_TMP/in.fifo"
expect_fifo "FIFO as an osv feed" db import -q --db "$T_TMP/v.db" --type osv "$T_TMP/in.fifo"
if [ -n "$LAYOUT" ]; then
	cp -r "$LAYOUT" "$T_TMP/lay1"
	chmod -R u+w "$T_TMP/lay1"
	rm "$T_TMP/lay1/index.json"
	mkfifo "$T_TMP/lay1/index.json"
	expect_fifo "FIFO as index.json" sbom -q "oci:$T_TMP/lay1:bookworm"
	cp -r "$LAYOUT" "$T_TMP/lay2"
	chmod -R u+w "$T_TMP/lay2"
	blob=$(ls -S "$T_TMP/lay2/blobs/sha256" | head -1)
	rm "$T_TMP/lay2/blobs/sha256/$blob"
	mkfifo "$T_TMP/lay2/blobs/sha256/$blob"
	expect_fifo "FIFO as a layer blob" sbom -q "oci:$T_TMP/lay2:bookworm"
fi
t_done
