/* Installed-package catalogers for Python, Ruby, PHP and .NET (src/catalog/
 * python.c, gem.c, composer.c, dotnet.c).
 *
 * Real data, three ways:
 *  - the go-dep-parser and syft fixtures in the corpus, against their
 *    expected.tsv files (differences explained where they are checked);
 *  - real Debian packages, downloaded with apt-get at test time and unpacked
 *    with dpkg-deb into a temporary tree that lading scans as `dir:`, against
 *    what Python's importlib.metadata and RubyGems' Gem::Specification.load
 *    report for the same tree (skipped visibly when apt-get, python3 or ruby
 *    cannot be used);
 *  - the gemspecs of the Ruby installed on this machine, against RubyGems.
 * Hand-written fixtures are used only for edge cases and say so. */
#include "testutil.h"

#include <jansson.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "inventory.h"

/* ---- helpers ------------------------------------------------------------ */

/* Runs one file cataloger's parse on bytes as if the walk had met them at
 * `path`; returns a finished inventory. */
static lading_inventory *parse_one(const file_cataloger *fc, const char *path, const char *data, size_t len)
{
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	file_run run = {.ctx = NULL, .inv = inv, .path = path, .layer = 0};
	assert_true(fc->nclaims > 0);
	bool claimed = false;
	for (size_t i = 0; i < fc->nclaims; i++)
		claimed |= claim_match(&fc->claims[i], path, strlen(path));
	assert_true(claimed);
	assert_int_equal(fc->parse(&run, sv_make(data, len)), 0);
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

static lading_inventory *parse_corpus(const file_cataloger *fc, const char *path, const char *rel)
{
	char p[4096];
	size_t n = 0;
	char *data = slurp(corpus_path(p, sizeof(p), rel), &n);
	assert_non_null(data);
	lading_inventory *inv = parse_one(fc, path, data, n);
	free(data);
	return inv;
}

static char *row_nvl(const lading_package *p)
{
	char *s = NULL;
	if (asprintf(&s, "%s%s%s\t%s\t%s\n", p->namespace_ ? p->namespace_ : "", p->namespace_ ? "/" : "",
		     p->name, p->version, p->license ? p->license : "") < 0)
		return NULL;
	return s;
}

static char *row_nv(const lading_package *p)
{
	char *s = NULL;
	if (asprintf(&s, "%s%s%s\t%s\n", p->namespace_ ? p->namespace_ : "", p->namespace_ ? "/" : "",
		     p->name, p->version) < 0)
		return NULL;
	return s;
}

/* Rows of expected.tsv whose first column is `file`, columns 2.. joined by
 * tabs, with only `ncols` columns kept. "(parse error)" rows give nothing. */
static char *expected_rows(const char *tsv_rel, const char *file, int ncols)
{
	char p[4096];
	char *tsv = slurp(corpus_path(p, sizeof(p), tsv_rel), NULL);
	assert_non_null(tsv);
	size_t cap = strlen(tsv) + 2, k = 0;
	char **rows = calloc(cap, sizeof(char *));
	assert_non_null(rows);
	char *save = NULL;
	for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab || (size_t)(tab - line) != strlen(file) || strncmp(line, file, strlen(file)) != 0)
			continue;
		if (strncmp(tab + 1, "(parse error)", 13) == 0)
			continue;
		char *r = malloc(strlen(tab) + 2);
		assert_non_null(r);
		int col = 0;
		size_t o = 0;
		for (const char *q = tab + 1; *q && col < ncols; q++) {
			if (*q == '\t' && ++col >= ncols)
				break;
			r[o++] = *q;
		}
		/* a missing trailing column is empty */
		for (; col < ncols - 1; col++)
			r[o++] = '\t';
		r[o++] = '\n';
		r[o] = 0;
		rows[k++] = r;
	}
	qsort(rows, k, sizeof(char *), testutil_cmp_str);
	size_t total = 1;
	for (size_t i = 0; i < k; i++)
		total += strlen(rows[i]);
	char *out = malloc(total);
	assert_non_null(out);
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		strcat(out, rows[i]);
		free(rows[i]);
	}
	free(rows);
	free(tsv);
	return out;
}

