#!/bin/sh
# Builds the real Debian image fixtures that the CLI tests scan, and the
# expected package lists for them, without a Docker engine.
#
# For each suite (bookworm, bullseye) it makes a three-layer OCI image with
# umoci: layer 0 is a debootstrap --variant=minbase root file system, layer 1
# adds real Debian packages with apt-get in a chroot, layer 2 purges a package
# of each lower layer and deletes files, so that the layer carries whiteouts,
# and installs one more package. Between layers 0 and
# 1 a config-only step adds an empty_layer history entry, as ENV/CMD lines of
# a Dockerfile do, so history entries and layers are not one-to-one. Each
# image is written three ways (OCI layout, oci-archive, docker-archive), and
# the expected lists come from the real dpkg-query run on the real root file
# systems, never from lading itself.
#
# Output, under .cache/fixtures/<suite>/ (or $LADING_FIXTURES/<suite>/):
#   oci/                  OCI image layout, tag <suite>
#   oci-archive.tar       the same as an oci-archive, tag <suite>
#   docker-archive.tar    the same as a docker-archive, lading-fixture/debian:<suite>
#   expected.tsv          package, version, source, source version, arch (LC_ALL=C sorted)
#   expected-layers.tsv   package, index of the layer that installed it
#   layer<N>.tsv          dpkg-query output after layer N (for debugging)
#   stamp                 FIXTURE_VERSION the directory was built with
#
# Cached and idempotent: a suite whose stamp matches FIXTURE_VERSION is not
# rebuilt, so a second run takes seconds. Downloads are cached too
# (.cache/fixtures/downloads/), so after the first run a rebuild works offline.
# Bump FIXTURE_VERSION whenever this script's output would change.
#
# Exit status: 0 ok, 77 when a build is needed but cannot happen here (not
# root, a tool missing, or the Debian mirror unreachable), anything else is a
# failure. Needs root (debootstrap, chroot, device nodes).
set -eu

FIXTURE_VERSION=4
# Another mirror (a local one) gives other package versions: bump
# FIXTURE_VERSION or remove .cache/fixtures when switching.
MIRROR=${LADING_FIXTURE_MIRROR:-http://deb.debian.org/debian}
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LADING_FIXTURES:-$REPO/.cache/fixtures}
SUITES=${LADING_FIXTURE_SUITES:-"bookworm bullseye"}
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Packages added in layer 1; the first one is purged again in layer 2.
extra_packages() {
	case $1 in
	bookworm) echo "curl ca-certificates openssl libsqlite3-0 python3-minimal" ;;
	bullseye) echo "curl ca-certificates libsqlite3-0" ;;
	*) die "no package set for suite $1" ;;
	esac
}
# A package of the minbase layer (0) that nothing else needs, purged in layer
# 2 so that a lower-layer package disappears too, not only a layer-1 one.
base_purge() {
	case $1 in
	bookworm | bullseye) echo "tzdata" ;;
	*) die "no purge choice for suite $1" ;;
	esac
}

T0=$(date +%s)
say() { printf 'build-fixtures [%4ss]: %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() {
	printf 'build-fixtures: FAILED: %s\n' "$*" >&2
	exit 1
}
skip() {
	printf 'build-fixtures: cannot build fixtures here: %s\n' "$*" >&2
	exit 77
}

stamp_ok() { [ -f "$CACHE/$1/stamp" ] && [ "$(cat "$CACHE/$1/stamp")" = "$FIXTURE_VERSION" ]; }

need_build=""
for s in $SUITES; do
	stamp_ok "$s" || need_build="$need_build $s"
done
if [ -z "$need_build" ]; then
	say "fixtures up to date (version $FIXTURE_VERSION) in $CACHE"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || skip "building needs root (debootstrap, chroot)"
for tool in debootstrap umoci skopeo jq dpkg-query chroot flock tar gzip curl; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (run scripts/setup.sh)"
done

mkdir -p "$CACHE/downloads"
# Two test runs may start this at once: the second one waits, then finds the
# stamps written by the first.
exec 9>"$CACHE/.lock"
flock 9

