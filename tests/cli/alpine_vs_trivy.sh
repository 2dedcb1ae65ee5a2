#!/bin/sh
# Peer comparison: for each Alpine minirootfs tarball of the corpus, lading's
# CycloneDX output must list the same library components as the trivy
# CycloneDX SBOM stored in the corpus (expected/*.trivy.cdx.json): the same
# names, versions and purls, and the same operating-system component.
#
# Recorded differences (by design, not compared): serialNumber, timestamps and
# bom-refs are run-specific in both tools; trivy names the root component
# "localhost" where lading names the target. For the edge snapshot, trivy's OS
# version comes from etc/alpine-release (3.21.0_alpha20240923), which is also
# VERSION_ID there, so the two agree.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq
t_corpus
CORPUS=$T_CORPUS
t_tmpdir

LIBS='[.components[] | select(.type == "library") | [.name, .version, .purl] | @tsv] | .[]'
OS='[.components[] | select(.type == "operating-system") | [.name, .version] | @tsv] | .[]'
n=0
for peer in "$CORPUS"/expected/*.trivy.cdx.json; do
	[ -e "$peer" ] || t_skip "no trivy SBOMs in $CORPUS/expected"
	name=$(basename "$peer" .trivy.cdx.json)
	tgz=$CORPUS/images/alpine/$name.tar.gz
	[ -f "$tgz" ] || t_fatal "$tgz is missing for $peer"
	n=$((n + 1))
	o=$T_TMP/$name
	t_run_lading "$o.cdx" sbom -q -f cyclonedx "$tgz" || continue
	jq -r "$LIBS" "$peer" | LC_ALL=C sort >"$o.trivy"
	jq -r "$LIBS" "$o.cdx" | LC_ALL=C sort >"$o.lading"
	t_compare "$o.trivy" "$o.lading" "$name: library components vs trivy" || true
	jq -r "$OS" "$peer" >"$o.trivy-os"
	jq -r "$OS" "$o.cdx" >"$o.lading-os"
	t_compare "$o.trivy-os" "$o.lading-os" "$name: operating-system component vs trivy" || true
done
[ "$n" -gt 0 ] || t_skip "no trivy SBOMs in $CORPUS/expected"
t_say "$n images agree with trivy"
t_done
