/* The vulnerability database's private side: the schema, the row writer that
 * importers use, and the importer table.
 *
 * Schema (version VDB_SCHEMA):
 *
 *   meta(key PRIMARY KEY, value)                 schema_version, built_at
 *   sources(id, name UNIQUE, type, imported_at)  one row per imported input
 *   advisories(id, source_id, vuln_id, summary, details, published, modified,
 *              withdrawn, UNIQUE(source_id, vuln_id))
 *   aliases(advisory_id, alias)                  CVE <-> GHSA <-> distro ids
 *   severities(advisory_id, origin, type, vector, score, severity)
 *   refs(advisory_id, type, url)
 *   affected(id, advisory_id, namespace, package, scheme, status, fixed,
 *            severity, ranges, versions, cpe)    index (namespace, package)
 *
 * `affected` is the row the matcher reads. Distro feeds give simple rows:
 * status + fixed version, compared with the scheme's comparator. OSV gives
 * `ranges` (the OSV "ranges" array as JSON, events kept in feed order) and
 * `versions` (explicit affected versions as a JSON array). NVD gives `cpe`
 * rows for the binary classifiers only (never for distro packages). */
#ifndef LADING_VULNDB_PRIV_H
#define LADING_VULNDB_PRIV_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "lading/lading.h"
#include "lading/vulndb.h"
#include "util/util.h"

#define VDB_SCHEMA 1

/* Status values of affected.status. */
#define VDB_FIXED "fixed"               /* vulnerable below `fixed` */
#define VDB_UNFIXED "unfixed"           /* vulnerable, no fix released */
#define VDB_NOT_AFFECTED "not-affected" /* never affected (Debian fixed_version 0, secfixes 0) */
#define VDB_WONTFIX "will-not-fix"      /* vulnerable, distro will not fix */
#define VDB_DEFERRED "deferred"         /* vulnerable, fix postponed */
#define VDB_AFFECTED "affected"         /* OSV: see ranges/versions */
#define VDB_UNDETERMINED "undetermined" /* the distro does not know yet: kept, never reported */

/* Severity names, lowest to highest, as stored in severities.severity and
 * affected.severity. */
#define VDB_SEV_NEGLIGIBLE "negligible"
#define VDB_SEV_LOW "low"
#define VDB_SEV_MEDIUM "medium"
#define VDB_SEV_HIGH "high"
#define VDB_SEV_CRITICAL "critical"
#define VDB_SEV_UNKNOWN "unknown"

typedef struct vdb_writer vdb_writer;
/* One import's writer: what writer.c writes with and db.c sets up. */
struct vdb_writer {
	lading_ctx *ctx;
	sqlite3 *db;
	const char *input;   /* basename of the input, for messages */
	int64_t source_id;
	sqlite3_stmt *ins_adv, *del_adv, *ins_alias, *ins_sev, *ins_ref, *ins_aff;
	lading_import_stats *stats;
};

/* A failed SQLite call as the context's error (LADING_EDB, "db.sqlite"). */
int vdb_db_fail(lading_ctx *ctx, sqlite3 *db, const char *what);
/* sqlite3_bind_text of a NUL-terminated string, or NULL. */
int vdb_bind_text(sqlite3_stmt *st, int i, const char *s);

typedef struct vdb_severity {
	const char *origin;   /* who scored it: "nvd", "debian", "ghsa", the feed's name */
	const char *type;     /* "CVSS_V2", "CVSS_V3", "CVSS_V4", "distro" */
	const char *vector;   /* CVSS vector, or NULL */
	double score;         /* base score, or -1 when unknown */
	const char *severity; /* VDB_SEV_*, or NULL to derive from score */
} vdb_severity;

typedef struct vdb_ref {
	const char *type; /* "ADVISORY", "FIX", "WEB", … (OSV reference types) */
	const char *url;
} vdb_ref;

typedef struct vdb_advisory {
	const char *vuln_id;  /* "CVE-2024-1234", "GHSA-…", "GO-2024-0001", "DSA-5380-1" */
	const char *summary;
	const char *details;
	const char *published; /* RFC 3339, as the feed gives it */
	const char *modified;
	const char *withdrawn;
	const char *const *aliases;
	size_t naliases;
	const vdb_severity *sev;
	size_t nsev;
	const vdb_ref *refs;
	size_t nrefs;
} vdb_advisory;

