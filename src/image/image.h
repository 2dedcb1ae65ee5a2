/* Image sources and the layer walk.
 *
 * A source turns a target string into an image description (manifest,
 * config, ordered layers) and opens each layer blob as a byte stream. The
 * walk reads one layer stream in a single pass: it sniffs the compression,
 * inflates, hashes both the compressed and the uncompressed bytes, parses the
 * tar with libarchive, records whiteouts, and keeps only the entries that a
 * cataloger claims (plus symbolic links). Nothing is extracted to disk. */
#ifndef LADING_IMAGE_H
#define LADING_IMAGE_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "fs/fsview.h"
#include "image/hashpool.h"
#include "image/twin.h"
#include "lading/lading.h"
#include "util/util.h"

/* ---- byte streams -------------------------------------------------------- */

typedef struct stream stream;
struct stream {
	/* Reads up to n bytes; returns bytes read, 0 at end, or a negative LADING_E*. */
	ssize_t (*read)(stream *s, void *dst, size_t n);
	void (*close)(stream *s);
	char what[512]; /* names the blob for error messages */
};

/* ---- sources --------------------------------------------------------------- */

typedef enum src_kind {
	SRC_DOCKER_ARCHIVE = 1,
	SRC_OCI_DIR,
	SRC_OCI_ARCHIVE,
	SRC_DIR,
	SRC_ROOTFS_ARCHIVE,
	SRC_REGISTRY,
} src_kind;

const char *src_kind_name(src_kind k);

typedef struct layer_desc {
	char *name;       /* blob path inside the source ("blobs/sha256/…", "abc/layer.tar"); the
			   * digest for a registry */
	char *digest;     /* expected digest of the blob bytes, or NULL if unknown */
	char *diff_id;    /* expected digest of the uncompressed tar, or NULL */
	char *media_type;
	uint64_t size;    /* from the manifest, 0 if unknown */
	char *created_by;
} layer_desc;

typedef struct image_src {
	src_kind kind;
	char *target;        /* as the user wrote it */
	char *path;          /* file or directory */
	char *tag;           /* chosen tag, if any */
	char *name;          /* repo:tag when known */
	char *manifest_digest;
	char *config_digest;
	char *os, *arch, *variant;
	VEC(char *) tags;
	VEC(layer_desc) layers;
	lading_ctx *ctx;
	struct reg_client *reg; /* SRC_REGISTRY: the connection state (registry.c) */
	struct tar_index *arc;  /* docker-archive, oci-archive: its members (archive.c) */
} image_src;

struct image_ref;
/* Parses TARGET under the options' target policy without opening it: sets
 * src->target, kind, path and tag, or for a registry image fills *ref (the
 * caller frees it). Looks at the host's file system (to tell a path from a
 * reference, and a tar's kind) only when a local kind is allowed. The
 * context error names the target on failure. */
int src_parse(image_src *src, const char *target, struct image_ref *ref);
/* ---- image archives, read once (archive.c) ---------------------------------- */

/* The regular members of a tar file, found in one pass: a compressed archive
 * (gzip, zstd) is first inflated into an unnamed file in the context's
 * tmp_dir, at most opt.max_image_size bytes. Sets a context error naming
 * `path` on failure. */
typedef struct tar_index tar_index;
int tar_index_open(tar_index **out, lading_ctx *ctx, const char *path);
void tar_index_free(tar_index *ix);
/* Opens the first regular member named `name` ("./" and "/" in front do not
 * count) as a stream called `what`; independent of other streams and of the
 * index's lifetime, so layers may be read on several threads.
 * -LADING_ENOTFOUND when there is none (no context error set). */
int tar_index_member(stream **out, const tar_index *ix, const char *name, const char *what);
bool tar_index_has(const tar_index *ix, const char *name);
/* Whether a corrupt header ended the index early. */
bool tar_index_partial(const tar_index *ix);

/* libarchive's tar reader (gzip and zstd filters when `filters`; skipping by
 * seeking otherwise) over a descriptor it takes, read with pread() from
 * offset 0. NULL on failure. */
struct archive;
struct archive *tar_open_fd(int fd, bool filters);
/* tar_open_fd on a regular file, never a FIFO or a device, with filters. */
struct archive *tar_open(const char *path);
/* A member name without "./" and "/" in front. */
const char *tar_member_name(const char *n);

/* Parses and opens TARGET. Sets a context error naming the target on failure. */
int src_open(image_src **out, lading_ctx *ctx, const char *target);
/* Opens the image archive in the regular file open at `fd` (kept open by
 * the caller while the source lives; read through /proc/self/fd), detecting
 * its kind; `name` stands for it in messages. For spooled uploads. */
int src_open_fd(image_src **out, lading_ctx *ctx, int fd, const char *name);
/* The LADING_TARGET_* bit of a kind. */
unsigned src_kind_bit(src_kind k);
/* 0 when the options allow kind `bit`, else LADING_EPOLICY recorded naming
 * `target` and the kind's `name`. */
