#!/bin/sh
# Hostile archives: inputs that cost next to nothing to make and used to cost
# minutes to read. Each scenario checks behaviour and bounds (exit codes,
# messages, counts, peak RSS with GNU time, bytes read); timeouts are hang
# guards only, never a measure of speed (bench/ measures; docs/usage.md,
# "Limits", has the figures).
#
#  1. Sparse files. A 10 KiB tar (GNU tar --sparse over `truncate -s 10G`
#     files) names six 10 GiB files. Their holes count against
#     --max-image-size at their full size, per image (layers of 60 and 30 GiB
#     are over an 80G limit that each alone is under), and --integrity
#     does not hash them: each is warned about and counted unverifiable
#     (before: two minutes of CPU hashing zeros). The same for a sparse copy
#     of Debian's /usr/bin/tail in a layer over the bookworm fixture: tail is
#     one more unverifiable file, not hashed, and everything else is as before.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq tar gzip umoci timeout truncate
[ -x /usr/bin/time ] || t_skip "GNU time (/usr/bin/time, Debian package time) is not installed"
t_tmpdir
FIX=${LADING_FIXTURES:-$(pwd)/.cache/fixtures}

# run_bounded NAME MAX_KIB CMD...: runs lading's CMD with a 300 s hang guard
# under GNU time; sets $rc, leaves stdout in $T_TMP/NAME.out, stderr in
# $T_TMP/NAME.err and records a failure when peak RSS is over MAX_KIB.
run_bounded() {
	rb_name=$1 rb_max=$2
	shift 2
	rc=0
	timeout 300 /usr/bin/time -f '%M' -o "$T_TMP/$rb_name.rss" "$LADING" "$@" >"$T_TMP/$rb_name.out" \
		2>"$T_TMP/$rb_name.err" || rc=$?
	[ "$rc" -ne 124 ] || t_fail "$rb_name: still running after 300 s (killed)"
	rb_rss=$(tail -1 "$T_TMP/$rb_name.rss")
	case $rb_rss in
	'' | *[!0-9]*) ;;
	*) [ "$rb_rss" -le "$rb_max" ] || t_fail "$rb_name: peak RSS $rb_rss KiB, over $rb_max KiB" ;;
	esac
}

# ---- 1. sparse files ----------------------------------------------------------------
sp=$T_TMP/sparse
mkdir -p "$sp/a/opt" "$sp/b/opt"
for i in 1 2 3 4 5 6; do
	truncate -s 10G "$sp/a/opt/hole$i"
done
for i in 1 2 3; do
	truncate -s 10G "$sp/b/opt/more$i"
done
tar --sparse --owner=0 --group=0 --numeric-owner -C "$sp/a" -cf "$sp/a.tar" opt
tar --sparse --owner=0 --group=0 --numeric-owner -C "$sp/b" -cf "$sp/b.tar" opt
size=$(wc -c <"$sp/a.tar")
[ "$size" -le 65536 ] || t_skip "GNU tar --sparse wrote $size bytes for six empty 10 GiB files (no hole support in $T_TMP?)"
t_say "sparse: a $size-byte tar naming six 10 GiB files"

run_bounded sparse-integrity 65536 sbom -f json --integrity "rootfs-archive:$sp/a.tar"
if [ "$rc" -ne 0 ]; then
	t_fail "sparse tar, --integrity: exit $rc: $(head -3 "$T_TMP/sparse-integrity.err")"
else
	n=$(jq '[.warnings[] | select(test("^/opt/hole[1-6] is a sparse file \\(10737418240 bytes.*not hashed"))] | length' \
		"$T_TMP/sparse-integrity.out")
	[ "$n" = 6 ] || t_fail "sparse tar, --integrity: $n of 6 sparse files warned about as not hashed: $(jq -c .warnings "$T_TMP/sparse-integrity.out")"
	[ "$(jq '.file_integrity.summary.files_in_image' "$T_TMP/sparse-integrity.out")" = 6 ] ||
		t_fail "sparse tar, --integrity: files_in_image is not 6"
	t_say "sparse: --integrity: six files not hashed, peak RSS $rb_rss KiB"
fi
# counted at their apparent size: 60 GiB is over 59G, and over 1M
for lim in 1M 59G; do
	run_bounded sparse-limit 65536 sbom -q -f json --max-image-size "$lim" "rootfs-archive:$sp/a.tar"
	[ "$rc" = 3 ] || t_fail "sparse tar, --max-image-size $lim: exit $rc, expected 3"
	grep -q 'hole[1-6] is a sparse file of 10737418240 bytes.*exceeds the image size limit' "$T_TMP/sparse-limit.err" ||
		t_fail "sparse tar, --max-image-size $lim: $(cat "$T_TMP/sparse-limit.err")"
