/* SPDX 2.3 JSON. The image is a package (SPDXRef-Image, purpose CONTAINER)
 * that the document DESCRIBES and that CONTAINS the OS package and every
 * package of the inventory. Package databases record licenses as free text
 * ("GPLv2+", "Artistic"), which is not a valid SPDX license expression in
 * general, and an invalid licenseDeclared makes the whole document invalid:
 * so licenseConcluded and licenseDeclared are always NOASSERTION and the
 * text as recorded goes into licenseComments (docs/formats.md). */
#include <stdio.h>

#include "report/writers.h"

#define NOASSERTION "NOASSERTION"

/* SPDXIDs admit only [A-Za-z0-9.-] after "SPDXRef-"; anything else becomes '-'. */
static const char *spdx_id(rp_ids *ids, buf *tmp, const char *prefix, const char *id)
{
	tmp->n = 0;
	if (buf_puts(tmp, prefix))
		return NULL;
	for (const char *s = id ? id : ""; *s; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '-';
		if (buf_putc(tmp, ok ? c : '-'))
			return NULL;
	}
	return rp_ids_claim(ids, tmp->p);
}

static void external_purl(rp_json_b *b, json_t *pkg, const char *locator)
{
	if (!locator)
		return;
	json_t *refs = json_array(), *r = json_object();
	rp_set(b, r, "referenceCategory", json_string("PACKAGE-MANAGER"));
	rp_set(b, r, "referenceType", json_string("purl"));
	rp_set(b, r, "referenceLocator", rp_jstr(b, locator));
	rp_push(b, refs, r);
	rp_set(b, pkg, "externalRefs", refs);
}

/* The fields every package here shares: nothing was downloaded or analysed. */
static json_t *base_pkg(rp_json_b *b, const char *spdxid, const char *name, const char *version)
{
	json_t *o = json_object();
	rp_set(b, o, "SPDXID", rp_jstr(b, spdxid));
	rp_set(b, o, "name", rp_jstr(b, name ? name : ""));
	rp_set_str(b, o, "versionInfo", version);
	rp_set(b, o, "downloadLocation", json_string(NOASSERTION));
	rp_set(b, o, "filesAnalyzed", json_false());
	rp_set(b, o, "licenseConcluded", json_string(NOASSERTION));
	rp_set(b, o, "licenseDeclared", json_string(NOASSERTION));
	rp_set(b, o, "copyrightText", json_string(NOASSERTION));
	return o;
}

static void relate(rp_json_b *b, json_t *rels, const char *from, const char *type, const char *to)
{
	json_t *r = json_object();
	rp_set(b, r, "spdxElementId", rp_jstr(b, from));
	rp_set(b, r, "relationshipType", json_string(type));
	rp_set(b, r, "relatedSpdxElement", rp_jstr(b, to));
	rp_push(b, rels, r);
}

static json_t *pkg_obj(rp_json_b *b, const lading_inventory *inv, const lading_package *p, const char *spdxid,
		       buf *tmp)
{
	json_t *o = base_pkg(b, spdxid, p->name, p->version);
	if (b->oom)
		return o;
	if (p->license && *p->license) {
		tmp->n = 0;
		if (buf_printf(tmp, "License as the package database records it: %s", p->license))
			b->oom = true;
		else
			rp_set(b, o, "licenseComments", rp_jstr(b, tmp->p));
	}
	if (p->source_name && !b->oom) {
		tmp->n = 0;
		if (buf_printf(tmp, "built from source package %s%s%s", p->source_name,
			       p->source_version ? " " : "", p->source_version ? p->source_version : ""))
			b->oom = true;
		else
			rp_set(b, o, "sourceInfo", rp_jstr(b, tmp->p));
	}
	if (!b->oom) {
		const lading_layer *l = rp_layer_of(inv, p->layer);
		tmp->n = 0;
		int rc = buf_printf(tmp, "%s package", lading_pkg_type_name(p->type));
		if (!rc && p->arch)
			rc = buf_printf(tmp, ", arch %s", p->arch);
		if (!rc && p->db_path)
			rc = buf_printf(tmp, ", listed in %s", p->db_path);
		if (!rc && l)
			rc = buf_printf(tmp, ", introduced by layer %d (%s)", p->layer,
					l->diff_id ? l->diff_id : "no diff_id");
		if (rc)
			b->oom = true;
		else
			rp_set(b, o, "comment", rp_jstr(b, tmp->p));
	}
	external_purl(b, o, p->purl);
	return o;
}

