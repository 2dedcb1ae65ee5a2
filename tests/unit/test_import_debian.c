/* Tests of the Debian importers: the DSA/DLA lists (src/vulndb/import_debian_dsa.c)
 * and the Security Tracker JSON (src/vulndb/import_debian_tracker.c).
 *
 * The DSA/DLA lists are the REAL files of the corpus. They are imported through
 * the public lading_vulndb_import() and the resulting SQLite file is compared
 * with rows computed here from the raw text by a separate, simpler parser.
 * The corpus has no tracker JSON; tests/fixtures-gen/debian_tracker_from_dsa.py
 * derives one from the real lists at test time (plus a few hand-written
 * entries it marks), and the rows are recomputed here from that JSON with
 * jansson. Hand-written inputs below are edge cases and say so. */
#include <jansson.h>
#include <unistd.h>

#define VDBTEST_NAME "debian"
#include "vdbtest.h"

/* ---- DSA/DLA lists: an independent reading of the raw text ------------------- */

typedef struct expect {
	long advisories, aliases;
	strs r;
} expect;

static const char *urgency_in(const char *note)
{
	static const char *const u[][2] = {
		{"unimportant", "negligible"}, {"low", "low"}, {"medium", "medium"}, {"high", "high"}};
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s", note);
	char *save = NULL;
	for (char *t = strtok_r(tmp, "();", &save); t; t = strtok_r(NULL, "();", &save)) {
		while (*t == ' ')
			t++;
		for (size_t i = 0; i < 4; i++)
			if (strcmp(t, u[i][0]) == 0)
				return u[i][1];
	}
	return "";
}

static void expect_list(expect *e, const char *path)
{
	char *text = slurp(path, NULL);
	assert_non_null(text);
	char id[64] = "";
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char date[3][16];
		if (line[0] == '[') {
			assert_int_equal(sscanf(line, "[%15s %15s %15[0-9]] %63s", date[0], date[1], date[2], id), 4);
			e->advisories++;
			continue;
		}
		char *p = line + strspn(line, " \t");
		if (*p == '{') {
			char *s2 = NULL;
			for (char *t = strtok_r(p, "{} ", &s2); t; t = strtok_r(NULL, "{} ", &s2))
				e->aliases++;
			continue;
		}
		char rel[32], pkg[256], ver[256];
		int off = 0;
		if (*p != '[' || sscanf(p, "[%31[^]]] - %255s %255s%n", rel, pkg, ver, &off) != 3)
			continue;
		const char *num = vdb_debian_release(rel);
		if (!num)
			continue;
		const char *status = "fixed", *fixed = ver;
		if (strcmp(ver, "<not-affected>") == 0)
			status = "not-affected", fixed = "";
		else if (strcmp(ver, "<unfixed>") == 0)
			status = "unfixed", fixed = "";
		else if (strcmp(ver, "<end-of-life>") == 0)
			status = "will-not-fix", fixed = "";
		else
			assert_true(ver[0] != '<'); /* the corpus has no other marker */
		strs_addf(&e->r, "%s|debian:%s|%s|dpkg|%s|%s|%s", id, num, pkg, status, fixed, urgency_in(p + off));
	}
	free(text);
}

