/* The layer walk: one streaming pass over a layer blob.
 *
 *   blob bytes ─► sha256 (digest) ─► inflate (ISA-L gzip | zstd | none)
 *              ─► sha256 (diff_id) ─► libarchive tar reader ─► kept entries
 *
 * We decompress ourselves rather than letting libarchive do it so that the
 * uncompressed bytes can be hashed for the diff_id check on the way through,
 * and so that gzip goes through ISA-L, about twice as fast as zlib. Entries a
 * cataloger claims are read into memory (bounded by max_file_size); all
 * others are skipped, but their bytes are still hashed. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "ctx.h"
#include "catalog/integrity.h"
#include "image/image.h"
#include "image/inflate.h"
#include "util/sha256.h"

enum { IN_CHUNK = 256 * 1024, OUT_CHUNK = 256 * 1024 };

typedef struct pipeline {
	lading_ctx *ctx;
	stream *in;
	int index;
	inflater z;
	lsha256 raw_md, tar_md;
	bool md_ready;
	unsigned char *ibuf, *obuf; /* the current slots of ibufs and obufs */
	/* With a helper hashing (hashpool.h), the bytes queued for it must stay put
	 * until hashed: input and output then rotate through OFFLOAD_SLOTS buffers,
	 * and a slot is reused once the last job naming it (number + 1, 0: none)
	 * is done. Without one, slot 0 is all there is. */
	hash_pool *hp;
	twin_slot *ts; /* the thread's other walk to pair hashing with, or NULL */
	offload *off;
	unsigned char *ibufs[OFFLOAD_SLOTS], *obufs[OFFLOAD_SLOTS];
	size_t islot, oslot, ilast[OFFLOAD_SLOTS], olast[OFFLOAD_SLOTS];
	size_t ipos, ilen; /* unread input in ibuf */
	size_t raw_h;      /* ibuf[raw_h, ilen) is not hashed yet */
	bool in_eof, done;
	uint64_t raw_bytes, tar_bytes, total_hint;
	byte_budget *image;     /* what is left of the image size limit: the scan's, or own_image */
	byte_budget own_image;
	int err;           /* first error, negative */
	char errmsg[1024];
} pipeline;

/* Records the first failure of the pipeline, naming the blob. */
static void pl_fail(pipeline *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pl_fail(pipeline *p, int code, const char *fmt, ...)
{
	if (p->err)
		return;
	p->err = -code;
	int n = snprintf(p->errmsg, sizeof(p->errmsg), "%s: ", p->in->what);
	if (n < 0 || (size_t)n >= sizeof(p->errmsg))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->errmsg + n, sizeof(p->errmsg) - (size_t)n, fmt, ap);
	va_end(ap);
}

uint64_t nested_budget(const lading_ctx *ctx)
{
	return ctx->opt.max_nested_size ? ctx->opt.max_nested_size : DEFAULT_MAX_NESTED;
}

/* Hashes raw bytes of ibuf and tar bytes of obuf (either may be empty): here,
 * or by the helper when there is one. */
static void pl_hash(pipeline *p, const unsigned char *raw, size_t rn, const unsigned char *tar, size_t tn)
{
	if (!rn && !tn)
		return;
	if (!p->off) {
		if (p->ts)
			twin_hash(p->ts, &p->raw_md, raw, rn, &p->tar_md, tar, tn);
		else
			lsha256_update2(&p->raw_md, raw, rn, &p->tar_md, tar, tn);
		return;
	}
	size_t job = offload_push(p->off, raw, rn, tar, tn);
	if (rn)
		p->ilast[p->islot] = job + 1;
	if (tn)
		p->olast[p->oslot] = job + 1;
}

/* Hashes the raw bytes of ibuf not hashed yet. Raw bytes are hashed as the
 * inflater consumes them, together with the bytes they inflate to (two
 * streams at once: lsha256_update2), and what is left here: before a refill,
 * at the end, and for a plain layer, where the two are the same bytes. */
static void pl_hash_raw(pipeline *p)
{
	if (p->ilen > p->raw_h)
		pl_hash(p, p->ibuf + p->raw_h, p->ilen - p->raw_h, NULL, 0);
	p->raw_h = p->ilen;
}

/* Moves to the next buffer slot (ibufs when `in`, else obufs), once the
 * helper is done with what it held. */
static void pl_rotate(pipeline *p, bool in)
{
	size_t *slot = in ? &p->islot : &p->oslot, *last = in ? p->ilast : p->olast;
	*slot = (*slot + 1) % OFFLOAD_SLOTS;
	if (last[*slot]) {
		offload_wait(p->off, last[*slot] - 1);
		last[*slot] = 0;
	}
	if (in)
		p->ibuf = p->ibufs[*slot];
	else
		p->obuf = p->obufs[*slot];
}

/* Hands the hashing to an idle worker when one is waiting (cheap to ask). */
static void pl_try_offload(pipeline *p)
{
	if (p->off || !p->hp || __atomic_load_n(&p->hp->waiting, __ATOMIC_RELAXED) <= 0)
		return;
	for (int i = 1; i < OFFLOAD_SLOTS; i++) {
		if (!p->ibufs[i] && !(p->ibufs[i] = malloc(IN_CHUNK)))
			return;
		if (!p->obufs[i] && !(p->obufs[i] = malloc(OUT_CHUNK)))
			return;
	}
	p->off = offload_request(p->hp, &p->raw_md, &p->tar_md);
}

/* Takes the hashing back (all of it done) before the digests are read or the
 * buffers freed. */
static void pl_off_end(pipeline *p)
{
	offload_end(p->off);
	p->off = NULL;
}

