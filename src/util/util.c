/* Implementation of the small building blocks in util.h. */
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lading/lading.h"

bool sv_starts_with(sv s, sv prefix) { return s.n >= prefix.n && memcmp(s.p, prefix.p, prefix.n) == 0; }

bool sv_ends_with(sv s, sv suffix)
{
	return s.n >= suffix.n && memcmp(s.p + s.n - suffix.n, suffix.p, suffix.n) == 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

sv sv_trim(sv s)
{
	while (s.n && is_space(s.p[0]))
		s.p++, s.n--;
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

sv sv_strip_char(sv s, char c)
{
	while (s.n && s.p[0] == c)
		s.p++, s.n--;
	while (s.n && s.p[s.n - 1] == c)
		s.n--;
	return s;
}

size_t sv_find(sv s, char c)
{
	const char *q = s.n ? memchr(s.p, c, s.n) : NULL;
	return q ? (size_t)(q - s.p) : SIZE_MAX;
}

size_t sv_find_sv(sv hay, sv needle)
{
	if (needle.n == 0)
		return 0;
	if (hay.n < needle.n)
		return SIZE_MAX;
	const char *q = memmem(hay.p, hay.n, needle.p, needle.n);
	return q ? (size_t)(q - hay.p) : SIZE_MAX;
}

sv sv_split(sv *s, char c)
{
	size_t i = sv_find(*s, c);
	sv head;
	if (i == SIZE_MAX) {
		head = *s;
		s->p += s->n;
		s->n = 0;
	} else {
		head = sv_make(s->p, i);
		s->p += i + 1;
		s->n -= i + 1;
	}
	return head;
}

bool sv_next_line(sv *s, sv *line)
{
	if (s->n == 0)
		return false;
	*line = sv_split(s, '\n');
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
	return true;
}

bool sv_to_u64(sv s, uint64_t *out)
{
	uint64_t v = 0;
	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t)(s.p[i] - '0'), &v))
			return false;
	}
	*out = v;
	return true;
}

/* ---- buffer ------------------------------------------------------------ */

int buf_reserve(buf *b, size_t extra)
{
	size_t need, max = b->max ? b->max : SIZE_MAX / 2;
	if (add_overflows(b->n, extra, &need) || need > max)
		return -LADING_ELIMIT;
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap = cap > SIZE_MAX / 4 ? need + 1 : cap * 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return -LADING_ENOMEM;
	b->p = p;
	b->cap = cap;
	b->p[b->n] = 0; /* a buffer that exists is always NUL-terminated */
	return 0;
}

int buf_append(buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0;
	return 0;
}

int buf_putc(buf *b, char c) { return buf_append(b, &c, 1); }

int buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -LADING_EINVAL;
	int rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there are
 * not one (overlong forms and surrogates included). */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (!len || len > avail)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)))
		return 0;
	if (len == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)))
		return 0;
	return len;
}

int buf_put_utf8(buf *b, sv s)
{
	int rc = 0;
	for (size_t i = 0; i < s.n && rc == 0;) {
		size_t len = utf8_seq((const unsigned char *)s.p + i, s.n - i);
		rc = len ? buf_append(b, s.p + i, len) : buf_append(b, "\xef\xbf\xbd", 3);
		i += len ? len : 1;
	}
	return rc;
}

int buf_put_json_str(buf *b, sv s)
{
	static const char hex[] = "0123456789abcdef";
	int rc = 0;
	for (size_t i = 0; i < s.n && rc == 0;) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			rc = buf_append(b, e, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			rc = buf_append(b, e, 6);
			i++;
		} else {
			size_t len = utf8_seq((const unsigned char *)s.p + i, s.n - i);
			rc = len ? buf_append(b, s.p + i, len) : buf_append(b, "\xef\xbf\xbd", 3);
			i += len ? len : 1;
		}
	}
	return rc;
}

void buf_free(buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

char *buf_steal(buf *b, size_t *len)
{
	if (!b->p && buf_reserve(b, 0))
		return NULL;
	char *p = b->p;
	if (len)
		*len = b->n;
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

/* ---- arena ------------------------------------------------------------- */

struct arena_block {
	arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *arena_alloc(arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- misc -------------------------------------------------------------- */

int vec_grow_(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8, bytes;
	while (ncap < need) {
		if (mul_overflows(ncap, 2, &ncap))
			return -LADING_ENOMEM;
	}
	if (mul_overflows(ncap, elem, &bytes))
		return -LADING_ENOMEM;
	void *p = realloc(*v, bytes);
	if (!p)
		return -LADING_ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

int pep503_normalize(buf *out, const char *name)
{
	bool sep = false, any = false;
	int rc = 0;
	for (const char *c = name; *c && !rc; c++) {
		if (*c == '-' || *c == '_' || *c == '.') {
			sep = true;
			continue;
		}
		if (sep && any)
			rc = buf_putc(out, '-');
		sep = false;
		any = true;
		if (!rc)
			rc = buf_putc(out, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
	}
	return rc ? rc : buf_reserve(out, 0);
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void hex_encode(char *out, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = 0;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

bool base64_decode(unsigned char *out, size_t cap, size_t *outlen, sv in)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	while (in.n && in.p[in.n - 1] == '=')
		in.n--;
	for (size_t i = 0; i < in.n; i++) {
		int v = b64val(in.p[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return false;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	*outlen = n;
	return true;
}

const char *file_type_word(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFLNK: return "a symbolic link";
	default: return "not a regular file";
	}
}

int file_open_regular(int dirfd, const char *path, int flags, const char **type)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | flags);
	if (fd < 0) {
		if (errno == ELOOP && (flags & O_NOFOLLOW) && type)
			*type = "a symbolic link";
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (type)
			*type = file_type_word((unsigned)st.st_mode);
		errno = EINVAL;
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int file_read_all(buf *out, const char *path, uint64_t max, const char **type)
{
	int fd = file_open_regular(AT_FDCWD, path, 0, type);
	if (fd < 0)
		return -1;
	char tmp[65536];
	int err = 0;
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		if ((uint64_t)out->n + (uint64_t)n > max) {
			err = EFBIG;
			break;
		}
		if (buf_append(out, tmp, (size_t)n) != 0) {
			err = ENOMEM;
			break;
		}
	}
	close(fd);
	if (!err && !out->p && buf_reserve(out, 0) != 0)
		err = ENOMEM;
	errno = err;
	return err ? -1 : 0;
}

bool sv_ieq_sv(sv a, sv b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++) {
		char x = a.p[i], y = b.p[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

const char *json_error_brief(char *out, size_t cap, const char *text)
{
	const char *near = strstr(text, " near ");
	size_t n = near ? (size_t)(near - text) : strlen(text);
	snprintf(out, cap, "%.*s", (int)n, text);
	return out;
}

bool budget_take(byte_budget *b, uint64_t n)
{
	uint64_t left = __atomic_load_n(&b->left, __ATOMIC_RELAXED);
	do {
		if (left < n)
			return false;
	} while (!__atomic_compare_exchange_n(&b->left, &left, left - n, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

uint64_t budget_take_upto(byte_budget *b, uint64_t n)
{
	uint64_t left = __atomic_load_n(&b->left, __ATOMIC_RELAXED), take;
	do {
		take = left < n ? left : n;
	} while (take &&
		 !__atomic_compare_exchange_n(&b->left, &left, left - take, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return take;
}

void budget_give(byte_budget *b, uint64_t n) { __atomic_fetch_add(&b->left, n, __ATOMIC_RELAXED); }

int fd_write_all(int fd, const void *data, size_t n)
{
	const unsigned char *p = data;
	errno = 0;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
