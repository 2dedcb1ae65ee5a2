/* Tests of the dpkg cataloger (src/catalog/dpkg.c). The real status files of
 * the corpus must give exactly what dpkg-query printed for them; the syft
 * distroless fixtures (including corrupt, empty and deinstall) must give the
 * values read by hand from the files. One hand-written fixture covers .list
 * handling (directories, links, multi-arch names), for which the corpus has
 * no real info/<pkg>.list file. */
#include <dirent.h>

#include "testutil.h"

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"
#include "lading/lading.h"

/* "package, version, source, source version, arch" rows, as dpkg-query prints them. */
static char *dpkg_row(const lading_package *p)
{
	char *r = NULL;
	if (asprintf(&r, "%s\t%s\t%s\t%s\t%s\n", p->name, p->version, p->source_name, p->source_version,
		     p->arch ? p->arch : "") < 0)
		return NULL;
	return r;
}

static char *rows_of(lading_inventory *inv) { return inventory_rows(inv, LADING_PKG_DPKG, dpkg_row); }

static lading_inventory *parse_corpus_status(const char *rel, const char *db_path, sv *keep)
{
	char abs[5120];
	size_t n = 0;
	char *data = slurp(corpus_path(abs, sizeof(abs), rel), &n);
	assert_non_null(data);
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.inv = inv, .warn = true};
	assert_int_equal(dpkg_parse_status(&r, sv_make(data, n), db_path), 0);
	*keep = sv_make(data, n);
	return inv;
}

static void expect_tsv(const char *status_rel, const char *tsv_rel, size_t count)
{
	char abs[5120];
	sv data;
	lading_inventory *inv = parse_corpus_status(status_rel, "/var/lib/dpkg/status", &data);
	char *want = slurp(corpus_path(abs, sizeof(abs), tsv_rel), NULL);
	assert_non_null(want);
	char *got = rows_of(inv);
	assert_string_equal(got, want);
	assert_int_equal(lading_inventory_npackages(inv), count);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	free(got);
	free(want);
	free((void *)data.p);
	lading_inventory_free(inv);
}

static void test_bookworm_minbase(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	expect_tsv("pkgdb/dpkg/debian-bookworm-minbase/status",
		   "pkgdb/dpkg/debian-bookworm-minbase/status.dpkg-query.tsv", 88);
}

static void test_texlive(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	expect_tsv("pkgdb/dpkg/claircore/texlive.status",
		   "pkgdb/dpkg/claircore/texlive.status.dpkg-query.tsv", 357);
}

static const lading_package *find_pkg(lading_inventory *inv, const char *name, const char *db_path)
{
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		if (strcmp(p->name, name) == 0 && (!db_path || strcmp(p->db_path, db_path) == 0))
			return p;
	}
	return NULL;
}

static const lading_pkg_file *find_file(const lading_package *p, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	return NULL;
}

/* Like find_pkg / find_file, but the test fails (and never returns NULL) when absent. */
static const lading_package *must_pkg(lading_inventory *inv, const char *name, const char *db_path)
{
	const lading_package *p = find_pkg(inv, name, db_path);
	if (!p) {
		fail_msg("package %s not found", name);
		abort();
	}
	return p;
}

static const lading_pkg_file *must_file(const lading_package *p, const char *path)
{
	const lading_pkg_file *f = find_file(p, path);
	if (!f) {
		fail_msg("%s: file %s not found", p->name, path);
		abort();
	}
	return f;
}

static void test_small_claircore(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	sv data;
	lading_inventory *inv =
	    parse_corpus_status("pkgdb/dpkg/claircore/postgresql.status", "/var/lib/dpkg/status", &data);
	assert_int_equal(lading_inventory_npackages(inv), 3);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	free((void *)data.p);
	lading_inventory_free(inv);

	inv = parse_corpus_status("pkgdb/dpkg/claircore/debian-only.status", "/var/lib/dpkg/status", &data);
	assert_int_equal(lading_inventory_npackages(inv), 1);
	free((void *)data.p);
	lading_inventory_free(inv);
}

/* vcpkg writes the same syntax; it is not a dpkg database: nothing, one warning. */
static void test_vcpkg(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	sv data;
	lading_inventory *inv =
	    parse_corpus_status("pkgdb/dpkg/claircore/vcpkg.status", "/var/lib/dpkg/status", &data);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);
	assert_non_null(strstr(lading_inventory_warning(inv, 0), "vcpkg"));
	free((void *)data.p);
	lading_inventory_free(inv);
}

