/* Tests of the Alpine secdb importer (src/vulndb/import_alpine.c): the real
 * alpine-secdb YAML of the corpus is imported through lading_vulndb_import()
 * and the SQLite rows are compared with what this file computes from the raw
 * YAML by itself (a line reader, not libyaml). */
#include <ctype.h>
#include <unistd.h>

#define VDBTEST_NAME "alpine"
#include "vdbtest.h"

static const char *const releases[] = {"v3.3", "v3.4", "v3.5",	"v3.6", "v3.7",
				       "v3.8", "v3.9", "v3.10", "v3.11"};

/* ---- the independent reading of the raw feed --------------------------------------- */

typedef struct exrow {
	char id[64], ns[32], pkg[128], fixed[64]; /* fixed "" for "0" */
	size_t seq;
} exrow;

typedef struct exrows {
	exrow *v;
	size_t n, cap;
} exrows;

/* The id of a secfixes entry: a CVE in its canonical form even when misspelt
 * ("CVE_2019-2426", "CVE 2018-16859", "CVE-2017-8073.patch"), else the first
 * word as written. */
static void entry_id(char *out, size_t cap, const char *e)
{
	if (strncmp(e, "CVE", 3) == 0 && e[3] && strchr("-_ ", e[3])) {
		int y, n = 0;
		char num[32];
		if (sscanf(e + 4, "%4d-%31[0-9]%n", &y, num, &n) == 2 && strlen(num) >= 4) {
			snprintf(out, cap, "CVE-%04d-%s", y, num);
			return;
		}
	}
	size_t k = strcspn(e, " \t");
	snprintf(out, cap, "%.*s", (int)k, e);
}

/* Reads one alpine-secdb YAML file line by line: these files are regular
 * (distroversion, "- pkg:", "name:", "secfixes:", "<version>:", "- <id>"). */
static void read_secdb(exrows *out, const char *path)
{
	size_t len = 0;
	char *text = slurp(path, &len);
	assert_non_null(text);
	char ns[32] = "", pkg[128] = "", ver[64] = "";
	int in_fix = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);
		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = 0;
		char *t = line + strspn(line, " ");
		if (!*t || *t == '#')
			continue;
		if (t == line) { /* a top-level key */
			in_fix = 0;
			if (strncmp(t, "distroversion: v", 16) == 0)
				snprintf(ns, sizeof(ns), "alpine:%s", t + 16);
		} else if (strcmp(t, "- pkg:") == 0) {
			in_fix = 0;
			pkg[0] = ver[0] = 0;
		} else if (!in_fix && strncmp(t, "name: ", 6) == 0) {
			snprintf(pkg, sizeof(pkg), "%s", t + 6);
		} else if (strcmp(t, "secfixes:") == 0) {
			in_fix = 1;
		} else if (in_fix && strncmp(t, "- ", 2) == 0) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 1024;
				out->v = realloc(out->v, out->cap * sizeof(exrow));
				assert_non_null(out->v);
			}
			exrow *r = &out->v[out->n];
			memset(r, 0, sizeof(*r));
			entry_id(r->id, sizeof(r->id), t + 2 + strspn(t + 2, " "));
			snprintf(r->ns, sizeof(r->ns), "%s", ns);
			snprintf(r->pkg, sizeof(r->pkg), "%s", pkg);
			snprintf(r->fixed, sizeof(r->fixed), "%s", strcmp(ver, "0") == 0 ? "" : ver);
			r->seq = out->n++;
		} else if (in_fix && t[strlen(t) - 1] == ':') {
			t[strlen(t) - 1] = 0;
			if (*t == '"')
				t++, t[strlen(t) - 1] = 0;
			snprintf(ver, sizeof(ver), "%s", t);
		}
	}
	free(text);
}

