/* Lockfile catalogers (src/catalog/lock_js.c, lock_python.c, lock_other.c):
 * every go-dep-parser fixture in the corpus against its expected.tsv, the
 * python-syft lockfiles against what their text says, a package-lock.json v3
 * made by a real `npm install` against `npm ls --all`, and hand-written
 * edge cases (marked as such) for what the corpus does not hold. */
#include <dirent.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"

#include "catalog/catalog.h"
#include "catalog/lock.h"
#include "inventory.h"

static const char *cur_path; /* the lockfile path the rows must name */

static char *row(const lading_package *p)
{
	assert_int_equal(p->declared, 1);
	assert_string_equal(p->db_path, cur_path);
	assert_non_null(p->purl);
	char *s = NULL;
	assert_true(asprintf(&s, "%s%s%s\t%s\n", p->namespace_ ? p->namespace_ : "", p->namespace_ ? "/" : "",
			     p->name, p->version) > 0);
	return s;
}

/* Runs one cataloger's parse on `data` as if found at `path`; returns the
 * sorted rows "name\tversion\n" and the number of warnings. */
static char *parse_rows(const file_cataloger *fc, lading_pkg_type type, const char *path, const char *data,
			size_t len, size_t *nwarn)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	file_run run = {.inv = inv, .path = path, .layer = 0};
	assert_int_equal(fc->parse(&run, sv_make(data, len)), 0);
	assert_int_equal(inv_finish(inv), 0);
	cur_path = path;
	char *rows = inventory_rows(inv, type, row);
	if (nwarn)
		*nwarn = lading_inventory_nwarnings(inv);
	lading_inventory_free(inv);
	return rows;
}

static char *parse_str(const file_cataloger *fc, lading_pkg_type type, const char *path, const char *text)
{
	return parse_rows(fc, type, path, text, strlen(text), NULL);
}

/* The rows of `file` in a go-dep-parser expected.tsv, sorted and unique. */
static char *expected_rows(const char *tsv, const char *file)
{
	VEC(char *) v = {0};
	const char *p = tsv;
	size_t total = 1;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *line = strndup(p, n);
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL,
		     *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
		if (t3)
			*t3 = 0;
		if (t1 && t2) {
			*t1 = 0;
			if (!strcmp(line, file)) {
				char *r = NULL;
				*t2 = 0;
				assert_true(asprintf(&r, "%s\t%s\n", t1 + 1, t2 + 1) > 0);
				assert_int_equal(vec_push(&v, r), 0);
				total += strlen(r);
			}
		}
		free(line);
		p = e ? e + 1 : p + n;
	}
	qsort(v.v, v.n, sizeof(char *), testutil_cmp_str);
	char *out = calloc(1, total);
	assert_non_null(out);
	for (size_t i = 0; i < v.n; i++)
		if (!i || strcmp(v.v[i], v.v[i - 1]))
			strcat(out, v.v[i]);
	for (size_t i = 0; i < v.n; i++)
		free(v.v[i]);
	vec_free(&v);
	return out;
}

/* Lines of `a` that are not in `b` (both sorted, unique), as one string. */
static char *rows_minus(const char *a, const char *b, size_t *n)
{
	char *out = calloc(1, strlen(a) + 1);
	assert_non_null(out);
	*n = 0;
	for (const char *p = a; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = (size_t)(e - p) + 1;
		bool found = false;
		for (const char *q = b; *q && !found;) {
			const char *f = strchr(q, '\n');
			found = (size_t)(f - q) + 1 == len && !memcmp(p, q, len);
			q = f + 1;
		}
		if (!found) {
			strncat(out, p, len);
			(*n)++;
		}
		p = e + 1;
	}
	return out;
}

/* Compares a go-dep-parser fixture with its expected rows. Our rows must all
 * be expected; `missing` expected rows may be absent (each caller says why). */
