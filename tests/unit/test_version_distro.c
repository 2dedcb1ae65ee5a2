/* Unit tests for the distro version comparators (src/version/dpkg.c, rpm.c,
 * apk.c). Every case here is HAND-WRITTEN, each with the rule it pins down;
 * the bulk checks against the real implementations (dpkg/apt, rpm, and the
 * apk model) on generated and corpus versions are tests/cli/version_*.sh. */
#include "testutil.h"

#include "lading/version.h"
#include "version/version.h"

#define ERR 9 /* expected: -LADING_EINVAL */

typedef struct vcase {
	const char *a, *b;
	int want; /* -1, 0, 1 or ERR */
	const char *why;
} vcase;

static void run_cases(lading_vscheme s, const vcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = 7, rc = lading_version_cmp(&r, s, c[i].a, strlen(c[i].a), c[i].b, strlen(c[i].b));
		int got = rc ? ERR : (r > 0) - (r < 0);
		if (rc && rc != -LADING_EINVAL)
			fail_msg("%s: '%s' vs '%s': return %d", lading_vscheme_name(s), c[i].a, c[i].b, rc);
		if (got != c[i].want)
			fail_msg("%s: '%s' vs '%s': got %d, want %d (%s)", lading_vscheme_name(s), c[i].a, c[i].b,
				 got, c[i].want, c[i].why);
		/* antisymmetry on every case */
		int r2 = 7, rc2 = lading_version_cmp(&r2, s, c[i].b, strlen(c[i].b), c[i].a, strlen(c[i].a));
		int got2 = rc2 ? ERR : (r2 > 0) - (r2 < 0);
		if (got2 != (got == ERR ? ERR : -got))
			fail_msg("%s: '%s' vs '%s' not antisymmetric", lading_vscheme_name(s), c[i].a, c[i].b);
	}
}

static void test_dpkg(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1.0", "1.0", 0, "identical"},
	    {"1.0~rc1", "1.0", -1, "'~' sorts before the end"},
	    {"1.0~~", "1.0~", -1, "'~~' before '~'"},
	    {"1.0~", "1.0~~a", 1, "Debian policy example: ~~ < ~~a < ~ < (end)"},
	    {"1.0+b1", "1.0", 1, "'+' after the end"},
	    {"1.0a", "1.0+", -1, "letters sort before non-letters"},
	    {"1.0Z", "1.0a", -1, "letters by ASCII: uppercase first"},
	    {"1:0.1", "2.0", 1, "epoch wins"},
	    {"0:1.0", "1.0", 0, "missing epoch is 0"},
	    {"00:1.0", "1.0", 0, "epoch is a number"},
	    {"1.0-1", "1.0-1.1", -1, "revision compared with the same algorithm"},
	    {"1.0", "1.0-0", 0, "absent revision equals \"0\""},
	    {"1.01", "1.1", 0, "leading zeros ignored"},
	    {"1.0", "1.00", 0, "leading zeros ignored (all zeros)"},
	    {"1.99999999999999999999999999999", "1.100000000000000000000000000000", -1, "digit runs beyond 2^64"},
	    {"1.000000000000000000000000000002", "1.10", -1, "long zero-padded run is still 2"},
	    {"1.0-1-2", "1.0-1-1", 1, "revision after the LAST '-'; the upstream part may hold '-'"},
	    {"1:2:3", "1:2:2", 1, "colons allowed in upstream after an epoch"},
	    {" 1.0 ", "1.0", 0, "dpkg trims leading and trailing blanks"},
	    {"abc", "1.0", 1, "no leading digit: dpkg only warns, so we compare ('a' > digit)"},
	    {"1.0#1", "1.0", 1, "invalid character: a dpkg warning, still compared"},
	    {"-0:1", "1", 0, "strtol() reads \"-0\" as epoch 0, which is not negative"},
	    {"", "1.0", ERR, "empty"},
	    {"1 .0", "1.0", ERR, "embedded blank"},
	    {":1.0", "1.0", ERR, "epoch empty"},
	    {"a:1.0", "1.0", ERR, "epoch not a number"},
	    {"-1:1.0", "1.0", ERR, "negative epoch"},
	    {"2147483648:1", "1", ERR, "epoch above INT_MAX"},
	    {"2147483647:1", "1", 1, "epoch INT_MAX is fine"},
	    {"1:", "1", ERR, "nothing after the colon"},
	    {"1.0-", "1.0", ERR, "empty revision"},
	    {"-1", "1", ERR, "empty upstream version"},
	};
	run_cases(LADING_VS_DPKG, c, sizeof(c) / sizeof(c[0]));
}

