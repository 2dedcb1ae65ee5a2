#!/bin/sh
# File integrity (lading sbom --integrity, docs/formats.md "file_integrity")
# on real images:
#  1. the Debian fixtures of scripts/build-fixtures.sh as built: nothing
#     modified, and missing exactly the dpkg-owned files the fixture's layer 2
#     deletes on purpose (rm -rf /usr/share/man/man8 /etc/issue.net). The
#     only unpackaged executables are /etc/hostname and /etc/resolv.conf,
#     which debootstrap leaves with mode 0755 in the fixture's first layer.
#  2. bookworm plus one layer (umoci raw add-layer) that replaces
#     /usr/bin/tail with a copy of /usr/bin/head, edits the conffile
#     /etc/adduser.conf, deletes /usr/bin/tac by a
#     whiteout and drops a binary into /usr/local/bin: exactly tail modified,
#     adduser.conf modified config, tac missing, the new binary unpackaged.
#     With an unusable TMPDIR, the files too large to hold in memory are
#     warned about and counted unverifiable, never reported missing.
#  3. the corpus's Alpine minirootfs tarballs: nothing modified or missing
#     (mkimage rewrites /etc/shadow: a config change), and with busybox
#     replaced, /bin/busybox modified (apk's sha1).
#  4. bookworm plus a layer in which Debian's own pip installs Debian's pip,
#     setuptools and wheel wheels (python3-pip-whl, python3-setuptools-whl,
#     python3-wheel-whl) into /usr/local: the console scripts pip writes are unpackaged, each
#     attributed to the distribution whose RECORD lists it. The oracle is
#     Python's csv module reading the same RECORD files.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq tar gzip umoci
t_tmpdir

FIX=${LADING_FIXTURES:-$(pwd)/.cache/fixtures}
rc=0
LADING_FIXTURES=$FIX LADING_FIXTURE_SUITES="bookworm bullseye" sh scripts/build-fixtures.sh >"$T_TMP/build.log" 2>&1 ||
	rc=$?
case $rc in
0) ;;
77) t_skip "the Debian image fixtures could not be built here" ;;
*) cat "$T_TMP/build.log"; t_fatal "scripts/build-fixtures.sh failed with exit $rc" ;;
esac

# kind<TAB>path of every finding, sorted
rows() { jq -r '.file_integrity.findings[] | [.kind, .path] | @tsv' "$1" | LC_ALL=C sort; }

