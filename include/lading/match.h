/* Matching: which known vulnerabilities affect the packages of an inventory.
 *
 * Distro packages are matched by their source package in their distro's
 * namespace ("debian:12", "alpine:3.19") and decided with the distro's own
 * data and version scheme, so backported fixes are not reported; upstream
 * ranges (NVD) never create a finding for a distro package. Language packages
 * are matched in their ecosystem (OSV). One finding per (package,
 * vulnerability), aliases merged.
 *
 * Threads and lifetimes: lading_match reads the inventory (shared freely)
 * and the database handle (one thread at a time: see vulndb.h) and returns
 * findings that borrow nothing from either but package indexes into that
 * inventory. lading_findings_filter changes the findings in place: one
 * thread; other calls only read them. */
#ifndef LADING_MATCH_H
#define LADING_MATCH_H

#include "lading/export.h"
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lading_ctx lading_ctx;
typedef struct lading_inventory lading_inventory;
typedef struct lading_vulndb lading_vulndb;
typedef struct lading_findings lading_findings;

typedef enum lading_severity {
	LADING_SEV_UNKNOWN = 0,
	LADING_SEV_NEGLIGIBLE = 1,
	LADING_SEV_LOW = 2,
	LADING_SEV_MEDIUM = 3,
	LADING_SEV_HIGH = 4,
	LADING_SEV_CRITICAL = 5,
} lading_severity;

/* "unknown", "negligible", "low", "medium", "high", "critical" (also parsed
 * case-insensitively by lading_severity_parse). */
LADING_EXTERN const char *lading_severity_name(lading_severity s);
LADING_EXTERN int lading_severity_parse(lading_severity *out, const char *name);

typedef enum lading_vuln_status {
	LADING_VULN_FIXED = 1,    /* a fixed version exists: upgrade to it */
	LADING_VULN_UNFIXED = 2,  /* affected, no fix released yet */
	LADING_VULN_WONTFIX = 3,  /* affected, the distro will not fix it */
	LADING_VULN_DEFERRED = 4, /* affected, fix postponed by the distro */
} lading_vuln_status;

/* "fixed", "unfixed", "will-not-fix", "deferred". */
LADING_EXTERN const char *lading_vuln_status_name(lading_vuln_status s);

typedef struct lading_finding {
	size_t package;             /* index into the inventory's packages */
	const char *package_name;   /* that package's name (binary package for distros) */
	const char *vuln_id;        /* the primary id: the CVE when there is one */
	size_t naliases;
	const char *const *aliases; /* every other id (GHSA, DSA, GO-…), sorted */
	lading_vuln_status status;
	const char *installed;      /* installed version */
	const char *fixed;          /* first fixed version, or NULL */
	lading_severity severity;
	const char *severity_source;/* "debian", "alpine", "nvd", "ghsa", … */
	double cvss_score;          /* best known base score, or -1 */
	const char *cvss_vector;
	const char *namespace;      /* where the decision came from: "debian:12", "go" */
	const char *matched_name;   /* the name looked up (source package for distros) */
	const char *source;         /* the feed: "osv", "alpine-secdb", … */
	const char *summary;
	const char *published;
	size_t nurls;
	const char *const *urls;
} lading_finding;

/* Matches every package of `inv` against `db`. Findings are sorted by
 * package, then severity (highest first), then id. */
LADING_EXTERN int lading_match(lading_findings **out, lading_ctx *ctx, const lading_inventory *inv, lading_vulndb *db);
LADING_EXTERN void lading_findings_free(lading_findings *f);
LADING_EXTERN size_t lading_findings_count(const lading_findings *f);
LADING_EXTERN const lading_finding *lading_findings_get(const lading_findings *f, size_t i);
/* The namespace each distro package was looked up in, or NULL when the OS is
 * unknown or has no data in the database (then no distro finding is
 * possible: callers should say so rather than imply "clean"). */
LADING_EXTERN const char *lading_findings_os_namespace(const lading_findings *f);
LADING_EXTERN int lading_findings_os_has_data(const lading_findings *f);

/* Filtering, applied after matching (the CLI's --severity, --ignore-unfixed,
 * --ignorefile). Zero-initialise, set struct_size. */
typedef struct lading_filter {
	size_t struct_size;
	unsigned severities;   /* bit (1 << lading_severity) per severity kept; 0 = all */
	int ignore_unfixed;    /* drop unfixed, will-not-fix and deferred findings */
	const char *ignorefile;/* path of an ignore file (see docs/usage.md), or NULL */
	const char *today;     /* "YYYY-MM-DD" for expiry checks; NULL = the current UTC date */
} lading_filter;

/* Removes the findings the filter excludes. Expired ignore entries stop
 * suppressing and are reported through the context's log as warnings. A
 * malformed ignore file is an error (-LADING_EFORMAT) naming the line. */
LADING_EXTERN int lading_findings_filter(lading_findings *f, lading_ctx *ctx, const lading_filter *flt);
/* How many findings the filter removed. */
LADING_EXTERN size_t lading_findings_suppressed(const lading_findings *f);

#ifdef __cplusplus
}
#endif
#endif
