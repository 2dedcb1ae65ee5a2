/* Tests of the OSV importer (src/vulndb/import_osv.c): the corpus's golang/
 * vulndb, RustSec (JSON) and PyPA (YAML) trees, and a zip made from them, are
 * imported through lading_vulndb_import(); the SQLite rows are compared with
 * what this file computes from the raw files itself (jansson for JSON,
 * libyaml's document loader for YAML). */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <unistd.h>
#include <yaml.h>

#define VDBTEST_NAME "osv"
#include "vdbtest.h"

/* Sorted file names of a corpus directory (one level). */
static void list_dir(strs *out, const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name), m = strlen(suffix);
		if (de->d_name[0] != '.' && n > m && strcmp(de->d_name + n - m, suffix) == 0)
			strs_add(out, de->d_name);
	}
	closedir(d);
	strs_sort(out);
}

/* The columns of the rows compared, after the advisory's id (affected_rows()). */
#define COLS "f.namespace, f.package, f.scheme, f.status, f.ranges, f.versions"

/* The affected rows of one OSV JSON document, computed straight from the
 * file: "id, namespace, package, scheme, affected, ranges, versions". */
static void json_rows(strs *rows, strs *ids, size_t *nwithdrawn, const char *path, const char *ns,
		      const char *scheme)
{
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);
	assert_non_null(doc);
	const char *id = json_string_value(json_object_get(doc, "id"));
	assert_non_null(id);
	strs_add(ids, id);
	if (json_object_get(doc, "withdrawn"))
		(*nwithdrawn)++;
	json_t *aff = json_object_get(doc, "affected");
	for (size_t i = 0; i < json_array_size(aff); i++) {
		json_t *a = json_array_get(aff, i), *r = json_object_get(a, "ranges"),
		       *v = json_object_get(a, "versions");
		char *rj = json_array_size(r) ? json_dumps(r, JSON_COMPACT) : NULL;
		char *vj = json_array_size(v) ? json_dumps(v, JSON_COMPACT) : NULL;
		char *row = NULL;
		assert_true(
		    asprintf(&row, "%s\t%s\t%s\t%s\taffected\t%s\t%s", id, ns,
			     json_string_value(json_object_get(json_object_get(a, "package"), "name")),
			     scheme, rj ? rj : "NULL", vj ? vj : "NULL") > 0);
		strs_add(rows, row);
		free(row);
		free(rj);
		free(vj);
	}
	json_decref(doc);
}

/* A whole JSON tree of the corpus against its database rows. */
static void check_json_tree(const char *rel, const char *ns, const char *scheme, size_t nfiles, size_t naff,
			    size_t nwd)
{
	char dir[2048];
	corpus_path(dir, sizeof(dir), rel);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, dir, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_OSV);
	assert_int_equal(st.skipped, 0);

	strs files = {0}, want = {0}, ids = {0}, got = {0}, gotids = {0};
	list_dir(&files, dir, ".json");
	assert_int_equal(files.n, nfiles);
	size_t nwithdrawn = 0;
	for (size_t i = 0; i < files.n; i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", dir, files.v[i]);
		json_rows(&want, &ids, &nwithdrawn, p, ns, scheme);
	}
	strs_sort(&want);
	strs_sort(&ids);
	assert_int_equal(want.n, naff);
	assert_int_equal(nwithdrawn, nwd);
	assert_int_equal(st.advisories, files.n);
	assert_int_equal(st.affected, want.n);
	affected_rows(&got, COLS, strrchr(rel, '/') + 1, NULL);
	assert_rows_equal(&want, &got);
	query(&gotids, dbpath, "SELECT vuln_id FROM advisories");
	assert_rows_equal(&ids, &gotids);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL"),
			 (long long)nwd);
	strs_free(&files);
	strs_free(&want);
	strs_free(&ids);
	strs_free(&got);
	strs_free(&gotids);
}

/* ---- tests -------------------------------------------------------------------- */

