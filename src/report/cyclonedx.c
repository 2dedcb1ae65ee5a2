/* CycloneDX 1.6 JSON. The image is metadata.component (type "container"),
 * the OS an "operating-system" component, every package a flat "library"
 * component whose bom-ref is the package id; one dependency entry says the
 * image depends on all of them. Facts CycloneDX has no field for (db path,
 * layer, rpm epoch, ...) go into "lading:*" properties, only when set.
 * Licenses are written as {"license":{"name":…}}: package databases hold free
 * text ("GPLv2+", "BSD-3-Clause AND MIT"), and a name is valid for any text
 * where an "id" or "expression" would have to be checked against the SPDX
 * list first.
 *
 * Scan results are the same document plus "vulnerabilities": one entry per
 * finding (a package and a vulnerability), so that each carries its own
 * installed version, fix and status; its "affects" names the package's
 * component by bom-ref. */
#include <stdio.h>

#include "report/writers.h"

/* Appends {"name":key,"value":val} to props when val is set. */
static void prop(rp_json_b *b, json_t *props, const char *key, const char *val)
{
	if (!val)
		return;
	json_t *o = json_object();
	rp_set(b, o, "name", json_string(key));
	rp_set(b, o, "value", rp_jstr(b, val));
	rp_push(b, props, o);
}

/* Sets obj.properties = props, or drops props when empty (the schema allows
 * an empty array, but an absent one says the same with less noise). */
static void set_props(rp_json_b *b, json_t *obj, json_t *props)
{
	if (props && json_array_size(props) == 0)
		json_decref(props);
	else
		rp_set(b, obj, "properties", props);
}

static json_t *image_component(rp_json_b *b, const lading_inventory *inv, const char *ref, arena *a)
{
	const lading_image_info *img = lading_inventory_image(inv);
	json_t *c = json_object();
	rp_set(b, c, "type", json_string("container"));
	rp_set(b, c, "bom-ref", rp_jstr(b, ref));
	rp_set(b, c, "name", rp_jstr(b, rp_image_name(img)));
	rp_set_str(b, c, "version", img->manifest_digest);
	const char *ipurl = purl_image(a, img, true);
	if (ipurl)
		rp_set(b, c, "purl", rp_jstr(b, ipurl));
	json_t *props = json_array();
	prop(b, props, "lading:image:target", img->target);
	prop(b, props, "lading:image:source_kind", img->source_kind);
	prop(b, props, "lading:image:config_digest", img->config_digest);
	prop(b, props, "lading:image:os", img->os);
	prop(b, props, "lading:image:architecture", img->architecture);
	prop(b, props, "lading:image:variant", img->variant);
	for (size_t i = 0; i < img->ntags; i++)
		prop(b, props, "lading:image:tag", img->tags[i]);
	size_t nl = lading_inventory_nlayers(inv);
	for (size_t i = 0; i < nl && !b->oom; i++) {
		const lading_layer *l = lading_inventory_layer(inv, i);
		char key[64];
		snprintf(key, sizeof(key), "lading:layer:%d:diff_id", l->index);
		prop(b, props, key, l->diff_id);
		snprintf(key, sizeof(key), "lading:layer:%d:digest", l->index);
		prop(b, props, key, l->digest);
	}
	set_props(b, c, props);
	return c;
}

static json_t *os_component(rp_json_b *b, const lading_os *os, const char *ref)
{
	json_t *c = json_object();
	rp_set(b, c, "type", json_string("operating-system"));
	rp_set(b, c, "bom-ref", rp_jstr(b, ref));
	rp_set(b, c, "name", rp_jstr(b, os->id ? os->id : "unknown"));
	const char *ver = os->version ? os->version : os->version_id ? os->version_id : os->codename;
	rp_set_str(b, c, "version", ver);
	rp_set_str(b, c, "description", os->pretty_name);
	json_t *props = json_array();
	prop(b, props, "lading:os:version_id", os->version_id);
	prop(b, props, "lading:os:codename", os->codename);
	prop(b, props, "lading:os:id_like", os->id_like);
	set_props(b, c, props);
	return c;
}