/* Refills ibuf from the stream. */
static int pl_fill(pipeline *p)
{
	if (p->ipos < p->ilen || p->in_eof)
		return 0;
	pl_hash_raw(p);
	if (p->off)
		pl_rotate(p, true);
	/* cancel and deadline are checked at every chunk (256 KiB: well under a
	 * millisecond of work) */
	int c = ctx_check(p->ctx);
	if (c) {
		pl_fail(p, -c, "stopped");
		return c;
	}
	ssize_t n = p->in->read(p->in, p->ibuf, IN_CHUNK);
	if (n < 0) {
		pl_fail(p, (int)-n, "cannot read the blob");
		return (int)n;
	}
	if (n == 0) {
		p->in_eof = true;
		return 0;
	}
	p->raw_bytes += (uint64_t)n;
	p->ipos = p->raw_h = 0;
	p->ilen = (size_t)n;
	/* total 0: not known (a root file system tarball) */
	ctx_progress(p->ctx, p->index, p->raw_bytes, p->total_hint);
	return 0;
}

/* Produces the next chunk of uncompressed tar bytes: in obuf, or for an
 * uncompressed layer straight from ibuf (no copy). The uncompressed bytes of
 * a plain layer are the blob's bytes, so they are hashed once, in pl_fill. */
static ssize_t pl_next(pipeline *p, const unsigned char **data)
{
	size_t out = 0;
	pl_try_offload(p);
	if (p->off && p->z.kind != COMP_NONE)
		pl_rotate(p, false); /* libarchive is done with the last block; the helper may not be */
	*data = p->obuf;
	while (!p->done && !p->err && out == 0) {
		if (pl_fill(p))
			return -1;
		size_t avail = p->ilen - p->ipos;
		if (avail == 0 && p->in_eof) {
			if (inflater_truncated(&p->z) && p->tar_bytes + out > 0)
				pl_fail(p, LADING_EFORMAT, "truncated gzip stream");
			p->done = true;
			break;
		}
		if (p->z.kind == COMP_NONE) {
			*data = p->ibuf + p->ipos;
			p->ipos += avail;
			out = avail;
		} else {
			size_t used;
			if (inflater_run(&p->z, p->ibuf + p->ipos, avail, &used, p->obuf, OUT_CHUNK, &out) != 0) {
				pl_fail(p, LADING_EFORMAT, "corrupt %s data", p->z.kind == COMP_GZIP ? "gzip" : "zstd");
				return -1;
			}
			p->ipos += used;
		}
	}
	if (p->err)
		return -1;
	if (out) {
		if (!budget_take(p->image, out)) {
			pl_fail(p, LADING_ELIMIT, "the layers' uncompressed size exceeds the image size limit (%llu bytes)",
				(unsigned long long)p->ctx->opt.max_image_size);
			return -1;
		}
		if (p->z.kind != COMP_NONE) {
			/* the raw bytes consumed so far in ibuf (they produced at least
			 * part of this output) beside the output */
			pl_hash(p, p->ibuf + p->raw_h, p->ipos - p->raw_h, *data, out);
			p->raw_h = p->ipos;
		}
		p->tar_bytes += out;
	}
	return (ssize_t)out;
}

static la_ssize_t la_read_cb(struct archive *a, void *ud, const void **bufp)
{
	(void)a;
	pipeline *p = ud;
	const unsigned char *data;
	ssize_t n = pl_next(p, &data);
	*bufp = data;
	return n < 0 ? ARCHIVE_FATAL : n;
}

static int sniff(pipeline *p)
{
	if (pl_fill(p))
		return -1;
	int rc = inflater_init(&p->z, p->ibuf, p->ilen);
	if (rc == -LADING_EUNSUPP) {
		pl_fail(p, LADING_EUNSUPP, "bzip2/xz compressed layers are not supported");
		return -1;
	}
	return rc;
}

static void digest_hex(lsha256 *md, char out[80])
{
	unsigned char d[32];
	lsha256_final(md, d);
	memcpy(out, "sha256:", 7);
	hex_encode(out + 7, d, 32);
}

void layer_result_free(layer_result *r)
{
	for (size_t i = 0; i < r->entries.n; i++) {
		free(r->entries.v[i].path);
		free(r->entries.v[i].target);
		blob_unref(r->entries.v[i].b);
	}
	vec_free(&r->entries);
	for (size_t i = 0; i < r->whiteouts.n; i++)
		free(r->whiteouts.v[i]);
	vec_free(&r->whiteouts);
	for (size_t i = 0; i < r->opaques.n; i++)
		free(r->opaques.v[i]);
	vec_free(&r->opaques);
	for (size_t i = 0; i < r->warnings.n; i++)
		free(r->warnings.v[i]);
	vec_free(&r->warnings);
	for (size_t i = 0; i < r->fc_paths.n; i++)
		free(r->fc_paths.v[i]);
	vec_free(&r->fc_paths);
	for (size_t i = 0; i < r->files.n; i++) {
		free(r->files.v[i].path);
		free(r->files.v[i].link);
		blob_unref(r->files.v[i].data);
	}
	vec_free(&r->files);
	lading_inventory_free(r->found);
	r->found = NULL;
}

layer_files layer_files_of(const layer_result *r)
{
	return (layer_files){.files = r->files.v, .nfiles = r->files.n, .entries = r->entries.v,
			     .nentries = r->entries.n, .whiteouts = r->whiteouts.v, .nwhiteouts = r->whiteouts.n,
			     .opaques = r->opaques.v, .nopaques = r->opaques.n};
}

static void lr_warn(layer_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lr_warn(layer_result *r, const char *fmt, ...)
{
	if (r->warnings.n >= 1000)
		return;
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s && vec_push(&r->warnings, s))
		free(s);
}

static int push_str(void *vec_, const char *s)
{
	VEC(char *) *v = vec_;
	char *d = strdup(s);
	if (!d || vec_push(v, d)) {
		free(d);
		return -LADING_ENOMEM;
	}
	return 0;
}

/* Finds the latest kept file entry for `path` in this layer (for hard links). */
static blob *find_kept(layer_result *r, const char *path)
{
	for (size_t i = r->entries.n; i-- > 0;)
		if (r->entries.v[i].kind == LE_FILE && strcmp(r->entries.v[i].path, path) == 0)
			return r->entries.v[i].b;
	return NULL;
}

