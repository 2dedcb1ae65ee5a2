/* The dpkg cataloger: Debian and Ubuntu packages, and distroless images that
 * carry one status file per package in /var/lib/dpkg/status.d/.
 *
 * The status file is a sequence of RFC-822 stanzas. A package counts when its
 * Status says the files are on disk and configured (state "installed", or
 * "triggers-pending"/"triggers-awaited", which are installed packages with a
 * trigger still to run); distroless status.d stanzas have no Status at all and
 * always count. The source package, which the Debian security tracker keys
 * its advisories on, is "Source: name (version)" with both parts optional,
 * defaulting to the binary's name and version exactly as dpkg-query's
 * ${source:Package} and ${source:Version} do.
 *
 * Owned files come from /var/lib/dpkg/info/<pkg>[:<arch>].{list,md5sums,
 * conffiles} (status.d/<pkg>.md5sums on distroless). The .list names
 * directories too; an entry that is the parent of another entry is taken to
 * be a directory and left out, so what remains are files and links.
 *
 * A stanza without Package or Version is skipped with a warning naming the
 * file and its first line; the rest of the file is still read. vcpkg writes
 * status files in the same syntax: its stanzas are recognised and ignored. */
#include "catalog/ospkg.h"

#include <stdio.h>
#include <stdlib.h>

#include "lading/lading.h"

enum {
	MAX_FIELDS = 256,      /* per stanza; real ones have about 20 */
	MAX_STANZAS = 1 << 20, /* per status file */
	MAX_FILES = 1 << 20,   /* per package */
	MAX_NAME = 256,	       /* package / arch names used to build info paths */
};

#define INFO_DIR "/var/lib/dpkg/info/"
#define STATUS_D "/var/lib/dpkg/status.d/"

static const cat_claim claims[] = {
    {CLAIM_EXACT, "/var/lib/dpkg/status", NULL},     {CLAIM_DIR, "/var/lib/dpkg/status.d", NULL},
    {CLAIM_DIR, "/var/lib/dpkg/info", ".list"},	     {CLAIM_DIR, "/var/lib/dpkg/info", ".md5sums"},
    {CLAIM_DIR, "/var/lib/dpkg/info", ".conffiles"},
};

/* ---- RFC-822 stanzas -------------------------------------------------------- */

typedef struct field {
	sv name;
	sv value; /* raw: from after the ':' to the end of the last continuation line */
} field;

typedef struct stanza {
	VEC(field) f;
	size_t line;	  /* 1-based line of its first line */
	size_t bad_lines; /* lines that are neither "Name: value" nor continuations */
} stanza;

static bool is_blank(sv line)
{
	for (size_t i = 0; i < line.n; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t' && line.p[i] != '\r')
			return false;
	return true;
}

/* Reads the next stanza. Returns 1, 0 at the end, or -LADING_ENOMEM. */
static int next_stanza(sv *rest, size_t *lineno, stanza *st)
{
	sv line;
	bool any = false;
	st->f.n = 0;
	st->bad_lines = 0;
	st->line = 0;
	while (sv_next_line(rest, &line)) {
		(*lineno)++;
		if (is_blank(line)) {
			if (any)
				break;
			continue;
		}
		if (!any)
			st->line = *lineno;
		any = true;
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (st->f.n) {
				field *f = &st->f.v[st->f.n - 1];
				f->value.n = (size_t)(line.p + line.n - f->value.p);
			}
			continue;
		}
		size_t c = sv_find(line, ':');
		sv name = c == SIZE_MAX ? line : sv_trim(sv_make(line.p, c));
		if (c == SIZE_MAX || name.n == 0) {
			st->bad_lines++;
			continue;
		}
		if (st->f.n >= MAX_FIELDS)
			continue;
		field f = {name, sv_make(line.p + c + 1, line.n - c - 1)};
		if (vec_push(&st->f, f))
			return -LADING_ENOMEM;
	}
	return any ? 1 : 0;
}


static const field *find_field(const stanza *st, const char *name)
{
	for (size_t i = 0; i < st->f.n; i++)
		if (sv_ieq(st->f.v[i].name, name))
			return &st->f.v[i];
	return NULL;
}

/* A single-line field's value: its first line, trimmed. */
static sv simple(const field *f)
{
	if (!f)
		return sv_make("", 0);
	sv v = f->value, line = {v.p, 0};
	sv_next_line(&v, &line);
	return sv_trim(line);
}

/* ---- owned files ------------------------------------------------------------- */

typedef struct ent {
	sv path;      /* without the leading "/" */
	char md5[33]; /* lowercase hex, or "" */
	bool listed;  /* named by the .list */
	bool config;
	bool dir;
} ent;

typedef VEC(ent) ents;