static void check_gdp(const file_cataloger *fc, lading_pkg_type type, const char *eco, const char *file,
		      size_t missing)
{
	char rel[256], path[2048], lockpath[128];
	snprintf(rel, sizeof(rel), "lang/go-dep-parser/%s/expected.tsv", eco);
	char *tsv = slurp(corpus_path(path, sizeof(path), rel), NULL);
	assert_non_null(tsv);
	snprintf(rel, sizeof(rel), "lang/go-dep-parser/%s/%s", eco, file);
	size_t len = 0;
	char *data = slurp(corpus_path(path, sizeof(path), rel), &len);
	assert_non_null(data);
	snprintf(lockpath, sizeof(lockpath), "/app/%s", file);
	char *got = parse_rows(fc, type, lockpath, data, len, NULL);
	char *want = expected_rows(tsv, file);
	size_t nextra, nmissing;
	char *extra = rows_minus(got, want, &nextra), *lost = rows_minus(want, got, &nmissing);
	if (nextra || nmissing != missing)
		fprintf(stderr, "%s/%s: %zu unexpected rows:\n%s%zu missing rows (allowed %zu):\n%s", eco,
			file, nextra, extra, nmissing, missing, lost);
	assert_int_equal(nextra, 0);
	assert_int_equal(nmissing, missing);
	assert_true(strlen(want) > 0);
	free(extra);
	free(lost);
	free(got);
	free(want);
	free(data);
	free(tsv);
}

/* ---- go-dep-parser fixtures ------------------------------------------------------ */

static void test_npm_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* go-dep-parser's npm lists leave out dev dependencies, as we do */
	static const char *const files[] = {"package-lock_normal.json", "package-lock_nested.json",
					    "package-lock_react.json", "package-lock_with_dev.json",
					    "package-lock_many.json"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_npm_lock, LADING_PKG_NPM, "nodejs-npm", files[i], 0);
}

static void test_yarn_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const char *const files[] = {
	    "yarn_normal.lock",	     "yarn_react.lock",	   "yarn_with_dev.lock",  "yarn_many.lock",
	    "yarn_realworld.lock",   "yarn_with_npm.lock", "yarn_v2_normal.lock", "yarn_v2_react.lock",
	    "yarn_v2_with_dev.lock", "yarn_v2_many.lock"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_yarn_lock, LADING_PKG_NPM, "nodejs-yarn", files[i], 0);
}

static void test_composer_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* "packages" only, as go-dep-parser: packages-dev is left out */
	static const char *const files[] = {"composer_normal.lock", "composer_laravel.lock",
					    "composer_symfony.lock", "composer_with_dev.lock"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_composer_lock, LADING_PKG_COMPOSER, "php-composer", files[i], 0);
}

static void test_pip_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const char *const files[] = {"requirements_flask.txt",	 "requirements_comments.txt",
					    "requirements_spaces.txt",	 "requirements_no_version.txt",
					    "requirements_operator.txt", "requirements_hash.txt"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_requirements, LADING_PKG_PYPI, "python-pip", files[i], 0);
}

static void test_pipenv_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const char *const files[] = {"Pipfile_normal.lock", "Pipfile_django.lock",
					    "Pipfile_many.lock"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_pipfile_lock, LADING_PKG_PYPI, "python-pipenv", files[i], 0);
}

static void test_poetry_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* go-dep-parser lists `category = "dev"` packages; we leave them out (as
	 * trivy does today). The allowed missing counts are those packages: 8, 8
	 * and 46 `category = "dev"` tables in the three files. */
	check_gdp(&file_cataloger_poetry_lock, LADING_PKG_PYPI, "python-poetry", "poetry_normal.lock", 8);
	check_gdp(&file_cataloger_poetry_lock, LADING_PKG_PYPI, "python-poetry", "poetry_flask.lock", 8);
	check_gdp(&file_cataloger_poetry_lock, LADING_PKG_PYPI, "python-poetry", "poetry_many.lock", 46);
}

static void test_bundler_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const char *const files[] = {"Gemfile_normal.lock", "Gemfile_rails.lock", "Gemfile_many.lock"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_gdp(&file_cataloger_gemfile_lock, LADING_PKG_GEM, "ruby-bundler", files[i], 0);
}

