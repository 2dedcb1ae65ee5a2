/* Helpers shared by the subcommands: exit codes, sizes, output files, and the
 * terminal progress display. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "front.h"

int cli_exit_for(int rc) { return front_exit_status(rc); }

int cli_fail(const lading_ctx *ctx, int rc)
{
	const lading_error *e = lading_ctx_last_error(ctx);
	const char *detail = e && e->message[0] ? e->message : lading_strerror(rc);
	fprintf(stderr, "lading: %s\n", detail);
	const char *hint = front_cli_hint(e);
	if (hint)
		fprintf(stderr, "lading: %s\n", hint);
	return cli_exit_for(rc);
}

/* The context of the call running now, for SIGINT/SIGTERM (the CLI runs one
 * call at a time). */
static lading_ctx *volatile running_ctx;

static void on_interrupt(int sig)
{
	lading_ctx *c = running_ctx;
	if (c && !lading_ctx_is_cancelled(c)) {
		/* the first: cancel, so that the call cleans up and returns */
		lading_ctx_cancel(c);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void cli_cancel_on_signal(lading_ctx *ctx)
{
	running_ctx = ctx;
	struct sigaction sa = {.sa_handler = ctx ? on_interrupt : SIG_DFL};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_options_init(lading_options *opt)
{
	static char docker_dir[4096];
	char err[256];
	*opt = (lading_options){.struct_size = sizeof(*opt)};
	if (front_options_from_env(opt, docker_dir, sizeof(docker_dir), err, sizeof(err)) != 0) {
		fprintf(stderr, "lading: %s\n", err);
		return EXIT_USAGE;
	}
	/* the user names what to scan and where: every address and kind */
	opt->allow_private_addresses = 1;
	return EXIT_OK;
}

bool cli_pick_format(lading_format *out, const char *cmd, const char *name, const char *output,
		     const char *allowed)
{
	if (!name) {
		*out = (!output && isatty(1)) ? LADING_FMT_TABLE : LADING_FMT_JSON;
		return true;
	}
	/* the canonical name of the parsed format must be in the allowed list */
	static const char *const canon[] = {NULL, "table", "json", "cyclonedx", "spdx", "sarif"};
	lading_format f;
	if (lading_format_parse(&f, name) == 0 && (unsigned)f < sizeof(canon) / sizeof(canon[0])) {
		size_t n = strlen(canon[f]);
		for (const char *p = allowed; (p = strstr(p, canon[f])) != NULL; p += n)
			if ((p == allowed || p[-1] == ',') && (p[n] == ',' || p[n] == 0)) {
				*out = f;
				return true;
			}
	}
	fprintf(stderr, "lading %s: unknown format '%s' (%s)\n", cmd, name, allowed);
	return false;
}

bool cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 0: break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return false;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

void cli_log(void *ud, lading_log_level level, const char *msg)
{
	cli_ui *ui = ud;
	if (level < LADING_LOG_WARN || ui->quiet)
		return;
	if (ui->drawn) {
		fputs("\r\033[K", stderr);
		ui->drawn = false;
	}
	fprintf(stderr, "lading: warning: %s\n", msg);
}

int cli_progress(void *ud, int layer, uint64_t done, uint64_t total)
{
	cli_ui *ui = ud;
	if (!ui->tty || ui->quiet || layer < 0 || layer >= 64)
		return 0;
	ui->bytes[layer] = done;
	ui->totals[layer] = total;
	if (layer + 1 > ui->nlayers_seen)
		ui->nlayers_seen = layer + 1;
	uint64_t d = 0, t = 0;
	for (int i = 0; i < ui->nlayers_seen; i++)
		d += ui->bytes[i], t += ui->totals[i];
	/* redraw at most every 4 MiB of progress to keep the terminal quiet */
	static const uint64_t step = 4u << 20;
	if (done % step > 256 * 1024 && done != total)
		return 0;
	/* per layer: how many are done, and the percentage of a few in flight
	 * (registry layers arrive at network speed, one by one) */
	char per[128] = "";
	size_t o = 0;
	int done_layers = 0, shown = 0;
	for (int i = 0; i < ui->nlayers_seen; i++) {
		if (ui->totals[i] && ui->bytes[i] >= ui->totals[i])
			done_layers++;
		else if (ui->totals[i] && ui->bytes[i] && shown < 4 && o < sizeof(per)) {
			int w = snprintf(per + o, sizeof(per) - o, " L%d %d%%", i, (int)(100 * ui->bytes[i] / ui->totals[i]));
			o += w > 0 ? (size_t)w : 0;
			shown++;
		}
	}
	fprintf(stderr, "\r\033[Kreading layers (%d done): %.1f / %.1f MiB%s", done_layers, (double)d / 1048576.0,
		(double)t / 1048576.0, per);
	ui->drawn = true;
	return 0;
}

void cli_progress_end(cli_ui *ui)
{
	if (ui->drawn)
		fputs("\r\033[K", stderr);
	ui->drawn = false;
}

void cli_print_warnings(const cli_ui *ui, const lading_inventory *inv)
{
	enum { SHOWN = 20 };
	size_t n = lading_inventory_nwarnings(inv);
	if (ui->quiet)
		return;
	for (size_t i = 0; i < n && i < SHOWN; i++)
		fprintf(stderr, "lading: warning: %s\n", lading_inventory_warning(inv, i));
	if (n > SHOWN)
		fprintf(stderr, "lading: %zu more warnings (all are in the json report's \"warnings\")\n", n - SHOWN);
}

void cli_ui_attach(cli_ui *ui, lading_options *opt)
{
	opt->log = cli_log;
	opt->log_userdata = ui;
	opt->progress = cli_progress;
	opt->progress_userdata = ui;
}

int cli_image_opt(int c, const char *arg, lading_options *opt)
{
	switch (c) {
	case 'P': {
		int slashes = 0;
		for (const char *p = arg; *p; p++)
			slashes += *p == '/';
		if (slashes < 1 || slashes > 2 || arg[0] == '/') {
			fprintf(stderr, "lading: --platform wants OS/ARCH[/VARIANT], got '%s'\n", arg);
			return 1;
		}
		opt->platform = arg;
		return 0;
	}
	case 'F':
	case 'I':
	case 'N': {
		uint64_t v;
		if (!cli_parse_size(arg, &v) || v == 0) {
			fprintf(stderr, "lading: invalid size '%s'\n", arg);
			return 1;
		}
		if (c == 'F')
			opt->max_file_size = v;
		else if (c == 'I')
			opt->max_image_size = v;
		else
			opt->max_nested_size = v;
		return 0;
	}
	case 'T': {
		char *end;
		long n = strtol(arg, &end, 10);
		if (*end || n < 1 || n > 64) {
			fprintf(stderr, "lading: invalid thread count '%s'\n", arg);
			return 1;
		}
		opt->threads = (int)n;
		return 0;
	}
	case 'K': opt->registry_insecure = 1; return 0;
	case 'U':
		if (!*arg) {
			fprintf(stderr, "lading: --username wants a user name\n");
			return 1;
		}
		opt->registry_username = arg;
		return 0;
	case 'C':
		if (!*arg) {
			fprintf(stderr, "lading: --cache-dir wants a directory\n");
			return 1;
		}
		opt->cache_dir = arg;
		return 0;
	case 'W': {
		/* One line, like `docker login --password-stdin`; the CLI lives as
		 * long as the scan, so a static buffer is enough. */
		static char pw[4096];
		size_t n = 0;
		int ch;
		while ((ch = getchar()) != EOF && ch != '\n') {
			if (n + 1 >= sizeof(pw)) {
				fprintf(stderr, "lading: --password-stdin: password longer than %zu bytes\n", sizeof(pw) - 1);
				return 1;
			}
			pw[n++] = (char)ch;
		}
		if (n && pw[n - 1] == '\r')
			n--;
		pw[n] = 0;
		if (n == 0) {
			fprintf(stderr, "lading: --password-stdin: no password on standard input\n");
			return 1;
		}
		opt->registry_password = pw;
		return 0;
	}
	}
	return -1;
}

const char *cli_one_target(int argc, char **argv, const char *cmd, const lading_options *opt, void (*usage)(FILE *))
{
	if (cli_image_opts_done(opt))
		return NULL;
	if (optind != argc - 1) {
		fprintf(stderr, "lading %s: expected exactly one TARGET\n", cmd);
		usage(stderr);
		return NULL;
	}
	return argv[optind];
}

int cli_image_opts_done(const lading_options *opt)
{
	if (opt->registry_username && !opt->registry_password) {
		fprintf(stderr, "lading: --username needs --password-stdin\n");
		return 1;
	}
	if (opt->registry_password && !opt->registry_username) {
		fprintf(stderr, "lading: --password-stdin needs --username\n");
		return 1;
	}
	return 0;
}

const char *cli_default_db(char *buf, size_t cap)
{
	const char *env = getenv("LADING_DB");
	if (env && *env)
		return env;
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, cap, "%s/lading/vuln.db", xdg);
	else
		snprintf(buf, cap, "%s/.cache/lading/vuln.db", home && *home ? home : ".");
	return buf;
}