/* Puts every file of a corpus dir into the view under `vdir`. */
static void put_dir(fsview *v, const char *rel, const char *vdir)
{
	char abs[5120];
	corpus_path(abs, sizeof(abs), rel);
	DIR *d = opendir(abs);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[5400], q[1024];
		snprintf(p, sizeof(p), "%s/%s", abs, e->d_name);
		snprintf(q, sizeof(q), "%s/%s", vdir, e->d_name);
		size_t n = 0;
		char *data = slurp(p, &n);
		assert_non_null(data);
		assert_int_equal(fsview_put_copy(v, q, data, n), 0);
		free(data);
	}
	closedir(d);
}

static size_t count_db(lading_inventory *inv, const char *db_path)
{
	size_t n = 0;
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++)
		n += strcmp(lading_inventory_package(inv, i)->db_path, db_path) == 0;
	return n;
}

static size_t count_warnings(lading_inventory *inv, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < lading_inventory_nwarnings(inv); i++)
		n += strstr(lading_inventory_warning(inv, i), needle) != NULL;
	return n;
}

#define SD "/var/lib/dpkg/status.d/"

/* syft's distroless status.d fixtures, through run(). */
static void test_syft_status_d(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	fsview *v;
	lading_inventory *inv;
	assert_int_equal(fsview_new(&v), 0);
	put_dir(v, "pkgdb/dpkg/syft/var/lib/dpkg/status.d", "/var/lib/dpkg/status.d");
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_dpkg.run(&r), 0);

	assert_int_equal(count_db(inv, SD "coreutils-relationships"), 9);
	assert_int_equal(count_db(inv, SD "corrupt"), 0);
	assert_int_equal(count_db(inv, SD "deinstall"), 1);
	assert_int_equal(count_db(inv, SD "doc-examples"), 5);
	assert_int_equal(count_db(inv, SD "empty"), 0);
	assert_int_equal(count_db(inv, SD "installed-size-4KB"), 1);
	assert_int_equal(count_db(inv, SD "libpam-runtime"), 1);
	assert_int_equal(count_db(inv, SD "multiple"), 2);
	assert_int_equal(count_db(inv, SD "single"), 1);
	assert_int_equal(lading_inventory_npackages(inv), 20);

	/* every skipped stanza is named with its file and line */
	assert_int_equal(count_warnings(inv, SD "corrupt: stanza at line 1 has no Package"), 1);
	assert_int_equal(count_warnings(inv, SD "empty: stanza at line 1 has no Package"), 1);
	assert_int_equal(count_warnings(inv, SD "multiple: stanza at line 1 has no Package"), 1);
	assert_int_equal(count_warnings(inv, SD "multiple: stanza at line 3 has no Version"), 1);
	assert_int_equal(count_warnings(inv, SD "libpam-runtime: stanza at"), 5);
	assert_int_equal(count_warnings(inv, SD "deinstall"), 0);

	/* deinstall: the config-files package is not installed */
	assert_non_null(find_pkg(inv, "linux-image-6.14.0-1012-aws", NULL));
	assert_null(find_pkg(inv, "linux-image-6.8.0-1029-aws", NULL));
	const lading_package *p = must_pkg(inv, "linux-image-6.14.0-1012-aws", NULL);
	assert_string_equal(p->source_name, "linux-signed-aws-6.14");
	assert_string_equal(p->source_version, "6.14.0-1012.12~24.04.1");

	/* "Source: libselinux (3.4-1)" against binary version 3.4-1+b6 */
	p = must_pkg(inv, "libselinux1", NULL);
	assert_non_null(p);
	assert_string_equal(p->version, "3.4-1+b6");
	assert_string_equal(p->source_name, "libselinux");
	assert_string_equal(p->source_version, "3.4-1");
	assert_string_equal(p->arch, "arm64");
	p = must_pkg(inv, "libattr1", NULL);
	assert_string_equal(p->version, "1:2.5.1-4");
	assert_string_equal(p->source_version, "1:2.5.1-4");

	/* no Status in status.d: still installed; no Architecture: NULL */
	p = must_pkg(inv, "mutt", NULL);
	assert_non_null(p);
	assert_string_equal(p->version, "1.3.17-1");
	assert_null(p->arch);
	p = must_pkg(inv, "made-up-package-1", NULL);
	assert_string_equal(p->source_name, "glibc");
	assert_string_equal(p->source_version, "1.0.0");

	/* single: Conffiles field gives config files with their md5 */
	p = must_pkg(inv, "apt", SD "single");
	assert_non_null(p);
	assert_string_equal(p->version, "1.8.2");
	assert_string_equal(p->source_name, "apt-dev");
	assert_string_equal(p->maintainer, "APT Development Team <deity@lists.debian.org>");
	assert_int_equal(p->nfiles, 4);
	const lading_pkg_file *f = must_file(p, "/etc/cron.daily/apt-compat");
	assert_non_null(f);
	assert_int_equal(f->config, 1);
	assert_string_equal(f->digest, "md5:49e9b2cfa17849700d4db735d04244f3");
	/* an empty Conffiles field gives no files */
	assert_int_equal(must_pkg(inv, "apt", SD "installed-size-4KB")->nfiles, 0);

	p = must_pkg(inv, "tzdata", NULL);
	assert_string_equal(p->source_name, "tzdata-dev");
	assert_string_equal(p->version, "2020a-0+deb10u1");

	lading_inventory_free(inv);
	fsview_free(v);
}

