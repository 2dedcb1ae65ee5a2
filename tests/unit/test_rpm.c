/* Tests for the rpm cataloger and its three database readers. The package
 * lists of the real databases in the corpus (pkgdb/rpm) must equal the lists
 * rpm itself printed (the .tsv files beside them); damaged copies of the same
 * databases must give a clean partial result. Hand-written header blobs are
 * used only for the edge cases that real data does not contain, and say so. */
#include "testutil.h"

#include "catalog/catalog.h"
#include "catalog/rpm/rpm.h"
#include "fs/fsview.h"
#include "inventory.h"

typedef struct scan {
	lading_inventory *inv;
	int rc;
} scan;

/* Runs the rpm cataloger over a view holding `n` files (path, bytes, len). */
static scan run_files(size_t n, const char *const *paths, const char *const *data, const size_t *lens)
{
	fsview *v = NULL;
	scan s = {0};
	assert_int_equal(fsview_new(&v), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fsview_put_copy(v, paths[i], data[i], lens[i]), 0);
	assert_int_equal(inv_new(&s.inv), 0);
	cat_run r = {.view = v, .inv = s.inv, .warn = true, .max_file_size = 256u << 20};
	s.rc = cataloger_rpm.run(&r);
	fsview_free(v);
	return s;
}

static scan run_one(const char *path, const char *data, size_t len)
{
	return run_files(1, &path, &data, &len);
}

static char *load(const char *rel, size_t *len)
{
	char path[8192];
	char *p = slurp(corpus_path(path, sizeof(path), rel), len);
	assert_non_null(p);
	return p;
}

static scan scan_corpus(const char *rel, const char *at)
{
	size_t len;
	char *p = load(rel, &len);
	scan s = run_one(at, p, len);
	free(p);
	assert_int_equal(s.rc, 0);
	return s;
}

static int cmp_line(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *none(const char *s) { return s ? s : "(none)"; }

/* The inventory as rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t…' | LC_ALL=C sort prints it. */
static char *list_tsv(lading_inventory *inv, bool label)
{
	size_t n = inv->pkgs.n, cnt = 0;
	char **lines = calloc(n ? n : 1, sizeof(*lines));
	assert_non_null(lines);
	for (size_t i = 0; i < n; i++) {
		const lading_package *p = &inv->pkgs.v[i];
		if (label && !p->modularity_label)
			continue;
		buf b = {0};
		if (label)
			assert_int_equal(buf_printf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", p->name,
						    p->epoch ? p->epoch : "0", p->rpm_version,
						    none(p->rpm_release), none(p->arch), p->modularity_label),
					 0);
		else
			assert_int_equal(buf_printf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p->name,
						    p->epoch ? p->epoch : "0", p->rpm_version,
						    none(p->rpm_release), none(p->arch), none(p->source_rpm),
						    none(p->license)),
					 0);
		lines[cnt++] = buf_steal(&b, NULL);
	}
	qsort(lines, cnt, sizeof(*lines), cmp_line);
	buf all = {0};
	for (size_t i = 0; i < cnt; i++) {
		assert_int_equal(buf_puts(&all, lines[i]), 0);
		free(lines[i]);
	}
	free(lines);
	if (!all.p)
		assert_int_equal(buf_puts(&all, ""), 0);
	return buf_steal(&all, NULL);
}

/* Compares with the expected file, printing the first differing line. */
static void expect_tsv(lading_inventory *inv, const char *rel, bool label)
{
	size_t len;
	char *want = load(rel, &len);
	char *got = list_tsv(inv, label);
	if (strcmp(want, got) != 0) {
		size_t i = 0, line = 1;
		while (want[i] && want[i] == got[i])
			line += want[i++] == '\n';
		fprintf(stderr, "%s differs at line %zu:\n want: %.200s\n got:  %.200s\n", rel, line,
			want + i, got + i);
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static size_t count_lines(const char *rel)
{
	size_t len, n = 0;
	char *p = load(rel, &len);
	for (size_t i = 0; i < len; i++)
		n += p[i] == '\n';
	free(p);
	return n;
}

/* Fails the test (and tells the compiler so) when the package is absent. */
static const lading_package *find_pkg(lading_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->pkgs.n; i++)
		if (strcmp(inv->pkgs.v[i].name, name) == 0)
			return &inv->pkgs.v[i];
	fail_msg("no package %s", name);
	abort();
}

static const lading_pkg_file *find_file(const lading_package *p, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i].path, path) == 0)
			return &p->files[i];
	fail_msg("%s has no file %s", p->name, path);
	abort();
}

