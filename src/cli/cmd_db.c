/* lading db: build and inspect the vulnerability database.
 *
 *   lading db import [--db PATH] [--type T] INPUT...
 *   lading db status [--db PATH] */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static void db_usage(FILE *f)
{
	fputs("usage: lading db import [--db PATH] [--type TYPE] INPUT...\n"
	      "       lading db status [--db PATH]\n"
	      "\n"
	      "import   add vulnerability feeds to the database (created if missing). Each INPUT is a\n"
	      "         file or directory; re-importing an input replaces what it brought before.\n"
	      "         The database is rebuilt beside the live file and renamed into place.\n"
	      "status   the imported sources and the advisory counts per namespace\n"
	      "\n"
	      "options:\n"
	      "      --db PATH      the database (default $LADING_DB, else\n"
	      "                     $XDG_CACHE_HOME/lading/vuln.db, else ~/.cache/lading/vuln.db)\n"
	      "  -t, --type TYPE    feed type, detected when not given: osv, alpine-secdb,\n"
	      "                     debian-tracker, debian-dsa, nvd, ubuntu\n"
	      "  -q, --quiet        no warnings about skipped records\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "Exit codes: 0 success, 1 internal error, 2 usage error, 3 unreadable input or database.\n",
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

static int db_import(lading_ctx *ctx, const char *db, lading_feed_type type, char **inputs, int n, bool quiet)
{
	make_parent(db);
	for (int i = 0; i < n; i++) {
		lading_import_stats st;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = lading_vulndb_import(&st, ctx, db, inputs[i], type);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc)
			return cli_fail(ctx, rc);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (!quiet)
			fprintf(stderr, "imported %s (%s): %llu advisories, %llu package rows, %llu skipped, %.1fs\n",
				inputs[i], lading_feed_name(st.type), (unsigned long long)st.advisories,
				(unsigned long long)st.affected, (unsigned long long)st.skipped, secs);
	}
	return EXIT_OK;
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
		{0, 0, 0, 0},
	};
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
				return EXIT_USAGE;
			}
			break;
		case 'q': ui.quiet = true; break;
		case 'h': db_usage(stdout); return EXIT_OK;
		default: db_usage(stderr); return EXIT_USAGE;
		}
	}
	if (!db)
		db = cli_default_db(defbuf, sizeof(defbuf));
	int nargs = argc - 1 - optind;
	char **args = argv + 1 + optind;
	lading_options opt = {.struct_size = sizeof(opt)};
	cli_ui_attach(&ui, &opt);
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, &opt) != 0)
		return EXIT_INTERNAL;
	int ex;
	if (strcmp(verb, "import") == 0 && nargs > 0) {
		ex = db_import(ctx, db, type, args, nargs, ui.quiet);
	} else if (strcmp(verb, "status") == 0 && nargs == 0) {
		ex = db_status(ctx, db);
	} else {
		fprintf(stderr, "lading db: expected 'import INPUT...' or 'status'\n");
		db_usage(stderr);
		ex = EXIT_USAGE;
	}
	lading_ctx_free(ctx);
	return ex;
}
