#include "base/role.h"

#include <string.h>

static const char *const role_names[BK_ROLE__COUNT] = {
	"source", "test", "seed", "migration", "vendored", "generated", "example",
	"browser"
};

const char *bk_role_name(enum bk_role r)
{
	return (unsigned)r < BK_ROLE__COUNT ? role_names[r] : "unknown";
}

int bk_role_parse(enum bk_role *out, const char *name, size_t n)
{
	for (int i = 0; i < BK_ROLE__COUNT; i++)
		if (strlen(role_names[i]) == n && !strncmp(role_names[i], name, n)) {
			*out = (enum bk_role)i;
			return 0;
		}
	if (n == 7 && !strncmp(name, "fixture", 7)) {
		*out = BK_ROLE_SEED;   /* seed data and test fixtures are one role */
		return 0;
	}
	return -1;
}

int bk_roles_parse(unsigned *out, const char *list, const char **bad, size_t *bad_len)
{
	*out = 0;
	*bad = list;
	*bad_len = 0;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		enum bk_role r;
		if (n == 3 && !strncmp(p, "all", 3)) {
			*out |= BK_ROLES_ALL;
		} else if (!bk_role_parse(&r, p, n)) {
			*out |= BK_ROLE_BIT(r);
		} else {
			*bad = p;
			*bad_len = n;
			return -1;
		}
		p += n + (p[n] == ',');
	}
	return *out ? 0 : -1;
}
