/* lading command line: dispatches to one cmd_<verb>() per subcommand. The CLI
 * is a thin caller of the public API in include/lading/. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lading/lading.h"

static void usage(FILE *f)
{
	fputs("usage: lading <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  sbom TARGET     list what is inside an image (bill of materials)\n"
	      "  scan TARGET     list the known vulnerabilities of what is inside an image\n"
	      "  db import|update|status  build, update or inspect the vulnerability database\n"
	      "  version         print the version\n"
	      "\n"
	      "Run 'lading <command> --help' for a command's options.\n"
	      "Exit codes: 0 success, 1 internal error, 2 usage error, 3 unreadable or\n"
	      "invalid target, 4 output could not be written (see docs/usage.md).\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "sbom") == 0)
		return cmd_sbom(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0)
		return cmd_scan(argc - 1, argv + 1); /* SCANLINE */
	if (strcmp(cmd, "db") == 0)
		return cmd_db(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("lading %s\n", LADING_VERSION);
		return 0;
	}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "lading: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
