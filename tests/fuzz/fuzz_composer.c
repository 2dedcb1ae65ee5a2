/* libFuzzer harness for the composer file cataloger (src/catalog/composer.c): the installed.json
 * reader (Composer 1 and 2 forms). The input is one file's bytes, handed to parse() as the walk would
 * at a path the cataloger claims; the packages are then finished as the driver does (purls and ids),
 * so what parse() stored is read back too. */
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_file(&file_cataloger_composer, "/app/vendor/composer/installed.json", data, size);
}
