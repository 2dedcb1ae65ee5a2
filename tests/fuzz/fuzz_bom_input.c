/* libFuzzer harness for reading a BOM from memory (lading_bom_read: our own
 * JSON through src/bomin.c, CycloneDX through src/sbomin.c). Whatever reads
 * must read back losslessly: its JSON rendering, read again and rendered
 * again, gives the same bytes, or the harness aborts. Seeds are lading's own
 * output on corpus images (tests/fuzz/seed.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The JSON rendering of what `data` reads as, or NULL when it does not read. */
static char *read_render(lading_ctx *ctx, const void *data, size_t size, size_t *len)
{
	lading_inventory *inv = NULL;
	char *out = NULL;
	if (lading_bom_read(&inv, ctx, data, size) == 0 &&
	    lading_report_render(&out, len, inv, LADING_FMT_JSON, NULL) != 0)
		out = NULL;
	lading_inventory_free(inv);
	return out;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, NULL))
		return 0;
	size_t n1 = 0, n2 = 0;
	char *first = read_render(ctx, data, size, &n1);
	if (first) {
		char *second = read_render(ctx, first, n1, &n2);
		if (!second) {
			fprintf(stderr, "our own rendering did not read back: %s\n", lading_ctx_error(ctx));
			abort();
		}
		if (n1 != n2 || memcmp(first, second, n1) != 0) {
			fprintf(stderr, "read back, the rendering changed (%zu and %zu bytes)\n", n1, n2);
			abort();
		}
		free(second);
	}
	free(first);
	lading_ctx_free(ctx);
	return 0;
}
