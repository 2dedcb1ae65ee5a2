/* The registry source: an image read straight from a registry over the
 * distribution HTTP API v2 (libcurl), never through a Docker engine.
 *
 *   GET /v2/                         probe; a 401 names the auth scheme
 *   GET <realm>?service=&scope=      bearer token (anonymous or with credentials)
 *   GET /v2/<repo>/manifests/<ref>   index or manifest, Accept-negotiated, digest-checked
 *   GET /v2/<repo>/blobs/<digest>    config (buffered) and layers (streamed)
 *
 * Layers are streamed: the stream's read() drives a curl multi handle on
 * demand and the transfer is paused whenever the stream's bounded buffer is
 * full, so memory stays flat whatever the layer size and nothing touches the
 * disk. The walk hashes what it reads and checks it against the manifest and
 * the config, as for every source. With a cache directory, each layer is
 * also written to a temporary file while it streams, hashed, and renamed to
 * blobs/sha256/<hex> only when its digest matches; later scans read cached
 * blobs from disk and download only the missing ones.
 *
 * Everything the server says is hostile: bodies are size-bounded, digests are
 * checked, redirects are bounded and limited to http(s) (https only unless
 * insecure), and libcurl never forwards credentials to another host or port.
 * Transient failures (429, 5xx, connection resets) are retried with backoff
 * within a bounded total time; an interrupted layer resumes with a Range
 * request. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/curlapi.h"
#include "ctx.h"
#include "image/registry.h"
#include "net/net.h"

enum {
	MAX_DOC = 16 << 20,	   /* manifests, configs, token responses */
	MAX_CONFIG_JSON = 1 << 20, /* docker config.json */
	STREAM_BUF = 256 << 10,	   /* per-layer buffer between curl and the walk (curl pauses when full) */
	MAX_REDIRS = 5,
};
static const double RETRY_BUDGET = 60.0; /* seconds of retrying per request */
/* This client's defaults; the options' http_* fields replace them. Documents
 * (manifests, configs, tokens) get 120 s each; layer blobs only the stall
 * limit (30 s below 1 byte/s), since a large one may take long. */
static const net_limits registry_defaults = {
	.connect_ms = 30000, .stall_s = 30, .stall_bps = 1, .timeout_ms = 120000, .max_attempts = 5,
	.retry_delay_ms = 250, .retry_cap_ms = 8000,
};

typedef struct reg_client reg_client;

static const char ACCEPT_MANIFESTS[] = "Accept: application/vnd.oci.image.index.v1+json, "
				       "application/vnd.oci.image.manifest.v1+json, "
				       "application/vnd.docker.distribution.manifest.list.v2+json, "
				       "application/vnd.docker.distribution.manifest.v2+json";

struct reg_client {
	lading_ctx *ctx;
	image_ref ref;
	const char *host; /* API host (borrowed from ref or static) */
	char base[512];	  /* "https://host" or "http://host" */
	bool insecure;	  /* --insecure: TLS not verified, plain HTTP allowed */
	bool loopback;
	net_limits lim;	/* documents */
	net_limits blob_lim; /* layer blobs: no whole-request timeout */
	char *cache_dir;
	char *user, *pass;
	char cred_source[600]; /* which credentials were tried, for 401/403 messages */
	pthread_mutex_t mu;    /* guards authz: layer streams run on worker threads */
	char *authz;	       /* Authorization header value, or NULL */
	www_auth chall;	       /* the challenge authz answered */
	unsigned generation;   /* bumped on every new authz */
	unsigned stream_seq;
};

/* ---- small helpers --------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static char *b64(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

/* ---- WWW-Authenticate --------------------------------------------------------- */

void www_auth_free(www_auth *w)
{
	if (!w)
		return;
	free(w->realm);
	free(w->service);
	free(w->scope);
	free(w->error);
	memset(w, 0, sizeof(*w));
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~/:", c));
}

static void skip_ws(sv *s)
{
	while (s->n && (s->p[0] == ' ' || s->p[0] == '\t')) {
		s->p++;
		s->n--;
	}
}

int www_auth_parse(www_auth *out, sv h)
{
	memset(out, 0, sizeof(*out));
	skip_ws(&h);
	while (h.n && h.p[0] == ',') { /* empty list elements are allowed */
		h.p++;
		h.n--;
		skip_ws(&h);
	}
	if (h.n == 0)
		return 0;
	size_t n = 0;
	while (n < h.n && is_tchar(h.p[n]) && h.p[n] != '/' && h.p[n] != ':')
		n++;
	if (n == 0)
		return -LADING_EFORMAT;
	sv scheme = sv_make(h.p, n);
	out->scheme = scheme.n == 6 && strncasecmp(scheme.p, "bearer", 6) == 0	? WWW_BEARER
		      : scheme.n == 5 && strncasecmp(scheme.p, "basic", 5) == 0 ? WWW_BASIC
										: WWW_OTHER;
	h.p += n;
	h.n -= n;
	buf val = {.max = 8192};
	int rc = 0;
	for (;;) {
		skip_ws(&h);
		while (h.n && (h.p[0] == ',' || h.p[0] == ' ' || h.p[0] == '\t')) {
			h.p++;
			h.n--;
		}
		if (h.n == 0)
			break;
		size_t k = 0;
		while (k < h.n && is_tchar(h.p[k]) && h.p[k] != '/' && h.p[k] != ':')
			k++;
		if (k == 0) {
			rc = -LADING_EFORMAT;
			break;
		}
		sv name = sv_make(h.p, k);
		sv rest = sv_make(h.p + k, h.n - k);
		skip_ws(&rest);
		if (rest.n == 0 || rest.p[0] != '=')
			break; /* the next challenge ("…, Basic realm=…"): only the first is read */
		rest.p++;
		rest.n--;
		skip_ws(&rest);
		val.n = 0;
		if (val.p)
			val.p[0] = 0;
		if (rest.n && rest.p[0] == '"') {
			size_t i = 1;
			bool closed = false;
			for (; i < rest.n; i++) {
				char c = rest.p[i];
				if (c == '\\' && i + 1 < rest.n)
					c = rest.p[++i];
				else if (c == '"') {
					closed = true;
					i++;
					break;
				}
				if ((rc = buf_putc(&val, c)) != 0)
					break;
			}
			if (rc)
				break;
			if (!closed) {
				rc = -LADING_EFORMAT;
				break;
			}
			rest.p += i;
			rest.n -= i;
		} else {
			size_t i = 0;
			while (i < rest.n && rest.p[i] != ',' && rest.p[i] != ' ' && rest.p[i] != '\t')
				i++;
			if ((rc = buf_append(&val, rest.p, i)) != 0)
				break;
			rest.p += i;
			rest.n -= i;
		}
		h = rest;
		char **slot = NULL;
		if (name.n == 5 && strncasecmp(name.p, "realm", 5) == 0)
			slot = &out->realm;
		else if (name.n == 7 && strncasecmp(name.p, "service", 7) == 0)
			slot = &out->service;
		else if (name.n == 5 && strncasecmp(name.p, "scope", 5) == 0)
			slot = &out->scope;
		else if (name.n == 5 && strncasecmp(name.p, "error", 5) == 0)
			slot = &out->error;
		if (slot && !*slot && !(*slot = strdup(val.p ? val.p : ""))) {
			rc = -LADING_ENOMEM;
			break;
		}
	}
	buf_free(&val);
	if (rc)
		www_auth_free(out);
	return rc;
}

/* ---- docker config.json ---------------------------------------------------------- */

void docker_creds_free(docker_creds *c)
{
	if (!c)
		return;
	free(c->username);
	free(c->password);
	free(c->key);
	free(c->helper_name);
	memset(c, 0, sizeof(*c));
}

/* "https://host:5000/v1/" -> "host:5000" */
static sv auth_key_host(const char *key)
{
	sv k = sv_cstr(key);
	if (sv_starts_with(k, SV_LIT("https://")))
		k = sv_make(k.p + 8, k.n - 8);
	else if (sv_starts_with(k, SV_LIT("http://")))
		k = sv_make(k.p + 7, k.n - 7);
	size_t slash = sv_find(k, '/');
	return slash == SIZE_MAX ? k : sv_make(k.p, slash);
}