static bool is_md5(sv s)
{
	if (s.n != 32)
		return false;
	for (size_t i = 0; i < 32; i++) {
		char c = s.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static void set_md5(ent *e, sv hex)
{
	for (size_t i = 0; i < 32; i++)
		e->md5[i] = (hex.p[i] >= 'A' && hex.p[i] <= 'F') ? (char)(hex.p[i] - 'A' + 'a') : hex.p[i];
	e->md5[32] = 0;
}

static int add_ent(ents *v, sv path, sv md5, bool listed, bool config)
{
	path = sv_strip_char(path, '/');
	if (path.n == 0 || sv_eq_cstr(path, ".") || v->n >= MAX_FILES)
		return 0;
	ent e = {.path = path, .listed = listed, .config = config};
	if (md5.n)
		set_md5(&e, md5);
	return vec_push(v, e);
}

/* .list: one absolute path per line. */
static int read_list(ents *v, sv data)
{
	sv line;
	int rc = 0;
	while (rc == 0 && sv_next_line(&data, &line))
		rc = add_ent(v, line, sv_make("", 0), true, false);
	return rc;
}

/* .md5sums: "<32 hex>  <path without leading />". */
static int read_md5sums(ents *v, sv data)
{
	sv line;
	int rc = 0;
	while (rc == 0 && sv_next_line(&data, &line)) {
		if (line.n < 34 || !is_md5(sv_make(line.p, 32)) || (line.p[32] != ' ' && line.p[32] != '\t'))
			continue;
		size_t i = 32;
		while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
			i++;
		if (i < line.n && line.p[i] == '*') /* binary-mode marker of md5sum */
			i++;
		rc = add_ent(v, sv_make(line.p + i, line.n - i), sv_make(line.p, 32), false, false);
	}
	return rc;
}

/* info/<pkg>.conffiles: one path per line, newer dpkg may prefix a flag. */
static int read_conffiles(ents *v, sv data)
{
	sv line;
	int rc = 0;
	while (rc == 0 && sv_next_line(&data, &line)) {
		line = sv_trim(line);
		if (line.n && line.p[0] != '/') {
			size_t sp = sv_find(line, ' ');
			if (sp == SIZE_MAX)
				continue;
			line = sv_trim(sv_make(line.p + sp, line.n - sp));
		}
		rc = add_ent(v, line, sv_make("", 0), false, true);
	}
	return rc;
}

/* The status stanza's Conffiles field: " /path md5 [obsolete|remove-on-upgrade]". */
static int read_conffiles_field(ents *v, const field *f)
{
	if (!f)
		return 0;
	sv data = f->value, line;
	int rc = 0;
	while (rc == 0 && sv_next_line(&data, &line)) {
		line = sv_trim(line);
		if (line.n == 0 || line.p[0] != '/')
			continue;
		/* The path may contain spaces, so take the md5 and flags from the end. */
		sv words[3];
		size_t nw = 0, end = line.n;
		while (nw < 3 && end > 0) {
			size_t b = end;
			while (b > 0 && line.p[b - 1] != ' ')
				b--;
			words[nw++] = sv_make(line.p + b, end - b);
			end = b;
			while (end > 0 && line.p[end - 1] == ' ')
				end--;
			if (is_md5(words[nw - 1]) || sv_eq_cstr(words[nw - 1], "newconffile"))
				break;
		}
		sv md5 = words[nw - 1];
		if (end == 0 || !(is_md5(md5) || sv_eq_cstr(md5, "newconffile")))
			continue;
		bool obsolete = false;
		for (size_t i = 0; i + 1 < nw; i++)
			if (sv_eq_cstr(words[i], "obsolete"))
				obsolete = true;
		if (obsolete) /* no longer part of this version of the package */
			continue;
		rc = add_ent(v, sv_make(line.p, end), is_md5(md5) ? md5 : sv_make("", 0), false, true);
	}
	return rc;
}

static int cmp_path(sv a, sv b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	return c ? c : (a.n < b.n ? -1 : a.n > b.n);
}

static int cmp_ent(const void *x, const void *y)
{
	return cmp_path(((const ent *)x)->path, ((const ent *)y)->path);
}

/* Sorts, merges duplicates and marks directories. */
static void settle(ents *v)
{
	if (v->n == 0)
		return;
	qsort(v->v, v->n, sizeof(ent), cmp_ent);
	size_t w = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (w && cmp_path(v->v[w - 1].path, v->v[i].path) == 0) {
			ent *d = &v->v[w - 1];
			d->listed |= v->v[i].listed;
			d->config |= v->v[i].config;
			if (!d->md5[0])
				memcpy(d->md5, v->v[i].md5, sizeof(d->md5));
			continue;
		}
		v->v[w++] = v->v[i];
	}
	v->n = w;
	for (size_t i = 0; i < v->n; i++) {
		sv p = v->v[i].path;
		size_t s = p.n;
		while (s > 0 && p.p[s - 1] != '/')
			s--;
		if (s < 2)
			continue;
		ent key = {.path = sv_make(p.p, s - 1)};
		ent *parent = bsearch(&key, v->v, v->n, sizeof(ent), cmp_ent);
		if (parent && !parent->md5[0])
			parent->dir = true;
	}
}

/* Names that can safely be part of a path under info/. */
static bool safe_name(sv s)
{
	if (s.n == 0 || s.n > MAX_NAME || s.p[0] == '.')
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

/* Looks up info/<pkg>:<arch><ext>, then info/<pkg><ext>. */
static bool info_file(const fsview *view, buf *path, sv pkg, sv arch, const char *ext, sv *data)
{
	if (arch.n && safe_name(arch)) {
		path->n = 0;
		if (buf_printf(path, INFO_DIR "%.*s:%.*s%s", (int)pkg.n, pkg.p, (int)arch.n, arch.p, ext) ==
			0 &&
		    fsview_get(view, path->p, data))
			return true;
	}
	path->n = 0;
	return buf_printf(path, INFO_DIR "%.*s%s", (int)pkg.n, pkg.p, ext) == 0 &&
	       fsview_get(view, path->p, data);
}

/* Collects a package's files into *out (allocated in `a`). */
static int package_files(cat_run *run, arena *a, const stanza *st, sv pkg, sv arch, const char *db_path,
			 lading_pkg_file **out, size_t *nout)
{
	ents v = {0};
	buf path = {0};
	sv data;
	int rc = 0;
	*out = NULL;
	*nout = 0;
	if (run->view && safe_name(pkg)) {
		if (info_file(run->view, &path, pkg, arch, ".list", &data))
			rc = read_list(&v, data);
		if (!rc && info_file(run->view, &path, pkg, arch, ".md5sums", &data))
			rc = read_md5sums(&v, data);
		if (!rc && info_file(run->view, &path, pkg, arch, ".conffiles", &data))
			rc = read_conffiles(&v, data);
		const char *sd = strstr(db_path, "/status.d/");
		if (!rc && sd) {
			/* distroless: status.d/<pkg>.md5sums, or named after the status file */
			path.n = 0;
			rc = buf_printf(&path, "%.*s/%.*s.md5sums", (int)(sd - db_path + 9), db_path,
					(int)pkg.n, pkg.p);
			bool got = !rc && fsview_get(run->view, path.p, &data);
			if (!rc && !got) {
				path.n = 0;
				rc = buf_printf(&path, "%s.md5sums", db_path);
				got = !rc && fsview_get(run->view, path.p, &data);
			}
			if (got)
				rc = read_md5sums(&v, data);
		}
	}
	if (!rc)
		rc = read_conffiles_field(&v, find_field(st, "Conffiles"));
	if (!rc && v.n >= MAX_FILES)
		cat_warn(run, "dpkg: %s: package %.*s owns more than %d files; the rest are left out",
			 db_path, (int)pkg.n, pkg.p, MAX_FILES);
	settle(&v);
	size_t n = 0;
	for (size_t i = 0; i < v.n; i++)
		n += !v.v[i].dir;
	lading_pkg_file *files = NULL;
	if (!rc && n) {
		size_t bytes;
		files = mul_overflows(n, sizeof(*files), &bytes) ? NULL : arena_alloc(a, bytes);
		if (!files)
			rc = -LADING_ENOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; !rc && i < v.n; i++) {
		const ent *e = &v.v[i];
		if (e->dir)
			continue;
		lading_pkg_file *f = &files[k++];
		f->path = arena_printf(a, "/%.*s", (int)e->path.n, e->path.p);
		f->digest = e->md5[0] ? arena_printf(a, "md5:%s", e->md5) : NULL;
		f->config = e->config;
		if (!f->path || (e->md5[0] && !f->digest))
			rc = -LADING_ENOMEM;
	}
	if (!rc) {
		*out = files;
		*nout = k;
	}
	vec_free(&v);
	buf_free(&path);
	return rc;
}

/* ---- packages ------------------------------------------------------------------ */

/* Status "want flag state": is the package on disk and configured? */
static bool status_installed(sv status)
{
	sv rest = status, w[3];
	int n = 0;
	while (n < 3 && rest.n) {
		sv word = sv_split(&rest, ' ');
		if (word.n)
			w[n++] = word;
	}
	if (n != 3 || sv_trim(rest).n)
		return false;
	return sv_eq_cstr(w[2], "installed") || sv_eq_cstr(w[2], "triggers-pending") ||
	       sv_eq_cstr(w[2], "triggers-awaited");
}

static char *dup_opt(arena *a, sv s) { return s.n ? arena_sv(a, s) : NULL; }

/* One stanza: 1 = added, 0 = skipped (warned or not installed), < 0 error. */
static int add_stanza(cat_run *run, const stanza *st, const char *db_path, bool status_d, size_t *vcpkg)
{
	if (find_field(st, "Abi") || find_field(st, "Feature") ||
	    sv_ieq(simple(find_field(st, "Type")), "Port")) {
		(*vcpkg)++;
		return 0;
	}
	const field *status = find_field(st, "Status");
	if (status && !status_installed(simple(status)))
		return 0;
	sv name = simple(find_field(st, "Package")), version = simple(find_field(st, "Version"));
	if (name.n == 0 || version.n == 0) {
		cat_warn(run, "dpkg: %s: stanza at line %zu has no %s; skipped", db_path, st->line,
			 name.n ? "Version" : "Package");
		return 0;
	}
	if (!status && !status_d) {
		cat_warn(run, "dpkg: %s: stanza at line %zu (%.*s) has no Status; skipped", db_path, st->line,
			 (int)(name.n > MAX_NAME ? MAX_NAME : name.n), name.p);
		return 0;
	}
	sv arch = simple(find_field(st, "Architecture"));
	sv src = simple(find_field(st, "Source")), src_name = name, src_ver = version;
	if (src.n) {
		/* "name" or "name (version)" */
		size_t open = sv_find(src, '(');
		src_name = sv_trim(open == SIZE_MAX ? src : sv_make(src.p, open));
		if (open != SIZE_MAX) {
			sv inner = sv_make(src.p + open + 1, src.n - open - 1);
			size_t close = sv_find(inner, ')');
			if (close != SIZE_MAX && sv_trim(sv_make(inner.p, close)).n)
				src_ver = sv_trim(sv_make(inner.p, close));
		}
		if (src_name.n == 0)
			src_name = name;
	}
	arena a = {0};
	lading_package p = {
	    .type = LADING_PKG_DPKG,
	    .layer = -1,
	    .db_path = db_path,
	};
	p.name = dup_opt(&a, name);
	p.version = dup_opt(&a, version);
	p.arch = dup_opt(&a, arch);
	p.source_name = dup_opt(&a, src_name);
	p.source_version = dup_opt(&a, src_ver);
	p.maintainer = dup_opt(&a, simple(find_field(st, "Maintainer")));
	int rc = 0;
	if (!p.name || !p.version || !p.source_name || !p.source_version || (arch.n && !p.arch))
		rc = -LADING_ENOMEM;
	lading_pkg_file *files = NULL;
	if (!rc && !run->identities_only)
		rc = package_files(run, &a, st, name, arch, db_path, &files, &p.nfiles);
	p.files = files;
	if (!rc)
		rc = inv_add_package(run->inv, &p);
	arena_free(&a);
	return rc < 0 ? rc : 1;
}

int dpkg_parse_status(cat_run *run, sv data, const char *db_path)
{
	stanza st = {0};
	size_t lineno = 0, nst = 0, vcpkg = 0;
	bool status_d = strstr(db_path, "/status.d/") != NULL;
	int rc;
	while ((rc = next_stanza(&data, &lineno, &st)) == 1) {
		if (++nst > MAX_STANZAS) {
			cat_warn(run, "dpkg: %s: more than %d stanzas; the rest are left out", db_path,
				 MAX_STANZAS);
			break;
		}
		rc = add_stanza(run, &st, db_path, status_d, &vcpkg);
		if (rc < 0)
			break;
		rc = 0;
	}
	if (vcpkg && rc >= 0)
		cat_warn(run, "dpkg: %s: %zu vcpkg stanzas (a vcpkg status file, not dpkg); ignored", db_path,
			 vcpkg);
	vec_free(&st.f);
	return rc < 0 ? rc : 0;
}

/* ---- the cataloger ------------------------------------------------------------ */

static int each_status_d(void *ud, const char *path, sv data)
{
	const char *name = path + strlen(STATUS_D);
	size_t n = strlen(name);
	/* Only the stanza files directly in status.d; their md5sums are read per package. */
	if (n == 0 || name[0] == '.' || strchr(name, '/') || (n > 8 && strcmp(name + n - 8, ".md5sums") == 0))
		return 0;
	return dpkg_parse_status(ud, data, path);
}

static int run(cat_run *r)
{
	sv data;
	int rc = 0;
	if (fsview_get(r->view, "/var/lib/dpkg/status", &data))
		rc = dpkg_parse_status(r, data, "/var/lib/dpkg/status");
	if (!rc)
		rc = fsview_each(r->view, STATUS_D, each_status_d, r);
	return rc;
}

const cataloger cataloger_dpkg = {"dpkg", claims, sizeof(claims) / sizeof(claims[0]), run};
