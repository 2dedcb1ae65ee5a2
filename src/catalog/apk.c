/* The apk cataloger: Alpine (and Wolfi, postmarketOS, ...) packages from
 * /lib/apk/db/installed.
 *
 * The database is a list of records separated by blank lines; each line is
 * "K:value" with a one-letter key. We keep P (name), V (version), A (arch),
 * o (origin: the source package, which Alpine's secdb keys advisories on),
 * L (license) and m (maintainer), taking the first occurrence of each as apk
 * itself does. Files are F (a directory, relative to /) followed by R (a file
 * in the last F) and Z (that file's checksum: "Q1" + base64 SHA-1, or "Q2" +
 * base64 SHA-256). A record without P or V is skipped with a warning naming
 * the file and the record's first line; lines that are not "K:value" are
 * ignored. */
#include "catalog/ospkg.h"

#include <stdlib.h>

#include "lading/lading.h"

enum {
	MAX_RECORDS = 1 << 20,
	MAX_FILES = 1 << 20, /* per package */
};

#define APK_DB "/lib/apk/db/installed"

static const cat_claim claims[] = {
    {CLAIM_EXACT, APK_DB, NULL},
};

typedef struct afile {
	sv dir, name, sum;
} afile;

typedef struct record {
	size_t line; /* first line, 1-based; 0 = empty record */
	sv f[6];     /* P V A o L m */
	bool have[6];
	sv dir;
	VEC(afile) files;
	bool last_is_r; /* a Z line belongs to the R just before it */
	bool too_many;
} record;

static const char keys[] = "PVAoLm";

static void record_reset(record *r)
{
	r->line = 0;
	memset(r->f, 0, sizeof(r->f));
	memset(r->have, 0, sizeof(r->have));
	r->dir = sv_make("", 0);
	r->files.n = 0;
	r->last_is_r = false;
	r->too_many = false;
}

/* "Q1<base64 sha1>" -> "sha1:<hex>"; NULL (and no error) if malformed. */
static int checksum(const char **out, arena *a, sv sum)
{
	unsigned char raw[32];
	size_t n = 0;
	*out = NULL;
	if (sum.n < 3 || sum.p[0] != 'Q')
		return 0;
	const char *alg = sum.p[1] == '1' ? "sha1" : sum.p[1] == '2' ? "sha256" : NULL;
	size_t want = sum.p[1] == '1' ? 20 : 32;
	if (!alg || !base64_decode(raw, sizeof(raw), &n, sv_make(sum.p + 2, sum.n - 2)) || n != want)
		return 0;
	char hex[65];
	hex_encode(hex, raw, n);
	*out = arena_printf(a, "%s:%s", alg, hex);
	return *out ? 0 : -LADING_ENOMEM;
}

static char *dup_opt(arena *a, sv s) { return s.n ? arena_sv(a, s) : NULL; }

