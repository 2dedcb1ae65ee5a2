/* libFuzzer harness for the Alpine secdb importer (src/vulndb/import_alpine.c):
 * the input (JSON or YAML, told apart by the importer from the content) is
 * imported as a file named main.yaml (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import(data, size, "alpine", "main.yaml", LADING_FEED_ALPINE_SECDB);
}
