/* libFuzzer harness for SBOM input (sbom:FILE): the input is written to a
 * private temporary file and read as a CycloneDX SBOM through lading_sbom(),
 * which exercises the JSON walk and the purl parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char path[64];
	if (!path[0]) {
		strcpy(path, "/tmp/lading-fuzz-sbom-XXXXXX");
		int fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	char target[80];
	snprintf(target, sizeof(target), "sbom:%s", path);
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, NULL))
		return 0;
	lading_inventory *inv = NULL;
	if (lading_sbom(&inv, ctx, target) == 0) {
		char *out;
		size_t len;
		if (lading_report_render(&out, &len, inv, LADING_FMT_JSON, NULL) == 0)
			free(out);
	}
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	return 0;
}
