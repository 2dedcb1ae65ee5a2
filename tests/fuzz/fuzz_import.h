/* The body shared by the fuzz_import_<feed>.c harnesses: the input is written
 * to a file of the given name in a private temporary directory and imported
 * through the public lading_vulndb_import() into a temporary database; both
 * files are removed after every run, so that runs do not see each other. The
 * context holds no state between imports but the last error text, so one
 * serves the whole process. */
#ifndef LADING_FUZZ_IMPORT_H
#define LADING_FUZZ_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lading/lading.h"
#include "lading/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* `feed` names the temporary directory, `file` the input file in it (some
 * importers tell formats apart by the name). */
static int fuzz_import(const uint8_t *data, size_t size, const char *feed, const char *file,
		       lading_feed_type type)
{
	static char dir[64];
	static lading_ctx *ctx;
	if (!ctx) {
		snprintf(dir, sizeof(dir), "/tmp/lading-fuzz-%s-XXXXXX", feed);
		if (!mkdtemp(dir) || lading_ctx_new(&ctx, NULL))
			abort();
	}
	char in[128], db[128];
	snprintf(in, sizeof(in), "%s/%s", dir, file);
	snprintf(db, sizeof(db), "%s/v.db", dir);
	FILE *f = fopen(in, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	lading_import_stats st;
	lading_vulndb_import(&st, ctx, db, in, type);
	unlink(db);
	unlink(in);
	return 0;
}

#endif