WORK=""
cleanup() {
	rc=$?
	# debootstrap mounts /proc and /sys in its target while it installs; if it
	# was interrupted they are still there. Deepest first.
	if [ -n "$WORK" ]; then
		awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null || true; done
	fi
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		# --one-file-system: never follow a mount that survived into the host.
		rm -rf --one-file-system "$WORK"
	fi
	[ "$rc" -eq 0 ] || printf 'build-fixtures: exit %s, temporary files removed\n' "$rc" >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mirror_reachable() {
	curl -fsS -m 20 -o /dev/null "$MIRROR/dists/$1/Release" 2>/dev/null
}

# dpkg-query exactly as the corpus's expected lists were made.
dpkg_list() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W \
		-f '${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}\n' |
		LC_ALL=C sort
}

# Fails if the database lists a package that is not fully installed: the
# expected lists must hold only "install ok installed" packages, which is what
# lading reports.
check_all_installed() {
	bad=$(dpkg-query --admindir="$1/var/lib/dpkg" -W -f '${Package} ${Status}\n' |
		grep -v ' install ok installed$' || true)
	[ -z "$bad" ] || die "packages not fully installed in $1: $bad"
}

in_chroot() {
	root=$1
	shift
	env -i PATH="$CHROOT_PATH" HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive \
		chroot "$root" "$@"
}

# Downloads (once) the .debs of a minbase system into a tarball, then installs
# from it: the tarball is the debootstrap download cache.
debootstrap_base() {
	suite=$1 target=$2
	tarball="$CACHE/downloads/$suite-minbase-debs.tgz"
	if [ ! -s "$tarball" ]; then
		mirror_reachable "$suite" || skip "$MIRROR is unreachable (needed to download $suite)"
		say "$suite: downloading minbase packages (debootstrap --make-tarball)"
		rm -f "$tarball.part"
		debootstrap --variant=minbase --make-tarball="$tarball.part" "$suite" "$WORK/mk-$suite" "$MIRROR" \
			>"$WORK/debootstrap-dl-$suite.log" 2>&1 ||
			{ tail -20 "$WORK/debootstrap-dl-$suite.log" >&2; die "debootstrap --make-tarball $suite"; }
		mv "$tarball.part" "$tarball"
		rm -rf "$WORK/mk-$suite"
	fi
	say "$suite: debootstrap --variant=minbase from the cached tarball ($(du -h "$tarball" | cut -f1))"
	debootstrap --variant=minbase --unpack-tarball="$tarball" "$suite" "$target" "$MIRROR" \
		>"$WORK/debootstrap-$suite.log" 2>&1 ||
		{ tail -20 "$WORK/debootstrap-$suite.log" >&2; die "debootstrap $suite"; }
	# --unpack-tarball leaves the .debs in the apt cache; a real base image has none.
	find "$target/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -delete
}

# apt-get install in the chroot, with the package lists and .debs kept in
# .cache/fixtures/downloads/apt-<suite>/ so a rebuild does not download again.
apt_install() {
	suite=$1 root=$2
	shift 2
	aptc="$CACHE/downloads/apt-$suite"
	mkdir -p "$aptc/archives" "$aptc/lists"
	# Name resolution inside the chroot; the original file is put back so that
	# the host's resolver does not end up in the layer.
	had_resolv=0
	if [ -e "$root/etc/resolv.conf" ] || [ -L "$root/etc/resolv.conf" ]; then
		had_resolv=1
		mv "$root/etc/resolv.conf" "$WORK/resolv.conf.saved"
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	# Take what earlier builds downloaded.
	find "$aptc/archives" -maxdepth 1 -name '*.deb' -exec cp {} "$root/var/cache/apt/archives/" \;
	fresh_lists=0
	if [ -n "$(ls "$aptc/lists" 2>/dev/null)" ]; then
		say "$suite: using cached apt lists"
		cp -a "$aptc/lists/." "$root/var/lib/apt/lists/"
	else
		mirror_reachable "$suite" || skip "$MIRROR is unreachable (needed for apt-get update)"
		say "$suite: apt-get update"
		in_chroot "$root" apt-get -q update >"$WORK/apt-$suite.log" 2>&1 ||
			{ tail -20 "$WORK/apt-$suite.log" >&2; die "apt-get update in $suite chroot"; }
		fresh_lists=1
	fi
	say "$suite: apt-get install --no-install-recommends $*"
	if ! in_chroot "$root" apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends "$@" \
		>>"$WORK/apt-$suite.log" 2>&1; then
		[ "$fresh_lists" -eq 0 ] || { tail -30 "$WORK/apt-$suite.log" >&2; die "apt-get install in $suite"; }
		# Cached lists can name .debs the mirror has since dropped: refresh once.
		say "$suite: install from cached lists failed, refreshing them"
		mirror_reachable "$suite" || skip "$MIRROR is unreachable (needed for apt-get update)"
		in_chroot "$root" apt-get -q update >>"$WORK/apt-$suite.log" 2>&1 ||
			{ tail -20 "$WORK/apt-$suite.log" >&2; die "apt-get update in $suite chroot"; }
		fresh_lists=1
		in_chroot "$root" apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends "$@" \
			>>"$WORK/apt-$suite.log" 2>&1 ||
			{ tail -30 "$WORK/apt-$suite.log" >&2; die "apt-get install in $suite"; }
	fi
	find "$root/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -exec cp -n {} "$aptc/archives/" \;
	if [ "$fresh_lists" -eq 1 ]; then
		rm -rf "$aptc/lists"
		mkdir -p "$aptc/lists"
		cp -a "$root/var/lib/apt/lists/." "$aptc/lists/"
		rm -f "$aptc/lists/lock"
	fi
	# What a careful Dockerfile does: no downloaded .debs or lists in the layer.
	in_chroot "$root" apt-get clean
	find "$root/var/lib/apt/lists" -mindepth 1 -maxdepth 1 ! -name partial ! -name lock \
		-exec rm -rf {} +
	rm -f "$root/etc/resolv.conf"
	[ "$had_resolv" -eq 0 ] || mv "$WORK/resolv.conf.saved" "$root/etc/resolv.conf"
}

