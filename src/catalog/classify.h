/* Binary classifiers: well-known programs and libraries recognised by the
 * version strings in their bytes (data/classifiers.tsv, embedded at build
 * time; docs/classifiers.md describes the format). The table is parsed once
 * per process into a read-only table; one Aho-Corasick pass over a file finds
 * every anchor literal of every candidate rule at once, and the small pattern
 * matcher runs only in a short window around an anchor's occurrences. */
#ifndef LADING_CATALOG_CLASSIFY_H
#define LADING_CATALOG_CLASSIFY_H

#include "catalog/catalog.h"

/* One identification. Strings are valid during the callback only. */
typedef struct classify_match {
	const char *cls;  /* the classifier ("openssl", "python-binary") */
	const char *name; /* the package name */
	const char *version;
	const char *purl; /* expanded, or NULL */
	const char *cpe;  /* expanded, or NULL */
} classify_match;

typedef int (*classify_fn)(void *ud, const classify_match *m);

/* Runs every classifier whose file patterns accept the base name of `path`
 * over `data`, calling fn once per (name, version) found. Returns 0, fn's
 * non-zero value, -LADING_ENOMEM, or -LADING_EFORMAT when the embedded table
 * did not load (a build defect; classify_table_error says why). */
int classify_scan(const char *path, sv data, classify_fn fn, void *ud);
/* classify_scan, looking at `chunk` bytes of anchor positions at a time (0 =
 * all at once), with or without the SIMD literal search (when the CPU has
 * it): the result is the same either way, for any chunk size (tests check it). */
int classify_scan_how(const char *path, sv data, size_t chunk, bool simd, classify_fn fn, void *ud);
/* Adds what classify_scan finds to run->inv as LADING_PKG_BINARY packages
 * (found_by "binary:<classifier>", db_path = the file). */
int classify_catalog(file_run *run, sv data);
/* NULL when the embedded table loaded; else the first problem found. */
const char *classify_table_error(void);
/* Number of classifier rules loaded (for tests). */
size_t classify_nrules(void);
/* Whether some classifier wants a non-ELF file with this path (VERSION,
 * patchlevel.h, ...): the binary cataloger's claims are coarse, this is the
 * precise test. */
bool classify_wants_path(const char *path);

#endif
