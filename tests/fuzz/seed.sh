#!/bin/sh
# Fills build-fuzz/seeds/<harness>/ with real inputs for every fuzz harness
# (tests/fuzz/fuzz_<harness>.c), made afresh on each run, then checks with
# check-seeds.sh that every harness has seeds and none is over -max_len.
#
#   sh tests/fuzz/seed.sh [LADING]      (LADING: the CLI, default build/lading)
#
# Seeds are real: corpus files as they are, or real data put in the layout a
# harness reads (a format byte, NUL-separated parts), or the output of real
# tools on corpus files: rpm builds small rpm databases from the corpus's
# headers, lading itself writes CycloneDX SBOMs and scan results, tar makes
# layers, gzip an NVD feed (tests/fuzz/seedgen.py has the details). A file
# over the limit is never cut: it is left out or replaced by a smaller real
# one. The corpus itself is never copied into the repository; the few seeds
# the corpus has no material for are checked in under tests/fuzz/seeds/
# (tests/fuzz/seeds/README.md says where each comes from).
# shellcheck disable=SC2046 # the $(find ...) lists: corpus paths hold no blanks
set -eu
CORPUS=${LADING_CORPUS:-../shared/corpus}
OUT=build-fuzz/seeds
LADING=${1:-build/lading}
MAX=${FUZZ_MAX_LEN:-1048576}
export FUZZ_MAX_LEN="$MAX"
GEN="python3 tests/fuzz/seedgen.py"
if [ ! -d "$CORPUS" ]; then
	echo "fuzz seeds: FAILED: the corpus is not at $CORPUS (set LADING_CORPUS): without it most harnesses" >&2
	echo "fuzz seeds: would start from nothing and fuzz code they never reach" >&2
	exit 1
fi
[ -x "$LADING" ] || { echo "fuzz seeds: FAILED: $LADING not built (make all): it writes the SBOM seeds" >&2; exit 1; }
for t in python3 rpmdb tar gzip objcopy; do
	command -v $t >/dev/null || { echo "fuzz seeds: FAILED: $t not found (sh scripts/setup.sh)" >&2; exit 1; }
done
rm -rf "$OUT"
mkdir -p "$OUT"
d=$(mktemp -d)
trap 'chmod -R u+w "$d"; rm -rf "$d"' EXIT # the corpus is read-only, so are copies of its folders
D=$CORPUS/lang/go-dep-parser
V=$CORPUS/vulndata

# seed NAME FILE...: corpus files as they are (files over the limit are left out)
seed() {
	mkdir -p "$OUT/$1"
	n=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		[ "$(wc -c <"$f")" -le "$MAX" ] || { echo "fuzz seeds: $n: $f is over $MAX bytes, left out"; continue; }
		cp "$f" "$OUT/$n/$(echo "$f" | sed "s|^$CORPUS/||" | tr '/' '_')"
	done
	return 0
}
# lockseed HARNESS BYTE FILE...: a format byte (octal), then the file
lockseed() {
	h=$1 byte=$2
	shift 2
	mkdir -p "$OUT/$h"
	for f in "$@"; do
		# shellcheck disable=SC2059 # the format is the byte
		[ -f "$f" ] && { printf "\\$byte"; cat "$f"; } >"$OUT/$h/$byte-$(echo "$f" | sed "s|^$CORPUS/||" | tr '/' '_')"
	done
	return 0
}
# mktar NAME DIR: a reproducible tar of DIR (and .gz) as layer seeds
mktar() {
	tar -C "$2" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$OUT/layer/$1.tar" .
	gzip -n -9 -c "$OUT/layer/$1.tar" >"$OUT/layer/$1.tar.gz"
}

# ---- OS package databases ---------------------------------------------------------
seed apk "$CORPUS"/pkgdb/apk/syft/base "$CORPUS"/pkgdb/apk/syft/single "$CORPUS"/pkgdb/apk/syft/empty-deps-and-provides \
	"$CORPUS"/pkgdb/apk/syft/extra-file-attributes $(find "$CORPUS"/pkgdb/apk/syft -name installed | LC_ALL=C sort)
