/*
 * text: what a person reads in a terminal, in the shape compilers use so
 * editors can jump to it:
 *
 *   path:line:col: severity: message [rule-id]
 *   <source line>
 *   <caret line>
 *     fix: <the finding's own fix, when it has one (explain's index)>
 *   ...
 *   fix [rule-id]: <the rule's fix, once per rule that has findings>
 *   N problems (...) in M files
 *
 * line and col are 1-based; col counts code points. The source line, caret
 * and fixes come only with show_source; with show_fixes the rule's fix
 * follows every finding instead of coming once at the end. The caret line copies the tabs of
 * the source prefix (and uses the display width of wide characters) so it
 * stays under the range however the terminal sets its tab stops.
 *
 * Everything printed from input (paths, messages, source) has terminal
 * control characters, bidi overrides and invalid UTF-8 replaced by '?', so
 * a hostile file cannot drive the terminal or reorder what is shown.
 */
#include "output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "base/util.h"

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define RESET "\033[0m"

static const char *const severity_colors[3] = { CYAN, YELLOW, RED };

struct cp_range {
	uint32_t lo, hi;
};

static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xe0100, 0xe01ef },
};

/* East Asian Wide and Fullwidth, and the emoji blocks terminals draw wide. */
static const struct cp_range double_width[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static int in_ranges(uint32_t cp, const struct cp_range *r, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return 1;
	return 0;
}

static int is_unsafe(uint32_t cp, size_t len)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp < 0xa0) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       (cp == 0xfffd && len == 1);
}

/* Columns the terminal uses for a code point as put_clean() prints it. */
static unsigned display_width(uint32_t cp, size_t len)
{
	if (is_unsafe(cp, len))
		return 1;
	if (in_ranges(cp, zero_width, sizeof(zero_width) / sizeof(*zero_width)))
		return 0;
	if (in_ranges(cp, double_width,
		      sizeof(double_width) / sizeof(*double_width)))
		return 2;
	return 1;
}

static void put_clean(struct bk_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = bk_utf8_decode(s + i, n - i, &cp);
		if (is_unsafe(cp, len))
			bk_buf_putc(b, '?');
		else
			bk_buf_add(b, s + i, len);
		i += len;
	}
}

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	return n;
}

static void color_on(struct bk_buf *b, int color, const char *code)
{
	if (color)
		bk_buf_puts(b, code);
}

static void text_header(struct bk_buf *b, const struct bk_finding *f,
			int color)
{
	uint32_t col = bk_codepoint_column(f->line_text, f->start_col) + 1;
	unsigned sev = (unsigned)f->severity < 3 ? f->severity : BK_SEV_ERROR;

	color_on(b, color, BOLD);
	put_clean(b, f->path, strlen(f->path));
	bk_buf_printf(b, ":%" PRIu32 ":%" PRIu32 ":", f->start_line + 1, col);
	color_on(b, color, RESET);
	bk_buf_putc(b, ' ');
	color_on(b, color, severity_colors[sev]);
	bk_buf_puts(b, bk_severity_name(f->severity));
	color_on(b, color, RESET);
	bk_buf_puts(b, ": ");
	put_clean(b, f->message, trimmed_len(f->message));
	bk_buf_putc(b, ' ');
	color_on(b, color, DIM);
	bk_buf_putc(b, '[');
	put_clean(b, f->rule->id, strlen(f->rule->id));
	bk_buf_putc(b, ']');
	color_on(b, color, RESET);
	bk_buf_putc(b, '\n');
}

/* Display columns of line[from, to), tabs and all counted as one. */
static size_t range_width(const char *line, size_t from, size_t to)
{
	size_t width = 0;

	while (from < to) {
		uint32_t cp;
		size_t len = bk_utf8_decode(line + from, to - from, &cp);
		width += display_width(cp, len);
		from += len;
	}
	return width;
}