static bool host_matches(sv key, const char *domain)
{
	if (key.n == strlen(domain) && strncasecmp(key.p, domain, key.n) == 0)
		return true;
	if (strcmp(domain, "docker.io") != 0)
		return false;
	static const char *const hub[] = {"index.docker.io", "registry-1.docker.io", "docker.io"};
	for (size_t i = 0; i < sizeof(hub) / sizeof(hub[0]); i++)
		if (key.n == strlen(hub[i]) && strncasecmp(key.p, hub[i], key.n) == 0)
			return true;
	return false;
}

static int creds_from_entry(docker_creds *out, const json_t *e)
{
	const char *auth = json_string_value(json_object_get(e, "auth"));
	if (auth && *auth) {
		size_t len = strlen(auth), got = 0;
		unsigned char *dec = malloc(len + 1);
		if (!dec)
			return -LADING_ENOMEM;
		if (!base64_decode(dec, len, &got, sv_make(auth, len))) {
			free(dec);
			return -LADING_EFORMAT;
		}
		sv d = sv_make(dec, got);
		size_t colon = sv_find(d, ':');
		if (colon == SIZE_MAX || memchr(dec, 0, got)) {
			free(dec);
			return -LADING_EFORMAT;
		}
		out->username = strndup((const char *)dec, colon);
		out->password = strndup((const char *)dec + colon + 1, got - colon - 1);
		OPENSSL_cleanse(dec, len + 1);
		free(dec);
	} else {
		const char *u = json_string_value(json_object_get(e, "username"));
		const char *p = json_string_value(json_object_get(e, "password"));
		if (u && p) {
			out->username = strdup(u);
			out->password = strdup(p);
		} else if (json_string_value(json_object_get(e, "identitytoken"))) {
			out->identity_token = true;
			return 0;
		} else {
			return 0;
		}
	}
	if (!out->username || !out->password)
		return -LADING_ENOMEM;
	return 0;
}

int docker_config_find(docker_creds *out, sv text, const char *domain)
{
	memset(out, 0, sizeof(*out));
	json_error_t err;
	json_t *j = json_loadb(text.p ? text.p : "", text.n, 0, &err);
	if (!json_is_object(j)) {
		json_decref(j);
		return -LADING_EFORMAT;
	}
	int rc = 0;
	const char *store = json_string_value(json_object_get(j, "credsStore"));
	if (store && *store) {
		out->helper = true;
		out->helper_name = strdup(store);
	}
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(j, "credHelpers"), key, v)
	{
		if (json_string_value(v) && host_matches(auth_key_host(key), domain)) {
			out->helper = true;
			free(out->helper_name);
			out->helper_name = strdup(json_string_value(v));
		}
	}
	if (out->helper && !out->helper_name)
		rc = -LADING_ENOMEM;
	/* An exact key wins over one that matches once normalised. */
	const json_t *auths = json_object_get(j, "auths");
	const char *match = NULL;
	json_object_foreach((json_t *)auths, key, v)
	{
		if (strcmp(key, domain) == 0) {
			match = key;
			break;
		}
		if (!match && json_is_object(v) && host_matches(auth_key_host(key), domain))
			match = key;
	}
	if (!rc && match) {
		if (!(out->key = strdup(match)))
			rc = -LADING_ENOMEM;
		else
			rc = creds_from_entry(out, json_object_get(auths, match));
	}
	json_decref(j);
	if (rc)
		docker_creds_free(out);
	return rc;
}

/* ---- cache paths -------------------------------------------------------------------- */

int cache_blob_path(buf *out, const char *dir, const char *digest)
{
	if (!dir || !*dir || !src_valid_digest(digest) || strncmp(digest, "sha256:", 7) != 0)
		return -LADING_EINVAL;
	out->n = 0;
	return buf_printf(out, "%s/blobs/sha256/%s", dir, digest + 7);
}

static int mkdir_p(const char *path)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* ---- HTTP ------------------------------------------------------------------------------- */

typedef struct resp {
	long status;
	buf body;
	char *www_auth, *ctype, *digest, *content_range;
	double retry_after; /* seconds, 0 if absent */
	bool too_big;	    /* the body went over MAX_DOC */
	CURLcode cc;
	net_xfer nx; /* the transfer's guard state and error buffer */
} resp;

static void resp_reset_headers(resp *x)
{
	free(x->www_auth);
	free(x->ctype);
	free(x->digest);
	free(x->content_range);
	x->www_auth = x->ctype = x->digest = x->content_range = NULL;
	x->retry_after = 0;
}

static void resp_free(resp *x)
{
	resp_reset_headers(x);
	buf_free(&x->body);
	memset(x, 0, sizeof(*x));
}

/* Keeps the few response headers we use; a new status line (after a
 * redirect) forgets the previous response's. */
static size_t header_cb(char *p, size_t sz, size_t nm, void *ud)
{
	resp *x = ud;
	size_t n = sz * nm;
	sv line = sv_trim(sv_make(p, n));
	if (sv_starts_with(line, SV_LIT("HTTP/"))) {
		resp_reset_headers(x);
		return n;
	}
	size_t colon = sv_find(line, ':');
	if (colon == SIZE_MAX)
		return n;
	sv name = sv_make(line.p, colon), val = sv_trim(sv_make(line.p + colon + 1, line.n - colon - 1));
	if (val.n > 4096)
		return n;
	char **slot = NULL;
	if (name.n == 16 && strncasecmp(name.p, "www-authenticate", 16) == 0)
		slot = &x->www_auth;
	else if (name.n == 12 && strncasecmp(name.p, "content-type", 12) == 0)
		slot = &x->ctype;
	else if (name.n == 21 && strncasecmp(name.p, "docker-content-digest", 21) == 0)
		slot = &x->digest;
	else if (name.n == 13 && strncasecmp(name.p, "content-range", 13) == 0)
		slot = &x->content_range;
	else if (name.n == 11 && strncasecmp(name.p, "retry-after", 11) == 0) {
		uint64_t s;
		if (sv_to_u64(val, &s))
			x->retry_after = s > 3600 ? 3600 : (double)s;
		return n;
	}
	if (slot && !*slot)
		*slot = strndup(val.p, val.n); /* NULL on ENOMEM: the header is then just absent */
	return n;
}

static size_t body_cb(char *p, size_t sz, size_t nm, void *ud)
{
	resp *x = ud;
	size_t n = sz * nm;
	int rc = buf_append(&x->body, p, n);
	if (rc == -LADING_ELIMIT)
		x->too_big = true;
	return rc == 0 ? n : 0;
}

/* Options every request shares (net_setup: timeouts, stall limit, TLS,
 * proxy, the address guard), and bounded redirects: plain HTTP ones only when
 * the registry is reached over plain HTTP anyway (insecure, or on this
 * machine). */
static void easy_common(reg_client *r, net_xfer *nx, CURL *e, const char *url, struct curl_slist *hdrs,
			const net_limits *lim)
{
	*nx = (net_xfer){.ctx = r->ctx, .easy = e, .insecure = r->insecure};
	net_setup(nx, url, lim, r->insecure || r->loopback);
	lcurl()->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	lcurl()->easy_setopt(e, CURLOPT_MAXREDIRS, (long)MAX_REDIRS);
	/* The default, stated: credentials never follow a redirect to another host. */
	lcurl()->easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	lcurl()->easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
}

/* The wait before attempt `attempt` + 1, in ms. */
static uint64_t backoff_ms(const reg_client *r, int attempt, double retry_after)
{
	return net_backoff_ms(r->lim.retry_delay_ms, attempt, retry_after > 0 ? (long)retry_after : -1,
			      r->lim.retry_cap_ms);
}

static char *current_authz(reg_client *r, unsigned *gen)
{
	pthread_mutex_lock(&r->mu);
	char *a = r->authz ? strdup(r->authz) : NULL;
	if (gen)
		*gen = r->generation;
	pthread_mutex_unlock(&r->mu);
	return a;
}

/* One GET of a small document, with retries on transient failures. Returns 0
 * when a response arrived (any status: out->status), or a negative code with
 * a context error when none did. `authz` is sent as the Authorization header. */
