/* libFuzzer harness for dpkg's diversions file parser (src/catalog/integrity.c). */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/integrity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diversion *d = NULL;
	size_t n = 0, bad = 0;
	if (dpkg_diversions_parse(&d, &n, &bad, sv_make(data, size)) == 0)
		for (size_t i = 0; i < n; i++)
			if (d[i].from.n < 2 || d[i].from.p[0] != '/' || d[i].to.p < (const char *)data ||
			    d[i].to.p + d[i].to.n > (const char *)data + size)
				abort();
	free(d);
	return 0;
}
