/* VEX: OpenVEX documents (https://github.com/openvex/spec, v0.2.0 and the
 * older v0.0.x form) read into statements, and the statement that applies to
 * a finding found. What lading implements of the spec (docs/usage.md, "VEX"):
 *
 *   - A statement is about a vulnerability (its name, @id and aliases; a
 *     finding matches when its id or one of its aliases is one of them), a
 *     status, and products, each optionally with subcomponents.
 *   - A product names this image when it is an oci purl matching the image's
 *     purl (purl_image), the image's manifest digest ("sha256:…" as @id, or
 *     a "sha-256" hash), or an image reference ("repo", "repo:tag",
 *     "host/repo:tag@sha256:…") naming the image. Such a product without
 *     subcomponents covers every package of the image; with them, the
 *     packages a subcomponent purl matches.
 *   - A product that is any other purl names a package: it covers that
 *     package (its subcomponents are not used: lading does not know which
 *     package holds which).
 *   - A statement without products (v0.0.x puts subcomponents beside the
 *     products) covers the packages its subcomponents match, in any image.
 *   - purls match as go-vex's PurlMatches does: type, namespace and name
 *     equal; the statement's version, when it gives one, equal; every
 *     qualifier it gives present with the same value.
 *   - The latest statement that applies wins: its last_updated, else its
 *     timestamp, else its document's timestamp (statements inherit that, not
 *     the document's last_updated); a statement with none is older than any
 *     with one; equal times go to the one read last.
 *   - not_affected suppresses; fixed suppresses when the identifier that
 *     matched carries the installed version (the package purl's version, or
 *     the image's digest); affected and under_investigation only annotate.
 *
 * Documents are not the image: they are bounded (max_file_size, a statement
 * and an entry count), duplicate keys are rejected, and messages name the
 * document and the statement, never bytes of the document. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctx.h"
#include "match/match_priv.h"
#include "purl.h"

enum {
	VEX_MAX_STATEMENTS = 100000, /* over every document of one call */
	VEX_MAX_ENTRIES = 500000,    /* products, subcomponents and aliases, likewise */
	VEX_MAX_WARNINGS = 20,
};

typedef struct vtime {
	bool set;
	int64_t sec; /* since 1970-01-01T00:00:00Z */
	int32_t nsec;
} vtime;

/* A product or a subcomponent: the identifiers lading matches on. */
typedef struct vcomp {
	const char *iri;     /* @id, or the whole v0.0.x string */
	const purl *purl[2]; /* @id and identifiers.purl, when they are purls */
	size_t npurl;
	const char *sha256; /* hashes["sha-256"] */
} vcomp;

typedef struct vprod {
	vcomp c;
	const vcomp *subs;
	size_t nsubs;
} vprod;

typedef struct vstmt {
	const char **ids; /* name, @id, aliases */
	size_t nids;
	vprod *prods;
	size_t nprods;
	const vcomp *subs; /* statement level: products without their own get them */
	size_t nsubs;
	lading_vex_status status;
	const char *justification; /* a label of the table below (static) */
	const char *impact, *action, *notes;
	const char *when; /* the time text that dates it */
	vtime t;
	const char *doc_id;
} vstmt;

typedef struct vindex {
	const char *id;
	size_t st;
} vindex;

struct vex_set {
	arena a;
	VEC(vstmt) st;
	vindex *index;
	size_t nindex;
	size_t entries;
	size_t warned;
	/* the image of the findings asked about (parsed on the first question) */
	const lading_findings *img_of;
	purl img_purl;
	bool has_img_purl;
};

static const char *const justifications[] = {
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
};

const char *lading_vex_status_name(lading_vex_status s)
{
	switch (s) {
	case LADING_VEX_NOT_AFFECTED:
		return "not_affected";
	case LADING_VEX_AFFECTED:
		return "affected";
	case LADING_VEX_FIXED:
		return "fixed";
	case LADING_VEX_UNDER_INVESTIGATION:
		return "under_investigation";
	case LADING_VEX_NONE:
		break;
	}
	return NULL;
}

static lading_vex_status status_of(const char *s)
{
	for (int i = LADING_VEX_NOT_AFFECTED; i <= LADING_VEX_UNDER_INVESTIGATION; i++)
		if (strcmp(s, lading_vex_status_name((lading_vex_status)i)) == 0)
			return (lading_vex_status)i;
	return LADING_VEX_NONE;
}

