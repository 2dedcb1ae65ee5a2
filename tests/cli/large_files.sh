#!/bin/sh
# Large files hold a window in memory, not their size (issue #2: peak RSS
# under 32 MiB whatever the image size). The tree holds
#   /usr/local/bin/bigtool  a real Go program built here with Debian's golang-go,
#                           with 100 MiB of random bytes embedded (//go:embed)
#   /opt/app/fat.jar        a Spring Boot style jar (stored entries): the real
#                           Debian jars guava (2.9 MB: over the 2 MiB spool
#                           threshold, so itself spooled), commons-lang3 and
#                           commons-io under BOOT-INF/lib, and 60 MiB of random
#                           bytes as a resource
# and is read as dir: and as a gzip root file system tarball. Checks:
#  * the packages: bigtool's modules equal `go version -m`; the jar's equal what
#    lading finds in the same three jars lying loose in a directory;
#  * peak RSS (GNU time) under 48 MiB: reading either file whole would take
#    over 100 MiB (before spooling, 118 MiB);
#  * the spool directory ($TMPDIR) is left empty, and an unusable one is a
#    warning naming each file skipped, not a failure.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq go python3 gzip
[ -x /usr/bin/time ] || t_skip "GNU time (/usr/bin/time, Debian package time) is not installed"
t_tmpdir

root=$T_TMP/root
mkdir -p "$root/usr/local/bin" "$root/opt/app" "$T_TMP/go" "$T_TMP/spool" "$T_TMP/loose"
head -c 100M /dev/urandom >"$T_TMP/go/payload.bin"
printf 'module example.com/bigtool\n\ngo 1.19\n' >"$T_TMP/go/go.mod"
cat >"$T_TMP/go/main.go" <<'EOF'
package main

import (
	_ "embed"
	"fmt"
)

//go:embed payload.bin
var payload []byte

func main() { fmt.Println(len(payload)) }
EOF
(cd "$T_TMP/go" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 GOCACHE="$T_TMP/gocache" \
	go build -buildvcs=false -o "$root/usr/local/bin/bigtool" .) >"$T_TMP/go.log" 2>&1 ||
	t_fatal "go build failed: $(head -5 "$T_TMP/go.log")"

jars="guava.jar commons-lang3.jar commons-io.jar"
for j in $jars; do
	[ -f "/usr/share/java/$j" ] || t_skip "/usr/share/java/$j is missing (Debian maven installs it; run scripts/setup.sh)"
	cp "/usr/share/java/$j" "$T_TMP/loose/"
done
python3 - "$root/opt/app/fat.jar" $jars <<'EOF'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n\r\n")
    for j in sys.argv[2:]:
        z.write("/usr/share/java/" + j, "BOOT-INF/lib/" + j, compress_type=zipfile.ZIP_STORED)
    z.writestr(zipfile.ZipInfo("BOOT-INF/classes/static/blob.bin"), os.urandom(60 << 20), compress_type=zipfile.ZIP_STORED)
EOF
tar -C "$root" -cf - . | gzip -1 >"$T_TMP/root.tar.gz"

# expected: go version -m, and the loose jars' packages under the nested paths
go version -m "$root/usr/local/bin/bigtool" | awk -F'\t' '
	NR == 1 { v = $0; sub(/^.*: /, "", v); print "golang\tstdlib\t" v; next }
	$2 == "mod" || $2 == "dep" { print "golang\t" $3 "\t" $4 }' >"$T_TMP/want"
t_run_lading "$T_TMP/loose.json" sbom -q -f json "dir:$T_TMP/loose"
jq -r '.packages[] | [.type, .name, .version] | @tsv' "$T_TMP/loose.json" >>"$T_TMP/want"
LC_ALL=C sort -o "$T_TMP/want" "$T_TMP/want"
[ "$(grep -c '^maven' "$T_TMP/want")" -ge 3 ] || t_fatal "the loose jars gave too little: $(cat "$T_TMP/want")"

for target in "dir:$root" "rootfs-archive:$T_TMP/root.tar.gz"; do
	out=$T_TMP/sbom.json
	rc=0
	TMPDIR=$T_TMP/spool /usr/bin/time -f '%M' -o "$T_TMP/rss" "$LADING" sbom -q -f json -o "$out" "$target" \
		2>"$T_TMP/err" || rc=$?
	[ "$rc" -eq 0 ] || t_fail "$target: exit $rc: $(head -5 "$T_TMP/err")"
	jq -r '.packages[] | [.type, .name, .version] | @tsv' "$out" | LC_ALL=C sort >"$T_TMP/got"
	t_compare "$T_TMP/want" "$T_TMP/got" "$target: packages" || true
	jq -e '.warnings | length == 0' "$out" >/dev/null || t_fail "$target: warnings: $(jq -c .warnings "$out")"
	rss=$(tail -1 "$T_TMP/rss")
	t_say "$target: peak RSS $((rss / 1024)) MiB"
	[ "$rss" -lt $((48 * 1024)) ] || t_fail "$target: peak RSS $rss KiB, over 48 MiB for 100 MiB and 66 MiB files"
	[ -z "$(ls -A "$T_TMP/spool")" ] || t_fail "$target: left files in the spool directory: $(ls -A "$T_TMP/spool")"
done

# an unusable spool directory: each large file is skipped with a warning naming it
rc=0
TMPDIR=$T_TMP/missing "$LADING" sbom -f json -o "$T_TMP/nospool.json" "dir:$root" 2>"$T_TMP/err" || rc=$?
[ "$rc" -eq 0 ] || t_fail "no spool directory: exit $rc, expected 0 with warnings: $(head -3 "$T_TMP/err")"
for f in /usr/local/bin/bigtool /opt/app/fat.jar; do
	jq -e --arg f "$f" '[.warnings[] | select(contains($f) and contains("temporary file"))] | length == 1' \
		"$T_TMP/nospool.json" >/dev/null || t_fail "no spool directory: no warning naming $f: $(jq -c .warnings "$T_TMP/nospool.json")"
	grep -q "$f" "$T_TMP/err" || t_fail "no spool directory: stderr does not name $f"
done
t_done
