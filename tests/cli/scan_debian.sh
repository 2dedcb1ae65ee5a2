#!/bin/sh
# lading scan on the real Debian bullseye image of the fixtures
# (scripts/build-fixtures.sh), against a Debian Security Tracker JSON feed
# derived from Debian's real DSA/DLA lists in the corpus
# (tests/fixtures-gen/debian_tracker_from_dsa.py).
#
# The expected findings come from tests/cli/debian_expected.py, which applies
# the tracker's rules with apt_pkg (dpkg's comparison) as the oracle:
#   - every vulnerable (package, CVE) with the right fixed version,
#   - nothing fixed at or below the installed source version,
#   - nothing the feed marks not-affected (fixed_version "0"),
#   - open issues as "unfixed", gone with --ignore-unfixed.
# The image as built is fully patched, so a second image adds one layer that
# sets the installed versions back to the versions bullseye first shipped
# (real version strings; the rewrite is ours, see debian_expected.py).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq umoci
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import apt_pkg' 2>/dev/null ||
	t_skip "python3-apt is not installed (the apt_pkg oracle)"
PY=/usr/bin/python3
t_corpus
CORPUS=$T_CORPUS
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

rc=0
sh "$REPO/scripts/build-fixtures.sh" >"$T_TMP/fixtures.log" 2>&1 || rc=$?
[ "$rc" = 77 ] && t_skip "fixtures cannot be built here: $(tail -1 "$T_TMP/fixtures.log")"
[ "$rc" = 0 ] || t_fatal "scripts/build-fixtures.sh failed: $(tail -5 "$T_TMP/fixtures.log")"
FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}/bullseye
REL=bullseye

$PY "$REPO/tests/fixtures-gen/debian_tracker_from_dsa.py" "$T_TMP/tracker.json" \
	"$CORPUS/vulndata/debian/DSA-list" "$CORPUS/vulndata/debian/DLA-list" || t_fatal "feed generation failed"
# Hand-written additions (the lists cannot express these statuses for the
# packages of this image): an open issue in bash (urgency unimportant), an
# open issue in zlib, a not-affected entry in dpkg and an undetermined one in
# tar. Ids say LADING-HANDWRITTEN.
$PY - "$T_TMP/tracker.json" $REL <<'EOF2'
import json, sys
path, rel = sys.argv[1], sys.argv[2]
t = json.load(open(path))
def add(src, cid, r):
    t.setdefault(src, {})[cid] = {"description": "LADING-HANDWRITTEN test entry", "releases": {rel: r}}
add("bash", "CVE-9999-0001", {"status": "open", "repositories": {rel: "5.1-2"}, "urgency": "unimportant"})
add("zlib", "CVE-9999-0002", {"status": "open", "repositories": {rel: "1:1.2.11.dfsg-2"}, "urgency": "high"})
add("dpkg", "CVE-9999-0003", {"status": "resolved", "fixed_version": "0", "urgency": "low"})
add("tar", "CVE-9999-0004", {"status": "undetermined", "urgency": "not yet assigned"})
json.dump(t, open(path, "w"), sort_keys=True)
EOF2
db=$T_TMP/v.db
"$LADING" db import -q --db "$db" --type debian-tracker "$T_TMP/tracker.json" || t_fatal "db import failed"

check() { # NAME TARGET PACKAGES.tsv
	t_run_lading "$T_TMP/$1.json" scan -q --db "$db" -f json "$2" || return 0
	jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' "$T_TMP/$1.json" |
		LC_ALL=C sort >"$T_TMP/$1.got"
	$PY "$HERE/debian_expected.py" expected "$T_TMP/tracker.json" $REL "$3" | LC_ALL=C sort >"$T_TMP/$1.want"
	t_compare "$T_TMP/$1.want" "$T_TMP/$1.got" "$1 findings" || true
	t_say "$1: $(wc -l <"$T_TMP/$1.want") expected findings ($(grep -c unfixed "$T_TMP/$1.want") unfixed)"
	[ "$(jq -r .os_namespace "$T_TMP/$1.json")" = debian:11 ] || t_fail "$1: namespace is not debian:11"
	# --ignore-unfixed leaves exactly the fixed ones
	"$LADING" scan -q --db "$db" -f json --ignore-unfixed "$2" |
		jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' |
		LC_ALL=C sort >"$T_TMP/$1.fixedonly"
	grep -v '	unfixed$' "$T_TMP/$1.want" >"$T_TMP/$1.want-fixed" || true
	t_compare "$T_TMP/$1.want-fixed" "$T_TMP/$1.fixedonly" "$1 with --ignore-unfixed" || true
}

# 1. the image as built
check released "oci:$FIX/oci:$REL" "$FIX/expected.tsv"

# 2. the same image plus a layer that sets the versions back
t_debian_setback "$FIX" $REL "$T_TMP/tracker.json" "$T_TMP" || t_fatal "the set-back image could not be built"
check setback "oci:$T_TMP/oci:$REL" "$T_TMP/setback.tsv"
[ "$(grep -c . "$T_TMP/setback.want")" -gt 10 ] || t_fail "the set-back image should have findings"
# the hand-written open issues are there, unfixed, with the distro's urgency
[ "$(jq -r '[.findings[] | select(.vuln_id == "CVE-9999-0001")][0] | .status + " " + .severity' \
	"$T_TMP/setback.json")" = "unfixed negligible" ] || t_fail "bash's open unimportant issue is not unfixed/negligible"
[ "$(jq -r '[.findings[] | select(.vuln_id == "CVE-9999-0002")][0].severity' "$T_TMP/setback.json")" = high ] ||
	t_fail "zlib's open issue should be high (the distro's urgency)"
[ "$(jq '[.findings[] | select(.vuln_id == "CVE-9999-0003" or .vuln_id == "CVE-9999-0004")] | length' \
	"$T_TMP/setback.json")" = 0 ] || t_fail "not-affected or undetermined entries were reported"
t_done