static json_t *pkg_component(rp_json_b *b, const lading_inventory *inv, const lading_package *p,
			     const char *ref)
{
	json_t *c = json_object();
	rp_set(b, c, "type", json_string("library"));
	rp_set(b, c, "bom-ref", rp_jstr(b, ref));
	rp_set_str(b, c, "publisher", p->maintainer);
	rp_set(b, c, "name", rp_jstr(b, p->name ? p->name : ""));
	rp_set_str(b, c, "version", p->version);
	if (p->license && *p->license) {
		json_t *lic = json_object(), *wrap = json_object(), *arr = json_array();
		rp_set(b, lic, "name", rp_jstr(b, p->license));
		rp_set(b, wrap, "license", lic);
		rp_push(b, arr, wrap);
		rp_set(b, c, "licenses", arr);
	}
	rp_set_str(b, c, "cpe", p->cpe);
	rp_set_str(b, c, "purl", p->purl);
	json_t *props = json_array();
	prop(b, props, "lading:package:type", lading_pkg_type_name(p->type));
	prop(b, props, "lading:package:found_by", p->found_by);
	prop(b, props, "lading:package:namespace", p->namespace_);
	if (p->declared)
		prop(b, props, "lading:package:declared", "true");
	prop(b, props, "lading:package:arch", p->arch);
	prop(b, props, "lading:package:source_name", p->source_name);
	prop(b, props, "lading:package:source_version", p->source_version);
	prop(b, props, "lading:package:db_path", p->db_path);
	const lading_layer *l = rp_layer_of(inv, p->layer);
	if (l) {
		char idx[24];
		snprintf(idx, sizeof(idx), "%d", p->layer);
		prop(b, props, "lading:layer:index", idx);
		prop(b, props, "lading:layer:diff_id", l->diff_id);
	}
	prop(b, props, "lading:rpm:epoch", p->epoch);
	prop(b, props, "lading:rpm:source_rpm", p->source_rpm);
	prop(b, props, "lading:rpm:modularity_label", p->modularity_label);
	set_props(b, c, props);
	return c;
}

/* File integrity, when it ran: the counts as metadata properties; each
 * modified or missing file as a "lading:integrity:<kind>" property (value: the
 * path) on its package's component; each unpackaged executable as a "file"
 * component with its SHA-256 (and, when a cataloger identified it, a
 * "lading:integrity:identified_as" property naming that package's bom-ref). */
static void cdx_integrity(rp_json_b *b, rp_ids *ids, const lading_inventory *inv, json_t *meta, json_t *comps,
			  size_t first_pkg, const char *const *refs)
{
	const lading_integrity_summary *s = lading_inventory_integrity(inv);
	if (!s)
		return;
	json_t *mp = json_array();
	const struct {
		const char *k;
		uint64_t v;
	} counts[] = {{"files_checked", s->files_checked}, {"files_unverifiable", s->files_unverifiable},
		      {"modified", s->modified},	   {"modified_config", s->modified_config},
		      {"missing", s->missing},		   {"unpackaged", s->unpackaged},
		      {"files_excluded", s->files_excluded}};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char key[64], val[24];
		snprintf(key, sizeof(key), "lading:integrity:%s", counts[i].k);
		snprintf(val, sizeof(val), "%llu", (unsigned long long)counts[i].v);
		prop(b, mp, key, val);
	}
	rp_set(b, meta, "properties", mp);
	size_t nf = lading_inventory_nfile_findings(inv);
	for (size_t i = 0; i < nf && !b->oom; i++) {
		const lading_file_finding *f = lading_inventory_file_finding(inv, i);
		char key[64];
		snprintf(key, sizeof(key), "lading:integrity:%s", lading_file_finding_kind_name(f->kind));
		if (f->kind != LADING_FILE_UNPACKAGED) {
			json_t *pc = f->package >= 0 ? json_array_get(comps, first_pkg + (size_t)f->package) : NULL;
			if (!pc)
				continue;
			json_t *props = json_object_get(pc, "properties");
			if (!props) {
				props = json_array();
				rp_set(b, pc, "properties", props);
			}
			prop(b, props, key, f->path);
			continue;
		}
		char want[4200];
		snprintf(want, sizeof(want), "file:%s", f->path);
		const char *ref = rp_ids_claim(ids, want);
		if (!ref) {
			b->oom = true;
			break;
		}
		json_t *c = json_object(), *props = json_array(), *hashes = json_array(), *h = json_object();
		rp_set(b, c, "type", json_string("file"));
		rp_set(b, c, "bom-ref", rp_jstr(b, ref));
		rp_set(b, c, "name", rp_jstr(b, f->path));
		if (f->actual && strncmp(f->actual, "sha256:", 7) == 0) {
			rp_set(b, h, "alg", json_string("SHA-256"));
			rp_set(b, h, "content", rp_jstr(b, f->actual + 7));
			rp_push(b, hashes, h);
			rp_set(b, c, "hashes", hashes);
		} else {
			json_decref(h);
			json_decref(hashes);
		}
		prop(b, props, key, "true");
		if (f->elf)
			prop(b, props, "lading:file:elf", "true");
		const lading_layer *l = rp_layer_of(inv, f->layer);
		if (l) {
			char idx[24];
			snprintf(idx, sizeof(idx), "%d", f->layer);
			prop(b, props, "lading:layer:index", idx);
			prop(b, props, "lading:layer:diff_id", l->diff_id);
		}
		if (f->package >= 0 && refs)
			prop(b, props, "lading:integrity:identified_as", refs[f->package]);
		set_props(b, c, props);
		rp_push(b, comps, c);
	}
}

