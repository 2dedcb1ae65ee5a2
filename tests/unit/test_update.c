/* Unit tests for the pure logic of `lading db update` (src/vulndb/update.c):
 * response-header parsing, retry delays, URL checks, the download's local
 * name, LADING_HTTP_* numbers, the sources-file parser and the list edits,
 * plus the import entry point that names a source by URL and records its
 * validators (on a real corpus feed). The inputs of the pure functions are
 * HAND-WRITTEN edge cases: there is no corpus of HTTP headers or sources
 * files. The downloads themselves are tested against a loopback server in
 * tests/cli/db_update.sh; here only a refused loopback connection is made. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lading/lading.h"
#include "front.h"
#include "net/net.h"
#include "vulndb/update.h"
#include "vulndb/vulndb.h"

static lading_ctx *new_ctx(void)
{
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, NULL), 0);
	return ctx;
}

static void feed(net_hdr *h, const char *line) { net_hdr_line(h, sv_cstr(line), 1700000000); }

static void test_headers(void **state)
{
	(void)state;
	net_hdr h;
	net_hdr_init(&h);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.retry_after, -1);
	/* a redirect's headers do not leak into the final response */
	feed(&h, "HTTP/1.1 302 Found\r\n");
	feed(&h, "ETag: \"redirect\"\r\n");
	feed(&h, "Retry-After: 5\r\n");
	assert_int_equal(h.status, 302);
	assert_string_equal(h.etag, "\"redirect\"");
	feed(&h, "HTTP/1.1 200 OK\r\n");
	assert_int_equal(h.status, 200);
	assert_string_equal(h.reason, "OK");
	assert_string_equal(h.etag, "");
	assert_int_equal(h.retry_after, -1);
	/* names are case-insensitive, values trimmed, weak tags kept as sent */
	feed(&h, "etag:   W/\"abc-123\"  \r\n");
	feed(&h, "LAST-MODIFIED: Tue, 14 Nov 2023 22:13:20 GMT\r\n");
	assert_string_equal(h.etag, "W/\"abc-123\"");
	assert_string_equal(h.last_modified, "Tue, 14 Nov 2023 22:13:20 GMT");
	/* a value with a control byte would be sent back in a request: dropped */
	feed(&h, "ETag: \"a\x01\"\r\n");
	assert_string_equal(h.etag, "");
	feed(&h, "ETag: \"caf\xc3\xa9\"\r\n");
	assert_string_equal(h.etag, "");
	char long_tag[600] = "ETag: \"";
	memset(long_tag + 7, 'x', 400);
	strcpy(long_tag + 407, "\"\r\n");
	feed(&h, long_tag);
	assert_string_equal(h.etag, "");
	/* HTTP/2 has no reason phrase */
	feed(&h, "HTTP/2 503\r\n");
	assert_int_equal(h.status, 503);
	assert_string_equal(h.reason, "");
	feed(&h, "Retry-After: 120\r\n");
	assert_int_equal(h.retry_after, 120);
	feed(&h, "Retry-After: 99999999999\r\n");
	assert_int_equal(h.retry_after, 86400);
	/* an HTTP date, relative to "now" (1700000000 = Tue, 14 Nov 2023 22:13:20 GMT) */
	feed(&h, "Retry-After: Tue, 14 Nov 2023 22:13:50 GMT\r\n");
	assert_int_equal(h.retry_after, 30);
	feed(&h, "Retry-After: Tue, 14 Nov 2023 22:00:00 GMT\r\n");
	assert_int_equal(h.retry_after, 0);
	/* the two obsolete forms recipients must accept (RFC 9110, 5.6.7) */
	feed(&h, "Retry-After: Tuesday, 14-Nov-23 22:14:20 GMT\r\n");
	assert_int_equal(h.retry_after, 60);
	feed(&h, "Retry-After: Tue Nov 14 22:15:20 2023\r\n");
	assert_int_equal(h.retry_after, 120);
	feed(&h, "Retry-After: Tue, 14 Foo 2023 22:13:50 GMT\r\n");
	assert_int_equal(h.retry_after, -1);
	feed(&h, "Retry-After: Tue, 14 Nov 2023 22:13:50 PST\r\n");
	assert_int_equal(h.retry_after, -1);
	feed(&h, "Retry-After: soon\r\n");
	assert_int_equal(h.retry_after, -1);
	/* junk status lines and header lines without a colon change nothing */
	feed(&h, "HTTP/1.1 abc\r\n");
	assert_int_equal(h.status, 0);
	feed(&h, "no colon here\r\n");
	feed(&h, "\r\n");
	feed(&h, "");
	/* not NUL-terminated: only the view's bytes are read */
	net_hdr_init(&h);
	const char raw[] = "ETag: \"abc\"\r\nETag: \"zzz\"";
	net_hdr_line(&h, sv_make(raw, 13), 0);
	assert_string_equal(h.etag, "\"abc\"");
}

