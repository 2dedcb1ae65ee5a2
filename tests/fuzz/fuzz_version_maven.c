/* libFuzzer harness for vcmp_maven (src/version/maven.c): up to three versions
 * separated by tabs, checked by fuzz_version.h for reflexivity and
 * antisymmetry.
 *
 * Not transitive: Maven's ComparableVersion itself is not ("x" < "-a2" and
 * "-a2" < "0", yet "x" > "0" in Maven 3.8.7, checked with the real class:
 * a qualifier sorts below a sub-list, a sub-list starting with alpha below
 * nothing, and an unknown qualifier above nothing), and vcmp_maven follows
 * it. The other harnesses check transitivity. */
#include "fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version(data, size, vcmp_maven, '\t', false);
}
