/* Tests for reading lading's own JSON back (src/bomin.c, lading_bom_read).
 *
 * Real data first: the Alpine 3.20.3 minirootfs of the corpus, scanned with
 * the integrity check, rendered, read back and rendered again must give the
 * same bytes and the same inventory, field by field. (tests/cli/bom_roundtrip.sh
 * does the same on every corpus image, package database and Debian fixture.)
 *
 * Everything else here is a HAND-WRITTEN edge case: a hand-made inventory
 * with hostile strings, warnings and integrity findings; a small hand-written
 * document (`base` below) and one-edit variants of it that break one rule
 * each (wrong types, duplicate keys, huge counts and strings, missing
 * required keys, out-of-range or inconsistent layer and package references,
 * unknown package types, finding kinds and schemas), each of which must fail
 * with its code, reason and JSON path, and never echo the bad value; and
 * documents an older v1 writer could have written. */
#include "reporttest.h"

#include <fcntl.h>

#include "bomin.h"
#include "match/match_priv.h"

#define ALPINE "images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"
#define TRIVY_CDX "expected/alpine-minirootfs-3.20.3-x86_64.trivy.cdx.json"

static lading_ctx *new_ctx(uint64_t max_file_size)
{
	lading_options o = {.struct_size = sizeof(o), .integrity = 1, .max_file_size = max_file_size};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	return ctx;
}

static lading_inventory *read_ok(const char *text, size_t len)
{
	lading_ctx *ctx = new_ctx(0);
	lading_inventory *inv = NULL;
	int rc = lading_bom_read(&inv, ctx, text, len);
	if (rc)
		fprintf(stderr, "lading_bom_read: %s\n", lading_ctx_error(ctx));
	assert_int_equal(rc, 0);
	lading_ctx_free(ctx);
	return inv;
}

static void assert_streq_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Two records hold the same, field by field (x and y in each). */
#define EQS(f) assert_streq_null(x->f, y->f)
#define EQI(f) assert_int_equal(x->f, y->f)

static void same_image(const lading_image_info *x, const lading_image_info *y)
{
	EQS(target); EQS(source_kind); EQS(name); EQS(manifest_digest); EQS(config_digest); EQS(os);
	EQS(architecture); EQS(variant); EQI(ntags);
	for (size_t i = 0; i < x->ntags; i++)
		assert_string_equal(x->tags[i], y->tags[i]);
}

static void same_layer(const lading_layer *x, const lading_layer *y)
{
	EQI(index); EQS(digest); EQS(diff_id); EQS(media_type); EQS(created_by); EQI(size); EQI(uncompressed_size);
}

static void same_os(const lading_os *x, const lading_os *y)
{
	assert_int_equal(x != NULL, y != NULL);
	if (!x)
		return;
	EQS(id); EQS(version_id); EQS(codename); EQS(pretty_name); EQS(id_like); EQS(version);
}

/* `nlayers` of x's inventory: a layer index naming no layer is written as
 * null, so it reads back as unknown. */
static void same_package(const lading_package *x, const lading_package *y, size_t nlayers)
{
	EQI(type); EQS(id); EQS(name); EQS(version); EQS(arch); EQS(source_name); EQS(source_version);
	EQS(license); EQS(purl); EQS(db_path); EQS(epoch); EQS(rpm_version); EQS(rpm_release);
	EQS(source_rpm); EQS(modularity_label); EQS(maintainer); EQS(namespace_); EQS(cpe); EQS(found_by);
	EQI(declared); EQI(nfiles);
	assert_int_equal(x->layer >= 0 && (size_t)x->layer < nlayers ? x->layer : -1, y->layer);
	for (size_t k = 0; k < x->nfiles; k++) {
		assert_streq_null(x->files[k].path, y->files[k].path);
		assert_streq_null(x->files[k].digest, y->files[k].digest);
		assert_int_equal(x->files[k].config, y->files[k].config);
	}
}

static void same_warning(const lading_warning *x, const lading_warning *y)
{
	EQS(message); EQS(code); EQS(cataloger); EQS(path); EQI(layer);
}