/* syft's image-distroless-deb: status.d/<pkg> with status.d/<pkg>.md5sums. */
static void test_syft_distroless_md5sums(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	fsview *v;
	lading_inventory *inv;
	assert_int_equal(fsview_new(&v), 0);
	put_dir(v, "pkgdb/dpkg/syft/image-distroless-deb/var/lib/dpkg/status.d", "/var/lib/dpkg/status.d");
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_dpkg.run(&r), 0);
	assert_int_equal(lading_inventory_npackages(inv), 1);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	const lading_package *p = lading_inventory_package(inv, 0);
	assert_string_equal(p->name, "libsqlite3-0");
	assert_string_equal(p->version, "3.34.1-3");
	assert_string_equal(p->source_name, "sqlite3");
	assert_string_equal(p->source_version, "3.34.1-3");
	assert_string_equal(p->arch, "arm64");
	assert_string_equal(p->db_path, SD "libsqlite3-0");
	assert_int_equal(p->nfiles, 6);
	const lading_pkg_file *f = must_file(p, "/usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6");
	assert_non_null(f);
	assert_string_equal(f->digest, "md5:e11d70c96979a1328ae4e7e50542782b");
	assert_int_equal(f->config, 0);
	assert_non_null(find_file(p, "/usr/share/doc/libsqlite3-0/copyright"));
	lading_inventory_free(inv);
	fsview_free(v);
}

/* syft's image-dpkg: status + info/<pkg>.md5sums + info/<pkg>.conffiles. */
static void test_syft_image_dpkg(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	fsview *v;
	lading_inventory *inv;
	char abs[5120];
	size_t n = 0;
	assert_int_equal(fsview_new(&v), 0);
	char *status =
	    slurp(corpus_path(abs, sizeof(abs), "pkgdb/dpkg/syft/image-dpkg/var/lib/dpkg/status"), &n);
	assert_non_null(status);
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg/status", status, n), 0);
	free(status);
	put_dir(v, "pkgdb/dpkg/syft/image-dpkg/var/lib/dpkg/info", "/var/lib/dpkg/info");
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_dpkg.run(&r), 0);
	assert_int_equal(lading_inventory_npackages(inv), 1);
	/* the fixture starts with an empty "Package:" stanza */
	assert_int_equal(count_warnings(inv, "/var/lib/dpkg/status: stanza at line 1 has no Package"), 1);
	const lading_package *p = lading_inventory_package(inv, 0);
	assert_string_equal(p->name, "libpam-runtime");
	assert_string_equal(p->version, "1.1.8-3.6");
	assert_string_equal(p->source_name, "pam");
	assert_string_equal(p->source_version, "1.1.8-3.6");
	assert_string_equal(p->db_path, "/var/lib/dpkg/status");
	/* 4 md5sums entries + 2 conffiles */
	assert_int_equal(p->nfiles, 6);
	const lading_pkg_file *f = must_file(p, "/etc/pam.conf");
	assert_non_null(f);
	assert_int_equal(f->config, 1);
	f = must_file(p, "/lib/x86_64-linux-gnu/libz.so.1.2.11");
	assert_non_null(f);
	assert_string_equal(f->digest, "md5:55f905631797551d4d936a34c7e73474");
	assert_int_equal(f->config, 0);
	lading_inventory_free(inv);
	fsview_free(v);
}

/* Hand-written: the .list / md5sums / conffiles merge for a multi-arch
 * package, CRLF line ends, continuation lines, and the Status rules. */
