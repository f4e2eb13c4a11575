#include "base/config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/util.h"
#include "base/glob.h"
#include "base/yaml.h"

char *bk_config_find(const char *dir)
{
	struct bk_buf d = BK_BUF_INIT, p = BK_BUF_INIT;
	char *found = NULL;

	bk_buf_puts(&d, dir);
	for (;;) {
		bk_buf_reset(&p);
		bk_buf_printf(&p, "%s/.bkgen.yml", d.len ? d.ptr : "");
		if (!access(p.ptr, F_OK)) {
			found = bk_buf_detach(&p);
			break;
		}
		char *slash = strrchr(d.ptr, '/');
		if (!slash || d.len <= 1)
			break;
		d.len = (size_t)(slash - d.ptr);
		d.ptr[d.len] = '\0';
	}
	bk_buf_release(&d);
	bk_buf_release(&p);
	return found;
}

int bk_parse_size(uint64_t *out, const char *s)
{
	char *end;
	unsigned long long unit = 1;
	if (*s < '0' || *s > '9')
		return -1; /* no sign, no blanks */
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno)
		return -1;
	while (*end == ' ')
		end++;
	if (!strcmp(end, "KiB") || !strcmp(end, "K") || !strcmp(end, "KB"))
		unit = 1024;
	else if (!strcmp(end, "MiB") || !strcmp(end, "M") || !strcmp(end, "MB"))
		unit = 1024 * 1024;
	else if (*end)
		return -1;
	if (v > UINT64_MAX / unit)
		return -1;
	v *= unit;
	*out = v;
	return 0;
}

/* A level name, or on/off for rules. */
static int parse_level(const char *s, int *enabled, int *severity)
{
	enum bk_severity sev;
	if (!strcmp(s, "off") || !strcmp(s, "false")) {
		*enabled = 0;
		return 0;
	}
	if (!strcmp(s, "on") || !strcmp(s, "true")) {
		*enabled = 1;
		return 0;
	}
	if (bk_severity_parse(&sev, s))
		return -1;
	*enabled = 1;
	*severity = (int)sev;
	return 0;
}

/* params: { name: [value, ...] }: added to the rule's own values. */
static int parse_rule_params(const struct bk_ydoc *d, int node, struct bk_rule_override *o,
			     struct bk_err *err)
{
	size_t n;

	if (bk_ynode_kind(d, node) != BK_Y_MAP)
		return bk_yerr(err, d, node, "'params' of rule '%s' must map parameter names "
			       "to lists (e.g. key-headers: [X-Request-Id])", o->id);
	n = bk_ynode_len(d, node);
	o->params = bk_xcalloc(n + 1, sizeof(*o->params));
	o->params_pos = bk_xcalloc(2 * n + 2, sizeof(*o->params_pos));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(d, node, i, &key);
		struct bk_param *p = &o->params[o->params_nr++];
		int rc;
		p->name = bk_xstrdup(bk_ynode_scalar(d, key) ? bk_ynode_scalar(d, key) : "");
		bk_ynode_pos(d, key, &o->params_pos[2 * i], &o->params_pos[2 * i + 1]);
		if ((rc = bk_yget_strings(&p->values, &p->values_nr, d, val, p->name, err)))
			return rc;
	}
	return 0;
}

static int parse_rule_override(const struct bk_ydoc *d, int key, int val,
			       struct bk_rule_override *o, struct bk_err *err)
{
	static const char *const keys[] = { "enabled", "severity", "roles", "params", NULL };
	const char *s;
	int rc, v;