/* A transfer that got no response, as the context's error. */
static int transfer_error(reg_client *r, const resp *x, const char *what, const char *url, int attempts)
{
	const char *reason;
	int code = net_code(&x->nx, x->cc, 0, &reason);
	if (code == LADING_ECANCELLED && r->ctx->failed)
		return -r->ctx->err.code; /* cancelled or past the deadline: recorded by ctx_check */
	char tries[40] = "";
	if (attempts > 1)
		snprintf(tries, sizeof(tries), " after %d attempts", attempts);
	return ctx_fail(r->ctx, code, reason, CTX_WHERE(.source = r->ref.domain), "%s: cannot fetch %s from %s%s: %s",
			r->ref.domain, what, url, tries, net_why(&x->nx, x->cc));
}

static int http_get(reg_client *r, const char *url, const char *accept, const char *authz, resp *out,
		    const char *what)
{
	double start = now_s();
	for (int attempt = 1;; attempt++) {
		resp_reset_headers(out);
		buf_free(&out->body);
		out->body.max = MAX_DOC;
		out->status = 0;
		out->too_big = false;
		CURL *e = lcurl()->easy_init();
		struct curl_slist *h = NULL, *t;
		char *ah = NULL;
		if (!e)
			return -LADING_ENOMEM;
		if (accept && (t = lcurl()->slist_append(h, accept)))
			h = t;
		if (authz && asprintf(&ah, "Authorization: %s", authz) >= 0 && (t = lcurl()->slist_append(h, ah)))
			h = t;
		free(ah);
		easy_common(r, &out->nx, e, url, h, &r->lim);
		lcurl()->easy_setopt(e, CURLOPT_WRITEFUNCTION, body_cb);
		lcurl()->easy_setopt(e, CURLOPT_WRITEDATA, out);
		lcurl()->easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
		lcurl()->easy_setopt(e, CURLOPT_HEADERDATA, out);
		out->cc = net_perform(&out->nx);
		lcurl()->easy_getinfo(e, CURLINFO_RESPONSE_CODE, &out->status);
		lcurl()->easy_cleanup(e);
		out->nx.easy = NULL;
		lcurl()->slist_free_all(h);
		if (out->cc == CURLE_WRITE_ERROR && out->too_big)
			return ctx_fail(r->ctx, LADING_ELIMIT, "registry.document_too_large", CTX_WHERE(.source = r->ref.domain),
					"%s: %s from %s is larger than %d bytes", r->ref.domain, what, url, MAX_DOC);
		if (!net_transient(&out->nx, out->cc, out->cc == CURLE_OK ? out->status : 0))
			return out->cc == CURLE_OK ? 0 : transfer_error(r, out, what, url, attempt);
		uint64_t wait = backoff_ms(r, attempt, out->retry_after);
		if (attempt >= r->lim.max_attempts || now_s() - start + (double)wait / 1000.0 > RETRY_BUDGET)
			/* a status: the caller reports it */
			return out->cc == CURLE_OK ? 0 : transfer_error(r, out, what, url, attempt);
		ctx_log(r->ctx, LADING_LOG_INFO, "%s: %s: %s, retrying in %.1f s", r->ref.domain, what,
			out->cc != CURLE_OK ? net_why(&out->nx, out->cc) : "server busy or failing", (double)wait / 1000.0);
		int rc = ctx_sleep(r->ctx, wait);
		if (rc)
			return rc;
	}
}

/* The "errors" array of a registry error body, as "CODE: message". */
static void registry_error_text(const resp *x, char *out, size_t cap)
{
	out[0] = 0;
	json_error_t err;
	json_t *j = json_loadb(x->body.p ? x->body.p : "", x->body.n, 0, &err);
	const json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
	const char *code = json_string_value(json_object_get(e0, "code"));
	const char *msg = json_string_value(json_object_get(e0, "message"));
	if (code)
		snprintf(out, cap, " (%s%s%s)", code, msg ? ": " : "", msg ? msg : "");
	json_decref(j);
}

static const char *error_code(const resp *x, char *out, size_t cap)
{
	out[0] = 0;
	json_error_t err;
	json_t *j = json_loadb(x->body.p ? x->body.p : "", x->body.n, 0, &err);
	const char *code =
	    json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "code"));
	if (code)
		snprintf(out, cap, "%s", code);
	json_decref(j);
	return out;
}

/* A failed response as a context error: 401/403 name the credentials tried,
 * 404 the repository or tag. */
static int status_error(reg_client *r, const resp *x, const char *what)
{
	char detail[600], code[64];
	registry_error_text(x, detail, sizeof(detail));
	const ctx_where *w = CTX_WHERE(.source = r->ref.domain, .http_status = x->status);
	switch (x->status) {
	case 401:
		return ctx_fail(r->ctx, LADING_EAUTH, "registry.unauthorized", w,
				"%s: authentication failed (HTTP 401) fetching %s of %s with %s%s", r->ref.domain,
				what, r->ref.repository, r->cred_source, detail);
	case 403:
		return ctx_fail(r->ctx, LADING_EDENIED, "registry.denied", w,
				"%s: access to %s denied (HTTP 403) fetching %s with %s%s", r->ref.domain,
				r->ref.repository, what, r->cred_source, detail);
	case 404:
		error_code(x, code, sizeof(code));
		if (strcmp(code, "NAME_UNKNOWN") == 0)
			return ctx_fail(r->ctx, LADING_ENOTFOUND, "registry.repository_not_found", w,
					"%s: repository %s not found%s", r->ref.domain, r->ref.repository, detail);
		return ctx_fail(r->ctx, LADING_ENOTFOUND, "registry.manifest_not_found", w,
				"%s: %s not found in repository %s (HTTP 404)%s", r->ref.domain, what,
				r->ref.repository, detail);
	default: {
		const char *reason;
		int c = net_code(NULL, CURLE_OK, x->status, &reason);
		return ctx_fail(r->ctx, c, reason, w, "%s: unexpected HTTP status %ld fetching %s of %s%s",
				r->ref.domain, x->status, what, r->ref.repository, detail);
	}
	}
}

/* ---- authentication -------------------------------------------------------------------- */

static bool url_host_is_loopback(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return false;
	p += 3;
	size_t n = strcspn(p, "/?#");
	char host[300];
	snprintf(host, sizeof(host), "%.*s", (int)(n < sizeof(host) - 1 ? n : sizeof(host) - 1), p);
	return ref_host_is_loopback(host);
}

/* Answers challenge `ch` (from a 401): fetches a bearer token from the realm,
 * or prepares basic credentials. Sets r->authz. */
