/* Tests of the apk cataloger (src/catalog/apk.c). Each Alpine minirootfs
 * tarball of the corpus must give exactly the rows of its .apk-full.tsv, and
 * the checksums it reports must be those of the files in the same tarball.
 * The syft fixtures (including corrupt) are checked against values read by
 * hand from the files. The last test is hand-written: edge cases no real
 * database has (Q2 checksums, R before F, missing V, CRLF). */
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "testutil.h"

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"
#include "lading/lading.h"

static const char *const tarballs[] = {
    "alpine-minirootfs-3.9.6-x86_64",	 "alpine-minirootfs-3.10.9-x86_64",
    "alpine-minirootfs-3.11.13-x86_64",	 "alpine-minirootfs-3.12.12-x86_64",
    "alpine-minirootfs-3.16.9-x86_64",	 "alpine-minirootfs-3.20.3-x86_64",
    "alpine-minirootfs-20240923-x86_64",
};

/* Reads one member of a gzip'd tarball; NULL if absent. */
static char *tar_member(const char *rel, const char *member, size_t *len)
{
	char abs[5120];
	struct archive *ar = archive_read_new();
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	assert_int_equal(archive_read_open_filename(ar, corpus_path(abs, sizeof(abs), rel), 65536),
			 ARCHIVE_OK);
	struct archive_entry *e;
	char *data = NULL;
	while (!data && archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (strncmp(name, "./", 2) == 0)
			name += 2;
		if (strcmp(name, member) != 0 || archive_entry_filetype(e) != AE_IFREG)
			continue;
		size_t n = (size_t)archive_entry_size(e);
		data = malloc(n + 1);
		assert_non_null(data);
		assert_int_equal(archive_read_data(ar, data, n), (la_ssize_t)n);
		data[n] = 0;
		*len = n;
	}
	archive_read_free(ar);
	return data;
}

/* "name, version, arch, origin, license" rows, as in the .apk-full.tsv files. */
static char *apk_row(const lading_package *p)
{
	char *r = NULL;
	if (asprintf(&r, "%s\t%s\t%s\t%s\t%s\n", p->name, p->version, p->arch ? p->arch : "",
		     p->source_name ? p->source_name : "", p->license ? p->license : "") < 0)
		return NULL;
	return r;
}

static char *rows_of(lading_inventory *inv) { return inventory_rows(inv, LADING_PKG_APK, apk_row); }

static const lading_package *must_pkg(lading_inventory *inv, const char *name)
{
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++)
		if (strcmp(lading_inventory_package(inv, i)->name, name) == 0)
			return lading_inventory_package(inv, i);
	fail_msg("package %s not found", name);
	abort();
}

static const lading_pkg_file *must_file(const lading_package *p, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	fail_msg("%s: file %s not found", p->name, path);
	abort();
}

