#!/bin/sh
# Binary classifiers end to end. A dir: tree holds a real busybox (the Alpine
# 3.20.3 minirootfs's /bin/busybox from the corpus) dropped into
# /usr/local/bin, where no package database lists it, and the same bytes as
# a non-executable copy under another name (not a classifier's file name: it
# must not be classified as busybox).
#  * `lading sbom -f json` reports busybox, type "generic", at the version the
#    binary's own "BusyBox vX.Y.Z" string says (read here with grep), with
#    purl pkg:generic/busybox@X.Y.Z, the NVD CPE and found_by binary:busybox.
#  * `lading scan` with a small hand-written NVD API 2.0 file (made up here,
#    not NVD's data: CVE-2099-0001 covers busybox < X.Y.(Z+1), CVE-2099-0002
#    names exactly version 0.1.0, CVE-2099-0003 covers busybox only below
#    1.0) reports CVE-2099-0001 for /usr/local/bin/busybox and neither of the
#    others.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq
t_corpus
t_tmpdir

root=$T_TMP/root
mkdir -p "$root/usr/local/bin" "$root/srv"
tar xzf "$T_CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz" -C "$T_TMP" ./bin/busybox ||
	t_fatal "busybox not in the Alpine minirootfs"
cp "$T_TMP/bin/busybox" "$root/usr/local/bin/busybox"
chmod 755 "$root/usr/local/bin/busybox"
cp "$T_TMP/bin/busybox" "$root/srv/blob.so"
ver=$(grep -a -o 'BusyBox v[0-9]*\.[0-9]*\.[0-9]*' "$T_TMP/bin/busybox" | head -1 | sed 's/BusyBox v//')
[ -n "$ver" ] || t_fatal "no BusyBox version string in the binary"
t_say "busybox says it is $ver"

t_run_lading "$T_TMP/sbom.json" sbom -q -f json "dir:$root"
got=$(jq -r '.packages[] | select(.type == "generic") | [.db_path, .name, .version, .purl, .cpe, .found_by] | @tsv' \
	"$T_TMP/sbom.json")
want=$(printf '/usr/local/bin/busybox\tbusybox\t%s\tpkg:generic/busybox@%s\tcpe:2.3:a:busybox:busybox:%s:*:*:*:*:*:*:*\tbinary:busybox' \
	"$ver" "$ver" "$ver")
[ "$got" = "$want" ] || t_fail "classified packages: got '$got', want '$want'"

# the made-up NVD API 2.0 file
major=${ver%%.*}
rest=${ver#*.}
minor=${rest%%.*}
patch=${rest#*.}
next="$major.$minor.$((patch + 1))"
cat >"$T_TMP/nvd.json" <<JSON
{"resultsPerPage": 3, "startIndex": 0, "totalResults": 3, "format": "NVD_CVE", "version": "2.0",
 "timestamp": "2026-11-22T00:00:00.000",
 "vulnerabilities": [
  {"cve": {"id": "CVE-2099-0001", "published": "2099-01-01T00:00:00.000", "lastModified": "2099-01-01T00:00:00.000",
   "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "made-up: busybox before $next"}],
   "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1",
     "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "CRITICAL"}}]},
   "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
     {"vulnerable": true, "criteria": "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", "versionEndExcluding": "$next",
      "matchCriteriaId": "00000000-0000-0000-0000-000000000001"}]}]}]}},
  {"cve": {"id": "CVE-2099-0002", "published": "2099-01-01T00:00:00.000", "lastModified": "2099-01-01T00:00:00.000",
   "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "made-up: busybox 0.1.0 only"}],
   "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
     {"vulnerable": true, "criteria": "cpe:2.3:a:busybox:busybox:0.1.0:*:*:*:*:*:*:*",
      "matchCriteriaId": "00000000-0000-0000-0000-000000000002"}]}]}]}},
  {"cve": {"id": "CVE-2099-0003", "published": "2099-01-01T00:00:00.000", "lastModified": "2099-01-01T00:00:00.000",
   "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "made-up: busybox before 1.0"}],
   "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
     {"vulnerable": true, "criteria": "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", "versionEndExcluding": "1.0",
      "matchCriteriaId": "00000000-0000-0000-0000-000000000003"}]}]}]}}
 ]}
JSON
t_run_lading "$T_TMP/db.out" db import -q --type nvd --db "$T_TMP/vuln.db" "$T_TMP/nvd.json"
t_run_lading "$T_TMP/scan.json" scan -q --db "$T_TMP/vuln.db" -f json "dir:$root" || true
jq -r '(.packages | map({(.id): .}) | add) as $p | .findings[] |
	[$p[.package_id].db_path, .package_name, .installed, .vuln_id] | @tsv' "$T_TMP/scan.json" | LC_ALL=C sort \
	>"$T_TMP/findings"
printf '/usr/local/bin/busybox\tbusybox\t%s\tCVE-2099-0001\n' "$ver" >"$T_TMP/want"
t_compare "$T_TMP/want" "$T_TMP/findings" "NVD findings for the classified busybox"
t_done