static int authorize(reg_client *r, const www_auth *ch, unsigned seen_generation)
{
	pthread_mutex_lock(&r->mu);
	bool fresh = r->generation != seen_generation; /* another thread already renewed it */
	pthread_mutex_unlock(&r->mu);
	if (fresh)
		return 0;
	char *newauth = NULL;
	int rc = 0;
	if (ch->scheme == WWW_BASIC) {
		if (!r->user)
			return ctx_fail(r->ctx, LADING_EAUTH, "registry.credentials_required",
					CTX_WHERE(.source = r->ref.domain, .http_status = 401),
					"%s: the registry asks for a user name and password, and none was found (%s)",
					r->ref.domain, r->cred_source);
		char *up = NULL, *enc = NULL;
		if (asprintf(&up, "%s:%s", r->user, r->pass ? r->pass : "") < 0)
			return -LADING_ENOMEM;
		enc = b64(up);
		OPENSSL_cleanse(up, strlen(up));
		free(up);
		if (!enc || asprintf(&newauth, "Basic %s", enc) < 0)
			newauth = NULL;
		free(enc);
		if (!newauth)
			return -LADING_ENOMEM;
	} else if (ch->scheme == WWW_BEARER) {
		if (!ch->realm || !*ch->realm)
			return ctx_error(r->ctx, LADING_EFORMAT, "%s: bearer challenge without a realm",
					 r->ref.domain);
		bool https = strncasecmp(ch->realm, "https://", 8) == 0;
		bool http = strncasecmp(ch->realm, "http://", 7) == 0;
		/* A registry elsewhere must not send us to this machine's own
		 * services (what listens on 127.0.0.1 trusts its callers): the
		 * guard refuses every private address unless the options allow
		 * them, and even then a loopback realm is only for a loopback
		 * registry. */
		if (url_host_is_loopback(ch->realm) && !r->loopback)
			return ctx_fail(r->ctx, LADING_EPOLICY, "registry.realm_loopback",
					CTX_WHERE(.source = r->ref.domain),
					"%s: the registry names a token realm on this machine (%s); refused, since "
					"the registry itself is not on this machine",
					r->ref.domain, ch->realm);
		if (!https && !(http && (r->insecure || url_host_is_loopback(ch->realm))))
			return ctx_fail(r->ctx, LADING_EPOLICY, "registry.realm_insecure",
					CTX_WHERE(.source = r->ref.domain),
					"%s: token realm %s is not an https URL (plain HTTP needs the insecure option)",
					r->ref.domain, ch->realm);
		CURL *esc = lcurl()->easy_init();
		if (!esc)
			return -LADING_ENOMEM;
		char *svc = lcurl()->easy_escape(esc, ch->service ? ch->service : "", 0);
		char *scope = NULL;
		if (asprintf(&scope, "repository:%s:pull", r->ref.repository) < 0)
			scope = NULL;
		char *sc = scope ? lcurl()->easy_escape(esc, scope, 0) : NULL;
		char *url = NULL;
		if (svc && sc &&
		    asprintf(&url, "%s%sservice=%s&scope=%s", ch->realm, strchr(ch->realm, '?') ? "&" : "?",
			     svc, sc) < 0)
			url = NULL;
		lcurl()->free(svc);
		lcurl()->free(sc);
		free(scope);
		lcurl()->easy_cleanup(esc);
		if (!url)
			return -LADING_ENOMEM;
		char *basic = NULL;
		if (r->user) {
			char *up = NULL;
			if (asprintf(&up, "%s:%s", r->user, r->pass ? r->pass : "") >= 0) {
				char *enc = b64(up);
				if (enc && asprintf(&basic, "Basic %s", enc) < 0)
					basic = NULL;
				free(enc);
				OPENSSL_cleanse(up, strlen(up));
				free(up);
			}
			if (!basic) {
				free(url);
				return -LADING_ENOMEM;
			}
		}
		resp x = {0};
		rc = http_get(r, url, NULL, basic, &x, "a token");
		free(basic);
		if (!rc && x.status != 200) {
			const ctx_where *w = CTX_WHERE(.source = r->ref.domain, .http_status = x.status);
			if (x.status == 401 || x.status == 403)
				rc = ctx_fail(r->ctx, x.status == 401 ? LADING_EAUTH : LADING_EDENIED,
					      "registry.token_refused", w, "%s: the token server %s refused %s (HTTP %ld)",
					      r->ref.domain, ch->realm, r->cred_source, x.status);
			else
				rc = ctx_fail(r->ctx, net_code(NULL, CURLE_OK, x.status, NULL), "registry.token_status",
					      w, "%s: the token server %s answered HTTP %ld", r->ref.domain, ch->realm,
					      x.status);
		}
		free(url);
		if (!rc) {
			json_error_t err;
			json_t *j = json_loadb(x.body.p ? x.body.p : "", x.body.n, 0, &err);
			const char *tok = json_string_value(json_object_get(j, "token"));
			if (!tok || !*tok)
				tok = json_string_value(json_object_get(j, "access_token"));
			if (!tok || !*tok || strpbrk(tok, "\r\n"))
				rc = ctx_error(r->ctx, LADING_EFORMAT,
					       "%s: the token server %s sent no usable token", r->ref.domain,
					       ch->realm);
			else if (asprintf(&newauth, "Bearer %s", tok) < 0)
				rc = -LADING_ENOMEM;
			json_decref(j);
		}
		resp_free(&x);
		if (rc)
			return rc;
	} else {
		return ctx_error(r->ctx, LADING_EUNSUPP,
				 "%s: unsupported authentication scheme in the registry's challenge",
				 r->ref.domain);
	}
	pthread_mutex_lock(&r->mu);
	free(r->authz);
	r->authz = newauth;
	r->generation++;
	pthread_mutex_unlock(&r->mu);
	return 0;
}

/* GET with authentication: a 401 with a challenge is answered once, then
 * the request is repeated. */
static int reg_get(reg_client *r, const char *url, const char *accept, resp *out, const char *what)
{
	for (int round = 0;; round++) {
		unsigned gen;
		char *authz = current_authz(r, &gen);
		int rc = http_get(r, url, accept, authz, out, what);
		free(authz);
		if (rc || out->status != 401 || round > 0 || !out->www_auth)
			return rc;
		www_auth ch;
		if (www_auth_parse(&ch, sv_cstr(out->www_auth)) != 0 || ch.scheme == WWW_NONE) {
			www_auth_free(&ch);
			return 0;
		}
		/* a challenge with an error after our token: the token is refused, not expired */
		bool refused = gen > 0 && ch.error && strcmp(ch.error, "insufficient_scope") == 0;
		rc = refused ? 0 : authorize(r, &ch, gen);
		www_auth_free(&ch);
		if (rc || refused)
			return rc;
	}
}

/* ---- credentials --------------------------------------------------------------------- */

static int load_credentials(reg_client *r)
{
	const lading_options *o = &r->ctx->opt;
	if (o->registry_username && *o->registry_username) {
		if (!(r->user = strdup(o->registry_username)) ||
		    !(r->pass = strdup(o->registry_password ? o->registry_password : "")))
			return -LADING_ENOMEM;
		snprintf(r->cred_source, sizeof(r->cred_source),
			 "the user name \"%s\" given in the options", r->user);
		return 0;
	}
	if (o->credentials) {
		char user[512], secret[4096];
		user[0] = secret[0] = 0;
		int c = o->credentials(o->credentials_userdata, r->ref.domain, user, sizeof(user), secret,
				       sizeof(secret));
		if (c < 0)
			return ctx_fail(r->ctx, -c, "registry.credentials_callback", CTX_WHERE(.source = r->ref.domain),
					"%s: the credentials callback failed: %s", r->ref.domain, lading_strerror(c));
		if (c == 0 && user[0]) {
			user[sizeof(user) - 1] = secret[sizeof(secret) - 1] = 0;
			r->user = strdup(user);
			r->pass = strdup(secret);
			OPENSSL_cleanse(secret, sizeof(secret));
			if (!r->user || !r->pass)
				return -LADING_ENOMEM;
			snprintf(r->cred_source, sizeof(r->cred_source),
				 "the user name \"%s\" from the credentials callback", r->user);
			return 0;
		}
	}
	/* The library reads no environment: the docker config directory is the
	 * caller's to give (the CLI: $DOCKER_CONFIG or ~/.docker); none, no file. */
	char path[4096];
	const char *dir = o->docker_config;
	if (dir && *dir)
		snprintf(path, sizeof(path), "%s/config.json", dir);
	else
		path[0] = 0;
	snprintf(r->cred_source, sizeof(r->cred_source), "no credentials (none given%s%s%s)",
		 path[0] ? ", none for " : "", path[0] ? r->ref.domain : "", path[0] ? " in " : "");
	if (path[0]) {
		size_t l = strlen(r->cred_source) - 1;
		snprintf(r->cred_source + l, sizeof(r->cred_source) - l, "%s)", path);
	}
	if (!path[0])
		return 0;
	int fd = file_open_regular(AT_FDCWD, path, 0, NULL);
	if (fd < 0)
		return 0; /* no config (or not a file): anonymous */
	buf b = {.max = MAX_CONFIG_JSON};
	char tmp[16384];
	ssize_t n;
	int rc = 0;
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -LADING_EIO;
			break;
		}
		if ((rc = buf_append(&b, tmp, (size_t)n)) != 0)
			break;
	}
	close(fd);
	if (n < 0 || rc) {
		ctx_log(r->ctx, LADING_LOG_WARN, "%s: cannot read it (%s); going on without its credentials",
			path, lading_strerror(n < 0 ? (int)n : rc));
		buf_free(&b);
		return 0;
	}
	docker_creds c;
	rc = docker_config_find(&c, sv_make(b.p, b.n), r->ref.domain);
	OPENSSL_cleanse(b.p, b.n);
	buf_free(&b);
	if (rc == -LADING_ENOMEM)
		return rc;
	if (rc) {
		ctx_log(r->ctx, LADING_LOG_WARN,
			"%s: not valid JSON or a bad \"auth\" value; going on without its credentials", path);
		return 0;
	}
	if (c.helper)
		ctx_log(r->ctx, LADING_LOG_WARN,
			"%s: credential helper \"%s\" (credsStore/credHelpers) is not supported; %s", path,
			c.helper_name,
			c.username ? "using the \"auths\" entry instead" : "going on without credentials");
	if (c.identity_token && !c.username)
		ctx_log(r->ctx, LADING_LOG_WARN,
			"%s: the \"auths\" entry for %s holds only an identity token, which is not "
			"supported; going on without credentials",
			path, c.key);
	if (c.username) {
		r->user = c.username;
		r->pass = c.password;
		c.username = c.password = NULL;
		snprintf(r->cred_source, sizeof(r->cred_source),
			 "the user name \"%s\" from %s (auths \"%s\")", r->user, path, c.key);
	}
	docker_creds_free(&c);
	return 0;
}