	o->id = bk_xstrdup(bk_ynode_scalar(d, key));
	o->enabled = o->severity = -1;
	bk_ynode_pos(d, key, &o->line, &o->col);
	if ((s = bk_ynode_scalar(d, val))) {
		if (parse_level(s, &o->enabled, &o->severity))
			return bk_yerr(err, d, val, "invalid setting '%s' for rule '%s' "
				       "(expected off, on, error, warning or info)", s, o->id);
		return 0;
	}
	if (bk_ynode_kind(d, val) != BK_Y_MAP)
		return bk_yerr(err, d, val, "rule '%s' takes off, on, a severity, "
			       "or { enabled, severity, roles, params }", o->id);
	if ((rc = bk_ymap_check_keys(d, val, keys, "a rule setting", err)))
		return rc;
	if ((s = bk_ynode_scalar(d, bk_ynode_get(d, val, "enabled")))) {
		if (strcmp(s, "true") && strcmp(s, "false"))
			return bk_yerr(err, d, bk_ynode_get(d, val, "enabled"),
				       "'enabled' must be true or false");
		o->enabled = !strcmp(s, "true");
	}
	if ((s = bk_ynode_scalar(d, bk_ynode_get(d, val, "severity")))) {
		enum bk_severity sev;
		if (bk_severity_parse(&sev, s))
			return bk_yerr(err, d, bk_ynode_get(d, val, "severity"),
				       "unknown severity '%s' (expected error, warning or info)", s);
		o->severity = (int)sev;
	}
	if ((v = bk_ynode_get(d, val, "roles")) &&
	    (rc = bk_yget_roles(&o->roles, d, v, "roles", err)))
		return rc;
	if ((v = bk_ynode_get(d, val, "params")))
		return parse_rule_params(d, v, o, err);
	return 0;
}

/* roles: { glob: role, ... }: what bkgen would guess, corrected. */
static int parse_roles(struct bk_config *c, const struct bk_ydoc *d, int node,
		       struct bk_err *err)
{
	if (bk_ynode_kind(d, node) != BK_Y_MAP)
		return bk_yerr(err, d, node, "'roles' must map globs to a role "
			       "(e.g. tools/loadgen/: source)");
	size_t n = bk_ynode_len(d, node);
	c->roles = bk_xcalloc(n + 1, sizeof(*c->roles));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(d, node, i, &key);
		const char *glob = bk_ynode_scalar(d, key), *s = bk_ynode_scalar(d, val);
		enum bk_role role;
		if (!s || bk_role_parse(&role, s, strlen(s)))
			return bk_yerr(err, d, val, "unknown role '%s' (expected one of: source, "
				       "test, seed, migration, vendored, generated, example, browser)",
				       s ? s : "");
		c->roles[i].glob = bk_xstrdup(glob ? glob : "");
		c->roles[i].role = role;
		c->roles_nr = i + 1;
	}
	return 0;
}

static int parse_rules(struct bk_config *c, const struct bk_ydoc *d, int node,
		       struct bk_err *err)
{
	if (bk_ynode_kind(d, node) != BK_Y_MAP)
		return bk_yerr(err, d, node, "'rules' must map rule ids to settings");
	size_t n = bk_ynode_len(d, node);
	c->rules = bk_xcalloc(n + 1, sizeof(*c->rules));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(d, node, i, &key);
		int rc = parse_rule_override(d, key, val, &c->rules[i], err);
		c->rules_nr = i + 1;
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_explain(struct bk_config *c, const struct bk_ydoc *d, int node,
			 struct bk_err *err)
{
	static const char *const keys[] = { "migrations", "settings", NULL };
	int v, rc;

	if (bk_ynode_kind(d, node) != BK_Y_MAP)
		return bk_yerr(err, d, node, "'explain' must be a mapping (keys: migrations, settings)");
	if ((rc = bk_ymap_check_keys(d, node, keys, "'explain'", err)))
		return rc;
	if ((v = bk_ynode_get(d, node, "migrations")) &&
	    (rc = bk_yget_strings(&c->migrations, &c->migrations_nr, d, v, "migrations", err)))
		return rc;
	if ((v = bk_ynode_get(d, node, "settings")) &&
	    (rc = bk_yget_strings(&c->settings, &c->settings_nr, d, v, "settings", err)))
		return rc;
	for (size_t i = 0; i < c->settings_nr; i++)
		if (!strchr(c->settings[i], '='))
			return bk_yerr(err, d, v, "invalid setting '%s' (expected name=value, e.g. work_mem=64MB)",
				       c->settings[i]);
	return 0;
}

/* A cap on findings: a count, or 0 for none (kept as SIZE_MAX: 0 is unset). */
static int parse_cap(size_t *out, const struct bk_ydoc *d, int v, const char *key,
		     struct bk_err *err)
{
	const char *s = bk_ynode_scalar(d, v);
	unsigned long long n = 0;
	char *end = NULL;

