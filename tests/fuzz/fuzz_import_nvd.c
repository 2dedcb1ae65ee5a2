/* libFuzzer harness for the nvd feed importer (src/vulndb/import_nvd.c): the
 * input is imported as a file named nvdcve.json.gz (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, "nvd", "nvdcve.json.gz", LADING_FEED_NVD);
}
