/* The one HTTP client under the registry source and the feed updater (and
 * the notifiers to come): libcurl set up from the context's options in one
 * place (timeouts, stall limit, TLS verification and CA bundle, proxy, user
 * agent), the address guard that keeps a service from being turned against
 * its own network, transfers that a cancel or a deadline stops within tens of
 * milliseconds, the mapping of a failed transfer to a library code and
 * reason, retry decisions with backoff and Retry-After, and the response
 * headers the callers act on (status, ETag, Last-Modified, Retry-After).
 *
 * It knows nothing of registries or feeds: the layering is util <- net <-
 * image, vulndb. Nothing here reads the environment: every knob comes from
 * lading_options (the CLI turns LADING_HTTP_* and https_proxy into them). */
#ifndef LADING_NET_H
#define LADING_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ctx.h"
#include "util/curlapi.h"
#include "util/util.h"

/* ---- limits ------------------------------------------------------------------ */

/* A caller's defaults, replaced by the options that are set. */
typedef struct net_limits {
	long connect_ms;
	long stall_s, stall_bps;  /* below stall_bps bytes/s for stall_s: dropped */
	long timeout_ms;          /* one whole request; 0 = none (layer blobs) */
	int max_attempts;         /* the first included */
	uint64_t retry_delay_ms;  /* the first backoff, doubled per retry */
	uint64_t retry_cap_ms;    /* the longest wait, Retry-After included */
	uint64_t max_size;        /* largest body; 0 = no limit here */
} net_limits;

/* The limits for `ctx`: `defaults`, with each option of ctx->opt that is set
 * (http_connect_timeout_ms, ...) in place of its default. */
net_limits net_limits_for(const lading_ctx *ctx, const net_limits *defaults);

/* ---- a transfer ---------------------------------------------------------------- */

/* One easy handle's state for the callbacks: which context it serves, and
 * what the address guard refused, if it did. Lives as long as the handle. */
typedef struct net_xfer {
	lading_ctx *ctx;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	char refused[160]; /* "127.0.0.1 (loopback)" when the guard refused a connection */
	bool insecure;     /* TLS not verified (the registry's insecure option) */
} net_xfer;

/* Sets the options every request shares on x->easy for `url`: http and
 * https only (redirects: https only, unless `plain_redirects`), TLS verified
 * (unless x->insecure), the CA bundle, the proxy (none unless the options
 * name one: libcurl's own reading of http_proxy is switched off), timeouts
 * and the stall limit from `lim`, no signals, the user agent, the error
 * buffer, and the address guard. */
void net_setup(net_xfer *x, const char *url, const net_limits *lim, bool plain_redirects);

/* Runs one transfer to its end like curl_easy_perform, but checks the
 * context (cancel, deadline) every 20 ms, also while the server is silent:
 * a cancelled call returns CURLE_ABORTED_BY_CALLBACK within that time, with
 * the context's error recorded (ctx_check). */
CURLcode net_perform(net_xfer *x);

/* The library code for a transfer that ended with `cc` (CURLE_OK when a
 * response came) and HTTP status `status`, and in *reason a stable token
 * (docs/errors.md): 401 -> LADING_EAUTH "http.unauthorized", 403 -> EDENIED,
 * 404/410 -> ENOTFOUND, 408 -> ETIMEOUT, 429 and 5xx -> ENETWORK, DNS and
 * connect failures -> ENETWORK, a stall or timeout -> ETIMEOUT, a TLS
 * failure -> ECERT, the guard -> EPOLICY, a cancel -> ECANCELLED, too large
 * -> ELIMIT. `x` may be NULL (no guard information). */
int net_code(const net_xfer *x, CURLcode cc, long status, const char **reason);
/* What went wrong, for a message: the guard's refusal, curl's error buffer
 * or curl's text for `cc`. */
const char *net_why(const net_xfer *x, CURLcode cc);

/* Whether a failure is worth another attempt: connection failures, drops,
 * timeouts, and the statuses 408, 429, 500, 502, 503, 504; never what the
 * guard refused or a cancel. `x` may be NULL. */
bool net_transient(const net_xfer *x, CURLcode cc, long status);
/* The wait before retry number `retry` (1 = the first): base_ms doubled per
 * retry, at most cap_ms; a Retry-After (seconds, -1 when none) wins when
 * longer, also at most cap_ms. */
uint64_t net_backoff_ms(uint64_t base_ms, int retry, long retry_after, uint64_t cap_ms);

/* ---- response headers ------------------------------------------------------------ */

#define NET_ETAG_MAX 256
#define NET_DATE_MAX 64

typedef struct net_hdr {
	long status;		 /* from the status line, 0 before one */
	char reason[64];	 /* its reason phrase ("" for HTTP/2) */
	char etag[NET_ETAG_MAX]; /* "" when absent or unusable */
	char last_modified[NET_DATE_MAX];
	long retry_after; /* Retry-After in seconds from now, -1 when absent */
} net_hdr;

/* Resets a record to "no response yet". */
void net_hdr_init(net_hdr *h);
/* Feeds one raw header line as libcurl hands it over (CRLF included, not
 * NUL-terminated). A status line starts a new response, so the headers of a
 * redirect or of a 100 Continue never leak into the final one. `now` turns a
 * Retry-After date into seconds. Unusable values are dropped: validators are
 * sent back in request headers, so they must be printable ASCII of bounded
 * length. */
void net_hdr_line(net_hdr *h, sv line, time_t now);
/* Whether a header value may be sent back as is: 1..max-1 bytes of
 * printable ASCII. */
bool net_header_value_ok(sv v, size_t max);

/* ---- hosts and addresses ---------------------------------------------------------- */

/* The host (brackets kept for IPv6) and port of a URL ("https://h:5000/x" ->
 * "h", 5000; the scheme's port when none is given). false when it has none. */
bool net_url_host(const char *url, char *host, size_t cap, int *port);
/* Whether a host name or literal is this machine: localhost, 127.0.0.0/8,
 * [::1] / ::1. */
bool net_host_is_loopback(sv host);
/* Why an address may not be reached by default ("a loopback address", "a
 * private address", "a link-local address", ...), or NULL when it is a
 * public address. */
const char *net_address_class(const struct sockaddr *sa);
/* Whether host:port is in the options' allowed_hosts list. */
bool net_host_allowed(const lading_ctx *ctx, const char *host, int port);
/* The guard for a host that lading does not connect to itself (a proxy
 * does): resolves it and fails with LADING_EPOLICY when an address is not
 * allowed. 0 when allowed (or when the options allow every address). */
int net_check_host(lading_ctx *ctx, const char *host, int port, const char *what);

#endif
