/* Engine internals shared by engine.c (compile), cond.c and run.c. */
#ifndef BK_ENGINE_INT_H
#define BK_ENGINE_INT_H

#include <tree_sitter/api.h>
#include "engine.h"
#include "lang.h"
#include "pred.h"

#define NO_CAPTURE UINT32_MAX

struct cond_c {
	const struct bk_cond *src;
	TSQuery *q;
	struct bk_predset *preds;
	uint32_t at_capture;        /* @at in the condition query */
	uint32_t scope_capture;     /* main-query capture for `in: <name>` */
	uint32_t *same_main;        /* capture ids, main query */
	uint32_t *same_cond;        /* same names, condition query */
	size_t same_nr;
};

/* One rule in one language. */
struct entry {
	const struct bk_rule *rule;
	size_t rule_index;
	const struct bk_rule_lang *rl;
	struct cond_c *where, *unless;
	size_t where_nr, unless_nr;
	struct bk_regex *re;        /* text languages */
	uint32_t src_start;         /* offset of its query in the combined source */
};

struct lang_c {
	int prepared;
	size_t entries_nr;
	struct entry *entries;
	TSQuery *q;
	struct bk_predset *preds;
	uint32_t *pattern_entry;    /* pattern index -> entry index */
	uint32_t report_capture;
	const char **needles;       /* borrowed; NULL with needles_all */
	size_t needles_nr;
	int needles_all;            /* some rule has no needle: always parse */
};

struct bk_engine {
	const struct bk_ruleset *set;
	struct lang_c *langs;       /* bk_langs_nr */
	double compile_ms;
};

struct bk_worker {
	const struct bk_engine *e;
	TSParser *parser;
	TSQueryCursor *cursor;
	TSQueryCursor *cond_cursor;
	struct bk_regex_scratch *scratch;
	struct bk_worker_stats stats;
};

/* cond.c */
int bk_cond_compile(struct cond_c *out, const struct bk_cond *src, int lang,
		    const TSQuery *main_q, const struct bk_rule *rule,
		    struct bk_err *err);
void bk_cond_release(struct cond_c *c);
/* Does the condition hold for this match and report node? */
int bk_cond_holds(struct bk_worker *w, const struct cond_c *c, int lang,
		  const TSQueryMatch *m, TSNode report, TSNode root,
		  const char *text);

/* Compile one query; errors point into the rule file at line/col. */
int bk_query_compile(TSQuery **out, int lang, const char *src, const char *file,
		     uint32_t line, uint32_t col, struct bk_err *err);

#endif