/* ---- the client ------------------------------------------------------------------------ */

void reg_free(reg_client *r)
{
	if (!r)
		return;
	ref_free(&r->ref);
	free(r->cache_dir);
	if (r->pass)
		OPENSSL_cleanse(r->pass, strlen(r->pass));
	free(r->user);
	free(r->pass);
	if (r->authz)
		OPENSSL_cleanse(r->authz, strlen(r->authz));
	free(r->authz);
	www_auth_free(&r->chall);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static bool tls_level_failure(CURLcode cc)
{
	return cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING ||
	       cc == CURLE_SEND_ERROR || cc == CURLE_PEER_FAILED_VERIFICATION;
}

/* GET /v2/: chooses the scheme and answers the first challenge. HTTPS
 * always comes first; plain HTTP only with --insecure or for a registry on
 * this machine (as Docker does), and never without a warning. */
static int probe(reg_client *r)
{
	char url[700];
	resp x = {0};
	int rc;
	snprintf(r->base, sizeof(r->base), "https://%s", r->host);
	snprintf(url, sizeof(url), "%s/v2/", r->base);
	/* One attempt over TLS first: a plain-HTTP server fails the handshake at once. */
	CURL *e = lcurl()->easy_init();
	if (!e)
		return -LADING_ENOMEM;
	x.body.max = MAX_DOC;
	easy_common(r, &x.nx, e, url, NULL, &r->lim);
	lcurl()->easy_setopt(e, CURLOPT_WRITEFUNCTION, body_cb);
	lcurl()->easy_setopt(e, CURLOPT_WRITEDATA, &x);
	lcurl()->easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	lcurl()->easy_setopt(e, CURLOPT_HEADERDATA, &x);
	x.cc = net_perform(&x.nx);
	lcurl()->easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x.status);
	lcurl()->easy_cleanup(e);
	x.nx.easy = NULL;
	if (x.cc != CURLE_OK && (r->insecure || r->loopback) && tls_level_failure(x.cc) &&
	    !(r->loopback && !r->insecure && x.cc == CURLE_PEER_FAILED_VERIFICATION)) {
		snprintf(r->base, sizeof(r->base), "http://%s", r->host);
		snprintf(url, sizeof(url), "%s/v2/", r->base);
		ctx_log(r->ctx, LADING_LOG_WARN, "%s: no TLS: using plain HTTP (%s)", r->ref.domain,
			r->insecure ? "insecure mode" : "a registry on this machine");
		if ((rc = http_get(r, url, NULL, NULL, &x, "the API root /v2/")) != 0)
			goto out;
	} else if (x.cc != CURLE_OK) {
		if (net_transient(&x.nx, x.cc, 0)) { /* retry over TLS, bounded */
			if ((rc = http_get(r, url, NULL, NULL, &x, "the API root /v2/")) != 0)
				goto out;
		} else {
			const char *reason;
			int code = net_code(&x.nx, x.cc, 0, &reason);
			rc = ctx_fail(r->ctx, code, reason, CTX_WHERE(.source = r->ref.domain),
				      "%s: cannot reach the registry at %s: %s", r->ref.domain, url, net_why(&x.nx, x.cc));
			goto out;
		}
	} else if (r->insecure) {
		ctx_log(r->ctx, LADING_LOG_WARN, "%s: TLS certificate not verified (insecure mode)", r->ref.domain);
	}
	if (x.status == 200) {
		rc = 0;
	} else if (x.status == 401 && x.www_auth) {
		www_auth ch;
		rc = www_auth_parse(&ch, sv_cstr(x.www_auth));
		if (rc == -LADING_EFORMAT)
			rc = ctx_error(r->ctx, LADING_EFORMAT,
				       "%s: cannot parse the registry's challenge \"%.200s\"", r->ref.domain,
				       x.www_auth);
		if (!rc)
			rc = authorize(r, &ch, 0);
		www_auth_free(&ch);
	} else if (x.status == 404) {
		rc = ctx_error(r->ctx, LADING_ETARGET, "%s: %s is not a registry (no /v2/ API)",
			       r->ref.domain, r->base);
	} else {
		rc = status_error(r, &x, "the API root /v2/");
	}
out:
	resp_free(&x);
	return rc;
}

/* Fetches a manifest (by tag or digest), checking its digest: against the
 * reference when it is a digest, else against Docker-Content-Digest. */
static int fetch_manifest(reg_client *r, image_src *src, const char *reference, buf *body, char **ctype)
{
	char url[1200], what[400];
	snprintf(url, sizeof(url), "%s/v2/%s/manifests/%s", r->base, r->ref.repository, reference);
	snprintf(what, sizeof(what), "%s %s", strchr(reference, ':') ? "manifest" : "tag", reference);
	resp x = {0};
	int rc = reg_get(r, url, ACCEPT_MANIFESTS, &x, what);
	if (!rc && x.status == 404) {
		/* Registries answer MANIFEST_UNKNOWN for a missing repository too: ask
		 * its tag list, so that the error names what is really missing. */
		char code[64], turl[1200];
		resp y = {0};
		snprintf(turl, sizeof(turl), "%s/v2/%s/tags/list?n=1", r->base, r->ref.repository);
		if (strcmp(error_code(&x, code, sizeof(code)), "NAME_UNKNOWN") != 0 &&
		    reg_get(r, turl, NULL, &y, "the tag list") == 0 && y.status == 404)
			rc = ctx_error(r->ctx, LADING_ENOTFOUND, "%s: repository %s not found (no tags)",
				       r->ref.domain, r->ref.repository);
		resp_free(&y);
	}
	if (!rc && x.status != 200)
		rc = status_error(r, &x, what);
	if (!rc && strchr(reference, ':'))
		rc = src_check_digest(src, "manifest", &x.body, reference);
	else if (!rc && x.digest && src_valid_digest(x.digest))
		rc = src_check_digest(src, "manifest (Docker-Content-Digest)", &x.body, x.digest);
	if (!rc) {
		*body = x.body;
		x.body = (buf){0};
		*ctype = x.ctype;
		x.ctype = NULL;
	}
	resp_free(&x);
	return rc;
}

static void sha256_hex(const void *p, size_t n, char out[80])
{
	unsigned char d[32];
	unsigned int len = 0;
	EVP_Digest(p, n, d, &len, EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	hex_encode(out + 7, d, 32);
}

/* Writes `data` to the cache as blob `digest`: temporary file, rename. */
static void cache_put(reg_client *r, const char *digest, const buf *data)
{
	buf p = {0};
	if (!r->cache_dir || cache_blob_path(&p, r->cache_dir, digest) != 0)
		return;
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", p.p);
	char *slash = strrchr(tmp, '/');
	/* hidden temporary name: ".<hex>.XXXXXX" beside the final one */
	memmove(slash + 2, slash + 1, strlen(slash + 1) + 1);
	slash[1] = '.';
	int fd = mkstemp(tmp);
	if (fd >= 0) {
		bool ok = write(fd, data->p, data->n) == (ssize_t)data->n;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, p.p) != 0)
			unlink(tmp);
	}
	buf_free(&p);
}

