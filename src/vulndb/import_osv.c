/* OSV importer: turns OSV advisories (golang/vulndb, RustSec, GHSA, PyPA and
 * the distro feeds that publish OSV) into database rows. It reads a directory
 * tree of *.json / *.yaml files, an OSV bucket <ecosystem>/all.zip (entry by
 * entry, each bounded), or one file. PyPA's YAML documents are converted to the
 * same jansson tree as JSON, so both go through one code path.
 *
 * One advisory per OSV document, one affected row per affected[] entry with
 * status "affected": the truth is in the entry's ranges/versions, stored as
 * compact JSON for the matcher. PyPA YAML goes through vdb_yaml_to_json() and
 * trees through vdb_walk() (src/vulndb/util.c). */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

/* ---- one OSV document ----------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool name_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);
	return n >= m && strcasecmp(name + n - m, suffix) == 0;
}

/* PEP 503: lowercase, runs of '-', '_' and '.' become one '-'. */
static int pep503(buf *out, const char *name)
{
	out->n = 0;
	int rc = 0;
	for (const char *s = name; *s && !rc; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			while (s[1] == '-' || s[1] == '_' || s[1] == '.')
				s++;
			rc = buf_putc(out, '-');
		} else {
			rc = buf_putc(out, (char)tolower((unsigned char)*s));
		}
	}
	return rc ? rc : buf_reserve(out, 0);
}

/* Maps an OSV ecosystem to our namespace and version scheme. Returns false
 * when a distro ecosystem carries no usable release. */
static bool osv_namespace(buf *ns, const char **scheme, const char *eco)
{
	static const struct {
		const char *eco, *ns;
		int scheme;
	} eco_map[] = {
	    {"Go", "go", LADING_VS_GO},
	    {"PyPI", "pypi", LADING_VS_PEP440},
	    {"npm", "npm", LADING_VS_SEMVER},
	    {"crates.io", "crates.io", LADING_VS_SEMVER},
	    {"RubyGems", "rubygems", LADING_VS_GEM},
	    {"Maven", "maven", LADING_VS_MAVEN},
	    {"Packagist", "packagist", LADING_VS_COMPOSER},
	    {"NuGet", "nuget", LADING_VS_SEMVER},
	    /* Hex and Pub define their versions as SemVer 2.0 */
	    {"Hex", "hex", LADING_VS_SEMVER},
	    {"Pub", "pub", LADING_VS_SEMVER},
	};
	ns->n = 0;
	*scheme = NULL;
	for (size_t i = 0; i < sizeof(eco_map) / sizeof(eco_map[0]); i++)
		if (strcmp(eco, eco_map[i].eco) == 0) {
			if (eco_map[i].scheme)
				*scheme = lading_vscheme_name((lading_vscheme)eco_map[i].scheme);
			return buf_puts(ns, eco_map[i].ns) == 0;
		}
	/* distro ecosystems: "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS",
	 * "Ubuntu:Pro:18.04:LTS": keep the release, drop the qualifiers */
	sv e = sv_cstr(eco), distro = sv_split(&e, ':');
	const char *rel = NULL;
	char relbuf[64];
	if (e.p && e.n && e.n < sizeof(relbuf) &&
	    (sv_eq_cstr(distro, "Debian") || sv_eq_cstr(distro, "Alpine") || sv_eq_cstr(distro, "Ubuntu"))) {
		while (e.n && !rel) {
			sv part = sv_split(&e, ':');
			memcpy(relbuf, part.p, part.n);
			relbuf[part.n] = 0;
			if (sv_eq_cstr(distro, "Alpine") && (relbuf[0] == 'v' || relbuf[0] == 'V'))
				memmove(relbuf, relbuf + 1, part.n);
			if (isdigit((unsigned char)relbuf[0]))
				rel = relbuf;
			else if (sv_eq_cstr(distro, "Debian"))
				rel = vdb_debian_release(relbuf);
			else if (sv_eq_cstr(distro, "Ubuntu"))
				rel = vdb_ubuntu_release(relbuf);
		}
		if (!rel)
			return false;
		if (sv_eq_cstr(distro, "Alpine"))
			*scheme = lading_vscheme_name(LADING_VS_APK);
		else
			*scheme = lading_vscheme_name(LADING_VS_DPKG);
		for (size_t i = 0; i < distro.n; i++)
			if (buf_putc(ns, (char)tolower((unsigned char)distro.p[i])))
				return false;
		return buf_printf(ns, ":%s", rel) == 0;
	}
	/* any other ecosystem: lowercased as given, no scheme we know */
	for (const char *s = eco; *s; s++)
		if (buf_putc(ns, (char)tolower((unsigned char)*s)))
			return false;
	return buf_reserve(ns, 0) == 0;
}

