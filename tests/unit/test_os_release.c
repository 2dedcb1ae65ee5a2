/* Tests of the OS identity cataloger (src/catalog/os_release.c) on the real
 * os-release and release files of the corpus (os-release/syft, claircore and
 * the Alpine minirootfs tarballs). Only the quoting test uses hand-written
 * input, because no real file exercises every shell quoting rule. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>

#include "testutil.h"

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"
#include "lading/lading.h"

/* Puts every file under corpus dir `rel` into the view at its path relative
 * to that dir ("debian/12/etc/os-release" -> "/etc/os-release"). */
static void load_tree(fsview *v, const char *abs, const char *vpath)
{
	DIR *d = opendir(abs);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096], q[4096];
		snprintf(p, sizeof(p), "%s/%s", abs, e->d_name);
		snprintf(q, sizeof(q), "%s/%s", vpath, e->d_name);
		struct stat st;
		assert_int_equal(stat(p, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			load_tree(v, p, q);
		} else {
			size_t n = 0;
			char *data = slurp(p, &n);
			assert_non_null(data);
			assert_int_equal(fsview_put_copy(v, q, data, n), 0);
			free(data);
		}
	}
	closedir(d);
}

typedef struct want {
	const char *dir; /* under os-release/ */
	const char *id, *version_id, *version, *codename;
} want;

static void check_os(const lading_os *os, const want *w)
{
	if (!w->id) {
		return;
	}
	if (!os->id || strcmp(os->id, w->id) != 0)
		fail_msg("%s: id %s, want %s", w->dir, os->id ? os->id : "(null)", w->id);
#define SAME(field)                                                                                          \
	if ((w->field == NULL) != (os->field == NULL) || (w->field && strcmp(w->field, os->field) != 0))     \
		fail_msg("%s: " #field " %s, want %s", w->dir, os->field ? os->field : "(null)",             \
			 w->field ? w->field : "(null)");
	SAME(version_id)
	SAME(version)
	SAME(codename)
#undef SAME
}

static int identify_dir(const char *rel, lading_os *os, arena *a)
{
	char abs[5120], path[512];
	snprintf(path, sizeof(path), "os-release/%s", rel);
	corpus_path(abs, sizeof(abs), path);
	fsview *v;
	assert_int_equal(fsview_new(&v), 0);
	load_tree(v, abs, "");
	int rc = os_release_identify(os, a, v);
	fsview_free(v);
	return rc;
}

