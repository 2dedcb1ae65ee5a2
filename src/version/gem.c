/* RubyGems versions, compared as Gem::Version#<=> does (RubyGems 3.3). A
 * valid version is Gem::Version.correct?'s: digits, then ".alnum" segments,
 * then an optional "-" part whose dot-separated pieces may also contain '-';
 * white space around it is ignored, and an empty version is 0. A '-' means
 * ".pre.", and the version is then a list of segments, each a run of digits
 * (a number) or of letters (a string, which sorts below any number: 1.0.a <
 * 1.0). Trailing zeros are dropped from the numeric part before the first
 * string and from the rest separately, and missing segments count as 0.
 * Strings compare bytewise, so case matters ("B" < "a"). */
#include "version/version.h"
#include "version/vparse.h"

#define WS " \t\n\v\f\r"

static bool valid(sv s)
{
	s = vp_trim(s, WS);
	if (s.n == 0)
		return true;
	size_t i = 0;
	while (i < s.n && vp_digit((unsigned char)s.p[i]))
		i++;
	if (i == 0)
		return false;
	while (i < s.n && s.p[i] == '.') {
		size_t st = ++i;
		while (i < s.n && vp_alnum((unsigned char)s.p[i]))
			i++;
		if (i == st)
			return false;
	}
	if (i == s.n)
		return true;
	if (s.p[i] != '-')
		return false;
	/* -[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* */
	return vp_ids_valid(sv_make(s.p + i + 1, s.n - i - 1), false);
}

/* One canonical segment: a number (digit run) or a string (letter run). The
 * '-' in the text stands for the string "pre". */
typedef struct seg {
	bool num;
	sv s;
} seg;

/* Walks the segments of a valid, trimmed version. */
typedef struct segit {
	sv s;
	size_t pos;
} segit;

static bool seg_next(segit *it, seg *out)
{
	while (it->pos < it->s.n) {
		unsigned char c = (unsigned char)it->s.p[it->pos];
		if (c == '-') {
			it->pos++;
			*out = (seg){false, SV_LIT("pre")};
			return true;
		}
		if (!vp_alnum(c)) {
			it->pos++;
			continue;
		}
		size_t st = it->pos;
		bool d = vp_digit(c);
		while (it->pos < it->s.n && (d ? vp_digit((unsigned char)it->s.p[it->pos])
					       : vp_alpha((unsigned char)it->s.p[it->pos])))
			it->pos++;
		*out = (seg){d, sv_make(it->s.p + st, it->pos - st)};
		return true;
	}
	return false;
}

/* Walks canonical_segments: segments with the zeros that end the numeric
 * part or the whole version left out. A zero is kept when a non-zero number
 * follows it in the same part; finding that out needs a look-ahead over the
 * run of zeros, remembered in keep_until so each run is scanned once. */
typedef struct canon {
	segit it;
	bool in_strings; /* past the first string segment */
	size_t keep_until;
} canon;

static bool canon_next(canon *c, seg *out)
{
	for (;;) {
		if (!seg_next(&c->it, out))
			return false;
		if (!out->num) {
			c->in_strings = true;
			return true;
		}
		if (!vp_numzero(out->s) || c->it.pos <= c->keep_until)
			return true;
		segit look = c->it;
		seg t;
		bool kept = false;
		while (seg_next(&look, &t)) {
			if (t.num && vp_numzero(t.s))
				continue;
			/* A string after zeros of the numeric part ends that part. */
			kept = t.num || c->in_strings;
			break;
		}
		if (kept) {
			c->keep_until = look.pos;
			return true;
		}
		/* Skip the dropped zeros; what stopped the look-ahead is read next. */
		while (c->it.pos < look.pos) {
			segit before = c->it;
			if (!seg_next(&c->it, &t))
				break;
			if (!(t.num && vp_numzero(t.s))) {
				c->it = before;
				break;
			}
		}
	}
}

static int seg_cmp(const seg *x, const seg *y)
{
	if (x->num && y->num)
		return vp_numcmp(x->s, y->s);
	if (x->num != y->num)
		return x->num ? 1 : -1;
	return vp_bytecmp(x->s, y->s);
}

int vcmp_gem(int *out, sv a, sv b)
{
	if (!valid(a) || !valid(b))
		return -LADING_EINVAL;
	canon x = {{vp_trim(a, WS), 0}, false, 0}, y = {{vp_trim(b, WS), 0}, false, 0};
	static const seg zero = {true, {"0", 1}};
	for (;;) {
		seg p, q;
		bool hp = canon_next(&x, &p), hq = canon_next(&y, &q);
		if (!hp && !hq) {
			*out = 0;
			return 0;
		}
		int c = seg_cmp(hp ? &p : &zero, hq ? &q : &zero);
		if (c) {
			*out = c;
			return 0;
		}
	}
}
