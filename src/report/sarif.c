/* SARIF 2.1.0 for scan results, the format code-scanning services (GitHub,
 * Azure DevOps) ingest. SARIF is about rules and results: here a rule is a
 * vulnerability (one per distinct id, sorted by id) and a result is one
 * finding, a package that it affects. The location of a result is the
 * package database that lists the package ("var/lib/dpkg/status", relative
 * to the image root, uriBaseId ROOTPATH), since that file is what an upgrade
 * changes. Results carry a partial fingerprint built from what stays the
 * same while the problem does (database, package name and arch, vulnerability
 * id; not the version), so an alert survives rescans and a partial upgrade.
 *
 * Severities follow GitHub's convention: the rule's "security-severity"
 * property is the CVSS base score as a string, and only when one is known
 * (a made-up number would rank alerts on nothing). */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/writers.h"

/* lading has no web site yet; .invalid (RFC 2606) says so rather than point
 * at somebody else's. */
#define FP_KEY	 "ladingPackageVulnerability/v1"

static const char *level_of(lading_severity s)
{
	switch (s) {
	case LADING_SEV_CRITICAL:
	case LADING_SEV_HIGH:
		return "error";
	case LADING_SEV_MEDIUM:
		return "warning";
	default:
		return "note";
	}
}

static lading_severity sev_clamp(lading_severity s) { return (unsigned)s < 6 ? s : LADING_SEV_UNKNOWN; }

/* One rule: the findings with the same (cleaned) id, and what the rule
 * says, taken from the most severe of them that says it. */
typedef struct rule {
	const char *id;		 /* cleaned: distinct raw ids may clean alike */
	const lading_finding *f; /* first finding, for summary and urls */
	lading_severity sev;	 /* highest */
	double score;		 /* highest known, or -1 */
} rule;

