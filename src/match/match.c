/* The matcher: for each package, the advisories of its namespace and name,
 * decided with the comparator of its version scheme.
 *
 * Rules (what keeps false positives out):
 *   - Distro packages are looked up by their source package in the distro's
 *     namespace, and only distro rows decide them. NVD never does.
 *   - The installed version compared for dpkg is the source version (the
 *     tracker's fixed versions are source versions; a binNMU "+b1" of the
 *     fixed source is fixed).
 *   - Rows about the same vulnerability (by id or alias) are merged. If any
 *     distro row says "not affected", or "fixed at or below the installed
 *     version", the vulnerability is not reported: a distro that says it
 *     shipped the fix is believed. OSV rows are OR'ed instead: any affected
 *     entry of any advisory of the group makes the version affected, as the
 *     OSV spec says, and the fixed version is the lowest fix above the
 *     installed one over all of them.
 *   - A version the scheme cannot parse is never guessed about: the row is
 *     skipped with a warning.
 *   - OSV rows are decided from their ranges (introduced/fixed/last_affected
 *     events, compared with the ecosystem's scheme) and explicit versions.
 *   - Programs and libraries found by a binary classifier (LADING_PKG_BINARY,
 *     never a distro package) are the only packages NVD decides
 *     (match_nvd): their CPE's vendor:product selects the namespace "nvd"
 *     rows, a vulnerable criteria applies when the installed version is
 *     inside its versionStart/End bounds, or, without bounds, equals the
 *     criteria's version (a criteria version "*" without bounds means every
 *     version, as NVD writes it). Versions are compared with the generic
 *     upstream comparator (src/version/generic.c); an incomparable bound
 *     skips the row with a warning. Rows are OR'ed like OSV rows; the
 *     fixed version is a versionEndExcluding above the installed one. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "ctx.h"
#include "inventory.h"
#include "lading/match.h"
#include "match/match_priv.h"
#include "purl.h"
#include "version/version.h"
#include "vulndb/vulndb.h"


const char *lading_severity_name(lading_severity s)
{
	static const char *const n[] = {"unknown", "negligible", "low", "medium", "high", "critical"};
	return (unsigned)s < 6 ? n[s] : "unknown";
}

int lading_severity_parse(lading_severity *out, const char *name)
{
	for (int i = 0; name && i < 6; i++)
		if (strcasecmp(name, lading_severity_name((lading_severity)i)) == 0) {
			*out = (lading_severity)i;
			return 0;
		}
	/* Debian's "unimportant" is the lowest severity */
	if (name && strcasecmp(name, "unimportant") == 0) {
		*out = LADING_SEV_NEGLIGIBLE;
		return 0;
	}
	return -LADING_EINVAL;
}

const char *lading_vuln_status_name(lading_vuln_status s)
{
	switch (s) {
	case LADING_VULN_FIXED: return "fixed";
	case LADING_VULN_UNFIXED: return "unfixed";
	case LADING_VULN_WONTFIX: return "will-not-fix";
	case LADING_VULN_DEFERRED: return "deferred";
	}
	return "unknown";
}

static int cmp_finding(const void *x, const void *y);

int findings_new(lading_findings **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -LADING_ENOMEM;
}

static const char *const *dup_strv(arena *a, const char *const *v, size_t n)
{
	if (!n)
		return NULL;
	const char **d = arena_alloc(a, n * sizeof(char *));
	for (size_t i = 0; d && i < n; i++)
		if (!(d[i] = arena_str(a, v[i])))
			return NULL;
	return d;
}

int findings_add(lading_findings *fs, const lading_finding *f)
{
	arena *a = &fs->a;
	lading_finding q = *f;
	const char **s[] = {&q.package_name,	 &q.vuln_id,
			    &q.installed,	 &q.fixed,
			    &q.severity_source,	 &q.cvss_vector,
			    &q.namespace,	 &q.matched_name,
			    &q.source,		 &q.summary,
			    &q.published,	 &q.purl,
			    &q.vex_justification, &q.vex_impact_statement,
			    &q.vex_action_statement, &q.vex_status_notes,
			    &q.vex_timestamp,	 &q.vex_document};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (*s[i] && !(*s[i] = arena_str(a, *s[i])))
			return -LADING_ENOMEM;
	q.aliases = dup_strv(a, f->aliases, f->naliases);
	q.urls = dup_strv(a, f->urls, f->nurls);
	if ((f->naliases && !q.aliases) || (f->nurls && !q.urls))
		return -LADING_ENOMEM;
	return vec_push(&fs->v, q);
}