static bool has_warning(const lading_inventory *inv, const char *needle)
{
	for (size_t i = 0; i < lading_inventory_nwarnings(inv); i++)
		if (strstr(lading_inventory_warning(inv, i), needle))
			return true;
	return false;
}

/* Output of a shell command, sorted like `LC_ALL=C sort`; NULL if it failed. */
static char *run_sorted(const char *cmd)
{
	char *full = NULL;
	assert_true(asprintf(&full, "( %s ) | LC_ALL=C sort", cmd) > 0);
	FILE *f = popen(full, "r");
	free(full);
	if (!f)
		return NULL;
	buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	int st = pclose(f);
	if (st != 0) {
		buf_free(&b);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}

/* Scans `dir:root` through the public API. */
static lading_inventory *scan_dir(const char *root)
{
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, NULL), 0);
	char *target = NULL;
	assert_true(asprintf(&target, "dir:%s", root) > 0);
	lading_inventory *inv = NULL;
	int rc = lading_sbom(&inv, ctx, target);
	if (rc)
		fprintf(stderr, "lading_sbom(%s): %d\n", target, rc);
	assert_int_equal(rc, 0);
	free(target);
	lading_ctx_free(ctx);
	return inv;
}

/* The rows of the packages of one type only (the tree may hold others). */
static char *rows_of(const lading_inventory *inv, lading_pkg_type type, char *(*row)(const lading_package *p))
{
	lading_inventory *only = NULL;
	assert_int_equal(inv_new(&only), 0);
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		if (p->type == type)
			assert_int_equal(inv_add_package(only, p), 0);
	}
	char *s = inventory_rows(only, type, row);
	lading_inventory_free(only);
	return s;
}

/* A temporary tree with real Debian packages unpacked into root/, or NULL
 * (after saying why) when apt-get cannot download them here. */
static char *debian_tree(const char *debs)
{
	if (system("command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: apt-get or dpkg-deb is not installed\n");
		return NULL;
	}
	char tmpl[] = "/tmp/lading-test-lang.XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	char *cmd = NULL;
	assert_true(asprintf(&cmd,
			     "cd %s && timeout 120 apt-get download %s >apt.log 2>&1 && mkdir root && "
			     "for d in *.deb; do dpkg-deb -x \"$d\" root || exit 1; done",
			     dir, debs) > 0);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0) {
		fprintf(stderr, "SKIP: apt-get download %s failed (no Debian archive?); see %s/apt.log\n",
			debs, dir);
		return NULL;
	}
	return strdup(dir);
}

static void rm_tree(char *dir)
{
	if (!dir)
		return;
	char *cmd = NULL;
	assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* ---- Python ------------------------------------------------------------- */

/* go-dep-parser's python-packaging fixtures: METADATA, PKG-INFO and a
 * standalone egg-info, each put where an installer would. */
static void test_python_go_dep_parser(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const struct {
		const char *file, *path, *want;
	} cases[] = {
	    /* go-dep-parser reports setuptools' "License: UNKNOWN" as the
	     * licence; UNKNOWN is what setuptools writes when the author gave
	     * none, so we report none and look at the classifiers. This copy's
	     * description has empty lines (setuptools indents them), which end
	     * the header block before the classifiers for Python's own parser
	     * (importlib.metadata gives no Classifier), and for us */
	    {"setuptools-51.3.3-py3.8.egg-info.PKG-INFO",
	     "/usr/lib/python3.8/site-packages/setuptools.egg-info/PKG-INFO", "setuptools\t51.3.3\t\n"},
	    {"distlib-0.3.1-py3.9.egg-info", "/usr/lib/python3.9/site-packages/distlib-0.3.1-py3.9.egg-info",
	     NULL},
	    {"simple-0.1.0.METADATA", "/usr/lib/python3/dist-packages/simple-0.1.0.dist-info/METADATA", NULL},
	    {"distlib-0.3.1.METADATA", "/venv/lib/python3.9/site-packages/distlib-0.3.1.dist-info/METADATA",
	     NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), "lang/go-dep-parser/python-packaging/%s", cases[i].file);
		lading_inventory *inv = parse_corpus(&file_cataloger_python, cases[i].path, rel);
		char *got = inventory_rows(inv, LADING_PKG_PYPI, row_nvl);
		char *want = cases[i].want ? strdup(cases[i].want)
					   : expected_rows("lang/go-dep-parser/python-packaging/expected.tsv",
							   cases[i].file, 3);
		assert_string_equal(got, want);
		assert_string_equal(lading_inventory_package(inv, 0)->db_path, cases[i].path);
		free(got);
		free(want);
		lading_inventory_free(inv);
	}
	/* invalid.json ("{}") is a parse error there: no package and a warning here */
	lading_inventory *inv =
	    parse_corpus(&file_cataloger_python, "/x/site-packages/invalid.dist-info/METADATA",
			 "lang/go-dep-parser/python-packaging/invalid.json");
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_true(has_warning(inv, "invalid.dist-info/METADATA"));
	lading_inventory_free(inv);
}

