/* SHA-256 for the layer walk, which hashes every layer twice (the compressed
 * blob against the manifest digest, the uncompressed tar against the diff_id).
 * On x86-64 CPUs with the SHA extensions one stream is bound by the latency of
 * sha256rnds2, not its throughput, so lsha256_update2 compresses blocks of two
 * independent messages with their rounds interleaved, close to twice the
 * aggregate speed. Elsewhere OpenSSL's EVP code is used (its AVX2 code beats
 * portable C). The context lives on the stack; only the fallback allocates. */
#ifndef LADING_SHA256_H
#define LADING_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct lsha256 {
	uint32_t h[8];	       /* chaining state (SHA-NI path) */
	uint64_t len;	       /* bytes hashed so far (SHA-NI path) */
	unsigned char buf[64]; /* the partial block, len % 64 bytes of it (SHA-NI path) */
	int impl;	       /* LSHA256_SHANI or LSHA256_OPENSSL; 0 once finished or freed */
	int vzeroupper;	       /* the CPU has AVX: clear the upper vector state first (sha256.c) */
	void *evp;	       /* EVP_MD_CTX * (fallback path), else NULL */
} lsha256;

/* Implementations for lsha256_init_impl; the tests force each in turn. */
enum { LSHA256_AUTO = 0, LSHA256_SHANI = 1, LSHA256_OPENSSL = 2 };

/* Picks SHA-NI when the CPU has it, else OpenSSL. 0 or -LADING_ENOMEM. */
int lsha256_init(lsha256 *s);
/* As lsha256_init with a forced implementation: -LADING_EUNSUPP when
 * LSHA256_SHANI is asked for on a CPU or build without it, -LADING_EINVAL for
 * an unknown value. */
int lsha256_init_impl(lsha256 *s, int impl);
/* Nonzero when this build and CPU can use the SHA-NI path. */
int lsha256_have_shani(void);
void lsha256_update(lsha256 *s, const void *p, size_t n);
/* Equivalent to lsha256_update(a, p, n); lsha256_update(b, q, m); but whole
 * blocks of the two messages are compressed together (interleaved) while both
 * have some. a and b may be the same context (then it is the plain sequence). */
void lsha256_update2(lsha256 *a, const void *p, size_t n, lsha256 *b, const void *q, size_t m);
/* Updates of several messages at once: parts[i].n bytes at parts[i].p go into
 * parts[i].md, each context appearing once. The parts are compressed two at a
 * time, the two longest left first, so that as few bytes as possible are
 * hashed alone. The parts are consumed (their n set to 0). */
typedef struct lsha256_part {
	lsha256 *md;
	const unsigned char *p;
	size_t n;
} lsha256_part;
void lsha256_update_parts(lsha256_part *parts, size_t k);
/* Writes the digest and releases any fallback state. The context is then
 * finished: updates to it are ignored and a second final gives 32 zero bytes,
 * which match no real digest. */
void lsha256_final(lsha256 *s, unsigned char out[32]);
/* Abandons a context without a digest; safe after lsha256_final and twice. */
void lsha256_free(lsha256 *s);

#endif
