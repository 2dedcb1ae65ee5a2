/* npm: every installed package's package.json under node_modules, one file at
 * a time (a file cataloger: a node_modules tree can hold thousands).
 *
 * A package is node_modules/<name>/package.json or
 * node_modules/@scope/<name>/package.json, at any depth (nested copies are
 * separate packages, each reported with its own path, as `npm ls --all` does).
 * Other package.json files under node_modules (a package's test fixtures,
 * nested build outputs) are not packages and are ignored. */
#include <jansson.h>

#include "catalog/catalog.h"
#include "lading/lading.h"

static const cat_claim claims[] = {
	{CLAIM_SUFFIX, "/node_modules/", "/package.json"},
};

/* Splits ".../node_modules/[@scope/]name/package.json"; false if the path is
 * not a package's manifest. */
static bool package_path(const char *path, sv *scope, sv *name)
{
	const char *nm = NULL;
	for (const char *q = path; (q = strstr(q, "/node_modules/")) != NULL; q++)
		nm = q;
	if (!nm)
		return false;
	sv rest = sv_cstr(nm + strlen("/node_modules/"));
	if (!sv_ends_with(rest, SV_LIT("/package.json")))
		return false;
	rest.n -= strlen("/package.json");
	*scope = (sv){NULL, 0};
	if (rest.n && rest.p[0] == '@') {
		*scope = sv_split(&rest, '/');
		if (scope->n < 2)
			return false;
	}
	*name = rest;
	return name->n > 0 && sv_find(*name, '/') == SIZE_MAX && !sv_eq_cstr(*name, ".bin") &&
	       !sv_eq_cstr(*name, ".cache") && name->p[0] != '.';
}

static int parse(file_run *run, sv data)
{
	sv scope, dirname;
	if (!package_path(run->path, &scope, &dirname))
		return 0;
	json_t *j = file_json_object(run, data);
	if (!j)
		return 0;
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *version = json_string_value(json_object_get(j, "version"));
	int rc = 0;
	if (!name || !version || !*name || !*version) {
		file_warn(run, "no name or version; skipped");
		goto out;
	}
	/* license: "MIT", {"type": "MIT"}, or the old "licenses": [{"type": …}] */
	json_t *lic = json_object_get(j, "license");
	const char *license = json_string_value(lic);
	if (!license)
		license = json_string_value(json_object_get(lic, "type"));
	if (!license)
		license = json_string_value(json_object_get(json_array_get(json_object_get(j, "licenses"), 0), "type"));
	lading_package p = {.type = LADING_PKG_NPM, .version = version, .license = license, .db_path = run->path};
	/* "@scope/name": the scope is the purl namespace */
	char *ns = NULL, *nm = NULL;
	const char *slash = name[0] == '@' ? strchr(name, '/') : NULL;
	if (slash) {
		ns = strndup(name, (size_t)(slash - name));
		nm = strdup(slash + 1);
	} else {
		nm = strdup(name);
	}
	if ((slash && !ns) || !nm) {
		rc = -LADING_ENOMEM;
	} else {
		p.namespace_ = ns;
		p.name = nm;
		rc = inv_add_package(run->inv, &p);
	}
	free(ns);
	free(nm);
out:
	json_decref(j);
	return rc;
}

const file_cataloger file_cataloger_npm = {"npm", claims, sizeof(claims) / sizeof(claims[0]), NULL, 4 << 20, parse};
