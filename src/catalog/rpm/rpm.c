/* The rpm cataloger: finds the rpm database in the image, reads every header
 * blob with our own readers (sqlite.c, ndb.c, bdb.c) and turns each header
 * into a package with its files (header.c).
 *
 * Exactly one database is read per view: the first present in the order
 * rpmdb.sqlite, Packages.db, Packages, each looked for first under
 * /usr/lib/sysimage/rpm and then under /var/lib/rpm. Newer formats win because
 * rpm converts forward (rebuilddb) and may leave the old file behind; reading
 * one file also means that /var/lib/rpm as a symlink to /usr/lib/sysimage/rpm
 * (Fedora 36+, openSUSE) cannot list every package twice. A file that is not a
 * database of its kind at all is reported and the next candidate is tried. */
#include <stdarg.h>
#include <stdio.h>

#include "catalog/catalog.h"
#include "catalog/rpm/rpm.h"

static const cat_claim claims[] = {
    {CLAIM_EXACT, "/usr/lib/sysimage/rpm/rpmdb.sqlite", NULL},
    {CLAIM_EXACT, "/usr/lib/sysimage/rpm/Packages.db", NULL},
    {CLAIM_EXACT, "/usr/lib/sysimage/rpm/Packages", NULL},
    {CLAIM_EXACT, "/var/lib/rpm/rpmdb.sqlite", NULL},
    {CLAIM_EXACT, "/var/lib/rpm/Packages.db", NULL},
    {CLAIM_EXACT, "/var/lib/rpm/Packages", NULL},
};

static const struct candidate {
	const char *path;
	const char *format;
	int (*read)(sv db, const rpm_sink *sink);
} candidates[] = {
    {"/usr/lib/sysimage/rpm/rpmdb.sqlite", "SQLite", rpm_sqlite_read},
    {"/var/lib/rpm/rpmdb.sqlite", "SQLite", rpm_sqlite_read},
    {"/usr/lib/sysimage/rpm/Packages.db", "NDB", rpm_ndb_read},
    {"/var/lib/rpm/Packages.db", "NDB", rpm_ndb_read},
    {"/usr/lib/sysimage/rpm/Packages", "Berkeley DB", rpm_bdb_read},
    {"/var/lib/rpm/Packages", "Berkeley DB", rpm_bdb_read},
};

typedef struct reading {
	cat_run *run;
	const char *path;
} reading;

static void on_warn(void *ud, const char *msg)
{
	reading *r = ud;
	cat_warn(r->run, "rpm: %s: %s", r->path, msg);
}

static int on_blob(void *ud, sv hdr, uint64_t recno)
{
	reading *r = ud;
	rpm_pkg pkg;
	const char *why = NULL;
	/* a layer-attribution pass compares identities only: no file lists */
	int rc = rpm_pkg_from_blob_ex(&pkg, hdr, r->path, !r->run->identities_only, &why);
	if (rc == -LADING_EFORMAT) {
		cat_warn(r->run, "rpm: %s: record %llu: %s; skipped", r->path, (unsigned long long)recno,
			 why);
		rc = 0;
	} else if (rc == 0) {
		if (pkg.files_warning)
			cat_warn(r->run, "rpm: %s: record %llu (package %s): %s", r->path,
				 (unsigned long long)recno, pkg.pkg.name, pkg.files_warning);
		rc = inv_add_package(r->run->inv, &pkg.pkg);
	}
	rpm_pkg_free(&pkg);
	return rc;
}

static int run(cat_run *run)
{
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		const struct candidate *c = &candidates[i];
		sv data;
		if (!fsview_get(run->view, c->path, &data))
			continue;
		reading r = {.run = run, .path = c->path};
		rpm_sink sink = {.blob = on_blob, .warn = on_warn, .ud = &r};
		int rc = c->read(data, &sink);
		if (rc == -LADING_EFORMAT) {
			cat_warn(run, "rpm: %s: not a readable %s rpm database; ignored", c->path, c->format);
			continue;
		}
		/* only out of memory stops the scan; damage was reported as warnings */
		return rc == -LADING_ENOMEM ? rc : 0;
	}
	return 0;
}

const cataloger cataloger_rpm = {"rpm", claims, sizeof(claims) / sizeof(claims[0]), run};
