/*
 * What a run produces: findings (sorted path, line, column, rule) and the
 * files that were skipped, with why. The report owns its strings.
 */
#ifndef BK_REPORT_H
#define BK_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "base/role.h"
#include "base/rule.h"

struct bk_finding {
	const struct bk_rule *rule;   /* borrowed from the rule set */
	char *path;                   /* as given / relative to the cwd */
	uint32_t start_line, start_col; /* 0-based; col in bytes */
	uint32_t end_line, end_col;
	uint32_t start_byte, end_byte;
	enum bk_severity severity;    /* after config overrides */
	char *message;
	char *line_text;              /* the source line of start, no newline */
	char *end_line_text;          /* the source line of end (for UTF-16 columns) */
	char *detail;                 /* extra lines ("query: ...", "plan: ..."), may be NULL */
	char *fix;                    /* a fix for this finding, overriding the rule's; may be NULL */
};

/* Free what a finding owns (not the finding itself). */
void bk_finding_release(struct bk_finding *f);

enum bk_skip_reason {
	BK_SKIP_BINARY,
	BK_SKIP_MINIFIED,
	BK_SKIP_GENERATED,
	BK_SKIP_OVERSIZED,
	BK_SKIP_INVALID_UTF8,
	BK_SKIP_UNREADABLE,
	BK_SKIP_PARSE_ERROR,
	BK_SKIP_SYMLINK_LOOP,
	BK_SKIP_TIMEOUT,
	BK_SKIP_VENDORED,
	BK_SKIP_REGEX_LIMIT,
	BK_SKIP__COUNT
};

const char *bk_skip_reason_name(enum bk_skip_reason r);

/*
 * The rule behind "this bkgen-ignore suppresses nothing" findings
 * (--report-unused-ignores); not part of any rule set.
 */
extern const struct bk_rule bk_unused_ignore_rule;

/*
 * The rule behind "this file has more findings than the per-file cap"
 * (check --max-findings-per-file), at the top of the file.
 */
extern const struct bk_rule bk_too_many_findings_rule;

struct bk_skip {
	char *path;
	enum bk_skip_reason reason;
	char *detail;                 /* one line, may be NULL */
	int is_error;                 /* counts for --strict (unreadable, parse) */
};

struct bk_report {
	struct bk_finding *findings;
	size_t findings_nr, findings_alloc;
	struct bk_skip *skips;
	size_t skips_nr, skips_alloc;
	size_t files_scanned;         /* read and (maybe) parsed */
	size_t files_prefiltered;     /* read, no needle: never parsed */
	struct bk_ext_count {
		const char *ext;      /* static, from the language table */
		size_t n;
	} *unsupported;               /* files of languages bkgen does not read */
	size_t unsupported_nr, unsupported_alloc;
	size_t role_files[BK_ROLE__COUNT];     /* files read, by code role */
	size_t role_unchecked[BK_ROLE__COUNT]; /* of those, no rule applies to the role */
	uint64_t bytes_scanned;
	size_t findings_not_shown;    /* left out by a cap on findings */
};

/*
 * Append a finding under rule at path: zeroed but for rule, path (copied)
 * and severity (the rule's); the report owns it and what is put in it.
 * The pointer is valid until the next finding is added.
 */
struct bk_finding *bk_report_add_finding(struct bk_report *r, const struct bk_rule *rule,
					 const char *path);
/* Count a file of an unsupported language by its extension (static). */
void bk_report_count_unsupported(struct bk_report *r, const char *ext);
/* Record a skipped file; detail (may be NULL) is taken over. */
void bk_report_add_skip(struct bk_report *r, const char *path, enum bk_skip_reason reason,
			char *detail, int is_error);
void bk_report_release(struct bk_report *r);
/* Sort findings by (path, line, column, rule id, end), skips by path. */
void bk_report_sort(struct bk_report *r);
/* Append all of src into dst, emptying src. */
void bk_report_merge(struct bk_report *dst, struct bk_report *src);

#endif