static void test_cargo_gdp(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* go-dep-parser also lists the workspace's own crates (no `source`:
	 * "normal 0.1.0" in cargo_normal.lock); we skip them, since no registry
	 * published them. One such crate per file. */
	check_gdp(&file_cataloger_cargo_lock, LADING_PKG_CARGO, "rust-cargo", "cargo_normal.lock", 1);
	check_gdp(&file_cataloger_cargo_lock, LADING_PKG_CARGO, "rust-cargo", "cargo_many.lock", 1);
	check_gdp(&file_cataloger_cargo_lock, LADING_PKG_CARGO, "rust-cargo", "cargo_nickel.lock", 1);
}

/* ---- python-syft fixtures ----------------------------------------------------------- */

static char *parse_corpus(const file_cataloger *fc, lading_pkg_type type, const char *rel,
			  const char *imgpath, size_t *nwarn)
{
	char path[2048];
	size_t len = 0;
	char *data = slurp(corpus_path(path, sizeof(path), rel), &len);
	assert_non_null(data);
	char *rows = parse_rows(fc, type, imgpath, data, len, nwarn);
	free(data);
	return rows;
}

static void test_syft_python(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* requirements.txt: only the exact pins. Left out: ranges (sqlalchemy,
	 * bar, coverage, numpy, Mopidy-Dirble), "==2.8.*", "-e"/"-r" lines, the
	 * commented-out pin, "==2.3.4" without a name, and "== 3.7.1 @ git+…"
	 * (not valid PEP 508: a URL requirement has no version). */
	char *got = parse_corpus(&file_cataloger_requirements, LADING_PKG_PYPI,
				 "lang/python-syft/requires/requirements.txt", "/app/requirements.txt", NULL);
	assert_string_equal(got, "FrIeNdLy-_-bArD\t1.0.0\n"
				 "SomeProject\t5.4\n"
				 "argh\t0.26.2\n"
				 "argh\t0.26.3\n"
				 "celery\t4.4.7\n"
				 "dots-._allowed\t1.0.0\n"
				 "flask\t4.0.0\n"
				 "foo\t1.0.0\n"
				 "local-version\t1.2.3+gcr.2\n"
				 "urllib3\t1.26.20\n");
	free(got);
	/* Pipfile.lock: "default" only; "develop" (astroid, autopep8) is left out */
	got = parse_corpus(&file_cataloger_pipfile_lock, LADING_PKG_PYPI,
			   "lang/python-syft/pipfile-lock/Pipfile.lock", "/app/Pipfile.lock", NULL);
	assert_string_equal(got,
			    "aio-pika\t6.8.0\naiodns\t2.0.0\naiohttp\t3.7.4.post0\naiohttp-jinja2\t1.4.2\n");
	free(got);
	/* uv.lock: the project itself (testpkg, source = { virtual = "." }) is not a package */
	got = parse_corpus(&file_cataloger_uv_lock, LADING_PKG_PYPI,
			   "lang/python-syft/uv/simple-deps/uv.lock", "/app/uv.lock", NULL);
	assert_string_equal(got,
			    "certifi\t2025.1.31\ncharset-normalizer\t3.4.1\nidna\t3.10\nrequests\t2.32.3\n"
			    "urllib3\t2.3.0\n");
	free(got);
	/* poetry.lock whose every package is category "dev": nothing, and the odd
	 * values ("malformed = [ [ { … } ] ]", multi-line arrays) read without a warning */
	size_t nwarn = 9;
	got = parse_corpus(&file_cataloger_poetry_lock, LADING_PKG_PYPI,
			   "lang/python-syft/poetry/dev-deps/poetry.lock", "/app/poetry.lock", &nwarn);
	assert_string_equal(got, "");
	assert_int_equal(nwarn, 0);
	free(got);
	/* the other syft poetry and uv fixtures: every [[package]] that is not
	 * dev or local is listed, with no warning */
	static const char *const poetry[] = {"simple-deps", "nested-extras", "conflicting-with-extras",
					     "case-sensitivity", "multiple-extras"};
	for (size_t i = 0; i < sizeof(poetry) / sizeof(poetry[0]); i++) {
		char rel[256], path[2048];
		snprintf(rel, sizeof(rel), "lang/python-syft/poetry/%s/poetry.lock", poetry[i]);
		char *text = slurp(corpus_path(path, sizeof(path), rel), NULL);
		assert_non_null(text);
		size_t tables = 0;
		for (const char *p = text; (p = strstr(p, "[[package]]")) != NULL; p++)
			tables++;
		got = parse_corpus(&file_cataloger_poetry_lock, LADING_PKG_PYPI, rel, "/app/poetry.lock",
				   &nwarn);
		size_t rows = 0;
		for (const char *p = got; *p; p++)
			rows += *p == '\n';
		assert_int_equal(nwarn, 0);
		assert_true(rows > 0 && rows <= tables);
		if (!strstr(text, "category = \"dev\"") && !strstr(text, "type = \"directory\""))
			assert_int_equal(rows, tables);
		free(got);
		free(text);
	}
}