static void test_rpm(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1.0", "1.0", 0, "identical"},
	    {"1.0~rc1", "1.0", -1, "'~' sorts before the end"},
	    {"1.0^git1", "1.0", 1, "'^' sorts after the end"},
	    {"1.0^git1", "1.0.1", -1, "... but before any further segment"},
	    {"1.0^", "1.0~", 1, "'^' after '~'"},
	    {"1.0a", "1.0.1", -1, "alpha segment before numeric segment"},
	    {"1.0", "1.0a", -1, "extra segment wins"},
	    {"1_0", "1.0", 0, "separators only split segments"},
	    {"1.0.", "1.0", 0, "trailing separator ignored"},
	    {"1.01", "1.1", 0, "numeric segments ignore leading zeros"},
	    {"1.99999999999999999999999999999", "1.100000000000000000000000000000", -1, "digit runs beyond 2^64"},
	    {"a", "B", 1, "alpha segments by strcmp: 'a' > 'B'"},
	    {"1:1.0-1", "2.0-1", 1, "epoch wins"},
	    {"0:1.0-1", "1.0-1", 0, "missing epoch is 0"},
	    {":1.0", "1.0", 0, "empty epoch is 0"},
	    {"1.0", "1.0-1", -1, "rpmverCmp: a missing release sorts before any release"},
	    {"1.0-", "1.0", 1, "... even an empty one"},
	    {"1.0-", "1.0-0", -1, "empty release before \"0\""},
	    {"1.0-1.el7", "1.0-1.el7_9", -1, "release compared with rpmvercmp"},
	    {"1-2-3", "1-2-4", -1, "release after the LAST '-': versions \"1-2\" equal, then release 3 < 4"},
	    {"a:1", "0:1", -1, "non-digit before ':' is no epoch: version \"a:1\" vs \"1\", alpha < numeric"},
	    {"", "1.0", ERR, "empty: rpmverParse() refuses it"},
	};
	run_cases(LADING_VS_RPM, c, sizeof(c) / sizeof(c[0]));
}