/* syft's site-packages fixtures, walked as a directory: only real
 * *.dist-info/METADATA, *.egg-info/PKG-INFO, EGG-INFO/PKG-INFO and *.egg-info
 * files are packages (syft's nested/…/dist-info/ directories are not named as
 * an installer names them, so they are not). */
static void test_python_syft_site_packages(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char root[4096];
	lading_inventory *inv = scan_dir(corpus_path(root, sizeof(root), "lang/python-syft/site-packages"));
	char *got = rows_of(inv, LADING_PKG_PYPI, row_nvl);
	assert_string_equal(
	    got, "Pygments\t2.6.1\tBSD License\n"   /* license/with-license-file-declared: classifier */
		 "Pygments\t2.6.1\tBSD License\n"   /* license/without-license-file-declared */
		 "Pygments\t2.6.1\tBSD License\n"   /* partial.dist-info: License: BSD License */
		 "requests\t2.22.0\tApache 2.0\n"   /* test/test.egg-info, a standalone file */
		 "requests\t2.22.0\tApache 2.0\n"); /* uppercase/egg-name/EGG-INFO/PKG-INFO */
	/* no-version-py3.8.egg-info has a Name but no Version */
	assert_true(has_warning(inv, "no-version-py3.8.egg-info"));
	free(got);
	lading_inventory_free(inv);

	/* the empty egg-info file and Debian's Python-2.7.egg-info */
	inv = parse_corpus(&file_cataloger_python, "/usr/lib/python2.7/lib-dynload/Python-2.7.egg-info",
			   "lang/python-syft/Python-2.7.egg-info");
	got = inventory_rows(inv, LADING_PKG_PYPI, row_nvl);
	assert_string_equal(got, "Python\t2.7.13\tPSF license\n");
	free(got);
	lading_inventory_free(inv);
	inv =
	    parse_corpus(&file_cataloger_python, "/usr/lib/python3/site-packages/empty-1.0.0-py3.8.egg-info",
			 "lang/python-syft/empty-1.0.0-py3.8.egg-info");
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);
	lading_inventory_free(inv);
}

/* Hand-written edge cases (no real file has them all): PEP 639's
 * License-Expression wins over License; a License that is the whole licence
 * text (continuation lines) gives way to the classifiers; the first Name
 * wins; CRLF line ends; a header block cut off without a body. */
static void test_python_edge_cases(void **state)
{
	(void)state;
	static const char m1[] =
	    "Metadata-Version: 2.4\r\nName: Foo_Bar\r\nName: other\r\nVersion: 1.0rc1\r\n"
	    "License: MIT License\r\nLicense-Expression: MIT OR Apache-2.0\r\n\r\nName: body\r\n";
	lading_inventory *inv = parse_one(
	    &file_cataloger_python, "/a/site-packages/Foo_Bar-1.0rc1.dist-info/METADATA", m1, sizeof(m1) - 1);
	char *got = inventory_rows(inv, LADING_PKG_PYPI, row_nvl);
	/* the name as written: the matcher applies PEP 503 */
	assert_string_equal(got, "Foo_Bar\t1.0rc1\tMIT OR Apache-2.0\n");
	free(got);
	lading_inventory_free(inv);

	static const char m2[] = "Name: x\nVersion: 2\nLicense: Copyright (c) 2020 Someone\n"
				 "        Permission is hereby granted, free of charge\n"
				 "Classifier: License :: OSI Approved :: MIT License\n"
				 "Classifier: License :: OSI Approved\n"
				 "Classifier: License :: OSI Approved :: Apache Software License";
	inv = parse_one(&file_cataloger_python, "/a/x.egg-info/PKG-INFO", m2, sizeof(m2) - 1);
	got = inventory_rows(inv, LADING_PKG_PYPI, row_nvl);
	assert_string_equal(got, "x\t2\tMIT License, Apache Software License\n");
	free(got);
	lading_inventory_free(inv);

	/* a version with a space is not a version; binary junk is not metadata */
	static const char m3[] = "Name: x\nVersion: 1 2\n";
	inv = parse_one(&file_cataloger_python, "/a/x.egg-info", m3, sizeof(m3) - 1);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	lading_inventory_free(inv);
	static const char m4[] = "\x7f"
				 "ELF\x02\x01\x01\0\0Name: y\n";
	inv = parse_one(&file_cataloger_python, "/a/y.egg-info", m4, sizeof(m4) - 1);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	lading_inventory_free(inv);
}

