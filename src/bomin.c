/* Reading lading's own JSON back: a lading.sbom/v1 or lading.scan/v1
 * document (docs/formats.md) becomes the inventory it was written from, so
 * that a stored BOM can be matched again later with nothing lost: the image
 * and its layers, the OS, every package with every field (binary and CPE
 * packages, rpm fields, owned files), the warnings with their details and
 * the file integrity summary and findings. Writing what was read gives the
 * same bytes again (tests/cli/bom_roundtrip.sh); the image's target is the
 * original one, not the sbom: file's name.
 *
 * The input is hostile: a service reads back what its store holds, a user
 * names any file as sbom:FILE. Every value's type is checked, every
 * string's length and every array's count is bounded (bomin.h), every
 * reference (a package's layer, a finding's package and layer) must
 * resolve, and a failure names the file and the JSON path of the bad value
 * (jq's syntax), never the value's bytes. Keys this reader does not know
 * are ignored (v1 only ever adds keys); a key an older v1 writer did not
 * write yet reads as unknown, except those without which a record means
 * nothing (the schema, the image, the package list, a package's id and
 * type, a layer's index, a finding's kind, a warning's message). What is
 * derived is not read but recomputed by the writers: layer diff_ids and
 * digests repeated in packages and findings (checked against the layers),
 * unpackaged_by_directory, and a scan's findings and summary. */
#include "bomin.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ctx.h"
#include "inventory.h"

enum { OPT = 0, NEED = 1, NOTNULL = 2 };

typedef struct rd {
	lading_ctx *ctx;
	lading_inventory *inv;
	const char *file; /* the host file, NULL for memory */
	char path[192];   /* the JSON path being read: ".packages[3].files" */
	size_t plen;
	VEC(lading_pkg_file) files; /* one package's files, reused */
	const lading_package **by_id; /* packages sorted by id, for findings */
} rd;

/* ---- where we are, and failing there ----------------------------------------- */

/* Appends ".key" (or "[idx]" when key is NULL) to the path; returns the
 * length to go back to with leave(). */
static size_t enter(rd *r, const char *key, size_t idx)
{
	size_t old = r->plen, room = sizeof(r->path) - old;
	int n = key ? snprintf(r->path + old, room, ".%s", key) : snprintf(r->path + old, room, "[%zu]", idx);
	if (n > 0)
		r->plen = (size_t)n < room ? old + (size_t)n : sizeof(r->path) - 1;
	return old;
}

static void leave(rd *r, size_t old)
{
	r->plen = old;
	r->path[old] = 0;
}

