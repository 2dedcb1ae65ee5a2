/* Hand-picked edge cases for the language-ecosystem comparators (semver, go,
 * pep440, maven, gem). These cases are hand-written, each with the reason it
 * is here; the bulk checking against the real implementations (node's semver,
 * x/mod/semver, packaging, ComparableVersion, Gem::Version) on generated and
 * corpus pairs is in tests/cli/version_<scheme>.sh. Every expected answer
 * below was confirmed with the reference implementation, except the two
 * semver cases whose reason says "documented" (docs/versions-lang.md). */
#include "testutil.h"

#include "lading/version.h"

#define ERR 2 /* expected: -LADING_EINVAL */

typedef struct vcase {
	const char *a, *b;
	int want;
	const char *why;
} vcase;

static void run_cases(lading_vscheme s, const vcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = 42;
		int rc = lading_version_cmp(&r, s, c[i].a, strlen(c[i].a), c[i].b, strlen(c[i].b));
		int got = rc == -LADING_EINVAL ? ERR : (r > 0) - (r < 0);
		if (rc != 0 && rc != -LADING_EINVAL)
			got = 99;
		if (got != c[i].want)
			fail_msg("%s: cmp(\"%s\", \"%s\") = %d, want %d (%s)", lading_vscheme_name(s), c[i].a,
				 c[i].b, got, c[i].want, c[i].why);
		/* Antisymmetry on every case, for free. */
		if (got != ERR) {
			int r2 = 42;
			assert_int_equal(
			    lading_version_cmp(&r2, s, c[i].b, strlen(c[i].b), c[i].a, strlen(c[i].a)), 0);
			assert_int_equal((r2 > 0) - (r2 < 0), -got);
		}
	}
}

#define RUN(s, arr) run_cases(s, arr, sizeof(arr) / sizeof(arr[0]))

static void test_semver(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1.2.3", "1.2.10", -1, "numbers compare by value, not as text"},
	    {"1.0.0-alpha", "1.0.0", -1, "a pre-release sorts before its release"},
	    {"1.0.0-alpha", "1.0.0-alpha.1", -1, "more identifiers sort after a prefix"},
	    {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1, "numeric identifiers sort before alphanumeric"},
	    {"1.0.0-beta.2", "1.0.0-beta.11", -1, "numeric identifiers by value"},
	    {"1.0.0-rc.1", "1.0.0-rC.1", 1, "alphanumeric identifiers are compared bytewise: 'c' > 'C'"},
	    {"1.0.0+build.1", "1.0.0+build.2", 0, "build metadata is ignored"},
	    {"1.0.0-0", "1.0.0--", -1, "'-' is an alphanumeric identifier"},
	    {"v1.2.3", "1.2.3", 0, "node accepts one leading v"},
	    {"=1.2.3", "1.2.3", 0, "one leading '=' (node's loose mode) is accepted, documented"},
	    {" 1.2.3\t", "1.2.3", 0, "node trims white space"},
	    {"V1.2.3", "1.2.3", ERR, "only a lower-case v"},
	    {"01.2.3", "1.2.3", ERR, "no leading zeros in MAJOR"},
	    {"1.2.3-01", "1.2.3", ERR, "no leading zeros in a numeric pre-release identifier"},
	    {"1.2.3+01", "1.2.3", 0, "leading zeros are fine in build metadata"},
	    {"1.2", "1.2.0", ERR, "all three numbers are required"},
	    {"1.2.3-", "1.2.3", ERR, "an empty pre-release"},
	    {"1.2.3-a..b", "1.2.3", ERR, "an empty identifier"},
	    {"1.2.3beta", "1.2.3", ERR, "a pre-release needs its '-' (loose mode only)"},
	    {"9007199254740991.0.0", "1.0.0", 1, "2^53-1 is node's largest MAJOR"},
	    {"9007199254740992.0.0", "1.0.0", ERR, "node refuses a MAJOR above 2^53-1"},
	    {"1.0.0-9007199254740993", "1.0.0-9007199254740992", 1,
	     "we compare long pre-release numbers exactly (node rounds them to equal), documented"},
	    {"", "1.0.0", ERR, "empty"},
	};
	RUN(LADING_VS_SEMVER, c);
}

