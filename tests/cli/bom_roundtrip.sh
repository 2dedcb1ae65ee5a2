#!/bin/sh
# lading's own JSON read back (sbom:FILE, lading_bom_read): nothing is lost.
#
#   1. Byte stability. For every input below, with and without --integrity:
#      `lading sbom -f json X > a.json; lading sbom -f json sbom:a.json` gives
#      a.json again, byte for byte (the image's target too: the reader keeps
#      the original one); the CycloneDX and SPDX documents of the inventory
#      read back from memory (tests/tools/engine bomread: lading_bom_read)
#      are those of the scan itself (engine render), both with a fixed
#      timestamp and serial. Inputs, all real data:
#        - every Alpine minirootfs tarball of the corpus (images/alpine/);
#        - a dir: tree per rpm, dpkg and apk database of the corpus (pkgdb/,
#          the rpm ones as tests/cli/rpm_files.sh lays them out), some of
#          which give warnings (corrupt records);
#        - a dir: tree of real programs, binaries and language packages from
#          the corpus: the Alpine busybox (a binary-classifier package with a
#          CPE, as in tests/cli/binaries_unpackaged.sh), the Go binaries, jars,
#          lockfiles and Python site-packages of lang/;
#        - the Debian bookworm and bullseye fixtures as oci:, oci-archive: and
#          docker-archive: (scripts/build-fixtures.sh).
#      (The set-back inputs of part 2 are checked this way too.) Then every
#      key the writer emits must have held a value somewhere
#      (a package's cpe, an rpm modularity label, a warning's cataloger, each
#      kind of integrity finding, ...), so that none of them went untested.
#   2. Re-match. `lading scan --db DB X` and `lading scan --db DB sbom:a.json`
#      give the same findings and summary, and the lading.scan/v1 document of
#      X read back as an SBOM is X's --integrity SBOM: the Alpine tarballs and
#      the set-back trees of tests/cli/scan_alpine.sh (which have findings)
#      against the corpus's Alpine secdb; the Debian fixtures and set-back
#      images built as tests/cli/scan_debian.sh builds them against a tracker
#      database derived from the corpus's DSA/DLA lists.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq python3 cmp
ENGINE=${LADING_TOOLS:-$(dirname "$LADING")/tools}/engine
[ -x "$ENGINE" ] || t_fatal "$ENGINE is not built (make tools)"
t_corpus
CORPUS=$T_CORPUS
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DOCS=$T_TMP/docs # every a.json written, for the coverage check
mkdir -p "$DOCS"

n_inputs=0 n_docs=0 n_pkgs=0 n_files=0 n_ffind=0 n_warn=0