/* Records a failure at the path, or at its member `key` when given. */
static int fail(rd *r, int code, const char *reason, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(rd *r, int code, const char *reason, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	size_t old = key ? enter(r, key, 0) : r->plen;
	const char *at = r->plen ? r->path : ".";
	int rc = ctx_fail(r->ctx, code, reason, CTX_WHERE(.file = r->file, .record = at), "%s: %s: %s",
			  r->file ? r->file : "BOM", at, what);
	leave(r, old);
	return rc;
}

#define BAD(r, key, ...) fail((r), LADING_EFORMAT, "bom.format", (key), __VA_ARGS__)
#define BADREF(r, key, ...) fail((r), LADING_EFORMAT, "bom.reference", (key), __VA_ARGS__)

/* ---- typed members ------------------------------------------------------------ */

/* obj[key] when present and not null, else NULL (a failure when `flags`
 * say it must be there). */
static int member(rd *r, const json_t *obj, const char *key, int flags, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return flags & NEED ? BAD(r, key, "missing") : 0;
	if (json_is_null(v))
		return flags & NOTNULL ? BAD(r, key, "null where a value is required") : 0;
	*out = v;
	return 0;
}

/* `v` (the member `key`, or the path itself when NULL) as a bounded string. */
static int as_str(rd *r, const json_t *v, const char *key, const char **out)
{
	if (!json_is_string(v))
		return BAD(r, key, "not a string");
	if (json_string_length(v) > BOM_MAX_STRING)
		return fail(r, LADING_ELIMIT, "bom.limit", key, "a string longer than %u bytes", BOM_MAX_STRING);
	*out = json_string_value(v);
	return 0;
}

/* A string or null; the string is the document's (copied by whoever keeps it). */
static int get_str(rd *r, const json_t *obj, const char *key, int flags, const char **out)
{
	json_t *v;
	*out = NULL;
	int rc = member(r, obj, key, flags, &v);
	return rc || !v ? rc : as_str(r, v, key, out);
}

/* An integer in [lo, hi], or `dflt` when absent or null. */
static int get_int(rd *r, const json_t *obj, const char *key, int flags, json_int_t lo, json_int_t hi,
		   json_int_t dflt, json_int_t *out)
{
	json_t *v;
	*out = dflt;
	int rc = member(r, obj, key, flags, &v);
	if (rc || !v)
		return rc;
	if (!json_is_integer(v))
		return BAD(r, key, "not an integer");
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return BAD(r, key, "out of range (%lld to %lld)", (long long)lo, (long long)hi);
	*out = json_integer_value(v);
	return 0;
}

/* A byte count: the writer's null stands for "past 2^63-1" (`if_null`). */
static int get_u64(rd *r, const json_t *obj, const char *key, uint64_t if_null, uint64_t *out)
{
	json_int_t v;
	int rc = get_int(r, obj, key, OPT, 0, INT64_MAX, -1, &v);
	*out = v < 0 ? (json_object_get(obj, key) ? if_null : 0) : (uint64_t)v;
	return rc;
}

/* A boolean (never null in our documents); absent reads as false. */
static int get_bool(rd *r, const json_t *obj, const char *key, int *out)
{
	json_t *v;
	*out = 0;
	int rc = member(r, obj, key, NOTNULL, &v);
	if (rc || !v)
		return rc;
	if (!json_is_boolean(v))
		return BAD(r, key, "not a boolean");
	*out = json_is_true(v);
	return 0;
}

/* An array of at most `max` elements (arrays are never null); NULL when absent. */
static int get_array(rd *r, const json_t *obj, const char *key, int flags, size_t max, json_t **out)
{
	int rc = member(r, obj, key, flags | NOTNULL, out);
	if (rc || !*out)
		return rc;
	if (!json_is_array(*out))
		return BAD(r, key, "not an array");
	if (json_array_size(*out) > max)
		return fail(r, LADING_ELIMIT, "bom.limit", key, "more than %zu elements", max);
	return 0;
}

/* An object or null (NULL). */
static int get_object(rd *r, const json_t *obj, const char *key, int flags, json_t **out)
{
	int rc = member(r, obj, key, flags, out);
	return rc || !*out || json_is_object(*out) ? rc : BAD(r, key, "not an object");
}

/* Element i of an array, which must be an object; the path is then at it. */
static int elem_object(rd *r, const json_t *arr, size_t i, json_t **out)
{
	*out = json_array_get(arr, i);
	return json_is_object(*out) ? 0 : BAD(r, NULL, "not an object");
}

/* ---- string members by table --------------------------------------------------- */

/* A member of a struct read from the JSON key of the same name: where it goes. */
typedef struct keyed {
	const char *key;
	size_t off;
} keyed;
#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))

static const char **slot(void *dst, const keyed *k) { return (const char **)(void *)((char *)dst + k->off); }

/* Reads every key of the table into `dst` (strings or NULL). */
static int get_strs(rd *r, const json_t *obj, void *dst, const keyed *keys, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = get_str(r, obj, keys[i].key, OPT, slot(dst, &keys[i]));
	return rc;
}

/* Replaces every string of the table in `dst` by its copy in the inventory. */
static int dup_strs(rd *r, void *dst, const keyed *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char **s = slot(dst, &keys[i]);
		if (*s && !(*s = arena_str(&r->inv->a, *s)))
			return -LADING_ENOMEM;
	}
	return 0;
}

