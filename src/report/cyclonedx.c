/* CycloneDX 1.6 JSON. The image is metadata.component (type "container"),
 * the OS an "operating-system" component, every package a flat "library"
 * component whose bom-ref is the package id; one dependency entry says the
 * image depends on all of them. Facts CycloneDX has no field for (db path,
 * layer, rpm epoch, ...) go into "lading:*" properties, only when set.
 * Licenses are written as {"license":{"name":…}}: package databases hold free
 * text ("GPLv2+", "BSD-3-Clause AND MIT"), and a name is valid for any text
 * where an "id" or "expression" would have to be checked against the SPDX
 * list first. */
#include <stdio.h>

#include "report/report_priv.h"

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
	const char *purl = rp_image_purl(a, img);
	if (purl)
		rp_set(b, c, "purl", rp_jstr(b, purl));
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
	rp_set_str(b, c, "purl", p->purl);
	json_t *props = json_array();
	prop(b, props, "lading:package:type", lading_pkg_type_name(p->type));
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

int rp_cyclonedx(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	rp_json_b b = {0};
	rp_ids ids = {0};
	arena a = {0};
	char serial[64];
	snprintf(serial, sizeof(serial), "urn:uuid:%s", m->serial);

	json_t *root = json_object();
	rp_set(&b, root, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
	rp_set(&b, root, "bomFormat", json_string("CycloneDX"));
	rp_set(&b, root, "specVersion", json_string("1.6"));
	rp_set(&b, root, "serialNumber", json_string(serial));
	rp_set(&b, root, "version", json_integer(1));

	/* The image and OS claim their refs first so that a package id that
	 * happens to equal them is the one that gets a suffix. */
	const char *img_ref = rp_ids_claim(&ids, "image");
	const lading_os *os = lading_inventory_os(inv);
	const char *os_ref = os ? rp_ids_claim(&ids, "os") : NULL;
	if (!img_ref || (os && !os_ref))
		b.oom = true;

	json_t *meta = json_object();
	rp_set(&b, meta, "timestamp", json_string(m->timestamp));
	json_t *tools = json_object(), *tcomps = json_array(), *tool = json_object();
	rp_set(&b, tool, "type", json_string("application"));
	rp_set(&b, tool, "name", json_string("lading"));
	rp_set(&b, tool, "version", json_string(LADING_VERSION));
	rp_push(&b, tcomps, tool);
	rp_set(&b, tools, "components", tcomps);
	rp_set(&b, meta, "tools", tools);
	if (!b.oom)
		rp_set(&b, meta, "component", image_component(&b, inv, img_ref, &a));
	rp_set(&b, root, "metadata", meta);

	json_t *comps = json_array(), *deps_on = json_array();
	if (os && !b.oom) {
		rp_push(&b, comps, os_component(&b, os, os_ref));
		rp_push(&b, deps_on, rp_jstr(&b, os_ref));
	}
	size_t np = lading_inventory_npackages(inv);
	for (size_t i = 0; i < np && !b.oom; i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		/* bom-ref needs at least one character */
		const char *ref = rp_ids_claim(&ids, p->id && *p->id ? p->id : "package");
		if (!ref) {
			b.oom = true;
			break;
		}
		rp_push(&b, comps, pkg_component(&b, inv, p, ref));
		rp_push(&b, deps_on, rp_jstr(&b, ref));
	}
	rp_set(&b, root, "components", comps);

	json_t *deps = json_array(), *dep = json_object();
	rp_set(&b, dep, "ref", rp_jstr(&b, img_ref));
	rp_set(&b, dep, "dependsOn", deps_on);
	rp_push(&b, deps, dep);
	rp_set(&b, root, "dependencies", deps);

	int rc = b.oom ? -LADING_ENOMEM : rp_dump(out, root);
	json_decref(root);
	buf_free(&b.tmp);
	rp_ids_free(&ids);
	arena_free(&a);
	return rc;
}
