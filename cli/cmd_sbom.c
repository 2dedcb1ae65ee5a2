/* lading sbom: read an image and print its bill of materials. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void sbom_usage(FILE *f)
{
	fputs("usage: lading sbom [options] TARGET\n"
	      "\n"
	      "List every OS package in a container image, and the layer that brought it in.\n"
	      "\n"
	      "TARGET:\n"
	      "  docker-archive:PATH        a 'docker save' / skopeo docker-archive tar\n"
	      "  oci:DIR[:TAG]              an OCI image layout directory\n"
	      "  oci-archive:PATH[:TAG]     an OCI image layout as a tar\n"
	      "  dir:PATH                   an unpacked root file system (read only)\n"
	      "  rootfs-archive:PATH        a root file system tarball (.tar, .tar.gz, .tar.zst)\n"
	      "  sbom:FILE                  a BOM, not an image: lading's JSON (read back whole)\n"
	      "                             or a CycloneDX JSON SBOM (what it lists)\n"
	      "  PATH                       any of the above, detected\n"
	      "  [docker://]REF             an image in a registry, streamed: HOST[:PORT]/REPO[:TAG],\n"
	      "                             REPO@sha256:..., 'alpine' = docker.io/library/alpine:latest\n"
	      "                             (an existing local path wins; see docs/registry.md)\n"
	      "\n"
	      "options:\n"
	      "  -f, --format FMT           table, json, cyclonedx, spdx\n"
	      "                             (default: table on a terminal, json otherwise)\n"
	      "  -o, --output FILE          write to FILE instead of standard output\n"
	      "      --integrity            check OS package files against their package database\n"
	      "                             digests; report modified, missing and unpackaged files\n"
	      CLI_IMAGE_HELP
	      "  -q, --quiet                no warnings or progress on standard error\n"
	      "  -h, --help                 this help\n"
	      "\n"
	      "Exit codes: 0 success, 1 internal error, 2 usage error, 3 unreadable or invalid\n"
	      "target (missing, corrupt, digest mismatch, over a limit), 4 output not written.\n",
	      f);
}

int cmd_sbom(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"integrity", no_argument, NULL, 1000},
		CLI_IMAGE_LONGOPTS,
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	lading_options opt;
	if (cli_options_init(&opt) != EXIT_OK)
		return EXIT_USAGE;
	const char *format = NULL, *output = NULL;
	cli_ui ui = {.tty = isatty(2) != 0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 1000: opt.integrity = 1; break;
		case 'q': ui.quiet = true; break;
		case 'h': sbom_usage(stdout); return EXIT_OK;
		default:
			switch (cli_image_opt(c, optarg, &opt)) {
			case 0: break;
			case 1: return EXIT_USAGE;
			default: sbom_usage(stderr); return EXIT_USAGE;
			}
		}
	}
	const char *target = cli_one_target(argc, argv, "sbom", &opt, sbom_usage);
	if (!target)
		return EXIT_USAGE;
	lading_format fmt;
	if (!cli_pick_format(&fmt, "sbom", format, output, "table,json,cyclonedx,spdx"))
		return EXIT_USAGE;
	cli_ui_attach(&ui, &opt);

	lading_ctx *ctx = NULL;
	lading_inventory *inv = NULL;
	int rc = lading_ctx_new(&ctx, &opt), ex;
	if (rc) {
		fprintf(stderr, "lading: cannot create a context: %s\n", lading_strerror(rc));
		return EXIT_INTERNAL;
	}
	cli_cancel_on_signal(ctx);
	rc = lading_sbom(&inv, ctx, target);
	cli_cancel_on_signal(NULL);
	cli_progress_end(&ui);
	if (rc) {
		ex = cli_fail(ctx, rc);
		goto out;
	}
	cli_print_warnings(&ui, inv);
	lading_report_options ro = {.struct_size = sizeof(ro), .color = fmt == LADING_FMT_TABLE && !output && isatty(1)};
	ex = cli_emit(output, inv, NULL, fmt, &ro);
out:
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	return ex;
}
