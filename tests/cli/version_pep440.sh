#!/bin/sh
# Python versions: lading's comparator against packaging.version.Version
# (Debian's python3-packaging), one Python process for every pair: 12,000
# generated pairs plus the PyPI OSV feed's versions and the corpus's Python
# lock files when present; then the feed's ranges (introduced < fixed).
# tests/cli/gen_versions_lang.py makes the pairs and judges the answers.
. "$(dirname "$0")/lib.sh"

t_need_tool python3
py=""
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import packaging.version' >/dev/null 2>&1; then
		py=$p
		break
	fi
done
[ -n "$py" ] || t_skip "no python3 with the packaging module (Debian package python3-packaging)"
[ -x "${LADING_TOOLS:-}/vercmp" ] || t_fatal "LADING_TOOLS must name the directory holding the built vercmp"
t_tmpdir

cat >"$T_TMP/oracle.py" <<'PY'
# "A<TAB>B" lines in, packaging's -1/0/1 out, or ERR when Version() raises
# (InvalidVersion, or ValueError for a number past Python's 4300 digits).
import sys
from packaging.version import InvalidVersion, Version

seen = {}


def parse(s):
    if s not in seen:
        try:
            seen[s] = Version(s)
        except (InvalidVersion, ValueError):
            seen[s] = None
    return seen[s]


out = []
for line in sys.stdin.buffer.read().split(b"\n")[:-1]:
    a, tab, b = line.decode("utf-8", "surrogateescape").partition("\t")
    x, y = parse(a), parse(b)
    out.append("ERR" if not tab or x is None or y is None else "-1" if x < y else "1" if x > y else "0")
sys.stdout.write("".join(o + "\n" for o in out))
PY
t_say "reference: packaging $("$py" -c 'import packaging; print(packaging.__version__)') ($py)"

corpus=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$corpus" ]; then set -- --corpus "$corpus"; else t_say "corpus not found at $corpus: generated pairs only"; set --; fi
python3 tests/cli/gen_versions_lang.py run --scheme pep440 --vercmp "$LADING_TOOLS/vercmp" --tmp "$T_TMP" "$@" \
	-- "$py" "$T_TMP/oracle.py" || t_fail "vercmp pep440 disagrees with packaging (above)"
t_done
