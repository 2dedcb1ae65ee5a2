#!/bin/sh
# Proves the README on a fresh Debian 12: debootstraps a clean bookworm root
# (no ../shared corpus, no packages beyond a default install, no Node.js, no
# cached fixtures), copies the committed tree into it and runs the README's
# two commands there, as root, with a clean environment:
#
#   sh scripts/setup.sh && make demo
#   make test
#
# Usage: sh scripts/fresh-root.sh [--keep] [--only-demo]
#   --keep        leave the root in place afterwards (for a look inside)
#   --only-demo   run the first command only
# Environment: LADING_FRESH_DIR (default .cache/fresh-root; the root is
# rebuilt from a cached debootstrap tarball on every run), LADING_FIXTURE_MIRROR
# (a Debian mirror; default deb.debian.org).
#
# Needs root (debootstrap, chroot, mounts) and Debian's archive. Takes about
# 9 minutes on 2 cores (535 s on 2026-12-07, the base tarball cached; making
# it the first time adds about a minute): .ci/run runs it on every CI run
# (LADING_FRESH_ROOT=0 leaves it out). Exit status: 0 both commands passed,
# 77 cannot run here (not root,
# no debootstrap, mirror unreachable), anything else a failure (the log says
# which command).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LADING_FRESH_DIR:-$REPO/.cache/fresh-root}
MIRROR=${LADING_FIXTURE_MIRROR:-http://deb.debian.org/debian}
KEEP=0 ONLY_DEMO=0
for a in "$@"; do
	case $a in
	--keep) KEEP=1 ;;
	--only-demo) ONLY_DEMO=1 ;;
	-h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "fresh-root: unknown argument '$a'" >&2; exit 2 ;;
	esac
done

T0=$(date +%s)
say() { printf 'fresh-root [%5ss]: %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
skip() { printf 'fresh-root: cannot run here: %s\n' "$*" >&2; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed (apt-get install debootstrap)"
command -v git >/dev/null 2>&1 || skip "git is not installed (the committed tree is copied with git archive)"

ROOT=$DIR/root
BASE=$DIR/bookworm-base.tar
mkdir -p "$DIR"

mounted=""
cleanup() {
	for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
	if [ "$KEEP" -eq 0 ] && [ -d "$ROOT" ]; then
		rm -rf --one-file-system "$ROOT"
	fi
}
trap cleanup EXIT INT TERM

# A default debootstrap (priorities required and important: what a fresh
# netinst without tasks has, less the kernel), made once and kept as a
# tarball so later runs start from the same pristine root.
if [ ! -s "$BASE" ]; then
	say "debootstrap bookworm from $MIRROR (once; cached in $BASE)"
	rm -rf --one-file-system "$DIR/mk"
	debootstrap bookworm "$DIR/mk" "$MIRROR" >"$DIR/debootstrap.log" 2>&1 ||
		{ tail -20 "$DIR/debootstrap.log" >&2; skip "debootstrap failed (is $MIRROR reachable?)"; }
	(cd "$DIR/mk" && tar --numeric-owner -cf "$BASE.part" .)
	mv "$BASE.part" "$BASE"
	rm -rf --one-file-system "$DIR/mk"
fi

say "fresh root in $ROOT"
[ ! -d "$ROOT" ] || rm -rf --one-file-system "$ROOT"
mkdir -p "$ROOT"
(cd "$ROOT" && tar --numeric-owner -xpf "$BASE")
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
# The network's trust is the machine's, not the project's: a site CA that
# this machine added (an egress proxy's) is carried over, as the machine's
# own install would have it; update-ca-certificates runs when setup.sh
# installs ca-certificates.
if [ -d /usr/local/share/ca-certificates ]; then
	mkdir -p "$ROOT/usr/local/share/ca-certificates"
	cp -a /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
fi
# An apt source as a fresh install has, with the security archive.
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://security.debian.org/debian-security bookworm-security main
EOF

for m in proc sys dev dev/pts; do
	mkdir -p "$ROOT/$m"
	case $m in
	proc) mount -t proc proc "$ROOT/proc" ;;
	sys) mount -t sysfs sysfs "$ROOT/sys" ;;
	dev) mount --bind /dev "$ROOT/dev" ;;
	dev/pts) mount -t devpts devpts "$ROOT/dev/pts" ;;
	esac
	mounted="$ROOT/$m $mounted"
done
mkdir -p "$ROOT/tmp" && chmod 1777 "$ROOT/tmp"

# The committed tree only (what a clone has): no build output, no caches.
say "copying the committed tree ($(git -C "$REPO" rev-parse --short HEAD)) to /root/lading"
mkdir -p "$ROOT/root/lading"
git -C "$REPO" archive HEAD | tar -xf - -C "$ROOT/root/lading"
[ ! -e "$ROOT/root/shared" ] || { echo "fresh-root: $ROOT/root/shared exists" >&2; exit 1; }

# A clean environment, but for the variables that point programs at the
# machine's CA bundle (same path inside the root once ca-certificates is in).
ca_env=""
for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE CURL_CA_BUNDLE; do
	eval "val=\${$v:-}"
	[ -z "$val" ] || ca_env="$ca_env $v=$val"
done
in_root() {
	# shellcheck disable=SC2086
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 TERM=dumb $ca_env chroot "$ROOT" /bin/sh -c "cd /root/lading && $1"
}

rc=0
say "command 1: sh scripts/setup.sh && make demo"
in_root 'sh scripts/setup.sh && make demo' >"$DIR/demo.log" 2>&1 || rc=$?
say "command 1 exited $rc (log: $DIR/demo.log)"
tail -25 "$DIR/demo.log" | sed 's/^/  | /' >&2
if [ "$rc" -ne 0 ]; then
	echo "fresh-root: FAILED: 'sh scripts/setup.sh && make demo' exited $rc" >&2
	exit 1
fi
if [ "$ONLY_DEMO" -eq 0 ]; then
	say "command 2: make test"
	in_root 'make test' >"$DIR/test.log" 2>&1 || rc=$?
	say "command 2 exited $rc (log: $DIR/test.log)"
	grep -E '^(unit|cli): |^FAILED|SKIP' "$DIR/test.log" | sed 's/^/  | /' >&2 || true
	if [ "$rc" -ne 0 ]; then
		tail -40 "$DIR/test.log" | sed 's/^/  | /' >&2
		echo "fresh-root: FAILED: 'make test' exited $rc" >&2
		exit 1
	fi
fi
say "passed: the README's commands work on a fresh Debian 12 root"