void findings_sort(lading_findings *fs)
{
	if (fs->v.n)
		qsort(fs->v.v, fs->v.n, sizeof(*fs->v.v), cmp_finding);
}

void lading_findings_free(lading_findings *f)
{
	if (!f)
		return;
	vec_free(&f->v);
	vec_free(&f->vex);
	arena_free(&f->a);
	free(f);
}
size_t lading_findings_count(const lading_findings *f) { return f->v.n; }
const lading_finding *lading_findings_get(const lading_findings *f, size_t i)
{
	return i < f->v.n ? &f->v.v[i] : NULL;
}
const char *lading_findings_os_namespace(const lading_findings *f) { return f->os_ns; }
int lading_findings_os_has_data(const lading_findings *f) { return f->os_has_data; }

/* ---- namespaces -------------------------------------------------------------- */

/* The distro namespace for the inventory's OS, written into out. */
static bool os_namespace(const lading_os *os, char *out, size_t cap)
{
	if (!os || !os->id)
		return false;
	const char *id = os->id, *v = os->version_id;
	if (strcmp(id, "debian") == 0) {
		const char *num = v ? v : vdb_debian_release(os->codename);
		if (!num)
			return false;
		snprintf(out, cap, "debian:%.*s", (int)strcspn(num, "."), num);
		return true;
	}
	if (strcmp(id, "ubuntu") == 0 && v) {
		snprintf(out, cap, "ubuntu:%s", v);
		return true;
	}
	if (strcmp(id, "alpine") == 0 && v) {
		/* 3.20.3 -> 3.20; development snapshots (3.21.0_alpha…) are edge */
		if (strchr(v, '_')) {
			snprintf(out, cap, "alpine:edge");
			return true;
		}
		size_t n = strcspn(v, ".");
		if (v[n] == '.')
			n += 1 + strcspn(v + n + 1, ".");
		snprintf(out, cap, "alpine:%.*s", (int)n, v);
		return true;
	}
	return false;
}

/* How each package type is looked up: the namespace of its advisories
 * (distro packages: the OS's, given by os_namespace) and its version scheme. */
static const struct ecosystem {
	lading_pkg_type type;
	const char *ns; /* NULL: the distro namespace */
	lading_vscheme scheme;
} ecosystems[] = {
	{LADING_PKG_DPKG, NULL, LADING_VS_DPKG},        {LADING_PKG_APK, NULL, LADING_VS_APK},
	{LADING_PKG_RPM, NULL, LADING_VS_RPM},          {LADING_PKG_NPM, "npm", LADING_VS_SEMVER},
	{LADING_PKG_PYPI, "pypi", LADING_VS_PEP440},    {LADING_PKG_GEM, "rubygems", LADING_VS_GEM},
	{LADING_PKG_GOLANG, "go", LADING_VS_GO},        {LADING_PKG_CARGO, "crates.io", LADING_VS_SEMVER},
	{LADING_PKG_MAVEN, "maven", LADING_VS_MAVEN},   {LADING_PKG_NUGET, "nuget", LADING_VS_SEMVER},
	{LADING_PKG_COMPOSER, "packagist", LADING_VS_COMPOSER},
};

static const struct ecosystem *ecosystem_of(lading_pkg_type t)
{
	for (size_t i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++)
		if (ecosystems[i].type == t)
			return &ecosystems[i];
	return NULL;
}

/* The name advisories use: the source package for distros; PEP 503 for
 * PyPI; "group:artifact" for Maven; the full "@scope/name" for npm; the
 * module path for Go. Written into `out`. */
static const char *lookup_name(const lading_package *p, buf *out)
{
	out->n = 0;
	if (lading_pkg_type_is_os(p->type))
		return p->source_name ? p->source_name : p->name;
	int rc = 0;
	if (p->namespace_ && *p->namespace_)
		rc = buf_printf(out, "%s%s", p->namespace_,
				p->type == LADING_PKG_MAVEN ? ":" : "/");
	if (rc)
		return NULL;
	if (p->type == LADING_PKG_PYPI) {
		rc = pep503_normalize(out, p->name);
	} else {
		rc = buf_puts(out, p->name);
	}
	return rc ? NULL : out->p;
}

