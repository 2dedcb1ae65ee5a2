/* Java archives: .jar/.war/.ear and friends, read as zip files from memory
 * (libarchive, never extracted to disk), plus the Maven poms that Debian's
 * Java packages install under /usr/share/maven-repo.
 *
 * In an archive, every META-INF/maven/<group>/<artifact>/pom.properties is a
 * package (a shaded or fat jar carries several). An archive with none falls
 * back to its META-INF/MANIFEST.MF, from which the coordinates can only be
 * guessed (rules below, in manifest_package). Archives inside the archive
 * (WEB-INF/lib/x.jar in a war, BOOT-INF/lib/x.jar in a Spring Boot jar, jars
 * in an ear) are read the same way from memory, to a depth limit and within
 * two budgets of bytes inflated: one per outer file, and one for the whole
 * image (file_run.nested, shared by every file of every layer, on every
 * thread), so that a zip bomb, or thirty of them, costs bounded time and
 * memory. When one is used up, what is not read is named in a warning.
 *
 * Each package gets db_path = the archive it was found in: the file's path,
 * or "<outer path>!/<entry path>" for a nested archive (the notation of Java's
 * jar: URLs). Its files are [0] that archive, with the SHA-1 of its bytes as
 * digest "sha1:<hex>" (the key Maven Central's search by checksum uses), and
 * [1] the entry the coordinates were read from ("…!/META-INF/MANIFEST.MF"
 * marks a guess; "…/pom.properties" is what the build wrote). */
#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "ctx.h"
#include "fs/fsview.h"
#include "lading/lading.h"

static const cat_claim claims[] = {
    {CLAIM_SUFFIX, NULL, ".jar"},
    {CLAIM_SUFFIX, NULL, ".war"},
    {CLAIM_SUFFIX, NULL, ".ear"},
    {CLAIM_SUFFIX, NULL, ".par"},  /* JBoss/Hibernate persistence archives */
    {CLAIM_SUFFIX, NULL, ".sar"},  /* JBoss service archives */
    {CLAIM_SUFFIX, NULL, ".nar"},  /* Apache NiFi archives */
    {CLAIM_SUFFIX, NULL, ".jpi"},  /* Jenkins plugins */
    {CLAIM_SUFFIX, NULL, ".hpi"},  /* Jenkins (Hudson) plugins */
    {CLAIM_SUFFIX, NULL, ".kar"},  /* Apache Karaf feature archives: jars under repository/ */
    {CLAIM_SUFFIX, NULL, ".lpkg"}, /* Liferay packages: a zip of jars */
    {CLAIM_SUFFIX, "/usr/share/maven-repo/", ".pom"},
};

/* Nested archives are recognised by the same suffixes, in any case. */
static const char *const archive_suffixes[] = {".jar", ".war", ".ear", ".par", ".sar",
					       ".nar", ".jpi", ".hpi", ".kar", ".lpkg"};

enum {
	MAX_DEPTH = 4,		/* archive in archive in … below the file itself */
	MAX_META = 1 << 20,	/* one MANIFEST.MF or pom.properties */
	MAX_NESTED = 256 << 20, /* one nested archive, uncompressed */
	BUDGET = 512 << 20,	/* bytes decompressed from one outer file: nested archives and
				 * metadata; also bounds the memory the nested buffers hold at once */
	MAX_VALUE = 256,	/* a group, artifact or version */
	MAX_ENTRIES = 1 << 20,	/* zip entries looked at, all levels together */
	MAX_PACKAGES = 1 << 14, /* per outer file */
	MAX_RETRIES = 16,	/* ARCHIVE_RETRY answers in a row before giving up */
};

typedef struct jctx {
	file_run *run;
	uint64_t budget;      /* what this file may still inflate */
	byte_budget *image;   /* what the image may still inflate, or NULL */
	size_t entries, npkgs;
	bool stop; /* a whole-file limit was hit: read no further */
} jctx;

/* What bounded the bytes an entry may inflate (reserve()). */
typedef enum bound { BY_CAP, BY_DECLARED, BY_FILE, BY_IMAGE } bound;

/* Takes from the budgets what reading one entry may inflate: its cap, or
 * less when the entry says it is smaller (zip records each entry's size), or
 * when less is left of this file's budget or of the image's. The image's
 * share is taken now, so that walks on other threads cannot take it too;
 * settle() gives back what was not used. */
