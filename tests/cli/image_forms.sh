#!/bin/sh
# Image forms, layers, whiteouts and bad input, on small images built here
# from the real Alpine 3.20 root file system of the corpus with umoci and
# skopeo (no Docker engine).
#
#   layer 0  the minirootfs, verbatim
#   layer 1  lib/apk/db/installed with one package's stanza given a newer
#            version (an "upgrade"): that package must be attributed to layer 1,
#            every other one to layer 0
#   layer 2  an opaque /lib/apk/db holding a database without one package
#            (a removal), plus a whiteout of /etc/alpine-release
#
# The image is then copied to oci-archive, docker-archive and a zstd OCI
# layout, and every form must give the same inventory. The expected package
# list is the corpus's .apk-full.tsv with those two edits applied.
set -eu
. "$(dirname "$0")/lib.sh"
t_need_lading

skip() { t_skip "$@"; }
fail() { t_fatal "$@"; }
same() { t_compare "$1" "$2" "$3" || exit 1; }
# expect_exit CODE TEXT CMD...: CMD must exit CODE and say TEXT on stderr.
expect_exit() {
	want=$1 text=$2
	shift 2
	rc=0
	"$@" >/dev/null 2>err.txt || rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want; stderr: $(cat err.txt)"
	[ -z "$text" ] || grep -q -- "$text" err.txt || fail "'$*' did not say '$text'; stderr: $(cat err.txt)"
}

t_corpus
CORPUS=$T_CORPUS
ROOTFS=$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
[ -f "$ROOTFS" ] || skip "corpus not found ($ROOTFS)"
for t in umoci skopeo jq python3; do
	command -v $t >/dev/null || skip "$t not installed (run make setup)"
done

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
OLD_PKG=musl-utils    # version bumped in layer 1
GONE_PKG=scanelf      # removed in layer 2

umoci init --layout oci >/dev/null
umoci new --image oci:img >/dev/null
zcat "$ROOTFS" >base.tar
umoci raw add-layer --image oci:img --history.created_by "ADD minirootfs" base.tar
tar -xf base.tar ./lib/apk/db/installed
python3 - "$OLD_PKG" <<'EOF'
import sys
db = open("lib/apk/db/installed").read().split("\n\n")
out = []
for st in db:
    lines = st.split("\n")
    if "P:" + sys.argv[1] in lines:
        lines = [l + ".1" if l.startswith("V:") else l for l in lines]
    out.append("\n".join(lines))
open("installed.l1", "w").write("\n\n".join(out))
EOF
mkdir -p l1/lib/apk/db && cp installed.l1 l1/lib/apk/db/installed
tar -C l1 -cf l1.tar lib
umoci raw add-layer --image oci:img --history.created_by "RUN apk upgrade $OLD_PKG" l1.tar
python3 - "$GONE_PKG" <<'EOF'
import sys
db = open("installed.l1").read().split("\n\n")
keep = [st for st in db if ("P:" + sys.argv[1]) not in st.split("\n")]
open("installed.l2", "w").write("\n\n".join(keep))
EOF
mkdir -p l2/lib/apk/db && cp installed.l2 l2/lib/apk/db/installed
touch l2/lib/apk/db/.wh..wh..opq
mkdir -p l2/etc && touch l2/etc/.wh.alpine-release
tar -C l2 -cf l2.tar lib etc
umoci raw add-layer --image oci:img --history.created_by "RUN apk del $GONE_PKG" l2.tar

# expected: name version arch origin license layer
awk -F'\t' -v old="$OLD_PKG" -v gone="$GONE_PKG" 'BEGIN{OFS="\t"}
	$1 == gone { next }
	$1 == old { print $1, $2 ".1", $3, $4, $5, 1; next }
	{ print $1, $2, $3, $4, $5, 0 }' "${ROOTFS%.tar.gz}.apk-full.tsv" | LC_ALL=C sort >expected.tsv
[ "$(wc -l <expected.tsv)" -eq 13 ] || fail "expected list should have 13 packages"

skopeo --insecure-policy copy -q oci:oci:img oci-archive:img-oci.tar:img
skopeo --insecure-policy copy -q oci:oci:img docker-archive:img-docker.tar:test/img:v1
skopeo --insecure-policy copy -q --dest-compress-format zstd oci:oci:img oci:zoci:img

