/* File integrity: is every file an OS package installed still the file the
 * package database recorded, and which executables does no package own?
 *
 * The walk (image/walk.c) records each layer's regular files with their md5,
 * sha1 and sha256 (the three algorithms dpkg, apk and rpm record), and
 * symbolic links are kept anyway. Here the layers are merged top-down into
 * one table of what the container sees: an entry of layer k is visible when
 * no higher layer wrote the same path, deleted it or an ancestor (whiteout),
 * hid its directory (opaque), or replaced an ancestor directory with a link
 * or a file (the usr-merge conversion does exactly that to /bin, /lib, /sbin).
 *
 * Then each OS package file with a digest is looked up:
 *   - dpkg diversions first (/var/lib/dpkg/diversions): when package D
 *     diverts path P to Q, every other package's P is installed at Q, and the
 *     file at P is D's (or the administrator's, for a local diversion). So a
 *     package's P is checked at Q unless that package is D;
 *   - then through the image's symbolic links, in every component (Debian 12
 *     lists /bin/ls, the tar holds /usr/bin/ls under a /bin -> usr/bin link);
 *   - a path that is itself a link is fine when its digest is the digest of
 *     the link's target string (apk records symlinks that way), otherwise the
 *     file the link leads to is compared.
 * Outcomes: modified (configuration files separately: editing them is what
 * they are for; for apk, which has no per-file flag, everything under /etc,
 * its default protected path), missing (nothing there, or a dangling link), or fine. A
 * digest in an algorithm the walk does not compute (rpm sha512, sha384, …)
 * is counted as unverifiable, never reported as modified.
 *
 * "Owned" means: the file is where some OS package's listed path (with or
 * without a digest) ends up after diversions and links. An executable (any
 * x bit) or ELF file that no OS package owns is "unpackaged", except under
 * the package managers' own directories (/var/lib/dpkg/info maintainer
 * scripts, /lib/apk/db, the rpm database), which belong to the package system
 * rather than to any package. An unpackaged file that a language or binary
 * cataloger identified (a Go binary, a classified program: the package's
 * db_path is the file) carries that package's index, so the user sees both
 * "no package manager installed this" and what it is.
 *
 * Python distributions installed by pip are checked too, against their
 * installer's file list (RECORD beside METADATA: python_check): each file
 * with a SHA-256 digest there is compared like an OS package's, and every
 * listed file attributes an unpackaged one (pip's console scripts) to its
 * distribution. They do not make a file "owned": pip is not the OS's
 * package manager. */
#include "catalog/integrity.h"

#include <fnmatch.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "lading/lading.h"

enum { MAX_DIVERSIONS = 1 << 16, MAX_FILTERS = 4096, MAX_CFG_FILES = 256 };
enum { N_EMPTY = 0, N_FILE = 1, N_LINK = 2, N_MARK = 3 };

/* ---- a string-keyed open-addressing table (keys borrowed) ------------------ */

typedef struct inode {
	const char *p;
	size_t n;
	uint64_t h;
	int kind;
	int layer;
	const lfile *f;     /* N_FILE */
	const char *target; /* N_LINK */
} inode;

typedef struct htab {
	inode *t;
	size_t cap, n;
} htab;

static uint64_t hash_str(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static inode *ht_find(const htab *t, const char *p, size_t n)
{
	if (!t->cap)
		return NULL;
	uint64_t h = hash_str(p, n);
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		inode *e = &t->t[i];
		if (e->kind == N_EMPTY)
			return NULL;
		if (e->h == h && e->n == n && memcmp(e->p, p, n) == 0)
			return e;
	}
}

/* Inserts `p` (borrowed) unless present; *out is the slot either way, with
 * kind N_EMPTY when it is new (the caller fills it in). */
