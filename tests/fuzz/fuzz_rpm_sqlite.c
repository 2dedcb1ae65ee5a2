/* libFuzzer harness for the rpm SQLite `rpmdb.sqlite` reader (src/catalog/rpm/sqlite.c),
 * driven through the cataloger's run() on a hand-built file-system view so
 * that the header parser and the inventory are exercised too. Seeds:
 * rpmdb.sqlite files that rpm itself builds from the headers of each corpus
 * rpm database, each under -max_len (tests/fuzz/seedgen.py). */
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
	    fsview_put_copy(v, "/var/lib/rpm/rpmdb.sqlite", data, size) == 0) {
		cat_run r = {.view = v, .inv = inv, .warn = true, .max_file_size = 256u << 20};
		cataloger_rpm.run(&r);
	}
	lading_inventory_free(inv);
	fsview_free(v);
	return 0;
}
