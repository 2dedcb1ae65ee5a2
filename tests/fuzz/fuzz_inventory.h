/* Input handling shared by the report writer harnesses (fuzz_report.c,
 * fuzz_report_scan.c): the input is cut into newline-separated fields, and an
 * inventory gets its image (fields 0-3: name, target, digest, arch) and
 * operating system (4-7: id, version_id, pretty_name, codename) from them. */
#ifndef LADING_FUZZ_INVENTORY_H
#define LADING_FUZZ_INVENTORY_H

#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct fuzz_fields {
	char *copy; /* the input, NUL-terminated, with each '\n' turned into a NUL */
	const char **f;
	size_t n;
} fuzz_fields;

/* Up to `max` fields into f, which has room for `max`; what follows the
 * last one is ignored. -1 when out of memory. */
static int fuzz_fields_split(fuzz_fields *ff, const char **f, size_t max, const unsigned char *data,
			     size_t size)
{
	ff->copy = malloc(size + 1);
	if (!ff->copy)
		return -1;
	memcpy(ff->copy, data, size);
	ff->copy[size] = 0;
	ff->f = f;
	ff->n = 0;
	char *p = ff->copy;
	while (ff->n < max) {
		f[ff->n++] = p;
		char *e = memchr(p, '\n', (size_t)(ff->copy + size - p));
		if (!e)
			break;
		*e = 0;
		p = e + 1;
	}
	return 0;
}

/* Field i, or NULL when it is absent or empty. */
static const char *fuzz_field(const fuzz_fields *ff, size_t i)
{
	return i < ff->n && *ff->f[i] ? ff->f[i] : NULL;
}

/* A new inventory with the image and os of fields 0-7 (the os only when it
 * has an id or a version). The strings stay the input's: they must outlive
 * the inventory. */
static int fuzz_inventory_new(lading_inventory **inv, const fuzz_fields *ff)
{
	if (inv_new(inv))
		return -1;
	(*inv)->image.name = fuzz_field(ff, 0);
	(*inv)->image.target = fuzz_field(ff, 1);
	(*inv)->image.manifest_digest = fuzz_field(ff, 2);
	(*inv)->image.architecture = fuzz_field(ff, 3);
	lading_os os = {.id = fuzz_field(ff, 4),
			.version_id = fuzz_field(ff, 5),
			.pretty_name = fuzz_field(ff, 6),
			.codename = fuzz_field(ff, 7)};
	if (os.id || os.version_id)
		inv_set_os(*inv, &os);
	return 0;
}

#endif
