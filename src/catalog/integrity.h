/* File integrity: the image's files against the digests the OS package
 * databases recorded (src/catalog/integrity.c). The walk records every
 * regular file of every layer (image.h: lfile, only with opt.integrity on);
 * the driver hands the layer results here after the inventory is final. */
#ifndef LADING_INTEGRITY_H
#define LADING_INTEGRITY_H

#include "inventory.h"
#include "util/util.h"

/* dpkg-divert's database: the one file whose bytes the walk keeps for us. */
#define INTEGRITY_DIVERSIONS "/var/lib/dpkg/diversions"

typedef struct layer_result layer_result;

/* Merges the layers' file records bottom-up as the runtime would see them
 * (whiteouts, opaque directories, a directory replaced by a link or a file),
 * compares every OS package's files with the result, and stores the findings
 * and the summary on `inv` (which must be finished: package indexes are
 * final). `layered` is false for a directory source (no layer indexes).
 * Returns 0 or -LADING_ENOMEM; bad input is an inventory warning. */
int integrity_run(lading_inventory *inv, const layer_result *res, size_t nres, bool layered);

/* One record of /var/lib/dpkg/diversions: three lines, the diverted path,
 * where the diverted file lives instead, and the package that diverted it
 * (":" for a local diversion by the administrator). Views into the data. */
typedef struct diversion {
	sv from, to, pkg;
} diversion;

/* Parses the diversions file into *out (malloc'd, caller frees; NULL when
 * none). Records whose paths are not absolute, and a trailing incomplete
 * record, are skipped and counted in *bad. At most 65536 records are read.
 * Returns 0 or -LADING_ENOMEM. */
int dpkg_diversions_parse(diversion **out, size_t *n, size_t *bad, sv data);

#endif