pkgs() { # TARGET -> name version arch origin license layer, sorted
	"$LADING" sbom -q -f json "$1" >out.json || fail "lading sbom $1 exited $?"
	jq -r '.packages[] | [.name, .version, .arch, .source_name, .license, .layer.index] | @tsv' out.json |
		LC_ALL=C sort
}

for target in oci:oci:img oci-archive:img-oci.tar:img img-oci.tar docker-archive:img-docker.tar \
	img-docker.tar oci:zoci:img zoci; do
	pkgs "$target" >got.tsv
	same expected.tsv got.tsv "packages of $target"
	[ "$(jq '.image.layers | length' out.json)" = 3 ] || fail "$target: expected 3 layers"
	[ "$(jq -r '.image.layers[2].created_by' out.json)" = "RUN apk del $GONE_PKG" ] ||
		fail "$target: created_by of layer 2 is wrong"
	[ "$(jq -r '.os.id' out.json)" = alpine ] || fail "$target: OS not alpine"
	# /etc/alpine-release was whited out: the precise version falls back to os-release
	[ "$(jq -r '.os.version_id' out.json)" = 3.20.3 ] || fail "$target: VERSION_ID wrong"
done
# diff_ids must equal the config's, whatever the compression
jq -r '.image.layers[].diff_id' out.json >ids.got
jq -r '.rootfs.diff_ids[]' "oci/blobs/sha256/$(jq -r '.manifests[0].digest' oci/index.json | cut -d: -f2 |
	xargs -I{} jq -r .config.digest oci/blobs/sha256/{} | cut -d: -f2)" >ids.want
same ids.want ids.got "diff_ids"
# the same digests and packages whether each walk hashes its own layer (--threads 1)
# or hands the hashing to a worker with no layer left (--threads 6: 3 walks, 3 helpers)
for target in oci:oci:img docker-archive:img-docker.tar oci:zoci:img; do
	for t in 1 6; do
		"$LADING" sbom -q -f json --threads $t "$target" >out.json || fail "$target --threads $t exited $?"
		jq -c '[.image.layers[] | .digest, .diff_id], [.packages[] | .name + " " + .version]' out.json >"t$t.json"
	done
	same t1.json t6.json "digests and packages of $target, 1 thread and 6"
done

# ---- a Docker 25+ "docker save" layout (hand-assembled: no Docker engine here) ----
# It is an OCI layout plus manifest.json whose Layers name uncompressed blobs
# under blobs/sha256/; the manifest.json view must win and give the same result.
mkdir -p d25/blobs/sha256
cp oci/oci-layout oci/index.json d25/
man=$(jq -r '.manifests[0].digest' oci/index.json | cut -d: -f2)
cfg=$(jq -r .config.digest "oci/blobs/sha256/$man" | cut -d: -f2)
cp "oci/blobs/sha256/$cfg" "oci/blobs/sha256/$man" d25/blobs/sha256/
layers=""
for l in $(jq -r '.layers[].digest' "oci/blobs/sha256/$man" | cut -d: -f2); do
	zcat "oci/blobs/sha256/$l" >d25/tmp.tar
	h=$(sha256sum d25/tmp.tar | cut -d' ' -f1)
	mv d25/tmp.tar "d25/blobs/sha256/$h"
	layers="$layers\"blobs/sha256/$h\","
done
printf '[{"Config":"blobs/sha256/%s","RepoTags":["test/d25:v1"],"Layers":[%s]}]\n' "$cfg" "${layers%,}" \
	>d25/manifest.json
tar -C d25 -cf d25.tar .
pkgs d25.tar >got.tsv
same expected.tsv got.tsv "packages of a Docker 25+ archive"
[ "$(jq -r '.image.source_kind' out.json)" = docker-archive ] || fail "d25.tar not read as a docker-archive"
[ "$(jq -r '.image.tags[0]' out.json)" = test/d25:v1 ] || fail "d25.tar: tag not read"
# a layer whose bytes do not match the digest in its name is refused
l0=$(jq -r '.[0].Layers[0]' d25/manifest.json)
printf 'X' | dd of="d25/$l0" bs=1 seek=5000 conv=notrunc 2>/dev/null
tar -C d25 -cf d25bad.tar .
expect_exit 3 "digest" "$LADING" sbom -q d25bad.tar

