#!/bin/sh
# lading scan on the real Alpine 3.9, 3.10 and 3.11 minirootfs tarballs of the
# corpus, against the real Alpine secdb of the same release (main + community).
#
# The expected findings are computed here, independently of lading, by
# tests/cli/alpine_expected.py straight from the secdb YAML and the corpus's
# .apk-full.tsv (name, version, origin): a package is affected by a CVE listed
# under its origin when its version is below the (lowest) fixed version; ids
# listed under secfixes "0" are never reported. The comparison must be exact,
# both ways: every expected (package, CVE, fixed version) and nothing else.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq python3
python3 -c 'import yaml' 2>/dev/null || t_skip "python3 yaml module missing (Debian python3-yaml)"
t_corpus
CORPUS=$T_CORPUS
t_tmpdir
HERE=$(cd "$(dirname "$0")" && pwd)

for v in 3.9.6 3.10.9 3.11.13; do
	rel=v${v%.*}
	tgz=$CORPUS/images/alpine/alpine-minirootfs-$v-x86_64.tar.gz
	sec=$CORPUS/vulndata/alpine-secdb/$rel
	[ -f "$tgz" ] && [ -d "$sec" ] || t_skip "corpus lacks $tgz or $sec"
	db=$T_TMP/$rel.db
	"$LADING" db import -q --db "$db" "$sec/main.yaml" "$sec/community.yaml" || t_fatal "db import of $sec failed"
	t_run_lading "$T_TMP/$v.json" scan -q --db "$db" -f json "$tgz" || continue
	jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' "$T_TMP/$v.json" |
		LC_ALL=C sort >"$T_TMP/$v.got"
	python3 "$HERE/alpine_expected.py" "${tgz%.tar.gz}.apk-full.tsv" "$sec/main.yaml" "$sec/community.yaml" |
		LC_ALL=C sort >"$T_TMP/$v.want"
	# The point releases of the corpus are fully patched: usually nothing to find.
	t_compare "$T_TMP/$v.want" "$T_TMP/$v.got" "alpine $v findings" || true
	t_say "alpine $v as released: $(wc -l <"$T_TMP/$v.want") expected findings"

	# The same root file system with each package whose origin has secfixes set
	# back to the lowest fixed version the feed lists (real version strings;
	# the rewrite of the installed database is ours, see alpine_expected.py).
	root=$T_TMP/root-$v
	t_alpine_setback $v "$root" "$T_TMP/$v.old.tsv" || t_fatal "alpine $v: the set-back tree could not be made"
	t_run_lading "$T_TMP/$v.old.json" scan -q --db "$db" -f json "dir:$root" || continue
	jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' "$T_TMP/$v.old.json" |
		LC_ALL=C sort >"$T_TMP/$v.old.got"
	python3 "$HERE/alpine_expected.py" "$T_TMP/$v.old.tsv" "$sec/main.yaml" "$sec/community.yaml" |
		LC_ALL=C sort >"$T_TMP/$v.old.want"
	[ -s "$T_TMP/$v.old.want" ] || t_fail "$v: the independent computation found nothing (test data problem)"
	t_compare "$T_TMP/$v.old.want" "$T_TMP/$v.old.got" "alpine $v (set back) findings" || true
	t_say "alpine $v set back: $(wc -l <"$T_TMP/$v.old.want") expected findings"
	tgz=dir:$root # the option checks below run on the set-back tree

	# --ignorefile: an id everywhere, an id for one package only, an expired
	# entry (which must not suppress, and must be reported).
	if [ "$v" = 3.10.9 ]; then
		cat >"$T_TMP/ignore" <<-'EOF'
			# accepted risks
			CVE-2019-14697                    # musl: not reachable
			CVE-2018-20679 pkg:ssl_client     # only for ssl_client
			CVE-2019-1543 exp:2000-01-01      # expired long ago
		EOF
		"$LADING" scan --db "$db" -f json --ignorefile "$T_TMP/ignore" "$tgz" 2>"$T_TMP/ign.err" |
			jq -r '.findings[] | [.package_name, .vuln_id, (.fixed // "-"), .status] | @tsv' |
			LC_ALL=C sort >"$T_TMP/ign.got"
		grep -v -e '	CVE-2019-14697	' -e '^ssl_client	CVE-2018-20679	' "$T_TMP/$v.old.want" >"$T_TMP/ign.want"
		t_compare "$T_TMP/ign.want" "$T_TMP/ign.got" "alpine $v with --ignorefile" || true
		t_say "alpine $v: --ignorefile left $(grep -c . "$T_TMP/ign.got") of $(grep -c . "$T_TMP/$v.old.want")"
		grep -q "expired" "$T_TMP/ign.err" || t_fail "the expired ignore entry was not reported"
		grep -q '^busybox	CVE-2018-20679' "$T_TMP/ign.got" || t_fail "pkg: scoping suppressed busybox too"
		printf 'CVE-1 exp:tomorrow\n' >"$T_TMP/bad-ignore"
		rc=0
		"$LADING" scan -q --db "$db" --ignorefile "$T_TMP/bad-ignore" "$tgz" >/dev/null 2>"$T_TMP/err" || rc=$?
		[ "$rc" = 3 ] && grep -q ':1:' "$T_TMP/err" || t_fail "a malformed ignore file: exit $rc, $(cat "$T_TMP/err")"
		# --severity: the secdb has no ratings, so all are "unknown"
		n=$("$LADING" scan -q --db "$db" -f json --severity critical,high "$tgz" | jq '.findings | length')
		[ "$n" = 0 ] || t_fail "--severity critical,high kept $n unrated findings"
		n=$("$LADING" scan -q --db "$db" -f json --severity unknown "$tgz" | jq '.findings | length')
		[ "$n" = "$(grep -c . "$T_TMP/$v.old.want")" ] || t_fail "--severity unknown kept $n findings"
		rc=0
		"$LADING" scan -q --db "$db" --severity bogus "$tgz" >/dev/null 2>&1 || rc=$?
		[ "$rc" = 2 ] || t_fail "--severity bogus exited $rc, expected 2"
	fi
	# --ignore-unfixed changes nothing here (secdb lists only fixed issues),
	# and --severity with a severity no secdb row has leaves nothing.
	"$LADING" scan -q --db "$db" -f json --ignore-unfixed "$tgz" | jq -r '.findings | length' >"$T_TMP/n"
	[ "$(cat "$T_TMP/n")" = "$(wc -l <"$T_TMP/$v.old.want" | tr -d ' ')" ] || t_fail "$v: --ignore-unfixed changed the count"
	# --exit-code: findings present -> the given code
	rc=0
	"$LADING" scan -q --db "$db" -f json --exit-code 5 "$tgz" >/dev/null || rc=$?
	[ "$rc" = 5 ] || t_fail "$v: --exit-code 5 gave $rc"
done
t_done