static void test_retry(void **state)
{
	(void)state;
	assert_true(net_transient(NULL, CURLE_OK, 429));
	assert_true(net_transient(NULL, CURLE_OK, 503));
	assert_true(net_transient(NULL, CURLE_OK, 500));
	assert_true(net_transient(NULL, CURLE_OK, 408));
	assert_false(net_transient(NULL, CURLE_OK, 404));
	assert_false(net_transient(NULL, CURLE_OK, 501));
	assert_false(net_transient(NULL, CURLE_OK, 200));
	assert_false(net_transient(NULL, CURLE_OK, 304));
	/* doubling from the base, capped */
	assert_int_equal(net_backoff_ms(2000, 1, -1, 60000), 2000);
	assert_int_equal(net_backoff_ms(2000, 2, -1, 60000), 4000);
	assert_int_equal(net_backoff_ms(2000, 3, -1, 60000), 8000);
	assert_int_equal(net_backoff_ms(2000, 10, -1, 60000), 60000);
	assert_int_equal(net_backoff_ms(2000, 1000000, -1, 60000), 60000);
	assert_int_equal(net_backoff_ms(0, 5, -1, 60000), 0);
	assert_int_equal(net_backoff_ms(120000, 1, -1, 60000), 60000);
	/* Retry-After wins when longer, and is capped too */
	assert_int_equal(net_backoff_ms(2000, 1, 10, 60000), 10000);
	assert_int_equal(net_backoff_ms(2000, 3, 1, 60000), 8000);
	assert_int_equal(net_backoff_ms(2000, 1, 3600, 60000), 60000);
}

static void test_urls(void **state)
{
	(void)state;
	char why[256];
	const char *ok[] = {
	    "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
	    "HTTPS://example.org",
	    "https://user:pw@mirror.example/x",
	    "http://127.0.0.1:8080/feeds/x",
	    "http://127.1.2.3/x",
	    "http://localhost/x",
	    "http://LOCALHOST:99",
	    "http://[::1]:8080/x",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(upd_url_check(ok[i], why, sizeof(why)), 0);
	const char *bad[] = {
	    "",
	    "ftp://example.org/x",
	    "file:///etc/passwd",
	    "example.org/x",
	    "https://",
	    "https:///path",
	    "http://example.org/x", /* plain http off this machine */
	    "http://10.0.0.1/x",
	    "http://127.0.0.1.evil.example/", /* not a dotted quad */
	    "http://128.0.0.1/",
	    "http://127.0.0.256/",
	    "http://localhost.evil.example/",
	    "http://127.0.0.1@evil.example/", /* the host is evil.example */
	    "http://[::2]/",
	    "https://a b/",
	    "https://a/\r\nX-Injected: 1",
	    "https://a\\@b/",
	    "https://caf\xc3\xa9.example/",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		assert_int_equal(upd_url_check(bad[i], why, sizeof(why)), -LADING_EINVAL);
		assert_true(why[0] != 0);
	}
	char longurl[2100] = "https://a/";
	memset(longurl + 10, 'x', 2080);
	longurl[2090] = 0;
	assert_int_equal(upd_url_check(longurl, why, sizeof(why)), -LADING_EINVAL);
	/* every built-in source passes, has a unique name and is https */
	size_t n;
	const lading_feed_source *d = lading_feed_defaults(&n);
	assert_int_equal(n, 21);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(upd_url_check(d[i].url, why, sizeof(why)), 0);
		assert_int_equal(strncmp(d[i].url, "https://", 8), 0);
		assert_true(d[i].type != LADING_FEED_AUTO);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(d[i].name, d[j].name);
	}
}

