/* Python lockfiles: poetry.lock, uv.lock (TOML [[package]] tables, read by
 * the TOML subset in lock.c), Pipfile.lock (JSON) and pinned requirements
 * files. Each entry is a declared PyPI package (declared = 1, db_path = the
 * lockfile), its name as the file writes it (the matcher normalises per
 * PEP 503).
 *
 * Dev dependencies are left out where the file marks them: Pipfile.lock's
 * "develop" section and poetry's `category = "dev"` (poetry >= 1.5 no longer
 * writes categories, and uv.lock does not mark packages, so those list
 * everything). Local packages (poetry `[package.source] type = "directory"`
 * or "file", uv `source = { editable | virtual | directory | path = … }`, the
 * project itself) are skipped: no registry published them.
 *
 * requirements files: only exact pins ("name==1.2.3", "name[extra] == 1.2.3
 * ; marker --hash=…") are packages; ranges, URLs, editable installs and
 * option lines are not, and "-r other.txt" includes are not followed (the
 * included file is read on its own if its name is a requirements name). The
 * claim is every ".txt" with "/requirements" in its path; parse() keeps
 * requirements*.txt and requirements/ *.txt and ignores the rest. */
#include <jansson.h>

#include "catalog/lock.h"
#include "lading/lading.h"

enum { MAX_LOCK_SIZE = 64 << 20, MAX_JSON_LOCK_SIZE = 32 << 20, MAX_REQ_LINE = 64 << 10 };

/* ---- poetry.lock, uv.lock ------------------------------------------------------- */

typedef struct toml_ctx {
	lock_set *s;
	bool uv;
} toml_ctx;

/* The first key of an inline table: "{ editable = "." }" -> "editable". */
static sv inline_first_key(sv raw)
{
	if (!raw.n || raw.p[0] != '{')
		return (sv){NULL, 0};
	sv t = sv_trim(sv_make(raw.p + 1, raw.n - 1));
	size_t i = 0;
	while (i < t.n && t.p[i] != '=' && t.p[i] != ' ' && t.p[i] != '\t')
		i++;
	return sv_make(t.p, i);
}

static int toml_pkg(void *ud, const toml_kv *kv, size_t n)
{
	toml_ctx *c = ud;
	sv name = {0}, version = {0}, v;
	if (!toml_get_str(kv, n, "", "name", &name)) {
		lock_warn(c->s, "a [[package]] has no name; skipped");
		return 0;
	}
	if (c->uv) {
		sv src;
		if (toml_get(kv, n, "", "source", &src)) {
			sv k = inline_first_key(src);
			if (sv_eq_cstr(k, "editable") || sv_eq_cstr(k, "virtual") ||
			    sv_eq_cstr(k, "directory") || sv_eq_cstr(k, "path"))
				return 0;
		}
	} else {
		if (toml_get_str(kv, n, "", "category", &v) && sv_eq_cstr(v, "dev"))
			return 0;
		if (toml_get_str(kv, n, "source", "type", &v) &&
		    (sv_eq_cstr(v, "directory") || sv_eq_cstr(v, "file")))
			return 0;
	}
	if (!toml_get_str(kv, n, "", "version", &version)) {
		lock_warn(c->s, "package \"%.*s\" has no version; skipped", (int)(name.n > 80 ? 80 : name.n),
			  name.p);
		return 0;
	}
	return lock_add(c->s, (sv){NULL, 0}, name, version);
}

static int toml_lock_parse(file_run *run, sv data, bool uv)
{
	if (lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_PYPI);
	toml_ctx c = {&s, uv};
	int rc = toml_each_package(data, toml_pkg, &c);
	if (rc == -LADING_EFORMAT) {
		file_warn(run, "some lines are not TOML this reader understands; they were skipped");
		rc = 0;
	}
	return lock_finish(&s, rc);
}

static int poetry_parse(file_run *run, sv data) { return toml_lock_parse(run, data, false); }

static int uv_parse(file_run *run, sv data) { return toml_lock_parse(run, data, true); }

static const cat_claim poetry_claims[] = {{CLAIM_SUFFIX, NULL, "/poetry.lock"}};
static const cat_claim uv_claims[] = {{CLAIM_SUFFIX, NULL, "/uv.lock"}};

const file_cataloger file_cataloger_poetry_lock = {
    "poetry-lock", poetry_claims, sizeof(poetry_claims) / sizeof(poetry_claims[0]),
    NULL,	   MAX_LOCK_SIZE, poetry_parse};
const file_cataloger file_cataloger_uv_lock = {
    "uv-lock", uv_claims, sizeof(uv_claims) / sizeof(uv_claims[0]), NULL, MAX_LOCK_SIZE, uv_parse};

/* ---- Pipfile.lock ------------------------------------------------------------------ */

