/*
 * The rule set: built-in rules (compiled into the binary from the rules directory)
 * plus rule directories given by --rules or the config.
 */
#include "lint/rule-load.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lint/builtin.h"
#include "base/util.h"
#include "base/yaml.h"

int bk_ruleset_add_text(struct bk_ruleset *set, const char *path,
			const char *text, size_t len, struct bk_err *err)
{
	struct bk_rule r;
	const struct bk_rule *prev;
	int rc = bk_rule_parse(&r, path, text, len, err);

	if (rc)
		return rc;
	if ((prev = bk_ruleset_find(set, r.id))) {
		rc = bk_err_set(err, BK_ECONFIG,
				"%s: rule id '%s' is already defined by %s (give the rule a new id, "
				"or disable the other one in .bkgen.yml)",
				path, r.id, prev->path);
		bk_rule_release(&r);
		return rc;
	}
	BK_ALLOC_GROW(set->rules, set->nr + 1, set->alloc);
	set->rules[set->nr++] = r;
	return 0;
}

int bk_ruleset_add_builtin(struct bk_ruleset *set, struct bk_err *err)
{
	for (unsigned i = 0; i < bk_builtin_rules_nr; i++) {
		const struct bk_embedded *e = &bk_builtin_rules[i];
		int rc = bk_ruleset_add_text(set, e->name, e->data, e->len, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int is_rule_file(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' &&
	       ((n > 4 && !strcmp(name + n - 4, ".yml")) ||
		(n > 5 && !strcmp(name + n - 5, ".yaml")));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bk_ruleset_add_dir(struct bk_ruleset *set, const char *dir, struct bk_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	int rc = 0;

	if (!d)
		return bk_err_set(err, BK_EUSAGE, "cannot open rule directory '%s': %s",
				  dir, strerror(errno));
	while ((de = readdir(d)))
		if (is_rule_file(de->d_name)) {
			BK_ALLOC_GROW(names, nr + 1, alloc);
			names[nr++] = bk_xstrdup(de->d_name);
		}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr && !rc; i++) {
		struct bk_buf path = BK_BUF_INIT, text = BK_BUF_INIT, why = BK_BUF_INIT;
		bk_buf_printf(&path, "%s/%s", dir, names[i]);
		if (bk_read_regular(&text, path.ptr, BK_YAML_MAX_SIZE, &why))
			rc = bk_err_set(err, errno == EINVAL || errno == EFBIG ? BK_ECONFIG : BK_EIO,
					"cannot read rule file '%s': %s", path.ptr, why.ptr);
		else
			rc = bk_ruleset_add_text(set, path.ptr, text.ptr, text.len, err);
		bk_buf_release(&path);
		bk_buf_release(&text);
		bk_buf_release(&why);
	}
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return rc;
}
