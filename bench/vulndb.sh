#!/bin/sh
# Benchmarks of the vulnerability side: `lading db import` of every feed in
# the corpus (time, peak RSS, database size) and the matching step of
# `lading scan` on the largest inventory we have.
#
# Matching is isolated by scanning an SBOM (`sbom:FILE`, no image read): the
# time of `lading scan sbom:X` minus the time of `lading sbom sbom:X` is the
# cost of opening the database, matching and rendering. The inventory is the
# Debian bullseye fixture's (108 packages; the corpus feeds have most data for
# Debian 11), repeated into a 1000+ package SBOM by suffixing the package
# names so that every copy is looked up, the copies at version 0 so that every
# advisory of their source package becomes a finding (the worst case).
#
#   sh bench/vulndb.sh [--runs N] [--write]
# With --write, the results replace the section between the vulndb markers of
# bench/README.md. Nothing here passes or fails on speed.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=3 WRITE=0
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--write) WRITE=1; shift ;;
	*) die "unknown argument $1" ;;
	esac
done
LADING=${LADING:-build/lading}
CORPUS=${LADING_CORPUS:-../shared/corpus}
[ -x "$LADING" ] || { say "build lading first (make)"; exit 77; }
[ -d "$CORPUS" ] || { say "corpus not found at $CORPUS"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RESULTS=$TMP/results
: >"$RESULTS"
V=$CORPUS/vulndata

python3 tests/fixtures-gen/debian_tracker_from_dsa.py "$TMP/tracker.json" "$V/debian/DSA-list" "$V/debian/DLA-list"
set -- osv-go "$V/osv-go" osv-rust "$V/osv-rust" osv-pypi "$V/osv-pypi" alpine "$V/alpine-secdb" \
	dsa "$V/debian/DSA-list" dla "$V/debian/DLA-list" ubuntu "$V/ubuntu-cve-tracker" \
	tracker "$TMP/tracker.json"
while [ $# -gt 0 ]; do
	# each feed into a fresh database, so every run measures the same work
	measure "import-$1" "db import $1" sh -c 'rm -f "$1"; "$2" db import -q --db "$1" "$3"' _ "$TMP/one.db" \
		"$LADING" "$2"
	shift 2
done
rm -f "$TMP/all.db"
start=$(date +%s.%N)
/usr/bin/time -f '%e %M' -o "$TMP/time" "$LADING" db import -q --db "$TMP/all.db" "$V/osv-go" "$V/osv-rust" \
	"$V/osv-pypi" "$V/alpine-secdb" "$V/debian/DSA-list" "$V/debian/DLA-list" "$V/ubuntu-cve-tracker" \
	"$TMP/tracker.json"
read -r all_wall all_kib <"$TMP/time"
DBSIZE=$(fcalc "$(stat -c %s "$TMP/all.db") / 1048576")
say "all feeds into one database: $all_wall s, $(fcalc "$all_kib / 1024") MiB peak, $DBSIZE MiB on disk"

# the inventory: the bullseye fixture's SBOM (the corpus feeds have most data
# for Debian 11), repeated to 1000+ packages
FIX=.cache/fixtures/bullseye/oci
[ -d "$FIX" ] || { say "fixtures missing: run scripts/build-fixtures.sh"; exit 77; }
"$LADING" sbom -q -f cyclonedx -o "$TMP/img.cdx" "oci:$FIX:bullseye"
python3 - "$TMP/img.cdx" "$TMP/big.cdx" <<'EOF'
import json, sys
bom = json.load(open(sys.argv[1]))
libs = [c for c in bom["components"] if c["type"] == "library"]
others = [c for c in bom["components"] if c["type"] != "library"]
out, k = [], 0
while len(out) < 1000:
    for c in libs:
        d = dict(c)
        d["bom-ref"] = "%s-%d" % (c["bom-ref"], k)
        if k:  # copies are distinct packages that share the source package, so each is matched,
            # at version 0: below every fix, so every advisory of the source is a finding
            d["name"] = "%s-copy%d" % (c["name"], k)
            head, _, tail = c["purl"].partition("@")
            q = tail.find("?")
            d["purl"] = head.replace("/" + c["name"], "/" + d["name"], 1) + "@0" + (tail[q:] if q >= 0 else "")
            d["version"] = "0"
            d["properties"] = [dict(p, value="0") if p["name"] == "lading:package:source_version" else p
                               for p in c.get("properties", [])]
        out.append(d)
    k += 1
bom["components"] = others + out
bom.pop("dependencies", None)
json.dump(bom, open(sys.argv[2], "w"))
print(len(out))
EOF
NPKG=$(jq '[.components[] | select(.type == "library")] | length' "$TMP/big.cdx")
# ten runs per measurement: one run is near GNU time's 10 ms resolution
measure parse "sbom sbom:($NPKG packages) x10" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do
	"$1" sbom -q -f json "sbom:$2" >/dev/null; done' _ "$LADING" "$TMP/big.cdx"
measure scan "scan sbom:($NPKG packages) x10" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do
	"$1" scan -q --db "$2" -f json "sbom:$3" >/dev/null; done' _ "$LADING" "$TMP/all.db" "$TMP/big.cdx"
MATCH=$(fcalc "($(wall scan) - $(wall parse)) / 10")
NF=$("$LADING" scan -q --db "$TMP/all.db" -f json "sbom:$TMP/big.cdx" | jq '.findings | length')
say "matching $NPKG packages: about $MATCH s ($NF findings)"

{
	echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1))."
	echo
	echo "| step | wall s (best of $RUNS) | peak RSS MiB |"
	echo "|---|---:|---:|"
	awk -F'|' '{ printf "| %s | %s | %s |\n", $2, $3, $4 }' "$RESULTS"
	echo "| db import, all feeds into one database | $all_wall | $(fcalc "$all_kib / 1024") |"
	echo
	echo "Database with every feed: $DBSIZE MiB. Matching $NPKG packages (scan minus parse of the same"
	echo "SBOM, database open and JSON rendering included): about $MATCH s, $NF findings."
} >"$TMP/section"
cat "$TMP/section"
if [ "$WRITE" = 1 ]; then
	splice_readme bench/README.md "$TMP/section" vulndb
	say "bench/README.md updated"
fi
