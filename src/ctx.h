/* The library context: options with defaults applied, the last error and the
 * diagnostics sink. Everything a scan needs hangs off it; there is no global
 * mutable state, so independent contexts may scan on different threads. */
#ifndef LADING_CTX_H
#define LADING_CTX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "lading/lading.h"

struct lading_ctx {
	lading_options opt;     /* with defaults filled in */
	atomic_int cancelled;   /* lading_ctx_cancel, or a progress callback's non-zero */
	uint64_t deadline;      /* CLOCK_MONOTONIC ms when the current call must end; 0 none */
	pthread_mutex_t mu;     /* serialises log/progress callbacks and the error */
	/* The first failure of the current call (curl's habit: later failures,
	 * often consequences of the first, are dropped), as the public view and
	 * the storage its strings point into. */
	lading_error err;
	bool failed;
	char err_msg[2048];
	char err_digest[80];
	char err_path[1024];
	char err_file[1024];
	char err_source[512];
	char err_record[256];
};

/* Where a failure happened, for the error object: every field optional
 * (layer -1, NULL strings, 0 numbers mean "not given"). */
typedef struct ctx_where {
	int layer;
	const char *digest;
	const char *path;   /* in the image or archive */
	const char *file;   /* on the host */
	const char *source; /* feed source, registry host */
	const char *record; /* advisory id, line */
	long http_status;
	int sys_errno;
} ctx_where;
#define CTX_WHERE(...) (&(const ctx_where){.layer = -1, __VA_ARGS__})
/* The same for a failure in layer `i`. */
#define CTX_LAYER(i, ...) (&(const ctx_where){.layer = (int)(i), __VA_ARGS__})

/* Records a failure and returns -code, so that callers can write
 * `return ctx_fail(ctx, LADING_EAUTH, "registry.unauthorized",
 * CTX_WHERE(.http_status = 401), "…", …);`. `reason` is a stable token
 * (docs/errors.md) or NULL; `where` may be NULL. Only the first failure of a
 * call is kept; later ones only return their code. Thread-safe. */
int ctx_fail(lading_ctx *ctx, int code, const char *reason, const ctx_where *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* ctx_fail without a reason or a place. */
#define ctx_error(ctx, code, ...) ctx_fail((ctx), (code), NULL, NULL, __VA_ARGS__)
/* Adds to the recorded failure what a caller knows and the failing callee
 * did not: text appended to its message, and the fields of `where` that it
 * left unset. No-op when nothing failed. Thread-safe. */
void ctx_error_add(lading_ctx *ctx, const ctx_where *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Forgets the recorded failure: at the start of each public call, and where
 * a caller recovers from a failure and goes on. NULL-safe. */
void ctx_error_reset(lading_ctx *ctx);
/* The start of every public call that takes the context: forgets the last
 * failure and starts the deadline (opt.timeout_ms). */
void ctx_begin(lading_ctx *ctx);
/* 0, or the failure of a cancelled call (LADING_ECANCELLED) or of one past
 * its deadline (LADING_ETIMEOUT), recorded. Cheap (an atomic load and, with
 * a deadline, a clock read): call it at chunk, file and package boundaries
 * and in every wait. NULL-safe (no context: never cancelled). */
int ctx_check(lading_ctx *ctx);
/* Milliseconds left before the deadline (UINT64_MAX without one, 0 past it). */
uint64_t ctx_ms_left(const lading_ctx *ctx);
/* Sleeps `ms`, waking every 20 ms to ctx_check: returns its failure if the
 * call is cancelled or its deadline passes meanwhile (also when the sleep
 * would end past the deadline, at once). */
int ctx_sleep(lading_ctx *ctx, uint64_t ms);
/* Monotonic milliseconds. */
uint64_t ctx_now_ms(void);

/* The recorded message, "" when none. */
static inline const char *ctx_message(const lading_ctx *ctx) { return ctx->err_msg; }

/* Sends a diagnostic to the log callback, if any. Thread-safe. */
void ctx_log(lading_ctx *ctx, lading_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ctx_progress(lading_ctx *ctx, int layer, uint64_t done, uint64_t total);
/* Where large files are spooled: opt.tmp_dir, or /tmp without a context
 * (tests and fuzzers call catalogers with none). */
const char *ctx_tmp_dir(const lading_ctx *ctx);

#endif
