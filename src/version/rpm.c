/* RPM version comparison: rpmverCmp() on "[E:]V[-R]" strings as rpm 4.18
 * parses them (rpmverParse() in rpmio/rpmver.c, the code behind the Lua
 * rpm.vercmp() used as this scheme's oracle), with rpmvercmp() for each part.
 *
 * Splitting: the epoch is the run of leading digits when a ':' follows it
 * (":1.0" has epoch 0); the release is everything after the LAST '-'. A
 * missing epoch counts as 0; a missing release sorts before any release, even
 * an empty one ("1.0" < "1.0-" < "1.0-1"), exactly as rpmverCmp() does.
 *
 * rpmvercmp() accepts any string, so the only invalid versions are the empty
 * string (rpmverParse() returns NULL and rpm.vercmp() raises "invalid
 * version") and strings with NUL bytes, which rpm, reading C strings, cannot
 * have produced. Digit runs are compared without converting them to integers
 * (leading zeros dropped, then length, then bytes), so any length is fine. */
#include "version/version.h"

typedef struct rver {
	sv e, v, r;
	bool has_r;
} rver;

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static int at(sv s, size_t i) { return i < s.n ? (unsigned char)s.p[i] : 0; }

/* Numeric comparison of two digit runs of any length. */
static int digits_cmp(sv a, sv b)
{
	while (a.n && a.p[0] == '0')
		a.p++, a.n--;
	while (b.n && b.p[0] == '0')
		b.p++, b.n--;
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	int r = a.n ? memcmp(a.p, b.p, a.n) : 0;
	return r < 0 ? -1 : r > 0;
}

/* strcmp() of two segments as rpmvercmp() does it on its NUL-cut copies. */
static int seg_cmp(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int r = n ? memcmp(a.p, b.p, n) : 0;
	if (r)
		return r < 0 ? -1 : 1;
	return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

/* rpmvercmp() from rpmio/rpmvercmp.c, on views. */
static int rpmvercmp_sv(sv a, sv b)
{
	if (sv_eq(a, b))
		return 0;
	size_t i = 0, j = 0;
	while (i < a.n || j < b.n) {
		while (i < a.n && !is_alnum(at(a, i)) && at(a, i) != '~' && at(a, i) != '^')
			i++;
		while (j < b.n && !is_alnum(at(b, j)) && at(b, j) != '~' && at(b, j) != '^')
			j++;
		/* '~' sorts before everything, the end included. */
		if (at(a, i) == '~' || at(b, j) == '~') {
			if (at(a, i) != '~')
				return 1;
			if (at(b, j) != '~')
				return -1;
			i++, j++;
			continue;
		}
		/* '^' sorts after the end but before anything else. */
		if (at(a, i) == '^' || at(b, j) == '^') {
			if (i >= a.n)
				return -1;
			if (j >= b.n)
				return 1;
			if (at(a, i) != '^')
				return 1;
			if (at(b, j) != '^')
				return -1;
			i++, j++;
			continue;
		}
		if (i >= a.n || j >= b.n)
			break;
		size_t si = i, sj = j;
		bool isnum = is_digit(at(a, i));
		if (isnum) {
			while (i < a.n && is_digit(at(a, i)))
				i++;
			while (j < b.n && is_digit(at(b, j)))
				j++;
		} else {
			while (i < a.n && is_alpha(at(a, i)))
				i++;
			while (j < b.n && is_alpha(at(b, j)))
				j++;
		}
		/* Segments of different kinds: numeric beats alpha. */
		if (j == sj)
			return isnum ? 1 : -1;
		sv x = sv_make(a.p + si, i - si), y = sv_make(b.p + sj, j - sj);
		int r = isnum ? digits_cmp(x, y) : seg_cmp(x, y);
		if (r)
			return r;
	}
	if (i >= a.n && j >= b.n)
		return 0;
	return i >= a.n ? -1 : 1;
}

static int parse(rver *out, sv s)
{
	if (s.n == 0 || memchr(s.p, 0, s.n))
		return -LADING_EINVAL;
	size_t d = 0;
	while (d < s.n && is_digit((unsigned char)s.p[d]))
		d++;
	if (d < s.n && s.p[d] == ':') {
		out->e = d ? sv_make(s.p, d) : SV_LIT("0");
		s.p += d + 1;
		s.n -= d + 1;
	} else {
		out->e = SV_LIT("0");
	}
	out->has_r = false;
	out->v = s;
	out->r = sv_make("", 0);
	for (size_t i = s.n; i-- > 0;)
		if (s.p[i] == '-') {
			out->v = sv_make(s.p, i);
			out->r = sv_make(s.p + i + 1, s.n - i - 1);
			out->has_r = true;
			break;
		}
	return 0;
}

int vcmp_rpm(int *out, sv a, sv b)
{
	rver va, vb;
	if (parse(&va, a) || parse(&vb, b))
		return -LADING_EINVAL;
	int r = rpmvercmp_sv(va.e, vb.e);
	if (!r)
		r = rpmvercmp_sv(va.v, vb.v);
	if (!r) {
		if (va.has_r && vb.has_r)
			r = rpmvercmp_sv(va.r, vb.r);
		else
			r = va.has_r - vb.has_r;
	}
	*out = r;
	return 0;
}