/* Checks that nearly every package has files (a few meta packages such as
 * basesystem own none), and returns how many file entries carry a digest. */
static size_t check_files(lading_inventory *inv, const char *db_path)
{
	size_t with_digest = 0, with_files = 0;
	for (size_t i = 0; i < inv->pkgs.n; i++) {
		const lading_package *p = &inv->pkgs.v[i];
		assert_int_equal(p->type, LADING_PKG_RPM);
		assert_string_equal(p->db_path, db_path);
		with_files += p->nfiles > 0;
		for (size_t j = 0; j < p->nfiles; j++) {
			assert_true(p->files[j].path[0] == '/');
			with_digest += p->files[j].digest != NULL;
		}
	}
	assert_true(with_files * 100 >= inv->pkgs.n * 95);
	return with_digest;
}

static void expect_digest(const lading_pkg_file *f, const char *alg, size_t hexlen)
{
	assert_non_null(f);
	assert_non_null(f->digest);
	size_t al = strlen(alg);
	assert_memory_equal(f->digest, alg, al);
	assert_int_equal(f->digest[al], ':');
	assert_int_equal(strlen(f->digest + al + 1), hexlen);
	assert_int_equal(strspn(f->digest + al + 1, "0123456789abcdef"), hexlen);
}

/* ---- real databases ---------------------------------------------------------- */

static void test_bdb_centos5(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/centos5-plain/Packages", "/var/lib/rpm/Packages");
	expect_tsv(s.inv, "pkgdb/rpm/centos5-plain.tsv", false);
	assert_int_equal(s.inv->warnings.n, 0);
	assert_true(check_files(s.inv, "/var/lib/rpm/Packages") > 1000);
	/* rpm 4.4 has no FILEDIGESTALGO: md5 by default */
	const lading_package *bash = find_pkg(s.inv, "bash");
	assert_non_null(bash);
	expect_digest(find_file(bash, "/bin/bash"), "md5", 32);
	lading_inventory_free(s.inv);
}

static void test_bdb_centos7(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/centos7-plain/Packages", "/var/lib/rpm/Packages");
	expect_tsv(s.inv, "pkgdb/rpm/centos7-plain.tsv", false);
	assert_int_equal(s.inv->warnings.n, 0);
	assert_true(check_files(s.inv, "/var/lib/rpm/Packages") > 1000);
	const lading_package *bash = find_pkg(s.inv, "bash");
	assert_non_null(bash);
	assert_null(bash->epoch);
	assert_string_equal(bash->version, "4.2.46-30.el7");
	assert_string_equal(bash->source_rpm, "bash-4.2.46-30.el7.src.rpm");
	assert_string_equal(bash->source_name, "bash");
	assert_string_equal(bash->source_version, "4.2.46-30.el7");
	assert_non_null(bash->maintainer);
	assert_string_equal(bash->maintainer, "CentOS");
	expect_digest(find_file(bash, "/usr/bin/bash"), "sha256", 64);
	assert_int_equal(find_file(bash, "/usr/bin/bash")->config, 0);
	/* %config files are flagged; directories have no digest */
	const lading_package *setup = find_pkg(s.inv, "setup");
	assert_non_null(setup);
	assert_int_equal(find_file(setup, "/etc/passwd")->config, 1);
	const lading_package *fs = find_pkg(s.inv, "filesystem");
	assert_non_null(fs);
	assert_non_null(find_file(fs, "/usr"));
	assert_null(find_file(fs, "/usr")->digest);
	lading_inventory_free(s.inv);
}

