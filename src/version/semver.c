/* SemVer 2.0.0 comparison as node's `semver` package does it (semver.compare
 * with loose:false), which is what npm, and advisories for crates.io and
 * NuGet, mean by a version. A valid version is MAJOR.MINOR.PATCH with
 * numbers without leading zeros, an optional "-" pre-release of dot-separated
 * identifiers (numeric ones without leading zeros) and optional "+" build
 * metadata, which never affects the order. Surrounding ASCII white space is
 * ignored and one leading 'v' is allowed, as node does; one leading '=' is
 * allowed too (node's loose mode accepts it: lock files and ranges write
 * "=1.2.3"). Like node, a version longer than 256 bytes, or with a MAJOR,
 * MINOR or PATCH above 2^53-1 (JavaScript's largest exact integer), is
 * invalid; numeric pre-release identifiers of any length are compared exactly,
 * where node rounds those above 2^53 to floating point. */
#include "version/version.h"
#include "version/vparse.h"

typedef struct semv {
	sv num[3];
	sv pre;
} semv;

#define MAX_LENGTH	 256
#define MAX_SAFE_INTEGER "9007199254740991"

/* 0|[1-9][0-9]* at s[*i], at most 2^53-1. */
static bool parse_num(sv s, size_t *i, sv *out)
{
	size_t st = *i, j = st;
	while (j < s.n && vp_digit((unsigned char)s.p[j]))
		j++;
	if (j == st || (s.p[st] == '0' && j - st > 1))
		return false;
	if (vp_numcmp(sv_make(s.p + st, j - st), SV_LIT(MAX_SAFE_INTEGER)) > 0)
		return false;
	*out = sv_make(s.p + st, j - st);
	*i = j;
	return true;
}

static bool parse(semv *v, sv s)
{
	if (s.n > MAX_LENGTH)
		return false;
	s = vp_trim(s, " \t\n\v\f\r");
	size_t i = 0;
	if (s.n > 0 && (s.p[0] == 'v' || s.p[0] == '='))
		i++;
	for (int k = 0; k < 3; k++) {
		if (k > 0) {
			if (i >= s.n || s.p[i] != '.')
				return false;
			i++;
		}
		if (!parse_num(s, &i, &v->num[k]))
			return false;
	}
	v->pre = sv_make(s.p + i, 0);
	size_t plus = s.n;
	for (size_t j = i; j < s.n; j++)
		if (s.p[j] == '+') {
			plus = j;
			break;
		}
	if (i < s.n && s.p[i] == '-') {
		v->pre = sv_make(s.p + i + 1, plus - i - 1);
		if (!vp_ids_valid(v->pre, true))
			return false;
	} else if (i != plus) {
		return false;
	}
	if (plus < s.n && !vp_ids_valid(sv_make(s.p + plus + 1, s.n - plus - 1), false))
		return false;
	return true;
}

int vcmp_semver(int *out, sv a, sv b)
{
	semv x, y;
	if (!parse(&x, a) || !parse(&y, b))
		return -LADING_EINVAL;
	for (int k = 0; k < 3; k++) {
		int c = vp_numcmp(x.num[k], y.num[k]);
		if (c) {
			*out = c;
			return 0;
		}
	}
	/* A pre-release sorts before its release. */
	if (x.pre.n == 0 || y.pre.n == 0)
		*out = (x.pre.n == 0) - (y.pre.n == 0);
	else
		*out = vp_ids_cmp((vp_ids){{x.pre, {0}}}, (vp_ids){{y.pre, {0}}});
	return 0;
}
