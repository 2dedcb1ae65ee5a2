/* Python package versions (PEP 440), compared as packaging.version.Version
 * does, which is what pip and the PyPI advisories use. The accepted spelling
 * is packaging's: case-insensitive, an optional 'v', "N!" epoch, release
 * N(.N)*, pre-release a|b|c|rc|alpha|beta|pre|preview with optional
 * separators [-_.] and number, post-release (".post1", "-1", "r", "rev"),
 * dev release, "+local" label; white space around it is ignored. Order:
 * epoch, release (trailing zeros ignored), then 1.0.dev0 < 1.0a1 < 1.0 <
 * 1.0.post1, a local label sorting after the same public version, its
 * segments numeric-above-alphabetic. Numbers are compared exactly whatever
 * their length (Python refuses int() of more than 4300 digits, so packaging
 * raises ValueError there). "Legacy" versions that packaging rejects are
 * invalid here too. */
#include "version/version.h"
#include "version/vparse.h"

enum { PRE_DEV_ONLY = -1, PRE_A = 0, PRE_B = 1, PRE_RC = 2, PRE_NONE = 3 };

typedef struct pepv {
	sv epoch;   /* digits, empty = 0 */
	sv release; /* N(.N)* */
	int pre;    /* PRE_* after the "1.0.dev0 < 1.0a0" trick */
	sv pre_n;   /* digits, empty = 0 */
	bool post;
	sv post_n;
	bool dev;
	sv dev_n;
	sv local; /* without '+', empty = none */
} pepv;

static bool is_sep(unsigned char c) { return c == '-' || c == '_' || c == '.'; }

/* Case-insensitive literal match at s[*i]; advances on success. */
static bool eat(sv s, size_t *i, const char *lit)
{
	size_t n = strlen(lit);
	if (s.n - *i < n || !vp_ieq(sv_make(s.p + *i, n), lit))
		return false;
	*i += n;
	return true;
}

static sv digits(sv s, size_t *i)
{
	size_t st = *i;
	while (*i < s.n && vp_digit((unsigned char)s.p[*i]))
		(*i)++;
	return sv_make(s.p + st, *i - st);
}

/* An optional separator followed by one of `words`; on success returns the
 * index of the word and advances past it, else leaves *i alone. Longer words
 * come first in the lists so that "alpha" is not read as "a" + "lpha" (the
 * regular expression in packaging backtracks to the same result). */
static int sep_word(sv s, size_t *i, const char *const *words, size_t nwords)
{
	size_t j = *i;
	if (j < s.n && is_sep((unsigned char)s.p[j]))
		j++;
	for (size_t k = 0; k < nwords; k++) {
		size_t t = j;
		if (eat(s, &t, words[k])) {
			*i = t;
			return (int)k;
		}
	}
	return -1;
}

/* An optional separator and digits after a pre/post/dev word. A separator
 * with no digits after it is still consumed: packaging's pattern reads
 * "1.0a." as 1.0a0, and what may follow (post, dev, local) can start without
 * a separator of its own. */
static sv sep_digits(sv s, size_t *i)
{
	if (*i < s.n && is_sep((unsigned char)s.p[*i]))
		(*i)++;
	return digits(s, i);
}

