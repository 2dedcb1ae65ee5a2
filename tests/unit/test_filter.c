/* Tests for lading_findings_filter: ignore rules from a file and from memory,
 * and OpenVEX documents from a file and from memory.
 *
 * The findings are real: the packages of the corpus's Alpine 3.10.9
 * minirootfs (its .apk-full.tsv), with busybox, musl and openssl's packages
 * set back to the lowest fixed version the corpus's secdb v3.10 lists for
 * their origin (what tests/cli/alpine_expected.py --downgrade does, for the
 * same reason: the release is fully patched), matched by lading_match against
 * a database imported from that secdb. The image identity is hand-made
 * (reporttest.h's set_image). The VEX documents that name those findings are
 * HAND-WRITTEN here (the ids, purls and versions are the real ones); the
 * parser fixtures are real OpenVEX documents from openvex/vexctl
 * (tests/fuzz/seeds/vex/, see tests/fuzz/seeds/README.md), applied to
 * hand-made findings naming the packages they talk about. */
#include "reporttest.h"

#include <ftw.h>
#include <unistd.h>

#include "match/match_priv.h"
#include "purl.h"

#define APK_TSV	     "images/alpine/alpine-minirootfs-3.10.9-x86_64.apk-full.tsv"
#define APK_OS	     "images/alpine/alpine-minirootfs-3.10.9-x86_64.os-release"
#define SECDB	     "vulndata/alpine-secdb/v3.10/main.yaml"
#define FIXTURES     "tests/fuzz/seeds/vex/"
#define IMAGE_DIGEST "sha256:9cee2b382fe2412cd77d5d437d15a93da8de373e2dbd0f2a7bb8f7d1c5e8b7a1"

static char tmpdir[64];
static int nwarn;
static char lastwarn[1024];

static void on_log(void *u, lading_log_level l, const char *m)
{
	(void)u;
	if (l == LADING_LOG_WARN) {
		nwarn++;
		snprintf(lastwarn, sizeof(lastwarn), "%s", m);
	}
}

static lading_ctx *new_ctx(uint64_t max_file_size)
{
	lading_options o = {.struct_size = sizeof(o), .log = on_log, .max_file_size = max_file_size};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	nwarn = 0;
	lastwarn[0] = 0;
	return ctx;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lading-test-filter-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *write_tmp(const char *name, const char *text)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, 128, "%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* ---- the real findings ------------------------------------------------------ */

/* The lowest fixed version secdb v3.10 main.yaml lists for each origin that
 * has secfixes (busybox 1.27.2-r4 of 1.27.2-r4/1.29.3-r10/1.30.1-r2, musl
 * 1.1.15-r4 of 1.1.15-r4/1.1.22-r3, openssl 1.1.1a-r0 of
 * 1.1.1a-r0/1.1.1b-r1/1.1.1d-r0). */
static const char *set_back(const char *origin)
{
	static const char *const v[][2] = {
	    {"busybox", "1.27.2-r4"}, {"musl", "1.1.15-r4"}, {"openssl", "1.1.1a-r0"}};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(origin, v[i][0]) == 0)
			return v[i][1];
	return NULL;
}

typedef struct scan {
	tsv t;
	lading_inventory *inv;
	lading_vulndb *db;
	char dbpath[128];
} scan;

static void scan_open(scan *s)
{
	assert_int_equal(inv_new(&s->inv), 0);
	tsv_load(&s->t, APK_TSV, 5);
	for (size_t i = 0; i < s->t.nrows; i++) {
		char **r = s->t.rows[i];
		const char *old = set_back(r[3]);
		lading_package p = {.type = LADING_PKG_APK,
				    .name = r[0],
				    .version = old ? old : r[1],
				    .arch = r[2],
				    .source_name = r[3],
				    .license = r[4],
				    .db_path = "/lib/apk/db/installed",
				    .layer = 0};
		assert_int_equal(inv_add_package(s->inv, &p), 0);
	}
	set_os_from(s->inv, APK_OS, "3.10.9");
	set_image(s->inv, "docker-archive:/tmp/alpine-3.10.tar", "docker.io/library/alpine:3.10.9");
	assert_int_equal(inv_finish(s->inv), 0);
	snprintf(s->dbpath, sizeof(s->dbpath), "%s/v.db", tmpdir);
	lading_ctx *ctx = new_ctx(0);
	char path[4096];
	lading_import_stats st;
	assert_int_equal(lading_vulndb_import(&st, ctx, s->dbpath, corpus_path(path, sizeof(path), SECDB),
					      LADING_FEED_AUTO),
			 0);
	assert_int_equal(lading_vulndb_open(&s->db, ctx, s->dbpath), 0);
	lading_ctx_free(ctx);
}

static void scan_close(scan *s)
{
	lading_vulndb_close(s->db);
	lading_inventory_free(s->inv);
	free(s->t.text);
}

static lading_findings *match(scan *s)
{
	lading_ctx *ctx = new_ctx(0);
	lading_findings *fs = NULL;
	assert_int_equal(lading_match(&fs, ctx, s->inv, s->db), 0);
	lading_ctx_free(ctx);
	return fs;
}

/* "package<TAB>id<TAB>vex status<TAB>justification\n" per finding, sorted:
 * the kept ones (vex = false) or those VEX removed. */
