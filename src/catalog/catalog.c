/* The cataloger table and the helpers every cataloger shares. */
#include "catalog/catalog.h"

#include <stdarg.h>
#include <stdio.h>

#include "ctx.h"
#include "image/fsview.h"

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

bool claim_match(const cat_claim *c, const char *path, size_t len)
{
	if (c->kind == CLAIM_SUFFIX) {
		size_t s = strlen(c->suffix);
		if (len < s || memcmp(path + len - s, c->suffix, s) != 0)
			return false;
		return !c->path || memmem(path, len, c->path, strlen(c->path)) != NULL;
	}
	size_t n = strlen(c->path);
	if (c->kind == CLAIM_EXACT)
		return len == n && memcmp(path, c->path, n) == 0;
	if (len <= n + 1 || memcmp(path, c->path, n) != 0 || path[n] != '/')
		return false;
	if (!c->suffix)
		return true;
	size_t s = strlen(c->suffix);
	return len - n - 1 >= s && memcmp(path + len - s, c->suffix, s) == 0;
}

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

void file_warn(file_run *run, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	inv_warn_at(run->inv,
		    &(lading_warning){.code = "catalog.file", .cataloger = run->cataloger, .layer = run->layer,
				      .path = run->path},
		    "%s: %s", run->path, msg);
}

void file_release(const file_run *run, size_t from, size_t to)
{
	if (run && run->blob)
		blob_release(run->blob, from, to);
}

json_t *file_json_object(file_run *run, sv data)
{
	json_error_t e;
	json_t *j = json_loadb(data.p, data.n, 0, &e);
	if (!j || !json_is_object(j)) {
		if (j)
			file_warn(run, "not a JSON object; skipped");
		else
			file_warn(run, "not valid JSON (line %d: %s); skipped", e.line, e.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

void cat_warn(cat_run *run, const char *fmt, ...)
{
	if (!run->warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* into the inventory only: a front end shows the inventory's warnings
	 * (logging them too printed every one twice) */
	inv_warn_at(run->inv, &(lading_warning){.code = "catalog.record", .cataloger = run->cataloger, .layer = -1},
		    "%s", msg);
}
