/* Tests of the NVD CVE API 2.0 importer (src/vulndb/import_nvd.c).
 *
 * The corpus has no NVD file, so the input here is HAND-WRITTEN: a small
 * response in the public API 2.0 schema (nvd.nist.gov/developers/
 * vulnerabilities), its records abridged from the real CVE-2021-44228 and
 * CVE-2014-0160 entries, plus a rejected record and deliberate defects. It is
 * imported plain and gzip-compressed through the public lading_vulndb_import()
 * and the SQLite file is checked row by row. The corpus feeds are used for the
 * negative detection checks. */
#include <unistd.h>
#include <zlib.h>

#define VDBTEST_NAME "nvd"
#include "vdbtest.h"

static const char fixture[] =
	"{\"resultsPerPage\":4,\"startIndex\":0,\"totalResults\":4,\"format\":\"NVD_CVE\",\"version\":\"2.0\","
	"\"timestamp\":\"2024-05-01T12:00:00.000\",\"vulnerabilities\":[\n"
	/* abridged from CVE-2021-44228 */
	"{\"cve\":{\"id\":\"CVE-2021-44228\",\"sourceIdentifier\":\"security@apache.org\","
	"\"published\":\"2021-12-10T10:15:09.143\",\"lastModified\":\"2024-04-03T17:15:08.163\","
	"\"vulnStatus\":\"Modified\",\"descriptions\":[{\"lang\":\"es\",\"value\":\"Apache Log4j2 ...\"},"
	"{\"lang\":\"en\",\"value\":\"Apache Log4j2 2.0-beta9 through 2.15.0 (excluding security releases 2.12.2, "
	"2.12.3, and 2.3.1) JNDI features used in configuration, log messages, and parameters do not protect "
	"against attacker controlled LDAP and other JNDI related endpoints.\"}],"
	"\"metrics\":{\"cvssMetricV31\":[{\"source\":\"nvd@nist.gov\",\"type\":\"Primary\",\"cvssData\":{"
	"\"version\":\"3.1\",\"vectorString\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\",\"attackVector\":"
	"\"NETWORK\",\"baseScore\":10.0,\"baseSeverity\":\"CRITICAL\"},\"exploitabilityScore\":3.9,"
	"\"impactScore\":6.0}],\"cvssMetricV2\":[{\"source\":\"nvd@nist.gov\",\"type\":\"Primary\",\"cvssData\":{"
	"\"version\":\"2.0\",\"vectorString\":\"AV:N/AC:M/Au:N/C:C/I:C/A:C\",\"baseScore\":9.3},"
	"\"baseSeverity\":\"HIGH\",\"exploitabilityScore\":8.6}]},"
	"\"weaknesses\":[{\"source\":\"security@apache.org\",\"type\":\"Primary\",\"description\":[{\"lang\":\"en\","
	"\"value\":\"CWE-917\"}]}],"
	"\"configurations\":[{\"nodes\":[{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":["
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*\","
	"\"versionStartIncluding\":\"2.0.1\",\"versionEndExcluding\":\"2.3.1\",\"matchCriteriaId\":\"03FA5E81\"},"
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*\",\"matchCriteriaId\":\"17854E42\"},"
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*\","
	"\"versionStartIncluding\":\"2.0.1\",\"versionEndExcluding\":\"2.3.1\",\"matchCriteriaId\":\"03FA5E81\"}]}]},"
	"{\"operator\":\"AND\",\"nodes\":[{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":["
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:siemens:sppa-t3000_ses3000_firmware:*:*:*:*:*:*:*:*\"}]},"
	"{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":[{\"vulnerable\":false,"
	"\"criteria\":\"cpe:2.3:h:siemens:sppa-t3000_ses3000:-:*:*:*:*:*:*:*\"}]}]}],"
	"\"references\":[{\"url\":\"https://logging.apache.org/log4j/2.x/security.html\",\"source\":"
	"\"security@apache.org\",\"tags\":[\"Release Notes\",\"Vendor Advisory\"]},{\"url\":"
	"\"https://github.com/apache/logging-log4j2/pull/608\",\"tags\":[\"Patch\",\"Third Party Advisory\"]},"
	"{\"url\":\"http://www.openwall.com/lists/oss-security/2021/12/10/1\"}]}},\n"
	/* abridged from CVE-2014-0160: a v4 metric added to exercise that path */
	"{\"cve\":{\"id\":\"CVE-2014-0160\",\"sourceIdentifier\":\"secalert@redhat.com\","
	"\"published\":\"2014-04-07T22:55:03.893\",\"lastModified\":\"2024-02-02T16:37:09.097\","
	"\"vulnStatus\":\"Analyzed\",\"descriptions\":[{\"lang\":\"en\",\"value\":\"The (1) TLS and (2) DTLS "
	"implementations in OpenSSL 1.0.1 before 1.0.1g do not properly handle Heartbeat Extension packets.\"}],"
	"\"metrics\":{\"cvssMetricV40\":[{\"source\":\"cna@example.org\",\"type\":\"Secondary\",\"cvssData\":{"
	"\"version\":\"4.0\",\"vectorString\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N\","
	"\"baseScore\":8.7,\"baseSeverity\":\"HIGH\"}}],\"cvssMetricV31\":[{\"source\":\"nvd@nist.gov\","
	"\"type\":\"Primary\",\"cvssData\":{\"version\":\"3.1\",\"vectorString\":"
	"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\",\"baseScore\":7.5,\"baseSeverity\":\"HIGH\"}}],"
	"\"cvssMetricV30\":[{\"source\":\"other\",\"type\":\"Secondary\"}]},"
	"\"configurations\":[{\"nodes\":[{\"operator\":\"OR\",\"negate\":false,\"cpeMatch\":["
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*\","
	"\"versionStartIncluding\":\"1.0.1\",\"versionEndExcluding\":\"1.0.1g\"},"
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:node\\\\.js:node\\\\.js:0.10.0:*:*:*:*:*:*:*\"},"
	"{\"vulnerable\":true,\"criteria\":\"cpe:2.3:a:*:x:*\"},"
	"{\"vulnerable\":true,\"criteria\":\"not-a-cpe\"}]}]}],"
	"\"references\":[]}},\n"
	/* a rejected record */
	"{\"cve\":{\"id\":\"CVE-2021-0001\",\"published\":\"2021-01-01T00:00:00.000\",\"lastModified\":"
	"\"2021-06-01T00:00:00.000\",\"vulnStatus\":\"Rejected\",\"descriptions\":[{\"lang\":\"en\",\"value\":"
	"\"Rejected reason: not a security issue.\"}],\"metrics\":{},\"references\":[]}},\n"
	/* defects: no id, not an object */
	"{\"cve\":{\"published\":\"2021-01-01T00:00:00.000\"}}, 42,\n"
	"{\"cve\":{\"id\":\"CVE-2022-0002\",\"descriptions\":[],\"metrics\":{\"cvssMetricV31\":[\"x\"]}}}\n"
	"]}\n";

/* The fixture written gzip-compressed to `path`. */
static void write_gz(const char *path)
{
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, fixture, sizeof(fixture) - 1), (int)(sizeof(fixture) - 1));
	assert_int_equal(gzclose(gz), Z_OK);
}

static void check(const char *src)
{
	char *got =
	    affected_lines("a.vuln_id||'|'||f.namespace||'|'||f.package||'|'||ifnull(f.scheme,'-')||'|'||"
			   "f.status||'|'||ifnull(f.fixed,'-')||'|'||ifnull(f.cpe,'-')",
			   src);
	assert_string_equal(
		got,
		"CVE-2014-0160|nvd|node.js:node.js|-|affected|-|{\"criteria\":\"cpe:2.3:a:node\\\\.js:node\\\\.js:0.10.0:*:*:*:*:*:*:*\","
		"\"vulnerable\":true}\n"
		"CVE-2014-0160|nvd|openssl:openssl|-|affected|-|{\"criteria\":\"cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*\","
		"\"versionStartIncluding\":\"1.0.1\",\"versionEndExcluding\":\"1.0.1g\",\"vulnerable\":true}\n"
		"CVE-2021-44228|nvd|apache:log4j|-|affected|-|{\"criteria\":\"cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*\","
		"\"versionStartIncluding\":\"2.0.1\",\"versionEndExcluding\":\"2.3.1\",\"vulnerable\":true}\n"
		"CVE-2021-44228|nvd|apache:log4j|-|affected|-|{\"criteria\":\"cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*\","
		"\"vulnerable\":true}\n"
		"CVE-2021-44228|nvd|siemens:sppa-t3000_ses3000_firmware|-|affected|-|{\"criteria\":"
		"\"cpe:2.3:a:siemens:sppa-t3000_ses3000_firmware:*:*:*:*:*:*:*:*\",\"vulnerable\":true}\n");
	free(got);
	got = q_rows("SELECT a.vuln_id||'|'||s.origin||'|'||s.type||'|'||ifnull(s.vector,'-')||'|'||s.score||'|'||"
		     "s.severity AS r FROM severities s JOIN advisories a ON a.id = s.advisory_id ORDER BY r");
	assert_string_equal(got, "CVE-2014-0160|cna@example.org|CVSS_V4|CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/"
				 "SC:N/SI:N/SA:N|8.7|high\n"
				 "CVE-2014-0160|nvd@nist.gov|CVSS_V3|CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N|7.5|high\n"
				 "CVE-2021-44228|nvd@nist.gov|CVSS_V2|AV:N/AC:M/Au:N/C:C/I:C/A:C|9.3|high\n"
				 "CVE-2021-44228|nvd@nist.gov|CVSS_V3|CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H|10.0|"
				 "critical\n");
	free(got);
	got = q_rows("SELECT ifnull(type,'-')||' '||url AS r FROM refs ORDER BY r");
	assert_string_equal(got, "ADVISORY https://logging.apache.org/log4j/2.x/security.html\n"
				 "FIX https://github.com/apache/logging-log4j2/pull/608\n"
				 "WEB http://www.openwall.com/lists/oss-security/2021/12/10/1\n");
	free(got);
	got = q_rows("SELECT vuln_id||'|'||ifnull(published,'-')||'|'||ifnull(modified,'-')||'|'||ifnull(withdrawn,'-')"
		     "||'|'||substr(ifnull(summary,'-'),1,20) AS r FROM advisories ORDER BY r");
	assert_string_equal(got, "CVE-2014-0160|2014-04-07T22:55:03.893|2024-02-02T16:37:09.097|-|The (1) TLS and (2) \n"
				 "CVE-2021-0001|2021-01-01T00:00:00.000|2021-06-01T00:00:00.000|2021-06-01T00:00:00.000|"
				 "Rejected reason: not\n"
				 "CVE-2021-44228|2021-12-10T10:15:09.143|2024-04-03T17:15:08.163|-|Apache Log4j2 2.0-be\n"
				 "CVE-2022-0002|-|-|-|-\n");
	free(got);
}

static void test_plain_and_gz(void **state)
{
	(void)state;
	char in[256];
	snprintf(in, sizeof(in), "%s/nvd-api.json", tmpdir);
	write_file(in, fixture, sizeof(fixture) - 1);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_NVD), 0);
	assert_int_equal(st.advisories, 4);
	assert_int_equal(st.affected, 5);
	/* no id, 42, bad cvssV30, bad cvssV31 entry, "*" vendor, not-a-cpe */
	assert_int_equal(st.skipped, 6);
	assert_int_equal(nwarn, 6);
	check("nvd-api.json");
	/* again: replaced, not doubled (4 advisories, 5 affected, 4 severities) */
	check_reimport(dbpath, in, LADING_FEED_NVD, &st);
	unlink(dbpath);

	snprintf(in, sizeof(in), "%s/nvdcve-2.0-2021.json.gz", tmpdir);
	write_gz(in);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_NVD), 0);
	assert_int_equal(st.advisories, 4);
	check("nvdcve-2.0-2021.json.gz");
	unlink(dbpath);
	/* the directory holding both files: 8 advisory writes, 4 distinct ids per
	 * file name are not merged across files (the later file wins) */
	assert_int_equal(do_import(&st, dbpath, tmpdir, LADING_FEED_NVD), 0);
	assert_int_equal(st.advisories, 8);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 4);
	assert_int_equal(q_int("SELECT count(*) FROM affected"), 5);
}

