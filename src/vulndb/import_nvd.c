/* Importer for NVD CVE API 2.0 JSON: an API response or a yearly
 * nvdcve-2.0-<year>.json(.gz) file, both {…, "vulnerabilities": [{"cve":
 * {…}}]}; or a directory of such files (*.json, *.json.gz). Gzip is read
 * through zlib's gz* API, which passes plain files through unchanged.
 *
 * One advisory per CVE: the English description, published, lastModified,
 * withdrawn (= lastModified) for vulnStatus "Rejected", every CVSS metric
 * (v4.0, v3.1, v3.0, v2) as a severity scored by the metric's `source`, and
 * the references. Every vulnerable cpeMatch of the configurations becomes a
 * row in namespace "nvd", package "<vendor>:<product>", status affected, and
 * `cpe` = {criteria, version bounds, vulnerable} as compact JSON. The AND/OR
 * node structure is flattened: non-vulnerable matches (the platform a product
 * runs on) give no row. These rows serve the binary classifiers only; NVD's
 * ranges ignore distro backports.
 *
 * A yearly file is tens of MB; the "vulnerabilities" array is walked with a
 * byte scanner and each element parsed alone, so a truncated file still
 * yields the records before the damage. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

enum { MAX_DEPTH = 3, MAX_FILES = 10000, MAX_ROWS = 100000 };

/* ---- one CVE ----------------------------------------------------------------- */

static bool token_ok(const char *s, size_t max)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if ((unsigned char)s[n] <= ' ' || (unsigned char)s[n] >= 0x7f || n >= max)
			return false;
	return n > 0;
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static const char *severity_name(const char *s)
{
	static const char *const map[][2] = {
		{"NONE", VDB_SEV_NEGLIGIBLE}, {"LOW", VDB_SEV_LOW},           {"MEDIUM", VDB_SEV_MEDIUM},
		{"HIGH", VDB_SEV_HIGH},       {"CRITICAL", VDB_SEV_CRITICAL},
	};
	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(s, map[i][0]) == 0)
			return map[i][1];
	return NULL; /* derived from the score */
}

static const char *ref_type(json_t *tags)
{
	size_t i;
	json_t *t;
	const char *type = "WEB";
	json_array_foreach(tags, i, t)
	{
		const char *s = json_string_value(t);
		if (!s)
			continue;
		if (strcmp(s, "Patch") == 0)
			return "FIX";
		if (strcmp(s, "Vendor Advisory") == 0 || strcmp(s, "Third Party Advisory") == 0)
			type = "ADVISORY";
	}
	return type;
}

/* "cpe:2.3:a:vendor:product:…" -> "vendor:product" (CPE escapes removed);
 * false if the criteria is not a CPE 2.3 name. */
static bool cpe_package(const char *c, char *out, size_t cap)
{
	if (strncmp(c, "cpe:2.3:", 8) != 0 || !c[8] || c[9] != ':')
		return false;
	c += 10;
	size_t n = 0;
	for (int field = 0; field < 2; field++) {
		if (field && n + 1 < cap)
			out[n++] = ':';
		size_t start = n;
		for (; *c && *c != ':'; c++) {
			if (*c == '\\' && c[1])
				c++;
			if (n + 1 >= cap)
				return false;
			out[n++] = *c;
		}
		if (n == start || (n - start == 1 && (out[start] == '*' || out[start] == '-')))
			return false;
		if (field == 0 && *c != ':')
			return false;
		if (*c)
			c++;
	}
	out[n] = 0;
	return true;
}

typedef VEC(char *) strvec;

static void strvec_free(strvec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	vec_free(v);
}

/* Writes the row of one cpeMatch if it is vulnerable and not a repeat. */
static int match_row(vdb_writer *w, const char *id, json_t *m, strvec *seen, int64_t adv)
{
	if (!json_is_object(m) || !json_is_true(json_object_get(m, "vulnerable")))
		return 0;
	const char *crit = str(m, "criteria");
	char pkg[512];
	if (!crit || !token_ok(crit, 1024) || !cpe_package(crit, pkg, sizeof(pkg))) {
		vdb_skip(w, "%s: cpeMatch without a usable CPE 2.3 criteria", id);
		return 0;
	}
	static const char *const bounds[] = {"versionStartIncluding", "versionStartExcluding", "versionEndIncluding",
					     "versionEndExcluding"};
	json_t *o = json_object();
	int rc = o ? json_object_set_new(o, "criteria", json_string(crit)) : -1;
	for (size_t i = 0; !rc && i < 4; i++) {
		const char *b = str(m, bounds[i]);
		if (b)
			rc = json_object_set_new(o, bounds[i], json_string(b));
	}
	if (!rc)
		rc = json_object_set_new(o, "vulnerable", json_true());
	char *cpe = rc ? NULL : json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!cpe)
		return -LADING_ENOMEM;
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], cpe) == 0) {
			free(cpe);
			return 0; /* the same match under another node */
		}
	if (seen->n >= MAX_ROWS) {
		free(cpe);
		vdb_skip(w, "%s: more than %d CPE matches; the rest is ignored", id, MAX_ROWS);
		return 0;
	}
	if (vec_push(seen, cpe)) {
		free(cpe);
		return -LADING_ENOMEM;
	}
	vdb_affected af = {.ns = "nvd", .package = pkg, .status = VDB_AFFECTED, .cpe = cpe};
	return vdb_put_affected(w, adv, &af);
}

