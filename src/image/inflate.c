/* Streaming gzip (ISA-L) and zstd decompression, chosen by magic bytes: the
 * one decompressor of layer blobs (walk.c) and of compressed image archives
 * (archive.c). */
#include "image/inflate.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "lading/lading.h"

int inflater_init(inflater *z, const unsigned char *b, size_t n)
{
	memset(z, 0, sizeof(*z));
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		z->kind = COMP_GZIP;
		if (!(z->gz = calloc(1, sizeof(*z->gz))))
			return -LADING_ENOMEM;
		isal_inflate_init(z->gz);
		z->gz->crc_flag = ISAL_GZIP;
	} else if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
		z->kind = COMP_ZSTD;
		if (!(z->zs = ZSTD_createDStream()))
			return -LADING_ENOMEM;
		ZSTD_initDStream(z->zs);
	} else if ((n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') ||
		   (n >= 6 && memcmp(b, "\xfd" "7zXZ", 5) == 0)) {
		return -LADING_EUNSUPP;
	}
	return 0;
}

int inflater_run(inflater *z, const unsigned char *in, size_t n, size_t *used, unsigned char *out, size_t cap,
		 size_t *made)
{
	*used = *made = 0;
	if (z->kind == COMP_ZSTD) {
		ZSTD_inBuffer zin = {in, n, 0};
		ZSTD_outBuffer zout = {out, cap, 0};
		if (ZSTD_isError(ZSTD_decompressStream(z->zs, &zout, &zin)))
			return -LADING_EFORMAT;
		*used = zin.pos;
		*made = zout.pos;
		return 0;
	}
	struct inflate_state *g = z->gz;
	if (g->block_state == ISAL_BLOCK_FINISH) {
		/* another gzip member, or trailing padding (ignored) */
		if (n < 2 || in[0] != 0x1f || in[1] != 0x8b) {
			*used = n;
			return 0;
		}
		isal_inflate_reset(g);
		g->crc_flag = ISAL_GZIP;
	}
	/* ISA-L counts in 32 bits */
	g->next_in = (uint8_t *)in;
	g->avail_in = (uint32_t)(n < UINT32_MAX ? n : UINT32_MAX);
	g->next_out = out;
	g->avail_out = (uint32_t)(cap < UINT32_MAX ? cap : UINT32_MAX);
	uint32_t in0 = g->avail_in, out0 = g->avail_out;
	if (isal_inflate(g) != ISAL_DECOMP_OK)
		return -LADING_EFORMAT;
	*used = in0 - g->avail_in;
	*made = out0 - g->avail_out;
	return 0;
}

bool inflater_truncated(const inflater *z)
{
	return z->kind == COMP_GZIP && z->gz->block_state != ISAL_BLOCK_FINISH;
}

void inflater_free(inflater *z)
{
	free(z->gz);
	if (z->zs)
		ZSTD_freeDStream(z->zs);
	z->gz = NULL;
	z->zs = NULL;
}
