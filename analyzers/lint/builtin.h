/* Files compiled into the binary (the built-in rules). */
#ifndef BK_EMBEDDED_H
#define BK_EMBEDDED_H

#include <stddef.h>

struct bk_embedded {
	const char *name;
	const char *data;
	size_t len;
};

extern const struct bk_embedded bk_builtin_rules[];
extern const unsigned bk_builtin_rules_nr;

#endif
