/* Helpers the importers share: a bounded byte scan over JSON text (for feeds
 * too large to parse as one tree), the YAML-to-jansson converter (PyPA OSV,
 * Alpine secdb), the bounded directory walk every directory-reading importer
 * uses, and what the distro text feeds (Debian DSA/DLA lists, Ubuntu tracker)
 * need alike: a token check and the tally of releases with no known version. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

/* ---- a bounded scan over JSON text, no tree built -------------------------- */

size_t vdb_json_skip_ws(sv s, size_t i)
{
	while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\n' || s.p[i] == '\r'))
		i++;
	return i;
}

/* End of the string starting at s.p[i] == '"' (index after the closing quote),
 * or 0 if it does not end. */
size_t vdb_json_skip_str(sv s, size_t i)
{
	for (i++; i < s.n; i++) {
		if (s.p[i] == '\\')
			i++;
		else if (s.p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* End of the value starting at s.p[i], or 0 if it is cut off. Only the
 * extent is found; jansson validates the slice afterwards. */
size_t vdb_json_skip_value(sv s, size_t i)
{
	if (i >= s.n)
		return 0;
	if (s.p[i] == '"')
		return vdb_json_skip_str(s, i);
	if (s.p[i] != '{' && s.p[i] != '[') {
		while (i < s.n && !strchr(",}] \t\r\n", s.p[i]))
			i++;
		return i < s.n ? i : 0;
	}
	size_t depth = 0;
	for (; i < s.n; i++) {
		char c = s.p[i];
		if (c == '"') {
			size_t e = vdb_json_skip_str(s, i);
			if (!e)
				return 0;
			i = e - 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

/* ---- YAML -> jansson ----------------------------------------------------------- */

/* Deep enough for any advisory (OSV nests about 6 levels), shallow enough
 * that jansson's recursive free and dump stay cheap. */
#define YAML_MAX_DEPTH 64

typedef struct yframe {
	json_t *node;
	json_t *key; /* a mapping's key waiting for its value */
} yframe;

/* Plain scalars: null and booleans are typed, everything else stays a string.
 * Numbers are deliberately NOT converted: versions such as 1.10 must not
 * become the float 1.1. */
static json_t *yaml_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag) {
		static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
		static const char *const trues[] = {"true", "True", "TRUE"};
		static const char *const falses[] = {"false", "False", "FALSE"};
		for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
			if (sv_eq_cstr(sv_make(s, n), nulls[i]))
				return json_null();
		for (size_t i = 0; i < sizeof(trues) / sizeof(trues[0]); i++)
			if (sv_eq_cstr(sv_make(s, n), trues[i]))
				return json_true();
		for (size_t i = 0; i < sizeof(falses) / sizeof(falses[0]); i++)
			if (sv_eq_cstr(sv_make(s, n), falses[i]))
				return json_false();
	}
	return json_stringn(s, n);
}

/* Converts the (single) YAML document in `text` to a jansson tree. On a syntax
 * error returns -LADING_EFORMAT with a message in `err` and leaves in *out what
 * was read before the error (possibly NULL), so that callers that can use a
 * partial document may. The caller always json_decref()s *out. Anchors and
 * aliases are refused (they would let a small file expand without bound). */
int vdb_yaml_to_json(json_t **out, sv text, char *err, size_t errlen)
{
	*out = NULL;
	err[0] = 0;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return -LADING_ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text.p, text.n);
	yframe st[YAML_MAX_DEPTH];
	int depth = 0, docs = 0, rc = 0;
	json_t *root = NULL;
	for (bool done = false; !done && !rc;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR) {
				rc = -LADING_ENOMEM;
			} else {
				snprintf(err, errlen, "line %zu: %s", (size_t)p.problem_mark.line + 1,
					 p.problem ? p.problem : "syntax error");
				rc = -LADING_EFORMAT;
			}
			break;
		}
		json_t *v = NULL;
		bool container = false;
		bool in_key = depth > 0 && json_is_object(st[depth - 1].node) && !st[depth - 1].key;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				snprintf(err, errlen, "line %zu: more than one YAML document",
					 (size_t)ev.start_mark.line + 1);
				rc = -LADING_EFORMAT;
			}
			break;
		case YAML_ALIAS_EVENT:
			snprintf(err, errlen, "line %zu: YAML aliases are not supported",
				 (size_t)ev.start_mark.line + 1);
			rc = -LADING_EFORMAT;
			break;
		case YAML_SCALAR_EVENT:
			v = in_key ? json_stringn((const char *)ev.data.scalar.value, ev.data.scalar.length)
				   : yaml_scalar(&ev);
			if (!v) {
				snprintf(err, errlen, "line %zu: scalar is not valid text",
					 (size_t)ev.start_mark.line + 1);
				rc = -LADING_EFORMAT;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			container = true;
			if (in_key) {
				snprintf(err, errlen, "line %zu: complex mapping keys are not supported",
					 (size_t)ev.start_mark.line + 1);
				rc = -LADING_EFORMAT;
			} else if (depth >= YAML_MAX_DEPTH) {
				snprintf(err, errlen, "line %zu: nested deeper than %d",
					 (size_t)ev.start_mark.line + 1, YAML_MAX_DEPTH);
				rc = -LADING_EFORMAT;
			} else if (!(v = ev.type == YAML_SEQUENCE_START_EVENT ? json_array()
									      : json_object())) {
				rc = -LADING_ENOMEM;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				depth--;
				json_decref(st[depth].key);
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc || !v)
			continue;
		if (depth == 0) {
			json_decref(root); /* only one document: cannot happen twice, but stay leak-free */
			root = json_incref(v);
		} else {
			yframe *f = &st[depth - 1];
			if (json_is_array(f->node)) {
				if (json_array_append(f->node, v))
					rc = -LADING_ENOMEM;
			} else if (in_key) {
				f->key = json_incref(v);
			} else {
				if (json_object_setn(f->node, json_string_value(f->key),
						     json_string_length(f->key), v))
					rc = -LADING_ENOMEM;
				json_decref(f->key);
				f->key = NULL;
			}
		}
		/* the tree holds its own reference; the stack borrows it */
		if (!rc && container)
			st[depth++] = (yframe){v, NULL};
		json_decref(v);
	}
	while (depth > 0)
		json_decref(st[--depth].key);
	yaml_parser_delete(&p);
	*out = root;
	return rc;
}

/* ---- bounded directory walk ------------------------------------------------------ */

typedef struct walk {
	vdb_writer *w;
	vdb_walk_fn fn;
	void *arg;
	int max_depth;
	size_t max_files;
	size_t root_len;
	size_t files;
} walk;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int walk_dir(walk *k, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return ctx_error(vdb_ctx(k->w), LADING_EIO, "%s: cannot open directory: %s", dir,
				 strerror(errno));
	/* sorted, so that an import is reproducible whatever readdir's order */
	VEC(char *) names = {0};
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *s = strdup(de->d_name);
		if (!s || vec_push(&names, s)) {
			free(s);
			rc = -LADING_ENOMEM;
			break;
		}
	}
	closedir(d);
	if (!rc && names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	buf path = {0};
	for (size_t i = 0; !rc && i < names.n; i++) {
		path.n = 0;
		if ((rc = buf_printf(&path, "%s/%s", dir, names.v[i])) != 0)
			break;
		struct stat st;
		if (lstat(path.p, &st) != 0)
			continue;
		const char *rel = path.p + k->root_len + 1;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= k->max_depth)
				vdb_skip(k->w, "%s: directory nested deeper than %d levels, not read", rel,
					 k->max_depth);
			else
				rc = walk_dir(k, path.p, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			if (++k->files > k->max_files) {
				vdb_skip(k->w, "%s: more than %zu files, the rest is not read", rel, k->max_files);
				rc = 1; /* stop quietly, see vdb_walk_bounded */
				break;
			}
			rc = k->fn(k->w, path.p, rel, k->arg);
		}
		/* symbolic links and special files are never followed */
	}
	buf_free(&path);
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i]);
	vec_free(&names);
	return rc;
}

