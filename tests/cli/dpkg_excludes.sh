#!/bin/sh
# dpkg's path-exclude filters and the file integrity check. Debian's slim
# images and Ubuntu's minimized ones tell dpkg not to install documentation,
# man pages and translations; dpkg still lists those files, with md5sums, in
# /var/lib/dpkg/info. They are not missing files.
#
# A root file system is made here by real dpkg (`dpkg --root`) installing real
# bookworm packages (sed, grep, gzip from the fixtures' download cache, or
# apt-get download; none has maintainer scripts, so nothing runs) under a filter file like the Docker slim images' one
# (hand-written: the configuration is the edge case under test). dpkg itself
# is the oracle: the md5sums paths it left off the disk are what must be
# counted as excluded, and none of them reported missing. Without the filter
# file the same paths must come back as missing (so the check is not blind).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool jq dpkg
t_tmpdir

debs=$T_TMP/debs
mkdir -p "$debs"
cache=.cache/fixtures/downloads/bookworm-minbase-debs.tgz
if [ -f "$cache" ]; then
	tar -C "$debs" -xzf "$cache" --wildcards --strip-components=4 \
		'var/cache/apt/archives/sed_*.deb' 'var/cache/apt/archives/grep_*.deb' \
		'var/cache/apt/archives/gzip_*.deb' 2>/dev/null || true
fi
if [ -z "$(ls "$debs")" ] && command -v apt-get >/dev/null; then
	(cd "$debs" && apt-get download -q sed grep gzip >/dev/null 2>&1) || true
fi
[ -n "$(ls "$debs")" ] || t_skip "no .deb to install: neither $cache nor apt-get download worked"

root=$T_TMP/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc/dpkg/dpkg.cfg.d"
: >"$root/var/lib/dpkg/status"
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# like the Docker "slim" images' filter file
path-exclude /usr/share/doc/*
# we need to keep copyright files for legal reasons
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-exclude=/usr/share/man/*
EOF
cp /etc/os-release "$root/etc/os-release"
# dpkg takes the filters from its command line; the file in the image is what
# a later `apt-get install` in the image would read, and what lading reads
filters=$(grep '^path-' "$root/etc/dpkg/dpkg.cfg.d/docker" | sed 's/^\(path-[a-z]*\)[ =]/--\1=/')
# shellcheck disable=SC2086
dpkg --root="$root" --force-depends --force-not-root $filters -i "$debs"/*.deb >"$T_TMP/dpkg.log" 2>&1 ||
	t_fatal "dpkg -i failed: $(tail -5 "$T_TMP/dpkg.log")"

# the oracle: md5sums paths dpkg did not put on the disk
absent=0 present=0
for m in "$root"/var/lib/dpkg/info/*.md5sums; do
	while read -r _ path; do
		if [ -e "$root/$path" ] || [ -L "$root/$path" ]; then
			present=$((present + 1))
		else
			absent=$((absent + 1))
		fi
	done <"$m"
done
[ "$absent" -gt 20 ] || t_fatal "dpkg left out only $absent listed files: the filters did nothing?"
t_say "dpkg installed $present of the listed files and left out $absent"

t_run_lading "$T_TMP/with.json" sbom -q --integrity -f json "dir:$root"
got=$(jq -c '.file_integrity.summary | [.files_excluded, .missing, .modified]' "$T_TMP/with.json")
[ "$got" = "[$absent,0,0]" ] || t_fail "with the filter file: [excluded, missing, modified] = $got, want [$absent,0,0]"
[ "$(jq '.file_integrity.summary.files_checked' "$T_TMP/with.json")" = "$present" ] ||
	t_fail "files_checked: $(jq '.file_integrity.summary.files_checked' "$T_TMP/with.json"), want $present"

rm "$root/etc/dpkg/dpkg.cfg.d/docker"
t_run_lading "$T_TMP/without.json" sbom -q --integrity -f json "dir:$root"
got=$(jq -c '.file_integrity.summary | [.files_excluded, .missing]' "$T_TMP/without.json")
[ "$got" = "[0,$absent]" ] || t_fail "without the filter file: [excluded, missing] = $got, want [0,$absent]"
t_done
