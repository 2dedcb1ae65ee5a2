/* The OS identity cataloger: which distribution and release an image is.
 * The matcher keys every distro advisory on it (debian:12, alpine:3.20,
 * rhel:8), so a wrong answer here silently hides or invents findings.
 *
 * os-release (/etc first, then /usr/lib) is the primary source. It is read as
 * the shell would read it (quotes, escapes, comments), because that is how
 * distributions write it. Older or stripped images lack it, so the release
 * files that distributions kept before os-release existed are the fallback:
 * redhat-release and its siblings, system-release-cpe, SuSE-release,
 * lsb-release, alpine-release, debian_version. Those same files also give a
 * more precise release than VERSION_ID ("12.15" rather than "12"), which goes
 * into `version`. Every file is capped at 64 KiB and every value at 1 KiB. */
#include "catalog/ospkg.h"

#include <stdlib.h>

#include "lading/lading.h"

enum { MAX_FILE = 64 * 1024, MAX_VALUE = 1024 };

static const cat_claim claims[] = {
    {CLAIM_EXACT, "/etc/os-release", NULL},	   {CLAIM_EXACT, "/usr/lib/os-release", NULL},
    {CLAIM_EXACT, "/etc/debian_version", NULL},	   {CLAIM_EXACT, "/etc/alpine-release", NULL},
    {CLAIM_EXACT, "/etc/redhat-release", NULL},	   {CLAIM_EXACT, "/etc/centos-release", NULL},
    {CLAIM_EXACT, "/etc/fedora-release", NULL},	   {CLAIM_EXACT, "/etc/system-release", NULL},
    {CLAIM_EXACT, "/etc/oracle-release", NULL},	   {CLAIM_EXACT, "/etc/rocky-release", NULL},
    {CLAIM_EXACT, "/etc/almalinux-release", NULL}, {CLAIM_EXACT, "/etc/system-release-cpe", NULL},
    {CLAIM_EXACT, "/etc/lsb-release", NULL},	   {CLAIM_EXACT, "/etc/SuSE-release", NULL},
};

/* Release files of the Red Hat family, most specific first: Oracle Linux also
 * ships a redhat-release that names RHEL. */
static const char *const rh_release_files[] = {
    "/etc/oracle-release", "/etc/centos-release", "/etc/rocky-release",	 "/etc/almalinux-release",
    "/etc/fedora-release", "/etc/redhat-release", "/etc/system-release",
};

/* How VERSION_ID is written by each distribution's own os-release, so that a
 * fallback gives the same namespace as os-release would have. */
enum vid_form { VID_FULL, VID_MAJOR, VID_MINOR };

static const struct {
	const char *name; /* prefix of NAME / of the text before " release " */
	const char *id;
	enum vid_form form;
} known_names[] = {
    {"CentOS", "centos", VID_MAJOR},
    {"Red Hat Enterprise Linux", "rhel", VID_MINOR},
    {"Fedora", "fedora", VID_MAJOR},
    {"Oracle Linux", "ol", VID_MINOR},
    {"Enterprise Linux Enterprise Linux", "ol", VID_MINOR},
    {"Rocky Linux", "rocky", VID_MINOR},
    {"AlmaLinux", "almalinux", VID_MINOR},
    {"Scientific Linux", "scientific", VID_MINOR},
    {"Amazon Linux", "amzn", VID_FULL},
    {"openSUSE Leap", "opensuse-leap", VID_FULL},
    {"openSUSE", "opensuse", VID_FULL},
    {"SUSE Linux Enterprise Server", "sles", VID_FULL},
    {"SLES", "sles", VID_FULL},
    {"Debian", "debian", VID_MAJOR},
    {"Ubuntu", "ubuntu", VID_FULL},
    {"Alpine", "alpine", VID_FULL},
};

/* CPE vendors of system-release-cpe. */
static const struct {
	const char *vendor, *id;
} cpe_vendors[] = {
    {"centos", "centos"}, {"redhat", "rhel"}, {"oracle", "ol"},		  {"fedoraproject", "fedora"},
    {"amazon", "amzn"},	  {"rocky", "rocky"}, {"almalinux", "almalinux"}, {"scientificlinux", "scientific"},
};

