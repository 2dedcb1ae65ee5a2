#!/bin/sh
# Scanning straight from a registry. Starts Debian's docker-registry on
# 127.0.0.1 three ways (no auth; htpasswd basic auth; `auth: token` with the
# token issuer of registry_helpers.py, signing with a key generated here),
# pushes real images into it with skopeo (the Debian fixtures as OCI and as
# Docker v2 manifests, small Alpine images built from the corpus, a
# multi-platform OCI index and a Docker manifest list), and checks that
# `lading sbom HOST:PORT/REPO:TAG` gives exactly the packages and layers that
# `lading sbom` of the same image as a file gives. Then the failures: wrong
# password, missing tag and repository, and (from the misbehaving server of
# registry_helpers.py) a missing blob, a blob whose digest does not match, a
# connection dropped mid-layer, each a clear error and exit 3 within a
# bounded time with nothing left on disk; a flaky server and a redirect to
# another host must still work. Last, --cache-dir: a second image sharing
# the base layer downloads only its new layer (counted in the registry's
# access log).
set -eu
. "$(dirname "$0")/lib.sh"
t_need_lading
t_need_tool docker-registry skopeo umoci htpasswd openssl jq python3 timeout
t_corpus
ROOTFS=$T_CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
[ -f "$ROOTFS" ] || t_skip "corpus file missing: $ROOTFS"
REPO_ROOT=$(pwd)
HELPERS=$REPO_ROOT/tests/cli/registry_helpers.py
FIX=${LADING_FIXTURES:-$REPO_ROOT/.cache/fixtures}
rc=0
sh scripts/build-fixtures.sh >/dev/null 2>&1 || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 77 ] || t_fatal "scripts/build-fixtures.sh failed ($rc)"
[ -d "$FIX/bookworm/oci" ] && [ -d "$FIX/bullseye/oci" ] || t_skip "Debian fixtures not built (scripts/build-fixtures.sh)"

t_tmpdir
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T_TMP"
}
trap cleanup EXIT
T=$T_TMP
cd "$T"
# The failing scans must leave nothing behind: lading gets a TMPDIR of its own.
mkdir -p tmp
export TMPDIR="$T/tmp"
LAD() { timeout 300 "$LADING" "$@"; }

# ---- images ----------------------------------------------------------------------
# alpine:a is the minirootfs; alpine:b adds one layer on top of the same base.
umoci init --layout alp >/dev/null
umoci new --image alp:a >/dev/null
zcat "$ROOTFS" >base.tar
umoci raw add-layer --image alp:a --history.created_by "ADD minirootfs" base.tar
umoci tag --image alp:a b >/dev/null
mkdir -p l1/etc && echo lading-registry-test >l1/etc/motd-extra
tar -C l1 -cf l1.tar etc
umoci raw add-layer --image alp:b --history.created_by "ADD motd" l1.tar
# A multi-platform index: linux/amd64 is alpine:a, linux/arm64 is alpine:b.
python3 - alp <<'EOF'
import hashlib, json, os, sys
lay = sys.argv[1]
idx = json.load(open(os.path.join(lay, "index.json")))
by = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in idx["manifests"]}
def plat(m, arch):
    m = {k: m[k] for k in ("mediaType", "digest", "size")}
    m["platform"] = {"os": "linux", "architecture": arch}
    return m
inner = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": [plat(by["a"], "amd64"), plat(by["b"], "arm64")]}).encode()
d = hashlib.sha256(inner).hexdigest()
open(os.path.join(lay, "blobs", "sha256", d), "wb").write(inner)
idx["manifests"].append({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": "sha256:" + d,
                         "size": len(inner), "annotations": {"org.opencontainers.image.ref.name": "multi"}})
json.dump(idx, open(os.path.join(lay, "index.json"), "w"))
EOF

