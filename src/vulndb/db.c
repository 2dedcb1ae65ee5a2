/* The vulnerability database file: schema, import transactions (built beside
 * the live file, renamed into place), the row writer importers use, and the
 * status summary. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "vulndb/update.h"
#include "vulndb/vulndb.h"

struct lading_vulndb {
	lading_ctx *ctx;
	sqlite3 *db;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE IF NOT EXISTS sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" type TEXT NOT NULL, imported_at TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS advisories(id INTEGER PRIMARY KEY,"
	" source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	" vuln_id TEXT NOT NULL, summary TEXT, details TEXT, published TEXT, modified TEXT,"
	" withdrawn TEXT, UNIQUE(source_id, vuln_id));"
	"CREATE TABLE IF NOT EXISTS aliases(advisory_id INTEGER NOT NULL REFERENCES advisories(id)"
	" ON DELETE CASCADE, alias TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS severities(advisory_id INTEGER NOT NULL REFERENCES advisories(id)"
	" ON DELETE CASCADE, origin TEXT, type TEXT, vector TEXT, score REAL, severity TEXT);"
	"CREATE TABLE IF NOT EXISTS refs(advisory_id INTEGER NOT NULL REFERENCES advisories(id)"
	" ON DELETE CASCADE, type TEXT, url TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS affected(id INTEGER PRIMARY KEY,"
	" advisory_id INTEGER NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,"
	" namespace TEXT NOT NULL, package TEXT NOT NULL, scheme TEXT, status TEXT NOT NULL,"
	" fixed TEXT, severity TEXT, ranges TEXT, versions TEXT, cpe TEXT);"
	"CREATE INDEX IF NOT EXISTS affected_pkg ON affected(namespace, package);"
	"CREATE INDEX IF NOT EXISTS affected_adv ON affected(advisory_id);"
	"CREATE INDEX IF NOT EXISTS aliases_adv ON aliases(advisory_id);"
	"CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);"
	"CREATE INDEX IF NOT EXISTS severities_adv ON severities(advisory_id);"
	"CREATE INDEX IF NOT EXISTS refs_adv ON refs(advisory_id);"
	"CREATE INDEX IF NOT EXISTS advisories_src ON advisories(source_id);"
	/* lading db update: the validators of the last download of each URL */
	"CREATE TABLE IF NOT EXISTS fetch_state(url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
	" fetched_at TEXT, bytes INTEGER, source TEXT);";

const char *lading_feed_name(lading_feed_type t)
{
	switch (t) {
	case LADING_FEED_AUTO: return "auto";
	case LADING_FEED_OSV: return "osv";
	case LADING_FEED_ALPINE_SECDB: return "alpine-secdb";
	case LADING_FEED_DEBIAN_TRACKER: return "debian-tracker";
	case LADING_FEED_DEBIAN_DSA: return "debian-dsa";
	case LADING_FEED_NVD: return "nvd";
	case LADING_FEED_UBUNTU: return "ubuntu";
	}
	return "unknown";
}

int lading_feed_parse(lading_feed_type *out, const char *name)
{
	for (int t = LADING_FEED_AUTO; t <= LADING_FEED_UBUNTU; t++)
		if (name && strcmp(name, lading_feed_name((lading_feed_type)t)) == 0) {
			*out = (lading_feed_type)t;
			return 0;
		}
	return -LADING_EINVAL;
}

static const vdb_importer *const importers[] = {
	&vdb_importer_osv,         &vdb_importer_alpine, &vdb_importer_debian_tracker,
	&vdb_importer_debian_dsa,  &vdb_importer_nvd,    &vdb_importer_ubuntu,
};
enum { NIMPORTERS = sizeof(importers) / sizeof(importers[0]) };

/* ---- import ---------------------------------------------------------------- */

static int exec(lading_ctx *ctx, sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		int rc = ctx_error(ctx, LADING_EIO, "vulnerability database: %s", err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return rc;
	}
	return 0;
}