/* Debian's release names, for images that give only a number. */
static const char *const debian_codenames[] = {
    NULL,     NULL,	 NULL,	   NULL,       NULL,	   "lenny",  "squeeze", "wheezy",
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky",	"duke",
};

/* ---- small helpers ------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool get_file(const fsview *v, const char *path, sv *data)
{
	if (!v || !fsview_get(v, path, data))
		return false;
	if (data->n > MAX_FILE)
		data->n = MAX_FILE;
	return true;
}

static sv first_line(sv data)
{
	sv line = {data.p, 0};
	sv_next_line(&data, &line);
	return sv_trim(line);
}

/* Copies `s` into the arena, lower-cased, dropping control characters.
 * Returns 0 or -LADING_ENOMEM. */
static int dup_lower(char **out, arena *a, sv s)
{
	char *p = arena_sv(a, s);
	if (!p)
		return -LADING_ENOMEM;
	size_t j = 0;
	for (size_t i = 0; p[i]; i++)
		if ((unsigned char)p[i] >= 0x20 && p[i] != 0x7f)
			p[j++] = lower(p[i]);
	p[j] = 0;
	*out = p;
	return 0;
}

static int dup_sv(char **out, arena *a, sv s)
{
	*out = arena_sv(a, s);
	return *out ? 0 : -LADING_ENOMEM;
}

/* Does release `v` refine `vid` ("7.9.2009" refines "7"; "12.15" refines "12")? */
static bool refines(const char *v, const char *vid)
{
	size_t n = strlen(vid);
	return strncmp(v, vid, n) == 0 && (v[n] == 0 || v[n] == '.');
}

/* Leading "digits and dots" of s: "20.04.6 LTS (Focal Fossa)" -> "20.04.6". */
static sv numeric_prefix(sv s)
{
	size_t i = 0;
	while (i < s.n && (is_digit(s.p[i]) || s.p[i] == '.'))
		i++;
	while (i && s.p[i - 1] == '.')
		i--;
	return sv_make(s.p, i);
}

/* The first `parts` dot-separated components of a version. */
static sv components(sv s, int parts)
{
	size_t i = 0;
	for (int k = 0; i < s.n; i++)
		if (s.p[i] == '.' && ++k == parts)
			break;
	return sv_make(s.p, i);
}

static sv shape_vid(sv ver, enum vid_form form)
{
	switch (form) {
	case VID_MAJOR:
		return components(ver, 1);
	case VID_MINOR:
		return components(ver, 2);
	case VID_FULL:
		break;
	}
	return ver;
}

static int known_name(sv name)
{
	for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (sv_starts_with(name, sv_cstr(known_names[i].name)))
			return (int)i;
	return -1;
}

static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t k = 0;
		while (p[k] && p[k] != ' ')
			k++;
		if (k == n && strncmp(p, word, n) == 0)
			return true;
		p += k;
	}
	return false;
}

/* ---- shell-like KEY=value ----------------------------------------------- */

/* Splits "  KEY = value" into key and the raw value text; false for blank
 * lines, comments and anything that is not an assignment. */
static bool split_assignment(sv line, sv *key, sv *raw)
{
	size_t i = 0;
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	if (line.n - i >= 7 && memcmp(line.p + i, "export ", 7) == 0)
		i += 7;
	size_t k = i;
	while (i < line.n &&
	       ((line.p[i] >= 'A' && line.p[i] <= 'Z') || (line.p[i] >= 'a' && line.p[i] <= 'z') ||
		is_digit(line.p[i]) || line.p[i] == '_'))
		i++;
	if (i == k)
		return false;
	*key = sv_make(line.p + k, i - k);
	/* Not shell, but lsb-release and SuSE-release writers put spaces here. */
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	if (i == line.n || line.p[i] != '=')
		return false;
	i++;
	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	*raw = sv_make(line.p + i, line.n - i);
	return true;
}

/* Shell word unquoting of one line's value. An unquoted blank ends the
 * value (what follows is a comment or junk); an unterminated quote takes the
 * rest of the line. */