/* Records one entry (path already normalised). Returns 0 or a negative error. */
static int keep_entry(layer_result *r, const char *path, lentry_kind kind, blob *b, const char *target)
{
	lentry e = {0};
	e.path = strdup(path);
	e.kind = kind;
	if (target)
		e.target = strdup(target);
	if (!e.path || (target && !e.target) || vec_push(&r->entries, e)) {
		free(e.path);
		free(e.target);
		return -LADING_ENOMEM;
	}
	r->entries.v[r->entries.n - 1].b = blob_ref(b);
	return 0;
}

/* Handles a whiteout name; returns true if `path` was one. */
static int whiteout(layer_result *r, const char *path, bool *was)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash + 1;
	*was = false;
	if (strncmp(base, ".wh.", 4) != 0)
		return 0;
	*was = true;
	char dir[4096];
	size_t dlen = (size_t)(slash - path);
	if (dlen == 0)
		dlen = 1; /* root */
	memcpy(dir, path, dlen);
	dir[dlen] = 0;
	if (strcmp(base, ".wh..wh..opq") == 0)
		return push_str(&r->opaques, dir);
	if (!base[4])
		return 0; /* ".wh." alone deletes nothing */
	char del[4200];
	snprintf(del, sizeof(del), "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, base + 4);
	return push_str(&r->whiteouts, del);
}

/* Runs a file cataloger on one file's bytes, into the layer's own inventory,
 * and remembers that the path was looked at (so that a later layer's copy of
 * it, package or not, replaces what this one found). */
static int file_catalog(layer_result *r, lading_ctx *ctx, const file_cataloger *fc, const char *path, const blob *b,
			int index, byte_budget *nested)
{
	int rc0 = 0;
	if (!r->found && (rc0 = inv_new(&r->found)) != 0)
		return rc0;
	if ((rc0 = push_str(&r->fc_paths, path)) != 0)
		return rc0;
	file_run run = {.ctx = ctx, .inv = r->found, .path = path, .layer = index, .blob = b, .nested = nested,
			.cataloger = fc->name};
	size_t before = r->found->pkgs.n;
	int rc = fc->parse(&run, sv_make(b->data, b->len));
	blob_release(b, 0, b->len); /* a kept file is read again later, from the page cache */
	for (size_t i = before; i < r->found->pkgs.n; i++)
		if (!r->found->pkgs.v[i].found_by)
			r->found->pkgs.v[i].found_by = fc->name; /* a static string */
	return rc;
}

/* Reads up to `want` bytes of the current entry into dst; *got says how many
 * (fewer at the entry's end). -LADING_EFORMAT on a read error. */
static int read_data(struct archive *a, unsigned char *dst, size_t want, size_t *got)
{
	*got = 0;
	while (*got < want) {
		la_ssize_t n = archive_read_data(a, dst + *got, want - *got);
		if (n < 0)
			return -LADING_EFORMAT;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* Reads the current entry's data into a blob, bounded, after the `hn` bytes
 * already read into `head`. A file over `max` is skipped with a warning,
 * -LADING_ELIMIT (nothing of it read yet); one that cannot be spooled (no
 * space in the temporary directory) too, -LADING_EIO (part of it read). */
static int read_entry(layer_result *r, lading_ctx *ctx, struct archive *a, const char *path, const void *head,
		      size_t hn, int64_t size, uint64_t max, blob **out)
{
	*out = NULL;
	if (size < 0 || (uint64_t)size > max) {
		lr_warn(r, "%s is %lld bytes, over the per-file limit (%llu); skipped", path, (long long)size,
			(unsigned long long)max);
		return -LADING_ELIMIT;
	}
	const char *why;
	int rc = blob_read(out, head, hn, (uint64_t)size, blob_archive_read, a, ctx->opt.tmp_dir, &why);
	if (rc == -LADING_EIO) {
		lr_warn(r, "%s: %lld bytes: cannot spool it to a temporary file in %s (%s); skipped", path,
			(long long)size, ctx->opt.tmp_dir, why);
	}
	return rc;
}

/* ---- file records for the integrity check --------------------------------- */

/* The three digests every regular file gets when opt.integrity is on. The
 * walk cannot know which package database the image has (it may be in
 * another layer, read on another thread), and deciding from "the first
 * database seen" would make the result depend on thread timing; md5 (dpkg),
 * sha1 (apk) and sha256 (rpm) cover the three databases, deterministically.
 * What that costs is in bench/README.md. */
typedef struct fhash {
	EVP_MD *alg[3];
	EVP_MD_CTX *md[3];
} fhash;

static void fh_free(fhash *h)
{
	for (int i = 0; i < 3; i++) {
		EVP_MD_CTX_free(h->md[i]);
		EVP_MD_free(h->alg[i]);
	}
}

static int fh_init(fhash *h)
{
	static const char *const names[3] = {"MD5", "SHA1", "SHA256"};
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 3; i++) {
		/* fetched once per layer, not per file: implicit fetches cost a lock each */
		h->alg[i] = EVP_MD_fetch(NULL, names[i], NULL);
		h->md[i] = EVP_MD_CTX_new();
		if (!h->alg[i] || !h->md[i]) {
			fh_free(h);
			return -LADING_ENOMEM;
		}
	}
	return 0;
}

static void fh_begin(fhash *h)
{
	for (int i = 0; i < 3; i++)
		EVP_DigestInit_ex2(h->md[i], h->alg[i], NULL);
}

static void fh_update(fhash *h, const void *p, size_t n)
{
	if (n)
		for (int i = 0; i < 3; i++)
			EVP_DigestUpdate(h->md[i], p, n);
}

/* fh_update over a file's bytes; when they are a mapped blob's (`src`), a
 * window at a time, each released once hashed. */
static void fh_update_paged(fhash *h, const unsigned char *p, size_t n, const blob *src)
{
	enum { WINDOW = 1 << 20 };
	for (size_t off = 0; off < n; off += WINDOW) {
		size_t k = n - off < WINDOW ? n - off : WINDOW;
		fh_update(h, p + off, k);
		if (src)
			blob_release(src, (size_t)(p - src->data) + off, (size_t)(p - src->data) + off + k);
	}
}

static void fh_end(fhash *h, lfile *f)
{
	unsigned int len;
	EVP_DigestFinal_ex(h->md[0], f->md5, &len);
	EVP_DigestFinal_ex(h->md[1], f->sha1, &len);
	EVP_DigestFinal_ex(h->md[2], f->sha256, &len);
}

/* Records one regular file: hashes `len` bytes at `data` (the part already
 * read), then, when `a` is given, the rest of the entry straight from the
 * archive. `keep` (may be NULL) is kept as the file's bytes. Returns 0,
 * -LADING_EFORMAT on a read error or -LADING_ENOMEM. */
static int record_file(layer_result *r, fhash *h, const char *path, uint32_t mode, uint64_t size,
		       const unsigned char *data, size_t len, const blob *src, struct archive *a, blob *keep)
{
	lfile f = {.mode = mode, .size = size};
	unsigned char head[4];
	size_t hn = len < 4 ? len : 4;
	memcpy(head, data ? data : head, hn);
	fh_begin(h);
	fh_update_paged(h, data, len, src);
	if (a) {
		unsigned char chunk[64 * 1024];
		for (;;) {
			la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));
			if (n < 0)
				return -LADING_EFORMAT;
			if (n == 0)
				break;
			for (size_t i = 0; hn < 4 && i < (size_t)n; i++)
				head[hn++] = chunk[i];
			fh_update(h, chunk, (size_t)n);
		}
	}
	fh_end(h, &f);
	if (hn == 4 && memcmp(head, "\x7f" "ELF", 4) == 0)
		f.flags |= LF_ELF;
	f.path = strdup(path);
	if (!f.path || vec_push(&r->files, f)) {
		free(f.path);
		return -LADING_ENOMEM;
	}
	r->files.v[r->files.n - 1].data = blob_ref(keep);
	return 0;
}

