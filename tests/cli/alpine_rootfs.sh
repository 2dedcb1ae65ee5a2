#!/bin/sh
# End-to-end check of `lading sbom -f json` on the real Alpine minirootfs
# tarballs of the corpus (plain root file system tarballs, not images, which
# lading accepts as targets): the packages must be exactly the rows of the
# tarball's .apk-full.tsv (name, version, arch, origin as source_name,
# license), and the OS version_id must be the VERSION_ID of its os-release.
# The edge tarball's etc/os-release is a symbolic link, so this also checks
# that lading resolves links inside the target.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq
t_corpus
CORPUS=$T_CORPUS
t_tmpdir

JQ_ROWS='.packages[]? | [.name, .version, (.arch // ""), (.source_name // ""), (.license // "")]
	| map(tostring) | @tsv'
# Where lading's JSON puts the OS identity (see include/lading/inventory.h, lading_os).
JQ_OSVER='.os.version_id // "(none)"'

n=0
for tgz in "$CORPUS"/images/alpine/*.tar.gz; do
	[ -e "$tgz" ] || t_skip "no Alpine tarballs in $CORPUS/images/alpine"
	base=${tgz%.tar.gz}
	name=$(basename "$base")
	for f in "$base.apk-full.tsv" "$base.os-release"; do
		[ -f "$f" ] || t_fatal "expected file $f is missing from the corpus"
	done
	n=$((n + 1))
	t_say "$name"
	o="$T_TMP/$name"
	t_run_lading "$o.json" sbom -f json "$tgz" || continue
	t_valid_json "$o.json" "$name" || continue

	jq -r "$JQ_ROWS" "$o.json" | LC_ALL=C sort >"$o.rows"
	LC_ALL=C sort "$base.apk-full.tsv" >"$o.expected"
	t_compare "$o.expected" "$o.rows" "packages of $name" "$name.apk-full.tsv" || true

	# VERSION_ID as os-release gives it, quotes removed (the file is shell syntax).
	want=$(sed -n 's/^VERSION_ID=//p' "$base.os-release" | head -1 | sed 's/^"\(.*\)"$/\1/; s/^'"'"'\(.*\)'"'"'$/\1/')
	[ -n "$want" ] || t_fatal "$base.os-release has no VERSION_ID"
	got=$(jq -r "$JQ_OSVER" "$o.json")
	[ "$got" = "$want" ] || t_fail "$name: os version_id is '$got', os-release says '$want'"
done
[ "$n" -gt 0 ] || t_skip "no Alpine tarballs in $CORPUS/images/alpine"
t_done
