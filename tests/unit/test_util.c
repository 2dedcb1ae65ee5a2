/* Unit tests for the string view, buffer, arena and encoders in src/util.
 * Inputs are hand-written edge cases (limits, invalid UTF-8, odd base64). */
#include "testutil.h"

#include "lading/lading.h"
#include "util/util.h"

static void test_sv(void **state)
{
	(void)state;
	sv s = SV_LIT("a:b::c\r\nline2\n\nlast");
	sv line;
	assert_true(sv_next_line(&s, &line));
	assert_true(sv_eq_cstr(line, "a:b::c"));
	sv l = line;
	assert_true(sv_eq_cstr(sv_split(&l, ':'), "a"));
	assert_true(sv_eq_cstr(sv_split(&l, ':'), "b"));
	assert_true(sv_eq_cstr(sv_split(&l, ':'), ""));
	assert_true(sv_eq_cstr(sv_split(&l, ':'), "c"));
	assert_true(sv_next_line(&s, &line) && sv_eq_cstr(line, "line2"));
	assert_true(sv_next_line(&s, &line) && line.n == 0);
	assert_true(sv_next_line(&s, &line) && sv_eq_cstr(line, "last"));
	assert_false(sv_next_line(&s, &line));
	uint64_t v;
	assert_true(sv_to_u64(SV_LIT("18446744073709551615"), &v) && v == UINT64_MAX);
	assert_false(sv_to_u64(SV_LIT("18446744073709551616"), &v));
	assert_false(sv_to_u64(SV_LIT("12a"), &v));
	assert_true(sv_eq_cstr(sv_trim(SV_LIT(" \t x y \n")), "x y"));
	assert_int_equal(sv_find_sv(SV_LIT("hello world"), SV_LIT("o w")), 4);
}

static void test_buf_limits(void **state)
{
	(void)state;
	buf b = {.max = 8};
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), -LADING_ELIMIT);
	assert_string_equal(b.p, "12345678"); /* unchanged on failure */
	buf_free(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.p, "42-x");
	size_t n;
	char *p = buf_steal(&b, &n);
	assert_int_equal(n, 4);
	free(p);
}

static void test_json_escape(void **state)
{
	(void)state;
	buf b = {0};
	/* quotes, control characters, valid UTF-8, and invalid bytes (replaced) */
	const char in[] = "a\"\\\n\x01 \xc3\xa9 \xff \xed\xa0\x80 \xf0\x9f\x98\x80";
	assert_int_equal(buf_put_json_str(&b, sv_make(in, sizeof(in) - 1)), 0);
	assert_string_equal(b.p, "a\\\"\\\\\\u000a\\u0001 \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
				 "\xf0\x9f\x98\x80");
	buf_free(&b);
}

static void test_base64_hex(void **state)
{
	(void)state;
	unsigned char out[32];
	size_t n;
	/* an apk Z: checksum (Q1 prefix stripped): SHA-1 of 20 bytes */
	assert_true(base64_decode(out, sizeof(out), &n, SV_LIT("2jmj7l5rSw0yVb/vlWAYkK/YBwk=")));
	assert_int_equal(n, 20);
	char hex[41];
	hex_encode(hex, out, 20);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709"); /* sha1("") */
	assert_false(base64_decode(out, sizeof(out), &n, SV_LIT("not*base64")));
	assert_false(base64_decode(out, 2, &n, SV_LIT("2jmj7l5rSw0yVb/vlWAYkK/YBwk=")));
}

static void test_arena_vec(void **state)
{
	(void)state;
	arena a = {0};
	for (int i = 0; i < 10000; i++) {
		char *s = arena_printf(&a, "pkg-%d", i);
		assert_non_null(s);
	}
	char *big = arena_alloc(&a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	arena_free(&a);
	VEC(int) v = {0};
	for (int i = 0; i < 1000; i++)
		assert_int_equal(vec_push(&v, i), 0);
	assert_int_equal(v.n, 1000);
	assert_int_equal(v.v[999], 999);
	vec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sv),         cmocka_unit_test(test_buf_limits),
		cmocka_unit_test(test_json_escape), cmocka_unit_test(test_base64_hex),
		cmocka_unit_test(test_arena_vec),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
