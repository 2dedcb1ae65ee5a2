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

/* purl percent-encoding; `keep` lists extra characters left as they are. */
static int purl_enc(buf *b, sv s, const char *keep, bool lower)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; i < s.n && rc == 0; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		    c == '-' || c == '_' || c == '~' || (c && strchr(keep, c)))
			rc = buf_putc(b, (char)c);
		else
			rc = buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	return rc;
}

const char *purl_image(arena *a, const lading_image_info *img, bool need_digest)
{
	bool digest = img->manifest_digest && *img->manifest_digest;
	if (!img->name || !*img->name || (need_digest && !digest))
		return NULL;
	/* repository[:tag][@digest]: the tag's ':' is the one after the last '/',
	 * so a registry port ("localhost:5000/x") is not mistaken for a tag. */
	sv ref = sv_cstr(img->name);
	size_t at = sv_find(ref, '@');
	if (at != SIZE_MAX)
		ref.n = at;
	size_t slash = SIZE_MAX;
	for (size_t i = 0; i < ref.n; i++)
		if (ref.p[i] == '/')
			slash = i;
	size_t start = slash == SIZE_MAX ? 0 : slash + 1;
	sv repo = ref, tag = {NULL, 0};
	for (size_t i = start; i < ref.n; i++) {
		if (ref.p[i] == ':') {
			repo.n = i;
			tag = sv_make(ref.p + i + 1, ref.n - i - 1);
			break;
		}
	}
	sv name = sv_make(repo.p + start, repo.n - start);
	if (name.n == 0)
		return NULL;
	buf b = {0};
	int rc = buf_puts(&b, "pkg:oci/");
	if (!rc)
		rc = purl_enc(&b, name, "", true);
	if (!rc && digest)
		rc = buf_putc(&b, '@') || purl_enc(&b, sv_cstr(img->manifest_digest), "", false);
	/* qualifiers in key order: arch, repository_url, tag */
	char sep = '?';
	if (!rc && img->architecture && *img->architecture) {
		rc = buf_printf(&b, "%carch=", sep) || purl_enc(&b, sv_cstr(img->architecture), "", false);
		sep = '&';
	}
	if (!rc && slash != SIZE_MAX) {
		rc = buf_printf(&b, "%crepository_url=", sep) || purl_enc(&b, repo, "/", false);
		sep = '&';
	}
	if (!rc && tag.n)
		rc = buf_printf(&b, "%ctag=", sep) || purl_enc(&b, tag, "", false);
	const char *res = rc ? NULL : arena_strndup(a, b.p, b.n);
	buf_free(&b);
	return res;
}