	if (s && *s >= '0' && *s <= '9') {
		errno = 0;
		n = strtoull(s, &end, 10);
	}
	if (!end || *end || errno || n >= SIZE_MAX)
		return bk_yerr(err, d, v, "invalid '%s' (expected a number of findings, 0 for no limit)",
			       key);
	*out = n ? (size_t)n : SIZE_MAX;
	return 0;
}

static int parse_top(struct bk_config *c, const struct bk_ydoc *d, int root,
		     struct bk_err *err)
{
	static const char *const keys[] = { "include", "exclude", "rules", "fail-on",
					    "rule-dirs", "max-file-size", "max-findings",
					    "max-findings-per-file", "explain", "roles", NULL };
	int v, rc;
	const char *s;

	if (bk_ynode_kind(d, root) != BK_Y_MAP)
		return bk_yerr(err, d, root, "the configuration must be a mapping");
	if ((rc = bk_ymap_check_keys(d, root, keys, "the configuration", err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "include")) &&
	    (rc = bk_yget_strings(&c->include, &c->include_nr, d, v, "include", err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "exclude")) &&
	    (rc = bk_yget_strings(&c->exclude, &c->exclude_nr, d, v, "exclude", err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "rule-dirs")) &&
	    (rc = bk_yget_strings(&c->rule_dirs, &c->rule_dirs_nr, d, v, "rule-dirs", err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "rules")) && (rc = parse_rules(c, d, v, err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "roles")) && (rc = parse_roles(c, d, v, err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "fail-on"))) {
		enum bk_severity sev;
		s = bk_ynode_scalar(d, v);
		if (s && !strcmp(s, "none"))
			c->fail_on = BK_FAIL_NONE;
		else if (s && !bk_severity_parse(&sev, s))
			c->fail_on = (int)sev;
		else
			return bk_yerr(err, d, v, "invalid 'fail-on' (expected error, warning, info or none)");
	}
	if ((v = bk_ynode_get(d, root, "explain")) && (rc = parse_explain(c, d, v, err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "max-file-size"))) {
		s = bk_ynode_scalar(d, v);
		if (!s || bk_parse_size(&c->max_file_size, s) || !c->max_file_size)
			return bk_yerr(err, d, v, "invalid 'max-file-size' (expected bytes, e.g. 2MiB or 500KiB)");
	}
	if ((v = bk_ynode_get(d, root, "max-findings")) &&
	    (rc = parse_cap(&c->max_findings, d, v, "max-findings", err)))
		return rc;
	if ((v = bk_ynode_get(d, root, "max-findings-per-file")) &&
	    (rc = parse_cap(&c->max_findings_per_file, d, v, "max-findings-per-file", err)))
		return rc;
	return 0;
}

/* Paths in the file are relative to its directory. */
static void resolve_paths(const struct bk_config *c, char **paths, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		if (paths[i][0] == '/')
			continue;
		struct bk_buf b = BK_BUF_INIT;
		bk_buf_printf(&b, "%s/%s", c->dir, paths[i]);
		free(paths[i]);
		paths[i] = bk_buf_detach(&b);
	}
}

int bk_config_load(struct bk_config *c, const char *path, struct bk_err *err)
{
	struct bk_buf text = BK_BUF_INIT, why = BK_BUF_INIT;
	struct bk_ydoc *d = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	c->fail_on = -1;
	c->path = bk_xstrdup(path);
	const char *slash = strrchr(path, '/');
	c->dir = slash ? bk_xstrndup(path, (size_t)(slash - path)) : bk_xstrdup(".");
	if (!*c->dir) {
		free(c->dir);
		c->dir = bk_xstrdup("/");
	}
	if (bk_read_regular(&text, path, BK_YAML_MAX_SIZE, &why)) {
		rc = bk_err_set(err, BK_ECONFIG, "cannot read configuration '%s': %s", path, why.ptr);
		goto out;
	}
	if ((rc = bk_ydoc_load(&d, path, text.ptr, text.len, err)))
		goto out;
	if (bk_ydoc_root(d) && (rc = parse_top(c, d, bk_ydoc_root(d), err)))
		goto out;
	resolve_paths(c, c->rule_dirs, c->rule_dirs_nr);
	resolve_paths(c, c->migrations, c->migrations_nr);
	c->abs_dir = realpath(c->dir, NULL);
out:
	bk_ydoc_free(d);
	bk_buf_release(&text);
	bk_buf_release(&why);
	return rc;
}

