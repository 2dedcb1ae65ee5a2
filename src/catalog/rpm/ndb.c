/* Reader for rpm's own "ndb" package database, `Packages.db` (SUSE since
 * 15 SP3 and openSUSE). Layout (rpm's lib/backend/ndb/rpmpkg.c), all
 * little-endian:
 *
 *   header, 32 bytes: "RpmP", version (0), generation, number of slot pages;
 *   slot pages, 4096 bytes each, of 16-byte slots: "Slot", package index
 *     (0 = free), block offset, block count; the header takes the first two
 *     slots of page 0;
 *   blobs at block offset * 16: "BlbS", package index, checksum, blob length,
 *     then the header blob, then a tail we do not need.
 *
 * Hostile input: slots whose blob lies outside the file, has the wrong magic
 * or another package index are skipped with a warning. Blobs are not allowed
 * to overlap in a real database, so the total of blob lengths we hand on is
 * capped at the file size: many slots naming one huge blob cannot multiply
 * the work. The Adler-32 checksum is not verified; the header parser checks
 * the blob's structure instead. */
#include "catalog/rpm/rpm.h"

#define NDB_PAGE	   4096
#define NDB_BLK		   16
#define NDB_MAX_SLOT_PAGES 2048 /* 524 288 slots: far more packages than any system has */
#define NDB_MAX_WARN	   20	/* bad slots reported one by one, then counted */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

int rpm_ndb_read(sv db, const rpm_sink *sink)
{
	const unsigned char *p = (const unsigned char *)db.p;
	if (db.n < 32 || memcmp(p, "RpmP", 4) != 0)
		return -LADING_EFORMAT;
	if (le32(p + 4) != 0)
		return -LADING_EFORMAT; /* unknown format version */
	uint32_t npages = le32(p + 12);
	if (npages == 0 || npages > NDB_MAX_SLOT_PAGES)
		return -LADING_EFORMAT;
	size_t slots_end = (size_t)npages * NDB_PAGE;
	if (slots_end > db.n) {
		rpm_warnf(sink,
			  "slot pages cut by the end of the file (%zu of %zu bytes); reading what is there",
			  db.n, slots_end);
		slots_end = db.n;
	}
	uint64_t budget = db.n;
	size_t bad = 0;
	for (size_t off = 32; off + 16 <= slots_end; off += 16) {
		const unsigned char *s = p + off;
		uint32_t idx = le32(s + 4), blk = le32(s + 8), cnt = le32(s + 12);
		const char *why = NULL;
		if (memcmp(s, "Slot", 4) != 0) {
			why = "bad slot magic";
		} else if (idx == 0) {
			continue; /* free slot */
		} else {
			uint64_t start = (uint64_t)blk * NDB_BLK, span = (uint64_t)cnt * NDB_BLK;
			if (blk == 0 || start + 16 > db.n) {
				why = "blob offset outside the file";
			} else if (memcmp(p + start, "BlbS", 4) != 0) {
				why = "bad blob magic";
			} else if (le32(p + start + 4) != idx) {
				why = "blob belongs to another package index";
			} else {
				uint64_t len = le32(p + start + 12);
				if (start + 16 + len > db.n)
					why = "blob runs past the end of the file";
				else if (16 + len > span)
					why = "blob longer than its slot's block count";
				else if (len > budget)
					why = "blobs overlap (more blob bytes than the file holds)";
				if (!why) {
					budget -= len;
					int rc =
					    sink->blob(sink->ud, sv_make(p + start + 16, (size_t)len), idx);
					if (rc)
						return rc;
					continue;
				}
			}
		}
		if (++bad <= NDB_MAX_WARN)
			rpm_warnf(sink, "slot %zu (package index %u): %s; skipped", (off - 32) / 16, idx,
				  why);
	}
	if (bad > NDB_MAX_WARN)
		rpm_warnf(sink, "%zu more bad slots skipped", bad - NDB_MAX_WARN);
	return 0;
}
