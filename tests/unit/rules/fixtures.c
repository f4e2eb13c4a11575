/*
 * Every file under tests/rules/<rule-id>/ is a test. Annotations in its
 * comments carry the expectations:
 *   bkgen: expect RULE   the next code line has a finding of RULE
 *   bkgen: ok RULE       no finding of RULE from here to the next blank
 *                        line or annotation
 * and every finding of the directory's rule must have been expected.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "../support/support.h"

struct fixture {
	char rule[256];
	char path[1024];
};

static void free_params(struct criterion_test_params *p)
{
	cr_free(p->params);
}

ParameterizedTestParameters(rules, fixture)
{
	struct bk_buf root = BK_BUF_INIT;
	struct fixture *items = NULL;
	size_t nr = 0;
	DIR *d, *sub;
	struct dirent *de, *fe;

	bk_buf_printf(&root, "%s/tests/rules", t_srcdir());
	if (!(d = opendir(root.ptr)))
		return cr_make_param_array(struct fixture, NULL, 0);
	while ((de = readdir(d))) {
		struct bk_buf dir = BK_BUF_INIT;
		if (de->d_name[0] == '.')
			continue;
		bk_buf_printf(&dir, "%s/%s", root.ptr, de->d_name);
		if ((sub = opendir(dir.ptr))) {
			while ((fe = readdir(sub))) {
				if (fe->d_name[0] == '.')
					continue;
				items = realloc(items, (nr + 1) * sizeof(*items));
				snprintf(items[nr].rule, sizeof(items[nr].rule), "%.200s", de->d_name);
				snprintf(items[nr].path, sizeof(items[nr].path), "%.700s/%.200s",
					 dir.ptr, fe->d_name);
				nr++;
			}
			closedir(sub);
		}
		bk_buf_release(&dir);
	}
	closedir(d);
	bk_buf_release(&root);
	struct fixture *params = cr_malloc(sizeof(*params) * (nr ? nr : 1));
	memcpy(params, items, sizeof(*params) * nr);
	free(items);
	return cr_make_param_array(struct fixture, params, nr, free_params);
}

struct expectation {
	uint32_t line;            /* 0-based */
	uint32_t last;            /* ok: region end (inclusive) */
	int ok;
	char rule[256];
	uint32_t note_line;
};

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* A line holding only a comment; '#' starts one in Python only. */
static int is_comment_line(const char *s, size_t n, int hash_comments)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return (i + 1 < n && s[i] == '/' && (s[i + 1] == '/' || s[i + 1] == '*')) ||
	       (i < n && s[i] == '*') || (hash_comments && i < n && s[i] == '#') ||
	       (i + 1 < n && s[i] == '-' && s[i + 1] == '-');
}

struct line { const char *p; size_t n; };

static size_t split_lines(const char *text, struct line **out)
{
	size_t nr = 0;
	const char *p = text;
	*out = NULL;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		*out = realloc(*out, (nr + 1) * sizeof(**out));
		(*out)[nr].p = p;
		(*out)[nr++].n = n;
		p += n + (nl ? 1 : 0);
	}
	return nr;
}

static int annotation(const struct line *l, int *ok, char *rule, size_t cap)
{
	const char *m = memmem(l->p, l->n, "bkgen: ", 7);
	if (!m)
		return 0;
	const char *w = m + 7, *end = l->p + l->n;
	if ((size_t)(end - w) > 7 && !strncmp(w, "expect ", 7))
		*ok = 0, w += 7;
	else if ((size_t)(end - w) > 3 && !strncmp(w, "ok ", 3))
		*ok = 1, w += 3;
	else
		return 0;
	size_t n = 0;
	while (w + n < end && (w[n] == '-' || (w[n] >= 'a' && w[n] <= 'z') ||
			       (w[n] >= '0' && w[n] <= '9')))
		n++;
	snprintf(rule, cap, "%.*s", (int)n, w);
	return n > 0;
}