typedef struct vdb_affected {
	const char *ns;       /* "debian:12", "alpine:3.19", "ubuntu:22.04", "go", "pypi", "npm",
			       * "crates.io", "rubygems", "maven", "packagist", "nuget", "nvd" */
	const char *package;  /* source package for distros; ecosystem-normalised name otherwise */
	const char *scheme;   /* lading_vscheme_name(); NULL when the ecosystem has none we know */
	const char *status;   /* VDB_* status */
	const char *fixed;    /* fixed version (status fixed), else NULL */
	const char *severity; /* the distro's own severity (VDB_SEV_*), or NULL */
	const char *ranges;   /* OSV ranges JSON array text, or NULL */
	const char *versions; /* JSON array of affected versions, or NULL */
	const char *cpe;      /* NVD criteria with its bounds as JSON, or NULL */
} vdb_affected;

/* Importers call these. The writer holds one transaction for the whole
 * import. vdb_put_advisory() replaces an advisory with the same vuln_id from
 * the same import (feeds with updates in one file) and returns its row id. */
int vdb_put_advisory(vdb_writer *w, int64_t *id, const vdb_advisory *a);
int vdb_put_affected(vdb_writer *w, int64_t advisory_id, const vdb_affected *af);
/* A skipped record: counted and reported as a warning naming the input and
 * record. */
