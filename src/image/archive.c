/* Image archives (docker-archive, oci-archive) read once.
 *
 * An image archive is a tar of blobs whose manifest may come last (`docker
 * save` writes manifest.json after the layers), and its layers are read in
 * parallel, each from its own handle. Finding a member by reading the
 * archive from its start costs nothing much for a plain tar, but for a
 * compressed one (`docker save | gzip`) it inflated the archive again for
 * every member: 40 layers of 8 MiB took 14 s, 2,000 small layers 93 s.
 *
 * So the archive is read through once, up front: a compressed one is
 * inflated into an unnamed temporary file (O_TMPFILE in the context's
 * tmp_dir: never visible, gone when closed, even after a crash), bounded by
 * the image size limit; then the plain tar (the file itself, or that copy)
 * is indexed by libarchive, skipping over the data, and each member is a
 * byte range of it, read with pread() by as many streams at once as there
 * are layers. Members stored sparse (a layer tar has no reason to be) and
 * hard links are read through libarchive from the plain tar instead. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "image/image.h"
#include "image/inflate.h"

enum { CHUNK = 256 * 1024, MAX_NAMES = 64 << 20 };

/* ---- libarchive over a descriptor, at an offset of our own ------------------- */

/* pread() with our own offset, so that several readers may share one open
 * file (and one may be a dup of another); the seek callback lets libarchive
 * skip member data without reading it. */
typedef struct fd_src {
	int fd;
	uint64_t off, size;
	unsigned char buf[64 * 1024];
} fd_src;

static la_ssize_t fd_src_read(struct archive *a, void *ud, const void **p)
{
	fd_src *t = ud;
	*p = t->buf;
	for (;;) {
		ssize_t r = pread(t->fd, t->buf, sizeof(t->buf), (off_t)t->off);
		if (r >= 0) {
			t->off += (uint64_t)r;
			return r;
		}
		if (errno != EINTR) {
			archive_set_error(a, errno, "read: %s", strerror(errno));
			return -1;
		}
	}
}

static la_int64_t fd_src_skip(struct archive *a, void *ud, la_int64_t n)
{
	(void)a;
	fd_src *t = ud;
	uint64_t left = t->size > t->off ? t->size - t->off : 0;
	uint64_t k = n > 0 ? (uint64_t)n : 0;
	if (k > left)
		k = left; /* the archive ends early: libarchive says "truncated" */
	t->off += k;
	return (la_int64_t)k;
}

static int fd_src_close(struct archive *a, void *ud)
{
	(void)a;
	fd_src *t = ud;
	close(t->fd);
	free(t);
	return ARCHIVE_OK;
}