/* A file whose bytes could not all be read (see LF_UNREAD). */
static int record_unread(layer_result *r, const char *path, uint32_t mode, uint64_t size)
{
	lfile f = {.mode = mode, .size = size, .flags = LF_UNREAD, .path = strdup(path)};
	if (!f.path || vec_push(&r->files, f)) {
		free(f.path);
		return -LADING_ENOMEM;
	}
	return 0;
}

/* A hard link entry: recorded now, given its target's digests at the end of
 * the walk (links_resolve). */
static int record_link(layer_result *r, const char *path, uint32_t mode, const char *target)
{
	buf tp = {0};
	lfile f = {.mode = mode};
	if (path_normalize(&tp, "/", sv_cstr(target)) != 0) {
		buf_free(&tp);
		return 0; /* too long to name anything we recorded */
	}
	f.path = strdup(path);
	f.link = tp.p ? tp.p : strdup("/");
	if (!f.path || !f.link || vec_push(&r->files, f)) {
		free(f.path);
		free(f.link);
		return -LADING_ENOMEM;
	}
	return 0;
}

static int cmp_fidx(const void *x, const void *y, void *ud)
{
	const lfile *v = ud;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(v[a].path, v[b].path);
	return c ? c : (a > b) - (a < b);
}

/* Gives each hard link the digests of the latest earlier file it names
 * (sorted index and binary search: a layer may hold millions of entries). A
 * link whose target is not a recorded file of this layer is dropped. */
static int links_resolve(layer_result *r)
{
	size_t nl = 0;
	for (size_t i = 0; i < r->files.n; i++)
		nl += r->files.v[i].link != NULL;
	if (!nl)
		return 0;
	size_t *ix = malloc(r->files.n * sizeof(*ix)), n = 0;
	if (!ix)
		return -LADING_ENOMEM;
	for (size_t i = 0; i < r->files.n; i++)
		if (!r->files.v[i].link)
			ix[n++] = i;
	qsort_r(ix, n, sizeof(*ix), cmp_fidx, r->files.v);
	for (size_t i = 0; i < r->files.n; i++) {
		lfile *f = &r->files.v[i];
		if (!f->link)
			continue;
		/* the last index < i among the files named f->link */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(r->files.v[ix[mid]].path, f->link);
			if (c < 0 || (c == 0 && ix[mid] < i))
				lo = mid + 1;
			else
				hi = mid;
		}
		const lfile *t =
		    lo > 0 && strcmp(r->files.v[ix[lo - 1]].path, f->link) == 0 ? &r->files.v[ix[lo - 1]] : NULL;
		free(f->link);
		f->link = NULL;
		if (!t) {
			free(f->path);
			f->path = NULL; /* dropped below */
			continue;
		}
		f->size = t->size;
		f->flags = t->flags;
		memcpy(f->md5, t->md5, sizeof(f->md5));
		memcpy(f->sha1, t->sha1, sizeof(f->sha1));
		memcpy(f->sha256, t->sha256, sizeof(f->sha256));
		f->data = blob_ref(t->data);
	}
	free(ix);
	size_t w = 0;
	for (size_t i = 0; i < r->files.n; i++)
		if (r->files.v[i].path)
			r->files.v[w++] = r->files.v[i];
	r->files.n = w;
	return 0;
}

/* A file no claim names: reads its first bytes, asks the content-sniffing
 * file catalogers, and if one wants it reads the rest (bounded) and parses
 * it. Otherwise the rest of the entry is skipped by libarchive. */
