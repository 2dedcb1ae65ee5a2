/* libFuzzer harness for the debian_tracker feed importer (src/vulndb/import_debian_tracker.c): the
 * input is imported as a file named tracker.json (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, "debian_tracker", "tracker.json", LADING_FEED_DEBIAN_TRACKER);
}