static int prepare(vdb_writer *w)
{
	static const struct {
		size_t off;
		const char *sql;
	} stmts[] = {
		{offsetof(vdb_writer, ins_adv), "INSERT INTO advisories(source_id, vuln_id, summary, details, published,"
						" modified, withdrawn) VALUES(?,?,?,?,?,?,?)"},
		{offsetof(vdb_writer, del_adv), "DELETE FROM advisories WHERE source_id = ? AND vuln_id = ?"},
		{offsetof(vdb_writer, ins_alias), "INSERT INTO aliases(advisory_id, alias) VALUES(?,?)"},
		{offsetof(vdb_writer, ins_sev), "INSERT INTO severities(advisory_id, origin, type, vector, score,"
						" severity) VALUES(?,?,?,?,?,?)"},
		{offsetof(vdb_writer, ins_ref), "INSERT INTO refs(advisory_id, type, url) VALUES(?,?,?)"},
		{offsetof(vdb_writer, ins_aff), "INSERT INTO affected(advisory_id, namespace, package, scheme, status,"
						" fixed, severity, ranges, versions, cpe) VALUES(?,?,?,?,?,?,?,?,?,?)"},
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		sqlite3_stmt **slot = (sqlite3_stmt **)((char *)w + stmts[i].off);
		if (sqlite3_prepare_v2(w->db, stmts[i].sql, -1, slot, NULL) != SQLITE_OK)
			return vdb_db_fail(w->ctx, w->db, "prepare");
	}
	return 0;
}

static void finalize(vdb_writer *w)
{
	sqlite3_finalize(w->ins_adv);
	sqlite3_finalize(w->del_adv);
	sqlite3_finalize(w->ins_alias);
	sqlite3_finalize(w->ins_sev);
	sqlite3_finalize(w->ins_ref);
	sqlite3_finalize(w->ins_aff);
}

/* Picks the importer for `input`: a file's first bytes, or for a directory
 * the first regular file found a few levels down. */
static const vdb_importer *detect(lading_ctx *ctx, const char *input);
static bool has_content(const char *input);

static int open_rw(lading_ctx *ctx, const char *path, sqlite3 **db)
{
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		int rc = vdb_db_fail(ctx, *db, path);
		sqlite3_close(*db);
		*db = NULL;
		return rc;
	}
	/* the copy is private until vdb_install() syncs it once and renames it:
	 * a journal or per-transaction syncs would protect nothing */
	return exec(ctx, *db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
}

/* Copies the live database (if any) to `tmp` with SQLite's backup API, so
 * that the live file stays untouched until the rename. */
