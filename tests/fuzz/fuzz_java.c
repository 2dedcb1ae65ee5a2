/* libFuzzer harness for the Java archive cataloger (src/catalog/java.c). The
 * input is read as a jar (a zip, with nested archives, manifests and
 * pom.properties inside) and as a Debian maven-repo pom, through the same
 * parse call the walk makes. Seeds: the corpus jars and wars, which are
 * large; libFuzzer's -max_len keeps mutations small while the nested-archive
 * and manifest paths are still reached from small hand-built zips. */
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"/app/fuzz.jar", "/usr/share/maven-repo/org/x/a/1.0/a-1.0.pom"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		lading_inventory *inv;
		if (inv_new(&inv))
			return 0;
		file_run r = {.inv = inv, .path = paths[i]};
		file_cataloger_java.parse(&r, sv_make(data, size));
		lading_inventory_free(inv);
	}
	return 0;
}
