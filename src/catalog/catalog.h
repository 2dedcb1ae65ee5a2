/* The cataloger interface. A cataloger declares which paths it wants kept
 * from the layer walk (its claims) and a run function that reads those files
 * from a merged view of the file system and adds what it finds to an
 * inventory. It never opens host files and never knows which source (image,
 * archive, directory) or which layer the bytes came from: the driver
 * (src/scan.c) runs it once for the final view, and once per layer that
 * changed one of its files to work out which layer introduced each package.
 *
 * Adding an ecosystem = one file with a `const cataloger` and one row in the
 * table in catalog.c. */
#ifndef LADING_CATALOG_H
#define LADING_CATALOG_H

#include "inventory.h"
#include "util/util.h"

typedef struct lading_ctx lading_ctx;
typedef struct fsview fsview;

/* ---- the merged file-system view (implemented in src/image/fsview.c) ---- */

/* Paths are absolute and normalised: "/var/lib/dpkg/status" (no "." or "..",
 * no trailing or doubled "/"). */

/* Looks up a regular file, following symbolic links inside the view (at most
 * 40 hops; a link never leaves the image). On success *data borrows the bytes,
 * valid until the view changes. Returns false if absent or not a kept file. */
bool fsview_get(const fsview *v, const char *path, sv *data);
/* Calls fn for each kept regular file whose path starts with `prefix`, in
 * byte order of path; stops and returns fn's value if it is non-zero. */
typedef int (*fsview_each_fn)(void *ud, const char *path, sv data);
int fsview_each(const fsview *v, const char *prefix, fsview_each_fn fn, void *ud);

/* ---- catalogers ---------------------------------------------------------- */

typedef enum claim_kind {
	CLAIM_EXACT = 1,    /* path equals `path` */
	CLAIM_DIR = 2,      /* path is `path` + "/" + anything (any depth), ending in `suffix` if set */
} claim_kind;

typedef struct cat_claim {
	claim_kind kind;
	const char *path;   /* absolute, normalised */
	const char *suffix; /* CLAIM_DIR only; NULL = any */
} cat_claim;

/* What a run gets. `inv` receives packages (inv_add_package) or the OS
 * (inv_set_os). `os` is the OS identity found in the same view, or NULL
 * (the os-release cataloger runs first). `warn` is false on the per-layer
 * history runs, so that one bad record is reported once, not once per layer. */
typedef struct cat_run {
	lading_ctx *ctx;
	const fsview *view;
	lading_inventory *inv;
	const lading_os *os;
	bool warn;
	uint64_t max_file_size;
} cat_run;

/* Reports a skipped record or ignored file: adds an inventory warning (when
 * run->warn) naming what was skipped. */
void cat_warn(cat_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct cataloger {
	const char *name;
	const cat_claim *claims;
	size_t nclaims;
	/* Reads the view and adds to run->inv. Returns 0, or a negative LADING_E*
	 * only for failures that should stop the whole scan (out of memory). Bad
	 * input is a warning and a skipped record, never an error. */
	int (*run)(cat_run *run);
} cataloger;

/* The table of all catalogers, OS identity first. */
extern const cataloger *const lading_catalogers[];
extern const size_t lading_ncatalogers;

/* Does any cataloger (or this one, if c != NULL) claim `path`? */
bool catalog_claims(const cataloger *c, const char *path, size_t len);

extern const cataloger cataloger_os_release;
extern const cataloger cataloger_dpkg;
extern const cataloger cataloger_apk;
extern const cataloger cataloger_rpm;

#endif
