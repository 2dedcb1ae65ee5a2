/* The cataloger table and the helpers every cataloger shares. */
#include "catalog/catalog.h"

#include <stdarg.h>
#include <stdio.h>

#include "ctx.h"

const cataloger *const lading_catalogers[] = {
	&cataloger_os_release,
	&cataloger_dpkg,
	&cataloger_apk,
	&cataloger_rpm,
};
const size_t lading_ncatalogers = sizeof(lading_catalogers) / sizeof(lading_catalogers[0]);

static bool claim_match(const cat_claim *c, const char *path, size_t len)
{
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

void cat_warn(cat_run *run, const char *fmt, ...)
{
	if (!run->warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	inv_warn(run->inv, "%s", msg);
	if (run->ctx)
		ctx_log(run->ctx, LADING_LOG_WARN, "%s", msg);
}