/* golang/vulndb: 4291 files, 6125 affected entries, 17 withdrawn. */
static void test_go_tree(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	check_json_tree("vulndata/osv-go", "go", "go", 4291, 6125, 17);
	/* GO-2020-0001 checked by hand: aliases, references, the range */
	strs r = {0};
	query(&r, dbpath,
	      "SELECT alias FROM aliases JOIN advisories a ON a.id = advisory_id WHERE a.vuln_id = "
	      "'GO-2020-0001'");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0], "CVE-2020-36567");
	assert_string_equal(r.v[1], "GHSA-6vm3-jj99-7229");
	strs_free(&r);
	affected_rows(&r, COLS, "osv-go", "a.vuln_id = 'GO-2020-0001'");
	assert_int_equal(r.n, 1);
	assert_string_equal(
	    r.v[0], "GO-2020-0001\tgo\tgithub.com/gin-gonic/gin\tgo\taffected\t"
		    "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.6.0\"}]}]\t"
		    "NULL");
	strs_free(&r);
	assert_int_equal(q_int("SELECT count(*) FROM refs JOIN advisories a ON a.id = advisory_id WHERE "
			       "a.vuln_id = 'GO-2020-0001'"),
			 2);
	/* the Go standard library and toolchain keep their pseudo-module names */
	assert_true(q_int("SELECT count(*) FROM affected WHERE package = 'stdlib'") > 100);
	assert_true(q_int("SELECT count(*) FROM affected WHERE package = 'toolchain'") > 0);
}

/* RustSec: 1206 files (13 withdrawn), CVSS vectors as advisory severities. */
static void test_rust_tree(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	check_json_tree("vulndata/osv-rust", "crates.io", "semver", 1206, 1206, 13);
	strs r = {0};
	query(&r, dbpath,
	      "SELECT origin, type, vector, score, severity FROM severities JOIN advisories a ON a.id = "
	      "advisory_id WHERE a.vuln_id = 'RUSTSEC-2016-0002'");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0],
			    "rustsec\tCVSS_V3\tCVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N\tNULL\tunknown");
	strs_free(&r);
	/* 417 severity entries in the files: 360 CVSS_V3 + 57 CVSS_V4 */
	assert_int_equal(q_int("SELECT count(*) FROM severities"), 417);
	assert_int_equal(q_int("SELECT count(*) FROM severities WHERE type = 'CVSS_V4'"), 57);
}

/* The PyPA YAML variant, read independently with libyaml's document loader. */
static const char *ynode_get(yaml_document_t *d, yaml_node_t *map, const char *key, yaml_node_t **out)
{
	*out = NULL;
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0) {
			*out = yaml_document_get_node(d, p->value);
			return *out && (*out)->type == YAML_SCALAR_NODE
				   ? (const char *)(*out)->data.scalar.value
				   : NULL;
		}
	}
	return NULL;
}

