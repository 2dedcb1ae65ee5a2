/* The writers' front door: parses a format name, fixes the per-render
 * metadata (a timestamp and a serial, either given for reproducible output or
 * taken from the clock and the kernel's random source) and dispatches to one
 * writer, for an SBOM or for scan results. The helpers the writers share are
 * in common.c, below the writers: dependencies run report.c -> writers ->
 * common.c. */
#include "report/writers.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lading/report.h"

int lading_format_parse(lading_format *out, const char *name)
{
	static const struct {
		const char *name;
		lading_format fmt;
	} names[] = {
	    {"table", LADING_FMT_TABLE},   {"json", LADING_FMT_JSON}, {"cyclonedx", LADING_FMT_CYCLONEDX},
	    {"cdx", LADING_FMT_CYCLONEDX}, {"spdx", LADING_FMT_SPDX}, {"spdx-json", LADING_FMT_SPDX},
	    {"sarif", LADING_FMT_SARIF},
	};
	if (!out || !name)
		return -LADING_EINVAL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -LADING_EINVAL;
}


/* SPDX's `created` admits only this one shape, so a caller's timestamp is
 * held to it rather than passed through into an invalid document. */
static bool valid_timestamp(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(t) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !rp_is_digit(t[i]) : t[i] != shape[i])
			return false;
	}
	return true;
}

/* Accepts "8-4-4-4-12" hex, optionally prefixed "urn:uuid:"; stores lowercase. */
static bool parse_serial(char out[37], const char *s)
{
	if (strncmp(s, "urn:uuid:", 9) == 0)
		s += 9;
	if (strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !rp_is_hex(s[i]))
			return false;
		out[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	}
	out[36] = 0;
	return true;
}

static int random_bytes(unsigned char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	/* Kernels without getrandom(2): fall back to the device. */
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -LADING_EIO;
	got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? 0 : -LADING_EIO;
}

static int make_meta(rp_meta *m, const lading_report_options *opts)
{
	memset(m, 0, sizeof(*m));
	/* Read only the fields the caller's struct actually has. */
	size_t have = opts ? opts->struct_size : 0;
	const char *ts = have >= offsetof(lading_report_options, timestamp) + sizeof(opts->timestamp)
			     ? opts->timestamp
			     : NULL;
	const char *serial =
	    have >= offsetof(lading_report_options, serial) + sizeof(opts->serial) ? opts->serial : NULL;
	m->color = have >= offsetof(lading_report_options, color) + sizeof(opts->color) ? opts->color : 0;
	if (ts) {
		if (!valid_timestamp(ts))
			return -LADING_EINVAL;
		memcpy(m->timestamp, ts, sizeof(m->timestamp));
	} else {
		time_t now = time(NULL);
		struct tm tm;
		if (!gmtime_r(&now, &tm) ||
		    strftime(m->timestamp, sizeof(m->timestamp), "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
			return -LADING_EIO;
	}
	if (serial) {
		if (!parse_serial(m->serial, serial))
			return -LADING_EINVAL;
	} else {
		unsigned char u[16];
		int rc = random_bytes(u, sizeof(u));
		if (rc)
			return rc;
		u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
		u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
		char hex[33];
		hex_encode(hex, u, sizeof(u));
		snprintf(m->serial, sizeof(m->serial), "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
			 hex + 16, hex + 20);
	}
	return 0;
}

/* Hands the writer's bytes to the caller, or frees them on failure. */
/* Renders into `o` (streamed when it has a sink). */
static int render(rp_out *o, const lading_inventory *inv, const lading_findings *f, lading_format fmt,
		  const lading_report_options *opts)
{
	if (!inv)
		return -LADING_EINVAL;
	/* A finding that names no package of this inventory is the caller's
	 * mistake (findings of another scan): refuse it here, once, so that no
	 * writer has to invent a package for it. */
	size_t np = lading_inventory_npackages(inv), nf = f ? rp_nlisted(f) : 0;
	for (size_t i = 0; i < nf; i++)
		if (rp_listed(f, i)->package >= np)
			return -LADING_EINVAL;
	rp_meta m;
	int rc = make_meta(&m, opts);
	if (rc)
		return rc;
	buf *b = &o->b;
	switch (fmt) {
	case LADING_FMT_TABLE: rc = f ? rp_table_scan(b, inv, f, &m) : rp_table(b, inv, &m); break;
	case LADING_FMT_JSON: rc = f ? rp_json_scan(b, inv, f, &m) : rp_json(b, inv, &m); break;
	case LADING_FMT_CYCLONEDX: rc = f ? rp_cyclonedx_scan(b, inv, f, &m) : rp_cyclonedx(b, inv, &m); break;
	/* SPDX 2.3 has no place for vulnerabilities */
	case LADING_FMT_SPDX: rc = f ? -LADING_EINVAL : rp_spdx(b, inv, &m); break;
	/* SARIF describes results; an SBOM has none */
	case LADING_FMT_SARIF: rc = f ? rp_sarif(b, inv, f, &m) : -LADING_EINVAL; break;
	default: rc = -LADING_EINVAL; break;
	}
	if (!rc)
		rc = rp_flush(b, true);
	return o->err ? o->err : rc;
}

static int render_buffer(char **out, size_t *len, const lading_inventory *inv, const lading_findings *f,
			 lading_format fmt, const lading_report_options *opts)
{
	if (!out)
		return -LADING_EINVAL;
	*out = NULL;
	if (len)
		*len = 0;
	rp_out o = {0};
	int rc = render(&o, inv, f, fmt, opts);
	/* Empty output still has to come back as a real, NUL-terminated string
	 * (buf_steal of a never-written buffer does not terminate it). */
	if (!rc && !o.b.p)
		rc = buf_append(&o.b, "", 0);
	if (rc) {
		buf_free(&o.b);
		return rc;
	}
	*out = buf_steal(&o.b, len);
	return *out ? 0 : -LADING_ENOMEM;
}

static int render_stream(const lading_inventory *inv, const lading_findings *f, lading_format fmt,
			 const lading_report_options *opts, lading_write_fn write, void *userdata)
{
	if (!write)
		return -LADING_EINVAL;
	rp_out o = {.write = write, .ud = userdata};
	int rc = render(&o, inv, f, fmt, opts);
	buf_free(&o.b);
	return rc;
}

int lading_report_render(char **out, size_t *len, const lading_inventory *inv, lading_format fmt,
			 const lading_report_options *opts)
{
	return render_buffer(out, len, inv, NULL, fmt, opts);
}

int lading_report_render_scan(char **out, size_t *len, const lading_inventory *inv, const lading_findings *f,
			      lading_format fmt, const lading_report_options *opts)
{
	return f ? render_buffer(out, len, inv, f, fmt, opts) : -LADING_EINVAL;
}

int lading_report_write(const lading_inventory *inv, lading_format fmt, const lading_report_options *opts,
			lading_write_fn write, void *userdata)
{
	return render_stream(inv, NULL, fmt, opts, write, userdata);
}

int lading_report_write_scan(const lading_inventory *inv, const lading_findings *f, lading_format fmt,
			     const lading_report_options *opts, lading_write_fn write, void *userdata)
{
	return f ? render_stream(inv, f, fmt, opts, write, userdata) : -LADING_EINVAL;
}
