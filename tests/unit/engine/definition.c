/*
 * `in: definition-of CAPTURE`: a `has` condition that looks inside the
 * function a capture stands for (inline, named, or the name of a function
 * defined elsewhere in the file) and the functions of the file it calls.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "lint/rule-load.h"

/* Lines (0-based) of the findings of a rule in lang, as "1 3". */
static void lines_of(const char *lang, const char *path, const char *query,
		     const char *extra, const char *text, char *out, size_t n)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "defs", lang, NULL, query, extra);
	eng_run(&set, path, text, &rep);
	out[0] = '\0';
	for (size_t i = 0; i < rep.findings_nr; i++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%u", i ? " " : "", rep.findings[i].start_line);
	}
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

#define LINES(lang, path, query, extra, text, want) \
	do { \
		char got_[256]; \
		lines_of(lang, path, query, extra, text, got_, sizeof(got_)); \
		cr_assert_str_eq(got_, want, "in:\n%s", text); \
	} while (0)

/* app.post('/x', HANDLER): the handler is the last argument. */
#define POST_Q \
	"(call_expression\n" \
	"  function: (member_expression property: (property_identifier) @m (#eq? @m \"post\"))\n" \
	"  arguments: (arguments . (string) [(identifier) @handler (arrow_function) @handler" \
	" (member_expression property: (property_identifier) @handler)] .)) @report\n"

/* ... where the handler's code calls insert(). */
#define WHERE_INSERTS \
	"    where:\n" \
	"      - has: |\n" \
	"          (call_expression function: [(identifier) (member_expression)] @c" \
	" (#match? @c \"insert$\"))\n" \
	"        in: definition-of handler\n"

Test(definition, an_inline_handler_is_its_own_definition)
{
	LINES("javascript", "a.js", POST_Q, WHERE_INSERTS,
	      "app.post('/a', (req) => db.insert(req.body));\n"
	      "app.post('/b', (req) => db.find(req.body));\n", "0");
}

Test(definition, a_name_leads_to_the_function_of_that_name)
{
	LINES("javascript", "a.js", POST_Q, WHERE_INSERTS,
	      "function create(req) { return db.insert(req.body); }\n"
	      "const list = async (req) => db.find();\n"
	      "exports.add = function (req) { db.insert(req.body); };\n"
	      "const api = { remove: (req) => db.find() };\n"
	      "app.post('/a', create);\n"
	      "app.post('/b', list);\n"
	      "app.post('/c', exports.add);\n"
	      "app.post('/d', api.remove);\n", "4 6");
}

Test(definition, helpers_called_by_name_count_a_few_levels_deep)
{
	LINES("javascript", "a.js", POST_Q, WHERE_INSERTS,
	      "function save(x) { return db.insert(x); }\n"
	      "function store(x) { return save(x); }\n"
	      "function create(req) { return store(req.body); }\n"
	      "function deep4(x) { return store(x); }\n"
	      "function deep3(x) { return deep4(x); }\n"
	      "function deep2(x) { return deep3(x); }\n"
	      "function read(req) { return db.find(req.body); }\n"
	      "app.post('/a', create);\n"
	      "app.post('/b', read);\n"
	      "app.post('/c', deep2);\n", "7");
}

Test(definition, a_handler_defined_in_another_file_has_no_definition)
{
	LINES("javascript", "a.js", POST_Q, WHERE_INSERTS,
	      "const { create } = require('./handlers');\n"
	      "app.post('/a', create);\n", "");
	/* ... so an `unless` over it does not hold and the finding stays. */
	LINES("javascript", "a.js", POST_Q,
	      "    unless:\n"
	      "      - has: (call_expression) @c\n"
	      "        in: definition-of handler\n",
	      "app.post('/a', create);\n"
	      "function other() { f(); }\n", "0");
}

Test(definition, the_name_of_a_function_is_that_function_only)
{
	/* Two methods named alike: the captured name's own function counts. */
	const char *q = "(method_definition name: (property_identifier) @handler) @report\n";
	LINES("javascript", "a.js", q, WHERE_INSERTS,
	      "class A {\n"
	      "  create(x) { return db.insert(x); }\n"
	      "}\n"
	      "class B {\n"
	      "  create(x) { return db.find(x); }\n"
	      "}\n", "1");
}

Test(definition, c_functions_are_named_by_their_declarator)
{
	const char *q = "(return_statement (call_expression function: (identifier) @handler)) @report\n";
	const char *w = "    where:\n"
			"      - has: |\n"
			"          (call_expression function: (identifier) @c (#eq? @c \"insert\"))\n"
			"        in: definition-of handler\n";
	LINES("c", "a.c", q, w,
	      "static int create(int x) { return insert(x); }\n"
	      "static char *list(int x) { return find(x); }\n"
	      "int handle(int m, int x) {\n"
	      "  if (m) return create(x);\n"
	      "  return list(x);\n"
	      "}\n", "3");
}

Test(definition, python_methods_and_their_helpers)
{
	const char *q = "(decorated_definition definition: (function_definition name: (identifier) @handler)) @report\n";
	const char *w = "    where:\n"
			"      - has: |\n"
			"          (call function: (attribute attribute: (identifier) @c (#eq? @c \"add\")))\n"
			"        in: definition-of handler\n";
	LINES("python", "a.py", q, w,
	      "def _store(db, x):\n"
	      "    db.add(x)\n"
	      "@post('/a')\n"
	      "def create(db, x):\n"
	      "    _store(db, x)\n"
	      "@post('/b')\n"
	      "def read(db, x):\n"
	      "    return db.get(x)\n", "2");
}

Test(definition, members_of_other_objects_are_not_followed)
{
	/* db.insert is not this file's insert(); this.insert() is */
	LINES("javascript", "a.js", POST_Q,
	      "    where:\n"
	      "      - has: '(return_statement (call_expression) @c)'\n"
	      "        in: definition-of handler\n",
	      "function insert(x) { return save(x); }\n"
	      "class Api {\n"
	      "  one(req) { db.insert(req.body); }\n"
	      "  two(req) { this.insert(req.body); }\n"
	      "}\n"
	      "app.post('/a', api.one);\n"
	      "app.post('/b', api.two);\n"
	      "const h = asyncHandler(async (req) => { insert(req.body); });\n"
	      "app.post('/c', h);\n", "6 8");
}

Test(definition, naming_an_unknown_capture_is_an_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-def", "javascript", NULL, POST_Q,
		"    unless:\n      - has: (object)\n        in: definition-of nope\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-def.yml:15:14: ", "'in: definition-of nope' names no capture");
	bk_ruleset_release(&set);
}

Test(definition, definition_of_needs_a_capture_name)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char *text = eng_rule_text("bad-def", "javascript", NULL, POST_Q,
				   "    unless:\n      - has: (object)\n        in: definition-of\n");

	cr_assert_neq(bk_ruleset_add_text(&set, "rules/bad-def.yml", text, strlen(text), &err), 0);
	ENG_ASSERT_MSG(err, "rules/bad-def.yml:", "'in' must be report, function, file");
	free(text);
	bk_ruleset_release(&set);
}