static void test_truncated(void **state)
{
	(void)state;
	char in[256];
	snprintf(in, sizeof(in), "%s/cut.json", tmpdir);
	const char *second = strstr(fixture, "{\"cve\":{\"id\":\"CVE-2014-0160\"");
	assert_non_null(second);
	write_file(in, fixture, (size_t)(second - fixture) + 100);
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_NVD), 0);
	assert_int_equal(st.advisories, 1);
	assert_int_equal(st.affected, 3);
	assert_int_equal(st.skipped, 1);
	/* a cut gzip stream: what inflated is imported */
	unlink(dbpath);
	snprintf(in, sizeof(in), "%s/cut.json.gz", tmpdir);
	write_gz(in);
	size_t n = 0;
	char *z = slurp(in, &n);
	assert_non_null(z);
	write_file(in, z, n - 200);
	free(z);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_NVD), 0);
	assert_true(st.advisories >= 1);
	assert_true(st.skipped >= 1);
	/* not JSON at all: bytes but no advisory is an error, not an empty feed */
	unlink(dbpath);
	write_file(in, "garbage", 7);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_NVD), -LADING_EFORMAT);
	assert_int_equal(st.advisories, 0);
	assert_int_equal(st.skipped, 1);
}

static void test_detect(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	/* the other feeds of the corpus */
	static const vdb_importer *const ours[] = {&vdb_importer_nvd, &vdb_importer_debian_tracker};
	check_not_claimed(ours, 2);
	/* AUTO picks NVD for an API response and for a gzip yearly file */
	char in[256];
	lading_import_stats st;
	snprintf(in, sizeof(in), "%s/nvd-api.json", tmpdir);
	write_file(in, fixture, sizeof(fixture) - 1);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_NVD);
	unlink(in);
	snprintf(in, sizeof(in), "%s/nvdcve-2.0-2021.json.gz", tmpdir);
	write_gz(in);
	assert_int_equal(do_import(&st, dbpath, in, LADING_FEED_AUTO), 0);
	assert_int_equal(st.type, LADING_FEED_NVD);
	/* and ours is not taken for a tracker file, nor the other way round */
	assert_true(vdb_importer_nvd.sniff("x.json", sv_make(fixture, sizeof(fixture) - 1)));
	assert_false(vdb_importer_debian_tracker.sniff("x.json", sv_make(fixture, sizeof(fixture) - 1)));
	assert_false(vdb_importer_debian_dsa.sniff("x.json", sv_make(fixture, sizeof(fixture) - 1)));
	assert_false(vdb_importer_ubuntu.sniff("x.json", sv_make(fixture, sizeof(fixture) - 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_and_gz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
