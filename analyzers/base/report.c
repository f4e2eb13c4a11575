#include "base/report.h"

#include <stdlib.h>
#include <string.h>
#include "base/util.h"

static const char *const skip_names[BK_SKIP__COUNT] = {
	[BK_SKIP_BINARY] = "binary",
	[BK_SKIP_MINIFIED] = "minified",
	[BK_SKIP_GENERATED] = "generated",
	[BK_SKIP_OVERSIZED] = "oversized",
	[BK_SKIP_INVALID_UTF8] = "invalid-utf8",
	[BK_SKIP_UNREADABLE] = "unreadable",
	[BK_SKIP_PARSE_ERROR] = "parse-error",
	[BK_SKIP_SYMLINK_LOOP] = "symlink-loop",
	[BK_SKIP_TIMEOUT] = "timeout",
	[BK_SKIP_VENDORED] = "vendored",
	[BK_SKIP_REGEX_LIMIT] = "regex-limit",
};

const struct bk_rule bk_unused_ignore_rule = {
	.id = "unused-ignore",
	.title = "bkgen-ignore comment that suppresses nothing",
	.message = "unused suppression",
	.category = "maintenance",
	.rationale = "A suppression that no longer matches a finding hides nothing today "
		"but will silently hide the next real problem on that line.",
	.fix = "Delete the bkgen-ignore comment, or the rule id that no longer applies.",
	.severity = BK_SEV_WARNING,
	.enabled = 1,
	.path = "builtin:",
};

const struct bk_rule bk_too_many_findings_rule = {
	.id = "too-many-findings",
	.title = "More findings in one file than are reported",
	.message = "more findings than are reported",
	.category = "maintenance",
	.rationale = "A file with thousands of findings is usually generated or vendored; "
		"reporting every one would bury the rest of the report.",
	.fix = "Exclude the file (exclude: in .bkgen.yml), or raise --max-findings-per-file.",
	.severity = BK_SEV_INFO,
	.enabled = 1,
	.path = "builtin:",
};

const char *bk_skip_reason_name(enum bk_skip_reason r)
{
	return r < BK_SKIP__COUNT ? skip_names[r] : "unknown";
}

void bk_finding_release(struct bk_finding *f)
{
	free(f->path);
	free(f->message);
	free(f->line_text);
	free(f->end_line_text);
	free(f->detail);
	free(f->fix);
}

struct bk_finding *bk_report_add_finding(struct bk_report *r, const struct bk_rule *rule,
					 const char *path)
{
	struct bk_finding *f;

	BK_ALLOC_GROW(r->findings, r->findings_nr + 1, r->findings_alloc);
	f = &r->findings[r->findings_nr++];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->path = bk_xstrdup(path);
	f->severity = rule->severity;
	return f;
}

void bk_report_count_unsupported(struct bk_report *r, const char *ext)
{
	for (size_t i = 0; i < r->unsupported_nr; i++)
		if (!strcmp(r->unsupported[i].ext, ext)) {
			r->unsupported[i].n++;
			return;
		}
	BK_ALLOC_GROW(r->unsupported, r->unsupported_nr + 1, r->unsupported_alloc);
	r->unsupported[r->unsupported_nr].ext = ext;
	r->unsupported[r->unsupported_nr++].n = 1;
}

void bk_report_add_skip(struct bk_report *r, const char *path, enum bk_skip_reason reason,
			char *detail, int is_error)
{
	struct bk_skip *s;

	BK_ALLOC_GROW(r->skips, r->skips_nr + 1, r->skips_alloc);
	s = &r->skips[r->skips_nr++];
	s->path = bk_xstrdup(path);
	s->reason = reason;
	s->detail = detail;
	s->is_error = is_error;
}

void bk_report_release(struct bk_report *r)
{
	for (size_t i = 0; i < r->findings_nr; i++)
		bk_finding_release(&r->findings[i]);
	free(r->findings);
	for (size_t i = 0; i < r->skips_nr; i++) {
		free(r->skips[i].path);
		free(r->skips[i].detail);
	}
	free(r->skips);
	free(r->unsupported);
	memset(r, 0, sizeof(*r));
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct bk_finding *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (!c)
		c = cmp_u32(a->start_line, b->start_line);
	if (!c)
		c = cmp_u32(a->start_col, b->start_col);
	if (!c)
		c = strcmp(a->rule->id, b->rule->id);
	if (!c)
		c = cmp_u32(a->end_byte, b->end_byte);
	return c;
}

static int skip_cmp(const void *pa, const void *pb)
{
	const struct bk_skip *a = pa, *b = pb;
	return strcmp(a->path, b->path);
}

void bk_report_sort(struct bk_report *r)
{
	if (r->findings_nr)
		qsort(r->findings, r->findings_nr, sizeof(*r->findings), finding_cmp);
	if (r->skips_nr)
		qsort(r->skips, r->skips_nr, sizeof(*r->skips), skip_cmp);
}

#define MOVE_ALL(dst, src, items, nr, alloc)                                   \
	do {                                                                   \
		BK_ALLOC_GROW((dst)->items, (dst)->nr + (src)->nr, (dst)->alloc); \
		if ((src)->nr)                                                 \
			memcpy((dst)->items + (dst)->nr, (src)->items,         \
			       (src)->nr * sizeof(*(src)->items));             \
		(dst)->nr += (src)->nr;                                        \
		free((src)->items);                                            \
		(src)->items = NULL;                                           \
		(src)->nr = (src)->alloc = 0;                                  \
	} while (0)

void bk_report_merge(struct bk_report *dst, struct bk_report *src)
{
	MOVE_ALL(dst, src, findings, findings_nr, findings_alloc);
	MOVE_ALL(dst, src, skips, skips_nr, skips_alloc);
	dst->files_scanned += src->files_scanned;
	dst->files_prefiltered += src->files_prefiltered;
	dst->bytes_scanned += src->bytes_scanned;
	dst->findings_not_shown += src->findings_not_shown;
	src->files_scanned = src->files_prefiltered = 0;
	src->bytes_scanned = 0;
	for (size_t i = 0; i < src->unsupported_nr; i++)
		for (size_t k = 0; k < src->unsupported[i].n; k++)
			bk_report_count_unsupported(dst, src->unsupported[i].ext);
	src->unsupported_nr = 0;
	for (int i = 0; i < BK_ROLE__COUNT; i++) {
		dst->role_files[i] += src->role_files[i];
		dst->role_unchecked[i] += src->role_unchecked[i];
		src->role_files[i] = src->role_unchecked[i] = 0;
	}
	src->findings_not_shown = 0;
}