static uint64_t reserve(jctx *j, struct archive_entry *e, uint64_t cap, bound *by)
{
	uint64_t want = cap;
	*by = BY_CAP;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 && (uint64_t)archive_entry_size(e) < want) {
		want = (uint64_t)archive_entry_size(e);
		*by = BY_DECLARED;
	}
	if (j->budget < want) {
		want = j->budget;
		*by = BY_FILE;
	}
	if (j->image) {
		uint64_t got = budget_take_upto(j->image, want);
		if (got < want) {
			want = got;
			*by = BY_IMAGE;
		}
	}
	return want;
}

/* `used` of the `reserved` bytes were inflated and kept. */
static void settle(jctx *j, uint64_t reserved, uint64_t used)
{
	j->budget -= used < j->budget ? used : j->budget;
	if (j->image && reserved > used)
		budget_give(j->image, reserved - used);
}

/* Says why an entry was not read whole (it is `over` the bytes reserve()
 * allowed, bounded `by`) and whether the rest of the file is skipped. */
static void over_budget(jctx *j, const char *where, const char *name, uint64_t allowed, bound by)
{
	switch (by) {
	case BY_CAP: file_warn(j->run, "%s!/%s: over %llu bytes; skipped", where, name, (unsigned long long)allowed); break;
	case BY_DECLARED:
		file_warn(j->run, "%s!/%s: larger than the %llu bytes it declares; skipped", where, name,
			  (unsigned long long)allowed);
		break;
	case BY_FILE:
		file_warn(j->run, "%s!/%s: over the budget of %llu decompressed bytes per file; rest skipped", where,
			  name, (unsigned long long)BUDGET);
		j->stop = true;
		break;
	case BY_IMAGE:
		file_warn(j->run,
			  "%s!/%s: not read: the image's budget of bytes decompressed from archives inside files "
			  "is used up (--max-nested-size); rest skipped",
			  where, name);
		j->stop = true;
		break;
	}
}

static bool has_archive_suffix(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(archive_suffixes) / sizeof(archive_suffixes[0]); i++) {
		size_t s = strlen(archive_suffixes[i]);
		if (n > s && strncasecmp(name + n - s, archive_suffixes[i], s) == 0)
			return true;
	}
	return false;
}

/* A coordinate must be short, printable and one line: it ends up in purls,
 * table cells and OSV queries. */
static bool good_value(sv v)
{
	if (v.n == 0 || v.n > MAX_VALUE)
		return false;
	for (size_t i = 0; i < v.n; i++)
		if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7f)
			return false;
	return true;
}