static size_t parse_expectations(const char *text, int hash_comments,
				 struct expectation **out)
{
	struct line *lines;
	size_t nl = split_lines(text, &lines), nr = 0;
	*out = NULL;
	for (size_t i = 0; i < nl; i++) {
		struct expectation e = { 0 };
		if (!annotation(&lines[i], &e.ok, e.rule, sizeof(e.rule)))
			continue;
		e.note_line = (uint32_t)i;
		size_t j = i + 1;
		if (e.ok) {
			int ann, rule_buf_ok;
			char tmp[64];
			e.line = (uint32_t)i;
			while (j < nl && !is_blank(lines[j].p, lines[j].n) &&
			       !(ann = annotation(&lines[j], &rule_buf_ok, tmp, sizeof(tmp))))
				j++;
			e.last = (uint32_t)(j - 1);
		} else {
			while (j < nl && (is_blank(lines[j].p, lines[j].n) ||
					  is_comment_line(lines[j].p, lines[j].n, hash_comments)))
				j++;
			e.line = e.last = (uint32_t)j;
		}
		*out = realloc(*out, (nr + 1) * sizeof(**out));
		(*out)[nr++] = e;
	}
	free(lines);
	return nr;
}

static void check_mode(const struct fixture *fx, const char *text,
		       enum bk_engine_mode mode)
{
	static const char *const names[] = { "auto", "combined", "per-rule" };
	struct bk_report rep = { 0 };
	struct expectation *ex;
	size_t ex_nr, expects = 0;
	const char *mn = names[mode];

	t_check_text(t_builtin_engine_mode(mode), fx->path, text, &rep);
	ex_nr = parse_expectations(text, strstr(fx->path, ".py") != NULL, &ex);
	for (size_t i = 0; i < ex_nr; i++) {
		int hit = 0;
		expects += !ex[i].ok && !strcmp(ex[i].rule, fx->rule);
		for (size_t f = 0; f < rep.findings_nr; f++)
			hit |= !strcmp(rep.findings[f].rule->id, ex[i].rule) &&
			       rep.findings[f].start_line >= ex[i].line &&
			       rep.findings[f].start_line <= ex[i].last;
		if (ex[i].ok)
			cr_expect(!hit, "%s:%u: 'bkgen: ok %s' but it was reported (%s)", fx->path,
				  ex[i].note_line + 1, ex[i].rule, mn);
		else
			cr_expect(hit, "%s:%u: 'bkgen: expect %s' but line %u has no such finding (%s)",
				  fx->path, ex[i].note_line + 1, ex[i].rule, ex[i].line + 1, mn);
	}
	for (size_t f = 0; f < rep.findings_nr; f++) {
		const struct bk_finding *fd = &rep.findings[f];
		int expected = 0;
		if (strcmp(fd->rule->id, fx->rule))
			continue;
		for (size_t i = 0; i < ex_nr; i++)
			expected |= !ex[i].ok && !strcmp(ex[i].rule, fd->rule->id) &&
				    ex[i].line == fd->start_line;
		cr_expect(expected, "%s:%u:%u: unexpected finding of %s (%s): %s", fx->path,
			  fd->start_line + 1, fd->start_col + 1, fd->rule->id, mn, fd->message);
	}
	cr_expect(expects > 0, "%s: no 'bkgen: expect %s' annotation", fx->path, fx->rule);
	free(ex);
	bk_report_release(&rep);
}

/* The same expectations hold whether rules run combined or one by one. */
ParameterizedTest(struct fixture *fx, rules, fixture)
{
	struct bk_buf text = BK_BUF_INIT;

	cr_assert_eq(bk_read_file(&text, fx->path), 0, "cannot read %s", fx->path);
	cr_assert_not_null(bk_ruleset_find(t_builtin_rules(), fx->rule),
			   "%s: no rule '%s' for this fixture directory", fx->path, fx->rule);
	check_mode(fx, text.ptr, BK_MODE_COMBINED);
	check_mode(fx, text.ptr, BK_MODE_PER_RULE);
	bk_buf_release(&text);
}