/* Real Debian python3-* packages (egg-info from setuptools, dist-info from
 * flit/pybuild) against importlib.metadata on the same unpacked tree. */
static void test_python_debian_vs_importlib(void **state)
{
	(void)state;
	if (system("python3 -c 'import importlib.metadata' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP %s: python3 with importlib.metadata is not installed\n", __func__);
		skip();
	}
	char *dir =
	    debian_tree("python3-urllib3 python3-requests python3-idna python3-certifi python3-packaging "
			"python3-chardet python3-six python3-yaml");
	if (!dir) {
		fprintf(stderr, "SKIP %s\n", __func__);
		skip();
	}
	char *root = NULL, *cmd = NULL;
	assert_true(asprintf(&root, "%s/root", dir) > 0);
	assert_true(
	    asprintf(
		&cmd,
		"python3 -I -c 'import sys, importlib.metadata as m\n"
		"for d in m.distributions(path=[sys.argv[1]]):\n"
		"    print(d.metadata[\"Name\"] + \"\\t\" + d.version)' %s/usr/lib/python3/dist-packages",
		root) > 0);
	char *want = run_sorted(cmd);
	assert_non_null(want);
	lading_inventory *inv = scan_dir(root);
	char *got = rows_of(inv, LADING_PKG_PYPI, row_nv);
	fprintf(stderr, "importlib.metadata:\n%s", want);
	assert_true(strlen(want) > 0);
	assert_string_equal(got, want);
	/* every package's file is its metadata, as an installer placed it */
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		if (p->type == LADING_PKG_PYPI)
			assert_non_null(strstr(p->db_path, "/usr/lib/python3/dist-packages/"));
	}
	free(got);
	free(want);
	free(cmd);
	free(root);
	lading_inventory_free(inv);
	rm_tree(dir);
}

/* ---- Ruby --------------------------------------------------------------- */

static void test_gem_go_dep_parser(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const struct {
		const char *file, *want;
	} cases[] = {
	    {"normal00.gemspec", NULL},
	    /* `spec.licenses = "MIT"`: go-dep-parser calls it invalid and reports
	     * no licence; RubyGems' licenses= takes Array(value), so Ruby itself
	     * reports ["MIT"] (checked with Gem::Specification.new), and so do we */
	    {"normal01.gemspec", "async\t1.25.0\tMIT\n"},
	    {"license.gemspec", NULL},
	    {"multiple_licenses.gemspec", NULL},
	    {"malformed00.gemspec", NULL}, /* `s.name` inside `do |spec|`: a NameError in Ruby */
	    {"malformed01.gemspec", NULL}, /* no version */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[512], path[512];
		snprintf(rel, sizeof(rel), "lang/go-dep-parser/ruby-gemspec/%s", cases[i].file);
		snprintf(path, sizeof(path), "/usr/local/bundle/specifications/%s", cases[i].file);
		lading_inventory *inv = parse_corpus(&file_cataloger_gem, path, rel);
		char *got = inventory_rows(inv, LADING_PKG_GEM, row_nvl);
		char *want = cases[i].want ? strdup(cases[i].want)
					   : expected_rows("lang/go-dep-parser/ruby-gemspec/expected.tsv",
							   cases[i].file, 3);
		assert_string_equal(got, want);
		if (!*want)
			assert_true(has_warning(inv, cases[i].file));
		free(got);
		free(want);
		lading_inventory_free(inv);
	}
}

