/* Streaming decompression of the formats image blobs and image archives come
 * in, chosen from their first bytes: gzip (ISA-L: about twice zlib's speed;
 * any number of members, trailing padding ignored), zstd, or none. One
 * inflater is one stream; it holds no buffers of its own, so the caller
 * decides what is read and where the bytes go (the layer walk hashes both
 * sides on the way, the image archive reader writes a spool file). */
#ifndef LADING_INFLATE_H
#define LADING_INFLATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum comp { COMP_NONE, COMP_GZIP, COMP_ZSTD } comp;

typedef struct inflater {
	comp kind;
	struct inflate_state *gz;
	struct ZSTD_DCtx_s *zs;
} inflater;

/* Chooses the format from the first `n` bytes of the stream (at least 6 are
 * needed to tell them all apart; fewer mean "none"). Returns 0,
 * -LADING_EUNSUPP for bzip2 and xz (which we do not read), -LADING_ENOMEM. */
int inflater_init(inflater *z, const unsigned char *head, size_t n);
/* Inflates what it can of in[0, n) into out[0, cap): *used bytes consumed,
 * *made produced. Bytes after the last gzip member that do not start another
 * are consumed and ignored. Not for COMP_NONE. Returns 0 or -LADING_EFORMAT
 * (corrupt data). */
int inflater_run(inflater *z, const unsigned char *in, size_t n, size_t *used, unsigned char *out, size_t cap,
		 size_t *made);
/* At the end of the input: whether the stream stopped inside a gzip member
 * (truncated). */
bool inflater_truncated(const inflater *z);
void inflater_free(inflater *z);

#endif
