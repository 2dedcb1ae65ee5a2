/* `lading db update`: downloads the public feeds with libcurl and imports each
 * one into the vulnerability database. Also the list of sources it works from
 * (the built-in list, a sources file, overrides) and the small pure pieces of
 * the HTTP logic (response headers, retry delays, URL checks), which the unit
 * tests and the fuzzer reach through src/vulndb/update.h.
 *
 * Why it is shaped this way:
 *   - the feeds are large and change daily, but most of a day's updates find
 *     nothing new: requests are conditional on the ETag / Last-Modified of the
 *     last successful download of that URL, kept in table fetch_state and
 *     written in the same transaction as the rows (vdb_import_source);
 *   - a server is not trusted to behave: every transfer is bounded in size,
 *     in connect time, in total time and in speed (a stalled server is dropped
 *     after LADING_HTTP_LOW_SPEED_TIME), redirects are bounded, https never
 *     downgrades to http, and transient failures are retried a bounded number
 *     of times with exponential backoff;
 *   - a failing source must not cost the others: sources are done one after
 *     the other, each import builds beside the live file and renames, and a
 *     failure is recorded for that source only;
 *   - downloads live in a private directory (mode 0700) beside the database,
 *     so the import's rename stays on one file system, and the directory is
 *     removed whatever happens; one left by a killed process is removed by
 *     the next writer (src/vulndb/dbfile.c), which also holds the lock that
 *     keeps imports and other updates out meanwhile. */
#include <curl/curl.h>
#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/curlapi.h"
#include "ctx.h"
#include "net/net.h"
#include "vulndb/update.h"
#include "vulndb/vulndb.h"

/* ---- the built-in list -------------------------------------------------------- */

#define OSV_BUCKET   "https://osv-vulnerabilities.storage.googleapis.com/"
#define ALPINE_SECDB "https://secdb.alpinelinux.org/"
#define ALPINE(rel, repo)                                                                                    \
	{                                                                                                    \
		"alpine-" rel "-" repo, LADING_FEED_ALPINE_SECDB, ALPINE_SECDB "v" rel "/" repo ".json"      \
	}

/* NVD is left out: its API 2.0 pages 2000 records a request and throttles
 * without an API key, so a full download is a job of its own (import the
 * files with `lading db import`). Ubuntu's CVE tracker has no single file to
 * download (it is a git repository). */
static const lading_feed_source defaults[] = {
    {"osv-go", LADING_FEED_OSV, OSV_BUCKET "Go/all.zip"},
    {"osv-pypi", LADING_FEED_OSV, OSV_BUCKET "PyPI/all.zip"},
    {"osv-npm", LADING_FEED_OSV, OSV_BUCKET "npm/all.zip"},
    {"osv-crates.io", LADING_FEED_OSV, OSV_BUCKET "crates.io/all.zip"},
    {"osv-rubygems", LADING_FEED_OSV, OSV_BUCKET "RubyGems/all.zip"},
    {"osv-maven", LADING_FEED_OSV, OSV_BUCKET "Maven/all.zip"},
    {"osv-packagist", LADING_FEED_OSV, OSV_BUCKET "Packagist/all.zip"},
    {"osv-nuget", LADING_FEED_OSV, OSV_BUCKET "NuGet/all.zip"},
    {"debian-tracker", LADING_FEED_DEBIAN_TRACKER, "https://security-tracker.debian.org/tracker/data/json"},
    ALPINE("3.18", "main"),
    ALPINE("3.18", "community"),
    ALPINE("3.19", "main"),
    ALPINE("3.19", "community"),
    ALPINE("3.20", "main"),
    ALPINE("3.20", "community"),
    ALPINE("3.21", "main"),
    ALPINE("3.21", "community"),
    ALPINE("3.22", "main"),
    ALPINE("3.22", "community"),
    {"alpine-edge-main", LADING_FEED_ALPINE_SECDB, ALPINE_SECDB "edge/main.json"},
    {"alpine-edge-community", LADING_FEED_ALPINE_SECDB, ALPINE_SECDB "edge/community.json"},
};

const lading_feed_source *lading_feed_defaults(size_t *n)
{
	*n = sizeof(defaults) / sizeof(defaults[0]);
	return defaults;
}

const char *lading_update_status_name(lading_update_status s)
{
	switch (s) {
	case LADING_UPDATE_UPDATED:
		return "updated";
	case LADING_UPDATE_NOT_MODIFIED:
		return "not modified";
	case LADING_UPDATE_FAILED:
		return "failed";
	}
	return "unknown";
}