static void test_local_name(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
	    {"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", "Go", "all.zip"},
	    {"https://secdb.alpinelinux.org/v3.20/main.json", "v3.20", "main.json"},
	    {"https://security-tracker.debian.org/tracker/data/json", "data", "json"},
	    {"https://h/a/b/c.yaml?x=1#frag", "b", "c.yaml"},
	    {"https://h/only", "d", "only"},
	    {"https://h/", "d", "feed"},
	    {"https://h", "d", "feed"},
	    {"https://h/a/../..", "d", "feed"},
	    {"https://h/%2e%2e/x y", "_2e_2e", "x_y"},
	    {"https://h/dir//", "d", "dir"},
	    {"http://127.0.0.1:5/feeds/alpine/v3.9/main.yaml", "v3.9", "main.yaml"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[64], base[128];
		upd_local_name(cases[i][0], dir, base);
		assert_string_equal(dir, cases[i][1]);
		assert_string_equal(base, cases[i][2]);
	}
	char longurl[1200] = "https://h/";
	memset(longurl + 10, 'y', 1000);
	longurl[1010] = 0;
	char dir[64], base[128];
	upd_local_name(longurl, dir, base);
	assert_int_equal(strlen(base), 127);
}

static void test_numbers(void **state)
{
	(void)state;
	double v;
	assert_true(0 == front_parse_number("2", 0, 10, &v) && v == 2);
	assert_true(0 == front_parse_number("0.25", 0, 10, &v) && v == 0.25);
	assert_true(0 == front_parse_number("10", 0, 10, &v));
	assert_false(0 == front_parse_number("10.5", 0, 10, &v));
	assert_false(0 == front_parse_number("-1", -5, 10, &v));  /* no signs */
	assert_false(0 == front_parse_number("1e3", 0, 1e9, &v)); /* no exponents */
	assert_false(0 == front_parse_number("", 0, 10, &v));
	assert_false(0 == front_parse_number(".", 0, 10, &v));
	assert_false(0 == front_parse_number("1.2.3", 0, 10, &v));
	assert_false(0 == front_parse_number("nan", 0, 10, &v));
	assert_false(0 == front_parse_number("0.5", 1, 10, &v));
	assert_false(0 == front_parse_number(NULL, 0, 10, &v));
	assert_true(net_header_value_ok(SV_LIT("\"x\""), 8));
	assert_false(net_header_value_ok(SV_LIT("12345678"), 8));
	assert_false(net_header_value_ok(SV_LIT(""), 8));
}

static const char *names_of(const lading_feed_list *l, char *out, size_t cap)
{
	size_t n;
	const lading_feed_source *s = lading_feed_list_sources(l, &n);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(out);
		snprintf(out + k, cap - k, "%s%s", i ? "," : "", s[i].name);
	}
	return out;
}

