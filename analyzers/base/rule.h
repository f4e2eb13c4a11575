/*
 * What a rule is: its identity and documentation (shared by check rules,
 * plan rules and probe checks, so every finding names one), and for check
 * rules the per-language queries, conditions and examples. Rule files are
 * loaded by lint/rule-load.h and compiled by lint/engine.h. The rule set
 * owns everything.
 */
#ifndef BK_RULE_H
#define BK_RULE_H

#include <stddef.h>
#include <stdint.h>
#include "base/role.h"
#include "base/err.h"

enum bk_severity { BK_SEV_INFO = 0, BK_SEV_WARNING = 1, BK_SEV_ERROR = 2 };

const char *bk_severity_name(enum bk_severity s);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int bk_severity_parse(enum bk_severity *out, const char *name);

enum bk_cond_kind {
	BK_COND_HAS,     /* a match of query lies inside the scope node */
	BK_COND_INSIDE,  /* an ancestor of the report node matches query */
	BK_COND_FILE,    /* the checked file's path matches a regex */
};

enum bk_scope {
	BK_SCOPE_REPORT,   /* the reported node (default) */
	BK_SCOPE_FUNCTION, /* the nearest enclosing function (or the file) */
	BK_SCOPE_FILE,     /* the whole file */
	BK_SCOPE_CAPTURE,  /* a named capture of the main pattern */
	BK_SCOPE_DEFINITION, /* the function a capture names, and its callees */
};

/* Where a value came from in a YAML file, for error messages. */
struct bk_loc {
	const char *file; /* borrowed from the rule */
	uint32_t line, col; /* 1-based */
};

struct bk_cond {
	enum bk_cond_kind kind;
	enum bk_scope scope;
	char *scope_capture;      /* with BK_SCOPE_CAPTURE, BK_SCOPE_DEFINITION */
	char *query_src;          /* the query, or the regex of BK_COND_FILE */
	char *query_tpl;          /* query_src before {{params.NAME}}, if it has one */
	char **same;              /* capture names equal in both matches */
	size_t same_nr;
	int across_functions;     /* inside: do not stop at a function */
	struct bk_cond *except;   /* it does not hold when one of these does */
	size_t except_nr;
	struct bk_loc loc;
};

struct bk_rule_lang {
	int lang;                 /* index into the language table */
	char *query_src;          /* tree-sitter query (grammar languages) */
	char *query_tpl;          /* query_src before {{params.NAME}}, if it has one */
	char *regex_src;          /* regex (text languages such as sql) */
	char *message;            /* overrides the rule's message */
	char **needles;           /* declared prefilter needles */
	size_t needles_nr;
	char *prefilter_src;      /* regex every matching file must contain */
	struct bk_loc prefilter_loc;
	char *report_at_src;      /* regex: a finding covers its first match in the node */
	struct bk_loc report_at_loc;
	struct bk_cond *where;    /* all must hold */
	size_t where_nr;
	struct bk_cond *unless;   /* none may hold */
	size_t unless_nr;
	struct bk_loc loc;
	uint32_t query_line;      /* position of the query text in the file */
	uint32_t query_col;
};

/* One entry of a `fix:` keyed by language. */
struct bk_rule_fix {
	int lang;                 /* index into the language table; -1: `default` */
	char *text;
};

/*
 * A list of names a rule's queries use as {{params.NAME}} (header names,
 * say); a configuration can add to it.
 */
struct bk_param {
	char *name;
	char **values;            /* the rule's, then the configuration's */
	size_t values_nr;
};

struct bk_example {
	int lang;
	int bad;                  /* 1: must be reported, 0: must stay quiet */
	char *code;
	struct bk_loc loc;
};

struct bk_rule {
	char *id;
	char *title;
	char *message;            /* may interpolate {{capture}}; default title */
	char *category;
	char *rationale;
	char *fix;                /* the whole fix; for a keyed fix, every entry
				     prefixed by the languages it is for */
	struct bk_rule_fix *fixes; /* a `fix:` keyed by language, else none */
	size_t fixes_nr;
	char *docs;               /* URL */
	char *threshold;          /* built-in explain rules: when it fires; else NULL */
	enum bk_severity severity;
	int enabled;              /* off by default with `enabled: false`; config decides */
	unsigned roles;           /* code roles it applies to (BK_ROLE_BIT); 0: source */
	char *path;               /* the file it came from ("builtin:" prefix) */
	struct bk_rule_lang *langs;
	size_t langs_nr;
	struct bk_example *examples;
	size_t examples_nr;
	struct bk_param *params;
	size_t params_nr;
};

struct bk_ruleset {
	struct bk_rule *rules;
	size_t nr, alloc;
};

const struct bk_rule *bk_ruleset_find(const struct bk_ruleset *set,
				      const char *id);
/* The code roles r applies to (a BK_ROLE_BIT mask; source by default). */
static inline unsigned bk_rule_roles(const struct bk_rule *r)
{
	return r->roles ? r->roles : BK_ROLE_BIT(BK_ROLE_SOURCE);
}

/*
 * The fix to show under a finding in language lang (an index into the
 * language table, -1 when unknown): the entry of a keyed fix for lang, else
 * its `default`, else the whole fix. Borrowed from r; NULL only when r has
 * no fix at all (rules built in code may have none).
 */
const char *bk_rule_fix_for(const struct bk_rule *r, int lang);
struct bk_param *bk_rule_param(const struct bk_rule *r, const char *name);
/*
 * (Re)write every query and file regex of r that mentions {{params.NAME}}
 * from its template: the placeholder becomes (?:v1|v2|...), each value
 * matched literally except that '-' and '_' match either or nothing (so
 * X-Request-Id also finds x_request_id and XRequestId), escaped for a
 * tree-sitter query string. An unknown NAME is an error at the query.
 */
int bk_rule_expand_params(struct bk_rule *r, struct bk_err *err);

void bk_rule_release(struct bk_rule *r);
void bk_ruleset_release(struct bk_ruleset *set);

#endif
