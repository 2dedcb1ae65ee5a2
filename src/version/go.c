/* Go module versions, compared as golang.org/x/mod/semver.Compare does, which
 * is what the Go vulnerability database and govulncheck use. The grammar is
 * SemVer's with two Go rules: "v1" and "v1.2" are short for v1.0.0 and
 * v1.2.0, and build metadata ("+incompatible") is ignored. Pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5) are ordinary pre-releases. The 'v' is
 * optional because OSV records for Go drop it ("introduced": "0" is v0).
 * Versions of the Go toolchain and standard library ("go1.21.3", "go1.21rc2",
 * and the bare "1.21rc2") are mapped to SemVer the way x/vuln's
 * GoTagToSemver does: go1.21rc2 is v1.21.0-rc.2, go1.9beta1 v1.9.0-beta.1,
 * go1 v1.0.0; anything after white space ("go1.21.3 X:boringcrypto") is
 * dropped. Unlike x/mod, which sorts invalid versions first, an invalid
 * version here is an error. */
#include "version/version.h"
#include "version/vparse.h"

typedef struct gov {
	sv num[3]; /* an empty view means an omitted "0" */
	vp_ids pre;
} gov;

/* x/mod's parseInt: digits, no leading zero. */
static bool parse_int(sv s, size_t *i, sv *out)
{
	size_t st = *i, j = st;
	while (j < s.n && vp_digit((unsigned char)s.p[j]))
		j++;
	if (j == st || (s.p[st] == '0' && j - st > 1))
		return false;
	*out = sv_make(s.p + st, j - st);
	*i = j;
	return true;
}

/* x/mod/semver's grammar after the 'v'. */
static bool parse_semver(gov *v, sv s)
{
	size_t i = 0;
	for (int k = 0; k < 3; k++) {
		if (k > 0) {
			if (i == s.n)
				return true; /* "v1", "v1.2": the rest is .0 */
			if (s.p[i] != '.')
				return false;
			i++;
		}
		if (!parse_int(s, &i, &v->num[k]))
			return false;
	}
	size_t plus = s.n;
	for (size_t j = i; j < s.n; j++)
		if (s.p[j] == '+') {
			plus = j;
			break;
		}
	if (i < s.n && s.p[i] == '-') {
		v->pre.part[0] = sv_make(s.p + i + 1, plus - i - 1);
		if (!vp_ids_valid(v->pre.part[0], true))
			return false;
	} else if (i != plus) {
		return false;
	}
	return plus == s.n || vp_ids_valid(sv_make(s.p + plus + 1, s.n - plus - 1), false);
}

/* GoTagToSemver without the "go": ^(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$
 * ("1" alone is go1 = v1.0.0; "1.0" is not a Go tag), and the result must
 * then be valid for x/mod, so no leading zeros. */
static bool parse_tag(gov *v, sv s)
{
	if (sv_eq_cstr(s, "1")) {
		v->num[0] = s;
		return true;
	}
	if (sv_eq_cstr(s, "1.0"))
		return false;
	size_t i = 0;
	if (!parse_int(s, &i, &v->num[0]) || i == s.n || s.p[i] != '.')
		return false;
	i++;
	if (!parse_int(s, &i, &v->num[1]))
		return false;
	if (i + 1 < s.n && s.p[i] == '.' && vp_digit((unsigned char)s.p[i + 1])) {
		i++;
		if (!parse_int(s, &i, &v->num[2]))
			return false;
	}
	if (i == s.n)
		return true;
	static const char *const kinds[] = {"beta", "rc", "-pre"};
	for (size_t k = 0; k < 3; k++) {
		size_t kn = strlen(kinds[k]);
		if (s.n - i > kn && memcmp(s.p + i, kinds[k], kn) == 0) {
			sv num = sv_make(s.p + i + kn, s.n - i - kn);
			if (!vp_all_digits(num) || (num.n > 1 && num.p[0] == '0'))
				return false;
			v->pre.part[0] = k == 2 ? SV_LIT("pre") : sv_make(kinds[k], kn);
			v->pre.part[1] = num;
			return true;
		}
	}
	return false;
}

static bool parse(gov *v, sv s)
{
	memset(v, 0, sizeof(*v));
	if (s.n >= 2 && s.p[0] == 'g' && s.p[1] == 'o') {
		size_t end = 2;
		while (end < s.n && !strchr(" \t\n\v\f\r", s.p[end]))
			end++;
		return parse_tag(v, sv_make(s.p + 2, end - 2));
	}
	if (s.n > 0 && s.p[0] == 'v')
		return parse_semver(v, sv_make(s.p + 1, s.n - 1));
	if (parse_semver(v, s))
		return true;
	memset(v, 0, sizeof(*v));
	return parse_tag(v, s);
}

int vcmp_go(int *out, sv a, sv b)
{
	gov x, y;
	if (!parse(&x, a) || !parse(&y, b))
		return -LADING_EINVAL;
	for (int k = 0; k < 3; k++) {
		sv p = x.num[k].n ? x.num[k] : SV_LIT("0"), q = y.num[k].n ? y.num[k] : SV_LIT("0");
		int c = vp_numcmp(p, q);
		if (c) {
			*out = c;
			return 0;
		}
	}
	bool ex = vp_ids_empty(x.pre), ey = vp_ids_empty(y.pre);
	*out = ex || ey ? ex - ey : vp_ids_cmp(x.pre, y.pre);
	return 0;
}
