/* Shared pieces of the command-line front end. */
#ifndef LADING_CLI_H
#define LADING_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "lading/lading.h"

enum {
	EXIT_OK = 0,
	EXIT_INTERNAL = 1, /* out of memory, unexpected failure */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_TARGET = 3,   /* unreadable or invalid target */
	EXIT_OUTPUT = 4,   /* output could not be written */
	EXIT_CANCELLED = 130, /* interrupted (SIGINT), as a shell reports it */
};

int cmd_sbom(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_db(int argc, char **argv);

/* Options every command that reads an image shares (--platform, limits,
 * --threads, and the registry ones: --insecure, --username, --password-stdin,
 * --cache-dir), as getopt_long entries with codes 'P', 'F', 'I', 'N', 'T',
 * 'K', 'U', 'W', 'C' (none of them is a short option of any command). */
#define CLI_IMAGE_LONGOPTS                                                                                \
	{"platform", required_argument, NULL, 'P'}, {"max-file-size", required_argument, NULL, 'F'},      \
		{"max-image-size", required_argument, NULL, 'I'},                                         \
		{"max-nested-size", required_argument, NULL, 'N'}, {"threads", required_argument, NULL, 'T'}, \
		{"insecure", no_argument, NULL, 'K'}, {"username", required_argument, NULL, 'U'},         \
		{"password-stdin", no_argument, NULL, 'W'}, {"cache-dir", required_argument, NULL, 'C'}
/* The help text for those options, shared by the commands' usage. */
#define CLI_IMAGE_HELP                                                                                    \
	"      --platform OS/ARCH[/V] image to choose from a multi-platform index\n"                          \
	"                             (default linux/amd64)\n"                                               \
	"      --max-file-size SIZE   largest file a cataloger reads (default 256M; over 2M they\n"        \
	"                             are spooled to $TMPDIR, not held in memory)\n"                       \
	"      --max-image-size SIZE  largest total uncompressed image read (default 64G)\n"                 \
	"      --max-nested-size SIZE bytes inflated from archives inside files (jars in\n"              \
	"                             wars, and deeper) over the whole image (default 1G)\n"                      \
	"      --threads N            threads reading layers (default: CPUs, at most 8); each\n"             \
	"                             may walk two layers in turns (their hashing pairs up),\n"            \
	"                             and one with no layer left hashes for another\n"                     \
	"registry images:\n"                                                                                 \
	"      --username USER        registry user name (with --password-stdin); default: the\n"           \
	"                             \"auths\" of $DOCKER_CONFIG/config.json or ~/.docker/config.json\n"    \
	"      --password-stdin       read the registry password (or token) from standard input\n"          \
	"      --insecure             allow plain HTTP and unverified TLS certificates (warns);\n"          \
	"                             a registry on localhost/127.0.0.1 may use plain HTTP anyway\n"       \
	"      --cache-dir DIR        keep downloaded layers in DIR, by digest, and reuse them\n"
/* Handles one of those options: 0 handled, 1 bad value (message printed),
 * -1 not one of them. */
int cli_image_opt(int c, const char *arg, lading_options *opt);
/* Once getopt is done: the image options checked as a whole and exactly one
 * TARGET left (`usage` printed otherwise); NULL on a usage error. */
const char *cli_one_target(int argc, char **argv, const char *cmd, const lading_options *opt, void (*usage)(FILE *));
/* Checks the image options as a whole once parsing is done (--username and
 * --password-stdin go together): 0 ok, 1 usage error (message printed). */
int cli_image_opts_done(const lading_options *opt);
/* The default vulnerability database: $LADING_DB, else
 * $XDG_CACHE_HOME/lading/vuln.db, else ~/.cache/lading/vuln.db. */
const char *cli_default_db(char *buf, size_t cap);

/* Options as the command line gives them: the environment's (front.h:
 * LADING_HTTP_*, proxies, DOCKER_CONFIG, TMPDIR) and every address allowed.
 * EXIT_OK, or EXIT_USAGE after printing what is wrong. */
int cli_options_init(lading_options *opt);
/* While a call runs on `ctx`, SIGINT and SIGTERM cancel it (it cleans up
 * and returns LADING_ECANCELLED); a second signal kills. NULL restores the
 * default. */
void cli_cancel_on_signal(lading_ctx *ctx);
/* Maps a library error code to an exit code. */
int cli_exit_for(int rc);
/* Prints the context's detail of failure `rc` ("lading: …") and the hint
 * for its reason, if any, and returns the exit code for it. */
int cli_fail(const lading_ctx *ctx, int rc);
/* Chooses the output format: `name` if given (it must be one of `allowed`,
 * a comma-separated list, for this command), else table on a terminal and
 * json otherwise. Prints a usage error and returns false on a bad name. */
bool cli_pick_format(lading_format *out, const char *cmd, const char *name, const char *output,
		     const char *allowed);
/* Parses "256M", "2G", "4096" (bytes); false on junk. */
bool cli_parse_size(const char *s, uint64_t *out);
/* An output file being written (cli/output.c): a regular file goes to a
 * temporary file beside it, renamed over it on commit; a device, FIFO or
 * socket is written in place; "-" or NULL is standard output. */
typedef struct cli_output {
	int fd;
	const char *name; /* for messages: the path given, or "standard output" */
	char *tmp;        /* the temporary file, NULL when written in place */
	char *final;      /* what tmp is renamed to (a symlink's target) */
	bool is_stdout;
	int err;          /* errno of the first failed write */
} cli_output;
/* Each prints its own message and returns an EXIT_* code. */
int cli_output_open(cli_output *o, const char *path);
int cli_output_write(cli_output *o, const void *data, size_t len);
int cli_output_commit(cli_output *o);
void cli_output_abort(cli_output *o);
/* The report (scan results when `fs` is given) streamed into `path` ("-"
 * or NULL: standard output) as it is rendered: open, write as it comes,
 * commit. An EXIT_* code, the message printed. */
int cli_emit(const char *path, const lading_inventory *inv, const lading_findings *fs, lading_format fmt,
	     const lading_report_options *ro);

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
int cli_progress(void *ud, int layer, uint64_t done, uint64_t total);
void cli_progress_end(cli_ui *ui);
/* The inventory's warnings on standard error (the first 20, then a count;
 * all of them are in the json report), unless --quiet. */
void cli_print_warnings(const cli_ui *ui, const lading_inventory *inv);
/* Points the options' log and progress callbacks at the UI. */
void cli_ui_attach(cli_ui *ui, lading_options *opt);

#endif
