/* The generic upstream comparator (src/version/generic.c). Hand-written
 * pairs (no corpus holds these orders): OpenSSL letter releases, PostgreSQL
 * pre-releases, NVD-style bounds. */
#include "testutil.h"

#include "version/version.h"

static int cmp(const char *a, const char *b)
{
	int out = 99;
	assert_int_equal(vcmp_generic(&out, sv_cstr(a), sv_cstr(b)), 0);
	return out;
}

static void test_order(void **state)
{
	(void)state;
	static const char *const asc[][2] = {
	    {"1.1.1", "1.1.1k"},   {"1.1.1k", "1.1.1w"},   {"1.1.1w", "1.1.1zb"},  {"1.1.1zb", "3.0.0"},
	    {"15beta4", "15.1"},   {"9.5alpha1", "9.5.0"}, {"2.0.0-rc1", "2.0.0"}, {"1.2.9", "1.2.10"},
	    {"1.25.1", "1.25.10"}, {"7.0.14", "7.2.3"},	   {"3.0.9", "3.0.11"},	   {"1.21.4", "1.21.4.3"},
	};
	for (size_t i = 0; i < sizeof(asc) / sizeof(asc[0]); i++) {
		assert_int_equal(cmp(asc[i][0], asc[i][1]), -1);
		assert_int_equal(cmp(asc[i][1], asc[i][0]), 1);
	}
	assert_int_equal(cmp("1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp("1.02.3", "1.2.3"), 0);
	assert_int_equal(cmp("1.1.1K", "1.1.1k"), 0);
}

static void test_invalid(void **state)
{
	(void)state;
	int out;
	assert_int_equal(vcmp_generic(&out, sv_cstr(""), sv_cstr("1")), -LADING_EINVAL);
	assert_int_equal(vcmp_generic(&out, sv_cstr("v1.2"), sv_cstr("1")), -LADING_EINVAL);
	assert_int_equal(vcmp_generic(&out, sv_cstr("1.2 beta"), sv_cstr("1")), -LADING_EINVAL);
	assert_int_equal(vcmp_generic(&out, sv_cstr("*"), sv_cstr("1")), -LADING_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_order), cmocka_unit_test(test_invalid)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