static void test_corpus_trees(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const want wants[] = {
	    {"claircore/debian/7", "debian", "7", "7", "wheezy"},
	    {"claircore/debian/8", "debian", "8", "8", "jessie"},
	    {"claircore/debian/9", "debian", "9", "9", "stretch"},
	    {"claircore/debian/10", "debian", "10", "10", "buster"},
	    {"claircore/debian/11", "debian", "11", "11", "bullseye"},
	    {"claircore/debian/12", "debian", "12", "12", "bookworm"},
	    {"claircore/debian-distroless/9", "debian", "9", "9", "stretch"},
	    {"claircore/debian-distroless/10", "debian", "10", "10", "buster"},
	    {"claircore/debian-distroless/11", "debian", "11", "11", "bullseye"},
	    {"claircore/ubuntu/10.04", "ubuntu", "10.04", "10.04", "lucid"},
	    {"claircore/ubuntu/11", "debian", "11", "11", "bullseye"},
	    {"claircore/ubuntu/12.04", "ubuntu", "12.04", "12.04.5", "precise"},
	    {"claircore/ubuntu/14.04", "ubuntu", "14.04", "14.04.6", "trusty"},
	    {"claircore/ubuntu/16.04", "ubuntu", "16.04", "16.04.7", "xenial"},
	    {"claircore/ubuntu/18.04", "ubuntu", "18.04", "18.04.6", "bionic"},
	    {"claircore/ubuntu/20.04", "ubuntu", "20.04", "20.04.4", "focal"},
	    {"claircore/ubuntu/22.04", "ubuntu", "22.04", "22.04", "jammy"},
	    {"claircore/ubuntu/23.10", "ubuntu", "23.10", "23.10", "mantic"},
	    {"claircore/rhel/7", "rhel", "7.7", "7.7", NULL},
	    {"claircore/rhel/8", "rhel", "8.1", "8.1", NULL},
	    {"claircore/rhel/9", "rhel", "9.0", "9.0", NULL},
	    {"claircore/rhel/atomichost-7", "rhel", "7.9", "7.9", NULL},
	    {"claircore/rhel/oracle-6", "ol", "6.10", "6.10", NULL},
	    {"claircore/rhel/oracle-7", "ol", "7.9", "7.9", NULL},
	    {"claircore/rhel/oracle-8", "ol", "8.9", "8.9", NULL},
	    {"claircore/rhel/oracle-9", "ol", "9.3", "9.3", NULL},
	    {"claircore/rhel/hummingbird", "hummingbird", "20251124", "20251124", NULL},
	    {"syft/os/alpine", "alpine", "3.11.6", "3.11.6", NULL},
	    {"syft/os/almalinux/from-os-release", "almalinux", "8.4", "8.4", NULL},
	    {"syft/os/almalinux/from-redhat-release", "almalinux", "8.10", "8.10", NULL},
	    {"syft/os/amazon", "amzn", "2", "2", NULL},
	    {"syft/os/arch", "arch", NULL, NULL, NULL},
	    {"syft/os/centos", "centos", "8", "8", NULL},
	    {"syft/os/centos5", "centos", "5", "5.7", NULL},
	    {"syft/os/centos6", "centos", "6", "6", NULL},
	    {"syft/os/custom", "scientific", "8", "8", NULL},
	    {"syft/os/debian/from-debian_version", "debian", "10", "10.8", "buster"},
	    {"syft/os/debian/from-os-release", "debian", "8", "8", "jessie"},
	    {"syft/os/debian/with-point-release", "debian", "13", "13.5", "trixie"},
	    {"syft/os/fedora", "fedora", "36", "36", NULL},
	    {"syft/os/mariner", "mariner", "1.0", "1.0.20210901", NULL},
	    {"syft/os/opensuse-leap", "opensuse-leap", "15.2", "15.2", NULL},
	    {"syft/os/oraclelinux", "ol", "8.3", "8.3", NULL},
	    {"syft/os/photon", "photon", "2.0", "2.0", NULL},
	    {"syft/os/redhat/from-os-release", "rhel", "7.3", "7.3", NULL},
	    {"syft/os/redhat/from-redhat-release", "rhel", "8.10", "8.10", NULL},
	    {"syft/os/rockylinux/from-os-release", "rocky", "8.4", "8.4", NULL},
	    {"syft/os/rockylinux/from-redhat-release", "rocky", "8.10", "8.10", NULL},
	    {"syft/os/scientific/from-os-release", "scientific", "7.5", "7.5", NULL},
	    {"syft/os/scientific/from-redhat-release", "scientific", "7.9", "7.9", NULL},
	    {"syft/os/sles", "sles", "15.2", "15.2", NULL},
	    {"syft/os/ubuntu", "ubuntu", "20.04", "20.04", "focal"},
	    {"syft/os/wolfi", "wolfi", "20220914", "20220914", NULL},
	    {"syft/partial-fields/missing-id", "debian", "8", "8", "jessie"},
	    {"syft/partial-fields/missing-version", "debian", NULL, NULL, NULL},
	    {"syft/partial-fields/unknown-id", "my-awesome-distro", "8", "8", NULL},
	};
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		arena a = {0};
		lading_os os;
		int rc = identify_dir(wants[i].dir, &os, &a);
		if (rc != 1)
			fail_msg("%s: no identity (rc %d)", wants[i].dir, rc);
		check_os(&os, &wants[i]);
		/* pretty_name is there whenever the distribution wrote one */
		if (strcmp(wants[i].id, "debian") == 0 && strstr(wants[i].dir, "distroless"))
			assert_string_equal(os.pretty_name, "Distroless");
		arena_free(&a);
	}
}

