/* Helpers shared by the writer tests (test_report.c, test_report_scan.c): the
 * fixed report options that make output reproducible, reading JSON fields,
 * and running the official validators (node, tests/js) on an output. */
#ifndef LADING_REPORTTEST_H
#define LADING_REPORTTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "lading/lading.h"

#define TS     "2024-01-01T00:00:00Z"
#define SERIAL "3e671687-395b-41f5-a30f-a58921a69b79"

/* A fixed timestamp and serial, so that two renderings compare byte for byte. */
static const lading_report_options fixed = {sizeof(lading_report_options), TS, SERIAL, 0};

static inline const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of the "properties" entry named `name` of a CycloneDX object. */
static inline const char *prop_value(const json_t *obj, const char *name)
{
	size_t i;
	json_t *pr;
	json_array_foreach(json_object_get(obj, "properties"), i, pr)
	{
		if (strcmp(jstr(pr, "name"), name) == 0)
			return jstr(pr, "value");
	}
	return NULL;
}

static inline bool valid_utf8(const char *s)
{
	/* jansson's own check, through a round trip */
	json_t *j = json_string(s);
	bool ok = j != NULL;
	json_decref(j);
	return ok;
}

/* ---- the official validators (node) --------------------------------------- */

/* False, saying why, when the validators cannot run here. */
static inline bool have_validators(void)
{
	struct stat st;
	if (stat("tests/js/node_modules", &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "SKIP validators: tests/js/node_modules absent (run tests/js/setup.sh)\n");
		return false;
	}
	if (system("node --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP validators: node not found\n");
		return false;
	}
	return true;
}

/* Writes `text` to a temp file and runs the validator; returns its exit code.
 * `quiet` hides the reasons of failures the test expects. */
static inline int run_validator(const char *script, const char *text, bool quiet)
{
	char path[] = "/tmp/lading-test-report-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "node tests/js/%s %s >/dev/null%s", script, path, quiet ? " 2>&1" : "");
	int st = system(cmd);
	unlink(path);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

#endif