int src_kind_allowed(lading_ctx *ctx, const char *target, unsigned bit, const char *name);
void src_free(image_src *s);
/* Opens layer i as a stream of its blob bytes (compressed as stored). Each
 * call opens an independent handle, so layers may be read on different threads. */
int src_open_layer(stream **out, image_src *s, size_t i);

/* Shared by the OCI layout and registry sources (source.c). */

/* "sha256:<64 hex>" or "sha512:<128 hex>", lower case. */
bool src_valid_digest(const char *d);
/* Checks that `data` has digest `want` (sha256; other algorithms are trusted
 * as named); -LADING_EDIGEST with a context error naming `what` otherwise. */
int src_check_digest(image_src *src, const char *what, const buf *data, const char *want);
/* Whether a media type is an OCI index or a Docker manifest list. */
bool src_is_index_type(const char *media_type);
/* Chooses from an image index (OCI index or Docker manifest list) the
 * descriptor for the platform asked for (ctx->opt.platform), or, when
 * `want_tag` is given, the one annotated with that tag. *pick borrows from
 * `index`. Sets a context error on failure. */
int src_pick_manifest(const json_t **pick, image_src *src, const json_t *index, int depth,
		      const char *want_tag);
/* Reads the layer descriptors of an image manifest into src->layers (layer
 * names are blob paths when `blob_paths`, digests otherwise) and returns its
 * config digest (borrowed from `m`). */
int src_manifest_layers(image_src *src, const json_t *m, bool blob_paths, const char **config_digest);
/* Reads platform, diff_ids and history from an image config into src. */
int src_apply_config(image_src *src, const buf *config);
/* Parses a bounded JSON document, setting a context error naming `what`. */
json_t *src_parse_json(image_src *src, const char *what, const buf *b);
int src_set_str(char **dst, const char *v);
/* A string member of a JSON object, or NULL. */
const char *src_jstr(const json_t *o, const char *key);
/* "blobs/sha256/<hex>" for a valid digest (malloc'd), NULL otherwise. */
char *src_blob_path(const char *digest);
/* "sha256:<hex>" of `n` bytes at `p`. */
void src_sha256_str(const void *p, size_t n, char out[80]);

/* ---- the layer walk -------------------------------------------------------- */

typedef struct layer_result {
	VEC(lentry) entries;  /* kept files and links, in tar order */
	VEC(char *) whiteouts;/* paths deleted from lower layers */
	VEC(char *) opaques;  /* directories whose lower content is hidden */
	char digest[80];      /* computed digest of the blob bytes */
	char diff_id[80];     /* computed digest of the uncompressed tar */
	uint64_t size, usize; /* blob bytes, uncompressed bytes */
	uint64_t nentries;
	VEC(char *) warnings;
	lading_inventory *found; /* packages from file catalogers (db_path = their file), or NULL */
	VEC(char *) fc_paths;    /* every file a file cataloger looked at, found a package or not */
	VEC(lfile) files;        /* opt.integrity: every regular file, in tar order */
} layer_result;

void layer_result_free(layer_result *r);
/* The parts of a walked layer the integrity check reads (fs/fsview.h). */
layer_files layer_files_of(const layer_result *r);

/* The limits every walk of one scan shares, whichever thread it runs on
 * (src/scan.c sets them up; budget operations are atomic). */
typedef struct scan_limits {
	byte_budget image;  /* opt.max_image_size: the layers' uncompressed bytes, each
			* sparse file counted at its full (apparent) size */
	byte_budget nested; /* bytes inflated from archives inside files (jars in jars):
			* nested_budget() */
} scan_limits;
/* The nested-archive budget of a scan: opt.max_nested_size, or its default. */
uint64_t nested_budget(const lading_ctx *ctx);
enum { DEFAULT_MAX_NESTED = 1 << 30 };

/* Reads one layer. `d` gives the expected digests (checked; a mismatch is
 * -LADING_EDIGEST naming the blob). `index` is for messages and progress. */
int walk_layer(layer_result *out, lading_ctx *ctx, stream *s, const layer_desc *d, int index);
/* walk_layer, handing its hashing to a worker of `hp` that has no layer left,
 * when one waits (see hashpool.h), else pairing it with the walk in the other
 * slot of its thread (see twin.h); hp and ts may be NULL. `lim` holds the
 * scan's image-wide limits; NULL gives this walk limits of its own. */
int walk_layer_helped(layer_result *out, lading_ctx *ctx, stream *s, const layer_desc *d, int index,
		      hash_pool *hp, twin_slot *ts, scan_limits *lim);
/* Reads an unpacked root file system directory as if it were one layer. The
 * directory is never modified and links are never followed on the host. */
int walk_dir(layer_result *out, lading_ctx *ctx, const char *root, scan_limits *lim);

/* Opens a file as a stream (used by sources and for rootfs archives). */
int stream_open_file(stream **out, int dirfd, const char *path, const char *what);
/* The same, following a symbolic link in the last component when `follow`:
 * for a target the caller named (a root file system tarball given as a
 * link), never for a path inside an image layout. */
int stream_open_path(stream **out, int dirfd, const char *path, const char *what, bool follow);

#endif
