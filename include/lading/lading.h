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

#include "lading/export.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LADING_VERSION "0.1.0"



/* The most threads one call uses (lading_options.threads). */
#define LADING_MAX_THREADS 8

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
LADING_EXTERN const char *lading_strerror(int err);
/* A stable identifier for a code, for JSON and logs: "nomem", "invalid",
 * "io", "target", "format", "digest", "limit", "not_found", "unsupported",
 * "auth", "denied", "certificate", "network", "timeout", "cancelled", "db",
 * "busy", "policy"; "unknown" for anything else. */
LADING_EXTERN const char *lading_error_name(int err);

typedef enum lading_log_level {
	LADING_LOG_DEBUG = 0,
	LADING_LOG_INFO = 1,
	LADING_LOG_WARN = 2,
} lading_log_level;

/* Diagnostics (skipped records, ignored entries) go to this callback; the
 * library itself never prints. May be called from worker threads, but never
 * concurrently for one context. */
typedef void (*lading_log_fn)(void *userdata, lading_log_level level, const char *msg);

/* Progress on long work: `done` of `total` bytes of layer `layer` read (for
 * lading_vulndb_update, `layer` is the source's index). Called from worker
 * threads, never concurrently for one context. Returning non-zero cancels
 * the call, as lading_ctx_cancel does (curl's habit). */
typedef int (*lading_progress_fn)(void *userdata, int layer, uint64_t done, uint64_t total);

/* Registry credentials asked for by host ("ghcr.io", "127.0.0.1:5000") when
 * the options give none: fill `user` and `secret` (NUL-terminated, within
 * the capacities) and return 0; return 1 for "none: go anonymous", or a
 * negative LADING_E* code to fail the call with it. Called on the thread
 * that opens the image. */
typedef int (*lading_credentials_fn)(void *userdata, const char *registry, char *user, size_t user_cap,
				     char *secret, size_t secret_cap);

/* Target kinds, for lading_options.allowed_targets and lading_target. */
enum {
	LADING_TARGET_DOCKER_ARCHIVE = 1 << 0,
	LADING_TARGET_OCI_DIR = 1 << 1,
	LADING_TARGET_OCI_ARCHIVE = 1 << 2,
	LADING_TARGET_DIR = 1 << 3,
	LADING_TARGET_ROOTFS_ARCHIVE = 1 << 4,
	LADING_TARGET_SBOM = 1 << 5,
	LADING_TARGET_REGISTRY = 1 << 6,
	/* an image archive handed over as bytes (lading_sbom_stream, lading_sbom_bytes) */
	LADING_TARGET_STREAM = 1 << 7,
	/* every kind read from the host's file system */
	LADING_TARGET_LOCAL = (1 << 6) - 1,
	LADING_TARGET_ALL = (1 << 8) - 1,
};

/* Options for a context. Zero-initialise, set `struct_size`, then set what you
 * need: every zero field means "the default". New fields are only appended. */
typedef struct lading_options {
	size_t struct_size;        /* sizeof(lading_options) */
	uint64_t max_file_size;    /* largest single file kept for a cataloger (default 256 MiB) */
	uint64_t max_image_size;   /* largest total uncompressed size read (default 64 GiB) */
	uint64_t max_entries;      /* most tar entries read per layer (default 4 million) */
	const char *platform;      /* "os/arch[/variant]" chosen from an index (default linux/amd64) */
	int threads;               /* threads reading layers; one with no layer left hashes for
				    * another (default: online CPUs, at most LADING_MAX_THREADS;
				    * more is LADING_EINVAL) */
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
	 * NULL = /tmp (the library reads no environment: the CLI passes $TMPDIR). */
	const char *tmp_dir;

	/* ---- appended in 0.2: a service's needs (docs/library.md) ---- */

	/* Registry credentials by callback, asked when registry_username is NULL
	 * (before docker_config). NULL = none. */
	lading_credentials_fn credentials;
	void *credentials_userdata;
	/* Every call that reads an image, imports or downloads fails with
	 * LADING_ETIMEOUT once it has run this long, checked where
	 * lading_ctx_cancel is (0 = no deadline). */
	uint64_t timeout_ms;
	/* Which target kinds lading_sbom and lading_target_probe accept
	 * (LADING_TARGET_* bits; 0 = all). A service that scans what a registry
	 * tells it sets LADING_TARGET_REGISTRY: then "dir:/etc" or
	 * "sbom:/etc/passwd" fail with LADING_EPOLICY before anything is read. */
	unsigned allowed_targets;
	/* The address guard: by default (0) a registry, token realm or feed host
	 * that resolves to a loopback, private (RFC 1918, RFC 4193), link-local
	 * (169.254.0.0/16, the cloud metadata address, fe80::/10), CGNAT,
	 * unspecified, multicast or reserved address is refused with
	 * LADING_EPOLICY when connecting (redirects and every resolution
	 * included). 1 allows every address (the CLI does: its user scans what
	 * they name). */
	int allow_private_addresses;
	/* Hosts allowed despite the guard: comma-separated "host" or
	 * "host:port" (a registry on 127.0.0.1:5000 for a test). NULL = none. */
	const char *allowed_hosts;
	/* Network (registry and feeds): 0 = the default in parentheses. */
	uint32_t http_connect_timeout_ms; /* to connect (30 s) */
	uint32_t http_low_speed_time_s;   /* a transfer below http_low_speed_limit for this long is
					   * dropped as stalled (60 s feeds, 30 s registries) */
	uint32_t http_low_speed_limit;    /* bytes per second (1024) */
	uint64_t http_timeout_ms;         /* one whole request (feeds 1 h; registry documents 60 s;
					   * layer blobs have only the stall limit) */
	int http_max_attempts;            /* attempts per request, the first included (4) */
	uint32_t http_retry_delay_ms;     /* first backoff, doubled each retry, capped at 60 s;
					   * a Retry-After is honoured up to the cap (feeds 2 s,
					   * registry 250 ms) */
	uint64_t http_max_size;           /* largest feed downloaded (1 GiB) */
	const char *ca_bundle;            /* a CA file instead of the system's; NULL = system */
	/* Proxy for every request ("http://proxy:3128"); NULL = none. The library
	 * never reads http_proxy/https_proxy itself: the CLI passes them. */
	const char *proxy;
	const char *no_proxy;             /* hosts not proxied, curl's NOPROXY syntax */
	/* How long a writer of a vulnerability database (import, update) waits
	 * while another holds its lock, in milliseconds: 0 = the default
	 * (LADING_VULNDB_LOCK_WAIT, 600 s), negative = not at all (LADING_EBUSY
	 * at once). At most a day. */
	int64_t db_lock_wait_ms;
	/* Bytes inflated from archives inside the image's files (a jar inside a
	 * war, and so on down), over the whole image and every thread together;
	 * once used up, further nested archives are not read, each with a
	 * warning naming it (default 1 GiB). */
	uint64_t max_nested_size;
} lading_options;

