/* Shared between the writers in src/report/: the per-render metadata
 * (timestamp, serial), hostile-string helpers that turn any bytes into valid
 * UTF-8, jansson builders that remember an allocation failure instead of
 * making every call site check, a set that keeps identifiers unique, and the
 * pieces the SBOM writers and their scan-result variants share (common.c).
 * Nothing here is public; lading_report_render and lading_report_render_scan
 * in report.c are the only entries, and only report.c includes writers.h.
 * Dependencies run report.c -> the writers -> common.c. */
#ifndef LADING_REPORT_COMMON_H
#define LADING_REPORT_COMMON_H

#include <jansson.h>
#include <stdbool.h>

#include "lading/lading.h"
#include "lading/match.h"
#include "lading/report.h"
#include "purl.h"
#include "util/util.h"

static inline bool rp_is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool rp_is_hex(char c) { return rp_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* A report's output: the buffer every writer appends to and, for a
 * streamed report, the sink it is handed to at the writers' safe points
 * (rp_flush: between rows, while JSON is serialised). The buffer comes
 * first, so a writer's `buf *out` is always the .b of an rp_out. */
typedef struct rp_out {
	buf b;
	lading_write_fn write; /* NULL: everything stays in b (lading_report_render) */
	void *ud;
	int err; /* the sink refused: -LADING_EIO */
} rp_out;
/* Hands what `out` (an rp_out's buffer) holds to its sink when that is
 * more than a piece, or whatever it holds when `all`. 0, or the sink's
 * refusal. A no-op without a sink. */
int rp_flush(buf *out, bool all);

/* What a render needs besides the inventory. The timestamp is always
 * "YYYY-MM-DDThh:mm:ssZ" (SPDX accepts nothing else) and the serial a
 * lowercase UUID (CycloneDX's serialNumber pattern). */
typedef struct rp_meta {
	char timestamp[21];
	char serial[37];
	int color;
} rp_meta;

/* Appends `s` with every invalid UTF-8 sequence replaced by `bad` (U+FFFD in
 * JSON). With `ctrl` set, C0/C1 control characters and DEL are replaced by
 * '?' too: a terminal must never receive escape sequences from an image. */
int rp_clean(buf *out, const char *s, const char *bad, bool ctrl);

/* A JSON builder that records the first allocation failure: every helper is a
 * no-op once `oom` is set, so callers check once at the end. */
typedef struct rp_json_b {
	bool oom;
	buf tmp; /* scratch for sanitising strings */
} rp_json_b;

/* A JSON string from hostile bytes (never NULL unless out of memory). */
json_t *rp_jstr(rp_json_b *b, const char *s);
/* obj[key] = val, taking the reference; a NULL val marks oom. */
void rp_set(rp_json_b *b, json_t *obj, const char *key, json_t *val);
/* obj[key] = string s, or skipped when s is NULL. */
void rp_set_str(rp_json_b *b, json_t *obj, const char *key, const char *s);
/* obj[key] = string s, or JSON null when s is NULL. */
void rp_set_str_or_null(rp_json_b *b, json_t *obj, const char *key, const char *s);
void rp_push(rp_json_b *b, json_t *arr, json_t *val);
/* Serialises `root` (indent 2, insertion order) into `out`. Reals (only CVSS
 * scores, one decimal by definition) are written with 6 significant digits,
 * so 9.8 comes out as 9.8 and not 9.8000000000000007. */
int rp_dump(buf *out, json_t *root);

/* A set of strings for keeping bom-refs and SPDXIDs unique within one
 * document: rp_ids_claim returns `want` itself when it was free, or `want`
 * with "-2", "-3", ... appended, copied into the set's arena (NULL on OOM). */
typedef struct rp_ids {
	arena a;
	const char **slot;
	size_t cap, n;
} rp_ids;
const char *rp_ids_claim(rp_ids *ids, const char *want);
void rp_ids_free(rp_ids *ids);

/* The layer record of package layer index `idx`, or NULL when unknown. */
const lading_layer *rp_layer_of(const lading_inventory *inv, int idx);

/* The name to show for the image: its repository[:tag], else the target,
 * else "image". Borrowed. */
const char *rp_image_name(const lading_image_info *img);

/* Unpackaged files counted per directory, in path order (the JSON, table
 * and CycloneDX writers show the same grouping). */
typedef struct rp_dircount {
	char *dir;
	size_t count;
} rp_dircount;
int rp_unpackaged_dirs(rp_dircount **out, size_t *n, const lading_inventory *inv);
void rp_dircounts_free(rp_dircount *d, size_t n);

/* ---- scan results ---------------------------------------------------------- */

/* A CVSS base score when it is one (finite, 0..10), rounded to one decimal;
 * -1 otherwise (the matcher's "unknown", or garbage from a feed). */
double rp_cvss(double score);
/* True when `s` is an http(s) URL with a host, made only of characters a
 * URI may hold (RFC 3986, well-formed %XX) and at most ~2 KiB long. Feeds'
 * "urls" are free text: a schema's "uri" format rejects anything else, and
 * other schemes ("javascript:", "file:") have no business becoming a link
 * in somebody's code-scanning UI. */
bool rp_is_uri(const char *s);
/* The first of a finding's urls that rp_is_uri accepts, or NULL. */
const char *rp_first_uri(const lading_finding *f);
/* True when no distro package could have been decided: the OS is unknown
 * or the database has no data for it, and the inventory has distro packages.
 * Every writer says so rather than let "no findings" read as "clean". */
bool rp_os_unchecked(const lading_inventory *inv, const lading_findings *f);
/* "No vulnerability data for <namespace or 'this OS'>: OS packages were not
 * checked", allocated in `a` (the namespace cleaned for any output). */
const char *rp_os_note(arena *a, const lading_findings *f);
/* The findings a report lists: those kept, then those a VEX statement
 * removed (lading_findings_vex_get), which SARIF shows suppressed and
 * CycloneDX with their analysis. rp_listed(f, i) for i < rp_nlisted(f). */
size_t rp_nlisted(const lading_findings *f);
const lading_finding *rp_listed(const lading_findings *f, size_t i);
/* True for a listed finding that VEX removed (i >= lading_findings_count). */
static inline bool rp_listed_vexed(const lading_findings *f, size_t i) { return i >= lading_findings_count(f); }
/* Counts per severity (index lading_severity; out-of-range values count as
 * unknown). */
void rp_count_severities(const lading_findings *f, size_t counts[6]);

#endif