static int cmp_exrow(const void *pa, const void *pb)
{
	const exrow *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (!c)
		c = strcmp(a->ns, b->ns);
	if (!c)
		c = strcmp(a->pkg, b->pkg);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The rows the database must hold: per (id, release, package) the lowest
 * fixed version by apk's rules, "not-affected" when only "0" lists it. */
static void expected_rows(strs *rows, size_t *nids, exrows *ex)
{
	qsort(ex->v, ex->n, sizeof(exrow), cmp_exrow);
	*nids = 0;
	for (size_t i = 0; i < ex->n;) {
		size_t j = i;
		const exrow *best = NULL;
		for (; j < ex->n && strcmp(ex->v[j].id, ex->v[i].id) == 0 &&
		       strcmp(ex->v[j].ns, ex->v[i].ns) == 0 && strcmp(ex->v[j].pkg, ex->v[i].pkg) == 0;
		     j++) {
			const exrow *r = &ex->v[j];
			int c;
			if (!r->fixed[0])
				continue;
			if (!best || (lading_version_cmp(&c, LADING_VS_APK, r->fixed, strlen(r->fixed),
							 best->fixed, strlen(best->fixed)) == 0 &&
				      c < 0))
				best = r;
		}
		if (i == 0 || strcmp(ex->v[i - 1].id, ex->v[i].id) != 0)
			(*nids)++;
		char row[512];
		snprintf(row, sizeof(row), "%s\t%s\t%s\tapk\t%s\t%s", ex->v[i].id, ex->v[i].ns, ex->v[i].pkg,
			 best ? "fixed" : "not-affected", best ? best->fixed : "NULL");
		strs_add(rows, row);
		i = j;
	}
	qsort(rows->v, rows->n, sizeof(char *), testutil_cmp_str);
}

/* The columns of the rows compared, after the advisory's id (affected_rows()). */
#define COLS "f.namespace, f.package, f.scheme, f.status, f.fixed"

/* ---- tests -------------------------------------------------------------------- */

/* The whole corpus directory (18 files, 9 releases): every row as computed
 * from the raw files. */
static void test_corpus_directory(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[2048], p[2200];
	corpus_path(in, sizeof(in), "vulndata/alpine-secdb");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_ALPINE_SECDB);

	exrows ex = {0};
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s/main.yaml", in, releases[i]);
		read_secdb(&ex, p);
		snprintf(p, sizeof(p), "%s/%s/community.yaml", in, releases[i]);
		read_secdb(&ex, p);
	}
	assert_true(ex.n > 12000); /* 12028 entries in the 18 files */
	strs want = {0}, got = {0};
	size_t nids;
	expected_rows(&want, &nids, &ex);
	affected_rows(&got, COLS, "alpine-secdb", NULL);
	assert_rows_equal(&want, &got);
	assert_int_equal(st.advisories, nids);
	assert_int_equal(st.affected, want.n);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), (long long)nids);
	/* the only record skipped: v3.6/main.yaml heimdal "7.4.0-r0:" lists no id */
	assert_int_equal(st.skipped, 1);
	strs_free(&want);
	strs_free(&got);
	free(ex.v);

	/* one namespace per release, major.minor without the "v" */
	query(&got, dbpath, "SELECT DISTINCT namespace FROM affected");
	assert_int_equal(got.n, 9);
	const char *nss[] = {"alpine:3.10", "alpine:3.11", "alpine:3.3", "alpine:3.4", "alpine:3.5",
			     "alpine:3.6",  "alpine:3.7",  "alpine:3.8", "alpine:3.9"};
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(got.v[i], nss[i]);
	strs_free(&got);
}