/* ---- URLs ------------------------------------------------------------------------ */

#define URL_MAX		 2048
#define NAME_MAX_LEN	 64
#define LIST_MAX	 1000
#define SOURCES_FILE_MAX (1u << 20)

int upd_url_check(const char *url, char *why, size_t whylen)
{
	size_t n = strlen(url);
	if (n == 0 || n > URL_MAX) {
		snprintf(why, whylen, "a URL is 1 to %d bytes long", URL_MAX);
		return -LADING_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		/* blanks and controls would split a sources-file line or a request
		 * line; a backslash is read differently by different URL parsers */
		if (c <= 0x20 || c >= 0x7f || c == '\\') {
			snprintf(why, whylen,
				 "a URL may not contain blanks, control characters, backslashes or non-ASCII "
				 "bytes");
			return -LADING_EINVAL;
		}
	}
	bool https = strncasecmp(url, "https://", 8) == 0;
	bool http = !https && strncasecmp(url, "http://", 7) == 0;
	if (!https && !http) {
		snprintf(why, whylen, "the URL must start with https://");
		return -LADING_EINVAL;
	}
	sv rest = sv_cstr(url + (https ? 8 : 7));
	size_t end = 0;
	while (end < rest.n && rest.p[end] != '/' && rest.p[end] != '?' && rest.p[end] != '#')
		end++;
	sv auth = sv_make(rest.p, end);
	if (auth.n == 0) {
		snprintf(why, whylen, "the URL has no host");
		return -LADING_EINVAL;
	}
	if (https)
		return 0;
	/* plain http: only to this machine (a local mirror, the tests) */
	if (sv_find(auth, '@') != SIZE_MAX) {
		snprintf(why, whylen,
			 "plain http is only allowed to a loopback address, without user information");
		return -LADING_EINVAL;
	}
	sv host = auth;
	if (host.p[0] == '[') {
		size_t close = sv_find(host, ']');
		host = close == SIZE_MAX ? sv_make(NULL, 0) : sv_make(host.p, close + 1);
	} else {
		size_t colon = sv_find(host, ':');
		if (colon != SIZE_MAX)
			host.n = colon;
	}
	if (net_host_is_loopback(host))
		return 0;
	snprintf(why, whylen,
		 "plain http is only allowed to a loopback address (127.0.0.1, localhost, [::1]); use https");
	return -LADING_EINVAL;
}

