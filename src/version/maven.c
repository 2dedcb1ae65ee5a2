/* Maven versions, compared as org.apache.maven.artifact.versioning.
 * ComparableVersion does in Maven 3.8 (checked against Debian's
 * maven-artifact 3.8.7). Every string is a valid Maven version.
 *
 * ComparableVersion lower-cases the text and splits it into items: numbers
 * and qualifier strings. '.' separates items of one list; '-', and a switch
 * between digits and letters, starts a new sub-list nested as the last item
 * of the current one, so the tree is really a chain of lists. Lists are then
 * normalised (trailing zeros, "", "ga", "final", "release" and empty
 * sub-lists dropped) and compared item by item: numbers by value (but the
 * class of a number, by its digit count 1-9, 10-18 or more, is compared
 * first, which only matters for runs of 10 or more zeros), qualifiers
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release <
 * sp < any other (alphabetical), a string below a number or a sub-list, a
 * sub-list below a number, and a missing item compared as "null".
 *
 * This is done without building the tree: each version is walked as a
 * stream of tokens tagged with their nesting level, with a look-ahead for the
 * normalisation, so the work is linear and nothing is allocated. */
#include "version/version.h"
#include "version/vparse.h"

enum { T_END, T_NUM, T_STR };

typedef struct tok {
	int kind;
	size_t level;
	sv s;			/* the digits or the letters */
	bool followed_by_digit; /* a qualifier cut short by a digit: "a1" is alpha-1 */
} tok;

/* The state of ComparableVersion.parseVersion's loop. */
typedef struct tz {
	sv s;
	size_t i, start, level, level_items;
	bool is_digit, done;
	tok pend[2]; /* tokens produced by one step, waiting to be returned */
	int npend, ipend;
} tz;

static void emit(tz *t, int kind, size_t a, size_t b, bool fbd)
{
	t->pend[t->npend++] = (tok){kind, t->level, sv_make(t->s.p + a, b - a), fbd};
	t->level_items++;
}

static void new_list(tz *t)
{
	t->level++;
	t->level_items = 0;
}

static void emit_item(tz *t, bool digit, size_t a, size_t b) { emit(t, digit ? T_NUM : T_STR, a, b, false); }

static tok tz_next(tz *t)
{
	for (;;) {
		if (t->ipend < t->npend)
			return t->pend[t->ipend++];
		t->ipend = t->npend = 0;
		if (t->done)
			return (tok){T_END, t->level, {0}, false};
		if (t->i == t->s.n) {
			t->done = true;
			if (t->s.n > t->start) {
				if (!t->is_digit && t->level_items > 0)
					new_list(t);
				emit_item(t, t->is_digit, t->start, t->s.n);
			}
			continue;
		}
		size_t i = t->i++;
		unsigned char c = (unsigned char)t->s.p[i];
		if (c == '.' || c == '-') {
			if (i == t->start)
				emit(t, T_NUM, i, i, false); /* an empty item is 0 */
			else
				emit_item(t, t->is_digit, t->start, i);
			t->start = i + 1;
			if (c == '-')
				new_list(t);
		} else if (vp_digit(c)) {
			if (!t->is_digit && i > t->start) {
				if (t->level_items > 0)
					new_list(t);
				emit(t, T_STR, t->start, i, true);
				t->start = i;
				new_list(t);
			}
			t->is_digit = true;
		} else {
			if (t->is_digit && i > t->start) {
				emit_item(t, true, t->start, i);
				t->start = i;
				new_list(t);
			}
			t->is_digit = false;
		}
	}
}

/* Qualifier ranks; unknown qualifiers rank above all and compare by text. */
enum { Q_ALPHA, Q_BETA, Q_MILESTONE, Q_RC, Q_SNAPSHOT, Q_RELEASE, Q_SP, Q_OTHER };

static int qual_rank(const tok *t)
{
	sv s = t->s;
	if (t->followed_by_digit && s.n == 1) {
		switch (vp_lower((unsigned char)s.p[0])) {
		case 'a':
			return Q_ALPHA;
		case 'b':
			return Q_BETA;
		case 'm':
			return Q_MILESTONE;
		}
	}
	static const struct {
		const char *w;
		int rank;
	} words[] = {{"alpha", Q_ALPHA}, {"beta", Q_BETA},     {"milestone", Q_MILESTONE},
		     {"rc", Q_RC},	 {"cr", Q_RC},	       {"snapshot", Q_SNAPSHOT},
		     {"ga", Q_RELEASE},	 {"final", Q_RELEASE}, {"release", Q_RELEASE},
		     {"sp", Q_SP}};
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (vp_ieq(s, words[k].w))
			return words[k].rank;
	return Q_OTHER;
}

