/* libFuzzer harness for the OSV importer (src/vulndb/import_osv.c): the first
 * byte picks the file's kind (JSON, PyPA YAML or zip), the rest is the content
 * (see fuzz_import.h). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const name[] = {"in.json", "in.yaml", "in.zip"};
	if (size < 1)
		return 0;
	return fuzz_import(data + 1, size - 1, "osv", name[data[0] % 3], LADING_FEED_OSV);
}
