/* Helpers shared by the cmocka unit tests: where the shared corpus is, reading
 * whole files, and a visible skip when the corpus is absent. */
#ifndef LADING_TESTUTIL_H
#define LADING_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

/* The shared corpus: $LADING_CORPUS, else ../shared/corpus from the repo root
 * (tests run from the repo root). NULL when absent. */
static inline const char *corpus_dir(void)
{
	static char path[1024];
	const char *env = getenv("LADING_CORPUS");
	snprintf(path, sizeof(path), "%s", env && *env ? env : "../shared/corpus");
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : NULL;
}

/* Skips the calling test, saying why, when the corpus is not there. */
#define REQUIRE_CORPUS()                                                                              \
	do {                                                                                          \
		if (!corpus_dir()) {                                                                  \
			fprintf(stderr, "SKIP %s: corpus not found (../shared/corpus or $LADING_CORPUS)\n", \
				__func__);                                                            \
			skip();                                                                       \
		}                                                                                     \
	} while (0)

/* Reads a whole file (NUL-terminated); NULL if it cannot be read. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap + 1);
	size_t r;
	while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *q = realloc(p, cap * 2 + 1);
			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
			cap *= 2;
		}
	}
	fclose(f);
	if (p) {
		p[n] = 0;
		if (len)
			*len = n;
	}
	return p;
}

/* Corpus file path: corpus_path(buf, "pkgdb/rpm/libuuid/Packages"). */
static inline const char *corpus_path(char *out, size_t cap, const char *rel)
{
	snprintf(out, cap, "%s/%s", corpus_dir() ? corpus_dir() : "../shared/corpus", rel);
	return out;
}

#endif
