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

#include "lading/lading.h"

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

/* The packages of `type` in an inventory as one string of rows, each made by
 * `row` (malloc'd, ending in "\n"), sorted bytewise like `LC_ALL=C sort`, so
 * that it can be compared with an expected TSV from the corpus. */
static int testutil_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline char *inventory_rows(const lading_inventory *inv, lading_pkg_type type,
				   char *(*row)(const lading_package *p))
{
	size_t n = lading_inventory_npackages(inv), k = 0, total = 1;
	char **rows = calloc(n + 1, sizeof(char *));
	assert_non_null(rows);
	for (size_t i = 0; i < n; i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		assert_int_equal(p->type, type);
		rows[k] = row(p);
		assert_non_null(rows[k]);
		total += strlen(rows[k++]);
	}
	qsort(rows, k, sizeof(char *), testutil_cmp_str);
	char *out = malloc(total);
	assert_non_null(out);
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		strcat(out, rows[i]);
		free(rows[i]);
	}
	free(rows);
	return out;
}

/* xorshift64*: a fixed, portable stream of generated test inputs; *state is
 * the seed, so a failure reproduces. */
static inline uint64_t testutil_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

#endif
