/* libFuzzer harness for the Python installers' file-list parser
 * (python_record_paths in src/catalog/integrity.c): any bytes as a RECORD
 * (CSV) and as an installed-files.txt; every path handed out must be absolute
 * and normalised (no ".", "..", empty or trailing components), and a hash
 * field never spans a comma or a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/integrity.h"

static int check(void *ud, const char *path, size_t n, sv hash)
{
	(void)ud;
	if (hash.n && (!hash.p || memchr(hash.p, ',', hash.n) || memchr(hash.p, '\n', hash.n)))
		abort();
	if (n == 0 || n > 4096 || path[0] != '/' || strlen(path) != n)
		abort();
	if (n > 1 && path[n - 1] == '/')
		abort();
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../") ||
	    (n >= 2 && strcmp(path + n - 2, "/.") == 0) || (n >= 3 && strcmp(path + n - 3, "/..") == 0))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sv in = sv_make(data, size);
	(void)python_record_paths(in, true, "/usr/local/lib/python3.11/site-packages", check, NULL);
	(void)python_record_paths(in, false, "/srv/app/x-1.0.egg-info", check, NULL);
	return 0;
}
