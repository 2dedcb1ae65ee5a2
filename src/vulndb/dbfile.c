/* The database file's writers (lading db import, lading db update) share this:
 * the lock that makes them take turns, the removal of what killed writers
 * left beside the database, and the move of a new file into place.
 *
 * Why it is shaped this way:
 *   - a writer copies the live file, adds its rows to the copy and renames
 *     the copy over the live file; two writers at once would each rename
 *     their own copy and the later would drop the earlier's rows. So every
 *     writer holds an exclusive flock(2) on the database's directory from
 *     before it reads the live file until its copy is in place. The
 *     directory rather than a lock file: nothing is left behind, and `db
 *     update` has always locked it, so an older update and a newer import
 *     still exclude each other. Readers take no lock: they open the old file
 *     or the new one, never a half-written one;
 *   - a writer that cannot have the lock polls for it, at most as long as
 *     its caller says (the library never waits without a bound), then fails
 *     with LADING_EBUSY naming the directory and the holder's pid, which
 *     Linux tells in /proc/locks;
 *   - work files (DB.import-<pid>, .lading-update-<pid>-XXXXXX) are made only
 *     under the lock, so whoever holds it may remove those of processes that
 *     no longer exist: a killed writer left them. One whose pid is alive is
 *     left alone (a reused pid, or an older lading that imported without the
 *     lock);
 *   - the copy is written without a journal and without syncs (nobody else
 *     sees it before the rename), so it is synced once, completely, before
 *     the rename, and the directory after it: after a power loss the name
 *     gives the old file or the whole new one. Syncing the directory before
 *     the rename too would buy nothing: until the rename the copy's name
 *     does not matter, and a copy a crash leaves is removed by the next
 *     writer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

void vdb_sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

double vdb_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

void vdb_remove_tree(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	DIR *d = depth > 0 ? opendir(path) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char p[4200];
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", path, de->d_name) < sizeof(p))
			vdb_remove_tree(p, depth - 1);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

/* Whether a name is `prefix` then "<pid>" or "<pid>-…" of a process that no
 * longer exists (never ours). */