static int ht_add(htab *t, const char *p, size_t n, inode **out)
{
	inode *e = ht_find(t, p, n);
	if (e) {
		*out = e;
		return 0;
	}
	if ((t->n + 1) * 4 >= t->cap * 3) {
		size_t ncap = t->cap ? t->cap * 2 : 1024;
		inode *nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return -LADING_ENOMEM;
		for (size_t i = 0; i < t->cap; i++) {
			if (t->t[i].kind == N_EMPTY)
				continue;
			size_t j = t->t[i].h & (ncap - 1);
			while (nt[j].kind != N_EMPTY)
				j = (j + 1) & (ncap - 1);
			nt[j] = t->t[i];
		}
		free(t->t);
		t->t = nt;
		t->cap = ncap;
	}
	uint64_t h = hash_str(p, n);
	size_t i = h & (t->cap - 1);
	while (t->t[i].kind != N_EMPTY)
		i = (i + 1) & (t->cap - 1);
	e = &t->t[i];
	*e = (inode){.p = p, .n = n, .h = h};
	t->n++;
	*out = e;
	return 0;
}

static int ht_mark(htab *t, const char *p)
{
	inode *e;
	int rc = ht_add(t, p, strlen(p), &e);
	if (!rc)
		e->kind = N_MARK;
	return rc;
}

static void ht_free(htab *t)
{
	free(t->t);
	*t = (htab){0};
}

/* ---- the merged file table ---------------------------------------------------- */

/* Is an entry of layer k at `path` hidden by what the layers above did? */
static bool hidden(const htab *map, const htab *wh, const htab *opq, const char *path, size_t n, int k)
{
	if (ht_find(wh, path, n) || ht_find(opq, "/", 1))
		return true;
	for (size_t i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		if (ht_find(wh, path, i) || ht_find(opq, path, i))
			return true;
		const inode *up = ht_find(map, path, i);
		if (up && up->layer > k)
			return true; /* the directory became a link or a file above */
	}
	return false;
}

static int merge(htab *map, const layer_files *res, size_t nres)
{
	htab wh = {0}, opq = {0};
	int rc = 0;
	for (size_t k = nres; k-- > 0 && !rc;) {
		const layer_files *r = &res[k];
		/* Reverse order within a layer: the last entry for a path wins. */
		for (size_t i = r->nfiles; i-- > 0 && !rc;) {
			const lfile *f = &r->files[i];
			size_t n = strlen(f->path);
			if (ht_find(map, f->path, n) || hidden(map, &wh, &opq, f->path, n, (int)k))
				continue;
			inode *e;
			if ((rc = ht_add(map, f->path, n, &e)) == 0)
				*e = (inode){.p = e->p, .n = e->n, .h = e->h, .kind = N_FILE, .layer = (int)k, .f = f};
		}
		for (size_t i = r->nentries; i-- > 0 && !rc;) {
			const lentry *le = &r->entries[i];
			size_t n = strlen(le->path);
			if (le->kind != LE_LINK || ht_find(map, le->path, n) || hidden(map, &wh, &opq, le->path, n, (int)k))
				continue;
			inode *e;
			if ((rc = ht_add(map, le->path, n, &e)) == 0)
				*e = (inode){.p = e->p, .n = e->n, .h = e->h, .kind = N_LINK, .layer = (int)k,
					     .target = le->target};
		}
		for (size_t i = 0; i < r->nwhiteouts && !rc; i++)
			rc = ht_mark(&wh, r->whiteouts[i]);
		for (size_t i = 0; i < r->nopaques && !rc; i++)
			rc = ht_mark(&opq, r->opaques[i]);
	}
	ht_free(&wh);
	ht_free(&opq);
	return rc;
}

static const char *map_link(const void *ud, const char *path, size_t n)
{
	const inode *e = ht_find(ud, path, n);
	return e && e->kind == N_LINK ? e->target : NULL;
}

/* Follows links inside the table, in every component of `path` (and in the
 * last one only when `follow_last`). *out is the node the path ends at (a
 * file, or with !follow_last possibly a link), NULL when nothing is there or
 * the links loop; `real` holds the path it resolved to. */
static int resolve(const htab *map, const char *path, bool follow_last, buf *real, const inode **out)
{
	int rc = path_resolve_links(real, path, follow_last, map_link, map);
	*out = rc ? NULL : ht_find(map, real->p, real->n);
	/* a link loop, or a path too long to normalise, names nothing in the image */
	return rc == -LADING_ENOMEM ? rc : 0;
}

/* ---- dpkg diversions ---------------------------------------------------------- */