/* A Maven groupId as Maven itself validates it: [A-Za-z0-9_.-]+. */
static bool looks_like_group(sv v)
{
	if (!good_value(v))
		return false;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Next physical line, ending in "\n", "\r\n" or a lone "\r" (all three are
 * legal in manifests and properties files). */
static bool next_line(sv *s, sv *line)
{
	if (!s->n)
		return false;
	size_t i = 0;
	while (i < s->n && s->p[i] != '\n' && s->p[i] != '\r')
		i++;
	*line = sv_make(s->p, i);
	if (i < s->n && s->p[i] == '\r') {
		i++;
		if (i < s->n && s->p[i] == '\n')
			i++;
	} else if (i < s->n) {
		i++;
	}
	s->p += i;
	s->n -= i;
	return true;
}

static sv trim_ws(sv v)
{
	while (v.n && (v.p[0] == ' ' || v.p[0] == '\t' || v.p[0] == '\f'))
		v.p++, v.n--;
	while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t' || v.p[v.n - 1] == '\f'))
		v.n--;
	return v;
}

/* ---- one package ------------------------------------------------------------ */

static int add_package(jctx *j, const char *where, const char *sha1, sv group, sv artifact, sv version,
		       const char *entry)
{
	if (j->npkgs >= MAX_PACKAGES) {
		if (!j->stop)
			file_warn(j->run, "more than %d packages in one archive; the rest skipped",
				  MAX_PACKAGES);
		j->stop = true;
		return 0;
	}
	char *g = strndup(group.p, group.n), *a = strndup(artifact.p, artifact.n),
	     *v = strndup(version.p, version.n);
	char *ev = NULL;
	int rc = -LADING_ENOMEM;
	if (g && a && v && asprintf(&ev, "%s!/%s", where, entry) >= 0) {
		lading_pkg_file files[2] = {{.path = where, .digest = sha1}, {.path = ev}};
		lading_package p = {.type = LADING_PKG_MAVEN,
				    .namespace_ = g,
				    .name = a,
				    .version = v,
				    .db_path = where,
				    .nfiles = 2,
				    .files = files};
		rc = inv_add_package(j->run->inv, &p);
		j->npkgs++;
	} else {
		ev = NULL;
	}
	free(g);
	free(a);
	free(v);
	free(ev);
	return rc;
}

/* ---- pom.properties ---------------------------------------------------------- */

/* A Java properties file, only as far as the three keys need: "key=value",
 * "key: value" or "key value"; '#' and '!' comments. A value continued with a
 * trailing backslash, or holding an escape, is not trusted (none of Maven's
 * are written that way). `dir_group`/`dir_artifact` come from the entry's
 * path and stand in for a missing key. */
static int pom_properties(jctx *j, const char *where, const char *sha1, const char *entry, sv text,
			  sv dir_group, sv dir_artifact)
{
	sv group = {0}, artifact = {0}, version = {0};
	bool bad_group = false, bad_artifact = false, bad_version = false, cont = false;
	sv line;
	while (next_line(&text, &line)) {
		bool was_cont = cont;
		size_t bs = 0;
		while (bs < line.n && line.p[line.n - 1 - bs] == '\\')
			bs++;
		cont = bs % 2 == 1;
		if (was_cont)
			continue;
		line = trim_ws(line);
		if (!line.n || line.p[0] == '#' || line.p[0] == '!')
			continue;
		size_t k = 0;
		while (k < line.n && line.p[k] != '=' && line.p[k] != ':' && line.p[k] != ' ' &&
		       line.p[k] != '\t' && line.p[k] != '\f')
			k++;
		sv key = sv_make(line.p, k), val = sv_make(line.p + k, line.n - k);
		val = trim_ws(val);
		if (val.n && (val.p[0] == '=' || val.p[0] == ':'))
			val = trim_ws(sv_make(val.p + 1, val.n - 1));
		bool trusted = !cont && sv_find(val, '\\') == SIZE_MAX;
		if (sv_eq_cstr(key, "groupId"))
			group = val, bad_group = !trusted;
		else if (sv_eq_cstr(key, "artifactId"))
			artifact = val, bad_artifact = !trusted;
		else if (sv_eq_cstr(key, "version"))
			version = val, bad_version = !trusted;
	}
	if (!group.n && !bad_group)
		group = dir_group;
	if (!artifact.n && !bad_artifact)
		artifact = dir_artifact;
	if (bad_group || bad_artifact || bad_version || !looks_like_group(group) || !good_value(artifact) ||
	    !good_value(version)) {
		file_warn(j->run, "%s!/%s: no usable groupId, artifactId and version; skipped", where, entry);
		return 0;
	}
	return add_package(j, where, sha1, group, artifact, version, entry);
}

/* ---- MANIFEST.MF ------------------------------------------------------------- */

enum {
	M_IMPL_TITLE,
	M_IMPL_VERSION,
	M_IMPL_VENDOR_ID,
	M_IMPL_VENDOR,
	M_SPEC_TITLE,
	M_SPEC_VERSION,
	M_SPEC_VENDOR,
	M_BUNDLE_SYMBOLIC,
	M_BUNDLE_NAME,
	M_BUNDLE_VERSION,
	M_N
};
static const char *const manifest_keys[M_N] = {
    "Implementation-Title", "Implementation-Version", "Implementation-Vendor-Id", "Implementation-Vendor",
    "Specification-Title",  "Specification-Version",  "Specification-Vendor",	  "Bundle-SymbolicName",
    "Bundle-Name",	    "Bundle-Version",
};

typedef struct manifest {
	buf v[M_N][2]; /* [0] main section, [1] first occurrence in a per-entry section */
	bool set[M_N][2];
} manifest;

static void manifest_free(manifest *m)
{
	for (int i = 0; i < M_N; i++)
		buf_free(&m->v[i][0]), buf_free(&m->v[i][1]);
}

/* "Name: value" lines in sections separated by blank lines, a line starting
 * with one space continuing the previous value. Returns 0 or -LADING_ENOMEM
 * (a value over its cap is dropped, not an error). */
static int manifest_read(manifest *m, sv text)
{
	int section = 0;
	buf *cur = NULL;
	sv line;
	while (next_line(&text, &line)) {
		if (!line.n) {
			section = 1;
			cur = NULL;
			continue;
		}
		int rc = 0;
		if (line.p[0] == ' ') {
			if (cur)
				rc = buf_append(cur, line.p + 1, line.n - 1);
		} else {
			cur = NULL;
			size_t c = sv_find(line, ':');
			if (c == SIZE_MAX)
				continue;
			sv key = sv_make(line.p, c);
			for (int i = 0; i < M_N; i++) {
				if (key.n != strlen(manifest_keys[i]) ||
				    strncasecmp(key.p, manifest_keys[i], key.n) != 0 || m->set[i][section])
					continue;
				m->set[i][section] = true;
				cur = &m->v[i][section];
				cur->max = 4096;
				rc = buf_append(cur, line.p + c + 1, line.n - c - 1);
				break;
			}
		}
		if (rc == -LADING_ELIMIT) {
			/* too long to be a coordinate: forget it */
			cur->n = 0;
			if (cur->p)
				cur->p[0] = 0;
			cur = NULL;
		} else if (rc) {
			return rc;
		}
	}
	return 0;
}

static sv manifest_get(const manifest *m, int k)
{
	for (int s = 0; s < 2; s++) {
		sv v =
		    m->set[k][s] && m->v[k][s].p ? trim_ws(sv_make(m->v[k][s].p, m->v[k][s].n)) : (sv){"", 0};
		if (v.n)
			return v;
	}
	return (sv){"", 0};
}

/* The guess from a manifest, for an archive without pom.properties. These are
 * go-dep-parser's offline rules (what trivy reports), except that a vendor
 * name is never taken for a group unless it is spelled like one:
 *   artifact = Implementation-Title, else Specification-Title, else Bundle-Name
 *   version  = Implementation-Version, else Specification-Version, else Bundle-Version
 *   group    = Implementation-Vendor-Id; else Bundle-SymbolicName without its
 *              directives and last dot-component ("org.springframework.core" ->
 *              "org.springframework"); else Implementation-Vendor or
 *              Specification-Vendor if it is a dotted groupId ("org.apache",
 *              not "The Apache Software Foundation").
 * Without all three no package is reported: a Maven name without a group can
 * be neither matched nor written as a purl. */
static int manifest_package(jctx *j, const char *where, const char *sha1, sv text)
{
	manifest m = {0};
	int rc = manifest_read(&m, text);
	if (rc)
		goto out;
	sv artifact = manifest_get(&m, M_IMPL_TITLE);
	if (!artifact.n)
		artifact = manifest_get(&m, M_SPEC_TITLE);
	if (!artifact.n)
		artifact = manifest_get(&m, M_BUNDLE_NAME);
	sv version = manifest_get(&m, M_IMPL_VERSION);
	if (!version.n)
		version = manifest_get(&m, M_SPEC_VERSION);
	if (!version.n)
		version = manifest_get(&m, M_BUNDLE_VERSION);
	sv group = manifest_get(&m, M_IMPL_VENDOR_ID);
	if (!looks_like_group(group)) {
		sv sym = manifest_get(&m, M_BUNDLE_SYMBOLIC);
		sym = trim_ws(sv_split(&sym, ';'));
		size_t dot = SIZE_MAX;
		for (size_t i = 0; i < sym.n; i++)
			if (sym.p[i] == '.')
				dot = i;
		group = dot != SIZE_MAX && dot > 0 ? sv_make(sym.p, dot) : (sv){"", 0};
	}
	static const int vendors[] = {M_IMPL_VENDOR, M_SPEC_VENDOR};
	for (size_t k = 0; !looks_like_group(group) && k < sizeof(vendors) / sizeof(vendors[0]); k++) {
		group = manifest_get(&m, vendors[k]);
		if (sv_find(group, '.') == SIZE_MAX)
			group = (sv){"", 0};
	}
	if (looks_like_group(group) && good_value(artifact) && good_value(version))
		rc = add_package(j, where, sha1, group, artifact, version, "META-INF/MANIFEST.MF");
out:
	manifest_free(&m);
	return rc;
}

/* ---- the zip reader ---------------------------------------------------------- */

/* Reads the current entry whole, up to `max` bytes: 0, -LADING_ELIMIT when
 * longer, -LADING_EFORMAT when libarchive cannot decode it, -LADING_ENOMEM. */
static int read_entry(struct archive *a, struct archive_entry *e, size_t max, char **out, size_t *outlen)
{
	size_t cap = 0, n = 0;
	char *p = NULL;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0) {
		/* a hint only, and a hostile one: never trust it beyond 16 MiB */
		uint64_t hint = (uint64_t)archive_entry_size(e) + 1;
		cap = (size_t)(hint < max + 1 ? hint : max + 1);
		if (cap > (16u << 20))
			cap = 16u << 20;
		if (!(p = malloc(cap)))
			return -LADING_ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1 << 16;
			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap) {
				free(p);
				return -LADING_ELIMIT;
			}
			char *q = realloc(p, ncap);
			if (!q) {
				free(p);
				return -LADING_ENOMEM;
			}
			p = q;
			cap = ncap;
		}
		la_ssize_t r = archive_read_data(a, p + n, cap - n);
		if (r < 0) {
			free(p);
			return -LADING_EFORMAT;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(p);
		return -LADING_ELIMIT;
	}
	*out = p;
	*outlen = n;
	return 0;
}