static void test_dsa_corpus(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char dsa[2100], dla[2100];
	corpus_path(dsa, sizeof(dsa), "vulndata/debian/DSA-list");
	corpus_path(dla, sizeof(dla), "vulndata/debian/DLA-list");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, dsa, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_DEBIAN_DSA);
	assert_int_equal(do_import(&st, dbpath, dla, LADING_FEED_DEBIAN_DSA), 0);

	const char *files[] = {dsa, dla}, *names[] = {"DSA-list", "DLA-list"};
	for (int i = 0; i < 2; i++) {
		expect e = {0};
		expect_list(&e, files[i]);
		assert_int_equal(source_count("advisories", names[i]), e.advisories);
		assert_int_equal(source_count("aliases", names[i]), e.aliases);
		char *want = strs_join(&e.r);
		char *got = row_lines(names[i]);
		assert_string_equal(got, want);
		assert_true(strlen(want) > 1000);
		free(want);
		free(got);
	}
	/* rows checked by hand in the files */
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id = 'DSA-5380-1' AND published = "
			       "'2023-03-29' AND summary = 'xorg-server - security update'"),
			 1);
	char *got = q_rows("SELECT a.vuln_id||' '||x.alias FROM aliases x JOIN advisories a ON a.id = x.advisory_id "
			   "WHERE a.vuln_id IN ('DSA-5380-1','DLA-3372-1','DSA-5378-1') ORDER BY 1");
	assert_string_equal(got, "DLA-3372-1 CVE-2023-1393\nDSA-5378-1 CVE-2022-23824\nDSA-5378-1 CVE-2022-42331\n"
				 "DSA-5378-1 CVE-2022-42332\nDSA-5378-1 CVE-2022-42333\nDSA-5378-1 CVE-2022-42334\n"
				 "DSA-5380-1 CVE-2023-1393\n");
	free(got);
	got = q_rows("SELECT a.vuln_id||' '||namespace||' '||package||' '||status||' '||ifnull(fixed,'-') FROM affected f "
		     "JOIN advisories a ON a.id = f.advisory_id WHERE a.vuln_id IN ('DSA-5380-1','DLA-3372-1',"
		     "'DSA-3699-1','DSA-5356-2') ORDER BY 1");
	assert_string_equal(got, "DLA-3372-1 debian:10 xorg-server fixed 2:1.20.4-1+deb10u9\n"
				 "DSA-3699-1 debian:8 virtualbox will-not-fix -\n"
				 "DSA-5356-2 debian:11 sox fixed 14.4.2+git20190427-2+deb11u2\n"
				 "DSA-5380-1 debian:11 xorg-server fixed 2:1.20.11-1+deb11u6\n");
	free(got);
	/* re-importing an input replaces its rows */
	check_reimport(dbpath, dsa, LADING_FEED_AUTO, NULL);
	assert_int_equal(q_int("SELECT count(*) FROM sources"), 2);
}

/* HAND-WRITTEN edge cases: every marker of the tracker's lists in releases
 * that have numbers (the corpus has them only in old releases), urgencies in
 * notes, and malformed lines. */
static void test_dsa_markers(void **state)
{
	(void)state;
	static const char text[] =
		"[01 Apr 2023] DSA-9999-1 foo - security update\n"
		"\t{CVE-2099-0001 CVE-2099-0002}\n"
		"\t[bookworm] - foo <not-affected> (Vulnerable code not present)\n"
		"\t[bullseye] - foo <unfixed> (high)\n"
		"\t[buster] - foo <end-of-life>\n"
		"\t[stretch] - foo <postponed>\n"
		"\t[jessie] - foo <no-dsa> (Minor issue)\n"
		"\t[wheezy] - foo <removed>\n"
		"\t[trixie] - foo 1.2-3 (bug #123; medium)\n"
		"        [forky] - bar 2:0.1-1 (unimportant)\n"
		"\t[bookworm] - foo <bogus>\n"
		"\t[bookworm] foo 1.0\n"
		"\t[hamm] - foo 1.0\n"
		"\tNOTE: a note\n"
		"\tsomething else\n"
		"[32 Foo 2023] DSA-9998-1 bad - header\n"
		"\t[bookworm] - bad 1.0\n"
		"[02 Apr 2023] DLA-9997-1\n"
		"\t[bookworm] - baz 1.0\n"
		"garbage at column one\n";
	char in[256];
	snprintf(in, sizeof(in), "%s/list", tmpdir);
	write_file(in, text, sizeof(text) - 1);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_DEBIAN_DSA);
	assert_int_equal(st.advisories, 2);
	/* bogus marker, malformed line, unknown release, unrecognised line, bad
	 * date, line at column one */
	assert_int_equal(st.skipped, 6);
	assert_int_equal(nwarn, 6);
	char *got = row_lines("list");
	assert_string_equal(got, "DLA-9997-1|debian:12|baz|dpkg|fixed|1.0|\n"
				 "DSA-9999-1|debian:10|foo|dpkg|will-not-fix||\n"
				 "DSA-9999-1|debian:11|foo|dpkg|unfixed||high\n"
				 "DSA-9999-1|debian:12|foo|dpkg|not-affected||\n"
				 "DSA-9999-1|debian:13|foo|dpkg|fixed|1.2-3|medium\n"
				 "DSA-9999-1|debian:14|bar|dpkg|fixed|2:0.1-1|negligible\n"
				 "DSA-9999-1|debian:8|foo|dpkg|will-not-fix||\n"
				 "DSA-9999-1|debian:9|foo|dpkg|deferred||\n");
	free(got);
	assert_int_equal(q_int("SELECT count(*) FROM aliases"), 2);
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id = 'DLA-9997-1' AND summary IS NULL"), 1);
}

/* A real list cut inside an advisory header: everything before is imported,
 * the broken header is reported. */
