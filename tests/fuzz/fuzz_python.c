/* libFuzzer harness for the python file cataloger (src/catalog/python.c): the core-metadata header
 * parser. The input is one file's bytes, handed to parse() as the walk would at a path the cataloger
 * claims; the packages are then finished as the driver does (purls and ids), so what parse() stored is
 * read back too. */
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lading_inventory *inv;
	if (inv_new(&inv))
		return 0;
	file_run run = {.ctx = NULL,
			.inv = inv,
			.path = "/usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA",
			.layer = 0};
	if (file_cataloger_python.parse(&run, sv_make(data, size)) == 0)
		(void)inv_finish(inv);
	lading_inventory_free(inv);
	return 0;
}
