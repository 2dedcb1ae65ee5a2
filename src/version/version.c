/* Dispatch from a scheme to its comparator. */
#include "version/version.h"

static const struct {
	lading_vscheme s;
	const char *name;
	int (*cmp)(int *out, sv a, sv b);
} schemes[] = {
	{LADING_VS_DPKG, "dpkg", vcmp_dpkg},       {LADING_VS_RPM, "rpm", vcmp_rpm},
	{LADING_VS_APK, "apk", vcmp_apk},          {LADING_VS_SEMVER, "semver", vcmp_semver},
	{LADING_VS_GO, "go", vcmp_go},             {LADING_VS_PEP440, "pep440", vcmp_pep440},
	{LADING_VS_MAVEN, "maven", vcmp_maven},    {LADING_VS_GEM, "gem", vcmp_gem},
	{LADING_VS_GENERIC, "generic", vcmp_generic}, {LADING_VS_COMPOSER, "composer", vcmp_composer},
};

const char *lading_vscheme_name(lading_vscheme s)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].s == s)
			return schemes[i].name;
	return "unknown";
}

int lading_vscheme_parse(lading_vscheme *out, const char *name)
{
	for (size_t i = 0; name && i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strcmp(schemes[i].name, name) == 0) {
			*out = schemes[i].s;
			return 0;
		}
	return -LADING_EINVAL;
}

int lading_version_cmp(int *out, lading_vscheme scheme, const char *a, size_t alen, const char *b, size_t blen)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].s == scheme)
			return schemes[i].cmp(out, sv_make(a, alen), sv_make(b, blen));
	return -LADING_EINVAL;
}