static void test_apk(void **state)
{
	(void)state;
	/* Pairs marked "apk-tools" are rows of apk-tools' test/version.data. */
	static const vcase c[] = {
	    {"1.0", "1.0", 0, "identical"},
	    {"1.1_alpha1", "1.1", -1, "apk-tools: pre-release suffix before the release"},
	    {"0.1.0_alpha_pre2", "0.1.0_alpha", -1, "apk-tools: a further pre-release suffix sorts first"},
	    {"3.1_p16", "3.1_p17", -1, "apk-tools: suffix numbers numerically"},
	    {"1.0_p10-r0", "1.0_p9-r0", 1, "apk-tools: _p10 > _p9"},
	    {"1.0_rc1", "1.0_pre1", 1, "_alpha < _beta < _pre < _rc"},
	    {"1.0", "1.0_cvs", -1, "post-release suffixes after the release"},
	    {"1.0_p", "1.0_hg", 1, "_cvs < _svn < _git < _hg < _p"},
	    {"2.3.0b-r1", "2.3.0b-r2", -1, "apk-tools: revisions numerically"},
	    {"1.0-r1", "1.0", 1, "a revision sorts after none"},
	    {"1.0-r10", "1.0-r9", 1, "revision 10 > 9"},
	    {"1.2.1", "1.2", 1, "apk-tools: extra component wins"},
	    {"1.0a", "1.0", 1, "a letter sorts after the end"},
	    {"1.0a", "1.0.1", -1, "... but before a further component"},
	    {"1.0_p1", "1.0a", -1, "post-release suffix before a letter"},
	    {"1.0-r1", "1.0_p1", -1, "revision before a post-release suffix"},
	    {"1.06-r6", "006", -1, "apk-tools: first component numeric even with leading zeros"},
	    {"1.02.07", "1.02.10-r1", -1, "apk-tools"},
	    {"1.2.07.8", "1.2.12.04", -1, "apk-tools: leading zero -> byte order"},
	    {"1.01", "1.1", -1, "\"01\" vs \"1\" as bytes: '0' < '1'"},
	    {"1.10", "1.010", 1, "'1' > '0' as bytes"},
	    {"1.0", "1.00", -1, "\"0\" vs \"00\": shorter first"},
	    {"1.2", "1.10", -1, "no leading zero: numeric"},
	    {"1.0~abc", "1.0", 1, "a commit hash sorts after none"},
	    {"1.0~abc", "1.0~abd", -1, "hashes as bytes"},
	    {"1.0~abc", "1.0-r1", 1, "hash after revision in the grammar, so greater"},
	    {"1.0_rc1~00ff-r2", "1.0_rc1~00ff-r1", 1, "every part at once"},
	    {"1.0.99999999999999999999999", "1.0.100000000000000000000000", -1,
	     "beyond 2^64: exact (apk-tools wraps here)"},
	    {"0", "0.0", -1, "secdb uses \"0\" for not-affected: still a version"},
	    {"", "1.0", ERR, "empty"},
	    {"v1.0", "1.0", ERR, "must start with a digit"},
	    {"1.0-1", "1.0", ERR, "Debian-style revision"},
	    {"1.0-r", "1.0", ERR, "revision without a number"},
	    {"1.", "1.0", ERR, "dot without digits (secdb typo \"4.8.0.-r1\")"},
	    {"1.0a1", "1.0", ERR, "digits after a letter (valid in apk-tools < 2.12 only)"},
	    {"1.0ab", "1.0", ERR, "only one letter"},
	    {"1.0A", "1.0", ERR, "letters are lowercase"},
	    {"1.0_foo", "1.0", ERR, "unknown suffix"},
	    {"1.0_prep", "1.0", ERR, "suffix must be exactly a known name"},
	    {"1.0~", "1.0", ERR, "empty hash"},
	    {"1.0~ABC", "1.0", ERR, "hash is lowercase hex"},
	    {"1.0-r1-r2", "1.0", ERR, "nothing after the revision"},
	    {"1.0-r1_p1", "1.0", ERR, "nothing after the revision"},
	    {"1.0a.1", "1.0", ERR, "no component after a letter"},
	};
	run_cases(LADING_VS_APK, c, sizeof(c) / sizeof(c[0]));
}

/* Views are not NUL-terminated and may hold NUL bytes: the comparators must
 * stop at the length and refuse NULs (no reference tool can have seen one). */
static void test_views(void **state)
{
	(void)state;
	const char two[] = "1.0-r11.0-r2";
	int r;
	for (lading_vscheme s = LADING_VS_DPKG; s <= LADING_VS_APK; s++) {
		assert_int_equal(lading_version_cmp(&r, s, two, 6, two + 6, 6), 0);
		assert_true(r < 0);
		assert_int_equal(lading_version_cmp(&r, s, "1.0\0x", 5, "1.0", 3), -LADING_EINVAL);
		assert_int_equal(lading_version_cmp(&r, s, "", 0, "", 0), -LADING_EINVAL);
	}
	/* a long input is linear, not recursive: 1 MB of digits and dots */
	size_t n = 1 << 20;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 2 ? '.' : '7';
	big[n - 1] = '8';
	for (lading_vscheme s = LADING_VS_DPKG; s <= LADING_VS_APK; s++) {
		big[n - 1] = '7';
		assert_int_equal(lading_version_cmp(&r, s, big, n - 1, big, n - 1), 0);
		assert_int_equal(r, 0);
		char *b2 = malloc(n);
		assert_non_null(b2);
		memcpy(b2, big, n);
		b2[n - 1] = '8';
		assert_int_equal(lading_version_cmp(&r, s, big, n, b2, n), 0);
		assert_true(r < 0);
		free(b2);
	}
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dpkg),
	    cmocka_unit_test(test_rpm),
	    cmocka_unit_test(test_apk),
	    cmocka_unit_test(test_views),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
