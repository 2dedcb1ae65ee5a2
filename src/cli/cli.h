/* Shared pieces of the command-line front end. */
#ifndef LADING_CLI_H
#define LADING_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "lading/lading.h"

enum {
	EXIT_OK = 0,
	EXIT_INTERNAL = 1, /* out of memory, unexpected failure */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_TARGET = 3,   /* unreadable or invalid target */
	EXIT_OUTPUT = 4,   /* output could not be written */
};

int cmd_sbom(int argc, char **argv);

/* Maps a library error code to an exit code. */
int cli_exit_for(int rc);
/* Parses "256M", "2G", "4096" (bytes); false on junk. */
bool cli_parse_size(const char *s, uint64_t *out);
/* Writes `len` bytes to `path` ("-" = stdout) via a temporary file and rename. */
int cli_write_output(const char *path, const char *data, size_t len);

/* Log and progress sinks for the library: warnings to stderr, and a one-line
 * progress display when stderr is a terminal. */
typedef struct cli_ui {
	bool quiet;
	bool tty;
	int nlayers_seen;
	uint64_t bytes[64];
	uint64_t totals[64];
	bool drawn;
} cli_ui;
void cli_log(void *ud, lading_log_level level, const char *msg);
void cli_progress(void *ud, int layer, uint64_t done, uint64_t total);
void cli_progress_end(cli_ui *ui);

#endif