static bool dead_owner(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0)
		return false;
	char *end;
	errno = 0;
	long pid = strtol(name + n, &end, 10);
	if (errno || end == name + n || pid <= 0 || (*end && *end != '-') || pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Removes the work files of dead writers beside the database: update
 * download directories and the database's ".import-<pid>" copies. */
static void remove_stale(lading_ctx *ctx, const vdb_lock *l)
{
	DIR *d = opendir(l->dir);
	if (!d)
		return;
	char import_prefix[300];
	snprintf(import_prefix, sizeof(import_prefix), "%s" VDB_IMPORT_SUFFIX, l->base);
	struct dirent *de;
	int budget = 100000;
	while ((de = readdir(d)) != NULL && budget-- > 0) {
		if (!dead_owner(de->d_name, VDB_UPDATE_DIR_PREFIX) && !dead_owner(de->d_name, import_prefix))
			continue;
		char p[4400];
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", l->dir, de->d_name) >= sizeof(p))
			continue;
		ctx_log(ctx, LADING_LOG_INFO, "removing %s, left by an interrupted import or update", p);
		vdb_remove_tree(p, 3);
	}
	closedir(d);
}

/* The pid that holds a flock on the file open as `fd`, from /proc/locks
 * ("1: FLOCK  ADVISORY  WRITE 791 fe:00:10954412 0 EOF"); 0 when it does not
 * say (no /proc, a pid of another pid namespace, the lock just released). */
static long lock_holder(int fd)
{
	struct stat st;
	FILE *f = fstat(fd, &st) == 0 ? fopen("/proc/locks", "re") : NULL;
	if (!f)
		return 0;
	char line[256];
	long pid = 0;
	for (int budget = 100000; !pid && budget-- > 0 && fgets(line, sizeof(line), f);) {
		char kind[16], rw[16];
		unsigned maj, min;
		unsigned long ino;
		long p;
		/* waiting requests are the lines with "->": not holders */
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %15s %ld %x:%x:%lu", kind, rw, &p, &maj, &min, &ino) != 6)
			continue;
		if (strcmp(kind, "FLOCK") == 0 && maj == major(st.st_dev) && min == minor(st.st_dev) &&
		    ino == (unsigned long)st.st_ino && p > 0)
			pid = p;
	}
	fclose(f);
	return pid;
}

static int busy(lading_ctx *ctx, const vdb_lock *l, int fd, double wait)
{
	char who[64] = "its pid is not known";
	long pid = lock_holder(fd);
	if (pid)
		snprintf(who, sizeof(who), "pid %ld", pid);
	if (wait > 0)
		return ctx_error(
		    ctx, LADING_EBUSY,
		    "%s: another writer holds the lock on this database directory (%s); still held "
		    "after %g s",
		    l->dir, who, wait);
	return ctx_error(ctx, LADING_EBUSY,
			 "%s: another writer holds the lock on this database directory (%s)", l->dir, who);
}

double vdb_lock_wait_of(const lading_ctx *ctx)
{
	int64_t ms = ctx->opt.db_lock_wait_ms;
	if (ms == 0)
		return LADING_VULNDB_LOCK_WAIT;
	return ms < 0 ? 0 : (double)ms / 1000.0;
}

int vdb_lock_take(vdb_lock *l, lading_ctx *ctx, const char *db_path, double wait)
{
	l->fd = -1;
	if (!(wait >= 0 && wait <= VDB_LOCK_WAIT_MAX))
		return ctx_error(ctx, LADING_EINVAL, "a lock wait of %g seconds: it is 0 to %d", wait,
				 VDB_LOCK_WAIT_MAX);
	const char *slash = strrchr(db_path, '/');
	const char *base = slash ? slash + 1 : db_path;
	size_t dlen = !slash ? 1 : slash == db_path ? 1 : (size_t)(slash - db_path);
	if (!*base || dlen >= sizeof(l->dir) || strlen(base) >= sizeof(l->base))
		return ctx_error(ctx, LADING_EINVAL, "%.200s: not a usable database path", db_path);
	snprintf(l->dir, sizeof(l->dir), "%.*s", (int)dlen, !slash ? "." : db_path);
	snprintf(l->base, sizeof(l->base), "%s", base);

	int fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ctx_error(ctx, LADING_EIO, "%s: cannot open the database's directory: %s", l->dir,
				 strerror(errno));
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t step_ms = 10;
	bool told = false;
	int rc = 0;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			rc = ctx_error(ctx, LADING_EIO, "%s: cannot lock the database's directory: %s",
				       l->dir, strerror(errno));
			break;
		}
		double waited = vdb_since(&t0);
		if (waited >= wait) {
			rc = busy(ctx, l, fd, wait);
			break;
		}
		if (!told) {
			long pid = lock_holder(fd);
			char who[64] = "another writer";
			if (pid)
				snprintf(who, sizeof(who), "another writer (pid %ld)", pid);
			ctx_log(ctx, LADING_LOG_WARN,
				"%s: waiting for %s, which holds the lock on this database "
				"directory (at most %g s)",
				l->dir, who, wait);
			told = true;
		}
		uint64_t left_ms = (uint64_t)((wait - waited) * 1000.0) + 1;
		/* a cancel or the call's deadline ends the wait too */
		if ((rc = ctx_sleep(ctx, step_ms < left_ms ? step_ms : left_ms)) != 0)
			break;
		step_ms = step_ms >= 125 ? 250 : step_ms * 2;
	}
	if (rc) {
		close(fd);
		return rc;
	}
	if (told)
		ctx_log(ctx, LADING_LOG_INFO, "%s: got the lock after %.1f s", l->dir, vdb_since(&t0));
	l->fd = fd;
	remove_stale(ctx, l);
	return 0;
}

void vdb_lock_release(vdb_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int vdb_install(lading_ctx *ctx, const vdb_lock *l, const char *tmp, const char *db_path)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return ctx_error(ctx, LADING_EIO, "%s: cannot write the new database to disk: %s", tmp,
				 strerror(e));
	}
	close(fd);
	if (rename(tmp, db_path) != 0)
		return ctx_error(ctx, LADING_EIO, "%s: cannot move the new database into place: %s", db_path,
				 strerror(errno));
	/* EINVAL: a file system that cannot sync a directory (some FUSE ones) */
	if (fsync(l->fd) != 0 && errno != EINVAL)
		return ctx_error(
		    ctx, LADING_EIO,
		    "%s: the new database is in place, but its directory could not be written to "
		    "disk: %s",
		    l->dir, strerror(errno));
	return 0;
}