# roundtrip NAME TARGET: part 1 on TARGET, with and without --integrity.
roundtrip() {
	n_inputs=$((n_inputs + 1))
	for i in 0 1; do
		flag=
		[ $i = 1 ] && flag=--integrity
		a=$T_TMP/$1.$i
		# shellcheck disable=SC2086 # $flag is empty or one word
		t_run_lading "$a.json" sbom -q -f json $flag "$2" || continue
		t_run_lading "$a.back.json" sbom -q -f json "sbom:$a.json" || continue
		if ! cmp -s "$a.json" "$a.back.json"; then
			t_fail "$1 (integrity $i): sbom:a.json gives other bytes than a.json:"
			diff "$a.json" "$a.back.json" | head -20 | sed 's/^/    /'
		fi
		ENGINE_INTEGRITY=$i "$ENGINE" render "$2" "$a.e" >"$a.e.log" 2>&1 || t_fail "engine render $2: $(cat "$a.e.log")"
		"$ENGINE" bomread "$a.json" "$a.b" >"$a.b.log" 2>&1 || t_fail "engine bomread $a.json: $(cat "$a.b.log")"
		cmp -s "$a.e.json" "$a.json" || t_fail "$1 (integrity $i): the library's JSON differs from the CLI's"
		for x in json cdx.json spdx.json; do
			cmp -s "$a.e.$x" "$a.b.$x" || t_fail "$1 (integrity $i): $x of the BOM read back from memory differs"
		done
		cp "$a.json" "$DOCS/$1.$i.json"
		jq -r '[(.packages | length), ([.packages[].files | length] | add // 0), (.image.layers | length),
			(.file_integrity.findings // [] | length), (.warnings | length)] | @tsv' "$a.json" >"$a.counts"
		read -r np nf nl nff nw <"$a.counts"
		t_say "$1, integrity $i: $np packages, $nf files, $nl layers, $nff integrity findings, $nw warnings: identical"
		n_docs=$((n_docs + 1)) n_pkgs=$((n_pkgs + np)) n_files=$((n_files + nf)) n_ffind=$((n_ffind + nff))
		n_warn=$((n_warn + nw))
	done
}

# ---- 1. byte stability ------------------------------------------------------------

for tgz in "$CORPUS"/images/alpine/*.tar.gz; do
	roundtrip "$(basename "$tgz" .tar.gz)" "$tgz"
done

# package databases of the corpus, each in a tree of its own
tree() { # NAME DIR-IN-TREE FILE [NAME-IN-TREE]: $T_TMP/trees/NAME/DIR/NAME-IN-TREE is FILE
	mkdir -p "$T_TMP/trees/$1/$2"
	cp "$3" "$T_TMP/trees/$1/$2/${4:-$(basename "$3")}"
	chmod -R u+w "$T_TMP/trees/$1"
}
for db in "$CORPUS"/pkgdb/rpm/*/; do
	for f in "$db"*; do tree "rpm-$(basename "$db")" var/lib/rpm "$f"; done
done
# the OS each of two databases comes from (syft's os-release files of the corpus)
tree rpm-sle15-bci etc "$CORPUS/os-release/syft/os/sles/etc/os-release"
tree rpm-cbl-mariner-2.0 etc "$CORPUS/os-release/syft/os/mariner/etc/os-release"
for f in "$CORPUS"/pkgdb/dpkg/claircore/*.status "$CORPUS"/pkgdb/dpkg/debian-bookworm-minbase/status; do
	tree "dpkg-$(basename "$(dirname "$f")")-$(basename "$f" .status)" var/lib/dpkg "$f" status
done
for f in "$CORPUS"/pkgdb/apk/syft/*; do
	[ -f "$f" ] && tree "apk-$(basename "$f")" lib/apk/db "$f" installed
done
for d in "$T_TMP"/trees/*/; do
	roundtrip "$(basename "$d")" "dir:$d"
done
# the corpus's own trees (syft's fixtures), read where they are
for d in "$CORPUS"/pkgdb/dpkg/syft "$CORPUS"/pkgdb/dpkg/syft/image-dpkg "$CORPUS"/pkgdb/apk/syft/*/; do
	[ -d "$d/var" ] || [ -d "$d/lib" ] || continue
	roundtrip "corpus-$(basename "$d")" "dir:$d"
done

# programs, binaries and language packages
mixed=$T_TMP/mixed
mkdir -p "$mixed/usr/local/bin" "$mixed/app"
tar -xzf "$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz" -C "$T_TMP" ./bin/busybox ||
	t_fatal "busybox not in the Alpine minirootfs"
cp "$T_TMP/bin/busybox" "$mixed/usr/local/bin/busybox"
cp -r "$CORPUS/lang/go-dep-parser/." "$mixed/app/"
cp -r "$CORPUS/lang/python-syft" "$mixed/app/python"
# npm's files under the names npm gives them
D=$CORPUS/lang/go-dep-parser
mkdir -p "$mixed/srv/npm" "$mixed/srv/yarn" "$mixed/srv/npm/node_modules/pkg"
cp "$D/nodejs-npm/package-lock_normal.json" "$mixed/srv/npm/package-lock.json"
cp "$D/nodejs-yarn/yarn_normal.lock" "$mixed/srv/yarn/yarn.lock"
cp "$D/nodejs-packagejson/package.json" "$mixed/srv/npm/node_modules/pkg/package.json"
chmod -R u+w "$mixed"
find "$mixed" -type f -exec chmod 755 {} +
roundtrip mixed "dir:$mixed"

# the Debian fixtures in all their forms
rc=0
sh "$REPO/scripts/build-fixtures.sh" >"$T_TMP/fixtures.log" 2>&1 || rc=$?
FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}
if [ "$rc" = 0 ]; then
	for rel in bookworm bullseye; do
		roundtrip "$rel-oci" "oci:$FIX/$rel/oci:$rel"
		roundtrip "$rel-oci-archive" "oci-archive:$FIX/$rel/oci-archive.tar"
		roundtrip "$rel-docker-archive" "docker-archive:$FIX/$rel/docker-archive.tar"
	done
else
	t_say "SKIP the Debian fixtures: scripts/build-fixtures.sh: $(tail -1 "$T_TMP/fixtures.log")"
fi

# ---- 2. re-match ----------------------------------------------------------------------

n_scans=0 n_findings=0
# rematch NAME TARGET DB: the scan of TARGET and of its SBOM (from part 1)
rematch() {
	s=$T_TMP/$1.scan
	t_run_lading "$s.json" scan -q --db "$3" -f json "$2" || return 0
	t_run_lading "$s.back.json" scan -q --db "$3" -f json "sbom:$T_TMP/$1.0.json" || return 0
	jq -S '.findings, .summary' "$s.json" >"$s.want"
	jq -S '.findings, .summary' "$s.back.json" >"$s.got"
	if ! cmp -s "$s.want" "$s.got"; then
		t_fail "$1: the findings of sbom:a.json differ from those of the image:"
		diff "$s.want" "$s.got" | head -20 | sed 's/^/    /'
	fi
	# the scan document is an SBOM too: its inventory is the --integrity one
	t_run_lading "$s.sbom.json" sbom -q -f json "sbom:$s.json" || return 0
	cmp -s "$s.sbom.json" "$T_TMP/$1.1.json" || t_fail "$1: the scan document read back is not the --integrity SBOM"
	f=$(jq '.findings | length' "$s.json")
	t_say "$1: $f findings ($(jq -r '.os_namespace // "no namespace"' "$s.json")), the same from sbom:a.json"
	n_scans=$((n_scans + 1)) n_findings=$((n_findings + f))
}

# Alpine: the corpus secdb of the releases the images are (3.9 to 3.11; the
# later images have no data there, which the summary says), in one database
if python3 -c 'import yaml' 2>/dev/null; then
	adb=$T_TMP/alpine.db
	"$LADING" db import -q --db "$adb" "$CORPUS"/vulndata/alpine-secdb/v3.9/*.yaml \
		"$CORPUS"/vulndata/alpine-secdb/v3.10/*.yaml "$CORPUS"/vulndata/alpine-secdb/v3.11/*.yaml ||
		t_fatal "secdb import failed"
	for tgz in "$CORPUS"/images/alpine/*.tar.gz; do
		rematch "$(basename "$tgz" .tar.gz)" "$tgz" "$adb"
	done
	for v in 3.9.6 3.10.9 3.11.13; do
		root=$T_TMP/setback-$v
		t_alpine_setback $v "$root" "$T_TMP/setback.tsv" || t_fatal "alpine $v: the set-back tree could not be made"
		roundtrip "alpine-$v-setback" "dir:$root"
		rematch "alpine-$v-setback" "dir:$root" "$adb"
	done
else
	t_say "SKIP the Alpine re-match: python3's yaml module is missing (Debian python3-yaml)"
fi

# Debian: a tracker database from the corpus's DSA/DLA lists
PY=/usr/bin/python3
if [ "$rc" = 0 ] && command -v umoci >/dev/null && $PY -c 'import apt_pkg' 2>/dev/null; then
	$PY "$REPO/tests/fixtures-gen/debian_tracker_from_dsa.py" "$T_TMP/tracker.json" \
		"$CORPUS/vulndata/debian/DSA-list" "$CORPUS/vulndata/debian/DLA-list" || t_fatal "feed generation failed"
	ddb=$T_TMP/debian.db
	"$LADING" db import -q --db "$ddb" --type debian-tracker "$T_TMP/tracker.json" || t_fatal "tracker import failed"
	for rel in bookworm bullseye; do
		rematch "$rel-oci" "oci:$FIX/$rel/oci:$rel" "$ddb"
		rematch "$rel-oci-archive" "oci-archive:$FIX/$rel/oci-archive.tar" "$ddb"
		rematch "$rel-docker-archive" "docker-archive:$FIX/$rel/docker-archive.tar" "$ddb"
		# the image plus a layer setting the versions back (scan_debian.sh's)
		mkdir -p "$T_TMP/setback-$rel"
		t_debian_setback "$FIX/$rel" $rel "$T_TMP/tracker.json" "$T_TMP/setback-$rel" ||
			t_fatal "$rel: the set-back image could not be built"
		roundtrip "$rel-setback" "oci:$T_TMP/setback-$rel/oci:$rel"
		rematch "$rel-setback" "oci:$T_TMP/setback-$rel/oci:$rel" "$ddb"
	done
else
	t_say "SKIP the Debian re-match: needs the fixtures, umoci and python3-apt"
fi
# Every key must have held a value in some document (keys are listed by the
# writer's own output, so a key added later is covered by this check too).
# image.variant is the one exception: no amd64 image has a variant.
jq -s -r '
	def keys_set(f): [.[] | f | to_entries[] | select(.value != null and .value != false and .value != [])
		| .key] | unique;
	def all_keys(f): [.[] | f | keys[]] | unique;
	(all_keys(.image) - keys_set(.image) - ["variant"] | map("image." + .)),
	(all_keys(.image.layers[]) - keys_set(.image.layers[]) | map("layers[]." + .)),
	(all_keys(.os // empty) - keys_set(.os // empty) | map("os." + .)),
	(all_keys(.packages[]) - keys_set(.packages[]) | map("packages[]." + .)),
	(all_keys(.packages[].files[]) - keys_set(.packages[].files[]) | map("files[]." + .)),
	(all_keys(.file_integrity // empty | .findings[]) - keys_set(.file_integrity // empty | .findings[])
		| map("file_integrity.findings[]." + .)),
	(all_keys(.warning_details[]) - keys_set(.warning_details[]) | map("warning_details[]." + .)),
	(["modified", "modified_config", "missing", "unpackaged"] -
		[.[] | .file_integrity // empty | .findings[].kind] | unique | map("no finding of kind " + .)),
	(["deb", "apk", "rpm", "generic", "golang", "maven", "pypi", "npm"] - [.[] | .packages[].type] | unique
		| map("no package of type " + .))
	| .[]' "$DOCS"/*.json >"$T_TMP/unset"
if [ -s "$T_TMP/unset" ]; then
	t_fail "never held a value in $n_docs documents (so never read back): $(tr '\n' ' ' <"$T_TMP/unset")"
fi
t_say "byte stability: $n_inputs inputs, $n_docs documents: $n_pkgs packages, $n_files owned files, $n_ffind integrity findings, $n_warn warnings, all read back identical"
[ "$n_findings" -gt 100 ] || t_fail "only $n_findings findings in all: the re-match compared too little"
t_say "re-match: $n_scans scans, $n_findings findings, the same from each SBOM read back"
t_done