int rp_spdx(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	rp_json_b b = {0};
	rp_ids ids = {0};
	arena a = {0};
	buf tmp = {0};
	const lading_image_info *img = lading_inventory_image(inv);
	const lading_os *os = lading_inventory_os(inv);
	const char *name = rp_image_name(img);

	/* Reserved first so that no package can take them. */
	const char *doc_id = rp_ids_claim(&ids, "SPDXRef-DOCUMENT");
	const char *img_id = rp_ids_claim(&ids, "SPDXRef-Image");
	const char *os_id = os ? rp_ids_claim(&ids, "SPDXRef-OperatingSystem") : NULL;
	if (!doc_id || !img_id || (os && !os_id))
		b.oom = true;

	json_t *root = json_object();
	rp_set(&b, root, "spdxVersion", json_string("SPDX-2.3"));
	rp_set(&b, root, "dataLicense", json_string("CC0-1.0"));
	rp_set(&b, root, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	rp_set(&b, root, "name", rp_jstr(&b, name));
	/* The namespace only has to be a unique URI, never fetched: the reserved
	 * ".invalid" domain (RFC 2606) says so, the serial makes it unique. */
	if (buf_puts(&tmp, "https://lading.invalid/spdx/"))
		b.oom = true;
	for (const char *s = name; *s && !b.oom; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '-' || c == '_';
		if (buf_putc(&tmp, ok ? c : '-'))
			b.oom = true;
	}
	if (!b.oom && buf_printf(&tmp, "-%s", m->serial))
		b.oom = true;
	if (!b.oom)
		rp_set(&b, root, "documentNamespace", json_stringn(tmp.p, tmp.n));
	json_t *ci = json_object(), *creators = json_array();
	rp_set(&b, ci, "created", json_string(m->timestamp));
	rp_push(&b, creators, json_string("Tool: lading-" LADING_VERSION));
	rp_set(&b, ci, "creators", creators);
	rp_set(&b, root, "creationInfo", ci);

	json_t *pkgs = json_array(), *rels = json_array();
	if (!b.oom) {
		json_t *ip = base_pkg(&b, img_id, name, img->manifest_digest);
		rp_set(&b, ip, "primaryPackagePurpose", json_string("CONTAINER"));
		external_purl(&b, ip, purl_image(&a, img, true));
		rp_push(&b, pkgs, ip);
		relate(&b, rels, doc_id, "DESCRIBES", img_id);
	}
	if (os && !b.oom) {
		const char *ver = os->version ? os->version : os->version_id ? os->version_id : os->codename;
		json_t *op = base_pkg(&b, os_id, os->id ? os->id : "unknown", ver);
		rp_set(&b, op, "primaryPackagePurpose", json_string("OPERATING_SYSTEM"));
		rp_set_str(&b, op, "description", os->pretty_name);
		rp_push(&b, pkgs, op);
		relate(&b, rels, img_id, "CONTAINS", os_id);
	}
	size_t np = lading_inventory_npackages(inv);
	for (size_t i = 0; i < np && !b.oom; i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		const char *pid = spdx_id(&ids, &tmp, "SPDXRef-Package-", p->id);
		if (!pid) {
			b.oom = true;
			break;
		}
		rp_push(&b, pkgs, pkg_obj(&b, inv, p, pid, &tmp));
		relate(&b, rels, img_id, "CONTAINS", pid);
	}
	rp_set(&b, root, "packages", pkgs);
	rp_set(&b, root, "relationships", rels);

	int rc = b.oom ? -LADING_ENOMEM : rp_dump(out, root);
	json_decref(root);
	buf_free(&b.tmp);
	buf_free(&tmp);
	rp_ids_free(&ids);
	arena_free(&a);
	return rc;
}
