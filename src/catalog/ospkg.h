/* Private entry points of the OS-level catalogers (os-release, dpkg, apk).
 * The catalogers' run functions read files from the view and call these; the
 * unit tests and fuzz harnesses call them directly on bytes they supply, so
 * that a parser can be exercised without building a whole image. */
#ifndef LADING_CATALOG_OSPKG_H
#define LADING_CATALOG_OSPKG_H

#include "catalog/catalog.h"

/* ---- os_release.c ---------------------------------------------------------- */

/* Looks up `key` in shell-like KEY=value text (os-release, lsb-release,
 * SuSE-release) and unquotes its value as the shell would (single and double
 * quotes, backslash escapes); control characters are dropped. The last
 * assignment wins. Returns 1 and sets *out (allocated in `a`) if the key is
 * set to a non-empty value, 0 if not, -LADING_ENOMEM. */
int osrel_get(char **out, arena *a, sv data, const char *key);

/* Works out the OS identity of a file-system view from os-release and, when
 * it is missing or incomplete, the distribution's own release files. Strings
 * in *out are allocated in `a`. Returns 1 if an identity (at least an id) was
 * found, 0 if none, -LADING_ENOMEM. */
int os_release_identify(lading_os *out, arena *a, const fsview *v);

/* ---- dpkg.c ------------------------------------------------------------------ */

/* Parses one dpkg status file (the main /var/lib/dpkg/status, or one file of
 * a distroless status.d directory when db_path contains "/status.d/") and
 * adds each installed package to run->inv, with the files that
 * /var/lib/dpkg/info (and status.d/<name>.md5sums) in run->view say it owns;
 * run->view may be NULL, then packages have no files. Bad stanzas are skipped
 * with a warning. Returns 0 or -LADING_ENOMEM. */
int dpkg_parse_status(cat_run *run, sv data, const char *db_path);

/* ---- apk.c ------------------------------------------------------------------- */

/* Parses an apk installed database (lib/apk/db/installed) and adds each
 * record with a name and a version to run->inv, with its files and their
 * checksums. Returns 0 or -LADING_ENOMEM. */
int apk_parse_installed(cat_run *run, sv data, const char *db_path);

#endif
