/* The merged file-system view: an open-addressing hash map from normalised
 * path to a kept file or a symbolic link. It holds only what catalogers
 * claimed plus links, so it stays small whatever the image size. */
#include "fs/fsview.h"

#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lading/lading.h"

enum { NODE_EMPTY = 0, NODE_FILE = 1, NODE_LINK = 2, NODE_DEAD = 3 };

typedef struct node {
	char *path;
	size_t plen;
	uint64_t hash;
	int kind;
	int layer;
	blob *b;      /* NODE_FILE */
	char *target; /* NODE_LINK */
} node;

struct fsview {
	node *t;
	size_t cap, used, live; /* used counts live + dead slots */
};

blob *blob_new(const void *data, size_t len)
{
	blob *b = malloc(sizeof(*b) + len + 1);
	if (!b)
		return NULL;
	b->refs = 1;
	b->len = len;
	b->data = (unsigned char *)(b + 1);
	b->map_len = 0;
	b->mapped = false;
	if (len && data)
		memcpy(b->data, data, len);
	b->data[len] = 0; /* callers may pass NULL data and fill the bytes themselves */
	return b;
}

blob *blob_ref(blob *b)
{
	if (b)
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

void blob_unref(blob *b)
{
	if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		if (b->mapped)
			munmap(b->data, b->map_len);
		free(b);
	}
}

void blob_release(const blob *b, size_t from, size_t to)
{
	if (!b || !b->mapped)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	from = (from + page - 1) / page * page; /* whole pages inside [from, to) only */
	if (to > b->map_len)
		to = b->map_len;
	to = to / page * page;
	if (from < to)
		madvise(b->data + from, to - from, MADV_DONTNEED);
}

ssize_t blob_archive_read(void *ud, unsigned char *dst, size_t n)
{
	la_ssize_t r = archive_read_data(ud, dst, n);
	return r < 0 ? -1 : (ssize_t)r;
}