/* ---- candidates ------------------------------------------------------------------ */

/* One row's verdict about one vulnerability for one package. */
typedef struct cand {
	int64_t adv;
	const char *vuln_id;
	VEC(const char *) ids; /* vuln_id + aliases */
	int verdict;           /* VERDICT_* */
	bool osv;              /* decided by OSV ranges: "not affected" here never hides another row */
	lading_vuln_status status;
	const char *fixed;
	const char *row_sev;   /* the distro's own severity */
	const char *ns, *source, *summary, *published;
	int group;             /* union-find parent */
} cand;

enum { VERDICT_VULN = 1, VERDICT_SAFE = 2 };

typedef struct matcher {
	lading_ctx *ctx;
	lading_inventory *inv;
	sqlite3 *db;
	sqlite3_stmt *q_rows, *q_alias, *q_sev, *q_refs;
	lading_findings *out;
	arena *a;
	VEC(cand) c;
	size_t warned;
} matcher;

static void m_warn(matcher *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void m_warn(matcher *m, const char *fmt, ...)
{
	if (m->warned++ > 200)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx_log(m->ctx, LADING_LOG_WARN, "%s", msg);
}

static const char *col(matcher *m, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? arena_str(m->a, (const char *)t) : NULL;
}

static int vcmp(lading_vscheme s, const char *a, const char *b, int *out)
{
	return lading_version_cmp(out, s, a, strlen(a), b, strlen(b));
}

/* OSV range evaluation. Events are sorted by version ("0" first), then the
 * last event at or below the installed version decides, per the OSV spec.
 * Returns 1 affected, 0 not, -1 undecidable. Sets *fixed to the first fixed
 * event above the installed version. */
typedef struct ev {
	const char *kind, *ver;
} ev;



static int osv_range(matcher *m, lading_vscheme s, const char *inst, json_t *range, const char **fixed)
{
	const char *type = json_string_value(json_object_get(range, "type"));
	if (type && strcmp(type, "GIT") == 0)
		return 0; /* commit ranges say nothing about released versions */
	if (!type)
		return -1;
	json_t *events = json_object_get(range, "events");
	size_t n = json_array_size(events), i;
	if (n == 0 || n > 4096)
		return -1;
	ev *e = calloc(n, sizeof(*e));
	if (!e)
		return -1;
	size_t k = 0;
	json_t *it;
	json_array_foreach(events, i, it)
	{
		const char *kinds[] = {"introduced", "fixed", "last_affected", "limit"};
		for (int j = 0; j < 4; j++) {
			const char *v = json_string_value(json_object_get(it, kinds[j]));
			if (v) {
				e[k].kind = kinds[j];
				e[k].ver = v;
				k++;
				break;
			}
		}
	}
	/* Insertion sort by version with the scheme's comparator (n is small);
	 * introduced "0" sorts first. An unparseable version makes it undecidable. */
	int res = 0;
	for (size_t x = 1; x < k && res == 0; x++) {
		ev cur = e[x];
		size_t y = x;
		while (y > 0) {
			int c;
			if (strcmp(cur.ver, "0") == 0)
				c = -1;
			else if (strcmp(e[y - 1].ver, "0") == 0)
				c = 1;
			else if (vcmp(s, e[y - 1].ver, cur.ver, &c)) {
				res = -1;
				break;
			} else
				c = -c;
			if (c >= 0)
				break;
			e[y] = e[y - 1];
			y--;
		}
		e[y] = cur;
	}
	bool affected = false;
	for (size_t x = 0; x < k && res == 0; x++) {
		int c = 0;
		if (strcmp(e[x].ver, "0") == 0)
			c = 1; /* installed > "0" */
		else if (vcmp(s, inst, e[x].ver, &c)) {
			res = -1;
			break;
		}
		if (strcmp(e[x].kind, "introduced") == 0) {
			if (c >= 0)
				affected = true;
		} else if (strcmp(e[x].kind, "fixed") == 0 || strcmp(e[x].kind, "limit") == 0) {
			if (c >= 0)
				affected = false;
			else if (!*fixed && strcmp(e[x].kind, "fixed") == 0 && affected)
				*fixed = e[x].ver;
		} else if (strcmp(e[x].kind, "last_affected") == 0) {
			if (c > 0)
				affected = false;
		}
	}
	(void)m;
	free(e);
	if (res)
		return -1;
	if (!affected)
		*fixed = NULL;
	return affected ? 1 : 0;
}

static int osv_verdict(matcher *m, lading_vscheme s, const char *inst, const char *ranges, const char *versions,
		       const char **fixed)
{
	int result = 0;
	*fixed = NULL;
	if (versions) {
		json_t *vs = json_loads(versions, 0, NULL);
		size_t i;
		json_t *v;
		json_array_foreach(vs, i, v)
		{
			if (json_string_value(v) && strcmp(json_string_value(v), inst) == 0)
				result = 1;
		}
		json_decref(vs);
	}
	/* Ranges are read even when `versions` lists the installed version:
	 * they are where the fixed version comes from. */
	bool listed = result == 1;
	if (ranges) {
		json_t *rs = json_loads(ranges, 0, NULL);
		size_t i;
		json_t *r;
		bool undecided = false;
		json_array_foreach(rs, i, r)
		{
			const char *f = NULL;
			int v = osv_range(m, s, inst, r, &f);
			if (v == 1) {
				result = 1;
				int c;
				/* the lowest fix above the installed version, over all ranges */
				if (f && (!*fixed || (vcmp(s, f, *fixed, &c) == 0 && c < 0)))
					*fixed = arena_str(m->a, f);
			} else if (v < 0) {
				undecided = true;
			}
		}
		json_decref(rs);
		if (result == 0 && undecided && !listed)
			result = -1;
	}
	return result;
}

static int add_ids(matcher *m, cand *c)
{
	int rc = vec_push(&c->ids, c->vuln_id);
	sqlite3_bind_int64(m->q_alias, 1, c->adv);
	while (!rc && sqlite3_step(m->q_alias) == SQLITE_ROW) {
		const char *a = col(m, m->q_alias, 0);
		if (a)
			rc = vec_push(&c->ids, a);
	}
	sqlite3_reset(m->q_alias);
	return rc;
}

static int find(cand *v, int i)
{
	while (v[i].group != i) {
		v[i].group = v[v[i].group].group;
		i = v[i].group;
	}
	return i;
}

static bool share_id(const cand *a, const cand *b)
{
	for (size_t i = 0; i < a->ids.n; i++)
		for (size_t j = 0; j < b->ids.n; j++)
			if (strcmp(a->ids.v[i], b->ids.v[j]) == 0)
				return true;
	return false;
}

static lading_severity sev_of(const char *s)
{
	lading_severity v = LADING_SEV_UNKNOWN;
	if (s)
		lading_severity_parse(&v, s);
	return v;
}

/* Best advisory-level severity for a set of ids: NVD first, then any CVSS,
 * then whatever a feed said. */
static void advisory_severity(matcher *m, lading_finding *f, const char *const *ids, size_t nids)
{
	int best_rank = -1;
	for (size_t i = 0; i < nids; i++) {
		sqlite3_bind_text(m->q_sev, 1, ids[i], -1, SQLITE_STATIC);
		while (sqlite3_step(m->q_sev) == SQLITE_ROW) {
			const char *origin = (const char *)sqlite3_column_text(m->q_sev, 0);
			const char *type = (const char *)sqlite3_column_text(m->q_sev, 1);
			int rank = origin && strcasestr(origin, "nvd") ? 3
				   : type && strncmp(type, "CVSS", 4) == 0 ? 2
									 : 1;
			if (rank <= best_rank)
				continue;
			lading_severity s = sev_of((const char *)sqlite3_column_text(m->q_sev, 4));
			if (s == LADING_SEV_UNKNOWN && sqlite3_column_type(m->q_sev, 3) == SQLITE_NULL)
				continue;
			best_rank = rank;
			if (f->severity == LADING_SEV_UNKNOWN || !f->severity_source ||
			    strcmp(f->severity_source, "distro") != 0) {
				f->severity = s;
				f->severity_source = col(m, m->q_sev, 0);
			}
			f->cvss_vector = col(m, m->q_sev, 2);
			f->cvss_score = sqlite3_column_type(m->q_sev, 3) == SQLITE_NULL
						? -1
						: sqlite3_column_double(m->q_sev, 3);
		}
		sqlite3_reset(m->q_sev);
	}
}

/* Up to 10 reference URLs of the advisories behind a finding, first seen first. */
static int collect_urls(matcher *m, lading_finding *f, const char *const *ids, size_t nids)
{
	enum { MAX_URLS = 10 };
	const char **urls = arena_alloc(m->a, MAX_URLS * sizeof(char *));
	if (!urls)
		return -LADING_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < nids && n < MAX_URLS; i++) {
		sqlite3_bind_text(m->q_refs, 1, ids[i], -1, SQLITE_STATIC);
		while (n < MAX_URLS && sqlite3_step(m->q_refs) == SQLITE_ROW) {
			const char *u = (const char *)sqlite3_column_text(m->q_refs, 0);
			bool dup = !u;
			for (size_t k = 0; k < n && !dup; k++)
				dup = strcmp(urls[k], u) == 0;
			if (!dup && !(urls[n++] = arena_str(m->a, u)))
				return -LADING_ENOMEM;
		}
		sqlite3_reset(m->q_refs);
	}
	f->urls = urls;
	f->nurls = n;
	return 0;
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Merges the candidates of one package into findings. */
static int emit(matcher *m, size_t pkg_index, const lading_package *p, const char *name, const char *installed,
		lading_vscheme s)
{
	cand *v = m->c.v;
	size_t n = m->c.n;
	for (size_t i = 0; i < n; i++)
		v[i].group = (int)i;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (find(v, (int)i) != find(v, (int)j) && share_id(&v[i], &v[j]))
				v[find(v, (int)j)].group = find(v, (int)i);
	for (size_t g = 0; g < n; g++) {
		if (find(v, (int)g) != (int)g)
			continue;
		bool safe = false, vuln = false;
		lading_finding f = {.package = pkg_index,
				    .package_name = p->name,
				    .purl = p->purl,
				    .matched_name = name,
				    .installed = installed,
				    .cvss_score = -1};
		VEC(const char *) ids = {0};
		for (size_t i = 0; i < n; i++) {
			if (find(v, (int)i) != (int)g)
				continue;
			cand *c = &v[i];
			/* A distro saying "fixed at or below the installed version" or
			 * "not affected" is believed over any other row. An OSV entry
			 * that does not cover the version says nothing about the other
			 * entries and advisories that do (OSV: any matching entry
			 * makes the version affected). */
			if (c->verdict == VERDICT_SAFE && !c->osv)
				safe = true;
			if (c->verdict != VERDICT_VULN)
				continue;
			if (!vuln || (c->status == LADING_VULN_FIXED && f.status != LADING_VULN_FIXED)) {
				f.status = c->status;
				f.namespace = c->ns;
				f.source = c->source;
			}
			vuln = true;
			/* the lowest fixed version that is above the installed one */
			int cmp;
			if (c->fixed && (!f.fixed || (vcmp(s, c->fixed, f.fixed, &cmp) == 0 && cmp < 0)))
				f.fixed = c->fixed;
			lading_severity rs = sev_of(c->row_sev);
			if (rs != LADING_SEV_UNKNOWN && f.severity == LADING_SEV_UNKNOWN) {
				f.severity = rs;
				f.severity_source = c->source;
			}
			if (!f.summary)
				f.summary = c->summary;
			if (!f.published)
				f.published = c->published;
			for (size_t k = 0; k < c->ids.n; k++) {
				bool dup = false;
				for (size_t q = 0; q < ids.n && !dup; q++)
					dup = strcmp(ids.v[q], c->ids.v[k]) == 0;
				if (!dup && vec_push(&ids, c->ids.v[k])) {
					vec_free(&ids);
					return -LADING_ENOMEM;
				}
			}
		}
		if (!vuln || safe) {
			vec_free(&ids);
			continue;
		}
		if (f.status == LADING_VULN_FIXED && !f.fixed)
			f.status = LADING_VULN_UNFIXED;
		/* primary id: the first CVE, else the lowest id */
		qsort(ids.v, ids.n, sizeof(char *), cmp_cstr);
		size_t prim = 0;
		for (size_t k = 0; k < ids.n; k++)
			if (strncmp(ids.v[k], "CVE-", 4) == 0) {
				prim = k;
				break;
			}
		f.vuln_id = ids.v[prim];
		const char **al = arena_alloc(m->a, (ids.n ? ids.n : 1) * sizeof(char *));
		if (!al) {
			vec_free(&ids);
			return -LADING_ENOMEM;
		}
		for (size_t k = 0, j = 0; k < ids.n; k++)
			if (k != prim)
				al[j++] = ids.v[k];
		f.aliases = al;
		f.naliases = ids.n - 1;
		lading_severity distro = f.severity;
		const char *distro_src = f.severity_source;
		advisory_severity(m, &f, ids.v, ids.n);
		if (distro != LADING_SEV_UNKNOWN) { /* the distro's own rating wins */
			f.severity = distro;
			f.severity_source = distro_src;
		}
		if (collect_urls(m, &f, ids.v, ids.n)) {
			vec_free(&ids);
			return -LADING_ENOMEM;
		}
		vec_free(&ids);
		if (vec_push(&m->out->v, f))
			return -LADING_ENOMEM;
	}
	return 0;
}

static void clear_cands(matcher *m)
{
	for (size_t i = 0; i < m->c.n; i++)
		vec_free(&m->c.v[i].ids);
	m->c.n = 0;
}

/* ---- NVD CPE matching for classified binaries ------------------------------ */

/* Splits a CPE 2.3 formatted string at unescaped ':' into up to 13 fields
 * (escapes kept). Returns the number of fields. */
static int cpe_fields(const char *c, sv *f, int max)
{
	int n = 0;
	const char *st = c;
	for (const char *p = c;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == ':' || !*p) {
			if (n < max)
				f[n++] = sv_make(st, (size_t)(p - st));
			if (!*p)
				break;
			st = p + 1;
		}
	}
	return n;
}