static char *rows(const lading_findings *fs, bool vex)
{
	size_t n = vex ? lading_findings_vex_count(fs) : lading_findings_count(fs);
	char **r = calloc(n + 1, sizeof(*r));
	size_t total = 1;
	for (size_t i = 0; i < n; i++) {
		const lading_finding *f = vex ? lading_findings_vex_get(fs, i) : lading_findings_get(fs, i);
		const char *st = lading_vex_status_name(f->vex_status);
		assert_true(asprintf(&r[i], "%s\t%s\t%s\t%s\n", f->package_name, f->vuln_id, st ? st : "-",
				     f->vex_justification ? f->vex_justification : "-") > 0);
		total += strlen(r[i]);
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(r[j - 1], r[j]) > 0; j--) {
			char *t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	char *out = calloc(1, total);
	for (size_t i = 0; i < n; i++) {
		strcat(out, r[i]);
		free(r[i]);
	}
	free(r);
	return out;
}

/* The 14 findings tests/cli/scan_alpine.sh expects of the set-back 3.10.9. */
static const char all_findings[] = "busybox\tCVE-2018-20679\t-\t-\n"
				   "busybox\tCVE-2019-5747\t-\t-\n"
				   "libcrypto1.1\tCVE-2019-1543\t-\t-\n"
				   "libcrypto1.1\tCVE-2019-1547\t-\t-\n"
				   "libcrypto1.1\tCVE-2019-1549\t-\t-\n"
				   "libcrypto1.1\tCVE-2019-1563\t-\t-\n"
				   "libssl1.1\tCVE-2019-1543\t-\t-\n"
				   "libssl1.1\tCVE-2019-1547\t-\t-\n"
				   "libssl1.1\tCVE-2019-1549\t-\t-\n"
				   "libssl1.1\tCVE-2019-1563\t-\t-\n"
				   "musl\tCVE-2019-14697\t-\t-\n"
				   "musl-utils\tCVE-2019-14697\t-\t-\n"
				   "ssl_client\tCVE-2018-20679\t-\t-\n"
				   "ssl_client\tCVE-2019-5747\t-\t-\n";

static void assert_rows(const lading_findings *fs, bool vex, const char *want)
{
	char *got = rows(fs, vex);
	if (strcmp(got, want) != 0)
		fail_msg("findings differ:\n--- want\n%s--- got\n%s", want, got);
	free(got);
}

/* ---- ignore rules ------------------------------------------------------------ */

/* scan_alpine.sh's ignore file */
static const char rules[] = "# accepted risks\n"
			    "CVE-2019-14697                    # musl: not reachable\n"
			    "CVE-2018-20679 pkg:ssl_client     # only for ssl_client\n"
			    "CVE-2019-1543 exp:2000-01-01      # expired long ago\n";

static const char after_rules[] = "busybox\tCVE-2018-20679\t-\t-\n"
				  "busybox\tCVE-2019-5747\t-\t-\n"
				  "libcrypto1.1\tCVE-2019-1543\t-\t-\n"
				  "libcrypto1.1\tCVE-2019-1547\t-\t-\n"
				  "libcrypto1.1\tCVE-2019-1549\t-\t-\n"
				  "libcrypto1.1\tCVE-2019-1563\t-\t-\n"
				  "libssl1.1\tCVE-2019-1543\t-\t-\n"
				  "libssl1.1\tCVE-2019-1547\t-\t-\n"
				  "libssl1.1\tCVE-2019-1549\t-\t-\n"
				  "libssl1.1\tCVE-2019-1563\t-\t-\n"
				  "ssl_client\tCVE-2019-5747\t-\t-\n";

static void filter_ok(lading_findings *fs, const lading_filter *flt)
{
	lading_ctx *ctx = new_ctx(0);
	int rc = lading_findings_filter(fs, ctx, flt);
	if (rc)
		fail_msg("filter: %s", lading_ctx_error(ctx));
	lading_ctx_free(ctx);
}

static void test_ignore_file_and_memory(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s;
	scan_open(&s);
	lading_findings *fs = match(&s);
	assert_rows(fs, false, all_findings);
	lading_findings_free(fs);

	/* from a file */
	fs = match(&s);
	lading_filter flt = {
	    .struct_size = sizeof(flt), .ignorefile = write_tmp("ignore", rules), .today = "2024-06-01"};
	lading_ctx *ctx = new_ctx(0);
	assert_int_equal(lading_findings_filter(fs, ctx, &flt), 0);
	assert_int_equal(nwarn, 1);
	assert_non_null(strstr(lastwarn, "expired on 2000-01-01"));
	assert_non_null(strstr(lastwarn, ":4:"));
	lading_ctx_free(ctx);
	assert_rows(fs, false, after_rules);
	assert_int_equal(lading_findings_suppressed(fs), 3);
	assert_int_equal(lading_findings_vex_count(fs), 0);
	lading_findings_free(fs);

	/* the same rules from memory, not NUL-terminated: the same result, the
	 * warning names "(ignore rules)" */
	fs = match(&s);
	char *copy = malloc(sizeof(rules) - 1);
	memcpy(copy, rules, sizeof(rules) - 1);
	lading_filter mem = {.struct_size = sizeof(mem),
			     .ignore_text = copy,
			     .ignore_len = sizeof(rules) - 1,
			     .today = "2024-06-01"};
	ctx = new_ctx(0);
	assert_int_equal(lading_findings_filter(fs, ctx, &mem), 0);
	assert_non_null(strstr(lastwarn, "(ignore rules):4:"));
	lading_ctx_free(ctx);
	assert_rows(fs, false, after_rules);
	assert_int_equal(lading_findings_suppressed(fs), 3);
	lading_findings_free(fs);
	free(copy);

	/* both: each applies */
	fs = match(&s);
	lading_filter both = flt;
	both.ignore_text = "CVE-2019-5747 pkg:busybox\n";
	both.ignore_len = strlen(both.ignore_text);
	filter_ok(fs, &both);
	/* pkg:busybox names the source package too: ssl_client's as well */
	assert_int_equal(lading_findings_suppressed(fs), 5);
	lading_findings_free(fs);

	/* a caller built against the old struct (up to `today`) still works */
	fs = match(&s);
	lading_filter old = flt;
	old.struct_size = offsetof(lading_filter, ignore_text);
	old.ignore_text = "CVE-2019-5747\n"; /* beyond struct_size: not read */
	old.ignore_len = 14;
	filter_ok(fs, &old);
	assert_rows(fs, false, after_rules);
	lading_findings_free(fs);
	scan_close(&s);
}

static void expect_fail(lading_findings *fs, const lading_filter *flt, uint64_t max, int code,
			const char *reason, const char *in_message, const char *not_in_message)
{
	lading_ctx *ctx = new_ctx(max);
	size_t before = lading_findings_count(fs);
	assert_int_equal(lading_findings_filter(fs, ctx, flt), -code);
	const lading_error *e = lading_ctx_last_error(ctx);
	if (reason)
		assert_string_equal(e->reason ? e->reason : "(none)", reason);
	if (in_message && !strstr(e->message, in_message))
		fail_msg("\"%s\" not in \"%s\"", in_message, e->message);
	if (not_in_message && strstr(e->message, not_in_message))
		fail_msg("\"%s\" echoed in \"%s\"", not_in_message, e->message);
	/* nothing removed by a failing filter */
	assert_int_equal(lading_findings_count(fs), before);
	assert_int_equal(lading_findings_vex_count(fs), 0);
	lading_ctx_free(ctx);
}

static void test_ignore_errors(void **state)
{
	(void)state;
	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);
	/* Hand-made finding: the errors need no real one. */
	lading_finding f = {.package_name = "musl",
			    .vuln_id = "CVE-2019-14697",
			    .status = LADING_VULN_FIXED,
			    .cvss_score = -1};
	assert_int_equal(findings_add(fs, &f), 0);
	lading_filter flt = {.struct_size = sizeof(flt)};
	flt.ignore_text = "CVE-1\nCVE-2 exp:tomorrow SECRET-WORD\n";
	flt.ignore_len = strlen(flt.ignore_text);
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "ignore.syntax", "(ignore rules):2: word 2", "tomorrow");
	flt.ignore_text = "CVE-1\n\0CVE-2\n";
	flt.ignore_len = 13;
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "ignore.syntax", "(ignore rules):2: a NUL byte", NULL);
	flt.ignore_text = "CVE-1\nCVE-2\nCVE-3\n";
	flt.ignore_len = strlen(flt.ignore_text);
	expect_fail(fs, &flt, 8, LADING_ELIMIT, "limit.file_size", "(ignore rules)", NULL);
	flt.ignore_text = NULL;
	expect_fail(fs, &flt, 0, LADING_EINVAL, NULL, NULL, NULL);
	/* without a context: severities only, as before; rules need one */
	lading_filter sev = {.struct_size = sizeof(sev), .severities = 1u << LADING_SEV_UNKNOWN};
	assert_int_equal(lading_findings_filter(fs, NULL, &sev), 0);
	assert_int_equal(lading_findings_count(fs), 1);
	sev.ignore_text = "CVE-2019-14697\n";
	sev.ignore_len = 15;
	assert_int_equal(lading_findings_filter(fs, NULL, &sev), -LADING_EINVAL);
	assert_int_equal(lading_findings_count(fs), 1);
	/* too many lines */
	size_t n = 100001;
	char *many = malloc(n + 1);
	memset(many, '\n', n);
	flt.ignore_text = many;
	flt.ignore_len = n;
	expect_fail(fs, &flt, 0, LADING_ELIMIT, "ignore.too_many_lines", "more than 100000 lines", NULL);
	free(many);
	/* the file: missing, a directory, a bad line, too large */
	lading_filter file = {.struct_size = sizeof(file), .ignorefile = "/nonexistent/ignore"};
	expect_fail(fs, &file, 0, LADING_EIO, "ignore.unreadable", "/nonexistent/ignore", NULL);
	file.ignorefile = tmpdir;
	expect_fail(fs, &file, 0, LADING_EIO, "ignore.unreadable", "a directory", NULL);
	file.ignorefile = write_tmp("bad-ignore", "CVE-1\n\nCVE-3 bogus\n");
	expect_fail(fs, &file, 0, LADING_EFORMAT, "ignore.syntax", "bad-ignore:3: word 2", "bogus");
	expect_fail(fs, &file, 4, LADING_ELIMIT, "limit.file_size", "bad-ignore", NULL);
	lading_findings_free(fs);
}