/* Reads blob `digest` from the cache, if it is there and intact. */
static bool cache_get(reg_client *r, const char *digest, buf *out)
{
	buf p = {0};
	if (!r->cache_dir || cache_blob_path(&p, r->cache_dir, digest) != 0)
		return false;
	stream *s = NULL;
	bool ok = stream_open_file(&s, AT_FDCWD, p.p, p.p) == 0;
	char tmp[65536];
	ssize_t n = 0;
	out->n = 0;
	out->max = MAX_DOC;
	while (ok && (n = s->read(s, tmp, sizeof(tmp))) > 0)
		ok = buf_append(out, tmp, (size_t)n) == 0;
	if (s)
		s->close(s);
	if (ok && n == 0) {
		char got[80];
		sha256_hex(out->p, out->n, got);
		ok = strcmp(got, digest) == 0;
		if (!ok)
			unlink(p.p); /* corrupt: fetch it again */
	}
	buf_free(&p);
	return ok && n == 0;
}

static int fetch_config(reg_client *r, image_src *src, const char *digest, buf *out)
{
	if (cache_get(r, digest, out))
		return 0;
	buf_free(out);
	char url[1200], what[200];
	snprintf(url, sizeof(url), "%s/v2/%s/blobs/%s", r->base, r->ref.repository, digest);
	snprintf(what, sizeof(what), "config blob %s", digest);
	resp x = {0};
	int rc = reg_get(r, url, NULL, &x, what);
	if (!rc && x.status != 200)
		rc = status_error(r, &x, what);
	if (!rc)
		rc = src_check_digest(src, "config", &x.body, digest);
	if (!rc) {
		cache_put(r, digest, &x.body);
		*out = x.body;
		x.body = (buf){0};
	}
	resp_free(&x);
	return rc;
}

static int open_image(reg_client *r, image_src *src)
{
	buf body = {0}, cfg = {0};
	char *ctype = NULL;
	json_t *m = NULL;
	const char *reference = r->ref.digest ? r->ref.digest : r->ref.tag;
	char *owned_ref = NULL;
	int rc = 0;
	for (int depth = 0;; depth++) {
		buf_free(&body);
		free(ctype);
		ctype = NULL;
		json_decref(m);
		m = NULL;
		if ((rc = fetch_manifest(r, src, reference, &body, &ctype)) != 0)
			goto out;
		if (!(m = src_parse_json(src, "manifest", &body))) {
			rc = -LADING_EFORMAT;
			goto out;
		}
		const char *mt = json_string_value(json_object_get(m, "mediaType"));
		bool index = src_is_index_type(mt) || (ctype && src_is_index_type(ctype)) ||
			     (!mt && json_object_get(m, "manifests") && !json_object_get(m, "layers"));
		if (!index)
			break;
		const json_t *pick;
		if ((rc = src_pick_manifest(&pick, src, m, depth, NULL)) != 0)
			goto out;
		const char *d = json_string_value(json_object_get(pick, "digest"));
		if (!src_valid_digest(d)) {
			rc = ctx_error(src->ctx, LADING_EFORMAT,
				       "%s: image index entry has an invalid digest", src->target);
			goto out;
		}
		free(owned_ref);
		if (!(owned_ref = strdup(d))) {
			rc = -LADING_ENOMEM;
			goto out;
		}
		reference = owned_ref;
	}
	char dig[80];
	sha256_hex(body.p ? body.p : "", body.n, dig);
	const char *cdig;
	if ((rc = src_set_str(&src->manifest_digest, strchr(reference, ':') ? reference : dig)) != 0 ||
	    (rc = src_manifest_layers(src, m, false, &cdig)) != 0)
		goto out;
	if ((rc = fetch_config(r, src, cdig, &cfg)) != 0 ||
	    (rc = src_set_str(&src->config_digest, cdig)) != 0)
		goto out;
	rc = src_apply_config(src, &cfg);
out:
	free(owned_ref);
	free(ctype);
	json_decref(m);
	buf_free(&body);
	buf_free(&cfg);
	return rc;
}

int reg_open(image_src *src, image_ref *ref)
{
	const char *why = NULL;
	if (!curl_api_load(&why)) {
		ref_free(ref);
		return ctx_error(src->ctx, LADING_EIO, "%s: %s", src->target, why);
	}
	reg_client *r = calloc(1, sizeof(*r));
	if (!r) {
		ref_free(ref);
		return -LADING_ENOMEM;
	}
	pthread_mutex_init(&r->mu, NULL);
	r->ref = *ref;
	memset(ref, 0, sizeof(*ref));
	src->reg = r;
	r->ctx = src->ctx;
	r->host = ref_api_host(&r->ref);
	r->insecure = src->ctx->opt.registry_insecure != 0;
	r->loopback = ref_host_is_loopback(r->ref.domain);
	r->lim = net_limits_for(r->ctx, &registry_defaults);
	r->blob_lim = r->lim;
	r->blob_lim.timeout_ms = 0;
	int rc = 0;
	/* the guard, for a host a proxy connects to (net.c checks the others at
	 * every connection) */
	if (r->ctx->opt.proxy) {
		char h[300];
		int port = 443;
		snprintf(h, sizeof(h), "%s", r->host);
		char *colon = strrchr(h, ':');
		if (colon && !strchr(colon, ']')) {
			port = atoi(colon + 1);
			*colon = 0;
		}
		if ((rc = net_check_host(r->ctx, h, port, r->ref.domain)) != 0)
			return rc;
	}
	if (r->insecure)
		ctx_log(src->ctx, LADING_LOG_WARN,
			"%s: insecure mode: plain HTTP and unverified TLS certificates are allowed",
			r->ref.domain);
	const char *cd = src->ctx->opt.cache_dir;
	if (cd && *cd) {
		char d[4200];
		snprintf(d, sizeof(d), "%s/blobs/sha256", cd);
		if (mkdir_p(d) != 0)
			return ctx_error(src->ctx, LADING_EIO, "%s: cannot create the cache directory: %s", d,
					 strerror(errno));
		if (!(r->cache_dir = strdup(cd)))
			return -LADING_ENOMEM;
	}
	buf name = {0};
	if ((rc = load_credentials(r)) != 0 || (rc = ref_format(&name, &r->ref)) != 0)
		goto out;
	src->name = buf_steal(&name, NULL);
	if (r->ref.tag) {
		char *t = strdup(r->ref.tag);
		if (!t || vec_push(&src->tags, t)) {
			free(t);
			rc = -LADING_ENOMEM;
			goto out;
		}
	}
	if ((rc = probe(r)) == 0)
		rc = open_image(r, src);
out:
	buf_free(&name);
	if (rc && rc != -LADING_ENOMEM && !r->ref.explicit_domain) {
		/* "alpine.tar" typed wrong reads as docker.io/library/alpine.tar: say both. */
		ctx_error_add(src->ctx, NULL, " (read as docker.io/%s; there is no file of that name either)",
			      r->ref.repository);
	}
	return rc;
}

/* ---- layer streams --------------------------------------------------------------------- */

typedef struct reg_stream {
	stream s;
	reg_client *r;
	const layer_desc *d;
	size_t index;
	CURLM *m;
	CURL *e;
	struct curl_slist *hdrs;
	resp hx; /* headers of the current response */
	unsigned char *data;
	size_t off, len, cap;
	bool paused, finished, body_started, range_bad;
	CURLcode cc;
	long status;
	int err;	    /* sticky: once failed, every read fails */
	const char *reason; /* the failure's reason token, for stream_fail */
	uint64_t delivered; /* bytes of the blob handed to the reader */
	uint64_t skip;	    /* bytes to drop: the server ignored our Range */
	int attempts, reauths;
	unsigned gen;
	double started;
	/* cache tee */
	int tmpfd;
	char *tmppath, *finalpath;
	EVP_MD_CTX *md;
} reg_stream;

