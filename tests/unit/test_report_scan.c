/* Tests for the scan-result writers (lading_report_render_scan): table, our
 * json (lading.scan/v1), SARIF 2.1.0 and CycloneDX 1.6 with vulnerabilities.
 *
 * The inventory is built from a real package list in the corpus: the apk
 * listing of the Alpine 3.10.9 minirootfs. The findings are HAND-MADE with
 * findings_add (the matcher is not run here): they pair packages of that
 * rootfs with real advisory ids and fixed versions from the corpus's Alpine
 * secdb for v3.10 (main.yaml; the test checks each id and version is there)
 * and Debian's DSA list for aliases. Severities, CVSS scores/vectors and the
 * statuses are hand-chosen to cover every value; the matcher would not report
 * these for this rootfs (its packages are newer than the snapshot's fixes),
 * which the writers neither know nor need to. Outputs are parsed back with
 * jansson; when node and tests/js/node_modules are there, the SARIF output is
 * run through tests/js/validate-sarif.mjs (SARIF 2.1.0 JSON schema and
 * Microsoft's SARIF multitool) and the CycloneDX output through
 * tests/js/validate-cdx.mjs. */
#include "reporttest.h"

#include <math.h>

#include "match/match_priv.h"

#define APK_TSV "images/alpine/alpine-minirootfs-3.10.9-x86_64.apk-full.tsv"
#define APK_OS	"images/alpine/alpine-minirootfs-3.10.9-x86_64.os-release"
#define SECDB	"vulndata/alpine-secdb/v3.10/main.yaml"
#define DSA	"vulndata/debian/DSA-list"
#define NS	"alpine:3.10"


/* ---- the inventory -------------------------------------------------------- */

/* The packages and the OS from the corpus; the image identity is hand-made
 * (set_image()). */
static lading_inventory *alpine_inventory(tsv *t)
{
	lading_inventory *inv = apk_inventory_of(t, APK_TSV);
	assert_int_equal(t->nrows, 14);
	set_os_from(inv, APK_OS, "3.10.9");
	set_image(inv, "docker-archive:/tmp/alpine-3.10.tar", "docker.io/library/alpine:3.10.9");
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

static size_t pkg_index(const lading_inventory *inv, const char *name)
{
	size_t n = lading_inventory_npackages(inv);
	for (size_t i = 0; i < n; i++)
		if (strcmp(lading_inventory_package(inv, i)->name, name) == 0)
			return i;
	fail_msg("package %s not in the inventory", name);
	return 0;
}

/* ---- the hand-made findings ------------------------------------------------ */

typedef struct hand {
	const char *pkg, *id, *fixed;
	lading_vuln_status status;
	lading_severity sev;
	double score;
	const char *vector;
	const char *alias[2];
	const char *summary;
} hand;

/* ids and fixed versions: secdb v3.10 main.yaml (musl, openssl, busybox);
 * aliases: DSA-list ("DSA-4539-1 openssl", "DSA-4540-1 openssl1.0"). */
static const hand hands[] = {
    {"musl",
     "CVE-2019-14697",
     "1.1.22-r3",
     LADING_VULN_FIXED,
     LADING_SEV_CRITICAL,
     9.8,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     {NULL, NULL},
     "musl libc through 1.1.23 has an x87 floating-point stack adjustment imbalance"},
    {"musl-utils",
     "CVE-2019-14697",
     "1.1.22-r3",
     LADING_VULN_FIXED,
     LADING_SEV_CRITICAL,
     9.8,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
     {NULL, NULL},
     "musl libc through 1.1.23 has an x87 floating-point stack adjustment imbalance"},
    {"busybox",
     "CVE-2019-5747",
     "1.30.1-r2",
     LADING_VULN_FIXED,
     LADING_SEV_HIGH,
     7.5,
     "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
     {NULL, NULL},
     "udhcp client out-of-bounds read\nsecond line of the summary"},
    {"libcrypto1.1",
     "CVE-2019-1547",
     "1.1.1d-r0",
     LADING_VULN_FIXED,
     LADING_SEV_MEDIUM,
     4.7,
     "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N",
     {"DSA-4539-1", "DSA-4540-1"},
     "ECDSA remote timing attack"},
    {"libssl1.1",
     "CVE-2019-1563",
     NULL,
     LADING_VULN_UNFIXED,
     LADING_SEV_LOW,
     3.7,
     "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N",
     {"DSA-4539-1", NULL},
     "Padding oracle in PKCS7_dataDecode"},
    {"ssl_client",
     "CVE-2018-20679",
     NULL,
     LADING_VULN_WONTFIX,
     LADING_SEV_NEGLIGIBLE,
     5.0,
     "AV:N/AC:L/Au:N/C:P/I:N/A:N",
     {NULL, NULL},
     NULL},
    {"libcrypto1.1",
     "CVE-2019-1543",
     "1.1.1b-r1",
     LADING_VULN_DEFERRED,
     LADING_SEV_UNKNOWN,
     -1,
     NULL,
     {NULL, NULL},
     NULL},
};
#define NHANDS (sizeof(hands) / sizeof(hands[0]))

static void check_in_corpus(void)
{
	char path[8192];
	char *secdb = slurp(corpus_path(path, sizeof(path), SECDB), NULL),
	     *dsa = slurp(corpus_path(path, sizeof(path), DSA), NULL);
	assert_non_null(secdb);
	assert_non_null(dsa);
	for (size_t i = 0; i < NHANDS; i++) {
		char want[64];
		snprintf(want, sizeof(want), "- %s\n", hands[i].id);
		assert_non_null(strstr(secdb, want));
		const char *ver = hands[i].fixed ? hands[i].fixed : "1.29.3-r10";
		snprintf(want, sizeof(want), "%s:\n", ver);
		if (hands[i].fixed || hands[i].status == LADING_VULN_WONTFIX)
			assert_non_null(strstr(secdb, want));
	}
	assert_non_null(strstr(dsa, "DSA-4539-1 openssl - security update\n\t{CVE-2019-1547 CVE-2019-1563}"));
	assert_non_null(
	    strstr(dsa, "DSA-4540-1 openssl1.0 - security update\n\t{CVE-2019-1547 CVE-2019-1563}"));
	free(secdb);
	free(dsa);
}

static lading_findings *alpine_findings(const lading_inventory *inv, size_t suppressed)
{
	check_in_corpus();
	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);
	for (size_t i = 0; i < NHANDS; i++) {
		const hand *h = &hands[i];
		size_t k = pkg_index(inv, h->pkg);
		char url[128];
		snprintf(url, sizeof(url), "https://security.alpinelinux.org/vuln/%s", h->id);
		const char *urls[2] = {"not a url", url};
		lading_finding f = {.package = k,
				    .vuln_id = h->id,
				    .naliases = h->alias[1]   ? 2
						: h->alias[0] ? 1
							      : 0,
				    .aliases = h->alias,
				    .status = h->status,
				    .installed = lading_inventory_package(inv, k)->version,
				    .fixed = h->fixed,
				    .severity = h->sev,
				    .severity_source = h->score >= 0 ? "nvd" : NULL,
				    .cvss_score = h->score,
				    .cvss_vector = h->vector,
				    .namespace = NS,
				    .matched_name = lading_inventory_package(inv, k)->source_name,
				    .source = "alpine-secdb",
				    .summary = h->summary,
				    .published = i == 0	  ? "2019-08-06T16:15:11Z"
						 : i == 1 ? "2019-08-06"
							  : NULL,
				    .nurls = 2,
				    .urls = urls};
		assert_int_equal(findings_add(fs, &f), 0);
	}
	findings_sort(fs);
	fs->os_ns = NS;
	fs->os_has_data = 1;
	fs->suppressed = suppressed;
	return fs;
}

