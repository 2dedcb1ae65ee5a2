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
#  2. Compressed image archives (`docker save | gzip`). bookworm plus 38
#     small layers (umoci raw add-layer; real files from /usr/share/doc),
#     copied to a docker-archive by skopeo, then gzip'd and zstd'd; and the
#     bookworm fixture's oci-archive gzip'd. Each gives the same SBOM as the
#     plain archive, and reads the compressed file once: the bytes lading
#     reads (rchar, /proc/self/io of a parent that reaps it) stay under the
#     compressed size plus 1.25 times the plain one (before: 3.6 GB for an
#     85 MB gzip; and 9.1 GB for the 213 MB plain archive, now 215 MB). The
#     inflated copy is an unnamed file in $TMPDIR: nothing is left there, an
#     unusable $TMPDIR is an error naming it, and a truncated gzip is refused.
#  3. Jars in jars. 30 jars, each nesting three 250 MiB jars (stored zeros
#     and a pom.properties: one package per nested jar read), make an 88 KB
#     gzip layer. The budget for bytes inflated from archives inside files is
#     the image's, not each file's: with the default (1 GiB) four nested jars
#     are read, not sixty, and every jar not read is named in a warning
#     (before: 60 read, 15 GB inflated and spooled, 21 s of CPU, 100 s
#     wall). The same over three layers walked on four threads (one budget
#     shared by all of them), and --max-nested-size 2G reads eight.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq tar gzip umoci timeout truncate python3
[ -x /usr/bin/time ] || t_skip "GNU time (/usr/bin/time, Debian package time) is not installed"
t_tmpdir
FIX=${LADING_FIXTURES:-$(pwd)/.cache/fixtures}
# the Debian fixtures (cached; built by scripts/build-fixtures.sh when absent)
rc=0
LADING_FIXTURES=$FIX LADING_FIXTURE_SUITES=bookworm sh scripts/build-fixtures.sh >"$T_TMP/build.log" 2>&1 || rc=$?
case $rc in
0) ;;
77) t_say "the Debian image fixtures could not be built here: the scenarios on bookworm are skipped" ;;
*) cat "$T_TMP/build.log"; t_fatal "scripts/build-fixtures.sh failed with exit $rc" ;;
esac

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
		t_say "sparse: bookworm + a sparse tail: $u1 files unverifiable (bookworm: $u0), $c1 checked ($c0)"
	fi
else
	t_say "SKIP the sparse tail scenario: no bookworm fixture at $FIX (scripts/build-fixtures.sh)"
fi

