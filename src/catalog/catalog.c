/* The helpers every cataloger shares. The table of catalogers and the
 * lookups over it are in table.c, above the catalogers: dependencies run
 * table.c -> the catalogers -> this file. */
#include "catalog/catalog.h"

#include <stdarg.h>
#include <stdio.h>

#include "ctx.h"
#include "fs/fsview.h"

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