/* The corpus inventory with the hand-made findings on it, `suppressed` of
 * them said to be filtered out: what most tests render. */
typedef struct corpus_scan {
	tsv t;
	lading_inventory *inv;
	lading_findings *fs;
} corpus_scan;

static void corpus_scan_open(corpus_scan *c, size_t suppressed)
{
	c->inv = alpine_inventory(&c->t);
	c->fs = alpine_findings(c->inv, suppressed);
}

static void corpus_scan_close(corpus_scan *c)
{
	lading_findings_free(c->fs);
	lading_inventory_free(c->inv);
	free(c->t.text);
}

/* ---- helpers -------------------------------------------------------------- */

static json_int_t jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ---- argument checks -------------------------------------------------------- */

static void test_formats_and_arguments(void **state)
{
	(void)state;
	lading_format fmt = 0;
	assert_int_equal(lading_format_parse(&fmt, "sarif"), 0);
	assert_int_equal(fmt, LADING_FMT_SARIF);

	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	lading_package p = {.type = LADING_PKG_APK, .name = "zlib", .version = "1.2.11-r1", .layer = -1};
	assert_int_equal(inv_add_package(inv, &p), 0);
	assert_int_equal(inv_finish(inv), 0);
	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);
	char *out = (char *)1;
	size_t len = 9;
	/* SPDX 2.3 cannot carry vulnerabilities; SARIF cannot carry an SBOM */
	assert_int_equal(lading_report_render_scan(&out, &len, inv, fs, LADING_FMT_SPDX, &fixed),
			 -LADING_EINVAL);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(lading_report_render(&out, &len, inv, LADING_FMT_SARIF, &fixed), -LADING_EINVAL);
	assert_int_equal(lading_report_render_scan(&out, &len, inv, NULL, LADING_FMT_JSON, &fixed),
			 -LADING_EINVAL);
	assert_int_equal(lading_report_render_scan(&out, &len, NULL, fs, LADING_FMT_JSON, &fixed),
			 -LADING_EINVAL);
	assert_int_equal(lading_report_render_scan(&out, &len, inv, fs, (lading_format)77, &fixed),
			 -LADING_EINVAL);
	lading_report_options bad = fixed;
	bad.timestamp = "yesterday";
	assert_int_equal(lading_report_render_scan(&out, &len, inv, fs, LADING_FMT_SARIF, &bad),
			 -LADING_EINVAL);
	/* Hand-made: a finding that names a package this inventory does not have. */
	lading_finding f = {
	    .package = 1, .vuln_id = "CVE-2018-25032", .status = LADING_VULN_UNFIXED, .cvss_score = -1};
	assert_int_equal(findings_add(fs, &f), 0);
	for (lading_format k = LADING_FMT_TABLE; k <= LADING_FMT_SARIF; k++)
		assert_int_equal(lading_report_render_scan(&out, &len, inv, fs, k, &fixed), -LADING_EINVAL);
	lading_findings_free(fs);
	lading_inventory_free(inv);
}

/* ---- json ------------------------------------------------------------------- */