/* Every Ubuntu tree of claircore: the ID and VERSION_ID are the folder's. */
static void test_all_ubuntu(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char abs[5120];
	corpus_path(abs, sizeof(abs), "os-release/claircore/ubuntu");
	DIR *d = opendir(abs);
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "11") == 0) /* 11 is a Debian file */
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "claircore/ubuntu/%s", e->d_name);
		arena a = {0};
		lading_os os;
		assert_int_equal(identify_dir(rel, &os, &a), 1);
		assert_string_equal(os.id, "ubuntu");
		assert_string_equal(os.version_id, e->d_name);
		assert_non_null(os.codename);
		for (const char *c = os.codename; *c; c++)
			assert_true(*c >= 'a' && *c <= 'z');
		n++;
		arena_free(&a);
	}
	closedir(d);
	assert_true(n >= 25);
}

/* The loose syft files: some are os-release contents under another name,
 * the rest are the edge cases (empty, unprintable, bad). */
static void test_loose_files(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const struct {
		const char *file, *as;
		want w; /* w.id NULL = no identity expected */
	} cases[] = {
	    {"syft/debian-8", "/etc/os-release", {"debian-8", "debian", "8", "8", "jessie"}},
	    {"syft/ubuntu-20.04", "/etc/os-release", {"ubuntu-20.04", "ubuntu", "20.04", "20.04", "focal"}},
	    {"syft/centos-8", "/etc/os-release", {"centos-8", "centos", "8", "8", NULL}},
	    {"syft/rhel-8", "/usr/lib/os-release", {"rhel-8", "rhel", "8.1", "8.1", NULL}},
	    {"syft/unprintable", "/etc/os-release", {"unprintable", "debian", "8", "8", "jessie"}},
	    {"syft/bad-redhat-release",
	     "/etc/redhat-release",
	     {"bad-redhat-release", "centos", "5", "5", NULL}},
	    {"syft/bad-system-release-cpe",
	     "/etc/system-release-cpe",
	     {"bad-system-release-cpe", NULL, 0, 0, 0}},
	    {"syft/os/empty/etc/os-release", "/etc/os-release", {"empty", NULL, 0, 0, 0}},
	    {"syft/os/busybox/bin/busybox", "/etc/os-release", {"busybox", NULL, 0, 0, 0}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[512], abs[5120];
		snprintf(rel, sizeof(rel), "os-release/%s", cases[i].file);
		size_t n = 0;
		char *data = slurp(corpus_path(abs, sizeof(abs), rel), &n);
		assert_non_null(data);
		fsview *v;
		assert_int_equal(fsview_new(&v), 0);
		assert_int_equal(fsview_put_copy(v, cases[i].as, data, n), 0);
		arena a = {0};
		lading_os os;
		int rc = os_release_identify(&os, &a, v);
		if (cases[i].w.id) {
			if (rc != 1)
				fail_msg("%s: no identity", cases[i].file);
			check_os(&os, &cases[i].w);
			/* no control characters leak from the CRLF file */
			for (const char *c = os.pretty_name; c && *c; c++)
				assert_true((unsigned char)*c >= 0x20);
		} else {
			if (rc != 0)
				fail_msg("%s: unexpected identity %s", cases[i].file, os.id);
		}
		arena_free(&a);
		fsview_free(v);
		free(data);
	}
}

/* Hand-written: the shell quoting rules that os-release allows. */
static void test_quoting(void **state)
{
	(void)state;
	static const char text[] = "# comment\n"
				   "\n"
				   "A=plain\n"
				   "B=\"double \\\"quoted\\\" \\$x \\\\ \\n\"\n"
				   "C='single \\ \"raw\"'\n"
				   "D=un\\ quoted trailing junk\n"
				   "E=\"unterminated\n"
				   "F=\"\"\n"
				   "G=\"ctl\x01\x7f\tchars\"\r\n"
				   "  H = spaced \n"
				   "A=\"last wins\"\n"
				   "I=a\"b c\"'d e'\n"
				   "not an assignment\n"
				   "J\n";
	sv data = sv_make(text, sizeof(text) - 1);
	static const struct {
		const char *key, *val;
	} cases[] = {
	    {"A", "last wins"},		{"B", "double \"quoted\" $x \\ \\n"},
	    {"C", "single \\ \"raw\""}, {"D", "un quoted"},
	    {"E", "unterminated"},	{"F", NULL},
	    {"G", "ctlchars"},		{"H", "spaced"},
	    {"I", "ab cd e"},		{"J", NULL},
	    {"MISSING", NULL},
	};
	arena a = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = NULL;
		int rc = osrel_get(&v, &a, data, cases[i].key);
		if (cases[i].val) {
			assert_int_equal(rc, 1);
			assert_string_equal(v, cases[i].val);
		} else {
			assert_int_equal(rc, 0);
			assert_null(v);
		}
	}
	arena_free(&a);
}