static int read_archive(jctx *j, sv data, const char *where, int depth, const blob *src);

/* A nested archive over BLOB_SPOOL_MIN (its announced size, within the
 * limits): spooled to a temporary file and read from there, so that it costs
 * the pages read, not its size, in memory. */
static int visit_large_nested(jctx *j, struct archive *a, struct archive_entry *e, const char *where, int depth,
			      uint64_t reserved)
{
	const char *name = archive_entry_pathname(e);
	blob *b = NULL;
	const char *why = NULL;
	uint64_t size = (uint64_t)archive_entry_size(e);
	int rc = blob_read(&b, NULL, 0, size, blob_archive_read, a, ctx_tmp_dir(j->run->ctx), &why);
	if (rc == -LADING_EIO || rc == -LADING_EFORMAT) {
		file_warn(j->run, "%s!/%s: %s; skipped", where, name,
			  rc == -LADING_EIO ? why : archive_error_string(a) ? archive_error_string(a) : "unreadable");
		settle(j, reserved, reserved); /* inflated, if not kept */
		return 0;
	}
	if (rc) {
		settle(j, reserved, 0);
		return rc;
	}
	settle(j, reserved, b->len);
	char *inner = NULL;
	if (asprintf(&inner, "%s!/%s", where, name) < 0)
		rc = -LADING_ENOMEM;
	else
		rc = read_archive(j, sv_make(b->data, b->len), inner, depth + 1, b);
	free(inner);
	blob_unref(b);
	return rc;
}