/* ---- hand-written edge cases ------------------------------------------------------ */

static void test_npm_edge(void **state)
{
	(void)state;
	/* Hand-written: a v3 lockfile with the project (""), a workspace member
	 * and its link, a dev package, an alias, a scoped nested copy, a git
	 * dependency (no registry version) and an entry without a version. */
	const char *lock =
	    "{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{"
	    "\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
	    "\"packages/ws\":{\"name\":\"ws-local\",\"version\":\"0.1.0\"},"
	    "\"node_modules/ws-local\":{\"resolved\":\"packages/ws\",\"link\":true},"
	    "\"node_modules/mocha\":{\"version\":\"10.0.0\",\"dev\":true},"
	    "\"node_modules/fsevents\":{\"version\":\"2.3.3\",\"devOptional\":true,\"optional\":true},"
	    "\"node_modules/strip\":{\"name\":\"strip-ansi\",\"version\":\"6.0.1\"},"
	    "\"node_modules/a/node_modules/@types/node\":{\"version\":\"20.1.0\"},"
	    "\"packages/ws/node_modules/lodash\":{\"version\":\"4.17.21\"},"
	    "\"node_modules/gitdep\":{\"version\":\"git+ssh://git@github.com/x/y.git#abc\"},"
	    "\"node_modules/nover\":{}"
	    "}}";
	size_t nwarn;
	char *got = parse_rows(&file_cataloger_npm_lock, LADING_PKG_NPM, "/app/package-lock.json", lock,
			       strlen(lock), &nwarn);
	assert_string_equal(got,
			    "@types/node\t20.1.0\nfsevents\t2.3.3\nlodash\t4.17.21\nstrip-ansi\t6.0.1\n");
	assert_int_equal(nwarn, 1); /* nover */
	free(got);
	/* a published package's own lockfile under node_modules is not the app's */
	got = parse_str(&file_cataloger_npm_lock, LADING_PKG_NPM, "/app/node_modules/x/package-lock.json",
			lock);
	assert_string_equal(got, "");
	free(got);
	/* v1 alias and bad JSON (a warning, nothing else) */
	got = parse_str(
	    &file_cataloger_npm_lock, LADING_PKG_NPM, "/app/package-lock.json",
	    "{\"lockfileVersion\":1,\"dependencies\":{\"sw\":{\"version\":\"npm:string-width@4.2.3\"},"
	    "\"x\":{\"version\":\"file:../x\"}}}");
	assert_string_equal(got, "string-width\t4.2.3\n");
	free(got);
	got = parse_rows(&file_cataloger_npm_lock, LADING_PKG_NPM, "/app/package-lock.json",
			 "{\"packages\":", 12, &nwarn);
	assert_string_equal(got, "");
	assert_int_equal(nwarn, 1);
	free(got);
}

