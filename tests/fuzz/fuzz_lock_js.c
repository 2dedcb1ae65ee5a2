/* libFuzzer harness for the lockfile parsers of src/catalog/lock_js.c: package-lock.json, yarn.lock,
 * pnpm-lock.yaml. The first input byte chooses the format (modulo the number of formats); the rest is the
 * file's content, handed to that cataloger's parse() as the walk would. Seeds: a real lockfile prefixed with
 * its format's byte. */
#include "fuzz_file.h"

static const fuzz_format formats[] = {
    {&file_cataloger_npm_lock, "/app/package-lock.json"},
    {&file_cataloger_yarn_lock, "/app/yarn.lock"},
    {&file_cataloger_pnpm_lock, "/app/pnpm-lock.yaml"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_file_pick(formats, sizeof(formats) / sizeof(formats[0]), data, size);
}