static void same_finding(const lading_file_finding *x, const lading_file_finding *y)
{
	EQI(kind); EQS(path); EQS(real_path); EQS(expected); EQS(actual); EQI(package); EQI(layer);
	EQI(size); EQI(mode); EQI(config); EQI(elf);
}

static void assert_same_inventory(const lading_inventory *a, const lading_inventory *b)
{
	same_image(lading_inventory_image(a), lading_inventory_image(b));
	same_os(lading_inventory_os(a), lading_inventory_os(b));
	size_t nl = lading_inventory_nlayers(a);
	assert_int_equal(nl, lading_inventory_nlayers(b));
	for (size_t i = 0; i < nl; i++)
		same_layer(lading_inventory_layer(a, i), lading_inventory_layer(b, i));
	assert_int_equal(lading_inventory_npackages(a), lading_inventory_npackages(b));
	for (size_t i = 0; i < lading_inventory_npackages(a); i++)
		same_package(lading_inventory_package(a, i), lading_inventory_package(b, i), nl);
	assert_int_equal(lading_inventory_nwarnings(a), lading_inventory_nwarnings(b));
	for (size_t i = 0; i < lading_inventory_nwarnings(a); i++)
		same_warning(lading_inventory_warning_at(a, i), lading_inventory_warning_at(b, i));
	const lading_integrity_summary *sa = lading_inventory_integrity(a), *sb = lading_inventory_integrity(b);
	assert_int_equal(sa != NULL, sb != NULL);
	if (sa)
		assert_memory_equal(sa, sb, sizeof(*sa));
	assert_int_equal(lading_inventory_nfile_findings(a), lading_inventory_nfile_findings(b));
	for (size_t i = 0; i < lading_inventory_nfile_findings(a); i++)
		same_finding(lading_inventory_file_finding(a, i), lading_inventory_file_finding(b, i));
}

/* Renders `inv` as json, reads that back and renders again: the same bytes,
 * the same inventory (given as `expect`: the original, or its first read when
 * invalid UTF-8 made the original unrepresentable). */
