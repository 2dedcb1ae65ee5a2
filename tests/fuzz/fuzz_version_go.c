/* libFuzzer harness for vcmp_go (src/version/go.c): up to three versions
 * separated by tabs, checked by fuzz_version.h for reflexivity, antisymmetry
 * and transitivity. */
#include "fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version(data, size, vcmp_go, '\t', true);
}
