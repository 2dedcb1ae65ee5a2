/* Unit tests for the file integrity comparison (src/catalog/integrity.c).
 * The layers here are hand-built edge cases (the real images are checked
 * end to end by tests/cli/integrity.sh on the Debian fixtures and the Alpine
 * corpus): a usr-merged /bin, a replaced file, a conffile, a whiteout, an
 * opaque directory, a directory replaced by a link, a dpkg diversion, an apk
 * symlink recorded by its target's digest, and an unknown algorithm. */
#include "testutil.h"

#include <openssl/evp.h>

#include "catalog/integrity.h"
#include "image/image.h"
#include "inventory.h"

static void put_file(layer_result *r, const char *path, const char *content, uint32_t mode)
{
	lfile f = {.mode = mode, .size = strlen(content)};
	unsigned int n;
	EVP_Digest(content, strlen(content), f.md5, &n, EVP_md5(), NULL);
	EVP_Digest(content, strlen(content), f.sha1, &n, EVP_sha1(), NULL);
	EVP_Digest(content, strlen(content), f.sha256, &n, EVP_sha256(), NULL);
	if (strncmp(content, "\x7f" "ELF", 4) == 0)
		f.flags |= LF_ELF;
	f.path = strdup(path);
	if (integrity_wants_data(path)) /* the diversions, a RECORD */
		f.data = blob_new(content, strlen(content));
	assert_int_equal(vec_push(&r->files, f), 0);
}

static void put_link(layer_result *r, const char *path, const char *target)
{
	lentry e = {.path = strdup(path), .kind = LE_LINK, .target = strdup(target)};
	assert_int_equal(vec_push(&r->entries, e), 0);
}

static void push(void *vec, const char *s)
{
	VEC(char *) *v = vec;
	assert_int_equal(vec_push(v, strdup(s)), 0);
}

static const char *md5_of(const char *s)
{
	static char out[8][64];
	static int k;
	unsigned char d[16];
	unsigned int n;
	EVP_Digest(s, strlen(s), d, &n, EVP_md5(), NULL);
	char *o = out[k++ % 8];
	memcpy(o, "md5:", 4);
	hex_encode(o + 4, d, 16);
	return o;
}

/* "kind path" of every finding, one per line. */
static char *findings(const lading_inventory *inv)
{
	buf b = {0};
	for (size_t i = 0; i < lading_inventory_nfile_findings(inv); i++) {
		const lading_file_finding *f = lading_inventory_file_finding(inv, i);
		buf_printf(&b, "%s %s\n", lading_file_finding_kind_name(f->kind), f->path);
	}
	return b.p ? b.p : strdup("");
}