static void test_json_scan(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	corpus_scan c;
	corpus_scan_open(&c, 3);
	json_t *j = render_json(c.inv, c.fs, LADING_FMT_JSON);
	assert_string_equal(jstr(j, "schema"), "lading.scan/v1");
	assert_string_equal(jstr(json_object_get(j, "tool"), "name"), "lading");
	assert_string_equal(jstr(json_object_get(j, "image"), "name"), "docker.io/library/alpine:3.10.9");
	assert_string_equal(jstr(json_object_get(j, "os"), "version_id"), "3.10.9");
	assert_string_equal(jstr(j, "os_namespace"), NS);
	assert_true(json_is_true(json_object_get(j, "os_has_data")));
	json_t *pkgs = json_object_get(j, "packages");
	assert_int_equal(json_array_size(pkgs), 14);
	assert_true(json_is_array(json_object_get(j, "warnings")));

	/* the packages part is lading.sbom/v1's, byte for byte */
	char *sbom = NULL;
	assert_int_equal(lading_report_render(&sbom, NULL, c.inv, LADING_FMT_JSON, &fixed), 0);
	json_t *sj = json_loads(sbom, 0, NULL);
	assert_non_null(sj);
	assert_true(json_equal(json_object_get(sj, "packages"), pkgs));
	assert_true(json_equal(json_object_get(sj, "image"), json_object_get(j, "image")));
	json_decref(sj);
	free(sbom);

	json_t *list = json_object_get(j, "findings");
	assert_int_equal(json_array_size(list), NHANDS);
	size_t i, seen = 0;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		/* package_id names a package of this document with that name */
		size_t k, found = 0;
		json_t *p;
		json_array_foreach(pkgs, k, p)
		{
			if (strcmp(jstr(p, "id"), jstr(f, "package_id")) == 0) {
				found++;
				assert_string_equal(jstr(p, "name"), jstr(f, "package_name"));
				assert_string_equal(jstr(p, "version"), jstr(f, "installed"));
			}
		}
		assert_int_equal(found, 1);
		assert_string_equal(jstr(f, "namespace"), NS);
		assert_string_equal(jstr(f, "source"), "alpine-secdb");
		/* the free-text "url" the feed gave is kept as it came */
		assert_int_equal(json_array_size(json_object_get(f, "urls")), 2);
		assert_string_equal(json_string_value(json_array_get(json_object_get(f, "urls"), 0)),
				    "not a url");
		const char *id = jstr(f, "vuln_id");
		if (strcmp(id, "CVE-2019-14697") == 0 && strcmp(jstr(f, "package_name"), "musl") == 0) {
			seen |= 1;
			assert_string_equal(jstr(f, "status"), "fixed");
			assert_string_equal(jstr(f, "fixed"), "1.1.22-r3");
			assert_string_equal(jstr(f, "severity"), "critical");
			assert_string_equal(jstr(f, "severity_source"), "nvd");
			assert_true(fabs(json_real_value(json_object_get(f, "cvss_score")) - 9.8) < 1e-9);
			assert_string_equal(jstr(f, "cvss_vector"),
					    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
			assert_string_equal(jstr(f, "published"), "2019-08-06T16:15:11Z");
			assert_int_equal(json_array_size(json_object_get(f, "aliases")), 0);
		} else if (strcmp(id, "CVE-2019-1547") == 0) {
			seen |= 2;
			json_t *al = json_object_get(f, "aliases");
			assert_int_equal(json_array_size(al), 2);
			assert_string_equal(json_string_value(json_array_get(al, 1)), "DSA-4540-1");
		} else if (strcmp(id, "CVE-2019-1543") == 0) {
			seen |= 4;
			assert_string_equal(jstr(f, "status"), "deferred");
			assert_string_equal(jstr(f, "severity"), "unknown");
			assert_true(json_is_null(json_object_get(f, "cvss_score")));
			assert_true(json_is_null(json_object_get(f, "cvss_vector")));
			assert_true(json_is_null(json_object_get(f, "severity_source")));
			assert_true(json_is_null(json_object_get(f, "summary")));
			assert_true(json_is_null(json_object_get(f, "published")));
		} else if (strcmp(id, "CVE-2018-20679") == 0) {
			seen |= 8;
			assert_string_equal(jstr(f, "status"), "will-not-fix");
			assert_true(json_is_null(json_object_get(f, "fixed")));
		}
	}
	assert_int_equal(seen, 15);
	/* matcher order: by package, then severity */
	assert_string_equal(jstr(json_array_get(list, 0), "package_name"), "busybox");

	json_t *sum = json_object_get(j, "summary");
	assert_int_equal(jint(sum, "total"), NHANDS);
	json_t *by = json_object_get(sum, "by_severity");
	assert_int_equal(jint(by, "critical"), 2);
	assert_int_equal(jint(by, "high"), 1);
	assert_int_equal(jint(by, "medium"), 1);
	assert_int_equal(jint(by, "low"), 1);
	assert_int_equal(jint(by, "negligible"), 1);
	assert_int_equal(jint(by, "unknown"), 1);
	assert_int_equal(json_object_size(by), 6);
	assert_int_equal(jint(sum, "suppressed"), 3);
	assert_true(json_is_false(json_object_get(sum, "os_unchecked")));
	json_decref(j);
	corpus_scan_close(&c);
}

/* ---- SARIF ------------------------------------------------------------------- */

/* Rules unique, every result's ruleIndex points at its ruleId, every result
 * has a fingerprint. Returns the number of results. */