static void test_bdb_centos8_modularity(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/centos8-modularitylabel/Packages", "/var/lib/rpm/Packages");
	expect_tsv(s.inv, "pkgdb/rpm/centos8-modularitylabel.tsv", false);
	expect_tsv(s.inv, "pkgdb/rpm/centos8-modularitylabel.modularitylabel.tsv", true);
	assert_int_equal(s.inv->warnings.n, 0);
	check_files(s.inv, "/var/lib/rpm/Packages");
	/* epoch goes into the version and the source version */
	const lading_package *nm = find_pkg(s.inv, "NetworkManager");
	assert_non_null(nm);
	assert_string_equal(nm->epoch, "1");
	assert_string_equal(nm->version, "1:1.22.8-5.el8_2");
	assert_string_equal(nm->source_name, "NetworkManager");
	assert_string_equal(nm->source_version, "1:1.22.8-5.el8_2");
	/* the gpg-pubkey pseudo package: listed, without arch, source or files */
	const lading_package *key = find_pkg(s.inv, "gpg-pubkey");
	assert_non_null(key);
	assert_null(key->arch);
	assert_null(key->source_rpm);
	assert_null(key->source_name);
	assert_int_equal(key->nfiles, 0);
	lading_inventory_free(s.inv);
}

static void test_bdb_libuuid(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/libuuid/Packages", "/usr/lib/sysimage/rpm/Packages");
	expect_tsv(s.inv, "pkgdb/rpm/libuuid.tsv", false);
	assert_int_equal(s.inv->warnings.n, 0);
	const lading_package *p = find_pkg(s.inv, "libuuid");
	assert_non_null(p);
	assert_string_equal(p->source_name, "util-linux");
	assert_true(p->nfiles > 0);
	expect_digest(find_file(p, "/usr/lib64/libuuid.so.1.3.0"), "sha256", 64);
	lading_inventory_free(s.inv);
}

static void test_sqlite_mariner(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite");
	expect_tsv(s.inv, "pkgdb/rpm/cbl-mariner-2.0.tsv", false);
	assert_int_equal(s.inv->warnings.n, 0);
	assert_true(check_files(s.inv, "/var/lib/rpm/rpmdb.sqlite") > 1000);
	const lading_package *curl = find_pkg(s.inv, "curl");
	assert_non_null(curl);
	assert_string_equal(curl->version, "7.76.0-6.cm2");
	expect_digest(find_file(curl, "/usr/bin/curl"), "sha256", 64);
	lading_inventory_free(s.inv);
}

/* The same database marked as WAL mode (header bytes 18/19 = 2, as rpm leaves
 * it on Fedora): read in full all the same. */
static void test_sqlite_wal(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	size_t len;
	char *p = load("pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite", &len);
	assert_true(len > 100);
	p[18] = 2, p[19] = 2;
	scan s = run_one("/var/lib/rpm/rpmdb.sqlite", p, len);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.inv->warnings.n, 0);
	assert_int_equal(s.inv->pkgs.n, count_lines("pkgdb/rpm/cbl-mariner-2.0.tsv"));
	lading_inventory_free(s.inv);
	free(p);
}

static void test_ndb_sle15(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s = scan_corpus("pkgdb/rpm/sle15-bci/Packages.db", "/usr/lib/sysimage/rpm/Packages.db");
	expect_tsv(s.inv, "pkgdb/rpm/sle15-bci.tsv", false);
	assert_int_equal(s.inv->warnings.n, 0);
	assert_true(check_files(s.inv, "/usr/lib/sysimage/rpm/Packages.db") > 100);
	const lading_package *bash = find_pkg(s.inv, "bash");
	assert_non_null(bash);
	expect_digest(find_file(bash, "/usr/bin/bash"), "sha256", 64);
	lading_inventory_free(s.inv);
}

/* ---- which database is read ----------------------------------------------------- */

/* Both an SQLite and a BDB database: only the SQLite one is read. */
static void test_prefers_sqlite(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	size_t l1, l2;
	char *sq = load("pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite", &l1);
	char *bdb = load("pkgdb/rpm/libuuid/Packages", &l2);
	const char *paths[] = {"/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/rpmdb.sqlite"};
	const char *data[] = {bdb, sq};
	size_t lens[] = {l2, l1};
	scan s = run_files(2, paths, data, lens);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.inv->pkgs.n, count_lines("pkgdb/rpm/cbl-mariner-2.0.tsv"));
	assert_string_equal(s.inv->pkgs.v[0].db_path, "/usr/lib/sysimage/rpm/rpmdb.sqlite");
	lading_inventory_free(s.inv);

	/* a candidate that is not a database at all is reported, and the next one read */
	const char *junk = "not a database, but long enough to be looked at by the sqlite reader........."
			   "...............................................................";
	data[1] = junk;
	lens[1] = strlen(junk);
	s = run_files(2, paths, data, lens);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.inv->pkgs.n, 1);
	assert_int_equal(s.inv->warnings.n, 1);
	assert_non_null(strstr(s.inv->warnings.v[0].message, "/usr/lib/sysimage/rpm/rpmdb.sqlite"));
	lading_inventory_free(s.inv);
	free(sq);
	free(bdb);
}