static const keyed image_keys[] = {
    {"target", offsetof(lading_image_info, target)},
    {"source_kind", offsetof(lading_image_info, source_kind)},
    {"name", offsetof(lading_image_info, name)},
    {"manifest_digest", offsetof(lading_image_info, manifest_digest)},
    {"config_digest", offsetof(lading_image_info, config_digest)},
    {"os", offsetof(lading_image_info, os)},
    {"architecture", offsetof(lading_image_info, architecture)},
    {"variant", offsetof(lading_image_info, variant)},
};
static const keyed layer_keys[] = {
    {"digest", offsetof(lading_layer, digest)},
    {"diff_id", offsetof(lading_layer, diff_id)},
    {"media_type", offsetof(lading_layer, media_type)},
    {"created_by", offsetof(lading_layer, created_by)},
};
static const keyed os_keys[] = {
    {"id", offsetof(lading_os, id)},
    {"version_id", offsetof(lading_os, version_id)},
    {"codename", offsetof(lading_os, codename)},
    {"pretty_name", offsetof(lading_os, pretty_name)},
    {"id_like", offsetof(lading_os, id_like)},
    {"version", offsetof(lading_os, version)},
};
static const keyed pkg_keys[] = {
    {"name", offsetof(lading_package, name)},
    {"version", offsetof(lading_package, version)},
    {"arch", offsetof(lading_package, arch)},
    {"source_name", offsetof(lading_package, source_name)},
    {"source_version", offsetof(lading_package, source_version)},
    {"license", offsetof(lading_package, license)},
    {"purl", offsetof(lading_package, purl)},
    {"db_path", offsetof(lading_package, db_path)},
    {"epoch", offsetof(lading_package, epoch)},
    {"rpm_version", offsetof(lading_package, rpm_version)},
    {"rpm_release", offsetof(lading_package, rpm_release)},
    {"source_rpm", offsetof(lading_package, source_rpm)},
    {"modularity_label", offsetof(lading_package, modularity_label)},
    {"maintainer", offsetof(lading_package, maintainer)},
    {"namespace", offsetof(lading_package, namespace_)},
    {"cpe", offsetof(lading_package, cpe)},
    {"found_by", offsetof(lading_package, found_by)},
};
static const keyed pkg_file_keys[] = {
    {"path", offsetof(lading_pkg_file, path)},
    {"digest", offsetof(lading_pkg_file, digest)},
};
static const keyed finding_keys[] = {
    {"path", offsetof(lading_file_finding, path)},
    {"real_path", offsetof(lading_file_finding, real_path)},
    {"expected", offsetof(lading_file_finding, expected)},
    {"actual", offsetof(lading_file_finding, actual)},
};
static const keyed warning_keys[] = {
    {"code", offsetof(lading_warning, code)},
    {"cataloger", offsetof(lading_warning, cataloger)},
    {"path", offsetof(lading_warning, path)},
};
/* the summary's counts (uint64_t) */
static const keyed summary_keys[] = {
    {"files_in_image", offsetof(lading_integrity_summary, files_in_image)},
    {"packages", offsetof(lading_integrity_summary, packages)},
    {"files_checked", offsetof(lading_integrity_summary, files_checked)},
    {"files_unverifiable", offsetof(lading_integrity_summary, files_unverifiable)},
    {"modified", offsetof(lading_integrity_summary, modified)},
    {"modified_config", offsetof(lading_integrity_summary, modified_config)},
    {"missing", offsetof(lading_integrity_summary, missing)},
    {"unpackaged", offsetof(lading_integrity_summary, unpackaged)},
    {"files_excluded", offsetof(lading_integrity_summary, files_excluded)},
};

static bool streq_null(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

/* ---- the image, its layers, the OS --------------------------------------------- */

static int read_layers(rd *r, const json_t *img)
{
	json_t *arr, *o;
	int rc = get_array(r, img, "layers", OPT, BOM_MAX_LAYERS, &arr);
	size_t at = enter(r, "layers", 0);
	for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
		size_t here = enter(r, NULL, i);
		lading_layer l = {0};
		json_int_t idx = 0;
		rc = elem_object(r, arr, i, &o);
		if (!rc)
			rc = get_int(r, o, "index", NEED | NOTNULL, 0, INT_MAX, 0, &idx);
		if (!rc && (size_t)idx != i)
			rc = BAD(r, "index", "not the layer's position in the array");
		l.index = (int)idx;
		if (!rc)
			rc = get_strs(r, o, &l, layer_keys, NKEYS(layer_keys));
		if (!rc)
			rc = get_u64(r, o, "size", UINT64_MAX, &l.size);
		if (!rc)
			rc = get_u64(r, o, "uncompressed_size", UINT64_MAX, &l.uncompressed_size);
		if (!rc)
			rc = inv_add_layer(r->inv, &l);
		leave(r, here);
	}
	leave(r, at);
	return rc;
}

