/* Tests for the Java archive cataloger (src/catalog/java.c).
 *
 * Real data: go-dep-parser's jars and wars from the corpus, compared with its
 * expected.tsv (offline answers); Debian's own Java packages downloaded at
 * test time (apt-get download, dpkg-deb -x), whose jars are checked against
 * the Maven poms the same packages install; nested archives (jar in war in
 * ear, a Spring Boot style fat jar, a too-deep chain) built at test time with
 * the JDK's `jar` and `zip` from those real jars. SHA-1 digests are checked
 * against sha1sum. Hand-written inputs are used only for edge cases (line
 * endings, continuation lines, bad values, non-zip bytes) and say so. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

#include "testutil.h"

#include "catalog/catalog.h"
#include "inventory.h"

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	assert_true(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	return s;
}

/* Runs the cataloger on bytes as if the walk had met them at `path`. */
static lading_inventory *parse_bytes(const char *path, const void *data, size_t len)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	file_run r = {.inv = inv, .path = path};
	assert_int_equal(file_cataloger_java.parse(&r, sv_make(data, len)), 0);
	return inv;
}

static lading_inventory *parse_host_file(const char *path, const char *host)
{
	size_t n = 0;
	char *data = slurp(host, &n);
	assert_non_null(data);
	lading_inventory *inv = parse_bytes(path, data, n);
	free(data);
	return inv;
}

static const lading_package *find_pkg(const lading_inventory *inv, const char *group, const char *artifact)
{
	for (size_t i = 0; i < inv->pkgs.n; i++) {
		const lading_package *p = &inv->pkgs.v[i];
		if (strcmp(p->name, artifact) == 0 && p->namespace_ && strcmp(p->namespace_, group) == 0)
			return p;
	}
	return NULL;
}

/* "sha1:<hex>" of what a shell command prints, by sha1sum. */
static char *sha1_of_cmd(const char *cmd)
{
	char *full = xasprintf("%s | sha1sum", cmd);
	FILE *f = popen(full, "r");
	assert_non_null(f);
	char hex[41] = {0};
	assert_int_equal(fread(hex, 1, 40, f), 40);
	assert_int_equal(pclose(f), 0);
	free(full);
	return xasprintf("sha1:%s", hex);
}