static void sanitize_segment(sv seg, char *out, size_t cap, const char *fallback)
{
	size_t k = 0;
	for (size_t i = 0; i < seg.n && k + 1 < cap; i++) {
		char c = seg.p[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '-' || c == '_';
		out[k++] = ok ? c : '_';
	}
	out[k] = 0;
	if (k == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, cap, "%s", fallback);
}

void upd_local_name(const char *url, char dir[64], char base[128])
{
	sv s = sv_cstr(url);
	size_t at = sv_find_sv(s, SV_LIT("://"));
	if (at != SIZE_MAX)
		s = sv_make(s.p + at + 3, s.n - at - 3);
	size_t end = 0;
	while (end < s.n && s.p[end] != '?' && s.p[end] != '#')
		end++;
	s.n = end;
	size_t slash = sv_find(s, '/');
	sv path = slash == SIZE_MAX ? sv_make(NULL, 0) : sv_make(s.p + slash, s.n - slash);
	sv segs[2] = {{NULL, 0}, {NULL, 0}};
	while (path.n) {
		sv seg = sv_split(&path, '/');
		if (seg.n) {
			segs[0] = segs[1];
			segs[1] = seg;
		}
	}
	sanitize_segment(segs[0], dir, 64, "d");
	sanitize_segment(segs[1], base, 128, "feed");
}


/* ---- the list of sources --------------------------------------------------------------- */

struct lading_feed_list {
	VEC(lading_feed_source) v;
};

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static lading_feed_source *find(lading_feed_list *l, const char *name)
{
	for (size_t i = 0; i < l->v.n; i++)
		if (strcmp(l->v.v[i].name, name) == 0)
			return &l->v.v[i];
	return NULL;
}

static void free_source(lading_feed_source *s)
{
	free((char *)s->name);
	free((char *)s->url);
}

/* Checks one source; the message is prefixed by `where` ("FILE:3: " or ""). */
static int check_source(lading_ctx *ctx, const char *where, const char *name, lading_feed_type type,
			const char *url)
{
	char why[256];
	if (!name_ok(name))
		return ctx_error(ctx, LADING_EINVAL,
				 "%sbad source name '%.80s': 1 to %d of A-Z a-z 0-9 . _ -", where, name,
				 NAME_MAX_LEN);
	if (type < LADING_FEED_AUTO || type > LADING_FEED_UBUNTU)
		return ctx_error(ctx, LADING_EINVAL, "%s%s: unknown feed type", where, name);
	if (upd_url_check(url, why, sizeof(why)) != 0)
		return ctx_error(ctx, LADING_EINVAL, "%s%s: bad URL '%.200s': %s", where, name, url, why);
	return 0;
}

static int push_copy(lading_feed_list *l, lading_ctx *ctx, const char *name, lading_feed_type type,
		     const char *url)
{
	if (l->v.n >= LIST_MAX)
		return ctx_error(ctx, LADING_ELIMIT, "more than %d sources", LIST_MAX);
	lading_feed_source s = {strdup(name), type, strdup(url)};
	if (!s.name || !s.url || vec_push(&l->v, s) != 0) {
		free_source(&s);
		return -LADING_ENOMEM;
	}
	return 0;
}

int lading_feed_list_new(lading_feed_list **out, lading_ctx *ctx, const lading_feed_source *init, size_t n)
{
	ctx_error_reset(ctx);
	*out = NULL;
	lading_feed_list *l = calloc(1, sizeof(*l));
	if (!l)
		return -LADING_ENOMEM;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++)
		rc = lading_feed_list_add(l, ctx, init[i].name, init[i].type, init[i].url);
	if (rc) {
		lading_feed_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

void lading_feed_list_free(lading_feed_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->v.n; i++)
		free_source(&l->v.v[i]);
	vec_free(&l->v);
	free(l);
}

int lading_feed_list_add(lading_feed_list *l, lading_ctx *ctx, const char *name, lading_feed_type type,
			 const char *url)
{
	ctx_error_reset(ctx);
	if (!name || !url)
		return ctx_error(ctx, LADING_EINVAL, "a source needs a name and a URL");
	int rc = check_source(ctx, "", name, type, url);
	if (rc)
		return rc;
	if (find(l, name))
		return ctx_error(ctx, LADING_EINVAL, "source '%s' is defined twice", name);
	return push_copy(l, ctx, name, type, url);
}

const lading_feed_source *lading_feed_list_sources(const lading_feed_list *l, size_t *n)
{
	*n = l->v.n;
	return l->v.v;
}

/* Splits off the next blank-separated field of a sources-file line. */
static sv next_field(sv *s)
{
	size_t i = 0;
	while (i < s->n && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	size_t j = i;
	while (j < s->n && s->p[j] != ' ' && s->p[j] != '\t')
		j++;
	sv f = sv_make(s->p + i, j - i);
	*s = sv_make(s->p + j, s->n - j);
	return f;
}

/* Copies a field into a bounded C string; false when it does not fit. */
static bool field_str(sv f, char *out, size_t cap)
{
	if (f.n >= cap)
		return false;
	memcpy(out, f.p, f.n);
	out[f.n] = 0;
	return true;
}

int lading_feed_list_parse(lading_feed_list *l, lading_ctx *ctx, const char *file, const char *text,
			   size_t len)
{
	ctx_error_reset(ctx);
	if (!file)
		file = "sources file";
	if (len > SOURCES_FILE_MAX)
		return ctx_error(ctx, LADING_ELIMIT, "%s: larger than %u bytes", file, SOURCES_FILE_MAX);
	/* staged, so that a bad line leaves the list as it was */
	lading_feed_list staged = {0};
	VEC(size_t) lines = {0};
	sv s = sv_make(text, len);
	sv line;
	size_t lineno = 0;
	int rc = 0;
	while (!rc && sv_next_line(&s, &line)) {
		lineno++;
		char where[300];
		snprintf(where, sizeof(where), "%.200s:%zu: ", file, lineno);
		for (size_t i = 0; !rc && i < line.n; i++) {
			unsigned char c = (unsigned char)line.p[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				rc = ctx_error(ctx, LADING_EFORMAT, "%scontrol character 0x%02x", where, c);
		}
		if (rc)
			break;
		sv t = sv_trim(line);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		sv rest = t;
		sv fname = next_field(&rest), ftype = next_field(&rest), furl = next_field(&rest);
		sv extra = next_field(&rest);
		char name[NAME_MAX_LEN + 1], type_s[32], url[URL_MAX + 1];
		lading_feed_type type;
		if (furl.n == 0 || extra.n != 0) {
			rc = ctx_error(ctx, LADING_EFORMAT, "%sexpected 'NAME TYPE URL', found %s fields",
				       where, furl.n == 0 ? "fewer" : "more");
		} else if (!field_str(fname, name, sizeof(name)) || !name_ok(name)) {
			rc = ctx_error(ctx, LADING_EFORMAT,
				       "%sbad source name '%.*s': 1 to %d of A-Z a-z 0-9 . _ -", where,
				       (int)(fname.n > 80 ? 80 : fname.n), fname.p, NAME_MAX_LEN);
		} else if (!field_str(ftype, type_s, sizeof(type_s)) ||
			   lading_feed_parse(&type, type_s) != 0 || type == LADING_FEED_AUTO) {
			rc = ctx_error(
			    ctx, LADING_EFORMAT,
			    "%s%s: unknown feed type '%.*s' (osv, alpine-secdb, debian-tracker, debian-dsa, "
			    "nvd, ubuntu)",
			    where, name, (int)(ftype.n > 32 ? 32 : ftype.n), ftype.p);
		} else if (!field_str(furl, url, sizeof(url))) {
			rc = ctx_error(ctx, LADING_EFORMAT, "%s%s: URL longer than %d bytes", where, name,
				       URL_MAX);
		} else if ((rc = check_source(ctx, where, name, type, url)) != 0) {
			rc = -LADING_EFORMAT;
		} else if (find(l, name)) {
			rc = ctx_error(ctx, LADING_EFORMAT, "%ssource '%s' is already defined", where, name);
		} else if (find(&staged, name)) {
			size_t first = lines.v[find(&staged, name) - staged.v.v];
			rc = ctx_error(ctx, LADING_EFORMAT, "%ssource '%s' is already defined on line %zu",
				       where, name, first);
		} else if (l->v.n + staged.v.n >= LIST_MAX) {
			rc = ctx_error(ctx, LADING_ELIMIT, "%smore than %d sources", where, LIST_MAX);
		} else if ((rc = push_copy(&staged, ctx, name, type, url)) == 0) {
			rc = vec_push(&lines, lineno);
		}
	}
	if (!rc)
		rc = vec_reserve(&l->v, staged.v.n) ? -LADING_ENOMEM : 0;
	if (!rc) {
		/* ownership of the strings moves to l */
		for (size_t i = 0; i < staged.v.n; i++)
			l->v.v[l->v.n++] = staged.v.v[i];
		staged.v.n = 0;
	}
	for (size_t i = 0; i < staged.v.n; i++)
		free_source(&staged.v.v[i]);
	vec_free(&staged.v);
	vec_free(&lines);
	return rc;
}

int lading_feed_list_set(lading_feed_list *l, lading_ctx *ctx, const char *spec)
{
	ctx_error_reset(ctx);
	const char *eq = spec ? strchr(spec, '=') : NULL;
	if (!eq || eq == spec)
		return ctx_error(ctx, LADING_EINVAL, "a source setting is NAME=URL or NAME=TYPE:URL, got '%.200s'",
				 spec ? spec : "");
	char name[NAME_MAX_LEN + 1];
	if ((size_t)(eq - spec) > NAME_MAX_LEN ||
	    !field_str(sv_make(spec, (size_t)(eq - spec)), name, sizeof(name)) || !name_ok(name))
		return ctx_error(ctx, LADING_EINVAL,
				 "bad source name '%.*s': 1 to %d of A-Z a-z 0-9 . _ -",
				 (int)((eq - spec) > 80 ? 80 : (eq - spec)), spec, NAME_MAX_LEN);
	const char *val = eq + 1;
	const char *colon = strchr(val, ':');
	lading_feed_type type = LADING_FEED_AUTO;
	bool typed = false;
	if (colon && colon - val < 32) {
		char t[32];
		memcpy(t, val, (size_t)(colon - val));
		t[colon - val] = 0;
		/* "https:" is no feed type, so a bare URL is never taken for TYPE:URL */
		if (lading_feed_parse(&type, t) == 0) {
			if (type == LADING_FEED_AUTO)
				return ctx_error(ctx, LADING_EINVAL,
						 "source %s: name the feed type, not 'auto'", name);
			typed = true;
			val = colon + 1;
		}
	}
	lading_feed_source *s = find(l, name);
	if (!s && !typed)
		return ctx_error(
		    ctx, LADING_EINVAL,
		    "source %s: no such source; to add one, give its type: %s=TYPE:URL (TYPE one of osv, "
		    "alpine-secdb, debian-tracker, debian-dsa, nvd, ubuntu)",
		    name, name);
	int rc = check_source(ctx, "source ", name, typed ? type : s->type, val);
	if (rc)
		return rc;
	if (!s)
		return push_copy(l, ctx, name, type, val);
	char *url = strdup(val);
	if (!url)
		return -LADING_ENOMEM;
	free((char *)s->url);
	s->url = url;
	if (typed)
		s->type = type;
	return 0;
}

int lading_feed_list_only(lading_feed_list *l, lading_ctx *ctx, const char *patterns)
{
	ctx_error_reset(ctx);
	size_t n = l->v.n;
	bool *keep = calloc(n ? n : 1, sizeof(bool));
	if (!keep)
		return -LADING_ENOMEM;
	sv rest = sv_cstr(patterns);
	int rc = 0, npat = 0;
	while (!rc && rest.n) {
		sv p = sv_trim(sv_split(&rest, ','));
		if (p.n == 0)
			continue;
		char pat[NAME_MAX_LEN * 2 + 1];
		if (!field_str(p, pat, sizeof(pat))) {
			rc = ctx_error(ctx, LADING_EINVAL, "source pattern too long");
			break;
		}
		npat++;
		bool any = false;
		for (size_t i = 0; i < n; i++)
			if (fnmatch(pat, l->v.v[i].name, 0) == 0)
				keep[i] = any = true;
		if (!any) {
			buf names = {.max = 600};
			for (size_t i = 0; i < n; i++)
				if (buf_printf(&names, "%s%s", i ? ", " : "", l->v.v[i].name) != 0)
					break;
			rc = ctx_error(ctx, LADING_EINVAL, "no source matches '%s' (sources: %s%s)",
				       pat, names.p ? names.p : "none",
				       names.n + 40 >= names.max ? ", …" : "");
			buf_free(&names);
		}
	}
	if (!rc && npat == 0)
		rc = ctx_error(ctx, LADING_EINVAL, "no source names given");
	if (!rc) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (keep[i])
				l->v.v[k++] = l->v.v[i];
			else
				free_source(&l->v.v[i]);
		}
		l->v.n = k;
	}
	free(keep);
	return rc;
}

/* ---- one download -------------------------------------------------------------------- */

#define BACKOFF_CAP_MS 60000
#define PROGRESS_STEP  (1u << 20)

typedef struct dl {
	lading_ctx *ctx;
	int index;
	FILE *f;	/* NULL while the response is not a 200: its body is dropped */
	uint64_t bytes; /* body bytes written */
	uint64_t max;
	uint64_t reported; /* progress last reported at */
	bool too_big;
	int write_errno;
	net_hdr hdr;
} dl;

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	dl *d = ud;
	net_hdr_line(&d->hdr, sv_make(p, size * nmemb), time(NULL));
	return size * nmemb;
}