static void text_caret(struct bk_buf *b, const struct bk_finding *f,
		       size_t len, int color)
{
	const char *line = f->line_text;
	size_t start = f->start_col < len ? f->start_col : len;
	size_t end = f->end_line == f->start_line && f->end_col < len ?
		     f->end_col : len;
	size_t width;

	for (size_t i = 0; i < start;) {
		uint32_t cp;
		size_t n = bk_utf8_decode(line + i, start - i, &cp);
		if (cp == '\t')
			bk_buf_putc(b, '\t');
		else
			for (unsigned w = display_width(cp, n); w; w--)
				bk_buf_putc(b, ' ');
		i += n;
	}
	width = end > start ? range_width(line, start, end) : 0;
	color_on(b, color, GREEN);
	bk_buf_putc(b, '^');
	for (size_t i = 1; i < width; i++)
		bk_buf_putc(b, '~');
	color_on(b, color, RESET);
	bk_buf_putc(b, '\n');
}

/* Each line of a finding's detail, indented under the caret. */
static void text_detail(struct bk_buf *b, const char *detail)
{
	for (const char *p = detail; p && *p;) {
		size_t n = strcspn(p, "\n");
		bk_buf_puts(b, "  ");
		put_clean(b, p, n);
		bk_buf_putc(b, '\n');
		p += n + (p[n] == '\n');
	}
}

/* The rule's fix shows its first line; a finding's own fix shows whole. */
static void text_fix(struct bk_buf *b, const char *fix, int whole)
{
	if (!fix || !*fix)
		return;
	fix += strspn(fix, " \t\r\n");
	for (int first = 1; *fix; first = 0) {
		size_t n = strcspn(fix, "\r\n");
		bk_buf_puts(b, first ? "  fix: " : "       ");
		put_clean(b, fix, n);
		bk_buf_putc(b, '\n');
		fix += n;
		fix += strspn(fix, "\r\n");
		if (!whole)
			break;
	}
}

static void text_source(struct bk_buf *b, const struct bk_finding *f,
			const struct bk_output_opts *opts)
{
	int color = opts->color;
	size_t len;

	if (!f->line_text)
		return;
	len = strlen(f->line_text);
	if (len && f->line_text[len - 1] == '\r')
		len--;
	put_clean(b, f->line_text, len);
	bk_buf_putc(b, '\n');
	text_caret(b, f, len, color);
	text_detail(b, f->detail);
	if (f->fix)
		text_fix(b, f->fix, 1);
	else if (opts->show_fixes)
		text_fix(b, bk_rule_fix_for(f->rule, bk_lang_for_path(f->path)), 0);
}

/* A rule's fix for one language of the findings. */
struct rule_fix {
	const struct bk_rule *rule;
	int lang;
	const char *text;         /* borrowed from the rule */
};

static int rule_fix_cmp(const void *pa, const void *pb)
{
	const struct rule_fix *a = pa, *b = pb;
	int c = strcmp(a->rule->id, b->rule->id);
	return c ? c : strcmp(a->text, b->text);
}

/* Does the rule give another text for another language of the findings? */
static int fix_varies(const struct rule_fix *v, size_t n, size_t i)
{
	return (i > 0 && v[i - 1].rule == v[i].rule) || (i + 1 < n && v[i + 1].rule == v[i].rule);
}

/*
 * The fix of each rule with findings (and no fix of their own), once per
 * text: a rule keyed by language gives each language of its findings its
 * own line, "fix [rule-id, rust]: ...".
 */