/* A file of the corpus's java-jar folder (malloc'd). */
static char *jar_path(const char *name)
{
	return xasprintf("%s/lang/go-dep-parser/java-jar/%s", corpus_dir(), name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- the corpus: go-dep-parser's jars and wars ------------------------------ */

static const char *const corpus_files[] = {"maven.war", "gradle.war", "test.jar",
					   "heuristic-1.0.0-SNAPSHOT.jar",
					   "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar"};

/* expected.tsv has columns file, groupId:artifactId, version, how_found. We
 * work offline, so we compare with the rows found from the archive itself
 * ("embedded…") or from MANIFEST.MF ("offline…"). The two "online" rows are
 * left out on purpose, and the test checks that we do not report them:
 *  - test.jar online is spring-core 5.3.3, from looking its SHA-1 up in Maven
 *    Central. Offline, the jar only has a Spring 2.5.6 MANIFEST.MF, and that
 *    gives the offline row "org.springframework:Spring Framework".
 *  - heuristic-1.0.0-SNAPSHOT.jar online came from a mock search server that
 *    was asked for the artifactId in the file name. The jar has no metadata
 *    (its manifest only has Manifest-Version), so we report nothing. A name
 *    guessed from a file name has no group, so it could not be matched. */
static void test_corpus_expected(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char *tsvp = jar_path("expected.tsv");
	char *tsv = slurp(tsvp, NULL);
	free(tsvp);
	assert_non_null(tsv);
	buf want = {0}, got = {0};
	VEC(char *) rows = {0};
	char *save = NULL;
	int line = 0;
	for (char *l = strtok_r(tsv, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (line++ == 0)
			continue;
		char *how = strrchr(l, '\t');
		assert_non_null(how);
		if (strncmp(how + 1, "embedded", 8) != 0 && strncmp(how + 1, "offline", 7) != 0)
			continue;
		*how = 0;
		assert_int_equal(vec_push(&rows, xasprintf("%s\n", l)), 0);
	}
	qsort(rows.v, rows.n, sizeof(char *), testutil_cmp_str);
	for (size_t i = 0; i < rows.n; i++) {
		assert_int_equal(buf_puts(&want, rows.v[i]), 0);
		free(rows.v[i]);
	}
	vec_free(&rows);
	for (size_t f = 0; f < sizeof(corpus_files) / sizeof(corpus_files[0]); f++) {
		char *img = xasprintf("/app/%s", corpus_files[f]);
		char *p = jar_path(corpus_files[f]);
		lading_inventory *inv = parse_host_file(img, p);
		free(p);
		assert_int_equal(inv->warnings.n, 0);
		for (size_t i = 0; i < inv->pkgs.n; i++) {
			const lading_package *k = &inv->pkgs.v[i];
			assert_int_equal(k->type, LADING_PKG_MAVEN);
			assert_int_equal(vec_push(&rows, xasprintf("%s\t%s:%s\t%s\n", corpus_files[f],
								   k->namespace_, k->name, k->version)),
					 0);
		}
		lading_inventory_free(inv);
		free(img);
	}
	qsort(rows.v, rows.n, sizeof(char *), testutil_cmp_str);
	for (size_t i = 0; i < rows.n; i++) {
		assert_int_equal(buf_puts(&got, rows.v[i]), 0);
		free(rows.v[i]);
	}
	vec_free(&rows);
	assert_string_equal(got.p, want.p);
	assert_null(strstr(got.p, "spring-core"));
	assert_null(strstr(got.p, "heuristic"));
	buf_free(&want);
	buf_free(&got);
	free(tsv);
}

/* Where each package was found, and the SHA-1 of its archive (checked with
 * unzip -p | sha1sum for the nested jars). */
static void test_corpus_paths_and_digests(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char cmd[4096];
	char *war = jar_path("maven.war");
	lading_inventory *inv = parse_host_file("/srv/maven.war", war);
	assert_int_equal(inv->pkgs.n, 8);

	const lading_package *p = find_pkg(inv, "com.example", "web-app");
	assert_non_null(p);
	assert_string_equal(p->db_path, "/srv/maven.war");
	assert_int_equal(p->nfiles, 2);
	assert_string_equal(p->files[0].path, "/srv/maven.war");
	snprintf(cmd, sizeof(cmd), "cat '%s'", war);
	char *want = sha1_of_cmd(cmd);
	assert_string_equal(p->files[0].digest, want);
	free(want);
	assert_string_equal(p->files[1].path,
			    "/srv/maven.war!/META-INF/maven/com.example/web-app/pom.properties");
	assert_null(p->files[1].digest);

	p = find_pkg(inv, "com.fasterxml.jackson.core", "jackson-core");
	assert_non_null(p);
	assert_string_equal(p->version, "2.9.10");
	assert_string_equal(p->db_path, "/srv/maven.war!/WEB-INF/lib/jackson-core-2.9.10.jar");
	assert_string_equal(p->files[0].path, p->db_path);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' WEB-INF/lib/jackson-core-2.9.10.jar", war);
	want = sha1_of_cmd(cmd);
	assert_string_equal(p->files[0].digest, want);
	free(want);
	lading_inventory_free(inv);

	/* the manifest guess is marked by the entry it came from */
	free(war);
	war = jar_path("test.jar");
	inv = parse_host_file("/test.jar", war);
	assert_int_equal(inv->pkgs.n, 1);
	assert_string_equal(inv->pkgs.v[0].files[1].path, "/test.jar!/META-INF/MANIFEST.MF");

	/* a shaded jar: five pom.properties, five packages, all in the one file */
	lading_inventory_free(inv);
	free(war);
	war = jar_path("hadoop-shaded-guava-1.1.0-SNAPSHOT.jar");
	inv = parse_host_file("/h.jar", war);
	assert_int_equal(inv->pkgs.n, 5);
	for (size_t i = 0; i < inv->pkgs.n; i++) {
		assert_string_equal(inv->pkgs.v[i].db_path, "/h.jar");
		assert_true(ends_with(inv->pkgs.v[i].files[1].path, "/pom.properties"));
	}
	lading_inventory_free(inv);
	free(war);
}

/* ---- Debian's Java packages, downloaded at test time ------------------------ */

static char *deb_dir; /* <tmp>/root: the unpacked packages; NULL if apt failed */
static char *tmp_dir;

static int group_setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/lading-test-java.XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	tmp_dir = strdup(tmpl);
	char *cmd =
	    xasprintf("cd '%s' && timeout 120 apt-get download libcommons-lang3-java libjackson2-core-java "
		      "liblog4j1.2-java libslf4j-java libguava-java >apt.log 2>&1 && "
		      "for d in *.deb; do dpkg-deb -x \"$d\" root || exit 1; done",
		      tmp_dir);
	if (system(cmd) == 0)
		deb_dir = xasprintf("%s/root", tmp_dir);
	else
		fprintf(stderr,
			"note: apt-get download failed (see %s/apt.log); Debian jar tests will skip\n",
			tmp_dir);
	free(cmd);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", tmp_dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(tmp_dir);
	free(deb_dir);
	return 0;
}

/* The archives are built with real `jar` and `zip` (scripts/setup.sh installs
 * both: default-jdk-headless and zip); a machine without one skips, naming it. */
#define REQUIRE_TOOL(t)                                                                                      \
	do {                                                                                                 \
		if (system("command -v " t " >/dev/null 2>&1") != 0) {                                       \
			fprintf(stderr, "SKIP %s: %s is not installed (run scripts/setup.sh)\n", __func__, t); \
			skip();                                                                              \
		}                                                                                            \
	} while (0)

#define REQUIRE_DEBS()                                                                                       \
	do {                                                                                                 \
		if (!deb_dir) {                                                                              \
			fprintf(stderr, "SKIP %s: Debian packages could not be downloaded\n", __func__);     \
			skip();                                                                              \
		}                                                                                            \
	} while (0)

static lading_inventory *sbom_dir(const char *dir)
{
	lading_ctx *ctx;
	assert_int_equal(lading_ctx_new(&ctx, NULL), 0);
	char *target = xasprintf("dir:%s", dir);
	lading_inventory *inv = NULL;
	int rc = lading_sbom(&inv, ctx, target);
	if (rc)
		fprintf(stderr, "lading_sbom: %s\n", lading_ctx_error(ctx));
	assert_int_equal(rc, 0);
	free(target);
	lading_ctx_free(ctx);
	return inv;
}

/* Debian's jars against Debian's poms: two independent records of the same
 * libraries in the same packages. Every jar with pom.properties must name a
 * pom that the package installs under /usr/share/maven-repo, and every such
 * pom must be found in a jar, except log4j 1.2: Debian rebuilt it with Ant,
 * so its jar has only a MANIFEST.MF, and the guess from that is wrong in its
 * group ("org.apache" from Bundle-SymbolicName "org.apache.log4j"; the real
 * group is "log4j"). That is why the guess is marked, and why the poms are
 * worth reading. */
static void test_debian_jars_vs_poms(void **state)
{
	(void)state;
	REQUIRE_DEBS();
	lading_inventory *inv = sbom_dir(deb_dir);
	buf from_jars = {0}, from_poms = {0};
	VEC(char *) jars = {0}, poms = {0};
	const char *log4j_guess = NULL;
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		assert_int_equal(p->type, LADING_PKG_MAVEN);
		char *row = xasprintf("%s:%s:%s\n", p->namespace_, p->name, p->version);
		if (ends_with(p->db_path, ".pom")) {
			assert_true(strncmp(p->db_path, "/usr/share/maven-repo/", 22) == 0);
			assert_int_equal(vec_push(&poms, row), 0);
		} else if (ends_with(p->files[1].path, "!/META-INF/MANIFEST.MF")) {
			assert_string_equal(p->db_path, "/usr/share/java/log4j-1.2-1.2.17.jar");
			log4j_guess = p->purl;
			free(row);
		} else {
			assert_true(strncmp(p->db_path, "/usr/share/java/", 16) == 0);
			assert_int_equal(vec_push(&jars, row), 0);
		}
	}
	assert_non_null(log4j_guess);
	assert_string_equal(log4j_guess, "pkg:maven/org.apache/log4j@1.2.17");
	assert_int_equal(vec_push(&jars, xasprintf("log4j:log4j:1.2.17\n")), 0);
	qsort(jars.v, jars.n, sizeof(char *), testutil_cmp_str);
	qsort(poms.v, poms.n, sizeof(char *), testutil_cmp_str);
	for (size_t i = 0; i < jars.n; i++)
		assert_int_equal(buf_puts(&from_jars, jars.v[i]), 0), free(jars.v[i]);
	for (size_t i = 0; i < poms.n; i++)
		assert_int_equal(buf_puts(&from_poms, poms.v[i]), 0), free(poms.v[i]);
	/* 10 slf4j modules, commons-lang3, guava, jackson-core, log4j */
	assert_int_equal(poms.n, 14);
	assert_string_equal(from_jars.p, from_poms.p);
	assert_non_null(strstr(from_poms.p, "com.google.guava:guava:31.1-jre\n"));
	assert_non_null(strstr(from_poms.p, "org.apache.commons:commons-lang3:3.12.0\n"));
	vec_free(&jars);
	vec_free(&poms);
	buf_free(&from_jars);
	buf_free(&from_poms);
	lading_inventory_free(inv);
}

/* An ear holding a war holding a Spring Boot style fat jar holding three real
 * Debian jars, built with `jar` and `zip`. Each nested jar is found with its
 * full "!/" path and the SHA-1 of the original file. */
static void test_nested_built(void **state)
{
	(void)state;
	REQUIRE_DEBS();
	REQUIRE_TOOL("jar");
	REQUIRE_TOOL("zip");
	char *cmd =
	    xasprintf("set -e; cd '%s'; rm -rf n; mkdir -p n/fat/BOOT-INF/lib n/war/WEB-INF/lib n/ear; "
		      "cp root/usr/share/java/guava.jar root/usr/share/java/slf4j-api.jar "
		      "root/usr/share/java/commons-lang3.jar n/fat/BOOT-INF/lib/; "
		      "(cd n/fat && jar cf ../war/WEB-INF/lib/app.jar BOOT-INF); "
		      "(cd n/war && zip -qr ../ear/app.war WEB-INF); (cd n/ear && zip -q ../app.ear app.war)",
		      tmp_dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *ear = xasprintf("%s/n/app.ear", tmp_dir);
	lading_inventory *inv = parse_host_file("/opt/app.ear", ear);
	free(ear);
	assert_int_equal(inv->warnings.n, 0);
	/* `jar` writes a MANIFEST.MF with no coordinates; the war and ear have none */
	assert_int_equal(inv->pkgs.n, 3);
	static const char *const want[][3] = {{"com.google.guava", "guava", "guava.jar"},
					      {"org.slf4j", "slf4j-api", "slf4j-api.jar"},
					      {"org.apache.commons", "commons-lang3", "commons-lang3.jar"}};
	for (size_t i = 0; i < 3; i++) {
		const lading_package *p = find_pkg(inv, want[i][0], want[i][1]);
		assert_non_null(p);
		char *path =
		    xasprintf("/opt/app.ear!/app.war!/WEB-INF/lib/app.jar!/BOOT-INF/lib/%s", want[i][2]);
		assert_string_equal(p->db_path, path);
		char *c = xasprintf("cat '%s/root/usr/share/java/%s'", tmp_dir, want[i][2]);
		char *sha = sha1_of_cmd(c);
		assert_string_equal(p->files[0].digest, sha);
		free(sha);
		free(c);
		free(path);
	}
	lading_inventory_free(inv);
}

/* slf4j-api.jar nested in 4 and in 5 zips: found at depth 4, not at 5 (with
 * one warning naming the archive not read). */
static void test_depth_limit(void **state)
{
	(void)state;
	REQUIRE_DEBS();
	REQUIRE_TOOL("zip");
	char *cmd =
	    xasprintf("set -e; cd '%s'; rm -rf d; mkdir d; cp root/usr/share/java/slf4j-api.jar d/l0.jar; "
		      "cd d; for i in 1 2 3 4 5; do mkdir lib; cp l$((i-1)).jar lib/; "
		      "zip -q -r l$i.jar lib; rm -r lib; done",
		      tmp_dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *l4 = xasprintf("%s/d/l4.jar", tmp_dir), *l5 = xasprintf("%s/d/l5.jar", tmp_dir);
	lading_inventory *inv = parse_host_file("/l4.jar", l4);
	assert_int_equal(inv->pkgs.n, 1);
	assert_string_equal(inv->pkgs.v[0].db_path,
			    "/l4.jar!/lib/l3.jar!/lib/l2.jar!/lib/l1.jar!/lib/l0.jar");
	assert_int_equal(inv->warnings.n, 0);
	lading_inventory_free(inv);
	inv = parse_host_file("/l5.jar", l5);
	assert_int_equal(inv->pkgs.n, 0);
	assert_int_equal(inv->warnings.n, 1);
	assert_non_null(strstr(inv->warnings.v[0].message,
			       "/l5.jar!/lib/l4.jar!/lib/l3.jar!/lib/l2.jar!/lib/l1.jar!/lib/l0.jar"));
	assert_non_null(strstr(inv->warnings.v[0].message, "nested deeper than 4"));
	lading_inventory_free(inv);
	free(l4);
	free(l5);
}

/* The local Maven repository, when mvn has filled one (it cannot download
 * here: no route to Maven Central). Each jar's pom.properties, if any, must
 * agree with its repository path. */
static void test_local_m2(void **state)
{
	(void)state;
	const char *home = getenv("HOME");
	char *repo = xasprintf("%s/.m2/repository", home ? home : "/root");
	struct stat st;
	if (stat(repo, &st) != 0) {
		fprintf(stderr, "SKIP %s: no local Maven repository at %s\n", __func__, repo);
		free(repo);
		skip();
	}
	char *cmd = xasprintf("find '%s' -name '*.jar' -type f | head -200", repo);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char line[4096];
	size_t checked = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		lading_inventory *inv = parse_host_file(line, line);
		/* <repo>/<group path>/<artifact>/<version>/<file> */
		for (size_t i = 0; i < inv->pkgs.n; i++) {
			const lading_package *p = &inv->pkgs.v[i];
			if (strcmp(p->db_path, line) != 0 || !ends_with(p->files[1].path, "pom.properties"))
				continue;
			char *mid = xasprintf("/%s/%s/", p->name, p->version);
			if (strstr(line, mid))
				checked++;
			free(mid);
		}
		lading_inventory_free(inv);
	}
	pclose(f);
	fprintf(stderr, "note: %zu jars of %s agree with their repository path\n", checked, repo);
	free(cmd);
	free(repo);
}

/* ---- edge cases: hand-written inputs ----------------------------------------- */

/* Builds a zip in memory with libarchive: n entries, names[i] holding
 * data[i] (lens[i] bytes). */
static char *make_zip_bytes(size_t *len, const char *const *names, const char *const *data, const size_t *lens,
			    size_t n)
{
	size_t cap = 1 << 20, used = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, out, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)lens[i]);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, data[i], lens[i]), (la_ssize_t)lens[i]);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return out;
}

