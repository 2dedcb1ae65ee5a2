/* The writer importers call (vulndb.h: vdb_put_advisory, vdb_put_affected,
 * vdb_skip, vdb_read_file, the release names): below the importers, which
 * are below the import driver in db.c, so the dependencies run one way:
 * db.c -> importers -> writer.c. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

int vdb_db_fail(lading_ctx *ctx, sqlite3 *db, const char *what)
{
	return ctx_fail(ctx, LADING_EDB, "db.sqlite", NULL, "vulnerability database: %s: %s", what,
			db ? sqlite3_errmsg(db) : "");
}

/* ---- the writer ------------------------------------------------------------ */

lading_ctx *vdb_ctx(vdb_writer *w) { return w->ctx; }
const char *vdb_input(vdb_writer *w) { return w->input; }

void vdb_skip(vdb_writer *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->stats->skipped++;
	ctx_log(w->ctx, LADING_LOG_WARN, "%s: %s", w->input, msg);
}

int vdb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int step_done(vdb_writer *w, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE)
		return vdb_db_fail(w->ctx, w->db, "write");
	return 0;
}

static const char *sev_from_score(double s)
{
	if (s < 0)
		return VDB_SEV_UNKNOWN;
	if (s == 0)
		return VDB_SEV_NEGLIGIBLE;
	return s < 4.0 ? VDB_SEV_LOW : s < 7.0 ? VDB_SEV_MEDIUM : s < 9.0 ? VDB_SEV_HIGH : VDB_SEV_CRITICAL;
}

int vdb_put_advisory(vdb_writer *w, int64_t *id, const vdb_advisory *a)
{
	if (!a->vuln_id || !*a->vuln_id)
		return -LADING_EINVAL;
	/* an import is cancelled between advisories */
	int rc = ctx_check(w->ctx);
	if (rc)
		return rc;
	/* the same id twice in one import: the later record wins */
	sqlite3_bind_int64(w->del_adv, 1, w->source_id);
	vdb_bind_text(w->del_adv, 2, a->vuln_id);
	if ((rc = step_done(w, w->del_adv)) != 0)
		return rc;
	sqlite3_stmt *st = w->ins_adv;
	sqlite3_bind_int64(st, 1, w->source_id);
	vdb_bind_text(st, 2, a->vuln_id);
	vdb_bind_text(st, 3, a->summary);
	vdb_bind_text(st, 4, a->details);
	vdb_bind_text(st, 5, a->published);
	vdb_bind_text(st, 6, a->modified);
	vdb_bind_text(st, 7, a->withdrawn);
	if ((rc = step_done(w, st)) != 0)
		return rc;
	*id = sqlite3_last_insert_rowid(w->db);
	w->stats->advisories++;
	for (size_t i = 0; i < a->naliases; i++) {
		if (!a->aliases[i] || strcmp(a->aliases[i], a->vuln_id) == 0)
			continue;
		sqlite3_bind_int64(w->ins_alias, 1, *id);
		vdb_bind_text(w->ins_alias, 2, a->aliases[i]);
		if ((rc = step_done(w, w->ins_alias)) != 0)
			return rc;
	}
	for (size_t i = 0; i < a->nsev; i++) {
		const vdb_severity *s = &a->sev[i];
		st = w->ins_sev;
		sqlite3_bind_int64(st, 1, *id);
		vdb_bind_text(st, 2, s->origin);
		vdb_bind_text(st, 3, s->type);
		vdb_bind_text(st, 4, s->vector);
		if (s->score >= 0)
			sqlite3_bind_double(st, 5, s->score);
		else
			sqlite3_bind_null(st, 5);
		vdb_bind_text(st, 6, s->severity ? s->severity : sev_from_score(s->score));
		if ((rc = step_done(w, st)) != 0)
			return rc;
	}
	for (size_t i = 0; i < a->nrefs; i++) {
		if (!a->refs[i].url)
			continue;
		sqlite3_bind_int64(w->ins_ref, 1, *id);
		vdb_bind_text(w->ins_ref, 2, a->refs[i].type);
		vdb_bind_text(w->ins_ref, 3, a->refs[i].url);
		if ((rc = step_done(w, w->ins_ref)) != 0)
			return rc;
	}
	return 0;
}