/* Reads one entry the catalog cares about; everything else is skipped
 * without being decompressed. `*have_props` is set when a pom.properties
 * gave a package. `*mf` receives the manifest bytes (caller frees). */
static int visit_entry(jctx *j, struct archive *a, struct archive_entry *e, const char *where,
		       const char *sha1, int depth, bool *have_props, char **mf, size_t *mflen)
{
	const char *name = archive_entry_pathname(e);
	if (!name || archive_entry_filetype(e) != AE_IFREG)
		return 0;
	sv nm = sv_cstr(name);
	sv g = {0}, art = {0};
	enum { NONE, PROPS, MANIFEST, NESTED } kind = NONE;
	if (nm.n > 2 * strlen("/pom.properties") && sv_starts_with(nm, SV_LIT("META-INF/maven/")) &&
	    sv_ends_with(nm, SV_LIT("/pom.properties"))) {
		/* the "<group>/<artifact>" between the two */
		sv rest = sv_make(nm.p + strlen("META-INF/maven/"), nm.n - 2 * strlen("/pom.properties"));
		g = sv_split(&rest, '/');
		art = sv_split(&rest, '/');
		kind = PROPS;
		/* only META-INF/maven/<group>/<artifact>/pom.properties names its coordinates */
		if (rest.n || !g.n || !art.n)
			g = art = (sv){"", 0};
	} else if (strcasecmp(name, "META-INF/MANIFEST.MF") == 0) {
		kind = *mf ? NONE : MANIFEST;
	} else if (has_archive_suffix(nm.p, nm.n)) {
		kind = NESTED;
	}
	if (kind == NONE)
		return 0;
	if (kind == NESTED && depth >= MAX_DEPTH) {
		file_warn(j->run, "%s!/%s: archives nested deeper than %d levels are not read", where, name,
			  MAX_DEPTH);
		return 0;
	}
	bound by;
	uint64_t cap = kind == NESTED ? MAX_NESTED : MAX_META;
	size_t max = (size_t)reserve(j, e, cap, &by);
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 && (uint64_t)archive_entry_size(e) > max) {
		/* it says it is more than it may be: not worth inflating to find out */
		settle(j, max, 0);
		over_budget(j, where, name, max, by);
		return 0;
	}
	if (kind == NESTED && archive_entry_size_is_set(e) && archive_entry_size(e) > BLOB_SPOOL_MIN &&
	    (uint64_t)archive_entry_size(e) <= max)
		return visit_large_nested(j, a, e, where, depth, max);
	char *p = NULL;
	size_t n = 0;
	int rc = read_entry(a, e, max, &p, &n);
	if (rc == -LADING_ELIMIT) {
		settle(j, max, max); /* inflated to find out */
		over_budget(j, where, name, max, by);
		return 0;
	}
	if (rc == -LADING_EFORMAT) {
		settle(j, max, max);
		file_warn(j->run, "%s!/%s: cannot be decompressed (%s); skipped", where, name,
			  archive_error_string(a));
		return 0;
	}
	settle(j, max, rc ? 0 : n);
	if (rc)
		return rc;
	if (kind == PROPS) {
		size_t before = j->npkgs;
		rc = pom_properties(j, where, sha1, name, sv_make(p, n), g, art);
		if (j->npkgs > before)
			*have_props = true;
	} else if (kind == MANIFEST) {
		*mf = p;
		*mflen = n;
		return 0;
	} else {
		char *inner = NULL;
		if (asprintf(&inner, "%s!/%s", where, name) < 0)
			rc = -LADING_ENOMEM;
		else
			rc = read_archive(j, sv_make(p, n), inner, depth + 1, NULL);
		free(inner);
	}
	free(p);
	return rc;
}