/* Reads the files that the catalogers claim, and every link, from a rootfs
 * tarball into a view, as the layer walk would. */
static fsview *load_tarball(const char *rel)
{
	char abs[5120];
	struct archive *ar = archive_read_new();
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	assert_int_equal(archive_read_open_filename(ar, corpus_path(abs, sizeof(abs), rel), 65536),
			 ARCHIVE_OK);
	fsview *v;
	assert_int_equal(fsview_new(&v), 0);
	struct archive_entry *e;
	buf path = {0};
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		assert_int_equal(path_normalize(&path, "/", sv_cstr(archive_entry_pathname(e))), 0);
		if (archive_entry_filetype(e) == AE_IFLNK) {
			assert_int_equal(fsview_put_symlink(v, path.p, archive_entry_symlink(e), 0), 0);
		} else if (archive_entry_filetype(e) == AE_IFREG && catalog_claims(NULL, path.p, path.n)) {
			size_t n = (size_t)archive_entry_size(e);
			char *data = malloc(n + 1);
			assert_non_null(data);
			assert_int_equal(archive_read_data(ar, data, n), (la_ssize_t)n);
			assert_int_equal(fsview_put_copy(v, path.p, data, n), 0);
			free(data);
		}
	}
	buf_free(&path);
	archive_read_free(ar);
	return v;
}

static const char *const alpine[][2] = {
    {"alpine-minirootfs-3.9.6-x86_64", "3.9.6"},
    {"alpine-minirootfs-3.10.9-x86_64", "3.10.9"},
    {"alpine-minirootfs-3.11.13-x86_64", "3.11.13"},
    {"alpine-minirootfs-3.12.12-x86_64", "3.12.12"},
    {"alpine-minirootfs-3.16.9-x86_64", "3.16.9"},
    {"alpine-minirootfs-3.20.3-x86_64", "3.20.3"},
    {"alpine-minirootfs-20240923-x86_64", "3.21.0_alpha20240923"},
};

/* The expected .os-release copies of the Alpine tarballs. */
static void test_alpine_copies(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	for (size_t i = 0; i < sizeof(alpine) / sizeof(alpine[0]); i++) {
		char rel[512], abs[5120];
		snprintf(rel, sizeof(rel), "images/alpine/%s.os-release", alpine[i][0]);
		size_t n = 0;
		char *data = slurp(corpus_path(abs, sizeof(abs), rel), &n);
		assert_non_null(data);
		fsview *v;
		assert_int_equal(fsview_new(&v), 0);
		assert_int_equal(fsview_put_copy(v, "/etc/os-release", data, n), 0);
		arena a = {0};
		lading_os os;
		assert_int_equal(os_release_identify(&os, &a, v), 1);
		assert_string_equal(os.id, "alpine");
		assert_string_equal(os.version_id, alpine[i][1]);
		assert_string_equal(os.version, alpine[i][1]);
		assert_non_null(os.pretty_name);
		assert_true(strncmp(os.pretty_name, "Alpine Linux ", 13) == 0);
		arena_free(&a);
		fsview_free(v);
		free(data);
	}
}