struct archive *tar_open_fd(int fd, bool filters)
{
	struct stat st;
	fd_src *t = malloc(sizeof(*t));
	if (!t || fstat(fd, &st) != 0) {
		free(t);
		close(fd);
		return NULL;
	}
	t->fd = fd;
	t->off = 0;
	t->size = (uint64_t)st.st_size;
	struct archive *a = archive_read_new();
	if (!a) {
		fd_src_close(NULL, t);
		return NULL;
	}
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (filters) {
		archive_read_support_filter_gzip(a);
		archive_read_support_filter_zstd(a);
	} else {
		archive_read_set_skip_callback(a, fd_src_skip);
	}
	archive_read_set_read_callback(a, fd_src_read);
	archive_read_set_close_callback(a, fd_src_close);
	archive_read_set_callback_data(a, t);
	/* the close callback runs on failure too: t is libarchive's from here */
	if (archive_read_open1(a) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

struct archive *tar_open(const char *path)
{
	int fd = file_open_regular(AT_FDCWD, path, 0, NULL);
	return fd < 0 ? NULL : tar_open_fd(fd, true);
}

const char *tar_member_name(const char *n)
{
	while (n[0] == '.' && n[1] == '/')
		n += 2;
	while (n[0] == '/')
		n++;
	return n;
}

/* ---- the index ------------------------------------------------------------------ */

typedef struct arc_member {
	char *name; /* tar_member_name() of the entry's */
	uint64_t off, size;
	size_t order; /* position in the archive: the first of equal names wins */
	/* stored sparse, or a hard link: its bytes are what libarchive makes of
	 * the entry, not a plain range of the tar */
	bool indirect;
} arc_member;

struct tar_index {
	int fd; /* the plain tar: the archive itself, or its inflated copy */
	bool spooled, partial;
	VEC(arc_member) m; /* sorted by name, then order */
};

void tar_index_free(tar_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->m.n; i++)
		free(ix->m.v[i].name);
	vec_free(&ix->m);
	if (ix->fd >= 0)
		close(ix->fd);
	free(ix);
}

/* Inflates the compressed archive on `in` into an unnamed temporary file,
 * at most `max` bytes. Returns its descriptor, or a negative error (with the
 * context error set). */
static int spool(lading_ctx *ctx, const char *path, int in, inflater *z, uint64_t max)
{
	const char *dir = ctx_tmp_dir(ctx);
	int out = spool_tmpfile(dir);
	if (out < 0)
		return ctx_error(ctx, LADING_EIO, "%s: cannot make a temporary file in %s to decompress it into: %s", path,
				 dir, strerror(errno));
	unsigned char *ibuf = malloc(CHUNK), *obuf = malloc(CHUNK);
	uint64_t total = 0;
	int rc = ibuf && obuf ? 0 : -LADING_ENOMEM;
	while (!rc) {
		ssize_t n = read(in, ibuf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ctx_error(ctx, LADING_EIO, "%s: read: %s", path, strerror(errno));
			break;
		}
		if (n == 0) {
			if (inflater_truncated(z) && total > 0)
				rc = ctx_error(ctx, LADING_EFORMAT, "%s: truncated %s stream", path,
					       z->kind == COMP_GZIP ? "gzip" : "zstd");
			break;
		}
		for (size_t pos = 0; !rc && pos < (size_t)n;) {
			size_t used, made;
			if (inflater_run(z, ibuf + pos, (size_t)n - pos, &used, obuf, CHUNK, &made) != 0) {
				rc = ctx_error(ctx, LADING_EFORMAT, "%s: corrupt %s data after %llu bytes", path,
					       z->kind == COMP_GZIP ? "gzip" : "zstd", (unsigned long long)total);
				break;
			}
			pos += used;
			if (made > max - total) {
				rc = ctx_error(ctx, LADING_ELIMIT,
					       "%s: decompressed, the archive is over the image size limit (%llu bytes)",
					       path, (unsigned long long)max);
				break;
			}
			if (made && fd_write_all(out, obuf, made) != 0) {
				rc = ctx_error(ctx, LADING_EIO, "%s: cannot decompress it into a temporary file in %s: %s",
					       path, dir, strerror(errno ? errno : EIO));
				break;
			}
			total += made;
			if (!used && !made) /* no progress with input and room: never for sound data */
				rc = ctx_error(ctx, LADING_EFORMAT, "%s: corrupt %s data after %llu bytes", path,
					       z->kind == COMP_GZIP ? "gzip" : "zstd", (unsigned long long)total);
		}
	}
	free(ibuf);
	free(obuf);
	if (rc) {
		close(out);
		return rc;
	}
	return out;
}

static int cmp_member(const void *x, const void *y)
{
	const arc_member *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Lists the regular members of the plain tar on ix->fd, with where their
 * data lies. A corrupt header ends the list (ix->partial): the members before
 * it are still there, as they were when each was looked for from the start. */
static int index_members(tar_index *ix, lading_ctx *ctx, const char *path)
{
	int fd = fcntl(ix->fd, F_DUPFD_CLOEXEC, 0);
	struct archive *a = fd < 0 ? NULL : tar_open_fd(fd, false);
	if (!a)
		return ctx_error(ctx, LADING_ETARGET, "%s: cannot read as a tar archive", path);
	int rc = 0;
	size_t names = 0;
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *n = archive_entry_pathname(e);
		if (!n || archive_entry_filetype(e) != AE_IFREG)
			continue;
		n = tar_member_name(n);
		names += strlen(n) + 1;
		if (ix->m.n >= ctx->opt.max_entries || names > MAX_NAMES) {
			rc = ctx_error(ctx, LADING_ELIMIT, "%s: more members than an image archive holds (%zu)", path,
				       ix->m.n);
			break;
		}
		int64_t size = archive_entry_size(e);
		/* where libarchive stands once the header is read: the data */
		arc_member m = {.name = strdup(n),
				.off = (uint64_t)archive_filter_bytes(a, 0),
				.size = size > 0 ? (uint64_t)size : 0,
				.order = ix->m.n,
				.indirect = archive_entry_sparse_count(e) > 0 || archive_entry_hardlink(e)};
		if (!m.name || vec_push(&ix->m, m)) {
			free(m.name);
			rc = -LADING_ENOMEM;
			break;
		}
	}
	if (!rc && r != ARCHIVE_EOF)
		ix->partial = true;
	if (!rc && ix->m.n == 0 && ix->partial)
		rc = ctx_error(ctx, LADING_ETARGET, "%s: not a tar archive (%s)", path,
			       archive_error_string(a) ? archive_error_string(a) : "unreadable");
	archive_read_free(a);
	if (!rc && ix->m.n)
		qsort(ix->m.v, ix->m.n, sizeof(*ix->m.v), cmp_member);
	return rc;
}

int tar_index_open(tar_index **out, lading_ctx *ctx, const char *path)
{
	*out = NULL;
	const char *type = NULL;
	int fd = file_open_regular(AT_FDCWD, path, 0, &type);
	if (fd < 0 && type)
		return ctx_error(ctx, LADING_ETARGET, "%s: cannot read as a tar archive: it is %s, not a regular file",
				 path, type);
	if (fd < 0)
		return ctx_error(ctx, LADING_ETARGET, "%s: cannot read as a tar archive: %s", path, strerror(errno));
	tar_index *ix = calloc(1, sizeof(*ix));
	if (!ix) {
		close(fd);
		return -LADING_ENOMEM;
	}
	ix->fd = fd;
	unsigned char head[8];
	ssize_t hn = pread(fd, head, sizeof(head), 0);
	inflater z;
	int rc = inflater_init(&z, head, hn > 0 ? (size_t)hn : 0);
	if (rc == -LADING_EUNSUPP)
		rc = ctx_error(ctx, LADING_EUNSUPP, "%s: bzip2/xz compressed archives are not supported", path);
	if (!rc && z.kind != COMP_NONE) {
		int sfd = spool(ctx, path, fd, &z, ctx->opt.max_image_size);
		if (sfd < 0) {
			rc = sfd;
		} else {
			close(ix->fd);
			ix->fd = sfd;
			ix->spooled = true;
		}
	}
	inflater_free(&z);
	if (!rc)
		rc = index_members(ix, ctx, path);
	if (rc) {
		tar_index_free(ix);
		return rc;
	}
	*out = ix;
	return 0;
}

/* The first member called `name` (after tar_member_name), or NULL. */
static const arc_member *find(const tar_index *ix, const char *name)
{
	name = tar_member_name(name);
	size_t lo = 0, hi = ix->m.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->m.v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->m.n && strcmp(ix->m.v[lo].name, name) == 0 ? &ix->m.v[lo] : NULL;
}

bool tar_index_has(const tar_index *ix, const char *name) { return find(ix, name) != NULL; }
bool tar_index_partial(const tar_index *ix) { return ix->partial; }

/* A member as a byte range of the plain tar. */
typedef struct range_stream {
	stream s;
	int fd;
	uint64_t off, end;
} range_stream;

static ssize_t range_read(stream *s, void *dst, size_t n)
{
	range_stream *r = (range_stream *)s;
	if (r->off >= r->end)
		return 0;
	if (n > r->end - r->off)
		n = (size_t)(r->end - r->off);
	for (;;) {
		ssize_t k = pread(r->fd, dst, n, (off_t)r->off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -LADING_EIO;
		if (k == 0)
			return -LADING_EFORMAT; /* the archive ends inside the member */
		r->off += (uint64_t)k;
		return k;
	}
}

static void range_close(stream *s)
{
	range_stream *r = (range_stream *)s;
	close(r->fd);
	free(r);
}

/* A member read through libarchive (a sparse one). */
typedef struct tar_stream {
	stream s;
	struct archive *a;
} tar_stream;

static ssize_t tar_read(stream *s, void *dst, size_t n)
{
	tar_stream *t = (tar_stream *)s;
	la_ssize_t r = archive_read_data(t->a, dst, n);
	return r < 0 ? -LADING_EFORMAT : (ssize_t)r;
}

static void tar_close(stream *s)
{
	tar_stream *t = (tar_stream *)s;
	archive_read_free(t->a);
	free(t);
}

/* Positions a libarchive reader of the plain tar at the first regular member
 * named `name`. */
static int open_through_libarchive(stream **out, const tar_index *ix, const char *name, const char *what)
{
	int fd = fcntl(ix->fd, F_DUPFD_CLOEXEC, 0);
	struct archive *a = fd < 0 ? NULL : tar_open_fd(fd, false);
	if (!a)
		return -LADING_EIO;
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *n = archive_entry_pathname(e);
		if (!n || archive_entry_filetype(e) != AE_IFREG || strcmp(tar_member_name(n), name) != 0)
			continue;
		tar_stream *t = calloc(1, sizeof(*t));
		if (!t)
			break;
		t->a = a;
		t->s.read = tar_read;
		t->s.close = tar_close;
		snprintf(t->s.what, sizeof(t->s.what), "%s", what);
		*out = &t->s;
		return 0;
	}
	archive_read_free(a);
	return r == ARCHIVE_OK || r == ARCHIVE_WARN ? -LADING_ENOMEM : -LADING_EFORMAT;
}

int tar_index_member(stream **out, const tar_index *ix, const char *name, const char *what)
{
	*out = NULL;
	const arc_member *m = find(ix, name);
	if (!m)
		return -LADING_ENOTFOUND;
	if (m->indirect)
		return open_through_libarchive(out, ix, m->name, what);
	range_stream *r = calloc(1, sizeof(*r));
	if (!r)
		return -LADING_ENOMEM;
	if ((r->fd = fcntl(ix->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		free(r);
		return -LADING_EIO;
	}
	r->off = m->off;
	r->end = m->off + m->size;
	r->s.read = range_read;
	r->s.close = range_close;
	snprintf(r->s.what, sizeof(r->s.what), "%s", what);
	*out = &r->s;
	return 0;
}
