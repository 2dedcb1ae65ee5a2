#!/bin/sh
# The library as a service calls it (tests/tools/engine.c, public API only):
#   1. a server-mode policy (registry images only, no private addresses)
#      refuses dir:, sbom:/etc/passwd, oci:, docker-archive:, a bare host path
#      (read as a reference, never looked up), 127.0.0.1, localhost, [::1],
#      10.0.0.0/8 and 169.254.169.254 with precise codes and reasons, and a
#      feed on 127.0.0.1; a listener on the loopback port sees no connection;
#      no message echoes /etc/passwd or names a command-line option;
#   2. a scan of a 400 MB image (plain and gzip) cancelled from another thread
#      after 50 MB returns LADING_ECANCELLED and leaves the spool directory
#      empty; so does a scan of the bookworm fixture;
#   3. a registry scan cancelled while the registry stalls mid-layer
#      (registry_helpers.py evil, "stall") returns cancelled and leaves no
#      partial file in the blob cache; with a 2 s deadline it returns
#      LADING_ETIMEOUT;
#   4. 8 contexts scanning the bookworm fixture on 8 threads at once give
#      identical SBOMs (make tsan runs the same under ThreadSanitizer);
#   5. an image handed over as bytes (lading_sbom_stream from a descriptor,
#      lading_sbom_bytes) under an uploads-only policy gives the SBOM of the
#      same file read as a path (docker-archive, gzipped oci-archive, the
#      corpus's Alpine minirootfs), leaves the spool directory empty, and the
#      path itself is refused under that policy; a root file system tarball
#      named through a symbolic link is read (it was refused).
# The latencies are printed (docs/library.md records them); the bound checked
# here is only a hang guard.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool python3 umoci timeout jq gzip
ENGINE=${LADING_TOOLS:-$(dirname "$LADING")/tools}/engine
[ -x "$ENGINE" ] || t_fatal "$ENGINE is not built (make tools)"
t_tmpdir
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HELPERS=$REPO/tests/cli/registry_helpers.py
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$T_TMP"' EXIT

# latency of a "cancelled ... returned in X ms" line, as an integer
latency() { sed -n 's/.*returned in \([0-9]*\)\.[0-9]* ms.*/\1/p' "$1" | head -1; }
run_engine() { # OUT ARGS...: runs engine, records a failure with its output if it fails
	e_out=$1
	shift
	if ! timeout 120 "$ENGINE" "$@" >"$e_out" 2>&1; then
		t_fail "engine $*: $(cat "$e_out")"
		return 1
	fi
	sed 's/^/  /' "$e_out"
}

# ---- 1. policy
cat >"$T_TMP/listen.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
s.settimeout(0.2)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
n, end = 0, time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept()
        n += 1
        c.close()
    except socket.timeout:
        pass
    open(sys.argv[2], "w").write(str(n))
EOF
python3 "$T_TMP/listen.py" "$T_TMP/lport" "$T_TMP/lcount" &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T_TMP/lport" ]; do i=$((i + 1)); [ $i -le 100 ] || t_fatal "listener did not start"; sleep 0.1; done
t_say "policy (listener on 127.0.0.1:$(cat "$T_TMP/lport")):"
run_engine "$T_TMP/policy.out" policy "$(cat "$T_TMP/lport")"
sleep 0.5
[ "$(cat "$T_TMP/lcount" 2>/dev/null || echo 0)" = 0 ] ||
	t_fail "the loopback listener was connected to $(cat "$T_TMP/lcount") times despite the guard"

# ---- 2. cancel a large local scan
mkdir -p "$T_TMP/root/usr/bin" "$T_TMP/spool"
head -c 400000000 /dev/urandom >"$T_TMP/root/usr/bin/big"
tar -C "$T_TMP/root" -cf "$T_TMP/big.tar" .
rm -rf "$T_TMP/root"
gzip -1 -c "$T_TMP/big.tar" >"$T_TMP/big.tar.gz"
for img in "$T_TMP/big.tar" "$T_TMP/big.tar.gz"; do
	t_say "cancel $(basename "$img") ($(du -m "$img" | cut -f1) MB) after 50 MB:"
	ENGINE_TMP=$T_TMP/spool run_engine "$T_TMP/cancel.out" cancel "$img" bytes:50000000 || continue
	l=$(latency "$T_TMP/cancel.out")
	[ -n "$l" ] && [ "$l" -lt 2000 ] || t_fail "$(basename "$img"): the cancel took ${l:-?} ms to return"
	[ -z "$(ls -A "$T_TMP/spool")" ] || t_fail "the spool directory is not empty: $(ls -A "$T_TMP/spool")"