typedef struct keyed {
	const char *id;
	size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The database path as a relative URI reference: no leading '/', and every
 * byte outside unreserved/sub-delims/'@'/'/' percent-encoded (':' too, or a
 * first segment like "c:" would read as a scheme). NULL when empty. */
static const char *db_uri(arena *a, const char *path)
{
	if (!path)
		return NULL;
	while (*path == '/')
		path++;
	if (!*path)
		return NULL;
	static const char hex[] = "0123456789ABCDEF";
	buf b = {0};
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)path; *p && !rc; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~!$&'()*+,;=@/", c))
			rc = buf_putc(&b, (char)c);
		else
			rc = buf_printf(&b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	const char *res = rc ? NULL : arena_strndup(a, b.p, b.n);
	buf_free(&b);
	return res;
}

/* sha256 over the NUL-separated fields, hex; NULL on failure. */
static const char *fingerprint(arena *a, const lading_package *p, const char *id)
{
	const char *parts[] = {"lading/v1", lading_pkg_type_name(p->type), p->db_path, p->name, p->arch, id};
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (size_t i = 0; ok && i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *s = parts[i] ? parts[i] : "";
		ok = EVP_DigestUpdate(ctx, s, strlen(s) + 1);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == sizeof(md);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return NULL;
	char *hex = arena_alloc(a, 65);
	if (hex)
		hex_encode(hex, md, sizeof(md));
	return hex;
}

/* s cleaned of invalid UTF-8 (into the arena), so that ids compare as they
 * will be written. */
static const char *clean_str(arena *a, const char *s)
{
	buf b = {0};
	const char *res = NULL;
	if (rp_clean(&b, s, "\xef\xbf\xbd", false) == 0)
		res = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return res;
}

/* The first line of a summary, for a one-line description. */
static json_t *first_line(rp_json_b *b, const char *s)
{
	size_t n = strcspn(s, "\r\n");
	char *t = strndup(s, n);
	if (!t) {
		b->oom = true;
		return NULL;
	}
	json_t *j = rp_jstr(b, t);
	free(t);
	return j;
}

static json_t *text_obj(rp_json_b *b, json_t *text)
{
	json_t *o = json_object();
	rp_set(b, o, "text", text);
	return o;
}

static json_t *rule_obj(rp_json_b *b, const rule *r)
{
	const lading_finding *f = r->f;
	const char *summary = f->summary && *f->summary ? f->summary : NULL;
	const char *uri = rp_first_uri(f);
	json_t *o = json_object();
	rp_set(b, o, "id", rp_jstr(b, r->id));
	rp_set(b, o, "shortDescription", text_obj(b, summary ? first_line(b, summary) : rp_jstr(b, r->id)));
	rp_set(b, o, "fullDescription", text_obj(b, rp_jstr(b, summary ? summary : r->id)));
	if (uri)
		rp_set(b, o, "helpUri", rp_jstr(b, uri));

	buf t = {0};
	size_t nal = 0;
	int rc = buf_printf(&t, "Vulnerability %s\nSeverity: %s", r->id, lading_severity_name(r->sev));
	if (!rc && r->score >= 0)
		rc = buf_printf(&t, " (CVSS %.1f)", r->score);
	if (!rc && summary)
		rc = buf_puts(&t, "\n") || buf_puts(&t, summary);
	for (size_t i = 0; i < f->naliases && !rc; i++)
		if (f->aliases[i] && *f->aliases[i])
			rc = buf_puts(&t, nal++ ? ", " : "\nAliases: ") || buf_puts(&t, f->aliases[i]);
	for (size_t i = 0; i < f->nurls && !rc; i++)
		if (rp_is_uri(f->urls[i]))
			rc = buf_puts(&t, "\n") || buf_puts(&t, f->urls[i]);
	if (rc)
		b->oom = true;
	else
		rp_set(b, o, "help", text_obj(b, rp_jstr(b, t.p)));
	buf_free(&t);

	json_t *conf = json_object();
	rp_set(b, conf, "level", json_string(level_of(r->sev)));
	rp_set(b, o, "defaultConfiguration", conf);
	json_t *props = json_object(), *tags = json_array();
	if (r->score >= 0) {
		char s[16];
		snprintf(s, sizeof(s), "%.1f", r->score);
		rp_set(b, props, "security-severity", json_string(s));
	}
	rp_push(b, tags, json_string("vulnerability"));
	rp_push(b, tags, json_string("security"));
	rp_push(b, tags, json_string(lading_severity_name(r->sev)));
	rp_set(b, props, "tags", tags);
	rp_set(b, o, "properties", props);
	return o;
}

static int message(buf *t, const lading_package *p, const lading_finding *f, const char *id)
{
	const char *inst = f->installed ? f->installed : p->version;
	int rc = buf_printf(t, "%s %s is affected by %s (%s); ", p->name ? p->name : "?", inst ? inst : "?",
			    id, lading_severity_name(f->severity));
	if (rc)
		return rc;
	switch (f->status) {
	case LADING_VULN_FIXED:
		return f->fixed && *f->fixed ? buf_printf(t, "fixed in %s.", f->fixed)
					     : buf_puts(t, "fixed.");
	case LADING_VULN_WONTFIX:
		return buf_puts(t, "the distribution will not fix it.");
	case LADING_VULN_DEFERRED:
		return buf_puts(t, "the distribution deferred the fix.");
	default:
		return buf_puts(t, "no fix yet.");
	}
}

/* A VEX statement's removal as a SARIF suppression: external (not in the
 * code), accepted, its justification label and impact statement as the
 * text. */
static json_t *suppressions(rp_json_b *b, const lading_finding *f)
{
	json_t *arr = json_array(), *s = json_object();
	rp_set(b, s, "kind", json_string("external"));
	rp_set(b, s, "status", json_string("accepted"));
	buf t = {0};
	const char *parts[] = {"VEX ", lading_vex_status_name(f->vex_status), f->vex_justification ? ": " : "",
			       f->vex_justification ? f->vex_justification : "",
			       f->vex_impact_statement && *f->vex_impact_statement ? " - " : "",
			       f->vex_impact_statement ? f->vex_impact_statement : ""};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] && buf_puts(&t, parts[i]))
			b->oom = true;
	if (!b->oom)
		rp_set(b, s, "justification", rp_jstr(b, t.p));
	buf_free(&t);
	rp_push(b, arr, s);
	return arr;
}