int spool_tmpfile(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	char path[4200];
	if ((size_t)snprintf(path, sizeof(path), "%s/lading-XXXXXX", dir) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* The spooled half of blob_read(). */
static int blob_spool(blob **out, const void *head, size_t hn, uint64_t max, blob_read_fn rd, void *ud,
		      const char *tmpdir, const char **why)
{
	int fd = spool_tmpfile(tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (fd < 0) {
		*why = strerror(errno);
		return -LADING_EIO;
	}
	enum { CHUNK = 64 * 1024 };
	unsigned char *chunk = malloc(CHUNK);
	int rc = chunk ? 0 : -LADING_ENOMEM;
	uint64_t len = hn;
	errno = 0;
	if (!rc && hn && fd_write_all(fd, head, hn) != 0)
		rc = -LADING_EIO;
	while (!rc && len < max) {
		size_t want = max - len < CHUNK ? (size_t)(max - len) : CHUNK;
		ssize_t n = rd(ud, chunk, want);
		if (n < 0)
			rc = -LADING_EFORMAT;
		else if (n == 0)
			break;
		else if (fd_write_all(fd, chunk, (size_t)n) != 0)
			rc = -LADING_EIO;
		else
			len += (uint64_t)n;
	}
	free(chunk);
	/* one more byte: the NUL every blob ends with (a file of whole pages
	 * would otherwise end at the mapping's end) */
	if (!rc && fd_write_all(fd, (const unsigned char *)"", 1) != 0)
		rc = -LADING_EIO;
	if (rc == -LADING_EIO)
		*why = strerror(errno ? errno : EIO);
	blob *b = NULL;
	if (!rc && !(b = malloc(sizeof(*b))))
		rc = -LADING_ENOMEM;
	if (!rc) {
		void *m = mmap(NULL, (size_t)len + 1, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			*why = strerror(errno);
			rc = -LADING_EIO;
		} else {
			*b = (blob){.refs = 1, .len = (size_t)len, .data = m, .map_len = (size_t)len + 1, .mapped = true};
			*out = b;
			b = NULL;
		}
	}
	free(b);
	close(fd);
	return rc;
}

int blob_read(blob **out, const void *head, size_t hn, uint64_t size, blob_read_fn rd, void *ud, const char *tmpdir,
	      const char **why)
{
	*out = NULL;
	*why = NULL;
	if (size > BLOB_SPOOL_MIN)
		return blob_spool(out, head, hn, size, rd, ud, tmpdir, why);
	if (size < hn)
		size = hn;
	blob *b = blob_new(NULL, (size_t)size);
	if (!b)
		return -LADING_ENOMEM;
	if (hn)
		memcpy(b->data, head, hn);
	size_t got = hn;
	while (got < size) {
		ssize_t n = rd(ud, b->data + got, (size_t)size - got);
		if (n < 0) {
			blob_unref(b);
			return -LADING_EFORMAT;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	b->len = got;
	b->data[got] = 0;
	*out = b;
	return 0;
}

static uint64_t hash_path(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

int fsview_new(fsview **out)
{
	fsview *v = calloc(1, sizeof(*v));
	if (!v)
		return -LADING_ENOMEM;
	*out = v;
	return 0;
}

static void node_clear(node *n)
{
	free(n->path);
	blob_unref(n->b);
	free(n->target);
	memset(n, 0, sizeof(*n));
}

void fsview_free(fsview *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->cap; i++)
		if (v->t[i].kind != NODE_EMPTY)
			node_clear(&v->t[i]);
	free(v->t);
	free(v);
}

static node *find(const fsview *v, const char *path, size_t n)
{
	if (!v->cap)
		return NULL;
	uint64_t h = hash_path(path, n);
	for (size_t i = h & (v->cap - 1);; i = (i + 1) & (v->cap - 1)) {
		node *e = &v->t[i];
		if (e->kind == NODE_EMPTY)
			return NULL;
		if (e->kind != NODE_DEAD && e->hash == h && e->plen == n && memcmp(e->path, path, n) == 0)
			return e;
	}
}

static int grow(fsview *v)
{
	size_t ncap = v->cap ? v->cap * 2 : 256;
	if (v->live * 2 < v->cap)
		ncap = v->cap; /* mostly tombstones: rehash in place size */
	node *t = calloc(ncap, sizeof(*t));
	if (!t)
		return -LADING_ENOMEM;
	for (size_t i = 0; i < v->cap; i++) {
		node *e = &v->t[i];
		if (e->kind == NODE_FILE || e->kind == NODE_LINK) {
			size_t j = e->hash & (ncap - 1);
			while (t[j].kind != NODE_EMPTY)
				j = (j + 1) & (ncap - 1);
			t[j] = *e;
		}
	}
	free(v->t);
	v->t = t;
	v->cap = ncap;
	v->used = v->live;
	return 0;
}

/* Returns the slot for `path`, creating an empty one if needed. */
static int slot(fsview *v, const char *path, node **out)
{
	size_t n = strlen(path);
	node *e = find(v, path, n);
	if (e) {
		blob_unref(e->b);
		free(e->target);
		e->b = NULL;
		e->target = NULL;
		*out = e;
		return 0;
	}
	if ((v->used + 1) * 4 >= v->cap * 3) {
		int rc = grow(v);
		if (rc)
			return rc;
	}
	char *p = strdup(path);
	if (!p)
		return -LADING_ENOMEM;
	uint64_t h = hash_path(path, n);
	size_t i = h & (v->cap - 1);
	while (v->t[i].kind != NODE_EMPTY && v->t[i].kind != NODE_DEAD)
		i = (i + 1) & (v->cap - 1);
	if (v->t[i].kind == NODE_EMPTY)
		v->used++;
	e = &v->t[i];
	memset(e, 0, sizeof(*e));
	e->path = p;
	e->plen = n;
	e->hash = h;
	e->kind = NODE_DEAD; /* made live by the caller */
	v->live++;
	*out = e;
	return 0;
}

int fsview_put_file(fsview *v, const char *path, blob *b, int layer)
{
	node *e;
	int rc = slot(v, path, &e);
	if (rc)
		return rc;
	e->kind = NODE_FILE;
	e->b = blob_ref(b);
	e->layer = layer;
	return 0;
}

int fsview_put_copy(fsview *v, const char *path, const void *data, size_t len)
{
	blob *b = blob_new(data, len);
	if (!b)
		return -LADING_ENOMEM;
	int rc = fsview_put_file(v, path, b, 0);
	blob_unref(b);
	return rc;
}

int fsview_put_symlink(fsview *v, const char *path, const char *target, int layer)
{
	char *t = strdup(target);
	if (!t)
		return -LADING_ENOMEM;
	node *e;
	int rc = slot(v, path, &e);
	if (rc) {
		free(t);
		return rc;
	}
	e->kind = NODE_LINK;
	e->target = t;
	e->layer = layer;
	return 0;
}

static void kill(fsview *v, node *e)
{
	node_clear(e);
	e->kind = NODE_DEAD;
	v->live--;
}

static void remove_under(fsview *v, const char *dir, bool self)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		n = 0; /* everything is under "/" */
	for (size_t i = 0; i < v->cap; i++) {
		node *e = &v->t[i];
		if (e->kind != NODE_FILE && e->kind != NODE_LINK)
			continue;
		if (e->plen > n && memcmp(e->path, dir, n) == 0 && e->path[n] == '/')
			kill(v, e);
		else if (self && e->plen == n && memcmp(e->path, dir, n) == 0)
			kill(v, e);
	}
}

void fsview_remove(fsview *v, const char *path) { remove_under(v, path, true); }
void fsview_clear_dir(fsview *v, const char *dir) { remove_under(v, dir, false); }
size_t fsview_count(const fsview *v) { return v->live; }

int path_normalize(buf *out, const char *base, sv path)
{
	out->n = 0;
	int rc = buf_reserve(out, 1); /* so that out->p exists for the ".." case */
	if (rc)
		return rc;
	out->p[0] = 0;
	/* Start from base for relative paths; base is already normalised. */
	if (!(path.n && path.p[0] == '/') && base && strcmp(base, "/") != 0)
		rc = buf_puts(out, base);
	while (rc == 0 && path.n) {
		sv comp = sv_split(&path, '/');
		if (comp.n == 0 || sv_eq_cstr(comp, "."))
			continue;
		if (sv_eq_cstr(comp, "..")) {
			while (out->n && out->p[out->n - 1] != '/')
				out->n--;
			if (out->n)
				out->n--; /* drop the "/" too */
			out->p[out->n] = 0;
			continue;
		}
		if (out->n + 1 + comp.n > 4096)
			return -LADING_ELIMIT;
		rc = buf_putc(out, '/');
		if (!rc)
			rc = buf_putsv(out, comp);
	}
	if (!rc && out->n == 0)
		rc = buf_putc(out, '/');
	return rc;
}

int path_resolve_links(buf *out, const char *path, bool follow_last, link_target_fn target, const void *ud)
{
	buf tmp = {0}, base = {0}, joined = {0};
	int hops = 0, rc = path_normalize(out, "/", sv_cstr(path));
restart:
	/* Walk the components; when a prefix is a link, splice its target in. */
	for (size_t i = 1; !rc && i <= out->n; i++) {
		if (i != out->n && out->p[i] != '/')
			continue;
		if (i == out->n && !follow_last)
			break;
		const char *t = target(ud, out->p, i);
		if (!t)
			continue;
		if (++hops > 40) {
			rc = -LADING_ELIMIT;
			break;
		}
		/* dir of the link, target, then the rest of the path */
		size_t d = i;
		while (d > 0 && out->p[d - 1] != '/')
			d--;
		base.n = joined.n = 0;
		if ((rc = buf_append(&base, out->p, d > 1 ? d - 1 : 1)) || (rc = buf_puts(&joined, t)) ||
		    (i < out->n && (rc = buf_append(&joined, out->p + i, out->n - i))) ||
		    (rc = path_normalize(&tmp, base.p, sv_make(joined.p, joined.n))))
			break;
		buf swap = *out;
		*out = tmp;
		tmp = swap;
		goto restart;
	}
	buf_free(&tmp);
	buf_free(&base);
	buf_free(&joined);
	return rc;
}

static const char *view_link(const void *ud, const char *path, size_t n)
{
	const node *e = find(ud, path, n);
	return e && e->kind == NODE_LINK ? e->target : NULL;
}

/* Resolves links in every component of `path` inside the view into *cur:
 * the path the image really stores it under. -LADING_ELIMIT on a loop. */
static int canon(const fsview *v, const char *path, buf *cur)
{
	return path_resolve_links(cur, path, true, view_link, v);
}

int fsview_canonical(const fsview *v, const char *path, buf *out)
{
	return canon(v, path, out);
}

/* The kept file at `path` after following links, or NULL. */
static const node *resolve(const fsview *v, const char *path)
{
	buf cur = {0};
	const node *res = canon(v, path, &cur) == 0 ? find(v, cur.p, cur.n) : NULL;
	buf_free(&cur);
	return res && res->kind == NODE_FILE ? res : NULL;
}

bool fsview_get(const fsview *v, const char *path, sv *data)
{
	const node *e = resolve(v, path);
	if (!e)
		return false;
	*data = sv_make(e->b->data, e->b->len);
	return true;
}

int fsview_layer(const fsview *v, const char *path)
{
	const node *e = resolve(v, path);
	return e ? e->layer : -1;
}

static int cmp_node_path(const void *a, const void *b)
{
	return strcmp((*(const node *const *)a)->path, (*(const node *const *)b)->path);
}

int fsview_each(const fsview *v, const char *prefix, fsview_each_fn fn, void *ud)
{
	size_t n = strlen(prefix), cnt = 0;
	const node **list = NULL;
	for (size_t i = 0; i < v->cap; i++) {
		const node *e = &v->t[i];
		if (e->kind == NODE_FILE && e->plen >= n && memcmp(e->path, prefix, n) == 0)
			cnt++;
	}
	if (!cnt)
		return 0;
	list = malloc(cnt * sizeof(*list));
	if (!list)
		return -LADING_ENOMEM;
	cnt = 0;
	for (size_t i = 0; i < v->cap; i++) {
		const node *e = &v->t[i];
		if (e->kind == NODE_FILE && e->plen >= n && memcmp(e->path, prefix, n) == 0)
			list[cnt++] = e;
	}
	qsort(list, cnt, sizeof(*list), cmp_node_path);
	int rc = 0;
	for (size_t i = 0; i < cnt && rc == 0; i++)
		rc = fn(ud, list[i]->path, sv_make(list[i]->b->data, list[i]->b->len));
	free(list);
	return rc;
}
