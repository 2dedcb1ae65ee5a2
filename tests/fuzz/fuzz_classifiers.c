/* libFuzzer harness for the binary classifiers: the first byte picks the
 * file name (which decides the candidate rules, including the file-name
 * version of the Python rule), the rest is the file's bytes. */
#include <stddef.h>
#include <stdint.h>

#include "catalog/classify.h"

static int sink(void *ud, const classify_match *m)
{
	(void)ud;
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
	if (size < 1)
		return 0;
	const char *path = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	classify_scan(path, sv_make(data + 1, size - 1), sink, NULL);
	return 0;
}