static json_t *result_obj(rp_json_b *b, arena *a, const lading_inventory *inv, const lading_finding *f,
			  const rule *r, size_t ridx, bool vexed)
{
	const lading_package *p = lading_inventory_package(inv, f->package);
	json_t *o = json_object();
	rp_set(b, o, "ruleId", rp_jstr(b, r->id));
	rp_set(b, o, "ruleIndex", json_integer((json_int_t)ridx));
	rp_set(b, o, "level", json_string(level_of(sev_clamp(f->severity))));
	buf t = {0};
	if (message(&t, p, f, r->id))
		b->oom = true;
	else
		rp_set(b, o, "message", text_obj(b, rp_jstr(b, t.p)));
	buf_free(&t);

	const char *uri = db_uri(a, p->db_path);
	if (uri) {
		json_t *locs = json_array(), *loc = json_object(), *phys = json_object(),
		       *art = json_object();
		rp_set(b, art, "uri", json_string(uri));
		rp_set(b, art, "uriBaseId", json_string("ROOTPATH"));
		rp_set(b, phys, "artifactLocation", art);
		rp_set(b, loc, "physicalLocation", phys);
		rp_push(b, locs, loc);
		rp_set(b, o, "locations", locs);
	}
	const char *fp = fingerprint(a, p, r->id);
	if (!fp) {
		b->oom = true;
		return o;
	}
	json_t *fps = json_object();
	rp_set(b, fps, FP_KEY, json_string(fp));
	rp_set(b, o, "partialFingerprints", fps);

	json_t *props = json_object();
	rp_set_str_or_null(b, props, "packageId", p->id);
	rp_set_str_or_null(b, props, "packageName", p->name);
	rp_set_str_or_null(b, props, "installedVersion", f->installed ? f->installed : p->version);
	rp_set_str_or_null(b, props, "fixedVersion", f->fixed);
	rp_set(b, props, "status", json_string(lading_vuln_status_name(f->status)));
	rp_set(b, props, "severity", json_string(lading_severity_name(f->severity)));
	rp_set_str_or_null(b, props, "purl", p->purl);
	rp_set_str_or_null(b, props, "namespace", f->namespace);
	rp_set_str_or_null(b, props, "source", f->source);
	const char *vs = lading_vex_status_name(f->vex_status);
	if (vs) {
		rp_set(b, props, "vexStatus", json_string(vs));
		rp_set_str(b, props, "vexJustification", f->vex_justification);
		rp_set_str(b, props, "vexImpactStatement", f->vex_impact_statement);
		rp_set_str(b, props, "vexActionStatement", f->vex_action_statement);
		rp_set_str(b, props, "vexDocument", f->vex_document);
	}
	rp_set(b, o, "properties", props);
	if (vexed)
		rp_set(b, o, "suppressions", suppressions(b, f));
	return o;
}