/* OSV "Ubuntu" severities and GHSA's database_specific.severity are words;
 * map them to ours, NULL when unknown. */
static const char *sev_word(const char *s)
{
	static const char *const words[][2] = {
	    {"negligible", VDB_SEV_NEGLIGIBLE}, {"low", VDB_SEV_LOW},	{"medium", VDB_SEV_MEDIUM},
	    {"moderate", VDB_SEV_MEDIUM},	{"high", VDB_SEV_HIGH}, {"critical", VDB_SEV_CRITICAL},
	    {"important", VDB_SEV_HIGH},
	};
	for (size_t i = 0; s && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i][0]) == 0)
			return words[i][1];
	return NULL;
}

static int put_affected(vdb_writer *w, const char *file, const char *id, int64_t adv, size_t i, json_t *a,
			buf *ns, buf *name)
{
	json_t *pkg = json_object_get(a, "package");
	const char *eco = jstr(pkg, "ecosystem"), *pname = jstr(pkg, "name");
	json_t *ranges = json_object_get(a, "ranges"), *versions = json_object_get(a, "versions");
	const char *scheme = NULL;
	if (!json_is_object(a) || !eco || !pname || !*eco || !*pname) {
		vdb_skip(w, "%s: %s: affected[%zu]: no package ecosystem and name", file, id, i);
		return 0;
	}
	if ((ranges && !json_is_array(ranges) && !json_is_null(ranges)) ||
	    (versions && !json_is_array(versions) && !json_is_null(versions))) {
		vdb_skip(w, "%s: %s: affected[%zu]: ranges or versions is not an array", file, id, i);
		return 0;
	}
	if (!osv_namespace(ns, &scheme, eco)) {
		vdb_skip(w, "%s: %s: affected[%zu]: ecosystem '%s' has no release we know", file, id, i, eco);
		return 0;
	}
	int rc = 0;
	const char *package = pname;
	if (strcmp(ns->p, "pypi") == 0) {
		if ((rc = pep503(name, pname)) != 0)
			return rc;
		package = name->p;
	}
	/* empty arrays say nothing: store NULL so the matcher has one test */
	char *rj = json_array_size(ranges) ? json_dumps(ranges, JSON_COMPACT) : NULL;
	char *vj = json_array_size(versions) ? json_dumps(versions, JSON_COMPACT) : NULL;
	if ((json_array_size(ranges) && !rj) || (json_array_size(versions) && !vj)) {
		rc = -LADING_ENOMEM;
	} else {
		vdb_affected af = {.ns = ns->p,
				   .package = package,
				   .scheme = scheme,
				   .status = VDB_AFFECTED,
				   .ranges = rj,
				   .versions = vj};
		rc = vdb_put_affected(w, adv, &af);
	}
	free(rj);
	free(vj);
	return rc;
}

/* Imports one OSV document. A document that is not an advisory is skipped
 * (returns 1). */
