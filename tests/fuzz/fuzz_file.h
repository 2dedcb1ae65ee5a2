/* The body every file-cataloger harness shares: one input is one file's
 * bytes, handed to the cataloger's parse() at a path it claims, as the walk
 * would; the packages are then finished as the driver does (purls and ids),
 * so what parse() stored is read back too. */
#ifndef LADING_FUZZ_FILE_H
#define LADING_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "inventory.h"

static inline int fuzz_file(const file_cataloger *fc, const char *path, const uint8_t *data, size_t size)
{
	lading_inventory *inv;
	if (inv_new(&inv))
		return 0;
	file_run run = {.ctx = NULL, .inv = inv, .path = path, .layer = 0};
	if (fc->parse(&run, sv_make(data, size)) == 0)
		(void)inv_finish(inv);
	lading_inventory_free(inv);
	return 0;
}

/* For harnesses of several formats: the first byte chooses the format
 * (modulo n), the rest is the file. */
typedef struct fuzz_format {
	const file_cataloger *fc;
	const char *path;
} fuzz_format;

static inline int fuzz_file_pick(const fuzz_format *formats, size_t n, const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const fuzz_format *f = &formats[data[0] % n];
	return fuzz_file(f->fc, f->path, data + 1, size - 1);
}

#endif
