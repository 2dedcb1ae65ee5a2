/* Python: installed distributions, one metadata file at a time (a file
 * cataloger). Three layouts carry the same RFC 822-style core metadata:
 *   NAME-VER.dist-info/METADATA    wheels, pip >= 20, pybuild with PEP 517
 *   NAME-VER.egg-info/PKG-INFO     setuptools installs (most of Debian's python3-*)
 *   NAME-VER.egg/EGG-INFO/PKG-INFO zipped-egg directories
 *   NAME-VER.egg-info              a single file (distutils, Debian's Python-2.7.egg-info)
 * They are recognised anywhere in the image, not only under site-packages or
 * dist-packages: virtualenvs, conda trees and packages vendored by another
 * (the dist-info directories in setuptools/_vendor) are installed code too.
 *
 * Name and version are reported as written; the matcher applies PEP 503
 * normalisation. Files owned are not reported: RECORD is a separate file that
 * the walk would hand to us on its own, with no way to attach it to the
 * package made from METADATA, and a second package record made from it would
 * count the distribution twice. The merge step still drops a distribution
 * whose metadata file an OS package owns (Debian's python3-urllib3). */
#include <stdlib.h>

#include "catalog/catalog.h"
#include "lading/lading.h"

static const cat_claim claims[] = {
    {CLAIM_SUFFIX, NULL, ".dist-info/METADATA"},
    {CLAIM_SUFFIX, NULL, ".egg-info/PKG-INFO"},
    {CLAIM_SUFFIX, NULL, "/EGG-INFO/PKG-INFO"},
    {CLAIM_SUFFIX, NULL, ".egg-info"},
};

/* A License field longer than this, or spread over several lines, is the
 * licence text pasted in, not its name. */
enum { MAX_LICENSE_NAME = 128, MAX_HEADER_LINES = 100000 };

typedef struct meta {
	sv name, version, license, expression;
	bool license_multiline, have_name, have_version, have_license, have_expression;
	buf classifiers; /* "MIT License, BSD License" from "License :: … :: X" classifiers */
} meta;

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* The last " :: "-separated part of a "License :: OSI Approved :: MIT License"
 * classifier; empty for the bare "License :: OSI Approved" ones. */
static sv classifier_license(sv v)
{
	if (!sv_starts_with(v, SV_LIT("License ::")))
		return (sv){NULL, 0};
	sv last = v;
	for (size_t at; (at = sv_find_sv(last, SV_LIT("::"))) != SIZE_MAX;)
		last = sv_make(last.p + at + 2, last.n - at - 2);
	last = sv_trim(last);
	if (sv_eq_cstr(last, "OSI Approved") || sv_eq_cstr(last, "License"))
		return (sv){NULL, 0};
	return last;
}

/* Reads the header block (up to the first blank line; the body is the long
 * description). Returns 0 or -LADING_ENOMEM. */
static int read_headers(meta *m, sv data)
{
	sv rest = data, line;
	sv *last = NULL; /* the field a continuation line belongs to */
	size_t nlines = 0;
	while (sv_next_line(&rest, &line) && nlines++ < MAX_HEADER_LINES) {
		if (line.n == 0)
			break;
		if (is_space(line.p[0])) {
			/* a continuation: only a multi-line License matters to us */
			if (last == &m->license && sv_trim(line).n)
				m->license_multiline = true;
			continue;
		}
		last = NULL;
		size_t colon = sv_find(line, ':');
		if (colon == SIZE_MAX)
			continue;
		sv key = sv_make(line.p, colon);
		sv val = sv_trim(sv_make(line.p + colon + 1, line.n - colon - 1));
		/* the first occurrence wins, as in email.message's get() */
		if (sv_eq_cstr(key, "Name") && !m->have_name) {
			m->name = val;
			m->have_name = true;
		} else if (sv_eq_cstr(key, "Version") && !m->have_version) {
			m->version = val;
			m->have_version = true;
		} else if (sv_eq_cstr(key, "License") && !m->have_license) {
			m->license = val;
			m->have_license = true;
			last = &m->license;
		} else if (sv_eq_cstr(key, "License-Expression") && !m->have_expression) {
			m->expression = val;
			m->have_expression = true;
		} else if (sv_eq_cstr(key, "Classifier")) {
			sv lic = classifier_license(val);
			if (lic.n && m->classifiers.n < 1024) {
				int rc = m->classifiers.n ? buf_puts(&m->classifiers, ", ") : 0;
				if (!rc)
					rc = buf_putsv(&m->classifiers, lic);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

/* Printable ASCII without spaces: what a distribution name or version can be
 * (PEP 508 names, PEP 440 versions, and the legacy versions pip still reads). */
static bool plain_token(sv s)
{
	if (s.n == 0 || s.n > 256)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= ' ' || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

static bool usable_license(sv s)
{
	if (s.n == 0 || s.n > MAX_LICENSE_NAME || sv_eq_cstr(s, "UNKNOWN") || sv_eq_cstr(s, "None"))
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < ' ' || s.p[i] == 0x7f)
			return false;
	return true;
}

static int parse(file_run *run, sv data)
{
	meta m = {0};
	int rc = read_headers(&m, data);
	if (rc)
		goto out;
	if (!plain_token(m.name) || !plain_token(m.version)) {
		file_warn(run, "no usable Name and Version in the metadata; skipped");
		goto out;
	}
	/* PEP 639's SPDX expression first, then a short License, then the
	 * classifiers (setuptools wrote "UNKNOWN" when the author gave none) */
	sv license = {NULL, 0};
	if (usable_license(m.expression))
		license = m.expression;
	else if (usable_license(m.license) && !m.license_multiline)
		license = m.license;
	else if (m.classifiers.n)
		license = sv_make(m.classifiers.p, m.classifiers.n);
	char *name = strndup(m.name.p, m.name.n);
	char *version = strndup(m.version.p, m.version.n);
	char *lic = license.n ? strndup(license.p, license.n) : NULL;
	if (!name || !version || (license.n && !lic)) {
		rc = -LADING_ENOMEM;
	} else {
		lading_package p = {.type = LADING_PKG_PYPI,
				    .name = name,
				    .version = version,
				    .license = lic,
				    .db_path = run->path};
		rc = inv_add_package(run->inv, &p);
	}
	free(name);
	free(version);
	free(lic);
out:
	buf_free(&m.classifiers);
	return rc;
}

const file_cataloger file_cataloger_python = {"python", claims,	 sizeof(claims) / sizeof(claims[0]),
					      NULL,	4 << 20, parse};
