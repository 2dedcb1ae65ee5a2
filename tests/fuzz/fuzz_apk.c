/* libFuzzer harness for the apk installed-database parser (src/catalog/apk.c):
 * the input is one lib/apk/db/installed, read through the cataloger's run(). */
#include <stddef.h>
#include <stdint.h>

#include "catalog/ospkg.h"
#include "fs/fsview.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fsview *v;
	lading_inventory *inv;
	if (fsview_new(&v))
		return 0;
	if (inv_new(&inv)) {
		fsview_free(v);
		return 0;
	}
	if (fsview_put_copy(v, "/lib/apk/db/installed", data, size) == 0) {
		cat_run r = {.view = v, .inv = inv, .warn = true};
		cataloger_apk.run(&r);
	}
	lading_inventory_free(inv);
	fsview_free(v);
	return 0;
}