static int unquote(buf *out, sv raw)
{
	enum { PLAIN, DQ, SQ } st = PLAIN;
	int rc = 0;
	for (size_t i = 0; i < raw.n && rc == 0; i++) {
		char c = raw.p[i];
		if (st == SQ) {
			if (c == '\'')
				st = PLAIN;
			else
				rc = buf_putc(out, c);
		} else if (st == DQ) {
			if (c == '"') {
				st = PLAIN;
			} else if (c == '\\' && i + 1 < raw.n &&
				   (raw.p[i + 1] == '"' || raw.p[i + 1] == '\\' || raw.p[i + 1] == '$' ||
				    raw.p[i + 1] == '`')) {
				rc = buf_putc(out, raw.p[++i]);
			} else {
				rc = buf_putc(out, c);
			}
		} else if (c == ' ' || c == '\t') {
			break;
		} else if (c == '"') {
			st = DQ;
		} else if (c == '\'') {
			st = SQ;
		} else if (c == '\\') {
			if (i + 1 < raw.n)
				rc = buf_putc(out, raw.p[++i]);
		} else {
			rc = buf_putc(out, c);
		}
	}
	return rc;
}

int osrel_get(char **out, arena *a, sv data, const char *key)
{
	*out = NULL;
	if (data.n > MAX_FILE)
		data.n = MAX_FILE;
	sv want = sv_cstr(key), line, k, raw, found = {NULL, 0};
	bool have = false;
	while (sv_next_line(&data, &line))
		if (split_assignment(line, &k, &raw) && sv_eq(k, want)) {
			found = raw;
			have = true;
		}
	if (!have)
		return 0;
	buf b = {0};
	b.max = MAX_FILE + 1;
	int rc = unquote(&b, found);
	if (rc == -LADING_ENOMEM) {
		buf_free(&b);
		return rc;
	}
	/* Control characters are never part of a name or version. */
	size_t j = 0;
	for (size_t i = 0; i < b.n; i++)
		if ((unsigned char)b.p[i] >= 0x20 && b.p[i] != 0x7f)
			b.p[j++] = b.p[i];
	b.n = j;
	sv val = sv_trim(sv_make(b.p, b.n));
	if (rc == 0 && val.n > 0 && val.n <= MAX_VALUE) {
		*out = arena_sv(a, val);
		rc = *out ? 1 : -LADING_ENOMEM;
	} else {
		rc = 0;
	}
	buf_free(&b);
	return rc;
}

/* ---- release files --------------------------------------------------------- */

/* "CentOS Linux release 7.9.2009 (Core)" and the like. Returns 1 and fills
 * id, version_id, version, pretty_name; 0 if the line is not of that shape. */
static int parse_release_line(lading_os *o, arena *a, sv data)
{
	sv line = first_line(data);
	size_t at = sv_find_sv(line, SV_LIT(" release "));
	if (at == SIZE_MAX)
		return 0;
	sv name = sv_trim(sv_make(line.p, at));
	sv rest = sv_make(line.p + at + 9, line.n - at - 9);
	sv ver = numeric_prefix(sv_trim(rest));
	if (name.n == 0 || ver.n == 0 || !is_digit(ver.p[0]))
		return 0;
	int k = known_name(name);
	char *id, *vid, *v, *pretty;
	int rc;
	if (k >= 0) {
		id = (char *)known_names[k].id;
		rc = 0;
	} else {
		/* Unknown distribution: its first word is the best guess of an ID. */
		sv w = name;
		size_t n = 0;
		while (n < w.n && w.p[n] != ' ')
			n++;
		rc = dup_lower(&id, a, sv_make(w.p, n));
	}
	if (rc || (rc = dup_sv(&vid, a, shape_vid(ver, k >= 0 ? known_names[k].form : VID_FULL))) ||
	    (rc = dup_sv(&v, a, ver)) || (rc = dup_sv(&pretty, a, line)))
		return rc;
	o->id = id;
	o->version_id = vid;
	o->version = v;
	o->pretty_name = pretty;
	return 1;
}