/* ---- VEX on the real findings ------------------------------------------------ */

/* HAND-WRITTEN documents naming real findings of the set-back 3.10.9:
 *   - musl's CVE-2019-14697: not_affected, product the image (its purl, by
 *     digest) with subcomponent musl: musl-utils' finding stays;
 *   - CVE-2019-1549: under_investigation, then (later last_updated)
 *     not_affected for the image by reference with subcomponents libssl1.1
 *     and libcrypto1.1: suppressed, the latest wins;
 *   - CVE-2019-1563: not_affected, then (later) affected: annotated only;
 *   - CVE-2019-5747: fixed for busybox at the installed version (suppressed),
 *     and for ssl_client without a version (annotated only), and for
 *     busybox-extras at a version (not installed: nothing);
 *   - CVE-2018-20679: not_affected for another image: no effect;
 *   - second document, v0.0.1 form: CVE-2019-1547 not_affected with only a
 *     statement-level subcomponent libcrypto1.1 at its version. */
static const char vex1[] =
    "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://lading.test/vex/unit-1\",\n"
    " \"author\": \"lading tests (hand-written)\", \"timestamp\": \"2024-03-01T12:00:00Z\", \"version\": 2,\n"
    " \"statements\": [\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-14697\"},\n"
    "   \"products\": [{\"@id\": "
    "\"pkg:oci/alpine@sha256%3A9cee2b382fe2412cd77d5d437d15a93da8de373e2dbd0f2a7bb8f7d1c5e8b7a1\",\n"
    "                 \"subcomponents\": [{\"@id\": \"pkg:apk/alpine/musl\"}]}],\n"
    "   \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_in_execute_path\",\n"
    "   \"impact_statement\": \"no x87 code in this image\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-1549\"}, \"timestamp\": \"2024-01-01T00:00:00Z\",\n"
    "   \"products\": [{\"@id\": \"docker.io/library/alpine:3.10.9\", \"subcomponents\": [\n"
    "     {\"identifiers\": {\"purl\": \"pkg:apk/alpine/libssl1.1?arch=x86_64\"}}, {\"@id\": "
    "\"pkg:apk/alpine/libcrypto1.1\"}]}],\n"
    "   \"status\": \"under_investigation\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-1563\"}, \"timestamp\": \"2024-02-01T01:00:00+01:00\",\n"
    "   \"products\": [{\"@id\": \"alpine:3.10.9\"}], \"status\": \"affected\", \"action_statement\": "
    "\"upgrade openssl\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-1563\"}, \"timestamp\": \"2024-01-31T23:30:00Z\",\n"
    "   \"products\": [{\"@id\": \"alpine\"}], \"status\": \"not_affected\", \"justification\": "
    "\"component_not_present\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-1549\", \"aliases\": [\"DSA-4539-1\"]}, \"timestamp\": "
    "\"2024-01-01T00:00:00Z\",\n"
    "   \"last_updated\": \"2024-02-15T08:00:00.5-05:00\",\n"
    "   \"products\": [{\"@id\": \"docker.io/library/alpine:3.10.9\", \"subcomponents\": [\n"
    "     {\"@id\": \"pkg:apk/alpine/libssl1.1\"}, {\"@id\": \"pkg:apk/alpine/libcrypto1.1\"}]}],\n"
    "   \"status\": \"not_affected\", \"justification\": \"inline_mitigations_already_exist\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2019-5747\"},\n"
    "   \"products\": [{\"@id\": \"pkg:apk/alpine/busybox@1.27.2-r4\"}, {\"@id\": "
    "\"pkg:apk/alpine/ssl_client\"},\n"
    "                 {\"@id\": \"pkg:apk/alpine/busybox-extras@1.27.2-r4\"}],\n"
    "   \"status\": \"fixed\"},\n"
    "  {\"vulnerability\": {\"name\": \"CVE-2018-20679\"},\n"
    "   \"products\": [{\"@id\": "
    "\"pkg:oci/alpine@sha256%3A0000000000000000000000000000000000000000000000000000000000000000\"}],\n"
    "   \"status\": \"not_affected\", \"justification\": \"component_not_present\"}\n"
    " ]}\n";

