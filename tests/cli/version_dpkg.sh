#!/bin/sh
# lading's dpkg version comparator against Debian's own: >= 10,000 pairs from
# tests/cli/gen_versions.py (grammar + real versions from the corpus's DSA/DLA
# lists, dpkg databases and Ubuntu tracker) compared in one process with
# python3-apt's apt_pkg.version_compare (apt's copy of dpkg's algorithm); the
# real `dpkg --compare-versions` then judges the edge cases, every pair lading
# refuses, and 300 random pairs (which must also agree with apt_pkg). Also
# checks successive fixed versions from the DSA/DLA lists (chronological).
. "$(dirname "$0")/lib.sh"

VERCMP=${LADING_TOOLS:-$(dirname "${LADING:-build/lading}")/tools}/vercmp
[ -x "$VERCMP" ] || t_skip "vercmp test tool not built at $VERCMP (make tools; run through make test-cli)"
t_need_tool dpkg
PY=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import apt_pkg' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || t_skip "no python3 with the apt_pkg module (Debian package python3-apt)"

t_tmpdir
CORPUS=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$CORPUS" ]; then
	t_say "corpus: $CORPUS"
else
	t_say "corpus not found at $CORPUS (set LADING_CORPUS): generated pairs only, no feed-order check"
fi
GEN=$(dirname "$0")/gen_versions.py
"$PY" "$GEN" --scheme dpkg --outdir "$T_TMP" --corpus "$CORPUS" || t_fatal "gen_versions.py failed"
"$VERCMP" dpkg <"$T_TMP/pairs.tsv" >"$T_TMP/ours.txt" || t_fatal "vercmp failed"
cut -f1,2 "$T_TMP/ordered.tsv" | "$VERCMP" dpkg >"$T_TMP/ours-ordered.txt" || t_fatal "vercmp failed"
rc=0
"$PY" "$GEN" --verify dpkg --outdir "$T_TMP" >"$T_TMP/report" 2>&1 || rc=$?
sed "s/^/$T_NAME: /" "$T_TMP/report"
[ "$rc" -eq 0 ] || t_fail "lading's dpkg comparator differs from the reference (report above)"
t_done
