/* Helpers shared by the importer tests (test_import_*.c): a private temporary
 * directory per test, an import through the public lading_vulndb_import() with
 * a logger that counts warnings and keeps the last one, reading the SQLite file
 * back (whole queries, or the affected rows of one source), sorted lists of
 * rows to compare it with, and the checks every importer gets alike: format
 * detection on corpus files and a second import of the same input. One copy
 * here so that the five tests read their databases the same way.
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
#include "vulndb/vulndb.h"

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

/* ---- the affected rows of one source ------------------------------------------ */

/* A source is named by the input's absolute path, so a test picks it by the
 * input's base name. The SQL of the affected rows (f) of source `src`, with
 * their advisory (a) and source (s): the columns `cols`, the further
 * conditions `cond` (NULL: none), the order `order` (NULL: none). */
static inline const char *affected_sql(char *sql, size_t cap, const char *cols, const char *src,
				       const char *cond, const char *order)
{
	int n =
	    snprintf(sql, cap,
		     "SELECT %s FROM affected f JOIN advisories a ON a.id = f.advisory_id JOIN sources s ON "
		     "s.id = a.source_id WHERE (s.name = '%s' OR s.name LIKE '%%/%s')%s%s%s%s",
		     cols, src, src, cond ? " AND " : "", cond ? cond : "", order ? " ORDER BY " : "",
		     order ? order : "");
	assert_true(n > 0 && (size_t)n < cap);
	return sql;
}

/* The affected rows of source `src` meeting `cond` (NULL: all): the
 * advisory's id then `cols`, as query() gives them (tab-joined, sorted). */
static inline void affected_rows(strs *out, const char *cols, const char *src, const char *cond)
{
	char sql[2048], sel[512];
	snprintf(sel, sizeof(sel), "a.vuln_id, %s", cols);
	query(out, dbpath, affected_sql(sql, sizeof(sql), sel, src, cond, NULL));
}

/* The one-column expression `expr` over the affected rows of source `src`, one
 * line each, sorted bytewise, as one string (q_rows()). */
static inline char *affected_lines(const char *expr, const char *src)
{
	char sql[2048], sel[1024];
	snprintf(sel, sizeof(sel), "%s AS r", expr);
	return q_rows(affected_sql(sql, sizeof(sql), sel, src, NULL, "r"));
}

/* One "vuln|namespace|package|scheme|status|fixed|severity" line per affected
 * entry of the source `src`, sorted like strs_join(). */
static inline char *row_lines(const char *src)
{
	return affected_lines(
	    "a.vuln_id||'|'||f.namespace||'|'||f.package||'|'||ifnull(f.scheme,'')||'|'||f.status||'|'||"
	    "ifnull(f.fixed,'')||'|'||ifnull(f.severity,'')",
	    src);
}

/* How many advisories source `src` has (table "advisories"), or how many rows
 * of a table keyed by advisory_id (aliases, refs, ...) belong to them. */
static inline long long source_count(const char *table, const char *src)
{
	char sql[1024];
	if (strcmp(table, "advisories") == 0)
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM advisories a JOIN sources s ON s.id = a.source_id WHERE ");
	else
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM %s x JOIN advisories a ON a.id = x.advisory_id JOIN sources s "
			 "ON s.id = a.source_id WHERE ",
			 table);
	size_t n = strlen(sql);
	snprintf(sql + n, sizeof(sql) - n, "(s.name = '%s' OR s.name LIKE '%%/%s')", src, src);
	return q_int(sql);
}

/* ---- checks every importer gets ------------------------------------------------- */

/* What importer `imp` says of the file at `path`: its sniff() of the first
 * 8 KiB under the file's base name, as detection asks it. */
static inline bool sniffs(const vdb_importer *imp, const char *path)
{
	char head[8192];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	const char *slash = strrchr(path, '/');
	return imp->sniff(slash ? slash + 1 : path, sv_make(head, n));
}

