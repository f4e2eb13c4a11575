/*
 * What plan.c and plan-rules.c share: the node walk as the rules' checks
 * see it, and node helpers. Not for other modules.
 */
#ifndef BK_PLAN_INT_H
#define BK_PLAN_INT_H

#include "explain/plan.h"
#include "base/util.h"

struct json_t;

/* One node as the rules see it while the plan is walked. */
struct bk_plan_visit {
	const struct json_t *node;
	const struct json_t *parent;  /* NULL for the top node */
	int under_limit;              /* an ancestor is a Limit */
	const struct bk_plan_ctx *ctx;
	struct bk_plan_findings *out;
};

double bk_plan_num(const struct json_t *node, const char *key, double dflt);
const char *bk_plan_str(const struct json_t *node, const char *key);
int bk_plan_is(const struct json_t *node, const char *node_type);
/* Actual Loops (1 without ANALYZE); a per-loop field times the loops. */
double bk_plan_loops(const struct json_t *node);
double bk_plan_total(const struct json_t *node, const char *key);
/* Rows the node returned in all (ANALYZE) or is estimated to return. */
double bk_plan_rows(const struct json_t *node, int analyzed);
/* Rows in the scanned relation: reltuples, else the node's own figures. */
double bk_plan_rel_rows(const struct bk_plan_ctx *ctx, const struct json_t *node);
/* "schema.name" when the schema is known, else the name. */
void bk_plan_rel_name(struct bk_buf *b, const struct bk_plan_ctx *ctx,
		      const struct json_t *node);
const struct json_t *bk_plan_child(const struct json_t *node, size_t i);
/* The node's input: its first child that is not an InitPlan or SubPlan. */
const struct json_t *bk_plan_input(const struct json_t *node);
/* "~1,234,567" style, rounded. */
void bk_plan_count(struct bk_buf *b, double n);
/* CREATE INDEX for the relation of node over the columns of exprs. */
int bk_plan_index_fix(struct bk_buf *fix, const struct bk_plan_ctx *ctx,
		      const struct json_t *scan, const char *const *exprs, size_t n);
/* Append a finding of rule for v's node (described) that takes message and fix. */
void bk_plan_report(const struct bk_plan_visit *v, const struct bk_plan_rule *rule,
		    struct bk_buf *message, struct bk_buf *fix);

#endif
