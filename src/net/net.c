/* The shared HTTP client (net.h): setup from options, the address guard,
 * cancellable transfers, error mapping, retries and response headers. */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- limits ------------------------------------------------------------------ */

net_limits net_limits_for(const lading_ctx *ctx, const net_limits *d)
{
	net_limits l = *d;
	const lading_options *o = &ctx->opt;
	if (o->http_connect_timeout_ms)
		l.connect_ms = (long)o->http_connect_timeout_ms;
	if (o->http_low_speed_time_s)
		l.stall_s = (long)o->http_low_speed_time_s;
	if (o->http_low_speed_limit)
		l.stall_bps = (long)o->http_low_speed_limit;
	if (o->http_timeout_ms && l.timeout_ms)
		l.timeout_ms = (long)(o->http_timeout_ms > (uint64_t)LONG_MAX ? LONG_MAX : o->http_timeout_ms);
	if (o->http_max_attempts > 0)
		l.max_attempts = o->http_max_attempts;
	if (o->http_retry_delay_ms)
		l.retry_delay_ms = o->http_retry_delay_ms;
	if (o->http_max_size && l.max_size)
		l.max_size = o->http_max_size;
	return l;
}

/* ---- hosts and addresses ------------------------------------------------------------ */

bool net_url_host(const char *url, char *host, size_t cap, int *port)
{
	const char *p = strstr(url, "://");
	bool https = strncasecmp(url, "https://", 8) == 0;
	if (!p || cap == 0)
		return false;
	p += 3;
	size_t end = strcspn(p, "/?#");
	const char *at = memchr(p, '@', end);
	if (at) {
		end -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t hlen = end;
	*port = https ? 443 : 80;
	if (p[0] == '[') {
		const char *close = memchr(p, ']', end);
		if (!close)
			return false;
		hlen = (size_t)(close - p) + 1;
	} else {
		const char *colon = memchr(p, ':', end);
		if (colon)
			hlen = (size_t)(colon - p);
	}
	if (hlen < end && p[hlen] == ':') {
		int v = atoi(p + hlen + 1);
		if (v > 0 && v < 65536)
			*port = v;
	}
	if (hlen == 0 || hlen >= cap)
		return false;
	memcpy(host, p, hlen);
	host[hlen] = 0;
	return true;
}

static bool dotted_loopback(sv h)
{
	int parts = 0;
	while (h.n) {
		sv part = sv_split(&h, '.');
		uint64_t v;
		if (part.n == 0 || part.n > 3 || !sv_to_u64(part, &v) || v > 255 || (parts == 0 && v != 127))
			return false;
		parts++;
	}
	return parts == 4;
}

bool net_host_is_loopback(sv host)
{
	return host.n && (sv_ieq(host, "localhost") || sv_eq_cstr(host, "[::1]") || sv_eq_cstr(host, "::1") ||
			  dotted_loopback(host));
}

static const char *v4_class(uint32_t a)
{
	uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);
	if (b0 == 127)
		return "a loopback address";
	if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168))
		return "a private address";
	if (b0 == 169 && b1 == 254)
		return a == 0xa9fea9feu ? "a link-local address (the cloud metadata service's)" : "a link-local address";
	if (b0 == 100 && (b1 & 0xc0) == 64)
		return "a shared (CGNAT) address";
	if (b0 == 0)
		return "the unspecified address";
	if (b0 >= 224)
		return b0 < 240 ? "a multicast address" : "a reserved address";
	if (b0 == 192 && b1 == 0 && (uint8_t)(a >> 8) == 0)
		return "an IETF protocol assignment address";
	if (b0 == 198 && (b1 & 0xfe) == 18)
		return "a benchmarking address";
	return NULL;
}

