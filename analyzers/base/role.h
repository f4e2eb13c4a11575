#ifndef BK_ROLE_H
#define BK_ROLE_H

#include <stddef.h>

/*
 * Code roles. A rule applies to some roles (by default source only): a
 * test's http.Get(server.URL) is no production timeout problem, a seed
 * script's loop no N+1 query.
 */
enum bk_role {
	BK_ROLE_SOURCE,
	BK_ROLE_TEST,
	BK_ROLE_SEED,       /* seed scripts and test fixtures */
	BK_ROLE_MIGRATION,
	BK_ROLE_VENDORED,
	BK_ROLE_GENERATED,
	BK_ROLE_EXAMPLE,    /* examples, samples, demos, docs */
	BK_ROLE_BROWSER,    /* JavaScript/TypeScript that runs in a browser */
	BK_ROLE__COUNT
};

#define BK_ROLE_BIT(r) (1u << (r))
#define BK_ROLES_ALL ((1u << BK_ROLE__COUNT) - 1)

const char *bk_role_name(enum bk_role r);
/* name[0..n) -> role ("fixture" is seed); 0, or -1 if unknown. */
int bk_role_parse(enum bk_role *out, const char *name, size_t n);
/*
 * "source,test" or "all" -> a mask of BK_ROLE_BIT()s. -1 for an unknown
 * name (*bad, *bad_len point at it) or an empty list.
 */
int bk_roles_parse(unsigned *out, const char *list, const char **bad, size_t *bad_len);

#endif