/* A document under construction: the SBOM part is built by cdx_build, the
 * scan variant then appends to `root` and both end in cdx_finish. */
typedef struct cdx_doc {
	rp_json_b b;
	rp_ids ids;
	arena a;
	json_t *root;
	const char **refs; /* the bom-ref of each package, by inventory index */
} cdx_doc;

static void cdx_build(cdx_doc *d, const lading_inventory *inv, const rp_meta *m)
{
	rp_json_b *b = &d->b;
	char serial[64];
	snprintf(serial, sizeof(serial), "urn:uuid:%s", m->serial);

	json_t *root = d->root = json_object();
	rp_set(b, root, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
	rp_set(b, root, "bomFormat", json_string("CycloneDX"));
	rp_set(b, root, "specVersion", json_string("1.6"));
	rp_set(b, root, "serialNumber", json_string(serial));
	rp_set(b, root, "version", json_integer(1));

	/* The image and OS claim their refs first so that a package id that
	 * happens to equal them is the one that gets a suffix. */
	const char *img_ref = rp_ids_claim(&d->ids, "image");
	const lading_os *os = lading_inventory_os(inv);
	const char *os_ref = os ? rp_ids_claim(&d->ids, "os") : NULL;
	if (!img_ref || (os && !os_ref))
		b->oom = true;

	json_t *meta = json_object();
	rp_set(b, meta, "timestamp", json_string(m->timestamp));
	json_t *tools = json_object(), *tcomps = json_array(), *tool = json_object();
	rp_set(b, tool, "type", json_string("application"));
	rp_set(b, tool, "name", json_string("lading"));
	rp_set(b, tool, "version", json_string(LADING_VERSION));
	rp_push(b, tcomps, tool);
	rp_set(b, tools, "components", tcomps);
	rp_set(b, meta, "tools", tools);
	if (!b->oom)
		rp_set(b, meta, "component", image_component(b, inv, img_ref, &d->a));
	rp_set(b, root, "metadata", meta);

	json_t *comps = json_array(), *deps_on = json_array();
	if (os && !b->oom) {
		rp_push(b, comps, os_component(b, os, os_ref));
		rp_push(b, deps_on, rp_jstr(b, os_ref));
	}
	size_t np = lading_inventory_npackages(inv);
	d->refs = np ? arena_alloc(&d->a, np * sizeof(*d->refs)) : NULL;
	if (np && !d->refs)
		b->oom = true;
	for (size_t i = 0; i < np && !b->oom; i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		/* bom-ref needs at least one character */
		const char *ref = rp_ids_claim(&d->ids, p->id && *p->id ? p->id : "package");
		if (!ref) {
			b->oom = true;
			break;
		}
		d->refs[i] = ref;
		rp_push(b, comps, pkg_component(b, inv, p, ref));
		rp_push(b, deps_on, rp_jstr(b, ref));
	}
	if (!b->oom)
		cdx_integrity(b, &d->ids, inv, meta, comps, os ? 1 : 0, d->refs);
	rp_set(b, root, "components", comps);

	json_t *deps = json_array(), *dep = json_object();
	rp_set(b, dep, "ref", rp_jstr(b, img_ref));
	rp_set(b, dep, "dependsOn", deps_on);
	rp_push(b, deps, dep);
	rp_set(b, root, "dependencies", deps);
}

static int cdx_finish(buf *out, cdx_doc *d)
{
	int rc = d->b.oom ? -LADING_ENOMEM : rp_dump(out, d->root);
	json_decref(d->root);
	buf_free(&d->b.tmp);
	rp_ids_free(&d->ids);
	arena_free(&d->a);
	return rc;
}

int rp_cyclonedx(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	cdx_doc d = {0};
	cdx_build(&d, inv, m);
	return cdx_finish(out, &d);
}

/* ---- vulnerabilities ------------------------------------------------------- */

/* CycloneDX 1.6 severities: "negligible" (Debian's "unimportant") is the
 * schema's "info", a finding that needs no action. */
static const char *cdx_severity(lading_severity s)
{
	switch (s) {
	case LADING_SEV_CRITICAL:
		return "critical";
	case LADING_SEV_HIGH:
		return "high";
	case LADING_SEV_MEDIUM:
		return "medium";
	case LADING_SEV_LOW:
		return "low";
	case LADING_SEV_NEGLIGIBLE:
		return "info";
	default:
		return "unknown";
	}
}

/* The scoring method named by a CVSS vector's prefix. A v2 vector has none
 * and starts with its first metric. */
static const char *cvss_method(const char *vec)
{
	if (strncmp(vec, "CVSS:3.1/", 9) == 0)
		return "CVSSv31";
	if (strncmp(vec, "CVSS:3.0/", 9) == 0)
		return "CVSSv3";
	if (strncmp(vec, "CVSS:4.0/", 9) == 0)
		return "CVSSv4";
	if (strncmp(vec, "AV:", 3) == 0 || strncmp(vec, "(AV:", 4) == 0)
		return "CVSSv2";
	return "other";
}

/* Who publishes an alias, from its prefix; else the finding's own feed. */
static const char *alias_source(const char *id, const char *fallback)
{
	static const struct {
		const char *prefix, *name;
	} known[] = {{"CVE-", "NVD"},	      {"GHSA-", "GitHub Advisories"},
		     {"DSA-", "debian"},      {"DLA-", "debian"},
		     {"GO-", "Go"},	      {"PYSEC-", "PyPI"},
		     {"RUSTSEC-", "RustSec"}, {"RHSA-", "redhat"},
		     {"USN-", "ubuntu"},      {"ALAS", "amazon"}};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strncmp(id, known[i].prefix, strlen(known[i].prefix)) == 0)
			return known[i].name;
	return fallback && *fallback ? fallback : "unknown";
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The schema's "date-time" is RFC 3339's, time and offset included; feeds
 * give a date, a date-time, or anything. Writes a valid form to out[32] or
 * returns false. */
static bool rfc3339(char out[32], const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1] || (mon == 2 && day == 29 && !leap))
		return false;
	if (n == 10) {
		snprintf(out, 32, "%.10sT00:00:00Z", s);
		return true;
	}
	/* "YYYY-MM-DDThh:mm:ss" then an optional fraction, then Z or +hh:mm */
	if (n < 20 || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0'),
	    ss = (s[17] - '0') * 10 + (s[18] - '0');
	if (hh > 23 || mm > 59 || ss > 59)
		return false;
	size_t i = 19;
	if (s[i] == '.') {
		size_t f = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f)
			return false;
	}
	const char *z = s + i;
	bool utc = strcmp(z, "Z") == 0 || strcmp(z, "z") == 0;
	bool ok = utc || (strlen(z) == 6 && (z[0] == '+' || z[0] == '-') && digits(z + 1, 2) && z[3] == ':' &&
			  digits(z + 4, 2) && (z[1] - '0') * 10 + (z[2] - '0') <= 23 &&
			  (z[4] - '0') * 10 + (z[5] - '0') <= 59);
	if (!ok)
		return false;
	/* Upper case T and Z, the form every reader accepts; a fraction too
	 * long for the buffer is dropped (no advisory date needs more than
	 * seconds). */
	if (n >= 32)
		snprintf(out, 32, "%.19s%s", s, utc ? "Z" : z);
	else
		memcpy(out, s, n + 1);
	out[10] = 'T';
	if (utc)
		out[strlen(out) - 1] = 'Z';
	return true;
}

