/* The vulnerability database: one SQLite file built by importers from public
 * feeds (OSV, Alpine secdb, Debian, Ubuntu, NVD). Importers translate a feed
 * into rows; they never match. An import builds a new file beside the live
 * one and renames it into place, so an interrupted import never leaves a
 * broken database.
 *
 * Threads and lifetimes: a lading_vulndb handle is opened
 * SQLITE_OPEN_NOMUTEX: use it from one thread at a time (a worker opens its
 * own; opening is cheap). Writers (import, update) of one database take
 * turns through its lock, across threads and processes. A feed list is not
 * shared between threads; what lading_feed_list_sources returns is borrowed
 * until the list changes. lading_update_stats results borrow the names and
 * URLs of the sources passed in. */
#ifndef LADING_VULNDB_H
#define LADING_VULNDB_H

#include "lading/export.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lading_ctx lading_ctx;
typedef struct lading_vulndb lading_vulndb;

typedef enum lading_feed_type {
	LADING_FEED_AUTO = 0,           /* detect from the content */
	LADING_FEED_OSV = 1,            /* OSV JSON files (a directory, a .zip, or one file); PyPA YAML */
	LADING_FEED_ALPINE_SECDB = 2,   /* Alpine secdb, JSON or the older YAML */
	LADING_FEED_DEBIAN_TRACKER = 3, /* Debian Security Tracker JSON */
	LADING_FEED_DEBIAN_DSA = 4,     /* Debian DSA/DLA list (data/DSA/list, data/DLA/list) */
	LADING_FEED_NVD = 5,            /* NVD CVE API 2.0 JSON (plain or .gz) */
	LADING_FEED_UBUNTU = 6,         /* Ubuntu CVE tracker files (a directory or one file) */
} lading_feed_type;

/* "osv", "alpine-secdb", "debian-tracker", "debian-dsa", "nvd", "ubuntu". */
LADING_EXTERN const char *lading_feed_name(lading_feed_type t);
LADING_EXTERN int lading_feed_parse(lading_feed_type *out, const char *name);

typedef struct lading_import_stats {
	lading_feed_type type;   /* as detected */
	uint64_t advisories;     /* advisories written */
	uint64_t affected;       /* (namespace, package) rows written */
	uint64_t skipped;        /* records skipped with a warning */
} lading_import_stats;

/* Imports one feed (file or directory) into the database at db_path (created
 * if missing). Rows previously imported from the same input (by absolute
 * path) are replaced. The new database is written beside db_path, synced to
 * disk, renamed into place, and the directory synced: after a crash or a
 * power loss db_path is the old database or the whole new one. An input in
 * which no advisory is recognised while it has bytes, or while it brought
 * advisories before, is LADING_EFORMAT (naming the input and the type), and
 * the database is left as it was.
 *
 * Writers of one database take turns: this import and lading_vulndb_update()
 * hold an exclusive lock on the database's directory (flock(2) on the
 * directory itself; so two databases in one directory share it) from before
 * they read the live file until the new one is in place. While another
 * writer holds it, this waits, polling, at most the options' db_lock_wait_ms
 * (default LADING_VULNDB_LOCK_WAIT seconds; a warning on the context's log says it is waiting and for which
 * pid), then fails with LADING_EBUSY naming the directory and the holder's
 * pid when the system tells it. With the lock, it removes the work files
 * that killed writers left beside the database (DB.import-<pid> and update
 * download directories of pids that no longer exist). */
LADING_EXTERN int lading_vulndb_import(lading_import_stats *stats, lading_ctx *ctx, const char *db_path, const char *input,
			 lading_feed_type type);

/* Seconds a writer waits for another writer of the same database by default. */
#define LADING_VULNDB_LOCK_WAIT 600

/* Opens a database read-only for matching. */
LADING_EXTERN int lading_vulndb_open(lading_vulndb **out, lading_ctx *ctx, const char *db_path);
LADING_EXTERN void lading_vulndb_close(lading_vulndb *db);

/* One line per imported source: name, type, advisory count, when imported. */
typedef struct lading_vulndb_source {
	const char *name;        /* the input's absolute path, or the URL of a downloaded feed */
	const char *type;        /* lading_feed_name */
	const char *imported_at; /* RFC 3339 UTC */
	uint64_t advisories;
} lading_vulndb_source;

