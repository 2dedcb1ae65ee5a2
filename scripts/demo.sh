#!/bin/sh
# The last step of `make demo`: what is inside the Debian bookworm image that
# scripts/build-fixtures.sh built from Debian's archive, and which known
# vulnerabilities affect it.
#
#   sh scripts/demo.sh [LADING]
#
# The vulnerabilities need data: the Debian Security Tracker, downloaded with
# `lading db update --only debian-tracker` into the default database (the one
# a later `lading scan` uses). When the feed cannot be reached, the demo says
# so plainly, with what to do, and still shows the bill of materials: it never
# shows the image as clean for want of data.
#
# Environment: LADING_DB (the database, as for lading), LADING_DEMO_SOURCES (a
# sources file for `db update --sources-file`, to use a mirror; then every
# source in it is updated), LADING_FIXTURES (where the fixture is).
# Exit status: 0 (the demo ran, with or without feeds), 1 a step failed.
set -u

REPO=$(cd "$(dirname "$0")/.." && pwd)
LADING=${1:-$REPO/build/lading}
FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}/bookworm
IMG="oci:$FIX/oci:bookworm"
# as the user would type it from the repository
SHOWN_IMG="oci:${FIX#"$REPO"/}/oci:bookworm"

say() { printf '\n== %s\n\n' "$*"; }

[ -x "$LADING" ] || { echo "demo: $LADING is not built (run make)" >&2; exit 1; }
[ -d "$FIX/oci" ] || { echo "demo: no fixture at $FIX (run scripts/build-fixtures.sh)" >&2; exit 1; }

say "What is inside: lading sbom $SHOWN_IMG"
"$LADING" sbom -q -f table "$IMG" || { echo "demo: lading sbom failed" >&2; exit 1; }

if [ -n "${LADING_DEMO_SOURCES:-}" ]; then
	say "Vulnerability data: lading db update --sources-file $LADING_DEMO_SOURCES"
	set -- --sources-file "$LADING_DEMO_SOURCES"
else
	say "Vulnerability data: lading db update --only debian-tracker"
	set -- --only debian-tracker
fi
log=$(mktemp "${TMPDIR:-/tmp}/lading-demo.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
"$LADING" db update "$@" >"$log" 2>&1
urc=$?
cat "$log"
if [ "$urc" -ne 0 ]; then
	reason=$(sed -n 's/^[^ ]*: failed: //p' "$log" | head -1)
	cat <<EOF

The vulnerability feed could not be downloaded from this machine${reason:+:
  $reason}
so this demo cannot say which vulnerabilities affect the image. (lading never
reports an image as clean for want of data: a scan without a database fails.)

To see them:
  - on a machine that reaches https://security-tracker.debian.org, run
      build/lading db update            (all feeds; or --only debian-tracker)
  - or name a mirror of the feeds:  build/lading db update --sources-file FILE
    (lines 'NAME TYPE URL'; 'build/lading db update --list' prints the defaults)
  - or import a feed file you downloaded elsewhere:
      build/lading db import --type debian-tracker tracker.json
then:
  build/lading scan $SHOWN_IMG
EOF
	exit 0
fi

say "Vulnerabilities: lading scan $SHOWN_IMG"
cat <<'EOF'
(This image is the test fixture: its top layer purges tzdata and curl and
deletes /usr/share/man/man8 and /etc/issue.net on purpose, so that it carries
whiteouts. The file integrity check below therefore reports those files as
missing from the packages that installed them: that is the check working.)

EOF
"$LADING" scan -q -f table "$IMG"
src=$?
[ "$src" -eq 0 ] || { echo "demo: lading scan failed (exit $src)" >&2; exit 1; }
exit 0
