/* The rpm header blob parser: the index (tag, type, offset, count) and the data
 * store, as the rpm database keeps one per installed package, and the
 * translation of the tags we use into a lading_package with its file list.
 *
 * A blob is big-endian: il (entry count), dl (data size), il 16-byte entries,
 * then dl bytes of data. rpm_header_init checks the index once; every accessor
 * then re-checks the bytes it reads (strings terminated inside the store,
 * arrays inside it), so no tag can make us read past the blob. Region tags
 * (61-63) and the dribble entries rpm appends after the region are ordinary
 * index entries to us: we look tags up in the whole index and take the first. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog/rpm/rpm.h"

enum {
	T_NULL = 0,
	T_CHAR = 1,
	T_INT8 = 2,
	T_INT16 = 3,
	T_INT32 = 4,
	T_INT64 = 5,
	T_STRING = 6,
	T_BIN = 7,
	T_STRING_ARRAY = 8,
	T_I18NSTRING = 9,
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int rpm_header_init(rpm_header *h, sv blob, const char **why)
{
	const unsigned char *p = (const unsigned char *)blob.p;
	*why = NULL;
	if (blob.n < 8) {
		*why = "shorter than the 8-byte preamble";
		return -LADING_EFORMAT;
	}
	uint32_t il = be32(p), dl = be32(p + 4);
	if (il == 0 || il > RPM_MAX_IL) {
		*why = "index entry count out of range";
		return -LADING_EFORMAT;
	}
	if (dl > RPM_MAX_DL) {
		*why = "data size out of range";
		return -LADING_EFORMAT;
	}
	/* both bounded above, so this cannot overflow 64 bits */
	uint64_t need = 8 + (uint64_t)il * 16 + dl;
	if (need > blob.n) {
		*why = "index and data run past the end of the blob";
		return -LADING_EFORMAT;
	}
	h->il = il;
	h->dl = dl;
	h->index = p + 8;
	h->data = p + 8 + (size_t)il * 16;
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *e = h->index + (size_t)i * 16;
		uint32_t type = be32(e + 4), off = be32(e + 8);
		if (type > T_I18NSTRING) {
			*why = "index entry with an unknown type";
			return -LADING_EFORMAT;
		}
		if (off > dl) {
			*why = "index entry offset outside the data store";
			return -LADING_EFORMAT;
		}
		/* rpm stores integers naturally aligned inside the store */
		if ((type == T_INT16 && off % 2) || (type == T_INT32 && off % 4) ||
		    (type == T_INT64 && off % 8)) {
			*why = "misaligned integer entry";
			return -LADING_EFORMAT;
		}
	}
	return 0;
}

/* Finds the first entry for `tag`; NULL if absent. */
static const unsigned char *find(const rpm_header *h, uint32_t tag)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *e = h->index + (size_t)i * 16;
		if (be32(e) == tag)
			return e;
	}
	return NULL;
}

/* Length of the NUL-terminated string at `off`, or -1 if it is not terminated
 * inside the data store. */
static int64_t str_len(const rpm_header *h, uint32_t off)
{
	if (off >= h->dl)
		return -1;
	const unsigned char *z = memchr(h->data + off, 0, h->dl - off);
	return z ? z - (h->data + off) : -1;
}

/* A single string: STRING, or the first of an I18NSTRING / STRING_ARRAY
 * (rpm's own headerGetString does the same). 1 found, 0 absent, -1 malformed. */
static int get_string(const rpm_header *h, uint32_t tag, const char **out)
{
	const unsigned char *e = find(h, tag);
	*out = NULL;
	if (!e)
		return 0;
	uint32_t type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
	if ((type != T_STRING && type != T_I18NSTRING && type != T_STRING_ARRAY) || count == 0)
		return -1;
	if (str_len(h, off) < 0)
		return -1;
	*out = (const char *)h->data + off;
	return 1;
}

/* A string array of `count` strings, each terminated inside the store; the
 * pointers go into an array allocated in `a`. 1 found, 0 absent, -1 malformed,
 * -2 out of memory. */
