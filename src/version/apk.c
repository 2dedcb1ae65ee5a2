/* Alpine (apk-tools) version comparison, written from the rules of
 * apk_version_compare() in apk-tools 2.12+/3.x (src/version.c):
 *
 *   digits{.digits}...{letter}{_suffix{digits}}...{~hash}{-r digits}
 *
 * A version is a sequence of tokens compared pairwise while their kinds
 * match: the first number and suffix/revision numbers numerically; later
 * ".digits" numerically unless either side starts with '0', then as bytes
 * ("1.02" < "1.2", the Gentoo rule); a letter by its byte; a suffix by its
 * rank _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p;
 * a ~hash (lowercase hex) as bytes. When the kinds differ, a pre-release
 * suffix sorts first, and otherwise the side whose token comes earlier in the
 * grammar (i.e. that still has a more "inner" part) is the greater one, so
 * "1.0" < "1.0a" < "1.0.1", "1.0_rc1" < "1.0" < "1.0-r1" < "1.0_p1".
 *
 * apk itself compares whatever it is given; only apk_version_validate() says
 * what a version is. We refuse what it refuses (and NUL bytes) rather than
 * order garbage. One deliberate difference: apk parses numbers into a uint64
 * that silently wraps past 20 digits; we compare digit runs of any length
 * exactly. Linear time, no allocation. */
#include "version/version.h"

enum tok {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

enum { SUF_INVALID, SUF_ALPHA, SUF_BETA, SUF_PRE, SUF_RC, SUF_NONE, SUF_CVS, SUF_SVN, SUF_GIT, SUF_HG, SUF_P };

typedef struct tstate {
	enum tok tok;
	int suffix;
	sv value;
	sv rest;
} tstate;

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

static int suffix_value(sv s)
{
	static const char *const names[] = {"", "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"};
	for (int i = SUF_ALPHA; i <= SUF_P; i++)
		if (i != SUF_NONE && sv_eq_cstr(s, names[i]))
			return i;
	return SUF_INVALID;
}

static void take_digits(tstate *t)
{
	size_t n = 0;
	while (n < t->rest.n && is_digit((unsigned char)t->rest.p[n]))
		n++;
	t->value = sv_make(t->rest.p, n);
	t->rest.p += n;
	t->rest.n -= n;
	if (n == 0)
		t->tok = T_INVALID;
}

static void token_first(tstate *t, sv s)
{
	t->rest = s;
	t->suffix = SUF_INVALID;
	t->tok = T_INITIAL_DIGIT;
	take_digits(t);
}

/* Advances to the next token, checking that the grammar allows it after the
 * current one. */
static void token_next(tstate *t)
{
	sv *b = &t->rest;
	if (b->n == 0) {
		t->tok = T_END;
		return;
	}
	int c = (unsigned char)b->p[0];
	if (is_lower(c)) {
		if (t->tok > T_DIGIT)
			goto invalid;
		t->value = sv_make(b->p, 1);
		t->tok = T_LETTER;
		b->p++, b->n--;
	} else if (c == '.' || is_digit(c)) {
		if (c == '.') {
			if (t->tok > T_DIGIT)
				goto invalid;
			b->p++, b->n--;
		}
		if (t->tok == T_INITIAL_DIGIT || t->tok == T_DIGIT)
			t->tok = T_DIGIT;
		else if (t->tok == T_SUFFIX)
			t->tok = T_SUFFIX_NO;
		else
			goto invalid;
		take_digits(t);
	} else if (c == '_') {
		if (t->tok > T_SUFFIX_NO)
			goto invalid;
		b->p++, b->n--;
		size_t n = 0;
		while (n < b->n && is_lower((unsigned char)b->p[n]))
			n++;
		t->value = sv_make(b->p, n);
		b->p += n, b->n -= n;
		t->suffix = suffix_value(t->value);
		if (t->suffix == SUF_INVALID)
			goto invalid;
		t->tok = T_SUFFIX;
	} else if (c == '~') {
		if (t->tok >= T_COMMIT_HASH)
			goto invalid;
		b->p++, b->n--;
		size_t n = 0;
		while (n < b->n && is_hex((unsigned char)b->p[n]))
			n++;
		if (n == 0)
			goto invalid;
		t->value = sv_make(b->p, n);
		b->p += n, b->n -= n;
		t->tok = T_COMMIT_HASH;
	} else if (c == '-') {
		if (t->tok >= T_REVISION_NO || b->n < 2 || b->p[1] != 'r')
			goto invalid;
		b->p += 2, b->n -= 2;
		t->tok = T_REVISION_NO;
		take_digits(t);
	} else {
		goto invalid;
	}
	return;
invalid:
	t->tok = T_INVALID;
}

static int bytes_cmp(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int r = n ? memcmp(a.p, b.p, n) : 0;
	if (r)
		return r < 0 ? -1 : 1;
	return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

static int number_cmp(sv a, sv b)
{
	while (a.n && a.p[0] == '0')
		a.p++, a.n--;
	while (b.n && b.p[0] == '0')
		b.p++, b.n--;
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return bytes_cmp(a, b);
}

/* Both tokens are of the same kind. */
static int token_cmp(const tstate *a, const tstate *b)
{
	switch (a->tok) {
	case T_DIGIT:
		if (a->value.p[0] == '0' || b->value.p[0] == '0')
			return bytes_cmp(a->value, b->value);
		return number_cmp(a->value, b->value);
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return number_cmp(a->value, b->value);
	case T_LETTER:
		return bytes_cmp(a->value, b->value);
	case T_SUFFIX:
		return a->suffix < b->suffix ? -1 : a->suffix > b->suffix;
	default:
		return bytes_cmp(a->value, b->value);
	}
}

static bool valid(sv s)
{
	if (memchr(s.p, 0, s.n))
		return false;
	tstate t;
	for (token_first(&t, s); t.tok < T_END; token_next(&t))
		;
	return t.tok == T_END;
}

int vcmp_apk(int *out, sv a, sv b)
{
	if (!valid(a) || !valid(b))
		return -LADING_EINVAL;
	tstate ta, tb;
	token_first(&ta, a);
	token_first(&tb, b);
	while (ta.tok == tb.tok && ta.tok < T_END) {
		int r = token_cmp(&ta, &tb);
		if (r) {
			*out = r;
			return 0;
		}
		token_next(&ta);
		token_next(&tb);
	}
	/* Both valid, so neither is T_INVALID here. */
	if (ta.tok == tb.tok)
		*out = 0;
	else if (ta.tok == T_SUFFIX && ta.suffix < SUF_NONE)
		*out = -1;
	else if (tb.tok == T_SUFFIX && tb.suffix < SUF_NONE)
		*out = 1;
	else
		*out = ta.tok > tb.tok ? -1 : 1;
	return 0;
}