static int osv_doc(vdb_writer *w, const char *file, json_t *doc)
{
	const char *id = jstr(doc, "id");
	if (!json_is_object(doc) || !id || !*id) {
		vdb_skip(w, "%s: not an OSV advisory (no id)", file);
		return 1;
	}
	/* required by the OSV schema; its absence is also how a YAML document
	 * cut short (still valid YAML) shows */
	if (!jstr(doc, "modified")) {
		vdb_skip(w, "%s: %s: no modified date, not a complete OSV advisory", file, id);
		return 1;
	}
	/* who scored the severities: the feed the id comes from (GHSA, GO, RUSTSEC, PYSEC, …) */
	char origin[32];
	size_t on = strcspn(id, "-");
	if (on == 0 || on >= sizeof(origin) || !id[on])
		snprintf(origin, sizeof(origin), "osv");
	else
		for (size_t i = 0; i <= on; i++)
			origin[i] = i == on ? 0 : (char)tolower((unsigned char)id[i]);

	json_t *aliases = json_object_get(doc, "aliases"), *upstream = json_object_get(doc, "upstream");
	json_t *sevs = json_object_get(doc, "severity"), *refs = json_object_get(doc, "references");
	json_t *dbs = json_object_get(doc, "database_specific"), *aff = json_object_get(doc, "affected");
	size_t nal = json_array_size(aliases) + json_array_size(upstream);
	size_t nsev = json_array_size(sevs) + 1, nref = json_array_size(refs);
	const char **al = calloc(nal + 1, sizeof(*al));
	vdb_severity *sev = calloc(nsev, sizeof(*sev));
	vdb_ref *rf = calloc(nref + 1, sizeof(*rf));
	buf ns = {0}, name = {0};
	int rc = 0;
	if (!al || !sev || !rf) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	vdb_advisory a = {.vuln_id = id,
			  .summary = jstr(doc, "summary"),
			  .details = jstr(doc, "details"),
			  .published = jstr(doc, "published"),
			  .modified = jstr(doc, "modified"),
			  .withdrawn = jstr(doc, "withdrawn"),
			  .aliases = al,
			  .sev = sev,
			  .refs = rf};
	for (size_t i = 0; i < json_array_size(aliases); i++)
		if (json_string_value(json_array_get(aliases, i)))
			al[a.naliases++] = json_string_value(json_array_get(aliases, i));
	for (size_t i = 0; i < json_array_size(upstream); i++)
		if (json_string_value(json_array_get(upstream, i)))
			al[a.naliases++] = json_string_value(json_array_get(upstream, i));
	for (size_t i = 0; i < json_array_size(sevs); i++) {
		json_t *s = json_array_get(sevs, i);
		const char *type = jstr(s, "type"), *score = jstr(s, "score");
		if (!type || !score)
			continue;
		vdb_severity *o = &sev[a.nsev++];
		*o = (vdb_severity){.origin = origin, .type = type, .vector = score, .score = -1};
		if (strcmp(type, "Ubuntu") == 0) /* a priority word, not a vector */
			*o = (vdb_severity){
			    .origin = "ubuntu", .type = "distro", .score = -1, .severity = sev_word(score)};
	}
	const char *dsev = sev_word(jstr(dbs, "severity"));
	if (dsev)
		sev[a.nsev++] = (vdb_severity){
		    .origin = origin, .type = "database_specific", .score = -1, .severity = dsev};
	for (size_t i = 0; i < nref; i++) {
		json_t *r = json_array_get(refs, i);
		if (jstr(r, "url"))
			rf[a.nrefs++] = (vdb_ref){jstr(r, "type"), jstr(r, "url")};
	}
	int64_t adv;
	if ((rc = vdb_put_advisory(w, &adv, &a)) != 0)
		goto out;
	if (aff && !json_is_array(aff))
		vdb_skip(w, "%s: %s: affected is not an array", file, id);
	for (size_t i = 0; !rc && i < json_array_size(aff); i++)
		rc = put_affected(w, file, id, adv, i, json_array_get(aff, i), &ns, &name);
out:
	buf_free(&ns);
	buf_free(&name);
	free(al);
	free(sev);
	free(rf);
	return rc;
}

/* Parses one file's bytes (JSON, or YAML when `yaml`) and imports what it
 * holds: an advisory, or a JSON array of advisories. A document that does not
 * parse is skipped, unless `strict` (a single-file import: failing keeps the
 * previous rows of this input instead of replacing them with nothing). */