static void assert_round_trip(const lading_inventory *inv, const lading_inventory *expect)
{
	size_t n1, n2;
	char *a = render(inv, NULL, LADING_FMT_JSON, &fixed, &n1);
	lading_inventory *back = read_ok(a, n1);
	char *b = render(back, NULL, LADING_FMT_JSON, &fixed, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	if (expect)
		assert_same_inventory(expect, back);
	/* and the other formats of what was read are those of the original */
	static const lading_format other[] = {LADING_FMT_CYCLONEDX, LADING_FMT_SPDX, LADING_FMT_TABLE};
	for (size_t i = 0; expect == inv && i < 3; i++) {
		char *x = render(inv, NULL, other[i], &fixed, &n1), *y = render(back, NULL, other[i], &fixed, &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(x, y, n1);
		free(x);
		free(y);
	}
	free(a);
	free(b);
	lading_inventory_free(back);
}

/* ---- real data -------------------------------------------------------------------- */

static void test_alpine_round_trip(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[8192], target[8300];
	snprintf(target, sizeof(target), "%s", corpus_path(path, sizeof(path), ALPINE));
	lading_ctx *ctx = new_ctx(0);
	lading_inventory *inv = NULL;
	assert_int_equal(lading_sbom(&inv, ctx, target), 0);
	assert_int_equal(lading_inventory_npackages(inv), 14);
	assert_non_null(lading_inventory_integrity(inv));
	assert_true(lading_inventory_nfile_findings(inv) > 0);
	assert_round_trip(inv, inv);
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
}

/* The scan document of the same image reads back as its inventory. */
static void test_scan_document(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[8192];
	lading_ctx *ctx = new_ctx(0);
	lading_inventory *inv = NULL;
	assert_int_equal(lading_sbom(&inv, ctx, corpus_path(path, sizeof(path), ALPINE)), 0);
	lading_findings *fs = NULL;
	assert_int_equal(findings_new(&fs), 0);
	size_t n = 0;
	char *scan = render(inv, fs, LADING_FMT_JSON, &fixed, &n);
	lading_inventory *back = read_ok(scan, n);
	assert_same_inventory(inv, back);
	free(scan);
	lading_inventory_free(back);
	lading_findings_free(fs);
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
}

/* CycloneDX from memory reads as an sbom: target does (a peer's SBOM). */
static void test_cyclonedx_from_memory(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[8192];
	size_t n = 0;
	char *text = slurp(corpus_path(path, sizeof(path), TRIVY_CDX), &n);
	assert_non_null(text);
	lading_inventory *inv = read_ok(text, n);
	assert_int_equal(lading_inventory_npackages(inv), 14);
	assert_null(lading_inventory_image(inv)->target);
	assert_string_equal(lading_inventory_image(inv)->source_kind, "sbom");
	assert_string_equal(lading_inventory_os(inv)->id, "alpine");
	free(text);
	lading_inventory_free(inv);
}

/* ---- hand-made inventories ------------------------------------------------------- */

/* Hand-made: hostile strings everywhere, every package type, warnings with
 * every field, and one integrity finding of each kind. */
static lading_inventory *hostile_inventory(bool bad_utf8)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	set_image(inv, "docker-archive:/tmp/x\x01.tar", "registry.example:5000/team/App:v1");
	const char *odd = bad_utf8 ? "odd \xff\xfe \xc3\x28 name" : "odd \x1b[31m\"q\"\\ name";
	static const lading_pkg_type types[] = {LADING_PKG_DPKG,  LADING_PKG_APK,   LADING_PKG_RPM,	 LADING_PKG_NPM,
						LADING_PKG_PYPI,  LADING_PKG_GEM,   LADING_PKG_GOLANG, LADING_PKG_CARGO,
						LADING_PKG_MAVEN, LADING_PKG_COMPOSER, LADING_PKG_NUGET, LADING_PKG_BINARY};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		lading_pkg_file f[2] = {{"/usr/bin/x\x01", "md5:0123", 0}, {"/etc/conf", NULL, 1}};
		lading_package p = {.type = types[i],
				    .name = i % 3 ? "name" : odd,
				    .version = "1:2.0~rc1+x",
				    .arch = i % 2 ? "amd64" : NULL,
				    .source_name = "src",
				    .license = "GPL-2+ \"with\" junk\n",
				    .db_path = "/db",
				    .layer = (int)i % 3 - 1, /* -1 unknown, 0, 1 (no such layer: written null) */
				    .epoch = types[i] == LADING_PKG_RPM ? "1" : NULL,
				    .rpm_version = types[i] == LADING_PKG_RPM ? "2.0" : NULL,
				    .rpm_release = types[i] == LADING_PKG_RPM ? "3.el8" : NULL,
				    .source_rpm = types[i] == LADING_PKG_RPM ? "x-2.0-3.el8.src.rpm" : NULL,
				    .modularity_label = types[i] == LADING_PKG_RPM ? "perl:5.26:8000:03d935ed" : NULL,
				    .maintainer = "N\xc3\xb6 One <x@example.org>",
				    .namespace_ = types[i] == LADING_PKG_MAVEN ? "org.example" : NULL,
				    .declared = types[i] == LADING_PKG_NPM,
				    .cpe = types[i] == LADING_PKG_BINARY ? "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*" : NULL,
				    .found_by = types[i] == LADING_PKG_BINARY ? "binary:x" : "cat",
				    .files = f,
				    .nfiles = i % 2 ? 2 : 0};
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	/* two packages with one sort key: their order must survive */
	lading_package twin = {.type = LADING_PKG_NPM, .name = "twin", .version = "1", .license = "first", .layer = -1};
	assert_int_equal(inv_add_package(inv, &twin), 0);
	twin.license = "second";
	assert_int_equal(inv_add_package(inv, &twin), 0);
	lading_os os = {.id = "debian", .version_id = "12", .pretty_name = bad_utf8 ? "Deb\xff" : "Deb\x1b[2J"};
	assert_int_equal(inv_set_os(inv, &os), 0);
	inv_warn_at(inv, &(lading_warning){.code = "catalog.file", .cataloger = "dpkg", .layer = 0, .path = "/var/x"},
		    "/var/x: bad \x01 record %s", odd);
	inv_warn_at(inv, &(lading_warning){.code = "layer.entry", .layer = 3}, "layer 3 (a dir: tree names 0)");
	inv_warn(inv, "plain");
	assert_int_equal(inv_finish(inv), 0);
	lading_file_finding *ff = arena_alloc(&inv->a, 4 * sizeof(*ff));
	assert_non_null(ff);
	ff[0] = (lading_file_finding){LADING_FILE_MODIFIED, "/bin/x", "/usr/bin/x", 0, "md5:00", "md5:11", 0,
				      12, S_IFREG | 0755, 0, 1};
	ff[1] = (lading_file_finding){LADING_FILE_MODIFIED_CONFIG, "/etc/conf", "/etc/conf", 1, "sha1:00", "sha1:11",
				      -1, 3, S_IFREG | 0644, 1, 0};
	ff[2] = (lading_file_finding){LADING_FILE_MISSING, "/gone", NULL, 2, "sha256:00", NULL, -1, 0, 0, 0, 0};
	ff[3] = (lading_file_finding){LADING_FILE_UNPACKAGED, odd, odd, -1, NULL, "sha256:22", 0,
				      UINT64_MAX, S_IFREG | 04755, 0, 1};
	inv->ffind = ff;
	inv->nffind = 4;
	inv->isum = (lading_integrity_summary){.files_in_image = 9, .packages = 3, .files_checked = 4,
					       .files_unverifiable = UINT64_MAX, .modified = 1, .modified_config = 1,
					       .missing = 1, .unpackaged = 1, .files_excluded = 2};
	inv->integrity = true;
	return inv;
}

static void test_hand_made_round_trip(void **state)
{
	(void)state;
	lading_inventory *inv = hostile_inventory(false);
	assert_round_trip(inv, inv);
	lading_inventory_free(inv);

	/* invalid UTF-8 is written as U+FFFD: what comes back is that, and
	 * stays that from then on */
	inv = hostile_inventory(true);
	size_t n;
	char *a = render(inv, NULL, LADING_FMT_JSON, &fixed, &n);
	lading_inventory *first = read_ok(a, n);
	assert_round_trip(inv, first);
	assert_round_trip(first, first);
	free(a);
	lading_inventory_free(first);
	lading_inventory_free(inv);
}

/* ---- a hand-written document and its broken variants --------------------------------- */

static const char base[] =
    "{\"schema\": \"lading.sbom/v1\", \"tool\": {\"name\": \"lading\", \"version\": \"0\"},\n"
    " \"image\": {\"target\": \"oci:x\", \"source_kind\": \"oci\", \"name\": null, \"manifest_digest\": null,\n"
    "  \"config_digest\": null, \"os\": null, \"architecture\": null, \"variant\": null, \"tags\": [\"a\"],\n"
    "  \"layers\": [{\"index\": 0, \"digest\": \"sha256:aa\", \"diff_id\": \"sha256:bb\", \"media_type\": null,\n"
    "   \"size\": 1, \"uncompressed_size\": 2, \"created_by\": null}]},\n"
    " \"os\": null,\n"
    " \"packages\": [{\"id\": \"deb-1\", \"type\": \"deb\", \"name\": \"bash\", \"version\": \"5\",\n"
    "  \"layer\": {\"index\": 0, \"diff_id\": \"sha256:bb\"},\n"
    "  \"files\": [{\"path\": \"/bin/bash\", \"digest\": \"md5:00\", \"config\": false}]}],\n"
    " \"file_integrity\": {\"summary\": {\"files_in_image\": 1}, \"unpackaged_by_directory\": [],\n"
    "  \"findings\": [{\"kind\": \"modified\", \"path\": \"/bin/bash\", \"real_path\": \"/usr/bin/bash\",\n"
    "   \"package_id\": \"deb-1\", \"package_name\": \"bash\", \"expected\": \"md5:00\", \"actual\": \"md5:11\",\n"
    "   \"layer\": 0, \"layer_digest\": \"sha256:aa\", \"size\": 5, \"mode\": 493, \"config\": false, \"elf\": true}]},\n"
    " \"warnings\": [\"w\"],\n"
    " \"warning_details\": [{\"message\": \"w\", \"code\": \"catalog.file\", \"cataloger\": \"dpkg\", \"layer\": 0,\n"
    "   \"path\": \"/x\"}]}\n";

/* `text` with its first `from` replaced by `to` (malloc'd). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		fprintf(stderr, "edit: \"%s\" not in the document\n", from);
	assert_non_null(at);
	size_t head = (size_t)(at - text), fl = strlen(from), tl = strlen(to), n = strlen(text);
	char *out = malloc(n - fl + tl + 1);
	assert_non_null(out);
	memcpy(out, text, head);
	memcpy(out + head, to, tl);
	memcpy(out + head + tl, at + fl, n - head - fl + 1);
	return out;
}

static void expect_failure(const char *text, size_t len, uint64_t max, int code, const char *reason,
			   const char *record, const char *what)
{
	lading_ctx *ctx = new_ctx(max);
	lading_inventory *inv = NULL;
	int rc = lading_bom_read(&inv, ctx, text, len);
	const lading_error *e = lading_ctx_last_error(ctx);
	if (rc != -code || !e->reason || strcmp(e->reason, reason) != 0 ||
	    (record && (!e->record || strcmp(e->record, record) != 0)) || (!record && e->record))
		fprintf(stderr, "%s: rc %d, reason %s, record %s: %s\n", what, rc, e->reason ? e->reason : "-",
			e->record ? e->record : "-", e->message);
	assert_int_equal(rc, -code);
	assert_null(inv);
	assert_string_equal(e->reason, reason);
	if (record)
		assert_string_equal(e->record, record);
	else
		assert_null(e->record);
	/* the bad values all say SECRET: no message may repeat them */
	assert_null(strstr(e->message, "SECRET"));
	lading_ctx_free(ctx);
}