/* Number class: IntItem, LongItem or BigIntegerItem, chosen by the length
 * after stripping leading zeros, except that a run of only zeros is not
 * stripped at all. */
static int num_class(sv s)
{
	size_t z = 0;
	while (z < s.n && s.p[z] == '0')
		z++;
	size_t len = z == s.n ? s.n : s.n - z;
	return len <= 9 ? 0 : len <= 18 ? 1 : 2;
}

static bool tok_null(const tok *t) { return t->kind == T_NUM ? vp_numzero(t->s) : qual_rank(t) == Q_RELEASE; }

/* What a list yields next at the cursor's level. */
enum { E_END, E_ITEM, E_SUB };

typedef struct cursor {
	tz t;
	tok peek;
	bool have_peek;
	size_t level;
	size_t deepest;	   /* level of the last non-null token, + 1; 0 if none */
	size_t keep_until; /* tokens before this offset in the text are kept nulls */
} cursor;

static tok cur_peek(cursor *c)
{
	if (!c->have_peek) {
		c->peek = tz_next(&c->t);
		c->have_peek = true;
	}
	return c->peek;
}

static void cur_init(cursor *c, sv s)
{
	memset(c, 0, sizeof(*c));
	c->t.s = s;
	tz scan = c->t;
	for (tok k = tz_next(&scan); k.kind != T_END; k = tz_next(&scan))
		if (!tok_null(&k))
			c->deepest = k.level + 1;
}

static int cur_next(cursor *c, tok *out)
{
	for (;;) {
		tok k = cur_peek(c);
		if (k.kind == T_END || k.level > c->level)
			/* The sub-list survives normalisation if it holds a non-null item. */
			return c->deepest > c->level + 1 ? E_SUB : E_END;
		if (!tok_null(&k) || (size_t)(k.s.p - c->t.s.p) < c->keep_until) {
			c->have_peek = false;
			*out = k;
			return E_ITEM;
		}
		/* A null item: kept only if a non-null item follows in this list. */
		tz look = c->t;
		tok n;
		for (n = tz_next(&look); n.kind != T_END && n.level == c->level && tok_null(&n);
		     n = tz_next(&look))
			;
		if (n.kind != T_END && n.level == c->level) {
			c->keep_until = (size_t)(n.s.p - c->t.s.p);
			c->have_peek = false;
			*out = k;
			return E_ITEM;
		}
		c->t = look;
		c->peek = n;
	}
}

/* Item.compareTo(null): how an item compares with a missing one. */
static int cmp_null(const tok *t)
{
	if (t->kind == T_NUM)
		return !vp_numzero(t->s);
	int r = qual_rank(t);
	return r < Q_RELEASE ? -1 : r > Q_RELEASE;
}

static int cmp_items(const tok *x, const tok *y)
{
	if (x->kind == T_NUM && y->kind == T_NUM) {
		int cx = num_class(x->s), cy = num_class(y->s);
		return cx != cy ? (cx < cy ? -1 : 1) : vp_numcmp(x->s, y->s);
	}
	if (x->kind != y->kind)
		return x->kind == T_NUM ? 1 : -1;
	int rx = qual_rank(x), ry = qual_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return rx == Q_OTHER ? vp_casecmp(x->s, y->s) : 0;
}

int vcmp_maven(int *out, sv a, sv b)
{
	cursor x, y;
	cur_init(&x, a);
	cur_init(&y, b);
	bool xdone = false, ydone = false; /* that side's list has run out */
	for (;;) {
		tok p, q;
		int ex = xdone ? E_END : cur_next(&x, &p);
		int ey = ydone ? E_END : cur_next(&y, &q);
		int c = 0;
		if (ex == E_END && ey == E_END) {
			*out = 0;
			return 0;
		}
		if (ex == E_ITEM && ey == E_ITEM) {
			c = cmp_items(&p, &q);
		} else if (ex == E_ITEM && ey == E_END) {
			c = cmp_null(&p);
		} else if (ex == E_END && ey == E_ITEM) {
			c = -cmp_null(&q);
		} else if (ex == E_ITEM) { /* item against a sub-list */
			c = p.kind == T_NUM ? 1 : -1;
		} else if (ey == E_ITEM) { /* sub-list against an item */
			c = q.kind == T_NUM ? -1 : 1;
		} else {
			/* A sub-list against a sub-list or a missing item: descend. A
			 * side that has run out stays out; it can never come back. */
			if (ex == E_SUB)
				x.level++;
			else
				xdone = true;
			if (ey == E_SUB)
				y.level++;
			else
				ydone = true;
		}
		if (c) {
			*out = c;
			return 0;
		}
	}
}
