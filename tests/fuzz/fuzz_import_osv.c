/* libFuzzer harness for the OSV importer (src/vulndb/import_osv.c): the input
 * is written to a private temporary file and imported into a temporary
 * database. The first byte picks the file's kind (JSON, PyPA YAML or zip), the
 * rest is the content. */
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
		snprintf(dir, sizeof(dir), "/tmp/lading-fuzz-osv-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	if (size < 1)
		return 0;
	static const char *const ext[] = {"json", "yaml", "zip"};
	char in[128], db[128];
	snprintf(in, sizeof(in), "%s/in.%s", dir, ext[data[0] % 3]);
	snprintf(db, sizeof(db), "%s/v.db", dir);
	FILE *f = fopen(in, "wb");
	if (!f)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, NULL) == 0) {
		lading_import_stats st;
		lading_vulndb_import(&st, ctx, db, in, LADING_FEED_OSV);
		lading_ctx_free(ctx);
	}
	unlink(in);
	unlink(db);
	return 0;
}