# ---- a root file system directory and tarball ---------------------------------
mkdir rootfs && tar -C rootfs -xf base.tar
"$LADING" sbom -q -f json dir:rootfs | jq -r '.packages[] | [.name, .version] | @tsv' | LC_ALL=C sort >got.tsv
cut -f1,2 "${ROOTFS%.tar.gz}.apk-full.tsv" | LC_ALL=C sort >want.tsv
same want.tsv got.tsv "dir: packages"

# ---- multi-platform index (hand-edited: umoci cannot build one) --------------
man=$(jq -c '.manifests[0]' oci/index.json)
jq -c --argjson m "$man" '.manifests = [
	($m | .platform = {"os":"linux","architecture":"arm64","variant":"v8"} | del(.annotations)),
	($m | .platform = {"os":"linux","architecture":"amd64"} | del(.annotations))]' oci/index.json >idx.json
cp -r oci multi && cp idx.json multi/index.json
"$LADING" sbom -q -f json multi >/dev/null || fail "multi-platform index: default platform failed"
"$LADING" sbom -q -f json --platform linux/arm64 multi >/dev/null || fail "--platform linux/arm64 failed"
expect_exit 3 "no manifest for platform" "$LADING" sbom -q --platform linux/s390x multi

# ---- bad input ---------------------------------------------------------------------
layer=$(jq -r '.manifests[0].digest' oci/index.json | cut -d: -f2)
layer=$(jq -r '.layers[0].digest' "oci/blobs/sha256/$layer" | cut -d: -f2)
cp -r oci bad && chmod -R u+w bad
printf 'X' | dd of="bad/blobs/sha256/$layer" bs=1 seek=1000 conv=notrunc 2>/dev/null
expect_exit 3 "layer 0" "$LADING" sbom -q bad:img
expect_exit 3 "layer 0" "$LADING" sbom -q --threads 6 bad:img
rm -rf bad && cp -r oci bad && chmod -R u+w bad
head -c 100000 "oci/blobs/sha256/$layer" >"bad/blobs/sha256/$layer"
expect_exit 3 "layer 0 (.*): the blob is 100000 bytes, the manifest says $(stat -c %s "oci/blobs/sha256/$layer")" \
	"$LADING" sbom -q bad:img
rm "bad/blobs/sha256/$layer"
expect_exit 3 "missing" "$LADING" sbom -q bad:img
echo '{"manifests": [' >bad/index.json
expect_exit 3 "index.json" "$LADING" sbom -q bad
expect_exit 3 "no such file" "$LADING" sbom -q oci:does-not-exist
expect_exit 3 "no image tagged" "$LADING" sbom -q oci:oci:nosuchtag
expect_exit 2 "format" "$LADING" sbom -f yaml oci
expect_exit 2 "TARGET" "$LADING" sbom
printf 'not a tar at all\n' >junk.bin
expect_exit 3 "" "$LADING" sbom -q junk.bin

# ---- hostile paths: traversal names are normalised into the image (hand-made) ------
python3 - <<'EOF'
import io, tarfile
t = tarfile.open("evil.tar", "w")
def add(name, data, kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = link; ti.size = len(data)
    t.addfile(ti, io.BytesIO(data) if data else None)
add("../../../etc/os-release", b"ID=alpine\nVERSION_ID=3.20.3\n")
add("lib/apk/db/../../../../lib/apk/db/installed", b"P:evil\nV:1.0-r0\nA:x86_64\n\n")
add("usr/lib/os-release", b"", tarfile.SYMTYPE, "../../../../../../../etc/passwd")
t.close()
EOF
"$LADING" sbom -q -f json evil.tar >out.json || fail "evil.tar: lading failed"
[ "$(jq -r '.packages[0].name' out.json)" = evil ] || fail "evil.tar: traversal entry not normalised"
[ "$(jq -r '.os.version_id' out.json)" = 3.20.3 ] || fail "evil.tar: os-release not read"
t_done