done
run_bounded sparse-fits 65536 sbom -q -f json --max-image-size 61G "rootfs-archive:$sp/a.tar"
[ "$rc" = 0 ] || t_fail "sparse tar, --max-image-size 61G: exit $rc: $(cat "$T_TMP/sparse-fits.err")"

# one budget for the image: two layers of 60 and 30 GiB against 80G
umoci init --layout "$sp/oci" >/dev/null && umoci new --image "$sp/oci:img" >/dev/null &&
	umoci raw add-layer --image "$sp/oci:img" "$sp/a.tar" >/dev/null 2>&1 &&
	umoci raw add-layer --image "$sp/oci:img" "$sp/b.tar" >/dev/null 2>&1 || t_fatal "umoci could not build the sparse image"
run_bounded sparse-layers 65536 sbom -q -f json --max-image-size 80G "oci:$sp/oci:img"
[ "$rc" = 3 ] || t_fail "two sparse layers (60 + 30 GiB), --max-image-size 80G: exit $rc, expected 3"
grep -q 'exceeds the image size limit' "$T_TMP/sparse-layers.err" ||
	t_fail "two sparse layers: $(cat "$T_TMP/sparse-layers.err")"
run_bounded sparse-layers-fit 65536 sbom -q -f json --max-image-size 91G "oci:$sp/oci:img"
[ "$rc" = 0 ] || t_fail "two sparse layers, --max-image-size 91G: exit $rc: $(cat "$T_TMP/sparse-layers-fit.err")"

# a package's file stored sparse: Debian's tail with 64 MiB of holes after its bytes
if [ -d "$FIX/bookworm/oci" ]; then
	cp -r "$FIX/bookworm/oci" "$sp/bw"
	mkdir -p "$sp/tail/usr/bin"
	for b in "$FIX"/bookworm/oci/blobs/sha256/*; do
		gzip -t "$b" 2>/dev/null && tar -xzf "$b" -C "$sp/tail" usr/bin/tail 2>/dev/null
	done
	[ -f "$sp/tail/usr/bin/tail" ] || t_fatal "usr/bin/tail not found in the bookworm fixture"
	truncate -s +64M "$sp/tail/usr/bin/tail"
	tar --sparse --owner=0 --group=0 --numeric-owner -C "$sp/tail" -cf "$sp/tail.tar" usr
	umoci raw add-layer --image "$sp/bw:bookworm" "$sp/tail.tar" >/dev/null 2>&1 || t_fatal "umoci raw add-layer failed"
	run_bounded bw-base 131072 sbom -f json --integrity "oci:$FIX/bookworm/oci:bookworm"
	[ "$rc" = 0 ] || t_fail "bookworm --integrity: exit $rc"
	run_bounded bw-sparse 131072 sbom -f json --integrity "oci:$sp/bw:bookworm"
	if [ "$rc" != 0 ]; then
		t_fail "bookworm + sparse tail, --integrity: exit $rc: $(head -3 "$T_TMP/bw-sparse.err")"
	else
		jq -e '[.warnings[] | select(startswith("/usr/bin/tail is a sparse file"))] | length == 1' \
			"$T_TMP/bw-sparse.out" >/dev/null || t_fail "bookworm + sparse tail: no warning about /usr/bin/tail"
		findings() { jq -r '.file_integrity.findings[] | [.kind, .path] | @tsv' "$1" | LC_ALL=C sort; }
		findings "$T_TMP/bw-base.out" >"$sp/base.findings"
		findings "$T_TMP/bw-sparse.out" >"$sp/sparse.findings"
		t_compare "$sp/base.findings" "$sp/sparse.findings" "bookworm + sparse tail: findings" || true
		u0=$(jq '.file_integrity.summary.files_unverifiable' "$T_TMP/bw-base.out")
		u1=$(jq '.file_integrity.summary.files_unverifiable' "$T_TMP/bw-sparse.out")
		c0=$(jq '.file_integrity.summary.files_checked' "$T_TMP/bw-base.out")
		c1=$(jq '.file_integrity.summary.files_checked' "$T_TMP/bw-sparse.out")
		[ "$u1" = $((u0 + 1)) ] && [ "$c1" = $((c0 - 1)) ] ||
			t_fail "bookworm + sparse tail: unverifiable $u0 -> $u1, checked $c0 -> $c1 (want +1 and -1)"
		t_say "sparse: bookworm + a sparse tail: tail unverifiable ($u1), the same findings"
	fi
else
	t_say "SKIP the sparse tail scenario: no bookworm fixture at $FIX (scripts/build-fixtures.sh)"
fi

t_done
