/* The helpers every writer shares (report/common.h): turning hostile bytes
 * into valid UTF-8, the jansson builders, a unique-identifier set and the
 * facts about findings that every scan format states the same way. */
#include "report/common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lading/report.h"

/* ---- hostile strings ----------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

int rp_clean(buf *out, const char *s, const char *bad, bool ctrl)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0, i = 0;
	int rc = 0;
	while (i < n && rc == 0) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0) {
			rc = buf_puts(out, bad);
			i++;
			continue;
		}
		bool is_ctrl =
		    (k == 1 && (p[i] < 0x20 || p[i] == 0x7f)) || (k == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0);
		rc = ctrl && is_ctrl ? buf_putc(out, '?') : buf_append(out, p + i, k);
		i += k;
	}
	return rc;
}

/* ---- JSON builders -------------------------------------------------------- */

json_t *rp_jstr(rp_json_b *b, const char *s)
{
	if (b->oom)
		return NULL;
	b->tmp.n = 0;
	if (rp_clean(&b->tmp, s ? s : "", "\xef\xbf\xbd", false) || buf_reserve(&b->tmp, 1)) {
		b->oom = true;
		return NULL;
	}
	json_t *j = json_stringn_nocheck(b->tmp.p, b->tmp.n);
	if (!j)
		b->oom = true;
	return j;
}

void rp_set(rp_json_b *b, json_t *obj, const char *key, json_t *val)
{
	if (!val || b->oom || !obj) {
		json_decref(val);
		b->oom = true;
		return;
	}
	if (json_object_set_new(obj, key, val))
		b->oom = true;
}

void rp_set_str(rp_json_b *b, json_t *obj, const char *key, const char *s)
{
	if (s)
		rp_set(b, obj, key, rp_jstr(b, s));
}

void rp_set_str_or_null(rp_json_b *b, json_t *obj, const char *key, const char *s)
{
	rp_set(b, obj, key, s ? rp_jstr(b, s) : json_null());
}

void rp_push(rp_json_b *b, json_t *arr, json_t *val)
{
	if (!val || b->oom || !arr) {
		json_decref(val);
		b->oom = true;
		return;
	}
	if (json_array_append_new(arr, val))
		b->oom = true;
}

enum { RP_PIECE = 64 * 1024 };

int rp_flush(buf *out, bool all)
{
	rp_out *o = (rp_out *)out;
	if (!o->write)
		return 0;
	if (o->err)
		return o->err;
	if (!out->n || (!all && out->n < RP_PIECE))
		return 0;
	if (o->write(o->ud, out->p, out->n) != 0)
		return o->err = -LADING_EIO;
	out->n = 0;
	out->p[0] = 0;
	return 0;
}

/* jansson's serialiser calls this as it goes: a streamed report is handed
 * over piece by piece while the document is written. */
static int dump_cb(const char *p, size_t n, void *data)
{
	return buf_append(data, p, n) || rp_flush(data, false) ? -1 : 0;
}

int rp_dump(buf *out, json_t *root)
{
	if (json_dump_callback(root, dump_cb, out,
			       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)))
		return ((rp_out *)out)->err ? ((rp_out *)out)->err : -LADING_ENOMEM;
	return buf_putc(out, '\n');
}

/* ---- unique identifiers --------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Index of `s` in the table, or of the empty slot where it belongs. */
static size_t ids_find(const rp_ids *ids, const char *s)
{
	size_t i = (size_t)fnv1a(s) & (ids->cap - 1);
	while (ids->slot[i] && strcmp(ids->slot[i], s) != 0)
		i = (i + 1) & (ids->cap - 1);
	return i;
}

static int ids_grow(rp_ids *ids)
{
	size_t ncap = ids->cap ? ids->cap * 2 : 64, bytes;
	if (mul_overflows(ncap, sizeof(*ids->slot), &bytes))
		return -LADING_ENOMEM;
	rp_ids g = {.a = ids->a, .slot = calloc(ncap, sizeof(*ids->slot)), .cap = ncap, .n = ids->n};
	if (!g.slot)
		return -LADING_ENOMEM;
	for (size_t i = 0; i < ids->cap; i++)
		if (ids->slot[i])
			g.slot[ids_find(&g, ids->slot[i])] = ids->slot[i];
	free(ids->slot);
	*ids = g;
	return 0;
}

const char *rp_ids_claim(rp_ids *ids, const char *want)
{
	/* keep the table at most half full so probes stay short */
	if ((ids->n + 1) * 2 > ids->cap && ids_grow(ids))
		return NULL;
	size_t i = ids_find(ids, want);
	if (!ids->slot[i]) {
		char *c = arena_str(&ids->a, want);
		if (c) {
			ids->slot[i] = c;
			ids->n++;
		}
		return c;
	}
	/* Taken: the n-th try cannot loop forever because the set is finite. */
	buf b = {0};
	const char *res = NULL;
	for (size_t k = 2;; k++) {
		b.n = 0;
		if (buf_printf(&b, "%s-%zu", want, k))
			break;
		i = ids_find(ids, b.p);
		if (!ids->slot[i]) {
			char *c = arena_strndup(&ids->a, b.p, b.n);
			if (c) {
				ids->slot[i] = c;
				ids->n++;
			}
			res = c;
			break;
		}
	}
	buf_free(&b);
	return res;
}

