/* lading scan: read an image, match its packages against the vulnerability
 * database, filter, and report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static void scan_usage(FILE *f)
{
	fputs("usage: lading scan [options] TARGET\n"
	      "\n"
	      "List the known vulnerabilities of every package in an image. TARGET is anything\n"
	      "'lading sbom' accepts (see 'lading sbom --help'), a registry image\n"
	      "(HOST/REPO:TAG, streamed), or sbom:FILE, lading's own JSON (sbom or scan,\n"
	      "read back whole: matched as the image was) or a CycloneDX JSON SBOM\n"
	      "(lading's, trivy's, syft's), scanned without the image.\n"
	      "\n"
	      "options:\n"
	      "  -f, --format FMT           table, json, sarif, cyclonedx\n"
	      "                             (default: table on a terminal, json otherwise)\n"
	      "  -o, --output FILE          write to FILE instead of standard output\n"
	      "      --db PATH              vulnerability database (default $LADING_DB, else\n"
	      "                             $XDG_CACHE_HOME/lading/vuln.db, else ~/.cache/lading/vuln.db)\n"
	      "  -s, --severity LIST        only these severities, comma-separated: critical,high,\n"
	      "                             medium,low,negligible,unknown (default: all)\n"
	      "      --ignore-unfixed       leave out vulnerabilities that have no fix yet\n"
	      "      --ignorefile FILE      ids to suppress: 'ID [exp:YYYY-MM-DD] [pkg:NAME] # reason'\n"
	      "      --vex FILE             an OpenVEX document (repeatable): not_affected statements\n"
	      "                             suppress what they name, others annotate it\n"
	      "      --exit-code N          exit with N when findings remain after filtering\n"
	      "      --no-integrity         do not check OS package files against their package\n"
	      "                             database digests (saves hashing every file)\n"
	      CLI_IMAGE_HELP
	      "  -q, --quiet                no warnings or progress on standard error\n"
	      "  -h, --help                 this help\n"
	      "\n"
	      "Exit codes: 0 success (or findings without --exit-code), N with --exit-code N when\n"
	      "findings remain, 1 internal error, 2 usage error, 3 unreadable or invalid target or\n"
	      "database, 4 output not written.\n",
	      f);
}

/* "high,critical" -> bit mask over lading_severity; false on an unknown name. */
static bool parse_severities(const char *list, unsigned *mask)
{
	*mask = 0;
	char *copy = strdup(list), *save = NULL;
	bool ok = copy != NULL;
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; ok && t; t = strtok_r(NULL, ",", &save)) {
		lading_severity s;
		while (*t == ' ')
			t++;
		ok = lading_severity_parse(&s, t) == 0;
		if (ok)
			*mask |= 1u << s;
	}
	free(copy);
	return ok && *mask;
}