static size_t check_sarif(json_t *log)
{
	assert_string_equal(jstr(log, "version"), "2.1.0");
	assert_string_equal(jstr(log, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	json_t *runs = json_object_get(log, "runs");
	assert_int_equal(json_array_size(runs), 1);
	json_t *run = json_array_get(runs, 0);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	assert_string_equal(jstr(driver, "name"), "lading");
	assert_string_equal(jstr(driver, "version"), LADING_VERSION);
	assert_null(json_object_get(driver, "informationUri")); /* no home page to point at yet */
	json_t *rules = json_object_get(driver, "rules");
	size_t i, nr = json_array_size(rules);
	json_t *r;
	json_array_foreach(rules, i, r)
	{
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(jstr(json_array_get(rules, k), "id"), jstr(r, "id"));
		assert_non_null(jstr(json_object_get(r, "shortDescription"), "text"));
		assert_non_null(jstr(json_object_get(r, "fullDescription"), "text"));
		json_t *tags = json_object_get(json_object_get(r, "properties"), "tags");
		assert_string_equal(json_string_value(json_array_get(tags, 0)), "vulnerability");
		assert_string_equal(json_string_value(json_array_get(tags, 1)), "security");
	}
	json_t *res;
	json_array_foreach(json_object_get(run, "results"), i, res)
	{
		json_int_t ri = jint(res, "ruleIndex");
		assert_true(ri >= 0 && (size_t)ri < nr);
		assert_string_equal(jstr(json_array_get(rules, (size_t)ri), "id"), jstr(res, "ruleId"));
		const char *lvl = jstr(res, "level");
		assert_true(strcmp(lvl, "error") == 0 || strcmp(lvl, "warning") == 0 ||
			    strcmp(lvl, "note") == 0);
		assert_non_null(jstr(json_object_get(res, "message"), "text"));
		const char *fp =
		    jstr(json_object_get(res, "partialFingerprints"), "ladingPackageVulnerability/v1");
		assert_non_null(fp);
		assert_int_equal(strlen(fp), 64);
	}
	return json_array_size(json_object_get(run, "results"));
}

static json_t *find_result(json_t *log, const char *rule, const char *pkg)
{
	size_t i;
	json_t *res;
	json_array_foreach(json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results"), i,
			   res)
	{
		if (strcmp(jstr(res, "ruleId"), rule) == 0 &&
		    strcmp(jstr(json_object_get(res, "properties"), "packageName"), pkg) == 0)
			return res;
	}
	fail_msg("no result %s for %s", rule, pkg);
	return NULL;
}

static void test_sarif_scan(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	corpus_scan c;
	corpus_scan_open(&c, 0);
	json_t *log = render_json(c.inv, c.fs, LADING_FMT_SARIF);
	assert_int_equal(check_sarif(log), NHANDS);
	json_t *run = json_array_get(json_object_get(log, "runs"), 0);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	/* CVE-2019-14697 affects two packages: one rule, two results */
	assert_int_equal(json_array_size(rules), NHANDS - 1);
	/* sorted by id */
	assert_string_equal(jstr(json_array_get(rules, 0), "id"), "CVE-2018-20679");

	json_t *musl = find_result(log, "CVE-2019-14697", "musl");
	json_t *mutils = find_result(log, "CVE-2019-14697", "musl-utils");
	assert_string_equal(jstr(musl, "level"), "error");
	assert_string_equal(jstr(json_object_get(musl, "message"), "text"),
			    "musl 1.1.22-r4 is affected by CVE-2019-14697 (critical); fixed in 1.1.22-r3.");
	json_t *art = json_object_get(
	    json_object_get(json_array_get(json_object_get(musl, "locations"), 0), "physicalLocation"),
	    "artifactLocation");
	assert_string_equal(jstr(art, "uri"), "lib/apk/db/installed");
	assert_string_equal(jstr(art, "uriBaseId"), "ROOTPATH");
	assert_int_equal(jint(musl, "ruleIndex"), jint(mutils, "ruleIndex"));
	const char *fp1 = jstr(json_object_get(musl, "partialFingerprints"), "ladingPackageVulnerability/v1"),
		   *fp2 =
		       jstr(json_object_get(mutils, "partialFingerprints"), "ladingPackageVulnerability/v1");
	assert_string_not_equal(fp1, fp2);

	json_t *rule = json_array_get(rules, (size_t)jint(musl, "ruleIndex"));
	json_t *props = json_object_get(rule, "properties");
	assert_string_equal(jstr(props, "security-severity"), "9.8");
	assert_string_equal(json_string_value(json_array_get(json_object_get(props, "tags"), 2)), "critical");
	assert_string_equal(jstr(rule, "helpUri"), "https://security.alpinelinux.org/vuln/CVE-2019-14697");
	assert_string_equal(jstr(json_object_get(rule, "defaultConfiguration"), "level"), "error");
	assert_non_null(strstr(jstr(json_object_get(rule, "help"), "text"), "CVSS 9.8"));

	/* levels by severity, messages by status */
	json_t *r = find_result(log, "CVE-2019-1547", "libcrypto1.1");
	assert_string_equal(jstr(r, "level"), "warning");
	r = find_result(log, "CVE-2019-1563", "libssl1.1");
	assert_string_equal(jstr(r, "level"), "note");
	assert_string_equal(jstr(json_object_get(r, "message"), "text"),
			    "libssl1.1 1.1.1k-r0 is affected by CVE-2019-1563 (low); no fix yet.");
	r = find_result(log, "CVE-2018-20679", "ssl_client");
	assert_string_equal(jstr(r, "level"), "note");
	assert_non_null(strstr(jstr(json_object_get(r, "message"), "text"), "will not fix"));
	r = find_result(log, "CVE-2019-1543", "libcrypto1.1");
	assert_string_equal(jstr(r, "level"), "note");
	rule = json_array_get(rules, (size_t)jint(r, "ruleIndex"));
	/* no score known: no security-severity, and the id stands in for a summary */
	assert_null(json_object_get(json_object_get(rule, "properties"), "security-severity"));
	assert_string_equal(jstr(json_object_get(rule, "shortDescription"), "text"), "CVE-2019-1543");
	r = find_result(log, "CVE-2019-5747", "busybox");
	assert_string_equal(jstr(r, "level"), "error");
	rule = json_array_get(rules, (size_t)jint(r, "ruleIndex"));
	/* the short description is the summary's first line */
	assert_string_equal(jstr(json_object_get(rule, "shortDescription"), "text"),
			    "udhcp client out-of-bounds read");
	assert_string_equal(jstr(json_object_get(rule, "fullDescription"), "text"),
			    "udhcp client out-of-bounds read\nsecond line of the summary");
	assert_string_equal(jstr(json_object_get(rule, "properties"), "security-severity"), "7.5");
	/* OS data was there: no notification */
	assert_null(json_object_get(json_array_get(json_object_get(run, "invocations"), 0),
				    "toolExecutionNotifications"));

	/* fingerprints are stable across runs, including with another timestamp */
	lading_report_options other = fixed;
	other.timestamp = "2030-06-30T12:00:00Z";
	char *out = render(c.inv, c.fs, LADING_FMT_SARIF, &other, NULL);
	json_t *again = json_loads(out, 0, NULL);
	assert_non_null(again);
	assert_string_equal(
	    jstr(json_object_get(find_result(again, "CVE-2019-14697", "musl"), "partialFingerprints"),
		 "ladingPackageVulnerability/v1"),
	    fp1);
	json_decref(again);
	free(out);
	json_decref(log);
	corpus_scan_close(&c);
}

/* ---- CycloneDX ------------------------------------------------------------------- */

/* Every bom-ref unique across components and vulnerabilities, every affects
 * ref names a component. Returns the number of vulnerabilities. */
static size_t check_cdx_vulns(json_t *bom)
{
	json_t *comps = json_object_get(bom, "components"), *vulns = json_object_get(bom, "vulnerabilities");
	size_t n = json_array_size(comps) + json_array_size(vulns) + 1, k = 0;
	const char **refs = calloc(n, sizeof(*refs));
	assert_non_null(refs);
	refs[k++] = jstr(json_object_get(json_object_get(bom, "metadata"), "component"), "bom-ref");
	size_t i;
	json_t *c;
	json_array_foreach(comps, i, c) refs[k++] = jstr(c, "bom-ref");
	size_t ncomp = k;
	json_array_foreach(vulns, i, c) refs[k++] = jstr(c, "bom-ref");
	for (size_t a = 0; a < k; a++) {
		assert_non_null(refs[a]);
		for (size_t b = 0; b < a; b++)
			assert_string_not_equal(refs[a], refs[b]);
	}
	json_array_foreach(vulns, i, c)
	{
		json_t *aff = json_object_get(c, "affects");
		assert_int_equal(json_array_size(aff), 1);
		const char *ref = jstr(json_array_get(aff, 0), "ref");
		size_t found = 0;
		for (size_t a = 1; a < ncomp; a++)
			found += strcmp(refs[a], ref) == 0;
		assert_int_equal(found, 1);
		assert_true(json_array_size(json_object_get(c, "ratings")) >= 1);
	}
	free(refs);
	return json_array_size(vulns);
}

static json_t *find_vuln(json_t *bom, const char *id, const char *pkg_name)
{
	size_t i, k;
	json_t *v, *c;
	json_array_foreach(json_object_get(bom, "vulnerabilities"), i, v)
	{
		if (strcmp(jstr(v, "id"), id) != 0)
			continue;
		const char *ref = jstr(json_array_get(json_object_get(v, "affects"), 0), "ref");
		json_array_foreach(json_object_get(bom, "components"), k, c)
		{
			if (strcmp(jstr(c, "bom-ref"), ref) == 0 && strcmp(jstr(c, "name"), pkg_name) == 0)
				return v;
		}
	}
	fail_msg("no vulnerability %s for %s", id, pkg_name);
	return NULL;
}

static void test_cyclonedx_scan(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	corpus_scan c;
	corpus_scan_open(&c, 0);
	json_t *bom = render_json(c.inv, c.fs, LADING_FMT_CYCLONEDX);
	assert_string_equal(jstr(bom, "specVersion"), "1.6");
	assert_int_equal(json_array_size(json_object_get(bom, "components")), 1 + 14);
	assert_int_equal(check_cdx_vulns(bom), NHANDS);
	json_t *meta = json_object_get(bom, "metadata");
	assert_string_equal(prop_value(meta, "lading:scan:os_namespace"), NS);
	assert_string_equal(prop_value(meta, "lading:scan:os_has_data"), "true");
	assert_null(prop_value(meta, "lading:scan:note"));

	/* the SBOM part is the SBOM writer's */
	char *sbom = NULL;
	assert_int_equal(lading_report_render(&sbom, NULL, c.inv, LADING_FMT_CYCLONEDX, &fixed), 0);
	json_t *sj = json_loads(sbom, 0, NULL);
	assert_true(json_equal(json_object_get(sj, "components"), json_object_get(bom, "components")));
	assert_true(json_equal(json_object_get(sj, "dependencies"), json_object_get(bom, "dependencies")));
	json_decref(sj);
	free(sbom);

	json_t *v = find_vuln(bom, "CVE-2019-14697", "musl");
	assert_string_equal(jstr(json_object_get(v, "source"), "name"), "alpine-secdb");
	assert_string_equal(jstr(json_object_get(v, "source"), "url"),
			    "https://security.alpinelinux.org/vuln/CVE-2019-14697");
	json_t *rating = json_array_get(json_object_get(v, "ratings"), 0);
	assert_string_equal(jstr(rating, "severity"), "critical");
	assert_string_equal(jstr(rating, "method"), "CVSSv31");
	assert_string_equal(jstr(json_object_get(rating, "source"), "name"), "nvd");
	assert_true(fabs(json_real_value(json_object_get(rating, "score")) - 9.8) < 1e-9);
	assert_string_equal(jstr(v, "recommendation"), "Upgrade to 1.1.22-r3");
	assert_string_equal(jstr(v, "published"), "2019-08-06T16:15:11Z");
	/* only the url that is one becomes an advisory */
	assert_int_equal(json_array_size(json_object_get(v, "advisories")), 1);
	json_t *ver =
	    json_array_get(json_object_get(json_array_get(json_object_get(v, "affects"), 0), "versions"), 0);
	assert_string_equal(jstr(ver, "version"), "1.1.22-r4");
	assert_string_equal(jstr(ver, "status"), "affected");
	assert_string_equal(prop_value(v, "lading:finding:status"), "fixed");
	/* a bare date becomes a date-time */
	v = find_vuln(bom, "CVE-2019-14697", "musl-utils");
	assert_string_equal(jstr(v, "published"), "2019-08-06T00:00:00Z");

	v = find_vuln(bom, "CVE-2019-5747", "busybox");
	assert_string_equal(jstr(json_array_get(json_object_get(v, "ratings"), 0), "method"), "CVSSv3");
	v = find_vuln(bom, "CVE-2018-20679", "ssl_client");
	rating = json_array_get(json_object_get(v, "ratings"), 0);
	assert_string_equal(jstr(rating, "method"), "CVSSv2");
	assert_string_equal(jstr(rating, "severity"), "info"); /* negligible */
	assert_null(json_object_get(v, "recommendation"));
	assert_null(json_object_get(v, "description"));
	assert_string_equal(prop_value(v, "lading:finding:status"), "will-not-fix");
	v = find_vuln(bom, "CVE-2019-1547", "libcrypto1.1");
	json_t *refs = json_object_get(v, "references");
	assert_int_equal(json_array_size(refs), 2);
	assert_string_equal(jstr(json_array_get(refs, 0), "id"), "DSA-4539-1");
	assert_string_equal(jstr(json_object_get(json_array_get(refs, 0), "source"), "name"), "debian");
	assert_string_equal(jstr(v, "description"), "ECDSA remote timing attack");
	v = find_vuln(bom, "CVE-2019-1543", "libcrypto1.1");
	rating = json_array_get(json_object_get(v, "ratings"), 0);
	assert_string_equal(jstr(rating, "severity"), "unknown");
	assert_null(json_object_get(rating, "score"));
	assert_null(json_object_get(rating, "method"));
	assert_null(json_object_get(rating, "source"));
	/* deferred: a fixed version exists upstream, but no upgrade is offered */
	assert_null(json_object_get(v, "recommendation"));
	json_decref(bom);
	corpus_scan_close(&c);
}

/* ---- table -------------------------------------------------------------------- */

static void test_table_scan(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	corpus_scan c;
	corpus_scan_open(&c, 2);
	char *out = render(c.inv, c.fs, LADING_FMT_TABLE, &fixed, NULL);
	assert_non_null(strstr(out, "Target:  docker-archive:/tmp/alpine-3.10.tar\n"));
	assert_non_null(strstr(out, "Digest:  sha256:9cee2b38"));
	assert_non_null(strstr(out, "OS:      Alpine Linux v3.10\n"));
	assert_null(strchr(out, '\x1b'));
	const char *head = strstr(out, "PACKAGE ");
	assert_non_null(head);
	assert_non_null(strstr(head, "INSTALLED"));
	assert_non_null(strstr(head, "VULNERABILITY"));
	assert_non_null(strstr(head, "SEVERITY"));
	assert_non_null(strstr(head, "STATUS"));
	assert_non_null(strstr(head, "FIXED IN"));
	assert_non_null(strstr(head, "TITLE"));
	size_t vcol = (size_t)(strstr(head, "VULNERABILITY") - head),
	       scol = (size_t)(strstr(head, "SEVERITY") - head);
	size_t rows = 0;
	for (const char *l = strchr(head, '\n') + 1; *l && *l != '\n'; l = strchr(l, '\n') + 1) {
		/* columns aligned: the id and the severity start where their headers do */
		assert_true(strncmp(l + vcol, "CVE-", 4) == 0);
		assert_true(l[scol - 1] == ' ' && l[scol] >= 'A' && l[scol] <= 'Z');
		rows++;
	}
	assert_int_equal(rows, NHANDS);
	assert_non_null(
	    strstr(out, "musl          1.1.22-r4  CVE-2019-14697  CRITICAL    fixed         1.1.22-r3"));
	/* the title is the summary's first line */
	assert_non_null(strstr(out, "  udhcp client out-of-bounds read\n"));
	assert_null(strstr(out, "second line"));
	assert_non_null(strstr(out, "will-not-fix"));
	assert_non_null(strstr(out, "deferred"));
	assert_non_null(
	    strstr(out, "\nTotal: 7 (CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 1, NEGLIGIBLE: 1, UNKNOWN: 1)\n"));
	assert_non_null(strstr(out, "\n2 findings suppressed by filters\n"));
	assert_null(strstr(out, "No vulnerability data"));
	assert_null(strstr(out, "No known vulnerabilities"));
	free(out);

	lading_report_options color = fixed;
	color.color = 1;
	out = render(c.inv, c.fs, LADING_FMT_TABLE, &color, NULL);
	assert_non_null(strstr(out, "\x1b[1mPACKAGE "));
	assert_non_null(strstr(out, "\x1b[1;31mCRITICAL\x1b[0m"));
	assert_non_null(strstr(out, "\x1b[31mHIGH\x1b[0m"));
	assert_non_null(strstr(out, "\x1b[33mMEDIUM\x1b[0m"));
	assert_non_null(strstr(out, "\x1b[34mLOW\x1b[0m"));
	/* colour codes do not shift the columns: the text after them lines up */
	assert_non_null(strstr(out, "\x1b[1;31mCRITICAL\x1b[0m    fixed"));
	free(out);

	c.fs->suppressed = 1;
	out = render(c.inv, c.fs, LADING_FMT_TABLE, &fixed, NULL);
	assert_non_null(strstr(out, "\n1 finding suppressed by filters\n"));
	free(out);
	corpus_scan_close(&c);
}

/* ---- empty results: "clean" versus "not checked" ------------------------------- */

static void test_empty_findings(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	tsv t;
	lading_inventory *inv = alpine_inventory(&t);
	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);

	/* the OS has data and nothing matched: clean, and said so */
	fs->os_ns = NS;
	fs->os_has_data = 1;
	char *out = render(inv, fs, LADING_FMT_TABLE, &fixed, NULL);
	assert_non_null(strstr(out, "\nNo known vulnerabilities found.\n"));
	assert_non_null(
	    strstr(out, "Total: 0 (CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0)\n"));
	assert_null(strstr(out, "No vulnerability data"));
	assert_null(strstr(out, "PACKAGE"));
	free(out);
	json_t *log = render_json(inv, fs, LADING_FMT_SARIF);
	assert_int_equal(check_sarif(log), 0);
	json_decref(log);

	/* a namespace without data, then no namespace at all */
	static const struct {
		const char *ns;
		const char *note;
	} cases[] = {{NS, "No vulnerability data for alpine:3.10: OS packages were not checked"},
		     {NULL, "No vulnerability data for this OS: OS packages were not checked"}};
	for (size_t c = 0; c < 2; c++) {
		fs->os_ns = cases[c].ns;
		fs->os_has_data = 0;
		out = render(inv, fs, LADING_FMT_TABLE, &fixed, NULL);
		char want[256];
		snprintf(want, sizeof(want), "\n%s\n", cases[c].note);
		assert_non_null(strstr(out, want));
		assert_null(strstr(out, "No known vulnerabilities"));
		free(out);

		json_t *j = render_json(inv, fs, LADING_FMT_JSON);
		assert_true(json_is_false(json_object_get(j, "os_has_data")));
		if (cases[c].ns)
			assert_string_equal(jstr(j, "os_namespace"), cases[c].ns);
		else
			assert_true(json_is_null(json_object_get(j, "os_namespace")));
		assert_true(json_is_true(json_object_get(json_object_get(j, "summary"), "os_unchecked")));
		assert_int_equal(json_array_size(json_object_get(j, "findings")), 0);
		json_decref(j);

		log = render_json(inv, fs, LADING_FMT_SARIF);
		assert_int_equal(check_sarif(log), 0);
		json_t *inv0 = json_array_get(
		    json_object_get(json_array_get(json_object_get(log, "runs"), 0), "invocations"), 0);
		json_t *note = json_array_get(json_object_get(inv0, "toolExecutionNotifications"), 0);
		snprintf(want, sizeof(want), "%s.", cases[c].note);
		assert_string_equal(jstr(json_object_get(note, "message"), "text"), want);
		assert_string_equal(jstr(note, "level"), "warning");
		json_decref(log);

		json_t *bom = render_json(inv, fs, LADING_FMT_CYCLONEDX);
		assert_string_equal(prop_value(json_object_get(bom, "metadata"), "lading:scan:note"),
				    cases[c].note);
		assert_string_equal(prop_value(json_object_get(bom, "metadata"), "lading:scan:os_has_data"),
				    "false");
		assert_int_equal(json_array_size(json_object_get(bom, "vulnerabilities")), 0);
		json_decref(bom);
	}
	lading_findings_free(fs);
	lading_inventory_free(inv);
	free(t.text);

	/* Hand-made: no packages at all, no OS: nothing was left unchecked */
	inv = empty_inventory();
	assert_int_equal(findings_new(&fs), 0);
	out = render(inv, fs, LADING_FMT_TABLE, &fixed, NULL);
	assert_null(strstr(out, "No vulnerability data"));
	assert_non_null(strstr(out, "No known vulnerabilities found."));
	free(out);
	lading_findings_free(fs);
	lading_inventory_free(inv);
}

/* ---- hostile strings (hand-made edge cases) ----------------------------------- */

/* Every string field hostile: invalid UTF-8, control and escape characters,
 * quotes, urls that are not URIs, dates that are not dates, and numbers out
 * of range. With !bad_utf8 the invalid UTF-8 is left out (see test_report.c:
 * inv_purl's purls of invalid UTF-8 do not parse, so the node validator
 * would reject them for a reason outside these writers). */
static void hostile(lading_inventory **pinv, lading_findings **pfs, bool bad_utf8)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	const char *names[] = {"ctrl\x01\x1b[31mred", "quote\"back\\slash",
			       bad_utf8 ? "bad\xff\xfe" : "plain", "ok-\xc3\xa9\xe2\x82\xac"};
	const char *dbs[] = {"/var/lib/dpkg/status", "/odd path/with:colon%and#hash", "", NULL};
	for (size_t i = 0; i < 4; i++) {
		lading_package p = {.type = LADING_PKG_DPKG,
				    .name = names[i],
				    .version = i == 2 ? "1:2.0~\x1b]0;x\x07" : "1.0",
				    .arch = "amd64",
				    .db_path = dbs[i],
				    .layer = -1};
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	lading_os os = {.id = "debian", .version_id = "12", .pretty_name = "Deb\x1b[2J"};
	assert_int_equal(inv_set_os(inv, &os), 0);
	inv->image.target = bad_utf8 ? "dir:/\xff" : "dir:/x";
	assert_int_equal(inv_finish(inv), 0);

	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);
	const char *ids[] = {bad_utf8 ? "CVE-\xff" : "CVE-\x01",
			     bad_utf8 ? "CVE-\xfe" : "CVE-\x01",
			     "\"quoted\"",
			     "",
			     NULL,
			     "CVE-2024-0001\x1b[2J"};
	const char *aliases[] = {"GHSA-\x1b", "", bad_utf8 ? "\xc3" : "x"};
	const char *urls[] = {"javascript:alert(1)",
			      "http://exa mple.org/",
			      "https://example.org/a%zz",
			      "https://example.org/ok?a=b&c=\"d\"",
			      "h\x01ttp://x",
			      "https://example.org/\xc3\xa9"};
	const char *published[] = {"2019-13-01",
				   "2019-08-06T25:00:00Z",
				   "yesterday",
				   "2019-08-06T16:15:11.123456789012345+02:00",
				   "2019-08-06t01:02:03z",
				   NULL};
	double scores[] = {NAN, INFINITY, -0.5, 10.5, 7.45, 0};
	for (size_t i = 0; i < 6; i++) {
		lading_finding f = {.package = i % 4,
				    .vuln_id = ids[i],
				    .naliases = 3,
				    .aliases = aliases,
				    .status = (lading_vuln_status)(i == 0   ? 0
								   : i == 1 ? 99
									    : (int)i % 4 + 1),
				    .installed = i == 5 ? NULL : "2.0\x1b[0m",
				    .fixed = i % 2 ? "3.0\"\n" : NULL,
				    .severity = (lading_severity)(i == 0   ? 42
								  : i == 1 ? -3
									   : (int)i),
				    .severity_source = "nvd\x01",
				    .cvss_score = scores[i],
				    .cvss_vector = i == 3 ? "CVSS:4.0/AV:N\x1b" : "garbage",
				    .namespace = "debian:12\x1b",
				    .source = i == 2 ? "" : "osv\"",
				    .summary = "line one\r\nline two \x1b[31mred\x1b[0m \"q\" \\",
				    .published = published[i],
				    .nurls = 6,
				    .urls = urls};
		assert_int_equal(findings_add(fs, &f), 0);
	}
	fs->os_ns = "debian:12\x1b[2J";
	fs->os_has_data = 0;
	fs->suppressed = 1;
	*pinv = inv;
	*pfs = fs;
}

