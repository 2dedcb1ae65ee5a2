/* libFuzzer harness for the ubuntu feed importer (src/vulndb/import_ubuntu.c): the
 * input is imported as a file named CVE-2099-0001 (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, "ubuntu", "CVE-2099-0001", LADING_FEED_UBUNTU);
}
