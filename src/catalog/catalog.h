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

#include <jansson.h>

#include "fs/fsview.h"
#include "inventory.h"
#include "util/util.h"

typedef struct lading_ctx lading_ctx;
/* ---- catalogers ---------------------------------------------------------- */

typedef enum claim_kind {
	CLAIM_EXACT = 1,    /* path equals `path` */
	CLAIM_DIR = 2,      /* path is `path` + "/" + anything (any depth), ending in `suffix` if set */
	CLAIM_SUFFIX = 3,   /* path ends in `suffix` and, if `path` is set, contains `path` anywhere
			     * ("/node_modules/" + "/package.json") */
} claim_kind;

typedef struct cat_claim {
	claim_kind kind;
	const char *path;   /* CLAIM_EXACT/DIR: absolute, normalised; CLAIM_SUFFIX: a substring or NULL */
	const char *suffix; /* CLAIM_DIR: NULL = any; CLAIM_SUFFIX: required */
} cat_claim;

/* Does one claim match a normalised path? */
bool claim_match(const cat_claim *c, const char *path, size_t len);

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
	/* Only the packages' identities are wanted (the per-layer passes of layer
	 * attribution, which compare keys): a cataloger may leave out owned
	 * files and other detail that costs time to read. */
	bool identities_only;
	const char *cataloger; /* its name, for warnings */
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

/* ---- file catalogers ----------------------------------------------------------
 *
 * A file cataloger looks at single files as the walk meets them, in the walk
 * thread, and turns each into packages on the spot: only the packages are
 * kept, never the file. This is for ecosystems with many small manifests
 * (thousands of package.json in a node_modules tree) and for files too big to
 * keep (binaries, archives). Each package it adds gets db_path = the file's
 * path; the driver drops packages whose file a later layer deletes or
 * replaces, and attributes each to the layer of its file. */

struct blob;
typedef struct file_run {
	lading_ctx *ctx;
	lading_inventory *inv;   /* the layer's own; packages go here */
	const char *path;        /* the file, absolute and normalised */
	int layer;
	const struct blob *blob; /* where the bytes live (NULL when a test or fuzzer passes bytes) */
	const char *cataloger;   /* its name, for warnings (NULL from tests) */
	/* The scan's budget of bytes inflated from archives inside files, shared
	 * by every file of every layer on every thread; NULL (a test, a fuzzer):
	 * the cataloger's per-file limits only. */
	byte_budget *nested;
} file_run;

/* Says that the cataloger is done, for now, with bytes [from, to) of the file
 * it was given: a large file's pages go back to the page cache (they are read
 * again if touched), so a reader that walks a file once holds a window of it
 * in memory, not all of it. Safe to call on any run. */
void file_release(const file_run *run, size_t from, size_t to);

/* Adds a warning to the layer's results, naming the file. */
void file_warn(file_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses the file as one JSON object; on anything else warns ("not valid
 * JSON …; skipped") and returns NULL. The caller json_decref()s the result. */
json_t *file_json_object(file_run *run, sv data);

typedef struct file_cataloger {
	const char *name;
	const cat_claim *claims;
	size_t nclaims;
	/* Files no claim names (binaries anywhere) can be chosen by content: the
	 * walk hands sniff() the first FILE_SNIFF_BYTES of every other regular
	 * file (fewer if the file is shorter) with its tar mode bits. NULL = by
	 * path only. Must be cheap: it runs on every file of the image. */
	bool (*sniff)(const char *path, sv head, uint32_t mode, uint64_t size);
	uint64_t max_size; /* larger files are skipped with a warning */
	/* Reads one file. Returns 0, or a negative LADING_E* only for failures
	 * that should stop the scan (out of memory); bad content is a warning. */
	int (*parse)(file_run *run, sv data);
} file_cataloger;

extern const file_cataloger *const lading_file_catalogers[];
extern const size_t lading_nfile_catalogers;
/* The file cataloger that claims `path`, or NULL (the first in table order). */
const file_cataloger *file_catalog_for(const char *path, size_t len);
/* The file cataloger whose sniff() wants this file, or NULL. */
const file_cataloger *file_catalog_sniff(const char *path, sv head, uint32_t mode, uint64_t size);
/* Whether any file cataloger sniffs content (so the walk must look at heads). */
bool file_catalog_sniffs(void);
enum { FILE_SNIFF_BYTES = 4096 };

/* The table of all catalogers, OS identity first. */
extern const cataloger *const lading_catalogers[];
extern const size_t lading_ncatalogers;

/* Does any cataloger (or this one, if c != NULL) claim `path`? */
bool catalog_claims(const cataloger *c, const char *path, size_t len);

extern const cataloger cataloger_os_release;
extern const cataloger cataloger_dpkg;
extern const cataloger cataloger_apk;
extern const cataloger cataloger_rpm;
extern const file_cataloger file_cataloger_npm;
extern const file_cataloger file_cataloger_python;       /* NAME.dist-info/METADATA, NAME.egg-info/PKG-INFO */
extern const file_cataloger file_cataloger_gem;          /* specifications/NAME.gemspec */
extern const file_cataloger file_cataloger_composer;     /* vendor/composer/installed.json */
extern const file_cataloger file_cataloger_dotnet;       /* NAME.deps.json */
extern const file_cataloger file_cataloger_npm_lock;     /* package-lock.json v1-v3 */
extern const file_cataloger file_cataloger_yarn_lock;    /* yarn.lock v1 and berry */
extern const file_cataloger file_cataloger_pnpm_lock;    /* pnpm-lock.yaml */
extern const file_cataloger file_cataloger_poetry_lock;  /* poetry.lock */
extern const file_cataloger file_cataloger_pipfile_lock; /* Pipfile.lock */
extern const file_cataloger file_cataloger_uv_lock;      /* uv.lock */
extern const file_cataloger file_cataloger_requirements; /* requirements.txt and friends (pinned) */
extern const file_cataloger file_cataloger_gemfile_lock; /* Gemfile.lock */
extern const file_cataloger file_cataloger_composer_lock;/* composer.lock */
extern const file_cataloger file_cataloger_cargo_lock;   /* Cargo.lock */
extern const file_cataloger file_cataloger_java;         /* .jar .war .ear .par (zip, nested) */
extern const file_cataloger file_cataloger_binary;       /* ELF: Go build info, cargo-auditable, classifiers */

#endif
