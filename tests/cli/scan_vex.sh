#!/bin/sh
# lading scan --vex on real findings: the corpus's Alpine 3.10.9 minirootfs
# with the packages whose origin has secfixes set back to the lowest fixed
# version the corpus's secdb lists (tests/cli/alpine_expected.py --downgrade,
# as scan_alpine.sh does), made an OCI image with umoci, scanned against a
# database imported from that secdb. The findings are checked against the
# independent computation first (alpine_expected.py).
#
# The two OpenVEX documents are HAND-WRITTEN here: they name real findings of
# that image (real CVE ids, package purls, versions, and the image's own
# purl, digest and name as lading reports them). The checks are exact:
# exactly the findings a not_affected statement (or a fixed one naming the
# installed version) covers are suppressed, with their justification, in the
# JSON, CycloneDX and SARIF outputs; affected, under_investigation and an
# unversioned fixed only annotate; the latest statement wins whatever the
# order of the files; a statement about another image does not apply.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq python3 umoci tar
python3 -c 'import yaml' 2>/dev/null || t_skip "python3 yaml module missing (Debian python3-yaml)"
t_corpus
CORPUS=$T_CORPUS
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)

v=3.10.9
tgz=$CORPUS/images/alpine/alpine-minirootfs-$v-x86_64.tar.gz
sec=$CORPUS/vulndata/alpine-secdb/v3.10
[ -f "$tgz" ] && [ -d "$sec" ] || t_skip "corpus lacks $tgz or $sec"
db=$T_TMP/v.db
"$LADING" db import -q --db "$db" "$sec/main.yaml" "$sec/community.yaml" || t_fatal "db import of $sec failed"

root=$T_TMP/root
mkdir -p "$root"
tar -C "$root" -xzf "$tgz"
python3 "$HERE/alpine_expected.py" --downgrade "$root/lib/apk/db/installed" "${tgz%.tar.gz}.apk-full.tsv" \
	"$T_TMP/installed" "$T_TMP/old.tsv" "$sec/main.yaml" "$sec/community.yaml"
cp "$T_TMP/installed" "$root/lib/apk/db/installed"
tar -C "$root" -cf "$T_TMP/layer.tar" .
(cd "$T_TMP" && umoci init --layout oci >/dev/null && umoci new --image oci:alpine-vex >/dev/null &&
	umoci raw add-layer --image oci:alpine-vex layer.tar) || t_fatal "umoci could not build the image"
IMG=oci:$T_TMP/oci:alpine-vex

rows() { jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' "$1" | LC_ALL=C sort; }
t_run_lading "$T_TMP/plain.json" scan -q --db "$db" -f json "$IMG" || t_done
rows "$T_TMP/plain.json" >"$T_TMP/plain.got"
python3 "$HERE/alpine_expected.py" "$T_TMP/old.tsv" "$sec/main.yaml" "$sec/community.yaml" | LC_ALL=C sort >"$T_TMP/want"
t_compare "$T_TMP/want" "$T_TMP/plain.got" "findings without VEX" || t_done
[ "$(wc -l <"$T_TMP/want")" -eq 14 ] || t_fail "expected 14 findings of the set-back $v, got $(wc -l <"$T_TMP/want")"

# The image as lading names it: what a VEX author copies from the SBOM.
DIGEST=$(jq -r .image.manifest_digest "$T_TMP/plain.json")
"$LADING" sbom -q -f cyclonedx "$IMG" >"$T_TMP/sbom.cdx.json" || t_fatal "lading sbom failed"
IPURL=$(jq -r .metadata.component.purl "$T_TMP/sbom.cdx.json")
case $IPURL in pkg:oci/alpine-vex@sha256%3A*) ;; *) t_fatal "unexpected image purl $IPURL" ;; esac
OTHER=pkg:oci/alpine@sha256%3A0000000000000000000000000000000000000000000000000000000000000000

