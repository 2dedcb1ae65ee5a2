/* The cataloger tables, in the order they run, and the lookups the walk and
 * the driver make over them (which cataloger claims a path). A cataloger is
 * one file and one row here. */
#include "catalog/catalog.h"

#include <string.h>

const cataloger *const lading_catalogers[] = {
	&cataloger_os_release,
	&cataloger_dpkg,
	&cataloger_apk,
	&cataloger_rpm,
};
const size_t lading_ncatalogers = sizeof(lading_catalogers) / sizeof(lading_catalogers[0]);

/* First match wins for path claims, so specific names come before general
 * patterns. */
const file_cataloger *const lading_file_catalogers[] = {
	&file_cataloger_npm,          &file_cataloger_python,       &file_cataloger_gem,
	&file_cataloger_composer,     &file_cataloger_dotnet,       &file_cataloger_npm_lock,
	&file_cataloger_yarn_lock,    &file_cataloger_pnpm_lock,    &file_cataloger_poetry_lock,
	&file_cataloger_pipfile_lock, &file_cataloger_uv_lock,      &file_cataloger_requirements,
	&file_cataloger_gemfile_lock, &file_cataloger_composer_lock, &file_cataloger_cargo_lock,
	&file_cataloger_java,         &file_cataloger_binary,
};
const size_t lading_nfile_catalogers = sizeof(lading_file_catalogers) / sizeof(lading_file_catalogers[0]);

bool catalog_claims(const cataloger *c, const char *path, size_t len)
{
	for (size_t i = 0; i < lading_ncatalogers; i++) {
		const cataloger *k = lading_catalogers[i];
		if (c && k != c)
			continue;
		for (size_t j = 0; j < k->nclaims; j++)
			if (claim_match(&k->claims[j], path, len))
				return true;
	}
	return false;
}

const file_cataloger *file_catalog_for(const char *path, size_t len)
{
	for (size_t i = 0; i < lading_nfile_catalogers; i++) {
		const file_cataloger *k = lading_file_catalogers[i];
		for (size_t j = 0; j < k->nclaims; j++)
			if (claim_match(&k->claims[j], path, len))
				return k;
	}
	return NULL;
}

const file_cataloger *file_catalog_sniff(const char *path, sv head, uint32_t mode, uint64_t size)
{
	for (size_t i = 0; i < lading_nfile_catalogers; i++) {
		const file_cataloger *k = lading_file_catalogers[i];
		if (k->sniff && size <= k->max_size && k->sniff(path, head, mode, size))
			return k;
	}
	return NULL;
}

bool file_catalog_sniffs(void)
{
	for (size_t i = 0; i < lading_nfile_catalogers; i++)
		if (lading_file_catalogers[i]->sniff)
			return true;
	return false;
}
