/* Go build info without an ELF file around it: the header search and both
 * header formats (inline strings, Go >= 1.18; pointers, older) on a flat
 * image where addresses are offsets, then the module info parser, once on
 * what the header gave and once on the raw bytes as module info text. */
#include <stdlib.h>

#include "catalog/binary.h"
#include "inventory.h"
#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	lading_inventory *inv = NULL;
	if (inv_new(&inv))
		return 0;
	file_run run = {.inv = inv, .path = "/usr/bin/fuzz"};
	go_buildinfo bi;
	if (gobin_find_flat(&bi, sv_make(data, size)) == 0)
		(void)gobin_add_packages(&run, &bi);
	go_buildinfo raw = {.version = SV_LIT("go1.21.3"), .modinfo = sv_make(data, size)};
	(void)gobin_add_packages(&run, &raw);
	lading_inventory_free(inv);
	return 0;
}
