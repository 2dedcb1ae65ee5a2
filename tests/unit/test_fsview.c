/* Unit tests for the merged file-system view and path normalisation. The
 * paths and links here are hand-written edge cases (traversal, loops,
 * whiteouts); real images are covered by tests/cli/image_forms.sh. */
#include "testutil.h"

#include "image/fsview.h"
#include "lading/lading.h"

static const char *norm(buf *b, const char *base, const char *p)
{
	assert_int_equal(path_normalize(b, base, sv_cstr(p)), 0);
	return b->p;
}

static void test_normalize(void **state)
{
	(void)state;
	buf b = {0};
	assert_string_equal(norm(&b, "/", "./etc/os-release"), "/etc/os-release");
	assert_string_equal(norm(&b, "/", "etc//apk/./db/"), "/etc/apk/db");
	assert_string_equal(norm(&b, "/", "../../../etc/passwd"), "/etc/passwd");
	assert_string_equal(norm(&b, "/", "/a/b/../../../../c"), "/c");
	assert_string_equal(norm(&b, "/", ""), "/");
	assert_string_equal(norm(&b, "/", "."), "/");
	assert_string_equal(norm(&b, "/etc", "../usr/lib/os-release"), "/usr/lib/os-release");
	assert_string_equal(norm(&b, "/etc", "/abs"), "/abs");
	/* over-long results are refused, not truncated */
	char *longp = malloc(10000);
	memset(longp, 'a', 9999);
	longp[9999] = 0;
	assert_int_equal(path_normalize(&b, "/", sv_cstr(longp)), -LADING_ELIMIT);
	free(longp);
	buf_free(&b);
}

static void test_links(void **state)
{
	(void)state;
	fsview *v;
	sv d;
	assert_int_equal(fsview_new(&v), 0);
	assert_int_equal(fsview_put_copy(v, "/usr/lib/os-release", "ID=x\n", 5), 0);
	/* relative link, as in Alpine edge's etc/os-release */
	assert_int_equal(fsview_put_symlink(v, "/etc/os-release", "../usr/lib/os-release", 1), 0);
	assert_true(fsview_get(v, "/etc/os-release", &d));
	assert_int_equal(d.n, 5);
	/* a link that climbs out of the root stays inside it */
	assert_int_equal(fsview_put_symlink(v, "/a", "../../../../usr/lib/os-release", 0), 0);
	assert_true(fsview_get(v, "/a", &d));
	/* a directory link in the middle of a path */
	assert_int_equal(fsview_put_symlink(v, "/var/lib/rpm", "../../usr/lib", 0), 0);
	assert_true(fsview_get(v, "/var/lib/rpm/os-release", &d));
	/* merged /usr: the canonical path of a file named through a directory link */
	buf c = {0};
	assert_int_equal(fsview_put_symlink(v, "/bin", "usr/bin", 0), 0);
	assert_int_equal(fsview_canonical(v, "/bin/bash", &c), 0);
	assert_string_equal(c.p, "/usr/bin/bash");
	assert_int_equal(fsview_canonical(v, "/usr/lib/os-release", &c), 0);
	assert_string_equal(c.p, "/usr/lib/os-release");
	buf_free(&c);
	/* loops end */
	assert_int_equal(fsview_put_symlink(v, "/loop1", "/loop2", 0), 0);
	assert_int_equal(fsview_put_symlink(v, "/loop2", "loop1", 0), 0);
	assert_false(fsview_get(v, "/loop1", &d));
	/* a link to a missing file is absent */
	assert_int_equal(fsview_put_symlink(v, "/dangling", "/nope", 0), 0);
	assert_false(fsview_get(v, "/dangling", &d));
	fsview_free(v);
}

static int count_cb(void *ud, const char *path, sv data)
{
	(void)data;
	buf *b = ud;
	buf_puts(b, path);
	buf_putc(b, ';');
	return 0;
}

static void test_whiteouts(void **state)
{
	(void)state;
	fsview *v;
	sv d;
	assert_int_equal(fsview_new(&v), 0);
	char name[64];
	for (int i = 0; i < 1000; i++) { /* enough to grow the table several times */
		snprintf(name, sizeof(name), "/var/lib/dpkg/info/p%04d.list", i);
		assert_int_equal(fsview_put_copy(v, name, name, strlen(name)), 0);
	}
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg/status", "s", 1), 0);
	assert_int_equal(fsview_count(v), 1001);
	fsview_remove(v, "/var/lib/dpkg/info/p0001.list");
	assert_false(fsview_get(v, "/var/lib/dpkg/info/p0001.list", &d));
	assert_int_equal(fsview_count(v), 1000);
	fsview_clear_dir(v, "/var/lib/dpkg/info");
	assert_int_equal(fsview_count(v), 1);
	assert_true(fsview_get(v, "/var/lib/dpkg/status", &d));
	/* removing a directory removes what is under it, not its siblings' prefixes */
	assert_int_equal(fsview_put_copy(v, "/var/lib/dpkg2", "x", 1), 0);
	fsview_remove(v, "/var/lib/dpkg");
	assert_false(fsview_get(v, "/var/lib/dpkg/status", &d));
	assert_true(fsview_get(v, "/var/lib/dpkg2", &d));
	/* iteration is in byte order and limited to the prefix */
	fsview_put_copy(v, "/b/2", "", 0);
	fsview_put_copy(v, "/b/1", "", 0);
	fsview_put_copy(v, "/c/1", "", 0);
	buf b = {0};
	assert_int_equal(fsview_each(v, "/b/", count_cb, &b), 0);
	assert_string_equal(b.p, "/b/1;/b/2;");
	buf_free(&b);
	fsview_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_whiteouts),
	};
	return cmocka_run_group_tests_name("fsview", tests, NULL, NULL);
}