static int get_strings(const rpm_header *h, arena *a, uint32_t tag, const char ***out, uint32_t *count)
{
	const unsigned char *e = find(h, tag);
	*out = NULL;
	*count = 0;
	if (!e)
		return 0;
	uint32_t type = be32(e + 4), off = be32(e + 8), n = be32(e + 12);
	if (type != T_STRING_ARRAY && type != T_I18NSTRING)
		return -1;
	/* each string takes at least its NUL, so n is bounded by the store */
	if (n > h->dl - off || n > RPM_MAX_FILES)
		return -1;
	const char **v = arena_alloc(a, (n ? n : 1) * sizeof(*v));
	if (!v)
		return -2;
	uint32_t pos = off;
	for (uint32_t i = 0; i < n; i++) {
		int64_t len = str_len(h, pos);
		if (len < 0)
			return -1;
		v[i] = (const char *)h->data + pos;
		pos += (uint32_t)len + 1;
	}
	*out = v;
	*count = n;
	return 1;
}

/* An INT32 array; *out points at big-endian data in the store. 1/0/-1 as above. */
static int get_int32s(const rpm_header *h, uint32_t tag, const unsigned char **out, uint32_t *count)
{
	const unsigned char *e = find(h, tag);
	*out = NULL;
	*count = 0;
	if (!e)
		return 0;
	uint32_t type = be32(e + 4), off = be32(e + 8), n = be32(e + 12);
	if (type != T_INT32 || (uint64_t)off + (uint64_t)n * 4 > h->dl)
		return -1;
	*out = h->data + off;
	*count = n;
	return 1;
}

/* A CHAR or INT8 array (one byte per element): 1, 0 absent, -1 malformed. */
static int get_bytes(const rpm_header *h, uint32_t tag, const unsigned char **out, uint32_t *count)
{
	const unsigned char *e = find(h, tag);
	*out = NULL;
	*count = 0;
	if (!e)
		return 0;
	uint32_t type = be32(e + 4), off = be32(e + 8), n = be32(e + 12);
	if ((type != T_CHAR && type != T_INT8) || (uint64_t)off + n > h->dl)
		return -1;
	*out = h->data + off;
	*count = n;
	return 1;
}

/* Names for RPMTAG_FILEDIGESTALGO values (rpm's PGPHASHALGO_*); NULL = unknown. */
static const char *digest_algo_name(uint32_t algo)
{
	switch (algo) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 3:
		return "ripemd160";
	case 5:
		return "md2";
	case 6:
		return "tiger192";
	case 7:
		return "haval-5-160";
	case 8:
		return "sha256";
	case 9:
		return "sha384";
	case 10:
		return "sha512";
	case 11:
		return "sha224";
	}
	return NULL;
}

/* Splits "name-version-release.src.rpm" from the right. */
static int parse_source_rpm(rpm_pkg *out, const char *srpm, const char *epoch)
{
	sv s = sv_cstr(srpm);
	if (sv_ends_with(s, SV_LIT(".src.rpm")))
		s.n -= 8;
	else if (sv_ends_with(s, SV_LIT(".nosrc.rpm")))
		s.n -= 10;
	else
		return 0;
	size_t r = s.n;
	while (r > 0 && s.p[r - 1] != '-')
		r--;
	if (r < 2 || r == s.n)
		return 0;
	size_t v = r - 1;
	while (v > 0 && s.p[v - 1] != '-')
		v--;
	if (v < 2 || v == r - 1)
		return 0;
	/* the source rpm name carries no epoch; it is the binary's (trivy does the same) */
	out->pkg.source_name = arena_strndup(&out->a, s.p, v - 1);
	out->pkg.source_version = epoch ? arena_printf(&out->a, "%s:%.*s", epoch, (int)(s.n - v), s.p + v)
					: arena_strndup(&out->a, s.p + v, s.n - v);
	return out->pkg.source_name && out->pkg.source_version ? 0 : -LADING_ENOMEM;
}

