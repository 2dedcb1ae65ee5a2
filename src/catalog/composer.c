/* Composer (PHP): the packages installed in a vendor/ tree, as Composer
 * records them in vendor/composer/installed.json (a file cataloger).
 *
 * Composer 1 writes a bare array of package objects; Composer 2 writes
 * {"packages": [...], "dev": …, "dev-package-names": [...]}. The package
 * objects are the same in both and in composer.lock. Each has "name":
 * "vendor/package" (reported as namespace_ = vendor, name = package, the
 * purl's pkg:composer/vendor/package), "version" as Composer shows it
 * ("v5.4.3", "1.13.1", "dev-main") and "license" (an array of SPDX ids, or
 * now and then a single string). Development packages are installed too,
 * so they are reported like the others. */
#include <jansson.h>

#include "catalog/catalog.h"
#include "lading/lading.h"
#include <stdlib.h>

static const cat_claim claims[] = {
    {CLAIM_SUFFIX, NULL, "/vendor/composer/installed.json"},
};

/* "MIT" or ["MIT", "GPL-2.0-only"] → "MIT, GPL-2.0-only" in *out. */
static int license_of(json_t *lic, buf *out)
{
	if (json_is_string(lic))
		return buf_puts(out, json_string_value(lic));
	size_t i;
	json_t *v;
	json_array_foreach(lic, i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !*s)
			continue;
		int rc = out->n ? buf_puts(out, ", ") : 0;
		if (!rc)
			rc = buf_puts(out, s);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_one(file_run *run, size_t idx, json_t *pkg)
{
	const char *full = json_string_value(json_object_get(pkg, "name"));
	const char *version = json_string_value(json_object_get(pkg, "version"));
	if (!full || !*full || !version || !*version) {
		file_warn(run, "package %zu has no name or version; skipped", idx);
		return 0;
	}
	const char *slash = strchr(full, '/');
	if (slash == full || (slash && !slash[1])) {
		file_warn(run, "package %zu: bad name \"%.200s\"; skipped", idx, full);
		return 0;
	}
	buf lic = {.max = 4096};
	char *ns = slash ? strndup(full, (size_t)(slash - full)) : NULL;
	int rc = license_of(json_object_get(pkg, "license"), &lic);
	if (rc == -LADING_ELIMIT) {
		buf_free(&lic);
		rc = 0;
	}
	if (!rc && slash && !ns)
		rc = -LADING_ENOMEM;
	if (!rc) {
		lading_package p = {.type = LADING_PKG_COMPOSER,
				    .namespace_ = ns,
				    .name = slash ? slash + 1 : full,
				    .version = version,
				    .license = lic.n ? lic.p : NULL,
				    .db_path = run->path};
		rc = inv_add_package(run->inv, &p);
	}
	free(ns);
	buf_free(&lic);
	return rc;
}

static int parse(file_run *run, sv data)
{
	json_error_t e;
	json_t *j = json_loadb(data.p, data.n, 0, &e);
	json_t *pkgs = json_is_array(j) ? j : json_object_get(j, "packages");
	int rc = 0;
	if (!j) {
		file_warn(run, "not valid JSON (line %d: %s); skipped", e.line, e.text);
	} else if (!json_is_array(pkgs)) {
		file_warn(run, "neither a package array nor {\"packages\": [...]}; skipped");
	} else {
		size_t i;
		json_t *pkg;
		json_array_foreach(pkgs, i, pkg)
		{
			if (!json_is_object(pkg)) {
				file_warn(run, "package %zu is not an object; skipped", i);
				continue;
			}
			if ((rc = add_one(run, i, pkg)) != 0)
				break;
		}
	}
	json_decref(j);
	return rc;
}

const file_cataloger file_cataloger_composer = {"composer", claims,   sizeof(claims) / sizeof(claims[0]),
						NULL,	    64 << 20, parse};
