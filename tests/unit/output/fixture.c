#include "fixture.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

static void rule_set(struct bk_rule *r, const char *id, const char *title,
		     const char *category, const char *docs,
		     enum bk_severity sev, int enabled)
{
	memset(r, 0, sizeof(*r));
	r->id = (char *)id;
	r->title = (char *)title;
	r->message = (char *)title;
	r->category = (char *)category;
	r->docs = (char *)docs;
	r->severity = sev;
	r->enabled = enabled;
}

void fixture_init(struct fixture *fix)
{
	memset(fix, 0, sizeof(*fix));
	rule_set(&fix->rules[RULE_FETCH], "js-fetch-timeout",
		 "fetch() without a timeout", "reliability",
		 "https://bkgen.dev/rules/js-fetch-timeout", BK_SEV_WARNING, 1);
	fix->rules[RULE_FETCH].rationale =
		(char *)"A fetch with no timeout can hang forever.";
	fix->rules[RULE_FETCH].fix =
		(char *)"pass signal: AbortSignal.timeout(ms)\nand handle the abort";
	rule_set(&fix->rules[RULE_EVAL], "js-no-eval", "eval of dynamic code",
		 "security", NULL, BK_SEV_ERROR, 1);
	fix->rules[RULE_EVAL].rationale = (char *)"eval runs whatever it is given.";
	fix->rules[RULE_EVAL].fix = (char *)"parse the data instead";
	rule_set(&fix->rules[RULE_OFF], "py-print", "print call", "style", NULL,
		 BK_SEV_INFO, 0);
	fix->set.rules = fix->rules;
	fix->set.nr = fix->set.alloc = RULE__COUNT;

	fixture_add(&fix->report, &fix->rules[RULE_FETCH], "src/app.js", 0,
		    FETCH_LINE, "fetch(x)", "fetch() without a timeout");
	fixture_add(&fix->report, &fix->rules[RULE_EVAL], "src/app.js", 3,
		    EVAL_LINE, "eval(b)", "eval of dynamic code");
	fix->report.files_scanned = 3;

	fix->opts.tool_name = "bkgen";
	fix->opts.tool_version = "0.1.0";
	fix->opts.command = "check";
	fix->opts.information_uri = "https://bkgen.dev";
}

void fixture_release(struct fixture *fix)
{
	bk_report_release(&fix->report);
}

struct fixture fx;

static void suite_init(void)
{
	fixture_init(&fx);
}

static void suite_fini(void)
{
	fixture_release(&fx);
}

TestSuite(output, .init = suite_init, .fini = suite_fini);

struct bk_finding *fixture_add(struct bk_report *r, const struct bk_rule *rule,
			       const char *path, uint32_t line,
			       const char *text, const char *needle,
			       const char *message)
{
	const char *at = strstr(text, needle);
	struct bk_finding *f;

	cr_assert(at, "needle '%s' not in '%s'", needle, text);
	f = bk_report_add_finding(r, rule, path);
	f->start_line = f->end_line = line;
	f->start_col = (uint32_t)(at - text);
	f->end_col = f->start_col + (uint32_t)strlen(needle);
	f->message = bk_xstrdup(message);
	f->line_text = bk_xstrdup(text);
	return f;
}

char *fixture_render(enum bk_format fmt, const struct fixture *fix,
		     const struct bk_report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert(out);
	cr_assert_eq(bk_output_write(out, fmt, r, &fix->set, &fix->opts), 0);
	cr_assert_eq(fclose(out), 0);
	return text;
}