static int copy_live(lading_ctx *ctx, const char *live, sqlite3 *dst)
{
	struct stat st;
	if (stat(live, &st) != 0)
		return 0;
	sqlite3 *src = NULL;
	int rc = 0;
	if (sqlite3_open_v2(live, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = vdb_db_fail(ctx, src, live);
	} else {
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
		if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
			rc = ctx_error(ctx, LADING_EFORMAT, "%s: cannot read the existing database: %s", live,
				       sqlite3_errmsg(dst));
		if (b)
			sqlite3_backup_finish(b);
	}
	sqlite3_close(src);
	return rc;
}

static int check_schema(lading_ctx *ctx, sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = atoi((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (v > VDB_SCHEMA)
		return ctx_fail(ctx, LADING_EDB, "db.schema_newer", CTX_WHERE(.file = path),
				"%s: a vulnerability database of schema %d, newer than this lading's %d", path, v,
				VDB_SCHEMA);
	if (v != VDB_SCHEMA)
		return ctx_fail(ctx, LADING_EDB, v < 0 ? "db.not_lading" : "db.schema_older", CTX_WHERE(.file = path),
				"%s: not a lading vulnerability database of schema %d (found %d); rebuild it", path,
				VDB_SCHEMA, v);
	return 0;
}

static void now_rfc3339(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The importer for `input`: the one named by `type`, else the one whose
 * format detection claims the input. A FIFO or a device is refused. */
static int pick_importer(const vdb_importer **imp, lading_ctx *ctx, const char *input, lading_feed_type type)
{
	*imp = NULL;
	/* a FIFO or a device would block or never end: feeds are files and trees */
	struct stat ist;
	if (stat(input, &ist) == 0 && !S_ISDIR(ist.st_mode) && !S_ISREG(ist.st_mode))
		return ctx_error(ctx, LADING_ETARGET, "%s: it is %s, not a feed file or directory", input,
				 file_type_word((unsigned)ist.st_mode));
	if (type == LADING_FEED_AUTO) {
		if (!(*imp = detect(ctx, input)))
			return ctx->failed ? -LADING_ETARGET
					   : ctx_fail(ctx, LADING_ETARGET, "feed.unknown_type", CTX_WHERE(.file = input),
						      "%s: cannot tell which feed this is; name its type", input);
		return 0;
	}
	for (size_t i = 0; i < NIMPORTERS; i++)
		if (importers[i]->type == type)
			*imp = importers[i];
	return *imp ? 0 : ctx_error(ctx, LADING_EINVAL, "unknown feed type");
}

int lading_vulndb_import(lading_import_stats *stats, lading_ctx *ctx, const char *db_path, const char *input,
			 lading_feed_type type)
{
	ctx_begin(ctx);
	memset(stats, 0, sizeof(*stats));
	if (!db_path || !*db_path || !input)
		return ctx_error(ctx, LADING_EINVAL, "import: no database path or no input");
	/* a bad input fails at once, not after waiting for another writer */
	const vdb_importer *imp = NULL;
	int rc = pick_importer(&imp, ctx, input, type);
	vdb_lock lock = {.fd = -1};
	if (!rc)
		rc = vdb_lock_take(&lock, ctx, db_path, vdb_lock_wait_of(ctx));
	if (!rc)
		rc = vdb_import_source(stats, ctx, &lock, db_path, input, NULL, imp->type, NULL);
	vdb_lock_release(&lock);
	return rc;
}

/* Records the validators of a download beside its rows (same transaction).
 * A source moved to another URL (a mirror) drops what its old URL brought, so
 * that the same feed is never in the database twice. */
static int put_fetch(lading_ctx *ctx, sqlite3 *db, const vdb_fetch *f, const char *ts)
{
	static const char *const sql[] = {
		("DELETE FROM sources WHERE name IN"
		 " (SELECT url FROM fetch_state WHERE source = ?1 AND url <> ?2)"),
		"DELETE FROM fetch_state WHERE source = ?1 AND url <> ?2",
		("INSERT OR REPLACE INTO fetch_state(url, etag, last_modified, fetched_at, bytes, source)"
		 " VALUES(?2,?3,?4,?5,?6,?1)"),
	};
	int rc = 0;
	for (size_t i = f->source ? 0 : 2; !rc && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return vdb_db_fail(ctx, db, "prepare");
		vdb_bind_text(st, 1, f->source);
		vdb_bind_text(st, 2, f->url);
		if (i == 2) {
			vdb_bind_text(st, 3, f->etag);
			vdb_bind_text(st, 4, f->last_modified);
			vdb_bind_text(st, 5, ts);
			sqlite3_bind_int64(st, 6, (sqlite3_int64)f->bytes);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = vdb_db_fail(ctx, db, "fetch state");
		sqlite3_finalize(st);
	}
	return rc;
}

/* Replaces the writer's source (w->input) by a new row of that name: what
 * the input brought last time goes. *before gets how many advisories it had. */
static int start_source(vdb_writer *w, lading_feed_type type, const char *ts, int64_t *before)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM advisories WHERE source_id IN (SELECT id FROM sources WHERE name = ?1)",
		"DELETE FROM sources WHERE name = ?1",
		"INSERT INTO sources(name, type, imported_at) VALUES(?1,?2,?3)",
	};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(w->db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return vdb_db_fail(w->ctx, w->db, "prepare");
		vdb_bind_text(st, 1, w->input);
		if (i == 2) {
			vdb_bind_text(st, 2, lading_feed_name(type));
			vdb_bind_text(st, 3, ts);
		}
		int r = sqlite3_step(st);
		if (i == 0 && r == SQLITE_ROW)
			*before = sqlite3_column_int64(st, 0);
		else if (r != SQLITE_DONE)
			rc = vdb_db_fail(w->ctx, w->db, "source");
		sqlite3_finalize(st);
	}
	w->source_id = sqlite3_last_insert_rowid(w->db);
	return rc;
}

int vdb_import_source(lading_import_stats *stats, lading_ctx *ctx, const vdb_lock *lock, const char *db_path,
		      const char *input, const char *source_name, lading_feed_type type,
		      const vdb_fetch *fetch)
{
	memset(stats, 0, sizeof(*stats));
	ctx_error_reset(ctx);
	if (!lock || lock->fd < 0)
		return ctx_error(ctx, LADING_EINVAL, "import: the database's lock is not held");
	const vdb_importer *imp = NULL;
	int prc = pick_importer(&imp, ctx, input, type);
	if (prc)
		return prc;
	stats->type = imp->type;

	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s" VDB_IMPORT_SUFFIX "%ld", db_path, (long)getpid());
	unlink(tmp);
	vdb_writer w = {.ctx = ctx, .stats = stats};
	/* A source is named by the input's absolute path: importing the same file
	 * again replaces its rows, and v3.9/main.yaml never replaces v3.10/main.yaml.
	 * A download is named by its URL instead (source_name). */
	char name[PATH_MAX];
	if (source_name)
		snprintf(name, sizeof(name), "%s", source_name);
	else if (!realpath(input, name))
		snprintf(name, sizeof(name), "%s", input);
	w.input = name;
	char ts[32], meta[256];
	now_rfc3339(ts);
	int rc = open_rw(ctx, tmp, &w.db);
	if (!rc)
		rc = copy_live(ctx, db_path, w.db);
	if (!rc)
		rc = exec(ctx, w.db, schema_sql);
	if (!rc) {
		snprintf(meta, sizeof(meta),
			 "INSERT OR REPLACE INTO meta VALUES('schema_version','%d');"
			 "INSERT OR REPLACE INTO meta VALUES('built_at','%s');",
			 VDB_SCHEMA, ts);
		rc = exec(ctx, w.db, meta);
	}
	if (!rc)
		rc = check_schema(ctx, w.db, db_path);
	if (!rc)
		rc = exec(ctx, w.db, "BEGIN");
	int64_t before = 0;
	if (!rc)
		rc = start_source(&w, imp->type, ts, &before);
	if (!rc && fetch)
		rc = put_fetch(ctx, w.db, fetch, ts);
	if (!rc)
		rc = prepare(&w);
	if (!rc)
		rc = imp->import(&w, input);
	finalize(&w);
	/* A wrong type reads a whole feed as nothing: that must not replace the
	 * rows the input brought before, nor pass for an empty feed. */
	if (!rc && stats->advisories == 0 && (before > 0 || has_content(input))) {
		char kept[128] = "";
		if (before > 0)
			snprintf(kept, sizeof(kept),
				 ": it keeps the %lld advisories this input brought before",
				 (long long)before);
		rc = ctx_error(
		    ctx, LADING_EFORMAT,
		    "%s: no advisories recognised in it as %s (%llu records skipped); the database is "
		    "unchanged%s",
		    name, lading_feed_name(imp->type), (unsigned long long)stats->skipped, kept);
	}
	if (!rc)
		rc = exec(ctx, w.db, "COMMIT; ANALYZE;");
	if (w.db && sqlite3_close(w.db) != SQLITE_OK && !rc)
		rc = vdb_db_fail(ctx, NULL, "close");
	if (!rc)
		rc = vdb_install(ctx, lock, tmp, db_path);
	if (rc)
		unlink(tmp);
	return rc;
}

/* ---- detection --------------------------------------------------------------- */

static const vdb_importer *sniff_file(const char *path)
{
	int fd = file_open_regular(AT_FDCWD, path, 0, NULL);
	if (fd < 0)
		return NULL;
	char head[8192];
	ssize_t n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return NULL;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < NIMPORTERS; i++)
		if (importers[i]->sniff && importers[i]->sniff(name, sv_make(head, (size_t)n)))
			return importers[i];
	return NULL;
}

/* The first non-NULL `fn` gives for the regular files of an input: the file
 * itself, or for a directory those found a few levels down (dot files left
 * out, symbolic links not followed, at most 200 entries looked at). */
static const void *first_file(const char *path, const struct stat *st, int depth, int *budget,
			      const void *(*fn)(const char *path, const struct stat *st))
{
	if (S_ISREG(st->st_mode))
		return fn(path, st);
	DIR *d = S_ISDIR(st->st_mode) && depth <= 3 ? opendir(path) : NULL;
	if (!d)
		return NULL;
	const void *found = NULL;
	struct dirent *de;
	while (!found && (de = readdir(d)) != NULL && (*budget)-- > 0) {
		if (de->d_name[0] == '.')
			continue;
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		struct stat sub;
		if (lstat(p, &sub) == 0)
			found = first_file(p, &sub, depth + 1, budget, fn);
	}
	closedir(d);
	return found;
}

static const void *sniff_cb(const char *path, const struct stat *st)
{
	(void)st;
	return sniff_file(path);
}

static const vdb_importer *detect(lading_ctx *ctx, const char *input)
{
	struct stat st;
	if (stat(input, &st) != 0) {
		ctx_error(ctx, LADING_ETARGET, "%s: %s", input, strerror(errno));
		return NULL;
	}
	int budget = 200;
	return first_file(input, &st, 0, &budget, sniff_cb);
}

static const void *nonempty_cb(const char *path, const struct stat *st)
{
	return st->st_size > 0 ? path : NULL;
}

/* Whether an input holds any bytes: a non-empty file, or a directory with
 * one a few levels down (as far as detection looks). */
static bool has_content(const char *input)
{
	struct stat st;
	int budget = 200;
	return stat(input, &st) == 0 && first_file(input, &st, 0, &budget, nonempty_cb) != NULL;
}

/* ---- reading ----------------------------------------------------------------- */

int lading_vulndb_open(lading_vulndb **out, lading_ctx *ctx, const char *db_path)
{
	ctx_error_reset(ctx);
	*out = NULL;
	lading_vulndb *v = calloc(1, sizeof(*v));
	if (!v)
		return -LADING_ENOMEM;
	v->ctx = ctx;
	struct stat st;
	int rc = 0;
	if (stat(db_path, &st) != 0)
		rc = ctx_fail(ctx, LADING_EDB, "db.missing", CTX_WHERE(.file = db_path),
			      "%s: no vulnerability database there", db_path);
	else if (sqlite3_open_v2(db_path, &v->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		rc = vdb_db_fail(ctx, v->db, db_path);
	else
		rc = check_schema(ctx, v->db, db_path);
	if (rc) {
		lading_vulndb_close(v);
		return rc;
	}
	*out = v;
	return 0;
}

void lading_vulndb_close(lading_vulndb *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db);
}

sqlite3 *vdb_handle(lading_vulndb *db) { return db->db; }

struct lading_vulndb_status {
	arena a;
	int schema;
	VEC(lading_vulndb_source) sources;
	VEC(lading_vulndb_ns) nss;
};

static const char *col(arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? arena_str(a, (const char *)t) : NULL;
}

int lading_vulndb_get_status(lading_vulndb_status **out, lading_vulndb *db)
{
	*out = NULL;
	lading_vulndb_status *s = calloc(1, sizeof(*s));
	if (!s)
		return -LADING_ENOMEM;
	s->schema = VDB_SCHEMA;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db->db,
			       "SELECT s.name, s.type, s.imported_at, (SELECT count(*) FROM advisories a WHERE "
			       "a.source_id = s.id) FROM sources s ORDER BY s.name",
			       -1, &st, NULL) != SQLITE_OK)
		rc = vdb_db_fail(db->ctx, db->db, "status");
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		lading_vulndb_source src = {col(&s->a, st, 0), col(&s->a, st, 1), col(&s->a, st, 2),
					    (uint64_t)sqlite3_column_int64(st, 3)};
		rc = vec_push(&s->sources, src);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && sqlite3_prepare_v2(db->db,
				      "SELECT namespace, count(DISTINCT advisory_id), count(*) FROM affected GROUP BY "
				      "namespace ORDER BY namespace",
				      -1, &st, NULL) != SQLITE_OK)
		rc = vdb_db_fail(db->ctx, db->db, "status");
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		lading_vulndb_ns ns = {col(&s->a, st, 0), (uint64_t)sqlite3_column_int64(st, 1),
				       (uint64_t)sqlite3_column_int64(st, 2)};
		rc = vec_push(&s->nss, ns);
	}
	sqlite3_finalize(st);
	if (rc) {
		lading_vulndb_status_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void lading_vulndb_status_free(lading_vulndb_status *st)
{
	if (!st)
		return;
	vec_free(&st->sources);
	vec_free(&st->nss);
	arena_free(&st->a);
	free(st);
}

int lading_vulndb_status_schema(const lading_vulndb_status *st) { return st->schema; }
size_t lading_vulndb_status_nsources(const lading_vulndb_status *st) { return st->sources.n; }
const lading_vulndb_source *lading_vulndb_status_source(const lading_vulndb_status *st, size_t i)
{
	return i < st->sources.n ? &st->sources.v[i] : NULL;
}
size_t lading_vulndb_status_nnamespaces(const lading_vulndb_status *st) { return st->nss.n; }
const lading_vulndb_ns *lading_vulndb_status_namespace(const lading_vulndb_status *st, size_t i)
{
	return i < st->nss.n ? &st->nss.v[i] : NULL;
}

