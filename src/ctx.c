/* Context creation, defaults, errors and diagnostics. */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static void reset_locked(lading_ctx *ctx)
{
	ctx->failed = false;
	ctx->err_msg[0] = 0;
	ctx->err = (lading_error){.layer = -1, .message = ctx->err_msg};
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
	if (ctx->opt.threads > LADING_MAX_THREADS) {
		free(ctx);
		return -LADING_EINVAL;
	}
	if (ctx->opt.threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		ctx->opt.threads = n < 1 ? 1 : n > LADING_MAX_THREADS ? LADING_MAX_THREADS : (int)n;
	}
	if (!ctx->opt.tmp_dir || !*ctx->opt.tmp_dir)
		ctx->opt.tmp_dir = ctx_tmp_dir(NULL);
	pthread_mutex_init(&ctx->mu, NULL);
	reset_locked(ctx);
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

const char *ctx_tmp_dir(const lading_ctx *ctx) { return ctx ? ctx->opt.tmp_dir : "/tmp"; }

void lading_ctx_cancel(lading_ctx *ctx)
{
	if (ctx)
		atomic_store(&ctx->cancelled, 1);
}

int lading_ctx_is_cancelled(const lading_ctx *ctx) { return ctx ? atomic_load(&ctx->cancelled) : 0; }

uint64_t ctx_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ctx_begin(lading_ctx *ctx)
{
	if (!ctx)
		return;
	ctx_error_reset(ctx);
	ctx->deadline = ctx->opt.timeout_ms ? ctx_now_ms() + ctx->opt.timeout_ms : 0;
}

uint64_t ctx_ms_left(const lading_ctx *ctx)
{
	if (!ctx || !ctx->deadline)
		return UINT64_MAX;
	uint64_t now = ctx_now_ms();
	return now >= ctx->deadline ? 0 : ctx->deadline - now;
}

int ctx_check(lading_ctx *ctx)
{
	if (!ctx)
		return 0;
	if (atomic_load_explicit(&ctx->cancelled, memory_order_relaxed))
		return ctx_fail(ctx, LADING_ECANCELLED, "cancelled", NULL, "cancelled by the caller");
	if (ctx->deadline && ctx_now_ms() >= ctx->deadline)
		return ctx_fail(ctx, LADING_ETIMEOUT, "deadline", NULL, "the call's time limit of %.1f s passed",
				(double)ctx->opt.timeout_ms / 1000.0);
	return 0;
}

int ctx_sleep(lading_ctx *ctx, uint64_t ms)
{
	uint64_t end = ctx_now_ms() + ms;
	if (ctx && ctx->deadline && end > ctx->deadline) {
		/* waiting would only end past the deadline: fail now */
		ctx->deadline = ctx_now_ms();
		return ctx_check(ctx);
	}
	for (;;) {
		int rc = ctx_check(ctx);
		if (rc)
			return rc;
		uint64_t now = ctx_now_ms();
		if (now >= end)
			return 0;
		uint64_t step = end - now < 20 ? end - now : 20;
		struct timespec ts = {0, (long)step * 1000000L};
		nanosleep(&ts, NULL);
	}
}

const char *lading_ctx_error(const lading_ctx *ctx) { return ctx ? ctx->err_msg : ""; }

const lading_error *lading_ctx_last_error(const lading_ctx *ctx) { return ctx ? &ctx->err : NULL; }

/* Copies an optional string into its slot; the view points at the slot. */
static void put_field(const char **view, char *slot, size_t cap, const char *v)
{
	if (!v || *view)
		return;
	snprintf(slot, cap, "%s", v);
	*view = slot;
}

static void put_where(lading_ctx *ctx, const ctx_where *w)
{
	lading_error *e = &ctx->err;
	if (!w)
		return;
	if (e->layer < 0 && w->layer >= 0)
		e->layer = w->layer;
	put_field(&e->digest, ctx->err_digest, sizeof(ctx->err_digest), w->digest);
	put_field(&e->path, ctx->err_path, sizeof(ctx->err_path), w->path);
	put_field(&e->file, ctx->err_file, sizeof(ctx->err_file), w->file);
	put_field(&e->source, ctx->err_source, sizeof(ctx->err_source), w->source);
	put_field(&e->record, ctx->err_record, sizeof(ctx->err_record), w->record);
	if (!e->http_status)
		e->http_status = w->http_status;
	if (!e->sys_errno)
		e->sys_errno = w->sys_errno;
}

void ctx_error_reset(lading_ctx *ctx)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&ctx->mu);
	reset_locked(ctx);
	pthread_mutex_unlock(&ctx->mu);
}

int ctx_fail(lading_ctx *ctx, int code, const char *reason, const ctx_where *where, const char *fmt, ...)
{
	pthread_mutex_lock(&ctx->mu);
	if (!ctx->failed) {
		ctx->failed = true;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ctx->err_msg, sizeof(ctx->err_msg), fmt, ap);
		va_end(ap);
		ctx->err.code = code;
		ctx->err.reason = reason;
		put_where(ctx, where);
	}
	pthread_mutex_unlock(&ctx->mu);
	return -code;
}

void ctx_error_add(lading_ctx *ctx, const ctx_where *where, const char *fmt, ...)
{
	pthread_mutex_lock(&ctx->mu);
	if (ctx->failed) {
		if (fmt) {
			size_t n = strlen(ctx->err_msg);
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ctx->err_msg + n, sizeof(ctx->err_msg) - n, fmt, ap);
			va_end(ap);
		}
		put_where(ctx, where);
	}
	pthread_mutex_unlock(&ctx->mu);
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
	int stop = ctx->opt.progress(ctx->opt.progress_userdata, layer, done, total);
	pthread_mutex_unlock(&ctx->mu);
	if (stop)
		lading_ctx_cancel(ctx);
}
