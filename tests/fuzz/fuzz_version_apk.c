/* libFuzzer harness for the apk version comparator (src/version/apk.c): up to
 * three versions separated by '\n', checked by fuzz_version.h for
 * reflexivity, antisymmetry and transitivity. */
#include "fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version(data, size, vcmp_apk, '\n', true);
}
