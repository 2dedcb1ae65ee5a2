/* File integrity: the image's files against the digests the OS package
 * databases recorded (src/catalog/integrity.c). The walk records every
 * regular file of every layer (image.h: lfile, only with opt.integrity on);
 * the driver hands the layer results here after the inventory is final. */
#ifndef LADING_INTEGRITY_H
#define LADING_INTEGRITY_H

#include "fs/fsview.h"
#include "inventory.h"
#include "util/util.h"

/* dpkg-divert's database and dpkg's configuration (its path-exclude and
 * path-include filters): the files whose bytes the walk keeps for us. */
#define INTEGRITY_DIVERSIONS "/var/lib/dpkg/diversions"
#define INTEGRITY_DPKG_CFG "/etc/dpkg/dpkg.cfg"
#define INTEGRITY_DPKG_CFG_D "/etc/dpkg/dpkg.cfg.d/"

/* Python installers' file lists, kept too: an unpackaged file that pip
 * installed (a console script in /usr/local/bin) is then attributed to its
 * distribution. */
#define INTEGRITY_PY_RECORD ".dist-info/RECORD"
#define INTEGRITY_PY_INSTALLED ".egg-info/installed-files.txt"

/* Whether the walk must keep this file's bytes for integrity_run. */
bool integrity_wants_data(const char *path);

/* The files a Python installer listed for one distribution: a .dist-info's
 * RECORD (`csv`: CSV rows "path,hash,size" whose path is relative to the
 * directory holding the .dist-info, as pip writes them, quoted when it has a
 * comma or a quote) or an .egg-info's installed-files.txt (a path a line,
 * relative to the .egg-info directory). Each path is normalised against the
 * absolute directory `base` (".." never climbs above "/") and handed to fn
 * with the row's hash field ("sha256=<urlsafe base64>", or empty: always for
 * installed-files.txt); fn ends the walk by returning nonzero (that value is
 * returned). Empty paths, paths with a NUL byte, unterminated quotes and
 * paths over 4096 bytes are skipped. At most 1,000,000 lines are read. */
typedef int (*record_path_fn)(void *ud, const char *path, size_t n, sv hash);
int python_record_paths(sv data, bool csv, const char *base, record_path_fn fn, void *ud);


/* Merges the layers' file records bottom-up as the runtime would see them
 * (whiteouts, opaque directories, a directory replaced by a link or a file),
 * compares every OS package's files with the result, and stores the findings
 * and the summary on `inv` (which must be finished: package indexes are
 * final). `layered` is false for a directory source (no layer indexes).
 * Returns 0 or -LADING_ENOMEM; bad input is an inventory warning. */
int integrity_run(lading_inventory *inv, const layer_files *res, size_t nres, bool layered);

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

/* dpkg's --path-exclude / --path-include filters, in the order dpkg applies
 * them (the last that matches a path decides; patterns are fnmatch(3) globs
 * without FNM_PATHNAME, against the absolute path). */
typedef struct dpkg_filter {
	char *pattern;
	bool include;
} dpkg_filter;

typedef struct dpkg_filters {
	dpkg_filter *v;
	size_t n, cap;
} dpkg_filters;

/* Appends the filters of one dpkg configuration file ("path-exclude=GLOB" or
 * "path-exclude GLOB" lines; comments, blank lines and other options are
 * ignored; a value may be quoted). At most 4096 filters in all. Returns 0 or
 * -LADING_ENOMEM. */
int dpkg_filters_parse(dpkg_filters *f, sv data);
/* Whether dpkg would not have installed `path`. */
bool dpkg_filters_exclude(const dpkg_filters *f, const char *path);
void dpkg_filters_free(dpkg_filters *f);

#endif