static void test_pypi_yaml_tree(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char dir[2048];
	corpus_path(dir, sizeof(dir), "vulndata/osv-pypi");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, dir, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_OSV);
	assert_int_equal(st.skipped, 0);

	/* per advisory: id, normalised package, count of ECOSYSTEM "fixed" events, count of versions */
	strs pkgs = {0}, want = {0};
	list_dir(&pkgs, dir, "");
	size_t nfiles = 0, nwd = 0;
	for (size_t i = 0; i < pkgs.n; i++) {
		char sub[4200];
		snprintf(sub, sizeof(sub), "%s/%s", dir, pkgs.v[i]);
		strs files = {0};
		list_dir(&files, sub, ".yaml");
		for (size_t j = 0; j < files.n; j++, nfiles++) {
			char p[8400];
			snprintf(p, sizeof(p), "%s/%s", sub, files.v[j]);
			FILE *f = fopen(p, "rb");
			assert_non_null(f);
			yaml_parser_t yp;
			yaml_document_t d;
			assert_true(yaml_parser_initialize(&yp));
			yaml_parser_set_input_file(&yp, f);
			assert_true(yaml_parser_load(&yp, &d));
			yaml_node_t *root = yaml_document_get_root_node(&d), *n, *aff;
			const char *id = ynode_get(&d, root, "id", &n);
			assert_non_null(id);
			if (ynode_get(&d, root, "withdrawn", &n))
				nwd++;
			ynode_get(&d, root, "affected", &aff);
			assert_non_null(aff);
			for (yaml_node_item_t *it = aff->data.sequence.items.start;
			     it < aff->data.sequence.items.top; it++) {
				yaml_node_t *a = yaml_document_get_node(&d, *it), *pkg, *vers, *ranges;
				ynode_get(&d, a, "package", &pkg);
				const char *name = ynode_get(&d, pkg, "name", &n);
				assert_non_null(name);
				char norm[256];
				size_t k = 0;
				for (const char *s = name; *s && k + 1 < sizeof(norm); s++) {
					if (strchr("-_.", *s)) {
						if (k == 0 || norm[k - 1] != '-')
							norm[k++] = '-';
					} else {
						norm[k++] = (char)tolower((unsigned char)*s);
					}
				}
				norm[k] = 0;
				ynode_get(&d, a, "versions", &vers);
				ynode_get(&d, a, "ranges", &ranges);
				size_t nv = vers ? (size_t)(vers->data.sequence.items.top -
							    vers->data.sequence.items.start)
						 : 0;
				size_t nfixed = 0;
				for (yaml_node_item_t *ri = ranges ? ranges->data.sequence.items.start : NULL;
				     ranges && ri < ranges->data.sequence.items.top; ri++) {
					yaml_node_t *rg = yaml_document_get_node(&d, *ri), *ev;
					const char *type = ynode_get(&d, rg, "type", &n);
					ynode_get(&d, rg, "events", &ev);
					if (!type || strcmp(type, "ECOSYSTEM") || !ev)
						continue;
					for (yaml_node_item_t *ei = ev->data.sequence.items.start;
					     ei < ev->data.sequence.items.top; ei++)
						if (ynode_get(&d, yaml_document_get_node(&d, *ei), "fixed",
							      &n))
							nfixed++;
				}
				char row[512];
				snprintf(row, sizeof(row), "%s\t%s\t%zu\t%zu", id, norm, nfixed, nv);
				strs_add(&want, row);
			}
			yaml_document_delete(&d);
			yaml_parser_delete(&yp);
			fclose(f);
		}
		strs_free(&files);
	}
	strs_free(&pkgs);
	strs_sort(&want);
	assert_int_equal(nfiles, 2661);
	assert_int_equal(st.advisories, nfiles);
	assert_int_equal(nwd, 10);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL"), 10);

	/* the same facts from the database's JSON columns */
	strs rows = {0}, got = {0};
	query(&rows, dbpath,
	      "SELECT a.vuln_id, f.package, f.ranges, f.versions, f.namespace, f.scheme FROM affected f "
	      "JOIN advisories a ON a.id = f.advisory_id");
	for (size_t i = 0; i < rows.n; i++) {
		char *cols[6], *s = rows.v[i];
		for (int c = 0; c < 6; c++)
			cols[c] = strsep(&s, "\t");
		assert_string_equal(cols[4], "pypi");
		assert_string_equal(cols[5], "pep440");
		size_t nfixed = 0, nv = 0;
		json_t *r = strcmp(cols[2], "NULL") ? json_loads(cols[2], 0, NULL) : NULL;
		json_t *v = strcmp(cols[3], "NULL") ? json_loads(cols[3], 0, NULL) : NULL;
		for (size_t k = 0; k < json_array_size(r); k++) {
			json_t *rg = json_array_get(r, k), *ev = json_object_get(rg, "events");
			if (strcmp(json_string_value(json_object_get(rg, "type")), "ECOSYSTEM") == 0)
				for (size_t e = 0; e < json_array_size(ev); e++)
					nfixed += json_string_value(json_object_get(json_array_get(ev, e),
										    "fixed")) != NULL;
		}
		nv = json_array_size(v);
		json_decref(r);
		json_decref(v);
		char row[512];
		snprintf(row, sizeof(row), "%s\t%s\t%zu\t%zu", cols[0], cols[1], nfixed, nv);
		strs_add(&got, row);
	}
	strs_sort(&got);
	assert_rows_equal(&want, &got);
	strs_free(&rows);
	strs_free(&got);
	strs_free(&want);

	/* PYSEC-2021-335 checked by hand: the GIT range is kept, versions as written */
	affected_rows(&rows, COLS, "osv-pypi", "a.vuln_id = 'PYSEC-2021-335'");
	assert_int_equal(rows.n, 1);
	assert_string_equal(
	    rows.v[0],
	    "PYSEC-2021-335\tpypi\taccesscontrol\tpep440\taffected\t"
	    "[{\"type\":\"GIT\",\"repo\":\"https://github.com/zopefoundation/AccessControl\",\"events\":"
	    "[{\"introduced\":\"0\"},{\"fixed\":\"b42dd4badf803bb9fb71ac34cd9cb0c249262f2c\"}]},"
	    "{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"4.0\"},{\"fixed\":\"4.3\"},"
	    "{\"introduced\":\"5.0\"},{\"fixed\":\"5.2\"}]}]\t[\"4.0\",\"4.1\",\"4.2\",\"5.0\",\"5.1\"]");
	strs_free(&rows);
	query(&rows, dbpath, "SELECT published, modified FROM advisories WHERE vuln_id = 'PYSEC-2021-335'");
	assert_string_equal(rows.v[0], "2021-07-30T22:15:00Z\t2021-09-26T23:32:08.989778Z");
	strs_free(&rows);
}