static void test_yarn_edge(void **state)
{
	(void)state;
	/* Hand-written: berry with a workspace, a patch of a package also
	 * listed plainly, a scoped package, an alias and a link: entry; v1 with
	 * an alias and a file: entry. */
	const char *berry =
	    "__metadata:\n  version: 6\n\n"
	    "\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n"
	    "\"@babel/core@npm:^7.0.0, @babel/core@npm:^7.1.0\":\n  version: 7.22.5\n"
	    "  resolution: \"@babel/core@npm:7.22.5\"\n  dependencies:\n    version: 9.9.9\n\n"
	    "fsevents@~2.3.2:\n  version: 2.3.3\n  resolution: \"fsevents@npm:2.3.3\"\n\n"
	    "\"fsevents@patch:fsevents@~2.3.2#~builtin<compat/fsevents>\":\n  version: 2.3.3\n"
	    "  resolution: "
	    "\"fsevents@patch:fsevents@npm%3A2.3.3#~builtin<compat/fsevents>::version=2.3.3\"\n\n"
	    "\"sw@npm:string-width@^4\":\n  version: 4.2.3\n  resolution: \"string-width@npm:4.2.3\"\n\n"
	    "\"local@link:../local\":\n  version: 0.0.0-use.local\n  resolution: "
	    "\"local@link:../local::locator=app%40workspace%3A.\"\n";
	char *got = parse_str(&file_cataloger_yarn_lock, LADING_PKG_NPM, "/app/yarn.lock", berry);
	assert_string_equal(got, "@babel/core\t7.22.5\nfsevents\t2.3.3\nstring-width\t4.2.3\n");
	free(got);
	const char *v1 =
	    "# yarn lockfile v1\n\n\"sw@npm:string-width@^4\":\n  version \"4.2.3\"\n\n"
	    "local@file:../local:\n  version \"1.0.0\"\n\n\"@types/node@*\", \"@types/node@^20\":\n"
	    "  version \"20.1.0\"\n  dependencies:\n    undici-types \"~5.26.4\"\n";
	got = parse_str(&file_cataloger_yarn_lock, LADING_PKG_NPM, "/app/yarn.lock", v1);
	assert_string_equal(got, "@types/node\t20.1.0\nstring-width\t4.2.3\n");
	free(got);
}

static void test_pnpm(void **state)
{
	(void)state;
	/* Hand-written, after the three key forms pnpm writes (v5.4, v6.0, v9.0),
	 * with peer suffixes, dev flags and a tarball entry. No pnpm lockfile
	 * is in the corpus. */
	const char *v5 =
	    "lockfileVersion: 5.4\n\nspecifiers:\n  react: ^18.0.0\n\n"
	    "packages:\n\n  /@babel/code-frame/7.18.6:\n    resolution: {integrity: sha512-x}\n"
	    "    dependencies:\n      '@babel/highlight': 7.18.6\n    dev: false\n\n"
	    "  /react-dom/18.2.0_react@18.2.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n\n"
	    "  /jest/29.0.0:\n    dev: true\n\n"
	    "  github.com/user/repo/abcdef:\n    resolution: {tarball: https://codeload.github.com/x}\n"
	    "    name: repo\n    version: 1.2.0\n    dev: false\n";
	char *got = parse_str(&file_cataloger_pnpm_lock, LADING_PKG_NPM, "/app/pnpm-lock.yaml", v5);
	assert_string_equal(got, "@babel/code-frame\t7.18.6\nreact-dom\t18.2.0\nrepo\t1.2.0\n");
	free(got);
	const char *v6 =
	    "lockfileVersion: '6.0'\n\ndependencies:\n  react:\n    specifier: ^18\n    version: 18.2.0\n\n"
	    "packages:\n\n  /@babel/code-frame@7.18.6:\n    resolution: {integrity: sha512-x}\n    dev: "
	    "false\n\n"
	    "  /react-dom@18.2.0(react@18.2.0):\n    dev: false\n\n  /jest@29.0.0:\n    dev: true\n";
	got = parse_str(&file_cataloger_pnpm_lock, LADING_PKG_NPM, "/app/pnpm-lock.yaml", v6);
	assert_string_equal(got, "@babel/code-frame\t7.18.6\nreact-dom\t18.2.0\n");
	free(got);
	const char *v9 =
	    "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      react:\n"
	    "        specifier: ^18\n        version: 18.2.0\n\npackages:\n\n"
	    "  '@babel/code-frame@7.18.6':\n    resolution: {integrity: sha512-x}\n\n"
	    "  react@18.2.0:\n    resolution: {integrity: sha512-z}\n\n"
	    "  tb@https://example.com/tb-1.0.0.tgz:\n    resolution: {tarball: "
	    "https://example.com/tb-1.0.0.tgz}\n"
	    "    version: 1.0.0\n\n"
	    "snapshots:\n\n  react-dom@18.2.0(react@18.2.0):\n    dependencies:\n      react: 18.2.0\n";
	got = parse_str(&file_cataloger_pnpm_lock, LADING_PKG_NPM, "/app/pnpm-lock.yaml", v9);
	assert_string_equal(got, "@babel/code-frame\t7.18.6\nreact\t18.2.0\ntb\t1.0.0\n");
	free(got);
}

