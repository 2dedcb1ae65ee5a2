/* libFuzzer harness for the dpkg cataloger (src/catalog/dpkg.c). The input is
 * split on NUL bytes: the status file, then the .list, .md5sums and
 * .conffiles of the first package the status file names, then a distroless
 * status.d file and its .md5sums. All of it goes through run(), so the
 * owned-file merge is fuzzed together with the stanza parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first "Package: " value, so that the info files match it. */
static sv first_package(sv status)
{
	sv line;
	while (sv_next_line(&status, &line))
		if (sv_starts_with(line, SV_LIT("Package:")))
			return sv_trim(sv_make(line.p + 8, line.n - 8));
	return SV_LIT("a");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sv in = sv_make(data, size), part[6] = {{0}};
	for (size_t i = 0; i < 6 && in.n; i++)
		part[i] = sv_split(&in, '\0');
	sv name = first_package(part[0]);
	if (name.n > 200)
		name.n = 200;
	fsview *v;
	lading_inventory *inv;
	if (fsview_new(&v))
		return 0;
	if (inv_new(&inv)) {
		fsview_free(v);
		return 0;
	}
	static const char *const ext[] = {".list", ".md5sums", ".conffiles"};
	char path[512];
	fsview_put_copy(v, "/var/lib/dpkg/status", part[0].p, part[0].n);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/var/lib/dpkg/info/%.*s%s", (int)name.n, name.p, ext[i]);
		if (part[1 + i].n)
			fsview_put_copy(v, path, part[1 + i].p, part[1 + i].n);
	}
	if (part[4].n)
		fsview_put_copy(v, "/var/lib/dpkg/status.d/a", part[4].p, part[4].n);
	if (part[5].n)
		fsview_put_copy(v, "/var/lib/dpkg/status.d/a.md5sums", part[5].p, part[5].n);
	cat_run r = {.view = v, .inv = inv, .warn = true};
	cataloger_dpkg.run(&r);
	lading_inventory_free(inv);
	fsview_free(v);
	return 0;
}