/* A corpus file and whether an importer is to claim it. */
typedef struct sniff_case {
	const char *rel;
	bool yes;
} sniff_case;

/* sniffs() on every case, naming the first that comes out wrong. */
static inline void check_sniff(const vdb_importer *imp, const sniff_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char p[2200];
		if (sniffs(imp, corpus_path(p, sizeof(p), cases[i].rel)) != cases[i].yes) {
			fprintf(stderr, "detection of %s: expected %d\n", cases[i].rel, cases[i].yes);
			fail();
		}
	}
}

/* The corpus's files of other feeds than those of `imps`: none of `imps`
 * claims one, and an AUTO import of it (into the test's database) is not
 * taken for any of their feed types. */
static inline void check_not_claimed(const vdb_importer *const *imps, size_t nimps)
{
	/* one real file of each feed, with the type that is to claim it
	 * (LADING_FEED_AUTO: none, a feed lading does not import) */
	static const struct {
		const char *rel;
		lading_feed_type type;
	} corpus_feeds[] = {
	    {"vulndata/debian/DSA-list", LADING_FEED_DEBIAN_DSA},
	    {"vulndata/osv-go/GO-2020-0001.json", LADING_FEED_OSV},
	    {"vulndata/osv-rust/RUSTSEC-2016-0001.json", LADING_FEED_OSV},
	    {"vulndata/alpine-secdb/v3.11/main.yaml", LADING_FEED_ALPINE_SECDB},
	    {"vulndata/ubuntu-cve-tracker/CVE-2011-2896", LADING_FEED_UBUNTU},
	    {"vulndata/npm-security-wg/1.json", LADING_FEED_AUTO},
	    {"vulndata/redhat-csaf-vex/cve-2023-38545.json", LADING_FEED_AUTO},
	    {"vulndata/redhat-csaf-vex/rhsa-2022-0011.json", LADING_FEED_AUTO},
	    {"vulndata/photon-oval/com.vmware.phsa-photon3.xml", LADING_FEED_AUTO},
	};
	for (size_t i = 0; i < sizeof(corpus_feeds) / sizeof(corpus_feeds[0]); i++) {
		bool ours = false;
		for (size_t k = 0; k < nimps; k++)
			ours |= corpus_feeds[i].type == imps[k]->type;
		if (ours)
			continue;
		char p[2200];
		corpus_path(p, sizeof(p), corpus_feeds[i].rel);
		lading_import_stats st;
		do_import(&st, dbpath, p, LADING_FEED_AUTO);
		for (size_t k = 0; k < nimps; k++) {
			if (sniffs(imps[k], p) || st.type == imps[k]->type) {
				fprintf(stderr, "%s taken for feed type %d\n", corpus_feeds[i].rel,
					(int)imps[k]->type);
				fail();
			}
		}
	}
}

/* Imports `in` into `db` a second time (as `t`) and checks that its rows were
 * replaced, not added to: every table counts what it did before. `first`,
 * when not NULL, holds the stats of the first import of the same input, which
 * the second must repeat. */
static inline void check_reimport(const char *db, const char *in, lading_feed_type t,
				  const lading_import_stats *first)
{
	static const char *const tables[] = {"sources", "advisories", "affected",
					     "aliases", "severities", "refs"};
	enum { NTABLES = sizeof(tables) / sizeof(tables[0]) };
	long long before[NTABLES];
	char sql[64];
	for (size_t i = 0; i < NTABLES; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		before[i] = scalar(db, sql);
	}
	lading_import_stats again;
	assert_int_equal(do_import(&again, db, in, t), 0);
	if (first) {
		assert_int_equal(again.advisories, first->advisories);
		assert_int_equal(again.affected, first->affected);
	}
	for (size_t i = 0; i < NTABLES; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		long long after = scalar(db, sql);
		if (after != before[i]) {
			fprintf(stderr, "%s: %lld rows before the second import, %lld after\n", tables[i],
				before[i], after);
			fail();
		}
	}
}

#endif