static void test_dsa_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char src[2100], in[256];
	corpus_path(src, sizeof(src), "vulndata/debian/DSA-list");
	size_t n = 0;
	char *text = slurp(src, &n);
	assert_non_null(text);
	char *cut = strstr(text + n / 2, "\n[");
	assert_non_null(cut);
	snprintf(in, sizeof(in), "%s/DSA-list", tmpdir);
	write_file(in, text, (size_t)(cut - text) + 8);
	long headers = 0;
	for (char *p = text; p < cut; p = strchr(p, '\n') + 1)
		headers += p[0] == '[';
	free(text);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.advisories, headers);
	assert_true(st.skipped >= 1);
	assert_true(nwarn >= 1);
}

/* ---- tracker JSON --------------------------------------------------------------- */

static bool make_tracker(char *out, size_t cap)
{
	char dsa[2100], dla[2100], cmd[8192];
	corpus_path(dsa, sizeof(dsa), "vulndata/debian/DSA-list");
	corpus_path(dla, sizeof(dla), "vulndata/debian/DLA-list");
	snprintf(out, cap, "%s/tracker.json", tmpdir);
	snprintf(cmd, sizeof(cmd), "python3 tests/fixtures-gen/debian_tracker_from_dsa.py '%s' '%s' '%s'", out, dsa,
		 dla);
	if (system(cmd) != 0) {
		fprintf(stderr, "SKIP: python3 tests/fixtures-gen/debian_tracker_from_dsa.py failed\n");
		return false;
	}
	return true;
}

static void test_tracker_generated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[256];
	if (!make_tracker(in, sizeof(in)))
		skip();
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_DEBIAN_TRACKER);

	/* the rows, recomputed from the JSON */
	json_error_t err;
	json_t *root = json_load_file(in, 0, &err);
	assert_non_null(root);
	strs r = {0};
	json_t *ids = json_object();
	const char *pkg, *cve, *rel;
	json_t *pv, *cv, *rv;
	json_object_foreach(root, pkg, pv)
	{
		json_object_foreach(pv, cve, cv)
		{
			json_object_set_new(ids, cve, json_true());
			json_object_foreach(json_object_get(cv, "releases"), rel, rv)
			{
				const char *num = vdb_debian_release(rel);
				char ns[32];
				if (!num && strcmp(rel, "sid") != 0)
					continue;
				snprintf(ns, sizeof(ns), "debian:%s", num ? num : "sid");
				const char *s = json_string_value(json_object_get(rv, "status"));
				const char *fv = json_string_value(json_object_get(rv, "fixed_version"));
				const char *u = json_string_value(json_object_get(rv, "urgency"));
				const char *sev = strncmp(u, "unimportant", 11) == 0 ? "negligible"
						  : strncmp(u, "low", 3) == 0	    ? "low"
						  : strncmp(u, "medium", 6) == 0    ? "medium"
						  : strncmp(u, "high", 4) == 0	    ? "high"
										    : "";
				const char *status = strcmp(s, "resolved") == 0 ? (strcmp(fv, "0") == 0 ? "not-affected" : "fixed")
						     : strcmp(s, "undetermined") == 0 ? "undetermined"
						     : strcmp(u, "end-of-life") == 0 ? "will-not-fix"
										     : "unfixed";
				strs_addf(&r, "%s|%s|%s|dpkg|%s|%s|%s", cve, ns, pkg, status,
					 strcmp(status, "fixed") == 0 ? fv : "", sev);
			}
		}
	}
	assert_int_equal(st.advisories, json_object_size(ids));
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), json_object_size(ids));
	json_decref(ids);
	json_decref(root);
	char *want = strs_join(&r), *got = row_lines("tracker.json");
	assert_string_equal(got, want);
	free(want);
	free(got);

	/* checked by hand: DSA-5380-1, DLA-3372-1, DSA-5374/5375-1, DLA-3364/3365-1 */
	got = q_rows("SELECT namespace||' '||package||' '||status||' '||ifnull(fixed,'-')||' '||ifnull(severity,'-') "
		     "FROM affected f JOIN advisories a ON a.id = f.advisory_id WHERE a.vuln_id IN ('CVE-2023-1393',"
		     "'CVE-2023-25751','TEMP-0000000-LADING1','TEMP-0000000-LADING2') ORDER BY a.vuln_id, 1");
	assert_string_equal(got, "debian:10 xorg-server fixed 2:1.20.4-1+deb10u9 -\n"
				 "debian:11 xorg-server fixed 2:1.20.11-1+deb11u6 -\n"
				 "debian:10 firefox-esr fixed 102.9.0esr-1~deb10u1 -\n"
				 "debian:10 thunderbird fixed 1:102.9.0-1~deb10u1 -\n"
				 "debian:11 firefox-esr fixed 102.9.0esr-1~deb11u1 -\n"
				 "debian:11 thunderbird fixed 1:102.9.0-1~deb11u1 -\n"
				 "debian:12 xorg-server unfixed - negligible\n"
				 "debian:sid xorg-server unfixed - -\n"
				 "debian:11 curl not-affected - low\n"
				 "debian:12 curl undetermined - -\n");
	free(got);
	/* one advisory per CVE even when several packages name it */
	assert_int_equal(q_int("SELECT count(*) FROM advisories WHERE vuln_id = 'CVE-2023-25751'"), 1);
	assert_int_equal(q_int("SELECT count(*) FROM affected f JOIN advisories a ON a.id = f.advisory_id WHERE "
			       "a.vuln_id = 'TEMP-0000000-LADING1' AND a.summary LIKE 'HAND-WRITTEN%'"),
			 2);
	/* every release with no number is reported once */
	assert_int_equal(st.skipped, 0); /* every codename in the lists is known */
	check_reimport(dbpath, in, LADING_FEED_DEBIAN_TRACKER, NULL);
}

