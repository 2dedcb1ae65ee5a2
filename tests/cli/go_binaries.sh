#!/bin/sh
# Go binaries end to end: a dir: tree holding real Go binaries (the corpus's
# Go 1.15/1.16 files, Debian's age, npm's lefthook, a module built here for
# amd64, 386 and s390x, esbuild without build info) and a Rust binary with a
# hand-made cargo-auditable section (see scripts/binary-fixtures.sh).
#  * `lading sbom -f json` lists, per file, exactly the modules `go version -m`
#    lists (plus "stdlib" at the toolchain version; a replaced module under
#    its original path at the replacement's version).
#  * `lading scan` with the OSV Go corpus imported reports, for the stdlib of
#    each binary, advisories checked by hand against the feed:
#      GO-2023-1751 (CVE-2023-24539): stdlib < 1.19.9   -> go1.15.2, go1.16.4, go1.19.8
#      GO-2023-1878 (CVE-2023-29406): stdlib < 1.19.11  -> same
#      GO-2026-5026: stdlib < 1.25.13, 1.26.0-0..1.26.6, 1.27.0-0..1.27.0-rc.3
#                    -> go1.19.8 yes, lefthook's go1.27.0 no
#      GO-2026-6179: golang.org/x/mod < 0.40.0 -> the replaced x/mod (v0.7.0)
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq go
t_corpus
CORPUS=$T_CORPUS
t_tmpdir

FIX=${LADING_BINARY_FIXTURES:-$T_TMP/fix}
sh scripts/binary-fixtures.sh "$FIX" || true

root=$T_TMP/root
mkdir -p "$root/app" "$root/usr/bin" "$root/usr/local/bin" "$root/opt/go" "$root/opt/rust"
put() { # SOURCE DEST-IN-ROOT
	if [ -f "$1" ]; then
		cp "$1" "$root$2" && chmod 755 "$root$2"
	else
		t_say "SKIP $2: $1 was not fetched or built"
	fi
}
put "$CORPUS/lang/go-dep-parser/golang-binary/test.elf" /app/test.elf
put "$CORPUS/lang/go-dep-parser/golang-binary/replace.elf" /app/replace.elf
put "$FIX/deb/usr/bin/age" /usr/bin/age
put "$FIX/npm/lefthook" /usr/local/bin/lefthook
put "$FIX/npm/esbuild" /usr/local/bin/esbuild
put "$FIX/go/hello-amd64" /opt/go/hello
put "$FIX/go/hello-386" /opt/go/hello-386
put "$FIX/go/hello-s390x" /opt/go/hello-s390x
put "$FIX/rust/auditable" /opt/rust/hello

# go version -m's view: path<TAB>module<TAB>version, "stdlib" at the toolchain
want() {
	for f in $(cd "$root" && find . -type f | sed 's|^\.||' | LC_ALL=C sort); do
		go version -m "$root$f" 2>/dev/null | awk -v p="$f" -F'\t' '
			NR == 1 { v = $0; sub(/^.*: /, "", v); sub(/ .*/, "", v); print p "\tstdlib\t" v; next }
			$2 == "mod" || $2 == "dep" { if (last != "") print last; last = p "\t" $3 "\t" $4; next }
			$2 == "=>" { split(last, a, "\t"); last = a[1] "\t" a[2] "\t" ($4 != "" ? $4 : a[3]); next }
			END { if (last != "") print last }'
	done | LC_ALL=C sort
}
want >"$T_TMP/want"
[ "$(grep -c . "$T_TMP/want")" -gt 20 ] || t_fatal "go version -m listed too little: $(head -3 "$T_TMP/want")"

t_run_lading "$T_TMP/sbom.json" sbom -q -f json "dir:$root"
jq -r '.packages[] | select(.type == "golang") | [.db_path, .name, .version] | @tsv' "$T_TMP/sbom.json" |
	LC_ALL=C sort >"$T_TMP/got"
t_compare "$T_TMP/want" "$T_TMP/got" "Go modules vs go version -m" || true
t_say "$(grep -c . "$T_TMP/want") Go packages in $(cut -f1 "$T_TMP/want" | sort -u | grep -c .) binaries"
jq -e '[.packages[] | select(.db_path == "/usr/local/bin/esbuild")] | length == 0' "$T_TMP/sbom.json" \
	>/dev/null || t_fail "esbuild has no build info: nothing should be reported for it"
jq -e '.warnings | length == 0' "$T_TMP/sbom.json" >/dev/null ||
	t_fail "unexpected warnings: $(jq -c .warnings "$T_TMP/sbom.json")"
if [ -f "$root/opt/go/hello" ]; then
	jq -e '.packages[] | select(.db_path == "/opt/go/hello" and .name == "golang.org/x/mod") |
		select(.version == "v0.7.0" and .source_name == "golang.org/x/mod" and .source_version == "v0.7.0")' \
		"$T_TMP/sbom.json" >/dev/null || t_fail "the replaced golang.org/x/mod should be v0.7.0 with its replacement"
fi
if [ -f "$root/opt/rust/hello" ]; then
	got=$(jq -r '[.packages[] | select(.type == "cargo") | .name + "@" + .version] | sort | join(" ")' \
		"$T_TMP/sbom.json")
	[ "$got" = "lading-hello@0.3.1 libc@0.2.139 regex@1.5.4 smallvec@1.6.0" ] ||
		t_fail "crates from the hand-made .dep-v0: got '$got'"
fi

# scan with the OSV Go feed
t_run_lading "$T_TMP/db.out" db import -q --db "$T_TMP/vuln.db" "$CORPUS/vulndata/osv-go"
t_run_lading "$T_TMP/scan.json" scan -q --db "$T_TMP/vuln.db" -f json "dir:$root" || true
jq -r '(.packages | map({(.id): .}) | add) as $p | .findings[] |
	[$p[.package_id].db_path, .package_name, .installed, ([.vuln_id] + .aliases | join(","))] | @tsv' \
	"$T_TMP/scan.json" >"$T_TMP/findings"
has() { # PATH NAME ADVISORY
	grep -q "^$1	$2	[^	]*	.*$3" "$T_TMP/findings"
}
for f in /app/test.elf /app/replace.elf /usr/bin/age /opt/go/hello; do
	[ -f "$root$f" ] || continue
	for a in GO-2023-1751 GO-2023-1878; do
		has "$f" stdlib "$a" || t_fail "$f: stdlib should be affected by $a"
	done
done
for f in /usr/bin/age /opt/go/hello /opt/go/hello-386 /opt/go/hello-s390x; do
	[ -f "$root$f" ] || continue
	has "$f" stdlib GO-2026-5026 || t_fail "$f (go1.19.8): stdlib should be affected by GO-2026-5026"
done
if [ -f "$root/usr/local/bin/lefthook" ]; then
	! has /usr/local/bin/lefthook stdlib GO-2026-5026 || t_fail "lefthook's go1.27.0 is fixed for GO-2026-5026"
	! has /usr/local/bin/lefthook stdlib GO-2023-1751 || t_fail "lefthook's go1.27.0 is fixed for GO-2023-1751"
fi
[ ! -f "$root/opt/go/hello" ] || has /opt/go/hello golang.org/x/mod GO-2026-6179 ||
	t_fail "golang.org/x/mod v0.7.0 should be affected by GO-2026-6179"
t_say "$(grep -c . "$T_TMP/findings") findings for the Go binaries"
t_done