static bool parse(pepv *v, sv s)
{
	memset(v, 0, sizeof(*v));
	/* str.strip() and the pattern's \s*: ASCII white space including the
	 * \x1c-\x1f separators Python counts as space. */
	s = vp_trim(s, " \t\n\v\f\r\x1c\x1d\x1e\x1f");
	size_t i = 0;
	if (i < s.n && (s.p[i] == 'v' || s.p[i] == 'V'))
		i++;
	sv d = digits(s, &i);
	if (d.n == 0)
		return false;
	if (i < s.n && s.p[i] == '!') {
		v->epoch = d;
		i++;
		d = digits(s, &i);
		if (d.n == 0)
			return false;
	}
	size_t rel = d.p - s.p;
	while (i + 1 < s.n && s.p[i] == '.' && vp_digit((unsigned char)s.p[i + 1])) {
		i++;
		digits(s, &i);
	}
	v->release = sv_make(s.p + rel, i - rel);

	static const char *const pre_words[] = {"alpha", "a", "beta", "b", "c", "rc", "preview", "pre"};
	static const int pre_kind[] = {PRE_A, PRE_A, PRE_B, PRE_B, PRE_RC, PRE_RC, PRE_RC, PRE_RC};
	int w = sep_word(s, &i, pre_words, 8);
	v->pre = w >= 0 ? pre_kind[w] : PRE_NONE;
	if (w >= 0)
		v->pre_n = sep_digits(s, &i);

	if (i + 1 < s.n && s.p[i] == '-' && vp_digit((unsigned char)s.p[i + 1])) {
		i++;
		v->post = true;
		v->post_n = digits(s, &i);
	} else {
		static const char *const post_words[] = {"post", "rev", "r"};
		if (sep_word(s, &i, post_words, 3) >= 0) {
			v->post = true;
			v->post_n = sep_digits(s, &i);
		}
	}
	static const char *const dev_words[] = {"dev"};
	if (sep_word(s, &i, dev_words, 1) >= 0) {
		v->dev = true;
		v->dev_n = sep_digits(s, &i);
	}
	if (i < s.n && s.p[i] == '+') {
		v->local = sv_make(s.p + i + 1, s.n - i - 1);
		/* [a-z0-9]+([-_.][a-z0-9]+)* */
		size_t seg = 0;
		for (size_t k = 0; k <= v->local.n; k++) {
			if (k < v->local.n && vp_alnum((unsigned char)v->local.p[k])) {
				seg++;
				continue;
			}
			if (seg == 0 || (k < v->local.n && !is_sep((unsigned char)v->local.p[k])))
				return false;
			seg = 0;
		}
		i = s.n;
	}
	if (i != s.n)
		return false;
	if (v->pre == PRE_NONE && !v->post && v->dev)
		v->pre = PRE_DEV_ONLY;
	return true;
}

/* Next dot/separator-delimited segment of `s` from *pos; false at the end. */
static bool next_seg(sv s, size_t *pos, sv *out)
{
	if (*pos > s.n || s.n == 0)
		return false;
	size_t st = *pos, e = st;
	while (e < s.n && vp_alnum((unsigned char)s.p[e]))
		e++;
	*out = sv_make(s.p + st, e - st);
	*pos = e + 1;
	return true;
}

static int release_cmp(sv a, sv b)
{
	size_t pa = 0, pb = 0;
	for (;;) {
		sv x, y;
		bool hx = next_seg(a, &pa, &x), hy = next_seg(b, &pb, &y);
		if (!hx && !hy)
			return 0;
		/* Trailing zeros are dropped, so a missing component is a 0. */
		int c = vp_numcmp(hx ? x : SV_LIT("0"), hy ? y : SV_LIT("0"));
		if (c)
			return c;
	}
}

/* packaging's local key: numeric segments as integers above alphabetic ones
 * compared lower-cased, a shorter key (a prefix) first. */
static int local_cmp(sv a, sv b)
{
	if (a.n == 0 || b.n == 0)
		return (a.n != 0) - (b.n != 0);
	size_t pa = 0, pb = 0;
	for (;;) {
		sv x, y;
		bool hx = next_seg(a, &pa, &x), hy = next_seg(b, &pb, &y);
		if (!hx || !hy)
			return hx - hy;
		bool nx = vp_all_digits(x), ny = vp_all_digits(y);
		int c = nx && ny ? vp_numcmp(x, y) : nx != ny ? (nx ? 1 : -1) : vp_casecmp(x, y);
		if (c)
			return c;
	}
}

static int cmp(const pepv *x, const pepv *y)
{
	int c;
	if ((c = vp_numcmp(x->epoch, y->epoch)) || (c = release_cmp(x->release, y->release)))
		return c;
	if (x->pre != y->pre)
		return x->pre < y->pre ? -1 : 1;
	if (x->pre >= PRE_A && x->pre <= PRE_RC && (c = vp_numcmp(x->pre_n, y->pre_n)))
		return c;
	if (x->post != y->post)
		return x->post ? 1 : -1;
	if (x->post && (c = vp_numcmp(x->post_n, y->post_n)))
		return c;
	if (x->dev != y->dev)
		return x->dev ? -1 : 1;
	if (x->dev && (c = vp_numcmp(x->dev_n, y->dev_n)))
		return c;
	return local_cmp(x->local, y->local);
}

int vcmp_pep440(int *out, sv a, sv b)
{
	pepv x, y;
	if (!parse(&x, a) || !parse(&y, b))
		return -LADING_EINVAL;
	*out = cmp(&x, &y);
	return 0;
}
