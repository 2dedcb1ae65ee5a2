/* libFuzzer harness for the gem file cataloger (src/catalog/gem.c): the gemspec reader (string
 * literals, arrays, Gem::Version.new). The input is one file's bytes, handed to parse() as the walk
 * would at a path the cataloger claims; the packages are then finished as the driver does (purls and
 * ids), so what parse() stored is read back too. */
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_file(&file_cataloger_gem, "/usr/local/bundle/specifications/x-1.0.gemspec", data, size);
}
