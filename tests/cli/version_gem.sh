#!/bin/sh
# RubyGems versions: lading's comparator against Gem::Version#<=> (Debian's
# ruby, one process for every pair) on 12,000 generated pairs plus real
# versions from the corpus's Gemfile.lock and gemspec fixtures when present.
# tests/cli/gen_versions_lang.py makes the pairs and judges the answers.
. "$(dirname "$0")/lib.sh"

t_need_tool python3
command -v ruby >/dev/null 2>&1 || t_skip "ruby is not installed (Debian package ruby; run scripts/setup.sh)"
[ -x "${LADING_TOOLS:-}/vercmp" ] || t_fatal "LADING_TOOLS must name the directory holding the built vercmp"
t_tmpdir

cat >"$T_TMP/oracle.rb" <<'RUBY'
# "A<TAB>B" lines in, Gem::Version's -1/0/1 out, or ERR when correct? refuses.
STDIN.binmode
out = []
STDIN.read.split("\n").each do |line|
  a, b = line.split("\t", 2)
  if b.nil? || !Gem::Version.correct?(a) || !Gem::Version.correct?(b)
    out << "ERR"
  else
    out << (Gem::Version.new(a) <=> Gem::Version.new(b)).to_s
  end
end
STDOUT.write(out.map { |x| x + "\n" }.join)
RUBY
t_say "reference: ruby $(ruby -e 'print RUBY_VERSION') with RubyGems $(ruby -e 'print Gem::VERSION')"

corpus=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$corpus" ]; then set -- --corpus "$corpus"; else t_say "corpus not found at $corpus: generated pairs only"; set --; fi
python3 tests/cli/gen_versions_lang.py run --scheme gem --vercmp "$LADING_TOOLS/vercmp" --tmp "$T_TMP" "$@" \
	-- ruby "$T_TMP/oracle.rb" || t_fail "vercmp gem disagrees with Gem::Version (above)"
t_done
