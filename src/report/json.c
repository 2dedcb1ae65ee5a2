/* Our own JSON documents (docs/formats.md describes them field by field):
 * the SBOM, schema "lading.sbom/v1", and scan results, "lading.scan/v1",
 * which repeats the SBOM's image, os and packages and adds the findings.
 * They mirror the inventory and the findings one to one so that nothing the
 * scanner found is lost: every key is always present and unknown values are
 * null, which keeps consumers (jq, the store) free of existence checks. New
 * keys may be added within v1; renaming or removing one needs v2. */
#include <stdint.h>

#include "report/writers.h"

static json_t *u64_or_null(uint64_t v)
{
	return v <= (uint64_t)INT64_MAX ? json_integer((json_int_t)v) : json_null();
}

static json_t *rp_json_image(rp_json_b *b, const lading_inventory *inv)
{
	const lading_image_info *img = lading_inventory_image(inv);
	json_t *o = json_object();
	rp_set_str_or_null(b, o, "target", img->target);
	rp_set_str_or_null(b, o, "source_kind", img->source_kind);
	rp_set_str_or_null(b, o, "name", img->name);
	rp_set_str_or_null(b, o, "manifest_digest", img->manifest_digest);
	rp_set_str_or_null(b, o, "config_digest", img->config_digest);
	rp_set_str_or_null(b, o, "os", img->os);
	rp_set_str_or_null(b, o, "architecture", img->architecture);
	rp_set_str_or_null(b, o, "variant", img->variant);
	json_t *tags = json_array();
	for (size_t i = 0; i < img->ntags && tags; i++)
		if (img->tags[i])
			rp_push(b, tags, rp_jstr(b, img->tags[i]));
	rp_set(b, o, "tags", tags);
	json_t *layers = json_array();
	size_t nl = lading_inventory_nlayers(inv);
	for (size_t i = 0; i < nl && layers; i++) {
		const lading_layer *l = lading_inventory_layer(inv, i);
		json_t *lo = json_object();
		rp_set(b, lo, "index", json_integer(l->index));
		rp_set_str_or_null(b, lo, "digest", l->digest);
		rp_set_str_or_null(b, lo, "diff_id", l->diff_id);
		rp_set_str_or_null(b, lo, "media_type", l->media_type);
		rp_set(b, lo, "size", u64_or_null(l->size));
		rp_set(b, lo, "uncompressed_size", u64_or_null(l->uncompressed_size));
		rp_set_str_or_null(b, lo, "created_by", l->created_by);
		rp_push(b, layers, lo);
	}
	rp_set(b, o, "layers", layers);
	return o;
}

static json_t *rp_json_os(rp_json_b *b, const lading_inventory *inv)
{
	const lading_os *os = lading_inventory_os(inv);
	if (!os)
		return json_null();
	json_t *o = json_object();
	rp_set_str_or_null(b, o, "id", os->id);
	rp_set_str_or_null(b, o, "version_id", os->version_id);
	rp_set_str_or_null(b, o, "codename", os->codename);
	rp_set_str_or_null(b, o, "pretty_name", os->pretty_name);
	rp_set_str_or_null(b, o, "id_like", os->id_like);
	rp_set_str_or_null(b, o, "version", os->version);
	return o;
}