static void test_tracker_truncated(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char in[256];
	if (!make_tracker(in, sizeof(in)))
		skip();
	size_t n = 0;
	char *text = slurp(in, &n);
	assert_non_null(text);
	write_file(in, text, n / 2);
	free(text);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_true(st.advisories > 1000);
	assert_true(st.affected > 1000);
	assert_true(st.skipped >= 1);
	assert_true(nwarn >= 1);
}

/* HAND-WRITTEN edge cases: wrong types and odd values at every level. */
static void test_tracker_edge(void **state)
{
	(void)state;
	static const char text[] =
		"{\"pkg\": {\"CVE-2099-1\": {\"description\": \"d\", \"releases\": {"
		"\"bookworm\": {\"status\": \"resolved\", \"repositories\": {}, \"urgency\": \"high\"},"
		"\"bullseye\": {\"status\": \"weird\", \"repositories\": {}, \"urgency\": \"high\"},"
		"\"buster\": {\"repositories\": {}},"
		"\"hamm\": {\"status\": \"open\", \"repositories\": {}, \"urgency\": \"low\"},"
		"\"trixie\": 5,"
		"\"forky\": {\"status\": \"resolved\", \"fixed_version\": \"1.0-1\", \"repositories\": {},"
		" \"urgency\": \"medium**\"},"
		"\"sid\": {\"status\": \"open\", \"repositories\": {}, \"urgency\": \"end-of-life\"}}},"
		"\"CVE 2099 2\": {}, \"CVE-2099-3\": [], \"CVE-2099-4\": {\"releases\": []}},"
		"\"other\": [1, 2], \"\": {}, \"x y\": {},"
		"\"last\": {\"TEMP-1\": {\"releases\": {\"bookworm\": {\"status\": \"undetermined\","
		" \"urgency\": \"not yet assigned\", \"repositories\": {}}}}}}";
	char in[256];
	snprintf(in, sizeof(in), "%s/edge.json", tmpdir);
	write_file(in, text, sizeof(text) - 1);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_DEBIAN_TRACKER);
	char *got = row_lines("edge.json");
	assert_string_equal(got, "CVE-2099-1|debian:14|pkg|dpkg|fixed|1.0-1|medium\n"
				 "CVE-2099-1|debian:sid|pkg|dpkg|will-not-fix||\n"
				 "TEMP-1|debian:12|last|dpkg|undetermined||\n");
	free(got);
	/* resolved without version, unknown status, no status, trixie not an
	 * object, three bad CVE entries, three bad packages, unknown hamm */
	assert_int_equal(st.skipped, 11);
	assert_int_equal(st.advisories, 2);
}

/* ---- detection ------------------------------------------------------------------ */

static void test_detect(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* the other feeds of the corpus */
	static const vdb_importer *const ours[] = {&vdb_importer_debian_dsa, &vdb_importer_debian_tracker};
	check_not_claimed(ours, 2);
	char p[2100];
	corpus_path(p, sizeof(p), "vulndata/debian/DLA-list");
	assert_true(sniffs(&vdb_importer_debian_dsa, p));
	assert_false(sniffs(&vdb_importer_debian_tracker, p));
	/* the directory holding both lists */
	corpus_path(p, sizeof(p), "vulndata/debian");
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, p, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_DEBIAN_DSA);
	assert_int_equal(source_count("advisories", "debian"), 5406 + 3534);
	char in[256];
	if (!make_tracker(in, sizeof(in)))
		return;
	assert_false(sniffs(&vdb_importer_debian_dsa, in));
	assert_true(sniffs(&vdb_importer_debian_tracker, in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dsa_corpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsa_markers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsa_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracker_generated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracker_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracker_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