/* make_zip_bytes for text: entries are name, content pairs. */
static char *make_zip(size_t *len, const char *const *entries, size_t n)
{
	const char *names[16], *data[16];
	size_t lens[16], k = 0;
	for (size_t i = 0; i + 1 < n && k < 16; i += 2, k++) {
		names[k] = entries[i];
		data[k] = entries[i + 1];
		lens[k] = strlen(entries[i + 1]);
	}
	return make_zip_bytes(len, names, data, lens, k);
}

/* Hand-written: a manifest with CRLF line ends, a value continued over two
 * lines, Bundle-SymbolicName with a directive, the version only in a
 * per-entry section. */
static void test_manifest_rules(void **state)
{
	(void)state;
	const char *const e1[] = {"META-INF/MANIFEST.MF",
				  "Manifest-Version: 1.0\r\nImplementation-Title: my-lib\r\n rary\r\n"
				  "Bundle-SymbolicName: com.example.mylib;singleton:=true\r\n\r\n"
				  "Name: com/example/\r\nImplementation-Version: 1.2.3\r\n"};
	size_t n = 0;
	char *z = make_zip(&n, e1, 2);
	lading_inventory *inv = parse_bytes("/a.jar", z, n);
	assert_int_equal(inv->pkgs.n, 1);
	assert_string_equal(inv->pkgs.v[0].namespace_, "com.example");
	assert_string_equal(inv->pkgs.v[0].name, "my-library");
	assert_string_equal(inv->pkgs.v[0].version, "1.2.3");
	lading_inventory_free(inv);
	free(z);

	/* a vendor name is not a group; Implementation-Vendor-Id is */
	const char *const e2[] = {"META-INF/MANIFEST.MF",
				  "Implementation-Title: foo\nImplementation-Version: 1\n"
				  "Implementation-Vendor: The Foo Software Foundation\n"};
	z = make_zip(&n, e2, 2);
	inv = parse_bytes("/b.jar", z, n);
	assert_int_equal(inv->pkgs.n, 0);
	assert_int_equal(inv->warnings.n, 0);
	lading_inventory_free(inv);
	free(z);
	const char *const e3[] = {"META-INF/MANIFEST.MF",
				  "Implementation-Title: foo\rImplementation-Version: 1\r"
				  "Implementation-Vendor-Id: org.foo\rBundle-SymbolicName: x.y.z\r"};
	z = make_zip(&n, e3, 2);
	inv = parse_bytes("/c.jar", z, n);
	assert_int_equal(inv->pkgs.n, 1);
	assert_string_equal(inv->pkgs.v[0].namespace_, "org.foo");
	lading_inventory_free(inv);
	free(z);
}