static json_t *pkg_obj(rp_json_b *b, const lading_inventory *inv, const lading_package *p)
{
	json_t *o = json_object();
	rp_set_str_or_null(b, o, "id", p->id);
	rp_set_str_or_null(b, o, "type", lading_pkg_type_name(p->type));
	rp_set_str_or_null(b, o, "name", p->name);
	rp_set_str_or_null(b, o, "version", p->version);
	rp_set_str_or_null(b, o, "arch", p->arch);
	rp_set_str_or_null(b, o, "source_name", p->source_name);
	rp_set_str_or_null(b, o, "source_version", p->source_version);
	rp_set_str_or_null(b, o, "license", p->license);
	rp_set_str_or_null(b, o, "purl", p->purl);
	rp_set_str_or_null(b, o, "db_path", p->db_path);
	const lading_layer *l = rp_layer_of(inv, p->layer);
	if (l) {
		json_t *lo = json_object();
		rp_set(b, lo, "index", json_integer(p->layer));
		rp_set_str_or_null(b, lo, "diff_id", l->diff_id);
		rp_set(b, o, "layer", lo);
	} else {
		rp_set(b, o, "layer", json_null());
	}
	rp_set_str_or_null(b, o, "epoch", p->epoch);
	rp_set_str_or_null(b, o, "rpm_version", p->rpm_version);
	rp_set_str_or_null(b, o, "rpm_release", p->rpm_release);
	rp_set_str_or_null(b, o, "source_rpm", p->source_rpm);
	rp_set_str_or_null(b, o, "modularity_label", p->modularity_label);
	rp_set_str_or_null(b, o, "maintainer", p->maintainer);
	rp_set_str_or_null(b, o, "namespace", p->namespace_);
	rp_set(b, o, "declared", json_boolean(p->declared));
	rp_set_str_or_null(b, o, "cpe", p->cpe);
	rp_set_str_or_null(b, o, "found_by", p->found_by);
	json_t *files = json_array();
	for (size_t i = 0; i < p->nfiles && files && !b->oom; i++) {
		const lading_pkg_file *f = &p->files[i];
		json_t *fo = json_object();
		rp_set_str_or_null(b, fo, "path", f->path);
		rp_set_str_or_null(b, fo, "digest", f->digest);
		rp_set(b, fo, "config", json_boolean(f->config));
		rp_push(b, files, fo);
	}
	rp_set(b, o, "files", files);
	return o;
}

static json_t *rp_json_packages(rp_json_b *b, const lading_inventory *inv)
{
	json_t *pkgs = json_array();
	size_t np = lading_inventory_npackages(inv);
	for (size_t i = 0; i < np && !b->oom; i++)
		rp_push(b, pkgs, pkg_obj(b, inv, lading_inventory_package(inv, i)));
	return pkgs;
}

static json_t *rp_json_warnings(rp_json_b *b, const lading_inventory *inv)
{
	json_t *warns = json_array();
	size_t nw = lading_inventory_nwarnings(inv);
	for (size_t i = 0; i < nw && !b->oom; i++)
		rp_push(b, warns, rp_jstr(b, lading_inventory_warning(inv, i)));
	return warns;
}

/* The warnings again, as the objects lading_inventory_warning_at gives:
 * "warnings" (their messages) came first and stays as it is. */
static json_t *rp_json_warning_details(rp_json_b *b, const lading_inventory *inv)
{
	json_t *list = json_array();
	size_t nw = lading_inventory_nwarnings(inv);
	for (size_t i = 0; i < nw && !b->oom; i++) {
		const lading_warning *w = lading_inventory_warning_at(inv, i);
		json_t *o = json_object();
		rp_set_str_or_null(b, o, "message", w->message);
		rp_set_str_or_null(b, o, "code", w->code);
		rp_set_str_or_null(b, o, "cataloger", w->cataloger);
		rp_set(b, o, "layer", w->layer >= 0 ? json_integer(w->layer) : json_null());
		rp_set_str_or_null(b, o, "path", w->path);
		rp_push(b, list, o);
	}
	return list;
}