/* /var/lib/rpm as a symlink to /usr/lib/sysimage/rpm (Fedora 36+, openSUSE):
 * the packages are listed once. */
static void test_symlinked_dbpath(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	size_t len;
	char *p = load("pkgdb/rpm/sle15-bci/Packages.db", &len);
	fsview *v = NULL;
	lading_inventory *inv = NULL;
	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_copy(v, "/usr/lib/sysimage/rpm/Packages.db", p, len), 0);
	assert_int_equal(fsview_put_symlink(v, "/var/lib/rpm", "../../usr/lib/sysimage/rpm", 0), 0);
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_rpm.run(&r), 0);
	assert_int_equal(inv->pkgs.n, count_lines("pkgdb/rpm/sle15-bci.tsv"));
	lading_inventory_free(inv);
	fsview_free(v);
	free(p);
}

/* ---- damaged databases ------------------------------------------------------------- */

static const struct db {
	const char *rel, *at, *tsv;
} dbs[] = {
    {"pkgdb/rpm/libuuid/Packages", "/var/lib/rpm/Packages", "pkgdb/rpm/libuuid.tsv"},
    {"pkgdb/rpm/centos5-plain/Packages", "/var/lib/rpm/Packages", "pkgdb/rpm/centos5-plain.tsv"},
    {"pkgdb/rpm/centos7-plain/Packages", "/var/lib/rpm/Packages", "pkgdb/rpm/centos7-plain.tsv"},
    {"pkgdb/rpm/cbl-mariner-2.0/rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite", "pkgdb/rpm/cbl-mariner-2.0.tsv"},
    {"pkgdb/rpm/sle15-bci/Packages.db", "/var/lib/rpm/Packages.db", "pkgdb/rpm/sle15-bci.tsv"},
};

/* Every package listed from a damaged copy must be a whole one. */
static void check_sane(lading_inventory *inv)
{
	for (size_t i = 0; i < inv->pkgs.n; i++) {
		const lading_package *p = &inv->pkgs.v[i];
		assert_non_null(p->name);
		assert_non_null(p->version);
		for (size_t j = 0; j < p->nfiles; j++)
			assert_non_null(p->files[j].path);
	}
}

static void test_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	for (size_t d = 0; d < sizeof(dbs) / sizeof(dbs[0]); d++) {
		size_t len, full = count_lines(dbs[d].tsv);
		char *p = load(dbs[d].rel, &len);
		size_t cuts[] = {0,	   7,	    31,	     99,      512,	  4096,	  4097,
				 8192 + 3, len / 7, len / 3, len / 2, len - 4096, len - 1};
		for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
			if (cuts[c] >= len)
				continue;
			scan s = run_one(dbs[d].at, p, cuts[c]);
			assert_int_equal(s.rc, 0);
			check_sane(s.inv);
			assert_true(s.inv->pkgs.n <= full);
			/* fewer packages is never silent */
			if (s.inv->pkgs.n < full && s.inv->warnings.n == 0)
				fail_msg("%s cut at %zu: %zu of %zu packages and no warning", dbs[d].rel,
					 cuts[c], s.inv->pkgs.n, full);
			lading_inventory_free(s.inv);
		}
		free(p);
	}
}

static void test_flipped_bytes(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	uint64_t x = 0x9e3779b97f4a7c15u; /* xorshift: the same damage on every run */
	for (size_t d = 0; d < sizeof(dbs) / sizeof(dbs[0]); d++) {
		size_t len;
		char *orig = load(dbs[d].rel, &len);
		char *p = malloc(len);
		assert_non_null(p);
		for (int round = 0; round < 8; round++) {
			memcpy(p, orig, len);
			int flips = round < 4 ? 16 : 2000;
			for (int i = 0; i < flips; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				/* half the damage in the first pages, where the structure is */
				size_t at = (i % 2 ? x % len : x % (len < 65536 ? len : 65536));
				p[at] = (char)(p[at] ^ (char)(1u << (x >> 60 & 7)));
			}
			scan s = run_one(dbs[d].at, p, len);
			assert_int_equal(s.rc, 0);
			check_sane(s.inv);
			lading_inventory_free(s.inv);
		}
		free(p);
		free(orig);
	}
}

