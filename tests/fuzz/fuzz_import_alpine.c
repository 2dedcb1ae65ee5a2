/* libFuzzer harness for the Alpine secdb importer (src/vulndb/import_alpine.c):
 * the input (JSON or YAML, told apart by the importer from the content) is
 * written to a private temporary file and imported into a temporary database. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/lading-fuzz-alpine-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	char in[128], db[128];
	snprintf(in, sizeof(in), "%s/main.yaml", dir);
	snprintf(db, sizeof(db), "%s/v.db", dir);
	FILE *f = fopen(in, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, NULL) == 0) {
		lading_import_stats st;
		lading_vulndb_import(&st, ctx, db, in, LADING_FEED_ALPINE_SECDB);
		lading_ctx_free(ctx);
	}
	unlink(in);
	unlink(db);
	return 0;
}