/* One criteria's verdict: 1 affected, 0 not, -1 undecidable. */
static int nvd_verdict(const char *inst, json_t *o, const char **fixed)
{
	const char *crit = json_string_value(json_object_get(o, "criteria"));
	sv f[13];
	if (!crit || cpe_fields(crit, f, 13) < 6 || !json_is_true(json_object_get(o, "vulnerable")))
		return -1;
	static const char *const keys[] = {"versionStartIncluding", "versionStartExcluding",
					   "versionEndIncluding", "versionEndExcluding"};
	bool bounded = false;
	sv in = sv_cstr(inst);
	for (int k = 0; k < 4; k++) {
		const char *b = json_string_value(json_object_get(o, keys[k]));
		if (!b)
			continue;
		bounded = true;
		int c;
		if (vcmp_generic(&c, in, sv_cstr(b)) != 0)
			return -1;
		bool ok = k == 0 ? c >= 0 : k == 1 ? c > 0 : k == 2 ? c <= 0 : c < 0;
		if (!ok)
			return 0;
		if (k == 3)
			*fixed = b;
	}
	if (bounded)
		return 1;
	sv v = f[5];
	if (sv_eq_cstr(v, "*"))
		return 1;
	if (sv_eq_cstr(v, "-") || !v.n)
		return 0;
	int c;
	if (vcmp_generic(&c, in, v) == 0)
		return c == 0;
	return v.n == in.n && strncasecmp(v.p, in.p, v.n) == 0;
}

