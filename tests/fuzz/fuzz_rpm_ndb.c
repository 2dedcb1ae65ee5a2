/* libFuzzer harness for the rpm NDB `Packages.db` reader (src/catalog/rpm/ndb.c),
 * driven through the cataloger's run() on a hand-built file-system view so
 * that the header parser and the inventory are exercised too. Seeds:
 * small NDB files holding sle15-bci's own blobs (tests/fuzz/seedgen.py). */
#include <stdint.h>

#include "catalog/catalog.h"
#include "fs/fsview.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fsview *v = NULL;
	lading_inventory *inv = NULL;
	if (fsview_new(&v) == 0 && inv_new(&inv) == 0 &&
	    fsview_put_copy(v, "/var/lib/rpm/Packages.db", data, size) == 0) {
		cat_run r = {.view = v, .inv = inv, .warn = true, .max_file_size = 256u << 20};
		cataloger_rpm.run(&r);
	}
	lading_inventory_free(inv);
	fsview_free(v);
	return 0;
}
