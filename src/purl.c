/* Package URL parsing; see purl.h. */
#include "purl.h"

#include "lading/lading.h"

/* Percent-decodes `s` into the arena; NULL on a malformed escape or an
 * encoded NUL. */
static char *decode(arena *a, sv s, bool lower)
{
	char *out = arena_alloc(a, s.n + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '%') {
			if (i + 2 >= s.n)
				return NULL; /* "%" or "%4" at the end */
			int h = hex_digit(s.p[i + 1]), l = hex_digit(s.p[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return NULL;
			c = (char)(h << 4 | l);
			i += 2;
		} else if (c == 0) {
			return NULL;
		}
		if (lower && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[n++] = c;
	}
	out[n] = 0;
	return out;
}

int purl_parse(purl *out, arena *a, sv s)
{
	memset(out, 0, sizeof(*out));
	if (s.n > 65536 || !sv_starts_with(s, SV_LIT("pkg:")))
		return -LADING_EFORMAT;
	s = sv_make(s.p + 4, s.n - 4);
	s = sv_strip_char(s, '/'); /* "pkg://type" is tolerated */
	/* subpath and qualifiers come off the right end first */
	size_t hash = sv_find(s, '#');
	if (hash != SIZE_MAX) {
		if (!(out->subpath = decode(a, sv_make(s.p + hash + 1, s.n - hash - 1), false)))
			return -LADING_EFORMAT;
		s.n = hash;
	}
	size_t qm = sv_find(s, '?');
	if (qm != SIZE_MAX) {
		sv qs = sv_make(s.p + qm + 1, s.n - qm - 1);
		s.n = qm;
		while (qs.n) {
			sv kv = sv_split(&qs, '&');
			if (!kv.n)
				continue;
			size_t eq = sv_find(kv, '=');
			if (eq == SIZE_MAX || eq == 0 || out->nq >= PURL_MAX_QUALIFIERS)
				return -LADING_EFORMAT;
			out->q[out->nq].key = decode(a, sv_make(kv.p, eq), true);
			out->q[out->nq].value = decode(a, sv_make(kv.p + eq + 1, kv.n - eq - 1), false);
			if (!out->q[out->nq].key || !out->q[out->nq].value)
				return -LADING_EFORMAT;
			out->nq++;
		}
	}
	size_t slash = sv_find(s, '/');
	if (slash == SIZE_MAX || slash == 0)
		return -LADING_EFORMAT;
	if (!(out->type = decode(a, sv_make(s.p, slash), true)))
		return -LADING_EFORMAT;
	sv rest = sv_strip_char(sv_make(s.p + slash + 1, s.n - slash - 1), '/');
	/* version: after the last '@' of the last segment */
	size_t last = rest.n;
	while (last > 0 && rest.p[last - 1] != '/')
		last--;
	sv tail = sv_make(rest.p + last, rest.n - last);
	size_t at = SIZE_MAX;
	for (size_t i = tail.n; i-- > 0;)
		if (tail.p[i] == '@') {
			at = i;
			break;
		}
	if (at != SIZE_MAX) {
		if (!(out->version = decode(a, sv_make(tail.p + at + 1, tail.n - at - 1), false)))
			return -LADING_EFORMAT;
		tail.n = at;
	}
	if (!tail.n || !(out->name = decode(a, tail, false)))
		return -LADING_EFORMAT;
	if (last > 1 && !(out->ns = decode(a, sv_make(rest.p, last - 1), false)))
		return -LADING_EFORMAT;
	return 0;
}

const char *purl_qualifier(const purl *p, const char *key)
{
	for (size_t i = 0; i < p->nq; i++)
		if (strcmp(p->q[i].key, key) == 0)
			return p->q[i].value;
	return NULL;
}
