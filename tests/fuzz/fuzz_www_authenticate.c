/* libFuzzer harness for the registry client's parsers of server-sent text
 * (src/image/registry.c): the input, split at the first NUL byte, is a
 * WWW-Authenticate header value, and the text of a docker config.json looked
 * up for a few hosts. */
#include <string.h>

#include "image/registry.h"
#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sv in = sv_make(data, size);
	sv header = sv_split(&in, '\0');
	www_auth w;
	if (www_auth_parse(&w, header) == 0)
		www_auth_free(&w);
	static const char *const hosts[] = {"docker.io", "127.0.0.1:5000", "ghcr.io"};
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		docker_creds c;
		if (docker_config_find(&c, in, hosts[i]) == 0)
			docker_creds_free(&c);
	}
	return 0;
}