int dpkg_diversions_parse(diversion **out, size_t *n, size_t *bad, sv data)
{
	VEC(diversion) v = {0};
	sv line[3];
	size_t got = 0;
	*out = NULL;
	*n = *bad = 0;
	while (v.n < MAX_DIVERSIONS && sv_next_line(&data, &line[got])) {
		if (++got < 3)
			continue;
		got = 0;
		if (line[0].n < 2 || line[0].p[0] != '/' || line[1].n < 2 || line[1].p[0] != '/' || line[2].n == 0) {
			++*bad;
			continue;
		}
		if (vec_push(&v, ((diversion){line[0], line[1], line[2]}))) {
			vec_free(&v);
			return -LADING_ENOMEM;
		}
	}
	if (got)
		++*bad;
	*out = v.v;
	*n = v.n;
	return 0;
}

/* ---- dpkg's path filters -------------------------------------------------------- */

bool integrity_wants_data(const char *path)
{
	if (strcmp(path, INTEGRITY_DIVERSIONS) == 0 || strcmp(path, INTEGRITY_DPKG_CFG) == 0)
		return true;
	sv p = sv_cstr(path);
	if (sv_ends_with(p, sv_cstr(INTEGRITY_PY_RECORD)) || sv_ends_with(p, sv_cstr(INTEGRITY_PY_INSTALLED)))
		return true;
	size_t n = strlen(INTEGRITY_DPKG_CFG_D);
	return strncmp(path, INTEGRITY_DPKG_CFG_D, n) == 0 && path[n] && !strchr(path + n, '/');
}

int python_record_paths(sv data, bool csv, const char *base, record_path_fn fn, void *ud)
{
	buf field = {0}, norm = {0};
	sv line;
	int rc = 0;
	for (size_t lines = 0; !rc && lines < 1000000 && sv_next_line(&data, &line); lines++) {
		field.n = 0;
		size_t end = 0; /* just past the first field */
		if (csv && line.n && line.p[0] == '"') {
			/* a quoted field: "" is one quote; it must end with a quote */
			bool closed = false;
			for (end = 1; !rc && end < line.n;) {
				if (line.p[end] == '"') {
					if (end + 1 < line.n && line.p[end + 1] == '"') {
						rc = buf_putc(&field, '"');
						end += 2;
						continue;
					}
					closed = true;
					end++;
					break;
				}
				rc = buf_putc(&field, line.p[end++]);
			}
			if (!closed && !rc)
				continue;
		} else {
			while (end < line.n && !(csv && line.p[end] == ','))
				end++;
			rc = buf_append(&field, line.p, end);
		}
		if (rc)
			break;
		sv hash = {0};
		if (csv && end < line.n && line.p[end] == ',') {
			sv rest = sv_make(line.p + end + 1, line.n - end - 1);
			size_t k = 0;
			while (k < rest.n && rest.p[k] != ',')
				k++;
			hash = sv_trim(sv_make(rest.p, k));
		}
		sv path = sv_trim(sv_make(field.p, field.n));
		if (!path.n || memchr(path.p, 0, path.n) || path_normalize(&norm, base, path) != 0)
			continue;
		rc = fn(ud, norm.p, norm.n, hash);
	}
	buf_free(&field);
	buf_free(&norm);
	return rc;
}

int dpkg_filters_parse(dpkg_filters *f, sv data)
{
	sv line;
	while (f->n < MAX_FILTERS && sv_next_line(&data, &line)) {
		line = sv_trim(line);
		if (!line.n || line.p[0] == '#')
			continue;
		size_t k = 0;
		while (k < line.n && line.p[k] != '=' && line.p[k] != ' ' && line.p[k] != '\t')
			k++;
		sv name = sv_make(line.p, k);
		bool include = sv_eq_cstr(name, "path-include");
		if (!include && !sv_eq_cstr(name, "path-exclude"))
			continue;
		while (k < line.n && (line.p[k] == ' ' || line.p[k] == '\t'))
			k++;
		if (k < line.n && line.p[k] == '=')
			k++;
		sv val = sv_trim(sv_make(line.p + k, line.n - k));
		if (val.n >= 2 && (val.p[0] == '"' || val.p[0] == '\'') && val.p[val.n - 1] == val.p[0])
			val = sv_make(val.p + 1, val.n - 2);
		if (!val.n || memchr(val.p, 0, val.n))
			continue;
		if (f->n == f->cap) {
			size_t cap = f->cap ? f->cap * 2 : 16;
			dpkg_filter *v = realloc(f->v, cap * sizeof(*v));
			if (!v)
				return -LADING_ENOMEM;
			f->v = v;
			f->cap = cap;
		}
		char *pat = strndup(val.p, val.n);
		if (!pat)
			return -LADING_ENOMEM;
		f->v[f->n++] = (dpkg_filter){pat, include};
	}
	return 0;
}