/* ---- RFC 3339 date-times ------------------------------------------------------ */

static bool num(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)"; false for anything else. */
static bool parse_time(const char *s, vtime *out)
{
	int y, mo, d, h, mi, se;
	size_t n = strlen(s);
	if (n < 20 || !num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) || s[7] != '-' ||
	    !num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !num(s + 11, 2, &h) ||
	    s[13] != ':' || !num(s + 14, 2, &mi) || s[16] != ':' || !num(s + 17, 2, &se))
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	size_t i = 19;
	int32_t nsec = 0;
	if (s[i] == '.') {
		size_t f = ++i;
		int32_t scale = 100000000;
		for (; s[i] >= '0' && s[i] <= '9'; i++) {
			nsec += (int32_t)(s[i] - '0') * scale;
			scale /= 10;
		}
		if (i == f)
			return false;
	}
	int off = 0;
	if ((s[i] == 'Z' || s[i] == 'z') && !s[i + 1]) {
		off = 0;
	} else if ((s[i] == '+' || s[i] == '-') && strlen(s + i) == 6 && s[i + 3] == ':') {
		int oh, om;
		if (!num(s + i + 1, 2, &oh) || !num(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
	} else {
		return false;
	}
	out->set = true;
	out->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - (int64_t)off * 60;
	out->nsec = nsec;
	return true;
}

/* a later than b */
static bool later(const vtime *a, const vtime *b)
{
	if (a->set != b->set)
		return a->set;
	return a->sec != b->sec ? a->sec > b->sec : a->nsec > b->nsec;
}

/* ---- reading documents -------------------------------------------------------- */

typedef struct loader {
	lading_ctx *ctx;
	vex_set *v;
	const char *name; /* the path, or "(VEX document N)" */
	bool is_file;
	size_t stmt; /* 1-based, 0 outside statements */
	const char *doc_id;
	const char *doc_when;
	vtime doc_t;
} loader;

static int bad(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(loader *l, const char *fmt, ...)
{
	char what[256], rec[48] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (l->stmt)
		snprintf(rec, sizeof(rec), "statement %zu", l->stmt);
	return ctx_fail(l->ctx, LADING_EFORMAT, "vex.bad_document",
			CTX_WHERE(.file = l->is_file ? l->name : NULL, .record = rec[0] ? rec : NULL),
			"%s: %s%s%s", l->name, rec, rec[0] ? ": " : "", what);
}

static void warn(loader *l, const char *what)
{
	if (l->v->warned++ < VEX_MAX_WARNINGS)
		ctx_log(l->ctx, LADING_LOG_WARN, "%s: statement %zu: %s", l->name, l->stmt, what);
}

/* `k` more products, subcomponents or aliases: counted before they are
 * allocated, so that a long array costs nothing before it is refused. */
static int count_entries(loader *l, size_t k)
{
	if (k <= VEX_MAX_ENTRIES && l->v->entries + k <= VEX_MAX_ENTRIES) {
		l->v->entries += k;
		return 0;
	}
	return ctx_fail(
	    l->ctx, LADING_ELIMIT, "vex.too_many_entries", CTX_WHERE(.file = l->is_file ? l->name : NULL),
	    "%s: more than %d products, subcomponents and aliases in all", l->name, VEX_MAX_ENTRIES);
}

/* obj[key] as a string copied into the set's arena: 0 with *out NULL when
 * absent, an error when present and not a string. */
static int opt_str(loader *l, json_t *obj, const char *key, const char **out)
{
	json_t *j = json_object_get(obj, key);
	*out = NULL;
	if (!j)
		return 0;
	if (!json_is_string(j))
		return bad(l, "\"%s\" is not a string", key);
	return (*out = arena_str(&l->v->a, json_string_value(j))) ? 0 : -LADING_ENOMEM;
}

static int opt_time(loader *l, json_t *obj, const char *key, const char **text, vtime *t)
{
	int rc = opt_str(l, obj, key, text);
	if (!rc && *text && !parse_time(*text, t))
		rc = bad(l, "\"%s\" is not an RFC 3339 date-time", key);
	return rc;
}

static int add_purl(loader *l, vcomp *c, const char *s)
{
	if (!s || strncmp(s, "pkg:", 4) != 0 || c->npurl >= 2)
		return 0;
	purl *p = arena_alloc(&l->v->a, sizeof(*p));
	if (!p)
		return -LADING_ENOMEM;
	if (purl_parse(p, &l->v->a, sv_cstr(s)) != 0) {
		warn(l, "a product or subcomponent purl lading cannot parse matches nothing");
		return 0;
	}
	c->purl[c->npurl++] = p;
	return 0;
}

/* A product or subcomponent: a v0.0.x string, or a v0.2.0 object. */
static int parse_comp(loader *l, json_t *j, vcomp *c, const char *what, size_t i)
{
	int rc;
	if (json_is_string(j)) {
		if (!(c->iri = arena_str(&l->v->a, json_string_value(j))))
			return -LADING_ENOMEM;
		return add_purl(l, c, c->iri);
	}
	if (!json_is_object(j))
		return bad(l, "%s %zu is neither an object nor a string", what, i + 1);
	json_t *ids = json_object_get(j, "identifiers"), *hashes = json_object_get(j, "hashes");
	if ((ids && !json_is_object(ids)) || (hashes && !json_is_object(hashes)))
		return bad(l, "%s %zu: \"identifiers\" and \"hashes\" must be objects", what, i + 1);
	const char *p = NULL;
	if ((rc = opt_str(l, j, "@id", &c->iri)) || (rc = opt_str(l, ids, "purl", &p)) ||
	    (rc = opt_str(l, hashes, "sha-256", &c->sha256)))
		return rc;
	if (!c->iri && !ids && !hashes)
		return bad(l, "%s %zu has no \"@id\", \"identifiers\" or \"hashes\"", what, i + 1);
	if ((rc = add_purl(l, c, c->iri)) == 0)
		rc = add_purl(l, c, p);
	return rc;
}

static int parse_comps(loader *l, json_t *arr, const char *key, const char *what, vcomp **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(l, "\"%s\" is not an array", key);
	size_t k = json_array_size(arr);
	int rc = count_entries(l, k);
	if (rc || !k)
		return rc;
	vcomp *c = arena_alloc(&l->v->a, k * sizeof(*c));
	if (!c)
		return -LADING_ENOMEM;
	memset(c, 0, k * sizeof(*c));
	for (size_t i = 0; i < k; i++)
		if ((rc = parse_comp(l, json_array_get(arr, i), &c[i], what, i)) != 0)
			return rc;
	*out = c;
	*n = k;
	return 0;
}

static int parse_products(loader *l, json_t *arr, vstmt *s)
{
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(l, "\"products\" is not an array");
	size_t k = json_array_size(arr);
	int rc = count_entries(l, k);
	if (rc || !k)
		return rc;
	s->prods = arena_alloc(&l->v->a, k * sizeof(*s->prods));
	if (!s->prods)
		return -LADING_ENOMEM;
	memset(s->prods, 0, k * sizeof(*s->prods));
	for (size_t i = 0; i < k; i++) {
		json_t *j = json_array_get(arr, i);
		vprod *p = &s->prods[i];
		vcomp *subs = NULL;
		rc = parse_comp(l, j, &p->c, "product", i);
		if (!rc && json_is_object(j))
			rc = parse_comps(l, json_object_get(j, "subcomponents"), "subcomponents",
					 "subcomponent", &subs, &p->nsubs);
		if (rc)
			return rc;
		p->subs = subs;
	}
	s->nprods = k;
	return 0;
}

static int parse_vuln(loader *l, json_t *j, vstmt *s)
{
	const char *name = NULL, *iri = NULL;
	json_t *aliases = NULL;
	int rc = 0;
	if (json_is_string(j)) { /* v0.0.x */
		if (!(name = arena_str(&l->v->a, json_string_value(j))))
			return -LADING_ENOMEM;
	} else if (json_is_object(j)) {
		if ((rc = opt_str(l, j, "name", &name)) || (rc = opt_str(l, j, "@id", &iri)))
			return rc;
		aliases = json_object_get(j, "aliases");
		if (aliases && !json_is_array(aliases))
			return bad(l, "\"aliases\" is not an array");
	} else {
		return bad(l, "no \"vulnerability\" (an object with a \"name\")");
	}
	if (!name || !*name)
		return bad(l, "the vulnerability has no \"name\"");
	size_t na = json_array_size(aliases);
	if ((rc = count_entries(l, na)) != 0)
		return rc;
	s->ids = arena_alloc(&l->v->a, (na + 2) * sizeof(char *));
	if (!s->ids)
		return -LADING_ENOMEM;
	s->ids[s->nids++] = name;
	if (iri && *iri)
		s->ids[s->nids++] = iri;
	for (size_t i = 0; i < na; i++) {
		json_t *a = json_array_get(aliases, i);
		if (!json_is_string(a))
			return bad(l, "alias %zu is not a string", i + 1);
		if (!(s->ids[s->nids++] = arena_str(&l->v->a, json_string_value(a))))
			return -LADING_ENOMEM;
	}
	return 0;
}

static int parse_statement(loader *l, json_t *j)
{
	if (!json_is_object(j))
		return bad(l, "not an object");
	vstmt s = {.doc_id = l->doc_id};
	int rc = parse_vuln(l, json_object_get(j, "vulnerability"), &s);
	if (rc)
		return rc;
	json_t *st = json_object_get(j, "status");
	if (!json_is_string(st) || !(s.status = status_of(json_string_value(st))))
		return bad(l, "\"status\" is not one of not_affected, affected, fixed, under_investigation");
	json_t *just = json_object_get(j, "justification");
	if (just) {
		for (size_t i = 0;
		     json_is_string(just) && i < sizeof(justifications) / sizeof(*justifications); i++)
			if (strcmp(json_string_value(just), justifications[i]) == 0)
				s.justification = justifications[i];
		if (!s.justification)
			return bad(l, "\"justification\" is not one of the five OpenVEX labels");
	}
	const char *ts = NULL, *lu = NULL;
	vtime t = {0}, u = {0};
	if ((rc = opt_str(l, j, "impact_statement", &s.impact)) ||
	    (rc = opt_str(l, j, "action_statement", &s.action)) ||
	    (rc = opt_str(l, j, "status_notes", &s.notes)) || (rc = opt_time(l, j, "timestamp", &ts, &t)) ||
	    (rc = opt_time(l, j, "last_updated", &lu, &u)))
		return rc;
	if (s.status == LADING_VEX_NOT_AFFECTED && !s.justification && !(s.impact && *s.impact))
		return bad(l, "not_affected without a \"justification\" or an \"impact_statement\"");
	s.when = lu ? lu : ts ? ts : l->doc_when;
	s.t = lu ? u : ts ? t : l->doc_t;
	vcomp *subs = NULL;
	if ((rc = parse_products(l, json_object_get(j, "products"), &s)) ||
	    (rc = parse_comps(l, json_object_get(j, "subcomponents"), "subcomponents", "subcomponent", &subs,
			      &s.nsubs)))
		return rc;
	s.subs = subs;
	/* v0.0.x: the statement's subcomponents are those of each of its products */
	for (size_t i = 0; i < s.nprods; i++)
		if (!s.prods[i].nsubs) {
			s.prods[i].subs = s.subs;
			s.prods[i].nsubs = s.nsubs;
		}
	if (!s.nprods && !s.nsubs) {
		warn(l, "no products and no subcomponents: it applies to nothing");
		return 0;
	}
	if (l->v->st.n >= VEX_MAX_STATEMENTS)
		return ctx_fail(l->ctx, LADING_ELIMIT, "vex.too_many_statements",
				CTX_WHERE(.file = l->is_file ? l->name : NULL),
				"%s: more than %d statements in all", l->name, VEX_MAX_STATEMENTS);
	return vec_push(&l->v->st, s);
}

/* The contexts lading reads: the unversioned one (v0.0.1), v0.0.x, v0.2.0. */
static int check_context(loader *l, json_t *root)
{
	const char *c = json_string_value(json_object_get(root, "@context"));
	static const char base[] = "https://openvex.dev/ns";
	if (!c || strncmp(c, base, sizeof(base) - 1) != 0)
		return ctx_fail(
		    l->ctx, LADING_EFORMAT, "vex.not_openvex", CTX_WHERE(.file = l->is_file ? l->name : NULL),
		    "%s: not an OpenVEX document (no \"@context\" of https://openvex.dev/ns)", l->name);
	c += sizeof(base) - 1;
	bool ok = !*c || strcmp(c, "/") == 0 || strcmp(c, "/v0.2.0") == 0;
	if (!ok && strncmp(c, "/v0.0.", 6) == 0 && c[6]) {
		ok = true;
		for (const char *p = c + 6; *p; p++)
			ok = ok && *p >= '0' && *p <= '9';
	}
	if (!ok)
		return ctx_fail(l->ctx, LADING_EUNSUPP, "vex.unsupported_version",
				CTX_WHERE(.file = l->is_file ? l->name : NULL),
				"%s: an OpenVEX version lading does not read (it reads v0.0.x and v0.2.0)",
				l->name);
	return 0;
}

static int load_doc(vex_set *v, lading_ctx *ctx, const char *name, bool is_file, const char *text, size_t len)
{
	loader l = {.ctx = ctx, .v = v, .name = name, .is_file = is_file};
	const char *file = is_file ? name : NULL;
	if (len > ctx->opt.max_file_size)
		return ctx_fail(ctx, LADING_ELIMIT, "limit.file_size", CTX_WHERE(.file = file),
				"%s: larger than the largest file read (%llu bytes)", name,
				(unsigned long long)ctx->opt.max_file_size);
	json_error_t e;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		char brief[160];
		bool dup = json_error_code(&e) == json_error_duplicate_key;
		return ctx_fail(ctx, LADING_EFORMAT, dup ? "vex.duplicate_key" : "vex.not_json",
				CTX_WHERE(.file = file), "%s: %s (line %d: %s)", name,
				dup ? "a duplicate key" : "not valid JSON", e.line,
				json_error_brief(brief, sizeof(brief), e.text));
	}
	int rc = json_is_object(root)
		     ? check_context(&l, root)
		     : ctx_fail(ctx, LADING_EFORMAT, "vex.not_openvex", CTX_WHERE(.file = file),
				"%s: not an OpenVEX document (not a JSON object)", name);
	if (!rc && !(rc = opt_str(&l, root, "@id", &l.doc_id)))
		rc = opt_time(&l, root, "timestamp", &l.doc_when, &l.doc_t);
	json_t *sts = json_object_get(root, "statements");
	if (!rc && !json_is_array(sts))
		rc = bad(&l, "no \"statements\" array");
	for (size_t i = 0; !rc && i < json_array_size(sts); i++) {
		l.stmt = i + 1;
		rc = parse_statement(&l, json_array_get(sts, i));
	}
	json_decref(root);
	return rc;
}

static int load_file(vex_set *v, lading_ctx *ctx, const char *path)
{
	buf b = {0};
	int rc = match_read_input(&b, ctx, path, "the VEX document", "vex.unreadable");
	if (!rc)
		rc = load_doc(v, ctx, path, true, b.p, b.n);
	buf_free(&b);
	return rc;
}

static int cmp_index(const void *x, const void *y)
{
	const vindex *a = x, *b = y;
	int c = strcmp(a->id, b->id);
	return c ? c : (a->st > b->st) - (a->st < b->st);
}

static int build_index(vex_set *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->st.n; i++)
		n += v->st.v[i].nids;
	if (!n)
		return 0;
	if (!(v->index = malloc(n * sizeof(*v->index))))
		return -LADING_ENOMEM;
	for (size_t i = 0; i < v->st.n; i++)
		for (size_t k = 0; k < v->st.v[i].nids; k++)
			v->index[v->nindex++] = (vindex){v->st.v[i].ids[k], i};
	qsort(v->index, v->nindex, sizeof(*v->index), cmp_index);
	return 0;
}