const char *net_address_class(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return v4_class(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family != AF_INET6)
		return "not an IP address";
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
	const uint8_t *b = in6->sin6_addr.s6_addr;
	static const uint8_t zero[16];
	if (memcmp(b, zero, 15) == 0 && b[15] == 1)
		return "a loopback address";
	if (memcmp(b, zero, 16) == 0)
		return "the unspecified address";
	/* ::ffff:a.b.c.d and the NAT64 prefix 64:ff9b::/96 carry an IPv4 address */
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b};
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_class((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	if ((b[0] & 0xfe) == 0xfc)
		return "a private (unique local) address";
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return "a link-local address";
	if (b[0] == 0xff)
		return "a multicast address";
	return NULL;
}

bool net_host_allowed(const lading_ctx *ctx, const char *host, int port)
{
	const char *list = ctx->opt.allowed_hosts;
	if (!list || !*list)
		return false;
	sv l = sv_cstr(list), h = sv_cstr(host);
	/* accept "[::1]" and "::1" as the same host */
	sv bare = h.n > 2 && h.p[0] == '[' ? sv_make(h.p + 1, h.n - 2) : h;
	while (l.n) {
		sv e = sv_trim(sv_split(&l, ','));
		if (!e.n)
			continue;
		sv eh = e;
		int eport = 0;
		size_t close = eh.p[0] == '[' ? sv_find(eh, ']') : SIZE_MAX;
		size_t colon = close != SIZE_MAX ? (close + 1 < eh.n && eh.p[close + 1] == ':' ? close + 1 : SIZE_MAX)
						 : sv_find(eh, ':');
		if (colon != SIZE_MAX) {
			uint64_t v;
			if (!sv_to_u64(sv_make(eh.p + colon + 1, eh.n - colon - 1), &v) || v > 65535)
				continue;
			eport = (int)v;
			eh.n = colon;
		}
		sv ebare = eh.n > 2 && eh.p[0] == '[' ? sv_make(eh.p + 1, eh.n - 2) : eh;
		if (sv_ieq_sv(ebare, bare) && (eport == 0 || eport == port))
			return true;
	}
	return false;
}

static void describe(const struct sockaddr *sa, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip, sizeof(ip));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip, sizeof(ip));
	snprintf(out, cap, "%s", ip);
}

int net_check_host(lading_ctx *ctx, const char *host, int port, const char *what)
{
	if (ctx->opt.allow_private_addresses || net_host_allowed(ctx, host, port))
		return 0;
	char name[300];
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[')
		snprintf(name, sizeof(name), "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(name, sizeof(name), "%s", host);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
	char portstr[16];
	snprintf(portstr, sizeof(portstr), "%d", port);
	int g = getaddrinfo(name, portstr, &hints, &res);
	if (g != 0)
		return ctx_fail(ctx, LADING_ENETWORK, "net.dns", CTX_WHERE(.source = host), "%s: cannot resolve %s: %s",
				what, host, gai_strerror(g));
	int rc = 0;
	for (struct addrinfo *a = res; a && !rc; a = a->ai_next) {
		const char *cls = net_address_class(a->ai_addr);
		if (!cls)
			continue;
		char ip[INET6_ADDRSTRLEN];
		describe(a->ai_addr, ip, sizeof(ip));
		rc = ctx_fail(ctx, LADING_EPOLICY, "net.address_denied", CTX_WHERE(.source = host),
			      "%s: %s resolves to %s, %s, which the options do not allow", what, host, ip, cls);
	}
	freeaddrinfo(res);
	return rc;
}

/* The guard: curl asks us for every socket it connects (redirects, token
 * realms, every address a name resolves to), after resolution, so a name that
 * resolves to 127.0.0.1 or 169.254.169.254 is caught however it was reached. */
static curl_socket_t guard_open(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	net_xfer *x = ud;
	(void)purpose;
	const lading_options *o = &x->ctx->opt;
	const char *cls = (o->allow_private_addresses || o->proxy) ? NULL : net_address_class(&a->addr);
	if (cls) {
		const char *eff = NULL;
		char host[300];
		int port = 0;
		lcurl()->easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
		if (!(eff && net_url_host(eff, host, sizeof(host), &port) && net_host_allowed(x->ctx, host, port))) {
			char ip[INET6_ADDRSTRLEN];
			describe(&a->addr, ip, sizeof(ip));
			snprintf(x->refused, sizeof(x->refused), "%s is %s, which the options do not allow",
				 ip, cls);
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* ---- a transfer ------------------------------------------------------------------ */

void net_setup(net_xfer *x, const char *url, const net_limits *lim, bool plain_redirects)
{
	const curl_api *c = lcurl();
	CURL *e = x->easy;
	const lading_options *o = &x->ctx->opt;
	x->errbuf[0] = 0;
	x->refused[0] = 0;
	c->easy_setopt(e, CURLOPT_URL, url);
	c->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	c->easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, plain_redirects ? "http,https" : "https");
	c->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	c->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, lim->connect_ms);
	c->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, lim->stall_bps);
	c->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, lim->stall_s);
	if (lim->timeout_ms)
		c->easy_setopt(e, CURLOPT_TIMEOUT_MS, lim->timeout_ms);
	if (lim->max_size)
		c->easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_size);
	c->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, x->insecure ? 0L : 1L);
	c->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, x->insecure ? 0L : 2L);
	if (o->ca_bundle && *o->ca_bundle)
		c->easy_setopt(e, CURLOPT_CAINFO, o->ca_bundle);
	/* "" switches off libcurl's own reading of http_proxy and friends */
	c->easy_setopt(e, CURLOPT_PROXY, o->proxy ? o->proxy : "");
	if (o->no_proxy)
		c->easy_setopt(e, CURLOPT_NOPROXY, o->no_proxy);
	c->easy_setopt(e, CURLOPT_USERAGENT, "lading/" LADING_VERSION);
	c->easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	c->easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, guard_open);
	c->easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
}