static void text_rule_fixes(FILE *out, const struct bk_report *r)
{
	struct rule_fix *v = bk_xcalloc(r->findings_nr + 1, sizeof(*v));
	struct bk_buf b = BK_BUF_INIT;
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < r->findings_nr; i++) {
		const struct bk_finding *f = &r->findings[i];
		int lang = bk_lang_for_path(f->path);
		const char *text = f->fix ? NULL : bk_rule_fix_for(f->rule, lang);
		if (text && *text)
			v[n++] = (struct rule_fix){ f->rule, lang, text };
	}
	qsort(v, n, sizeof(*v), rule_fix_cmp);
	for (size_t i = 0; i < n; i++)
		if (!kept || rule_fix_cmp(&v[kept - 1], &v[i]))
			v[kept++] = v[i];
	for (size_t i = 0; i < kept; i++) {
		const char *fix = v[i].text + strspn(v[i].text, " \t\r\n");
		bk_buf_reset(&b);
		bk_buf_puts(&b, "fix [");
		put_clean(&b, v[i].rule->id, strlen(v[i].rule->id));
		if (fix_varies(v, kept, i) && v[i].lang >= 0)
			bk_buf_printf(&b, ", %s", bk_langs[v[i].lang].name);
		bk_buf_puts(&b, "]: ");
		put_clean(&b, fix, strcspn(fix, "\r\n"));
		bk_buf_putc(&b, '\n');
		fwrite(b.ptr, 1, b.len, out);
	}
	bk_buf_release(&b);
	free(v);
}

static void text_skips(const struct bk_report *r,
		       const struct bk_output_opts *opts)
{
	FILE *err = opts->skip_stream ? opts->skip_stream : stderr;
	struct bk_buf b = BK_BUF_INIT;

	for (size_t i = 0; i < r->skips_nr; i++) {
		const struct bk_skip *s = &r->skips[i];
		bk_buf_reset(&b);
		bk_buf_printf(&b, "%s: skipped ",
			      opts->tool_name ? opts->tool_name : "bkgen");
		put_clean(&b, s->path, strlen(s->path));
		bk_buf_printf(&b, ": %s", bk_skip_reason_name(s->reason));
		if (s->detail) {
			bk_buf_puts(&b, " (");
			put_clean(&b, s->detail, trimmed_len(s->detail));
			bk_buf_putc(&b, ')');
		}
		bk_buf_putc(&b, '\n');
		fwrite(b.ptr, 1, b.len, err);
	}
	bk_buf_release(&b);
}

static int path_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static size_t files_with_findings(const struct bk_report *r)
{
	char **paths = bk_xcalloc(r->findings_nr, sizeof(*paths));
	size_t files = 0;

	for (size_t i = 0; i < r->findings_nr; i++)
		paths[i] = r->findings[i].path;
	qsort(paths, r->findings_nr, sizeof(*paths), path_cmp);
	for (size_t i = 0; i < r->findings_nr; i++)
		if (!i || strcmp(paths[i], paths[i - 1]))
			files++;
	free(paths);
	return files;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void text_summary(FILE *out, const struct bk_report *r)
{
	size_t n[3], files = files_with_findings(r);

	bk_output_count(r, n);
	fprintf(out, "%zu problem%s (%zu error%s, %zu warning%s, %zu info%s) "
		"in %zu file%s\n", r->findings_nr, plural(r->findings_nr),
		n[BK_SEV_ERROR], plural(n[BK_SEV_ERROR]),
		n[BK_SEV_WARNING], plural(n[BK_SEV_WARNING]),
		n[BK_SEV_INFO], plural(n[BK_SEV_INFO]), files, plural(files));
	if (r->findings_not_shown)
		fprintf(out, "%zu more not reported (--max-findings, --max-findings-per-file)\n",
			r->findings_not_shown);
}

int bk_output_text(FILE *out, const struct bk_report *r,
		   const struct bk_output_opts *opts)
{
	struct bk_buf b = BK_BUF_INIT;

	if (opts->show_skips)
		text_skips(r, opts);
	for (size_t i = 0; i < r->findings_nr; i++) {
		bk_buf_reset(&b);
		text_header(&b, &r->findings[i], opts->color);
		if (opts->show_source)
			text_source(&b, &r->findings[i], opts);
		fwrite(b.ptr, 1, b.len, out);
	}
	bk_buf_release(&b);
	if (opts->show_source && !opts->show_fixes)
		text_rule_fixes(out, r);
	if (r->findings_nr)
		text_summary(out, r);
	return ferror(out) ? -1 : 0;
}