void vex_free(vex_set *v)
{
	if (!v)
		return;
	vec_free(&v->st);
	free(v->index);
	arena_free(&v->a);
	free(v);
}

int vex_load(vex_set **out, lading_ctx *ctx, const lading_filter *o)
{
	*out = NULL;
	if (!o->nvex_files && !o->nvex_docs)
		return 0;
	vex_set *v = calloc(1, sizeof(*v));
	if (!v)
		return -LADING_ENOMEM;
	int rc = 0;
	for (size_t i = 0; !rc && i < o->nvex_files; i++)
		rc = o->vex_files[i] ? load_file(v, ctx, o->vex_files[i])
				     : ctx_error(ctx, LADING_EINVAL, "filter: VEX file %zu is NULL", i + 1);
	for (size_t i = 0; !rc && i < o->nvex_docs; i++) {
		char name[48];
		snprintf(name, sizeof(name), "(VEX document %zu)", i + 1);
		const lading_vex_doc *d = &o->vex_docs[i];
		rc = d->text || !d->len
			 ? load_doc(v, ctx, name, false, d->text ? d->text : "", d->len)
			 : ctx_error(ctx, LADING_EINVAL, "filter: %s has a length but no text", name);
	}
	if (!rc)
		rc = build_index(v);
	if (rc) {
		vex_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

/* ---- matching ------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* go-vex's PurlMatches: `v` (the statement's) against `a` (ours). */
static bool purl_matches(const purl *v, const purl *a)
{
	if (!str_eq(v->type, a->type) || !str_eq(v->ns, a->ns) || !str_eq(v->name, a->name))
		return false;
	if (v->version && !str_eq(v->version, a->version))
		return false;
	for (size_t i = 0; i < v->nq; i++)
		if (!str_eq(v->q[i].value, purl_qualifier(a, v->q[i].key)))
			return false;
	return true;
}

/* 0: `c` does not name the package; 1: it does; 2: with its version. */
static int names_package(const vcomp *c, const purl *pkg)
{
	int best = 0;
	for (size_t i = 0; pkg && i < c->npurl; i++)
		if (strcmp(c->purl[i]->type, "oci") != 0 && purl_matches(c->purl[i], pkg))
			best = c->purl[i]->version ? 2 : best > 1 ? best : 1;
	return best;
}

static bool is_digest(const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return false;
	for (s += 7; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* A reference "[host/]repo[:tag][@digest]" split into repository (Docker
 * Hub's "docker.io/library/" left off, so "alpine" names it too), tag and
 * digest; the tag's ':' is the one after the last '/', not a port's. */
typedef struct refparts {
	sv repo, tag, digest;
} refparts;

static refparts split_ref(const char *s)
{
	refparts r = {sv_cstr(s), {NULL, 0}, {NULL, 0}};
	size_t at = sv_find(r.repo, '@');
	if (at != SIZE_MAX) {
		r.digest = sv_make(r.repo.p + at + 1, r.repo.n - at - 1);
		r.repo.n = at;
	}
	size_t slash = 0;
	for (size_t i = 0; i < r.repo.n; i++)
		if (r.repo.p[i] == '/')
			slash = i + 1;
	for (size_t i = slash; i < r.repo.n; i++)
		if (r.repo.p[i] == ':') {
			r.tag = sv_make(r.repo.p + i + 1, r.repo.n - i - 1);
			r.repo.n = i;
			break;
		}
	static const char *const hub[] = {"docker.io/", "index.docker.io/", "registry-1.docker.io/"};
	for (size_t i = 0; i < 3; i++)
		if (sv_starts_with(r.repo, sv_cstr(hub[i]))) {
			r.repo = sv_make(r.repo.p + strlen(hub[i]), r.repo.n - strlen(hub[i]));
			break;
		}
	if (sv_starts_with(r.repo, SV_LIT("library/")) &&
	    sv_find(sv_make(r.repo.p + 8, r.repo.n - 8), '/') == SIZE_MAX)
		r.repo = sv_make(r.repo.p + 8, r.repo.n - 8);
	return r;
}

/* An image reference naming the image: 0, 1, or 2 when it gives the digest. */
static int names_image_ref(const char *ref, const lading_findings *fs)
{
	if (!*ref || strstr(ref, "://") || strncmp(ref, "pkg:", 4) == 0)
		return 0;
	refparts r = split_ref(ref);
	if (r.digest.n && !sv_eq_cstr(r.digest, fs->image_digest ? fs->image_digest : ""))
		return 0;
	if (r.repo.n) {
		if (!fs->image_name)
			return 0;
		refparts i = split_ref(fs->image_name);
		if (!sv_eq(r.repo, i.repo) || (r.tag.n && !sv_eq(r.tag, i.tag)))
			return 0;
	} else if (!r.digest.n) {
		return 0;
	}
	return r.digest.n ? 2 : 1;
}

/* 0: `c` does not name this image; 1: it does; 2: with its digest. */
static int names_image(const vex_set *v, const vcomp *c, const lading_findings *fs)
{
	const char *dig = fs->image_digest;
	int best = 0;
	for (size_t i = 0; i < c->npurl; i++) {
		const purl *p = c->purl[i];
		if (strcmp(p->type, "oci") != 0)
			continue;
		if (v->has_img_purl ? purl_matches(p, &v->img_purl) : p->version && str_eq(p->version, dig))
			best = p->version ? 2 : best > 1 ? best : 1;
	}
	if (dig && ((c->iri && is_digest(c->iri) && strcmp(c->iri, dig) == 0) ||
		    (c->sha256 && strncmp(dig, "sha256:", 7) == 0 && strcmp(c->sha256, dig + 7) == 0)))
		return 2;
	if (c->iri && !is_digest(c->iri)) {
		int r = names_image_ref(c->iri, fs);
		best = r > best ? r : best;
	}
	return best;
}

/* Whether statement `s` applies to the finding's package: 0, 1, or 2 when
 * the identifier that matched names the installed version. */
static int applies(const vex_set *v, const vstmt *s, const lading_findings *fs, const purl *pkg)
{
	int best = 0;
	for (size_t i = 0; i < s->nprods && best < 2; i++) {
		const vprod *p = &s->prods[i];
		int m = names_image(v, &p->c, fs);
		if (m && !p->nsubs) {
			best = m > best ? m : best;
			continue;
		}
		if (m) {
			for (size_t k = 0; k < p->nsubs; k++) {
				int r = names_package(&p->subs[k], pkg);
				best = r > best ? r : best;
			}
			continue;
		}
		int r = names_package(&p->c, pkg);
		best = r > best ? r : best;
	}
	for (size_t k = 0; !s->nprods && k < s->nsubs; k++) {
		int r = names_package(&s->subs[k], pkg);
		best = r > best ? r : best;
	}
	return best;
}

/* The first index entry for `id`, or nindex. */
static size_t lower_bound(const vex_set *v, const char *id)
{
	size_t lo = 0, hi = v->nindex;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->index[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int vex_decide(vex_set *v, lading_findings *fs, lading_finding *f, bool *suppress)
{
	*suppress = false;
	if (v->img_of != fs) {
		v->img_of = fs;
		v->has_img_purl =
		    fs->image_purl && purl_parse(&v->img_purl, &v->a, sv_cstr(fs->image_purl)) == 0;
	}
	const vstmt *best = NULL;
	int best_m = 0;
	size_t best_i = 0;
	purl pkg;
	arena tmp = {0};
	bool pkg_parsed = false, has_pkg = false;
	for (size_t k = 0; k <= f->naliases; k++) {
		const char *id = k == 0 ? f->vuln_id : f->aliases[k - 1];
		if (!id)
			continue;
		for (size_t j = lower_bound(v, id); j < v->nindex && strcmp(v->index[j].id, id) == 0; j++) {
			size_t si = v->index[j].st;
			const vstmt *s = &v->st.v[si];
			/* the latest wins; equal times: the one read last */
			if (best && (later(&best->t, &s->t) || (!later(&s->t, &best->t) && best_i >= si)))
				continue;
			if (!pkg_parsed) {
				pkg_parsed = true;
				has_pkg = f->purl && purl_parse(&pkg, &tmp, sv_cstr(f->purl)) == 0;
			}
			int m = applies(v, s, fs, has_pkg ? &pkg : NULL);
			if (m) {
				best = s;
				best_m = m;
				best_i = si;
			}
		}
	}
	int rc = 0;
	if (best) {
		arena *a = &fs->a;
		f->vex_status = best->status;
		f->vex_justification = best->justification;
		const char **dst[] = {&f->vex_impact_statement, &f->vex_action_statement,
				      &f->vex_status_notes, &f->vex_timestamp, &f->vex_document};
		const char *src[] = {best->impact, best->action, best->notes, best->when, best->doc_id};
		for (size_t i = 0; i < 5 && !rc; i++)
			if ((*dst[i] = src[i]) && !(*dst[i] = arena_str(a, src[i])))
				rc = -LADING_ENOMEM;
		*suppress = best->status == LADING_VEX_NOT_AFFECTED ||
			    (best->status == LADING_VEX_FIXED && best_m == 2);
	}
	arena_free(&tmp);
	return rc;
}
