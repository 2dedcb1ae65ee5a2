/* Tests of the Ubuntu CVE tracker importer (src/vulndb/import_ubuntu.c).
 *
 * The REAL tracker sample of the corpus (465 files) is imported through the
 * public lading_vulndb_import() and the SQLite file is compared with rows
 * recomputed here from the raw files by a separate sscanf-based reading.
 * Hand-written inputs are edge cases and say so. */
#include <dirent.h>
#include <unistd.h>

#define VDBTEST_NAME "ubuntu"
#include "vdbtest.h"

/* ---- an independent reading of the raw files ------------------------------------ */

static const char *sev_of(const char *p)
{
	static const char *const s[] = {"negligible", "low", "medium", "high", "critical"};
	for (size_t i = 0; i < 5; i++)
		if (strcmp(p, s[i]) == 0)
			return s[i];
	return "";
}

static void expect_file(strs *r, const char *path)
{
	char *text = slurp(path, NULL);
	assert_non_null(text);
	char id[128] = "", prio[64] = "", ovpkg[16][128], ovsev[16][64];
	size_t nov = 0;
	char *save = NULL;
	/* header fields first: overrides may follow the rows they apply to */
	char *copy = strdup(text);
	assert_non_null(copy);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		sscanf(l, "Candidate: %127s", id);
		sscanf(l, "Priority: %63s", prio);
		if (nov < 16 && sscanf(l, "Priority_%127[^:]: %63s", ovpkg[nov], ovsev[nov]) == 2)
			nov++;
	}
	free(copy);
	assert_true(id[0]);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char rel[64], pkg[256], status[64], note[256] = "";
		if (sscanf(l, "%63[a-z0-9/.-]_%255[^:]: %63s %255[^\n]", rel, pkg, status, note) < 3)
			continue;
		if (strcmp(rel, "upstream") == 0 || strcmp(rel, "devel") == 0 || strchr(rel, '/') ||
		    strncmp(rel, "esm", 3) == 0 || strcmp(status, "DNE") == 0)
			continue;
		const char *num = vdb_ubuntu_release(rel);
		if (!num)
			continue;
		const char *st = strcmp(status, "released") == 0       ? "fixed"
				 : strcmp(status, "not-affected") == 0 ? "not-affected"
				 : strcmp(status, "ignored") == 0      ? "will-not-fix"
				 : strcmp(status, "deferred") == 0     ? "deferred"
								       : "unfixed";
		char fixed[256] = "";
		if (strcmp(st, "fixed") == 0)
			assert_int_equal(sscanf(note, "(%255[^)])", fixed), 1);
		const char *sev = sev_of(prio);
		for (size_t i = 0; i < nov; i++)
			if (strcmp(ovpkg[i], pkg) == 0)
				sev = sev_of(ovsev[i]);
		strs_addf(r, "%s|ubuntu:%s|%s|dpkg|%s|%s|%s", id, num, pkg, st, fixed, sev);
	}
	free(text);
}

static void test_corpus(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char dir[2100], p[4200];
	corpus_path(dir, sizeof(dir), "vulndata/ubuntu-cve-tracker");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, dir, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_UBUNTU);

	strs r = {0};
	long files = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "CVE-", 4) != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		expect_file(&r, p);
		files++;
	}
	closedir(d);
	assert_int_equal(files, 465);
	assert_int_equal(st.advisories, files);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), files);
	char *want = strs_join(&r), *got = row_lines("ubuntu-cve-tracker");
	assert_string_equal(got, want);
	assert_true(strlen(want) > 10000);
	free(want);
	free(got);
	/* only releases with numbers; the rest are reported once per release */
	assert_int_equal(st.skipped, 0); /* every release in the sample is known */

	/* checked by hand in CVE-2011-2896 and CVE-2017-9233 */
	got = q_rows("SELECT namespace||' '||package||' '||status||' '||ifnull(fixed,'-')||' '||ifnull(severity,'-') "
		     "FROM affected f JOIN advisories a ON a.id = f.advisory_id WHERE a.vuln_id = 'CVE-2011-2896' AND "
		     "namespace IN ('ubuntu:12.04','ubuntu:16.04') ORDER BY 1");
	assert_string_equal(got, "ubuntu:12.04 cups not-affected - medium\n"
				 "ubuntu:12.04 gimp not-affected - medium\n"
				 "ubuntu:12.04 swi-prolog will-not-fix - medium\n"
				 "ubuntu:16.04 cups not-affected - medium\n"
				 "ubuntu:16.04 gimp not-affected - medium\n"
				 "ubuntu:16.04 swi-prolog unfixed - medium\n");
	free(got);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id = 'CVE-2011-2896' AND published = "
			       "'2011-08-19T17:55:00Z' AND summary LIKE 'The LZW decompressor in the LWZReadByte %'"
			       " AND summary LIKE '% CVE-2006-1168 and CVE-2011-2895.'"),
			 1);
	assert_int_equal(q_int("SELECT count(*) FROM refs r JOIN advisories a ON a.id = r.advisory_id WHERE "
			       "a.vuln_id = 'CVE-2011-2896'"),
			 3);
	assert_int_equal(q_int("SELECT count(*) FROM severities s JOIN advisories a ON a.id = s.advisory_id WHERE "
			       "a.vuln_id = 'CVE-2018-7869' AND s.origin = 'nvd' AND s.type = 'CVSS_V3' AND s.vector = "
			       "'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'"),
			 1);
	/* Priority: medium, Priority_thunderbird: low */
	got = q_rows("SELECT DISTINCT package||' '||ifnull(severity,'-') FROM affected f JOIN advisories a ON a.id = "
		     "f.advisory_id WHERE a.vuln_id = 'CVE-2017-9233' AND package IN ('thunderbird','expat') ORDER BY 1");
	assert_string_equal(got, "expat medium\nthunderbird low\n");
	free(got);

	check_reimport(dbpath, dir, LADING_FEED_UBUNTU, NULL);
}