/* Writes the .json files of a corpus directory into a zip (the OSV bucket's
 * all.zip shape) with libarchive. */
static void make_zip(const char *zip, const char *dir, strs *files)
{
	struct archive *a = archive_write_new();
	assert_non_null(a);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, zip), ARCHIVE_OK);
	for (size_t i = 0; i < files->n; i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", dir, files->v[i]);
		size_t len = 0;
		char *data = slurp(p, &len);
		assert_non_null(data);
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, files->v[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
		archive_entry_free(e);
		free(data);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* A zip of the RustSec files gives the same rows as the directory; a zip cut
 * short imports the entries before the cut and warns. */
static void test_zip(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char dir[2048], zip[256];
	corpus_path(dir, sizeof(dir), "vulndata/osv-rust");
	snprintf(zip, sizeof(zip), "%s/all.zip", tmpdir);
	strs files = {0};
	list_dir(&files, dir, ".json");
	make_zip(zip, dir, &files);
	strs_free(&files);

	lading_import_stats sd, sz;
	assert_int_equal(do_import(&sd, dbpath, dir, LADING_FEED_OSV), 0);
	assert_int_equal(do_import(&sz, dbpath, zip, LADING_FEED_AUTO), 0);
	assert_int_equal(sz.type, LADING_FEED_OSV);
	assert_int_equal(sz.advisories, 1206);
	assert_int_equal(sz.affected, sd.affected);
	assert_int_equal(sz.skipped, 0);
	strs a = {0}, b = {0};
	affected_rows(&a, "f.namespace, f.package, f.ranges, f.versions", "osv-rust", NULL);
	affected_rows(&b, "f.namespace, f.package, f.ranges, f.versions", "all.zip", NULL);
	assert_rows_equal(&a, &b);
	strs_free(&a);
	strs_free(&b);

	/* cut at 60 %: no central directory any more */
	size_t len = 0;
	char *data = slurp(zip, &len);
	assert_non_null(data);
	FILE *f = fopen(zip, "wb");
	assert_non_null(f);
	fwrite(data, 1, len * 6 / 10, f);
	fclose(f);
	free(data);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, zip, LADING_FEED_OSV), 0);
	assert_true(st.advisories > 500);
	assert_true(st.advisories < 1206);
	assert_true(st.skipped >= 1);
	assert_non_null(strstr(lastwarn, "all.zip"));
}