CURLcode net_perform(net_xfer *x)
{
	const curl_api *c = lcurl();
	if (ctx_check(x->ctx))
		return CURLE_ABORTED_BY_CALLBACK;
	CURLM *m = c->multi_init();
	if (!m)
		return CURLE_OUT_OF_MEMORY;
	CURLcode result = CURLE_OK;
	if (c->multi_add_handle(m, x->easy) != CURLM_OK) {
		c->multi_cleanup(m);
		return CURLE_OUT_OF_MEMORY;
	}
	for (;;) {
		int running = 0;
		if (c->multi_perform(m, &running) != CURLM_OK) {
			result = CURLE_OUT_OF_MEMORY;
			break;
		}
		if (!running) {
			int left;
			CURLMsg *msg;
			result = CURLE_GOT_NOTHING;
			while ((msg = c->multi_info_read(m, &left)) != NULL)
				if (msg->msg == CURLMSG_DONE && msg->easy_handle == x->easy)
					result = msg->data.result;
			break;
		}
		if (ctx_check(x->ctx)) {
			result = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		c->multi_poll(m, NULL, 0, 20, NULL);
	}
	c->multi_remove_handle(m, x->easy);
	c->multi_cleanup(m);
	return result;
}

int net_code(const net_xfer *x, CURLcode cc, long status, const char **reason)
{
	const char *r = "net.other";
	int code = LADING_ENETWORK;
	if (cc == CURLE_OK) {
		switch (status) {
		case 401: code = LADING_EAUTH, r = "http.unauthorized"; break;
		case 403: code = LADING_EDENIED, r = "http.forbidden"; break;
		case 404:
		case 410: code = LADING_ENOTFOUND, r = "http.not_found"; break;
		case 408: code = LADING_ETIMEOUT, r = "http.timeout"; break;
		case 429: code = LADING_ENETWORK, r = "http.rate_limited"; break;
		default:
			if (status >= 500)
				code = LADING_ENETWORK, r = "http.server_error";
			else
				code = LADING_ETARGET, r = "http.status";
		}
	} else if (x && x->refused[0]) {
		code = LADING_EPOLICY, r = "net.address_denied";
	} else {
		switch (cc) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY: r = "net.dns"; break;
		case CURLE_COULDNT_CONNECT: r = "net.connect"; break;
		case CURLE_OPERATION_TIMEDOUT: code = LADING_ETIMEOUT, r = "net.timeout"; break;
		case CURLE_PEER_FAILED_VERIFICATION: code = LADING_ECERT, r = "tls.certificate"; break;
		case CURLE_SSL_CONNECT_ERROR: code = LADING_ECERT, r = "tls.handshake"; break;
		case CURLE_SSL_CACERT_BADFILE:
		case CURLE_SSL_CERTPROBLEM: code = LADING_ECERT, r = "tls.ca_bundle"; break;
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM: r = "net.broken"; break;
		case CURLE_TOO_MANY_REDIRECTS: code = LADING_ETARGET, r = "http.redirects"; break;
		case CURLE_UNSUPPORTED_PROTOCOL: code = LADING_EPOLICY, r = "http.protocol"; break;
		case CURLE_FILESIZE_EXCEEDED: code = LADING_ELIMIT, r = "net.too_large"; break;
		case CURLE_ABORTED_BY_CALLBACK: code = LADING_ECANCELLED, r = "cancelled"; break;
		case CURLE_OUT_OF_MEMORY: code = LADING_ENOMEM, r = "nomem"; break;
		default: break;
		}
	}
	if (reason)
		*reason = r;
	return code;
}

const char *net_why(const net_xfer *x, CURLcode cc)
{
	if (x && x->refused[0])
		return x->refused;
	if (x && x->errbuf[0])
		return x->errbuf;
	return lcurl()->easy_strerror(cc);
}

bool net_transient(const net_xfer *x, CURLcode cc, long status)
{
	if (x && x->refused[0])
		return false;
	if (cc == CURLE_OK)
		return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
		       status == 504;
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM: return true;
	default: return false;
	}
}

