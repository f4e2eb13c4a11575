/*
 * The `examples:` of every built-in rule: each bad snippet must be
 * reported by its rule, each good one must not; every language a rule
 * covers has at least one of each, and a fixture file.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/lang.h"
#include "base/util.h"
#include "../support/support.h"

static size_t count_rule(const struct bk_report *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings_nr; i++)
		n += !strcmp(r->findings[i].rule->id, id);
	return n;
}

Test(rules, examples_behave)
{
	const struct bk_ruleset *set = t_builtin_rules();
	struct bk_engine *e = t_builtin_engine();
	size_t checked = 0;

	for (size_t i = 0; i < set->nr; i++) {
		const struct bk_rule *r = &set->rules[i];
		for (size_t j = 0; j < r->examples_nr; j++) {
			const struct bk_example *ex = &r->examples[j];
			struct bk_report rep = { 0 };
			char path[64];
			snprintf(path, sizeof(path), "example.%s", bk_langs[ex->lang].fixture_ext);
			t_check_text(e, path, ex->code, &rep);
			size_t n = count_rule(&rep, r->id);
			if (ex->bad)
				cr_expect(n > 0, "%s:%u: bad %s example not reported:\n%s",
					  r->path, ex->loc.line, bk_langs[ex->lang].name, ex->code);
			else
				cr_expect(n == 0, "%s:%u: good %s example reported:\n%s",
					  r->path, ex->loc.line, bk_langs[ex->lang].name, ex->code);
			bk_report_release(&rep);
			checked++;
		}
	}
	cr_assert(checked > 0, "no examples at all");
}

Test(rules, every_language_has_examples_and_a_fixture)
{
	const struct bk_ruleset *set = t_builtin_rules();
	for (size_t i = 0; i < set->nr; i++) {
		const struct bk_rule *r = &set->rules[i];
		for (size_t l = 0; l < r->langs_nr; l++) {
			int lang = r->langs[l].lang, bad = 0, good = 0;
			for (size_t j = 0; j < r->examples_nr; j++)
				if (r->examples[j].lang == lang)
					r->examples[j].bad ? bad++ : good++;
			cr_expect(bad && good, "%s: %s needs a bad and a good example",
				  r->id, bk_langs[lang].name);
			struct bk_buf p = BK_BUF_INIT;
			bk_buf_printf(&p, "%s/tests/rules/%s/%s.%s", t_srcdir(), r->id,
				      bk_langs[lang].name, bk_langs[lang].fixture_ext);
			cr_expect(access(p.ptr, R_OK) == 0, "%s: no fixture %s", r->id, p.ptr);
			bk_buf_release(&p);
		}
	}
}