static size_t stream_write_cb(char *p, size_t sz, size_t nm, void *ud)
{
	reg_stream *st = ud;
	size_t n = sz * nm;
	if (!st->body_started) {
		lcurl()->easy_getinfo(st->e, CURLINFO_RESPONSE_CODE, &st->status);
		if (st->status != 200 && st->status != 206)
			return 0; /* an error body: abort, the status says it all */
		if (st->status == 206) {
			unsigned long long a = 0;
			if (!st->hx.content_range || sscanf(st->hx.content_range, "bytes %llu-", &a) != 1 ||
			    a != st->delivered) {
				st->range_bad = true;
				return 0;
			}
		} else {
			st->skip = st->delivered; /* a full body again: drop what we already have */
		}
		st->body_started = true;
	}
	size_t drop = st->skip < n ? (size_t)st->skip : n;
	size_t keep = n - drop;
	if (st->off == st->len)
		st->off = st->len = 0;
	if (st->len + keep > st->cap && st->off) {
		memmove(st->data, st->data + st->off, st->len - st->off);
		st->len -= st->off;
		st->off = 0;
	}
	if (st->len + keep > st->cap) {
		if (st->len) {
			st->paused = true;
			return CURL_WRITEFUNC_PAUSE; /* redelivered, whole, after lcurl()->easy_pause(CONT) */
		}
		unsigned char *nd = realloc(st->data, keep); /* one chunk bigger than the buffer */
		if (!nd)
			return 0;
		st->data = nd;
		st->cap = keep;
	}
	memcpy(st->data + st->len, p + drop, keep);
	st->len += keep;
	st->skip -= drop;
	return n;
}

static void stream_stop(reg_stream *st)
{
	if (st->e) {
		if (st->m)
			lcurl()->multi_remove_handle(st->m, st->e);
		lcurl()->easy_cleanup(st->e);
		st->e = NULL;
	}
	lcurl()->slist_free_all(st->hdrs);
	st->hdrs = NULL;
}

/* (Re)starts the transfer, from byte `delivered` on. */
static int stream_start(reg_stream *st)
{
	reg_client *r = st->r;
	stream_stop(st);
	resp_reset_headers(&st->hx);
	st->body_started = st->finished = st->paused = false;
	st->off = st->len = 0;
	st->skip = 0;
	st->range_bad = false;
	st->status = 0;
	st->cc = CURLE_OK;
	char url[1200], *authz = current_authz(r, &st->gen), *ah = NULL, range[64];
	snprintf(url, sizeof(url), "%s/v2/%s/blobs/%s", r->base, r->ref.repository, st->d->digest);
	struct curl_slist *t;
	if (authz && asprintf(&ah, "Authorization: %s", authz) >= 0 && (t = lcurl()->slist_append(st->hdrs, ah)))
		st->hdrs = t;
	free(ah);
	free(authz);
	if (st->delivered) {
		snprintf(range, sizeof(range), "Range: bytes=%llu-", (unsigned long long)st->delivered);
		if ((t = lcurl()->slist_append(st->hdrs, range)))
			st->hdrs = t;
	}
	if (!(st->e = lcurl()->easy_init()))
		return -LADING_ENOMEM;
	easy_common(r, &st->hx.nx, st->e, url, st->hdrs, &r->blob_lim);
	lcurl()->easy_setopt(st->e, CURLOPT_WRITEFUNCTION, stream_write_cb);
	lcurl()->easy_setopt(st->e, CURLOPT_WRITEDATA, st);
	lcurl()->easy_setopt(st->e, CURLOPT_HEADERFUNCTION, header_cb);
	lcurl()->easy_setopt(st->e, CURLOPT_HEADERDATA, &st->hx);
	lcurl()->easy_setopt(st->e, CURLOPT_BUFFERSIZE, 256L * 1024);
	if (lcurl()->multi_add_handle(st->m, st->e) != CURLM_OK)
		return -LADING_ENOMEM;
	return 0;
}

/* Records a failure of the stream: the context error, and the reason in
 * `what`, which the walk quotes when a read fails. */
