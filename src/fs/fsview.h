/* The merged view of an image's file system as the catalogers see it: the
 * files they claimed and every symbolic link, after whiteouts; and the blobs
 * that hold file contents. The walk (src/image/) fills it layer by layer, the
 * catalogers (src/catalog/) read it; tests and fuzz harnesses fill it by
 * hand. Below both: it knows neither images nor catalogers. */
#ifndef LADING_FSVIEW_H
#define LADING_FSVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/util.h"

typedef struct fsview fsview;

/* ---- the merged file-system view (fsview.c) ---- */

/* Paths are absolute and normalised: "/var/lib/dpkg/status" (no "." or "..",
 * no trailing or doubled "/"). */

/* Looks up a regular file, following symbolic links inside the view (at most
 * 40 hops; a link never leaves the image). On success *data borrows the bytes,
 * valid until the view changes. Returns false if absent or not a kept file. */
bool fsview_get(const fsview *v, const char *path, sv *data);
/* Calls fn for each kept regular file whose path starts with `prefix`, in
 * byte order of path; stops and returns fn's value if it is non-zero. */
typedef int (*fsview_each_fn)(void *ud, const char *path, sv data);
int fsview_each(const fsview *v, const char *prefix, fsview_each_fn fn, void *ud);


/* Immutable, reference-counted file contents shared between layer results
 * and views, NUL-terminated (data[len] == 0). Small files are held in memory;
 * files over BLOB_SPOOL_MIN are spooled into an unnamed temporary file and
 * mapped read-only (`mapped`), so that what a file occupies in memory is the
 * pages a reader touches, not its size: see blob_spool(). */
typedef struct blob {
	size_t refs;
	size_t len;
	unsigned char *data;
	size_t map_len; /* bytes mapped at data, when mapped */
	bool mapped;
} blob;

enum { BLOB_SPOOL_MIN = 2 << 20 };

blob *blob_new(const void *data, size_t len); /* refs = 1; NULL on OOM */
blob *blob_ref(blob *b);
void blob_unref(blob *b);

/* Reads a file of `size` bytes (what its source announces) into a new blob:
 * the `hn` bytes at `head`, then from `rd` (0 at the end, negative on error)
 * until `size` bytes are in hand. Held in memory when `size` is at most
 * BLOB_SPOOL_MIN, otherwise spooled into an
 * unnamed file in `tmpdir` (O_TMPFILE: never visible, gone when unmapped, even
 * after a crash) and mapped. The blob holds what was read, which may be less
 * than `size`. Returns 0, -LADING_EIO when the temporary file cannot be
 * written (*why says why), -LADING_EFORMAT when `rd` failed, -LADING_ENOMEM. */
typedef ssize_t (*blob_read_fn)(void *ud, unsigned char *dst, size_t n);
/* A blob_read_fn over the current entry of a libarchive reader (ud: the
 * struct archive *): a tar entry, a zip entry. */
ssize_t blob_archive_read(void *ud, unsigned char *dst, size_t n);
int blob_read(blob **out, const void *head, size_t hn, uint64_t size, blob_read_fn rd, void *ud, const char *tmpdir,
	      const char **why);
/* An unnamed file in `dir` for spooling (O_TMPFILE: never visible, gone when
 * closed, even after a crash; mkstemp + unlink where the file system has no
 * O_TMPFILE). Returns the descriptor (O_CLOEXEC), or -1 with errno set. */
int spool_tmpfile(const char *dir);
/* Drops the pages of a mapped blob from the process (they are read again from
 * the page cache when touched): for readers that walk a large file once. A
 * no-op for a blob in memory. */
void blob_release(const blob *b, size_t from, size_t to);

int fsview_new(fsview **out);
void fsview_free(fsview *v);
/* Adds or replaces a regular file (takes a new reference on b). */
int fsview_put_file(fsview *v, const char *path, blob *b, int layer);
/* Convenience for tests and fuzzers: copies the bytes. */
int fsview_put_copy(fsview *v, const char *path, const void *data, size_t len);
/* Adds or replaces a symbolic link; `target` is stored as written. */
int fsview_put_symlink(fsview *v, const char *path, const char *target, int layer);
/* Removes `path` and everything under it (a whiteout). */
void fsview_remove(fsview *v, const char *path);
/* Removes everything under `dir` but not dir itself (an opaque directory). */
void fsview_clear_dir(fsview *v, const char *dir);
/* The path the image stores `path` under, every symbolic link in it
 * followed inside the view ("/bin/bash" -> "/usr/bin/bash" on a merged-/usr
 * system). -LADING_ELIMIT on a link loop. */
int fsview_canonical(const fsview *v, const char *path, buf *out);
/* Layer that last wrote `path` (after following links), or -1. */
int fsview_layer(const fsview *v, const char *path);
size_t fsview_count(const fsview *v);

/* Normalises a path from a tar entry or a link target into `out` (absolute,
 * no ".", "..", doubled or trailing "/"); ".." never climbs above "/".
 * `base` is the directory to resolve a relative path against ("/" for tar
 * names). Returns 0, or -LADING_ELIMIT if the result exceeds 4096 bytes. */
int path_normalize(buf *out, const char *base, sv path);
/* The link target of the first n bytes of a normalised path, or NULL when
 * that prefix is not a symbolic link. */
typedef const char *(*link_target_fn)(const void *ud, const char *path, size_t n);
/* Normalises `path` into `out` and follows the symbolic links in its
 * components, as `target` reports them (the last component only when
 * `follow_last`), splicing each target in, relative to the link's directory.
 * Returns 0, -LADING_ELIMIT after 40 links (a loop) or for a path over 4096
 * bytes, or -LADING_ENOMEM. */
int path_resolve_links(buf *out, const char *path, bool follow_last, link_target_fn target, const void *ud);

/* ---- a walked layer's records ----------------------------------------------- */

typedef enum lentry_kind { LE_FILE = 1, LE_LINK = 2 } lentry_kind;

typedef struct lentry {
	char *path;
	lentry_kind kind;
	blob *b;      /* LE_FILE */
	char *target; /* LE_LINK */
} lentry;

/* One regular file of a layer, recorded by the walk only with opt.integrity
 * on: what the integrity check (src/catalog/integrity.c) needs and nothing
 * more. */
/* LF_UNREAD: the file's bytes were not all hashed: it could not be spooled
 * (no space in $TMPDIR), or it is a sparse file, whose holes are not hashed
 * (walk.c). Its digests are unknown: unverifiable, neither missing nor
 * modified. */
enum { LF_ELF = 1, LF_UNREAD = 2 };
typedef struct lfile {
	char *path;
	char *link;   /* a hard link: the path it names, until the end of the walk resolves it */
	blob *data;   /* the bytes, only for the few files the check reads (dpkg's diversions) */
	uint32_t mode;
	uint32_t flags;
	uint64_t size;
	unsigned char md5[16], sha1[20], sha256[32];
} lfile;

/* What the integrity check needs of one walked layer: its files and links in
 * tar order, and what it deleted from the layers below. Borrowed from the
 * walk's result (layer_files_of in src/image/). */
typedef struct layer_files {
	const lfile *files;
	size_t nfiles;
	const lentry *entries;
	size_t nentries;
	char *const *whiteouts;
	size_t nwhiteouts;
	char *const *opaques;
	size_t nopaques;
} layer_files;

#endif