static void test_info_files_and_status(void **state)
{
	(void)state;
	static const char status[] = "Package: libfoo1\r\n"
				     "Status: hold ok installed\r\n"
				     "Architecture: amd64\r\n"
				     "Multi-Arch: same\r\n"
				     "Source: foo (1.0-1)\r\n"
				     "Version: 1.0-1+b1\r\n"
				     "Conffiles:\r\n"
				     " /etc/foo.conf 0123456789abcdef0123456789abcdef\r\n"
				     " /etc/old.conf 0123456789abcdef0123456789abcdef obsolete\r\n"
				     "Description: foo\r\n"
				     " long text\r\n"
				     "\r\n"
				     "Package: gone\n"
				     "Status: deinstall ok config-files\n"
				     "Version: 1\n"
				     "\n"
				     "Package: purged\n"
				     "Status: purge ok not-installed\n"
				     "\n"
				     "Package: nostatus\n"
				     "Version: 2\n"
				     "\n"
				     "Package: pending\n"
				     "Status: install ok triggers-pending\n"
				     "Version: 3\n"
				     "\n"
				     "Package: half\n"
				     "Status: install reinstreq half-installed\n"
				     "Version: 4\n";
	static const char list[] =
	    "/.\n/etc\n/etc/foo.conf\n/usr\n/usr/lib\n/usr/lib/libfoo.so.1\n"
	    "/usr/lib/libfoo.so.1.0\n/usr/share/doc/libfoo1\n/usr/share/doc/libfoo1/copyright\n";
	static const char md5[] = "fedcba9876543210fedcba9876543210  usr/lib/libfoo.so.1.0\n"
				  "ffffffffffffffffffffffffffffffff  usr/share/doc/libfoo1/copyright\n";
	fsview *v;
	lading_inventory *inv;
	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg/status", status, sizeof(status) - 1), 0);
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg/info/libfoo1:amd64.list", list, sizeof(list) - 1),
			 0);
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg/info/libfoo1:amd64.md5sums", md5, sizeof(md5) - 1),
			 0);
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_dpkg.run(&r), 0);
	assert_int_equal(lading_inventory_npackages(inv), 2);
	assert_non_null(find_pkg(inv, "pending", NULL));
	assert_null(find_pkg(inv, "gone", NULL));
	assert_null(find_pkg(inv, "half", NULL));
	/* the main status file needs a Status */
	assert_int_equal(count_warnings(inv, "stanza at line 20 (nostatus) has no Status"), 1);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);

	const lading_package *p = must_pkg(inv, "libfoo1", NULL);
	assert_non_null(p);
	assert_string_equal(p->version, "1.0-1+b1");
	assert_string_equal(p->source_version, "1.0-1");
	/* directories left out; the link libfoo.so.1 (no md5) kept; obsolete conffile left out */
	assert_int_equal(p->nfiles, 4);
	assert_null(find_file(p, "/usr/lib"));
	assert_null(find_file(p, "/etc/old.conf"));
	assert_null(find_file(p, "/usr/share/doc/libfoo1"));
	const lading_pkg_file *f = must_file(p, "/usr/lib/libfoo.so.1");
	assert_non_null(f);
	assert_null(f->digest);
	f = must_file(p, "/usr/lib/libfoo.so.1.0");
	assert_string_equal(f->digest, "md5:fedcba9876543210fedcba9876543210");
	f = must_file(p, "/etc/foo.conf");
	assert_int_equal(f->config, 1);
	assert_string_equal(f->digest, "md5:0123456789abcdef0123456789abcdef");
	lading_inventory_free(inv);
	fsview_free(v);
}

/* Hand-written hostile shapes: no crash, nothing invented. */
static void test_garbage(void **state)
{
	(void)state;
	static const char *const inputs[] = {
	    "",
	    "\n\n\n",
	    ":\n: :\n",
	    "Package: a\nVersion:\n",
	    " continuation first\nPackage: x\nVersion: 1\nStatus: install ok installed\n",
	    "Package: ../../etc\nVersion: 1\nStatus: install ok installed\nSource: (\n",
	    "Package: b\nVersion: 1\nStatus: install ok\n",
	    "Package: c\nVersion: 1\nStatus: install ok installed extra\n",
	};
	static const size_t want[] = {0, 0, 0, 0, 1, 1, 0, 0};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		lading_inventory *inv;
		fsview *v;
		assert_int_equal(fsview_new(&v), 0);
		assert_int_equal(inv_new(&inv), 0);
		cat_run r = {.view = v, .inv = inv, .warn = true};
		assert_int_equal(dpkg_parse_status(&r, sv_cstr(inputs[i]), "/var/lib/dpkg/status"), 0);
		assert_int_equal(lading_inventory_npackages(inv), want[i]);
		if (i == 5) {
			const lading_package *p = lading_inventory_package(inv, 0);
			assert_string_equal(p->source_name, "../../etc"); /* "(" alone: name defaults */
			assert_int_equal(p->nfiles, 0);
		}
		lading_inventory_free(inv);
		fsview_free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bookworm_minbase), cmocka_unit_test(test_texlive),
	    cmocka_unit_test(test_small_claircore),  cmocka_unit_test(test_vcpkg),
	    cmocka_unit_test(test_syft_status_d),    cmocka_unit_test(test_syft_distroless_md5sums),
	    cmocka_unit_test(test_syft_image_dpkg),  cmocka_unit_test(test_info_files_and_status),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