static int sniff_entry(layer_result *r, struct archive *a, lading_ctx *ctx, const char *path, uint32_t mode,
		       int64_t size, int index, fhash *fh, byte_budget *nested)
{
	if (size <= 0)
		return fh && size == 0 ? record_file(r, fh, path, mode, 0, NULL, 0, NULL, NULL, NULL) : 0;
	unsigned char head[FILE_SNIFF_BYTES];
	size_t hn = 0;
	if (read_data(a, head, (uint64_t)size < sizeof(head) ? (size_t)size : sizeof(head), &hn) != 0)
		return -LADING_EFORMAT;
	const file_cataloger *fc = file_catalog_sniff(path, sv_make(head, hn), mode, (uint64_t)size);
	if (!fc)
		return fh ? record_file(r, fh, path, mode, (uint64_t)size, head, hn, NULL, a, NULL) : 0;
	uint64_t max = fc->max_size < ctx->opt.max_file_size ? fc->max_size : ctx->opt.max_file_size;
	if ((uint64_t)size > max) {
		lr_warn(r, "%s is %lld bytes, over the %s cataloger's limit; skipped", path, (long long)size, fc->name);
		return fh ? record_file(r, fh, path, mode, (uint64_t)size, head, hn, NULL, a, NULL) : 0;
	}
	blob *b;
	int r2 = read_entry(r, ctx, a, path, head, hn, size, max, &b);
	if (r2 == -LADING_EIO) /* could not be spooled: warned */
		return fh ? record_unread(r, path, mode, (uint64_t)size) : 0;
	if (r2)
		return r2;
	int rc = fh ? record_file(r, fh, path, mode, (uint64_t)size, b->data, b->len, b, NULL, NULL) : 0;
	if (!rc)
		rc = file_catalog(r, ctx, fc, path, b, index, nested);
	blob_unref(b);
	return rc;
}

/* The error for a blob whose bytes are not the ones `want` names (the
 * manifest's digest, or a plain layer's diff_id). A blob of another size than
 * the manifest's was truncated or replaced: that is said first. */
static int blob_mismatch(lading_ctx *ctx, int index, const stream *s, uint64_t size, const char *got,
			 const layer_desc *d, const char *want)
{
	const char *whose = want == d->digest ? "manifest" : "config's diff_id";
	if (want == d->digest && d->size && d->size != size)
		return ctx_fail(ctx, LADING_EDIGEST, "layer.size_mismatch", CTX_LAYER(index, .digest = d->digest),
				"layer %d (%s): the blob is %llu bytes, the manifest says %llu; blob digest is %s, "
				"the manifest says %s",
				index, s->what, (unsigned long long)size, (unsigned long long)d->size, got, want);
	return ctx_fail(ctx, LADING_EDIGEST, "layer.digest_mismatch", CTX_LAYER(index, .digest = d->digest),
			"layer %d (%s): blob digest is %s, the %s says %s", index, s->what, got, whose, want);
}

/* Finishes both digests and compares them with what the manifest and config
 * say. Returns 0 or -LADING_EDIGEST (with the context error set). */
static int check_digests(pipeline *p, layer_result *out, lading_ctx *ctx, stream *s, const layer_desc *d,
			 int index)
{
	pl_hash_raw(p);
	pl_off_end(p);
	digest_hex(&p->raw_md, out->digest);
	if (p->z.kind == COMP_NONE)
		memcpy(out->diff_id, out->digest, sizeof(out->diff_id));
	else
		digest_hex(&p->tar_md, out->diff_id);
	out->size = p->raw_bytes;
	out->usize = p->tar_bytes;
	if (d && d->digest && strncmp(d->digest, "sha256:", 7) == 0 && strcmp(d->digest, out->digest) != 0)
		return blob_mismatch(ctx, index, s, p->raw_bytes, out->digest, d, d->digest);
	if (d && d->diff_id && strcmp(d->diff_id, out->diff_id) != 0)
		return ctx_error(ctx, LADING_EDIGEST,
				 "layer %d (%s): uncompressed digest is %s, the config's diff_id says %s", index,
				 s->what, out->diff_id, d->diff_id);
	return 0;
}

int walk_layer(layer_result *out, lading_ctx *ctx, stream *s, const layer_desc *d, int index)
{
	return walk_layer_helped(out, ctx, s, d, index, NULL, NULL, NULL);
}

/* The bytes of a sparse tar entry that are holes (not stored in the tar):
 * its apparent size less the data its sparse map lists. 0 for any other. */
static uint64_t entry_holes(struct archive_entry *e, int64_t size)
{
	if (size <= 0 || archive_entry_sparse_count(e) <= 0)
		return 0;
	uint64_t stored = 0;
	la_int64_t off, len;
	archive_entry_sparse_reset(e);
	while (archive_entry_sparse_next(e, &off, &len) == ARCHIVE_OK)
		if (len > 0)
			stored += (uint64_t)len;
	return stored < (uint64_t)size ? (uint64_t)size - stored : 0;
}

