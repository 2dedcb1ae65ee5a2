/* libFuzzer harness for the lockfile parsers of src/catalog/lock_python.c: poetry.lock, Pipfile.lock,
 * uv.lock, requirements.txt. The first input byte chooses the format (modulo the number of formats); the rest
 * is the file's content, handed to that cataloger's parse() as the walk would. Seeds: a real lockfile
 * prefixed with its format's byte. */
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const file_cataloger *fc;
	const char *path;
} formats[] = {
    {&file_cataloger_poetry_lock, "/app/poetry.lock"},
    {&file_cataloger_pipfile_lock, "/app/Pipfile.lock"},
    {&file_cataloger_uv_lock, "/app/uv.lock"},
    {&file_cataloger_requirements, "/app/requirements.txt"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t k = data[0] % (sizeof(formats) / sizeof(formats[0]));
	lading_inventory *inv;
	if (inv_new(&inv))
		return 0;
	file_run run = {.inv = inv, .path = formats[k].path, .layer = 0};
	formats[k].fc->parse(&run, sv_make(data + 1, size - 1));
	inv_finish(inv);
	lading_inventory_free(inv);
	return 0;
}