static const char vex2[] =
    "{\"@context\": \"https://openvex.dev/ns\", \"@id\": \"https://lading.test/vex/unit-2\",\n"
    " \"author\": \"lading tests (hand-written)\", \"timestamp\": \"2024-03-02T00:00:00Z\",\n"
    " \"statements\": [{\"vulnerability\": \"CVE-2019-1547\",\n"
    "   \"subcomponents\": [\"pkg:apk/alpine/libcrypto1.1@1.1.1a-r0\"],\n"
    "   \"status\": \"not_affected\", \"justification\": \"component_not_present\"}]}\n";

static const char vex_suppressed[] =
    "busybox\tCVE-2019-5747\tfixed\t-\n"
    "libcrypto1.1\tCVE-2019-1547\tnot_affected\tcomponent_not_present\n"
    "libcrypto1.1\tCVE-2019-1549\tnot_affected\tinline_mitigations_already_exist\n"
    "libssl1.1\tCVE-2019-1549\tnot_affected\tinline_mitigations_already_exist\n"
    "musl\tCVE-2019-14697\tnot_affected\tvulnerable_code_not_in_execute_path\n";

static const char vex_kept[] = "busybox\tCVE-2018-20679\t-\t-\n"
			       "libcrypto1.1\tCVE-2019-1543\t-\t-\n"
			       "libcrypto1.1\tCVE-2019-1563\taffected\t-\n"
			       "libssl1.1\tCVE-2019-1543\t-\t-\n"
			       "libssl1.1\tCVE-2019-1547\t-\t-\n"
			       "libssl1.1\tCVE-2019-1563\taffected\t-\n"
			       "musl-utils\tCVE-2019-14697\t-\t-\n"
			       "ssl_client\tCVE-2018-20679\t-\t-\n"
			       "ssl_client\tCVE-2019-5747\tfixed\t-\n";

static void assert_same_finding(const lading_finding *a, const lading_finding *b)
{
	assert_int_equal(a->package, b->package);
	assert_string_equal(a->vuln_id, b->vuln_id);
	assert_int_equal(a->vex_status, b->vex_status);
	const char *sa[] = {a->vex_justification, a->vex_impact_statement, a->vex_action_statement,
			    a->vex_status_notes,  a->vex_timestamp,	   a->vex_document};
	const char *sb[] = {b->vex_justification, b->vex_impact_statement, b->vex_action_statement,
			    b->vex_status_notes,  b->vex_timestamp,	   b->vex_document};
	for (size_t i = 0; i < 6; i++) {
		assert_true(!sa[i] == !sb[i]);
		if (sa[i])
			assert_string_equal(sa[i], sb[i]);
	}
}

