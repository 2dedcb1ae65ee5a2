/* libFuzzer harness for dpkg's path filter parser (src/catalog/integrity.c):
 * any bytes as a dpkg.cfg file, then a few paths through the filters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/integrity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dpkg_filters f = {0};
	if (dpkg_filters_parse(&f, sv_make(data, size)) == 0) {
		static const char *const paths[] = {"/usr/share/doc/x/copyright", "/usr/share/man/man1/a.1.gz", "/bin/sh"};
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			(void)dpkg_filters_exclude(&f, paths[i]);
		for (size_t i = 0; i < f.n; i++)
			if (!f.v[i].pattern[0] || strlen(f.v[i].pattern) > size)
				abort();
	}
	dpkg_filters_free(&f);
	return 0;
}