static int read_image(rd *r, const json_t *root)
{
	lading_inventory *inv = r->inv;
	json_t *img, *tags;
	int rc = get_object(r, root, "image", NEED | NOTNULL, &img);
	if (rc)
		return rc;
	size_t at = enter(r, "image", 0);
	rc = get_strs(r, img, &inv->image, image_keys, NKEYS(image_keys));
	if (!rc)
		rc = dup_strs(r, &inv->image, image_keys, NKEYS(image_keys));
	if (!rc)
		rc = get_array(r, img, "tags", OPT, BOM_MAX_TAGS, &tags);
	for (size_t i = 0; !rc && i < json_array_size(tags); i++) {
		const char *t;
		size_t here = enter(r, "tags", 0);
		enter(r, NULL, i);
		rc = as_str(r, json_array_get(tags, i), NULL, &t);
		leave(r, here);
		if (!rc && (!(t = arena_str(&inv->a, t)) || vec_push(&inv->tags, t)))
			rc = -LADING_ENOMEM;
	}
	if (!rc)
		rc = read_layers(r, img);
	leave(r, at);
	return rc;
}

static int read_os(rd *r, const json_t *root)
{
	json_t *o;
	lading_os os = {0};
	int rc = get_object(r, root, "os", OPT, &o);
	if (rc || !o)
		return rc;
	size_t at = enter(r, "os", 0);
	rc = get_strs(r, o, &os, os_keys, NKEYS(os_keys));
	leave(r, at);
	return rc ? rc : inv_set_os(r->inv, &os);
}

/* ---- packages ------------------------------------------------------------------- */

static int package_type(rd *r, const char *name, lading_pkg_type *out)
{
	static const lading_pkg_type known[] = {
	    LADING_PKG_DPKG,   LADING_PKG_APK,	 LADING_PKG_RPM,      LADING_PKG_NPM,	LADING_PKG_PYPI,
	    LADING_PKG_GEM,    LADING_PKG_GOLANG, LADING_PKG_CARGO,    LADING_PKG_MAVEN, LADING_PKG_COMPOSER,
	    LADING_PKG_NUGET, LADING_PKG_BINARY,
	};
	for (size_t i = 0; i < NKEYS(known); i++) {
		if (strcmp(name, lading_pkg_type_name(known[i])) == 0) {
			*out = known[i];
			return 0;
		}
	}
	return fail(r, LADING_EUNSUPP, "bom.package_type", "type", "not a package type this lading knows");
}

/* The package's layer: {"index", "diff_id"}, which must be the layer's. */
static int package_layer(rd *r, const json_t *o, int *layer)
{
	json_t *lo;
	json_int_t idx;
	const char *diff_id;
	int rc = get_object(r, o, "layer", OPT, &lo);
	if (rc || !lo)
		return rc;
	size_t at = enter(r, "layer", 0);
	rc = get_int(r, lo, "index", NEED | NOTNULL, 0, INT_MAX, 0, &idx);
	if (!rc && (size_t)idx >= r->inv->layers.n)
		rc = BADREF(r, "index", "names no layer of the document (it has %zu)", r->inv->layers.n);
	if (!rc)
		rc = get_str(r, lo, "diff_id", OPT, &diff_id);
	if (!rc && !streq_null(diff_id, r->inv->layers.v[idx].diff_id))
		rc = BADREF(r, "diff_id", "not the diff_id of the layer it indexes");
	*layer = (int)idx;
	leave(r, at);
	return rc;
}