/* Detection: OSV files, trees and zips are recognised; the other corpus
 * feeds are not. */
static void test_detection(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const sniff_case cases[] = {
	    {"vulndata/osv-go/GO-2020-0001.json", true},
	    {"vulndata/osv-rust/RUSTSEC-2016-0001.json", true},
	    {"vulndata/osv-pypi/accesscontrol/PYSEC-2021-335.yaml", true},
	    {"vulndata/alpine-secdb/v3.11/main.yaml", false},
	    {"vulndata/alpine-secdb/v3.3/community.yaml", false},
	    {"vulndata/debian/DSA-list", false},
	    {"vulndata/debian/DLA-list", false},
	    {"vulndata/npm-security-wg/1.json", false},
	    {"vulndata/ubuntu-cve-tracker/CVE-2002-2439", false},
	    {"vulndata/redhat-csaf-vex/cve-2023-4154.json", false},
	    {"vulndata/redhat-csaf-vex/rhsa-2022-0011.json", false},
	    {"vulndata/photon-oval/com.vmware.phsa-photon3.xml", false},
	};
	check_sniff(&vdb_importer_osv, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Importing the same input twice replaces its rows. */
static void test_reimport(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char dir[2048];
	corpus_path(dir, sizeof(dir), "vulndata/osv-rust");
	lading_import_stats a;
	assert_int_equal(do_import(&a, dbpath, dir, LADING_FEED_AUTO), 0);
	check_reimport(dbpath, dir, LADING_FEED_AUTO, &a);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 1206);
}

/* Truncated copies of real files: in a directory they are skipped with a
 * warning and the rest is imported; given alone, the import fails and the
 * database keeps what it had. */
static void test_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char src[2200], sub[256], p[512];
	snprintf(sub, sizeof(sub), "%s/feed", tmpdir);
	assert_int_equal(mkdir(sub, 0755), 0);
	static const char *const good[] = {"vulndata/osv-go/GO-2020-0001.json",
					   "vulndata/osv-pypi/accesscontrol/PYSEC-2021-335.yaml"};
	static const char *const bad[] = {"vulndata/osv-rust/RUSTSEC-2016-0001.json",
					  "vulndata/osv-pypi/accesscontrol/PYSEC-2021-370.yaml"};
	for (size_t i = 0; i < 2; i++) {
		size_t len = 0;
		char *d = slurp(corpus_path(src, sizeof(src), good[i]), &len);
		assert_non_null(d);
		snprintf(p, sizeof(p), "%s/%s", sub, strrchr(good[i], '/') + 1);
		write_file(p, d, len);
		free(d);
		d = slurp(corpus_path(src, sizeof(src), bad[i]), &len);
		assert_non_null(d);
		snprintf(p, sizeof(p), "%s/%s", sub, strrchr(bad[i], '/') + 1);
		write_file(p, d, len / 2);
		free(d);
	}
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, sub, LADING_FEED_OSV), 0);
	assert_int_equal(st.advisories, 2);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id IN ('GO-2020-0001', "
			       "'PYSEC-2021-335')"),
			 2);

	/* alone, a truncated file is an error, and the database is left as it was */
	snprintf(p, sizeof(p), "%s/RUSTSEC-2016-0001.json", sub);
	assert_int_equal(do_import(&st, dbpath, p, LADING_FEED_OSV), -LADING_EFORMAT);
	snprintf(p, sizeof(p), "%s/PYSEC-2021-370.yaml", sub);
	assert_int_equal(do_import(&st, dbpath, p, LADING_FEED_OSV), -LADING_EFORMAT);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 2);
}

