/* Helpers shared by the importer tests (test_import_*.c): a private temporary
 * directory per test, an import through the public lading_vulndb_import() with
 * a logger that counts warnings and keeps the last one, reading the SQLite file
 * back, and sorted lists of rows to compare it with. One copy here so that the
 * five tests read their databases the same way.
 *
 * The includer defines VDBTEST_NAME (a short word naming the temporary
 * directory, /tmp/lading-test-<name>-XXXXXX) before including this file. */
#ifndef LADING_VDBTEST_H
#define LADING_VDBTEST_H

#include <ftw.h>
#include <sqlite3.h>
#include <unistd.h>

#include "testutil.h"

#include "lading/vulndb.h"

#ifndef VDBTEST_NAME
#error "define VDBTEST_NAME before including vdbtest.h"
#endif

/* The test's temporary directory and the database in it (setup() fills both). */
static char tmpdir[64], dbpath[128];
/* Warnings logged by the last do_import(), and the text of the last one. */
static int nwarn;
static char lastwarn[1024];

static inline void on_log(void *u, lading_log_level l, const char *m)
{
	(void)u;
	if (l == LADING_LOG_WARN) {
		nwarn++;
		snprintf(lastwarn, sizeof(lastwarn), "%s", m);
	}
}

/* One import in a fresh context, with nwarn and lastwarn counting from zero. */
static inline int do_import(lading_import_stats *st, const char *db, const char *in, lading_feed_type t)
{
	lading_options o = {.struct_size = sizeof(o), .log = on_log};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	nwarn = 0;
	lastwarn[0] = 0;
	int rc = lading_vulndb_import(st, ctx, db, in, t);
	lading_ctx_free(ctx);
	return rc;
}

static inline int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lading-test-" VDBTEST_NAME "-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/v.db", tmpdir);
	return 0;
}

static inline int vdbtest_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes the temporary directory and whatever a test left in it (FTW_PHYS:
 * a symlink a test made is removed, never followed). */
static inline int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, vdbtest_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

/* ---- lists of rows ---------------------------------------------------------------- */

typedef struct strs {
	char **v;
	size_t n, cap;
} strs;

static inline void strs_add(strs *s, const char *x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(char *));
		assert_non_null(s->v);
	}
	s->v[s->n] = strdup(x);
	assert_non_null(s->v[s->n]);
	s->n++;
}

static inline void strs_addf(strs *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void strs_addf(strs *s, const char *fmt, ...)
{
	char *x = NULL;
	va_list ap;
	va_start(ap, fmt);
	assert_true(vasprintf(&x, fmt, ap) >= 0);
	va_end(ap);
	strs_add(s, x);
	free(x);
}

static inline void strs_free(strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Bytewise, like `LC_ALL=C sort` and like SQLite's ORDER BY on text. */
static inline void strs_sort(strs *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(char *), testutil_cmp_str);
}

/* The list sorted and joined, each row followed by "\n" (the shape of
 * q_rows()); empties the list. */
static inline char *strs_join(strs *s)
{
	strs_sort(s);
	size_t total = 1;
	for (size_t i = 0; i < s->n; i++)
		total += strlen(s->v[i]) + 1;
	char *out = malloc(total), *p = out;
	assert_non_null(out);
	for (size_t i = 0; i < s->n; i++) {
		p = stpcpy(p, s->v[i]);
		*p++ = '\n';
	}
	*p = 0;
	strs_free(s);
	return out;
}

/* Compares sorted row lists and names the first difference. */
static inline void assert_rows_equal(const strs *want, const strs *got)
{
	for (size_t i = 0; i < want->n || i < got->n; i++) {
		const char *a = i < want->n ? want->v[i] : "(none)", *b = i < got->n ? got->v[i] : "(none)";
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "row %zu differs:\n  expected: %.300s\n  database: %.300s\n", i, a,
				b);
			fail();
		}
	}
	assert_int_equal(want->n, got->n);
}

/* ---- reading the database back -------------------------------------------------- */

/* Rows of a query, columns joined by tabs (NULL as "NULL"), sorted. */
static inline void query(strs *out, const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *row = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&row, &len);
		assert_non_null(m);
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			fprintf(m, "%s%s", i ? "\t" : "", t ? (const char *)t : "NULL");
		}
		fclose(m);
		strs_add(out, row);
		free(row);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	strs_sort(out);
}

/* The one number a query returns (a count). */
static inline long long scalar(const char *db, const char *sql)
{
	strs r = {0};
	query(&r, db, sql);
	assert_int_equal(r.n, 1);
	long long v = atoll(r.v[0]);
	strs_free(&r);
	return v;
}

/* scalar() on the test's own database. */
static inline long long q_int(const char *sql) { return scalar(dbpath, sql); }

/* Every row of a one-column query on the test's database, in the query's
 * order, each followed by "\n". */
static inline char *q_rows(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		size_t l = t ? strlen(t) : 0;
		while (n + l + 2 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		memcpy(out + n, t ? t : "", l);
		n += l;
		out[n++] = '\n';
		out[n] = 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* One "vuln|namespace|package|scheme|status|fixed|severity" row per affected
 * entry of the source named `src` (a literal), sorted like strs_join(). */
#define ROW_SQL(src)                                                                                              \
	"SELECT a.vuln_id||'|'||f.namespace||'|'||f.package||'|'||ifnull(f.scheme,'')||'|'||f.status||'|'||"      \
	"ifnull(f.fixed,'')||'|'||ifnull(f.severity,'') AS r FROM affected f JOIN advisories a ON a.id = "         \
	"f.advisory_id JOIN sources s ON s.id = a.source_id WHERE (s.name = '" src "' OR s.name LIKE '%/" src "') ORDER BY r"

#endif
