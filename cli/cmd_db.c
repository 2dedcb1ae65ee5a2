/* lading db: build and inspect the vulnerability database.
 *
 *   lading db import [--db PATH] [--type T] [--lock-wait SECONDS] INPUT...
 *   lading db update [--db PATH] [--sources-file FILE]... [--source SPEC]... [--only NAMES] [--list]
 *                    [--lock-wait SECONDS]
 *   lading db status [--db PATH] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void db_usage(FILE *f)
{
	fputs("usage: lading db import [--db PATH] [--type TYPE] [--lock-wait SECONDS] INPUT...\n"
	      "       lading db update [--db PATH] [--sources-file FILE]... [--source NAME=[TYPE:]URL]...\n"
	      "                        [--only NAME,...] [--list] [--lock-wait SECONDS]\n"
	      "       lading db status [--db PATH]\n"
	      "\n"
	      "import   add vulnerability feeds to the database (created if missing). Each INPUT is a\n"
	      "         file or directory; re-importing an input replaces what it brought before.\n"
	      "         The database is rebuilt beside the live file and renamed into place.\n"
	      "update   download the public feeds (OSV, Debian tracker, Alpine secdb; see --list) and\n"
	      "         import them; a feed not modified since the last update is not downloaded again.\n"
	      "         A feed that fails leaves its old rows and the other feeds as they were.\n"
	      "status   the imported sources and the advisory counts per namespace\n"
	      "Writers of one database (import, update) take turns: one waits while another holds\n"
	      "the lock on the database's directory.\n"
	      "\n"
	      "options:\n"
	      "      --db PATH      the database (default $LADING_DB, else\n"
	      "                     $XDG_CACHE_HOME/lading/vuln.db, else ~/.cache/lading/vuln.db)\n"
	      "  -t, --type TYPE    (import) feed type, detected when not given: osv, alpine-secdb,\n"
	      "                     debian-tracker, debian-dsa, nvd, ubuntu\n"
	      "      --sources-file FILE  (update) the sources to update instead of the built-in list:\n"
	      "                     lines 'NAME TYPE URL', '#' comments\n"
	      "      --source NAME=URL       (update) a new URL for source NAME\n"
	      "      --source NAME=TYPE:URL  (update) a source of that type, added when new\n"
	      "      --only NAME,...  (update) only these sources (shell patterns: 'osv-*')\n"
	      "      --list         (update) print the sources as a sources file and exit\n"
	      "      --lock-wait SECONDS  (import, update) how long to wait while another import or\n"
	      "                     update of the database runs (default 600; 0: fail at once)\n"
	      "  -q, --quiet        no warnings, no progress\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "Exit codes: 0 success, 1 internal error, 2 usage error, 3 unreadable input or database,\n"
	      "or (update) a feed that could not be updated.\n"
	      "Environment (update): LADING_HTTP_CONNECT_TIMEOUT, LADING_HTTP_LOW_SPEED_TIME,\n"
	      "LADING_HTTP_LOW_SPEED_LIMIT, LADING_HTTP_TIMEOUT, LADING_HTTP_RETRIES,\n"
	      "LADING_HTTP_RETRY_DELAY, LADING_HTTP_MAX_SIZE, LADING_HTTP_CA_BUNDLE, https_proxy,\n"
	      "no_proxy (docs/usage.md).\n",
	      f);
}

/* Creates the parent directory of the default database path if needed. */
static void make_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(dir, 0755);
		*p = '/';
	}
}

/* --lock-wait SECONDS as the option (0 s: do not wait at all). */
static void cli_lock_wait(lading_options *opt, double wait)
{
	opt->db_lock_wait_ms = wait <= 0 ? -1 : (int64_t)(wait * 1000.0 + 0.5);
}

/* Parses --lock-wait: seconds, a fraction allowed, 0 to a day. */
static bool parse_wait(const char *s, double *out)
{
	char *end = NULL;
	errno = 0;
	double v = s && *s ? strtod(s, &end) : -1;
	if (errno || !end || *end || !(v >= 0 && v <= 86400))
		return false;
	*out = v;
	return true;
}

/* cli_fail(), and for a database held by another writer the option that
 * waits longer. */
static int fail_busy(const lading_ctx *ctx, int rc, const char *verb, double wait)
{
	int ex = cli_fail(ctx, rc);
	if (rc == -LADING_EBUSY)
		fprintf(stderr, "lading db %s: to wait longer than %g s, give --lock-wait SECONDS\n", verb,
			wait);
	return ex;
}