/* SHA-1 of an archive's bytes (what Maven Central is searched by), a window
 * at a time: a large mapped archive is released behind the hash. */
static int archive_sha1(sv data, const blob *src, char out[5 + 2 * EVP_MAX_MD_SIZE + 1])
{
	enum { WINDOW = 1 << 20 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1;
	for (size_t off = 0; ok && off < data.n; off += WINDOW) {
		size_t k = data.n - off < WINDOW ? data.n - off : WINDOW;
		ok = EVP_DigestUpdate(c, data.p + off, k) == 1;
		blob_release(src, off, off + k);
	}
	ok = ok && EVP_DigestFinal_ex(c, md, &mdlen) == 1;
	EVP_MD_CTX_free(c);
	if (!ok)
		return -LADING_ENOMEM;
	memcpy(out, "sha1:", 5);
	hex_encode(out + 5, md, mdlen);
	return 0;
}

/* Reads the zip in `data`; `src` is the mapped blob data lies in, if any,
 * released after each entry (libarchive reads a zip in memory by seeking, so
 * the pages of an entry read are not needed again). */
static int read_archive(jctx *j, sv data, const char *where, int depth, const blob *src)
{
	char sha1[5 + 2 * EVP_MAX_MD_SIZE + 1];
	if (archive_sha1(data, src, sha1) != 0)
		return -LADING_ENOMEM;

	struct archive *a = archive_read_new();
	if (!a)
		return -LADING_ENOMEM;
	int rc = 0;
	char *mf = NULL;
	size_t mflen = 0;
	bool have_props = false;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data.p, data.n) != ARCHIVE_OK) {
		file_warn(j->run, "%s: not a zip archive (%s); skipped", where, archive_error_string(a));
		goto out;
	}
	int retries = 0;
	while (!rc && !j->stop) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY && ++retries < MAX_RETRIES)
			continue;
		if (r < ARCHIVE_WARN) {
			file_warn(j->run, "%s: unreadable zip (%s); rest skipped", where,
				  archive_error_string(a));
			break;
		}
		retries = 0;
		if (++j->entries > MAX_ENTRIES) {
			file_warn(j->run, "more than %d zip entries in one file; rest skipped", MAX_ENTRIES);
			j->stop = true;
			break;
		}
		rc = visit_entry(j, a, e, where, sha1, depth, &have_props, &mf, &mflen);
		blob_release(src, 0, data.n);
	}
	if (!rc && !have_props && mf)
		rc = manifest_package(j, where, sha1, sv_make(mf, mflen));
