#!/bin/sh
# Scanning from a registry against scanning the same image from a file.
# Starts Debian's docker-registry on 127.0.0.1 (no auth, storage in a
# temporary directory), pushes the bench image of bench/run.sh (or, when it
# has not been built, the bookworm fixture) with skopeo, and measures
# `lading sbom` of the OCI layout next to `lading sbom 127.0.0.1:PORT/…`:
# streamed with the default thread count and with --threads 1, and with
# --cache-dir cold (an empty cache every run: download and write) and warm
# (every blob cached: no layer download). Loopback only: this measures
# lading's HTTP path (curl, the paused-transfer buffer, the extra copy), not
# a network. Prints a table, and with --write replaces the registry section
# of bench/README.md with it.
#
# Usage: sh bench/registry.sh [--write] [--runs N]
# Environment: LADING (binary, default build/lading).
# Exit status: 0 measured, 77 when a prerequisite is missing, 1 on an error.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_args "$@"
need_tools "sh scripts/setup.sh" /usr/bin/time docker-registry skopeo jq curl python3
need_lading

if [ -d "$REPO/bench/.work/image/oci" ]; then
	SRC="$REPO/bench/.work/image/oci" TAG=bench
else
	SRC="${LADING_FIXTURES:-$REPO/.cache/fixtures}/bookworm/oci" TAG=bookworm
	[ -d "$SRC" ] || skip "neither the bench image (sh bench/run.sh) nor the fixtures (scripts/build-fixtures.sh)"
fi

mkdir -p "$REPO/bench/.work"
TMP=$(mktemp -d "$REPO/bench/.work/registry.XXXXXX")
REG_PID=
cleanup() {
	[ -z "$REG_PID" ] || { kill "$REG_PID" 2>/dev/null; wait "$REG_PID" 2>/dev/null; } || true
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
RESULTS=$TMP/results
: >"$RESULTS"

PORT=$(python3 "$REPO/tests/cli/registry_helpers.py" freeport)
cat >"$TMP/reg.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $TMP/storage}}
http: {addr: 127.0.0.1:$PORT}
EOF
docker-registry serve "$TMP/reg.yml" >"$TMP/reg.log" 2>&1 &
REG_PID=$!
for _ in $(seq 1 100); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/v2/" && break
	sleep 0.1
done
skopeo copy -q --dest-tls-verify=false "oci:$SRC:$TAG" "docker://127.0.0.1:$PORT/bench:$TAG" >/dev/null ||
	die "skopeo could not push the image"
REF=127.0.0.1:$PORT/bench:$TAG
MAN=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://127.0.0.1:$PORT/v2/bench/manifests/$TAG")
LAYERS=$(echo "$MAN" | jq '.layers | length')
MB_C=$(fcalc "$(echo "$MAN" | jq '[.layers[].size] | add') / 1000000")
say "image ${SRC#"$REPO"/}:$TAG: $LAYERS layers, $MB_C MB compressed, pushed to $REF"
# warm the registry's files and the page cache
"$LADING" sbom -q -f json -o /dev/null "$REF"
"$LADING" sbom -q -f json -o /dev/null "oci:$SRC:$TAG"

measure file "file: sbom oci:LAYOUT, default threads" "$LADING" sbom -q -f json -o /dev/null "oci:$SRC:$TAG"
measure file1 "file: sbom oci:LAYOUT, --threads 1" "$LADING" sbom -q -f json -o /dev/null --threads 1 "oci:$SRC:$TAG"
measure reg "registry: sbom HOST/REPO:TAG, default threads" "$LADING" sbom -q -f json -o /dev/null "$REF"
measure reg1 "registry: sbom HOST/REPO:TAG, --threads 1" "$LADING" sbom -q -f json -o /dev/null --threads 1 "$REF"
measure cold "registry, --cache-dir, empty cache" sh -c 'rm -rf "$1"; "$2" sbom -q -f json -o /dev/null --cache-dir "$1" "$3"' \
	_ "$TMP/cache" "$LADING" "$REF"
"$LADING" sbom -q -f json -o /dev/null --cache-dir "$TMP/cache" "$REF"
measure warm "registry, --cache-dir, every blob cached" \
	"$LADING" sbom -q -f json -o /dev/null --cache-dir "$TMP/cache" "$REF"
# same inventory, whichever way it was read
"$LADING" sbom -q -f json "$REF" | jq -S .packages >"$TMP/r.json"
"$LADING" sbom -q -f json "oci:$SRC:$TAG" | jq -S .packages >"$TMP/f.json"
cmp -s "$TMP/r.json" "$TMP/f.json" || die "the registry scan found other packages than the file scan"
NPKG=$(jq length "$TMP/f.json")

{
	echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)),"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg); image \`${SRC#"$REPO"/}:$TAG\`: $LAYERS layers,"
	echo "$MB_C MB compressed, $NPKG packages (the same from both sources), $(docker-registry --version | cut -d' ' -f2-)."
	echo
	echo "| read from | wall s (best of $RUNS) | peak RSS MiB | vs file |"
	echo "|---|---:|---:|---:|"
	for k in file file1 reg reg1 cold warm; do
		base=file
		case $k in *1) base=file1 ;; esac
		awk -F'|' -v k="$k" -v r="$(ratio "$(wall "$k")" "$(wall "$base")")" \
			'$1 == k { printf "| %s | %s | %s | %s |\n", $2, $3, $4, r }' "$RESULTS"
	done
} >"$TMP/section"
cat "$TMP/section"
if [ "$WRITE" = 1 ]; then
	splice_readme "$REPO/bench/README.md" "$TMP/section" registry
	say "bench/README.md updated"
fi