/* Rows checked by hand in the files. */
static void test_rows_checked_by_hand(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[2048];
	corpus_path(in, sizeof(in), "vulndata/alpine-secdb");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_ALPINE_SECDB), 0);
	strs r = {0};
	/* v3.10/community.yaml lists CVE-2017-15191 under wireshark 2.4.2-r0 first,
	 * then 2.2.10-r0: the lowest is kept (only when apk's comparator works) */
	int c = 0;
	bool apk_cmp = lading_version_cmp(&c, LADING_VS_APK, "2.2.10-r0", 9, "2.4.2-r0", 8) == 0;
	affected_rows(&r, COLS, "alpine-secdb",
		      "a.vuln_id = 'CVE-2017-15191' AND f.namespace = 'alpine:3.10'");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0], apk_cmp ? "CVE-2017-15191\talpine:3.10\twireshark\tapk\tfixed\t2.2.10-r0"
					    : "CVE-2017-15191\talpine:3.10\twireshark\tapk\tfixed\t2.4.2-r0");
	strs_free(&r);
	/* v3.4/main.yaml openssl: CVE-2017-3738 under 1.0.2n-r0 and 1.0.2o-r0 */
	affected_rows(&r, COLS, "alpine-secdb", "a.vuln_id = 'CVE-2017-3738' AND f.namespace = 'alpine:3.4'");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0], "CVE-2017-3738\talpine:3.4\topenssl\tapk\tfixed\t1.0.2n-r0");
	strs_free(&r);
	/* v3.8/main.yaml db: secfixes "0" (Oracle Berkeley DB whitelist) -> not affected */
	affected_rows(&r, COLS, "alpine-secdb", "f.status = 'not-affected'");
	assert_int_equal(r.n, 5);
	assert_string_equal(r.v[0], "CVE-2016-0682\talpine:3.8\tdb\tapk\tnot-affected\tNULL");
	assert_string_equal(r.v[4], "CVE-2016-3418\talpine:3.8\tdb\tapk\tnot-affected\tNULL");
	strs_free(&r);
	/* "CVE-2016-6258 XSA-182" (xen): the XSA id becomes an alias */
	query(&r, dbpath,
	      "SELECT alias FROM aliases JOIN advisories a ON a.id = advisory_id WHERE a.vuln_id = "
	      "'CVE-2016-6258'");
	assert_true(r.n >= 1);
	assert_string_equal(r.v[0], "XSA-182");
	strs_free(&r);
	/* "CVE-2018-14468 (FrameRelay)" (tcpdump): the remark is no alias */
	assert_int_equal(q_int("SELECT count(*) FROM aliases JOIN advisories a ON a.id = advisory_id WHERE "
			       "a.vuln_id = 'CVE-2018-14468'"),
			 0);
	assert_int_equal(q_int("SELECT count(*) FROM affected f JOIN advisories a ON a.id = f.advisory_id "
			       "WHERE a.vuln_id = 'CVE-2018-14468' AND f.package = 'tcpdump'"),
			 2);
	/* misspelt ids in the feed are rewritten: "CVE 2018-16859", "CVE_2019-2426" */
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id IN ('CVE-2018-16859', "
			       "'CVE-2019-2426')"),
			 2);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id LIKE 'CVE_2%' AND vuln_id NOT "
			       "LIKE 'CVE-2%'"),
			 0);
	/* one advisory for a CVE fixed in several packages and releases */
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id = 'CVE-2017-3738'"), 1);
	assert_true(q_int("SELECT count(*) FROM affected f JOIN advisories a ON a.id = f.advisory_id "
			  "WHERE a.vuln_id = 'CVE-2017-3738'") >= 5);
}

/* Importing the same input twice replaces its rows. */
static void test_reimport(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[2048];
	corpus_path(in, sizeof(in), "vulndata/alpine-secdb/v3.11/main.yaml");
	lading_import_stats a;
	assert_int_equal(do_import(&a, dbpath, in, LADING_FEED_AUTO), 0);
	check_reimport(dbpath, in, LADING_FEED_AUTO, &a);
	assert_int_equal(q_int("SELECT count(*) FROM sources"), 1);
	assert_int_equal((long long)a.advisories, q_int("SELECT count(*) FROM advisories"));
}

/* Detection: secdb files are recognised; the other corpus feeds are not. */
static void test_detection(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	static const sniff_case cases[] = {
	    {"vulndata/alpine-secdb/v3.3/main.yaml", true},
	    {"vulndata/alpine-secdb/v3.3/community.yaml", true}, /* no packages, but it is secdb */
	    {"vulndata/alpine-secdb/v3.11/community.yaml", true},
	    {"vulndata/osv-go/GO-2020-0001.json", false},
	    {"vulndata/osv-rust/RUSTSEC-2016-0001.json", false},
	    {"vulndata/osv-pypi/accesscontrol/PYSEC-2021-335.yaml", false},
	    {"vulndata/debian/DSA-list", false},
	    {"vulndata/debian/DLA-list", false},
	    {"vulndata/npm-security-wg/1.json", false},
	    {"vulndata/ubuntu-cve-tracker/CVE-2002-2439", false},
	    {"vulndata/redhat-csaf-vex/cve-2023-4154.json", false},
	    {"vulndata/photon-oval/com.vmware.phsa-photon3.xml", false},
	};
	check_sniff(&vdb_importer_alpine, cases, sizeof(cases) / sizeof(cases[0]));
	/* and through the public API, on a file */
	char in[2048];
	corpus_path(in, sizeof(in), "vulndata/alpine-secdb/v3.5/community.yaml");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_ALPINE_SECDB);
	assert_true(st.advisories > 0);
}

/* A real file cut in the middle: what was read before the cut is imported,
 * with a warning naming the file. */