int walk_layer_helped(layer_result *out, lading_ctx *ctx, stream *s, const layer_desc *d, int index,
		      hash_pool *hp, twin_slot *ts, scan_limits *lim)
{
	memset(out, 0, sizeof(*out));
	pipeline p = {0};
	struct archive *a = NULL;
	buf path = {0};
	fhash fhs, *fh = NULL;
	int rc = 0;
	p.ctx = ctx;
	p.in = s;
	p.index = index;
	p.total_hint = d ? d->size : 0;
	p.own_image.left = ctx->opt.max_image_size;
	p.image = lim ? &lim->image : &p.own_image;
	byte_budget own_nested = {nested_budget(ctx)};
	byte_budget *nested = lim ? &lim->nested : &own_nested;
	p.hp = hp;
	p.ts = ts;
	p.ibuf = p.ibufs[0] = malloc(IN_CHUNK);
	p.obuf = p.obufs[0] = malloc(OUT_CHUNK);
	if (!p.ibuf || !p.obuf) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	if ((rc = lsha256_init(&p.raw_md)) != 0)
		goto out;
	if ((rc = lsha256_init(&p.tar_md)) != 0) {
		lsha256_free(&p.raw_md);
		goto out;
	}
	p.md_ready = true;
	if (ctx->opt.integrity) {
		if ((rc = fh_init(&fhs)) != 0)
			goto out;
		fh = &fhs;
	}
	if ((rc = sniff(&p)) != 0)
		goto fail;

	a = archive_read_new();
	if (!a) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	bool sniffs = file_catalog_sniffs();
	if (archive_read_open(a, &p, NULL, la_read_cb, NULL) != ARCHIVE_OK) {
		rc = -LADING_EFORMAT;
		goto fail;
	}
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		/* Names are used as the UTF-8 bytes the tar holds (below), so a
		 * failed conversion to the process's locale is not worth a warning. */
		if (r == ARCHIVE_WARN) {
			const char *why = archive_error_string(a) ? archive_error_string(a) : "warning";
			if (!strstr(why, "can't be converted"))
				lr_warn(out, "%s: entry %llu: %s", s->what, (unsigned long long)out->nentries, why);
		} else if (r != ARCHIVE_OK) {
			rc = -LADING_EFORMAT;
			goto fail;
		}
		if (++out->nentries > ctx->opt.max_entries) {
			pl_fail(&p, LADING_ELIMIT, "more tar entries than the limit");
			rc = -LADING_ELIMIT;
			goto fail;
		}
		const char *name = archive_entry_pathname_utf8(e);
		if (!name)
			name = archive_entry_pathname(e);
		if (!name)
			continue;
		if ((rc = path_normalize(&path, "/", sv_cstr(name))) != 0) {
			lr_warn(out, "%s: entry name too long, skipped", s->what);
			rc = 0;
			continue;
		}
		/* A sparse file's holes are not in the tar stream (a 10 KiB tar can
		 * name terabytes of them), so they are counted here: the image
		 * size limit bounds what reading the image can cost. */
		uint64_t holes = archive_entry_filetype(e) == AE_IFREG ? entry_holes(e, archive_entry_size(e)) : 0;
		if (holes && !budget_take(p.image, holes)) {
			pl_fail(&p, LADING_ELIMIT,
				"%s is a sparse file of %lld bytes: the layers' size, sparse files counted in full, "
				"exceeds the image size limit (%llu bytes)",
				path.p, (long long)archive_entry_size(e),
				(unsigned long long)ctx->opt.max_image_size);
			rc = -LADING_ELIMIT;
			goto fail;
		}
		bool wh;
		if ((rc = whiteout(out, path.p, &wh)) != 0)
			goto out;
		if (wh)
			continue;
		mode_t type = archive_entry_filetype(e);
		const char *hl = archive_entry_hardlink_utf8(e);
		if (!hl)
			hl = archive_entry_hardlink(e);
		uint32_t emode = (uint32_t)archive_entry_mode(e);
		if (type == AE_IFLNK) {
			const char *t = archive_entry_symlink_utf8(e);
			if (!t)
				t = archive_entry_symlink(e);
			if (t && (rc = keep_entry(out, path.p, LE_LINK, NULL, t)) != 0)
				goto out;
			continue;
		}
		if (fh && hl && (rc = record_link(out, path.p, emode, hl)) != 0)
			goto out;
		/* A sparse file is not hashed: the holes would cost time in
		 * proportion to a size that costs the image nothing (see
		 * docs/usage.md, "File integrity"). Its digests are unknown. */
		fhash *efh = holes ? NULL : fh;
		if (fh && holes) {
			int64_t sz = archive_entry_size(e);
			lr_warn(out, "%s is a sparse file (%lld bytes, %llu of them holes): not hashed; unverifiable",
				path.p, (long long)sz, (unsigned long long)holes);
			if ((rc = record_unread(out, path.p, emode, (uint64_t)sz)) != 0)
				goto out;
		}
		bool keep = catalog_claims(NULL, path.p, path.n);
		const file_cataloger *fc = type == AE_IFREG && !hl ? file_catalog_for(path.p, path.n) : NULL;
		bool want = efh && type == AE_IFREG && !hl && integrity_wants_data(path.p);
		if (!keep && !fc && !want && type == AE_IFREG && !hl && sniffs) {
			/* content-chosen files (binaries): look at the head first */
			int r3 = sniff_entry(out, a, ctx, path.p, emode, archive_entry_size(e), index, efh, nested);
			if (r3 == -LADING_EFORMAT) {
				rc = r3;
				goto fail;
			}
			if (r3) {
				rc = r3;
				goto out;
			}
			continue;
		}
		if (!keep && !fc && !want) {
			if (efh && type == AE_IFREG && !hl) {
				int64_t sz = archive_entry_size(e);
				int r3 = record_file(out, efh, path.p, emode, sz > 0 ? (uint64_t)sz : 0, NULL, 0, NULL, a, NULL);
				if (r3) {
					rc = r3;
					if (r3 == -LADING_EFORMAT)
						goto fail;
					goto out;
				}
			}
			continue;
		}
		if (hl) {
			buf tp = {0};
			blob *b = NULL;
			if (path_normalize(&tp, "/", sv_cstr(hl)) == 0)
				b = find_kept(out, tp.p);
			buf_free(&tp);
			if (b)
				rc = keep_entry(out, path.p, LE_FILE, b, NULL);
			else
				lr_warn(out, "%s: %s is a hard link to %s, which was not kept; skipped", s->what,
					path.p, hl);
			if (rc)
				goto out;
			continue;
		}
		if (type != AE_IFREG)
			continue;
		blob *b;
		int64_t size = archive_entry_size(e);
		uint64_t max = keep || want || !fc ? ctx->opt.max_file_size : fc->max_size;
		if (max > ctx->opt.max_file_size)
			max = ctx->opt.max_file_size;
		int r2 = read_entry(out, ctx, a, path.p, NULL, 0, size, max, &b);
		if (r2 == -LADING_EIO) { /* could not be spooled: warned */
			if (efh && (rc = record_unread(out, path.p, emode, size > 0 ? (uint64_t)size : 0)) != 0)
				goto out;
			continue;
		}
		if (r2 == -LADING_ELIMIT) {
			/* still hashed for the integrity check, streaming */
			if (efh && (r2 = record_file(out, efh, path.p, emode, size > 0 ? (uint64_t)size : 0, NULL, 0, NULL,
						     a, NULL)) != 0) {
				rc = r2;
				if (r2 == -LADING_EFORMAT)
					goto fail;
				goto out;
			}
			continue;
		}
		if (r2 == -LADING_EFORMAT) {
			rc = r2;
			goto fail;
		}
		if (r2) {
			rc = r2;
			goto out;
		}
		rc = efh ? record_file(out, efh, path.p, emode, b->len, b->data, b->len, b, NULL, want ? b : NULL) : 0;
		if (!rc && fc)
			rc = file_catalog(out, ctx, fc, path.p, b, index, nested);
		if (!rc && keep)
			rc = keep_entry(out, path.p, LE_FILE, b, NULL);
		blob_unref(b);
		if (rc)
			goto out;
	}
	if (fh && (rc = links_resolve(out)) != 0)
		goto out;
	/* libarchive stops at the end-of-archive blocks; hash whatever follows. */
	const unsigned char *rest;
	while (!p.done && !p.err)
		if (pl_next(&p, &rest) < 0)
			break;
	if (p.err) {
		rc = p.err;
		goto fail;
	}
	rc = check_digests(&p, out, ctx, s, d, index);
	goto out;
