#!/bin/sh
# Java archives end to end: the corpus jars and wars (go-dep-parser's) in a
# dir: tree, plus an ear built here around the corpus maven.war, must give
# go-dep-parser's offline expectations (expected.tsv rows found "embedded" or
# "offline"; the two "online" rows need Maven Central and are not expected,
# see tests/unit/test_java.c). The nested packages carry "!/" paths, purls and
# the SHA-1 of their own archive.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq zip unzip sha1sum
t_corpus
t_tmpdir
J=$T_CORPUS/lang/go-dep-parser/java-jar

mkdir -p "$T_TMP/app/lib" "$T_TMP/app/deploy" "$T_TMP/ear"
for f in maven.war gradle.war test.jar heuristic-1.0.0-SNAPSHOT.jar hadoop-shaded-guava-1.1.0-SNAPSHOT.jar; do
	cp "$J/$f" "$T_TMP/app/lib/"
done
cp "$J/maven.war" "$T_TMP/ear/"
(cd "$T_TMP/ear" && zip -q "$T_TMP/app/deploy/app.ear" maven.war)

t_run_lading "$T_TMP/out.json" sbom -q -f json "dir:$T_TMP/app" || t_done
t_valid_json "$T_TMP/out.json" "sbom" || t_done

# file (the outer archive's name), group:artifact, version
jq -r '.packages[] | select(.type == "maven") |
	[(.db_path | split("!/")[0] | split("/")[-1]), .namespace + ":" + .name, .version] | @tsv' \
	"$T_TMP/out.json" | LC_ALL=C sort >"$T_TMP/got"
{
	awk -F'\t' 'NR > 1 && ($4 ~ /^embedded/ || $4 ~ /^offline/) { print $1 "\t" $2 "\t" $3 }' "$J/expected.tsv"
	awk -F'\t' 'NR > 1 && $1 == "maven.war" { print "app.ear\t" $2 "\t" $3 }' "$J/expected.tsv"
} | LC_ALL=C sort >"$T_TMP/want"
t_compare "$T_TMP/want" "$T_TMP/got" "maven packages in the dir: tree" "expected.tsv (offline rows)" || true
t_say "$(wc -l <"$T_TMP/got") maven packages"

pkg='.packages[] | select(.type == "maven" and .name == "jackson-databind")'
pkg="$pkg | select(.db_path | startswith(\"/deploy/\"))"
want=/deploy/app.ear!/maven.war!/WEB-INF/lib/jackson-databind-2.9.10.6.jar
[ "$(jq -r "$pkg | .db_path" "$T_TMP/out.json")" = "$want" ] ||
	t_fail "nested db_path: $(jq -r "$pkg | .db_path" "$T_TMP/out.json")"
want=pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.6
[ "$(jq -r "$pkg | .purl" "$T_TMP/out.json")" = "$want" ] ||
	t_fail "nested purl: $(jq -r "$pkg | .purl" "$T_TMP/out.json")"
want_sha=sha1:$(unzip -p "$J/maven.war" WEB-INF/lib/jackson-databind-2.9.10.6.jar | sha1sum | cut -c1-40)
got_sha=$(jq -r "$pkg | .files[0].digest" "$T_TMP/out.json")
[ "$got_sha" = "$want_sha" ] || t_fail "nested jar SHA-1: $got_sha, sha1sum says $want_sha"
want_sha=sha1:$(sha1sum "$J/test.jar" | cut -c1-40)
got_sha=$(jq -r '.packages[] | select(.db_path == "/lib/test.jar") | .files[0].digest' "$T_TMP/out.json")
[ "$got_sha" = "$want_sha" ] || t_fail "test.jar SHA-1: $got_sha, sha1sum says $want_sha"
[ "$(jq -r '.packages[] | select(.db_path == "/lib/test.jar") | .files[1].path' "$T_TMP/out.json")" = \
	"/lib/test.jar!/META-INF/MANIFEST.MF" ] || t_fail "test.jar's package should be marked as a manifest guess"
t_done