# ---- 1. the fixtures as built -------------------------------------------------
for suite in bookworm bullseye; do
	o="$T_TMP/$suite"
	t_run_lading "$o.json" sbom --integrity -f json "oci:$FIX/$suite/oci:$suite" || continue
	t_valid_json "$o.json" "$suite" || continue
	# What the fixture's layer 2 deleted, by the packages' own md5sums.
	mkdir -p "$o.root"
	for blob in "$FIX/$suite"/oci/blobs/sha256/*; do
		gzip -t "$blob" 2>/dev/null || continue
		tar -xzf "$blob" -C "$o.root" --wildcards 'var/lib/dpkg/info/*.md5sums' 'var/lib/dpkg/status' 2>/dev/null || true
	done
	awk '/^Conffiles:/{c=1;next} /^[^ ]/{c=0} c && $1=="/etc/issue.net"{print "missing\t" $1}' \
		"$o.root/var/lib/dpkg/status" >"$o.exp"
	cat "$o.root"/var/lib/dpkg/info/*.md5sums | awk '$2 ~ /^usr\/share\/man\/man8\// {print "missing\t/" $2}' >>"$o.exp"
	printf 'unpackaged\t/etc/hostname\nunpackaged\t/etc/resolv.conf\n' >>"$o.exp"
	LC_ALL=C sort -u "$o.exp" -o "$o.exp"
	rows "$o.json" >"$o.got"
	t_compare "$o.exp" "$o.got" "$suite: file integrity findings" || true
	n=$(jq '.file_integrity.summary.files_checked' "$o.json")
	[ "$n" -gt 3000 ] || t_fail "$suite: only $n package files checked"
	t_say "$suite: $n files checked, $(wc -l <"$o.got") findings as expected"
	# With nowhere to spool files over 2 MiB (perl, python, libcrypto, …), those are
	# warned about and counted unverifiable: the same findings, none of them missing.
	rc=0
	TMPDIR="$T_TMP/no-such-dir" "$LADING" sbom -q --integrity -f json "oci:$FIX/$suite/oci:$suite" \
		>"$o.nospool.json" 2>/dev/null || rc=$?
	[ "$rc" = 0 ] || t_fail "$suite: with an unusable TMPDIR lading exited $rc"
	rows "$o.nospool.json" >"$o.nospool.got"
	t_compare "$o.exp" "$o.nospool.got" "$suite: findings with an unusable TMPDIR" || true
	u=$(jq '.file_integrity.summary.files_unverifiable' "$o.nospool.json")
	w=$(jq '[.warnings[] | select(contains("cannot spool"))] | length' "$o.nospool.json")
	# (a hard link to an unread file is unverifiable too: perl and perl5.36.0)
	[ "$w" -ge 1 ] && [ "$u" -ge "$w" ] ||
		t_fail "$suite: $u files unverifiable after $w spool warnings"
	t_say "$suite, unusable TMPDIR: $w files not spooled, $u unverifiable, the same findings"
done

# ---- 2. one more layer: replaced, edited, deleted, dropped in -----------------
o="$T_TMP/mod"
cp -r "$FIX/bookworm/oci" "$o.oci"
mkdir -p "$o.layer/usr/bin" "$o.layer/etc" "$o.layer/usr/local/bin"
top=$(ls "$FIX"/bookworm/oci/blobs/sha256/* | while read -r b; do gzip -t "$b" 2>/dev/null && echo "$b"; done)
for b in $top; do tar -xzf "$b" -C "$o.layer" usr/bin/head etc/adduser.conf 2>/dev/null || true; done
[ -f "$o.layer/usr/bin/head" ] && [ -f "$o.layer/etc/adduser.conf" ] || t_fatal "head/adduser.conf not found in the fixture"
mv "$o.layer/usr/bin/head" "$o.layer/usr/bin/tail"
echo "# edited" >>"$o.layer/etc/adduser.conf"
cp "$o.layer/usr/bin/tail" "$o.layer/usr/local/bin/dropped"
: >"$o.layer/usr/bin/.wh.tac"
(cd "$o.layer" && tar --owner=0 --group=0 --numeric-owner -cf "$o.tar" usr etc)
umoci raw add-layer --image "$o.oci:bookworm" "$o.tar" >/dev/null 2>&1 || t_fatal "umoci raw add-layer failed"
if t_run_lading "$o.json" sbom --integrity -f json "oci:$o.oci:bookworm" && t_valid_json "$o.json" modified; then
	rows "$o.json" | grep -v -e '^missing	/usr/share/man/man8/' -e '^missing	/etc/issue.net' \
		-e '^unpackaged	/etc/hostname' -e '^unpackaged	/etc/resolv.conf' >"$o.got"
	printf 'modified\t/usr/bin/tail\nmodified_config\t/etc/adduser.conf\nmissing\t/usr/bin/tac\nunpackaged\t/usr/local/bin/dropped\n' |
		LC_ALL=C sort >"$o.exp"
	t_compare "$o.exp" "$o.got" "bookworm + a modifying layer" || true
	real=$(jq -r '.file_integrity.findings[] | select(.kind=="modified") | "\(.real_path) \(.layer) \(.package_name)"' "$o.json")
	[ "$real" = "/usr/bin/tail 3 coreutils" ] || t_fail "modified tail: got '$real', want '/usr/bin/tail 3 coreutils'"
fi
t_run_lading "$o.table" sbom --integrity -f table "oci:$o.oci:bookworm" &&
	{ grep -q '^Integrity: 2 modified (1 config), 1[0-9][0-9] missing, 3 unpackaged executables' "$o.table" ||
		t_fail "table summary line: $(grep '^Integrity' "$o.table")"; }

# ---- 4. pip's console scripts -----------------------------------------------------
wheels=$(ls /usr/share/python-wheels/pip-*.whl /usr/share/python-wheels/setuptools-*.whl /usr/share/python-wheels/wheel-*.whl 2>/dev/null)
if [ -z "$wheels" ] || ! /usr/bin/python3 -m pip --version >/dev/null 2>&1; then
	t_say "SKIP pip scenario: Debian's pip or its wheels are not installed (scripts/setup.sh)"
else
	o="$T_TMP/pip"
	cp -r "$FIX/bookworm/oci" "$o.oci"
	# shellcheck disable=SC2086
	PIP_DISABLE_PIP_VERSION_CHECK=1 /usr/bin/python3 -m pip install --root "$o.layer" --no-index --no-deps \
		--ignore-installed --no-warn-script-location $wheels >"$o.pip.log" 2>&1 ||
		t_fatal "pip install failed: $(tail -3 "$o.pip.log")"
	(cd "$o.layer" && tar --owner=0 --group=0 --numeric-owner -cf "$o.tar" .)
	umoci raw add-layer --image "$o.oci:bookworm" "$o.tar" >/dev/null 2>&1 || t_fatal "umoci raw add-layer failed"
	# expected: every executable a RECORD lists, with the Name: of its METADATA
	/usr/bin/python3 - "$o.layer" >"$o.exp" <<'PY' || t_fatal "the RECORD oracle failed"
import csv, os, sys
root = sys.argv[1]
for d, dirs, files in os.walk(root):
    if not d.endswith(".dist-info") or "RECORD" not in files:
        continue
    name = next(l.split(":", 1)[1].strip() for l in open(os.path.join(d, "METADATA"), encoding="utf-8")
                if l.startswith("Name:"))
    site = os.path.dirname(d)
    for row in csv.reader(open(os.path.join(d, "RECORD"), newline="", encoding="utf-8")):
        if not row or not row[0]:
            continue
        p = os.path.normpath(os.path.join(site, row[0]))
        if os.path.isfile(p) and not os.path.islink(p) and os.stat(p).st_mode & 0o111:
            print("unpackaged\t/%s\t%s" % (os.path.relpath(p, root), name))
PY
	LC_ALL=C sort -o "$o.exp" "$o.exp"
	[ "$(cut -f3 "$o.exp" | sort -u | wc -l)" -ge 2 ] || t_fail "pip: the oracle found console scripts of fewer than two distributions: $(wc -l <"$o.exp") console scripts"
	if t_run_lading "$o.json" sbom --integrity -f json "oci:$o.oci:bookworm" && t_valid_json "$o.json" pip; then
		jq -r '.file_integrity.findings[] | select(.kind=="unpackaged" and (.path|startswith("/usr/local/"))) |
			[.kind, .path, .package_name] | @tsv' "$o.json" | LC_ALL=C sort >"$o.got"
		t_compare "$o.exp" "$o.got" "pip console scripts, attributed by RECORD" &&
			t_say "pip: $(wc -l <"$o.got") console scripts attributed ($(cut -f3 "$o.got" | sort -u | tr '\n' ' '))"
		# every RECORD digest matches: nothing of theirs modified or missing
		jq -r '.file_integrity.findings[] | select(.kind!="unpackaged" and (.path|startswith("/usr/local/"))) |
			"\(.kind) \(.path)"' "$o.json" >"$o.bad"
		[ -s "$o.bad" ] && t_fail "pip: findings in the files pip installed: $(head -3 "$o.bad")"
	fi
	# One layer more edits pip/__init__.py and deletes pip/_internal/main.py
	# (a whiteout): exactly those two, against the digests RECORD holds.
	site=$(cd "$o.layer" && ls -d usr/local/lib/python3*/dist-packages | head -1)
	init="$site/pip/__init__.py" main="$site/pip/_internal/main.py"
	[ -f "$o.layer/$init" ] && [ -f "$o.layer/$main" ] || t_fatal "pip's files not where expected under $site"
	mkdir -p "$o.edit/$(dirname "$init")" "$o.edit/$(dirname "$main")"
	cp "$o.layer/$init" "$o.edit/$init"
	echo "# edited" >>"$o.edit/$init"
	: >"$o.edit/$(dirname "$main")/.wh.main.py"
	(cd "$o.edit" && tar --owner=0 --group=0 --numeric-owner -cf "$o.edit.tar" .)
	umoci raw add-layer --image "$o.oci:bookworm" "$o.edit.tar" >/dev/null 2>&1 || t_fatal "umoci raw add-layer failed"
	if t_run_lading "$o.2.json" sbom --integrity -f json "oci:$o.oci:bookworm" && t_valid_json "$o.2.json" pip-edit; then
		printf 'missing\t/%s\tpip\tsha256:%s\nmodified\t/%s\tpip\tsha256:%s\n' \
			"$main" "$(sha256sum <"$o.layer/$main" | cut -d' ' -f1)" \
			"$init" "$(sha256sum <"$o.layer/$init" | cut -d' ' -f1)" | LC_ALL=C sort >"$o.2.exp"
		jq -r '.file_integrity.findings[] | select(.kind!="unpackaged" and (.path|startswith("/usr/local/"))) |
			[.kind, .path, .package_name, .expected] | @tsv' "$o.2.json" | LC_ALL=C sort >"$o.2.got"
		t_compare "$o.2.exp" "$o.2.got" "pip's files edited and deleted, by RECORD's digests" || true
		n1=$(jq '.file_integrity.summary.files_checked' "$o.json")
		n0=$(jq '.file_integrity.summary.files_checked' "$T_TMP/bookworm.json")
		want=$(cat "$o.layer"/usr/local/lib/python3*/dist-packages/*.dist-info/RECORD | grep -c ',sha256=')
		[ "$((n1 - n0))" -eq "$want" ] || t_fail "pip: $((n1 - n0)) more files checked than the plain fixture, RECORD has $want digests"
		t_say "pip: $want files checked against RECORD; an edit and a deletion found"
	fi
fi

# ---- 3. Alpine ------------------------------------------------------------------
t_corpus
for tgz in "$T_CORPUS"/images/alpine/*.tar.gz; do
	[ -e "$tgz" ] || break
	name=$(basename "$tgz" .tar.gz)
	o="$T_TMP/$name"
	t_run_lading "$o.json" sbom --integrity -f json "$tgz" || continue
	got=$(jq -r '.file_integrity.summary | "\(.modified) \(.missing)"' "$o.json")
	[ "$got" = "0 0" ] || t_fail "$name: modified/missing '$got', want '0 0': $(rows "$o.json" | head -5)"
	n=$(jq '.file_integrity.summary.files_checked' "$o.json")
	[ "$n" -gt 50 ] || t_fail "$name: only $n files checked"
done
tgz=$(ls "$T_CORPUS"/images/alpine/alpine-minirootfs-3.20*.tar.gz 2>/dev/null | head -1)
if [ -n "$tgz" ]; then
	o="$T_TMP/bb"
	mkdir -p "$o.root"
	tar -xzf "$tgz" -C "$o.root"
	printf '\177ELF not busybox\n' >"$o.root/bin/busybox"
	(cd "$o.root" && tar --owner=0 --group=0 -czf "$o.tar.gz" .)
	if t_run_lading "$o.json" sbom --integrity -f json "rootfs-archive:$o.tar.gz"; then
		got=$(jq -r '.file_integrity.findings[] | select(.kind=="modified") | "\(.path) \(.package_name) \(.expected|split(":")[0])"' "$o.json")
		[ "$got" = "/bin/busybox busybox sha1" ] || t_fail "alpine with busybox replaced: got '$got'"
	fi
fi
t_done
