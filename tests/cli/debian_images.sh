#!/bin/sh
# End-to-end check of `lading sbom` on real three-layer Debian images built by
# scripts/build-fixtures.sh (debootstrap + apt-get + dpkg --purge, packed with
# umoci, copied with skopeo). For every image, in every form (OCI layout,
# oci-archive, docker-archive, each named with its prefix and as a bare path
# that lading must recognise), the CycloneDX and the JSON output must list
# exactly the packages that the real dpkg-query lists in the final root file
# system (name, version, arch, source name, source version), and attribute
# each to the layer that installed it, with that layer's diff_id from the
# image config.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq
t_tmpdir

FIX=${LADING_FIXTURES:-$(pwd)/.cache/fixtures}
SUITES=${LADING_FIXTURE_SUITES:-"bookworm bullseye"}

# Builds on the first run (minutes), instant when cached.
rc=0
LADING_FIXTURES=$FIX LADING_FIXTURE_SUITES=$SUITES sh scripts/build-fixtures.sh || rc=$?
case $rc in
0) ;;
77) t_skip "the Debian image fixtures could not be built here (see the build-fixtures message above)" ;;
*) t_fatal "scripts/build-fixtures.sh failed with exit $rc" ;;
esac

# Rows as expected.tsv has them: name, version, source name, source version, arch.
# Arch is taken from the purl's arch= qualifier, else the lading:package:arch
# property; both, when present, must agree (checked separately below).
# shellcheck disable=SC2016 # jq variables, not shell ones
JQ_CDX_DEFS='
def prop($n): first(.properties[]? | select(.name == $n) | .value) // "";
def purlarch: first((.purl // "") | capture("[?&]arch=(?<a>[^&#]*)") | .a) // "";
def comps: .components[]? | (., comps);
[comps | select(.type == "library")]'
JQ_CDX_ROWS="$JQ_CDX_DEFS"'[] | [.name, .version, prop("lading:package:source_name"),
	prop("lading:package:source_version"),
	(purlarch | if . == "" then null else . end) // prop("lading:package:arch")] | @tsv'
JQ_CDX_LAYERS="$JQ_CDX_DEFS"'[] | [.name, prop("lading:layer:index")] | @tsv'
JQ_CDX_DIFFIDS="$JQ_CDX_DEFS"'[] | [.name, prop("lading:layer:diff_id")] | @tsv'
JQ_CDX_ARCHES="$JQ_CDX_DEFS"'[] | select(purlarch != "" and prop("lading:package:arch") != "")
	| select(purlarch != prop("lading:package:arch"))
	| "\(.name): purl arch=\(purlarch), property lading:package:arch=\(prop("lading:package:arch"))"'

JQ_JSON_ROWS='.packages[]? | [.name, .version, (.source_name // ""), (.source_version // ""),
	(.arch // "")] | map(tostring) | @tsv'
JQ_JSON_LAYERS='.packages[]? | [.name, (.layer.index // "" | tostring)] | @tsv'
JQ_JSON_DIFFIDS='.packages[]? | [.name, (.layer.diff_id // "")] | @tsv'

# name<TAB>diff_id expected for each package: the diff_id of its layer, read
# from the image config of the OCI layout (skopeo keeps diff_ids as they are).
expected_diffids() {
	layout=$1 tag=$2 layers=$3
	mdig=$(jq -r --arg t "$tag" \
		'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
		"$layout/index.json")
	cdig=$(jq -r '.config.digest' "$layout/blobs/sha256/${mdig#sha256:}")
	jq -r '.rootfs.diff_ids | to_entries[] | "\(.key)\t\(.value)"' \
		"$layout/blobs/sha256/${cdig#sha256:}" >"$T_TMP/diffids"
	awk -F'\t' 'NR == FNR { d[$1] = $2; next } { print $1 "\t" d[$2] }' \
		"$T_TMP/diffids" "$layers" | LC_ALL=C sort
}

checked=0
for suite in $SUITES; do
	d="$FIX/$suite"
	[ -f "$d/expected.tsv" ] || t_fatal "$d/expected.tsv missing after build-fixtures.sh"
	expected_diffids "$d/oci" "$suite" "$d/expected-layers.tsv" >"$T_TMP/$suite.diffids"
	t_say "$suite: $(wc -l <"$d/expected.tsv") packages expected" \
		"(per layer: $(cut -f2 "$d/expected-layers.tsv" | sort | uniq -c | awk '{printf "%s%s=%s", s, $2, $1; s=" "}'))"

	for target in "oci:$d/oci:$suite" "oci-archive:$d/oci-archive.tar:$suite" \
		"docker-archive:$d/docker-archive.tar" \
		"$d/oci" "$d/oci-archive.tar" "$d/docker-archive.tar"; do
		t_say "$suite: $target"
		o="$T_TMP/out"

		if t_run_lading "$o.cdx" sbom -f cyclonedx "$target" && t_valid_json "$o.cdx" "cyclonedx $target"; then
			jq -r "$JQ_CDX_ROWS" "$o.cdx" | LC_ALL=C sort >"$o.rows"
			t_compare "$d/expected.tsv" "$o.rows" "cyclonedx packages of $target" || true
			jq -r "$JQ_CDX_LAYERS" "$o.cdx" | LC_ALL=C sort >"$o.layers"
			t_compare "$d/expected-layers.tsv" "$o.layers" "cyclonedx lading:layer:index of $target" || true
			jq -r "$JQ_CDX_DIFFIDS" "$o.cdx" | LC_ALL=C sort >"$o.diffids"
			t_compare "$T_TMP/$suite.diffids" "$o.diffids" "cyclonedx lading:layer:diff_id of $target" \
				"the image config's diff_ids" || true
			jq -r "$JQ_CDX_ARCHES" "$o.cdx" >"$o.arches"
			if [ -s "$o.arches" ]; then
				t_fail "cyclonedx $target: purl arch and lading:package:arch disagree:"
				head -20 "$o.arches" | sed 's/^/    /'
			fi
		fi

		if t_run_lading "$o.json" sbom -f json "$target" && t_valid_json "$o.json" "json $target"; then
			jq -r "$JQ_JSON_ROWS" "$o.json" | LC_ALL=C sort >"$o.rows"
			t_compare "$d/expected.tsv" "$o.rows" "json packages of $target" || true
			jq -r "$JQ_JSON_LAYERS" "$o.json" | LC_ALL=C sort >"$o.layers"
			t_compare "$d/expected-layers.tsv" "$o.layers" "json layer.index of $target" || true
			jq -r "$JQ_JSON_DIFFIDS" "$o.json" | LC_ALL=C sort >"$o.diffids"
			t_compare "$T_TMP/$suite.diffids" "$o.diffids" "json layer.diff_id of $target" \
				"the image config's diff_ids" || true
		fi
		checked=$((checked + 1))
	done
done
[ "$checked" -gt 0 ] || t_fatal "no image was checked (LADING_FIXTURE_SUITES empty?)"
t_done