/* ---- header blobs ------------------------------------------------------------------- */

typedef struct grab {
	char *blob;
	size_t len;
} grab;

static int grab_first(void *ud, sv data, uint64_t recno)
{
	(void)recno;
	grab *g = ud;
	g->blob = malloc(data.n);
	assert_non_null(g->blob);
	memcpy(g->blob, data.p, data.n);
	g->len = data.n;
	return 1; /* stop after the first */
}

static void no_warn(void *ud, const char *msg)
{
	(void)ud;
	fail_msg("unexpected warning: %s", msg);
}

/* Every prefix of a real header blob is refused cleanly or read whole. */
static void test_header_prefixes(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	size_t len;
	char *db = load("pkgdb/rpm/libuuid/Packages", &len);
	grab g = {0};
	rpm_sink sink = {.blob = grab_first, .warn = no_warn, .ud = &g};
	assert_int_equal(rpm_bdb_read(sv_make(db, len), &sink), 1);
	free(db);
	assert_non_null(g.blob);
	rpm_pkg full;
	const char *why = NULL;
	assert_int_equal(rpm_pkg_from_blob(&full, sv_make(g.blob, g.len), "/x", &why), 0);
	assert_string_equal(full.pkg.name, "libuuid");
	size_t nfiles = full.pkg.nfiles;
	assert_true(nfiles > 0);
	rpm_pkg_free(&full);
	for (size_t n = 0; n < g.len; n++) {
		/* malloc'd at exactly n bytes so that ASan sees any read past the end */
		char *cut = malloc(n ? n : 1);
		assert_non_null(cut);
		memcpy(cut, g.blob, n);
		rpm_pkg p;
		int rc = rpm_pkg_from_blob(&p, sv_make(cut, n), "/x", &why);
		assert_int_equal(rc, -LADING_EFORMAT);
		assert_non_null(why);
		rpm_pkg_free(&p);
		free(cut);
	}
	free(g.blob);
}

/* Hand-written header blobs (edge cases no real database holds). */
typedef struct hb {
	unsigned char idx[16 * 16];
	unsigned char data[512];
	uint32_t il, dl;
} hb;

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8),
	p[3] = (unsigned char)v;
}

static void hb_entry(hb *h, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	unsigned char *e = h->idx + h->il++ * 16;
	put32(e, tag), put32(e + 4, type), put32(e + 8, off), put32(e + 12, count);
}

/* Appends a string (type 6) or string array (8) of `n` NUL-separated strings. */
static void hb_str(hb *h, uint32_t tag, uint32_t type, const char *s, size_t len, uint32_t n)
{
	hb_entry(h, tag, type, h->dl, n);
	memcpy(h->data + h->dl, s, len);
	h->dl += (uint32_t)len;
}

static void hb_i32(hb *h, uint32_t tag, const uint32_t *v, uint32_t n)
{
	while (h->dl % 4)
		h->data[h->dl++] = 0;
	hb_entry(h, tag, 4, h->dl, n);
	for (uint32_t i = 0; i < n; i++, h->dl += 4)
		put32(h->data + h->dl, v[i]);
}

static int hb_decode(const hb *h, rpm_pkg *p, const char **why)
{
	static unsigned char raw[8 + sizeof(((hb *)0)->idx) + sizeof(((hb *)0)->data)];
	put32(raw, h->il), put32(raw + 4, h->dl);
	memcpy(raw + 8, h->idx, (size_t)h->il * 16);
	memcpy(raw + 8 + (size_t)h->il * 16, h->data, h->dl);
	return rpm_pkg_from_blob(p, sv_make(raw, 8 + (size_t)h->il * 16 + h->dl), "/var/lib/rpm/Packages",
				 why);
}