static void test_other_edge(void **state)
{
	(void)state;
	/* Hand-written: GEM specs with a platform suffix, a GIT section (left
	 * out) and dependency lines; Cargo.lock with a git source and a path
	 * crate; requirements with a continuation, and the file-name filter. */
	const char *gem =
	    "GIT\n  remote: https://github.com/x/y\n  revision: abc\n  specs:\n    y (0.1.0)\n\n"
	    "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.0-x86_64-linux)\n"
	    "      racc (~> 1.4)\n    racc (1.7.3)\n    rails (7.1.0.rc1)\n    broken\n\nPLATFORMS\n  ruby\n";
	size_t nwarn;
	char *got = parse_rows(&file_cataloger_gemfile_lock, LADING_PKG_GEM, "/app/Gemfile.lock", gem,
			       strlen(gem), &nwarn);
	assert_string_equal(got, "nokogiri\t1.16.0\nracc\t1.7.3\nrails\t7.1.0.rc1\n");
	assert_int_equal(nwarn, 1);
	free(got);
	const char *cargo =
	    "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n"
	    " \"serde\",\n \"[[package]]\",\n]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.190\"\n"
	    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\n"
	    "name = 'g'\nversion = \"0.2.0\" # trailing comment\nsource = \"git+https://x/g#abc\"\n\n"
	    "[metadata]\nname = \"notapackage\"\nversion = \"1\"\nsource = \"x\"\n";
	got = parse_rows(&file_cataloger_cargo_lock, LADING_PKG_CARGO, "/app/Cargo.lock", cargo,
			 strlen(cargo), &nwarn);
	assert_string_equal(got, "g\t0.2.0\nserde\t1.0.190\n");
	assert_int_equal(nwarn, 0);
	free(got);
	const char *req = "a==1.0 \\\n  --hash=sha256:00\nb == 2.0 # c \\\nc==3.0\n-r other.txt\nd>=1\n";
	got = parse_str(&file_cataloger_requirements, LADING_PKG_PYPI, "/app/requirements/prod.txt", req);
	assert_string_equal(got, "a\t1.0\nb\t2.0\nc\t3.0\n");
	free(got);
	got = parse_str(&file_cataloger_requirements, LADING_PKG_PYPI, "/app/requirements-tests/notes.txt",
			req);
	assert_string_equal(got, "");
	free(got);
	got = parse_str(&file_cataloger_requirements, LADING_PKG_PYPI,
			"/usr/lib/python3/site-packages/x/requirements.txt", req);
	assert_string_equal(got, "");
	free(got);
	/* composer: vendor is the namespace; packages-dev is left out */
	got =
	    parse_str(&file_cataloger_composer_lock, LADING_PKG_COMPOSER, "/app/composer.lock",
		      "{\"packages\":[{\"name\":\"monolog/monolog\",\"version\":\"2.9.1\"},{\"name\":\"x\"}],"
		      "\"packages-dev\":[{\"name\":\"phpunit/phpunit\",\"version\":\"9.6.0\"}]}");
	assert_string_equal(got, "monolog/monolog\t2.9.1\n");
	free(got);
}

