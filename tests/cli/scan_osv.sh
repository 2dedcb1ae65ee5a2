#!/bin/sh
# OSV matching of Go, PyPI and crates.io packages against an independent
# evaluation of the real feeds (corpus vulndata/osv-go, osv-pypi, osv-rust).
# tests/cli/osv_expected.py chooses (package, version) pairs with a fixed seed
# (versions just below, at and above the advisories' events, entries of their
# versions[] lists, real versions of packages in several advisories, the Go
# standard library as go1.x tags), writes them as one CycloneDX 1.6 SBOM, and
# computes the findings from the raw feed files with the OSV schema's
# evaluation and the ecosystems' reference comparators (PyPI: packaging; Go:
# x/mod/semver's rules; crates.io: SemVer 2.0). lading scans the SBOM against
# a database of the three feeds; the rows "package, installed, id, fixed" must
# be the same. On a difference the oracle explains each differing row with
# the verdict of every affected[] entry involved.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq
# packaging and yaml: Debian's python3-packaging / python3-yaml; a pyenv
# python3 first on PATH may lack them
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import packaging.version, yaml' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || t_skip "no python3 with packaging and yaml (Debian packages python3-packaging python3-yaml)"
t_corpus
VD=$T_CORPUS/vulndata
for d in osv-go osv-pypi osv-rust; do
	[ -d "$VD/$d" ] || t_skip "$VD/$d is missing"
done
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)

"$PY" "$HERE/osv_expected.py" --corpus "$T_CORPUS" --sbom "$T_TMP/bom.json" \
	--expected "$T_TMP/want.tsv" --stats "$T_TMP/stats" || t_fatal "osv_expected.py failed"
grep -v '^excluded: ' "$T_TMP/stats" | sed "s/^/$T_NAME: oracle: /"
nx=$(grep -c '^excluded: ' "$T_TMP/stats" || true)
t_say "oracle: $nx pair(s) left out (malformed OSV data, listed below)"
grep '^excluded: ' "$T_TMP/stats" | sed 's/^/    /' | head -20

"$LADING" db import -q --db "$T_TMP/osv.db" "$VD/osv-go" "$VD/osv-pypi" "$VD/osv-rust" ||
	t_fatal "db import of the OSV feeds failed"
t_run_lading "$T_TMP/scan.json" scan -q --db "$T_TMP/osv.db" -f json "sbom:$T_TMP/bom.json" ||
	t_fatal "the scan failed"
t_valid_json "$T_TMP/scan.json" "scan" || t_fatal "no JSON to compare"

# every component was read: a purl lading skipped would hide its findings
ncomp=$(jq '.components | length' "$T_TMP/bom.json")
npkg=$(jq '.packages | length' "$T_TMP/scan.json")
[ "$ncomp" = "$npkg" ] || t_fail "the SBOM has $ncomp components, lading read $npkg packages"
[ "$ncomp" -gt 900 ] || t_fail "only $ncomp pairs chosen; expected several hundred per ecosystem"

jq -r '.findings[] | [.package_name, .installed, .vuln_id, (.fixed // "-")] | @tsv' "$T_TMP/scan.json" |
	LC_ALL=C sort >"$T_TMP/got"
LC_ALL=C sort "$T_TMP/want.tsv" >"$T_TMP/want"
[ "$(wc -l <"$T_TMP/want")" -gt 1000 ] || t_fail "the oracle expects only $(wc -l <"$T_TMP/want") findings"
t_say "lading: $npkg packages, $(wc -l <"$T_TMP/got") findings; oracle: $(wc -l <"$T_TMP/want") findings"
if ! t_compare "$T_TMP/want" "$T_TMP/got" "OSV findings (package, installed, id, fixed)" "the oracle"; then
	t_say "the differing rows, explained from the feeds (and the rows that agree, per ecosystem):"
	"$PY" "$HERE/osv_expected.py" --corpus "$T_CORPUS" --sbom "$T_TMP/bom.json" \
		--expected "$T_TMP/want" --got "$T_TMP/got" | sed 's/^/    /'
fi
t_done