# ---- 2. compressed image archives -------------------------------------------------
# rchar OUT CMD...: runs CMD (stdout to OUT, stderr to OUT.err); prints the bytes it
# read and its exit status (a child's I/O counts are added to its parent's when reaped)
rchar() {
	python3 - "$@" <<'PY'
import subprocess, sys
def rchar():
    return next(int(l.split()[1]) for l in open("/proc/self/io") if l.startswith("rchar:"))
before = rchar()
with open(sys.argv[1], "wb") as out, open(sys.argv[1] + ".err", "wb") as err:
    rc = subprocess.run(sys.argv[2:], stdout=out, stderr=err).returncode
print(rchar() - before, rc)
PY
}
# the SBOM without the target's name, which differs by construction
sbom_of() { jq -S 'del(.image.target)' "$1"; }
ca=$T_TMP/carc
if [ -d "$FIX/bookworm/oci" ] && command -v skopeo >/dev/null 2>&1; then
	mkdir -p "$ca/spool"
	cp -r "$FIX/bookworm/oci" "$ca/oci"
	i=1
	for d in $(ls -d /usr/share/doc/*/ | head -38); do
		mkdir -p "$ca/l$i/opt/layer$i"
		cp -rL "$d" "$ca/l$i/opt/layer$i/" 2>/dev/null || true
		tar --owner=0 --group=0 --numeric-owner -C "$ca/l$i" -cf "$ca/l$i.tar" opt
		umoci raw add-layer --image "$ca/oci:bookworm" --history.created_by "layer $i" "$ca/l$i.tar" >/dev/null 2>&1 ||
			t_fatal "umoci raw add-layer failed"
		i=$((i + 1))
	done
	skopeo --insecure-policy copy -q "oci:$ca/oci:bookworm" "docker-archive:$ca/img.tar:test/many:v1" ||
		t_fatal "skopeo copy to docker-archive failed"
	gzip -1 -c "$ca/img.tar" >"$ca/img.tar.gz"
	plain=$(wc -c <"$ca/img.tar")
	t_run_lading "$ca/plain.json" sbom -q -f json "docker-archive:$ca/img.tar" || t_fatal "the plain archive failed"
	[ "$(jq '.image.layers | length' "$ca/plain.json")" -ge 39 ] || t_fail "the plain archive: fewer than 39 layers"
	set -- "docker-archive:$ca/img.tar" "$plain" "docker-archive:$ca/img.tar.gz" "$(wc -c <"$ca/img.tar.gz")"
	if command -v zstd >/dev/null 2>&1; then
		zstd -q -1 -c "$ca/img.tar" >"$ca/img.tar.zst"
		set -- "$@" "$ca/img.tar.zst" "$(wc -c <"$ca/img.tar.zst")"
	fi
	while [ $# -ge 2 ]; do
		target=$1 csize=$2
		shift 2
		read -r got rc <<EOF2
$(TMPDIR=$ca/spool rchar "$ca/out.json" /usr/bin/time -f '%M' -o "$ca/rss" "$LADING" sbom -q -f json "$target")
EOF2
		if [ "$rc" != 0 ]; then
			t_fail "$target: exit $rc: $(head -3 "$ca/out.json.err")"
			continue
		fi
		sbom_of "$ca/plain.json" >"$ca/want.sbom"
		sbom_of "$ca/out.json" >"$ca/got.sbom"
		cmp -s "$ca/want.sbom" "$ca/got.sbom" || t_fail "$target: the SBOM differs from the plain archive's: $(diff "$ca/want.sbom" "$ca/got.sbom" | head -5)"
		# the compressed file once, the plain bytes about once
		bound=$(( (csize == plain ? 0 : csize) + plain + plain / 4 + (16 << 20) ))
		[ "$got" -le "$bound" ] || t_fail "$target: read $got bytes ($csize compressed, $plain plain): over $bound"
		rss=$(tail -1 "$ca/rss")
		[ "$rss" -le 65536 ] || t_fail "$target: peak RSS $rss KiB, over 64 MiB"
		t_say "compressed archives: $target: $got bytes read ($csize stored, $plain plain), peak RSS $rss KiB"
	done
	[ -z "$(ls -A "$ca/spool")" ] || t_fail "the spool directory is not empty: $(ls -A "$ca/spool")"
	# the fixture's oci-archive (gzip layers inside), gzip'd once more
	if [ -f "$FIX/bookworm/oci-archive.tar" ]; then
		gzip -1 -c "$FIX/bookworm/oci-archive.tar" >"$ca/oa.tar.gz"
		t_run_lading "$ca/oa.json" sbom -q -f json "oci-archive:$FIX/bookworm/oci-archive.tar" &&
			t_run_lading "$ca/oagz.json" sbom -q -f json "$ca/oa.tar.gz" && {
			[ "$(jq -r .image.source_kind "$ca/oagz.json")" = oci-archive ] || t_fail "oa.tar.gz not read as an oci-archive"
			sbom_of "$ca/oa.json" >"$ca/want.sbom"
			sbom_of "$ca/oagz.json" >"$ca/got.sbom"
			cmp -s "$ca/want.sbom" "$ca/got.sbom" || t_fail "gzip'd oci-archive: the SBOM differs"
		}
	fi
	rc=0
	TMPDIR=$ca/no-such-dir "$LADING" sbom -q -f json "docker-archive:$ca/img.tar.gz" >/dev/null 2>"$ca/err" || rc=$?
	[ "$rc" = 3 ] && grep -q "cannot make a temporary file in $ca/no-such-dir" "$ca/err" ||
		t_fail "unusable TMPDIR: exit $rc: $(cat "$ca/err")"
	head -c $((plain / 8)) "$ca/img.tar.gz" >"$ca/cut.tar.gz"
	rc=0
	"$LADING" sbom -q -f json "docker-archive:$ca/cut.tar.gz" >/dev/null 2>"$ca/err" || rc=$?
	[ "$rc" = 3 ] && grep -q "truncated gzip" "$ca/err" || t_fail "truncated gzip archive: exit $rc: $(cat "$ca/err")"
	rc=0
	"$LADING" sbom -q -f json --max-image-size 100M "docker-archive:$ca/img.tar.gz" >/dev/null 2>"$ca/err" || rc=$?
	[ "$rc" = 3 ] && grep -q "decompressed, the archive is over the image size limit" "$ca/err" ||
		t_fail "a gzip'd archive over --max-image-size: exit $rc: $(cat "$ca/err")"
else
	t_say "SKIP the compressed archive scenarios: no bookworm fixture at $FIX, or no skopeo"
fi

# ---- 3. jars in jars ---------------------------------------------------------------
jb=$T_TMP/jars
mkdir -p "$jb/root/opt" "$jb/spool"
# (hand-made on purpose: a zip bomb is an edge case no build tool makes)
python3 - "$jb/bomb.jar" <<'PY' || t_fatal "could not make the nested jar"
import os, sys, zipfile
out = sys.argv[1]
zeros = bytes(1 << 20)
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    for k in (1, 2, 3):
        inner = out + ".inner.jar"
        with zipfile.ZipFile(inner, "w") as iz:   # stored: the nested jar itself is 250 MiB
            iz.writestr("META-INF/maven/org.example/bomb%d/pom.properties" % k,
                        "groupId=org.example\nartifactId=bomb%d\nversion=1.0\n" % k)
            with iz.open(zipfile.ZipInfo("zeros.bin"), "w", force_zip64=True) as f:
                for _ in range(250):
                    f.write(zeros)
        z.write(inner, "BOOT-INF/lib/bomb%d.jar" % k)
        os.unlink(inner)
PY
for i in $(seq 1 30); do
	cp "$jb/bomb.jar" "$jb/root/opt/app$i.jar"
done
tar --owner=0 --group=0 --numeric-owner -C "$jb/root" -cf - opt | gzip -9 >"$jb/layer.tar.gz"
t_say "jars in jars: 30 jars nesting three 250 MiB jars each, a $(wc -c <"$jb/layer.tar.gz")-byte gzip layer"
umoci init --layout "$jb/oci" >/dev/null && umoci new --image "$jb/oci:img" >/dev/null || t_fatal "umoci init failed"
for l in 1 2 3; do
	mkdir -p "$jb/l$l/opt"
	for i in $(seq 1 10); do
		cp "$jb/bomb.jar" "$jb/l$l/opt/layer$l-app$i.jar"
	done
	tar --owner=0 --group=0 --numeric-owner -C "$jb/l$l" -cf "$jb/l$l.tar" opt
	umoci raw add-layer --image "$jb/oci:img" "$jb/l$l.tar" >/dev/null 2>&1 || t_fatal "umoci raw add-layer failed"
done
# nested_check NAME WANT: WANT nested jars read (one package each), a warning naming
# each of the others
nested_check() {
	nc_out=$T_TMP/$1.out
	if [ "$rc" != 0 ]; then
		t_fail "$1: exit $rc: $(head -3 "$T_TMP/$1.err")"
		return
	fi
	got=$(jq '[.packages[] | select(.type == "maven" and .namespace == "org.example")] | length' "$nc_out")
	[ "$got" = "$2" ] || t_fail "$1: $got nested jars read, expected $2"
	# every one of the 90 nested jars is read, or named as not read (the rest of a jar
	# after the first not read is skipped with it)
	unread=$(jq '[.warnings[] | select(test("!/BOOT-INF/lib/bomb[1-3][.]jar: (not read: the image.s budget|over the budget)"))] | length' "$nc_out")
	[ "$unread" = 30 ] || t_fail "$1: $unread jars with a warning about the budget, expected 30 (one each)"
	t_say "jars in jars: $1: $got nested jars read, $unread warnings, peak RSS $rb_rss KiB"
}
TMPDIR=$jb/spool run_bounded nested-default 65536 sbom -q -f json "rootfs-archive:$jb/layer.tar.gz"
nested_check nested-default 4
jq -e '[.warnings[] | select(contains("not read: the image'"'"'s budget of bytes decompressed from archives inside files is used up (--max-nested-size)"))] | length >= 1' \
	"$T_TMP/nested-default.out" >/dev/null || t_fail "nested-default: no warning names the image budget"
TMPDIR=$jb/spool run_bounded nested-threads 65536 sbom -q -f json --threads 4 "oci:$jb/oci:img"
nested_check nested-threads 4
TMPDIR=$jb/spool run_bounded nested-2g 65536 sbom -q -f json --max-nested-size 2G "rootfs-archive:$jb/layer.tar.gz"
nested_check nested-2g 8
[ -z "$(ls -A "$jb/spool")" ] || t_fail "jars in jars: the spool directory is not empty: $(ls -A "$jb/spool")"

t_done
