/* Output files (-o FILE), written so that nothing but FILE can change:
 *
 *   - a regular file (or a new name) is written to a temporary file made with
 *     mkstemp (O_CREAT|O_EXCL, so a name planted beforehand, a symlink
 *     included, makes the attempt fail instead of redirecting it) in FILE's own
 *     directory, flushed to disk and renamed over FILE: a reader never sees
 *     half a report, and an interrupted write leaves the old FILE. The
 *     target's mode (and, for root, its owner) is kept; a new file gets
 *     0666 & ~umask, as the shell's '>' would give it;
 *   - a symlink is followed: its target is what gets replaced, the link stays;
 *   - a character device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is
 *     written in place, never replaced: renaming a regular file over
 *     /dev/null as root is how a scanner once broke a machine;
 *   - a directory or a block device is refused.
 *
 * An interrupt (SIGINT, SIGTERM, SIGHUP) while a temporary file exists
 * removes it before the process dies of the signal. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The temporary file of the one output this process writes at a time, for
 * the signal handler (the CLI is single-threaded where it writes output). */
static char pending_tmp[PATH_MAX + 64];
static volatile sig_atomic_t pending_set;

static void remove_pending(int sig)
{
	if (pending_set)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_pending(const char *tmp)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	snprintf(pending_tmp, sizeof(pending_tmp), "%s", tmp ? tmp : "");
	pending_set = tmp != NULL;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa = {.sa_handler = tmp ? remove_pending : SIG_DFL};
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

static int out_fail(const char *what, const char *path, int err)
{
	fprintf(stderr, "lading: %s %s: %s\n", what, path, strerror(err));
	return EXIT_OUTPUT;
}

/* Opens a non-regular target in place. A FIFO without a reader cannot be
 * opened without blocking; it then waits for one, as `cmd >fifo` does. */
static int open_in_place(cli_output *o, const char *path, mode_t type)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENXIO && S_ISFIFO(type))
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return out_fail("cannot open", path, errno);
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)) {
		/* it changed type since lstat: start again rather than guess */
		close(fd);
		fprintf(stderr, "lading: %s changed while it was being opened; not written\n", path);
		return EXIT_OUTPUT;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	o->fd = fd;
	return EXIT_OK;
}

/* Makes the temporary file beside `path` (which is not a symlink). */
static int open_temp(cli_output *o, const char *path, const struct stat *old)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	if (!*base) {
		fprintf(stderr, "lading: %s: is a directory\n", path);
		return EXIT_OUTPUT;
	}
	int n = snprintf(NULL, 0, "%.*s.%s.lading-XXXXXX", (int)dlen, path, base);
	o->tmp = malloc((size_t)n + 1);
	o->final = strdup(path);
	if (!o->tmp || !o->final) {
		fprintf(stderr, "lading: out of memory\n");
		return EXIT_INTERNAL;
	}
	snprintf(o->tmp, (size_t)n + 1, "%.*s.%s.lading-XXXXXX", (int)dlen, path, base);
	int fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", dlen ? (int)dlen : 1, dlen ? path : ".");
		free(o->tmp);
		o->tmp = NULL;
		return out_fail("cannot create a file in", dir, err);
	}
	set_pending(o->tmp);
	mode_t mode;
	if (old) {
		mode = old->st_mode & 07777;
		if (geteuid() == 0)
			(void)fchown(fd, old->st_uid, old->st_gid);
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) != 0) {
		int err = errno;
		close(fd);
		unlink(o->tmp);
		set_pending(NULL);
		return out_fail("cannot set the mode of", o->tmp, err);
	}
	o->fd = fd;
	return EXIT_OK;
}

int cli_output_open(cli_output *o, const char *path)
{
	*o = (cli_output){.fd = -1};
	if (!path || strcmp(path, "-") == 0) {
		fflush(stdout);
		o->fd = STDOUT_FILENO;
		o->name = "standard output";
		o->is_stdout = true;
		return EXIT_OK;
	}
	o->name = path;
	/* Follow symlinks to what they name: that is the file to replace. A
	 * dangling link names a file to create (realpath fails on it). */
	char resolved[PATH_MAX];
	const char *p = path;
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return out_fail("cannot write", path, errno);
	if (exists && S_ISLNK(st.st_mode)) {
		if (!realpath(path, resolved)) {
			fprintf(stderr, "lading: %s is a symbolic link to nothing (%s); not written\n", path,
				strerror(errno));
			return EXIT_OUTPUT;
		}
		p = resolved;
		if (lstat(p, &st) != 0)
			return out_fail("cannot write", path, errno);
	}
	if (exists) {
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "lading: %s is a directory; give a file name\n", path);
			return EXIT_OUTPUT;
		}
		if (S_ISBLK(st.st_mode)) {
			fprintf(stderr, "lading: %s is a block device; refusing to write a report over it\n", path);
			return EXIT_OUTPUT;
		}
		if (!S_ISREG(st.st_mode))
			return open_in_place(o, p, st.st_mode);
	}
	return open_temp(o, p, exists ? &st : NULL);
}

int cli_output_write(cli_output *o, const void *data, size_t len)
{
	const char *s = data;
	while (len) {
		ssize_t w = write(o->fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return EXIT_OUTPUT;
		}
		s += w;
		len -= (size_t)w;
	}
	return EXIT_OK;
}

void cli_output_abort(cli_output *o)
{
	if (o->fd >= 0 && !o->is_stdout)
		close(o->fd);
	o->fd = -1;
	if (o->tmp) {
		unlink(o->tmp);
		set_pending(NULL);
	}
	free(o->tmp);
	free(o->final);
	o->tmp = o->final = NULL;
}

int cli_output_commit(cli_output *o)
{
	int err = o->err;
	if (!err && o->tmp && fsync(o->fd) != 0)
		err = errno;
	if (!o->is_stdout && close(o->fd) != 0 && !err && errno != EINTR)
		err = errno;
	o->fd = -1;
	if (!err && o->tmp && rename(o->tmp, o->final) != 0)
		err = errno;
	if (err) {
		fprintf(stderr, "lading: cannot write %s: %s\n", o->name, strerror(err));
		cli_output_abort(o);
		return EXIT_OUTPUT;
	}
	if (o->tmp)
		set_pending(NULL);
	free(o->tmp);
	free(o->final);
	o->tmp = o->final = NULL;
	return EXIT_OK;
}


static int sink(void *ud, const void *data, size_t len) { return cli_output_write(ud, data, len); }

int cli_emit(const char *path, const lading_inventory *inv, const lading_findings *fs, lading_format fmt,
	     const lading_report_options *ro)
{
	cli_output o;
	int ex = cli_output_open(&o, path);
	if (ex)
		return ex;
	int rc = fs ? lading_report_write_scan(inv, fs, fmt, ro, sink, &o) : lading_report_write(inv, fmt, ro, sink, &o);
	if (rc && o.err) {
		fprintf(stderr, "lading: cannot write %s: %s\n", o.name, strerror(o.err));
		cli_output_abort(&o);
		return EXIT_OUTPUT;
	}
	if (rc) {
		fprintf(stderr, "lading: cannot render the report: %s\n", lading_strerror(rc));
		cli_output_abort(&o);
		return EXIT_INTERNAL;
	}
	return cli_output_commit(&o);
}