static int pipfile_parse(file_run *run, sv data)
{
	lock_set s;
	json_t *j = lock_begin_json(&s, run, data, LADING_PKG_PYPI);
	if (!j)
		return 0;
	json_t *deps = json_object_get(j, "default");
	const char *key;
	json_t *val;
	int rc = 0;
	if (deps && !json_is_object(deps))
		lock_warn(&s, "\"default\" is not an object; skipped");
	else
		json_object_foreach(deps, key, val)
		{
			/* git, path and editable entries have no "version" */
			const char *ver = json_string_value(json_object_get(val, "version"));
			if (!ver)
				continue;
			sv v = sv_cstr(ver);
			if (sv_starts_with(v, SV_LIT("===")))
				v = sv_make(v.p + 3, v.n - 3);
			else if (sv_starts_with(v, SV_LIT("==")))
				v = sv_make(v.p + 2, v.n - 2);
			else {
				lock_warn(&s, "package \"%.80s\": version \"%.40s\" is not a pin; skipped",
					  key, ver);
				continue;
			}
			if ((rc = lock_add(&s, (sv){NULL, 0}, sv_cstr(key), sv_trim(v))) != 0)
				break;
		}
	json_decref(j);
	return lock_finish(&s, rc);
}

static const cat_claim pipfile_claims[] = {{CLAIM_SUFFIX, NULL, "/Pipfile.lock"}};

const file_cataloger file_cataloger_pipfile_lock = {
    "pipfile-lock", pipfile_claims,	sizeof(pipfile_claims) / sizeof(pipfile_claims[0]),
    NULL,	    MAX_JSON_LOCK_SIZE, pipfile_parse};

/* ---- requirements*.txt --------------------------------------------------------------- */

static bool requirements_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	sv b = sv_cstr(base);
	if (!sv_ends_with(b, SV_LIT(".txt")))
		return false;
	if (sv_starts_with(b, SV_LIT("requirements")))
		return true;
	/* requirements/prod.txt */
	size_t dir = (size_t)(base - path);
	return dir >= 14 && memcmp(base - 14, "/requirements/", 14) == 0;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* One logical line: "name[extras] == version ; marker --option". */
static int requirement(lock_set *s, sv t)
{
	t = sv_trim(t);
	if (!t.n || t.p[0] == '-')
		return 0; /* options: -r, -c, -e, -i, --hash on its own … */
	size_t semi = sv_find(t, ';');
	if (semi != SIZE_MAX)
		t.n = semi;
	for (size_t i = 1; i + 1 < t.n; i++)
		if (blank(t.p[i - 1]) && t.p[i] == '-' && t.p[i + 1] == '-') {
			t.n = i;
			break;
		}
	t = sv_trim(t);
	size_t i = 0;
	while (i < t.n && name_char(t.p[i]))
		i++;
	sv name = sv_make(t.p, i);
	while (i < t.n && blank(t.p[i]))
		i++;
	if (i < t.n && t.p[i] == '[') {
		while (i < t.n && t.p[i] != ']')
			i++;
		if (i < t.n)
			i++;
		while (i < t.n && blank(t.p[i]))
			i++;
	}
	if (!name.n || t.n - i < 3 || t.p[i] != '=' || t.p[i + 1] != '=')
		return 0; /* not a pin: no version, a range, a URL */
	i += 2;
	if (i < t.n && t.p[i] == '=')
		i++;
	sv version = sv_trim(sv_make(t.p + i, t.n - i));
	for (size_t k = 0; k < version.n; k++)
		if (version.p[k] == '*' || version.p[k] == ',' || blank(version.p[k]))
			return 0; /* "==1.*" and "==1.0, !=…" are not exact */
	if (!version.n)
		return 0;
	return lock_add(s, (sv){NULL, 0}, name, version);
}

static int requirements_parse(file_run *run, sv data)
{
	if (!requirements_name(run->path) || lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_PYPI);
	buf logical = {.max = MAX_REQ_LINE};
	sv line;
	int rc = 0;
	bool too_long = false, discard = false;
	while (!rc && sv_next_line(&data, &line)) {
		/* a '#' starts a comment (go-dep-parser and pip agree on "x==1 # c";
		 * "x==1#c" is read as a comment too) and ends the logical line */
		size_t hash = sv_find(line, '#');
		bool comment = hash != SIZE_MAX;
		if (comment)
			line.n = hash;
		sv tr = sv_trim(line);
		bool cont = !comment && tr.n && tr.p[tr.n - 1] == '\\';
		if (cont)
			line = sv_make(tr.p, tr.n - 1);
		int r = buf_putsv(&logical, line);
		if (!r && cont)
			r = buf_putc(&logical, ' ');
		if (r == -LADING_ENOMEM) {
			rc = r;
			break;
		}
		if (r) {
			/* drop the whole logical line, continuation lines included */
			too_long = discard = true;
			logical.n = 0;
		}
		if (cont)
			continue;
		if (!discard)
			rc = requirement(&s, sv_make(logical.p, logical.n));
		logical.n = 0;
		discard = false;
	}
	if (!rc && logical.n && !discard)
		rc = requirement(&s, sv_make(logical.p, logical.n));
	buf_free(&logical);
	if (too_long)
		file_warn(run, "a line longer than %d bytes was skipped", MAX_REQ_LINE);
	return lock_finish(&s, rc);
}

static const cat_claim requirements_claims[] = {{CLAIM_SUFFIX, "/requirements", ".txt"}};

const file_cataloger file_cataloger_requirements = {
    "requirements", requirements_claims, sizeof(requirements_claims) / sizeof(requirements_claims[0]), NULL,
    4 << 20,	    requirements_parse};
