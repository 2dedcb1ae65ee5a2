#!/bin/sh
# rpm owned files against rpm itself: for every rpm database of the corpus
# (Berkeley DB, NDB, SQLite) that Debian's rpm can open, the (package, file)
# pairs lading lists equal
#   rpm --dbpath COPY -qa --qf '[%{=NAME}\t%{FILESTATES:fstate}\t%{FILENAMES}\n]'
# restricted to the files in state "normal". The others ("not installed":
# `--nodocs` images such as CentOS 7/8 here; "replaced"; "wrong color") are
# not on disk as this package's, and reporting them would make every file
# integrity check of such an image flag thousands of missing files.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq rpm
t_corpus
t_tmpdir

checked=0
for db in "$T_CORPUS"/pkgdb/rpm/*/; do
	name=$(basename "$db")
	file=$(ls "$db" | head -1)
	case $file in
	rpmdb.sqlite) backend=sqlite ;;
	Packages.db) backend=ndb ;;
	Packages) backend=bdb_ro ;;
	*) continue ;;
	esac
	rm -rf "$T_TMP/rpmdb" "$T_TMP/root"
	mkdir -p "$T_TMP/rpmdb" "$T_TMP/root/var/lib/rpm"
	cp "$db/$file" "$T_TMP/rpmdb/"
	cp "$db/$file" "$T_TMP/root/var/lib/rpm/"
	rpm --dbpath "$T_TMP/rpmdb" --define "_db_backend $backend" -qa \
		--qf '[%{=NAME}\t%{FILESTATES:fstate}\t%{FILENAMES}\n]' 2>/dev/null >"$T_TMP/rpm.tsv" || true
	if [ ! -s "$T_TMP/rpm.tsv" ]; then
		t_say "$name: rpm here cannot read it ($backend); skipped"
		continue
	fi
	awk -F'\t' '$2 == "normal" { print $1 "\t" $3 }' "$T_TMP/rpm.tsv" | LC_ALL=C sort >"$T_TMP/want"
	t_run_lading "$T_TMP/sbom.json" sbom -q -f json "dir:$T_TMP/root" || continue
	jq -r '.packages[] | .name as $n | (.files // [])[] | $n + "\t" + .path' "$T_TMP/sbom.json" |
		LC_ALL=C sort >"$T_TMP/got"
	t_compare "$T_TMP/want" "$T_TMP/got" "$name: files in state normal, rpm vs lading" || true
	t_say "$name: $(grep -c . "$T_TMP/want") files, $(awk -F'\t' '$2 != "normal"' "$T_TMP/rpm.tsv" | grep -c .) left out (not normal)"
	checked=$((checked + 1))
done
[ "$checked" -ge 3 ] || t_fail "only $checked rpm databases could be compared"
t_done
