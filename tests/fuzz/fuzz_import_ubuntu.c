/* libFuzzer harness for the ubuntu feed importer (src/vulndb/import_ubuntu.c). The
 * input is written to a private temporary file and imported through the
 * public lading_vulndb_import() into a temporary database, which is removed
 * after every run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lading/lading.h"
#include "lading/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64], in[128], db[128];
	static lading_ctx *ctx;
	if (!ctx) {
		snprintf(dir, sizeof(dir), "/tmp/lading-fuzz-ubuntu-XXXXXX");
		if (!mkdtemp(dir) || lading_ctx_new(&ctx, NULL))
			abort();
		snprintf(in, sizeof(in), "%s/CVE-2099-0001", dir);
		snprintf(db, sizeof(db), "%s/v.db", dir);
	}
	FILE *f = fopen(in, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	lading_import_stats st;
	lading_vulndb_import(&st, ctx, db, in, LADING_FEED_UBUNTU);
	unlink(db);
	unlink(in);
	return 0;
}
