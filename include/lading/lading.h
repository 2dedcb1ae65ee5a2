/* lading — container image bill of materials and vulnerability scanner.
 *
 * The public API. The CLI and the server are thin callers of exactly this
 * header. Conventions:
 *   - a function that can fail returns int: 0 on success, a negative LADING_E*
 *     code on failure, and writes its result through the first parameter;
 *   - the human-readable detail of a failure is on the context
 *     (lading_ctx_error) and names the file, layer and entry involved;
 *   - everything returned through `**out` belongs to the caller and has one
 *     NULL-safe _free; getters borrow from the object they are called on;
 *   - no global mutable state: contexts are independent, one per thread.
 */
#ifndef LADING_LADING_H
#define LADING_LADING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LADING_VERSION "0.1.0"

/* Error codes (negated on return). Fine enough for a front end to map each
 * to an exit status or an HTTP status in one table (docs/errors.md); the
 * error object (lading_ctx_last_error) adds a finer reason and where.
 * Values never change; new codes are appended. */
enum {
	LADING_OK = 0,
	LADING_ENOMEM = 1,      /* out of memory */
	LADING_EINVAL = 2,      /* bad argument from the caller (an API misuse, a bad option value) */
	LADING_EIO = 3,         /* a local read or write failed (the host's file system) */
	LADING_ETARGET = 4,     /* the target is not a readable image, archive, directory or SBOM */
	LADING_EFORMAT = 5,     /* malformed content (manifest, layer, feed, database record) */
	LADING_EDIGEST = 6,     /* a blob's digest (or size) does not match what names it */
	LADING_ELIMIT = 7,      /* a size or count limit was exceeded */
	LADING_ENOTFOUND = 8,   /* the named tag, repository, platform, blob or file is not there */
	LADING_EUNSUPP = 9,     /* valid but not supported (media type, compression, schema) */
	LADING_EAUTH = 10,      /* authentication required or refused (HTTP 401) */
	LADING_EDENIED = 11,    /* authenticated but not allowed (HTTP 403) */
	LADING_ECERT = 12,      /* TLS: certificate not trusted, name mismatch, handshake failure */
	LADING_ENETWORK = 13,   /* cannot resolve or connect, connection broken, server errors after retries */
	LADING_ETIMEOUT = 14,   /* a time limit passed: connect, stall, request, the caller's deadline */
	LADING_ECANCELLED = 15, /* the caller cancelled (lading_ctx_cancel) */
	LADING_EDB = 16,        /* the vulnerability database is missing, damaged, or of a newer schema */
	LADING_EBUSY = 17,      /* another writer holds the database (or its directory) */
	LADING_EPOLICY = 18,    /* refused by the options' policy: a target kind or address not allowed */
};
/* One past the largest code, for tables indexed by code. */
#define LADING_ECOUNT 19

/* Returns a static English name for an error code (positive or negative). */
const char *lading_strerror(int err);
/* A stable identifier for a code, for JSON and logs: "nomem", "invalid",
 * "io", "target", "format", "digest", "limit", "not_found", "unsupported",
 * "auth", "denied", "certificate", "network", "timeout", "cancelled", "db",
 * "busy", "policy"; "unknown" for anything else. */
const char *lading_error_name(int err);

typedef enum lading_log_level {
	LADING_LOG_DEBUG = 0,
	LADING_LOG_INFO = 1,
	LADING_LOG_WARN = 2,
} lading_log_level;

/* Diagnostics (skipped records, ignored entries) go to this callback; the
 * library itself never prints. May be called from worker threads, but never
 * concurrently for one context. */
typedef void (*lading_log_fn)(void *userdata, lading_log_level level, const char *msg);

/* Progress on long work: `done` of `total` bytes of layer `layer` read. Called
 * from worker threads, never concurrently for one context. */
typedef void (*lading_progress_fn)(void *userdata, int layer, uint64_t done, uint64_t total);

/* Options for a context. Zero-initialise, set `struct_size`, then set what you
 * need: every zero field means "the default". New fields are only appended. */
typedef struct lading_options {
	size_t struct_size;        /* sizeof(lading_options) */
	uint64_t max_file_size;    /* largest single file kept for a cataloger (default 256 MiB) */
	uint64_t max_image_size;   /* largest total uncompressed size read (default 64 GiB) */
	uint64_t max_entries;      /* most tar entries read per layer (default 4 million) */
	const char *platform;      /* "os/arch[/variant]" chosen from an index (default linux/amd64) */
	int threads;               /* threads reading layers; one with no layer left hashes for
				    * another (default: online CPUs, at most 8) */
	lading_log_fn log;
	void *log_userdata;
	lading_progress_fn progress;
	void *progress_userdata;
	/* Registry sources (see docs/usage.md). Credentials given here win over
	 * ~/.docker/config.json ($DOCKER_CONFIG); NULL = none. */
	const char *registry_username;
	const char *registry_password;
	int registry_insecure;     /* plain HTTP or unverified TLS: never silently */
	const char *cache_dir;     /* blob cache keyed by digest; NULL = nothing written to disk */
	const char *docker_config; /* directory holding config.json; NULL = $DOCKER_CONFIG or ~/.docker */
	/* Language packages whose files an OS package owns (Debian's
	 * python3-urllib3) are reported once, as the OS package; 1 reports both. */
	int keep_os_owned;
	/* File integrity: hash every regular file while reading the layers and
	 * compare the files of dpkg, apk and rpm packages with the digests their
	 * databases recorded (lading_inventory_integrity). Costs roughly one more
	 * pass of md5+sha1+sha256 over the file bytes (bench/README.md). 0 = off. */
	int integrity;
	/* Where a file over 2 MiB that a cataloger reads (a large binary, a jar)
	 * is spooled while it is read, as an unnamed file (docs/usage.md);
	 * NULL = $TMPDIR, else /tmp. */
	const char *tmp_dir;
	/* Bytes inflated from archives inside the image's files (a jar inside a
	 * war, and so on down), over the whole image and every thread together;
	 * once used up, further nested archives are not read, each with a
	 * warning naming it (default 1 GiB). */
	uint64_t max_nested_size;
} lading_options;

typedef struct lading_ctx lading_ctx;

/* Creates a context; `opts` may be NULL for all defaults. */
int lading_ctx_new(lading_ctx **out, const lading_options *opts);
void lading_ctx_free(lading_ctx *ctx);
/* The detail of the last failure on this context ("" if none). Borrowed. */
const char *lading_ctx_error(const lading_ctx *ctx);

#ifdef __cplusplus
}
#endif

#include "lading/inventory.h"
#include "lading/report.h"
#include "lading/version.h"
#include "lading/vulndb.h"
#include "lading/match.h"

#endif