/* cmd_scan with `vex`, room for one --vex path per argument. */
static int scan(int argc, char **argv, const char **vex)
{
	enum { OPT_DB = 1000, OPT_IGNORE_UNFIXED, OPT_IGNOREFILE, OPT_EXIT_CODE, OPT_NO_INTEGRITY, OPT_VEX };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"db", required_argument, NULL, OPT_DB},
		{"severity", required_argument, NULL, 's'},
		{"ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED},
		{"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
		{"vex", required_argument, NULL, OPT_VEX},
		{"exit-code", required_argument, NULL, OPT_EXIT_CODE},
		{"no-integrity", no_argument, NULL, OPT_NO_INTEGRITY},
		CLI_IMAGE_LONGOPTS,
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	/* file integrity is on by default for scan: a replaced binary is a finding */
	lading_options opt;
	if (cli_options_init(&opt) != EXIT_OK)
		return EXIT_USAGE;
	opt.integrity = 1;
	lading_filter flt = {.struct_size = sizeof(flt), .vex_files = vex};
	const char *format = NULL, *output = NULL, *db_path = NULL;
	char defdb[4096];
	int exit_code = 0;
	cli_ui ui = {.tty = isatty(2) != 0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:s:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case OPT_DB: db_path = optarg; break;
		case 's':
			if (!parse_severities(optarg, &flt.severities)) {
				fprintf(stderr, "lading scan: invalid --severity '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_IGNORE_UNFIXED: flt.ignore_unfixed = 1; break;
		case OPT_IGNOREFILE: flt.ignorefile = optarg; break;
		case OPT_VEX: vex[flt.nvex_files++] = optarg; break;
		case OPT_NO_INTEGRITY: opt.integrity = 0; break;
		case OPT_EXIT_CODE: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 0 || n > 255) {
				fprintf(stderr, "lading scan: --exit-code wants 0..255, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			exit_code = (int)n;
			break;
		}
		case 'q': ui.quiet = true; break;
		case 'h': scan_usage(stdout); return EXIT_OK;
		default:
			switch (cli_image_opt(c, optarg, &opt)) {
			case 0: break;
			case 1: return EXIT_USAGE;
			default: scan_usage(stderr); return EXIT_USAGE;
			}
		}
	}
	const char *target = cli_one_target(argc, argv, "scan", &opt, scan_usage);
	if (!target)
		return EXIT_USAGE;
	lading_format fmt;
	if (!cli_pick_format(&fmt, "scan", format, output, "table,json,sarif,cyclonedx"))
		return EXIT_USAGE;
	if (!db_path)
		db_path = cli_default_db(defdb, sizeof(defdb));
	cli_ui_attach(&ui, &opt);

	lading_ctx *ctx = NULL;
	lading_inventory *inv = NULL;
	lading_vulndb *db = NULL;
	lading_findings *fs = NULL;
	int ex = EXIT_OK, rc = lading_ctx_new(&ctx, &opt);
	if (rc) {
		fprintf(stderr, "lading: cannot create a context: %s\n", lading_strerror(rc));
		return EXIT_INTERNAL;
	}
	/* Open the database first: a missing database should fail before a long
	 * image read. When it does, check the target too (without reading its
	 * layers), so that both problems are told at once. */
	if ((rc = lading_vulndb_open(&db, ctx, db_path)) != 0) {
		char dberr[2048], dbreason[64];
		snprintf(dberr, sizeof(dberr), "%s", lading_ctx_error(ctx));
		const char *r = lading_ctx_last_error(ctx)->reason;
		snprintf(dbreason, sizeof(dbreason), "%s", r ? r : "");
		int trc = lading_target_probe(ctx, target);
		if (trc)
			fprintf(stderr, "lading: %s\n", lading_ctx_error(ctx));
		fprintf(stderr, "lading: %s\n", dberr[0] ? dberr : lading_strerror(rc));
		if (strcmp(dbreason, "db.missing") == 0)
			fprintf(stderr, "lading: fill it with 'lading db update' (the public feeds) or "
					"'lading db import FEED...' (feed files), or name another with --db\n");
		ex = cli_exit_for(trc ? trc : rc);
		goto out;
	}
	cli_cancel_on_signal(ctx);
	if ((rc = lading_sbom(&inv, ctx, target)) != 0 ||
	    (rc = lading_match(&fs, ctx, inv, db)) != 0 || (rc = lading_findings_filter(fs, ctx, &flt)) != 0) {
		cli_cancel_on_signal(NULL);
		cli_progress_end(&ui);
		ex = cli_fail(ctx, rc);
		goto out;
	}
	cli_cancel_on_signal(NULL);
	cli_progress_end(&ui);
	cli_print_warnings(&ui, inv);
	lading_report_options ro = {.struct_size = sizeof(ro), .color = fmt == LADING_FMT_TABLE && !output && isatty(1)};
	ex = cli_emit(output, inv, fs, fmt, &ro);
	if (ex == EXIT_OK && exit_code && lading_findings_count(fs) > 0)
		ex = exit_code;
out:
	lading_findings_free(fs);
	lading_inventory_free(inv);
	lading_vulndb_close(db);
	lading_ctx_free(ctx);
	return ex;
}

int cmd_scan(int argc, char **argv)
{
	/* --vex FILE...: at most one per argument, so argc bounds them */
	const char **vex = calloc((size_t)argc + 1, sizeof(*vex));
	if (!vex) {
		fprintf(stderr, "lading scan: out of memory\n");
		return EXIT_INTERNAL;
	}
	int ex = scan(argc, argv, vex);
	free(vex);
	return ex;
}