static void hb_base(hb *h)
{
	memset(h, 0, sizeof(*h));
	hb_str(h, RPMTAG_NAME, 6, "foo", 4, 1);
	hb_str(h, RPMTAG_VERSION, 6, "1.0", 4, 1);
	hb_str(h, RPMTAG_RELEASE, 6, "1", 2, 1);
}

static void test_header_edges(void **state)
{
	(void)state;
	hb h;
	rpm_pkg p;
	const char *why;

	/* epoch 0 present: rpm prints it, so do we */
	hb_base(&h);
	uint32_t zero = 0;
	hb_i32(&h, RPMTAG_EPOCH, &zero, 1);
	hb_str(&h, RPMTAG_SOURCERPM, 6, "foo-bar-1.0-1.nosrc.rpm", 24, 1);
	assert_int_equal(hb_decode(&h, &p, &why), 0);
	assert_string_equal(p.pkg.version, "0:1.0-1");
	assert_string_equal(p.pkg.source_name, "foo-bar");
	assert_string_equal(p.pkg.source_version, "0:1.0-1");
	assert_int_equal(p.pkg.nfiles, 0);
	rpm_pkg_free(&p);

	/* NAME not terminated inside the store */
	memset(&h, 0, sizeof(h));
	hb_str(&h, RPMTAG_VERSION, 6, "1.0", 4, 1);
	hb_str(&h, RPMTAG_NAME, 6, "foo", 3, 1);
	assert_int_equal(hb_decode(&h, &p, &why), -LADING_EFORMAT);
	assert_non_null(strstr(why, "NAME"));
	rpm_pkg_free(&p);

	/* misaligned INT32, unknown type, offset past the store */
	hb_base(&h);
	hb_entry(&h, RPMTAG_EPOCH, 4, 1, 1);
	assert_int_equal(hb_decode(&h, &p, &why), -LADING_EFORMAT);
	rpm_pkg_free(&p);
	hb_base(&h);
	hb_entry(&h, 1234, 42, 0, 1);
	assert_int_equal(hb_decode(&h, &p, &why), -LADING_EFORMAT);
	rpm_pkg_free(&p);
	hb_base(&h);
	hb_entry(&h, RPMTAG_LICENSE, 6, h.dl + 1, 1);
	assert_int_equal(hb_decode(&h, &p, &why), -LADING_EFORMAT);
	rpm_pkg_free(&p);

	/* INT32 array running past the store */
	hb_base(&h);
	hb_i32(&h, RPMTAG_EPOCH, &zero, 1);
	put32(h.idx + (h.il - 1) * 16 + 12, 0x40000000u);
	assert_int_equal(hb_decode(&h, &p, &why), -LADING_EFORMAT);
	rpm_pkg_free(&p);

	/* a directory index out of range keeps the package, drops its files */
	hb_base(&h);
	hb_str(&h, RPMTAG_BASENAMES, 8, "a\0b", 4, 2);
	hb_str(&h, RPMTAG_DIRNAMES, 8, "/etc/", 6, 1);
	uint32_t idx[] = {0, 7};
	hb_i32(&h, RPMTAG_DIRINDEXES, idx, 2);
	assert_int_equal(hb_decode(&h, &p, &why), 0);
	assert_int_equal(p.pkg.nfiles, 0);
	assert_non_null(p.files_warning);
	rpm_pkg_free(&p);

	/* a valid small file list: digests with an explicit algorithm, config flag */
	hb_base(&h);
	hb_str(&h, RPMTAG_BASENAMES, 8, "a\0b", 4, 2);
	hb_str(&h, RPMTAG_DIRNAMES, 8, "/etc/", 6, 1);
	uint32_t idx0[] = {0, 0}, flags[] = {1, 0}, algo = 2;
	hb_i32(&h, RPMTAG_DIRINDEXES, idx0, 2);
	hb_i32(&h, RPMTAG_FILEFLAGS, flags, 2);
	hb_i32(&h, RPMTAG_FILEDIGESTALGO, &algo, 1);
	hb_str(&h, RPMTAG_FILEDIGESTS, 8, "abcd\0", 6, 2);
	assert_int_equal(hb_decode(&h, &p, &why), 0);
	assert_int_equal(p.pkg.nfiles, 2);
	assert_string_equal(p.pkg.files[0].path, "/etc/a");
	assert_string_equal(p.pkg.files[0].digest, "sha1:abcd");
	assert_int_equal(p.pkg.files[0].config, 1);
	assert_string_equal(p.pkg.files[1].path, "/etc/b");
	assert_null(p.pkg.files[1].digest);
	assert_int_equal(p.pkg.files[1].config, 0);
	assert_null(p.files_warning);
	rpm_pkg_free(&p);

	/* one long directory named by many files: the path budget stops it */
	hb_base(&h);
	char dir[300];
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = 0;
	hb_str(&h, RPMTAG_DIRNAMES, 8, dir, sizeof(dir), 1);
	hb_str(&h, RPMTAG_BASENAMES, 8, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32,
	       32);
	uint32_t many[32] = {0};
	hb_i32(&h, RPMTAG_DIRINDEXES, many, 32);
	assert_int_equal(hb_decode(&h, &p, &why), 0);
	assert_int_equal(p.pkg.nfiles, 0);
	assert_non_null(p.files_warning);
	rpm_pkg_free(&p);
}