/* "cpe:/o:centos:linux:6:GA" or "cpe:2.3:o:amazon:amazon_linux:2". */
static int parse_release_cpe(lading_os *o, arena *a, sv data)
{
	sv line = first_line(data);
	if (sv_starts_with(line, SV_LIT("cpe:/o:")))
		line = sv_make(line.p + 7, line.n - 7);
	else if (sv_starts_with(line, SV_LIT("cpe:2.3:o:")))
		line = sv_make(line.p + 10, line.n - 10);
	else
		return 0;
	sv vendor = sv_split(&line, ':');
	sv product = sv_split(&line, ':');
	sv ver = sv_split(&line, ':');
	(void)product;
	if (vendor.n == 0 || ver.n == 0 || !is_digit(ver.p[0]) || numeric_prefix(ver).n != ver.n)
		return 0;
	char *id = NULL, *vid, *v;
	int rc = 0;
	enum vid_form form = VID_FULL;
	for (size_t i = 0; i < sizeof(cpe_vendors) / sizeof(cpe_vendors[0]); i++)
		if (sv_eq_cstr(vendor, cpe_vendors[i].vendor))
			id = (char *)cpe_vendors[i].id;
	if (!id)
		rc = dup_lower(&id, a, vendor);
	for (size_t i = 0; id && i < sizeof(known_names) / sizeof(known_names[0]); i++)
		if (strcmp(known_names[i].id, id) == 0) {
			form = known_names[i].form;
			break;
		}
	if (rc || (rc = dup_sv(&vid, a, shape_vid(ver, form))) || (rc = dup_sv(&v, a, ver)))
		return rc;
	o->id = id;
	o->version_id = vid;
	o->version = v;
	return 1;
}

/* SUSE before os-release: "SUSE Linux Enterprise Server 11 (x86_64)",
 * then "VERSION = 11" and "PATCHLEVEL = 4". */
static int parse_suse_release(lading_os *o, arena *a, sv data)
{
	sv line = first_line(data);
	char *ver = NULL, *patch = NULL, *pretty;
	int rc = osrel_get(&ver, a, data, "VERSION");
	if (rc <= 0)
		return rc;
	if ((rc = osrel_get(&patch, a, data, "PATCHLEVEL")) < 0)
		return rc;
	if (!is_digit(ver[0]))
		return 0;
	bool open = sv_find_sv(line, SV_LIT("openSUSE")) != SIZE_MAX;
	const char *vid = ver;
	if (patch && strcmp(patch, "0") != 0 && !open) {
		vid = arena_printf(a, "%s.%s", ver, patch);
		if (!vid)
			return -LADING_ENOMEM;
	}
	if ((rc = dup_sv(&pretty, a, line)))
		return rc;
	o->id = open ? "opensuse" : "sles";
	o->version_id = vid;
	o->version = vid;
	o->pretty_name = pretty;
	return 1;
}

static int parse_lsb_release(lading_os *o, arena *a, sv data)
{
	char *id = NULL, *rel = NULL, *code = NULL, *desc = NULL;
	int rc = osrel_get(&id, a, data, "DISTRIB_ID");
	if (rc <= 0)
		return rc;
	if ((rc = dup_lower(&id, a, sv_cstr(id))) || (rc = osrel_get(&rel, a, data, "DISTRIB_RELEASE")) < 0 ||
	    (rc = osrel_get(&code, a, data, "DISTRIB_CODENAME")) < 0 ||
	    (rc = osrel_get(&desc, a, data, "DISTRIB_DESCRIPTION")) < 0)
		return rc;
	o->id = id;
	o->version_id = rel;
	o->version = rel;
	o->codename = code;
	o->pretty_name = desc;
	return 1;
}

/* Identity from the first release file that parses, for images without a
 * usable os-release. */
static int from_release_files(lading_os *o, arena *a, const fsview *v)
{
	sv d;
	int rc;
	for (size_t i = 0; i < sizeof(rh_release_files) / sizeof(rh_release_files[0]); i++)
		if (get_file(v, rh_release_files[i], &d) && (rc = parse_release_line(o, a, d)))
			return rc;
	if (get_file(v, "/etc/system-release-cpe", &d) && (rc = parse_release_cpe(o, a, d)))
		return rc;
	if (get_file(v, "/etc/SuSE-release", &d) && (rc = parse_suse_release(o, a, d)))
		return rc;
	if (get_file(v, "/etc/lsb-release", &d) && (rc = parse_lsb_release(o, a, d)))
		return rc;
	if (get_file(v, "/etc/alpine-release", &d)) {
		sv l = first_line(d);
		if (l.n && l.n <= MAX_VALUE && is_digit(l.p[0])) {
			char *ver;
			if ((rc = dup_sv(&ver, a, l)))
				return rc;
			o->id = "alpine";
			o->version_id = o->version = ver;
			return 1;
		}
	}
	if (get_file(v, "/etc/debian_version", &d)) {
		sv l = first_line(d);
		if (l.n && l.n <= MAX_VALUE) {
			/* The rest (codename, version_id) is filled in by debian_refine. */
			o->id = "debian";
			return 1;
		}
	}
	return 0;
}