static int db_import(lading_ctx *ctx, const char *db, lading_feed_type type, double wait, char **inputs,
		     int n, bool quiet)
{
	make_parent(db);
	for (int i = 0; i < n; i++) {
		lading_import_stats st;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cli_cancel_on_signal(ctx);
		int rc = lading_vulndb_import(&st, ctx, db, inputs[i], type);
		cli_cancel_on_signal(NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == -LADING_EFORMAT && type != LADING_FEED_AUTO && st.advisories == 0) {
			int ex = cli_fail(ctx, rc);
			fprintf(stderr,
				"lading db import: is %s the type of %s? Without --type it is detected.\n",
				lading_feed_name(type), inputs[i]);
			return ex;
		}
		if (rc)
			return fail_busy(ctx, rc, "import", wait);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (!quiet)
			fprintf(stderr, "imported %s (%s): %llu advisories, %llu package rows, %llu skipped, %.1fs\n",
				inputs[i], lading_feed_name(st.type), (unsigned long long)st.advisories,
				(unsigned long long)st.affected, (unsigned long long)st.skipped, secs);
	}
	return EXIT_OK;
}

/* ---- update ----------------------------------------------------------------- */

/* The options of `db update`, gathered before the list is built. */
typedef struct update_opts {
	const char **files, **specs; /* argv strings, at most argc of each */
	size_t nfiles, nspecs;
	const char *only;
	bool list;
	double wait; /* --lock-wait */
} update_opts;

/* The terminal line for `db update`: the library reports progress per
 * source index; the name comes from the list. */
typedef struct update_ui {
	cli_ui ui; /* first: the log callback gets a cli_ui */
	const lading_feed_source *src;
	size_t n;
	struct timespec last;
} update_ui;

static int update_progress(void *ud, int index, uint64_t done, uint64_t total)
{
	update_ui *u = ud;
	if (!u->ui.tty || u->ui.quiet || index < 0 || (size_t)index >= u->n)
		return 0;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double dt = (double)(now.tv_sec - u->last.tv_sec) + (double)(now.tv_nsec - u->last.tv_nsec) / 1e9;
	if (dt < 0.2 && done != total)
		return 0;
	u->last = now;
	if (total)
		fprintf(stderr, "\r\033[K%s: %.1f / %.1f MiB", u->src[index].name, (double)done / 1048576.0,
			(double)total / 1048576.0);
	else
		fprintf(stderr, "\r\033[K%s: %.1f MiB", u->src[index].name, (double)done / 1048576.0);
	u->ui.drawn = true;
	return 0;
}

