/* Context creation, defaults, errors and diagnostics. */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name, *text;
} error_names[LADING_ECOUNT] = {
	[LADING_OK] = {"ok", "success"},
	[LADING_ENOMEM] = {"nomem", "out of memory"},
	[LADING_EINVAL] = {"invalid", "invalid argument"},
	[LADING_EIO] = {"io", "input/output error"},
	[LADING_ETARGET] = {"target", "unreadable or invalid target"},
	[LADING_EFORMAT] = {"format", "malformed content"},
	[LADING_EDIGEST] = {"digest", "digest mismatch"},
	[LADING_ELIMIT] = {"limit", "size or count limit exceeded"},
	[LADING_ENOTFOUND] = {"not_found", "not found"},
	[LADING_EUNSUPP] = {"unsupported", "unsupported"},
	[LADING_EAUTH] = {"auth", "authentication required or refused"},
	[LADING_EDENIED] = {"denied", "access denied"},
	[LADING_ECERT] = {"certificate", "TLS certificate or handshake failure"},
	[LADING_ENETWORK] = {"network", "network failure"},
	[LADING_ETIMEOUT] = {"timeout", "timed out"},
	[LADING_ECANCELLED] = {"cancelled", "cancelled"},
	[LADING_EDB] = {"db", "vulnerability database unusable"},
	[LADING_EBUSY] = {"busy", "held by another writer"},
	[LADING_EPOLICY] = {"policy", "not allowed by policy"},
};

const char *lading_strerror(int err)
{
	unsigned e = (unsigned)(err < 0 ? -err : err);
	return e < LADING_ECOUNT ? error_names[e].text : "unknown error";
}

const char *lading_error_name(int err)
{
	unsigned e = (unsigned)(err < 0 ? -err : err);
	return e < LADING_ECOUNT ? error_names[e].name : "unknown";
}

int lading_ctx_new(lading_ctx **out, const lading_options *opts)
{
	*out = NULL;
	lading_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -LADING_ENOMEM;
	if (opts) {
		if (opts->struct_size == 0 || opts->struct_size > sizeof(lading_options)) {
			free(ctx);
			return -LADING_EINVAL;
		}
		memcpy(&ctx->opt, opts, opts->struct_size);
	}
	ctx->opt.struct_size = sizeof(lading_options);
	if (!ctx->opt.max_file_size)
		ctx->opt.max_file_size = 256ull << 20;
	if (!ctx->opt.max_image_size)
		ctx->opt.max_image_size = 64ull << 30;
	if (!ctx->opt.max_entries)
		ctx->opt.max_entries = 4000000;
	if (ctx->opt.threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		ctx->opt.threads = n < 1 ? 1 : n > 8 ? 8 : (int)n;
	}
	if (!ctx->opt.tmp_dir || !*ctx->opt.tmp_dir)
		ctx->opt.tmp_dir = ctx_tmp_dir(NULL);
	pthread_mutex_init(&ctx->mu, NULL);
	*out = ctx;
	return 0;
}

void lading_ctx_free(lading_ctx *ctx)
{
	if (!ctx)
		return;
	pthread_mutex_destroy(&ctx->mu);
	free(ctx);
}

const char *ctx_tmp_dir(const lading_ctx *ctx)
{
	if (ctx)
		return ctx->opt.tmp_dir;
	const char *t = secure_getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

const char *lading_ctx_error(const lading_ctx *ctx) { return ctx ? ctx->err : ""; }

int ctx_error(lading_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&ctx->mu);
	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&ctx->mu);
	return -code;
}

void ctx_log(lading_ctx *ctx, lading_log_level level, const char *fmt, ...)
{
	if (!ctx->opt.log)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&ctx->mu);
	ctx->opt.log(ctx->opt.log_userdata, level, msg);
	pthread_mutex_unlock(&ctx->mu);
}

void ctx_progress(lading_ctx *ctx, int layer, uint64_t done, uint64_t total)
{
	if (!ctx->opt.progress)
		return;
	pthread_mutex_lock(&ctx->mu);
	ctx->opt.progress(ctx->opt.progress_userdata, layer, done, total);
	pthread_mutex_unlock(&ctx->mu);
}