/* Hand-written: pom.properties syntax variants; a manifest next to
 * pom.properties is not used; a value with a continuation is refused. */
static void test_pom_properties_rules(void **state)
{
	(void)state;
	const char *const e[] = {
	    "META-INF/MANIFEST.MF",
	    "Implementation-Title: other\nImplementation-Version: 9\n"
	    "Implementation-Vendor-Id: org.other\n",
	    "META-INF/maven/org.a/one/pom.properties",
	    "# comment\n! comment\ngroupId : org.a\nartifactId one\n"
	    "  version=1.0  \n",
	    "META-INF/maven/org.b/two/pom.properties",
	    "artifactId=two\nversion=2.0\n", /* group from the path */
	    "META-INF/maven/org.c/three/pom.properties",
	    "groupId=org.c\nartifactId=three\nversion=3.\\\n 0\n",
	    "META-INF/maven/pom.properties",
	    "groupId=org.d\nartifactId=four\nversion=4\n", /* not at <g>/<a>/ */
	};
	size_t n = 0;
	char *z = make_zip(&n, e, sizeof(e) / sizeof(e[0]));
	lading_inventory *inv = parse_bytes("/s.jar", z, n);
	assert_int_equal(inv->pkgs.n, 2);
	const lading_package *p = find_pkg(inv, "org.a", "one");
	assert_non_null(p);
	assert_string_equal(p->version, "1.0");
	assert_non_null(find_pkg(inv, "org.b", "two"));
	assert_null(find_pkg(inv, "org.d", "four"));
	assert_null(find_pkg(inv, "org.other", "other"));
	assert_int_equal(inv->warnings.n, 1);
	assert_non_null(strstr(inv->warnings.v[0].message, "/s.jar!/META-INF/maven/org.c/three/pom.properties"));
	lading_inventory_free(inv);
	free(z);
}