int bk_config_apply(const struct bk_config *c, struct bk_ruleset *set,
		    int (*known_elsewhere)(const char *id), struct bk_err *err)
{
	for (size_t i = 0; i < c->rules_nr; i++) {
		const struct bk_rule_override *o = &c->rules[i];
		struct bk_rule *r = (struct bk_rule *)bk_ruleset_find(set, o->id);
		if (!r && known_elsewhere && known_elsewhere(o->id))
			continue;
		if (!r)
			return bk_err_set(err, BK_ECONFIG,
					  "%s:%u:%u: unknown rule '%s' (see `bkgen rules list`)",
					  c->path, o->line, o->col, o->id);
		if (o->enabled >= 0)
			r->enabled = o->enabled;
		if (o->severity >= 0)
			r->severity = (enum bk_severity)o->severity;
		if (o->roles)
			r->roles = o->roles;
		for (size_t j = 0; j < o->params_nr; j++) {
			const struct bk_param *add = &o->params[j];
			struct bk_param *p = bk_rule_param(r, add->name);
			if (!p)
				return bk_err_set(err, BK_ECONFIG,
						  "%s:%u:%u: rule '%s' has no parameter '%s'",
						  c->path, o->params_pos[2 * j],
						  o->params_pos[2 * j + 1], o->id, add->name);
			p->values = bk_xrealloc(p->values, (p->values_nr + add->values_nr + 1) *
						sizeof(*p->values));
			for (size_t k = 0; k < add->values_nr; k++)
				p->values[p->values_nr++] = bk_xstrdup(add->values[k]);
		}
		if (o->params_nr) {
			int rc = bk_rule_expand_params(r, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void bk_config_release(struct bk_config *c)
{
	free(c->path);
	free(c->dir);
	free(c->abs_dir);
	free_list(c->include, c->include_nr);
	free_list(c->exclude, c->exclude_nr);
	free_list(c->rule_dirs, c->rule_dirs_nr);
	free_list(c->migrations, c->migrations_nr);
	free_list(c->settings, c->settings_nr);
	for (size_t i = 0; i < c->rules_nr; i++) {
		struct bk_rule_override *o = &c->rules[i];
		free(o->id);
		for (size_t j = 0; j < o->params_nr; j++) {
			free(o->params[j].name);
			free_list(o->params[j].values, o->params[j].values_nr);
		}
		free(o->params);
		free(o->params_pos);
	}
	free(c->rules);
	for (size_t i = 0; i < c->roles_nr; i++)
		free(c->roles[i].glob);
	free(c->roles);
	memset(c, 0, sizeof(*c));
}

/* abs_path relative to the config's directory, or NULL outside it. */
static const char *config_rel(const struct bk_config *c, const char *abs_path)
{
	size_t n = c->abs_dir ? strlen(c->abs_dir) : 0;
	if (!n || strncmp(abs_path, c->abs_dir, n) ||
	    (abs_path[n] != '/' && strcmp(c->abs_dir, "/")))
		return NULL;
	return abs_path + n + (abs_path[n] == '/');
}

int bk_config_role(const struct bk_config *c, const char *abs_path)
{
	const char *rel = c->roles_nr ? config_rel(c, abs_path) : NULL;
	for (size_t i = 0; rel && i < c->roles_nr; i++)
		if (bk_glob_match(c->roles[i].glob, rel))
			return (int)c->roles[i].role;
	return -1;
}

int bk_config_filters_out(const struct bk_config *c, const char *abs_path)
{
	const char *rel = config_rel(c, abs_path);

	if (!rel)
		return 0;
	for (size_t i = 0; i < c->exclude_nr; i++)
		if (bk_glob_match(c->exclude[i], rel))
			return 1;
	if (!c->include_nr)
		return 0;
	for (size_t i = 0; i < c->include_nr; i++)
		if (bk_glob_match(c->include[i], rel))
			return 0;
	return 1;
}
