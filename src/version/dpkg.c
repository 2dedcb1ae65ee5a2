/* Debian version comparison, as dpkg does it (lib/dpkg/version.c and
 * parseversion() in lib/dpkg/parsehelp.c): [epoch:]upstream[-revision].
 *
 * Validity follows what `dpkg --compare-versions` refuses, not what it merely
 * warns about: dpkg still compares "abc" or "1.0#x" (a warning), so the
 * matcher must too, or a package with an odd version would never be matched.
 * Refused: empty (after trimming blanks), embedded blanks, an epoch that is
 * not a number in 0..INT_MAX, nothing after the colon, an empty upstream
 * version, an empty revision after the last '-', and NUL bytes (dpkg reads C
 * strings, so it can never have seen one).
 *
 * The comparison walks both strings once, never converts a digit run to an
 * integer (dpkg compares runs digit by digit after skipping leading zeros) and
 * allocates nothing. */
#include "version/version.h"

#include <limits.h>

typedef struct dver {
	unsigned long epoch;
	sv upstream, revision;
} dver;

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_blank(int c) { return c == ' ' || c == '\t'; }
/* strtol() skips isspace() in the C locale before the sign and digits. */
static bool is_cspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The epoch as dpkg's strtol() reads it: optional white space and sign, then at
 * least one digit, all of it before the colon. */
static int parse_epoch(unsigned long *out, sv e)
{
	size_t i = 0;
	bool neg = false;
	while (i < e.n && is_cspace((unsigned char)e.p[i]))
		i++;
	if (i < e.n && (e.p[i] == '+' || e.p[i] == '-'))
		neg = e.p[i++] == '-';
	if (i == e.n)
		return -LADING_EINVAL; /* "epoch in version is empty" / not a number */
	unsigned long v = 0;
	for (; i < e.n; i++) {
		if (!is_digit((unsigned char)e.p[i]))
			return -LADING_EINVAL; /* "epoch in version is not number" */
		v = v * 10 + (unsigned long)(e.p[i] - '0');
		if (v > INT_MAX)
			return -LADING_EINVAL; /* "epoch in version is too big" */
	}
	if (neg && v != 0)
		return -LADING_EINVAL; /* "epoch in version is negative"; "-0" is 0 */
	*out = v;
	return 0;
}

static int parse(dver *out, sv s)
{
	if (memchr(s.p, 0, s.n))
		return -LADING_EINVAL;
	while (s.n && is_blank((unsigned char)s.p[0]))
		s.p++, s.n--;
	while (s.n && is_blank((unsigned char)s.p[s.n - 1]))
		s.n--;
	if (s.n == 0)
		return -LADING_EINVAL;
	for (size_t i = 0; i < s.n; i++)
		if (is_blank((unsigned char)s.p[i]))
			return -LADING_EINVAL; /* "version string has embedded spaces" */

	out->epoch = 0;
	size_t colon = sv_find(s, ':');
	if (colon != SIZE_MAX) {
		int rc = parse_epoch(&out->epoch, sv_make(s.p, colon));
		if (rc)
			return rc;
		s.p += colon + 1;
		s.n -= colon + 1;
		if (s.n == 0)
			return -LADING_EINVAL; /* "nothing after colon in version number" */
	}
	size_t hyphen = SIZE_MAX;
	for (size_t i = s.n; i-- > 0;)
		if (s.p[i] == '-') {
			hyphen = i;
			break;
		}
	if (hyphen != SIZE_MAX) {
		out->upstream = sv_make(s.p, hyphen);
		out->revision = sv_make(s.p + hyphen + 1, s.n - hyphen - 1);
		if (out->revision.n == 0)
			return -LADING_EINVAL; /* "revision number is empty" */
	} else {
		out->upstream = s;
		out->revision = sv_make("", 0);
	}
	if (out->upstream.n == 0)
		return -LADING_EINVAL; /* "version number is empty" */
	return 0;
}

/* dpkg's order(): '~' before everything, even the end; then the end and
 * digits; letters by ASCII; everything else after letters. dpkg reads `char`,
 * signed on the platforms the tests run on, so a byte >= 0x80 lands between
 * the letters and the ASCII punctuation (c + 256 with c negative). */
static int order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return (int)(signed char)c + 256;
	return 0;
}

/* The character at i, or 0 past the end (dpkg's NUL terminator). */
static int at(sv s, size_t i) { return i < s.n ? (unsigned char)s.p[i] : 0; }

static int verrevcmp(sv a, sv b)
{
	size_t i = 0, j = 0;
	while (i < a.n || j < b.n) {
		int first_diff = 0;
		while ((i < a.n && !is_digit(at(a, i))) || (j < b.n && !is_digit(at(b, j)))) {
			int ac = order(at(a, i)), bc = order(at(b, j));
			if (ac != bc)
				return ac - bc;
			/* Equal orders with one side at its end happen only when the
			 * other is a digit (both 0): then the loop condition fails next
			 * time, so stepping past the end here is harmless. */
			i++;
			j++;
		}
		while (at(a, i) == '0')
			i++;
		while (at(b, j) == '0')
			j++;
		while (is_digit(at(a, i)) && is_digit(at(b, j))) {
			if (!first_diff)
				first_diff = at(a, i) - at(b, j);
			i++;
			j++;
		}
		if (is_digit(at(a, i)))
			return 1;
		if (is_digit(at(b, j)))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

int vcmp_dpkg(int *out, sv a, sv b)
{
	dver va, vb;
	if (parse(&va, a) || parse(&vb, b))
		return -LADING_EINVAL;
	int r;
	if (va.epoch != vb.epoch)
		r = va.epoch < vb.epoch ? -1 : 1;
	else if ((r = verrevcmp(va.upstream, vb.upstream)) == 0)
		r = verrevcmp(va.revision, vb.revision);
	*out = r < 0 ? -1 : r > 0;
	return 0;
}