/* Reads a sources file (bounded: it is a short list) into the list. */
static int add_sources_file(lading_feed_list *l, lading_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = fd < 0 ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "lading db update: cannot open %s: %s\n", path,
			err == EINVAL ? "not a regular file" : strerror(err));
		return EXIT_USAGE;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	enum { CAP = 1 << 20 };
	char *text = malloc(CAP + 1);
	size_t n = 0;
	ssize_t r = 0;
	while (text && n <= CAP && (r = read(fd, text + n, CAP + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
		if (n == CAP + 1)
			break;
	}
	int err = errno;
	close(fd);
	if (!text)
		return EXIT_INTERNAL;
	int ex = EXIT_OK;
	if (r < 0) {
		fprintf(stderr, "lading db update: cannot read %s: %s\n", path, strerror(err));
		ex = EXIT_USAGE;
	} else if (lading_feed_list_parse(l, ctx, path, text, n) != 0) {
		fprintf(stderr, "lading db update: %s\n", lading_ctx_error(ctx));
		ex = EXIT_USAGE;
	}
	free(text);
	return ex;
}

/* Builds the list from the options: a usage error is reported here. */
static int build_list(lading_feed_list **out, lading_ctx *ctx, const update_opts *o)
{
	size_t ndef;
	const lading_feed_source *def = lading_feed_defaults(&ndef);
	/* a sources file replaces the built-in list */
	int rc = o->nfiles ? lading_feed_list_new(out, ctx, NULL, 0)
			   : lading_feed_list_new(out, ctx, def, ndef);
	if (rc)
		return cli_fail(ctx, rc);
	for (size_t i = 0; i < o->nfiles; i++) {
		int ex = add_sources_file(*out, ctx, o->files[i]);
		if (ex)
			return ex;
	}
	for (size_t i = 0; i < o->nspecs; i++)
		if ((rc = lading_feed_list_set(*out, ctx, o->specs[i])) != 0) {
			fprintf(stderr, "lading db update: %s\n", lading_ctx_error(ctx));
			return rc == -LADING_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
		}
	if (o->only && (rc = lading_feed_list_only(*out, ctx, o->only)) != 0) {
		fprintf(stderr, "lading db update: %s\n", lading_ctx_error(ctx));
		return rc == -LADING_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
	}
	return EXIT_OK;
}

static void human_size(char *out, size_t cap, uint64_t b)
{
	if (b >= 1048576)
		snprintf(out, cap, "%.1f MiB", (double)b / 1048576.0);
	else if (b >= 1024)
		snprintf(out, cap, "%.1f KiB", (double)b / 1024.0);
	else
		snprintf(out, cap, "%llu bytes", (unsigned long long)b);
}

static int db_update(const char *db, const update_opts *o, bool quiet)
{
	/* libcurl runs with CURLOPT_NOSIGNAL (threads): a TLS write to a server
	 * that hung up must give an error, not kill the process */
	signal(SIGPIPE, SIG_IGN);
	update_ui u = {.ui = {.quiet = quiet, .tty = isatty(2) != 0}};
	lading_options opt;
	if (cli_options_init(&opt) != EXIT_OK)
		return EXIT_USAGE;
	cli_lock_wait(&opt, o->wait);
	cli_ui_attach(&u.ui, &opt);
	opt.progress = update_progress;
	opt.progress_userdata = &u;
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, &opt) != 0)
		return EXIT_INTERNAL;
	lading_feed_list *l = NULL;
	int ex = build_list(&l, ctx, o);
	size_t n = 0;
	const lading_feed_source *src = l ? lading_feed_list_sources(l, &n) : NULL;
	if (!ex && o->list) {
		/* the sources-file format, so that the output can be edited and fed back */
		for (size_t i = 0; i < n; i++)
			printf("%-24s %-15s %s\n", src[i].name, lading_feed_name(src[i].type), src[i].url);
	} else if (!ex && n == 0) {
		fprintf(stderr, "lading db update: no sources to update\n");
		ex = EXIT_USAGE;
	} else if (!ex) {
		make_parent(db);
		u.src = src;
		u.n = n;
		lading_update_stats st;
		cli_cancel_on_signal(ctx);
		int rc = lading_vulndb_update(&st, ctx, db, src, n);
		cli_cancel_on_signal(NULL);
		cli_progress_end(&u.ui);
		for (size_t i = 0; i < st.n; i++) {
			const lading_update_result *r = &st.results[i];
			char size[32];
			human_size(size, sizeof(size), r->bytes);
			if (r->status == LADING_UPDATE_UPDATED)
				printf("%s: updated: %llu advisories, %llu package rows, %llu skipped; "
				       "%s in %.1fs\n",
				       r->name, (unsigned long long)r->import.advisories,
				       (unsigned long long)r->import.affected,
				       (unsigned long long)r->import.skipped, size, r->seconds);
			else if (r->status == LADING_UPDATE_NOT_MODIFIED)
				printf("%s: not modified\n", r->name);
			else
				printf("%s: failed: %s [%s]\n", r->name, r->reason, r->url);
		}
		if (st.n)
			printf("db update: %zu updated, %zu not modified, %zu failed\n", st.updated,
			       st.not_modified, st.failed);
		fflush(stdout);
		if (rc && st.n && rc != -LADING_ENOMEM) {
			/* failed sources, each listed above; the others were done */
			fprintf(stderr, "lading: %s\n", lading_ctx_error(ctx));
			ex = EXIT_TARGET;
		} else if (rc) {
			ex = fail_busy(ctx, rc, "update", o->wait);
		}
		lading_update_stats_free(&st);
	}
	lading_feed_list_free(l);
	lading_ctx_free(ctx);
	return ex;
}

static void free_update_opts(update_opts *o)
{
	free(o->files);
	free(o->specs);
}

