/* Private interface of the rpm cataloger: the header blob parser (header.c)
 * and the three database readers (bdb.c, ndb.c, sqlite.c) that hand header
 * blobs to rpm.c. The readers only find blobs; they know nothing of tags.
 * Everything here works on borrowed, untrusted bytes and never writes to them.
 * librpm and libdb are deliberately not used: librpm keeps process-global
 * state and writes into the database directory it opens. */
#ifndef LADING_CATALOG_RPM_H
#define LADING_CATALOG_RPM_H

#include "lading/lading.h"
#include "util/util.h"

/* Sane maxima, far above anything rpm itself writes (rpm refuses il with any of
 * the top 8 bits set and dl >= 1 GiB). */
#define RPM_MAX_IL    0x10000u
#define RPM_MAX_DL    (256u << 20)
#define RPM_MAX_FILES 1000000u

/* ---- header blobs (header.c) ------------------------------------------------ */

/* rpm tag numbers we read. */
enum {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_VENDOR = 1011,
	RPMTAG_LICENSE = 1014,
	RPMTAG_ARCH = 1022,
	RPMTAG_OLDFILENAMES = 1027,
	RPMTAG_FILESTATES = 1029,
	RPMTAG_FILEMODES = 1030,
	RPMTAG_FILEDIGESTS = 1035,
	RPMTAG_FILEFLAGS = 1037,
	RPMTAG_SOURCERPM = 1044,
	RPMTAG_DIRINDEXES = 1116,
	RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118,
	RPMTAG_FILEDIGESTALGO = 5011,
	RPMTAG_MODULARITYLABEL = 5096,
};

/* A header blob whose index has been checked: every entry has a known type, an
 * offset inside the data store and, for integer types, the alignment rpm
 * requires. Borrows the blob. */
typedef struct rpm_header {
	const unsigned char *index; /* il entries of 16 bytes */
	const unsigned char *data;  /* the data store, dl bytes */
	uint32_t il, dl;
} rpm_header;

/* Checks the blob's il/dl and every index entry. On failure returns
 * -LADING_EFORMAT and sets *why to a static reason. */
int rpm_header_init(rpm_header *h, sv blob, const char **why);

/* One package decoded from a header. All strings live in `a` or in the blob
 * the header was read from, so the blob must outlive `pkg`; files are in `a`. */
typedef struct rpm_pkg {
	lading_package pkg;
	arena a;
	/* set when the package was kept but its file list was dropped */
	const char *files_warning;
} rpm_pkg;

/* Decodes name, version, files… from a blob. `db_path` is copied by pointer
 * into pkg.db_path. Returns 0, -LADING_EFORMAT (bad or incomplete header,
 * *why set to a static reason) or -LADING_ENOMEM. Call rpm_pkg_free in all
 * cases. */
int rpm_pkg_from_blob(rpm_pkg *out, sv blob, const char *db_path, const char **why);
/* The same, the file list left out unless `files`. */
int rpm_pkg_from_blob_ex(rpm_pkg *out, sv blob, const char *db_path, bool files, const char **why);
void rpm_pkg_free(rpm_pkg *p);

/* ---- database readers -------------------------------------------------------- */

/* What a reader calls for every record it finds. `blob` is only valid during
 * the call; `recno` names the record in warnings (BDB key, NDB package index,
 * SQLite hnum). A non-zero return stops the reader, which returns it. */
typedef struct rpm_sink {
	int (*blob)(void *ud, sv blob, uint64_t recno);
	/* A skipped record or damaged part of the file; message without the db path. */
	void (*warn)(void *ud, const char *msg);
	void *ud;
} rpm_sink;

/* Each reader returns 0 after reading what it could (damage is reported with
 * sink->warn), -LADING_EFORMAT when `db` is not a database of its kind at all,
 * -LADING_ENOMEM, or whatever sink->blob returned to stop it. */
int rpm_bdb_read(sv db, const rpm_sink *sink);
int rpm_ndb_read(sv db, const rpm_sink *sink);
int rpm_sqlite_read(sv db, const rpm_sink *sink);

/* printf-style helper for the readers: formats and calls sink->warn. */
void rpm_warnf(const rpm_sink *sink, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