bool dpkg_filters_exclude(const dpkg_filters *f, const char *path)
{
	bool skip = false;
	for (size_t i = 0; i < f->n; i++) /* the last match wins, as in dpkg's filters.c */
		if (fnmatch(f->v[i].pattern, path, 0) == 0)
			skip = !f->v[i].include;
	return skip;
}

void dpkg_filters_free(dpkg_filters *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].pattern);
	free(f->v);
	*f = (dpkg_filters){0};
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* dpkg reads /etc/dpkg/dpkg.cfg.d/ first, the fragments whose names are all
 * [A-Za-z0-9_-] in sorted order, then /etc/dpkg/dpkg.cfg. */
static bool cfg_fragment_name(const char *base)
{
	if (!*base)
		return false;
	for (const char *q = base; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_' ||
		      *q == '-'))
			return false;
	return true;
}

static int cmp_div(const void *a, const void *b)
{
	sv x = ((const diversion *)a)->from, y = ((const diversion *)b)->from;
	size_t m = x.n < y.n ? x.n : y.n;
	int c = m ? memcmp(x.p, y.p, m) : 0;
	return c ? c : (x.n > y.n) - (x.n < y.n);
}

/* The diversion of `path`, or NULL (divs sorted by `from`). */
static const diversion *find_div(const diversion *divs, size_t n, const char *path)
{
	diversion key = {.from = sv_cstr(path)};
	return n ? bsearch(&key, divs, n, sizeof(*divs), cmp_div) : NULL;
}

/* ---- the comparison -------------------------------------------------------------- */

typedef enum algo { ALG_MD5, ALG_SHA1, ALG_SHA256, ALG_NONE } algo;

static algo digest_algo(const char *d, const char **hex)
{
	static const struct {
		const char *prefix;
		size_t hexlen;
	} t[] = {{"md5:", 32}, {"sha1:", 40}, {"sha256:", 64}};
	for (int i = 0; i < 3; i++) {
		size_t pl = strlen(t[i].prefix);
		if (strncmp(d, t[i].prefix, pl) == 0 && strlen(d + pl) == t[i].hexlen) {
			*hex = d + pl;
			return (algo)i;
		}
	}
	return ALG_NONE;
}

static const char *const algo_name[] = {"md5", "sha1", "sha256"};

static void file_hex(char out[65], const lfile *f, algo a)
{
	if (a == ALG_MD5)
		hex_encode(out, f->md5, sizeof(f->md5));
	else if (a == ALG_SHA1)
		hex_encode(out, f->sha1, sizeof(f->sha1));
	else
		hex_encode(out, f->sha256, sizeof(f->sha256));
}

/* apk records a symbolic link's digest as the digest of its target string. */
static bool link_matches(const char *target, algo a, const char *hex)
{
	static const char *const names[] = {"MD5", "SHA1", "SHA256"};
	unsigned char d[32];
	size_t len = 0;
	char h[65];
	if (!EVP_Q_digest(NULL, names[a], NULL, target, strlen(target), d, &len) || len > sizeof(d))
		return false;
	hex_encode(h, d, len);
	return strcasecmp(h, hex) == 0;
}

typedef struct fileref {
	const char *path; /* the file part of a db_path, or a file an installer listed */
	size_t n;
	size_t pkg;
} fileref;
typedef VEC(fileref) fileref_vec;

static int cmp_ref(const void *a, const void *b)
{
	const fileref *x = a, *y = b;
	size_t m = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->path, y->path, m);
	if (!c)
		c = (x->n > y->n) - (x->n < y->n);
	return c ? c : (x->pkg > y->pkg) - (x->pkg < y->pkg);
}