/* Hand-written: bytes that are not a zip, and a real jar cut short. */
static void test_bad_archives(void **state)
{
	(void)state;
	lading_inventory *inv = parse_bytes("/x.jar", "not a zip at all", 16);
	assert_int_equal(inv->pkgs.n, 0);
	assert_int_equal(inv->warnings.n, 1);
	assert_non_null(strstr(inv->warnings.v[0].message, "not a zip"));
	lading_inventory_free(inv);
	inv = parse_bytes("/empty.jar", "", 0);
	assert_int_equal(inv->pkgs.n, 0);
	lading_inventory_free(inv);
	REQUIRE_CORPUS();
	size_t n = 0;
	char *wp = jar_path("maven.war");
	char *war = slurp(wp, &n);
	free(wp);
	assert_non_null(war);
	/* cut anywhere: never a crash, never more than the whole war gives */
	for (size_t cut = 0; cut < n; cut += n / 7 + 1) {
		inv = parse_bytes("/cut.war", war, cut);
		assert_true(inv->pkgs.n <= 8);
		lading_inventory_free(inv);
	}
	free(war);
}

/* The image-wide budget for nested archives (file_run.nested), hand-written
 * jars: an outer jar holding lib/inner.jar, which holds one pom.properties.
 * With room for one nested jar, the first file reads it and the second is
 * told, naming the jar not read; then 4 threads parse 64 files against room
 * for 10: each parse gives a package or such a warning, never more than 10
 * packages, and the budget never goes below zero. */