void rp_ids_free(rp_ids *ids)
{
	free(ids->slot);
	arena_free(&ids->a);
	memset(ids, 0, sizeof(*ids));
}

/* ---- image helpers -------------------------------------------------------- */

const lading_layer *rp_layer_of(const lading_inventory *inv, int idx)
{
	return idx < 0 ? NULL : lading_inventory_layer(inv, (size_t)idx);
}

const char *rp_image_name(const lading_image_info *img)
{
	if (img->name && *img->name)
		return img->name;
	if (img->target && *img->target)
		return img->target;
	return "image";
}

/* ---- facts about findings -------------------------------------------------- */

size_t rp_nlisted(const lading_findings *f) { return lading_findings_count(f) + lading_findings_vex_count(f); }

const lading_finding *rp_listed(const lading_findings *f, size_t i)
{
	size_t n = lading_findings_count(f);
	return i < n ? lading_findings_get(f, i) : lading_findings_vex_get(f, i - n);
}

double rp_cvss(double score)
{
	if (!isfinite(score) || score < 0 || score > 10)
		return -1;
	/* in range, so the cast cannot overflow; no libm needed */
	return (double)(long)(score * 10 + 0.5) / 10;
}

bool rp_is_uri(const char *s)
{
	size_t i;
	if (s && strncasecmp(s, "https://", 8) == 0)
		i = 8;
	else if (s && strncasecmp(s, "http://", 7) == 0)
		i = 7;
	else
		return false;
	if (!s[i] || s[i] == '/')
		return false; /* no host */
	for (; s[i]; i++) {
		if (i > 2048)
			return false;
		char c = s[i];
		if (c == '%') {
			if (!rp_is_hex(s[i + 1]) || !rp_is_hex(s[i + 2]))
				return false;
			i += 2;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || rp_is_digit(c) ||
		      strchr("-._~:/?#[]@!$&'()*+,;=", c)))
			return false;
	}
	return true;
}

const char *rp_first_uri(const lading_finding *f)
{
	for (size_t i = 0; i < f->nurls; i++)
		if (rp_is_uri(f->urls[i]))
			return f->urls[i];
	return NULL;
}

bool rp_os_unchecked(const lading_inventory *inv, const lading_findings *f)
{
	if (lading_findings_os_namespace(f) && lading_findings_os_has_data(f))
		return false;
	size_t np = lading_inventory_npackages(inv);
	for (size_t i = 0; i < np; i++) {
		lading_pkg_type t = lading_inventory_package(inv, i)->type;
		if (t == LADING_PKG_DPKG || t == LADING_PKG_APK || t == LADING_PKG_RPM)
			return true;
	}
	return false;
}

const char *rp_os_note(arena *a, const lading_findings *f)
{
	const char *ns = lading_findings_os_namespace(f);
	buf b = {0};
	int rc = buf_puts(&b, "No vulnerability data for ");
	if (!rc)
		rc = ns && *ns ? rp_clean(&b, ns, "?", true) : buf_puts(&b, "this OS");
	if (!rc)
		rc = buf_puts(&b, ": OS packages were not checked");
	const char *res = rc ? NULL : arena_strndup(a, b.p, b.n);
	buf_free(&b);
	return res;
}

void rp_count_severities(const lading_findings *f, size_t counts[6])
{
	memset(counts, 0, 6 * sizeof(counts[0]));
	size_t nf = lading_findings_count(f);
	for (size_t i = 0; i < nf; i++) {
		unsigned s = (unsigned)lading_findings_get(f, i)->severity;
		counts[s < 6 ? s : 0]++;
	}
}

/* The directory part of a path ("/usr/local/bin/x" -> "/usr/local/bin"), into tmp. */
static const char *dir_of(buf *tmp, const char *path)
{
	const char *slash = strrchr(path, '/');
	tmp->n = 0;
	if (buf_append(tmp, path, slash && slash != path ? (size_t)(slash - path) : 1))
		return NULL;
	return tmp->p;
}

/* ---- unpackaged files by directory ------------------------------------------ */

int rp_unpackaged_dirs(rp_dircount **out, size_t *n, const lading_inventory *inv)
{
	VEC(rp_dircount) v = {0};
	buf tmp = {0};
	int rc = 0;
	size_t nf = lading_inventory_nfile_findings(inv);
	*out = NULL;
	*n = 0;
	/* findings are sorted by kind then path, so a directory's files are adjacent */
	for (size_t i = 0; i < nf && !rc; i++) {
		const lading_file_finding *f = lading_inventory_file_finding(inv, i);
		if (f->kind != LADING_FILE_UNPACKAGED)
			continue;
		const char *d = dir_of(&tmp, f->path);
		if (!d) {
			rc = -LADING_ENOMEM;
			break;
		}
		if (v.n && strcmp(v.v[v.n - 1].dir, d) == 0) {
			v.v[v.n - 1].count++;
			continue;
		}
		char *dd = strdup(d);
		if (!dd || vec_push(&v, ((rp_dircount){dd, 1}))) {
			free(dd);
			rc = -LADING_ENOMEM;
		}
	}
	buf_free(&tmp);
	if (rc) {
		rp_dircounts_free(v.v, v.n);
		return rc;
	}
	*out = v.v;
	*n = v.n;
	return 0;
}

void rp_dircounts_free(rp_dircount *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].dir);
	free(d);
}