cat >"$T_TMP/a.vex.json" <<EOF
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://lading.test/vex/cli-a",
  "author": "lading tests (hand-written)",
  "timestamp": "2024-03-01T12:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2019-14697"},
     "products": [{"@id": "$IPURL", "subcomponents": [{"@id": "pkg:apk/alpine/musl"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
     "impact_statement": "no x87 floating point code runs in this image"},
    {"vulnerability": {"name": "CVE-2019-5747"},
     "products": [{"@id": "pkg:apk/alpine/busybox@1.27.2-r4"}, {"@id": "pkg:apk/alpine/ssl_client"}],
     "status": "fixed"},
    {"vulnerability": {"name": "CVE-2019-1543"},
     "products": [{"@id": "$DIGEST"}],
     "status": "affected", "action_statement": "upgrade openssl to 1.1.1b-r1"},
    {"vulnerability": {"name": "CVE-2019-1563"},
     "products": [{"@id": "alpine-vex"}],
     "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-2018-20679"},
     "products": [{"@id": "$OTHER"}],
     "status": "not_affected", "justification": "component_not_present"},
    {"vulnerability": {"name": "CVE-2019-1549"}, "timestamp": "2024-01-10T00:00:00Z",
     "products": [{"@id": "$IPURL", "subcomponents": [
       {"@id": "pkg:apk/alpine/libssl1.1"}, {"identifiers": {"purl": "pkg:apk/alpine/libcrypto1.1?arch=x86_64"}}]}],
     "status": "not_affected", "justification": "inline_mitigations_already_exist"},
    {"vulnerability": {"name": "CVE-2019-1547"}, "timestamp": "2024-01-10T00:00:00Z",
     "products": [{"@id": "$IPURL"}],
     "status": "under_investigation"}
  ]
}
EOF
cat >"$T_TMP/b.vex.json" <<EOF
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://lading.test/vex/cli-b",
  "author": "lading tests (hand-written)",
  "timestamp": "2024-02-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2019-1549"}, "timestamp": "2024-01-20T00:00:00+01:00",
     "products": [{"@id": "$IPURL", "subcomponents": [
       {"@id": "pkg:apk/alpine/libssl1.1"}, {"@id": "pkg:apk/alpine/libcrypto1.1"}]}],
     "status": "affected", "action_statement": "the mitigation turned out not to cover it"},
    {"vulnerability": {"name": "CVE-2019-1547", "aliases": ["DSA-4539-1"]},
     "products": [{"@id": "$IPURL", "subcomponents": [{"@id": "pkg:apk/alpine/libssl1.1@1.1.1a-r0"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_present"}
  ]
}
EOF

# package, id, VEX status, justification: what is suppressed, what annotated
cat >"$T_TMP/suppressed.want" <<'EOF'
busybox	CVE-2019-5747	fixed	-
libssl1.1	CVE-2019-1547	not_affected	vulnerable_code_not_present
musl	CVE-2019-14697	not_affected	vulnerable_code_not_in_execute_path
EOF
cat >"$T_TMP/annotated.want" <<'EOF'
busybox	CVE-2018-20679	-	-
libcrypto1.1	CVE-2019-1543	affected	-
libcrypto1.1	CVE-2019-1547	under_investigation	-
libcrypto1.1	CVE-2019-1549	affected	-
libcrypto1.1	CVE-2019-1563	under_investigation	-
libssl1.1	CVE-2019-1543	affected	-
libssl1.1	CVE-2019-1549	affected	-
libssl1.1	CVE-2019-1563	under_investigation	-
musl-utils	CVE-2019-14697	-	-
ssl_client	CVE-2018-20679	-	-
ssl_client	CVE-2019-5747	fixed	-
EOF
vexrows() { # JSON KEY
	jq -r --arg k "$2" '.[$k][] | [.package_name, .vuln_id, (.vex.status // "-"), (.vex.justification // "-")] | @tsv' "$1" |
		LC_ALL=C sort
}

for order in ab ba; do
	if [ $order = ab ]; then set -- --vex "$T_TMP/a.vex.json" --vex "$T_TMP/b.vex.json"; else
		set -- --vex "$T_TMP/b.vex.json" --vex "$T_TMP/a.vex.json"; fi
	t_run_lading "$T_TMP/vex.json" scan -q --db "$db" -f json "$@" "$IMG" || continue
	vexrows "$T_TMP/vex.json" vex_suppressed >"$T_TMP/suppressed.got"
	t_compare "$T_TMP/suppressed.want" "$T_TMP/suppressed.got" "VEX-suppressed findings ($order)" || true
	vexrows "$T_TMP/vex.json" findings >"$T_TMP/annotated.got"
	t_compare "$T_TMP/annotated.want" "$T_TMP/annotated.got" "findings and their VEX annotations ($order)" || true
	# the kept findings are the expected ones less the suppressed, unchanged otherwise
	rows "$T_TMP/vex.json" >"$T_TMP/kept.got"
	cut -f1,2 "$T_TMP/suppressed.want" | sed 's/$/	/' >"$T_TMP/drop"
	grep -v -F -f "$T_TMP/drop" "$T_TMP/want" >"$T_TMP/kept.want"
	t_compare "$T_TMP/kept.want" "$T_TMP/kept.got" "findings left by VEX ($order)" || true
	[ "$(jq -c '[.summary.suppressed, .summary.vex_suppressed, .summary.total]' "$T_TMP/vex.json")" = "[3,3,11]" ] ||
		t_fail "summary: $(jq -c .summary "$T_TMP/vex.json")"
done
jq -e '.vex_suppressed[] | select(.package_name == "musl") | .vex |
	.impact_statement == "no x87 floating point code runs in this image" and
	.document == "https://lading.test/vex/cli-a" and .timestamp == "2024-03-01T12:00:00Z"' "$T_TMP/vex.json" >/dev/null ||
	t_fail "musl's statement lost its impact statement, document or (inherited) timestamp"
jq -e '.findings[] | select(.package_name == "libssl1.1" and .vuln_id == "CVE-2019-1549") | .vex |
	.action_statement == "the mitigation turned out not to cover it" and .timestamp == "2024-01-20T00:00:00+01:00"' \
	"$T_TMP/vex.json" >/dev/null || t_fail "the latest CVE-2019-1549 statement did not win"

# CycloneDX: every finding, the three removed with their analysis and unaffected
t_run_lading "$T_TMP/vex.cdx.json" scan -q --db "$db" -f cyclonedx --vex "$T_TMP/a.vex.json" \
	--vex "$T_TMP/b.vex.json" "$IMG" || t_done
# package (the component its bom-ref names), id, analysis state, justification
jq -r '(.components | map({key: .["bom-ref"], value: .name}) | from_entries) as $name |
	.vulnerabilities[] | select(.affects[0].versions[0].status == "unaffected") |
	[$name[.affects[0].ref], .id, .analysis.state, (.analysis.justification // "-")] | @tsv' \
	"$T_TMP/vex.cdx.json" | LC_ALL=C sort >"$T_TMP/cdx.got"
cat >"$T_TMP/cdx.want" <<'EOF'
busybox	CVE-2019-5747	resolved	-
libssl1.1	CVE-2019-1547	not_affected	code_not_present
musl	CVE-2019-14697	not_affected	code_not_reachable
EOF
t_compare "$T_TMP/cdx.want" "$T_TMP/cdx.got" "CycloneDX vulnerabilities VEX removed" || true
[ "$(jq '.vulnerabilities | length' "$T_TMP/vex.cdx.json")" = 14 ] || t_fail "CycloneDX should list all 14 findings"
n=$(jq '[.vulnerabilities[] | select(.analysis.state == "in_triage")] | length' "$T_TMP/vex.cdx.json")
[ "$n" = 3 ] || t_fail "CycloneDX: $n in_triage analyses, expected 3 (under_investigation)"
n=$(jq '[.vulnerabilities[] | select(.analysis.state == "exploitable" and .analysis.response == ["update"])] | length' \
	"$T_TMP/vex.cdx.json")
[ "$n" = 4 ] || t_fail "CycloneDX: $n exploitable analyses with response update, expected 4 (affected)"

# SARIF: the three as accepted external suppressions
t_run_lading "$T_TMP/vex.sarif" scan -q --db "$db" -f sarif --vex "$T_TMP/a.vex.json" --vex "$T_TMP/b.vex.json" "$IMG" ||
	t_done
jq -r '.runs[0].results[] | select(.suppressions) |
	[.properties.packageName, .ruleId, .suppressions[0].kind, .suppressions[0].status] | @tsv' "$T_TMP/vex.sarif" |
	LC_ALL=C sort >"$T_TMP/sarif.got"
printf '%s\n' "busybox	CVE-2019-5747	external	accepted" "libssl1.1	CVE-2019-1547	external	accepted" \
	"musl	CVE-2019-14697	external	accepted" >"$T_TMP/sarif.want"
t_compare "$T_TMP/sarif.want" "$T_TMP/sarif.got" "SARIF suppressed results" || true

# the table says how many VEX removed; --exit-code counts what is left
"$LADING" scan -q --db "$db" -f table --vex "$T_TMP/a.vex.json" --vex "$T_TMP/b.vex.json" "$IMG" >"$T_TMP/table" || true
grep -q '^3 findings suppressed by filters (3 by VEX statements)$' "$T_TMP/table" ||
	t_fail "the table does not count the VEX suppressions: $(grep suppressed "$T_TMP/table")"
rc=0
"$LADING" scan -q --db "$db" --vex "$T_TMP/a.vex.json" --exit-code 7 "$IMG" >/dev/null || rc=$?
[ "$rc" = 7 ] || t_fail "--exit-code 7 with findings left gave $rc"

# bad documents: exit 3, the file named, none of its bytes echoed
printf '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [], "statements": ["SECRET-BYTES"]}' \
	>"$T_TMP/dup.vex.json"
rc=0
"$LADING" scan -q --db "$db" --vex "$T_TMP/dup.vex.json" "$IMG" >/dev/null 2>"$T_TMP/err" || rc=$?
[ "$rc" = 3 ] && grep -q "dup.vex.json: a duplicate key" "$T_TMP/err" && ! grep -q SECRET "$T_TMP/err" ||
	t_fail "a VEX document with a duplicate key: exit $rc, $(cat "$T_TMP/err")"
rc=0
"$LADING" scan -q --db "$db" --vex "$T_TMP/absent.vex.json" "$IMG" >/dev/null 2>"$T_TMP/err" || rc=$?
[ "$rc" = 3 ] && grep -q "absent.vex.json: cannot open the VEX document" "$T_TMP/err" ||
	t_fail "a missing VEX document: exit $rc, $(cat "$T_TMP/err")"
rc=0
"$LADING" scan -q --db "$db" --max-file-size 100 --vex "$T_TMP/a.vex.json" "$IMG" >/dev/null 2>"$T_TMP/err" || rc=$?
[ "$rc" = 3 ] && grep -q "a.vex.json: the VEX document is larger than the largest file read" "$T_TMP/err" ||
	t_fail "an oversized VEX document: exit $rc, $(cat "$T_TMP/err")"
t_say "$(wc -l <"$T_TMP/want") findings, $(wc -l <"$T_TMP/suppressed.want") suppressed by VEX, $(grep -vc '	-	-$' "$T_TMP/annotated.want") annotated"
t_done
