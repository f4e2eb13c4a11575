/*
 * Baseline keys: a finding is known by rule, path and its source line with
 * whitespace collapsed, with a count per key.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lint/baseline.h"
#include "base/util.h"

static void expect_normal(const char *in, const char *want)
{
	char *got = bk_baseline_normalize(in);
	cr_assert_str_eq(got, want, "normalize(\"%s\")", in);
	free(got);
}

Test(baseline, normalize_collapses_inner_whitespace)
{
	expect_normal("a  =\t\tb", "a = b");
	expect_normal("x\r\n", "x");
}

Test(baseline, normalize_trims_both_ends)
{
	expect_normal("    const q = 1;   ", "const q = 1;");
	expect_normal("\t\t", "");
	expect_normal("", "");
	expect_normal(NULL, "");
}

Test(baseline, normalize_keeps_whitespace_inside_tokens_apart)
{
	expect_normal("a b", "a b");
	expect_normal("ab", "ab");
}

static struct bk_rule rule_a = { .id = "rule-a" };
static struct bk_rule rule_b = { .id = "rule-b" };

static void add_finding(struct bk_report *r, const struct bk_rule *rule,
			const char *path, uint32_t line, const char *text)
{
	struct bk_finding *f = bk_report_add_finding(r, rule, path);
	f->start_line = line;
	f->line_text = bk_xstrdup(text);
	f->message = bk_xstrdup("m");
}

Test(baseline, duplicates_are_counted_and_keys_sorted)
{
	struct bk_report r = { 0 };
	struct bk_baseline b;
	add_finding(&r, &rule_b, "z.js", 0, "x = 1");
	add_finding(&r, &rule_a, "a.js", 3, "  x  = 1");
	add_finding(&r, &rule_a, "a.js", 9, "x = 1");
	bk_baseline_from_report(&b, &r);
	cr_assert_eq(b.nr, 2);
	cr_assert_str_eq(b.entries[0].rule, "rule-a");
	cr_assert_str_eq(b.entries[0].line, "x = 1");
	cr_assert_eq(b.entries[0].count, 2);
	cr_assert_str_eq(b.entries[1].rule, "rule-b");
	bk_baseline_release(&b);
	bk_report_release(&r);
}

Test(baseline, filter_matches_moved_lines_and_reports_extra_copies)
{
	struct bk_report old = { 0 }, now = { 0 };
	struct bk_baseline b;
	add_finding(&old, &rule_a, "a.js", 1, "q = 'SELECT *'");
	bk_baseline_from_report(&b, &old);
	add_finding(&now, &rule_a, "a.js", 40, "\tq =  'SELECT *'");  /* moved */
	add_finding(&now, &rule_a, "a.js", 41, "q = 'SELECT *'");     /* a new copy */
	add_finding(&now, &rule_a, "b.js", 1, "q = 'SELECT *'");      /* other path */
	add_finding(&now, &rule_b, "a.js", 1, "q = 'SELECT *'");      /* other rule */
	bk_baseline_filter(&b, &now);
	cr_assert_eq(now.findings_nr, 3);
	cr_assert_eq(now.findings[0].start_line, 41);
	cr_assert_str_eq(now.findings[1].path, "b.js");
	cr_assert_eq(now.findings[2].rule, &rule_b);
	bk_baseline_release(&b);
	bk_report_release(&old);
	bk_report_release(&now);
}

Test(baseline, write_then_load_round_trips)
{
	struct bk_report r = { 0 };
	struct bk_baseline b, back;
	struct bk_err err = { 0 };
	char path[] = "/tmp/bkgen-baseline-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	add_finding(&r, &rule_a, "a.js", 0, "x   = 1");
	add_finding(&r, &rule_a, "a.js", 5, "x = 1");
	bk_baseline_from_report(&b, &r);
	cr_assert_eq(bk_baseline_write(&b, path, &err), 0, "%s", err.msg);
	cr_assert_eq(bk_baseline_load(&back, path, &err), 0, "%s", err.msg);
	cr_assert_eq(back.nr, 1);
	cr_assert_str_eq(back.entries[0].path, "a.js");
	cr_assert_str_eq(back.entries[0].line, "x = 1");
	cr_assert_eq(back.entries[0].count, 2);
	unlink(path);
	bk_baseline_release(&back);
	bk_baseline_release(&b);
	bk_report_release(&r);
}

Test(baseline, load_rejects_another_version)
{
	struct bk_baseline b;
	struct bk_err err = { 0 };
	char path[] = "/tmp/bkgen-baseline-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert(write(fd, "{\"version\": 9, \"findings\": []}", 30) == 30);
	close(fd);
	cr_assert_eq(bk_baseline_load(&b, path, &err), BK_ECONFIG);
	cr_assert(strstr(err.msg, "version 1"), "%s", err.msg);
	unlink(path);
}

Test(baseline, path_that_is_not_utf8_round_trips)
{
	/* json_string() refuses it: the entry used to lose its "path" */
	struct bk_report r = { 0 }, later = { 0 };
	struct bk_baseline b, back;
	struct bk_err err = { 0 };
	struct bk_buf text = BK_BUF_INIT;
	char path[] = "/tmp/bkgen-baseline-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	add_finding(&r, &rule_a, "src/caf\xe9.js", 0, "x = 1");
	bk_baseline_from_report(&b, &r);
	cr_assert_eq(bk_baseline_write(&b, path, &err), 0, "%s", err.msg);
	cr_assert_eq(bk_read_file(&text, path), 0);
	cr_assert(strstr(text.ptr, "\"path\": \"src/caf?.js\""), "%s", text.ptr);
	cr_assert(strstr(text.ptr, "\"path-hex\": \"7372632f636166e92e6a73\""), "%s", text.ptr);
	cr_assert_eq(bk_baseline_load(&back, path, &err), 0, "%s", err.msg);
	cr_assert_eq(back.nr, 1);
	cr_assert_str_eq(back.entries[0].path, "src/caf\xe9.js");
	add_finding(&later, &rule_a, "src/caf\xe9.js", 3, "x = 1");
	add_finding(&later, &rule_a, "src/caf?.js", 3, "x = 1");
	bk_baseline_filter(&back, &later);
	cr_assert_eq(later.findings_nr, 1, "the baseline covers the file it was written for");
	cr_assert_str_eq(later.findings[0].path, "src/caf?.js");
	unlink(path);
	bk_buf_release(&text);
	bk_baseline_release(&back);
	bk_baseline_release(&b);
	bk_report_release(&later);
	bk_report_release(&r);
}

Test(baseline, bad_hex_path_is_an_error)
{
	struct bk_baseline b;
	struct bk_err err = { 0 };
	char path[] = "/tmp/bkgen-baseline-XXXXXX";
	const char *text = "{\"version\": 1, \"findings\": [{\"rule\": \"r\", \"path\": \"?\", "
			   "\"path-hex\": \"e9z\", \"line\": \"x\"}]}";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(bk_baseline_load(&b, path, &err), BK_ECONFIG);
	cr_assert(strstr(err.msg, "baseline finding 1 needs"), "%s", err.msg);
	unlink(path);
}