static void test_alpine_tarballs(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	for (size_t i = 0; i < sizeof(tarballs) / sizeof(tarballs[0]); i++) {
		char rel[512], abs[5120];
		size_t n = 0, bn = 0;
		snprintf(rel, sizeof(rel), "images/alpine/%s.tar.gz", tarballs[i]);
		char *db = tar_member(rel, "lib/apk/db/installed", &n);
		assert_non_null(db);
		/* run() reads it through the view, as a scan does */
		fsview *v;
		lading_inventory *inv;
		assert_int_equal(fsview_new(&v), 0);
		assert_int_equal(fsview_put_copy(v, "/lib/apk/db/installed", db, n), 0);
		assert_int_equal(inv_new(&inv), 0);
		cat_run r = {.view = v, .inv = inv, .warn = true};
		assert_int_equal(cataloger_apk.run(&r), 0);

		snprintf(rel, sizeof(rel), "images/alpine/%s.apk-full.tsv", tarballs[i]);
		char *want = slurp(corpus_path(abs, sizeof(abs), rel), NULL);
		assert_non_null(want);
		char *got = rows_of(inv);
		assert_string_equal(got, want);
		assert_int_equal(lading_inventory_npackages(inv), 14);
		assert_int_equal(lading_inventory_nwarnings(inv), 0);

		/* busybox owns /bin/busybox, and its Q1 checksum is the file's SHA-1 */
		const lading_package *bb = must_pkg(inv, "busybox");
		assert_string_equal(bb->source_version, bb->version);
		assert_string_equal(bb->db_path, "/lib/apk/db/installed");
		const lading_pkg_file *f = must_file(bb, "/bin/busybox");
		snprintf(rel, sizeof(rel), "images/alpine/%s.tar.gz", tarballs[i]);
		char *bin = tar_member(rel, "bin/busybox", &bn);
		assert_non_null(bin);
		unsigned char md[20];
		unsigned int mdlen = 0;
		char hex[41], digest[64];
		assert_true(EVP_Digest(bin, bn, md, &mdlen, EVP_sha1(), NULL));
		hex_encode(hex, md, 20);
		snprintf(digest, sizeof(digest), "sha1:%s", hex);
		assert_non_null(f->digest);
		assert_string_equal(f->digest, digest);
		/* every package of a real database lists files with checksums */
		size_t files = 0, sums = 0;
		for (size_t k = 0; k < lading_inventory_npackages(inv); k++) {
			const lading_package *p = lading_inventory_package(inv, k);
			files += p->nfiles;
			for (size_t j = 0; j < p->nfiles; j++)
				sums += p->files[j].digest != NULL;
		}
		/* one file per R: line of the database (79 in 3.9.6, 107 in 3.20.3) */
		size_t rlines = 0;
		for (const char *q = db; (q = strstr(q, "\nR:")); q++)
			rlines++;
		assert_true(rlines > 70);
		assert_int_equal(files, rlines);
		assert_int_equal(sums, files);

		free(bin);
		free(got);
		free(want);
		free(db);
		lading_inventory_free(inv);
		fsview_free(v);
	}
}

static lading_inventory *parse_rel(const char *rel)
{
	char path[512], abs[5120];
	size_t n = 0;
	snprintf(path, sizeof(path), "pkgdb/apk/syft/%s", rel);
	char *data = slurp(corpus_path(abs, sizeof(abs), path), &n);
	assert_non_null(data);
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.inv = inv, .warn = true};
	assert_int_equal(apk_parse_installed(&r, sv_make(data, n), "/lib/apk/db/installed"), 0);
	free(data); /* the inventory holds copies */
	return inv;
}