/* OpenVEX's justification labels as CycloneDX's (the CISA mapping); NULL
 * for anything else. */
static const char *cdx_justification(const char *j)
{
	static const char *const map[][2] = {
		{"component_not_present", "code_not_present"},
		{"vulnerable_code_not_present", "code_not_present"},
		{"vulnerable_code_not_in_execute_path", "code_not_reachable"},
		{"vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"},
		{"inline_mitigations_already_exist", "protected_by_mitigating_control"},
	};
	for (size_t i = 0; j && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(j, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* The vulnerability's "analysis" from its VEX statement, or NULL. */
static json_t *vex_analysis(rp_json_b *b, const lading_finding *f)
{
	static const char *const state[] = {
		[LADING_VEX_NOT_AFFECTED] = "not_affected",
		[LADING_VEX_AFFECTED] = "exploitable",
		[LADING_VEX_FIXED] = "resolved",
		[LADING_VEX_UNDER_INVESTIGATION] = "in_triage",
	};
	if (!lading_vex_status_name(f->vex_status))
		return NULL;
	json_t *an = json_object();
	rp_set(b, an, "state", json_string(state[f->vex_status]));
	if (f->vex_status == LADING_VEX_NOT_AFFECTED)
		rp_set_str(b, an, "justification", cdx_justification(f->vex_justification));
	/* affected, and the feed knows the fix: the response is to upgrade */
	if (f->vex_status == LADING_VEX_AFFECTED && f->status == LADING_VULN_FIXED && f->fixed) {
		json_t *resp = json_array();
		rp_push(b, resp, json_string("update"));
		rp_set(b, an, "response", resp);
	}
	buf t = {0};
	const char *parts[] = {f->vex_impact_statement, f->vex_action_statement, f->vex_status_notes};
	for (size_t i = 0; i < 3; i++)
		if (parts[i] && *parts[i] && ((t.n && buf_putc(&t, '\n')) || buf_puts(&t, parts[i])))
			b->oom = true;
	if (t.n)
		rp_set(b, an, "detail", rp_jstr(b, t.p));
	buf_free(&t);
	char ts[32];
	if (rfc3339(ts, f->vex_timestamp))
		rp_set(b, an, "lastUpdated", json_string(ts));
	return an;
}

static json_t *vuln_obj(cdx_doc *d, const lading_inventory *inv, const lading_finding *f, bool vexed)
{
	rp_json_b *b = &d->b;
	const lading_package *p = lading_inventory_package(inv, f->package);
	const char *id = f->vuln_id && *f->vuln_id ? f->vuln_id : "unknown";
	const char *pref = d->refs[f->package];
	buf want = {0};
	const char *ref = NULL;
	if (buf_printf(&want, "vuln:%s:%s", id, pref) == 0)
		ref = rp_ids_claim(&d->ids, want.p);
	buf_free(&want);
	if (!ref) {
		b->oom = true;
		return NULL;
	}
	const char *uri = rp_first_uri(f);
	const char *feed = f->source && *f->source ? f->source : f->namespace;

	json_t *v = json_object();
	rp_set(b, v, "bom-ref", rp_jstr(b, ref));
	rp_set(b, v, "id", rp_jstr(b, id));
	json_t *src = json_object();
	rp_set_str(b, src, "name", feed);
	rp_set_str(b, src, "url", uri);
	rp_set(b, v, "source", src);

	if (f->naliases) {
		json_t *refs = json_array();
		for (size_t i = 0; i < f->naliases && !b->oom; i++) {
			if (!f->aliases[i])
				continue;
			json_t *r = json_object(), *rs = json_object();
			rp_set(b, r, "id", rp_jstr(b, f->aliases[i]));
			rp_set(b, rs, "name", rp_jstr(b, alias_source(f->aliases[i], feed)));
			rp_set(b, r, "source", rs);
			rp_push(b, refs, r);
		}
		rp_set(b, v, "references", refs);
	}

	json_t *ratings = json_array(), *rating = json_object();
	if (f->severity_source && *f->severity_source) {
		json_t *rsrc = json_object();
		rp_set(b, rsrc, "name", rp_jstr(b, f->severity_source));
		rp_set(b, rating, "source", rsrc);
	}
	double score = rp_cvss(f->cvss_score);
	if (score >= 0)
		rp_set(b, rating, "score", json_real(score));
	rp_set(b, rating, "severity", json_string(cdx_severity(f->severity)));
	if (f->cvss_vector && *f->cvss_vector) {
		rp_set(b, rating, "method", json_string(cvss_method(f->cvss_vector)));
		rp_set(b, rating, "vector", rp_jstr(b, f->cvss_vector));
	}
	rp_push(b, ratings, rating);
	rp_set(b, v, "ratings", ratings);

	rp_set_str(b, v, "description", f->summary);
	if (!vexed && f->status == LADING_VULN_FIXED && f->fixed && *f->fixed) {
		json_t *rec = NULL;
		buf t = {0};
		if (buf_puts(&t, "Upgrade to ") == 0 && buf_puts(&t, f->fixed) == 0)
			rec = rp_jstr(b, t.p);
		else
			b->oom = true;
		buf_free(&t);
		rp_set(b, v, "recommendation", rec);
	}
	json_t *adv = json_array();
	for (size_t i = 0; i < f->nurls && !b->oom; i++) {
		if (!rp_is_uri(f->urls[i]))
			continue;
		json_t *a = json_object();
		rp_set(b, a, "url", rp_jstr(b, f->urls[i]));
		rp_push(b, adv, a);
	}
	if (adv && json_array_size(adv) == 0)
		json_decref(adv);
	else
		rp_set(b, v, "advisories", adv);
	char ts[32];
	if (rfc3339(ts, f->published))
		rp_set(b, v, "published", json_string(ts));
	json_t *an = vex_analysis(b, f);
	if (an)
		rp_set(b, v, "analysis", an);

	json_t *affects = json_array(), *aff = json_object();
	rp_set(b, aff, "ref", rp_jstr(b, pref));
	const char *inst = f->installed ? f->installed : p->version;
	/* the schema caps a version at 1024 characters; bytes bound them */
	if (inst && *inst && strlen(inst) <= 1024) {
		json_t *vers = json_array(), *ver = json_object();
		rp_set(b, ver, "version", rp_jstr(b, inst));
		rp_set(b, ver, "status", json_string(vexed ? "unaffected" : "affected"));
		rp_push(b, vers, ver);
		rp_set(b, aff, "versions", vers);
	}
	rp_push(b, affects, aff);
	rp_set(b, v, "affects", affects);

	json_t *props = json_array();
	prop(b, props, "lading:finding:status", lading_vuln_status_name(f->status));
	prop(b, props, "lading:finding:fixed", f->fixed);
	prop(b, props, "lading:finding:namespace", f->namespace);
	prop(b, props, "lading:finding:matched_name", f->matched_name);
	prop(b, props, "lading:finding:severity", lading_severity_name(f->severity));
	prop(b, props, "lading:vex:status", lading_vex_status_name(f->vex_status));
	prop(b, props, "lading:vex:justification", f->vex_justification);
	prop(b, props, "lading:vex:document", f->vex_document);
	set_props(b, v, props);
	return v;
}

int rp_cyclonedx_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m)
{
	cdx_doc d = {0};
	rp_json_b *b = &d.b;
	cdx_build(&d, inv, m);
	/* Whether the OS could be checked is a fact about this BOM's analysis,
	 * so it goes with the metadata. */
	json_t *meta = json_object_get(d.root, "metadata");
	json_t *props = json_array();
	prop(b, props, "lading:scan:os_namespace", lading_findings_os_namespace(f));
	prop(b, props, "lading:scan:os_has_data", lading_findings_os_has_data(f) ? "true" : "false");
	if (rp_os_unchecked(inv, f)) {
		const char *note = rp_os_note(&d.a, f);
		if (!note)
			b->oom = true;
		prop(b, props, "lading:scan:note", note);
	}
	if (!b->oom)
		set_props(b, meta, props);
	else
		json_decref(props);
	json_t *vulns = json_array();
	size_t nf = rp_nlisted(f);
	for (size_t i = 0; i < nf && !b->oom; i++)
		rp_push(b, vulns, vuln_obj(&d, inv, rp_listed(f, i), rp_listed_vexed(f, i)));
	rp_set(b, d.root, "vulnerabilities", vulns);
	return cdx_finish(out, &d);
}