void vdb_skip(vdb_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The context (for limits and logging) and the input name, for messages. */
lading_ctx *vdb_ctx(vdb_writer *w);
const char *vdb_input(vdb_writer *w);

/* One importer: detects its format from a first chunk of a file (or a
 * directory listing) and imports. `path` is a file or directory. */
typedef struct vdb_importer {
	lading_feed_type type;
	/* Returns true if `head` (the first bytes of a file named `name`) looks
	 * like this feed. NULL for importers that are only chosen explicitly. */
	bool (*sniff)(const char *name, sv head);
	int (*import)(vdb_writer *w, const char *path);
} vdb_importer;

extern const vdb_importer vdb_importer_osv;
extern const vdb_importer vdb_importer_alpine;
extern const vdb_importer vdb_importer_debian_tracker;
extern const vdb_importer vdb_importer_debian_dsa;
extern const vdb_importer vdb_importer_nvd;
extern const vdb_importer vdb_importer_ubuntu;

/* Maps a release name or number to its namespace version: "bookworm" -> "12",
 * "jammy" -> "22.04", "v3.19" -> "3.19". NULL when unknown. */
const char *vdb_debian_release(const char *codename);
const char *vdb_ubuntu_release(const char *codename);

/* The SQLite handle of an open database (for the matcher's queries). */
sqlite3 *vdb_handle(lading_vulndb *db);

/* Converts a YAML document (PyPA OSV, Alpine secdb) into the equivalent
 * jansson value, bounded in depth and size; *err gets the reason on failure. */
int vdb_yaml_to_json(json_t **out, sv text, char *err, size_t errlen);

/* Walks a feed directory: calls fn for every regular file below `dir`, in
 * byte order of names (reproducible whatever readdir's order), with its path
 * and `rel`, the path below `dir` (for messages). Dot files are left out;
 * symbolic links and special files are never followed. A directory more than
 * max_depth levels down (dir itself is level 0) is not read, and after
 * max_files regular files the walk stops; each is reported once with
 * vdb_skip(). A directory that cannot be opened is an error (-LADING_EIO).
 * Stops at the first error fn returns; a positive return from fn stops the
 * walk quietly with 0. vdb_walk() uses the limits below, which fit the large
 * trees (OSV, secdb); importers of smaller feeds pass tighter ones. */
#define VDB_WALK_MAX_DEPTH 8
#define VDB_WALK_MAX_FILES 2000000
typedef int (*vdb_walk_fn)(vdb_writer *w, const char *path, const char *rel, void *arg);
int vdb_walk_bounded(vdb_writer *w, const char *dir, int max_depth, size_t max_files, vdb_walk_fn fn,
		     void *arg);
int vdb_walk(vdb_writer *w, const char *dir, vdb_walk_fn fn, void *arg);

/* A bounded scan over JSON text, no tree built, for feeds too large to parse
 * as one tree (Debian tracker, NVD): each returns an index into s. Only the
 * extent of a value is found; jansson validates the slice afterwards.
 * vdb_json_skip_ws: first non-blank at or after i. vdb_json_skip_str: end of
 * the string at s.p[i] == '"' (after the closing quote), 0 if it does not end.
 * vdb_json_skip_value: end of the value at s.p[i], 0 if it is cut off. */
size_t vdb_json_skip_ws(sv s, size_t i);
size_t vdb_json_skip_str(sv s, size_t i);
size_t vdb_json_skip_value(sv s, size_t i);

/* Reads a whole file, bounded by the context's max_file_size. */
int vdb_read_file(vdb_writer *w, const char *path, buf *out);

/* True if `s` is 1 to `max` bytes of printable ASCII without blanks: what a
 * release name, package name or version read from a text feed must be. */
bool vdb_token_ok(sv s, size_t max);

/* Releases a distro feed names but vdb_debian_release()/vdb_ubuntu_release()
 * have no version for are tallied, so that each is reported once at the end
 * of the import with the number of rows it cost, not once per row. The
 * caller owns the tally: names[0..*n) and rows[0..*n), room for `cap`. A
 * release already there counts one more row; a new one is added with 1; one
 * past `cap` is reported at once ("no <distro> version known for it"). Names
 * longer than VDB_RELEASE_NAME - 1 bytes are cut. */
#define VDB_RELEASE_NAME 32
void vdb_note_unknown(vdb_writer *w, const char *distro, sv release, char (*names)[VDB_RELEASE_NAME],
		      size_t *rows, size_t *n, size_t cap);

/* ---- writing the file (src/vulndb/dbfile.c) -------------------------------- */

/* Every writer of a database holds this lock from before it reads the live
 * file until its new copy is in place: an exclusive flock(2) on the
 * database's directory. Work files are made only while it is held. */
typedef struct vdb_lock {
	int fd;		/* the directory, locked; -1 when not held */
	char dir[4096]; /* the database's directory ("." for a bare name) */
	char base[256]; /* the database's file name */
} vdb_lock;

/* The longest lock wait a caller may ask for, in seconds. */
#define VDB_LOCK_WAIT_MAX 86400
/* What a writer names its work files: DB.import-<pid> beside the database,
 * and the update's private directory .lading-update-<pid>-XXXXXX. */
#define VDB_IMPORT_SUFFIX     ".import-"
#define VDB_UPDATE_DIR_PREFIX ".lading-update-"

/* Takes the lock of the database at db_path, waiting at most `wait` seconds
 * (0: not at all) while another writer holds it, polling, with one warning
 * on the context's log when it starts waiting. Then removes the work files
 * of writers that no longer exist. -LADING_EBUSY (naming the directory and
 * the holder's pid when known) when the wait ran out; -LADING_EINVAL for a
 * wait outside 0..VDB_LOCK_WAIT_MAX; -LADING_EIO when the directory cannot
 * be opened or locked. */
/* The lock wait the options ask for, in seconds (db_lock_wait_ms). */
double vdb_lock_wait_of(const lading_ctx *ctx);
int vdb_lock_take(vdb_lock *l, lading_ctx *ctx, const char *db_path, double wait);
/* Releases the lock; NULL-safe on a lock not held (fd -1). */
void vdb_lock_release(vdb_lock *l);

/* Imports one feed while the caller holds the database's lock (`lock`, taken
 * for db_path). lading_vulndb_import() is this between vdb_lock_take() and
 * vdb_lock_release(); `db update` holds the lock over all its sources. See
 * vulndb/update.h for `name` and `fetch`. */
typedef struct vdb_fetch vdb_fetch;
int vdb_import_source(lading_import_stats *stats, lading_ctx *ctx, const vdb_lock *lock, const char *db_path,
		      const char *input, const char *name, lading_feed_type type, const vdb_fetch *fetch);

/* Moves a complete new database file `tmp` (closed, beside db_path) into
 * place for good: fsync(tmp), rename(tmp, db_path), fsync of the directory
 * (the lock's descriptor). After a power loss db_path is the old file or
 * the whole new one. The one way every writer installs a database. */
int vdb_install(lading_ctx *ctx, const vdb_lock *lock, const char *tmp, const char *db_path);

/* Removes `path` and what it holds, at most `depth` directory levels down,
 * never following a symbolic link: only ever our own work files. */
void vdb_remove_tree(const char *path, int depth);
/* Sleeps `ms` milliseconds (interrupted sleeps are resumed). */
void vdb_sleep_ms(uint64_t ms);
/* Seconds since `t0` (CLOCK_MONOTONIC). */
double vdb_since(const struct timespec *t0);

#endif