int vdb_put_affected(vdb_writer *w, int64_t advisory_id, const vdb_affected *af)
{
	if (!af->ns || !af->package || !af->status)
		return -LADING_EINVAL;
	sqlite3_stmt *st = w->ins_aff;
	sqlite3_bind_int64(st, 1, advisory_id);
	vdb_bind_text(st, 2, af->ns);
	vdb_bind_text(st, 3, af->package);
	vdb_bind_text(st, 4, af->scheme);
	vdb_bind_text(st, 5, af->status);
	vdb_bind_text(st, 6, af->fixed);
	vdb_bind_text(st, 7, af->severity);
	vdb_bind_text(st, 8, af->ranges);
	vdb_bind_text(st, 9, af->versions);
	vdb_bind_text(st, 10, af->cpe);
	int rc = step_done(w, st);
	if (!rc)
		w->stats->affected++;
	return rc;
}

int vdb_read_file(vdb_writer *w, const char *path, buf *out)
{
	const char *type = NULL;
	int fd = file_open_regular(AT_FDCWD, path, 0, &type);
	if (fd < 0)
		return type ? ctx_error(w->ctx, LADING_EFORMAT, "%s: cannot open: it is %s, not a regular file", path, type)
			    : ctx_error(w->ctx, LADING_EIO, "%s: cannot open: %s", path, strerror(errno));
	out->max = (size_t)w->ctx->opt.max_file_size;
	char tmp[65536];
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ctx_error(w->ctx, LADING_EIO, "%s: read error: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((rc = buf_append(out, tmp, (size_t)n)) != 0) {
			if (rc == -LADING_ELIMIT)
				rc = ctx_error(w->ctx, LADING_ELIMIT, "%s: larger than the file size limit", path);
			break;
		}
	}
	close(fd);
	if (!rc && !out->p)
		rc = buf_reserve(out, 0);
	return rc;
}

/* ---- release names ----------------------------------------------------------- */

const char *vdb_debian_release(const char *codename)
{
	static const char *const map[][2] = {
		{"woody", "3.0"}, {"sarge", "3.1"},       {"etch", "4"},          {"lenny", "5"},
		{"squeeze", "6"}, {"wheezy", "7"},        {"jessie", "8"},        {"stretch", "9"},
		{"buster", "10"}, {"bullseye", "11"},     {"bookworm", "12"},     {"trixie", "13"},
		{"forky", "14"},
	};
	for (size_t i = 0; codename && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], codename) == 0)
			return map[i][1];
	return NULL;
}

const char *vdb_ubuntu_release(const char *codename)
{
	static const char *const map[][2] = {
		{"trusty", "14.04"}, {"xenial", "16.04"}, {"bionic", "18.04"}, {"focal", "20.04"},
		{"jammy", "22.04"},  {"noble", "24.04"},  {"eoan", "19.10"},   {"disco", "19.04"},
		{"cosmic", "18.10"}, {"groovy", "20.10"}, {"hirsute", "21.04"}, {"impish", "21.10"},
		{"kinetic", "22.10"}, {"lunar", "23.04"}, {"mantic", "23.10"}, {"oracular", "24.10"},
		{"plucky", "25.04"}, {"precise", "12.04"}, {"dapper", "6.06"},   {"edgy", "6.10"},
		{"feisty", "7.04"},  {"gutsy", "7.10"},    {"hardy", "8.04"},    {"intrepid", "8.10"},
		{"jaunty", "9.04"},  {"karmic", "9.10"},   {"lucid", "10.04"},   {"maverick", "10.10"},
		{"natty", "11.04"},  {"oneiric", "11.10"}, {"quantal", "12.10"}, {"raring", "13.04"},
		{"saucy", "13.10"},  {"utopic", "14.10"},  {"vivid", "15.04"},   {"wily", "15.10"},
		{"yakkety", "16.10"}, {"zesty", "17.04"},  {"artful", "17.10"},
	};
	for (size_t i = 0; codename && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], codename) == 0)
			return map[i][1];
	return NULL;
}