int rp_sarif(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m)
{
	rp_json_b b = {0};
	arena a = {0};
	size_t nf = rp_nlisted(f), nrules = 0;
	keyed *keys = calloc(nf ? nf : 1, sizeof(*keys));
	rule *rules = calloc(nf ? nf : 1, sizeof(*rules));
	size_t *rule_of = calloc(nf ? nf : 1, sizeof(*rule_of));
	if (!keys || !rules || !rule_of)
		b.oom = true;
	for (size_t i = 0; i < nf && !b.oom; i++) {
		const char *id = rp_listed(f, i)->vuln_id;
		keys[i].id = clean_str(&a, id && *id ? id : "unknown");
		keys[i].i = i;
		if (!keys[i].id)
			b.oom = true;
	}
	if (!b.oom && nf)
		qsort(keys, nf, sizeof(*keys), cmp_keyed);
	for (size_t k = 0; k < nf && !b.oom; k++) {
		const lading_finding *fi = rp_listed(f, keys[k].i);
		if (k == 0 || strcmp(keys[k].id, keys[k - 1].id) != 0)
			rules[nrules++] =
			    (rule){.id = keys[k].id, .f = fi, .sev = LADING_SEV_UNKNOWN, .score = -1};
		rule *r = &rules[nrules - 1];
		rule_of[keys[k].i] = nrules - 1;
		lading_severity s = sev_clamp(fi->severity);
		double sc = rp_cvss(fi->cvss_score);
		if (s > r->sev)
			r->sev = s;
		if (sc > r->score)
			r->score = sc;
		/* describe the rule with a finding that has a summary if any does */
		if (!(r->f->summary && *r->f->summary) && fi->summary && *fi->summary)
			r->f = fi;
	}

	json_t *root = json_object();
	rp_set(&b, root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	rp_set(&b, root, "version", json_string("2.1.0"));
	json_t *runs = json_array(), *run = json_object();
	json_t *tool = json_object(), *driver = json_object();
	rp_set(&b, driver, "name", json_string("lading"));
	rp_set(&b, driver, "version", json_string(LADING_VERSION));
	rp_set(&b, driver, "semanticVersion", json_string(LADING_VERSION));
	json_t *jrules = json_array();
	for (size_t k = 0; k < nrules && !b.oom; k++)
		rp_push(&b, jrules, rule_obj(&b, &rules[k]));
	rp_set(&b, driver, "rules", jrules);
	rp_set(&b, tool, "driver", driver);
	rp_set(&b, run, "tool", tool);

	/* Locations are relative to the image's root file system. */
	json_t *bases = json_object(), *rootpath = json_object();
	rp_set(&b, rootpath, "uri", json_string("file:///"));
	rp_set(&b, bases, "ROOTPATH", rootpath);
	rp_set(&b, run, "originalUriBaseIds", bases);

	json_t *invs = json_array(), *invo = json_object();
	rp_set(&b, invo, "executionSuccessful", json_true());
	rp_set(&b, invo, "endTimeUtc", json_string(m->timestamp));
	if (rp_os_unchecked(inv, f)) {
		/* A SARIF consumer shows "no results" as "no problems": the
		 * notification is where it can learn that nothing was checked. */
		const char *note = rp_os_note(&a, f);
		json_t *notes = json_array(), *n = json_object();
		buf t = {0};
		if (!note || buf_puts(&t, note) || buf_putc(&t, '.'))
			b.oom = true;
		else
			rp_set(&b, n, "message", text_obj(&b, rp_jstr(&b, t.p)));
		buf_free(&t);
		rp_set(&b, n, "level", json_string("warning"));
		rp_push(&b, notes, n);
		rp_set(&b, invo, "toolExecutionNotifications", notes);
	}
	rp_push(&b, invs, invo);
	rp_set(&b, run, "invocations", invs);

	json_t *results = json_array();
	for (size_t i = 0; i < nf && !b.oom; i++) {
		const lading_finding *fi = rp_listed(f, i);
		rp_push(&b, results,
			result_obj(&b, &a, inv, fi, &rules[rule_of[i]], rule_of[i], rp_listed_vexed(f, i)));
	}
	rp_set(&b, run, "results", results);

	const lading_image_info *img = lading_inventory_image(inv);
	json_t *props = json_object();
	rp_set(&b, props, "imageName", rp_jstr(&b, rp_image_name(img)));
	rp_set_str_or_null(&b, props, "imageTarget", img->target);
	rp_set_str_or_null(&b, props, "manifestDigest", img->manifest_digest);
	rp_set_str_or_null(&b, props, "osNamespace", lading_findings_os_namespace(f));
	rp_set(&b, props, "osHasData", json_boolean(lading_findings_os_has_data(f)));
	rp_set(&b, props, "suppressed", json_integer((json_int_t)lading_findings_suppressed(f)));
	rp_set(&b, run, "properties", props);
	rp_push(&b, runs, run);
	rp_set(&b, root, "runs", runs);

	int rc = b.oom ? -LADING_ENOMEM : rp_dump(out, root);
	json_decref(root);
	buf_free(&b.tmp);
	arena_free(&a);
	free(keys);
	free(rules);
	free(rule_of);
	return rc;
}