int vdb_walk_bounded(vdb_writer *w, const char *dir, int max_depth, size_t max_files, vdb_walk_fn fn,
		     void *arg)
{
	/* rel is what follows "<dir>/" in each path built from dir as given, so a
	 * trailing slash on dir does not show up in it */
	walk k = {.w = w, .fn = fn, .arg = arg, .max_depth = max_depth, .max_files = max_files,
		  .root_len = strlen(dir)};
	int rc = walk_dir(&k, dir, 0);
	return rc > 0 ? 0 : rc;
}

int vdb_walk(vdb_writer *w, const char *dir, vdb_walk_fn fn, void *arg)
{
	return vdb_walk_bounded(w, dir, VDB_WALK_MAX_DEPTH, VDB_WALK_MAX_FILES, fn, arg);
}

/* ---- distro text feeds ---------------------------------------------------------- */

bool vdb_token_ok(sv s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= ' ' || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

void vdb_note_unknown(vdb_writer *w, const char *distro, sv release, char (*names)[VDB_RELEASE_NAME],
		      size_t *rows, size_t *n, size_t cap)
{
	for (size_t i = 0; i < *n; i++)
		if (sv_eq_cstr(release, names[i])) {
			rows[i]++;
			return;
		}
	if (*n < cap) {
		snprintf(names[*n], VDB_RELEASE_NAME, "%.*s", (int)release.n, release.p);
		rows[(*n)++] = 1;
	} else {
		vdb_skip(w, "release '%.*s': no %s version known for it", (int)release.n, release.p, distro);
	}
}
