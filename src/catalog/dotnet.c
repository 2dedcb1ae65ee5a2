/* .NET: the NuGet packages an application was built against, from its
 * NAME.deps.json (a file cataloger). `dotnet publish` writes this file beside
 * the application's main assembly, and the runtime reads it to resolve
 * assemblies, so it lists what the application loads.
 *
 * "libraries" maps "Name/Version" to an entry whose "type" says where it came
 * from: "package" is a NuGet package (reported as pkg:nuget/Name@Version);
 * "project" (the application and its own projects), "reference" and
 * "runtimepack" (the .NET runtime itself in a self-contained app) are not
 * NuGet packages and are left out. */
#include <jansson.h>

#include "catalog/catalog.h"
#include "lading/lading.h"
#include <stdlib.h>

static const cat_claim claims[] = {
    {CLAIM_SUFFIX, NULL, ".deps.json"},
};

static int parse(file_run *run, sv data)
{
	json_error_t e;
	json_t *j = json_loadb(data.p, data.n, 0, &e);
	json_t *libs = json_object_get(j, "libraries");
	int rc = 0;
	if (!j) {
		file_warn(run, "not valid JSON (line %d: %s); skipped", e.line, e.text);
		goto out;
	}
	if (!json_is_object(libs)) {
		file_warn(run, "no \"libraries\" object; skipped");
		goto out;
	}
	const char *key;
	json_t *lib;
	json_object_foreach(libs, key, lib)
	{
		if (!json_is_object(lib)) {
			file_warn(run, "library \"%.200s\" is not an object; skipped", key);
			continue;
		}
		const char *type = json_string_value(json_object_get(lib, "type"));
		if (!type || strcmp(type, "package") != 0)
			continue;
		/* NuGet ids have no '/', so the first one ends the name */
		const char *slash = strchr(key, '/');
		if (!slash || slash == key || !slash[1] || strchr(slash + 1, '/')) {
			file_warn(run, "library \"%.200s\" is not Name/Version; skipped", key);
			continue;
		}
		char *name = strndup(key, (size_t)(slash - key));
		if (!name) {
			rc = -LADING_ENOMEM;
			break;
		}
		lading_package p = {
		    .type = LADING_PKG_NUGET, .name = name, .version = slash + 1, .db_path = run->path};
		rc = inv_add_package(run->inv, &p);
		free(name);
		if (rc)
			break;
	}
out:
	json_decref(j);
	return rc;
}

const file_cataloger file_cataloger_dotnet = {"dotnet", claims,	  sizeof(claims) / sizeof(claims[0]),
					      NULL,	32 << 20, parse};
