#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "lint/rule-load.h"
#include "base/util.h"

static void put_indented(struct bk_buf *b, const char *text, const char *indent)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			bk_buf_puts(b, indent);
		bk_buf_add(b, p, n);
		bk_buf_putc(b, '\n');
		p += n + (nl ? 1 : 0);
	}
}

char *eng_rule_text(const char *id, const char *lang, const char *msg,
		    const char *query, const char *extra)
{
	struct bk_buf b = BK_BUF_INIT;
	int text_lang = !bk_langs[bk_lang_by_name(lang)].grammar;

	bk_buf_printf(&b, "id: %s\ntitle: %s title\nseverity: warning\n"
		      "category: correctness\nrationale: r\nfix: f\n", id, id);
	if (msg)
		bk_buf_printf(&b, "message: '%s'\n", msg);
	else
		bk_buf_printf(&b, "message: '%s found'\n", id);
	bk_buf_printf(&b, "languages:\n  %s:\n    %s\n", lang,
		      text_lang ? "regex: |-" : "query: |");
	put_indented(&b, query, "      ");
	if (extra)
		bk_buf_puts(&b, extra);
	return bk_buf_detach(&b);
}

void eng_add(struct bk_ruleset *set, const char *id, const char *lang,
	     const char *msg, const char *query, const char *extra)
{
	struct bk_err err = { 0 };
	struct bk_buf path = BK_BUF_INIT;
	char *text = eng_rule_text(id, lang, msg, query, extra);

	bk_buf_printf(&path, "rules/%s.yml", id);
	if (bk_ruleset_add_text(set, path.ptr, text, strlen(text), &err))
		cr_assert_fail("rule %s does not load: %s\n%s", id, err.msg, text);
	free(text);
	bk_buf_release(&path);
}

static int build_err_mode(const struct bk_ruleset *set, enum bk_engine_mode mode,
			  struct bk_err *err)
{
	struct bk_engine *e = NULL;
	int rc = bk_engine_new(&e, set, err);

	if (rc) /* prefilter and report-at regexes fail here */
		return rc;
	bk_engine_set_mode(e, mode);
	rc = bk_engine_prepare_all(e, err);
	bk_engine_free(e);
	return rc;
}

int eng_build_err(const struct bk_ruleset *set, struct bk_err *err)
{
	struct bk_err per_rule = { 0 };
	int rc = build_err_mode(set, BK_MODE_COMBINED, err);
	int rc2 = build_err_mode(set, BK_MODE_PER_RULE, &per_rule);

	cr_assert(rc == rc2 && (!rc || !strcmp(err->msg, per_rule.msg)),
		  "the modes disagree:\n combined (%d): %s\n per rule (%d): %s",
		  rc, rc ? err->msg : "ok", rc2, rc2 ? per_rule.msg : "ok");
	return rc;
}

struct bk_engine *eng_build_mode(const struct bk_ruleset *set,
				 enum bk_engine_mode mode)
{
	struct bk_engine *e = NULL;
	struct bk_err err = { 0 };

	if (bk_engine_new(&e, set, &err))
		cr_assert_fail("%s", err.msg);
	bk_engine_set_mode(e, mode);
	if (bk_engine_prepare_all(e, &err))
		cr_assert_fail("rules do not compile: %s", err.msg);
	return e;
}

struct bk_engine *eng_build(const struct bk_ruleset *set)
{
	return eng_build_mode(set, BK_MODE_COMBINED);
}

void eng_check(struct bk_engine *e, const char *path, const char *text,
	       unsigned flags, struct bk_report *out)
{
	int lang = bk_lang_for_path(path);
	struct bk_worker *w;

	cr_assert(lang >= 0, "no language for %s", path);
	w = bk_worker_new(e);
	cr_assert_eq(bk_engine_check(w, path, lang, text, strlen(text), BK_ROLE_SOURCE, flags, out), 0);
	bk_worker_free(w);
	bk_report_sort(out);
}

void eng_run(const struct bk_ruleset *set, const char *path, const char *text,
	     struct bk_report *out)
{
	struct bk_report per_rule = { 0 };
	struct bk_engine *e = eng_build_mode(set, BK_MODE_COMBINED);
	size_t first = out->findings_nr;

	eng_check(e, path, text, 0, out);
	bk_engine_free(e);
	e = eng_build_mode(set, BK_MODE_PER_RULE);
	eng_check(e, path, text, 0, &per_rule);
	bk_engine_free(e);

	cr_assert_eq(out->findings_nr - first, per_rule.findings_nr,
		     "combined mode found %zu, per-rule mode %zu",
		     out->findings_nr - first, per_rule.findings_nr);
	for (size_t i = 0; i < per_rule.findings_nr; i++) {
		const struct bk_finding *a = &out->findings[first + i], *b = &per_rule.findings[i];
		cr_assert(a->rule == b->rule && a->start_byte == b->start_byte &&
			  a->end_byte == b->end_byte && !strcmp(a->message, b->message),
			  "the modes disagree on finding %zu: %s %u-%u '%s' vs %s %u-%u '%s'", i,
			  a->rule->id, a->start_byte, a->end_byte, a->message,
			  b->rule->id, b->start_byte, b->end_byte, b->message);
	}
	cr_assert_eq(out->files_scanned, per_rule.files_scanned);
	cr_assert_eq(out->files_prefiltered, per_rule.files_prefiltered);
	bk_report_release(&per_rule);
}

size_t eng_count(const struct bk_report *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings_nr; i++)
		n += !strcmp(r->findings[i].rule->id, id);
	return n;
}