/* Builds the file list. Returns 0 (files set, or files_warning set and no
 * files) or -LADING_ENOMEM. */
static int read_files(rpm_pkg *out, const rpm_header *h, size_t blob_len)
{
	arena *a = &out->a;
	const char **base = NULL, **dirs = NULL, **digests = NULL;
	const unsigned char *dirindex = NULL, *flags = NULL, *algo = NULL, *states = NULL;
	uint32_t nbase = 0, ndirs = 0, ndig = 0, nidx = 0, nflags = 0, nalgo = 0, nstates = 0;
	bool old_names = false;

	int rc = get_strings(h, a, RPMTAG_BASENAMES, &base, &nbase);
	if (rc == 0) {
		/* rpm < 4 wrote whole paths in OLDFILENAMES instead */
		rc = get_strings(h, a, RPMTAG_OLDFILENAMES, &base, &nbase);
		old_names = true;
	}
	if (rc == -2)
		return -LADING_ENOMEM;
	if (rc == 0)
		return 0; /* no files: a meta package or gpg-pubkey */
	if (rc < 0) {
		out->files_warning = "malformed file name tag; file list dropped";
		return 0;
	}
	if (!old_names) {
		int r1 = get_strings(h, a, RPMTAG_DIRNAMES, &dirs, &ndirs);
		if (r1 == -2)
			return -LADING_ENOMEM;
		int r2 = get_int32s(h, RPMTAG_DIRINDEXES, &dirindex, &nidx);
		if (r1 != 1 || r2 != 1 || nidx != nbase) {
			out->files_warning = "missing or inconsistent DIRNAMES/DIRINDEXES; file list dropped";
			return 0;
		}
	}
	int rd = get_strings(h, a, RPMTAG_FILEDIGESTS, &digests, &ndig);
	if (rd == -2)
		return -LADING_ENOMEM;
	if (rd != 1 || ndig != nbase)
		digests = NULL;
	if (get_int32s(h, RPMTAG_FILEFLAGS, &flags, &nflags) != 1 || nflags != nbase)
		flags = NULL;
	/* Files rpm did not install (`--nodocs`, `--excludedocs`, another
	 * architecture's copy of a multilib file) or that another package's copy
	 * replaced are listed with a state other than "normal" (0): they are not
	 * this package's files on disk, so they are left out, as `rpm -V` does. */
	if (get_bytes(h, RPMTAG_FILESTATES, &states, &nstates) != 1 || nstates != nbase)
		states = NULL;
	const char *alg = "md5"; /* rpm's default when the tag is absent */
	if (get_int32s(h, RPMTAG_FILEDIGESTALGO, &algo, &nalgo) == 1 && nalgo >= 1)
		alg = digest_algo_name(be32(algo));

	/* A hostile header can name one huge directory for every file; bound the
	 * bytes of paths we build by the size of the blob they came from. */
	uint64_t budget = (uint64_t)blob_len * 16, used = 0;
	lading_pkg_file *files = arena_alloc(a, (size_t)nbase * sizeof(*files));
	if (!files)
		return -LADING_ENOMEM;
	uint32_t k = 0;
	for (uint32_t i = 0; i < nbase; i++) {
		if (states && states[i] != 0)
			continue;
		const char *dir = "";
		if (!old_names) {
			uint32_t di = be32(dirindex + (size_t)i * 4);
			if (di >= ndirs) {
				out->files_warning = "directory index out of range; file list dropped";
				return 0;
			}
			dir = dirs[di];
		}
		size_t dl = strlen(dir), bl = strlen(base[i]);
		used += dl + bl + 1;
		if (used > budget) {
			out->files_warning = "file paths far larger than the header; file list dropped";
			return 0;
		}
		char *path = arena_alloc(a, dl + bl + 1);
		if (!path)
			return -LADING_ENOMEM;
		memcpy(path, dir, dl);
		memcpy(path + dl, base[i], bl + 1);
		files[k].path = path;
		files[k].digest = NULL;
		if (digests && digests[i][0] && alg) {
			files[k].digest = arena_printf(a, "%s:%s", alg, digests[i]);
			if (!files[k].digest)
				return -LADING_ENOMEM;
		}
		files[k].config = flags ? (int)(be32(flags + (size_t)i * 4) & 1) : 0; /* RPMFILE_CONFIG */
		k++;
	}
	out->pkg.files = files;
	out->pkg.nfiles = k;
	return 0;
}