static void test_syft_fixtures(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	lading_inventory *inv = parse_rel("single");
	assert_int_equal(lading_inventory_npackages(inv), 1);
	const lading_package *p = must_pkg(inv, "musl-utils");
	assert_string_equal(p->version, "1.1.24-r2");
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->source_name, "musl");
	assert_string_equal(p->source_version, "1.1.24-r2");
	assert_string_equal(p->license, "MIT BSD GPL2+");
	assert_string_equal(p->maintainer, "Timo Teräs <timo.teras@iki.fi>");
	/* Q1Kja2+POZKxEkUOZqwSjC6kmaED4= decoded by hand */
	assert_string_equal(must_file(p, "/sbin/ldconfig")->digest,
			    "sha1:2a36b6f8f3992b112450e66ac128c2ea499a103e");
	must_file(p, "/usr/bin/iconv");
	lading_inventory_free(inv);

	/* first record is junk: skipped with a warning, the second is read */
	inv = parse_rel("corrupt/lib/apk/db/installed");
	assert_int_equal(lading_inventory_npackages(inv), 1);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);
	assert_non_null(strstr(lading_inventory_warning(inv, 0), "record at line 1 has no P"));
	p = must_pkg(inv, "alpine-baselayout-data");
	assert_string_equal(p->version, "3.2.0-r22");
	assert_string_equal(p->source_name, "alpine-baselayout");
	assert_null(p->license);
	/* "a:0:0:777" sits between R:mtab and its Z */
	assert_string_equal(must_file(p, "/etc/mtab")->digest,
			    "sha1:9229638575c7d4b950ae81ec1092243d98367a2c");
	lading_inventory_free(inv);

	/* "a:" with a checksum of its own must not be taken for Z */
	inv = parse_rel("extra-file-attributes");
	p = must_pkg(inv, "openjdk8-jre");
	assert_string_equal(p->license, "custom");
	assert_string_equal(p->source_name, "openjdk8");
	assert_string_equal(must_file(p, "/usr/lib/jvm/java-1.8-openjdk/bin/policytool")->digest,
			    "sha1:3340bda9f0bffa475188ea1d7a2846d86311b641");
	lading_inventory_free(inv);

	/* files without Z: listed, no digest */
	inv = parse_rel("empty-deps-and-provides");
	p = must_pkg(inv, "alpine-baselayout-data");
	assert_string_equal(p->version, "3.4.0-r0");
	assert_null(must_file(p, "/etc/fstab")->digest);
	lading_inventory_free(inv);

	inv = parse_rel("base");
	assert_int_equal(lading_inventory_npackages(inv), 1);
	assert_string_equal(must_pkg(inv, "alpine-baselayout")->version, "3.2.0-r6");
	lading_inventory_free(inv);

	inv = parse_rel("multiple-1/lib/apk/db/installed");
	assert_int_equal(lading_inventory_npackages(inv), 4);
	assert_string_equal(must_pkg(inv, "busybox-binsh")->source_name, "busybox");
	assert_string_equal(must_pkg(inv, "musl")->version, "1.2.4_git20230717-r4");
	must_file(must_pkg(inv, "busybox-binsh"), "/bin/sh");
	lading_inventory_free(inv);

	inv = parse_rel("multiple-2/lib/apk/db/installed");
	assert_int_equal(lading_inventory_npackages(inv), 14);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	lading_inventory_free(inv);
}

/* Hand-written edge cases. */
static void test_edges(void **state)
{
	(void)state;
	static const char db[] = "P:nover\r\n"
				 "A:x86_64\r\n"
				 "\r\n"
				 "P:pkg\r\n"
				 "V:1.0-r0\r\n"
				 "P:second-P-ignored\r\n"
				 "R:rootfile\r\n"
				 "Z:Q2n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=\r\n"
				 "F:/usr/bin/\r\n"
				 "R:tool\r\n"
				 "Z:Q1notbase64!\r\n"
				 "F:etc\r\n"
				 "Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=\r\n"
				 "junk line\r\n"
				 "R:\r\n"
				 "\n\n\n"
				 "V:2\n"
				 "\n"
				 "P:last\n"
				 "V:9";
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.inv = inv, .warn = true};
	assert_int_equal(apk_parse_installed(&r, sv_make(db, sizeof(db) - 1), "/lib/apk/db/installed"), 0);
	assert_int_equal(lading_inventory_npackages(inv), 2);
	assert_int_equal(lading_inventory_nwarnings(inv), 2);
	assert_non_null(strstr(lading_inventory_warning(inv, 0), "line 1 has no V"));
	assert_non_null(strstr(lading_inventory_warning(inv, 1), "line 19 has no P"));
	const lading_package *p = must_pkg(inv, "pkg");
	assert_string_equal(p->source_name, "pkg"); /* no o: origin is the package itself */
	assert_null(p->arch);
	assert_int_equal(p->nfiles, 2);
	/* Q2 = base64 of the SHA-256 of "test" */
	assert_string_equal(must_file(p, "/rootfile")->digest,
			    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	assert_null(must_file(p, "/usr/bin/tool")->digest);
	assert_string_equal(must_pkg(inv, "last")->version, "9");
	lading_inventory_free(inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alpine_tarballs),
	    cmocka_unit_test(test_syft_fixtures),
	    cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