static void test_go(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"v1", "v1.0.0", 0, "x/mod: v1 is short for v1.0.0"},
	    {"v1.2", "v1.2.0", 0, "x/mod: v1.2 is short for v1.2.0"},
	    {"1.2.3", "v1.2.3", 0, "OSV for Go writes versions without the v"},
	    {"0", "v0.0.1", -1, "OSV's introduced: 0 is v0"},
	    {"v2.0.0+incompatible", "v2.0.0", 0, "+incompatible is build metadata"},
	    {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1, "a pseudo-version is a pre-release"},
	    {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1, "a pseudo-version after v1.2.3"},
	    {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-pre", -1, "numeric identifier 0 before 'pre'"},
	    {"go1.21.3", "1.21.3", 0, "a Go toolchain tag is the same release"},
	    {"go1.21rc2", "1.21.0-rc.2", 0, "GoTagToSemver: go1.21rc2 is v1.21.0-rc.2"},
	    {"go1.21rc2", "go1.21.0", -1, "a release candidate before the release"},
	    {"go1.9beta1", "go1.9rc1", -1, "beta before rc"},
	    {"go1.2-pre1", "v1.2.0-pre.1", 0, "the old -pre tags"},
	    {"go1", "v1.0.0", 0, "go1 is v1.0.0"},
	    {"go1.0", "v1.0.0", ERR, "GoTagToSemver refuses go1.0"},
	    {"go1.21", "go1.21.0", 0, "go1.21 and go1.21.0 name the same release"},
	    {"go1.21.3 X:boringcrypto", "go1.21.3", 0, "what follows white space is an experiment list"},
	    {"1.21rc2", "go1.21rc2", 0, "the bare tag form of a Go release candidate"},
	    {"go1.21rc02", "go1.21", ERR, "leading zero in a pre-release number"},
	    {"v1.02.3", "v1.2.3", ERR, "x/mod: no leading zeros"},
	    {"v1.2.3-01", "v1.2.3", ERR, "x/mod: no leading zeros in a numeric identifier"},
	    {"v1.2-pre", "v1.2.0", ERR, "x/mod: a pre-release needs all three numbers"},
	    {"V1.2.3", "v1.2.3", ERR, "x/mod: only a lower-case v"},
	    {"v", "v0", ERR, "a v alone"},
	    {"", "v0", ERR, "empty"},
	};
	RUN(LADING_VS_GO, c);
}

static void test_pep440(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1.0", "1.0.0", 0, "trailing zeros of the release do not count"},
	    {"1.0.dev0", "1.0a0", -1, "a bare dev release sorts before the pre-releases"},
	    {"1.0a1", "1.0b0", -1, "a < b"},
	    {"1.0c1", "1.0rc1", 0, "c is rc"},
	    {"1.0rc1", "1.0", -1, "a pre-release before the release"},
	    {"1.0", "1.0.post0", -1, "a post-release after the release"},
	    {"1.0-1", "1.0.post1", 0, "1.0-1 is the implicit post-release"},
	    {"1.0r", "1.0.post0", 0, "r and rev are post, with an implicit 0"},
	    {"1.0.post1.dev1", "1.0.post1", -1, "a dev release of a post-release sorts before it"},
	    {"1.0a1.dev1", "1.0a1", -1, "a dev release of a pre-release sorts before it"},
	    {"1!0.1", "2.0", 1, "the epoch decides first"},
	    {"1.0+local", "1.0", 1, "a local label sorts after the public version"},
	    {"1.0+1", "1.0+abc", 1, "numeric local segments above alphabetic ones"},
	    {"1.0+a.1", "1.0+A-1", 0, "local labels are case-insensitive and separators are equal"},
	    {"V1.0ALPHA1", "1.0a1", 0, "case-insensitive, alpha is a"},
	    {"1.0_preview_2", "1.0rc2", 0, "[-_.] separators, preview is rc"},
	    {"1.0a-dev", "1.0a0.dev0", 0, "packaging's pattern reads the '-' as the pre-release separator"},
	    {" 1.0 ", "1.0", 0, "white space is stripped"},
	    {"1.0.", "1.0", ERR, "a trailing dot"},
	    {"1.0+", "1.0", ERR, "an empty local label"},
	    {"1..0", "1.0", ERR, "an empty release segment"},
	    {"1.0-foo", "1.0", ERR, "a legacy version packaging rejects"},
	    {"00000000000000000000000000000001", "1", 0, "leading zeros, long digit run"},
	    {"", "1.0", ERR, "empty"},
	};
	RUN(LADING_VS_PEP440, c);
}

static void test_maven(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1", "1.0.0", 0, "trailing zeros are dropped"},
	    {"1-ga", "1", 0, "ga, final and release are the release"},
	    {"1.0.FINAL", "1", 0, "qualifiers are case-insensitive"},
	    {"1-alpha", "1-beta", -1, "alpha < beta"},
	    {"1-a1", "1-alpha-1", 0, "a directly followed by a digit is alpha"},
	    {"1-m1", "1-milestone-1", 0, "m followed by a digit is milestone"},
	    {"1-rc", "1-cr", 0, "cr is rc"},
	    {"1-SNAPSHOT", "1", -1, "a snapshot before the release"},
	    {"1-rc", "1-SNAPSHOT", -1, "rc before snapshot"},
	    {"1", "1-sp", -1, "sp after the release"},
	    {"1-sp", "1-foo", -1, "an unknown qualifier after sp"},
	    {"1-abc", "1-abd", -1, "unknown qualifiers alphabetically"},
	    {"1-1", "1.0-1", 0, "the zero before a sub-list is dropped"},
	    {"1-1", "1.1", -1, "a sub-list sorts before a number"},
	    {"1-foo", "1.foo", 0, "a trailing qualifier opens a sub-list either way"},
	    {"1.0.0.0000000000.1", "1.0.0.5.1", 1,
	     "ten zeros make a Long item, which Maven 3.8 sorts above any Int item"},
	    {"1-0.1", "1", 1, "a missing item compares as null"},
	    {"", "0", 0, "every string is a Maven version; empty is 0"},
	    {"99999999999999999999999999", "99999999999999999999999998", 1, "BigInteger items"},
	};
	RUN(LADING_VS_MAVEN, c);
}

