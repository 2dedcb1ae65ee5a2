/* Reading what a caller names by path for the filters (an ignore file, a
 * VEX document): bounded by max_file_size, and failures told the same way
 * for both. Not the image: util's file_read_all, never the walk. */
#include <errno.h>
#include <stdio.h>

#include "ctx.h"
#include "match/match_priv.h"

int match_read_input(buf *out, lading_ctx *ctx, const char *path, const char *what, const char *unreadable)
{
	const char *type = NULL;
	if (file_read_all(out, path, ctx->opt.max_file_size, &type) == 0)
		return 0;
	if (errno == EFBIG)
		return ctx_fail(ctx, LADING_ELIMIT, "limit.file_size", CTX_WHERE(.file = path),
				"%s: %s is larger than the largest file read (%llu bytes)", path, what,
				(unsigned long long)ctx->opt.max_file_size);
	if (errno == ENOMEM)
		return -LADING_ENOMEM;
	return ctx_fail(ctx, LADING_EIO, unreadable, CTX_WHERE(.file = path, .sys_errno = errno),
			"%s: cannot open %s: %s", path, what, type ? type : strerror(errno));
}