typedef struct ictx {
	lading_inventory *inv;
	const htab *map;
	bool layered;
	htab owned; /* where package files are; keys borrow the map's */
	fileref_vec pyrefs; /* the files Python installers listed (python_check) */
	arena pypaths;      /* their paths */
	VEC(lading_file_finding) out;
	buf real, real2;
} ictx;

static int add_finding(ictx *c, lading_file_finding_kind kind, const char *path, const inode *node, int64_t pkg,
		       const char *expected, algo alg, int config)
{
	lading_file_finding f = {.kind = kind, .package = pkg, .expected = expected, .layer = -1, .config = config};
	arena *a = &c->inv->a;
	f.path = arena_str(a, path);
	if (!f.path)
		return -LADING_ENOMEM;
	if (node && node->kind == N_FILE) {
		char hex[65];
		file_hex(hex, node->f, alg);
		f.real_path = arena_strndup(a, node->p, node->n);
		f.actual = arena_printf(a, "%s:%s", algo_name[alg], hex);
		if (!f.real_path || !f.actual)
			return -LADING_ENOMEM;
		f.layer = c->layered ? node->layer : -1;
		f.size = node->f->size;
		f.mode = node->f->mode;
		f.elf = (node->f->flags & LF_ELF) != 0;
	}
	return vec_push(&c->out, f);
}

static int own(ictx *c, const inode *node)
{
	inode *e;
	int rc = ht_add(&c->owned, node->p, node->n, &e);
	if (!rc)
		e->kind = N_MARK; /* keys borrow the map's paths, which outlive this */
	return rc;
}

static int check_package(ictx *c, size_t pi, const diversion *divs, size_t ndivs, const dpkg_filters *filters,
			 lading_integrity_summary *s)
{
	const lading_package *p = &c->inv->pkgs.v[pi];
	int rc = 0;
	buf dpath = {0};
	for (size_t i = 0; i < p->nfiles && !rc; i++) {
		const lading_pkg_file *pf = &p->files[i];
		if (!pf->path)
			continue;
		const char *path = pf->path;
		const diversion *dv = p->type == LADING_PKG_DPKG ? find_div(divs, ndivs, path) : NULL;
		if (dv && !(p->name && sv_eq_cstr(dv->pkg, p->name))) {
			dpath.n = 0;
			if ((rc = buf_putsv(&dpath, dv->to)) != 0)
				break;
			path = dpath.p;
		}
		const inode *node = NULL;
		if ((rc = resolve(c->map, path, true, &c->real, &node)) != 0)
			break;
		if (node && node->kind != N_FILE)
			node = NULL;
		if (node && (rc = own(c, node)) != 0)
			break;
		const char *hex;
		if (!pf->digest)
			continue;
		algo alg = digest_algo(pf->digest, &hex);
		if (alg == ALG_NONE) {
			s->files_unverifiable++;
			continue;
		}
		/* dpkg still lists (with digests) what its path-exclude filters kept
		 * off the disk: slim and minimized images exclude documentation */
		if (!node && p->type == LADING_PKG_DPKG && dpkg_filters_exclude(filters, pf->path)) {
			s->files_excluded++;
			continue;
		}
		if (node && (node->f->flags & LF_UNREAD)) {
			s->files_unverifiable++; /* not read: no digest to compare */
			continue;
		}
		s->files_checked++;
		char have[65];
		if (node) {
			file_hex(have, node->f, alg);
			if (strcasecmp(have, hex) == 0)
				continue;
		}
		/* the listed path may itself be a link the database recorded as one */
		const inode *ln = NULL;
		if ((rc = resolve(c->map, path, false, &c->real2, &ln)) != 0)
			break;
		if (ln && ln->kind == N_LINK && link_matches(ln->target, alg, hex))
			continue;
		/* apk has no per-file config flag: everything under its protected
		 * paths (/etc by default, etc/apk/protected_paths.d/base.list) is
		 * kept as configuration on upgrade, so it counts as one here */
		bool config = pf->config || (p->type == LADING_PKG_APK && strncmp(pf->path, "/etc/", 5) == 0);
		lading_file_finding_kind kind =
		    !node ? LADING_FILE_MISSING : config ? LADING_FILE_MODIFIED_CONFIG : LADING_FILE_MODIFIED;
		rc = add_finding(c, kind, pf->path, node, (int64_t)pi, pf->digest, alg, config);
	}
	buf_free(&dpath);
	return rc;
}