uint64_t net_backoff_ms(uint64_t base_ms, int retry, long retry_after, uint64_t cap_ms)
{
	uint64_t d = base_ms > cap_ms ? cap_ms : base_ms;
	for (int i = 1; i < retry && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	if (retry_after >= 0) {
		uint64_t ra = (uint64_t)retry_after * 1000;
		if (ra > cap_ms)
			ra = cap_ms;
		if (ra > d)
			d = ra;
	}
	return d;
}

/* ---- response headers ------------------------------------------------------------ */

void net_hdr_init(net_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->retry_after = -1;
}

bool net_header_value_ok(sv v, size_t max)
{
	if (v.n == 0 || v.n >= max)
		return false;
	for (size_t i = 0; i < v.n; i++)
		if ((unsigned char)v.p[i] < 0x20 || (unsigned char)v.p[i] > 0x7e)
			return false;
	return true;
}

static void copy_value(char *out, size_t cap, sv v)
{
	if (net_header_value_ok(v, cap)) {
		memcpy(out, v.p, v.n);
		out[v.n] = 0;
	} else {
		out[0] = 0;
	}
}

/* An HTTP-date (RFC 9110, 5.6.7) as seconds since the epoch, -1 if it is
 * none: the IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" senders must use, and
 * the obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime
 * "Sun Nov  6 08:49:37 1994" forms recipients must accept. */
static time_t http_date(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = "", gmt[4] = "";
	int d = 0, y = 0, H = 0, M = 0, S = 0, end = 0;
	if (sscanf(s, "%*[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3s%n", &d, mon, &y, &H, &M, &S, gmt, &end) == 7 &&
	    !s[end] && strcmp(gmt, "GMT") == 0) {
	} else if (sscanf(s, "%*[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d %3s%n", &d, mon, &y, &H, &M, &S, gmt, &end) ==
			   7 &&
		   !s[end] && strcmp(gmt, "GMT") == 0) {
		y += y < 70 ? 2000 : 1900; /* RFC 9110: a two-digit year more than 50 years ahead is in the past */
	} else if (sscanf(s, "%*[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", mon, &d, &H, &M, &S, &y, &end) == 6 &&
		   !s[end]) {
	} else {
		return -1;
	}
	const char *m = strlen(mon) == 3 ? strstr(months, mon) : NULL;
	if (!m || (m - months) % 3 || d < 1 || d > 31 || y < 1970 || H > 23 || M > 59 || S > 60)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = (int)(m - months) / 3, .tm_mday = d, .tm_hour = H,
			.tm_min = M, .tm_sec = S};
	return timegm(&tm);
}

void net_hdr_line(net_hdr *h, sv line, time_t now)
{
	while (line.n && (line.p[line.n - 1] == '\n' || line.p[line.n - 1] == '\r'))
		line.n--;
	if (sv_starts_with(line, SV_LIT("HTTP/"))) {
		/* "HTTP/1.1 404 Not Found", "HTTP/2 200" */
		net_hdr_init(h);
		sv rest = line;
		sv_split(&rest, ' ');
		sv code = sv_split(&rest, ' ');
		uint64_t v;
		if (code.n == 3 && sv_to_u64(code, &v) && v >= 100)
			h->status = (long)v;
		rest = sv_trim(rest);
		if (rest.n >= sizeof(h->reason))
			rest.n = sizeof(h->reason) - 1;
		copy_value(h->reason, sizeof(h->reason), rest);
		return;
	}
	size_t colon = sv_find(line, ':');
	if (colon == SIZE_MAX)
		return;
	sv key = sv_trim(sv_make(line.p, colon));
	sv val = sv_trim(sv_make(line.p + colon + 1, line.n - colon - 1));
	if (sv_ieq(key, "etag")) {
		copy_value(h->etag, sizeof(h->etag), val);
	} else if (sv_ieq(key, "last-modified")) {
		copy_value(h->last_modified, sizeof(h->last_modified), val);
	} else if (sv_ieq(key, "retry-after")) {
		uint64_t secs;
		char date[NET_DATE_MAX];
		h->retry_after = -1;
		if (sv_to_u64(val, &secs)) {
			h->retry_after = secs > 86400 ? 86400 : (long)secs;
		} else if (net_header_value_ok(val, sizeof(date))) {
			copy_value(date, sizeof(date), val);
			time_t t = http_date(date);
			if (t != (time_t)-1)
				h->retry_after = t <= now ? 0 : (t - now > 86400 ? 86400 : (long)(t - now));
		}
	}
}