static void test_base_document(void **state)
{
	(void)state;
	lading_inventory *inv = read_ok(base, strlen(base));
	assert_string_equal(lading_inventory_image(inv)->target, "oci:x");
	assert_int_equal(lading_inventory_image(inv)->ntags, 1);
	assert_int_equal(lading_inventory_nlayers(inv), 1);
	assert_null(lading_inventory_os(inv));
	const lading_package *p = lading_inventory_package(inv, 0);
	assert_int_equal(p->type, LADING_PKG_DPKG);
	assert_int_equal(p->layer, 0);
	assert_null(p->purl); /* null in the document: never recomputed */
	assert_int_equal(p->nfiles, 1);
	const lading_file_finding *f = lading_inventory_file_finding(inv, 0);
	assert_int_equal(f->package, 0);
	assert_int_equal(f->mode, S_IFREG | 0755);
	assert_int_equal(f->elf, 1);
	assert_int_equal(lading_inventory_integrity(inv)->files_in_image, 1);
	assert_int_equal(lading_inventory_integrity(inv)->modified, 0); /* as the document says */
	const lading_warning *w = lading_inventory_warning_at(inv, 0);
	assert_string_equal(w->code, "catalog.file");
	assert_string_equal(w->cataloger, "dpkg");
	assert_string_equal(w->path, "/x");
	assert_int_equal(w->layer, 0);
	assert_round_trip(inv, inv);
	lading_inventory_free(inv);
}