static int osv_bytes(vdb_writer *w, const char *file, sv data, bool yaml, bool strict)
{
	json_t *doc = NULL;
	char err[256];
	int rc = 0;
	if (yaml) {
		rc = vdb_yaml_to_json(&doc, data, err, sizeof(err));
	} else {
		json_error_t je;
		doc = json_loadb(data.p, data.n, 0, &je);
		if (!doc) {
			char brief[160];
			snprintf(err, sizeof(err), "line %d: %s", je.line, json_error_brief(brief, sizeof(brief), je.text));
			rc = json_error_code(&je) == json_error_out_of_memory ? -LADING_ENOMEM
									      : -LADING_EFORMAT;
		}
	}
	if (rc == -LADING_EFORMAT) {
		if (strict)
			rc = ctx_error(vdb_ctx(w), LADING_EFORMAT, "%s: not valid %s: %s", file,
				       yaml ? "YAML" : "JSON", err);
		else {
			vdb_skip(w, "%s: not valid %s: %s", file, yaml ? "YAML" : "JSON", err);
			rc = 0;
		}
	} else if (!rc && json_is_array(doc)) {
		for (size_t i = 0; rc >= 0 && i < json_array_size(doc); i++)
			rc = osv_doc(w, file, json_array_get(doc, i));
		rc = rc > 0 ? 0 : rc;
	} else if (!rc && (rc = osv_doc(w, file, doc)) > 0) {
		rc = strict ? ctx_error(vdb_ctx(w), LADING_EFORMAT, "%s: not a complete OSV advisory", file)
			    : 0;
	}
	json_decref(doc);
	return rc;
}

static bool is_yaml_name(const char *name) { return name_ends(name, ".yaml") || name_ends(name, ".yml"); }

/* ---- containers: zip, directory, file ------------------------------------------ */

static int osv_zip(vdb_writer *w, const char *path, const char *label)
{
	lading_ctx *ctx = vdb_ctx(w);
	struct archive *ar = archive_read_new();
	if (!ar)
		return -LADING_ENOMEM;
	archive_read_support_format_zip(ar);
	int rc = 0;
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		rc = ctx_error(ctx, LADING_EFORMAT, "%s: not a readable zip: %s", label,
			       archive_error_string(ar));
		archive_read_free(ar);
		return rc;
	}
	buf data = {.max = (size_t)ctx->opt.max_file_size};
	uint64_t nentries = 0;
	struct archive_entry *e;
	for (;;) {
		int r = archive_read_next_header(ar, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			/* nothing read yet: the whole input is bad, keep the previous rows */
			if (nentries == 0)
				rc = ctx_error(ctx, LADING_EFORMAT, "%s: not a readable zip: %s", label,
					       archive_error_string(ar));
			else
				vdb_skip(w, "%s: zip damaged after %llu entries, the rest is not read: %s",
					 label, (unsigned long long)nentries, archive_error_string(ar));
			break;
		}
		if (++nentries > ctx->opt.max_entries) {
			vdb_skip(w, "%s: more than %llu entries, the rest is not read", label,
				 (unsigned long long)ctx->opt.max_entries);
			break;
		}
		const char *name = archive_entry_pathname(e);
		if (!name || archive_entry_filetype(e) != AE_IFREG ||
		    !(name_ends(name, ".json") || is_yaml_name(name)))
			continue;
		if (archive_entry_size_is_set(e) &&
		    (uint64_t)archive_entry_size(e) > ctx->opt.max_file_size) {
			vdb_skip(w, "%s: %s: larger than the file size limit", label, name);
			continue;
		}
		data.n = 0;
		char tmp[65536];
		la_ssize_t n;
		while ((n = archive_read_data(ar, tmp, sizeof(tmp))) > 0)
			if ((rc = buf_append(&data, tmp, (size_t)n)) != 0)
				break;
		char ename[512];
		snprintf(ename, sizeof(ename), "%s:%s", label, name);
		if (rc == -LADING_ELIMIT) {
			vdb_skip(w, "%s: larger than the file size limit", ename);
			rc = 0;
			continue;
		}
		if (rc)
			break;
		if (n < 0) {
			/* a damaged entry; if the archive itself is broken the next header says so */
			vdb_skip(w, "%s: cannot read the entry: %s", ename, archive_error_string(ar));
			continue;
		}
		if ((rc = osv_bytes(w, ename, sv_make(data.p, data.n), is_yaml_name(name), false)) != 0)
			break;
	}
	buf_free(&data);
	archive_read_free(ar);
	return rc;
}