/* Directories that belong to the package system itself, not to a package. */
static bool pkgdb_dir(const char *p)
{
	static const char *const dirs[] = {"/var/lib/dpkg/", "/lib/apk/db/", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strncmp(p, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

static int cmp_node(const void *a, const void *b)
{
	const inode *x = *(const inode *const *)a, *y = *(const inode *const *)b;
	return strcmp(x->p, y->p);
}

/* A RECORD row's "sha256=<urlsafe base64, unpadded>" as 32 bytes; false for
 * another algorithm or a damaged value (base64_decode takes the URL-safe
 * alphabet and no padding). */
static bool record_sha256(sv hash, unsigned char out[32])
{
	sv pre = sv_cstr("sha256=");
	if (!sv_starts_with(hash, pre))
		return false;
	sv b64 = sv_make(hash.p + pre.n, hash.n - pre.n);
	size_t len = 0;
	return (b64.n == 43 || b64.n == 44) && base64_decode(out, 32, &len, b64) && len == 32;
}

typedef struct py_rows {
	ictx *c;
	size_t pkg;
	lading_integrity_summary *s;
} py_rows;

/* One file a Python installer listed: remembered for the unpackaged files,
 * and compared with its RECORD digest when it has one. */
static int py_row(void *ud, const char *path, size_t n, sv hash)
{
	py_rows *r = ud;
	ictx *c = r->c;
	char *p = arena_strndup(&c->pypaths, path, n);
	if (!p || vec_push(&c->pyrefs, ((fileref){p, n, r->pkg})))
		return -LADING_ENOMEM;
	if (!hash.n)
		return 0; /* none recorded: RECORD itself, compiled .pyc files, installed-files.txt */
	unsigned char want[32];
	if (!record_sha256(hash, want)) {
		r->s->files_unverifiable++;
		return 0;
	}
	const inode *node = NULL;
	int rc = resolve(c->map, p, true, &c->real, &node);
	if (rc)
		return rc;
	if (node && node->kind != N_FILE)
		node = NULL;
	if (node && (node->f->flags & LF_UNREAD)) {
		r->s->files_unverifiable++;
		return 0;
	}
	r->s->files_checked++;
	if (node && memcmp(node->f->sha256, want, 32) == 0)
		return 0;
	char hex[65];
	hex_encode(hex, want, 32);
	const char *expected = arena_printf(&c->inv->a, "sha256:%s", hex);
	if (!expected)
		return -LADING_ENOMEM;
	return add_finding(c, node ? LADING_FILE_MODIFIED : LADING_FILE_MISSING, p, node, (int64_t)r->pkg, expected,
			   ALG_SHA256, 0);
}

/* Python distribution `pkg`, found at its METADATA or PKG-INFO: the files its
 * installer listed beside it (pip's RECORD, or installed-files.txt), with
 * their digests compared. *found says whether there was such a list. */
static int python_check(ictx *c, size_t pkg, lading_integrity_summary *s, bool *found)
{
	static const struct {
		const char *meta, *list;
		bool csv, up; /* up: the list's paths are relative to the metadata directory's parent */
	} kinds[] = {{".dist-info/METADATA", "RECORD", true, true},
		     {".egg-info/PKG-INFO", "installed-files.txt", false, false}};
	const char *db_path = c->inv->pkgs.v[pkg].db_path;
	*found = false;
	if (!db_path || strstr(db_path, "!/"))
		return 0;
	sv p = sv_cstr(db_path);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!sv_ends_with(p, sv_cstr(kinds[k].meta)))
			continue;
		const char *slash = strrchr(db_path, '/'); /* the metadata directory ends here */
		buf list = {0}, base = {0};
		int rc = buf_append(&list, db_path, (size_t)(slash - db_path + 1));
		if (!rc)
			rc = buf_puts(&list, kinds[k].list);
		size_t dir = (size_t)(slash - db_path); /* the metadata directory is db_path[0, dir) */
		if (kinds[k].up) {
			while (dir > 0 && db_path[dir - 1] != '/')
				dir--;
			if (dir > 1)
				dir--; /* its parent, without the "/" */
		}
		if (!rc)
			rc = buf_append(&base, db_path, dir ? dir : 1);
		const inode *node = NULL;
		if (!rc)
			rc = resolve(c->map, list.p, true, &c->real2, &node);
		if (!rc && node && node->kind == N_FILE && node->f->data) {
			*found = true;
			py_rows r = {c, pkg, s};
			rc = python_record_paths(sv_make(node->f->data->data, node->f->data->len), kinds[k].csv, base.p,
						 py_row, &r);
		}
		buf_free(&list);
		buf_free(&base);
		return rc;
	}
	return 0;
}

static int unpackaged(ictx *c, lading_integrity_summary *s)
{
	VEC(const inode *) cand = {0};
	fileref_vec refs = {0};
	int rc = 0;
	for (size_t i = 0; i < c->map->cap && !rc; i++) {
		const inode *e = &c->map->t[i];
		if (e->kind != N_FILE)
			continue;
		s->files_in_image++;
		if (!(e->f->mode & 0111) && !(e->f->flags & LF_ELF))
			continue;
		if (ht_find(&c->owned, e->p, e->n) || pkgdb_dir(e->p))
			continue;
		rc = vec_push(&cand, e);
	}
	/* language and binary packages found in a file: "/app/x.war!/y.jar" lives in /app/x.war */
	for (size_t i = 0; i < c->inv->pkgs.n && !rc && cand.n; i++) {
		const lading_package *p = &c->inv->pkgs.v[i];
		if (lading_pkg_type_is_os(p->type) || !p->db_path)
			continue;
		const char *bang = strstr(p->db_path, "!/");
		rc = vec_push(&refs, ((fileref){p->db_path, bang ? (size_t)(bang - p->db_path) : strlen(p->db_path), i}));
	}
	/* and the files Python installers listed */
	for (size_t i = 0; i < c->pyrefs.n && !rc && cand.n; i++)
		rc = vec_push(&refs, c->pyrefs.v[i]);
	if (cand.n)
		qsort(cand.v, cand.n, sizeof(*cand.v), cmp_node);
	if (refs.n)
		qsort(refs.v, refs.n, sizeof(*refs.v), cmp_ref);
	for (size_t i = 0; i < cand.n && !rc; i++) {
		const inode *e = cand.v[i];
		int64_t pkg = -1;
		fileref key = {e->p, e->n, 0};
		size_t lo = 0, hi = refs.n;
		while (lo < hi) { /* first ref for this path */
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_ref(&refs.v[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < refs.n && refs.v[lo].n == e->n && memcmp(refs.v[lo].path, e->p, e->n) == 0)
			pkg = (int64_t)refs.v[lo].pkg;
		rc = add_finding(c, LADING_FILE_UNPACKAGED, e->p, e, pkg, NULL, ALG_SHA256, 0);
	}
	vec_free(&cand);
	vec_free(&refs);
	return rc;
}

static int cmp_finding(const void *a, const void *b)
{
	const lading_file_finding *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->package > y->package) - (x->package < y->package);
}

/* Appends the filters of the visible file `path`, if it is there. */
static int load_cfg(ictx *c, const char *path, dpkg_filters *f)
{
	const inode *node = NULL;
	int rc = resolve(c->map, path, true, &c->real, &node);
	if (rc || !node || node->kind != N_FILE || !node->f->data)
		return rc;
	return dpkg_filters_parse(f, sv_make(node->f->data->data, node->f->data->len));
}

static int load_dpkg_filters(ictx *c, dpkg_filters *f)
{
	const char *names[MAX_CFG_FILES];
	size_t n = 0, dl = strlen(INTEGRITY_DPKG_CFG_D);
	for (size_t i = 0; i < c->map->cap && n < MAX_CFG_FILES; i++) {
		const inode *e = &c->map->t[i];
		if (e->kind == N_FILE && e->n > dl && strncmp(e->p, INTEGRITY_DPKG_CFG_D, dl) == 0 &&
		    !memchr(e->p + dl, '/', e->n - dl) && cfg_fragment_name(e->p + dl))
			names[n++] = e->p;
	}
	qsort(names, n, sizeof(names[0]), cmp_cstr);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = load_cfg(c, names[i], f);
	return rc ? rc : load_cfg(c, INTEGRITY_DPKG_CFG, f);
}

/* Reads the visible diversions file, if any. */
static int load_diversions(ictx *c, diversion **divs, size_t *ndivs)
{
	const inode *node = NULL;
	*divs = NULL;
	*ndivs = 0;
	int rc = resolve(c->map, INTEGRITY_DIVERSIONS, true, &c->real, &node);
	if (rc || !node || node->kind != N_FILE || !node->f->data)
		return rc;
	size_t bad = 0;
	const blob *b = node->f->data;
	if ((rc = dpkg_diversions_parse(divs, ndivs, &bad, sv_make(b->data, b->len))) != 0)
		return rc;
	if (bad)
		inv_warn(c->inv, "%s: %zu malformed diversion record%s skipped", INTEGRITY_DIVERSIONS, bad,
			 bad == 1 ? "" : "s");
	if (*ndivs)
		qsort(*divs, *ndivs, sizeof(**divs), cmp_div);
	return 0;
}

int integrity_run(lading_inventory *inv, const layer_files *res, size_t nres, bool layered)
{
	htab map = {0};
	ictx c = {.inv = inv, .map = &map, .layered = layered};
	lading_integrity_summary s = {0};
	diversion *divs = NULL;
	size_t ndivs = 0;
	dpkg_filters filters = {0};
	int rc = merge(&map, res, nres);
	if (!rc)
		rc = load_diversions(&c, &divs, &ndivs);
	if (!rc)
		rc = load_dpkg_filters(&c, &filters);
	for (size_t i = 0; i < inv->pkgs.n && !rc; i++) {
		if (!lading_pkg_type_is_os(inv->pkgs.v[i].type))
			continue;
		s.packages++;
		rc = check_package(&c, i, divs, ndivs, &filters, &s);
	}
	for (size_t i = 0; i < inv->pkgs.n && !rc; i++) {
		bool found = false;
		if (inv->pkgs.v[i].type == LADING_PKG_PYPI && (rc = python_check(&c, i, &s, &found)) == 0 && found)
			s.packages++;
	}
	if (!rc)
		rc = unpackaged(&c, &s);
	if (!rc && c.out.n) {
		qsort(c.out.v, c.out.n, sizeof(*c.out.v), cmp_finding);
		inv->ffind = arena_alloc(&inv->a, c.out.n * sizeof(*c.out.v));
		if (!inv->ffind)
			rc = -LADING_ENOMEM;
		else
			memcpy(inv->ffind, c.out.v, c.out.n * sizeof(*c.out.v));
	}
	if (!rc) {
		for (size_t i = 0; i < c.out.n; i++) {
			switch (c.out.v[i].kind) {
			case LADING_FILE_MODIFIED: s.modified++; break;
			case LADING_FILE_MODIFIED_CONFIG: s.modified_config++; break;
			case LADING_FILE_MISSING: s.missing++; break;
			case LADING_FILE_UNPACKAGED: s.unpackaged++; break;
			}
		}
		inv->nffind = c.out.n;
		inv->isum = s;
		inv->integrity = true;
	}
	free(divs);
	dpkg_filters_free(&filters);
	vec_free(&c.out);
	vec_free(&c.pyrefs);
	arena_free(&c.pypaths);
	ht_free(&c.owned);
	buf_free(&c.real);
	buf_free(&c.real2);
	ht_free(&map);
	return rc;
}

/* ---- public getters ---------------------------------------------------------------- */

const char *lading_file_finding_kind_name(lading_file_finding_kind k)
{
	switch (k) {
	case LADING_FILE_MODIFIED: return "modified";
	case LADING_FILE_MODIFIED_CONFIG: return "modified_config";
	case LADING_FILE_MISSING: return "missing";
	case LADING_FILE_UNPACKAGED: return "unpackaged";
	}
	return NULL;
}

const lading_integrity_summary *lading_inventory_integrity(const lading_inventory *inv)
{
	return inv && inv->integrity ? &inv->isum : NULL;
}

size_t lading_inventory_nfile_findings(const lading_inventory *inv) { return inv ? inv->nffind : 0; }

const lading_file_finding *lading_inventory_file_finding(const lading_inventory *inv, size_t i)
{
	return inv && i < inv->nffind ? &inv->ffind[i] : NULL;
}
