/* libFuzzer harness for image reference parsing (src/image/reference.c):
 * any bytes, parsed as a reference; a reference that parses must format
 * back to text that parses to the same reference. */
#include <stdlib.h>

#include "image/registry.h"
#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	image_ref r, again;
	if (ref_parse(&r, sv_make(data, size), NULL) != 0)
		return 0;
	buf b = {0};
	if (ref_format(&b, &r) == 0) {
		if (ref_parse(&again, sv_make(b.p, b.n), NULL) != 0)
			abort(); /* what we print must be a reference */
		if (strcmp(again.domain, r.domain) || strcmp(again.repository, r.repository) ||
		    (r.tag && (!again.tag || strcmp(again.tag, r.tag))) ||
		    (r.digest && (!again.digest || strcmp(again.digest, r.digest))))
			abort();
		ref_free(&again);
	}
	(void)ref_api_host(&r);
	(void)ref_host_is_loopback(r.domain);
	buf_free(&b);
	ref_free(&r);
	return 0;
}