static int package_files(rd *r, const json_t *o, lading_package *p)
{
	json_t *arr, *fo;
	int rc = get_array(r, o, "files", OPT, BOM_MAX_FILES, &arr);
	size_t n = json_array_size(arr), at = enter(r, "files", 0);
	r->files.n = 0;
	if (!rc && n && vec_reserve(&r->files, n))
		rc = -LADING_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		size_t here = enter(r, NULL, i);
		lading_pkg_file *f = &r->files.v[r->files.n++];
		*f = (lading_pkg_file){0};
		rc = elem_object(r, arr, i, &fo);
		if (!rc)
			rc = get_strs(r, fo, f, pkg_file_keys, NKEYS(pkg_file_keys));
		if (!rc)
			rc = get_bool(r, fo, "config", &f->config);
		leave(r, here);
	}
	leave(r, at);
	p->files = r->files.v;
	p->nfiles = r->files.n;
	return rc;
}

static int read_package(rd *r, const json_t *o)
{
	lading_package p = {.layer = -1};
	const char *type;
	int rc = get_str(r, o, "id", NEED | NOTNULL, &p.id);
	if (!rc)
		rc = get_str(r, o, "type", NEED | NOTNULL, &type);
	if (!rc)
		rc = package_type(r, type, &p.type);
	if (!rc)
		rc = get_strs(r, o, &p, pkg_keys, NKEYS(pkg_keys));
	if (!rc)
		rc = package_layer(r, o, &p.layer);
	if (!rc)
		rc = get_bool(r, o, "declared", &p.declared);
	if (!rc)
		rc = package_files(r, o, &p);
	return rc ? rc : inv_add_package(r->inv, &p);
}

static int read_packages(rd *r, const json_t *root)
{
	json_t *arr, *o;
	int rc = get_array(r, root, "packages", NEED, BOM_MAX_PACKAGES, &arr);
	size_t at = enter(r, "packages", 0);
	if (!rc && vec_reserve(&r->inv->pkgs, json_array_size(arr)))
		rc = -LADING_ENOMEM;
	for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
		size_t here = enter(r, NULL, i);
		rc = ctx_check(r->ctx);
		if (!rc)
			rc = elem_object(r, arr, i, &o);
		if (!rc)
			rc = read_package(r, o);
		leave(r, here);
	}
	leave(r, at);
	return rc;
}

/* ---- packages by id, for the findings ---------------------------------------------- */

static int cmp_by_id(const void *x, const void *y)
{
	const lading_package *a = *(const lading_package *const *)x, *b = *(const lading_package *const *)y;
	int c = strcmp(a->id, b->id);
	return c ? c : (a > b) - (a < b);
}

static int index_ids(rd *r)
{
	size_t n = r->inv->pkgs.n;
	if (!n)
		return 0;
	if (!(r->by_id = calloc(n, sizeof(*r->by_id))))
		return -LADING_ENOMEM;
	for (size_t i = 0; i < n; i++)
		r->by_id[i] = &r->inv->pkgs.v[i];
	qsort(r->by_id, n, sizeof(*r->by_id), cmp_by_id);
	return 0;
}