static void test_hostile_strings(void **state)
{
	(void)state;
	lading_inventory *inv;
	lading_findings *fs;
	hostile(&inv, &fs, true);
	for (lading_format k = LADING_FMT_JSON; k <= LADING_FMT_SARIF; k++) {
		if (k == LADING_FMT_SPDX)
			continue;
		json_t *j = render_json(inv, fs, k);
		if (k == LADING_FMT_SARIF) {
			assert_int_equal(check_sarif(j), 6);
			/* "CVE-\xff" and "CVE-\xfe" both read "CVE-\ufffd": one rule */
			json_t *run = json_array_get(json_object_get(j, "runs"), 0);
			/* and "" and NULL both read "unknown": 4 rules for 6 results */
			assert_int_equal(
			    json_array_size(json_object_get(
				json_object_get(json_object_get(run, "tool"), "driver"), "rules")),
			    4);
			/* no helpUri from a url that is not a URI; db path encoded */
			size_t i;
			json_t *r;
			json_array_foreach(
			    json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules"),
			    i, r)
			{
				const char *h = jstr(r, "helpUri");
				assert_true(!h || strcmp(h, "https://example.org/ok?a=b&c=\"d\"") != 0);
			}
			json_t *res;
			int odd = 0, none = 0;
			json_array_foreach(json_object_get(run, "results"), i, res)
			{
				json_t *locs = json_object_get(res, "locations");
				if (!locs) {
					none++;
					continue;
				}
				const char *uri =
				    jstr(json_object_get(
					     json_object_get(json_array_get(locs, 0), "physicalLocation"),
					     "artifactLocation"),
					 "uri");
				assert_true(uri[0] != '/');
				if (strncmp(uri, "odd", 3) == 0) {
					odd++;
					assert_string_equal(uri, "odd%20path/with%3Acolon%25and%23hash");
				}
			}
			assert_true(odd > 0);
			assert_true(none > 0); /* "" and NULL db paths: no location rather than a bad one */
		} else if (k == LADING_FMT_CYCLONEDX) {
			assert_int_equal(check_cdx_vulns(j), 6);
			size_t i;
			json_t *v;
			json_array_foreach(json_object_get(j, "vulnerabilities"), i, v)
			{
				const char *pub = jstr(v, "published");
				/* only the two valid date-times survive */
				assert_true(!pub || strcmp(pub, "2019-08-06T16:15:11+02:00") == 0 ||
					    strcmp(pub, "2019-08-06T01:02:03Z") == 0);
				json_t *rating = json_array_get(json_object_get(v, "ratings"), 0);
				json_t *score = json_object_get(rating, "score");
				assert_true(!score ||
					    (json_real_value(score) >= 0 && json_real_value(score) <= 10));
			}
		} else {
			size_t i;
			json_t *f;
			json_array_foreach(json_object_get(j, "findings"), i, f)
			{
				json_t *score = json_object_get(f, "cvss_score");
				assert_true(json_is_null(score) ||
					    (json_real_value(score) >= 0 && json_real_value(score) <= 10));
			}
			/* 7.45 rounds to one decimal */
			assert_true(
			    fabs(json_real_value(json_object_get(
				     json_array_get(json_object_get(j, "findings"), 4), "cvss_score")) -
				 7.5) < 1e-9);
		}
		json_decref(j);
	}
	char *out = render(inv, fs, LADING_FMT_TABLE, &fixed, NULL);
	for (const char *p = out; *p; p++)
		assert_true(*p == '\n' || (unsigned char)*p >= 0x20);
	assert_null(strchr(out, 0x7f));
	assert_true(valid_utf8(out));
	assert_non_null(
	    strstr(out, "No vulnerability data for debian:12?[2J: OS packages were not checked\n"));
	assert_non_null(strstr(out, "Total: 6"));
	assert_non_null(strstr(out, "  line one\n"));
	assert_null(strstr(out, "line two"));
	free(out);
	lading_report_options color = fixed;
	color.color = 1;
	out = render(inv, fs, LADING_FMT_TABLE, &color, NULL);
	assert_true(valid_utf8(out));
	/* the only escapes are our own colour codes */
	for (const char *p = strchr(out, '\x1b'); p; p = strchr(p + 1, '\x1b'))
		assert_true(p[1] == '[' && (p[2] == '0' || p[2] == '1' || p[2] == '3'));
	assert_null(strstr(out, "\x1b[2J"));
	free(out);
	lading_findings_free(fs);
	lading_inventory_free(inv);
}