/* Ruby's own answer for every gemspec under a directory. */
static char *ruby_says(const char *dir)
{
	char *cmd = NULL;
	assert_true(asprintf(&cmd,
			     "ruby -e 'Dir[ARGV[0] + \"/**/specifications/**/*.gemspec\"].each { |f| "
			     "s = Gem::Specification.load(f) or next; "
			     "puts [s.name, s.version.to_s, s.licenses.join(\", \")].join(\"\\t\") }' '%s'",
			     dir) > 0);
	char *out = run_sorted(cmd);
	free(cmd);
	return out;
}

/* Debian's ruby-* packages (rubygems-integration specs) against RubyGems. */
static void test_gem_debian_vs_rubygems(void **state)
{
	(void)state;
	if (system("ruby -e 'require \"rubygems\"' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP %s: ruby is not installed\n", __func__);
		skip();
	}
	char *dir = debian_tree("ruby-rack ruby-rack-test ruby-mustermann ruby-tilt ruby-sinatra ruby-i18n");
	if (!dir) {
		fprintf(stderr, "SKIP %s\n", __func__);
		skip();
	}
	char *root = NULL;
	assert_true(asprintf(&root, "%s/root", dir) > 0);
	char *want = ruby_says(root);
	assert_non_null(want);
	fprintf(stderr, "RubyGems:\n%s", want);
	lading_inventory *inv = scan_dir(root);
	char *got = rows_of(inv, LADING_PKG_GEM, row_nvl);
	assert_true(strlen(want) > 0);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(root);
	lading_inventory_free(inv);
	rm_tree(dir);
}

/* The Ruby installed on this machine (the gem directory with the most specs):
 * its gems, default gems included
 * (specifications/default/), against RubyGems reading the same files. */
static void test_gem_host_ruby(void **state)
{
	(void)state;
	char *gemdir = run_sorted("ruby -e 'print Gem.path.max_by { |d| Dir[d + "
				  "\"/specifications/**/*.gemspec\"].size }' 2>/dev/null");
	if (gemdir && strchr(gemdir, '\n'))
		*strchr(gemdir, '\n') = 0;
	struct stat st;
	char spec[1200];
	snprintf(spec, sizeof(spec), "%s/specifications", gemdir ? gemdir : "");
	if (!gemdir || stat(spec, &st) != 0) {
		fprintf(stderr, "SKIP %s: no Ruby gem directory here\n", __func__);
		free(gemdir);
		skip();
	}
	char *want = ruby_says(gemdir);
	assert_non_null(want);
	lading_inventory *inv = scan_dir(gemdir);
	char *got = rows_of(inv, LADING_PKG_GEM, row_nvl);
	size_t n = 0;
	for (const char *q = want; (q = strchr(q, '\n')); q++)
		n++;
	fprintf(stderr, "%zu gems in %s\n", n, gemdir);
	assert_true(n > 10);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(gemdir);
	lading_inventory_free(inv);
}

/* Hand-written edge cases for the forms to_ruby wrote over the years and
 * for what we cannot read without running Ruby. */
static void test_gem_edge_cases(void **state)
{
	(void)state;
	static const char g1[] = "Gem::Specification.new { |x|\n  x.name = %q{old-gem}\n"
				 "  x.version = Gem::Version.new(\"1.2.3\")\n  x.license = 'Apache-2.0'\n"
				 "  x.licenses = [\n    \"MIT\".freeze, # first\n    'GPL-2.0' ,\n  ]\n"
				 "  x.version == \"9\"\n}\n";
	lading_inventory *inv =
	    parse_one(&file_cataloger_gem, "/var/lib/gems/3.1.0/specifications/old-gem-1.2.3.gemspec", g1,
		      sizeof(g1) - 1);
	char *got = inventory_rows(inv, LADING_PKG_GEM, row_nvl);
	assert_string_equal(got, "old-gem\t1.2.3\tMIT, GPL-2.0\n");
	free(got);
	lading_inventory_free(inv);

	/* a constant or an interpolated string needs Ruby: skipped, with a warning */
	static const char g2[] =
	    "Gem::Specification.new do |s|\n s.name = \"a#{x}\"\n s.version = \"1\"\nend\n";
	static const char g3[] =
	    "Gem::Specification.new do |s|\n s.name = \"a\"\n s.version = Foo::VERSION\nend\n";
	static const char g4[] = "Gem::Specification.new do |s|\n s.name = \"unterminated\n";
	const char *bad[] = {g2, g3, g4};
	size_t badn[] = {sizeof(g2) - 1, sizeof(g3) - 1, sizeof(g4) - 1};
	for (size_t i = 0; i < 3; i++) {
		inv = parse_one(&file_cataloger_gem, "/specifications/a.gemspec", bad[i], badn[i]);
		assert_int_equal(lading_inventory_npackages(inv), 0);
		assert_true(has_warning(inv, "a.gemspec"));
		lading_inventory_free(inv);
	}
}