static void test_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[2048], cut[256];
	corpus_path(in, sizeof(in), "vulndata/alpine-secdb/v3.11/main.yaml");
	size_t len = 0;
	char *text = slurp(in, &len);
	assert_non_null(text);
	snprintf(cut, sizeof(cut), "%s/main.yaml", tmpdir);
	/* cut inside a flow-less scalar of a later package, then also a
	 * truncation that leaves a broken quoted string */
	size_t cuts[] = {len / 2, len / 3 + 7};
	for (size_t k = 0; k < 2; k++) {
		FILE *f = fopen(cut, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, cuts[k], f), cuts[k]);
		if (k == 1)
			fputs("\n        \"1.2", f); /* an unterminated quoted key: a YAML syntax error */
		fclose(f);
		lading_import_stats st;
		assert_int_equal(do_import(&st, dbpath, cut, LADING_FEED_ALPINE_SECDB), 0);
		assert_true(st.advisories > 100);
		assert_true(st.advisories < 1123); /* the whole file has 1123 */
		if (k == 1) {
			assert_true(st.skipped >= 1);
			assert_non_null(strstr(lastwarn, "main.yaml"));
		}
	}
	free(text);
	unlink(cut);
}

/* The JSON form (secdb.alpinelinux.org). The corpus has none, so this is a
 * hand-written edge-case fixture in the real format, with entries copied from
 * v3.10 (wireshark's two branches, xen's XSA alias) and a "0" key; it must give
 * the same rows as the YAML. Also: a truncated JSON file fails and keeps the
 * database as it was. */
static void test_json_form(void **state)
{
	(void)state;
	char in[256];
	snprintf(in, sizeof(in), "%s/main.json", tmpdir);
	const char *json =
	    "{\"apkurl\":\"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/"
	    "{{pkg.name}}-{{pkg.ver}}.apk\","
	    "\"archs\":[\"x86_64\"],\"reponame\":\"community\",\"urlprefix\":\"https://"
	    "dl-cdn.alpinelinux.org/alpine\","
	    "\"distroversion\":\"v3.19\",\"packages\":["
	    "{\"pkg\":{\"name\":\"wireshark\",\"secfixes\":{\"2.4.2-r0\":[\"CVE-2017-15191\",\"CVE-2017-"
	    "15192\"],"
	    "\"2.2.10-r0\":[\"CVE-2017-15191\"]}}},"
	    "{\"pkg\":{\"name\":\"xen\",\"secfixes\":{\"4.7.0-r5\":[\"CVE-2016-6258 XSA-182\"]}}},"
	    "{\"pkg\":{\"name\":\"db\",\"secfixes\":{\"0\":[\"CVE-2016-0682\"]}}},"
	    "{\"pkg\":{\"name\":\"nofix\"}},"
	    "{\"pkg\":{\"secfixes\":{\"1-r0\":[\"CVE-2020-0001\"]}}}]}";
	FILE *f = fopen(in, "wb");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_ALPINE_SECDB);
	assert_int_equal(st.advisories, 4);
	assert_int_equal(st.skipped, 1); /* the package without a name */
	strs r = {0};
	affected_rows(&r, COLS, "main.json", NULL);
	int c = 0;
	bool apk_cmp = lading_version_cmp(&c, LADING_VS_APK, "2.2.10-r0", 9, "2.4.2-r0", 8) == 0;
	assert_int_equal(r.n, 4);
	assert_string_equal(r.v[0], "CVE-2016-0682\talpine:3.19\tdb\tapk\tnot-affected\tNULL");
	assert_string_equal(r.v[1], "CVE-2016-6258\talpine:3.19\txen\tapk\tfixed\t4.7.0-r5");
	assert_string_equal(r.v[2], apk_cmp ? "CVE-2017-15191\talpine:3.19\twireshark\tapk\tfixed\t2.2.10-r0"
					    : "CVE-2017-15191\talpine:3.19\twireshark\tapk\tfixed\t2.4.2-r0");
	assert_string_equal(r.v[3], "CVE-2017-15192\talpine:3.19\twireshark\tapk\tfixed\t2.4.2-r0");
	strs_free(&r);

	f = fopen(in, "wb");
	assert_non_null(f);
	fwrite(json, 1, strlen(json) / 2, f);
	fclose(f);
	assert_int_not_equal(do_import(&st, dbpath, in, LADING_FEED_ALPINE_SECDB), 0);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 4);
	unlink(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_corpus_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_checked_by_hand, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_detection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_form, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