fail:; /* (a declaration may not follow a label directly in C11) */
	/* When the blob does not match its digest, that is the cause of whatever
	 * broke: read the rest of the raw bytes (hashing only; inflating corrupt
	 * data would only fail again) and say so. The raw bytes are checked
	 * against the manifest's digest, or, for a plain (uncompressed) layer
	 * named only by its config diff_id, against that. */
	const char *want = d && d->digest && strncmp(d->digest, "sha256:", 7) == 0 ? d->digest
			   : d && d->diff_id && p.z.kind == COMP_NONE                ? d->diff_id
										   : NULL;
	if (want && rc != -LADING_ENOMEM && rc != -LADING_ELIMIT) {
		int perr = p.err;
		p.err = 0;
		while (!p.in_eof && !p.err) {
			p.ipos = p.ilen; /* drop what is buffered: it is already hashed */
			if (pl_fill(&p) < 0)
				break;
		}
		if (!p.err) {
			pl_hash_raw(&p);
			pl_off_end(&p);
			digest_hex(&p.raw_md, out->digest);
			if (strcmp(want, out->digest) != 0) {
				rc = blob_mismatch(ctx, index, s, p.raw_bytes, out->digest, d, want);
				goto out;
			}
		}
		p.err = perr;
	}
	if (p.err)
		rc = ctx_fail(ctx, -p.err,
			      -p.err == LADING_ELIMIT    ? "limit.image_size"
			      : -p.err == LADING_EDIGEST ? "layer.digest_mismatch"
			      : -p.err == LADING_EFORMAT ? "layer.corrupt"
							 : NULL,
			      CTX_LAYER(index, .digest = d ? d->digest : NULL), "layer %d: %s", index, p.errmsg);
	else if (a && archive_error_string(a))
		rc = ctx_fail(ctx, rc ? -rc : LADING_EFORMAT, "layer.corrupt",
			      CTX_LAYER(index, .digest = d ? d->digest : NULL, .path = path.p),
			      "layer %d (%s): bad tar data after entry %llu (%s): %s", index, s->what,
			      (unsigned long long)out->nentries, path.p ? path.p : "start", archive_error_string(a));
	else
		rc = ctx_fail(ctx, rc ? -rc : LADING_EFORMAT, "layer.corrupt", CTX_LAYER(index, .digest = d ? d->digest : NULL),
			      "layer %d (%s): unreadable", index, s->what);
out:
	pl_off_end(&p); /* the helper lets go of the buffers and contexts */
	if (a)
		archive_read_free(a);
	buf_free(&path);
	if (p.md_ready) {
		lsha256_free(&p.raw_md);
		lsha256_free(&p.tar_md);
	}
	for (int i = 0; i < OFFLOAD_SLOTS; i++) {
		free(p.ibufs[i]);
		free(p.obufs[i]);
	}
	inflater_free(&p.z);
	if (fh)
		fh_free(fh);
	if (rc)
		layer_result_free(out);
	return rc;
}

/* ---- directories --------------------------------------------------------- */

typedef struct dwalk {
	lading_ctx *ctx;
	layer_result *r;
	buf path;
	uint64_t entries;
	int depth;
	fhash *fh; /* opt.integrity */
	byte_budget *nested;
} dwalk;

static int read_fd_bounded(dwalk *w, int fd, const char *path, uint64_t max, blob **out);

/* The directory counterpart of record_file(): hashes an open file as it reads
 * it (the file may change under us: its size is what we read). */
static int record_fd(dwalk *w, int fd, const char *path, const struct stat *st)
{
	lfile f = {.mode = (uint32_t)st->st_mode};
	unsigned char chunk[64 * 1024], head[4];
	size_t hn = 0;
	blob *keep = NULL;
	if (integrity_wants_data(path) && (uint64_t)st->st_size <= w->ctx->opt.max_file_size) {
		int r = read_fd_bounded(w, fd, path, w->ctx->opt.max_file_size, &keep);
		if (r)
			return r == -LADING_ENOMEM ? r : 0;
		if (lseek(fd, 0, SEEK_SET) < 0) {
			blob_unref(keep);
			return 0;
		}
	}
	fh_begin(w->fh);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (size_t i = 0; hn < 4 && i < (size_t)n; i++)
			head[hn++] = chunk[i];
		fh_update(w->fh, chunk, (size_t)n);
		f.size += (uint64_t)n;
	}
	fh_end(w->fh, &f);
	if (hn == 4 && memcmp(head, "\x7f" "ELF", 4) == 0)
		f.flags |= LF_ELF;
	f.path = strdup(path);
	f.data = keep;
	if (!f.path || vec_push(&w->r->files, f)) {
		free(f.path);
		blob_unref(keep);
		return -LADING_ENOMEM;
	}
	return 0;
}