/* ---- PHP ---------------------------------------------------------------- */

/* composer.lock's "packages" entries are the objects Composer writes to
 * vendor/composer/installed.json: each corpus lock file is read as a Composer
 * 2 installed.json ({"packages": [...]}: its packages-dev key is ignored, as
 * installed.json has none) and, rewritten to a bare array, as a Composer 1
 * one. go-dep-parser's expected rows are the packages without packages-dev. */
static void test_composer_go_dep_parser(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const char *files[] = {"composer_normal.lock", "composer_with_dev.lock",
				      "composer_laravel.lock", "composer_symfony.lock"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char rel[512], p[4096];
		snprintf(rel, sizeof(rel), "lang/go-dep-parser/php-composer/%s", files[i]);
		char *want = expected_rows("lang/go-dep-parser/php-composer/expected.tsv", files[i], 2);
		assert_true(strlen(want) > 0);
		lading_inventory *inv =
		    parse_corpus(&file_cataloger_composer, "/app/vendor/composer/installed.json", rel);
		char *got = inventory_rows(inv, LADING_PKG_COMPOSER, row_nv);
		assert_string_equal(got, want);
		free(got);
		lading_inventory_free(inv);

		json_error_t e;
		json_t *j = json_load_file(corpus_path(p, sizeof(p), rel), 0, &e);
		assert_non_null(j);
		char *v1 = json_dumps(json_object_get(j, "packages"), 0);
		assert_non_null(v1);
		inv = parse_one(&file_cataloger_composer, "/var/www/vendor/composer/installed.json", v1,
				strlen(v1));
		got = inventory_rows(inv, LADING_PKG_COMPOSER, row_nv);
		assert_string_equal(got, want);
		free(got);
		free(v1);
		free(want);
		json_decref(j);
		lading_inventory_free(inv);
	}
	/* vendor, name and licence land where the purl wants them */
	lading_inventory *inv = parse_corpus(&file_cataloger_composer, "/app/vendor/composer/installed.json",
					     "lang/go-dep-parser/php-composer/composer_normal.lock");
	const lading_package *pkg = lading_inventory_package(inv, 0);
	assert_string_equal(pkg->namespace_, "pear");
	assert_string_equal(pkg->name, "log");
	assert_string_equal(pkg->license, "MIT");
	assert_string_equal(pkg->purl, "pkg:composer/pear/log@1.13.1");
	lading_inventory_free(inv);
}

/* Hand-written edge cases: bad entries are skipped one by one. */
static void test_composer_edge_cases(void **state)
{
	(void)state;
	static const char c1[] =
	    "{\"packages\": [{\"name\": \"a/b\", \"version\": \"v1.0.0\", \"license\": \"MIT\"},"
	    " 7, {\"name\": \"nover/x\"}, {\"name\": \"/x\", \"version\": \"1\"},"
	    " {\"name\": \"root-only\", \"version\": \"2.0\", \"license\": [\"A\", 1, \"B\"]}],"
	    " \"dev\": true, \"dev-package-names\": []}";
	lading_inventory *inv =
	    parse_one(&file_cataloger_composer, "/vendor/composer/installed.json", c1, sizeof(c1) - 1);
	char *got = inventory_rows(inv, LADING_PKG_COMPOSER, row_nvl);
	assert_string_equal(got, "a/b\tv1.0.0\tMIT\nroot-only\t2.0\tA, B\n");
	assert_int_equal(lading_inventory_nwarnings(inv), 3);
	free(got);
	lading_inventory_free(inv);
	static const char c2[] = "{\"packages\": {}}";
	inv = parse_one(&file_cataloger_composer, "/vendor/composer/installed.json", c2, sizeof(c2) - 1);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);
	lading_inventory_free(inv);
}