static void test_layers(void **state)
{
	(void)state;
	layer_result res[3] = {0};
	/* layer 0: a usr-merged base */
	put_link(&res[0], "/bin", "usr/bin");
	put_file(&res[0], "/usr/bin/tail", "tail v1", 0100755);
	put_file(&res[0], "/usr/bin/tac", "tac v1", 0100755);
	put_file(&res[0], "/usr/bin/sh.distrib", "dash", 0100755);
	put_file(&res[0], "/usr/bin/sh", "local shell", 0100755);
	put_file(&res[0], "/etc/app.conf", "conf v1", 0100644);
	put_file(&res[0], "/opt/old/tool", "\x7f" "ELF old", 0100644);
	put_file(&res[0], "/srv/x/prog", "prog", 0100755);
	put_file(&res[0], "/var/lib/dpkg/info/x.postinst", "#!/bin/sh", 0100755);
	put_file(&res[0], INTEGRITY_DIVERSIONS, "/bin/sh\n/bin/sh.distrib\ndash\n", 0100644);
	put_link(&res[0], "/usr/lib/libz.so.1", "libz.so.1.3");
	put_file(&res[0], "/usr/lib/libz.so.1.3", "zlib", 0100755);
	/* layer 1: tail replaced, the conffile edited, /srv/x becomes a link */
	put_file(&res[1], "/usr/bin/tail", "head v1", 0100755);
	put_file(&res[1], "/etc/app.conf", "conf v2", 0100644);
	put_link(&res[1], "/srv/x", "/nowhere");
	/* layer 2: tac deleted, /opt/old hidden, a binary dropped in */
	push(&res[2].whiteouts, "/usr/bin/tac");
	push(&res[2].opaques, "/opt/old");
	put_file(&res[2], "/usr/local/bin/dropped", "\x7f" "ELF new", 0100644);

	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	lading_pkg_file cf[] = {
		{"/bin/tail", md5_of("tail v1"), 0},   {"/bin/tac", md5_of("tac v1"), 0},
		{"/etc/app.conf", md5_of("conf v1"), 1}, {"/bin/sh", md5_of("dash"), 0},
		{"/usr/bin", NULL, 0}, /* a directory: no digest, nothing to check */
		{"/bin/rpmfile", "sha512:00", 0},      /* unknown algorithm: unverifiable */
		{"/srv/x/prog", NULL, 0},	       /* owned by path only */
	};
	lading_package core = {.type = LADING_PKG_DPKG, .name = "core", .version = "1", .nfiles = 7, .files = cf};
	assert_int_equal(inv_add_package(inv, &core), 0);
	/* apk records a symlink by the sha1 of its target string */
	unsigned char d[20];
	unsigned int n;
	char sha[64] = "sha1:";
	EVP_Digest("libz.so.1.3", 11, d, &n, EVP_sha1(), NULL);
	hex_encode(sha + 5, d, 20);
	lading_pkg_file zf[] = {{"/usr/lib/libz.so.1", sha, 0}};
	lading_package z = {.type = LADING_PKG_APK, .name = "zlib", .version = "1", .nfiles = 1, .files = zf};
	assert_int_equal(inv_add_package(inv, &z), 0);
	lading_package go = {.type = LADING_PKG_GOLANG, .name = "example.com/dropped", .version = "v1",
			     .db_path = "/usr/local/bin/dropped"};
	assert_int_equal(inv_add_package(inv, &go), 0);
	assert_int_equal(inv_finish(inv), 0);

	layer_files lf[3] = {layer_files_of(&res[0]), layer_files_of(&res[1]), layer_files_of(&res[2])};
	assert_int_equal(integrity_run(inv, lf, 3, true), 0);
	char *got = findings(inv);
	/* /bin/sh is dash's diversion target for "core": checked at /bin/sh.distrib.
	 * /srv/x/prog is hidden by the link in layer 1, /opt/old/tool by the opaque
	 * directory, the postinst belongs to dpkg itself, and libz.so.1.3 is where
	 * zlib's listed link leads, so zlib owns it. */
	assert_string_equal(got, "modified /bin/tail\n"
				 "modified_config /etc/app.conf\n"
				 "missing /bin/tac\n"
				 "unpackaged /usr/bin/sh\n"
				 "unpackaged /usr/local/bin/dropped\n");
	free(got);
	const lading_integrity_summary *s = lading_inventory_integrity(inv);
	assert_non_null(s);
	assert_int_equal(s->files_checked, 5);
	assert_int_equal(s->files_unverifiable, 1);
	assert_int_equal(s->modified, 1);
	assert_int_equal(s->modified_config, 1);
	assert_int_equal(s->missing, 1);
	assert_int_equal(s->unpackaged, 2);
	const lading_file_finding *f = lading_inventory_file_finding(inv, 0);
	assert_string_equal(f->real_path, "/usr/bin/tail");
	assert_int_equal(f->layer, 1);
	assert_string_equal(f->actual, md5_of("head v1"));
	f = lading_inventory_file_finding(inv, 4);
	assert_true(f->elf);
	assert_true(f->package >= 0);
	assert_string_equal(lading_inventory_package(inv, (size_t)f->package)->name, "example.com/dropped");
	lading_inventory_free(inv);
	for (int i = 0; i < 3; i++)
		layer_result_free(&res[i]);
}