/* The tarballs themselves through the cataloger's run(): edge's
 * /etc/os-release is a link to ../usr/lib/os-release. */
static void test_alpine_tarballs_run(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	for (size_t i = 0; i < sizeof(alpine) / sizeof(alpine[0]); i++) {
		char rel[512];
		snprintf(rel, sizeof(rel), "images/alpine/%s.tar.gz", alpine[i][0]);
		fsview *v = load_tarball(rel);
		lading_inventory *inv;
		assert_int_equal(inv_new(&inv), 0);
		cat_run r = {.view = v, .inv = inv, .warn = true};
		assert_int_equal(cataloger_os_release.run(&r), 0);
		const lading_os *os = lading_inventory_os(inv);
		assert_non_null(os);
		assert_string_equal(os->id, "alpine");
		assert_string_equal(os->version_id, alpine[i][1]);
		assert_string_equal(os->version, alpine[i][1]);
		assert_int_equal(lading_inventory_nwarnings(inv), 0);
		lading_inventory_free(inv);
		fsview_free(v);
	}
}

/* Hand-built views: a link chain, an /etc/os-release without ID falling back
 * to debian_version, and nothing at all (no identity, no inv_set_os). */
static void test_run_views(void **state)
{
	(void)state;
	fsview *v;
	lading_inventory *inv;
	static const char osr[] = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";

	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_symlink(v, "/etc/os-release", "../usr/lib/os-release", 0), 0);
	assert_int_equal(fsview_put_symlink(v, "/usr/lib/os-release", "os-release.d/real", 0), 0);
	assert_int_equal(fsview_put_copy(v, "/usr/lib/os-release.d/real", osr, sizeof(osr) - 1), 0);
	assert_int_equal(fsview_put_copy(v, "/etc/debian_version", "12.15\n", 6), 0);
	assert_int_equal(inv_new(&inv), 0);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	assert_int_equal(cataloger_os_release.run(&r), 0);
	assert_non_null(lading_inventory_os(inv));
	assert_string_equal(lading_inventory_os(inv)->version, "12.15");
	assert_string_equal(lading_inventory_os(inv)->codename, "bookworm");
	lading_inventory_free(inv);
	fsview_free(v);

	/* Debian testing: no VERSION_ID, debian_version names the codename. */
	static const char sid[] = "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n";
	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_copy(v, "/etc/os-release", sid, sizeof(sid) - 1), 0);
	assert_int_equal(fsview_put_copy(v, "/etc/debian_version", "trixie/sid\n", 11), 0);
	assert_int_equal(inv_new(&inv), 0);
	r.view = v;
	r.inv = inv;
	assert_int_equal(cataloger_os_release.run(&r), 0);
	assert_string_equal(lading_inventory_os(inv)->id, "debian");
	assert_null(lading_inventory_os(inv)->version_id);
	assert_string_equal(lading_inventory_os(inv)->codename, "trixie");
	lading_inventory_free(inv);
	fsview_free(v);

	/* a link loop and nothing else: no identity */
	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_symlink(v, "/etc/os-release", "/etc/os-release", 0), 0);
	assert_int_equal(inv_new(&inv), 0);
	r.view = v;
	r.inv = inv;
	assert_int_equal(cataloger_os_release.run(&r), 0);
	assert_null(lading_inventory_os(inv));
	lading_inventory_free(inv);
	fsview_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),	  cmocka_unit_test(test_corpus_trees),
	    cmocka_unit_test(test_all_ubuntu),	  cmocka_unit_test(test_loose_files),
	    cmocka_unit_test(test_alpine_copies), cmocka_unit_test(test_alpine_tarballs_run),
	    cmocka_unit_test(test_run_views),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
