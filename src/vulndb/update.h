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

#endif