for t in "$CORPUS"/images/alpine/*.tar.gz; do
	tar -xzOf "$t" ./lib/apk/db/installed >"$d/installed" 2>/dev/null || tar -xzOf "$t" lib/apk/db/installed >"$d/installed"
	cp "$d/installed" "$OUT/apk/$(basename "$t" .tar.gz).installed"
done
$GEN dpkg "$CORPUS" "$OUT"
# rpm_header, rpm_sqlite, rpm_ndb: rpm's own export and import of the corpus databases
$GEN rpm "$CORPUS" "$OUT"
seed rpm_bdb "$CORPUS"/pkgdb/rpm/libuuid/Packages
seed diversions /var/lib/dpkg/diversions
seed dpkg_filters /etc/dpkg/dpkg.cfg $(find /etc/dpkg/dpkg.cfg.d -type f 2>/dev/null | LC_ALL=C sort)
$GEN osrel "$CORPUS" "$OUT"
seed os_release "$CORPUS"/os-release/syft/os/*/etc/os-release "$CORPUS"/images/alpine/*.os-release

# ---- language catalogers ----------------------------------------------------------
# java: both paths (jar, pom) take every input: the small corpus jars, the
# smaller jars inside the wars and the wars holding only those (whole
# entries: the nested-archive path), the pom files. Jars over JAVA_MAX / 2
# are left out: a 0.5 MiB jar costs ten times the runs of a small one (in
# 60 s, cov 676 with every jar up to 740 KiB against 763 with three small
# ones; docs/testing.md)
JAVA_MAX=${FUZZ_JAVA_MAX:-262144}
seed java $(find "$D"/java-jar -name '*.jar' -size -"$((JAVA_MAX / 2))"c | LC_ALL=C sort) \
	$(find "$D"/java-pom -name '*.xml' -o -name '*.pom' | LC_ALL=C sort)
python3 - "$D/java-jar" "$OUT/java" "$JAVA_MAX" <<'EOF'
import os, sys, zipfile
src, out, mx = sys.argv[1], sys.argv[2], int(sys.argv[3])
for w in sorted(os.listdir(src)):
    if not w.endswith(".war"):
        continue
    z = zipfile.ZipFile(os.path.join(src, w))
    keep, size = [], 0
    for i in z.infolist():
        data = z.read(i)
        if i.filename.endswith(".jar"):
            if len(data) > mx // 2:
                continue
            open(os.path.join(out, "%s-%s" % (w, os.path.basename(i.filename))), "wb").write(data)
        if size + i.compress_size + 200 <= mx:
            keep.append((i, data))
            size += i.compress_size + 200
    with zipfile.ZipFile(os.path.join(out, "small-" + w), "w") as o:
        for i, data in keep:
            o.writestr(i, data, compress_type=i.compress_type)
EOF
seed python $(find "$D"/python-packaging "$CORPUS"/lang/python-syft -type f \( -name METADATA -o -name PKG-INFO \
	-o -name '*.egg-info' \) | LC_ALL=C sort)
seed python_record $(find "$CORPUS"/lang/python-syft -type f \( -name RECORD -o -name installed-files.txt \) | LC_ALL=C sort)
seed gem "$D"/ruby-gemspec/*.gemspec $(find /usr/lib/ruby/gems -name '*.gemspec' 2>/dev/null | LC_ALL=C sort | head -12)
# composer (installed.json) and dotnet (deps.json): the corpus has none; the
# checked-in seeds are syft's; composer.lock's "packages" is the same shape
seed composer "$D"/php-composer/*.lock
lockseed lock_js 000 "$D"/nodejs-npm/*.json
lockseed lock_js 001 "$D"/nodejs-yarn/*.lock
lockseed lock_python 000 "$D"/python-poetry/*.lock $(find "$CORPUS"/lang/python-syft -name poetry.lock | LC_ALL=C sort)
lockseed lock_python 001 "$D"/python-pipenv/*.lock $(find "$CORPUS"/lang/python-syft -name Pipfile.lock | LC_ALL=C sort)
lockseed lock_python 002 $(find "$CORPUS"/lang/python-syft -name uv.lock | LC_ALL=C sort)
lockseed lock_python 003 "$D"/python-pip/*.txt $(find "$CORPUS"/lang/python-syft -name 'requirements*.txt' | LC_ALL=C sort)
lockseed lock_other 000 "$D"/ruby-bundler/*.lock
lockseed lock_other 001 "$D"/php-composer/*.lock
lockseed lock_other 002 "$D"/rust-cargo/*.lock
# binaries: the Go build-info section of the corpus Go binaries, as a small
# ELF (elf) and as flat bytes (gobuildinfo); and a few small real ELF files
mkdir -p "$OUT/elf" "$OUT/gobuildinfo"
for b in "$D"/golang-binary/*.elf; do
	objcopy --only-section=.go.buildinfo "$b" "$OUT/elf/$(basename "$b")" 2>/dev/null
	objcopy -O binary --only-section=.go.buildinfo "$b" "$OUT/gobuildinfo/$(basename "$b").bin" 2>/dev/null
done
seed elf "$D"/golang-binary/dummy /usr/bin/true /usr/bin/env $(ls /usr/lib/x86_64-linux-gnu/libz.so.1 2>/dev/null || true)
seed gobuildinfo $(find "$D"/golang-binary -name '*.go-version-m.txt')
$GEN classifiers "$CORPUS" "$OUT"

# ---- layers: real files of each kind, tarred (plain and gzip, one zstd) ----------
mkdir -p "$OUT/layer"
mkdir -p "$d/l1" && tar -C "$d/l1" -xzf "$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz" ./lib/apk/db/installed \
	./etc/os-release ./etc/alpine-release
mktar alpine-db "$d/l1"
command -v zstd >/dev/null && zstd -q -f "$OUT/layer/alpine-db.tar" -o "$OUT/layer/alpine-db.tar.zst"
mkdir -p "$d/l2/var/lib/dpkg/info" "$d/l2/etc" "$d/l2/usr/share/doc"
cp "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/status "$d/l2/var/lib/dpkg/status"
cp "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/os-release "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/debian_version "$d/l2/etc/"
cp "$CORPUS"/pkgdb/dpkg/syft/image-dpkg/var/lib/dpkg/info/* "$d/l2/var/lib/dpkg/info/"
: >"$d/l2/usr/share/doc/.wh..wh..opq" # whiteouts as a later layer writes them
: >"$d/l2/etc/.wh.motd"
mktar debian-dpkg "$d/l2"
mkdir -p "$d/l3/var/lib/rpm" "$d/l3/etc"
cp "$OUT"/rpm_sqlite/cbl-mariner-2.0-1.sqlite "$d/l3/var/lib/rpm/rpmdb.sqlite"
cp "$CORPUS"/os-release/syft/os/mariner/etc/os-release "$d/l3/etc/"
mktar mariner-rpm "$d/l3"
mkdir -p "$d/l4/app" "$d/l4/srv/py" "$d/l4/usr/lib/python3/dist-packages" "$d/l4/usr/local/bundle/specifications"
cp "$D"/nodejs-npm/package-lock_normal.json "$d/l4/app/package-lock.json"
cp "$D"/nodejs-yarn/yarn_v2_normal.lock "$d/l4/app/yarn.lock"
cp "$D"/rust-cargo/cargo_normal.lock "$d/l4/app/Cargo.lock"
cp "$D"/ruby-bundler/Gemfile_normal.lock "$d/l4/app/Gemfile.lock"
cp "$D"/python-poetry/poetry_normal.lock "$d/l4/srv/py/poetry.lock"
cp "$D"/java-jar/test.jar "$d/l4/app/test.jar"
cp "$D"/ruby-gemspec/normal00.gemspec "$d/l4/usr/local/bundle/specifications/"
cp -r "$CORPUS"/lang/python-syft/site-packages/*.dist-info "$d/l4/usr/lib/python3/dist-packages/"
mktar lang "$d/l4"
for f in "$OUT"/layer/*; do
	[ "$(wc -c <"$f")" -le "$MAX" ] || { echo "fuzz seeds: layer: $(basename "$f") is over $MAX bytes, left out"; rm -f "$f"; }
done

# ---- feeds ------------------------------------------------------------------------
seed import_alpine $(find "$V"/alpine-secdb -name '*.yaml' | LC_ALL=C sort)
seed import_debian_dsa "$V"/debian/DSA-list "$V"/debian/DLA-list
seed import_ubuntu $(find "$V"/ubuntu-cve-tracker -type f | LC_ALL=C sort | awk 'NR % 12 == 1')
$GEN osv "$CORPUS" "$OUT"
# the tracker JSON the CLI tests derive from the real DSA/DLA lists, in whole packages
python3 tests/fixtures-gen/debian_tracker_from_dsa.py "$d/tracker.json" "$V"/debian/DSA-list "$V"/debian/DLA-list
$GEN tracker "$d/tracker.json" "$OUT"
# NVD: the checked-in API responses, also gzip-compressed as the yearly feeds are
mkdir -p "$OUT/import_nvd"
for f in tests/fuzz/seeds/import_nvd/*.json; do gzip -n -9 -c "$f" >"$OUT/import_nvd/$(basename "$f").gz"; done

# ---- what lading itself writes ----------------------------------------------------
# sbom_input: trivy's CycloneDX SBOMs of the corpus images, and lading's own
# of the same images and of roots made of corpus package databases and lockfiles
seed sbom_input "$CORPUS"/expected/*.cdx.json
mkdir -p "$d/deb/var/lib/dpkg" "$d/deb/etc" "$d/rpm/var/lib/rpm" "$d/rpm/etc" "$d/sle/var/lib/rpm" "$d/sle/etc" \
	"$d/c7/var/lib/rpm" "$d/c7/usr/lib" "$d/lang/app" "$d/lang/srv/py" "$d/lang/srv/pipenv" "$d/lang/usr/bin"
cp "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/status "$d/deb/var/lib/dpkg/status"
cp "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/os-release "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/debian_version "$d/deb/etc/"
cp "$CORPUS"/pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite "$d/rpm/var/lib/rpm/"
cp "$CORPUS"/os-release/syft/os/mariner/etc/os-release "$d/rpm/etc/"
cp "$CORPUS"/pkgdb/rpm/sle15-bci/Packages.db "$d/sle/var/lib/rpm/"
cp "$CORPUS"/os-release/syft/os/sles/etc/os-release "$d/sle/etc/"
cp "$CORPUS"/pkgdb/rpm/centos7-plain/Packages "$d/c7/var/lib/rpm/"
cp "$CORPUS"/os-release/syft/os/centos/usr/lib/os-release "$d/c7/usr/lib/"
cp "$D"/rust-cargo/cargo_many.lock "$d/lang/app/Cargo.lock"
cp "$D"/python-poetry/poetry_many.lock "$d/lang/srv/py/poetry.lock"
cp "$D"/python-pipenv/Pipfile_django.lock "$d/lang/srv/pipenv/Pipfile.lock"
cp "$D"/nodejs-yarn/yarn_normal.lock "$d/lang/app/yarn.lock"
cp "$D"/nodejs-npm/package-lock_normal.json "$d/lang/app/package-lock.json"
cp "$D"/php-composer/composer_normal.lock "$d/lang/app/composer.lock"
cp "$D"/java-jar/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar "$D"/java-jar/test.jar "$d/lang/app/"
for b in test replace; do cp "$D/golang-binary/$b.elf" "$d/lang/usr/bin/$b" && chmod 755 "$d/lang/usr/bin/$b"; done
chmod -R u+w "$d"
sbom() { # NAME TARGET
	"$LADING" sbom -q -f cyclonedx -o "$OUT/sbom_input/lading-$1.cdx.json" "$2"
}
for t in "$CORPUS"/images/alpine/*.tar.gz; do sbom "$(basename "$t" .tar.gz)" "rootfs-archive:$t"; done
for r in deb rpm sle c7 lang; do sbom "$r" "dir:$d/$r"; done
# report, report_scan (and a CycloneDX with vulnerabilities for sbom_input):
# lading's scans of those roots against databases imported from the corpus feeds
"$LADING" db import -q --db "$d/osv.db" "$V"/osv-go "$V"/osv-rust "$V"/osv-pypi
"$LADING" db import -q --db "$d/distro.db" "$V"/alpine-secdb "$V"/debian/DSA-list
"$LADING" scan -q --db "$d/osv.db" -f json -o "$d/scan-lang.json" "dir:$d/lang"
"$LADING" scan -q --db "$d/osv.db" -f cyclonedx -o "$OUT/sbom_input/lading-scan-lang.cdx.json" "dir:$d/lang"
"$LADING" scan -q --db "$d/distro.db" -f json -o "$d/scan-alpine-3.9.6.json" \
	"rootfs-archive:$CORPUS/images/alpine/alpine-minirootfs-3.9.6-x86_64.tar.gz"
"$LADING" scan -q --db "$d/distro.db" -f json -o "$d/scan-deb.json" "dir:$d/deb"
"$LADING" scan -q --db "$d/distro.db" -f json -o "$d/scan-rpm.json" "dir:$d/rpm"
$GEN report "$d"/scan-*.json -- "$OUT"
# vex: OpenVEX documents naming the findings of those scans (their real ids,
# aliases and package purls; the four statuses in turn, by image or by
# package), beside openvex/vexctl's checked-in documents (tests/fuzz/seeds/vex/)
mkdir -p "$OUT/vex"
for s in "$d"/scan-*.json; do
	python3 - "$s" "$OUT/vex/lading-$(basename "$s" .json).vex.json" <<'EOF'
import json, sys
scan = json.load(open(sys.argv[1]))
purl = {p["id"]: p["purl"] for p in scan["packages"] if p.get("purl")}
image = scan["image"]["manifest_digest"] or scan["image"]["name"] or "image"
st = []
for i, f in enumerate(scan["findings"][:300]):
    s = {"vulnerability": {"name": f["vuln_id"], "aliases": f["aliases"]},
         "timestamp": "2024-01-%02dT00:00:00Z" % (1 + i % 28)}
    pkg = purl.get(f["package_id"])
    if not pkg:
        continue
    s["products"] = [{"@id": image, "subcomponents": [{"@id": pkg}]}] if i % 2 else [{"@id": pkg}]
    s["status"] = ["not_affected", "affected", "fixed", "under_investigation"][i % 4]
    if i % 4 == 0:
        s["justification"] = "vulnerable_code_not_in_execute_path"
    if i % 4 == 1:
        s["action_statement"] = "upgrade to %s" % (f["fixed"] or "a fixed version")
    st.append(s)
if st:
    json.dump({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://lading.test/seed/" + sys.argv[1].split("/")[-1],
               "author": "lading fuzz seeds", "timestamp": "2024-02-01T00:00:00Z", "version": 1, "statements": st},
              open(sys.argv[2], "w"), indent=1)
EOF
done
# sources_file: the built-in list as lading prints it
mkdir -p "$OUT/sources_file"
"$LADING" db update --list >"$OUT/sources_file/lading-db-update-list"
# sha256: real files of several sizes as the two messages
$GEN sha256 "$OUT" "$CORPUS"/images/alpine/alpine-minirootfs-3.9.6-x86_64.os-release "$CORPUS"/pkgdb/apk/syft/base \
	"$CORPUS"/pkgdb/rpm/libuuid/Packages "$D"/java-jar/test.jar "$V"/osv-go/GO-2020-0001.json \
	"$CORPUS"/images/alpine/alpine-minirootfs-3.20.3-x86_64.apk-full.tsv
# version_<scheme>: up to three real versions from the corpus packages and feeds
$GEN versions "$CORPUS" "$OUT"

# ---- bom_input: lading's own JSON (and CycloneDX) of corpus images, as a BOM
# store keeps it; needs $LADING. Each seed is far below 1 MiB.
if [ -x "$LADING" ]; then
	mkdir -p "$OUT/bom_input" "$d/bom/rpm/var/lib/rpm" "$d/bom/mixed/usr/local/bin"
	A=$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
	cp "$CORPUS/pkgdb/rpm/libuuid/Packages" "$d/bom/rpm/var/lib/rpm/"
	tar -xzf "$A" -C "$d/bom" ./bin/busybox && install -m 755 "$d/bom/bin/busybox" "$d/bom/mixed/usr/local/bin/"
	cp -r "$CORPUS/lang/python-syft" "$d/bom/mixed/python" # Python packages, and warnings
	for t in "$A" "dir:$d/bom/rpm" "dir:$d/bom/mixed"; do
		n=$(basename "$t" .tar.gz)
		"$LADING" sbom -q -f json --integrity "$t" >"$OUT/bom_input/$n.json" || rm -f "$OUT/bom_input/$n.json"
	done
	"$LADING" sbom -q -f cyclonedx "$A" >"$OUT/bom_input/alpine.cdx.json" || rm -f "$OUT/bom_input/alpine.cdx.json"
else
	echo "fuzz seeds: bom_input: $LADING is not built (make all)"
fi
echo "fuzz seeds: written to $OUT"
sh tests/fuzz/check-seeds.sh