static void test_vex_file_and_memory(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	scan s;
	scan_open(&s);
	const char *files[] = {write_tmp("one.vex.json", vex1), write_tmp("two.vex.json", vex2)};
	lading_findings *ff = match(&s);
	lading_filter flt = {.struct_size = sizeof(flt), .vex_files = files, .nvex_files = 2};
	filter_ok(ff, &flt);
	assert_rows(ff, true, vex_suppressed);
	assert_rows(ff, false, vex_kept);
	assert_int_equal(lading_findings_suppressed(ff), 5);

	/* the same documents from memory, not NUL-terminated */
	char *t1 = malloc(sizeof(vex1) - 1), *t2 = malloc(sizeof(vex2) - 1);
	memcpy(t1, vex1, sizeof(vex1) - 1);
	memcpy(t2, vex2, sizeof(vex2) - 1);
	lading_vex_doc docs[] = {{t1, sizeof(vex1) - 1}, {t2, sizeof(vex2) - 1}};
	lading_findings *fm = match(&s);
	lading_filter mem = {.struct_size = sizeof(mem), .vex_docs = docs, .nvex_docs = 2};
	filter_ok(fm, &mem);
	assert_int_equal(lading_findings_count(fm), lading_findings_count(ff));
	assert_int_equal(lading_findings_vex_count(fm), lading_findings_vex_count(ff));
	for (size_t i = 0; i < lading_findings_count(ff); i++)
		assert_same_finding(lading_findings_get(ff, i), lading_findings_get(fm, i));
	for (size_t i = 0; i < lading_findings_vex_count(ff); i++)
		assert_same_finding(lading_findings_vex_get(ff, i), lading_findings_vex_get(fm, i));

	/* what a suppressed finding keeps */
	const lading_finding *musl = NULL;
	for (size_t i = 0; i < lading_findings_vex_count(fm); i++)
		if (strcmp(lading_findings_vex_get(fm, i)->package_name, "musl") == 0)
			musl = lading_findings_vex_get(fm, i);
	assert_non_null(musl);
	assert_string_equal(musl->vex_impact_statement, "no x87 code in this image");
	assert_string_equal(musl->vex_timestamp, "2024-03-01T12:00:00Z"); /* the document's */
	assert_string_equal(musl->vex_document, "https://lading.test/vex/unit-1");
	assert_string_equal(musl->purl, "pkg:apk/alpine/musl@1.1.15-r4?arch=x86_64&distro=3.10.9");
	/* the JSON report shows both lists (the writers' own tests are elsewhere) */
	json_t *j = render_json(s.inv, fm, LADING_FMT_JSON);
	assert_int_equal(json_array_size(json_object_get(j, "vex_suppressed")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "vex_suppressed")),
			 5);
	json_decref(j);
	/* CycloneDX: every finding, VEX's with their analysis */
	j = render_json(s.inv, fm, LADING_FMT_CYCLONEDX);
	json_t *vulns = json_object_get(j, "vulnerabilities");
	assert_int_equal(json_array_size(vulns), 14);
	size_t nstate[4] = {0};
	for (size_t i = 0; i < json_array_size(vulns); i++) {
		json_t *v = json_array_get(vulns, i), *an = json_object_get(v, "analysis");
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *st = json_string_value(json_object_get(an, "state"));
		const char *vstatus = json_string_value(json_object_get(
		    json_array_get(
			json_object_get(json_array_get(json_object_get(v, "affects"), 0), "versions"), 0),
		    "status"));
		/* the five VEX removed come last, unaffected; ssl_client's
		 * unversioned "fixed" is "resolved" but stays affected */
		assert_string_equal(vstatus, i >= 9 ? "unaffected" : "affected");
		if (!st)
			continue;
		if (strcmp(id, "CVE-2019-14697") == 0) {
			assert_string_equal(st, "not_affected");
			assert_string_equal(json_string_value(json_object_get(an, "justification")),
					    "code_not_reachable");
			assert_string_equal(json_string_value(json_object_get(an, "detail")),
					    "no x87 code in this image");
			assert_string_equal(json_string_value(json_object_get(an, "lastUpdated")),
					    "2024-03-01T12:00:00Z");
		}
		if (strcmp(id, "CVE-2019-1563") == 0) {
			assert_string_equal(st, "exploitable");
			assert_string_equal(
			    json_string_value(json_array_get(json_object_get(an, "response"), 0)), "update");
		}
		nstate[strcmp(st, "not_affected") == 0	? 0
		       : strcmp(st, "resolved") == 0	? 1
		       : strcmp(st, "exploitable") == 0 ? 2
							: 3]++;
	}
	assert_int_equal(nstate[0], 4); /* not_affected */
	assert_int_equal(nstate[1], 2); /* resolved: busybox suppressed, ssl_client annotated */
	assert_int_equal(nstate[2], 2); /* exploitable */
	assert_int_equal(nstate[3], 0);
	json_decref(j);
	/* SARIF: the five as suppressed results */
	j = render_json(s.inv, fm, LADING_FMT_SARIF);
	json_t *results = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
	assert_int_equal(json_array_size(results), 14);
	size_t nsup = 0;
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *sup = json_array_get(json_object_get(json_array_get(results, i), "suppressions"), 0);
		if (!sup)
			continue;
		nsup++;
		assert_string_equal(json_string_value(json_object_get(sup, "kind")), "external");
		assert_string_equal(json_string_value(json_object_get(sup, "status")), "accepted");
	}
	assert_int_equal(nsup, 5);
	json_decref(j);
	if (have_validators()) {
		assert_validates(s.inv, fm, LADING_FMT_CYCLONEDX, "validate-cdx.mjs");
		assert_validates(s.inv, fm, LADING_FMT_SARIF, "validate-sarif.mjs");
	}
	lading_findings_free(ff);
	lading_findings_free(fm);

	/* the documents in the other order give the same: times decide, not order */
	lading_vex_doc rev[] = {docs[1], docs[0]};
	fm = match(&s);
	mem.vex_docs = rev;
	filter_ok(fm, &mem);
	assert_rows(fm, true, vex_suppressed);
	lading_findings_free(fm);

	/* applied after the other filters: a finding they drop is not VEX's */
	fm = match(&s);
	mem.vex_docs = docs;
	mem.ignore_text = "CVE-2019-14697\n";
	mem.ignore_len = 15;
	filter_ok(fm, &mem);
	assert_int_equal(lading_findings_vex_count(fm), 4);
	assert_int_equal(lading_findings_suppressed(fm), 6);
	lading_findings_free(fm);
	free(t1);
	free(t2);
	scan_close(&s);
}