# ---- registries ----------------------------------------------------------------------
freeport() { python3 "$HELPERS" freeport; }
# start_registry NAME AUTH_YAML: a docker-registry on a free port, storage
# shared by all of them, its log (with the access log) in NAME.log.
start_registry() {
	port=$(freeport)
	{
		echo "version: 0.1"
		echo "log: {level: info, formatter: text, accesslog: {disabled: false}}"
		echo "storage: {filesystem: {rootdirectory: $T/storage}, delete: {enabled: true}}"
		echo "http: {addr: 127.0.0.1:$port}"
		printf '%s\n' "$2"
	} >"$1.yml"
	docker-registry serve "$1.yml" >"$1.log" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 1 100); do
		curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break
		sleep 0.1
	done
	curl -s -o /dev/null "http://127.0.0.1:$port/v2/" || t_fatal "docker-registry $1 did not start: $(tail -5 "$1.log")"
	eval "PORT_$1=$port"
}
# wait_portfile FILE: waits for a helper server to write its port.
wait_portfile() {
	for _ in $(seq 1 100); do
		[ -s "$1" ] && break
		sleep 0.1
	done
	[ -s "$1" ] || t_fatal "helper server did not start ($1)"
	cat "$1"
}

start_registry open ""
R=127.0.0.1:$PORT_open
push() { # push SRC DEST [skopeo options]
	src=$1 dst=$2
	shift 2
	skopeo copy -q --dest-tls-verify=false "$@" "$src" "docker://$R/$dst" >/dev/null 2>push.err ||
		t_fatal "skopeo copy $src -> $dst failed: $(cat push.err)"
}
push "oci:$FIX/bookworm/oci:bookworm" debian:bookworm
push "oci:$FIX/bullseye/oci:bullseye" debian:bullseye-v2s2 --format v2s2
push oci:alp:a alpine:a
push oci:alp:b alpine:b-v2s2 --format v2s2
push oci:alp:a private/alpine:a
push oci:alp:multi alpine:multi --all
push oci:alp:multi alpine:multi-list --all --format v2s2
mt() { curl -s -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json' \
	"http://$R/v2/$1/manifests/$2" | jq -r '.mediaType // "an OCI manifest (no mediaType field)"'; }
for rt in debian:bookworm debian:bullseye-v2s2 alpine:multi alpine:multi-list; do
	t_say "pushed $rt as $(mt "${rt%%:*}" "${rt#*:}")"
done
[ "$(mt alpine multi-list)" = application/vnd.docker.distribution.manifest.list.v2+json ] ||
	t_fail "alpine:multi-list was not stored as a Docker manifest list"

# ---- same inventory as the file -------------------------------------------------------
# summary FILE: the packages, and the layers' digests, diff_ids and sizes.
summary() { jq -S '{packages: .packages, layers: [.image.layers[] | {diff_id, size, uncompressed_size, created_by}], os: .os}' "$1"; }
# same_as_file FILE_TARGET REGISTRY_TARGET [options]: options for both scans;
# $REGOPTS only for the registry one, which alone reads standard input.
REGOPTS=""
same_as_file() {
	ft=$1 rt=$2
	shift 2
	t_run_lading file.json sbom -f json "$@" "$ft" </dev/null || return 0
	start=$(date +%s)
	# shellcheck disable=SC2086
	t_run_lading reg.json sbom -f json "$@" $REGOPTS "$rt" || return 0
	end=$(date +%s)
	summary file.json >file.sum
	summary reg.json >reg.sum
	n=$(jq '.packages | length' file.json)
	[ "$n" -gt 10 ] || t_fail "$ft: only $n packages"
	if cmp -s file.sum reg.sum; then
		t_say "$rt: same $n packages and $(jq '.layers|length' reg.sum) layers as $ft ($((end - start)) s)"
	else
		t_fail "$rt differs from $ft:"
		diff file.sum reg.sum | head -20 | sed 's/^/    /'
	fi
	jq -e '.image.source_kind == "registry"' reg.json >/dev/null || t_fail "$rt: source_kind is not registry"
}
same_as_file "oci:$FIX/bookworm/oci:bookworm" "$R/debian:bookworm"
# the manifest pushed as OCI is byte-identical: same manifest digest
[ "$(jq -r .image.manifest_digest reg.json)" = "$(jq -r .image.manifest_digest file.json)" ] ||
	t_fail "debian:bookworm: manifest digest differs from the layout's"
same_as_file "oci:$FIX/bullseye/oci:bullseye" "docker://$R/debian:bullseye-v2s2"
jq -e '.image.layers[0].media_type == "application/vnd.docker.image.rootfs.diff.tar.gzip"' reg.json >/dev/null ||
	t_fail "debian:bullseye-v2s2: layers are not Docker v2 layers"
same_as_file oci:alp:a "$R/alpine:a"
same_as_file oci:alp:b "$R/alpine:b-v2s2"
same_as_file oci:alp:a "$R/alpine:multi"
same_as_file oci:alp:b "$R/alpine:multi" --platform linux/arm64
same_as_file oci:alp:b "$R/alpine:multi-list" --platform linux/arm64
# by digest: the arm64 manifest, named directly
dig=$(jq -r .image.manifest_digest reg.json)
same_as_file oci:alp:b "$R/alpine@$dig"
# the plain-HTTP fallback for a loopback registry is never silent
grep -q "plain HTTP" reg.json.err || t_fail "no warning about plain HTTP: $(cat reg.json.err)"
# lading scan takes registry targets too (no database needed for the exit status check)
LAD scan --db "$T/none.db" -f json "$R/alpine:a" >scan.json 2>scan.err && t_say "scan of $R/alpine:a ran" ||
	grep -q "database" scan.err || t_fail "lading scan $R/alpine:a: $(cat scan.err)"

# expect_fail NAME TEXT CMD...: exit 3, TEXT on stderr, within the timeout.
expect_fail() {
	name=$1 text=$2
	shift 2
	start=$(date +%s)
	rc=0
	"$@" >/dev/null 2>fail.err || rc=$?
	end=$(date +%s)
	if [ "$rc" != 3 ]; then
		t_fail "$name: exit $rc, expected 3; stderr: $(cat fail.err)"
	elif ! grep -q -- "$text" fail.err; then
		t_fail "$name: the error does not say '$text': $(cat fail.err)"
	else
		t_say "$name: exit 3 in $((end - start)) s: $(grep -v warning fail.err | head -1)"
	fi
	[ -z "$(ls -A "$TMPDIR")" ] || t_fail "$name: files left in TMPDIR: $(ls -A "$TMPDIR")"
}
expect_fail "missing tag" "tag nosuchtag not found" LAD sbom -f json "$R/alpine:nosuchtag"
expect_fail "missing repository" "repository nosuch/repo not found" LAD sbom -f json "$R/nosuch/repo:1"
expect_fail "bad reference" "not a valid image reference" LAD sbom -f json "docker://$R/Upper/Case"
expect_fail "TLS refused on plain HTTP registry" "cannot reach" LAD sbom -f json "docker://localhost.localdomain.invalid:1/x:y"

# ---- basic auth ------------------------------------------------------------------------
htpasswd -Bbn tester s3cret >htpasswd 2>/dev/null
start_registry basic "auth: {htpasswd: {realm: lading-test, path: $T/htpasswd}}"
B=127.0.0.1:$PORT_basic
echo s3cret >pw
REGOPTS="--username tester --password-stdin"
same_as_file oci:alp:a "$B/alpine:a" <pw
REGOPTS=
echo wrong >badpw
expect_fail "basic auth, wrong password" 'user name "tester" given in the options' \
	LAD sbom -f json --username tester --password-stdin "$B/alpine:a" <badpw
mkdir -p nocfg
DOCKER_CONFIG=$T/nocfg expect_fail "basic auth, no credentials" "asks for a user name and password" \
	LAD sbom -f json "$B/alpine:a"
# credentials from $DOCKER_CONFIG/config.json "auths", with a credsStore that is not supported
mkdir -p dcfg
printf '{"credsStore": "desktop", "auths": {"http://%s/v1/": {"auth": "%s"}}}\n' "$B" \
	"$(printf tester:s3cret | base64)" >dcfg/config.json
export DOCKER_CONFIG="$T/dcfg"
same_as_file oci:alp:a "$B/alpine:a"
unset DOCKER_CONFIG
grep -q 'credential helper "desktop".*not supported' reg.json.err ||
	t_fail "no warning about credsStore: $(cat reg.json.err)"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$(printf tester:nope | base64)" >dcfg/config.json
DOCKER_CONFIG=$T/dcfg expect_fail "basic auth, wrong password in config.json" "dcfg/config.json" \
	LAD sbom -f json "$B/alpine:a"

# ---- token auth ------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout token.key -out token.crt -days 2 \
	-subj /CN=lading-test-token >/dev/null 2>&1
python3 "$HELPERS" token "$T/token.port" token.key token.crt lading-test-issuer lading-test-registry \
	tester s3cret 2>token.log &
PIDS="$PIDS $!"
TP=$(wait_portfile "$T/token.port")
start_registry token "auth: {token: {realm: \"http://127.0.0.1:$TP/token\", service: lading-test-registry, issuer: lading-test-issuer, rootcertbundle: $T/token.crt}}"
K=127.0.0.1:$PORT_token
same_as_file "oci:$FIX/bookworm/oci:bookworm" "$K/debian:bookworm"
grep -q "TOKEN /token?service=lading-test-registry&scope=repository%3Adebian%3Apull 200" token.log ||
	t_fail "no anonymous token was issued: $(cat token.log)"
REGOPTS="--username tester --password-stdin"
same_as_file oci:alp:a "$K/private/alpine:a" <pw
REGOPTS=
expect_fail "token auth, anonymous on a private repository" "token server" LAD sbom -f json "$K/private/alpine:a"
expect_fail "token auth, wrong password" 'refused the user name "tester"' \
	LAD sbom -f json --username tester --password-stdin "$K/private/alpine:a" <badpw

# ---- a misbehaving registry ----------------------------------------------------------------
python3 "$HELPERS" evil "$T/evil.port" alp b 2>evil.log &
PIDS="$PIDS $!"
E=127.0.0.1:$(wait_portfile "$T/evil.port")
mkdir -p cache-evil
same_as_file oci:alp:b "$E/good:b"
# another layer's bytes, larger than the descriptor says: not read past its size
expect_fail "blob larger than its descriptor" "sends more than the [0-9]* bytes the manifest gives" LAD sbom -f json "$E/baddigest:b"
expect_fail "blob larger than its descriptor (with a cache)" "sends more than the [0-9]* bytes the manifest gives" \
	LAD sbom -f json --cache-dir cache-evil "$E/baddigest:b"
expect_fail "corrupt blob (reported as the digest mismatch it causes)" "blob digest is sha256:" LAD sbom -f json --cache-dir cache-evil "$E/corrupt:b"
expect_fail "missing blob" "blob not found" LAD sbom -f json "$E/missing:b"
expect_fail "connection dropped mid-layer" "download failed after" LAD sbom -f json "$E/drop:b"
expect_fail "connection dropped mid-layer (with a cache)" "download failed after" \
	LAD sbom -f json --cache-dir cache-evil "$E/drop:b"
expect_fail "oversized manifest" "larger than" LAD sbom -f json "$E/hugemanifest:b"
# a server that stops sending mid-layer: dropped once the transfer has been below the
# low-speed limit for LADING_HTTP_LOW_SPEED_TIME seconds (libcurl measures the speed over
# the last ~5 s, so about 8 s here), retried LADING_HTTP_RETRIES times, then a failure
# (30 s and 4 retries by default: shortened here)
export LADING_HTTP_LOW_SPEED_TIME=2 LADING_HTTP_RETRIES=0
expect_fail "a server that stalls mid-layer" "Operation too slow" LAD sbom -f json "$E/stall:b"
[ $((end - start)) -le 20 ] || t_fail "the stalled download took $((end - start)) s to give up"
unset LADING_HTTP_LOW_SPEED_TIME LADING_HTTP_RETRIES
n=$(find cache-evil -type f | wc -l)
# the base layer and config of b are good and may be cached; nothing partial, nothing bad
find cache-evil -name '.*' | grep -q . && t_fail "temporary files left in the cache: $(find cache-evil -name '.*')"
for f in $(find cache-evil -type f); do
	[ "sha256:$(sha256sum "$f" | cut -c1-64)" = "sha256:$(basename "$f")" ] || t_fail "cache file $f is corrupt"
done
t_say "cache after the failures: $n intact blobs, no temporary files"
same_as_file oci:alp:b "$E/flaky:b"
grep -q "flaky/blobs.* 206" evil.log || t_fail "the flaky layer was not resumed with a Range request"
same_as_file oci:alp:b "$E/redirect:b"
grep -q "LEAKED\|/external/.* 400" evil.log && t_fail "the Authorization header followed the redirect to another host"
grep -q "GET /external/.* 200" evil.log || t_fail "the redirect was not followed"

# ---- the blob cache ------------------------------------------------------------------------
layer_gets() { # blob digests fetched between log lines $1 and $2 (exclusive)
	sed -n "$1,$(($2 - 1))p" open.log | grep -o "GET /v2/alpine/blobs/sha256:[0-9a-f]*" | sort -u |
		sed 's/.*blobs\///'
}
mkdir -p cache
m0=$(($(wc -l <open.log) + 1))
t_run_lading a.json sbom -f json --cache-dir cache "$R/alpine:a"
m1=$(($(wc -l <open.log) + 1))
t_run_lading b.json sbom -f json --cache-dir cache "$R/alpine:b-v2s2"
m2=$(($(wc -l <open.log) + 1))
t_run_lading b2.json sbom -f json --cache-dir cache "$R/alpine:b-v2s2"
m3=$(($(wc -l <open.log) + 1))
base=$(jq -r '.image.layers[0].digest' a.json)
newl=$(jq -r '.image.layers[1].digest' b.json)
bcfg=$(jq -r '.image.config_digest' b.json)
got_a=$(layer_gets "$m0" "$m1" | wc -l)
got_b=$(layer_gets "$m1" "$m2" | sort | tr '\n' ' ')
want_b=$(printf '%s\n' "$newl" "$bcfg" | sort | tr '\n' ' ')
[ "$got_a" = 2 ] || t_fail "first scan fetched $got_a blobs, expected 2 (config and the base layer): $(layer_gets "$m0" "$m1" | tr '\n' ' ')"
[ "$got_b" = "$want_b" ] || t_fail "second scan fetched [$got_b], expected only the new layer and the config [$want_b]"
[ -z "$(layer_gets "$m2" "$m3")" ] || t_fail "third scan fetched blobs again: $(layer_gets "$m2" "$m3")"
layer_gets "$m1" "$m2" | grep -q "$base" && t_fail "the shared base layer was downloaded twice"
summary b.json >b.sum && summary b2.json >b2.sum && cmp -s b.sum b2.sum || t_fail "the cached scan differs"
t_say "cache: first scan fetched $got_a blobs, the second (shared base) $(layer_gets "$m1" "$m2" | wc -l), the third $(layer_gets "$m2" "$m3" | wc -l)"
[ -f "cache/blobs/sha256/${base#sha256:}" ] || t_fail "the base layer is not in the cache"
find cache -name '.*' | grep -q . && t_fail "temporary files left in the cache"
[ -z "$(ls -A "$TMPDIR")" ] || t_fail "files left in TMPDIR: $(ls -A "$TMPDIR")"
t_done
