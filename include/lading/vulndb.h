/* The vulnerability database: one SQLite file built by importers from public
 * feeds (OSV, Alpine secdb, Debian, Ubuntu, NVD). Importers translate a feed
 * into rows; they never match. An import builds a new file beside the live
 * one and renames it into place, so an interrupted import never leaves a
 * broken database. */
#ifndef LADING_VULNDB_H
#define LADING_VULNDB_H

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
const char *lading_feed_name(lading_feed_type t);
int lading_feed_parse(lading_feed_type *out, const char *name);

typedef struct lading_import_stats {
	lading_feed_type type;   /* as detected */
	uint64_t advisories;     /* advisories written */
	uint64_t affected;       /* (namespace, package) rows written */
	uint64_t skipped;        /* records skipped with a warning */
} lading_import_stats;

/* Imports one feed (file or directory) into the database at db_path (created
 * if missing). Rows previously imported from the same input (by absolute
 * path) are replaced. The new database is written beside db_path and renamed into
 * place. */
int lading_vulndb_import(lading_import_stats *stats, lading_ctx *ctx, const char *db_path, const char *input,
			 lading_feed_type type);

/* Opens a database read-only for matching. */
int lading_vulndb_open(lading_vulndb **out, lading_ctx *ctx, const char *db_path);
void lading_vulndb_close(lading_vulndb *db);

/* One line per imported source: name, type, advisory count, when imported. */
typedef struct lading_vulndb_source {
	const char *name;        /* the input's absolute path when it was imported */
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
int lading_vulndb_get_status(lading_vulndb_status **out, lading_vulndb *db);
void lading_vulndb_status_free(lading_vulndb_status *st);
int lading_vulndb_status_schema(const lading_vulndb_status *st);
size_t lading_vulndb_status_nsources(const lading_vulndb_status *st);
const lading_vulndb_source *lading_vulndb_status_source(const lading_vulndb_status *st, size_t i);
size_t lading_vulndb_status_nnamespaces(const lading_vulndb_status *st);
const lading_vulndb_ns *lading_vulndb_status_namespace(const lading_vulndb_status *st, size_t i);

#ifdef __cplusplus
}
#endif
#endif
