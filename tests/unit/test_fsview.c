/* Unit tests for the merged file-system view and path normalisation. The
 * paths and links here are hand-written edge cases (traversal, loops,
 * whiteouts); real images are covered by tests/cli/image_forms.sh. */
#include "testutil.h"

#include <unistd.h>

#include "fs/fsview.h"
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

/* The links path_resolve_links is told of: a fixed table (hand-written, as
 * the other cases here), the same two links the test puts in the view. */
static const char *test_view_link(const void *ud, const char *path, size_t n)
{
	(void)ud;
	static const struct {
		const char *path, *target;
	} links[] = {{"/bin", "usr/bin"}, {"/usr/bin/sh", "dash"}};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (strlen(links[i].path) == n && memcmp(links[i].path, path, n) == 0)
			return links[i].target;
	return NULL;
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
	assert_int_equal(fsview_canonical(v, "/loop1/x", &c), -LADING_ELIMIT);
	buf_free(&c);
	/* the last component is followed only when asked (integrity.c looks at a
	 * link itself that way); the links before it always are */
	assert_int_equal(fsview_put_symlink(v, "/usr/bin/sh", "dash", 0), 0);
	assert_int_equal(path_resolve_links(&c, "/bin/sh", false, test_view_link, v), 0);
	assert_string_equal(c.p, "/usr/bin/sh");
	assert_int_equal(path_resolve_links(&c, "/bin/sh", true, test_view_link, v), 0);
	assert_string_equal(c.p, "/usr/bin/dash");
	buf_free(&c);
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

/* blob_read() over generated bytes (a pattern, not image data: what is
 * checked is the plumbing, that the bytes and the NUL after them arrive
 * intact whether held in memory or spooled and mapped). */
typedef struct src {
	size_t pos, len, fail_at;
} src;

static unsigned char pattern(size_t i) { return (unsigned char)(i * 2654435761u >> 13); }

static ssize_t src_read(void *ud, unsigned char *dst, size_t n)
{
	src *s = ud;
	if (s->pos >= s->fail_at)
		return -1;
	size_t k = s->len - s->pos < n ? s->len - s->pos : n;
	k = k > 5000 ? 5000 : k; /* short reads, as a tar stream gives */
	for (size_t i = 0; i < k; i++)
		dst[i] = pattern(s->pos + i);
	s->pos += k;
	return (ssize_t)k;
}

static void check_blob(const blob *b, size_t len)
{
	assert_int_equal(b->len, len);
	for (size_t i = 0; i < len; i++)
		if (b->data[i] != pattern(i))
			fail_msg("byte %zu differs", i);
	assert_int_equal(b->data[len], 0);
}

static void test_blob_read(void **state)
{
	(void)state;
	char tmp[] = "/tmp/lading-test-spool-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	/* below, at and over the spool threshold, and a whole number of pages */
	size_t sizes[] = {0, 1, BLOB_SPOOL_MIN, BLOB_SPOOL_MIN + 1, 4u << 20};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		src s = {.len = sizes[k], .fail_at = SIZE_MAX};
		blob *b = NULL;
		const char *why = NULL;
		assert_int_equal(blob_read(&b, NULL, 0, sizes[k], src_read, &s, tmp, &why), 0);
		assert_int_equal(b->mapped, sizes[k] > BLOB_SPOOL_MIN);
		check_blob(b, sizes[k]);
		blob_release(b, 0, b->len); /* pages dropped are read back intact */
		check_blob(b, sizes[k]);
		blob_unref(b);
	}
	/* the head bytes come first, then the reader's */
	{
		unsigned char head[16];
		for (size_t i = 0; i < sizeof(head); i++)
			head[i] = pattern(i);
		src s = {.pos = sizeof(head), .len = 3u << 20, .fail_at = SIZE_MAX};
		blob *b = NULL;
		const char *why = NULL;
		assert_int_equal(blob_read(&b, head, sizeof(head), 3u << 20, src_read, &s, tmp, &why), 0);
		check_blob(b, 3u << 20);
		blob_unref(b);
	}
	/* a source shorter than announced: what was read */
	{
		src s = {.len = 3u << 20, .fail_at = SIZE_MAX};
		blob *b = NULL;
		const char *why = NULL;
		assert_int_equal(blob_read(&b, NULL, 0, 5u << 20, src_read, &s, tmp, &why), 0);
		check_blob(b, 3u << 20);
		blob_unref(b);
	}
	/* a failing source, and a spool directory that does not exist */
	{
		src s = {.len = 3u << 20, .fail_at = 1u << 20};
		blob *b = NULL;
		const char *why = NULL;
		assert_int_equal(blob_read(&b, NULL, 0, 3u << 20, src_read, &s, tmp, &why), -LADING_EFORMAT);
		assert_null(b);
		s = (src){.len = 3u << 20, .fail_at = 1u << 20};
		assert_int_equal(blob_read(&b, NULL, 0, 1000, src_read, &s, tmp, &why), 0);
		check_blob(b, 1000);
		blob_unref(b);
		s = (src){.len = 3u << 20, .fail_at = SIZE_MAX};
		assert_int_equal(blob_read(&b, NULL, 0, 3u << 20, src_read, &s, "/nonexistent/lading", &why),
				 -LADING_EIO);
		assert_null(b);
		assert_non_null(why);
	}
	/* nothing left behind in the spool directory */
	assert_int_equal(rmdir(tmp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_whiteouts),
		cmocka_unit_test(test_blob_read),
	};
	return cmocka_run_group_tests_name("fsview", tests, NULL, NULL);
}