static void test_broken_documents(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to;
		int code;
		const char *reason, *record;
	} cases[] = {
	    /* wrong types */
	    {"\"name\": \"bash\"", "\"name\": 17", LADING_EFORMAT, "bom.format", ".packages[0].name"},
	    {"\"files\": [", "\"declared\": \"SECRET\", \"files\": [", LADING_EFORMAT, "bom.format",
	     ".packages[0].declared"},
	    {"\"files\": [{\"path\": \"/bin/bash\", \"digest\": \"md5:00\", \"config\": false}]", "\"files\": {}",
	     LADING_EFORMAT, "bom.format", ".packages[0].files"},
	    {"\"config\": false}]", "\"config\": null}]", LADING_EFORMAT, "bom.format", ".packages[0].files[0].config"},
	    {"\"size\": 1,", "\"size\": -1,", LADING_EFORMAT, "bom.format", ".image.layers[0].size"},
	    {"\"size\": 1,", "\"size\": 1.5,", LADING_EFORMAT, "bom.format", ".image.layers[0].size"},
	    {"\"tags\": [\"a\"]", "\"tags\": [1]", LADING_EFORMAT, "bom.format", ".image.tags[0]"},
	    {"\"image\": {", "\"image\": null, \"x\": {", LADING_EFORMAT, "bom.format", ".image"},
	    {"\"packages\": [{", "\"packages\": [7, {", LADING_EFORMAT, "bom.format", ".packages[0]"},
	    {"\"mode\": 493", "\"mode\": 70000", LADING_EFORMAT, "bom.format", ".file_integrity.findings[0].mode"},
	    {"\"os\": null,\n \"packages\"", "\"os\": [\"SECRET\"],\n \"packages\"", LADING_EFORMAT, "bom.format", ".os"},
	    {"\"schema\": \"lading.sbom/v1\"", "\"schema\": null", LADING_EFORMAT, "bom.format", ".schema"},
	    /* missing required keys */
	    {"\"id\": \"deb-1\", ", "", LADING_EFORMAT, "bom.format", ".packages[0].id"},
	    {"\"packages\": [", "\"pkgs\": [", LADING_EFORMAT, "bom.format", ".packages"},
	    {"\"index\": 0, \"digest\"", "\"digest\"", LADING_EFORMAT, "bom.format", ".image.layers[0].index"},
	    {"\"summary\":", "\"summar\":", LADING_EFORMAT, "bom.format", ".file_integrity.summary"},
	    {"\"kind\": \"modified\", ", "", LADING_EFORMAT, "bom.format", ".file_integrity.findings[0].kind"},
	    {"{\"message\": \"w\", ", "{", LADING_EFORMAT, "bom.format", ".warning_details[0].message"},
	    /* layer and package references */
	    {"\"index\": 0, \"digest\"", "\"index\": 1, \"digest\"", LADING_EFORMAT, "bom.format",
	     ".image.layers[0].index"},
	    {"\"layer\": {\"index\": 0", "\"layer\": {\"index\": 3", LADING_EFORMAT, "bom.reference",
	     ".packages[0].layer.index"},
	    {"\"layer\": {\"index\": 0", "\"layer\": {\"index\": -1", LADING_EFORMAT, "bom.format",
	     ".packages[0].layer.index"},
	    {"\"diff_id\": \"sha256:bb\"}", "\"diff_id\": \"sha256:SECRET\"}", LADING_EFORMAT, "bom.reference",
	     ".packages[0].layer.diff_id"},
	    {"\"layer\": 0, \"layer_digest\"", "\"layer\": 9, \"layer_digest\"", LADING_EFORMAT, "bom.reference",
	     ".file_integrity.findings[0].layer"},
	    {"\"layer_digest\": \"sha256:aa\"", "\"layer_digest\": \"SECRET\"", LADING_EFORMAT, "bom.reference",
	     ".file_integrity.findings[0].layer_digest"},
	    {"\"package_id\": \"deb-1\"", "\"package_id\": \"deb-SECRET\"", LADING_EFORMAT, "bom.reference",
	     ".file_integrity.findings[0].package_id"},
	    {"\"package_name\": \"bash\"", "\"package_name\": \"SECRET\"", LADING_EFORMAT, "bom.reference",
	     ".file_integrity.findings[0].package_name"},
	    {"\"warnings\": [\"w\"]", "\"warnings\": [\"w\", \"v\"]", LADING_EFORMAT, "bom.format",
	     ".warning_details"},
	    {"\"warnings\": [\"w\"]", "\"warnings\": [\"SECRET\"]", LADING_EFORMAT, "bom.format",
	     ".warning_details[0].message"},
	    /* what this lading does not know */
	    {"\"type\": \"deb\"", "\"type\": \"SECRETpkg\"", LADING_EUNSUPP, "bom.package_type", ".packages[0].type"},
	    {"\"kind\": \"modified\"", "\"kind\": \"SECRET\"", LADING_EUNSUPP, "bom.finding_kind",
	     ".file_integrity.findings[0].kind"},
	    {"lading.sbom/v1", "lading.sbom/v9", LADING_EUNSUPP, "bom.schema", ".schema"},
	    /* not JSON, or not ours: the parser's and the dispatcher's errors */
	    {"\"name\": \"bash\",", "\"name\": \"bash\", \"name\": \"SECRET\",", LADING_EFORMAT, "sbom.not_json", NULL},
	    {"\"schema\": \"lading.sbom/v1\",", "", LADING_EFORMAT, "sbom.format", NULL},
	    {"\"version\": \"5\"", "\"version\": SECRET", LADING_EFORMAT, "sbom.not_json", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = edit(base, cases[i].from, cases[i].to);
		expect_failure(doc, strlen(doc), 0, cases[i].code, cases[i].reason, cases[i].record, cases[i].to);
		free(doc);
	}
	expect_failure("[\"SECRET\"]", 10, 0, LADING_EFORMAT, "sbom.format", NULL, "an array");
	expect_failure("", 0, 0, LADING_EFORMAT, "sbom.not_json", NULL, "nothing");
	/* larger than the options' max_file_size */
	expect_failure(base, strlen(base), 100, LADING_ELIMIT, "limit.file_size", NULL, "max_file_size 100");
	/* bad arguments */
	lading_ctx *ctx = new_ctx(0);
	lading_inventory *inv = (lading_inventory *)1;
	assert_int_equal(lading_bom_read(&inv, ctx, NULL, 5), -LADING_EINVAL);
	assert_null(inv);
	assert_int_equal(lading_bom_read(&inv, NULL, base, 5), -LADING_EINVAL);
	assert_int_equal(lading_bom_read(NULL, ctx, base, 5), -LADING_EINVAL);
	lading_ctx_free(ctx);
}

