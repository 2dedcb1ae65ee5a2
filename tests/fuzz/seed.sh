#!/bin/sh
# Fills build-fuzz/seeds/<harness>/ with real inputs from the shared corpus
# (when present) so that the fuzz smoke run starts from real data. The corpus
# itself is never copied into the repository.
set -eu
CORPUS=${LADING_CORPUS:-../shared/corpus}
OUT=build-fuzz/seeds
mkdir -p "$OUT"
[ -d "$CORPUS" ] || { echo "fuzz seeds: corpus not found at $CORPUS, using checked-in seeds only"; exit 0; }

# layer: a small real layer holding the files the catalogers read
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$OUT/layer"
tar -C "$d" -xzf "$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz" ./lib/apk/db/installed ./etc/os-release \
	./etc/alpine-release 2>/dev/null || true
tar -C "$d" -czf "$OUT/layer/alpine-db.tar.gz" .
tar -C "$d" -cf "$OUT/layer/alpine-db.tar" .
if command -v zstd >/dev/null; then zstd -q -f "$OUT/layer/alpine-db.tar" -o "$OUT/layer/alpine-db.tar.zst"; fi
# per-parser harnesses (names match tests/fuzz/fuzz_<name>.c) get their own files
seed() { # NAME FILE...
	mkdir -p "$OUT/$1"
	n=$1
	shift
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$OUT/$n/$(echo "$f" | tr '/' '_')"; done
	return 0
}
seed os_release "$CORPUS"/os-release/syft/os/*/etc/os-release "$CORPUS"/images/alpine/*.os-release
seed dpkg "$CORPUS"/pkgdb/dpkg/claircore/*.status "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/status
seed apk "$CORPUS"/pkgdb/apk/syft/base "$CORPUS"/pkgdb/apk/syft/single
seed rpm_bdb "$CORPUS"/pkgdb/rpm/libuuid/Packages
seed rpm_ndb "$CORPUS"/pkgdb/rpm/sle15-bci/Packages.db
seed rpm_sqlite "$CORPUS"/pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite
seed java "$CORPUS"/lang/go-dep-parser/java-jar/*.jar
seed python "$CORPUS"/lang/go-dep-parser/python-packaging/* "$CORPUS"/lang/python-syft/Python-2.7.egg-info \
	"$CORPUS"/lang/python-syft/site-packages/partial.dist-info/METADATA
seed python_record "$CORPUS"/lang/python-syft/site-packages/*/*/RECORD "$CORPUS"/lang/python-syft/site-packages/*/*.dist-info/RECORD \
	"$CORPUS"/lang/python-syft/installed-files/installed-files.txt
seed gem "$CORPUS"/lang/go-dep-parser/ruby-gemspec/*.gemspec
seed composer "$CORPUS"/lang/go-dep-parser/php-composer/*.lock
seed dotnet "$CORPUS"/lang/go-dep-parser/nuget-lock/*.json
# classifiers: syft's snippets (byte 0 picks the file name, byte 1 the window)
mkdir -p "$OUT/classifiers"
find "$CORPUS"/binaries/syft-snippets -type f -size -64k 2>/dev/null | head -300 | while read -r f; do
	cp "$f" "$OUT/classifiers/$(echo "$f" | sed 's|.*/syft-snippets/||' | tr '/' '_')"
done
# lockfiles: the harnesses take a format byte, then the file
lockseed() { # HARNESS BYTE FILE...
	h=$1 byte=$2
	shift 2
	mkdir -p "$OUT/$h"
	for f in "$@"; do
		[ -f "$f" ] && { printf "\\$byte"; cat "$f"; } >"$OUT/$h/$byte-$(basename "$f")"
	done
	return 0
}
D=$CORPUS/lang/go-dep-parser
lockseed lock_js 000 "$D"/nodejs-npm/*.json
lockseed lock_js 001 "$D"/nodejs-yarn/*.lock
lockseed lock_python 000 "$D"/python-poetry/*.lock
lockseed lock_python 001 "$D"/python-pipenv/*.lock
lockseed lock_python 003 "$D"/python-pip/*.txt
lockseed lock_other 000 "$D"/ruby-bundler/*.lock
lockseed lock_other 001 "$D"/php-composer/*.lock
lockseed lock_other 002 "$D"/rust-cargo/*.lock
# binaries: the build-info section of the corpus Go binary, cut small
if command -v objcopy >/dev/null; then
	mkdir -p "$OUT/elf" "$OUT/gobuildinfo"
	for b in "$D"/golang-binary/*.elf; do
		[ -f "$b" ] || continue
		objcopy --only-section=.go.buildinfo "$b" "$OUT/elf/$(basename "$b")" 2>/dev/null || true
		objcopy -O binary --only-section=.go.buildinfo "$b" "$OUT/gobuildinfo/$(basename "$b").bin" 2>/dev/null || true
	done
fi
# ---- bom_input: lading's own JSON (and CycloneDX) of corpus images, as a BOM
# store keeps it; needs build/lading (make all). Each seed is far below 1 MiB.
if [ -x build/lading ]; then
	mkdir -p "$OUT/bom_input" "$d/bom/rpm/var/lib/rpm" "$d/bom/mixed/usr/local/bin"
	A=$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
	cp "$CORPUS/pkgdb/rpm/libuuid/Packages" "$d/bom/rpm/var/lib/rpm/"
	tar -xzf "$A" -C "$d/bom" ./bin/busybox && install -m 755 "$d/bom/bin/busybox" "$d/bom/mixed/usr/local/bin/"
	cp -r "$CORPUS/lang/python-syft" "$d/bom/mixed/python" # Python packages, and warnings
	for t in "$A" "dir:$d/bom/rpm" "dir:$d/bom/mixed"; do
		n=$(basename "$t" .tar.gz)
		build/lading sbom -q -f json --integrity "$t" >"$OUT/bom_input/$n.json" || rm -f "$OUT/bom_input/$n.json"
	done
	build/lading sbom -q -f cyclonedx "$A" >"$OUT/bom_input/alpine.cdx.json" || rm -f "$OUT/bom_input/alpine.cdx.json"
else
	echo "fuzz seeds: bom_input: build/lading not built (make all), no seeds from lading's output"
fi
echo "fuzz seeds: written to $OUT"
