/* Test tool: compares version pairs with lading's comparators, for checking
 * them against the real implementations (dpkg, rpm, node semver, Python
 * packaging, Maven, RubyGems) on large generated sets.
 *
 *   vercmp SCHEME < pairs.tsv     each line "A<TAB>B" -> "-1", "0", "1" or "ERR"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lading/lading.h"

int main(int argc, char **argv)
{
	lading_vscheme s;
	if (argc != 2 || lading_vscheme_parse(&s, argv[1]) != 0) {
		fprintf(stderr, "usage: vercmp dpkg|rpm|apk|semver|go|pep440|maven|gem < pairs.tsv\n");
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = 0;
		char *tab = strchr(line, '\t');
		if (!tab) {
			puts("ERR");
			continue;
		}
		int r;
		if (lading_version_cmp(&r, s, line, (size_t)(tab - line), tab + 1, strlen(tab + 1)) != 0)
			puts("ERR");
		else
			printf("%d\n", r < 0 ? -1 : r > 0);
	}
	free(line);
	return 0;
}
