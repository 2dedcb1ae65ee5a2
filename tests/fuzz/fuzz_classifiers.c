/* libFuzzer harness for the binary classifiers: the first byte picks the
 * file name (which decides the candidate rules, including the file-name
 * version of the Python rule), the second the window size, the rest is the
 * file's bytes. The one-pass memmem scan is the reference: the windowed and
 * SIMD scans must find the same (name, version) list, or the harness aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/classify.h"

typedef struct found {
	char text[4096];
	size_t n;
} found;

static int sink(void *ud, const classify_match *m)
{
	found *f = ud;
	int k = snprintf(f->text + f->n, sizeof(f->text) - f->n, "%s %s\n", m->name, m->version);
	if (k > 0 && (size_t)k < sizeof(f->text) - f->n)
		f->n += (size_t)k;
	return m->version[0] ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
	    "/usr/bin/openssl",	     "/usr/bin/python3.11",   "/usr/lib/libpython3.7m.so.1.0",
	    "/usr/local/bin/helm",   "/usr/sbin/nginx",	      "/usr/bin/java",
	    "/usr/local/go/VERSION", "/app/server",	      "/usr/bin/traefik",
	    "/usr/bin/vault",	     "/usr/bin/redis-server", "/usr/bin/envoy",
	    "/opt/jdk/release",	     "/usr/bin/grafana",      "/usr/bin/deno",
	    "/usr/bin/pilot-agent",
	};
	if (size < 2)
		return 0;
	const char *path = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	size_t chunk = data[1] < 128 ? (size_t)data[1] + 1 : (size_t)(data[1] - 127) * 4099;
	sv bytes = sv_make(data + 2, size - 2);
	found ref = {0}, win = {0}, one = {0};
	int r1 = classify_scan_how(path, bytes, 0, 0, sink, &ref);
	int r2 = classify_scan_how(path, bytes, chunk, 1, sink, &win);
	int r3 = classify_scan_how(path, bytes, 0, 1, sink, &one);
	if (r1 != r2 || r1 != r3 || ref.n != win.n || ref.n != one.n || memcmp(ref.text, win.text, ref.n) != 0 ||
	    memcmp(ref.text, one.text, ref.n) != 0) {
		fprintf(stderr, "memmem, one pass:\n%.*s---\nSIMD, window %zu:\n%.*s---\nSIMD, one pass:\n%.*s", (int)ref.n,
			ref.text, chunk, (int)win.n, win.text, (int)one.n, one.text);
		abort();
	}
	return 0;
}