/* ---- real OpenVEX documents (openvex/vexctl) as parser fixtures ------------- */

/* Hand-made findings for the packages the fixtures name: `n` of them, the
 * image `name` with `digest`. */
static lading_findings *hand_findings(const char *name, const char *digest, const lading_finding *f, size_t n)
{
	lading_findings *fs;
	assert_int_equal(findings_new(&fs), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(findings_add(fs, &f[i]), 0);
	fs->image_name = name;
	fs->image_digest = digest;
	lading_image_info img = {.name = name, .manifest_digest = digest};
	fs->image_purl = purl_image(&fs->a, &img, false);
	return fs;
}

static void load_fixture(char **text, size_t *len, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), FIXTURES "%s", name);
	*text = slurp(path, len);
	assert_non_null(*text);
}

static void test_vex_vexctl_fixtures(void **state)
{
	(void)state;
	static const char *const names[] = {"vexctl-document1.vex.json",     "vexctl-document2.vex.json",
					    "vexctl-demo.vex.json",	     "vexctl-images.vex.json",
					    "vexctl-v001-1.vex.json",	     "vexctl-test.vex.json",
					    "vexctl-oci-vexctl.openvex.json"};
	enum { N = sizeof(names) / sizeof(names[0]) };
	char *text[N];
	lading_vex_doc doc[N];
	for (size_t i = 0; i < N; i++) {
		load_fixture(&text[i], &doc[i].len, names[i]);
		doc[i].text = text[i];
	}
	/* document1 says under_investigation, document2 (two minutes later)
	 * fixed, for pkg:apk/wolfi/bash@1.0.0: fixed wins whatever the order,
	 * and names the installed version, so it suppresses */
	lading_finding bash = {.package_name = "bash",
			       .vuln_id = "CVE-1234-5678",
			       .purl = "pkg:apk/wolfi/bash@1.0.0",
			       .installed = "1.0.0",
			       .status = LADING_VULN_UNFIXED,
			       .cvss_score = -1};
	for (int order = 0; order < 2; order++) {
		lading_findings *fs = hand_findings("cgr.dev/chainguard/bash:latest", NULL, &bash, 1);
		lading_vex_doc two[] = {doc[order], doc[1 - order]};
		lading_filter flt = {.struct_size = sizeof(flt), .vex_docs = two, .nvex_docs = 2};
		filter_ok(fs, &flt);
		assert_int_equal(lading_findings_count(fs), 0);
		assert_int_equal(lading_findings_vex_count(fs), 1);
		const lading_finding *f = lading_findings_vex_get(fs, 0);
		assert_int_equal(f->vex_status, LADING_VEX_FIXED);
		assert_string_equal(f->vex_timestamp, "2023-12-05T05:06:38.099731287Z");
		assert_string_equal(f->vex_document,
				    "https://openvex.dev/docs/public/"
				    "vex-3cd938c9a706eba0915883640116cfe813f7d59150cf758b8c869b4926a7cf11");
		lading_findings_free(fs);
	}
	/* the v0.0.1 document (string products and vulnerability) says
	 * under_investigation for the same, a year earlier: alone it annotates
	 * (our purl's extra qualifier does not matter), with the others it loses */
	lading_finding bash2 = bash;
	bash2.purl = "pkg:apk/wolfi/bash@1.0.0?arch=x86_64";
	lading_findings *fs = hand_findings(NULL, NULL, &bash2, 1);
	lading_filter flt = {.struct_size = sizeof(flt), .vex_docs = &doc[4], .nvex_docs = 1};
	filter_ok(fs, &flt);
	assert_int_equal(lading_findings_count(fs), 1);
	assert_int_equal(lading_findings_get(fs, 0)->vex_status, LADING_VEX_UNDER_INVESTIGATION);
	assert_string_equal(lading_findings_get(fs, 0)->vex_document, "my-vexdoc2");
	lading_findings_free(fs);
	fs = hand_findings(NULL, NULL, &bash2, 1);
	lading_vex_doc three[] = {doc[1], doc[4], doc[0]};
	flt.vex_docs = three;
	flt.nvex_docs = 3;
	filter_ok(fs, &flt);
	assert_int_equal(lading_findings_vex_count(fs), 1);
	assert_int_equal(lading_findings_vex_get(fs, 0)->vex_status, LADING_VEX_FIXED);
	lading_findings_free(fs);
	/* at another version nothing applies: the purls name 1.0.0 */
	bash2.purl = "pkg:apk/wolfi/bash@1.0.1";
	fs = hand_findings(NULL, NULL, &bash2, 1);
	filter_ok(fs, &flt);
	assert_int_equal(lading_findings_count(fs), 1);
	assert_int_equal(lading_findings_get(fs, 0)->vex_status, LADING_VEX_NONE);
	lading_findings_free(fs);
	/* demo: pkg:apk/distro/git@2.39.0-r1 for two arches; fixed at that version */
	lading_finding git[] = {{.package_name = "git",
				 .vuln_id = "CVE-2014-123456",
				 .purl = "pkg:apk/distro/git@2.39.0-r1?arch=x86_64&distro=3.18",
				 .cvss_score = -1},
				{.package_name = "git",
				 .vuln_id = "CVE-2014-123456",
				 .purl = "pkg:apk/distro/git@2.39.0-r1?arch=aarch64",
				 .cvss_score = -1}};
	fs = hand_findings(NULL, NULL, git, 2);
	flt.vex_docs = &doc[2];
	flt.nvex_docs = 1;
	filter_ok(fs, &flt);
	assert_int_equal(lading_findings_vex_count(fs), 1);
	assert_string_equal(lading_findings_vex_get(fs, 0)->purl, git[0].purl);
	assert_int_equal(lading_findings_count(fs), 1); /* aarch64 is not one of its arches */
	lading_findings_free(fs);
	/* images (v0.0.x, products as strings): by digest purl, by name, by
	 * reference with tag; under_investigation annotates */
	lading_finding any = {.package_name = "zlib",
			      .vuln_id = "CVE-1234-5678",
			      .purl = "pkg:apk/alpine/zlib@1.3",
			      .cvss_score = -1};
	struct {
		const char *name, *digest;
		bool applies;
	} imgs[] = {
	    {"alpine:3.18", "sha256:f271e74b17ced29b915d351685fd4644785c6d1559dd1f2d4189a5e851ef753a", true},
	    {"docker.io/library/nginx:1.25", NULL, true},
	    {"registry.k8s.io/kube-apiserver:v1.26.0", NULL, true},
	    {"registry.k8s.io/kube-apiserver:v1.27.0", NULL, false},
	    {"alpine:3.18", "sha256:0000000000000000000000000000000000000000000000000000000000000000", false},
	};
	for (size_t i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		fs = hand_findings(imgs[i].name, imgs[i].digest, &any, 1);
		flt.vex_docs = &doc[3];
		filter_ok(fs, &flt);
		assert_int_equal(lading_findings_count(fs), 1);
		assert_int_equal(lading_findings_get(fs, 0)->vex_status,
				 imgs[i].applies ? LADING_VEX_UNDER_INVESTIGATION : LADING_VEX_NONE);
		lading_findings_free(fs);
	}
	/* test.vex.json: statements without products apply to nothing (warned) */
	fs = hand_findings("alpine:3.18", NULL, &any, 1);
	flt.vex_docs = &doc[5];
	lading_ctx *ctx = new_ctx(0);
	assert_int_equal(lading_findings_filter(fs, ctx, &flt), 0);
	assert_int_equal(nwarn, 2);
	assert_non_null(strstr(lastwarn, "(VEX document 1): statement 2: no products"));
	lading_ctx_free(ctx);
	lading_findings_free(fs);
	/* oci-vexctl: pkg:oci/vexctl without a version names every vexctl image */
	lading_finding v = {.package_name = "vexctl",
			    .vuln_id = "CVE-2014-12345678",
			    .purl = "pkg:golang/github.com/openvex/vexctl@v0.2.6",
			    .cvss_score = -1};
	fs = hand_findings("ghcr.io/openvex/vexctl:v0.2.6",
			   "sha256:1111111111111111111111111111111111111111111111111111111111111111", &v, 1);
	flt.vex_docs = &doc[6];
	filter_ok(fs, &flt);
	assert_int_equal(lading_findings_vex_count(fs), 1);
	assert_string_equal(lading_findings_vex_get(fs, 0)->vex_justification, "vulnerable_code_not_present");
	lading_findings_free(fs);
	for (size_t i = 0; i < N; i++)
		free(text[i]);
}