/* ---- refinement from the distribution's own files ------------------------- */

/* Debian: debian_version says "12.15" on a release, "trixie/sid" on testing. */
static int debian_refine(lading_os *o, arena *a, const fsview *v)
{
	sv d;
	int rc = 0;
	if (get_file(v, "/etc/debian_version", &d)) {
		sv l = first_line(d);
		if (l.n && l.n <= MAX_VALUE && is_digit(l.p[0]) && numeric_prefix(l).n == l.n) {
			char *ver;
			if ((rc = dup_sv(&ver, a, l)))
				return rc;
			if (!o->version_id && (rc = dup_sv((char **)&o->version_id, a, components(l, 1))))
				return rc;
			if (refines(ver, o->version_id))
				o->version = ver;
		} else if (l.n && l.n <= MAX_VALUE && !o->codename && !o->version_id) {
			sv name = sv_split(&l, '/');
			if (name.n && (rc = dup_lower((char **)&o->codename, a, name)))
				return rc;
		}
	}
	uint64_t major;
	if (!o->codename && o->version_id && sv_to_u64(components(sv_cstr(o->version_id), 1), &major) &&
	    major < sizeof(debian_codenames) / sizeof(debian_codenames[0]))
		o->codename = debian_codenames[major];
	return 0;
}

static int alpine_refine(lading_os *o, arena *a, const fsview *v)
{
	sv d;
	if (!get_file(v, "/etc/alpine-release", &d))
		return 0;
	sv l = first_line(d);
	if (!l.n || l.n > MAX_VALUE || !is_digit(l.p[0]))
		return 0;
	char *ver;
	int rc = dup_sv(&ver, a, l);
	if (rc)
		return rc;
	if (!o->version_id)
		o->version_id = ver;
	if (refines(ver, o->version_id))
		o->version = ver;
	return 0;
}

/* Red Hat family: centos-release "7.9.2009" refines os-release's "7". */
static int redhat_refine(lading_os *o, arena *a, const fsview *v)
{
	sv d;
	for (size_t i = 0; i < sizeof(rh_release_files) / sizeof(rh_release_files[0]); i++) {
		lading_os r = {0};
		if (!get_file(v, rh_release_files[i], &d))
			continue;
		int rc = parse_release_line(&r, a, d);
		if (rc < 0)
			return rc;
		if (rc == 1 && strcmp(r.id, o->id) == 0 && o->version_id &&
		    refines(r.version, o->version_id)) {
			o->version = r.version;
			break;
		}
	}
	return 0;
}

/* Debian and Ubuntu write the codename in VERSION: "12 (bookworm)",
 * "Debian GNU/Linux 10 (buster)", "20.04 LTS (Focal Fossa)". Other
 * distributions put marketing names there ("36 (Container Image)"). */
static int codename_from_version(lading_os *o, arena *a, const char *version)
{
	if (!version || !(strcmp(o->id, "debian") == 0 || strcmp(o->id, "ubuntu") == 0 ||
			  word_in(o->id_like, "debian") || word_in(o->id_like, "ubuntu")))
		return 0;
	const char *l = strchr(version, '(');
	if (!l)
		return 0;
	l++;
	size_t n = 0;
	while ((l[n] >= 'a' && l[n] <= 'z') || (l[n] >= 'A' && l[n] <= 'Z'))
		n++;
	if (n == 0 || (l[n] != ')' && l[n] != ' '))
		return 0;
	return dup_lower((char **)&o->codename, a, sv_make(l, n));
}

/* os-release. With derive_id, a file without ID is still used, guessing the
 * ID from NAME ("Debian GNU/Linux" -> debian); that is the last resort. */