static json_t *rp_json_integrity(rp_json_b *b, const lading_inventory *inv)
{
	const lading_integrity_summary *s = lading_inventory_integrity(inv);
	if (!s)
		return json_null();
	json_t *o = json_object(), *sum = json_object();
	rp_set(b, sum, "files_in_image", u64_or_null(s->files_in_image));
	rp_set(b, sum, "packages", u64_or_null(s->packages));
	rp_set(b, sum, "files_checked", u64_or_null(s->files_checked));
	rp_set(b, sum, "files_unverifiable", u64_or_null(s->files_unverifiable));
	rp_set(b, sum, "modified", u64_or_null(s->modified));
	rp_set(b, sum, "modified_config", u64_or_null(s->modified_config));
	rp_set(b, sum, "missing", u64_or_null(s->missing));
	rp_set(b, sum, "unpackaged", u64_or_null(s->unpackaged));
	rp_set(b, sum, "files_excluded", u64_or_null(s->files_excluded));
	rp_set(b, o, "summary", sum);
	rp_dircount *dirs = NULL;
	size_t nd = 0;
	json_t *by = json_array();
	if (rp_unpackaged_dirs(&dirs, &nd, inv))
		b->oom = true;
	for (size_t i = 0; i < nd && !b->oom; i++) {
		json_t *d = json_object();
		rp_set(b, d, "directory", rp_jstr(b, dirs[i].dir));
		rp_set(b, d, "count", json_integer((json_int_t)dirs[i].count));
		rp_push(b, by, d);
	}
	rp_dircounts_free(dirs, nd);
	rp_set(b, o, "unpackaged_by_directory", by);
	json_t *list = json_array();
	size_t nf = lading_inventory_nfile_findings(inv);
	for (size_t i = 0; i < nf && !b->oom; i++) {
		const lading_file_finding *f = lading_inventory_file_finding(inv, i);
		const lading_package *p = f->package >= 0 ? lading_inventory_package(inv, (size_t)f->package) : NULL;
		json_t *fo = json_object();
		rp_set(b, fo, "kind", json_string(lading_file_finding_kind_name(f->kind)));
		rp_set_str_or_null(b, fo, "path", f->path);
		rp_set_str_or_null(b, fo, "real_path", f->real_path);
		rp_set_str_or_null(b, fo, "package_id", p ? p->id : NULL);
		rp_set_str_or_null(b, fo, "package_name", p ? p->name : NULL);
		rp_set_str_or_null(b, fo, "expected", f->expected);
		rp_set_str_or_null(b, fo, "actual", f->actual);
		const lading_layer *l = rp_layer_of(inv, f->layer);
		rp_set(b, fo, "layer", f->layer >= 0 ? json_integer(f->layer) : json_null());
		rp_set_str_or_null(b, fo, "layer_digest", l ? l->digest : NULL);
		rp_set(b, fo, "size", f->real_path ? u64_or_null(f->size) : json_null());
		rp_set(b, fo, "mode", f->real_path ? json_integer((json_int_t)(f->mode & 07777)) : json_null());
		rp_set(b, fo, "config", json_boolean(f->config));
		rp_set(b, fo, "elf", json_boolean(f->elf));
		rp_push(b, list, fo);
	}
	rp_set(b, o, "findings", list);
	return o;
}

/* The document's opening keys, shared by both schemas. */
static json_t *doc_head(rp_json_b *b, const char *schema, const lading_inventory *inv)
{
	json_t *root = json_object();
	rp_set(b, root, "schema", json_string(schema));
	json_t *tool = json_object();
	rp_set(b, tool, "name", json_string("lading"));
	rp_set(b, tool, "version", json_string(LADING_VERSION));
	rp_set(b, root, "tool", tool);
	rp_set(b, root, "image", rp_json_image(b, inv));
	rp_set(b, root, "os", rp_json_os(b, inv));
	return root;
}

static int doc_dump(buf *out, rp_json_b *b, json_t *root)
{
	int rc = b->oom ? -LADING_ENOMEM : rp_dump(out, root);
	json_decref(root);
	buf_free(&b->tmp);
	return rc;
}

int rp_json(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	(void)m; /* our format is reproducible by itself: no timestamp, no serial */
	rp_json_b b = {0};
	json_t *root = doc_head(&b, "lading.sbom/v1", inv);
	rp_set(&b, root, "packages", rp_json_packages(&b, inv));
	rp_set(&b, root, "file_integrity", rp_json_integrity(&b, inv));
	rp_set(&b, root, "warnings", rp_json_warnings(&b, inv));
	rp_set(&b, root, "warning_details", rp_json_warning_details(&b, inv));
	return doc_dump(out, &b, root);
}

static json_t *strv(rp_json_b *b, const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n && !b->oom; i++)
		if (v[i])
			rp_push(b, a, rp_jstr(b, v[i]));
	return a;
}