/* A real file cut inside a "released (version" row: the advisory and the rows
 * before the cut are kept, the cut row is reported. */
static void test_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char src[2100], in[256];
	corpus_path(src, sizeof(src), "vulndata/ubuntu-cve-tracker/CVE-2011-2896");
	size_t n = 0;
	char *text = slurp(src, &n);
	assert_non_null(text);
	char *cut = strstr(text, "precise_cups: not-affected (1.5");
	assert_non_null(cut);
	cut = strstr(cut, "xenial_gimp: not-affected (2.6.11-2u");
	assert_non_null(cut);
	snprintf(in, sizeof(in), "%s/CVE-2011-2896", tmpdir);
	write_file(in, text, (size_t)(cut - text) + 22);
	free(text);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_UBUNTU);
	assert_int_equal(st.advisories, 1);
	assert_int_equal(q_int("SELECT count(*) FROM affected WHERE package = 'cups'"), 20); /* lucid..eoan; DNE, esm, devel, upstream skipped */
	/* "xenial_gimp: not-aff" is an unknown status */
	assert_true(st.skipped >= 1);
	assert_true(nwarn >= 1);
}

/* HAND-WRITTEN edge cases: odd statuses, notes and release names. */
static void test_edge(void **state)
{
	(void)state;
	static const char text[] = "Candidate: CVE-2099-0001\n"
				   "PublicDate: 2099-01-02\n"
				   "Description:\n"
				   " line one\n"
				   "  line two\n"
				   "Ubuntu-Description:\n"
				   " ubuntu words\n"
				   "Priority: high\n"
				   "\n"
				   "Patches_foo:\n"
				   "upstream_foo: released (1.0)\n"
				   "focal_foo: released (1.0-1ubuntu0.1)\n"
				   "jammy_foo: released ()\n"
				   "noble_foo: released (1.0, 1.1)\n"
				   "bionic_foo: pending (1.0-0ubuntu0.18.04.1)\n"
				   "xenial_foo: sometimes\n"
				   "trusty_foo: deferred (2099-01-01)\n"
				   "trusty/esm_foo: released (1.0+esm1)\n"
				   "esm-infra/xenial_foo: released (1.0+esm2)\n"
				   "devel_foo: needed\n"
				   "snap_foo: needed\n"
				   "warty_foo: needed\n"
				   "eoan_foo: DNE\n"
				   "Priority_bar: negligible\n"
				   "focal_bar: needs-triage\n"
				   "jammy_bar: ignored (end of standard support)\n"
				   "noble_bar: not-affected (code not present)\n";
	char in[256];
	snprintf(in, sizeof(in), "%s/CVE-2099-0001", tmpdir);
	write_file(in, text, sizeof(text) - 1);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_UBUNTU);
	char *got = row_lines("CVE-2099-0001");
	assert_string_equal(got, "CVE-2099-0001|ubuntu:14.04|foo|dpkg|deferred||high\n"
				 "CVE-2099-0001|ubuntu:18.04|foo|dpkg|unfixed||high\n"
				 "CVE-2099-0001|ubuntu:20.04|bar|dpkg|unfixed||negligible\n"
				 "CVE-2099-0001|ubuntu:20.04|foo|dpkg|fixed|1.0-1ubuntu0.1|high\n"
				 "CVE-2099-0001|ubuntu:22.04|bar|dpkg|will-not-fix||negligible\n"
				 "CVE-2099-0001|ubuntu:24.04|bar|dpkg|not-affected||negligible\n");
	free(got);
	/* released (), released (a, b), unknown status, unknown release warty */
	assert_int_equal(st.skipped, 4);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE summary = 'line one line two' AND details = "
			       "'ubuntu words' AND published = '2099-01-02'"),
			 1);
	/* no Candidate: the file is skipped, and a file of nothing but skipped
	 * records is an error that leaves the database as it was */
	static const char bad[] = "PublicDate: 2099-01-02\nDescription:\n x\nfocal_foo: needed\n";
	snprintf(in, sizeof(in), "%s/CVE-2099-0002", tmpdir);
	write_file(in, bad, sizeof(bad) - 1);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_UBUNTU), -LADING_EFORMAT);
	assert_int_equal(st.advisories, 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(q_int("SELECT count(*) FROM sources"), 1);
}

static void test_detect(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* the other feeds of the corpus */
	static const vdb_importer *const ours[] = {&vdb_importer_ubuntu};
	check_not_claimed(ours, 1);
	/* every corpus file is recognised on its own, and by no other importer */
	char p[2100];
	corpus_path(p, sizeof(p), "vulndata/ubuntu-cve-tracker");
	DIR *d = opendir(p);
	assert_non_null(d);
	struct dirent *de;
	long yes = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char f2[4200];
		snprintf(f2, sizeof(f2), "%s/%s", p, de->d_name);
		yes += sniffs(&vdb_importer_ubuntu, f2);
		assert_false(sniffs(&vdb_importer_debian_dsa, f2));
		assert_false(sniffs(&vdb_importer_nvd, f2));
		assert_false(sniffs(&vdb_importer_debian_tracker, f2));
	}
	closedir(d);
	assert_int_equal(yes, 465);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