typedef struct lading_ctx lading_ctx;

/* Creates a context; `opts` may be NULL for all defaults. The options are
 * copied; the strings they point to are borrowed and must outlive the
 * context. A context serves one call at a time (it may use several threads
 * inside that call); independent contexts may run calls on different
 * threads at once (tests/tools/parallel.c runs 8 under ThreadSanitizer). */
LADING_EXTERN int lading_ctx_new(lading_ctx **out, const lading_options *opts);
LADING_EXTERN void lading_ctx_free(lading_ctx *ctx);
/* A target string, parsed under the options' policy (allowed_targets)
 * without being opened: a service checks what it is asked to scan before it
 * queues the work. Every string is owned by the struct. */
typedef struct lading_target {
	unsigned kind;    /* one LADING_TARGET_* bit */
	char *path;       /* the path of a local kind (or of sbom:FILE); NULL for a registry image */
	char *tag;        /* the :TAG of an oci / oci-archive / docker-archive target, or the registry tag */
	char *registry;   /* a registry image's host: "docker.io", "127.0.0.1:5000" */
	char *repository; /* "library/alpine" */
	char *digest;     /* "sha256:…" when the reference names one, else NULL */
	char *reference;  /* the normalised reference, "docker.io/library/alpine:3.20" */
} lading_target;
/* Parses `text` as lading_sbom would read it. A kind the options do not
 * allow fails with LADING_EPOLICY before anything is touched; the host's
 * file system is looked at (to tell a path from a reference, and which kind
 * a file is) only when a local kind is allowed. Errors on the context. */
LADING_EXTERN int lading_target_parse(lading_target **out, lading_ctx *ctx, const char *text);
LADING_EXTERN void lading_target_free(lading_target *t);
/* "docker-archive", "oci", "oci-archive", "dir", "rootfs-archive", "sbom",
 * "registry" for one LADING_TARGET_* bit; "unknown" otherwise. */
LADING_EXTERN const char *lading_target_kind_name(unsigned kind);

/* Cancels the call running on `ctx`, from any thread (or a signal handler:
 * it only sets a flag, as sqlite3_interrupt does). The call returns
 * LADING_ECANCELLED promptly (it checks at layer chunks, file and package
 * boundaries, every network wait and retry), leaving nothing behind: no
 * partial cache file, no temporary file. A cancelled context stays
 * cancelled: every later call fails at once; use a new context. */
LADING_EXTERN void lading_ctx_cancel(lading_ctx *ctx);
LADING_EXTERN int lading_ctx_is_cancelled(const lading_ctx *ctx);
/* What failed, as an object a server can act on. The first failure of a
 * call wins (later ones, often its consequences on other threads, are
 * dropped, as curl's error buffer does); each public call that takes the
 * context starts afresh. Meaningful after a call returned an error; the
 * strings are borrowed from the context and valid until its next call.
 * Messages are neutral English naming the layer, file or record: no command
 * line hints (front ends add theirs), and never bytes of a host file that is
 * not the scanned image itself. */
typedef struct lading_error {
	int code;            /* LADING_E* (positive); 0 when nothing failed */
	const char *reason;  /* a finer cause, a stable token from docs/errors.md
			      * ("registry.unauthorized", "db.missing"), or NULL */
	const char *message; /* never NULL ("" when nothing failed) */
	int layer;           /* the layer's index, -1 when not about one layer */
	const char *digest;  /* the blob, layer or manifest digest involved, or NULL */
	const char *path;    /* the path inside the image or archive, or NULL */
	const char *file;    /* the host file involved (archive, database, feed), or NULL */
	const char *source;  /* the feed source or registry host, or NULL */
	const char *record;  /* the feed record (advisory id, line), or NULL */
	long http_status;    /* the last HTTP status received, 0 when none */
	int sys_errno;       /* the errno of the failing system call, 0 when none */
} lading_error;
LADING_EXTERN const lading_error *lading_ctx_last_error(const lading_ctx *ctx);
/* The message of lading_ctx_last_error ("" if none). Borrowed. */
LADING_EXTERN const char *lading_ctx_error(const lading_ctx *ctx);

#ifdef __cplusplus
}
#endif

#include "lading/inventory.h"
#include "lading/report.h"
#include "lading/version.h"
#include "lading/vulndb.h"
#include "lading/match.h"

#endif