static int put_cve(vdb_writer *w, json_t *item, size_t index)
{
	json_t *cve = json_object_get(item, "cve");
	const char *id = str(cve, "id");
	if (!json_is_object(cve) || !token_ok(id, 100)) {
		vdb_skip(w, "vulnerabilities[%zu]: no cve object with an id", index);
		return 0;
	}
	VEC(vdb_severity) sev = {0};
	VEC(vdb_ref) refs = {0};
	strvec seen = {0};
	int rc = 0;
	vdb_advisory a = {.vuln_id = id, .published = str(cve, "published"), .modified = str(cve, "lastModified")};
	const char *vs = str(cve, "vulnStatus");
	if (vs && strcmp(vs, "Rejected") == 0)
		a.withdrawn = a.modified ? a.modified : a.published;
	size_t i, j;
	json_t *e, *f;
	json_array_foreach(json_object_get(cve, "descriptions"), i, e)
	{
		const char *lang = str(e, "lang");
		if (lang && strcmp(lang, "en") == 0 && str(e, "value")) {
			a.summary = str(e, "value");
			break;
		}
	}
	static const char *const metrics[][2] = {
		{"cvssMetricV40", "CVSS_V4"}, {"cvssMetricV31", "CVSS_V3"},
		{"cvssMetricV30", "CVSS_V3"}, {"cvssMetricV2", "CVSS_V2"},
	};
	json_t *mets = json_object_get(cve, "metrics");
	for (size_t k = 0; !rc && k < sizeof(metrics) / sizeof(metrics[0]); k++) {
		json_array_foreach(json_object_get(mets, metrics[k][0]), i, e)
		{
			json_t *d = json_object_get(e, "cvssData");
			json_t *score = json_object_get(d, "baseScore");
			/* v2 keeps baseSeverity beside cvssData, v3/v4 inside */
			const char *bs = str(d, "baseSeverity") ? str(d, "baseSeverity") : str(e, "baseSeverity");
			vdb_severity s = {str(e, "source") ? str(e, "source") : "nvd", metrics[k][1],
					  str(d, "vectorString"), json_is_number(score) ? json_number_value(score) : -1,
					  severity_name(bs)};
			if (!json_is_object(d) || (s.score < 0 && !s.vector)) {
				vdb_skip(w, "%s: %s[%zu]: no cvssData", id, metrics[k][0], i);
				continue;
			}
			if (s.score > 10)
				s.score = -1;
			if ((rc = vec_push(&sev, s)) != 0)
				break;
		}
	}
	json_array_foreach(json_object_get(cve, "references"), i, e)
	{
		vdb_ref r = {ref_type(json_object_get(e, "tags")), str(e, "url")};
		if (rc || !r.url)
			continue;
		rc = vec_push(&refs, r);
	}
	a.sev = sev.v;
	a.nsev = sev.n;
	a.refs = refs.v;
	a.nrefs = refs.n;
	int64_t adv = 0;
	if (!rc)
		rc = vdb_put_advisory(w, &adv, &a);
	json_array_foreach(json_object_get(cve, "configurations"), i, e)
	{
		json_array_foreach(json_object_get(e, "nodes"), j, f)
		{
			size_t k;
			json_t *m;
			json_array_foreach(json_object_get(f, "cpeMatch"), k, m)
			{
				if (!rc)
					rc = match_row(w, id, m, &seen, adv);
			}
		}
	}
	vec_free(&sev);
	vec_free(&refs);
	strvec_free(&seen);
	return rc;
}

/* ---- reading ----------------------------------------------------------------- */

static int read_gz(vdb_writer *w, const char *path, buf *out)
{
	lading_ctx *ctx = vdb_ctx(w);
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return ctx_error(ctx, LADING_EIO, "%s: cannot open", path);
	out->max = (size_t)ctx->opt.max_file_size;
	char tmp[65536];
	int rc = 0;
	for (;;) {
		int n = gzread(gz, tmp, sizeof(tmp));
		if (n < 0) {
			int e;
			const char *msg = gzerror(gz, &e);
			/* a cut-off stream still gave us its first part; import that */
			vdb_skip(w, "%s: %s; importing what was read", path, msg ? msg : "read error");
			break;
		}
		if (n == 0)
			break;
		if ((rc = buf_append(out, tmp, (size_t)n)) != 0) {
			if (rc == -LADING_ELIMIT)
				rc = ctx_error(ctx, LADING_ELIMIT, "%s: larger than the file size limit", path);
			break;
		}
	}
	gzclose(gz);
	if (!rc && !out->p)
		rc = buf_reserve(out, 0);
	return rc;
}

