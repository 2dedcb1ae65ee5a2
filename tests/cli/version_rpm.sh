#!/bin/sh
# lading's rpm version comparator against rpm itself: >= 10,000 pairs from
# tests/cli/gen_versions.py (grammar + real EVRs from the corpus's rpm
# databases, Photon OVAL and Red Hat CSAF files), answered in one process by
# rpm's embedded Lua: rpm.vercmp() is rpmverCmp() on rpmverParse()d
# "[E:]V[-R]" strings, i.e. librpm's own code.
. "$(dirname "$0")/lib.sh"

VERCMP=${LADING_TOOLS:-$(dirname "${LADING:-build/lading}")/tools}/vercmp
[ -x "$VERCMP" ] || t_skip "vercmp test tool not built at $VERCMP (make tools; run through make test-cli)"
t_need_tool rpm python3
[ "$(rpm --eval '%{lua: print(type(rpm.vercmp) == "function" and type(io.lines) == "function")}' 2>/dev/null)" = true ] ||
	t_skip "this rpm has no Lua rpm.vercmp() (rpm >= 4.16 needed)"

t_tmpdir
CORPUS=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$CORPUS" ]; then
	t_say "corpus: $CORPUS"
else
	t_say "corpus not found at $CORPUS (set LADING_CORPUS): generated pairs only"
fi
GEN=$(dirname "$0")/gen_versions.py
python3 "$GEN" --scheme rpm --outdir "$T_TMP" --corpus "$CORPUS" || t_fatal "gen_versions.py failed"
cut -f1,2 "$T_TMP/ordered.tsv" >"$T_TMP/ordered2.tsv"

# One rpm process answers every pair; rpm.vercmp() raises on a version it
# refuses, which pcall turns into ERR. (No '%' or braces in the Lua: the macro
# parser would see them.)
rpm_ref() {
	rpm --eval "%{lua:
local o = io.open('$2', 'w')
for line in io.lines('$1') do
  local t = string.find(line, '\t', 1, true)
  local ok, r = pcall(rpm.vercmp, string.sub(line, 1, t - 1), string.sub(line, t + 1))
  if ok then o:write(tostring(r), '\n') else o:write('ERR', '\n') end
end
o:close()
}" >/dev/null
}
rpm_ref "$T_TMP/pairs.tsv" "$T_TMP/ref.txt" || t_fatal "rpm failed"
rpm_ref "$T_TMP/ordered2.tsv" "$T_TMP/ref-ordered.txt" || t_fatal "rpm failed"
"$VERCMP" rpm <"$T_TMP/pairs.tsv" >"$T_TMP/ours.txt" || t_fatal "vercmp failed"
"$VERCMP" rpm <"$T_TMP/ordered2.tsv" >"$T_TMP/ours-ordered.txt" || t_fatal "vercmp failed"
rc=0
python3 "$GEN" --verify rpm --outdir "$T_TMP" --ref "$T_TMP/ref.txt" --ref-ordered "$T_TMP/ref-ordered.txt" \
	>"$T_TMP/report" 2>&1 || rc=$?
sed "s/^/$T_NAME: /" "$T_TMP/report"
[ "$rc" -eq 0 ] || t_fail "lading's rpm comparator differs from rpm (report above)"
t_done