static int stream_fail(reg_stream *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int stream_fail(reg_stream *st, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t l = strlen(st->s.what);
	snprintf(st->s.what + l, sizeof(st->s.what) - l, " (%s)", msg);
	st->err = ctx_fail(st->r->ctx, code, st->reason, CTX_LAYER(st->index, .digest = st->d->digest,
				.source = st->r->ref.domain, .http_status = st->status),
			   "layer %zu (%s)", st->index, st->s.what);
	return st->err;
}

static void tee_drop(reg_stream *st)
{
	if (st->tmpfd >= 0) {
		close(st->tmpfd);
		unlink(st->tmppath);
		st->tmpfd = -1;
	}
}

static void cache_tee(reg_stream *st, const void *p, size_t n)
{
	if (st->tmpfd < 0)
		return;
	EVP_DigestUpdate(st->md, p, n);
	const char *c = p;
	while (n) {
		ssize_t w = write(st->tmpfd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ctx_log(st->r->ctx, LADING_LOG_WARN,
				"%s: cannot write to the cache (%s); not caching this layer", st->tmppath,
				strerror(errno));
			tee_drop(st);
			return;
		}
		c += w;
		n -= (size_t)w;
	}
}

/* The whole blob has arrived: keep the cached copy if its digest is right. */
static int tee_finish(reg_stream *st)
{
	if (st->tmpfd < 0)
		return 0;
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	char got[80];
	EVP_DigestFinal_ex(st->md, d, &len);
	memcpy(got, "sha256:", 7);
	hex_encode(got + 7, d, 32);
	if (strcmp(got, st->d->digest) != 0) {
		tee_drop(st);
		st->reason = "layer.digest_mismatch";
		return stream_fail(st, LADING_EDIGEST, "blob digest is %s, the manifest says %s", got,
				   st->d->digest);
	}
	bool ok = close(st->tmpfd) == 0;
	st->tmpfd = -1;
	if (!ok || rename(st->tmppath, st->finalpath) != 0) {
		unlink(st->tmppath);
		ctx_log(st->r->ctx, LADING_LOG_WARN, "%s: cannot store the layer in the cache",
			st->finalpath);
	}
	return 0;
}

/* A transfer ended without the whole blob: retry (resuming) or give up. */
static int stream_retry_or_fail(reg_stream *st)
{
	reg_client *r = st->r;
	long status = st->status;
	CURLcode cc = st->cc;
	if (status == 401 && st->reauths == 0 && st->hx.www_auth) {
		www_auth ch;
		int rc = www_auth_parse(&ch, sv_cstr(st->hx.www_auth));
		if (!rc && ch.scheme != WWW_NONE)
			rc = authorize(r, &ch, st->gen);
		www_auth_free(&ch);
		st->reauths++;
		if (rc)
			return st->err = rc;
		return stream_start(st);
	}
	if (st->range_bad) {
		st->reason = "registry.bad_range";
		return stream_fail(st, LADING_ENETWORK, "the server answered a resumed download with the wrong range");
	}
	bool http_err = status != 0 && status != 200 && status != 206;
	bool again = net_transient(&st->hx.nx, http_err ? CURLE_OK : cc, http_err ? status : 0);
	uint64_t wait = backoff_ms(r, st->attempts + 1, http_err ? st->hx.retry_after : 0);
	if (cc == CURLE_ABORTED_BY_CALLBACK && r->ctx->failed)
		return st->err = -r->ctx->err.code; /* cancelled or past the deadline */
	if (again && st->attempts + 1 < r->lim.max_attempts && now_s() - st->started + (double)wait / 1000.0 < RETRY_BUDGET) {
		st->attempts++;
		ctx_log(r->ctx, LADING_LOG_INFO,
			"%s: layer %zu interrupted after %llu bytes (%s); resuming in %.1f s", r->ref.domain,
			st->index, (unsigned long long)st->delivered,
			http_err ? "server error" : net_why(&st->hx.nx, cc), (double)wait / 1000.0);
		int rc = ctx_sleep(r->ctx, wait);
		if (rc)
			return st->err = rc;
		return stream_start(st);
	}
	int code = net_code(&st->hx.nx, http_err ? CURLE_OK : cc, http_err ? status : 0, &st->reason);
	if (status == 401 || status == 403)
		return stream_fail(st, code, "HTTP %ld with %s", status, r->cred_source);
	if (status == 404) {
		st->reason = "registry.blob_not_found";
		return stream_fail(st, LADING_ENOTFOUND, "blob not found in repository %s (HTTP 404)",
				   r->ref.repository);
	}
	if (http_err)
		return stream_fail(st, code, "HTTP %ld after %d attempts", status, st->attempts + 1);
	return stream_fail(st, code, "download failed after %llu of %llu bytes, %d attempts: %s",
			   (unsigned long long)st->delivered, (unsigned long long)st->d->size,
			   st->attempts + 1, net_why(&st->hx.nx, cc));
}

static ssize_t reg_stream_read(stream *s, void *dst, size_t n)
{
	reg_stream *st = (reg_stream *)s;
	for (;;) {
		if (st->err)
			return st->err;
		if (st->off < st->len) {
			size_t k = st->len - st->off < n ? st->len - st->off : n;
			/* the descriptor's size bounds the blob: a server that sends more is
			 * not read to the end (it could send forever) */
			if (st->d->size && st->delivered + k > st->d->size) {
				tee_drop(st);
				st->reason = "layer.size_exceeded";
				return stream_fail(st, LADING_EDIGEST, "the registry sends more than the %llu bytes the "
					"manifest gives for this blob", (unsigned long long)st->d->size);
			}
			memcpy(dst, st->data + st->off, k);
			st->off += k;
			st->delivered += k;
			cache_tee(st, dst, k);
			return (ssize_t)k;
		}
		if (st->finished) {
			lcurl()->easy_getinfo(st->e, CURLINFO_RESPONSE_CODE, &st->status);
			if (st->cc == CURLE_OK && (st->status == 200 || st->status == 206)) {
				int rc = tee_finish(st);
				return rc ? rc : 0;
			}
			if (stream_retry_or_fail(st) != 0 && !st->err)
				st->err = -LADING_ENOMEM;
			continue;
		}
		if (st->paused) {
			st->paused = false;
			lcurl()->easy_pause(st->e, CURLPAUSE_CONT); /* may deliver the held chunk right here */
			if (st->off < st->len)
				continue;
		}
		int running = 0;
		int crc = ctx_check(st->r->ctx);
		if (crc) {
			tee_drop(st);
			return st->err = crc;
		}
		if (lcurl()->multi_perform(st->m, &running) != CURLM_OK)
			return stream_fail(st, LADING_ENOMEM, "curl multi failure");
		CURLMsg *msg;
		int left;
		while ((msg = lcurl()->multi_info_read(st->m, &left)))
			if (msg->msg == CURLMSG_DONE) {
				st->finished = true;
				st->cc = msg->data.result;
			}
		/* short polls: a cancel is seen within 20 ms even while the server is silent */
		if (st->off == st->len && !st->finished && !st->paused)
			lcurl()->multi_poll(st->m, NULL, 0, 20, NULL);
	}
}

static void reg_stream_close(stream *s)
{
	reg_stream *st = (reg_stream *)s;
	stream_stop(st);
	if (st->m)
		lcurl()->multi_cleanup(st->m);
	tee_drop(st);
	EVP_MD_CTX_free(st->md);
	free(st->tmppath);
	free(st->finalpath);
	resp_free(&st->hx);
	free(st->data);
	free(st);
}

/* A cached blob, hashed as it is read: a corrupt cache file is removed and
 * reported, so that the next scan downloads it again. */
typedef struct cache_stream {
	stream s;
	stream *in;
	EVP_MD_CTX *md;
	char *path;
	const char *want;
	lading_ctx *ctx;
} cache_stream;

static ssize_t cache_read(stream *s, void *dst, size_t n)
{
	cache_stream *c = (cache_stream *)s;
	ssize_t k = c->in->read(c->in, dst, n);
	if (k > 0)
		EVP_DigestUpdate(c->md, dst, (size_t)k);
	if (k != 0)
		return k;
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	char got[80];
	EVP_DigestFinal_ex(c->md, d, &len);
	EVP_DigestInit_ex(c->md, EVP_sha256(), NULL);
	memcpy(got, "sha256:", 7);
	hex_encode(got + 7, d, 32);
	if (strcmp(got, c->want) == 0)
		return 0;
	unlink(c->path);
	size_t l = strlen(c->s.what);
	snprintf(c->s.what + l, sizeof(c->s.what) - l, " (corrupt cache file removed: digest %s; run again)",
		 got);
	return -LADING_EDIGEST;
}

static void cache_close(stream *s)
{
	cache_stream *c = (cache_stream *)s;
	c->in->close(c->in);
	EVP_MD_CTX_free(c->md);
	free(c->path);
	free(c);
}

int reg_open_layer(stream **out, image_src *src, size_t i)
{
	*out = NULL;
	reg_client *r = src->reg;
	const layer_desc *d = &src->layers.v[i];
	if (!r || !d->digest || strncmp(d->digest, "sha256:", 7) != 0)
		return ctx_error(src->ctx, LADING_EUNSUPP, "%s: layer %zu: only sha256 blobs can be fetched",
				 src->target, i);
	buf cpath = {0};
	if (r->cache_dir && cache_blob_path(&cpath, r->cache_dir, d->digest) == 0) {
		stream *f = NULL;
		if (stream_open_file(&f, AT_FDCWD, cpath.p, cpath.p) == 0) {
			cache_stream *c = calloc(1, sizeof(*c));
			if (!c || !(c->md = EVP_MD_CTX_new())) {
				free(c);
				f->close(f);
				buf_free(&cpath);
				return -LADING_ENOMEM;
			}
			EVP_DigestInit_ex(c->md, EVP_sha256(), NULL);
			c->in = f;
			c->path = buf_steal(&cpath, NULL);
			c->want = d->digest;
			c->ctx = src->ctx;
			c->s.read = cache_read;
			c->s.close = cache_close;
			snprintf(c->s.what, sizeof(c->s.what), "%s (cached %s)", c->path, d->digest);
			ctx_log(src->ctx, LADING_LOG_DEBUG, "layer %zu: %s from the cache", i, d->digest);
			*out = &c->s;
			return 0;
		}
	}
	reg_stream *st = calloc(1, sizeof(*st));
	if (!st) {
		buf_free(&cpath);
		return -LADING_ENOMEM;
	}
	st->r = r;
	st->d = d;
	st->index = i;
	st->tmpfd = -1;
	st->started = now_s();
	st->s.read = reg_stream_read;
	st->s.close = reg_stream_close;
	snprintf(st->s.what, sizeof(st->s.what), "%s/%s@%s", r->ref.domain, r->ref.repository, d->digest);
	st->cap = STREAM_BUF;
	int rc = 0;
	if (!(st->data = malloc(st->cap)) || !(st->m = lcurl()->multi_init()))
		rc = -LADING_ENOMEM;
	if (!rc && cpath.p) {
		pthread_mutex_lock(&r->mu);
		unsigned seq = r->stream_seq++;
		pthread_mutex_unlock(&r->mu);
		if (asprintf(&st->tmppath, "%s/blobs/sha256/.%s.%ld.%u.tmp", r->cache_dir, d->digest + 7,
			     (long)getpid(), seq) < 0) {
			st->tmppath = NULL;
			rc = -LADING_ENOMEM;
		} else if (!(st->md = EVP_MD_CTX_new())) {
			rc = -LADING_ENOMEM;
		} else {
			EVP_DigestInit_ex(st->md, EVP_sha256(), NULL);
			st->finalpath = buf_steal(&cpath, NULL);
			st->tmpfd = open(st->tmppath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			if (st->tmpfd < 0)
				ctx_log(src->ctx, LADING_LOG_WARN,
					"%s: cannot create (%s); not caching this layer", st->tmppath,
					strerror(errno));
		}
	}
	buf_free(&cpath);
	if (!rc)
		rc = stream_start(st);
	if (rc) {
		reg_stream_close(&st->s);
		return rc == -LADING_ENOMEM
			   ? ctx_error(src->ctx, LADING_ENOMEM, "%s: out of memory", src->target)
			   : rc;
	}
	*out = &st->s;
	return 0;
}