/* Adds the finished record. Returns 0 or -LADING_ENOMEM. */
static int flush(cat_run *run, record *r, const char *db_path)
{
	if (r->line == 0)
		return 0;
	sv name = sv_trim(r->f[0]), version = sv_trim(r->f[1]);
	if (name.n == 0 || version.n == 0) {
		cat_warn(run, "apk: %s: record at line %zu has no %s; skipped", db_path, r->line,
			 name.n ? "V (version)" : "P (name)");
		return 0;
	}
	if (r->too_many)
		cat_warn(run, "apk: %s: package %.*s lists more than %d files; the rest are left out",
			 db_path, (int)(name.n > 256 ? 256 : name.n), name.p, MAX_FILES);
	arena a = {0};
	sv origin = sv_trim(r->f[3]);
	lading_package p = {
	    .type = LADING_PKG_APK,
	    .layer = -1,
	    .db_path = db_path,
	};
	p.name = dup_opt(&a, name);
	p.version = dup_opt(&a, version);
	p.arch = dup_opt(&a, sv_trim(r->f[2]));
	/* apk sets a package's origin to itself when it has no subpackages */
	p.source_name = dup_opt(&a, origin.n ? origin : name);
	p.source_version = p.version;
	p.license = dup_opt(&a, sv_trim(r->f[4]));
	p.maintainer = dup_opt(&a, sv_trim(r->f[5]));
	int rc = 0;
	if (!p.name || !p.version || !p.source_name || (r->f[2].n && !p.arch) || (r->f[4].n && !p.license) ||
	    (r->f[5].n && !p.maintainer))
		rc = -LADING_ENOMEM;
	lading_pkg_file *files = NULL;
	if (!rc && r->files.n) {
		size_t bytes;
		files = mul_overflows(r->files.n, sizeof(*files), &bytes) ? NULL : arena_alloc(&a, bytes);
		if (!files)
			rc = -LADING_ENOMEM;
	}
	for (size_t i = 0; !rc && i < r->files.n; i++) {
		const afile *f = &r->files.v[i];
		lading_pkg_file *o = &files[i];
		o->config = 0;
		if (f->dir.n)
			o->path = arena_printf(&a, "/%.*s/%.*s", (int)f->dir.n, f->dir.p, (int)f->name.n,
					       f->name.p);
		else
			o->path = arena_printf(&a, "/%.*s", (int)f->name.n, f->name.p);
		if (!o->path)
			rc = -LADING_ENOMEM;
		else
			rc = checksum(&o->digest, &a, f->sum);
	}
	p.files = files;
	p.nfiles = rc ? 0 : r->files.n;
	if (!rc)
		rc = inv_add_package(run->inv, &p);
	arena_free(&a);
	return rc;
}

int apk_parse_installed(cat_run *run, sv data, const char *db_path)
{
	record r = {0};
	size_t lineno = 0, nrec = 0;
	int rc = 0;
	sv line;
	record_reset(&r);
	while (rc == 0 && sv_next_line(&data, &line)) {
		lineno++;
		if (sv_trim(line).n == 0) {
			rc = flush(run, &r, db_path);
			record_reset(&r);
			continue;
		}
		if (r.line == 0) {
			if (++nrec > MAX_RECORDS) {
				cat_warn(run, "apk: %s: more than %d records; the rest are left out", db_path,
					 MAX_RECORDS);
				break;
			}
			r.line = lineno;
		}
		if (line.n < 2 || line.p[1] != ':')
			continue;
		char k = line.p[0];
		sv val = sv_make(line.p + 2, line.n - 2);
		const char *slot = memchr(keys, k, sizeof(keys) - 1);
		bool was_r = r.last_is_r;
		r.last_is_r = false;
		if (slot) {
			size_t i = (size_t)(slot - keys);
			if (!r.have[i]) {
				r.f[i] = val;
				r.have[i] = true;
			}
		} else if (k == 'F') {
			r.dir = sv_strip_char(val, '/');
		} else if (k == 'R') {
			if (r.files.n >= MAX_FILES) {
				r.too_many = true;
				continue;
			}
			afile f = {r.dir, val, sv_make("", 0)};
			if (val.n == 0)
				continue;
			rc = vec_push(&r.files, f);
			r.last_is_r = rc == 0;
		} else if (k == 'Z' && was_r) {
			r.files.v[r.files.n - 1].sum = val;
		} else if (k == 'a' && was_r) {
			r.last_is_r = true; /* "a:" (owner and mode) may sit between R and Z */
		}
	}
	if (rc == 0)
		rc = flush(run, &r, db_path);
	vec_free(&r.files);
	return rc;
}

static int run(cat_run *r)
{
	sv data;
	if (!fsview_get(r->view, APK_DB, &data))
		return 0;
	return apk_parse_installed(r, data, APK_DB);
}

const cataloger cataloger_apk = {"apk", claims, sizeof(claims) / sizeof(claims[0]), run};
