/* libFuzzer harness for the text `lading db update` reads from outside: the
 * sources-file parser (lading_feed_list_parse), the --source and --only
 * arguments, and, since a feed server is just as untrusted, the response
 * header parser (net_hdr_line), the URL check and the download's local name
 * (src/vulndb/update.c). The whole input is one sources file; each of its
 * lines is also a --source spec, an HTTP header line and a URL. Whatever
 * the parser accepts must satisfy the list's invariants, checked here. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lading/lading.h"
#include "net/net.h"
#include "vulndb/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_list(const lading_feed_list *l)
{
	size_t n;
	const lading_feed_source *s = lading_feed_list_sources(l, &n);
	char why[256];
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(s[i].name);
		if (len == 0 || len > 64 || upd_url_check(s[i].url, why, sizeof(why)) != 0 ||
		    s[i].type < LADING_FEED_AUTO || s[i].type > LADING_FEED_UBUNTU)
			__builtin_trap();
		for (size_t j = 0; j < i; j++)
			if (strcmp(s[i].name, s[j].name) == 0)
				__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, NULL) != 0)
		return 0;
	lading_feed_list *l = NULL;
	size_t ndef;
	const lading_feed_source *def = lading_feed_defaults(&ndef);
	/* half the runs start from the built-in list, so duplicates are reached */
	if (lading_feed_list_new(&l, ctx, (size & 1) ? def : NULL, (size & 1) ? ndef : 0) != 0) {
		lading_ctx_free(ctx);
		return 0;
	}
	lading_feed_list_parse(l, ctx, "fuzz", (const char *)data, size);
	check_list(l);

	sv s = sv_make(data, size), line;
	net_hdr h;
	net_hdr_init(&h);
	int lines = 0;
	while (sv_next_line(&s, &line) && lines++ < 64) {
		net_hdr_line(&h, line, 1700000000);
		if (h.status != 0 && (h.status < 100 || h.status > 999))
			__builtin_trap();
		if (h.etag[0] && !net_header_value_ok(sv_cstr(h.etag), NET_ETAG_MAX))
			__builtin_trap();
		if (line.n > 4096)
			continue;
		char *c = malloc(line.n + 1);
		if (!c)
			break;
		memcpy(c, line.p, line.n);
		c[line.n] = 0; /* up to the first NUL, as argv would give it */
		lading_feed_list_set(l, ctx, c);
		check_list(l);
		char why[256], dir[64], base[128];
		upd_url_check(c, why, sizeof(why));
		upd_local_name(c, dir, base);
		if (!dir[0] || !base[0] || strchr(dir, '/') || strchr(base, '/') || strcmp(base, "..") == 0 ||
		    strcmp(dir, "..") == 0)
			__builtin_trap();
		/* a short line is also tried as --only (patterns are bounded to 128 bytes) */
		if (line.n <= 64 && !strpbrk(c, "*?["))
			lading_feed_list_only(l, ctx, c);
		check_list(l);
		free(c);
	}
	lading_feed_list_free(l);
	lading_ctx_free(ctx);
	return 0;
}