# Digest path of layer N of image $1:$2.
layer_blob() {
	layout=$1 tag=$2 n=$3
	mdig=$(jq -r --arg t "$tag" \
		'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
		"$layout/index.json")
	[ -n "$mdig" ] || die "tag $tag not in $layout/index.json"
	ldig=$(jq -r --argjson n "$n" '.layers[$n].digest' "$layout/blobs/sha256/${mdig#sha256:}")
	[ "$ldig" != null ] || die "image $layout:$tag has no layer $n"
	echo "$layout/blobs/sha256/${ldig#sha256:}"
}

build_suite() {
	suite=$1
	say "$suite: building fixture version $FIXTURE_VERSION"
	out="$WORK/out-$suite"
	layout="$out/oci"
	bundle="$WORK/bundle-$suite"
	root="$bundle/rootfs"
	mkdir -p "$out"

	debootstrap_base "$suite" "$WORK/base-$suite"

	umoci init --layout "$layout"
	umoci new --image "$layout:$suite"
	umoci unpack --image "$layout:$suite" "$bundle" >/dev/null

	# Layer 0: the minbase system, copied into the bundle so umoci sees it as
	# new content. tar keeps owners, modes, device nodes and hard links.
	say "$suite: layer 0 (minbase)"
	(cd "$WORK/base-$suite" && tar --numeric-owner --xattrs -cf - .) |
		(cd "$root" && tar --numeric-owner --xattrs -xpf -)
	rm -rf --one-file-system "$WORK/base-$suite"
	umoci repack --refresh-bundle --image "$layout:$suite" \
		--history.created_by "debootstrap --variant=minbase $suite / $MIRROR" "$bundle"
	check_all_installed "$root"
	dpkg_list "$root" >"$out/layer0.tsv"

	# A config-only step: a history entry with empty_layer and no layer.
	# repack builds on the manifest the bundle was unpacked from, which would
	# drop this config change: unpack again so the next layers sit on top of it.
	umoci config --image "$layout:$suite" --config.cmd /bin/bash \
		--history.created_by '/bin/sh -c #(nop)  CMD ["/bin/bash"]'
	rm -rf --one-file-system "$bundle"
	umoci unpack --image "$layout:$suite" "$bundle" >/dev/null

	# Layer 1: real packages from the archive.
	say "$suite: layer 1 (apt-get install)"
	# shellcheck disable=SC2046
	apt_install "$suite" "$root" $(extra_packages "$suite")
	umoci repack --refresh-bundle --image "$layout:$suite" \
		--history.created_by "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends $(extra_packages "$suite") && apt-get clean" \
		"$bundle"
	check_all_installed "$root"
	dpkg_list "$root" >"$out/layer1.tsv"

	# Layer 2: purge one package of layer 1 and one of layer 0, and delete
	# files of both lower layers, so the layer holds .wh. whiteouts.
	say "$suite: layer 2 (dpkg --purge, rm)"
	p1=$(extra_packages "$suite" | cut -d' ' -f1)
	p0=$(base_purge "$suite")
	grep -q "^$p0	" "$out/layer0.tsv" || die "$p0 is not in the $suite minbase layer"
	in_chroot "$root" dpkg --purge "$p1" "$p0" >"$WORK/purge-$suite.log" 2>&1 ||
		{ cat "$WORK/purge-$suite.log" >&2; die "dpkg --purge $p1 $p0 in $suite"; }
	rm -rf "$root/usr/share/doc/$p1" "$root/usr/share/man/man8" "$root/etc/issue.net"
	# And one new package, so that some packages belong to the top layer.
	apt_install "$suite" "$root" less
	umoci repack --refresh-bundle --image "$layout:$suite" \
		--history.created_by "/bin/sh -c dpkg --purge $p1 $p0 && rm -rf /usr/share/man/man8 /etc/issue.net && apt-get install -y --no-install-recommends less" \
		"$bundle"
	check_all_installed "$root"
	dpkg_list "$root" >"$out/layer2.tsv"
	! grep -q "^$p1	" "$out/layer2.tsv" || die "$p1 still listed after purge"

	blob=$(layer_blob "$layout" "$suite" 2)
	nwh=$(tar -tzf "$blob" | grep -c '\(^\|/\)\.wh\.' || true)
	[ "$nwh" -gt 0 ] || die "layer 2 of $suite has no whiteout entry"
	say "$suite: layer 2 has $nwh whiteout entries"
	umoci gc --layout "$layout"

	# Expected list from the FINAL image, unpacked afresh: whatever umoci
	# stored is what lading must read.
	say "$suite: expected lists from the final image"
	umoci unpack --image "$layout:$suite" "$WORK/final-$suite" >/dev/null
	check_all_installed "$WORK/final-$suite/rootfs"
	dpkg_list "$WORK/final-$suite/rootfs" >"$out/expected.tsv"
	rm -rf --one-file-system "$WORK/final-$suite"
	cmp -s "$out/expected.tsv" "$out/layer2.tsv" ||
		die "final image of $suite differs from the rootfs it was built from"
	[ "$(wc -l <"$out/expected.tsv")" -gt 50 ] || die "$suite: implausibly few packages"

	# A package's layer is the first layer from which it is present, with its
	# final version and architecture, in every later layer.
	awk -F'\t' '
		FNR == 1 { n++ }
		{ v[n, $1] = $2 "\t" $5 }
		END {
			for (k in v) {
				split(k, kk, SUBSEP)
				if (kk[1] != n) continue
				p = kk[2]; l = n
				while (l > 1 && ((l - 1, p) in v) && v[l - 1, p] == v[n, p]) l--
				printf "%s\t%d\n", p, l - 1
			}
		}' "$out/layer0.tsv" "$out/layer1.tsv" "$out/layer2.tsv" | LC_ALL=C sort >"$out/expected-layers.tsv"

	say "$suite: oci-archive and docker-archive (skopeo)"
	skopeo --insecure-policy copy -q "oci:$layout:$suite" "oci-archive:$out/oci-archive.tar:$suite"
	skopeo --insecure-policy copy -q "oci:$layout:$suite" \
		"docker-archive:$out/docker-archive.tar:lading-fixture/debian:$suite"

	echo "$FIXTURE_VERSION" >"$out/stamp"
	rm -rf --one-file-system "$bundle"
	rm -rf "${CACHE:?}/${suite:?}"
	mv "$out" "$CACHE/$suite"
	say "$suite: done: $(wc -l <"$CACHE/$suite/expected.tsv") packages, layers:" \
		"$(cut -f2 "$CACHE/$suite/expected-layers.tsv" | sort | uniq -c | tr -s ' \n' ' ')"
}

# The work directory sits in the cache so the final rename stays on one file system.
WORK=$(mktemp -d "$CACHE/tmp.XXXXXX")
for s in $need_build; do
	# Another run may have built it while this one waited for the lock.
	if stamp_ok "$s"; then
		say "$s: already built"
		continue
	fi
	build_suite "$s"
done
say "all fixtures built in $CACHE (downloads cached: $(du -sh "$CACHE/downloads" | cut -f1))"
