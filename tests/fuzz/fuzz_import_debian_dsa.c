/* libFuzzer harness for the debian_dsa feed importer (src/vulndb/import_debian_dsa.c): the
 * input is imported as a file named DSA-list (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, "debian_dsa", "DSA-list", LADING_FEED_DEBIAN_DSA);
}