static size_t on_write(char *p, size_t size, size_t nmemb, void *ud)
{
	dl *d = ud;
	size_t n = size * nmemb;
	if (d->bytes + n > d->max) {
		d->too_big = true;
		return 0;
	}
	d->bytes += n;
	/* only the body of a 200 is kept; error pages are read and dropped */
	if (d->hdr.status == 200 && d->f && fwrite(p, 1, n, d->f) != n) {
		d->write_errno = errno ? errno : EIO;
		return 0;
	}
	return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ultotal, (void)ulnow;
	dl *d = ud;
	if (dlnow > 0 && (uint64_t)dlnow >= d->reported + PROGRESS_STEP) {
		d->reported = (uint64_t)dlnow;
		ctx_progress(d->ctx, d->index, (uint64_t)dlnow, dltotal > 0 ? (uint64_t)dltotal : 0);
	}
	return 0;
}


typedef enum { DL_OK, DL_NOT_MODIFIED, DL_FAILED } dl_outcome;

/* Records a failed source: its code (net_code's mapping), reason token and text. */
static void fail_source(lading_update_result *res, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail_source(lading_update_result *res, int code, const char *fmt, ...)
{
	res->error = -code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* Downloads src->url to `path`, retrying transient failures. On DL_OK the
 * validators of the response are in d->hdr; on DL_FAILED res->reason says why
 * and res->error is the code for it. */
static dl_outcome download(lading_ctx *ctx, const net_limits *lim, int index, const lading_feed_source *src,
			   const char *path, const char *etag, const char *last_modified, dl *d,
			   lading_update_result *res)
{
	net_xfer x = {.ctx = ctx, .easy = lcurl()->easy_init()};
	if (!x.easy) {
		fail_source(res, LADING_ENOMEM, "cannot start libcurl");
		return DL_FAILED;
	}
	bool plain = strncasecmp(src->url, "http://", 7) == 0;
	struct curl_slist *hdrs = NULL;
	char line[NET_ETAG_MAX + 64];
	bool conditional = false, oom = false;
	if (etag && *etag) {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		struct curl_slist *t = lcurl()->slist_append(hdrs, line);
		oom |= !t, hdrs = t ? t : hdrs, conditional = true;
	}
	if (last_modified && *last_modified) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", last_modified);
		struct curl_slist *t = lcurl()->slist_append(hdrs, line);
		oom |= !t, hdrs = t ? t : hdrs, conditional = true;
	}
	d->ctx = ctx;
	d->index = index;
	d->max = lim->max_size;
	/* never from https down to http; from a loopback http mirror the final URL
	 * is checked again below */
	net_setup(&x, src->url, lim, plain);
	CURL *h = x.easy;
	lcurl()->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	lcurl()->easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	lcurl()->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	lcurl()->easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	lcurl()->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	lcurl()->easy_setopt(h, CURLOPT_HEADERDATA, d);
	lcurl()->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	lcurl()->easy_setopt(h, CURLOPT_WRITEDATA, d);
	lcurl()->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	lcurl()->easy_setopt(h, CURLOPT_XFERINFODATA, d);
	lcurl()->easy_setopt(h, CURLOPT_NOPROGRESS, 0L);

	dl_outcome out = DL_FAILED;
	res->error = -LADING_ENETWORK;
	if (oom)
		fail_source(res, LADING_ENOMEM, "out of memory");
	for (int attempt = 1; !oom && attempt <= lim->max_attempts; attempt++) {
		net_hdr_init(&d->hdr);
		d->bytes = d->reported = 0;
		d->too_big = false;
		d->write_errno = 0;
		if (!(d->f = fopen(path, "wbe"))) {
			fail_source(res, LADING_EIO, "cannot create %s: %s", path, strerror(errno));
			break;
		}
		res->attempts = attempt;
		ctx_log(ctx, LADING_LOG_INFO, "%s: GET %s%s", src->name, src->url,
			conditional ? " (conditional)" : "");
		CURLcode cc = net_perform(&x);
		if (fclose(d->f) != 0 && !d->write_errno)
			d->write_errno = errno;
		d->f = NULL;
		long code = 0;
		lcurl()->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		res->http_status = code;
		const char *reason = d->hdr.status == code ? d->hdr.reason : "";
		bool retry = false;
		if (cc == CURLE_OK && code == 200 && d->write_errno) {
			fail_source(res, LADING_EIO, "cannot write the download: %s", strerror(d->write_errno));
		} else if (cc == CURLE_OK && code == 200) {
			const char *eff = NULL;
			char why[256];
			lcurl()->easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
			if (plain && eff && upd_url_check(eff, why, sizeof(why)) != 0)
				fail_source(res, LADING_EPOLICY, "redirected to %.200s: %s", eff, why);
			else
				out = DL_OK;
		} else if (cc == CURLE_OK && code == 304 && conditional) {
			out = DL_NOT_MODIFIED;
		} else if (cc == CURLE_OK) {
			fail_source(res, net_code(&x, cc, code, NULL), "HTTP %ld%s%s", code, reason[0] ? " " : "",
				    reason);
			retry = net_transient(&x, cc, code);
		} else if (d->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
			fail_source(res, LADING_ELIMIT, "larger than the download limit of %llu bytes",
				    (unsigned long long)lim->max_size);
		} else if (d->write_errno) {
			fail_source(res, LADING_EIO, "cannot write the download: %s", strerror(d->write_errno));
		} else if (cc == CURLE_ABORTED_BY_CALLBACK && ctx->failed) {
			/* cancelled or past the deadline: ctx_check said which */
			fail_source(res, ctx->err.code, "%s", ctx_message(ctx));
		} else {
			fail_source(res, net_code(&x, cc, 0, NULL), "%s", net_why(&x, cc));
			retry = net_transient(&x, cc, 0);
		}
		if (out != DL_FAILED || !retry)
			break;
		if (attempt < lim->max_attempts) {
			uint64_t ms = net_backoff_ms(lim->retry_delay_ms, attempt,
						     (code == 429 || code == 503) ? d->hdr.retry_after : -1,
						     lim->retry_cap_ms);
			ctx_log(ctx, LADING_LOG_WARN, "%s: %s; retrying in %.1fs (attempt %d of %d)",
				src->name, res->reason, (double)ms / 1000.0, attempt + 1, lim->max_attempts);
			if (ctx_sleep(ctx, ms) != 0) {
				fail_source(res, ctx->err.code, "%s", ctx_message(ctx));
				break;
			}
		}
	}
	if (out == DL_FAILED && res->attempts > 1) {
		size_t l = strlen(res->reason);
		snprintf(res->reason + l, sizeof(res->reason) - l, " (after %d attempts)", res->attempts);
	}
	if (out != DL_FAILED)
		res->error = 0;
	lcurl()->slist_free_all(hdrs);
	lcurl()->easy_cleanup(h);
	return out;
}

/* ---- the validators of the last download ---------------------------------------------- */

/* Reads the ETag / Last-Modified remembered for `url`, only while that URL's
 * rows are still in the database (a source removed by hand must be fetched
 * in full again). Missing database or table: nothing remembered. */
static void get_validators(const char *db_path, const char *url, char etag[NET_ETAG_MAX],
			   char last_modified[NET_DATE_MAX])
{
	etag[0] = last_modified[0] = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(
		db,
		"SELECT f.etag, f.last_modified FROM fetch_state f JOIN sources s ON s.name = f.url "
		"WHERE f.url = ?",
		-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *e = (const char *)sqlite3_column_text(st, 0);
			const char *m = (const char *)sqlite3_column_text(st, 1);
			/* sent back in a request header: checked again, the file is not ours alone */
			if (e && net_header_value_ok(sv_cstr(e), NET_ETAG_MAX))
				snprintf(etag, NET_ETAG_MAX, "%s", e);
			if (m && net_header_value_ok(sv_cstr(m), NET_DATE_MAX))
				snprintf(last_modified, NET_DATE_MAX, "%s", m);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- the update ---------------------------------------------------------------------- */

void lading_update_stats_free(lading_update_stats *stats)
{
	if (!stats)
		return;
	free(stats->results);
	stats->results = NULL;
	stats->n = 0;
}

/* One source: download into tmpdir, import, clean up. */
static void update_one(lading_ctx *ctx, const net_limits *lim, const vdb_lock *lock, const char *db_path,
		       const char *tmpdir, int index, const lading_feed_source *src, lading_update_result *res)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res->status = LADING_UPDATE_FAILED;
	char why[256];
	if (upd_url_check(src->url, why, sizeof(why)) != 0) {
		fail_source(res, LADING_EINVAL, "%s", why);
		res->seconds = vdb_since(&t0);
		return;
	}
	char sub[64], base[128], subdir[4300], path[4500];
	upd_local_name(src->url, sub, base);
	snprintf(subdir, sizeof(subdir), "%s/%s", tmpdir, sub);
	snprintf(path, sizeof(path), "%s/%s", subdir, base);
	if (mkdir(subdir, 0700) != 0 && errno != EEXIST) {
		fail_source(res, LADING_EIO, "cannot create %s: %s", subdir, strerror(errno));
		res->seconds = vdb_since(&t0);
		return;
	}
	char etag[NET_ETAG_MAX], lm[NET_DATE_MAX];
	get_validators(db_path, src->url, etag, lm);
	dl d = {0};
	dl_outcome o = download(ctx, lim, index, src, path, etag, lm, &d, res);
	if (o == DL_NOT_MODIFIED) {
		res->status = LADING_UPDATE_NOT_MODIFIED;
		ctx_log(ctx, LADING_LOG_INFO, "%s: not modified since the last update", src->name);
	} else if (o == DL_OK) {
		res->bytes = d.bytes;
		ctx_progress(ctx, index, d.bytes, d.bytes);
		vdb_fetch f = {src->url, src->name, d.hdr.etag[0] ? d.hdr.etag : NULL,
			       d.hdr.last_modified[0] ? d.hdr.last_modified : NULL, d.bytes};
		int rc = vdb_import_source(&res->import, ctx, lock, db_path, path, src->url, src->type, &f);
		if (rc) {
			fail_source(res, -rc, "import: %s", ctx_message(ctx)[0] ? ctx_message(ctx) : lading_strerror(rc));
		} else {
			res->status = LADING_UPDATE_UPDATED;
		}
	}
	/* the download is not needed any more whatever happened: free the disk
	 * before the next source */
	vdb_remove_tree(subdir, 1);
	res->seconds = vdb_since(&t0);
}

int lading_vulndb_update(lading_update_stats *stats, lading_ctx *ctx, const char *db_path,
			 const lading_feed_source *sources, size_t n)
{
	memset(stats, 0, sizeof(*stats));
	ctx_begin(ctx);
	if (!db_path || !*db_path || (n && !sources))
		return ctx_error(ctx, LADING_EINVAL, "update: no database path or no sources");
	if (n > LIST_MAX)
		return ctx_error(ctx, LADING_ELIMIT, "update: more than %d sources", LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		int rc = check_source(ctx, "", sources[i].name ? sources[i].name : "", sources[i].type,
				      sources[i].url ? sources[i].url : "");
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(sources[i].name, sources[j].name) == 0 ||
			    strcmp(sources[i].url, sources[j].url) == 0)
				return ctx_error(ctx, LADING_EINVAL,
						 "update: sources '%s' and '%s' have the same name or URL",
						 sources[j].name, sources[i].name);
	}
	/* feeds: large files from big hosts; patient retries */
	static const net_limits feed_defaults = {
		.connect_ms = 30000, .stall_s = 60, .stall_bps = 1024, .timeout_ms = 3600000, .max_attempts = 4,
		.retry_delay_ms = 2000, .retry_cap_ms = 60000, .max_size = 1ull << 30,
	};
	net_limits lim = net_limits_for(ctx, &feed_defaults);
	int rc = 0;
	const char *why = NULL;
	if (n && !curl_api_load(&why))
		return ctx_error(ctx, LADING_EIO, "update: %s", why);
	/* One writer at a time per database, updates and imports alike: two
	 * would each rename their own copy into place and the later would drop
	 * the earlier's sources. Held over every source, downloads included, so
	 * that the private directory is never another writer's to remove. */
	vdb_lock lock;
	if ((rc = vdb_lock_take(&lock, ctx, db_path, vdb_lock_wait_of(ctx))) != 0)
		return rc;
	char tmpdir[4200];
	snprintf(tmpdir, sizeof(tmpdir), "%s/" VDB_UPDATE_DIR_PREFIX "%ld-XXXXXX", lock.dir, (long)getpid());
	if (!mkdtemp(tmpdir)) {
		rc = ctx_error(ctx, LADING_EIO,
			       "%s: cannot create a private directory beside the database: %s", lock.dir,
			       strerror(errno));
	} else if (!(stats->results = calloc(n ? n : 1, sizeof(*stats->results)))) {
		rmdir(tmpdir);
		rc = -LADING_ENOMEM;
	}
	if (rc) {
		vdb_lock_release(&lock);
		return rc;
	}
	stats->n = n;
	for (size_t i = 0; i < n; i++) {
		stats->results[i].name = sources[i].name;
		stats->results[i].url = sources[i].url;
		stats->results[i].status = LADING_UPDATE_FAILED;
	}

	int first_error = 0;
	const char *first_name = NULL;
	int stopped = 0; /* cancelled or past the deadline: the rest are not tried */
	for (size_t i = 0; i < n; i++) {
		lading_update_result *r = &stats->results[i];
		if (!stopped)
			stopped = ctx_check(ctx);
		if (stopped)
			fail_source(r, -stopped, "not tried: %s", ctx_message(ctx));
		else
			update_one(ctx, &lim, &lock, db_path, tmpdir, (int)i, &sources[i], r);
		if (!stopped && ctx->failed && (ctx->err.code == LADING_ECANCELLED || ctx->err.code == LADING_ETIMEOUT))
			stopped = -ctx->err.code;
		switch (r->status) {
		case LADING_UPDATE_UPDATED:
			stats->updated++;
			break;
		case LADING_UPDATE_NOT_MODIFIED:
			stats->not_modified++;
			break;
		case LADING_UPDATE_FAILED:
			stats->failed++;
			if (!first_error) {
				first_error = r->error ? r->error : -LADING_EIO;
				first_name = r->name;
			}
			ctx_log(ctx, LADING_LOG_INFO, "%s: failed: %s", r->name, r->reason);
			break;
		}
	}
	vdb_remove_tree(tmpdir, 3);
	vdb_lock_release(&lock);
	if (first_error) {
		const lading_update_result *f = NULL;
		for (size_t i = 0; i < n && !f; i++)
			if (stats->results[i].status == LADING_UPDATE_FAILED)
				f = &stats->results[i];
		/* each source's own failure is in its result; the call's is the summary
		 * (with the code of a cancel or deadline, which stopped the rest) */
		if (stopped)
			first_error = stopped;
		ctx_error_reset(ctx);
		return ctx_fail(ctx, -first_error, "feed.failed", CTX_WHERE(.source = first_name),
				 "%zu of %zu sources failed (first: %s: %s)",
				 stats->failed, n, first_name, f ? f->reason : "");
	}
	ctx_error_reset(ctx);
	return 0;
}
