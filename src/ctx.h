/* The library context: options with defaults applied, the last error and the
 * diagnostics sink. Everything a scan needs hangs off it; there is no global
 * mutable state, so independent contexts may scan on different threads. */
#ifndef LADING_CTX_H
#define LADING_CTX_H

#include <pthread.h>

#include "lading/lading.h"

struct lading_ctx {
	lading_options opt;     /* with defaults filled in */
	char err[2048];         /* detail of the last failure */
	pthread_mutex_t mu;     /* serialises log/progress callbacks and err */
};

/* Records the detail of a failure and returns -code, so that callers can write
 * `return ctx_error(ctx, LADING_EFORMAT, "layer %d: …", i);`. Thread-safe. */
int ctx_error(lading_ctx *ctx, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sends a diagnostic to the log callback, if any. Thread-safe. */
void ctx_log(lading_ctx *ctx, lading_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ctx_progress(lading_ctx *ctx, int layer, uint64_t done, uint64_t total);
/* Where large files are spooled: opt.tmp_dir, or $TMPDIR / /tmp without a
 * context (tests and fuzzers call catalogers with none). */
const char *ctx_tmp_dir(const lading_ctx *ctx);

#endif