static int db_status(lading_ctx *ctx, const char *path)
{
	lading_vulndb *db = NULL;
	lading_vulndb_status *st = NULL;
	int rc = lading_vulndb_open(&db, ctx, path);
	if (!rc)
		rc = lading_vulndb_get_status(&st, db);
	if (rc) {
		lading_vulndb_close(db);
		return cli_fail(ctx, rc);
	}
	printf("Database: %s (schema %d)\n\n", path, lading_vulndb_status_schema(st));
	printf("%-32s %-16s %-22s %s\n", "SOURCE", "TYPE", "IMPORTED", "ADVISORIES");
	for (size_t i = 0; i < lading_vulndb_status_nsources(st); i++) {
		const lading_vulndb_source *s = lading_vulndb_status_source(st, i);
		printf("%-32s %-16s %-22s %llu\n", s->name, s->type, s->imported_at, (unsigned long long)s->advisories);
	}
	printf("\n%-24s %12s %12s\n", "NAMESPACE", "ADVISORIES", "ROWS");
	for (size_t i = 0; i < lading_vulndb_status_nnamespaces(st); i++) {
		const lading_vulndb_ns *n = lading_vulndb_status_namespace(st, i);
		printf("%-24s %12llu %12llu\n", n->ns, (unsigned long long)n->advisories, (unsigned long long)n->affected);
	}
	lading_vulndb_status_free(st);
	lading_vulndb_close(db);
	return EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		db_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *verb = argv[1];
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"type", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"source", required_argument, NULL, 'S'},
		{"sources-file", required_argument, NULL, 'f'},
		{"only", required_argument, NULL, 'o'},
		{"list", no_argument, NULL, 'l'},
		{"lock-wait", required_argument, NULL, 'w'},
		{0, 0, 0, 0},
	};
	/* each option names at most one argv string */
	update_opts uo = {.files = calloc((size_t)argc, sizeof(char *)),
			  .specs = calloc((size_t)argc, sizeof(char *)),
			  .wait = LADING_VULNDB_LOCK_WAIT};
	bool update_only_opt = false;
	if (!uo.files || !uo.specs) {
		free_update_opts(&uo);
		return EXIT_INTERNAL;
	}
	char defbuf[4096];
	const char *db = NULL;
	lading_feed_type type = LADING_FEED_AUTO;
	cli_ui ui = {.tty = false};
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "t:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 't':
			if (lading_feed_parse(&type, optarg) != 0) {
				fprintf(stderr, "lading db: unknown feed type '%s'\n", optarg);
				free_update_opts(&uo);
				return EXIT_USAGE;
			}
			break;
		case 'q': ui.quiet = true; break;
		case 'h':
			free_update_opts(&uo);
			db_usage(stdout);
			return EXIT_OK;
		case 'S': uo.specs[uo.nspecs++] = optarg, update_only_opt = true; break;
		case 'f': uo.files[uo.nfiles++] = optarg, update_only_opt = true; break;
		case 'o': uo.only = optarg, update_only_opt = true; break;
		case 'l': uo.list = update_only_opt = true; break;
		case 'w':
			if (!parse_wait(optarg, &uo.wait)) {
				fprintf(stderr,
					"lading db: --lock-wait wants seconds from 0 to 86400, got '%s'\n",
					optarg);
				free_update_opts(&uo);
				return EXIT_USAGE;
			}
			break;
		default:
			free_update_opts(&uo);
			db_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!db)
		db = cli_default_db(defbuf, sizeof(defbuf));
	int nargs = argc - 1 - optind;
	char **args = argv + 1 + optind;
	if (strcmp(verb, "update") == 0) {
		int uex = EXIT_USAGE;
		if (nargs != 0)
			fprintf(stderr, "lading db update: unexpected argument '%s' (see --only)\n",
				args[0]);
		else if (type != LADING_FEED_AUTO)
			fprintf(stderr, "lading db update: --type is for import; give a source's type with "
					"--source NAME=TYPE:URL\n");
		else
			uex = db_update(db, &uo, ui.quiet);
		free_update_opts(&uo);
		return uex;
	}
	double wait = uo.wait;
	free_update_opts(&uo);
	if (update_only_opt) {
		fprintf(stderr,
			"lading db %s: --source, --sources-file, --only and --list are options of 'update'\n",
			verb);
		return EXIT_USAGE;
	}
	lading_options opt;
	if (cli_options_init(&opt) != EXIT_OK)
		return EXIT_USAGE;
	cli_lock_wait(&opt, wait);
	cli_ui_attach(&ui, &opt);
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, &opt) != 0)
		return EXIT_INTERNAL;
	int ex;
	if (strcmp(verb, "import") == 0 && nargs > 0) {
		ex = db_import(ctx, db, type, wait, args, nargs, ui.quiet);
	} else if (strcmp(verb, "status") == 0 && nargs == 0) {
		ex = db_status(ctx, db);
	} else {
		fprintf(stderr, "lading db: expected 'import INPUT...', 'update' or 'status'\n");
		db_usage(stderr);
		ex = EXIT_USAGE;
	}
	lading_ctx_free(ctx);
	return ex;
}