static bool is_zip(sv head) { return head.n >= 4 && memcmp(head.p, "PK\x03\x04", 4) == 0; }

static int osv_file(vdb_writer *w, const char *path, const char *label, bool strict)
{
	buf data = {0};
	int rc = vdb_read_file(w, path, &data);
	if (rc == -LADING_ELIMIT && !strict) {
		vdb_skip(w, "%s: larger than the file size limit", label);
		rc = 0;
	} else if (!rc && is_zip(sv_make(data.p, data.n))) {
		buf_free(&data);
		return osv_zip(w, path, label);
	} else if (!rc) {
		rc = osv_bytes(w, label, sv_make(data.p, data.n), is_yaml_name(path), strict);
	}
	buf_free(&data);
	return rc;
}

static int osv_walk_cb(vdb_writer *w, const char *path, const char *rel, void *arg)
{
	(void)arg;
	if (!(name_ends(rel, ".json") || is_yaml_name(rel) || name_ends(rel, ".zip")))
		return 0;
	return osv_file(w, path, rel, false);
}

static int import(vdb_writer *w, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return ctx_error(vdb_ctx(w), LADING_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return vdb_walk(w, path, osv_walk_cb, NULL);
	const char *base = strrchr(path, '/');
	return osv_file(w, path, base ? base + 1 : path, true);
}

/* ---- detection -------------------------------------------------------------------- */

/* Whether `head` has the key "<key>" followed by ':' and, when `value` is
 * given, a value starting with that character. */
static bool json_key(sv head, const char *key, char value)
{
	char pat[40];
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	sv rest = head;
	for (size_t at; (at = sv_find_sv(rest, sv_cstr(pat))) != SIZE_MAX;) {
		rest = sv_make(rest.p + at + strlen(pat), rest.n - at - strlen(pat));
		sv t = sv_trim(rest);
		if (t.n && t.p[0] == ':') {
			t = sv_trim(sv_make(t.p + 1, t.n - 1));
			if (!value || (t.n && t.p[0] == value))
				return true;
		}
	}
	return false;
}

/* Whether a line of `head` starts with `key` (a YAML top-level key). */
static bool yaml_key(sv head, const char *key)
{
	sv line, s = head;
	while (sv_next_line(&s, &line))
		if (sv_starts_with(line, sv_cstr(key)))
			return true;
	return false;
}

static bool sniff(const char *name, sv head)
{
	/* a zip whose first entry is an OSV JSON file (the bucket's all.zip) */
	if (is_zip(head)) {
		if (head.n < 30)
			return false;
		const unsigned char *h = (const unsigned char *)head.p;
		size_t nlen = (size_t)h[26] | (size_t)h[27] << 8;
		return nlen >= 5 && 30 + nlen <= head.n && name_ends(name, ".zip") &&
		       memcmp(head.p + 30 + nlen - 5, ".json", 5) == 0;
	}
	sv t = sv_trim(head);
	if (t.n && t.p[0] == '[') /* an array of advisories */
		t = sv_trim(sv_make(t.p + 1, t.n - 1));
	if (t.n && t.p[0] == '{')
		/* "id" must be a string (npm-security-wg's is a number), and one
		 * more OSV key must be there. NVD's API responses also have string
		 * ids and "published", nested under "vulnerabilities": not ours. */
		return !json_key(t, "vulnerabilities", 0) && sv_find_sv(t, SV_LIT("\"NVD_CVE\"")) == SIZE_MAX &&
		       json_key(t, "id", '"') &&
		       (json_key(t, "modified", 0) || json_key(t, "affected", 0) ||
			json_key(t, "schema_version", 0) || json_key(t, "published", 0));
	if (is_yaml_name(name))
		return yaml_key(t, "id: ") && (yaml_key(t, "affected:") || yaml_key(t, "modified:") ||
					       yaml_key(t, "details:") || yaml_key(t, "aliases:"));
	return false;
}

const vdb_importer vdb_importer_osv = {LADING_FEED_OSV, sniff, import};