out:
	free(mf);
	archive_read_free(a);
	return rc;
}

/* ---- Debian's /usr/share/maven-repo ---------------------------------------- */

/* Debian installs each Java library's pom at the Maven repository layout
 * <group path>/<artifact>/<version>/<artifact>-<version>.pom, so the path
 * gives the real Maven coordinates even when the jar has no pom.properties.
 * Left out: maven-repo-helper's aliases for whatever version is installed
 * (the "debian" version and the "3.x", "1.2.x" style ones, some of which are
 * relocation stubs and some full copies), any relocation stub, and parent/BOM
 * poms (packaging "pom": they ship no code). */
static int maven_repo_pom(file_run *run, sv data)
{
	const char *at = strstr(run->path, "/usr/share/maven-repo/");
	if (!at)
		return 0;
	sv rel = sv_cstr(at + strlen("/usr/share/maven-repo/"));
	size_t parts[4] = {0}, np = 0; /* ends of the last components */
	for (size_t i = 0; i <= rel.n; i++)
		if (i == rel.n || rel.p[i] == '/') {
			memmove(parts, parts + 1, sizeof(parts) - sizeof(parts[0]));
			parts[3] = i;
			np++;
		}
	if (np < 4)
		return 0;
	/* rel = group/…/artifact/version/file; parts[0] ends the group */
	sv group = sv_make(rel.p, parts[0]);
	sv artifact = sv_make(rel.p + parts[0] + 1, parts[1] - parts[0] - 1);
	sv version = sv_make(rel.p + parts[1] + 1, parts[2] - parts[1] - 1);
	sv file = sv_make(rel.p + parts[2] + 1, parts[3] - parts[2] - 1);
	if (!artifact.n || !version.n || sv_eq_cstr(version, "debian") || sv_eq_cstr(version, "x") ||
	    sv_ends_with(version, SV_LIT(".x")) || file.n != artifact.n + version.n + 5 ||
	    memcmp(file.p, artifact.p, artifact.n) != 0 || file.p[artifact.n] != '-' ||
	    memcmp(file.p + artifact.n + 1, version.p, version.n) != 0)
		return 0;
	if (sv_find_sv(data, SV_LIT("<relocation>")) != SIZE_MAX)
		return 0;
	size_t pk = sv_find_sv(data, SV_LIT("<packaging>"));
	if (pk != SIZE_MAX) {
		sv rest = sv_make(data.p + pk + strlen("<packaging>"), data.n - pk - strlen("<packaging>"));
		size_t end = sv_find(rest, '<');
		if (end != SIZE_MAX && sv_eq_cstr(sv_trim(sv_make(rest.p, end)), "pom"))
			return 0;
	}
	char *g = strndup(group.p, group.n), *a = strndup(artifact.p, artifact.n),
	     *v = strndup(version.p, version.n);
	int rc = -LADING_ENOMEM;
	if (g && a && v) {
		for (char *q = g; *q; q++)
			if (*q == '/')
				*q = '.';
		if (!looks_like_group(sv_cstr(g)) || !good_value(sv_cstr(a)) || !good_value(sv_cstr(v))) {
			file_warn(run, "not a Maven repository path; skipped");
			rc = 0;
		} else {
			lading_package p = {.type = LADING_PKG_MAVEN,
					    .namespace_ = g,
					    .name = a,
					    .version = v,
					    .db_path = run->path};
			rc = inv_add_package(run->inv, &p);
		}
	}
	free(g);
	free(a);
	free(v);
	return rc;
}

static int parse(file_run *run, sv data)
{
	if (sv_ends_with(sv_cstr(run->path), SV_LIT(".pom")))
		return maven_repo_pom(run, data);
	jctx j = {.run = run, .budget = BUDGET, .image = run->nested};
	return read_archive(&j, data, run->path, 0, run->blob);
}

const file_cataloger file_cataloger_java = {"java", claims,	sizeof(claims) / sizeof(claims[0]),
					    NULL,   512u << 20, parse};
