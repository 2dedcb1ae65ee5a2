/* The private side of `lading db update` (src/vulndb/update.c): the import
 * entry point that names a source by URL and records its HTTP validators in
 * the same transaction (defined in db.c), and the pure pieces of the download
 * logic, kept apart so that the unit tests and the fuzzer reach them without a
 * network. */
#ifndef LADING_VULNDB_UPDATE_H
#define LADING_VULNDB_UPDATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lading/lading.h"
#include "util/util.h"

/* What a successful download leaves in table fetch_state(url PRIMARY KEY,
 * etag, last_modified, fetched_at, bytes, source): the validators the next
 * request sends back, and the lading source name the URL was fetched for. */
typedef struct vdb_fetch {
	const char *url;
	const char *source;	   /* "osv-go": rows an older URL of this name brought are dropped */
	const char *etag;	   /* NULL when the server sent none */
	const char *last_modified; /* NULL when the server sent none */
	uint64_t bytes;
} vdb_fetch;

/* vdb_import_source() (vulndb/vulndb.h) names the source `name` instead of
 * the input's absolute path (a download's temporary file name means nothing
 * next time), and, when `fetch` is given, writes its row of fetch_state in
 * the same transaction as the rows, so that validators never outlive or
 * predate the data they describe. */

/* ---- response headers ------------------------------------------------------ */

#define UPD_ETAG_MAX 256
#define UPD_DATE_MAX 64

/* The headers of the current response that the updater acts on. */
typedef struct upd_hdr {
	long status;		 /* from the status line, 0 before one */
	char reason[64];	 /* its reason phrase ("" for HTTP/2) */
	char etag[UPD_ETAG_MAX]; /* "" when absent or unusable */
	char last_modified[UPD_DATE_MAX];
	long retry_after; /* Retry-After in seconds from now, -1 when absent */
} upd_hdr;

/* Resets a record to "no response yet". */
void upd_hdr_init(upd_hdr *h);
/* Feeds one raw header line as libcurl hands it over (CRLF included, not
 * NUL-terminated). A status line starts a new response, so the headers of a
 * redirect or of a 100 Continue never leak into the final one. `now` is used
 * to turn a Retry-After date into seconds. Unusable values are dropped: the
 * validators are sent back in request headers, so they must be printable
 * ASCII of bounded length. */
void upd_hdr_line(upd_hdr *h, sv line, time_t now);
/* Whether a header value may be sent back as is (If-None-Match,
 * If-Modified-Since): 1..max-1 bytes of printable ASCII. */
bool upd_header_value_ok(sv v, size_t max);

/* ---- retries ---------------------------------------------------------------- */

/* Whether an HTTP status is worth retrying (408, 429, 500, 502, 503, 504). */
bool upd_http_retryable(long status);
/* The wait before retry number `retry` (1 = the first retry): base_ms doubled
 * per retry, at most cap_ms; a server's Retry-After (seconds, -1 when none)
 * wins when longer, also at most cap_ms. */
uint64_t upd_backoff_ms(uint64_t base_ms, int retry, long retry_after, uint64_t cap_ms);

/* ---- URLs -------------------------------------------------------------------- */

/* Checks a URL for an update: https://, or http:// to a loopback host
 * (127.0.0.0/8, localhost, [::1]); no whitespace or control characters; at
 * most 2048 bytes. 0, or -LADING_EINVAL with the reason in `why`. */
int upd_url_check(const char *url, char *why, size_t whylen);
/* Where a download is stored inside the private directory: the last two path
 * segments of the URL, each reduced to [A-Za-z0-9._-] ("v3.20/main.json",
 * "Go/all.zip", "data/json"), so that importers that read the file name or
 * its directory (a .zip, a .yaml, Alpine's vX.Y) see what they would see for
 * the file saved by hand. Never empty, never "." or "..". */
void upd_local_name(const char *url, char dir[64], char base[128]);

/* Parses an LADING_HTTP_* style number: a decimal with an optional fraction,
 * at least `min` and at most `max`. false on anything else. */
bool upd_parse_number(const char *s, double min, double max, double *out);
/* Reads the environment variable `var` into *v when it is set: 0, or
 * -LADING_EINVAL (context error set) when it is not a number in [min, max].
 * The LADING_HTTP_* knobs (docs/usage.md) of both HTTP clients. */
int upd_env_number(lading_ctx *ctx, const char *var, double min, double max, double *v);

#endif
