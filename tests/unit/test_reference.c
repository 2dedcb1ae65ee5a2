/* Image reference parsing (src/image/reference.c). The corpus holds no
 * references, so the cases here are hand-written: the normalisations and
 * rejections of Docker's distribution/reference package (its
 * normalize_test.go and reference_test.go), which is what `docker pull`
 * accepts. */
#include "testutil.h"

#include "image/registry.h"

typedef struct good_case {
	const char *in, *domain, *repo, *tag, *digest;
	bool explicit_domain;
} good_case;

#define D64 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const good_case good[] = {
    {"alpine", "docker.io", "library/alpine", "latest", NULL, false},
    {"alpine:3.20", "docker.io", "library/alpine", "3.20", NULL, false},
    {"library/alpine:edge", "docker.io", "library/alpine", "edge", NULL, false},
    {"team/app", "docker.io", "team/app", "latest", NULL, false},
    {"docker.io/alpine", "docker.io", "library/alpine", "latest", NULL, true},
    {"index.docker.io/alpine", "docker.io", "library/alpine", "latest", NULL, true},
    {"registry.example.com/team/app:1.4", "registry.example.com", "team/app", "1.4", NULL, true},
    {"localhost/app", "localhost", "app", "latest", NULL, true},
    {"localhost:5000/a/b/c:v_1.0-rc", "localhost:5000", "a/b/c", "v_1.0-rc", NULL, true},
    {"127.0.0.1:5000/debian:bookworm", "127.0.0.1:5000", "debian", "bookworm", NULL, true},
    {"[::1]:5000/x", "[::1]:5000", "x", "latest", NULL, true},
    {"Foo/bar", "Foo", "bar", "latest", NULL, true}, /* an upper-case first part is a host */
    {"alpine@" D64, "docker.io", "library/alpine", NULL, D64, false},
    {"ghcr.io/o/r:t@" D64, "ghcr.io", "o/r", "t", D64, true},
    {"a-b/c__d/e.f/g---h", "docker.io", "a-b/c__d/e.f/g---h", "latest", NULL, false},
    {"foo:5000", "docker.io", "library/foo", "5000", NULL, false}, /* no '/': a tag, not a port */
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const good_case *c = &good[i];
		image_ref r;
		const char *why = NULL;
		int rc = ref_parse(&r, sv_cstr(c->in), &why);
		if (rc)
			fail_msg("%s: rejected (%s)", c->in, why ? why : "?");
		assert_string_equal(r.domain, c->domain);
		assert_string_equal(r.repository, c->repo);
		if (c->tag)
			assert_string_equal(r.tag, c->tag);
		else
			assert_null(r.tag);
		if (c->digest)
			assert_string_equal(r.digest, c->digest);
		else
			assert_null(r.digest);
		assert_int_equal(r.explicit_domain, c->explicit_domain);
		ref_free(&r);
	}
}

static void test_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "Alpine", /* upper case repository */
	    "docker.io/Alpine",
	    "a//b",
	    "a/",
	    "/a",
	    "-a",
	    "a-",
	    "a..b",
	    "a___b",
	    "a:",
	    "a:-tag",
	    "a@sha256:abc",
	    "a@md5:0123456789abcdef0123456789abcdef",
	    "a@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", /* an image id */
	    "host:port/a",
	    "host:123456/a",
	    "-host.com/a",
	    "ho_st.com/a",
	    "[::1/a",
	    "a b",
	    "a\tb",
	    "a/b c:d",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		image_ref r;
		const char *why = NULL;
		if (ref_parse(&r, sv_cstr(bad[i]), &why) != -LADING_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(why);
	}
	/* a NUL inside the view is a bad character, not the end of the input */
	image_ref r;
	assert_int_equal(ref_parse(&r, sv_make("alpine\0x", 8), NULL), -LADING_EFORMAT);
}

static void test_limits(void **state)
{
	(void)state;
	/* 255 characters of domain + "/" + name at most, as Docker says */
	char name[300];
	memset(name, 'a', sizeof(name));
	image_ref r;
	/* "docker.io/library/" + 237 = 255: accepted */
	assert_int_equal(ref_parse(&r, sv_make(name, 237), NULL), 0);
	assert_int_equal(strlen(r.repository), 8 + 237);
	ref_free(&r);
	assert_int_equal(ref_parse(&r, sv_make(name, 238), NULL), -LADING_EFORMAT);
	/* with a host of its own: "h.io/" + 250 = 255 */
	char full[300] = "h.io/";
	memcpy(full + 5, name, 251);
	assert_int_equal(ref_parse(&r, sv_make(full, 255), NULL), 0);
	ref_free(&r);
	assert_int_equal(ref_parse(&r, sv_make(full, 256), NULL), -LADING_EFORMAT);
	/* tags: 128 characters at most */
	char tagged[200] = "a:";
	memset(tagged + 2, 't', 129);
	assert_int_equal(ref_parse(&r, sv_make(tagged, 2 + 128), NULL), 0);
	assert_int_equal(strlen(r.tag), 128);
	ref_free(&r);
	assert_int_equal(ref_parse(&r, sv_make(tagged, 2 + 129), NULL), -LADING_EFORMAT);
}

static void test_format_and_hosts(void **state)
{
	(void)state;
	image_ref r;
	buf b = {0};
	assert_int_equal(ref_parse(&r, sv_cstr("alpine"), NULL), 0);
	assert_int_equal(ref_format(&b, &r), 0);
	assert_string_equal(b.p, "docker.io/library/alpine:latest");
	assert_string_equal(ref_api_host(&r), "registry-1.docker.io");
	ref_free(&r);
	b.n = 0;
	assert_int_equal(ref_parse(&r, sv_cstr("127.0.0.1:5000/x@" D64), NULL), 0);
	assert_int_equal(ref_format(&b, &r), 0);
	assert_string_equal(b.p, "127.0.0.1:5000/x@" D64);
	assert_string_equal(ref_api_host(&r), "127.0.0.1:5000");
	ref_free(&r);
	buf_free(&b);

	assert_true(ref_host_is_loopback("localhost"));
	assert_true(ref_host_is_loopback("localhost:5000"));
	assert_true(ref_host_is_loopback("127.0.0.1:5000"));
	assert_true(ref_host_is_loopback("127.1.2.3"));
	assert_true(ref_host_is_loopback("[::1]:5000"));
	assert_false(ref_host_is_loopback("127.0.0.1.evil.com"));
	assert_false(ref_host_is_loopback("localhost.evil.com"));
	assert_false(ref_host_is_loopback("128.0.0.1"));
	assert_false(ref_host_is_loopback("[::2]:5000"));
	assert_false(ref_host_is_loopback("docker.io"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_format_and_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