static void test_diversions_parse(void **state)
{
	(void)state;
	/* hand-written: a local diversion, a bad record, a trailing partial one */
	static const char data[] = "/usr/bin/a\n/usr/bin/a.real\n:\nnot-a-path\n/x\npkg\n/b\n/b.d\n";
	diversion *d = NULL;
	size_t n = 0, bad = 0;
	assert_int_equal(dpkg_diversions_parse(&d, &n, &bad, sv_make(data, sizeof(data) - 1)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(bad, 2);
	assert_true(sv_eq_cstr(d[0].to, "/usr/bin/a.real"));
	assert_true(sv_eq_cstr(d[0].pkg, ":"));
	free(d);
	assert_int_equal(dpkg_diversions_parse(&d, &n, &bad, sv_make("", 0)), 0);
	assert_int_equal(n, 0);
	assert_null(d);
}

/* dpkg's path filters: hand-written edge cases of the syntax dpkg accepts
 * (dpkg.cfg(5): "option value" or "option=value", # comments, quotes) and of
 * its rule that the last matching filter decides. Real images: see
 * tests/cli/dpkg_excludes.sh. */
static void test_dpkg_filters(void **state)
{
	(void)state;
	static const char cfg[] = "# comment\n"
				  "\n"
				  "path-exclude /usr/share/doc/*\n"
				  "  path-include=/usr/share/doc/*/copyright\n"
				  "path-exclude=\"/usr/share/man/*\"\n"
				  "force-unsafe-io\n"
				  "path-exclude\t'/usr/share/locale/*/LC_MESSAGES/*.mo'\n"
				  "path-excluded /nope/*\n"
				  "path-exclude\n";
	dpkg_filters f = {0};
	assert_int_equal(dpkg_filters_parse(&f, sv_make(cfg, sizeof(cfg) - 1)), 0);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.v[2].pattern, "/usr/share/man/*");
	assert_string_equal(f.v[3].pattern, "/usr/share/locale/*/LC_MESSAGES/*.mo");
	assert_true(dpkg_filters_exclude(&f, "/usr/share/doc/sed/NEWS.gz"));
	assert_false(dpkg_filters_exclude(&f, "/usr/share/doc/sed/copyright"));   /* the include came later */
	assert_true(dpkg_filters_exclude(&f, "/usr/share/man/man1/sed.1.gz"));    /* '*' crosses '/' */
	assert_true(dpkg_filters_exclude(&f, "/usr/share/locale/de/LC_MESSAGES/sed.mo"));
	assert_false(dpkg_filters_exclude(&f, "/usr/share/locale/locale.alias"));
	assert_false(dpkg_filters_exclude(&f, "/bin/sed"));
	assert_false(dpkg_filters_exclude(&f, "/nope/x"));
	/* a later exclude wins over the include again */
	static const char more[] = "path-exclude=/usr/share/doc/*/copyright\n";
	assert_int_equal(dpkg_filters_parse(&f, sv_make(more, sizeof(more) - 1)), 0);
	assert_true(dpkg_filters_exclude(&f, "/usr/share/doc/sed/copyright"));
	dpkg_filters_free(&f);
	assert_false(dpkg_filters_exclude(&f, "/usr/share/doc/sed/NEWS.gz")); /* no filters: nothing excluded */
}

typedef struct paths_seen {
	buf all;
	int stop_after; /* return 7 from the callback after this many paths (0: never) */
	int n;
} paths_seen;

static int collect(void *ud, const char *path, size_t n, sv hash)
{
	paths_seen *p = ud;
	assert_int_equal(strlen(path), n);
	buf_puts(&p->all, path);
	if (hash.n) {
		buf_putc(&p->all, '=');
		buf_putsv(&p->all, hash);
	}
	buf_putc(&p->all, ';');
	return ++p->n == p->stop_after ? 7 : 0;
}

/* Python installers' file lists. Hand-written edge cases (quoting, climbing,
 * absolute and empty paths); real RECORDs written by pip are checked end to
 * end, against Python's csv module, by tests/cli/integrity.sh. */
static void test_python_record(void **state)
{
	(void)state;
	static const char record[] = "../../../bin/pip,sha256=I2UW,221\n"
				     "pip/__init__.py,sha256=5yro,357\n"
				     "\"dir/a,b.py\",sha256=x,1\n"
				     "\"q\"\"x.py\",,\n"
				     "\"unterminated,,\n"
				     ",,\n"
				     "\n"
				     "/etc/abs.conf,,\r\n"
				     "../../../../../../../../up,,\n"
				     "pip-23.0.1.dist-info/RECORD,,";
	paths_seen p = {0};
	assert_int_equal(python_record_paths(sv_make(record, sizeof(record) - 1), true,
					     "/usr/local/lib/python3.11/dist-packages", collect, &p),
			 0);
	assert_string_equal(p.all.p, "/usr/local/bin/pip=sha256=I2UW;"
				     "/usr/local/lib/python3.11/dist-packages/pip/__init__.py=sha256=5yro;"
				     "/usr/local/lib/python3.11/dist-packages/dir/a,b.py=sha256=x;"
				     "/usr/local/lib/python3.11/dist-packages/q\"x.py;"
				     "/etc/abs.conf;"
				     "/up;"
				     "/usr/local/lib/python3.11/dist-packages/pip-23.0.1.dist-info/RECORD;");
	buf_free(&p.all);

	/* installed-files.txt: one path a line, relative to the .egg-info, commas kept */
	static const char installed[] = "../__pycache__/dicttoxml.cpython-36.pyc\n../dicttoxml.py\nPKG-INFO\n\na,b\n";
	p = (paths_seen){0};
	assert_int_equal(python_record_paths(sv_make(installed, sizeof(installed) - 1), false,
					     "/s/dicttoxml-1.7.4.egg-info", collect, &p),
			 0);
	assert_string_equal(p.all.p, "/s/__pycache__/dicttoxml.cpython-36.pyc;/s/dicttoxml.py;"
				     "/s/dicttoxml-1.7.4.egg-info/PKG-INFO;/s/dicttoxml-1.7.4.egg-info/a,b;");
	buf_free(&p.all);

	/* the callback ends the walk; its value is returned */
	p = (paths_seen){.stop_after = 2};
	assert_int_equal(python_record_paths(sv_make(record, sizeof(record) - 1), true, "/", collect, &p), 7);
	assert_int_equal(p.n, 2);
	buf_free(&p.all);
}

/* RECORD's digest field for `s`: "sha256=" and URL-safe base64, unpadded. */
static void record_digest(char out[64], const char *s)
{
	unsigned char d[32];
	unsigned int n;
	EVP_Digest(s, strlen(s), d, &n, EVP_sha256(), NULL);
	strcpy(out, "sha256=");
	int k = EVP_EncodeBlock((unsigned char *)out + 7, d, 32);
	for (int i = 7; i < 7 + k; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	while (k > 0 && out[7 + k - 1] == '=')
		out[7 + --k] = 0;
}

/* A Python distribution's RECORD in the integrity check. Hand-written edge
 * cases (the real thing, pip's own RECORDs, is tests/cli/integrity.sh): a
 * matching file, an edited one, a missing one, a console script outside the
 * site directory, a damaged digest and another algorithm. */
static void test_python_record_check(void **state)
{
	(void)state;
	char a[64], b[64], c[64], t[64], rec[1024];
	record_digest(a, "A");
	record_digest(b, "B");
	record_digest(c, "C");
	record_digest(t, "#!/usr/bin/python3 tool");
	snprintf(rec, sizeof(rec),
		 "pkg/a.py,%s,1\npkg/b.py,%s,1\npkg/c.py,%s,1\n../../usr/bin/tool,%s,23\n"
		 "pkg/d.py,sha256=not*base64,1\npkg/e.py,md5=abc,1\npkg-1.0.dist-info/RECORD,,\n",
		 a, b, c, t);
	layer_result res[1] = {0};
	put_file(&res[0], "/s/pkg/a.py", "A", 0100644);
	put_file(&res[0], "/s/pkg/b.py", "B, edited", 0100644);
	put_file(&res[0], "/s/pkg/d.py", "D", 0100644);
	put_file(&res[0], "/s/pkg/e.py", "E", 0100644);
	put_file(&res[0], "/usr/bin/tool", "#!/usr/bin/python3 tool", 0100755);
	put_file(&res[0], "/s/pkg-1.0.dist-info/METADATA", "Name: pkg\nVersion: 1.0\n", 0100644);
	put_file(&res[0], "/s/pkg-1.0.dist-info/RECORD", rec, 0100644);
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	lading_package pkg = {.type = LADING_PKG_PYPI, .name = "pkg", .version = "1.0",
			      .db_path = "/s/pkg-1.0.dist-info/METADATA"};
	assert_int_equal(inv_add_package(inv, &pkg), 0);
	assert_int_equal(inv_finish(inv), 0);
	layer_files lf = layer_files_of(&res[0]);
	assert_int_equal(integrity_run(inv, &lf, 1, true), 0);
	char *got = findings(inv);
	assert_string_equal(got, "modified /s/pkg/b.py\n"
				 "missing /s/pkg/c.py\n"
				 "unpackaged /usr/bin/tool\n");
	free(got);
	const lading_integrity_summary *s = lading_inventory_integrity(inv);
	assert_int_equal(s->packages, 1);
	assert_int_equal(s->files_checked, 4);
	assert_int_equal(s->files_unverifiable, 2);
	const lading_file_finding *f = lading_inventory_file_finding(inv, 0);
	assert_int_equal(f->package, 0);
	char want[80] = "sha256:";
	unsigned char d[32];
	unsigned int n;
	EVP_Digest("B", 1, d, &n, EVP_sha256(), NULL);
	hex_encode(want + 7, d, 32);
	assert_string_equal(f->expected, want);
	f = lading_inventory_file_finding(inv, 2);
	assert_int_equal(f->package, 0); /* the script is attributed to pkg */
	lading_inventory_free(inv);
	layer_result_free(&res[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layers),
	    cmocka_unit_test(test_diversions_parse),
	    cmocka_unit_test(test_dpkg_filters),
	    cmocka_unit_test(test_python_record),
	    cmocka_unit_test(test_python_record_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
