/* Reader for rpm's SQLite database, `rpmdb.sqlite` (Fedora 33+, RHEL 9,
 * CBL-Mariner): table Packages(hnum INTEGER PRIMARY KEY, blob BLOB), one
 * header blob per row.
 *
 * Nothing touches the disk: the bytes are copied into SQLite-owned memory and
 * attached to an in-memory connection with sqlite3_deserialize, read-only.
 * A database left in WAL mode (header bytes 18/19 = 2) is patched to the
 * rollback journal (1) in our copy, since a deserialized database cannot use
 * WAL; rows still in a -wal file that was never checkpointed are not seen.
 * The file is hostile, so the connection runs in defensive mode with schema
 * code (triggers, views, functions in the schema) disabled, the blob size is
 * capped, and a progress handler aborts a statement that runs too long. */
#include <sqlite3.h>

#include "catalog/rpm/rpm.h"

/* Virtual machine steps between progress callbacks, and the callbacks allowed
 * per megabyte of database (plus a floor): a real rpmdb needs a few steps per
 * row, so this is generous yet bounded. */
#define PROGRESS_STEP	10000
#define PROGRESS_PER_MB 2000
#define PROGRESS_FLOOR	10000

typedef struct budget {
	uint64_t left;
} budget;

static int on_progress(void *ud)
{
	budget *b = ud;
	if (b->left == 0)
		return 1; /* interrupts the statement with SQLITE_INTERRUPT */
	b->left--;
	return 0;
}

int rpm_sqlite_read(sv db, const rpm_sink *sink)
{
	if (db.n < 100 || memcmp(db.p, "SQLite format 3", 16) != 0)
		return -LADING_EFORMAT;
	sqlite3 *conn = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_open_v2(":memory:", &conn,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_limit(conn, SQLITE_LIMIT_LENGTH, (int)(RPM_MAX_DL + 16 * RPM_MAX_IL + 8));
	sqlite3_limit(conn, SQLITE_LIMIT_ATTACHED, 0);

	/* the borrowed bytes are const: SQLite gets its own copy, freed on close */
	unsigned char *copy = sqlite3_malloc64(db.n);
	if (!copy) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	memcpy(copy, db.p, db.n);
	if (copy[18] == 2 || copy[19] == 2) {
		copy[18] = 1;
		copy[19] = 1;
	}
	if (sqlite3_deserialize(conn, "main", copy, (sqlite3_int64)db.n, (sqlite3_int64)db.n,
				SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) != SQLITE_OK) {
		rc = -LADING_EFORMAT; /* SQLite has freed `copy` */
		goto out;
	}
	budget b = {.left = (uint64_t)PROGRESS_PER_MB * (db.n >> 20) + PROGRESS_FLOOR};
	sqlite3_progress_handler(conn, PROGRESS_STEP, on_progress, &b);

	int src = sqlite3_prepare_v2(conn, "SELECT hnum, blob FROM Packages", -1, &st, NULL);
	if (src != SQLITE_OK) {
		/* not an rpm database (or its schema page is damaged) */
		rpm_warnf(sink, "cannot read table Packages: %s", sqlite3_errmsg(conn));
		rc = -LADING_EFORMAT;
		goto out;
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 hnum = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_BLOB) {
			rpm_warnf(sink, "record %lld: blob column is not a BLOB; skipped", (long long)hnum);
			continue;
		}
		const void *p = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (!p || n <= 0) {
			rpm_warnf(sink, "record %lld: empty blob; skipped", (long long)hnum);
			continue;
		}
		rc = sink->blob(sink->ud, sv_make(p, (size_t)n), (uint64_t)hnum);
		if (rc)
			goto out;
	}
	if (src == SQLITE_NOMEM) {
		rc = -LADING_ENOMEM;
	} else if (src != SQLITE_DONE) {
		/* Damage part-way: keep the rows read so far. */
		rpm_warnf(sink, "stopped reading: %s%s", sqlite3_errmsg(conn),
			  src == SQLITE_INTERRUPT ? " (work limit reached)" : "");
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return rc;
}
