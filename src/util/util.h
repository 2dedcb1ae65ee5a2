/* Small building blocks shared by every module: a string view for parsing
 * untrusted bytes, a growable buffer with a hard maximum, a string arena, a
 * growable array and checked arithmetic. Nothing here assumes NUL-terminated
 * input, and nothing here prints. */
#ifndef LADING_UTIL_H
#define LADING_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- string view ------------------------------------------------------- */

typedef struct sv {
	const char *p;
	size_t n;
} sv;

#define SV_LIT(s) ((sv){(s), sizeof(s) - 1})
static inline sv sv_make(const void *p, size_t n) { return (sv){(const char *)p, n}; }
static inline sv sv_cstr(const char *s) { return (sv){s, s ? strlen(s) : 0}; }
static inline bool sv_eq(sv a, sv b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }
static inline bool sv_eq_cstr(sv a, const char *b) { return sv_eq(a, sv_cstr(b)); }
/* Case-insensitive (ASCII) equality with another view or a C string. */
bool sv_ieq_sv(sv a, sv b);
static inline bool sv_ieq(sv a, const char *b) { return sv_ieq_sv(a, sv_cstr(b)); }
bool sv_starts_with(sv s, sv prefix);
bool sv_ends_with(sv s, sv suffix);
sv sv_trim(sv s);
/* Drops leading and trailing `c` characters ("/usr/bin/" -> "usr/bin" for '/'). */
sv sv_strip_char(sv s, char c);
/* Splits off the text before the first `c` (or all of it) and advances *s past `c`. */
sv sv_split(sv *s, char c);
/* Next line without its "\n" or "\r\n"; false at the end of *s. */
bool sv_next_line(sv *s, sv *line);
/* Index of the first `c` in s, or SIZE_MAX. */
size_t sv_find(sv s, char c);
/* memmem for views; SIZE_MAX if absent. */
size_t sv_find_sv(sv hay, sv needle);
/* Parses a whole view as a decimal uint64; false on junk or overflow. */
bool sv_to_u64(sv s, uint64_t *out);

/* ---- buffer ------------------------------------------------------------ */

/* Growable byte buffer, always NUL-terminated, never larger than `max`
 * (0 = no limit beyond SIZE_MAX/2). Appends fail with -LADING_ELIMIT past max
 * and -LADING_ENOMEM on allocation failure; the buffer is then unchanged. */
typedef struct buf {
	char *p;
	size_t n, cap, max;
} buf;

int buf_reserve(buf *b, size_t extra);
int buf_append(buf *b, const void *p, size_t n);
static inline int buf_puts(buf *b, const char *s) { return buf_append(b, s, strlen(s)); }
static inline int buf_putsv(buf *b, sv s) { return buf_append(b, s.p, s.n); }
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `s` with every invalid UTF-8 sequence replaced by U+FFFD. */
int buf_put_utf8(buf *b, sv s);
/* Appends `s` escaped for a JSON string body (no surrounding quotes), invalid
 * UTF-8 replaced by U+FFFD, so the result is always valid JSON. */
int buf_put_json_str(buf *b, sv s);
void buf_free(buf *b);
/* Hands the bytes to the caller (who frees them) and resets the buffer. */
char *buf_steal(buf *b, size_t *len);

/* ---- arena ------------------------------------------------------------- */

/* Bump allocator for strings that live as long as their owner (an inventory). */
typedef struct arena_block arena_block;
typedef struct arena {
	arena_block *head;
} arena;

void *arena_alloc(arena *a, size_t n);
/* Copies `s` as a NUL-terminated string; NULL on allocation failure. */
char *arena_strndup(arena *a, const char *s, size_t n);
static inline char *arena_sv(arena *a, sv s) { return arena_strndup(a, s.p, s.n); }
static inline char *arena_str(arena *a, const char *s) { return s ? arena_strndup(a, s, strlen(s)) : NULL; }
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena *a);

/* ---- growable array ----------------------------------------------------- */

/* VEC(T) is { T *v; size_t n, cap; }; vec_push grows geometrically. */
#define VEC(T)            \
	struct {          \
		T *v;     \
		size_t n, cap; \
	}