typedef struct budget_run {
	const char *jar;
	size_t len, parses, pkgs, warned;
	byte_budget *b;
} budget_run;

static void *budget_thread(void *arg)
{
	budget_run *r = arg;
	for (size_t i = 0; i < r->parses; i++) {
		lading_inventory *inv;
		if (inv_new(&inv))
			return NULL;
		file_run fr = {.inv = inv, .path = "/opt/outer.jar", .nested = r->b};
		if (file_cataloger_java.parse(&fr, sv_make(r->jar, r->len)) == 0) {
			r->pkgs += inv->pkgs.n;
			for (size_t w = 0; w < inv->warnings.n; w++)
				r->warned += strstr(inv->warnings.v[w].message, "/opt/outer.jar!/lib/inner.jar") &&
					     strstr(inv->warnings.v[w].message, "not read: the image's budget");
		}
		lading_inventory_free(inv);
	}
	return NULL;
}

static void test_image_budget(void **state)
{
	(void)state;
	const char *props = "groupId=org.example\nartifactId=inner\nversion=1.0\n";
	size_t ilen = 0, olen = 0;
	const char *in_names[] = {"META-INF/maven/org.example/inner/pom.properties"};
	const char *in_data[] = {props};
	size_t in_lens[] = {strlen(props)};
	char *inner = make_zip_bytes(&ilen, in_names, in_data, in_lens, 1);
	const char *out_names[] = {"lib/inner.jar"};
	const char *out_data[] = {inner};
	char *outer = make_zip_bytes(&olen, out_names, out_data, &ilen, 1);
	uint64_t one = ilen + strlen(props); /* what reading the nested jar inflates */

	byte_budget b = {one};
	budget_run r = {.jar = outer, .len = olen, .parses = 2, .b = &b};
	budget_thread(&r);
	assert_int_equal(r.pkgs, 1);
	assert_int_equal(r.warned, 1);
	assert_int_equal(b.left, 0);

	enum { THREADS = 4, PARSES = 16, ROOM = 10 };
	b.left = ROOM * one;
	budget_run runs[THREADS];
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++) {
		runs[t] = (budget_run){.jar = outer, .len = olen, .parses = PARSES, .b = &b};
		assert_int_equal(pthread_create(&th[t], NULL, budget_thread, &runs[t]), 0);
	}
	size_t pkgs = 0, warned = 0;
	for (int t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		pkgs += runs[t].pkgs;
		warned += runs[t].warned;
	}
	assert_true(pkgs <= ROOM);
	assert_true(pkgs >= 1);
	assert_int_equal(pkgs + warned, THREADS * PARSES);
	assert_true(b.left <= ROOM * one - pkgs * one);
	free(inner);
	free(outer);
}

