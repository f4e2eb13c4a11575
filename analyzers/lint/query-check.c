/*
 * A rule's query text, checked before tree-sitter sees it.
 *
 * ts_query_new trusts its input more than a rule file from a checked
 * repository deserves (tree-sitter 0.25, and 0.26 still):
 *  - a field whose pattern is only a predicate (`value: (#eq? ...)`, or
 *    `value: (.r)`, which reads as a predicate named "r") makes it write
 *    the field into a step that was never added: an assertion, or an
 *    out-of-bounds write when built without assertions. A group or an
 *    alternation holding only predicates, followed by a quantifier or a
 *    capture, does the same;
 *  - its recursive descent has no depth limit, so deep nesting overflows
 *    the stack;
 *  - step indices are 16 bits;
 *  - it follows the alternatives of a pattern's first steps without
 *    noticing a cycle, which some repetitions make (`(x)?+`, or
 *    `(_ (x)*)+`), and then allocates until memory runs out.
 *
 * So the text is walked here first, the way ts_query__parse_pattern walks
 * it, and the same steps and alternative links are built (without
 * captures and predicates), the grammar telling which names are
 * supertypes. Where tree-sitter would stop on an error this walk stops too
 * and leaves the message to tree-sitter, which then never reaches
 * anything refused below. Beyond what would crash or hang, patterns made
 * only of predicates are refused everywhere but as children of a node or
 * of a group that has a node (elsewhere they test nothing), and so is the
 * repetition of a pattern that may match nothing.
 */
#include "lint/engine-int.h"

#include <stdlib.h>
#include <string.h>

enum { Q_OK, Q_DONE, Q_SYNTAX, Q_REJECT };

#define NONE 0xFFFF            /* tree-sitter's "no alternative" */
#define DONE_DEPTH 0xFFFF      /* the depth of its end-of-pattern step */

/* What tree-sitter's root loop reads of a step. */
struct qstep {
	uint16_t depth;
	uint16_t alt;
	uint8_t wildcard, field, immediate;
};

struct qscan {
	const TSLanguage *lang;
	const char *start, *p, *end;
	unsigned nesting;
	struct qstep *steps;
	size_t nr, alloc;
	struct bk_buf str;        /* the last string literal, unescaped */
	struct bk_query_scan *out;
};

static int reject(struct qscan *q, const char *at, const char *problem,
		  const char *hint)
{
	if (!q->out->problem) {
		q->out->problem = problem;
		q->out->hint = hint;
		q->out->offset = (uint32_t)(at - q->start);
	}
	return Q_REJECT;
}

/*
 * The next character, 0 at the end. Outside strings and comments
 * tree-sitter classifies code points with iswspace/iswalnum, which depend
 * on the locale; node, field and capture names are ASCII, so anything
 * else there is refused rather than guessed at.
 */