/* Ecosystem and field mapping for feeds the corpus does not have (distro OSV,
 * GHSA, Maven): a hand-written edge-case fixture, a JSON array of advisories. */
static void test_mapping_edge_cases(void **state)
{
	(void)state;
	char p[256];
	snprintf(p, sizeof(p), "%s/edge.json", tmpdir);
	const char *doc =
	    "[{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-2024-"
	    "1\"],"
	    "\"upstream\":[\"CVE-2024-2\"],\"withdrawn\":\"2024-02-01T00:00:00Z\","
	    "\"database_specific\":{\"severity\":\"MODERATE\"},"
	    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/"
	    "A:H\"}],"
	    "\"affected\":["
	    "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo_Bar..baz\"},\"versions\":[]},"
	    "{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"org.example:lib\"},\"ranges\":[]},"
	    "{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"ecosystem\":\"Alpine:v3.19\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"ecosystem\":\"Ubuntu:Pro:18.04:LTS\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"ecosystem\":\"Rocky Linux:8\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"ecosystem\":\"Packagist\",\"name\":\"vendor/pkg\"}},"
	    "{\"package\":{\"ecosystem\":\"Ubuntu:Pro\",\"name\":\"openssl\"}},"
	    "{\"package\":{\"name\":\"no-ecosystem\"}},"
	    "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},\"ranges\":{}}]},"
	    "{\"id\":\"UBUNTU-CVE-2024-3\",\"modified\":\"2024-01-01T00:00:00Z\","
	    "\"severity\":[{\"type\":\"Ubuntu\",\"score\":\"medium\"}],\"affected\":[]},"
	    "{\"no\":\"id\"}]";
	write_file(p, doc, strlen(doc));
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, p, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_OSV);
	assert_int_equal(st.advisories, 2);
	assert_int_equal(st.affected, 8);
	assert_int_equal(st.skipped, 4); /* Ubuntu:Pro without release, no ecosystem, ranges {}, no id */
	strs r = {0};
	query(&r, dbpath, "SELECT namespace, package, scheme, ranges, versions FROM affected");
	const char *want[] = {
	    "alpine:3.19\topenssl\tapk\tNULL\tNULL",	 "debian:12\topenssl\tdpkg\tNULL\tNULL",
	    "maven\torg.example:lib\tmaven\tNULL\tNULL", "packagist\tvendor/pkg\tcomposer\tNULL\tNULL",
	    "pypi\tfoo-bar-baz\tpep440\tNULL\tNULL",	 "rocky linux:8\topenssl\tNULL\tNULL\tNULL",
	    "ubuntu:18.04\topenssl\tdpkg\tNULL\tNULL",	 "ubuntu:22.04\topenssl\tdpkg\tNULL\tNULL",
	};
	assert_int_equal(r.n, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(r.v[i], want[i]);
	strs_free(&r);
	query(
	    &r, dbpath,
	    "SELECT a.vuln_id, origin, type, ifnull(vector, ''), severity FROM severities JOIN advisories a "
	    "ON a.id = advisory_id");
	assert_int_equal(r.n, 3);
	assert_string_equal(
	    r.v[0], "GHSA-aaaa-bbbb-cccc\tghsa\tCVSS_V3\tCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\t"
		    "unknown");
	assert_string_equal(r.v[1], "GHSA-aaaa-bbbb-cccc\tghsa\tdatabase_specific\t\tmedium");
	assert_string_equal(r.v[2], "UBUNTU-CVE-2024-3\tubuntu\tdistro\t\tmedium");
	strs_free(&r);
	query(&r, dbpath, "SELECT alias FROM aliases");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0], "CVE-2024-1");
	assert_string_equal(r.v[1], "CVE-2024-2");
	strs_free(&r);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE withdrawn = '2024-02-01T00:00:00Z'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_go_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rust_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pypi_yaml_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_detection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mapping_edge_cases, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