/* Hand-written: counts and lengths past the limits. */
static void test_limits(void **state)
{
	(void)state;
	buf b = {0};
	/* 10,001 warnings: more than an inventory keeps */
	assert_int_equal(buf_puts(&b, "\"warnings\": ["), 0);
	for (int i = 0; i <= 10000; i++)
		assert_int_equal(buf_puts(&b, i ? ",\"SECRET\"" : "\"SECRET\""), 0);
	assert_int_equal(buf_puts(&b, "], \"warning_details\": [], \"x\": ["), 0);
	char *doc = edit(base, "\"warnings\": [\"w\"],\n \"warning_details\": [", b.p);
	expect_failure(doc, strlen(doc), 0, LADING_ELIMIT, "bom.limit", ".warnings", "10001 warnings");
	free(doc);
	/* a string past BOM_MAX_STRING */
	b.n = 0;
	assert_int_equal(buf_puts(&b, "\"license\": \""), 0);
	for (size_t i = 0; i <= BOM_MAX_STRING; i++)
		assert_int_equal(buf_putc(&b, 'S'), 0);
	assert_int_equal(buf_puts(&b, "\", \"files\": ["), 0);
	doc = edit(base, "\"files\": [", b.p);
	expect_failure(doc, strlen(doc), 0, LADING_ELIMIT, "bom.limit", ".packages[0].license", "a long license");
	free(doc);
	/* more layers than BOM_MAX_LAYERS (empty objects: the count is checked first) */
	b.n = 0;
	assert_int_equal(buf_puts(&b, "\"layers\": [{}"), 0);
	for (size_t i = 0; i < BOM_MAX_LAYERS; i++)
		assert_int_equal(buf_puts(&b, ",{}"), 0);
	assert_int_equal(buf_puts(&b, "], \"x\": ["), 0);
	doc = edit(base, "\"layers\": [", b.p);
	expect_failure(doc, strlen(doc), 0, LADING_ELIMIT, "bom.limit", ".image.layers", "too many layers");
	free(doc);
	buf_free(&b);
}

