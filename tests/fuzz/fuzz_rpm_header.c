/* libFuzzer harness for the rpm header blob parser (src/catalog/rpm/header.c):
 * one input is one header blob as a database stores it. Seeds: blobs taken
 * from the corpus databases (e.g. the rows of cbl-mariner-2.0/rpmdb.sqlite). */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/rpm/rpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes so that ASan catches any over-read */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	rpm_pkg p;
	const char *why = NULL;
	if (rpm_pkg_from_blob(&p, sv_make(copy, size), "/var/lib/rpm/Packages", &why) == 0) {
		/* touch every string so that a bad pointer shows up here */
		size_t n = strlen(p.pkg.name) + strlen(p.pkg.version);
		for (size_t i = 0; i < p.pkg.nfiles; i++)
			n += strlen(p.pkg.files[i].path) +
			     (p.pkg.files[i].digest ? strlen(p.pkg.files[i].digest) : 0);
		if (n == SIZE_MAX)
			abort();
	}
	rpm_pkg_free(&p);
	free(copy);
	return 0;
}
