/* libFuzzer harness for the lockfile parsers of src/catalog/lock_python.c: poetry.lock, Pipfile.lock,
 * uv.lock, requirements.txt. The first input byte chooses the format (modulo the number of formats); the rest
 * is the file's content, handed to that cataloger's parse() as the walk would. Seeds: a real lockfile
 * prefixed with its format's byte. */
#include "fuzz_file.h"

static const fuzz_format formats[] = {
    {&file_cataloger_poetry_lock, "/app/poetry.lock"},
    {&file_cataloger_pipfile_lock, "/app/Pipfile.lock"},
    {&file_cataloger_uv_lock, "/app/uv.lock"},
    {&file_cataloger_requirements, "/app/requirements.txt"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_file_pick(formats, sizeof(formats) / sizeof(formats[0]), data, size);
}