static int match_nvd(matcher *m, size_t idx, const lading_package *p)
{
	sv f[13];
	if (!p->cpe || !p->version || cpe_fields(p->cpe, f, 13) < 5 || !sv_eq_cstr(f[2], "a"))
		return 0;
	char *name = arena_strndup(m->a, f[3].p, f[3].n + 1 + f[4].n);
	if (!name)
		return -LADING_ENOMEM;
	/* the import stores "vendor:product" with CPE escapes removed */
	size_t w = 0;
	for (size_t r = 0; name[r]; r++) {
		if (name[r] == '\\' && name[r + 1])
			r++;
		name[w++] = name[r];
	}
	name[w] = 0;
	static const char sql[] =
	    "SELECT a.id, a.vuln_id, af.cpe, s.type, a.summary, a.published FROM affected af JOIN advisories "
	    "a"
	    " ON a.id = af.advisory_id JOIN sources s ON s.id = a.source_id WHERE af.namespace = 'nvd' AND"
	    " af.package = ? AND a.withdrawn IS NULL";
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(m->db, sql, -1, &q, NULL) != SQLITE_OK)
		return ctx_error(m->ctx, LADING_EIO, "vulnerability database: %s", sqlite3_errmsg(m->db));
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int rc = 0;
	while (!rc && sqlite3_step(q) == SQLITE_ROW) {
		cand c = {0};
		c.adv = sqlite3_column_int64(q, 0);
		c.vuln_id = col(m, q, 1);
		const char *cpe = (const char *)sqlite3_column_text(q, 2);
		c.source = col(m, q, 3);
		c.summary = col(m, q, 4);
		c.published = col(m, q, 5);
		c.ns = "nvd";
		json_t *o = cpe ? json_loads(cpe, 0, NULL) : NULL;
		const char *fixed = NULL;
		int v = o && c.vuln_id ? nvd_verdict(p->version, o, &fixed) : -1;
		if (v >= 0 && fixed && !(fixed = arena_str(m->a, fixed)))
			rc = -LADING_ENOMEM;
		json_decref(o);
		if (v < 0) {
			m_warn(m, "%s %s: cannot evaluate the NVD criteria of %s; skipped", p->name,
			       p->version, c.vuln_id ? c.vuln_id : "?");
			continue;
		}
		c.verdict = v ? VERDICT_VULN : VERDICT_SAFE;
		c.status = fixed ? LADING_VULN_FIXED : LADING_VULN_UNFIXED;
		c.fixed = fixed;
		c.osv = true; /* OR'ed: one criteria that does not cover the version hides no other */
		if (!rc && ((rc = add_ids(m, &c)) != 0 || (rc = vec_push(&m->c, c)) != 0))
			vec_free(&c.ids);
	}
	sqlite3_finalize(q);
	if (!rc)
		rc = emit(m, idx, p, name, p->version, LADING_VS_GENERIC);
	clear_cands(m);
	return rc;
}

