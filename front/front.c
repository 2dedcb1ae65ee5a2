/* Environment -> options, and the error tables of the front ends (front.h). */
#include "front.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int front_parse_number(const char *s, double min, double max, double *out)
{
	if (!s || !*s || strlen(s) > 32)
		return -1;
	int dots = 0, digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p >= '0' && *p <= '9')
			digits++;
		else
			return -1;
	}
	if (dots > 1 || digits == 0)
		return -1;
	double v = strtod(s, NULL);
	if (!(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}

/* The first of the variables that is set and not empty, or NULL. */
static const char *first_env(const char *const *names)
{
	for (; *names; names++) {
		const char *v = getenv(*names);
		if (v && *v)
			return v;
	}
	return NULL;
}

int front_options_from_env(lading_options *o, char *store, size_t store_cap, char *err, size_t err_cap)
{
	static const struct {
		const char *var;
		double min, max, scale; /* value * scale -> the option's unit */
		int field;
	} nums[] = {
		{"LADING_HTTP_CONNECT_TIMEOUT", 0.001, 3600, 1000, 0},
		{"LADING_HTTP_LOW_SPEED_TIME", 1, 3600, 1, 1},
		{"LADING_HTTP_LOW_SPEED_LIMIT", 1, 1e9, 1, 2},
		{"LADING_HTTP_TIMEOUT", 0.001, 86400, 1000, 3},
		{"LADING_HTTP_RETRIES", 0, 10, 1, 4},
		{"LADING_HTTP_RETRY_DELAY", 0, 60, 1000, 5},
		{"LADING_HTTP_MAX_SIZE", 1, 1e12, 1, 6},
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		const char *s = getenv(nums[i].var);
		double v;
		if (!s || !*s)
			continue;
		if (front_parse_number(s, nums[i].min, nums[i].max, &v) != 0) {
			snprintf(err, err_cap, "%s='%.40s': expected a number from %g to %g", nums[i].var, s,
				 nums[i].min, nums[i].max);
			return -1;
		}
		double x = v * nums[i].scale + 0.5;
		switch (nums[i].field) {
		case 0: o->http_connect_timeout_ms = (uint32_t)x; break;
		case 1: o->http_low_speed_time_s = (uint32_t)x; break;
		case 2: o->http_low_speed_limit = (uint32_t)x; break;
		case 3: o->http_timeout_ms = (uint64_t)x; break;
		case 4: o->http_max_attempts = (int)x + 1; break;
		/* 0 means "the default" in the options: a zero delay is 1 ms */
		case 5: o->http_retry_delay_ms = x < 1 ? 1 : (uint32_t)x; break;
		case 6: o->http_max_size = (uint64_t)x; break;
		}
	}
	const char *ca = getenv("LADING_HTTP_CA_BUNDLE");
	if (ca && *ca)
		o->ca_bundle = ca;
	static const char *const proxies[] = {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "http_proxy", NULL};
	static const char *const noproxy[] = {"no_proxy", "NO_PROXY", NULL};
	o->proxy = first_env(proxies);
	o->no_proxy = first_env(noproxy);
	const char *dc = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
	if (dc && *dc)
		o->docker_config = dc;
	else if (home && *home && store_cap && (size_t)snprintf(store, store_cap, "%s/.docker", home) < store_cap)
		o->docker_config = store;
	const char *tmp = getenv("TMPDIR");
	if (tmp && *tmp)
		o->tmp_dir = tmp;
	return 0;
}

/* One row per code: the exit status and the HTTP status. */
static const struct {
	int exit, http;
} table[LADING_ECOUNT] = {
	[LADING_OK] = {0, 200},
	[LADING_ENOMEM] = {1, 500},
	[LADING_EINVAL] = {2, 400},
	[LADING_EIO] = {3, 500},
	[LADING_ETARGET] = {3, 422},
	[LADING_EFORMAT] = {3, 422},
	[LADING_EDIGEST] = {3, 422},
	[LADING_ELIMIT] = {3, 413},
	[LADING_ENOTFOUND] = {3, 404},
	[LADING_EUNSUPP] = {3, 422},
	[LADING_EAUTH] = {3, 401},
	[LADING_EDENIED] = {3, 403},
	[LADING_ECERT] = {3, 502},
	[LADING_ENETWORK] = {3, 502},
	[LADING_ETIMEOUT] = {3, 504},
	[LADING_ECANCELLED] = {130, 499},
	[LADING_EDB] = {3, 503},
	[LADING_EBUSY] = {3, 409},
	[LADING_EPOLICY] = {3, 403},
};

int front_exit_status(int code)
{
	unsigned c = (unsigned)(code < 0 ? -code : code);
	return c < LADING_ECOUNT ? table[c].exit : 1;
}

int front_http_status(int code)
{
	unsigned c = (unsigned)(code < 0 ? -code : code);
	return c < LADING_ECOUNT ? table[c].http : 500;
}

const char *front_cli_hint(const lading_error *e)
{
	static const struct {
		const char *reason, *hint;
	} hints[] = {
		{"tls.certificate", "a test registry with a self-signed certificate: --insecure, or trust its CA with "
				    "LADING_HTTP_CA_BUNDLE=FILE"},
		{"registry.credentials_required", "give credentials with --username USER --password-stdin, or "
						  "'docker login' (~/.docker/config.json)"},
		{"registry.unauthorized", "check the credentials: --username USER --password-stdin, or "
					  "'docker login' (~/.docker/config.json)"},
		{"registry.realm_insecure", "--insecure allows a plain-HTTP token realm"},
		{"db.missing", "fill it with 'lading db update' (the public feeds) or 'lading db import FEED...' "
			       "(feed files), or name another with --db"},
		{"db.schema_newer", "a newer lading wrote it: upgrade lading, or build a new database with "
				    "'lading db update --db NEWPATH'"},
		{"feed.unknown_type", "name the feed's type with --type (lading db import --help lists them)"},
		{"limit.file_size", "raise the limit with --max-file-size"},
		{"limit.image_size", "raise the limit with --max-image-size"},
	};
	if (!e || !e->reason)
		return NULL;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(e->reason, hints[i].reason) == 0)
			return hints[i].hint;
	return NULL;
}
