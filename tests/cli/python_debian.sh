#!/bin/sh
# Python packages that Debian installs are reported once, as the deb: the
# real python3-urllib3 .deb is added as a fourth layer on top of the Debian
# bookworm image fixture (scripts/build-fixtures.sh), with the dpkg records
# dpkg itself would write (its stanza appended to /var/lib/dpkg/status, and
# info/python3-urllib3.list and .md5sums from the package). Its
# urllib3-*.egg-info/PKG-INFO belongs to the deb, so no pypi urllib3 may be
# reported. The same layer also holds the PKG-INFO of python3-requests copied
# to /usr/local/lib/python3.11/dist-packages, where no deb owns it (as if pip
# had installed it): that one must be reported, from that layer. And the
# deb's files alone, with no dpkg records (a dir: tree), give the pypi
# urllib3, so it is the ownership rule that drops it, not a blind cataloger.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool umoci jq apt-get dpkg-deb tar
t_tmpdir

FIX=${LADING_FIXTURES:-$(pwd)/.cache/fixtures}
rc=0
LADING_FIXTURES=$FIX LADING_FIXTURE_SUITES=bookworm sh scripts/build-fixtures.sh || rc=$?
case $rc in
0) ;;
77) t_skip "the Debian bookworm fixture could not be built here (see the build-fixtures message above)" ;;
*) t_fatal "scripts/build-fixtures.sh failed with exit $rc" ;;
esac
[ -d "$FIX/bookworm/oci" ] || t_fatal "$FIX/bookworm/oci missing after build-fixtures.sh"

cd "$T_TMP" || t_fatal "cannot enter $T_TMP"
(timeout 120 apt-get download python3-urllib3 python3-requests >apt.log 2>&1) ||
	t_skip "apt-get download failed (no Debian archive?): $(tail -2 apt.log)"
urllib3_deb=$(ls python3-urllib3_*.deb)
requests_deb=$(ls python3-requests_*.deb)
uver=$(dpkg-deb -f "$urllib3_deb" Version)

# the fixture's final dpkg status: the last layer that has one
cp -r "$FIX/bookworm/oci" oci
mf=$(jq -r '.manifests[0].digest' oci/index.json | sed 's/^sha256://')
mkdir st
for l in $(jq -r '.layers[].digest' "oci/blobs/sha256/$mf" | sed 's/^sha256://'); do
	tar -C st -xzf "oci/blobs/sha256/$l" var/lib/dpkg/status 2>/dev/null || true
done
[ -s st/var/lib/dpkg/status ] || t_fatal "no /var/lib/dpkg/status in the fixture's layers"
grep -q '^Package: python3-minimal$' st/var/lib/dpkg/status || t_fatal "the fixture has no python3-minimal"

# layer 3: what `dpkg -i python3-urllib3.deb` leaves behind, plus an unowned copy
mkdir -p l3/var/lib/dpkg/info ctl
dpkg-deb -x "$urllib3_deb" l3
dpkg-deb -e "$urllib3_deb" ctl
{
	cat st/var/lib/dpkg/status
	dpkg-deb -f "$urllib3_deb" | sed '/^Package:/a Status: install ok installed'
	echo
} >l3/var/lib/dpkg/status
dpkg-deb --fsys-tarfile "$urllib3_deb" | tar -t | sed 's|^\./|/|; s|/$||; s|^$|/.|' >l3/var/lib/dpkg/info/python3-urllib3.list
cp ctl/md5sums l3/var/lib/dpkg/info/python3-urllib3.md5sums
mkdir rq
dpkg-deb -x "$requests_deb" rq
rinfo=$(cd rq/usr/lib/python3/dist-packages && ls -d requests-*.egg-info)
rver=$(sed -n 's/^Version: //p' "rq/usr/lib/python3/dist-packages/$rinfo/PKG-INFO" | head -1)
mkdir -p "l3/usr/local/lib/python3.11/dist-packages/$rinfo"
cp "rq/usr/lib/python3/dist-packages/$rinfo/PKG-INFO" "l3/usr/local/lib/python3.11/dist-packages/$rinfo/"
egg=$(grep -o '/usr/lib/python3/dist-packages/urllib3-[^/]*\.egg-info/PKG-INFO' l3/var/lib/dpkg/info/python3-urllib3.list)
[ -n "$egg" ] || t_fatal "python3-urllib3 ships no egg-info PKG-INFO any more: $(grep -c info l3/var/lib/dpkg/info/python3-urllib3.list)"
tar -C l3 -cf l3.tar .
umoci raw add-layer --image oci:bookworm --history.created_by "dpkg -i python3-urllib3; pip-like copy of requests" l3.tar

t_run_lading img.json sbom -q -f json oci:oci:bookworm || t_done
deb=$(jq -r --arg v "$uver" '[.packages[] | select(.type == "deb" and .name == "python3-urllib3" and .version == $v)] |
	.[0].layer.index' img.json)
[ "$deb" = 3 ] || t_fail "the deb python3-urllib3 $uver should come from layer 3, got '$deb'"
n=$(jq '[.packages[] | select(.type == "pypi" and (.name | ascii_downcase) == "urllib3")] | length' img.json)
[ "$n" = 0 ] || t_fail "urllib3 is counted twice: $n pypi package(s) besides the deb: $(jq -c '[.packages[] |
	select(.type == "pypi")]' img.json)"
got=$(jq -r '.packages[] | select(.type == "pypi") | [.name, .version, .db_path, (.layer.index | tostring)] | @tsv' img.json)
want=$(printf 'requests\t%s\t/usr/local/lib/python3.11/dist-packages/%s/PKG-INFO\t3' "$rver" "$rinfo")
[ "$got" = "$want" ] || t_fail "pypi packages: want '$want', got '$got'"
[ "$(jq '[.packages[] | select(.type == "deb")] | length' img.json)" -gt 80 ] || t_fail "the Debian packages are missing"

# the deb's files without dpkg's records: the same egg-info is a pypi package
rm -rf l3/var/lib/dpkg
t_run_lading dir.json sbom -q -f json "dir:$T_TMP/l3" || t_done
got=$(jq -r '.packages[] | select(.type == "pypi") | [.name, .version, .db_path] | @tsv' dir.json | LC_ALL=C sort)
uname=$(sed -n 's/^Name: //p' "l3$egg" | head -1)
upy=$(sed -n 's/^Version: //p' "l3$egg" | head -1)
want=$(printf 'requests\t%s\t/usr/local/lib/python3.11/dist-packages/%s/PKG-INFO\n%s\t%s\t%s' "$rver" "$rinfo" \
	"$uname" "$upy" "$egg" | LC_ALL=C sort)
[ "$got" = "$want" ] || t_fail "without dpkg records: want '$want', got '$got'"
t_say "deb python3-urllib3 $uver reported once; unowned requests $rver kept"
t_done