/* Hand-written pom paths (the Debian test covers real ones). */
static void test_maven_repo_pom_paths(void **state)
{
	(void)state;
	static const struct {
		const char *path, *pom;
		const char *want; /* group:artifact:version or NULL */
	} cases[] = {
	    {"/usr/share/maven-repo/org/foo/bar/1.0/bar-1.0.pom", "<project><packaging>jar</packaging>",
	     "org.foo:bar:1.0"},
	    {"/usr/share/maven-repo/org/foo/bar/1.0/bar-1.0.pom", "<project></project>", "org.foo:bar:1.0"},
	    {"/usr/share/maven-repo/org/foo/bar/debian/bar-debian.pom", "<project/>", NULL},
	    {"/usr/share/maven-repo/org/foo/bar/1.x/bar-1.x.pom",
	     "<relocation><version>debian</version></relocation>", NULL},
	    {"/usr/share/maven-repo/org/foo/bar/1.2.x/bar-1.2.x.pom", "<packaging>bundle</packaging>", NULL},
	    {"/usr/share/maven-repo/org/foo/parent/1.0/parent-1.0.pom", "<packaging> pom </packaging>", NULL},
	    {"/usr/share/maven-repo/org/foo/bar/1.0/other-1.0.pom", "<project/>", NULL},
	    {"/usr/share/maven-repo/bar/1.0/bar-1.0.pom", "<project/>", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lading_inventory *inv = parse_bytes(cases[i].path, cases[i].pom, strlen(cases[i].pom));
		if (!cases[i].want) {
			assert_int_equal(inv->pkgs.n, 0);
		} else {
			assert_int_equal(inv->pkgs.n, 1);
			const lading_package *p = &inv->pkgs.v[0];
			char *got = xasprintf("%s:%s:%s", p->namespace_, p->name, p->version);
			assert_string_equal(got, cases[i].want);
			assert_string_equal(p->db_path, cases[i].path);
			free(got);
		}
		lading_inventory_free(inv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus_expected),	cmocka_unit_test(test_corpus_paths_and_digests),
	    cmocka_unit_test(test_debian_jars_vs_poms), cmocka_unit_test(test_nested_built),
	    cmocka_unit_test(test_depth_limit),		cmocka_unit_test(test_local_m2),
	    cmocka_unit_test(test_manifest_rules),	cmocka_unit_test(test_pom_properties_rules),
	    cmocka_unit_test(test_bad_archives),	cmocka_unit_test(test_maven_repo_pom_paths),
	    cmocka_unit_test(test_image_budget),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