static int peek(struct qscan *q)
{
	if (q->p >= q->end)
		return 0;
	if ((unsigned char)*q->p >= 0x80) {
		reject(q, q->p, "a non-ASCII character outside a string or comment",
		       "names of nodes, fields and captures are ASCII");
		return 0;
	}
	return (unsigned char)*q->p;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int ident_start(int c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

static void skip_space(struct qscan *q)
{
	for (;;) {
		int c = peek(q);
		if (is_space(c)) {
			q->p++;
		} else if (c == ';') {
			while (q->p < q->end && *q->p != '\n')
				q->p++;
		} else {
			return;
		}
	}
}

/* At an identifier start: past its last character; its length. */
static size_t scan_ident(struct qscan *q)
{
	const char *s = q->p;
	int c;
	do {
		q->p++;
		c = peek(q);
	} while (is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '?' || c == '!');
	return (size_t)(q->p - s);
}

/* At '"': past the closing quote, its text in q->str; or Q_SYNTAX. */
static int scan_string(struct qscan *q)
{
	int escaped = 0;
	bk_buf_reset(&q->str);
	for (q->p++; q->p < q->end; q->p++) {
		char c = *q->p;
		if (escaped) {
			escaped = 0;
			bk_buf_putc(&q->str, c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t'
						  : c == '0' ? '\0' : c);
		} else if (c == '\\') {
			escaped = 1;
		} else if (c == '"') {
			q->p++;
			return Q_OK;
		} else if (c == '\n') {
			return Q_SYNTAX;
		} else {
			bk_buf_putc(&q->str, c);
		}
	}
	return Q_SYNTAX;
}

static int add_step(struct qscan *q, const char *at, unsigned depth, int wildcard,
		    int immediate)
{
	if (q->nr >= BK_QUERY_MAX_STEPS)
		return reject(q, at, "more than " BK_STR(BK_QUERY_MAX_STEPS)
			      " node patterns", "split the rule");
	BK_ALLOC_GROW(q->steps, q->nr + 1, q->alloc);
	q->steps[q->nr++] = (struct qstep){ (uint16_t)depth, NONE, (uint8_t)!!wildcard,
					    0, (uint8_t)!!immediate };
	return Q_OK;
}

/* A named node's symbol: 0 when the grammar has none of that name. */
static TSSymbol named_symbol(struct qscan *q, const char *name, size_t n)
{
	return ts_language_symbol_for_name(q->lang, name, (uint32_t)n, true);
}

/* Does a query step for sym match any node, as tree-sitter's do? */
static int is_supertype(const struct qscan *q, TSSymbol sym)
{
	uint32_t n = 0;
	const TSSymbol *sup = ts_language_supertypes(q->lang, &n);
	for (uint32_t i = 0; i < n; i++)
		if (sup[i] == sym)
			return 1;
	return ts_language_symbol_type(q->lang, sym) == TSSymbolTypeSupertype;
}

/* After "(#" or "(.": the predicate and its ')'. Adds no step. */
static int scan_predicate(struct qscan *q)
{
	if (!ident_start(peek(q)))
		return Q_SYNTAX;
	scan_ident(q);
	skip_space(q);
	for (;;) {
		int c = peek(q);
		if (c == ')') {
			q->p++;
			skip_space(q);
			return Q_OK;
		}
		if (c == '@') {
			q->p++;
			if (!ident_start(peek(q)))
				return Q_SYNTAX;
			scan_ident(q);
		} else if (c == '"') {
			if (scan_string(q))
				return Q_SYNTAX;
		} else if (ident_start(c)) {
			scan_ident(q);
		} else {
			return Q_SYNTAX;
		}
		skip_space(q);
	}
}

/* *nullable: may the pattern match nothing (it ends in '?' or '*')? */
static int scan_pattern(struct qscan *q, unsigned depth, int immediate, int *nullable);

static int scan_alternation(struct qscan *q, unsigned depth, int immediate,
			    int *nullable)
{
	size_t *branch = NULL, nb = 0, alloc = 0;
	int rc = Q_OK;

	q->p++;
	skip_space(q);
	for (;;) {
		const char *at = q->p;
		size_t before = q->nr;
		int branch_nullable = 0;
		rc = scan_pattern(q, depth, immediate, &branch_nullable);
		if (rc == Q_DONE) {
			rc = peek(q) == ']' && nb ? Q_OK : Q_SYNTAX;
			q->p++;
			break;
		}
		if (rc)
			goto out;
		if (q->nr == before) {
			rc = reject(q, at, "an alternative made only of a predicate",
				    "put the predicate after the alternation, inside its parent");
			goto out;
		}
		BK_ALLOC_GROW(branch, nb + 1, alloc);
		branch[nb++] = before;
		*nullable |= branch_nullable;
		if ((rc = add_step(q, at, depth, 1, 0))) /* placeholder between branches */
			goto out;
	}
	if (rc)
		goto out;
	q->nr--; /* the placeholder after the last branch */
	for (size_t i = 0; i + 1 < nb; i++) {
		q->steps[branch[i]].alt = (uint16_t)branch[i + 1];
		q->steps[branch[i + 1] - 1].alt = (uint16_t)q->nr;
	}
out:
	free(branch);
	return rc;
}

/* After "(" and spaces, at '(', '"' or '[': a grouped sequence. */
static int scan_group(struct qscan *q, const char *open, unsigned depth,
		      int immediate, int *nullable)
{
	size_t before = q->nr;
	*nullable = 1;
	for (;;) {
		int member_nullable = 0;
		if (peek(q) == '.') {
			immediate = 1;
			q->p++;
			skip_space(q);
		}
		size_t member = q->nr;
		int rc = scan_pattern(q, depth, immediate, &member_nullable);
		if (rc == Q_DONE) {
			if (peek(q) != ')')
				return Q_SYNTAX;
			q->p++;
			break;
		}
		if (rc)
			return rc;
		if (q->nr != member && !member_nullable)
			*nullable = 0;
		immediate = 0;
	}
	if (q->nr == before)
		return reject(q, open, "a group made only of predicates",
			      "a predicate belongs inside the pattern it tests");
	return Q_OK;
}

/* The node's name (MISSING, "_" or a grammar name): its step. */
static int scan_node_step(struct qscan *q, const char *open, unsigned depth,
			  int immediate)
{
	const char *name = q->p;
	TSSymbol sym = 0;
	size_t n;

	if (!ident_start(peek(q)))
		return Q_SYNTAX;
	n = scan_ident(q);
	if (n == 1 && *name == '_') {
		sym = 0;
	} else if (n <= 7 && !strncmp(name, "MISSING", n)) {
		/* tree-sitter compares only n bytes: "(M)" is MISSING too */
		skip_space(q);
		int c = peek(q);
		const char *missing = q->p;
		if (ident_start(c)) {
			size_t m = scan_ident(q);
			if (!(sym = named_symbol(q, missing, m)))
				return Q_SYNTAX;
		} else if (c == '"') {
			if (scan_string(q))
				return Q_SYNTAX;
			if (!q->str.len)
				return reject(q, missing, "an empty string, which names no node", NULL);
			if (!(sym = ts_language_symbol_for_name(q->lang, q->str.ptr,
								(uint32_t)q->str.len, false)))
				return Q_SYNTAX;
		} else if (c != ')') {
			return Q_SYNTAX;
		}
	} else if (!(sym = named_symbol(q, name, n))) {
		return Q_SYNTAX;
	}
	int supertype = sym && is_supertype(q, sym);
	int rc = add_step(q, open, depth, !sym || supertype, immediate);
	if (rc)
		return rc;
	skip_space(q);
	if (peek(q) == '/') {
		if (!supertype)
			return Q_SYNTAX;
		q->p++;
		if (!ident_start(peek(q)))
			return Q_SYNTAX;
		const char *sub = q->p;
		if (!named_symbol(q, sub, scan_ident(q)))
			return Q_SYNTAX;
		q->steps[q->nr - 1].wildcard = 0;
		skip_space(q);
	}
	return Q_OK;
}

/* After "(" and spaces, at a name: the node, its children and ')'. */
static int scan_node(struct qscan *q, const char *open, unsigned depth, int immediate)
{
	int rc;
	size_t last_child = 0;

	if ((rc = scan_node_step(q, open, depth, immediate)))
		return rc;
	immediate = 0;
	for (;;) {
		int c = peek(q);
		if (c == '!') {
			q->p++;
			skip_space(q);
			if (!ident_start(peek(q)))
				return Q_SYNTAX;
			const char *f = q->p;
			if (!ts_language_field_id_for_name(q->lang, f, (uint32_t)scan_ident(q)))
				return Q_SYNTAX;
			skip_space(q);
			continue;
		}
		if (c == '.') {
			immediate = 1;
			q->p++;
			skip_space(q);
		}
		size_t child = q->nr;
		int child_nullable = 0;
		rc = scan_pattern(q, depth + 1, immediate, &child_nullable);
		if (rc == Q_DONE) {
			/* A trailing anchor needs a child before it. */
			if (peek(q) != ')' || (immediate && !last_child))
				return Q_SYNTAX;
			q->p++;
			return Q_OK;
		}
		if (rc)
			return rc;
		last_child = q->nr == child ? child - 1 : child;
		immediate = 0;
	}
}

static int scan_field(struct qscan *q, unsigned depth, int immediate, int *nullable)
{
	const char *name = q->p;
	size_t n = scan_ident(q), before;
	int rc;

	skip_space(q);
	if (peek(q) != ':')
		return Q_SYNTAX;
	q->p++;
	skip_space(q);
	before = q->nr;
	rc = scan_pattern(q, depth, immediate, nullable);
	if (rc == Q_DONE)
		return Q_SYNTAX;
	if (rc)
		return rc;
	if (!ts_language_field_id_for_name(q->lang, name, (uint32_t)n))
		return Q_SYNTAX;
	if (q->nr == before)
		return reject(q, name, "a field whose pattern is only a predicate",
			      "give the field a node, e.g. 'name: (identifier) @n', "
			      "and put the predicate after it");
	for (size_t i = before;;) {
		q->steps[i].field = 1;
		uint16_t alt = q->steps[i].alt;
		if (alt == NONE || alt <= i || alt >= q->nr)
			break;
		i = alt;
	}
	return Q_OK;
}

/*
 * Follow alternatives from step i while they stay below `below`, as the
 * '?' and '*' operators do; the last step, or NONE on a cycle.
 */
static size_t last_alternative(const struct qscan *q, size_t i, size_t below)
{
	for (size_t hops = 0; q->steps[i].alt != NONE && q->steps[i].alt < below; hops++) {
		if (hops > q->nr)
			return NONE;
		i = q->steps[i].alt;
	}
	return i;
}

static int scan_suffixes(struct qscan *q, size_t start, unsigned depth, int *nullable)
{
	for (;;) {
		const char *at = q->p;
		int rc, c = peek(q);
		size_t last;
		if (c == '+' || c == '*') {
			if (*nullable)
				return reject(q, at, "a repetition of a pattern that may match nothing",
					      "quantify the pattern once, with one of ?, * or +");
			q->p++;
			skip_space(q);
			if ((rc = add_step(q, at, depth, 1, 0)))
				return rc;
			q->steps[q->nr - 1].alt = (uint16_t)start;
			*nullable = c == '*';
			if (c == '+')
				continue;
			last = last_alternative(q, start, q->nr - 1);
		} else if (c == '?') {
			q->p++;
			skip_space(q);
			*nullable = 1;
			last = last_alternative(q, start, q->nr);
		} else if (c == '@') {
			q->p++;
			if (!ident_start(peek(q)))
				return Q_SYNTAX;
			scan_ident(q);
			skip_space(q);
			continue;
		} else {
			return Q_OK;
		}
		if (last == NONE)
			return reject(q, at, "quantifiers tree-sitter cannot combine",
				      "give each pattern one quantifier");
		q->steps[last].alt = (uint16_t)q->nr;
	}
}

static int scan_pattern_at(struct qscan *q, int c, unsigned depth, int immediate,
			   int *nullable)
{
	const char *at = q->p;
	size_t start = q->nr;
	int rc;

	*nullable = 0;
	if (c == '[') {
		rc = scan_alternation(q, depth, immediate, nullable);
	} else if (c == '(') {
		q->p++;
		skip_space(q);
		c = peek(q);
		if (c == '(' || c == '"' || c == '[') {
			rc = scan_group(q, at, depth, immediate, nullable);
		} else if (c == '.' || c == '#') {
			q->p++;
			return scan_predicate(q); /* no suffixes after a predicate */
		} else {
			rc = scan_node(q, at, depth, immediate);
		}
	} else if (c == '_') {
		q->p++;
		skip_space(q);
		rc = add_step(q, at, depth, 1, immediate);
	} else if (c == '"') {
		rc = scan_string(q);
		if (!rc && !q->str.len) /* tree-sitter would pass strncmp a null pointer */
			return reject(q, at, "an empty string, which names no node", NULL);
		if (!rc && !ts_language_symbol_for_name(q->lang, q->str.ptr,
							(uint32_t)q->str.len, false))
			rc = Q_SYNTAX;
		if (!rc)
			rc = add_step(q, at, depth, 0, immediate);
	} else if (ident_start(c)) {
		rc = scan_field(q, depth, immediate, nullable);
	} else {
		rc = Q_SYNTAX;
	}
	if (rc)
		return rc;
	if (start >= q->nr) /* kept from happening above; never index past */
		return reject(q, at, "a pattern without a node", NULL);
	skip_space(q);
	return scan_suffixes(q, start, depth, nullable);
}

static int scan_pattern(struct qscan *q, unsigned depth, int immediate, int *nullable)
{
	int c = peek(q), rc;

	if (!c)
		return Q_SYNTAX;
	if (c == ')' || c == ']')
		return Q_DONE;
	if (++q->nesting > BK_QUERY_MAX_DEPTH)
		return reject(q, q->p, "nesting deeper than " BK_STR(BK_QUERY_MAX_DEPTH)
			      " levels", "split the pattern");
	rc = scan_pattern_at(q, c, depth, immediate, nullable);
	q->nesting--;
	return rc;
}

/*
 * tree-sitter's walk over the first steps of a pattern (the entries of its
 * pattern map): from a state (step, the wildcard root's alternative) to
 * the next, or 0 at the end.
 */
static int root_next(const struct qscan *q, size_t *step, size_t *wild_alt)
{
	const struct qstep *s = &q->steps[*step];
	if (s->wildcard && s->depth == 0 && !s->field && *step + 1 < q->nr) {
		const struct qstep *second = &q->steps[*step + 1];
		if (!second->wildcard && second->depth == 1 && !second->immediate) {
			*wild_alt = s->alt;
			*step += 1;
			s = second;
		}
	}
	if (s->alt != NONE) {
		*step = s->alt;
	} else if (*wild_alt != NONE) {
		*step = *wild_alt;
		*wild_alt = NONE;
	} else {
		return 0;
	}
	return *step < q->nr;
}

/* Does that walk, from the pattern's first step, go round forever? */
static int root_cycles(const struct qscan *q, size_t first)
{
	size_t slow = first, slow_alt = NONE, fast = first, fast_alt = NONE;
	for (;;) {
		if (!root_next(q, &fast, &fast_alt) || !root_next(q, &fast, &fast_alt))
			return 0;
		root_next(q, &slow, &slow_alt);
		if (slow == fast && slow_alt == fast_alt)
			return 1;
	}
}

static int scan_top(struct qscan *q)
{
	int rc = Q_OK;

	skip_space(q);
	while (!rc && q->p < q->end && !q->out->problem) {
		const char *at = q->p;
		size_t first = q->nr;
		int nullable = 0;
		rc = scan_pattern(q, 0, 0, &nullable);
		if (rc == Q_DONE)
			rc = Q_SYNTAX;
		if (!rc && q->nr == first)
			rc = reject(q, at, "a predicate outside any pattern",
				    "a predicate belongs inside the pattern it tests");
		if (!rc)
			rc = add_step(q, at, DONE_DEPTH, 1, 0);
		if (!rc && root_cycles(q, first))
			rc = reject(q, at, "a repetition tree-sitter cannot compile "
				    "(what is repeated may start with an optional node)",
				    "repeat a pattern whose first node is required");
	}
	return rc;
}

int bk_query_check(const TSLanguage *lang, const char *src, size_t len,
		   struct bk_query_scan *out)
{
	struct qscan q = { lang, src, src, src + len, 0, NULL, 0, 0, BK_BUF_INIT, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > BK_QUERY_MAX_LEN) {
		reject(&q, src, "more than " BK_STR(BK_QUERY_MAX_LEN) " bytes",
		       "split the rule");
		return -1;
	}
	rc = scan_top(&q);
	out->steps = (uint32_t)q.nr;
	free(q.steps);
	bk_buf_release(&q.str);
	if (out->problem)
		return -1;
	return rc == Q_SYNTAX ? 1 : 0;
}