static void test_claims(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		const file_cataloger *fc;
	} cases[] = {
	    {"/app/package-lock.json", &file_cataloger_npm_lock},
	    {"/app/yarn.lock", &file_cataloger_yarn_lock},
	    {"/app/pnpm-lock.yaml", &file_cataloger_pnpm_lock},
	    {"/app/poetry.lock", &file_cataloger_poetry_lock},
	    {"/app/Pipfile.lock", &file_cataloger_pipfile_lock},
	    {"/app/uv.lock", &file_cataloger_uv_lock},
	    {"/app/requirements.txt", &file_cataloger_requirements},
	    {"/app/requirements-dev.txt", &file_cataloger_requirements},
	    {"/app/requirements/prod.txt", &file_cataloger_requirements},
	    {"/app/Gemfile.lock", &file_cataloger_gemfile_lock},
	    {"/app/composer.lock", &file_cataloger_composer_lock},
	    {"/app/Cargo.lock", &file_cataloger_cargo_lock},
	    {"/app/notes.txt", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_ptr_equal(file_catalog_for(cases[i].path, strlen(cases[i].path)), cases[i].fc);
}

/* ---- a real npm install ---------------------------------------------------------- */

typedef VEC(char *) strvec;

static void ls_rows(json_t *deps, strvec *out)
{
	const char *name;
	json_t *d;
	json_object_foreach(deps, name, d)
	{
		const char *v = json_string_value(json_object_get(d, "version"));
		if (v) {
			char *r = NULL;
			assert_true(asprintf(&r, "%s\t%s\n", name, v) > 0);
			assert_int_equal(vec_push(out, r), 0);
		}
		ls_rows(json_object_get(d, "dependencies"), out);
	}
}

static void test_npm_real(void **state)
{
	(void)state;
	char dir[] = "/tmp/lading-npm-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[1024];
	/* a production dependency tree and a dev dependency, from the registry */
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %s && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --lockfile-version 3 "
	    "express@4.19.2 '@babel/code-frame@7.24.7' >/dev/null 2>&1 && "
	    "npm install --no-audit --no-fund --save-dev 'semver@7.6.2' >/dev/null 2>&1 && "
	    "npm ls --all --json --omit=dev > ls.json 2>/dev/null",
	    dir);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
		fprintf(stderr, "SKIP %s: npm or the npm registry is not reachable\n", __func__);
		skip();
	}
	char path[1100];
	snprintf(path, sizeof(path), "%s/package-lock.json", dir);
	size_t len = 0;
	char *lock = slurp(path, &len);
	snprintf(path, sizeof(path), "%s/ls.json", dir);
	json_error_t e;
	json_t *ls = json_load_file(path, 0, &e);
	/* the temporary tree is not needed any more: remove it before any assert */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	assert_non_null(lock);
	assert_non_null(ls);
	assert_non_null(strstr(lock, "\"lockfileVersion\": 3"));
	char *got = parse_rows(&file_cataloger_npm_lock, LADING_PKG_NPM, "/srv/app/package-lock.json", lock,
			       len, NULL);
	strvec v = {0};
	ls_rows(json_object_get(ls, "dependencies"), &v);
	qsort(v.v, v.n, sizeof(char *), testutil_cmp_str);
	buf want = {0};
	for (size_t i = 0; i < v.n; i++)
		if (!i || strcmp(v.v[i], v.v[i - 1]))
			assert_int_equal(buf_puts(&want, v.v[i]), 0);
	for (size_t i = 0; i < v.n; i++)
		free(v.v[i]);
	vec_free(&v);
	assert_true(want.n > 0);
	assert_non_null(strstr(want.p, "express\t4.19.2\n"));
	assert_null(strstr(got, "semver\t7.6.2\n")); /* the dev dependency */
	assert_string_equal(got, want.p);
	buf_free(&want);
	json_decref(ls);
	free(got);
	free(lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_npm_gdp),	 cmocka_unit_test(test_yarn_gdp),
	    cmocka_unit_test(test_composer_gdp), cmocka_unit_test(test_pip_gdp),
	    cmocka_unit_test(test_pipenv_gdp),	 cmocka_unit_test(test_poetry_gdp),
	    cmocka_unit_test(test_bundler_gdp),	 cmocka_unit_test(test_cargo_gdp),
	    cmocka_unit_test(test_syft_python),	 cmocka_unit_test(test_npm_edge),
	    cmocka_unit_test(test_yarn_edge),	 cmocka_unit_test(test_pnpm),
	    cmocka_unit_test(test_other_edge),	 cmocka_unit_test(test_claims),
	    cmocka_unit_test(test_npm_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