static int match_package(matcher *m, size_t idx, const lading_package *p, const char *os_ns)
{
	if (p->type == LADING_PKG_BINARY)
		return match_nvd(m, idx, p);
	const struct ecosystem *eco = ecosystem_of(p->type);
	if (!eco || !eco->scheme || (!eco->ns && !os_ns))
		return 0; /* no comparator, or a distro package of an unknown OS */
	lading_vscheme s = eco->scheme;
	const char *ns = eco->ns ? eco->ns : os_ns;
	buf namebuf = {0};
	const char *name = lookup_name(p, &namebuf);
	const char *inst = p->type == LADING_PKG_DPKG && p->source_version ? p->source_version : p->version;
	if (!name || !inst) {
		buf_free(&namebuf);
		return name ? 0 : -LADING_ENOMEM;
	}
	name = arena_str(m->a, name);
	buf_free(&namebuf);
	if (!name)
		return -LADING_ENOMEM;
	sqlite3_stmt *q = m->q_rows;
	sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	int rc = 0;
	while (!rc && sqlite3_step(q) == SQLITE_ROW) {
		cand c = {0};
		c.adv = sqlite3_column_int64(q, 0);
		c.vuln_id = col(m, q, 1);
		const char *status = (const char *)sqlite3_column_text(q, 2);
		const char *fixed = (const char *)sqlite3_column_text(q, 3);
		c.row_sev = col(m, q, 4);
		const char *ranges = (const char *)sqlite3_column_text(q, 5);
		const char *versions = (const char *)sqlite3_column_text(q, 6);
		c.source = col(m, q, 7);
		c.summary = col(m, q, 8);
		c.published = col(m, q, 9);
		c.ns = arena_str(m->a, ns);
		if (!status || !c.vuln_id)
			continue;
		if (strcmp(status, VDB_NOT_AFFECTED) == 0) {
			c.verdict = VERDICT_SAFE;
		} else if (strcmp(status, VDB_FIXED) == 0) {
			int cmp;
			if (!fixed || vcmp(s, inst, fixed, &cmp) != 0) {
				m_warn(m, "%s %s: cannot compare with fixed version \"%s\" of %s; skipped", p->name, inst,
				       fixed ? fixed : "", c.vuln_id);
				continue;
			}
			c.verdict = cmp < 0 ? VERDICT_VULN : VERDICT_SAFE;
			c.status = LADING_VULN_FIXED;
			c.fixed = arena_str(m->a, fixed);
		} else if (strcmp(status, VDB_UNFIXED) == 0 || strcmp(status, VDB_WONTFIX) == 0 ||
			   strcmp(status, VDB_DEFERRED) == 0) {
			c.verdict = VERDICT_VULN;
			c.status = strcmp(status, VDB_UNFIXED) == 0 ? LADING_VULN_UNFIXED
				   : strcmp(status, VDB_WONTFIX) == 0 ? LADING_VULN_WONTFIX
								      : LADING_VULN_DEFERRED;
		} else if (strcmp(status, VDB_AFFECTED) == 0) {
			const char *f = NULL;
			int v = osv_verdict(m, s, inst, ranges, versions, &f);
			if (v < 0) {
				m_warn(m, "%s %s: cannot evaluate the ranges of %s; skipped", p->name, inst, c.vuln_id);
				continue;
			}
			c.verdict = v ? VERDICT_VULN : VERDICT_SAFE;
			c.status = f ? LADING_VULN_FIXED : LADING_VULN_UNFIXED;
			c.fixed = f;
			c.osv = true;
		} else {
			continue;
		}
		if ((rc = add_ids(m, &c)) != 0 || (rc = vec_push(&m->c, c)) != 0)
			vec_free(&c.ids);
	}
	sqlite3_reset(q);
	if (!rc)
		rc = emit(m, idx, p, name, inst, s);
	clear_cands(m);
	return rc;
}