typedef struct lading_vulndb_ns {
	const char *ns; /* "debian:12", "alpine:3.19", "go", "pypi", … */
	uint64_t advisories;
	uint64_t affected;
} lading_vulndb_ns;

typedef struct lading_vulndb_status lading_vulndb_status;
LADING_EXTERN int lading_vulndb_get_status(lading_vulndb_status **out, lading_vulndb *db);
LADING_EXTERN void lading_vulndb_status_free(lading_vulndb_status *st);
LADING_EXTERN int lading_vulndb_status_schema(const lading_vulndb_status *st);
LADING_EXTERN size_t lading_vulndb_status_nsources(const lading_vulndb_status *st);
LADING_EXTERN const lading_vulndb_source *lading_vulndb_status_source(const lading_vulndb_status *st, size_t i);
LADING_EXTERN size_t lading_vulndb_status_nnamespaces(const lading_vulndb_status *st);
LADING_EXTERN const lading_vulndb_ns *lading_vulndb_status_namespace(const lading_vulndb_status *st, size_t i);

/* ---- updating from the network (src/vulndb/update.c) ------------------------- */

/* One feed to download: a short name ("osv-go", "alpine-3.20-main"), the
 * feed's type and its URL. URLs are https (certificates verified); plain
 * http is accepted only for a loopback host (127.0.0.0/8, localhost, ::1),
 * for local mirrors and tests. The database names the source by its URL, so
 * updating again replaces exactly what that URL brought last time; it also
 * remembers which name fetched a URL, so that updating a name from another
 * URL (a mirror) replaces what the old URL brought instead of adding a copy. */
typedef struct lading_feed_source {
	const char *name;
	lading_feed_type type;
	const char *url;
} lading_feed_source;

/* The built-in list: the OSV ecosystem dumps (Go, PyPI, npm, crates.io,
 * RubyGems, Maven, Packagist, NuGet), the Debian Security Tracker JSON and
 * Alpine secdb main/community for the supported releases and edge. Static. */
LADING_EXTERN const lading_feed_source *lading_feed_defaults(size_t *n);

/* An editable list of sources that owns its strings: start from the built-in
 * list or from nothing, add a sources file, override URLs, keep a few. */
typedef struct lading_feed_list lading_feed_list;
/* A new list holding copies of `init[0..n)` (NULL, 0 for an empty list). */
LADING_EXTERN int lading_feed_list_new(lading_feed_list **out, lading_ctx *ctx, const lading_feed_source *init, size_t n);
LADING_EXTERN void lading_feed_list_free(lading_feed_list *l);
/* Adds one source. Names are 1-64 of [A-Za-z0-9._-]; a name already in the
 * list is an error; URLs must start with https:// or http://. */
LADING_EXTERN int lading_feed_list_add(lading_feed_list *l, lading_ctx *ctx, const char *name, lading_feed_type type,
			 const char *url);
/* Adds the sources of a sources file: one "NAME TYPE URL" per line (fields
 * separated by blanks; TYPE a lading_feed_name other than "auto"), blank
 * lines and lines starting with '#' ignored. `file` names the text in
 * errors ("FILE:LINE: ..."). Nothing is added when any line is bad. */
LADING_EXTERN int lading_feed_list_parse(lading_feed_list *l, lading_ctx *ctx, const char *file, const char *text,
			   size_t len);
/* Applies "NAME=URL" (NAME must be in the list: its URL changes, its type
 * stays) or "NAME=TYPE:URL" (NAME's type and URL; added when new). */
LADING_EXTERN int lading_feed_list_set(lading_feed_list *l, lading_ctx *ctx, const char *spec);
/* Keeps the sources whose name matches one of the comma-separated shell
 * patterns ("osv-*,debian-tracker"); a pattern that matches none is an error. */
LADING_EXTERN int lading_feed_list_only(lading_feed_list *l, lading_ctx *ctx, const char *patterns);
/* The sources, in order. Borrowed: valid until the list changes or is freed. */
LADING_EXTERN const lading_feed_source *lading_feed_list_sources(const lading_feed_list *l, size_t *n);