/* The VEX statement that applies to a finding, or null. */
static json_t *vex_obj(rp_json_b *b, const lading_finding *f)
{
	const char *status = lading_vex_status_name(f->vex_status);
	if (!status)
		return json_null();
	json_t *o = json_object();
	rp_set(b, o, "status", json_string(status));
	rp_set_str_or_null(b, o, "justification", f->vex_justification);
	rp_set_str_or_null(b, o, "impact_statement", f->vex_impact_statement);
	rp_set_str_or_null(b, o, "action_statement", f->vex_action_statement);
	rp_set_str_or_null(b, o, "status_notes", f->vex_status_notes);
	rp_set_str_or_null(b, o, "timestamp", f->vex_timestamp);
	rp_set_str_or_null(b, o, "document", f->vex_document);
	return o;
}

static json_t *finding_obj(rp_json_b *b, const lading_inventory *inv, const lading_finding *f)
{
	const lading_package *p = lading_inventory_package(inv, f->package);
	json_t *o = json_object();
	rp_set_str_or_null(b, o, "package_id", p->id);
	rp_set_str_or_null(b, o, "package_name", p->name);
	rp_set_str_or_null(b, o, "installed", f->installed ? f->installed : p->version);
	rp_set_str_or_null(b, o, "vuln_id", f->vuln_id);
	rp_set(b, o, "aliases", strv(b, f->aliases, f->naliases));
	rp_set(b, o, "status", json_string(lading_vuln_status_name(f->status)));
	rp_set_str_or_null(b, o, "fixed", f->fixed);
	rp_set(b, o, "severity", json_string(lading_severity_name(f->severity)));
	rp_set_str_or_null(b, o, "severity_source", f->severity_source);
	double score = rp_cvss(f->cvss_score);
	rp_set(b, o, "cvss_score", score >= 0 ? json_real(score) : json_null());
	rp_set_str_or_null(b, o, "cvss_vector", f->cvss_vector);
	rp_set_str_or_null(b, o, "namespace", f->namespace);
	rp_set_str_or_null(b, o, "source", f->source);
	rp_set_str_or_null(b, o, "summary", f->summary);
	rp_set_str_or_null(b, o, "published", f->published);
	rp_set(b, o, "urls", strv(b, f->urls, f->nurls));
	rp_set(b, o, "vex", vex_obj(b, f));
	return o;
}

int rp_json_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m)
{
	(void)m;
	rp_json_b b = {0};
	json_t *root = doc_head(&b, "lading.scan/v1", inv);
	rp_set_str_or_null(&b, root, "os_namespace", lading_findings_os_namespace(f));
	rp_set(&b, root, "os_has_data", json_boolean(lading_findings_os_has_data(f)));
	rp_set(&b, root, "packages", rp_json_packages(&b, inv));
	rp_set(&b, root, "file_integrity", rp_json_integrity(&b, inv));
	rp_set(&b, root, "warnings", rp_json_warnings(&b, inv));
	rp_set(&b, root, "warning_details", rp_json_warning_details(&b, inv));
	json_t *list = json_array();
	size_t nf = lading_findings_count(f);
	for (size_t i = 0; i < nf && !b.oom; i++)
		rp_push(&b, list, finding_obj(&b, inv, lading_findings_get(f, i)));
	rp_set(&b, root, "findings", list);
	json_t *vexed = json_array();
	size_t nv = lading_findings_vex_count(f);
	for (size_t i = 0; i < nv && !b.oom; i++)
		rp_push(&b, vexed, finding_obj(&b, inv, lading_findings_vex_get(f, i)));
	rp_set(&b, root, "vex_suppressed", vexed);

	size_t counts[6];
	rp_count_severities(f, counts);
	json_t *sum = json_object(), *by = json_object();
	rp_set(&b, sum, "total", json_integer((json_int_t)nf));
	for (int s = LADING_SEV_CRITICAL; s >= LADING_SEV_UNKNOWN; s--)
		rp_set(&b, by, lading_severity_name((lading_severity)s), json_integer((json_int_t)counts[s]));
	rp_set(&b, sum, "by_severity", by);
	rp_set(&b, sum, "suppressed", json_integer((json_int_t)lading_findings_suppressed(f)));
	rp_set(&b, sum, "vex_suppressed", json_integer((json_int_t)nv));
	rp_set(&b, sum, "os_unchecked", json_boolean(rp_os_unchecked(inv, f)));
	rp_set(&b, root, "summary", sum);
	return doc_dump(out, &b, root);
}
