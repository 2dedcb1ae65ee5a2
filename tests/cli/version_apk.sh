#!/bin/sh
# lading's apk version comparator. Debian has no apk-tools, so the oracle is
# the model of apk-tools' rules in tests/cli/gen_versions.py (a regular
# expression and a sort key, built differently from src/version/apk.c; see
# docs/versions-distro.md), run on >= 10,000 pairs: grammar + real versions
# from the Alpine secdb and the Alpine images' package lists. The outside
# evidence is the secdb itself: its secfixes lists are in release order
# (newest first, older history appended), and are checked against that shape.
. "$(dirname "$0")/lib.sh"

VERCMP=${LADING_TOOLS:-$(dirname "${LADING:-build/lading}")/tools}/vercmp
[ -x "$VERCMP" ] || t_skip "vercmp test tool not built at $VERCMP (make tools; run through make test-cli)"
t_need_tool python3

t_tmpdir
CORPUS=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$CORPUS" ]; then
	t_say "corpus: $CORPUS"
else
	t_say "corpus not found at $CORPUS (set LADING_CORPUS): generated pairs only, no secdb order check"
fi
GEN=$(dirname "$0")/gen_versions.py
python3 "$GEN" --scheme apk --outdir "$T_TMP" --corpus "$CORPUS" || t_fatal "gen_versions.py failed"
"$VERCMP" apk <"$T_TMP/pairs.tsv" >"$T_TMP/ours.txt" || t_fatal "vercmp failed"
cut -f1,2 "$T_TMP/ordered.tsv" | "$VERCMP" apk >"$T_TMP/ours-ordered.txt" || t_fatal "vercmp failed"
rc=0
python3 "$GEN" --verify apk --outdir "$T_TMP" >"$T_TMP/report" 2>&1 || rc=$?
sed "s/^/$T_NAME: /" "$T_TMP/report"
[ "$rc" -eq 0 ] || t_fail "lading's apk comparator differs from the apk model (report above)"
t_done