static void test_sources_file(void **state)
{
	(void)state;
	lading_ctx *ctx = new_ctx();
	lading_feed_list *l = NULL;
	assert_int_equal(lading_feed_list_new(&l, ctx, NULL, 0), 0);
	const char good[] =
	    "# mirror of the public feeds\r\n"
	    "\n"
	    "   # indented comment\n"
	    "osv-go\tosv   https://mirror.example/osv/Go/all.zip\r\n"
	    "  alpine-3.20-main alpine-secdb https://mirror.example/alpine/v3.20/main.json  \n"
	    "dsa debian-dsa http://127.0.0.1:8000/DSA/list"; /* no final newline */
	assert_int_equal(lading_feed_list_parse(l, ctx, "mirror.list", good, sizeof(good) - 1), 0);
	size_t n;
	const lading_feed_source *s = lading_feed_list_sources(l, &n);
	assert_int_equal(n, 3);
	assert_string_equal(s[0].name, "osv-go");
	assert_int_equal(s[0].type, LADING_FEED_OSV);
	assert_string_equal(s[0].url, "https://mirror.example/osv/Go/all.zip");
	assert_string_equal(s[1].name, "alpine-3.20-main");
	assert_int_equal(s[1].type, LADING_FEED_ALPINE_SECDB);
	assert_string_equal(s[2].url, "http://127.0.0.1:8000/DSA/list");

	/* each bad file: the error names the file and line, and nothing is added */
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"a osv https://x/1\nb osv\n", "f:2: expected 'NAME TYPE URL', found fewer fields"},
	    {"a osv https://x/1 extra\n", "f:1: expected 'NAME TYPE URL', found more fields"},
	    {"a auto https://x/1\n", "f:1: a: unknown feed type 'auto'"},
	    {"a OSV https://x/1\n", "f:1: a: unknown feed type 'OSV'"},
	    {"a/b osv https://x/1\n", "f:1: bad source name 'a/b'"},
	    {"a osv http://example.org/1\n", "f:1: a: bad URL 'http://example.org/1': plain http"},
	    {"a osv https://x/1\n#\na osv https://x/2\n", "f:3: source 'a' is already defined on line 1"},
	    {"osv-go osv https://x/1\n", "f:1: source 'osv-go' is already defined"},
	    {"a osv https://x/\x01\n", "f:1: control character 0x01"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(lading_feed_list_parse(l, ctx, "f", bad[i].text, strlen(bad[i].text)),
				     0);
		if (strncmp(lading_ctx_error(ctx), bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s…'", i, lading_ctx_error(ctx), bad[i].msg);
		lading_feed_list_sources(l, &n);
		assert_int_equal(n, 3);
	}
	/* a NUL byte inside the text is no line end */
	const char nul[] = "b osv https://x/1\0c osv https://x/2\n";
	assert_int_not_equal(lading_feed_list_parse(l, ctx, "f", nul, sizeof(nul) - 1), 0);
	assert_string_equal(lading_ctx_error(ctx), "f:1: control character 0x00");
	/* a name of 65 characters is refused, 64 accepted */
	char line[300];
	snprintf(line, sizeof(line), "%.*s osv https://x/1\n", 65,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_not_equal(lading_feed_list_parse(l, ctx, "f", line, strlen(line)), 0);
	snprintf(line, sizeof(line), "%.*s osv https://x/1\n", 64,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(lading_feed_list_parse(l, ctx, "f", line, strlen(line)), 0);
	/* empty and comment-only files add nothing and are fine */
	assert_int_equal(lading_feed_list_parse(l, ctx, "f", "", 0), 0);
	assert_int_equal(lading_feed_list_parse(l, ctx, "f", "# nothing\n\n", 11), 0);
	lading_feed_list_sources(l, &n);
	assert_int_equal(n, 4);
	lading_feed_list_free(l);
	lading_ctx_free(ctx);
}

static void test_list_edits(void **state)
{
	(void)state;
	lading_ctx *ctx = new_ctx();
	size_t ndef;
	const lading_feed_source *def = lading_feed_defaults(&ndef);
	lading_feed_list *l = NULL;
	assert_int_equal(lading_feed_list_new(&l, ctx, def, ndef), 0);
	char names[2048];

	/* NAME=URL: a new URL, the same type */
	assert_int_equal(lading_feed_list_set(l, ctx, "osv-go=https://mirror.example/Go/all.zip"), 0);
	size_t n;
	const lading_feed_source *s = lading_feed_list_sources(l, &n);
	assert_string_equal(s[0].url, "https://mirror.example/Go/all.zip");
	assert_int_equal(s[0].type, LADING_FEED_OSV);
	/* NAME=TYPE:URL: added when new, retyped when known */
	assert_int_equal(lading_feed_list_set(l, ctx, "debian-dsa=debian-dsa:https://m.example/DSA/list"), 0);
	assert_int_equal(lading_feed_list_set(l, ctx, "osv-go=nvd:https://m.example/nvd.json.gz"), 0);
	s = lading_feed_list_sources(l, &n);
	assert_int_equal(n, ndef + 1);
	assert_int_equal(s[0].type, LADING_FEED_NVD);
	assert_string_equal(s[ndef].name, "debian-dsa");
	assert_int_equal(s[ndef].type, LADING_FEED_DEBIAN_DSA);
	/* refused: unknown name without a type, auto, bad name, bad URL, no '=' */
	assert_int_not_equal(lading_feed_list_set(l, ctx, "nvd=https://x/y"), 0);
	assert_non_null(strstr(lading_ctx_error(ctx), "nvd=TYPE:URL"));
	assert_int_not_equal(lading_feed_list_set(l, ctx, "x=auto:https://x/y"), 0);
	assert_int_not_equal(lading_feed_list_set(l, ctx, "=osv:https://x/y"), 0);
	assert_int_not_equal(lading_feed_list_set(l, ctx, "a b=osv:https://x/y"), 0);
	assert_int_not_equal(lading_feed_list_set(l, ctx, "x=osv:ftp://x/y"), 0);
	assert_int_not_equal(lading_feed_list_set(l, ctx, "osv-go=http://example.org/x"), 0);
	assert_int_not_equal(lading_feed_list_set(l, ctx, "osv-go"), 0);
	/* a type-like prefix that is no type is part of the URL, which then fails */
	assert_int_not_equal(lading_feed_list_set(l, ctx, "osv-go=osvx:https://x/y"), 0);
	lading_feed_list_sources(l, &n);
	assert_int_equal(n, ndef + 1);

	/* --only: patterns, order kept, a pattern matching nothing is an error */
	assert_int_not_equal(lading_feed_list_only(l, ctx, "osv-*,nosuch"), 0);
	assert_non_null(strstr(lading_ctx_error(ctx), "no source matches 'nosuch'"));
	assert_int_not_equal(lading_feed_list_only(l, ctx, " , ,"), 0);
	lading_feed_list_sources(l, &n);
	assert_int_equal(n, ndef + 1); /* unchanged by a failed --only */
	assert_int_equal(lading_feed_list_only(l, ctx, "alpine-3.2[01]-main, debian-*"), 0);
	assert_string_equal(names_of(l, names, sizeof(names)),
			    "debian-tracker,alpine-3.20-main,alpine-3.21-main,debian-dsa");
	/* duplicate adds are refused */
	assert_int_not_equal(
	    lading_feed_list_add(l, ctx, "debian-dsa", LADING_FEED_DEBIAN_DSA, "https://a/b"), 0);
	lading_feed_list_free(l);
	lading_feed_list_free(NULL);
	lading_ctx_free(ctx);
}

static int count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* vdb_import_source on a real Alpine secdb file: the source is named by the
 * URL given, the validators land in fetch_state, and the same source name
 * fetched from another URL (a mirror) replaces the old URL's rows. */
static void test_import_source(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char feed_path[2048];
	corpus_path(feed_path, sizeof(feed_path), "vulndata/alpine-secdb/v3.10/main.yaml");
	char dir[] = "/tmp/lading-test-update-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char db_path[256];
	snprintf(db_path, sizeof(db_path), "%s/vuln.db", dir);
	lading_ctx *ctx = new_ctx();
	vdb_lock lock;
	assert_int_equal(vdb_lock_take(&lock, ctx, db_path, 0), 0);
	lading_import_stats st;
	vdb_fetch f = {"https://a.example/v3.10/main.yaml", "alpine-3.10-main", "\"tag1\"",
		       "Tue, 14 Nov 2023 22:13:20 GMT", 48442};
	assert_int_equal(
	    vdb_import_source(&st, ctx, &lock, db_path, feed_path, f.url, LADING_FEED_ALPINE_SECDB, &f), 0);
	assert_true(st.advisories > 0);
	/* the plain import of the same file is a second, separate source; it
	 * takes the lock itself */
	vdb_lock_release(&lock);
	lading_import_stats st2;
	assert_int_equal(lading_vulndb_import(&st2, ctx, db_path, feed_path, LADING_FEED_ALPINE_SECDB), 0);
	assert_int_equal(vdb_lock_take(&lock, ctx, db_path, 0), 0);
	assert_int_equal(st2.advisories, st.advisories);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    count(db, "SELECT count(*) FROM sources WHERE name = 'https://a.example/v3.10/main.yaml'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM sources"), 2);
	assert_int_equal(
	    count(db, "SELECT count(*) FROM fetch_state WHERE url = 'https://a.example/v3.10/main.yaml' "
		      "AND etag = '\"tag1\"' AND last_modified LIKE 'Tue, 14 Nov%' AND bytes = 48442 "
		      "AND source = 'alpine-3.10-main' AND fetched_at LIKE '20%Z'"),
	    1);
	sqlite3_close(db);

	/* the same name from a mirror: the old URL's rows and state go */
	vdb_fetch m = {"https://mirror.example/v3.10/main.yaml", "alpine-3.10-main", NULL, NULL, 1};
	assert_int_equal(
	    vdb_import_source(&st, ctx, &lock, db_path, feed_path, m.url, LADING_FEED_ALPINE_SECDB, &m), 0);
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(count(db, "SELECT count(*) FROM sources WHERE name LIKE 'https://a.example/%'"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM sources"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM fetch_state"), 1);
	assert_int_equal(
	    count(db, "SELECT count(*) FROM fetch_state WHERE etag IS NULL AND last_modified IS NULL"), 1);
	/* no orphans: every advisory belongs to a source */
	assert_int_equal(
	    count(db, "SELECT count(*) FROM advisories WHERE source_id NOT IN (SELECT id FROM sources)"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM advisories"), (int)(2 * st.advisories));
	sqlite3_close(db);
	vdb_lock_release(&lock);

	unlink(db_path);
	rmdir(dir);
	lading_ctx_free(ctx);
}

/* A loopback port nobody listens on: the source fails with the reason, the
 * database is not created, and nothing is left in the directory. */
static void test_update_refused(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	close(fd); /* nobody listens there now */
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/all.zip", ntohs(a.sin_port));
	char dir[] = "/tmp/lading-test-update-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char db_path[256];
	snprintf(db_path, sizeof(db_path), "%s/vuln.db", dir);
	/* two attempts, 1 ms apart, to this machine */
	lading_options o = {.struct_size = sizeof(o), .http_max_attempts = 2, .http_retry_delay_ms = 1,
			    .allow_private_addresses = 1};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	lading_feed_source src[] = {{"x", LADING_FEED_OSV, url}};
	lading_update_stats st;
	int rc = lading_vulndb_update(&st, ctx, db_path, src, 1);
	assert_int_not_equal(rc, 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.results[0].status, LADING_UPDATE_FAILED);
	assert_int_equal(st.results[0].attempts, 2);
	assert_non_null(strstr(st.results[0].reason, "after 2 attempts"));
	assert_non_null(strstr(lading_ctx_error(ctx), "1 of 1 sources failed"));
	assert_string_equal(lading_update_status_name(st.results[0].status), "failed");
	lading_update_stats_free(&st);
	lading_update_stats_free(NULL);
	assert_int_equal(rmdir(dir), 0); /* empty: no database, no download directory */

	/* a bad limit in the environment is the front end's usage error */
	lading_options eo = {.struct_size = sizeof(eo)};
	char store[256], err[256];
	setenv("LADING_HTTP_RETRIES", "many", 1);
	assert_int_equal(front_options_from_env(&eo, store, sizeof(store), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LADING_HTTP_RETRIES"));
	setenv("LADING_HTTP_RETRIES", "2", 1);
	setenv("LADING_HTTP_RETRY_DELAY", "0", 1);
	assert_int_equal(front_options_from_env(&eo, store, sizeof(store), err, sizeof(err)), 0);
	assert_int_equal(eo.http_max_attempts, 3);
	assert_int_equal(eo.http_retry_delay_ms, 1);
	unsetenv("LADING_HTTP_RETRIES");
	unsetenv("LADING_HTTP_RETRY_DELAY");
	/* duplicate names and non-loopback http are refused before any request */
	lading_feed_source dup[] = {{"x", LADING_FEED_OSV, url}, {"x", LADING_FEED_OSV, "https://a/b"}};
	assert_int_equal(lading_vulndb_update(&st, ctx, db_path, dup, 2), -LADING_EINVAL);
	lading_update_stats_free(&st);
	lading_feed_source off[] = {{"x", LADING_FEED_OSV, "http://192.0.2.1/x"}};
	assert_int_equal(lading_vulndb_update(&st, ctx, db_path, off, 1), -LADING_EINVAL);
	assert_int_equal(st.n, 0);
	lading_update_stats_free(&st);
	lading_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_headers),	   cmocka_unit_test(test_retry),
	    cmocka_unit_test(test_urls),	   cmocka_unit_test(test_local_name),
	    cmocka_unit_test(test_numbers),	   cmocka_unit_test(test_sources_file),
	    cmocka_unit_test(test_list_edits),	   cmocka_unit_test(test_import_source),
	    cmocka_unit_test(test_update_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