static int import_text(vdb_writer *w, sv s, const char *label)
{
	size_t i = vdb_json_skip_ws(s, 0);
	if (i >= s.n || s.p[i] != '{') {
		vdb_skip(w, "%snot a JSON object", label);
		return 0;
	}
	i = vdb_json_skip_ws(s, i + 1);
	bool found = false;
	while (i < s.n && s.p[i] != '}') {
		size_t ke = s.p[i] == '"' ? vdb_json_skip_str(s, i) : 0;
		size_t c = ke ? vdb_json_skip_ws(s, ke) : 0;
		size_t vs = c && c < s.n && s.p[c] == ':' ? vdb_json_skip_ws(s, c + 1) : 0;
		if (!vs || vs >= s.n)
			break;
		if (sv_eq_cstr(sv_make(s.p + i, ke - i), "\"vulnerabilities\"") && s.p[vs] == '[') {
			found = true;
			size_t k = vdb_json_skip_ws(s, vs + 1), index = 0;
			while (k < s.n && s.p[k] != ']') {
				size_t e = vdb_json_skip_value(s, k);
				if (!e) {
					vdb_skip(w, "%svulnerabilities[%zu]: truncated; the rest is ignored", label,
						 index);
					return 0;
				}
				json_error_t err;
				json_t *item = json_loadb(s.p + k, e - k, 0, &err);
				int rc = 0;
				char brief[160];
				if (!json_is_object(item))
					vdb_skip(w, "%svulnerabilities[%zu]: %s", label, index,
						 item ? "not an object" : json_error_brief(brief, sizeof(brief), err.text));
				else
					rc = put_cve(w, item, index);
				json_decref(item);
				if (rc)
					return rc;
				index++;
				k = vdb_json_skip_ws(s, e);
				if (k < s.n && s.p[k] == ',')
					k = vdb_json_skip_ws(s, k + 1);
				else if (k >= s.n || s.p[k] != ']') {
					vdb_skip(w, "%soffset %zu: expected ',' or ']'; the rest is ignored", label, k);
					return 0;
				}
			}
			return 0;
		}
		size_t ve = vdb_json_skip_value(s, vs);
		if (!ve)
			break;
		i = vdb_json_skip_ws(s, ve);
		if (i < s.n && s.p[i] == ',')
			i = vdb_json_skip_ws(s, i + 1);
	}
	if (!found)
		vdb_skip(w, "%sno complete \"vulnerabilities\" array", label);
	return 0;
}

static int import_file(vdb_writer *w, const char *path, const char *label)
{
	buf b = {0};
	int rc = read_gz(w, path, &b);
	if (!rc)
		rc = import_text(w, sv_make(b.p, b.n), label);
	buf_free(&b);
	return rc;
}

static int walk_cb(vdb_writer *w, const char *path, const char *rel, void *arg)
{
	(void)arg;
	sv name = sv_cstr(rel);
	if (!sv_ends_with(name, SV_LIT(".json")) && !sv_ends_with(name, SV_LIT(".json.gz")))
		return 0;
	char label[4200];
	snprintf(label, sizeof(label), "%s: ", rel);
	return import_file(w, path, label);
}

static int import(vdb_writer *w, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return vdb_walk_bounded(w, path, MAX_DEPTH, MAX_FILES, walk_cb, NULL);
	return import_file(w, path, ""); /* messages already name the input */
}

/* The API's "format": "NVD_CVE", or a "vulnerabilities" array whose items
 * hold "cve" objects with NVD's "sourceIdentifier"/"vulnStatus". A gzip file
 * is inflated as far as the head goes. */
static bool sniff(const char *name, sv head)
{
	(void)name;
	unsigned char out[16384];
	if (head.n >= 2 && (unsigned char)head.p[0] == 0x1f && (unsigned char)head.p[1] == 0x8b) {
		z_stream z = {0};
		if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
			return false;
		z.next_in = (unsigned char *)(uintptr_t)head.p;
		z.avail_in = (uInt)head.n;
		z.next_out = out;
		z.avail_out = sizeof(out);
		inflate(&z, Z_SYNC_FLUSH);
		size_t n = sizeof(out) - z.avail_out;
		inflateEnd(&z);
		head = sv_make(out, n);
	}
	size_t i = vdb_json_skip_ws(head, 0);
	if (i >= head.n || head.p[i] != '{')
		return false;
	if (sv_find_sv(head, SV_LIT("\"NVD_CVE\"")) != SIZE_MAX)
		return true;
	return sv_find_sv(head, SV_LIT("\"vulnerabilities\"")) != SIZE_MAX &&
	       sv_find_sv(head, SV_LIT("\"cve\"")) != SIZE_MAX &&
	       (sv_find_sv(head, SV_LIT("\"sourceIdentifier\"")) != SIZE_MAX ||
		sv_find_sv(head, SV_LIT("\"vulnStatus\"")) != SIZE_MAX);
}

const vdb_importer vdb_importer_nvd = {LADING_FEED_NVD, sniff, import};
