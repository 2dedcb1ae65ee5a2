/* libFuzzer harness for the Java archive cataloger (src/catalog/java.c). The
 * input is read as a jar (a zip, with nested archives, manifests and
 * pom.properties inside) and as a Debian maven-repo pom, through the same
 * parse call the walk makes. Seeds (tests/fuzz/seed.sh): the small corpus
 * jars, the smaller jars inside the corpus wars and the wars rebuilt with only
 * those (the nested-archive path), and the corpus pom files. */
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
