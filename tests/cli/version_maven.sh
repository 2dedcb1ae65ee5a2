#!/bin/sh
# Maven versions: lading's comparator against Maven's own ComparableVersion
# (Debian's maven, maven-artifact 3.8.x) in one JVM for every pair: 12,000
# generated pairs plus versions from the corpus's jar and pom fixtures when
# present. A ten-line Java program is compiled with javac at test time.
# tests/cli/gen_versions_lang.py makes the pairs and judges the answers.
. "$(dirname "$0")/lib.sh"

t_need_tool python3
for t in java javac; do
	command -v $t >/dev/null 2>&1 || t_skip "$t is not installed (Debian package default-jdk-headless)"
done
jar=""
for j in /usr/share/maven/lib/maven-artifact-3.x.jar /usr/share/java/maven3-artifact.jar /usr/share/java/maven-artifact.jar; do
	[ -f "$j" ] && { jar=$j; break; }
done
[ -n "$jar" ] || t_skip "maven-artifact jar not found (Debian package maven or libmaven3-core-java)"
[ -x "${LADING_TOOLS:-}/vercmp" ] || t_fatal "LADING_TOOLS must name the directory holding the built vercmp"
t_tmpdir

cat >"$T_TMP/MavenOracle.java" <<'JAVA'
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

/* "A<TAB>B" lines in (split on \n only, UTF-8), ComparableVersion's order out. */
public class MavenOracle {
	public static void main(String[] args) throws Exception {
		ByteArrayOutputStream buf = new ByteArrayOutputStream();
		byte[] b = new byte[65536];
		for (int n; (n = System.in.read(b)) > 0;)
			buf.write(b, 0, n);
		String all = new String(buf.toByteArray(), StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder();
		for (int start = 0; start < all.length();) {
			int nl = all.indexOf('\n', start);
			if (nl < 0)
				nl = all.length();
			String line = all.substring(start, nl);
			start = nl + 1;
			int tab = line.indexOf('\t');
			if (tab < 0) {
				out.append("ERR\n");
				continue;
			}
			int c = new ComparableVersion(line.substring(0, tab))
					.compareTo(new ComparableVersion(line.substring(tab + 1)));
			out.append(c < 0 ? "-1\n" : c > 0 ? "1\n" : "0\n");
		}
		System.out.print(out);
	}
}
JAVA
javac -cp "$jar" -d "$T_TMP" "$T_TMP/MavenOracle.java" || t_fatal "javac failed on the reference program"
t_say "reference: $(readlink -f "$jar")"

corpus=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$corpus" ]; then set -- --corpus "$corpus"; else t_say "corpus not found at $corpus: generated pairs only"; set --; fi
python3 tests/cli/gen_versions_lang.py run --scheme maven --vercmp "$LADING_TOOLS/vercmp" --tmp "$T_TMP" "$@" \
	-- java -cp "$jar:$T_TMP" MavenOracle || t_fail "vercmp maven disagrees with ComparableVersion (above)"
t_done