/* ---- hostile and malformed documents ----------------------------------------- */

static void test_vex_errors(void **state)
{
	(void)state;
	lading_finding f = {.package_name = "musl",
			    .vuln_id = "CVE-2019-14697",
			    .purl = "pkg:apk/alpine/musl@1",
			    .status = LADING_VULN_FIXED,
			    .cvss_score = -1};
	lading_findings *fs = hand_findings("alpine:3.10", IMAGE_DIGEST, &f, 1);
	lading_vex_doc d = {0};
	lading_filter flt = {.struct_size = sizeof(flt), .vex_docs = &d, .nvex_docs = 1};
#define DOC(s) (d.text = (s), d.len = strlen(s))
#define HEAD   "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"x\", "
	DOC("{\"statements\": [], \"SECRET\": [1,}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.not_json", "(VEX document 1): not valid JSON (line 1",
		    "SECRET");
	DOC(HEAD
	    "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"status\": "
	    "\"affected\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.duplicate_key", "a duplicate key", "status");
	DOC("{\"@context\": \"https://example.com/SECRET\", \"statements\": []}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.not_openvex", "not an OpenVEX document", "SECRET");
	DOC("[1, 2]");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.not_openvex", "not a JSON object", NULL);
	DOC("{\"@context\": \"https://openvex.dev/ns/v9.SECRET\", \"statements\": []}");
	expect_fail(fs, &flt, 0, LADING_EUNSUPP, "vex.unsupported_version", "v0.0.x and v0.2.0", "SECRET");
	DOC(HEAD "\"statements\": {}}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "no \"statements\" array", NULL);
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"SECRET\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "statement 1: \"status\" is not one of",
		    "SECRET");
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\"}, "
		 "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"not_affected\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document",
		    "statement 2: not_affected without a \"justification\"", NULL);
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"not_affected\", "
		 "\"justification\": \"SECRET\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "five OpenVEX labels", "SECRET");
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"aliases\": [\"CVE-1\"]}, \"status\": \"fixed\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "has no \"name\"", NULL);
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": 7}, \"status\": \"fixed\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "\"name\" is not a string", NULL);
	DOC(HEAD "\"timestamp\": \"yesterday SECRET\", \"statements\": []}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "\"timestamp\" is not an RFC 3339",
		    "SECRET");
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", "
		 "\"last_updated\": \"2024-02-30T00:00:00Z\"}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "\"last_updated\" is not an RFC 3339",
		    NULL);
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", "
		 "\"products\": [{\"supplier\": \"x\"}]}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "product 1 has no \"@id\"", NULL);
	DOC(HEAD "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", "
		 "\"products\": [{\"@id\": \"a\", \"subcomponents\": [7]}]}]}");
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.bad_document", "subcomponent 1 is neither", NULL);
	DOC(HEAD "\"statements\": []}");
	expect_fail(fs, &flt, 16, LADING_ELIMIT, "limit.file_size", "(VEX document 1): larger than", NULL);
	/* more statements than the cap, and more entries */
	buf big = {0};
	assert_int_equal(buf_puts(&big, HEAD "\"statements\": ["), 0);
	for (int i = 0; i <= 100000; i++)
		assert_int_equal(
		    buf_printf(&big,
			       "%s{\"vulnerability\": {\"name\": \"CVE-%d\"}, \"status\": \"fixed\", "
			       "\"products\": [\"pkg:apk/alpine/musl\"]}",
			       i ? "," : "", i),
		    0);
	assert_int_equal(buf_puts(&big, "]}"), 0);
	d.text = big.p;
	d.len = big.n;
	expect_fail(fs, &flt, 0, LADING_ELIMIT, "vex.too_many_statements", "more than 100000 statements",
		    NULL);
	big.n = 0;
	assert_int_equal(buf_puts(&big, HEAD
				  "\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": "
				  "\"fixed\", \"products\": ["),
			 0);
	for (int i = 0; i <= 500000; i++)
		assert_int_equal(buf_puts(&big, i ? ",\"a\"" : "\"a\""), 0);
	assert_int_equal(buf_puts(&big, "]}]}"), 0);
	d.text = big.p;
	d.len = big.n;
	expect_fail(fs, &flt, 0, LADING_ELIMIT, "vex.too_many_entries", "more than 500000", NULL);
	buf_free(&big);
	/* a length without text; files that cannot be read */
	d.text = NULL;
	d.len = 3;
	expect_fail(fs, &flt, 0, LADING_EINVAL, NULL, NULL, NULL);
	const char *files[] = {"/nonexistent/x.vex.json"};
	lading_filter ff = {.struct_size = sizeof(ff), .vex_files = files, .nvex_files = 1};
	expect_fail(fs, &ff, 0, LADING_EIO, "vex.unreadable", "/nonexistent/x.vex.json", NULL);
	files[0] = write_tmp("bad.vex.json", "{\"@context\": 1}");
	expect_fail(fs, &ff, 0, LADING_EFORMAT, "vex.not_openvex", "bad.vex.json: not an OpenVEX", NULL);
	/* an empty document list entry is an empty (invalid) document */
	d.text = NULL;
	d.len = 0;
	expect_fail(fs, &flt, 0, LADING_EFORMAT, "vex.not_json", NULL, NULL);