/* Hand-written: what an older v1 writer could have written (no
 * warning_details, file_integrity or found_by yet) reads as unknowns; a
 * document out of inventory order is sorted (stably) and its findings still
 * name the right packages; a scan document's findings are not read at all. */
static void test_older_and_unsorted(void **state)
{
	(void)state;
	const char *old = "{\"schema\": \"lading.sbom/v1\", \"image\": {}, \"warnings\": [\"only text\"],\n"
			  " \"packages\": [{\"id\": \"npm-1\", \"type\": \"npm\", \"name\": \"x\"}]}";
	lading_inventory *inv = read_ok(old, strlen(old));
	assert_int_equal(lading_inventory_npackages(inv), 1);
	assert_null(lading_inventory_package(inv, 0)->purl);
	assert_null(lading_inventory_package(inv, 0)->found_by);
	assert_null(lading_inventory_integrity(inv));
	assert_string_equal(lading_inventory_warning_at(inv, 0)->message, "only text");
	assert_null(lading_inventory_warning_at(inv, 0)->code);
	assert_int_equal(lading_inventory_warning_at(inv, 0)->layer, -1);
	lading_inventory_free(inv);

	const char *unsorted =
	    "{\"schema\": \"lading.scan/v1\", \"image\": {}, \"findings\": \"not read\", \"summary\": 7,\n"
	    " \"packages\": [{\"id\": \"z\", \"type\": \"npm\", \"name\": \"z\", \"license\": \"z\"},\n"
	    "  {\"id\": \"t\", \"type\": \"npm\", \"name\": \"twin\", \"license\": \"first\"},\n"
	    "  {\"id\": \"t\", \"type\": \"npm\", \"name\": \"twin\", \"license\": \"second\"},\n"
	    "  {\"id\": \"d\", \"type\": \"deb\", \"name\": \"d\"}],\n"
	    " \"file_integrity\": {\"summary\": {}, \"findings\": [\n"
	    "  {\"kind\": \"unpackaged\", \"path\": \"/z\", \"package_id\": \"z\", \"package_name\": \"z\"},\n"
	    "  {\"kind\": \"unpackaged\", \"path\": \"/t\", \"package_id\": \"t\", \"package_name\": \"twin\"}]}}";
	inv = read_ok(unsorted, strlen(unsorted));
	assert_int_equal(lading_inventory_npackages(inv), 4);
	assert_string_equal(lading_inventory_package(inv, 0)->name, "d"); /* deb before npm */
	assert_string_equal(lading_inventory_package(inv, 1)->license, "first");
	assert_string_equal(lading_inventory_package(inv, 2)->license, "second");
	assert_string_equal(lading_inventory_package(inv, 3)->name, "z");
	assert_int_equal(lading_inventory_file_finding(inv, 0)->package, 3);
	assert_int_equal(lading_inventory_file_finding(inv, 1)->package, 1); /* the first with that id */
	assert_int_equal(lading_inventory_file_finding(inv, 0)->mode, 0);	/* no real_path: missing bits */
	lading_inventory_free(inv);
}