done
rm -f "$T_TMP/big.tar" "$T_TMP/big.tar.gz"

FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}
rc=0
LADING_FIXTURE_SUITES=bookworm sh "$REPO/scripts/build-fixtures.sh" >"$T_TMP/fixtures.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	t_say "SKIP fixture scenarios (3, 4): fixtures cannot be built here: $(tail -1 "$T_TMP/fixtures.log")"
	t_done
fi
LAYOUT=$FIX/bookworm/oci
t_say "cancel the bookworm fixture after 20 MB:"
ENGINE_TMP=$T_TMP/spool run_engine "$T_TMP/cancel.out" cancel "oci:$LAYOUT:bookworm" bytes:20000000

# ---- 3. a registry that stalls
cp -r "$LAYOUT" "$T_TMP/lay"
chmod -R u+w "$T_TMP/lay"
(cd "$T_TMP" && python3 "$HELPERS" evil "$T_TMP/evil.port" lay bookworm 2>"$T_TMP/evil.log") &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T_TMP/evil.port" ]; do i=$((i + 1)); [ $i -le 100 ] || t_fatal "evil registry did not start"; sleep 0.1; done
E=127.0.0.1:$(cat "$T_TMP/evil.port")
mkdir -p "$T_TMP/cache"
t_say "cancel a registry scan 3 s in, while the registry stalls mid-layer:"
ENGINE_CACHE=$T_TMP/cache ENGINE_TMP=$T_TMP/spool run_engine "$T_TMP/rcancel.out" cancel "$E/stall:bookworm" ms:3000
l=$(latency "$T_TMP/rcancel.out")
[ -n "$l" ] && [ "$l" -lt 2000 ] || t_fail "registry: the cancel took ${l:-?} ms to return"
grep -q 'EVIL GET /v2/stall/blobs' "$T_TMP/evil.log" || t_fail "the stalled blob was never requested"
part=$(find "$T_TMP/cache" -name '.*' -type f)
[ -z "$part" ] || t_fail "partial files left in the cache: $part"
for f in $(find "$T_TMP/cache" -type f); do
	[ "$(sha256sum "$f" | cut -c1-64)" = "$(basename "$f")" ] || t_fail "cache file $f is not its digest"
done
t_say "the same with a 2 s deadline instead:"
ENGINE_CACHE=$T_TMP/cache run_engine "$T_TMP/rdead.out" deadline "$E/stall:bookworm" 2000
[ -z "$(find "$T_TMP/cache" -name '.*' -type f)" ] || t_fail "partial files left in the cache after the deadline"

# ---- 4. parallel contexts
t_say "8 contexts on 8 threads:"
run_engine "$T_TMP/par.out" parallel 8 "oci:$LAYOUT:bookworm"

# ---- 5. uploads
gzip -1 -c "$FIX/bookworm/oci-archive.tar" >"$T_TMP/oa.tar.gz"
set -- "$FIX/bookworm/docker-archive.tar" "$T_TMP/oa.tar.gz"
ALP=${LADING_CORPUS:-$REPO/../shared/corpus}/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
[ -f "$ALP" ] && set -- "$@" "$ALP"
for f in "$@"; do
	t_say "upload: $(basename "$f")"
	ENGINE_TMP=$T_TMP/spool run_engine "$T_TMP/up.out" stream "$f"
	[ -z "$(ls -A "$T_TMP/spool")" ] || t_fail "the spool directory is not empty after $(basename "$f")"
done
rm -f "$T_TMP/oa.tar.gz"
if [ -f "$ALP" ]; then
	ln -s "$ALP" "$T_TMP/alpine-link.tar.gz"
	n=$("$LADING" sbom -q -f json "$T_TMP/alpine-link.tar.gz" | jq '.packages | length') ||
		t_fail "a rootfs tarball named through a symlink was refused"
	[ "${n:-0}" = 14 ] || t_fail "a rootfs tarball named through a symlink: ${n:-no} packages, want 14"
fi
t_done