int vec_grow_(void **v, size_t *cap, size_t need, size_t elem);
#define vec_reserve(vec, extra) \
	vec_grow_((void **)&(vec)->v, &(vec)->cap, (vec)->n + (extra), sizeof(*(vec)->v))
/* Evaluates to 0 or -LADING_ENOMEM. */
#define vec_push(vec, val) \
	(vec_reserve(vec, 1) ? -LADING_ENOMEM : ((vec)->v[(vec)->n++] = (val), 0))
#define vec_free(vec) (free((vec)->v), (vec)->v = NULL, (vec)->n = (vec)->cap = 0)

/* ---- misc -------------------------------------------------------------- */

static inline bool add_overflows(size_t a, size_t b, size_t *out) { return __builtin_add_overflow(a, b, out); }
static inline bool mul_overflows(size_t a, size_t b, size_t *out) { return __builtin_mul_overflow(a, b, out); }

/* A byte budget shared by the threads of one scan (the image-wide limits):
 * every operation is atomic, and what is left never goes below zero. */
typedef struct byte_budget {
	uint64_t left;
} byte_budget;
/* Takes `n` if that much is left (true); otherwise takes nothing (false). */
bool budget_take(byte_budget *b, uint64_t n);
/* Takes as much of `n` as is left and returns it (0 when used up). */
uint64_t budget_take_upto(byte_budget *b, uint64_t n);
/* Gives back what was taken and not used. */
void budget_give(byte_budget *b, uint64_t n);

/* Appends a Python package name normalised per PEP 503: lowercase, each run
 * of '-', '_' and '.' one '-'. */
int pep503_normalize(buf *out, const char *name);

/* Opens `path` (relative to `dirfd`, or AT_FDCWD) for reading only if it is
 * a regular file, without ever blocking: the open is O_NONBLOCK, so a FIFO
 * planted where a file is expected (an image's index.json, a blob, a feed)
 * is reported instead of waiting forever for a writer, and a device is
 * never read. `flags` adds open flags (O_NOFOLLOW). Returns the descriptor
 * (O_NONBLOCK cleared), or -1 with errno set: ENOENT and the like from
 * open(2), or EINVAL for something that is not a regular file, in which
 * case *type (if given) says what it is ("a FIFO", "a directory", "a
 * character device"; "a symbolic link" for ELOOP under O_NOFOLLOW). */
int file_open_regular(int dirfd, const char *path, int flags, const char **type);
/* Reads the regular file `path` whole into `out` (NUL-terminated), opened
 * as file_open_regular does. At most `max` bytes: a larger file is not read
 * past the limit. 0; or -1 with errno set: EFBIG past `max`, ENOMEM, EINVAL
 * for something that is not a regular file (*type says what), or what
 * open(2)/read(2) said. Inputs a caller names (an ignore file, a VEX
 * document), not the image. */
int file_read_all(buf *out, const char *path, uint64_t max, const char **type);
/* Writes all `n` bytes (retrying short writes and EINTR): 0, or -1 with
 * errno set (0 when the file would take no more). */
int fd_write_all(int fd, const void *p, size_t n);
/* What a st_mode is, for messages: "a FIFO", "a directory", ... */
const char *file_type_word(unsigned mode);

/* A JSON parser's error text without the bytes it quotes from the input
 * (jansson ends its texts with " near '<input bytes>'"): for inputs that are
 * not the scanned image (an SBOM, a feed), whose bytes must never be echoed
 * in a message (a service fed "sbom:/etc/passwd" must not print its start).
 * Returns `out`. */
const char *json_error_brief(char *out, size_t cap, const char *text);

/* Lowercase hex of `n` bytes into `out` (2n+1 bytes). */
void hex_encode(char *out, const unsigned char *p, size_t n);
/* The value of one hex digit (either case), -1 for anything else. */
int hex_digit(char c);
/* Decodes base64, the standard or the URL-safe alphabet (padding optional);
 * false on bad input or overflow of `cap`. */
bool base64_decode(unsigned char *out, size_t cap, size_t *outlen, sv in);

#endif
