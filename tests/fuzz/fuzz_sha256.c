/* libFuzzer harness for src/util/sha256.c: the input chooses the
 * implementations, the two messages and how they are cut into lsha256_update2
 * calls, and the digests must equal OpenSSL's for the same bytes (abort
 * otherwise). Layout:
 *   byte 0         flags: 1 = stream a on OpenSSL, 2 = stream b on OpenSSL,
 *                  4 = the same context on both sides
 *   byte 1         L, the number of split bytes that follow
 *   bytes 2..3     length of message 1 (little-endian, clamped); message 2 is the rest
 *   L bytes        pairs (c1, c2) of chunk sizes: c < 128 is c bytes, else (c - 128) * 67
 *                  so that multi-block runs at odd offsets are reached
 *   the rest       message 1 then message 2; what the chunks leave goes in a last call */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t chunk(uint8_t c, size_t left)
{
	size_t n = c < 128 ? c : (size_t)(c - 128) * 67;
	return n < left ? n : left;
}

static void init(lsha256 *s, int openssl)
{
	if (lsha256_init_impl(s, openssl ? LSHA256_OPENSSL : LSHA256_SHANI) == 0)
		return;
	if (lsha256_init(s) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	int flags = data[0];
	size_t nsplit = data[1];
	size_t n1 = (size_t)data[2] | (size_t)data[3] << 8;
	data += 4, size -= 4;
	if (nsplit > size)
		nsplit = size;
	const uint8_t *split = data;
	data += nsplit, size -= nsplit;
	if (n1 > size)
		n1 = size;
	const uint8_t *m1 = data, *m2 = data + n1;
	size_t n2 = size - n1;

	lsha256 a, b;
	init(&a, flags & 1);
	bool same = flags & 4;
	if (!same)
		init(&b, flags & 2);
	lsha256 *pb = same ? &a : &b;

	/* With one context the oracle sees the chunks in call order. */
	EVP_MD_CTX *ref = EVP_MD_CTX_new();
	if (!ref || !EVP_DigestInit_ex(ref, EVP_sha256(), NULL))
		abort();

	size_t o1 = 0, o2 = 0;
	for (size_t i = 0; i <= nsplit; i += 2) {
		/* past the split bytes, one last call takes what is left of both */
		bool last = i + 1 >= nsplit;
		size_t c1 = last ? n1 - o1 : chunk(split[i], n1 - o1);
		size_t c2 = last ? n2 - o2 : chunk(split[i + 1], n2 - o2);
		lsha256_update2(&a, c1 ? m1 + o1 : NULL, c1, pb, c2 ? m2 + o2 : NULL, c2);
		EVP_DigestUpdate(ref, m1 + o1, c1);
		EVP_DigestUpdate(ref, m2 + o2, c2);
		o1 += c1;
		o2 += c2;
		if (last)
			break;
	}
	if (o1 != n1 || o2 != n2)
		abort();

	unsigned char got[32], want[32];
	unsigned len;
	if (same) {
		lsha256_final(&a, got);
		if (!EVP_DigestFinal_ex(ref, want, &len) || memcmp(got, want, 32))
			abort();
	} else {
		lsha256_final(&a, got);
		if (!EVP_Digest(m1, n1, want, &len, EVP_sha256(), NULL) || memcmp(got, want, 32))
			abort();
		lsha256_final(&b, got);
		if (!EVP_Digest(m2, n2, want, &len, EVP_sha256(), NULL) || memcmp(got, want, 32))
			abort();
	}
	lsha256_free(&a); /* a no-op after final, which is part of the contract */
	EVP_MD_CTX_free(ref);
	return 0;
}