typedef enum lading_update_status {
	LADING_UPDATE_UPDATED = 0,      /* downloaded and imported */
	LADING_UPDATE_NOT_MODIFIED = 1, /* the server answered 304: the rows stay as they were */
	LADING_UPDATE_FAILED = 2,       /* download or import failed: the rows stay as they were */
} lading_update_status;

/* "updated", "not modified", "failed". */
LADING_EXTERN const char *lading_update_status_name(lading_update_status s);

typedef struct lading_update_result {
	const char *name; /* borrowed from the sources passed to lading_vulndb_update */
	const char *url;
	lading_update_status status;
	int error;                  /* failed: the negative LADING_E* code, else 0 */
	char reason[512];           /* failed: why ("HTTP 404 Not Found", "Operation too slow…") */
	long http_status;           /* the last HTTP status received, 0 if none */
	int attempts;               /* requests made, retries included */
	uint64_t bytes;             /* updated: size of the downloaded feed (decoded) */
	lading_import_stats import; /* updated: what the import wrote */
	double seconds;             /* wall time for this source */
} lading_update_result;

typedef struct lading_update_stats {
	lading_update_result *results; /* one per source, in the order given */
	size_t n;
	size_t updated, not_modified, failed;
} lading_update_stats;

/* Frees stats->results (the struct itself is the caller's). NULL-safe. */
LADING_EXTERN void lading_update_stats_free(lading_update_stats *stats);

/* Downloads each source and imports it into the database at db_path (created
 * if missing), one source after the other. A request is conditional on the
 * ETag / Last-Modified remembered from the last successful download of that
 * URL (table fetch_state), and a 304 leaves the source's rows as they are.
 * Downloads go to a private directory made beside the database and removed
 * afterwards; each import is built beside the database and renamed into
 * place, so a failing source leaves the others' rows and its own old rows
 * intact. Transient failures (connection errors, stalls, 408, 429, 5xx) are
 * retried with exponential backoff. Progress goes to the context's progress
 * callback with `layer` = the source's index and done/total in bytes (total 0
 * when the server does not say); retries and skipped records are logged as
 * warnings.
 *
 * Limits come from the environment (all optional; seconds may be fractional):
 *   LADING_HTTP_CONNECT_TIMEOUT  seconds to connect (default 30)
 *   LADING_HTTP_LOW_SPEED_TIME   seconds below LADING_HTTP_LOW_SPEED_LIMIT
 *                                bytes/s before a stalled transfer is dropped
 *                                (defaults 60 and 1024)
 *   LADING_HTTP_TIMEOUT          seconds for one whole request (default 3600)
 *   LADING_HTTP_RETRIES          retries after the first attempt (default 3)
 *   LADING_HTTP_RETRY_DELAY      first backoff in seconds, doubled on each
 *                                retry, at most 60 (default 2); a server's
 *                                Retry-After is honoured up to 60 s
 *   LADING_HTTP_MAX_SIZE         largest feed downloaded, bytes (default 1 GiB)
 *   LADING_HTTP_CA_BUNDLE        a CA certificate file instead of the system's
 * Proxies follow libcurl's usual https_proxy / no_proxy variables. libcurl
 * is used without signals (CURLOPT_NOSIGNAL), so the caller should ignore
 * SIGPIPE, as libcurl advises for threaded programs.
 *
 * Returns 0 when every source was updated or not modified, with one result
 * per source in stats. When a source failed, the others are still done and
 * the code of the first failure is returned (the context's error says how
 * many failed), results included. A failure before any source (a bad
 * argument or LADING_HTTP_* value, no directory for the database, the lock
 * still held by another writer after the wait: LADING_EBUSY) returns its
 * code with stats->n == 0. Free the results with lading_update_stats_free()
 * in every case.
 *
 * The update holds the database's lock (see lading_vulndb_import) over all
 * its sources, downloads included, waiting for it as
 * long as an import does. */
LADING_EXTERN int lading_vulndb_update(lading_update_stats *stats, lading_ctx *ctx, const char *db_path,
			 const lading_feed_source *sources, size_t n);

#ifdef __cplusplus
}
#endif
#endif