static void test_gem(void **state)
{
	(void)state;
	static const vcase c[] = {
	    {"1.0", "1", 0, "trailing zeros are dropped"},
	    {"1.0.a", "1.0", -1, "a string segment is a pre-release"},
	    {"1.0.a1", "1.0.a", 1, "a1 is the segments a, 1"},
	    {"1.0-1", "1.0.pre.1", 0, "'-' is .pre."},
	    {"1.A", "1.a", -1, "strings compare bytewise: 'A' < 'a'"},
	    {"1.0.0.a.0", "1.a", 0, "zeros dropped at the end of both parts"},
	    {"1.0.a.0.1", "1.a.0.1", 0, "but a zero followed by a number is kept"},
	    {"", "0", 0, "an empty version is 0"},
	    {" 1.2 ", "1.2", 0, "white space is stripped"},
	    {"1.2.3-x86-linux", "1.2.3", -1, "platform-like suffixes are pre-release strings"},
	    {"1a", "1", ERR, "Gem::Version.correct? wants a dot before letters"},
	    {"a", "1", ERR, "must start with a digit"},
	    {"1..2", "1.2", ERR, "an empty segment"},
	    {"1.2-", "1.2", ERR, "an empty '-' part"},
	    {"1.2_3", "1.2", ERR, "'_' is not allowed"},
	};
	RUN(LADING_VS_GEM, c);
}

/* Inputs are views, not C strings: bytes past the length must not be read,
 * so each version sits in a buffer followed by text that would change the
 * answer if it were. (Hand-written.) */
static void test_not_nul_terminated(void **state)
{
	(void)state;
	static const struct {
		lading_vscheme s;
		const char *buf;
		size_t alen;
		const char *b;
		int want;
	} c[] = {
	    {LADING_VS_SEMVER, "1.2.3-rc.1", 5, "1.2.3", 0},
	    {LADING_VS_GO, "v1.2.3+x y", 6, "v1.2.3", 0},
	    {LADING_VS_PEP440, "1.0a1", 3, "1.0", 0},
	    {LADING_VS_MAVEN, "1.0-SNAPSHOT", 3, "1", 0},
	    {LADING_VS_GEM, "1.0.a", 3, "1", 0},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = strlen(c[i].buf);
		char *heap = malloc(c[i].alen); /* exactly alen bytes, so ASan sees any overread */
		assert_non_null(heap);
		memcpy(heap, c[i].buf, c[i].alen);
		int r = 42;
		assert_int_equal(lading_version_cmp(&r, c[i].s, heap, c[i].alen, c[i].b, strlen(c[i].b)), 0);
		assert_int_equal((r > 0) - (r < 0), c[i].want);
		free(heap);
		assert_true(n > c[i].alen);
	}
}

/* Digit runs far past any integer type: compared as text, never parsed into
 * an int. (Hand-written.) */
static void test_long_digit_runs(void **state)
{
	(void)state;
	static const lading_vscheme all[] = {LADING_VS_GO, LADING_VS_PEP440, LADING_VS_MAVEN, LADING_VS_GEM};
	size_t n = 5000;
	char *a = malloc(n + 8), *b = malloc(n + 8);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, '9', n);
	memset(b, '9', n);
	b[n - 1] = '8'; /* b = a - 1 */
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int r = 0;
		assert_int_equal(lading_version_cmp(&r, all[i], a, n, b, n), 0);
		assert_true(r > 0);
		assert_int_equal(lading_version_cmp(&r, all[i], a, n, a, n), 0);
		assert_int_equal(r, 0);
	}
	/* Leading zeros do not make a number larger (except for Maven, whose
	 * all-zero runs are the one exception and are tested above). */
	memset(b, '0', 10);
	memcpy(b + 10, "12", 2);
	int r = 0;
	assert_int_equal(lading_version_cmp(&r, LADING_VS_PEP440, b, 12, "12", 2), 0);
	assert_int_equal(r, 0);
	assert_int_equal(lading_version_cmp(&r, LADING_VS_GEM, b, 12, "12", 2), 0);
	assert_int_equal(r, 0);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_semver),
	    cmocka_unit_test(test_go),
	    cmocka_unit_test(test_pep440),
	    cmocka_unit_test(test_maven),
	    cmocka_unit_test(test_gem),
	    cmocka_unit_test(test_not_nul_terminated),
	    cmocka_unit_test(test_long_digit_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