int rpm_pkg_from_blob(rpm_pkg *out, sv blob, const char *db_path, const char **why)
{
	return rpm_pkg_from_blob_ex(out, blob, db_path, true, why);
}

int rpm_pkg_from_blob_ex(rpm_pkg *out, sv blob, const char *db_path, bool files, const char **why)
{
	memset(out, 0, sizeof(*out));
	out->pkg.type = LADING_PKG_RPM;
	out->pkg.layer = -1;
	out->pkg.db_path = db_path;

	rpm_header h;
	int rc = rpm_header_init(&h, blob, why);
	if (rc)
		return rc;

	lading_package *p = &out->pkg;
	const char *name, *ver, *rel;
	if (get_string(&h, RPMTAG_NAME, &name) != 1 || !*name) {
		*why = "missing or malformed NAME";
		return -LADING_EFORMAT;
	}
	if (get_string(&h, RPMTAG_VERSION, &ver) != 1) {
		*why = "missing or malformed VERSION";
		return -LADING_EFORMAT;
	}
	if (get_string(&h, RPMTAG_RELEASE, &rel) < 0) {
		*why = "malformed RELEASE";
		return -LADING_EFORMAT;
	}
	const unsigned char *ep;
	uint32_t nep;
	int re = get_int32s(&h, RPMTAG_EPOCH, &ep, &nep);
	if (re < 0 || (re == 1 && nep < 1)) {
		*why = "malformed EPOCH";
		return -LADING_EFORMAT;
	}
	struct {
		uint32_t tag;
		const char **dst;
	} opt[] = {
	    {RPMTAG_ARCH, &p->arch},
	    {RPMTAG_SOURCERPM, &p->source_rpm},
	    {RPMTAG_LICENSE, &p->license},
	    {RPMTAG_VENDOR, &p->maintainer},
	    {RPMTAG_MODULARITYLABEL, &p->modularity_label},
	};
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if (get_string(&h, opt[i].tag, opt[i].dst) < 0) {
			*why = "malformed string tag (ARCH, SOURCERPM, LICENSE, VENDOR or MODULARITYLABEL)";
			return -LADING_EFORMAT;
		}
	}

	/* rpm stores the literal "(none)" as the source rpm of gpg-pubkey entries */
	if (p->source_rpm && strcmp(p->source_rpm, "(none)") == 0)
		p->source_rpm = NULL;
	if (p->arch && strcmp(p->arch, "(none)") == 0)
		p->arch = NULL;
	p->name = name;
	p->rpm_version = ver;
	p->rpm_release = rel;
	if (re == 1 && !(p->epoch = arena_printf(&out->a, "%u", be32(ep))))
		return -LADING_ENOMEM;
	p->version = arena_printf(&out->a, "%s%s%s%s%s", p->epoch ? p->epoch : "", p->epoch ? ":" : "", ver,
				  rel ? "-" : "", rel ? rel : "");
	if (!p->version)
		return -LADING_ENOMEM;
	if (p->source_rpm && (rc = parse_source_rpm(out, p->source_rpm, p->epoch)))
		return rc;
	return files ? read_files(out, &h, blob.n) : 0;
}

void rpm_pkg_free(rpm_pkg *p)
{
	if (p)
		arena_free(&p->a);
}

/* For the database readers (sqlite.c, ndb.c, bdb.c), which sit below rpm.c. */
void rpm_warnf(const rpm_sink *sink, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sink->warn(sink->ud, msg);
}