/* ---- .NET --------------------------------------------------------------- */

/* Hand-written: no Debian package or corpus file has a deps.json. This one is
 * cut down from the deps.json of a real self-contained application
 * (Microsoft's Sarif.Multitool 5.7.0 for linux-x64, which `dotnet publish`
 * wrote with all four library types) and keeps its shape: only "package"
 * libraries are NuGet packages. */
static void test_dotnet_deps_json(void **state)
{
	(void)state;
	static const char d[] =
	    "{\n  \"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v8.0/linux-x64\", \"signature\": "
	    "\"\"},\n"
	    "  \"compilationOptions\": {},\n"
	    "  \"targets\": {\".NETCoreApp,Version=v8.0/linux-x64\": {\"Sarif.Multitool/5.7.0\": "
	    "{\"dependencies\": {\"CommandLineParser\": \"2.9.1\"}, \"runtime\": {\"Sarif.Multitool.dll\": "
	    "{}}}}},\n"
	    "  \"libraries\": {\n"
	    "    \"Sarif.Multitool/5.7.0\": {\"type\": \"project\", \"serviceable\": false, \"sha512\": "
	    "\"\"},\n"
	    "    \"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.30\": {\"type\": \"runtimepack\", "
	    "\"serviceable\": false, \"sha512\": \"\"},\n"
	    "    \"CommandLineParser/2.9.1\": {\"type\": \"package\", \"serviceable\": true, \"sha512\": "
	    "\"sha512-u0wM1NbgzLQC8ht2Rm7E3PptEmK8jgjR/"
	    "dcXlqmq32dBLoWhudm8bxrW8eHK64gw9ZhAO1rVMqPzM2WX9gNTHg==\", "
	    "\"path\": \"commandlineparser/2.9.1\", \"hashPath\": "
	    "\"commandlineparser.2.9.1.nupkg.sha512\"},\n"
	    "    \"Newtonsoft.Json/13.0.3\": {\"type\": \"package\", \"serviceable\": true},\n"
	    "    \"Sarif/5.7.0.0\": {\"type\": \"reference\", \"serviceable\": false, \"sha512\": \"\"},\n"
	    "    \"Broken\": {\"type\": \"package\"},\n"
	    "    \"Also/Broken/1\": {\"type\": \"package\"},\n"
	    "    \"NotAnObject/1.0\": 3\n"
	    "  }\n}\n";
	lading_inventory *inv =
	    parse_one(&file_cataloger_dotnet, "/app/Sarif.Multitool.deps.json", d, sizeof(d) - 1);
	char *got = inventory_rows(inv, LADING_PKG_NUGET, row_nv);
	assert_string_equal(got, "CommandLineParser\t2.9.1\nNewtonsoft.Json\t13.0.3\n");
	assert_int_equal(lading_inventory_nwarnings(inv), 3);
	const lading_package *p = lading_inventory_package(inv, 0);
	assert_string_equal(p->purl, "pkg:nuget/CommandLineParser@2.9.1");
	assert_string_equal(p->db_path, "/app/Sarif.Multitool.deps.json");
	free(got);
	lading_inventory_free(inv);

	static const char bad[] = "{\"libraries\": [";
	inv = parse_one(&file_cataloger_dotnet, "/app/x.deps.json", bad, sizeof(bad) - 1);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);
	lading_inventory_free(inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_python_go_dep_parser),   cmocka_unit_test(test_python_syft_site_packages),
	    cmocka_unit_test(test_python_edge_cases),	   cmocka_unit_test(test_python_debian_vs_importlib),
	    cmocka_unit_test(test_gem_go_dep_parser),	   cmocka_unit_test(test_gem_debian_vs_rubygems),
	    cmocka_unit_test(test_gem_host_ruby),	   cmocka_unit_test(test_gem_edge_cases),
	    cmocka_unit_test(test_composer_go_dep_parser), cmocka_unit_test(test_composer_edge_cases),
	    cmocka_unit_test(test_dotnet_deps_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
