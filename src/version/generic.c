/* A comparator for upstream versions that follow no declared scheme: the
 * versions binary classifiers read out of programs (OpenSSL 1.1.1k, nginx
 * 1.25.1, PostgreSQL 15beta4, Redis 7.2.3) and NVD's CPE bounds for them.
 * A version starts with a digit and is split into runs of digits and runs
 * of letters; '.', '-', '_', '+' and '~' only separate runs. Runs are
 * compared in order: numbers numerically, letters case-insensitively by
 * byte, and a number sorts after letters at the same place (15beta4 <
 * 15.1). When one version runs out, the other is greater unless its next
 * run is a pre-release word (alpha, beta, rc, pre, preview, dev, snapshot):
 * OpenSSL's 1.1.1k is after 1.1.1, while 2.0.0-rc1 is before 2.0.0. */
#include "version/version.h"

#include <strings.h>

#define MAX_LENGTH 128

typedef struct run {
	sv s;
	bool num;
} run;

static bool sep(char c) { return c == '.' || c == '-' || c == '_' || c == '+' || c == '~'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool valid(sv v)
{
	if (!v.n || v.n > MAX_LENGTH || !digit(v.p[0]))
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!digit(v.p[i]) && !alpha(v.p[i]) && !sep(v.p[i]))
			return false;
	return true;
}

/* The next run at *i, or false at the end. */
static bool next_run(sv v, size_t *i, run *r)
{
	while (*i < v.n && sep(v.p[*i]))
		(*i)++;
	if (*i >= v.n)
		return false;
	size_t st = *i;
	bool num = digit(v.p[st]);
	while (*i < v.n && !sep(v.p[*i]) && digit(v.p[*i]) == num)
		(*i)++;
	*r = (run){sv_make(v.p + st, *i - st), num};
	return true;
}

static bool prerelease(sv w)
{
	static const char *const words[] = {"alpha", "beta",	 "rc", "pre", "preview",
					    "dev",   "snapshot", "a",  "b"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (w.n == strlen(words[i]) && strncasecmp(w.p, words[i], w.n) == 0)
			return true;
	return false;
}

static int cmp_num(sv a, sv b)
{
	while (a.n > 1 && a.p[0] == '0')
		a = sv_make(a.p + 1, a.n - 1);
	while (b.n > 1 && b.p[0] == '0')
		b = sv_make(b.p + 1, b.n - 1);
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	int c = memcmp(a.p, b.p, a.n);
	return (c > 0) - (c < 0);
}

static int cmp_alpha(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = strncasecmp(a.p, b.p, n);
	if (c)
		return c < 0 ? -1 : 1;
	return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

int vcmp_generic(int *out, sv a, sv b)
{
	a = sv_trim(a);
	b = sv_trim(b);
	if (!valid(a) || !valid(b))
		return -LADING_EINVAL;
	size_t i = 0, j = 0;
	for (;;) {
		run x, y;
		bool hx = next_run(a, &i, &x), hy = next_run(b, &j, &y);
		if (!hx && !hy) {
			*out = 0;
			return 0;
		}
		if (!hx || !hy) {
			const run *rest = hx ? &x : &y;
			int longer_greater = rest->num || !prerelease(rest->s) ? 1 : -1;
			*out = hx ? longer_greater : -longer_greater;
			return 0;
		}
		int c;
		if (x.num && y.num)
			c = cmp_num(x.s, y.s);
		else if (!x.num && !y.num)
			c = cmp_alpha(x.s, y.s);
		else
			c = x.num ? 1 : -1;
		if (c) {
			*out = c;
			return 0;
		}
	}
}

/* Composer writes tags with or without a leading "v" and treats them alike;
 * its stability suffixes (-alpha, -beta, -RC, -dev, -patch) follow the
 * generic pre-release rules. */
static sv strip_v(sv s)
{
	if (s.n > 1 && (s.p[0] == 'v' || s.p[0] == 'V') && s.p[1] >= '0' && s.p[1] <= '9')
		return sv_make(s.p + 1, s.n - 1);
	return s;
}

int vcmp_composer(int *out, sv a, sv b) { return vcmp_generic(out, strip_v(a), strip_v(b)); }
