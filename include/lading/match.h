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

/* What a VEX statement (OpenVEX, lading_filter.vex_*) says about a
 * finding's vulnerability in this image. */
typedef enum lading_vex_status {
	LADING_VEX_NONE = 0,                /* no statement applies */
	LADING_VEX_NOT_AFFECTED = 1,        /* suppresses the finding */
	LADING_VEX_AFFECTED = 2,            /* annotates it */
	LADING_VEX_FIXED = 3,               /* suppresses it when the statement names the installed version */
	LADING_VEX_UNDER_INVESTIGATION = 4, /* annotates it */
} lading_vex_status;

/* "not_affected", "affected", "fixed", "under_investigation" (the OpenVEX
 * labels); NULL for LADING_VEX_NONE or a value outside the enum. */
LADING_EXTERN const char *lading_vex_status_name(lading_vex_status s);

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
	/* Appended fields (older callers read the ones above only). */
	const char *purl;           /* the package's purl, or NULL */
	/* The VEX statement that applies (lading_findings_filter with VEX
	 * input), the latest if several do; LADING_VEX_NONE and NULLs without. */
	lading_vex_status vex_status;
	const char *vex_justification;    /* the OpenVEX label: "vulnerable_code_not_present", … */
	const char *vex_impact_statement; /* free text, as the statement gives it */
	const char *vex_action_statement;
	const char *vex_status_notes;
	const char *vex_timestamp;  /* when the statement was made: its last_updated, else its
				     * timestamp, else its document's timestamp; as written */
	const char *vex_document;   /* the document's @id */
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

/* One OpenVEX document held by the caller (a service's stored document):
 * `len` bytes of JSON at `text`, not necessarily NUL-terminated. */
typedef struct lading_vex_doc {
	const char *text;
	size_t len;
} lading_vex_doc;

/* Filtering, applied after matching (the CLI's --severity, --ignore-unfixed,
 * --ignorefile, --vex). Zero-initialise, set struct_size; fields are only
 * appended, and struct_size tells the library which ones the caller knows. */
typedef struct lading_filter {
	size_t struct_size;
	unsigned severities;   /* bit (1 << lading_severity) per severity kept; 0 = all */
	int ignore_unfixed;    /* drop unfixed, will-not-fix and deferred findings */
	const char *ignorefile;/* path of an ignore file (see docs/usage.md), or NULL */
	const char *today;     /* "YYYY-MM-DD" for expiry checks; NULL = the current UTC date */
	/* Ignore rules from memory: `ignore_len` bytes in the ignore file's
	 * format (not necessarily NUL-terminated), as a service stored them;
	 * messages call them "(ignore rules)". Both these and `ignorefile` apply
	 * when both are given. */
	const char *ignore_text;
	size_t ignore_len;
	/* OpenVEX documents (docs/usage.md, "VEX"): by path, and from memory
	 * (messages call the i-th one "(VEX document i+1)"). Files come before
	 * documents when equally recent statements are ordered. */
	const char *const *vex_files;
	size_t nvex_files;
	const lading_vex_doc *vex_docs;
	size_t nvex_docs;
} lading_filter;

/* Removes the findings the filter excludes: the severities and unfixed ones,
 * then those the ignore rules name, then those a VEX statement says do not
 * affect this image (not_affected; fixed, when it names the installed
 * version). Findings VEX removes are kept aside with their statement
 * (lading_findings_vex_get); the others a statement applies to keep it in
 * their vex_* fields. Expired ignore entries stop suppressing and are
 * reported through the context's log as warnings. A malformed ignore file
 * or rule is an error (-LADING_EFORMAT) naming the line; a malformed or
 * oversized VEX document one naming the document (docs/errors.md, reasons
 * ignore.* and vex.*). Nothing is removed when it fails. */
LADING_EXTERN int lading_findings_filter(lading_findings *f, lading_ctx *ctx, const lading_filter *flt);
/* How many findings the filter removed (VEX included). */
LADING_EXTERN size_t lading_findings_suppressed(const lading_findings *f);
/* The findings a VEX statement removed, in findings order, each with its
 * vex_* fields set: what reports show as not affected. */
LADING_EXTERN size_t lading_findings_vex_count(const lading_findings *f);
LADING_EXTERN const lading_finding *lading_findings_vex_get(const lading_findings *f, size_t i);

#ifdef __cplusplus
}
#endif
#endif
