#!/bin/sh
# npm packages: a real node_modules tree installed from the npm registry must
# give exactly what `npm ls --all` lists (name, version, path), both as a
# directory and inside an image, where the tree is one layer on top of the
# Alpine 3.20 root file system (packages attributed to that layer) and a
# third layer deletes one package (a whiteout) and rewrites another's
# package.json to a new version (which then belongs to the third layer).
# npm's package-lock.json is in the tree too: its entries are reported only
# where no installed package is the same (the deleted and the rewritten one).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool npm jq umoci
t_corpus
CORPUS=$T_CORPUS
t_tmpdir

app=$T_TMP/app
mkdir -p "$app"
(cd "$app" && npm init -y >/dev/null 2>&1 &&
	timeout 300 npm install --no-audit --no-fund --loglevel=error express@4.18.2 @types/node@20.10.0 \
		lodash@4.17.20 >"$T_TMP/npm.log" 2>&1) || t_skip "npm install failed (no registry?): $(tail -2 "$T_TMP/npm.log")"

# npm's own view: name<TAB>version<TAB>path (relative to the app)
want() {
	(cd "$1" && npm ls --all --parseable --long 2>/dev/null) | tail -n +2 | sed "s|^$1||" |
		awk -F: '{ n = $2; sub(/@[^@]*$/, "", n); v = $2; sub(/^.*@/, "", v); print n "\t" v "\t" $1 }' |
		LC_ALL=C sort -u
}
ROWS='.packages[] | select(.type == "npm" and (.declared | not)) | [((.namespace // "") | if . == "" then "" else . + "/" end) + .name, .version, (.db_path | sub("/package.json$"; ""))] | @tsv'

want "$app" >"$T_TMP/want"
[ "$(grep -c . "$T_TMP/want")" -gt 50 ] || t_fatal "npm ls listed too little: $(head -3 "$T_TMP/want")"
t_run_lading "$T_TMP/dir.json" sbom -q -f json "dir:$app"
jq -r "$ROWS" "$T_TMP/dir.json" | LC_ALL=C sort -u >"$T_TMP/got"
t_compare "$T_TMP/want" "$T_TMP/got" "dir: npm packages vs npm ls --all" || true
t_say "$(grep -c . "$T_TMP/want") npm packages"

# the same tree as /app in an image
cd "$T_TMP"
umoci init --layout oci >/dev/null
umoci new --image oci:img >/dev/null
zcat "$CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz" >base.tar
umoci raw add-layer --image oci:img base.tar
tar -C "$T_TMP" -cf app.tar app
umoci raw add-layer --image oci:img --history.created_by "COPY app /app" app.tar
# layer 2: delete lodash, bump the version in ms's manifest
mkdir -p l2/app/node_modules/ms
touch l2/app/node_modules/.wh.lodash
jq '.version = "9.9.9"' app/node_modules/ms/package.json >l2/app/node_modules/ms/package.json
tar -C l2 -cf l2.tar app
umoci raw add-layer --image oci:img --history.created_by "RUN rm -r lodash; bump ms" l2.tar
t_run_lading "$T_TMP/img.json" sbom -q -f json oci:oci:img
jq -r "$ROWS" "$T_TMP/img.json" | sed 's|\t/app|\t|' | LC_ALL=C sort -u >"$T_TMP/got"
grep -v '^lodash	' "$T_TMP/want" | sed 's|^ms	[^	]*	/node_modules/ms$|ms	9.9.9	/node_modules/ms|' |
	LC_ALL=C sort -u >"$T_TMP/want2"
t_compare "$T_TMP/want2" "$T_TMP/got" "image: npm packages after a whiteout and a rewrite" || true
[ "$(jq -r '[.packages[] | select(.type == "npm" and .name == "express")][0].layer.index' "$T_TMP/img.json")" = 1 ] ||
	t_fail "express should come from layer 1"
[ "$(jq -r '[.packages[] | select(.type == "npm" and .name == "ms" and .version == "9.9.9")][0].layer.index' \
	"$T_TMP/img.json")" = 2 ] || t_fail "the rewritten ms should come from layer 2"
[ "$(jq '[.packages[] | select(.type == "apk")] | length' "$T_TMP/img.json")" = 14 ] ||
	t_fail "the Alpine packages are missing"
# package-lock.json still names lodash (deleted) and ms 2.0.0 (rewritten): those
# two, and only those, are reported as declared by the lockfile
jq -r '.packages[] | select(.type == "npm" and .declared) | [.name, .version, .db_path] | @tsv' "$T_TMP/img.json" |
	LC_ALL=C sort >"$T_TMP/declared"
printf 'lodash\t4.17.20\t/app/package-lock.json\nms\t2.0.0\t/app/package-lock.json\n' >"$T_TMP/declared.want"
t_compare "$T_TMP/declared.want" "$T_TMP/declared" "lockfile entries not installed" || true
[ "$(jq '[.packages[] | select(.type == "npm" and .declared)] | length' "$T_TMP/dir.json")" = 0 ] ||
	t_fail "dir: lockfile entries of installed packages were counted twice"
t_done