#undef DOC
#undef HEAD
	lading_findings_free(fs);
}

/* Statements dated in different forms compare as instants. */
static void test_vex_times(void **state)
{
	(void)state;
	lading_finding f = {.package_name = "musl",
			    .vuln_id = "CVE-2019-14697",
			    .purl = "pkg:apk/alpine/musl@1.1.15-r4?arch=x86_64",
			    .cvss_score = -1};
	static const struct {
		const char *a, *b; /* a: not_affected, b: affected; which is later */
		bool a_later;
	} cases[] = {
	    {"2024-01-01T10:00:00+02:00", "2024-01-01T09:00:00Z", false}, /* 08:00Z < 09:00Z */
	    {"2024-01-01T10:00:00-02:00", "2024-01-01T11:00:00Z", true},  /* 12:00Z > 11:00Z */
	    {"2024-01-01T00:00:00.000000002Z", "2024-01-01T00:00:00.000000001Z", true},
	    {"2023-12-31T23:59:59.9Z", "2024-01-01t00:00:00z", false},
	    {"2000-02-29T00:00:00Z", "1999-12-31T23:59:60Z", true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[1024];
		snprintf(
		    text, sizeof(text),
		    "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
		    "{\"vulnerability\": {\"name\": \"CVE-2019-14697\"}, \"timestamp\": \"%s\", \"status\": "
		    "\"not_affected\", \"justification\": \"component_not_present\", \"products\": "
		    "[\"pkg:apk/alpine/musl\"]},"
		    "{\"vulnerability\": {\"name\": \"CVE-2019-14697\"}, \"timestamp\": \"%s\", \"status\": "
		    "\"affected\", \"products\": [\"pkg:apk/alpine/musl\"]}]}",
		    cases[i].a, cases[i].b);
		lading_findings *fs = hand_findings(NULL, NULL, &f, 1);
		lading_vex_doc d = {text, strlen(text)};
		lading_filter flt = {.struct_size = sizeof(flt), .vex_docs = &d, .nvex_docs = 1};
		filter_ok(fs, &flt);
		assert_int_equal(lading_findings_vex_count(fs), cases[i].a_later ? 1 : 0);
		lading_findings_free(fs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ignore_file_and_memory),
	    cmocka_unit_test(test_ignore_errors),
	    cmocka_unit_test(test_vex_file_and_memory),
	    cmocka_unit_test(test_vex_vexctl_fixtures),
	    cmocka_unit_test(test_vex_errors),
	    cmocka_unit_test(test_vex_times),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