static ssize_t fd_rd(void *ud, unsigned char *dst, size_t n)
{
	for (;;) {
		ssize_t r = read(*(int *)ud, dst, n);
		if (r >= 0 || errno != EINTR)
			return r;
	}
}

/* Reads an open file into a blob. One over `max`, or that cannot be read or
 * spooled, is skipped with a warning: -LADING_ELIMIT. The file
 * may change under us: its size is what we read. */
static int read_fd_bounded(dwalk *w, int fd, const char *path, uint64_t max, blob **out)
{
	*out = NULL;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -LADING_EIO;
	if ((uint64_t)st.st_size > max) {
		lr_warn(w->r, "%s is %lld bytes, over the per-file limit (%llu); skipped", path, (long long)st.st_size,
			(unsigned long long)max);
		return -LADING_ELIMIT;
	}
	const char *why;
	int rc = blob_read(out, NULL, 0, (uint64_t)st.st_size, fd_rd, &fd, w->ctx->opt.tmp_dir, &why);
	if (rc == -LADING_EIO) {
		lr_warn(w->r, "%s: cannot spool it to a temporary file in %s (%s); skipped", path, w->ctx->opt.tmp_dir,
			why);
		rc = -LADING_ELIMIT;
	} else if (rc == -LADING_EFORMAT) {
		lr_warn(w->r, "%s: read error; skipped", path);
		rc = -LADING_ELIMIT;
	}
	return rc;
}

/* The directory counterpart of sniff_entry(). */
static int sniff_file(dwalk *w, int dfd, const char *name, const char *path, const struct stat *st)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	unsigned char head[FILE_SNIFF_BYTES];
	ssize_t hn = pread(fd, head, sizeof(head), 0);
	const file_cataloger *fc =
		hn > 0 ? file_catalog_sniff(path, sv_make(head, (size_t)hn), (uint32_t)st->st_mode, (uint64_t)st->st_size)
		       : NULL;
	int rc = 0;
	if (fc) {
		uint64_t max = fc->max_size < w->ctx->opt.max_file_size ? fc->max_size : w->ctx->opt.max_file_size;
		blob *b = NULL;
		int r2 = read_fd_bounded(w, fd, path, max, &b);
		if (r2 == -LADING_ENOMEM)
			rc = r2;
		else if (r2 == 0) {
			rc = file_catalog(w->r, w->ctx, fc, path, b, 0, w->nested);
			blob_unref(b);
		}
	}
	close(fd);
	return rc;
}

static int walk_dirfd(dwalk *w, int dfd)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	int rc = 0;
	struct dirent *de;
	size_t base = w->path.n;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((rc = ctx_check(w->ctx)) != 0)
			break;
		if (++w->entries > w->ctx->opt.max_entries) {
			rc = ctx_error(w->ctx, LADING_ELIMIT, "directory has more entries than the limit");
			break;
		}
		w->path.n = base;
		if ((rc = buf_putc(&w->path, '/')) || (rc = buf_puts(&w->path, de->d_name)))
			break;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		const char *p = w->path.p;
		if (w->fh && S_ISREG(st.st_mode)) {
			int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			if (fd >= 0) {
				rc = record_fd(w, fd, p, &st);
				close(fd);
				if (rc)
					break;
			}
		}
		if (S_ISLNK(st.st_mode)) {
			char t[4097];
			ssize_t n = readlinkat(dirfd(d), de->d_name, t, sizeof(t) - 1);
			if (n > 0) {
				t[n] = 0;
				rc = keep_entry(w->r, p, LE_LINK, NULL, t);
			}
		} else if (S_ISDIR(st.st_mode)) {
			if (w->depth >= 256)
				continue;
			int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue;
			w->depth++;
			rc = walk_dirfd(w, fd);
			w->depth--;
		} else if (S_ISREG(st.st_mode) && (catalog_claims(NULL, p, strlen(p)) || file_catalog_for(p, strlen(p)))) {
			bool keep = catalog_claims(NULL, p, strlen(p));
			const file_cataloger *fc = file_catalog_for(p, strlen(p));
			int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			if (fd < 0) {
				lr_warn(w->r, "%s: cannot open: %s", p, strerror(errno));
				continue;
			}
			blob *b = NULL;
			uint64_t max = keep || !fc || fc->max_size > w->ctx->opt.max_file_size ? w->ctx->opt.max_file_size
											       : fc->max_size;
			int r2 = read_fd_bounded(w, fd, p, max, &b);
			close(fd);
			if (r2 == -LADING_ENOMEM)
				rc = r2;
			else if (r2 == 0) {
				rc = fc ? file_catalog(w->r, w->ctx, fc, p, b, 0, w->nested) : 0;
				if (!rc && keep)
					rc = keep_entry(w->r, p, LE_FILE, b, NULL);
				blob_unref(b);
			}
		} else if (S_ISREG(st.st_mode) && st.st_size > 0 && file_catalog_sniffs()) {
			rc = sniff_file(w, dirfd(d), de->d_name, p, &st);
		}
	}
	w->path.n = base;
	closedir(d);
	return rc;
}

int walk_dir(layer_result *out, lading_ctx *ctx, const char *root, scan_limits *lim)
{
	memset(out, 0, sizeof(*out));
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ctx_error(ctx, LADING_ETARGET, "dir:%s: cannot open directory: %s", root, strerror(errno));
	byte_budget own_nested = {nested_budget(ctx)};
	dwalk w = {.ctx = ctx, .r = out, .nested = lim ? &lim->nested : &own_nested};
	fhash fhs;
	int rc = 0;
	if (ctx->opt.integrity) {
		if ((rc = fh_init(&fhs)) != 0) {
			close(fd);
			return rc;
		}
		w.fh = &fhs;
	}
	if (!rc)
		rc = buf_reserve(&w.path, 256);
	if (!rc)
		rc = walk_dirfd(&w, fd);
	else
		close(fd);
	buf_free(&w.path);
	if (w.fh)
		fh_free(w.fh);
	if (rc)
		layer_result_free(out);
	return rc;
}