/* The index of the first package (in inventory order) whose id is `id`, or -1. */
static int64_t package_by_id(const rd *r, const char *id)
{
	size_t lo = 0, hi = r->inv->pkgs.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(r->by_id[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->inv->pkgs.n || strcmp(r->by_id[lo]->id, id) != 0)
		return -1;
	return (int64_t)(r->by_id[lo] - r->inv->pkgs.v);
}

/* ---- file integrity --------------------------------------------------------------------- */

static int finding_kind(rd *r, const char *name, lading_file_finding_kind *out)
{
	for (int k = LADING_FILE_MODIFIED; k <= LADING_FILE_UNPACKAGED; k++) {
		if (strcmp(name, lading_file_finding_kind_name((lading_file_finding_kind)k)) == 0) {
			*out = (lading_file_finding_kind)k;
			return 0;
		}
	}
	return fail(r, LADING_EUNSUPP, "bom.finding_kind", "kind", "not a file finding kind this lading knows");
}

/* package_id and package_name: the package's, both null, or no package. */
static int finding_package(rd *r, const json_t *o, lading_file_finding *f)
{
	const char *id, *name;
	int rc = get_str(r, o, "package_id", OPT, &id);
	if (!rc)
		rc = get_str(r, o, "package_name", OPT, &name);
	if (rc)
		return rc;
	f->package = id ? package_by_id(r, id) : -1;
	if (id && f->package < 0)
		return BADREF(r, "package_id", "names no package of the document");
	if (!streq_null(name, id ? r->inv->pkgs.v[f->package].name : NULL))
		return BADREF(r, "package_name", "not the name of the package package_id names");
	return 0;
}

/* layer and layer_digest: a layer of the document and its digest, or both null. */
static int finding_layer(rd *r, const json_t *o, lading_file_finding *f)
{
	json_int_t idx;
	const char *digest;
	int rc = get_int(r, o, "layer", OPT, 0, INT_MAX, -1, &idx);
	if (!rc && idx >= 0 && (size_t)idx >= r->inv->layers.n)
		rc = BADREF(r, "layer", "names no layer of the document (it has %zu)", r->inv->layers.n);
	if (!rc)
		rc = get_str(r, o, "layer_digest", OPT, &digest);
	if (!rc && !streq_null(digest, idx >= 0 ? r->inv->layers.v[idx].digest : NULL))
		rc = BADREF(r, "layer_digest", "not the digest of the layer it names");
	f->layer = (int)idx;
	return rc;
}

static int read_finding(rd *r, const json_t *o, lading_file_finding *f)
{
	const char *kind;
	json_int_t mode = 0;
	*f = (lading_file_finding){.package = -1, .layer = -1};
	int rc = get_str(r, o, "kind", NEED | NOTNULL, &kind);
	if (!rc)
		rc = finding_kind(r, kind, &f->kind);
	if (!rc)
		rc = get_strs(r, o, f, finding_keys, NKEYS(finding_keys));
	if (!rc)
		rc = finding_package(r, o, f);
	if (!rc)
		rc = finding_layer(r, o, f);
	/* size and mode are null for a missing file (no real_path) */
	if (!rc)
		rc = get_u64(r, o, "size", f->real_path ? UINT64_MAX : 0, &f->size);
	if (!rc)
		rc = get_int(r, o, "mode", OPT, 0, 07777, 0, &mode);
	/* The JSON has the permission bits only: every file a finding names in
	 * the image is a regular file (the integrity check hashes no other). */
	f->mode = (uint32_t)mode | (f->real_path ? S_IFREG : 0);
	if (!rc)
		rc = get_bool(r, o, "config", &f->config);
	if (!rc)
		rc = get_bool(r, o, "elf", &f->elf);
	return rc ? rc : dup_strs(r, f, finding_keys, NKEYS(finding_keys));
}

static int read_integrity(rd *r, const json_t *root)
{
	lading_inventory *inv = r->inv;
	json_t *fi, *sum, *arr, *o;
	int rc = get_object(r, root, "file_integrity", OPT, &fi);
	if (rc || !fi)
		return rc;
	size_t at = enter(r, "file_integrity", 0);
	rc = get_object(r, fi, "summary", NEED | NOTNULL, &sum);
	size_t here = enter(r, "summary", 0);
	for (size_t i = 0; !rc && i < NKEYS(summary_keys); i++)
		rc = get_u64(r, sum, summary_keys[i].key, UINT64_MAX,
			     (uint64_t *)(void *)((char *)&inv->isum + summary_keys[i].off));
	leave(r, here);
	if (!rc)
		rc = get_array(r, fi, "findings", NEED, BOM_MAX_FINDINGS, &arr);
	size_t n = json_array_size(arr);
	if (!rc && n && !(inv->ffind = arena_alloc(&inv->a, n * sizeof(*inv->ffind))))
		rc = -LADING_ENOMEM; /* n * size cannot overflow: n <= BOM_MAX_FINDINGS */
	here = enter(r, "findings", 0);
	for (size_t i = 0; !rc && i < n; i++) {
		size_t el = enter(r, NULL, i);
		rc = ctx_check(r->ctx);
		if (!rc)
			rc = elem_object(r, arr, i, &o);
		if (!rc)
			rc = read_finding(r, o, &inv->ffind[i]);
		leave(r, el);
	}
	leave(r, here);
	leave(r, at);
	if (!rc) {
		inv->nffind = n;
		inv->integrity = true;
	}
	return rc;
}

/* ---- warnings ------------------------------------------------------------------------------ */

/* Warning i from "warning_details" (when the document has it) and
 * "warnings" (its messages: the same text when both are there). */
static int read_warning(rd *r, const json_t *details, const json_t *texts, size_t i, lading_warning *w)
{
	json_t *o;
	json_int_t layer = -1;
	const char *text = NULL;
	int rc = 0;
	*w = (lading_warning){.layer = -1};
	if (texts) {
		size_t at = enter(r, "warnings", 0);
		enter(r, NULL, i);
		rc = as_str(r, json_array_get(texts, i), NULL, &text);
		leave(r, at);
	}
	w->message = text;
	if (rc || !details)
		return rc;
	size_t at = enter(r, "warning_details", 0);
	enter(r, NULL, i);
	rc = elem_object(r, details, i, &o);
	if (!rc)
		rc = get_str(r, o, "message", NEED | NOTNULL, &w->message);
	if (!rc && text && strcmp(text, w->message) != 0)
		rc = BAD(r, "message", "not the text of the same warning in .warnings");
	if (!rc)
		rc = get_strs(r, o, w, warning_keys, NKEYS(warning_keys));
	if (!rc)
		rc = get_int(r, o, "layer", OPT, 0, INT_MAX, -1, &layer);
	w->layer = (int)layer;
	leave(r, at);
	return rc;
}

static int read_warnings(rd *r, const json_t *root)
{
	lading_inventory *inv = r->inv;
	json_t *texts = NULL, *details = NULL;
	int rc = get_array(r, root, "warnings", OPT, inv->max_warnings, &texts);
	if (!rc)
		rc = get_array(r, root, "warning_details", OPT, inv->max_warnings, &details);
	if (!rc && texts && details && json_array_size(texts) != json_array_size(details))
		rc = BAD(r, "warning_details", "not as many warnings as .warnings lists");
	size_t n = json_array_size(details ? details : texts);
	for (size_t i = 0; !rc && i < n; i++) {
		lading_warning w;
		rc = read_warning(r, details, texts, i, &w);
		/* the inventory keeps a warning's code as it is (a static token) */
		if (!rc && w.code && !(w.code = arena_str(&inv->a, w.code)))
			rc = -LADING_ENOMEM;
		size_t before = inv->warnings.n;
		if (!rc)
			inv_warn_copy(inv, &w, -1);
		if (!rc && inv->warnings.n != before + 1)
			rc = -LADING_ENOMEM;
	}
	return rc;
}

/* ---- the document ----------------------------------------------------------------------- */

bool bom_is_lading(const json_t *root) { return json_is_object(root) && json_object_get(root, "schema"); }

static int read_doc(rd *r, const json_t *root)
{
	const char *schema;
	if (!json_is_object(root))
		return BAD(r, NULL, "not a JSON object");
	int rc = get_str(r, root, "schema", NEED | NOTNULL, &schema);
	if (!rc && strcmp(schema, "lading.sbom/v1") != 0 && strcmp(schema, "lading.scan/v1") != 0)
		rc = fail(r, LADING_EUNSUPP, "bom.schema", "schema",
			  "not a schema this lading reads (lading.sbom/v1, lading.scan/v1)");
	if (!rc)
		rc = read_image(r, root);
	if (!rc)
		rc = read_os(r, root);
	if (!rc)
		rc = read_packages(r, root);
	/* findings name packages by their final index: sort first */
	if (!rc)
		rc = inv_finish_read(r->inv);
	if (!rc)
		rc = index_ids(r);
	if (!rc)
		rc = read_integrity(r, root);
	if (!rc)
		rc = read_warnings(r, root);
	return rc;
}

int bom_read(lading_inventory **out, lading_ctx *ctx, const json_t *root, const char *file)
{
	rd r = {.ctx = ctx, .file = file};
	*out = NULL;
	int rc = inv_new(&r.inv);
	if (!rc)
		rc = read_doc(&r, root);
	if (rc == -LADING_ENOMEM && !ctx->failed)
		ctx_error(ctx, LADING_ENOMEM, "%s: out of memory", file ? file : "BOM");
	vec_free(&r.files);
	free(r.by_id);
	if (rc) {
		lading_inventory_free(r.inv);
		return rc;
	}
	*out = r.inv;
	return 0;
}