/* sbom:FILE reads our JSON through the same reader, naming the file. */
static void test_sbom_file(void **state)
{
	(void)state;
	char path[] = "/tmp/lading-test-bomin-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char *doc = edit(base, "\"type\": \"deb\"", "\"type\": \"SECRET\"");
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	char target[64];
	snprintf(target, sizeof(target), "sbom:%s", path);
	lading_ctx *ctx = new_ctx(0);
	lading_inventory *inv = NULL;
	assert_int_equal(lading_sbom(&inv, ctx, target), -LADING_EUNSUPP);
	const lading_error *e = lading_ctx_last_error(ctx);
	assert_string_equal(e->file, path);
	assert_string_equal(e->record, ".packages[0].type");
	assert_non_null(strstr(e->message, path));
	free(doc);
	/* the base document, from the file: the original target is kept */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, base, strlen(base)), (ssize_t)strlen(base));
	close(fd);
	assert_int_equal(lading_sbom(&inv, ctx, target), 0);
	assert_string_equal(lading_inventory_image(inv)->target, "oci:x");
	lading_inventory_free(inv);
	/* a file over max_file_size */
	lading_ctx_free(ctx);
	ctx = new_ctx(64);
	assert_int_equal(lading_sbom(&inv, ctx, target), -LADING_ELIMIT);
	assert_string_equal(lading_ctx_last_error(ctx)->reason, "limit.file_size");
	lading_ctx_free(ctx);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alpine_round_trip),  cmocka_unit_test(test_scan_document),
	    cmocka_unit_test(test_cyclonedx_from_memory), cmocka_unit_test(test_hand_made_round_trip),
	    cmocka_unit_test(test_base_document),      cmocka_unit_test(test_broken_documents),
	    cmocka_unit_test(test_limits),	       cmocka_unit_test(test_older_and_unsorted),
	    cmocka_unit_test(test_sbom_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
