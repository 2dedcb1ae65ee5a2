/* Helpers for the language-ecosystem comparators; see vparse.h. */
#include "version/vparse.h"

bool vp_all_digits(sv s)
{
	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!vp_digit((unsigned char)s.p[i]))
			return false;
	return true;
}

static sv skip_zeros(sv a)
{
	while (a.n > 0 && a.p[0] == '0') {
		a.p++;
		a.n--;
	}
	return a;
}

int vp_numcmp(sv a, sv b)
{
	a = skip_zeros(a);
	b = skip_zeros(b);
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return a.n ? vp_sign(memcmp(a.p, b.p, a.n)) : 0;
}

bool vp_numzero(sv a) { return skip_zeros(a).n == 0; }

int vp_bytecmp(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c)
		return vp_sign(c);
	return (a.n > b.n) - (a.n < b.n);
}

int vp_casecmp(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = vp_lower((unsigned char)a.p[i]), y = vp_lower((unsigned char)b.p[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (a.n > b.n) - (a.n < b.n);
}

bool vp_ieq(sv a, const char *lit)
{
	size_t n = strlen(lit);
	if (a.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (vp_lower((unsigned char)a.p[i]) != (unsigned char)lit[i])
			return false;
	return true;
}

sv vp_trim(sv s, const char *set)
{
	while (s.n > 0 && strchr(set, s.p[0]) && s.p[0] != '\0')
		s.p++, s.n--;
	while (s.n > 0 && strchr(set, s.p[s.n - 1]) && s.p[s.n - 1] != '\0')
		s.n--;
	return s;
}

/* Walks the identifiers of a vp_ids. */
typedef struct {
	vp_ids ids;
	int part;
	size_t pos;
} ids_iter;

static bool ids_next(ids_iter *it, sv *out)
{
	while (it->part < 2) {
		sv p = it->ids.part[it->part];
		if (it->pos >= p.n) {
			it->part++;
			it->pos = 0;
			continue;
		}
		size_t start = it->pos, end = start;
		while (end < p.n && p.p[end] != '.')
			end++;
		*out = sv_make(p.p + start, end - start);
		it->pos = end + 1; /* past the dot; equal to n+1 at the end, caught above */
		return true;
	}
	return false;
}

bool vp_ids_empty(vp_ids a) { return a.part[0].n == 0 && a.part[1].n == 0; }

int vp_ids_cmp(vp_ids a, vp_ids b)
{
	ids_iter x = {a, 0, 0}, y = {b, 0, 0};
	for (;;) {
		sv dx, dy;
		bool hx = ids_next(&x, &dx), hy = ids_next(&y, &dy);
		if (!hx || !hy)
			return hx - hy;
		bool nx = vp_all_digits(dx), ny = vp_all_digits(dy);
		int c;
		if (nx && ny)
			c = vp_numcmp(dx, dy);
		else if (nx != ny)
			c = nx ? -1 : 1;
		else
			c = vp_bytecmp(dx, dy);
		if (c)
			return c;
	}
}

bool vp_ids_valid(sv s, bool strict_num)
{
	size_t start = 0;
	for (size_t i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != '.') {
			unsigned char c = (unsigned char)s.p[i];
			if (!vp_alnum(c) && c != '-')
				return false;
			continue;
		}
		sv id = sv_make(s.p + start, i - start);
		if (id.n == 0)
			return false;
		if (strict_num && id.n > 1 && id.p[0] == '0' && vp_all_digits(id))
			return false;
		start = i + 1;
	}
	return true;
}
