#!/bin/sh
# SemVer versions: lading's comparator against node's semver package (pinned
# in tests/cli/semver-oracle/package-lock.json, installed there with `npm ci`
# on first use), one node process for every pair: 12,000 generated pairs plus
# the RustSec OSV feed's versions, npm advisories' ranges and the corpus's
# npm/yarn/Cargo/NuGet lock files when present; then the RustSec ranges
# (introduced < fixed). tests/cli/gen_versions_lang.py makes the pairs and
# judges the answers.
. "$(dirname "$0")/lib.sh"

t_need_tool python3
command -v node >/dev/null 2>&1 || t_skip "node is not installed (Debian package nodejs)"
[ -x "${LADING_TOOLS:-}/vercmp" ] || t_fatal "LADING_TOOLS must name the directory holding the built vercmp"
dir=tests/cli/semver-oracle
if [ ! -f "$dir/node_modules/semver/package.json" ]; then
	command -v npm >/dev/null 2>&1 || t_skip "npm is not installed, and $dir/node_modules is missing"
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1) ||
		t_skip "npm ci in $dir failed (npm registry unreachable?)"
fi
t_tmpdir
t_say "reference: node $(node --version), semver $(node -p 'require("./'$dir'/node_modules/semver/package.json").version')"

corpus=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$corpus" ]; then set -- --corpus "$corpus"; else t_say "corpus not found at $corpus: generated pairs only"; set --; fi
python3 tests/cli/gen_versions_lang.py run --scheme semver --vercmp "$LADING_TOOLS/vercmp" --tmp "$T_TMP" "$@" \
	-- node "$dir/oracle.js" || t_fail "vercmp semver disagrees with node's semver (above)"
t_done