/* Hand-made NDB and BDB structures that point at themselves: the readers must
 * stop (edge cases; real files never do this). */
static int count_blob(void *ud, sv data, uint64_t recno)
{
	(void)data, (void)recno;
	(*(size_t *)ud)++;
	return 0;
}

static void count_warn(void *ud, const char *msg) { (void)ud, (void)msg; }

static void test_loops(void **state)
{
	(void)state;
	/* BDB: a hash page whose off-page item names an overflow page that links to itself */
	static unsigned char b[512 * 3];
	memset(b, 0, sizeof(b));
	b[12] = 0x61, b[13] = 0x15, b[14] = 0x06; /* magic, little-endian */
	b[21] = 2;				  /* page size 512 */
	b[25] = 8;				  /* hash meta */
	b[32] = 2;				  /* last page 2 */
	unsigned char *hp = b + 512, *ov = b + 1024;
	hp[25] = 13, hp[20] = 2;      /* two items */
	hp[26] = 0xfb, hp[27] = 0x01; /* key at 507 */
	hp[28] = 0xe0, hp[29] = 0x01; /* data at 480 */
	hp[507] = 1;		      /* H_KEYDATA key, 4 bytes */
	hp[508] = 5;
	hp[480] = 3, hp[484] = 2, hp[488] = 0xe8, hp[489] = 0x03; /* H_OFFPAGE pgno 2 tlen 1000 */
	ov[25] = 7, ov[16] = 2, ov[22] = 100;			  /* overflow, next = itself */
	size_t n = 0;
	rpm_sink sink = {.blob = count_blob, .warn = count_warn, .ud = &n};
	assert_int_equal(rpm_bdb_read(sv_make(b, sizeof(b)), &sink), 0);
	assert_int_equal(n, 0);

	/* NDB: every slot names the same blob; the overlap budget stops the repeats */
	static unsigned char d[4096 + 64];
	memset(d, 0, sizeof(d));
	memcpy(d, "RpmP", 4);
	d[12] = 1;
	for (size_t off = 32; off < 4096; off += 16) {
		memcpy(d + off, "Slot", 4);
		d[off + 4] = 1, d[off + 8] = 4096 / 16 % 256, d[off + 9] = 4096 / 16 / 256, d[off + 12] = 4;
	}
	memcpy(d + 4096, "BlbS", 4);
	d[4100] = 1, d[4108] = 40;
	n = 0;
	assert_int_equal(rpm_ndb_read(sv_make(d, sizeof(d)), &sink), 0);
	assert_true(n >= 1 && n <= sizeof(d) / 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bdb_centos5),
	    cmocka_unit_test(test_bdb_centos7),
	    cmocka_unit_test(test_bdb_centos8_modularity),
	    cmocka_unit_test(test_bdb_libuuid),
	    cmocka_unit_test(test_sqlite_mariner),
	    cmocka_unit_test(test_sqlite_wal),
	    cmocka_unit_test(test_ndb_sle15),
	    cmocka_unit_test(test_prefers_sqlite),
	    cmocka_unit_test(test_symlinked_dbpath),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_flipped_bytes),
	    cmocka_unit_test(test_header_prefixes),
	    cmocka_unit_test(test_header_edges),
	    cmocka_unit_test(test_loops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