static int from_os_release(lading_os *o, arena *a, const fsview *v, sv d, bool derive_id)
{
	char *id = NULL, *name = NULL, *version = NULL, *vid = NULL, *code = NULL, *pretty = NULL,
	     *like = NULL;
	int rc = osrel_get(&id, a, d, "ID");
	if (rc < 0)
		return rc;
	if (!id) {
		if (!derive_id || (rc = osrel_get(&name, a, d, "NAME")) <= 0)
			return rc;
		int k = known_name(sv_cstr(name));
		if (k >= 0) {
			id = (char *)known_names[k].id;
		} else {
			size_t n = 0;
			while (name[n] && name[n] != ' ')
				n++;
			if ((rc = dup_lower(&id, a, sv_make(name, n))))
				return rc;
		}
	} else if ((rc = dup_lower(&id, a, sv_cstr(id)))) {
		return rc;
	}
	if ((rc = osrel_get(&vid, a, d, "VERSION_ID")) < 0 ||
	    (rc = osrel_get(&version, a, d, "VERSION")) < 0 ||
	    (rc = osrel_get(&pretty, a, d, "PRETTY_NAME")) < 0 ||
	    (rc = osrel_get(&like, a, d, "ID_LIKE")) < 0 ||
	    (rc = osrel_get(&code, a, d, "VERSION_CODENAME")) < 0 ||
	    (!code && (rc = osrel_get(&code, a, d, "UBUNTU_CODENAME")) < 0))
		return rc;
	o->id = id;
	o->version_id = vid;
	o->pretty_name = pretty;
	o->id_like = like;
	o->codename = code;
	if (!o->codename && (rc = codename_from_version(o, a, version)))
		return rc;
	if (!o->codename) {
		/* Ubuntu 12.04 writes "12.04.5 LTS, Precise Pangolin": lsb-release has it. */
		sv l;
		lading_os lsb = {0};
		if (get_file(v, "/etc/lsb-release", &l) && (rc = parse_lsb_release(&lsb, a, l)) < 0)
			return rc;
		if (lsb.id && lsb.codename && strcmp(lsb.id, id) == 0)
			o->codename = lsb.codename;
	}
	rc = 0;
	if (strcmp(id, "debian") == 0)
		rc = debian_refine(o, a, v);
	else if (strcmp(id, "alpine") == 0)
		rc = alpine_refine(o, a, v);
	else if (word_in("centos rhel ol rocky almalinux scientific fedora amzn", id))
		rc = redhat_refine(o, a, v);
	if (rc)
		return rc;
	if (!o->version && o->version_id && version) {
		/* "20.04.6 LTS (Focal Fossa)" is more precise than VERSION_ID "20.04". */
		sv t = numeric_prefix(sv_cstr(version));
		if (t.n > strlen(o->version_id) && refines(version, o->version_id) &&
		    (rc = dup_sv((char **)&o->version, a, t)))
			return rc;
	}
	if (!o->version)
		o->version = o->version_id;
	return 1;
}

int os_release_identify(lading_os *out, arena *a, const fsview *v)
{
	static const char *const osrel[] = {"/etc/os-release", "/usr/lib/os-release"};
	sv d;
	int rc;
	memset(out, 0, sizeof(*out));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2; i++)
			if (get_file(v, osrel[i], &d) && (rc = from_os_release(out, a, v, d, pass == 1)))
				return rc;
		if (pass == 0 && (rc = from_release_files(out, a, v))) {
			if (rc < 0)
				return rc;
			if (strcmp(out->id, "debian") == 0 && (rc = debian_refine(out, a, v)))
				return rc;
			if (!out->version)
				out->version = out->version_id;
			return 1;
		}
	}
	memset(out, 0, sizeof(*out));
	return 0;
}

static int run(cat_run *r)
{
	arena a = {0};
	lading_os os;
	int rc = os_release_identify(&os, &a, r->view);
	if (rc == 1)
		rc = inv_set_os(r->inv, &os);
	arena_free(&a);
	return rc < 0 ? rc : 0;
}

const cataloger cataloger_os_release = {"os_release", claims, sizeof(claims) / sizeof(claims[0]), run};