static int cmp_finding(const void *x, const void *y)
{
	const lading_finding *a = x, *b = y;
	if (a->package != b->package)
		return a->package < b->package ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp(a->vuln_id, b->vuln_id);
}

int lading_match(lading_findings **out, lading_ctx *ctx, const lading_inventory *inv, lading_vulndb *db)
{
	ctx_begin(ctx);
	*out = NULL;
	lading_findings *f = NULL;
	int rc = findings_new(&f);
	if (rc)
		return rc;
	matcher m = {.ctx = ctx, .inv = (lading_inventory *)inv, .db = vdb_handle(db), .out = f, .a = &f->a};
	/* one literal per statement: clang warns about concatenation inside an array */
	static const char q_rows[] =
		"SELECT a.id, a.vuln_id, af.status, af.fixed, af.severity, af.ranges, af.versions, s.type, a.summary,"
		" a.published FROM affected af JOIN advisories a ON a.id = af.advisory_id JOIN sources s ON"
		" s.id = a.source_id WHERE af.namespace = ? AND af.package = ? AND a.withdrawn IS NULL";
	static const char q_alias[] = "SELECT alias FROM aliases WHERE advisory_id = ?";
	static const char q_sev[] =
		"SELECT sv.origin, sv.type, sv.vector, sv.score, sv.severity FROM severities sv JOIN advisories a ON"
		" a.id = sv.advisory_id WHERE a.vuln_id = ?";
	static const char q_refs[] =
		"SELECT r.url FROM refs r JOIN advisories a ON a.id = r.advisory_id WHERE a.vuln_id = ?";
	const char *const sql[] = {q_rows, q_alias, q_sev, q_refs};
	sqlite3_stmt **st[] = {&m.q_rows, &m.q_alias, &m.q_sev, &m.q_refs};
	for (size_t i = 0; i < 4 && !rc; i++)
		if (sqlite3_prepare_v2(m.db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			rc = ctx_error(ctx, LADING_EIO, "vulnerability database: %s", sqlite3_errmsg(m.db));
	/* what VEX products are matched against (lading_findings_filter) */
	const lading_image_info *img = lading_inventory_image(inv);
	f->image_purl = purl_image(&f->a, img, false);
	f->image_digest = arena_str(&f->a, img->manifest_digest);
	f->image_name = arena_str(&f->a, img->name);
	char ns[128];
	const lading_os *os = lading_inventory_os(inv);
	bool have_ns = os_namespace(os, ns, sizeof(ns));
	if (have_ns) {
		f->os_ns = arena_str(&f->a, ns);
		sqlite3_stmt *q = NULL;
		if (sqlite3_prepare_v2(m.db, "SELECT 1 FROM affected WHERE namespace = ? LIMIT 1", -1, &q, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
			f->os_has_data = sqlite3_step(q) == SQLITE_ROW;
		}
		sqlite3_finalize(q);
	}
	for (size_t i = 0; !rc && i < lading_inventory_npackages(inv); i++)
		if ((rc = ctx_check(ctx)) == 0)
			rc = match_package(&m, i, lading_inventory_package(inv, i), have_ns ? ns : NULL);
	for (size_t i = 0; i < 4; i++)
		sqlite3_finalize(*st[i]);
	clear_cands(&m);
	vec_free(&m.c);
	if (rc) {
		lading_findings_free(f);
		return rc;
	}
	findings_sort(f);
	*out = f;
	return 0;
}