/* ---- determinism -------------------------------------------------------------- */

static void test_determinism(void **state)
{
	(void)state;
	lading_inventory *inv;
	lading_findings *fs;
	hostile(&inv, &fs, true);
	for (lading_format k = LADING_FMT_TABLE; k <= LADING_FMT_SARIF; k++) {
		if (k == LADING_FMT_SPDX)
			continue;
		assert_render_stable(inv, fs, k);
	}
	/* json carries no time: the same bytes without fixed options too */
	char *a = render(inv, fs, LADING_FMT_JSON, NULL, NULL),
	     *b = render(inv, fs, LADING_FMT_JSON, &fixed, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	lading_findings_free(fs);
	lading_inventory_free(inv);
}

/* ---- the validators (node) ------------------------------------------------------ */

static void validate(const lading_inventory *inv, const lading_findings *fs)
{
	assert_validates(inv, fs, LADING_FMT_SARIF, "validate-sarif.mjs");
	assert_validates(inv, fs, LADING_FMT_CYCLONEDX, "validate-cdx.mjs");
}

static void test_validators(void **state)
{
	(void)state;
	if (!have_validators())
		skip();
	lading_inventory *inv;
	lading_findings *fs;
	hostile(&inv, &fs, false);
	validate(inv, fs);
	lading_findings_free(fs);
	lading_inventory_free(inv);
	if (corpus_dir()) {
		corpus_scan c;
		corpus_scan_open(&c, 1);
		validate(c.inv, c.fs);
		lading_findings_free(c.fs);
		/* no findings, no OS data: the notification path */
		assert_int_equal(findings_new(&c.fs), 0);
		validate(c.inv, c.fs);
		corpus_scan_close(&c);
	} else {
		fprintf(stderr, "SKIP validators on the corpus inventory: corpus not found\n");
	}
	/* The SARIF validator must be able to fail: hand-broken logs (a level
	 * outside the enum, which the multitool alone lets through; a ruleIndex
	 * that points at another rule; an absolute artifact uri). */
	static const char *const broken[] = {
	    "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
	    "\"results\":[{\"level\":\"severe\",\"message\":{\"text\":\"a.\"}}]}]}",
	    "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\",\"rules\":[{\"id\":\"A\"}"
	    ","
	    "{\"id\":\"B\"}]}},\"results\":[{\"ruleId\":\"A\",\"ruleIndex\":1,\"message\":{\"text\":\"a.\"}}]"
	    "}]}",
	    "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"results\":[{"
	    "\"message\":"
	    "{\"text\":\"a.\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
	    "\"/var/lib/dpkg/status\"}}}]}]}]}",
	    "not json",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		assert_int_equal(run_validator("validate-sarif.mjs", broken[i], true), 1);
	/* and the CycloneDX one must catch an affects ref that names nothing */
	assert_int_equal(
	    run_validator("validate-cdx.mjs",
			  "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"vulnerabilities\":"
			  "[{\"id\":\"CVE-1\",\"affects\":[{\"ref\":\"nope\"}]}]}",
			  true),
	    1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_formats_and_arguments),
	    cmocka_unit_test(test_json_scan),
	    cmocka_unit_test(test_sarif_scan),
	    cmocka_unit_test(test_cyclonedx_scan),
	    cmocka_unit_test(test_table_scan),
	    cmocka_unit_test(test_empty_findings),
	    cmocka_unit_test(test_hostile_strings),
	    cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_validators),
	};
	return cmocka_run_group_tests_name("report_scan", tests, NULL, NULL);
}
