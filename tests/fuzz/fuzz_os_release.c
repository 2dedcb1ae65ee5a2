/* libFuzzer harness for the OS identity cataloger (src/catalog/os_release.c).
 * The input is split on NUL bytes into the contents of the files it reads,
 * in the order of `paths` below, so that the fallbacks and the refinements
 * from debian_version / alpine-release / redhat-release are reached too. The
 * whole input is also read as one os-release file. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
    "/etc/os-release",	   "/etc/debian_version", "/etc/alpine-release",
    "/etc/redhat-release", "/etc/lsb-release",	  "/etc/system-release-cpe",
    "/etc/SuSE-release",   "/etc/centos-release", "/usr/lib/os-release",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sv in = sv_make(data, size);
	fsview *v;
	lading_inventory *inv;
	if (fsview_new(&v))
		return 0;
	if (inv_new(&inv)) {
		fsview_free(v);
		return 0;
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && in.n; i++) {
		sv part = sv_split(&in, '\0');
		if (part.n)
			fsview_put_copy(v, paths[i], part.p, part.n);
	}
	cat_run r = {.view = v, .inv = inv, .warn = true};
	cataloger_os_release.run(&r);

	arena a = {0};
	char *val;
	osrel_get(&val, &a, sv_make(data, size), "ID");
	osrel_get(&val, &a, sv_make(data, size), "VERSION");
	arena_free(&a);

	lading_inventory_free(inv);
	fsview_free(v);
	return 0;
}
